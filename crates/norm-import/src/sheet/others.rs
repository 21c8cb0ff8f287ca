//! The sheets of a data dictionary besides the one with a row per field: code lists, the
//! entities' titles and descriptions, and a note for each column and sheet nothing reads.

use super::{Header, Role};
use crate::common;
use crate::sheet::grid::Grid;
use crate::{Imported, Note};

/// A note for each header of `grid` that no role of `header` reads, so that a column of the
/// source is never dropped in silence.
pub(super) fn unread_columns(grid: &Grid, header: &Header) -> Vec<Note> {
    let Some(cells) = grid.rows.get(header.row) else {
        return Vec::new();
    };
    cells
        .iter()
        .enumerate()
        .filter(|(at, name)| {
            !name.trim().is_empty() && !header.columns.iter().any(|(_, c)| c == at)
        })
        .map(|(at, name)| Note {
            place: grid.place(header.row, at),
            kind: "column-not-mapped",
            message: format!(
                "column `{}` is not read: no role takes it (`--columns` names a column's role)",
                name.trim()
            ),
        })
        .collect()
}

/// Reads the code lists of a grid with list and code columns (label, description and list
/// title columns if it has them); `false` for any other grid, which is left.
pub(super) fn read_lists(grid: &Grid, columns: &[(Role, String)], out: &mut Imported) -> bool {
    let roles = [
        Role::List,
        Role::ListTitle,
        Role::Code,
        Role::Label,
        Role::CodeDescription,
    ];
    let Ok(header) = Header::find(grid, &roles, columns) else {
        return false;
    };
    let (Some(list), Some(code)) = (header.get(Role::List), header.get(Role::Code)) else {
        return false;
    };
    out.notes.extend(unread_columns(grid, &header));
    let (label, title) = (header.get(Role::Label), header.get(Role::ListTitle));
    for row in header.row + 1..grid.rows.len() {
        let name = grid.cell(row, Some(list));
        let value = grid.cell(row, Some(code));
        if name.is_empty() || value.is_empty() {
            continue;
        }
        let name = common::name_of(name);
        let text = |column| Some(grid.cell(row, column).to_owned()).filter(|t| !t.is_empty());
        let mut entry = common::code(value.to_owned(), text(label));
        entry.description = text(header.get(Role::CodeDescription));
        let at = match out.codelists.iter().position(|l| l.name == name) {
            Some(at) => {
                out.codelists[at].codes.push(entry);
                at
            }
            None => {
                out.codelists.push(common::closed_list(name, vec![entry]));
                out.codelists.len() - 1
            }
        };
        // A list's title is written on each of its rows; the first one given is kept.
        let list = &mut out.codelists[at];
        list.title = list.title.take().or_else(|| text(title));
    }
    true
}

/// Reads a grid with an entity column and a title or description column (and no field
/// column: that is a dictionary) into the entities the dictionary made; any other grid is a
/// note that the sheet is not read.
pub(super) fn read_entities(grid: &Grid, columns: &[(Role, String)], out: &mut Imported) {
    let roles = [Role::Entity, Role::Field, Role::Title, Role::Description];
    let header = Header::find(grid, &roles, columns).ok().filter(|h| {
        h.get(Role::Entity).is_some()
            && h.get(Role::Field).is_none()
            && (h.get(Role::Title).is_some() || h.get(Role::Description).is_some())
    });
    let Some(header) = header else {
        out.notes.push(Note {
            place: grid.place(0, 0),
            kind: "sheet-not-mapped",
            message: format!(
                "`{}` is not read: it has no field-name column, no list and code columns, and \
                 no entity column with titles or descriptions",
                grid.stem()
            ),
        });
        return;
    };
    out.notes.extend(unread_columns(grid, &header));
    let column = |role| header.get(role);
    for row in header.row + 1..grid.rows.len() {
        let source = grid.cell(row, column(Role::Entity));
        if source.is_empty() {
            continue;
        }
        let name = common::name_of(source);
        let text = |role| Some(grid.cell(row, column(role)).to_owned()).filter(|t| !t.is_empty());
        match out.entities.iter_mut().find(|e| e.name == name) {
            Some(entity) => {
                entity.title = entity.title.take().or_else(|| text(Role::Title));
                entity.description = entity
                    .description
                    .take()
                    .or_else(|| text(Role::Description));
            }
            None => out.notes.push(Note {
                place: grid.place(row, column(Role::Entity).unwrap_or(0)),
                kind: "value-not-mapped",
                message: format!("entity `{source}` has no fields in the dictionary: not read"),
            }),
        }
    }
}
