//! IPython's escapes in a notebook (`%time y = f(x)`, `!echo {total}`,
//! `out = !ls $folder`): lines the graph reads as opaque, whose text IPython
//! still runs as Python or expands from the user's names. An edit that
//! renames a name they spell cannot be checked, so it is refused; a
//! refactoring reads a notebook's code as IPython does ([`parse`]) and its
//! edits pass [`guard`].

use ruff_python_ast::{ModModule, PySourceType};
use ruff_python_parser::Parsed;
use ruff_text_size::TextRange;

use super::edits::{Replacement, apply};
use super::mentions::whole_word_ends;
use crate::graph::{FileId, Graph, Location, Span};
use crate::notebook::Notebook;
use crate::notebook::escapes::{Escapes, names};

/// The first escape of a notebook's joined cells that may read or bind
/// `name`: one spelling it as a whole word, or a `%run` when it is one of
/// the notebook's globals.
pub(super) fn spelling(text: &str, name: &str) -> Option<Span> {
    if whole_word_ends(text, name).next().is_none() {
        return None;
    }
    let parsed = ruff_python_parser::parse_unchecked_source(text, PySourceType::Ipynb);
    Escapes::of(&parsed).reading(text, name).map(Span::from)
}

/// The first escape that may read or bind `name` ([`spelling`]) in a
/// notebook that may reach the definition `defined` (in `found`'s files,
/// or in any notebook when it is defined in an importable module:
/// `%time r = helper.greet()` reaches
/// it through an attribute the graph does not see there; a notebook's own
/// names no other notebook can import, but one naming it may `%run` it,
/// which binds its globals as `%run helper.py` binds a script's).
pub(super) fn reaching(graph: &Graph, defined: Option<FileId>, found: &[FileId], name: &str) -> Option<Location> {
    let defined_path = defined.and_then(|f| graph.file(f)).map(|entry| entry.path.as_path());
    let importable = defined_path.is_some_and(|path| !Notebook::is_notebook(path));
    let run_notebook = defined_path.filter(|path| Notebook::is_notebook(path)).and_then(|path| path.file_name()?.to_str());
    graph
        .files()
        // A script the rename edits may be run by IPython too (what
        // `nbconvert --to script` writes: `get_ipython().run_line_magic(…)`).
        .filter(|(file, entry)| match Notebook::is_notebook(&entry.path) {
            true => importable || found.contains(file) || run_notebook.is_some_and(|run| entry.text.contains(run)),
            false => found.contains(file) && entry.text.contains("get_ipython"),
        })
        .find_map(|(file, entry)| spelling(&entry.text, name).map(|span| Location { file, span }))
}

/// The code of a module (`notebook`: a notebook's joined cells, which may
/// hold IPython's escapes) parsed for a refactoring; `Err` when it has
/// syntax errors.
pub(super) fn parse(text: &str, notebook: bool) -> Result<Parsed<ModModule>, ()> {
    if !notebook {
        return ruff_python_parser::parse_module(text).map_err(drop);
    }
    let parsed = ruff_python_parser::parse_unchecked_source(text, PySourceType::Ipynb);
    if parsed.errors().is_empty() { Ok(parsed) } else { Err(()) }
}

/// Where the first syntax error of the code at `path` is, to name it in a
/// refusal: a notebook's is read as IPython reads its `cells` (each on its
/// own, when the graph knows them).
pub(super) fn first_syntax_error(text: &str, path: &std::path::Path, cells: Option<&[TextRange]>) -> Option<Span> {
    let parsed = match Notebook::is_notebook(path) {
        true => crate::notebook::parse_module(text, cells),
        false => ruff_python_parser::parse_unchecked_source(text, PySourceType::from(path)),
    };
    parsed.errors().iter().map(|error| Span::from(error.location)).min()
}

/// Why the `replacements` of `text` (a notebook's code) are refused, or
/// `Ok`. The graph sees no name in an escape, so an edit is made only
/// where no escape can tell: none of them changes or copies an escape
/// (the copy's `{name}`s would not follow the edit), and no name the edit
/// reads, binds or removes is spelled in one (`%time y = total` reads
/// `total`; `!echo {total}` expands it) or is a global a `%run` reaches.
pub(super) fn guard(text: &str, replacements: &[Replacement]) -> Result<(), String> {
    let parsed = ruff_python_parser::parse_unchecked_source(text, PySourceType::Ipynb);
    let escapes = Escapes::of(&parsed);
    if escapes.is_empty() {
        return Ok(());
    }
    for r in replacements {
        let inside =
            |e: Span| if r.span.start == r.span.end { e.start < r.span.start && r.span.start < e.end } else { r.span.start < e.end && e.start < r.span.end };
        if let Some(escape) = escapes.ranges.iter().find(|e| inside(Span::from(**e))) {
            return Err(format!("the edit would change {}, which pyloom cannot check; refused", escapes.shown(text, *escape)));
        }
    }
    let words = replacements.iter().flat_map(|r| names(&text[r.span.range()]).chain(names(&r.text)));
    for word in words {
        if let Some(escape) = escapes.reading(text, word) {
            let shown = escapes.shown(text, escape);
            if escapes.is_run(escape) {
                return Err(format!("`{word}` is a global of the notebook, which the script of {shown} may bind or read; refused"));
            }
            return Err(format!("`{word}` is spelled in {shown}, which pyloom cannot check; refused"));
        }
    }
    let candidate = apply(text, replacements);
    let after = ruff_python_parser::parse_unchecked_source(&candidate, PySourceType::Ipynb);
    let before: Vec<&str> = escapes.ranges.iter().map(|e| &text[e.to_std_range()]).collect();
    let now: Vec<&str> = Escapes::of(&after).ranges.iter().map(|e| &candidate[e.to_std_range()]).collect();
    if before != now {
        return Err("the edit would copy or remove an IPython escape (`%…`, `!…`), which pyloom cannot check; refused".to_owned());
    }
    Ok(())
}

#[cfg(test)]
#[path = "ipython_escapes_tests.rs"]
mod tests;
