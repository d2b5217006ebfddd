//! Findings: what `pyloom check` prints and the server publishes as
//! diagnostics. One parse of a file feeds every producer: ruff's rules
//! ([`lint`]), pyloom's security checks beyond ruff ([`security`]) and
//! secret detection ([`secrets`]); `# noqa` is honoured for all of them.

#[cfg(test)]
mod api_misuse_tests;
mod archives;
mod bound;
#[cfg(test)]
mod bound_tests;
mod broken_names;
#[cfg(test)]
mod broken_names_tests;
#[cfg(test)]
mod call_dispatch_tests;
mod callers_elsewhere;
#[cfg(test)]
mod callers_elsewhere_tests;
mod cell_fixes;
pub mod config;
#[cfg(test)]
mod config_tests;
mod error_pages;
#[cfg(test)]
mod error_pages_tests;
mod escaped_fixes;
mod escaper_names;
mod exclude;
mod fix_all;
pub mod fixes;
mod flow;
mod graph_checks;
mod hash_use;
mod host_checks;
mod innermost;
mod keys;
#[cfg(test)]
mod library_alternatives_tests;
mod library_checks;
mod library_settings;
#[cfg(test)]
mod library_settings_tests;
mod lint;
mod listening;
#[cfg(test)]
mod listening_tests;
mod located;
mod mac_compare;
mod names;
mod noqa;
mod permissions;
#[cfg(test)]
mod permissions_tests;
mod protocol_clients;
#[cfg(test)]
mod protocol_clients_tests;
mod regex_checks;
pub mod secrets;
mod security;
#[cfg(test)]
mod security_fixes_tests;
mod shell_command;
#[cfg(test)]
mod silenced_tests;
mod sql_params;
pub mod stored;
#[cfg(test)]
mod tests;
mod walk;
mod weak_settings;
#[cfg(test)]
mod web_tests;

use std::ops::Range;
use std::path::{Path, PathBuf};

use ruff_python_ast::{ModModule, PySourceType};
use ruff_python_parser::Parsed;
use ruff_source_file::LineIndex;
use ruff_text_size::TextRange;
use serde::{Deserialize, Serialize};

use crate::graph::{FileId, Graph};
use crate::notebook::Notebook;
pub use callers_elsewhere::{Amends, Outside, Upgrade};
pub use config::{Config, ConfigFiles, Configs};
pub use fix_all::{fix_all, fix_all_notebook};
use graph_checks::CallSites;
pub use graph_checks::keep_checked_references;
pub use library_checks::Callees;
pub use lint::PackageRoots;
pub use located::{Located, LocatedEdit, LocatedFix, LocatedRelated, Locator};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Category {
    Syntax,
    Lint,
    Security,
    Graph,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
    Info,
}

impl Severity {
    /// The name reports use (what it serialises to).
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }
}

/// How sure a security check is that it found a real problem (bandit's
/// confidence levels).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Confidence {
    High,
    Medium,
    Low,
}

impl Confidence {
    /// Whether a finding of this confidence is at least `least`.
    pub fn at_least(self, least: Confidence) -> bool {
        self.rank() >= least.rank()
    }

    /// Higher is surer (the variants are declared surest first).
    pub(crate) fn rank(self) -> u8 {
        match self {
            Confidence::High => 2,
            Confidence::Medium => 1,
            Confidence::Low => 0,
        }
    }

    /// The name settings and reports use (what it serialises to).
    pub fn as_str(self) -> &'static str {
        match self {
            Confidence::High => "high",
            Confidence::Medium => "medium",
            Confidence::Low => "low",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Tag {
    /// Unused or unreachable code (editors fade it).
    Unnecessary,
    /// Use of a deprecated API (editors strike it through).
    Deprecated,
}

/// ruff's fix applicability: safe fixes keep the program's meaning and are
/// applied by "fix all"; unsafe ones may change behaviour and are offered
/// only one at a time; display-only ones are never applied automatically.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Applicability {
    Safe,
    Unsafe,
    DisplayOnly,
}

/// A replacement of a byte range of the file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Edit {
    pub range: Range<usize>,
    pub content: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fix {
    pub message: String,
    pub applicability: Applicability,
    pub edits: Vec<Edit>,
}

/// A place elsewhere that explains a finding (the definition a graph check
/// compared against).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Related {
    pub file: PathBuf,
    pub range: Range<usize>,
    pub message: String,
}

/// One finding in one file, located by byte offsets into that file's text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    pub range: Range<usize>,
    pub code: String,
    pub category: Category,
    pub severity: Severity,
    pub message: String,
    pub fix: Option<Fix>,
    /// The rule's documentation.
    pub url: Option<String>,
    pub tags: Vec<Tag>,
    /// Set by security checks.
    pub confidence: Option<Confidence>,
    /// Adds `# noqa: CODE` for this finding (merging with an existing one).
    pub suppress: Option<Edit>,
    pub related: Vec<Related>,
}

impl Finding {
    pub fn new(range: Range<usize>, code: &str, category: Category, severity: Severity, message: String) -> Finding {
        Finding {
            range,
            code: code.to_owned(),
            category,
            severity,
            message,
            fix: None,
            url: None,
            tags: Vec::new(),
            confidence: None,
            suppress: None,
            related: Vec::new(),
        }
    }
}

/// Everything pyloom finds in `source`, the text of `path`, in source order;
/// with the graph checks when `graph` holds the workspace graph and the
/// file's id in it (the graph must have been built from this same text).
pub fn check_source(path: &Path, source: &str, config: &Config, graph: Option<(&Graph, FileId)>) -> Vec<Finding> {
    check_buffer(path, source, None, config).finish(path, source, config, graph)
}

/// The checks of an editor's buffer, `source` (or the notebook it holds),
/// that need no graph: the lint, the security flow, secrets, with the
/// `# noqa` edits an editor offers. The graph checks follow with
/// [`FileCheck::finish_with`], so that the graph is held only for them: a
/// snapshot held makes every update meanwhile copy the whole graph.
pub fn check_buffer(path: &Path, source: &str, notebook: Option<&Notebook>, config: &Config) -> FileCheck {
    let roots = PackageRoots::default();
    match notebook {
        Some(notebook) => FileCheck::notebook(path, notebook, &notebook.parse_cells(), config, NoqaEdits::Include, &roots),
        None => FileCheck::new(path, source, &parse(path, source), config, NoqaEdits::Include, &roots),
    }
}

/// The graph findings (LOOM80x) of `file` as the graph holds it: for
/// generated code checked in a graph of its own (inline completion).
pub fn graph_findings(graph: &Graph, file: FileId) -> Vec<Finding> {
    let Some(entry) = graph.file(file) else { return Vec::new() };
    let parsed = parse(&entry.path, entry.text());
    graph_checks::check(graph, &Callees::default(), file, &CallSites::collect(parsed.syntax()))
}

/// Whether findings carry the edit that adds `# noqa: CODE` for them: an
/// editor offers it as a code action, a report has no use for it (and ruff
/// would warn a second time about each malformed directive while making it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoqaEdits {
    Include,
    Skip,
}

/// The parse every check of a file shares.
pub fn parse(path: &Path, source: &str) -> Parsed<ModModule> {
    crate::syntax::parse_unchecked_source(source, PySourceType::from(path))
}

/// A file checked by everything but the graph checks, holding what those
/// need of its parse: a tree can be linted while its graph is built from
/// the same parses, and the graph checks added once the graph is complete.
pub struct FileCheck {
    findings: Vec<Finding>,
    noqa: noqa::Directives,
    noqa_edits: NoqaEdits,
    /// `None` when the file does not parse (the graph checks would report
    /// on code that is being written).
    calls: Option<CallSites>,
    /// How many findings the `confidence` setting hides (that would be
    /// shown otherwise), for the report to say.
    hidden: usize,
    /// What the checks of other files need of this one's data flow.
    facts: callers_elsewhere::Facts,
    /// A notebook's cells and the first lines of its cell magics' cells
    /// left out of them: the edits of findings added later pass its
    /// escapes too ([`escaped_fixes::keep`]).
    cells: Option<(Vec<TextRange>, Vec<String>)>,
}

impl FileCheck {
    pub fn new(path: &Path, source: &str, parsed: &Parsed<ModModule>, config: &Config, noqa_edits: NoqaEdits, roots: &PackageRoots) -> FileCheck {
        Self::of(path, source, None, parsed, config, noqa_edits, roots)
    }

    /// The check of a notebook's module text (`notebook.source()`, parsed
    /// by [`Notebook::parse_cells`]): ruff lints it with its cells known
    /// (imports at the top of a cell, magics).
    pub fn notebook(path: &Path, notebook: &Notebook, parsed: &Parsed<ModModule>, config: &Config, noqa_edits: NoqaEdits, roots: &PackageRoots) -> FileCheck {
        Self::of(path, notebook.source(), Some(notebook), parsed, config, noqa_edits, roots)
    }

    fn of(
        path: &Path,
        source: &str,
        notebook: Option<&Notebook>,
        parsed: &Parsed<ModModule>,
        config: &Config,
        noqa_edits: NoqaEdits,
        roots: &PackageRoots,
    ) -> FileCheck {
        // A file nested too deep for the walks is checked as an empty
        // module (its comments and lines still read) with the error on
        // the expression: the rest of a run goes on.
        // The whole parse, deep or not: the escapes are read from it.
        let cell_parse = parsed;
        let deep = crate::syntax::too_deep(parsed);
        let empty;
        let parsed = match deep {
            Some(_) => {
                empty = parse(path, "");
                &empty
            }
            None => parsed,
        };
        let mut findings = lint::lint(path, source, notebook, parsed, config, noqa_edits, roots);
        if let Some(at) = deep {
            let message =
                format!("Expression nested more than {} levels deep: this file is not analysed (CPython cannot compile it either)", crate::syntax::MAX_DEPTH);
            findings.push(Finding::new(at.start().to_usize()..at.end().to_usize(), "E999", Category::Syntax, Severity::Error, message));
        }
        let walk::Walk { security, secrets: named, calls } = walk::Walk::run(source, parsed);
        // One line index for the checks that compare or silence by line.
        let index = LineIndex::from_source_text(source);
        let noqa = noqa::Directives::parse(source, parsed, index.clone());
        let (mut own, flow) = security.finish(path, parsed, &index, &noqa, &mut findings, |codes, first| {
            lint::unsilenced_in(first, source, config, codes).unwrap_or_else(|| lint::unsilenced(path, source, notebook, parsed, config, roots, codes))
        });
        // ruff's findings about data the flow judged are shown by their
        // confidence too.
        let judged = findings.len();
        findings.retain(|f| config.confident_enough(f.confidence));
        let mut hidden = judged - findings.len();
        // A credential reported where boto3 takes it is not a second, named secret.
        let secrets = secrets::check(source, named);
        let reported = |s: &Finding| own.iter().any(|o| o.code == keys::AWS_CREDENTIALS && o.range == s.range);
        let secrets: Vec<Finding> = secrets.into_iter().filter(|s| !reported(s)).collect();
        own.extend(secrets);
        hidden += admit(path, source, config, &noqa, noqa_edits, &mut own);
        findings.extend(own);
        fixes::attach(path, source, parsed.syntax(), config.linter.unresolved_target_version.0, &mut findings);
        let cells = notebook.map(|notebook| (notebook.cell_ranges(), notebook.left_out_magics()));
        if let Some((cells, left_out)) = &cells {
            escaped_fixes::keep(source, Some(cell_parse), Some(cells), left_out, &mut findings);
            cell_fixes::in_cells(source, cells, &mut findings);
        }
        let facts = callers_elsewhere::Facts::new(flow, &findings);
        FileCheck { findings, noqa, noqa_edits, calls, hidden, facts, cells }
    }

    /// The line index of the checked text (shared, cheap to clone), for
    /// locating the findings without indexing the text again.
    pub fn line_index(&self) -> LineIndex {
        self.noqa.line_index().clone()
    }

    /// How many findings the `confidence` setting hid.
    pub fn hidden(&self) -> usize {
        self.hidden
    }

    /// The findings of every check but the graph checks, in source order
    /// ([`FileCheck::graph_findings`] has those once the graph is complete).
    pub fn take_findings(&mut self) -> Vec<Finding> {
        let mut findings = std::mem::take(&mut self.findings);
        sort_by_range(&mut findings);
        findings
    }

    /// The findings in the order the checks made them (ruff's first, in
    /// its own order, which its fixer breaks ties between fixes by; see
    /// [`fix_all`]), without the graph checks.
    pub fn in_check_order(self) -> Vec<Finding> {
        self.findings
    }

    /// The graph checks' findings for this file, which `graph` holds (built
    /// from this same text); `callees` is shared by the files checked
    /// against the same `graph`, and `outside` is what their calls pass
    /// this file's functions ([`Outside::of`]); with the first check's
    /// findings those calls make surer.
    pub fn graph_findings(
        &self,
        path: &Path,
        source: &str,
        config: &Config,
        (graph, file): (&Graph, FileId),
        callees: &Callees,
        outside: &Outside,
    ) -> (Vec<Finding>, Amends) {
        let Some(calls) = &self.calls else { return (Vec::new(), Amends::default()) };
        let mut own = graph_checks::check(graph, callees, file, calls);
        let (across, mut amends) = callers_elsewhere::findings(path, source, config, self.noqa.line_index(), &self.facts, file, outside);
        own.extend(across);
        amends.hidden = admit(path, source, config, &self.noqa, self.noqa_edits, &mut own);
        self.past_escapes(source, &mut own);
        (own, amends)
    }

    /// Drops the edits of `own` (admitted after the check) that an escape
    /// of the notebook could tell apart, as the check's own were.
    fn past_escapes(&self, source: &str, own: &mut [Finding]) {
        if let Some((cells, left_out)) = &self.cells {
            escaped_fixes::keep(source, None, Some(cells), left_out, own);
        }
    }

    /// [`FileCheck::finish`] with findings of pyloom's that the caller made
    /// for the same text (the editor's calls left behind by a hand-edited
    /// signature, whose baseline only the editor keeps), admitted as
    /// pyloom's own checks are: enabled, confident enough, not silenced by
    /// `# noqa`.
    pub fn finish_with(mut self, path: &Path, source: &str, config: &Config, graph: Option<(&Graph, FileId)>, mut own: Vec<Finding>) -> Vec<Finding> {
        admit(path, source, config, &self.noqa, self.noqa_edits, &mut own);
        self.past_escapes(source, &mut own);
        self.findings.extend(own);
        self.finish(path, source, config, graph)
    }

    /// The findings in source order, with the graph checks when `graph`
    /// holds the file (built from this same text).
    pub fn finish(mut self, path: &Path, source: &str, config: &Config, graph: Option<(&Graph, FileId)>) -> Vec<Finding> {
        let mut findings = std::mem::take(&mut self.findings);
        if let Some(graph) = graph {
            // No caller elsewhere is known here: nothing to upgrade.
            findings.extend(self.graph_findings(path, source, config, graph, &Callees::default(), &Outside::default()).0);
        }
        sort_by_range(&mut findings);
        findings
    }
}

fn sort_by_range(findings: &mut [Finding]) {
    findings.sort_by(|a, b| (a.range.start, a.range.end, &a.code).cmp(&(b.range.start, b.range.end, &b.code)));
}

/// Keeps pyloom's own findings that are enabled, confident enough and not
/// silenced by `# noqa`, each with its suppression edit if wanted (ruff
/// does this for its rules); gives how many the confidence setting hid.
fn admit(path: &Path, source: &str, config: &Config, noqa: &noqa::Directives, edits: NoqaEdits, own: &mut Vec<Finding>) -> usize {
    own.retain(|f| config.own_check_enabled(&f.code, path) && !noqa.suppresses(f));
    let enabled = own.len();
    own.retain(|f| config.confident_enough(f.confidence));
    let hidden = enabled - own.len();
    if edits == NoqaEdits::Include {
        for finding in own {
            finding.suppress = Some(noqa.suppression_edit(source, finding));
        }
    }
    hidden
}
