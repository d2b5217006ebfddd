//! The `actions` settings section: how patiently the LLM actions retry.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

/// The `actions` settings section.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ActionSettings {
    /// Model answers tried per action before the errors go to the user.
    pub max_attempts: usize,
    /// Where failed checks are remembered; default
    /// `$XDG_CACHE_HOME/pyloom/mistakes.sqlite3`.
    pub memory_path: Option<PathBuf>,
    /// How a refactor or a fix asks the model to answer.
    pub edit_format: EditFormat,
}

/// The shape of answer a refactor or a fix asks for. `Auto` asks for the
/// whole code of a small target, and of a large one the edit format the
/// model was trained on (see `actions::reply_format`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum EditFormat {
    #[default]
    Auto,
    /// One fenced block with the target's whole new code.
    Code,
    /// aider's SEARCH/REPLACE blocks.
    SearchReplace,
    /// OpenAI's `*** Begin Patch` format.
    Patch,
}

impl Default for ActionSettings {
    fn default() -> Self {
        Self { max_attempts: 3, memory_path: None, edit_format: EditFormat::Auto }
    }
}

impl ActionSettings {
    pub fn validate(&self) -> Result<(), String> {
        if !(1..=10).contains(&self.max_attempts) {
            return Err("actions.max_attempts must be between 1 and 10".to_owned());
        }
        Ok(())
    }

    /// Where failed checks are remembered: `memory_path`, else the user's
    /// cache folder.
    pub fn memory_path(&self) -> Option<PathBuf> {
        self.memory_path.clone().or_else(|| Some(super::user_cache_dir()?.join("pyloom").join("mistakes.sqlite3")))
    }
}
