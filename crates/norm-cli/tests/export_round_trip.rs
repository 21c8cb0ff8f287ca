//! Round trips: `norm import table-schema` of our `datapackage` export, and `norm import
//! json-schema` of our `json-schema` export, give back each of our standards, except for what
//! the export's notes say it leaves out and the importer's documented choices. Compared with
//! `norm diff`, so "the same" means what norm's one comparison means.
//!
//! Every difference `norm diff` reports must be explained: at an element the export's
//! `notes.json` names (the export said it cannot carry something there), or one of:
//! - a standard's metadata, which the importer writes afresh (a `draft` at 0.1.0 whose
//!   `sources` name the file read: docs/import.md) and which the notes name as well;
//! - a description whose text is equal but for surrounding whitespace (the importer trims);
//! - an explicit `status: active` read back as the default;
//! - a code list added where the notes say a field's codes are held without the list's name
//!   (the importer names the list after the field);
//! - an entity added where the notes say a code list is written as that table.
//!
//! A format that dropped something in silence (a constraint, a key, a field) fails this test.

#![allow(clippy::unwrap_used)]

mod support;

use std::path::{Path, PathBuf};

use support::Repo;

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// A git repository holding a copy of our `norm.yaml` and `standards/`, committed.
fn our_standards() -> (Repo, Vec<String>) {
    let mut repo = Repo::new();
    let root = workspace_root();
    repo.write(
        "norm.yaml",
        &std::fs::read_to_string(root.join("norm.yaml")).unwrap(),
    );
    let mut stack = vec![root.join("standards")];
    let mut ids = Vec::new();
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            let relative = path
                .strip_prefix(&root)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            if relative.ends_with("/standard.yaml") {
                ids.push(relative.split('/').nth(1).unwrap().to_owned());
            }
            repo.write(&relative, &std::fs::read_to_string(&path).unwrap());
        }
    }
    repo.commit("our standards");
    ids.sort();
    (repo, ids)
}

/// The notes of an export: the paths it names.
fn noted(dir: &Path) -> Vec<(String, String)> {
    let notes: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("notes.json")).unwrap()).unwrap();
    notes
        .as_array()
        .unwrap()
        .iter()
        .map(|n| {
            (
                n["path"].as_str().unwrap().to_owned(),
                n["message"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

/// Why a change of `norm diff` is not a silent loss, or `None`.
fn explained(change: &serde_json::Value, notes: &[(String, String)]) -> Option<&'static str> {
    let path = change["path"].as_str().unwrap();
    let rule = change["rule"].as_str().unwrap();
    let message = change["message"].as_str().unwrap();
    if notes.iter().any(|(p, _)| p == path) {
        return Some("noted");
    }
    let text = &change["text"];
    if rule == "description-changed"
        && text["old"].as_str().map(str::trim) == text["new"].as_str().map(str::trim)
    {
        return Some("trimmed");
    }
    if rule == "unclassified" && message.starts_with("`status` of ") {
        return Some("default status");
    }
    if rule == "codelist-added"
        && notes
            .iter()
            .any(|(_, m)| m.contains("not the reference `codelist:"))
    {
        return Some("named after its field");
    }
    if rule == "entity-added"
        && let Some(table) = path.rsplit('/').next()
        && notes
            .iter()
            .any(|(_, m)| m.ends_with(&format!("is the table `{table}`")))
    {
        return Some("a code list written as a table");
    }
    None
}

/// Exports each of our standards as `export`, imports it back with `import` and checks every
/// difference is explained; `unread` lists, per kind of change, the source column whose
/// `column-not-mapped` note in the import's report explains it (a column the importer cannot
/// read, such as a dictionary's constraints in words), unless the change's message names the
/// third member, a key the importer reads from a column of its own.
fn round_trip(
    export: &str,
    import: &str,
    descriptor: &dyn Fn(&str) -> String,
    unread: &[(&str, &str, Option<&str>)],
) {
    let (repo, ids) = our_standards();
    let scratch = tempfile::tempdir().unwrap();
    // Every export first, from the committed standards: an imported standard (a draft at
    // 0.1.0) would not satisfy the `requires` of the others.
    for id in &ids {
        let dir = scratch.path().join(id);
        let (code, _, err) = repo.norm(&[
            "export",
            export,
            "--standard",
            id,
            "--out",
            dir.to_str().unwrap(),
        ]);
        assert_eq!(code, 0, "{err}");
    }
    let mut silent = Vec::new();
    for id in &ids {
        let dir = scratch.path().join(id);
        let notes = noted(&dir);
        let source = dir.join(descriptor(id));
        let (code, out, err) = repo.norm(&[
            "import",
            import,
            source.to_str().unwrap(),
            "--standard",
            id,
            "--force",
            "--format",
            "json",
        ]);
        if code == 2 {
            // Nothing the importer can read (code lists alone have no record schema): the
            // notes must then name every list.
            let lists =
                std::fs::read_dir(workspace_root().join(format!("standards/{id}/codelists")))
                    .map_or(0, |d| d.count());
            let named = notes
                .iter()
                .filter(|(p, _)| p.starts_with(&format!("{id}/codelists/")))
                .count();
            assert!(
                lists > 0 && named >= lists,
                "{id}: the import failed, and the notes name {named} of {lists} lists:\n{out}{err}"
            );
            continue;
        }
        let imported: serde_json::Value = serde_json::from_str(&out).unwrap();
        let not_read = |header: &str| {
            imported["notes"].as_array().unwrap().iter().any(|n| {
                n["kind"] == "column-not-mapped"
                    && n["message"]
                        .as_str()
                        .unwrap()
                        .starts_with(&format!("column `{header}` "))
            })
        };
        let (code, out, err) = repo.norm(&["diff", "HEAD", "--standard", id, "--format", "json"]);
        assert_eq!(code, 0, "{err}");
        let report: serde_json::Value = serde_json::from_str(&out).unwrap();
        for standard in report["standards"].as_array().unwrap() {
            for change in standard["changes"].as_array().unwrap() {
                let message = change["message"].as_str().unwrap();
                let unread = unread.iter().any(|(rule, header, read)| {
                    change["rule"] == *rule
                        && not_read(header)
                        && !read.is_some_and(|r| message.contains(r))
                });
                if explained(change, &notes).is_none() && !unread {
                    silent.push(format!(
                        "{} {}: {}",
                        change["rule"], change["path"], change["message"]
                    ));
                }
            }
        }
        restore(&repo, id);
    }
    assert!(
        silent.is_empty(),
        "{export} → import {import} changed, with no note:\n{}",
        silent.join("\n")
    );
}

/// Puts a standard back as it was committed.
fn restore(repo: &Repo, id: &str) {
    std::fs::remove_dir_all(repo.path().join(format!("standards/{id}"))).unwrap();
    let root = workspace_root();
    let mut stack = vec![root.join(format!("standards/{id}"))];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let relative = path
                    .strip_prefix(&root)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/");
                repo.write(&relative, &std::fs::read_to_string(&path).unwrap());
            }
        }
    }
}

#[test]
fn the_data_package_of_each_standard_imports_back_but_for_its_notes() {
    round_trip(
        "datapackage",
        "table-schema",
        &|_| "datapackage.json".into(),
        &[],
    );
}

#[test]
fn the_json_schema_of_each_standard_imports_back_but_for_its_notes() {
    round_trip(
        "json-schema",
        "json-schema",
        &|id| format!("{id}.schema.json"),
        &[],
    );
}

/// A standard written for the dictionary round trip: every type a dictionary row can say,
/// keys, a reference, a column header, a field of several values, code lists with titles and
/// labels and descriptions, and what a dictionary cannot carry back (constraints other than a
/// length, examples, a list's description, the standard's metadata).
const CARE: &[(&str, &str)] = &[
    ("norm.yaml", "site:\n  title: Test standards\n"),
    (
        "standards/care/standard.yaml",
        "id: care\ntitle: Care records\nversion: 1.0.0\nstatus: active\n\
         summary: Synthetic records.\ndescription: A standard written for this test.\n\
         owner:\n  name: Test owners\n  url: https://example.org\nlicence: OGL-UK-3.0\n\
         data: { date_format: \"%d/%m/%Y\" }\n",
    ),
    (
        "standards/care/entities/team.yaml",
        "name: team\ntitle: Team\ndescription: One row per team.\nprimary_key: [team_id]\n\
         fields:\n  - { name: team_id, title: Team identifier, description: The team's code., \
         type: string, required: true, constraints: { max_length: 12 } }\n",
    ),
    (
        "standards/care/entities/child.yaml",
        r#"name: child
title: Child
description: One row per child known to the service.
primary_key: [child_id]
fields:
  - { name: child_id, title: Child identifier, description: The child's identifier., item: CARE001, type: string, required: true, constraints: { max_length: 10 }, examples: ["C1"] }
  - { name: sex, title: Sex, description: The child's sex., type: code, codelist: sex, required: true }
  - { name: dob, title: Date of birth, description: When the child was born., type: date, column: DOB }
  - { name: weight, title: Weight, description: In kilograms., type: decimal, constraints: { minimum: 0 } }
  - { name: visits, title: Visits, description: Visits this year., type: integer }
  - { name: looked_after, title: Looked after, description: Whether the child is looked after., type: boolean }
  - { name: team, title: Team, description: The team holding the case., type: string, references: team.team_id }
  - { name: postcode, title: Postcode, description: Where the child lives., type: string, constraints: { pattern: "^[A-Z0-9 ]+$" } }
  - { name: needs, title: Needs, description: Each need assessed., type: code, codelist: need, multiple: true }
"#,
    ),
    (
        "standards/care/codelists/sex.yaml",
        "name: sex\ntitle: Sex\ndescription: The sexes the return records.\nextensible: false\n\
         codes:\n  - { code: F, label: Female }\n  - { code: M, label: Male, description: As \
         recorded at birth. }\n  - { code: U, label: Not known }\n",
    ),
    (
        "standards/care/codelists/need.yaml",
        "name: need\ntitle: Category of need\nextensible: false\ncodes:\n  - { code: \"N1\", \
         label: Abuse or neglect }\n  - { code: \"N2\", label: Disability }\n",
    ),
];

/// Where a round trip says that it leaves something out.
#[derive(Debug, Clone, Copy)]
enum Said {
    /// The export's `notes.json`, at the changed element, naming the key.
    Export(&'static str),
    /// The import's mapping report: a `column-not-mapped` note at this header of this sheet.
    Import(&'static str, &'static str),
    /// The importer's documented choice (docs/import.md): the metadata is written afresh.
    Afresh,
}

/// What an XLSX data dictionary, read back by `norm import sheet`, cannot carry: each change
/// `norm diff` reports after the round trip (rule, path, what the message names) and where
/// that loss is said. Every change must be one of these, and each of these must happen.
const CANNOT_CARRY: &[(&str, &str, &str, Said)] = &[
    (
        "data-layout-changed",
        "care",
        "date format",
        Said::Export("`data`"),
    ),
    ("title-changed", "care", "title", Said::Export("`title`")),
    (
        "description-changed",
        "care",
        "description",
        Said::Export("`description`"),
    ),
    (
        "metadata-changed",
        "care",
        "summary",
        Said::Export("`summary`"),
    ),
    ("metadata-changed", "care", "owner", Said::Export("`owner`")),
    (
        "metadata-changed",
        "care",
        "licence",
        Said::Export("`licence`"),
    ),
    ("metadata-changed", "care", "sources", Said::Afresh),
    ("standard-status-changed", "care", "draft", Said::Afresh),
    (
        "examples-changed",
        "care/entities/child/fields/child_id",
        "examples",
        Said::Import("Fields", "Examples"),
    ),
    (
        "constraint-loosened",
        "care/entities/child/fields/weight",
        "minimum",
        Said::Import("Fields", "Constraints"),
    ),
    (
        "constraint-loosened",
        "care/entities/child/fields/postcode",
        "pattern",
        Said::Import("Fields", "Constraints"),
    ),
    (
        "description-changed",
        "care/codelists/sex",
        "code list",
        Said::Export("`description`"),
    ),
];

/// The model of `standards/care` as loaded from `dir`.
fn load_care(dir: &Path) -> norm_model::Catalog {
    let mut blobs = Vec::new();
    let mut stack = vec![dir.join("standards/care")];
    while let Some(folder) = stack.pop() {
        for entry in std::fs::read_dir(&folder).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "yaml") {
                blobs.push(norm_model::catalog::Blob {
                    path: path
                        .strip_prefix(dir)
                        .unwrap()
                        .to_string_lossy()
                        .into_owned(),
                    bytes: std::fs::read(&path).unwrap(),
                });
            }
        }
    }
    norm_model::Catalog::load(blobs)
}

/// What of each entity, field and code list a data dictionary carries, in words, so that a
/// difference names what differs.
fn dictionary_view(catalog: &norm_model::Catalog) -> Vec<String> {
    let care = &catalog.standards["care"];
    let mut out = Vec::new();
    for e in &care.entities {
        let e = &e.value;
        out.push(format!(
            "entity {}: {:?} {:?} key {:?}",
            e.name, e.title, e.description, e.primary_key
        ));
        for f in &e.fields {
            out.push(format!(
                "  {}.{}: {:?} required={} multiple={} codelist={:?} references={:?} \
                 column={:?} item={:?} title={:?} description={:?} max_length={:?}",
                e.name,
                f.name,
                f.field_type,
                f.required,
                f.multiple,
                f.codelist,
                f.references,
                f.column,
                f.item,
                f.title,
                f.description.as_deref().map(str::trim),
                f.constraints.as_ref().and_then(|c| c.max_length),
            ));
        }
    }
    let mut lists: Vec<String> = care
        .codelists
        .iter()
        .map(|l| {
            let codes: Vec<String> = l
                .value
                .codes
                .iter()
                .map(|c| {
                    let description = c.description.as_deref().map(str::trim);
                    format!("{}={:?} {description:?}", c.code, c.label)
                })
                .collect();
            format!(
                "list {}: {:?} {}",
                l.value.name,
                l.value.title,
                codes.join(", ")
            )
        })
        .collect();
    lists.sort();
    out.extend(lists);
    out
}

#[test]
fn the_xlsx_dictionary_imports_back_with_sheet_and_says_what_it_cannot_carry() {
    let mut repo = Repo::new();
    for (path, text) in CARE {
        repo.write(path, text);
    }
    repo.commit("the care standard");
    let (code, _, err) = repo.norm(&["lint"]);
    assert_eq!(code, 0, "the fixture lints: {err}");
    let before = dictionary_view(&load_care(repo.path()));

    let scratch = tempfile::tempdir().unwrap();
    let out = scratch.path().join("xlsx");
    let (code, _, err) = repo.norm(&[
        "export",
        "xlsx",
        "--standard",
        "care",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    let exported = noted(&out);
    let dictionary = out.join("care-dictionary.xlsx");
    let (code, report, err) = repo.norm(&[
        "import",
        "sheet",
        dictionary.to_str().unwrap(),
        "--standard",
        "care",
        "--force",
        "--format",
        "json",
    ]);
    assert_eq!(code, 0, "{report}{err}");
    let report: serde_json::Value = serde_json::from_str(&report).unwrap();
    let imported: Vec<(String, String, String)> = report["notes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| {
            let text = |k: &str| n[k].as_str().unwrap_or_default().to_owned();
            (
                n["place"]["sheet"].as_str().unwrap_or_default().to_owned(),
                text("kind"),
                text("message"),
            )
        })
        .collect();

    // What a dictionary carries comes back as it was.
    assert_eq!(dictionary_view(&load_care(repo.path())), before);

    // Everything else that changed is a loss the round trip says, and each named loss happens.
    let (code, diff, err) = repo.norm(&["diff", "HEAD", "--standard", "care", "--format", "json"]);
    assert_eq!(code, 0, "{err}");
    let diff: serde_json::Value = serde_json::from_str(&diff).unwrap();
    let changes: Vec<(String, String, String)> = diff["standards"][0]["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            let text = |k: &str| c[k].as_str().unwrap().to_owned();
            (text("rule"), text("path"), text("message"))
        })
        .collect();
    let matches = |(rule, path, words, _): &(&str, &str, &str, Said),
                   (r, p, m): &(String, String, String)| {
        r == rule && p == path && m.contains(words)
    };
    for change in &changes {
        assert!(
            CANNOT_CARRY.iter().any(|loss| matches(loss, change)),
            "dropped in silence: {change:?}"
        );
    }
    for loss @ (_, path, _, said) in CANNOT_CARRY {
        assert!(
            changes.iter().any(|change| matches(loss, change)),
            "{loss:?} no longer changes: take it off the list"
        );
        let told = match said {
            Said::Export(key) => exported.iter().any(|(p, m)| p == path && m.contains(key)),
            Said::Import(sheet, header) => imported.iter().any(|(s, kind, m)| {
                s == sheet
                    && kind == "column-not-mapped"
                    && m.starts_with(&format!("column `{header}` "))
            }),
            Said::Afresh => true,
        };
        assert!(told, "{loss:?} is not said: {exported:?} {imported:?}");
    }
}

/// What a dictionary holds in words in columns `norm import sheet` does not read.
const DICTIONARY_UNREAD: &[(&str, &str, Option<&str>)] = &[
    ("examples-changed", "Examples", None),
    ("constraint-loosened", "Constraints", Some("`max_length`")),
];

#[test]
fn the_xlsx_dictionary_of_each_standard_imports_back_but_for_its_notes() {
    round_trip(
        "xlsx",
        "sheet",
        &|id| format!("{id}-dictionary.xlsx"),
        DICTIONARY_UNREAD,
    );
}

#[test]
fn the_ods_dictionary_of_each_standard_imports_back_but_for_its_notes() {
    round_trip(
        "ods",
        "sheet",
        &|id| format!("{id}-dictionary.ods"),
        DICTIONARY_UNREAD,
    );
}
