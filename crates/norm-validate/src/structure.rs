//! The structure pass: every check that comes from the model itself, in one streaming pass
//! over each table. It holds no table in memory (only the key sets that `unique`, primary keys
//! and references need) and knows nothing of SQL: typed rows go to a [`RowSink`], which the
//! rules engine fills its tables from, so this module could run on its own (in WebAssembly,
//! say) to check structure alone.

use std::collections::HashSet;

use csv::StringRecord;
use norm_model::FieldType;
use norm_model::model::ITEM_SEPARATOR;

use crate::ValidateError;
use crate::dates;
use crate::keys::{Fingerprint, Fingerprints, Keys};
use crate::plan::{FieldPlan, Plan, Value};
use crate::report::{Issue, IssueKind, IssueSeverity};
use crate::source::Table;

/// Where the typed rows of a table go.
pub trait RowSink {
    /// Takes data row `row` (1-based) read from physical line `line`, one value per field of
    /// the entity, in field order.
    fn row(&mut self, row: u64, line: u64, values: &[Value]) -> Result<(), ValidateError>;
}

/// A sink that keeps nothing: for checking structure alone.
pub struct Discard;

impl RowSink for Discard {
    fn row(&mut self, _: u64, _: u64, _: &[Value]) -> Result<(), ValidateError> {
        Ok(())
    }
}

/// A reference that could not be checked yet, its target table not yet read.
struct Deferred {
    /// Index into [`Pass::targets`].
    target: usize,
    value: Fingerprint,
    issue: Issue,
}

/// Rows read before the key sets are sized from the table's estimated rows.
const SAMPLE_ROWS: u64 = 64;

/// The state of the pass over all tables of one validation.
pub(crate) struct Pass {
    /// The values of every referenced field, with its (entity, field).
    targets: Vec<((String, String), Fingerprints<()>)>,
    /// Entities whose table has been read to the end.
    done: HashSet<String>,
    deferred: Vec<Deferred>,
    /// What the pass found.
    pub issues: Vec<Issue>,
}

impl Pass {
    /// A pass over tables with these plans: the referenced fields are collected as read.
    pub fn new<'p>(plans: impl IntoIterator<Item = &'p Plan>) -> Pass {
        let mut targets: Vec<((String, String), Fingerprints<()>)> = Vec::new();
        for (_, entity, field) in plans.into_iter().flat_map(|p| p.references.iter()) {
            let key = (entity.clone(), field.clone());
            if !targets.iter().any(|(k, _)| *k == key) {
                targets.push((key, Fingerprints::new()));
            }
        }
        Pass {
            targets,
            done: HashSet::new(),
            deferred: Vec::new(),
            issues: Vec::new(),
        }
    }

    /// Reads `table` to the end, checking each row against `plan` and handing its typed values
    /// to `sink`. Returns the number of data rows.
    pub fn table(
        &mut self,
        table: &mut Table,
        plan: &Plan,
        supplied: &HashSet<String>,
        sink: &mut dyn RowSink,
    ) -> Result<u64, ValidateError> {
        self.issues.extend(plan.column_issues.iter().cloned());
        let mut keys = Keys::new(plan);
        let mut record = StringRecord::new();
        let mut values: Vec<Value> = vec![Value::Null; plan.fields.len()];
        // Key text is built here, one buffer for the whole table.
        let mut key = String::new();
        let mut row = 0_u64;
        let width = table.headers.len();
        let target = |entity: &str, field: &str| {
            self.targets
                .iter()
                .position(|((e, f), _)| e == entity && f == field)
        };
        // The references to check, each with the index of its target's values; a reference to
        // an entity no file holds is not checked (it is reported as skipped).
        let checked: Vec<(usize, usize)> = plan
            .references
            .iter()
            .filter(|(_, entity, _)| supplied.contains(entity))
            .filter_map(|(field, entity, to)| Some((*field, target(entity, to)?)))
            .collect();
        let own_targets: Vec<(usize, usize)> = plan
            .fields
            .iter()
            .enumerate()
            .filter_map(|(i, f)| Some((i, target(&plan.entity, &f.name)?)))
            .collect();
        while let Some(line) = table.next(&mut record)? {
            row += 1;
            if row == SAMPLE_ROWS {
                // Sized once for the whole table: growing a table of a million keys step by
                // step copied it over and over, and had the kernel zero twice its pages.
                let rows = usize::try_from(table.estimated_rows(row)).unwrap_or(usize::MAX);
                keys.reserve(rows);
                for &(_, target) in &own_targets {
                    self.targets[target].1.reserve(rows);
                }
            }
            let at = Row {
                plan,
                table,
                row,
                line,
                record: &record,
            };
            if record.len() != width && !(record.len() == 1 && record.get(0) == Some("")) {
                let (rule, more) = if record.len() < width {
                    ("missing-column", "fewer")
                } else {
                    ("unknown-column", "more")
                };
                self.issues.push(at.issue(
                    rule,
                    IssueSeverity::Error,
                    &[],
                    format!(
                        "the row has {} cells, {more} than the {width} columns of the header",
                        record.len()
                    ),
                ));
            }
            for (i, field) in plan.fields.iter().enumerate() {
                at.field(i, field, &mut values[i], &mut self.issues);
            }
            keys.check(&at, &values, &mut key, &mut self.issues);
            for &(field, target) in &checked {
                key.clear();
                if !values[field].write_key(&mut key) {
                    continue;
                }
                // Each item of a list refers on its own.
                if plan.fields[field].multiple {
                    for (n, item) in (1..).zip(key.split(ITEM_SEPARATOR)) {
                        self.reference(&at, field, target, item, Some(n));
                    }
                } else {
                    self.reference(&at, field, target, &key, None);
                }
            }
            for &(i, target) in &own_targets {
                key.clear();
                if values[i].write_key(&mut key) {
                    self.targets[target].1.insert(Fingerprint::of(&key), ());
                }
            }
            sink.row(row, line, &values)?;
        }
        self.done.insert(plan.entity.clone());
        Ok(row)
    }

    /// Checks that `value` (item `item` of field `field` of the row `at`) is a value of the
    /// referenced field `target`, now or, when its table is still to be read, at the end.
    fn reference(
        &mut self,
        at: &Row<'_>,
        field: usize,
        target: usize,
        value: &str,
        item: Option<u64>,
    ) {
        let (entity, target_field) = &self.targets[target].0;
        let fingerprint = Fingerprint::of(value);
        let done = self.done.contains(entity);
        if done && self.targets[target].1.get(fingerprint).is_some() {
            return;
        }
        let header = &at.plan.fields[field].header;
        let what = match item {
            Some(n) => format!("`{header}` item {n}"),
            None => format!("`{header}`"),
        };
        let message = format!("{what} is `{value}`, which is not a {target_field} of {entity}");
        let mut missing = at.issue("reference", IssueSeverity::Error, &[field], message);
        missing.item = item;
        if done {
            self.issues.push(missing);
        } else {
            self.deferred.push(Deferred {
                target,
                value: fingerprint,
                issue: missing,
            });
        }
    }

    /// The issues of the whole pass, the deferred references settled.
    pub fn finish(mut self) -> Vec<Issue> {
        for deferred in std::mem::take(&mut self.deferred) {
            if self.targets[deferred.target]
                .1
                .get(deferred.value)
                .is_none()
            {
                self.issues.push(deferred.issue);
            }
        }
        self.issues
    }
}

/// One row being checked, to build its issues.
pub(crate) struct Row<'a> {
    pub plan: &'a Plan,
    table: &'a Table,
    pub row: u64,
    line: u64,
    record: &'a StringRecord,
}

impl Row<'_> {
    fn text(&self, field: &FieldPlan) -> &str {
        field
            .source
            .and_then(|i| self.record.get(i))
            .map_or("", str::trim)
    }

    pub fn issue(
        &self,
        rule: &str,
        severity: IssueSeverity,
        fields: &[usize],
        message: String,
    ) -> Issue {
        let subject = self
            .plan
            .subject
            .map(|s| self.text(&self.plan.fields[s]).to_owned())
            .filter(|s| !s.is_empty());
        let cell = fields
            .first()
            .and_then(|f| self.plan.fields[*f].source)
            .and_then(|c| self.table.cell(self.line, c));
        Issue {
            kind: IssueKind::Structure,
            rule: rule.to_owned(),
            severity,
            entity: self.plan.entity.clone(),
            file: self.table.file.clone(),
            row: Some(self.row),
            line: Some(self.line),
            cell,
            item: None,
            fields: fields
                .iter()
                .map(|f| self.plan.fields[*f].name.clone())
                .collect(),
            values: fields
                .iter()
                .map(|f| {
                    let field = &self.plan.fields[*f];
                    (field.name.clone(), self.text(field).to_owned())
                })
                .collect(),
            subject,
            message,
        }
    }

    /// Sets `slot` to the typed value of field `i`, pushing its issues to `issues`.
    fn field(&self, i: usize, field: &FieldPlan, slot: &mut Value, issues: &mut Vec<Issue>) {
        let text = self.text(field);
        if text.is_empty() {
            if field.required {
                let message = match field.source {
                    Some(_) => format!("`{}` is required but empty", field.header),
                    None => format!("`{}` is required but its column is missing", field.header),
                };
                issues.push(self.issue("required", IssueSeverity::Error, &[i], message));
            }
            *slot = Value::Null;
            return;
        }
        if !field.multiple {
            if !self.value(i, field, text, None, slot, issues) {
                *slot = Value::Null;
            }
            return;
        }
        // The column holds the items' typed forms joined again, so that rules see ISO dates
        // whatever the file's format; an item that does not type leaves the cell NULL.
        let mut item = Value::Null;
        let mut joined = String::new();
        let mut typed = true;
        for (n, part) in (1..).zip(text.split(ITEM_SEPARATOR).map(str::trim)) {
            if part.is_empty() {
                let message = format!(
                    "`{}` item {n} is empty: write the items separated by `{ITEM_SEPARATOR}`, \
                     none empty",
                    field.header
                );
                let mut issue = self.issue("type", IssueSeverity::Error, &[i], message);
                issue.item = Some(n);
                issues.push(issue);
                typed = false;
                continue;
            }
            if self.value(i, field, part, Some(n), &mut item, issues) {
                if n > 1 {
                    joined.push(ITEM_SEPARATOR);
                }
                item.write_key(&mut joined);
            } else {
                typed = false;
            }
        }
        if typed {
            slot.set_text(|buffer| buffer.push_str(&joined));
        } else {
            *slot = Value::Null;
        }
    }

    /// Types one value (a cell, or item `item` of a list) into `slot` and checks its code list
    /// and constraints; `false` when it is not of the field's type.
    fn value(
        &self,
        i: usize,
        field: &FieldPlan,
        text: &str,
        item: Option<u64>,
        slot: &mut Value,
        issues: &mut Vec<Issue>,
    ) -> bool {
        // Built only for an issue: the clean path allocates nothing per cell.
        let what = || match item {
            Some(n) => format!("`{}` item {n}", field.header),
            None => format!("`{}`", field.header),
        };
        let mut push = |rule: &str, severity, message: String| {
            let mut issue = self.issue(rule, severity, &[i], message);
            issue.item = item;
            issues.push(issue);
        };
        let (format, spreadsheet) = (&self.plan.date_format, self.plan.spreadsheet);
        if let Err(expected) = typed(field.kind, text, format, spreadsheet, slot) {
            push(
                "type",
                IssueSeverity::Error,
                format!("{} is `{text}`, which is not {expected}", what()),
            );
            return false;
        }
        if let Some(codes) = &field.codes
            && !codes.contains(text)
        {
            let (severity, kind) = if codes.closed {
                (IssueSeverity::Error, "")
            } else {
                (IssueSeverity::Query, "open ")
            };
            let message = format!(
                "{} is `{text}`, which is not a code of the {kind}list {}",
                what(),
                codes.list
            );
            push("codelist", severity, message);
        }
        for broken in constraints(field, text, slot) {
            push(
                "constraint",
                IssueSeverity::Error,
                format!("{} is `{text}`: {broken}", what()),
            );
        }
        true
    }
}

/// Whether a number breaks a bound.
type Breaks = fn(f64, f64) -> bool;

/// The constraints `value` (written `text`) breaks, each said in words.
fn constraints(field: &FieldPlan, text: &str, value: &Value) -> Vec<String> {
    let mut broken = Vec::new();
    if field.min_length.is_some() || field.max_length.is_some() {
        let length = text.chars().count() as u64;
        if let Some(min) = field.min_length.filter(|m| length < *m) {
            broken.push(format!("shorter than {min} characters"));
        }
        if let Some(max) = field.max_length.filter(|m| length > *m) {
            broken.push(format!("longer than {max} characters"));
        }
    }
    let number = match value {
        Value::Integer(i) => Some(*i as f64),
        Value::Real(r) => Some(*r),
        _ => None,
    };
    if let Some(n) = number {
        let [min, max, xmin, xmax] = field.bounds;
        let tests: [(Option<f64>, Breaks, &str); 4] = [
            (min, |n, b| n < b, "less than the minimum"),
            (max, |n, b| n > b, "more than the maximum"),
            (xmin, |n, b| n <= b, "not more than"),
            (xmax, |n, b| n >= b, "not less than"),
        ];
        for (bound, breaks, words) in tests {
            if let Some(b) = bound.filter(|b| breaks(n, *b)) {
                broken.push(format!("{words} {b}"));
            }
        }
    }
    if let Some((pattern, regex)) = &field.pattern
        && !regex.is_match(text)
    {
        broken.push(format!("does not match the pattern `{pattern}`"));
    }
    broken
}

/// `text` as a value of `kind`, or what was expected instead.
pub(crate) fn typed(
    kind: FieldType,
    text: &str,
    date_format: &str,
    spreadsheet: bool,
    slot: &mut Value,
) -> Result<(), String> {
    let stamp = |patterns: &[&str]| {
        patterns
            .iter()
            .find_map(|p| dates::parse(text, p))
            .or_else(|| {
                // A spreadsheet may hold a date as its serial number, unformatted.
                spreadsheet
                    .then(|| text.parse::<f64>().ok().and_then(dates::from_serial))
                    .flatten()
            })
    };
    let value = match kind {
        FieldType::String | FieldType::Code => {
            slot.set_text(|buffer| buffer.push_str(text));
            return Ok(());
        }
        FieldType::Date => {
            let iso = ["%Y-%m-%d"];
            let patterns: &[&str] = if spreadsheet { &iso } else { &[] };
            let stamp = dates::parse(text, date_format)
                .or_else(|| stamp(patterns))
                .ok_or_else(|| format!("a date written {}", human_pattern(date_format)))?;
            slot.set_text(|buffer| stamp.write_iso_date(buffer));
            return Ok(());
        }
        FieldType::Json => serde_json::from_str::<serde::de::IgnoredAny>(text)
            .map(|_| Value::Text(text.to_owned()))
            .map_err(|_| "JSON".to_owned()),
        FieldType::Integer => text
            .parse()
            .map(Value::Integer)
            .map_err(|_| "a whole number".to_owned()),
        FieldType::Decimal => match text.parse::<f64>() {
            Ok(n) if n.is_finite() => Ok(Value::Real(n)),
            _ => Err("a number".to_owned()),
        },
        FieldType::Boolean => match text.to_ascii_lowercase().as_str() {
            "true" | "1" => Ok(Value::Integer(1)),
            "false" | "0" => Ok(Value::Integer(0)),
            _ => Err("true or false".to_owned()),
        },
        FieldType::Year => match (text.len(), text.parse::<i64>()) {
            (4, Ok(y)) => Ok(Value::Integer(y)),
            _ => Err("a year (four digits)".to_owned()),
        },
        FieldType::YearMonth => dates::parse(&format!("{text}-01"), "%Y-%m-%d")
            .map(|s| Value::Text(s.iso_date()[..7].to_owned()))
            .ok_or_else(|| "a year and month written yyyy-mm".to_owned()),
        FieldType::Time => stamp(&["%H:%M:%S", "%H:%M"])
            .map(|s| Value::Text(s.iso_datetime()[11..].to_owned()))
            .ok_or_else(|| "a time written hh:mm:ss".to_owned()),
        FieldType::Datetime => {
            let with_seconds = format!("{date_format} %H:%M:%S");
            let with_minutes = format!("{date_format} %H:%M");
            stamp(&[
                &with_seconds,
                &with_minutes,
                "%Y-%m-%dT%H:%M:%S",
                "%Y-%m-%d %H:%M:%S",
            ])
            .map(|s| Value::Text(s.iso_datetime()))
            .ok_or_else(|| format!("a date and time written {}", human_pattern(&with_seconds)))
        }
    }?;
    *slot = value;
    Ok(())
}

/// A `strftime` pattern as people write it: `%d/%m/%Y` is `dd/mm/yyyy`.
fn human_pattern(pattern: &str) -> String {
    pattern
        .replace("%d", "dd")
        .replace("%m", "mm")
        .replace("%Y", "yyyy")
        .replace("%y", "yy")
        .replace("%H", "hh")
        .replace("%M", "mm")
        .replace("%S", "ss")
        .replace("%%", "%")
}
