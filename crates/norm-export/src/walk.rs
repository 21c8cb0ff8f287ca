//! What the xsd, sql, workbook and linkml formats read of a standard, on top of the
//! [`Released`] view every format shares (all but `proposed` elements): the entities as tables
//! with their keys, the code lists the standard carries (its own, then those of other standards
//! its fields use, under names unique in the export), and the fields its references point at.
//! Each of those formats only spells this one reading, so they agree on what is lost.

use norm_model::model::Constraints;
use norm_model::{
    Catalog, Code, CodeList, Doc, Element, ElementPath, Entity, Field, FieldType, Standard,
};

use crate::released::{Released, ReleasedList};
use crate::{Export, Loss};

/// One standard as the formats see it.
pub(crate) struct Scope<'a> {
    /// The catalog the standard is in.
    catalog: &'a Catalog,
    /// The standard being exported.
    pub standard: &'a Standard,
    /// Its exported entities, in document order, each with its exported fields.
    pub tables: Vec<Table<'a>>,
    /// The code lists it carries: its own, then those of other standards its fields use.
    pub lists: Vec<List<'a>>,
    /// What the reading itself leaves out in every format: the view's (proposed elements,
    /// code lists and references that do not resolve), then references into other standards.
    pub losses: Vec<Loss>,
    /// The list of each code field whose list resolved: `(table, field)` and its index into
    /// `lists`.
    field_lists: Vec<((usize, usize), usize)>,
    /// The target of each reference that resolved into this standard: `(table, field)` of the
    /// referencing field and of its target.
    field_targets: Vec<((usize, usize), (usize, usize))>,
}

/// An exported entity and its exported fields.
pub(crate) struct Table<'a> {
    /// The entity.
    pub doc: &'a Doc<Entity>,
    /// Its exported fields, in order.
    pub fields: Vec<&'a Field>,
}

/// A code list an export carries, with the name it has there.
pub(crate) struct List<'a> {
    /// The list, with its released codes.
    pub released: ReleasedList<'a>,
    /// Its name in the export: the list's own name, or `standard_name` when two lists of
    /// different standards share a name.
    pub name: String,
}

impl<'a> Table<'a> {
    /// The entity's name.
    pub fn name(&self) -> &'a str {
        &self.doc.value.name
    }

    /// The entity.
    pub fn entity(&self) -> &'a Entity {
        &self.doc.value
    }

    /// The path of the entity, or of one of its fields.
    pub fn path(&self, standard: &Standard, field: Option<&Field>) -> ElementPath {
        match field {
            Some(f) => Element::Field(standard, self.doc, f).path(),
            None => Element::Entity(standard, self.doc).path(),
        }
    }

    /// The primary key's fields, when every one of them is exported.
    pub fn primary_key(&self) -> Option<&'a [String]> {
        let key = &self.doc.value.primary_key;
        (!key.is_empty() && key.iter().all(|k| self.field(k).is_some())).then_some(key.as_slice())
    }

    /// The unique keys of more than nothing whose fields are all exported, single fields with
    /// `constraints.unique` among them (after the declared `unique_keys`).
    pub fn unique_keys(&self) -> Vec<Vec<&'a str>> {
        let declared = self
            .doc
            .value
            .unique_keys
            .iter()
            .map(|k| k.iter().map(String::as_str).collect::<Vec<_>>());
        let single = self
            .fields
            .iter()
            .filter(|f| constraints(f).unique == Some(true))
            .map(|f| vec![f.name.as_str()]);
        let mut keys: Vec<Vec<&str>> = Vec::new();
        for key in declared.chain(single) {
            let all_exported = !key.is_empty() && key.iter().all(|k| self.field(k).is_some());
            let is_primary = self
                .primary_key()
                .is_some_and(|pk| pk.iter().eq(key.iter()));
            if all_exported && !is_primary && !keys.contains(&key) {
                keys.push(key);
            }
        }
        keys
    }

    /// Whether `field` alone identifies a record: it is the whole primary key or a unique key.
    pub fn identifies(&self, field: &str) -> bool {
        self.primary_key() == Some(std::slice::from_ref(&field.to_owned()))
            || self.unique_keys().iter().any(|k| k.as_slice() == [field])
    }

    /// The exported field called `name`.
    pub fn field(&self, name: &str) -> Option<&'a Field> {
        self.fields.iter().copied().find(|f| f.name == name)
    }
}

impl<'a> List<'a> {
    fn new(released: ReleasedList<'a>) -> List<'a> {
        let name = released.list.name.clone();
        List { released, name }
    }

    /// The list.
    pub fn list(&self) -> &'a CodeList {
        self.released.list
    }

    /// Its released codes, in order.
    pub fn codes(&self) -> impl Iterator<Item = &'a Code> + use<'a, '_> {
        self.released.codes.iter().copied()
    }

    /// The path of the list.
    pub fn path(&self) -> ElementPath {
        ElementPath::codelist(self.released.standard.id(), &self.list().name)
    }

    /// The list's title, or its name.
    pub fn title(&self) -> &'a str {
        let list = self.list();
        list.title.as_deref().unwrap_or(&list.name)
    }

    /// The length of its longest code, in characters (at least 1).
    pub fn longest_code(&self) -> usize {
        self.codes()
            .map(|c| c.code.chars().count())
            .max()
            .unwrap_or(0)
            .max(1)
    }
}

/// The keys of each kind of element that a format carries; any other key an element sets is
/// a loss ([`Scope::uncarried`]).
pub(crate) struct Carried {
    /// Keys of `standard.yaml`.
    pub standard: &'static [&'static str],
    /// Keys of an entity.
    pub entity: &'static [&'static str],
    /// Keys of a field.
    pub field: &'static [&'static str],
    /// Keys of a code list.
    pub list: &'static [&'static str],
    /// Keys of a code.
    pub code: &'static [&'static str],
}

/// A field's constraints, or none.
pub(crate) fn constraints(field: &Field) -> Constraints {
    field.constraints.clone().unwrap_or_default()
}

impl<'a> Scope<'a> {
    /// Reads `standard` of `catalog` through the [`Released`] view. Without a loadable
    /// `standard.yaml` there is nothing to export (the dispatch refuses it first): the error is
    /// an empty export whose loss says so.
    pub fn new(catalog: &'a Catalog, standard: &'a Standard) -> Result<Scope<'a>, Export> {
        let Some(released) = Released::new(catalog, standard) else {
            return Err(Export {
                files: Vec::new(),
                losses: vec![Loss {
                    path: ElementPath::standard(standard.id()),
                    message: "its standard.yaml did not load: nothing to export".into(),
                }],
            });
        };
        let mut scope = Scope {
            catalog,
            standard,
            tables: released
                .entities
                .iter()
                .map(|(doc, fields)| Table {
                    doc,
                    fields: fields.clone(),
                })
                .collect(),
            lists: released.codelists.iter().cloned().map(List::new).collect(),
            losses: Vec::new(),
            field_lists: Vec::new(),
            field_targets: Vec::new(),
        };
        scope.resolve(&released);
        scope.losses.splice(0..0, released.losses);
        scope.name_lists();
        Ok(scope)
    }

    /// Finds every code field's list and every reference's target; a reference into another
    /// standard is a loss (the others that do not resolve are the view's).
    fn resolve(&mut self, released: &Released<'a>) {
        for t in 0..self.tables.len() {
            for f in 0..self.tables[t].fields.len() {
                let field = self.tables[t].fields[f];
                if let Some(list) = released.codelist(field) {
                    let index = match self
                        .lists
                        .iter()
                        .position(|l| std::ptr::eq(l.list(), list.list))
                    {
                        Some(index) => index,
                        None => {
                            self.lists.push(List::new(list));
                            self.lists.len() - 1
                        }
                    };
                    self.field_lists.push(((t, f), index));
                }
                let Some(target) = released.reference(field) else {
                    continue;
                };
                if target.standard.id() != self.standard.id() {
                    let path = self.tables[t].path(self.standard, Some(field));
                    self.losses.push(Loss {
                        path,
                        message: format!(
                            "no foreign key to `{}`: it points into standard `{}`, whose tables \
                             this export does not hold",
                            field.references.as_deref().unwrap_or_default(),
                            target.standard.id()
                        ),
                    });
                    continue;
                }
                let found = self.tables.iter().enumerate().find_map(|(tt, table)| {
                    if !std::ptr::eq(table.entity(), target.entity) {
                        return None;
                    }
                    let tf = table
                        .fields
                        .iter()
                        .position(|x| std::ptr::eq(*x, target.field))?;
                    Some((tt, tf))
                });
                if let Some(at) = found {
                    self.field_targets.push(((t, f), at));
                }
            }
        }
    }

    /// Gives lists of different standards that share a name their standard's id as a prefix.
    fn name_lists(&mut self) {
        let names: Vec<String> = self.lists.iter().map(|l| l.list().name.clone()).collect();
        for list in &mut self.lists {
            let name = &list.released.list.name;
            if names.iter().filter(|n| *n == name).count() > 1 {
                list.name = format!("{}_{name}", list.released.standard.id().replace('-', "_"));
            }
        }
    }

    /// A loss for each element the export holds naming the keys it sets that `carried` does
    /// not list for its kind, through the view's one way of saying so.
    pub fn uncarried(&self, format: &str, carried: &Carried) -> Vec<Loss> {
        let Some(mut released) = Released::new(self.catalog, self.standard) else {
            return Vec::new();
        };
        released.losses.clear();
        released.lose_standard_keys(format, carried.standard);
        for table in &self.tables {
            released.lose_keys(
                Element::Entity(self.standard, table.doc),
                format,
                carried.entity,
            );
            for field in &table.fields {
                released.lose_keys(
                    Element::Field(self.standard, table.doc, field),
                    format,
                    carried.field,
                );
            }
        }
        for list in &self.lists {
            let standard = list.released.standard;
            let Some(doc) = standard.codelist(&list.list().name) else {
                continue;
            };
            released.lose_keys(Element::CodeList(standard, doc), format, carried.list);
            for code in list.codes() {
                released.lose_keys(Element::Code(standard, doc, code), format, carried.code);
            }
        }
        released.losses
    }

    /// The code list of field `f` of table `t`, when it has one that resolved.
    pub fn list_of(&self, t: usize, f: usize) -> Option<&List<'a>> {
        self.field_lists
            .iter()
            .find(|(at, _)| *at == (t, f))
            .map(|(_, l)| &self.lists[*l])
    }

    /// The exported table and field that field `f` of table `t` references, when it resolved
    /// to one of this standard.
    pub fn target_of(&self, t: usize, f: usize) -> Option<(&Table<'a>, &'a Field)> {
        self.field_targets
            .iter()
            .find(|(at, _)| *at == (t, f))
            .map(|(_, (tt, tf))| (&self.tables[*tt], self.tables[*tt].fields[*tf]))
    }

    /// Whether some field of this standard references field `f` of table `t`.
    pub fn is_target(&self, t: usize, f: usize) -> bool {
        self.field_targets.iter().any(|(_, at)| *at == (t, f))
    }

    /// The standard's path, for losses that concern it as a whole.
    pub fn path(&self) -> ElementPath {
        ElementPath::standard(self.standard.id())
    }

    /// The standard's title, or its id.
    pub fn title(&self) -> &'a str {
        self.standard
            .meta
            .as_ref()
            .and_then(|m| m.value.title.as_deref())
            .unwrap_or(self.standard.id())
    }

    /// The standard's version, when it declares one.
    pub fn version(&self) -> Option<&'a str> {
        self.standard.meta.as_ref()?.value.version.as_deref()
    }
}

/// The UpperCamelCase form of a snake_case or kebab-case name: `ssd_person` →
/// `SsdPerson`.
pub(crate) fn upper_camel(name: &str) -> String {
    name.split(['_', '-'])
        .filter(|w| !w.is_empty())
        .map(|w| {
            let mut chars = w.chars();
            chars
                .next()
                .map(|c| c.to_ascii_uppercase().to_string() + chars.as_str())
                .unwrap_or_default()
        })
        .collect()
}

/// A numeric bound of a field's constraints.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Bound {
    /// `minimum`: at least.
    Minimum,
    /// `maximum`: at most.
    Maximum,
    /// `exclusive_minimum`: more than.
    ExclusiveMinimum,
    /// `exclusive_maximum`: less than.
    ExclusiveMaximum,
}

/// The numeric bounds of a field that its type can hold (numbers and years; a year's bound
/// must be whole), and a loss for each of the others.
pub(crate) fn bounds(
    scope: &Scope<'_>,
    table: &Table<'_>,
    field: &Field,
) -> (Vec<(Bound, f64)>, Vec<Loss>) {
    let c = constraints(field);
    let all = [
        (Bound::Minimum, c.minimum),
        (Bound::Maximum, c.maximum),
        (Bound::ExclusiveMinimum, c.exclusive_minimum),
        (Bound::ExclusiveMaximum, c.exclusive_maximum),
    ];
    let (mut kept, mut lost) = (Vec::new(), Vec::new());
    for (bound, value) in all {
        let Some(value) = value else { continue };
        let fits = match field.field_type {
            Some(FieldType::Decimal) => true,
            Some(FieldType::Integer | FieldType::Year) => value.fract() == 0.0,
            _ => false,
        };
        if fits {
            kept.push((bound, value));
        } else {
            lost.push(Loss {
                path: table.path(scope.standard, Some(field)),
                message: format!(
                    "the bound {value} does not apply to a field of type {}, so it is not \
                     carried",
                    field.field_type.map_or("(none)", FieldType::as_str)
                ),
            });
        }
    }
    (kept, lost)
}
