//! What a moved top-level definition takes with it: its text (its
//! decorators, the comments right above it, its docstring), and, for each
//! module-level name of its old module that it reads, the import its new
//! module needs: the old module's own import of that name (re-spelled from
//! the new module), or an import from the old module of what the old
//! module defines.

use ruff_python_ast::visitor::source_order::{self, SourceOrderVisitor};
use ruff_python_ast::{self as ast, Stmt};
use ruff_text_size::Ranged;

use super::module_stores::Setter;
use super::symbol_move::SymbolMoveError;
use crate::graph::summary::BindingKind;
use crate::graph::{FileEntry, FileId, Graph, Location, Resolved, Span, absolute_module, explain::place};

/// Module attributes Python sets per module: moved code reading them
/// would read its new module's.
/// (`__annotations__`: the module's annotated globals, absent from a module
/// that has none. `__module__`: a class body's, its module's `__name__`.)
const MODULE_DUNDERS: [&str; 11] =
    ["__name__", "__doc__", "__file__", "__spec__", "__package__", "__loader__", "__path__", "__cached__", "__builtins__", "__annotations__", "__module__"];

/// The moved definition in its old file.
#[derive(Debug)]
pub(super) struct Block {
    /// The statement with its decorators.
    pub statement: Span,
    /// The text that moves: the comments right above it, the statement and
    /// the comment lines indented under it right after, whole lines.
    pub text: String,
    /// What the old file loses: the block's lines and the blank lines that
    /// separated it from the code after it (before it, at the file's end).
    pub removal: Span,
}

/// The top-level `def` or `class` whose statement (decorators included)
/// holds `offset` in its header; a nested one is refused by name.
pub(super) fn block_at(text: &str, offset: u32) -> Result<(Block, String), SymbolMoveError> {
    let parsed = ruff_python_parser::parse_module(text).map_err(|_| SymbolMoveError::SyntaxErrors(String::new()))?;
    let body = &parsed.syntax().body;
    let header = |stmt: &Stmt| -> Option<(Span, String)> {
        let (name, body_start) = match stmt {
            Stmt::FunctionDef(def) => (&def.name, def.body.first()?.start()),
            Stmt::ClassDef(class) => (&class.name, class.body.first()?.start()),
            _ => return None,
        };
        let header = Span::new(stmt.start().to_u32(), body_start.to_u32());
        (header.touches(offset) && offset < body_start.to_u32()).then(|| (Span::from(stmt.range()), name.to_string()))
    };
    if let Some((index, (statement, name))) = body.iter().enumerate().find_map(|(i, s)| Some((i, header(s)?))) {
        let statement = overload_group(body, index, &name).unwrap_or(statement);
        return Ok((block(text, statement), name));
    }
    let mut nested = Nested { offset, found: None };
    nested.visit_body(body);
    Err(nested.found.map_or(SymbolMoveError::NoSymbol, SymbolMoveError::Nested))
}

/// The span of the `@overload` variants of `name` and the implementation
/// right after them, when `body[index]` is one of them: they move
/// together (`typing.get_overloads` finds them by the implementation's
/// module).
fn overload_group(body: &[Stmt], index: usize, name: &str) -> Option<Span> {
    let named = |s: &Stmt| matches!(s, Stmt::FunctionDef(d) if d.name.as_str() == name);
    let overloaded = |s: &Stmt| {
        matches!(s, Stmt::FunctionDef(d) if d.name.as_str() == name && d.decorator_list.iter().any(|d| match &d.expression {
            ast::Expr::Name(n) => n.id.as_str() == "overload",
            ast::Expr::Attribute(a) => a.attr.as_str() == "overload",
            _ => false,
        }))
    };
    let mut first = index;
    while first > 0 && overloaded(&body[first - 1]) {
        first -= 1;
    }
    let mut last = index;
    while overloaded(&body[last]) && body.get(last + 1).is_some_and(named) {
        last += 1;
    }
    (last > first && !overloaded(&body[last])).then(|| Span::new(body[first].start().to_u32(), body[last].end().to_u32()))
}

/// The name of a `def` or `class` below the top level whose name holds the offset.
struct Nested {
    offset: u32,
    found: Option<String>,
}

impl<'a> SourceOrderVisitor<'a> for Nested {
    fn visit_stmt(&mut self, stmt: &'a Stmt) {
        let name = match stmt {
            Stmt::FunctionDef(def) => Some(&def.name),
            Stmt::ClassDef(class) => Some(&class.name),
            _ => None,
        };
        if let Some(name) = name
            && Span::from(name.range()).touches(self.offset)
        {
            self.found.get_or_insert_with(|| name.to_string());
        }
        source_order::walk_stmt(self, stmt);
    }
}

fn line_start(text: &str, offset: usize) -> usize {
    text[..offset].rfind('\n').map_or(0, |i| i + 1)
}

fn line_end(text: &str, offset: usize) -> usize {
    text[offset..].find('\n').map_or(text.len(), |i| offset + i + 1)
}

fn block(text: &str, statement: Span) -> Block {
    let mut start = line_start(text, statement.start as usize);
    // The comments right above it (no blank line between) describe it.
    while start > 0 {
        let above = line_start(text, start - 1);
        if !text[above..start].trim_start().starts_with('#') {
            break;
        }
        start = above;
    }
    let mut end = line_end(text, statement.end as usize);
    // The comment lines indented under it right after its body are the
    // body's last (`    # then the rest`); one at column 0 may head what follows.
    while end < text.len() {
        let line = &text[end..line_end(text, end)];
        if !(line.starts_with([' ', '\t']) && line.trim_start().starts_with('#')) {
            break;
        }
        end = line_end(text, end);
    }
    let moved = format!("{}\n", text[start..end].trim_end());
    let mut after = end;
    while after < text.len() && text[after..line_end(text, after)].trim().is_empty() {
        after = line_end(text, after);
    }
    let mut removal = Span::new(start as u32, after as u32);
    if after == text.len() {
        // The last code of the file: the blank lines before it go instead.
        let mut before = start;
        while before > 0 && text[line_start(text, before - 1)..before].trim().is_empty() {
            before = line_start(text, before - 1);
        }
        removal = Span::new(before as u32, text.len() as u32);
    }
    Block { statement, text: moved, removal }
}

pub(super) const FUTURE_ANNOTATIONS: &str = "from __future__ import annotations";

/// The future import the moved code's new module needs: `from
/// __future__ import annotations` decides how the code compiles (`str |
/// None` is never evaluated under it, which Python 3.9 cannot). A new
/// module takes the old one's future imports; an existing one without
/// annotations of its own takes that one when the code has annotations
/// (it changes nothing there); one with annotations is refused.
pub(super) fn future_imports(old: &FileEntry, target: Option<&FileEntry>, statement: Span, name: &str, new: &str) -> Result<Option<String>, SymbolMoveError> {
    let futures = |entry: &FileEntry| -> Vec<String> {
        entry.summary.imports.iter().filter(|i| i.scope == 0 && i.module.as_deref() == Some("__future__")).filter_map(|i| Some(i.name?.to_string())).collect()
    };
    let own = futures(old);
    let Some(target) = target else { return Ok((!own.is_empty()).then(|| format!("from __future__ import {}", own.join(", ")))) };
    let lazy = |entry: &FileEntry| futures(entry).iter().any(|f| f == "annotations");
    // The other way, the annotations evaluated now would become strings
    // (`inspect.signature`, `__annotations__`, dataclasses read them).
    if !lazy(old) && lazy(target) && !annotations_in(old.text(), statement).is_empty() {
        return Err(SymbolMoveError::Unsafe(format!(
            "`{name}` has annotations that `{}` evaluates; `{new}` has `from __future__ import annotations`, which would leave them unevaluated strings",
            old.module
        )));
    }
    if !lazy(old) || lazy(target) || annotations_in(old.text(), statement).is_empty() {
        return Ok(None);
    }
    if !annotations_in(target.text(), Span::new(0, target.text().len() as u32)).is_empty() {
        return Err(SymbolMoveError::Unsafe(format!(
            "`{name}` has annotations that `{}` never evaluates (`from __future__ import annotations`); `{new}` has annotations of its own, which that import would stop evaluating",
            old.module
        )));
    }
    Ok(Some(FUTURE_ANNOTATIONS.to_owned()))
}

/// `text` with `from __future__ import annotations` first: after its
/// docstring, or its leading comments (a shebang, a license), where Python
/// requires a future import.
pub(super) fn with_future_import(path: &std::path::Path, text: &str) -> Result<String, SymbolMoveError> {
    let refused = || SymbolMoveError::SyntaxErrors(path.display().to_string());
    let parsed = ruff_python_parser::parse_module(text).map_err(|_| refused())?;
    let line_end = |at: usize| text[at..].find('\n').map_or(text.len(), |i| at + i + 1);
    let docstring = parsed.syntax().body.first().filter(|s| matches!(s, Stmt::Expr(e) if e.value.is_string_literal_expr()));
    let at = match docstring {
        Some(docstring) => line_end(docstring.end().to_usize()),
        None => {
            let mut at = 0;
            while at < text.len() && text[at..].starts_with('#') {
                at = line_end(at);
            }
            at
        }
    };
    let (before, after) = text.split_at(at);
    let next = after.lines().next().unwrap_or_default();
    // Two blank lines before code, one before other imports, none before a blank line.
    let gap = if next.trim().is_empty() {
        ""
    } else if next.starts_with("import ") || next.starts_with("from ") {
        "\n"
    } else {
        "\n\n"
    };
    let above = if docstring.is_some() && !before.ends_with("\n\n") { "\n" } else { "" };
    let candidate = format!("{before}{above}{FUTURE_ANNOTATIONS}\n{gap}{after}");
    let parsed = ruff_python_parser::parse_module(&candidate).map_err(|_| refused())?;
    let first = parsed.syntax().body.iter().find(|s| !matches!(s, Stmt::Expr(e) if e.value.is_string_literal_expr()));
    match first {
        Some(Stmt::ImportFrom(i)) if i.module.as_deref() == Some("__future__") => Ok(candidate),
        _ => Err(SymbolMoveError::Unsafe(format!("`{FUTURE_ANNOTATIONS}` could not be placed first in {}", path.display()))),
    }
}

/// An import the moved code needs in its new module.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Needed {
    /// `import a.b [as c]`, as the old module writes it.
    Module { module: String, alias: Option<String> },
    /// `from module import name [as alias]`, `module` absolute; `relative`
    /// when the old module spelled it with dots.
    From { module: String, name: String, alias: Option<String>, relative: bool },
}

impl Needed {
    /// The module this import makes its importer load.
    pub fn module(&self) -> &str {
        match self {
            Needed::Module { module, .. } | Needed::From { module, .. } => module,
        }
    }
}

/// A module-level name the moved code reads, and what it resolves to
/// there.
#[derive(Debug)]
pub(super) struct Read {
    pub name: String,
    pub resolved: Option<Resolved>,
    pub imports: Vec<Needed>,
    /// Read only in annotations that never run (the old module has `from
    /// __future__ import annotations`) and bound there for type checkers
    /// only: its imports go under `if TYPE_CHECKING:`.
    pub checking: bool,
}

impl Read {
    /// Taken from the old module as the object its `try: import` /
    /// `except ImportError: import` chose (see [`needed`]): bound there by
    /// imports only, each of which the graph may take for the name.
    pub fn chosen_by(&self, old: &FileEntry) -> bool {
        let from_old = self.imports.iter().any(|n| matches!(n, Needed::From { module, name, .. } if *module == old.module && *name == self.name));
        from_old && old.summary.bindings.iter().filter(|b| b.scope == 0 && b.name == self.name).all(|b| matches!(b.kind, BindingKind::Import(_)))
    }
}

/// Refused where the moved code, or the code staying in its old module,
/// finds the moved code's file: `inspect.getfile(moved)`,
/// `moved.__code__.co_filename`, in a moved class `type(self)`'s (tester 25
/// case 03). After the move that is the new module's file, in another folder
/// or of another name. (`__file__` itself is a module dunder, refused in
/// [`reads`].)
fn own_file(text: &str, module: &ast::ModModule, moved: &[Stmt], name: &str, at: &dyn Fn(Span) -> String) -> Result<(), SymbolMoveError> {
    let mut names = super::own_file::defined(moved);
    names.push(name.to_owned());
    let inside = super::own_file::first_in(moved, &super::own_file::OwnCode { names: &names, selves: true });
    let staying: Vec<Stmt> = module.body.iter().filter(|s| !moved.iter().any(|m| m.range() == s.range())).cloned().collect();
    let names = [name.to_owned()];
    let found = inside
        .map(|e| Span::from(e.range()))
        .or_else(|| super::own_file::first_in(&staying, &super::own_file::OwnCode { names: &names, selves: false }).map(|e| Span::from(e.range())));
    let Some(span) = found else { return Ok(()) };
    let what: String = text.get(span.range()).unwrap_or_default().chars().take(80).collect();
    Err(SymbolMoveError::OwnFile { name: name.to_owned(), what, place: at(span) })
}

/// The module-level names of the old module that the moved code reads,
/// each with the imports that bind it in a new module; refused where the
/// code writes module state (`global`), reads a global some function
/// rebinds, or reads what Python sets per module (`__name__`).
pub(super) fn reads(graph: &Graph, file: FileId, block: &Block, name: &str) -> Result<Vec<Read>, SymbolMoveError> {
    let Some(entry) = graph.file(file) else { return Ok(Vec::new()) };
    let at = |span: Span| place(graph, &Location { file, span });
    let globals = global_statements(entry.text());
    let inside = |span: Span| block.statement.start <= span.start && span.end <= block.statement.end;
    if let Some((span, written)) = globals.iter().find(|(span, _)| inside(*span)) {
        return Err(SymbolMoveError::WritesGlobal { name: name.to_owned(), global: written.clone(), place: at(*span) });
    }
    let mut out: Vec<Read> = Vec::new();
    let mut resolver = graph.reference_resolver(file);
    let future = entry.summary.imports.iter().any(|i| i.scope == 0 && i.module.as_deref() == Some("__future__") && i.name.as_deref() == Some("annotations"));
    let annotations = if future { annotations_in(entry.text(), block.statement) } else { Vec::new() };
    // The names in string annotations (`state: "InlineState"`, `cast("Node", x)`):
    // never evaluated, whatever the future imports.
    let parsed = ruff_python_parser::parse_unchecked_source(entry.text(), ast::PySourceType::Python);
    let moved: Vec<Stmt> = parsed.syntax().body.iter().filter(|s| inside(s.range().into())).cloned().collect();
    own_file(entry.text(), parsed.syntax(), &moved, name, &at)?;
    let quoted = super::rename_annotations::references(&entry.summary, entry.text(), &moved);
    // Every read of `name` in the moved code is in an annotation: never evaluated.
    let lazy = |name: &str| {
        entry.summary.references.iter().filter(|r| inside(r.span()) && r.segments().next().is_some_and(|(n, _)| n == name)).all(|r| {
            let span = r.span();
            future && annotations.iter().any(|a| a.start <= span.start && span.end <= a.end)
        })
    };
    for reference in entry.summary.references.iter().filter(|r| inside(r.span())).chain(&quoted) {
        if reference.from_super || reference.receiver().is_some() {
            continue;
        }
        let Some((first, span)) = reference.segments().next() else { continue };
        if MODULE_DUNDERS.contains(&first) {
            return Err(SymbolMoveError::ModuleDunder { name: name.to_owned(), dunder: first.to_owned(), place: at(span) });
        }
        if first == name || out.iter().any(|r| r.name == first) {
            continue;
        }
        let resolved = resolver.segments(reference).into_iter().next().flatten();
        // `globals()`, `vars()`: the namespace of the module the code is in.
        let namespace = matches!(&resolved, Some(Resolved::External(p)) if p == &format!("builtins.{first}"))
            && matches!(first, "globals" | "vars")
            && entry.text().get(span.end as usize..).is_some_and(|after| after.trim_start().strip_prefix('(').is_some_and(|a| a.trim_start().starts_with(')')));
        if namespace {
            return Err(SymbolMoveError::ModuleDunder { name: name.to_owned(), dunder: format!("{first}()"), place: at(span) });
        }
        // Bound inside the moved code: a local, a method, a class attribute.
        let internal = match &resolved {
            Some(Resolved::Local { span, .. }) => inside(*span),
            Some(Resolved::Symbol(id)) => graph.location(*id).is_some_and(|l| l.file == file && inside(l.span)),
            _ => false,
        };
        if internal {
            continue;
        }
        let (mut imports, checking) = needed(entry, first, &globals, name, &at, lazy(first))?;
        if imports.is_empty() {
            imports.extend(from_star(entry, first, &resolved, &at)?);
        }
        out.push(Read { name: first.to_owned(), resolved, imports, checking });
    }
    let out: Vec<Read> = out.into_iter().filter(|r| !r.imports.is_empty()).collect();
    // A name the new module imports is its own binding: `old.x = …` or
    // `mock.patch("old.x")` would no longer reach the moved code.
    let names: Vec<&str> = out.iter().map(|r| r.name.as_str()).collect();
    let setters = super::module_stores::setters(graph, file, &names);
    for read in &out {
        let Some(setter) = setters.get(&read.name) else { continue };
        // The old module's own global (imported from it) or an import of it.
        let own = read.imports.iter().any(|n| matches!(n, Needed::From { module, .. } if *module == entry.module));
        let (name, global, module) = (name.to_owned(), read.name.clone(), entry.module.clone());
        return Err(match setter {
            Setter::Module(at) if own => SymbolMoveError::SetFromOutside { name, global, place: place(graph, at) },
            Setter::Module(at) => SymbolMoveError::PatchedImport { name, global, module, place: place(graph, at) },
            Setter::Unknown { place: at, written, why } => {
                SymbolMoveError::MaySetFromOutside { name, global, module, written: written.clone(), place: place(graph, at), why: why.clone() }
            }
        });
    }
    Ok(out)
}

/// The import of `read`, a name the old module binds by no statement of
/// its own but the graph resolves (not a builtin): from the module its
/// one `from m import *` names, as the old module got it. Refused, with
/// the reason, where several stars or a conditional one may bind it.
fn from_star(entry: &FileEntry, read: &str, resolved: &Option<Resolved>, at: &dyn Fn(Span) -> String) -> Result<Option<Needed>, SymbolMoveError> {
    if entry.summary.bindings.iter().any(|b| b.scope == 0 && b.name == read) {
        return Ok(None);
    }
    match resolved {
        Some(Resolved::Symbol(_)) => {}
        Some(Resolved::External(path)) if !path.starts_with("builtins.") => {}
        _ => return Ok(None),
    }
    let stars: Vec<_> = entry.summary.imports.iter().filter(|i| i.star && i.scope == 0).collect();
    let [star] = stars.as_slice() else {
        let Some(first) = stars.first() else { return Ok(None) };
        let what = format!("`{read}`, which one of several `from … import *` binds,");
        return Err(SymbolMoveError::Unfollowable { what, place: at(first.range) });
    };
    let unfollowable = |what: String| SymbolMoveError::Unfollowable { what, place: at(star.range) };
    if star.conditional || star.type_checking {
        return Err(unfollowable(format!("`{read}`, bound by `from … import *` under a condition (`if`, `try`, `TYPE_CHECKING`),")));
    }
    let module = absolute_module(&entry.module, entry.is_package, star.level, star.module.as_deref())
        .ok_or_else(|| unfollowable(format!("the relative `from … import *` that binds `{read}`")))?;
    Ok(Some(Needed::From { module, name: read.to_owned(), alias: None, relative: star.level > 0 }))
}

/// The imports that bind `read` (a module-level name of `entry`) in
/// another module, none for a builtin or an unbound name; and whether
/// they are for type checkers only (`lazy`: read only in annotations
/// that never run, and bound only under `if TYPE_CHECKING:`).
fn needed(
    entry: &FileEntry,
    read: &str,
    globals: &[(Span, String)],
    moved: &str,
    at: &dyn Fn(Span) -> String,
    lazy: bool,
) -> Result<(Vec<Needed>, bool), SymbolMoveError> {
    let bindings: Vec<_> = entry.summary.bindings.iter().filter(|b| b.scope == 0 && b.name == read).collect();
    let Some(first) = bindings.first() else { return Ok((Vec::new(), false)) };
    let imports: Vec<_> = bindings
        .iter()
        .filter_map(|b| match b.kind {
            BindingKind::Import(i) => entry.summary.imports.get(i as usize),
            _ => None,
        })
        .collect();
    let unfollowable = |what: String| SymbolMoveError::Unfollowable { what, place: at(first.range) };
    // `if TYPE_CHECKING:` (or `TYPE_CHECKING = False` then that) never
    // runs: an import of what it binds would fail at run time.
    let checking_only = super::checking_only::blocks(entry.text());
    let block_of = |b: &crate::graph::summary::Binding| checking_only.iter().find(|(block, _)| block.start <= b.range.start && b.range.end <= block.end);
    // Under `if False:` type checkers do not see it either.
    let checking = lazy && bindings.iter().all(|b| block_of(b).is_some_and(|(_, seen)| *seen));
    // Bound at run time too (`else: Protocol = object`): the conditional binding is refused below.
    if let Some(binding) = super::checking_only::binding(entry, read).filter(|_| !checking) {
        let what = format!("`{read}`, bound only for type checkers (under `if TYPE_CHECKING:`),");
        return Err(SymbolMoveError::Unfollowable { what, place: at(binding) });
    }
    if imports.is_empty() {
        if let Some((span, _)) = globals.iter().find(|(_, written)| written == read) {
            return Err(SymbolMoveError::ReadsRebound { name: moved.to_owned(), global: read.to_owned(), place: at(*span) });
        }
        let module = entry.module.clone();
        return Ok((vec![Needed::From { module, name: read.to_owned(), alias: None, relative: false }], checking));
    }
    if imports.len() != bindings.len() {
        return Err(unfollowable(format!("`{read}`, bound at module level both by an import and otherwise,")));
    }
    if !checking && imports.iter().any(|i| i.conditional || i.type_checking) {
        let ranges: Vec<Span> = bindings.iter().map(|b| b.range).collect();
        // `try: import simplejson as json` / `except ImportError: import json`:
        // the object the old module chose, taken from it.
        if !imports.iter().any(|i| i.type_checking) && bound_by_every_branch(entry.text(), &ranges) {
            let module = entry.module.clone();
            return Ok((vec![Needed::From { module, name: read.to_owned(), alias: None, relative: false }], checking));
        }
        return Err(unfollowable(format!("`{read}`, imported under a condition (`if`, `try`, `TYPE_CHECKING`) that may leave it unbound,")));
    }
    let plain = imports.iter().all(|i| i.name.is_none());
    if !plain && imports.len() > 1 {
        return Err(unfollowable(format!("`{read}`, imported more than once,")));
    }
    let mut out = Vec::new();
    for import in imports {
        let need = match &import.name {
            None => Needed::Module { module: import.module.unwrap_or_default().to_string(), alias: import.alias.map(|a| a.to_string()) },
            Some(name) => {
                let module = absolute_module(&entry.module, entry.is_package, import.level, import.module.as_deref())
                    .ok_or_else(|| unfollowable(format!("the relative import of `{read}`")))?;
                Needed::From { module, name: name.to_string(), alias: import.alias.map(|a| a.to_string()), relative: import.level > 0 }
            }
        };
        if !out.contains(&need) {
            out.push(need);
        }
    }
    Ok((out, checking))
}

/// Every `global` statement of the file: where, and each name it declares.
/// Whether the module-level `try` holding every one of `bindings` binds
/// the name by an import directly in its body and in each `except` (no
/// `else`, no `finally`): once the module is imported, it is bound.
fn bound_by_every_branch(text: &str, bindings: &[Span]) -> bool {
    let Ok(parsed) = ruff_python_parser::parse_module(text) else { return false };
    let within = |range: ruff_text_size::TextRange, b: &Span| range.start().to_u32() <= b.start && b.end <= range.end().to_u32();
    let Some(Stmt::Try(t)) = parsed.syntax().body.iter().find(|s| bindings.first().is_some_and(|b| within(s.range(), b))) else { return false };
    let imports = |body: &[Stmt]| body.iter().any(|s| matches!(s, Stmt::Import(_) | Stmt::ImportFrom(_)) && bindings.iter().any(|b| within(s.range(), b)));
    bindings.iter().all(|b| within(t.range(), b))
        && !t.is_star
        && t.orelse.is_empty()
        && t.finalbody.is_empty()
        && imports(&t.body)
        && !t.handlers.is_empty()
        && t.handlers.iter().all(|h| {
            let ast::ExceptHandler::ExceptHandler(h) = h;
            imports(&h.body)
        })
}

pub(super) fn global_statements(text: &str) -> Vec<(Span, String)> {
    struct Globals(Vec<(Span, String)>);
    impl<'a> SourceOrderVisitor<'a> for Globals {
        fn visit_stmt(&mut self, stmt: &'a Stmt) {
            if let Stmt::Global(ast::StmtGlobal { names, range, .. }) = stmt {
                self.0.extend(names.iter().map(|n| (Span::from(*range), n.to_string())));
            }
            source_order::walk_stmt(self, stmt);
        }
    }
    let parsed = ruff_python_parser::parse_unchecked_source(text, ast::PySourceType::Python);
    let mut globals = Globals(Vec::new());
    globals.visit_body(&parsed.syntax().body);
    globals.0
}

/// The annotations (of parameters, returns, annotated assignments) inside
/// the top-level statements within `statement` of `text`.
pub(super) fn annotations_in(text: &str, statement: Span) -> Vec<Span> {
    struct Annotations(Vec<Span>);
    impl<'a> SourceOrderVisitor<'a> for Annotations {
        fn visit_annotation(&mut self, expr: &'a ast::Expr) {
            self.0.push(Span::from(expr.range()));
        }
    }
    let parsed = ruff_python_parser::parse_unchecked_source(text, ast::PySourceType::Python);
    let mut found = Annotations(Vec::new());
    // `@overload` variants move with their implementation: one block, several statements.
    for stmt in parsed.syntax().body.iter().filter(|s| statement.start <= s.start().to_u32() && s.end().to_u32() <= statement.end) {
        found.visit_stmt(stmt);
    }
    found.0
}
