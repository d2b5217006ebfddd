//! Binding flow the graph does not follow exactly: refused, naming the
//! places, rather than renamed by one of the paths a name can take.
//!
//! One rule per family, not one per idiom:
//! - a renamed binding whose scope binds the name again in a way the graph
//!   does not tie to the renamed symbol (`try: from fast import loads` /
//!   `except ImportError: def loads`, `if …: def helper` / `else: from lib
//!   import helper`, an imported default the module then overrides): which
//!   binding a use reaches is decided at run time;
//! - a module taking the name from a `from m import *` and from somewhere
//!   else too (two star imports, or a star import and its own binding):
//!   the order the statements run in decides;
//! - a read after `del name` in a class body or at module level, which
//!   Python looks up outside (the module's globals, builtins);
//! - a `global name` declaration in a function nested in one that binds
//!   `name` itself, when the declaring function never assigns the name
//!   (its reads are the module's; the summary sees no sign of that).

use ruff_python_ast::visitor::{self, Visitor};
use ruff_python_ast::{self as ast, Expr};
use ruff_text_size::Ranged;

use super::occurrences::Target;
use super::parsed_files::ParsedFiles;
use super::rename::FileEdits;
use crate::graph::explain::place;
use crate::graph::summary::{BindingKind, FileSummary, ScopeId, ScopeKind};
use crate::graph::{FileId, Graph, Location, Resolved, Span, absolute_module};

/// Refuses the rename of `target` (whose edits are `edits`) where a use of
/// the name may reach another binding than the renamed one.
pub(super) fn check(graph: &Graph, parsed: &ParsedFiles, target: &Target, edits: &[FileEdits]) -> Result<(), String> {
    let name = target.name.as_str();
    let mut exporting = Vec::new();
    for edit in edits {
        let Some(entry) = graph.file(edit.file) else { continue };
        let summary = &entry.summary;
        let at = |span: Span| place(graph, &Location { file: edit.file, span });
        let renamed = |span: Span| edit.replacements.iter().any(|r| span.start <= r.span.start && r.span.end <= span.end);
        let bindings = || summary.bindings.iter().filter(|b| b.name == name && b.kind != BindingKind::Join);
        let mut module_level = false;
        for binding in bindings().filter(|b| renamed(b.range)) {
            if let Some(other) = bindings().find(|o| o.scope == binding.scope && !renamed(o.range)) {
                return Err(format!(
                    "`{name}` at {} is bound again at {} by another import, definition or branch, which the rename does not reach: which of them a use finds is decided when the program runs",
                    at(binding.range),
                    at(other.range)
                ));
            }
            module_level |= binding.scope == 0;
        }
        if module_level {
            exporting.push(edit.file);
        }
        // A plain read of the name renamed: what the module binds it to.
        let reads_name = edit.replacements.iter().any(|r| summary.references.iter().any(|reference| reference.start == r.span.start));
        if module_level || reads_name {
            star_and_other(graph, edit.file, name)?;
        }
        read_after_del(graph, parsed, edit.file, name)?;
        global_in_closure(graph, edit.file, name)?;
    }
    for (file, _) in super::rename_star::star_importing(graph, &exporting) {
        star_and_other(graph, file, name)?;
    }
    Ok(())
}

/// A module-level name of `file` bound by a star import and by something
/// else (its own binding, another star import), unless every one of them
/// denotes the same thing: refused, naming two of them.
fn star_and_other(graph: &Graph, file: FileId, name: &str) -> Result<(), String> {
    let Some(entry) = graph.file(file) else { return Ok(()) };
    let summary = &entry.summary;
    let stars =
        summary.imports.iter().enumerate().filter(|(index, i)| i.star && i.scope == 0 && graph.star_import_binds(file, *index as u32, name) == Some(true));
    // Each source: where it is, how it is written, what it binds the name to.
    let mut sources: Vec<(Span, String, Option<Resolved>)> = stars
        .map(|(_, i)| {
            let written = format!("`from {}{} import *`", ".".repeat(i.level as usize), i.module.as_deref().unwrap_or_default());
            let module = absolute_module(&entry.module, entry.is_package, i.level, i.module.as_deref());
            (i.range, written, module.and_then(|m| module_binding(graph, &m, name)))
        })
        .collect();
    if sources.is_empty() {
        return Ok(());
    }
    for own in summary.bindings.iter().filter(|b| b.scope == 0 && b.name == name) {
        sources.push((own.range, format!("the module's own `{name}`"), graph.definition(file, own.range.start)));
    }
    let same = sources.first().is_some_and(|(_, _, first)| first.is_some() && sources.iter().all(|(_, _, d)| d == first));
    if sources.len() < 2 || same {
        return Ok(());
    }
    sources.sort_by_key(|(span, _, _)| *span);
    let at = |span: Span| place(graph, &Location { file, span });
    let ((first, what_first, _), (second, what_second, _)) = (&sources[0], &sources[1]);
    Err(format!(
        "`{name}` is bound by {what_first} at {} and by {what_second} at {}: which one a use finds depends on the order they run in, which rename does not follow",
        at(*first),
        at(*second)
    ))
}

/// What the module-level binding of `name` in the workspace module
/// `module` denotes.
fn module_binding(graph: &Graph, module: &str, name: &str) -> Option<Resolved> {
    let file = graph.resolve_module(module)?;
    let binding = graph.file(file)?.summary.bindings.iter().find(|b| b.scope == 0 && b.name == name)?;
    graph.definition(file, binding.range.start)
}

/// A read of `name` after `del name` in a class body or the module (no
/// binding between): Python reads the module's or the builtin, which the
/// graph does not see (it links the read to the deleted binding).
fn read_after_del(graph: &Graph, parsed: &ParsedFiles, file: FileId, name: &str) -> Result<(), String> {
    let Some(entry) = graph.file(file) else { return Ok(()) };
    // Parsed only where a line could delete the name.
    let deletes = |line: &str| ["del ", "del(", "del\t"].iter().any(|d| line.contains(d)) && line.contains(name);
    if !entry.text().lines().any(deletes) {
        return Ok(());
    }
    let summary = &entry.summary;
    let parsed = parsed.get(file);
    let mut deleted = Deleted { name, spans: Vec::new() };
    deleted.visit_body(&parsed.syntax().body);
    for &del in &deleted.spans {
        let scope = summary.scope_at(del.start);
        if summary.scopes[scope as usize].kind == ScopeKind::Function {
            continue;
        }
        let rebound = |upto: u32| summary.bindings.iter().any(|b| b.scope == scope && b.name == name && del.end <= b.range.start && b.range.start < upto);
        let read = summary.references.iter().find(|r| {
            r.scope == scope
                && r.start > del.end
                && r.chain.split('.').next() == Some(name)
                && !deleted.spans.iter().any(|d| d.start == r.start)
                && !rebound(r.start)
        });
        if let Some(read) = read {
            let at = |span: Span| place(graph, &Location { file, span });
            return Err(format!(
                "`{name}` at {} is read after `del {name}` at {}, so Python finds it outside ({}), not the binding the graph links it to",
                at(Span::new(read.start, read.start + name.len() as u32)),
                at(del),
                if scope == 0 { "the builtins" } else { "the module's globals" }
            ));
        }
    }
    Ok(())
}

/// The names `del` removes.
struct Deleted<'n> {
    name: &'n str,
    spans: Vec<Span>,
}

impl<'a> Visitor<'a> for Deleted<'_> {
    fn visit_expr(&mut self, expr: &'a Expr) {
        if let Expr::Name(n) = expr
            && n.ctx == ast::ExprContext::Del
            && n.id.as_str() == self.name
        {
            self.spans.push(Span::from(n.range()));
        }
        visitor::walk_expr(self, expr);
    }
}

/// `global name` in a function nested in one binding `name`, where the
/// declaring function assigns nothing to `name`: its reads are the
/// module's, which the graph only sees through an assignment.
fn global_in_closure(graph: &Graph, file: FileId, name: &str) -> Result<(), String> {
    let Some(entry) = graph.file(file) else { return Ok(()) };
    let summary = &entry.summary;
    let declarations = super::scope_declarations::of_name(entry.text(), summary, name, crate::notebook::Notebook::is_notebook(&entry.path));
    for declared in declarations.iter().filter(|d| !d.nonlocal) {
        let Some(around) = enclosing_binder(summary, declared.scope, name) else { continue };
        let range = summary.scopes[declared.scope as usize].range;
        let assigns = summary.bindings.iter().any(|b| b.scope == 0 && b.name == name && range.start <= b.range.start && b.range.end <= range.end);
        if !assigns {
            let at = |span: Span| place(graph, &Location { file, span });
            return Err(format!(
                "`global {name}` at {} is in a function nested in one that binds its own `{name}` at {}, and rename does not follow that declaration's reads exactly",
                at(declared.span),
                at(around)
            ));
        }
    }
    Ok(())
}

/// A binding of `name` in a function around `scope`.
fn enclosing_binder(summary: &FileSummary, scope: ScopeId, name: &str) -> Option<Span> {
    let mut at = summary.scopes.get(scope as usize)?.parent;
    while let Some(current) = at {
        let info = summary.scopes.get(current as usize)?;
        if info.kind == ScopeKind::Function
            && let Some(binding) = summary.bindings.iter().find(|b| b.scope == current && b.name == name)
        {
            return Some(binding.range);
        }
        at = info.parent;
    }
    None
}
