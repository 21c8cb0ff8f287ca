//! The `invalid-rename` rule.

use std::collections::HashMap;

use norm_model::{Element, ElementPath, Location};

use crate::{Context, Finding, Rule};

crate::declare_rule! {
    /// ## What it does
    /// Reports a `renamed_from` of an entity, field, code list, code or rule that names the
    /// element itself, names a sibling that still exists (another field of the same entity,
    /// another code of the same list, another entity, code list or rule of the same standard),
    /// or takes part
    /// in a cycle of renames (`a` renamed from `b`, `b` renamed from `a`).
    ///
    /// ## Why is this bad?
    /// `renamed_from` tells `norm diff` that an element which disappeared lives on under a new
    /// name, so the change is a rename, not a removal and an addition. An old name that still
    /// exists did not disappear: the diff would pair the wrong elements, and consumers would be
    /// told to migrate from an element that is still there.
    ///
    /// ## Example
    /// ```yaml
    /// fields:
    ///   - name: pers_sex
    ///     type: string
    ///   - name: pers_gender
    ///     type: string
    ///     renamed_from: [pers_sex]
    /// ```
    /// Use instead: name only what the element was called before, and no longer exists.
    /// ```yaml
    /// fields:
    ///   - name: pers_gender
    ///     type: string
    ///     renamed_from: [pers_sex]
    /// ```
    pub struct InvalidRename { id: "invalid-rename", severity: Error, recommended: true, since: "0.1.0" }
}

/// One element of a scope in which names are unique, with what its renames are checked against.
struct Member<'a> {
    name: &'a str,
    renamed_from: &'a [String],
    /// Its mapping; each entry of `renamed_from` is located under it.
    at: Location,
    path: ElementPath,
}

impl<'a> From<Element<'a>> for Member<'a> {
    fn from(element: Element<'a>) -> Self {
        Member {
            name: element.name(),
            renamed_from: element.renamed_from(),
            at: element.location(),
            path: element.path(),
        }
    }
}

impl Rule for InvalidRename {
    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        let catalog = cx.catalog;
        let scope = |elements: Vec<Element<'_>>, what, scope, out: &mut Vec<Finding>| {
            check_scope(
                elements.into_iter().map(Member::from).collect(),
                what,
                scope,
                out,
            );
        };
        for s in catalog.standards.values() {
            let entities = s.entities.iter().map(|e| Element::Entity(s, e)).collect();
            scope(entities, "entity", "this standard", out);
            let lists = s
                .codelists
                .iter()
                .map(|l| Element::CodeList(s, l))
                .collect();
            scope(lists, "code list", "this standard", out);
            scope(s.rules().collect(), "rule", "this standard", out);
        }
        for (s, e) in catalog.entities() {
            let fields = e
                .value
                .fields
                .iter()
                .map(|f| Element::Field(s, e, f))
                .collect();
            scope(fields, "field", "this entity", out);
        }
        for (s, l) in catalog.codelists() {
            let codes = l
                .value
                .codes
                .iter()
                .map(|c| Element::Code(s, l, c))
                .collect();
            scope(codes, "code", "this list", out);
        }
    }
}

/// Checks the renames of the members of one scope: `what` names a member's kind, `scope` the
/// scope in words.
fn check_scope(members: Vec<Member<'_>>, what: &str, scope: &str, out: &mut Vec<Finding>) {
    let by_name: HashMap<&str, &Member<'_>> = members.iter().map(|m| (m.name, m)).collect();
    for member in &members {
        for (i, old) in member.renamed_from.iter().enumerate() {
            let at = member.at.clone().key("renamed_from").index(i);
            let name = member.name;
            let finding = if old == name {
                Finding::new(
                    at,
                    member.path.clone(),
                    format!("{what} `{name}` is renamed from itself"),
                )
                .help("remove it from `renamed_from`: an element keeps its own name")
            } else if by_name.contains_key(old.as_str()) {
                match cycle(&by_name, name, old) {
                    Some(chain) => Finding::new(
                        at,
                        member.path.clone(),
                        format!("renames form a cycle: {}", chain.join(" ← ")),
                    )
                    .help("each name can be the earlier name of one element only, once"),
                    None => Finding::new(
                        at,
                        member.path.clone(),
                        format!(
                            "`renamed_from` names {what} `{old}`, which still exists in {scope}"
                        ),
                    )
                    .help(format!(
                        "a rename removes the old name: remove `{old}` from `renamed_from`, or \
                         remove {what} `{old}` if `{name}` replaces it"
                    )),
                }
            } else {
                continue;
            };
            out.push(finding);
        }
    }
}

/// The chain `start ← first ← … ← start` when following the renames of existing members from
/// `first` leads back to `start`, written as the names in order.
fn cycle<'a>(
    by_name: &HashMap<&str, &Member<'a>>,
    start: &'a str,
    first: &'a str,
) -> Option<Vec<&'a str>> {
    let mut chain = vec![start];
    let mut stack = vec![(first, 0usize)];
    // A depth-first walk, at most one visit per member: scopes hold a few hundred names.
    let mut visited = vec![start];
    while let Some((name, depth)) = stack.pop() {
        chain.truncate(depth + 1);
        chain.push(name);
        let Some(member) = by_name.get(name) else {
            continue;
        };
        for old in member.renamed_from {
            if old == start {
                chain.push(start);
                return Some(chain);
            }
            if by_name.contains_key(old.as_str()) && !visited.contains(&old.as_str()) {
                visited.push(old);
                stack.push((old, depth + 1));
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::run;

    fn entity(fields: &str) -> (&'static str, String) {
        (
            "standards/demo/entities/person.yaml",
            format!(
                "name: person\nprimary_key: [id]\nfields:\n  - name: id\n    type: string\n{fields}"
            ),
        )
    }

    fn found(files: &[(&str, String)]) -> Vec<String> {
        let files: Vec<(&str, &str)> = files.iter().map(|(p, t)| (*p, t.as_str())).collect();
        run("invalid-rename", &files)
    }

    #[test]
    fn fires_on_a_field_renamed_from_itself() {
        let (path, text) =
            entity("  - name: sex\n    type: string\n    renamed_from: [gender, sex]\n");
        assert_eq!(
            found(&[(path, text)]),
            vec!["standards/demo/entities/person.yaml:8:28 field `sex` is renamed from itself"]
        );
    }

    #[test]
    fn fires_on_a_field_renamed_from_a_sibling_that_still_exists() {
        let (path, text) = entity("  - name: sex\n    type: string\n    renamed_from: [id]\n");
        assert_eq!(
            found(&[(path, text)]),
            vec![
                "standards/demo/entities/person.yaml:8:20 `renamed_from` names field `id`, which still exists in this entity"
            ]
        );
    }

    #[test]
    fn fires_on_a_cycle_of_renames_at_each_member() {
        let (path, text) = entity(concat!(
            "  - name: a\n    type: string\n    renamed_from: [b]\n",
            "  - name: b\n    type: string\n    renamed_from: [c]\n",
            "  - name: c\n    type: string\n    renamed_from: [a]\n",
        ));
        assert_eq!(
            found(&[(path, text)]),
            vec![
                "standards/demo/entities/person.yaml:8:20 renames form a cycle: a ← b ← c ← a",
                "standards/demo/entities/person.yaml:11:20 renames form a cycle: b ← c ← a ← b",
                "standards/demo/entities/person.yaml:14:20 renames form a cycle: c ← a ← b ← c",
            ]
        );
    }

    #[test]
    fn fires_on_entities_code_lists_and_codes() {
        let files = [
            (
                "standards/demo/entities/person.yaml",
                "name: person\nrenamed_from: [person]\nprimary_key: [id]\nfields:\n  - name: id\n    type: string\n".to_owned(),
            ),
            (
                "standards/demo/entities/child.yaml",
                "name: child\nrenamed_from: [person]\nprimary_key: [id]\nfields:\n  - name: id\n    type: string\n".to_owned(),
            ),
            (
                "standards/demo/codelists/sex.yaml",
                "name: sex\nrenamed_from: [gender]\ncodes:\n  - code: M\n  - code: F\n    renamed_from: [M]\n".to_owned(),
            ),
            (
                "standards/demo/codelists/gender.yaml",
                "name: gender\ncodes:\n  - code: X\n".to_owned(),
            ),
            (
                "standards/demo/rules/101.yaml",
                "code: \"101\"\ntitle: T\nseverity: error\nentity: child\ncheck: TRUE\n".to_owned(),
            ),
            (
                "standards/demo/rules/102.yaml",
                "code: \"102\"\nrenamed_from: [\"101\"]\ntitle: T\nseverity: error\nentity: child\ncheck: TRUE\n".to_owned(),
            ),
        ];
        assert_eq!(
            found(&files),
            vec![
                "standards/demo/codelists/sex.yaml:2:16 `renamed_from` names code list `gender`, which still exists in this standard",
                "standards/demo/codelists/sex.yaml:6:20 `renamed_from` names code `M`, which still exists in this list",
                "standards/demo/entities/child.yaml:2:16 `renamed_from` names entity `person`, which still exists in this standard",
                "standards/demo/entities/person.yaml:2:16 entity `person` is renamed from itself",
                "standards/demo/rules/102.yaml:2:16 `renamed_from` names rule `101`, which still exists in this standard",
            ]
        );
    }

    #[test]
    fn is_silent_on_renames_from_names_that_are_gone() {
        let (path, text) = entity(concat!(
            "  - name: sex\n    type: string\n    renamed_from: [gender, pers_gender]\n",
            "  - name: dob\n    type: date\n    renamed_from: [birth_date]\n",
        ));
        // The same old name in another entity or another standard is no sibling.
        let other = (
            "standards/demo/entities/carer.yaml",
            "name: carer\nprimary_key: [id]\nfields:\n  - name: id\n    type: string\n    renamed_from: [sex]\n".to_owned(),
        );
        assert!(found(&[(path, text), other]).is_empty());
    }
}
