//! The functions rules may call beyond standard SQL, registered in the engine. They take and
//! return what the tables hold: dates as ISO 8601 text, NULL for anything that is not a date, so
//! that a rule over a missing date passes as NULL checks do.

use rusqlite::Connection;
use rusqlite::functions::{Context, FunctionFlags};
use rusqlite::types::ValueRef;

use crate::dates;

/// The documented functions: `age(born, on)` in whole years and `working_days(from, to)`.
pub(crate) fn register(connection: &Connection) -> rusqlite::Result<()> {
    let flags = FunctionFlags::SQLITE_UTF8 | FunctionFlags::SQLITE_DETERMINISTIC;
    connection.create_scalar_function("age", 2, flags, |ctx| {
        Ok(two_days(ctx)?.and_then(|(born, on)| dates::whole_years(born, on)))
    })?;
    connection.create_scalar_function("working_days", 2, flags, |ctx| {
        Ok(two_days(ctx)?.map(|(from, to)| dates::working_days(from, to)))
    })?;
    Ok(())
}

/// The two date arguments of a call, as day numbers; `None` when either is not a date.
fn two_days(ctx: &Context<'_>) -> rusqlite::Result<Option<(i64, i64)>> {
    // Read in place, with no `String` a call: rules call these once a row or more.
    let day = |i: usize| -> rusqlite::Result<Option<i64>> {
        let text = match ctx.get_raw(i) {
            ValueRef::Text(bytes) => std::str::from_utf8(bytes).ok(),
            _ => None,
        };
        Ok(text
            .and_then(|t| dates::parse(t.get(..10)?, "%Y-%m-%d"))
            .map(|s| s.days))
    };
    Ok(day(0)?.zip(day(1)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn eval(sql: &str) -> Option<i64> {
        let connection = Connection::open_in_memory().expect("an in-memory database");
        register(&connection).expect("functions register");
        connection
            .query_row(sql, [], |r| r.get(0))
            .expect("the query runs")
    }

    #[test]
    fn age_counts_whole_years() {
        assert_eq!(eval("SELECT age('2010-06-02', '2025-06-01')"), Some(14));
        assert_eq!(eval("SELECT age('2010-06-02', '2025-06-02')"), Some(15));
        assert_eq!(
            eval("SELECT age('2010-06-02', '2025-06-02T10:00:00')"),
            Some(15)
        );
        assert_eq!(eval("SELECT age('2025-06-02', '2010-06-02')"), None);
        assert_eq!(eval("SELECT age(NULL, '2010-06-02')"), None);
        assert_eq!(eval("SELECT age('02/06/2010', '2025-06-02')"), None);
    }

    #[test]
    fn working_days_skip_weekends() {
        // Friday to the next Friday.
        assert_eq!(
            eval("SELECT working_days('2025-05-30', '2025-06-06')"),
            Some(5)
        );
        assert_eq!(
            eval("SELECT working_days('2025-06-06', '2025-05-30')"),
            Some(-5)
        );
        assert_eq!(
            eval("SELECT working_days('2025-06-07', '2025-06-09')"),
            Some(1)
        );
        assert_eq!(eval("SELECT working_days('2025-06-07', 12)"), None);
    }
}
