//! Every edit checked against what depends on it. For each definition of
//! the edited file that the edit removes, renames, or whose parameters,
//! binding decorator (`property`, `staticmethod`, `classmethod`) or
//! `async`-ness it changes, every call and reference the graph knows is
//! read again and checked against the new definition. A site that worked
//! with the old definition and does not with the new one is a problem
//! naming the site: `tests/test_cart.py:15 calls \`Cart.subtotal()\`, which
//! this edit renames to \`compute_subtotal\``.
//!
//! Sites are judged old against new with the same reading: a call the old
//! definition did not accept either (as far as this reading can tell) is
//! not the edit's doing, so an imprecise reading never blames an edit.

use std::collections::HashMap;

use rustc_hash::FxHashMap;
use std::ops::Range;
use std::path::Path;

use ruff_python_ast::visitor::{Visitor, walk_expr};
use ruff_python_ast::{Expr, Stmt};
use ruff_text_size::Ranged;

use super::check::{Problem, relative};
use crate::graph::{FileId, Graph, Location, ParameterKind, SymbolId, SymbolKind};
use crate::ide::method_binding::Binding;
use crate::ide::signature_change::definitions;

/// The problems `changed` (the graph holding the candidate of `path`) makes
/// for the sites that use what `base` (the graph holding `original`)
/// defines in `path`. The calls of `followed` (qualified names whose new
/// parameters the edit carried to their calls) are not judged on their old
/// arguments: [`unaccepted_calls`] judges them as updated.
pub fn check(base: &Graph, changed: &Graph, path: &Path, original: &str, candidate: &str, followed: &[String]) -> Vec<Problem> {
    let (Some(file), Some(new_file)) = (base.file_id(path), changed.file_id(path)) else { return Vec::new() };
    let edited = edited_region(original, candidate);
    let mut sites = Sites { base, parsed: HashMap::new() };
    let mut problems = Vec::new();
    let now = changed.symbols_by_name(new_file);
    let definitions = (definitions(base, file), definitions(changed, new_file));
    for &old in &definitions.0 {
        let Some(symbol) = base.symbol(old) else { continue };
        let counterpart = counterpart(base, changed, &definitions, &now, old);
        // A definition the edit did not touch keeps its shape; matched by
        // name instead, a property's setter would be compared with its getter.
        let untouched = (symbol.range.end as usize) < edited.start || edited.end < symbol.range.start as usize;
        if untouched && counterpart.is_some() {
            continue;
        }
        let shown = shown_in(base, file, symbol.qualified_name).to_owned();
        let shape = Shape::of(base, old);
        let change = match counterpart {
            Some(new) if changed.symbol(new).is_some_and(|s| (s.kind == SymbolKind::Class) == (symbol.kind == SymbolKind::Class)) => {
                let new_shape = Shape::of(changed, new);
                let only_parameters = Shape { parameters: shape.parameters.clone(), ..new_shape.clone() } == shape;
                if new_shape == shape || (only_parameters && followed.iter().any(|f| f == symbol.qualified_name)) {
                    continue;
                }
                if new_shape.binding != Binding::Instance && symbol.kind == SymbolKind::Function {
                    problems.push(Problem::new("caller", format!("this edit makes module function `{shown}` a {}; only methods can be", new_shape.binding)));
                    continue;
                }
                Change::Reshaped(new_shape)
            }
            _ => {
                // Inside a removed or renamed container: the container's sites say it.
                let container_kept = base
                    .container(old)
                    .and_then(|c| base.symbol(c))
                    .is_none_or(|c| c.kind == SymbolKind::Module || now.get(c.qualified_name).copied().is_some());
                if !container_kept {
                    continue;
                }
                match renamed_to(base, changed, old, new_file) {
                    Some(name) => Change::Renamed(name),
                    None => Change::Removed,
                }
            }
        };
        // An override renamed or removed: calls through the base class no
        // longer reach it.
        // (Not `__init__` and the like: a class's own, which its
        // constructor calls name.)
        let overridden = base.overridden(old).filter(|_| !(symbol.name.starts_with("__") && symbol.name.ends_with("__")));
        if let (Some(overridden), Change::Renamed(_) | Change::Removed) = (overridden, &change) {
            let base_name = base.symbol(overridden).map(|s| s.qualified_name.to_owned()).unwrap_or_default();
            problems.push(Problem::new(
                "caller",
                format!("this edit renames or removes `{shown}`, which overrides `{base_name}`: calls through the base class would run the base method"),
            ));
            continue;
        }
        // A constructor call names the class, not `__init__`: it is a caller, not a reference.
        let mut uses = base.references(old);
        if matches!(change, Change::Reshaped(_)) {
            // With the calls of the methods it overrides that may run it
            // (`self.subtotal()` in the base class, on an instance of this one).
            uses.extend(base.callers_with_overrides(old).into_iter().flat_map(|c| c.sites));
            if let Some(overridden) = overridden {
                uses.extend(base.references(overridden));
            }
            uses.sort();
            uses.dedup();
        }
        for site in uses {
            if base.location(old).as_ref() == Some(&site) || (site.file == file && overlaps(&edited, &site)) {
                continue;
            }
            if let Some(message) = sites.judge(&site, &shown, &shape, &change) {
                let place = sites.place(&site);
                let problem = Problem::new("caller", format!("{place} {message}"));
                // A constructor call is a site of the class and of `__init__`: said once.
                if !problems.contains(&problem) {
                    problems.push(problem);
                }
            }
        }
    }
    problems
}

/// The bytes of `original` the edit replaced (what differs from `candidate`).
fn edited_region(original: &str, candidate: &str) -> Range<usize> {
    let edit = super::edit::minimal_edit(original, 0..original.len(), candidate);
    edit.range
}

fn overlaps(region: &Range<usize>, site: &Location) -> bool {
    (site.span.start as usize) < region.end && region.start < (site.span.end as usize).max(site.span.start as usize + 1)
}

/// The calls of `qualified` (defined in `path`) in `graph` that its
/// signature does not accept: after an edit carried a signature to its
/// calls, each call as it now reads. A call its old signature (in `base`)
/// did not accept either was left as it was, and is not the edit's doing.
pub fn unaccepted_calls(base: &Graph, graph: &Graph, path: &Path, qualified: &str) -> Vec<Problem> {
    let Some((file, id)) = graph.file_id(path).and_then(|file| Some((file, graph.find_in_file(file, qualified)?))) else { return Vec::new() };
    let shown = shown_in(graph, file, qualified);
    let class = shown.rsplit_once('.').map(|(c, _)| c.rsplit('.').next().unwrap_or(c).to_owned());
    let shape = Shape::of(graph, id);
    let old = base.file_id(path).and_then(|file| base.find_in_file(file, qualified)).map(|id| Shape::of(base, id));
    let mut uses = graph.references(id);
    uses.extend(graph.callers_with_overrides(id).into_iter().flat_map(|c| c.sites));
    uses.sort();
    uses.dedup();
    let mut sites = Sites { base: graph, parsed: HashMap::new() };
    let mut problems = Vec::new();
    for site in uses {
        let Some(call) = sites.calls(site.file).by_callee_end.get(&(site.span.end as usize)).cloned() else { continue };
        if let Some(Err(why)) = shape.accepts(&call, class.as_deref())
            && !old.as_ref().is_some_and(|old| matches!(old.accepts(&call, class.as_deref()), Some(Err(_))))
        {
            let place = sites.place(&site);
            problems.push(Problem::new("caller", format!("{place} calls `{shown}()`, which its new signature `{}` does not accept: {why}", shape.render())));
        }
    }
    problems
}

/// `qualified` as the problems name it: without the module of `file` that
/// defines it (`Cart.add`, not `shop.cart.Cart.add`).
fn shown_in<'a>(graph: &Graph, file: FileId, qualified: &'a str) -> &'a str {
    let module = graph.module_symbol(file).and_then(|m| graph.symbol(m)).map(|m| m.qualified_name);
    module.and_then(|m| qualified.strip_prefix(m)?.strip_prefix('.')).unwrap_or(qualified)
}

/// The one definition of the same kind that the edit added beside `old`
/// (in the same container): what `old` was renamed to.
fn renamed_to(base: &Graph, changed: &Graph, old: SymbolId, new_file: FileId) -> Option<String> {
    let symbol = base.symbol(old)?;
    let file = symbol.file?;
    let container = base.container(old).and_then(|c| base.symbol(c))?.qualified_name.to_owned();
    let new_container = changed.find_in_file(new_file, &container)?;
    let added: Vec<String> = changed
        .children(new_container)
        .into_iter()
        .filter_map(|c| changed.symbol(c))
        .filter(|s| s.kind == symbol.kind && s.file == Some(new_file) && base.find_in_file(file, s.qualified_name).is_none())
        .map(|s| s.name.to_owned())
        .collect();
    match added.as_slice() {
        [only] => Some(only.clone()),
        _ => None,
    }
}

/// What the edit did to a definition its sites depend on.
enum Change {
    Removed,
    Renamed(String),
    Reshaped(Shape),
}

/// What a call site depends on of a definition.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Shape {
    is_method: bool,
    binding: Binding,
    is_async: bool,
    /// (name, kind, has a default), annotations aside.
    parameters: Vec<(String, ParameterKind, bool)>,
}

impl Shape {
    fn of(graph: &Graph, id: SymbolId) -> Shape {
        let symbol = graph.symbol(id);
        let binding = symbol.as_ref().map_or(Binding::Instance, |s| Binding::of(s.decorators));
        let signature = symbol.as_ref().and_then(|s| s.signature);
        Shape {
            is_method: symbol.as_ref().is_some_and(|s| s.kind == SymbolKind::Method),
            binding,
            is_async: signature.is_some_and(|s| s.is_async),
            parameters: signature.map(|s| s.parameters.iter().map(|p| (p.name.to_string(), p.kind, p.default.is_some())).collect()).unwrap_or_default(),
        }
    }

    /// Whether every call this shape accepts binds the same under `new`:
    /// its parameters all kept, positional ones in their order, and only
    /// optional ones added (so even a call that forwards `*args` is safe).
    fn only_extended_by(&self, new: &Shape) -> bool {
        let positional = |p: &&(String, ParameterKind, bool)| matches!(p.1, ParameterKind::PositionalOnly | ParameterKind::PositionalOrKeyword);
        let old_positional: Vec<_> = self.parameters.iter().filter(positional).collect();
        let new_positional: Vec<_> = new.parameters.iter().filter(positional).collect();
        let optional = |p: &(String, ParameterKind, bool)| p.2 || matches!(p.1, ParameterKind::VarPositional | ParameterKind::VarKeyword);
        new_positional.starts_with(&old_positional)
            && self.parameters.iter().all(|p| new.parameters.contains(p))
            && new.parameters.iter().all(|p| self.parameters.contains(p) || optional(p))
    }

    /// `(self, sku, qty=…)`, for messages.
    fn render(&self) -> String {
        let parameters: Vec<String> = self
            .parameters
            .iter()
            .map(|(name, kind, default)| {
                let name = match kind {
                    ParameterKind::VarPositional => format!("*{name}"),
                    ParameterKind::VarKeyword => format!("**{name}"),
                    _ => name.clone(),
                };
                if *default { format!("{name}=…") } else { name }
            })
            .collect();
        format!("({})", parameters.join(", "))
    }

    /// Whether a call with `args`, through `receiver`, binds to these
    /// parameters; else why not. `None` when the arguments cannot be counted
    /// (`*args`, `**kwargs`).
    fn accepts(&self, call: &Call, class: Option<&str>) -> Option<Result<(), String>> {
        self.bind(call, class).map(|bound| bound.map(drop))
    }

    /// The parameter each positional argument of `call` binds to (`*name`
    /// for the extra ones), or why the call does not bind.
    fn bind(&self, call: &Call, class: Option<&str>) -> Option<Result<Vec<String>, String>> {
        if call.unpacks {
            return None;
        }
        // A method called on an instance (or any classmethod) gets its first parameter bound.
        let through_class = call.receiver.as_deref().is_some_and(|r| Some(r) == class);
        let bound = self.is_method
            && match self.binding {
                Binding::Static => false,
                Binding::Class => true,
                Binding::Instance | Binding::Property => !through_class || call.constructs,
            };
        let parameters = if bound { self.parameters.get(1..).unwrap_or_default() } else { &self.parameters[..] };
        let positional: Vec<&(String, ParameterKind, bool)> =
            parameters.iter().filter(|p| matches!(p.1, ParameterKind::PositionalOnly | ParameterKind::PositionalOrKeyword)).collect();
        let var_positional = parameters.iter().any(|p| p.1 == ParameterKind::VarPositional);
        let var_keyword = parameters.iter().any(|p| p.1 == ParameterKind::VarKeyword);
        if call.positional > positional.len() && !var_positional {
            return Some(Err(format!("{} positional argument(s) given, it takes {}", call.positional, positional.len())));
        }
        let mut assigned: Vec<&str> = positional.iter().take(call.positional).map(|p| p.0.as_str()).collect();
        let by_position: Vec<String> = (0..call.positional).map(|i| positional.get(i).map_or_else(|| "*".to_owned(), |p| p.0.clone())).collect();
        for keyword in &call.keywords {
            let named = parameters.iter().find(|p| &p.0 == keyword && matches!(p.1, ParameterKind::PositionalOrKeyword | ParameterKind::KeywordOnly));
            match named {
                Some(p) if assigned.contains(&p.0.as_str()) => return Some(Err(format!("`{keyword}` is given twice"))),
                Some(p) => assigned.push(&p.0),
                None if var_keyword => {}
                None => return Some(Err(format!("it has no parameter `{keyword}`"))),
            }
        }
        let missing = parameters.iter().find(|p| {
            matches!(p.1, ParameterKind::PositionalOnly | ParameterKind::PositionalOrKeyword | ParameterKind::KeywordOnly)
                && !p.2
                && !assigned.contains(&p.0.as_str())
        });
        Some(match missing {
            Some(p) => Err(format!("`{}` is not given", p.0)),
            None => Ok(by_position),
        })
    }
}

/// A call as its site reads it.
#[derive(Debug, Clone, Default)]
struct Call {
    /// `c` in `c.subtotal()`, when the callee is an attribute of a name.
    receiver: Option<String>,
    /// The callee is a bare name (`Cart(...)` constructing, `f(...)`).
    constructs: bool,
    positional: usize,
    keywords: Vec<String>,
    /// `*args` or `**kwargs` among the arguments.
    unpacks: bool,
    awaited: bool,
}

/// The calls of one file, by the end of their callee expression (where a
/// call edge's site ends).
#[derive(Default)]
struct Calls {
    by_callee_end: HashMap<usize, Call>,
    awaited: Vec<usize>,
}

impl<'a> Visitor<'a> for Calls {
    fn visit_expr(&mut self, expr: &'a Expr) {
        match expr {
            Expr::Await(awaited) => {
                if let Expr::Call(call) = awaited.value.as_ref() {
                    self.awaited.push(call.start().to_usize());
                }
            }
            Expr::Call(call) => {
                let arguments = &call.arguments;
                let receiver = match call.func.as_ref() {
                    Expr::Attribute(a) => a.value.as_name_expr().map(|n| n.id.to_string()),
                    _ => None,
                };
                self.by_callee_end.insert(
                    call.func.end().to_usize(),
                    Call {
                        receiver,
                        constructs: call.func.is_name_expr(),
                        positional: arguments.args.iter().filter(|a| !a.is_starred_expr()).count(),
                        keywords: arguments.keywords.iter().filter_map(|k| k.arg.as_ref().map(|a| a.to_string())).collect(),
                        unpacks: arguments.args.iter().any(Expr::is_starred_expr) || arguments.keywords.iter().any(|k| k.arg.is_none()),
                        awaited: self.awaited.contains(&call.start().to_usize()),
                    },
                );
            }
            _ => {}
        }
        walk_expr(self, expr);
    }
}

/// What `old` (a definition of `base`) is in `changed`: the definition
/// at its rank among those of its name (a property's getter and setter,
/// overloads), when the edit kept their number; else the first binding
/// of the name, which may be another kind (`self.initial = …` in
/// `__init__`, read before the property's getter).
fn counterpart(
    base: &Graph,
    changed: &Graph,
    definitions: &(Vec<SymbolId>, Vec<SymbolId>),
    now: &FxHashMap<&str, SymbolId>,
    old: SymbolId,
) -> Option<SymbolId> {
    let name = base.symbol(old)?.qualified_name;
    let named = |graph: &Graph, all: &[SymbolId]| -> Vec<SymbolId> {
        all.iter().copied().filter(|&d| graph.symbol(d).is_some_and(|s| s.qualified_name == name)).collect()
    };
    let (was, is) = (named(base, &definitions.0), named(changed, &definitions.1));
    let ranked = (was.len() == is.len()).then(|| was.iter().position(|&d| d == old).map(|rank| is[rank])).flatten();
    ranked.or_else(|| now.get(name).copied())
}

/// The sites' files, parsed once each.
struct Sites<'g> {
    base: &'g Graph,
    parsed: HashMap<FileId, Calls>,
}

impl Sites<'_> {
    fn calls(&mut self, file: FileId) -> &Calls {
        let base = self.base;
        self.parsed.entry(file).or_insert_with(|| {
            let mut calls = Calls::default();
            if let Some(entry) = base.file(file)
                && let Ok(parsed) = ruff_python_parser::parse_module(entry.text())
            {
                let body: &[Stmt] = &parsed.syntax().body;
                for stmt in body {
                    calls.visit_stmt(stmt);
                }
            }
            calls
        })
    }

    /// `tests/test_cart.py:15`.
    fn place(&self, site: &Location) -> String {
        let Some(entry) = self.base.file(site.file) else { return "?".to_owned() };
        let line = crate::line_ends::line_number(entry.text(), site.span.start as usize);
        format!("{}:{line}", relative(&entry.path, self.base.roots()))
    }

    fn is_import(&self, site: &Location) -> bool {
        let Some(entry) = self.base.file(site.file) else { return false };
        let start = super::place::line_start(entry.text(), (site.span.start as usize).min(entry.text().len()));
        let line = entry.text()[start..].trim_start();
        line.starts_with("from ") || line.starts_with("import ")
    }

    /// What breaks at `site` (a use of `shown`, once of `old`) under `change`.
    fn judge(&mut self, site: &Location, shown: &str, old: &Shape, change: &Change) -> Option<String> {
        let class = shown.rsplit_once('.').map(|(c, _)| c.rsplit('.').next().unwrap_or(c).to_owned());
        let is_import = self.is_import(site);
        let call = self.calls(site.file).by_callee_end.get(&(site.span.end as usize)).cloned();
        let used = match (&call, is_import) {
            (Some(_), _) => format!("calls `{shown}()`"),
            (None, true) => format!("imports `{shown}`"),
            (None, false) => format!("refers to `{shown}`"),
        };
        match change {
            Change::Removed => Some(format!("{used}, which this edit removes")),
            Change::Renamed(name) => Some(format!("{used}, which this edit renames to `{name}`")),
            Change::Reshaped(new) => match call {
                None if old.binding == Binding::Property && new.binding != Binding::Property && !is_import => {
                    Some(format!("reads `{shown}` as an attribute, which this edit makes a method"))
                }
                None => None,
                Some(_) if new.binding == Binding::Property && old.binding != Binding::Property => {
                    Some(format!("{used}, which this edit makes a property (calling it calls its value)"))
                }
                Some(call) if new.is_async && !old.is_async && !call.awaited => Some(format!("{used} without `await`, which this edit makes async")),
                Some(call) if old.is_async && !new.is_async && call.awaited => Some(format!("awaits `{shown}()`, which this edit makes synchronous")),
                Some(call) if call.unpacks && old.parameters != new.parameters && !old.only_extended_by(new) => {
                    Some(format!("{used} with `*args`/`**kwargs`, which cannot be checked against its new signature `{}`", new.render()))
                }
                Some(call) => match (old.bind(&call, class.as_deref()), new.bind(&call, class.as_deref())) {
                    (Some(Ok(_)), Some(Err(why))) => Some(format!("{used}, which its new signature `{}` does not accept: {why}", new.render())),
                    // A parameter that is still there but now gets another
                    // positional argument: the call runs, with its values swapped.
                    (Some(Ok(was)), Some(Ok(is))) => {
                        was.iter().zip(&is).enumerate().find(|(_, (w, i))| w != i && new.parameters.iter().any(|p| &p.0 == *w)).map(|(n, (w, i))| {
                            format!("{used}, whose argument {} goes to `{w}`; with the new signature `{}` it goes to `{i}`", n + 1, new.render())
                        })
                    }
                    _ => None,
                },
            },
        }
    }
}

#[cfg(test)]
#[path = "dependents_tests.rs"]
mod tests;
