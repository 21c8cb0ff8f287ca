//! The `duplicate-name` rule.
use std::collections::HashMap;

use norm_model::{ElementPath, Location};

use crate::{Context, Finding, Rule};
use norm_model::element::field_location;

crate::declare_rule! {
    /// ## What it does
    /// Reports two entities, two code lists, two fields of one entity or two codes of one list
    /// with the same name, and two validation rules of one standard with the same code.
    ///
    /// ## Why is this bad?
    /// References, change notes and the site identify elements by name; with two of them, which
    /// one a reference means is a guess, and one of them silently disappears from exports.
    ///
    /// ## Example
    /// ```yaml
    /// fields:
    ///   - name: pers_dob
    ///     type: date
    ///   - name: pers_dob
    ///     type: string
    /// ```
    /// Use instead:
    /// ```yaml
    /// fields:
    ///   - name: pers_dob
    ///     type: date
    /// ```
    pub struct DuplicateName { id: "duplicate-name", severity: Error, recommended: true, since: "0.1.0" }
}

impl Rule for DuplicateName {
    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        let catalog = cx.catalog;
        for standard in catalog.standards.values() {
            let id = standard.id();
            let mut seen = HashMap::new();
            for e in &standard.entities {
                report(
                    &mut seen,
                    &e.value.name,
                    Location::file(e.file).key("name"),
                    ElementPath::entity(id, &e.value.name),
                    "entity",
                    out,
                );
            }
            let mut seen = HashMap::new();
            for c in &standard.codelists {
                report(
                    &mut seen,
                    &c.value.name,
                    Location::file(c.file).key("name"),
                    ElementPath::codelist(id, &c.value.name),
                    "code list",
                    out,
                );
            }
            let mut seen = HashMap::new();
            for r in &standard.rules {
                report(
                    &mut seen,
                    &r.value.code,
                    Location::file(r.file).key("code"),
                    ElementPath::rule(id, &r.value.code),
                    "rule code",
                    out,
                );
            }
        }
        for (standard, entity) in catalog.entities() {
            let id = standard.id();
            let mut seen = HashMap::new();
            for f in &entity.value.fields {
                let at = field_location(entity, f).key("name");
                let path = ElementPath::field(id, &entity.value.name, &f.name);
                report(&mut seen, &f.name, at, path, "field", out);
            }
        }
        for (standard, list) in catalog.codelists() {
            let id = standard.id();
            let mut seen = HashMap::new();
            for c in &list.value.codes {
                let at = Location::file(list.file)
                    .key("codes")
                    .index(c.position)
                    .key("code");
                let path = ElementPath::code(id, &list.value.name, &c.code);
                report(&mut seen, &c.code, at, path, "code", out);
            }
        }
    }
}

/// Records `name` and reports it when it was seen before in the same scope.
fn report<'a>(
    seen: &mut HashMap<&'a str, Location>,
    name: &'a str,
    at: Location,
    path: ElementPath,
    what: &str,
    out: &mut Vec<Finding>,
) {
    match seen.get(name) {
        Some(first) => out.push(
            Finding::new(at, path, format!("duplicate {what} `{name}`")).help(format!(
                "rename or remove one of them (the first is {})",
                describe(first)
            )),
        ),
        None => {
            seen.insert(name, at);
        }
    }
}

fn describe(first: &Location) -> String {
    match first.path.first() {
        Some(norm_model::Segment::Key(k)) if k == "name" || k == "code" => "in another file".into(),
        _ => "earlier in this file".into(),
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::run;

    const RULE_101: &str = "code: \"101\"\ntitle: T\nseverity: error\nentity: a\ncheck: TRUE\n";

    #[test]
    fn fires_on_duplicate_fields_codes_and_entities() {
        let found = run(
            "duplicate-name",
            &[
                (
                    "standards/demo/entities/a.yaml",
                    "name: a\nprimary_key: [x]\nfields:\n  - name: x\n    type: string\n  - name: x\n    type: string\n",
                ),
                (
                    "standards/demo/entities/b.yaml",
                    "name: a\nprimary_key: [y]\nfields:\n  - name: y\n    type: string\n",
                ),
                (
                    "standards/demo/codelists/l.yaml",
                    "name: l\ncodes:\n  - code: \"1\"\n  - code: \"1\"\n",
                ),
                ("standards/demo/rules/101.yaml", RULE_101),
                ("standards/demo/rules/101a.yaml", RULE_101),
            ],
        );
        assert_eq!(
            found,
            vec![
                "standards/demo/codelists/l.yaml:4:11 duplicate code `1`",
                "standards/demo/entities/a.yaml:6:11 duplicate field `x`",
                "standards/demo/entities/b.yaml:1:7 duplicate entity `a`",
                "standards/demo/rules/101a.yaml:1:7 duplicate rule code `101`",
            ]
        );
    }

    #[test]
    fn is_silent_on_distinct_names() {
        let found = run(
            "duplicate-name",
            &[(
                "standards/demo/entities/a.yaml",
                "name: a\nfields:\n  - name: x\n    type: string\n  - name: y\n    type: string\n",
            )],
        );
        assert!(found.is_empty(), "{found:?}");
    }
}
