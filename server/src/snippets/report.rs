//! Turning the runner's JSON lines and the run's outcome into results in
//! workspace terms, and rendering them for people.

use std::collections::{HashMap, HashSet};
use std::fmt::Write as _;

use serde::Deserialize;

use super::{Status, TestResult};

/// One line the runner wrote: a test starting, or a test's result.
#[derive(Deserialize)]
struct Line {
    id: usize,
    #[serde(default)]
    started: bool,
    status: Option<Status>,
    #[serde(default)]
    duration_ms: f64,
    #[serde(default)]
    message: String,
    line: Option<usize>,
}

/// A test's own report.
pub(super) struct Reported {
    pub status: Status,
    pub duration_ms: f64,
    pub message: String,
    pub line: Option<usize>,
}

/// What one interpreter's run said about its tests (ids are the job's).
#[derive(Default)]
pub(super) struct Reports {
    pub finished: HashMap<usize, Reported>,
    pub started: HashSet<usize>,
}

/// Reads the runner's lines; a failure wins over a pass for the same test
/// (e.g. a teardown error after the call).
pub(super) fn parse(results: &str) -> Reports {
    let mut reports = Reports::default();
    for text in results.lines() {
        let Ok(line) = serde_json::from_str::<Line>(text) else {
            tracing::warn!("ignoring malformed runner output: {text:.200}");
            continue;
        };
        if line.started {
            reports.started.insert(line.id);
            continue;
        }
        let Some(status) = line.status else { continue };
        let keep_previous = reports.finished.get(&line.id).is_some_and(|previous| !previous.status.is_success());
        if !keep_previous {
            reports.finished.insert(line.id, Reported { status, duration_ms: line.duration_ms, message: line.message, line: line.line });
        }
    }
    reports
}

/// One line per test, then the message of each failure, indented.
pub fn format_text(results: &[TestResult]) -> String {
    let mut text = String::new();
    for result in results {
        let mark = if result.status.is_success() { "✓" } else { "✗" };
        let _ = writeln!(text, "{mark} {}:{} {} {} {:.0} ms", result.file.display(), result.place(), result.name, result.status.word(), result.duration_ms);
        if !result.status.is_success() && !result.message.is_empty() {
            for line in result.message.lines() {
                let _ = writeln!(text, "    {line}");
            }
        }
    }
    text
}

/// pytest's last line: `3 passed, 1 failed, 1 timeout in 2.41s`.
pub fn summary(results: &[TestResult], seconds: f64) -> String {
    format!("{} in {seconds:.2}s", counts(results))
}

/// How many tests ended how (only the statuses that occurred, in a fixed
/// order), or `no tests ran`.
pub fn counts(results: &[TestResult]) -> String {
    let counts: Vec<String> = Status::ALL
        .iter()
        .filter_map(|status| {
            let count = results.iter().filter(|result| result.status == *status).count();
            // pytest's words: `1 error`, `2 errors` (the others do not change).
            let word = if *status == Status::Error && count != 1 { "errors" } else { status.word() };
            (count > 0).then(|| format!("{count} {word}"))
        })
        .collect();
    if counts.is_empty() { "no tests ran".to_owned() } else { counts.join(", ") }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::snippets::SnippetKind;

    fn ended(status: Status) -> TestResult {
        TestResult {
            name: "t".to_owned(),
            kind: SnippetKind::Function,
            file: "a.py".into(),
            line: 1,
            status,
            duration_ms: 0.0,
            message: String::new(),
            failure_line: None,
            cell: None,
            failure_cell: None,
        }
    }

    #[test]
    fn counts_say_what_pytest_says() {
        let results = [ended(Status::Passed), ended(Status::Passed), ended(Status::Error), ended(Status::Error), ended(Status::Failed)];
        assert_eq!(counts(&results), "2 passed, 1 failed, 2 errors");
        // Must not: one error stays singular, and so do the other words.
        assert_eq!(counts(&[ended(Status::Error), ended(Status::Skipped), ended(Status::Skipped)]), "1 error, 2 skipped");
        assert_eq!(counts(&[]), "no tests ran");
    }
}
