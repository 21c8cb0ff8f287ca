//! The `rule-target-unknown` rule.

use norm_model::Element;
use norm_model::yaml::did_you_mean;

use crate::{Context, Finding, Rule};

crate::declare_rule! {
    /// ## What it does
    /// Reports a validation rule whose `entity` is not an entity of its standard, or whose
    /// `fields` name something that is not a field of that entity.
    ///
    /// ## Why is this bad?
    /// The entity is the table whose rows the rule reports, and the fields are what a failing row
    /// is about: the site links them and validation reports show their values. A misspelt name
    /// reports nothing, or the wrong column.
    ///
    /// ## Example
    /// ```yaml
    /// entity: episode
    /// fields: [place_provder]
    /// ```
    /// Use instead:
    /// ```yaml
    /// entity: episodes
    /// fields: [place_provider]
    /// ```
    pub struct RuleTargetUnknown { id: "rule-target-unknown", severity: Error, recommended: true, since: "0.1.0" }
}

impl Rule for RuleTargetUnknown {
    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        for e in cx.catalog.elements() {
            let Element::Rule(standard, rule) = e else {
                continue;
            };
            let Some(name) = rule.value.entity.as_deref() else {
                continue;
            };
            let Some(entity) = standard.entity(name) else {
                let names: Vec<&str> = standard
                    .entities
                    .iter()
                    .map(|e| e.value.name.as_str())
                    .collect();
                out.push(
                    Finding::new(
                        e.location().key("entity"),
                        e.path(),
                        format!(
                            "rule `{}` is about entity `{name}`, which standard `{}` does not have",
                            e.name(),
                            standard.id()
                        ),
                    )
                    .help(hint(name, &names, "the entities")),
                );
                continue;
            };
            let fields: Vec<&str> = entity
                .value
                .fields
                .iter()
                .map(|f| f.name.as_str())
                .collect();
            for (i, field) in rule.value.fields.iter().enumerate() {
                if !fields.contains(&field.as_str()) {
                    out.push(
                        Finding::new(
                            e.location().key("fields").index(i),
                            e.path(),
                            format!("rule `{}` names field `{field}`, which entity `{name}` does not have", e.name()),
                        )
                        .help(hint(field, &fields, "the fields of the entity")),
                    );
                }
            }
        }
    }
}

/// "did you mean" when a name is close, else what to choose from.
fn hint(name: &str, names: &[&str], what: &str) -> String {
    match did_you_mean(name, names) {
        Some(close) => format!("did you mean `{close}`?"),
        None => format!("use one of {what}: {}", names.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::run_with_help;

    const EPISODES: &str = "name: episodes\nfields:\n  - name: decom\n    type: date\n  - name: place_provider\n    type: string\n";

    fn rule(code: &str, entity: &str, fields: &str) -> String {
        format!(
            "code: \"{code}\"\ntitle: T\nseverity: error\nentity: {entity}\nfields: {fields}\ncheck: TRUE\n"
        )
    }

    #[test]
    fn fires_on_unknown_entities_and_fields_with_hints() {
        let found = run_with_help(
            "rule-target-unknown",
            &[
                ("standards/demo/entities/episodes.yaml", EPISODES),
                (
                    "standards/demo/rules/101.yaml",
                    &rule("101", "episode", "[decom]"),
                ),
                (
                    "standards/demo/rules/102.yaml",
                    &rule("102", "episodes", "[decom, place_provder, xyz]"),
                ),
            ],
        );
        insta::assert_snapshot!(found.join("\n"));
    }

    #[test]
    fn is_silent_when_entity_and_fields_exist() {
        let found = run_with_help(
            "rule-target-unknown",
            &[
                ("standards/demo/entities/episodes.yaml", EPISODES),
                (
                    "standards/demo/rules/101.yaml",
                    &rule("101", "episodes", "[decom, place_provider]"),
                ),
            ],
        );
        assert!(found.is_empty(), "{found:?}");
    }
}
