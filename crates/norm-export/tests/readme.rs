//! The README gives the install commands that the exports' SKIPPED banners give.

#![allow(clippy::unwrap_used)]

mod support;

#[test]
fn the_skipped_banners_give_the_readmes_install_commands() {
    let text = std::fs::read_to_string(support::workspace_root().join("README.md")).unwrap();
    // Line breaks folded into spaces, so that a command wrapped over two lines reads as one.
    let readme = text.split_whitespace().collect::<Vec<_>>().join(" ");
    for hint in [support::APT_HINT, support::PIP_HINT, support::LINKML_HINT] {
        let command = hint.split('`').nth(1).unwrap();
        assert!(
            readme.contains(&format!("`{command}`")),
            "`{command}` is not in the README"
        );
    }
}
