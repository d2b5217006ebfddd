//! pyloom: a Python language server built on a live dependency graph.
//!
//! Analysis modules take paths and byte offsets and return plain Rust data;
//! only [`lsp`] knows the protocol.

pub mod actions;
pub mod check;
pub mod common_affix;
pub mod context;
pub mod environment;
pub mod findings;
pub mod graph;
pub mod ide;
pub mod index;
pub mod inline;
pub mod line_ends;
pub mod live;
pub mod llm;
pub mod logging;
pub mod lsp;
pub mod mcp;
pub mod memory;
pub mod notebook;
pub mod phase;
pub mod project;
pub mod settings;
pub mod snippets;
pub mod stdout;
pub mod store;
pub mod syntax;
pub mod workspace;
