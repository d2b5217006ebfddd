//! Security findings that need callers in other modules: a parameter of a
//! function is the client's data when a caller in another file passes it a
//! request's value, `sys.argv`, `input()`, a tool call's argument (the data
//! flow's [`flow::given_by`]). Each file's first check keeps, of the calls
//! its reporting walks met, those that pass data from outside, and where
//! its functions that take a parameter and may reach a sink are; once the
//! graph is built it places each such call ([`Outside::of`], a name
//! resolved on demand, which the graph `pyloom check` builds without edges
//! also does), and only a file whose open function is so called is walked
//! again, with those parameters filled ([`findings`]). No other function
//! of any file is walked for it.

use std::path::Path;

use ruff_source_file::LineIndex;
use rustc_hash::FxHashMap;

use super::lint::{self, PackageRoots};
use super::{Config, FileCheck, Finding, flow, parse, security, walk};
use crate::graph::{FileId, Graph, Resolved};

/// What a file's first check keeps for callers and callees elsewhere.
#[derive(Debug, Default, serde::Serialize, serde::Deserialize)]
pub(super) struct Facts {
    /// Where the names of its functions that take a parameter and may reach
    /// a sink start.
    open: Vec<u32>,
    /// What it reported, by start and code (with `open` only).
    reported: Vec<(usize, String)>,
    /// Its calls that pass data from outside.
    passed: Vec<flow::Passed>,
}

impl Facts {
    pub(super) fn new(checked: flow::Checked, reported: &[Finding]) -> Facts {
        let flow::Checked { open, passed, .. } = checked;
        let reported = if open.is_empty() { Vec::new() } else { reported.iter().map(|f| (f.range.start, f.code.clone())).collect() };
        Facts { open, reported, passed }
    }
}

/// The calls of every file placed by the graph in open functions of other
/// files, by the called file.
#[derive(Debug, Default)]
pub struct Outside(FxHashMap<FileId, Vec<(u32, flow::Passed)>>);

impl Outside {
    /// Places the calls that `files` (each checked file with its id in
    /// `graph`, built from the same texts) pass data from outside with.
    pub fn of(graph: &Graph, files: &[(FileId, &FileCheck)]) -> Outside {
        let open: FxHashMap<FileId, &[u32]> =
            files.iter().filter(|(_, c)| !c.facts.open.is_empty()).map(|(file, c)| (*file, c.facts.open.as_slice())).collect();
        let mut outside = Outside::default();
        if open.is_empty() {
            return outside;
        }
        for (caller, check) in files.iter().filter(|(_, c)| !c.facts.passed.is_empty()) {
            for passed in &check.facts.passed {
                let Some(Resolved::Symbol(symbol)) = graph.definition(*caller, passed.site) else { continue };
                let Some(at) = graph.location(symbol) else { continue };
                let is_open = open.get(&at.file).is_some_and(|names| names.binary_search(&at.span.start).is_ok());
                if at.file != *caller && is_open {
                    outside.0.entry(at.file).or_default().push((at.span.start, passed.clone()));
                }
            }
        }
        outside
    }
}

/// The flow's findings of `source` (the text of `path`, `file` in the graph
/// [`Outside`] was made with) that callers in other modules make, not
/// already among the first check's, nor on a call where the user silenced
/// the ruff rule that reports it (`# noqa: S608`; `config` says which are
/// selected and ignored).
pub(super) fn findings(path: &Path, source: &str, config: &Config, index: &LineIndex, facts: &Facts, file: FileId, outside: &Outside) -> Vec<Finding> {
    let Some(passed) = outside.0.get(&file) else { return Vec::new() };
    let parsed = parse(path, source);
    let given = flow::given_by(parsed.syntax(), passed);
    if given.is_empty() {
        return Vec::new();
    }
    let walked = walk::Walk::run(source, &parsed);
    let sites = security::pairing::Sites::new(index, parsed.syntax());
    // A call the first check reported, by the same rule or one that reports
    // the same call, is not reported twice.
    let known = |finding: &Finding, equivalents: &[&str]| {
        facts.reported.iter().any(|(start, code)| sites.on_the_call(&finding.range, *start) && (*code == finding.code || equivalents.contains(&code.as_str())))
    };
    let found: Vec<_> = walked.security.flow_with(path, &parsed, &given).into_iter().filter(|(f, equivalents)| !known(f, equivalents)).collect();
    if found.is_empty() {
        return Vec::new();
    }
    security::without_silenced(found, &sites, |codes| lint::unsilenced(path, source, None, &parsed, config, &PackageRoots::default(), codes))
}
