//! What several formats build the same way: blank model values, names normalised with a note,
//! and code lists from lists of allowed values.

use norm_model::model::{Source, StandardStatus};
use norm_model::yaml::Node;
use std::collections::BTreeSet;

use norm_model::{Code, CodeList, Entity, Field, FieldType, StandardMeta};

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
        let Some(value) = node.as_str() else {
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
        if codes.iter().any(|c| c.code == value) {
            reading.note(
                node,
                "duplicate-code",
                format!("code `{value}` listed twice: kept once"),
            );
            continue;
        }
        codes.push(code(value.to_owned(), label.clone()));
    }
    closed_list(name, codes)
}

/// A field with a name, its column header in data files and a type.
pub(crate) fn typed_field(name: String, column: Option<String>, field_type: FieldType) -> Field {
    Field {
        column,
        field_type: Some(field_type),
        ..field(name)
    }
}

/// A name for a source's table, column or type name ([`snake_case`]); `unnamed` when nothing
/// of it is left, and the caller's [`Names`] keeps two such names apart.
pub(crate) fn name_of(source: &str) -> String {
    snake_case(source).unwrap_or_else(|| "unnamed".to_owned())
}

/// A code with its label.
pub(crate) fn code(code: String, label: Option<String>) -> Code {
    Code {
        code,
        label,
        description: None,
        status: None,
        deprecation: None,
        renamed_from: Vec::new(),
        since: None,
        position: 0,
    }
}

/// A closed code list: the sources' enumerations are what validation accepts, so adding a
/// code is a change consumers must hear of.
pub(crate) fn closed_list(name: String, codes: Vec<Code>) -> CodeList {
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

/// Hands out names unique within one scope (the fields of an entity, the entities or code lists
/// of a standard): a name already taken gets `_2`, `_3`, ... so that two source names that
/// differ only in case or punctuation still become two elements.
#[derive(Debug, Default)]
pub(crate) struct Names {
    taken: BTreeSet<String>,
}

impl Names {
    /// `wanted`, or `wanted_N` with the first N that is free. The second value says whether a
    /// suffix was needed, for the mapping report.
    pub(crate) fn claim(&mut self, wanted: String) -> (String, bool) {
        if self.taken.insert(wanted.clone()) {
            return (wanted, false);
        }
        let name = (2..)
            .map(|n| format!("{wanted}_{n}"))
            .find(|candidate| !self.taken.contains(candidate))
            .unwrap_or_default();
        self.taken.insert(name.clone());
        (name, true)
    }
}

/// Code lists for the coded fields of a standard, one per distinct set of codes: fields whose
/// codes (and labels) are identical share one list. A list is named after its field when every
/// field that uses it has that name and no other list wants it, and `<entity>_<field>` otherwise,
/// so that names stay stable when one of several same-named columns changes its codes.
#[derive(Debug, Default)]
pub(crate) struct SharedLists {
    groups: Vec<ListGroup>,
}

/// One distinct set of codes and the `(entity, field)` indices of the fields that take it.
type ListGroup = (Vec<Code>, Vec<(usize, usize)>);

impl SharedLists {
    /// Records that field `field` of entity `entity` takes `codes`.
    pub(crate) fn add(&mut self, entity: usize, field: usize, codes: Vec<Code>) {
        match self.groups.iter_mut().find(|(c, _)| *c == codes) {
            Some((_, members)) => members.push((entity, field)),
            None => self.groups.push((codes, vec![(entity, field)])),
        }
    }

    /// Names the lists, points each member field at its list, and returns the lists in the
    /// order their first field appears.
    pub(crate) fn finish(self, entities: &mut [Entity]) -> Vec<CodeList> {
        let field_name = |entities: &[Entity], (e, f): (usize, usize)| -> String {
            entities[e].fields[f].name.clone()
        };
        let wanted: Vec<String> = self
            .groups
            .iter()
            .map(|(_, members)| {
                let first = field_name(entities, members[0]);
                let same = members.iter().all(|m| field_name(entities, *m) == first);
                if same { first } else { String::new() }
            })
            .collect();
        let mut names = Names::default();
        let mut lists = Vec::new();
        for (index, (codes, members)) in self.groups.into_iter().enumerate() {
            let (e, f) = members[0];
            let contested = wanted[index].is_empty()
                || wanted.iter().filter(|w| **w == wanted[index]).count() > 1;
            let base = if contested {
                format!("{}_{}", entities[e].name, entities[e].fields[f].name)
            } else {
                wanted[index].clone()
            };
            let (name, _) = names.claim(base);
            for (e, f) in members {
                entities[e].fields[f].codelist = Some(name.clone());
            }
            lists.push(closed_list(name, codes));
        }
        lists
    }
}
