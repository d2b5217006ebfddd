//! The import statements a symbol move writes: the ones the moved code
//! needs in its new module (merged into its import block, those for type
//! checkers only under `if TYPE_CHECKING:` in a new module, its future
//! imports), and the code appended after them.

use std::path::Path;

use super::checking_only;
use super::edits::{Replacement, apply};
use super::module_move_edits::spelled;
use super::symbol_move::SymbolMoveError;
use super::symbol_move_code::{self as code, Block, Needed, Read};
use super::symbol_move_users::Moving;
use crate::actions::imports;
use crate::graph::explain::place;
use crate::graph::{Graph, Location};

pub(super) fn sorted(mut replacements: Vec<Replacement>) -> Vec<Replacement> {
    replacements.sort_by_key(|r| (r.span.start, r.span.end));
    replacements
}

/// `text` with `replacements`, and `import` (when some) merged into its
/// import block (sorted, when the block was).
pub(super) fn with_imports(
    path: &Path,
    text: &str,
    mut replacements: Vec<Replacement>,
    import: impl IntoIterator<Item = String>,
) -> Result<String, SymbolMoveError> {
    let statements: Vec<String> = import.into_iter().collect();
    if !statements.is_empty() {
        let parsed = ruff_python_parser::parse_module(text).map_err(|_| SymbolMoveError::SyntaxErrors(path.display().to_string()))?;
        let (range, inserted) = imports::insertion(text, parsed.syntax(), &statements);
        // First among insertions at the same place (the code of an empty target), the sort being stable.
        replacements.insert(0, Replacement { span: crate::graph::Span::new(range.start as u32, range.end as u32), text: inserted });
    }
    let replacements = sorted(replacements);
    if replacements.windows(2).any(|w| w[0].span.end > w[1].span.start) {
        return Err(SymbolMoveError::Unfollowable { what: "overlapping edits".to_owned(), place: path.display().to_string() });
    }
    let mut candidate = apply(text, &replacements);
    // Imports taken from the top of the file leave no blank lines there.
    if !text.starts_with('\n') {
        candidate = candidate.trim_start_matches('\n').to_owned();
    }
    Ok(imports::sort(path, text, &candidate))
}

/// The import statements the new module needs for what the moved code
/// reads: none for a name it binds the same way already; refused for one
/// it binds otherwise.
/// The imports for type checkers only go to `if TYPE_CHECKING:` in a new
/// module ([`TargetImports::checking`]).
pub(super) fn target_imports(graph: &Graph, moving: &Moving, reads: &[Read], relative_style: bool) -> Result<TargetImports, SymbolMoveError> {
    let Some(old) = graph.file(moving.old_file) else { return Ok(TargetImports::default()) };
    let target = moving.target.and_then(|t| graph.file(t).map(|e| (t, e)));
    // `from m import a` and `from m import b` become one statement.
    let mut out: Vec<(bool, String, Vec<String>)> = Vec::new();
    let mut add = |checking: bool, head: String, name: String| {
        let same = |(c, h, names): &&mut (bool, String, Vec<String>)| *c == checking && *h == head && (h.starts_with("from ") || names.contains(&name));
        match out.iter_mut().find(same) {
            Some((_, _, names)) if !names.contains(&name) => names.push(name),
            Some(_) => {}
            None => out.push((checking, head, vec![name])),
        }
    };
    for read in reads {
        if read.checking && target.is_some() {
            let what = format!("`{}`, imported for type checkers only (into an existing module),", read.name);
            return Err(SymbolMoveError::Unfollowable { what, place: place(graph, &Location { file: moving.old_file, span: moving.statement }) });
        }
        if let Some((id, entry)) = target
            && let Some(binding) = entry.summary.bindings.iter().find(|b| b.scope == 0 && b.name == read.name)
        {
            if graph.definition(id, binding.range.start) == read.resolved {
                // What the target imports for type checkers only is not there when the moved code runs.
                if !read.checking
                    && let Some(at) = checking_only::binding(entry, &read.name)
                {
                    let what = format!("`{}`, which the target binds only for type checkers (under `if TYPE_CHECKING:`),", read.name);
                    return Err(SymbolMoveError::Unfollowable { what, place: place(graph, &Location { file: id, span: at }) });
                }
                continue;
            }
            let place = place(graph, &Location { file: id, span: binding.range });
            return Err(SymbolMoveError::Clash { name: read.name.clone(), module: moving.new.to_owned(), place });
        }
        for need in &read.imports {
            // Imported by the old module from the new one: the new module's own.
            if need.module() == moving.new {
                continue;
            }
            let aliased = |name: &str, alias: &Option<String>| alias.as_deref().map_or_else(|| name.to_owned(), |a| format!("{name} as {a}"));
            match need {
                Needed::Module { module, alias } => add(read.checking, "import".to_owned(), aliased(module, alias)),
                Needed::From { module, name, alias, relative } => {
                    let relative = *relative || module == &old.module && relative_style;
                    add(read.checking, format!("from {} import", spelled(moving.new, false, module, relative)), aliased(name, alias));
                }
            }
        }
    }
    let mut imports = TargetImports::default();
    for (checking, head, names) in out {
        let statement = format!("{head} {}", names.join(", "));
        if checking { imports.checking.push(statement) } else { imports.runtime.push(statement) }
    }
    imports.runtime.extend(code::future_imports(old, target.map(|(_, e)| e), moving.statement, moving.name, moving.new)?);
    if !imports.checking.is_empty() {
        // Read only in annotations: the old module has the future import, which the new one took.
        imports.runtime.push("from typing import TYPE_CHECKING".to_owned());
    }
    Ok(imports)
}

/// The import statements a moved definition needs in its new module.
#[derive(Debug, Default)]
pub(super) struct TargetImports {
    runtime: Vec<String>,
    /// For type checkers only (a new module's `if TYPE_CHECKING:` block).
    checking: Vec<String>,
}

/// The new module's text: its own edits, the imports, the code at the end.
pub(super) fn target_text(
    path: &Path,
    original: Option<&str>,
    edits: Vec<Replacement>,
    needed: &TargetImports,
    block: &Block,
) -> Result<String, SymbolMoveError> {
    let imports = &needed.runtime;
    let Some(original) = original else {
        let header: String = imports.iter().map(|s| format!("{s}\n")).collect();
        let checking: String = needed.checking.iter().map(|s| format!("    {s}\n")).collect();
        let checking = if checking.is_empty() { checking } else { format!("\nif TYPE_CHECKING:\n{checking}") };
        // A new file's imports are sorted as ruff's isort would.
        return Ok(if header.is_empty() { block.text.clone() } else { imports::sort(path, "", &format!("{header}{checking}\n\n{}", block.text)) });
    };
    // The code follows the last line after two blank lines, whatever blank lines the file ended with.
    let kept = original.trim_end().len();
    let code = if kept == 0 { block.text.clone() } else { format!("\n\n\n{}", block.text) };
    let mut edits = edits;
    edits.push(Replacement { span: crate::graph::Span::new(kept as u32, original.len() as u32), text: code });
    let future = imports.iter().any(|i| i == code::FUTURE_ANNOTATIONS);
    let text = with_imports(path, original, edits, imports.iter().filter(|i| *i != code::FUTURE_ANNOTATIONS).cloned())?;
    if future { code::with_future_import(path, &text) } else { Ok(text) }
}
