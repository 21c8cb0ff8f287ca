#!/usr/bin/env python3
"""Tests of compare.py: that it fails on a new disagreement, on a rule only norm could run that
is not listed, and on a stale list entry, compares a rule in the first return where both
validators ran it, and only in the rule's entity.

Run by .ci/conformance/run before the comparison: python3 test_compare.py
"""

import json
import subprocess
import sys
import tempfile
import unittest
from pathlib import Path

COMPARE = Path(__file__).with_name("compare.py")


def norm_report(ran, issues, skipped=()):
    return {"summary": {"rules": list(ran)},
            "issues": [{"kind": "rule", "rule": r, "entity": e, "row": n} for r, e, n in issues],
            "skipped": [{"rule": r, "reason": why} for r, why in skipped]}


def dfe_report(ran, flagged, skipped=(), failed=()):
    return {"ran": list(ran), "skipped": list(skipped), "failed": list(failed),
            "flagged": {code: [list(p) for p in pairs] for code, pairs in flagged.items()}}


class Compare(unittest.TestCase):
    def setUp(self):
        self.dir = Path(tempfile.mkdtemp())
        rules = self.dir / "rules"
        rules.mkdir()
        for code, entity in [("101", "header"), ("521", "episodes"), ("SW06STG2", "sw_episodes")]:
            (rules / f"{code}.yaml").write_text(f'code: "{code}"\nentity: {entity}\n')

    def run_compare(self, known, *runs):
        (self.dir / "known.txt").write_text(known)
        args = [sys.executable, str(COMPARE), str(self.dir / "rules"), str(self.dir / "known.txt"),
                str(self.dir / "report.md")]
        for i, (norm, dfe) in enumerate(runs):
            (self.dir / f"n{i}.json").write_text(json.dumps(norm))
            (self.dir / f"d{i}.json").write_text(json.dumps(dfe))
            args.append(f"run{i}={self.dir / f'n{i}.json'},{self.dir / f'd{i}.json'}")
        done = subprocess.run(args, capture_output=True, text=True)
        return done.returncode, done.stdout

    def test_agreement_passes_and_counts(self):
        code, out = self.run_compare(
            "", (norm_report(["101"], [("101", "header", 2)]),
                 dfe_report(["101"], {"101": [("header", 2)]})))
        self.assertEqual(code, 0, out)
        self.assertIn("agreeing exactly: 1 (1 with flagged rows", out)

    def test_a_new_disagreement_fails(self):
        code, out = self.run_compare(
            "", (norm_report(["101"], [("101", "header", 2)]),
                 dfe_report(["101"], {"101": [("header", 3)]})))
        self.assertEqual(code, 1)
        self.assertIn("rule 101 disagrees", out)
        self.assertIn("header:2", (self.dir / "report.md").read_text())

    def test_a_listed_disagreement_passes_and_a_listed_agreement_fails(self):
        runs = (norm_report(["101"], [("101", "header", 2)]),
                dfe_report(["101"], {"101": [("header", 3)]}))
        self.assertEqual(self.run_compare("101 a reason\n", runs)[0], 0)
        agreeing = (norm_report(["101"], []), dfe_report(["101"], {}))
        code, out = self.run_compare("# comment\n101 a reason\n", agreeing)
        self.assertEqual(code, 1)
        self.assertIn("rule 101 is listed", out)

    def test_a_rule_the_validator_could_not_run_is_no_agreement_and_must_be_listed(self):
        # norm flagged nothing and the DfE validator raised an exception: not "both flagged
        # nothing", which would be an agreement.
        runs = (norm_report(["101", "521"], [("521", "episodes", 1)]),
                dfe_report(["521"], {"521": [("episodes", 1)]}, failed=["101"]))
        code, out = self.run_compare("", runs)
        self.assertEqual(code, 1, out)
        self.assertIn("agreeing exactly: 1 ", out)
        self.assertIn("not compared, the DfE validator could not run them: 1 (0 known)", out)
        self.assertIn("rule 101 could not be compared (the DfE validator failed with an "
                      "exception) and is not in", out)
        code, out = self.run_compare("101 It reads a column the CSV files do not have.\n", runs)
        self.assertEqual(code, 0, out)
        report = (self.dir / "report.md").read_text()
        self.assertIn("- 101: the DfE validator failed with an exception: It reads a column", report)
        # Once it runs and agrees, the entry is stale.
        code, out = self.run_compare("101 It reads a column the CSV files do not have.\n",
                                     (norm_report(["101"], []), dfe_report(["101"], {})))
        self.assertEqual(code, 1, out)
        self.assertIn("rule 101 is listed", out)

    def test_an_entry_without_a_reason_is_refused(self):
        code, out = self.run_compare("101\n", (norm_report([], []), dfe_report([], {})))
        self.assertNotEqual(code, 0)

    def test_only_rows_of_the_rules_entity_are_compared(self):
        code, out = self.run_compare(
            "", (norm_report(["521"], [("521", "episodes", 1)]),
                 dfe_report(["521"], {"521": [("episodes", 1), ("ad1", 4)]})))
        self.assertEqual(code, 0, out)

    def test_a_rule_is_compared_in_the_first_return_where_both_ran_it(self):
        main = (norm_report(["101"], [("101", "header", 2)],
                            skipped=[("SW06STG2", "stage 2: stage 1 found errors")]),
                dfe_report(["101", "SW06STG2"], {"101": [("header", 2)],
                                                 "SW06STG2": [("sw_episodes", 9)]}))
        stage2 = (norm_report(["SW06STG2"], [("SW06STG2", "sw_episodes", 1)]),
                  dfe_report(["SW06STG2"], {"SW06STG2": [("sw_episodes", 1)]}))
        code, out = self.run_compare("", main, stage2)
        self.assertEqual(code, 0, out)
        self.assertIn("rules compared: 2 (1 in run0, 1 in run1)", out)


if __name__ == "__main__":
    unittest.main()
