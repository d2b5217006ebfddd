//! The `inlay_hints` settings section.

use serde::{Deserialize, Serialize};

/// `[inlay_hints]` settings: each kind of hint can be turned off.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct InlayHintSettings {
    /// `: int` after an assigned name whose type the graph infers.
    pub variable_types: bool,
    /// `name=` before positional arguments.
    pub parameter_names: bool,
}

impl Default for InlayHintSettings {
    fn default() -> Self {
        Self { variable_types: true, parameter_names: true }
    }
}
