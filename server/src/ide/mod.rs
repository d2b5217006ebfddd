//! Editor features over the graph: plain Rust in, plain Rust out; the LSP
//! conversions live in `crate::lsp`.

pub mod folding;
pub mod inlay_hints;
pub mod mentions;
pub mod occurrences;
pub mod rename;
pub mod selection;
