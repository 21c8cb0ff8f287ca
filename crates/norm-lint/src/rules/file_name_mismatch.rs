//! The `file-name-mismatch` rule.
use norm_model::{ElementPath, Location};

use crate::{Context, Finding, Rule};

crate::declare_rule! {
    /// ## What it does
    /// Reports an entity or code list whose `name` differs from its file name, and a standard
    /// whose `id` differs from its folder name.
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
        let mut check = |file: usize, name: &str, path: ElementPath, what: &str| {
            let file_path = &catalog.file(file).path;
            let stem = file_path
                .rsplit('/')
                .next()
                .unwrap_or_default()
                .trim_end_matches(".yaml");
            if stem != name {
                out.push(
                    Finding::new(
                        Location::file(file).key("name"),
                        path,
                        format!("{what} `{name}` is in a file named `{stem}.yaml`"),
                    )
                    .help(format!(
                        "rename the file to `{name}.yaml` or set `name: {stem}`"
                    )),
                );
            }
        };
        for (standard, e) in catalog.entities() {
            let id = standard.id();
            check(
                e.file,
                &e.value.name,
                ElementPath::entity(id, &e.value.name),
                "entity",
            );
        }
        for (standard, c) in catalog.codelists() {
            let id = standard.id();
            check(
                c.file,
                &c.value.name,
                ElementPath::codelist(id, &c.value.name),
                "code list",
            );
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
            ],
        );
        assert_eq!(
            found,
            vec![
                "standards/demo/codelists/sex.yaml:1:7 code list `gender` is in a file named `sex.yaml`",
                "standards/demo/entities/person.yaml:1:7 entity `ssd_person` is in a file named `person.yaml`",
                "standards/demo/standard.yaml:1:5 standard id `demo-2` differs from its folder name `demo`",
            ]
        );
    }

    #[test]
    fn is_silent_when_names_match() {
        let found = run(
            "file-name-mismatch",
            &[("standards/demo/entities/person.yaml", "name: person\n")],
        );
        assert!(found.is_empty());
    }
}
