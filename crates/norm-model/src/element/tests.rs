use super::*;

#[test]
fn paths_print_and_parse_back() {
    let cases = [
        (ElementPath::standard("ssd"), "ssd"),
        (
            ElementPath::entity("ssd", "ssd_person"),
            "ssd/entities/ssd_person",
        ),
        (
            ElementPath::field("ssd", "ssd_person", "pers_sex"),
            "ssd/entities/ssd_person/fields/pers_sex",
        ),
        (
            ElementPath::codelist("csc-codes", "sex"),
            "csc-codes/codelists/sex",
        ),
        (
            ElementPath::code("csc-codes", "sex", "M"),
            "csc-codes/codelists/sex/codes/M",
        ),
        (
            ElementPath::code("csc-codes", "reason", "N/A"),
            "csc-codes/codelists/reason/codes/N/A",
        ),
        (ElementPath::rule("ssda903", "213"), "ssda903/rules/213"),
    ];
    for (path, text) in cases {
        assert_eq!(path.to_string(), text);
        assert_eq!(text.parse::<ElementPath>(), Ok(path.clone()), "{text}");
        assert_eq!(
            serde_json::to_string(&path).ok(),
            Some(format!("\"{text}\""))
        );
    }
}

#[test]
fn malformed_paths_are_refused() {
    for text in [
        "",
        "/entities/x",
        "ssd/",
        "ssd/entities",
        "ssd/entities/",
        "ssd/tables/x",
        "ssd/entities/x/codes/y",
        "ssd/entities/x/fields/",
        "ssd/entities/x/fields/y/z",
        "ssd/codelists/x/fields/y",
        "ssd/rules/",
    ] {
        assert!(text.parse::<ElementPath>().is_err(), "{text:?} parsed");
    }
}

#[test]
fn parents_and_names() {
    let code = ElementPath::code("c", "sex", "M");
    assert_eq!(code.parent(), Some(ElementPath::codelist("c", "sex")));
    assert_eq!(code.codelist_name(), Some(("c", "sex")));
    assert_eq!(code.name(), "M");
    assert_eq!(code.kind(), ElementKind::Code);
    let field = ElementPath::field("s", "e", "f");
    assert_eq!(field.parent(), Some(ElementPath::entity("s", "e")));
    assert_eq!(field.entity_name(), Some(("s", "e")));
    assert_eq!(
        ElementPath::entity("s", "e").parent(),
        Some(ElementPath::standard("s"))
    );
    assert_eq!(ElementPath::standard("s").parent(), None);
}

fn catalog() -> Catalog {
    let blob = |path: &str, text: &str| crate::Blob {
        path: path.into(),
        bytes: text.as_bytes().to_vec(),
    };
    Catalog::load(vec![
        blob(
            "standards/s/standard.yaml",
            "id: s\ntitle: S\nversion: 1.0.0\n",
        ),
        blob(
            "standards/s/entities/person.yaml",
            "name: person\nfields:\n  - name: id\n    type: string\n  - name: sex\n    type: code\n    codelist: sex\n",
        ),
        blob(
            "standards/s/codelists/sex.yaml",
            "name: sex\ncodes:\n  - code: M\n    label: Male\n  - code: F\n    label: Female\n",
        ),
        blob(
            "standards/s/rules/101.yaml",
            "code: \"101\"\ntitle: Sex is M or F.\nseverity: error\nentity: person\nfields: [sex]\ncheck: sex IN ('M', 'F')\n",
        ),
    ])
}

#[test]
fn the_walk_visits_every_element_in_document_order() {
    let catalog = catalog();
    let paths: Vec<String> = catalog.elements().map(|e| e.path().to_string()).collect();
    assert_eq!(
        paths,
        [
            "s",
            "s/entities/person",
            "s/entities/person/fields/id",
            "s/entities/person/fields/sex",
            "s/codelists/sex",
            "s/codelists/sex/codes/M",
            "s/codelists/sex/codes/F",
            "s/rules/101",
        ]
    );
    for element in catalog.elements() {
        let found = catalog.element(&element.path()).map(|e| e.path());
        assert_eq!(found, Some(element.path()));
    }
    assert!(
        catalog
            .element(&ElementPath::field("s", "person", "x"))
            .is_none()
    );
    assert!(
        catalog
            .element(&ElementPath::entity("t", "person"))
            .is_none()
    );
    assert_eq!(catalog.fields().count(), 2);
    assert_eq!(catalog.codes().count(), 2);
    let rules: Vec<_> = catalog.standards["s"].rules().map(|e| e.title()).collect();
    assert_eq!(rules, [Some("Sex is M or F.")]);
    assert_eq!(catalog.rules().count(), 1);
}

#[test]
fn files_that_did_not_load_are_named_for_their_elements() {
    let blob = |path: &str, text: &str| crate::Blob {
        path: path.into(),
        bytes: text.as_bytes().to_vec(),
    };
    let catalog = Catalog::load(vec![
        blob("standards/s/standard.yaml", "id: s\ntitle: [unclosed\n"),
        blob(
            "standards/s/entities/person.yaml",
            "name: person\nfields:\n  - name: id\n\ttype: string\n",
        ),
        blob(
            "standards/s/entities/place.yaml",
            "name: place\nfields: []\n",
        ),
        blob("standards/s/codelists/sex.yaml", "codes: []\n"),
        blob("standards/s/rules/101.yaml", "code: [\n"),
    ]);
    let unloaded = |p: ElementPath| catalog.unloaded_file(&p).map(|f| f.path.as_str());
    assert_eq!(
        unloaded(ElementPath::standard("s")),
        Some("standards/s/standard.yaml")
    );
    assert_eq!(
        unloaded(ElementPath::field("s", "person", "id")),
        Some("standards/s/entities/person.yaml")
    );
    // A list without its `name` is left out, so its file did not load either.
    assert_eq!(
        unloaded(ElementPath::code("s", "sex", "M")),
        Some("standards/s/codelists/sex.yaml")
    );
    assert_eq!(
        unloaded(ElementPath::rule("s", "101")),
        Some("standards/s/rules/101.yaml")
    );
    assert_eq!(unloaded(ElementPath::entity("s", "place")), None);
    assert!(catalog.has_unloaded_entities());
    assert!(!self::catalog().has_unloaded_entities());
    assert_eq!(unloaded(ElementPath::entity("s", "nowhere")), None);
}

#[test]
fn elements_locate_their_entries() {
    let catalog = catalog();
    let code = catalog
        .element(&ElementPath::code("s", "sex", "F"))
        .map(|e| catalog.locate(&e.location()));
    assert_eq!(code.flatten().map(|s| s.line), Some(5));
    let field = catalog
        .element(&ElementPath::field("s", "person", "sex"))
        .map(|e| catalog.locate(&e.location()));
    assert_eq!(field.flatten().map(|s| s.line), Some(5));
}
