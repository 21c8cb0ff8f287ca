//! The SSD's CSV specification (`docs/admin/data_objects_specification.csv`): one row per
//! field, adding what the YAML leaves out: the largest size of a text field and the per-return
//! crosswalks (`cin_census_ref`, `ssda903_ref`, `sen2_ref`).

use std::collections::HashMap;
use std::path::Path;

use norm_model::Field;
use norm_model::model::{Constraints, Mapping, Relation};
use norm_model::yaml::Node;

use super::{Tally, is_text};
use crate::source::{Reading, error};
use crate::{ImportError, Place, Target};

/// The crosswalk columns: the column, the standard (and consumer) id it maps to, and the prefix
/// of an external mapping when that standard is not in the target repository.
const CROSSWALKS: &[(&str, &str, &str)] = &[
    ("cin_census_ref", "cin-census", "CIN census"),
    ("ssda903_ref", "ssda903", "SSDA903"),
    ("sen2_ref", "sen2", "SEN2"),
];

/// What the specification says of one field.
#[derive(Debug, Default)]
struct Row {
    max_size: Option<u64>,
    crosswalks: Vec<(usize, String)>,
}

/// The specification, by table and field name as written.
#[derive(Debug, Default)]
pub(super) struct Spec {
    rows: HashMap<(String, String), Row>,
}

/// Whether a return's spelling of an item (`LAchildID`, `CPPstartDate`) and a column or field
/// name (`la_child_id`) are the same item: their letters and digits agree, ignoring case. The
/// returns capitalise runs of letters their own way, so no snake-casing rule gives our names.
fn same_item(a: &str, b: &str) -> bool {
    let key = |s: &str| {
        s.chars()
            .filter(char::is_ascii_alphanumeric)
            .map(|c| c.to_ascii_lowercase())
            .collect::<String>()
    };
    key(a) == key(b)
}

/// A cell that says nothing: empty, a non-breaking space, `NULL` or `0`.
fn blank(cell: &str) -> bool {
    let cell = cell.trim_matches(|c: char| c.is_whitespace());
    cell.is_empty() || cell.eq_ignore_ascii_case("null") || cell == "0"
}

impl Spec {
    /// Parses the CSV text of `path`. A row that does not parse, or a header without
    /// `object_name` and `field_name`, is an error at its line.
    pub(super) fn parse(path: &Path, text: &str) -> Result<Spec, ImportError> {
        let mut reader = csv::ReaderBuilder::new()
            .flexible(true)
            .from_reader(text.as_bytes());
        let at_line = |line: u64| Place::Line {
            file: path.into(),
            line: line as usize,
            column: None,
        };
        let headers = reader
            .headers()
            .map_err(|e| error(at_line(1), format!("the CSV header does not parse: {e}")))?
            .clone();
        let column = |name: &str| headers.iter().position(|h| h.trim() == name);
        let (Some(table), Some(field)) = (column("object_name"), column("field_name")) else {
            return Err(error(
                at_line(1),
                "the specification needs `object_name` and `field_name` columns".into(),
            ));
        };
        let size = column("max_field_size");
        let walks: Vec<(usize, usize)> = CROSSWALKS
            .iter()
            .enumerate()
            .filter_map(|(i, (name, _, _))| column(name).map(|c| (i, c)))
            .collect();
        let mut spec = Spec::default();
        for record in reader.records() {
            let record = record.map_err(|e| {
                let line = e.position().map_or(1, csv::Position::line);
                error(at_line(line), format!("this CSV row does not parse: {e}"))
            })?;
            let cell = |i: usize| record.get(i).unwrap_or_default().trim();
            let row = Row {
                max_size: size.and_then(|s| cell(s).parse().ok()),
                crosswalks: walks
                    .iter()
                    .filter(|(_, c)| !blank(cell(*c)))
                    .map(|(i, c)| (*i, cell(*c).to_owned()))
                    .collect(),
            };
            spec.rows
                .insert((cell(table).to_owned(), cell(field).to_owned()), row);
        }
        Ok(spec)
    }

    /// Adds the specification's length and crosswalks of `table.field` to `target_field`.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn apply(
        &self,
        table: &str,
        field: &str,
        target_field: &mut Field,
        target: &Target<'_>,
        reading: &Reading,
        tally: &mut Tally,
        node: &Node,
    ) {
        let Some(row) = self.rows.get(&(table.to_owned(), field.to_owned())) else {
            return;
        };
        if let Some(size) = row.max_size.filter(|_| is_text(target_field)) {
            target_field
                .constraints
                .get_or_insert_with(Constraints::default)
                .max_length = Some(size);
        }
        for (index, value) in &row.crosswalks {
            let (_, standard, prefix) = CROSSWALKS[*index];
            let to = target.catalog.standards.get(standard).and_then(|s| {
                s.entities.iter().find_map(|e| {
                    e.value
                        .fields
                        .iter()
                        .find(|f| {
                            f.column.as_deref().is_some_and(|c| same_item(c, value))
                                || same_item(&f.name, value)
                        })
                        .map(|f| format!("{standard}/{}.{}", e.value.name, f.name))
                })
            });
            if to.is_none() {
                tally.add(
                    reading,
                    node,
                    "crosswalk-external",
                    &format!("{prefix} crosswalks name no field of a `{standard}` standard here: kept as external mappings"),
                );
            }
            target_field.mappings.push(Mapping {
                external: to.is_none().then(|| format!("{prefix} {value}")),
                to,
                relation: Relation::Exact,
            });
        }
    }
}
