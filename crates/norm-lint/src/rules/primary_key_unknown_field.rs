//! The `primary-key-unknown-field` rule.
use norm_model::{ElementPath, Location, yaml::did_you_mean};

use crate::{Context, Finding, Rule};

crate::declare_rule! {
    /// ## What it does
    /// Reports a `primary_key` or `unique_keys` entry that names a field the entity does not
    /// have.
    ///
    /// ## Why is this bad?
    /// The key cannot be enforced, and usually a field was renamed without updating the key.
    ///
    /// ## Example
    /// ```yaml
    /// primary_key: [person_id]
    /// fields:
    ///   - name: pers_person_id
    /// ```
    /// Use instead:
    /// ```yaml
    /// primary_key: [pers_person_id]
    /// fields:
    ///   - name: pers_person_id
    /// ```
    pub struct PrimaryKeyUnknownField { id: "primary-key-unknown-field", severity: Error, recommended: true, since: "0.1.0" }
}

impl Rule for PrimaryKeyUnknownField {
    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        let catalog = cx.catalog;
        for (standard, entity) in catalog.entities() {
            let id = standard.id();
            let names: Vec<&str> = entity
                .value
                .fields
                .iter()
                .map(|f| f.name.as_str())
                .collect();
            let path = ElementPath::entity(id, &entity.value.name);
            let mut check = |name: &str, at: Location, key: &str| {
                if !names.contains(&name) {
                    let finding = Finding::new(
                        at,
                        path.clone(),
                        format!(
                            "{key} names `{name}`, which is not a field of `{}`",
                            entity.value.name
                        ),
                    );
                    out.push(match did_you_mean(name, &names) {
                        Some(s) => finding.help(format!("did you mean `{s}`?")),
                        None => finding,
                    });
                }
            };
            for (i, name) in entity.value.primary_key.iter().enumerate() {
                check(
                    name,
                    Location::file(entity.file).key("primary_key").index(i),
                    "primary key",
                );
            }
            for (k, key) in entity.value.unique_keys.iter().enumerate() {
                for (i, name) in key.iter().enumerate() {
                    check(
                        name,
                        Location::file(entity.file)
                            .key("unique_keys")
                            .index(k)
                            .index(i),
                        "unique key",
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
    fn fires_on_keys_naming_missing_fields() {
        let found = run(
            "primary-key-unknown-field",
            &[(
                "standards/demo/entities/a.yaml",
                "name: a\nprimary_key: [idd]\nunique_keys: [[id, legacy]]\nfields:\n  - name: id\n    type: string\n",
            )],
        );
        assert_eq!(
            found,
            vec![
                "standards/demo/entities/a.yaml:2:15 primary key names `idd`, which is not a field of `a`",
                "standards/demo/entities/a.yaml:3:20 unique key names `legacy`, which is not a field of `a`",
            ]
        );
    }

    #[test]
    fn is_silent_when_keys_name_fields() {
        let found = run(
            "primary-key-unknown-field",
            &[(
                "standards/demo/entities/a.yaml",
                "name: a\nprimary_key: [id]\nunique_keys: [[id]]\nfields:\n  - name: id\n    type: string\n",
            )],
        );
        assert!(found.is_empty());
    }
}
