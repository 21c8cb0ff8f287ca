//! Text the pages share that depends on nothing but its input: HTML escaping, element
//! anchors, and constraints and mapping relations in words.

use norm_model::model::Constraints;

/// `text` escaped for HTML text and double-quoted attributes.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// How a mapping's target relates to its element, in words.
pub(crate) fn relation_words(relation: norm_model::model::Relation) -> &'static str {
    use norm_model::model::Relation;
    match relation {
        Relation::Exact => "exact match",
        Relation::Close => "close match",
        Relation::Broad => "broader",
        Relation::Narrow => "narrower",
        Relation::Related => "related",
    }
}

/// Constraints in words, for the fields table.
pub fn constraint_words(c: &Constraints) -> Vec<String> {
    let mut out = Vec::new();
    let num = |v: f64| {
        if v.fract() == 0.0 && v.abs() < 1e15 {
            format!("{}", v as i64)
        } else {
            v.to_string()
        }
    };
    match (c.min_length, c.max_length) {
        (Some(a), Some(b)) if a == b => out.push(format!("exactly {a} characters")),
        (Some(a), Some(b)) => out.push(format!("{a} to {b} characters")),
        (Some(a), None) => out.push(format!("at least {a} characters")),
        (None, Some(b)) => out.push(format!("at most {b} characters")),
        (None, None) => {}
    }
    if let Some(v) = c.minimum {
        out.push(format!("at least {}", num(v)));
    }
    if let Some(v) = c.exclusive_minimum {
        out.push(format!("more than {}", num(v)));
    }
    if let Some(v) = c.maximum {
        out.push(format!("at most {}", num(v)));
    }
    if let Some(v) = c.exclusive_maximum {
        out.push(format!("less than {}", num(v)));
    }
    if let Some(p) = &c.pattern {
        out.push(format!("matches the pattern {p}"));
    }
    if c.unique == Some(true) {
        out.push("unique in the entity".to_owned());
    }
    out
}

/// The anchor of a code's row: codes may start with a digit or hold spaces.
pub fn code_anchor(code: &str) -> String {
    anchor("code-", code)
}

/// The anchor of a validation rule's entry on the rules page: rule codes start with a digit.
pub fn rule_anchor(code: &str) -> String {
    anchor("rule-", code)
}

/// `prefix` and `name`, with anything but letters, digits, `-` and `_` escaped: a valid id.
fn anchor(prefix: &str, name: &str) -> String {
    let mut out = String::from(prefix);
    for c in name.chars() {
        if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
            out.push(c);
        } else {
            out.push_str(&format!("_{:x}", c as u32));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn constraints_read_as_words() {
        let c = Constraints {
            min_length: Some(2),
            max_length: Some(2),
            minimum: Some(0.0),
            maximum: Some(9.5),
            pattern: Some("^[A-Z]+$".into()),
            ..Constraints::default()
        };
        assert_eq!(
            constraint_words(&c),
            [
                "exactly 2 characters",
                "at least 0",
                "at most 9.5",
                "matches the pattern ^[A-Z]+$"
            ]
        );
    }

    #[test]
    fn code_anchors_are_valid_ids() {
        assert_eq!(code_anchor("A1"), "code-A1");
        assert_eq!(code_anchor("9 x"), "code-9_20x");
    }
}
