//! The site's `catalogue.json` and its DCAT records:
//!
//! - our own site's catalogue validates against `docs/schema/catalogue.schema.json`, lists
//!   every standard and release, and every page and download it names exists;
//! - rdflib (Python, `.ci/python-requirements.txt`) parses every release's Turtle and JSON-LD
//!   record, finds them the same graph, and finds on each dataset, distribution and contact
//!   point the properties the cross-government metadata model requires (its classes' required
//!   slots, transcribed below from co-cddo/ukgov-metadata-exchange-model, independently of the
//!   exporter's own list).
//!
//! - `norm catalogue` aggregates two sites served on 127.0.0.1 into one catalogue site with
//!   links to both and one search index over both; a source that fails (refused, 404, not a
//!   catalogue) is named in the error and the previous output stays as it was.
//!
//! Without rdflib, `cargo test` says so loudly and skips; in CI (`CI=true`) it fails.

#![allow(clippy::unwrap_used)]

#[path = "support/site.rs"]
mod site;
mod support;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use serde_json::Value;

/// A repository made by `norm init` whose site is titled `title` and whose example standard
/// is released as 0.1.0, with an owner who has an e-mail address (so its DCAT record lacks
/// nothing), and its site.
fn released_site(title: &str) -> (support::Repo, PathBuf) {
    let mut repo = support::Repo::new();
    let (code, stdout, stderr) = repo.norm(&["init"]);
    assert_eq!(code, 0, "norm init: {stdout}{stderr}");
    let config = repo
        .read("norm.yaml")
        .replace("title: Data standards", &format!("title: {title}"));
    repo.write("norm.yaml", &config);
    let path = "standards/example/standard.yaml";
    let text = repo.read(path).replace(
        "  url: https://example.org\n",
        "  url: https://example.org\n  email: standards@example.org\n",
    );
    repo.write(path, &text);
    let commit = repo.commit("norm init");
    repo.tag("example/v0.1.0", commit);
    let out = repo.path().join("_site");
    site::build(repo.path(), &out);
    (repo, out)
}

fn read_json(path: &Path) -> Value {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn our_catalogue_lists_every_standard_and_release_and_validates_against_its_schema() {
    let dir = site::own_site("catalogue");
    let catalogue = read_json(&dir.join("catalogue.json"));
    let schema = read_json(&site::workspace_root().join("docs/schema/catalogue.schema.json"));
    let validator = jsonschema::validator_for(&schema).unwrap();
    let errors: Vec<String> = validator
        .iter_errors(&catalogue)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "catalogue.json: {errors:#?}");
    let ours: BTreeSet<String> = std::fs::read_dir(site::workspace_root().join("standards"))
        .unwrap()
        .flatten()
        .filter(|e| e.path().join("standard.yaml").is_file())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    let listed: BTreeSet<String> = catalogue["standards"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(listed, ours);
    let mut releases = 0;
    for standard in catalogue["standards"].as_array().unwrap() {
        assert!(dir.join(standard["href"].as_str().unwrap()).is_file());
        let list = standard["releases"].as_array().unwrap();
        assert!(!list.is_empty(), "{} has no release", standard["id"]);
        assert_eq!(
            standard["latest"],
            list.last().unwrap()["version"],
            "{}",
            standard["id"]
        );
        for release in list {
            releases += 1;
            assert!(release["date"].is_string(), "{release}");
            assert!(dir.join(release["href"].as_str().unwrap()).is_file());
            let downloads = release["downloads"].as_array().unwrap();
            for d in downloads {
                let href = d["href"].as_str().unwrap();
                assert!(dir.join(href).is_file(), "{href} is listed but not written");
            }
            let types: BTreeSet<&str> = downloads
                .iter()
                .map(|d| d["media_type"].as_str().unwrap())
                .collect();
            for t in [
                "application/json",
                "text/csv",
                "application/ld+json",
                "text/turtle",
            ] {
                assert!(types.contains(t), "{}: no {t} download", release["href"]);
            }
            // The embedded record is the one the build checks; our owners give no e-mail
            // address, which is all it lacks (and what the build warns about).
            let missing = norm_export::dcat::missing_required(&release["dcat"]);
            assert!(
                missing.iter().all(|(_, p)| *p == "vcard:hasEmail"),
                "{}: {missing:?}",
                release["href"]
            );
            assert_eq!(
                release["dcat"]["@graph"][0]["dcat:version"],
                release["version"]
            );
        }
    }
    assert!(releases >= 6, "only {releases} releases");
}

/// Parses each `.dcat.ttl` given and the `.dcat.jsonld` beside it, and prints for each: its
/// triples, whether both forms are the same graph, its datasets, and the required properties
/// each dataset, distribution and contact point lacks.
const RDFLIB_CHECK: &str = r#"
import json, sys
from rdflib import Graph, Namespace, RDF, URIRef
from rdflib.compare import isomorphic

DCAT = Namespace("http://www.w3.org/ns/dcat#")
DCT = Namespace("http://purl.org/dc/terms/")
VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
UKGOV = Namespace("https://w3id.org/co-cddo/ukgov-metadata-exchange-model/")

# The required slots of the model's classes, by their slot_uri.
DATASET = [DCT.accessRights, DCT.description, DCT.modified, DCAT.contactPoint, DCT.creator,
           DCT.identifier, DCT.license, DCT.publisher, UKGOV.securityClassification, DCT.title,
           RDF.type, DCAT.version, DCT.accrualPeriodicity]
DISTRIBUTION = [DCT.identifier, DCT.license, DCAT.mediaType, DCT.title, RDF.type]
CONTACT = [VCARD.fn, VCARD.hasEmail]

out = {}
for ttl in sys.argv[1:]:
    turtle = Graph().parse(ttl, format="turtle")
    jsonld = Graph().parse(ttl[:-4] + ".jsonld", format="json-ld")
    missing = []
    def need(subject, props):
        missing.extend([str(subject), str(p)] for p in props if (subject, p, None) not in turtle)
    datasets = list(turtle.subjects(RDF.type, DCAT.Dataset))
    for d in datasets:
        need(d, DATASET)
        for c in turtle.objects(d, DCAT.contactPoint):
            need(c, CONTACT)
        for dist in turtle.objects(d, DCAT.distribution):
            need(dist, DISTRIBUTION)
    out[ttl] = {"triples": len(turtle), "same": isomorphic(turtle, jsonld),
                "datasets": len(datasets), "missing": missing}
print(json.dumps(out))
"#;

/// rdflib's reading of every record under `dir`: `(file, report)`.
fn rdflib_check(python: &Path, dir: &Path) -> Vec<(String, Value)> {
    let files = site::files_ending(dir, ".dcat.ttl");
    assert!(!files.is_empty(), "no DCAT record under {}", dir.display());
    let output = site::run_bounded(
        Command::new(python).args(["-c", RDFLIB_CHECK]).args(&files),
        Duration::from_secs(120),
    );
    assert!(
        output.status.success(),
        "rdflib failed:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();
    report
        .as_object()
        .unwrap()
        .iter()
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect()
}

#[test]
fn rdflib_reads_every_dcat_record_with_the_fields_the_metadata_model_requires() {
    let Some(python) = site::require("rdflib", site::python_with("rdflib")) else {
        return;
    };
    let own = rdflib_check(&python, site::own_site("catalogue"));
    for (file, report) in &own {
        assert_eq!(report["same"], true, "{file}: Turtle and JSON-LD differ");
        assert_eq!(report["datasets"], 1, "{file}");
        assert!(report["triples"].as_u64().unwrap() > 20, "{file}: {report}");
        // Our owners give no e-mail address: that, and only that, is missing.
        for m in report["missing"].as_array().unwrap() {
            assert_eq!(
                m[1], "http://www.w3.org/2006/vcard/ns#hasEmail",
                "{file}: {m}"
            );
        }
    }
    let (_repo, complete) = released_site("Data standards");
    let report = rdflib_check(&python, &complete);
    assert_eq!(report.len(), 1);
    let (file, report) = &report[0];
    assert_eq!(report["same"], true, "{file}");
    assert_eq!(report["missing"], serde_json::json!([]), "{file}");
}

fn norm_catalogue(cwd: &Path, args: &[&str]) -> (i32, String, String) {
    let mut all = vec!["catalogue"];
    all.extend_from_slice(args);
    support::norm_in(cwd, &all)
}

#[test]
fn norm_catalogue_aggregates_two_sites_served_over_http() {
    let (_a, site_a) = released_site("Data to Insight standards");
    let (_b, site_b) = released_site("Regional standards");
    let (server_a, server_b) = (
        site::Server::start(&site_a, "/"),
        site::Server::start(&site_b, "/d2i/"),
    );
    let work = tempfile::tempdir().unwrap();
    let (url_a, url_b) = (server_a.url(""), server_b.url("catalogue.json"));
    let (code, stdout, stderr) = norm_catalogue(work.path(), &[&url_a, &url_b, "--out", "cat"]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(stdout.contains("2 standards from 2 sites"), "{stdout}");
    let out = work.path().join("cat");
    let index = std::fs::read_to_string(out.join("index.html")).unwrap();
    for (title, url) in [
        ("Data to Insight standards", server_a.url("")),
        ("Regional standards", server_b.url("")),
    ] {
        assert!(index.contains(&format!("<h2 class=\"govuk-heading-l\">{title}</h2>")));
        assert!(
            index.contains(&format!("href=\"{url}index.html\"")),
            "{index}"
        );
        assert!(
            index.contains(&format!("href=\"{url}example/index.html\"")),
            "{index}"
        );
    }
    assert!(index.contains(">0.1.0<"), "{index}");
    assert!(!index.contains("consultation.html") && !index.contains("feed.xml"));
    // One search over both: the manifest sends each standard to its own site, and the global
    // index holds the elements of both.
    let manifest = read_json(&out.join("assets/search-index.json"));
    let hrefs: Vec<&str> = manifest["standards"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["href"].as_str().unwrap())
        .collect();
    assert_eq!(
        hrefs,
        [
            server_a.url("example/0.1.0/"),
            server_b.url("example/0.1.0/")
        ]
    );
    let entries = read_json(&out.join("search/entries/0.json"));
    let bodies: BTreeSet<&str> = entries
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e[6].as_str().unwrap())
        .collect();
    assert_eq!(
        bodies,
        BTreeSet::from([
            "data-to-insight-standards/example",
            "regional-standards/example"
        ])
    );
    for id in &bodies {
        assert!(out.join(id).join("0.1.0/search.json").is_file(), "{id}");
    }
    let terms = read_json(&out.join("search/terms/re.json"));
    let postings = terms["record"].as_array().unwrap();
    let found: BTreeSet<&str> = postings
        .chunks(2)
        .map(|p| {
            entries[p[0].as_u64().unwrap() as usize][6]
                .as_str()
                .unwrap()
        })
        .collect();
    assert_eq!(found, bodies, "`record` is found in both bodies");
}

#[test]
fn a_failing_source_is_named_and_leaves_the_previous_catalogue_untouched() {
    let (_a, site_a) = released_site("Data to Insight standards");
    let server_a = site::Server::start(&site_a, "/");
    let work = tempfile::tempdir().unwrap();
    let (code, stdout, stderr) = norm_catalogue(work.path(), &[&server_a.url(""), "--out", "cat"]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    let out = work.path().join("cat");
    let before = support::tree(&out);
    // A stopped server, a missing page and a file that is not a catalogue.
    let gone = {
        let server = site::Server::start(&site_a, "/");
        server.url("")
    };
    let not_a_catalogue = work.path().join("broken");
    std::fs::create_dir_all(&not_a_catalogue).unwrap();
    std::fs::write(
        not_a_catalogue.join("catalogue.json"),
        "{\n  \"format\": 1,\n  oops\n}",
    )
    .unwrap();
    let broken = not_a_catalogue.display().to_string();
    for (source, says) in [
        (
            gone.clone(),
            format!("{gone}: reading {gone}catalogue.json"),
        ),
        (server_a.url("nothing/"), "HTTP status 404".to_owned()),
        (
            broken.clone(),
            format!(
                "{broken}: {broken}/catalogue.json is not a norm catalogue.json: key must be a string at line 3 column 3"
            ),
        ),
    ] {
        let (code, stdout, stderr) = norm_catalogue(
            work.path(),
            &[&server_a.url(""), &source, "--out", "cat", "--timeout", "5"],
        );
        assert_eq!(code, 2, "{source}: {stdout}{stderr}");
        assert!(
            stderr.contains(&says),
            "{source}: expected `{says}` in:\n{stderr}"
        );
        assert!(stderr.contains(&source), "{stderr}");
        assert!(
            support::tree(&out) == before,
            "{source} changed the previous output"
        );
    }
    let leftovers: Vec<String> = std::fs::read_dir(work.path())
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.'))
        .collect();
    assert_eq!(
        leftovers,
        Vec::<String>::new(),
        "staging folders left behind"
    );
}
