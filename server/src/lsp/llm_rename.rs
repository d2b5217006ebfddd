//! `pyloom.refactor` with an instruction that asks for a rename ("rename it
//! to compute_subtotal"): one `workspace/applyEdit` holding the definition
//! and every call site and import ([`crate::actions::rename`]), checked
//! together, each edit under a change annotation that asks the user to
//! confirm. When the instruction asks for more, the model rewrites the
//! renamed definition in the renamed workspace first.

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

use serde_json::{Value, json};
use tower_lsp::jsonrpc::{Error, Result};
use tower_lsp::lsp_types::*;

use super::llm_actions::failed;
use super::{Backend, convert};
use crate::actions::check::Checker;
use crate::actions::edit::{FileChange, merged, minimal_edit};
use crate::actions::engine::Job;
use crate::actions::place::DefTarget;
use crate::actions::rename::{self, RenameRequest};
use crate::actions::request::{Action, prepare};
use crate::settings::Settings;

/// The annotation every edit of a multi-file change carries.
const ANNOTATION: &str = "pyloom.changes";

impl Backend {
    /// Renames `def` (defined in `path`, whose text is `source`, at 1-based
    /// `line`) as `request` asks, and sends the edit of every file.
    pub(super) async fn rename_refactor(
        &self,
        path: &Path,
        source: &str,
        line: usize,
        def: DefTarget,
        request: RenameRequest,
        settings: &Settings,
    ) -> Result<Value> {
        let graph = self.linked_snapshot().await;
        let title = format!("Rename `{}` to `{}`", def.name, request.new_name);
        let changes = rename::rename_definition(&graph, path, &def, &request.new_name).map_err(failed)?;
        let (changes, attempts) = match request.rest {
            None => {
                let configs = self.findings_configs();
                let checker = Checker::new(graph, configs);
                let checked = changes.clone();
                let problems =
                    tokio::task::spawn_blocking(move || checker.check_all(&checked)).await.map_err(|e| failed(format!("the checks failed to run: {e}")))?;
                if !problems.is_empty() {
                    let list: String = problems.iter().map(|p| format!("\n- {p}")).collect();
                    return Err(failed(format!("the rename failed its checks; no edit was made:{list}")));
                }
                (changes, 0)
            }
            Some(instruction) => {
                let renamed = Arc::new(rename::renamed_graph(&graph, &changes));
                let text = changes.iter().find(|c| c.path == path).map_or_else(|| source.to_owned(), |c| c.candidate.clone());
                // The definition is on the same line once renamed.
                let start: usize = text.split_inclusive('\n').take(line - 1).map(str::len).sum();
                let at = start + text[start..].len() - text[start..].trim_start_matches([' ', '\t']).len();
                let prepared = prepare(&Action::Refactor { range: at..at, instruction }, &text).map_err(Error::invalid_params)?;
                let context = self.hierarchical_context_in(renamed.clone(), &self.root_for(path), path, &text, prepared.line, settings).await?.packed.text;
                let job = Job {
                    task: prepared.task,
                    path: path.to_owned(),
                    original: text.clone(),
                    placement: prepared.placement,
                    target_text: prepared.target_text,
                    context,
                    max_attempts: settings.actions.max_attempts,
                    run_tests: false,
                    fresh: false,
                };
                let (generated, work) = self.generate_with_progress(&title, &job, renamed, settings).await?;
                work.end(Some("done".to_owned())).await;
                let edit = &generated.edit;
                let rewritten = format!("{}{}{}", &text[..edit.range.start], edit.new_text, &text[edit.range.end..]);
                (merged(rename::with_rewrite(changes, path, rewritten), generated.calls), generated.attempts)
            }
        };
        let applied = self.apply_changes(&changes, &title, "the definition, every call site and import").await?;
        Ok(json!({
            "applied": applied,
            "files": changes.len(),
            "attempts": attempts,
            "summary": format!("{title}: {} file(s) {}, checks passed", changes.len(), if applied { "edited" } else { "not edited by the editor" }),
        }))
    }

    /// One `workspace/applyEdit` of every change, each under one change
    /// annotation (the editor asks before applying; `description` says what
    /// the files hold). Refused when a file changed since the changes were
    /// computed from it. A file that does not exist (its original empty)
    /// is created first.
    pub(super) async fn apply_changes(&self, changes: &[FileChange], title: &str, description: &str) -> Result<bool> {
        let mut operations = Vec::new();
        for change in changes {
            let uri = Url::from_file_path(&change.path).map_err(|()| failed(format!("{} is not a file path", change.path.display())))?;
            let (current, version) = match self.snapshot(&uri) {
                Some(doc) => (doc.text(), Some(doc.version)),
                None => (std::fs::read_to_string(&change.path).unwrap_or_default(), None),
            };
            if current != change.original {
                return Err(failed(format!("{} changed while the rename was prepared; run it again", change.path.display())));
            }
            if version.is_none() && !change.path.exists() {
                // A file the change creates (a moved symbol's new module).
                let options = CreateFileOptions { overwrite: Some(false), ignore_if_exists: Some(false) };
                let create = CreateFile { uri: uri.clone(), options: Some(options), annotation_id: Some(ANNOTATION.to_owned()) };
                operations.push(DocumentChangeOperation::Op(ResourceOp::Create(create)));
            }
            let edit = minimal_edit(&change.original, 0..change.original.len(), &change.candidate);
            let rope = ropey::Rope::from_str(&current);
            let text_edit = TextEdit { range: convert::range(&rope, &edit.range, self.encoding()), new_text: edit.new_text };
            operations.push(DocumentChangeOperation::Edit(TextDocumentEdit {
                text_document: OptionalVersionedTextDocumentIdentifier { uri, version },
                edits: vec![OneOf::Right(AnnotatedTextEdit { text_edit, annotation_id: ANNOTATION.to_owned() })],
            }));
        }
        let annotation = ChangeAnnotation {
            label: title.to_owned(),
            needs_confirmation: Some(true),
            description: Some(format!("{} file(s): {description}", changes.len())),
        };
        let workspace_edit = WorkspaceEdit {
            document_changes: Some(DocumentChanges::Operations(operations)),
            change_annotations: Some(HashMap::from([(ANNOTATION.to_owned(), annotation)])),
            ..Default::default()
        };
        let response = self.client.apply_edit(workspace_edit).await.map_err(|e| failed(format!("the editor did not take the edit: {e}")))?;
        Ok(response.applied)
    }
}
