//! Positions between a notebook's cells and its joined text, on the wire.
//!
//! Cells are whole lines of the joined text, so a position moves between
//! them by a line offset and characters stay as they are, in any position
//! encoding. Requests about a cell are made about the notebook: the cell's
//! URI becomes the notebook's and every `{line, character}` in the params
//! moves down by the cell's first line. Answers go the other way:
//!
//! - a place with its own URI (a location, a call hierarchy item, a
//!   workspace edit's text edits) goes to the cell it falls in;
//! - a place without one (a hover's range, a completion's edits, symbols,
//!   inlay hints, diagnostics pulled for a cell) is in the asking cell:
//!   what falls outside that cell is dropped with everything it belongs to
//!   (a completion whose import lands in another cell is not offered);
//! - an edit that spans two cells cannot be made in either: the item that
//!   holds it (a code action) is left out, or the answer (a rename) is
//!   refused with an error, rather than applied wrong.

use ruff_source_file::Line;
use serde_json::{Map, Value, json};

use super::cell_tokens::{self, TokensAsked};
use super::{Inner, Open, OpenNotebooks, bytes};
use crate::lsp::transport::Routed;
pub(super) use cell_diagnostics::Published;
use cell_diagnostics::{diagnostic_in, per_cell, too_deep_diagnostic};

#[path = "cell_diagnostics.rs"]
mod cell_diagnostics;

/// A request made about a cell: its answer is translated back into it.
pub(super) struct Asked {
    cell: Cell,
    /// Semantic tokens are delta-encoded: decoded to be moved.
    tokens: Option<TokensAsked>,
    /// A pulled diagnostic report: the notebook's, cut to the cell's.
    report: bool,
}

/// A cell's place in its notebook's joined text.
#[derive(Clone)]
struct Cell {
    uri: String,
    /// The joined text's line where the cell starts, and its line count.
    start: u32,
    lines: u32,
    /// The length of the cell's last line, in the client's units: where a
    /// range that takes in the line break ruff adds after the cell ends.
    last_line: u32,
    /// The cell's own line break (`\r\n` or `\n`), when it has one: an
    /// edit in it is made with it, whatever the other cells use.
    line_break: Option<&'static str>,
}

impl Cell {
    /// Whether line `line` of the notebook's joined text is the cell's.
    fn holds(&self, line: u64) -> bool {
        (u64::from(self.start)..u64::from(self.start + self.lines)).contains(&line)
    }

    fn new(open: &Open, uri: &str, start: u32, lines: u32) -> Cell {
        // Lines as LSP (and ruff's cell index) end them: `\n`, `\r\n`, `\r`.
        let line = |at: u32| open.joined.module_line(at);
        let last = (lines > 0).then(|| line(start + lines - 1)).flatten();
        let last_line = u32::try_from(crate::workspace::units(last.as_ref().map_or("", Line::as_str), open.encoding)).unwrap_or(u32::MAX);
        // The last line's break is the one ruff adds after every cell.
        let line_break = (lines > 1).then(|| line(start)).flatten().map(|line| line.line_ending().map_or("\n", |ending| ending.as_str()));
        Cell { uri: uri.to_owned(), start, lines, last_line, line_break }
    }
}

/// `body` made about the notebook when it is about one of its cells;
/// `None` for a notification about a cell that holds no Python (dropped).
/// (A cell's own document notifications are handled before.)
pub(super) fn into_notebook(inner: &mut Inner, method: &str, body: Vec<u8>) -> Option<Routed> {
    let Ok(mut message) = serde_json::from_slice::<Value>(&body) else { return Some(Routed::Server(body)) };
    let Some(params) = message.get("params") else { return Some(Routed::Server(body)) };
    let asked = params.pointer("/textDocument/uri").or_else(|| params.pointer("/item/uri")).and_then(Value::as_str);
    // A cell that is not open (deleted, never sent), or the notebook's own
    // URI, which is no text document the client has: nothing is there.
    if let Some(uri) = asked
        && !inner.cell_owner.contains_key(uri)
        && (uri.starts_with("vscode-notebook-cell:") || inner.notebooks.contains(uri))
    {
        return nothing_here(&message, method, &format!("{uri} is no open cell (deleted, never sent, or the notebook itself)"));
    }
    let Some(notebook_uri) = asked.and_then(|uri| inner.cell_owner.get(uri)).cloned() else {
        // Not about a cell, but it may name places in cells (a command's
        // arguments, an item being resolved).
        if let Some(params) = message.get_mut("params")
            && mentions_a_cell(params, inner)
        {
            to_notebook(params, None, inner);
            return Some(Routed::Server(bytes(&message)));
        }
        return Some(Routed::Server(body));
    };
    let Some(open) = inner.notebooks.get(&notebook_uri) else { return Some(Routed::Server(body)) };
    let Some(cell) = asked.and_then(|uri| cell_by_uri(open, uri)) else {
        // A markdown cell, or a magic's: nothing of the module is there;
        // a cell left out for nesting too deep has that error to show.
        let uri = asked.unwrap_or_default();
        let too_deep = open.too_deep.iter().any(|deep| deep == uri);
        if too_deep && method == "textDocument/diagnostic" {
            let id = message.get("id")?;
            let report = json!({"kind": "full", "items": [too_deep_diagnostic()]});
            return Some(Routed::Client(bytes(&json!({"jsonrpc": "2.0", "id": id, "result": report}))));
        }
        let why = if too_deep { "nests brackets too deep to analyse" } else { "holds no Python (markdown, another language, a cell magic)" };
        return nothing_here(&message, method, &format!("cell {uri} {why}"));
    };
    if let Some(params) = message.get_mut("params") {
        to_notebook(params, Some(&cell), inner);
    }
    let tokens = method.starts_with("textDocument/semanticTokens").then(|| cell_tokens::asked(&mut message, method));
    if let Some(id) = message.get("id") {
        let report = method == "textDocument/diagnostic";
        inner.asked.insert(id.to_string(), Asked { cell, tokens, report });
    }
    Some(Routed::Server(bytes(&message)))
}

/// The answer to a request about a cell that holds no Python: nothing
/// (a pulled diagnostic report is a list, empty), logged with `why`.
fn nothing_here(message: &Value, method: &str, why: &str) -> Option<Routed> {
    let Some(id) = message.get("id") else {
        tracing::info!("{method} dropped: {why}");
        return None;
    };
    tracing::info!("{method} answered with nothing: {why}");
    let result = if method == "textDocument/diagnostic" { json!({"kind": "full", "items": []}) } else { Value::Null };
    Some(Routed::Client(bytes(&json!({"jsonrpc": "2.0", "id": id, "result": result}))))
}

fn cell_by_uri(open: &Open, uri: &str) -> Option<Cell> {
    let index = open.cells.iter().position(|c| c.document == uri)?;
    let (start, lines) = open.joined.cell_lines(index)?;
    Some(Cell::new(open, uri, start, lines))
}

/// The cell of the joined text's line `line`.
fn cell_at(open: &Open, line: u32) -> Option<Cell> {
    let at = open.joined.to_cell(line)?;
    let cell = open.cells.get(at.cell)?;
    let (start, lines) = open.joined.cell_lines(at.cell)?;
    Some(Cell::new(open, &cell.document, start, lines))
}

/// Every cell URI in `value` becomes its notebook's, and every position
/// moves down by its cell's first line: the cell of the object holding
/// the URI, else `cell`, the cell asked about.
fn to_notebook(value: &mut Value, cell: Option<&Cell>, inner: &Inner) {
    match value {
        Value::Object(object) => {
            // A place's own URI, or its text document's (a command's
            // `{textDocument, position}` arguments) with its position.
            let nested = !object.contains_key("uri");
            let uri = if nested { object.get("textDocument").and_then(|d| d.get("uri")) } else { object.get("uri") };
            let own = uri.and_then(Value::as_str).and_then(|uri| {
                let notebook_uri = inner.cell_owner.get(uri)?;
                Some((notebook_uri.clone(), cell_by_uri(inner.notebooks.get(notebook_uri)?, uri)?))
            });
            let cell = match &own {
                Some((notebook_uri, own)) => {
                    let holder = if nested { object.get_mut("textDocument").and_then(Value::as_object_mut) } else { Some(&mut *object) };
                    if let Some(holder) = holder {
                        holder.insert("uri".to_owned(), json!(notebook_uri));
                    }
                    // A command's `{uri, line}` (`pyloom.runSnippetTests`):
                    // the line is the cell's, as every position sent is.
                    if !nested
                        && !object.contains_key("character")
                        && let Some(line) = object.get("line").and_then(Value::as_u64)
                    {
                        object.insert("line".to_owned(), json!(line + u64::from(own.start)));
                    }
                    Some(own)
                }
                None => cell,
            };
            if let Some(line) = position_line(object) {
                if let Some(cell) = cell {
                    object.insert("line".to_owned(), json!(line + cell.start));
                }
                return;
            }
            for field in object.values_mut() {
                to_notebook(field, cell, inner);
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|item| to_notebook(item, cell, inner)),
        _ => {}
    }
}

/// Whether an object in `value` has the URI of an open cell.
fn mentions_a_cell(value: &Value, inner: &Inner) -> bool {
    match value {
        Value::Object(object) => {
            object.get("uri").and_then(Value::as_str).is_some_and(|uri| inner.cell_owner.contains_key(uri))
                || object.values().any(|field| mentions_a_cell(field, inner))
        }
        Value::Array(items) => items.iter().any(|item| mentions_a_cell(item, inner)),
        _ => false,
    }
}

/// The line of a `{line, character}` object.
fn position_line(object: &Map<String, Value>) -> Option<u32> {
    if object.len() != 2 || !object.get("character").is_some_and(Value::is_u64) {
        return None;
    }
    object.get("line").and_then(Value::as_u64).and_then(|l| u32::try_from(l).ok())
}

/// What the client gets for `body` from the server.
pub(super) fn into_cells(inner: &mut Inner, body: Vec<u8>) -> Vec<Vec<u8>> {
    let Ok(mut message) = serde_json::from_slice::<Value>(&body) else { return vec![body] };
    if message.get("method").and_then(Value::as_str) == Some("textDocument/publishDiagnostics")
        && let Some(open) = message.pointer("/params/uri").and_then(Value::as_str).and_then(|uri| inner.notebooks.get(uri))
    {
        let diagnostics = message.pointer("/params/diagnostics").and_then(Value::as_array).cloned().unwrap_or_default();
        // Made of the notebook's current text, the diagnostics are of each
        // cell's current version, which tells the client they are not stale.
        let current = message.pointer("/params/version").and_then(Value::as_i64) == Some(i64::from(open.version));
        let versions = inner.cell_texts.as_ref().filter(|_| current);
        return per_cell(&inner.notebooks, open, diagnostics, versions, &mut inner.published);
    }
    let asked = match (message.get("id"), message.get("method")) {
        (Some(id), None) => inner.asked.remove(&id.to_string()),
        _ => None,
    };
    let mut walk = Walk { notebooks: &inner.notebooks, versions: inner.cell_texts.as_ref(), refused: None };
    let slot = if message.get("method").is_some() { "params" } else { "result" };
    if let Some(value) = message.get_mut(slot) {
        if let Some(asked) = &asked
            && let Some(tokens) = &asked.tokens
        {
            cut_tokens(value, &asked.cell);
            inner.cell_tokens.answer(value, &asked.cell.uri, tokens);
        }
        if let Some(items) = value.as_array_mut()
            && slot == "result"
        {
            split_incoming_calls(items, &inner.notebooks);
        }
        let report = asked.as_ref().is_some_and(|a| a.report);
        let inside = match (&asked, value.get_mut("items").and_then(Value::as_array_mut)) {
            // The cell's diagnostics, placed as pushed ones are.
            (Some(asked), Some(items)) if report => {
                let cell = &asked.cell;
                let starts_in = |d: &Value| d.pointer("/range/start/line").and_then(Value::as_u64).is_some_and(|l| cell.holds(l));
                *items = std::mem::take(items).into_iter().filter(starts_in).filter_map(|d| diagnostic_in(&mut walk, d, cell)).collect();
                true
            }
            _ => walk.value(value, asked.as_ref().map(|a| &a.cell)),
        };
        if !inside && !value.is_array() && slot == "result" && !report {
            // An answer about a place in another cell, which the asking
            // cell cannot show.
            let asker = asked.as_ref().map_or("", |a| a.cell.uri.as_str());
            tracing::info!("a request in cell {asker} answered with nothing: the answer is about a place outside the cell");
            *value = Value::Null;
        }
    }
    if let Some(reason) = message.pointer_mut("/error/message") {
        // A refusal naming a line of the notebook names its cell.
        walk.value(reason, None);
    }
    if let Some(reason) = walk.refused {
        tracing::warn!("{reason}");
        if slot == "result" {
            let id = message.get("id").cloned().unwrap_or(Value::Null);
            message = json!({"jsonrpc": "2.0", "id": id, "error": {"code": -32803, "message": reason}});
        } else if let Some(edit) = message.pointer_mut("/params/edit") {
            // `workspace/applyEdit`: the client is asked to apply nothing.
            *edit = json!({});
        }
    }
    vec![bytes(&message)]
}

struct Walk<'a> {
    notebooks: &'a OpenNotebooks,
    /// The cells' text documents, for the versions of edits made to them.
    versions: Option<&'a crate::workspace::Documents>,
    refused: Option<String>,
}

impl Walk<'_> {
    /// Moves the positions in `value` into `cell` (those under a notebook
    /// URI into the cell they fall in); whether every one fell inside.
    /// Arrays keep what is inside.
    fn value(&mut self, value: &mut Value, cell: Option<&Cell>) -> bool {
        match value {
            Value::String(text) if text.contains(".ipynb:") => {
                if let Some(shown) = self.cell_places(text) {
                    *text = shown;
                }
                true
            }
            Value::Object(object) => self.object(object, cell),
            Value::Array(items) => {
                let before = items.len();
                items.retain_mut(|item| {
                    // An item with an edit across cells goes, not the
                    // whole answer (one code action of many, say).
                    let outer = self.refused.take();
                    let inside = self.value(item, cell);
                    match std::mem::replace(&mut self.refused, outer) {
                        Some(reason) => {
                            tracing::debug!("{reason}: left out of the answer");
                            false
                        }
                        None => inside,
                    }
                });
                items.len() == before
            }
            _ => true,
        }
    }

    fn object(&mut self, object: &mut Map<String, Value>, cell: Option<&Cell>) -> bool {
        if let Some(line) = position_line(object) {
            let Some(cell) = cell else { return true };
            let Some(moved) = line.checked_sub(cell.start).filter(|l| *l < cell.lines) else { return false };
            object.insert("line".to_owned(), json!(moved));
            return true;
        }
        if let Some(cell) = cell
            && object.len() == 2
            && let Some(end) = object.get_mut("end")
            && end.get("character").and_then(Value::as_u64) == Some(0)
            && end.get("line").and_then(Value::as_u64) == Some(u64::from(cell.start + cell.lines))
        {
            // A range that takes in the line break ruff puts after the
            // cell (a whole last line deleted) ends with the cell's text.
            *end = json!({"line": cell.start + cell.lines - 1, "character": cell.last_line});
        }
        if let Some(line_break) = cell.and_then(|c| c.line_break)
            && let Some(Value::String(text)) = object.get_mut("newText")
            && text.contains('\n')
        {
            *text = text.replace("\r\n", "\n");
            if line_break != "\n" {
                *text = text.replace('\n', line_break);
            }
        }
        if let Some(uri) = object.get("textDocument").and_then(|d| d.get("uri")).and_then(Value::as_str)
            && let Some(line) = object.get("position").and_then(|p| p.get("line")).and_then(Value::as_u64)
        {
            // `{textDocument, position}` (a command's arguments): in the
            // notebook, the cell of the position, so that the command comes
            // back about the same place; elsewhere, its own.
            let Some(open) = self.notebooks.get(uri) else { return self.fields(object, None) };
            let Some(anchor) = u32::try_from(line).ok().and_then(|line| cell_at(open, line)) else { return true };
            if let Some(document) = object.get_mut("textDocument").and_then(Value::as_object_mut) {
                document.insert("uri".to_owned(), json!(anchor.uri));
            }
            return self.fields(object, Some(&anchor));
        }
        for key in ["uri", "targetUri"] {
            let Some(uri) = object.get(key).and_then(Value::as_str) else { continue };
            let Some(open) = self.notebooks.get(uri) else {
                // A place in another document: its positions are its own.
                return self.fields(object, None);
            };
            let Some(anchor) = first_line(object).and_then(|line| cell_at(open, line)) else { return true };
            object.insert(key.to_owned(), json!(anchor.uri));
            return self.fields(object, Some(&anchor));
        }
        if object.contains_key("fromRanges")
            && let Some(from) = object.get("from").and_then(Value::as_object)
        {
            // An incoming call: its ranges are in its caller's document
            // (the cell [`split_incoming_calls`] gave it), not the asker's.
            let open = from.get("uri").and_then(Value::as_str).and_then(|uri| self.notebooks.get(uri));
            let anchor = open.and_then(|open| cell_at(open, first_line(from)?));
            let from_inside = object.get_mut("from").is_none_or(|from| self.value(from, cell));
            return object.get_mut("fromRanges").is_none_or(|ranges| self.value(ranges, anchor.as_ref())) && from_inside;
        }
        if let Some(reason) = self.writes_a_written_file(object) {
            self.refused = Some(reason);
        }
        if let Some(Value::Object(changes)) = object.get_mut("changes") {
            self.split_changes(changes);
        }
        if let Some(Value::Array(document_changes)) = object.get_mut("documentChanges") {
            self.split_document_changes(document_changes);
        }
        self.fields(object, cell)
    }

    fn fields(&mut self, object: &mut Map<String, Value>, cell: Option<&Cell>) -> bool {
        if let Some(cell) = cell
            && let (Some(start), Some(end)) = (line_of(object, "startLine"), line_of(object, "endLine"))
        {
            // A folding range: bare line numbers.
            let (Some(start), Some(end)) = (start.checked_sub(cell.start), end.checked_sub(cell.start)) else { return false };
            if end >= cell.lines {
                return false;
            }
            object.insert("startLine".to_owned(), json!(start));
            object.insert("endLine".to_owned(), json!(end));
        }
        // A selection range: its chain of parents stops at the cell. (Put
        // back after the fields are walked: its positions are moved once.)
        let parent = object.remove("parent").and_then(|mut parent| self.value(&mut parent, cell).then_some(parent));
        let mut inside = true;
        for (key, field) in object.iter_mut() {
            if key == "changes" || key == "documentChanges" {
                continue; // placed by their own URIs
            }
            inside &= self.value(field, cell);
        }
        if let Some(parent) = parent {
            object.insert("parent".to_owned(), parent);
        }
        inside
    }

    /// Why a workspace edit (`object`) is refused when it edits a file a
    /// `%%writefile` cell writes together with another document.
    fn writes_a_written_file(&self, object: &Map<String, Value>) -> Option<String> {
        let mut documents: Vec<&str> = object.get("changes").and_then(Value::as_object).map(|c| c.keys().map(String::as_str).collect()).unwrap_or_default();
        for change in object.get("documentChanges").and_then(Value::as_array).into_iter().flatten() {
            // A text document edit, or a file created, renamed or deleted.
            let uris = ["/textDocument/uri", "/uri", "/oldUri", "/newUri"].into_iter().filter_map(|at| change.pointer(at)?.as_str());
            documents.extend(uris);
        }
        documents.sort_unstable();
        documents.dedup();
        let reason = documents.iter().find_map(|uri| self.notebooks.written(uri))?;
        (documents.len() > 1).then(|| reason.to_owned())
    }

    /// Text (a hover's) that names a line of an open notebook's joined
    /// code, `analysis.ipynb:8`, naming its cell instead: `analysis.ipynb:cell 3:1`.
    fn cell_places(&self, text: &str) -> Option<String> {
        let mut shown = text.to_owned();
        for open in self.notebooks.iter() {
            let path = tower_lsp::lsp_types::Url::parse(&open.uri).ok().and_then(|u| u.to_file_path().ok());
            let Some(name) = path.as_deref().and_then(|p| p.file_name()).and_then(|n| n.to_str()) else { continue };
            let Ok(place) = regex::Regex::new(&format!(r"{}:(\d+)\b", regex::escape(name))) else { continue };
            shown = place
                .replace_all(&shown, |found: &regex::Captures<'_>| {
                    let line: u32 = found[1].parse().unwrap_or(0);
                    match open.joined.to_cell(line.saturating_sub(1)) {
                        Some(at) => format!("{name}:cell {}:{}", at.cell + 1, at.line + 1),
                        None => found[0].to_owned(),
                    }
                })
                .into_owned();
        }
        (shown != text).then_some(shown)
    }

    /// `WorkspaceEdit.changes`: the notebook's edits under their cells' URIs.
    fn split_changes(&mut self, changes: &mut Map<String, Value>) {
        let notebook_uris: Vec<String> = changes.keys().filter(|uri| self.notebooks.contains(uri)).cloned().collect();
        for uri in notebook_uris {
            let Some(Value::Array(edits)) = changes.remove(&uri) else { continue };
            for (cell, edits) in self.edits_by_cell(&uri, edits) {
                let list = changes.entry(cell).or_insert_with(|| json!([]));
                if let Some(list) = list.as_array_mut() {
                    list.extend(edits);
                }
            }
        }
    }

    /// `WorkspaceEdit.documentChanges`: a notebook's text document edit as
    /// one per cell, at the cell's version.
    fn split_document_changes(&mut self, document_changes: &mut Vec<Value>) {
        let mut split = Vec::with_capacity(document_changes.len());
        for change in document_changes.drain(..) {
            let uri = change.pointer("/textDocument/uri").and_then(Value::as_str).filter(|uri| self.notebooks.contains(uri)).map(str::to_owned);
            match (uri, change.get("edits").and_then(Value::as_array).cloned()) {
                (Some(uri), Some(edits)) => {
                    for (cell, edits) in self.edits_by_cell(&uri, edits) {
                        let version = self.versions.and_then(|texts| texts.snapshot(&cell)).map(|d| d.version);
                        split.push(json!({"textDocument": {"uri": cell, "version": version}, "edits": edits}));
                    }
                }
                _ => split.push(change),
            }
        }
        *document_changes = split;
    }

    fn edits_by_cell(&mut self, notebook_uri: &str, edits: Vec<Value>) -> Vec<(String, Vec<Value>)> {
        let Some(open) = self.notebooks.get(notebook_uri) else { return Vec::new() };
        let mut by_cell: Vec<(String, Vec<Value>)> = Vec::new();
        for mut edit in edits {
            let cell = edit.pointer("/range/start/line").and_then(Value::as_u64).and_then(|line| cell_at(open, line as u32));
            let placed = cell.as_ref().is_some_and(|cell| self.value(&mut edit, Some(cell)));
            match cell {
                Some(cell) if placed => match by_cell.iter_mut().find(|(uri, _)| *uri == cell.uri) {
                    Some((_, list)) => list.push(edit),
                    None => by_cell.push((cell.uri, vec![edit])),
                },
                _ => {
                    self.refused = Some(format!("an edit of {notebook_uri} spans notebook cells: not applied"));
                }
            }
        }
        by_cell
    }
}

/// Incoming calls from a notebook, one per cell their ranges fall in: the
/// notebook's module-level code (where most of its calls are) spans every
/// cell, so its calls are shown in each cell that makes them, with the cell
/// as the caller's range when the caller does not fit in it.
fn split_incoming_calls(items: &mut Vec<Value>, notebooks: &OpenNotebooks) {
    let calls_from_notebooks =
        |item: &Value| item.get("fromRanges").is_some() && item.pointer("/from/uri").and_then(Value::as_str).is_some_and(|uri| notebooks.contains(uri));
    if !items.iter().any(calls_from_notebooks) {
        return;
    }
    let mut split = Vec::with_capacity(items.len());
    for item in items.drain(..) {
        let open = item.pointer("/from/uri").and_then(Value::as_str).and_then(|uri| notebooks.get(uri));
        let (Some(open), Some(Value::Array(ranges))) = (open, item.get("fromRanges")) else {
            split.push(item);
            continue;
        };
        let mut by_cell: Vec<(Cell, Vec<Value>)> = Vec::new();
        for range in ranges {
            let Some(cell) = range.pointer("/start/line").and_then(Value::as_u64).and_then(|line| cell_at(open, u32::try_from(line).ok()?)) else { continue };
            match by_cell.iter_mut().find(|(c, _)| c.uri == cell.uri) {
                Some((_, list)) => list.push(range.clone()),
                None => by_cell.push((cell, vec![range.clone()])),
            }
        }
        for (cell, ranges) in by_cell {
            let mut from = item["from"].clone();
            if !within(&from["range"], &cell) {
                from["range"] =
                    json!({"start": {"line": cell.start, "character": 0}, "end": {"line": cell.start + cell.lines - 1, "character": cell.last_line}});
            }
            if !within(&from["selectionRange"], &cell) {
                from["selectionRange"] = ranges[0].clone();
            }
            split.push(json!({"from": from, "fromRanges": ranges}));
        }
    }
    *items = split;
}

/// Whether `range` (in the joined text) lies in `cell`.
fn within(range: &Value, cell: &Cell) -> bool {
    let line = |at: &str| range.pointer(at).and_then(Value::as_u64);
    let lines = u64::from(cell.start)..u64::from(cell.start + cell.lines);
    line("/start/line").is_some_and(|l| lines.contains(&l)) && line("/end/line").is_some_and(|l| lines.contains(&l))
}

fn line_of(object: &Map<String, Value>, key: &str) -> Option<u32> {
    object.get(key).and_then(Value::as_u64).and_then(|l| u32::try_from(l).ok())
}

/// The line a place with a URI starts at: where it is shown.
fn first_line(object: &Map<String, Value>) -> Option<u32> {
    ["range", "targetSelectionRange", "selectionRange", "targetRange", "selection"]
        .iter()
        .find_map(|key| object.get(*key)?.pointer("/start/line")?.as_u64())
        .or_else(|| object.get("position")?.get("line")?.as_u64())
        .and_then(|l| u32::try_from(l).ok())
}

/// Semantic tokens of the notebook cut to the asking cell's lines (they
/// are relative to each other: decoded, kept, moved, encoded again).
fn cut_tokens(result: &mut Value, cell: &Cell) {
    let Some(data) = result.get("data").and_then(Value::as_array) else { return };
    let numbers: Vec<u64> = data.iter().filter_map(Value::as_u64).collect();
    let (mut line, mut character) = (0u64, 0u64);
    let mut kept: Vec<u64> = Vec::new();
    let (mut last_line, mut last_character) = (0u64, 0u64);
    for token in numbers.chunks_exact(5) {
        line += token[0];
        character = if token[0] == 0 { character + token[1] } else { token[1] };
        let Some(in_cell) = line.checked_sub(u64::from(cell.start)).filter(|l| *l < u64::from(cell.lines)) else { continue };
        let delta_line = in_cell - last_line;
        let delta_character = if delta_line == 0 { character - last_character } else { character };
        kept.extend([delta_line, delta_character, token[2], token[3], token[4]]);
        (last_line, last_character) = (in_cell, character);
    }
    result["data"] = json!(kept);
}
