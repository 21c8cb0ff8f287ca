use norm_model::catalog::Blob;
use serde_json::Value;

use super::*;

/// A catalog of in-memory files, which must load without a diagnostic.
fn catalog(files: &[(&str, &str)]) -> Catalog {
    let blobs = files
        .iter()
        .map(|(path, text)| Blob {
            path: (*path).to_owned(),
            bytes: text.as_bytes().to_vec(),
        })
        .collect::<Vec<_>>();
    let catalog = Catalog::load_files(blobs);
    assert!(catalog.diagnostics.is_empty(), "{:?}", catalog.diagnostics);
    catalog
}

const STANDARD: (&str, &str) = (
    "standards/demo/standard.yaml",
    "id: demo\ntitle: Demo\nversion: 1.2.0\nlicence: OGL-UK-3.0\ndata: { date_format: \"%d/%m/%Y\" }\n",
);

const CHILD: (&str, &str) = (
    "standards/demo/entities/child.yaml",
    r#"name: child
title: Child
primary_key: [child_id]
fields:
  - { name: child_id, type: string, required: true, examples: ["C1"], item: DEMO001 }
  - { name: sex, type: code, codelist: sex, required: true, examples: ["F"] }
  - { name: dob, type: date, examples: ["2015-03-09"] }
  - { name: draft_note, type: string, status: proposed }
"#,
);

const EPISODE: (&str, &str) = (
    "standards/demo/entities/episode.yaml",
    r#"name: episode
primary_key: [episode_id]
fields:
  - { name: episode_id, type: integer, required: true, examples: ["7"], constraints: { minimum: 1 } }
  - { name: child, type: string, required: true, references: child.child_id, examples: ["OTHER"] }
"#,
);

const PROPOSED: (&str, &str) = (
    "standards/demo/entities/plan.yaml",
    "name: plan\nstatus: proposed\nfields:\n  - { name: plan_id, type: string }\n",
);

const SEX: (&str, &str) = (
    "standards/demo/codelists/sex.yaml",
    r#"name: sex
title: Sex
codes:
  - { code: F, label: Female, description: As recorded at birth. }
  - { code: M, label: Male }
  - { code: X, label: Proposed, status: proposed }
"#,
);

fn demo() -> Catalog {
    catalog(&[STANDARD, CHILD, EPISODE, PROPOSED, SEX])
}

fn json(export: &Export, path: &str) -> Value {
    let (_, bytes) = export
        .files
        .iter()
        .find(|(p, _)| p == path)
        .unwrap_or_else(|| {
            panic!(
                "no {path} in {:?}",
                export.files.iter().map(|(p, _)| p).collect::<Vec<_>>()
            )
        });
    serde_json::from_slice(bytes).expect("JSON")
}

fn text(export: &Export, path: &str) -> String {
    let (_, bytes) = export.files.iter().find(|(p, _)| p == path).expect(path);
    String::from_utf8(bytes.clone()).expect("UTF-8")
}

fn has_loss(export: &Export, path: &str, words: &str) -> bool {
    export
        .losses
        .iter()
        .any(|l| l.path.to_string() == path && l.message.contains(words))
}

#[test]
fn formats_parse_from_their_command_line_names() {
    for f in Format::ALL {
        assert_eq!(f.as_str().parse::<Format>(), Ok(f));
    }
    assert_eq!(
        "tablschema".parse::<Format>(),
        Err(ExportError::UnknownFormat("tablschema".into()))
    );
}

#[test]
fn an_unknown_standard_names_the_known_ones() {
    let err = export(Format::Datapackage, &demo(), "dem", &Options::default()).unwrap_err();
    assert_eq!(
        err.to_string(),
        "no standard `dem` here (the standards are: demo)"
    );
}

#[test]
fn media_types_follow_the_file_names() {
    assert_eq!(
        media_type("demo.csv-metadata.json"),
        "application/csvm+json"
    );
    assert_eq!(media_type("demo.schema.json"), "application/schema+json");
    assert_eq!(media_type("datapackage.json"), "application/json");
    assert_eq!(media_type("codelists/sex.csv"), "text/csv");
}

#[test]
fn the_data_package_has_types_keys_categories_and_the_date_format() {
    let out = export(Format::Datapackage, &demo(), "demo", &Options::default()).unwrap();
    let package = json(&out, "datapackage.json");
    assert_eq!(package["version"], "1.2.0");
    assert_eq!(package["licenses"][0]["name"], "OGL-UK-3.0");
    let names: Vec<&str> = package["resources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        ["child", "episode", "codelist_sex"],
        "the proposed entity is left out"
    );
    let child = &package["resources"][0]["schema"];
    assert_eq!(child["primaryKey"], serde_json::json!(["child_id"]));
    let fields = child["fields"].as_array().unwrap();
    assert_eq!(fields.len(), 3, "the proposed field is left out");
    assert_eq!(
        fields[1]["constraints"]["enum"],
        serde_json::json!(["F", "M"])
    );
    assert_eq!(
        fields[1]["categories"],
        serde_json::json!([{ "value": "F", "label": "Female" }, { "value": "M", "label": "Male" }])
    );
    assert_eq!(fields[2]["type"], "date");
    assert_eq!(fields[2]["format"], "%d/%m/%Y");
    assert_eq!(
        fields[2]["example"], "09/03/2015",
        "an example is written in the field's format, which Frictionless checks it against"
    );
    let episode = &package["resources"][1]["schema"];
    assert_eq!(
        episode["foreignKeys"],
        serde_json::json!([{ "fields": ["child"], "reference": { "resource": "child", "fields": ["child_id"] } }])
    );
    assert_eq!(episode["fields"][0]["constraints"]["minimum"], 1.0);
}

#[test]
fn sample_data_follows_references_and_the_date_format() {
    let out = export(Format::Datapackage, &demo(), "demo", &Options::default()).unwrap();
    assert_eq!(
        text(&out, "child.csv"),
        "child_id,sex,dob\r\nC1,F,09/03/2015\r\n"
    );
    // The episode's own example would break the foreign key: it takes the child's.
    assert_eq!(text(&out, "episode.csv"), "episode_id,child\r\n7,C1\r\n");
    assert_eq!(
        text(&out, "codelists/sex.csv"),
        "code,label,description\r\nF,Female,As recorded at birth.\r\nM,Male,\r\n"
    );
}

#[test]
fn what_a_format_cannot_say_is_a_loss() {
    let out = export(Format::Datapackage, &demo(), "demo", &Options::default()).unwrap();
    assert!(
        has_loss(&out, "demo/entities/child/fields/draft_note", "proposed"),
        "{:?}",
        out.losses
    );
    assert!(has_loss(&out, "demo/entities/plan", "proposed"));
    // The proposed entity's fields go with it, in one loss.
    assert!(
        !out.losses
            .iter()
            .any(|l| l.path.to_string().starts_with("demo/entities/plan/"))
    );
    assert!(has_loss(
        &out,
        "demo/entities/child/fields/child_id",
        "`item`"
    ));
    let json = export(Format::JsonSchema, &demo(), "demo", &Options::default()).unwrap();
    assert!(has_loss(
        &json,
        "demo/entities/episode/fields/child",
        "`references`"
    ));
    assert!(has_loss(&json, "demo/codelists/sex", "labels"));
}

#[test]
fn the_json_schema_bundle_holds_every_entity() {
    let options = Options {
        base_url: Some("https://example.org/demo/1.2.0/downloads/json-schema/".into()),
        ..Options::default()
    };
    let out = export(Format::JsonSchema, &demo(), "demo", &options).unwrap();
    let doc = json(&out, "demo.schema.json");
    assert_eq!(
        doc["$id"],
        "https://example.org/demo/1.2.0/downloads/json-schema/demo.schema.json"
    );
    let defs = doc["$defs"].as_object().unwrap();
    assert_eq!(defs.keys().collect::<Vec<_>>(), ["child", "episode"]);
    assert_eq!(
        defs["child"]["properties"]["sex"]["enum"],
        serde_json::json!(["F", "M"])
    );
    assert!(defs["child"].get("$schema").is_none());
}

#[test]
fn csvw_columns_carry_the_codes_and_the_date_pattern() {
    let out = export(Format::Csvw, &demo(), "demo", &Options::default()).unwrap();
    let doc = json(&out, "demo.csv-metadata.json");
    let columns = &doc["tables"][0]["tableSchema"]["columns"];
    assert_eq!(columns[1]["datatype"]["format"], "^(?:F|M)$");
    assert_eq!(
        columns[2]["datatype"],
        serde_json::json!({ "base": "date", "format": "dd/MM/yyyy" })
    );
    assert_eq!(
        doc["tables"][1]["tableSchema"]["foreignKeys"][0]["reference"]["resource"],
        "child.csv"
    );
}

#[test]
fn openapi_components_are_the_record_schemas() {
    let out = export(Format::Openapi, &demo(), "demo", &Options::default()).unwrap();
    let doc = json(&out, "demo.openapi.json");
    assert_eq!(doc["openapi"], "3.1.0");
    assert_eq!(doc["info"]["version"], "1.2.0");
    let bundle = json(
        &export(Format::JsonSchema, &demo(), "demo", &Options::default()).unwrap(),
        "demo.schema.json",
    );
    assert_eq!(doc["components"]["schemas"], bundle["$defs"]);
}

#[test]
fn descriptions_are_carried_as_written() {
    let entity = (
        "standards/demo/entities/note.yaml",
        "name: note\ndescription: |\n  Two lines,\n  the second *Markdown*.\nfields:\n  - { name: id, type: string }\n",
    );
    let catalog = catalog(&[STANDARD, entity]);
    let written = "Two lines,\nthe second *Markdown*.\n";
    let package = json(
        &export(Format::Datapackage, &catalog, "demo", &Options::default()).unwrap(),
        "datapackage.json",
    );
    assert_eq!(package["resources"][0]["description"], written);
    let bundle = json(
        &export(Format::JsonSchema, &catalog, "demo", &Options::default()).unwrap(),
        "demo.schema.json",
    );
    assert_eq!(bundle["$defs"]["note"]["description"], written);
    let csvw = json(
        &export(Format::Csvw, &catalog, "demo", &Options::default()).unwrap(),
        "demo.csv-metadata.json",
    );
    assert_eq!(csvw["tables"][0]["dc:description"], written);
}

#[test]
fn a_constraint_a_format_cannot_say_of_a_type_is_a_loss() {
    let entity = (
        "standards/demo/entities/birth.yaml",
        "name: birth\nfields:\n  - { name: year, type: year, constraints: { minimum: 1900, unique: true } }\n",
    );
    let catalog = catalog(&[STANDARD, entity]);
    let path = "demo/entities/birth/fields/year";
    // Table Schema bounds numbers only, not years.
    let package = export(Format::Datapackage, &catalog, "demo", &Options::default()).unwrap();
    assert!(
        has_loss(&package, path, "`minimum` of this year field"),
        "{:?}",
        package.losses
    );
    assert!(!has_loss(&package, path, "`unique`"));
    // A JSON Schema's year is an integer, so it keeps the bound but not the uniqueness.
    let bundle = export(Format::JsonSchema, &catalog, "demo", &Options::default()).unwrap();
    assert!(
        has_loss(&bundle, path, "cannot say `unique`"),
        "{:?}",
        bundle.losses
    );
    assert!(!has_loss(&bundle, path, "`minimum`"));
    assert_eq!(
        json(&bundle, "demo.schema.json")["$defs"]["birth"]["properties"]["year"]["minimum"],
        1900.0
    );
}

#[test]
fn the_subject_field_is_a_loss_where_the_date_format_is_not() {
    let standard = (
        "standards/demo/standard.yaml",
        "id: demo\ntitle: Demo\nversion: 1.0.0\ndata: { date_format: \"%d/%m/%Y\", subject: child.child_id }\n",
    );
    let catalog = catalog(&[standard, CHILD, SEX]);
    for format in [Format::Datapackage, Format::Csvw] {
        let out = export(format, &catalog, "demo", &Options::default()).unwrap();
        assert!(
            has_loss(&out, "demo", "`data.subject` (`child.child_id`)"),
            "{format}: {:?}",
            out.losses
        );
        assert!(!has_loss(&out, "demo", "`data`,"), "{format}");
    }
}

#[test]
fn a_key_with_a_proposed_field_is_left_out_with_a_loss() {
    let entity = (
        "standards/demo/entities/visit.yaml",
        r#"name: visit
primary_key: [visit_id, draft]
unique_keys: [[visit_id]]
fields:
  - { name: visit_id, type: string, required: true }
  - { name: draft, type: string, status: proposed }
"#,
    );
    let catalog = catalog(&[STANDARD, entity]);
    let out = export(Format::Datapackage, &catalog, "demo", &Options::default()).unwrap();
    let schema = &json(&out, "datapackage.json")["resources"][0]["schema"];
    assert!(schema.get("primaryKey").is_none(), "{schema}");
    assert_eq!(schema["uniqueKeys"], serde_json::json!([["visit_id"]]));
    assert!(
        has_loss(
            &out,
            "demo/entities/visit",
            "leaves out the key [visit_id, draft]"
        ),
        "{:?}",
        out.losses
    );
}

#[test]
fn a_validation_rule_is_a_loss_in_every_format() {
    let rule = (
        "standards/demo/rules/101.yaml",
        "code: \"101\"\ntitle: A child has a date of birth.\nseverity: error\nentity: child\nfields: [dob]\ncheck: dob IS NOT NULL\n",
    );
    let catalog = catalog(&[STANDARD, CHILD, SEX, rule]);
    let every = Format::ALL.into_iter().filter(|f| *f != Format::Dcat);
    for format in every {
        let out = export(format, &catalog, "demo", &Options::default()).unwrap();
        assert!(
            has_loss(&out, "demo/rules/101", "validation rules are not exported"),
            "{format}: {:?}",
            out.losses
        );
    }
}

#[test]
fn the_published_sql_holds_both_dialects_and_the_losses_of_each_once() {
    let pattern = (
        "standards/demo/entities/team.yaml",
        "name: team\nprimary_key: [team_id]\nfields:\n  - { name: team_id, type: string, required: true, constraints: { max_length: 8, pattern: \"^T[0-9]+$\" } }\n",
    );
    let catalog = catalog(&[STANDARD, CHILD, EPISODE, SEX, pattern]);
    let published = publish(Format::Sql, &catalog, "demo", &Options::default()).unwrap();
    let titles: Vec<&str> = published.variants.iter().map(|(t, _)| t.as_str()).collect();
    assert_eq!(
        titles,
        ["SQL tables (PostgreSQL)", "SQL tables (SQL Server)"]
    );
    let losses = |n: usize| published.variants[n].1.losses.clone();
    let (postgres, mssql) = (losses(0), losses(1));
    let shared: Vec<&Loss> = postgres.iter().filter(|l| mssql.contains(l)).collect();
    assert!(
        !shared.is_empty(),
        "the dialects share no loss: {postgres:?}"
    );
    let files = published.clone().files();
    let names: Vec<&str> = files.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, ["demo.postgres.sql", "demo.mssql.sql", "notes.json"]);
    let notes: Vec<Value> = serde_json::from_slice(&files[2].1).unwrap();
    let said = |l: &Loss| {
        notes
            .iter()
            .filter(|n| n["path"] == l.path.to_string() && n["message"] == l.message.as_str())
            .count()
    };
    // Every loss of either dialect is a note, once; SQL Server's own name their database.
    for loss in postgres.iter().chain(&mssql) {
        assert_eq!(said(loss), 1, "{loss:?} in {notes:#?}");
    }
    assert_eq!(notes.len(), postgres.len() + mssql.len() - shared.len());
    assert!(
        mssql.iter().any(
            |l| l.path.to_string() == "demo/entities/team/fields/team_id"
                && l.message.contains("SQL Server has no regular expressions")
        ),
        "{mssql:?}"
    );
}

#[test]
fn every_other_format_is_published_as_its_one_export() {
    let catalog = demo();
    for format in Format::ALL.into_iter().filter(|f| *f != Format::Sql) {
        let published = publish(format, &catalog, "demo", &Options::default()).unwrap();
        let alone = export(format, &catalog, "demo", &Options::default()).unwrap();
        assert_eq!(
            published.variants,
            [(format.title().to_owned(), alone)],
            "{format}"
        );
    }
}
