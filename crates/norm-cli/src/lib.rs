//! The definition of `norm`'s command line, shared by the binary and by `cargo xtask codegen`
//! (which writes the man page from it). Everything else lives in the binary.

pub mod cli;
