//! The `unknown-consumer` rule.

use norm_model::{ElementPath, yaml::did_you_mean};

use crate::{Context, Finding, Rule};
use norm_model::element::field_location;

crate::declare_rule! {
    /// ## What it does
    /// Reports a `used_by` entry that is neither a consumer declared in `norm.yaml`
    /// `consumers` nor a standard of the repository.
    ///
    /// ## Why is this bad?
    /// Impact reports list the consumers of every changed field; a misspelt consumer is one
    /// that is never told its return is about to break.
    ///
    /// ## Example
    /// ```yaml
    /// used_by: [cin-cenus]
    /// ```
    /// Use instead:
    /// ```yaml
    /// used_by: [cin-census]
    /// ```
    pub struct UnknownConsumer { id: "unknown-consumer", severity: Error, recommended: true, since: "0.1.0" }
}

impl Rule for UnknownConsumer {
    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        let catalog = cx.catalog;
        let config = catalog.config();
        let known: Vec<&str> = config
            .consumers
            .iter()
            .map(|c| c.id.as_str())
            .chain(catalog.standards.keys().map(String::as_str))
            .collect();
        for (standard, entity, f) in catalog.fields() {
            let id = standard.id();
            for (i, user) in f
                .used_by
                .iter()
                .enumerate()
                .filter(|(_, u)| !known.contains(&u.as_str()))
            {
                let finding = Finding::new(
                    field_location(entity, f).key("used_by").index(i),
                    ElementPath::field(id, &entity.value.name, &f.name),
                    format!(
                        "`used_by` names `{user}`, which is neither a consumer in norm.yaml nor a standard"
                    ),
                );
                out.push(match did_you_mean(user, &known) {
                    Some(s) => finding.help(format!("did you mean `{s}`?")),
                    None => finding.help("declare it under `consumers:` in norm.yaml"),
                });
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::run;

    const CONFIG: (&str, &str) = (
        "norm.yaml",
        "consumers:\n  - id: cin-census\n    kind: statutory-return\n",
    );

    #[test]
    fn fires_on_unknown_consumers() {
        let found = run(
            "unknown-consumer",
            &[
                CONFIG,
                (
                    "standards/demo/entities/a.yaml",
                    "name: a\nfields:\n  - name: x\n    type: string\n    used_by: [cin-cenus, demo]\n",
                ),
            ],
        );
        assert_eq!(
            found,
            vec![
                "standards/demo/entities/a.yaml:5:15 `used_by` names `cin-cenus`, which is neither a consumer in norm.yaml nor a standard"
            ]
        );
    }

    #[test]
    fn is_silent_on_consumers_and_standards() {
        let found = run(
            "unknown-consumer",
            &[
                CONFIG,
                (
                    "standards/demo/entities/a.yaml",
                    "name: a\nfields:\n  - name: x\n    type: string\n    used_by: [cin-census, demo]\n",
                ),
            ],
        );
        assert!(found.is_empty(), "{found:?}");
    }
}
