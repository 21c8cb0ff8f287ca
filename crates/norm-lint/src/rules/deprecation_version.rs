//! The `deprecation-version` rule.

use norm_model::Status;

use crate::{Context, Finding, Rule};

crate::declare_rule! {
    /// ## What it does
    /// Reports a deprecation whose `since` or `removal` is not a version, whose `since` is later
    /// than the standard's current version, or whose planned `removal` is not later than `since`.
    ///
    /// ## Why is this bad?
    /// `since` says in which release consumers were told; a `since` in the future means the
    /// notice has not been published, so removing the element on the strength of it breaks the
    /// deprecation policy. A removal planned before the deprecation cannot be honoured.
    ///
    /// ## Example
    /// ```yaml
    /// # standard version 1.2.0
    /// deprecation: { since: 1.3.0, reason: Use pers_sex., removal: 1.3.0 }
    /// ```
    /// Use instead:
    /// ```yaml
    /// deprecation: { since: 1.2.0, reason: Use pers_sex., removal: 2.0.0 }
    /// ```
    pub struct DeprecationVersion { id: "deprecation-version", severity: Error, recommended: true, since: "0.1.0" }
}

impl Rule for DeprecationVersion {
    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        for e in cx.catalog.elements() {
            let Some(d) = e.deprecation() else { continue };
            let current = cx
                .catalog
                .standards
                .get(e.standard().id())
                .and_then(|s| s.version());
            let parse = |key: &'static str, text: Option<&String>, out: &mut Vec<Finding>| {
                let text = text?;
                match semver::Version::parse(text) {
                    Ok(v) => Some(v),
                    Err(_) => {
                        out.push(Finding::new(
                            e.location().key("deprecation").key(key),
                            e.path(),
                            format!(
                                "deprecation `{key}` of {} `{}` is `{text}`, not a version",
                                e.kind().noun(),
                                e.name()
                            ),
                        ));
                        None
                    }
                }
            };
            let since = parse("since", d.since.as_ref(), out);
            let removal = parse("removal", d.removal.as_ref(), out);
            if let (Some(since), Some(current)) = (&since, &current)
                && e.status() == Some(Status::Deprecated)
                && since > current
            {
                out.push(
                    Finding::new(
                        e.location().key("deprecation").key("since"),
                        e.path(),
                        format!("{} `{}` is deprecated since {since}, later than the current version {current}", e.kind().noun(), e.name()),
                    )
                    .help(format!("a deprecation made in this change takes effect in this version: write `since: {current}`")),
                );
            }
            if let (Some(since), Some(removal)) = (since, removal)
                && removal <= since
            {
                out.push(Finding::new(
                    e.location().key("deprecation").key("removal"),
                    e.path(),
                    format!("removal {removal} is planned no later than the deprecation ({since})"),
                ));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::run;

    #[test]
    fn fires_on_future_or_inverted_versions() {
        insta::assert_snapshot!(run(
            "deprecation-version",
            &[("standards/demo/entities/a.yaml", "name: a\nfields:\n  - name: x\n    type: string\n    status: deprecated\n    deprecation: { since: 1.1.0, reason: Old., removal: 1.0.0 }\n  - name: y\n    type: string\n    status: deprecated\n    deprecation: { since: soon, reason: Old. }\n")],
        )
        .join("\n"));
    }

    #[test]
    fn is_silent_on_a_released_deprecation() {
        let found = run(
            "deprecation-version",
            &[(
                "standards/demo/entities/a.yaml",
                "name: a\nfields:\n  - name: x\n    type: string\n    status: deprecated\n    deprecation: { since: 1.0.0, reason: Old., removal: 2.0.0 }\n",
            )],
        );
        assert!(found.is_empty(), "{found:?}");
    }
}
