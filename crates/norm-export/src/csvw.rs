//! `csvw`: CSV on the Web metadata (W3C, `csv-metadata.json`) describing each entity's CSV,
//! with one row of sample data per entity from the fields' `examples`.

use norm_model::ElementPath;
use norm_model::catalog::{Catalog, Standard};
use norm_model::element::Element;
use norm_model::model::{Entity, Field, FieldType, ITEM_SEPARATOR};
use serde_json::{Map, Value, json};

use crate::released::{Released, Said};
use crate::{Export, Options, datapackage::data_file, json_file, sample};

const FORMAT: &str = "CSVW";

/// The field keys CSVW metadata carries (`column` as a second title).
const FIELD_KEYS: &[&str] = &[
    "name",
    "column",
    "title",
    "description",
    "type",
    "required",
    "multiple",
    "codelist",
    "references",
    "constraints",
    "examples",
];

/// A strftime date format (`%d/%m/%Y`) as a CSVW (Unicode TR35) date pattern (`dd/MM/yyyy`),
/// when it uses only `%d`, `%m`, `%Y` and `%y`.
fn date_pattern(format: &str) -> Option<String> {
    let mut out = String::new();
    let mut chars = format.chars();
    while let Some(c) = chars.next() {
        match c {
            '%' => out.push_str(match chars.next()? {
                'd' => "dd",
                'm' => "MM",
                'Y' => "yyyy",
                'y' => "yy",
                _ => return None,
            }),
            // Letters are pattern symbols in TR35; literal text would need quoting.
            c if c.is_ascii_alphabetic() => return None,
            c => out.push(c),
        }
    }
    Some(out)
}

/// `text` with the characters a regular expression gives meaning to escaped.
fn regex_escape(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars() {
        if "\\.+*?()|[]{}^$-".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

fn datatype(released: &mut Released<'_>, path: &ElementPath, field: &Field) -> Value {
    let ty = field.field_type.unwrap_or(FieldType::String);
    let base = match ty {
        FieldType::String | FieldType::Code => "string",
        FieldType::Integer => "integer",
        FieldType::Decimal => "decimal",
        FieldType::Boolean => "boolean",
        FieldType::Date => "date",
        FieldType::Datetime => "datetime",
        FieldType::Time => "time",
        FieldType::Year => "gYear",
        FieldType::YearMonth => "gYearMonth",
        FieldType::Json => "json",
    };
    let mut d = Map::new();
    d.insert("base".into(), base.into());
    if ty == FieldType::Date
        && let Some(format) = released.date_format()
    {
        match date_pattern(format) {
            Some(p) => {
                d.insert("format".into(), p.into());
            }
            None => released.lose(
                path.clone(),
                format!("date format `{format}` has no CSVW pattern"),
            ),
        }
    }
    let text = base == "string";
    let numeric = matches!(base, "integer" | "decimal");
    let mut said = Vec::new();
    if let Some(c) = &field.constraints {
        let mut put = Said::new(&mut d);
        put.put("min_length", "minLength", c.min_length, text);
        put.put("max_length", "maxLength", c.max_length, text);
        put.put("minimum", "minimum", c.minimum, numeric);
        put.put("maximum", "maximum", c.maximum, numeric);
        put.put(
            "exclusive_minimum",
            "minExclusive",
            c.exclusive_minimum,
            numeric,
        );
        put.put(
            "exclusive_maximum",
            "maxExclusive",
            c.exclusive_maximum,
            numeric,
        );
        said = put.said().to_vec();
    }
    // A string datatype's `format` is a regular expression: the code list's codes, or else the
    // field's pattern (CSVW anchors it to the whole value).
    let pattern = field.constraints.as_ref().and_then(|c| c.pattern.clone());
    match released.codelist(field) {
        Some(list) if list.closed() => {
            let codes: Vec<String> = list.codes.iter().map(|c| regex_escape(&c.code)).collect();
            d.insert("format".into(), format!("^(?:{})$", codes.join("|")).into());
        }
        list => {
            if let Some(list) = list {
                released.lose(
                    path.clone(),
                    format!(
                        "code list `{}` is extensible: CSVW does not list its codes",
                        list.list.name
                    ),
                );
            }
            // A string datatype's `format` is a regular expression; a column has one, so a
            // code list's takes the place of the pattern.
            if let Some(p) = pattern.filter(|_| text) {
                d.insert("format".into(), p.into());
                said.push("pattern");
            }
        }
    }
    // CSVW has no unique columns; `pattern` beside a closed code list has no place either.
    released.lose_constraints(path, field, &said, FORMAT);
    Value::Object(d)
}

fn column(released: &mut Released<'_>, entity: &Entity, field: &Field) -> Value {
    let path = ElementPath::field(released.id(), &entity.name, &field.name);
    let mut c = Map::new();
    c.insert("name".into(), field.name.clone().into());
    let mut titles = vec![Value::from(field.name.clone())];
    titles.extend(field.column.clone().map(Value::from));
    c.insert("titles".into(), titles.into());
    if let Some(t) = &field.title {
        c.insert("dc:title".into(), t.clone().into());
    }
    if let Some(t) = &field.description {
        c.insert("dc:description".into(), t.clone().into());
    }
    c.insert("datatype".into(), datatype(released, &path, field));
    if field.required {
        c.insert("required".into(), true.into());
    }
    if field.multiple {
        c.insert("separator".into(), ITEM_SEPARATOR.to_string().into());
    }
    Value::Object(c)
}

/// The metadata document `<id>.csv-metadata.json` and a sample CSV per entity.
pub fn export(catalog: &Catalog, standard: &Standard, _options: &Options) -> Export {
    let Some(mut released) = Released::new(catalog, standard) else {
        return Export::default();
    };
    let entities = released.entities.clone();
    let mut tables = Vec::new();
    let mut files = Vec::new();
    for (doc, fields) in &entities {
        let entity = &*doc.value;
        let columns: Vec<Value> = fields
            .iter()
            .map(|f| column(&mut released, entity, f))
            .collect();
        let mut schema = Map::new();
        schema.insert("columns".into(), columns.into());
        let names: Vec<&str> = fields.iter().map(|f| f.name.as_str()).collect();
        // CSVW has no unique keys beside the primary key: `unique_keys` is a loss below.
        if let (Some(key), _) = released.keys(doc, fields, FORMAT) {
            schema.insert("primaryKey".into(), json!(key));
        }
        let mut foreign = Vec::new();
        for f in fields {
            let Some(target) = released.reference(f) else {
                continue;
            };
            if target.standard.id() != released.id() {
                released.lose(
                    ElementPath::field(released.id(), &entity.name, &f.name),
                    format!(
                        "`references` into standard `{}`: its CSV is not described here",
                        target.standard.id()
                    ),
                );
                continue;
            }
            foreign.push(json!({
                "columnReference": f.name,
                "reference": { "resource": data_file(&target.entity.name), "columnReference": target.field.name },
            }));
        }
        if !foreign.is_empty() {
            schema.insert("foreignKeys".into(), foreign.into());
        }
        let mut table = Map::new();
        table.insert("url".into(), data_file(&entity.name).into());
        if let Some(t) = &entity.title {
            table.insert("dc:title".into(), t.clone().into());
        }
        if let Some(t) = &entity.description {
            table.insert("dc:description".into(), t.clone().into());
        }
        table.insert("tableSchema".into(), Value::Object(schema));
        tables.push(Value::Object(table));
        let row: Vec<String> = fields.iter().map(|f| sample::value(&released, f)).collect();
        files.push((data_file(&entity.name), sample::csv(&names, &[row])));
    }
    for list in released.codelists.clone() {
        let text = |name: &str| json!({ "name": name, "titles": name, "datatype": "string" });
        let mut code = text("code");
        code["required"] = true.into();
        let mut table = Map::new();
        let (path, bytes) = sample::codes(&list);
        table.insert("url".into(), path.clone().into());
        if let Some(t) = &list.list.title {
            table.insert("dc:title".into(), t.clone().into());
        }
        table.insert(
            "tableSchema".into(),
            json!({ "columns": [code, text("label"), text("description")], "primaryKey": "code" }),
        );
        tables.push(Value::Object(table));
        files.push((path, bytes));
    }
    let meta = released.meta;
    let mut doc = Map::new();
    doc.insert(
        "@context".into(),
        json!(["http://www.w3.org/ns/csvw", { "@language": "en" }]),
    );
    if let Some(t) = &meta.title {
        doc.insert("dc:title".into(), t.clone().into());
    }
    if let Some(d) = meta.description.as_deref().or(meta.summary.as_deref()) {
        doc.insert("dc:description".into(), d.into());
    }
    if let Some(l) = &meta.licence {
        doc.insert("dc:license".into(), l.clone().into());
    }
    if let Some(v) = &meta.version {
        doc.insert("schema:version".into(), v.clone().into());
    }
    doc.insert("tables".into(), tables.into());
    lose_keys(&mut released, &entities);
    files.insert(
        0,
        json_file(
            format!("{}.csv-metadata.json", released.id()),
            &Value::Object(doc),
        ),
    );
    Export {
        files,
        losses: released.losses,
    }
}

fn lose_keys(released: &mut Released<'_>, entities: &[(&norm_model::Doc<Entity>, Vec<&Field>)]) {
    let standard = released.standard;
    released.lose_standard_keys(
        FORMAT,
        &["id", "title", "description", "version", "licence", "data"],
    );
    released.lose_data_subject(FORMAT);
    released.lose_codelist_references(FORMAT);
    for (e, fields) in entities {
        released.lose_keys(
            Element::Entity(standard, e),
            FORMAT,
            &["name", "title", "description", "primary_key"],
        );
        for f in fields {
            released.lose_keys(Element::Field(standard, e, f), FORMAT, FIELD_KEYS);
        }
    }
    released.lose_codelist_keys(FORMAT, &["name", "title"]);
}
