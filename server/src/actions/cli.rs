//! `pyloom llm implement|refactor|fix|explain|tests FILE:LINE [--instruction
//! TEXT] [--apply]`: the editor's LLM actions from the command line. The
//! checked edit is printed as a unified diff, or written with `--apply`.

use std::path::Path;
use std::process::ExitCode;
use std::sync::Arc;

use clap::{Args, Subcommand};
use tokio_util::sync::CancellationToken;

use super::check::{Checker, Problem, test_problems};
use super::edit::{FileChange, merged};
use super::engine::{self, ActionError, Job, Model};
use super::place::Placement;
use super::prompt::{Prompt, Task};
use super::rename;
use super::reply_format::FormatChoice;
use super::request::{Action, prepare};
use super::tests_file::{import_path, test_file_for};
use crate::context::{NameCounts, TokenCounter, assemble_in_graph};
use crate::findings::{self, Configs};
use crate::graph::Graph;
use crate::llm::cli::ProviderArgs;
use crate::llm::{LlmClient, Session};
use crate::project::load_graph;
use crate::settings::Settings;
use crate::snippets::{SnippetRunner, TestRequest};

#[derive(Subcommand, Debug)]
pub enum ActionCommand {
    /// Implement the stub function at FILE:LINE.
    Implement(ActionArgs),
    /// Rewrite the function at FILE:LINE following --instruction.
    Refactor(ActionArgs),
    /// Fix the first problem pyloom reports on FILE:LINE.
    Fix(ActionArgs),
    /// Explain the function at FILE:LINE (Markdown on stdout).
    Explain(ActionArgs),
    /// Write tests for the function at FILE:LINE into its test file.
    Tests(ActionArgs),
}

#[derive(Args, Debug)]
pub struct ActionArgs {
    /// FILE:LINE, the line 1-based.
    location: String,
    /// What to change (refactor).
    #[arg(long)]
    instruction: Option<String>,
    /// Write the edit into the file instead of printing a diff.
    #[arg(long)]
    apply: bool,
    /// Ask the model anew instead of answering from the response cache.
    #[arg(long)]
    no_cache: bool,
    #[command(flatten)]
    provider: ProviderArgs,
}

pub fn run(command: &ActionCommand) -> ExitCode {
    let runtime = match tokio::runtime::Builder::new_current_thread().enable_all().build() {
        Ok(rt) => rt,
        Err(e) => return fail(&format!("cannot start the async runtime: {e}")),
    };
    match runtime.block_on(execute(command)) {
        Ok(output) => {
            crate::stdout::print(&output);
            ExitCode::SUCCESS
        }
        Err(e) => fail(&e),
    }
}

async fn execute(command: &ActionCommand) -> Result<String, String> {
    let (ActionCommand::Implement(args) | ActionCommand::Refactor(args) | ActionCommand::Fix(args) | ActionCommand::Explain(args) | ActionCommand::Tests(args)) =
        command;
    let (root, file, line, settings) = crate::llm::cli::prepare(&args.location, &args.provider)?;
    let mut source = crate::index::read_source(&file, settings.files.max_file_bytes)?;
    // A byte-order mark is no code: the model, the parser and the checks
    // get the text without it; the file written keeps it.
    let bom = source.starts_with('\u{feff}');
    if bom {
        source.remove(0);
    }
    let offset = line_offset(&source, line)?;
    let (mut graph, _) = load_graph(&root, &settings, false)?;
    graph.update_file(&file, &source);
    let configs = Arc::new(Configs::new(&root, &settings.lint).0);
    let action = match command {
        ActionCommand::Implement(_) => Action::Implement { offset },
        ActionCommand::Refactor(_) => Action::Refactor { range: offset..offset, instruction: args.instruction.clone().unwrap_or_default() },
        ActionCommand::Explain(_) => Action::Explain { range: offset..offset },
        ActionCommand::Tests(_) => Action::WriteTests { offset },
        ActionCommand::Fix(_) => {
            let line_end = source[offset..].find('\n').map_or(source.len(), |i| offset + i);
            let found = findings::check_source(&file, &source, &configs.for_file(&file), graph.file_id(&file).map(|id| (&graph, id)));
            let finding = found
                .into_iter()
                .find(|f| f.range.start <= line_end && offset <= f.range.end)
                .ok_or_else(|| format!("pyloom reports no problem on line {line}"))?;
            Action::Fix { range: finding.range, code: finding.code, message: finding.message }
        }
    };
    let mut prepared = prepare(&action, &source)?;
    let checks = Arc::clone(&configs);
    let checker_on = move |graph: Graph| Checker::new(Arc::new(graph), checks);
    // A rename the instruction asks for is done first, over every file; the
    // model (when the instruction asks for more) rewrites the renamed definition.
    let mut renaming = None;
    if let (Task::Refactor { instruction }, Placement::Definition(def)) = (&prepared.task, &prepared.placement)
        && let Some(request) = rename::requested(instruction, &def.name)
    {
        let changes = rename::rename_definition(&graph, &file, def, &request.new_name)?;
        let title = format!("Rename `{}` to `{}`", def.name, request.new_name);
        let Some(instruction) = request.rest else {
            let problems = checker_on(graph).check_all(&changes);
            if !problems.is_empty() {
                let list: String = problems.iter().map(|p| format!("\n- {p}")).collect();
                return Err(format!("the rename failed its checks; no edit was made:{list}"));
            }
            eprintln!("pyloom: {title} in {} file(s) (by syntax tree, no model call; checks passed)", changes.len());
            return write_or_diff(&with_bom(changes, &file, bom), &root, args.apply);
        };
        graph = rename::renamed_graph(&graph, &changes);
        let renamed = changes.iter().find(|c| c.path == file).map_or_else(|| source.clone(), |c| c.candidate.clone());
        prepared = prepare(&Action::Refactor { range: line_offset(&renamed, line)?..line_offset(&renamed, line)?, instruction }, &renamed)?;
        prepared.title = format!("{title}, {}", prepared.title);
        source = renamed;
        renaming = Some(changes);
    }
    let id = graph.file_id(&file).ok_or("the file could not be added to the graph")?;
    let primary = &settings.llm.primary;
    let counter = TokenCounter::for_model(primary.provider, &primary.model, settings.context.safety_margin_percent);
    let context = match assemble_in_graph(&graph, &NameCounts::new(&graph), id, prepared.line, settings.context.budget, &settings.context, &counter) {
        Ok(context) => {
            eprint!("{}", context.account());
            context.packed.text
        }
        Err(e) => module_context(&prepared, &source).ok_or(e)?,
    };
    let mut model = CliModel::new(&settings)?;
    if let ActionCommand::Explain(_) = command {
        return engine::explain(&mut model, &prepared.task, &prepared.target_text, &context, args.no_cache)
            .await
            .map(|markdown| format!("{markdown}\n"))
            .map_err(|e| e.to_string());
    }
    let (path, original) = match command {
        ActionCommand::Tests(_) => {
            let function = prepared.function.clone().unwrap_or_default();
            prepared.task = Task::WriteTests { function: import_path(&root, &file, &function) };
            let path = test_file_for(&root, &file);
            let text = std::fs::read_to_string(&path).unwrap_or_default();
            (path, text)
        }
        _ => (file.clone(), source.clone()),
    };
    let job = Job {
        task: prepared.task,
        path: path.clone(),
        original: original.clone(),
        placement: prepared.placement,
        target_text: prepared.target_text,
        context,
        max_attempts: settings.actions.max_attempts,
        run_tests: matches!(command, ActionCommand::Tests(_)),
        fresh: args.no_cache,
    };
    let checker = checker_on(graph);
    let memory = super::open_memory(&settings.actions, &job.path);
    let generated = engine::generate(&mut model, &job, &checker, memory.as_ref()).await.map_err(|e| e.to_string())?;
    let edit = &generated.edit;
    let changed = format!("{}{}{}", &original[..edit.range.start], edit.new_text, &original[edit.range.end..]);
    eprintln!("pyloom: {} (checks passed after {} attempt(s))", generated.title(&prepared.title), generated.attempts);
    if generated.tests_ran {
        eprintln!("pyloom: the generated tests passed in the sandbox");
    } else if job.run_tests {
        eprintln!("pyloom: the generated tests were not run (no sandbox: `pyloom sandbox install`)");
    }
    let changes = match renaming {
        Some(renamed) => rename::with_rewrite(renamed, &path, changed),
        None => vec![FileChange { path, original, candidate: changed }],
    };
    if !generated.calls.is_empty() {
        eprintln!("pyloom: the calls of the new signature updated in {} other file(s), checked together", generated.calls.len());
    }
    for left in &generated.untouched {
        eprintln!("pyloom: note: {left}");
    }
    write_or_diff(&with_bom(merged(changes, generated.calls), &file, bom), &root, args.apply)
}

/// `changes` with the byte-order mark `file` had (`bom`) back in its texts.
fn with_bom(mut changes: Vec<FileChange>, file: &Path, bom: bool) -> Vec<FileChange> {
    for change in changes.iter_mut().filter(|c| bom && c.path == file) {
        change.original.insert(0, '\u{feff}');
        change.candidate.insert(0, '\u{feff}');
    }
    changes
}

/// Writes every change (`--apply`), or shows them as one unified diff.
fn write_or_diff(changes: &[FileChange], root: &Path, apply: bool) -> Result<String, String> {
    if !apply {
        return Ok(rename::diff(changes, root));
    }
    let mut out = String::new();
    for change in changes {
        std::fs::write(&change.path, &change.candidate).map_err(|e| format!("cannot write {}: {e}", change.path.display()))?;
        out.push_str(&format!("pyloom: wrote {}\n", change.path.display()));
    }
    Ok(out)
}

/// The context of a module-level target the graph has none for (an unused
/// import at the top): the module itself, secrets masked, when it is small
/// enough to send whole.
pub fn module_context(prepared: &super::request::Prepared, source: &str) -> Option<String> {
    const MAX_MODULE_BYTES: usize = 16_000;
    let module_level = matches!(prepared.placement, super::place::Placement::Lines { within: None, .. });
    (module_level && source.len() <= MAX_MODULE_BYTES).then(|| format!("## The module\n\n{}", crate::context::mask_secrets(source).0))
}

/// The first non-blank character of 1-based `line`.
/// Lines are numbered as `pyloom check` numbers them (a bare `\r` ends one).
fn line_offset(source: &str, line: usize) -> Result<usize, String> {
    let start = crate::line_ends::line_start(source, line.saturating_sub(1)).filter(|&start| line <= 1 || start < source.len() || source.is_empty());
    let start = start.ok_or_else(|| format!("line {line} is past the end of the file"))?;
    Ok(start + source[start..].chars().take_while(|c| *c == ' ' || *c == '\t').count())
}

struct CliModel {
    client: LlmClient,
    name: String,
    formats: FormatChoice,
    max_output_tokens: u32,
    sandbox: crate::snippets::SandboxSettings,
    attempts: crate::llm::Attempts,
}

impl CliModel {
    fn new(settings: &Settings) -> Result<Self, String> {
        let cache = LlmClient::open_cache(&settings.llm);
        let client = LlmClient::new(settings.llm.clone(), Arc::new(Session::default()), cache)?;
        Ok(Self {
            client,
            name: settings.llm.primary.model.clone(),
            formats: FormatChoice::configured(settings),
            max_output_tokens: settings.llm.max_output_tokens,
            sandbox: settings.sandbox.clone(),
            attempts: crate::llm::Attempts::default(),
        })
    }
}

impl Model for CliModel {
    fn name(&self) -> &str {
        &self.name
    }

    fn formats(&self) -> FormatChoice {
        self.formats
    }

    async fn complete(&mut self, prompt: &Prompt, fresh: bool) -> Result<String, ActionError> {
        let request = prompt.request(self.max_output_tokens, fresh);
        let completion = self.client.complete(&request, &CancellationToken::new(), &mut |_| {}).await?;
        Ok(self.attempts.record(completion))
    }

    fn accepted(&mut self) {
        self.attempts.accept(&self.client);
    }

    async fn run_tests(&mut self, path: &Path, text: &str) -> Option<Vec<Problem>> {
        let runner = SnippetRunner::new(&self.sandbox, Vec::new()).map_err(|e| eprintln!("pyloom: generated tests not run: {e:#}")).ok()?;
        let request = TestRequest { file: path.to_owned(), source: text.to_owned(), line: None };
        let results = runner.run(&request).await.map_err(|e| eprintln!("pyloom: generated tests not run: {e:#}")).ok()?;
        Some(test_problems(results))
    }
}

fn fail(message: &str) -> ExitCode {
    eprintln!("pyloom: error: {message}");
    ExitCode::FAILURE
}

#[cfg(test)]
mod tests {
    use super::line_offset;

    #[test]
    fn a_line_is_found_as_pyloom_check_numbers_it() {
        assert_eq!(line_offset("a = 1\r  b = 2\r", 2), Ok(8), "a bare `\\r` ends line 1");
        // Must stay: `\n` and `\r\n` end lines; past the end is refused.
        assert_eq!(line_offset("a\r\n\tb\n", 2), Ok(4));
        assert_eq!(line_offset("", 1), Ok(0));
        assert!(line_offset("a\n", 2).is_err() && line_offset("a", 3).is_err());
    }
}
