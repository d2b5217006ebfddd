//! The LLM code actions as commands (`workspace/executeCommand`):
//! `pyloom.implement {uri, position}`, `pyloom.generate {uri, position}`,
//! `pyloom.refactor {uri, range, instruction}`, `pyloom.fix {uri,
//! diagnostic}` or `{uri, range}`, `pyloom.explain {uri, range}` →
//! `{markdown}`, `pyloom.writeTests {uri, position}` and `pyloom.adjust
//! {uri, instruction}`. Each runs the action engine under cancellable
//! progress and sends its checked edit with `workspace/applyEdit`, against
//! the document version it was computed on (rebased, or refused, when the
//! document changed meanwhile). `"regenerate": true` in any of them, or
//! `pyloom.regenerate {uri}` (the last action on that document again, its
//! edit replaced when it is still there), asks the model anew instead of
//! answering from the response cache.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use serde::Deserialize;
use serde_json::{Value, json};
use tower_lsp::jsonrpc::{Error, ErrorCode, Result};
use tower_lsp::lsp_types::*;

use super::llm_model::LspModel;
use super::progress::Work;
use super::{Backend, convert};
use crate::actions::check::Checker;
use crate::actions::edit::{FileChange, ProposedEdit, minimal_edit, rebase};
use crate::actions::engine::{self, ActionError, Generated, Job};
use crate::actions::place::{Placement, whole_lines};
use crate::actions::prompt::Task;
use crate::actions::rename;
use crate::actions::request::{Action, Prepared, prepare_in_cells};
use crate::actions::tests_file::{import_path, test_file_for};
use crate::context::{Context, NameCounts, TokenCounter, assemble, assemble_in_graph};
use crate::graph::{Graph, content_hash};
use crate::llm::LlmClient;
use crate::project::project_root_within;
use crate::settings::Settings;
use crate::workspace::to_byte_offset;

pub(super) const IMPLEMENT: &str = "pyloom.implement";
pub(super) const GENERATE: &str = "pyloom.generate";
pub(super) const REFACTOR: &str = "pyloom.refactor";
pub(super) const FIX: &str = "pyloom.fix";
pub(super) const EXPLAIN: &str = "pyloom.explain";
pub(super) const WRITE_TESTS: &str = "pyloom.writeTests";
pub(super) const ADJUST: &str = "pyloom.adjust";
pub(super) const REGENERATE: &str = "pyloom.regenerate";
pub(super) const COMMANDS: [&str; 8] = [IMPLEMENT, GENERATE, REFACTOR, FIX, EXPLAIN, WRITE_TESTS, ADJUST, REGENERATE];

#[derive(Debug, Deserialize)]
struct ActionArgs {
    uri: Url,
    position: Option<Position>,
    range: Option<Range>,
    instruction: Option<String>,
    diagnostic: Option<Diagnostic>,
    /// Ask the model anew, not the response cache.
    #[serde(default)]
    regenerate: bool,
}

/// The last generated edit per document (for Adjust), and the last action
/// run on each (for Regenerate).
#[derive(Default)]
pub(super) struct ActionState {
    edits: Mutex<HashMap<Url, LastEdit>>,
    actions: Mutex<HashMap<Url, LastAction>>,
}

#[derive(Clone)]
struct LastAction {
    command: String,
    arguments: Value,
    /// The document's text the action ran on.
    text: String,
}

#[derive(Clone)]
struct LastEdit {
    /// The document's text right before the edit.
    before: String,
    /// The document's text right after the edit.
    text: String,
    /// Where the generated code stands in `text`.
    region: std::ops::Range<usize>,
    code: String,
}

/// The document an action edits, as it was when the action started.
struct Target {
    uri: Url,
    path: PathBuf,
    text: String,
    /// The file does not exist yet.
    create: bool,
    /// Regenerating: the edit replaces the last generated edit, which the
    /// document (whose text this is) still holds.
    replacing: Option<String>,
}

impl Backend {
    pub(super) async fn llm_action(&self, command: &str, arguments: Vec<Value>) -> Result<Value> {
        let raw = arguments.into_iter().next().unwrap_or(Value::Null);
        let args: ActionArgs =
            serde_json::from_value(raw.clone()).map_err(|_| Error::invalid_params(format!("{command} takes {{uri, ...}}: see the README")))?;
        // Context and checks read the live text of every open document.
        let open: Vec<Url> = self.documents().uris().filter_map(|u| Url::parse(u).ok()).collect();
        for uri in &open {
            self.sync_graph_linked(uri).await;
        }
        let doc = self.snapshot(&args.uri).ok_or_else(|| Error::invalid_params(format!("{} is not open", args.uri)))?;
        let current = doc.text();
        if command == REGENERATE {
            return self.regenerate(&args.uri, current).await;
        }
        self.run_action(command, args, raw, current, None).await
    }

    /// `pyloom.regenerate`: the last action on the document, asked anew.
    /// When the document still holds that action's edit, the action runs on
    /// the text before it and its new edit replaces the old one.
    async fn regenerate(&self, uri: &Url, current: String) -> Result<Value> {
        let last = self.state.llm_actions.actions.lock().unwrap_or_else(|e| e.into_inner()).get(uri).cloned();
        let last = last.ok_or_else(|| Error::invalid_params("there is no LLM action on this document to regenerate"))?;
        let edit = self.state.llm_actions.edits.lock().unwrap_or_else(|e| e.into_inner()).get(uri).cloned();
        let replacing = edit.is_some_and(|e| e.text == current && e.before == last.text);
        if !replacing && current != last.text {
            return Err(failed("the document changed since the last action; run the action again".to_owned()));
        }
        let mut arguments = last.arguments.clone();
        arguments["regenerate"] = json!(true);
        let args: ActionArgs = serde_json::from_value(arguments.clone()).map_err(|e| Error::invalid_params(e.to_string()))?;
        self.run_action(&last.command, args, arguments, last.text, replacing.then_some(current)).await
    }

    /// Runs `command` on `source` (the document's text, or the text before
    /// the edit being regenerated, `replacing` holding the current text).
    async fn run_action(&self, command: &str, args: ActionArgs, raw: Value, source: String, replacing: Option<String>) -> Result<Value> {
        let settings = self.settings();
        let path = args.uri.to_file_path().map_err(|()| Error::invalid_params(format!("{} is not a file", args.uri)))?;
        let this = Target { uri: args.uri.clone(), path: path.clone(), text: source.clone(), create: false, replacing };
        if command == ADJUST {
            return self.adjust(this, args.instruction.unwrap_or_default(), &settings).await;
        }
        let last = LastAction { command: command.to_owned(), arguments: raw, text: source.clone() };
        self.state.llm_actions.actions.lock().unwrap_or_else(|e| e.into_inner()).insert(args.uri.clone(), last);
        let rope = ropey::Rope::from_str(&source);
        let encoding = self.encoding();
        let offset = |p: Position| to_byte_offset(&rope, convert::text_position(p), encoding).map_err(|e| Error::invalid_params(e.to_string()));
        let range = |r: Range| -> Result<std::ops::Range<usize>> { Ok(offset(r.start)?..offset(r.end)?) };
        let position = || args.position.ok_or_else(|| Error::invalid_params(format!("{command} takes {{uri, position}}")));
        let action = match command {
            IMPLEMENT => Action::Implement { offset: offset(position()?)? },
            GENERATE => Action::Generate { offset: offset(position()?)? },
            WRITE_TESTS => Action::WriteTests { offset: offset(position()?)? },
            REFACTOR => Action::Refactor {
                range: range(args.range.ok_or_else(|| Error::invalid_params("pyloom.refactor takes {uri, range, instruction}"))?)?,
                instruction: args.instruction.clone().unwrap_or_default(),
            },
            EXPLAIN => Action::Explain { range: range(args.range.ok_or_else(|| Error::invalid_params("pyloom.explain takes {uri, range}"))?)? },
            _ => self.fix_action(&args, range).await?,
        };
        // A notebook's cells each parse on their own, as the graph reads them.
        let cells = self.state.notebooks.notebook(args.uri.as_str(), &source).map(|notebook| notebook.cell_ranges());
        let mut prepared = prepare_in_cells(&action, &source, cells.as_deref()).map_err(Error::invalid_params)?;
        let root = self.root_for(&path);
        if let (Task::Refactor { instruction }, Placement::Definition(def)) = (&prepared.task, &prepared.placement)
            && let Some(request) = rename::requested(instruction, &def.name)
        {
            let def = def.clone();
            return self.rename_refactor(&path, &source, prepared.line, def, request, &settings).await;
        }
        let context = match self.hierarchical_context(&root, &path, &source, prepared.line, &settings).await {
            Ok(context) => context.packed.text,
            Err(e) => crate::actions::cli::module_context(&prepared, &source).ok_or(e)?,
        };
        let fresh = args.regenerate;
        if command == EXPLAIN {
            return self.explain(prepared, context, &settings, fresh).await;
        }
        let target = if command == WRITE_TESTS {
            let function = prepared.function.clone().unwrap_or_default();
            prepared.task = Task::WriteTests { function: import_path(&root, &path, &function) };
            self.test_target(test_file_for(&root, &path))?
        } else {
            this
        };
        // The merge and the checks of a generated edit read Python: around
        // a notebook's IPython escapes they could not place it exactly, so
        // the model is not asked (a refusal after three answers was the
        // false "the file does not parse").
        if crate::notebook::Notebook::is_notebook(&target.path) && crate::notebook::runnable(&target.text) != target.text {
            return Err(failed(format!(
                "{} is not generated in this notebook: its cells hold IPython escapes (`%magic`, `!command`), around which a generated edit cannot be merged and checked yet; rename, extract and inline work here",
                prepared.title
            )));
        }
        let job = Job {
            task: prepared.task,
            path: target.path.clone(),
            original: target.text.clone(),
            placement: prepared.placement,
            target_text: prepared.target_text,
            context,
            max_attempts: settings.actions.max_attempts,
            run_tests: command == WRITE_TESTS,
            fresh,
        };
        self.generate_and_apply(&prepared.title, job, target, &settings).await
    }

    /// `pyloom.fix`: the diagnostic given, or pyloom's first finding in the range.
    async fn fix_action(&self, args: &ActionArgs, range: impl Fn(Range) -> Result<std::ops::Range<usize>>) -> Result<Action> {
        if let Some(d) = &args.diagnostic {
            let code = match &d.code {
                Some(NumberOrString::String(s)) => s.clone(),
                Some(NumberOrString::Number(n)) => n.to_string(),
                None => "problem".to_owned(),
            };
            return Ok(Action::Fix { range: range(d.range)?, code, message: d.message.clone() });
        }
        let wanted = range(args.range.ok_or_else(|| Error::invalid_params("pyloom.fix takes {uri, diagnostic} or {uri, range}"))?)?;
        let (_, findings) = self.findings(&args.uri).await.ok_or_else(|| Error::invalid_params("the document is not open"))?;
        let finding = findings
            .iter()
            .find(|f| f.range.start <= wanted.end && wanted.start <= f.range.end)
            .ok_or_else(|| Error::invalid_params("pyloom reports no problem in that range"))?;
        Ok(Action::Fix { range: finding.range.clone(), code: finding.code.clone(), message: finding.message.clone() })
    }

    pub(super) fn root_for(&self, path: &Path) -> PathBuf {
        let root = self.state.roots.read().unwrap_or_else(|e| e.into_inner()).iter().find(|r| path.starts_with(r)).cloned();
        root.unwrap_or_else(|| project_root_within(path, None))
    }

    /// The test file: its open buffer, else its text on disk, else created.
    fn test_target(&self, path: PathBuf) -> Result<Target> {
        let uri = Url::from_file_path(&path).map_err(|()| Error::invalid_params(format!("{} is not a file path", path.display())))?;
        if let Some(doc) = self.snapshot(&uri) {
            return Ok(Target { uri, path, text: doc.text(), create: false, replacing: None });
        }
        match std::fs::read_to_string(&path) {
            Ok(text) => Ok(Target { uri, path, text, create: false, replacing: None }),
            Err(_) => Ok(Target { uri, path, text: String::new(), create: true, replacing: None }),
        }
    }

    /// The hierarchical context of `line`: from the workspace graph when it
    /// holds this text, else from the file and its imports.
    pub(super) async fn hierarchical_context(&self, root: &Path, path: &Path, source: &str, line: usize, settings: &Settings) -> Result<Context> {
        self.hierarchical_context_in(self.linked_snapshot().await, root, path, source, line, settings).await
    }

    /// [`Backend::hierarchical_context`] from `graph`.
    pub(super) async fn hierarchical_context_in(
        &self,
        graph: Arc<Graph>,
        root: &Path,
        path: &Path,
        source: &str,
        line: usize,
        settings: &Settings,
    ) -> Result<Context> {
        let (root, path, source, settings) = (root.to_owned(), path.to_owned(), source.to_owned(), settings.clone());
        let assembled = tokio::task::spawn_blocking(move || {
            let primary = &settings.llm.primary;
            let counter = TokenCounter::for_model(primary.provider, &primary.model, settings.context.safety_margin_percent);
            let budget = settings.context.budget;
            let in_graph = graph.file_id(&path).filter(|&id| graph.file(id).is_some_and(|f| f.hash == content_hash(&source)));
            match in_graph {
                Some(id) => assemble_in_graph(&graph, &NameCounts::new(&graph), id, line, budget, &settings.context, &counter),
                None => assemble(&root, &path, &source, line, budget, &settings.context, &counter),
            }
        })
        .await
        .map_err(|e| {
            tracing::error!("context assembly failed: {e}");
            Error::internal_error()
        })?;
        assembled.map_err(Error::invalid_params)
    }

    fn model(&self, settings: &Settings, work: &super::progress::Work, progress: tokio::sync::mpsc::UnboundedSender<String>) -> Result<LspModel> {
        let cache = LlmClient::open_cache(&settings.llm);
        let client = LlmClient::new(settings.llm.clone(), self.state.llm.session.clone(), cache).map_err(Error::invalid_params)?;
        Ok(LspModel {
            client,
            name: settings.llm.primary.model.clone(),
            formats: crate::actions::reply_format::FormatChoice::configured(settings),
            max_output_tokens: settings.llm.max_output_tokens,
            cancel: work.cancelled().clone(),
            progress,
            backend: self.clone(),
            calls: 0,
            attempts: crate::llm::Attempts::default(),
        })
    }

    async fn explain(&self, prepared: Prepared, context: String, settings: &Settings, fresh: bool) -> Result<Value> {
        let work = self.begin_work(None, prepared.title.clone()).await;
        let (tx, forwarder) = work.reporter();
        let mut model = self.model(settings, &work, tx)?;
        let result = engine::explain(&mut model, &prepared.task, &prepared.target_text, &context, fresh).await;
        drop(model);
        if let Some(forwarder) = forwarder {
            let _ = forwarder.await;
        }
        work.end(None).await;
        result.map(|markdown| json!({"markdown": markdown})).map_err(action_error)
    }

    /// Runs the engine on `job` under cancellable progress, its edits
    /// checked against `graph`; the progress is the caller's to end.
    pub(super) async fn generate_with_progress(&self, title: &str, job: &Job, graph: Arc<Graph>, settings: &Settings) -> Result<(Generated, Work)> {
        let configs = self.findings_configs();
        let checker = Checker::new(graph, configs);
        let memory = crate::actions::open_memory(&settings.actions, &job.path);
        let work = self.begin_work(None, title.to_owned()).await;
        let (tx, forwarder) = work.reporter();
        let mut model = self.model(settings, &work, tx)?;
        let result = engine::generate(&mut model, job, &checker, memory.as_ref()).await;
        drop(model);
        if let Some(forwarder) = forwarder {
            let _ = forwarder.await;
        }
        match result {
            Ok(generated) if !work.cancelled().is_cancelled() => Ok((generated, work)),
            Ok(_) => Err(action_error(ActionError::Cancelled)),
            Err(e) => {
                work.end(Some("no edit".to_owned())).await;
                Err(action_error(e))
            }
        }
    }

    async fn generate_and_apply(&self, title: &str, job: Job, mut target: Target, settings: &Settings) -> Result<Value> {
        let (mut generated, work) = self.generate_with_progress(title, &job, self.linked_snapshot().await, settings).await?;
        if let Some(current) = target.replacing.take() {
            // The new edit, made on the text before the last one, replaces it.
            let edit = &generated.edit;
            let wanted = format!("{}{}{}", &target.text[..edit.range.start], edit.new_text, &target.text[edit.range.end..]);
            generated.edit = minimal_edit(&current, 0..current.len(), &wanted);
            generated.target = generated.edit.range.clone();
            target.text = current;
        }
        let applied = if generated.calls.is_empty() {
            self.apply(&target, &generated).await
        } else {
            // A signature change with its calls in other files: one edit of
            // every file, confirmed by the user.
            let edit = &generated.edit;
            let candidate = format!("{}{}{}", &target.text[..edit.range.start], edit.new_text, &target.text[edit.range.end..]);
            let primary = FileChange { path: target.path.clone(), original: target.text.clone(), candidate };
            let changes: Vec<FileChange> = std::iter::once(primary).chain(generated.calls.iter().cloned()).collect();
            let mut description = "the new signature and every call updated to it".to_owned();
            for left in &generated.untouched {
                description.push_str(&format!("; {left}"));
            }
            self.apply_changes(&changes, &generated.title(title), &description).await
        };
        work.end(Some(if applied.is_ok() { "done" } else { "no edit" }.to_owned())).await;
        let applied = applied?;
        let tests = match (generated.tests_ran, job.run_tests) {
            (true, _) => "passed in the sandbox",
            (false, true) => "not run (no sandbox: `pyloom sandbox install`)",
            (false, false) => "none",
        };
        Ok(json!({
            "applied": applied,
            "uri": target.uri,
            "attempts": generated.attempts,
            "tests": tests,
            "additions": generated.additions,
            "untouched": generated.untouched,
            "summary": format!("{}: {} after {} attempt(s), checks passed", generated.title(title), if applied { "applied" } else { "not applied by the editor" }, generated.attempts),
        }))
    }

    /// Sends the edit for the document's current version: rebased when the
    /// document changed outside the target, refused when the target changed.
    async fn apply(&self, target: &Target, generated: &Generated) -> Result<bool> {
        let (current, version) = match self.snapshot(&target.uri) {
            Some(doc) => (doc.text(), Some(doc.version)),
            None => (std::fs::read_to_string(&target.path).unwrap_or_default(), None),
        };
        let edit = rebase(&target.text, &current, &generated.target, generated.edit.clone()).map_err(|e| failed(e.to_string()))?;
        // Rebasing is against the text read just now; the versioned document
        // identifier makes the editor refuse it if more typing came since.
        let rope = ropey::Rope::from_str(&current);
        let text_edit = TextEdit { range: convert::range(&rope, &edit.range, self.encoding()), new_text: edit.new_text.clone() };
        let mut operations = Vec::new();
        if target.create {
            operations.push(DocumentChangeOperation::Op(ResourceOp::Create(CreateFile {
                uri: target.uri.clone(),
                options: Some(CreateFileOptions { overwrite: Some(false), ignore_if_exists: Some(true) }),
                annotation_id: None,
            })));
        }
        operations.push(DocumentChangeOperation::Edit(TextDocumentEdit {
            text_document: OptionalVersionedTextDocumentIdentifier { uri: target.uri.clone(), version },
            edits: vec![OneOf::Left(text_edit)],
        }));
        let workspace_edit = WorkspaceEdit { document_changes: Some(DocumentChanges::Operations(operations)), ..Default::default() };
        let response = self.client.apply_edit(workspace_edit).await.map_err(|e| failed(format!("the editor did not take the edit: {e}")))?;
        if response.applied {
            self.remember_edit(&target.uri, &current, &edit, &generated.code);
        } else {
            tracing::info!(uri = %target.uri, reason = ?response.failure_reason, "the editor refused the generated edit");
        }
        Ok(response.applied)
    }

    fn remember_edit(&self, uri: &Url, before: &str, edit: &ProposedEdit, code: &str) {
        let text = format!("{}{}{}", &before[..edit.range.start], edit.new_text, &before[edit.range.end..]);
        let region = edit.range.start..edit.range.start + edit.new_text.len();
        let last = LastEdit { before: before.to_owned(), text, region, code: code.to_owned() };
        self.state.llm_actions.edits.lock().unwrap_or_else(|e| e.into_inner()).insert(uri.clone(), last);
    }

    /// `pyloom.adjust`: the last generated edit in this document, revised
    /// by the model following `instruction`.
    async fn adjust(&self, this: Target, instruction: String, settings: &Settings) -> Result<Value> {
        if instruction.trim().is_empty() {
            return Err(Error::invalid_params("pyloom.adjust takes {uri, instruction}"));
        }
        let last = self.state.llm_actions.edits.lock().unwrap_or_else(|e| e.into_inner()).get(&this.uri).cloned();
        let last = last.ok_or_else(|| Error::invalid_params("there is no generated edit in this document to adjust"))?;
        // Where the generated code stands now (the document may have moved on around it).
        let probe = ProposedEdit { range: last.region.clone(), new_text: String::new() };
        let region = rebase(&last.text, &this.text, &last.region, probe)
            .map_err(|_| failed("the generated code was edited since; adjust works on it as generated".to_owned()))?
            .range;
        let (lines, indent) = whole_lines(&this.text, region);
        let root = self.root_for(&this.path);
        let line = crate::line_ends::line_number(&this.text, lines.start);
        let context = self.hierarchical_context(&root, &this.path, &this.text, line, settings).await?.packed.text;
        let job = Job {
            task: Task::Adjust { instruction, previous: last.code },
            path: this.path.clone(),
            original: this.text.clone(),
            target_text: this.text[lines.clone()].to_owned(),
            placement: Placement::Lines { range: lines, indent, within: None },
            context,
            max_attempts: settings.actions.max_attempts,
            run_tests: false,
            fresh: false,
        };
        self.generate_and_apply("Adjust the last generated edit", job, this, settings).await
    }
}

/// LSP's RequestFailed (the request was valid, the work failed), or
/// RequestCancelled.
fn action_error(error: ActionError) -> Error {
    match error {
        ActionError::Cancelled => Error { code: ErrorCode::RequestCancelled, message: "cancelled".into(), data: None },
        ActionError::Rejected { ref problems, .. } => {
            let data = json!({"problems": problems.iter().map(ToString::to_string).collect::<Vec<_>>()});
            Error { code: ErrorCode::ServerError(-32803), message: error.to_string().into(), data: Some(data) }
        }
        other => failed(other.to_string()),
    }
}

pub(super) fn failed(message: String) -> Error {
    tracing::warn!("LLM action failed: {message}");
    Error { code: ErrorCode::ServerError(-32803), message: message.into(), data: None }
}
