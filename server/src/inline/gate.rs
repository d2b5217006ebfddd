//! The gate between a model's answer and the ghost text. The answer is cut
//! at the end of the block it started in and where it starts repeating the
//! text after the cursor; then the file with it must parse without an
//! error where it is and with no more errors than without it, the names it
//! uses must resolve and its calls of workspace functions must fit their
//! signatures. A failing suggestion is cut back to whole lines that hold,
//! or dropped.
//!
//! Names and calls are checked by the graph's resolver and graph checks, in
//! a small graph of the candidate file and the workspace files the
//! suggestion's imported names reach (cloning the workspace graph per
//! keystroke would cost far more).

use std::collections::{HashMap, HashSet, VecDeque};
use std::ops::Range;
use std::sync::Arc;

use tree_sitter::Tree;

use crate::graph::summary::Import;
use crate::graph::{FileId, FileInput, FileSummary, Graph, absolute_module};
use crate::syntax;

/// A suggestion that passed the gate: `text` replaces the bytes `replace`
/// of the buffer (empty at the cursor, or the rest of the line that the
/// suggestion ends with, such as an auto-closed `)`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Suggestion {
    pub text: String,
    pub replace: Range<usize>,
}

/// At most this many checks (each a parse) before a suggestion is dropped.
const MAX_ROUNDS: usize = 8;
/// At most this many workspace files join the candidate's graph, reached
/// through at most this many levels of imports.
const MAX_NEIGHBOURS: usize = 128;
const MAX_IMPORT_DEPTH: usize = 2;

/// The part of `answer` (the model's text for the cursor at `offset` of
/// `file`, whose text the graph holds) that may be shown, if any. `tree`,
/// the buffer's tree-sitter tree of that same text when there is one, makes
/// each parse incremental.
pub fn gate(graph: &Graph, file: FileId, offset: usize, answer: &str, tree: Option<&Tree>) -> Option<Suggestion> {
    let entry = graph.file(file)?;
    let text: &str = entry.text();
    if !text.is_char_boundary(offset) {
        return None;
    }
    let (prefix, suffix) = text.split_at(offset);
    let answer = answer.replace("\r\n", "\n");
    let block = cut_to_block(prefix, &answer);
    let mut candidate = cut_at_suffix(&block, suffix).trim_end().to_owned();
    let nowhere = usize::MAX..usize::MAX;
    let baseline = tree.map_or_else(|| syntax::error_ranges(text, &nowhere), |tree| syntax::tree_error_ranges(tree, &nowhere)).len();
    for _ in 0..MAX_ROUNDS {
        if candidate.trim().is_empty() {
            return None;
        }
        // As an insertion, else replacing the rest of the line it repeats.
        let parsed = [0, line_overlap(&candidate, suffix)].into_iter().find_map(|overlap| {
            let full = format!("{prefix}{candidate}{}", &suffix[overlap..]);
            let here = offset..offset + candidate.len();
            let errors = match tree {
                Some(tree) => syntax::error_ranges_after_edit(tree, &full, offset, overlap, candidate.len(), &here),
                None => syntax::error_ranges(&full, &here),
            };
            // No error where the suggestion is (an empty body it fills was
            // one), and no more than before elsewhere.
            let clean = errors.len() <= baseline && !errors.iter().any(|e| e.start <= here.end && e.end >= here.start);
            clean.then_some((overlap, full))
        });
        let Some((overlap, full)) = parsed else {
            candidate = without_last_line(&candidate)?;
            continue;
        };
        let span = offset..offset + candidate.len();
        match first_problem(graph, file, &full, &span) {
            None => return Some(Suggestion { text: candidate, replace: offset..offset + overlap }),
            // Keep the lines before the one with the problem.
            Some(at) => candidate = candidate[..candidate[..at - offset].rfind('\n')?].trim_end().to_owned(),
        }
    }
    None
}

/// Whether `answer` so far has left the block of the cursor's line (whose
/// text before the cursor is `prefix`'s end): a stream may stop there.
pub fn block_ended(prefix: &str, answer: &str) -> bool {
    cut_to_block(prefix, answer).len() < answer.len()
}

fn indent(line: &str) -> usize {
    line.len() - line.trim_start_matches([' ', '\t']).len()
}

/// `answer` up to the first line that leaves the block of the cursor's line.
fn cut_to_block(prefix: &str, answer: &str) -> String {
    let line = &prefix[prefix.rfind('\n').map_or(0, |i| i + 1)..];
    let base = if line.trim().is_empty() { line.len() } else { indent(line) };
    let mut kept = Vec::new();
    for (i, l) in answer.split('\n').enumerate() {
        if i > 0 && !l.trim().is_empty() && indent(l) < base {
            break;
        }
        kept.push(l);
    }
    kept.join("\n")
}

/// `suggestion` up to the line that repeats the next line after the cursor's.
fn cut_at_suffix(suggestion: &str, suffix: &str) -> String {
    let after = suffix.split_once('\n').map_or("", |(_, rest)| rest);
    let Some(next) = after.lines().map(str::trim).find(|l| !l.is_empty()) else { return suggestion.to_owned() };
    let lines: Vec<&str> = suggestion.split('\n').collect();
    let end = lines.iter().skip(1).position(|l| l.trim() == next).map_or(lines.len(), |i| i + 1);
    lines[..end].join("\n")
}

/// How much of the cursor's line after it a one-line suggestion ends with
/// (the model repeated an auto-closed bracket): those bytes may be replaced.
fn line_overlap(candidate: &str, suffix: &str) -> usize {
    let rest = suffix.split('\n').next().unwrap_or("").trim_end();
    if !rest.is_empty() && !candidate.contains('\n') && candidate.ends_with(rest) { rest.len() } else { 0 }
}

fn without_last_line(candidate: &str) -> Option<String> {
    Some(candidate[..candidate.rfind('\n')?].trim_end().to_owned())
}

/// Where in `full` (the file with the suggestion at `span`) the first name
/// that does not resolve or the first call that does not fit is.
fn first_problem(graph: &Graph, file: FileId, full: &str, span: &Range<usize>) -> Option<usize> {
    let entry = graph.file(file)?;
    let summary = Arc::new(FileSummary::extract(full));
    let mut inputs = vec![FileInput { path: entry.path.clone(), text: Arc::from(full), summary: Some(summary.clone()) }];
    for id in neighbours(graph, file, &summary, span) {
        let Some(other) = graph.file(id) else { continue };
        inputs.push(FileInput { path: other.path.clone(), text: other.text().clone(), summary: Some(other.summary.clone()) });
    }
    let small = Graph::build_unlinked(graph.roots().to_vec(), inputs, graph.library());
    let id = small.file_id(&entry.path)?;
    let inside = |start: usize| span.contains(&start);
    let mut resolver = small.reference_resolver(id);
    let unresolved = summary
        .references
        .iter()
        .filter(|r| !r.from_super && r.receiver().is_none() && inside(r.start as usize))
        .filter(|r| !import_system_name(&r.chain) && resolver.segments(r).is_empty())
        .map(|r| r.start as usize);
    let misfits = crate::findings::graph_findings(&small, id).into_iter().map(|f| f.range.start).filter(|&s| inside(s));
    unresolved.chain(misfits).min()
}

/// Names the import system sets on every module (`__name__`, `__file__`):
/// no summary binds them.
fn import_system_name(chain: &str) -> bool {
    const NAMES: [&str; 8] = ["__name__", "__file__", "__doc__", "__spec__", "__loader__", "__package__", "__path__", "__builtins__"];
    NAMES.contains(&chain.split('.').next().unwrap_or(""))
}

/// The workspace files the checks of the suggestion (at `span`) need: the
/// modules of the imports its names go through (and the submodules its
/// dotted names reach), of its own imports and of star imports, and what
/// those modules import in turn, up to [`MAX_IMPORT_DEPTH`] levels. A name
/// bound in the file resolves without them; they hold the signatures its
/// calls are checked against and the names a module provides.
fn neighbours(graph: &Graph, file: FileId, summary: &FileSummary, span: &Range<usize>) -> Vec<FileId> {
    let Some(entry) = graph.file(file) else { return Vec::new() };
    let inside = |start: u32| span.contains(&(start as usize));
    let used: HashSet<&str> = summary.references.iter().filter(|r| inside(r.start)).filter_map(|r| r.chain.split('.').next()).collect();
    let needed = |import: &Import| import.star || inside(import.range.start) || import.bound_name().is_some_and(|n| used.contains(n));
    let mut seen: HashSet<FileId> = HashSet::from([file]);
    let mut found = Vec::new();
    let first = imported_modules(&entry.module, entry.is_package, summary, Some(&needed), Some(span));
    let mut queue: VecDeque<(Vec<String>, usize)> = VecDeque::from([(first, 0)]);
    while let Some((modules, depth)) = queue.pop_front() {
        for module in modules {
            let Some(id) = graph.resolve_module(&module).filter(|id| seen.insert(*id)) else { continue };
            if found.len() == MAX_NEIGHBOURS {
                return found;
            }
            found.push(id);
            if let Some(other) = graph.file(id).filter(|_| depth + 1 < MAX_IMPORT_DEPTH) {
                queue.push_back((imported_modules(&other.module, other.is_package, &other.summary, None, None), depth + 1));
            }
        }
    }
    found
}

/// Modules `summary`'s imports (those `keep` keeps) name, with their
/// packages and the submodules imported by name; with `chains`, also the
/// submodules reached by the dotted names starting there (`a.b.c()` after
/// `import a`).
fn imported_modules(
    module: &str,
    is_package: bool,
    summary: &FileSummary,
    keep: Option<&dyn Fn(&Import) -> bool>,
    chains: Option<&Range<usize>>,
) -> Vec<String> {
    let mut out = Vec::new();
    let mut bound: HashMap<&str, String> = HashMap::new();
    for import in summary.imports.iter().filter(|i| keep.is_none_or(|keep| keep(i))) {
        let Some(target) = absolute_module(module, is_package, import.level, import.module.as_deref()) else { continue };
        let mut package = String::new();
        for part in target.split('.') {
            if !package.is_empty() {
                package.push('.');
            }
            package.push_str(part);
            out.push(package.clone());
        }
        let named = import.name.as_ref().map(|name| format!("{target}.{name}"));
        out.extend(named.clone());
        if let Some(name) = import.bound_name() {
            let first = target.split('.').next().unwrap_or_default().to_owned();
            bound.insert(name, named.unwrap_or(if import.alias.is_some() { target } else { first }));
        }
    }
    let Some(span) = chains else { return out };
    for reference in summary.references.iter().filter(|r| span.contains(&(r.start as usize))) {
        let mut segments = reference.chain.split('.');
        let Some(mut name) = segments.next().and_then(|first| bound.get(first)).cloned() else { continue };
        for segment in segments {
            name = format!("{name}.{segment}");
            out.push(name.clone());
        }
    }
    out
}
