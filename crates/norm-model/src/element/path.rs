//! [`ElementPath`]: the stable text that names an element, and its kind.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// The kind of an element.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ElementKind {
    /// A standard (`standard.yaml`).
    Standard,
    /// An entity.
    Entity,
    /// A field of an entity.
    Field,
    /// A code list.
    CodeList,
    /// A code of a code list.
    Code,
    /// A validation rule.
    Rule,
}

impl ElementKind {
    /// The kind in words, as messages name it: `standard`, `entity`, `field`, `code list`,
    /// `code`, `rule`.
    pub fn noun(self) -> &'static str {
        match self {
            ElementKind::Standard => "standard",
            ElementKind::Entity => "entity",
            ElementKind::Field => "field",
            ElementKind::CodeList => "code list",
            ElementKind::Code => "code",
            ElementKind::Rule => "rule",
        }
    }
}

/// The stable name of an element. Ordered by its text's components, so sorted paths list a
/// standard before its entities and an entity before its fields.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ElementPath {
    /// `ssd`.
    Standard {
        /// The standard's id.
        standard: String,
    },
    /// `ssd/entities/ssd_person`.
    Entity {
        /// The standard's id.
        standard: String,
        /// The entity's name.
        entity: String,
    },
    /// `ssd/entities/ssd_person/fields/pers_sex`.
    Field {
        /// The standard's id.
        standard: String,
        /// The entity's name.
        entity: String,
        /// The field's name.
        field: String,
    },
    /// `csc-codes/codelists/sex`.
    CodeList {
        /// The standard's id.
        standard: String,
        /// The code list's name.
        codelist: String,
    },
    /// `csc-codes/codelists/sex/codes/M`.
    Code {
        /// The standard's id.
        standard: String,
        /// The code list's name.
        codelist: String,
        /// The code.
        code: String,
    },
    /// `ssda903/rules/213`.
    Rule {
        /// The standard's id.
        standard: String,
        /// The rule's code.
        rule: String,
    },
}

impl ElementPath {
    /// The path of a standard.
    pub fn standard(standard: &str) -> Self {
        ElementPath::Standard {
            standard: standard.to_owned(),
        }
    }

    /// The path of an entity.
    pub fn entity(standard: &str, entity: &str) -> Self {
        ElementPath::Entity {
            standard: standard.to_owned(),
            entity: entity.to_owned(),
        }
    }

    /// The path of a field.
    pub fn field(standard: &str, entity: &str, field: &str) -> Self {
        ElementPath::Field {
            standard: standard.to_owned(),
            entity: entity.to_owned(),
            field: field.to_owned(),
        }
    }

    /// The path of a code list.
    pub fn codelist(standard: &str, codelist: &str) -> Self {
        ElementPath::CodeList {
            standard: standard.to_owned(),
            codelist: codelist.to_owned(),
        }
    }

    /// The path of a code.
    pub fn code(standard: &str, codelist: &str, code: &str) -> Self {
        ElementPath::Code {
            standard: standard.to_owned(),
            codelist: codelist.to_owned(),
            code: code.to_owned(),
        }
    }

    /// The path of a validation rule.
    pub fn rule(standard: &str, rule: &str) -> Self {
        ElementPath::Rule {
            standard: standard.to_owned(),
            rule: rule.to_owned(),
        }
    }

    /// The kind of element it names.
    pub fn kind(&self) -> ElementKind {
        match self {
            ElementPath::Standard { .. } => ElementKind::Standard,
            ElementPath::Entity { .. } => ElementKind::Entity,
            ElementPath::Field { .. } => ElementKind::Field,
            ElementPath::CodeList { .. } => ElementKind::CodeList,
            ElementPath::Code { .. } => ElementKind::Code,
            ElementPath::Rule { .. } => ElementKind::Rule,
        }
    }

    /// The id of the standard the element belongs to.
    pub fn standard_id(&self) -> &str {
        match self {
            ElementPath::Standard { standard }
            | ElementPath::Entity { standard, .. }
            | ElementPath::Field { standard, .. }
            | ElementPath::CodeList { standard, .. }
            | ElementPath::Code { standard, .. }
            | ElementPath::Rule { standard, .. } => standard,
        }
    }

    /// The element's own name: a standard's id, an entity's, field's or list's name, a code,
    /// a rule's code.
    pub fn name(&self) -> &str {
        match self {
            ElementPath::Standard { standard } => standard,
            ElementPath::Entity { entity, .. } => entity,
            ElementPath::Field { field, .. } => field,
            ElementPath::CodeList { codelist, .. } => codelist,
            ElementPath::Code { code, .. } => code,
            ElementPath::Rule { rule, .. } => rule,
        }
    }

    /// The element that contains this one: a field's entity, a code's list, anything else's
    /// standard. `None` for a standard.
    pub fn parent(&self) -> Option<ElementPath> {
        match self {
            ElementPath::Standard { .. } => None,
            ElementPath::Field {
                standard, entity, ..
            } => Some(ElementPath::entity(standard, entity)),
            ElementPath::Code {
                standard, codelist, ..
            } => Some(ElementPath::codelist(standard, codelist)),
            ElementPath::Entity { standard, .. }
            | ElementPath::CodeList { standard, .. }
            | ElementPath::Rule { standard, .. } => Some(ElementPath::standard(standard)),
        }
    }

    /// The entity a path names or lies in (an entity's or a field's), as `(standard, entity)`.
    pub fn entity_name(&self) -> Option<(&str, &str)> {
        match self {
            ElementPath::Entity { standard, entity }
            | ElementPath::Field {
                standard, entity, ..
            } => Some((standard, entity)),
            _ => None,
        }
    }

    /// The code list a path names or lies in (a list's or a code's), as `(standard, list)`.
    pub fn codelist_name(&self) -> Option<(&str, &str)> {
        match self {
            ElementPath::CodeList { standard, codelist }
            | ElementPath::Code {
                standard, codelist, ..
            } => Some((standard, codelist)),
            _ => None,
        }
    }
}

impl fmt::Display for ElementPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ElementPath::Standard { standard } => write!(f, "{standard}"),
            ElementPath::Entity { standard, entity } => write!(f, "{standard}/entities/{entity}"),
            ElementPath::Field {
                standard,
                entity,
                field,
            } => write!(f, "{standard}/entities/{entity}/fields/{field}"),
            ElementPath::CodeList { standard, codelist } => {
                write!(f, "{standard}/codelists/{codelist}")
            }
            ElementPath::Code {
                standard,
                codelist,
                code,
            } => write!(f, "{standard}/codelists/{codelist}/codes/{code}"),
            ElementPath::Rule { standard, rule } => write!(f, "{standard}/rules/{rule}"),
        }
    }
}

/// Why a text is not an element path.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "`{0}` is not an element path; paths look like `ssd/entities/person`, \
     `ssd/entities/person/fields/pers_sex`, `csc-codes/codelists/sex` or \
     `csc-codes/codelists/sex/codes/M` or `ssda903/rules/213`"
)]
pub struct ParsePathError(pub String);

impl FromStr for ElementPath {
    type Err = ParsePathError;

    /// Parses the text [`Display`](fmt::Display) writes. A code may itself contain `/` (the
    /// last component takes the rest of the text); other names may not be empty.
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let bad = || ParsePathError(text.to_owned());
        let (standard, rest) = match text.split_once('/') {
            Some((s, rest)) => (s, Some(rest)),
            None => (text, None),
        };
        if standard.is_empty() {
            return Err(bad());
        }
        let Some(rest) = rest else {
            return Ok(ElementPath::standard(standard));
        };
        let (section, rest) = rest.split_once('/').ok_or_else(bad)?;
        let named = |s: &str| (!s.is_empty()).then_some(()).ok_or_else(bad);
        match section {
            "entities" => match rest.split_once('/') {
                None => named(rest).map(|()| ElementPath::entity(standard, rest)),
                Some((entity, rest)) => {
                    let field = rest.strip_prefix("fields/").ok_or_else(bad)?;
                    named(entity)?;
                    named(field)?;
                    if field.contains('/') {
                        return Err(bad());
                    }
                    Ok(ElementPath::field(standard, entity, field))
                }
            },
            "codelists" => match rest.split_once('/') {
                None => named(rest).map(|()| ElementPath::codelist(standard, rest)),
                Some((list, rest)) => {
                    let code = rest.strip_prefix("codes/").ok_or_else(bad)?;
                    named(list)?;
                    named(code)?;
                    Ok(ElementPath::code(standard, list, code))
                }
            },
            "rules" => named(rest).map(|()| ElementPath::rule(standard, rest)),
            _ => Err(bad()),
        }
    }
}

impl Serialize for ElementPath {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for ElementPath {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}
