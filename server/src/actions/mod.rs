//! LLM code actions: implement, generate from a comment, refactor, fix,
//! explain, write tests and adjust — each fed with hierarchical context and
//! every edit checked against the graph before it is offered.

pub mod call_arguments;
pub mod check;
pub mod cli;
pub mod dependents;
pub mod edit;
pub mod engine;
pub mod follow;
pub mod formats;
pub mod imports;
pub mod invariant;
pub mod memory;
pub mod merge;
pub mod place;
pub mod prompt;
pub mod rename;
pub mod reply;
pub mod reply_format;
pub mod request;
pub mod request_rules;
pub mod targets;
pub mod tests_file;

pub use crate::settings::actions::ActionSettings;

/// Opens the mistake memory the settings name, for the project of the
/// file `edited`; `None` (with a log line) when it cannot be opened: the
/// actions work without it.
pub fn open_memory(settings: &ActionSettings, edited: &std::path::Path) -> Option<memory::MistakeMemory> {
    let path = settings.memory_path()?;
    let project = crate::project::project_root(edited);
    memory::MistakeMemory::open(&path, &project).map_err(|e| tracing::warn!(path = %path.display(), "mistake memory disabled: {e}")).ok()
}
