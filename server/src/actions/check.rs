//! The checks every generated edit passes before it is offered: compared
//! with the document as it was, the candidate adds no syntax error, no
//! pyflakes error (F-rules: undefined names, unused imports, ...) and no
//! graph finding (LOOM80x: unknown imported names, calls that do not match
//! a workspace signature); and no file that depends on the edited one gets
//! a new graph finding (a changed signature must not break its callers).

use std::collections::{BTreeSet, HashMap};
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::findings::{self, Category, Config, Finding, Locator};
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
    /// The problems `candidate` (the new text of `path`) has that `original`
    /// did not, in it and in the workspace files that depend on it.
    pub fn check(&self, path: &Path, original: &str, candidate: &str) -> Vec<Problem> {
        let Some(graph) = &self.graph else {
            return self.new_findings(path, original, candidate, None);
        };
        // The baseline is the graph holding `original`; it usually does already.
        let holds_original = graph.file_id(path).and_then(|f| graph.file(f)).is_some_and(|f| f.hash == content_hash(original));
        let base: Arc<Graph> = if holds_original {
            graph.clone()
        } else {
            let mut base = Graph::clone(graph);
            base.update_file(path, original);
            Arc::new(base)
        };
        let mut changed = Graph::clone(&base);
        changed.update_file(path, candidate);
        let mut problems = self.new_findings(path, original, candidate, Some((&base, &changed)));
        for file in dependent_files(&base, path) {
            let Some(entry) = changed.file(file) else { continue };
            let (other, text) = (entry.path.clone(), entry.text.clone());
            let graph_only = |f: &Finding| f.category == Category::Graph;
            let before: Vec<Finding> = self.findings(&other, &text, Some(&base)).into_iter().filter(graph_only).collect();
            let after: Vec<Finding> = self.findings(&other, &text, Some(&changed)).into_iter().filter(graph_only).collect();
            let locator = Locator::new(&text);
            let shown = relative(&other, changed.roots());
            problems.extend(
                added(before, after)
                    .into_iter()
                    .map(|f| Problem { place: Some(format!("{shown}:{}", locator.line_column(f.range.start).0)), ..Problem::new(&f.code, f.message) }),
            );
        }
        problems
    }

    fn new_findings(&self, path: &Path, original: &str, candidate: &str, graphs: Option<(&Graph, &Graph)>) -> Vec<Problem> {
        let before = self.findings(path, original, graphs.map(|g| g.0));
        let after = self.findings(path, candidate, graphs.map(|g| g.1));
        let locator = Locator::new(candidate);
        added(before, after)
            .into_iter()
            .map(|f| Problem { place: Some(format!("line {}", locator.line_column(f.range.start).0)), ..Problem::new(&f.code, f.message) })
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
fn added(before: Vec<Finding>, after: Vec<Finding>) -> Vec<Finding> {
    let mut seen: HashMap<(String, String), usize> = HashMap::new();
    for f in before {
        *seen.entry((f.code, f.message)).or_default() += 1;
    }
    after
        .into_iter()
        .filter(|f| match seen.get_mut(&(f.code.clone(), f.message.clone())) {
            Some(n) if *n > 0 => {
                *n -= 1;
                false
            }
            _ => true,
        })
        .collect()
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

fn relative(path: &Path, roots: &[PathBuf]) -> String {
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
        Checker { graph: Some(Arc::new(graph)), config_for: Arc::new(move |p| configs.for_file(p)) }
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
        assert_eq!((problems[0].kind.as_str(), problems[0].place.as_deref()), ("LOOM802", Some("app.py:4")));
    }
}
