//! `openapi`: an OpenAPI 3.1 document whose `components.schemas` are the entities' record
//! schemas. OpenAPI 3.1's Schema Object is JSON Schema 2020-12, so these are the
//! [`crate::json_schema`] schemas; the document has no paths, which 3.1 allows.

use norm_model::catalog::{Catalog, Standard};
use serde_json::{Map, Value, json};

use crate::json_schema::{definitions, heading};
use crate::released::Released;
use crate::{Export, Options, json_file};

/// `<id>.openapi.json`.
pub fn export(catalog: &Catalog, standard: &Standard, _options: &Options) -> Export {
    let Some(mut released) = Released::new(catalog, standard) else {
        return Export::default();
    };
    let format = "an OpenAPI document";
    let schemas = definitions(&mut released, format);
    released.lose_standard_keys(
        format,
        &["id", "title", "description", "version", "licence", "owner"],
    );
    let (title, description) = heading(&released);
    let meta = released.meta;
    let mut info = Map::new();
    info.insert("title".into(), title.into());
    if let Some(d) = description {
        info.insert("description".into(), d.into());
    }
    // `info.version` is the document's version: the standard's.
    info.insert(
        "version".into(),
        meta.version
            .clone()
            .unwrap_or_else(|| "0.0.0".into())
            .into(),
    );
    if let Some(l) = &meta.licence {
        info.insert("license".into(), json!({ "name": l, "identifier": l }));
    }
    if let Some(o) = &meta.owner {
        let mut contact = Map::new();
        contact.insert("name".into(), o.name.clone().into());
        if let Some(u) = &o.url {
            contact.insert("url".into(), u.clone().into());
        }
        if let Some(e) = &o.email {
            contact.insert("email".into(), e.clone().into());
        }
        info.insert("contact".into(), Value::Object(contact));
    }
    let doc = json!({
        "openapi": "3.1.0",
        "info": info,
        "jsonSchemaDialect": "https://json-schema.org/draft/2020-12/schema",
        "paths": {},
        "components": { "schemas": schemas },
    });
    Export {
        files: vec![json_file(format!("{}.openapi.json", released.id()), &doc)],
        losses: released.losses,
    }
}
