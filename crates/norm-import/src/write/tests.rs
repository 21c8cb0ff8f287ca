use norm_model::catalog::natural_order;
use norm_model::model::{Constraints, Deprecation, Mapping, Owner, Relation, Source};
use norm_model::{
    Blob, Catalog, Code, CodeList, Entity, EntityData, Field, FieldType, StandardMeta, Status,
};
use proptest::prelude::*;

use super::*;

/// Loads written files as norm would, returning the standard with what the loader found wrong.
fn load(files: &[File]) -> (Catalog, Vec<String>) {
    let blobs = files
        .iter()
        .map(|f| Blob {
            path: format!("standards/st/{}", f.path),
            bytes: f.text.clone().into_bytes(),
        })
        .collect();
    let catalog = Catalog::load(blobs);
    let problems = catalog
        .diagnostics
        .iter()
        .map(|d| format!("{}: {} {}", d.file, d.rule, d.message))
        .collect();
    (catalog, problems)
}

/// The loaded standard as an [`Imported`] (no notes), to compare with what was written.
fn read_back(catalog: &Catalog) -> Imported {
    let standard = &catalog.standards["st"];
    Imported {
        standard: StandardMeta::clone(&standard.meta.as_ref().expect("standard.yaml").value),
        entities: standard
            .entities
            .iter()
            .map(|d| Entity::clone(&d.value))
            .collect(),
        codelists: standard
            .codelists
            .iter()
            .map(|d| CodeList::clone(&d.value))
            .collect(),
        notes: Vec::new(),
    }
}

/// `imported` as the loader gives it back: elements in the natural order of their files,
/// positions set.
fn as_loaded(mut imported: Imported) -> Imported {
    let order = |a: &str, b: &str| natural_order(&format!("{a}.yaml"), &format!("{b}.yaml"));
    imported.entities.sort_by(|a, b| order(&a.name, &b.name));
    imported.codelists.sort_by(|a, b| order(&a.name, &b.name));
    for entity in &mut imported.entities {
        for (i, field) in entity.fields.iter_mut().enumerate() {
            field.position = i;
        }
    }
    for codelist in &mut imported.codelists {
        for (i, code) in codelist.codes.iter_mut().enumerate() {
            code.position = i;
        }
    }
    imported.notes.clear();
    imported
}

fn assert_round_trip(imported: &Imported) {
    let files = files(imported).expect("writes");
    let (catalog, problems) = load(&files);
    let text: Vec<String> = files
        .iter()
        .map(|f| format!("--- {}\n{}", f.path, f.text))
        .collect();
    assert!(problems.is_empty(), "{problems:#?}\n{}", text.join("\n"));
    assert_eq!(
        read_back(&catalog),
        as_loaded(imported.clone()),
        "{}",
        text.join("\n")
    );
}

fn meta(id: &str) -> StandardMeta {
    StandardMeta {
        id: id.into(),
        title: Some("A standard".into()),
        version: Some("0.1.0".into()),
        status: None,
        summary: None,
        description: None,
        owner: None,
        licence: None,
        compatibility: None,
        requires: Default::default(),
        sources: Vec::new(),
        data: None,
    }
}

/// A string field with only its name.
fn field(name: &str) -> Field {
    Field {
        field_type: Some(FieldType::String),
        ..crate::common::field(name.into())
    }
}

fn entity(name: &str, fields: Vec<Field>) -> Entity {
    Entity {
        fields,
        ..crate::common::entity(name.into())
    }
}

fn code(code: &str, label: Option<&str>) -> Code {
    crate::common::code(code.into(), label.map(Into::into))
}

fn codelist(name: &str, codes: Vec<Code>) -> CodeList {
    crate::common::closed_list(name.into(), codes)
}

/// A small standard with every kind of value the writer formats differently.
fn sample() -> Imported {
    let mut person = field("person_id");
    person.item = Some("PERS001A".into());
    person.title = Some("Person ID".into());
    person.description = Some("The person's identifier: unique within the authority.".into());
    person.required = true;
    person.constraints = Some(Constraints {
        max_length: Some(48),
        ..Constraints::default()
    });
    person.examples = vec!["P000123".into(), "01".into()];
    person.used_by = vec!["cin-census".into()];
    person.mappings = vec![
        Mapping {
            to: Some("cin-census/child.la_child_id".into()),
            external: None,
            relation: Relation::Exact,
        },
        Mapping {
            to: None,
            external: Some("CBDS N00097".into()),
            relation: Relation::Close,
        },
    ];
    let mut sex = field("sex");
    sex.field_type = Some(FieldType::Code);
    sex.codelist = Some("sex".into());
    sex.description = Some("First paragraph.\n\nSecond paragraph, after a blank line.\n".into());
    let mut person_entity = entity("person", vec![person, sex]);
    person_entity.primary_key = vec!["person_id".into()];
    person_entity.description = Some(
        "One row for each person known to the service, with the identifiers the case management \
         system gives them and the few facts every return needs."
            .into(),
    );
    person_entity.data = Some(EntityData {
        names: vec!["People".into()],
    });
    let mut standard = meta("st");
    standard.owner = Some(Owner {
        name: "Data to Insight".into(),
        url: Some("https://www.datatoinsight.org".into()),
        email: None,
    });
    standard.requires.insert("csc-codes".into(), "^3.0".into());
    standard.sources = vec![Source {
        title: "SSD data model".into(),
        url: Some("https://github.com/data-to-insight/ssd-data-model".into()),
        publisher: None,
        licence: Some("MIT".into()),
    }];
    let mut f = code("F", Some("Female"));
    f.status = Some(Status::Deprecated);
    f.deprecation = Some(Deprecation {
        since: Some("1.0.0".into()),
        reason: Some("Replaced: see `X`.".into()),
        replaced_by: None,
        removal: None,
    });
    Imported {
        standard,
        entities: vec![person_entity],
        codelists: vec![codelist(
            "sex",
            vec![
                code("01", Some("Male")),
                f,
                code("yes", None),
                code("1.0", Some("null")),
            ],
        )],
        notes: Vec::new(),
    }
}

#[test]
fn a_sample_standard_is_written_like_hand_written_files() {
    let files = files(&sample()).expect("writes");
    let paths: Vec<&str> = files.iter().map(|f| f.path.as_str()).collect();
    assert_eq!(
        paths,
        [
            "standard.yaml",
            "entities/person.yaml",
            "codelists/sex.yaml"
        ]
    );
    insta::assert_snapshot!("sample_standard", files[0].text);
    insta::assert_snapshot!("sample_entity", files[1].text);
    insta::assert_snapshot!("sample_codelist", files[2].text);
    assert_round_trip(&sample());
}

#[test]
fn writing_is_deterministic() {
    assert_eq!(files(&sample()), files(&sample()));
}

#[test]
fn two_elements_of_one_name_are_refused() {
    let mut imported = sample();
    imported.entities.push(entity("person", Vec::new()));
    let error = files(&imported).expect_err("one file for two entities");
    assert!(
        error.to_string().contains("entities/person.yaml"),
        "{error}"
    );
}

#[test]
fn a_name_that_would_leave_the_folder_is_refused() {
    let mut imported = sample();
    imported.entities[0].name = "../escape".into();
    assert!(files(&imported).is_err());
}

#[test]
fn the_repository_standards_survive_a_write_and_load() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let (blobs, _) = norm_model::worktree::read_worktree(&root).expect("reads the repository");
    let catalog = Catalog::load(blobs);
    assert!(catalog.standards.len() >= 3);
    for standard in catalog.standards.values() {
        let imported = Imported {
            standard: StandardMeta::clone(&standard.meta.as_ref().expect("meta").value),
            entities: standard
                .entities
                .iter()
                .map(|d| Entity::clone(&d.value))
                .collect(),
            codelists: standard
                .codelists
                .iter()
                .map(|d| CodeList::clone(&d.value))
                .collect(),
            notes: Vec::new(),
        };
        let mut renamed = imported.clone();
        renamed.standard.id = "st".into();
        assert_round_trip(&renamed);
    }
}

/// Text with every character class the writer treats specially.
fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-zA-Z0-9 .:#,'\"\\-\\[\\]{}|>!&*?%@`~\\\\]{0,30}",
        "[a-z \n\t]{0,40}",
        "([a-z]{1,9} ){10,30}[a-z]{1,9}",
        Just(String::new()),
        Just("null".to_owned()),
        Just("\n".to_owned()),
        Just("  leading\nsecond\n\n".to_owned()),
        Just("2025-05-14".to_owned()),
        Just("\u{2028}\u{feff}\r".to_owned()),
    ]
}

fn name() -> impl Strategy<Value = String> {
    "[a-z][a-z0-9_]{0,8}"
}

fn arb_field() -> impl Strategy<Value = Field> {
    (
        name(),
        proptest::option::of(text()),
        proptest::option::of(text()),
        proptest::collection::vec(text(), 0..4),
        any::<bool>(),
        proptest::option::of(0u64..1000),
        proptest::option::of(-1.0e6f64..1.0e6),
    )
        .prop_map(|(name, title, description, examples, required, max, min)| {
            let mut f = field(&name);
            f.title = title;
            f.description = description;
            f.examples = examples;
            f.required = required;
            if max.is_some() || min.is_some() {
                f.constraints = Some(Constraints {
                    max_length: max,
                    minimum: min,
                    ..Constraints::default()
                });
            }
            f
        })
}

fn arb_imported() -> impl Strategy<Value = Imported> {
    (
        proptest::option::of(text()),
        proptest::collection::vec(arb_field(), 0..5),
        proptest::collection::vec((text(), proptest::option::of(text())), 0..5),
    )
        .prop_map(|(description, fields, codes)| {
            let mut standard = meta("st");
            standard.description = description;
            // Field names must be unique for the entity to load whole.
            let mut seen = std::collections::BTreeSet::new();
            let fields = fields
                .into_iter()
                .filter(|f| seen.insert(f.name.clone()))
                .collect();
            let mut seen = std::collections::BTreeSet::new();
            let codes = codes
                .iter()
                .filter(|(c, _)| seen.insert(c.clone()))
                .map(|(c, l)| code(c, l.as_deref()))
                .collect();
            Imported {
                standard,
                entities: vec![entity("things", fields)],
                codelists: vec![codelist("kinds", codes)],
                notes: Vec::new(),
            }
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]
    #[test]
    fn what_is_written_loads_back_equal(imported in arb_imported()) {
        assert_round_trip(&imported);
    }
}
