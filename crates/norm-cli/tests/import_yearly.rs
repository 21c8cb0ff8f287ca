//! `norm import` of the yearly formats (column-map, xsd) and of data dictionaries (sheet),
//! through the binary: what is written, the report, `--history` and `--columns`.

#![allow(clippy::unwrap_used)]

mod support;

use serde_json::Value;
use support::Repo;

const BASE: &str = "column_map:\n  header:\n    CHILD:\n      string: alphanumeric\n      canbeblank: no\n    DOB:\n      date: \"%d/%m/%Y\"\n      canbeblank: no\n    SEX:\n      category:\n        - code: \"1\"\n          name: Boy\n        - code: \"2\"\n          name: Girl\n      canbeblank: no\n";
const ADD_UPN: &str = "column_map.header.UPN:\n  type: add\n  value:\n    string: alphanumeric\n    canbeblank: yes\n";
const ADD_CODE: &str = "column_map.header.SEX.category:\n  type: modify\n  value:\n    - code: \"1\"\n      name: Boy\n    - code: \"2\"\n      name: Girl\n    - code: \"9\"\n      name: Not known\n";

fn json(stdout: &str) -> Value {
    serde_json::from_str(stdout).unwrap_or_else(|e| panic!("{e}: {stdout}"))
}

/// A repository with one other standard, to import into.
fn target() -> Repo {
    let repo = Repo::new();
    repo.write("norm.yaml", "{}\n");
    repo.write(
        "standards/other/standard.yaml",
        "id: other\ntitle: Other\nversion: 1.0.0\n",
    );
    repo
}

#[test]
fn yearly_column_maps_replay_as_one_release_a_year() {
    let source = tempfile::tempdir().unwrap();
    for (name, text) in [
        ("Demo_schema_2023.yml", BASE),
        ("Demo_schema_2024.diff.yml", ADD_UPN),
        ("Demo_schema_2025.diff.yml", ADD_CODE),
    ] {
        std::fs::write(source.path().join(name), text).unwrap();
    }
    let mut repo = target();
    repo.commit("start");
    let src = source.path().to_str().unwrap();
    let (code, stdout, stderr) = repo.norm(&["import", "column-map", src, "--history"]);
    // The source has no keys: a lint error of the source, so the exit code is 1.
    assert_eq!((code, stderr.as_str()), (1, ""), "{stdout}");
    assert!(
        stdout.starts_with(
            "replayed 3 revisions of `demo` from column-map:\n  0.1.0    2022-23: first release \
             (demo/v0.1.0)\n  0.1.1    2023-24: 2 changes, patch bump required (demo/v0.1.1)\n  \
             0.2.0    2024-25: 2 changes, minor bump required (demo/v0.2.0)\n"
        ),
        "{stdout}"
    );
    assert!(
        stdout.contains("(0 errors caused by the importer)"),
        "{stdout}"
    );
    for tag in ["demo/v0.1.0", "demo/v0.1.1", "demo/v0.2.0"] {
        assert!(repo.has_tag(tag), "{tag} missing: {stdout}");
    }
    assert!(
        repo.message("HEAD").contains("2024-25"),
        "{}",
        repo.message("HEAD")
    );
    assert_eq!(
        changes(&repo, "demo@0.1.0", "demo@0.1.1"),
        [
            "metadata-changed demo",
            "field-added-optional demo/entities/header/fields/upn"
        ]
    );
    assert_eq!(
        changes(&repo, "demo@0.1.1", "demo@0.2.0"),
        [
            "metadata-changed demo",
            "code-added-closed demo/codelists/sex/codes/9"
        ]
    );
    let sex = repo.read("standards/demo/codelists/sex.yaml");
    assert!(
        sex.contains("  - code: \"9\"\n    label: Not known\n"),
        "{sex}"
    );
}

/// The rule and path of each change `norm diff` finds between two releases.
fn changes(repo: &Repo, base: &str, head: &str) -> Vec<String> {
    let (_, diff, _) = repo.norm(&["diff", base, head, "--format", "json"]);
    json(&diff)["standards"][0]["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            format!(
                "{} {}",
                c["rule"].as_str().unwrap(),
                c["path"].as_str().unwrap()
            )
        })
        .collect()
}

const DICTIONARY: &str = "Item,Format,Obligation,Notes\nchild_id,varchar(10),M,The child's identifier.\nVisit Date,date,O,\n";

#[test]
fn a_dictionary_is_read_with_the_columns_named_on_the_command_line() {
    let source = tempfile::tempdir().unwrap();
    let csv = source.path().join("visits.csv");
    std::fs::write(&csv, DICTIONARY).unwrap();
    let repo = target();
    let src = csv.to_str().unwrap();
    let (code, stdout, stderr) = repo.norm(&[
        "import",
        "sheet",
        src,
        "--columns",
        "field=Item,type=Format",
        "--format",
        "json",
    ]);
    assert_eq!((code, stderr.as_str()), (1, ""), "{stdout}");
    let report = json(&stdout);
    assert_eq!(report["fields"], 2, "{stdout}");
    assert_eq!(report["lint"]["importer_errors"], 0, "{stdout}");
    assert_eq!(
        report["notes"][0]["message"],
        "type `varchar(10)` read as string"
    );
    assert_eq!(
        repo.read("standards/visits/entities/visits.yaml"),
        "# yaml-language-server: $schema=../../../docs/schema/entity.schema.json
name: visits
fields:
  - name: child_id
    description: The child's identifier.
    type: string
    required: true
    constraints: { max_length: 10 }
  - name: visit_date
    column: Visit Date
    type: date
"
    );
}

#[test]
fn columns_is_refused_for_other_formats_and_when_malformed() {
    let repo = target();
    let (code, _, stderr) = repo.norm(&["import", "xsd", "x.xsd", "--columns", "field=Item"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("it is for `norm import sheet`"), "{stderr}");
    let (code, _, stderr) = repo.norm(&["import", "sheet", "x.csv", "--columns", "colour=Hue"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("`colour` is not a column role"), "{stderr}");
}

const SCHEMA: &str = r#"<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">
  <xs:element name="Children">
    <xs:complexType>
      <xs:sequence>
        <xs:element name="Child" maxOccurs="unbounded">
          <xs:complexType>
            <xs:sequence>
              <xs:element name="LAchildID" type="xs:string"/>
              <xs:element name="Visit" minOccurs="0" maxOccurs="unbounded">
                <xs:complexType>
                  <xs:sequence>
                    <xs:element name="VisitDate" type="xs:date"/>
                  </xs:sequence>
                </xs:complexType>
              </xs:element>
            </xs:sequence>
          </xs:complexType>
        </xs:element>
      </xs:sequence>
    </xs:complexType>
  </xs:element>
</xs:schema>
"#;

#[test]
fn an_xml_schema_is_written_as_entities_with_keys_and_references() {
    let source = tempfile::tempdir().unwrap();
    let xsd = source.path().join("Visits_schema_2025.xsd");
    std::fs::write(&xsd, SCHEMA).unwrap();
    let repo = target();
    let src = xsd.to_str().unwrap();
    let (code, stdout, stderr) = repo.norm(&["import", "xsd", src, "--format", "json"]);
    assert_eq!((code, stderr.as_str()), (1, ""), "{stdout}");
    let report = json(&stdout);
    assert_eq!(report["entities"], 3, "{stdout}");
    assert_eq!(report["references"], 2, "{stdout}");
    assert_eq!(report["lint"]["importer_errors"], 0, "{stdout}");
    assert_eq!(
        repo.read("standards/visits/entities/visit.yaml"),
        "# yaml-language-server: $schema=../../../docs/schema/entity.schema.json
name: visit
fields:
  - name: child_id
    type: string
    required: true
    references: child.child_id
  - name: visit_date
    column: VisitDate
    type: date
    required: true
"
    );
}
