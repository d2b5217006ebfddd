//! IPython's escapes in a notebook (`%time y = f(x)`, `!echo {total}`,
//! `out = !ls $folder`): lines the graph reads as opaque, whose text IPython
//! still runs as Python or expands from the user's names. An edit that
//! renames a name they spell cannot be checked, so it is refused; a
//! refactoring reads a notebook's code as IPython does ([`parse`]) and its
//! edits pass [`guard`].

use ruff_python_ast::{ModModule, PySourceType};
use ruff_python_parser::Parsed;
use ruff_text_size::TextRange;

use super::edits::Replacement;
use super::mentions::whole_word_ends;
use crate::graph::{FileId, Graph, Location, Span};
use crate::notebook::Notebook;
use crate::notebook::escapes::{EditCheck, Escapes, magic_line_spells};

/// The first escape of a notebook's joined cells that may read or bind
/// `name`: one spelling it as a whole word, or a `%run` when it is one of
/// the notebook's globals.
pub(super) fn spelling(text: &str, name: &str) -> Option<Span> {
    if whole_word_ends(text, name).next().is_none() {
        return None;
    }
    let parsed = crate::syntax::parse_unchecked_source(text, PySourceType::Ipynb);
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
    graph
        .files()
        // A script the rename edits may be run by IPython too (what
        // `nbconvert --to script` writes: `get_ipython().run_line_magic(…)`).
        .filter(|(file, entry)| match Notebook::is_notebook(&entry.path) {
            true => found.contains(file) || notebook_reaches(graph, defined, entry.text()),
            false => found.contains(file) && entry.text().contains("get_ipython"),
        })
        .find_map(|(file, entry)| spelling(entry.text(), name).map(|span| Location { file, span }))
}

/// Whether a notebook whose code (or file) is `text` may reach the
/// definition in `defined` by a way the graph does not follow: any
/// notebook may import what an importable module defines, and one naming
/// a notebook may `%run` it, which binds its globals.
pub(super) fn notebook_reaches(graph: &Graph, defined: Option<FileId>, text: &str) -> bool {
    let Some(path) = defined.and_then(|f| graph.file(f)).map(|entry| entry.path.as_path()) else { return false };
    match Notebook::is_notebook(path) {
        true => path.file_name().and_then(|name| name.to_str()).is_some_and(|run| text.contains(run)),
        false => true,
    }
}

/// The first line of a cell magic's cell that a notebook among `found`
/// leaves out of its module text (`%%bash -s {scale}`) spelling `name`,
/// where IPython expands it from the notebook's names: shown as the
/// notebook's path and the line. The graph holds only the joined cells,
/// so the notebook is read as saved.
pub(super) fn left_out_spelling(graph: &Graph, found: &[FileId], name: &str) -> Option<String> {
    let notebooks = found.iter().filter_map(|file| graph.file(*file)).filter(|entry| Notebook::is_notebook(&entry.path));
    notebooks.into_iter().find_map(|entry| {
        let line = Notebook::read(&entry.path).ok()?.left_out_magics().into_iter().find(|line| magic_line_spells(line, name))?;
        Some(format!("{} (`{}`)", entry.path.display(), line.trim()))
    })
}

/// The code of a module (`notebook`: a notebook's joined cells, which may
/// hold IPython's escapes) parsed for a refactoring; `Err` when it has
/// syntax errors.
pub(super) fn parse(text: &str, notebook: bool) -> Result<Parsed<ModModule>, ()> {
    let parsed = if notebook {
        Some(crate::syntax::parse_unchecked_source(text, PySourceType::Ipynb)).filter(|parsed| parsed.errors().is_empty()).ok_or(())?
    } else {
        ruff_python_parser::parse_module(text).map_err(drop)?
    };
    // The refactorings' walks recurse once per level and would overflow
    // the stack: an expression nested that deep is an error of its own
    // (`pyloom check`'s E999; CPython cannot compile it either).
    if crate::syntax::too_deep(&parsed).is_some() { Err(()) } else { Ok(parsed) }
}

/// Where the first syntax error of the code at `path` is, to name it in a
/// refusal: a notebook's is read as IPython reads its `cells` (each on its
/// own, when the graph knows them).
pub(super) fn first_syntax_error(text: &str, path: &std::path::Path, cells: Option<&[TextRange]>) -> Option<Span> {
    let parsed = crate::notebook::parse_code(text, path, cells);
    parsed.errors().iter().map(|error| Span::from(error.location)).min().or_else(|| crate::syntax::too_deep(&parsed).map(Span::from))
}

/// Why the `replacements` of `text` (a notebook's code) are refused, or
/// `Ok`: the one rule ruff's fixes in a notebook pass too ([`EditCheck`]).
pub(super) fn guard(text: &str, replacements: &[Replacement]) -> Result<(), String> {
    let Some(check) = EditCheck::new(text, None, &[]) else { return Ok(()) };
    match check.hazard(replacements.iter().map(|r| (r.span.range(), r.text.as_str()))) {
        Some(why) => Err(format!("{why}; refused")),
        None => Ok(()),
    }
}

#[cfg(test)]
#[path = "ipython_escapes_tests.rs"]
mod tests;
