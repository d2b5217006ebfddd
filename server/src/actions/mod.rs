//! LLM code actions: implement, generate from a comment, refactor, fix,
//! explain, write tests and adjust — each fed with hierarchical context and
//! every edit checked against the graph before it is offered.

pub mod check;
pub mod cli;
pub mod diff;
pub mod edit;
pub mod engine;
pub mod imports;
pub mod invariant;
pub mod memory;
pub mod merge;
pub mod place;
pub mod prompt;
pub mod reply;
pub mod request;
pub mod targets;
pub mod tests_file;

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

    /// Opens the mistake memory; `None` (with a log line) when it cannot be
    /// opened: the actions work without it.
    pub fn open_memory(&self) -> Option<memory::MistakeMemory> {
        let path = self.memory_path.clone().or_else(|| {
            let base = std::env::var_os("XDG_CACHE_HOME")
                .filter(|v| !v.is_empty())
                .map(PathBuf::from)
                .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache")))?;
            Some(base.join("pyloom").join("mistakes.sqlite3"))
        })?;
        memory::MistakeMemory::open(&path).map_err(|e| tracing::warn!(path = %path.display(), "mistake memory disabled: {e}")).ok()
    }
}
