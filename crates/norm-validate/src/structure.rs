//! The structure pass: every check that comes from the model itself, in one streaming pass
//! over each table. It holds no table in memory (only the key sets that `unique`, primary keys
//! and references need) and knows nothing of SQL: typed rows go to a [`RowSink`], which the
//! rules engine fills its tables from, so this module could run on its own (in WebAssembly,
//! say) to check structure alone.

use std::collections::{HashMap, HashSet};

use csv::StringRecord;
use norm_model::FieldType;

use crate::ValidateError;
use crate::dates;
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
    target: (String, String),
    value: String,
    issue: Issue,
}

/// The state of the pass over all tables of one validation.
pub(crate) struct Pass {
    /// The values of every referenced field, keyed by (entity, field).
    targets: HashMap<(String, String), HashSet<String>>,
    /// Entities whose table has been read to the end.
    done: HashSet<String>,
    deferred: Vec<Deferred>,
    /// What the pass found.
    pub issues: Vec<Issue>,
}

impl Pass {
    /// A pass over tables with these plans: the referenced fields are collected as read.
    pub fn new<'p>(plans: impl IntoIterator<Item = &'p Plan>) -> Pass {
        let targets = plans
            .into_iter()
            .flat_map(|p| p.references.iter())
            .map(|(_, entity, field)| ((entity.clone(), field.clone()), HashSet::new()))
            .collect();
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
        let mut values: Vec<Value> = Vec::with_capacity(plan.fields.len());
        let mut row = 0_u64;
        let width = table.headers.len();
        let own_targets: Vec<(usize, (String, String))> = plan
            .fields
            .iter()
            .enumerate()
            .map(|(i, f)| (i, (plan.entity.clone(), f.name.clone())))
            .filter(|(_, key)| self.targets.contains_key(key))
            .collect();
        while let Some(line) = table.next(&mut record)? {
            row += 1;
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
            values.clear();
            for (i, field) in plan.fields.iter().enumerate() {
                let value = at.field(i, field, &mut self.issues);
                values.push(value);
            }
            keys.check(&at, &values, &mut self.issues);
            for (field, entity, target_field) in &plan.references {
                let Some(value) = values[*field].key() else {
                    continue;
                };
                let target = (entity.clone(), target_field.clone());
                let Some(seen) = self.targets.get(&target) else {
                    continue;
                };
                if !supplied.contains(entity) {
                    continue;
                }
                let missing = at.issue(
                    "reference",
                    IssueSeverity::Error,
                    &[*field],
                    format!(
                        "`{}` is `{value}`, which is not a {target_field} of {entity}",
                        plan.fields[*field].header
                    ),
                );
                if self.done.contains(entity) {
                    if !seen.contains(&value) {
                        self.issues.push(missing);
                    }
                } else {
                    self.deferred.push(Deferred {
                        target,
                        value,
                        issue: missing,
                    });
                }
            }
            for (i, key) in &own_targets {
                if let (Some(value), Some(set)) = (values[*i].key(), self.targets.get_mut(key)) {
                    set.insert(value);
                }
            }
            sink.row(row, line, &values)?;
        }
        self.done.insert(plan.entity.clone());
        Ok(row)
    }

    /// The issues of the whole pass, the deferred references settled.
    pub fn finish(mut self) -> Vec<Issue> {
        for deferred in std::mem::take(&mut self.deferred) {
            let seen = self.targets.get(&deferred.target);
            if seen.is_none_or(|s| !s.contains(&deferred.value)) {
                self.issues.push(deferred.issue);
            }
        }
        self.issues
    }
}

/// One row being checked, to build its issues.
struct Row<'a> {
    plan: &'a Plan,
    table: &'a Table,
    row: u64,
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

    fn issue(
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

    /// The typed value of field `i`, its issues pushed to `issues`.
    fn field(&self, i: usize, field: &FieldPlan, issues: &mut Vec<Issue>) -> Value {
        let text = self.text(field);
        if text.is_empty() {
            if field.required {
                let message = match field.source {
                    Some(_) => format!("`{}` is required but empty", field.header),
                    None => format!("`{}` is required but its column is missing", field.header),
                };
                issues.push(self.issue("required", IssueSeverity::Error, &[i], message));
            }
            return Value::Null;
        }
        if field.multiple {
            return Value::Text(text.to_owned());
        }
        let value = match typed(
            field.kind,
            text,
            &self.plan.date_format,
            self.plan.spreadsheet,
        ) {
            Ok(value) => value,
            Err(expected) => {
                let message = format!("`{}` is `{text}`, which is not {expected}", field.header);
                issues.push(self.issue("type", IssueSeverity::Error, &[i], message));
                return Value::Null;
            }
        };
        if let Some(codes) = &field.codes
            && !codes.codes.contains(text)
        {
            let (severity, kind) = if codes.closed {
                (IssueSeverity::Error, "")
            } else {
                (IssueSeverity::Query, "open ")
            };
            let message = format!(
                "`{}` is `{text}`, which is not a code of the {kind}list {}",
                field.header, codes.list
            );
            issues.push(self.issue("codelist", severity, &[i], message));
        }
        for broken in constraints(field, text, &value) {
            let message = format!("`{}` is `{text}`: {broken}", field.header);
            issues.push(self.issue("constraint", IssueSeverity::Error, &[i], message));
        }
        value
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
) -> Result<Value, String> {
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
    match kind {
        FieldType::String | FieldType::Code => Ok(Value::Text(text.to_owned())),
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
        FieldType::Date => {
            let iso = ["%Y-%m-%d"];
            let patterns: &[&str] = if spreadsheet { &iso } else { &[] };
            dates::parse(text, date_format)
                .or_else(|| stamp(patterns))
                .map(|s| Value::Text(s.iso_date()))
                .ok_or_else(|| format!("a date written {}", human_pattern(date_format)))
        }
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
    }
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

/// The primary key and unique keys of one table, as seen so far: each key with its first row.
struct Keys {
    sets: Vec<(&'static str, Vec<usize>, HashMap<String, u64>)>,
}

impl Keys {
    fn new(plan: &Plan) -> Keys {
        let mut sets = Vec::new();
        if !plan.primary_key.is_empty() {
            sets.push(("primary-key", plan.primary_key.clone(), HashMap::new()));
        }
        for key in &plan.unique_keys {
            sets.push(("unique", key.clone(), HashMap::new()));
        }
        for (i, field) in plan.fields.iter().enumerate() {
            if field.unique {
                sets.push(("unique", vec![i], HashMap::new()));
            }
        }
        Keys { sets }
    }

    fn check(&mut self, at: &Row<'_>, values: &[Value], issues: &mut Vec<Issue>) {
        for (rule, fields, seen) in &mut self.sets {
            let parts: Option<Vec<String>> = fields.iter().map(|f| values[*f].key()).collect();
            let names = || {
                let names: Vec<&str> = fields
                    .iter()
                    .map(|f| at.plan.fields[*f].header.as_str())
                    .collect();
                names.join(", ")
            };
            let Some(parts) = parts else {
                let empty = fields
                    .iter()
                    .find(|f| values[**f] == Value::Null && !at.plan.fields[**f].required);
                if let (Some(f), true) = (empty, *rule == "primary-key") {
                    let message = format!(
                        "the primary key ({}) has no `{}`",
                        names(),
                        at.plan.fields[*f].header
                    );
                    issues.push(at.issue(rule, IssueSeverity::Error, fields, message));
                }
                continue;
            };
            let key = parts.join("\u{1f}");
            match seen.get(&key) {
                Some(first) => {
                    let what = if *rule == "primary-key" {
                        "primary key"
                    } else {
                        "unique key"
                    };
                    let message = format!(
                        "the {what} ({}) is ({}), as on row {first}",
                        names(),
                        parts.join(", ")
                    );
                    issues.push(at.issue(rule, IssueSeverity::Error, fields, message));
                }
                None => {
                    seen.insert(key, at.row);
                }
            }
        }
    }
}
