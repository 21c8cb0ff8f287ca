//! The generator's means: a deterministic random source, the return's tables and their
//! columns, and the CSV writer of one year's return.

use std::fs::File;
use std::io::{BufWriter, Write as _};
use std::path::Path;

use norm_model::dates::civil_from_days;

/// A small deterministic generator (xorshift), so every run validates the same files.
pub struct Random(u64);

impl Random {
    pub fn new(seed: u64) -> Random {
        Random(seed | 1)
    }

    pub fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n as u64) as usize
    }

    /// True with probability `percent` / 100.
    pub fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }

    pub fn pick<'a>(&mut self, from: &[&'a str]) -> &'a str {
        from[self.below(from.len())]
    }

    /// A day from `a` to `b`, both included (`a` when `b` is before it).
    pub fn between(&mut self, a: i64, b: i64) -> i64 {
        a + self.below((b - a).max(0) as usize + 1) as i64
    }
}

/// The tables of the return, in the entity's field order, with the columns the standard
/// names them by.
pub const TABLES: [(&str, &[&str]); 11] = [
    (
        "header",
        &["CHILD", "SEX", "DOB", "ETHNIC", "UPN", "MOTHER", "MC_DOB"],
    ),
    (
        "episodes",
        &[
            "CHILD",
            "DECOM",
            "RNE",
            "LS",
            "CIN",
            "PLACE",
            "PLACE_PROVIDER",
            "DEC",
            "REC",
            "REASON_PLACE_CHANGE",
            "HOME_POST",
            "PL_POST",
            "URN",
        ],
    ),
    ("reviews", &["CHILD", "DOB", "REVIEW", "REVIEW_CODE"]),
    ("uasc", &["CHILD", "SEX", "DOB", "DUC"]),
    (
        "oc2",
        &[
            "CHILD",
            "DOB",
            "SDQ_SCORE",
            "SDQ_REASON",
            "CONVICTED",
            "HEALTH_CHECK",
            "IMMUNISATIONS",
            "TEETH_CHECK",
            "HEALTH_ASSESSMENT",
            "SUBSTANCE_MISUSE",
            "INTERVENTION_RECEIVED",
            "INTERVENTION_OFFERED",
        ],
    ),
    ("oc3", &["CHILD", "DOB", "IN_TOUCH", "ACTIV", "ACCOM"]),
    (
        "ad1",
        &[
            "CHILD",
            "DOB",
            "DATE_INT",
            "DATE_MATCH",
            "FOSTER_CARE",
            "NB_ADOPTR",
            "SEX_ADOPTR",
            "LS_ADOPTR",
        ],
    ),
    (
        "placed_adoption",
        &[
            "CHILD",
            "DOB",
            "DATE_PLACED",
            "DATE_PLACED_CEASED",
            "REASON_PLACED_CEASED",
        ],
    ),
    (
        "prev_perm",
        &["CHILD", "DOB", "PREV_PERM", "LA_PERM", "DATE_PERM"],
    ),
    (
        "missing",
        &["CHILD", "DOB", "MISSING", "MIS_START", "MIS_END"],
    ),
    (
        "sw_episodes",
        &["CHILD", "DOB", "SW_ID", "SW_DECOM", "SW_DEC", "SW_REASON"],
    ),
];

pub fn index(table: &str) -> usize {
    TABLES
        .iter()
        .position(|(t, _)| *t == table)
        .unwrap_or_else(|| panic!("no table {table}"))
}

/// A cell: text, a day, or empty.
#[derive(Clone, Debug, PartialEq)]
pub enum Cell {
    Empty,
    Text(String),
    Day(i64),
}

impl From<&str> for Cell {
    fn from(text: &str) -> Cell {
        Cell::Text(text.to_owned())
    }
}

impl From<String> for Cell {
    fn from(text: String) -> Cell {
        Cell::Text(text)
    }
}

impl From<i64> for Cell {
    fn from(day: i64) -> Cell {
        Cell::Day(day)
    }
}

impl<T: Into<Cell>> From<Option<T>> for Cell {
    fn from(value: Option<T>) -> Cell {
        value.map_or(Cell::Empty, Into::into)
    }
}

/// One row of a table, by column.
pub type Row = Vec<(&'static str, Cell)>;

/// The rows of one year's return, streamed to one CSV file a table.
pub struct Tables {
    files: Vec<BufWriter<File>>,
    rows: Vec<usize>,
}

impl Tables {
    pub fn create(dir: &Path) -> Tables {
        std::fs::create_dir_all(dir).unwrap();
        let files = TABLES
            .iter()
            .map(|(table, columns)| {
                let mut file =
                    BufWriter::new(File::create(dir.join(format!("{table}.csv"))).unwrap());
                writeln!(file, "{}", columns.join(",")).unwrap();
                file
            })
            .collect();
        Tables {
            files,
            rows: vec![0; TABLES.len()],
        }
    }

    pub fn add(&mut self, table: &str, row: Row) {
        let at = index(table);
        let columns = TABLES[at].1;
        let file = &mut self.files[at];
        for (i, column) in columns.iter().enumerate() {
            if i > 0 {
                file.write_all(b",").unwrap();
            }
            match row.iter().find(|(c, _)| c == column).map(|(_, v)| v) {
                None | Some(Cell::Empty) => {}
                Some(Cell::Text(text)) => file.write_all(text.as_bytes()).unwrap(),
                Some(Cell::Day(day)) => {
                    let (y, m, d) = civil_from_days(*day);
                    write!(file, "{d:02}/{m:02}/{y:04}").unwrap();
                }
            }
        }
        file.write_all(b"\n").unwrap();
        self.rows[at] += 1;
    }

    pub fn finish(self) -> usize {
        for mut file in self.files {
            file.flush().unwrap();
        }
        self.rows.iter().sum()
    }
}
