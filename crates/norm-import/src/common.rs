//! What several formats build the same way: blank model values, names normalised with a note,
//! and code lists from lists of allowed values.

use norm_model::model::{Source, StandardStatus};
use norm_model::yaml::Node;
use norm_model::{Code, CodeList, Entity, Field, StandardMeta};

use crate::ImportError;
use crate::names::{kebab_case, snake_case};
use crate::source::Reading;

/// A field with only its name.
pub(crate) fn field(name: String) -> Field {
    Field {
        name,
        item: None,
        column: None,
        title: None,
        description: None,
        field_type: None,
        required: false,
        multiple: false,
        codelist: None,
        references: None,
        constraints: None,
        examples: Vec::new(),
        used_by: Vec::new(),
        mappings: Vec::new(),
        status: None,
        deprecation: None,
        renamed_from: Vec::new(),
        since: None,
        position: 0,
    }
}

/// An entity with only its name.
pub(crate) fn entity(name: String) -> Entity {
    Entity {
        name,
        title: None,
        description: None,
        status: None,
        deprecation: None,
        renamed_from: Vec::new(),
        primary_key: Vec::new(),
        unique_keys: Vec::new(),
        data: None,
        fields: Vec::new(),
    }
}

/// A draft standard at 0.1.0: an imported standard is new to norm, whatever the source's age.
pub(crate) fn standard(id: String, title: String, source: Source) -> StandardMeta {
    StandardMeta {
        id,
        title: Some(title),
        version: Some("0.1.0".into()),
        status: Some(StandardStatus::Draft),
        summary: None,
        description: None,
        owner: None,
        licence: None,
        compatibility: None,
        requires: Default::default(),
        sources: vec![source],
        data: None,
    }
}

/// A standard id from the source's name, noted when it had to change; refused when nothing is
/// left of it.
pub(crate) fn standard_id(
    reading: &mut Reading,
    node: &Node,
    raw: &str,
) -> Result<String, ImportError> {
    let id = kebab_case(raw).ok_or_else(|| {
        reading.error(
            node,
            format!("`{raw}` cannot be a standard id: give one with --standard"),
        )
    })?;
    if id != raw {
        reading.note(
            node,
            "name-normalised",
            format!("name `{raw}` written as standard id `{id}`"),
        );
    }
    Ok(id)
}

/// An entity, field or code list name from the source's, noted when it had to change; refused
/// when nothing is left of it.
pub(crate) fn name(reading: &mut Reading, node: &Node, raw: &str) -> Result<String, ImportError> {
    let name = snake_case(raw).ok_or_else(|| {
        reading.error(
            node,
            format!("`{raw}` cannot be made a name: names need a letter or digit"),
        )
    })?;
    if name != raw {
        reading.note(
            node,
            "name-normalised",
            format!("name `{raw}` written as `{name}`"),
        );
    }
    Ok(name)
}

/// A closed code list `name` of the scalars in `values` (labels from `label` where given),
/// duplicates noted and dropped.
pub(crate) fn codelist(
    reading: &mut Reading,
    name: String,
    values: &[(&Node, Option<String>)],
) -> CodeList {
    let mut codes: Vec<Code> = Vec::new();
    for (node, label) in values {
        let Some(code) = node.as_str() else {
            reading.note(
                node,
                "value-not-mapped",
                format!(
                    "allowed value that is {} left out of `{name}`",
                    node.describe()
                ),
            );
            continue;
        };
        if codes.iter().any(|c| c.code == code) {
            reading.note(
                node,
                "duplicate-code",
                format!("code `{code}` listed twice: kept once"),
            );
            continue;
        }
        codes.push(Code {
            code: code.to_owned(),
            label: label.clone(),
            description: None,
            status: None,
            deprecation: None,
            renamed_from: Vec::new(),
            since: None,
            position: 0,
        });
    }
    CodeList {
        name,
        title: None,
        description: None,
        item: None,
        extensible: Some(false),
        source: None,
        status: None,
        deprecation: None,
        renamed_from: Vec::new(),
        codes,
    }
}
