//! `norm import`: synthetic sources of each format written here, imported into temporary
//! repositories, with the mapping report, the lint counts and the written files checked.

// Helpers outside #[test] functions unwrap too: a fixture that cannot be written is a broken test.
#![allow(clippy::unwrap_used)]

mod support;

use std::path::Path;

use serde_json::Value;
use support::{Repo, norm_in};

const CONFIG: &str = "consumers:\n  - id: cin-census\n    title: Children in need census\n";

const PERSON: &str = "\
nodes:
- name: ssd_person
  fields:
  - name: pers_person_id
    description: Person ID
    item_ref: PERS001A
    type: nvarchar
    primary_key: true
    validators:
    - required:
        enabled: true
    constraints:
    - pk
    returns:
    - CIN
    - Local
    cms_field:
    - liquid_logic:pers_person_id
    cms_table:
    - liquid_logic:ssd_person
    guidance: The person's identifier in the case management system.
  - name: pers_dob
    description: Date of birth
    item_ref: PERS002A
    type: Datetime
    guidance: null
";

const REFERRAL: &str = "\
nodes:
- name: ssd_referral
  fields:
  - name: refe_id
    description: Referral ID
    item_ref: REFE001A
    type: nchar
    primary_key: true
    guidance: The referral's identifier.
  - name: refe_person_id
    description: Person ID
    item_ref: REFE002A
    type: NCHAR
    foreign_key: ssd_person.pers_person_id (the child)
    guidance: The person referred.
  - name: refe_outcome
    description: Outcome
    item_ref: REFE003A
    type: nvarchar
    guidance: Code set O - Open C - Closed
";

const RELATIONSHIPS: &str = "\
relationships:
- parent_object: ssd_person
  parent_key: pers_person_id
  child_object: ssd_referral
  child_key: refe_person_id
  relation: 1:M
";

const SPEC: &str = "\u{feff}object_name,field_name,max_field_size,cin_census_ref,ssda903_ref
ssd_person,pers_person_id,48,LAchildID,\u{a0}
ssd_referral,refe_id,NULL,,CHILD
";

/// Writes an SSD checkout under `dir`.
fn ssd_source(dir: &Path, person: &str) {
    let write = |path: &str, text: &str| {
        let full = dir.join(path);
        std::fs::create_dir_all(full.parent().unwrap()).unwrap();
        std::fs::write(full, text).unwrap();
    };
    write("data/objects/ssd_person.yml", person);
    write("data/objects/ssd_referral.yml", REFERRAL);
    write("data/objects/relationships.yml", RELATIONSHIPS);
    write("docs/admin/data_objects_specification.csv", SPEC);
}

/// A target repository with a `cin-census` standard whose field the crosswalk names.
fn target() -> Repo {
    let repo = Repo::new();
    repo.write("norm.yaml", CONFIG);
    repo.write(
        "standards/cin-census/standard.yaml",
        "id: cin-census\ntitle: CIN census\nversion: 1.0.0\n",
    );
    repo.write(
        "standards/cin-census/entities/child.yaml",
        "name: child\nprimary_key: [la_child_id]\nfields:\n  - name: la_child_id\n    column: LAchildID\n    type: string\n    required: true\n",
    );
    repo
}

fn json(stdout: &str) -> Value {
    serde_json::from_str(stdout).unwrap_or_else(|e| panic!("{e}: {stdout}"))
}

fn kinds(report: &Value) -> Vec<String> {
    report["notes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["kind"].as_str().unwrap().to_owned())
        .collect()
}

/// The lint findings of the report: rule, count and cause.
fn lint_counts(report: &Value) -> Vec<(&str, u64, &str)> {
    report["lint"]["by_rule"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["rule"].as_str().unwrap(),
                r["count"].as_u64().unwrap(),
                r["cause"].as_str().unwrap(),
            )
        })
        .collect()
}

#[test]
fn an_ssd_checkout_becomes_a_standard_that_lints_with_its_mapping_report() {
    let source = tempfile::tempdir().unwrap();
    ssd_source(source.path(), PERSON);
    let repo = target();
    let src = source.path().to_str().unwrap();
    let (code, stdout, stderr) = repo.norm(&["import", "ssd", src, "--format", "json"]);
    assert_eq!((code, stderr.as_str()), (0, ""), "{stdout}");
    let report = json(&stdout);
    assert_eq!(report["entities"], 2);
    assert_eq!(report["fields"], 5);
    assert_eq!(report["references"], 1);
    assert_eq!(report["lint"]["importer_errors"], 0, "{stdout}");
    assert_eq!(report["lint"]["errors"], 0, "{stdout}");
    assert_eq!(
        lint_counts(&report),
        [
            ("missing-description", 4, "source"),
            ("missing-title", 2, "source")
        ]
    );
    assert_eq!(
        kinds(&report),
        [
            "return-normalised",
            "unknown-return",
            "cms-placeholder",
            "type-read-as",
            "primary-key-flags",
            "key-made-required",
            "crosswalk-external",
            "type-read-as",
            "prose-reference",
            "codes-in-prose",
        ],
        "{stdout}"
    );
    let notes = report["notes"].as_array().unwrap();
    assert_eq!(
        notes[1]["message"],
        "return `Local` is no known consumer: left out of used_by"
    );
    assert_eq!(
        (&notes[1]["place"]["line"], &notes[1]["place"]["column"]),
        (&Value::from(16), &Value::from(7))
    );
    assert_eq!(notes[3]["message"], "type `Datetime` read as datetime");
    assert!(
        notes[1]["place"]["file"]
            .as_str()
            .unwrap()
            .ends_with("data/objects/ssd_person.yml")
    );
    assert_eq!(
        repo.read("standards/ssd/entities/ssd_person.yaml"),
        "# yaml-language-server: $schema=../../../docs/schema/entity.schema.json
name: ssd_person
primary_key: [pers_person_id]
fields:
  - name: pers_person_id
    item: PERS001A
    title: Person ID
    description: The person's identifier in the case management system.
    type: string
    required: true
    constraints: { max_length: 48 }
    used_by: [cin-census]
    mappings:
      - to: cin-census/child.la_child_id
        relation: exact
  - name: pers_dob
    item: PERS002A
    title: Date of birth
    type: datetime
"
    );
    let referral = repo.read("standards/ssd/entities/ssd_referral.yaml");
    assert!(
        referral.contains("    references: ssd_person.pers_person_id\n"),
        "{referral}"
    );
    assert!(
        referral.contains("The person referred.\n\n      Foreign key: (the child)"),
        "{referral}"
    );
    assert!(
        referral.contains("      - external: SSDA903 CHILD\n"),
        "{referral}"
    );
    let (code, lint, _) = repo.norm(&["lint", "standards/ssd", "--format", "concise"]);
    assert_eq!(code, 0, "{lint}");
}

/// The SSD's crosswalks spell return items as the returns do (`LAchildID`); a field of ours
/// without that `column` still matches when its name has the same letters and digits.
#[test]
fn a_crosswalk_name_matches_a_field_whose_name_spells_it_in_snake_case() {
    let source = tempfile::tempdir().unwrap();
    ssd_source(source.path(), PERSON);
    let repo = target();
    repo.write(
        "standards/cin-census/entities/child.yaml",
        "name: child\nprimary_key: [la_child_id]\nfields:\n  - name: la_child_id\n    type: string\n    required: true\n",
    );
    let src = source.path().to_str().unwrap();
    let (code, stdout, stderr) = repo.norm(&["import", "ssd", src]);
    assert_eq!((code, stderr.as_str()), (0, ""), "{stdout}");
    assert!(!stdout.contains("CIN census crosswalks"), "{stdout}");
    let person = repo.read("standards/ssd/entities/ssd_person.yaml");
    assert!(
        person.contains("      - to: cin-census/child.la_child_id\n        relation: exact\n"),
        "{person}"
    );
}

/// The SSD's `cms_table` values name the SSD's own table (`liquid_logic:ssd_person`): a
/// placeholder, not a place in the case management system, so no mapping is made of it. A
/// case system's own table is kept.
#[test]
fn cms_fields_at_the_ssds_own_table_are_placeholders_and_make_no_mapping() {
    let source = tempfile::tempdir().unwrap();
    let person = PERSON.replace(
        "    cms_field:\n    - liquid_logic:pers_person_id\n    cms_table:\n    - liquid_logic:ssd_person\n",
        "    cms_field:\n    - liquid_logic:pers_person_id\n    - mosaic:PERSON_ID\n    cms_table:\n    - liquid_logic:ssd_person\n    - mosaic:DM_PERSONS\n",
    );
    assert_ne!(person, PERSON);
    ssd_source(source.path(), &person);
    let repo = target();
    let src = source.path().to_str().unwrap();
    let (code, stdout, stderr) = repo.norm(&["import", "ssd", src, "--format", "json"]);
    assert_eq!((code, stderr.as_str()), (0, ""), "{stdout}");
    let report = json(&stdout);
    let note = report["notes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["kind"] == "cms-placeholder")
        .unwrap_or_else(|| panic!("{stdout}"));
    assert_eq!(
        note["message"],
        "`cms_table` names the SSD's own table, not one of the case system: no mapping made"
    );
    assert_eq!(
        (&note["place"]["line"], &note["place"]["column"]),
        (&Value::from(21), &Value::from(7))
    );
    let written = repo.read("standards/ssd/entities/ssd_person.yaml");
    assert!(!written.contains("liquid_logic"), "{written}");
    assert!(
        written
            .contains("      - external: mosaic DM_PERSONS.PERSON_ID\n        relation: related\n"),
        "{written}"
    );
}

#[test]
fn a_dry_run_writes_nothing_and_lists_the_files() {
    let source = tempfile::tempdir().unwrap();
    ssd_source(source.path(), PERSON);
    let repo = target();
    let (code, stdout, _) = repo.norm(&[
        "import",
        "ssd",
        source.path().to_str().unwrap(),
        "--dry-run",
    ]);
    assert_eq!(code, 0, "{stdout}");
    assert!(stdout.starts_with("would import `ssd` from ssd: 2 entities, 5 fields, 1 references, 0 code lists\nwould write 3 files"), "{stdout}");
    assert!(
        stdout.contains("  standards/ssd/entities/ssd_referral.yaml\n"),
        "{stdout}"
    );
    assert!(stdout.contains("lint of the result: 0 errors"), "{stdout}");
    assert!(!repo.path().join("standards/ssd").exists());
}

#[test]
fn existing_files_are_never_overwritten_and_force_replaces_the_folder_whole() {
    let source = tempfile::tempdir().unwrap();
    ssd_source(source.path(), PERSON);
    let repo = target();
    repo.write(
        "standards/ssd/entities/ssd_person.yaml",
        "name: ssd_person\n",
    );
    repo.write("standards/ssd/entities/stale.yaml", "name: stale\n");
    let src = source.path().to_str().unwrap();
    let (code, _, stderr) = repo.norm(&["import", "ssd", src]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("standards/ssd/entities/ssd_person.yaml already exists"),
        "{stderr}"
    );
    assert!(stderr.contains("--force"), "{stderr}");
    assert_eq!(
        repo.read("standards/ssd/entities/ssd_person.yaml"),
        "name: ssd_person\n"
    );
    let (code, stdout, stderr) = repo.norm(&["import", "ssd", src, "--force"]);
    assert_eq!((code, stderr.as_str()), (0, ""), "{stdout}");
    assert!(
        !repo
            .path()
            .join("standards/ssd/entities/stale.yaml")
            .exists()
    );
    assert!(
        repo.read("standards/ssd/entities/ssd_person.yaml")
            .contains("PERS001A")
    );
    let leftovers: Vec<_> = std::fs::read_dir(repo.path().join("standards"))
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.'))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn into_a_new_folder_makes_its_norm_yaml() {
    let source = tempfile::tempdir().unwrap();
    ssd_source(source.path(), PERSON);
    let into = tempfile::tempdir().unwrap();
    let dir = into.path().join("new");
    let (code, stdout, stderr) = norm_in(
        into.path(),
        &[
            "import",
            "ssd",
            source.path().to_str().unwrap(),
            "--into",
            dir.to_str().unwrap(),
        ],
    );
    assert_eq!((code, stderr.as_str()), (0, ""), "{stdout}");
    assert!(dir.join("norm.yaml").is_file());
    assert!(dir.join("docs/schema/entity.schema.json").is_file());
    // Without consumers in norm.yaml, no return is kept in used_by.
    assert!(
        stdout.contains("return `CIN` is consumer `cin-census`, which norm.yaml does not list"),
        "{stdout}"
    );
    let (code, lint, _) = norm_in(&dir, &["lint"]);
    assert_eq!(code, 0, "{lint}");
}

#[test]
fn a_source_that_cannot_be_read_leaves_no_into_folder_behind() {
    let source = tempfile::tempdir().unwrap();
    std::fs::write(source.path().join("bad.csv"), "a,b\n1,\"x\n").unwrap();
    let into = tempfile::tempdir().unwrap();
    let dir = into.path().join("new");
    let (code, _, stderr) = norm_in(
        into.path(),
        &[
            "import",
            "sheet",
            source.path().join("bad.csv").to_str().unwrap(),
            "--into",
            dir.to_str().unwrap(),
        ],
    );
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("bad.csv:2"), "{stderr}");
    assert!(!dir.exists(), "a failed import made {}", dir.display());
}

/// Runs an import that must fail, checking the message names the place and nothing is written.
fn refused(repo: &Repo, args: &[&str], place: &str) -> String {
    let (code, stdout, stderr) = repo.norm(args);
    assert_eq!(code, 2, "{stdout}{stderr}");
    assert!(stderr.contains(place), "{stderr} lacks {place}");
    assert!(!repo.path().join("standards/ssd").exists());
    let standards: Vec<_> = std::fs::read_dir(repo.path().join("standards"))
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(standards, ["cin-census"], "something was written");
    stderr
}

#[test]
fn hostile_ssd_sources_are_refused_with_their_place() {
    let repo = target();
    let source = tempfile::tempdir().unwrap();
    ssd_source(source.path(), "nodes:\n- name: ssd_person\n  fields: [\n");
    let src = source.path().to_str().unwrap();
    refused(
        &repo,
        &["import", "ssd", src],
        "data/objects/ssd_person.yml:3:11",
    );
    ssd_source(source.path(), "nodes:\n- name: '***'\n  fields: []\n");
    let stderr = refused(
        &repo,
        &["import", "ssd", src],
        "data/objects/ssd_person.yml:2:9",
    );
    assert!(stderr.contains("`***` cannot be made a name"), "{stderr}");
    let missing = source.path().join("nowhere");
    refused(
        &repo,
        &["import", "ssd", missing.to_str().unwrap()],
        "nowhere/data/objects",
    );
    std::fs::write(
        source
            .path()
            .join("docs/admin/data_objects_specification.csv"),
        "field_name\nx\n",
    )
    .unwrap();
    ssd_source(source.path(), PERSON);
    std::fs::write(
        source
            .path()
            .join("docs/admin/data_objects_specification.csv"),
        "field_name\nx\n",
    )
    .unwrap();
    refused(
        &repo,
        &["import", "ssd", src],
        "data_objects_specification.csv:1",
    );
    // A Windows-1252 export (an en dash as byte 0x96) is not read as if it were UTF-8.
    std::fs::write(
        source
            .path()
            .join("docs/admin/data_objects_specification.csv"),
        b"object_name,field_name,guidance\nssd_person,pers_dob,1990 \x96 2000\n",
    )
    .unwrap();
    let stderr = refused(
        &repo,
        &["import", "ssd", src],
        "data_objects_specification.csv:2:26",
    );
    assert!(stderr.contains("not UTF-8 text"), "{stderr}");
}

const PACKAGE: &str = r#"{
  "name": "Case Data",
  "title": "Case data",
  "licenses": [{"name": "OGL-UK-3.0"}],
  "resources": [
    {
      "name": "people",
      "title": "People",
      "description": "One row a person.",
      "schema": {
        "fields": [
          {"name": "PersonID", "type": "string", "description": "The identifier.", "constraints": {"required": true, "maxLength": 10}},
          {"name": "sex", "type": "string", "description": "Sex.", "constraints": {"enum": ["M", "F", "U", "M"]}},
          {"name": "born", "type": "date", "description": "Birth date.", "format": "%d/%m/%Y"},
          {"name": "where", "type": "geopoint", "description": "Location."}
        ],
        "primaryKey": "PersonID"
      }
    },
    {
      "name": "visits",
      "description": "One row a visit.",
      "schema": {
        "fields": [
          {"name": "visit_id", "type": "integer", "description": "The visit.", "constraints": {"required": true, "unique": true, "minimum": 1}},
          {"name": "person", "type": "string", "description": "Who.", "constraints": {"required": true}},
          {"name": "kind", "type": "integer", "description": "Kind.", "categories": [{"value": 1, "label": "Home"}, {"value": 2, "label": "Office"}]}
        ],
        "primaryKey": ["visit_id"],
        "foreignKeys": [{"fields": "person", "reference": {"resource": "people", "fields": "PersonID"}}]
      }
    }
  ]
}"#;

#[test]
fn a_data_package_becomes_entities_code_lists_and_references() {
    let repo = target();
    let source = tempfile::tempdir().unwrap();
    let file = source.path().join("datapackage.json");
    std::fs::write(&file, PACKAGE).unwrap();
    let (code, stdout, stderr) = repo.norm(&[
        "import",
        "table-schema",
        file.to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert_eq!((code, stderr.as_str()), (0, ""), "{stdout}");
    let report = json(&stdout);
    assert_eq!(report["standard"], "case-data");
    assert_eq!(report["references"], 1);
    assert_eq!(report["codelists"], 2);
    assert_eq!(report["lint"]["importer_errors"], 0, "{stdout}");
    assert_eq!(
        lint_counts(&report),
        [
            ("missing-description", 3, "source"),
            ("missing-provenance", 1, "source"),
            ("missing-title", 13, "source")
        ]
    );
    assert_eq!(
        kinds(&report),
        [
            "name-normalised",
            "name-normalised",
            "duplicate-code",
            "format-not-mapped",
            "type-read-as",
            "type-read-as"
        ],
        "{stdout}"
    );
    let people = repo.read("standards/case-data/entities/people.yaml");
    assert!(people.contains("primary_key: [person_id]\n"), "{people}");
    assert!(people.contains("    codelist: people_sex\n"), "{people}");
    let visits = repo.read("standards/case-data/entities/visits.yaml");
    assert!(
        visits.contains("    references: people.person_id\n"),
        "{visits}"
    );
    assert!(
        visits.contains("    constraints: { minimum: 1.0, unique: true }\n"),
        "{visits}"
    );
    let kinds_list = repo.read("standards/case-data/codelists/visits_kind.yaml");
    assert!(
        kinds_list.contains("  - code: \"1\"\n    label: Home\n"),
        "{kinds_list}"
    );
    assert!(
        repo.read("standards/case-data/standard.yaml")
            .contains("licence: OGL-UK-3.0\n")
    );
}

#[test]
fn hostile_table_schemas_are_refused_with_their_place() {
    let repo = target();
    let source = tempfile::tempdir().unwrap();
    let file = source.path().join("datapackage.json");
    let path = file.to_str().unwrap();
    std::fs::write(&file, "{\"resources\": [\n  {\"name\": \"a\",}\n]}").unwrap();
    let stderr = refused(
        &repo,
        &["import", "table-schema", path],
        "datapackage.json:2:16",
    );
    assert!(stderr.contains("not valid JSON"), "{stderr}");
    std::fs::write(
        &file,
        PACKAGE.replace("\"resource\": \"people\"", "\"resource\": \"nobody\""),
    )
    .unwrap();
    let stderr = refused(
        &repo,
        &["import", "table-schema", path],
        "datapackage.json:30:72",
    );
    assert!(
        stderr.contains("table `nobody`, which is not in the sources"),
        "{stderr}"
    );
    refused(
        &repo,
        &["import", "table-schema", "missing.json"],
        "missing.json: cannot read it: there is no such file",
    );
}

#[test]
fn history_replays_each_source_commit_as_a_release_at_the_version_norm_computes() {
    let mut source = Repo::new();
    ssd_source(source.path(), PERSON);
    source.commit("v1.0 SSD live");
    let added = PERSON.replace(
        "  - name: pers_dob\n",
        "  - name: pers_upn\n    description: Unique pupil number\n    item_ref: PERS003A\n    type: nvarchar\n  - name: pers_dob\n",
    );
    ssd_source(source.path(), &added);
    source.commit("Add the UPN");
    let removed = added.replace(
        "  - name: pers_dob\n    description: Date of birth\n    item_ref: PERS002A\n    type: Datetime\n    guidance: null\n",
        "",
    );
    ssd_source(source.path(), &removed);
    source.commit("Drop the date of birth");
    // A key norm does not keep: the revision changes nothing norm compares.
    let tagged = removed.replace(
        "    guidance: The person's",
        "    categories:\n    - identity\n    guidance: The person's",
    );
    ssd_source(source.path(), &tagged);
    source.commit("Tag the identifier");

    let mut repo = target();
    repo.commit("start");
    let (code, stdout, stderr) = repo.norm(&[
        "import",
        "ssd",
        source.path().to_str().unwrap(),
        "--history",
    ]);
    assert_eq!((code, stderr.as_str()), (0, ""), "{stdout}");
    assert!(
        stdout.starts_with("replayed 4 revisions of `ssd` from ssd:\n"),
        "{stdout}"
    );
    assert!(
        stdout.contains(": Tag the identifier: no changes, no release\n"),
        "{stdout}"
    );
    for tag in ["ssd/v0.1.0", "ssd/v0.1.1", "ssd/v0.2.0"] {
        assert!(repo.has_tag(tag), "{tag} missing: {stdout}");
    }
    assert!(
        repo.message("HEAD")
            .starts_with("Import ssd 0.2.0 from ssd "),
        "{}",
        repo.message("HEAD")
    );
    assert!(
        repo.message("HEAD").ends_with("Drop the date of birth"),
        "{}",
        repo.message("HEAD")
    );
    assert!(
        repo.read("standards/ssd/standard.yaml")
            .contains("version: 0.2.0\n")
    );

    // `norm diff` sees the real change of each release.
    let (_, added_diff, _) = repo.norm(&["diff", "ssd@0.1.0", "ssd@0.1.1", "--format", "json"]);
    let added_diff = json(&added_diff);
    let standard = &added_diff["standards"][0];
    assert_eq!(standard["required_bump"], "patch", "{added_diff}");
    assert_eq!(standard["verdict"], "ok", "{added_diff}");
    let rules: Vec<&str> = standard["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["rule"].as_str().unwrap())
        .collect();
    assert_eq!(rules, ["field-added-optional"], "{added_diff}");
    let (_, removed_diff, _) = repo.norm(&["diff", "ssd@0.1.1", "ssd@0.2.0", "--format", "json"]);
    let removed_diff = json(&removed_diff);
    let standard = &removed_diff["standards"][0];
    assert_eq!(standard["required_bump"], "minor", "{removed_diff}");
    assert_eq!(standard["breaking"], true, "{removed_diff}");

    // A second replay would overwrite, and could not tag: refused, even with --force.
    let src = source.path().to_str().unwrap();
    let (code, _, stderr) = repo.norm(&["import", "ssd", src, "--history"]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("`ssd` already has release tags"),
        "{stderr}"
    );
    let (code, _, stderr) = repo.norm(&["import", "ssd", src, "--history", "--force"]);
    assert_eq!(code, 2, "{stderr}");
    assert!(
        repo.read("standards/ssd/standard.yaml")
            .contains("version: 0.2.0\n")
    );
    assert!(
        repo.changed_paths().is_empty(),
        "{:?}",
        repo.changed_paths()
    );

    // `norm build` publishes each replayed release with its changes page.
    let site = tempfile::tempdir().unwrap();
    let (code, stdout, stderr) = repo.norm(&["build", "--out", site.path().to_str().unwrap()]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    let changes = std::fs::read_to_string(site.path().join("ssd/0.1.1/changes.html")).unwrap();
    assert!(
        changes.contains("pers_upn"),
        "the 0.1.1 changes page lacks the added field"
    );
    let changes = std::fs::read_to_string(site.path().join("ssd/0.2.0/changes.html")).unwrap();
    assert!(
        changes.contains("pers_dob"),
        "the 0.2.0 changes page lacks the removed field"
    );
}

const JSON_SCHEMA: &str = r##"{
  "$schema": "https://json-schema.org/draft/2020-12/schema",
  "$id": "https://example.org/schemas/case-record.schema.json",
  "title": "Case record",
  "description": "Records of a case.",
  "$defs": {
    "person": {
      "type": "object",
      "description": "A person.",
      "required": ["id"],
      "properties": {
        "id": {"type": "string", "description": "The identifier.", "maxLength": 10},
        "born": {"type": "string", "format": "date", "description": "Birth date."},
        "sex": {"$ref": "#/$defs/sex", "description": "Sex."}
      }
    },
    "visit": {
      "type": "object",
      "description": "A visit.",
      "required": ["visitId", "person"],
      "properties": {
        "visitId": {"type": "integer", "description": "The visit.", "minimum": 1},
        "person": {"$ref": "#/$defs/person", "description": "Who was visited."},
        "at": {"type": "string", "format": "date-time", "description": "When."},
        "email": {"type": "string", "format": "email", "description": "Contact."},
        "tags": {"type": "array", "items": {"type": "string"}, "description": "Tags."},
        "outcome": {"enum": ["seen", "not seen"], "description": "Outcome."}
      }
    },
    "sex": {"enum": ["M", "F", "U"]}
  }
}"##;

#[test]
fn json_schema_objects_become_entities_with_references_and_code_lists() {
    let repo = target();
    let source = tempfile::tempdir().unwrap();
    let file = source.path().join("case-record.schema.json");
    std::fs::write(&file, JSON_SCHEMA).unwrap();
    let (code, stdout, stderr) = repo.norm(&[
        "import",
        "json-schema",
        file.to_str().unwrap(),
        "--format",
        "json",
    ]);
    // JSON Schema has no primary keys: the source's defect, which lint reports (exit 1).
    assert_eq!((code, stderr.as_str()), (1, ""), "{stdout}");
    let report = json(&stdout);
    assert_eq!(
        lint_counts(&report),
        [
            ("missing-description", 2, "source"),
            ("missing-primary-key", 2, "source"),
            ("missing-provenance", 1, "source"),
            ("missing-title", 18, "source"),
        ]
    );
    assert_eq!(report["standard"], "case-record");
    assert_eq!(
        (
            report["entities"].as_u64(),
            report["codelists"].as_u64(),
            report["references"].as_u64()
        ),
        (Some(2), Some(2), Some(1))
    );
    assert_eq!(report["lint"]["importer_errors"], 0, "{stdout}");
    assert_eq!(
        kinds(&report),
        [
            "name-normalised",
            "reference-to-object",
            "format-not-mapped"
        ],
        "{stdout}"
    );
    let visit = repo.read("standards/case-record/entities/visit.yaml");
    assert!(visit.contains("  - name: visit_id\n    description: The visit.\n    type: integer\n    required: true\n    constraints: { minimum: 1.0 }\n"), "{visit}");
    assert!(visit.contains("    references: person.id\n"), "{visit}");
    assert!(visit.contains("    type: datetime\n"), "{visit}");
    assert!(
        visit.contains(
            "  - name: tags\n    description: Tags.\n    type: string\n    multiple: true\n"
        ),
        "{visit}"
    );
    assert!(visit.contains("    codelist: visit_outcome\n"), "{visit}");
    let person = repo.read("standards/case-record/entities/person.yaml");
    assert!(
        person.contains("    type: date\n") && person.contains("    codelist: sex\n"),
        "{person}"
    );
    assert!(
        repo.read("standards/case-record/codelists/sex.yaml")
            .contains("  - code: \"U\"\n")
    );
}

#[test]
fn remote_and_dangling_json_references_are_refused_with_their_place() {
    let repo = target();
    let source = tempfile::tempdir().unwrap();
    let file = source.path().join("case.json");
    let path = file.to_str().unwrap();
    std::fs::write(
        &file,
        JSON_SCHEMA.replace("#/$defs/person", "https://example.org/person.json"),
    )
    .unwrap();
    let stderr = refused(&repo, &["import", "json-schema", path], "case.json:23:28");
    assert!(stderr.contains("points outside this file"), "{stderr}");
    std::fs::write(&file, JSON_SCHEMA.replace("#/$defs/sex", "#/$defs/gender")).unwrap();
    let stderr = refused(&repo, &["import", "json-schema", path], "case.json:14:25");
    assert!(
        stderr.contains("`$ref: #/$defs/gender` points at nothing"),
        "{stderr}"
    );
    std::fs::write(
        &file,
        "{\"type\": \"object\", \"properties\": {\"a\": {\"type\": \"string\"}",
    )
    .unwrap();
    let stderr = refused(&repo, &["import", "json-schema", path], "case.json:1:");
    assert!(stderr.contains("not valid JSON"), "{stderr}");
}

#[test]
fn the_help_of_columns_names_every_role_of_sheet() {
    let dir = tempfile::tempdir().unwrap();
    let (code, help, _) = norm_in(dir.path(), &["import", "--help"]);
    assert_eq!(code, 0, "{help}");
    let words = help.split_whitespace().collect::<Vec<_>>().join(" ");
    let start = words.find("(roles: ").unwrap() + "(roles: ".len();
    let listed: Vec<&str> = words[start..start + words[start..].find(')').unwrap()]
        .split(", ")
        .collect();
    let roles: Vec<&str> = norm_import::sheet::Role::ALL
        .iter()
        .map(|r| r.as_str())
        .collect();
    assert_eq!(listed, roles);
}
