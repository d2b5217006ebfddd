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

use std::path::{Path, PathBuf};

use ruff_source_file::LineIndex;
use rustc_hash::FxHashMap;

use super::lint::{self, PackageRoots};
use super::{Confidence, Config, FileCheck, Finding, Related, flow, parse, security, walk};
use crate::graph::{FileId, Graph, Resolved};

/// What a file's first check keeps for callers and callees elsewhere.
#[derive(Debug, Default, serde::Serialize, serde::Deserialize)]
pub(super) struct Facts {
    /// Where the names of its functions that take a parameter and may reach
    /// a sink start.
    open: Vec<u32>,
    /// What it reported, by start and code, with its confidence (with
    /// `open` or `passed` only).
    reported: Vec<(usize, String, Option<Confidence>)>,
    /// Its calls that pass data from outside.
    passed: Vec<flow::Passed>,
    /// Its functions that sanitise their parameters for callers elsewhere,
    /// by where their names start.
    exported: Vec<(u32, flow::Helper)>,
}

impl Facts {
    pub(super) fn new(checked: flow::Checked, reported: &[Finding]) -> Facts {
        let flow::Checked { open, passed, exported, .. } = checked;
        let reported =
            if open.is_empty() && passed.is_empty() { Vec::new() } else { reported.iter().map(|f| (f.range.start, f.code.clone(), f.confidence)).collect() };
        Facts { open, reported, passed, exported }
    }
}

/// The calls of every file placed by the graph in open functions of other
/// files, by the called file; and the calls of helpers of other files that
/// sanitise, by the calling file.
#[derive(Debug, Default)]
pub struct Outside {
    placed: FxHashMap<FileId, Vec<Placed>>,
    /// Where each calling file calls a helper elsewhere (the called name's
    /// start), and what the helper returns.
    helpers: FxHashMap<FileId, Vec<(u32, flow::Helper)>>,
}

/// A call placed in an open function of another file.
#[derive(Debug)]
struct Placed {
    /// Where the called function's name starts in its file.
    callee: u32,
    passed: flow::Passed,
    /// The calling file.
    caller: PathBuf,
}

/// A finding of a file's first check that callers in other modules make
/// surer (`shell(cmd)` reported as a parameter's command until a view
/// elsewhere is seen to pass it the request's text).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Upgrade {
    /// Where the first check's finding starts, and its code.
    pub start: usize,
    pub code: String,
    pub confidence: Confidence,
    /// Where the data entered, added to the finding's.
    pub related: Vec<Related>,
}

impl Upgrade {
    /// Whether it upgrades `finding` (of the same file).
    pub fn applies_to(&self, start: usize, code: &str) -> bool {
        self.start == start && self.code == code
    }
}

impl Outside {
    /// Places the calls that `files` (each checked file with its id in
    /// `graph`, built from the same texts) pass data from outside with.
    pub fn of(graph: &Graph, files: &[(FileId, &FileCheck)]) -> Outside {
        let open: FxHashMap<FileId, &[u32]> =
            files.iter().filter(|(_, c)| !c.facts.open.is_empty()).map(|(file, c)| (*file, c.facts.open.as_slice())).collect();
        let exported: FxHashMap<FileId, &[(u32, flow::Helper)]> =
            files.iter().filter(|(_, c)| !c.facts.exported.is_empty()).map(|(file, c)| (*file, c.facts.exported.as_slice())).collect();
        let mut outside = Outside::default();
        if open.is_empty() && exported.is_empty() {
            return outside;
        }
        for (caller, check) in files.iter().filter(|(_, c)| !c.facts.passed.is_empty()) {
            for passed in &check.facts.passed {
                let Some(Resolved::Symbol(symbol)) = graph.definition(*caller, passed.site) else { continue };
                let Some(at) = graph.location(symbol) else { continue };
                if at.file == *caller {
                    continue;
                }
                let is_open = open.get(&at.file).is_some_and(|names| names.binary_search(&at.span.start).is_ok());
                if is_open && let Some(path) = graph.file(*caller).map(|f| f.path.clone()) {
                    outside.placed.entry(at.file).or_default().push(Placed { callee: at.span.start, passed: passed.clone(), caller: path });
                }
                // A helper is looked up by the name it is called by: bare
                // (`clean_name(x)`) or through its module (`util.clean_name(x)`,
                // the only attribute the graph places at a module's function).
                let helper = exported.get(&at.file).and_then(|helpers| helpers.iter().find(|(name, _)| *name == at.span.start));
                if let Some((_, helper)) = helper {
                    outside.helpers.entry(*caller).or_default().push((passed.site, helper.clone()));
                }
            }
        }
        outside
    }
}

/// What the calls elsewhere change of a file's first check.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Amends {
    /// Its findings they make surer.
    pub upgrades: Vec<Upgrade>,
    /// Its findings of pyloom's own (by start and code) whose data a helper
    /// elsewhere sanitised for their sink.
    pub cleared: Vec<(usize, String)>,
    /// Its findings of ruff's whose data a helper elsewhere sanitised for
    /// their sink: low, as the same call with the helper inline is (ruff's
    /// word is never dropped: `--confidence low` shows what ruff reports).
    pub lowered: Vec<(usize, String)>,
    /// How many of the findings made elsewhere the `confidence` setting hid.
    pub hidden: usize,
}

/// The flow's findings of `source` (the text of `path`, `file` in the graph
/// [`Outside`] was made with) that callers in other modules make, not
/// already among the first check's, nor on a call where the user silenced
/// the ruff rule that reports it (`# noqa: S608`; `config` says which are
/// selected and ignored); and what those calls and the helpers elsewhere
/// it calls change of the first check's findings. Each finding says where
/// its data entered at the calls elsewhere.
pub(super) fn findings(
    path: &Path,
    source: &str,
    config: &Config,
    index: &LineIndex,
    facts: &Facts,
    file: FileId,
    outside: &Outside,
) -> (Vec<Finding>, Amends) {
    let placed = outside.placed.get(&file).map_or(&[][..], Vec::as_slice);
    let called = outside.helpers.get(&file).map_or(&[][..], Vec::as_slice);
    if placed.is_empty() && called.is_empty() {
        return (Vec::new(), Amends::default());
    }
    let parsed = parse(path, source);
    let given = flow::given_by(parsed.syntax(), placed.iter().map(|p| (p.callee, &p.passed)));
    let elsewhere = flow::Elsewhere { given, helpers: flow::by_local_name(source, called) };
    if elsewhere.given.is_empty() && elsewhere.helpers.is_empty() {
        return (Vec::new(), Amends::default());
    }
    let sites = security::pairing::Sites::new(index, parsed.syntax());
    let callers = flow::callers_of(parsed.syntax(), placed.iter().map(|p| (p.callee, &p.passed, p.caller.as_path())));
    // The first check's finding on the same call, by the same rule or one
    // that reports the same call.
    let known = |finding: &Finding, equivalents: &[&str]| {
        facts
            .reported
            .iter()
            .find(|(start, code, _)| sites.on_the_call(&finding.range, *start) && (*code == finding.code || equivalents.contains(&code.as_str())))
    };
    let mut amends = Amends::default();
    let found_with = walk::Walk::run(source, &parsed).security.flow_with(path, &parsed, &elsewhere);
    // What the first check found that the helpers elsewhere sanitise: found
    // without them, not with them.
    if !elsewhere.helpers.is_empty() {
        let given_only = flow::Elsewhere { given: elsewhere.given.clone(), helpers: FxHashMap::default() };
        for (finding, equivalents) in walk::Walk::run(source, &parsed).security.flow_with(path, &parsed, &given_only) {
            let still = found_with.iter().any(|(f, _)| f.range == finding.range && f.code == finding.code);
            match known(&finding, equivalents).filter(|_| !still) {
                Some((start, code, _)) if code.starts_with("LOOM") => amends.cleared.push((*start, code.clone())),
                Some((start, code, was)) if *was != Some(Confidence::Low) => amends.lowered.push((*start, code.clone())),
                _ => {}
            }
        }
    }
    // A call the first check reported is not reported twice: it is made
    // surer where the callers' data is.
    let mut found = Vec::new();
    for (mut finding, equivalents) in found_with {
        finding.related.extend(callers.iter().filter(|(within, _)| within.contains(&finding.range.start)).map(|(_, r)| r.clone()));
        match known(&finding, equivalents) {
            None => found.push((finding, equivalents)),
            Some((start, code, Some(was))) if finding.confidence.is_some_and(|now| now.rank() > was.rank()) => {
                amends.upgrades.push(Upgrade { start: *start, code: code.clone(), confidence: finding.confidence.unwrap_or(*was), related: finding.related });
            }
            Some(_) => {}
        }
    }
    if found.is_empty() {
        return (Vec::new(), amends);
    }
    let found = security::without_silenced(found, &sites, |codes| lint::unsilenced(path, source, None, &parsed, config, &PackageRoots::default(), codes));
    (found, amends)
}
