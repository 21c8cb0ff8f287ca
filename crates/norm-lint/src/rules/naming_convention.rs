//! The `naming-convention` rule.

use regex::Regex;

use crate::{Context, Finding, Rule};
use norm_model::ElementKind;

crate::declare_rule! {
    /// ## What it does
    /// Reports names that break the naming convention: standard ids in kebab-case
    /// (`^[a-z][a-z0-9-]*$`), entity, field and code list names in snake_case
    /// (`^[a-z][a-z0-9_]*$`).
    ///
    /// Options (in `norm.yaml`), each a regular expression replacing a default:
    /// `standard`, `entity`, `field`, `codelist`.
    ///
    /// ```yaml
    /// lint:
    ///   rules:
    ///     naming-convention:
    ///       level: error
    ///       options: { field: "^[a-z]{4}_[a-z0-9_]+$" }   # SSD-style table prefixes
    /// ```
    ///
    /// ## Why is this bad?
    /// Names appear in URLs, tags, SQL and CSV headers. One `PersonID` among `pers_person_id`s
    /// breaks every generated query and every case-sensitive join.
    ///
    /// ## Example
    /// ```yaml
    /// - name: PersonID
    /// ```
    /// Use instead:
    /// ```yaml
    /// - name: pers_person_id
    /// ```
    pub struct NamingConvention { id: "naming-convention", severity: Error, recommended: true, since: "0.1.0" }
}

const DEFAULTS: [(&str, &str, &str); 4] = [
    ("standard", "standard", "^[a-z][a-z0-9-]*$"),
    ("entity", "entity", "^[a-z][a-z0-9_]*$"),
    ("field", "field", "^[a-z][a-z0-9_]*$"),
    ("code list", "codelist", "^[a-z][a-z0-9_]*$"),
];

impl Rule for NamingConvention {
    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        let mut patterns = Vec::new();
        for (kind, option, default) in DEFAULTS {
            let pattern = cx.option_str(option).unwrap_or(default);
            match Regex::new(pattern) {
                Ok(re) => patterns.push((kind, re)),
                Err(_) => {
                    if let Some(at) = cx.option_location(option) {
                        out.push(Finding {
                            location: at,
                            path: None,
                            message: format!("option `{option}` of `naming-convention` is not a valid regular expression"),
                            help: None,
                        });
                    }
                }
            }
        }
        for e in cx.catalog.elements() {
            let Some((_, re)) = patterns.iter().find(|(kind, _)| *kind == e.kind().noun()) else {
                continue;
            };
            if !re.is_match(e.name()) {
                let key = if e.kind() == ElementKind::Standard {
                    "id"
                } else {
                    "name"
                };
                out.push(Finding::new(
                    e.location().key(key),
                    e.path(),
                    format!(
                        "{} name `{}` does not match `{}`",
                        e.kind().noun(),
                        e.name(),
                        re.as_str()
                    ),
                ));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::{run, run_with};

    const FILES: &[(&str, &str)] = &[
        (
            "standards/demo/entities/a.yaml",
            "name: a\nfields:\n  - name: PersonID\n    type: string\n  - name: pers_dob\n    type: date\n",
        ),
        (
            "standards/demo/codelists/Sex.yaml",
            "name: Sex\ncodes: []\n",
        ),
    ];

    #[test]
    fn fires_on_names_off_the_convention() {
        insta::assert_snapshot!(run("naming-convention", FILES).join("\n"));
    }

    #[test]
    fn fires_with_a_configured_pattern() {
        let options =
            serde_json::json!({ "field": "^[a-z]{4}_[a-z0-9_]+$", "codelist": "^[A-Za-z]+$" });
        insta::assert_snapshot!(
            run_with("naming-convention", options.as_object().unwrap(), FILES).join("\n")
        );
    }

    #[test]
    fn is_silent_on_conventional_names() {
        let found = run(
            "naming-convention",
            &[(
                "standards/demo/entities/a.yaml",
                "name: a\nfields:\n  - name: pers_dob\n    type: date\n",
            )],
        );
        assert!(found.is_empty(), "{found:?}");
    }
}
