//! `datetime` calling its `tzinfo`. `datetime` is C: `dt.utcoffset()`,
//! `dt.timetuple()`, `dt.strftime(...)`, `dt.astimezone(tz)` call methods
//! of the `tzinfo` the datetime holds (`dt.tzinfo.utcoffset(dt)`, and so
//! on; [`HELD`] says which), and nothing indexed shows those calls. Which
//! `tzinfo` a datetime holds is not known where it is asked, but:
//! - in the methods of a workspace `tzinfo`, the protocol hands them
//!   datetimes that carry that very `tzinfo` (`fromutc(dt)`,
//!   `utcoffset(dt)`; dateutil's `_tzinfo._fromutc` calls `dt.utcoffset()`
//!   and `dt.dst()`): there the call runs what `self.utcoffset(dt)` would,
//!   the class's method or a subclass's override;
//! - elsewhere it runs the method of whichever workspace `tzinfo` the
//!   datetime was given: each subclass's method of that name.
//!
//! Added at query time as [`Via::Protocol`] calls (no stored edge, nothing
//! to re-link when a `tzinfo` subclass comes or goes). A call bound to a
//! workspace method or to another library's function (its receiver's type
//! is known) runs what it is bound to and gets none of these.

use rustc_hash::FxHashMap;

use super::dispatch::Via;
use super::dispatch_site::start_of_run;
use super::hooks::{add_sites, sort_sites};
use super::queries::Caller;
use super::summary::{Reference, Span};
use super::{EdgeKind, FileId, Graph, Location, SymbolId, Value};

/// (a method of `datetime.datetime` or `datetime.time`; the methods of
/// the `tzinfo` the instance holds that it calls).
const HELD: &[(&str, &[&str])] = &[
    ("utcoffset", &["utcoffset"]),
    ("dst", &["dst"]),
    ("tzname", &["tzname"]),
    // The daylight flag of the time tuple; `strftime` formats one.
    ("timetuple", &["dst"]),
    ("strftime", &["dst"]),
    ("utctimetuple", &["utcoffset"]),
    ("timestamp", &["utcoffset"]),
    ("isoformat", &["utcoffset"]),
    ("astimezone", &["utcoffset"]),
];

/// The `tzinfo` methods the `datetime` method `method` calls.
fn held_runs(method: &str) -> &'static [&'static str] {
    HELD.iter().find(|(m, _)| *m == method).map_or(&[], |(_, runs)| runs)
}

/// A call `x.strftime(...)` (or `self.start.timetuple()`,
/// `f(x).utcoffset()`) of a method of [`HELD`] on anything but `self` or
/// `cls` themselves: the method's name and where it is written.
fn delegated_call(reference: &Reference) -> Option<(&str, Span)> {
    if !reference.call || reference.from_super {
        return None;
    }
    let count = reference.segment_count();
    if reference.receiver().is_none() && (count < 2 || count == 2 && reference.segments().next().is_some_and(|(first, _)| matches!(first, "self" | "cls"))) {
        return None;
    }
    let (name, span) = reference.last_segment();
    (!held_runs(name).is_empty()).then_some((name, span))
}

impl Graph {
    /// The `tzinfo` methods the `datetime` calls written in `id` run (see
    /// the module's comment), as [`Via::Protocol`] callees.
    pub(super) fn tzinfo_callees(&self, id: SymbolId) -> Vec<Caller> {
        let Some(symbol) = self.symbol(id) else { return Vec::new() };
        let Some((file, entry)) = symbol.file.and_then(|f| Some((f, self.file(f)?))) else { return Vec::new() };
        let mut below = FxHashMap::default();
        let mut out = self.self_class_callees(id, Via::Protocol, delegated_call, |class, method| {
            if !self.is_tzinfo(class) {
                return Vec::new();
            }
            let below = below.entry(class).or_insert_with(|| self.below(class));
            let runs = |name| self.inherited_method(class, name).into_iter().chain(self.overriding(class, name, below).into_iter().map(|(m, _)| m));
            held_runs(method).iter().flat_map(|name| runs(name)).collect()
        });
        // Outside a `tzinfo`'s methods: every workspace `tzinfo`'s.
        let mut every = FxHashMap::default();
        for (method, span) in entry.summary.references.iter().filter_map(delegated_call) {
            if span.start < symbol.range.start || symbol.range.end < span.end || self.self_class(file, span.start).is_some_and(|c| self.is_tzinfo(c)) {
                continue;
            }
            for &name in held_runs(method) {
                for &runs in every.entry(name).or_insert_with(|| self.every_tzinfo_method(name)).iter() {
                    add_sites(&mut out, runs, [Location { file, span }], Via::Protocol);
                }
            }
        }
        for c in &mut out {
            c.sites.retain(|site| !self.runs_no_tzinfo(file, site.span));
        }
        out.retain(|c| !c.sites.is_empty());
        sort_sites(&mut out);
        out
    }

    /// The `datetime` calls that run `id` (a `tzinfo`'s `utcoffset`, `dst`
    /// or `tzname`), as [`Via::Protocol`] callers: in the methods of its
    /// class, its bases and its subclasses that inherit it, and outside
    /// any `tzinfo`'s methods.
    pub(super) fn tzinfo_callers(&self, id: SymbolId) -> Vec<Caller> {
        let Some(name) = self.symbol(id).map(|s| s.name).filter(|name| HELD.iter().any(|(_, runs)| runs.contains(name))) else { return Vec::new() };
        let Some(class) = self.method_class(id).filter(|&class| self.is_tzinfo(class)) else { return Vec::new() };
        let mut classes = vec![class];
        classes.extend(self.ancestors(class).into_iter().filter(|&a| self.is_tzinfo(a)));
        classes.extend(self.inheriting(class, name));
        let runs_name = |reference: &Reference| delegated_call(reference).filter(|(method, _)| held_runs(method).contains(&name)).map(|(_, span)| span);
        let mut out = self.calls_in_classes(classes, Via::Protocol, |file, reference| runs_name(reference).filter(|&span| !self.runs_no_tzinfo(file, span)));
        if !self.every_tzinfo_method(name).contains(&id) {
            return out;
        }
        let mut edges = Vec::new();
        for (file, entry) in self.files().filter(|&(f, _)| !self.is_library(f)) {
            for span in entry.summary.references.iter().filter_map(runs_name) {
                if self.self_class(file, span.start).is_some_and(|c| self.is_tzinfo(c)) || self.runs_no_tzinfo(file, span) {
                    continue;
                }
                if let Some(caller) = self.enclosing_symbol(file, span.start) {
                    edges.push((caller, Some(file), span));
                }
            }
        }
        out.extend(self.grouped(edges.into_iter()).into_iter().map(|c| Caller { via: Via::Protocol, ..c }));
        out
    }

    /// Whether `class` is a `datetime.tzinfo` (it or a base).
    fn is_tzinfo(&self, class: SymbolId) -> bool {
        self.self_and_ancestors(class).into_iter().any(|c| self.symbol(c).is_some_and(|s| s.qualified_name == "datetime.tzinfo"))
    }

    /// The workspace methods the `tzinfo` subclasses run for `name`: each
    /// one's own or the one a workspace base brings it.
    fn every_tzinfo_method(&self, name: &str) -> Vec<SymbolId> {
        let external = self.externals.get("datetime.tzinfo").map(|&node| SymbolId(node));
        let indexed = self
            .resolve_module("datetime")
            .and_then(|module| self.module_symbol(module))
            .and_then(|module| self.named_children(module).into_iter().find(|&c| self.symbol(c).is_some_and(|s| s.qualified_name == "datetime.tzinfo")));
        let mut out = Vec::new();
        for root in external.into_iter().chain(indexed) {
            let below = self.below(root);
            for (method, _) in self.overriding(root, name, &below) {
                if !out.contains(&method) && self.symbol(method).and_then(|s| s.file).is_some_and(|f| !self.is_library(f)) {
                    out.push(method);
                }
            }
        }
        out
    }

    /// The workspace method `self.name` runs on an instance of `class`:
    /// its own, else the nearest base's.
    fn inherited_method(&self, class: SymbolId, name: &str) -> Option<SymbolId> {
        self.self_and_ancestors(class)
            .into_iter()
            .find_map(|c| self.own_method(c, name))
            .filter(|&m| self.symbol(m).and_then(|s| s.file).is_some_and(|f| !self.is_library(f)))
    }

    /// Whether the call written at `span` runs no `tzinfo` method: it is
    /// bound to a workspace function or another module's (its receiver's
    /// type is known: it runs that), or its receiver is known to be no
    /// `datetime` or `time` (a `date` holds no `tzinfo`: `day.isoformat()`
    /// formats the day alone).
    fn runs_no_tzinfo(&self, file: FileId, span: Span) -> bool {
        let bound_elsewhere = self.enclosing_symbol(file, span.start).is_some_and(|caller| {
            self.out_edges(caller, EdgeKind::Calls).any(|(site, callee)| {
                site == span
                    && self.symbol(callee).is_some_and(|s| match s.file {
                        Some(f) if !self.is_library(f) => true,
                        _ => !s.qualified_name.starts_with("datetime."),
                    })
            })
        });
        bound_elsewhere || !self.may_hold_tzinfo(file, span)
    }

    /// Whether the receiver of the call written at `span` may be a
    /// `datetime` or a `time` (or its type is unknown, or it is no name
    /// or attribute chain: `f(x).isoformat()` is not judged).
    fn may_hold_tzinfo(&self, file: FileId, span: Span) -> bool {
        let Some(text) = self.file(file).map(|entry| entry.text()) else { return true };
        let before = text.get(..span.start as usize).unwrap_or_default().trim_end();
        let Some(receiver) = before.strip_suffix('.').map(str::trim_end) else { return true };
        let chain = &receiver[start_of_run(receiver, |c| c.is_alphanumeric() || c == '_' || c == '.')..];
        if chain.is_empty() || chain.starts_with('.') {
            return true;
        }
        let values = self.infer_expression(file, span.start, chain);
        let zoned = |class: &str| matches!(class, "datetime.datetime" | "datetime.time");
        values.is_empty()
            || values.iter().any(|value| match value {
                Value::ExternalInstance(class) => zoned(class),
                Value::Instance(class) => self.self_and_ancestors(*class).into_iter().any(|c| self.symbol(c).is_some_and(|s| zoned(s.qualified_name))),
                _ => true,
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
    /// subclasses' instances; a function asks datetimes holding any
    /// `tzinfo`. The twins: a class that is no `tzinfo`, a receiver whose
    /// class is known, a call bound to another module's function.
    const ZONES: &str = r#"
//- /zones.py
import time
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
def outside(dt):
    return dt.utcoffset(), dt.strftime("%Y"), time.strftime("%Y"), NotZone().utcoffset(None)
class Rule:
    def text(self):
        return self.start.timetuple(), self.utcoffset()
"#;

    #[test]
    fn a_tzinfo_asking_a_datetime_runs_its_own_and_its_subclasses_methods() {
        check_tzinfo(
            &ZONES.replacen("def fromutc", "def from$0utc", 1),
            expect![[r#"
                zones.enfold at zones.py:6:32
                zones.Fixed.utcoffset at zones.py:6:19 (implicit call)
                zones.Local.utcoffset at zones.py:6:19 (implicit call)
                zones.Fixed.dst at zones.py:6:43 (implicit call)
            "#]],
            expect![""],
        );
        check_tzinfo(
            &ZONES.replacen("def utcoffset(self, dt): return timedelta(1)", "def utc$0offset(self, dt): return timedelta(1)", 1),
            expect![[r#"
                datetime.timedelta at zones.py:13:37
            "#]],
            expect![[r#"
                zones._base.fromutc at zones.py:6:19 (implicit call)
                zones.outside at zones.py:17:15 (implicit call)
            "#]],
        );
    }

    /// Outside a `tzinfo`, a datetime's `utcoffset()` runs every workspace
    /// `tzinfo`'s and its `strftime` their `dst`, as does `timetuple()` on
    /// an attribute of `self`; `time.strftime`, `NotZone().utcoffset` and
    /// `self.utcoffset()` run what they are bound to (or nothing).
    #[test]
    fn a_datetime_asked_elsewhere_runs_every_tzinfos_method() {
        check_tzinfo(
            &ZONES.replacen("def text", "def te$0xt", 1),
            expect![[r#"
            zones.Fixed.dst at zones.py:20:27 (implicit call)
        "#]],
            expect![""],
        );
        check_tzinfo(
            &ZONES.replacen("def outside", "def out$0side", 1),
            expect![[r#"
                time.strftime at zones.py:17:52
                zones.NotZone at zones.py:17:68
                zones.NotZone.utcoffset at zones.py:17:78
                zones.Fixed.utcoffset at zones.py:17:15 (implicit call)
                zones.Local.utcoffset at zones.py:17:15 (implicit call)
                zones.Fixed.dst at zones.py:17:31 (implicit call)
            "#]],
            expect![""],
        );
    }

    #[test]
    fn a_class_that_is_no_tzinfo_or_a_receiver_of_a_known_class_runs_no_guess() {
        check_tzinfo(
            &ZONES.replacen("def utcoffset(self, dt): return None", "def utc$0offset(self, dt): return None", 1),
            expect![""],
            expect![[r#"
                zones.outside at zones.py:17:78
            "#]],
        );
        check_tzinfo(
            &ZONES.replacen("def fixed", "def fix$0ed", 1),
            expect![[r#"
                zones.Fixed at zones.py:8:16
                zones.Fixed.utcoffset at zones.py:8:24
            "#]],
            expect![""],
        );
    }

    /// A `date` holds no `tzinfo`: its `isoformat()` and `strftime()`
    /// run none (issue 33's break-it case 2); a `datetime`'s do, declared
    /// or narrowed, and so does a receiver of unknown type.
    #[test]
    fn a_date_runs_no_tzinfo_method_a_datetime_does() {
        let fixture = r#"
//- /typeshed/datetime.pyi
class tzinfo: ...
class timedelta:
    def __init__(self, hours: int = 0) -> None: ...
class date:
    def isoformat(self) -> str: ...
    def strftime(self, format: str) -> str: ...
class datetime(date):
    def isoformat(self, sep: str = "T") -> str: ...
//- /days.py
from datetime import date, datetime, timedelta, tzinfo
class PST(tzinfo):
    def utc$0offset(self, dt): return timedelta(hours=-8)
    def dst(self, dt): return timedelta(0)
def day(d: date):
    return d.isoformat(), d.strftime("%Y")
def stamp(d: datetime):
    return d.isoformat(), d.strftime("%Y")
def either(value, unknown):
    if isinstance(value, datetime):
        return value.isoformat()
    elif isinstance(value, date):
        return value.isoformat(), unknown.isoformat()
"#;
        check_tzinfo(
            fixture,
            expect![[r#"
                datetime.timedelta at days.py:3:37
            "#]],
            expect![[r#"
                days.stamp at days.py:8:14 (implicit call)
                days.either at days.py:11:22, days.py:13:43 (implicit call)
            "#]],
        );
        check_tzinfo(
            &fixture.replace("def utc$0offset", "def utcoffset").replace("def dst", "def d$0st"),
            expect![[r#"
                datetime.timedelta at days.py:4:31
            "#]],
            expect![[r#"
                days.stamp at days.py:8:29 (implicit call)
            "#]],
        );
    }
}
