//! The site rendered from in-memory revisions: links, determinism, safety, downloads. The
//! tests play the caller's part (comparing, writing) the simplest way; `norm build`'s own
//! loading, cache and atomic swap are tested in norm-cli's `tests/build.rs`.
#![allow(clippy::unwrap_used)]

use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use std::sync::Arc;

use norm_model::catalog::{Blob, Catalog};
use norm_site::{
    Comparison, ReleaseInput, Site, SiteError, SiteInput, SiteOptions, StandardInput, VersionData,
};

const CONFIG: &str = "\
site:
  title: Test standards
  base_url: https://example.org/std/
consumers:
  - id: census
    title: The census
    kind: statutory-return
";

fn standard(version: &str, description: &str) -> String {
    format!(
        "id: demo\ntitle: Demo standard\nversion: {version}\nstatus: active\nsummary: A demo.\n\
         description: |\n  {description}\nowner:\n  name: Demo owners\nlicence: OGL-UK-3.0\n"
    )
}

fn person(extra_field: bool, deprecate: bool) -> String {
    let mut s = String::from(
        "name: person\ntitle: Person\ndescription: One row per person.\nprimary_key: [person_id]\nfields:\n\
         \x20 - name: person_id\n    item: P001A\n    title: Person ID\n    description: The identifier.\n    type: string\n    required: true\n    constraints: { max_length: 10 }\n    examples: [\"P1\"]\n    used_by: [census]\n\
         \x20 - name: ethnicity\n    item: P002A\n    title: Ethnicity\n    description: The person's ethnic group.\n    type: code\n    codelist: ethnicity\n",
    );
    if deprecate {
        s.push_str("    status: deprecated\n    deprecation:\n      since: 1.1.0\n      reason: Replaced by `ethnic_group`.\n      replaced_by: person.ethnic_group\n");
    }
    if extra_field {
        s.push_str("  - name: ethnic_group\n    item: P003A\n    title: Ethnic group\n    description: The ethnic group, as the person describes it.\n    type: code\n    codelist: ethnicity\n");
    }
    s
}

const VISIT: &str = r#"name: visit
title: Visit
description: One row per visit.
primary_key: [visit_id]
data:
  names: [Visits, Home visits]
fields:
  - name: visit_id
    column: Visit Unique ID
    item: V001A
    title: Visit ID
    description: The visit.
    type: integer
    required: true
    constraints: { minimum: 1 }
  - name: person_id
    item: V002A
    title: Person
    description: Who was visited.
    type: string
    required: true
    references: person.person_id
"#;

const REFERRAL: &str = r#"name: referral
title: Referral
description: One row per referral, proposed for comment.
status: proposed
primary_key: [referral_id]
fields:
  - name: referral_id
    item: R001A
    title: Referral ID
    description: The referral.
    type: string
    required: true
"#;

const ETHNICITY: &str = r#"name: ethnicity
title: Ethnicity
description: Ethnic groups.
extensible: false
codes:
  - code: WBRI
    label: White British
  - code: "9 X"
    label: Odd code
"#;

fn catalog(files: &[(&str, String)]) -> Arc<Catalog> {
    let blobs: Vec<Blob> = files
        .iter()
        .map(|(p, t)| Blob {
            path: (*p).to_owned(),
            bytes: t.clone().into_bytes(),
        })
        .collect::<Vec<Blob>>();
    Arc::new(Catalog::load(blobs))
}

fn revision_files(
    version: &str,
    description: &str,
    extra: bool,
    deprecate: bool,
) -> Vec<(&'static str, String)> {
    vec![
        ("norm.yaml", CONFIG.to_owned()),
        (
            "standards/demo/standard.yaml",
            standard(version, description),
        ),
        (
            "standards/demo/entities/person.yaml",
            person(extra, deprecate),
        ),
        ("standards/demo/entities/visit.yaml", VISIT.to_owned()),
        (
            "standards/demo/codelists/ethnicity.yaml",
            ETHNICITY.to_owned(),
        ),
    ]
}

fn revision(version: &str, description: &str, extra: bool, deprecate: bool) -> Arc<Catalog> {
    catalog(&revision_files(version, description, extra, deprecate))
}

struct Revisions(HashMap<String, Arc<Catalog>>);

impl Revisions {
    fn catalog<'a>(&'a self, input: &'a SiteInput, commit: Option<&str>) -> &'a Catalog {
        commit.map_or(&input.worktree, |c| &self.0[c])
    }
}

/// What a render reports besides its files.
#[derive(Debug, Default)]
struct Report {
    warnings: Vec<String>,
    search_bytes: usize,
}

/// Renders every page and writes every file under `dir`, as a caller of norm-site does.
fn render(
    dir: &Path,
    input: &SiteInput,
    revisions: &Revisions,
    options: &SiteOptions,
) -> Result<Report, SiteError> {
    let site = Site::new(input, options)?;
    let mut report = Report::default();
    let mut summaries: BTreeMap<String, Vec<norm_site::Summary>> = BTreeMap::new();
    let mut paths = Vec::new();
    let write = |path: &str, bytes: &[u8]| {
        let target = dir.join(path);
        std::fs::create_dir_all(target.parent().unwrap()).unwrap();
        std::fs::write(target, bytes).unwrap();
    };
    for version in site.versions() {
        let catalog = revisions.catalog(input, version.commit.as_deref());
        let previous = version
            .previous
            .as_ref()
            .map(|p| revisions.catalog(input, Some(&p.commit)));
        let set = previous.map(|old| {
            let options = norm_diff::Options {
                config: catalog.config(),
                deprecated_earlier: Default::default(),
            };
            norm_diff::diff(old, catalog, &options)
        });
        let latest = site
            .latest_release(&version)
            .map(|r| revisions.catalog(input, Some(&r.commit)));
        let data = VersionData {
            catalog,
            previous,
            changes: set.as_ref().map(|set| Comparison { set, json: "{}\n" }),
            latest,
        };
        let out = site.version(&version, &data)?;
        for page in &out.pages {
            write(&page.path, &site.render(page)?);
            paths.push(page.path.clone());
        }
        for (path, bytes) in &out.files {
            write(path, bytes);
            paths.push(path.clone());
        }
        report.warnings.extend(out.warning);
        if !out.summary.folder.is_empty() {
            summaries
                .entry(version.standard.clone())
                .or_default()
                .push(out.summary);
        }
    }
    let global = site.global(
        &summaries,
        &paths,
        &|p| std::fs::read_to_string(dir.join(p)).ok(),
        &mut |(path, bytes)| {
            write(&path, &bytes);
            Ok::<_, SiteError>(())
        },
    )?;
    for page in &global.pages {
        write(&page.path, &site.render(page)?);
    }
    report.warnings.extend(global.warnings);
    report.search_bytes = global.search_bytes;
    Ok(report)
}

/// The context of one page, as `norm build --dump-context` finds it.
fn dump(
    input: &SiteInput,
    revisions: &Revisions,
    path: &str,
) -> Result<serde_json::Value, SiteError> {
    let site = Site::new(input, &SiteOptions::default())?;
    let global = site.global(&BTreeMap::new(), &[], &|_| None, &mut |_| Ok(()))?;
    let mut pages = global.pages;
    for version in site.versions() {
        let data = VersionData {
            catalog: revisions.catalog(input, version.commit.as_deref()),
            previous: None,
            changes: None,
            latest: None,
        };
        pages.extend(site.version(&version, &data)?.pages);
    }
    let page = pages
        .into_iter()
        .find(|p| p.path == path)
        .ok_or_else(|| SiteError::UnknownPage(path.to_owned()))?;
    Ok(serde_json::to_value(&page.context).unwrap())
}

/// Two releases (1.0.0, then 1.1.0 adding a field and deprecating one) and a working tree
/// with an edited description.
fn fixture(worktree_description: &str) -> (SiteInput, Revisions) {
    let revisions = Revisions(HashMap::from([
        (
            "c1".to_owned(),
            revision("1.0.0", "The demo.", false, false),
        ),
        ("c2".to_owned(), revision("1.1.0", "The demo.", true, true)),
    ]));
    // The working tree also proposes a new entity, in consultation.
    let mut files = revision_files("1.2.0", worktree_description, true, true);
    files.push(("standards/demo/entities/referral.yaml", REFERRAL.to_owned()));
    let input = SiteInput {
        worktree: catalog(&files),
        standards: vec![StandardInput {
            id: "demo".into(),
            releases: vec![
                ReleaseInput {
                    version: "1.0.0".into(),
                    commit: "c1".into(),
                    time: 1_700_000_000,
                },
                ReleaseInput {
                    version: "1.1.0".into(),
                    commit: "c2".into(),
                    time: 1_710_000_000,
                },
            ],
            unreleased: true,
        }],
        updated: 1_720_000_000,
    };
    (input, revisions)
}

fn build(dir: &Path, description: &str) -> Report {
    let (input, revisions) = fixture(description);
    render(dir, &input, &revisions, &SiteOptions::default()).unwrap()
}

fn read(dir: &Path, path: &str) -> String {
    std::fs::read_to_string(dir.join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn main_of(html: &str) -> &str {
    let start = html.find("<main").unwrap();
    let end = html.find("</main>").unwrap() + "</main>".len();
    &html[start..end]
}

#[test]
fn every_page_kind_is_written_and_every_link_resolves() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("site");
    let report = build(&out, "The demo, edited.");
    for page in [
        "index.html",
        "search.html",
        "404.html",
        "accessibility.html",
        "consultation.html",
        "feed.xml",
        "assets/norm.css",
        "assets/search.js",
        "assets/search-index.json",
        "demo/index.html",
        "demo/changelog.html",
        "demo/1.0.0/index.html",
        "demo/1.0.0/changes.html",
        "demo/1.1.0/entities/person.html",
        "demo/1.1.0/codelists/ethnicity.html",
        "demo/1.1.0/changes.html",
        "demo/1.1.0/downloads/demo-1.1.0.json",
        "demo/1.1.0/downloads/demo-1.1.0-data-dictionary.csv",
        "demo/1.1.0/downloads/schemas/person.schema.json",
        "demo/1.1.0/search.json",
        "demo/unreleased/index.html",
    ] {
        assert!(out.join(page).is_file(), "{page} missing");
    }
    // norm.yaml's base URL makes the sitemap's addresses absolute.
    let sitemap = read(&out, "sitemap.xml");
    assert!(sitemap.contains("<loc>https://example.org/std/demo/1.1.0/entities/person.html</loc>"));
    assert!(!sitemap.contains("404.html"));
    assert!(report.warnings.is_empty(), "{:?}", report.warnings);
    assert_eq!(
        norm_site::linkcheck::broken_links(&out),
        Vec::<String>::new()
    );
}

#[test]
fn the_link_checker_finds_a_broken_link() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("site");
    build(&out, "x");
    std::fs::write(
        out.join("demo/1.1.0/index.html"),
        "<a href=\"entities/nobody.html\">x</a><a href=\"entities/person.html#nope\">y</a>",
    )
    .unwrap();
    // One folder too high: `demo/index.html` lands on the existing `demo/index.html` only
    // because a naive resolver stops at the root; a browser leaves the site.
    std::fs::write(
        out.join("demo/changelog.html"),
        "<a href=\"../../demo/index.html\">z</a>",
    )
    .unwrap();
    // The 404 page is checked too, its root-relative links from the site's path (`/std/`).
    std::fs::write(
        out.join("404.html"),
        "<a href=\"/std/index.html\">ok</a><a href=\"/std/nowhere.html\">a</a><a href=\"/elsewhere/index.html\">b</a>",
    )
    .unwrap();
    let broken = norm_site::linkcheck::broken_links(&out);
    assert_eq!(broken.len(), 5, "{broken:#?}");
    assert!(
        broken
            .iter()
            .any(|b| b.starts_with("demo/changelog.html: ../../demo/index.html (above"))
    );
    assert!(
        broken
            .iter()
            .any(|b| b.starts_with("404.html: /std/nowhere.html (no file"))
    );
    assert!(
        broken
            .iter()
            .any(|b| b.starts_with("404.html: /elsewhere/index.html (outside"))
    );
}

/// Issue J 21: changes pages read as prose for people. Markdown is rendered before the words
/// are compared, insertions and deletions are announced to screen readers, no developer's
/// "Rule:" line is left, standards are named by title, and the codes of one list share one
/// "who is affected" block.
#[test]
fn changes_pages_are_written_for_people() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("site");
    let (input, mut revisions) = fixture("x");
    let mut files = revision_files(
        "1.1.0",
        "Use `person_id`.\n\n  Second paragraph.",
        true,
        true,
    );
    files[4].1 = ETHNICITY.replace(
        "  - code: \"9 X\"\n",
        "  - code: MIXD\n    label: Mixed\n  - code: OTHR\n    label: Other\n  - code: \"9 X\"\n",
    );
    revisions.0.insert("c2".to_owned(), catalog(&files));
    let mut old = revision_files(
        "1.0.0",
        "Use `pers_id`.\n\n  Second paragraph.",
        false,
        false,
    );
    old.truncate(5);
    revisions.0.insert("c1".to_owned(), catalog(&old));
    render(&out, &input, &revisions, &SiteOptions::default()).unwrap();
    let page = read(&out, "demo/1.1.0/changes.html");
    let main = main_of(&page);
    assert!(!main.contains('`'), "{main}");
    assert!(!main.contains("Rule:"), "{main}");
    assert!(
        main.contains("<p>Use <del><span class=\"govuk-visually-hidden\">removed: </span><code>pers_id</code></del><ins><span class=\"govuk-visually-hidden\">added: </span><code>person_id</code></ins>.</p><p>Second paragraph.</p>"),
        "{main}"
    );
    assert!(main.contains("2 changes to codes of the"), "{main}");
    assert_eq!(
        main.matches("Who is affected by these 2 changes").count(),
        1,
        "{main}"
    );
    assert!(!main.contains("Who is affected:"), "{main}");
    // Changes are listed under what they are about, and a section whose changes all mean the
    // same says so once.
    let owners: Vec<&str> = main
        .split("<h3 class=\"govuk-heading-m\">")
        .skip(1)
        .map(|h| &h[..h.find("</h3>").unwrap()])
        .collect();
    assert!(
        owners
            .iter()
            .any(|h| h.contains(">Person</a> <code>person</code>")),
        "{owners:?}"
    );
    assert!(
        owners
            .iter()
            .any(|h| h.contains("codelists/ethnicity.html")),
        "{owners:?}"
    );
    assert_eq!(
        main.matches("Wording or documentation only").count(),
        1,
        "{main}"
    );
    assert!(
        main.contains("<a href=\"#editorial\">Editorial (1)</a>"),
        "{main}"
    );
    let changelog = read(&out, "demo/changelog.html");
    assert!(changelog.contains("<code>MIXD</code>"), "{changelog}");
}

/// Issue J 18: a standard's landing page is one folder above its version pages, so its
/// "Requires" links must climb one folder less.
#[test]
fn requires_links_resolve_on_the_landing_page_too() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("site");
    let (mut input, mut revisions) = fixture("x");
    let base = vec![(
        "standards/base/standard.yaml",
        "id: base\ntitle: Base\nversion: 1.0.0\nstatus: active\nsummary: Base.\n".to_owned(),
    )];
    let requires = |files: &mut Vec<(&'static str, String)>| {
        files[1].1.push_str("requires:\n  base: ^1.0.0\n");
        files.extend(base.clone());
    };
    for (commit, version, extra) in [("c1", "1.0.0", false), ("c2", "1.1.0", true)] {
        let mut files = revision_files(version, "The demo.", extra, extra);
        requires(&mut files);
        revisions.0.insert(commit.to_owned(), catalog(&files));
    }
    let mut files = revision_files("1.2.0", "x", true, true);
    requires(&mut files);
    input.worktree = catalog(&files);
    input.standards.push(StandardInput {
        id: "base".into(),
        releases: vec![ReleaseInput {
            version: "1.0.0".into(),
            commit: "c1".into(),
            time: 1_700_000_000,
        }],
        unreleased: false,
    });
    render(&out, &input, &revisions, &SiteOptions::default()).unwrap();
    let landing = read(&out, "demo/index.html");
    assert!(landing.contains("href=\"../base/index.html\""), "{landing}");
    assert!(read(&out, "demo/1.1.0/index.html").contains("href=\"../../base/index.html\""));
    assert_eq!(
        norm_site::linkcheck::broken_links(&out),
        Vec::<String>::new()
    );
}

/// A release may hold a defect that lint reports today, such as a reference to a field its
/// entity lacks (the SSD data model's own releases have one): its pages still have no broken
/// link, and the referencing field says where it points, unlinked.
#[test]
fn a_reference_to_a_missing_field_breaks_no_link() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("site");
    let (mut input, revisions) = fixture("x");
    let mut files = revision_files("1.2.0", "x", true, true);
    files[3].1 = VISIT.replace(
        "    type: string\n    required: true",
        "    type: string\n    required: true\n    references: person.person_ident",
    );
    assert!(files[3].1.contains("person.person_ident"));
    input.worktree = catalog(&files);
    render(&out, &input, &revisions, &SiteOptions::default()).unwrap();
    assert_eq!(
        norm_site::linkcheck::broken_links(&out),
        Vec::<String>::new()
    );
    let visit = read(&out, "demo/unreleased/entities/visit.html");
    assert!(visit.contains("person.person_ident"), "{visit}");
}

#[test]
fn output_is_byte_identical_across_builds() {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("a");
    let b = dir.path().join("b");
    build(&a, "x");
    build(&b, "x");
    let files = norm_site::walk(&a);
    assert_eq!(files, norm_site::walk(&b));
    for f in &files {
        let bytes = std::fs::read(a.join(f)).unwrap();
        assert_eq!(bytes, std::fs::read(b.join(f)).unwrap(), "{f} differs");
    }
}

#[test]
fn a_template_error_names_the_template() {
    let dir = tempfile::tempdir().unwrap();
    let templates = dir.path().join("templates");
    std::fs::create_dir(&templates).unwrap();
    // Strict undefined: a misspelt variable is an error, not an empty string.
    std::fs::write(
        templates.join("entity.html"),
        "{% extends \"base.html\" %}{% block content %}{{ entity.titel }}{% endblock %}",
    )
    .unwrap();
    let out = dir.path().join("site");
    let (input, revisions) = fixture("x");
    let options = SiteOptions {
        templates: Some(templates.clone()),
        ..SiteOptions::default()
    };
    let err = render(&out, &input, &revisions, &options).unwrap_err();
    let text = err.to_string();
    assert!(text.contains("entity.html"), "{text}");

    // A valid override replaces the default for that file only.
    std::fs::write(
        templates.join("entity.html"),
        "{% extends \"base.html\" %}{% block content %}<p>custom {{ entity.title }}</p>{% endblock %}",
    )
    .unwrap();
    assert_eq!(
        Site::new(&input, &options).unwrap().overridden(),
        ["entity.html"]
    );
    render(&out, &input, &revisions, &options).unwrap();
    assert!(read(&out, "demo/1.1.0/entities/person.html").contains("<p>custom Person</p>"));
    assert!(read(&out, "demo/1.1.0/index.html").contains("govuk-summary-list"));
}

#[test]
fn descriptions_cannot_inject_script() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("site");
    build(
        &out,
        "Hi <script>alert(1)</script> <img src=x onerror=\"alert(2)\"> [x](javascript:alert(3))",
    );
    let html = read(&out, "demo/unreleased/index.html");
    let main = main_of(&html);
    assert!(!main.contains("<script"), "{main}");
    assert!(!main.contains("onerror"), "{main}");
    assert!(!main.contains("javascript:"), "{main}");
    assert!(main.contains("Hi"));
}

#[test]
fn old_versions_point_to_the_same_page_in_the_latest_and_drafts_say_so() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("site");
    build(&out, "x");
    let old = read(&out, "demo/1.0.0/entities/person.html");
    assert!(old.contains("which is not the latest"), "{old}");
    assert!(old.contains("href=\"../../../demo/1.1.0/entities/person.html\""));
    let latest = read(&out, "demo/1.1.0/entities/person.html");
    assert!(!latest.contains("which is not the latest"));
    let draft = read(&out, "demo/unreleased/entities/person.html");
    assert!(draft.contains("unreleased working copy"), "{draft}");
    // The landing page is the latest release, with links rooted one level up.
    let landing = read(&out, "demo/index.html");
    assert!(landing.contains("href=\"../demo/1.1.0/entities/person.html\""));
    assert!(landing.contains("<link rel=\"canonical\"") || !landing.contains("canonical"));
}

#[test]
fn pages_show_deprecations_relationships_and_changes() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("site");
    build(&out, "x");
    let person = read(&out, "demo/1.1.0/entities/person.html");
    insta::assert_snapshot!("entity_main", main_of(&person));
    let list = read(&out, "demo/1.1.0/codelists/ethnicity.html");
    insta::assert_snapshot!("codelist_main", main_of(&list));
    let changes = read(&out, "demo/1.1.0/changes.html");
    insta::assert_snapshot!("changes_main", main_of(&changes));
    let changelog = read(&out, "demo/changelog.html");
    let unreleased = changelog.find("Unreleased").unwrap();
    let newest = changelog.find("id=\"release-1.1.0\"").unwrap();
    let oldest = changelog.find("id=\"release-1.0.0\"").unwrap();
    assert!(unreleased < newest && newest < oldest, "newest first");
}

/// A reader preparing a data file needs its real headers and sheet names, not only the
/// field names: the entity page gives both, and says nothing where they are the defaults.
#[test]
fn entity_pages_give_the_headers_and_sheet_names_of_data_files() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("site");
    build(&out, "x");
    let visit = read(&out, "demo/1.1.0/entities/visit.html");
    let visit = main_of(&visit);
    assert!(
        visit.contains("In data files</dt><dd class=\"govuk-summary-list__value\"><code>Visits</code>, <code>Home visits</code>"),
        "{visit}"
    );
    let row =
        &visit[visit.find("id=\"visit_id\"").unwrap()..visit.find("id=\"person_id\"").unwrap()];
    assert!(row.contains("Column <code>Visit Unique ID</code>"), "{row}");
    let row = &visit[visit.find("id=\"person_id\"").unwrap()..];
    assert!(!row.contains("Column <code>"), "{row}");
    let person = read(&out, "demo/1.1.0/entities/person.html");
    assert!(!person.contains("In data files"));
}

#[test]
fn downloads_validate_records_and_leave_nothing_out() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("site");
    build(&out, "x");
    let schema: serde_json::Value = serde_json::from_str(&read(
        &out,
        "demo/1.1.0/downloads/schemas/person.schema.json",
    ))
    .unwrap();
    assert_eq!(
        schema["$schema"],
        "https://json-schema.org/draft/2020-12/schema"
    );
    let validator = jsonschema::draft202012::new(&schema).unwrap();
    let good = serde_json::json!({"person_id": "P1", "ethnicity": "WBRI", "ethnic_group": null});
    assert!(validator.is_valid(&good));
    for bad in [
        serde_json::json!({"ethnicity": "WBRI"}),
        serde_json::json!({"person_id": "P1", "ethnicity": "NOPE"}),
        serde_json::json!({"person_id": "P12345678901"}),
        serde_json::json!({"person_id": "P1", "surname": "x"}),
    ] {
        assert!(!validator.is_valid(&bad), "{bad} should fail");
    }
    assert_eq!(schema["properties"]["ethnicity"]["deprecated"], true);

    let csv = read(&out, "demo/1.1.0/downloads/demo-1.1.0-data-dictionary.csv");
    let mut lines = csv.split("\r\n");
    assert!(
        lines
            .next()
            .unwrap()
            .starts_with("entity,field,item,title,type,required")
    );
    assert_eq!(csv.matches("\r\n").count(), 1 + 5, "{csv}");

    // Each code list has its own CSV, linked from the overview and from the list's page.
    let codes = read(&out, "demo/1.1.0/downloads/codelists/ethnicity.csv");
    assert_eq!(
        codes,
        "code,label,status,description\r\nWBRI,White British,active,\r\n9 X,Odd code,active,\r\n"
    );
    let href = "demo/1.1.0/downloads/codelists/ethnicity.csv";
    assert!(read(&out, "demo/1.1.0/index.html").contains(&format!("href=\"../../{href}\"")));
    assert!(
        read(&out, "demo/1.1.0/codelists/ethnicity.html")
            .contains(&format!("href=\"../../../{href}\""))
    );

    let bundle: serde_json::Value =
        serde_json::from_str(&read(&out, "demo/1.1.0/downloads/demo-1.1.0.json")).unwrap();
    assert_eq!(bundle["standard"]["version"], "1.1.0");
    assert_eq!(bundle["entities"].as_array().unwrap().len(), 2);
    assert_eq!(bundle["codelists"][0]["codes"].as_array().unwrap().len(), 2);
}

#[test]
fn downloads_list_every_export_format_with_its_media_type() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("site");
    build(&out, "x");
    let page = read(&out, "demo/1.1.0/index.html");
    let listed = [
        (
            "Frictionless Data Package",
            "application/json",
            "datapackage/datapackage.json",
        ),
        (
            "CSV on the Web (CSVW) metadata",
            "application/csvm+json",
            "csvw/demo.csv-metadata.json",
        ),
        ("XML Schema", "application/xml", "xsd/demo.xsd"),
        (
            "SQL tables (PostgreSQL)",
            "application/sql",
            "sql/demo.postgres.sql",
        ),
        (
            "SQL tables (SQL Server)",
            "application/sql",
            "sql/demo.mssql.sql",
        ),
        (
            "Excel workbook",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "xlsx/demo-dictionary.xlsx",
        ),
        (
            "OpenDocument spreadsheet",
            "application/vnd.oasis.opendocument.spreadsheet",
            "ods/demo-dictionary.ods",
        ),
        (
            "OpenAPI 3.1 schemas",
            "application/vnd.oai.openapi+json",
            "openapi/demo.openapi.json",
        ),
        (
            "JSON Schema bundle",
            "application/schema+json",
            "json-schema/demo.schema.json",
        ),
        (
            "LinkML schema",
            "application/yaml",
            "linkml/demo.linkml.yaml",
        ),
        (
            "Catalogue record (DCAT), JSON-LD",
            "JSON-LD",
            "demo-1.1.0.dcat.jsonld",
        ),
        (
            "Catalogue record (DCAT), Turtle",
            "Turtle",
            "demo-1.1.0.dcat.ttl",
        ),
    ];
    for (title, media_type, file) in listed {
        let href = format!("href=\"../../demo/1.1.0/downloads/{file}\"");
        let link = page
            .find(&href)
            .unwrap_or_else(|| panic!("no link to {file} on the version page"));
        let item = &page[link..link + page[link..].find("</li>").unwrap()];
        assert!(item.contains(title) && item.contains(media_type), "{item}");
        assert!(
            out.join("demo/1.1.0/downloads").join(file).is_file(),
            "{file} missing"
        );
    }
    // Every format has its folder (the record's aside) with the notes of what it leaves out.
    for format in norm_export::Format::ALL {
        let folder = format!("{format}/");
        let dcat = format == norm_export::Format::Dcat;
        assert!(
            dcat || listed.iter().any(|(_, _, file)| file.starts_with(&folder)),
            "{format} is not listed"
        );
        let notes = out
            .join("demo/1.1.0/downloads")
            .join(&folder)
            .join("notes.json");
        assert_eq!(notes.is_file(), !dcat, "{}", notes.display());
    }
    // The catalogue entry and the DCAT record list the same files, each with its media type.
    let catalogue: serde_json::Value = serde_json::from_str(&read(&out, "catalogue.json")).unwrap();
    let release = &catalogue["standards"][0]["releases"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["version"] == "1.1.0")
        .unwrap();
    let record = release["dcat"].to_string();
    for (_, _, file) in listed {
        let href = format!("demo/1.1.0/downloads/{file}");
        let entry = release["downloads"]
            .as_array()
            .unwrap()
            .iter()
            .find(|d| d["href"] == href.as_str())
            .unwrap_or_else(|| panic!("{href} not in catalogue.json"));
        assert_eq!(entry["media_type"], norm_export::media_type(file), "{href}");
        let dcat = file.contains(".dcat.");
        assert_eq!(record.contains(&href), !dcat, "{href} in the DCAT record");
    }
    // The SQL folder's notes hold SQL Server's losses too, not only PostgreSQL's.
    let notes = read(&out, "demo/1.1.0/downloads/sql/notes.json");
    assert!(notes.contains("nvarchar(450) in SQL Server"), "{notes}");
    // The package's data files are beside its descriptor.
    let package: serde_json::Value = serde_json::from_str(&read(
        &out,
        "demo/1.1.0/downloads/datapackage/datapackage.json",
    ))
    .unwrap();
    for resource in package["resources"].as_array().unwrap() {
        let path = resource["path"].as_str().unwrap();
        assert!(
            out.join("demo/1.1.0/downloads/datapackage")
                .join(path)
                .is_file(),
            "{path}"
        );
    }
}

#[test]
fn search_shards_cover_every_element_and_mark_deprecations() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("site");
    let report = build(&out, "x");
    let shard: serde_json::Value =
        serde_json::from_str(&read(&out, "demo/1.1.0/search.json")).unwrap();
    let entries = shard["e"].as_array().unwrap();
    let names: Vec<&str> = entries.iter().map(|e| e[1].as_str().unwrap()).collect();
    for name in [
        "person",
        "person.ethnicity",
        "visit.person_id",
        "ethnicity",
        "ethnicity:WBRI",
    ] {
        assert!(names.contains(&name), "{name} not in {names:?}");
    }
    let deprecated: Vec<&str> = entries
        .iter()
        .filter(|e| e[4] == 1)
        .map(|e| e[1].as_str().unwrap())
        .collect();
    assert_eq!(deprecated, ["person.ethnicity"]);
    let manifest: serde_json::Value =
        serde_json::from_str(&read(&out, "assets/search-index.json")).unwrap();
    assert_eq!(manifest["chunk"], norm_site::search::CHUNK);
    assert_eq!(manifest["standards"][0]["latest"], "1.1.0");
    assert_eq!(
        manifest["standards"][0]["versions"],
        serde_json::json!(["unreleased", "1.1.0", "1.0.0"])
    );
    assert!(report.search_bytes > 0 && report.search_bytes < 10_000);
    // The global index over the latest versions: the word's term file and the entry chunk.
    let terms: serde_json::Value =
        serde_json::from_str(&read(&out, "search/terms/et.json")).unwrap();
    let postings = terms["ethnicity"].as_array().unwrap();
    assert!(!postings.is_empty());
    let chunk: serde_json::Value =
        serde_json::from_str(&read(&out, "search/entries/0.json")).unwrap();
    let first = postings[0].as_u64().unwrap() as usize;
    assert_eq!(
        chunk[first][7], "1.1.0",
        "the default scope is the latest release"
    );
}

#[test]
fn dump_context_shows_what_a_template_gets() {
    let (input, revisions) = fixture("x");
    let value = dump(&input, &revisions, "demo/1.1.0/entities/person.html").unwrap();
    assert_eq!(value["entity"]["name"], "person");
    assert_eq!(value["page"]["root"], "../../../");
    assert_eq!(value["version"]["folder"], "1.1.0");
    let home = dump(&input, &revisions, "index.html").unwrap();
    assert_eq!(home["standards"][0]["id"], "demo");
    let err = dump(&input, &revisions, "demo/9.9.9/index.html").unwrap_err();
    assert!(matches!(err, SiteError::UnknownPage(_)), "{err}");
}

#[test]
fn the_fixture_loads_cleanly() {
    for c in [
        revision("1.0.0", "x", false, false),
        revision("1.1.0", "x", true, true),
    ] {
        let errors: Vec<String> = c
            .diagnostics
            .iter()
            .map(|d| format!("{}: {} {:?}", d.file, d.message, d.span))
            .collect();
        assert_eq!(errors, Vec::<String>::new());
        assert_eq!(c.standards["demo"].codelists.len(), 1);
    }
}

#[test]
fn proposed_elements_are_in_consultation_and_out_of_the_downloads() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("site");
    build(&out, "x");
    let consultation = read(&out, "consultation.html");
    assert!(
        consultation.contains("href=\"demo/unreleased/entities/referral.html\""),
        "{consultation}"
    );
    let page = read(&out, "demo/unreleased/entities/referral.html");
    assert!(page.contains("govuk-tag--yellow\">proposed"), "{page}");
    let bundle = read(&out, "demo/unreleased/downloads/demo-unreleased.json");
    assert!(!bundle.contains("referral"));
    assert!(
        !out.join("demo/unreleased/downloads/schemas/referral.schema.json")
            .exists()
    );
    let feed = read(&out, "feed.xml");
    assert!(
        feed.contains("<title>In consultation: demo 1.2.0</title>"),
        "{feed}"
    );
    assert!(feed.contains("<id>https://example.org/std/consultation/demo/1.2.0</id>"));
    assert!(feed.contains("<title>Demo standard 1.1.0 released</title>"));
}

/// The `<title>` of a built page.
fn title_of(html: &str) -> &str {
    let start = html.find("<title>").unwrap() + "<title>".len();
    &html[start..start + html[start..].find("</title>").unwrap()]
}

#[test]
fn page_titles_name_the_page_and_the_site_once_each() {
    let dir = tempfile::tempdir().unwrap();
    build(dir.path(), "x");
    let home = read(dir.path(), "index.html");
    let search = read(dir.path(), "search.html");
    let site = title_of(&home);
    assert!(!site.is_empty());
    assert!(
        !site.contains(" – "),
        "the home page repeats the site's title: {site}"
    );
    assert_eq!(title_of(&search), format!("Search – {site}"));
}

fn rule(code: &str, severity: &str, sql: &str) -> String {
    format!(
        "code: \"{code}\"\ntitle: Rule {code} fails.\ndescription: Why rule *{code}* exists.\n\
         severity: {severity}\nentity: person\nfields: [person_id]\n{sql}\n"
    )
}

#[test]
fn rules_pages_group_rules_link_fields_and_changes_list_them() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("site");
    let (input, mut revisions) = fixture("x");
    let mut old = revision_files("1.0.0", "The demo.", false, false);
    old.push((
        "standards/demo/rules/101.yaml",
        rule("101", "error", "check: person_id IS NOT NULL"),
    ));
    old.push((
        "standards/demo/rules/102.yaml",
        rule("102", "error", "check: ethnicity IS NOT NULL"),
    ));
    revisions.0.insert("c1".to_owned(), catalog(&old));
    let mut new = revision_files("1.1.0", "The demo.", true, true);
    new.push((
        "standards/demo/rules/101.yaml",
        rule(
            "101",
            "error",
            "check: person_id <> 'X' AND person_id < 'Z'",
        ),
    ));
    new.push((
        "standards/demo/rules/103.yaml",
        rule(
            "103",
            "query",
            "select: SELECT _row FROM person WHERE person_id = ''",
        ),
    ));
    revisions.0.insert("c2".to_owned(), catalog(&new));
    render(&out, &input, &revisions, &SiteOptions::default()).unwrap();

    let rules = read(&out, "demo/1.1.0/rules.html");
    let main = main_of(&rules);
    assert!(
        main.contains("<h2 class=\"govuk-heading-l\" id=\"entity-person\">Person</h2>"),
        "{main}"
    );
    assert!(main.contains("id=\"rule-101\""), "{main}");
    assert!(
        main.contains("govuk-tag--yellow\">query</strong>"),
        "{main}"
    );
    assert!(
        main.contains("<p>Why rule <em>103</em> exists.</p>"),
        "{main}"
    );
    assert!(
        main.contains(
            "<code>person_id &lt;&gt; &#39;X&#39; AND person_id &lt; &#39;Z&#39;</code></pre></div>"
        ) || main.contains(
            "<code>person_id &lt;&gt; &#x27;X&#x27; AND person_id &lt; &#x27;Z&#x27;</code></pre></div>"
        ),
        "the SQL is shown escaped: {main}"
    );
    assert!(
        main.contains("href=\"../../demo/1.1.0/entities/person.html#person_id\""),
        "{main}"
    );
    assert!(
        main.find("rule-101") < main.find("rule-103"),
        "rules in code order"
    );

    let entity = read(&out, "demo/1.1.0/entities/person.html");
    assert!(
        entity.contains("rules.html#rule-101\">101: Rule 101 fails.</a>"),
        "{entity}"
    );
    assert!(read(&out, "demo/1.1.0/index.html").contains("rules.html\">The 2 validation rules"));
    // A version without rules has no rules page and no link to one.
    assert!(!out.join("demo/unreleased/rules.html").exists());
    assert!(!read(&out, "demo/unreleased/index.html").contains("rules.html"));

    let changes = main_of(&read(&out, "demo/1.1.0/changes.html")).to_owned();
    for (heading, code) in [
        ("New rules", "103"),
        ("Amended rules", "101"),
        ("Deleted rules", "102"),
    ] {
        let at = changes
            .find(heading)
            .unwrap_or_else(|| panic!("{heading}: {changes}"));
        let list = &changes[at..at + changes[at..].find("</ul>").unwrap()];
        assert_eq!(list.matches("<li>").count(), 1, "{list}");
        assert!(
            list.contains(&format!("{code}: Rule {code} fails.")),
            "{list}"
        );
    }
    assert!(
        changes.contains("<li><a href=\"#rules\">Validation rules</a></li>"),
        "{changes}"
    );
    // Below, the rules' changes are listed under the entity each rule reports on.
    assert!(
        changes.contains(
            "<a href=\"../../demo/1.1.0/rules.html#entity-person\">Validation rules on Person</a>"
        ),
        "{changes}"
    );
    assert_eq!(
        norm_site::linkcheck::broken_links(&out),
        Vec::<String>::new()
    );

    // Search finds rules too (the script turns kind `r` and the code into the rule's anchor).
    let shard: serde_json::Value =
        serde_json::from_str(&read(&out, "demo/1.1.0/search.json")).unwrap();
    let rules: Vec<&str> = shard["e"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e[0] == "r")
        .map(|e| e[1].as_str().unwrap())
        .collect();
    assert_eq!(rules, ["101", "103"]);
    let bundle: serde_json::Value =
        serde_json::from_str(&read(&out, "demo/1.1.0/downloads/demo-1.1.0.json")).unwrap();
    assert_eq!(
        bundle["rules"][1]["select"],
        "SELECT _row FROM person WHERE person_id = ''"
    );

    let value = dump(&input, &revisions, "demo/1.1.0/rules.html").unwrap();
    assert_eq!(value["groups"][0]["rules"][1]["code"], "103");
    assert_eq!(value["groups"][0]["rules"][1]["sql_kind"], "select");
}

#[test]
fn a_rule_without_sql_says_why_and_shows_no_empty_sql_block() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("site");
    let (mut input, revisions) = fixture("x");
    let mut files = revision_files("1.2.0", "x", true, true);
    files.push((
        "standards/demo/rules/130.yaml",
        rule(
            "130",
            "error",
            "unexpressed: Needs the placements that other authorities hold.",
        ),
    ));
    input.worktree = catalog(&files);
    render(&out, &input, &revisions, &SiteOptions::default()).unwrap();
    let rules = read(&out, "demo/unreleased/rules.html");
    let main = main_of(&rules);
    assert!(
        main.contains(
            "Not run by <code>norm validate</code>: this rule has no SQL, because: Needs the \
             placements that other authorities hold.</p>"
        ),
        "{main}"
    );
    assert!(!main.contains("app-sql"), "{main}");
}

#[test]
fn a_proposed_rule_is_in_consultation_linked_to_its_entry() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("site");
    let (mut input, revisions) = fixture("x");
    let mut files = revision_files("1.2.0", "x", true, true);
    files.push((
        "standards/demo/rules/120.yaml",
        rule("120", "error", "check: person_id IS NOT NULL")
            .replace("severity: error", "severity: error\nstatus: proposed"),
    ));
    input.worktree = catalog(&files);
    render(&out, &input, &revisions, &SiteOptions::default()).unwrap();
    let consultation = read(&out, "consultation.html");
    assert!(
        consultation.contains("href=\"demo/unreleased/rules.html#rule-120\""),
        "{consultation}"
    );
    let rules = read(&out, "demo/unreleased/rules.html");
    assert!(rules.contains("govuk-tag--yellow\">proposed"), "{rules}");
    // Proposed elements carry no promise: the downloads leave them out.
    let bundle = read(&out, "demo/unreleased/downloads/demo-unreleased.json");
    assert!(!bundle.contains("\"120\""), "{bundle}");
    assert_eq!(
        norm_site::linkcheck::broken_links(&out),
        Vec::<String>::new()
    );
}
