//! What the xsd, sql, xlsx/ods and linkml exports leave out, on a small standard written for the
//! test: `proposed` elements are nowhere in the files, and everything else a format cannot say
//! is a loss naming its element.

#![allow(clippy::unwrap_used)]

mod support;

use norm_export::sheet::Spreadsheet;
use norm_export::{Dialect, Options};
use norm_export::{Export, Loss};
use norm_model::{Catalog, ElementPath};

const DEMO: &str = "id: demo
title: Fish & <chips>
version: 1.0.0
status: active
data: { date_format: \"%d/%m/%Y\" }
requires: { other: \"^1.0\" }
";

const PERSON: &str = "name: person
title: Person's record
primary_key: [person_id]
fields:
  - name: person_id
    description: Given by the <b>system</b> & kept.
    type: string
    required: true
  - name: born
    type: date
    constraints: { minimum: 5 }
  - name: score
    type: decimal
    constraints: { exclusive_minimum: 0.5 }
  - name: notes
    type: json
  - name: colours
    type: code
    codelist: colour
    multiple: true
  - name: nickname
    type: string
    constraints: { pattern: \"^[a-z]+$\", max_length: 8 }
    mappings:
      - { external: CBDS N00001, relation: close }
  - name: secret_plan
    type: string
    status: proposed
  - name: team_name
    type: string
    references: team.team_name
  - name: elsewhere
    type: string
    references: other/thing.thing_id
";

const TEAM: &str = "name: team
primary_key: [team_id]
fields:
  - name: team_id
    type: string
    required: true
  - name: team_name
    type: string
";

const DRAFT: &str = "name: draft_entity
status: proposed
fields:
  - name: draft_field
    type: string
";

const COLOUR: &str = "name: colour
title: Colour
codes:
  - code: \"R\"
    label: Red
  - code: \"ZZTOP\"
    label: Proposed colour
    status: proposed
";

const OTHER: &str = "id: other
title: Other
version: 1.2.0
status: active
";

const THING: &str = "name: thing
primary_key: [thing_id]
fields:
  - name: thing_id
    type: string
    required: true
";

fn demo() -> Catalog {
    support::catalog(&[
        ("norm.yaml", "site: { title: Test }\n"),
        ("standards/demo/standard.yaml", DEMO),
        ("standards/demo/entities/person.yaml", PERSON),
        ("standards/demo/entities/team.yaml", TEAM),
        ("standards/demo/entities/draft_entity.yaml", DRAFT),
        ("standards/demo/codelists/colour.yaml", COLOUR),
        ("standards/other/standard.yaml", OTHER),
        ("standards/other/entities/thing.yaml", THING),
    ])
}

fn exports(catalog: &Catalog) -> Vec<(&'static str, Export)> {
    let demo = &catalog.standards["demo"];
    vec![
        (
            "xsd",
            norm_export::xsd::export(catalog, demo, &Options::default()),
        ),
        (
            "postgres",
            norm_export::sql::export(
                catalog,
                demo,
                &Options {
                    dialect: Dialect::Postgres,
                    ..Options::default()
                },
            ),
        ),
        (
            "mssql",
            norm_export::sql::export(
                catalog,
                demo,
                &Options {
                    dialect: Dialect::Mssql,
                    ..Options::default()
                },
            ),
        ),
        (
            "xlsx",
            norm_export::sheet::export(catalog, demo, Spreadsheet::Xlsx),
        ),
        (
            "ods",
            norm_export::sheet::export(catalog, demo, Spreadsheet::Ods),
        ),
        (
            "linkml",
            norm_export::linkml::export(catalog, demo, &Options::default()),
        ),
    ]
}

/// The text of every file, zipped ones (workbooks) unpacked.
fn text(export: &Export) -> String {
    let mut all = String::new();
    for (_, bytes) in &export.files {
        match zip::ZipArchive::new(std::io::Cursor::new(bytes.clone())) {
            Ok(mut zip) => {
                for i in 0..zip.len() {
                    let mut entry = zip.by_index(i).unwrap();
                    std::io::Read::read_to_string(&mut entry, &mut all).unwrap();
                }
            }
            Err(_) => all.push_str(std::str::from_utf8(bytes).unwrap()),
        }
    }
    all
}

fn field(name: &str) -> ElementPath {
    ElementPath::field("demo", "person", name)
}

/// Whether some loss of `losses` names `path` and says `words`.
fn lost(losses: &[Loss], path: &ElementPath, words: &str) -> bool {
    losses
        .iter()
        .any(|l| &l.path == path && l.message.contains(words))
}

#[test]
fn proposed_elements_are_in_no_export() {
    let catalog = demo();
    for (format, export) in exports(&catalog) {
        let text = text(&export);
        assert!(
            text.contains("person_id"),
            "{format}: the export holds the standard"
        );
        for name in ["secret_plan", "draft_entity", "draft_field", "ZZTOP"] {
            assert!(
                !text.contains(name),
                "{format}: `{name}` is proposed, so left out"
            );
        }
    }
}

#[test]
fn every_format_says_what_it_cannot_carry() {
    let catalog = demo();
    let all = exports(&catalog);
    let losses = |format: &str| &all.iter().find(|(f, _)| *f == format).unwrap().1.losses;
    let standard = ElementPath::standard("demo");
    let not_ours = "points into standard `other`";
    let draft = ElementPath::entity("demo", "draft_entity");
    for format in ["xsd", "postgres", "mssql", "xlsx", "ods", "linkml"] {
        assert!(
            lost(losses(format), &draft, "proposed"),
            "{format}: {:#?}",
            losses(format)
        );
        assert!(
            lost(losses(format), &field("elsewhere"), not_ours),
            "{format}: {:#?}",
            losses(format)
        );
    }
    // XSD: a JSON document, a date's numeric bound, the data files' date format, a reference
    // to a field that is not a key.
    let xsd = losses("xsd");
    assert!(lost(xsd, &field("notes"), "JSON document"), "{xsd:#?}");
    assert!(
        lost(
            xsd,
            &field("born"),
            "does not apply to a field of type date"
        ),
        "{xsd:#?}"
    );
    assert!(lost(xsd, &standard, "`%d/%m/%Y`"), "{xsd:#?}");
    assert!(
        lost(xsd, &field("team_name"), "`team.team_name` is not a key"),
        "{xsd:#?}"
    );
    // A repeated element carries several codes, each checked against its list.
    assert!(!xsd.iter().any(|l| l.path == field("colours")), "{xsd:#?}");
    // Keys a format has no place for are named, through the view every format shares.
    assert!(
        lost(xsd, &field("nickname"), "XSD has no place for `mappings`"),
        "{xsd:#?}"
    );
    let sql = losses("postgres");
    assert!(
        lost(
            sql,
            &field("person_id"),
            "SQL has no place for `description`"
        ),
        "{sql:#?}"
    );
    assert!(
        !lost(losses("xlsx"), &field("person_id"), "no place"),
        "the dictionary says all"
    );
    // SQL: arrays have no foreign keys; SQL Server has no arrays and no regular expressions.
    assert!(lost(
        losses("postgres"),
        &field("colours"),
        "no foreign keys on array elements"
    ));
    assert!(lost(
        losses("mssql"),
        &field("colours"),
        "SQL Server has no arrays"
    ));
    assert!(lost(
        losses("mssql"),
        &field("nickname"),
        "the pattern `^[a-z]+$` is not checked"
    ));
    assert!(!lost(losses("postgres"), &field("nickname"), "pattern"));
    assert!(lost(
        losses("postgres"),
        &field("team_name"),
        "cannot be a foreign key"
    ));
    // Workbooks: the template checks codes only.
    for format in ["xlsx", "ods"] {
        assert!(lost(
            losses(format),
            &standard,
            "drop-down lists check coded columns only"
        ));
    }
    // LinkML: one pattern per slot, no exclusive bounds on decimals, no mappings in words.
    let linkml = losses("linkml");
    assert!(
        lost(linkml, &field("nickname"), "its length is not checked"),
        "{linkml:#?}"
    );
    assert!(lost(linkml, &field("nickname"), "mappings"), "{linkml:#?}");
    assert!(
        lost(linkml, &field("score"), "no exclusive bounds"),
        "{linkml:#?}"
    );
    assert!(
        lost(linkml, &field("team_name"), "not its class's identifier"),
        "{linkml:#?}"
    );
}

#[test]
fn text_from_the_standard_is_escaped_for_each_syntax() {
    let catalog = demo();
    let all = exports(&catalog);
    let file = |format: &str| text(&all.iter().find(|(f, _)| *f == format).unwrap().1);
    assert!(file("xsd").contains("Fish &amp; &lt;chips&gt;"));
    // Descriptions are documentation after the title.
    assert!(file("xsd").contains(
        "<xs:documentation xml:lang=\"en-GB\">Given by the &lt;b&gt;system&lt;/b&gt; &amp; kept.</xs:documentation>"
    ));
    assert!(file("postgres").contains("'Person''s record'"));
    assert!(file("mssql").contains("N'Person''s record'"));
    assert!(file("linkml").contains("title: \"Fish & <chips>\""));
}
