//! What every element has, for the change rules that apply to any kind: [`View`].

use norm_model::Status;
use norm_model::model::{Code, CodeList, Entity, Field, Rule, StandardMeta};

use crate::engine::Pair;

/// What every element has, for the rules that apply to any kind.
#[derive(Debug, Clone, Copy)]
pub struct View<'a> {
    /// `standard`, `entity`, `field`, `code list`, `code` or `rule`.
    pub kind: &'static str,
    /// The name (a standard's id, a code's code).
    pub name: &'a str,
    /// The title (a code's label).
    pub title: Option<&'a str>,
    /// The description (a standard's summary is separate).
    pub description: Option<&'a str>,
    /// The status (standards have none here).
    pub status: Option<Status>,
    /// The deprecation block.
    pub deprecation: Option<&'a norm_model::model::Deprecation>,
}

impl<'a> Pair<'a> {
    /// The two sides as [`View`]s.
    pub fn views(&self) -> (Option<View<'a>>, Option<View<'a>>) {
        fn entity(e: &Entity) -> View<'_> {
            View {
                kind: "entity",
                name: &e.name,
                title: e.title.as_deref(),
                description: e.description.as_deref(),
                status: e.status,
                deprecation: e.deprecation.as_ref(),
            }
        }
        fn field(f: &Field) -> View<'_> {
            View {
                kind: "field",
                name: &f.name,
                title: f.title.as_deref(),
                description: f.description.as_deref(),
                status: f.status,
                deprecation: f.deprecation.as_ref(),
            }
        }
        fn list(l: &CodeList) -> View<'_> {
            View {
                kind: "code list",
                name: &l.name,
                title: l.title.as_deref(),
                description: l.description.as_deref(),
                status: l.status,
                deprecation: l.deprecation.as_ref(),
            }
        }
        fn code(c: &Code) -> View<'_> {
            View {
                kind: "code",
                name: &c.code,
                title: c.label.as_deref(),
                description: c.description.as_deref(),
                status: c.status,
                deprecation: c.deprecation.as_ref(),
            }
        }
        fn rule(r: &Rule) -> View<'_> {
            View {
                kind: "rule",
                name: &r.code,
                title: r.title.as_deref(),
                description: r.description.as_deref(),
                status: r.status,
                deprecation: r.deprecation.as_ref(),
            }
        }
        fn standard(s: &StandardMeta) -> View<'_> {
            View {
                kind: "standard",
                name: &s.id,
                title: s.title.as_deref(),
                description: s.description.as_deref(),
                status: None,
                deprecation: None,
            }
        }
        match *self {
            Pair::Standard { old, new } => (old.map(standard), new.map(standard)),
            Pair::Entity { old, new } => (old.map(entity), new.map(entity)),
            Pair::Field { old, new, .. } => (old.map(field), new.map(field)),
            Pair::Codelist { old, new } => (old.map(list), new.map(list)),
            Pair::Code { old, new, .. } => (old.map(code), new.map(code)),
            Pair::Rule { old, new } => (old.map(rule), new.map(rule)),
        }
    }
}
