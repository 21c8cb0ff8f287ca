//! `norm export`: where it writes, what it reads (the working tree or a release from git), what
//! it says about losses, and the inputs it refuses, each with a clear message and nothing
//! written.

#![allow(clippy::unwrap_used)]

mod support;

use std::path::Path;

use support::Repo;

const CONFIG: &str =
    "lint:\n  rules: { missing-title: off, missing-description: off, missing-provenance: off }\n";
const STANDARD: &str = "id: demo\ntitle: Demo\nversion: 1.0.0\n";
const PERSON: &str = "name: person\nprimary_key: [id]\nfields:\n  - { name: id, type: string, required: true, examples: [\"P1\"] }\n";
const DRAFT_FIELD: &str = "  - { name: nickname, type: string, status: proposed }\n";

/// A repository whose release 1.0.0 is tagged `demo/v1.0.0`.
fn repo() -> Repo {
    let mut repo = Repo::new();
    repo.write("norm.yaml", CONFIG);
    repo.write("standards/demo/standard.yaml", STANDARD);
    repo.write("standards/demo/entities/person.yaml", PERSON);
    let oid = repo.commit("demo 1.0.0");
    repo.tag("demo/v1.0.0", oid);
    repo.branch("main");
    repo
}

fn json(path: &Path) -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

#[test]
fn the_working_tree_goes_to_export_id_format_and_losses_are_notes() {
    let repo = repo();
    repo.write(
        "standards/demo/entities/person.yaml",
        &format!("{PERSON}{DRAFT_FIELD}"),
    );
    let (code, out, err) = repo.norm(&["export", "datapackage"]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("Exported `demo` as datapackage into"), "{out}");
    assert!(
        err.contains("note: demo/entities/person/fields/nickname: proposed"),
        "{err}"
    );
    let dir = repo.path().join("export/demo/datapackage");
    let package = json(&dir.join("datapackage.json"));
    let fields = package["resources"][0]["schema"]["fields"]
        .as_array()
        .unwrap();
    assert_eq!(fields.len(), 1, "the proposed field is left out");
    assert_eq!(
        std::fs::read_to_string(dir.join("person.csv")).unwrap(),
        "id\r\nP1\r\n"
    );
}

#[test]
fn a_release_is_read_from_git_and_one_file_can_go_to_stdout() {
    let repo = repo();
    repo.write(
        "standards/demo/entities/person.yaml",
        &format!("{PERSON}  - {{ name: added, type: string }}\n"),
    );
    let (code, out, err) = repo.norm(&[
        "export",
        "json-schema",
        "--standard",
        "demo@1.0.0",
        "--out",
        "-",
    ]);
    assert_eq!(code, 0, "{err}");
    let schema: serde_json::Value = serde_json::from_str(&out).unwrap();
    let properties = schema["$defs"]["person"]["properties"].as_object().unwrap();
    assert_eq!(
        properties.keys().collect::<Vec<_>>(),
        ["id"],
        "the release, not the working tree"
    );
    let (code, out, _) = repo.norm(&["export", "json-schema", "--standard", "demo", "--out", "-"]);
    assert_eq!(code, 0);
    assert!(out.contains("\"added\""), "{out}");
}

#[test]
fn a_many_file_export_does_not_go_to_stdout() {
    let (code, out, err) =
        repo().norm(&["export", "datapackage", "--standard", "demo", "--out", "-"]);
    assert_eq!(code, 2);
    assert!(out.is_empty());
    assert!(
        err.contains("is 2 files, so it cannot go to standard output"),
        "{err}"
    );
}

#[test]
fn unknown_standards_releases_and_formats_are_named() {
    let repo = repo();
    let (code, _, err) = repo.norm(&["export", "csvw", "--standard", "dmeo"]);
    assert_eq!(
        (
            code,
            err.contains("no standard `dmeo` here (the standards are: demo)")
        ),
        (2, true),
        "{err}"
    );
    let (code, _, err) = repo.norm(&["export", "csvw", "--standard", "demo@9.9.9"]);
    assert_eq!(code, 2);
    assert!(err.contains("9.9.9"), "{err}");
    let (code, _, err) = repo.norm(&["export", "tableschema"]);
    assert_eq!(code, 2);
    assert!(err.contains("unknown export format `tableschema`"), "{err}");
    assert!(!repo.path().join("export").exists());
}

#[test]
fn a_folder_that_cannot_be_made_is_named_as_asked() {
    let repo = repo();
    repo.write("taken", "a file, not a folder");
    let (code, _, err) = repo.norm(&["export", "openapi", "--out", "taken/out"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("error: writing the openapi export to ")
            && err.contains("taken is a file, not a folder: choose another output folder"),
        "{err}"
    );
    assert_eq!(repo.read("taken"), "a file, not a folder");
}

#[test]
fn a_folder_export_did_not_write_is_never_replaced() {
    let repo = repo();
    repo.write("mine/notes.txt", "keep me");
    let (code, _, err) = repo.norm(&["export", "openapi", "--out", "mine"]);
    assert_eq!(code, 2);
    assert!(err.contains("was not written by `norm export`"), "{err}");
    assert_eq!(repo.read("mine/notes.txt"), "keep me");
    // Its own output is replaced whole: a file of the earlier export does not linger.
    let (code, _, err) = repo.norm(&["export", "openapi", "--out", "out"]);
    assert_eq!(code, 0, "{err}");
    repo.write("out/stale.json", "{}");
    let (code, _, err) = repo.norm(&["export", "openapi", "--out", "out"]);
    assert_eq!(code, 0, "{err}");
    assert!(repo.path().join("out/demo.openapi.json").is_file());
    assert!(!repo.path().join("out/stale.json").exists());
}

#[test]
fn lint_errors_in_the_standard_stop_the_export() {
    let repo = repo();
    repo.write(
        "standards/demo/entities/person.yaml",
        "name: person\nfields:\n  - { name: id, type: string, codelist: nowhere }\n",
    );
    let (code, out, err) = repo.norm(&["export", "datapackage"]);
    assert_eq!(code, 1, "{out}{err}");
    assert!(
        err.contains("standards/demo/entities/person.yaml:3:"),
        "{err}"
    );
    assert!(err.contains("Nothing was exported"), "{err}");
    assert!(!repo.path().join("export").exists());
}

#[test]
fn a_dcat_record_outside_a_site_build_says_what_it_lacks() {
    let repo = repo();
    let (code, _, err) = repo.norm(&["export", "dcat", "--standard", "demo"]);
    assert_eq!(code, 0, "{err}");
    let folder = repo.path().join("export/demo/dcat");
    let record = json(&folder.join("demo-1.0.0.dcat.jsonld"));
    let text = record.to_string();
    assert!(text.contains("Demo") && text.contains("1.0.0"), "{text}");
    assert!(folder.join("demo-1.0.0.dcat.ttl").is_file());
    // Neither owner nor licence is given: the record lacks them, and says so.
    assert!(err.contains("note:"), "{err}");
}
