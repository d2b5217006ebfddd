//! ruff's rules, run in-process through `ruff_linter` on a parse the other
//! checks share. ruff honours `# noqa` and per-file ignores itself; this
//! module turns its diagnostics into [`Finding`]s with their fixes, rule
//! documentation links, tags and a ready-made `# noqa` edit.

use std::path::{Path, PathBuf};
use std::sync::{LazyLock, Mutex};

use regex::Regex;
use ruff_db::diagnostic::{Diagnostic, DiagnosticTag};
use ruff_diagnostics::Applicability as RuffApplicability;
use ruff_linter::directives::{self, Flags};
use ruff_linter::linter::check_path;
use ruff_linter::package::PackageRoot;
use ruff_linter::registry::{Linter, Rule, RuleNamespace};
use ruff_linter::settings::LinterSettings;
use ruff_linter::settings::flags::Noqa;
use ruff_linter::settings::rule_table::RuleTable;
use ruff_linter::settings::types::{CompiledPerFileIgnoreList, PreviewMode};
use ruff_linter::source_kind::SourceKind;
use ruff_linter::suppression::Suppressions;
use ruff_linter::{Locator, SuppressionKind, generate_suppression_edits};
use ruff_python_ast::{ModModule, PySourceType};
use ruff_python_codegen::Stylist;
use ruff_python_index::Indexer;
use ruff_python_parser::Parsed;
use ruff_text_size::Ranged;
use rustc_hash::FxHashMap;

use super::config::Config;
use super::{Applicability, Category, Edit, Finding, Fix, NoqaEdits, Severity, Tag};
use crate::notebook::Notebook;

/// ruff's findings for `source` (already parsed into `parsed`), syntax
/// errors included. A notebook's `source` is its module text, linted with
/// its cells.
pub(super) fn lint(
    path: &Path,
    source: &str,
    notebook: Option<&Notebook>,
    parsed: &Parsed<ModModule>,
    config: &Config,
    noqa_edits: NoqaEdits,
    roots: &PackageRoots,
) -> Vec<Finding> {
    let settings = &config.linter;
    let ruff = Ruff::new(path, source, notebook, parsed, settings);
    let diagnostics = ruff.check(path, parsed, settings, Noqa::Enabled, roots);
    if noqa_edits == NoqaEdits::Skip {
        return diagnostics.iter().filter_map(|diagnostic| finding(diagnostic, None)).collect();
    }
    let noqa_edits = generate_suppression_edits(
        path,
        &diagnostics,
        &ruff.locator,
        ruff.indexer.comment_ranges(),
        &settings.external,
        &ruff.directives.noqa_line_for,
        ruff.stylist.line_ending(),
        &ruff.suppressions,
        SuppressionKind::Noqa,
        PreviewMode::Disabled,
    );
    diagnostics.iter().zip(noqa_edits).filter_map(|(diagnostic, noqa)| finding(diagnostic, noqa.map(edit))).collect()
}

/// What ruff's rules `codes` would report in `source` were they not
/// silenced by `ignore`, `# noqa` or a per-file ignore (those the
/// selection leaves out report nothing): a finding of pyloom's that is the
/// same as one of these is silenced with it.
pub(super) fn unsilenced(
    path: &Path,
    source: &str,
    notebook: Option<&Notebook>,
    parsed: &Parsed<ModModule>,
    config: &Config,
    roots: &PackageRoots,
    codes: &[&str],
) -> Vec<Finding> {
    let rules = selected_rules(config, codes);
    // None selected: nothing to ask ruff, so no second setup of the file.
    if rules.is_empty() {
        return Vec::new();
    }
    let mut settings = config.linter.clone();
    settings.rules = RuleTable::empty();
    for rule in rules {
        settings.rules.enable(rule, false);
    }
    settings.per_file_ignores = CompiledPerFileIgnoreList::default();
    let ruff = Ruff::new(path, source, notebook, parsed, &settings);
    ruff.check(path, parsed, &settings, Noqa::Disabled, roots).iter().filter_map(|diagnostic| finding(diagnostic, None)).collect()
}

/// What [`unsilenced`] gives, read from `first` (the findings of ruff's
/// run over the same text, [`lint`]) when nothing can have silenced the
/// rules there: each is run (no `ignore` took it out), no per-file ignore
/// (of any file) names it, and the text holds neither `noqa` nor `ruff`
/// (no `# noqa`, file exemption or `# ruff: disable` comment). `None`:
/// ruff is to be asked again. Spares most files that second run.
pub(super) fn unsilenced_in(first: &[Finding], source: &str, config: &Config, codes: &[&str]) -> Option<Vec<Finding>> {
    let rules = selected_rules(config, codes);
    // One scan by the (optimised) pattern engine: a byte loop of our own
    // cost more than the second run it spares in a debug build.
    static COMMENTS: LazyLock<Regex> = LazyLock::new(|| Regex::new("(?i)noqa|ruff").expect("a valid pattern"));
    if COMMENTS.is_match(source) || rules.iter().any(|rule| !config.linter.rules.enabled(*rule) || config.per_file_may_ignore(*rule)) {
        return None;
    }
    let codes: Vec<String> = rules.iter().map(|rule| rule.noqa_code().to_string()).collect();
    Some(first.iter().filter(|f| codes.contains(&f.code)).cloned().collect())
}

/// ruff's rules of `codes` the configuration selects (`ignore` aside).
fn selected_rules(config: &Config, codes: &[&str]) -> Vec<Rule> {
    codes.iter().filter_map(|code| Rule::from_code(code).ok()).filter(|rule| config.selected.enabled(*rule)).collect()
}

/// What ruff's check of one text reads besides the parse.
struct Ruff<'s> {
    source_kind: SourceKind,
    source_type: PySourceType,
    locator: Locator<'s>,
    stylist: Stylist<'s>,
    indexer: Indexer,
    directives: directives::Directives,
    suppressions: Suppressions,
}

impl<'s> Ruff<'s> {
    fn new(path: &Path, source: &'s str, notebook: Option<&Notebook>, parsed: &Parsed<ModModule>, settings: &LinterSettings) -> Self {
        let (source_kind, source_type) = match notebook {
            Some(notebook) => (notebook.source_kind(), PySourceType::Ipynb),
            None => {
                let source_type = PySourceType::from(path);
                (SourceKind::Python { code: source.to_owned(), is_stub: source_type.is_stub() }, source_type)
            }
        };
        let locator = Locator::new(source);
        let stylist = Stylist::from_tokens(parsed.tokens(), source);
        let indexer = Indexer::from_tokens(parsed.tokens(), source);
        let directives = directives::extract_directives(parsed.tokens(), Flags::from_settings(settings), &locator, &indexer);
        let suppressions = Suppressions::from_tokens(source, parsed.tokens(), &indexer, settings);
        Ruff { source_kind, source_type, locator, stylist, indexer, directives, suppressions }
    }

    fn check(&self, path: &Path, parsed: &Parsed<ModModule>, settings: &LinterSettings, noqa: Noqa, roots: &PackageRoots) -> Vec<Diagnostic> {
        let package_root = roots.of(path);
        check_path(
            path,
            package_root.as_deref().map(PackageRoot::root),
            &self.locator,
            &self.stylist,
            &self.indexer,
            &self.directives,
            settings,
            noqa,
            &self.source_kind,
            self.source_type,
            parsed,
            settings.resolve_target_version(path),
            &self.suppressions,
        )
    }
}

fn finding(diagnostic: &Diagnostic, suppress: Option<Edit>) -> Option<Finding> {
    let range = diagnostic.range()?;
    let range = range.start().to_usize()..range.end().to_usize();
    if diagnostic.is_invalid_syntax() {
        return Some(Finding::new(range, "E999", Category::Syntax, Severity::Error, diagnostic.concise_message().to_string()));
    }
    let code = diagnostic.secondary_code()?.as_str().to_owned();
    let rule = Rule::from_code(&code).ok();
    // Only flake8-bandit's rules are security rules (`SIM115` starts with an
    // `S` too).
    let category = if matches!(Linter::parse_code(&code), Some((Linter::Flake8Bandit, _))) { Category::Security } else { Category::Lint };
    let mut finding = Finding::new(range, &code, category, severity(&code), diagnostic.concise_message().to_string());
    finding.url = rule.and_then(|r| r.url());
    finding.tags = tags(diagnostic, rule);
    finding.suppress = suppress;
    finding.fix = diagnostic.fix().map(|fix| Fix {
        message: diagnostic.first_help_text().map_or_else(|| format!("Fix {code}"), str::to_owned),
        applicability: match fix.applicability() {
            RuffApplicability::Safe => Applicability::Safe,
            RuffApplicability::Unsafe => Applicability::Unsafe,
            RuffApplicability::DisplayOnly => Applicability::DisplayOnly,
        },
        edits: fix.edits().iter().cloned().map(edit).collect(),
    });
    Some(finding)
}

fn edit(edit: ruff_diagnostics::Edit) -> Edit {
    Edit { range: edit.range().start().to_usize()..edit.range().end().to_usize(), content: edit.content().unwrap_or_default().to_owned() }
}

/// Errors are what will fail at run time for sure (undefined names, syntax
/// the interpreter rejects); everything else is a warning.
fn severity(code: &str) -> Severity {
    match code {
        "F821" | "F822" | "F823" | "F706" | "F704" | "F702" | "F701" => Severity::Error,
        c if c.starts_with("E9") || c.starts_with("PLE") => Severity::Error,
        _ => Severity::Warning,
    }
}

/// ruff's own tags, plus "deprecated" for the rules that flag deprecated
/// APIs (ruff tags only some of them).
fn tags(diagnostic: &Diagnostic, rule: Option<Rule>) -> Vec<Tag> {
    let mut tags: Vec<Tag> = diagnostic
        .primary_tags()
        .unwrap_or_default()
        .iter()
        .map(|tag| match tag {
            DiagnosticTag::Unnecessary => Tag::Unnecessary,
            DiagnosticTag::Deprecated => Tag::Deprecated,
        })
        .collect();
    let deprecated_api = matches!(
        rule,
        Some(
            Rule::DeprecatedImport
                | Rule::DeprecatedMockImport
                | Rule::DeprecatedUnittestAlias
                | Rule::DeprecatedCElementTree
                | Rule::DeprecatedLogWarn
                | Rule::Numpy2Deprecation
                | Rule::NumpyDeprecatedTypeAlias
                | Rule::NumpyDeprecatedFunction
        )
    );
    if deprecated_api && !tags.contains(&Tag::Deprecated) {
        tags.push(Tag::Deprecated);
    }
    tags
}

/// The package roots of the files one run checks, each directory looked
/// up once: finding a file's root costs a `stat` per directory above it,
/// and a tree's files share their directories. Lives as long as one run
/// (a check of a tree, an edit), so an `__init__.py` added later is seen.
#[derive(Debug, Default)]
pub struct PackageRoots(Mutex<FxHashMap<PathBuf, Option<PathBuf>>>);

impl PackageRoots {
    /// The top of the package `path` is in: the highest directory above it
    /// that still has an `__init__.py` (what ruff uses for first-party
    /// imports and package-relative checks).
    pub(super) fn of(&self, path: &Path) -> Option<PathBuf> {
        self.of_dir(path.parent()?)
    }

    fn of_dir(&self, dir: &Path) -> Option<PathBuf> {
        if dir.as_os_str().is_empty() {
            return None;
        }
        if let Some(known) = self.0.lock().unwrap_or_else(|e| e.into_inner()).get(dir) {
            return known.clone();
        }
        let root = if dir.join("__init__.py").is_file() { dir.parent().and_then(|parent| self.of_dir(parent)).or_else(|| Some(dir.to_owned())) } else { None };
        self.0.lock().unwrap_or_else(|e| e.into_inner()).insert(dir.to_owned(), root.clone());
        root
    }
}
