//! The checks every generated edit passes before it is offered: compared
//! with the document as it was, the candidate adds no syntax error, no
//! pyflakes error (F-rules: undefined names, unused imports, ...) and no
//! graph finding (LOOM80x: unknown imported names, calls that do not match
//! a workspace signature); and no file that depends on the edited one gets
//! a new graph finding, and no call or reference of what the edit renames,
//! removes or reshapes stops working ([`super::dependents`]).

use std::collections::{BTreeSet, HashMap};
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::dependents;
use super::edit::FileChange;
use super::follow::{self, Followed};
use crate::findings::{self, Category, Config, Finding, Locator};
use crate::graph::explain::display_path;
use crate::graph::{FileId, Graph, SymbolId, content_hash};

/// One failed check, as the model and the user are told about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// A rule code (`F821`, `LOOM802`) or a check name (`reply`, `test`).
    pub kind: String,
    /// What is wrong, without its place: what the mistake memory keeps.
    pub message: String,
    /// `line 4` in the edited file, `shop/cart.py:12` in another.
    pub place: Option<String>,
}

impl Problem {
    pub fn new(kind: &str, message: impl Into<String>) -> Self {
        Self { kind: kind.to_owned(), message: message.into(), place: None }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.place {
            Some(place) => write!(f, "{place}: {} {}", self.kind, self.message),
            None => write!(f, "{} {}", self.kind, self.message),
        }
    }
}

/// The generated tests that did not pass, as problems.
pub fn test_problems(results: Vec<crate::snippets::TestResult>) -> Vec<Problem> {
    results.into_iter().filter(|r| !r.status.is_success()).map(|r| Problem::new("test", format!("{} {:?}: {}", r.name, r.status, r.message.trim()))).collect()
}

/// The ruff configuration that governs a file.
pub type ConfigFor = Arc<dyn Fn(&Path) -> Arc<Config> + Send + Sync>;

/// Checks candidates against the workspace graph (when there is one).
#[derive(Clone)]
pub struct Checker {
    pub graph: Option<Arc<Graph>>,
    pub config_for: ConfigFor,
}

impl Checker {
    /// The checks over `graph`, each file under the ruff configuration `configs` gives it.
    pub fn new(graph: Arc<Graph>, configs: Arc<crate::findings::Configs>) -> Checker {
        Checker { graph: Some(graph), config_for: Arc::new(move |p| configs.for_file(p)) }
    }

    /// The problems `candidate` (the new text of `path`) has that `original`
    /// did not, in it and in the workspace files that depend on it: their
    /// new graph findings, and every call and reference of what the edit
    /// renames, removes or reshapes ([`dependents`]).
    pub fn check(&self, path: &Path, original: &str, candidate: &str) -> Vec<Problem> {
        self.check_placed(path, original, candidate, false)
    }

    /// [`Checker::check`] with the edited file's problems placed by its
    /// path too (`app.py:4`, not `line 4`): for a refusal the user reads
    /// away from the file (a refactoring's, beside other files' problems).
    pub fn check_naming_file(&self, path: &Path, original: &str, candidate: &str) -> Vec<Problem> {
        self.check_placed(path, original, candidate, true)
    }

    fn check_placed(&self, path: &Path, original: &str, candidate: &str, named: bool) -> Vec<Problem> {
        let change = FileChange { path: path.to_owned(), original: original.to_owned(), candidate: candidate.to_owned() };
        let Some(graph) = &self.graph else {
            return self.new_findings(&change, None, named.then(|| path.display().to_string()));
        };
        let (base, changed) = graphs(graph, std::slice::from_ref(&change));
        let shown = named.then(|| display_path(graph, path));
        let mut problems = self.new_findings(&change, Some((&base, &changed)), shown);
        let callers = dependents::check(&base, &changed, path, original, candidate, &[]);
        // A caller the graph finds broken too is said once, by what the edit did to it.
        let said = |p: &Problem| p.place.as_ref().is_some_and(|place| callers.iter().any(|c| c.message.starts_with(&format!("{place} "))));
        problems.extend(self.dependent_findings(&base, &changed, std::slice::from_ref(&change)).into_iter().filter(|p| !said(p)));
        problems.extend(callers);
        problems
    }

    /// [`Checker::check`], with the calls of each function whose
    /// parameters the edit changes updated to match ([`follow`]): the
    /// problems of every file so edited, each updated call judged as it
    /// now reads, and the edit with its calls (none when nothing needed
    /// following). Where the calls cannot be updated, that reason is the
    /// problem, beside the edit's own findings.
    pub fn check_following(&self, path: &Path, original: &str, candidate: &str, renames: bool) -> (Vec<Problem>, Option<Followed>) {
        let Some(graph) = &self.graph else { return (self.check(path, original, candidate), None) };
        let change = FileChange { path: path.to_owned(), original: original.to_owned(), candidate: candidate.to_owned() };
        let (base, changed) = graphs(graph, std::slice::from_ref(&change));
        let followed = match follow::follow(&base, &changed, path, original, candidate, renames) {
            Ok(Some(followed)) => followed,
            Ok(None) => return (self.check(path, original, candidate), None),
            Err(why) => {
                // Each call the update would have fixed reads as broken without
                // it: only the edit's own findings and the reason, which names
                // the call, stub or string in the way.
                // Its calls in the edited file read as broken without the
                // update (LOOM802/LOOM803 naming it): not reasons of their own.
                let function = why.strip_prefix("of `").and_then(|rest| rest.split('`').next()).unwrap_or_default();
                let unfollowed = |p: &Problem| {
                    matches!(p.kind.as_str(), "LOOM802" | "LOOM803") && function.rsplit('.').next().is_some_and(|n| p.message.starts_with(&format!("`{n}`")))
                };
                let mut problems = self.new_findings(&change, Some((&base, &changed)), None);
                problems.retain(|p| !unfollowed(p));
                problems.push(Problem::new("calls", why));
                return (problems, None);
            }
        };
        let (base, changed) = graphs(graph, &followed.changes);
        let primary = &followed.changes[0];
        let mut problems = self.all_findings(&base, &changed, &followed.changes);
        problems.extend(dependents::check(&base, &changed, path, original, &primary.candidate, &followed.functions));
        problems.extend(followed.functions.iter().flat_map(|f| dependents::unaccepted_calls(&base, &changed, path, f)));
        (problems, Some(followed))
    }

    /// The problems of several files edited together (a rename with its
    /// call sites): each file's new findings, placed by its path, and the
    /// new graph findings of the files that depend on them. Whether every
    /// site of a renamed name was renamed is the rename's own check.
    pub fn check_all(&self, changes: &[FileChange]) -> Vec<Problem> {
        let Some(graph) = &self.graph else {
            return changes.iter().flat_map(|c| self.new_findings(c, None, Some(c.path.display().to_string()))).collect();
        };
        let (base, changed) = graphs(graph, changes);
        self.all_findings(&base, &changed, changes)
    }

    fn all_findings(&self, base: &Graph, changed: &Graph, changes: &[FileChange]) -> Vec<Problem> {
        let mut problems: Vec<Problem> =
            changes.iter().flat_map(|c| self.new_findings(c, Some((base, changed)), Some(relative(&c.path, changed.roots())))).collect();
        problems.extend(self.dependent_findings(base, changed, changes));
        problems
    }

    /// The new graph findings of the files (not among `changes`) that
    /// depend on the changed ones.
    fn dependent_findings(&self, base: &Graph, changed: &Graph, changes: &[FileChange]) -> Vec<Problem> {
        let edited: Vec<Option<FileId>> = changes.iter().map(|c| base.file_id(&c.path)).collect();
        let files: BTreeSet<FileId> = changes.iter().flat_map(|c| dependent_files(base, &c.path)).filter(|f| !edited.contains(&Some(*f))).collect();
        let mut problems = Vec::new();
        for file in files {
            let Some(entry) = changed.file(file) else { continue };
            let (other, text) = (entry.path.clone(), entry.text().clone());
            let graph_only = |f: &Finding| f.category == Category::Graph;
            let before: Vec<Finding> = self.findings(&other, &text, Some(base)).into_iter().filter(graph_only).collect();
            let after: Vec<Finding> = self.findings(&other, &text, Some(changed)).into_iter().filter(graph_only).collect();
            let locator = Locator::new(&text);
            let shown = relative(&other, changed.roots());
            problems.extend(
                added(before, after, &text, &text)
                    .into_iter()
                    .map(|f| Problem { place: Some(format!("{shown}:{}", locator.line_column(f.range.start).0)), ..Problem::new(&f.code, f.message) }),
            );
        }
        problems
    }

    /// The findings `change` adds to its file, placed by `line N`, or by
    /// path and line where its path is `shown` (several files edited together).
    fn new_findings(&self, change: &FileChange, graphs: Option<(&Graph, &Graph)>, shown: Option<String>) -> Vec<Problem> {
        let path = &change.path;
        let before = self.findings(path, &change.original, graphs.map(|g| g.0));
        let after = self.findings(path, &change.candidate, graphs.map(|g| g.1));
        let locator = Locator::new(&change.candidate);
        let prefix = shown.map_or_else(|| "line ".to_owned(), |shown| format!("{shown}:"));
        added(before, after, &change.original, &change.candidate)
            .into_iter()
            .map(|f| Problem { place: Some(format!("{prefix}{}", locator.line_column(f.range.start).0)), ..Problem::new(&f.code, f.message) })
            .collect()
    }

    /// The findings that count against generated code.
    fn findings(&self, path: &Path, text: &str, graph: Option<&Graph>) -> Vec<Finding> {
        let in_graph = graph.and_then(|g| g.file_id(path).map(|id| (g, id)));
        findings::check_source(path, text, &(self.config_for)(path), in_graph)
            .into_iter()
            .filter(|f| match f.category {
                Category::Syntax | Category::Graph => true,
                Category::Lint => f.code.starts_with('F'),
                Category::Security => false,
            })
            .collect()
    }
}

/// The findings of `after` that `before` does not have, matched by code and
/// message (their ranges move with the edit).
/// The findings of `after` (on `new`) that `before` (on `old`) lacks. A
/// finding of the same code on the same code text is the same one even
/// where its message changed: a call that was broken is not newly broken
/// because its message names another missing argument now.
fn added(before: Vec<Finding>, after: Vec<Finding>, old: &str, new: &str) -> Vec<Finding> {
    let mut seen: HashMap<(String, String), usize> = HashMap::new();
    for f in &before {
        *seen.entry((f.code.clone(), f.message.clone())).or_default() += 1;
    }
    let take = |seen: &mut HashMap<(String, String), usize>, key: (String, String)| match seen.get_mut(&key) {
        Some(n) if *n > 0 => {
            *n -= 1;
            true
        }
        _ => false,
    };
    let after: Vec<Finding> = after.into_iter().filter(|f| !take(&mut seen, (f.code.clone(), f.message.clone()))).collect();
    let mut unmatched: HashMap<(String, String), usize> = HashMap::new();
    for f in before {
        if take(&mut seen, (f.code.clone(), f.message.clone())) {
            *unmatched.entry((f.code, old.get(f.range).unwrap_or_default().to_owned())).or_default() += 1;
        }
    }
    after.into_iter().filter(|f| !take(&mut unmatched, (f.code.clone(), new.get(f.range.clone()).unwrap_or_default().to_owned()))).collect()
}

/// The graph holding the changes' originals (the given one usually does
/// already), and a copy holding their candidates.
fn graphs(graph: &Arc<Graph>, changes: &[FileChange]) -> (Arc<Graph>, Graph) {
    let holds = |c: &FileChange| graph.file_id(&c.path).and_then(|f| graph.file(f)).is_some_and(|f| f.hash == content_hash(&c.original));
    let base: Arc<Graph> = if changes.iter().all(holds) {
        graph.clone()
    } else {
        let mut base = Graph::clone(graph);
        for change in changes {
            base.update_file(&change.path, &change.original);
        }
        Arc::new(base)
    };
    let mut changed = Graph::clone(&base);
    for change in changes {
        changed.update_file(&change.path, &change.candidate);
    }
    (base, changed)
}

/// Files other than `path` that call, import, reference or inherit from
/// what `path` defines.
fn dependent_files(graph: &Graph, path: &Path) -> BTreeSet<FileId> {
    let Some(file) = graph.file_id(path) else { return BTreeSet::new() };
    let mut symbols: Vec<SymbolId> = graph.module_symbol(file).into_iter().collect();
    let mut i = 0;
    while i < symbols.len() {
        symbols.extend(graph.children(symbols[i]));
        i += 1;
    }
    symbols.iter().flat_map(|&s| graph.dependents(s, 1)).filter_map(|(d, _)| graph.symbol(d)?.file).filter(|&f| f != file).collect()
}

pub(super) fn relative(path: &Path, roots: &[PathBuf]) -> String {
    roots.iter().find_map(|r| path.strip_prefix(r).ok()).unwrap_or(path).display().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::findings::Configs;
    use crate::settings::LintSettings;

    fn checker(dir: &Path, files: &[(&str, &str)]) -> Checker {
        for (name, text) in files {
            std::fs::write(dir.join(name), text).unwrap();
        }
        let mut graph = Graph::new(vec![dir.to_owned()]);
        for (name, text) in files {
            graph.update_file(&dir.join(name), text);
        }
        let configs = Arc::new(Configs::new(dir, &LintSettings::default()).0);
        Checker::new(Arc::new(graph), configs)
    }

    #[test]
    fn only_new_errors_count() {
        let dir = tempfile::tempdir().unwrap();
        let original = "import os\n\ndef f(xs):\n    ...\n";
        let checker = checker(dir.path(), &[("m.py", original)]);
        let path = dir.path().join("m.py");
        // The unused `os` import was there before: not the model's doing.
        assert_eq!(checker.check(&path, original, "import os\n\ndef f(xs):\n    return sum(xs)\n"), []);
        let problems = checker.check(&path, original, "import os\n\ndef f(xs):\n    return np.sum(xs)\n");
        assert_eq!(problems.iter().map(ToString::to_string).collect::<Vec<_>>(), ["line 4: F821 Undefined name `np`"]);
        let broken = checker.check(&path, original, "import os\n\ndef f(xs):\n    return (\n");
        assert!(broken.iter().any(|p| p.kind == "E999"), "{broken:?}");
    }

    #[test]
    fn a_refusal_names_the_edited_file_where_the_model_is_told_its_line() {
        let dir = tempfile::tempdir().unwrap();
        let original = "import helpers\n\nprint(helpers.twice(3))\n";
        let checker = checker(dir.path(), &[("main.py", original), ("helpers.py", "def twice(x):\n    return x + x\n")]);
        let path = dir.path().join("main.py");
        let shown = |problems: Vec<Problem>| problems.iter().map(ToString::to_string).collect::<Vec<_>>();
        assert_eq!(shown(checker.check_naming_file(&path, original, "import helpers\n\nprint(3 + 3)\n")), ["main.py:1: F401 `helpers` imported but unused"]);
        // Must not: the model, which edits that one file, is told its line.
        assert_eq!(shown(checker.check(&path, original, "import helpers\n\nprint(3 + 3)\n")), ["line 1: F401 `helpers` imported but unused"]);
    }

    #[test]
    fn broken_calls_and_broken_callers_are_found() {
        let dir = tempfile::tempdir().unwrap();
        let lib = "def total(xs, tax):\n    return sum(xs) * tax\n";
        let app = "from lib import total\n\ndef run():\n    return total([1], 2)\n";
        let checker = checker(dir.path(), &[("lib.py", lib), ("app.py", app)]);
        let problems = checker.check(&dir.path().join("app.py"), app, "from lib import total\n\ndef run():\n    return total([1], 2, 3)\n");
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert_eq!((problems[0].kind.as_str(), problems[0].place.as_deref()), ("LOOM802", Some("line 4")));
        // Dropping a parameter breaks the caller in the other file.
        let problems = checker.check(&dir.path().join("lib.py"), lib, "def total(xs):\n    return sum(xs)\n");
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert_eq!(
            problems[0].to_string(),
            "caller app.py:4 calls `total()`, which its new signature `(xs)` does not accept: 2 positional argument(s) given, it takes 1"
        );
    }
}
