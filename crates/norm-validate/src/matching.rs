//! Which entity a table holds, and which standard a set of tables belongs to.
//!
//! A table (a file stem or a sheet name, with its header row) matches an entity by the names in
//! the entity's `data.names`, else by the entity's own name, else by its headers: the one
//! entity whose columns include every header. Names compare case-insensitively, as headers do.

use norm_model::{Entity, Field, Standard};

/// How a table was matched to its entity.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum MatchedBy {
    /// One of the entity's `data.names`.
    DataName,
    /// The entity's name.
    EntityName,
    /// The header row.
    Headers,
}

impl MatchedBy {
    /// The word the report uses.
    pub fn as_str(self) -> &'static str {
        match self {
            MatchedBy::DataName => "name",
            MatchedBy::EntityName => "entity",
            MatchedBy::Headers => "headers",
        }
    }
}

/// The header of `field` in data files: its `column`, else its name.
pub(crate) fn column_name(field: &Field) -> &str {
    field.column.as_deref().unwrap_or(&field.name)
}

/// The index (in `standard.entities`) of the entity a table named `name` with `headers` holds.
pub(crate) fn match_table(
    standard: &Standard,
    name: &str,
    headers: &[String],
) -> Option<(usize, MatchedBy)> {
    let entities: Vec<&Entity> = standard.entities.iter().map(|e| &*e.value).collect();
    let by_data_name = entities.iter().position(|e| {
        e.data
            .as_ref()
            .is_some_and(|d| d.names.iter().any(|n| n.eq_ignore_ascii_case(name)))
    });
    if let Some(i) = by_data_name {
        return Some((i, MatchedBy::DataName));
    }
    if let Some(i) = entities
        .iter()
        .position(|e| e.name.eq_ignore_ascii_case(name))
    {
        return Some((i, MatchedBy::EntityName));
    }
    let headers: Vec<&String> = headers.iter().filter(|h| !h.is_empty()).collect();
    if headers.is_empty() {
        return None;
    }
    let holds_every_header = |e: &Entity| {
        headers.iter().all(|h| {
            e.fields
                .iter()
                .any(|f| column_name(f).eq_ignore_ascii_case(h))
        })
    };
    let candidates: Vec<usize> = (0..entities.len())
        .filter(|&i| holds_every_header(entities[i]))
        .collect();
    match candidates.as_slice() {
        [only] => Some((*only, MatchedBy::Headers)),
        // Several entities hold these columns: the one with no other columns is meant.
        _ => {
            let exact: Vec<usize> = candidates
                .into_iter()
                .filter(|&i| entities[i].fields.len() == headers.len())
                .collect();
            match exact.as_slice() {
                [only] => Some((*only, MatchedBy::Headers)),
                _ => None,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use norm_model::{Blob, Catalog};

    fn standard(entities: &[(&str, &str)]) -> Catalog {
        let mut blobs = vec![Blob {
            path: "standards/s/standard.yaml".into(),
            bytes: b"id: s\ntitle: S\nversion: 1.0.0\n".to_vec(),
        }];
        for (name, body) in entities {
            blobs.push(Blob {
                path: format!("standards/s/entities/{name}.yaml"),
                bytes: format!("name: {name}\n{body}").into_bytes(),
            });
        }
        Catalog::load(blobs)
    }

    fn headers(names: &[&str]) -> Vec<String> {
        names.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn matches_by_data_name_then_entity_name_then_headers() {
        let catalog = standard(&[
            (
                "episodes",
                "data: { names: [Episodes, EP] }\nfields:\n  - { name: child, column: CHILD, type: string }\n  - { name: decom, type: date }\n",
            ),
            (
                "header",
                "fields:\n  - { name: child, type: string }\n  - { name: dob, type: date }\n",
            ),
        ]);
        let s = &catalog.standards["s"];
        let entity = |m: Option<(usize, MatchedBy)>| {
            m.map(|(i, by)| (s.entities[i].value.name.as_str(), by))
        };
        assert_eq!(
            entity(match_table(s, "ep", &[])),
            Some(("episodes", MatchedBy::DataName))
        );
        assert_eq!(
            entity(match_table(s, "HEADER", &[])),
            Some(("header", MatchedBy::EntityName))
        );
        assert_eq!(
            entity(match_table(s, "extract", &headers(&["Child", "DOB"]))),
            Some(("header", MatchedBy::Headers))
        );
        assert_eq!(
            entity(match_table(s, "extract", &headers(&["CHILD", "DECOM"]))),
            Some(("episodes", MatchedBy::Headers))
        );
        // `child` alone is a column of both: no guess.
        assert_eq!(
            entity(match_table(s, "extract", &headers(&["child", "x"]))),
            None
        );
        assert_eq!(
            entity(match_table(s, "extract", &headers(&["nothing"]))),
            None
        );
    }
}
