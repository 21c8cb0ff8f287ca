//! The `missing-extensible` rule.

use norm_model::{ElementPath, Location};

use crate::{Context, Finding, Rule};

crate::declare_rule! {
    /// ## What it does
    /// Reports a code list without `extensible: true` or `extensible: false`.
    ///
    /// ## Why is this bad?
    /// Whether a list is closed decides how a change is classified: adding a code to a closed
    /// list breaks consumers that switch on its codes (major), adding one to an open list does
    /// not (minor). Without the key, reviewers and suppliers have to guess.
    ///
    /// ## Example
    /// ```yaml
    /// name: ethnicity
    /// codes: [...]
    /// ```
    /// Use instead:
    /// ```yaml
    /// name: ethnicity
    /// extensible: false
    /// codes: [...]
    /// ```
    pub struct MissingExtensible { id: "missing-extensible", severity: Warning, recommended: true, since: "0.1.0" }
}

impl Rule for MissingExtensible {
    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        for (standard, list) in cx
            .catalog
            .codelists()
            .filter(|(_, l)| l.value.extensible.is_none())
        {
            let id = standard.id();
            out.push(
                Finding::new(
                    Location::file(list.file).key("name"),
                    ElementPath::codelist(id, &list.value.name),
                    format!(
                        "code list `{}` does not say whether it is closed (`extensible`)",
                        list.value.name
                    ),
                )
                .help(
                    "add `extensible: false` for a closed list, `extensible: true` for an open one",
                ),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::run;

    #[test]
    fn fires_when_extensible_is_missing() {
        insta::assert_snapshot!(
            run(
                "missing-extensible",
                &[("standards/demo/codelists/l.yaml", "name: l\ncodes: []\n")]
            )
            .join("\n")
        );
    }

    #[test]
    fn is_silent_when_extensible_is_set() {
        let found = run(
            "missing-extensible",
            &[(
                "standards/demo/codelists/l.yaml",
                "name: l\nextensible: true\ncodes: []\n",
            )],
        );
        assert!(found.is_empty(), "{found:?}");
    }
}
