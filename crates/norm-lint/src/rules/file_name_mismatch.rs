//! The `file-name-mismatch` rule.
use norm_model::{ElementKind, ElementPath, Location};

use crate::{Context, Finding, Rule};

crate::declare_rule! {
    /// ## What it does
    /// Reports an entity or code list whose `name` differs from its file name, a validation
    /// rule whose `code` differs from its file name, and a standard whose `id` differs from its
    /// folder name.
    ///
    /// ## Why is this bad?
    /// References and URLs are built from names, while people find files by their names; when
    /// the two differ, an edit lands in the wrong place and links break.
    ///
    /// ## Example
    /// ```yaml
    /// # standards/ssd/entities/person.yaml
    /// name: ssd_person
    /// ```
    /// Use instead: rename the file to `standards/ssd/entities/ssd_person.yaml`.
    pub struct FileNameMismatch { id: "file-name-mismatch", severity: Error, recommended: true, since: "0.1.0" }
}

impl Rule for FileNameMismatch {
    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        let catalog = cx.catalog;
        for standard in catalog.standards.values() {
            if let Some(meta) = &standard.meta
                && meta.value.id != standard.dir
            {
                out.push(
                    Finding::new(
                        Location::file(meta.file).key("id"),
                        ElementPath::standard(standard.id()),
                        format!(
                            "standard id `{}` differs from its folder name `{}`",
                            meta.value.id, standard.dir
                        ),
                    )
                    .help(format!(
                        "rename the folder to standards/{}/ or set `id: {}`",
                        meta.value.id, standard.dir
                    )),
                );
            }
        }
        // Entities, code lists and rules are each a file of their own, named after them.
        for e in catalog.elements() {
            let key = match e.kind() {
                ElementKind::Entity | ElementKind::CodeList => "name",
                ElementKind::Rule => "code",
                _ => continue,
            };
            let location = e.location();
            let stem = catalog
                .file(location.file)
                .path
                .rsplit('/')
                .next()
                .unwrap_or_default()
                .trim_end_matches(".yaml");
            let name = e.name();
            if stem != name {
                out.push(
                    Finding::new(
                        location.key(key),
                        e.path(),
                        format!(
                            "{} `{name}` is in a file named `{stem}.yaml`",
                            e.kind().noun()
                        ),
                    )
                    .help(format!(
                        "rename the file to `{name}.yaml` or set `{key}: {stem}`"
                    )),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::run;

    #[test]
    fn fires_on_mismatched_names() {
        let found = run(
            "file-name-mismatch",
            &[
                (
                    "standards/demo/standard.yaml",
                    "id: demo-2\ntitle: D\nversion: 1.0.0\n",
                ),
                ("standards/demo/entities/person.yaml", "name: ssd_person\n"),
                ("standards/demo/codelists/sex.yaml", "name: gender\n"),
                (
                    "standards/demo/rules/101.yaml",
                    "code: \"102\"\ntitle: T\nseverity: error\nentity: e\ncheck: TRUE\n",
                ),
            ],
        );
        assert_eq!(
            found,
            vec![
                "standards/demo/codelists/sex.yaml:1:7 code list `gender` is in a file named `sex.yaml`",
                "standards/demo/entities/person.yaml:1:7 entity `ssd_person` is in a file named `person.yaml`",
                "standards/demo/rules/101.yaml:1:7 rule `102` is in a file named `101.yaml`",
                "standards/demo/standard.yaml:1:5 standard id `demo-2` differs from its folder name `demo`",
            ]
        );
    }

    #[test]
    fn is_silent_when_names_match() {
        let found = run(
            "file-name-mismatch",
            &[
                ("standards/demo/entities/person.yaml", "name: person\n"),
                (
                    "standards/demo/rules/101.yaml",
                    "code: \"101\"\ntitle: T\nseverity: error\nentity: e\ncheck: TRUE\n",
                ),
            ],
        );
        assert!(found.is_empty());
    }
}
