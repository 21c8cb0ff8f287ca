//! Checks a single value against a field's type and constraints, as written in the format
//! (dates as ISO 8601 `YYYY-MM-DD`). Used for `examples`; the exports state the same rules.

use crate::model::{Constraints, FieldType};

/// Why `value` is not a valid value of type `ty`, if it is not.
pub fn type_error(ty: FieldType, value: &str) -> Option<String> {
    let ok = match ty {
        FieldType::String | FieldType::Code => true,
        FieldType::Integer => value.parse::<i64>().is_ok(),
        FieldType::Decimal => value.parse::<f64>().is_ok_and(f64::is_finite),
        FieldType::Boolean => matches!(value, "true" | "false"),
        FieldType::Date => date(value),
        FieldType::Datetime => datetime(value),
        FieldType::Time => time(value),
        FieldType::Year => value.len() == 4 && digits(value),
        FieldType::YearMonth => year_month(value).is_some(),
        FieldType::Json => serde_json::from_str::<serde_json::Value>(value).is_ok(),
    };
    (!ok).then(|| format!("`{value}` is not a valid {}", describe(ty)))
}

fn describe(ty: FieldType) -> &'static str {
    match ty {
        FieldType::Integer => "whole number",
        FieldType::Decimal => "number",
        FieldType::Boolean => "boolean (`true` or `false`)",
        FieldType::Date => "date (YYYY-MM-DD)",
        FieldType::Datetime => "date and time (YYYY-MM-DDThh:mm:ss, with an optional offset)",
        FieldType::Time => "time (hh:mm or hh:mm:ss)",
        FieldType::Year => "year (YYYY)",
        FieldType::YearMonth => "year and month (YYYY-MM)",
        FieldType::Json => "JSON document",
        FieldType::String | FieldType::Code => "value",
    }
}

/// Why `value` breaks `constraints`, if it does. `numeric` says whether the field's type
/// compares as a number (for `minimum` and `maximum`); `pattern` is `constraints.pattern`
/// compiled by the caller, who can compile each pattern once for many values.
pub fn constraint_error(
    constraints: &Constraints,
    value: &str,
    numeric: bool,
    pattern: Option<&regex::Regex>,
) -> Option<String> {
    let length = value.chars().count() as u64;
    if let Some(min) = constraints.min_length.filter(|m| length < *m) {
        return Some(format!("`{value}` is shorter than `min_length` {min}"));
    }
    if let Some(max) = constraints.max_length.filter(|m| length > *m) {
        return Some(format!("`{value}` is longer than `max_length` {max}"));
    }
    if numeric && let Ok(n) = value.parse::<f64>() {
        let bounds = [
            (
                constraints.minimum,
                n < constraints.minimum.unwrap_or(f64::MIN),
                "below `minimum`",
            ),
            (
                constraints.maximum,
                n > constraints.maximum.unwrap_or(f64::MAX),
                "above `maximum`",
            ),
            (
                constraints.exclusive_minimum,
                n <= constraints.exclusive_minimum.unwrap_or(f64::MIN),
                "not above `exclusive_minimum`",
            ),
            (
                constraints.exclusive_maximum,
                n >= constraints.exclusive_maximum.unwrap_or(f64::MAX),
                "not below `exclusive_maximum`",
            ),
        ];
        if let Some((Some(bound), _, what)) = bounds
            .into_iter()
            .find(|(b, broken, _)| b.is_some() && *broken)
        {
            return Some(format!("`{value}` is {what} {bound}"));
        }
    }
    if let Some(re) = pattern
        && !re.is_match(value)
    {
        return Some(format!(
            "`{value}` does not match `pattern` {}",
            re.as_str()
        ));
    }
    None
}

fn digits(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

fn year_month(s: &str) -> Option<(u32, u32)> {
    let (y, m) = s.split_once('-')?;
    if y.len() != 4 || m.len() != 2 || !digits(y) || !digits(m) {
        return None;
    }
    let (y, m) = (y.parse().ok()?, m.parse().ok()?);
    (1..=12).contains(&m).then_some((y, m))
}

fn date(s: &str) -> bool {
    let Some((ym, d)) = s.rsplit_once('-') else {
        return false;
    };
    let Some((y, m)) = year_month(ym) else {
        return false;
    };
    if d.len() != 2 || !digits(d) {
        return false;
    }
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days = match m {
        2 if leap => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    };
    d.parse::<u32>().is_ok_and(|d| (1..=days).contains(&d))
}

fn time(s: &str) -> bool {
    let (main, fraction) = s.split_once('.').unwrap_or((s, "0"));
    let parts: Vec<&str> = main.split(':').collect();
    let limits = [23, 59, 59];
    (2..=3).contains(&parts.len())
        && digits(fraction)
        && parts
            .iter()
            .zip(limits)
            .all(|(p, max)| p.len() == 2 && digits(p) && p.parse::<u32>().is_ok_and(|v| v <= max))
}

fn datetime(s: &str) -> bool {
    let Some((d, rest)) = s.split_once(['T', ' ']) else {
        return false;
    };
    let rest = rest.strip_suffix('Z').unwrap_or(rest);
    let clock = match rest.rfind(['+', '-']) {
        Some(i) if time(&rest[i + 1..]) => &rest[..i],
        _ => rest,
    };
    date(d) && time(clock)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn types_accept_iso_values_and_reject_others() {
        let ok = [
            (FieldType::Date, "2024-02-29"),
            (FieldType::Datetime, "2024-03-01T09:30:00Z"),
            (FieldType::Datetime, "2024-03-01T09:30:00+01:00"),
            (FieldType::Time, "23:59"),
            (FieldType::Year, "2025"),
            (FieldType::YearMonth, "2025-12"),
            (FieldType::Integer, "-3"),
            (FieldType::Decimal, "2.5"),
            (FieldType::Boolean, "false"),
            (FieldType::Json, "{\"a\": 1}"),
        ];
        for (ty, v) in ok {
            assert_eq!(type_error(ty, v), None, "{v}");
        }
        let bad = [
            (FieldType::Date, "2023-02-29"),
            (FieldType::Date, "15/03/2024"),
            (FieldType::Datetime, "2024-03-01"),
            (FieldType::Time, "24:00"),
            (FieldType::Year, "25"),
            (FieldType::YearMonth, "2025-13"),
            (FieldType::Integer, "1.5"),
            (FieldType::Decimal, "NaN"),
            (FieldType::Boolean, "Y"),
            (FieldType::Json, "{"),
        ];
        for (ty, v) in bad {
            assert!(type_error(ty, v).is_some(), "{v} should fail");
        }
    }

    #[test]
    fn constraints_are_checked_in_order() {
        let c = Constraints {
            max_length: Some(3),
            minimum: Some(10.0),
            pattern: Some("^[0-9]+$".into()),
            ..Constraints::default()
        };
        let re = c.pattern.as_deref().map(|p| regex::Regex::new(p).unwrap());
        assert_eq!(
            constraint_error(&c, "1234", true, re.as_ref()).unwrap(),
            "`1234` is longer than `max_length` 3"
        );
        assert_eq!(
            constraint_error(&c, "9", true, re.as_ref()).unwrap(),
            "`9` is below `minimum` 10"
        );
        assert_eq!(constraint_error(&c, "9", false, re.as_ref()), None);
        assert_eq!(
            constraint_error(&c, "1a", false, re.as_ref()).unwrap(),
            "`1a` does not match `pattern` ^[0-9]+$"
        );
        assert_eq!(constraint_error(&c, "12", true, re.as_ref()), None);
    }
}
