//! Snippet tests: discover the runnable tests in a file, run the selected
//! ones in the WASI sandbox, and map what comes back to workspace lines.

pub mod cli;
mod discover;
mod keyword;
mod project;
mod report;
mod sources;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use anyhow::{Context, Result};
use sandbox_wasi::{GUEST_SCRATCH, GUEST_SOURCES, Interpreter, Job, Kept, Layout, Outcome, Sandbox, SandboxConfig, SourceFile, SourceText, WarmPool};
use serde::{Deserialize, Serialize};

pub use crate::settings::SandboxSettings;
pub use discover::{Snippet, SnippetKind, discover, select};
pub use keyword::Keywords;
pub use project::{FileTests, collect, run_files};
pub use report::{counts, format_text, summary};
pub use sources::import_root;

/// Python loaded into every interpreter before it waits for a job: runs
/// plain test functions, and the other kinds with the parts below.
const RUNNER: &str = include_str!("runner.py");
/// Added to `RUNNER` for doctests, unittest tests and pytest tests.
const DOCTEST_PRELUDE: &str = include_str!("runner_doctest.py");
const UNITTEST_PRELUDE: &str = include_str!("runner_unittest.py");
const PYTEST_PRELUDE: &str = include_str!("pytest_prelude.py");
/// Where the runner appends one JSON line per finished test.
const RESULTS_FILE: &str = ".pyloom-results.jsonl";

/// What to run: a file (its buffer text, possibly unsaved) and optionally
/// the 1-based line of the cursor.
#[derive(Debug, Clone)]
pub struct TestRequest {
    pub file: PathBuf,
    pub source: String,
    pub line: Option<usize>,
}

/// How one test ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Passed,
    Failed,
    Error,
    Skipped,
    Timeout,
    MemoryLimit,
    OutputLimit,
    DiskLimit,
    Crash,
}

impl Status {
    /// Every status, in the order summaries list them.
    pub const ALL: [Status; 9] = [
        Status::Passed,
        Status::Failed,
        Status::Error,
        Status::Skipped,
        Status::Timeout,
        Status::MemoryLimit,
        Status::OutputLimit,
        Status::DiskLimit,
        Status::Crash,
    ];

    pub fn is_success(self) -> bool {
        matches!(self, Status::Passed | Status::Skipped)
    }

    /// The status as JSON names it (`memory_limit`).
    pub fn word(self) -> &'static str {
        match self {
            Status::Passed => "passed",
            Status::Failed => "failed",
            Status::Error => "error",
            Status::Skipped => "skipped",
            Status::Timeout => "timeout",
            Status::MemoryLimit => "memory_limit",
            Status::OutputLimit => "output_limit",
            Status::DiskLimit => "disk_limit",
            Status::Crash => "crash",
        }
    }
}

/// One test's result, in workspace terms.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TestResult {
    /// Dotted name inside the module; a module's own doctests are `<module>`.
    pub name: String,
    pub kind: SnippetKind,
    pub file: PathBuf,
    /// 1-based line of the test (its `def`, or the docstring's object).
    pub line: usize,
    pub status: Status,
    pub duration_ms: f64,
    /// Assertion with compared values, traceback, or what limit was hit.
    pub message: String,
    /// 1-based line in `file` where it failed, when the failure is in it.
    pub failure_line: Option<usize>,
}

/// Runs snippet tests; holds the sandbox (compiled interpreter) and its
/// pre-warmed interpreters.
pub struct SnippetRunner {
    sandbox: Arc<Sandbox>,
    /// Interpreters by what their prelude loads. An editor has two pools
    /// (every kind but pytest; and with pytest, kept warm only once pytest
    /// tests have been run), as its next run is unknown; a batch has one per
    /// mix of kinds its files need, so a file of plain test functions does
    /// not wait for doctest to import.
    pools: Mutex<HashMap<Needs, Arc<WarmPool>>>,
    keep_warm: usize,
    editor: bool,
}

/// Where a runner's interpreters come from and what they may see.
#[derive(Debug, Clone, Default)]
pub struct RunnerOptions {
    /// Interpreters of each kind kept started for the next runs: a burst's
    /// worth for an editor ([`RunnerOptions::editor`]; pytest ones at most
    /// one per core), the number of cores for a folder run, 0 for one file.
    pub keep_warm: usize,
    /// The project's site-packages folders (`index.venv`), mounted
    /// read-only at their own paths.
    pub libraries: Vec<PathBuf>,
    /// Runs come one at a time from a user who waits for each.
    pub editor: bool,
}

impl RunnerOptions {
    /// For an editor: enough interpreters kept warm that a burst of runs
    /// does not wait for one to start (see [`sandbox_wasi::burst_depth`]).
    pub fn editor(libraries: Vec<PathBuf>) -> Self {
        Self { keep_warm: sandbox_wasi::burst_depth(), libraries, editor: true }
    }
}

impl SnippetRunner {
    /// Loads the interpreter named by the settings, or the installed one.
    /// Nothing starts before [`SnippetRunner::warm_up`],
    /// [`SnippetRunner::expect_files`] or the first run. Must be called
    /// inside a tokio runtime; compiling on first use takes a while, later
    /// starts load the cached module.
    pub fn new(settings: &SandboxSettings, options: RunnerOptions) -> Result<Arc<Self>> {
        let layout = Layout::new(sandbox_wasi::cache_root()?);
        let interpreter = match &settings.python_wasm {
            Some(wasm) => {
                Interpreter { wasm: wasm.clone(), stdlib: settings.stdlib.clone(), site_packages: layout.locate().ok().and_then(|i| i.site_packages) }
            }
            None => layout.locate()?,
        };
        let config = SandboxConfig { interpreter, module_cache: layout.modules(), limits: settings.limits(), libraries: options.libraries };
        let cores = std::thread::available_parallelism().map_or(1, usize::from);
        // An editor keeps a core for the run the user waits for while
        // interpreters warm behind it; a batch warms on every core.
        let warming = if options.editor { cores.saturating_sub(1) } else { cores };
        let sandbox = Arc::new(Sandbox::new(config)?.warming_at_once(warming));
        Ok(Arc::new(Self { sandbox, pools: Mutex::default(), keep_warm: options.keep_warm, editor: options.editor }))
    }

    /// The pool of interpreters ready for tests that need `needs`.
    fn pool(&self, needs: Needs) -> Arc<WarmPool> {
        let needs = self.pool_needs(needs);
        let mut pools = self.pools.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let pool = pools.entry(needs).or_insert_with(|| {
            // A pytest run takes longer than a pytest interpreter needs to
            // warm on another core: one per core keeps up, and each holds
            // more memory.
            let cores = std::thread::available_parallelism().map_or(1, usize::from);
            let keep_warm = if needs.pytest { self.keep_warm.min(cores) } else { self.keep_warm };
            Arc::new(WarmPool::new(self.sandbox.clone(), needs.prelude(), keep_warm))
        });
        pool.clone()
    }

    /// Which pool serves runs that need `needs`.
    fn pool_needs(&self, needs: Needs) -> Needs {
        if self.editor { needs.any_but_pytest() } else { needs }
    }

    /// For an editor: starts the plain interpreters now (pytest ones are
    /// kept warm from the first pytest run on).
    pub fn warm_up(&self) {
        self.pool(Needs::default()).warm_up();
    }

    /// For a batch (`pyloom test DIR`) of `parallel` workers that each take
    /// the next file (see [`run_files`]): tells the pools how many
    /// interpreters `files` take, so none is warmed for a run that will not
    /// come (see [`WarmPool::expect_jobs`]). A worker's interpreter goes on
    /// to its next file of the same kind, so a kind takes about one
    /// interpreter per worker.
    pub fn expect_files(&self, files: &[FileTests], parallel: usize) {
        let mut runs: Vec<(Needs, usize)> = Vec::new();
        for tests in files {
            let needs = self.pool_needs(Needs::of(&tests.selected));
            match runs.iter_mut().find(|(kind, _)| *kind == needs) {
                Some((_, count)) => *count += 1,
                None => runs.push((needs, 1)),
            }
        }
        // In the order the workers come to them.
        runs.sort_by_key(|(needs, _)| *needs);
        for (needs, count) in runs {
            self.pool(needs).expect_jobs(count.min(parallel.max(1)));
        }
    }

    /// The order a batch runs files in: by kind, then import root, so a
    /// worker's interpreter can go on to its next file (see [`run_files`]).
    fn batch_key(&self, tests: &FileTests) -> (Needs, PathBuf) {
        let root = absolute(&tests.file).map(|file| import_root(&file)).unwrap_or_default();
        (self.pool_needs(Needs::of(&tests.selected)), root)
    }

    /// Runs the tests `request` selects; an empty list when there are none.
    pub async fn run(&self, request: &TestRequest) -> Result<Vec<TestResult>> {
        let selected = select(&discover(&request.source), request.line);
        self.run_selected(&request.file, &request.source, &selected).await
    }

    /// Runs `selected` (snippets of `source`, the text of `file`). A test
    /// that hits a limit ends alone: it gets the limit, and the tests that
    /// had not started yet run again in a fresh interpreter.
    pub async fn run_selected(&self, file: &Path, source: &str, selected: &[Snippet]) -> Result<Vec<TestResult>> {
        Ok(self.run_file(file, source, selected, None).await?.0)
    }

    /// [`SnippetRunner::run_selected`], starting in `kept` (the interpreter
    /// an earlier file of a batch ended in) when it is of this file's kind
    /// and import root; gives back the interpreter this file ended in, when
    /// it may take the next file (see [`Kept`]).
    pub(crate) async fn run_file(
        &self,
        file: &Path,
        source: &str,
        selected: &[Snippet],
        kept: Option<KeptInterpreter>,
    ) -> Result<(Vec<TestResult>, Option<KeptInterpreter>)> {
        if selected.is_empty() {
            return Ok((Vec::new(), kept));
        }
        let staged = Staged::new(file, source)?;
        // Every round of a file uses the pool its first round does: the one
        // a batch expected it in (see `expect_files`).
        let needs = self.pool_needs(Needs::of(selected));
        let pool = self.pool(needs);
        let mut kept = kept.filter(|kept| kept.needs == needs && kept.root == staged.root).map(|kept| kept.interpreter);
        let mut results: Vec<Option<TestResult>> = vec![None; selected.len()];
        let mut pending: Vec<usize> = (0..selected.len()).collect();
        while !pending.is_empty() {
            let round: Vec<&Snippet> = pending.iter().map(|&index| &selected[index]).collect();
            let (output, next_interpreter) = pool.run_keeping(staged.job(&round)?, kept.take()).await?;
            kept = next_interpreter;
            tracing::debug!(
                "snippet run: {} tests, interpreter prewarmed: {}, waited {:?} for its prelude, ran {:?}, {:?}",
                round.len(),
                output.prewarmed,
                output.prelude_wait,
                output.duration,
                output.outcome
            );
            let text = output.collected.first().map(|(_, bytes)| String::from_utf8_lossy(bytes).into_owned()).unwrap_or_default();
            let mut reports = report::parse(&text);
            // Without any sign of progress (the module itself looped, or the
            // interpreter died first) every test gets the run's outcome.
            let progressed = (0..round.len()).any(|id| reports.finished.contains_key(&id) || reports.started.contains(&id));
            let mut next = Vec::new();
            for (id, &index) in pending.iter().enumerate() {
                let snippet = &selected[index];
                results[index] = match reports.finished.remove(&id) {
                    Some(entry) => Some(staged.result(snippet, entry.status, entry.duration_ms, entry.message, entry.line)),
                    None if reports.started.contains(&id) || !progressed => {
                        let (status, message) = unreported(&output.outcome, &output.stderr);
                        let elapsed = if matches!(output.outcome, Outcome::Exited(_)) { 0.0 } else { output.duration.as_secs_f64() * 1000.0 };
                        Some(staged.result(snippet, status, elapsed, message, None))
                    }
                    None => {
                        next.push(index);
                        None
                    }
                };
            }
            pending = next;
        }
        let kept = kept.map(|interpreter| KeptInterpreter { interpreter, needs, root: staged.root.clone() });
        Ok((results.into_iter().flatten().collect(), kept))
    }
}

/// An interpreter a file of a batch ended in, for the next file of the same
/// kind and import root (the same sources mount).
pub(crate) struct KeptInterpreter {
    interpreter: Kept,
    needs: Needs,
    root: PathBuf,
}

/// One file prepared for runs: its module name and the sources to mount.
struct Staged {
    file: PathBuf,
    root: PathBuf,
    module: String,
    guest_file: String,
    sources: Vec<SourceFile>,
}

impl Staged {
    fn new(file: &Path, source: &str) -> Result<Self> {
        let file = absolute(file)?;
        let root = import_root(&file);
        let module = sources::module_name(&root, &file).with_context(|| format!("{} is not an importable module name", file.display()))?;
        let relative = file.strip_prefix(&root).context("file outside its import root")?.to_path_buf();
        let guest_file = format!("{GUEST_SOURCES}/{}", relative.display());
        let sources = sources::needed_sources(&root, &file, source)
            .into_iter()
            .map(|path| {
                let text = if path == relative { SourceText::Text(source.to_owned()) } else { SourceText::File(root.join(&path)) };
                SourceFile { guest_relative: path, text }
            })
            .collect();
        Ok(Self { file, root, module, guest_file, sources })
    }

    /// The job that runs `tests`; their ids are their positions.
    fn job(&self, tests: &[&Snippet]) -> Result<Job> {
        let spec = serde_json::json!({
            "module": self.module,
            "file": self.guest_file,
            "root": GUEST_SOURCES,
            "results": format!("{GUEST_SCRATCH}/{RESULTS_FILE}"),
            "tests": tests.iter().enumerate().map(|(id, snippet)| serde_json::json!({
                "id": id, "name": snippet.name, "kind": snippet.kind,
            })).collect::<Vec<_>>(),
        });
        // A JSON string is also a valid Python string literal.
        let literal = serde_json::to_string(&spec.to_string())?;
        Ok(Job { script: format!("_pyloom_run(json.loads({literal}))\n"), sources: self.sources.clone(), collect: vec![PathBuf::from(RESULTS_FILE)] })
    }

    fn result(&self, snippet: &Snippet, status: Status, duration_ms: f64, message: String, failure_line: Option<usize>) -> TestResult {
        // Tracebacks name guest paths; show the user's files instead.
        let guest_prefix = format!("\"{GUEST_SOURCES}/");
        let host_prefix = format!("\"{}/", self.root.display());
        TestResult {
            name: if snippet.name.is_empty() { "<module>".to_owned() } else { snippet.name.clone() },
            kind: snippet.kind,
            file: self.file.clone(),
            line: snippet.line,
            status,
            duration_ms,
            message: message.replace(&guest_prefix, &host_prefix),
            failure_line,
        }
    }
}

/// What an interpreter's prelude loads beyond the runner (which runs plain
/// test functions): the parts for doctests, unittest tests, pytest tests.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
struct Needs {
    doctest: bool,
    unittest: bool,
    pytest: bool,
}

impl Needs {
    fn of<'a>(snippets: impl IntoIterator<Item = &'a Snippet>) -> Self {
        snippets.into_iter().fold(Self::default(), |needs, snippet| Self {
            doctest: needs.doctest || snippet.kind == SnippetKind::Doctest,
            unittest: needs.unittest || snippet.kind == SnippetKind::UnitTest,
            pytest: needs.pytest || snippet.kind == SnippetKind::Pytest,
        })
    }

    /// Ready for any run these needs are part of, but pytest only if they
    /// have it (importing pytest is the largest part of a start-up).
    fn any_but_pytest(self) -> Self {
        Self { doctest: true, unittest: true, pytest: self.pytest }
    }

    /// The runner and the parts (importing doctest is most of an
    /// interpreter's start-up when pytest is not needed).
    fn prelude(self) -> String {
        let parts = [(self.doctest, DOCTEST_PRELUDE), (self.unittest, UNITTEST_PRELUDE), (self.pytest, PYTEST_PRELUDE)];
        let mut prelude = RUNNER.to_owned();
        for (needed, part) in parts {
            if needed {
                prelude.push('\n');
                prelude.push_str(part);
            }
        }
        prelude
    }
}

fn absolute(path: &Path) -> Result<PathBuf> {
    let path = if path.is_absolute() { path.to_path_buf() } else { std::env::current_dir()?.join(path) };
    Ok(path.canonicalize().unwrap_or(path))
}

/// The interpreter's installed location, for messages.
pub fn install_location() -> Result<PathBuf> {
    Ok(Layout::new(sandbox_wasi::cache_root()?).wasm())
}

/// What a whole run's outcome means for a test that reported nothing.
fn unreported(outcome: &Outcome, stderr: &str) -> (Status, String) {
    match outcome {
        Outcome::Timeout => (Status::Timeout, "timed out".to_owned()),
        Outcome::MemoryLimit => (Status::MemoryLimit, "memory limit reached".to_owned()),
        Outcome::OutputLimit => (Status::OutputLimit, "output limit reached (output truncated)".to_owned()),
        Outcome::DiskLimit => (Status::DiskLimit, "disk quota of the scratch directory reached".to_owned()),
        Outcome::Crash(message) => (Status::Crash, format!("the interpreter crashed: {message}")),
        Outcome::Exited(code) => (Status::Error, format!("the run ended (exit status {code}) before this test reported:\n{}", stderr.trim_end())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_prelude_loads_only_the_parts_its_tests_need() {
        let parts = |kinds: &[SnippetKind]| {
            let snippets: Vec<Snippet> = kinds.iter().map(|&kind| Snippet { name: "t".into(), kind, line: 1, end_line: 1 }).collect();
            let prelude = Needs::of(&snippets).prelude();
            [DOCTEST_PRELUDE, UNITTEST_PRELUDE, PYTEST_PRELUDE].map(|part| prelude.contains(part))
        };
        assert_eq!(parts(&[SnippetKind::Function]), [false, false, false]);
        assert_eq!(parts(&[SnippetKind::Function, SnippetKind::UnitTest]), [false, true, false]);
        assert_eq!(parts(&[SnippetKind::Doctest]), [true, false, false]);
        assert_eq!(parts(&[SnippetKind::Pytest, SnippetKind::Doctest]), [true, false, true]);
        // An editor's interpreters are ready for any kind; pytest's only when asked.
        assert_eq!(Needs::default().any_but_pytest(), Needs { doctest: true, unittest: true, pytest: false });
    }
}
