//! Next edit, exact: the user edited a `def`'s parameters by hand, and the
//! calls the graph knows were written for the old ones. Each function of an
//! open document keeps the parameters its calls were written for (its
//! baseline: those it had when the document was opened); where the current
//! parameters differ, the calls are rewritten by the change-signature engine
//! ([`signature_change::rewrite_calls`]: the same edits, the same refusals),
//! and once none needs rewriting the baseline moves to the current
//! parameters.
//!
//! A reordered call can bind under both orders (`f(1, 2)`), so whether it
//! was written for the old parameters cannot be read from the call itself.
//! The lines holding the function's uses are remembered when its
//! parameters first differ, and only uses still on such a line (same file,
//! number and text) are updated: a call the user edited by hand, or the fix
//! rewrote, is no longer taken for an old one, so a fix is never offered
//! twice. A line that moved is left alone too: a call missed, never a call
//! updated wrongly.

use std::path::PathBuf;

use rustc_hash::FxHashMap;

use super::edits::FileEdits;
use super::signature_change::{self, compatible, definitions, mapping, rewrite_calls};
use crate::graph::explain::{place, signature};
use crate::graph::{FileId, Graph, Location, Signature, Span, SymbolKind};

/// The parameters each function of a file had when its calls were last
/// known to match, by qualified name.
#[derive(Debug, Default, Clone)]
pub struct Baseline {
    functions: FxHashMap<String, Expected>,
}

#[derive(Debug, Clone)]
struct Expected {
    signature: Signature,
    /// The lines of its uses when the current parameters first differed.
    lines: Option<Vec<Line>>,
}

/// A line of a file as it read.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Line {
    path: PathBuf,
    number: usize,
    text: String,
}

/// The calls of a function still written for its old parameters.
#[derive(Debug)]
pub struct StaleCalls {
    pub name: String,
    /// The function's name at its definition.
    pub span: Span,
    /// The old parameters as written (`(items, rate)`).
    pub old: String,
    /// Each call rewritten for the current parameters, or why they cannot all be.
    pub update: Result<Vec<FileEdits>, String>,
}

impl StaleCalls {
    /// How many calls the update rewrites.
    pub fn count(&self) -> usize {
        self.update.as_ref().map_or(0, |edits| edits.iter().map(|e| e.replacements.len()).sum())
    }

    /// The rewritten calls, in file order.
    pub fn sites(&self) -> Vec<Location> {
        let edits = self.update.as_deref().unwrap_or_default();
        edits.iter().flat_map(|e| e.replacements.iter().map(|r| Location { file: e.file, span: r.span })).collect()
    }

    /// What the diagnostic says.
    pub fn message(&self) -> String {
        match &self.update {
            Ok(_) => {
                let n = self.count();
                let (sites, pass) = if n == 1 { ("call site", "passes") } else { ("call sites", "pass") };
                format!("{n} {sites} of `{}` {pass} the old parameters {}", self.name, self.old)
            }
            Err(why) => format!("calls of `{}` pass the old parameters {}; no update: {why}", self.name, self.old),
        }
    }

    /// The fix's title (there is one only when every call can be updated).
    pub fn fix_title(&self) -> Option<String> {
        let n = self.count();
        self.update.is_ok().then(|| format!("update {n} call site{}", if n == 1 { "" } else { "s" }))
    }

    /// Where each rewritten call is (`main.py:3`), for the related information.
    pub fn places(&self, graph: &Graph) -> Vec<(Location, String)> {
        self.sites()
            .into_iter()
            .map(|site| {
                let at = format!("call at {}", place(graph, &site));
                (site, at)
            })
            .collect()
    }
}

impl Baseline {
    /// The current parameters of every function of `file`.
    pub fn of(graph: &Graph, file: FileId) -> Baseline {
        let mut baseline = Baseline::default();
        for id in definitions(graph, file) {
            let Some(symbol) = graph.symbol(id) else { continue };
            if let (SymbolKind::Function | SymbolKind::Method, Some(signature)) = (symbol.kind, symbol.signature) {
                baseline.functions.insert(symbol.qualified_name.to_owned(), Expected { signature: signature.clone(), lines: None });
            }
        }
        baseline
    }

    /// The functions of `file` whose calls still pass their old parameters.
    /// The baseline moves to the current parameters of the others; a
    /// function new to the file starts at its current ones.
    pub fn stale_calls(&mut self, graph: &Graph, file: FileId) -> Vec<StaleCalls> {
        let mut stale = Vec::new();
        for id in definitions(graph, file) {
            let Some(symbol) = graph.symbol(id) else { continue };
            let (SymbolKind::Function | SymbolKind::Method, Some(current)) = (symbol.kind, symbol.signature) else { continue };
            let moved = Expected { signature: current.clone(), lines: None };
            let expected = self.functions.entry(symbol.qualified_name.to_owned()).or_insert_with(|| moved.clone());
            let old = &expected.signature.parameters;
            let new = mapping(old, &current.parameters, true);
            if compatible(old, &new) {
                *expected = moved;
                continue;
            }
            let lines = expected.lines.get_or_insert_with(|| use_lines(graph, id, symbol.name_range, file));
            let kept = |location: &Location| line(graph, location).is_some_and(|l| lines.contains(&l));
            let definition = Location { file, span: symbol.name_range };
            if !signature_change::use_sites(graph, id).iter().any(|u| *u != definition && kept(u)) {
                // Every use was edited since: nothing is left to update.
                *expected = moved;
                continue;
            }
            let update = rewrite_calls(graph, id, old, &new, &kept);
            if update.as_ref().is_ok_and(Vec::is_empty) {
                *expected = moved;
                continue;
            }
            let old = signature(&Signature { returns: None, ..expected.signature.clone() });
            stale.push(StaleCalls { name: symbol.name.to_owned(), span: symbol.name_range, old, update });
        }
        stale
    }
}

/// The lines of the uses of `function` but its definition.
fn use_lines(graph: &Graph, function: crate::graph::SymbolId, name: Span, file: FileId) -> Vec<Line> {
    let uses = signature_change::use_sites(graph, function);
    uses.iter().filter(|u| !(u.file == file && u.span == name)).filter_map(|u| line(graph, u)).collect()
}

fn line(graph: &Graph, location: &Location) -> Option<Line> {
    let entry = graph.file(location.file)?;
    let text = &entry.text;
    let at = location.span.start as usize;
    let start = text.get(..at)?.rfind('\n').map_or(0, |i| i + 1);
    let end = text.get(at..)?.find('\n').map_or(text.len(), |i| at + i);
    Some(Line { path: entry.path.clone(), number: text[..start].matches('\n').count(), text: text[start..end].to_owned() })
}

#[cfg(test)]
#[path = "stale_calls_tests.rs"]
mod tests;
