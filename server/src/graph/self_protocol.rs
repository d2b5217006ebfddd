//! Syntax on `self` in a base runs its subclasses' methods: in a method of
//! a container base, `self[key]`, `key in self`, `del self[key]`,
//! `len(self)` or `not (self == other)` run, on an instance of a subclass,
//! the subclass's `__getitem__`, `__contains__`, ... (boltons' `LRI.get`
//! returns `self[key]`, which runs `LRU.__getitem__` on an `LRU`;
//! dateutil's `tzrangebase.__ne__` runs the subclasses' `__eq__`).
//! Linking binds such an implicit call to what the class itself has (or to
//! nothing when only subclasses define the method); as for the calls
//! written on `self` (dispatch.rs, hooks.rs), the subclasses' methods are
//! added at query time, as [`Via::Protocol`] calls (no name is written),
//! with no stored edge to re-link when a subclass changes.
//!
//! Only the bare `self` of a method of the class: any other value's class
//! is what inference says it is.

use rustc_hash::FxHashMap;

use super::dispatch::Via;
use super::queries::Caller;
use super::summary::{Protocol, Span};
use super::{FileEntry, Graph, SymbolId};

/// The methods a protocol runs on its value, one of each group: the first,
/// which a subclass defining it runs (a later one runs only when no class
/// in the MRO has the first, which a library base may well have).
/// Iterating runs the iterator's `__next__`, not necessarily the value's;
/// a reflected operator runs only when the other value has none.
fn first_methods(protocol: Protocol) -> Vec<&'static str> {
    match protocol {
        Protocol::Iterate => vec!["__iter__"],
        Protocol::Collect => vec!["__iter__", "__len__"],
        Protocol::Reflected(..) => Vec::new(),
        _ => protocol.runs().into_iter().filter_map(|group| group.first().copied()).collect(),
    }
}

/// The implicit calls on the bare `self` in a file: each method they run
/// (see [`first_methods`]) and where `self` is written. Calling `self`
/// (`return self()`) is one too, though written as a call of the name.
fn on_self(entry: &FileEntry) -> Vec<(&str, Span)> {
    let implicit = entry
        .summary
        .implicit_calls
        .iter()
        .filter(|call| entry.text().get(call.span.range()) == Some("self"))
        .flat_map(|call| first_methods(call.protocol).into_iter().map(move |name| (name, call.span)));
    let called = entry.summary.references.iter().filter(|r| r.call && !r.from_super && r.receiver().is_none() && r.chain.as_str() == "self");
    implicit.chain(called.map(|r| ("__call__", r.last_segment().1))).collect()
}

impl Graph {
    /// The methods subclasses run for the syntax `id` applies to `self`
    /// (its nested functions included, as [`Graph::callees`] reads them),
    /// instead of what its class has: one [`Via::Protocol`] callee per
    /// method, at the `self` it runs on.
    pub(super) fn self_protocol_callees(&self, id: SymbolId) -> Vec<Caller> {
        let mut below = FxHashMap::default();
        self.self_class_callees_at(id, Via::Protocol, on_self, |class, name| {
            let below = below.entry(class).or_insert_with(|| self.below(class));
            self.overriding(class, name, below).into_iter().map(|(runs, _)| runs).collect()
        })
    }

    /// The syntax on `self` in methods of the classes whose instances may
    /// run `id` (a dunder method) in their place: its class's bases, and
    /// the bases mixed into its subclasses that inherit it. As
    /// [`Via::Protocol`] callers.
    pub(super) fn self_protocol_callers(&self, id: SymbolId) -> Vec<Caller> {
        let (Some(class), Some(name)) = (self.method_class(id), self.symbol(id).map(|s| s.name)) else { return Vec::new() };
        if !(name.starts_with("__") && name.ends_with("__")) {
            return Vec::new();
        }
        self.sites_in_classes(self.classes_above(class, name), Via::Protocol, |_, entry| {
            on_self(entry).into_iter().filter(|(n, _)| *n == name).map(|(_, span)| span).collect()
        })
    }
}

#[cfg(test)]
mod tests {
    use expect_test::{Expect, expect};

    use crate::graph::tests::calls_both_ways;

    /// What the symbol named by the cursor calls and who calls it, with
    /// the override dispatch, and how many functions its change affects.
    fn check_self_protocol(fixture: &str, outgoing: Expect, incoming: Expect) {
        let (calls, callers) = calls_both_ways(fixture, true);
        outgoing.assert_eq(&calls);
        incoming.assert_eq(&callers);
    }

    /// A container base applies syntax to `self` that its subclasses
    /// override (`__getitem__`, `__contains__`) or alone define
    /// (`__eq__`). The twins: another receiver (`other == self`,
    /// `self.items[key]`), a class that is no subclass, the `self` of a
    /// class nested in a method.
    const CACHES: &str = r#"
//- /caches.py
class Cache:
    def __init__(self):
        self.items = {}
    def __getitem__(self, key):
        return self.items[key]
    def __contains__(self, key):
        return key in self.items
    def get(self, key):
        if key in self:
            return self[key]
    def __ne__(self, other):
        return not (self == other)
    def peek(self, other, key):
        return other == self, self.items[key]
    def nested(self):
        class Inner:
            def look(self, key):
                return self[key]
        return Inner
class LRU(Cache):
    def __getitem__(self, key):
        return super().__getitem__(key)
    def __eq__(self, other):
        return True
class TTL(LRU):
    def __contains__(self, key):
        return False
class Unrelated:
    def __getitem__(self, key):
        return 0
    def __eq__(self, other):
        return False
"#;

    #[test]
    fn syntax_on_self_in_a_base_runs_the_subclasses_methods() {
        check_self_protocol(
            &CACHES.replacen("def get", "def g$0et", 1),
            expect![[r#"
                caches.Cache.__contains__ at caches.py:9:19 (implicit call)
                caches.Cache.__getitem__ at caches.py:10:20 (implicit call)
                caches.TTL.__contains__ at caches.py:9:19 (implicit call)
                caches.LRU.__getitem__ at caches.py:10:20 (implicit call)
            "#]],
            expect![[r#"
                impact: 0 functions in 0 files
            "#]],
        );
        check_self_protocol(
            &CACHES.replacen("def __ne__", "def __n$0e__", 1),
            expect![[r#"
                caches.LRU.__eq__ at caches.py:12:21 (implicit call)
            "#]],
            expect![[r#"
                impact: 0 functions in 0 files
            "#]],
        );
        check_self_protocol(
            &CACHES.replacen("class LRU(Cache):\n    def __getitem__", "class LRU(Cache):\n    def __get$0item__", 1),
            expect![[r#"
                builtins.super at caches.py:22:16
                caches.Cache.__getitem__ at caches.py:22:24
            "#]],
            expect![[r#"
                caches.Cache.get at caches.py:10:20 (implicit call)
                impact: 1 functions in 1 files
            "#]],
        );
    }

    /// `self()` runs the class's `__call__` and its subclasses'; a class
    /// without one, or calling another value, runs none.
    const HANDLERS: &str = r#"
//- /handlers.py
class Handler:
    def __call__(self):
        return 1
    def __enter__(self):
        return self()
    def other(self, h: "Plain"):
        return h()
class Loud(Handler):
    def __call__(self):
        return 2
class Plain:
    def run(self):
        return self()
"#;

    #[test]
    fn calling_self_runs_the_class_s_call_and_its_subclasses() {
        check_self_protocol(
            &HANDLERS.replacen("def __enter__", "def __ent$0er__", 1),
            expect![[r#"
                handlers.Handler.__call__ at handlers.py:5:16 (implicit call)
                handlers.Loud.__call__ at handlers.py:5:16 (implicit call)
            "#]],
            expect![[r#"
                impact: 0 functions in 0 files
            "#]],
        );
        check_self_protocol(
            &HANDLERS.replacen("class Loud(Handler):\n    def __call__", "class Loud(Handler):\n    def __ca$0ll__", 1),
            expect![""],
            expect![[r#"
                handlers.Handler.__enter__ at handlers.py:5:16 (implicit call)
                impact: 1 functions in 1 files
            "#]],
        );
        check_self_protocol(
            &HANDLERS.replacen("def other", "def ot$0her", 1),
            expect![""],
            expect![[r#"
            impact: 0 functions in 0 files
        "#]],
        );
        check_self_protocol(
            &HANDLERS.replacen("def run", "def r$0un", 1),
            expect![""],
            expect![[r#"
            impact: 0 functions in 0 files
        "#]],
        );
    }

    #[test]
    fn syntax_on_another_value_or_a_nested_class_s_self_runs_no_subclass_method() {
        check_self_protocol(
            &CACHES.replacen("def peek", "def pe$0ek", 1),
            expect![""],
            expect![[r#"
                impact: 0 functions in 0 files
            "#]],
        );
        check_self_protocol(
            &CACHES.replacen("def look", "def lo$0ok", 1),
            expect![""],
            expect![[r#"
                impact: 0 functions in 0 files
            "#]],
        );
        check_self_protocol(
            &CACHES.replacen("class Unrelated:\n    def __getitem__", "class Unrelated:\n    def __get$0item__", 1),
            expect![""],
            expect![[r#"
                impact: 0 functions in 0 files
            "#]],
        );
    }
}
