//! Override dispatch (class-hierarchy analysis): a call the resolver bound
//! to `Base.m` runs, on an instance of a subclass, that subclass's override
//! of `m`. The graph keeps the call's edge to `Base.m` only; these queries
//! add the overrides it may reach, marked [`Via::Override`], at query time
//! (no edges stored: nothing to re-link when a subclass changes).
//!
//! Narrowed where the call says which class runs: `self.m()` / `cls.m()`
//! in a method of class `D` reaches only overrides in `D` and below;
//! `super().m()`, `Base.m(self)`, `Base().m()` and constructor calls
//! (`Base()`) run exactly what they name and reach no override.

use rustc_hash::{FxHashMap, FxHashSet};

use super::accessors::Role;
use super::dispatch_site::Admitted;
use super::hooks::{add_sites, sort_sites};
use super::queries::Caller;
use super::{EdgeKind, Graph, SymbolId, SymbolKind};

/// How a call reaches its callee.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub enum Via {
    /// The call is bound to the callee.
    #[default]
    Direct,
    /// The call is bound to a method the callee overrides: it runs the
    /// callee when the receiver is an instance of the callee's class.
    Override,
    /// Syntax runs the callee without naming it (`with x:`, `len(x)`,
    /// `a == b`).
    Protocol,
    /// The callee was passed to the caller, which calls it (through a
    /// parameter, or a higher-order function: `sorted(key=f)`).
    Callback,
    /// The callee is the wrapper a decorator returns: the call names the
    /// function the decorator was applied to.
    Wrapper,
}

impl Via {
    /// How the editor and the model are told, when not direct.
    pub fn label(self) -> Option<&'static str> {
        match self {
            Via::Direct => None,
            Via::Override => Some("via override"),
            Via::Protocol => Some("implicit call"),
            Via::Callback => Some("via callback"),
            Via::Wrapper => Some("via decorator"),
        }
    }
}

/// The subclasses of a class (at any depth), the methods each defines by
/// name, and those with more than one base (where a mixin may come first).
pub(super) struct Below<'g> {
    subclasses: Vec<SymbolId>,
    methods: FxHashMap<&'g str, Vec<(SymbolId, SymbolId)>>,
    mixing: Vec<SymbolId>,
}

/// How many ancestors of a class are looked through (a cycle or a huge
/// hierarchy in broken code must not cost a hover).
const MAX_ANCESTORS: usize = 64;

/// How many subclasses a dispatch looks through (generated code can have
/// thousands; hover asks this of every method).
const MAX_SUBCLASSES: usize = 500;

impl Graph {
    /// [`Graph::callers`], and the calls of the methods `id` overrides
    /// that may run it, as [`Via::Override`] callers.
    pub fn callers_with_overrides(&self, id: SymbolId) -> Vec<Caller> {
        let mut out = self.callers(id);
        out.extend(self.override_callers(id));
        self.retain_accessing(id, &mut out);
        let hooks = self.hook_callers(id);
        out.extend(self.iterated_hook_callers(id, &hooks));
        out.extend(hooks);
        out.extend(self.tzinfo_callers(id));
        out.extend(self.library_hook_callers(id));
        out.extend(self.property_getter_callers(id));
        out.extend(self.implicit_callers(id));
        out.extend(self.self_protocol_callers(id));
        out.extend(self.wrapper_callers(id));
        out.extend(self.callback_callers(id));
        out
    }

    /// The calls bound to other methods of `id`'s name that run `id` on an
    /// instance of some class: the same-named methods of its class's
    /// ancestors (run on an instance of the class), and of the other bases
    /// of its subclasses that do not override it: a mixin's method is so
    /// reached from the calls of the base it is mixed into (`class
    /// Url(UrlMixin, Serializer)`: `Serializer.dumps` calling
    /// `self.dump_payload()` runs `UrlMixin.dump_payload`).
    pub(super) fn override_callers(&self, id: SymbolId) -> Vec<Caller> {
        let mut out = Vec::new();
        let reached = self.overridden_by(id);
        let mut done = Vec::new();
        for &(other, _) in &reached {
            if done.contains(&other) {
                continue;
            }
            done.push(other);
            // A method may run `id` on instances of several classes (a
            // mixin's base, and a subclass mixing it into another base).
            let instances: Vec<SymbolId> = reached.iter().filter(|&&(o, _)| o == other).map(|&(_, instance)| instance).collect();
            for mut caller in self.callers(other) {
                caller.sites.retain(|site| {
                    let dispatch = self.dispatch(site, caller.symbol, other);
                    instances.iter().any(|&instance| dispatch.admits(self, instance))
                });
                if !caller.sites.is_empty() {
                    caller.via = Via::Override;
                    out.push(caller);
                }
            }
        }
        out
    }

    /// The other same-named methods whose calls may run `id`, each with a
    /// class whose instances run `id` (see [`Graph::override_callers`]).
    pub(super) fn overridden_by(&self, id: SymbolId) -> Vec<(SymbolId, SymbolId)> {
        let (Some(class), Some(name)) = (self.method_class(id), self.symbol(id).map(|s| s.name)) else { return Vec::new() };
        // `self.__m()` is `self._Base__m()`: a mangled method overrides
        // nothing and is overridden by nothing.
        if mangled(name) {
            return Vec::new();
        }
        // Each other same-named method, with a class whose instances run
        // `id` when it is called (the class stands for its subclasses: a
        // call on one of them bound to a base's method is bound to `id`).
        let mut reached: Vec<(SymbolId, SymbolId)> = self.ancestors(class).into_iter().filter_map(|a| Some((self.own_method(a, name)?, class))).collect();
        let inheriting = self.inheriting(class, name);
        for &instance in &inheriting {
            for base in self.bases(instance).into_iter().filter(|b| *b != class && !inheriting.contains(b)) {
                for ancestor in self.self_and_ancestors(base) {
                    if let Some(other) = self.own_method(ancestor, name).filter(|&m| m != id && !reached.contains(&(m, instance))) {
                        reached.push((other, instance));
                    }
                }
            }
        }
        reached
    }

    /// [`Graph::callees`], and for each call bound to a method, the
    /// methods the subclasses of its class run for its name instead
    /// (overrides, and a mixin's method listed before the base), as
    /// [`Via::Override`] callees at the same sites.
    pub fn callees_with_overrides(&self, id: SymbolId) -> Vec<Caller> {
        let id = self.implementation(id);
        let direct = self.accessor_callees(self.callees(id));
        let mut out: Vec<Caller> = Vec::new();
        // A function calls many methods of few classes (`self.x()`): each
        // class's hierarchy is read once.
        let mut hierarchies: Vec<(SymbolId, Below<'_>)> = Vec::new();
        let mut admitted = Admitted::default();
        for callee in &direct {
            let (Some(class), Some(name)) = (self.method_class(callee.symbol), self.symbol(callee.symbol).map(|s| s.name)) else { continue };
            let below = match hierarchies.iter().position(|(c, _)| *c == class) {
                Some(i) => &hierarchies[i].1,
                None => {
                    hierarchies.push((class, self.below(class)));
                    &hierarchies.last().expect("just pushed").1
                }
            };
            let mut overriding = self.overriding(class, name, below);
            // A store runs a subclass's setter, not its getter.
            if let Some(role) = self.accessor_role(callee.symbol) {
                overriding.retain(|&(runs, _)| self.accessor_role(runs).unwrap_or(Role::Get) == role);
            }
            if overriding.is_empty() {
                continue;
            }
            // Each site's receiver is read once, whatever the number of
            // overrides it is asked about.
            let dispatches: Vec<usize> = callee
                .sites
                .iter()
                .map(|site| {
                    let caller = self.enclosing_symbol(site.file, site.span.start).unwrap_or(id);
                    admitted.intern(self.dispatch(site, caller, callee.symbol))
                })
                .collect();
            for (runs, instance) in overriding {
                let sites = callee.sites.iter().zip(&dispatches).filter(|&(_, &d)| admitted.admits(self, d, instance));
                add_sites(&mut out, runs, sites.map(|(site, _)| site.clone()), Via::Override);
            }
        }
        for hook in self.hook_callees(id) {
            add_sites(&mut out, hook.symbol, hook.sites, Via::Override);
        }
        out.retain(|c| !c.sites.is_empty());
        sort_sites(&mut out);
        out.extend(self.library_hook_callees(&direct, id));
        let wrappers = self.wrapper_callees(&direct);
        let mut all = direct;
        all.extend(out);
        all.extend(wrappers);
        let file = self.symbol(id).and_then(|s| s.file);
        let implicit = self.implicit_callees(&self.bodies(id), file);
        all.extend(self.iterated_hook_callees(&implicit));
        all.extend(implicit);
        all.extend(self.self_protocol_callees(id));
        all.extend(self.tzinfo_callees(id));
        all.extend(self.property_getter_callees(id));
        all.extend(self.callback_callees(id));
        all
    }

    /// The subclasses of `class` and the methods they define, by name.
    pub(super) fn below(&self, class: SymbolId) -> Below<'_> {
        let subclasses = self.all_subclasses(class);
        let mut methods: FxHashMap<&str, Vec<(SymbolId, SymbolId)>> = FxHashMap::default();
        for &sub in &subclasses {
            for (_, member) in self.out_edges(sub, EdgeKind::Contains) {
                if let Some(m) = self.symbol(member).filter(|m| m.kind == SymbolKind::Method) {
                    methods.entry(m.name).or_default().push((member, sub));
                }
            }
        }
        let mixing = subclasses.iter().copied().filter(|&s| self.bases(s).len() > 1).collect();
        Below { subclasses, methods, mixing }
    }

    /// The subclasses of `class` (any depth) that inherit its `name`: the
    /// walk stops at a subclass that defines its own.
    pub(super) fn inheriting(&self, class: SymbolId, name: &str) -> Vec<SymbolId> {
        self.subclasses_until(class, |sub| self.own_method(sub, name).is_none())
    }

    /// The methods subclasses of `class` run for `name` instead of its
    /// own, each with a subclass that runs it: their own overrides (at any
    /// depth), and a method that a base listed before the path to `class`
    /// brings (a mixin) to a subclass that does not define `name`.
    pub(super) fn overriding(&self, class: SymbolId, name: &str, below: &Below<'_>) -> Vec<(SymbolId, SymbolId)> {
        if mangled(name) {
            return Vec::new(); // a subclass's `__m` is another name
        }
        let mut out: Vec<(SymbolId, SymbolId)> = below.methods.get(name).cloned().unwrap_or_default();
        for &sub in &below.mixing {
            if out.iter().any(|&(_, s)| s == sub) {
                continue;
            }
            for base in self.bases_in_order(sub) {
                if base == class {
                    break; // bases after the path come later in the MRO
                }
                // A subclass of `class` on the path brings its own override
                // to `sub` (`class UrlTimed(UrlMixin, Timed)`, `UrlMixin` a
                // subclass too: `Timed`'s `self.m()` runs `UrlMixin.m`),
                // not what it inherits from `class` and above.
                let on_path = below.subclasses.contains(&base);
                if let Some(brought) = self.self_and_ancestors(base).into_iter().find_map(|a| self.own_method(a, name)) {
                    let overrides = !on_path || self.method_class(brought).is_some_and(|c| below.subclasses.contains(&c));
                    if overrides && !out.contains(&(brought, sub)) {
                        out.push((brought, sub));
                    }
                    break;
                }
                if on_path {
                    break;
                }
            }
        }
        out
    }

    /// The direct bases of `class` in the order its `class` statement
    /// lists them (the MRO's order).
    fn bases_in_order(&self, class: SymbolId) -> Vec<SymbolId> {
        let written = self.symbol(class).map(|s| s.bases).unwrap_or_default();
        let mut bases = self.bases(class);
        bases.sort_by_key(|&base| {
            let name = self.symbol(base).map(|s| s.name);
            written.iter().position(|w| Some(w.rsplit('.').next().unwrap_or(w)) == name).unwrap_or(usize::MAX)
        });
        bases
    }

    /// Subclasses of `class` at any depth, breadth first, each once, not
    /// listing (nor walking below) one `descend` refuses; at most
    /// [`MAX_SUBCLASSES`].
    fn subclasses_until(&self, class: SymbolId, descend: impl Fn(SymbolId) -> bool) -> Vec<SymbolId> {
        let mut seen = FxHashSet::from_iter([class]);
        let mut out = Vec::new();
        let mut queue = std::collections::VecDeque::from([class]);
        while let Some(current) = queue.pop_front() {
            for sub in self.subclasses(current) {
                if out.len() == MAX_SUBCLASSES {
                    return out;
                }
                if seen.insert(sub) && descend(sub) {
                    out.push(sub);
                    queue.push_back(sub);
                }
            }
        }
        out
    }

    /// The method `class` itself defines for `name`.
    pub(super) fn own_method(&self, class: SymbolId, name: &str) -> Option<SymbolId> {
        self.out_edges(class, EdgeKind::Contains)
            .map(|(_, member)| member)
            .find(|&member| self.symbol(member).is_some_and(|m| m.kind == SymbolKind::Method && m.name == name))
    }

    /// The workspace classes `class` inherits from, at any depth.
    pub(super) fn ancestors(&self, class: SymbolId) -> Vec<SymbolId> {
        let mut seen = FxHashSet::from_iter([class]);
        let mut out = Vec::new();
        let mut todo = vec![class];
        while let Some(current) = todo.pop() {
            for base in self.bases(current) {
                if seen.insert(base) && out.len() < MAX_ANCESTORS {
                    out.push(base);
                    todo.push(base);
                }
            }
        }
        out
    }

    /// `class` first, then [`Graph::ancestors`] (the classes whose
    /// members an instance of `class` may run).
    pub(crate) fn self_and_ancestors(&self, class: SymbolId) -> Vec<SymbolId> {
        let mut out = self.ancestors(class);
        out.insert(0, class);
        out
    }

    /// The class a method is defined in, if `id` is a method.
    pub(super) fn method_class(&self, id: SymbolId) -> Option<SymbolId> {
        self.symbol(id).filter(|s| s.kind == SymbolKind::Method)?;
        self.owner_class(id)
    }
}

/// Whether Python mangles `name` inside a class (`__m`, not a dunder): it
/// is prefixed with the name of the class it is written in, so a
/// subclass's `__m` is another name and never runs for its base's calls.
pub fn mangled(name: &str) -> bool {
    name.starts_with("__") && !name.ends_with("__")
}

#[cfg(test)]
mod tests {
    use expect_test::{Expect, expect};

    use crate::graph::tests::{describe_calls, fixture_graph};

    fn check_callers(fixture: &str, expect: Expect) {
        let (graph, file, offset) = fixture_graph(fixture);
        let symbol = graph.symbol_at(file, offset).expect("cursor on a definition name");
        let mut out = describe_calls(&graph, graph.callers_with_overrides(symbol));
        let impact = graph.impact(symbol);
        out += &format!("impact: {} functions in {} files, {} only through its bases\n", impact.functions, impact.files, impact.through_overrides);
        expect.assert_eq(&out);
    }

    fn check_callees(fixture: &str, expect: Expect) {
        let (graph, file, offset) = fixture_graph(fixture);
        let symbol = graph.symbol_at(file, offset).expect("cursor on a definition name");
        expect.assert_eq(&describe_calls(&graph, graph.callees_with_overrides(symbol)));
    }

    /// A template method in the base calls a hook its subclasses override;
    /// a sibling subclass, `super()`, the base named explicitly and a
    /// constructor call are the calls that cannot run `Csv.render`.
    const EXPORTERS: &str = r#"
//- /export.py
class Exporter:
    def __init__(self): pass
    def run(self, rows):
        return self.render(rows)
    def render(self, rows): return ""
class Csv(Exporter):
    def __init__(self):
        super().__init__()
    def render(self, rows):
        return ",".join(rows)
class Tsv(Exporter):
    def render(self, rows):
        return super().render(rows) + Exporter.render(self, rows)
class Json(Exporter):
    def dump(self, rows):
        return self.render(rows)
    def __head(self): return ""
    def table(self, rows):
        return super(Json, self).render(rows) + self.__head()
class Pretty(Json):
    def render(self, rows): return ""
    def __head(self): return "pretty"
//- /main.py
from export import Exporter, Csv
def export(exporter: Exporter, rows):
    return exporter.render(rows)
def plain(rows):
    return Exporter().render(rows)
def csv(rows):
    return Csv().render(rows)
"#;

    #[test]
    fn an_override_is_called_by_the_calls_of_the_method_it_overrides() {
        check_callers(
            &EXPORTERS.replacen("def render(self, rows):\n        return \",\"", "def ren$0der(self, rows):\n        return \",\"", 1),
            expect![[r#"
                main.csv at main.py:7:18
                export.Exporter.run at export.py:4:21 (via override)
                main.export at main.py:3:21 (via override)
                impact: 7 functions in 2 files, 6 only through its bases
            "#]],
        );
    }

    #[test]
    fn a_call_of_a_base_method_reaches_its_overrides() {
        check_callees(
            &EXPORTERS.replacen("def run", "def r$0un", 1),
            expect![[r#"
                export.Exporter.render at export.py:4:21
                export.Csv.render at export.py:4:21 (via override)
                export.Tsv.render at export.py:4:21 (via override)
                export.Pretty.render at export.py:4:21 (via override)
            "#]],
        );
    }

    #[test]
    fn super_the_named_base_and_a_constructor_reach_no_override() {
        check_callees(
            &EXPORTERS.replacen("class Tsv(Exporter):\n    def render", "class Tsv(Exporter):\n    def ren$0der", 1),
            expect![[r#"
                builtins.super at export.py:13:16
                export.Exporter.render at export.py:13:24, export.py:13:48
            "#]],
        );
        check_callees(
            &EXPORTERS.replacen("def __init__(self):\n        super()", "def __in$0it__(self):\n        super()", 1),
            expect![[r#"
                builtins.super at export.py:8:9
                export.Exporter.__init__ at export.py:8:17
            "#]],
        );
    }

    /// `super(C, self).m()` looks past `C`'s subclasses like `super()`; a
    /// class-private `self.__m()` is mangled with its class's name and runs
    /// no subclass's `__m`. The twin: `self.render` in the same class does.
    #[test]
    fn super_with_arguments_and_a_private_name_reach_no_override() {
        check_callees(
            &EXPORTERS.replacen("def table", "def ta$0ble", 1),
            expect![[r#"
                builtins.super at export.py:19:16
                export.Exporter.render at export.py:19:34
                export.Json.__head at export.py:19:54
            "#]],
        );
        check_callees(
            &EXPORTERS.replacen("def dump", "def du$0mp", 1),
            expect![[r#"
                export.Exporter.render at export.py:16:21
                export.Pretty.render at export.py:16:21 (via override)
            "#]],
        );
        // Nor does a change of `Pretty.__head` reach `Json.table`.
        check_callers(
            &EXPORTERS.replacen("def __head(self): return \"pretty\"", "def __he$0ad(self): return \"pretty\"", 1),
            expect![[r#"
                impact: 0 functions in 0 files, 0 only through its bases
            "#]],
        );
    }

    #[test]
    fn self_in_a_sibling_class_reaches_only_its_own_overrides() {
        check_callees(
            &EXPORTERS.replacen("def dump", "def du$0mp", 1),
            expect![[r#"
                export.Exporter.render at export.py:16:21
                export.Pretty.render at export.py:16:21 (via override)
            "#]],
        );
    }

    /// A local constructed from a class is exactly an instance of it: a
    /// call on it reaches no override of a subclass it is not; a local that
    /// may hold a subclass instance (one branch, or a factory's result)
    /// still does.
    #[test]
    fn a_local_constructed_from_the_base_reaches_no_override() {
        check_callers(
            &format!(
                "{}//- /local.py
from export import Exporter, Csv
def make() -> Exporter: ...
def local(rows, flag):
    base = Exporter()
    if flag:
        either = Exporter()
    else:
        either = Csv()
    made = make()
    return base.render(rows), either.render(rows), made.render(rows)
",
                EXPORTERS.replacen("def render(self, rows):\n        return \",\"", "def ren$0der(self, rows):\n        return \",\"", 1)
            ),
            expect![[r#"
                local.local at local.py:10:38
                main.csv at main.py:7:18
                export.Exporter.run at export.py:4:21 (via override)
                local.local at local.py:10:38, local.py:10:57 (via override)
                main.export at main.py:3:21 (via override)
                impact: 8 functions in 3 files, 6 only through its bases
            "#]],
        );
    }

    /// A mixin's method runs where the base it is mixed into calls the
    /// name on `self`; a class without the mixin does not run it.
    const SERIALIZERS: &str = r#"
//- /serializers.py
class Serializer:
    def dumps(self, obj):
        return self.dump_payload(obj)
    def dump_payload(self, obj): return obj
class UrlMixin:
    def dump_payload(self, obj):
        return super().dump_payload(obj)
class UrlSerializer(UrlMixin, Serializer): pass
class Plain(Serializer): pass
def dump(plain: Plain):
    return plain.dump_payload(1)
"#;

    #[test]
    fn a_mixin_method_runs_for_the_calls_of_the_base_it_is_mixed_into() {
        check_callers(
            &SERIALIZERS.replacen("class UrlMixin:\n    def dump_payload", "class UrlMixin:\n    def dump_pay$0load", 1),
            expect![[r#"
                serializers.Serializer.dumps at serializers.py:3:21 (via override)
                impact: 2 functions in 1 files, 2 only through its bases
            "#]],
        );
        check_callees(
            &SERIALIZERS.replacen("def dumps", "def du$0mps", 1),
            expect![[r#"
            serializers.Serializer.dump_payload at serializers.py:3:21
            serializers.UrlMixin.dump_payload at serializers.py:3:21 (via override)
        "#]],
        );
    }

    #[test]
    fn a_receiver_after_non_ascii_text_is_read_whole() {
        assert_eq!(crate::graph::dispatch_site::start_of_run("x = «a».b", |c| c.is_alphanumeric() || c == '_'), "x = «a».".len());
        assert_eq!(crate::graph::dispatch_site::start_of_run("→self", |c| c.is_alphanumeric() || c == '_'), "→".len());
        check_callers(
            &EXPORTERS.replacen("return exporter.render(rows)", "return «exporter».render(rows) if rows else exporter.render(rows)", 1).replacen(
                "def render(self, rows):\n        return \",\"",
                "def ren$0der(self, rows):\n        return \",\"",
                1,
            ),
            expect![[r#"
                main.csv at main.py:7:18
                export.Exporter.run at export.py:4:21 (via override)
                main.export at main.py:3:60 (via override)
                impact: 7 functions in 2 files, 6 only through its bases
            "#]],
        );
    }

    /// The hover of a leaf override says how much of its impact comes only
    /// through its base's callers; a method no base declares says nothing.
    #[test]
    fn a_hover_tells_an_overrides_possible_dependents_apart() {
        let leaf = EXPORTERS.replacen("def render(self, rows):\n        return \",\"", "def ren$0der(self, rows):\n        return \",\"", 1);
        let (graph, file, offset) = crate::graph::tests::fixture_graph(&leaf);
        let text = crate::graph::explain::hover(&graph, file, offset).unwrap();
        assert!(text.contains("Changing this affects 7 functions in 2 files, 6 of them only through calls on its base classes, which may run it."), "{text}");
        let own = EXPORTERS.replacen("def dump(self", "def du$0mp(self", 1);
        let (graph, file, offset) = crate::graph::tests::fixture_graph(&own);
        let text = crate::graph::explain::hover(&graph, file, offset).unwrap();
        assert!(text.contains("Changing this affects 0 functions in 0 files.\n"), "{text}");
    }
}
