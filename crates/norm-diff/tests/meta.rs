//! Checks the change rule catalogue: every rule file is registered under its stem, ids are
//! unique, and every rule documents what it detects and why it has its bump.

use std::collections::BTreeSet;
use std::path::Path;

use norm_diff::rules::{REGISTRY, all};

#[test]
fn every_rule_file_is_registered_under_its_stem() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/rules");
    let files: BTreeSet<String> = std::fs::read_dir(dir)
        .expect("src/rules is readable")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.file_stem().is_some_and(|s| s != "mod"))
        .map(|p| {
            p.file_stem()
                .expect("stem")
                .to_string_lossy()
                .replace('_', "-")
        })
        .collect();
    let registered: BTreeSet<String> = REGISTRY.iter().map(|r| r.meta().id.to_owned()).collect();
    assert_eq!(files, registered);
}

#[test]
fn ids_are_unique_and_docs_explain_the_bump() {
    let ids: Vec<&str> = all().map(|m| m.id).collect();
    assert_eq!(
        ids.len(),
        ids.iter().collect::<BTreeSet<_>>().len(),
        "duplicate ids"
    );
    for meta in REGISTRY.iter().map(|r| r.meta()) {
        assert!(meta.docs.contains("## What it does"), "{}", meta.id);
        assert!(meta.docs.contains("## Why this bump"), "{}", meta.id);
        assert!(
            meta.backward <= meta.full,
            "{}: `backward` protects less than `full`",
            meta.id
        );
    }
}
