//! Hierarchical context for a target (a definition or a cursor position):
//! the target's code and its direct neighbours in full (level 1), the next
//! ring as signatures (level 2), fitted to a token budget that keeps a
//! reserve for the instructions and the answer. Secrets are masked before
//! anything is counted, so the counts are of what is sent.

mod assemble;
mod compress;
pub mod fim;
pub mod fim_location;
#[cfg(test)]
mod fim_tests;
mod from_graph;
#[cfg(test)]
mod indirect_tests;
mod local;
mod location;
mod neighbourhood;
mod outline;
mod pack;
mod rank;
mod secrets;
#[cfg(test)]
mod tests;
mod tokens;

pub use assemble::{Context, NameCounts, assemble, assemble_in_graph};
pub use compress::compress;
pub use location::{context_at, parse_location};
pub use pack::{Packed, SectionAccount};
pub use secrets::{mask as mask_secrets, prepare as prepare_masking};
pub use tokens::{Encoding, TokenCounter};

pub use crate::settings::context::ContextSettings;
