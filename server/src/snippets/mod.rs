//! Snippet tests: discover the runnable tests in a file, run the selected
//! ones in the WASI sandbox, and map what comes back to workspace lines.

pub mod cli;
mod discover;
mod keyword;
mod project;
mod report;
mod sources;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::{Context, Result};
use sandbox_wasi::{
    GUEST_SCRATCH, GUEST_SOURCES, Interpreter, Job, Layout, Outcome, Sandbox, SandboxConfig, SourceFile, SourceText, WarmPool,
};
use serde::{Deserialize, Serialize};

pub use discover::{Snippet, SnippetKind, discover, select};
pub use keyword::Keywords;
pub use project::{FileTests, collect, run_files};
pub use report::{counts, format_text, summary};
pub use crate::settings::SandboxSettings;
pub use sources::import_root;

/// Python loaded into every interpreter before it waits for a job: runs
/// plain test functions, and the other kinds with the parts below.
const RUNNER: &str = include_str!("runner.py");
/// Added to `RUNNER` for doctests, unittest tests and pytest tests.
const DOCTEST_PRELUDE: &str = include_str!("runner_doctest.py");
const UNITTEST_PRELUDE: &str = include_str!("runner_unittest.py");
const PYTEST_PRELUDE: &str = include_str!("pytest_prelude.py");
/// What interpreters kept warm must be ready for, the next run's tests
/// being unknown: every kind but pytest, and with it for the pytest pool.
const PLAIN_KINDS: [SnippetKind; 3] = [SnippetKind::Doctest, SnippetKind::Function, SnippetKind::UnitTest];
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
    /// Doctests, unittest and plain test functions: interpreters with only
    /// what those need imported, ready within half a second of the last run.
    plain: WarmPool,
    /// Any selection with a pytest test: pytest is imported too, which takes
    /// seconds, so these are kept warm only once pytest tests have been run.
    pytest: WarmPool,
    /// Nothing is kept warm (one file, once): each run starts an
    /// interpreter with only what its tests' kinds need instead.
    one_shot: bool,
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
            Some(wasm) => Interpreter { wasm: wasm.clone(), stdlib: settings.stdlib.clone(), site_packages: layout.locate().ok().and_then(|i| i.site_packages) },
            None => layout.locate()?,
        };
        let config = SandboxConfig { interpreter, module_cache: layout.modules(), limits: settings.limits(), libraries: options.libraries };
        let cores = std::thread::available_parallelism().map_or(1, usize::from);
        // An editor keeps a core for the run the user waits for while
        // interpreters warm behind it; a batch warms on every core.
        let warming = if options.editor { cores.saturating_sub(1) } else { cores };
        let sandbox = Arc::new(Sandbox::new(config)?.warming_at_once(warming));
        let plain = WarmPool::new(sandbox.clone(), prelude(&PLAIN_KINDS), options.keep_warm);
        // A pytest run takes longer than a pytest interpreter needs to warm
        // on another core: one per core keeps up, and each holds more memory.
        let pytest = WarmPool::new(sandbox.clone(), prelude(&[SnippetKind::Doctest, SnippetKind::UnitTest, SnippetKind::Pytest]), options.keep_warm.min(cores));
        Ok(Arc::new(Self { sandbox, plain, pytest, one_shot: options.keep_warm == 0 }))
    }

    /// For an editor: starts the plain interpreters now (pytest ones are
    /// kept warm from the first pytest run on).
    pub fn warm_up(&self) {
        self.plain.warm_up();
    }

    /// For a one-shot batch (`pyloom test DIR`): tells the pools how many
    /// runs of each kind `files` make, so no interpreter is warmed for a run
    /// that will not come (see [`WarmPool::expect_jobs`]).
    pub fn expect_files(&self, files: &[FileTests]) {
        let pytest = files.iter().filter(|tests| needs_pytest(tests.selected.iter())).count();
        self.plain.expect_jobs(files.len() - pytest);
        self.pytest.expect_jobs(pytest);
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
        if selected.is_empty() {
            return Ok(Vec::new());
        }
        let staged = Staged::new(file, source)?;
        let mut results: Vec<Option<TestResult>> = vec![None; selected.len()];
        let mut pending: Vec<usize> = (0..selected.len()).collect();
        while !pending.is_empty() {
            let round: Vec<&Snippet> = pending.iter().map(|&index| &selected[index]).collect();
            let job = staged.job(&round)?;
            let output = if self.one_shot {
                let kinds: Vec<SnippetKind> = round.iter().map(|snippet| snippet.kind).collect();
                WarmPool::new(self.sandbox.clone(), prelude(&kinds), 0).run(job).await?
            } else if needs_pytest(round.iter().copied()) {
                self.pytest.run(job).await?
            } else {
                self.plain.run(job).await?
            };
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
        Ok(results.into_iter().flatten().collect())
    }
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
        let module = sources::module_name(&root, &file)
            .with_context(|| format!("{} is not an importable module name", file.display()))?;
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
        Ok(Job {
            script: format!("_pyloom_run(json.loads({literal}))\n"),
            sources: self.sources.clone(),
            collect: vec![PathBuf::from(RESULTS_FILE)],
        })
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

/// The runner with the parts that tests of `kinds` need (importing doctest
/// is most of an interpreter's start-up).
fn prelude(kinds: &[SnippetKind]) -> String {
    let parts = [(SnippetKind::Doctest, DOCTEST_PRELUDE), (SnippetKind::UnitTest, UNITTEST_PRELUDE), (SnippetKind::Pytest, PYTEST_PRELUDE)];
    let mut prelude = RUNNER.to_owned();
    for (kind, part) in parts {
        if kinds.contains(&kind) {
            prelude.push('\n');
            prelude.push_str(part);
        }
    }
    prelude
}

/// Whether a run of these snippets needs an interpreter with pytest.
fn needs_pytest<'a>(mut snippets: impl Iterator<Item = &'a Snippet>) -> bool {
    snippets.any(|snippet| snippet.kind == SnippetKind::Pytest)
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
