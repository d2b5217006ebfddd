//! Semantic tokens deltas for a notebook's cells. The server keeps the
//! tokens of documents, and a notebook is one to it: asked about a cell,
//! it answers the notebook's tokens, which are cut to the cell's. So a
//! delta request about a cell is made a full one, and the delta is made
//! here, from the cell's last answer (kept by the cell's URI under its
//! result id) to the new one, as a `.py` file gets it.

use std::collections::HashMap;

use serde_json::Value;
use tower_lsp::lsp_types::{SemanticToken, SemanticTokens, SemanticTokensDelta};

/// What a tokens request about a cell asks.
pub(super) enum TokensAsked {
    /// A range's tokens: nothing to keep.
    Range,
    /// All the cell's tokens; as a delta from `previous` when it is the
    /// cell's last result id.
    All { previous: Option<String> },
}

/// Each cell's last full answer, by the cell's URI: its result id and
/// tokens.
#[derive(Default)]
pub(super) struct LastTokens(HashMap<String, (String, Vec<SemanticToken>)>);

impl LastTokens {
    pub(super) fn forget(&mut self, cell: &str) {
        self.0.remove(cell);
    }

    /// The answer `result` (the cell's tokens, cut from the notebook's) to
    /// `asked` about `cell`: kept for the cell's next delta, and made the
    /// delta from the tokens it names when the request was for one.
    pub(super) fn answer(&mut self, result: &mut Value, cell: &str, asked: &TokensAsked) {
        let TokensAsked::All { previous } = asked else { return };
        let Ok(SemanticTokens { result_id: Some(id), data }) = serde_json::from_value::<SemanticTokens>(result.clone()) else { return };
        let last = self.0.insert(cell.to_owned(), (id.clone(), data.clone()));
        let Some((_, old)) = last.filter(|(last_id, _)| previous.as_ref() == Some(last_id)) else { return };
        let delta = SemanticTokensDelta { result_id: Some(id), edits: crate::lsp::semantic_tokens::delta(&old, &data) };
        if let Ok(delta) = serde_json::to_value(delta) {
            *result = delta;
        }
    }
}

/// What `message`, a tokens request about a cell (`method`), asks; a
/// delta request is made a full one for the server, which keeps the
/// notebook's tokens, not the cell's.
pub(super) fn asked(message: &mut Value, method: &str) -> TokensAsked {
    if method == "textDocument/semanticTokens/range" {
        return TokensAsked::Range;
    }
    let previous = message.get_mut("params").and_then(Value::as_object_mut).and_then(|params| params.remove("previousResultId"));
    message["method"] = "textDocument/semanticTokens/full".into();
    TokensAsked::All { previous: previous.and_then(|id| id.as_str().map(str::to_owned)) }
}
