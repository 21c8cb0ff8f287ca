//! `datapackage`: a Frictionless Data Package (v2 profile, as Frictionless 5 reads it) with a
//! tabular resource per entity, each with its Table Schema and one row of sample data from the
//! fields' `examples`.

use norm_model::catalog::{Catalog, Standard};
use norm_model::element::Element;
use norm_model::model::{Entity, Field, FieldType};
use norm_model::{Doc, ElementPath};
use serde_json::{Map, Value, json};

use crate::released::{Released, ReleasedList, Said};
use crate::{Export, Options, json_file, sample};

const FORMAT: &str = "a Table Schema";

/// The field keys a Table Schema carries (`examples` as sample data and `example`).
const FIELD_KEYS: &[&str] = &[
    "name",
    "title",
    "description",
    "type",
    "required",
    "codelist",
    "references",
    "constraints",
    "examples",
];

/// The CSV file of an entity's sample data, in the package.
pub fn data_file(entity: &str) -> String {
    format!("{entity}.csv")
}

/// A tabular resource of one CSV file with its Table Schema.
fn csv_resource(
    name: String,
    path: String,
    title: Option<&String>,
    description: Option<&String>,
    schema: Value,
) -> Value {
    let mut r = Map::new();
    r.insert("name".into(), name.into());
    r.insert("type".into(), "table".into());
    r.insert("path".into(), path.into());
    r.insert("format".into(), "csv".into());
    r.insert("mediatype".into(), "text/csv".into());
    r.insert("encoding".into(), "utf-8".into());
    if let Some(t) = title {
        r.insert("title".into(), t.clone().into());
    }
    if let Some(t) = description {
        r.insert("description".into(), t.clone().into());
    }
    r.insert("schema".into(), schema);
    Value::Object(r)
}

/// A code list of the standard as a resource of its own: the codes are data, with their
/// labels and descriptions, so a package of code lists alone (`csc-codes`) is complete.
fn codelist_resource(list: &ReleasedList<'_>) -> (Value, (String, Vec<u8>)) {
    let text = |name: &str, title: &str| json!({ "name": name, "title": title, "type": "string" });
    let mut code = text("code", "Code");
    code["constraints"] = json!({ "required": true, "unique": true });
    let schema = json!({
        "fields": [code, text("label", "Label"), text("description", "Description")],
        "primaryKey": ["code"],
        "missingValues": [""],
    });
    let resource = csv_resource(
        format!("codelist_{}", list.list.name),
        sample::codelist_file(&list.list.name),
        list.list.title.as_ref(),
        list.list.description.as_ref(),
        schema,
    );
    let file = sample::codes(list);
    (resource, file)
}

/// The Table Schema type and format of a field's type.
fn table_type(ty: FieldType, date_format: Option<&str>) -> (&'static str, Option<String>) {
    match ty {
        FieldType::String | FieldType::Code => ("string", None),
        FieldType::Integer => ("integer", None),
        FieldType::Decimal => ("number", None),
        FieldType::Boolean => ("boolean", None),
        FieldType::Date => ("date", date_format.map(str::to_owned)),
        FieldType::Datetime => ("datetime", None),
        FieldType::Time => ("time", None),
        FieldType::Year => ("year", None),
        FieldType::YearMonth => ("yearmonth", None),
        // A JSON value may be an object, an array or a scalar: only `any` admits them all.
        FieldType::Json => ("any", None),
    }
}

fn field_descriptor(released: &mut Released<'_>, entity: &Entity, field: &Field) -> Value {
    let path = ElementPath::field(released.id(), &entity.name, &field.name);
    let mut d = Map::new();
    d.insert("name".into(), field.name.clone().into());
    if let Some(t) = &field.title {
        d.insert("title".into(), t.clone().into());
    }
    if let Some(t) = &field.description {
        d.insert("description".into(), t.clone().into());
    }
    let ty = field.field_type.unwrap_or(FieldType::String);
    let (kind, format) = table_type(ty, released.date_format());
    d.insert("type".into(), kind.into());
    if let Some(f) = format {
        d.insert("format".into(), f.into());
    }
    if let Some(e) = field.examples.first() {
        // In the field's own format, as Frictionless checks it.
        d.insert(
            "example".into(),
            crate::sample::as_written(released, field, e.clone()).into(),
        );
    }
    if field.examples.len() > 1 {
        released.lose(
            path.clone(),
            "a Table Schema field has one `example`: the others are in no descriptor",
        );
    }
    if field.multiple {
        released.lose(path.clone(), "`multiple`: Frictionless has no list type yet (Table Schema v2's `list`), so the values are one string and their items are not checked");
    }
    let mut c = Map::new();
    if field.required {
        c.insert("required".into(), true.into());
    }
    let mut said = Vec::new();
    if let Some(k) = &field.constraints {
        // The values of a `multiple` field are one string here: a length or pattern would
        // apply to the whole list, not to each value.
        let text = kind == "string" && !field.multiple;
        let numeric = matches!(kind, "integer" | "number");
        let mut put = Said::new(&mut c);
        put.put("min_length", "minLength", k.min_length, text);
        put.put("max_length", "maxLength", k.max_length, text);
        put.put("pattern", "pattern", k.pattern.clone(), text);
        put.put("minimum", "minimum", k.minimum, numeric);
        put.put("maximum", "maximum", k.maximum, numeric);
        put.put("unique", "unique", k.unique, true);
        said = put.said().to_vec();
    }
    // Frictionless 5 rejects `exclusiveMinimum` and `exclusiveMaximum`, so they are losses too.
    released.lose_constraints(&path, field, &said, FORMAT);
    match released.codelist(field) {
        Some(list) if !field.multiple => {
            let categories: Vec<Value> = list
                .codes
                .iter()
                .map(|code| match &code.label {
                    Some(label) => json!({ "value": code.code, "label": label }),
                    None => json!(code.code),
                })
                .collect();
            if list.closed() {
                let codes: Vec<Value> = list.codes.iter().map(|code| json!(code.code)).collect();
                c.insert("enum".into(), codes.into());
                d.insert("categories".into(), categories.into());
            } else {
                released.lose(path.clone(), format!("code list `{}` is extensible, and Table Schema categories are closed: its codes are not listed", list.list.name));
            }
        }
        Some(list) => released.lose(
            path.clone(),
            format!(
                "the codes of `{}` are not checked in a list of values",
                list.list.name
            ),
        ),
        None => {}
    }
    if !c.is_empty() {
        d.insert("constraints".into(), Value::Object(c));
    }
    Value::Object(d)
}

fn resource<'a>(released: &mut Released<'a>, doc: &'a Doc<Entity>, fields: &[&Field]) -> Value {
    let entity = &*doc.value;
    let mut schema = Map::new();
    schema.insert(
        "$schema".into(),
        "https://datapackage.org/profiles/2.0/tableschema.json".into(),
    );
    let descriptors: Vec<Value> = fields
        .iter()
        .map(|f| field_descriptor(released, entity, f))
        .collect();
    schema.insert("fields".into(), descriptors.into());
    schema.insert("missingValues".into(), json!([""]));
    let (primary, unique) = released.keys(doc, fields, FORMAT);
    if let Some(key) = primary {
        schema.insert("primaryKey".into(), json!(key));
    }
    if !unique.is_empty() {
        schema.insert("uniqueKeys".into(), json!(unique));
    }
    let mut foreign = Vec::new();
    for f in fields {
        let Some(target) = released.reference(f) else {
            continue;
        };
        if target.standard.id() != released.id() {
            released.lose(
                ElementPath::field(released.id(), &entity.name, &f.name),
                format!("`references` into standard `{}`: a data package can only point at its own resources", target.standard.id()),
            );
            continue;
        }
        foreign.push(json!({
            "fields": [f.name],
            "reference": { "resource": target.entity.name, "fields": [target.field.name] },
        }));
    }
    if !foreign.is_empty() {
        schema.insert("foreignKeys".into(), foreign.into());
    }
    csv_resource(
        entity.name.clone(),
        data_file(&entity.name),
        entity.title.as_ref(),
        entity.description.as_ref(),
        Value::Object(schema),
    )
}

/// The package: `datapackage.json` and a CSV of sample data per entity.
pub fn export(catalog: &Catalog, standard: &Standard, _options: &Options) -> Export {
    let Some(mut released) = Released::new(catalog, standard) else {
        return Export::default();
    };
    let meta = released.meta;
    let mut package = Map::new();
    package.insert(
        "$schema".into(),
        "https://datapackage.org/profiles/2.0/datapackage.json".into(),
    );
    package.insert("name".into(), released.id().into());
    if let Some(t) = &meta.title {
        package.insert("title".into(), t.clone().into());
    }
    if let Some(d) = meta.description.as_deref().or(meta.summary.as_deref()) {
        package.insert("description".into(), d.into());
    }
    if let Some(v) = &meta.version {
        package.insert("version".into(), v.clone().into());
    }
    if let Some(l) = &meta.licence {
        package.insert("licenses".into(), json!([{ "name": l }]));
    }
    if let Some(o) = &meta.owner {
        let mut who = Map::new();
        who.insert("title".into(), o.name.clone().into());
        who.insert("roles".into(), json!(["publisher"]));
        if let Some(u) = &o.url {
            who.insert("path".into(), u.clone().into());
        }
        if let Some(e) = &o.email {
            who.insert("email".into(), e.clone().into());
        }
        package.insert("contributors".into(), json!([who]));
    }
    if !meta.sources.is_empty() {
        let sources: Vec<Value> = meta
            .sources
            .iter()
            .map(|s| {
                let mut m = Map::new();
                m.insert("title".into(), s.title.clone().into());
                if let Some(u) = &s.url {
                    m.insert("path".into(), u.clone().into());
                }
                Value::Object(m)
            })
            .collect();
        package.insert("sources".into(), sources.into());
        if meta
            .sources
            .iter()
            .any(|s| s.publisher.is_some() || s.licence.is_some())
        {
            released.lose(
                ElementPath::standard(released.id()),
                "a Data Package source has a title and a path: the sources' publishers and licences are not carried",
            );
        }
    }
    let entities = released.entities.clone();
    let mut files = Vec::new();
    let mut resources = Vec::new();
    for (doc, fields) in &entities {
        resources.push(resource(&mut released, doc, fields));
        let header: Vec<&str> = fields.iter().map(|f| f.name.as_str()).collect();
        let row: Vec<String> = fields.iter().map(|f| sample::value(&released, f)).collect();
        files.push((data_file(&doc.value.name), sample::csv(&header, &[row])));
    }
    for list in released.codelists.clone() {
        released.lose(
            ElementPath::codelist(released.id(), &list.list.name),
            format!(
                "a data package has no code lists: this one is the table `codelist_{}`",
                list.list.name
            ),
        );
        let (resource, file) = codelist_resource(&list);
        resources.push(resource);
        files.push(file);
    }
    package.insert("resources".into(), resources.into());
    lose_keys(&mut released, &entities);
    files.insert(
        0,
        json_file("datapackage.json".into(), &Value::Object(package)),
    );
    Export {
        files,
        losses: released.losses,
    }
}

/// The keys of the standard, its entities, fields and code lists that no descriptor holds.
fn lose_keys(released: &mut Released<'_>, entities: &[(&Doc<Entity>, Vec<&Field>)]) {
    let standard = released.standard;
    released.lose_standard_keys(
        FORMAT,
        &[
            "id",
            "title",
            "description",
            "version",
            "licence",
            "owner",
            "sources",
            "data",
        ],
    );
    released.lose_data_subject(FORMAT);
    released.lose_codelist_references(FORMAT);
    for (e, fields) in entities {
        released.lose_keys(
            Element::Entity(standard, e),
            FORMAT,
            &["name", "title", "description", "primary_key", "unique_keys"],
        );
        for f in fields {
            released.lose_keys(Element::Field(standard, e, f), FORMAT, FIELD_KEYS);
        }
    }
    released.lose_codelist_keys(FORMAT, &["name", "title", "description"]);
    let lists: Vec<_> = entities
        .iter()
        .flat_map(|(_, fs)| fs.iter().filter_map(|f| released.codelist(f)))
        .collect();
    let mut described: Vec<ElementPath> = lists
        .iter()
        .filter(|l| l.standard.id() != released.id())
        .filter(|l| l.codes.iter().any(|c| c.description.is_some()))
        .map(|l| ElementPath::codelist(l.standard.id(), &l.list.name))
        .collect();
    described.sort();
    described.dedup();
    for path in described {
        released.lose(path, "Table Schema categories have a value and a label, and the list is another standard's: the codes' descriptions are not carried");
    }
}
