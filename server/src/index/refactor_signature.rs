//! `pyloom refactor signature`: a function given new parameters on the
//! command line, every call of it updated to match: renames first, the rest
//! followed; with `--model`, the arguments of new parameters without a
//! default proposed by the workspace's model at each call and checked
//! there, as the editor's `pyloom.updateCalls` does.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use ruff_python_ast::comparable::ComparableParameters;
use ruff_python_ast::visitor::source_order::{self, SourceOrderVisitor};
use ruff_python_ast::{Stmt, StmtFunctionDef};
use ruff_text_size::Ranged;

use super::{Checked, Failure, checked, refuse_on, refused, write_all};
use crate::actions::call_arguments::{Change, proposals, request};
use crate::actions::check::Checker;
use crate::actions::edit::FileChange;
use crate::actions::rename::diff;
use crate::graph::{FileEntry, Graph, Parameter, Resolved, Signature, Span, SymbolId};
use crate::ide::call_arguments::{asking, fill, site_context};
use crate::ide::checking_only;
use crate::ide::rename;
use crate::ide::signature_change::{mapping, required};
use crate::llm::Request;
use crate::project::workspace_settings;
use crate::settings::llm::LlmSettings;

/// Asks the model configured by `settings` and gives its answer's text.
pub type Ask = dyn Fn(&LlmSettings, &Request) -> Result<String, String>;

/// `pyloom refactor signature FILE:LINE PARAMETERS`: the function defined
/// on that line given `parameters` (`(self, qty, sku, currency="EUR")`),
/// every call of it updated to match ([`crate::actions::follow`]), all of
/// it checked; the diff, written with `apply`. Parameters keep their
/// arguments by name; a new one needs a default, unless `model` is given
/// to propose its argument at each call ([`with_model`]).
pub fn signature(location: &str, parameters: &str, apply_it: bool, model: Option<&Ask>) -> Result<String, Failure> {
    let (file, line) = crate::context::parse_location(location)?;
    let Checked { root, file, original, checker } = checked(&file)?;
    if let Err(error) = ruff_python_parser::parse_module(&original) {
        let at = crate::line_ends::line_number(&original, error.location.start().to_usize());
        return Err(refused(format!("{} has a syntax error on line {at}; fix it first", file.display())));
    }
    let (name_start, def) =
        function_on_line(&original, line).ok_or_else(|| format!("no `def` or decorator of one starts on line {line} of {}", file.display()))?;
    let name: String = original[name_start..].chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
    let trimmed = parameters.trim();
    let wanted = if trimmed.starts_with('(') { trimmed.to_owned() } else { format!("({trimmed})") };
    if same_parameters(&original[def.clone()], &wanted) {
        // Rewriting the list would only re-flow it (tester 27, L13).
        eprintln!("pyloom: `{name}` already takes {wanted}: nothing to change");
        return Ok(String::new());
    }
    if let Some(comment) = comment_lost(&original, def.clone(), &wanted) {
        return Err(refused(format!(
            "the parameter list of `{name}` holds the comment `{comment}` (line {}), which the new list would delete: write it in the new list, or edit the `def` by hand and take the editor's \"update N call sites\" fix",
            crate::line_ends::line_number(&original, def.start + original[def.clone()].find(comment).unwrap_or_default())
        )));
    }
    let candidate = format!("{}{wanted}{}", &original[..def.start], &original[def.end..]);
    if ruff_python_parser::parse_module(&candidate).is_err() {
        return Err(format!("`{wanted}` is not a parameter list Python accepts").into());
    }
    let graph = checker.graph.clone().ok_or("the workspace graph is not loaded")?;
    super::unread_spelling(&graph, &root, &name)?;
    if let Some(entry) = graph.file_id(&file).and_then(|id| graph.file(id))
        && let Some((read, at)) = reads_for_checkers(entry, &wanted)
    {
        let line = checking_only::line(entry.text(), at);
        return Err(refused(format!(
            "`{wanted}` reads `{read}`, which {} binds only for type checkers (line {line}, under `if TYPE_CHECKING:`): it is not bound when the `def` runs",
            file.strip_prefix(&root).unwrap_or(&file).display()
        )));
    }
    if let Some(ask) = model
        && let Some(changes) = with_model(&graph, &root, &file, &original, &candidate, line, ask)?
    {
        refuse_on("the signature change", &checker.check_all(&changes))?;
        let mut out = diff(&changes, &root);
        if apply_it {
            write_all(&changes)?;
            out.push_str(&format!("pyloom: wrote {} file(s)\n", changes.len()));
        }
        return Ok(out);
    }
    let (changes, untouched) = match renamed_parameters(&graph, &file, &original, &candidate, line).map_err(refused)? {
        None => {
            let (problems, followed) = checker.check_following(&file, &original, &candidate, false);
            refuse_on("the signature change", &problems)?;
            followed.map_or_else(|| (vec![FileChange { path: file.clone(), original: original.clone(), candidate }], Vec::new()), |f| (f.changes, f.untouched))
        }
        // The renames made first (body and keyword arguments), then the
        // rest of the change followed on the renamed workspace.
        Some((renamed, texts)) => {
            let text = texts.get(&file).cloned().unwrap_or_else(|| original.clone());
            let (_, def) = function_on_line(&text, line).ok_or("the renamed `def` could not be found again")?;
            let candidate = format!("{}{wanted}{}", &text[..def.start], &text[def.end..]);
            let after_renames = Checker { graph: Some(Arc::new(renamed)), config_for: checker.config_for.clone() };
            let (problems, followed) = after_renames.check_following(&file, &text, &candidate, false);
            refuse_on("the signature change", &problems)?;
            let mut texts = texts;
            let untouched = match followed {
                Some(followed) => {
                    texts.extend(followed.changes.into_iter().map(|c| (c.path, c.candidate)));
                    followed.untouched
                }
                None => {
                    texts.insert(file.clone(), candidate);
                    Vec::new()
                }
            };
            let changes: Vec<FileChange> = texts
                .into_iter()
                .filter_map(|(path, candidate)| {
                    let original = graph.file_id(&path).and_then(|id| graph.file(id)).map(|e| e.text().to_string())?;
                    (original != candidate).then_some(FileChange { path, original, candidate })
                })
                .collect();
            refuse_on("the signature change", &checker.check_all(&changes))?;
            (changes, untouched)
        }
    };
    for left in untouched {
        eprintln!("pyloom: note: {left}");
    }
    let mut out = diff(&changes, &root);
    if apply_it {
        write_all(&changes)?;
        out.push_str(&format!("pyloom: wrote {} file(s)\n", changes.len()));
    }
    Ok(out)
}

/// Whether two parameter lists (`(a, b=1)`) are the same but for their
/// spacing, line breaks, quotes and comments.
fn same_parameters(old: &str, new: &str) -> bool {
    let parameters = |list: &str| match ruff_python_parser::parse_module(&format!("def f{list}: pass\n")).map(|parsed| parsed.into_syntax().body) {
        Ok(body) => match body.as_slice() {
            [Stmt::FunctionDef(def)] => Some(def.parameters.clone()),
            _ => None,
        },
        Err(_) => None,
    };
    match (parameters(old), parameters(new)) {
        (Some(old), Some(new)) => ComparableParameters::from(&*old) == ComparableParameters::from(&*new),
        _ => false,
    }
}

/// The first name the parameters `wanted` read when the `def` runs (their
/// defaults, and their annotations without `from __future__ import
/// annotations`) that `entry` binds only for type checkers, and where.
fn reads_for_checkers(entry: &FileEntry, wanted: &str) -> Option<(String, Span)> {
    let parsed = ruff_python_parser::parse_module(&format!("def _{wanted}: pass")).ok()?;
    let Some(Stmt::FunctionDef(def)) = parsed.syntax().body.first() else { return None };
    let lazy = entry.summary.imports.iter().any(|i| i.scope == 0 && i.module.as_deref() == Some("__future__") && i.name.as_deref() == Some("annotations"));
    let evaluated = def.parameters.iter().flat_map(|p| p.default().into_iter().chain(p.annotation().filter(|_| !lazy)));
    checking_only::first_read(entry, evaluated)
}

/// The workspace after parameter renames, and the new text of each file they edit.
type Renamed = (Graph, BTreeMap<PathBuf, String>);

/// The parameters `candidate` (the file with the `def` on `line` given its
/// new parameters) renames at their place, of the same kind (`(w, height)`
/// for `(width, height)`), as the editor's fix of LOOM806 reads them: each
/// renamed by [`rename`] in the function's body and in the keyword
/// arguments of its calls, one after another; the workspace so renamed and
/// the new text of every file it edits. `None` when nothing is renamed.
fn renamed_parameters(graph: &Graph, file: &Path, original: &str, candidate: &str, line: usize) -> Result<Option<Renamed>, String> {
    let signature_of = |graph: &Graph, text: &str| defined_on_line(graph, file, text, line).map(|(_, parameters)| parameters);
    let Some(old) = signature_of(graph, original) else { return Ok(None) };
    let changed = graph.with_texts([(file, candidate)]);
    let Some(new) = signature_of(&changed, candidate) else { return Ok(None) };
    let renames: Vec<(String, String)> = mapping(&old, &new, true).into_iter().filter_map(|n| n.from.filter(|f| *f != n.name).map(|f| (f, n.name))).collect();
    if renames.is_empty() {
        return Ok(None);
    }
    let mut renamed = graph.clone();
    let mut texts: BTreeMap<PathBuf, String> = BTreeMap::new();
    for (old_name, new_name) in renames {
        let text = texts.get(file).map_or(original, String::as_str);
        let parameters = signature_of(&renamed, text).ok_or("the `def` could not be found again after a rename")?;
        let parameter = parameters.iter().find(|p| p.name == old_name).ok_or("a renamed parameter could not be found again")?;
        let id = renamed.file_id(file).ok_or("the file left the workspace")?;
        let stars = text.get(parameter.range.range()).map_or(0, |t| t.len() - t.trim_start_matches('*').len());
        let edits = rename::rename(&renamed, id, parameter.range.start + stars as u32, &new_name)
            .map_err(|why| format!("the parameter `{old_name}` cannot be renamed `{new_name}`: {why}"))?;
        for edit in edits {
            let entry = renamed.file(edit.file).ok_or("a file of the rename left the workspace")?;
            texts.insert(entry.path.clone(), rename::apply(entry.text(), &edit.replacements));
        }
        renamed = graph.with_texts(texts.iter().map(|(path, text)| (path.as_path(), text.as_str())));
    }
    Ok(Some((renamed, texts)))
}

/// The first comment inside the parameter list `list` of `text` that
/// `wanted` (the new list, which replaces it whole) does not write again:
/// a `# noqa` or a note on a parameter would be deleted with it.
fn comment_lost<'t>(text: &'t str, list: std::ops::Range<usize>, wanted: &str) -> Option<&'t str> {
    let parsed = ruff_python_parser::parse_module(text).ok()?;
    let inside = |t: &&ruff_python_ast::token::Token| list.contains(&t.start().to_usize()) && t.kind() == ruff_python_ast::token::TokenKind::Comment;
    parsed.tokens().iter().filter(inside).map(|t| &text[t.range()]).find(|comment| !wanted.contains(comment))
}

/// The start of the name and the parameter list (with its parentheses) of
/// the function whose `def` starts on 1-based `line`.
fn function_on_line(text: &str, line: usize) -> Option<(usize, std::ops::Range<usize>)> {
    struct Find<'a> {
        text: &'a str,
        line: usize,
        found: Option<(usize, std::ops::Range<usize>)>,
    }
    impl<'a> SourceOrderVisitor<'a> for Find<'_> {
        fn visit_stmt(&mut self, stmt: &'a Stmt) {
            let line_of = |offset: usize| crate::line_ends::line_number(self.text, offset);
            // Its `def` line, or one of its decorators' (as `refactor move` takes them).
            if let Stmt::FunctionDef(StmtFunctionDef { name, parameters, decorator_list, .. }) = stmt
                && (line_of(name.start().to_usize()) == self.line
                    || !decorator_list.is_empty() && (line_of(stmt.start().to_usize())..line_of(name.start().to_usize())).contains(&self.line))
            {
                self.found.get_or_insert((name.start().to_usize(), parameters.range().into()));
            }
            source_order::walk_stmt(self, stmt);
        }
    }
    let parsed = ruff_python_parser::parse_module(text).ok()?;
    let mut find = Find { text, line, found: None };
    find.visit_body(&parsed.syntax().body);
    find.found
}

/// The function whose `def` starts on `line` of `file` (reading `text`)
/// and its parameters.
fn defined_on_line(graph: &Graph, file: &Path, text: &str, line: usize) -> Option<(SymbolId, Vec<Parameter>)> {
    let (name, _) = function_on_line(text, line)?;
    let id = graph.file_id(file)?;
    let Some(Resolved::Symbol(function)) = graph.definition(id, name as u32) else { return None };
    Some((function, graph.symbol(function)?.signature?.parameters.clone()))
}

/// `--model`: where the change adds parameters without a default, the
/// arguments of every call from the model (`ask`, given the workspace's
/// `llm` settings), each checked at its call ([`fill`]); the files so
/// changed, the `def` among them. `None` when no new parameter lacks a
/// default (the change needs no model).
fn with_model(graph: &Graph, root: &Path, file: &Path, original: &str, candidate: &str, line: usize, ask: &Ask) -> Result<Option<Vec<FileChange>>, Failure> {
    let Some((function, old)) = defined_on_line(graph, file, original, line) else { return Ok(None) };
    let changed = graph.with_texts([(file, candidate)]);
    let Some((_, new)) = defined_on_line(&changed, file, candidate, line) else { return Ok(None) };
    let new = mapping(&old, &new, true);
    let needed: Vec<String> = required(&new).map(|p| p.name.clone()).collect();
    if needed.is_empty() {
        return Ok(None);
    }
    if new.iter().any(|n| n.from.as_ref().is_some_and(|from| *from != n.name)) {
        return Err(refused("with --model, rename parameters in a change of their own, then add the new ones"));
    }
    let asking = asking(graph, function, &old, &new, &|_| true).map_err(refused)?;
    let (name_start, parameters) = function_on_line(original, line).ok_or("the `def` could not be found")?;
    let wanted = &candidate[parameters.start..candidate.len() - (original.len() - parameters.end)];
    let mut texts: BTreeMap<PathBuf, String> = BTreeMap::new();
    if !asking.sites.is_empty() {
        let name = graph.symbol(function).map_or("", |s| s.name);
        let old_shown =
            crate::graph::explain::signature(&Signature { parameters: old.clone(), returns: None, is_async: false, returned_names: thin_vec::ThinVec::new() });
        let def_line = candidate[candidate[..name_start].rfind('\n').map_or(0, |i| i + 1)..].lines().next().unwrap_or_default();
        let change = Change { name, old: &old_shown, def: def_line.trim(), required: &asking.required };
        let sites: Vec<_> = asking.sites.iter().map(|s| (site_context(graph, s), s.parameters.clone())).collect();
        let settings = workspace_settings(root).llm;
        // No answer (no model reachable): not a refusal of the change.
        let answer = ask(&settings, &request(&change, &sites, settings.max_output_tokens))?;
        let filled = fill(graph, &asking, &proposals(&answer)).map_err(|reasons| {
            let list: String = reasons.iter().map(|r| format!("\n- {r}")).collect();
            refused(format!("the model's arguments failed their checks; nothing was written:{list}"))
        })?;
        for f in filled {
            let entry = graph.file(f.file).ok_or("a file of the update left the workspace")?;
            texts.insert(entry.path.clone(), f.text);
        }
    }
    // The `def` itself, in its file's text with the calls there updated:
    // found again by its line (the updates above it add arguments, not lines).
    let text = texts.get(file).cloned().unwrap_or_else(|| original.to_owned());
    let (again, parameters_now) = function_on_line(&text, line).ok_or("the `def` moved while its file's calls were updated; run it without --model")?;
    if text[again..].split('(').next() != original[name_start..].split('(').next() || text[parameters_now.clone()] != original[parameters.clone()] {
        return Err(refused("the `def` moved while its file's calls were updated; run it without --model"));
    }
    texts.insert(file.to_owned(), format!("{}{wanted}{}", &text[..parameters_now.start], &text[parameters_now.end..]));
    Ok(Some(
        texts
            .into_iter()
            .filter_map(|(path, candidate)| {
                let original = graph.file_id(&path).and_then(|id| graph.file(id)).map(|e| e.text().to_string())?;
                Some(FileChange { path, original, candidate })
            })
            .collect(),
    ))
}

#[cfg(test)]
#[path = "refactor_signature_tests.rs"]
mod tests;
