//! The editor's view of the workspace: open documents and positions in them.

mod document;
mod documents;
mod position;

pub use document::{Document, MAX_NESTING, TextChange, nests_too_deep};
pub use documents::{DocumentError, Documents};
pub use position::{PositionEncoding, PositionError, TextPosition, from_byte_offset, past_line_end, to_byte_offset, units};
