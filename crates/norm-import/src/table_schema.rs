//! `table-schema`: Frictionless Table Schemas, or a `datapackage.json` whose resources hold them
//! (inline or as a path). Each schema becomes an entity; `enum` and v2 `categories` become code
//! lists; `primaryKey` and `foreignKeys` become the primary key and references.

use std::path::{Path, PathBuf};

use norm_model::model::{Constraints, Source};
use norm_model::yaml::{Node, NodeKind};
use norm_model::{Entity, FieldType};

use crate::common;
use crate::source::{self, Reading, text};
use crate::{ImportError, Imported, Target};

/// One schema read, with what its foreign keys need resolved once every table is known.
struct Table {
    /// The resource's or file's name as written, for foreign keys.
    raw: String,
    entity: Entity,
    /// Field names as written and as normalised.
    fields: Vec<(String, String)>,
    foreign_keys: Vec<Node>,
    reading: Reading,
}

pub(crate) fn read(sources: &[PathBuf], target: &Target<'_>) -> Result<Imported, ImportError> {
    let mut tables = Vec::new();
    let mut codelists = Vec::new();
    let mut package: Option<(Reading, Node)> = None;
    let mut first_root: Option<Node> = None;
    for path in sources {
        let root = source::json(path)?;
        let reading = Reading::new(path);
        if let Some(resources) = root.get("resources") {
            for resource in reading.seq(resources, "`resources`")? {
                let raw = reading.text(
                    resource.get("name").unwrap_or(resource),
                    "a resource's `name`",
                )?;
                let schema = resource.get("schema").ok_or_else(|| {
                    reading.error(resource, format!("resource `{raw}` has no `schema`"))
                })?;
                let table = match schema.as_str() {
                    Some(file) => {
                        let file = path.parent().unwrap_or(Path::new(".")).join(file);
                        let node = source::json(&file)?;
                        schema_table(Reading::new(&file), raw, &node, resource, &mut codelists)?
                    }
                    None => {
                        schema_table(Reading::new(path), raw, schema, resource, &mut codelists)?
                    }
                };
                tables.push(table);
            }
            package = Some((reading, root));
        } else {
            let raw = path
                .file_stem()
                .map(|s| s.to_string_lossy().trim_end_matches(".schema").to_owned())
                .unwrap_or_default();
            tables.push(schema_table(reading, &raw, &root, &root, &mut codelists)?);
            first_root.get_or_insert(root);
        }
    }
    resolve_foreign_keys(&mut tables)?;
    let (mut reading, meta_node, default_id) = match package {
        Some((reading, root)) => (reading, root, "datapackage".to_owned()),
        None => {
            let first = tables.first().map(|t| t.raw.clone()).unwrap_or_default();
            let file = sources.first().cloned().unwrap_or_default();
            let root = first_root.ok_or_else(|| {
                source::error(
                    crate::Place::File { file: file.clone() },
                    "no schema given".into(),
                )
            })?;
            (Reading::new(file), root, first)
        }
    };
    let raw_id = text(&meta_node, "name").unwrap_or(&default_id).to_owned();
    let id = match target.standard {
        Some(id) => id.to_owned(),
        None => common::standard_id(&mut reading, &meta_node, &raw_id)?,
    };
    let title = text(&meta_node, "title").unwrap_or(&raw_id).to_owned();
    let source_file = sources.first().cloned().unwrap_or_default();
    let mut standard = common::standard(
        id,
        title.clone(),
        Source {
            title: format!("Table Schema {}", file_name(&source_file)),
            url: text(&meta_node, "homepage").map(str::to_owned),
            publisher: None,
            licence: None,
        },
    );
    standard.description = text(&meta_node, "description").map(str::to_owned);
    if let Some(licence) = meta_node
        .get("licenses")
        .and_then(|l| l.index(0))
        .and_then(|l| text(l, "name"))
    {
        standard.licence = Some(licence.to_owned());
        standard.sources[0].licence = Some(licence.to_owned());
    }
    let mut notes = reading.notes;
    let mut entities = Vec::new();
    for table in tables {
        notes.extend(table.reading.notes);
        entities.push(table.entity);
    }
    Ok(Imported {
        standard,
        entities,
        codelists,
        notes,
    })
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// One schema as an entity. `described` holds the resource's title and description (the schema
/// itself for a bare schema file).
fn schema_table(
    mut reading: Reading,
    raw: &str,
    schema: &Node,
    described: &Node,
    codelists: &mut Vec<norm_model::CodeList>,
) -> Result<Table, ImportError> {
    let name_node = described.get("name").unwrap_or(schema);
    let mut entity = common::entity(common::name(&mut reading, name_node, raw)?);
    entity.title = text(described, "title").map(str::to_owned);
    entity.description = text(described, "description").map(str::to_owned);
    let fields_node = schema
        .get("fields")
        .ok_or_else(|| reading.error(schema, format!("the schema of `{raw}` has no `fields`")))?;
    let mut fields = Vec::new();
    for node in reading.seq(fields_node, "`fields`")? {
        let raw_name = reading.text(node.get("name").unwrap_or(node), "a field's `name`")?;
        let name = common::name(&mut reading, node.get("name").unwrap_or(node), raw_name)?;
        if fields.iter().any(|(_, n): &(String, String)| *n == name) {
            return Err(reading.error(node, format!("two fields of `{raw}` are named `{name}`")));
        }
        let field = field(&mut reading, &entity.name, name.clone(), node, codelists);
        fields.push((raw_name.to_owned(), name));
        entity.fields.push(field);
    }
    if let Some(key) = schema.get("primaryKey") {
        entity.primary_key = field_list(&reading, key, &fields, raw)?;
    }
    let foreign_keys = match schema.get("foreignKeys") {
        Some(node) => reading.seq(node, "`foreignKeys`")?.to_vec(),
        None => Vec::new(),
    };
    for (key, value) in reading.map(schema, "a schema")? {
        let known = [
            "fields",
            "primaryKey",
            "foreignKeys",
            "missingValues",
            "name",
            "title",
            "description",
            "$schema",
        ];
        if let Some(k) = key.as_str().filter(|k| !known.contains(k)) {
            reading.note(
                value,
                "key-not-mapped",
                format!("schema key `{k}` not kept"),
            );
        }
    }
    Ok(Table {
        raw: raw.to_owned(),
        entity,
        fields,
        foreign_keys,
        reading,
    })
}

/// The normalised names of a `primaryKey` or `foreignKeys.fields` value (a name or a list).
fn field_list(
    reading: &Reading,
    node: &Node,
    fields: &[(String, String)],
    table: &str,
) -> Result<Vec<String>, ImportError> {
    let names: Vec<&Node> = match &node.kind {
        NodeKind::Seq(items) => items.iter().collect(),
        _ => vec![node],
    };
    names
        .into_iter()
        .map(|n| {
            let raw = reading.text(n, "a field name")?;
            fields
                .iter()
                .find(|(r, _)| r == raw)
                .map(|(_, name)| name.clone())
                .ok_or_else(|| reading.error(n, format!("`{table}` has no field `{raw}`")))
        })
        .collect()
}

fn field(
    reading: &mut Reading,
    entity: &str,
    name: String,
    node: &Node,
    codelists: &mut Vec<norm_model::CodeList>,
) -> norm_model::Field {
    let mut field = common::field(name);
    field.title = text(node, "title").map(str::to_owned);
    field.description = text(node, "description").map(str::to_owned);
    let raw_type = text(node, "type").unwrap_or("string");
    field.field_type = Some(match raw_type {
        "string" | "any" => FieldType::String,
        "integer" => FieldType::Integer,
        "number" => FieldType::Decimal,
        "boolean" => FieldType::Boolean,
        "date" => FieldType::Date,
        "datetime" => FieldType::Datetime,
        "time" => FieldType::Time,
        "year" => FieldType::Year,
        "yearmonth" => FieldType::YearMonth,
        "object" | "array" | "geojson" => {
            reading.note(
                node,
                "type-read-as",
                format!("type `{raw_type}` read as json"),
            );
            FieldType::Json
        }
        other => {
            reading.note(
                node,
                "type-read-as",
                format!("type `{other}` read as string"),
            );
            FieldType::String
        }
    });
    let format = text(node, "format").filter(|f| *f != "default");
    if let Some(format) = format {
        reading.note(
            node,
            "format-not-mapped",
            format!("format `{format}` of type `{raw_type}` not kept"),
        );
    }
    if let Some(example) = node.get("example").and_then(Node::as_str) {
        // The model holds dates in ISO 8601; a Table Schema example is in the field's format.
        let iso = match (field.field_type, format) {
            (Some(FieldType::Date), Some(pattern)) => {
                norm_model::dates::written::parse(example, pattern).map(|d| d.iso_date())
            }
            _ => None,
        };
        field
            .examples
            .push(iso.unwrap_or_else(|| example.to_owned()));
    }
    let constraints = node.get("constraints");
    let mut kept = Constraints::default();
    if let Some(c) = constraints {
        field.required = source::flag(c, "required");
        let number = |key: &str| {
            c.get(key)
                .and_then(Node::as_str)
                .and_then(|s| s.parse::<f64>().ok())
        };
        let count = |key: &str| {
            c.get(key)
                .and_then(Node::as_str)
                .and_then(|s| s.parse::<u64>().ok())
        };
        kept.min_length = count("minLength");
        kept.max_length = count("maxLength");
        kept.minimum = number("minimum");
        kept.maximum = number("maximum");
        kept.exclusive_minimum = number("exclusiveMinimum");
        kept.exclusive_maximum = number("exclusiveMaximum");
        kept.pattern = text(c, "pattern").map(str::to_owned);
        kept.unique = source::flag(c, "unique").then_some(true);
        for key in ["minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"] {
            if let Some(v) = c.get(key).filter(|_| number(key).is_none()) {
                reading.note(
                    v,
                    "constraint-not-mapped",
                    format!("`{key}` that is not a number not kept"),
                );
            }
        }
        if let Some(values) = c.get("enum").and_then(|e| match &e.kind {
            NodeKind::Seq(items) => Some(items),
            _ => None,
        }) {
            let values: Vec<(&Node, Option<String>)> = values.iter().map(|v| (v, None)).collect();
            add_codelist(reading, entity, &mut field, &values, codelists);
        }
    }
    if let Some(categories) = node.get("categories").and_then(|c| match &c.kind {
        NodeKind::Seq(items) => Some(items),
        _ => None,
    }) {
        let values: Vec<(&Node, Option<String>)> = categories
            .iter()
            .map(|c| match c.get("value") {
                Some(value) => (value, text(c, "label").map(str::to_owned)),
                None => (c, None),
            })
            .collect();
        add_codelist(reading, entity, &mut field, &values, codelists);
    }
    if kept != Constraints::default() {
        field.constraints = Some(kept);
    }
    field
}

/// Makes `field` a code field over a new code list of `values`, named `<entity>_<field>`.
fn add_codelist(
    reading: &mut Reading,
    entity: &str,
    field: &mut norm_model::Field,
    values: &[(&Node, Option<String>)],
    codelists: &mut Vec<norm_model::CodeList>,
) {
    if field.codelist.is_some() {
        return;
    }
    let name = format!("{entity}_{}", field.name);
    if field.field_type != Some(FieldType::String)
        && let Some((node, _)) = values.first()
    {
        let was = field.field_type.map_or("string", FieldType::as_str);
        reading.note(
            node,
            "type-read-as",
            format!("type `{was}` with allowed values read as code"),
        );
    }
    codelists.push(common::codelist(reading, name.clone(), values));
    field.field_type = Some(FieldType::Code);
    field.codelist = Some(name);
}

/// A table as foreign keys name it: as written, as an entity, and its fields (as written, as
/// normalised).
type Named = (String, String, Vec<(String, String)>);

/// Turns each table's `foreignKeys` into references; a key to an unknown table or field is an
/// error, a key over several fields a note.
fn resolve_foreign_keys(tables: &mut [Table]) -> Result<(), ImportError> {
    let names: Vec<Named> = tables
        .iter()
        .map(|t| (t.raw.clone(), t.entity.name.clone(), t.fields.clone()))
        .collect();
    for table in tables.iter_mut() {
        for fk in std::mem::take(&mut table.foreign_keys) {
            let reading = &mut table.reading;
            let from_node = fk.get("fields").unwrap_or(&fk);
            let from = field_list(reading, from_node, &table.fields, &table.raw)?;
            let reference = fk
                .get("reference")
                .ok_or_else(|| reading.error(&fk, "a foreign key without `reference`".into()))?;
            let resource = text(reference, "resource").unwrap_or("");
            let (to_raw, to_entity, to_fields) = if resource.is_empty() {
                (
                    table.raw.clone(),
                    table.entity.name.clone(),
                    table.fields.clone(),
                )
            } else {
                names
                    .iter()
                    .find(|(raw, _, _)| raw == resource)
                    .cloned()
                    .ok_or_else(|| {
                        reading.error(
                            reference.get("resource").unwrap_or(reference),
                            format!(
                                "the foreign key points at table `{resource}`, which is not in the sources"
                            ),
                        )
                    })?
            };
            let to_node = reference.get("fields").unwrap_or(reference);
            let to = field_list(reading, to_node, &to_fields, &to_raw)?;
            if from.len() != 1 || to.len() != 1 {
                reading.note(
                    &fk,
                    "key-not-mapped",
                    format!(
                        "a foreign key over {} fields not kept: references join one field",
                        from.len()
                    ),
                );
                continue;
            }
            if let Some(field) = table.entity.fields.iter_mut().find(|f| f.name == from[0]) {
                field.references = Some(format!("{to_entity}.{}", to[0]));
            }
        }
    }
    Ok(())
}
