#!/usr/bin/env python3
"""Compares `norm validate --format json` with the DfE validator's rows (validator.py), rule
by rule, on the same files, and checks the result against the known disagreements.

Usage: compare.py RULES_DIR KNOWN.txt REPORT.md NAME=NORM.json,VALIDATOR.json...

Each NAME=... is one return both validators read (the main one; one for the stage-2 rules,
which norm runs only on data that passes stage 1). A rule is compared in the first return
in which both ran it. For each rule compared, it agrees when both flagged the same set of (table, row)
pairs. A norm rule flags rows of its one `entity` (read from RULES_DIR/<code>.yaml); where
the DfE validator flags rows in several tables for one rule (the episode and the AD1 row
that disagree), only its rows of that entity are compared.

A rule norm ran that the DfE validator did not run in any return (it raised an exception, or
returned nothing for want of a table) is not compared, and it is no agreement: it must be
listed too, with the reason the validator cannot run it, so that a rule newly failing there
stops the run as a new disagreement does.

KNOWN.txt lists the rules known to disagree or not to run in the DfE validator, one a line:
the code, then why. The exit status is 1 when a rule disagrees, or only norm ran it, and it is
not listed, or when a listed rule is now compared and agrees (so that the list stays true); the
report says which.
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
    rules_dir, known_path, report_path = sys.argv[1:4]
    runs = []
    for arg in sys.argv[4:]:
        name, _, paths = arg.partition("=")
        norm_path, _, validator_path = paths.partition(",")
        runs.append((name, json.loads(Path(norm_path).read_text(encoding="utf-8")),
                     json.loads(Path(validator_path).read_text(encoding="utf-8"))))
    entity_of = entities(rules_dir)
    listed = known(known_path)

    # For each rule, the first return in which both ran it: its rows there.
    norm_rows, dfe_rows, compared_in = {}, {}, {}
    norm_ran, dfe_ran, norm_skipped, why_not = set(), set(), {}, {}
    for name, norm, dfe in runs:
        ran_here = set(norm["summary"]["rules"])
        for code in sorted(ran_here & set(dfe["ran"]) - set(compared_in)):
            compared_in[code] = name
            norm_rows[code] = {(i["entity"], i["row"]) for i in norm["issues"]
                               if i["kind"] == "rule" and i["rule"] == code
                               and i.get("row") is not None}
            dfe_rows[code] = rows(dfe["flagged"].get(code, []), entity_of.get(code))
        norm_ran |= ran_here
        dfe_ran |= set(dfe["ran"])
        for s in norm["skipped"]:
            norm_skipped.setdefault(s["rule"], s["reason"])
        for c in dfe["failed"]:
            why_not.setdefault(c, "failed with an exception")
        for c in dfe["skipped"]:
            why_not.setdefault(c, "skipped (a table or lookup not supplied)")
    norm_skipped = {c: r for c, r in norm_skipped.items() if c not in norm_ran}

    agree, agree_empty, disagree, lines = [], [], [], []
    for code in sorted(compared_in):
        ours, theirs = norm_rows[code], dfe_rows[code]
        if ours == theirs:
            (agree if ours else agree_empty).append(code)
            continue
        disagree.append(code)
        lines.append(f"| {code} | {compared_in[code]} | {len(ours)} | {len(theirs)} | "
                     f"{sample(ours - theirs)} | {sample(theirs - ours)} | "
                     f"{listed.get(code, '**not listed**')} |")
    only_norm = sorted(norm_ran - set(compared_in))
    only_dfe = sorted(dfe_ran - norm_ran)
    for c in only_norm:
        why_not.setdefault(c, "has no such rule")

    new = [c for c in disagree if c not in listed]
    not_run = [c for c in only_norm if c not in listed]
    stale = [c for c in listed if c not in disagree and c not in only_norm]
    per_run = ", ".join(f"{sum(1 for c in compared_in.values() if c == name)} in {name}"
                        for name, _, _ in runs)
    summary = [
        f"rules compared: {len(compared_in)} ({per_run})",
        f"agreeing exactly: {len(agree) + len(agree_empty)} "
        f"({len(agree)} with flagged rows, {len(agree_empty)} where neither flagged a row)",
        f"disagreeing: {len(disagree)} ({len(disagree) - len(new)} known)",
        f"not compared, the DfE validator could not run them: {len(only_norm)} "
        f"({len(only_norm) - len(not_run)} known)",
        f"only the DfE validator ran: {len(only_dfe)} "
        f"(norm: {sum(1 for c in only_dfe if c in norm_skipped)} skipped, "
        f"{sum(1 for c in only_dfe if c not in norm_skipped)} without the rule)",
    ]
    report = ["# SSDA903 conformance: norm validate and csc-validator-be-903", ""]
    report += [f"- {s}" for s in summary] + [""]
    if disagree:
        report += ["## Disagreements", "",
                   "| rule | return | norm rows | DfE rows | only norm | only DfE | why |",
                   "|---|---|---|---|---|---|---|"] + lines + [""]
    report += ["## Agreeing", "", "With flagged rows: " + (" ".join(agree) or "none"), "",
               "Neither flagged a row: " + (" ".join(agree_empty) or "none"), ""]
    report += ["## Only norm ran (not compared)", ""]
    report += [f"- {c}: the DfE validator {why_not[c]}: {listed.get(c, '**not listed**')}"
               for c in only_norm]
    report += ["", "## Only the DfE validator ran", ""]
    report += [f"- {c}: norm {'skipped it: ' + norm_skipped[c] if c in norm_skipped else 'has no such rule'}"
               for c in only_dfe]
    Path(report_path).parent.mkdir(parents=True, exist_ok=True)
    Path(report_path).write_text("\n".join(report) + "\n", encoding="utf-8")

    print("\n".join(summary))
    print(f"report: {report_path}")
    for code in new:
        print(f"error: rule {code} disagrees with the DfE validator and is not in {known_path}")
    for code in not_run:
        print(f"error: rule {code} could not be compared (the DfE validator {why_not[code]}) "
              f"and is not in {known_path}")
    for code in stale:
        print(f"error: rule {code} is listed in {known_path} but "
              f"{'now agrees' if code in compared_in else 'is not compared'}; remove it")
    sys.exit(1 if new or not_run or stale else 0)


if __name__ == "__main__":
    main()
