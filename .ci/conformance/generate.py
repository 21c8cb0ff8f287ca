#!/usr/bin/env python3
"""Synthetic SSDA903 returns (one collection year's, and last year's) for the conformance run.

Seeded, so every run writes the same files. No real personal data: child identifiers,
dates and postcodes are invented. Most rows are plausible, and faults of many kinds are
sown on purpose (values left blank, codes that do not exist, dates out of order or out of
the year, episodes that overlap or leave gaps, tables that disagree with each other), so
that most validation rules fail on some rows and pass on others.

Usage: generate.py OUT_DIR --year Y [--children N] [--seed S]
Y is the collection year by the year it ends in (2027: 1 April 2026 to 31 March 2027); every
date is placed relative to it, so another year writes the same kind of return. Writes
OUT_DIR/this/<table>.csv and OUT_DIR/previous/<table>.csv, and OUT_DIR/stage2/this/
sw_episodes.csv: social worker episodes alone, for the stage-2 rules (see stage2()). From
2026-27 the return has a DoLo table (deprivations of liberty), and this year's has one.
"""

import argparse
import csv
import datetime as dt
import random
from pathlib import Path

COLUMNS = {
    "header": ["CHILD", "SEX", "DOB", "ETHNIC", "UPN", "MOTHER", "MC_DOB"],
    "episodes": ["CHILD", "DECOM", "RNE", "LS", "CIN", "PLACE", "PLACE_PROVIDER", "DEC",
                 "REC", "REASON_PLACE_CHANGE", "HOME_POST", "PL_POST", "URN"],
    "reviews": ["CHILD", "DOB", "REVIEW", "REVIEW_CODE"],
    "uasc": ["CHILD", "SEX", "DOB", "DUC"],
    "oc2": ["CHILD", "DOB", "SDQ_SCORE", "SDQ_REASON", "CONVICTED", "HEALTH_CHECK",
            "IMMUNISATIONS", "TEETH_CHECK", "HEALTH_ASSESSMENT", "SUBSTANCE_MISUSE",
            "INTERVENTION_RECEIVED", "INTERVENTION_OFFERED"],
    "oc3": ["CHILD", "DOB", "IN_TOUCH", "ACTIV", "ACCOM"],
    "ad1": ["CHILD", "DOB", "DATE_INT", "DATE_MATCH", "FOSTER_CARE", "NB_ADOPTR",
            "SEX_ADOPTR", "LS_ADOPTR"],
    "placed_adoption": ["CHILD", "DOB", "DATE_PLACED", "DATE_PLACED_CEASED",
                        "REASON_PLACED_CEASED"],
    "prev_perm": ["CHILD", "DOB", "PREV_PERM", "LA_PERM", "DATE_PERM"],
    "missing": ["CHILD", "DOB", "MISSING", "MIS_START", "MIS_END"],
    "sw_episodes": ["CHILD", "DOB", "SW_ID", "SW_DECOM", "SW_DEC", "SW_REASON"],
    "dolo": ["CHILD", "DOB", "DOLO_START", "DOLO_END"],
}
# The first collection year, by its end, with a DoLo table.
DOLO_FROM = 2027

CODES = {
    "SEX": ["M", "F"],
    "ETHNIC": ["WBRI", "WIRI", "WOTH", "WROM", "MWBC", "MWBA", "MOTH", "AIND", "APKN",
               "BCRB", "BAFR", "CHNE", "OOTH", "REFU", "NOBT"],
    "RNE_CONT": ["P", "L", "T", "U", "B"],
    "LS": ["C1", "C2", "D1", "E1", "J1", "J2", "J3", "L1", "L2", "L3", "V2", "V3", "V4"],
    "CIN": ["N1", "N2", "N3", "N4", "N5", "N6", "N7", "N8"],
    "PLACE": ["A3", "A4", "A5", "A6", "K1", "K2", "K3", "P1", "P3", "R1", "R2", "R3", "R5",
              "S1", "T0", "T1", "T2", "T3", "T4", "U1", "U2", "U3", "U4", "U5", "U6",
              "Z11", "Z12", "Z13", "Z14"],
    "PLACE_PROVIDER": ["PR0", "PR1", "PR2", "PR3", "PR4", "PR5"],
    "REC_END": ["E11", "E12", "E13", "E14", "E15", "E16", "E17", "E2", "E3", "E4A", "E4B",
                "E41", "E45", "E46", "E47", "E48", "E5", "E6", "E7", "E71", "E72", "E8",
                "E9"],
    "REASON_PLACE_CHANGE": ["CARPL", "CLOSE", "ALLEG", "STAND", "APPRR", "CREQB", "CREQO",
                            "CHILD", "LAREQ", "PLACE", "CUSTOD", "OTHER"],
    "REVIEW_CODE": ["PN0", "PN1", "PN2", "PN3", "PN4", "PN5", "PN6", "PN7"],
    "SDQ_REASON": ["SDQ1", "SDQ2", "SDQ3", "SDQ4", "SDQ5"],
    "IN_TOUCH": ["YES", "NO", "DIED", "REFU", "NREQ", "RHOM"],
    "ACTIV": ["F1", "P1", "F2", "P2", "F4", "P4", "F5", "P5", "G4", "G5", "G6"],
    "ACCOM": ["B1", "B2", "C1", "C2", "D1", "D2", "E1", "E2", "G1", "G2", "H1", "H2", "K1",
              "K2", "R1", "R2", "S2", "T1", "T2", "U1", "U2", "V1", "V2", "W1", "W2", "X2",
              "Y1", "Y2", "Z1", "Z2"],
    "SEX_ADOPTR": ["MM", "FF", "MF", "M1", "F1"],
    "LS_ADOPTR": ["L0", "L11", "L12", "L2", "L3", "L4"],
    "REASON_PLACED_CEASED": ["RD1", "RD2", "RD3", "RD4"],
    "PREV_PERM": ["P1", "P2", "P3", "P4", "Z1"],
    "MISSING": ["M", "A"],
    "SW_REASON": ["MANAGE", "FCONTA", "LEFTRL", "ORGRST", "TSPROC", "ABSENC", "CHCHAN",
                  "PCCHAN", "SWDIED", "OTHERS"],
    "BOOL": ["0", "1"],
}
# Codes that exist in no list of the return, for faults.
NOT_CODES = ["X", "ZZ", "N0", "H5", "Z1", "P2", "E4", "RD5", "PN8", "9"]
# The date columns: their faults are dates moved by days or years, or left blank.
DATE_COLUMNS = {"DOB", "MC_DOB", "DECOM", "DEC", "REVIEW", "DUC", "DATE_INT", "DATE_MATCH",
                "DATE_PLACED", "DATE_PLACED_CEASED", "DATE_PERM", "MIS_START", "MIS_END",
                "SW_DECOM", "SW_DEC"}
# The one date sown with text that is not a date (and DOLO_START: see Generator.dolo). norm's
# SQL sees a value that is not of its field's type as NULL (the structure pass reports it)
# and the DfE validator sees the text given, a difference documented once (docs/validate.md);
# sown everywhere, it would hide whether the rules' own logic agrees. For the same reason the
# integer columns get numbers.
UNREADABLE = {"DUC"}
INTEGER_COLUMNS = {"NB_ADOPTR", "SDQ_SCORE"}
# Not uasc: the DfE validator sets the header's UASC flag by joining the header to the UASC
# table and assigning the result by position, so a child repeated there moves the flag onto
# the children after it, and every rule reading the flag disagrees.
ONE_ROW_A_CHILD = {"header", "oc2", "oc3", "ad1", "prev_perm"}
# Dates that are never blank or unreadable: the validator stops with an exception on such a
# value (a child whose only start date is missing; a social worker start date not a date),
# so that the rules reading them would never be compared.
KEY_DATES = {"DECOM", "SW_DECOM"}


def d(day):
    """A date as the return writes it (dd/mm/yyyy); None stays empty."""
    return day.strftime("%d/%m/%Y") if isinstance(day, dt.date) else (day or "")


def years(day, n):
    try:
        return day.replace(year=day.year + n)
    except ValueError:  # 29 February
        return day.replace(year=day.year + n, day=28)


class Return:
    """The rows of one year's return, table by table: the tables of the collection year ending
    in `year` (no DoLo before 2026-27)."""

    def __init__(self, year):
        self.rows = {table: [] for table in COLUMNS if table != "dolo" or year >= DOLO_FROM}

    def add(self, table, **values):
        self.rows[table].append({c: values.get(c) for c in COLUMNS[table]})

    def write(self, folder, tables=None):
        folder.mkdir(parents=True, exist_ok=True)
        for table in tables or list(self.rows):
            rows = self.rows[table]
            with open(folder / f"{table}.csv", "w", newline="", encoding="utf-8") as f:
                out = csv.writer(f, lineterminator="\n")
                out.writerow(COLUMNS[table])
                for row in rows:
                    out.writerow([d(row[c]) for c in COLUMNS[table]])


class Generator:
    """The children of one collection year's return, ending on 31 March of `year`."""

    def __init__(self, seed, fault_rate, year):
        self.r = random.Random(seed)
        # The DoLo table draws from its own stream, so that adding it left the other tables
        # as they were.
        self.dolo_r = random.Random(seed + 27)
        self.fault_rate = fault_rate
        self.start, self.end = dt.date(year - 1, 4, 1), dt.date(year, 3, 31)

    def on(self, years_on, month, day):
        """A day of the year `years_on` years from the one the collection year ends in (-1: the
        year it starts in)."""
        return dt.date(self.end.year + years_on, month, day)

    def chance(self, p):
        return self.r.random() < p

    def pick(self, key):
        return self.r.choice(CODES[key])

    def day_between(self, a, b):
        return a + dt.timedelta(days=self.r.randint(0, max((b - a).days, 0)))

    def episodes(self, dob):
        """A child's chain of episodes: the first starts with S, each next one continues
        the last on the day it ended (X1), and the last is open or ends in the year."""
        first = self.day_between(max(dob, self.start - dt.timedelta(days=900)),
                                 self.end - dt.timedelta(days=30))
        count = self.r.choice([1, 1, 2, 2, 3, 4])
        starts = [first]
        for _ in range(count - 1):
            starts.append(self.day_between(starts[-1] + dt.timedelta(days=14), self.end))
        chain = []
        ls, cin = self.pick("LS"), self.pick("CIN")
        for i, decom in enumerate(starts):
            last = i == len(starts) - 1
            place = self.pick("PLACE")
            ep = dict(DECOM=decom, RNE="S" if i == 0 else self.pick("RNE_CONT"), LS=ls,
                      CIN=cin, PLACE=place,
                      PLACE_PROVIDER=None if place[0] in "TZ" else self.pick("PLACE_PROVIDER"),
                      HOME_POST="ZZ%d %dZZ" % (self.r.randint(1, 9), self.r.randint(1, 9)),
                      PL_POST="ZZ%d %dZZ" % (self.r.randint(1, 9), self.r.randint(1, 9)),
                      URN="SC%06d" % self.r.randint(1, 999999) if place[0] in "KR" else "XXXXXXX")
            if i > 0 and ep["RNE"] in ("P", "B", "T", "U"):
                ep["REASON_PLACE_CHANGE"] = self.pick("REASON_PLACE_CHANGE")
            if not last:
                ep["DEC"], ep["REC"] = starts[i + 1], "X1"
            elif self.chance(0.45):
                ep["DEC"] = self.day_between(max(decom, self.start), self.end)
                ep["REC"] = self.pick("REC_END")
            chain.append(ep)
        return chain

    def fault(self, column, value):
        """Perhaps a fault in one value: left blank, not a code, or a date moved."""
        if column == "CHILD" or not self.chance(self.fault_rate):
            return value
        kind = self.r.random()
        if column in KEY_DATES:
            kind = 0.5 + kind / 2
        if kind < 0.3:
            return None
        if column in DATE_COLUMNS:
            if kind < 0.4 and column in UNREADABLE:
                year = self.start.year
                return f"31/02/{year}" if self.chance(0.5) else f"{year}-06-01"
            base = value if isinstance(value, dt.date) else self.start
            return base + dt.timedelta(days=self.r.choice([-800, -400, -60, -1, 1, 30, 400]))
        if column in INTEGER_COLUMNS:  # a number out of range, not text (as for dates)
            return self.r.choice(["0", "3", "41", "-1"])
        if kind < 0.7:
            return self.r.choice(NOT_CODES)
        for key in (column, column + "_END", column + "_CONT"):
            if key in CODES:
                return self.pick(key)
        return self.pick("BOOL")

    def child(self, n, this, previous):
        child = "C%06d" % n
        dob = self.day_between(self.on(-22, 6, 1), self.on(-1, 9, 1))
        sex = self.pick("SEX")
        chain = self.episodes(dob)
        eighteen = years(dob, 18)
        if self.start <= eighteen <= self.end and chain[-1]["DECOM"] < eighteen \
                and self.chance(0.6):
            chain[-1]["DEC"] = eighteen  # leaves care at 18, perhaps while missing (580)
            chain[-1]["REC"] = self.r.choice(["E8", "E8", "E2", "E3"])
        if self.chance(0.05):  # overlap, or a gap, between two episodes
            i = self.r.randrange(len(chain))
            moved = chain[i]["DECOM"] + dt.timedelta(days=self.r.choice([-5, 3]))
            # Not onto another episode's start: two episodes starting on one day tie in the
            # DfE validator's sorts, which are not stable.
            if all(ep["DECOM"] != moved for ep in chain):
                chain[i]["DECOM"] = moved
        upn = self.r.choice(["UN1", "UN2", "UN3", "UN4", "UN5"]) if self.chance(0.3) else \
            "A%012d" % self.r.randint(0, 10**12 - 1)
        mother = None
        if sex == "F" and years(dob, 12) < self.end:
            mother = "1" if self.chance(0.1) else "0"
        mc_dob = self.day_between(years(dob, 12), self.end) if mother == "1" else None
        if mc_dob and self.chance(0.1):  # a child's birth before its mother's
            mc_dob = dob - dt.timedelta(days=self.r.choice([0, 30]))
        header = dict(CHILD=child, SEX=sex, DOB=dob, ETHNIC=self.pick("ETHNIC"), UPN=upn,
                      MOTHER=mother, MC_DOB=mc_dob)
        if not self.chance(0.02):  # a child with episodes and no header
            this.add("header", **{k: self.fault(k, v) for k, v in header.items()})
            if self.chance(0.01):
                this.add("header", **header)
        for ep in chain:
            row = {k: self.fault(k, v) for k, v in ep.items()}
            if row["DECOM"] != ep["DECOM"] and any(e["DECOM"] == row["DECOM"] for e in chain):
                row["DECOM"] = ep["DECOM"]  # a start moved onto another's: a tie, as above
            this.add("episodes", CHILD=child, **row)
        self.tables(child, dob, sex, chain, this, previous)
        if "dolo" in this.rows:
            self.dolo(child, dob, chain, this)

        # Last year's return: the episodes that had started by its end, the last one open.
        before = [dict(ep) for ep in chain if ep["DECOM"] < self.start]
        if before:
            if not before[-1].get("DEC") or before[-1]["DEC"] >= self.start:
                before[-1]["DEC"] = before[-1]["REC"] = None
            if self.chance(0.05):
                before[-1]["DECOM"] -= dt.timedelta(days=7)
            if header["MOTHER"] == "1" and self.chance(0.3):  # a mother only from this year
                previous.add("header", **dict(header, MOTHER="0", MC_DOB=None))
            else:
                previous.add("header", **header)
            for ep in before:
                previous.add("episodes", CHILD=child, **ep)
            if self.chance(0.1):
                previous.add("missing", CHILD=child, DOB=dob, MISSING=self.pick("MISSING"),
                             MIS_START=self.start - dt.timedelta(days=20), MIS_END=None)

    def dolo(self, child, dob, chain, this):
        """A third of the children have orders depriving them of their liberty: one starting
        around one of their episodes, open or ending (before it starts, 702; outside the year,
        704), sometimes a second starting while the first is open (705) or after it, or one
        from the date of birth or before it (708); a few first starts are blank or not a date
        (700). An order open after the child's last episode ends is 707's fault."""
        r = self.dolo_r
        if r.random() >= 1 / 3:
            return
        days = dt.timedelta
        first = r.choice(chain)["DECOM"] + days(r.randint(-30, 60))
        orders = [(first, None if r.random() < 0.4 else first + days(r.randint(-5, 200)))]
        if r.random() < 0.2:
            # Never on the first one's start: two orders starting on one day tie in the DfE
            # validator's sorts, which are not stable.
            second = first + days(r.choice([-10, -3, 1, 7, 30, 60, 100]))
            orders.append((second, None if r.random() < 0.5 else second + days(r.randint(1, 90))))
        if r.random() < 0.05:
            born = dob - days(r.choice([0, 0, 3]))
            if all(start != born for start, _ in orders):
                orders.append((born, None))
        fault = r.random()
        if fault < 0.05:
            orders[0] = (None if fault < 0.025 else f"31/02/{self.end.year}", orders[0][1])
        for start, end in orders:
            this.add("dolo", CHILD=child, DOB=dob, DOLO_START=start, DOLO_END=end)

    def outside_care(self, n, this):
        """A child in the header with no episodes: a care leaver with an OC3 row, or (a fault)
        a child with nothing else."""
        child = "C%06d" % n
        dob = self.day_between(self.on(-22, 6, 1), self.on(-18, 3, 1))
        sex = self.pick("SEX")
        mother = self.r.choice([None, None, "0", "1"]) if sex == "F" else None
        this.add("header", CHILD=child, SEX=sex, DOB=dob, ETHNIC=self.pick("ETHNIC"), UPN="UN5",
                 MOTHER=mother,
                 MC_DOB=self.day_between(years(dob, 16), self.end) if mother == "1" else None)
        if self.chance(0.8):
            this.add("oc3", CHILD=child, DOB=dob, IN_TOUCH=self.pick("IN_TOUCH"),
                     ACTIV=self.pick("ACTIV"), ACCOM=self.pick("ACCOM"))

    def tables(self, child, dob, sex, chain, this, previous):
        """The child's rows in the other tables, where the episodes call for them."""
        def add(table, **values):
            this.add(table, **{k: self.fault(k, x) for k, x in values.items()})
            # The child's row repeated, in the tables of one row a child (INT31-INT35). Not in
            # the tables of several rows a child: there a repeated row ties in a sort, and the
            # DfE validator's sorts are not stable, so which twin it reports is arbitrary.
            if table in ONE_ROW_A_CHILD and self.chance(0.02):
                this.add(table, **values)
        first = chain[0]["DECOM"]
        for _ in range(self.r.choice([0, 1, 2, 3])):
            add("reviews", CHILD=child, DOB=dob,
                REVIEW=self.day_between(max(first, self.start), self.end),
                REVIEW_CODE=self.pick("REVIEW_CODE"))
        age_now = (self.end - dob).days // 365
        if 10 <= age_now <= 17 and self.chance(0.3):
            add("uasc", CHILD=child, SEX=sex, DOB=dob, DUC=years(dob, 18))
        if first <= self.start - dt.timedelta(days=365) and not chain[-1].get("DEC") \
                or self.chance(0.03):
            sdq = self.r.randint(0, 40) if 4 <= age_now <= 17 and self.chance(0.8) else None
            add("oc2", CHILD=child, DOB=dob, SDQ_SCORE=sdq,
                SDQ_REASON=None if sdq is not None else self.pick("SDQ_REASON"),
                CONVICTED=self.pick("BOOL") if (age_now >= 10) != self.chance(0.08) else None,
                HEALTH_CHECK=self.pick("BOOL") if (age_now < 5) != self.chance(0.08) else None,
                IMMUNISATIONS=self.pick("BOOL"),
                TEETH_CHECK=self.pick("BOOL"), HEALTH_ASSESSMENT=self.pick("BOOL"),
                SUBSTANCE_MISUSE=self.pick("BOOL"),
                INTERVENTION_RECEIVED=self.pick("BOOL"), INTERVENTION_OFFERED=self.pick("BOOL"))
        if 17 <= age_now <= 21 and self.chance(0.5):
            add("oc3", CHILD=child, DOB=dob, IN_TOUCH=self.pick("IN_TOUCH"),
                ACTIV=self.pick("ACTIV"), ACCOM=self.pick("ACCOM"))
        last = chain[-1]
        adopted = last.get("REC") in ("E11", "E12")
        placed = [ep for ep in chain if ep["PLACE"] in ("A3", "A4", "A5", "A6")]
        if adopted or placed or self.chance(0.02):
            since = placed[0]["DECOM"] if placed else first
            if self.chance(0.15):  # an earlier decision, reversed (or, a fault, never closed)
                earlier = since - dt.timedelta(days=self.r.randint(200, 700))
                ceased = earlier + dt.timedelta(days=self.r.randint(20, 150))
                reason = self.r.choice(["RD1", "RD2", "RD3", "RD4"])
                if self.chance(0.2):
                    ceased = reason = None
                add("placed_adoption", CHILD=child, DOB=dob, DATE_PLACED=earlier,
                    DATE_PLACED_CEASED=ceased, REASON_PLACED_CEASED=reason)
                if earlier < self.start:
                    known = ceased and ceased < self.start  # ceased by last year's end
                    previous.add("placed_adoption", CHILD=child, DOB=dob, DATE_PLACED=earlier,
                                 DATE_PLACED_CEASED=ceased if known else None,
                                 REASON_PLACED_CEASED=reason if known else None)
            add("placed_adoption", CHILD=child, DOB=dob,
                DATE_PLACED=None if adopted and self.chance(0.1) else since,
                # An adoption leaves the decision open; closing it is a fault (558).
                DATE_PLACED_CEASED=last.get("DEC") if adopted and self.chance(0.15) else None,
                REASON_PLACED_CEASED=None)
            if since < self.start and self.chance(0.9):
                previous.add("placed_adoption", CHILD=child, DOB=dob,
                             DATE_PLACED=since - dt.timedelta(days=self.r.choice([0] * 9 + [3])))
            if adopted or self.chance(0.3):
                interest = since - dt.timedelta(days=self.r.randint(30, 300))
                add("ad1", CHILD=child, DOB=dob, DATE_INT=interest,
                    DATE_MATCH=last["DEC"] if adopted and self.chance(0.2) else
                    self.day_between(interest, since), FOSTER_CARE=self.pick("BOOL"),
                    NB_ADOPTR=self.r.choice(["1", "2"]), SEX_ADOPTR=self.pick("SEX_ADOPTR"),
                    LS_ADOPTR=self.pick("LS_ADOPTR"))
        if any(ep["RNE"] == "S" and ep["DECOM"] >= self.start for ep in chain) \
                and self.chance(0.7):
            perm = self.pick("PREV_PERM")
            add("prev_perm", CHILD=child, DOB=dob, PREV_PERM=perm,
                LA_PERM=None if perm == "Z1" else self.r.choice(["800", "889", "WAL", "SCO", "999"]),
                DATE_PERM=None if perm == "Z1" else self.day_between(dob, first))
        if last.get("DEC") == years(dob, 18) and self.chance(0.7):  # missing when 18
            add("missing", CHILD=child, DOB=dob, MISSING="M",
                MIS_START=last["DEC"] - dt.timedelta(days=5), MIS_END=last["DEC"])
        for _ in range(self.r.choice([0, 0, 0, 1, 2])):
            begin = self.day_between(max(first, self.start), self.end)
            add("missing", CHILD=child, DOB=dob, MISSING=self.pick("MISSING"), MIS_START=begin,
                MIS_END=None if self.chance(0.2) else begin + dt.timedelta(days=self.r.randint(0, 9)))
        begin = max(first, self.start)
        for i in range(self.r.choice([1, 1, 2])):
            finish = self.day_between(begin, self.end) if i == 0 and self.chance(0.4) else None
            add("sw_episodes", CHILD=child, DOB=dob, SW_ID="SW%06d" % self.r.randint(1, 999999),
                SW_DECOM=begin, SW_DEC=finish,
                SW_REASON=self.pick("SW_REASON") if finish else None)
            if not finish:
                break
            begin = finish


def scenarios(gen, this, previous):
    """A few children written out by hand, for faults the random ones seldom make. Their own
    numbers (X...) and their place at the end of each table leave the other rows as they are."""
    on = gen.on
    def child(n, dob, sex="F", mother=None, mc_dob=None, decom=on(-2, 1, 10)):
        name = "X%05d" % n
        header = dict(CHILD=name, SEX=sex, DOB=dob, ETHNIC="WBRI", UPN="UN1", MOTHER=mother,
                      MC_DOB=mc_dob)
        this.add("header", **header)
        this.add("episodes", CHILD=name, DECOM=decom, RNE="S", LS="C2", CIN="N1", PLACE="U1",
                 PLACE_PROVIDER="PR1", HOME_POST="ZZ1 1ZZ", PL_POST="ZZ2 2ZZ", URN="XXXXXXX")
        return name, header
    # 547: health promotion information with the teeth check left blank.
    name, _ = child(1, on(-4, 5, 1))
    this.add("oc2", CHILD=name, DOB=on(-4, 5, 1), HEALTH_CHECK="1", IMMUNISATIONS="1",
             TEETH_CHECK=None, HEALTH_ASSESSMENT="1", SUBSTANCE_MISUSE="0")
    # 563: a decision that ceased, without the date it was made.
    name, _ = child(2, on(-7, 3, 1))
    this.add("placed_adoption", CHILD=name, DOB=on(-7, 3, 1), DATE_PLACED=None,
             DATE_PLACED_CEASED=on(-1, 6, 1), REASON_PLACED_CEASED="RD1")
    # 586: a period missing that starts before the child's birth.
    name, _ = child(3, on(-1, 5, 1), decom=on(-1, 5, 2))
    this.add("missing", CHILD=name, DOB=on(-1, 5, 1), MISSING="A",
             MIS_START=on(-1, 4, 20), MIS_END=on(-1, 4, 21))
    # 624: a mother whose first child's date of birth is not last year's.
    name, header = child(4, on(-18, 2, 1), mother="1", mc_dob=on(-2, 7, 1))
    previous.add("header", **dict(header, MC_DOB=on(-2, 6, 1)))
    previous.add("episodes", CHILD=name, DECOM=on(-2, 1, 10), RNE="S", LS="C2",
                 CIN="N1", PLACE="U1", PLACE_PROVIDER="PR1", HOME_POST="ZZ1 1ZZ",
                 PL_POST="ZZ2 2ZZ", URN="XXXXXXX")


def stage2(gen, r, children):
    """Social worker episodes alone, free of the faults stage-1 rules report (so that norm runs
    its stage-2 rules on them) and sown with the faults stage-2 rules look for: episodes that
    start after the year, end long before it, end the day they start or before, leave gaps,
    overlap, or leave an earlier episode open."""
    on = gen.on
    rows = Return(gen.end.year)
    for n in range(1, children + 1):
        child, dob = "S%06d" % n, on(-14, 1, 1) + dt.timedelta(days=r.randint(0, 3000))
        start = on(-2, 1, 1) + dt.timedelta(days=r.randint(0, 700))
        for i in range(r.choice([1, 2, 2, 3])):
            fault = r.random()
            length = r.randint(1, 200) if fault > 0.1 else r.choice([0, 1, 2, -3])
            end = start + dt.timedelta(days=length)
            if end > gen.end and fault > 0.05:
                end = None
            reason = "FCONTA" if i == 0 else r.choice(CODES["SW_REASON"])
            rows.add("sw_episodes", CHILD=child, DOB=dob, SW_ID="SW%06d" % r.randint(1, 999999),
                     SW_DECOM=start, SW_DEC=end if r.random() > 0.05 else None, SW_REASON=reason)
            if end is None:
                break
            # The next starts after this one started: two on one day repeat the primary key.
            start = max(start + dt.timedelta(days=1),
                        end + dt.timedelta(days=r.choice([0, 0, 0, 1, -2, 5, 9, -12, 40])))
    return rows


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--year", type=int, required=True,
                        help="the collection year, by the year it ends in (2027 is 2026-27)")
    parser.add_argument("--children", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=903)
    parser.add_argument("--fault-rate", type=float, default=0.04)
    args = parser.parse_args()
    gen = Generator(args.seed, args.fault_rate, args.year)
    this, previous = Return(args.year), Return(args.year - 1)
    for n in range(1, args.children + 1):
        gen.child(n, this, previous)
    for n in range(args.children + 1, args.children + args.children // 20 + 1):
        gen.outside_care(n, this)
    scenarios(gen, this, previous)
    this.write(args.out / "this")
    previous.write(args.out / "previous")
    stage2(gen, random.Random(args.seed + 2), args.children // 2).write(
        args.out / "stage2" / "this", tables=["sw_episodes"])


if __name__ == "__main__":
    main()
