//! The `pyloom` command line: the language server and the same analysis for
//! scripts and CI.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

use pyloom::graph::explain;
use pyloom::{actions, check, index, inline, llm, logging, settings, snippets};

// ruff's rules allocate heavily; glibc's malloc took ~10% of `check`.
// mimalloc, counting for `pyloom graph --memory` when asked.
#[global_allocator]
static GLOBAL: pyloom::memory::Allocator = pyloom::memory::Allocator;

/// Keeps the memory mimalloc frees for the rest of the process instead of
/// returning it to the system 10 ms later (its default). A one-shot check
/// frees each file's tree and passes and at once allocates the next
/// file's: the returned pages faulted in again, 54,000 page faults on
/// Django against 45,600 without returning (peak RSS 202 -> 207 MB). Not
/// for the server, whose memory must go back after a burst.
fn keep_freed_memory() {
    // mimalloc v2's `mi_option_set` and `mi_option_purge_delay` (the 16th
    // option of `mi_option_t` in its mimalloc.h); -1 is "never purge".
    unsafe extern "C" {
        fn mi_option_set(option: std::ffi::c_int, value: std::ffi::c_long);
    }
    const PURGE_DELAY: std::ffi::c_int = 15;
    // SAFETY: setting an option is allowed at any time; mimalloc reads the
    // purge delay each time it schedules a purge.
    unsafe { mi_option_set(PURGE_DELAY, -1) }
}

#[derive(Parser)]
#[command(name = "pyloom", version, about = "A Python language server built on a live dependency graph")]
struct Cli {
    /// Log level when PYLOOM_LOG is not set (error, warn, info, debug, trace).
    #[arg(long, global = true, default_value = "info")]
    log_level: String,
    /// Write logs to this file instead of stderr.
    #[arg(long, global = true)]
    log_file: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run the language server on stdin/stdout.
    Serve,
    /// Run the MCP server for coding agents on stdin/stdout: the graph, the
    /// checks and the sandbox as tools, kept current with the files on disk.
    Mcp {
        /// The workspace folder.
        #[arg(default_value = ".")]
        root: PathBuf,
    },
    /// Report findings for Python files and folders; exits 1 when there are any.
    Check {
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
        /// Skip the checks against the workspace graph (and indexing it).
        #[arg(long)]
        no_graph: bool,
        /// The least confidence of the security findings shown (default:
        /// the `lint.confidence` setting, `medium`); `low` shows them all.
        #[arg(long, value_enum)]
        confidence: Option<ShownConfidence>,
        /// Do not read or write the cache of files' results (checks every
        /// file afresh, as `ruff check --no-cache`).
        #[arg(long)]
        no_cache: bool,
    },
    /// Print the hover explanation of the name at FILE:LINE:COL (1-based).
    Explain {
        position: index::commands::FilePosition,
        /// The workspace folder (default: the file's project root).
        #[arg(long)]
        root: Option<PathBuf>,
        /// Do not read or write the summary cache.
        #[arg(long)]
        no_cache: bool,
        /// `markdown` (what an editor shows) or `text`; default: text on a
        /// terminal, Markdown when piped.
        #[arg(long, value_enum)]
        format: Option<ExplainFormat>,
    },
    /// Index a folder and print graph statistics.
    Graph {
        path: PathBuf,
        /// Do not read or write the summary cache.
        #[arg(long)]
        no_cache: bool,
        /// Also print what each part of the graph holds on the heap (KiB),
        /// measured by freeing it part by part.
        #[arg(long)]
        memory: bool,
        /// Instead, measure one-keystroke updates of this file and hover and
        /// definition latency (for bench/graph).
        #[arg(long, value_name = "FILE")]
        measure_edits_in: Option<PathBuf>,
        /// Edits and queries to measure.
        #[arg(long, default_value_t = 300)]
        samples: usize,
        /// Instead, print where each FILE:LINE:COL line of this file goes to
        /// by definition (for bench/graph's comparison with jedi).
        #[arg(long, value_name = "POSITIONS")]
        resolve_positions: Option<PathBuf>,
    },
    /// Run the snippet tests (doctests, test functions, unittest, pytest) in
    /// a file, or the one at LINE, in the WASI sandbox; exits 1 if any fails.
    Test {
        /// Files, folders (discovered like pytest) or FILE:LINE
        #[arg(required = true)]
        targets: Vec<String>,
        /// Only the tests whose names match this expression (pytest's `-k`)
        #[arg(short = 'k', value_name = "EXPRESSION")]
        keyword: Option<String>,
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Manage the WASI Python sandbox.
    Sandbox {
        #[command(subcommand)]
        command: SandboxCommand,
    },
    /// The Python environment whose standard library and packages a folder's
    /// names outside the workspace resolve in, as the server finds it.
    Environment {
        #[arg(default_value = ".")]
        path: PathBuf,
    },
    /// The standard library's type stubs that type inference reads.
    Stubs {
        #[command(subcommand)]
        command: StubsCommand,
    },
    /// Print the context a model would get for FILE:LINE (the token account goes to stderr).
    Context {
        /// FILE:LINE, the line 1-based (FILE:LINE:COL with --fim).
        location: String,
        /// Total tokens (context, instructions and answer); default: context.budget (2000 with --fim).
        #[arg(long)]
        budget: Option<usize>,
        /// The graph context an inline completion at FILE:LINE:COL puts ahead of the prefix.
        #[arg(long)]
        fim: bool,
        #[command(flatten)]
        provider: llm::cli::ProviderArgs,
    },
    /// Count the tokens of stdin as the configured model's context is counted.
    Tokens {
        /// Instead, print the longest run of whole lines of stdin within this many tokens.
        #[arg(long, value_name = "TOKENS")]
        fit: Option<usize>,
        #[command(flatten)]
        provider: llm::cli::ProviderArgs,
    },
    /// Print the checked inline completion at FILE:LINE:COL (1-based).
    Complete(inline::cli::CompleteArgs),
    /// Refactor the workspace: prints the diff; `--apply` writes it. Exits 1
    /// when the refactoring is refused (not safe; the reason is printed,
    /// nothing written), 2 on bad input or an I/O error.
    Refactor {
        #[command(subcommand)]
        command: RefactorCommand,
    },
    /// Use the configured language model.
    Llm {
        #[command(subcommand)]
        command: LlmCommand,
    },
}

#[derive(Subcommand)]
enum SandboxCommand {
    /// Download and verify componentize-py and pytest; build and compile the interpreter component.
    Install,
}

#[derive(Subcommand)]
enum RefactorCommand {
    /// Give the function defined on FILE:LINE new parameters, e.g.
    /// "(self, qty, sku, currency='EUR')": every call of it follows
    /// (arguments keep their parameter by name, a new name at an old one's
    /// place renames it; a new one needs a default, or --model).
    Signature {
        location: String,
        parameters: String,
        /// Write the edits.
        #[arg(long)]
        apply: bool,
        /// Ask the workspace's model (`llm.*` settings) for the argument of
        /// each new parameter without a default at every call, each checked there.
        #[arg(long)]
        model: bool,
    },
    /// Extract the expression from FILE:LINE:COL to LINE:COL (1-based, the
    /// end exclusive) into a variable on a line of its own before its
    /// statement; with --function, the statements or the expression there
    /// into a new function, called in their place.
    Extract {
        from: index::commands::FilePosition,
        /// LINE:COL where the selection ends (exclusive).
        to: String,
        /// The new name (default: one derived from the expression, or
        /// `extracted` for a function).
        #[arg(long)]
        name: Option<String>,
        /// Extract into a function (parameters and return values from the
        /// data flow) instead of a variable.
        #[arg(long)]
        function: bool,
        /// Write the edit.
        #[arg(long)]
        apply: bool,
    },
    /// Move the top-level function or class defined on FILE:LINE to the end
    /// of the module TARGET (a .py file, created when missing): its imports
    /// follow it, every importer is updated.
    Move {
        location: String,
        target: PathBuf,
        /// Write the edits.
        #[arg(long)]
        apply: bool,
    },
    /// Inline the variable named at FILE:LINE:COL (1-based): each read
    /// takes its assigned expression and the assignment goes.
    Inline {
        at: index::commands::FilePosition,
        /// Write the edit.
        #[arg(long)]
        apply: bool,
    },
    /// Rename or move a module (a .py file) or a package (a folder): every
    /// import, dotted reference and dotted-path string of it follows.
    RenameModule {
        from: PathBuf,
        to: PathBuf,
        /// Write the edits and move the file or folder.
        #[arg(long)]
        apply: bool,
        /// The workspace folder (default: the project root of FROM).
        #[arg(long)]
        root: Option<PathBuf>,
    },
}

#[derive(Subcommand)]
enum StubsCommand {
    /// Download, verify and cache typeshed's standard-library stubs (idempotent).
    Install,
}

#[derive(Subcommand)]
enum LlmCommand {
    /// Answer a question about the code at FILE:LINE, streamed to stdout.
    Ask {
        /// FILE:LINE, the line 1-based.
        location: String,
        question: String,
        #[arg(long)]
        budget: Option<usize>,
        #[command(flatten)]
        provider: llm::cli::ProviderArgs,
    },
    #[command(flatten)]
    Action(actions::cli::ActionCommand),
}

#[derive(Clone, Copy, ValueEnum)]
enum ExplainFormat {
    Markdown,
    Text,
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Text,
    Json,
}

#[derive(Clone, Copy, ValueEnum)]
enum ShownConfidence {
    Low,
    Medium,
    High,
}

impl From<ShownConfidence> for pyloom::findings::Confidence {
    fn from(shown: ShownConfidence) -> Self {
        match shown {
            ShownConfidence::Low => Self::Low,
            ShownConfidence::Medium => Self::Medium,
            ShownConfidence::High => Self::High,
        }
    }
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() { ExitCode::from(2) } else { ExitCode::SUCCESS };
        }
    };
    if let Err(e) = logging::init(&cli.log_level, cli.log_file.as_deref(), matches!(cli.command, Command::Serve | Command::Mcp { .. })) {
        eprintln!("pyloom: cannot set up logging: {e:#}");
        return ExitCode::from(2);
    }
    match cli.command {
        Command::Serve => serve(),
        Command::Mcp { root } => mcp(&root),
        Command::Check { paths, format, no_graph, confidence, no_cache } => run_check(&paths, format, no_graph, no_cache, confidence.map(Into::into)),
        Command::Explain { position, root, no_cache, format } => match index::commands::explain(&position, root.as_deref(), no_cache) {
            Ok(Some(markdown)) => {
                let text = match format {
                    Some(ExplainFormat::Markdown) => markdown,
                    Some(ExplainFormat::Text) => explain::plain_text(&markdown),
                    None if std::io::stdout().is_terminal() => explain::plain_text(&markdown),
                    None => markdown,
                };
                pyloom::stdout::print(&text);
                ExitCode::SUCCESS
            }
            Ok(None) => {
                eprintln!("pyloom: nothing to explain at {}:{}:{}", position.file.display(), position.line, position.column);
                ExitCode::FAILURE
            }
            Err(e) => {
                eprintln!("pyloom: {e}");
                ExitCode::from(2)
            }
        },
        Command::Graph { path, no_cache, memory, measure_edits_in, samples, resolve_positions } => {
            let output = match (measure_edits_in, resolve_positions) {
                (Some(file), _) => index::commands::measure(&path, &file, samples),
                (None, Some(positions)) => index::commands::resolve_positions(&path, &positions),
                (None, None) => index::commands::graph_stats(&path, no_cache, memory),
            };
            print_or_fail(output)
        }
        Command::Environment { path } => print_or_fail(index::commands::environment(&path)),
        Command::Refactor { command: RefactorCommand::Signature { location, parameters, apply, model } } => {
            let ask: &index::refactor::Ask = &llm::cli::answer;
            print_or_refuse(index::refactor::signature(&location, &parameters, apply, model.then_some(ask)))
        }
        Command::Refactor { command: RefactorCommand::Extract { from, to, name, function, apply } } => {
            print_or_refuse(index::refactor::extract(&from, &to, name.as_deref(), function, apply))
        }
        Command::Refactor { command: RefactorCommand::Move { location, target, apply } } => {
            print_or_refuse(index::refactor::move_symbol(&location, &target, apply))
        }
        Command::Refactor { command: RefactorCommand::Inline { at, apply } } => print_or_refuse(index::refactor::inline(&at, apply)),
        Command::Refactor { command: RefactorCommand::RenameModule { from, to, apply, root } } => {
            print_or_refuse(index::refactor::rename_module(&from, &to, root.as_deref(), apply))
        }
        Command::Test { targets, keyword, format } => snippets::cli::test(&targets, keyword.as_deref(), matches!(format, Format::Json)),
        Command::Sandbox { command: SandboxCommand::Install } => snippets::cli::install(),
        Command::Stubs { command: StubsCommand::Install } => match index::typeshed::install(|message| eprintln!("pyloom: {message}")) {
            Ok(_) => ExitCode::SUCCESS,
            Err(error) => {
                eprintln!("pyloom: stubs install failed: {error:#}");
                ExitCode::from(2)
            }
        },
        Command::Complete(args) => inline::cli::run(&args),
        Command::Context { location, budget, fim, provider } => llm::cli::run_context(&location, budget, &provider, fim),
        Command::Tokens { fit, provider } => llm::cli::run_tokens(fit, &provider),
        Command::Llm { command: LlmCommand::Ask { location, question, budget, provider } } => llm::cli::run_ask(&location, &question, budget, &provider),
        Command::Llm { command: LlmCommand::Action(action) } => actions::cli::run(&action),
    }
}

fn print_or_fail(output: Result<String, String>) -> ExitCode {
    print_or_refuse(output.map_err(index::refactor::Failure::Failed))
}

/// The command's output, or why it gave none: exit code 1 for a
/// refactoring refused, 2 for a failure.
fn print_or_refuse(output: Result<String, index::refactor::Failure>) -> ExitCode {
    match output {
        Ok(text) => {
            pyloom::stdout::print(&text);
            ExitCode::SUCCESS
        }
        Err(failure) => {
            eprintln!("pyloom: {failure}");
            ExitCode::from(failure.exit_code())
        }
    }
}

/// The stack of the threads that parse and summarise files: ruff's
/// parser and the summary's visit recurse once per level of an
/// expression, and a valid file with a chain of 2,000 subscripts or `+`
/// overflowed the 2 MiB of a spawned thread (the main thread's 8 MiB, which
/// the one-shot commands use, holds it).
const WORKER_STACK: usize = 16 * 1024 * 1024;

/// rayon's pool with threads of [`WORKER_STACK`].
fn worker_pool() {
    // Built once; a second build (never made) would only report it exists.
    let _ = rayon::ThreadPoolBuilder::new().stack_size(WORKER_STACK).build_global();
}

/// A multi-threaded runtime, and rayon's pool, whose threads have
/// [`WORKER_STACK`].
fn runtime() -> std::io::Result<tokio::runtime::Runtime> {
    worker_pool();
    tokio::runtime::Builder::new_multi_thread().thread_stack_size(WORKER_STACK).enable_all().build()
}

fn serve() -> ExitCode {
    let runtime = match runtime() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("pyloom: cannot start the async runtime: {e}");
            return ExitCode::from(2);
        }
    };
    // The protocol: exit code 0 only if `shutdown` came before `exit`. The
    // server runs on a worker, not on the main thread `block_on` polls from:
    // its handlers analyse in place, and a valid file with a 2,800-term
    // `a + a + ...` overflowed the main thread's 8 MiB in a rename.
    let clean = runtime.block_on(async { tokio::spawn(pyloom::lsp::serve_stdio()).await.unwrap_or(false) });
    // Background tasks (debounced analysis, the client watcher) must not keep
    // the process alive after `exit`.
    runtime.shutdown_timeout(std::time::Duration::from_millis(100));
    if clean { ExitCode::SUCCESS } else { ExitCode::FAILURE }
}

fn mcp(root: &std::path::Path) -> ExitCode {
    // What follows a file's project from the working directory (a folder
    // with no `pyproject.toml` or `.git`: the snippet tests' imports) must
    // see the root the client named, wherever it started the server.
    let root = &root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    if root.is_dir()
        && let Err(e) = std::env::set_current_dir(root)
    {
        eprintln!("pyloom: cannot enter {}: {e}", root.display());
        return ExitCode::from(2);
    }
    let runtime = match runtime() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("pyloom: cannot start the async runtime: {e}");
            return ExitCode::from(2);
        }
    };
    let served = runtime.block_on(pyloom::mcp::serve_stdio(root));
    // The index thread and the sandbox's workers must not keep the process alive.
    runtime.shutdown_timeout(std::time::Duration::from_millis(100));
    match served {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("pyloom: {e}");
            ExitCode::from(2)
        }
    }
}

/// `1 file`, `2 files`.
fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

fn run_check(paths: &[PathBuf], format: Format, no_graph: bool, no_cache: bool, confidence: Option<pyloom::findings::Confidence>) -> ExitCode {
    keep_freed_memory();
    // Files are parsed and checked on rayon's threads: a deep expression
    // needs the stack the server's threads have.
    worker_pool();
    // A folder is its own workspace; a file belongs to its project.
    let root = match paths.first() {
        Some(p) if p.is_dir() => p.clone(),
        Some(p) => pyloom::project::project_root(p),
        None => PathBuf::from("."),
    };
    let config_root = paths.first().and_then(|p| if p.is_dir() { Some(p.as_path()) } else { p.parent() });
    let config_root = config_root.filter(|p| !p.as_os_str().is_empty()).unwrap_or(std::path::Path::new("."));
    // The settings and ruff's configuration are read while the folders are
    // walked: one after the other, they were a serial start of the run.
    // Both look each folder's configuration file up once between them.
    let config_files = pyloom::findings::ConfigFiles::default();
    let (files, (resolved, config, warnings)) = std::thread::scope(|scope| {
        let configuration = scope.spawn(|| {
            let (layers, mut warnings) = settings::workspace_layers(&root);
            let mut resolved = settings::resolve(&layers);
            warnings.append(&mut resolved.warnings);
            if let Some(confidence) = confidence {
                resolved.settings.lint.confidence = confidence;
            }
            let (config, config_warnings) = pyloom::findings::Configs::sharing(config_root, &resolved.settings.lint, config_files.clone());
            warnings.extend(config_warnings);
            (resolved, config, warnings)
        });
        // The walk reads ruff's `exclude` from the configurations on its
        // way (whatever pyloom's `lint` settings select: warned about once, above).
        let walked = pyloom::findings::Configs::sharing(config_root, &Default::default(), config_files.clone()).0;
        let files = check::python_files(paths, &walked);
        (files, configuration.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)))
    });
    let files = match files {
        Ok(files) => files,
        Err(e) => {
            eprintln!("pyloom: {e}");
            return ExitCode::from(2);
        }
    };
    for warning in warnings {
        eprintln!("pyloom: warning: {warning}");
    }
    // Module names are relative to the folder above the packages (checking
    // `django/` must not make `django/http` the module `http`).
    let graph_roots = (!no_graph).then(|| {
        let mut folder = std::path::absolute(&root).unwrap_or_else(|_| root.clone());
        while folder.join("__init__.py").is_file() && folder.pop() {}
        pyloom::graph::source_roots(&folder)
    });
    // The results of files checked before, in the workspace's cache.
    let cache = (resolved.settings.index.cache && !no_cache)
        .then(|| pyloom::store::Store::open_for_workspace(std::slice::from_ref(&root)))
        .and_then(|store| store.map_err(|e| eprintln!("pyloom: warning: check cache disabled: {e}")).ok())
        .map(std::sync::Arc::new);
    let check::Report { findings, hidden, .. } = check::check_files(&files, &resolved.settings, &config, graph_roots, cache);
    let output = match format {
        Format::Text => check::format_text(&findings),
        Format::Json => check::format_json(&findings),
    };
    pyloom::stdout::print(&output);
    let checked = count(files.len(), "file", "files");
    if findings.is_empty() {
        eprintln!("pyloom: {checked} checked, no findings");
    } else {
        eprintln!("pyloom: {checked} checked, {}", count(findings.len(), "finding", "findings"));
    }
    // What the confidence setting hid is said, not silently dropped (on
    // stderr with the summary: the JSON report stays a list of findings).
    if hidden > 0 {
        let least = resolved.settings.lint.confidence.as_str();
        eprintln!("pyloom: {} below {least} confidence hidden (--confidence low shows them)", count(hidden, "finding", "findings"));
    }
    if findings.is_empty() { ExitCode::SUCCESS } else { ExitCode::FAILURE }
}
