//! The `invalid-version` rule.
use norm_model::{ElementPath, Location};

use crate::{Context, Finding, Rule};

crate::declare_rule! {
    /// ## What it does
    /// Reports a standard `version` that is not a semantic version (`MAJOR.MINOR.PATCH`), and a
    /// `requires` range that is not a semver range.
    ///
    /// ## Why is this bad?
    /// norm compares versions to decide whether a change was bumped enough and whether a
    /// dependent standard still accepts a new release; `1.0` or `2024-25` cannot be compared.
    ///
    /// ## Example
    /// ```yaml
    /// version: "1.2"
    /// requires: { csc-codes: "version one" }
    /// ```
    /// Use instead:
    /// ```yaml
    /// version: 1.2.0
    /// requires: { csc-codes: "^1.0" }
    /// ```
    pub struct InvalidVersion { id: "invalid-version", severity: Error, recommended: true, since: "0.1.0" }
}

impl Rule for InvalidVersion {
    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        let catalog = cx.catalog;
        for standard in catalog.standards.values() {
            let Some(meta) = &standard.meta else { continue };
            let path = ElementPath::standard(standard.id());
            let at = Location::file(meta.file);
            match meta.value.version.as_deref() {
                Some(v) => {
                    if let Err(e) = semver::Version::parse(v) {
                        out.push(
                            Finding::new(
                                at.clone().key("version"),
                                path.clone(),
                                format!("version `{v}` is not semver: {e}"),
                            )
                            .help(format!("write three numbers, such as `{}`", suggest(v))),
                        );
                    }
                }
                None => out.push(
                    Finding::new(
                        at.clone().key("id"),
                        path.clone(),
                        "standard has no `version`",
                    )
                    .help("add `version: 0.1.0` (or the current release)"),
                ),
            }
            for (target, range) in &meta.value.requires {
                if let Err(e) = semver::VersionReq::parse(range) {
                    out.push(Finding::new(
                        at.clone().key("requires").key(target.clone()),
                        path.clone(),
                        format!(
                            "`requires` range `{range}` for `{target}` is not a semver range: {e}"
                        ),
                    ));
                }
            }
        }
    }
}

/// A semver spelling of a near-miss such as `1.2` or `v1.2.0`.
fn suggest(v: &str) -> String {
    let numbers: Vec<&str> = v
        .trim_start_matches(['v', 'V'])
        .split('.')
        .filter(|p| p.parse::<u64>().is_ok())
        .collect();
    match numbers.as_slice() {
        [a] => format!("{a}.0.0"),
        [a, b] => format!("{a}.{b}.0"),
        [a, b, c, ..] => format!("{a}.{b}.{c}"),
        [] => "1.0.0".into(),
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::run;

    #[test]
    fn fires_on_non_semver_versions_and_ranges() {
        let found = run(
            "invalid-version",
            &[
                (
                    "standards/demo/standard.yaml",
                    "id: demo\ntitle: D\nversion: 1.2\nrequires:\n  codes: \"version one\"\n",
                ),
                (
                    "standards/codes/standard.yaml",
                    "id: codes\ntitle: C\nversion: 2024-25\n",
                ),
            ],
        );
        assert_eq!(
            found,
            vec![
                "standards/codes/standard.yaml:3:10 version `2024-25` is not semver: unexpected character '-' after major version number",
                "standards/demo/standard.yaml:3:10 version `1.2` is not semver: unexpected end of input while parsing minor version number",
                "standards/demo/standard.yaml:5:10 `requires` range `version one` for `codes` is not a semver range: unexpected character 'v' while parsing major version number",
            ]
        );
    }

    #[test]
    fn is_silent_on_semver() {
        let found = run(
            "invalid-version",
            &[(
                "standards/demo/standard.yaml",
                "id: demo\ntitle: D\nversion: 1.2.0-rc.1\nrequires: { codes: \"^1.0\" }\n",
            )],
        );
        assert!(found.is_empty());
    }

    #[test]
    fn suggests_three_numbers() {
        assert_eq!(super::suggest("1.2"), "1.2.0");
        assert_eq!(super::suggest("v3"), "3.0.0");
    }
}
