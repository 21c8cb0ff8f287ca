//! `norm import sheet`: data dictionaries in CSV, XLSX and ODS, and hostile sheets.

#![allow(clippy::unwrap_used)]

mod support;

use std::fs;
use std::path::PathBuf;

use norm_import::sheet::{Role, import, parse_columns};
use support::{error, fixture, lists, notes, shape};

fn csv_sources() -> Vec<PathBuf> {
    vec![fixture("sheet/dictionary.csv"), fixture("sheet/codes.csv")]
}

#[test]
fn a_csv_dictionary_becomes_entities_by_header_synonyms() {
    let imported = import(&csv_sources(), &[]).unwrap();
    assert_eq!(
        shape(&imported),
        [
            "person(person_id:string!, sex:code!=sex, birth_date:date, weight:decimal)",
            "referral(person_id:string!, outcome:code=outcome, source:code=referral_source)",
        ]
    );
    assert_eq!(
        lists(&imported),
        ["sex: M=Male, F=Female", "outcome: A=Accepted, R=Refused"]
    );
    let person = &imported.entities[0];
    assert_eq!(person.data.as_ref().unwrap().names, ["Person"]);
    assert_eq!(person.primary_key, ["person_id"]);
    assert!(imported.entities[1].primary_key.is_empty());
    let id = &person.fields[0];
    assert_eq!(
        (
            id.title.as_deref(),
            id.item.as_deref(),
            id.column.as_deref()
        ),
        (Some("Person ID"), Some("PERS001A"), None)
    );
    assert_eq!(
        id.description.as_deref(),
        Some("Identifier in the case system.")
    );
    assert_eq!(id.constraints.as_ref().unwrap().max_length, Some(48));
    assert_eq!(person.fields[2].column.as_deref(), Some("Birth Date"));
    assert_eq!(imported.standard.id, "dictionary");
    let sources: Vec<&str> = imported
        .standard
        .sources
        .iter()
        .map(|s| s.title.as_str())
        .collect();
    assert_eq!(sources, ["dictionary.csv", "codes.csv"]);
}

#[test]
fn the_result_lints_with_only_the_sources_gaps() {
    // The dictionary names a code list it does not hold and gives one table no key.
    let imported = import(&csv_sources(), &[]).unwrap();
    assert_eq!(
        support::lint(&imported),
        [
            "error dangling-reference: 1",
            "error missing-primary-key: 1",
            "warning missing-description: 11",
            "warning missing-provenance: 1",
            "warning missing-title: 8",
        ]
    );
}

#[test]
fn the_mapping_report_names_line_and_column_of_a_csv() {
    let imported = import(&csv_sources(), &[]).unwrap();
    assert_eq!(
        notes(&imported),
        [
            "dictionary.csv:2:4 type-read-as: type `nvarchar(48)` read as string",
            "dictionary.csv:5:4 type-read-as: type `NUMBER` read as decimal",
            "dictionary.csv:5:5 value-not-mapped: required `maybe` is neither yes nor no: read \
             as no",
            "dictionary.csv:8:9 value-not-mapped: length `abc` is not a whole number: not kept",
            "dictionary.csv:9:2 row-skipped: a row without a field name: not read",
        ]
    );
}

#[test]
fn workbooks_take_their_code_lists_from_a_second_sheet_and_notes_name_the_cell() {
    for (path, name) in [
        ("sheet/dictionary.xlsx", "dictionary.xlsx"),
        ("sheet/dictionary.ods", "dictionary.ods"),
    ] {
        let imported = import(&[fixture(path)], &[]).unwrap();
        assert_eq!(
            shape(&imported),
            ["episode(episode_start:date!, placement:code!=placement, minutes:integer)"],
            "{name}"
        );
        assert_eq!(
            lists(&imported),
            ["placement: K1=Secure home, U1=Foster placement"]
        );
        assert_eq!(
            notes(&imported),
            [format!(
                "{name}[Fields]C4 type-read-as: type `int` read as integer"
            )]
        );
        assert_eq!(
            imported.entities[0].fields[0].column.as_deref(),
            Some("EpisodeStart")
        );
    }
}

#[test]
fn columns_can_be_named_explicitly() {
    let columns = parse_columns("field=Item, type=Format,max_length=Size").unwrap();
    assert_eq!(
        columns,
        [
            (Role::Field, "Item".to_owned()),
            (Role::Type, "Format".to_owned()),
            (Role::MaxLength, "Size".to_owned())
        ]
    );
    let text = "Item,Format,Size,Name\nchild_id,string,10,ignored\n";
    let imported = import_csv(text.as_bytes(), &columns).unwrap();
    assert_eq!(shape(&imported), ["dictionary(child_id:string)"]);
    assert_eq!(
        imported.entities[0].fields[0]
            .constraints
            .as_ref()
            .unwrap()
            .max_length,
        Some(10)
    );
}

#[test]
fn an_explicit_column_is_never_taken_by_a_synonym() {
    // `Name` would be the field by synonym; named as the title, the field falls to `Column`.
    let text = "Name,Column\nChild identifier,child_id\n";
    let columns = parse_columns("title=Name").unwrap();
    let imported = import_csv(text.as_bytes(), &columns).unwrap();
    assert_eq!(shape(&imported), ["dictionary(child_id:string)"]);
    assert_eq!(
        imported.entities[0].fields[0].title.as_deref(),
        Some("Child identifier")
    );
}

#[test]
fn a_bad_columns_option_says_what_is_wrong() {
    assert_eq!(
        parse_columns("field").unwrap_err(),
        "`field` is not `role=Header`"
    );
    assert!(
        parse_columns("colour=Hue").unwrap_err().starts_with(
            "`colour` is not a column role; the roles are entity, field, column, title"
        )
    );
    let columns = parse_columns("field=Item").unwrap();
    let e = import_csv(b"Name,Type\nx,string\n", &columns).unwrap_err();
    assert_eq!(
        e,
        "dictionary.csv:1:1: no column `Item` (from --columns field=Item); the headers are: \
         Name, Type"
    );
}

/// Imports CSV bytes written as `dictionary.csv` in a fresh folder.
fn import_csv(bytes: &[u8], columns: &[(Role, String)]) -> Result<norm_import::Imported, String> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("dictionary.csv");
    fs::write(&path, bytes).unwrap();
    import(&[path], columns).map_err(|e| error(&e))
}

#[test]
fn a_sheet_without_a_field_column_is_a_located_error() {
    let e = import_csv(b"Colour,Size\nred,10\n", &[]).unwrap_err();
    assert_eq!(
        e,
        "dictionary.csv:1:1: no column holds the field names: looked for a header `field`, \
         `field name`, `name`, `column`, `column name`, `item name`; name it with --columns \
         field=<header>"
    );
}

#[test]
fn a_byte_order_mark_does_not_hide_the_first_header() {
    let imported = import_csv(b"\xEF\xBB\xBFField;Type\nchild_id;integer\n", &[]).unwrap();
    assert_eq!(shape(&imported), ["dictionary(child_id:integer)"]);
    assert!(imported.notes.is_empty());
}

#[test]
fn a_windows_1252_csv_is_read_and_reported() {
    let imported = import_csv(b"Field,Title\nchild_id,Caf\xE9 visit\n", &[]).unwrap();
    assert_eq!(
        imported.entities[0].fields[0].title.as_deref(),
        Some("Caf\u{e9} visit")
    );
    assert_eq!(
        notes(&imported),
        [
            "dictionary.csv:2:13 encoding-read-as: the file is not UTF-8 (the first byte that is \
          not is here); read as Windows-1252: check its accented letters, or save it as UTF-8"
        ]
    );
}

#[test]
fn a_file_that_is_not_a_workbook_is_a_located_error() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("broken.xlsx");
    fs::write(&path, b"not a zip file").unwrap();
    let e = error(&import(&[path], &[]).unwrap_err());
    assert_eq!(
        e,
        "broken.xlsx: cannot read the workbook: it is plain text, not a workbook: if it is a CSV \
         file, name it .csv"
    );
}

#[test]
fn an_unterminated_quote_is_a_located_error() {
    let text = b"Field,Title\nchild_id,Child\nvisit_id,\"open\nsex,Sex\n";
    let e = import_csv(text, &[]).unwrap_err();
    assert_eq!(
        e,
        "dictionary.csv:3: a quoted value on this row is never closed, so the rest of the file \
         would be read into it: close the quote"
    );
}

#[test]
fn references_columns_entity_sheets_and_list_titles_are_read_and_the_rest_is_a_note() {
    let dir = tempfile::tempdir().unwrap();
    let write = |name: &str, text: &str| {
        let path = dir.path().join(name);
        fs::write(&path, text).unwrap();
        path
    };
    let sources = [
        write(
            "dictionary.csv",
            "Entity,Field,Column,Type,Key,References,Multiple,Examples\n\
             team,team_id,,string,yes,,,\nchild,child_id,CHILD,string,yes,,,C1\n\
             child,team,,string,,team.team_id,yes,\n",
        ),
        write(
            "codes.csv",
            "List,List title,Code,Label,Description,Status\nsex,Sex,F,Female,,active\n\
             sex,,M,Male,At birth.,active\n",
        ),
        write(
            "entities.csv",
            "Entity,Title,Description,Primary key\nchild,Child,One row per child.,child_id\n\
             ghost,Ghost,,\n",
        ),
        write("other.csv", "Colour,Size\nred,10\n"),
    ];
    let imported = import(&sources, &[]).unwrap();
    let child = &imported.entities[1];
    assert_eq!(child.fields[1].references.as_deref(), Some("team.team_id"));
    assert!(child.fields[1].multiple && !child.fields[0].multiple);
    assert_eq!(child.fields[0].column.as_deref(), Some("CHILD"));
    assert_eq!(child.fields[1].column, None);
    assert_eq!(
        (child.title.as_deref(), child.description.as_deref()),
        (Some("Child"), Some("One row per child."))
    );
    assert_eq!(imported.entities[0].title, None);
    assert_eq!(imported.codelists[0].title.as_deref(), Some("Sex"));
    assert_eq!(lists(&imported), ["sex: F=Female, M=Male"]);
    let codes = &imported.codelists[0].codes;
    assert_eq!(
        (
            codes[0].description.as_deref(),
            codes[1].description.as_deref()
        ),
        (None, Some("At birth."))
    );
    assert_eq!(
        notes(&imported),
        [
            "codes.csv:1:6 column-not-mapped: column `Status` is not read: no role takes it \
             (`--columns` names a column's role)",
            "dictionary.csv:1:8 column-not-mapped: column `Examples` is not read: no role takes \
             it (`--columns` names a column's role)",
            "entities.csv:1:4 column-not-mapped: column `Primary key` is not read: no role \
             takes it (`--columns` names a column's role)",
            "entities.csv:3:1 value-not-mapped: entity `ghost` has no fields in the dictionary: \
             not read",
            "other.csv:1:1 sheet-not-mapped: `other` is not read: it has no field-name column, \
             no list and code columns, and no entity column with titles or descriptions",
        ]
    );
}
