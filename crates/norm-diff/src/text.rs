//! Word-level diffs of titles, labels and descriptions.

use serde::Serialize;
use similar::{Algorithm, DiffTag};

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
    for (op, token) in edit(&words(old), &words(new)) {
        let op = match op {
            Op::Equal => "equal",
            Op::Delete => "delete",
            Op::Insert => "insert",
        };
        match segments.last_mut() {
            Some(last) if last.op == op => last.text.push_str(token),
            _ => segments.push(Segment {
                op,
                text: token.to_owned(),
            }),
        }
    }
    TextDiff {
        old: old.to_owned(),
        new: new.to_owned(),
        segments,
    }
}

/// `text` cut into words and the runs of white space between them.
fn words(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut space = None;
    for (at, c) in text.char_indices() {
        let is_space = c.is_whitespace();
        if space.is_some_and(|s| s != is_space) {
            out.push(&text[start..at]);
            start = at;
        }
        space = Some(is_space);
    }
    if start < text.len() {
        out.push(&text[start..]);
    }
    out
}

/// What a token of an [`edit`] is: kept, removed or added.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    /// In both texts.
    Equal,
    /// In the old text only.
    Delete,
    /// In the new text only.
    Insert,
}

/// The edit from the tokens `old` to the tokens `new`, each token tagged, in the order a
/// reader goes through them: within each changed stretch, what was removed, then what was
/// added.
///
/// The shortest edit of a rewritten paragraph keeps every small word the two versions happen
/// to share ("the", "of", a space) and so alternates removed and added words, which nobody
/// can read. As diff-match-patch's semantic clean-up does, a stretch of equal text between
/// two changes is made part of them when it is at most half as long as the larger side of
/// the change before it and of the change after it. Equal text holding a paragraph break
/// (a token with a blank line) is always kept, so paragraphs still line up.
pub fn edit<'a>(old: &[&'a str], new: &[&'a str]) -> Vec<(Op, &'a str)> {
    let mut runs: Vec<Run<'a>> = Vec::new();
    for op in similar::capture_diff_slices(Algorithm::Patience, old, new) {
        let (tag, old_range, new_range) = op.as_tag_tuple();
        match tag {
            DiffTag::Equal => push(&mut runs, Op::Equal, &old[old_range]),
            DiffTag::Delete => push(&mut runs, Op::Delete, &old[old_range]),
            DiffTag::Insert => push(&mut runs, Op::Insert, &new[new_range]),
            DiffTag::Replace => {
                push(&mut runs, Op::Delete, &old[old_range]);
                push(&mut runs, Op::Insert, &new[new_range]);
            }
        }
    }
    while absorb_short_equality(&mut runs) {}
    runs.into_iter()
        .flat_map(|run| run.tokens.into_iter().map(move |t| (run.op, t)))
        .collect()
}

/// A stretch of tokens of one [`Op`].
struct Run<'a> {
    op: Op,
    tokens: Vec<&'a str>,
    /// The characters of its tokens.
    len: usize,
}

/// Adds `tokens` as `op`, keeping each changed stretch as at most one deletion followed by at
/// most one insertion.
fn push<'a>(runs: &mut Vec<Run<'a>>, op: Op, tokens: &[&'a str]) {
    if tokens.is_empty() {
        return;
    }
    let len = tokens.iter().map(|t| t.chars().count()).sum();
    // A deletion goes before its stretch's insertion.
    let end = match runs.last() {
        Some(last) if op == Op::Delete && last.op == Op::Insert => runs.len() - 1,
        _ => runs.len(),
    };
    match end.checked_sub(1).map(|i| &mut runs[i]) {
        Some(run) if run.op == op => {
            run.tokens.extend_from_slice(tokens);
            run.len += len;
        }
        _ => runs.insert(
            end,
            Run {
                op,
                tokens: tokens.to_vec(),
                len,
            },
        ),
    }
}

/// The larger side, in characters deleted or inserted, of the changed stretch that `runs`
/// (read in the given order) begins with.
fn larger_side<'r, 'a: 'r>(runs: impl Iterator<Item = &'r Run<'a>>) -> usize {
    runs.take_while(|r| r.op != Op::Equal)
        .map(|r| r.len)
        .max()
        .unwrap_or(0)
}

/// One step of the clean-up [`edit`] describes: absorbs the first short equal stretch, and
/// says whether there was one.
fn absorb_short_equality(runs: &mut Vec<Run<'_>>) -> bool {
    let Some(at) = (1..runs.len().saturating_sub(1)).find(|&i| {
        let run = &runs[i];
        run.op == Op::Equal
            && !run.tokens.iter().any(|t| t.contains("\n\n"))
            && 2 * run.len <= larger_side(runs[..i].iter().rev())
            && 2 * run.len <= larger_side(runs[i + 1..].iter())
    }) else {
        return false;
    };
    let mut rest = runs.split_off(at);
    let equal = rest.remove(0);
    push(runs, Op::Delete, &equal.tokens);
    push(runs, Op::Insert, &equal.tokens);
    for run in rest {
        push(runs, run.op, &run.tokens);
    }
    true
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
    use proptest::prelude::*;

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

    #[test]
    fn a_small_edit_keeps_the_words_around_it() {
        let d = diff(
            "The date the child started to be looked after.",
            "The date the child first started to be looked after.",
        );
        assert_eq!(
            d.marked(),
            "The date the child {+first +}started to be looked after."
        );
    }

    #[test]
    fn a_rewrite_reads_as_the_old_text_then_the_new() {
        // The shortest edit keeps every space and the "the" the two share, and interleaves
        // removals and additions word by word. Only " of the " is long enough to keep.
        let d = diff(
            "The date of the last review of the plan.",
            "When the child was first seen by a social worker of the team.",
        );
        assert_eq!(
            d.marked(),
            "[-The date of the last review-]{+When the child was first seen by a social worker+} \
             of the [-plan.-]{+team.+}"
        );
        let d = diff(
            "alpha beta gamma delta epsilon",
            "alpha xi omicron pi epsilon",
        );
        assert_eq!(
            d.marked(),
            "alpha [-beta gamma delta-]{+xi omicron pi+} epsilon"
        );
    }

    #[test]
    fn a_paragraph_break_is_never_absorbed() {
        // Two characters of equal text between changes of eight or more: short enough to
        // absorb, were it not the break between two paragraphs.
        let d = diff("Old words.\n\nThree more.", "New text.\n\nSeven eight.");
        assert_eq!(
            d.marked(),
            "[-Old words.-]{+New text.+}\n\n[-Three more.-]{+Seven eight.+}"
        );
    }

    proptest! {
        /// Whatever the clean-up absorbs, the kept and removed tokens spell the old text, and
        /// the kept and added ones the new.
        #[test]
        fn an_edit_spells_both_texts(
            old in "[abc ]{0,40}(\n\n[abc ]{0,10})?",
            new in "[abcd ]{0,40}(\n\n[abc ]{0,10})?",
        ) {
            let edit = edit(&words(&old), &words(&new));
            let spelt = |skip: Op| -> String {
                edit.iter().filter(|(op, _)| *op != skip).map(|(_, t)| *t).collect()
            };
            prop_assert_eq!(spelt(Op::Insert), old.as_str());
            prop_assert_eq!(spelt(Op::Delete), new.as_str());
        }
    }
}
