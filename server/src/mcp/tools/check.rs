//! The findings of a file, or of a proposed new text for it.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::target::line_of;
use super::{Call, ToolError, answer};
use crate::findings::{self, Category, Finding, Severity};
use crate::mcp::paging::Page;

#[derive(Debug, Deserialize, JsonSchema)]
pub struct CheckArgs {
    /// A Python file of the workspace (relative to its root); it need not
    /// exist yet when `content` is given.
    pub file: String,
    /// The text to check instead of the file's: a proposed edit, checked
    /// against the rest of the workspace before it is written.
    pub content: Option<String>,
    #[serde(flatten)]
    pub page: Page,
}

#[derive(Debug, Serialize)]
struct Located {
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
    code: String,
    severity: Severity,
    category: Category,
    message: String,
    /// What its automatic fix does, when it has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    fix: Option<String>,
}

pub fn check(call: &Call, args: CheckArgs) -> Result<Value, ToolError> {
    let ws = &call.ws;
    let path = ws.path_inside(&args.file).map_err(ToolError::new)?;
    if !matches!(path.extension().and_then(|e| e.to_str()), Some("py" | "pyi")) {
        return Err(ToolError::new(format!("{}: only Python files (.py, .pyi) are checked", args.file)));
    }
    let max_bytes = ws.settings().files.max_file_bytes;
    let config = ws.configs().for_file(&path);
    let graph = &call.graph;
    let (text, findings) = match args.content {
        Some(content) => {
            if content.len() > max_bytes {
                return Err(ToolError::new(format!("the content is larger than files.max_file_bytes ({max_bytes} bytes)")));
            }
            // Checked in a copy of the graph holding the proposed text: its
            // names and calls are checked against the workspace as it is.
            let proposed = graph.with_texts([(path.as_path(), content.as_str())]);
            let in_graph = proposed.file_id(&path).map(|id| (&proposed, id));
            let findings = findings::check_source(&path, &content, &config, in_graph);
            (content, findings)
        }
        None => match graph.file_id(&path) {
            Some(id) => {
                let text = graph.file(id).map(|f| f.text().to_string()).unwrap_or_default();
                let findings = findings::check_source(&path, &text, &config, Some((graph, id)));
                (text, findings)
            }
            // Excluded from the index: checked on its own.
            None => {
                let text = crate::index::read_source(&path, max_bytes).map_err(ToolError::new)?;
                let findings = findings::check_source(&path, &text, &config, None);
                (text, findings)
            }
        },
    };
    let located: Vec<Located> = findings.into_iter().map(|finding| locate(&text, finding)).collect();
    answer(args.page.of(located)?)
}

fn locate(text: &str, finding: Finding) -> Located {
    let (line, column, _) = line_of(text, finding.range.start);
    let (end_line, end_column, _) = line_of(text, finding.range.end);
    Located {
        line,
        column,
        end_line,
        end_column,
        code: finding.code,
        severity: finding.severity,
        category: finding.category,
        message: finding.message,
        fix: finding.fix.map(|fix| fix.message),
    }
}
