use super::*;
use crate::model::{Entity, FieldType, Status};

fn errors_of(text: &str) -> Vec<(u32, u32, &'static str, String)> {
    let parsed = parse(text);
    let mut out: Vec<_> = parsed
        .errors
        .iter()
        .map(|e| {
            let s = e.span.expect("parse errors are located");
            (s.line, s.column, e.rule.as_str(), e.message.clone())
        })
        .collect();
    if let Some(root) = parsed.root {
        let (_, errors) = from_node::<Entity>(&root);
        out.extend(errors.iter().map(|e| {
            let s = e.span.expect("deserialisation errors are located");
            (s.line, s.column, e.rule.as_str(), e.message.clone())
        }));
    }
    out
}

#[test]
fn spans_are_one_based_and_count_characters() {
    let text = "name: ünï\ntitle: Person\n";
    let root = parse(text).root.unwrap();
    let title = root.get("title").unwrap();
    assert_eq!((title.span.line, title.span.column), (2, 8));
    assert_eq!(&text[title.span.start..title.span.end], "Person");
    let name = root.get("name").unwrap();
    assert_eq!(&text[name.span.start..name.span.end], "ünï");
}

#[test]
fn tab_indentation_is_a_located_syntax_error() {
    let errors = errors_of("name: person\nfields:\n\t- name: a\n");
    assert_eq!(errors.len(), 1, "{errors:?}");
    let (line, _, rule, message) = &errors[0];
    assert_eq!((*line, *rule), (3, "syntax-error"));
    assert!(message.contains("tab"), "{message}");
}

#[test]
fn duplicate_keys_are_reported_at_the_second_key_and_the_first_is_kept() {
    let text = "name: person\ntitle: One\ntitle: Two\n";
    let parsed = parse(text);
    assert_eq!(parsed.errors.len(), 1);
    let e = &parsed.errors[0];
    assert_eq!(e.rule.as_str(), "duplicate-key");
    assert_eq!(
        (e.span.unwrap().line, e.span.unwrap().column),
        (3, 1),
        "{}",
        e.message
    );
    assert!(e.message.contains("first defined on line 2"));
    let root = parsed.root.unwrap();
    assert_eq!(root.get("title").unwrap().as_str(), Some("One"));
}

#[test]
fn alias_bombs_are_refused_quickly() {
    let mut text = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
    for i in 1..12 {
        let p = i - 1;
        text.push_str(&format!(
            "a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"
        ));
    }
    let parsed = parse(&text);
    assert!(parsed.root.is_none());
    let e = &parsed.errors[0];
    assert_eq!(e.rule.as_str(), "syntax-error");
    assert!(e.message.contains("billion laughs"), "{}", e.message);
    assert_eq!(e.span.unwrap().line, 6);
}

#[test]
fn small_aliases_are_expanded() {
    let root = parse("a: &x {k: v}\nb: *x\n").root.unwrap();
    assert_eq!(root.get("b").unwrap().get("k").unwrap().as_str(), Some("v"));
}

#[test]
fn deep_nesting_is_refused() {
    let text = format!("{}{}", "[".repeat(200), "]".repeat(200));
    let parsed = parse(&text);
    assert!(parsed.root.is_none());
    assert!(parsed.errors[0].message.contains("nested deeper"));
}

#[test]
fn a_second_document_is_refused() {
    let parsed = parse("name: a\n---\nname: b\n");
    assert!(parsed.root.is_none());
    assert_eq!(parsed.errors[0].span.unwrap().line, 2);
}

#[test]
fn unknown_keys_are_skipped_with_a_suggestion() {
    let text = "name: person\ntitel: Person\nfields: []\n";
    let root = parse(text).root.unwrap();
    let (entity, errors) = from_node::<Entity>(&root);
    assert_eq!(entity.unwrap().name, "person");
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].rule.as_str(), "unknown-key");
    assert_eq!(errors[0].message, "unknown key `titel`");
    assert_eq!(errors[0].help.as_deref(), Some("did you mean `title`?"));
    let span = errors[0].span.unwrap();
    assert_eq!((span.line, span.column), (2, 1));
}

#[test]
fn a_scalar_where_a_list_belongs_is_located_at_the_value() {
    let errors = errors_of("name: person\nprimary_key: pers_id\n");
    assert_eq!(
        errors,
        vec![(
            2,
            14,
            "invalid-value",
            "expected a list, found a string".to_owned()
        )]
    );
}

#[test]
fn a_broken_field_is_dropped_and_its_siblings_load_with_their_positions() {
    let text = "\
name: person
fields:
  - name: a
    type: string
  - title: no name here
    type: string
  - name: c
    type: strin
    required: yes
";
    let root = parse(text).root.unwrap();
    let (entity, errors) = from_node::<Entity>(&root);
    let entity = entity.unwrap();
    let names: Vec<_> = entity
        .fields
        .iter()
        .map(|f| (f.name.as_str(), f.position))
        .collect();
    assert_eq!(names, vec![("a", 0), ("c", 2)]);
    // The unknown type does not drop the field: it loads without a type.
    assert_eq!(entity.fields[1].field_type, None);
    assert_eq!(entity.fields[0].field_type, Some(FieldType::String));
    let found: Vec<_> = errors
        .iter()
        .map(|e| (e.span.unwrap().line, e.rule.as_str(), e.message.as_str()))
        .collect();
    assert_eq!(
        found,
        vec![
            (5, "missing-key", "missing required key `name`"),
            (
                8,
                "invalid-value",
                "unknown value `strin`; expected one of `string`, `integer`, `decimal`, \
                 `boolean`, `date`, `datetime`, `time`, `year`, `year_month`, `code`, `json`"
            ),
            (
                9,
                "invalid-value",
                "expected `true` or `false`, found a string"
            ),
        ]
    );
    assert_eq!(errors[1].help.as_deref(), Some("did you mean `string`?"));
}

#[test]
fn quoted_and_plain_scalars_read_as_strings_where_strings_are_wanted() {
    let root = parse(
        "name: x\nstatus: deprecated\nfields:\n  - name: a\n    examples: [01, \"02\", 3.50]\n",
    )
    .root
    .unwrap();
    let (entity, errors) = from_node::<Entity>(&root);
    assert!(errors.is_empty(), "{errors:?}");
    let entity = entity.unwrap();
    assert_eq!(entity.status, Some(Status::Deprecated));
    assert_eq!(entity.fields[0].examples, vec!["01", "02", "3.50"]);
}

#[test]
fn a_string_where_a_boolean_belongs_is_an_error() {
    let errors = errors_of("name: x\nfields:\n  - name: a\n    required: \"true\"\n");
    assert_eq!(errors.len(), 1);
    assert_eq!((errors[0].0, errors[0].1), (4, 15));
}

#[test]
fn did_you_mean_needs_a_close_match() {
    assert_eq!(did_you_mean("titel", &["title", "name"]), Some("title"));
    assert_eq!(did_you_mean("zzz", &["title", "name"]), None);
}

#[test]
fn point_finds_line_and_column_of_a_byte_offset() {
    let text = "ab\ncdé\nf";
    let p = point(text, text.find('f').unwrap());
    assert_eq!((p.line, p.column), (3, 1));
    let p = point(text, text.find('é').unwrap());
    assert_eq!((p.line, p.column, p.end - p.start), (2, 3, 2));
}

/// A 1.5 KB document whose aliases copy a 1 KB string 100,000 times: few nodes, 100 MB of text.
fn long_string_bomb() -> String {
    let mut text = format!("s: &s \"{}\"\n", "x".repeat(1000));
    text.push_str("a0: &a0 [*s, *s, *s, *s, *s, *s, *s, *s, *s, *s]\n");
    for i in 1..5 {
        let p = i - 1;
        text.push_str(&format!(
            "a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"
        ));
    }
    text
}

#[test]
fn aliases_that_copy_too_many_bytes_are_refused_at_the_alias() {
    let text = long_string_bomb();
    assert!(text.len() < 2048, "{}", text.len());
    let parsed = parse(&text);
    assert!(parsed.root.is_none());
    assert_eq!(parsed.errors.len(), 1, "{:?}", parsed.errors);
    let e = &parsed.errors[0];
    assert_eq!(e.rule.as_str(), "syntax-error");
    assert!(e.message.contains("MiB"), "{}", e.message);
    assert!(e.help.as_deref().unwrap_or("").contains("anchor"), "{e:?}");
    // Lines 2 to 4 copy 1.2 MB; each `*a2` on line 5 copies another 1.1 MB, so the seventh
    // crosses the 8 MiB limit, before it is copied.
    let span = e.span.unwrap();
    assert_eq!(&text[span.start..span.end], "*a2");
    assert_eq!((span.line, span.column), (5, 40), "{e:?}");
}

/// Rule, line, column and the source text the error points at, for each parse error.
fn parse_errors(text: &str) -> Vec<(&'static str, u32, u32, String)> {
    parse(text)
        .errors
        .iter()
        .map(|e| {
            let s = e.span.expect("parse errors are located");
            (
                e.rule.as_str(),
                s.line,
                s.column,
                text[s.start..s.end].to_owned(),
            )
        })
        .collect()
}

#[test]
fn tags_other_than_str_are_refused_at_the_tag() {
    let text = "\
name: person
title: !include other.yaml
description: !!python/object:os.system [rm]
fields: !foo
  - name: a
primary_key: !!seq [a]
mapping: !local {a: b}
count: !!int 3
";
    let found = parse_errors(text);
    let at: Vec<_> = found
        .iter()
        .map(|(rule, line, column, _)| (*rule, *line, *column))
        .collect();
    assert_eq!(
        at,
        vec![
            ("unsupported-tag", 2, 8),
            ("unsupported-tag", 3, 14),
            ("unsupported-tag", 4, 9),
            ("unsupported-tag", 6, 14),
            ("unsupported-tag", 7, 10),
            ("unsupported-tag", 8, 8),
        ],
        "{found:?}"
    );
    let e = &parse(text).errors[0];
    assert_eq!(e.message, "norm does not read YAML tags such as `!include`");
    assert!(e.help.as_deref().unwrap_or("").contains("`!!str`"), "{e:?}");
    assert_eq!(
        parse(text).errors[1].message,
        "norm does not read YAML tags such as `!!python/object:os.system`"
    );
}

#[test]
fn the_str_tag_keeps_a_value_as_text() {
    let parsed = parse("name: x\nfields:\n  - name: a\n    examples: [!!str 01, !str 02]\n");
    let found: Vec<_> = parsed.errors.iter().map(|e| e.message.as_str()).collect();
    assert_eq!(
        found,
        vec!["norm does not read YAML tags such as `!str`"],
        "a local `!str` is not the core schema's"
    );
    let root = parsed.root.unwrap();
    let example = root
        .get("fields")
        .unwrap()
        .index(0)
        .unwrap()
        .get("examples")
        .unwrap();
    assert_eq!(
        example.index(0).unwrap().kind,
        NodeKind::Scalar {
            value: "01".into(),
            plain: false
        }
    );
}

/// The one syntax error of `text`: line, column, message and help.
fn syntax_error(text: &str) -> (u32, u32, String, Option<String>) {
    let parsed = parse(text);
    assert!(parsed.root.is_none(), "{text:?} parsed");
    assert_eq!(parsed.errors.len(), 1, "{:?}", parsed.errors);
    let e = &parsed.errors[0];
    assert_eq!(e.rule.as_str(), "syntax-error");
    let s = e.span.expect("syntax errors are located");
    (s.line, s.column, e.message.clone(), e.help.clone())
}

#[test]
fn a_tab_is_reported_at_the_tab_in_plain_words() {
    let mut text = String::from("name: person\nfields:\n");
    for i in 0..5 {
        text.push_str(&format!("  - name: f{i}\n    type: string\n"));
    }
    text.push_str("  - name: f5\n\ttype: string\n");
    let (line, column, message, help) = syntax_error(&text);
    assert_eq!((line, column), (14, 1));
    assert_eq!(message, "YAML does not allow tabs: indent with spaces");
    assert!(help.unwrap().contains("spaces"));
    // A tab after the indentation's spaces, and one at the start of a list item.
    let (line, column, ..) = syntax_error("name: p\nfields:\n  - name: a\n    \ttype: string\n");
    assert_eq!((line, column), (4, 5));
    let (line, column, ..) = syntax_error("name: p\nfields:\n\t- name: a\n");
    assert_eq!((line, column), (3, 1));
}

#[test]
fn an_unclosed_bracket_is_reported_at_the_bracket() {
    let text = "name: x\ntitle: X\nprimary_key: [pers_id, other\nfields:\n  - name: pers_id\n";
    let (line, column, message, help) = syntax_error(text);
    assert_eq!((line, column), (3, 14));
    assert_eq!(message, "this `[` is never closed");
    assert!(help.unwrap().contains("`]`"));
    let (line, column, message, _) = syntax_error("name: x\nprimary_key: [a, b\n");
    assert_eq!(
        (line, column, message.as_str()),
        (2, 14, "this `[` is never closed")
    );
    let (line, column, message, help) =
        syntax_error("name: x\nconstraints: {min_length: 1\nfields:\n  - name: a\n");
    assert_eq!(
        (line, column, message.as_str()),
        (2, 14, "this `{` is never closed")
    );
    assert!(help.unwrap().contains("`}`"));
    // Brackets inside quotes and plain text are not flow collections.
    let (line, column, message, _) =
        syntax_error("title: \"[not this\"\ndescription: a [b\nitems: [x, {y: z}, [w\n");
    assert_eq!(
        (line, column, message.as_str()),
        (3, 20, "this `[` is never closed")
    );
}

#[test]
fn an_unclosed_quote_is_reported_at_the_quote() {
    let (line, column, message, _) =
        syntax_error("name: x\ntitle: \"Ratio\nfields:\n  - name: a\n");
    assert_eq!((line, column), (2, 8));
    assert_eq!(message, "this `\"` is never closed");
    let (line, column, message, _) = syntax_error("name: x\ntitle: 'Ratio\nfields: []\n");
    assert_eq!(
        (line, column, message.as_str()),
        (2, 8, "this `'` is never closed")
    );
}

#[test]
fn a_colon_and_space_inside_a_value_asks_for_quotes() {
    let (line, column, message, help) = syntax_error("name: x\ntitle: Ratio: high\n");
    assert_eq!((line, column), (2, 13));
    assert_eq!(message, "a `:` followed by a space inside a value");
    assert_eq!(
        help.as_deref(),
        Some("quote the value: `title: \"Ratio: high\"`")
    );
    // A key indented under a plain value is an indentation problem, not a value to quote.
    let (line, column, message, _) = syntax_error("name: x\n  title: y\n");
    assert_eq!((line, column), (2, 8));
    assert_eq!(message, "this key is indented more than the key above it");
}

#[test]
fn a_misaligned_list_item_is_named() {
    let (line, column, message, help) =
        syntax_error("name: sex\ncodes:\n  - code: M\n   - code: F\n");
    assert_eq!((line, column), (4, 4));
    assert_eq!(
        message,
        "this list item is not in line with the items above it"
    );
    assert!(help.unwrap().contains("same column"));
}

#[test]
fn an_escape_error_inside_a_list_is_about_the_escape() {
    let (line, column, message, _) = syntax_error("examples: [a, \"b\\q\"]\n");
    assert_eq!((line, column), (1, 17), "at the backslash");
    assert_eq!(message, "unknown escape sequence in a double-quoted value");
}

#[test]
fn a_misspelt_required_key_is_one_error() {
    let text = "name: person\nfields:\n  - nmae: a\n    type: string\n  - name: b\n";
    let errors = errors_of(text);
    assert_eq!(
        errors,
        vec![(3, 5, "unknown-key", "unknown key `nmae`".to_owned())],
        "the typo, not also the missing `name`"
    );
    let root = parse(text).root.unwrap();
    let (entity, errors) = from_node::<Entity>(&root);
    assert_eq!(errors[0].help.as_deref(), Some("did you mean `name`?"));
    assert_eq!(errors[0].key, Some("name"));
    // The misspelt key is read as the key it is close to, so nothing else complains.
    let names: Vec<_> = entity.unwrap().fields.into_iter().map(|f| f.name).collect();
    assert_eq!(names, ["a", "b"]);
    // A key that is absent without a typo is still reported.
    let errors = errors_of("name: person\nfields:\n  - title: A\n    type: string\n");
    assert_eq!(errors[0].2, "missing-key");
}

#[test]
fn yes_for_a_boolean_gets_a_help_line() {
    let text = "name: x\nfields:\n  - name: a\n    required: yes\n";
    let (entity, errors) = from_node::<Entity>(&parse(text).root.unwrap());
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(errors[0].rule.as_str(), "invalid-value");
    assert!(
        entity.unwrap().fields[0].required,
        "reported, then read as meant"
    );
    assert_eq!(
        errors[0].help.as_deref(),
        Some("YAML 1.2 reads `yes` as text: write `true`")
    );
    let text = "name: x\nfields:\n  - name: a\n    required: Off\n";
    let (_, errors) = from_node::<Entity>(&parse(text).root.unwrap());
    assert_eq!(
        errors[0].help.as_deref(),
        Some("YAML 1.2 reads `Off` as text: write `false`")
    );
}
