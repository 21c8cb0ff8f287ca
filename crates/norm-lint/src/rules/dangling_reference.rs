//! The `dangling-reference` rule.
use norm_model::{ElementPath, Unresolved};

use crate::{Context, Finding, Rule};
use norm_model::element::field_location;

crate::declare_rule! {
    /// ## What it does
    /// Reports a `codelist` or `references` that points at nothing: an unknown code list,
    /// entity or field; another standard that is not in `requires`; or a standard whose
    /// current version is outside the `requires` range.
    ///
    /// ## Why is this bad?
    /// A field whose code list cannot be found has no valid values, and a foreign key into
    /// nothing cannot be joined. Across standards, `requires` is what lets norm tell a
    /// dependent standard that a change breaks it.
    ///
    /// ## Example
    /// ```yaml
    /// - name: pers_sex
    ///   type: code
    ///   codelist: csc-codes/sexx
    /// ```
    /// Use instead:
    /// ```yaml
    /// - name: pers_sex
    ///   type: code
    ///   codelist: csc-codes/sex      # with `csc-codes` in the standard's `requires`
    /// ```
    pub struct DanglingReference { id: "dangling-reference", severity: Error, recommended: true, since: "0.1.0" }
}

impl Rule for DanglingReference {
    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        let catalog = cx.catalog;
        for (standard, entity, field) in catalog.fields() {
            let id = standard.id();
            let path = ElementPath::field(id, &entity.value.name, &field.name);
            let at = field_location(entity, field);
            // A target in a file that did not load is judged once it loads: its syntax error
            // is the one finding, not every reference into it.
            if let Some(target) = &field.codelist
                && let Err(why) = catalog.resolve_codelist(id, target)
                && !matches!(why, Unresolved::Unloaded(_))
            {
                out.push(explain(
                    why,
                    id,
                    target,
                    "code list",
                    at.clone().key("codelist"),
                    path.clone(),
                ));
            }
            if let Some(target) = &field.references
                && let Err(why) = catalog.resolve_field(id, target)
                && !matches!(why, Unresolved::Unloaded(_))
            {
                out.push(explain(
                    why,
                    id,
                    target,
                    "field",
                    at.key("references"),
                    path.clone(),
                ));
            }
        }
    }
}

fn explain(
    why: Unresolved,
    from: &str,
    target: &str,
    what: &str,
    at: norm_model::Location,
    path: ElementPath,
) -> Finding {
    match why {
        Unresolved::Malformed(message) => Finding::new(at, path, message),
        Unresolved::Unloaded(file) => Finding::new(
            at,
            path,
            format!("{what} `{target}` is in {file}, which did not load"),
        ),
        Unresolved::UnknownStandard(s) => Finding::new(
            at,
            path,
            format!("{what} `{target}` is in standard `{s}`, which does not exist in this repository"),
        ),
        Unresolved::NotRequired(s) => Finding::new(
            at,
            path,
            format!("{what} `{target}` is in standard `{s}`, which `{from}` does not list in `requires`"),
        )
        .help(format!("add `{s}: \"^<major>.<minor>\"` to `requires` in standards/{from}/standard.yaml")),
        Unresolved::OutOfRange { standard, range, version } => Finding::new(
            at,
            path,
            format!(
                "{what} `{target}` is in `{standard}` {version}, outside the range `{range}` that `{from}` requires"
            ),
        )
        .help(format!("check the change notes of `{standard}` and widen the range in `requires`")),
        Unresolved::UnknownElement(suggestion) => {
            let finding = Finding::new(at, path, format!("{what} `{target}` does not exist"));
            match suggestion {
                Some(s) => finding.help(format!("did you mean `{s}`?")),
                None => finding,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::run;

    const CODES: (&str, &str) = (
        "standards/codes/standard.yaml",
        "id: codes\ntitle: Codes\nversion: 2.0.0\n",
    );
    const SEX: (&str, &str) = (
        "standards/codes/codelists/sex.yaml",
        "name: sex\ncodes: []\n",
    );

    #[test]
    fn fires_on_unknown_targets_missing_requires_and_ranges() {
        let found = run(
            "dangling-reference",
            &[
                CODES,
                SEX,
                (
                    "standards/demo/standard.yaml",
                    "id: demo\ntitle: D\nversion: 1.0.0\nrequires: { codes: \"^1.0\" }\n",
                ),
                (
                    "standards/other/standard.yaml",
                    "id: other\ntitle: O\nversion: 1.0.0\n",
                ),
                (
                    "standards/demo/entities/a.yaml",
                    "name: a\nfields:\n  - name: x\n    type: code\n    codelist: codes/sex\n  - name: y\n    type: code\n    codelist: ethnicity\n  - name: z\n    type: string\n    references: a.w\n",
                ),
                (
                    "standards/other/entities/b.yaml",
                    "name: b\nfields:\n  - name: s\n    type: code\n    codelist: codes/sex\n  - name: t\n    type: string\n    references: see the guide\n",
                ),
            ],
        );
        assert_eq!(
            found,
            vec![
                "standards/demo/entities/a.yaml:5:15 code list `codes/sex` is in `codes` 2.0.0, outside the range `^1.0` that `demo` requires",
                "standards/demo/entities/a.yaml:8:15 code list `ethnicity` does not exist",
                "standards/demo/entities/a.yaml:11:17 field `a.w` does not exist",
                "standards/other/entities/b.yaml:5:15 code list `codes/sex` is in standard `codes`, which `other` does not list in `requires`",
                "standards/other/entities/b.yaml:8:17 `see the guide` is not a field reference: write `entity.field` or `standard-id/entity.field`",
            ]
        );
    }

    #[test]
    fn is_silent_on_resolving_references() {
        let found = run(
            "dangling-reference",
            &[
                CODES,
                SEX,
                (
                    "standards/demo/standard.yaml",
                    "id: demo\ntitle: D\nversion: 1.0.0\nrequires: { codes: \"^2.0\" }\n",
                ),
                (
                    "standards/demo/entities/a.yaml",
                    "name: a\nfields:\n  - name: x\n    type: code\n    codelist: codes/sex\n  - name: y\n    type: string\n    references: a.x\n",
                ),
            ],
        );
        assert!(found.is_empty(), "{found:?}");
    }
}
