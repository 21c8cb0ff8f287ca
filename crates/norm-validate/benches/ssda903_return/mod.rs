//! A synthetic SSDA903 return for 2025-26, over every table the rules read, with last year's
//! return beside it: what a local authority would send, so that the bench measures checking a
//! return rather than reporting findings. The children follow the rules (a chain of episodes
//! that continue one another, placements with the provider, URN and postcodes they call for,
//! the other tables where the episodes call for them); a few children carry one seeded fault
//! each. No real personal data: identifiers, dates and postcodes are invented.
//!
//! Ported from `.ci/conformance/generate.py` (which sows faults of every kind on purpose, for
//! the conformance run), keeping its shape of a return and leaving its faults out. OC3 is written
//! with its header only: care leavers that pass its rules are not generated yet.

use std::path::Path;

use norm_model::dates::{civil_from_days, days_from_civil};

mod tables;

use tables::{Cell, Random};
use tables::{Row, Tables};

macro_rules! row {
    ($($column:ident = $value:expr),* $(,)?) => {
        vec![$((stringify!($column), Cell::from($value))),*]
    };
}

/// The rows written for a return, this year's and last year's.
pub struct Written {
    pub this: usize,
    pub previous: usize,
}

/// Writes this year's return for `children` children into `dir/this` and last year's into
/// `dir/previous`, one `<table>.csv` each, seeding a fault into one child in every
/// `fault_every` (none when 0).
pub fn generate(dir: &Path, children: usize, fault_every: usize) -> Written {
    let mut this = Tables::create(&dir.join("this"));
    let mut previous = Tables::create(&dir.join("previous"));
    let mut random = Random::new(0x9e37_79b9_7f4a_7c15);
    for n in 1..=children {
        let fault = (fault_every > 0 && n % fault_every == 0).then_some(n / fault_every);
        Child::new(&mut random, n).write(&mut random, &mut this, &mut previous, fault);
    }
    Written {
        this: this.finish(),
        previous: previous.finish(),
    }
}

/// The first and last days of the collection year 2025-26.
fn start() -> i64 {
    days_from_civil(2025, 4, 1)
}

fn end() -> i64 {
    days_from_civil(2026, 3, 31)
}

/// The day `n` years after `day` (28 February for a 29th).
fn years(day: i64, n: i64) -> i64 {
    let (y, m, d) = civil_from_days(day);
    let d = if m == 2 && d == 29 { 28 } else { d };
    days_from_civil(y + n, m, d)
}

fn age(dob: i64, on: i64) -> i64 {
    let (by, bm, bd) = civil_from_days(dob);
    let (y, m, d) = civil_from_days(on);
    y - by - i64::from((m, d) < (bm, bd))
}

/// One episode of care.
#[derive(Clone)]
struct Episode {
    decom: i64,
    rne: &'static str,
    ls: &'static str,
    cin: &'static str,
    place: &'static str,
    provider: Option<&'static str>,
    dec: Option<i64>,
    rec: Option<&'static str>,
    reason: Option<&'static str>,
    home_post: String,
    pl_post: String,
    urn: &'static str,
}

/// Placements that need no more than a provider and a postcode: foster placements (whose URN
/// is the regional adoption agency's placeholder) and children's homes (with an Ofsted URN).
const PLACES: [&str; 7] = ["U1", "U2", "U3", "U4", "U5", "U6", "K2"];
const PROVIDERS: [&str; 3] = ["PR1", "PR2", "PR4"];
const LEGAL: [&str; 3] = ["C1", "C2", "C2"];
const NEED: [&str; 8] = ["N1", "N2", "N3", "N4", "N5", "N6", "N7", "N8"];
const ETHNIC: [&str; 15] = [
    "WBRI", "WIRI", "WOTH", "WROM", "MWBC", "MWBA", "MOTH", "AIND", "APKN", "BCRB", "BAFR", "CHNE",
    "OOTH", "REFU", "NOBT",
];
const ENDINGS: [&str; 4] = ["E4A", "E13", "E41", "E48"];
const CHANGE: [&str; 6] = ["CARPL", "CLOSE", "STAND", "CREQB", "CREQO", "LAREQ"];
const REVIEW: [&str; 7] = ["PN1", "PN2", "PN3", "PN4", "PN5", "PN6", "PN7"];
const SW_REASON: [&str; 5] = ["MANAGE", "LEFTRL", "ORGRST", "CHCHAN", "OTHERS"];

/// A child and its chain of episodes.
struct Child {
    id: String,
    sex: &'static str,
    dob: i64,
    chain: Vec<Episode>,
    /// The day the LA decided that the child should be placed for adoption.
    decision: Option<i64>,
}

impl Child {
    fn new(r: &mut Random, n: usize) -> Child {
        let dob = r.between(days_from_civil(2008, 6, 1), days_from_civil(2024, 9, 1));
        let first = r.between(dob.max(start() - 900), end() - 30);
        let count = [1, 1, 2, 2, 3, 4][r.below(6)];
        let mut starts = vec![first];
        for _ in 1..count {
            let last = *starts.last().unwrap();
            if last + 14 >= end() {
                break;
            }
            starts.push(r.between(last + 14, end()));
        }
        // A few young children are placed for adoption in the year, under a placement order
        // from the start (the legal status of a chain of placement changes stays the same).
        let adopting = starts.len() >= 2
            && starts
                .last()
                .is_some_and(|&d| d >= start() + 30 && d + 30 < end())
            && age(dob, end()) < 8
            && r.chance(10);
        let ls = if adopting { "E1" } else { r.pick(&LEGAL) };
        let cin = r.pick(&NEED);
        let mut chain: Vec<Episode> = Vec::new();
        for (i, &decom) in starts.iter().enumerate() {
            // A new placement differs from the last one.
            let place = loop {
                if adopting && i + 1 == starts.len() {
                    break "A4";
                }
                // Foster care comes before a placement for adoption (336).
                let place = match adopting {
                    true => r.pick(&PLACES[..6]),
                    false => r.pick(&PLACES),
                };
                if chain.last().is_none_or(|e| e.place != place) {
                    break place;
                }
            };
            // The child's home and the placement are never at one postcode (392d).
            let home = 1 + r.below(9);
            let placed = 1 + (home + r.below(8)) % 9;
            chain.push(Episode {
                decom,
                rne: if i == 0 { "S" } else { "P" },
                ls,
                cin,
                place,
                provider: Some(r.pick(&PROVIDERS)),
                dec: starts.get(i + 1).copied(),
                rec: starts.get(i + 1).map(|_| "X1"),
                reason: starts.get(i + 1).map(|_| r.pick(&CHANGE)),
                home_post: format!("ZZ{home} {}ZZ", 1 + r.below(9)),
                pl_post: format!("ZZ{placed} {}ZZ", 1 + r.below(9)),
                urn: if place == "K2" { "SC123456" } else { "XXXXXXX" },
            });
        }
        // The decision to place for adoption is made with the placement order, on the day
        // care began (552, 554).
        let decision = adopting.then_some(chain[0].decom);
        let last = chain.last_mut().unwrap();
        if adopting && r.chance(50) {
            last.dec = Some(r.between(last.decom + 30, end()));
            last.rec = Some("E11");
        } else if !adopting && r.chance(40) && last.decom < end() {
            // An episode lasts a day at least (355).
            last.dec = Some(r.between((last.decom + 1).max(start()), end()));
            last.rec = Some(r.pick(&ENDINGS));
        }
        Child {
            id: format!("C{n:07}"),
            sex: r.pick(&["M", "F"]),
            dob,
            chain,
            decision,
        }
    }

    fn header(&self, r: &mut Random) -> Row {
        let mother = (self.sex == "F").then_some("0");
        row!(
            CHILD = self.id.as_str(),
            SEX = self.sex,
            DOB = self.dob,
            ETHNIC = r.pick(&ETHNIC),
            UPN = format!("A{:012}", r.below(1_000_000_000_000)),
            MOTHER = mother,
        )
    }

    fn episode(&self, e: &Episode) -> Row {
        row!(
            CHILD = self.id.as_str(),
            DECOM = e.decom,
            RNE = e.rne,
            LS = e.ls,
            CIN = e.cin,
            PLACE = e.place,
            PLACE_PROVIDER = e.provider,
            DEC = e.dec,
            REC = e.rec,
            REASON_PLACE_CHANGE = e.reason,
            HOME_POST = e.home_post.as_str(),
            PL_POST = e.pl_post.as_str(),
            URN = e.urn,
        )
    }

    /// Writes the child's rows, this year's and last year's, with the seeded fault `fault`.
    fn write(
        &self,
        r: &mut Random,
        this: &mut Tables,
        previous: &mut Tables,
        fault: Option<usize>,
    ) {
        let header = self.header(r);
        let mut rows: Vec<(&str, Row)> = vec![("header", header.clone())];
        // This year's return holds the episodes open on 1 April or starting after it.
        rows.extend(
            self.chain
                .iter()
                .filter(|e| e.dec.is_none_or(|d| d >= start()))
                .map(|e| ("episodes", self.episode(e))),
        );
        self.others(r, &mut rows);
        if let Some(fault) = fault {
            seed_fault(fault, &mut rows);
        }
        for (table, row) in &rows {
            this.add(table, row.clone());
        }
        // Last year's return: the episodes that had started by its end, the last one open.
        let mut before: Vec<Episode> = self
            .chain
            .iter()
            .filter(|e| e.decom < start())
            .cloned()
            .collect();
        if let Some(last) = before.last_mut() {
            if last.dec.is_none_or(|d| d >= start()) {
                last.dec = None;
                last.rec = None;
                last.reason = None;
            }
            previous.add("header", header);
            // A UASC child was one last year too, with the same date its status ceases; a
            // decision to place for adoption made before this year was in last year's return
            // (559).
            for table in ["uasc", "placed_adoption"] {
                if let Some((_, row)) = rows.iter().find(|(t, _)| *t == table) {
                    previous.add(table, row.clone());
                }
            }
            for e in &before {
                previous.add("episodes", self.episode(e));
            }
        }
    }

    /// The child's rows in the other tables, where the episodes call for them.
    fn others(&self, r: &mut Random, rows: &mut Vec<(&str, Row)>) {
        let id = self.id.as_str();
        let first = self.chain[0].decom;
        let last = self.chain.last().unwrap();
        let in_year_from = first.max(start());
        let until = last.dec.unwrap_or(end()).min(end());
        // Reviews after the fourth birthday (441), at most one a day (the primary key).
        for _ in 0..r.below(3) {
            let review = r.between(in_year_from, until);
            let taken = rows.iter().any(|(_, row)| has(row, "REVIEW", review));
            if age(self.dob, review) >= 4 && !taken {
                rows.push((
                    "reviews",
                    row!(
                        CHILD = id,
                        DOB = self.dob,
                        REVIEW = review,
                        REVIEW_CODE = r.pick(&REVIEW)
                    ),
                ));
            }
        }
        let age_now = age(self.dob, end());
        // UASC children are 11 or older (231); their status ceases on the 18th birthday (304,
        // 205B).
        if (11..=17).contains(&age_now) && r.chance(6) {
            rows.push((
                "uasc",
                row!(
                    CHILD = id,
                    SEX = self.sex,
                    DOB = self.dob,
                    DUC = years(self.dob, 18)
                ),
            ));
        }
        if first <= start() - 365 && last.dec.is_none() {
            let sdq = (4..=16).contains(&age_now).then(|| r.below(41).to_string());
            rows.push((
                "oc2",
                row!(
                    CHILD = id,
                    DOB = self.dob,
                    SDQ_SCORE = sdq.clone(),
                    SDQ_REASON = (sdq.is_none() && age_now >= 4).then_some("SDQ1"),
                    CONVICTED = (age_now >= 10).then_some("0"),
                    // Health promotion is recorded for the under-fives only (546).
                    HEALTH_CHECK = (age_now < 5).then_some("1"),
                    IMMUNISATIONS = "1",
                    TEETH_CHECK = "1",
                    HEALTH_ASSESSMENT = "1",
                    SUBSTANCE_MISUSE = "0",
                    INTERVENTION_RECEIVED = None::<&str>,
                    INTERVENTION_OFFERED = None::<&str>,
                ),
            ));
        }
        if let Some(decision) = self.decision {
            rows.push((
                "placed_adoption",
                row!(CHILD = id, DOB = self.dob, DATE_PLACED = decision),
            ));
            // An adoption in the year has its AD1, the interest decided with the placement
            // (523) and the match after it (333).
            if last.rec == Some("E11") {
                rows.push((
                    "ad1",
                    row!(
                        CHILD = id,
                        DOB = self.dob,
                        DATE_INT = decision,
                        DATE_MATCH = r.between(decision, last.decom),
                        FOSTER_CARE = "0",
                        NB_ADOPTR = "2",
                        SEX_ADOPTR = "MF",
                        LS_ADOPTR = "L3",
                    ),
                ));
            }
        }
        // A child starting care in the year has its previous permanence recorded (630).
        if self.chain[0].decom >= start() {
            let perm = r.pick(&["Z1", "Z1", "Z1", "P1"]);
            let (la, date) = match perm {
                "P1" => (Some("800"), Some(r.between(self.dob, first - 1))),
                _ => (None, None),
            };
            rows.push((
                "prev_perm",
                row!(
                    CHILD = id,
                    DOB = self.dob,
                    PREV_PERM = perm,
                    LA_PERM = la,
                    DATE_PERM = date,
                ),
            ));
        }
        // Periods missing follow one another, never overlapping (574).
        let mut free = in_year_from;
        for _ in 0..[0, 0, 0, 1, 2][r.below(5)] {
            let begin = r.between(free, until);
            let finish = (begin + r.below(10) as i64).min(until);
            free = finish + 1;
            if begin >= self.dob && begin < until {
                rows.push((
                    "missing",
                    row!(
                        CHILD = id,
                        DOB = self.dob,
                        MISSING = r.pick(&["M", "A"]),
                        MIS_START = begin,
                        MIS_END = finish,
                    ),
                ));
            }
        }
        let mut begin = in_year_from;
        // Social worker episodes last three days at least (SW09), and the latest is open at
        // the end of the year (SW17).
        for i in 0..2 {
            let finish =
                (i == 0 && r.chance(40) && begin + 30 < until).then(|| r.between(begin + 3, until));
            rows.push((
                "sw_episodes",
                row!(
                    CHILD = id,
                    DOB = self.dob,
                    SW_ID = format!("SW{:06}", 1 + r.below(999_999)),
                    SW_DECOM = begin,
                    SW_DEC = finish,
                    SW_REASON = r.pick(&SW_REASON),
                ),
            ));
            match finish {
                Some(day) => begin = day,
                None => break,
            }
        }
    }
}

fn has(row: &Row, column: &str, day: i64) -> bool {
    row.iter()
        .any(|(c, v)| *c == column && *v == Cell::Day(day))
}

/// Seeds one fault of a few kinds into a child's rows: a sex that is no code, an episode
/// without a legal status, a review without its participation code.
fn seed_fault(fault: usize, rows: &mut [(&str, Row)]) {
    let (table, column, value): (&str, &str, Cell) = match fault % 3 {
        0 => ("header", "SEX", "X".into()),
        1 => ("episodes", "LS", Cell::Empty),
        _ => ("header", "ETHNIC", "ZZZZ".into()),
    };
    if let Some((_, row)) = rows.iter_mut().find(|(t, _)| *t == table)
        && let Some((_, cell)) = row.iter_mut().find(|(c, _)| *c == column)
    {
        *cell = value;
    }
}
