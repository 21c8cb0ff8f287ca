//! `norm import sheet`: a data dictionary in CSV, XLSX or ODS, one row per field.
//!
//! Columns are found by their header, case-insensitively and with spaces, `_` and `-` alike,
//! among the synonyms of [`Role::synonyms`]; `--columns` names them explicitly
//! ([`parse_columns`]). Code lists come from a sheet of the same workbook, or a second file,
//! with a list, a code and a label column; a dictionary's code list cell either names such a
//! list or holds the codes inline (`1=Boy; 2=Girl`). A sheet with an entity column but no
//! field column gives the entities' titles and descriptions. A column or sheet that nothing
//! reads is a note, so that nothing is dropped in silence.

mod grid;
mod others;

use std::path::PathBuf;

use norm_model::model::Constraints;
use norm_model::{EntityData, FieldType};

use crate::common::{self, Names, SharedLists};
use crate::yearly;
use crate::{ImportError, Imported, Note, Place};
use grid::{Grid, grids};
use others::{read_entities, read_lists, unread_columns};

/// What a column of a data dictionary holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// The entity (table) a field belongs to.
    Entity,
    /// The field's name.
    Field,
    /// The field's header in data files, when a column of its own gives it.
    Column,
    /// A human-readable name.
    Title,
    /// The value type.
    Type,
    /// Whether a value is required.
    Required,
    /// Whether the field holds several values.
    Multiple,
    /// The code list: a list's name, or the codes themselves.
    Codelist,
    /// What the field holds.
    Description,
    /// A stable item identifier.
    Item,
    /// The most characters allowed.
    MaxLength,
    /// Whether the field is (part of) the entity's primary key.
    Key,
    /// The field another entity's field refers to, as `entity.field`.
    References,
    /// In a code list sheet: the list a code belongs to.
    List,
    /// In a code list sheet: the list's title.
    ListTitle,
    /// In a code list sheet: the code.
    Code,
    /// In a code list sheet: what the code means.
    Label,
    /// In a code list sheet: more on a code, beside its label.
    CodeDescription,
}

impl Role {
    /// Every role, in the order `--columns` documents them.
    pub const ALL: [Role; 18] = [
        Role::Entity,
        Role::Field,
        Role::Column,
        Role::Title,
        Role::Type,
        Role::Required,
        Role::Multiple,
        Role::Codelist,
        Role::Description,
        Role::Item,
        Role::MaxLength,
        Role::Key,
        Role::References,
        Role::List,
        Role::ListTitle,
        Role::Code,
        Role::Label,
        Role::CodeDescription,
    ];

    /// The role's name in `--columns`, such as `max_length`.
    pub fn as_str(self) -> &'static str {
        self.synonyms()[0]
    }

    /// The headers that hold this role, compared after [`normalise`]: the first is the role's
    /// name in `--columns`.
    pub fn synonyms(self) -> &'static [&'static str] {
        match self {
            Role::Entity => &["entity", "table", "table name", "entity name", "record"],
            Role::Field => &[
                "field",
                "field name",
                "name",
                "column",
                "column name",
                "item name",
            ],
            // `column` is also the field's synonym: the field takes it when no header says
            // `field`, since the field is found first.
            Role::Column => &["column", "column header", "header"],
            Role::Title => &["title", "label", "display name"],
            Role::Type => &["type", "data type", "datatype", "field type", "format"],
            Role::Required => &["required", "mandatory", "obligation"],
            Role::Multiple => &["multiple", "repeating", "several values"],
            Role::Codelist => &[
                "codelist",
                "code list",
                "values",
                "allowed values",
                "code set",
            ],
            Role::Description => &["description", "definition", "notes", "guidance"],
            Role::Item => &["item", "item ref", "item id", "item reference", "reference"],
            Role::MaxLength => &[
                "max_length",
                "max length",
                "length",
                "size",
                "max field size",
            ],
            Role::Key => &["key", "primary key", "pk"],
            Role::References => &["references", "foreign key", "fk", "refers to"],
            Role::List => &["list", "code list", "codelist", "list name"],
            Role::ListTitle => &["list_title", "list title", "list label"],
            Role::Code => &["code", "value"],
            Role::Label => &["label", "meaning", "description", "name"],
            // A sheet with a label column and a description column: the label takes `label`.
            Role::CodeDescription => &["code_description", "code description", "description"],
        }
    }
}

/// Parses `--columns field=Item,type=Format`: comma-separated `role=Header` pairs, the roles
/// named as in [`Role::as_str`].
pub fn parse_columns(text: &str) -> Result<Vec<(Role, String)>, String> {
    text.split(',')
        .filter(|pair| !pair.trim().is_empty())
        .map(|pair| {
            let (role, header) = pair
                .split_once('=')
                .ok_or_else(|| format!("`{pair}` is not `role=Header`"))?;
            let role = role.trim();
            let known = Role::ALL
                .iter()
                .find(|r| normalise(r.as_str()) == normalise(role));
            let names: Vec<&str> = Role::ALL.iter().map(|r| r.as_str()).collect();
            let role = known.ok_or_else(|| {
                format!(
                    "`{role}` is not a column role; the roles are {}",
                    names.join(", ")
                )
            })?;
            Ok((*role, header.trim().to_owned()))
        })
        .collect()
}

/// A header as compared: lower case, `_` and `-` as spaces, runs of spaces as one.
fn normalise(header: &str) -> String {
    header
        .to_lowercase()
        .replace(['_', '-'], " ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// The columns of a grid's header row (the first row with any text) by role.
struct Header {
    row: usize,
    columns: Vec<(Role, usize)>,
}

impl Header {
    fn find(
        grid: &Grid,
        roles: &[Role],
        columns: &[(Role, String)],
    ) -> Result<Header, ImportError> {
        let row = grid
            .rows
            .iter()
            .position(|r| r.iter().any(|c| !c.trim().is_empty()))
            .unwrap_or(0);
        let headers: Vec<String> = grid
            .rows
            .get(row)
            .map(|r| r.iter().map(|h| normalise(h)).collect())
            .unwrap_or_default();
        // Columns named with --columns first, so that a synonym never takes one of them.
        let mut found_columns: Vec<(Role, usize)> = Vec::new();
        for (role, header) in columns.iter().filter(|(r, _)| roles.contains(r)) {
            let at = headers.iter().position(|h| *h == normalise(header));
            let at = at.ok_or_else(|| ImportError {
                place: grid.place(row, 0),
                message: format!(
                    "no column `{header}` (from --columns {}={header}); the headers are: {}",
                    role.as_str(),
                    grid.rows.get(row).map(|r| r.join(", ")).unwrap_or_default()
                ),
            })?;
            found_columns.push((*role, at));
        }
        for role in roles {
            if found_columns.iter().any(|(r, _)| r == role) {
                continue;
            }
            let free = |at: &usize| !found_columns.iter().any(|(_, c)| c == at);
            let found = role
                .synonyms()
                .iter()
                .find_map(|s| headers.iter().position(|h| h == s).filter(free));
            if let Some(at) = found {
                found_columns.push((*role, at));
            }
        }
        Ok(Header {
            row,
            columns: found_columns,
        })
    }

    fn get(&self, role: Role) -> Option<usize> {
        self.columns
            .iter()
            .find(|(r, _)| *r == role)
            .map(|(_, c)| *c)
    }
}

const DICTIONARY: [Role; 13] = [
    Role::Entity,
    Role::Field,
    Role::Column,
    Role::Title,
    Role::Type,
    Role::Required,
    Role::Multiple,
    Role::Codelist,
    Role::Description,
    Role::Item,
    Role::MaxLength,
    Role::Key,
    Role::References,
];

/// Imports a data dictionary: `sources[0]` is the dictionary (a CSV file or a workbook), any
/// further source a file of code lists. `columns` (`--columns`) names the headers of some
/// roles explicitly, instead of finding them by synonym.
pub fn import(sources: &[PathBuf], columns: &[(Role, String)]) -> Result<Imported, ImportError> {
    let mut notes = Vec::new();
    let first = sources.first().ok_or_else(|| ImportError {
        place: Place::File {
            file: PathBuf::from("."),
        },
        message: "no data dictionary given".to_owned(),
    })?;
    let mut all = grids(first, &mut notes)?;
    for extra in &sources[1..] {
        all.extend(grids(extra, &mut notes)?);
    }
    let mut dictionary = None;
    let mut explicit_error = None;
    for (index, grid) in all.iter().enumerate().filter(|(_, g)| g.file == *first) {
        match Header::find(grid, &DICTIONARY, columns) {
            Ok(header) if header.get(Role::Field).is_some() => {
                dictionary = Some((index, header));
                break;
            }
            Ok(_) => {}
            Err(e) => explicit_error = explicit_error.or(Some(e)),
        }
    }
    let Some((index, header)) = dictionary else {
        if let Some(e) = explicit_error {
            return Err(e);
        }
        return Err(ImportError {
            place: all.first().map_or_else(
                || Place::File {
                    file: first.clone(),
                },
                |grid| grid.place(0, 0),
            ),
            message: format!(
                "no column holds the field names: looked for a header {}; name it with \
                 --columns field=<header>",
                Role::Field
                    .synonyms()
                    .iter()
                    .map(|s| format!("`{s}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        });
    };
    let mut out = Imported {
        standard: yearly::standard(sources),
        entities: Vec::new(),
        codelists: Vec::new(),
        notes,
    };
    let mut entity_sheets = Vec::new();
    for (i, grid) in all.iter().enumerate() {
        if i != index && !read_lists(grid, columns, &mut out) {
            entity_sheets.push(grid);
        }
    }
    out.notes.extend(unread_columns(&all[index], &header));
    read_fields(&all[index], &header, &mut out);
    for grid in entity_sheets {
        read_entities(grid, columns, &mut out);
    }
    Ok(out)
}

fn read_fields(grid: &Grid, header: &Header, out: &mut Imported) {
    let col = |role| header.get(role);
    let mut entity_names = Names::default();
    let mut field_names: Vec<Names> = Vec::new();
    let mut inline = SharedLists::default();
    let stem = grid.stem();
    for row in header.row + 1..grid.rows.len() {
        let mut note = |column: Option<usize>, kind: &'static str, message: String| {
            out.notes.push(Note {
                place: grid.place(row, column.unwrap_or(0)),
                kind,
                message,
            });
        };
        let source = grid.cell(row, col(Role::Field));
        if source.is_empty() {
            if grid.rows[row].iter().any(|c| !c.trim().is_empty()) {
                note(
                    col(Role::Field),
                    "row-skipped",
                    "a row without a field name: not read".to_owned(),
                );
            }
            continue;
        }
        let table = Some(grid.cell(row, col(Role::Entity))).filter(|t| !t.is_empty());
        let table = table.map_or_else(|| stem.clone(), str::to_owned);
        let wanted = common::name_of(&table);
        let entity = match out.entities.iter().position(|e| e.name == wanted) {
            Some(e) => e,
            None => {
                let (name, _) = entity_names.claim(wanted);
                let mut entity = common::entity(name);
                if entity.name != table {
                    entity.data = Some(EntityData { names: vec![table] });
                }
                out.entities.push(entity);
                field_names.push(Names::default());
                out.entities.len() - 1
            }
        };
        let (name, renamed) = field_names[entity].claim(common::name_of(source));
        if renamed {
            note(
                col(Role::Field),
                "name-taken",
                format!("`{source}` gives a name already taken: named `{name}`"),
            );
        }
        let (mut field_type, length) =
            read_type(grid.cell(row, col(Role::Type)), col(Role::Type), &mut note);
        let text = |role| Some(grid.cell(row, col(role)).to_owned()).filter(|t| !t.is_empty());
        // The data files' header: a column of its own, else the field cell when it is not
        // already a name.
        let column = text(Role::Column).or_else(|| Some(source.to_owned()));
        let column = column.filter(|c| *c != name);
        let mut field = common::typed_field(name, column, FieldType::String);
        field.title = text(Role::Title);
        field.description = text(Role::Description);
        field.item = text(Role::Item);
        field.references = text(Role::References);
        if read_yes_no(
            grid.cell(row, col(Role::Key)),
            "key",
            col(Role::Key),
            &mut note,
        ) {
            out.entities[entity].primary_key.push(field.name.clone());
        }
        field.required = read_yes_no(
            grid.cell(row, col(Role::Required)),
            "required",
            col(Role::Required),
            &mut note,
        );
        field.multiple = read_yes_no(
            grid.cell(row, col(Role::Multiple)),
            "multiple",
            col(Role::Multiple),
            &mut note,
        );
        let max_length = grid.cell(row, col(Role::MaxLength));
        let max_length = match max_length.parse::<u64>() {
            Ok(n) => Some(n),
            Err(_) if max_length.is_empty() => length,
            Err(_) => {
                note(
                    col(Role::MaxLength),
                    "value-not-mapped",
                    format!("length `{max_length}` is not a whole number: not kept"),
                );
                length
            }
        };
        if max_length.is_some() {
            field.constraints = Some(Constraints {
                max_length,
                ..Constraints::default()
            });
        }
        let codes = grid.cell(row, col(Role::Codelist));
        if !codes.is_empty() {
            let named = common::name_of(codes);
            if out.codelists.iter().any(|l| l.name == named) || !is_inline(codes) {
                field.codelist = Some(named);
            } else {
                inline.add(
                    entity,
                    out.entities[entity].fields.len(),
                    inline_codes(codes),
                );
            }
            field_type = Some(FieldType::Code);
        }
        field.field_type = Some(field_type.unwrap_or(FieldType::String));
        out.entities[entity].fields.push(field);
    }
    let lists = inline.finish(&mut out.entities);
    out.codelists.extend(lists);
}

/// Whether a code list cell holds codes rather than a list's name.
fn is_inline(text: &str) -> bool {
    text.contains(['=', ';', '\n', ','])
}

/// `1=Boy; 2=Girl`, `M, F` or one code a line: codes with optional labels.
fn inline_codes(text: &str) -> Vec<norm_model::Code> {
    text.split([';', '\n', ','])
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .map(|entry| match entry.split_once('=') {
            Some((code, label)) => {
                common::code(code.trim().to_owned(), Some(label.trim().to_owned()))
            }
            None => common::code(entry.to_owned(), None),
        })
        .collect()
}

/// A type cell: the norm type and a length given with it (`varchar(48)`). Types that are not
/// norm's own spellings are reported.
fn read_type(
    text: &str,
    column: Option<usize>,
    note: &mut impl FnMut(Option<usize>, &'static str, String),
) -> (Option<FieldType>, Option<u64>) {
    if text.is_empty() {
        return (None, None);
    }
    let lower = text.to_lowercase();
    let (base, length) = match lower.split_once('(') {
        Some((base, rest)) => (
            base.trim(),
            rest.trim_end_matches(')').trim().parse::<u64>().ok(),
        ),
        None => (lower.trim(), None),
    };
    let exact = [
        FieldType::String,
        FieldType::Integer,
        FieldType::Decimal,
        FieldType::Boolean,
        FieldType::Date,
        FieldType::Datetime,
        FieldType::Time,
        FieldType::Year,
        FieldType::YearMonth,
        FieldType::Code,
        FieldType::Json,
    ]
    .into_iter()
    .find(|t| t.as_str() == text);
    if let Some(t) = exact {
        return (Some(t), None);
    }
    let mapped = match base {
        "string" | "text" | "varchar" | "nvarchar" | "char" | "nchar" | "alphanumeric" | "str" => {
            Some(FieldType::String)
        }
        "integer" | "int" | "bigint" | "smallint" | "tinyint" | "whole number" => {
            Some(FieldType::Integer)
        }
        "decimal" | "float" | "numeric" | "number" | "real" | "double" | "money" => {
            Some(FieldType::Decimal)
        }
        "boolean" | "bool" | "bit" | "yes/no" => Some(FieldType::Boolean),
        "date" => Some(FieldType::Date),
        "datetime" | "date time" | "timestamp" | "datetime2" => Some(FieldType::Datetime),
        "time" => Some(FieldType::Time),
        "year" => Some(FieldType::Year),
        "code" | "category" | "enum" | "list" | "lookup" => Some(FieldType::Code),
        _ => None,
    };
    let read = mapped.unwrap_or(FieldType::String);
    note(
        column,
        "type-read-as",
        format!("type `{text}` read as {}", read.as_str()),
    );
    (Some(read), length)
}

/// A yes-or-no cell such as required or key; a value that is neither is reported and read as no.
fn read_yes_no(
    text: &str,
    what: &str,
    column: Option<usize>,
    note: &mut impl FnMut(Option<usize>, &'static str, String),
) -> bool {
    match text.to_lowercase().as_str() {
        "yes" | "y" | "true" | "1" | "required" | "mandatory" | "m" => true,
        "no" | "n" | "false" | "0" | "optional" | "o" | "" => false,
        _ => {
            note(
                column,
                "value-not-mapped",
                format!("{what} `{text}` is neither yes nor no: read as no"),
            );
            false
        }
    }
}
