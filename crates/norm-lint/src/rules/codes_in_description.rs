//! The `codes-in-description` rule.

use std::collections::BTreeSet;
use std::sync::LazyLock;

use norm_model::{ElementPath, FieldType};
use regex::Regex;

use crate::{Context, Finding, Rule};
use norm_model::element::field_location;

crate::declare_rule! {
    /// ## What it does
    /// Warns when the description of a field that is not `type: code` reads like a code list:
    /// three or more entries such as `1 = Male`, `N1 - Abuse or neglect` or `'Y': yes`.
    ///
    /// This is a heuristic: it can fire on prose that merely mentions codes.
    ///
    /// ## Why is this bad?
    /// Real standards bury code lists in guidance text, where no validator can check values, no
    /// diff can see a code added or removed, and no site can link to them.
    ///
    /// ## Example
    /// ```yaml
    /// - name: pers_gender
    ///   type: string
    ///   description: "1 = Male, 2 = Female, 0 = Not recorded, 9 = Indeterminate."
    /// ```
    /// Use instead:
    /// ```yaml
    /// - name: pers_gender
    ///   type: code
    ///   codelist: csc-codes/gender_current
    /// ```
    pub struct CodesInDescription { id: "codes-in-description", severity: Warning, recommended: true, since: "0.1.0" }
}

/// A short code, then `=`, `:` or a dash, then a word.
static ENTRY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r#"(?:^|[\s,;(])['"`]?([A-Z0-9][A-Za-z0-9]{0,4})['"`]?\s*(?:=|:|-|–|—)\s+['"]?[A-Za-z]"#,
    )
    .unwrap_or_else(|e| unreachable!("the pattern is a literal: {e}"))
});

/// How many distinct code-like entries make a description look like a list.
const THRESHOLD: usize = 3;

impl Rule for CodesInDescription {
    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        for (standard, entity, f) in cx.catalog.fields() {
            let id = standard.id();
            if f.field_type == Some(FieldType::Code) {
                continue;
            }
            let Some(description) = &f.description else {
                continue;
            };
            let codes: BTreeSet<&str> = ENTRY
                .captures_iter(description)
                .filter_map(|c| c.get(1).map(|m| m.as_str()))
                .collect();
            if codes.len() >= THRESHOLD {
                let sample: Vec<&str> = codes.iter().take(4).copied().collect();
                out.push(
                    Finding::new(
                        field_location(entity, f).key("description"),
                        ElementPath::field(id, &entity.value.name, &f.name),
                        format!("the description of `{}` seems to list codes ({}); the field is not `type: code`", f.name, sample.join(", ")),
                    )
                    .help("move the codes into a code list and set `type: code` with `codelist:`"),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::run;

    #[test]
    fn fires_on_a_code_list_in_prose() {
        insta::assert_snapshot!(run(
            "codes-in-description",
            &[(
                "standards/demo/entities/a.yaml",
                "name: a\nfields:\n  - name: gender\n    type: string\n    description: \"Gender: 1 = Male, 2 = Female, 0 = Not recorded, 9 = Indeterminate.\"\n",
            )],
        )
        .join("\n"));
    }

    #[test]
    fn is_silent_on_prose_and_on_code_fields() {
        let found = run(
            "codes-in-description",
            &[
                ("standards/demo/codelists/g.yaml", "name: g\ncodes: []\n"),
                (
                    "standards/demo/entities/a.yaml",
                    "name: a\nfields:\n  - name: dob\n    type: date\n    description: The date of birth, as recorded on 1 April.\n  - name: gender\n    type: code\n    codelist: g\n    description: \"1 = Male, 2 = Female, 0 = Not recorded.\"\n",
                ),
            ],
        );
        assert!(found.is_empty(), "{found:?}");
    }
}
