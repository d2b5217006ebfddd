//! `datetime` calling its `tzinfo`: `dt.utcoffset()`, `dt.dst()` and
//! `dt.tzname()` run `dt.tzinfo.utcoffset(dt)` (and so on). Which `tzinfo`
//! a `datetime` holds is not known where it is called, but in the methods
//! of a workspace `tzinfo`: the protocol hands them datetimes that carry
//! that very `tzinfo` (`fromutc(dt)`, `utcoffset(dt)`), and they ask them
//! (dateutil's `_tzinfo._fromutc` calls `dt.utcoffset()` and `dt.dst()`).
//! There the call runs what `self.utcoffset(dt)` would: the class's method
//! or a subclass's override, added at query time as [`Via::Protocol`]
//! calls. Elsewhere nothing is added: every workspace `tzinfo`'s method at
//! every such call would be mostly edges that never run.

use rustc_hash::FxHashMap;

use super::dispatch::Via;
use super::queries::Caller;
use super::summary::{Reference, Span};
use super::{EdgeKind, FileId, Graph, SymbolId};

/// The `datetime` methods that call the same-named method of its `tzinfo`.
const DELEGATED: [&str; 3] = ["utcoffset", "dst", "tzname"];

/// A call `x.utcoffset()` (or `f(x).utcoffset()`) on anything but `self`
/// or `cls`: the method's name and where it is written.
fn delegated_call(reference: &Reference) -> Option<(&str, Span)> {
    if !reference.call || reference.from_super {
        return None;
    }
    let mut segments = reference.segments();
    let (name, span) = match (reference.receiver().is_some(), reference.segment_count()) {
        (true, 1) => segments.next()?,
        (false, 2) => {
            let (receiver, _) = segments.next()?;
            if matches!(receiver, "self" | "cls") {
                return None;
            }
            segments.next()?
        }
        _ => return None,
    };
    DELEGATED.contains(&name).then_some((name, span))
}

impl Graph {
    /// The `tzinfo` methods the `datetime` calls written in `id` run (see
    /// the module's comment), as [`Via::Protocol`] callees.
    pub(super) fn tzinfo_callees(&self, id: SymbolId) -> Vec<Caller> {
        let file = self.symbol(id).and_then(|s| s.file);
        let mut below = FxHashMap::default();
        let mut out = self.self_class_callees(id, Via::Protocol, delegated_call, |class, name| {
            if !self.is_tzinfo(class) {
                return Vec::new();
            }
            let below = below.entry(class).or_insert_with(|| self.below(class));
            self.inherited_method(class, name).into_iter().chain(self.overriding(class, name, below).into_iter().map(|(m, _)| m)).collect()
        });
        // A receiver of a known class runs what it is bound to.
        for c in &mut out {
            c.sites.retain(|site| !file.is_some_and(|f| self.bound_in_workspace(f, site.span)));
        }
        out.retain(|c| !c.sites.is_empty());
        out
    }

    /// The `datetime` calls in methods of `id`'s class, its bases and its
    /// subclasses that inherit it, that run `id` (a `tzinfo`'s
    /// `utcoffset`, `dst` or `tzname`), as [`Via::Protocol`] callers.
    pub(super) fn tzinfo_callers(&self, id: SymbolId) -> Vec<Caller> {
        let Some(name) = self.symbol(id).map(|s| s.name).filter(|name| DELEGATED.contains(name)) else { return Vec::new() };
        let Some(class) = self.method_class(id).filter(|&class| self.is_tzinfo(class)) else { return Vec::new() };
        let mut classes = vec![class];
        classes.extend(self.ancestors(class).into_iter().filter(|&a| self.is_tzinfo(a)));
        classes.extend(self.inheriting(class, name));
        self.calls_in_classes(classes, Via::Protocol, |file, reference| {
            let (_, span) = delegated_call(reference).filter(|(n, _)| *n == name)?;
            (!self.bound_in_workspace(file, span)).then_some(span)
        })
    }

    /// Whether `class` is a `datetime.tzinfo` (it or a base).
    fn is_tzinfo(&self, class: SymbolId) -> bool {
        self.self_and_ancestors(class).into_iter().any(|c| self.symbol(c).is_some_and(|s| s.qualified_name == "datetime.tzinfo"))
    }

    /// The workspace method `self.name` runs on an instance of `class`:
    /// its own, else the nearest base's.
    fn inherited_method(&self, class: SymbolId, name: &str) -> Option<SymbolId> {
        self.self_and_ancestors(class)
            .into_iter()
            .find_map(|c| self.own_method(c, name))
            .filter(|&m| self.symbol(m).and_then(|s| s.file).is_some_and(|f| !self.is_library(f)))
    }

    /// Whether the call written at `span` is bound to a workspace function
    /// (its receiver's type is known: no guess is needed).
    fn bound_in_workspace(&self, file: FileId, span: Span) -> bool {
        self.enclosing_symbol(file, span.start).is_some_and(|caller| {
            self.out_edges(caller, EdgeKind::Calls)
                .any(|(site, callee)| site == span && self.symbol(callee).and_then(|s| s.file).is_some_and(|f| !self.is_library(f)))
        })
    }
}

#[cfg(test)]
mod tests {
    use expect_test::{Expect, expect};

    use crate::graph::tests::calls_both_ways;

    /// What the symbol named by the cursor calls and who calls it.
    fn check_tzinfo(fixture: &str, outgoing: Expect, incoming: Expect) {
        let (calls, callers) = calls_both_ways(fixture, false);
        outgoing.assert_eq(&calls);
        incoming.assert_eq(&callers);
    }

    /// A `tzinfo` base asks the datetimes it is handed, which carry its
    /// subclasses' instances. The twins: a class that is no `tzinfo`, a
    /// function outside any class, a receiver whose class is known.
    const ZONES: &str = r#"
//- /zones.py
from datetime import tzinfo, timedelta
def enfold(dt): return dt
class _base(tzinfo):
    def fromutc(self, dt):
        return dt.utcoffset(), enfold(dt).dst()
    def fixed(self):
        return Fixed().utcoffset(None)
class Fixed(_base):
    def utcoffset(self, dt): return timedelta(0)
    def dst(self, dt): return timedelta(0)
class Local(_base):
    def utcoffset(self, dt): return timedelta(1)
class NotZone:
    def utcoffset(self, dt): return None
    def ask(self, dt):
        return dt.utcoffset()
def outside(dt):
    return dt.utcoffset()
"#;

    #[test]
    fn a_tzinfo_asking_a_datetime_runs_its_own_and_its_subclasses_methods() {
        check_tzinfo(
            &ZONES.replacen("def fromutc", "def from$0utc", 1),
            expect![[r#"
                zones.enfold at zones.py:5:32
                zones.Fixed.utcoffset at zones.py:5:19 (implicit call)
                zones.Local.utcoffset at zones.py:5:19 (implicit call)
                zones.Fixed.dst at zones.py:5:43 (implicit call)
            "#]],
            expect![""],
        );
        check_tzinfo(
            &ZONES.replacen("def utcoffset(self, dt): return timedelta(1)", "def utc$0offset(self, dt): return timedelta(1)", 1),
            expect![[r#"
                datetime.timedelta at zones.py:12:37
            "#]],
            expect![[r#"
                zones._base.fromutc at zones.py:5:19 (implicit call)
            "#]],
        );
    }

    #[test]
    fn a_datetime_asked_outside_a_tzinfo_or_of_a_known_class_runs_no_guess() {
        check_tzinfo(&ZONES.replacen("def utcoffset(self, dt): return None", "def utc$0offset(self, dt): return None", 1), expect![""], expect![""]);
        check_tzinfo(&ZONES.replacen("def outside", "def out$0side", 1), expect![""], expect![""]);
        check_tzinfo(
            &ZONES.replacen("def fixed", "def fix$0ed", 1),
            expect![[r#"
                zones.Fixed at zones.py:7:16
                zones.Fixed.utcoffset at zones.py:7:24
            "#]],
            expect![""],
        );
    }
}
