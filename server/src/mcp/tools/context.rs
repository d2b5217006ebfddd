//! The context pyloom would give a model for a place or a symbol.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::target::{Target, line_of};
use super::{Call, ToolError, answer};
use crate::context::{NameCounts, TokenCounter, assemble_in_graph};

#[derive(Debug, Deserialize, JsonSchema)]
pub struct ContextArgs {
    #[serde(flatten)]
    pub target: Target,
    /// Total tokens, as for a model call: context, instructions and answer
    /// (default: the workspace's `context.budget`, 8192).
    pub budget: Option<usize>,
}

/// Budgets below this leave no room for any code.
const MIN_BUDGET: usize = 256;
/// Budgets above this are surely a mistake (and slow to pack).
const MAX_BUDGET: usize = 1_000_000;

#[derive(Debug, Serialize)]
struct Answer {
    target: String,
    /// Tokens of `text`, of the budget, in the configured model's encoding.
    tokens: usize,
    budget: usize,
    encoding: &'static str,
    secrets_masked: usize,
    text: String,
}

pub fn context(call: &Call, args: ContextArgs) -> Result<Value, ToolError> {
    let (ws, graph) = (&call.ws, &*call.graph);
    let settings = ws.settings();
    let budget = args.budget.unwrap_or(settings.context.budget);
    if !(MIN_BUDGET..=MAX_BUDGET).contains(&budget) {
        return Err(ToolError::new(format!("budget must be between {MIN_BUDGET} and {MAX_BUDGET} tokens, got {budget}")));
    }
    let place = args.target.resolve_place(ws, graph)?;
    let entry = graph.file(place.file).ok_or_else(|| ToolError::new("the file left the workspace meanwhile; ask again"))?;
    let (line, _, _) = line_of(entry.text(), place.offset as usize);
    let primary = &settings.llm.primary;
    let counter = TokenCounter::for_model(primary.provider, &primary.model, settings.context.safety_margin_percent);
    let names = call.names.get_or_init(|| NameCounts::new(graph));
    let context = assemble_in_graph(graph, names, place.file, line, budget, &settings.context, &counter).map_err(ToolError::new)?;
    answer(Answer {
        target: context.target,
        tokens: context.packed.tokens,
        budget,
        encoding: context.encoding,
        secrets_masked: context.secrets_masked,
        text: context.packed.text,
    })
}
