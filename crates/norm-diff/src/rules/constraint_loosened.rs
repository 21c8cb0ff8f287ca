//! The `constraint-loosened` change rule.

use crate::{ChangeRule, Cx, Out, Pair};
use norm_model::model::Constraints;

crate::declare_change! {
    /// ## What it does
    /// Reports a constraint loosened or removed: `max_length` up, `minimum` down, a `pattern` or
    /// `unique` removed.
    ///
    /// ## Why this bump
    /// Old data still conforms (minor under `backward`), but consumers sized or validated for the old
    /// limits can meet values they reject (major under `full`).
    pub struct ConstraintLoosened { id: "constraint-loosened", full: Major, backward: Minor, kind: Field, keys: ["field.constraints"] }
}

impl ChangeRule for ConstraintLoosened {
    fn check(&self, _cx: &Cx<'_>, pair: &Pair<'_>, out: &mut Out) {
        let Pair::Field {
            old: Some(o),
            new: Some(n),
            ..
        } = pair
        else {
            return;
        };
        let (a, b) = (
            o.constraints.clone().unwrap_or_default(),
            n.constraints.clone().unwrap_or_default(),
        );
        for change in compare(&a, &b).into_iter().filter(|c| !c.tighter) {
            out.push(
                &Self::META,
                format!(
                    "`{}` of `{}` loosened: {}",
                    change.key, n.name, change.words
                ),
            );
        }
    }
}

/// One constraint that moved.
pub(crate) struct Moved {
    pub key: &'static str,
    pub tighter: bool,
    pub words: String,
}

fn show<T: std::fmt::Display>(v: Option<T>) -> String {
    v.map_or("none".to_owned(), |v| v.to_string())
}

/// Every constraint that differs, and whether it became tighter.
pub(crate) fn compare(a: &Constraints, b: &Constraints) -> Vec<Moved> {
    let mut out = Vec::new();
    // For a lower bound, a higher (or newly set) value is tighter; for an upper bound, lower.
    let mut bound = |key: &'static str, x: Option<f64>, y: Option<f64>, lower: bool| {
        if x == y {
            return;
        }
        let tighter = match (x, y) {
            (None, Some(_)) => true,
            (Some(_), None) => false,
            (Some(x), Some(y)) => {
                if lower {
                    y > x
                } else {
                    y < x
                }
            }
            (None, None) => return,
        };
        out.push(Moved {
            key,
            tighter,
            words: format!("{} → {}", show(x), show(y)),
        });
    };
    bound(
        "min_length",
        a.min_length.map(|v| v as f64),
        b.min_length.map(|v| v as f64),
        true,
    );
    bound(
        "max_length",
        a.max_length.map(|v| v as f64),
        b.max_length.map(|v| v as f64),
        false,
    );
    bound("minimum", a.minimum, b.minimum, true);
    bound("maximum", a.maximum, b.maximum, false);
    bound(
        "exclusive_minimum",
        a.exclusive_minimum,
        b.exclusive_minimum,
        true,
    );
    bound(
        "exclusive_maximum",
        a.exclusive_maximum,
        b.exclusive_maximum,
        false,
    );
    if a.pattern != b.pattern {
        out.push(Moved {
            key: "pattern",
            tighter: b.pattern.is_some(),
            words: format!(
                "{} → {}",
                show(a.pattern.as_deref()),
                show(b.pattern.as_deref())
            ),
        });
    }
    let (ua, ub) = (a.unique.unwrap_or(false), b.unique.unwrap_or(false));
    if ua != ub {
        out.push(Moved {
            key: "unique",
            tighter: ub,
            words: format!("{ua} → {ub}"),
        });
    }
    out
}
