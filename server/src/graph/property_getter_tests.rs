//! Getters run by a `property` subclass's `__get__` handing the read on
//! to `property.__get__` (property_getters.rs). The twins: a subclass
//! whose `__get__` hands nothing on (`Flat`), a decorator that makes no
//! property (`other`).

use expect_test::expect;

use super::runtime_call_tests::check_calls;

const PROPS: &str = r#"
//- /props.py
class Prop(property):
    def __get__(self, obj, type=None):
        if obj is None:
            return self
        return property.__get__(self, obj, type)
class Cached(property):
    def __get__(self, obj, type=None):
        return super().__get__(obj, type)
class Flat(property):
    def __get__(self, obj, type=None):
        return 1
def prop(fget=None):
    return Prop(fget=fget)
def other(f):
    return f
class Thing:
    @prop
    def size(self): return 1
    @Prop
    def name(self): return "n"
    @Cached
    def total(self): return 0
    @other
    def kept(self): return 2
    @Flat
    def flat(self): return 3
"#;

/// `property.__get__(self, obj, type)` runs the getters made with `Prop`
/// or with `prop`, which constructs one; `super().__get__` likewise.
#[test]
fn a_property_subclass_handing_on_to_property_runs_its_getters() {
    check_calls(
        &PROPS.replacen("def __get__(self, obj, type=None):\n        if", "def __g$0et__(self, obj, type=None):\n        if", 1),
        expect![[r#"
            builtins.property.__get__ at props.py:5:25
            props.Thing.name at props.py:5:25 (implicit call)
            props.Thing.size at props.py:5:25 (implicit call)
        "#]],
        expect![""],
    );
    check_calls(
        &PROPS.replacen("def size", "def si$0ze", 1),
        expect![""],
        expect![[r#"
        props.Prop.__get__ at props.py:5:25 (implicit call)
    "#]],
    );
    check_calls(
        &PROPS.replacen("def total", "def to$0tal", 1),
        expect![""],
        expect![[r#"
        props.Cached.__get__ at props.py:8:24 (implicit call)
    "#]],
    );
}

/// A getter under a decorator that makes no property, or a property
/// whose `__get__` hands nothing on, runs from no `__get__`.
#[test]
fn a_getter_of_no_handing_property_runs_from_no_get() {
    check_calls(&PROPS.replacen("def kept", "def ke$0pt", 1), expect![""], expect![""]);
    check_calls(&PROPS.replacen("def flat", "def fl$0at", 1), expect![""], expect![""]);
    check_calls(
        &PROPS.replacen("def __get__(self, obj, type=None):\n        return 1", "def __g$0et__(self, obj, type=None):\n        return 1", 1),
        expect![""],
        expect![""],
    );
}
