//! Hooks: a method called on `self` (or `cls`) that neither its class nor
//! any workspace base defines, and that subclasses do (an abstract-style
//! base: dateutil's `rrulebase.__iter__` returns `self._iter()`, which only
//! `rrule` and `rruleset` define). Linking reads no subclasses, so the call
//! binds to nothing (or to a library base's method); like override dispatch
//! (dispatch.rs), the methods the subclasses run for the name are added at
//! query time as [`Via::Override`] calls, with no stored edge to re-link
//! when a subclass changes.
//!
//! Only a call whose receiver is the bare `self`/`cls` of a method of the
//! class: any other receiver's class is what inference says it is, and an
//! attribute the class (or a base) defines under the name, a method, a
//! class variable or a `self.x = ...` attribute, is what the call runs.

use rustc_hash::{FxHashMap, FxHashSet};

use super::dispatch::{Via, mangled};
use super::queries::Caller;
use super::summary::{Reference, Span};
use super::{EdgeKind, FileEntry, FileId, Graph, Location, SymbolId, SymbolKind};

/// A reference `self.name` / `cls.name` (called, or a bound method taken):
/// the name and where it is written.
fn self_member(reference: &Reference) -> Option<(&str, Span)> {
    if reference.receiver().is_some() || reference.from_super || reference.segment_count() != 2 {
        return None;
    }
    let mut segments = reference.segments();
    let (receiver, _) = segments.next()?;
    let (name, span) = segments.next()?;
    matches!(receiver, "self" | "cls").then_some((name, span))
}

/// Adds `sites` to `symbol`'s entry in `out`, or a new entry.
pub(super) fn add_sites(out: &mut Vec<Caller>, symbol: SymbolId, sites: impl IntoIterator<Item = Location>, via: Via) {
    match out.iter_mut().find(|c| c.symbol == symbol) {
        Some(known) => known.sites.extend(sites),
        None => out.push(Caller { symbol, sites: sites.into_iter().collect(), via }),
    }
}

/// Each entry's sites in order, each once.
pub(super) fn sort_sites(out: &mut [Caller]) {
    for c in out {
        c.sites.sort();
        c.sites.dedup();
    }
}

impl Graph {
    /// The methods subclasses define for the names `id` calls on `self`
    /// (nested functions included, as [`Graph::callees`] reads them) that
    /// its class and bases do not define: one [`Via::Override`] callee per
    /// method, at the calls that may run it.
    pub(super) fn hook_callees(&self, id: SymbolId) -> Vec<Caller> {
        // A method calls few hooks of one class: each class's subclasses
        // are read once.
        let mut below = FxHashMap::default();
        self.self_class_callees(id, Via::Override, self_member, |class, name| {
            if self.defines_above(class, name) {
                return Vec::new();
            }
            let below = below.entry(class).or_insert_with(|| self.below(class));
            self.overriding(class, name, below).into_iter().map(|(runs, _)| runs).collect()
        })
    }

    /// The calls on `self` of `id`'s name, in methods of classes that do
    /// not define it (nor their bases) and whose instances may run `id`:
    /// its class's bases, and the other bases (mixed in) of its subclasses
    /// that inherit it. As [`Via::Override`] callers.
    pub(super) fn hook_callers(&self, id: SymbolId) -> Vec<Caller> {
        let (Some(class), Some(name)) = (self.method_class(id), self.symbol(id).map(|s| s.name)) else { return Vec::new() };
        let mut above = self.classes_above(class, name);
        above.retain(|&a| !self.defines_above(a, name));
        self.calls_in_classes(above, Via::Override, |_, reference| self_member(reference).filter(|(n, _)| *n == name).map(|(_, span)| span))
    }

    /// The classes whose `self` may be an instance that runs `class`'s
    /// method `name`: its bases, and the other bases (mixed in) of its
    /// subclasses that inherit it, each once.
    pub(super) fn classes_above(&self, class: SymbolId, name: &str) -> Vec<SymbolId> {
        if mangled(name) {
            return Vec::new(); // `self.__m()` in a base is `self._Base__m()`
        }
        let inheriting = self.inheriting(class, name);
        let mut above: Vec<SymbolId> = self.ancestors(class);
        for &instance in &inheriting {
            for base in self.bases(instance).into_iter().filter(|b| *b != class && !inheriting.contains(b)) {
                above.push(base);
                above.extend(self.ancestors(base));
            }
        }
        let mut seen = FxHashSet::default();
        above.retain(|&a| seen.insert(a));
        above
    }

    /// The references in `id`'s text (its nested functions' too, as
    /// [`Graph::callees`] reads them) that `shape` accepts, in a method of
    /// a class: the methods `runs` gives for that class and the name, at
    /// the name, as `via` callees.
    pub(super) fn self_class_callees(
        &self,
        id: SymbolId,
        via: Via,
        shape: fn(&Reference) -> Option<(&str, Span)>,
        runs: impl FnMut(SymbolId, &str) -> Vec<SymbolId>,
    ) -> Vec<Caller> {
        self.self_class_callees_at(id, via, |entry| entry.summary.references.iter().filter_map(shape).collect(), runs)
    }

    /// [`Graph::self_class_callees`] at the sites (a name and where it
    /// is) that `sites` lists in the file of `id`.
    pub(super) fn self_class_callees_at<'g>(
        &'g self,
        id: SymbolId,
        via: Via,
        sites: impl FnOnce(&'g FileEntry) -> Vec<(&'g str, Span)>,
        mut runs: impl FnMut(SymbolId, &str) -> Vec<SymbolId>,
    ) -> Vec<Caller> {
        let Some(symbol) = self.symbol(id).filter(|s| matches!(s.kind, SymbolKind::Function | SymbolKind::Method)) else { return Vec::new() };
        let Some((file, entry)) = symbol.file.and_then(|f| Some((f, self.file(f)?))) else { return Vec::new() };
        let mut out: Vec<Caller> = Vec::new();
        for (name, span) in sites(entry) {
            if span.start < symbol.range.start || symbol.range.end < span.end {
                continue;
            }
            let Some(class) = self.self_class(file, span.start) else { continue };
            for callee in runs(class, name) {
                add_sites(&mut out, callee, [Location { file, span }], via);
            }
        }
        sort_sites(&mut out);
        out
    }

    /// The references that `shape` accepts (given their file; it gives
    /// where the name is) in
    /// the methods of `classes`, not of classes nested in them, as `via`
    /// callers.
    pub(super) fn calls_in_classes(&self, classes: Vec<SymbolId>, via: Via, shape: impl Fn(FileId, &Reference) -> Option<Span>) -> Vec<Caller> {
        self.sites_in_classes(classes, via, |file, entry| entry.summary.references.iter().filter_map(|reference| shape(file, reference)).collect())
    }

    /// The sites `sites` lists in a file (given it and its entry) that are
    /// in the methods of `classes`, not of classes nested in them, as
    /// `via` callers.
    pub(super) fn sites_in_classes(&self, classes: Vec<SymbolId>, via: Via, sites: impl Fn(FileId, &FileEntry) -> Vec<Span>) -> Vec<Caller> {
        // Each file's references are read once for all its classes.
        let mut by_file: FxHashMap<FileId, Vec<(SymbolId, Span)>> = FxHashMap::default();
        for class in classes {
            if let Some(s) = self.symbol(class)
                && let Some(file) = s.file.filter(|&f| !self.is_library(f))
            {
                by_file.entry(file).or_default().push((class, s.range));
            }
        }
        let mut edges = Vec::new();
        for (file, classes) in by_file {
            let Some(entry) = self.file(file) else { continue };
            for span in sites(file, entry) {
                let Some(&(class, _)) = classes.iter().find(|(_, range)| range.start <= span.start && span.end <= range.end) else { continue };
                if self.self_class(file, span.start) == Some(class)
                    && let Some(caller) = self.enclosing_symbol(file, span.start)
                {
                    edges.push((caller, Some(file), span));
                }
            }
        }
        self.grouped(edges.into_iter()).into_iter().map(|c| Caller { via, ..c }).collect()
    }

    /// The generators subclasses define for the hooks an `__iter__`
    /// calls (`return self._iter()`): iterating an instance runs its
    /// `__iter__`, and the generator's body starts there (generators.rs
    /// does this at link time for the generators it can name). Given the
    /// methods a function runs by syntax, the generators at the same sites.
    pub(super) fn iterated_hook_callees(&self, implicit: &[Caller]) -> Vec<Caller> {
        let mut out: Vec<Caller> = Vec::new();
        for run in implicit.iter().filter(|c| self.is_iter_method(c.symbol)) {
            for hook in self.hook_callees(run.symbol).into_iter().filter(|h| self.is_generator_symbol(h.symbol)) {
                add_sites(&mut out, hook.symbol, run.sites.iter().cloned(), Via::Protocol);
            }
        }
        out
    }

    /// Where iterating an instance starts `id`, a generator that an
    /// `__iter__` among its hook callers (`hooks`) calls on `self`: where
    /// that `__iter__` runs by syntax.
    pub(super) fn iterated_hook_callers(&self, id: SymbolId, hooks: &[Caller]) -> Vec<Caller> {
        if !self.is_generator_symbol(id) {
            return Vec::new();
        }
        hooks.iter().filter(|c| self.is_iter_method(c.symbol)).flat_map(|c| self.implicit_callers(c.symbol)).collect()
    }

    fn is_iter_method(&self, id: SymbolId) -> bool {
        self.symbol(id).is_some_and(|s| s.kind == SymbolKind::Method && s.name == "__iter__")
    }

    fn is_generator_symbol(&self, id: SymbolId) -> bool {
        self.node(id).and_then(|n| Some((n.file?, n.definition?))).is_some_and(|(file, def)| super::generators::is_generator(self, file, def))
    }

    /// The class whose instance `self` is at `offset`: that of the
    /// innermost method around it (a function nested in a method sees its
    /// `self`).
    pub(super) fn self_class(&self, file: FileId, offset: u32) -> Option<SymbolId> {
        let mut current = self.enclosing_symbol(file, offset)?;
        loop {
            match self.symbol(current)?.kind {
                SymbolKind::Method => return self.method_class(current),
                SymbolKind::Function => current = self.container(current)?,
                _ => return None,
            }
        }
    }

    /// Whether `class` or a workspace base of it defines `name` (a method,
    /// a class variable, an instance attribute).
    fn defines_above(&self, class: SymbolId, name: &str) -> bool {
        self.self_and_ancestors(class)
            .into_iter()
            .any(|c| self.out_edges(c, EdgeKind::Contains).any(|(_, member)| self.symbol(member).is_some_and(|m| m.name == name)))
    }
}

#[cfg(test)]
mod tests {
    use expect_test::{Expect, expect};

    use crate::graph::tests::calls_both_ways;

    /// What the symbol named by the cursor calls and who calls it
    /// (dispatch included), and how many functions its change affects.
    fn check_hooks(fixture: &str, outgoing: Expect, incoming: Expect) {
        let (calls, callers) = calls_both_ways(fixture, true);
        outgoing.assert_eq(&calls);
        incoming.assert_eq(&callers);
    }

    /// A base calls hooks only its subclasses define, on `self` and `cls`
    /// (in a lambda too); a mixin brings one to a subclass; iterating an
    /// instance whose `__iter__` returns a hook generator starts it. The
    /// twins: a class that is no subclass, a receiver that is not `self`, a
    /// class whose instances set the name, a `self` of a nested class, a
    /// hook that is no generator (it runs in `__iter__`, not at the `for`).
    const RULES: &str = r#"
//- /rules.py
class Base:
    def __iter__(self):
        return self._iter()
    def count(self):
        for x in self:
            pass
    def first(self, other):
        later = lambda: self._iter()
        return other._iter(), later
    @classmethod
    def make(cls):
        return cls._build()
    def nested(self):
        class Inner:
            def run(self):
                return self._iter()
        return Inner
class Daily(Base):
    def _iter(self):
        yield 1
    @classmethod
    def _build(cls): return cls()
class Weekly(Daily):
    def _iter(self):
        yield 7
class IterMixin:
    def _iter(self):
        yield 0
class Mixed(IterMixin, Base): pass
class Unrelated:
    def _iter(self):
        yield 2
class Holder:
    def __init__(self):
        self.run = print
    def go(self):
        return self.run()
class Sub(Holder):
    def run(self): pass
class Listing:
    def __iter__(self):
        return iter(self._items())
    def total(self):
        for x in self:
            pass
class Listed(Listing):
    def _items(self): return [1]
class Stepper:
    def run(self):
        return self.__step()
class Stepped(Stepper):
    def __step(self): pass
"#;

    /// `self.__step()` in `Stepper` is `self._Stepper__step()`: a subclass's
    /// `__step` is `_Stepped__step`, which the call never runs.
    #[test]
    fn a_class_private_name_only_a_subclass_defines_is_no_hook() {
        check_hooks(
            &RULES.replacen("def run(self):\n        return self.__step", "def r$0un(self):\n        return self.__step", 1),
            expect![[r#""#]],
            expect![[r#"
                impact: 0 functions in 0 files
            "#]],
        );
    }

    #[test]
    fn a_call_on_self_of_a_name_only_subclasses_define_reaches_theirs() {
        check_hooks(
            &RULES.replacen("def __iter__", "def __it$0er__", 1),
            expect![[r#"
                rules.Daily._iter at rules.py:3:21 (via override)
                rules.Weekly._iter at rules.py:3:21 (via override)
                rules.IterMixin._iter at rules.py:3:21 (via override)
            "#]],
            expect![[r#"
                rules.Base.count at rules.py:5:18 (implicit call)
                impact: 1 functions in 1 files
            "#]],
        );
        check_hooks(
            &RULES.replacen("def count", "def co$0unt", 1),
            expect![[r#"
                rules.Daily._iter at rules.py:5:18 (implicit call)
                rules.Weekly._iter at rules.py:5:18 (implicit call)
                rules.IterMixin._iter at rules.py:5:18 (implicit call)
                rules.Base.__iter__ at rules.py:5:18 (implicit call)
            "#]],
            expect![[r#"
                impact: 0 functions in 0 files
            "#]],
        );
        check_hooks(
            &RULES.replacen("def make", "def ma$0ke", 1),
            expect![[r#"
                rules.Daily._build at rules.py:12:20 (via override)
            "#]],
            expect![[r#"
                impact: 0 functions in 0 files
            "#]],
        );
        // A subclass's hook and a mixin's are called from the same places.
        for hook in ["class Daily(Base):\n    def _it$0er", "class IterMixin:\n    def _it$0er"] {
            check_hooks(
                &RULES.replacen(&hook.replace("$0", ""), hook, 1),
                expect![""],
                expect![[r#"
                    rules.Base.count at rules.py:5:18 (implicit call)
                    rules.Base.__iter__ at rules.py:3:21 (via override)
                    rules.Base.first at rules.py:8:30 (via override)
                    impact: 3 functions in 1 files
                "#]],
            );
        }
    }

    #[test]
    fn a_call_on_another_receiver_a_set_attribute_or_an_unrelated_class_reaches_no_hook() {
        check_hooks(
            &RULES.replacen("class Unrelated:\n    def _iter", "class Unrelated:\n    def _it$0er", 1),
            expect![""],
            expect![[r#"
                impact: 0 functions in 0 files
            "#]],
        );
        check_hooks(
            &RULES.replacen("def run(self):\n                return", "def r$0un(self):\n                return", 1),
            expect![""],
            expect![[r#"
                impact: 0 functions in 0 files
            "#]],
        );
        check_hooks(
            &RULES.replacen("def go", "def g$0o", 1),
            expect![""],
            expect![[r#"
                impact: 0 functions in 0 files
            "#]],
        );
        check_hooks(
            &RULES.replacen("def total", "def to$0tal", 1),
            expect![[r#"
            rules.Listing.__iter__ at rules.py:44:18 (implicit call)
        "#]],
            expect![[r#"
            impact: 0 functions in 0 files
        "#]],
        );
        check_hooks(
            &RULES.replacen("def _items", "def _it$0ems", 1),
            expect![""],
            expect![[r#"
            rules.Listing.__iter__ at rules.py:42:26 (via override)
            impact: 2 functions in 1 files
        "#]],
        );
        check_hooks(
            &RULES.replacen("def run(self): pass", "def r$0un(self): pass", 1),
            expect![""],
            expect![[r#"
                impact: 0 functions in 0 files
            "#]],
        );
    }
}
