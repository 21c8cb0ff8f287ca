use super::*;

#[test]
fn checks_parse_as_one_expression_and_selects_as_one_query() {
    assert!(matches!(
        parse(RuleSql::Check(
            "place IN ('T0', 'T1') AND place_provider IS NULL"
        )),
        Ok(Parsed::Check(_))
    ));
    assert!(matches!(
        parse(RuleSql::Select(
            "SELECT e._row FROM episodes e JOIN header h ON h.child = e.child WHERE e.decom < h.dob;"
        )),
        Ok(Parsed::Select(_))
    ));
    let err = parse(RuleSql::Check("decom < dob dec")).unwrap_err();
    assert_eq!(err.offset, "decom < dob ".len());
    assert!(err.message.contains("end of the check"), "{}", err.message);
    assert!(parse(RuleSql::Select("DELETE FROM episodes")).is_err());
}

#[test]
fn parse_errors_point_at_their_line_and_column() {
    let sql = "SELECT _row\nFROM episodes\nWHERE decom <";
    let err = parse(RuleSql::Select(sql)).unwrap_err();
    assert!(!err.message.contains("Line:"), "{}", err.message);
    // The parser stops at the end of input, on line 3.
    assert_eq!(sql[..err.offset].matches('\n').count(), 2, "{err:?}");
    let unclosed = parse(RuleSql::Check("place = 'T0")).unwrap_err();
    assert_eq!(
        (unclosed.message.as_str(), unclosed.offset),
        ("Unterminated string literal", 8)
    );
}

#[test]
fn pathological_nesting_is_an_error_not_a_crash() {
    let sql = format!("{}1{}", "(".repeat(5000), ")".repeat(5000));
    let err = parse(RuleSql::Check(&sql)).unwrap_err();
    assert!(err.message.contains("nested"), "{err:?}");
}

#[test]
fn reformatting_and_keyword_case_normalise_away() {
    let a = normalise(RuleSql::Check(
        "NOT (place IN ('T0','T1') AND place_provider IS NOT NULL)",
    ));
    let b = normalise(RuleSql::Check(
        "not (place in ('T0', 'T1')\n     and place_provider is not null)",
    ));
    assert_eq!(a, b);
    let c = normalise(RuleSql::Check(
        "NOT (place IN ('T0','T2') AND place_provider IS NOT NULL)",
    ));
    assert_ne!(a, c);
    // Unparsable SQL still compares by its tokens.
    assert_eq!(
        normalise(RuleSql::Check("select  x\nfrom")),
        normalise(RuleSql::Check("SELECT x FROM"))
    );
    assert_ne!(
        normalise(RuleSql::Check("'a  b' <")),
        normalise(RuleSql::Check("'a b' <"))
    );
}

#[test]
fn names_lists_tables_columns_and_what_the_query_defines() {
    let sql = "WITH prev AS (SELECT child, LAG(dec) OVER (PARTITION BY child ORDER BY decom) AS prev_dec \
         FROM episodes) \
         SELECT e._row FROM episodes e JOIN prev p ON p.child = e.child \
         WHERE p.prev_dec IS NULL AND NOT EXISTS (SELECT 1 FROM previous.episodes q WHERE q.child = e.child)";
    let parsed = parse(RuleSql::Select(sql)).unwrap();
    let names = parsed.names(sql);
    let tables: Vec<String> = names.tables.iter().map(|n| n.parts.join(".")).collect();
    assert_eq!(tables, ["episodes", "prev", "previous.episodes"]);
    for defined in ["prev", "prev_dec", "e", "p", "q"] {
        assert!(names.defined.contains(defined), "{defined}: {names:?}");
    }
    let column = |text: &str| names.columns.iter().find(|n| n.parts.join(".") == text);
    assert!(column("decom").is_some());
    let row = column("e._row").map(|n| n.offset);
    assert_eq!(row, sql.find("e._row"));
    let previous = names.tables.iter().find(|n| n.parts[0] == "previous");
    assert_eq!(previous.map(|n| n.offset), sql.find("previous.episodes"));
}

#[test]
fn analysis_is_made_once_per_text_and_kind() {
    let check = RuleSql::Check("decom >= dob");
    let first = analyse(check);
    assert!(std::sync::Arc::ptr_eq(&first, &analyse(check)));
    assert_eq!(first.normal, "decom >= dob");
    let columns: Vec<_> = first
        .names
        .as_ref()
        .unwrap()
        .columns
        .iter()
        .map(|n| n.parts.join("."))
        .collect();
    assert_eq!(columns, ["decom", "dob"]);
    // The same text as a `select` is another question, with another answer.
    let select = analyse(RuleSql::Select("decom >= dob"));
    assert!(select.names.is_err());
    assert_eq!(select.normal, "decom >= dob");
}
