//! Matches elements across the two sides by identity and runs the change rules on each pair.

use std::collections::BTreeSet;

use norm_model::config::Bump;
use norm_model::model::{Code, CodeList, Entity, Field, Rule, StandardMeta};
use norm_model::{Catalog, Compatibility, ElementPath, FileId, Location, Status, Trees};
use serde::Serialize;

use crate::matching::Identity;

mod walk;

use crate::{
    Change, ChangeMeta, Declared, Impact, Kind, Options, PolicyError, Position, StandardDiff,
    Verdict,
};

/// One element on both sides: `None` where it is absent (added or removed).
#[derive(Debug, Clone, Copy)]
pub enum Pair<'a> {
    /// `standard.yaml`.
    Standard {
        /// Old side.
        old: Option<&'a StandardMeta>,
        /// New side.
        new: Option<&'a StandardMeta>,
    },
    /// An entity.
    Entity {
        /// Old side.
        old: Option<&'a Entity>,
        /// New side.
        new: Option<&'a Entity>,
    },
    /// A field, with its entity on each side.
    Field {
        /// Old side.
        old: Option<&'a Field>,
        /// New side.
        new: Option<&'a Field>,
        /// The entity holding the old field.
        old_entity: &'a Entity,
        /// The entity holding the new field.
        new_entity: &'a Entity,
    },
    /// A code list.
    Codelist {
        /// Old side.
        old: Option<&'a CodeList>,
        /// New side.
        new: Option<&'a CodeList>,
    },
    /// A code, with its list on each side.
    Code {
        /// Old side.
        old: Option<&'a Code>,
        /// New side.
        new: Option<&'a Code>,
        /// The list holding the old code.
        old_list: &'a CodeList,
        /// The list holding the new code.
        new_list: &'a CodeList,
    },
    /// A validation rule.
    Rule {
        /// Old side.
        old: Option<&'a Rule>,
        /// New side.
        new: Option<&'a Rule>,
    },
}

/// What rules may consult besides the pair.
pub struct Cx<'a> {
    /// The old catalog.
    pub old: &'a Catalog,
    /// The new catalog.
    pub new: &'a Catalog,
    /// The standard being diffed.
    pub standard: &'a str,
    /// Its diff profile.
    pub profile: Compatibility,
}

/// The element rules are reporting on.
#[derive(Debug, Clone)]
struct Current {
    path: ElementPath,
    old: Option<Position>,
    new: Option<Position>,
    proposed: bool,
}

/// Collects the changes and policy errors rules report.
pub struct Out {
    current: Current,
    changes: Vec<Change>,
    policy: Vec<PolicyError>,
    /// Keys classified by the rules that fired on the current element.
    fired: BTreeSet<&'static str>,
    profile: Compatibility,
    overrides: std::collections::BTreeMap<String, Bump>,
    /// Files that did not load on one side, whose elements were left out of the comparison.
    not_compared: BTreeSet<String>,
}

/// Rules whose bump holds even inside a `proposed` element: they classify leaving or entering
/// the proposed state itself.
const STATUS_RULES: &[&str] = &["status-activated", "status-proposed"];

impl Out {
    fn push_full(
        &mut self,
        meta: &'static ChangeMeta,
        message: String,
        rename: Option<(String, String)>,
        text: Option<crate::text::TextDiff>,
    ) {
        self.fired.extend(meta.keys);
        let proposed = self.current.proposed && !STATUS_RULES.contains(&meta.id);
        let bump = if proposed {
            Bump::None
        } else {
            self.overrides
                .get(meta.id)
                .copied()
                .unwrap_or(meta.bump(self.profile))
        };
        let fingerprint = fingerprint(&[meta.id, &self.current.path.to_string(), &message]);
        self.changes.push(Change {
            rule: meta.id,
            bump,
            fingerprint,
            path: self.current.path.clone(),
            message,
            old: self.current.old.clone(),
            new: self.current.new.clone(),
            rename,
            text,
            impact: Impact::default(),
            proposed,
            accepted: None,
        });
    }

    /// Reports a change of the current element.
    pub fn push(&mut self, meta: &'static ChangeMeta, message: impl Into<String>) {
        self.push_full(meta, message.into(), None, None);
    }

    /// Reports a rename, with the old and new names.
    pub fn rename(
        &mut self,
        meta: &'static ChangeMeta,
        message: impl Into<String>,
        old: &str,
        new: &str,
    ) {
        self.push_full(
            meta,
            message.into(),
            Some((old.to_owned(), new.to_owned())),
            None,
        );
    }

    /// Reports a text change, with a word-level diff.
    pub fn text(
        &mut self,
        meta: &'static ChangeMeta,
        message: impl Into<String>,
        old: &str,
        new: &str,
    ) {
        self.push_full(
            meta,
            message.into(),
            None,
            Some(crate::text::diff(old, new)),
        );
    }

    /// Reports a policy error about the current element.
    pub fn policy(&mut self, rule: &'static str, message: impl Into<String>) {
        self.policy.push(PolicyError {
            rule,
            path: self.current.path.clone(),
            message: message.into(),
            accepted: None,
        });
    }
}

/// A stable 48-bit FNV-1a hash of the parts, as 12 hex digits. FNV-1a is fixed by its
/// definition, so fingerprints do not change with the Rust or norm version.
pub(crate) fn fingerprint(parts: &[&str]) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for part in parts {
        for byte in part.bytes().chain([0]) {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
    format!("{:012x}", hash & 0xffff_ffff_ffff)
}

fn position(catalog: &Catalog, trees: &mut Trees<'_>, location: Location) -> Option<Position> {
    let file = catalog.files.get(location.file)?.path.clone();
    let line = trees.locate(&location).map_or(1, |s| s.line);
    Some(Position { file, line })
}

/// Whether the element is proposed on every side where it exists.
fn proposed<T: Identity>(old: Option<&T>, new: Option<&T>) -> bool {
    let p = |e: Option<&T>| e.is_none_or(|e| e.status() == Some(Status::Proposed));
    (old.is_some() || new.is_some()) && p(old) && p(new)
}

/// The top-level keys whose values differ between two serialisable values, minus `skip`. An
/// element's `status` left out means `active` (format.md), so writing the default out is no
/// change.
fn changed_keys<T: Serialize>(old: &T, new: &T, skip: &[&str]) -> Vec<String> {
    let (Ok(serde_json::Value::Object(o)), Ok(serde_json::Value::Object(n))) =
        (serde_json::to_value(old), serde_json::to_value(new))
    else {
        return Vec::new();
    };
    let active = serde_json::Value::String(Status::Active.as_str().to_owned());
    let value =
        |side: &'_ serde_json::Map<String, serde_json::Value>, key: &str| match side.get(key) {
            None | Some(serde_json::Value::Null) if key == "status" => Some(active.clone()),
            other => other.cloned(),
        };
    let keys: BTreeSet<&String> = o.keys().chain(n.keys()).collect();
    keys.into_iter()
        .filter(|k| !skip.contains(&k.as_str()) && value(&o, k) != value(&n, k))
        .cloned()
        .collect()
}

struct Walker<'a> {
    cx: Cx<'a>,
    out: Out,
    /// The trees of the files whose changes were located, old side then new: kept for one
    /// standard, so that its changes in one file cost one parse, and dropped with it.
    trees: [Trees<'a>; 2],
}

impl<'a> Walker<'a> {
    /// The position of `path` in file `file` of the new side, or else of the old side.
    fn pos(
        &mut self,
        new_side: bool,
        file: FileId,
        path: impl FnOnce(Location) -> Location,
    ) -> Option<Position> {
        let catalog = if new_side { self.cx.new } else { self.cx.old };
        position(
            catalog,
            &mut self.trees[usize::from(new_side)],
            path(Location::file(file)),
        )
    }

    /// Whether the element at `path`, absent from one side, is absent only because its file
    /// did not load on that side (`new_side` says which). Such an element is left out of the
    /// comparison, and the file recorded, so that a syntax error is not read as a removal.
    fn unloaded_on(&mut self, new_side: bool, path: &ElementPath) -> bool {
        let catalog = if new_side { self.cx.new } else { self.cx.old };
        match catalog.unloaded_file(path) {
            Some(file) => {
                self.out.not_compared.insert(file.path.clone());
                true
            }
            None => false,
        }
    }

    fn run(&mut self, kind: Kind, pair: &Pair<'_>) {
        self.out.fired.clear();
        for rule in crate::rules::REGISTRY
            .iter()
            .filter(|r| r.meta().kind == kind || r.meta().kind == Kind::Any)
        {
            rule.check(&self.cx, pair, &mut self.out);
        }
    }

    /// Reports keys that changed and that no rule classified. `kind` prefixes the keys as the
    /// rules declare them (`field.type`).
    fn unclassified<T: Serialize>(
        &mut self,
        kind: &str,
        what: &str,
        old: &T,
        new: &T,
        skip: &[&str],
    ) {
        for key in changed_keys(old, new, skip) {
            if !self.out.fired.contains(format!("{kind}.{key}").as_str()) {
                self.out.push_full(
                    &UNCLASSIFIED,
                    format!("`{key}` of {what} changed, and no change rule classifies it"),
                    None,
                    None,
                );
            }
        }
    }

    fn at(
        &mut self,
        path: ElementPath,
        old: Option<Position>,
        new: Option<Position>,
        proposed: bool,
    ) {
        self.out.current = Current {
            path,
            old,
            new,
            proposed,
        };
    }
}

/// The declaration behind `unclassified` changes: reported as a warning, never bumped.
pub(crate) static UNCLASSIFIED: ChangeMeta = ChangeMeta {
    id: "unclassified",
    full: Bump::None,
    backward: Bump::None,
    kind: Kind::Standard,
    keys: &[],
    docs: "A change that no change rule classifies. Reported so that nothing is silently dropped; \
           review it by hand.\n",
};

/// Diffs one standard; the verdict is left to the caller.
pub(crate) fn diff_standard(
    old: &Catalog,
    new: &Catalog,
    id: &str,
    options: &Options,
    indexes: &crate::impact::Indexes<'_>,
) -> StandardDiff {
    let (os, ns) = (old.standards.get(id), new.standards.get(id));
    let (mut om, mut nm) = (
        os.and_then(|s| s.meta.as_ref()),
        ns.and_then(|s| s.meta.as_ref()),
    );
    // A standard.yaml that does not load on one side is taken as unchanged: its syntax error
    // is the finding, not a removed standard.
    let mut not_compared = BTreeSet::new();
    let standard = ElementPath::standard(id);
    if nm.is_none()
        && let Some(file) = new.unloaded_file(&standard)
    {
        not_compared.insert(file.path.clone());
        nm = om;
    }
    if om.is_none()
        && let Some(file) = old.unloaded_file(&standard)
    {
        not_compared.insert(file.path.clone());
        om = nm;
    }
    let profile = nm
        .or(om)
        .and_then(|m| m.value.compatibility)
        .unwrap_or_default();
    let mut w = Walker {
        trees: [Trees::new(old), Trees::new(new)],
        cx: Cx {
            old,
            new,
            standard: id,
            profile,
        },
        out: Out {
            current: Current {
                path: ElementPath::standard(id),
                old: None,
                new: None,
                proposed: false,
            },
            changes: Vec::new(),
            policy: Vec::new(),
            fired: BTreeSet::new(),
            profile,
            overrides: options
                .config
                .diff
                .as_ref()
                .map(|d| d.rules.clone())
                .unwrap_or_default(),
            not_compared,
        },
    };
    let opos = om.and_then(|m| w.pos(false, m.file, |l| l));
    let npos = nm.and_then(|m| w.pos(true, m.file, |l| l));
    w.at(ElementPath::standard(id), opos, npos, false);
    let pair = Pair::Standard {
        old: om.map(|m| &*m.value),
        new: nm.map(|m| &*m.value),
    };
    w.run(Kind::Standard, &pair);
    if let (Some(o), Some(n)) = (om, nm) {
        w.unclassified(
            "standard",
            &format!("standard `{id}`"),
            &*o.value,
            &*n.value,
            &["version"],
        );
    }

    let empty = norm_model::Standard::default();
    let (os, ns) = (os.unwrap_or(&empty), ns.unwrap_or(&empty));
    walk::entities(&mut w, os, ns, id);
    walk::codelists(&mut w, os, ns, id);
    walk::rules(&mut w, os, ns, id);

    let mut sd = StandardDiff {
        id: id.to_owned(),
        old_version: om.and_then(|m| m.value.version.clone()),
        new_version: nm.and_then(|m| m.value.version.clone()),
        declared_bump: Declared::None,
        required_bump: Bump::None,
        breaking: false,
        verdict: Verdict::Ok,
        changes: w.out.changes,
        policy_errors: w.out.policy,
        not_compared: w.out.not_compared.into_iter().collect(),
    };
    crate::impact::fill(indexes, &mut sd, &options.config);
    sd
}
