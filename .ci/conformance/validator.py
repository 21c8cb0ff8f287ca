#!/usr/bin/env python3
"""Runs the DfE SSDA903 validator (csc-validator-be-903, 2025-26 rules) on a folder of CSV
files and writes, for each rule it ran, the rows it flagged.

Usage: validator.py DATA_DIR OUT.json
DATA_DIR holds this/<table>.csv and, optionally, previous/<table>.csv.

The validator reads each CSV into a pandas frame whose index is the 0-based data row, and a
rule's result is a list of those indexes per table; norm's `_row` is the 1-based data row,
so a row here is the index plus one. Its tables are named as in its config (Header,
PlacedAdoption, ...); they are written under norm's entity names, last year's as
`previous.<entity>`.
"""

import json
import logging
import sys
from pathlib import Path

ENTITIES = {
    "Header": "header", "Episodes": "episodes", "Reviews": "reviews", "UASC": "uasc",
    "OC2": "oc2", "OC3": "oc3", "AD1": "ad1", "PlacedAdoption": "placed_adoption",
    "PrevPerm": "prev_perm", "Missing": "missing", "SWEpisodes": "sw_episodes",
}


def main():
    data, out = Path(sys.argv[1]), Path(sys.argv[2])
    logging.disable(logging.CRITICAL)  # the validator logs every rule at INFO
    from lac_validator import lac_validator
    from lac_validator.rules.lac2025_26 import registry
    from lac_validator.utils import process_uploaded_files

    files = {"This year": sorted(str(p) for p in (data / "this").glob("*.csv"))}
    previous = sorted(str(p) for p in (data / "previous").glob("*.csv"))
    if previous:
        files["Prev year"] = previous
    # collectionYear 2026 is the year ending 31 March 2026: the 2025-26 collection.
    metadata = {"collectionYear": "2026", "localAuthority": "E09000027"}
    v = lac_validator.LacValidator(metadata=metadata, files=process_uploaded_files(files),
                                   registry=registry)
    flagged = {}
    for table, frame in v.ds_results.items():
        if not hasattr(frame, "columns"):
            continue
        name = ENTITIES.get(table.removesuffix("_last"), table)
        if table.endswith("_last"):
            name = "previous." + name
        for column in frame.columns:
            if isinstance(column, str) and column.startswith("ERR_"):
                rows = frame.index[frame[column] == True].tolist()  # noqa: E712 (NaN is not True)
                flagged.setdefault(column[4:], []).extend([name, int(i) + 1] for i in rows)
    json.dump({"ran": sorted(v.dones), "skipped": sorted(v.skips), "failed": sorted(v.fails),
               "flagged": flagged}, open(out, "w"), indent=1)


if __name__ == "__main__":
    main()
