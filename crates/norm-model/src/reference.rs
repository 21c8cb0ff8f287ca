//! The reference syntax shared by every key that points at another element (format.md,
//! "References"): `name` or `standard-id/name` for code lists, `entity.field` or
//! `standard-id/entity.field` for fields.

/// A reference to a code list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CodeListRef<'a> {
    /// The standard, when the reference crosses standards.
    pub standard: Option<&'a str>,
    /// The code list's name.
    pub name: &'a str,
}

/// A reference to a field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FieldRef<'a> {
    /// The standard, when the reference crosses standards.
    pub standard: Option<&'a str>,
    /// The entity's name.
    pub entity: &'a str,
    /// The field's name.
    pub field: &'a str,
}

fn split_standard(text: &str) -> Result<(Option<&str>, &str), String> {
    match text.split_once('/') {
        Some((standard, rest)) if is_standard_id(standard) => Ok((Some(standard), rest)),
        Some(_) => Err(format!(
            "`{text}` does not start with a standard id (kebab-case, such as `csc-codes/`)"
        )),
        None => Ok((None, text)),
    }
}

/// Whether `s` is a valid standard id (`^[a-z][a-z0-9-]*$`).
pub fn is_standard_id(s: &str) -> bool {
    let mut chars = s.chars();
    chars.next().is_some_and(|c| c.is_ascii_lowercase())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

/// Whether `s` is a valid entity, field or code list name (`^[a-z][a-z0-9_]*$`).
pub fn is_name(s: &str) -> bool {
    let mut chars = s.chars();
    chars.next().is_some_and(|c| c.is_ascii_lowercase())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

impl<'a> CodeListRef<'a> {
    /// Parses `name` or `standard-id/name`.
    pub fn parse(text: &'a str) -> Result<Self, String> {
        let (standard, name) = split_standard(text.trim())?;
        if !is_name(name) {
            return Err(format!(
                "`{text}` is not a code list reference: write `name` or `standard-id/name`"
            ));
        }
        Ok(CodeListRef { standard, name })
    }
}

impl<'a> FieldRef<'a> {
    /// Parses `entity.field` or `standard-id/entity.field`.
    pub fn parse(text: &'a str) -> Result<Self, String> {
        let (standard, rest) = split_standard(text.trim())?;
        match rest.split_once('.') {
            Some((entity, field)) if is_name(entity) && is_name(field) => Ok(FieldRef {
                standard,
                entity,
                field,
            }),
            _ => Err(format!(
                "`{text}` is not a field reference: write `entity.field` or \
                 `standard-id/entity.field`"
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_local_and_cross_standard_references() {
        assert_eq!(
            CodeListRef::parse("csc-codes/sex"),
            Ok(CodeListRef {
                standard: Some("csc-codes"),
                name: "sex"
            })
        );
        assert_eq!(
            CodeListRef::parse("sex"),
            Ok(CodeListRef {
                standard: None,
                name: "sex"
            })
        );
        assert_eq!(
            FieldRef::parse("ssd/ssd_person.pers_person_id"),
            Ok(FieldRef {
                standard: Some("ssd"),
                entity: "ssd_person",
                field: "pers_person_id"
            })
        );
    }

    #[test]
    fn rejects_prose_and_bad_shapes() {
        assert!(CodeListRef::parse("see the CIN guide").is_err());
        assert!(CodeListRef::parse("CSC/sex").is_err());
        assert!(FieldRef::parse("person").is_err());
        assert!(FieldRef::parse("person.").is_err());
        assert!(FieldRef::parse("a/b/c.d").is_err());
    }
}
