//! `pyloom test PATH[:LINE]` and `pyloom sandbox install`.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result};

use super::{SnippetRunner, TestRequest, format_text, import_root};
use crate::settings;

/// Splits `PATH[:LINE]`; a trailing `:N` only counts as a line when the
/// whole string is not itself an existing path.
pub fn parse_target(target: &str) -> (PathBuf, Option<usize>) {
    if !Path::new(target).exists() {
        if let Some((path, line)) = target.rsplit_once(':') {
            if let Ok(line) = line.parse::<usize>() {
                return (PathBuf::from(path), Some(line.max(1)));
            }
        }
    }
    (PathBuf::from(target), None)
}

/// Runs the snippet tests at `target`; exit 0 when all pass, 1 when any
/// does not, 2 when they could not be run.
pub fn test(target: &str, json: bool) -> ExitCode {
    match run_test(target, json) {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(error) => {
            eprintln!("pyloom: {error:#}");
            ExitCode::from(2)
        }
    }
}

fn run_test(target: &str, json: bool) -> Result<bool> {
    let (file, line) = parse_target(target);
    let source = std::fs::read_to_string(&file).with_context(|| format!("reading {}", file.display()))?;
    let (layers, mut warnings) = settings::workspace_layers(&import_root(&file.canonicalize().unwrap_or_else(|_| file.clone())));
    let resolved = settings::resolve(&layers);
    warnings.extend(resolved.warnings);
    for warning in warnings {
        eprintln!("pyloom: warning: {warning}");
    }
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build()?;
    let results = runtime.block_on(async {
        let runner = SnippetRunner::new(&resolved.settings.sandbox, false)?;
        runner.run(&TestRequest { file: file.clone(), source, line }).await
    })?;
    if json {
        println!("{}", serde_json::to_string_pretty(&results)?);
    } else {
        print!("{}", format_text(&results));
    }
    let passed = results.iter().filter(|result| result.status.is_success()).count();
    eprintln!("pyloom: {passed} of {} snippet tests passed", results.len());
    Ok(passed == results.len())
}

/// Fetches, verifies and caches the interpreter and pytest, then compiles
/// the interpreter once so the first keystroke does not pay for it.
pub fn install() -> ExitCode {
    match run_install() {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("pyloom: sandbox install failed: {error:#}");
            ExitCode::from(2)
        }
    }
}

fn run_install() -> Result<()> {
    let layout = sandbox_wasi::Layout::new(sandbox_wasi::cache_root()?);
    layout.install(|message| eprintln!("pyloom: {message}"))?;
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
    let runner = runtime.block_on(async { SnippetRunner::new(&Default::default(), false) })?;
    let (source, elapsed) = runner.sandbox.module_load();
    eprintln!("pyloom: compiled interpreter {source:?} in {} ms", elapsed.as_millis());
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_may_carry_a_line() {
        assert_eq!(parse_target("no/such/file.py:12"), (PathBuf::from("no/such/file.py"), Some(12)));
        assert_eq!(parse_target("no/such/file.py"), (PathBuf::from("no/such/file.py"), None));
        assert_eq!(parse_target("no/such/file.py:x"), (PathBuf::from("no/such/file.py:x"), None));
    }
}
