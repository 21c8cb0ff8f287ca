//! The `missing-provenance` rule.

use norm_model::{ElementPath, Location};

use crate::{Context, Finding, Rule};

crate::declare_rule! {
    /// ## What it does
    /// Reports a standard without a `licence`, an `owner` or any `sources`.
    ///
    /// ## Why is this bad?
    /// Local authorities and suppliers may only reuse content whose licence they know, need an
    /// owner to ask and to send change requests to, and need the sources to check a code
    /// against the publication it came from.
    ///
    /// ## Example
    /// ```yaml
    /// id: ssd
    /// title: Standard Safeguarding Dataset
    /// version: 1.0.0
    /// ```
    /// Use instead:
    /// ```yaml
    /// id: ssd
    /// title: Standard Safeguarding Dataset
    /// version: 1.0.0
    /// owner: { name: Data to Insight }
    /// licence: OGL-UK-3.0
    /// sources:
    ///   - title: Standard Safeguarding Dataset data model
    ///     publisher: Data to Insight
    /// ```
    pub struct MissingProvenance { id: "missing-provenance", severity: Warning, recommended: true, since: "0.1.0" }
}

impl Rule for MissingProvenance {
    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        for standard in cx.catalog.standards.values() {
            let Some(meta) = &standard.meta else { continue };
            let m = &meta.value;
            let missing: Vec<&str> = [
                ("licence", m.licence.is_none()),
                ("owner", m.owner.is_none()),
                ("sources", m.sources.is_empty()),
            ]
            .into_iter()
            .filter_map(|(key, absent)| absent.then_some(key))
            .collect();
            if !missing.is_empty() {
                out.push(Finding::new(
                    Location::file(meta.file).key("id"),
                    ElementPath::standard(standard.id()),
                    format!(
                        "standard `{}` has no {}",
                        standard.id(),
                        missing.join(", no ")
                    ),
                ));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::run;

    #[test]
    fn fires_on_a_standard_without_provenance() {
        insta::assert_snapshot!(
            run(
                "missing-provenance",
                &[(
                    "standards/demo/standard.yaml",
                    "id: demo\ntitle: D\nversion: 1.0.0\nlicence: OGL-UK-3.0\n"
                )],
            )
            .join("\n")
        );
    }

    #[test]
    fn is_silent_when_provenance_is_recorded() {
        let found = run(
            "missing-provenance",
            &[(
                "standards/demo/standard.yaml",
                "id: demo\ntitle: D\nversion: 1.0.0\nlicence: OGL-UK-3.0\nowner: { name: D2I }\nsources:\n  - title: Guide\n",
            )],
        );
        assert!(found.is_empty(), "{found:?}");
    }
}
