//! `json-schema`: the JSON Schemas (2020-12) that validate one record of each entity, as one
//! bundle whose `$defs` are the entities. The site's per-entity schema downloads are
//! [`entity_schema`] too, so both always agree.

use norm_model::catalog::{Catalog, Standard};
use norm_model::element::Element;
use norm_model::model::{Entity, Field, FieldType, Status};
use norm_model::{Doc, ElementPath};
use serde_json::{Map, Value, json};

use crate::released::{Released, Said};
use crate::{Export, Options, json_file};

const FORMAT: &str = "a JSON Schema";

const DIALECT: &str = "https://json-schema.org/draft/2020-12/schema";

/// The field keys a JSON Schema carries: the rest are losses.
pub(crate) const FIELD_KEYS: &[&str] = &[
    "name",
    "title",
    "description",
    "type",
    "required",
    "multiple",
    "codelist",
    "constraints",
    "status",
];

/// The schema of one value of `field` (before `multiple` and optionality), and the model's
/// constraints it says.
fn value_schema(field: &Field) -> (Map<String, Value>, Vec<&'static str>) {
    let mut s = Map::new();
    let ty = field.field_type.unwrap_or(FieldType::String);
    let (kind, format, pattern) = match ty {
        FieldType::String | FieldType::Code => ("string", None, None),
        FieldType::Integer => ("integer", None, None),
        FieldType::Decimal => ("number", None, None),
        FieldType::Boolean => ("boolean", None, None),
        FieldType::Date => ("string", Some("date"), None),
        FieldType::Datetime => ("string", Some("date-time"), None),
        FieldType::Time => ("string", Some("time"), None),
        FieldType::Year => ("integer", None, None),
        FieldType::YearMonth => ("string", None, Some("^[0-9]{4}-(0[1-9]|1[0-2])$")),
        FieldType::Json => return (s, Vec::new()),
    };
    s.insert("type".into(), kind.into());
    if let Some(f) = format {
        s.insert("format".into(), f.into());
    }
    if let Some(p) = pattern {
        s.insert("pattern".into(), p.into());
    }
    let mut said = Vec::new();
    if let Some(c) = &field.constraints {
        let text = kind == "string";
        let numeric = matches!(kind, "integer" | "number");
        let mut put = Said::new(&mut s);
        put.put("min_length", "minLength", c.min_length, text);
        put.put("max_length", "maxLength", c.max_length, text);
        put.put("pattern", "pattern", c.pattern.clone(), text);
        put.put("minimum", "minimum", c.minimum, numeric);
        put.put("maximum", "maximum", c.maximum, numeric);
        put.put(
            "exclusive_minimum",
            "exclusiveMinimum",
            c.exclusive_minimum,
            numeric,
        );
        put.put(
            "exclusive_maximum",
            "exclusiveMaximum",
            c.exclusive_maximum,
            numeric,
        );
        said = put.said().to_vec();
    }
    (s, said)
}

/// A JSON Schema (2020-12) that validates one record of `entity`, whose released fields are
/// `fields`, named `id` when given.
pub fn entity_schema(
    released: &Released<'_>,
    entity: &Entity,
    fields: &[&Field],
    id: Option<String>,
) -> Value {
    let mut properties = Map::new();
    let mut required = Vec::new();
    for f in fields {
        let (mut s, _) = value_schema(f);
        // A closed code list is an enumeration; an extensible one admits local codes.
        if let Some(list) = released.codelist(f).filter(|l| l.closed()) {
            let codes: Vec<Value> = list
                .codes
                .iter()
                .map(|c| Value::from(c.code.clone()))
                .collect();
            s.insert("enum".into(), codes.into());
        }
        if f.multiple {
            s = Map::from_iter([
                ("type".to_owned(), Value::from("array")),
                ("items".to_owned(), Value::Object(s)),
            ]);
        }
        if let Some(t) = &f.title {
            s.insert("title".into(), t.clone().into());
        }
        if let Some(d) = &f.description {
            s.insert("description".into(), d.clone().into());
        }
        if f.status == Some(Status::Deprecated) {
            s.insert("deprecated".into(), true.into());
        }
        if f.required {
            required.push(Value::from(f.name.clone()));
        } else {
            // An optional field may be present and empty.
            if let Some(t) = s.get("type").cloned() {
                s.insert("type".into(), json!([t, "null"]));
            }
            if let Some(Value::Array(codes)) = s.get_mut("enum") {
                codes.push(Value::Null);
            }
        }
        properties.insert(f.name.clone(), Value::Object(s));
    }
    let mut schema = Map::new();
    schema.insert("$schema".into(), DIALECT.into());
    if let Some(id) = id {
        schema.insert("$id".into(), id.into());
    }
    schema.insert(
        "title".into(),
        entity
            .title
            .clone()
            .unwrap_or_else(|| entity.name.clone())
            .into(),
    );
    if let Some(d) = &entity.description {
        schema.insert("description".into(), d.clone().into());
    }
    schema.insert("type".into(), "object".into());
    schema.insert("properties".into(), Value::Object(properties));
    schema.insert("required".into(), required.into());
    schema.insert("additionalProperties".into(), false.into());
    Value::Object(schema)
}

/// The entities' schemas by name, without `$schema` (they sit inside a document that says
/// it), and the losses of a format built on JSON Schema (`format` names it in the losses).
pub(crate) fn definitions(released: &mut Released<'_>, format: &str) -> Map<String, Value> {
    let mut defs = Map::new();
    for (e, fields) in &released.entities {
        let mut schema = entity_schema(released, &e.value, fields, None);
        if let Value::Object(map) = &mut schema {
            map.remove("$schema");
        }
        defs.insert(e.value.name.clone(), schema);
    }
    lose_record_keys(released, format);
    defs
}

/// What a JSON Schema of one record cannot say: keys between records (primary and unique
/// keys, references, `unique`), provenance and history keys, and code labels.
fn lose_record_keys(released: &mut Released<'_>, format: &str) {
    let standard = released.standard;
    let entities: Vec<(&Doc<Entity>, Vec<&Field>)> = released.entities.clone();
    let mut lists = Vec::new();
    for (e, fields) in &entities {
        released.lose_keys(
            Element::Entity(standard, e),
            format,
            &["name", "title", "description", "status"],
        );
        for f in fields {
            released.lose_keys(Element::Field(standard, e, f), format, FIELD_KEYS);
            // `unique` is between records, which a record's schema cannot see.
            let path = ElementPath::field(standard.id(), &e.value.name, &f.name);
            released.lose_constraints(&path, f, &value_schema(f).1, format);
            match released.codelist(f) {
                Some(list) if !list.closed() => released.lose(
                    ElementPath::field(standard.id(), &e.value.name, &f.name),
                    format!(
                        "code list `{}` is extensible, so {format} does not list its codes",
                        list.list.name
                    ),
                ),
                Some(list) => {
                    lists.push(ElementPath::codelist(list.standard.id(), &list.list.name))
                }
                None => {}
            }
        }
    }
    released.lose_codelist_references(format);
    // The standard's own lists are carried only as codes of the fields that use them.
    lists.extend(
        released
            .codelists
            .iter()
            .map(|l| ElementPath::codelist(standard.id(), &l.list.name)),
    );
    lists.sort();
    lists.dedup();
    for path in lists {
        released.lose(
            path,
            format!("{format} holds codes only in the fields that use them: the list's title, labels and descriptions are not carried"),
        );
    }
}

/// The standard's title and description, for a document's heading.
pub(crate) fn heading(released: &Released<'_>) -> (String, Option<String>) {
    let meta = released.meta;
    let title = meta
        .title
        .clone()
        .unwrap_or_else(|| released.id().to_owned());
    let description = meta
        .description
        .as_deref()
        .or(meta.summary.as_deref())
        .map(str::to_owned);
    (title, description)
}

/// The standard as one JSON Schema document, `<id>.schema.json`, whose `$defs` are its
/// entities' record schemas.
pub fn export(catalog: &Catalog, standard: &Standard, options: &Options) -> Export {
    let Some(mut released) = Released::new(catalog, standard) else {
        return Export::default();
    };
    let name = format!("{}.schema.json", released.id());
    let defs = definitions(&mut released, FORMAT);
    released.lose_standard_keys(FORMAT, &["id", "title", "description"]);
    let (title, description) = heading(&released);
    let mut doc = Map::new();
    doc.insert("$schema".into(), DIALECT.into());
    if let Some(base) = &options.base_url {
        doc.insert("$id".into(), format!("{base}{name}").into());
    }
    doc.insert("title".into(), title.into());
    if let Some(d) = description {
        doc.insert("description".into(), d.into());
    }
    doc.insert("$defs".into(), Value::Object(defs));
    Export {
        files: vec![json_file(name, &Value::Object(doc))],
        losses: released.losses,
    }
}
