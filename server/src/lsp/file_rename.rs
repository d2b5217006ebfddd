//! workspace/willRenameFiles: a Python module or package renamed or moved
//! in the editor takes its importers with it (see [`crate::ide::module_move`]),
//! and the entry points of `pyproject.toml` and `setup.cfg` that name it.
//!
//! Several files moved at once are moved in turn and answered as one edit
//! ([`crate::ide::module_moves`]); a move into a new folder of a regular
//! package creates its `__init__.py` in the same edit (`CreateFile`, which
//! the client must support, or the move is refused).
//!
//! The editor renames the file whatever the answer, so a move pyloom
//! cannot follow exactly is not an error: it answers no edit and says why
//! in a warning, and the user fixes the imports knowing which.

use std::collections::HashMap;
use std::path::PathBuf;

use tower_lsp::jsonrpc::Result;
use tower_lsp::lsp_types::*;

use super::locations::Locator;
use super::{Backend, convert};
use crate::ide::module_move::MoveError;
use crate::ide::{ignored_modules, module_moves};

/// What the server asks to hear about: Python files and any folder (a
/// package's folder has no extension to match).
pub(super) fn capability() -> WorkspaceFileOperationsServerCapabilities {
    let filter = |glob: &str, matches: FileOperationPatternKind| FileOperationFilter {
        scheme: Some("file".to_owned()),
        pattern: FileOperationPattern { glob: glob.to_owned(), matches: Some(matches), options: None },
    };
    let filters = vec![filter("**/*.{py,pyi}", FileOperationPatternKind::File), filter("**", FileOperationPatternKind::Folder)];
    WorkspaceFileOperationsServerCapabilities {
        will_rename: Some(FileOperationRegistrationOptions { filters: filters.clone() }),
        did_rename: Some(FileOperationRegistrationOptions { filters }),
        ..Default::default()
    }
}

impl Backend {
    pub(super) async fn on_will_rename_files(&self, params: RenameFilesParams) -> Result<Option<WorkspaceEdit>> {
        let path = |uri: &str| Url::parse(uri).ok()?.to_file_path().ok();
        // A rename right after the folder opened: without the index no
        // importer is known, and a silent empty answer would let the
        // editor rename the file with every import left behind.
        if let Err(error) = self.state.index.wait(super::locations::INDEX_WAIT, |_, _| {}).await {
            let message = format!("pyloom did not update the imports of the renamed files: the workspace is not indexed ({error})");
            self.client.show_message(MessageType::WARNING, message).await;
            return Ok(None);
        }
        self.sync_open_documents().await;
        let graph = self.linked_snapshot().await;
        // As `rename-module` answers (an open ignored file is in the graph, not in the workspace).
        let roots = self.state.roots.read().unwrap_or_else(|e| e.into_inner()).clone();
        let settings = self.settings();
        let admitted = |p: &std::path::Path| crate::index::admits(&roots, &settings, p);
        if let Some(old) = params.files.iter().filter_map(|f| path(&f.old_uri)).find(|old| ignored_modules::moves_left_out(&graph, old, &admitted)) {
            let why = MoveError::IgnoredModule(crate::graph::explain::display_path(&graph, &old));
            self.client.show_message(MessageType::WARNING, format!("pyloom did not update the imports of {}: {why}", old.display())).await;
            return Ok(None);
        }
        let modules: Vec<(PathBuf, PathBuf)> = params
            .files
            .iter()
            .filter_map(|f| Some((path(&f.old_uri)?, path(&f.new_uri)?)))
            .filter(|(old, _)| graph.files().any(|(_, entry)| entry.path.starts_with(old)))
            .collect();
        let Some((old, _)) = modules.first() else {
            // A Python file the index does not know (renamed on disk
            // behind the server's back): say so rather than a silent
            // null the user reads as "no importer".
            if let Some(old) = params.files.iter().filter_map(|f| path(&f.old_uri)).find(|old| is_python(old)) {
                let message = format!("pyloom did not update the imports of {}: the file is not in its index", old.display());
                self.client.show_message(MessageType::WARNING, message).await;
            }
            return Ok(None);
        };
        let what = if modules.len() == 1 { old.display().to_string() } else { format!("the {} moved files", modules.len()) };
        let refuse = |why: String| async move {
            self.client.show_message(MessageType::WARNING, format!("pyloom did not update the imports of {what}: {why}")).await;
            Ok(None)
        };
        let moved = match module_moves::move_modules(&graph, &modules) {
            Ok(moved) => moved,
            Err(error) => {
                tracing::info!(files = modules.len(), "module move refused: {error}");
                return refuse(error.to_string()).await;
            }
        };
        // The new folder's `__init__.py`, which only a client that creates files can make.
        if !moved.created.is_empty() && !self.state.create_files.load(std::sync::atomic::Ordering::Relaxed) {
            let shown: Vec<String> = moved.created.iter().map(|p| p.display().to_string()).collect();
            return refuse(format!(
                "the move needs {} created (a new folder of a regular package), and this editor does not create files in an edit; create it first, then move",
                shown.join(", ")
            ))
            .await;
        }
        let mut locator = Locator::new(&graph, self.encoding());
        let mut changes: HashMap<Url, Vec<TextEdit>> = HashMap::new();
        for edit in moved.edits {
            let Some(uri) = locator.uri(edit.file) else { return Ok(None) };
            let mut text_edits = Vec::with_capacity(edit.replacements.len());
            for replacement in edit.replacements {
                let Some(range) = locator.range(edit.file, replacement.span) else { return Ok(None) };
                text_edits.push(TextEdit { range, new_text: replacement.text });
            }
            changes.insert(uri, text_edits);
        }
        for project in moved.project_files {
            let Ok(uri) = Url::from_file_path(&project.path) else { return Ok(None) };
            // Open with edits not saved: the edits were made for the file on disk.
            if self.snapshot(&uri).is_some_and(|doc| doc.text() != project.original) {
                return refuse(format!("{} has unsaved changes; save it first", project.path.display())).await;
            }
            let rope = ropey::Rope::from_str(&project.original);
            let edits = project
                .replacements
                .iter()
                .map(|r| TextEdit { range: convert::range(&rope, &r.span.range(), self.encoding()), new_text: r.text.clone() })
                .collect();
            changes.insert(uri, edits);
        }
        for warning in &moved.warnings {
            self.client.show_message(MessageType::WARNING, format!("pyloom: {warning}")).await;
        }
        if moved.created.is_empty() {
            return Ok((!changes.is_empty()).then(|| WorkspaceEdit { changes: Some(changes), ..Default::default() }));
        }
        Ok(Some(with_created(&moved.created, changes)))
    }

    /// workspace/didRenameFiles: the index follows the rename at once (an
    /// editor without file watching sends nothing else), as the watched
    /// deletion of the old path and creation of the new one's files; the
    /// files that spell the old name are read again too, which the editor
    /// may have written with the importers' edits (the open ones keep
    /// their buffers).
    pub(super) async fn on_did_rename_files(&self, params: RenameFilesParams) {
        let settings = self.settings();
        let graph = self.state.graph.snapshot();
        let mut changes = Vec::new();
        for file in &params.files {
            let (Ok(old), Ok(new)) = (Url::parse(&file.old_uri), Url::parse(&file.new_uri)) else { continue };
            let stem = old.to_file_path().ok().and_then(|p| Some(p.file_stem()?.to_string_lossy().into_owned())).unwrap_or_default();
            let importers = graph.files().filter(|(_, entry)| !stem.is_empty() && !graph.is_library_path(&entry.path) && entry.text().contains(stem.as_str()));
            changes.extend(importers.filter_map(|(_, entry)| Url::from_file_path(&entry.path).ok()).map(|uri| FileEvent { uri, typ: FileChangeType::CHANGED }));
            changes.push(FileEvent { uri: old, typ: FileChangeType::DELETED });
            let Ok(path) = new.to_file_path() else { continue };
            let created = if path.is_dir() { crate::index::discover(&[path], &settings).unwrap_or_default() } else { vec![path] };
            changes.extend(created.into_iter().filter_map(|p| Url::from_file_path(p).ok()).map(|uri| FileEvent { uri, typ: FileChangeType::CREATED }));
        }
        self.on_did_change_watched_files(DidChangeWatchedFilesParams { changes }).await;
    }
}

/// The edit as operations: the files created first (empty, in folders
/// that do not exist yet: never one there already), then the text edits.
fn with_created(created: &[PathBuf], changes: HashMap<Url, Vec<TextEdit>>) -> WorkspaceEdit {
    // Not `ignoreIfExists`: Neovim then only opens a buffer for the file.
    let options = CreateFileOptions { overwrite: Some(false), ignore_if_exists: Some(false) };
    let creates = created
        .iter()
        .filter_map(|path| Url::from_file_path(path).ok())
        .map(|uri| DocumentChangeOperation::Op(ResourceOp::Create(CreateFile { uri, options: Some(options.clone()), annotation_id: None })));
    let mut edits: Vec<(Url, Vec<TextEdit>)> = changes.into_iter().collect();
    edits.sort_by(|a, b| a.0.cmp(&b.0));
    let edits = edits.into_iter().map(|(uri, edits)| {
        DocumentChangeOperation::Edit(TextDocumentEdit {
            text_document: OptionalVersionedTextDocumentIdentifier { uri, version: None },
            edits: edits.into_iter().map(OneOf::Left).collect(),
        })
    });
    WorkspaceEdit { document_changes: Some(DocumentChanges::Operations(creates.chain(edits).collect())), ..Default::default() }
}

/// Whether the client applies `CreateFile` in a workspace edit (at
/// `initialize`). Resource operations only come in `documentChanges`, so
/// a client that lists `create` takes those too (Neovim does not also
/// set `documentChanges`).
pub(super) fn creates_files(capabilities: &ClientCapabilities) -> bool {
    let edit = capabilities.workspace.as_ref().and_then(|w| w.workspace_edit.as_ref());
    edit.and_then(|e| e.resource_operations.as_ref()).is_some_and(|ops| ops.contains(&ResourceOperationKind::Create))
}

fn is_python(path: &std::path::Path) -> bool {
    path.extension().is_some_and(|e| e == "py" || e == "pyi")
}
