//! `ssd`: a checkout of the Standard Safeguarding Dataset: `data/objects/*.yml` (one table a
//! file), `data/objects/relationships.yml` and, when present, the CSV specification the YAML is
//! generated from, which adds field lengths and the per-return crosswalks. `--history` reads the
//! checkout's git history: one revision per commit that changed `data/objects`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use norm_model::model::{Constraints, Mapping, Owner, Relation, Source};
use norm_model::yaml::{Node, NodeKind};
use norm_model::{Entity, Field, FieldType};

use crate::source::{self, Reading, text};
use crate::{ImportError, Imported, Note, Place, Revision, Target, common};

mod spec;
mod tally;

use spec::Spec;
use tally::Tally;

const OBJECTS: &str = "data/objects";
const RELATIONSHIPS: &str = "relationships.yml";
const SPEC: &str = "docs/admin/data_objects_specification.csv";

/// The files of one state of a checkout: `(path under the checkout, text)`.
struct Checkout {
    root: PathBuf,
    files: Vec<(String, String)>,
}

impl Checkout {
    fn from_disk(root: &Path) -> Result<Checkout, ImportError> {
        let objects = root.join(OBJECTS);
        let entries = std::fs::read_dir(&objects).map_err(|e| {
            source::error(
                Place::File {
                    file: objects.clone(),
                },
                format!("cannot read the SSD's tables here ({e}): give the folder of an ssd-data-model checkout"),
            )
        })?;
        let mut names: Vec<String> = entries
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".yml") || n.ends_with(".yaml"))
            .collect();
        names.sort();
        let mut files = Vec::new();
        for name in names {
            let path = format!("{OBJECTS}/{name}");
            files.push((path.clone(), source::read_text(&root.join(&path))?));
        }
        if root.join(SPEC).is_file() {
            files.push((SPEC.to_owned(), source::read_text(&root.join(SPEC))?));
        }
        Ok(Checkout {
            root: root.to_path_buf(),
            files,
        })
    }

    fn path(&self, file: &str) -> PathBuf {
        self.root.join(file)
    }

    fn get(&self, file: &str) -> Option<&str> {
        self.files
            .iter()
            .find(|(p, _)| p == file)
            .map(|(_, t)| t.as_str())
    }
}

pub(crate) fn read(root: &Path, target: &Target<'_>) -> Result<Imported, ImportError> {
    convert(&Checkout::from_disk(root)?, target)
}

pub(crate) fn history(root: &Path, target: &Target<'_>) -> Result<Vec<Revision>, ImportError> {
    let place = || Place::File { file: root.into() };
    let git = |e: git2::Error| {
        source::error(place(), format!("reading its git history: {}", e.message()))
    };
    let repo = git2::Repository::open(root).map_err(|_| {
        source::error(
            place(),
            "this is not a git checkout: --history reads the SSD's git history".into(),
        )
    })?;
    let mut walk = repo.revwalk().map_err(git)?;
    walk.push_head().map_err(git)?;
    walk.simplify_first_parent().map_err(git)?;
    walk.set_sorting(git2::Sort::TOPOLOGICAL | git2::Sort::REVERSE)
        .map_err(git)?;
    let mut revisions = Vec::new();
    let mut previous: Option<git2::Oid> = None;
    for oid in walk {
        let commit = repo.find_commit(oid.map_err(git)?).map_err(git)?;
        let tree = commit.tree().map_err(git)?;
        let Ok(objects) = tree.get_path(Path::new(OBJECTS)) else {
            continue;
        };
        if previous == Some(objects.id()) {
            continue;
        }
        previous = Some(objects.id());
        let checkout = Checkout::from_tree(&repo, &tree, root).map_err(git)?;
        let short = commit.as_object().short_id().map_err(git)?;
        let short = short.as_str().unwrap_or_default().to_owned();
        let when = norm_model::dates::format_date(commit.time().seconds() / 86_400);
        let summary = commit
            .summary()
            .ok()
            .flatten()
            .unwrap_or("")
            .trim()
            .to_owned();
        revisions.push(Revision {
            label: format!("ssd {short} ({when}): {summary}"),
            imported: convert(&checkout, target)?,
        });
    }
    Ok(revisions)
}

impl Checkout {
    fn from_tree(
        repo: &git2::Repository,
        tree: &git2::Tree<'_>,
        root: &Path,
    ) -> Result<Checkout, git2::Error> {
        let mut files = Vec::new();
        let mut read = |path: String| -> Result<(), git2::Error> {
            if let Ok(entry) = tree.get_path(Path::new(&path)) {
                let blob = repo.find_blob(entry.id())?;
                let text = String::from_utf8_lossy(blob.content());
                files.push((path, text.trim_start_matches('\u{feff}').to_owned()));
            }
            Ok(())
        };
        let objects = tree.get_path(Path::new(OBJECTS))?.to_object(repo)?;
        let mut names: Vec<String> = objects
            .as_tree()
            .map(|t| {
                t.iter()
                    .filter_map(|e| e.name().ok().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default();
        names.retain(|n| n.ends_with(".yml") || n.ends_with(".yaml"));
        names.sort();
        for name in names {
            read(format!("{OBJECTS}/{name}"))?;
        }
        read(SPEC.to_owned())?;
        Ok(Checkout {
            root: root.to_path_buf(),
            files,
        })
    }
}

/// One table as read, with its fields' foreign keys still as written.
struct Table {
    entity: Entity,
    /// `(field index, the foreign_key text, its node's place)`.
    foreign_keys: Vec<(usize, String, Place)>,
}

fn convert(checkout: &Checkout, target: &Target<'_>) -> Result<Imported, ImportError> {
    let mut notes = Vec::new();
    let spec = match checkout.get(SPEC) {
        Some(text) => Some(Spec::parse(&checkout.path(SPEC), text)?),
        None => None,
    };
    let mut tally = Tally::default();
    let mut tables = Vec::new();
    for (path, text) in &checkout.files {
        if !path.starts_with(OBJECTS) || path.ends_with(RELATIONSHIPS) {
            continue;
        }
        let file = checkout.path(path);
        let root = source::tree(&file, text)?;
        let mut reading = Reading::new(&file);
        let nodes = root.get("nodes").ok_or_else(|| {
            reading.error(&root, "an SSD table file holds a `nodes:` list".into())
        })?;
        for node in reading.seq(nodes, "`nodes`")? {
            tables.push(table(
                &mut reading,
                &mut tally,
                node,
                spec.as_ref(),
                target,
            )?);
        }
        notes.append(&mut reading.notes);
    }
    if let Some(text) = checkout.get(&format!("{OBJECTS}/{RELATIONSHIPS}")) {
        let file = checkout.path(&format!("{OBJECTS}/{RELATIONSHIPS}"));
        relationships(&file, text, &mut tables, &mut notes)?;
    }
    let mut entities = Vec::new();
    for table in tables {
        let mut entity = table.entity;
        for (index, written, place) in table.foreign_keys {
            let reference = written
                .split_whitespace()
                .next()
                .unwrap_or_default()
                .to_owned();
            if reference != written {
                notes.push(Note {
                    place,
                    kind: "prose-reference",
                    message: format!(
                        "`foreign_key` holds prose (`{written}`): `{reference}` kept as the reference, the rest in the description"
                    ),
                });
                let field = &mut entity.fields[index];
                let extra = written[reference.len()..].trim();
                field.description = Some(match field.description.take() {
                    Some(d) => format!("{d}\n\nForeign key: {extra}"),
                    None => format!("Foreign key: {extra}"),
                });
            }
            entity.fields[index].references = Some(reference);
        }
        entities.push(entity);
    }
    notes.extend(tally.notes());
    let mut standard = common::standard(
        target.id("ssd"),
        "Standard Safeguarding Dataset".into(),
        Source {
            title: "Standard Safeguarding Dataset data model".into(),
            url: Some("https://github.com/data-to-insight/ssd-data-model".into()),
            publisher: Some("Data to Insight".into()),
            licence: Some("MIT".into()),
        },
    );
    standard.owner = Some(Owner {
        name: "Data to Insight".into(),
        url: Some("https://www.datatoinsight.org".into()),
        email: None,
    });
    standard.licence = Some("MIT".into());
    Ok(Imported {
        standard,
        entities,
        codelists: Vec::new(),
        notes,
    })
}

/// Keys of an SSD field that are mapped, or deliberately not kept.
const FIELD_KEYS: &[&str] = &[
    "name",
    "description",
    "item_ref",
    "type",
    "primary_key",
    "foreign_key",
    "validators",
    "constraints",
    "returns",
    "cms_field",
    "cms_table",
    "guidance",
];

fn table(
    reading: &mut Reading,
    tally: &mut Tally,
    node: &Node,
    spec: Option<&Spec>,
    target: &Target<'_>,
) -> Result<Table, ImportError> {
    let raw = reading.text(node.get("name").unwrap_or(node), "a table's `name`")?;
    let mut entity = common::entity(common::name(
        reading,
        node.get("name").unwrap_or(node),
        raw,
    )?);
    let mut foreign_keys = Vec::new();
    let mut disagreements = 0;
    let fields = node
        .get("fields")
        .ok_or_else(|| reading.error(node, format!("table `{raw}` has no `fields`")))?;
    for f in reading.seq(fields, "`fields`")? {
        let raw_name = reading.text(f.get("name").unwrap_or(f), "a field's `name`")?;
        let name = common::name(reading, f.get("name").unwrap_or(f), raw_name)?;
        if entity.fields.iter().any(|x| x.name == name) {
            // A defect of the source, which lint reports (`duplicate-name`); refusing it would
            // make old revisions of the SSD impossible to replay.
            reading.note(
                f,
                "duplicate-field",
                format!("table `{raw}` has two fields named `{name}`: both kept"),
            );
        }
        let mut field = common::field(name.clone());
        field.title = text(f, "description").map(str::to_owned);
        field.item = text(f, "item_ref").map(str::to_owned);
        field.description = text(f, "guidance").filter(|g| *g != "0").map(str::to_owned);
        if field
            .description
            .as_deref()
            .is_some_and(|g| g.to_ascii_lowercase().contains("code set"))
        {
            tally.add(reading, f.get("guidance").unwrap_or(f), "codes-in-prose",
                "a code set written in `guidance` prose, kept in the description (no code list made)");
        }
        field.field_type = Some(field_type(reading, tally, f));
        let flagged = source::flag(f, "primary_key");
        let constrained = f
            .get("constraints")
            .is_some_and(|c| matches!(&c.kind, NodeKind::Seq(items) if items.iter().any(|i| i.as_str() == Some("pk"))));
        if flagged != constrained {
            disagreements += 1;
        }
        let in_key = flagged || constrained;
        if in_key {
            entity.primary_key.push(name.clone());
        }
        for v in f
            .get("validators")
            .and_then(|v| match &v.kind {
                NodeKind::Seq(items) => Some(items.as_slice()),
                _ => None,
            })
            .unwrap_or_default()
        {
            if v.get("required")
                .is_some_and(|r| source::flag(r, "enabled"))
            {
                field.required = true;
            }
            if v.get("unique").is_some_and(|u| source::flag(u, "enabled")) {
                field
                    .constraints
                    .get_or_insert_with(Constraints::default)
                    .unique = Some(true);
            }
        }
        if let Some(fk) = f
            .get("foreign_key")
            .and_then(Node::as_str)
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            foreign_keys.push((
                entity.fields.len(),
                fk.to_owned(),
                source::at(&reading.file, f.get("foreign_key").unwrap_or(f)),
            ));
        }
        if in_key && !field.required {
            // A key identifies every row, so it always has a value: what the source means even
            // where its `required` validator is missing.
            tally.add(
                reading,
                f,
                "key-made-required",
                "a primary key field without the `required` validator: made required",
            );
            field.required = true;
        }
        field.used_by = used_by(reading, tally, f, target);
        field.mappings = cms_mappings(f, raw, reading, tally);
        if let Some(spec) = spec {
            spec.apply(raw, raw_name, &mut field, target, reading, tally, f);
        }
        for (key, _) in reading.map(f, "a field")? {
            if let Some(k) = key.as_str().filter(|k| !FIELD_KEYS.contains(k)) {
                tally.add(
                    reading,
                    key,
                    "key-not-mapped",
                    &format!("field key `{k}` not kept"),
                );
            }
        }
        entity.fields.push(field);
    }
    if disagreements > 0 {
        reading.note(node, "primary-key-flags", format!(
            "`primary_key` and `constraints: [pk]` disagree in {disagreements} {} of `{raw}`: a field either marks is in the primary key",
            if disagreements == 1 { "place" } else { "places" }
        ));
    }
    Ok(Table {
        entity,
        foreign_keys,
    })
}

/// The norm type of an SQL Server type name, read case-insensitively: each loose spelling and
/// each type that maps with a loss is noted.
fn field_type(reading: &mut Reading, tally: &mut Tally, f: &Node) -> FieldType {
    let Some(node) = f.get("type") else {
        reading.note(f, "type-read-as", "no `type`: read as string".into());
        return FieldType::String;
    };
    let raw = node.as_str().unwrap_or_default().trim();
    let lower = raw.to_ascii_lowercase();
    let base = lower.split('(').next().unwrap_or_default().trim();
    let (mapped, exact) = match base {
        "nvarchar" | "varchar" | "nchar" | "char" | "text" | "ntext" => (FieldType::String, true),
        "int" | "integer" | "bigint" | "smallint" | "tinyint" => (FieldType::Integer, true),
        "float" | "real" | "decimal" | "numeric" | "money" => (FieldType::Decimal, true),
        "bit" => (FieldType::Boolean, true),
        "date" => (FieldType::Date, true),
        "datetime" | "datetime2" | "smalldatetime" => (FieldType::Datetime, true),
        "time" => (FieldType::Time, true),
        _ => (FieldType::String, false),
    };
    if !exact || raw != lower {
        tally.add(
            reading,
            node,
            "type-read-as",
            &format!("type `{raw}` read as {}", mapped.as_str()),
        );
    }
    mapped
}

/// The consumer id of each spelling of a return in `returns`.
const RETURNS: &[(&str, &str)] = &[
    ("cin", "cin-census"),
    ("ssda903", "ssda903"),
    ("ssd903", "ssda903"),
    ("annexa", "annex-a"),
    ("riia", "riia"),
    ("sen2", "sen2"),
];

/// `returns` as consumer ids that the target repository knows (consumers or standards); other
/// values are noted, once per spelling.
fn used_by(reading: &mut Reading, tally: &mut Tally, f: &Node, target: &Target<'_>) -> Vec<String> {
    let mut ids = Vec::new();
    let Some(NodeKind::Seq(items)) = f.get("returns").map(|r| &r.kind) else {
        return ids;
    };
    let known = |id: &str| {
        target.catalog.config().consumers.iter().any(|c| c.id == id)
            || target.catalog.standards.contains_key(id)
    };
    for item in items {
        for value in item.as_str().unwrap_or_default().split([',', ';', '|']) {
            let value = value.trim();
            if value.is_empty() {
                continue;
            }
            let key = value.to_ascii_lowercase();
            match RETURNS.iter().find(|(k, _)| *k == key).map(|(_, id)| *id) {
                Some(id) if known(id) => {
                    if value != id && !key.eq_ignore_ascii_case(id) {
                        tally.add(reading, item, "return-normalised", &format!("return `{value}` written as consumer `{id}`"));
                    }
                    if !ids.iter().any(|i| i == id) {
                        ids.push(id.to_owned());
                    }
                }
                Some(id) => tally.add(reading, item, "unknown-return", &format!(
                    "return `{value}` is consumer `{id}`, which norm.yaml does not list: left out of used_by (add it to consumers to keep it)"
                )),
                None => tally.add(reading, item, "unknown-return", &format!("return `{value}` is no known consumer: left out of used_by")),
            }
        }
    }
    ids
}

/// `cms_field` (`system:field`) and `cms_table` as external mappings, one per case system.
/// A `cms_table` that names the SSD's own table (`liquid_logic:ssd_person`) is a placeholder,
/// not a place in the case system: that system gets no mapping, and a note says so.
fn cms_mappings(f: &Node, table: &str, reading: &Reading, tally: &mut Tally) -> Vec<Mapping> {
    let entries = |key: &str| -> BTreeMap<String, (String, &Node)> {
        match f.get(key).map(|n| &n.kind) {
            Some(NodeKind::Seq(items)) => items
                .iter()
                .filter_map(|item| Some((item.as_str()?.split_once(':')?, item)))
                .map(|((system, name), item)| {
                    (system.trim().to_owned(), (name.trim().to_owned(), item))
                })
                .collect(),
            _ => BTreeMap::new(),
        }
    };
    let (fields, tables) = (entries("cms_field"), entries("cms_table"));
    let mut mappings = Vec::new();
    for (system, (field, _)) in &fields {
        let external = match tables.get(system) {
            Some((own, item)) if own == table => {
                tally.add(
                    reading,
                    item,
                    "cms-placeholder",
                    "`cms_table` names the SSD's own table, not one of the case system: no mapping made",
                );
                continue;
            }
            Some((cms_table, _)) => format!("{system} {cms_table}.{field}"),
            None => format!("{system} {field}"),
        };
        mappings.push(Mapping {
            to: None,
            external: Some(external),
            relation: Relation::Related,
        });
    }
    mappings
}

/// `relationships.yml`: each link's child field references its parent's key. A link the
/// fields' `foreign_key` already says is kept once; one that disagrees is noted.
fn relationships(
    file: &Path,
    content: &str,
    tables: &mut [Table],
    notes: &mut Vec<Note>,
) -> Result<(), ImportError> {
    let root = source::tree(file, content)?;
    let mut reading = Reading::new(file);
    let Some(list) = root.get("relationships") else {
        return Err(reading.error(
            &root,
            "relationships.yml holds a `relationships:` list".into(),
        ));
    };
    for link in reading.seq(list, "`relationships`")? {
        let (Some(parent), Some(key), Some(child), Some(child_key)) = (
            text(link, "parent_object"),
            text(link, "parent_key"),
            text(link, "child_object"),
            text(link, "child_key"),
        ) else {
            reading.note(
                link,
                "link-not-mapped",
                "a relationship without parent and child object and key: not kept".into(),
            );
            continue;
        };
        let reference = format!("{parent}.{key}");
        let Some(table) = tables.iter_mut().find(|t| t.entity.name == child) else {
            reading.note(
                link,
                "link-not-mapped",
                format!("relationship to unknown table `{child}`: not kept"),
            );
            continue;
        };
        let Some(index) = table.entity.fields.iter().position(|f| f.name == child_key) else {
            reading.note(
                link,
                "link-not-mapped",
                format!("relationship from unknown field `{child}.{child_key}`: not kept"),
            );
            continue;
        };
        match table.foreign_keys.iter().find(|(i, _, _)| *i == index) {
            Some((_, written, _)) if written.split_whitespace().next() == reference.split_whitespace().next() => {}
            Some((_, written, _)) => reading.note(link, "link-disagrees", format!(
                "relationship `{child}.{child_key}` → `{reference}` disagrees with its `foreign_key` `{written}`: the foreign key kept"
            )),
            None => table.foreign_keys.push((index, reference, source::at(file, link))),
        }
    }
    notes.append(&mut reading.notes);
    Ok(())
}

/// Whether a field's type holds text (lengths apply).
fn is_text(field: &Field) -> bool {
    field.field_type == Some(FieldType::String)
}
