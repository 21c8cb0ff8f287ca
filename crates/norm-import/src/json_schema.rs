//! `json-schema`: JSON Schema files whose object schemas (the root and those under `$defs` or
//! `definitions`) become entities, their properties fields, `enum` code lists, `required` the
//! required flags, `format: date`/`date-time`/`time` the date types, and local `$ref`s to
//! another object references to its identifying field.

use std::path::{Path, PathBuf};

use norm_model::model::{Constraints, Source};
use norm_model::yaml::{Node, NodeKind};
use norm_model::{CodeList, Entity, Field, FieldType};

use crate::source::{self, Reading, text};
use crate::{ImportError, Imported, Target, common};

/// An object schema found in a file: its name as written and its node.
struct Object<'n> {
    raw: String,
    node: &'n Node,
}

pub(crate) fn read(sources: &[PathBuf], target: &Target<'_>) -> Result<Imported, ImportError> {
    let mut entities = Vec::new();
    let mut codelists = Vec::new();
    let mut notes = Vec::new();
    let mut meta = None;
    for path in sources {
        let root = source::json(path)?;
        let mut reading = Reading::new(path);
        let file = File::new(path, &root);
        for object in &file.objects {
            entities.push(entity(&mut reading, &file, object, &mut codelists)?);
        }
        if file.objects.is_empty() {
            return Err(reading.error(
                &root,
                "no object schema here: norm reads schemas of `type: object` with `properties`"
                    .into(),
            ));
        }
        notes.append(&mut reading.notes);
        meta.get_or_insert((path.clone(), root));
    }
    let Some((path, root)) = meta else {
        return Err(source::error(
            crate::Place::File {
                file: PathBuf::new(),
            },
            "no source given".into(),
        ));
    };
    let mut reading = Reading::new(&path);
    let derived = text(&root, "$id")
        .and_then(|id| id.trim_end_matches('/').rsplit('/').next())
        .map(|id| {
            id.trim_end_matches(".json")
                .trim_end_matches(".schema")
                .to_owned()
        })
        .or_else(|| text(&root, "title").map(str::to_owned))
        .unwrap_or_else(|| stem(&path));
    let id = match target.standard {
        Some(id) => id.to_owned(),
        None => common::standard_id(&mut reading, &root, &derived)?,
    };
    let title = text(&root, "title").unwrap_or(&derived).to_owned();
    let mut standard = common::standard(
        id,
        title,
        Source {
            title: format!(
                "JSON Schema {}",
                path.file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default()
            ),
            url: text(&root, "$id")
                .filter(|u| u.starts_with("https://") || u.starts_with("http://"))
                .map(str::to_owned),
            publisher: None,
            licence: None,
        },
    );
    standard.description = text(&root, "description").map(str::to_owned);
    notes.append(&mut reading.notes);
    Ok(Imported {
        standard,
        entities,
        codelists,
        notes,
    })
}

fn stem(path: &Path) -> String {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    name.trim_end_matches(".json")
        .trim_end_matches(".schema")
        .to_owned()
}

/// One file's object schemas, with its definitions for resolving `$ref`s.
struct File<'n> {
    root: &'n Node,
    objects: Vec<Object<'n>>,
}

fn is_object(node: &Node) -> bool {
    node.get("properties").is_some() || text(node, "type") == Some("object")
}

impl<'n> File<'n> {
    fn new(path: &Path, root: &'n Node) -> File<'n> {
        let stem = stem(path);
        let mut objects = Vec::new();
        if is_object(root) && root.get("properties").is_some() {
            objects.push(Object {
                raw: text(root, "title").map_or_else(|| stem.clone(), str::to_owned),
                node: root,
            });
        }
        for defs in ["$defs", "definitions"] {
            if let Some(NodeKind::Map(entries)) = root.get(defs).map(|d| &d.kind) {
                for (key, value) in entries {
                    if let Some(name) = key.as_str().filter(|_| is_object(value)) {
                        objects.push(Object {
                            raw: name.to_owned(),
                            node: value,
                        });
                    }
                }
            }
        }
        File { root, objects }
    }

    /// The schema a local `$ref` names (`#`, `#/$defs/x`, `#/definitions/x`, any JSON pointer
    /// into the file); a remote or dangling one is an error at the `$ref`.
    fn resolve(
        &self,
        reading: &Reading,
        at: &Node,
        reference: &str,
    ) -> Result<&'n Node, ImportError> {
        let Some(pointer) = reference.strip_prefix('#') else {
            return Err(reading.error(at, format!(
                "`$ref: {reference}` points outside this file: norm imports local references only (`#/$defs/...`); give the other schema as a source and refer to it locally"
            )));
        };
        let mut node = self.root;
        for token in pointer.split('/').skip(1) {
            let token = token.replace("~1", "/").replace("~0", "~");
            let next = match &node.kind {
                NodeKind::Map(_) => node.get(&token),
                NodeKind::Seq(_) => token.parse().ok().and_then(|i| node.index(i)),
                _ => None,
            };
            node = next.ok_or_else(|| {
                reading.error(
                    at,
                    format!("`$ref: {reference}` points at nothing in this file"),
                )
            })?;
        }
        Ok(node)
    }

    /// The object schema `node` is, by identity.
    fn object_of(&self, node: &Node) -> Option<&Object<'n>> {
        self.objects.iter().find(|o| std::ptr::eq(o.node, node))
    }
}

fn entity(
    reading: &mut Reading,
    file: &File<'_>,
    object: &Object<'_>,
    codelists: &mut Vec<CodeList>,
) -> Result<Entity, ImportError> {
    let name_node = object.node.get("title").unwrap_or(object.node);
    let mut entity = common::entity(common::name(reading, name_node, &object.raw)?);
    entity.title = text(object.node, "title").map(str::to_owned);
    entity.description = text(object.node, "description").map(str::to_owned);
    let required: Vec<&str> = match object.node.get("required").map(|r| &r.kind) {
        Some(NodeKind::Seq(items)) => items.iter().filter_map(Node::as_str).collect(),
        _ => Vec::new(),
    };
    let Some(properties) = object.node.get("properties") else {
        return Ok(entity);
    };
    for (key, property) in reading.map(properties, "`properties`")? {
        let raw = reading.text(key, "a property name")?;
        let name = common::name(reading, key, raw)?;
        let mut field = common::field(name);
        field.required = required.contains(&raw);
        field.title = text(property, "title").map(str::to_owned);
        field.description = text(property, "description").map(str::to_owned);
        typed(reading, file, &entity.name, &mut field, property, codelists)?;
        entity.fields.push(field);
    }
    Ok(entity)
}

/// Sets `field`'s type (and code list, reference, constraints, `multiple`) from `schema`.
fn typed(
    reading: &mut Reading,
    file: &File<'_>,
    entity: &str,
    field: &mut Field,
    schema: &Node,
    codelists: &mut Vec<CodeList>,
) -> Result<(), ImportError> {
    if let Some(reference) = text(schema, "$ref") {
        let at = schema.get("$ref").unwrap_or(schema);
        let target = file.resolve(reading, at, reference)?;
        if let Some(object) = file.object_of(target) {
            let to = common::name(reading, at, &object.raw)?;
            let key = identifying_property(object.node);
            let key_name = crate::names::snake_case(&key).unwrap_or(key.clone());
            reading.note(
                at,
                "reference-to-object",
                format!(
                    "`$ref` to object `{}` made a foreign key to its `{key}`",
                    object.raw
                ),
            );
            field.field_type = Some(FieldType::String);
            field.references = Some(format!("{to}.{key_name}"));
            return Ok(());
        }
        if let Some(NodeKind::Seq(values)) = target.get("enum").map(|e| &e.kind) {
            // A shared enum: one code list, named after its definition.
            let raw = reference.rsplit('/').next().unwrap_or(reference);
            let name = common::name(reading, at, raw)?;
            if !codelists.iter().any(|c| c.name == name) {
                let values: Vec<(&Node, Option<String>)> =
                    values.iter().map(|v| (v, None)).collect();
                codelists.push(common::codelist(reading, name.clone(), &values));
            }
            field.field_type = Some(FieldType::Code);
            field.codelist = Some(name);
            return Ok(());
        }
        return typed(reading, file, entity, field, target, codelists);
    }
    if let Some(NodeKind::Seq(values)) = schema.get("enum").map(|e| &e.kind) {
        let name = format!("{entity}_{}", field.name);
        let values: Vec<(&Node, Option<String>)> = values.iter().map(|v| (v, None)).collect();
        codelists.push(common::codelist(reading, name.clone(), &values));
        field.field_type = Some(FieldType::Code);
        field.codelist = Some(name);
        return Ok(());
    }
    let kind = match schema.get("type").map(|t| &t.kind) {
        Some(NodeKind::Seq(types)) => {
            let named: Vec<&str> = types
                .iter()
                .filter_map(Node::as_str)
                .filter(|t| *t != "null")
                .collect();
            if named.len() != 1 {
                reading.note(
                    schema,
                    "type-read-as",
                    format!(
                        "a value of several types ({}) read as string",
                        named.join(", ")
                    ),
                );
            }
            named.first().copied().unwrap_or("string").to_owned()
        }
        Some(_) => text(schema, "type").unwrap_or("string").to_owned(),
        None => {
            reading.note(
                schema,
                "type-read-as",
                "a property without `type` read as string".into(),
            );
            "string".to_owned()
        }
    };
    field.field_type = Some(match kind.as_str() {
        "string" => match text(schema, "format") {
            Some("date") => FieldType::Date,
            Some("date-time") => FieldType::Datetime,
            Some("time") => FieldType::Time,
            Some(other) => {
                reading.note(
                    schema.get("format").unwrap_or(schema),
                    "format-not-mapped",
                    format!("format `{other}` not kept"),
                );
                FieldType::String
            }
            None => FieldType::String,
        },
        "integer" => FieldType::Integer,
        "number" => FieldType::Decimal,
        "boolean" => FieldType::Boolean,
        "array" => {
            if field.multiple {
                reading.note(
                    schema,
                    "type-read-as",
                    "a list of lists read as json".into(),
                );
                FieldType::Json
            } else {
                field.multiple = true;
                match schema.get("items") {
                    Some(items) => return typed(reading, file, entity, field, items, codelists),
                    None => FieldType::String,
                }
            }
        }
        "object" => {
            reading.note(
                schema,
                "type-read-as",
                "an inline object read as json".into(),
            );
            FieldType::Json
        }
        other => {
            reading.note(
                schema,
                "type-read-as",
                format!("type `{other}` read as string"),
            );
            FieldType::String
        }
    });
    let count = |key: &str| {
        schema
            .get(key)
            .and_then(Node::as_str)
            .and_then(|s| s.parse::<u64>().ok())
    };
    let number = |key: &str| {
        schema
            .get(key)
            .and_then(Node::as_str)
            .and_then(|s| s.parse::<f64>().ok())
    };
    let constraints = Constraints {
        min_length: count("minLength"),
        max_length: count("maxLength"),
        minimum: number("minimum"),
        maximum: number("maximum"),
        exclusive_minimum: number("exclusiveMinimum"),
        exclusive_maximum: number("exclusiveMaximum"),
        pattern: text(schema, "pattern").map(str::to_owned),
        unique: None,
    };
    if constraints != Constraints::default() {
        field.constraints = Some(constraints);
    }
    Ok(())
}

/// The property that identifies an object: `id`, else the first ending in `id`, else the first.
fn identifying_property(object: &Node) -> String {
    let names: Vec<&str> = match object.get("properties").map(|p| &p.kind) {
        Some(NodeKind::Map(entries)) => entries.iter().filter_map(|(k, _)| k.as_str()).collect(),
        _ => Vec::new(),
    };
    names
        .iter()
        .find(|n| n.eq_ignore_ascii_case("id"))
        .or_else(|| {
            names
                .iter()
                .find(|n| n.to_ascii_lowercase().ends_with("id"))
        })
        .or(names.first())
        .map_or_else(|| "id".to_owned(), |n| (*n).to_owned())
}
