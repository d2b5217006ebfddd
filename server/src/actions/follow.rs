//! A signature change the instruction asks for ("add a `currency`
//! parameter", "swap the parameters"), carried to every call: the model
//! rewrites the definition, and each function whose parameters its edit
//! changed has its calls rewritten by syntax tree
//! ([`crate::ide::signature_change`]), in the edited file around the
//! model's edit and in every other file. Where a call cannot be updated
//! exactly, the reason goes back to the model like any other problem.

use std::collections::{BTreeMap, VecDeque};
use std::ops::Range;
use std::path::Path;

use super::edit::FileChange;
use crate::graph::{Graph, Span, SymbolId};
use crate::ide::edits::{Replacement, apply};
use crate::ide::signature_change::{call_site_edits, definitions, mapping};

/// The edit with its calls updated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Followed {
    /// The edited file first (its candidate with its own calls updated),
    /// then each other file whose calls changed.
    pub changes: Vec<FileChange>,
    /// The functions whose calls were updated (qualified names).
    pub functions: Vec<String>,
    /// What the update left as it was, for the user to look at.
    pub untouched: Vec<String>,
}

/// The calls of what `candidate` (the new text of `path`, in `changed`)
/// gives new parameters, updated in `base`'s files; `None` when no
/// function's parameters changed. `renames` reads a parameter that left
/// and one that came at its place as one renamed.
pub fn follow(base: &Graph, changed: &Graph, path: &Path, original: &str, candidate: &str, renames: bool) -> Result<Option<Followed>, String> {
    let (Some(file), Some(new_file)) = (base.file_id(path), changed.file_id(path)) else { return Ok(None) };
    let lines = LineMap::new(original, candidate);
    let mut own: Vec<Replacement> = Vec::new();
    let mut others: Vec<FileChange> = Vec::new();
    let mut functions = Vec::new();
    let mut untouched = Vec::new();
    redefined_changed(base, file, changed, new_file)?;
    // A name defined more than once (a property's getter and setter,
    // `@overload` variants) pairs each definition with the one at its rank.
    let mut now: BTreeMap<&str, VecDeque<SymbolId>> = BTreeMap::new();
    for id in definitions(changed, new_file) {
        if let Some(symbol) = changed.symbol(id) {
            now.entry(symbol.qualified_name).or_default().push_back(id);
        }
    }
    for old in definitions(base, file) {
        let Some(symbol) = base.symbol(old) else { continue };
        let Some(new) = now.get_mut(symbol.qualified_name).and_then(VecDeque::pop_front).and_then(|n| changed.symbol(n)) else { continue };
        let (Some(was), Some(is)) = (symbol.signature, new.signature) else { continue };
        let shape = |s: &crate::graph::Signature| s.parameters.iter().map(|p| (p.name, p.kind, p.default.is_some())).collect::<Vec<_>>();
        if shape(was) == shape(is) {
            continue;
        }
        let new_parameters = mapping(&was.parameters, &is.parameters, renames);
        let edits = call_site_edits(base, old, &new_parameters).map_err(|why| {
            let gap = if why.starts_with('\n') { "" } else { " " };
            format!("of `{}` cannot all be updated:{gap}{why}", symbol.name)
        })?;
        untouched.extend(edits.untouched);
        // Followed even where no call's text changes (`pair("sheep",
        // "sheep")` reordered reads the same): the engine judged each call,
        // so the check after does not take them for calls left behind.
        functions.push(symbol.qualified_name.to_owned());
        if edits.files.is_empty() {
            continue;
        }
        for edit in edits.files {
            if edit.file == file {
                for r in edit.replacements {
                    match lines.moved(&r.span.range()) {
                        Some(span) => own.push(Replacement { span, text: r.text }),
                        // Rewritten by the model in the function itself: its call, for its signature.
                        None if symbol.range.range().contains(&(r.span.start as usize)) => {}
                        None => {
                            let line = crate::line_ends::line_number(original, r.span.start as usize);
                            return Err(format!(
                                "the edit rewrites line {line}, a call of `{}` that the new signature changes; leave that line to the update",
                                symbol.name
                            ));
                        }
                    }
                }
                continue;
            }
            let entry = base.file(edit.file).ok_or("a file left the graph")?;
            if others.iter().any(|c| c.path == entry.path) {
                return Err(format!("{} calls two of the changed functions; change one signature at a time", entry.path.display()));
            }
            let original = entry.text().to_string();
            others.push(FileChange { path: entry.path.clone(), candidate: apply(&original, &edit.replacements), original });
        }
    }
    if functions.is_empty() {
        return Ok(None);
    }
    own.sort_by_key(|r| r.span.start);
    if own.windows(2).any(|w| w[1].span.start < w[0].span.end) {
        return Err("calls of two changed functions are nested in each other; change one signature at a time".to_owned());
    }
    let primary = FileChange { path: path.to_owned(), original: original.to_owned(), candidate: apply(candidate, &own) };
    Ok(Some(Followed { changes: std::iter::once(primary).chain(others).collect(), functions, untouched }))
}

/// Refused when the edit changes the parameters of a name its scope
/// defines more than once (`def f` twice, or in both branches of an `if`):
/// the calls reach one of them, and which is not the changed one's alone.
fn redefined_changed(base: &Graph, file: crate::graph::FileId, changed: &Graph, new_file: crate::graph::FileId) -> Result<(), String> {
    type Shapes = std::collections::BTreeMap<String, Vec<Vec<(String, bool)>>>;
    let shapes = |graph: &Graph, file| -> Shapes {
        let mut out = Shapes::new();
        for id in definitions(graph, file) {
            let Some(symbol) = graph.symbol(id) else { continue };
            let shape = symbol.signature.map(|s| s.parameters.iter().map(|p| (p.name.to_string(), p.default.is_some())).collect()).unwrap_or_default();
            out.entry(symbol.qualified_name.to_owned()).or_default().push(shape);
        }
        out
    };
    let (was, is) = (shapes(base, file), shapes(changed, new_file));
    match was.iter().find(|(name, defs)| defs.len() > 1 && is.get(*name) != Some(defs)) {
        Some((name, _)) => Err(format!("of `{name}`, defined more than once in its scope, cannot be updated: which definition a call reaches is not known")),
        None => Ok(()),
    }
}

/// Where the lines the edit left as they were went: a byte range of the
/// original on such lines, placed on the candidate.
struct LineMap {
    /// (original start, candidate start, length) of each run of equal lines, in bytes.
    equal: Vec<(usize, usize, usize)>,
}

impl LineMap {
    fn new(original: &str, candidate: &str) -> LineMap {
        let starts = |text: &str| -> Vec<usize> {
            let mut at = 0;
            std::iter::once(0)
                .chain(text.split_inclusive('\n').map(|line| {
                    at += line.len();
                    at
                }))
                .collect()
        };
        let (old_starts, new_starts) = (starts(original), starts(candidate));
        let diff = similar::TextDiff::from_lines(original, candidate);
        let equal = diff
            .ops()
            .iter()
            .filter_map(|op| match *op {
                similar::DiffOp::Equal { old_index, new_index, len } => {
                    Some((old_starts[old_index], new_starts[new_index], old_starts[old_index + len] - old_starts[old_index]))
                }
                _ => None,
            })
            .collect();
        LineMap { equal }
    }

    fn moved(&self, range: &Range<usize>) -> Option<Span> {
        let &(old, new, _) = self.equal.iter().find(|(old, _, len)| *old <= range.start && range.end <= old + len)?;
        let start = new + (range.start - old);
        Some(Span::new(start as u32, (start + range.len()) as u32))
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use crate::actions::check::Checker;
    use crate::findings::Configs;
    use crate::settings::LintSettings;

    const LIB: &str = "def total(xs, tax):\n    return sum(xs) * tax\n\n\ndef twice(xs):\n    return total(xs, 2)\n";
    const APP: &str = "from lib import total\n\nprint(total([1], 2))\nprint(total([1], tax=3))\n";

    /// The problems and the files (name, new text) of editing lib.py into `candidate`, calls followed.
    fn followed(app: &str, candidate: &str) -> (Vec<String>, Vec<(String, String)>) {
        followed_in(LIB, app, candidate)
    }

    /// [`followed`] with `lib` for lib.py.
    fn followed_in(lib: &str, app: &str, candidate: &str) -> (Vec<String>, Vec<(String, String)>) {
        let dir = tempfile::tempdir().unwrap();
        let mut graph = crate::graph::Graph::new(vec![dir.path().to_owned()]);
        for (name, text) in [("lib.py", lib), ("app.py", app)] {
            std::fs::write(dir.path().join(name), text).unwrap();
            graph.update_file(&dir.path().join(name), text);
        }
        let configs = Arc::new(Configs::new(dir.path(), &LintSettings::default()).0);
        let checker = Checker::new(Arc::new(graph), configs);
        let (problems, followed) = checker.check_following(&dir.path().join("lib.py"), lib, candidate, false);
        let files = followed
            .map(|f| f.changes.into_iter().map(|c| (c.path.file_name().unwrap().to_string_lossy().into_owned(), c.candidate)).collect())
            .unwrap_or_default();
        (problems.iter().map(ToString::to_string).collect(), files)
    }

    #[test]
    fn swapped_parameters_take_every_call_with_them() {
        let (problems, files) = followed(APP, &LIB.replace("def total(xs, tax):", "def total(tax, xs):"));
        assert_eq!(problems, Vec::<String>::new());
        assert_eq!(files[0], ("lib.py".to_owned(), LIB.replace("def total(xs, tax):", "def total(tax, xs):").replace("total(xs, 2)", "total(2, xs)")));
        assert_eq!(files[1], ("app.py".to_owned(), "from lib import total\n\nprint(total(2, [1]))\nprint(total(xs=[1], tax=3))\n".to_owned()));
    }

    #[test]
    fn a_line_the_model_rewrote_outside_the_function_is_not_guessed_at() {
        // The model's edit reaches the caller's line, keeping the old order there.
        let candidate = LIB.replace("def total(xs, tax):", "def total(tax, xs):").replace("return total(xs, 2)", "return total(xs, 2)  # doubled");
        let (problems, files) = followed(APP, &candidate);
        assert!(files.is_empty());
        assert!(problems.iter().any(|p| p.contains("the edit rewrites line 6, a call of `total`")), "{problems:?}");
    }

    #[test]
    fn calls_that_read_the_same_after_a_reorder_are_not_taken_for_old_ones() {
        // Tester case 23: every call passes one value twice.
        let app = "from lib import total\n\nprint(total(2, 2))\n";
        let candidate = LIB.replace("def total(xs, tax):", "def total(tax, xs):").replace("total(xs, 2)", "total(2, xs)");
        let (problems, files) = followed(app, &LIB.replace("def total(xs, tax):", "def total(tax, xs):"));
        assert_eq!(problems, Vec::<String>::new());
        assert_eq!(files, [("lib.py".to_owned(), candidate)]);
        // Must not: a call the reorder does change is still rewritten.
        let (problems, files) = followed("from lib import total\n\nprint(total(1, 2))\n", &LIB.replace("def total(xs, tax):", "def total(tax, xs):"));
        assert_eq!(problems, Vec::<String>::new());
        assert_eq!(files[1].1, "from lib import total\n\nprint(total(2, 1))\n");
    }

    #[test]
    fn a_refused_follow_names_its_reason_not_the_calls_it_would_have_fixed() {
        // Tester case 20: a doctest refuses; the file's own call would have been updated.
        let lib = "def area(width, height, unit=\"m\"):\n    \"\"\"Area.\n\n    >>> area(2, 3)\n    '6m'\n    \"\"\"\n    return f\"{width * height}{unit}\"\n\n\ndef use():\n    return area(1, height=2, unit=\"cm\")\n";
        let (problems, files) = followed_in(lib, "", &lib.replace("def area(width, height,", "def area(height, width,"));
        assert!(files.is_empty());
        assert_eq!(
            problems,
            ["calls of `area` cannot all be updated: a doctest at lib.py:2 calls `area` with arguments the change would move: doctests are not updated"]
        );
        // Must not: a call the edit breaks of another function stays a reason.
        let lib = format!("{lib}\n\ndef other(a):\n    return a\n");
        let candidate = lib.replace("def area(width, height,", "def area(height, width,").replace("unit=\"cm\")\n", "unit=\"cm\"), other()\n");
        let (problems, _) = followed_in(&lib, "", &candidate);
        assert!(problems.iter().any(|p| p.contains("LOOM802")), "{problems:?}");
    }

    #[test]
    fn calls_that_cannot_be_updated_are_the_problem_named() {
        let app = "from lib import total\n\nargs = ([1], 2)\nprint(total(*args))\n";
        let (problems, files) = followed(app, &LIB.replace("def total(xs, tax):", "def total(tax, xs):"));
        assert!(files.is_empty());
        assert!(
            problems.iter().any(|p| p.contains("calls of `total` cannot all be updated: the call at app.py:4 cannot be updated: it passes `*args`")),
            "{problems:?}"
        );
    }

    #[test]
    fn a_call_already_broken_stops_the_follow() {
        // The rewrite may misread it (`type(self).m(self, …)`): left as it is, it may be left wrong.
        let app = "from lib import total\n\nprint(total([1], 2))\nprint(total([1]))\n";
        let (problems, files) = followed(app, &LIB.replace("def total(xs, tax):", "def total(tax, xs):"));
        assert!(files.is_empty());
        assert!(problems.iter().any(|p| p.contains("the call at app.py:4 does not match the old parameters")), "{problems:?}");
    }

    /// A property's getter and setter share a name: each is read against
    /// its own new definition, not the first one of the name.
    const ENGINE: &str =
        "class Engine:\n    @property\n    def level(self):\n        return 1\n\n    @level.setter\n    def level(self, val):\n        pass\n\n\n";

    #[test]
    fn a_property_with_a_setter_elsewhere_in_the_file_does_not_stop_the_follow() {
        let lib = format!("{ENGINE}{LIB}");
        let (problems, files) = followed_in(&lib, APP, &lib.replace("def total(xs, tax):", "def total(tax, xs):"));
        assert_eq!(problems, Vec::<String>::new());
        assert_eq!(files[1].1, "from lib import total\n\nprint(total(2, [1]))\nprint(total(xs=[1], tax=3))\n");
    }

    #[test]
    fn a_setter_whose_parameters_change_is_still_refused() {
        let lib = format!("{ENGINE}{LIB}");
        let (problems, files) = followed_in(&lib, APP, &lib.replace("def level(self, val):", "def level(self, val, force):"));
        assert!(files.is_empty());
        assert!(problems.iter().any(|p| p.contains("of `lib.Engine.level`, defined more than once in its scope, cannot be updated")), "{problems:?}");
    }
}
