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

fn round_trip(export: &str, import: &str, descriptor: &dyn Fn(&str) -> String) {
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
        let (code, out, err) = repo.norm(&["diff", "HEAD", "--standard", id, "--format", "json"]);
        assert_eq!(code, 0, "{err}");
        let report: serde_json::Value = serde_json::from_str(&out).unwrap();
        for standard in report["standards"].as_array().unwrap() {
            for change in standard["changes"].as_array().unwrap() {
                if explained(change, &notes).is_none() {
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
    round_trip("datapackage", "table-schema", &|_| {
        "datapackage.json".into()
    });
}

#[test]
fn the_json_schema_of_each_standard_imports_back_but_for_its_notes() {
    round_trip("json-schema", "json-schema", &|id| {
        format!("{id}.schema.json")
    });
}
