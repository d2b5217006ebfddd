//! Test fixtures: multi-file workspaces written inline (`//- /path` starts
//! a file) with a `$0` cursor marker, as the graph's own tests write them.

use std::path::PathBuf;
use std::sync::Arc;

use crate::graph::{FileId, FileInput, Graph};

pub const ROOT: &str = "/ws";

/// The graph of the fixture's files, the cursor's file and offset.
pub fn graph(fixture: &str) -> (Graph, FileId, u32) {
    let mut inputs = Vec::new();
    let mut cursor = None;
    for chunk in fixture.split("//- ").filter(|c| !c.trim().is_empty()) {
        let (path, text) = chunk.split_once('\n').unwrap_or((chunk, ""));
        let path = PathBuf::from(format!("{ROOT}{}", path.trim()));
        let mut text = trim_indent(text);
        if let Some(at) = text.find("$0") {
            cursor = Some((path.clone(), at as u32));
            text = text.replacen("$0", "", 1);
        }
        inputs.push(FileInput { path, text: Arc::from(text.as_str()), summary: None });
    }
    let graph = Graph::build(vec![PathBuf::from(ROOT)], inputs, None);
    let (path, offset) = cursor.expect("the fixture has a $0 cursor");
    let file = graph.file_id(&path).expect("the cursor's file is indexed");
    (graph, file, offset)
}

fn trim_indent(text: &str) -> String {
    let indent = text.lines().filter(|l| !l.trim().is_empty()).map(|l| l.len() - l.trim_start().len()).min().unwrap_or(0);
    text.lines().map(|l| l.get(indent..).unwrap_or("")).collect::<Vec<_>>().join("\n") + "\n"
}
