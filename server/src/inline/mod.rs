//! Inline (ghost-text) completion: the prompt for the text at a cursor, with
//! the workspace files the graph finds relevant ahead of the prefix, and
//! the gate a model's answer passes before it is shown.
//!
//! ```text
//! prepare(graph, file, offset)  context::fim::gather ─ Shape (model family) ─ llm::Request
//!            … the model answers (llm::LlmClient) …
//! finish(graph, file, offset, answer)  cut to the block ─ parse ─ names, calls ─ Suggestion
//! ```

pub mod cli;
mod format;
mod gate;
mod shown;
#[cfg(test)]
mod tests;

pub use format::{Family, Shape};
pub use gate::{Suggestion, block_ended, gate};
pub use shown::Shown;

use crate::context::TokenCounter;
use crate::context::fim::{self, RecentEdit};
use crate::graph::{FileId, Graph};
use crate::llm::Request;
use crate::settings::Settings;

/// At most this much of the file before and after the cursor is sent
/// (whole lines); the other files' context has its own budget.
const MAX_PREFIX_BYTES: usize = 12_000;
const MAX_SUFFIX_BYTES: usize = 4_000;

/// A completion request ready to send.
#[derive(Debug)]
pub struct Prepared {
    pub request: Request,
    pub shape: Shape,
    /// Tokens and files of other files' context in the prompt.
    pub context_tokens: usize,
    pub context_files: usize,
    /// Secrets masked in the context, the prefix and the suffix.
    pub secrets_masked: usize,
}

/// The token counter of the completion model. Its tables are built on
/// first use (o200k: a 200,000-entry map, ~150 ms): the server builds them
/// at start, not in the first request.
pub fn counter(settings: &Settings) -> TokenCounter {
    let endpoint = settings.completion.endpoint(&settings.llm);
    TokenCounter::for_model(endpoint.provider, &endpoint.model, settings.context.safety_margin_percent)
}

/// The request for the cursor at byte `offset` of `file`, whose current
/// text the graph must hold. `recent` are the places edited lately.
pub fn prepare(graph: &Graph, file: FileId, offset: usize, settings: &Settings, recent: &[RecentEdit], stream: bool) -> Result<Prepared, String> {
    let completion = &settings.completion;
    let entry = graph.file(file).ok_or("the file is not in the workspace graph")?;
    let text: &str = entry.text();
    if !text.is_char_boundary(offset) {
        return Err(format!("the position (byte {offset}) is outside the text of {}", entry.path.display()));
    }
    let provider = completion.provider(&settings.llm);
    let endpoint = completion.endpoint(&settings.llm);
    let shape = Shape::choose(completion.format, provider, &endpoint.model);
    let counter = counter(settings);
    let context = fim::gather(graph, &counter, file, offset, completion.context_budget, recent);
    let (prefix, masked_before) = crate::context::mask_secrets(tail(&text[..offset], MAX_PREFIX_BYTES));
    let (suffix, masked_after) = crate::context::mask_secrets(head(&text[offset..], MAX_SUFFIX_BYTES));
    let (repo, path) = fim::workspace_path(graph, &entry.path);
    let parts = format::Parts { repo: &repo, path: &path, prefix: &prefix, suffix: &suffix, files: &context.files };
    Ok(Prepared {
        request: format::request(shape, provider, &parts, completion.max_tokens, stream),
        shape,
        context_tokens: context.tokens,
        context_files: context.files.len(),
        secrets_masked: context.secrets_masked + masked_before + masked_after,
    })
}

/// The suggestion to show for `answer`, the model's text for the cursor at
/// `offset` of `file` (the graph holding the text the prompt was made of;
/// `tree`, when given, that text's tree-sitter tree).
pub fn finish(graph: &Graph, file: FileId, offset: usize, shape: Shape, answer: &str, tree: Option<&tree_sitter::Tree>) -> Option<Suggestion> {
    gate(graph, file, offset, &format::answer_code(shape, answer), tree)
}

/// The end of `text`, at most `max` bytes, from a line start.
fn tail(text: &str, max: usize) -> &str {
    if text.len() <= max {
        return text;
    }
    let cut = text.len() - max;
    text.as_bytes()[cut..].iter().position(|&b| b == b'\n').map_or("", |i| &text[cut + i + 1..])
}

/// The start of `text`, at most `max` bytes, to a line end.
fn head(text: &str, max: usize) -> &str {
    if text.len() <= max {
        return text;
    }
    let mut cut = max;
    while !text.is_char_boundary(cut) {
        cut -= 1;
    }
    text[..cut].rfind('\n').map_or("", |i| &text[..=i])
}
