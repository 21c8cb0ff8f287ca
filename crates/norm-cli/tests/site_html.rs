//! The site that `norm build` writes is valid: the Nu Html Checker (vnu.jar, from the npm package
//! `vnu-jar` under `.ci/browser`, run with the machine's Java) reports no error on any page of
//! our own site, of a new repository's site with unreleased changes, nor of the catalogue site
//! `norm catalogue` makes of the two, and the feed and sitemap are well-formed XML.
//!
//! Without Java or the jar, `cargo test` says so loudly and skips; in CI (`CI=true`) it fails.

#![allow(clippy::unwrap_used)]

#[path = "support/site.rs"]
mod site;
mod support;

use std::process::Command;
use std::time::Duration;

use serde_json::Value;

#[test]
fn vnu_finds_no_error_on_any_page() {
    let Some(java) = site::require("java", site::java()) else {
        return;
    };
    let Some(jar) = site::require("vnu.jar", site::vnu_jar()) else {
        return;
    };
    let mut dirs = vec![
        site::own_site("site_html").to_path_buf(),
        site::draft_site("site_html").to_path_buf(),
    ];
    dirs.dedup();
    // And the catalogue site `norm catalogue` makes of them.
    let work = tempfile::tempdir().unwrap();
    let mut args = vec!["catalogue".to_owned()];
    args.extend(dirs.iter().map(|d| d.display().to_string()));
    args.extend(["--out".to_owned(), "catalogue".to_owned()]);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let (code, stdout, stderr) = support::norm_in(work.path(), &args);
    assert_eq!(code, 0, "norm catalogue: {stdout}{stderr}");
    dirs.push(work.path().join("catalogue"));
    let pages: usize = dirs
        .iter()
        .map(|dir| site::files_ending(dir, ".html").len())
        .sum();
    assert!(pages > 0, "no page in {dirs:?}");
    let output = site::run_bounded(
        Command::new(java)
            .arg("-jar")
            .arg(&jar)
            .args(["--errors-only", "--format", "json", "--skip-non-html"])
            .args(&dirs),
        Duration::from_secs(300),
    );
    // vnu writes its report to stderr, and exits 1 when it found errors.
    let report = String::from_utf8_lossy(&output.stderr);
    let report: Value = serde_json::from_str(&report).unwrap_or_else(|e| {
        panic!(
            "vnu did not write a JSON report ({e}; {}):\n{report}\n{}",
            output.status,
            String::from_utf8_lossy(&output.stdout)
        )
    });
    let errors: Vec<String> = report["messages"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m["type"] != "info")
        .map(|m| {
            let url = m["url"].as_str().unwrap_or("?");
            let file = url.strip_prefix("file:").unwrap_or(url);
            let line = m["lastLine"].as_u64().unwrap_or(0);
            let message = m["message"].as_str().unwrap_or("?");
            let extract = m["extract"].as_str().unwrap_or("").replace('\n', " ");
            format!("{file}:{line}: {message}  [{}]", extract.trim())
        })
        .collect();
    assert!(
        errors.is_empty() && output.status.success(),
        "vnu found {} errors in the {pages} pages of {dirs:?} ({}):\n{}",
        errors.len(),
        output.status,
        errors.join("\n")
    );
}

#[test]
fn the_feed_and_the_sitemap_are_well_formed_xml() {
    let dir = site::own_site("site_html");
    for (file, roots) in [
        ("feed.xml", &["feed", "rss"][..]),
        ("sitemap.xml", &["urlset"]),
    ] {
        let path = dir.join(file);
        let text = std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
        let document = roxmltree::Document::parse(&text)
            .unwrap_or_else(|e| panic!("{file} is not well-formed XML: {e}"));
        let root = document.root_element().tag_name().name();
        assert!(
            roots.contains(&root),
            "the root element of {file} is <{root}>, not one of {roots:?}"
        );
    }
}
