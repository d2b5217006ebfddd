//! Checks against the workspace graph: a name imported from a workspace
//! module that does not define it (LOOM801), a call of a workspace function
//! with the wrong number of positional arguments (LOOM802) or an unknown
//! keyword (LOOM803), and an attribute a workspace module does not have
//! (LOOM804), and an import of a module a workspace package does not have
//! (LOOM805: deleted or misspelt; the resolver would take it for a
//! library's). Each finding points at the definition it was checked
//! against.
//!
//! Deliberately conservative: conditional imports (feature detection),
//! modules with `from … import *` or a module-level `__getattr__`, decorated
//! functions (decorators may change the signature), methods, and calls with
//! `*args`/`**kwargs` are not checked; a missing module attribute is only
//! reported when it is called (data attributes are often set from outside,
//! as Django's `mail.outbox`).

use std::ops::Range;

use ruff_python_ast::name::Name;
use ruff_python_ast::visitor::{self, Visitor};
use ruff_python_ast::{ExceptHandler, Expr, ExprCall, ModModule, Stmt};
use ruff_text_size::Ranged;
use rustc_hash::{FxHashMap, FxHashSet};

use super::library_checks::Callees;
use super::{Category, Finding, Related, Severity};
use crate::graph::{
    DefinitionKind, FileId, FileSummary, Graph, Parameter, ParameterKind, Reference, Resolved, Signature, Span, SymbolId, SymbolKind, absolute_module,
};

const UNKNOWN_IMPORT: &str = "LOOM801";
pub(super) const ARITY: &str = "LOOM802";
pub(super) const UNKNOWN_KEYWORD: &str = "LOOM803";
pub(super) const UNKNOWN_ATTRIBUTE: &str = "LOOM804";
const UNKNOWN_MODULE: &str = "LOOM805";

/// The calls of a file whose arguments can be counted (no `*args` or
/// `**kwargs`), by where the called name starts (`f` of `f()`, `g` of
/// `a.g()`). Taken from the AST the linter parsed, so the graph checks can
/// run after the whole workspace graph is built without parsing again.
#[derive(Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct CallSites(FxHashMap<u32, CallSite>, Guards);

/// The code that runs only where a version, platform or feature test lets
/// it (`if sys.version_info >= (3, 12):`, `if hasattr(os, "startfile"):`,
/// `try: ... except AttributeError:`): a library name used there may be
/// missing elsewhere by design, so the library checks leave it alone.
#[derive(Debug, Default, serde::Serialize, serde::Deserialize)]
struct Guards(Vec<Range<usize>>);

#[derive(Debug, serde::Serialize, serde::Deserialize)]
struct CallSite {
    range: Range<usize>,
    positional: usize,
    /// `Name`s are stored inline when short, as keywords are: no
    /// allocation per keyword of every call in the workspace.
    keywords: Vec<Name>,
}

impl CallSites {
    pub fn collect(module: &ModModule) -> CallSites {
        let mut sites = CallSites::default();
        sites.suite(&module.body);
        for stmt in &module.body {
            sites.visit_stmt(stmt);
        }
        sites
    }

    /// Takes in a block of statements (the module's; a compound
    /// statement's are taken with it): what follows a test that stops the
    /// block where it fails is guarded by it (`assert sys.platform ==
    /// "win32"`, `if sys.platform != "win32": raise ImportError`, an early
    /// `return`).
    pub(super) fn suite(&mut self, body: &[Stmt]) {
        let Some(last) = body.last() else { return };
        for stmt in body {
            let stops = match stmt {
                Stmt::Assert(assert) => is_feature_test(&assert.test),
                Stmt::If(if_stmt) => {
                    is_feature_test(&if_stmt.test)
                        && if_stmt.elif_else_clauses.is_empty()
                        && if_stmt.body.last().is_some_and(|s| matches!(s, Stmt::Raise(_) | Stmt::Return(_) | Stmt::Continue(_) | Stmt::Break(_)))
                }
                _ => false,
            };
            if stops {
                self.1.0.push(stmt.range().end().to_usize()..last.range().end().to_usize());
            }
        }
    }

    /// Takes in a call of the file (each once; the file's one walk shows
    /// it every call).
    pub(super) fn add(&mut self, call: &ExprCall) {
        let name_start = match call.func.as_ref() {
            Expr::Name(name) => name.range().start(),
            Expr::Attribute(attribute) => attribute.attr.range().start(),
            _ => return,
        };
        let arguments = &call.arguments;
        if arguments.args.iter().any(Expr::is_starred_expr) || arguments.keywords.iter().any(|k| k.arg.is_none()) {
            return;
        }
        let site = CallSite {
            range: call.range().start().to_usize()..call.range().end().to_usize(),
            positional: arguments.args.len(),
            keywords: arguments.keywords.iter().filter_map(|k| k.arg.as_ref().map(|a| a.id.clone())).collect(),
        };
        self.0.insert(name_start.to_u32(), site);
    }

    /// Takes in a statement of the file (each once): what it guards.
    pub(super) fn stmt(&mut self, stmt: &Stmt) {
        for body in suites(stmt) {
            self.suite(body);
        }
        match stmt {
            Stmt::If(if_stmt) if is_feature_test(&if_stmt.test) || if_stmt.elif_else_clauses.iter().any(|c| c.test.as_ref().is_some_and(is_feature_test)) => {
                self.1.0.push(if_stmt.range().start().to_usize()..if_stmt.range().end().to_usize());
            }
            Stmt::Try(try_stmt) if try_stmt.handlers.iter().any(catches_missing_names) => {
                // Its `else` runs only where the body did not fail.
                let end = try_stmt.orelse.last().or(try_stmt.body.last()).map_or(try_stmt.range().end(), |s| s.range().end());
                self.1.0.push(try_stmt.range().start().to_usize()..end.to_usize());
            }
            _ => {}
        }
    }

    /// Whether `offset` is in code a version, platform or feature test guards.
    pub(super) fn guarded(&self, offset: usize) -> bool {
        self.1.0.iter().any(|r| r.contains(&offset))
    }
}

/// The blocks of statements directly in a compound statement.
fn suites(stmt: &Stmt) -> Vec<&[Stmt]> {
    match stmt {
        Stmt::FunctionDef(f) => vec![&f.body[..]],
        Stmt::ClassDef(c) => vec![&c.body[..]],
        Stmt::If(i) => std::iter::once(&i.body[..]).chain(i.elif_else_clauses.iter().map(|c| &c.body[..])).collect(),
        Stmt::For(f) => vec![&f.body[..], &f.orelse[..]],
        Stmt::While(w) => vec![&w.body[..], &w.orelse[..]],
        Stmt::With(w) => vec![&w.body[..]],
        Stmt::Try(t) => {
            let handlers = t.handlers.iter().map(|h| {
                let ExceptHandler::ExceptHandler(h) = h;
                &h.body[..]
            });
            [&t.body[..], &t.orelse[..], &t.finalbody[..]].into_iter().chain(handlers).collect()
        }
        Stmt::Match(m) => m.cases.iter().map(|c| &c.body[..]).collect(),
        _ => Vec::new(),
    }
}

/// A test on the version, the platform or the presence of a name.
fn is_feature_test(test: &Expr) -> bool {
    let mut found = false;
    let mut finder = FeatureTest(&mut found);
    finder.visit_expr(test);
    found
}

struct FeatureTest<'a>(&'a mut bool);

impl<'a> Visitor<'a> for FeatureTest<'_> {
    fn visit_expr(&mut self, expr: &'a Expr) {
        match expr {
            Expr::Attribute(attribute)
                if matches!(attribute.attr.as_str(), "version_info" | "platform" | "name" | "hexversion" | "implementation" | "system" | "machine") =>
            {
                *self.0 |= matches!(&*attribute.value, Expr::Name(m) if matches!(m.id.as_str(), "sys" | "os" | "platform"));
            }
            Expr::Name(name) if matches!(name.id.as_str(), "hasattr" | "TYPE_CHECKING" | "PY2" | "PY3" | "IS_WINDOWS" | "WINDOWS") => *self.0 = true,
            Expr::Name(name) if name.id.starts_with("PY3") || name.id.starts_with("PY_3") || name.id.starts_with("PYTHON_3") => *self.0 = true,
            _ => {}
        }
        visitor::walk_expr(self, expr);
    }
}

/// `except AttributeError`, `ImportError`, `NameError`, `TypeError`, `Exception` or bare.
fn catches_missing_names(handler: &ExceptHandler) -> bool {
    let ExceptHandler::ExceptHandler(handler) = handler;
    let Some(kind) = &handler.type_ else { return true };
    let named = |e: &Expr| match e {
        Expr::Name(n) => {
            matches!(n.id.as_str(), "AttributeError" | "ImportError" | "ModuleNotFoundError" | "NameError" | "TypeError" | "Exception" | "BaseException")
        }
        _ => false,
    };
    match kind.as_ref() {
        Expr::Tuple(tuple) => tuple.elts.iter().any(named),
        other => named(other),
    }
}

impl<'a> Visitor<'a> for CallSites {
    fn visit_stmt(&mut self, stmt: &'a Stmt) {
        self.stmt(stmt);
        visitor::walk_stmt(self, stmt);
    }

    fn visit_expr(&mut self, expr: &'a Expr) {
        if let Expr::Call(call) = expr {
            self.add(call);
        }
        visitor::walk_expr(self, expr);
    }
}

/// The graph findings of `file`, whose counted calls are `calls`;
/// `callees` holds the library callees already looked up in `graph`.
pub fn check(graph: &Graph, callees: &Callees, file: FileId, calls: &CallSites) -> Vec<Finding> {
    let Some(entry) = graph.file(file) else { return Vec::new() };
    let summary = &entry.summary;
    let checked = Checked::of(summary);
    let mut found = Vec::new();
    imports(graph, file, &mut found);
    let mut resolver = graph.reference_resolver(file);
    for reference in summary.references.iter().filter(|r| checked.reads(r)) {
        let resolved = resolver.segments(reference);
        let segments: Vec<_> = reference.segments().collect();
        attribute(graph, &segments, &resolved, &mut found);
        let library_checked = !calls.guarded(reference.span().start as usize);
        if library_checked && library_attribute(graph, callees, &segments, &resolved, &mut found) {
            continue;
        }
        // The whole chain resolved: the callee, in the workspace or outside.
        let call = segments.last().and_then(|(_, span)| calls.0.get(&span.start));
        match (resolved.len() == segments.len(), resolved.last(), call) {
            (true, Some(Some(Resolved::Symbol(id))), Some(call)) => arity(graph, *id, call, &mut found),
            (true, Some(Some(Resolved::External(path))), Some(call)) if library_checked => {
                let site =
                    super::library_checks::CallSite { range: call.range.clone(), positional: call.positional, keywords: &call.keywords, resolved: &resolved };
                super::library_checks::call_of_any(graph, callees, path, summary, reference, site, &mut found)
            }
            _ => {}
        }
    }
    // What a type checker is told to ignore is not reported either.
    found.retain(|f| !type_checker_ignores(entry.text(), f.range.start));
    found
}

/// Whether a called chain's callee is looked up on a class object
/// (`Base.method(self, x)`, `dict.fromkeys(keys)`), where a method's `self`
/// is an argument, rather than on an instance (`PRETTY_MAP.keys()`,
/// `f().g()`), which binds it. Read from the receiver, never from the
/// callee's path: `builtins.dict.keys` is both.
pub(super) fn on_class(graph: &Graph, resolved: &[Option<Resolved>]) -> bool {
    let [.., receiver, _] = resolved else { return false };
    match receiver {
        Some(Resolved::External(path)) => {
            graph.library_item(path).and_then(|item| graph.library_declaration(item)).is_some_and(|s| s.kind == SymbolKind::Class)
        }
        Some(Resolved::Symbol(id)) => graph.symbol(*id).is_some_and(|s| s.kind == SymbolKind::Class),
        _ => false,
    }
}

/// Whether the line at `offset` carries `# type: ignore` or `# pyright: ignore`.
fn type_checker_ignores(text: &str, offset: usize) -> bool {
    let end = text.get(offset..).and_then(|rest| rest.find('\n')).map_or(text.len(), |i| offset + i);
    let line = text.get(..end).map_or("", |before| before.rsplit('\n').next().unwrap_or(before));
    line.find('#').is_some_and(|hash| {
        let comment = &line[hash..];
        comment.contains("type: ignore") || comment.contains("pyright: ignore") || comment.contains("type:ignore")
    })
}

/// Drops the references of `summary` that no graph check reads. A one-shot
/// check keeps every file's summary until the workspace graph is complete,
/// and most references are reads that are not checked calls. The kept ones
/// get a list of their own size: filtering in place would keep the whole
/// list's allocation.
pub fn keep_checked_references(summary: &mut FileSummary) {
    let references = std::mem::take(&mut summary.references);
    let checked = Checked::of(summary);
    let mut kept: Vec<Reference> = references.into_iter().filter(|r| checked.reads(r)).collect();
    kept.shrink_to_fit();
    summary.references = kept;
}

/// The references the graph checks resolve: calls of chains that start at
/// an import or a function of the file, the only ones that can reach a
/// workspace function or module.
struct Checked<'s> {
    roots: FxHashSet<&'s str>,
}

impl<'s> Checked<'s> {
    fn of(summary: &'s FileSummary) -> Self {
        let imported = summary.imports.iter().filter_map(|i| i.bound_name());
        let functions = summary.definitions.iter().filter(|d| d.kind == DefinitionKind::Function).map(|d| d.name.as_str());
        Checked { roots: imported.chain(functions).collect() }
    }

    fn reads(&self, reference: &Reference) -> bool {
        let from_root = reference.chain.split('.').next().is_some_and(|first| self.roots.contains(first));
        reference.call && !reference.from_super && reference.receiver().is_none() && from_root
    }
}

fn imports(graph: &Graph, file: FileId, found: &mut Vec<Finding>) {
    let Some(entry) = graph.file(file) else { return };
    for import in entry.summary.imports.iter().filter(|i| !i.conditional) {
        let Some(module) = absolute_module(&entry.module, entry.is_package, import.level, import.module.as_deref()) else { continue };
        if let Some((package, missing)) = missing_module(graph, &module) {
            let range = if import.name.is_some() || import.star { import.module_range } else { import.name_range };
            let package_name = graph.file(package).map(|p| p.module.clone()).unwrap_or_default();
            let message = format!("no module `{module}`: the workspace package `{package_name}` has no `{missing}`");
            found.push(finding(range.range(), UNKNOWN_MODULE, message, module_related(graph, package, &package_name)));
            continue;
        }
        let Some(name) = import.name.as_deref().filter(|_| !import.star) else { continue };
        let Some(target) = graph.resolve_module(&module) else { continue };
        if !defines(graph, target, name) {
            let message = format!("`{name}` is not defined in module `{module}`");
            found.push(finding(import.name_range.range(), UNKNOWN_IMPORT, message, module_related(graph, target, &module)));
        }
    }
}

/// The workspace package that should hold `module` and the name of its
/// part it lacks (`shop` and `pricing` for `shop.pricing.rules` once
/// `shop/pricing.py` is deleted): when the nearest existing ancestor of
/// `module` is a workspace package, nothing beside its `__init__` could be
/// the missing part (a file the index excludes, a compiled extension, a
/// folder), and no library knows the module.
fn missing_module(graph: &Graph, module: &str) -> Option<(FileId, String)> {
    if graph.resolve_module(module).is_some() {
        return None;
    }
    let (package, missing) = std::iter::successors(Some(module), |m| m.rsplit_once('.').map(|(head, _)| head))
        .skip(1)
        .find_map(|ancestor| Some((graph.resolve_module(ancestor)?, &module[ancestor.len() + 1..])))?;
    let missing = missing.split('.').next()?;
    let entry = graph.file(package).filter(|p| p.is_package)?;
    let folder = entry.path.parent()?;
    let on_disk = folder.join(missing).exists()
        || std::fs::read_dir(folder)
            .into_iter()
            .flatten()
            .flatten()
            .any(|e| e.file_name().to_str().is_some_and(|n| n.strip_prefix(missing).is_some_and(|rest| rest.starts_with('.'))));
    let in_library = graph.library_origin(module).is_some();
    (!on_disk && !in_library).then(|| (package, missing.to_owned()))
}

/// A module attribute called along a chain (`mod.missing()`) that the
/// module does not define; `resolved` holds what each segment denotes.
fn attribute(graph: &Graph, segments: &[(&str, Span)], resolved: &[Option<Resolved>], found: &mut Vec<Finding>) {
    for (i, pair) in segments.windows(2).enumerate() {
        let [_, (attribute, span)] = pair else { continue };
        let called = i + 2 == segments.len();
        let Some(Some(Resolved::Symbol(id))) = resolved.get(i) else { break };
        let Some(symbol) = graph.symbol(*id).filter(|s| s.kind == SymbolKind::Module) else { break };
        let Some(target) = symbol.file else { break };
        if called && !defines(graph, target, attribute) {
            let module = symbol.qualified_name.to_owned();
            let message = format!("module `{module}` has no attribute `{attribute}`");
            found.push(finding(span.range(), UNKNOWN_ATTRIBUTE, message, module_related(graph, target, &module)));
            break;
        }
    }
}

/// A called chain through an external module to an attribute a typed
/// library module does not have (`json.lods(s)`); whether one was found.
fn library_attribute(graph: &Graph, callees: &Callees, segments: &[(&str, Span)], resolved: &[Option<Resolved>], found: &mut Vec<Finding>) -> bool {
    for (i, pair) in segments.windows(2).enumerate() {
        let [_, (attribute, span)] = pair else { continue };
        let (Some(Some(Resolved::External(module))), Some(Some(Resolved::External(path)))) = (resolved.get(i), resolved.get(i + 1)) else { break };
        if path.strip_prefix(module.as_str()).and_then(|rest| rest.strip_prefix('.')) != Some(attribute) {
            break;
        }
        if super::library_checks::attribute(graph, callees, (module.as_str(), attribute, path.as_str()), *span, found) {
            return true;
        }
    }
    false
}

/// Whether module `target` has `name` at run time, as far as can be known.
fn defines(graph: &Graph, target: FileId, name: &str) -> bool {
    let Some(entry) = graph.file(target) else { return true };
    // By name: a scan of every binding per imported name was quadratic
    // in large modules.
    // The cheap answers first (a module with `*` imports, as packages
    // re-exporting their submodules often are, answers at once).
    (name.starts_with("__") && name.ends_with("__"))
        || entry.has_star_import()
        || entry.binds_at_module_level(name)
        || entry.binds_at_module_level("__getattr__")
        || graph.resolve_module(&format!("{}.{name}", entry.module)).is_some()
}

fn module_related(graph: &Graph, target: FileId, module: &str) -> Vec<Related> {
    graph.file(target).map(|entry| Related { file: entry.path.clone(), range: 0..0, message: format!("module `{module}`") }).into_iter().collect()
}

pub(super) fn finding(range: std::ops::Range<usize>, code: &str, message: String, related: Vec<Related>) -> Finding {
    let mut finding = Finding::new(range, code, Category::Graph, Severity::Error, message);
    finding.related = related;
    finding
}

/// Arity and keyword problems of `call`, a call of the symbol `id`.
fn arity(graph: &Graph, id: SymbolId, call: &CallSite, found: &mut Vec<Finding>) {
    let Some(symbol) = graph.symbol(id) else { return };
    if symbol.kind != SymbolKind::Function || !symbol.decorators.is_empty() {
        return;
    }
    let Some(signature) = symbol.signature else { return };
    let keywords: Vec<&str> = call.keywords.iter().map(Name::as_str).collect();
    for (code, message) in problems(symbol.name, signature, call.positional, &keywords) {
        found.push(finding(call.range.clone(), code, message, definition(graph, id, symbol.qualified_name)));
    }
}

fn definition(graph: &Graph, id: SymbolId, name: &str) -> Vec<Related> {
    let Some(location) = graph.location(id) else { return Vec::new() };
    let Some(entry) = graph.file(location.file) else { return Vec::new() };
    vec![Related { file: entry.path.clone(), range: location.span.range(), message: format!("`{name}` is defined here") }]
}

/// What is wrong with calling `name(signature)` with `positional` positional
/// arguments and `keywords`.
pub(super) fn problems(name: &str, signature: &Signature, positional: usize, keywords: &[&str]) -> Vec<(&'static str, String)> {
    let params = &signature.parameters;
    let has = |kind: ParameterKind| params.iter().any(|p| p.kind == kind);
    let positional_params: Vec<&Parameter> =
        params.iter().filter(|p| matches!(p.kind, ParameterKind::PositionalOnly | ParameterKind::PositionalOrKeyword)).collect();
    let mut found = Vec::new();
    if positional > positional_params.len() && !has(ParameterKind::VarPositional) {
        let takes = positional_params.len();
        let were = if positional == 1 { "was" } else { "were" };
        found.push((ARITY, format!("`{name}` takes {takes} positional argument{} but {positional} {were} given", plural(takes))));
    }
    for keyword in keywords {
        let parameter = params.iter().find(|p| p.name == *keyword);
        match parameter.map(|p| p.kind) {
            Some(ParameterKind::PositionalOrKeyword | ParameterKind::KeywordOnly) => {}
            Some(ParameterKind::PositionalOnly) if !has(ParameterKind::VarKeyword) => {
                found.push((UNKNOWN_KEYWORD, format!("`{keyword}` is a positional-only parameter of `{name}`")));
            }
            _ if !has(ParameterKind::VarKeyword) => {
                found.push((UNKNOWN_KEYWORD, format!("`{name}` has no parameter `{keyword}`")));
            }
            _ => {}
        }
    }
    let missing: Vec<&str> = params
        .iter()
        .enumerate()
        .filter(|(i, p)| match p.kind {
            ParameterKind::PositionalOnly | ParameterKind::PositionalOrKeyword => *i >= positional,
            ParameterKind::KeywordOnly => true,
            _ => false,
        })
        .filter(|(_, p)| p.default.is_none() && !keywords.contains(&p.name.as_str()))
        .map(|(_, p)| p.name.as_str())
        .collect();
    if !missing.is_empty() && positional <= positional_params.len() {
        let names: Vec<String> = missing.iter().map(|m| format!("`{m}`")).collect();
        found.push((ARITY, format!("`{name}` is missing required argument{} {}", plural(missing.len()), names.join(", "))));
    }
    found
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}
