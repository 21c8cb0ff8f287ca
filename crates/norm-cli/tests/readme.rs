//! The README's commands work when copied: installs are reproducible, and the test tools are
//! installed the way the SKIPPED banners of the site tests say.

#![allow(clippy::unwrap_used)]

#[path = "support/site.rs"]
mod site;
mod support;

/// The README with its line breaks folded into spaces, so that a command wrapped over two lines
/// reads as one.
fn readme() -> String {
    let text = std::fs::read_to_string(site::workspace_root().join("README.md")).unwrap();
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn every_cargo_install_in_the_readme_is_locked() {
    let readme = readme();
    let installs: Vec<&str> = readme
        .match_indices("cargo install")
        .map(|(at, _)| &readme[at..])
        .collect();
    assert!(!installs.is_empty());
    for install in installs {
        assert!(
            install.starts_with("cargo install --locked "),
            "{}",
            &install[..install.len().min(80)]
        );
    }
}

#[test]
fn the_skipped_banners_give_the_readmes_install_commands() {
    let readme = readme();
    for tool in ["chromium", "java", "npm packages", "frictionless", "rdflib"] {
        let hint = site::install_hint(tool);
        let command = hint.split('`').nth(1).unwrap();
        assert!(
            readme.contains(&format!("`{command}`")),
            "{tool}: `{command}` is not in the README"
        );
    }
}
