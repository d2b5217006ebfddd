//! run_tests: the snippet tests of a function, file or folder, run in the
//! WASI sandbox (the only place pyloom runs code).

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::target::{Target, line_of};
use super::{Call, ToolError, answer};
use crate::snippets::{Keywords, Status, collect, run_files};

#[derive(Debug, Deserialize, JsonSchema)]
pub struct RunTestsArgs {
    /// A function or class to run the tests of (its doctests, or the test
    /// itself); or `file` alone for all of a file's tests, a folder for
    /// all under it (found like pytest), `file` and `line` for the one
    /// test there.
    #[serde(flatten)]
    pub target: Target,
    /// Only the tests whose names match this expression (pytest's `-k`).
    pub keyword: Option<String>,
}

#[derive(Debug, Serialize)]
struct Outcome {
    name: String,
    file: String,
    line: usize,
    status: Status,
    duration_ms: f64,
    /// The assertion with its values, the traceback, or the limit hit.
    #[serde(skip_serializing_if = "String::is_empty")]
    message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    failure_line: Option<usize>,
}

#[derive(Debug, Serialize)]
struct Answer {
    passed: usize,
    /// Failed, or stopped by an error or a limit.
    failed: usize,
    skipped: usize,
    tests: Vec<Outcome>,
    /// Files whose tests could not be run, and why.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    not_run: Vec<String>,
}

pub async fn run(call: &Call, args: RunTestsArgs) -> Result<Value, ToolError> {
    let ws = &call.ws;
    let keywords = args.keyword.as_deref().map(Keywords::parse).transpose().map_err(|e| ToolError::new(format!("keyword: {e:#}")))?;
    let target = match (&args.target.file, args.target.line, &args.target.symbol) {
        // A file or folder alone: every test in it.
        (Some(file), None, None) => (ws.path_inside(file).map_err(ToolError::new)?, None),
        // A module: every test in its file.
        (None, None, Some(_)) if let Some(module) = args.target.module_file(&call.graph) => {
            let entry = call.graph.file(module).ok_or_else(|| ToolError::new("the file left the workspace meanwhile; ask again"))?;
            (entry.path.clone(), None)
        }
        _ => {
            let graph = &call.graph;
            let place = args.target.resolve_place(ws, graph)?;
            let entry = graph.file(place.file).ok_or_else(|| ToolError::new("the file left the workspace meanwhile; ask again"))?;
            (entry.path.clone(), Some(line_of(entry.text(), place.offset as usize).0))
        }
    };
    if !target.0.exists() {
        return Err(ToolError::new(format!("{}: no such file or folder", ws.shown(&target.0))));
    }
    let (files, unreadable) = collect(std::slice::from_ref(&target), ws.settings(), keywords.as_ref()).map_err(|e| ToolError::new(format!("{e:#}")))?;
    if files.is_empty() && unreadable.is_empty() {
        return Err(ToolError::new(format!(
            "no snippet tests at {}{}: doctests, test functions, unittest and pytest tests are run",
            ws.shown(&target.0),
            target.1.map(|l| format!(":{l}")).unwrap_or_default()
        )));
    }
    let runner = ws.snippet_runner().await.map_err(|e| ToolError::new(format!("the sandbox cannot run tests: {e:#}")))?;
    let cores = std::thread::available_parallelism().map_or(1, usize::from);
    let outcomes = run_files(runner, &files, cores, |_, _| {}).await;
    let mut tests = Vec::new();
    // A notebook that is not one is reported, the other files still run.
    let mut not_run: Vec<String> = unreadable.iter().map(|r| format!("{}: {}", ws.shown(&r.file), r.message)).collect();
    for (file, outcome) in files.iter().zip(outcomes) {
        match outcome {
            Ok(results) => tests.extend(results.into_iter().map(|r| Outcome {
                name: r.name,
                file: ws.shown(&r.file),
                line: r.line,
                status: r.status,
                duration_ms: r.duration_ms,
                message: r.message,
                failure_line: r.failure_line,
            })),
            Err(error) => not_run.push(format!("{}: {error:#}", ws.shown(&file.file))),
        }
    }
    let count = |status: Status| tests.iter().filter(|t| t.status == status).count();
    let (passed, skipped) = (count(Status::Passed), count(Status::Skipped));
    answer(Answer { passed, failed: tests.len() - passed - skipped, skipped, tests, not_run })
}
