//! Move symbol as a code action (`refactor.move`) on a top-level `def` or
//! `class`: LSP has no prompt for a target file, so each action names its
//! target ("Move to new module cart.py", "Move to views.py" for a module
//! of the same folder that imports from this one) and runs the command
//! `pyloom.moveSymbol {textDocument, position, target}`, which computes
//! the move ([`crate::ide::symbol_move`]), checks every edited file and
//! sends one `workspace/applyEdit` (the new module created first).
//! A move that is refused is offered disabled, with the reason.

use serde::Deserialize;
use serde_json::Value;
use tower_lsp::jsonrpc::{Error, ErrorCode, Result};
use tower_lsp::lsp_types::{self as lsp, CodeActionKind, CodeActionOrCommand, Url};

use super::locations::Links;
use super::{Backend, convert};
use crate::actions::check::Checker;
use crate::actions::edit::FileChange;
use crate::ide::entry_points::ProjectFileEdit;
use crate::ide::symbol_move::{self, SymbolMoveError};
use crate::workspace::to_byte_offset;

pub(super) const MOVE_COMMAND: &str = "pyloom.moveSymbol";

/// At most this many modules that import the symbol's module are offered.
const SIBLINGS: usize = 3;

/// The command's one argument.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct MoveArguments {
    text_document: lsp::TextDocumentIdentifier,
    position: lsp::Position,
    target: Url,
}

pub(super) fn move_kind() -> CodeActionKind {
    CodeActionKind::new("refactor.move")
}

/// Why a move is not made from a notebook: its definition, the import
/// left in its place and the blank lines around them fall in different
/// cells, an edit no cell can take whole.
const NOTEBOOK_MOVE: &str = "a symbol is not moved out of a notebook: its edit would span notebook cells; move it by hand";

fn refused(message: String) -> Error {
    Error { code: ErrorCode::ServerError(-32803), message: message.into(), data: None }
}

impl Backend {
    /// The moves offered at `range`'s start, on a top-level definition's header.
    pub(super) async fn move_actions(&self, uri: &Url, range: lsp::Range) -> Vec<CodeActionOrCommand> {
        if self.state.notebooks.is_open(uri.as_str()) {
            return Vec::new(); // see `NOTEBOOK_MOVE`
        }
        // Most requests are on no definition's header: answered from the buffer's syntax.
        let Some(doc) = self.snapshot(uri) else { return Vec::new() };
        let Ok(cursor) = to_byte_offset(&doc.rope, convert::text_position(range.start), self.encoding()) else { return Vec::new() };
        let nested = match symbol_move::symbol_at(&doc.text(), cursor as u32) {
            Ok(_) => None,
            Err(SymbolMoveError::Nested(name)) => Some(name),
            Err(_) => return Vec::new(),
        };
        let action = |title: String, disabled: Option<String>, target: Option<&std::path::Path>| {
            let arguments = target
                .and_then(|t| Url::from_file_path(t).ok())
                .map(|target| vec![serde_json::json!({ "textDocument": { "uri": uri }, "position": range.start, "target": target })]);
            CodeActionOrCommand::CodeAction(lsp::CodeAction {
                title: title.clone(),
                kind: Some(move_kind()),
                disabled: disabled.map(|reason| lsp::CodeActionDisabled { reason }),
                command: arguments.map(|arguments| lsp::Command { title, command: MOVE_COMMAND.to_owned(), arguments: Some(arguments) }),
                ..Default::default()
            })
        };
        if let Some(name) = nested {
            let why = SymbolMoveError::Nested(name.clone()).to_string();
            return vec![action(format!("Move `{name}` to another module"), Some(why), None)];
        }
        let at = lsp::TextDocumentPositionParams { text_document: lsp::TextDocumentIdentifier { uri: uri.clone() }, position: range.start };
        let Some((graph, file, offset)) = self.graph_and_offset(&at, Links::All).await else { return Vec::new() };
        let Ok((name, targets)) = symbol_move::destinations(&graph, file, offset) else { return Vec::new() };
        let fresh = targets.first().filter(|t| graph.file_id(t).is_none()).cloned();
        let siblings = targets.iter().filter(|t| graph.file_id(t).is_some()).take(SIBLINGS).cloned();
        let mut actions = Vec::new();
        for target in fresh.into_iter().chain(siblings) {
            let shown = target.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
            let title = if graph.file_id(&target).is_none() { format!("Move `{name}` to new module {shown}") } else { format!("Move `{name}` to {shown}") };
            let (graph, moved_to) = (graph.clone(), target.clone());
            let checked = tokio::task::spawn_blocking(move || symbol_move::move_symbol(&graph, file, offset, &moved_to).map(|_| ())).await;
            let disabled = match checked {
                Ok(Ok(())) => None,
                Ok(Err(why)) => Some(why.to_string()),
                Err(e) => {
                    tracing::error!(%uri, "the move's check failed to run: {e}");
                    continue;
                }
            };
            actions.push(action(title, disabled, Some(&target)));
        }
        actions
    }

    /// `pyloom.moveSymbol`: the move computed again on the current texts,
    /// checked, and sent as one workspace edit.
    pub(super) async fn move_symbol_command(&self, arguments: Vec<Value>) -> Result<Option<Value>> {
        let argument = arguments.into_iter().next().ok_or_else(|| Error::invalid_params("expected {textDocument, position, target}"))?;
        let arguments: MoveArguments = serde_json::from_value(argument).map_err(|e| Error::invalid_params(e.to_string()))?;
        let target = arguments.target.to_file_path().map_err(|()| Error::invalid_params(format!("{} is not a file", arguments.target)))?;
        let at = lsp::TextDocumentPositionParams { text_document: arguments.text_document, position: arguments.position };
        let uri = at.text_document.uri.clone();
        if self.state.notebooks.is_open(uri.as_str()) {
            return Err(refused(NOTEBOOK_MOVE.to_owned()));
        }
        self.sync_open_documents().await;
        let (graph, file, offset) =
            self.graph_and_offset(&at, Links::All).await.ok_or_else(|| refused(format!("{uri} is not part of the indexed workspace (yet)")))?;
        if let Some(why) = symbol_move::missing_folder(&target) {
            self.client.show_message(lsp::MessageType::WARNING, format!("pyloom did not move the symbol: {why}")).await;
            return Err(refused(why));
        }
        let configs = self.findings_configs();
        let work = tokio::task::spawn_blocking(move || {
            let moved = symbol_move::move_symbol(&graph, file, offset, &target).map_err(|e| e.to_string())?;
            let changes: Vec<FileChange> = moved
                .files
                .iter()
                .map(|f| FileChange { path: f.path.clone(), original: f.original.clone().unwrap_or_default(), candidate: f.text.clone() })
                .collect();
            let problems: Vec<_> =
                Checker::new(graph, configs).check_all(&changes).into_iter().filter(|p| !moved.intended(&p.kind, &p.message, p.place.as_deref())).collect();
            if !problems.is_empty() {
                let list: Vec<String> = problems.iter().map(ToString::to_string).collect();
                return Err(format!("the move is refused: {}", list.join("; ")));
            }
            // The entry points of `pyproject.toml` and `setup.cfg`: not Python, not checked as code.
            let changes: Vec<FileChange> = changes.into_iter().chain(moved.project_files.iter().map(ProjectFileEdit::change)).collect();
            Ok((moved, changes))
        });
        let (moved, changes) = match work.await {
            Ok(Ok(done)) => done,
            Ok(Err(why)) => {
                self.client.show_message(lsp::MessageType::WARNING, format!("pyloom did not move the symbol: {why}")).await;
                return Err(refused(why));
            }
            Err(e) => return Err(refused(format!("the move failed to run: {e}"))),
        };
        let title = format!("Move `{}` to `{}`", moved.name, moved.new);
        let applied = self.apply_changes(&changes, &title, &format!("`{}` moved from `{}`", moved.name, moved.old)).await?;
        Ok(Some(serde_json::json!({ "applied": applied, "files": changes.len() })))
    }
}
