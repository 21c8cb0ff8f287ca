//! Code list files: a code list and its codes.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::{Deprecation, Source, Status, model_struct};
use crate::yaml::{Positioned, elements};

model_struct! {
    /// `standards/<id>/codelists/<name>.yaml`: one code list.
    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
    #[serde(deny_unknown_fields)]
    #[schemars(title = "norm code list")]
    pub struct CodeList {
        /// Name of the code list: snake_case, equal to the file name without `.yaml`.
        pub name: String,
        /// Human-readable name.
        #[optional]
        pub title: Option<String>,
        /// What the list classifies, in Markdown.
        #[optional]
        pub description: Option<String>,
        /// Identifier of the list in its source, such as the CBDS item `N00177`.
        #[optional]
        pub item: Option<String>,
        /// `false`: a closed list (consumers may switch on its codes, so adding one is breaking);
        /// `true`: an open list that may grow.
        #[optional]
        pub extensible: Option<bool>,
        /// Where the codes come from.
        #[optional]
        pub source: Option<Source>,
        /// `proposed`, `active` (default) or `deprecated`.
        #[optional]
        pub status: Option<Status>,
        /// Required when `status: deprecated`.
        #[optional]
        pub deprecation: Option<Deprecation>,
        /// Earlier names of the list.
        #[optional]
        pub renamed_from: Vec<String>,
        /// The codes, in display order.
        #[serde(default, deserialize_with = "elements")]
        pub codes: Vec<Code>,
    }
}

model_struct! {
    /// One code of a code list.
    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
    #[serde(deny_unknown_fields)]
    pub struct Code {
        /// The code as it appears in data. Quote it (`"01"`) so that YAML keeps it as written.
        pub code: String,
        /// What the code means, in a few words.
        #[optional]
        pub label: Option<String>,
        /// Longer guidance on when to use the code.
        #[optional]
        pub description: Option<String>,
        /// `proposed`, `active` (default) or `deprecated`.
        #[optional]
        pub status: Option<Status>,
        /// Required when `status: deprecated`.
        #[optional]
        pub deprecation: Option<Deprecation>,
        /// Earlier spellings of the code.
        #[optional]
        pub renamed_from: Vec<String>,
        /// The version of the standard that introduced the code.
        #[optional]
        pub since: Option<String>,
        /// Index of the code in the list's `codes`, set by the loader.
        #[serde(skip)]
        #[schemars(skip)]
        pub position: usize,
    }
}

impl Positioned for Code {
    fn set_position(&mut self, index: usize) {
        self.position = index;
    }
}
