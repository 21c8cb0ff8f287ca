//! Notes that recur across a source, counted: "type `nvarchar` read as string" once with the
//! number of places, at the first, rather than hundreds of times.

use norm_model::yaml::Node;

use crate::source::{Reading, at};
use crate::{Note, Place};

/// Recurring notes, by kind and message, in order of first occurrence.
#[derive(Debug, Default)]
pub(super) struct Tally {
    seen: Vec<(&'static str, String, Place, usize)>,
}

impl Tally {
    /// Counts `message` of `kind` at `node` of the file `reading` reads.
    pub(super) fn add(
        &mut self,
        reading: &Reading,
        node: &Node,
        kind: &'static str,
        message: &str,
    ) {
        match self
            .seen
            .iter_mut()
            .find(|(k, m, _, _)| *k == kind && m == message)
        {
            Some(entry) => entry.3 += 1,
            None => self
                .seen
                .push((kind, message.to_owned(), at(&reading.file, node), 1)),
        }
    }

    /// One note per message, saying how many places it applies to.
    pub(super) fn notes(self) -> impl Iterator<Item = Note> {
        self.seen
            .into_iter()
            .map(|(kind, message, place, count)| Note {
                place,
                kind,
                message: match count {
                    1 => message,
                    2 => format!("{message} (here and in 1 more place)"),
                    n => format!("{message} (here and in {} more places)", n - 1),
                },
            })
    }
}
