//! How a standard's entities appear in data files (CSV, spreadsheets, XML): the `data:` blocks of
//! `standard.yaml` and entity files. Importers write them, the validator and exporters read them.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::model_struct;

/// How a data file writes the items of a `multiple: true` field: in one cell, separated by
/// this character (`LD;AUTI`), each item trimmed. It is CSV on the Web's `separator` for such a
/// column, and not the comma that separates CSV cells, so a list needs no quoting.
pub const ITEM_SEPARATOR: char = ';';

model_struct! {
    /// `data:` in `standard.yaml`: conventions shared by every data file of the standard.
    #[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
    #[serde(deny_unknown_fields)]
    pub struct StandardData {
        /// How dates are written in data files, as a `strftime` pattern such as `%d/%m/%Y`.
        /// Without it, dates are ISO 8601 (`%Y-%m-%d`).
        #[optional]
        pub date_format: Option<String>,
        /// The field that names the person a row is about (for example `child`), present in
        /// every entity that has one: validation reports group their findings by it.
        #[optional]
        pub subject: Option<String>,
    }
}

model_struct! {
    /// `data:` in an entity file: where the entity's rows are found.
    #[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
    #[serde(deny_unknown_fields)]
    pub struct EntityData {
        /// File stems or sheet names that hold this entity, matched case-insensitively (for
        /// example `Episodes`). Without it, the entity's name.
        #[optional]
        pub names: Vec<String>,
    }
}
