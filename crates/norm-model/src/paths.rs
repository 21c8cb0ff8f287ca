//! Element paths: the stable names of elements used in diagnostics, suppressions and change
//! notes, such as `ssd/entities/ssd_person/fields/pers_sex`.

/// The path of a standard.
pub fn standard(id: &str) -> String {
    id.to_owned()
}

/// The path of an entity.
pub fn entity(standard: &str, entity: &str) -> String {
    format!("{standard}/entities/{entity}")
}

/// The path of a field.
pub fn field(standard: &str, entity: &str, field: &str) -> String {
    format!("{standard}/entities/{entity}/fields/{field}")
}

/// The path of a code list.
pub fn codelist(standard: &str, codelist: &str) -> String {
    format!("{standard}/codelists/{codelist}")
}

/// The path of a code.
pub fn code(standard: &str, codelist: &str, code: &str) -> String {
    format!("{standard}/codelists/{codelist}/codes/{code}")
}
