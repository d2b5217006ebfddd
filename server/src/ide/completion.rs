//! Completion: what may be written at the cursor, from the graph.
//!
//! The kind of completion comes from the text ([`completion_context`]), so
//! a line that does not parse yet (`c.`) still completes; every name is
//! then resolved by the graph's resolver. Items are ranked: keyword
//! arguments of the call, locals and the receiver's members first, then
//! the file's own names, imported names, builtins, keywords, and last the
//! workspace's names that are not imported yet (with the import edit).

use std::path::PathBuf;

use rustc_hash::FxHashSet;

use super::call_site::{CallSite, is_identifier_char};
use super::completion_context::{self, Context, Site};
use super::completion_import::{ImportEdit, ImportPlacer};
use crate::findings::Config;
use crate::graph::summary::{BindingKind, FileSummary, Reference, ScopeId, ScopeKind};
use crate::graph::{FileId, Graph, Resolved, Span, SymbolId, SymbolKind, Value, absolute_module, fuzzy_score};

/// At most this many items are returned; a longer list is cut and marked
/// incomplete (the client asks again as the user types).
pub const MAX_ITEMS: usize = 200;
/// A receiver's members are one module's or class's names, all worth
/// listing (`os.` has some 300, `path` among the last).
const MAX_MEMBER_ITEMS: usize = 1000;

/// At most this many not-yet-imported workspace names are offered (each
/// costs an import placement).
const MAX_AUTO_IMPORTS: usize = 12;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ItemKind {
    Module,
    Class,
    Function,
    Method,
    Variable,
    /// A parameter or local variable.
    Local,
    /// `name=` in a call.
    Argument,
    Keyword,
}

/// The order groups of items, best first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Rank {
    Argument,
    /// Locals, parameters, and the receiver's or module's members.
    Near,
    SameFile,
    Imported,
    Builtin,
    Keyword,
    /// Workspace names not imported yet.
    Workspace,
}

/// The symbol an item names, for its documentation (found again by file
/// and qualified name: the graph may have changed by the time it is
/// resolved).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    pub path: PathBuf,
    pub qualified_name: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    pub label: String,
    pub kind: ItemKind,
    /// Where it comes from (`shop.pricing`), when not the file itself.
    pub detail: Option<String>,
    /// What to insert, when not the label.
    pub insert: Option<String>,
    pub rank: Rank,
    pub target: Option<Target>,
    /// The module an auto-imported name is imported from.
    pub import_from: Option<String>,
    /// The import that makes the name visible (auto-import, when eager).
    pub import: Option<ImportEdit>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Completions {
    /// Best first.
    pub items: Vec<Item>,
    /// The typed identifier that an item replaces.
    pub replace: Span,
    /// More items would match: the client should ask again as the user types.
    pub incomplete: bool,
}

/// What asked for completion.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Trigger {
    /// The user asked, or typed a name or `.`.
    Typed,
    /// A space was typed: only `import ` and `from ` complete after one.
    Space,
}

/// Whether and how auto-import items get their import edit; the
/// configuration is the ruff configuration of the file.
#[derive(Clone, Copy)]
pub enum Imports<'c> {
    /// No auto-import items.
    Off,
    /// Each item carries its edit.
    Eager(&'c Config),
    /// Items carry the module to import from, and [`import_edit`] places
    /// the import when the client resolves the item: one placement instead
    /// of one per item offered.
    Lazy(&'c Config),
    /// Each item carries its edit, placed at the top of the notebook cell
    /// whose code is this span of the module text (the asking cell, as
    /// Pylance places it): ruff's isort sorts each cell's imports apart.
    InCell(&'c Config, Span),
}

/// The completions at `offset` of `file`.
pub fn complete(graph: &Graph, file: FileId, offset: u32, trigger: Trigger, imports: Imports) -> Completions {
    let Some(entry) = graph.file(file) else { return Completions::default() };
    let context = match imports {
        Imports::InCell(_, cell) => completion_context::context_in_cell(entry.text(), cell.start, offset),
        _ => completion_context::context(entry.text(), offset),
    };
    let replace = Span::new(context.prefix_start, context.prefix_start + context.prefix.len() as u32);
    let mut out = Collector::new(&context.prefix);
    match &context.site {
        Site::Nothing => {}
        Site::Expression { .. } | Site::Member { .. } if trigger == Trigger::Space => {}
        Site::Expression { call } => {
            if let Some(call) = call {
                keyword_arguments(graph, file, call, &mut out);
            }
            let visible = scope_names(graph, file, offset, &context, &mut out);
            builtins_and_keywords(&visible, &mut out);
            match imports {
                Imports::Eager(_) | Imports::Lazy(_) | Imports::InCell(..) if !context.prefix.is_empty() => {
                    auto_imports(graph, file, imports, &visible, &mut out)
                }
                // Without a prefix the workspace is too large to list.
                _ => out.incomplete = true,
            }
        }
        Site::Member { receiver, starts } => {
            out.limit = MAX_MEMBER_ITEMS;
            member_items(graph, file, offset, receiver, starts, &mut out)
        }
        Site::Module { parent, level } => module_names(graph, file, parent, *level, &mut out),
        Site::ImportedName { module, level } => {
            let Some(module) = absolute(graph, file, module, *level) else { return Completions { replace, ..Default::default() } };
            module_members(graph, &module, Rank::Near, &mut out);
            submodules(graph, &module, &mut out);
            if graph.resolve_module(&module).is_none() {
                library_members(graph, &module, false, &mut out);
            }
        }
    }
    let (items, cut) = out.finish();
    Completions { items, replace, incomplete: cut }
}

/// Items as they are found, filtered by the typed prefix.
struct Collector<'p> {
    prefix: &'p str,
    items: Vec<(i64, Item)>,
    /// Label, rank and detail of the items so far.
    seen: FxHashSet<(String, Rank, Option<String>)>,
    incomplete: bool,
    /// At most this many items are returned.
    limit: usize,
}

impl<'p> Collector<'p> {
    fn new(prefix: &'p str) -> Self {
        Self { prefix, items: Vec::new(), seen: FxHashSet::default(), incomplete: false, limit: MAX_ITEMS }
    }

    /// How well `name` matches the prefix; `None` when it does not.
    fn score(&self, name: &str) -> Option<i64> {
        // A half-typed `def (self):` recovers as a definition with no name:
        // nothing to offer (LSP forbids an empty label).
        if name.trim().is_empty() {
            return None;
        }
        // Private names only when asked for.
        if name.starts_with('_') && !self.prefix.starts_with('_') && !self.prefix.is_empty() {
            return None;
        }
        fuzzy_score(self.prefix, name)
    }

    fn push(&mut self, name: &str, item: impl FnOnce() -> Item) {
        let Some(score) = self.score(name) else { return };
        let item = item();
        if self.seen.insert((item.label.clone(), item.rank, item.detail.clone())) {
            self.items.push((score, item));
        }
    }

    fn finish(mut self) -> (Vec<Item>, bool) {
        // Within a rank: public names before `_private` before `__dunder__`,
        // then the better match, then alphabetical.
        let privacy = |label: &str| usize::from(label.starts_with('_')) + usize::from(label.starts_with("__"));
        self.items.sort_by(|(sa, a), (sb, b)| (a.rank, privacy(&a.label), -sa, &a.label).cmp(&(b.rank, privacy(&b.label), -sb, &b.label)));
        let cut = self.items.len() > self.limit;
        self.items.truncate(self.limit);
        (self.items.into_iter().map(|(_, item)| item).collect(), cut || self.incomplete)
    }
}

/// The item kind, detail and documentation target of what a name denotes.
fn describe(graph: &Graph, resolved: Option<&Resolved>, here: FileId) -> (ItemKind, Option<String>, Option<Target>) {
    match resolved {
        Some(Resolved::Symbol(id)) => describe_symbol(graph, *id, here),
        Some(Resolved::External(path)) => {
            let kind = graph.library_item(path).and_then(|item| graph.library_symbol(item)).map_or(ItemKind::Variable, |s| item_kind(s.kind));
            (kind, Some(path.clone()), Some(Target { path: PathBuf::new(), qualified_name: path.clone() }))
        }
        Some(Resolved::Local { .. }) | None => (ItemKind::Local, None, None),
    }
}

fn describe_symbol(graph: &Graph, id: SymbolId, here: FileId) -> (ItemKind, Option<String>, Option<Target>) {
    let Some(symbol) = graph.symbol(id) else { return (ItemKind::Variable, None, None) };
    let kind = item_kind(symbol.kind);
    let file = symbol.file.and_then(|f| graph.file(f).map(|e| (f, e)));
    let detail = match (symbol.kind, &file) {
        (SymbolKind::External, _) => Some(symbol.qualified_name.to_owned()),
        (SymbolKind::Module, _) => Some(symbol.qualified_name.to_owned()),
        (_, Some((f, entry))) if *f != here => Some(entry.module.clone()),
        _ => None,
    };
    let target = file.map(|(_, entry)| Target { path: entry.path.clone(), qualified_name: symbol.qualified_name.to_owned() });
    (kind, detail, target)
}

fn item_kind(kind: SymbolKind) -> ItemKind {
    match kind {
        SymbolKind::Module => ItemKind::Module,
        SymbolKind::Class => ItemKind::Class,
        SymbolKind::Function => ItemKind::Function,
        SymbolKind::Method => ItemKind::Method,
        SymbolKind::Variable | SymbolKind::External => ItemKind::Variable,
    }
}

/// The scope the cursor is in. A scope ends where its last statement
/// ends, so a cursor after that on a more indented line (the next line of
/// a function being typed) is still in it: the innermost definition whose
/// header is less indented than the cursor's line and that no line as
/// little indented as its header has closed since.
pub fn cursor_scope(summary: &FileSummary, text: &str, offset: u32) -> ScopeId {
    let offset = (offset as usize).min(text.len());
    let line_start = text[..offset].rfind('\n').map_or(0, |n| n + 1);
    let indent_of = |line: &str| line.len() - line.trim_start_matches([' ', '\t']).len();
    let cursor_indent = indent_of(&text[line_start..]);
    let mut best = summary.scope_at(offset as u32);
    for (id, scope) in summary.scopes.iter().enumerate().skip(best as usize + 1) {
        let Some(definition) = scope.definition.and_then(|d| summary.definitions.get(d as usize)) else { continue };
        let (start, end) = (definition.range.start as usize, scope.range.end as usize);
        if start > offset || end > offset || end < line_start.min(end) {
            continue;
        }
        let header_start = text[..start.min(text.len())].rfind('\n').map_or(0, |n| n + 1);
        let header_indent = indent_of(&text[header_start..]);
        let closed = text.get(end..line_start).unwrap_or("").split('\n').skip(1).any(|line| {
            let code = line.trim_start_matches([' ', '\t']);
            !code.is_empty() && !code.starts_with('#') && indent_of(line) <= header_indent
        });
        if cursor_indent > header_indent && !closed {
            best = id as ScopeId;
        }
    }
    best
}

/// Names bound in the scopes visible at `offset` (innermost first; class
/// bodies only when the cursor is directly in one). Returns every visible
/// name, matching or not, so auto-import skips them.
fn scope_names(graph: &Graph, file: FileId, offset: u32, context: &Context, out: &mut Collector) -> FxHashSet<String> {
    let mut visible = FxHashSet::default();
    let Some(entry) = graph.file(file) else { return visible };
    let summary = &entry.summary;
    let scope = cursor_scope(summary, entry.text(), offset);
    let mut resolver = graph.reference_resolver(file);
    let mut current = Some(scope);
    while let Some(id) = current {
        let s = &summary.scopes[id as usize];
        if id == scope || s.kind != ScopeKind::Class {
            for binding in summary.bindings.iter().filter(|b| b.scope == id) {
                // The name being typed is not a completion of itself.
                if binding.range.touches(context.prefix_start) || !visible.insert(binding.name.to_string()) {
                    continue;
                }
                let rank = match (s.kind, binding.kind) {
                    (ScopeKind::Function | ScopeKind::Class, _) => Rank::Near,
                    (_, BindingKind::Import(_)) => Rank::Imported,
                    _ => Rank::SameFile,
                };
                out.push(&binding.name, || {
                    let reference = Reference::new(scope, binding.name, &[offset], false, false, None);
                    let resolved = resolver.segments(&reference).pop().flatten();
                    let (kind, detail, target) = describe(graph, resolved.as_ref(), file);
                    let kind = if matches!(binding.kind, BindingKind::Parameter { .. }) { ItemKind::Local } else { kind };
                    Item { label: binding.name.to_string(), kind, detail, insert: None, rank, target, import_from: None, import: None }
                });
            }
        }
        current = s.parent;
    }
    visible
}

fn builtins_and_keywords(visible: &FxHashSet<String>, out: &mut Collector) {
    for name in ruff_python_stdlib::builtins::python_builtins(13, false) {
        if visible.contains(name) {
            continue;
        }
        out.push(name, || {
            let kind = if name.starts_with(|c: char| c.is_ascii_uppercase()) { ItemKind::Class } else { ItemKind::Function };
            let kind = if matches!(name, "True" | "False" | "None") { ItemKind::Keyword } else { kind };
            Item {
                label: name.to_owned(),
                kind,
                detail: Some("builtins".to_owned()),
                insert: None,
                rank: Rank::Builtin,
                target: None,
                import_from: None,
                import: None,
            }
        });
    }
    if out.prefix.is_empty() {
        return;
    }
    for keyword in KEYWORDS {
        out.push(keyword, || Item {
            label: keyword.to_string(),
            kind: ItemKind::Keyword,
            detail: None,
            insert: None,
            rank: Rank::Keyword,
            target: None,
            import_from: None,
            import: None,
        });
    }
}

const KEYWORDS: [&str; 32] = [
    "and", "as", "assert", "async", "await", "break", "class", "continue", "def", "del", "elif", "else", "except", "finally", "for", "from", "global", "if",
    "import", "in", "is", "lambda", "nonlocal", "not", "or", "pass", "raise", "return", "try", "while", "with", "yield",
];

/// `name=` for the parameters of the called function that can still be
/// given by keyword.
fn keyword_arguments(graph: &Graph, file: FileId, call: &CallSite, out: &mut Collector) {
    let Some(callee) = super::signature_help::callee(graph, file, call) else { return };
    for parameter in callee.parameters(graph) {
        if call.used_keywords.iter().any(|k| parameter.name == *k) {
            continue;
        }
        out.push(&parameter.name, || Item {
            label: format!("{}=", parameter.name),
            kind: ItemKind::Argument,
            detail: parameter.annotation.as_ref().map(ToString::to_string),
            insert: None,
            rank: Rank::Argument,
            target: None,
            import_from: None,
            import: None,
        });
    }
}

/// Members of what `receiver` evaluates to, by the graph's inference: a
/// module's names and submodules, a class's or instance's members through
/// the MRO.
fn member_items(graph: &Graph, file: FileId, offset: u32, receiver: &str, starts: &[u32], out: &mut Collector) {
    let Some(entry) = graph.file(file) else { return };
    let summary = &entry.summary;
    let scope = cursor_scope(summary, entry.text(), offset);
    // Inference looks names up in the scope around an offset: the
    // receiver's, or the end of the cursor's scope when the line being
    // typed is past it.
    let start = starts.first().copied().unwrap_or(offset);
    let at = if summary.scope_at(start) == scope { start } else { summary.scopes[scope as usize].range.end.saturating_sub(1) };
    if receiver.starts_with("super(") {
        // The members the class's bases have, nearest first.
        let Some(class) = summary.enclosing_class(scope).and_then(|c| graph.definition_symbol(file, c)) else { return };
        // As written, from summaries: completion answers while the file
        // waits for its link (graph/deferred.rs).
        for base in graph.written_bases(class) {
            workspace_members(graph, base, file, out);
        }
        for base in graph.library_bases(class) {
            library_members(graph, &base, true, out);
        }
        return;
    }
    let chain: Vec<&str> = receiver.split('.').collect();
    let values = if chain.iter().all(|name| !name.is_empty() && name.chars().all(is_identifier_char)) {
        graph.infer_chain(file, at, &chain)
    } else {
        // `f().`, `xs[0].`, `''.`
        graph.infer_expression(file, at, receiver)
    };
    for value in values {
        match value {
            Value::Module(id) => {
                let Some(module) = graph.symbol(id).map(|m| m.qualified_name.to_owned()) else { continue };
                module_members(graph, &module, Rank::Near, out);
                submodules(graph, &module, out);
            }
            Value::Class(class) | Value::Instance(class) => class_members(graph, class, file, out),
            Value::External(path) => library_members(graph, &path, false, out),
            Value::ExternalInstance(path) => library_members(graph, &path, true, out),
            Value::Function(_) => {}
        }
    }
}

/// The members of something outside the workspace, as the library has
/// them (see [`Graph::library_members`]); the documentation is looked up
/// by the member's dotted path.
fn library_members(graph: &Graph, path: &str, instance: bool, out: &mut Collector) {
    let offered: FxHashSet<String> = out.items.iter().map(|(_, item)| item.label.clone()).collect();
    for member in graph.library_members(path, instance) {
        // An override in a workspace subclass, or a nearer base's member, wins.
        if offered.contains(&member.name) {
            continue;
        }
        let name = member.name.clone();
        out.push(&name, || Item {
            label: member.name,
            kind: item_kind(member.kind),
            detail: Some(member.path.clone()),
            insert: None,
            rank: Rank::Near,
            target: Some(Target { path: PathBuf::new(), qualified_name: member.path }),
            import_from: None,
            import: None,
        });
    }
}

/// A class's members through its MRO, nearest first; those of the library
/// classes it derives from after its own.
fn class_members(graph: &Graph, class: SymbolId, here: FileId, out: &mut Collector) {
    workspace_members(graph, class, here, out);
    for base in graph.library_bases(class) {
        library_members(graph, &base, true, out);
    }
}

fn workspace_members(graph: &Graph, class: SymbolId, here: FileId, out: &mut Collector) {
    for member in graph.members(class) {
        let Some(name) = graph.symbol(member).map(|s| s.name.to_owned()) else { continue };
        out.push(&name, || {
            let (kind, _, target) = describe_symbol(graph, member, here);
            let owner = graph.container(member).and_then(|c| graph.symbol(c)).map(|c| c.name.to_owned());
            Item { label: name.clone(), kind, detail: owner, insert: None, rank: Rank::Near, target, import_from: None, import: None }
        });
    }
}

/// The module-level names of `module` (its definitions and imports), each
/// resolved in that module.
fn module_members(graph: &Graph, module: &str, rank: Rank, out: &mut Collector) {
    let Some(file) = graph.resolve_module(module) else { return };
    let Some(entry) = graph.file(file) else { return };
    let mut resolver = graph.reference_resolver(file);
    let end = entry.text().len() as u32;
    for binding in entry.summary.bindings.iter().filter(|b| b.scope == 0) {
        out.push(&binding.name, || {
            let reference = Reference::new(0, binding.name, &[end], false, false, None);
            let resolved = resolver.segments(&reference).pop().flatten();
            let (kind, detail, target) = describe(graph, resolved.as_ref(), file);
            let detail = detail.or_else(|| Some(module.to_owned()));
            Item { label: binding.name.to_string(), kind, detail, insert: None, rank, target, import_from: None, import: None }
        });
    }
}

/// The workspace modules directly under `parent` (top-level modules when
/// `parent` is empty).
fn submodules(graph: &Graph, parent: &str, out: &mut Collector) {
    let mut names: Vec<(String, PathBuf)> = Vec::new();
    for (_, entry) in graph.files() {
        let rest = if parent.is_empty() { Some(entry.module.as_str()) } else { entry.module.strip_prefix(parent).and_then(|r| r.strip_prefix('.')) };
        let Some(rest) = rest.filter(|r| !r.is_empty()) else { continue };
        let name = rest.split('.').next().unwrap_or(rest);
        let qualified = if parent.is_empty() { name.to_owned() } else { format!("{parent}.{name}") };
        // The package's own file documents it; a namespace package has none.
        let path = graph.resolve_module(&qualified).and_then(|f| graph.file(f)).map(|e| e.path.clone());
        names.push((name.to_owned(), path.unwrap_or_default()));
    }
    names.sort();
    names.dedup_by(|a, b| a.0 == b.0);
    for (name, path) in names {
        let qualified = if parent.is_empty() { name.clone() } else { format!("{parent}.{name}") };
        out.push(&name, || {
            let target = (!path.as_os_str().is_empty()).then(|| Target { path, qualified_name: qualified.clone() });
            Item {
                label: name.clone(),
                kind: ItemKind::Module,
                detail: Some(qualified),
                insert: None,
                rank: Rank::Near,
                target,
                import_from: None,
                import: None,
            }
        });
    }
}

/// Module names after `import ` or `from `.
fn module_names(graph: &Graph, file: FileId, parent: &str, level: u32, out: &mut Collector) {
    if level == 0 {
        submodules(graph, parent, out);
        for name in graph.library().map(|l| l.submodules(parent)).unwrap_or_default() {
            let qualified = if parent.is_empty() { name.clone() } else { format!("{parent}.{name}") };
            out.push(&name.clone(), || Item {
                label: name,
                kind: ItemKind::Module,
                detail: Some(qualified.clone()),
                insert: None,
                rank: Rank::Imported,
                target: Some(Target { path: PathBuf::new(), qualified_name: qualified }),
                import_from: None,
                import: None,
            });
        }
        return;
    }
    let written = (!parent.is_empty()).then_some(parent);
    let Some(entry) = graph.file(file) else { return };
    if let Some(base) = absolute_module(&entry.module, entry.is_package, level, written) {
        submodules(graph, &base, out);
    }
}

/// The absolute name of a module written with `level` leading dots in `file`.
fn absolute(graph: &Graph, file: FileId, module: &str, level: u32) -> Option<String> {
    let entry = graph.file(file)?;
    absolute_module(&entry.module, entry.is_package, level, (!module.is_empty()).then_some(module))
}

/// Module-level classes, functions and variables of other workspace files
/// that match the prefix and are not visible here, with the import edit
/// (none offered when the header cannot take an import safely).
fn auto_imports(graph: &Graph, file: FileId, imports: Imports, visible: &FxHashSet<String>, out: &mut Collector) {
    let Some(entry) = graph.file(file) else { return };
    let (config, eager, window) = match imports {
        Imports::Off => return,
        Imports::Eager(config) => (config, true, 0..entry.text().len()),
        Imports::Lazy(config) => (config, false, 0..entry.text().len()),
        Imports::InCell(config, cell) => (config, true, cell.range()),
    };
    let Some(code) = entry.text().get(window.clone()) else { return };
    let first = out.prefix.chars().next().map(|c| c.to_ascii_lowercase());
    let mut candidates: Vec<(i64, &str, SymbolId, FileId)> = Vec::new();
    for (other, other_entry) in graph.files() {
        if other == file || other_entry.module.is_empty() {
            continue;
        }
        for (def, definition) in other_entry.summary.definitions.iter().enumerate() {
            let name = definition.name.as_str();
            // Every top-level name of the workspace passes here (150,000 on
            // Django): a cheap first-letter test before hashing the name
            // and before the fuzzy score.
            if definition.scope != 0 || name.chars().next().map(|c| c.to_ascii_lowercase()) != first {
                continue;
            }
            if name.starts_with('_') || visible.contains(name) {
                continue;
            }
            let Some(score) = out.score(name) else { continue };
            let Some(id) = graph.definition_symbol(other, def as u32) else { continue };
            candidates.push((score, name, id, other));
        }
    }
    if candidates.is_empty() {
        return;
    }
    candidates.sort_by(|a, b| (-a.0, a.1).cmp(&(-b.0, b.1)));
    if candidates.len() > MAX_AUTO_IMPORTS {
        candidates.truncate(MAX_AUTO_IMPORTS);
        out.incomplete = true;
    }
    let Some(placer) = ImportPlacer::new(&entry.path, code, config) else { return };
    for (_, name, id, other) in candidates {
        let Some(module) = graph.file(other).map(|e| e.module.as_str()) else { continue };
        let import = if eager {
            let Some(mut edit) = placer.edit(module, name) else { continue };
            edit.span = Span::new(edit.span.start + window.start as u32, edit.span.end + window.start as u32);
            Some(edit)
        } else {
            None
        };
        let (kind, _, target) = describe_symbol(graph, id, file);
        let item = Item {
            label: name.to_owned(),
            kind,
            detail: Some(format!("from {module} import {name}")),
            insert: None,
            rank: Rank::Workspace,
            target,
            import_from: Some(module.to_owned()),
            import,
        };
        // Several modules may define the name: each is its own item.
        out.push(name, || item);
    }
}

/// The edit that imports `name` from `module` in `file` (a lazy
/// auto-import item being resolved); `None` when it cannot be placed safely.
pub fn import_edit(graph: &Graph, file: FileId, module: &str, name: &str, config: &Config) -> Option<ImportEdit> {
    let entry = graph.file(file)?;
    ImportPlacer::new(&entry.path, entry.text(), config)?.edit(module, name)
}

/// The documentation of a completion's target: its header line as Python
/// and its docstring (Markdown).
pub fn documentation(graph: &Graph, target: &Target) -> Option<String> {
    let Some(id) = find_symbol(graph, target) else {
        let symbol = graph.library_symbol(graph.library_item(&target.qualified_name)?)?;
        let mut out = format!("```python\n{}\n```", crate::graph::explain::header(&(&symbol).into()));
        if let Some(doc) = symbol.docstring.filter(|d| !d.trim().is_empty()) {
            out.push_str("\n\n");
            out.push_str(&crate::graph::docstring::to_markdown(doc));
        }
        out.push_str("\n\n");
        out.push_str(&crate::graph::explain::library_origin(&symbol));
        return Some(out);
    };
    let symbol = graph.symbol(id)?;
    let mut out = format!("```python\n{}\n```", crate::graph::explain::header(&(&symbol).into()));
    if let Some(doc) = symbol.docstring.filter(|d| !d.trim().is_empty()) {
        out.push_str("\n\n");
        out.push_str(&crate::graph::docstring::to_markdown(doc));
    }
    Some(out)
}

fn find_symbol(graph: &Graph, target: &Target) -> Option<SymbolId> {
    let file = graph.file_id(&target.path)?;
    if graph.file(file)?.module == target.qualified_name {
        return graph.module_symbol(file);
    }
    let count = graph.file(file)?.summary.definitions.len() as u32;
    (0..count).filter_map(|d| graph.definition_symbol(file, d)).find(|&id| graph.symbol(id).is_some_and(|s| s.qualified_name == target.qualified_name))
}

#[cfg(test)]
#[path = "completion_tests.rs"]
mod tests;
