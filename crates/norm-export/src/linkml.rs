//! `norm export linkml`: a LinkML schema (YAML), so that LinkML's generators and the
//! cross-government metadata model (itself written in LinkML) can use the standard.
//!
//! Each entity is a class whose attributes are its fields (ranges from field types, code lists
//! as enums with permissible values, references as the class they point at), a single-field
//! primary key is its `identifier`, other keys are `unique_keys`, and a container class (the
//! `tree_root`) holds a list of each entity's records. Names follow LinkML's conventions:
//! classes and enums in UpperCamelCase, attributes as the fields' own snake_case names.

use norm_model::{Catalog, Element, Field, FieldType, Standard, Status};

use crate::walk::{Bound, Carried, List, Scope, Table, bounds, constraints, upper_camel};
use crate::{Export, Loss, Options};

/// A YAML value, with its keys in the order they are written.
enum Yaml {
    Map(Vec<(String, Yaml)>),
    List(Vec<Yaml>),
    Text(String),
    Bool(bool),
    Number(f64),
}

impl Yaml {
    fn text(text: impl Into<String>) -> Yaml {
        Yaml::Text(text.into())
    }

    /// Writes the value as block YAML, at `depth` levels of indentation. Texts are written
    /// double-quoted with JSON's escapes, which YAML reads the same way, so no text can be
    /// mistaken for a number, a boolean or a comment.
    fn write(&self, out: &mut String, depth: usize) {
        let pad = "  ".repeat(depth);
        match self {
            Yaml::Map(entries) => {
                for (key, value) in entries {
                    out.push_str(&pad);
                    out.push_str(&key_text(key));
                    out.push(':');
                    value.write_after_key(out, depth);
                }
            }
            Yaml::List(items) => {
                for item in items {
                    out.push_str(&pad);
                    out.push('-');
                    item.write_after_key(out, depth);
                }
            }
            scalar => {
                out.push_str(&pad);
                out.push_str(&scalar.scalar());
                out.push('\n');
            }
        }
    }

    fn write_after_key(&self, out: &mut String, depth: usize) {
        match self {
            Yaml::Map(m) if m.is_empty() => out.push_str(" {}\n"),
            Yaml::List(l) if l.is_empty() => out.push_str(" []\n"),
            Yaml::Map(_) | Yaml::List(_) => {
                out.push('\n');
                self.write(out, depth + 1);
            }
            scalar => {
                out.push(' ');
                out.push_str(&scalar.scalar());
                out.push('\n');
            }
        }
    }

    fn scalar(&self) -> String {
        match self {
            Yaml::Text(t) => serde_json::Value::from(t.as_str()).to_string(),
            Yaml::Bool(b) => b.to_string(),
            Yaml::Number(n) => n.to_string(),
            Yaml::Map(_) | Yaml::List(_) => String::new(),
        }
    }
}

/// A mapping key: bare when it is a plain name, quoted otherwise (codes such as `01` or `Y`).
fn key_text(key: &str) -> String {
    // YAML 1.1, which PyYAML reads, takes `Y`, `No`, `off` and the like for booleans.
    let plain = key
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        && !matches!(
            key.to_ascii_lowercase().as_str(),
            "y" | "n" | "yes" | "no" | "on" | "off" | "true" | "false" | "null"
        );
    if plain {
        key.to_owned()
    } else {
        serde_json::Value::from(key).to_string()
    }
}

/// Builds a map, leaving out the entries that are `None`.
fn map(entries: Vec<(&str, Option<Yaml>)>) -> Yaml {
    Yaml::Map(
        entries
            .into_iter()
            .filter_map(|(k, v)| Some((k.to_owned(), v?)))
            .collect(),
    )
}

/// The LinkML schema of `standard`: one file, `<id>.linkml.yaml`.
pub fn export(catalog: &Catalog, standard: &Standard, _options: &Options) -> Export {
    let scope = match Scope::new(catalog, standard) {
        Ok(scope) => scope,
        Err(nothing) => return nothing,
    };
    let mut losses = scope.losses.clone();
    let id = standard.id();
    let prefix = id.replace('-', "_");
    let base = catalog
        .config()
        .site
        .and_then(|s| s.base_url)
        .filter(|u| norm_model::url::web(u).is_some())
        .map_or_else(
            || format!("https://w3id.org/norm/{id}"),
            |u| format!("{}/{id}", u.trim_end_matches('/')),
        );
    let meta = standard.meta.as_ref().map(|m| &m.value);
    let description = standard
        .meta
        .as_ref()
        .and_then(|m| Element::Standard(standard, m).description());
    let mut classes: Vec<(String, Yaml)> = scope
        .tables
        .iter()
        .enumerate()
        .map(|(t, table)| (class_name(table), class(&scope, t, table, &mut losses)))
        .collect();
    let container = format!("{}Container", upper_camel(id));
    classes.push((
        container,
        map(vec![
            (
                "description",
                Some(Yaml::text(format!(
                    "Every record of {}, entity by entity.",
                    scope.title()
                ))),
            ),
            ("tree_root", Some(Yaml::Bool(true))),
            (
                "attributes",
                Some(Yaml::Map(
                    scope
                        .tables
                        .iter()
                        .map(|table| {
                            (
                                table.name().to_owned(),
                                map(vec![
                                    (
                                        "description",
                                        Some(Yaml::text(format!(
                                            "The {} records.",
                                            table.entity().title.as_deref().unwrap_or(table.name())
                                        ))),
                                    ),
                                    ("range", Some(Yaml::text(class_name(table)))),
                                    ("multivalued", Some(Yaml::Bool(true))),
                                    ("inlined_as_list", Some(Yaml::Bool(true))),
                                ]),
                            )
                        })
                        .collect(),
                )),
            ),
        ]),
    ));
    let enums: Vec<(String, Yaml)> = scope
        .lists
        .iter()
        .map(|l| (enum_name(l), enumeration(l)))
        .collect();
    let types: Vec<(String, Yaml)> = ISO_TYPES
        .iter()
        .filter(|t| {
            scope
                .tables
                .iter()
                .any(|table| table.fields.iter().any(|f| f.field_type == Some(t.of)))
        })
        .map(|t| {
            let definition = map(vec![
                ("typeof", Some(Yaml::text("string"))),
                ("uri", Some(Yaml::text(t.uri))),
                ("description", Some(Yaml::text(t.description))),
                ("pattern", Some(Yaml::text(t.pattern))),
            ]);
            (t.name.to_owned(), definition)
        })
        .collect();
    let mut prefixes = vec![
        ("linkml".into(), Yaml::text("https://w3id.org/linkml/")),
        (prefix.clone(), Yaml::text(format!("{base}/"))),
    ];
    if !types.is_empty() {
        prefixes.push((
            "xsd".into(),
            Yaml::text("http://www.w3.org/2001/XMLSchema#"),
        ));
    }
    let schema = map(vec![
        ("id", Some(Yaml::text(&base))),
        ("name", Some(Yaml::text(&prefix))),
        ("title", Some(Yaml::text(scope.title()))),
        ("description", description.map(Yaml::text)),
        ("version", scope.version().map(Yaml::text)),
        (
            "license",
            meta.and_then(|m| m.licence.as_deref()).map(Yaml::text),
        ),
        ("prefixes", Some(Yaml::Map(prefixes))),
        ("default_prefix", Some(Yaml::text(&prefix))),
        ("default_range", Some(Yaml::text("string"))),
        (
            "imports",
            Some(Yaml::List(vec![Yaml::text("linkml:types")])),
        ),
        ("types", (!types.is_empty()).then_some(Yaml::Map(types))),
        ("enums", (!enums.is_empty()).then_some(Yaml::Map(enums))),
        ("classes", Some(Yaml::Map(classes))),
    ]);
    let mut out = format!(
        "# {}: generated by norm export linkml.\n",
        scope.title().replace(['\n', '\r'], " ")
    );
    schema.write(&mut out, 0);
    losses.extend(scope.uncarried("LinkML", &CARRIED));
    Export {
        files: vec![(format!("{id}.linkml.yaml"), out.into_bytes())],
        losses,
    }
}

/// What the schema says of each element (mappings are not among them: LinkML's take CURIEs,
/// ours name items in words).
const CARRIED: Carried = Carried {
    standard: &["id", "title", "description", "version", "licence"],
    entity: &[
        "name",
        "title",
        "description",
        "primary_key",
        "unique_keys",
        "status",
        "deprecation",
    ],
    field: &[
        "name",
        "title",
        "description",
        "type",
        "required",
        "multiple",
        "codelist",
        "references",
        "constraints",
        "column",
        "examples",
        "status",
        "deprecation",
    ],
    list: &["name", "title", "description", "status", "deprecation"],
    code: &["code", "label", "description", "status", "deprecation"],
};

fn class_name(table: &Table<'_>) -> String {
    upper_camel(table.name())
}

fn enum_name(list: &List<'_>) -> String {
    format!("{}Enum", upper_camel(&list.name))
}

/// `deprecated:` for an element with `status: deprecated`: its reason, or that it is.
fn deprecated(
    status: Option<Status>,
    deprecation: Option<&norm_model::model::Deprecation>,
) -> Option<Yaml> {
    (status == Some(Status::Deprecated)).then(|| {
        Yaml::text(
            deprecation
                .and_then(|d| d.reason.clone())
                .unwrap_or_else(|| "Deprecated.".into()),
        )
    })
}

/// The enum of a code list.
fn enumeration(list: &List<'_>) -> Yaml {
    let value = list.list();
    let codes = list
        .codes()
        .map(|c| {
            (
                c.code.clone(),
                map(vec![
                    ("title", c.label.as_deref().map(Yaml::text)),
                    ("description", c.description.as_deref().map(Yaml::text)),
                    ("deprecated", deprecated(c.status, c.deprecation.as_ref())),
                ]),
            )
        })
        .collect();
    map(vec![
        ("title", value.title.as_deref().map(Yaml::text)),
        ("description", value.description.as_deref().map(Yaml::text)),
        (
            "deprecated",
            deprecated(value.status, value.deprecation.as_ref()),
        ),
        ("permissible_values", Some(Yaml::Map(codes))),
    ])
}

/// The class of an entity.
fn class(scope: &Scope<'_>, t: usize, table: &Table<'_>, losses: &mut Vec<Loss>) -> Yaml {
    let entity = table.entity();
    let identifier = table
        .primary_key()
        .filter(|k| k.len() == 1)
        .map(|k| k[0].as_str());
    let mut unique = Vec::new();
    if let Some(pk) = table.primary_key().filter(|k| k.len() > 1) {
        unique.push((
            "primary_key".to_owned(),
            pk.iter().map(String::as_str).collect::<Vec<_>>(),
        ));
    }
    for (i, key) in table.unique_keys().into_iter().enumerate() {
        unique.push((format!("unique_key_{}", i + 1), key));
    }
    let unique_keys = (!unique.is_empty()).then(|| {
        Yaml::Map(
            unique
                .into_iter()
                .map(|(name, slots)| {
                    let slots = slots.into_iter().map(Yaml::text).collect();
                    (
                        name,
                        Yaml::Map(vec![("unique_key_slots".into(), Yaml::List(slots))]),
                    )
                })
                .collect(),
        )
    });
    let attributes = table
        .fields
        .iter()
        .enumerate()
        .map(|(f, field)| {
            (
                field.name.clone(),
                attribute(scope, t, f, table, field, identifier, losses),
            )
        })
        .collect();
    map(vec![
        ("title", entity.title.as_deref().map(Yaml::text)),
        ("description", entity.description.as_deref().map(Yaml::text)),
        (
            "deprecated",
            deprecated(entity.status, entity.deprecation.as_ref()),
        ),
        ("attributes", Some(Yaml::Map(attributes))),
        ("unique_keys", unique_keys),
    ])
}

/// The attribute of a field.
fn attribute(
    scope: &Scope<'_>,
    t: usize,
    f: usize,
    table: &Table<'_>,
    field: &Field,
    identifier: Option<&str>,
    losses: &mut Vec<Loss>,
) -> Yaml {
    let path = table.path(scope.standard, Some(field));
    let mut lose = |message: String| {
        losses.push(Loss {
            path: path.clone(),
            message,
        });
    };
    let target = scope.target_of(t, f);
    let range = match (target, field.field_type) {
        (Some((target, target_field)), _)
            if target.primary_key() == Some(std::slice::from_ref(&target_field.name)) =>
        {
            class_name(target)
        }
        (Some((target, target_field)), ty) => {
            lose(format!(
                "`{}.{}` is not its class's identifier, so the reference is a plain value, not \
                 a range of class {}",
                target.name(),
                target_field.name,
                class_name(target)
            ));
            type_range(ty).to_owned()
        }
        (None, Some(FieldType::Code)) => scope
            .list_of(t, f)
            .map_or_else(|| "string".to_owned(), enum_name),
        (None, ty) => type_range(ty).to_owned(),
    };
    if field.field_type == Some(FieldType::Json) {
        lose("a JSON document is a string in LinkML: its structure is not checked".into());
    }
    let c = constraints(field);
    let length = match (c.min_length, c.max_length) {
        (None, None) => None,
        (min, max) => Some(format!(
            "^.{{{},{}}}$",
            min.unwrap_or(0),
            max.map(|n| n.to_string()).unwrap_or_default()
        )),
    };
    let month = (field.field_type == Some(FieldType::YearMonth))
        .then(|| "^[0-9]{4}-(0[1-9]|1[0-2])$".to_owned());
    // LinkML has one pattern per slot and no length constraint: a length becomes a pattern
    // when the field has none.
    let pattern = match (c.pattern.clone().or(month), length) {
        (Some(pattern), Some(_)) => {
            lose("LinkML has no length constraint, and the field's pattern takes the slot's only pattern: its length is not checked".into());
            Some(pattern)
        }
        (pattern, length) => pattern.or(length),
    };
    let (kept, lost) = bounds(scope, table, field);
    for loss in lost {
        lose(loss.message);
    }
    let (mut minimum, mut maximum) = (None, None);
    for (bound, value) in kept {
        let whole = field.field_type != Some(FieldType::Decimal);
        match (bound, whole) {
            (Bound::Minimum, _) => minimum = Some(value),
            (Bound::Maximum, _) => maximum = Some(value),
            (Bound::ExclusiveMinimum, true) => minimum = Some(value + 1.0),
            (Bound::ExclusiveMaximum, true) => maximum = Some(value - 1.0),
            (Bound::ExclusiveMinimum | Bound::ExclusiveMaximum, false) => lose(format!(
                "LinkML has no exclusive bounds: the bound {value} is not checked"
            )),
        }
    }
    map(vec![
        ("title", field.title.as_deref().map(Yaml::text)),
        ("description", field.description.as_deref().map(Yaml::text)),
        ("range", Some(Yaml::text(range))),
        (
            "identifier",
            (identifier == Some(field.name.as_str())).then_some(Yaml::Bool(true)),
        ),
        ("required", field.required.then_some(Yaml::Bool(true))),
        ("multivalued", field.multiple.then_some(Yaml::Bool(true))),
        ("pattern", pattern.map(Yaml::text)),
        ("minimum_value", minimum.map(Yaml::Number)),
        ("maximum_value", maximum.map(Yaml::Number)),
        (
            "aliases",
            field
                .column
                .as_deref()
                .map(|c| Yaml::List(vec![Yaml::text(c)])),
        ),
        (
            "examples",
            (!field.examples.is_empty()).then(|| {
                Yaml::List(
                    field
                        .examples
                        .iter()
                        .map(|e| map(vec![("value", Some(Yaml::text(e)))]))
                        .collect(),
                )
            }),
        ),
        (
            "deprecated",
            deprecated(field.status, field.deprecation.as_ref()),
        ),
    ])
}

/// A type of the schema's own for a norm type LinkML's built-in one does not fit.
struct IsoType {
    of: FieldType,
    name: &'static str,
    uri: &'static str,
    description: &'static str,
    pattern: &'static str,
}

/// norm's `datetime` and `time` are ISO 8601 with or without an offset from UTC (the CIN
/// census's are local times). LinkML's `datetime` and `time` become JSON Schema's `date-time`
/// and `time` formats, RFC 3339, which require the offset, so LinkML's validator would refuse
/// such values: these types keep the XSD meaning and check the form norm reads.
const ISO_TYPES: [IsoType; 2] = [
    IsoType {
        of: FieldType::Datetime,
        name: "iso_datetime",
        uri: "xsd:dateTime",
        description: "A date and time in ISO 8601 (`2026-04-15T09:30:00`), with or without an \
                      offset from UTC.",
        pattern: "^[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}(:[0-9]{2}(\\.[0-9]+)?)?\
                  (Z|[+-][0-9]{2}:[0-9]{2})?$",
    },
    IsoType {
        of: FieldType::Time,
        name: "iso_time",
        uri: "xsd:time",
        description: "A time of day in ISO 8601 (`09:30` or `09:30:00`), without an offset \
                      from UTC.",
        pattern: "^[0-9]{2}:[0-9]{2}(:[0-9]{2}(\\.[0-9]+)?)?$",
    },
];

/// The LinkML type for a field type: a built-in one, or one of [`ISO_TYPES`].
fn type_range(ty: Option<FieldType>) -> &'static str {
    match ty {
        Some(FieldType::Integer | FieldType::Year) => "integer",
        Some(FieldType::Decimal) => "decimal",
        Some(FieldType::Boolean) => "boolean",
        Some(FieldType::Date) => "date",
        Some(t @ (FieldType::Datetime | FieldType::Time)) => ISO_TYPES
            .iter()
            .find(|i| i.of == t)
            .map_or("string", |i| i.name),
        _ => "string",
    }
}
