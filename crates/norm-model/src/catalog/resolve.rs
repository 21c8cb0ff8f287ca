//! Resolving references between elements, across standards through `requires`.

use super::{Catalog, Doc, Standard};
use crate::element::ElementPath;
use crate::model::{CodeList, Entity};
use crate::reference::{CodeListRef, FieldRef};
use crate::yaml;

/// Why a reference does not resolve.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unresolved {
    /// The text is not a reference of the expected shape.
    Malformed(String),
    /// No standard with that id exists in the repository.
    UnknownStandard(String),
    /// The target standard exists but is not listed in `requires`.
    NotRequired(String),
    /// The target standard's version is outside the `requires` range (or the range is invalid).
    OutOfRange {
        /// The required standard.
        standard: String,
        /// The range in `requires`.
        range: String,
        /// The target's current version.
        version: String,
    },
    /// The standard exists but has no such element. Holds the closest name, if any.
    UnknownElement(Option<String>),
    /// The file that would hold the target, or the `requires` that would admit it, did not
    /// load (a syntax error, say). Holds that file's path. Nothing can be said about the
    /// reference until the file loads, and its own error already says why.
    Unloaded(String),
}

impl Catalog {
    /// Resolves a code list reference written in standard `from`.
    pub fn resolve_codelist(
        &self,
        from: &str,
        reference: &str,
    ) -> Result<(&Standard, &Doc<CodeList>), Unresolved> {
        let r = CodeListRef::parse(reference).map_err(Unresolved::Malformed)?;
        let standard = self.target_standard(from, r.standard)?;
        standard
            .codelist(r.name)
            .map(|c| (standard, c))
            .ok_or_else(|| {
                let names: Vec<&str> = standard
                    .codelists
                    .iter()
                    .map(|c| c.value.name.as_str())
                    .collect();
                Unresolved::UnknownElement(yaml::did_you_mean(r.name, &names).map(str::to_owned))
            })
            .map_err(|why| self.unless_unloaded(why, &ElementPath::codelist(standard.id(), r.name)))
    }

    /// Resolves a field reference (`entity.field` or `standard/entity.field`) written in
    /// standard `from`. Returns the standard, the entity and the index of the field.
    pub fn resolve_field(
        &self,
        from: &str,
        reference: &str,
    ) -> Result<(&Standard, &Doc<Entity>, usize), Unresolved> {
        let r = FieldRef::parse(reference).map_err(Unresolved::Malformed)?;
        let standard = self.target_standard(from, r.standard)?;
        field_in(standard, &r)
            .map_err(|why| self.unless_unloaded(why, &ElementPath::entity(standard.id(), r.entity)))
    }

    /// `why`, unless the file that would hold `target` did not load: then
    /// [`Unresolved::Unloaded`].
    fn unless_unloaded(&self, why: Unresolved, target: &ElementPath) -> Unresolved {
        match self.unloaded_file(target) {
            Some(file) => Unresolved::Unloaded(file.path.clone()),
            None => why,
        }
    }

    /// Finds the field a mapping's `to` names, from standard `from`. Unlike references,
    /// mappings document a correspondence and need no `requires` entry.
    pub fn find_field(
        &self,
        from: &str,
        reference: &str,
    ) -> Result<(&Standard, &Doc<Entity>, usize), Unresolved> {
        let r = FieldRef::parse(reference).map_err(Unresolved::Malformed)?;
        let id = r.standard.unwrap_or(from);
        let standard = self
            .standards
            .get(id)
            .ok_or_else(|| Unresolved::UnknownStandard(id.to_owned()))?;
        field_in(standard, &r)
            .map_err(|why| self.unless_unloaded(why, &ElementPath::entity(id, r.entity)))
    }

    /// Finds the code list a reference names, from standard `from`, without checking
    /// `requires` (for impact analysis: who points at a list, whatever their ranges say).
    pub fn find_codelist(
        &self,
        from: &str,
        reference: &str,
    ) -> Option<(&Standard, &Doc<CodeList>)> {
        let r = CodeListRef::parse(reference).ok()?;
        let standard = self.standards.get(r.standard.unwrap_or(from))?;
        standard.codelist(r.name).map(|c| (standard, c))
    }

    /// The standard a reference from `from` points into, checking `requires` for other
    /// standards.
    fn target_standard(&self, from: &str, target: Option<&str>) -> Result<&Standard, Unresolved> {
        let Some(target) = target.filter(|t| *t != from) else {
            return self
                .standards
                .get(from)
                .ok_or_else(|| Unresolved::UnknownStandard(from.to_owned()));
        };
        let standard = self
            .standards
            .get(target)
            .ok_or_else(|| Unresolved::UnknownStandard(target.to_owned()))?;
        // Without either side's standard.yaml, `requires` and the version cannot be judged.
        for id in [from, target] {
            if let Some(file) = self.unloaded_file(&ElementPath::standard(id)) {
                return Err(Unresolved::Unloaded(file.path.clone()));
            }
        }
        let requires = self
            .standards
            .get(from)
            .and_then(|s| s.meta.as_ref())
            .map(|m| &m.value.requires);
        let Some(range) = requires.and_then(|r| r.get(target)) else {
            return Err(Unresolved::NotRequired(target.to_owned()));
        };
        let out_of_range = || Unresolved::OutOfRange {
            standard: target.to_owned(),
            range: range.clone(),
            version: standard
                .meta
                .as_ref()
                .and_then(|m| m.value.version.clone())
                .unwrap_or_default(),
        };
        let req = semver::VersionReq::parse(range).map_err(|_| out_of_range())?;
        match standard.version() {
            Some(v) if req.matches(&strip_pre(&v)) => Ok(standard),
            Some(_) => Err(out_of_range()),
            // A target without a valid version is reported by `invalid-version`; do not pile on.
            None => Ok(standard),
        }
    }
}

/// The field `r` names inside `standard`.
fn field_in<'a>(
    standard: &'a Standard,
    r: &FieldRef<'_>,
) -> Result<(&'a Standard, &'a Doc<Entity>, usize), Unresolved> {
    let Some(entity) = standard.entity(r.entity) else {
        let names: Vec<&str> = standard
            .entities
            .iter()
            .map(|e| e.value.name.as_str())
            .collect();
        return Err(Unresolved::UnknownElement(
            yaml::did_you_mean(r.entity, &names).map(str::to_owned),
        ));
    };
    let fields = &entity.value.fields;
    match fields.iter().position(|f| f.name == r.field) {
        Some(i) => Ok((standard, entity, i)),
        None => {
            let names: Vec<&str> = fields.iter().map(|f| f.name.as_str()).collect();
            Err(Unresolved::UnknownElement(
                yaml::did_you_mean(r.field, &names).map(|f| format!("{}.{f}", r.entity)),
            ))
        }
    }
}

/// Compares versions by their numbers alone: pre-release and build metadata are ignored
/// (change-rules.md), so `1.2.0-rc.1` satisfies `^1.0`.
fn strip_pre(v: &semver::Version) -> semver::Version {
    semver::Version::new(v.major, v.minor, v.patch)
}
