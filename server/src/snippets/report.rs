//! Turning the runner's JSON lines and the run's outcome into results in
//! workspace terms, and rendering them for people.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::Path;

use sandbox_wasi::{GUEST_SOURCES, Outcome, RunOutput};
use serde::Deserialize;

use super::{Snippet, Status, TestResult, unreported};

/// One line the runner wrote.
#[derive(Deserialize)]
struct Reported {
    id: usize,
    status: Status,
    duration_ms: f64,
    message: String,
    line: Option<usize>,
}

/// Every selected snippet gets a result: its own report if it made one
/// (a failure wins over a pass, e.g. a teardown error after the call), else
/// the run's outcome (timeout, limits, crash).
pub(super) fn assemble(selected: &[Snippet], file: &Path, root: &Path, results: &str, output: &RunOutput) -> Vec<TestResult> {
    let mut reported: HashMap<usize, Reported> = HashMap::new();
    for line in results.lines() {
        let Ok(entry) = serde_json::from_str::<Reported>(line) else {
            tracing::warn!("ignoring malformed runner output: {line:.200}");
            continue;
        };
        let keep_previous = reported.get(&entry.id).is_some_and(|previous| !previous.status.is_success());
        if !keep_previous {
            reported.insert(entry.id, entry);
        }
    }
    let guest_prefix = format!("\"{GUEST_SOURCES}/");
    let host_prefix = format!("\"{}/", root.display());
    selected
        .iter()
        .enumerate()
        .map(|(id, snippet)| {
            let (status, duration_ms, message, failure_line) = match reported.remove(&id) {
                Some(entry) => (entry.status, entry.duration_ms, entry.message, entry.line),
                None => {
                    let (status, message) = unreported(&output.outcome, &output.stderr);
                    let elapsed = if matches!(output.outcome, Outcome::Exited(_)) { 0.0 } else { output.duration.as_secs_f64() * 1000.0 };
                    (status, elapsed, message, None)
                }
            };
            TestResult {
                name: if snippet.name.is_empty() { "<module>".to_owned() } else { snippet.name.clone() },
                kind: snippet.kind,
                file: file.to_path_buf(),
                line: snippet.line,
                status,
                duration_ms,
                // Tracebacks name guest paths; show the user's files instead.
                message: message.replace(&guest_prefix, &host_prefix),
                failure_line,
            }
        })
        .collect()
}

/// One line per test, then the message of each failure, indented.
pub fn format_text(results: &[TestResult]) -> String {
    let mut text = String::new();
    for result in results {
        let mark = if result.status.is_success() { "✓" } else { "✗" };
        let status = serde_json::to_value(result.status).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default();
        let at = result.failure_line.unwrap_or(result.line);
        let _ = writeln!(text, "{mark} {}:{at} {} {status} {:.0} ms", result.file.display(), result.name, result.duration_ms);
        if !result.status.is_success() && !result.message.is_empty() {
            for line in result.message.lines() {
                let _ = writeln!(text, "    {line}");
            }
        }
    }
    text
}
