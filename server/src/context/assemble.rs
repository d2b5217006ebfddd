//! Assembly: a neighbourhood (from the workspace graph, or from the file
//! and its imports), ranked into levels, masked, packed into the budget.

use std::path::Path;

use super::neighbourhood::Neighbourhood;
use super::pack::{Packed, SectionAccount, Split, pack};
use super::tokens::TokenCounter;
use super::{ContextSettings, from_graph, local};
use crate::graph::{FileId, Graph};

pub use from_graph::NameCounts;

/// What would be sent, with its accounting.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Context {
    /// `shop/pricing.py:12 \`apply_discount\``
    pub target: String,
    pub packed: Packed,
    pub secrets_masked: usize,
    pub encoding: &'static str,
    pub margin_percent: u32,
}

impl Context {
    /// A per-section token account, for people.
    pub fn account(&self) -> String {
        let p = &self.packed;
        let section = |s: &SectionAccount| {
            let compressed = if s.compressed { ", compressed" } else { "" };
            format!("  {}: {} of {} tokens, {} included, {} left out{compressed}\n", s.name, s.used, s.budget, s.included, s.omitted)
        };
        format!(
            "context for {}: {} tokens of a {} budget ({}, {}% margin: {} usable)\n{}{}  reserve: {} tokens for instructions and the answer\n  secrets masked: {}\n",
            self.target,
            p.tokens,
            p.budget,
            self.encoding,
            self.margin_percent,
            p.usable,
            section(&p.level1),
            section(&p.level2),
            p.reserve,
            self.secrets_masked
        )
    }
}

/// The context for `line` (1-based) of `file`, whose current text is
/// `source`, from the file and the workspace modules it imports (under
/// `root`): for when no workspace graph is at hand.
pub fn assemble(
    root: &Path,
    file: &Path,
    source: &str,
    line: usize,
    budget: usize,
    settings: &ContextSettings,
    counter: &TokenCounter,
) -> Result<Context, String> {
    check_line(file, source, line)?;
    let neighbourhood = local::neighbourhood(root, file, source, line)?;
    Ok(finish(&neighbourhood, budget, settings, counter))
}

/// The context for `line` of a file in the workspace graph: callers,
/// callees, bases and subclasses across the workspace. A module-level
/// line has no definition to centre on and gets the file-local context.
pub fn assemble_in_graph(
    graph: &Graph,
    names: &NameCounts,
    file: FileId,
    line: usize,
    budget: usize,
    settings: &ContextSettings,
    counter: &TokenCounter,
) -> Result<Context, String> {
    let entry = graph.file(file).ok_or("the file is not in the workspace graph")?;
    check_line(&entry.path, entry.text(), line)?;
    let root = graph.roots().iter().find(|r| entry.path.starts_with(r)).map_or_else(|| entry.path.clone(), |r| r.clone());
    let neighbourhood = match from_graph::neighbourhood(graph, names, file, line, &root) {
        Some(n) => n,
        None => local::neighbourhood(&root, &entry.path, entry.text(), line)?,
    };
    Ok(finish(&neighbourhood, budget, settings, counter))
}

fn check_line(file: &Path, source: &str, line: usize) -> Result<(), String> {
    let line_count = source.lines().count().max(1);
    if line == 0 || line > line_count {
        return Err(format!("line {line} is outside {} (1..={line_count})", file.display()));
    }
    Ok(())
}

fn finish(neighbourhood: &Neighbourhood, budget: usize, settings: &ContextSettings, counter: &TokenCounter) -> Context {
    let items = neighbourhood.items();
    let split = Split { level1: settings.level1_percent, level2: settings.level2_percent };
    let packed = pack(counter, budget, split, settings.compress, &items.level1, &items.level2);
    Context { target: items.target, packed, secrets_masked: items.secrets_masked, encoding: counter.encoding.name(), margin_percent: counter.margin_percent }
}
