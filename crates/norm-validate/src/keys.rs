//! The key sets of the structure pass: primary keys, unique keys and referenced values, held
//! as 96-bit fingerprints in one open-addressing table each.

use norm_model::model::ITEM_SEPARATOR;

use crate::plan::{Plan, Value};
use crate::report::{Issue, IssueSeverity};
use crate::structure::Row;

/// A key's 96-bit fingerprint: key sets hold these rather than the keys' text, so that a
/// million keys take 16-byte slots (with the key's first row) and no allocation each. Two
/// different keys share a fingerprint with a chance of 2^-96 a pair: below 10^-15 over the
/// 16 million rows of a gigabyte file, below 10^-17 over a million; the data is not
/// adversarial to a hash it never sees. Three `u32`s, so that a slot is 16 bytes (a `u128`,
/// aligned to 16, made each 32).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct Fingerprint([u32; 3]);

/// The fingerprint of no key: it marks an empty slot.
const EMPTY: Fingerprint = Fingerprint([0; 3]);

impl Fingerprint {
    /// The fingerprint of `key` (never [`EMPTY`]).
    pub fn of(key: &str) -> Fingerprint {
        use std::hash::BuildHasher;
        let low = foldhash::quality::FixedState::with_seed(0x243f_6a88_85a3_08d3).hash_one(key);
        let high = foldhash::quality::FixedState::with_seed(0x1319_8a2e_0370_7344).hash_one(key);
        let words = [low as u32, (low >> 32) as u32, high as u32];
        match Fingerprint(words) {
            EMPTY => Fingerprint([1, 0, 0]),
            some => some,
        }
    }

    /// Where the fingerprint's probe starts in a table of `mask + 1` slots.
    fn slot(self, mask: usize) -> usize {
        // On 32-bit targets (WebAssembly) the low word alone is the start.
        ((u64::from(self.0[1]) << 32) | u64::from(self.0[0])) as usize & mask
    }
}

/// Fingerprints, each with a value, in one array probed linearly and kept at most half full.
///
/// Not a general hash map: a look-up in a table of a million keys misses the cache, and a
/// table with its control bytes apart from its slots (std's) missed it twice, once in each.
/// Here one look-up reads one slot and, mostly, its neighbours on the same cache line.
pub(crate) struct Fingerprints<V> {
    slots: Vec<(Fingerprint, V)>,
    len: usize,
}

impl<V: Copy + Default> Fingerprints<V> {
    /// An empty table.
    pub fn new() -> Self {
        Fingerprints {
            slots: Vec::new(),
            len: 0,
        }
    }

    /// Makes room for `more` keys beyond those held, so that the table does not grow while
    /// they are inserted.
    pub fn reserve(&mut self, more: usize) {
        let wanted = self.len.saturating_add(more).saturating_mul(2);
        if wanted > self.slots.len() {
            self.resize(wanted.next_power_of_two().max(16));
        }
    }

    /// The value held with `key`.
    pub fn get(&self, key: Fingerprint) -> Option<V> {
        if self.slots.is_empty() {
            return None;
        }
        let mask = self.slots.len() - 1;
        let mut i = key.slot(mask);
        loop {
            let (held, value) = self.slots[i];
            if held == key {
                return Some(value);
            }
            if held == EMPTY {
                return None;
            }
            i = (i + 1) & mask;
        }
    }

    /// Inserts `key` with `value` unless it is held; returns the value held before, if any.
    pub fn insert(&mut self, key: Fingerprint, value: V) -> Option<V> {
        if (self.len + 1) * 2 > self.slots.len() {
            self.resize((self.slots.len() * 2).max(16));
        }
        let mask = self.slots.len() - 1;
        let mut i = key.slot(mask);
        loop {
            let slot = &mut self.slots[i];
            if slot.0 == key {
                return Some(slot.1);
            }
            if slot.0 == EMPTY {
                *slot = (key, value);
                self.len += 1;
                return None;
            }
            i = (i + 1) & mask;
        }
    }

    fn resize(&mut self, slots: usize) {
        let old = std::mem::replace(&mut self.slots, vec![(EMPTY, V::default()); slots]);
        self.len = 0;
        for (key, value) in old {
            if key != EMPTY {
                self.insert(key, value);
            }
        }
    }
}

/// The primary key and unique keys of one table, as seen so far: each key with its first row
/// (rows past `u32::MAX` are named as that row).
pub(crate) struct Keys {
    sets: Vec<KeySet>,
}

/// One key of a table and the values it has taken.
struct KeySet {
    /// `primary-key` or `unique`.
    rule: &'static str,
    fields: Vec<usize>,
    /// Whether each item of the (one, `multiple`) field is a key of its own.
    per_item: bool,
    seen: Fingerprints<u32>,
}

impl Keys {
    /// The key sets of `plan`'s entity, empty.
    pub fn new(plan: &Plan) -> Keys {
        let set = |rule, fields: &[usize], per_item| KeySet {
            rule,
            fields: fields.to_vec(),
            per_item,
            seen: Fingerprints::new(),
        };
        let mut sets = Vec::new();
        if !plan.primary_key.is_empty() {
            sets.push(set("primary-key", &plan.primary_key, false));
        }
        for key in &plan.unique_keys {
            sets.push(set("unique", key, false));
        }
        for (i, field) in plan.fields.iter().enumerate() {
            if field.unique {
                // `unique` on a list is about its items: no item twice in the table.
                sets.push(set("unique", &[i], field.multiple));
            }
        }
        Keys { sets }
    }

    /// Makes room for `rows` more keys in every set.
    pub fn reserve(&mut self, rows: usize) {
        for set in &mut self.sets {
            set.seen.reserve(rows);
        }
    }

    /// Checks the keys of the row `at` (typed as `values`), `key` being a buffer for their text.
    pub fn check(
        &mut self,
        at: &Row<'_>,
        values: &[Value],
        key: &mut String,
        issues: &mut Vec<Issue>,
    ) {
        let row = u32::try_from(at.row).unwrap_or(u32::MAX);
        for KeySet {
            rule,
            fields,
            per_item,
            seen,
        } in &mut self.sets
        {
            if *per_item {
                let field = fields[0];
                key.clear();
                if !values[field].write_key(key) {
                    continue;
                }
                let header = &at.plan.fields[field].header;
                for (n, item) in (1..).zip(key.split(ITEM_SEPARATOR)) {
                    if let Some(first) = seen.insert(Fingerprint::of(item), row) {
                        let message = format!(
                            "`{header}` item {n} is `{item}`, as on row {first}: each item of the list is unique"
                        );
                        let mut issue = at.issue(rule, IssueSeverity::Error, fields, message);
                        issue.item = Some(n);
                        issues.push(issue);
                    }
                }
                continue;
            }
            let names = || {
                let names: Vec<&str> = fields
                    .iter()
                    .map(|f| at.plan.fields[*f].header.as_str())
                    .collect();
                names.join(", ")
            };
            key.clear();
            let mut complete = true;
            for (n, f) in fields.iter().enumerate() {
                if n > 0 {
                    key.push('\u{1f}');
                }
                complete &= values[*f].write_key(key);
            }
            if !complete {
                let empty = fields
                    .iter()
                    .find(|f| values[**f] == Value::Null && !at.plan.fields[**f].required);
                if let (Some(f), true) = (empty, *rule == "primary-key") {
                    let message = format!(
                        "the primary key ({}) has no `{}`",
                        names(),
                        at.plan.fields[*f].header
                    );
                    issues.push(at.issue(rule, IssueSeverity::Error, fields, message));
                }
                continue;
            }
            if let Some(first) = seen.insert(Fingerprint::of(key), row) {
                let what = if *rule == "primary-key" {
                    "primary key"
                } else {
                    "unique key"
                };
                let message = format!(
                    "the {what} ({}) is ({}), as on row {first}",
                    names(),
                    key.replace('\u{1f}', ", ")
                );
                issues.push(at.issue(rule, IssueSeverity::Error, fields, message));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_table_holds_each_key_once_with_its_first_value_across_growth() {
        let mut table: Fingerprints<u32> = Fingerprints::new();
        for n in 0..10_000_u32 {
            assert_eq!(table.insert(Fingerprint::of(&n.to_string()), n), None);
        }
        for n in 0..10_000_u32 {
            let key = Fingerprint::of(&n.to_string());
            assert_eq!(table.insert(key, n + 1), Some(n), "the first value is kept");
            assert_eq!(table.get(key), Some(n));
        }
        assert_eq!(table.get(Fingerprint::of("absent")), None);
        assert_eq!(table.len, 10_000);
        assert!(table.slots.len() >= 20_000, "at most half full");

        let mut sized: Fingerprints<()> = Fingerprints::new();
        sized.reserve(1000);
        let slots = sized.slots.len();
        for n in 0..1000 {
            sized.insert(Fingerprint::of(&format!("k{n}")), ());
        }
        assert_eq!(sized.slots.len(), slots, "reserved room needs no growth");
        assert_eq!(Fingerprints::<()>::new().get(Fingerprint::of("x")), None);
    }
}
