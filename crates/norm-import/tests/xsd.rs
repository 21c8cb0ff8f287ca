//! `norm import xsd`: entities from nesting, code lists from enumerations, hostile schemas.

#![allow(clippy::unwrap_used)]

mod support;

use std::fs;

use norm_import::xsd::{history, import};
use support::{error, fixture, lists, notes, shape};

#[test]
fn nesting_becomes_entities_with_references_to_their_parents() {
    let imported = import(&[fixture("xsd/Census_schema_2024.xsd")]).unwrap();
    assert_eq!(
        shape(&imported),
        [
            "message(message_id:string!, year:year, authority:string)",
            "pupil(pupil_id_2:string!, message_id:string!->message.message_id, \
             pupil_id:string!, birth_date:date, sex:code!=sex, need:code*=need)",
            "visit(pupil_id_2:string!->pupil.pupil_id_2, visit_date:date!, minutes:integer, \
             recorded:string)",
        ]
    );
    assert_eq!(
        lists(&imported),
        ["sex: M=Male, F=Female", "need: HEAR=Hearing, VIS"]
    );
    let pupil = &imported.entities[1];
    assert_eq!(pupil.primary_key, ["pupil_id_2"]);
    assert_eq!(pupil.fields[2].column.as_deref(), Some("PupilID"));
    assert_eq!(
        pupil.fields[2].description.as_deref(),
        Some("The pupil's identifier in the school's system.")
    );
    let authority = imported.entities[0].fields[2].constraints.as_ref().unwrap();
    assert_eq!(authority.pattern.as_deref(), Some(r"\d{3}"));
    let sex = pupil.fields[4].constraints.as_ref().unwrap();
    assert_eq!(
        sex.min_length,
        Some(1),
        "facets of a named base type are kept"
    );
    let minutes = imported.entities[2].fields[2].constraints.as_ref().unwrap();
    assert_eq!((minutes.minimum, minutes.maximum), (Some(0.0), Some(600.0)));
    assert_eq!(imported.standard.id, "census");
}

#[test]
fn the_result_lints_with_only_the_sources_gaps() {
    // Keys are added only to parents, so the leaf `visit` has none; titles and most
    // descriptions are not in the schema.
    let imported = import(&[fixture("xsd/Census_schema_2024.xsd")]).unwrap();
    assert_eq!(
        support::lint(&imported),
        [
            "error missing-primary-key: 1",
            "warning missing-description: 16",
            "warning missing-provenance: 1",
            "warning missing-title: 19",
        ]
    );
}

#[test]
fn the_mapping_report_says_what_was_flattened_and_what_was_not_kept() {
    let imported = import(&[fixture("xsd/Census_schema_2024.xsd")]).unwrap();
    assert_eq!(
        notes(&imported),
        [
            "Census_schema_2024.xsd:7:7 flattened: `Header` occurs at most once: its fields are \
             read into `message`",
            "Census_schema_2024.xsd:31:7 flattened: `Needs` occurs at most once: its fields are \
             read into `pupil`",
            "Census_schema_2024.xsd:38:7 name-taken: the key `pupil_id` added for the children \
             is taken: named `pupil_id_2`",
            "Census_schema_2024.xsd:57:7 not-mapped: facet `totalDigits` has no constraint in \
             the standard: not kept",
            "Census_schema_2024.xsd:45:7 type-read-as: type `duration` read as string",
        ]
    );
}

#[test]
fn one_revision_per_schema_in_year_order() {
    let revisions = history(&[fixture("xsd")]).unwrap();
    let labels: Vec<&str> = revisions.iter().map(|r| r.label.as_str()).collect();
    assert_eq!(labels, ["2023-24", "2024-25"]);
    let later = &revisions[1].imported;
    assert!(shape(later)[1].contains("birth_date:date, death_date:date, sex:code!=sex"));
    assert_eq!(lists(later)[0], "sex: M=Male, U=Unknown, F=Female");
    assert_eq!(later.standard.sources[0].title, "Census_schema_2025.xsd");
}

/// Imports `text` written as `name` in a fresh folder.
fn import_text(name: &str, text: &str) -> Result<norm_import::Imported, String> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(name);
    fs::write(&path, text).unwrap();
    import(&[path]).map_err(|e| error(&e))
}

const HEAD: &str = "<xs:schema xmlns:xs=\"http://www.w3.org/2001/XMLSchema\">\n";

#[test]
fn malformed_xml_is_a_located_error() {
    let text = format!("{HEAD}  <xs:element name=\"A\">\n</xs:schema>\n");
    let e = import_text("Bad_2020.xsd", &text).unwrap_err();
    assert_eq!(
        e,
        "Bad_2020.xsd:3:1: not well-formed XML: expected 'xs:element' tag, not 'xs:schema'"
    );
}

#[test]
fn an_include_is_refused_where_it_is() {
    let text = format!("{HEAD}  <xs:include schemaLocation=\"common.xsd\"/>\n</xs:schema>\n");
    let e = import_text("Parts_2020.xsd", &text).unwrap_err();
    assert_eq!(
        e,
        "Parts_2020.xsd:2:3: `xs:include` of `common.xsd` is not followed: norm reads one \
         self-contained schema file; merge the parts into one file"
    );
    let text = format!(
        "{HEAD}  <xs:import namespace=\"urn:x\" schemaLocation=\"https://example.org/x.xsd\"/>\n</xs:schema>\n"
    );
    let e = import_text("Parts_2020.xsd", &text).unwrap_err();
    assert!(e.starts_with("Parts_2020.xsd:2:3: `xs:import` of `https://example.org/x.xsd`"));
}

#[test]
fn a_document_type_declaration_is_refused() {
    let text = format!(
        "<?xml version=\"1.0\"?>\n<!DOCTYPE x [<!ENTITY a \"aaaa\">]>\n{HEAD}</xs:schema>\n"
    );
    let e = import_text("Dtd_2020.xsd", &text).unwrap_err();
    assert_eq!(
        e,
        "Dtd_2020.xsd:1:1: a document type declaration (`<!DOCTYPE`) is not read: remove it"
    );
}

#[test]
fn nesting_too_deep_to_be_real_is_refused() {
    let text = format!(
        "{HEAD}<xs:element name=\"A\"><xs:complexType>{}<xs:element name=\"b\"/>{}\
         </xs:complexType></xs:element></xs:schema>\n",
        "<xs:sequence>".repeat(5000),
        "</xs:sequence>".repeat(5000)
    );
    let e = import_text("Deep_2020.xsd", &text).unwrap_err();
    assert!(
        e.ends_with(": nested more than 100 levels deep: not read"),
        "{e}"
    );
    let chain: String = (0..200)
        .map(|i| {
            format!(
                "<xs:complexType name=\"t{i}\"><xs:sequence><xs:element name=\"e{i}\" \
                 type=\"t{}\"/></xs:sequence></xs:complexType>\n",
                i + 1
            )
        })
        .collect();
    let text = format!("{HEAD}<xs:element name=\"A\" type=\"t0\"/>\n{chain}</xs:schema>\n");
    let e = import_text("Chain_2020.xsd", &text).unwrap_err();
    assert_eq!(
        e,
        "Chain_2020.xsd:103:1: nested more than 100 levels deep: not read"
    );
}

#[test]
fn a_document_that_is_not_a_schema_is_refused() {
    let e = import_text("Data_2020.xsd", "<Message><Child/></Message>\n").unwrap_err();
    assert_eq!(
        e,
        "Data_2020.xsd:1:1: the root element is not `xs:schema`: this is not an XML Schema"
    );
}

#[test]
fn a_choice_and_a_type_that_contains_itself_are_reported() {
    let text = format!(
        "{HEAD}  <xs:element name=\"Node\" type=\"nodetype\"/>\n  <xs:complexType name=\"nodetype\">\n    <xs:choice>\n      <xs:element name=\"Leaf\" type=\"xs:string\"/>\n      <xs:element name=\"Inner\" type=\"nodetype\"/>\n    </xs:choice>\n  </xs:complexType>\n</xs:schema>\n"
    );
    let imported = import_text("Tree_2020.xsd", &text).unwrap();
    assert_eq!(shape(&imported), ["node(leaf:string)"]);
    assert_eq!(
        notes(&imported),
        [
            "Tree_2020.xsd:4:5 flattened: a choice: each of its branches is read as an optional \
             field",
            "Tree_2020.xsd:6:7 flattened: `Inner` occurs at most once: its fields are read into \
             `node`",
            "Tree_2020.xsd:3:3 not-mapped: the type contains itself: the inner copy is not read \
             again",
        ]
    );
}

#[test]
fn attributes_extensions_and_simple_content_become_fields() {
    let text = format!(
        "{HEAD}  <xs:element name=\"Visit\" type=\"visittype\"/>
  <xs:complexType name=\"basetype\">
    <xs:sequence><xs:element name=\"Started\" type=\"xs:dateTime\"/></xs:sequence>
    <xs:attribute name=\"Source\" type=\"xs:string\" use=\"required\"/>
  </xs:complexType>
  <xs:complexType name=\"visittype\">
    <xs:complexContent>
      <xs:extension base=\"basetype\">
        <xs:sequence>
          <xs:element name=\"Note\" minOccurs=\"0\">
            <xs:complexType>
              <xs:simpleContent>
                <xs:extension base=\"xs:string\">
                  <xs:attribute name=\"Lang\" type=\"xs:language\"/>
                </xs:extension>
              </xs:simpleContent>
            </xs:complexType>
          </xs:element>
        </xs:sequence>
        <xs:attribute name=\"Count\" type=\"xs:nonNegativeInteger\" use=\"required\"/>
      </xs:extension>
    </xs:complexContent>
  </xs:complexType>
</xs:schema>
"
    );
    let imported = import_text("Visit_2020.xsd", &text).unwrap();
    assert_eq!(
        shape(&imported),
        ["visit(started:datetime!, source:string!, lang:string, count:integer!)"]
    );
    assert_eq!(
        notes(&imported),
        [
            "Visit_2020.xsd:11:11 flattened: `Note` occurs at most once: its fields are read \
             into `visit`",
            "Visit_2020.xsd:13:15 flattened: an element with text and attributes: the text is \
             not kept, the attributes are fields",
        ]
    );
}

/// The real CIN census schemas: `NORM_CIN_XSD_DIR` is a folder of `CIN_schema_<year>.xsd`
/// (liia-tools' and liia-tools-pipeline's `cin_census` spec folders, 2017 to 2026). Run by
/// hand: `cargo test -p norm-import -- --ignored --nocapture`.
#[test]
#[ignore = "needs the real source in NORM_CIN_XSD_DIR"]
fn the_real_cin_schemas_import_one_release_a_year() {
    let dir = std::env::var_os("NORM_CIN_XSD_DIR").expect("NORM_CIN_XSD_DIR names the folder");
    let revisions = history(&[dir.into()]).unwrap();
    for revision in &revisions {
        let imported = &revision.imported;
        let fields: usize = imported.entities.iter().map(|e| e.fields.len()).sum();
        let mut kinds = std::collections::BTreeMap::<&str, usize>::new();
        for note in &imported.notes {
            *kinds.entry(note.kind).or_default() += 1;
        }
        eprintln!(
            "{}: {} entities, {fields} fields, {} code lists, notes {kinds:?}",
            revision.label,
            imported.entities.len(),
            imported.codelists.len()
        );
        eprintln!("  lint: {:?}", support::lint(imported));
        assert!(imported.entities.iter().any(|e| e.name == "child"));
    }
    for pair in revisions.windows(2) {
        let (a, b) = (&pair[0].imported, &pair[1].imported);
        let same = a.entities == b.entities && a.codelists == b.codelists;
        eprintln!(
            "{} {}",
            pair[1].label,
            if same { "unchanged" } else { "changed" }
        );
    }
    if let Some(last) = revisions.last() {
        eprintln!("{:#?}", support::shape(&last.imported));
    }
}
