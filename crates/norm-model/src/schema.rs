//! JSON Schemas of the format, generated from the model, for editors (`yaml-language-server`)
//! and for other tools.

use schemars::{JsonSchema, generate::SchemaSettings};

/// The files that have a schema.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SchemaKind {
    /// `standards/<id>/standard.yaml`
    Standard,
    /// `standards/<id>/entities/<name>.yaml`
    Entity,
    /// `standards/<id>/codelists/<name>.yaml`
    Codelist,
    /// `standards/<id>/rules/<code>.yaml`
    Rule,
    /// `norm.yaml`
    Config,
}

impl SchemaKind {
    /// Every kind, in the order of the CLI.
    pub const ALL: [SchemaKind; 5] = [
        SchemaKind::Standard,
        SchemaKind::Entity,
        SchemaKind::Codelist,
        SchemaKind::Rule,
        SchemaKind::Config,
    ];

    /// The name used on the command line and in file names (`<name>.schema.json`).
    pub fn name(self) -> &'static str {
        match self {
            SchemaKind::Standard => "standard",
            SchemaKind::Entity => "entity",
            SchemaKind::Codelist => "codelist",
            SchemaKind::Rule => "rule",
            SchemaKind::Config => "config",
        }
    }

    /// The committed file name under `docs/schema/`.
    pub fn file_name(self) -> String {
        format!("{}.schema.json", self.name())
    }
}

/// The JSON Schema (draft 2020-12) of `kind`, pretty-printed, ending with a newline.
pub fn json_schema(kind: SchemaKind) -> String {
    match kind {
        SchemaKind::Standard => render::<crate::model::StandardMeta>(),
        SchemaKind::Entity => render::<crate::model::Entity>(),
        SchemaKind::Codelist => render::<crate::model::CodeList>(),
        SchemaKind::Rule => render::<crate::model::Rule>(),
        SchemaKind::Config => render::<crate::config::Config>(),
    }
}

/// The JSON Schema (draft 2020-12) of `T`, pretty-printed, ending with a newline: the form of
/// every schema committed under `docs/schema/` (the model's, and the lint and catalogue
/// reports').
pub fn render<T: JsonSchema>() -> String {
    let schema = SchemaSettings::draft2020_12()
        .into_generator()
        .into_root_schema_for::<T>();
    let mut text = serde_json::to_string_pretty(&schema).unwrap_or_default();
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The committed schemas are what the model generates; `cargo xtask codegen` rewrites them.
    #[test]
    fn committed_schemas_are_fresh() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/schema");
        for kind in SchemaKind::ALL {
            let path = dir.join(kind.file_name());
            let committed = std::fs::read_to_string(&path).unwrap_or_default();
            assert!(
                committed == json_schema(kind),
                "{} is stale: run `cargo xtask codegen`",
                path.display()
            );
        }
    }

    #[test]
    fn schemas_mark_required_keys_and_forbid_unknown_ones() {
        let entity: serde_json::Value =
            serde_json::from_str(&json_schema(SchemaKind::Entity)).unwrap();
        assert_eq!(entity["required"], serde_json::json!(["name"]));
        assert_eq!(entity["additionalProperties"], false);
        let field = &entity["$defs"]["Field"];
        assert_eq!(field["required"], serde_json::json!(["name", "type"]));
        assert!(field["properties"].get("position").is_none());
        let rule: serde_json::Value = serde_json::from_str(&json_schema(SchemaKind::Rule)).unwrap();
        assert_eq!(
            rule["required"],
            serde_json::json!(["code", "title", "severity", "entity"])
        );
        assert_eq!(rule["additionalProperties"], false);
    }
}
