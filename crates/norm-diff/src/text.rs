//! Word-level diffs of titles, labels and descriptions.

use serde::Serialize;
use similar::{Algorithm, ChangeTag, TextDiff as Similar};

/// A word-level diff of two texts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TextDiff {
    /// The old text.
    pub old: String,
    /// The new text.
    pub new: String,
    /// The edit, as runs of equal, deleted and inserted text.
    pub segments: Vec<Segment>,
}

/// A run of text in a [`TextDiff`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Segment {
    /// `equal`, `delete` or `insert`.
    pub op: &'static str,
    /// The text of the run.
    pub text: String,
}

/// Diffs `old` and `new` word by word, merging adjacent runs of the same kind.
pub fn diff(old: &str, new: &str) -> TextDiff {
    let mut segments: Vec<Segment> = Vec::new();
    // Patience anchors on words that occur once on each side, which reads better for prose than
    // the shortest edit (that one happily aligns on the spaces between words).
    let diff = Similar::configure()
        .algorithm(Algorithm::Patience)
        .diff_words(old, new);
    for change in diff.iter_all_changes() {
        let op = match change.tag() {
            ChangeTag::Equal => "equal",
            ChangeTag::Delete => "delete",
            ChangeTag::Insert => "insert",
        };
        match segments.last_mut() {
            Some(last) if last.op == op => last.text.push_str(change.value()),
            _ => segments.push(Segment {
                op,
                text: change.value().to_owned(),
            }),
        }
    }
    TextDiff {
        old: old.to_owned(),
        new: new.to_owned(),
        segments,
    }
}

impl TextDiff {
    /// The diff inline, with `[-deleted-]` and `{+inserted+}` marks (as `git diff
    /// --word-diff` writes them).
    pub fn marked(&self) -> String {
        self.segments
            .iter()
            .map(|s| match s.op {
                "delete" => format!("[-{}-]", s.text),
                "insert" => format!("{{+{}+}}", s.text),
                _ => s.text.clone(),
            })
            .collect()
    }

    /// Whether the two texts share no word (a change of meaning rather than an edit).
    pub fn disjoint(&self) -> bool {
        let words = |t: &str| -> std::collections::BTreeSet<String> {
            t.split(|c: char| !c.is_alphanumeric())
                .filter(|w| !w.is_empty())
                .map(str::to_lowercase)
                .collect()
        };
        words(&self.old).is_disjoint(&words(&self.new))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marks_inserted_and_deleted_words() {
        let d = diff("Abuse or neglect", "Abuse, neglect and exploitation");
        assert_eq!(
            d.marked(),
            "[-Abuse or-]{+Abuse,+} neglect{+ and exploitation+}"
        );
        assert!(!d.disjoint());
        assert!(diff("Male", "Unknown").disjoint());
    }
}
