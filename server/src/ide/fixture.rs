//! Test fixtures: multi-file workspaces written inline (`//- /path` starts
//! a file) with a `$0` cursor marker, as the graph's own tests write them.

use std::path::PathBuf;
use std::sync::Arc;

use crate::graph::{FileId, FileInput, Graph, Library};

pub const ROOT: &str = "/ws";
/// Files under this folder stand in for the standard library's stubs.
const STUBS: &str = "/ws/typeshed/";
/// Files under this folder stand in for the environment's site-packages.
const SITE: &str = "/ws/site-packages/";

/// The graph of the fixture's files, the cursor's file and offset.
pub fn graph(fixture: &str) -> (Graph, FileId, u32) {
    let mut inputs = Vec::new();
    let mut stubs = Vec::new();
    let mut site = Vec::new();
    let mut cursor = None;
    for chunk in fixture.split("//- ").filter(|c| !c.trim().is_empty()) {
        let (path, text) = chunk.split_once('\n').unwrap_or((chunk, ""));
        let path = PathBuf::from(format!("{ROOT}{}", path.trim()));
        let mut text = trim_indent(text);
        if let Some(at) = text.find("$0") {
            cursor = Some((path.clone(), at as u32));
            text = text.replacen("$0", "", 1);
        }
        if let Ok(stub) = path.strip_prefix(STUBS) {
            stubs.push((stub.display().to_string(), text));
        } else if let Ok(installed) = path.strip_prefix(SITE) {
            site.push((installed.display().to_string(), text));
        } else {
            inputs.push(FileInput { path, text: Arc::from(text.as_str()), summary: None });
        }
    }
    let library = (!stubs.is_empty() || !site.is_empty()).then(|| Arc::new(Library::in_memory(stubs, site)));
    let graph = Graph::build(vec![PathBuf::from(ROOT)], inputs, library);
    let (path, offset) = cursor.expect("the fixture has a $0 cursor");
    let file = graph.file_id(&path).expect("the cursor's file is indexed");
    (graph, file, offset)
}

fn trim_indent(text: &str) -> String {
    let indent = text.lines().filter(|l| !l.trim().is_empty()).map(|l| l.len() - l.trim_start().len()).min().unwrap_or(0);
    text.lines().map(|l| l.get(indent..).unwrap_or("")).collect::<Vec<_>>().join("\n") + "\n"
}
