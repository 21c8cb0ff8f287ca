//! The `replaced-by-unknown` rule.

use norm_model::{ElementPath, Location};

use crate::{Context, Finding, Rule};
use norm_model::element::field_location;

crate::declare_rule! {
    /// ## What it does
    /// Reports a `deprecation.replaced_by` that names nothing: a field that is not in the
    /// entity (or a reference that does not resolve), a code that is not in the list, an
    /// entity or code list that does not exist.
    ///
    /// ## Why is this bad?
    /// The replacement is what every consumer migrates to; pointing them at nothing leaves them
    /// to guess, and the site's "replaced by" link is broken.
    ///
    /// ## Example
    /// ```yaml
    /// - name: pers_gender
    ///   status: deprecated
    ///   deprecation: { since: 1.1.0, reason: Use sex., replaced_by: pers_sexx }
    /// ```
    /// Use instead:
    /// ```yaml
    /// - name: pers_gender
    ///   status: deprecated
    ///   deprecation: { since: 1.1.0, reason: Use sex., replaced_by: pers_sex }
    /// ```
    pub struct ReplacedByUnknown { id: "replaced-by-unknown", severity: Error, recommended: true, since: "0.1.0" }
}

impl Rule for ReplacedByUnknown {
    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        let catalog = cx.catalog;
        let mut report = |at: Location, path: ElementPath, what: &str, target: &str| {
            out.push(Finding::new(
                at.key("deprecation").key("replaced_by"),
                path,
                format!("`replaced_by` names {what} `{target}`, which does not exist"),
            ));
        };
        for standard in catalog.standards.values() {
            let id = standard.id();
            for e in &standard.entities {
                let entity = &e.value;
                if let Some(t) = replacement(entity.deprecation.as_ref())
                    && standard.entity(t).is_none()
                {
                    report(
                        Location::file(e.file),
                        ElementPath::entity(id, &entity.name),
                        "entity",
                        t,
                    );
                }
                for f in &entity.fields {
                    let Some(t) = replacement(f.deprecation.as_ref()) else {
                        continue;
                    };
                    let found = if t.contains('.') {
                        catalog.resolve_field(id, t).is_ok()
                    } else {
                        entity.fields.iter().any(|other| other.name == t)
                    };
                    if !found {
                        report(
                            field_location(e, f),
                            ElementPath::field(id, &entity.name, &f.name),
                            "field",
                            t,
                        );
                    }
                }
            }
            for c in &standard.codelists {
                let list = &c.value;
                if let Some(t) = replacement(list.deprecation.as_ref())
                    && catalog.resolve_codelist(id, t).is_err()
                {
                    report(
                        Location::file(c.file),
                        ElementPath::codelist(id, &list.name),
                        "code list",
                        t,
                    );
                }
                for code in &list.codes {
                    let Some(t) = replacement(code.deprecation.as_ref()) else {
                        continue;
                    };
                    if !list.codes.iter().any(|other| other.code == t) {
                        let at = Location::file(c.file).key("codes").index(code.position);
                        report(at, ElementPath::code(id, &list.name, &code.code), "code", t);
                    }
                }
            }
        }
    }
}

fn replacement(deprecation: Option<&norm_model::model::Deprecation>) -> Option<&str> {
    deprecation?.replaced_by.as_deref()
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::run;

    #[test]
    fn fires_on_replacements_that_do_not_exist() {
        insta::assert_snapshot!(run(
            "replaced-by-unknown",
            &[
                ("standards/demo/entities/a.yaml", "name: a\nfields:\n  - name: x\n    type: string\n    status: deprecated\n    deprecation: { since: 1.0.0, reason: Old., replaced_by: y }\n  - name: z\n    type: string\n    status: deprecated\n    deprecation: { since: 1.0.0, reason: Old., replaced_by: b.w }\n"),
                ("standards/demo/codelists/l.yaml", "name: l\ncodes:\n  - code: A\n    status: deprecated\n    deprecation: { since: 1.0.0, reason: Old., replaced_by: C }\n  - code: B\n"),
            ],
        )
        .join("\n"));
    }

    #[test]
    fn is_silent_on_replacements_that_exist() {
        let found = run(
            "replaced-by-unknown",
            &[
                (
                    "standards/demo/entities/a.yaml",
                    "name: a\nfields:\n  - name: x\n    type: string\n    status: deprecated\n    deprecation: { since: 1.0.0, reason: Old., replaced_by: y }\n  - name: y\n    type: string\n    status: deprecated\n    deprecation: { since: 1.0.0, reason: Old., replaced_by: a.x }\n",
                ),
                (
                    "standards/demo/codelists/l.yaml",
                    "name: l\ncodes:\n  - code: A\n    status: deprecated\n    deprecation: { since: 1.0.0, reason: Old., replaced_by: B }\n  - code: B\n",
                ),
            ],
        );
        assert!(found.is_empty(), "{found:?}");
    }
}
