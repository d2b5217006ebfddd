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
}

impl Default for ActionSettings {
    fn default() -> Self {
        Self { max_attempts: 3, memory_path: None }
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
