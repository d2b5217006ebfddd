//! Which instances a call bound to a method may run on, read off its
//! receiver once per call site: override dispatch then asks, for each
//! subclass that overrides the method, whether the call may reach it.
//!
//! Read once because a site is asked about every overriding subclass: a
//! function calling `ws[i].m()` 300 times on a base with 300 overrides
//! would otherwise infer the receiver 90,000 times (a call hierarchy that
//! took seconds, holding every other request).

use rustc_hash::{FxHashMap, FxHashSet};

use super::{FileId, Graph, Location, SymbolId, Value};

/// The instances a call may run on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Dispatch {
    /// It runs exactly what it names and no override: `super().m()`,
    /// `Base.m(self)`, `Base().m()`, a call not written as `x.m()`.
    Named,
    /// An instance of one of these classes or of a subclass (none known:
    /// any instance), and of none of the classes of the second list (nor
    /// their subclasses): the `isinstance` tests that failed there.
    Below(Vec<SymbolId>, Vec<SymbolId>),
    /// An instance of exactly one of these classes (`b = Base(); b.m()`).
    Exactly(Vec<SymbolId>),
}

impl Dispatch {
    /// Whether the call may run on an instance of `class`, a subclass of
    /// the called method's class.
    pub(super) fn admits(&self, graph: &Graph, class: SymbolId) -> bool {
        match self {
            Dispatch::Named => false,
            Dispatch::Below(bounds, excluded) => {
                (bounds.is_empty() || bounds.iter().any(|&bound| graph.is_subclass(class, bound))) && !excluded.iter().any(|&e| graph.is_subclass(class, e))
            }
            Dispatch::Exactly(exact) => exact.iter().any(|&e| graph.is_subclass(e, class)),
        }
    }
}

/// [`Dispatch::admits`] remembered per (dispatch, class): a call hierarchy
/// asks it of every site for every overriding subclass, and most sites of
/// a function share their receiver's bounds.
#[derive(Default)]
pub(super) struct Admitted {
    known: FxHashMap<(usize, SymbolId), bool>,
    dispatches: Vec<Dispatch>,
}

impl Admitted {
    /// The number standing for `dispatch` in [`Admitted::admits`] (equal
    /// dispatches share one).
    pub(super) fn intern(&mut self, dispatch: Dispatch) -> usize {
        match self.dispatches.iter().position(|d| *d == dispatch) {
            Some(i) => i,
            None => {
                self.dispatches.push(dispatch);
                self.dispatches.len() - 1
            }
        }
    }

    pub(super) fn admits(&mut self, graph: &Graph, dispatch: usize, class: SymbolId) -> bool {
        let dispatches = &self.dispatches;
        *self.known.entry((dispatch, class)).or_insert_with(|| dispatches[dispatch].admits(graph, class))
    }
}

impl Graph {
    /// The instances the call at `site` in `caller`, bound to `target`, may
    /// run on.
    pub(super) fn dispatch(&self, site: &Location, caller: SymbolId, target: SymbolId) -> Dispatch {
        let (Some(entry), Some(target)) = (self.file(site.file), self.symbol(target)) else { return Dispatch::Named };
        let text: &str = entry.text();
        let called = text.get(site.span.range());
        if matches!(target.name, "__init__" | "__new__") {
            // `cls(...)` in a class method and `self.__class__(...)` construct
            // the class they are called on: the caller's class or a subclass.
            if matches!(called, Some("cls" | "__class__"))
                && let Some(own) = self.method_class(caller)
            {
                return Dispatch::Below(vec![own], Vec::new());
            }
            // `exception(...)`, `exception: type[ParseError]` a parameter:
            // the class or a subclass a caller passed.
            let dotted = text.get(..site.span.start as usize).is_some_and(|before| before.trim_end().ends_with('.'));
            if let Some(called) = called.filter(|_| !dotted) {
                let held = self.held_classes(site.file, site.span.start, called);
                if !held.is_empty() {
                    return Dispatch::Below(held, Vec::new());
                }
            }
        }
        // A constructor call names the class: it runs the class's own
        // `__init__`, whatever the subclasses define.
        if called != Some(target.name) {
            return Dispatch::Named;
        }
        let before = text.get(..site.span.start as usize).unwrap_or_default().trim_end();
        let Some(receiver) = before.strip_suffix('.').map(str::trim_end) else { return Dispatch::Named };
        let class_name = target.qualified_name.rsplit('.').nth(1);
        if let Some(callee) = receiver.strip_suffix(')').and_then(|r| r.rfind('(').map(|open| r[..open].trim_end())) {
            let called = callee.rsplit(|c: char| !(c.is_alphanumeric() || c == '_')).next();
            // `super().m()`, `super(C, self).m()`: a base's method, looked
            // up past the overrides.
            if called == Some("super") {
                return Dispatch::Named;
            }
            if called == class_name {
                return Dispatch::Named; // `Base().m()`: the receiver is exactly a `Base`
            }
            // `Sub2().m()`: exactly a `Sub2`, which runs only the overrides
            // it inherits (not those of a sibling below the method's class).
            let callee = &callee[start_of_run(callee, |c| c.is_alphanumeric() || c == '_' || c == '.')..];
            // `cls().m()`, `cls` a parameter holding a class: an instance of
            // it or of a subclass a caller passed.
            if !callee.is_empty() && !callee.contains('.') {
                let held = self.held_classes(site.file, site.span.start, callee);
                if !held.is_empty() {
                    return Dispatch::Below(held, Vec::new());
                }
            }
            if let Some(exact) = self.constructed_class(site.file, site.span.start, callee) {
                return Dispatch::Exactly(vec![exact]);
            }
        }
        let name_start = start_of_run(receiver, |c| c.is_alphanumeric() || c == '_');
        let receiver_name = &receiver[name_start..];
        if class_name == Some(receiver_name) {
            return Dispatch::Named; // `Base.m(self)`: the base's method, by name
        }
        // The receiver's inferred classes bound the instance: `plain: Plain`
        // runs no method of a class that is not a `Plain`.
        let chain_start = start_of_run(receiver, |c| c.is_alphanumeric() || c == '_' || c == '.');
        let chain = &receiver[chain_start..];
        let is_self = matches!(receiver_name, "self" | "cls") && !receiver[..name_start].ends_with('.');
        // `b = Base(); b.m()`: a local constructed right there is exactly
        // a `Base`, whose own method runs.
        if chain == receiver_name && !is_self {
            let exact = self.exact_classes(site.file, site.span.start, receiver_name);
            if !exact.is_empty() {
                return Dispatch::Exactly(exact);
            }
        }
        // `self` is an instance of the method's class: no inference needed
        // (most dispatching calls; a hover asks for hundreds of them).
        if is_self && let Some(own) = self.method_class(caller) {
            return Dispatch::Below(vec![own], Vec::new());
        }
        // `if not isinstance(it, Whitespace): it.render()` runs no method
        // of a `Whitespace`, whatever `it` is declared as.
        let excluded = if chain == receiver_name { self.excluded_classes(site.file, site.span.start, receiver_name) } else { Vec::new() };
        let mut bounds: Vec<SymbolId> = if chain.is_empty() || chain.starts_with('.') {
            Vec::new()
        } else {
            self.infer_expression(site.file, site.span.start, chain)
                .into_iter()
                .filter_map(|value| match value {
                    Value::Instance(c) | Value::Class(c) => Some(c),
                    _ => None,
                })
                .collect()
        };
        bounds.dedup();
        Dispatch::Below(bounds, excluded)
    }

    /// The workspace class a call of `callee` (a name or dotted chain read
    /// at `offset`) constructs, when that is all it names.
    fn constructed_class(&self, file: FileId, offset: u32, callee: &str) -> Option<SymbolId> {
        if callee.is_empty() || callee.starts_with('.') {
            return None;
        }
        match self.infer_expression(file, offset, callee).as_slice() {
            [Value::Class(class)] => Some(*class),
            _ => None,
        }
    }

    /// Whether `class` is `ancestor` or inherits from it (workspace bases).
    pub(super) fn is_subclass(&self, class: SymbolId, ancestor: SymbolId) -> bool {
        let mut seen = FxHashSet::default();
        let mut todo = vec![class];
        while let Some(current) = todo.pop() {
            if current == ancestor {
                return true;
            }
            if seen.insert(current) {
                todo.extend(self.bases(current));
            }
        }
        false
    }
}

/// Where the run of characters `within` that ends `text` starts (a char
/// boundary, whatever precedes it).
pub(super) fn start_of_run(text: &str, within: impl Fn(char) -> bool) -> usize {
    text.char_indices().rev().find(|&(_, c)| !within(c)).map_or(0, |(i, c)| i + c.len_utf8())
}
