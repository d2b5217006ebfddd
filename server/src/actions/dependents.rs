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
use crate::ide::signature_change::{Binding, definitions};

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
                && let Ok(parsed) = ruff_python_parser::parse_module(&entry.text)
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
        let line = crate::line_ends::line_number(&entry.text, site.span.start as usize);
        format!("{}:{line}", relative(&entry.path, self.base.roots()))
    }

    fn is_import(&self, site: &Location) -> bool {
        let Some(entry) = self.base.file(site.file) else { return false };
        let start = super::place::line_start(&entry.text, (site.span.start as usize).min(entry.text.len()));
        let line = entry.text[start..].trim_start();
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
mod tests {
    use std::sync::Arc;

    use super::*;

    /// The problems of editing `edited` (the first file) into `candidate`.
    fn problems(files: &[(&str, &str)], candidate: &str) -> Vec<String> {
        let dir = tempfile::tempdir().unwrap();
        let mut graph = Graph::new(vec![dir.path().to_owned()]);
        for (name, text) in files {
            let path = dir.path().join(name);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, text).unwrap();
            graph.update_file(&path, text);
        }
        let base = Arc::new(graph);
        let mut changed = Graph::clone(&base);
        let path = dir.path().join(files[0].0);
        changed.update_file(&path, candidate);
        check(&base, &changed, &path, files[0].1, candidate, &[]).into_iter().map(|p| p.to_string()).collect()
    }

    const CART: &str = "class Cart:\n    def __init__(self):\n        self.items = {}\n\n    def subtotal(self, tax=0):\n        return sum(self.items.values()) * (1 + tax)\n\n    def total(self):\n        return self.subtotal()\n";
    const USE: &str =
        "from shop.cart import Cart\n\n\ndef test_subtotal():\n    c = Cart()\n    assert c.subtotal() == 0\n    assert c.subtotal(tax=0.2) == 0\n";

    fn edited(from: &str, to: &str) -> String {
        assert!(CART.contains(from));
        CART.replacen(from, to, 1)
    }

    #[test]
    fn a_renamed_method_names_its_callers() {
        let found = problems(&[("shop/cart.py", CART), ("tests/test_cart.py", USE)], &edited("def subtotal(", "def compute_subtotal("));
        assert_eq!(
            found,
            [
                "caller shop/cart.py:9 calls `Cart.subtotal()`, which this edit renames to `compute_subtotal`",
                "caller tests/test_cart.py:6 calls `Cart.subtotal()`, which this edit renames to `compute_subtotal`",
                "caller tests/test_cart.py:7 calls `Cart.subtotal()`, which this edit renames to `compute_subtotal`",
            ]
        );
        // Removed, with its caller in the same file rewritten too: the other file still breaks.
        let removed =
            CART.replace("    def subtotal(self, tax=0):\n        return sum(self.items.values()) * (1 + tax)\n\n", "").replace("self.subtotal()", "0");
        let found = problems(&[("shop/cart.py", CART), ("tests/test_cart.py", USE)], &removed);
        assert_eq!(found.len(), 2, "{found:?}");
        assert!(found[0].ends_with("calls `Cart.subtotal()`, which this edit removes"), "{found:?}");
    }

    #[test]
    fn a_property_with_a_setter_is_no_method_made_of_an_attribute() {
        let box_ = "class Box:\n    def __init__(self, width=None):\n        self.width = width\n\n    @property\n    def width(self):\n        return self._w\n\n    @width.setter\n    def width(self, value):\n        self._w = value\n\n    def double(self):\n        w = self.width\n        return w * 2\n";
        let candidate = box_.replace("        w = self.width\n        return w * 2\n", "        return self.width * 2\n");
        assert_eq!(problems(&[("pkg/box.py", box_)], &candidate), Vec::<String>::new());
    }

    #[test]
    fn forwarded_arguments_are_safe_when_only_optional_parameters_are_added() {
        let forwarding = "from shop.cart import Cart\n\n\ndef wrapped(*args, **kwargs):\n    return Cart().subtotal(*args, **kwargs)\n";
        let files = [("shop/cart.py", CART), ("forward.py", forwarding)];
        assert_eq!(problems(&files, &edited("def subtotal(self, tax=0):", "def subtotal(self, tax=0, rounding=None):")), Vec::<String>::new());
        let reordered = problems(&files, &edited("def subtotal(self, tax=0):", "def subtotal(self, rounding=None, tax=0):"));
        assert!(reordered[0].contains("with `*args`/`**kwargs`, which cannot be checked"), "{reordered:?}");
    }

    #[test]
    fn decorators_and_async_that_break_calls_are_found() {
        let files = [("shop/cart.py", CART), ("tests/test_cart.py", USE)];
        let property = problems(&files, &edited("    def subtotal(", "    @property\n    def subtotal("));
        assert_eq!(property.len(), 3, "{property:?}");
        assert!(property[0].contains("which this edit makes a property"), "{property:?}");
        let made_async = problems(&files, &edited("    def subtotal(", "    async def subtotal("));
        assert!(made_async[0].ends_with("calls `Cart.subtotal()` without `await`, which this edit makes async"), "{made_async:?}");
        // A staticmethod loses the bound `self`: `c.subtotal()` now misses it.
        let static_ = problems(&files, &edited("    def subtotal(self, tax=0):", "    @staticmethod\n    def subtotal(self, tax=0):"));
        assert!(static_[0].contains("does not accept: `self` is not given"), "{static_:?}");
        // A classmethod binds its first parameter too: nothing breaks.
        assert_eq!(problems(&files, &edited("    def subtotal(self, tax=0):", "    @classmethod\n    def subtotal(cls, tax=0):")), Vec::<String>::new());
        let module = "def rate():\n    return 2\n";
        let found = problems(&[("m.py", module)], "@staticmethod\ndef rate():\n    return 2\n");
        assert_eq!(found, ["caller this edit makes module function `rate` a staticmethod; only methods can be"]);
    }

    #[test]
    fn signatures_are_checked_call_by_call() {
        let files = [("shop/cart.py", CART), ("tests/test_cart.py", USE)];
        // The keyword the test passes is gone.
        let found = problems(&files, &edited("subtotal(self, tax=0)", "subtotal(self, rate=0)"));
        assert_eq!(
            found,
            ["caller tests/test_cart.py:7 calls `Cart.subtotal()`, which its new signature `(self, rate=…)` does not accept: it has no parameter `tax`"]
        );
        // A new required parameter breaks every call.
        assert_eq!(problems(&files, &edited("subtotal(self, tax=0)", "subtotal(self, tax)")).len(), 2);
        // A new optional one breaks none; annotations are no change.
        assert_eq!(problems(&files, &edited("subtotal(self, tax=0)", "subtotal(self, tax: float = 0, rounding=None)")), Vec::<String>::new());
        // A function's callers, with `*args` that cannot be counted.
        let lib = "def total(xs, tax):\n    return sum(xs) * tax\n";
        let app = "from lib import total\n\nargs = ([1], 2)\ntotal(*args)\ntotal([1], tax=2)\n";
        let found = problems(&[("lib.py", lib), ("app.py", app)], "def total(xs, rate):\n    return sum(xs) * rate\n");
        assert_eq!(found.len(), 2, "{found:?}");
        assert!(found[0].contains("app.py:4 calls `total()` with `*args`/`**kwargs`"), "{found:?}");
        assert!(found[1].contains("app.py:5 calls `total()`, which its new signature `(xs, rate)` does not accept: it has no parameter `tax`"), "{found:?}");
    }

    #[test]
    fn reordered_parameters_that_rebind_positional_arguments_are_found() {
        let lib = "def total(xs, tax, rounding=2):\n    return round(sum(xs) * tax, rounding)\n";
        let app = "from lib import total\n\ntotal([1], 2)\ntotal(xs=[1], tax=2)\n";
        let found = problems(&[("lib.py", lib), ("app.py", app)], &lib.replace("total(xs, tax,", "total(tax, xs,"));
        assert_eq!(found, ["caller app.py:3 calls `total()`, whose argument 1 goes to `xs`; with the new signature `(tax, xs, rounding=…)` it goes to `tax`"]);
        // A parameter renamed in place takes the same argument.
        assert_eq!(problems(&[("lib.py", lib), ("app.py", "from lib import total\n\ntotal([1], 2)\n")], &lib.replace("tax", "rate")), Vec::<String>::new());
    }

    #[test]
    fn a_constructor_is_checked_against_a_changed_init() {
        let files = [("shop/cart.py", CART), ("tests/test_cart.py", USE)];
        let found = problems(&files, &edited("def __init__(self):", "def __init__(self, owner):"));
        assert_eq!(
            found,
            ["caller tests/test_cart.py:5 calls `Cart.__init__()`, which its new signature `(self, owner)` does not accept: `owner` is not given"]
        );
        assert_eq!(problems(&files, &edited("def __init__(self):", "def __init__(self, owner=None):")), Vec::<String>::new());
    }

    #[test]
    fn an_override_reshaped_or_renamed_breaks_the_calls_of_what_it_overrides() {
        let cart = "class Cart:\n    def subtotal(self):\n        return 1.0\n\n    def total(self):\n        return self.subtotal() * 2\n";
        let vip = "from cart import Cart\n\n\nclass Vip(Cart):\n    def subtotal(self):\n        return super().subtotal() * 0.9\n";
        let files = [("vip.py", vip), ("cart.py", cart)];
        let property = vip.replace("    def subtotal(self):", "    @property\n    def subtotal(self):");
        let found = problems(&files, &property);
        assert!(found.iter().any(|p| p.starts_with("caller cart.py:6 calls `Vip.subtotal()`")), "{found:?}");
        let renamed = problems(&files, &vip.replace("def subtotal(self):", "def discounted(self):"));
        assert!(renamed.iter().any(|p| p.contains("which overrides `cart.Cart.subtotal`")), "{renamed:?}");
    }

    #[test]
    fn a_property_made_a_method_breaks_its_readers() {
        let class = "class C:\n    @property\n    def size(self):\n        return 1\n\n\ndef use(c: C):\n    return c.size + 1\n";
        let found = problems(&[("m.py", class)], &class.replace("    @property\n", ""));
        assert_eq!(found, ["caller m.py:8 reads `C.size` as an attribute, which this edit makes a method"]);
    }

    #[test]
    fn a_property_with_a_setter_and_an_attribute_of_its_name_is_paired_getter_with_getter() {
        // Tester 23 case 04 (transitions' `Machine.initial`): the first
        // binding of the name is `self.size = …` in `__init__`; an edit
        // around the property (a function added above the class) leaves
        // the getter a getter and the setter a setter.
        let class = "class C:\n    def __init__(self):\n        self.size = 0\n\n    @property\n    def size(self):\n        return 1\n\n    @size.setter\n    def size(self, value):\n        pass\n";
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("m.py");
        let mut base = Graph::new(vec![dir.path().to_owned()]);
        base.update_file(&path, class);
        let mut changed = base.clone();
        changed.update_file(&path, &format!("def _extracted():\n    return []\n\n\n{class}"));
        let (file, new_file) = (base.file_id(&path).unwrap(), changed.file_id(&path).unwrap());
        let definitions = (definitions(&base, file), definitions(&changed, new_file));
        let now = changed.symbols_by_name(new_file);
        let decorators = |graph: &Graph, id: Option<SymbolId>| id.and_then(|id| graph.symbol(id)).map(|s| (s.kind, Binding::of(s.decorators)));
        let sizes: Vec<SymbolId> = definitions.0.iter().copied().filter(|&d| base.symbol(d).is_some_and(|s| s.name == "size")).collect();
        assert_eq!(sizes.len(), 2);
        for old in sizes {
            assert_eq!(decorators(&changed, counterpart(&base, &changed, &definitions, &now, old)), decorators(&base, Some(old)));
        }
        // Twin: with the setter removed, the getter is no longer paired by rank.
        let mut removed = base.clone();
        removed.update_file(&path, &class.replace("    @size.setter\n    def size(self, value):\n        pass\n", ""));
        let definitions = (definitions.0, definitions_of(&removed, &path));
        let now = removed.symbols_by_name(removed.file_id(&path).unwrap());
        let getter = definitions.0.iter().copied().find(|&d| base.symbol(d).is_some_and(|s| s.name == "size")).unwrap();
        assert_eq!(counterpart(&base, &removed, &definitions, &now, getter), now.get("m.C.size").copied());
    }

    fn definitions_of(graph: &Graph, path: &std::path::Path) -> Vec<SymbolId> {
        definitions(graph, graph.file_id(path).unwrap())
    }
}
