//! Which rules run: the ruff configuration that governs each file
//! (`.ruff.toml`, `ruff.toml`, or `[tool.ruff]` in `pyproject.toml`, the
//! closest one at or above the file's folder, as ruff finds it), with
//! pyloom's `lint` settings on top.
//! Every `lint` key that is set replaces the same ruff key; `extend_select`
//! (default `["S"]`) is added either way.
//!
//! Rule selection follows ruff: selectors apply from least to most specific
//! (`ALL`, linter, prefix, rule), enabling before disabling at each level, on
//! top of ruff's default rule set when nothing sets `select`. pyloom's own
//! checks (codes `LOOM…`) are on unless an `ignore` selector or a per-file
//! ignore is a prefix of their code.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::sync::{Arc, LazyLock, Mutex, OnceLock};

use globset::{Glob, GlobMatcher};
use regex::Regex;
use ruff_linter::RuleSelector;
use ruff_linter::UnresolvedRuleSelector;
use ruff_linter::line_width::LineLength;
use ruff_linter::rule_selector::PreviewOptions;
use ruff_linter::settings::rule_table::RuleTable;
use ruff_linter::settings::types::IdentifierPattern;
use ruff_linter::settings::types::{CompiledPerFileIgnoreList, PerFileIgnore, PreviewMode};
use ruff_linter::settings::{DEFAULT_SELECTORS, LinterSettings, TargetVersion};
use ruff_python_ast::PythonVersion;
use rustc_hash::FxHashMap;
use serde::Deserialize;

use super::Confidence;
use super::exclude::Exclusion;
use crate::settings::LintSettings;

/// The prefix of the codes of pyloom's own checks.
pub const OWN_PREFIX: &str = crate::settings::OWN_RULE_PREFIX;

/// The configurations of a workspace, one per ruff configuration file,
/// found for each file on first use and kept.
pub struct Configs {
    lint: LintSettings,
    root: Arc<Config>,
    /// By folder of the files asked about, spelled as asked (see
    /// [`DirKey`]).
    by_dir: Mutex<FxHashMap<DirKey, Arc<Config>>>,
    /// By configuration file (`None`: none found).
    by_source: Mutex<HashMap<Option<PathBuf>, Arc<Config>>>,
    files: ConfigFiles,
}

/// Which configuration file each folder holds, found once for all the
/// [`Configs`] of one tree: `pyloom check` walks the tree with one (ruff's
/// `exclude`, before pyloom's settings are read) and checks it with
/// another, and each looked for three files in every folder.
#[derive(Clone, Default)]
pub struct ConfigFiles(Arc<Mutex<FxHashMap<DirKey, Result<Option<PathBuf>, String>>>>);

/// A folder as a key of the memos above: its spelling, hashed as bytes
/// with Fx. A `Path` hashes by components, byte by byte, into SipHash:
/// over a thousand instructions a folder, and a check looks a folder up
/// for each file and folder in it. A folder spelled two ways is merely
/// looked up twice, with the same answer.
type DirKey = std::ffi::OsString;

impl ConfigFiles {
    /// The configuration file in `dir` (not above it), or why it is unreadable.
    fn in_dir(&self, dir: &Path) -> Result<Option<PathBuf>, String> {
        if let Some(found) = self.0.lock().unwrap_or_else(|e| e.into_inner()).get(dir.as_os_str()) {
            return found.clone();
        }
        let found = config_in(dir).map(|found| found.map(|(_, source)| source));
        self.0.lock().unwrap_or_else(|e| e.into_inner()).insert(dir.as_os_str().to_owned(), found.clone());
        found
    }
}

impl Configs {
    /// The configurations under `root`; the warnings are those of the
    /// configuration that governs `root` itself.
    pub fn new(root: &Path, lint: &LintSettings) -> (Configs, Vec<String>) {
        Self::sharing(root, lint, ConfigFiles::default())
    }

    /// [`Configs::new`], looking folders' configuration files up in `files`
    /// (shared with other configurations of the same tree).
    pub fn sharing(root: &Path, lint: &LintSettings, files: ConfigFiles) -> (Configs, Vec<String>) {
        let (config, warnings) = Config::load(root, lint);
        let root = Arc::new(config);
        let by_source = HashMap::from([(root.source.clone(), root.clone())]);
        let configs = Configs { lint: lint.clone(), root, by_dir: Mutex::default(), by_source: Mutex::new(by_source), files };
        (configs, warnings)
    }

    /// The configuration that governs `path`.
    pub fn for_file(&self, path: &Path) -> Arc<Config> {
        match path.parent() {
            Some(dir) => self.for_dir(dir),
            None => self.root.clone(),
        }
    }

    /// A folder without a configuration file of its own has its parent's,
    /// so a tree of many folders reads each configuration file once.
    fn for_dir(&self, dir: &Path) -> Arc<Config> {
        if let Some(config) = self.by_dir.lock().unwrap_or_else(|e| e.into_inner()).get(dir.as_os_str()) {
            return config.clone();
        }
        let config = match self.files.in_dir(dir) {
            Ok(Some(source)) => self.for_source(dir, Some(source)),
            Ok(None) => match dir.parent() {
                Some(parent) => self.for_dir(parent),
                None => self.for_source(dir, None),
            },
            // A broken configuration file: the root's stands in (folders
            // are cached, so this is said once per broken file's folder).
            Err(e) => {
                tracing::warn!("{e}");
                self.root.clone()
            }
        };
        self.by_dir.lock().unwrap_or_else(|e| e.into_inner()).insert(dir.as_os_str().to_owned(), config.clone());
        config
    }

    fn for_source(&self, dir: &Path, source: Option<PathBuf>) -> Arc<Config> {
        self.by_source
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .entry(source)
            .or_insert_with(|| {
                let (config, warnings) = Config::load(dir, &self.lint);
                for warning in warnings {
                    tracing::warn!("{warning}");
                }
                Arc::new(config)
            })
            .clone()
    }
}

/// The resolved configuration for one ruff configuration file. Cheap to share.
pub struct Config {
    pub(super) linter: LinterSettings,
    /// ruff's rules selected before `ignore` takes any out: of these, one
    /// not run is one the user silenced.
    pub(super) selected: RuleTable,
    own_ignored: Vec<String>,
    own_per_file: Vec<(GlobMatcher, Vec<String>)>,
    /// Where the ruff configuration came from, for logs.
    pub source: Option<PathBuf>,
    /// The least confidence of pyloom's own security findings shown.
    least_confidence: Confidence,
    /// The files and folders a walk leaves out (ruff's `exclude`).
    pub exclusion: Exclusion,
    /// [`Config::cache_key`], computed on first use.
    key: OnceLock<u64>,
}

impl Config {
    /// Reads the ruff configuration for `root` and applies `lint`. Problems
    /// (unreadable files, unknown selectors) are returned as warnings and the
    /// offending part is left out.
    pub fn load(root: &Path, lint: &LintSettings) -> (Config, Vec<String>) {
        let root = &std::path::absolute(root).unwrap_or_else(|_| root.to_owned());
        let mut warnings = Vec::new();
        let (ruff, source) = match discover(root) {
            Ok(Some((options, source))) => (options, Some(source)),
            Ok(None) => (RuffOptions::default(), None),
            Err(e) => {
                warnings.push(e);
                (RuffOptions::default(), None)
            }
        };
        let project_root = source.as_deref().and_then(Path::parent).unwrap_or(root).to_owned();
        let target = ruff.target_version.as_deref().and_then(parse_target).or_else(|| requires_python(&project_root));
        let bandit_asked = asks_for_bandit([lint.select.as_deref(), ruff.select.as_deref(), ruff.extend_select.as_deref()]);
        let select = lint.select.clone().or(ruff.select);
        let ignore = lint.ignore.clone().or(ruff.ignore).unwrap_or_default();
        let extend_select: Vec<String> = ruff.extend_select.unwrap_or_default().into_iter().chain(lint.extend_select.clone()).collect();
        let mut per_file: BTreeMap<String, Vec<String>> = lint.per_file_ignores.clone().or(ruff.per_file_ignores).unwrap_or_default();
        if per_file.is_empty() && lint.extend_select == LintSettings::default().extend_select && !bandit_asked {
            // `S` is pyloom's own addition here. Its `assert` rule in test
            // files flags the pytest idiom, not a flaw, and buries the rest
            // (818 of the 1,359 findings on boltons' sources).
            per_file.insert(TEST_FILES.to_owned(), vec!["S101".to_owned()]);
        }

        let mut linter = LinterSettings::new(&project_root);
        linter.rules = rule_table(select.as_deref(), &extend_select, &ignore, &mut warnings);
        let selected = rule_table(select.as_deref(), &extend_select, &[], &mut Vec::new());
        let ruff_per_file = per_file
            .iter()
            .map(|(pattern, selectors)| {
                let ruff_selectors = selectors.iter().filter(|s| !s.starts_with(OWN_PREFIX)).map(|s| UnresolvedRuleSelector::cli(s.clone())).collect();
                PerFileIgnore::new(pattern.clone(), ruff_selectors, Some(&project_root))
            })
            .collect();
        match CompiledPerFileIgnoreList::resolve(ruff_per_file, PreviewMode::Disabled) {
            Ok(list) => linter.per_file_ignores = list,
            Err(e) => warnings.push(format!("per-file ignores left out: {e}")),
        }
        linter.unresolved_target_version = TargetVersion(target);
        if let Some(length) = ruff.line_length.and_then(|n| LineLength::try_from(n).ok()) {
            linter.line_length = length;
            linter.pycodestyle.max_line_length = length;
        }
        linter.src = match &ruff.src {
            Some(src) => src.iter().map(|s| project_root.join(s)).collect(),
            None => vec![project_root.clone(), project_root.join("src")],
        };
        if let Some(isort) = &ruff.isort {
            isort.apply(&mut linter.isort);
        }
        // Our codes in `# noqa` comments are not "unknown codes" to ruff.
        linter.external = vec![OWN_PREFIX.to_owned()];

        let own_per_file = per_file
            .into_iter()
            .filter_map(|(pattern, selectors)| match Glob::new(&pattern) {
                Ok(glob) => Some((glob.compile_matcher(), selectors)),
                Err(e) => {
                    warnings.push(format!("per-file ignore pattern `{pattern}`: {e}"));
                    None
                }
            })
            .collect();
        let exclusion = Exclusion::new(
            ruff.exclude.as_deref(),
            &ruff.extend_exclude.unwrap_or_default(),
            &ruff.lint_exclude.unwrap_or_default(),
            ruff.force_exclude.unwrap_or(false),
            &project_root,
            &mut warnings,
        );
        let config = Config { linter, selected, own_ignored: ignore, own_per_file, source, least_confidence: lint.confidence, exclusion, key: OnceLock::new() };
        (config, warnings)
    }

    /// This configuration with import sorting (I001) as its only rule and
    /// pyloom's own checks off: completion's auto-import asks it where
    /// ruff's isort settings want a new import.
    pub fn import_sorting(&self) -> Config {
        let mut linter = self.linter.clone();
        linter.rules = RuleTable::from_iter([ruff_linter::registry::Rule::UnsortedImports]);
        Config {
            selected: linter.rules.clone(),
            linter,
            own_ignored: vec![OWN_PREFIX.to_owned()],
            own_per_file: Vec::new(),
            source: self.source.clone(),
            least_confidence: self.least_confidence,
            exclusion: Exclusion::default(),
            key: OnceLock::new(),
        }
    }

    /// The folder of the ruff configuration (where its patterns start).
    pub fn project_root(&self) -> &Path {
        &self.linter.project_root
    }

    /// Whether a finding of `confidence` (none: not a security finding) is
    /// shown under the `confidence` setting.
    pub fn confident_enough(&self, confidence: Option<Confidence>) -> bool {
        confidence.is_none_or(|c| c.at_least(self.least_confidence))
    }

    /// A hash of everything in this configuration that changes what the
    /// checks find in a file (ruff's settings by ruff's own cache key, which
    /// its cache uses; pyloom's own selections and confidence), for the
    /// check cache.
    pub fn cache_key(&self) -> u64 {
        *self.key.get_or_init(|| {
            use ruff_cache::{CacheKey, CacheKeyHasher};
            use std::hash::Hasher;
            let mut hasher = CacheKeyHasher::new();
            self.linter.cache_key(&mut hasher);
            self.own_ignored.cache_key(&mut hasher);
            for (glob, selectors) in &self.own_per_file {
                glob.glob().glob().cache_key(&mut hasher);
                selectors.cache_key(&mut hasher);
            }
            self.least_confidence.as_str().cache_key(&mut hasher);
            self.source.cache_key(&mut hasher);
            hasher.finish()
        })
    }

    /// Whether ruff's rules here read the project's layout beyond the
    /// file's package: import sorting and the typing-only import rules
    /// tell first-party modules by the files under `src`.
    pub fn reads_layout(&self) -> bool {
        use ruff_linter::registry::Rule;
        [Rule::UnsortedImports, Rule::TypingOnlyFirstPartyImport, Rule::TypingOnlyThirdPartyImport, Rule::TypingOnlyStandardLibraryImport]
            .into_iter()
            .any(|rule| self.linter.rules.enabled(rule))
    }

    /// Whether a per-file ignore, of whichever files, may name ruff's
    /// `rule` (a selector ruff cannot read is taken to).
    pub(super) fn per_file_may_ignore(&self, rule: ruff_linter::registry::Rule) -> bool {
        let selectors = self.own_per_file.iter().flat_map(|(_, selectors)| selectors).filter(|s| !is_own(s));
        selectors.map(|s| RuleSelector::from_str(s)).any(|selector| selector.map_or(true, |selector| selector.all_rules().any(|r| r == rule)))
    }

    /// Whether pyloom's own check `code` runs on `path`.
    pub fn own_check_enabled(&self, code: &str, path: &Path) -> bool {
        let turns_off = |selector: &String| selector == "ALL" || code.starts_with(selector.as_str());
        if self.own_ignored.iter().any(turns_off) {
            return false;
        }
        let relative = path.strip_prefix(&self.linter.project_root).unwrap_or(path);
        let file_name = path.file_name().map(Path::new);
        !self
            .own_per_file
            .iter()
            .any(|(glob, selectors)| (glob.is_match(relative) || file_name.is_some_and(|f| glob.is_match(f))) && selectors.iter().any(turns_off))
    }
}

impl Default for Config {
    fn default() -> Self {
        Config::load(Path::new("."), &LintSettings::default()).0
    }
}

/// Where pytest looks for tests, as one per-file-ignore glob: ruff
/// matches each per-file-ignore pattern against every file's name and
/// path, and four patterns were 1.5% of a check of Django; alternatives
/// are one match. A notebook named as a test file holds tests too (`pyloom
/// test` runs its test functions).
const TEST_FILES: &str = "{**/test_*.py,**/*_test.py,**/test_*.ipynb,**/*_test.ipynb,**/tests/**,**/conftest.py}";

/// Whether any of these selections names flake8-bandit's rules (`S`,
/// `S1`, `S101`, `ALL`): then the user asked for them as they are.
fn asks_for_bandit(selections: [Option<&[String]>; 3]) -> bool {
    selections.into_iter().flatten().flatten().any(|s| s == "ALL" || s.strip_prefix('S').is_some_and(|rest| rest.chars().all(|c| c.is_ascii_digit())))
}

fn is_own(selector: &str) -> bool {
    selector.starts_with(OWN_PREFIX)
}

fn rule_table(select: Option<&[String]>, extend: &[String], ignore: &[String], warnings: &mut Vec<String>) -> RuleTable {
    let preview = PreviewOptions::default();
    let mut table = RuleTable::empty();
    if select.is_none() {
        for rule in DEFAULT_SELECTORS.iter().flat_map(|s| s.rules(&preview)) {
            table.enable(rule, true);
        }
    }
    let mut parsed = |selectors: &[String], enable: bool| -> Vec<(RuleSelector, bool)> {
        selectors
            .iter()
            .filter(|s| !is_own(s))
            .filter_map(|s| match RuleSelector::from_str(s) {
                Ok(selector) => Some((selector, enable)),
                Err(e) => {
                    warnings.push(format!("rule selector `{s}` ignored: {e}"));
                    None
                }
            })
            .collect()
    };
    let mut steps = parsed(select.unwrap_or_default(), true);
    steps.extend(parsed(extend, true));
    steps.extend(parsed(ignore, false));
    // Less specific first; at equal specificity, enabling before disabling.
    steps.sort_by_key(|(selector, enable)| (selector.specificity(), !enable));
    for (selector, enable) in steps {
        for rule in selector.rules(&preview) {
            if enable { table.enable(rule, true) } else { table.disable(rule) }
        }
    }
    // As ruff: of two rules that contradict each other (`ALL` selects
    // D203 and D211), the expendable one goes, with ruff's warning.
    for (preferred, expendable, message) in ruff_linter::registry::INCOMPATIBLE_CODES {
        if table.enabled(*preferred) && table.enabled(*expendable) {
            table.disable(*expendable);
            warnings.push((*message).to_owned());
        }
    }
    table
}

/// The subset of ruff's options pyloom reads. Keys under `lint` win over
/// the same keys at the top level (ruff's older spelling).
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "kebab-case")]
struct RuffOptions {
    select: Option<Vec<String>>,
    extend_select: Option<Vec<String>>,
    ignore: Option<Vec<String>>,
    extend_ignore: Option<Vec<String>>,
    per_file_ignores: Option<BTreeMap<String, Vec<String>>>,
    target_version: Option<String>,
    line_length: Option<u16>,
    src: Option<Vec<String>>,
    isort: Option<IsortOptions>,
    /// Top-level only in ruff (`lint.exclude` is [`RuffOptions::lint_exclude`]).
    exclude: Option<Vec<String>>,
    extend_exclude: Option<Vec<String>>,
    force_exclude: Option<bool>,
    /// `lint.exclude`, after [`RuffOptions::flatten`]: more files left out.
    #[serde(skip)]
    lint_exclude: Option<Vec<String>>,
    lint: Option<Box<RuffOptions>>,
}

/// The import-sorting options that change what I001 reports.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "kebab-case")]
struct IsortOptions {
    force_single_line: Option<bool>,
    order_by_type: Option<bool>,
    combine_as_imports: Option<bool>,
    force_sort_within_sections: Option<bool>,
    case_sensitive: Option<bool>,
    lines_after_imports: Option<isize>,
    lines_between_types: Option<usize>,
    known_first_party: Option<Vec<String>>,
    known_third_party: Option<Vec<String>>,
    known_local_folder: Option<Vec<String>>,
    extra_standard_library: Option<Vec<String>>,
    /// User-defined sections: their names and modules.
    sections: Option<BTreeMap<String, Vec<String>>>,
    section_order: Option<Vec<String>>,
}

impl IsortOptions {
    fn apply(&self, settings: &mut ruff_linter::rules::isort::settings::Settings) {
        let set = |field: &mut bool, value: Option<bool>| {
            if let Some(value) = value {
                *field = value;
            }
        };
        set(&mut settings.force_single_line, self.force_single_line);
        set(&mut settings.order_by_type, self.order_by_type);
        set(&mut settings.combine_as_imports, self.combine_as_imports);
        set(&mut settings.force_sort_within_sections, self.force_sort_within_sections);
        set(&mut settings.case_sensitive, self.case_sensitive);
        if let Some(lines) = self.lines_after_imports {
            settings.lines_after_imports = lines;
        }
        if let Some(lines) = self.lines_between_types {
            settings.lines_between_types = lines;
        }
        self.apply_sections(settings);
    }

    /// Which section a module is in, and the sections' order (what makes a
    /// project's `statsmodels.compat` go first, say).
    fn apply_sections(&self, settings: &mut ruff_linter::rules::isort::settings::Settings) {
        use ruff_linter::rules::isort::categorize::KnownModules;
        use ruff_linter::rules::isort::{ImportSection, ImportType};
        let patterns = |names: &Option<Vec<String>>| -> Vec<IdentifierPattern> { names.iter().flatten().filter_map(|name| name.parse().ok()).collect() };
        let known = [&self.known_first_party, &self.known_third_party, &self.known_local_folder, &self.extra_standard_library];
        if known.iter().any(|k| k.is_some()) || self.sections.is_some() {
            let user_defined =
                self.sections.iter().flatten().map(|(section, modules)| (section.clone(), modules.iter().filter_map(|m| m.parse().ok()).collect())).collect();
            settings.known_modules = KnownModules::new(
                patterns(&self.known_first_party),
                patterns(&self.known_third_party),
                patterns(&self.known_local_folder),
                patterns(&self.extra_standard_library),
                user_defined,
            );
        }
        if let Some(order) = &self.section_order {
            let mut sections: Vec<ImportSection> = order
                .iter()
                .map(|name| match name.as_str() {
                    "future" => ImportSection::Known(ImportType::Future),
                    "standard-library" => ImportSection::Known(ImportType::StandardLibrary),
                    "third-party" => ImportSection::Known(ImportType::ThirdParty),
                    "first-party" => ImportSection::Known(ImportType::FirstParty),
                    "local-folder" => ImportSection::Known(ImportType::LocalFolder),
                    other => ImportSection::UserDefined(other.to_owned()),
                })
                .collect();
            // Sections the order leaves out still sort, after the others.
            for section in std::mem::take(&mut settings.section_order) {
                if !sections.contains(&section) {
                    sections.push(section);
                }
            }
            settings.section_order = sections;
        }
    }
}

impl RuffOptions {
    fn flatten(mut self) -> RuffOptions {
        if let Some(lint) = self.lint.take() {
            let lint = lint.flatten();
            self.select = lint.select.or(self.select);
            self.extend_select = lint.extend_select.or(self.extend_select);
            self.ignore = lint.ignore.or(self.ignore);
            self.extend_ignore = lint.extend_ignore.or(self.extend_ignore);
            self.per_file_ignores = lint.per_file_ignores.or(self.per_file_ignores);
            self.isort = lint.isort.or(self.isort);
            self.lint_exclude = lint.exclude;
        }
        // `extend-ignore` is a deprecated alias that adds to `ignore`.
        if let Some(extra) = self.extend_ignore.take() {
            self.ignore.get_or_insert_with(Vec::new).extend(extra);
        }
        self
    }
}

/// The closest ruff configuration at or above `root`, in ruff's order of
/// preference within a directory.
fn discover(root: &Path) -> Result<Option<(RuffOptions, PathBuf)>, String> {
    for dir in root.ancestors() {
        if let Some(found) = config_in(dir)? {
            return Ok(Some(found));
        }
    }
    Ok(None)
}

/// The ruff configuration file in `dir` itself, read.
fn config_in(dir: &Path) -> Result<Option<(RuffOptions, PathBuf)>, String> {
    for name in [".ruff.toml", "ruff.toml", "pyproject.toml"] {
        let path = dir.join(name);
        let Ok(text) = std::fs::read_to_string(&path) else { continue };
        let table: toml::Table = toml::from_str(&text).map_err(|e| format!("{}: invalid TOML: {}", path.display(), e.message()))?;
        let section = if name == "pyproject.toml" {
            match table.get("tool").and_then(|t| t.get("ruff")) {
                Some(section) => section.clone(),
                None => continue,
            }
        } else {
            toml::Value::Table(table)
        };
        let options: RuffOptions = section.try_into().map_err(|e: toml::de::Error| format!("{}: {}", path.display(), e.message()))?;
        return Ok(Some((options.flatten(), path)));
    }
    Ok(None)
}

/// `py310` → 3.10.
fn parse_target(target: &str) -> Option<PythonVersion> {
    let digits = target.strip_prefix("py3")?;
    Some(PythonVersion { major: 3, minor: digits.parse().ok()? })
}

/// The lowest Python version `project.requires-python` allows, from the
/// closest `pyproject.toml` (ruff infers the target version from it).
fn requires_python(dir: &Path) -> Option<PythonVersion> {
    static LOWER_BOUND: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"(?:>=|~=|==|>)\s*3\.(\d+)").expect("a valid pattern"));
    let text = dir.ancestors().find_map(|d| std::fs::read_to_string(d.join("pyproject.toml")).ok())?;
    let table: toml::Table = toml::from_str(&text).ok()?;
    let spec = table.get("project")?.get("requires-python")?.as_str()?;
    let minor = LOWER_BOUND.captures(spec)?.get(1)?.as_str().parse().ok()?;
    Some(PythonVersion { major: 3, minor })
}
