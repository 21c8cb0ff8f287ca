//! `norm import column-map`: specifications, patches, history and hostile sources.

#![allow(clippy::unwrap_used)]

mod support;

use std::fs;

use norm_import::column_map::{history, import};
use support::{error, fixture, lists, notes, shape};

fn base() -> Vec<std::path::PathBuf> {
    vec![fixture("column-map/Demo_schema_2023.yml")]
}

#[test]
fn a_specification_becomes_entities_fields_and_shared_code_lists() {
    let imported = import(&base()).unwrap();
    assert_eq!(
        shape(&imported),
        [
            "header(child:string!, sex:code!=sex, dob:date!, postcode:string)",
            "visits(child:string!, visit_date:date!, logged:date, count:integer, sex:code=sex, \
             outcome:code=outcome)",
        ]
    );
    assert_eq!(
        lists(&imported),
        ["sex: 1=Boy, 2=Girl", "outcome: A1=Attended, N1"]
    );
    assert!(
        imported
            .codelists
            .iter()
            .all(|l| l.extensible == Some(false))
    );
    let standard = &imported.standard;
    assert_eq!(standard.id, "demo");
    assert_eq!(standard.title.as_deref(), Some("Demo"));
    assert_eq!(
        standard
            .data
            .as_ref()
            .and_then(|d| d.date_format.as_deref()),
        Some("%d/%m/%Y")
    );
    assert_eq!(standard.sources[0].title, "Demo_schema_2023.yml");
    let visits = &imported.entities[1];
    assert_eq!(visits.data.as_ref().unwrap().names, ["visits"]);
    assert_eq!(visits.fields[1].column.as_deref(), Some("VISIT_DATE"));
    let count = visits.fields[3].constraints.as_ref().unwrap();
    assert_eq!((count.minimum, count.maximum), (Some(0.0), Some(12.0)));
}

#[test]
fn the_result_lints_with_only_the_sources_gaps() {
    // The specification has no keys, titles or descriptions: those are the source's gaps.
    assert_eq!(
        support::lint(&import(&base()).unwrap()),
        [
            "error missing-primary-key: 2",
            "warning missing-description: 15",
            "warning missing-provenance: 1",
            "warning missing-title: 15",
        ]
    );
}

#[test]
fn the_mapping_report_names_each_inexact_value_by_line() {
    let imported = import(&base()).unwrap();
    assert_eq!(
        notes(&imported),
        [
            "Demo_schema_2023.yml:18:15 type-read-as: string kind `postcode` read as string; \
             its check is not kept",
            "Demo_schema_2023.yml:35:9 key-not-mapped: numeric `decimal_places` has no \
             constraint in the standard: not kept",
            "Demo_schema_2023.yml:46:11 code-synonyms: code `A1`: 2 other spellings the source \
             accepts are not kept",
            "Demo_schema_2023.yml:52:7 key-not-mapped: `sort` has no place in the standard: not \
             kept",
            "Demo_schema_2023.yml:28:13 date-format-differs: date format `%Y-%m-%d` differs \
             from the standard's `%d/%m/%Y`, which is kept",
        ]
    );
}

#[test]
fn patches_apply_in_order_one_revision_a_year() {
    let sources = vec![
        fixture("column-map/Demo_schema_2023.yml"),
        fixture("column-map/Demo_schema_2024.diff.yml"),
        fixture("column-map/Demo_schema_2025.diff.yml"),
    ];
    let revisions = history(&sources).unwrap();
    let labels: Vec<&str> = revisions.iter().map(|r| r.label.as_str()).collect();
    assert_eq!(labels, ["2022-23", "2023-24", "2024-25"]);

    let second = &revisions[1].imported;
    assert_eq!(
        shape(second)[1..],
        [
            "visits(child:string!, visit_date:date!, recorded:date<-logged, count:integer, \
             sex:code=sex, outcome:code=outcome)",
            "carers(child:string!)",
        ]
    );
    assert_eq!(lists(second)[1], "outcome: A1=Attended, N1, N2");
    assert_eq!(second.standard.sources.len(), 2);

    let third = &revisions[2].imported;
    assert_eq!(
        shape(third),
        [
            "header(child:string!, sex:code!=header_sex, dob:date!, postcode:string)",
            "visits(child:string!, visit_date:date!, recorded:date<-logged, \
             sex:code=visits_sex, outcome:code=outcome)",
            "carers(child:string!)",
        ]
    );
    assert_eq!(
        lists(third),
        [
            "header_sex: M, F",
            "visits_sex: 1=Boy, 2=Girl",
            "outcome: A1=Attended, N1, N2"
        ]
    );
    assert_eq!(import(&sources).unwrap(), revisions[2].imported);
}

#[test]
fn a_folder_is_read_as_its_files_by_year() {
    let revisions = history(&[fixture("column-map")]).unwrap();
    let labels: Vec<&str> = revisions.iter().map(|r| r.label.as_str()).collect();
    assert_eq!(labels, ["2022-23", "2023-24", "2024-25"]);
}

#[test]
fn the_same_source_gives_the_same_standard() {
    assert_eq!(import(&base()).unwrap(), import(&base()).unwrap());
}

/// Writes `files` into a fresh folder and imports them in the order given.
fn import_files(files: &[(&str, &[u8])]) -> Result<norm_import::Imported, String> {
    let dir = tempfile::tempdir().unwrap();
    let paths: Vec<_> = files
        .iter()
        .map(|(name, text)| {
            let path = dir.path().join(name);
            fs::write(&path, text).unwrap();
            path
        })
        .collect();
    import(&paths).map_err(|e| error(&e))
}

const SPEC: &str = "column_map:\n  header:\n    CHILD:\n      string: alphanumeric\n";

#[test]
fn malformed_yaml_is_a_located_error() {
    let e = import_files(&[("Bad_2020.yml", b"column_map:\n  header: [CHILD\n")]).unwrap_err();
    assert_eq!(e, "Bad_2020.yml:2:11: this `[` is never closed");
}

#[test]
fn a_patch_that_names_a_missing_path_is_a_located_error() {
    let patch = "column_map.header.CHILD.string:\n  type: modify\n  value: x\n\
                 column_map.episodes.DECOM:\n  type: modify\n  value: {date: \"%d/%m/%Y\"}\n";
    let e = import_files(&[
        ("S_2020.yml", SPEC.as_bytes()),
        ("S_2021.diff.yml", patch.as_bytes()),
    ])
    .unwrap_err();
    assert_eq!(
        e,
        "S_2021.diff.yml:4:1: `column_map.episodes.DECOM` names `episodes`, which the \
         specification does not have at this point"
    );
}

#[test]
fn removing_a_column_that_is_not_there_is_a_located_error() {
    let patch = "column_map.header:\n  type: remove\n  value:\n    - CHILD\n    - UPN\n";
    let e = import_files(&[
        ("S_2020.yml", SPEC.as_bytes()),
        ("S_2021.diff.yml", patch.as_bytes()),
    ])
    .unwrap_err();
    assert_eq!(
        e,
        "S_2021.diff.yml:5:7: `column_map.header` has no `UPN` to remove at this point"
    );
}

#[test]
fn an_unknown_change_type_is_a_located_error() {
    let patch = "column_map.header.CHILD:\n  type: replace\n  value: {}\n";
    let e = import_files(&[
        ("S_2020.yml", SPEC.as_bytes()),
        ("S_2021.diff.yml", patch.as_bytes()),
    ])
    .unwrap_err();
    assert!(
        e.starts_with(
            "S_2021.diff.yml:1:1: the change to `column_map.header.CHILD` has type `replace`"
        ),
        "{e}"
    );
}

#[test]
fn a_patch_before_any_specification_is_refused() {
    let e =
        import_files(&[("S_2021.diff.yml", b"column_map.header:\n  type: remove\n")]).unwrap_err();
    assert!(e.starts_with("S_2021.diff.yml: a patch comes first"), "{e}");
}

#[test]
fn a_byte_order_mark_is_dropped_and_windows_1252_is_refused_where_it_starts() {
    let mut bom = b"\xEF\xBB\xBF".to_vec();
    bom.extend_from_slice(SPEC.as_bytes());
    let imported = import_files(&[("S_2020.yml", &bom)]).unwrap();
    assert_eq!(shape(&imported), ["header(child:string)"]);
    assert!(imported.notes.is_empty());

    let latin = b"column_map:\n  header:\n    CHILD:\n      category:\n        - code: \"1\"\n          name: \"Caf\xE9\"\n";
    let e = import_files(&[("S_2020.yml", latin)]).unwrap_err();
    assert_eq!(
        e,
        "S_2020.yml:6:21: this is not UTF-8 text: save the file as UTF-8"
    );
}

#[test]
fn a_table_can_be_renamed_and_a_path_removed_whole() {
    let spec = "column_map:\n  header:\n    CHILD:\n      string: alphanumeric\n  old_list:\n    CHILD:\n      string: alphanumeric\n";
    let patch = "column_map.header:\n  type: rename\n  value: children\ncolumn_map.old_list:\n  type: remove\n";
    let imported = import_files(&[
        ("S_2020.yml", spec.as_bytes()),
        ("S_2021.diff.yml", patch.as_bytes()),
    ])
    .unwrap();
    assert_eq!(shape(&imported), ["children(child:string)"]);
    assert_eq!(imported.entities[0].renamed_from, ["header"]);
    assert_eq!(
        imported.entities[0].data.as_ref().unwrap().names,
        ["children"]
    );
    let twice = "column_map.header:\n  type: rename\n  value: old_list\n";
    let e = import_files(&[
        ("S_2020.yml", spec.as_bytes()),
        ("S_2021.diff.yml", twice.as_bytes()),
    ])
    .unwrap_err();
    assert_eq!(
        e,
        "S_2021.diff.yml:1:1: `column_map.header` is renamed to `old_list`, which exists already"
    );
}

#[test]
fn a_table_that_is_not_a_mapping_is_reported() {
    let spec = "column_map:\n  header: [CHILD, DOB]\n";
    let imported = import_files(&[("S_2020.yml", spec.as_bytes())]).unwrap();
    assert_eq!(shape(&imported), ["header()"]);
    assert_eq!(
        notes(&imported),
        [
            "S_2020.yml:2:11 value-not-mapped: table `header` is not a mapping of columns: no \
          fields read"
        ]
    );
}

#[test]
fn merge_keys_share_column_definitions() {
    let spec = "column_map:\n  list_1:\n    Start date: &date\n      date: \"%d/%m/%Y\"\n      canbeblank: false\n    End date:\n      <<: *date\n      canbeblank: true\n";
    let imported = import_files(&[("Annex_A_schema.yml", spec.as_bytes())]).unwrap();
    assert_eq!(
        shape(&imported),
        ["list_1(start_date:date!, end_date:date)"]
    );
    assert_eq!(imported.standard.id, "annex-a");
    assert_eq!(
        imported.entities[0].fields[1].column.as_deref(),
        Some("End date")
    );
}

/// The real SSDA903 specification: `NORM_903_SOURCE` is the folder holding
/// `SSDA903_schema_2017.yml` and its yearly `*.diff.yml` patches (liia-tools-pipeline's
/// `liiatools/ssda903_pipeline/spec`). Run by hand: `cargo test -p norm-import -- --ignored`.
#[test]
#[ignore = "needs the real source in NORM_903_SOURCE"]
fn the_real_ssda903_specification_imports_one_release_a_year() {
    let dir = std::env::var_os("NORM_903_SOURCE").expect("NORM_903_SOURCE names the spec folder");
    let revisions = history(&[dir.into()]).unwrap();
    for pair in revisions.windows(2) {
        let (a, b) = (&pair[0].imported, &pair[1].imported);
        let changed = a.entities != b.entities || a.codelists != b.codelists;
        assert!(changed, "{} changes nothing", pair[1].label);
    }
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
        assert!(imported.entities.iter().all(|e| !e.fields.is_empty()));
    }
}
