//! A synthetic repository of realistic shape and any size, for benchmarks (`synth` feature).
//!
//! Every standard requires the one before it and uses its code lists; every entity has a
//! primary key, a foreign key into the previous entity, constrained text, numbers, dates and
//! coded fields with valid examples. The result lints clean, so benchmarks time the rules on the
//! path real repositories take, not on error reporting.

use std::fmt::Write;

use crate::catalog::Blob;

/// The size of a synthetic repository.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shape {
    /// Number of standards.
    pub standards: usize,
    /// Entities per standard.
    pub entities: usize,
    /// Fields per entity (at least 4).
    pub fields: usize,
    /// Code lists per standard.
    pub codelists: usize,
    /// Codes per code list.
    pub codes: usize,
}

impl Shape {
    /// 100 standards, 2,000 entities, 40,000 fields, 500 code lists with 20,000 codes.
    pub const LARGE: Shape = Shape {
        standards: 100,
        entities: 20,
        fields: 20,
        codelists: 5,
        codes: 40,
    };
}

fn standard_id(i: usize) -> String {
    format!("std-{i:03}")
}

/// The files of a synthetic repository, `norm.yaml` included.
pub fn repository(shape: Shape) -> Vec<Blob> {
    let mut blobs = vec![Blob {
        path: "norm.yaml".into(),
        bytes: "site: { title: Synthetic }\nconsumers:\n  - { id: return-a, kind: statutory-return }\n  - { id: api-b, kind: api }\n".into(),
    }];
    for s in 0..shape.standards {
        let id = standard_id(s);
        let mut meta = format!(
            "id: {id}\ntitle: Synthetic standard {s}\nversion: 1.{s}.0\nstatus: active\n\
             description: A generated standard.\nowner: {{ name: Bench }}\nlicence: OGL-UK-3.0\n\
             sources:\n  - title: Generator\n"
        );
        if s > 0 {
            let _ = write!(meta, "requires:\n  {}: \"^1.0\"\n", standard_id(s - 1));
        }
        blobs.push(Blob {
            path: format!("standards/{id}/standard.yaml"),
            bytes: meta.into_bytes(),
        });
        for l in 0..shape.codelists {
            let mut text = format!(
                "name: list_{l}\ntitle: List {l}\ndescription: Generated codes.\nextensible: false\ncodes:\n"
            );
            for c in 0..shape.codes {
                let _ = write!(
                    text,
                    "  - code: \"C{c:03}\"\n    label: Value {c} of list {l}\n"
                );
            }
            blobs.push(Blob {
                path: format!("standards/{id}/codelists/list_{l}.yaml"),
                bytes: text.into_bytes(),
            });
        }
        for e in 0..shape.entities {
            blobs.push(Blob {
                path: format!("standards/{id}/entities/ent_{e:02}.yaml"),
                bytes: entity(shape, s, e).into_bytes(),
            });
        }
    }
    blobs
}

fn entity(shape: Shape, s: usize, e: usize) -> String {
    let mut text = format!(
        "name: ent_{e:02}\ntitle: Entity {e}\ndescription: A generated entity.\nprimary_key: [f_00]\nfields:\n"
    );
    for f in 0..shape.fields {
        let _ = write!(
            text,
            "  - name: f_{f:02}\n    item: E{e:02}F{f:02}\n    title: Field {f}\n    description: A generated field.\n"
        );
        let body = match f % 6 {
            _ if f == 0 => "    type: string\n    required: true\n    constraints: { max_length: 48 }\n    examples: [\"K0001\"]\n".to_owned(),
            1 if e > 0 => format!("    type: string\n    references: ent_{:02}.f_00\n", e - 1),
            1 | 2 => "    type: string\n    constraints: { max_length: 100, pattern: \"^[A-Z0-9 ]*$\" }\n    examples: [\"AB 12\"]\n    used_by: [return-a]\n".to_owned(),
            3 => "    type: integer\n    constraints: { minimum: 0, maximum: 999 }\n    examples: [\"42\"]\n".to_owned(),
            4 => "    type: date\n    examples: [\"2024-02-29\"]\n".to_owned(),
            _ if s > 0 && f % 12 == 5 => format!(
                "    type: code\n    codelist: {}/list_{}\n    examples: [\"C001\"]\n    used_by: [api-b]\n",
                standard_id(s - 1),
                e % shape.codelists
            ),
            _ => format!("    type: code\n    codelist: list_{}\n    examples: [\"C000\"]\n", (e + f) % shape.codelists),
        };
        text.push_str(&body);
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Catalog;

    #[test]
    fn has_the_requested_shape_and_loads_cleanly() {
        let shape = Shape {
            standards: 3,
            entities: 4,
            fields: 12,
            codelists: 2,
            codes: 5,
        };
        let catalog = Catalog::load(repository(shape));
        assert!(catalog.diagnostics.is_empty(), "{:?}", catalog.diagnostics);
        assert_eq!(catalog.standards.len(), 3);
        let fields: usize = catalog
            .standards
            .values()
            .flat_map(|s| &s.entities)
            .map(|e| e.value.fields.len())
            .sum();
        assert_eq!(fields, 3 * 4 * 12);
        let codes: usize = catalog
            .standards
            .values()
            .flat_map(|s| &s.codelists)
            .map(|c| c.value.codes.len())
            .sum();
        assert_eq!(codes, 3 * 2 * 5);
    }
}
