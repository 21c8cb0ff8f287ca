//! Dates as data files write them: the reader shared with the importers and exporters.

pub use norm_model::dates::written::*;
