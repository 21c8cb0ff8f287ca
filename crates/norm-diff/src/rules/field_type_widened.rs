//! The `field-type-widened` change rule.

use crate::{ChangeRule, Cx, Out, Pair};
use norm_model::FieldType;

crate::declare_change! {
    /// ## What it does
    /// Reports a type widened without losing values: `integer` to `decimal`, `date` to `datetime`,
    /// `year` to `integer`.
    ///
    /// ## Why this bump
    /// Every old value is still valid (minor under `backward`), but consumers expecting the narrower
    /// type can fail on new values (major under `full`).
    pub struct FieldTypeWidened { id: "field-type-widened", full: Major, backward: Minor, kind: Field, keys: ["field.type"] }
}

impl ChangeRule for FieldTypeWidened {
    fn check(&self, _cx: &Cx<'_>, pair: &Pair<'_>, out: &mut Out) {
        let Pair::Field {
            old: Some(o),
            new: Some(n),
            ..
        } = pair
        else {
            return;
        };
        if let (Some(a), Some(b)) = (o.field_type, n.field_type)
            && widens(a, b)
        {
            out.push(
                &Self::META,
                format!(
                    "type of `{}` widened from {} to {}",
                    n.name,
                    a.as_str(),
                    b.as_str()
                ),
            );
        }
    }
}

/// Whether every value of type `from` is a value of type `to`.
pub(crate) fn widens(from: FieldType, to: FieldType) -> bool {
    matches!(
        (from, to),
        (FieldType::Integer, FieldType::Decimal)
            | (FieldType::Date, FieldType::Datetime)
            | (FieldType::Year, FieldType::Integer)
    )
}
