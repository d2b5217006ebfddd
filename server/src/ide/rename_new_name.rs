//! New names that mean something else at some of the places a rename
//! writes them: a parameter renamed to a keyword a call already passes
//! (into `**kwargs`, or an error), which the call would then pass twice;
//! and a private `__name`, which Python mangles to `_Class__name` inside
//! a class body and not outside it, so its edits would name two things;
//! and in a notebook a name IPython's shell binds in the user's namespace.

use rustc_hash::FxHashSet;

use super::mentions::{self, Mention};
use super::occurrences::{Occurrence, Target};
use super::parsed_files::ParsedFiles;
use crate::graph::explain::place;
use crate::graph::summary::DefinitionKind;
use crate::graph::{FileId, Graph, Location, Resolved, Span, SymbolId, SymbolKind};
use crate::notebook::Notebook;

/// The names IPython's shell binds in a notebook's namespace: the output
/// cache (`_`, `__`, `___`, `_N`) and input history (`_i`, `_ii`, `_iii`,
/// `_iN`), rebound as cells run; the status of the last `!` line; the
/// histories, the shell itself (which `%` lines run through) and its exits.
fn bound_by_ipython(name: &str) -> bool {
    let numbered = |prefix: &str| name.strip_prefix(prefix).is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()));
    let fixed = ["_", "__", "___", "_i", "_ii", "_iii", "_ih", "_oh", "_dh", "_exit_code", "In", "Out", "get_ipython", "exit", "quit", "__builtin__"];
    fixed.contains(&name) || numbered("_") || numbered("_i")
}

/// A new name IPython's shell binds (`_i`, `_1`, `Out`, …), where the
/// rename edits a notebook: the shell rebinds it as cells run, or the
/// notebook would hide the shell's own.
pub(super) fn check_ipython_name(graph: &Graph, new_name: &str, found: &[Occurrence]) -> Result<(), String> {
    if !bound_by_ipython(new_name) {
        return Ok(());
    }
    let Some(o) = found.iter().find(|o| graph.file(o.file).is_some_and(|f| Notebook::is_notebook(&f.path))) else { return Ok(()) };
    let at = place(graph, &Location { file: o.file, span: o.span });
    Err(format!(
        "`{new_name}` is a name IPython binds in a notebook's namespace (its output and input history, the shell, `exit`), and {at} is in a notebook: IPython would rebind it or lose its own"
    ))
}

/// `def f(b, **kw)` called as `f(1, a=2)`: renaming `b` to `a` makes the
/// call pass `a` twice.
pub(super) fn check_keyword(graph: &Graph, parsed: &ParsedFiles, function: SymbolId, new_name: &str) -> Result<(), String> {
    let mut calls: FxHashSet<(FileId, Span)> = FxHashSet::default();
    for caller in graph.callers(function) {
        calls.extend(caller.sites.iter().map(|site| (site.file, site.span)));
    }
    let files: FxHashSet<FileId> = calls.iter().map(|(file, _)| *file).collect();
    for file in files {
        let Some(entry) = graph.file(file) else { continue };
        for mention in mentions::scan_file(parsed, file, entry.text(), new_name, &[]) {
            if let Mention::KeywordArgument { span, callee } = mention
                && calls.contains(&(file, callee))
            {
                let at = place(graph, &Location { file, span });
                return Err(format!(
                    "the call at {at} already passes the keyword `{new_name}=`: with the parameter renamed it would bind it instead of `**` or twice"
                ));
            }
        }
    }
    Ok(())
}

/// A new `__name` (not a dunder) is refused where an edit lies outside
/// the class body that defines the target, or, for a name of no class,
/// inside any class body: there Python reads `_Class__name`.
pub(super) fn check_private(graph: &Graph, target: &Target, new_name: &str, found: &[Occurrence]) -> Result<(), String> {
    let private = |name: &str| name.starts_with("__") && !name.ends_with("__");
    // From one private name to another, the mangled spellings outside the
    // class are the runtime rename's (rename_runtime.rs).
    if !private(new_name) || private(&target.name) {
        return Ok(());
    }
    let class = target.denotes.iter().find_map(|d| match d {
        Resolved::Symbol(id) => graph.container(*id).and_then(|c| graph.symbol(c)).filter(|c| c.kind == SymbolKind::Class),
        _ => None,
    });
    let within = |outer: Span, inner: Span| outer.start <= inner.start && inner.end <= outer.end;
    let misplaced = found.iter().find(|o| match &class {
        Some(class) => class.file != Some(o.file) || !within(class.range, o.span),
        None => graph.file(o.file).is_some_and(|f| {
            f.summary.definitions.iter().any(|d| d.kind == DefinitionKind::Class && within(d.range, o.span) && o.span.start >= d.name_range.end)
        }),
    });
    let Some(o) = misplaced else { return Ok(()) };
    let at = place(graph, &Location { file: o.file, span: o.span });
    let mangled = match &class {
        Some(class) => format!("outside the class `{}`", class.qualified_name),
        None => "inside a class body".to_owned(),
    };
    Err(format!("`{new_name}` is a private name Python mangles by class, and {at} is {mangled}: it would name something else there"))
}
