//! `pyloom context FILE:LINE:COL --fim`: the graph context a completion at
//! that position would put ahead of the prefix, for people.

use std::path::Path;
use std::time::Duration;

use super::TokenCounter;
use super::fim::{FimContext, gather};
use crate::index::commands::{FilePosition, offset_of};
use crate::project::{canonical, load_graph};
use crate::settings::Settings;

/// The budget when none is given: what a small FIM model's prompt affords
/// next to a prefix and suffix.
pub const DEFAULT_BUDGET: usize = 2000;

/// The context for `position` (1-based line and column) from the workspace
/// graph of `root`, and how long gathering it took (the graph loaded).
pub fn fim_context_at(root: &Path, position: &FilePosition, budget: usize, settings: &Settings) -> Result<(FimContext, Duration), String> {
    let (root, file) = (canonical(root)?, canonical(&position.file)?);
    let source = crate::index::read_source(&file, settings.files.max_file_bytes)?;
    let offset = offset_of(&source, position.line, position.column).ok_or_else(|| format!("{}: no line {}", file.display(), position.line))?;
    let (mut graph, _) = load_graph(&root, settings, false)?;
    // The file may be outside the indexed folders or excluded: add it.
    graph.update_file(&file, &source);
    let id = graph.file_id(&file).ok_or_else(|| format!("{} could not be added to the graph", file.display()))?;
    let primary = &settings.llm.primary;
    let counter = TokenCounter::for_model(primary.provider, &primary.model, settings.context.safety_margin_percent);
    // Like the tokenizer's tables, compiled once per process: the time is
    // that of a request to a running server.
    super::prepare_masking();
    let start = std::time::Instant::now();
    let context = gather(&graph, &counter, id, offset as usize, budget, &[]);
    Ok((context, start.elapsed()))
}

/// The files as the model reads them (a path comment, then the stubs), and
/// the account for stderr.
pub fn show(context: &FimContext, budget: usize, took: Duration) -> (String, String) {
    let text = context.files.iter().map(|f| format!("# {}\n{}\n", f.path, f.text)).collect();
    let account = format!(
        "fim context: {} tokens of a {budget} budget, {} files, {} secrets masked, gathered in {:.2} ms\n",
        context.tokens,
        context.files.len(),
        context.secrets_masked,
        took.as_secs_f64() * 1000.0
    );
    (text, account)
}
