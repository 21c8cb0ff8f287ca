//! `norm export xlsx` and `norm export ods`, read back for every standard of ours: by calamine
//! (both formats: the dictionary's sheets and rows, the template's headers and hidden codes) and
//! by openpyxl (XLSX: the same, and the template's drop-down lists, which calamine does not
//! read); the ODS template's lists are checked in its `content.xml`, which xmllint must find
//! well-formed.

#![allow(clippy::unwrap_used)]

mod support;

use std::io::{Cursor, Read};
use std::process::Command;

use calamine::{Data, Reader, SheetVisible, open_workbook_auto_from_rs};
use norm_export::sheet::{Spreadsheet, TEMPLATE_ROWS, export};
use norm_model::{Catalog, Field, Standard, Status};
use serde_json::Value;
use support::{printed, require, run};

/// What a reader should find of one standard.
struct Expected {
    /// Entity sheets, in order, each with its fields.
    entities: Vec<(String, Vec<Field>)>,
    /// Per code list its name and codes, in the order the lists are first used (the
    /// standard's own first).
    lists: Vec<(String, Vec<String>)>,
}

fn expected(catalog: &Catalog, standard: &Standard) -> Expected {
    let exported = |s: Option<Status>| s != Some(Status::Proposed);
    let codes = |l: &norm_model::CodeList| {
        l.codes
            .iter()
            .filter(|c| exported(c.status))
            .map(|c| c.code.clone())
            .collect::<Vec<_>>()
    };
    let mut lists: Vec<(String, Vec<String>)> = standard
        .codelists
        .iter()
        .filter(|l| exported(l.value.status))
        .map(|l| (l.value.name.clone(), codes(&l.value)))
        .collect();
    let mut entities = Vec::new();
    for entity in standard
        .entities
        .iter()
        .filter(|e| exported(e.value.status))
    {
        let fields: Vec<Field> = entity
            .value
            .fields
            .iter()
            .filter(|f| exported(f.status))
            .cloned()
            .collect();
        for field in &fields {
            if let Some(reference) = &field.codelist {
                let (_, list) = catalog.resolve_codelist(standard.id(), reference).unwrap();
                if !lists.iter().any(|(n, _)| n == &list.value.name) {
                    lists.push((list.value.name.clone(), codes(&list.value)));
                }
            }
        }
        entities.push((entity.value.name.clone(), fields));
    }
    Expected { entities, lists }
}

fn file<'e>(export: &'e norm_export::Export, name: &str) -> &'e [u8] {
    &export
        .files
        .iter()
        .find(|(n, _)| n == name)
        .unwrap_or_else(|| panic!("{name} is written"))
        .1
}

fn cell(data: &Data) -> String {
    match data {
        Data::String(s) => s.clone(),
        Data::Empty => String::new(),
        other => panic!("only text cells: {other:?}"),
    }
}

/// Reads the dictionary and the template with calamine and checks them against the standard.
fn check_with_calamine(
    standard: &Standard,
    expected: &Expected,
    dictionary: &[u8],
    template: &[u8],
) {
    let id = standard.id();
    let mut book = open_workbook_auto_from_rs(Cursor::new(dictionary.to_vec())).unwrap();
    let mut names = vec!["Entities".to_owned(), "Fields".to_owned()];
    names.extend(expected.entities.iter().map(|(e, _)| e.clone()));
    names.push("Code lists".into());
    assert_eq!(book.sheet_names(), names, "{id}: the dictionary's sheets");
    let entities = book.worksheet_range("Entities").unwrap();
    let listed: Vec<String> = entities.rows().skip(1).map(|r| cell(&r[0])).collect();
    assert_eq!(
        listed,
        names[2..names.len() - 1],
        "{id}: the Entities sheet"
    );
    // Every field of every entity in one sheet, each row led by its entity.
    let all = book.worksheet_range("Fields").unwrap();
    let rows: Vec<(String, String)> = all
        .rows()
        .skip(1)
        .map(|r| (cell(&r[0]), cell(&r[1])))
        .collect();
    let want: Vec<(String, String)> = expected
        .entities
        .iter()
        .flat_map(|(e, fields)| fields.iter().map(move |f| (e.clone(), f.name.clone())))
        .collect();
    assert_eq!(rows, want, "{id}: the Fields sheet");
    for (entity, fields) in &expected.entities {
        let range = book.worksheet_range(entity).unwrap();
        let rows: Vec<Vec<String>> = range.rows().map(|r| r.iter().map(cell).collect()).collect();
        assert_eq!(
            rows[0][..6],
            ["Field", "Column", "Title", "Type", "Required", "Key"],
            "{id}/{entity}: header"
        );
        assert_eq!(
            rows.len(),
            fields.len() + 1,
            "{id}/{entity}: a row per field"
        );
        for (row, field) in rows[1..].iter().zip(fields) {
            assert_eq!(row[0], field.name);
            assert_eq!(row[2], field.title.clone().unwrap_or_default());
            assert_eq!(row[3], field.field_type.unwrap().as_str());
            assert_eq!(
                row[4],
                if field.required { "yes" } else { "" },
                "{id}/{entity}.{}: required",
                field.name
            );
            let key = standard
                .entity(entity)
                .unwrap()
                .value
                .primary_key
                .contains(&field.name);
            assert_eq!(
                row[5],
                if key { "yes" } else { "" },
                "{id}/{entity}.{}: key",
                field.name
            );
        }
    }
    let codes = book.worksheet_range("Code lists").unwrap();
    let rows: Vec<(String, String)> = codes
        .rows()
        .skip(1)
        .map(|r| (cell(&r[0]), cell(&r[2])))
        .collect();
    let want: Vec<(String, String)> = expected
        .lists
        .iter()
        .flat_map(|(l, codes)| codes.iter().map(move |c| (l.clone(), c.clone())))
        .collect();
    assert_eq!(rows, want, "{id}: the Code lists sheet, codes kept as text");

    let mut book = open_workbook_auto_from_rs(Cursor::new(template.to_vec())).unwrap();
    let mut names: Vec<String> = expected.entities.iter().map(|(e, _)| e.clone()).collect();
    names.push("Codes".into());
    assert_eq!(book.sheet_names(), names, "{id}: the template's sheets");
    let hidden: Vec<bool> = book
        .sheets_metadata()
        .iter()
        .map(|s| s.visible != SheetVisible::Visible)
        .collect();
    let with_entities = !expected.entities.is_empty();
    assert_eq!(
        hidden.last(),
        Some(&with_entities),
        "{id}: the Codes sheet is hidden, unless it is all there is"
    );
    assert!(
        hidden[..hidden.len() - 1].iter().all(|h| !h),
        "{id}: entity sheets show"
    );
    for (entity, fields) in &expected.entities {
        let range = book.worksheet_range(entity).unwrap();
        let header: Vec<String> = range.rows().next().unwrap().iter().map(cell).collect();
        let want: Vec<String> = fields
            .iter()
            .map(|f| f.column.clone().unwrap_or_else(|| f.name.clone()))
            .collect();
        assert_eq!(
            header, want,
            "{id}/{entity}: the template's headers are the data files'"
        );
    }
    let codes = book.worksheet_range("Codes").unwrap();
    for (c, (list, values)) in expected.lists.iter().enumerate() {
        let column: Vec<String> = codes
            .rows()
            .map(|r| r.get(c).map(cell).unwrap_or_default())
            .collect();
        assert_eq!(&column[0], list);
        assert_eq!(
            &column[1..=values.len()],
            values.as_slice(),
            "{id}: codes of {list}"
        );
    }
}

#[test]
fn every_standard_s_workbooks_read_back_with_calamine() {
    let catalog = support::ours();
    for standard in support::standards() {
        let expected = expected(catalog, standard);
        for kind in [Spreadsheet::Xlsx, Spreadsheet::Ods] {
            let export = export(catalog, standard, kind);
            let ext = kind.extension();
            let dictionary = file(&export, &format!("{}-dictionary.{ext}", standard.id()));
            let template = file(&export, &format!("{}-template.{ext}", standard.id()));
            check_with_calamine(standard, &expected, dictionary, template);
        }
    }
}

/// Where the template's list for field `f` of an entity draws its codes: `'Codes'!$B$2:$B$4`.
fn source(
    expected: &Expected,
    field: &Field,
    catalog: &Catalog,
    standard: &Standard,
) -> (usize, usize) {
    let (_, list) = catalog
        .resolve_codelist(standard.id(), field.codelist.as_deref().unwrap())
        .unwrap();
    let c = expected
        .lists
        .iter()
        .position(|(n, _)| n == &list.value.name)
        .unwrap();
    (c, expected.lists[c].1.len())
}

fn letters(column: usize) -> String {
    let mut n = column + 1;
    let mut out = Vec::new();
    while n > 0 {
        out.push(char::from(b'A' + ((n - 1) % 26) as u8));
        n = (n - 1) / 26;
    }
    out.iter().rev().collect()
}

/// openpyxl's reading of a workbook: per sheet, its state, its rows and its data validations.
const OPENPYXL: &str = r#"
import json, sys, openpyxl
out = {}
for path in sys.argv[1:]:
    book = openpyxl.load_workbook(path)
    out[path] = {ws.title: {
        "state": ws.sheet_state,
        "rows": [[c if c is not None else "" for c in row] for row in ws.iter_rows(values_only=True)],
        "validations": [{"type": v.type, "sqref": str(v.sqref), "formula1": v.formula1, "allow_blank": bool(v.allow_blank)}
                        for v in ws.data_validations.dataValidation],
    } for ws in book.worksheets}
json.dump(out, sys.stdout)
"#;

#[test]
fn every_standard_s_xlsx_reads_back_with_openpyxl_drop_down_lists_and_all() {
    let Some(python) = require("openpyxl (Python)", support::PIP_HINT, support::python()) else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let catalog = support::ours();
    let mut paths = Vec::new();
    for standard in support::standards() {
        let export = export(catalog, standard, Spreadsheet::Xlsx);
        support::write_export(dir.path(), &export);
        for (name, _) in &export.files {
            paths.push(dir.path().join(name));
        }
    }
    let output = run(Command::new(&python).arg("-c").arg(OPENPYXL).args(&paths));
    assert!(
        output.status.success(),
        "openpyxl reads every workbook: {}",
        printed(&output)
    );
    let read: Value = serde_json::from_slice(&output.stdout).unwrap();
    let mut lists_seen = 0;
    for standard in support::standards() {
        let id = standard.id();
        let expected = expected(catalog, standard);
        let path = |kind: &str| {
            dir.path()
                .join(format!("{id}-{kind}.xlsx"))
                .display()
                .to_string()
        };
        let dictionary = &read[path("dictionary")];
        for (entity, fields) in &expected.entities {
            let rows = dictionary[entity]["rows"].as_array().unwrap();
            let names: Vec<&str> = rows[1..].iter().map(|r| r[0].as_str().unwrap()).collect();
            let want: Vec<&str> = fields.iter().map(|f| f.name.as_str()).collect();
            assert_eq!(names, want, "{id}/{entity}: openpyxl reads the fields");
        }
        let template = &read[path("template")];
        let state = if expected.entities.is_empty() {
            "visible"
        } else {
            "hidden"
        };
        assert_eq!(template["Codes"]["state"], state, "{id}");
        let codes = template["Codes"]["rows"].as_array().unwrap();
        for (entity, fields) in &expected.entities {
            let validations = template[entity]["validations"].as_array().unwrap();
            let coded: Vec<(usize, &Field)> = fields
                .iter()
                .enumerate()
                .filter(|(_, f)| f.codelist.is_some())
                .collect();
            assert_eq!(
                validations.len(),
                coded.len(),
                "{id}/{entity}: a drop-down list per coded column: {validations:?}"
            );
            for (column, field) in coded {
                let col = letters(column);
                let sqref = format!("{col}2:{col}{}", TEMPLATE_ROWS + 1);
                let v = validations
                    .iter()
                    .find(|v| v["sqref"] == sqref.as_str())
                    .unwrap_or_else(|| {
                        panic!(
                            "{id}/{entity}.{}: a list on {sqref}: {validations:?}",
                            field.name
                        )
                    });
                assert_eq!(v["type"], "list");
                let (c, n) = source(&expected, field, catalog, standard);
                let source_col = letters(c);
                assert_eq!(
                    v["formula1"],
                    format!("'Codes'!${source_col}$2:${source_col}${}", n + 1),
                    "{id}/{entity}.{}",
                    field.name
                );
                // The cells the formula names hold exactly the list's codes.
                let offered: Vec<&str> = codes[1..=n]
                    .iter()
                    .map(|r| r[c].as_str().unwrap())
                    .collect();
                assert_eq!(
                    offered,
                    expected.lists[c]
                        .1
                        .iter()
                        .map(String::as_str)
                        .collect::<Vec<_>>()
                );
                lists_seen += 1;
            }
        }
    }
    assert!(
        lists_seen > 30,
        "drop-down lists were checked: {lists_seen}"
    );
}

#[test]
fn every_standard_s_ods_template_offers_each_coded_column_its_codes() {
    let Some(xmllint) = require(
        "xmllint",
        support::APT_HINT,
        support::find_on_path("xmllint"),
    ) else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let catalog = support::ours();
    for standard in support::standards() {
        let id = standard.id();
        let expected = expected(catalog, standard);
        let export = export(catalog, standard, Spreadsheet::Ods);
        for kind in ["dictionary", "template"] {
            let bytes = file(&export, &format!("{id}-{kind}.ods"));
            let mut zip = zip::ZipArchive::new(Cursor::new(bytes.to_vec())).unwrap();
            let first = zip.by_index(0).unwrap();
            assert_eq!(
                (first.name().unwrap().into_owned(), first.compression()),
                ("mimetype".to_owned(), zip::CompressionMethod::Stored),
                "{id}: ODF's first entry"
            );
            drop(first);
            let mut mimetype = String::new();
            zip.by_name("mimetype")
                .unwrap()
                .read_to_string(&mut mimetype)
                .unwrap();
            assert_eq!(mimetype, "application/vnd.oasis.opendocument.spreadsheet");
            let mut content = String::new();
            zip.by_name("content.xml")
                .unwrap()
                .read_to_string(&mut content)
                .unwrap();
            let path = dir.path().join(format!("{id}-{kind}-content.xml"));
            std::fs::write(&path, &content).unwrap();
            let lint = run(Command::new(&xmllint).arg("--noout").arg(&path));
            assert!(
                lint.status.success(),
                "{id}: content.xml is well-formed: {}",
                printed(&lint)
            );
            if kind == "dictionary" {
                assert!(
                    !content.contains("content-validation"),
                    "{id}: the dictionary has no lists"
                );
                continue;
            }
            for (entity, fields) in &expected.entities {
                let offered = ods_lists(&content, entity);
                for (column, field) in fields.iter().enumerate() {
                    let want = field.codelist.is_some().then(|| {
                        let (c, n) = source(&expected, field, catalog, standard);
                        let col = letters(c);
                        format!(
                            "of:cell-content-is-in-list([$'Codes'.${col}$2:.${col}${}])",
                            n + 1
                        )
                    });
                    assert_eq!(
                        offered.get(&column),
                        want.as_ref(),
                        "{id}/{entity}.{}: its list",
                        field.name
                    );
                }
            }
        }
    }
}

/// The drop-down lists of one sheet of an ODS `content.xml`: by column, the condition of the
/// validation its cells name.
fn ods_lists(content: &str, sheet: &str) -> std::collections::BTreeMap<usize, String> {
    let attribute = |text: &str, name: &str| -> Option<String> {
        let start = text.find(&format!("{name}=\""))? + name.len() + 2;
        let end = text[start..].find('"')? + start;
        Some(
            text[start..end]
                .replace("&apos;", "'")
                .replace("&quot;", "\""),
        )
    };
    let conditions: Vec<(String, String)> = content
        .split("<table:content-validation ")
        .skip(1)
        .map(|v| {
            (
                attribute(v, "table:name").unwrap(),
                attribute(v, "table:condition").unwrap(),
            )
        })
        .collect();
    let table = content
        .split("<table:table ")
        .skip(1)
        .find(|t| attribute(t, "table:name").as_deref() == Some(sheet))
        .unwrap_or_else(|| panic!("a table {sheet}"));
    let table = &table[..table.find("</table:table>").unwrap()];
    let mut lists = std::collections::BTreeMap::new();
    let Some(repeated) = table
        .split("<table:table-row")
        .find(|r| r.contains("number-rows-repeated"))
    else {
        return lists;
    };
    assert_eq!(
        attribute(repeated, "table:number-rows-repeated").unwrap(),
        TEMPLATE_ROWS.to_string()
    );
    for (column, cell) in repeated.split("<table:table-cell").skip(1).enumerate() {
        if let Some(name) = attribute(cell, "table:content-validation-name") {
            let condition = conditions
                .iter()
                .find(|(n, _)| *n == name)
                .unwrap()
                .1
                .clone();
            lists.insert(column, condition);
        }
    }
    lists
}

#[test]
fn the_same_standard_gives_the_same_workbooks_byte_for_byte() {
    let catalog = support::ours();
    let standard = &catalog.standards["cin-census"];
    for kind in [Spreadsheet::Xlsx, Spreadsheet::Ods] {
        let first = export(catalog, standard, kind);
        std::thread::sleep(std::time::Duration::from_millis(1100));
        assert_eq!(
            first,
            export(catalog, standard, kind),
            "{kind:?}: no clock in the files"
        );
    }
}
