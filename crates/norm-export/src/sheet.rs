//! `norm export xlsx` and `norm export ods`: two workbooks per standard, for the people who
//! live in spreadsheets.
//!
//! - The **data dictionary** (`<id>-dictionary.xlsx`): an `Entities` sheet listing every entity
//!   (its sheet, title, primary key and description), a `Fields` sheet with a row per field of
//!   every entity, one sheet per entity with a row per field (field, column, title, type,
//!   required, key, multiple, code list, references, max length, constraints, examples, item,
//!   status, description), and a `Code lists` sheet with a row per code.
//! - The **data-entry template** (`<id>-template.xlsx`): one sheet per entity whose first row
//!   holds the column headers of its data files, coded columns offering their codes in a
//!   drop-down list (data validation) drawn from a hidden `Codes` sheet.
//!
//! Both formats are written from one [`Book`]; [`xlsx`] and [`ods`] only spell it.

use norm_model::{Catalog, Field, Standard};

use crate::walk::{Carried, List, Scope, constraints};
use crate::{Export, Loss};

mod ods;
mod xlsx;

/// The spreadsheet formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Spreadsheet {
    /// Office Open XML (Excel).
    Xlsx,
    /// OpenDocument (LibreOffice; the UK government's document standard).
    Ods,
}

impl Spreadsheet {
    /// The file extension, without its dot.
    pub fn extension(self) -> &'static str {
        match self {
            Spreadsheet::Xlsx => "xlsx",
            Spreadsheet::Ods => "ods",
        }
    }
}

/// The rows of the template that offer drop-down lists, below its header row: the template
/// holds this many records.
pub const TEMPLATE_ROWS: u32 = 10_000;

/// The longest text a cell holds in either format (Excel's limit).
const CELL_CHARS: usize = 32_767;

/// The longest sheet name (Excel's limit).
const SHEET_NAME_CHARS: usize = 31;

/// The dictionary and the template of `standard`, as `kind` workbooks.
pub fn export(catalog: &Catalog, standard: &Standard, kind: Spreadsheet) -> Export {
    let scope = match Scope::new(catalog, standard) {
        Ok(scope) => scope,
        Err(nothing) => return nothing,
    };
    let mut losses = scope.losses.clone();
    let mut files = Vec::new();
    for (suffix, book) in [
        ("dictionary", dictionary(&scope, &mut losses)),
        ("template", template(&scope)),
    ] {
        let name = format!("{}-{suffix}.{}", standard.id(), kind.extension());
        let bytes = match kind {
            Spreadsheet::Xlsx => xlsx::write(&book).map_err(|e| e.to_string()),
            Spreadsheet::Ods => ods::write(&book).map_err(|e| e.to_string()),
        };
        match bytes {
            Ok(bytes) => files.push((name, bytes)),
            Err(why) => losses.push(Loss {
                path: scope.path(),
                message: format!("{name} could not be written: {why}"),
            }),
        }
    }
    losses.push(Loss {
        path: scope.path(),
        message: "the template's drop-down lists check coded columns only: types, lengths, \
                  patterns, required fields and keys are in the dictionary, not checked as data \
                  is entered"
            .into(),
    });
    losses.extend(scope.uncarried(kind.extension(), &CARRIED));
    lose_foreign_lists(&scope, kind, &mut losses);
    Export { files, losses }
}

/// A loss for each field whose code list is another standard's: the dictionary names the list
/// and holds its codes, but not which standard it belongs to.
fn lose_foreign_lists(scope: &Scope<'_>, kind: Spreadsheet, losses: &mut Vec<Loss>) {
    for (t, table) in scope.tables.iter().enumerate() {
        for (f, field) in table.fields.iter().enumerate() {
            let Some(list) = scope.list_of(t, f) else {
                continue;
            };
            if list.released.standard.id() != scope.standard.id() {
                losses.push(Loss {
                    path: table.path(scope.standard, Some(field)),
                    message: format!(
                        "{} names the list `{}` and holds its codes, not the reference \
                         `codelist: {}` into standard `{}`",
                        kind.extension(),
                        list.name,
                        field.codelist.as_deref().unwrap_or_default(),
                        list.released.standard.id()
                    ),
                });
            }
        }
    }
}

/// What the dictionary says of each element.
const CARRIED: Carried = Carried {
    standard: &["id"],
    entity: &["name", "title", "description", "primary_key", "status"],
    field: &[
        "name",
        "column",
        "title",
        "type",
        "required",
        "multiple",
        "codelist",
        "references",
        "constraints",
        "examples",
        "item",
        "status",
        "description",
    ],
    list: &["name", "title"],
    code: &["code", "label", "status", "description"],
};

/// A workbook, as both formats write it.
pub(crate) struct Book {
    /// Its sheets, in order.
    pub sheets: Vec<Sheet>,
}

/// One sheet: rows of text cells, the first of them a header.
pub(crate) struct Sheet {
    /// Its name, unique in the book (case aside) and short enough for Excel.
    pub name: String,
    /// Whether it is hidden (the template's code lists).
    pub hidden: bool,
    /// Its rows; the first is the header.
    pub rows: Vec<Vec<String>>,
    /// Its drop-down lists.
    pub drop_downs: Vec<DropDown>,
    /// The columns whose cells are text, so that a code such as `01` stays as typed.
    pub text_columns: Vec<u16>,
}

/// A drop-down list on one column, below the header, offering the cells of a column of
/// another sheet.
pub(crate) struct DropDown {
    /// The column that offers the list (0-based).
    pub column: u16,
    /// The sheet holding the values.
    pub source_sheet: String,
    /// The column of the values there (0-based).
    pub source_column: u16,
    /// How many values there are, below that column's header.
    pub values: u32,
}

/// The letters of a 0-based column number: 0 → `A`, 26 → `AA`.
pub(crate) fn column_letters(column: u16) -> String {
    let mut n = u32::from(column) + 1;
    let mut letters = Vec::new();
    while n > 0 {
        let rem = (n - 1) % 26;
        letters.push(char::from(b'A' + rem as u8));
        n = (n - 1) / 26;
    }
    letters.iter().rev().collect()
}

/// Sheet names for entities: the entity's name, cut to Excel's 31 characters and without the
/// characters sheet names may not hold, made unique (case aside) with a number.
struct SheetNames {
    taken: Vec<String>,
}

impl SheetNames {
    fn new(reserved: &[&str]) -> SheetNames {
        SheetNames {
            taken: reserved.iter().map(|n| n.to_lowercase()).collect(),
        }
    }

    fn name(&mut self, wanted: &str) -> String {
        let clean: String = wanted
            .chars()
            .map(|c| if "[]:*?/\\'".contains(c) { '_' } else { c })
            .collect();
        let mut n = 1;
        loop {
            let suffix = if n == 1 {
                String::new()
            } else {
                format!("~{n}")
            };
            let room = SHEET_NAME_CHARS - suffix.chars().count();
            let name: String = clean.chars().take(room).chain(suffix.chars()).collect();
            if !self.taken.contains(&name.to_lowercase()) {
                self.taken.push(name.to_lowercase());
                return name;
            }
            n += 1;
        }
    }
}

/// The names of the dictionary's own sheets.
const ENTITIES_SHEET: &str = "Entities";
/// Every field of every entity, one row each with its entity's name: the layout spreadsheet
/// dictionaries share (and `norm import sheet` reads), beside the sheet per entity.
const FIELDS_SHEET: &str = "Fields";
const CODE_LISTS_SHEET: &str = "Code lists";
/// The template's hidden sheet of codes.
const CODES_SHEET: &str = "Codes";

/// The cell of an optional text.
fn text(value: Option<&str>) -> String {
    value.unwrap_or_default().to_owned()
}

/// `yes` or empty.
fn yes(value: bool) -> String {
    if value { "yes".into() } else { String::new() }
}

/// Cuts every cell to what a cell holds, recording each cut.
fn fit(
    rows: &mut [Vec<String>],
    path: impl Fn(usize) -> norm_model::ElementPath,
    losses: &mut Vec<Loss>,
) {
    for (r, row) in rows.iter_mut().enumerate() {
        for cell in row.iter_mut() {
            if cell.chars().count() > CELL_CHARS {
                *cell = cell.chars().take(CELL_CHARS).collect();
                losses.push(Loss {
                    path: path(r),
                    message: format!(
                        "a text longer than a cell's {CELL_CHARS} characters is cut short"
                    ),
                });
            }
        }
    }
}

/// The headers of a dictionary's field rows.
const FIELD_HEADERS: [&str; 15] = [
    "Field",
    "Column",
    "Title",
    "Type",
    "Required",
    "Key",
    "Multiple",
    "Code list",
    "References",
    "Max length",
    "Constraints",
    "Examples",
    "Item",
    "Status",
    "Description",
];

/// The cells of field `f` of table `t`, under [`FIELD_HEADERS`].
fn field_row(scope: &Scope<'_>, t: usize, f: usize, field: &Field) -> Vec<String> {
    let table = &scope.tables[t];
    let key = table.primary_key().is_some_and(|k| k.contains(&field.name));
    vec![
        field.name.clone(),
        text(field.column.as_deref()),
        text(field.title.as_deref()),
        field
            .field_type
            .map(|t| t.as_str())
            .unwrap_or_default()
            .to_owned(),
        yes(field.required),
        yes(key),
        yes(field.multiple),
        scope
            .list_of(t, f)
            .map(|l| l.name.clone())
            .unwrap_or_else(|| text(field.codelist.as_deref())),
        text(field.references.as_deref()),
        constraints(field)
            .max_length
            .map(|n| n.to_string())
            .unwrap_or_default(),
        constraint_text(field),
        field.examples.join(", "),
        text(field.item.as_deref()),
        field.status.unwrap_or_default().as_str().to_owned(),
        text(field.description.as_deref()),
    ]
}

/// The data dictionary.
fn dictionary(scope: &Scope<'_>, losses: &mut Vec<Loss>) -> Book {
    let mut names = SheetNames::new(&[ENTITIES_SHEET, FIELDS_SHEET, CODE_LISTS_SHEET]);
    let sheet_names: Vec<String> = scope.tables.iter().map(|t| names.name(t.name())).collect();
    let mut entities = vec![row(&[
        "Entity",
        "Sheet",
        "Title",
        "Primary key",
        "Status",
        "Description",
    ])];
    let mut sheets = Vec::new();
    let mut all_fields = vec![
        std::iter::once("Entity")
            .chain(FIELD_HEADERS)
            .map(str::to_owned)
            .collect::<Vec<_>>(),
    ];
    let mut field_paths = vec![scope.path()];
    for (t, (table, sheet_name)) in scope.tables.iter().zip(&sheet_names).enumerate() {
        let entity = table.entity();
        entities.push(vec![
            table.name().to_owned(),
            sheet_name.clone(),
            text(entity.title.as_deref()),
            entity.primary_key.join(", "),
            entity.status.unwrap_or_default().as_str().to_owned(),
            text(entity.description.as_deref()),
        ]);
        let mut rows = vec![row(&FIELD_HEADERS)];
        for (f, field) in table.fields.iter().enumerate() {
            let cells = field_row(scope, t, f, field);
            let mut flat = vec![table.name().to_owned()];
            flat.extend(cells.iter().cloned());
            all_fields.push(flat);
            field_paths.push(table.path(scope.standard, Some(field)));
            rows.push(cells);
        }
        fit(
            &mut rows,
            |r| table.path(scope.standard, r.checked_sub(1).map(|f| table.fields[f])),
            losses,
        );
        sheets.push(sheet(sheet_name.clone(), rows));
    }
    fit(
        &mut entities,
        |r| {
            r.checked_sub(1).map_or_else(
                || scope.path(),
                |t| scope.tables[t].path(scope.standard, None),
            )
        },
        losses,
    );
    let mut codes = vec![row(&[
        "Code list",
        "List title",
        "Code",
        "Label",
        "Status",
        "Description",
    ])];
    let mut code_paths = vec![scope.path()];
    for list in &scope.lists {
        for code in list.codes() {
            codes.push(vec![
                list.name.clone(),
                list.title().to_owned(),
                code.code.clone(),
                text(code.label.as_deref()),
                code.status.unwrap_or_default().as_str().to_owned(),
                text(code.description.as_deref()),
            ]);
            code_paths.push(list.path());
        }
    }
    fit(&mut codes, |r| code_paths[r].clone(), losses);
    fit(&mut all_fields, |r| field_paths[r].clone(), losses);
    let mut book = vec![
        sheet(ENTITIES_SHEET.into(), entities),
        sheet(FIELDS_SHEET.into(), all_fields),
    ];
    book.extend(sheets);
    let mut code_sheet = sheet(CODE_LISTS_SHEET.into(), codes);
    code_sheet.text_columns = vec![2];
    book.push(code_sheet);
    Book { sheets: book }
}

/// The data-entry template.
fn template(scope: &Scope<'_>) -> Book {
    let mut names = SheetNames::new(&[CODES_SHEET]);
    let mut sheets = Vec::new();
    // The hidden sheet: a column per code list, its name on top.
    let lists: Vec<&List<'_>> = scope.lists.iter().collect();
    let longest = lists.iter().map(|l| l.codes().count()).max().unwrap_or(0);
    let mut codes = vec![lists.iter().map(|l| l.name.clone()).collect::<Vec<_>>()];
    for i in 0..longest {
        codes.push(
            lists
                .iter()
                .map(|l| l.codes().nth(i).map(|c| c.code.clone()).unwrap_or_default())
                .collect(),
        );
    }
    for (t, table) in scope.tables.iter().enumerate() {
        let header: Vec<String> = table.fields.iter().map(|f| column_header(f)).collect();
        let mut sheet = sheet(names.name(table.name()), vec![header]);
        for (f, field) in table.fields.iter().enumerate() {
            let column = f as u16;
            if let Some(list) = scope.list_of(t, f)
                && let Some(source_column) = lists
                    .iter()
                    .position(|l| std::ptr::eq(l.list(), list.list()))
            {
                sheet.drop_downs.push(DropDown {
                    column,
                    source_sheet: CODES_SHEET.into(),
                    source_column: source_column as u16,
                    values: list.codes().count() as u32,
                });
            }
            if is_text(field) {
                sheet.text_columns.push(column);
            }
        }
        sheets.push(sheet);
    }
    let mut codes = sheet(CODES_SHEET.into(), codes);
    // A workbook must show a sheet: without entities, the codes are all there is to show.
    codes.hidden = !scope.tables.is_empty();
    codes.text_columns = (0..lists.len() as u16).collect();
    sheets.push(codes);
    Book { sheets }
}

/// Whether a field's cells are text (codes and strings), which a spreadsheet must not turn into
/// numbers or dates.
fn is_text(field: &Field) -> bool {
    use norm_model::FieldType as T;
    matches!(field.field_type, Some(T::String | T::Code) | None)
}

/// The header of a field's column in data files.
fn column_header(field: &Field) -> String {
    field.column.clone().unwrap_or_else(|| field.name.clone())
}

fn row(cells: &[&str]) -> Vec<String> {
    cells.iter().map(|c| (*c).to_owned()).collect()
}

fn sheet(name: String, rows: Vec<Vec<String>>) -> Sheet {
    Sheet {
        name,
        hidden: false,
        rows,
        drop_downs: Vec::new(),
        text_columns: Vec::new(),
    }
}

/// A field's constraints in words, such as `min length 2; pattern ^[0-9]{10}$`.
fn constraint_text(field: &Field) -> String {
    let c = constraints(field);
    let mut parts = Vec::new();
    let mut push = |label: &str, value: Option<String>| {
        if let Some(value) = value {
            parts.push(format!("{label} {value}"));
        }
    };
    // The maximum length has a column of its own.
    push("min length", c.min_length.map(|n| n.to_string()));
    push("minimum", c.minimum.map(|n| n.to_string()));
    push("maximum", c.maximum.map(|n| n.to_string()));
    push("more than", c.exclusive_minimum.map(|n| n.to_string()));
    push("less than", c.exclusive_maximum.map(|n| n.to_string()));
    push("pattern", c.pattern.clone());
    if c.unique == Some(true) {
        parts.push("unique".into());
    }
    parts.join("; ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn column_letters_count_like_a_spreadsheet() {
        let letters: Vec<String> = [0, 1, 25, 26, 27, 51, 52, 701, 702]
            .into_iter()
            .map(column_letters)
            .collect();
        assert_eq!(
            letters,
            ["A", "B", "Z", "AA", "AB", "AZ", "BA", "ZZ", "AAA"]
        );
    }

    #[test]
    fn sheet_names_fit_excel_and_never_repeat() {
        let mut names = SheetNames::new(&["Entities"]);
        assert_eq!(names.name("entities"), "entities~2");
        let long = "a_very_long_entity_name_beyond_thirty_one";
        let first = names.name(long);
        let second = names.name(long);
        assert_eq!(first, "a_very_long_entity_name_beyond_");
        assert_eq!(second, "a_very_long_entity_name_beyon~2");
        assert_eq!(names.name("what?"), "what_");
    }
}
