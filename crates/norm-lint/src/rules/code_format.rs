//! The `code-format` rule.

use norm_model::{ElementPath, Location};

use crate::{Context, Finding, Rule};

crate::declare_rule! {
    /// ## What it does
    /// Reports a code with white space around it, and a code with lower-case letters in a list
    /// whose other codes are all upper-case.
    ///
    /// ## Why is this bad?
    /// Codes are compared exactly: `"WBRI "` and `"wbri"` are not `WBRI`, so records that use
    /// the list as documented fail validation, or worse, pass one system and fail the next.
    ///
    /// ## Example
    /// ```yaml
    /// codes:
    ///   - code: "WBRI "
    ///   - code: Wiri
    ///   - code: WIRT
    /// ```
    /// Use instead:
    /// ```yaml
    /// codes:
    ///   - code: WBRI
    ///   - code: WIRI
    ///   - code: WIRT
    /// ```
    pub struct CodeFormat { id: "code-format", severity: Error, recommended: true, since: "0.1.0" }
}

impl Rule for CodeFormat {
    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        for (standard, list) in cx.catalog.codelists() {
            let id = standard.id();
            let codes = &list.value.codes;
            let upper = |c: &str| !c.chars().any(char::is_lowercase);
            let lower_codes = codes.iter().filter(|c| !upper(c.code.trim())).count();
            // "Otherwise upper-case": at most one code in ten breaks the list's convention.
            let mostly_upper = codes.len() >= 3 && lower_codes * 10 <= codes.len();
            for code in codes {
                let at = Location::file(list.file)
                    .key("codes")
                    .index(code.position)
                    .key("code");
                let path = ElementPath::code(id, &list.value.name, &code.code);
                let trimmed = code.code.trim();
                if trimmed != code.code {
                    out.push(
                        Finding::new(
                            at,
                            path,
                            format!("code `{}` has white space around it", code.code),
                        )
                        .help(format!("write `\"{trimmed}\"`")),
                    );
                } else if mostly_upper && !upper(trimmed) {
                    out.push(
                        Finding::new(
                            at,
                            path,
                            format!(
                                "code `{trimmed}` is not upper-case, unlike the rest of `{}`",
                                list.value.name
                            ),
                        )
                        .help(format!("write `\"{}\"`", trimmed.to_uppercase())),
                    );
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::run;

    #[test]
    fn fires_on_padded_and_odd_case_codes() {
        insta::assert_snapshot!(run(
            "code-format",
            &[(
                "standards/demo/codelists/ethnicity.yaml",
                "name: ethnicity\ncodes:\n  - code: \"WBRI \"\n  - code: Wiri\n  - code: WIRT\n  - code: WOTH\n  - code: WROM\n  - code: MWBC\n  - code: MWBA\n  - code: MWAS\n  - code: MOTH\n  - code: AIND\n",
            )],
        )
        .join("\n"));
    }

    #[test]
    fn is_silent_on_consistent_lists() {
        let found = run(
            "code-format",
            &[
                (
                    "standards/demo/codelists/upper.yaml",
                    "name: upper\ncodes:\n  - code: \"M\"\n  - code: \"F\"\n  - code: \"U\"\n",
                ),
                (
                    "standards/demo/codelists/annex.yaml",
                    "name: annex\ncodes:\n  - code: \"a\"\n  - code: \"b\"\n  - code: \"c\"\n",
                ),
            ],
        );
        assert!(found.is_empty(), "{found:?}");
    }
}
