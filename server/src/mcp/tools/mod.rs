//! The tools: their names, descriptions and argument schemas, and one
//! dispatch that checks the arguments and runs the tool. Each tool answers
//! JSON; a bad argument or a refusal is a [`ToolError`] the agent reads.

mod check;
mod context;
mod navigate;
mod rename;
mod target;
mod tests;

use std::sync::{Arc, OnceLock};

use rmcp::model::{JsonObject, Tool, ToolAnnotations};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::context::NameCounts;
use crate::graph::Graph;
use crate::live::Workspace;

/// Why a tool could not answer, in words an agent can act on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ToolError(pub String);

impl ToolError {
    pub fn new(reason: impl Into<String>) -> Self {
        Self(reason.into())
    }
}

/// What a tool call runs in: the workspace and its graph as the disk is.
pub struct Call {
    pub ws: Arc<Workspace>,
    pub graph: Arc<Graph>,
    /// The graph's name counts, for `context`; built on first use.
    pub names: Arc<OnceLock<NameCounts>>,
}

/// A tool: what `tools/list` says of it.
struct Spec {
    name: &'static str,
    description: &'static str,
    schema: fn() -> Result<Arc<JsonObject>, String>,
    /// Whether it changes nothing (`rename` with `apply` writes files).
    read_only: bool,
}

fn schema<T: schemars::JsonSchema + 'static>() -> Result<Arc<JsonObject>, String> {
    rmcp::handler::server::common::schema_for_input::<T>()
}

const SPECS: &[Spec] = &[
    Spec {
        name: "find_symbol",
        description: "Find workspace symbols (modules, classes, functions, methods, variables) by name: exact names and qualified-name tails first (`Cart.total`), then fuzzy matches. Each with its kind, file, line and the line's text.",
        schema: schema::<navigate::FindSymbolArgs>,
        read_only: true,
    },
    Spec {
        name: "definition",
        description: "Where the name at a place (file, line, column) or a symbol is defined: file, line, column and the line's text; a name from a library is told by its dotted path and the library file.",
        schema: schema::<navigate::TargetArgs>,
        read_only: true,
    },
    Spec {
        name: "references",
        description: "Every use of a workspace symbol across the workspace (the resolver's answer, not a text search), with the enclosing symbol and the line's text. Paged.",
        schema: schema::<navigate::ReferencesArgs>,
        read_only: true,
    },
    Spec {
        name: "callers",
        description: "The functions that call a workspace function, method or class, with each call site (file, line, column, the line's text). Paged.",
        schema: schema::<navigate::PagedTargetArgs>,
        read_only: true,
    },
    Spec {
        name: "callees",
        description: "What a workspace function or method calls, with each call site in it; library functions by dotted name. Paged.",
        schema: schema::<navigate::PagedTargetArgs>,
        read_only: true,
    },
    Spec {
        name: "impact",
        description: "What changing a symbol may affect: everything that depends on it transitively (calls, references, imports, inherits), nearest first, and the tests among them. Paged.",
        schema: schema::<navigate::ImpactArgs>,
        read_only: true,
    },
    Spec {
        name: "context",
        description: "The code context pyloom gives a model for a place or symbol, within a token budget: the target, what it uses and what uses it, then signatures of the next ring.",
        schema: schema::<context::ContextArgs>,
        read_only: true,
    },
    Spec {
        name: "check",
        description: "The findings of a Python file (syntax errors, lint, security, and checks against the workspace graph: unresolved names, calls that do not fit their signatures). Pass `content` to check a proposed new text before writing it; nothing is written. Paged.",
        schema: schema::<check::CheckArgs>,
        read_only: true,
    },
    Spec {
        name: "rename",
        description: "Rename a workspace symbol everywhere: the exact edits (file, line, column, old and new text), or the refusal with its reason (a clash, a name that is not an identifier, a library symbol). Only writes the files when `apply` is true.",
        schema: schema::<rename::RenameArgs>,
        read_only: false,
    },
    Spec {
        name: "run_tests",
        description: "Run the snippet tests (doctests, test functions, unittest and pytest tests) of a function, file or folder in pyloom's WASI sandbox (no network, no environment, bounded time and memory): each test's outcome and failure output. Needs `pyloom sandbox install` once.",
        schema: schema::<tests::RunTestsArgs>,
        read_only: true,
    },
    Spec {
        name: "explain",
        description: "What pyloom knows of the name at a place or of a symbol (the editor's hover): signature, docstring, inferred type, where it is defined, callers and impact.",
        schema: schema::<navigate::TargetArgs>,
        read_only: true,
    },
];

/// The tools, for `tools/list`.
pub fn list() -> Vec<Tool> {
    SPECS
        .iter()
        .filter_map(|spec| match (spec.schema)() {
            Ok(schema) => {
                let annotations = ToolAnnotations::new().read_only(spec.read_only).destructive(false);
                Some(Tool::new(spec.name, spec.description, schema).with_annotations(annotations))
            }
            Err(error) => {
                tracing::error!(tool = spec.name, "no schema, left out: {error}");
                None
            }
        })
        .collect()
}

/// Runs the tool `name` with `arguments`.
pub async fn call(name: &str, call: Call, arguments: JsonObject) -> Result<Value, ToolError> {
    let spec = SPECS.iter().find(|s| s.name == name).ok_or_else(|| {
        let names: Vec<&str> = SPECS.iter().map(|s| s.name).collect();
        ToolError::new(format!("no tool is named `{name}`; the tools are {}", names.join(", ")))
    })?;
    check_names(spec, &arguments)?;
    if name == "run_tests" {
        return tests::run(&call, parse(arguments)?).await;
    }
    let name = spec.name;
    // The graph queries are synchronous and some walk much of it.
    let answer = tokio::task::spawn_blocking(move || match name {
        "find_symbol" => navigate::find_symbol(&call, parse(arguments)?),
        "definition" => navigate::definition(&call, parse(arguments)?),
        "references" => navigate::references(&call, parse(arguments)?),
        "callers" => navigate::callers(&call, parse(arguments)?),
        "callees" => navigate::callees(&call, parse(arguments)?),
        "impact" => navigate::impact(&call, parse(arguments)?),
        "explain" => navigate::explain(&call, parse(arguments)?),
        "context" => context::context(&call, parse(arguments)?),
        "check" => check::check(&call, parse(arguments)?),
        "rename" => rename::rename(&call, parse(arguments)?),
        _ => Err(ToolError::new(format!("`{name}` is listed but not served"))),
    });
    answer.await.unwrap_or_else(|error| {
        tracing::error!(tool = name, "failed: {error}");
        Err(ToolError::new(format!("{name} failed inside pyloom (logged); the server goes on")))
    })
}

/// Arguments the schema does not know are refused by name: a misspelt one
/// would otherwise be ignored silently.
fn check_names(spec: &Spec, arguments: &JsonObject) -> Result<(), ToolError> {
    let schema = (spec.schema)().map_err(ToolError::new)?;
    let known = schema.get("properties").and_then(Value::as_object);
    let unknown: Vec<&str> = arguments.keys().map(String::as_str).filter(|key| !known.is_some_and(|k| k.contains_key(*key))).collect();
    if unknown.is_empty() {
        return Ok(());
    }
    let known: Vec<&str> = known.into_iter().flat_map(|k| k.keys().map(String::as_str)).collect();
    Err(ToolError::new(format!("{} does not take {}; it takes {}", spec.name, quoted(&unknown), quoted(&known))))
}

fn quoted(names: &[&str]) -> String {
    names.iter().map(|n| format!("`{n}`")).collect::<Vec<_>>().join(", ")
}

fn parse<T: DeserializeOwned>(arguments: JsonObject) -> Result<T, ToolError> {
    serde_json::from_value(Value::Object(arguments)).map_err(|e| ToolError::new(format!("bad arguments: {e}")))
}

/// An answer as JSON.
fn answer(value: impl Serialize) -> Result<Value, ToolError> {
    serde_json::to_value(value).map_err(|e| ToolError::new(format!("the answer could not be written as JSON: {e}")))
}
