//! The `duplicate-label` rule.

use std::collections::HashMap;

use norm_model::{ElementPath, Location};

use crate::{Context, Finding, Rule};

crate::declare_rule! {
    /// ## What it does
    /// Reports two codes of one list with the same label (ignoring case and surrounding white
    /// space).
    ///
    /// ## Why is this bad?
    /// Whoever picks a code from a drop-down sees two identical entries and cannot tell which
    /// one the standard means; the data splits between them.
    ///
    /// ## Example
    /// ```yaml
    /// codes:
    ///   - { code: "9", label: Unknown }
    ///   - { code: "0", label: unknown }
    /// ```
    /// Use instead:
    /// ```yaml
    /// codes:
    ///   - { code: "9", label: Indeterminate }
    ///   - { code: "0", label: Not recorded or unborn }
    /// ```
    pub struct DuplicateLabel { id: "duplicate-label", severity: Warning, recommended: true, since: "0.1.0" }
}

impl Rule for DuplicateLabel {
    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        for (standard, list) in cx.catalog.codelists() {
            let id = standard.id();
            let mut seen: HashMap<String, &str> = HashMap::new();
            for code in &list.value.codes {
                let Some(label) = code.label.as_deref() else {
                    continue;
                };
                let key = label.trim().to_lowercase();
                match seen.get(&key) {
                    Some(first) => out.push(
                        Finding::new(
                            Location::file(list.file)
                                .key("codes")
                                .index(code.position)
                                .key("label"),
                            ElementPath::code(id, &list.value.name, &code.code),
                            format!(
                                "codes `{first}` and `{}` share the label `{label}`",
                                code.code
                            ),
                        )
                        .help("make each label say how the codes differ"),
                    ),
                    None => {
                        seen.insert(key, &code.code);
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::run;

    #[test]
    fn fires_on_repeated_labels() {
        insta::assert_snapshot!(run(
            "duplicate-label",
            &[("standards/demo/codelists/l.yaml", "name: l\ncodes:\n  - { code: \"9\", label: Unknown }\n  - { code: \"0\", label: \" unknown\" }\n  - { code: \"1\", label: Male }\n")],
        )
        .join("\n"));
    }

    #[test]
    fn is_silent_on_distinct_labels() {
        let found = run(
            "duplicate-label",
            &[(
                "standards/demo/codelists/l.yaml",
                "name: l\ncodes:\n  - { code: \"9\", label: Indeterminate }\n  - { code: \"0\" }\n  - { code: \"1\" }\n",
            )],
        );
        assert!(found.is_empty(), "{found:?}");
    }
}
