//! The `proposed-in-retired` rule.

use norm_model::Status;
use norm_model::model::StandardStatus;

use crate::{Context, Finding, Rule};

crate::declare_rule! {
    /// ## What it does
    /// Reports `status: proposed` elements inside a standard that is `deprecated` or `retired`.
    ///
    /// ## Why is this bad?
    /// A proposal invites adoption; a standard on its way out will never adopt it. Either the
    /// proposal belongs in the standard that replaces this one, or the standard is not really
    /// being retired.
    ///
    /// ## Example
    /// ```yaml
    /// # standard.yaml: status: retired
    /// - name: new_flag
    ///   status: proposed
    /// ```
    /// Use instead: move the proposal to the successor standard.
    pub struct ProposedInRetired { id: "proposed-in-retired", severity: Warning, recommended: true, since: "0.1.0" }
}

impl Rule for ProposedInRetired {
    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        for e in cx
            .catalog
            .elements()
            .filter(|e| e.status() == Some(Status::Proposed))
        {
            let status = cx
                .catalog
                .standards
                .get(e.standard().id())
                .and_then(|s| s.meta.as_ref())
                .and_then(|m| m.value.status);
            let word = match status {
                Some(StandardStatus::Retired) => "retired",
                Some(StandardStatus::Deprecated) => "deprecated",
                _ => continue,
            };
            out.push(Finding::new(
                e.location().key("status"),
                e.path(),
                format!(
                    "{} `{}` is proposed, but standard `{}` is {word}",
                    e.kind().noun(),
                    e.name(),
                    e.standard().id()
                ),
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::run;

    const ENTITY: (&str, &str) = (
        "standards/demo/entities/a.yaml",
        "name: a\nfields:\n  - name: x\n    type: string\n    status: proposed\n",
    );

    #[test]
    fn fires_on_proposals_in_a_retired_standard() {
        insta::assert_snapshot!(
            run(
                "proposed-in-retired",
                &[
                    (
                        "standards/demo/standard.yaml",
                        "id: demo\ntitle: D\nversion: 1.0.0\nstatus: retired\n"
                    ),
                    ENTITY
                ],
            )
            .join("\n")
        );
    }

    #[test]
    fn is_silent_on_proposals_in_a_consultation() {
        let found = run(
            "proposed-in-retired",
            &[
                (
                    "standards/demo/standard.yaml",
                    "id: demo\ntitle: D\nversion: 0.1.0\nstatus: consultation\n",
                ),
                ENTITY,
            ],
        );
        assert!(found.is_empty(), "{found:?}");
    }
}
