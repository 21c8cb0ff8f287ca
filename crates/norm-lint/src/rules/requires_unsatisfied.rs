//! The `requires-unsatisfied` rule.

use norm_model::{ElementPath, Location};

use crate::{Context, Finding, Rule};

crate::declare_rule! {
    /// ## What it does
    /// Reports a `requires` entry naming a standard that is not in the repository, or whose
    /// current version the range does not admit.
    ///
    /// ## Why is this bad?
    /// `requires` is the contract between standards: it says which versions of a dependency
    /// this one was checked against. A range the dependency has left behind means a breaking
    /// release went out and this standard was never reviewed against it.
    ///
    /// ## Example
    /// ```yaml
    /// # csc-codes is at 2.0.0
    /// requires: { csc-codes: "^1.0" }
    /// ```
    /// Use instead, after checking the change notes of csc-codes 2.0.0:
    /// ```yaml
    /// requires: { csc-codes: "^2.0" }
    /// ```
    pub struct RequiresUnsatisfied { id: "requires-unsatisfied", severity: Error, recommended: true, since: "0.1.0" }
}

impl Rule for RequiresUnsatisfied {
    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        for standard in cx.catalog.standards.values() {
            let Some(meta) = &standard.meta else { continue };
            for (target, range) in &meta.value.requires {
                let at = Location::file(meta.file)
                    .key("requires")
                    .key(target.clone());
                let path = ElementPath::standard(standard.id());
                let Some(required) = cx.catalog.standards.get(target) else {
                    out.push(Finding::new(at.on_key(), path, format!("`requires` names `{target}`, which is not a standard in this repository")));
                    continue;
                };
                // An unparsable range or version is `invalid-version`'s finding.
                let (Ok(req), Some(version)) =
                    (semver::VersionReq::parse(range), required.version())
                else {
                    continue;
                };
                let plain = semver::Version::new(version.major, version.minor, version.patch);
                if !req.matches(&plain) {
                    out.push(
                        Finding::new(
                            at,
                            path,
                            format!(
                                "`{target}` is at {version}, outside the required range `{range}`"
                            ),
                        )
                        .help(format!(
                            "review the change notes of `{target}` {version}, then widen the range"
                        )),
                    );
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::run;

    const CODES: (&str, &str) = (
        "standards/codes/standard.yaml",
        "id: codes\ntitle: C\nversion: 2.0.0-rc.1\n",
    );

    #[test]
    fn fires_on_missing_or_outgrown_dependencies() {
        insta::assert_snapshot!(run(
            "requires-unsatisfied",
            &[CODES, ("standards/demo/standard.yaml", "id: demo\ntitle: D\nversion: 1.0.0\nrequires:\n  codes: \"^1.0\"\n  nowhere: \"^1.0\"\n")],
        )
        .join("\n"));
    }

    #[test]
    fn is_silent_when_ranges_admit_the_versions() {
        let found = run(
            "requires-unsatisfied",
            &[
                CODES,
                (
                    "standards/demo/standard.yaml",
                    "id: demo\ntitle: D\nversion: 1.0.0\nrequires: { codes: \"^2.0\" }\n",
                ),
            ],
        );
        assert!(found.is_empty(), "{found:?}");
    }
}
