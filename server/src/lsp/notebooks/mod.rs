//! Jupyter notebooks over LSP 3.17's `notebookDocument/*`.
//!
//! An open notebook is one Python document to the rest of the server: its
//! URI (`file:///…/analysis.ipynb`) holding its Python cells joined
//! ([`crate::notebook::Notebook`]), opened, changed and closed with the
//! `textDocument/*` notifications this module makes from the notebook ones.
//! Every handler (hover, rename, diagnostics, the LLM actions…) then works
//! on notebooks unchanged; what the client says about a cell is translated
//! here, on the wire, into what it means in the joined text and back
//! ([`positions`]): a cell's URI and lines in requests, the notebook's URI
//! and lines in answers, diagnostics published per cell.

mod cell_tokens;
mod checks;
mod joined_changes;
mod open;
mod positions;
mod untitled;
mod wire;
mod writefile;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use serde_json::{Value, json};

use super::transport::Routed;
use crate::notebook::{Cell, CellKind, Notebook};
use crate::workspace::{Documents, PositionEncoding, TextChange, TextPosition, nests_too_deep};

use open::{Open, OpenNotebooks};
use wire::{CellChanges, Edited, NotebookCell, OpenNotebookParams};

/// The notebooks the client has open, shared by the transport (which
/// translates) and the handlers (which lint a notebook with its cells).
pub struct Notebooks {
    inner: Mutex<Inner>,
}

#[derive(Default)]
struct Inner {
    notebooks: OpenNotebooks,
    /// The notebook of each open cell, by the cell's URI.
    cell_owner: HashMap<String, String>,
    /// The cells' texts, edited as the client sends edits.
    cell_texts: Option<Documents>,
    /// Requests made about a cell, by their JSON-RPC id: their answers are
    /// translated back into that cell.
    asked: HashMap<String, positions::Asked>,
    /// The diagnostics last published for each cell: a keystroke in one
    /// cell republishes only the cells whose changed.
    published: HashMap<String, positions::Published>,
    /// Each cell's last semantic tokens, to answer its next delta request.
    cell_tokens: cell_tokens::LastTokens,
    /// The files untitled notebooks are served as.
    untitled: untitled::Untitled,
}

impl Default for Notebooks {
    fn default() -> Self {
        Notebooks { inner: Mutex::new(Inner::default()) }
    }
}

impl Notebooks {
    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        // Every change builds the new state before it is stored.
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The position encoding the server negotiated: cell edits are in it.
    pub fn set_encoding(&self, encoding: PositionEncoding) {
        self.lock().cell_texts = Some(Documents::new(encoding, 0));
    }

    /// Whether a notebook is open at `uri`.
    pub fn is_open(&self, uri: &str) -> bool {
        self.lock().notebooks.contains(uri)
    }

    /// The notebook open at `uri` whose joined text is `text` (the handlers
    /// lint it with its cells); `None` when another text has been sent since.
    pub fn notebook(&self, uri: &str, text: &str) -> Option<Arc<Notebook>> {
        let inner = self.lock();
        let open = inner.notebooks.get(uri)?;
        (open.joined.source() == text).then(|| open.joined.clone())
    }

    /// What a message from the client amounts to: the message, a cell
    /// request made about the notebook, for a notebook notification the
    /// document notifications it amounts to, or the answer to a request
    /// about a cell that holds no Python.
    pub fn incoming(&self, method: &str, body: Vec<u8>) -> Vec<Routed> {
        if method == "initialize" {
            self.lock().untitled.initialize(&body);
        }
        if let Some(kind) = method.strip_prefix("notebookDocument/") {
            let Ok(message) = serde_json::from_slice::<Value>(&body) else {
                return vec![refused(method, "not JSON")];
            };
            let params = message.get("params").cloned().unwrap_or(Value::Null);
            return self.notebook_notification(kind, params).unwrap_or_else(|problem| vec![refused(method, &problem)]);
        }
        let mut inner = self.lock();
        // No notebook open: no cell is, and the server holds no notebook
        // a cell's URI could be answered from.
        if inner.notebooks.is_empty() {
            return vec![Routed::Server(body)];
        }
        if let Some(routed) = cell_document_notification(&mut inner, method, &body) {
            return routed;
        }
        positions::into_notebook(&mut inner, method, body).into_iter().collect()
    }

    /// What the client gets for a message from tower-lsp: answers about a
    /// cell in that cell's lines, the notebook's diagnostics per cell.
    pub fn outgoing(&self, body: Vec<u8>) -> Vec<Vec<u8>> {
        let mut inner = self.lock();
        // Only answers to cell requests and messages naming a notebook (its
        // URI, or a line of it in a reason: `n.ipynb:6` from a rename asked
        // in a .py file) are rewritten: the rest (a .py file's tokens) is
        // not parsed again.
        let names_a_line = || !inner.notebooks.is_empty() && memchr::memmem::find(&body, b".ipynb:").is_some();
        if inner.asked.is_empty() && !inner.notebooks.named_in(&body) && !names_a_line() {
            return vec![body];
        }
        positions::into_cells(&mut inner, body)
    }

    /// The messages a notebook notification amounts to, each with where it goes.
    fn notebook_notification(&self, kind: &str, params: Value) -> Result<Vec<Routed>, String> {
        let mut inner = self.lock();
        let inner = &mut *inner;
        let asked = params.pointer("/notebookDocument/uri").and_then(Value::as_str).ok_or("no notebookDocument.uri")?.to_owned();
        // The notebook as the server knows it (an untitled one's file).
        let uri = match kind {
            "didOpen" => inner.untitled.to_serve(&asked, |served| inner.notebooks.contains(served)),
            _ => inner.untitled.served(&asked),
        };
        match kind {
            "didOpen" => {
                let params: OpenNotebookParams = serde_json::from_value(params).map_err(|e| e.to_string())?;
                // Checked before any text is stored: a refused open changes nothing.
                checks::open(&params, &uri, inner)?;
                let texts = inner.cell_texts.get_or_insert_with(|| Documents::new(PositionEncoding::default(), 0));
                for document in &params.cell_text_documents {
                    texts.open(&document.uri, document.version, &document.text);
                }
                for cell in &params.notebook_document.cells {
                    inner.cell_owner.insert(cell.document.clone(), uri.clone());
                    inner.published.remove(&cell.document);
                    inner.cell_tokens.forget(&cell.document);
                }
                let mut cells = params.notebook_document.cells;
                for cell in &mut cells {
                    cell.language = params.cell_text_documents.iter().find(|d| d.uri == cell.document).map(|d| d.language_id.clone());
                }
                let (joined, writes, too_deep) = join(&uri, texts, &cells);
                let joined = Arc::new(joined);
                let version = params.notebook_document.version;
                let open = json!({"textDocument": {"uri": uri, "languageId": "python", "version": version, "text": joined.source()}});
                let encoding = texts.encoding();
                inner.untitled.opened(asked, &uri);
                let mut open_notebook = Open::new(uri, version, cells, joined, encoding);
                (open_notebook.writes, open_notebook.too_deep) = (writes, too_deep);
                inner.notebooks.insert(open_notebook);
                Ok(vec![to_server(notification("textDocument/didOpen", open))])
            }
            "didChange" => {
                let version = params.pointer("/notebookDocument/version").and_then(Value::as_i64).ok_or("no notebookDocument.version")?;
                let change: Option<CellChanges> =
                    serde_json::from_value(params.pointer("/change/cells").cloned().unwrap_or(Value::Null)).map_err(|e| e.to_string())?;
                changed(inner, &uri, Some(version), change.unwrap_or_default())
            }
            // Asked for (`save` in the sync options, so that a client that
            // waits for it to run its save participants gets it), and
            // nothing to do: the analysis follows the cells' text, not the disk.
            "didSave" => {
                inner.notebooks.get(&uri).ok_or_else(|| format!("notebook {uri} is not open"))?;
                Ok(Vec::new())
            }
            "didClose" => {
                let open = inner.notebooks.remove(&uri).ok_or_else(|| format!("notebook {uri} is not open"))?;
                inner.untitled.closed(&asked);
                for cell in &open.cells {
                    inner.cell_owner.remove(&cell.document);
                    inner.published.remove(&cell.document);
                    inner.cell_tokens.forget(&cell.document);
                    if let Some(texts) = inner.cell_texts.as_mut() {
                        texts.close(&cell.document);
                    }
                }
                let mut closing = vec![to_server(notification("textDocument/didClose", json!({"textDocument": {"uri": uri}})))];
                // The cells' diagnostics go with them (the server clears the
                // notebook's, which no client shows).
                closing.extend(open.cells.iter().map(|cell| Routed::Client(bytes(&publish(&cell.document, None, Vec::new())))));
                Ok(closing)
            }
            other => Err(format!("unknown notebook notification {other}")),
        }
    }
}

/// Applies `change` to the open notebook at `uri`: the notebook's new text
/// for the server, and empty diagnostics for the cells it deleted.
/// `version` is the client's notebook version; without one (a cell's own
/// `textDocument/didChange`) the server's copy still gets a newer one.
fn changed(inner: &mut Inner, uri: &str, version: Option<i64>, change: CellChanges) -> Result<Vec<Routed>, String> {
    let open = inner.notebooks.get_mut(uri).ok_or_else(|| format!("notebook {uri} is not open"))?;
    let client = version.map(|v| checks::newer(open, v)).transpose()?;
    let texts = inner.cell_texts.get_or_insert_with(|| Documents::new(PositionEncoding::default(), 0));
    let before: Vec<String> = open.cells.iter().map(|c| c.document.clone()).collect();
    let joined_before = open.joined.clone();
    let edited = change.apply(uri, open, texts, &mut inner.cell_owner)?;
    // The server's copy only ever gets newer versions, whichever way the
    // cells were edited.
    open.client_version = client.unwrap_or(open.client_version);
    open.version = client.unwrap_or(i32::MIN).max(open.version.saturating_add(1));
    let (joined, writes, too_deep) = join(uri, texts, &open.cells);
    (open.joined, open.writes, open.too_deep) = (Arc::new(joined), writes, too_deep);
    // The cells' edits where they were typed in the joined text; the
    // whole text where cells were added, removed or re-kinded.
    let ranged = match &edited {
        Edited::Cells(edits) => joined_changes::joined_changes(&joined_before, &open.joined, &open.cells, edits, texts.encoding()),
        Edited::Restructured => None,
    };
    let changes = ranged.unwrap_or_else(|| vec![json!({"text": open.joined.source()})]);
    let edit = json!({
        "textDocument": {"uri": uri, "version": open.version},
        "contentChanges": changes,
    });
    let mut messages = vec![to_server(notification("textDocument/didChange", edit))];
    // A deleted cell's diagnostics go with it: the notebook's next ones
    // are published only for the cells it still has. (A moved cell is
    // deleted and inserted: it stays.)
    for gone in before.iter().filter(|uri| !open.cells.iter().any(|c| c.document == **uri)) {
        inner.published.remove(gone);
        messages.push(Routed::Client(bytes(&publish(gone, None, Vec::new()))));
    }
    Ok(messages)
}

/// A cell's own `textDocument/did*`, which LSP 3.17 has the client send as
/// `notebookDocument/*` once the notebook is synced: a change is applied to
/// the cell all the same (its text would otherwise go stale unseen), the
/// others are ignored with a warning, their text being the notebook's.
/// `None` for any other message.
fn cell_document_notification(inner: &mut Inner, method: &str, body: &[u8]) -> Option<Vec<Routed>> {
    let kind = method.strip_prefix("textDocument/did")?;
    let message: Value = serde_json::from_slice(body).ok()?;
    let cell = message.pointer("/params/textDocument/uri").and_then(Value::as_str)?;
    let notebook = inner.cell_owner.get(cell)?.clone();
    if kind != "Change" {
        tracing::warn!("{method} for cell {cell} of notebook {notebook} ignored: a cell is opened, saved and closed with its notebook (notebookDocument/*)");
        return Some(Vec::new());
    }
    let version = message.pointer("/params/textDocument/version").cloned().unwrap_or(Value::Null);
    let changes = message.pointer("/params/contentChanges").cloned().unwrap_or(Value::Null);
    let text_content = json!({"textContent": [{"document": {"uri": cell, "version": version}, "changes": changes}]});
    let applied = serde_json::from_value::<CellChanges>(text_content).map_err(|e| e.to_string()).and_then(|change| changed(inner, &notebook, None, change));
    Some(applied.unwrap_or_else(|problem| vec![refused(method, &format!("for cell {cell}: {problem}"))]))
}

/// A notification refused whole, logged and said to the client: in its
/// log (`window/logMessage`), or, for a notebook that is not opened and so
/// gets no analysis at all, to the user (`window/showMessage`).
fn refused(method: &str, problem: &str) -> Routed {
    tracing::warn!("{method} ignored: {problem}");
    let to = if method == "notebookDocument/didOpen" { "window/showMessage" } else { "window/logMessage" };
    // MessageType.Warning.
    Routed::Client(bytes(&notification(to, json!({"type": 2, "message": format!("pyloom: {method} ignored: {problem}")}))))
}

/// The notebook the open cells make, in their order, the files its
/// `%%writefile` cells write (the notebook at `uri`), and its code cells
/// left out of it for nesting brackets too deep to analyse.
fn join(uri: &str, texts: &Documents, cells: &[NotebookCell]) -> (Notebook, Vec<writefile::Written>, Vec<String>) {
    let texts: Vec<String> = cells.iter().map(|cell| texts.snapshot(&cell.document).map(|d| d.text()).unwrap_or_default()).collect();
    let code = cells.iter().zip(&texts).map(|(cell, text)| if cell.kind == wire::CODE { text.as_str() } else { "" });
    let writes = writefile::written(uri, code);
    let too_deep: Vec<bool> = cells.iter().zip(&texts).map(|(cell, text)| cell.kind == wire::CODE && nests_too_deep([text.as_bytes()])).collect();
    let notebook = Notebook::from_cells(cells.iter().zip(&texts).zip(&too_deep).map(|((cell, text), too_deep)| Cell {
        kind: if cell.kind == wire::CODE { CellKind::Code } else { CellKind::Markup },
        // A cell of no known language is taken as Python. One nesting
        // brackets past the limit would leave the whole notebook unanalysed (the parser
        // recurses once per level): it is left out as another language's
        // code is, and the other cells analysed.
        language: if *too_deep { "raw" } else { cell.language.as_deref().unwrap_or("python") },
        text,
    }));
    let too_deep = cells.iter().zip(too_deep).filter(|(_, deep)| *deep).map(|(cell, _)| cell.document.clone()).collect();
    (notebook, writes, too_deep)
}

fn bytes(message: &Value) -> Vec<u8> {
    serde_json::to_vec(message).expect("JSON values serialise")
}

fn to_server(message: Value) -> Routed {
    Routed::Server(bytes(&message))
}

fn notification(method: &str, params: Value) -> Value {
    json!({"jsonrpc": "2.0", "method": method, "params": params})
}

/// The server's `publishDiagnostics` for one cell, of its `version` when
/// known.
fn publish(uri: &str, version: Option<i32>, diagnostics: Vec<Value>) -> Value {
    let mut params = json!({"uri": uri, "diagnostics": diagnostics});
    if let Some(version) = version {
        params["version"] = json!(version);
    }
    notification("textDocument/publishDiagnostics", params)
}

/// A cell edit as the document store takes it.
fn text_change(change: &wire::ContentChange) -> TextChange {
    let at = |p: &wire::Position| TextPosition::new(p.line, p.character);
    TextChange { range: change.range.as_ref().map(|r| (at(&r.start), at(&r.end))), text: change.text.clone() }
}

impl super::transport::Rewrite for Notebooks {
    fn incoming(&self, method: &str, body: Vec<u8>) -> Vec<Routed> {
        Notebooks::incoming(self, method, body)
    }

    fn outgoing(&self, body: Vec<u8>) -> Vec<Vec<u8>> {
        Notebooks::outgoing(self, body)
    }
}

#[cfg(test)]
mod checks_tests;
#[cfg(test)]
mod deep_tests;
#[cfg(test)]
mod edits_tests;
#[cfg(test)]
mod sync_tests;
#[cfg(test)]
mod tests;
