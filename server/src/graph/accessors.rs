//! Which accessor of a property an attribute access runs: a read its
//! getter, `obj.prop = v` its setter, `del obj.prop` its deleter, and
//! `obj.prop += 1` the getter then the setter. A property's accessors are
//! one family (see [`Graph::family`]): every access is bound to the getter
//! and the references of one are those of all, which rename wants; the
//! call hierarchy shows each access at the accessors it runs, both ways,
//! so a store is no call of the getter, nor of a subclass's getter-only
//! property (assigning to that raises).

use super::dispatch_site::start_of_run;
use super::hooks::{add_sites, sort_sites};
use super::queries::Caller;
use super::{Graph, Location, SymbolId};

/// What an accessor of a property does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Role {
    Get,
    Set,
    Delete,
}

/// The augmented assignments: `obj.prop += 1` reads then stores.
const AUGMENTED: [&str; 13] = ["+=", "-=", "*=", "/=", "//=", "%=", "**=", ">>=", "<<=", "&=", "^=", "|=", "@="];

impl Graph {
    /// What `id` does when it is an accessor of a property: the getter of
    /// `@property` (or `cached_property`, `@x.getter`), `@x.setter`,
    /// `@x.deleter`. `None` for any other function.
    pub(super) fn accessor_role(&self, id: SymbolId) -> Option<Role> {
        let (_, definition) = self.definition_of(id)?;
        let mut role = None;
        for decorator in &definition.decorators {
            match decorator.strip_prefix(definition.name.as_str()) {
                Some(".setter") => return Some(Role::Set),
                Some(".deleter") => return Some(Role::Delete),
                Some(".getter") => return Some(Role::Get),
                _ => {}
            }
            if matches!(decorator.rsplit('.').next(), Some("property" | "cached_property" | "abstractproperty" | "reify")) {
                role = Some(Role::Get);
            }
        }
        role
    }

    /// The accessors the attribute access written at `site` (its name's
    /// span) runs, read off the text around it.
    fn accessed(&self, site: &Location) -> &'static [Role] {
        let Some(text) = self.file(site.file).map(|entry| entry.text()) else { return &[Role::Get] };
        let after = text.get(site.span.end as usize..).unwrap_or_default().trim_start_matches([' ', '\t']);
        if after.starts_with('=') && !after.starts_with("==") {
            return &[Role::Set];
        }
        if AUGMENTED.iter().any(|op| after.starts_with(op)) {
            return &[Role::Get, Role::Set];
        }
        let before = text.get(..site.span.start as usize).unwrap_or_default();
        let before = before[..start_of_run(before, |c| c.is_alphanumeric() || c == '_' || c == '.')].trim_end_matches([' ', '\t']);
        let keyword = before.strip_suffix("del").is_some_and(|rest| !rest.ends_with(|c: char| c.is_alphanumeric() || c == '_'));
        if keyword { &[Role::Delete] } else { &[Role::Get] }
    }

    /// `direct`, with each access of a property moved to the accessors
    /// it runs (a store to a property without a setter runs none), and
    /// without the stores to an attribute named like a method
    /// (`cls.evolve = evolve` calls no `evolve`).
    pub(super) fn accessor_callees(&self, direct: Vec<Caller>) -> Vec<Caller> {
        let mut out: Vec<Caller> = Vec::new();
        for mut callee in direct {
            if self.accessor_role(callee.symbol).is_none() {
                callee.sites.retain(|site| self.accessed(site).contains(&Role::Get));
                if !callee.sites.is_empty() {
                    out.push(callee);
                }
                continue;
            }
            let accessors: Vec<(SymbolId, Role)> = self.family(callee.symbol).into_iter().filter_map(|m| Some((m, self.accessor_role(m)?))).collect();
            for site in callee.sites {
                for &role in self.accessed(&site) {
                    for &(accessor, _) in accessors.iter().filter(|(_, r)| *r == role) {
                        add_sites(&mut out, accessor, [site.clone()], callee.via);
                    }
                }
            }
        }
        sort_sites(&mut out);
        out.sort_by_cached_key(|c| (c.sites.first().cloned(), self.symbol(c.symbol).map(|s| s.qualified_name)));
        out
    }

    /// Keeps, of the calls of `id`'s family in `callers`, the accesses
    /// that run `id`: a property's accessor, or a read of anything else.
    pub(super) fn retain_accessing(&self, id: SymbolId, callers: &mut Vec<Caller>) {
        let role = self.accessor_role(id).unwrap_or(Role::Get);
        for caller in callers.iter_mut() {
            caller.sites.retain(|site| self.accessed(site).contains(&role));
        }
        callers.retain(|c| !c.sites.is_empty());
    }
}

#[cfg(test)]
mod tests {
    use expect_test::{Expect, expect};

    use crate::graph::Caller;
    use crate::graph::tests::{describe_location, fixture_graph};

    /// What the accessor named by the cursor calls and who calls it, each
    /// accessor told by the line of its `def`.
    fn check_calls(fixture: &str, outgoing: Expect, incoming: Expect) {
        let (graph, file, offset) = fixture_graph(fixture);
        let symbol = graph.symbol_at(file, offset).expect("cursor on a definition name");
        let describe = |calls: Vec<Caller>| {
            let mut out = String::new();
            for call in calls {
                let name = graph.symbol(call.symbol).map(|s| s.qualified_name).unwrap_or_default();
                let def = graph.location(call.symbol).map(|l| describe_location(&graph, &l)).unwrap_or_default();
                let sites: Vec<String> = call.sites.iter().map(|l| describe_location(&graph, l)).collect();
                let via = call.via.label().map(|l| format!(" ({l})")).unwrap_or_default();
                out += &format!("{name} ({def}) at {}{via}\n", sites.join(", "));
            }
            out
        };
        outgoing.assert_eq(&describe(graph.callees_with_overrides(symbol)));
        incoming.assert_eq(&describe(graph.callers_with_overrides(symbol)));
    }

    /// `Box.value` with a getter, setter and deleter; `Sub` overrides it
    /// with a getter alone, `Full` with a getter and a setter.
    const BOXES: &str = r#"
//- /boxes.py
class Box:
    @property
    def value(self): return 0
    @value.setter
    def value(self, v): pass
    @value.deleter
    def value(self): pass
class Sub(Box):
    @property
    def value(self): return 1
class Full(Box):
    @property
    def value(self): return 2
    @value.setter
    def value(self, v): pass
def write(b: Box):
    b.value = 3
def erase(b: Box):
    del b.value
def bump(b: Box):
    b.value += 1
def read(b: Box):
    return b.value == 3
"#;

    #[test]
    fn a_store_runs_the_setter_a_del_the_deleter_an_update_both() {
        check_calls(
            &BOXES.replacen("def write", "def wr$0ite", 1),
            expect![[r#"
                boxes.Box.value (boxes.py:5:9) at boxes.py:17:7
                boxes.Full.value (boxes.py:15:9) at boxes.py:17:7 (via override)
            "#]],
            expect![""],
        );
        check_calls(
            &BOXES.replacen("def erase", "def er$0ase", 1),
            expect![[r#"
                boxes.Box.value (boxes.py:7:9) at boxes.py:19:11
            "#]],
            expect![""],
        );
        check_calls(
            &BOXES.replacen("def bump", "def bu$0mp", 1),
            expect![[r#"
                boxes.Box.value (boxes.py:3:9) at boxes.py:21:7
                boxes.Box.value (boxes.py:5:9) at boxes.py:21:7
                boxes.Sub.value (boxes.py:10:9) at boxes.py:21:7 (via override)
                boxes.Full.value (boxes.py:13:9) at boxes.py:21:7 (via override)
                boxes.Full.value (boxes.py:15:9) at boxes.py:21:7 (via override)
            "#]],
            expect![""],
        );
    }

    /// Incoming agrees: the setter's callers are the stores, the
    /// deleter's the `del`; a getter-only override has no store.
    #[test]
    fn each_accessor_is_called_by_the_accesses_that_run_it() {
        check_calls(
            &BOXES.replacen("def value(self, v): pass\n    @value.deleter", "def val$0ue(self, v): pass\n    @value.deleter", 1),
            expect![""],
            expect![[r#"
                boxes.write (boxes.py:16:5) at boxes.py:17:7
                boxes.bump (boxes.py:20:5) at boxes.py:21:7
            "#]],
        );
        check_calls(
            &BOXES.replacen("def value(self): pass", "def val$0ue(self): pass", 1),
            expect![""],
            expect![[r#"
                boxes.erase (boxes.py:18:5) at boxes.py:19:11
            "#]],
        );
        check_calls(
            &BOXES.replacen("def value(self): return 1", "def val$0ue(self): return 1", 1),
            expect![""],
            expect![[r#"
                boxes.bump (boxes.py:20:5) at boxes.py:21:7 (via override)
                boxes.read (boxes.py:22:5) at boxes.py:23:14 (via override)
            "#]],
        );
    }

    /// The twin: a read (a comparison is no store) runs the getters only.
    #[test]
    fn a_read_runs_the_getters_only() {
        check_calls(
            &BOXES.replacen("def read", "def re$0ad", 1),
            expect![[r#"
                boxes.Box.value (boxes.py:3:9) at boxes.py:23:14
                boxes.Sub.value (boxes.py:10:9) at boxes.py:23:14 (via override)
                boxes.Full.value (boxes.py:13:9) at boxes.py:23:14 (via override)
            "#]],
            expect![""],
        );
    }
}
