//! Diagnostics the loader and the configuration reader emit. They are always on: a file that
//! cannot be read cannot be linted.

use norm_model::LoaderRule;

use crate::RuleMeta;

crate::declare_rule! {
    /// ## What it does
    /// Reports a file that is not valid YAML: a syntax error, an empty file, a file that is not
    /// UTF-8, more than one document, or aliases that expand beyond reason (more than 8 MiB
    /// copied, or a million nodes in all).
    ///
    /// The error points at the character that is wrong (the tab, the `[` never closed, the
    /// quote never closed, the `:` inside a value) and says how to fix it.
    ///
    /// ## Why is this bad?
    /// norm cannot read anything from the file, so its entity or code list is missing from every
    /// report and from the site.
    ///
    /// ## Example
    /// ```yaml
    /// fields:
    /// 	- name: pers_person_id   # indented with a tab
    /// ```
    /// Use instead:
    /// ```yaml
    /// fields:
    ///   - name: pers_person_id
    /// ```
    pub struct SyntaxError { id: "syntax-error", severity: Error, recommended: true, since: "0.1.0" }
}

crate::declare_rule! {
    /// ## What it does
    /// Reports a key that appears twice in the same mapping. The first one is kept.
    ///
    /// ## Why is this bad?
    /// YAML forbids it, and tools disagree on which value wins.
    ///
    /// ## Example
    /// ```yaml
    /// title: Person
    /// title: Child
    /// ```
    /// Use instead:
    /// ```yaml
    /// title: Person
    /// ```
    pub struct DuplicateKey { id: "duplicate-key", severity: Error, recommended: true, since: "0.1.0" }
}

crate::declare_rule! {
    /// ## What it does
    /// Reports a key that the format does not have, with the closest allowed key.
    ///
    /// A key close to one that the mapping lacks (`verison`, `requried`) is then read as that
    /// key, so the typo is the one error: the key is not also reported missing, and no rule
    /// judges the element as if the value were absent.
    ///
    /// ## Why is this bad?
    /// A misspelt key is silently ignored by every consumer: `titel: Person` leaves the entity
    /// without a title.
    ///
    /// ## Example
    /// ```yaml
    /// titel: Person
    /// ```
    /// Use instead:
    /// ```yaml
    /// title: Person
    /// ```
    pub struct UnknownKey { id: "unknown-key", severity: Error, recommended: true, since: "0.1.0" }
}

crate::declare_rule! {
    /// ## What it does
    /// Reports a value of the wrong kind: a string where a list belongs, an unknown `type` or
    /// `status`, `required: yes` instead of `true`.
    ///
    /// YAML 1.2 reads `yes`, `no`, `on` and `off` as text. Where a boolean belongs they are
    /// reported with the word to write instead, then read as meant.
    ///
    /// ## Why is this bad?
    /// The value is ignored, so the element loads without it.
    ///
    /// ## Example
    /// ```yaml
    /// primary_key: pers_person_id
    /// ```
    /// Use instead:
    /// ```yaml
    /// primary_key: [pers_person_id]
    /// ```
    pub struct InvalidValue { id: "invalid-value", severity: Error, recommended: true, since: "0.1.0" }
}

crate::declare_rule! {
    /// ## What it does
    /// Reports a required key that is missing: a field without `name`, a standard without
    /// `title`, a standard folder without `standard.yaml`.
    ///
    /// ## Why is this bad?
    /// Without its identity an element cannot be referenced, diffed or documented; it is left
    /// out.
    ///
    /// ## Example
    /// ```yaml
    /// fields:
    ///   - title: Person ID
    ///     type: string
    /// ```
    /// Use instead:
    /// ```yaml
    /// fields:
    ///   - name: pers_person_id
    ///     title: Person ID
    ///     type: string
    /// ```
    pub struct MissingKey { id: "missing-key", severity: Error, recommended: true, since: "0.1.0" }
}

crate::declare_rule! {
    /// ## What it does
    /// Reports a file that norm will not read: larger than 4 MiB, a symbolic link, a folder with
    /// a `.yaml` name, a named pipe, socket or device file, or unreadable.
    ///
    /// ## Why is this bad?
    /// Its content is missing from every report. Links are never followed, because git stores a
    /// link rather than its target, so the working tree and the history would disagree. Named
    /// pipes and devices are never opened: reading one can wait for ever.
    ///
    /// ## Example
    /// A link `standards/ssd/entities/person.yaml -> /home/me/person.yaml`.
    ///
    /// Use instead: copy the file into the repository.
    pub struct UnreadableFile { id: "unreadable-file", severity: Error, recommended: true, since: "0.1.0" }
}

crate::declare_rule! {
    /// ## What it does
    /// Reports a YAML file under `standards/` that is not `standard.yaml`,
    /// `entities/<name>.yaml` or `codelists/<name>.yaml`.
    ///
    /// ## Why is this bad?
    /// norm does not read it, which is rarely what its author meant (a `.yml` extension, a file
    /// in the wrong folder).
    ///
    /// ## Example
    /// `standards/ssd/entities/person.yml`
    ///
    /// Use instead: `standards/ssd/entities/person.yaml`
    pub struct UnexpectedFile { id: "unexpected-file", severity: Warning, recommended: true, since: "0.1.0" }
}

crate::declare_rule! {
    /// ## What it does
    /// Reports a YAML tag (`!include`, `!!python/object:...`, any local `!name`), on a value, a
    /// list or a mapping. The one tag read is the core schema's `!!str`, which keeps a value as
    /// text, as quotes do.
    ///
    /// ## Why is this bad?
    /// A tag asks the loader to construct something: include another file, build an object,
    /// run code. norm reads data only, so it would ignore the tag, and the value would mean
    /// something else to norm than to the tool the tag was written for. Standards files need no
    /// tags.
    ///
    /// ## Example
    /// ```yaml
    /// description: !include person.md
    /// ```
    /// Use instead:
    /// ```yaml
    /// description: A person known to children's social care.
    /// ```
    pub struct UnsupportedTag { id: "unsupported-tag", severity: Error, recommended: true, since: "0.1.0" }
}

crate::declare_rule! {
    /// ## What it does
    /// Reports a rule id in `norm.yaml` `lint.rules` that no rule has.
    ///
    /// ## Why is this bad?
    /// The setting does nothing; usually the id is misspelt.
    ///
    /// ## Example
    /// ```yaml
    /// lint:
    ///   rules: { dangling-refs: warn }
    /// ```
    /// Use instead:
    /// ```yaml
    /// lint:
    ///   rules: { dangling-reference: warn }
    /// ```
    pub struct UnknownRule { id: "unknown-rule", severity: Error, recommended: true, since: "0.1.0" }
}

crate::declare_rule! {
    /// ## What it does
    /// Reports a suppression in `norm.yaml` `lint.allow` that matches no finding. Nothing is
    /// reported while a file does not parse: the finding may be in, or depend on, that file.
    ///
    /// ## Why is this bad?
    /// Suppressions rot: once the finding is fixed or the element renamed, a stale entry hides
    /// nothing but still reads as an accepted problem.
    ///
    /// ## Example
    /// ```yaml
    /// lint:
    ///   allow:
    ///     - rule: missing-primary-key
    ///       path: ssd/entities/removed_table
    ///       reason: Log table.
    /// ```
    /// Use instead: delete the entry.
    pub struct UnusedAllow { id: "unused-allow", severity: Warning, recommended: true, since: "0.1.0" }
}

/// The declaration of each of the loader's rules. A match, so that a new [`LoaderRule`] does
/// not compile without its declaration and documentation.
pub fn loader(rule: LoaderRule) -> &'static RuleMeta {
    match rule {
        LoaderRule::SyntaxError => &SyntaxError::META,
        LoaderRule::DuplicateKey => &DuplicateKey::META,
        LoaderRule::UnknownKey => &UnknownKey::META,
        LoaderRule::InvalidValue => &InvalidValue::META,
        LoaderRule::MissingKey => &MissingKey::META,
        LoaderRule::UnreadableFile => &UnreadableFile::META,
        LoaderRule::UnexpectedFile => &UnexpectedFile::META,
        LoaderRule::UnsupportedTag => &UnsupportedTag::META,
    }
}

/// The rules of the configuration reader: findings about `norm.yaml`'s `lint` settings, made by
/// norm-lint itself rather than by the loader.
pub static CONFIG: &[&RuleMeta] = &[&UnknownRule::META, &UnusedAllow::META];

/// The declarations of the built-in diagnostics: the loader's, then the configuration
/// reader's.
pub fn all() -> impl Iterator<Item = &'static RuleMeta> {
    LoaderRule::ALL
        .into_iter()
        .map(loader)
        .chain(CONFIG.iter().copied())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_loader_rule_is_declared_with_docs_and_no_id_is_declared_twice() {
        for rule in LoaderRule::ALL {
            let meta = loader(rule);
            assert_eq!(meta.id, rule.as_str());
            assert!(
                meta.docs.contains("## What it does"),
                "{} has no docs",
                meta.id
            );
        }
        let mut ids: Vec<&str> = all().map(|m| m.id).collect();
        assert_eq!(ids.len(), LoaderRule::ALL.len() + CONFIG.len());
        ids.sort();
        ids.dedup();
        assert_eq!(
            ids.len(),
            LoaderRule::ALL.len() + CONFIG.len(),
            "an id twice"
        );
        // The declarations of this file are exactly the loader's and the configuration's.
        let declared = include_str!("builtin.rs").matches("pub struct ").count() - 1;
        assert_eq!(declared, ids.len());
    }

    /// The errors of a whole lint run, as `file:line rule`.
    fn errors(files: &[(&str, &str)]) -> Vec<String> {
        let blobs = files
            .iter()
            .map(|(path, text)| norm_model::Blob {
                path: (*path).into(),
                bytes: text.as_bytes().to_vec(),
            })
            .collect();
        let catalog = norm_model::Catalog::load(blobs);
        let mut out: Vec<String> = crate::lint(&catalog)
            .diagnostics
            .iter()
            .filter(|d| d.severity == norm_model::Severity::Error)
            .map(|d| format!("{}:{} {}", d.file, d.span.map_or(0, |s| s.line), d.rule))
            .collect();
        out.sort();
        out
    }

    #[test]
    fn one_typo_is_one_error_in_a_whole_lint_run() {
        let found = errors(&[
            ("norm.yaml", "site: { title: Demo }\n"),
            (
                "standards/demo/standard.yaml",
                "id: demo\ntitle: Demo\nverison: 1.0.0\n",
            ),
            (
                "standards/demo/entities/person.yaml",
                "name: person\nprimary_key: [id]\nfields:\n  - name: id\n    tpye: string\n    \
                 requried: true\n  - name: other\n    type: string\n    required: yes\n",
            ),
        ]);
        assert_eq!(
            found,
            [
                "standards/demo/entities/person.yaml:5 unknown-key",
                "standards/demo/entities/person.yaml:6 unknown-key",
                "standards/demo/entities/person.yaml:9 invalid-value",
                "standards/demo/standard.yaml:3 unknown-key",
            ],
            "no missing-key, invalid-version or primary-key-not-required on top"
        );
    }
}
