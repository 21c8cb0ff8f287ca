//! Names as the format wants them: snake_case for entities, fields and code lists, kebab-case
//! for standard ids. Sources use CamelCase, spaces and capitals; the formats normalise with a
//! note rather than refuse, and refuse only a name with nothing left to keep.

use norm_model::reference::{is_name, is_standard_id};

/// `name` in snake_case (`DateOfBirth` → `date_of_birth`, `Date of birth` → `date_of_birth`), or
/// `None` when it holds no letter or digit. A leading digit gets an `n_` prefix.
///
/// Words split where a lower-case letter or digit meets a capital; a run of capitals stays one
/// word with what follows (`LAchildID` → `lachild_id`, `CINdetails` → `cindetails`). The
/// sector's sources run acronyms straight into the next word, so splitting before a run's last
/// capital would cut the acronyms instead (`ci_ndetails`).
pub fn snake_case(name: &str) -> Option<String> {
    if is_name(name) {
        return Some(name.to_owned());
    }
    let mut out = String::new();
    let mut previous: Option<char> = None;
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            let boundary = c.is_ascii_uppercase()
                && previous.is_some_and(|p| p.is_ascii_lowercase() || p.is_ascii_digit());
            if boundary && !out.is_empty() && !out.ends_with('_') {
                out.push('_');
            }
            out.push(c.to_ascii_lowercase());
        } else if !out.is_empty() && !out.ends_with('_') {
            out.push('_');
        }
        previous = Some(c);
    }
    let out = out.trim_end_matches('_').to_owned();
    if out.is_empty() {
        return None;
    }
    Some(if out.starts_with(|c: char| c.is_ascii_digit()) {
        format!("n_{out}")
    } else {
        out
    })
}

/// `name` as a standard id: snake_case with hyphens.
pub fn kebab_case(name: &str) -> Option<String> {
    if is_standard_id(name) {
        return Some(name.to_owned());
    }
    snake_case(name).map(|s| s.replace('_', "-"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_become_snake_case() {
        for (given, wanted) in [
            ("pers_person_id", Some("pers_person_id")),
            ("LAchildID", Some("lachild_id")),
            ("CINdetails", Some("cindetails")),
            ("PersonBirthDate", Some("person_birth_date")),
            ("DECOM", Some("decom")),
            ("Child Unique ID", Some("child_unique_id")),
            ("DateOfBirth", Some("date_of_birth")),
            ("Date of birth", Some("date_of_birth")),
            ("  UPN  ", Some("upn")),
            ("2nd-address", Some("n_2nd_address")),
            ("héllo wörld", Some("h_llo_w_rld")),
            ("---", None),
            ("", None),
        ] {
            assert_eq!(snake_case(given).as_deref(), wanted, "{given:?}");
        }
        assert_eq!(
            kebab_case("SSD data model").as_deref(),
            Some("ssd-data-model")
        );
        assert_eq!(kebab_case("cin-census").as_deref(), Some("cin-census"));
    }
}
