use super::*;
use crate::{LoaderRule, Severity};

fn blob(path: &str, text: &str) -> Blob {
    Blob {
        path: path.into(),
        bytes: text.as_bytes().to_vec(),
    }
}

/// File, line and column (when located) and rule of each diagnostic.
type Found = Vec<(String, Option<(u32, u32)>, &'static str)>;

fn found(catalog: &Catalog) -> Found {
    let mut out: Vec<_> = catalog
        .diagnostics
        .iter()
        .map(|d| (d.file.clone(), d.span.map(|s| (s.line, s.column)), d.rule))
        .collect();
    out.sort();
    out
}

const STANDARD: &str = "id: demo\ntitle: Demo\nversion: 1.0.0\n";

#[test]
fn loads_a_standard_with_entities_and_code_lists() {
    let catalog = Catalog::load(vec![
        blob(
            "standards/demo/codelists/sex.yaml",
            "name: sex\ncodes:\n  - code: \"M\"\n",
        ),
        blob("standards/demo/standard.yaml", STANDARD),
        blob(
            "standards/demo/entities/person.yaml",
            "name: person\nfields:\n  - name: id\n    type: string\n",
        ),
        blob("standards/demo/CHANGELOG.md", "# Changes\n"),
        blob("README.md", "hello"),
    ]);
    assert!(catalog.diagnostics.is_empty(), "{:?}", catalog.diagnostics);
    let demo = &catalog.standards["demo"];
    assert_eq!(demo.version(), Some(semver::Version::new(1, 0, 0)));
    assert_eq!(demo.entity("person").unwrap().value.fields.len(), 1);
    assert_eq!(demo.codelist("sex").unwrap().value.codes[0].code, "M");
    // Markdown and files outside standards/ are not loaded.
    assert_eq!(catalog.files.len(), 3);
}

#[test]
fn one_broken_file_does_not_stop_the_others() {
    let catalog = Catalog::load(vec![
        blob("standards/demo/standard.yaml", STANDARD),
        blob("standards/demo/entities/a.yaml", "name: a\nfields: [\n"),
        blob("standards/demo/entities/b.yaml", "name: b\n"),
        blob("standards/demo/entities/c.yaml", ""),
        Blob {
            path: "standards/demo/entities/d.yaml".into(),
            bytes: b"name: d\ntitle: caf\xe9\n".to_vec(),
        },
    ]);
    let demo = &catalog.standards["demo"];
    let names: Vec<_> = demo
        .entities
        .iter()
        .map(|e| e.value.name.as_str())
        .collect();
    assert_eq!(names, ["b"]);
    assert_eq!(
        found(&catalog),
        vec![
            (
                "standards/demo/entities/a.yaml".into(),
                // At the `[` that is never closed, not at the end of the file.
                Some((2, 9)),
                "syntax-error"
            ),
            (
                "standards/demo/entities/c.yaml".into(),
                Some((1, 1)),
                "syntax-error"
            ),
            (
                "standards/demo/entities/d.yaml".into(),
                Some((2, 11)),
                "syntax-error"
            ),
        ]
    );
    let empty = catalog
        .diagnostics
        .iter()
        .find(|d| d.file.ends_with("c.yaml"))
        .unwrap();
    assert_eq!(
        empty.message,
        "file is empty; expected a mapping with `name` and `fields`"
    );
}

#[test]
fn oversized_files_are_refused_without_parsing() {
    let big = format!(
        "name: big\ndescription: \"{}\"\n",
        "x".repeat(50 * 1024 * 1024)
    );
    let catalog = Catalog::load(vec![
        blob("standards/demo/standard.yaml", STANDARD),
        blob("standards/demo/entities/big.yaml", &big),
    ]);
    let d = &catalog.diagnostics[0];
    assert_eq!(d.rule, "unreadable-file");
    assert_eq!(
        d.message,
        "file is 50.0 MiB, above the 4 MiB limit for a standards file; not read"
    );
}

#[test]
fn a_standard_folder_without_standard_yaml_is_reported() {
    let catalog = Catalog::load(vec![blob(
        "standards/demo/entities/a.yaml",
        "name: a\nfields: []\n",
    )]);
    assert_eq!(
        found(&catalog),
        vec![("standards/demo".into(), None, "missing-key")]
    );
}

#[test]
fn stray_yaml_files_are_warned_about() {
    let catalog = Catalog::load(vec![
        blob("standards/demo/standard.yaml", STANDARD),
        blob("standards/demo/entities/a.yml", "name: a\n"),
    ]);
    assert_eq!(catalog.diagnostics.len(), 1);
    assert_eq!(catalog.diagnostics[0].severity, Severity::Warning);
    assert_eq!(catalog.diagnostics[0].rule, "unexpected-file");
}

#[test]
fn locate_falls_back_to_the_nearest_existing_node() {
    let catalog = Catalog::load(vec![blob(
        "standards/demo/entities/a.yaml",
        "name: a\nfields:\n  - name: x\n    type: string\n",
    )]);
    let file = catalog.standards["demo"].entities[0].file;
    let at = |l: Location| catalog.locate(&l).map(|s| (s.line, s.column));
    let field = Location::file(file).key("fields").index(0);
    assert_eq!(at(field.clone().key("type")), Some((4, 11)));
    assert_eq!(at(field.clone().key("type").on_key()), Some((4, 5)));
    assert_eq!(at(field.key("codelist")), Some((3, 5)));
}

#[test]
fn references_resolve_within_and_across_standards() {
    let catalog = Catalog::load(vec![
        blob(
            "standards/codes/standard.yaml",
            "id: codes\ntitle: C\nversion: 2.1.0\n",
        ),
        blob(
            "standards/codes/codelists/sex.yaml",
            "name: sex\ncodes: []\n",
        ),
        blob(
            "standards/demo/standard.yaml",
            "id: demo\ntitle: D\nversion: 1.0.0\nrequires: { codes: \"^2.0\" }\n",
        ),
        blob(
            "standards/other/standard.yaml",
            "id: other\ntitle: O\nversion: 0.1.0\n",
        ),
        blob(
            "standards/demo/entities/person.yaml",
            "name: person\nfields:\n  - name: id\n",
        ),
    ]);
    assert!(catalog.resolve_codelist("demo", "codes/sex").is_ok());
    assert_eq!(
        catalog.resolve_codelist("demo", "codes/sexx").unwrap_err(),
        Unresolved::UnknownElement(Some("sex".into()))
    );
    assert_eq!(
        catalog.resolve_codelist("other", "codes/sex").unwrap_err(),
        Unresolved::NotRequired("codes".into())
    );
    assert_eq!(
        catalog.resolve_codelist("demo", "nowhere/sex").unwrap_err(),
        Unresolved::UnknownStandard("nowhere".into())
    );
    assert_eq!(catalog.resolve_field("demo", "person.id").unwrap().2, 0);
    assert!(matches!(
        catalog.resolve_field("demo", "person.idd"),
        Err(Unresolved::UnknownElement(Some(s))) if s == "person.id"
    ));
}

#[test]
fn a_requires_range_the_target_does_not_satisfy_is_out_of_range() {
    let catalog = Catalog::load(vec![
        blob(
            "standards/codes/standard.yaml",
            "id: codes\ntitle: C\nversion: 3.0.0\n",
        ),
        blob(
            "standards/codes/codelists/sex.yaml",
            "name: sex\ncodes: []\n",
        ),
        blob(
            "standards/demo/standard.yaml",
            "id: demo\ntitle: D\nversion: 1.0.0\nrequires: { codes: \"^2.0\" }\n",
        ),
    ]);
    assert_eq!(
        catalog.resolve_codelist("demo", "codes/sex").unwrap_err(),
        Unresolved::OutOfRange {
            standard: "codes".into(),
            range: "^2.0".into(),
            version: "3.0.0".into()
        }
    );
}

#[test]
fn load_is_independent_of_blob_order() {
    let blobs = vec![
        blob(
            "standards/b/standard.yaml",
            "id: b\ntitle: B\nversion: 1.0.0\n",
        ),
        blob(
            "standards/a/standard.yaml",
            "id: a\ntitle: A\nversion: x\nbad: 1\n",
        ),
        blob("standards/a/entities/e.yaml", "name: e\nfields: 3\n"),
    ];
    let mut reversed = blobs.clone();
    reversed.reverse();
    let (one, two) = (Catalog::load(blobs), Catalog::load(reversed));
    assert_eq!(one.diagnostics, two.diagnostics);
    let paths = |c: &Catalog| c.files.iter().map(|f| f.path.clone()).collect::<Vec<_>>();
    assert_eq!(paths(&one), paths(&two));
}

#[test]
fn reusing_another_catalog_gives_the_same_result_as_loading() {
    let head = Catalog::load(vec![
        blob("norm.yaml", "site: { title: T }\n"),
        blob("standards/demo/standard.yaml", STANDARD),
        blob(
            "standards/demo/entities/same.yaml",
            "name: same\nfields:\n  - name: a\n    type: string\n",
        ),
        blob(
            "standards/demo/entities/changed.yaml",
            "name: changed\nfields: []\n",
        ),
        blob(
            "standards/demo/entities/broken.yaml",
            "name: broken\ntitel: x\n",
        ),
    ]);
    let base_blobs = vec![
        blob("norm.yaml", "site: { title: T }\n"),
        blob("standards/demo/standard.yaml", STANDARD),
        blob(
            "standards/demo/entities/same.yaml",
            "name: same\nfields:\n  - name: a\n    type: string\n",
        ),
        blob(
            "standards/demo/entities/changed.yaml",
            "name: changed\ntitle: Before\nfields: []\n",
        ),
        blob(
            "standards/demo/entities/broken.yaml",
            "name: broken\ntitel: x\n",
        ),
        blob(
            "standards/demo/entities/only_base.yaml",
            "name: only_base\nfields: []\n",
        ),
    ];
    let fresh = Catalog::load(base_blobs.clone());
    let reused = Catalog::load_reusing(base_blobs, &head);
    assert_eq!(fresh.diagnostics, reused.diagnostics);
    assert_eq!(
        format!("{:?}", fresh.standards),
        format!("{:?}", reused.standards)
    );
    assert_eq!(
        format!("{:?}", fresh.config),
        format!("{:?}", reused.config)
    );
    assert_eq!(
        reused.standards["demo"]
            .entity("changed")
            .unwrap()
            .value
            .title
            .as_deref(),
        Some("Before")
    );
}

#[test]
fn a_misspelt_leniently_required_key_is_one_error() {
    let catalog = Catalog::load(vec![
        blob(
            "standards/demo/standard.yaml",
            "id: demo\ntitle: Demo\nverison: 1.0.0\n",
        ),
        blob(
            "standards/demo/entities/a.yaml",
            "name: a\nfields:\n  - name: x\n    tpye: string\n  - name: y\n",
        ),
    ]);
    assert_eq!(
        found(&catalog),
        vec![
            (
                "standards/demo/entities/a.yaml".into(),
                Some((4, 5)),
                "unknown-key"
            ),
            // `y` lacks `type` without a typo: still reported.
            (
                "standards/demo/entities/a.yaml".into(),
                Some((5, 5)),
                "missing-key"
            ),
            (
                "standards/demo/standard.yaml".into(),
                Some((3, 1)),
                "unknown-key"
            ),
        ]
    );
}

#[test]
fn the_readers_diagnostics_are_part_of_the_catalog() {
    let unreadable = |path: &str| {
        Diagnostic::loader(
            LoaderRule::UnreadableFile,
            path,
            "a symbolic link; not read",
        )
    };
    let catalog = Catalog::load_files((
        vec![blob(
            "standards/demo/entities/a.yaml",
            "name: a\nfields:\n  - name: x\n    type: string\n",
        )],
        vec![
            unreadable("standards/demo/standard.yaml"),
            unreadable("standards/demo/entities/b.yaml"),
        ],
    ));
    assert_eq!(
        found(&catalog),
        vec![
            (
                "standards/demo/entities/b.yaml".into(),
                None,
                "unreadable-file"
            ),
            // Not also "standard folder `demo` has no standard.yaml".
            (
                "standards/demo/standard.yaml".into(),
                None,
                "unreadable-file"
            ),
        ]
    );
}

#[test]
fn rules_load_into_their_standard_and_missing_keys_are_reported() {
    let catalog = Catalog::load(vec![
        blob("standards/demo/standard.yaml", STANDARD),
        blob(
            "standards/demo/rules/103.yaml",
            "code: \"103\"\ntitle: Date of birth is before the episode.\nseverity: query\n\
             entity: episodes\nfields: [dob]\nselect: SELECT 1\nstage: 2\n",
        ),
        blob(
            "standards/demo/rules/104.yaml",
            "code: \"104\"\ncheck: TRUE\n",
        ),
        blob(
            "standards/demo/rules/105.yaml",
            "code: \"105\"\ntitle: T\nseverity: fatal\nentity: e\n",
        ),
    ]);
    let demo = &catalog.standards["demo"];
    let rule = &demo.rule("103").unwrap().value;
    assert_eq!(rule.severity, Some(crate::RuleSeverity::Query));
    assert_eq!(rule.entity.as_deref(), Some("episodes"));
    assert_eq!(rule.stage, Some(2));
    assert_eq!(rule.sql(), Some(crate::RuleSql::Select("SELECT 1")));
    assert_eq!(demo.rules.len(), 3, "a rule with bad keys still loads");
    assert_eq!(
        found(&catalog),
        vec![
            (
                "standards/demo/rules/104.yaml".into(),
                Some((1, 1)),
                "missing-key"
            ),
            (
                "standards/demo/rules/104.yaml".into(),
                Some((1, 1)),
                "missing-key"
            ),
            (
                "standards/demo/rules/104.yaml".into(),
                Some((1, 1)),
                "missing-key"
            ),
            (
                "standards/demo/rules/105.yaml".into(),
                Some((3, 11)),
                "invalid-value"
            ),
        ]
    );
}

#[test]
fn a_location_within_a_value_points_at_that_character_in_the_source() {
    let rule =
        "code: \"1\"\ncheck: |\n  a = 1\n  AND b = 2\nselect: >-\n  x\n  AND y\nquoted: \"p q\"\n";
    let catalog = Catalog::load(vec![blob("standards/demo/rules/1.yaml", rule)]);
    let at = |key: &'static str, offset: usize| {
        catalog
            .locate(&Location::file(0).key(key).within(offset))
            .map(|s| (s.line, s.column))
    };
    // `AND` is byte 6 of the literal value "a = 1\nAND b = 2\n".
    assert_eq!(at("check", 6), Some((4, 3)));
    // Folded: "x AND y", `y` is byte 6.
    assert_eq!(at("select", 6), Some((7, 7)));
    assert_eq!(at("quoted", 2), Some((8, 12)));
    // Past the end: the end of the value; on a key that does not exist: the nearest node.
    assert_eq!(at("check", 100).map(|(l, _)| l), Some(5));
    assert_eq!(at("nothing", 3), Some((1, 1)));
}

#[test]
fn files_load_in_natural_order() {
    use super::load::natural_order;
    let mut names = vec![
        "list_10_adoption.yaml",
        "list_1_contacts.yaml",
        "list_2_early_help.yaml",
        "list_11_adopters.yaml",
        "f01.yaml",
        "f1.yaml",
        "f.yaml",
        "a9b.yaml",
        "a10.yaml",
    ];
    names.sort_by(|a, b| natural_order(a, b));
    assert_eq!(
        names,
        [
            "a9b.yaml",
            "a10.yaml",
            "f.yaml",
            "f01.yaml",
            "f1.yaml",
            "list_1_contacts.yaml",
            "list_2_early_help.yaml",
            "list_10_adoption.yaml",
            "list_11_adopters.yaml",
        ]
    );
    for (a, b) in [("f01", "f1"), ("x", "x"), ("2", "10"), ("a", "a0")] {
        assert_eq!(
            natural_order(a, b),
            natural_order(b, a).reverse(),
            "{a} {b}"
        );
    }
}
