//! The `pyloom` command line: the language server and the same analysis for
//! scripts and CI.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

use pyloom::{check, logging, settings, snippets};

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
    /// Report findings for Python files and folders; exits 1 when there are any.
    Check {
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Run the snippet tests (doctests, test functions, unittest, pytest) in
    /// a file, or the one at LINE, in the WASI sandbox; exits 1 if any fails.
    Test {
        /// PATH or PATH:LINE
        target: String,
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Manage the WASI Python sandbox.
    Sandbox {
        #[command(subcommand)]
        command: SandboxCommand,
    },
}

#[derive(Subcommand)]
enum SandboxCommand {
    /// Download, verify and cache python.wasm and pytest; compile the interpreter.
    Install,
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Text,
    Json,
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() { ExitCode::from(2) } else { ExitCode::SUCCESS };
        }
    };
    if let Err(e) = logging::init(&cli.log_level, cli.log_file.as_deref()) {
        eprintln!("pyloom: cannot set up logging: {e:#}");
        return ExitCode::from(2);
    }
    match cli.command {
        Command::Serve => serve(),
        Command::Check { paths, format } => run_check(&paths, format),
        Command::Test { target, format } => snippets::cli::test(&target, matches!(format, Format::Json)),
        Command::Sandbox { command: SandboxCommand::Install } => snippets::cli::install(),
    }
}

fn serve() -> ExitCode {
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("pyloom: cannot start the async runtime: {e}");
            return ExitCode::from(2);
        }
    };
    // The protocol: exit code 0 only if `shutdown` came before `exit`.
    let clean = runtime.block_on(pyloom::lsp::serve_stdio());
    // Background tasks (debounced analysis, the client watcher) must not keep
    // the process alive after `exit`.
    runtime.shutdown_timeout(std::time::Duration::from_millis(100));
    if clean { ExitCode::SUCCESS } else { ExitCode::FAILURE }
}

fn run_check(paths: &[PathBuf], format: Format) -> ExitCode {
    let files = match check::python_files(paths) {
        Ok(files) => files,
        Err(e) => {
            eprintln!("pyloom: {e}");
            return ExitCode::from(2);
        }
    };
    let root = paths.first().filter(|p| p.is_dir()).cloned().unwrap_or_else(|| PathBuf::from("."));
    let (layers, mut warnings) = settings::workspace_layers(&root);
    let resolved = settings::resolve(&layers);
    warnings.extend(resolved.warnings);
    for warning in warnings {
        eprintln!("pyloom: warning: {warning}");
    }
    let findings = check::check_files(&files, &resolved.settings);
    let output = match format {
        Format::Text => check::format_text(&findings),
        Format::Json => serde_json::to_string_pretty(&findings).expect("findings serialize") + "\n",
    };
    print!("{output}");
    if findings.is_empty() {
        eprintln!("pyloom: {} files checked, no findings", files.len());
        ExitCode::SUCCESS
    } else {
        eprintln!("pyloom: {} files checked, {} findings", files.len(), findings.len());
        ExitCode::FAILURE
    }
}
