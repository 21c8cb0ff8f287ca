#!/usr/bin/env python3
"""Runs the DfE SSDA903 validator (csc-validator-be-903) with one collection year's rules on a
folder of CSV files and writes, for each rule it ran, the rows it flagged.

Usage: validator.py DATA_DIR OUT.json YEAR
DATA_DIR holds this/<table>.csv and, optionally, previous/<table>.csv. YEAR is the collection
year by the year it ends in, as the validator's `collectionYear` is (2027 is 2026-27, whose
rules are its registry lac2026_27).

The validator reads each CSV into a pandas frame whose index is the 0-based data row, and a
rule's result is a list of those indexes per table (the validator's own loop marks them in
a copy of each table); norm's `_row` is the 1-based data row,
so a row here is the index plus one. Its tables are named as in its config (Header,
PlacedAdoption, ...); they are written under norm's entity names, last year's as
`previous.<entity>`.
"""

import contextlib
import copy
import importlib
import json
import logging
import sys
import warnings
from pathlib import Path

import pandas as pd

ENTITIES = {
    "Header": "header", "Episodes": "episodes", "Reviews": "reviews", "UASC": "uasc",
    "OC2": "oc2", "OC3": "oc3", "AD1": "ad1", "PlacedAdoption": "placed_adoption",
    "PrevPerm": "prev_perm", "Missing": "missing", "SWEpisodes": "sw_episodes", "DoLo": "dolo",
}


def main():
    data, out, year = Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3])
    logging.disable(logging.CRITICAL)  # the validator logs every rule at INFO
    warnings.simplefilter("ignore")
    from lac_validator.datastore import create_datastore
    from lac_validator.ingress import read_from_text
    from lac_validator.utils import process_uploaded_files

    registry = importlib.import_module(
        f"lac_validator.rules.lac{year - 1}_{year % 100:02d}").registry

    files = {"This year": sorted(str(p) for p in (data / "this").glob("*.csv"))}
    previous = sorted(str(p) for p in (data / "previous").glob("*.csv"))
    if previous:
        files["Prev year"] = previous
    metadata = {"collectionYear": str(year), "localAuthority": "E09000027"}
    frames, extras = read_from_text(raw_files=process_uploaded_files(files))
    metadata.update(extras)
    store = create_datastore(frames, metadata)

    # The loop of LacValidator.validate, with one difference: each rule gets a deep copy of
    # the tables. The validator hands each a shallow copy, and some rules change their
    # tables in place (fillna, sorting), which changes what the rules after them see.
    ran, skipped, failed, flagged = [], [], [], {}
    for code, rule in registry.items():
        try:
            with contextlib.redirect_stdout(sys.stderr):  # some rules print
                result = rule.func(copy.deepcopy(store))
        except Exception:  # noqa: BLE001 (the validator, too, records and goes on)
            failed.append(code)
            continue
        if result == {}:
            skipped.append(code)  # a table it needs was not supplied
            continue
        ran.append(code)
        pairs = flagged.setdefault(code, [])
        for table, rows in result.items():
            name = ENTITIES.get(table.removesuffix("_last"), table)
            if table.endswith("_last"):
                name = "previous." + name
            pairs.extend([name, int(i) + 1] for i in rows if pd.notna(i))
    json.dump({"ran": sorted(ran), "skipped": sorted(skipped), "failed": sorted(failed),
               "flagged": flagged}, open(out, "w"), indent=1)


if __name__ == "__main__":
    main()
