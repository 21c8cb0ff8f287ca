//! The `dangling-reference` rule.
use norm_model::element::field_location;
use norm_model::reference::CodeListRef;
use norm_model::yaml::did_you_mean;
use norm_model::{Catalog, ElementPath, Location, Standard, Unresolved};

use crate::{Context, Finding, Rule};

crate::declare_rule! {
    /// ## What it does
    /// Reports a `codelist` or `references` that points at nothing: an unknown code list,
    /// entity or field; another standard that is not in `requires`; or a standard whose
    /// current version is outside the `requires` range. The help line suggests what was most
    /// likely meant, written as a reference: a close name, qualified with its standard
    /// (`csc-codes/sex` for `csc-codes/sexx`, `csc-code/sex` or a bare `sex` that only
    /// `csc-codes` holds). It asks for a `requires` entry only when the target would then be
    /// found.
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
                // `requires` is only worth adding when the list would then be found.
                let why = match why {
                    Unresolved::NotRequired(_) | Unresolved::OutOfRange { .. }
                        if catalog.find_codelist(id, target).is_none() =>
                    {
                        Unresolved::UnknownElement(None)
                    }
                    other => other,
                };
                let reference = Reference {
                    from: id,
                    target,
                    what: "code list",
                    hint: codelist_hint(catalog, id, target).map(|s| hint(catalog, id, &s)),
                    note: no_codelists_note(catalog, target),
                };
                out.push(explain(
                    why,
                    &reference,
                    at.clone().key("codelist"),
                    path.clone(),
                ));
            }
            if let Some(target) = &field.references
                && let Err(why) = catalog.resolve_field(id, target)
                && !matches!(why, Unresolved::Unloaded(_))
            {
                let why = match why {
                    why @ (Unresolved::NotRequired(_) | Unresolved::OutOfRange { .. }) => {
                        catalog.find_field(id, target).err().unwrap_or(why)
                    }
                    other => other,
                };
                let suggestion = match &why {
                    Unresolved::UnknownElement(Some(s)) => Some(qualified(target, s)),
                    _ => None,
                };
                let reference = Reference {
                    from: id,
                    target,
                    what: "field",
                    hint: suggestion.map(|s| hint(catalog, id, &s)),
                    note: String::new(),
                };
                out.push(explain(why, &reference, at.key("references"), path.clone()));
            }
        }
    }
}

/// A reference that does not resolve, with what can be said to fix it.
struct Reference<'a> {
    /// The standard it is written in.
    from: &'a str,
    /// The reference as written.
    target: &'a str,
    /// `code list` or `field`.
    what: &'a str,
    /// The help line for an unknown standard or element: a did-you-mean.
    hint: Option<String>,
    /// Said after "does not exist", when there is more to say.
    note: String,
}

fn explain(why: Unresolved, r: &Reference<'_>, at: Location, path: ElementPath) -> Finding {
    let Reference {
        from, target, what, ..
    } = r;
    let with_hint = |finding: Finding| match &r.hint {
        Some(h) => finding.help(h.clone()),
        None => finding,
    };
    match why {
        Unresolved::Malformed(message) => Finding::new(at, path, message),
        Unresolved::Unloaded(file) => Finding::new(
            at,
            path,
            format!("{what} `{target}` is in {file}, which did not load"),
        ),
        Unresolved::UnknownStandard(s) => with_hint(Finding::new(
            at,
            path,
            format!("{what} `{target}` is in standard `{s}`, which does not exist in this repository"),
        )),
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
        Unresolved::UnknownElement(_) => with_hint(Finding::new(
            at,
            path,
            format!("{what} `{target}` does not exist{}", r.note),
        )),
    }
}

/// `suggestion` (a name the model found in the standard `target` names) written as `target`
/// was: qualified with the standard when `target` is.
fn qualified(target: &str, suggestion: &str) -> String {
    match target.split_once('/') {
        Some((standard, _)) => format!("{standard}/{suggestion}"),
        None => suggestion.to_owned(),
    }
}

/// "did you mean …?", and the `requires` entry the suggestion also needs, if any.
fn hint(catalog: &Catalog, from: &str, suggestion: &str) -> String {
    let standard = suggestion.split_once('/').map(|(s, _)| s);
    let required = |s: &str| {
        s == from
            || catalog
                .standards
                .get(from)
                .and_then(|f| f.meta.as_ref())
                .is_some_and(|m| m.value.requires.contains_key(s))
    };
    match standard {
        Some(s) if !required(s) => format!(
            "did you mean `{suggestion}`? Add `{s}` to `requires` in standards/{from}/standard.yaml too"
        ),
        _ => format!("did you mean `{suggestion}`?"),
    }
}

/// The code list a reference from `from` most likely meant, written as a reference: a close
/// name in the standard it names (or in `from`), else in the standard whose id is closest to a
/// misspelt one, else the same name in another standard, those `from` requires first.
fn codelist_hint(catalog: &Catalog, from: &str, target: &str) -> Option<String> {
    let r = CodeListRef::parse(target).ok()?;
    let close = |s: &Standard| {
        let names: Vec<&str> = s.codelists.iter().map(|c| c.value.name.as_str()).collect();
        did_you_mean(r.name, &names).map(str::to_owned)
    };
    match r.standard {
        None => {
            if let Some(name) = catalog.standards.get(from).and_then(close) {
                return Some(name);
            }
        }
        Some(id) => match catalog.standards.get(id) {
            Some(standard) => {
                if let Some(name) = close(standard) {
                    return Some(format!("{id}/{name}"));
                }
            }
            None => {
                let ids: Vec<&str> = catalog.standards.keys().map(String::as_str).collect();
                if let Some(standard) =
                    did_you_mean(id, &ids).and_then(|s| catalog.standards.get(s))
                    && let Some(name) = close(standard)
                {
                    return Some(format!("{}/{name}", standard.id()));
                }
            }
        },
    }
    let requires = catalog
        .standards
        .get(from)
        .and_then(|s| s.meta.as_ref())
        .map(|m| &m.value.requires);
    let mut holders: Vec<&Standard> = catalog
        .standards
        .values()
        .filter(|s| s.id() != from && Some(s.id()) != r.standard && s.codelist(r.name).is_some())
        .collect();
    holders.sort_by_key(|s| !requires.is_some_and(|req| req.contains_key(s.id())));
    holders.first().map(|s| format!("{}/{}", s.id(), r.name))
}

/// ": `S` has no code lists", when the reference names a standard `S` that exists and has none.
fn no_codelists_note(catalog: &Catalog, target: &str) -> String {
    let Some(standard) = CodeListRef::parse(target)
        .ok()
        .and_then(|r| r.standard)
        .and_then(|id| catalog.standards.get(id))
    else {
        return String::new();
    };
    if standard.codelists.is_empty() {
        format!(": `{}` has no code lists", standard.id())
    } else {
        String::new()
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::{run, run_with_help};

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

    /// A repository like ours: `csc-codes` holds `sex`, `cin-census` has no code lists, and
    /// `demo` requires `csc-codes`; `other` requires nothing.
    fn hints(codelist: &str, from: &str) -> Vec<String> {
        let entity =
            format!("name: a\nfields:\n  - name: x\n    type: code\n    codelist: {codelist}\n");
        let path = format!("standards/{from}/entities/a.yaml");
        run_with_help(
            "dangling-reference",
            &[
                (
                    "standards/csc-codes/standard.yaml",
                    "id: csc-codes\ntitle: Codes\nversion: 1.2.0\n",
                ),
                (
                    "standards/csc-codes/codelists/sex.yaml",
                    "name: sex\ncodes: []\n",
                ),
                (
                    "standards/csc-codes/codelists/ethnicity.yaml",
                    "name: ethnicity\ncodes: []\n",
                ),
                (
                    "standards/cin-census/standard.yaml",
                    "id: cin-census\ntitle: CIN\nversion: 1.0.0\n",
                ),
                (
                    "standards/demo/standard.yaml",
                    "id: demo\ntitle: D\nversion: 1.0.0\nrequires: { csc-codes: \"^1.0\" }\n",
                ),
                (
                    "standards/other/standard.yaml",
                    "id: other\ntitle: O\nversion: 1.0.0\n",
                ),
                (&path, &entity),
            ],
        )
    }

    #[test]
    fn fires_with_the_qualified_list_another_standard_holds() {
        assert_eq!(
            hints("sex", "demo"),
            vec![
                "standards/demo/entities/a.yaml:5:15 code list `sex` does not exist (help: did you mean `csc-codes/sex`?)"
            ]
        );
        assert_eq!(
            hints("sex", "other"),
            vec![
                "standards/other/entities/a.yaml:5:15 code list `sex` does not exist (help: did you mean `csc-codes/sex`? Add `csc-codes` to `requires` in standards/other/standard.yaml too)"
            ]
        );
    }

    #[test]
    fn fires_with_a_qualified_did_you_mean_for_a_misspelt_list() {
        assert_eq!(
            hints("csc-codes/sexx", "demo"),
            vec![
                "standards/demo/entities/a.yaml:5:15 code list `csc-codes/sexx` does not exist (help: did you mean `csc-codes/sex`?)"
            ]
        );
    }

    #[test]
    fn fires_with_a_did_you_mean_for_a_misspelt_standard() {
        assert_eq!(
            hints("csc-code/sex", "demo"),
            vec![
                "standards/demo/entities/a.yaml:5:15 code list `csc-code/sex` is in standard `csc-code`, which does not exist in this repository (help: did you mean `csc-codes/sex`?)"
            ]
        );
    }

    #[test]
    fn fires_without_asking_for_requires_when_the_list_is_not_there_either() {
        assert_eq!(
            hints("cin-census/sex", "demo"),
            vec![
                "standards/demo/entities/a.yaml:5:15 code list `cin-census/sex` does not exist: `cin-census` has no code lists (help: did you mean `csc-codes/sex`?)"
            ]
        );
    }
}
