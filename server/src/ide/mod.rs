//! Editing features over the graph: analysis that answers an editor's
//! requests at a cursor, in plain Rust data (the LSP layer converts).

mod call_site;
pub mod completion;
mod completion_context;
mod completion_import;
pub mod signature_help;

#[cfg(test)]
mod fixture;
