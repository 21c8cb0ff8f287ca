#!/usr/bin/env python3
"""Compares `norm validate --format json` with the DfE validator's rows (validator.py), rule
by rule, on the same files, and checks the result against the known disagreements.

Usage: compare.py NORM.json VALIDATOR.json RULES_DIR KNOWN.txt REPORT.md

For each rule both ran, the rule agrees when both flagged the same set of (table, row)
pairs. A norm rule flags rows of its one `entity` (read from RULES_DIR/<code>.yaml); where
the DfE validator flags rows in several tables for one rule (the episode and the AD1 row
that disagree), only its rows of that entity are compared. KNOWN.txt lists the rules known to disagree, one a line: the code, then why. The
exit status is 1 when a rule disagrees that is not listed, or a listed rule no longer
disagrees (so that the list stays true); the report says which.
"""

import json
import re
import sys
from pathlib import Path


def known(path):
    reasons = {}
    for number, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        code, _, reason = line.partition(" ")
        if not reason.strip():
            sys.exit(f"{path}:{number}: rule {code} is listed without a reason")
        if code in reasons:
            sys.exit(f"{path}:{number}: rule {code} is listed twice")
        reasons[code] = reason.strip()
    return reasons


def entities(rules_dir):
    found = {}
    for path in Path(rules_dir).glob("*.yaml"):
        text = path.read_text(encoding="utf-8")
        code = re.search(r'^code: "?([^"\n]+)"?$', text, re.M)
        entity = re.search(r"^entity: (\S+)$", text, re.M)
        if code and entity:
            found[code.group(1)] = entity.group(1)
    return found


def rows(pairs, entity):
    return {(table, int(row)) for table, row in pairs if entity is None or table == entity}


def sample(pairs, n=4):
    shown = ", ".join(f"{t}:{r}" for t, r in sorted(pairs)[:n])
    return shown + (f" (+{len(pairs) - n})" if len(pairs) > n else "")


def main():
    norm_path, validator_path, rules_dir, known_path, report_path = sys.argv[1:6]
    entity_of = entities(rules_dir)
    norm = json.loads(Path(norm_path).read_text(encoding="utf-8"))
    dfe = json.loads(Path(validator_path).read_text(encoding="utf-8"))
    listed = known(known_path)

    norm_ran = set(norm["summary"]["rules"])
    norm_rows = {code: set() for code in norm_ran}
    for issue in norm["issues"]:
        if issue["kind"] == "rule" and issue.get("row") is not None:
            norm_rows.setdefault(issue["rule"], set()).add((issue["entity"], issue["row"]))
    norm_skipped = {s["rule"]: s["reason"] for s in norm["skipped"]}
    dfe_ran = set(dfe["ran"])
    dfe_rows = {code: rows(dfe["flagged"].get(code, []), entity_of.get(code))
                for code in dfe_ran}

    agree, agree_empty, disagree, lines = [], [], [], []
    for code in sorted(norm_ran & dfe_ran):
        ours, theirs = norm_rows[code], dfe_rows[code]
        if ours == theirs:
            (agree if ours else agree_empty).append(code)
            continue
        disagree.append(code)
        lines.append(f"| {code} | disagrees | {len(ours)} | {len(theirs)} | "
                     f"{sample(ours - theirs)} | {sample(theirs - ours)} | "
                     f"{listed.get(code, '**not listed**')} |")
    only_norm = sorted(norm_ran - dfe_ran)
    why_not = {c: "failed with an exception" for c in dfe["failed"]}
    why_not.update({c: "skipped (a table or lookup not supplied)" for c in dfe["skipped"]})
    only_dfe = sorted(dfe_ran - norm_ran)

    new = [c for c in disagree if c not in listed]
    stale = [c for c in listed if c not in disagree]
    summary = [
        f"rules compared: {len(agree) + len(agree_empty) + len(disagree)}",
        f"agreeing exactly: {len(agree) + len(agree_empty)} "
        f"({len(agree)} with flagged rows, {len(agree_empty)} where neither flagged a row)",
        f"disagreeing: {len(disagree)} ({len(disagree) - len(new)} known)",
        f"only norm ran: {len(only_norm)}; only the DfE validator ran: {len(only_dfe)} "
        f"(norm: {sum(1 for c in only_dfe if c in norm_skipped)} skipped, "
        f"{sum(1 for c in only_dfe if c not in norm_skipped)} without the rule)",
    ]
    report = ["# SSDA903 conformance: norm validate and csc-validator-be-903", ""]
    report += [f"- {s}" for s in summary] + [""]
    if disagree:
        report += ["## Disagreements", "",
                   "| rule | | norm rows | DfE rows | only norm | only DfE | why |",
                   "|---|---|---|---|---|---|---|"] + lines + [""]
    report += ["## Agreeing", "", "With flagged rows: " + (" ".join(agree) or "none"), "",
               "Neither flagged a row: " + (" ".join(agree_empty) or "none"), ""]
    report += ["## Only norm ran", ""]
    report += [f"- {c}: the DfE validator {why_not.get(c, 'has no such rule')}" for c in only_norm]
    report += ["", "## Only the DfE validator ran", ""]
    report += [f"- {c}: norm {'skipped it: ' + norm_skipped[c] if c in norm_skipped else 'has no such rule'}"
               for c in only_dfe]
    Path(report_path).parent.mkdir(parents=True, exist_ok=True)
    Path(report_path).write_text("\n".join(report) + "\n", encoding="utf-8")

    print("\n".join(summary))
    print(f"report: {report_path}")
    for code in new:
        print(f"error: rule {code} disagrees with the DfE validator and is not in {known_path}")
    for code in stale:
        print(f"error: rule {code} is listed in {known_path} but "
              f"{'now agrees' if code in norm_ran & dfe_ran else 'is not compared'}; remove it")
    sys.exit(1 if new or stale else 0)


if __name__ == "__main__":
    main()
