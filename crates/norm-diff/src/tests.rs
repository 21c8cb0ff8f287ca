use std::collections::BTreeSet;

use norm_model::Blob;
use norm_model::schema::{SchemaKind, json_schema};
use proptest::prelude::*;

use super::*;

/// A catalog of in-memory files that loads cleanly.
fn catalog(files: &[(&str, &str)]) -> Catalog {
    let catalog = broken_catalog(files);
    assert!(catalog.diagnostics.is_empty(), "{:?}", catalog.diagnostics);
    catalog
}

const CONFIG: (&str, &str) = (
    "norm.yaml",
    "consumers:\n  - { id: dashboard, kind: dashboard }\n  - { id: cin-census, kind: statutory-return }\n",
);

const OTHER: (&str, &str) = (
    "standards/other/standard.yaml",
    "id: other\ntitle: Other\nversion: 1.0.0\nrequires: { demo: \"^1.0\" }\n",
);

const OTHER_ENTITY: (&str, &str) = (
    "standards/other/entities/extract.yaml",
    "name: extract\nprimary_key: [id]\nfields:\n  - name: id\n    type: string\n    required: true\n  - name: sex\n    type: code\n    codelist: demo/sex\n    used_by: [dashboard]\n",
);

fn old_side() -> Catalog {
    catalog(&[
        CONFIG,
        OTHER,
        OTHER_ENTITY,
        (
            "standards/demo/standard.yaml",
            "id: demo\ntitle: Demo\nversion: 1.0.0\n",
        ),
        (
            "standards/demo/codelists/sex.yaml",
            "name: sex\nextensible: false\ncodes:\n  - { code: M, label: Male }\n  - { code: F, label: Female }\n",
        ),
        (
            "standards/demo/entities/person.yaml",
            "name: person\ndescription: A child known to social care.\nprimary_key: [id]\nfields:\n  - name: id\n    type: string\n    required: true\n  - name: pers_gender\n    item: PERS003A\n    type: code\n    codelist: sex\n    used_by: [cin-census, dashboard]\n  - name: pers_name\n    type: string\n    constraints: { max_length: 50 }\n  - name: pers_old\n    type: string\n",
        ),
    ])
}

/// The acceptance scenario: seven changes declared as a minor bump.
fn new_side(remove_old: bool) -> Catalog {
    let old_field = if remove_old {
        ""
    } else {
        "  - name: pers_old\n    type: string\n    status: deprecated\n    deprecation: { since: 1.1.0, reason: Unused. }\n"
    };
    let person = format!(
        "name: person\ndescription: A child or young person known to social care.\nprimary_key: [id]\nfields:\n  - name: id\n    type: string\n    required: true\n  - name: pers_sex\n    item: PERS003A\n    type: code\n    codelist: sex\n    used_by: [cin-census, dashboard]\n  - name: pers_name\n    type: string\n    constraints: {{ max_length: 40 }}\n{old_field}  - name: pers_nick\n    type: string\n"
    );
    catalog(&[
        CONFIG,
        OTHER,
        OTHER_ENTITY,
        (
            "standards/demo/standard.yaml",
            "id: demo\ntitle: Demo\nversion: 1.1.0\n",
        ),
        (
            "standards/demo/codelists/sex.yaml",
            "name: sex\nextensible: false\ncodes:\n  - { code: M, label: Male }\n  - { code: F, label: Female }\n  - { code: U, label: Unknown }\n",
        ),
        ("standards/demo/entities/person.yaml", &person),
        (
            "standards/demo/entities/address.yaml",
            "name: address\nprimary_key: [id]\nfields:\n  - name: id\n    type: string\n    required: true\n",
        ),
    ])
}

fn options(catalog: &Catalog) -> Options {
    Options {
        config: catalog.config(),
        deprecated_earlier: BTreeSet::new(),
    }
}

#[test]
fn the_acceptance_scenario_is_classified_change_by_change() {
    let (old, new) = (old_side(), new_side(false));
    let set = diff(&old, &new, &options(&new));
    let demo = set.standards.iter().find(|s| s.id == "demo").unwrap();
    let found: Vec<(&str, Bump, String)> = demo
        .changes
        .iter()
        .map(|c| (c.rule, c.bump, c.path.to_string()))
        .collect();
    assert_eq!(
        found
            .iter()
            .map(|(r, b, p)| (*r, *b, p.as_str()))
            .collect::<Vec<_>>(),
        vec![
            ("entity-added", Bump::Minor, "demo/entities/address"),
            ("description-changed", Bump::Patch, "demo/entities/person"),
            (
                "field-renamed",
                Bump::Major,
                "demo/entities/person/fields/pers_sex"
            ),
            (
                "constraint-tightened",
                Bump::Major,
                "demo/entities/person/fields/pers_name"
            ),
            (
                "element-deprecated",
                Bump::Minor,
                "demo/entities/person/fields/pers_old"
            ),
            (
                "field-added-optional",
                Bump::Minor,
                "demo/entities/person/fields/pers_nick"
            ),
            (
                "code-added-closed",
                Bump::Major,
                "demo/codelists/sex/codes/U"
            ),
        ]
    );
    let rename = &demo.changes[2];
    assert_eq!(
        rename.rename,
        Some(("pers_gender".into(), "pers_sex".into()))
    );
    assert_eq!(
        rename.impact.consumers,
        ["cin-census", "dashboard"],
        "statutory returns first"
    );
    let code = &demo.changes[6];
    assert_eq!(
        code.impact
            .dependents
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>(),
        [
            "demo/entities/person/fields/pers_sex",
            "other/entities/extract/fields/sex"
        ]
    );
    assert_eq!(
        code.impact.standards,
        [DependentStandard {
            id: "other".into(),
            range: Some("^1.0".into()),
            admits_new_version: true
        }]
    );
    assert_eq!(demo.declared_bump, Declared::Minor);
    assert_eq!(demo.required_bump, Bump::Major);
    assert_eq!(demo.verdict, Verdict::Insufficient);
    let text = demo.changes[1].text.as_ref().unwrap();
    assert_eq!(
        text.marked(),
        "A child {+or young person +}known to social care."
    );
    // The break reaches `other`, whose range still admits 1.1.0.
    let policies: Vec<&str> = demo.policy_errors.iter().map(|p| p.rule).collect();
    assert_eq!(policies, ["requires-broken"]);
}

#[test]
fn removing_a_field_that_was_never_deprecated_is_a_policy_error() {
    let (old, new) = (old_side(), new_side(true));
    let set = diff(&old, &new, &options(&new));
    let demo = set.standards.iter().find(|s| s.id == "demo").unwrap();
    let removal = demo
        .policy_errors
        .iter()
        .find(|p| p.rule == "removed-without-deprecation")
        .unwrap();
    assert_eq!(
        removal.path.to_string(),
        "demo/entities/person/fields/pers_old"
    );

    // Deprecated in an earlier release: no error.
    let mut earlier = options(&new);
    earlier
        .deprecated_earlier
        .insert(norm_model::ElementPath::field("demo", "person", "pers_old"));
    let set = diff(&old, &new, &earlier);
    let demo = set.standards.iter().find(|s| s.id == "demo").unwrap();
    assert!(
        demo.policy_errors
            .iter()
            .all(|p| p.rule != "removed-without-deprecation")
    );
}

#[test]
fn accepted_breaks_are_marked_not_hidden() {
    let (old, new) = (old_side(), new_side(true));
    let mut opts = options(&new);
    opts.config.diff = Some(norm_model::config::DiffConfig {
        rules: [("code-added-closed".to_owned(), Bump::Minor)].into(),
        accept: vec![Accept {
            fingerprint: None,
            rule: Some("removed-without-deprecation".into()),
            path: Some("demo/entities/person/fields/pers_old".into()),
            reason: "Removed by the DfE in 2025-26.".into(),
        }],
    });
    let set = diff(&old, &new, &opts);
    let demo = set.standards.iter().find(|s| s.id == "demo").unwrap();
    let removal = demo
        .policy_errors
        .iter()
        .find(|p| p.rule == "removed-without-deprecation")
        .unwrap();
    assert_eq!(
        removal.accepted.as_deref(),
        Some("Removed by the DfE in 2025-26.")
    );
    let code = demo
        .changes
        .iter()
        .find(|c| c.rule == "code-added-closed")
        .unwrap();
    assert_eq!(code.bump, Bump::Minor, "diff.rules overrides the bump");
}

#[test]
fn versions_below_one_follow_the_zero_y_rules() {
    let entity = "name: a\nfields:\n  - name: x\n    type: string\n";
    let old = catalog(&[
        (
            "standards/d/standard.yaml",
            "id: d\ntitle: D\nversion: 0.3.1\n",
        ),
        ("standards/d/entities/a.yaml", entity),
    ]);
    let new = catalog(&[
        (
            "standards/d/standard.yaml",
            "id: d\ntitle: D\nversion: 0.4.0\n",
        ),
        ("standards/d/entities/a.yaml", "name: a\nfields: []\n"),
    ]);
    let sd = &diff(&old, &new, &Options::default()).standards[0];
    assert!(sd.breaking);
    assert_eq!(
        (sd.required_bump, sd.declared_bump, sd.verdict),
        (Bump::Minor, Declared::Minor, Verdict::Ok)
    );
}

#[test]
fn unparsable_or_decreasing_versions_are_invalid() {
    let old = catalog(&[(
        "standards/d/standard.yaml",
        "id: d\ntitle: D\nversion: 1.2.0\n",
    )]);
    for version in ["1.1.0", "one"] {
        let new = catalog(&[(
            "standards/d/standard.yaml",
            &format!("id: d\ntitle: D\nversion: {version}\n"),
        )]);
        let sd = &diff(&old, &new, &Options::default()).standards[0];
        assert_eq!(sd.verdict, Verdict::Invalid, "{version}");
    }
}

#[test]
fn fingerprints_are_stable_across_versions_of_norm() {
    // FNV-1a is fixed by definition; this value must never change.
    assert_eq!(
        engine::fingerprint(&[
            "field-removed",
            "ssd/entities/person/fields/x",
            "field `x` removed"
        ]),
        "d451d800459f"
    );
}

#[test]
fn every_key_of_the_format_is_classified_by_some_rule() {
    let claimed: BTreeSet<&str> = rules::all().flat_map(|m| m.keys.iter().copied()).collect();
    let properties = |kind: SchemaKind, def: Option<&str>| -> Vec<String> {
        let schema: serde_json::Value = serde_json::from_str(&json_schema(kind)).unwrap();
        let node = match def {
            Some(d) => &schema["$defs"][d],
            None => &schema,
        };
        node["properties"]
            .as_object()
            .unwrap()
            .keys()
            .cloned()
            .collect()
    };
    // Identity and nesting are handled by matching; the version is the declared bump itself.
    let structural = ["standard.version", "entity.fields", "codelist.codes"];
    let mut missing = Vec::new();
    for (prefix, kind, def) in [
        ("standard", SchemaKind::Standard, None),
        ("entity", SchemaKind::Entity, None),
        ("field", SchemaKind::Entity, Some("Field")),
        ("codelist", SchemaKind::Codelist, None),
        ("code", SchemaKind::Codelist, Some("Code")),
        ("rule", SchemaKind::Rule, None),
    ] {
        for key in properties(kind, def) {
            let qualified = format!("{prefix}.{key}");
            if !claimed.contains(qualified.as_str()) && !structural.contains(&qualified.as_str()) {
                missing.push(qualified);
            }
        }
    }
    assert!(
        missing.is_empty(),
        "keys no change rule classifies: {missing:?}"
    );
}

/// A random entity: fields with random types, requiredness and lengths.
fn entity_yaml(fields: &[(u8, bool, u8)]) -> String {
    let types = ["string", "integer", "date", "boolean"];
    let mut text =
        "name: e\nprimary_key: [f0]\nfields:\n  - name: f0\n    type: string\n    required: true\n"
            .to_owned();
    for (i, (t, required, len)) in fields.iter().enumerate() {
        text.push_str(&format!(
            "  - name: f{}\n    type: {}\n    required: {required}\n",
            i + 1,
            types[*t as usize % types.len()]
        ));
        if *len > 0 && types[*t as usize % types.len()] == "string" {
            text.push_str(&format!("    constraints: {{ max_length: {len} }}\n"));
        }
    }
    text
}

fn side(fields: &[(u8, bool, u8)]) -> Catalog {
    side_with(fields, "")
}

/// A side with extra YAML appended to the entity's fields.
fn side_with(fields: &[(u8, bool, u8)], extra: &str) -> Catalog {
    catalog(&[
        (
            "standards/d/standard.yaml",
            "id: d\ntitle: D\nversion: 1.0.0\n",
        ),
        (
            "standards/d/entities/e.yaml",
            &format!("{}{extra}", entity_yaml(fields)),
        ),
    ])
}

fn arb_fields() -> impl Strategy<Value = Vec<(u8, bool, u8)>> {
    prop::collection::vec((0u8..4, any::<bool>(), 0u8..5), 0..6)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn a_catalog_diffed_with_itself_is_empty(fields in arb_fields()) {
        let a = side(&fields);
        prop_assert!(diff(&a, &a, &Options::default()).standards.is_empty());
    }

    #[test]
    fn adding_a_change_never_lowers_the_required_bump(a in arb_fields(), b in arb_fields()) {
        let (old, new) = (side(&a), side(&b));
        let before = diff(&old, &new, &Options::default())
            .standards.first().map_or(Bump::None, |s| s.required_bump);
        // A field no generated side has: a change that cannot cancel another.
        let more = side_with(&b, "  - name: only_here\n    type: string\n");
        let after = diff(&old, &more, &Options::default())
            .standards.first().map_or(Bump::None, |s| s.required_bump);
        prop_assert!(after >= before);
    }

    #[test]
    fn swapping_sides_turns_additions_into_removals(a in arb_fields(), b in arb_fields()) {
        let (x, y) = (side(&a), side(&b));
        let rules = |set: ChangeSet| -> Vec<(String, &'static str)> {
            set.standards.into_iter().flat_map(|s| s.changes).map(|c| (c.path.to_string(), c.rule)).collect()
        };
        let forward = rules(diff(&x, &y, &Options::default()));
        let backward = rules(diff(&y, &x, &Options::default()));
        let added = |v: &[(String, &str)]| -> BTreeSet<String> {
            v.iter().filter(|(_, r)| r.starts_with("field-added")).map(|(p, _)| p.clone()).collect()
        };
        let removed = |v: &[(String, &str)]| -> BTreeSet<String> {
            v.iter().filter(|(_, r)| *r == "field-removed").map(|(p, _)| p.clone()).collect()
        };
        prop_assert_eq!(added(&forward), removed(&backward));
        prop_assert_eq!(removed(&forward), added(&backward));
    }
}

#[test]
fn a_dependent_that_moves_its_range_in_the_same_change_is_not_broken() {
    let old = old_side();
    // `demo` releases the break as 2.0.0 and `other` moves to `^2.0` in the same change.
    let mut files: Vec<(String, String)> = vec![
        (CONFIG.0.into(), CONFIG.1.into()),
        (
            OTHER.0.into(),
            "id: other\ntitle: Other\nversion: 1.1.0\nrequires: { demo: \"^2.0\" }\n".into(),
        ),
        (OTHER_ENTITY.0.into(), OTHER_ENTITY.1.into()),
        ("standards/demo/standard.yaml".into(), "id: demo\ntitle: Demo\nversion: 2.0.0\n".into()),
        (
            "standards/demo/codelists/sex.yaml".into(),
            "name: sex\nextensible: false\ncodes:\n  - { code: M, label: Male }\n  - { code: F, label: Female }\n  - { code: U, label: Unknown }\n".into(),
        ),
    ];
    let person = old.standards["demo"].entity("person").unwrap().file;
    files.push((
        "standards/demo/entities/person.yaml".into(),
        old.file(person).text.to_string(),
    ));
    let refs: Vec<(&str, &str)> = files
        .iter()
        .map(|(p, t)| (p.as_str(), t.as_str()))
        .collect();
    let new = catalog(&refs);
    let set = diff(&old, &new, &options(&new));
    let demo = set.standards.iter().find(|s| s.id == "demo").unwrap();
    assert_eq!(demo.verdict, Verdict::Ok);
    assert!(demo.policy_errors.is_empty(), "{:?}", demo.policy_errors);
    let code = demo
        .changes
        .iter()
        .find(|c| c.rule == "code-added-closed")
        .unwrap();
    assert!(
        code.impact.standards[0].admits_new_version,
        "the impact still shows the new range"
    );
}

/// A catalog of in-memory files, which may have load errors.
fn broken_catalog(files: &[(&str, &str)]) -> Catalog {
    Catalog::load(
        files
            .iter()
            .map(|(p, t)| Blob {
                path: (*p).into(),
                bytes: t.as_bytes().to_vec(),
            })
            .collect::<Vec<_>>(),
    )
}

#[test]
fn a_file_that_does_not_parse_is_not_compared_rather_than_removed() {
    let standard = (
        "standards/demo/standard.yaml",
        "id: demo\ntitle: Demo\nversion: 1.0.0\n",
    );
    let person = (
        "standards/demo/entities/person.yaml",
        "name: person\nfields:\n  - name: id\n    type: string\n",
    );
    let sex = (
        "standards/demo/codelists/sex.yaml",
        "name: sex\ncodes:\n  - { code: M, label: Male }\n",
    );
    let rule = (
        "standards/demo/rules/101.yaml",
        "code: \"101\"\ntitle: T\nseverity: error\nentity: person\ncheck: id IS NOT NULL\n",
    );
    let good = broken_catalog(&[standard, person, sex, rule]);
    // A tab in the entity, an unclosed bracket in the list and the rule, and standard.yaml cut
    // short.
    let bad = broken_catalog(&[
        ("standards/demo/standard.yaml", "id: demo\ntitle: [Demo\n"),
        (
            "standards/demo/entities/person.yaml",
            "name: person\nfields:\n\t- name: id\n",
        ),
        ("standards/demo/codelists/sex.yaml", "name: sex\ncodes: [\n"),
        (
            "standards/demo/rules/101.yaml",
            "code: \"101\"\nfields: [\n",
        ),
    ]);
    let unloaded = vec![
        "standards/demo/codelists/sex.yaml".to_owned(),
        "standards/demo/entities/person.yaml".to_owned(),
        "standards/demo/rules/101.yaml".to_owned(),
        "standards/demo/standard.yaml".to_owned(),
    ];
    for (old, new) in [(&good, &bad), (&bad, &good)] {
        let set = diff(old, new, &Options::default());
        let demo = set.standards.iter().find(|s| s.id == "demo").unwrap();
        assert!(demo.changes.is_empty(), "{:?}", demo.changes);
        assert!(demo.policy_errors.is_empty(), "{:?}", demo.policy_errors);
        assert_eq!(demo.not_compared, unloaded);
        assert_eq!(demo.verdict, Verdict::Ok);
    }
}

#[test]
fn a_rule_reaches_the_consumers_of_its_fields_and_a_field_change_reaches_its_rules() {
    let standard = (
        "standards/demo/standard.yaml",
        "id: demo\ntitle: Demo\nversion: 1.0.0\n",
    );
    let episodes = |length: u32| {
        format!(
            "name: episodes\nfields:\n  - name: place\n    type: string\n    used_by: [cin-census]\n    constraints: {{ max_length: {length} }}\n  - name: decom\n    type: date\n"
        )
    };
    let rule = |sql: &str| {
        format!(
            "code: \"101\"\ntitle: T\nseverity: error\nentity: episodes\nfields: [place]\ncheck: {sql}\n"
        )
    };
    let (old_episodes, new_episodes) = (episodes(3), episodes(2));
    let (old_rule, new_rule) = (rule("place <> 'X1'"), rule("place <> 'X2'"));
    let old = catalog(&[
        CONFIG,
        standard,
        ("standards/demo/entities/episodes.yaml", &old_episodes),
        ("standards/demo/rules/101.yaml", &old_rule),
    ]);
    let new = catalog(&[
        CONFIG,
        standard,
        ("standards/demo/entities/episodes.yaml", &new_episodes),
        ("standards/demo/rules/101.yaml", &new_rule),
    ]);
    let set = diff(&old, &new, &Options::default());
    let changes = &set.standards[0].changes;
    let find = |rule: &str| changes.iter().find(|c| c.rule == rule).unwrap();
    let sql = find("rule-sql-changed");
    assert_eq!(sql.impact.consumers, ["cin-census"]);
    let field = find("constraint-tightened");
    assert_eq!(
        field.impact.dependents,
        [ElementPath::rule("demo", "101")],
        "the rule about the field depends on it"
    );
}
