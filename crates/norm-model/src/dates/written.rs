//! Dates and times as data files write them: the `strftime` subset that `data.date_format`
//! uses (`%d %m %Y %y %H %M %S %%`), read strictly, and written back as ISO 8601 so that every
//! engine compares them as text.

use super::{civil_from_days, days_from_civil};

/// A date and time of day read from a cell; the time is midnight for a date alone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stamp {
    /// Days since 1970-01-01.
    pub days: i64,
    /// Seconds since midnight.
    pub seconds: u32,
}

impl Stamp {
    /// `YYYY-MM-DD`.
    pub fn iso_date(self) -> String {
        let mut out = String::with_capacity(10);
        self.write_iso_date(&mut out);
        out
    }

    /// Appends `YYYY-MM-DD` to `out`, without allocating when `out` has room.
    pub fn write_iso_date(self, out: &mut String) {
        let (y, m, d) = civil_from_days(self.days);
        if !(0..=9999).contains(&y) {
            use std::fmt::Write;
            // Writing to a String cannot fail.
            let _ = write!(out, "{y:04}-{m:02}-{d:02}");
            return;
        }
        // The validator writes a date per cell: digits by hand into one buffer, not through
        // `fmt`, which took a tenth of its time.
        let digit = |n: i64| b'0' + (n % 10) as u8;
        let bytes = [
            digit(y / 1000),
            digit(y / 100),
            digit(y / 10),
            digit(y),
            b'-',
            digit(m / 10),
            digit(m),
            b'-',
            digit(d / 10),
            digit(d),
        ];
        // ASCII digits and dashes are UTF-8.
        out.push_str(std::str::from_utf8(&bytes).unwrap_or_default());
    }

    /// `YYYY-MM-DDTHH:MM:SS`.
    pub fn iso_datetime(self) -> String {
        let s = self.seconds;
        format!(
            "{}T{:02}:{:02}:{:02}",
            self.iso_date(),
            s / 3600,
            s / 60 % 60,
            s % 60
        )
    }
}

/// Writes the ISO 8601 date `iso` (`YYYY-MM-DD`) in `pattern` (`%d %m %Y %y %%` and literal
/// text), or `None` when `iso` is not such a date or the pattern holds anything else.
pub fn write(iso: &str, pattern: &str) -> Option<String> {
    let stamp = parse(iso, "%Y-%m-%d")?;
    let (y, m, d) = civil_from_days(stamp.days);
    let mut out = String::new();
    let mut chars = pattern.chars();
    while let Some(c) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        match chars.next()? {
            'd' => out.push_str(&format!("{d:02}")),
            'm' => out.push_str(&format!("{m:02}")),
            'Y' => out.push_str(&format!("{y:04}")),
            'y' => out.push_str(&format!("{:02}", y.rem_euclid(100))),
            '%' => out.push('%'),
            _ => return None,
        }
    }
    Some(out)
}

/// Reads `text` written in `pattern`, or `None` when it does not fit the pattern or names no
/// real day (31/02/2025). Numbers take one or two digits (`%Y` four), as `strptime` does, so
/// `1/2/2025` reads with `%d/%m/%Y`; anything else in the pattern must appear as written.
pub fn parse(text: &str, pattern: &str) -> Option<Stamp> {
    let mut input = text.as_bytes();
    let (mut year, mut month, mut day) = (1970_i64, 1_i64, 1_i64);
    let (mut hour, mut minute, mut second) = (0_u32, 0_u32, 0_u32);
    let mut spec = pattern.bytes();
    while let Some(c) = spec.next() {
        if c != b'%' {
            input = input.strip_prefix(&[c])?;
            continue;
        }
        match spec.next()? {
            b'Y' => year = digits(&mut input, 4, 4)?,
            b'y' => {
                let y = digits(&mut input, 2, 2)?;
                // strptime's pivot: 69-99 are the 1900s, 00-68 the 2000s.
                year = if y >= 69 { 1900 + y } else { 2000 + y };
            }
            b'm' => month = digits(&mut input, 1, 2)?,
            b'd' => day = digits(&mut input, 1, 2)?,
            b'H' => hour = u32::try_from(digits(&mut input, 1, 2)?).ok()?,
            b'M' => minute = u32::try_from(digits(&mut input, 1, 2)?).ok()?,
            b'S' => second = u32::try_from(digits(&mut input, 1, 2)?).ok()?,
            b'%' => input = input.strip_prefix(b"%")?,
            _ => return None,
        }
    }
    if !input.is_empty() || !(1..=12).contains(&month) || day < 1 || day > month_days(year, month) {
        return None;
    }
    if hour > 23 || minute > 59 || second > 59 {
        return None;
    }
    Some(Stamp {
        days: days_from_civil(year, month, day),
        seconds: hour * 3600 + minute * 60 + second,
    })
}

/// Whether `pattern` uses only the directives [`parse`] knows.
pub fn is_supported(pattern: &str) -> bool {
    let mut spec = pattern.bytes();
    while let Some(c) = spec.next() {
        if c == b'%'
            && !matches!(
                spec.next(),
                Some(b'Y' | b'y' | b'm' | b'd' | b'H' | b'M' | b'S' | b'%')
            )
        {
            return false;
        }
    }
    true
}

/// The stamp of a spreadsheet serial number: days since 1899-12-30 (the 1900 date system, as
/// Excel and LibreOffice count it), the fraction being the time of day.
pub fn from_serial(serial: f64) -> Option<Stamp> {
    if !serial.is_finite() || !(0.0..3_000_000.0).contains(&serial) {
        return None;
    }
    let whole = serial.floor();
    // Rounded to the second: a serial is a binary fraction of a day.
    let mut seconds = ((serial - whole) * 86_400.0).round() as u32;
    let mut days = whole as i64 + days_from_civil(1899, 12, 30);
    if seconds == 86_400 {
        seconds = 0;
        days += 1;
    }
    Some(Stamp { days, seconds })
}

/// Whole years from `born` to `on` (an age), or `None` when `on` is before `born`.
pub fn whole_years(born: i64, on: i64) -> Option<i64> {
    if on < born {
        return None;
    }
    let (by, bm, bd) = civil_from_days(born);
    let (oy, om, od) = civil_from_days(on);
    Some(oy - by - i64::from((om, od) < (bm, bd)))
}

/// Working days (Monday to Friday) after `from` up to and including `to`; negative when `to`
/// is before `from`. Bank holidays are not known here and count as working days.
pub fn working_days(from: i64, to: i64) -> i64 {
    if to < from {
        return -working_days(to, from);
    }
    // 1970-01-01 was a Thursday: weekday 0 is Monday.
    let weekday = |d: i64| (d + 3).rem_euclid(7);
    let span = to - from;
    // Every run of seven days holds five weekdays; the remainder is counted day by day.
    let rest = (1..=span % 7).filter(|i| weekday(from + i) < 5).count();
    span / 7 * 5 + rest as i64
}

fn digits(input: &mut &[u8], min: usize, max: usize) -> Option<i64> {
    let n = input
        .iter()
        .take(max)
        .take_while(|b| b.is_ascii_digit())
        .count();
    if n < min {
        return None;
    }
    let (number, rest) = input.split_at(n);
    *input = rest;
    number
        .iter()
        .try_fold(0_i64, |acc, b| Some(acc * 10 + i64::from(b - b'0')))
}

fn month_days(year: i64, month: i64) -> i64 {
    match month {
        2 if year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(text: &str, pattern: &str) -> Option<String> {
        parse(text, pattern).map(Stamp::iso_date)
    }

    #[test]
    fn iso_dates_are_written_with_four_digit_years_and_two_digit_months_and_days() {
        let first = days_from_civil(1, 1, 1);
        let last = days_from_civil(9999, 12, 31);
        for days in (first..=last).step_by(97).chain([first, last]) {
            let (y, m, d) = civil_from_days(days);
            let stamp = Stamp { days, seconds: 0 };
            assert_eq!(stamp.iso_date(), format!("{y:04}-{m:02}-{d:02}"));
        }
        let far = Stamp {
            days: days_from_civil(10_000, 1, 2),
            seconds: 0,
        };
        assert_eq!(far.iso_date(), "10000-01-02");
        let mut out = "on ".to_owned();
        Stamp {
            days: days_from_civil(2025, 6, 2),
            seconds: 0,
        }
        .write_iso_date(&mut out);
        assert_eq!(out, "on 2025-06-02", "appended");
    }

    #[test]
    fn dates_are_written_in_simple_strftime_patterns_only() {
        assert_eq!(
            write("2025-06-02", "%d/%m/%Y").as_deref(),
            Some("02/06/2025")
        );
        assert_eq!(write("2025-06-02", "%y%m%d").as_deref(), Some("250602"));
        assert_eq!(write("2025-06-02", "%B %Y"), None);
        assert_eq!(write("02/06/2025", "%d/%m/%Y"), None);
        assert_eq!(write("2025-02-31", "%d/%m/%Y"), None, "no such day");
        for iso in ["2025-06-02", "1999-12-31", "2000-02-29"] {
            let written = write(iso, "%d/%m/%Y").unwrap();
            assert_eq!(
                parse(&written, "%d/%m/%Y").map(Stamp::iso_date).as_deref(),
                Some(iso)
            );
        }
    }

    #[test]
    fn reads_the_patterns_of_the_returns() {
        assert_eq!(
            date("02/06/2025", "%d/%m/%Y").as_deref(),
            Some("2025-06-02")
        );
        assert_eq!(date("2/6/2025", "%d/%m/%Y").as_deref(), Some("2025-06-02"));
        assert_eq!(
            date("2025-06-02", "%Y-%m-%d").as_deref(),
            Some("2025-06-02")
        );
        assert_eq!(date("02/06/25", "%d/%m/%y").as_deref(), Some("2025-06-02"));
        assert_eq!(date("02/06/70", "%d/%m/%y").as_deref(), Some("1970-06-02"));
        let stamp = parse("2025-06-02 13:05:09", "%Y-%m-%d %H:%M:%S");
        assert_eq!(
            stamp.map(Stamp::iso_datetime).as_deref(),
            Some("2025-06-02T13:05:09")
        );
    }

    #[test]
    fn refuses_what_is_not_a_day_or_not_the_pattern() {
        for bad in [
            "31/02/2025",
            "29/02/2025",
            "00/01/2025",
            "1/13/2025",
            "2025-06-02",
            "02/06/2025x",
            "02/06/202",
            "",
        ] {
            assert_eq!(date(bad, "%d/%m/%Y"), None, "{bad}");
        }
        assert_eq!(
            date("29/02/2024", "%d/%m/%Y").as_deref(),
            Some("2024-02-29")
        );
        assert_eq!(parse("24:00", "%H:%M"), None);
        assert!(!is_supported("%d %B %Y"));
        assert!(is_supported("%d/%m/%Y %H:%M:%S %%"));
    }

    #[test]
    fn reads_spreadsheet_serials() {
        assert_eq!(
            from_serial(45_810.0).map(Stamp::iso_date).as_deref(),
            Some("2025-06-02")
        );
        assert_eq!(
            from_serial(45_810.5).map(Stamp::iso_datetime).as_deref(),
            Some("2025-06-02T12:00:00")
        );
        assert_eq!(from_serial(-1.0), None);
    }

    #[test]
    fn counts_whole_years_and_working_days() {
        let day = |y, m, d| days_from_civil(y, m, d);
        assert_eq!(whole_years(day(2010, 6, 2), day(2025, 6, 1)), Some(14));
        assert_eq!(whole_years(day(2010, 6, 2), day(2025, 6, 2)), Some(15));
        assert_eq!(whole_years(day(2008, 2, 29), day(2025, 2, 28)), Some(16));
        assert_eq!(whole_years(day(2025, 1, 2), day(2025, 1, 1)), None);
        // Friday 2025-05-30 to Monday 2025-06-02: one working day (the Monday).
        assert_eq!(working_days(day(2025, 5, 30), day(2025, 6, 2)), 1);
        assert_eq!(working_days(day(2025, 6, 2), day(2025, 6, 9)), 5);
        assert_eq!(working_days(day(2025, 6, 9), day(2025, 6, 2)), -5);
        assert_eq!(working_days(day(2025, 6, 7), day(2025, 6, 8)), 0);
        assert_eq!(working_days(day(2025, 6, 2), day(2025, 6, 2)), 0);
    }
}
