//! Names as the format wants them: snake_case for entities, fields and code lists, kebab-case
//! for standard ids. Sources use CamelCase, spaces and capitals; the formats normalise with a
//! note rather than refuse, and refuse only a name with nothing left to keep.

use norm_model::reference::{is_name, is_standard_id};

/// `name` in snake_case (`LAchildID` → `l_achild_id`, `Date of birth` → `date_of_birth`), or
/// `None` when it holds no letter or digit. A leading digit gets an `n_` prefix.
pub fn snake_case(name: &str) -> Option<String> {
    if is_name(name) {
        return Some(name.to_owned());
    }
    let chars: Vec<char> = name.chars().collect();
    let mut out = String::new();
    for (i, &c) in chars.iter().enumerate() {
        if c.is_ascii_alphanumeric() {
            let previous = i.checked_sub(1).map(|p| chars[p]);
            let next = chars.get(i + 1);
            let boundary = c.is_ascii_uppercase()
                && previous.is_some_and(|p| {
                    p.is_ascii_lowercase()
                        || p.is_ascii_digit()
                        || (p.is_ascii_uppercase() && next.is_some_and(char::is_ascii_lowercase))
                });
            if boundary && !out.ends_with('_') {
                out.push('_');
            }
            out.push(c.to_ascii_lowercase());
        } else if !out.is_empty() && !out.ends_with('_') {
            out.push('_');
        }
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
            ("LAchildID", Some("l_achild_id")),
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
