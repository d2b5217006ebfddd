//! Override dispatch found missing against the calls a test suite really
//! makes (bench/graph/runtime_truth.py): a subclass of the base mixing
//! another subclass's override in, and a parameter narrowed to the class
//! of `self`. Each with its twin.

use expect_test::expect;

use super::runtime_call_tests::check_calls;

/// `Timed.loads` calls `self.load_payload()`, bound to the base's; on a
/// `UrlTimed`, whose MRO puts `UrlMixin` (itself a `Serializer`) before
/// `Timed`, that runs `UrlMixin.load_payload`. A `Timed` alone does not:
/// `Other`, mixing nothing in, adds no override for `Timed`'s call.
const SERIALIZERS: &str = r#"
//- /serializers.py
class Serializer:
    def loads(self, s):
        return self.load_payload(s)
    def load_payload(self, s): return s
class UrlMixin(Serializer):
    def load_payload(self, s):
        return super().load_payload(s)
class Timed(Serializer):
    def loads(self, s):
        return self.load_payload(s)
class UrlTimed(UrlMixin, Timed): pass
class Lone(Serializer):
    def loads(self, s):
        return self.load_payload(s)
class Other(Lone):
    def load_payload(self, s): return s
"#;

#[test]
fn a_subclass_mixed_in_before_another_runs_its_override_for_that_ones_calls() {
    check_calls(
        &SERIALIZERS.replacen("class Timed(Serializer):\n    def loads", "class Timed(Serializer):\n    def lo$0ads", 1),
        expect![[r#"
            serializers.Serializer.load_payload at serializers.py:10:21
            serializers.UrlMixin.load_payload at serializers.py:10:21 (via override)
        "#]],
        expect![""],
    );
    check_calls(
        &SERIALIZERS.replacen("class UrlMixin(Serializer):\n    def load_payload", "class UrlMixin(Serializer):\n    def load_pay$0load", 1),
        expect![[r#"
            builtins.super at serializers.py:7:16
            serializers.Serializer.load_payload at serializers.py:7:24
        "#]],
        expect![[r#"
            serializers.Serializer.loads at serializers.py:3:21 (via override)
            serializers.Timed.loads at serializers.py:10:21 (via override)
        "#]],
    );
    // The twin: `Lone`'s subclasses mix no `UrlMixin` in.
    check_calls(
        &SERIALIZERS.replacen("class Lone(Serializer):\n    def loads", "class Lone(Serializer):\n    def lo$0ads", 1),
        expect![[r#"
            serializers.Serializer.load_payload at serializers.py:14:21
            serializers.Other.load_payload at serializers.py:14:21 (via override)
        "#]],
        expect![""],
    );
}

/// `isinstance(other, self.__class__)` makes `other` what `self` is: its
/// calls reach the subclasses' overrides. The twin: `other` outside the
/// test is of unknown class, so no call there is bound.
const STREAMS: &str = r#"
//- /streams.py
class Stream:
    def tell(self): return 0
    def __eq__(self, other):
        if isinstance(other, self.__class__):
            return other.tell() == self.tell()
        return other.tell()
class Bytes(Stream):
    def tell(self): return 1
"#;

#[test]
fn a_parameter_of_the_class_of_self_reaches_the_overrides() {
    check_calls(
        &STREAMS.replacen("def tell(self): return 1", "def te$0ll(self): return 1", 1),
        expect![""],
        expect![[r#"
            streams.Stream.__eq__ at streams.py:5:26, streams.py:5:41 (via override)
        "#]],
    );
}

/// `except Error as e` holds whatever was raised: an `Error` or a
/// subclass, whose override `e.show()` runs. The twin: `e = Error()`
/// constructed right there is exactly an `Error`.
const ERRORS: &str = r#"
//- /errors.py
class Error(Exception):
    def show(self): pass
class Usage(Error):
    def show(self): pass
def run(): pass
def main():
    try:
        run()
    except (Error, KeyError) as e:
        e.show()
def plain():
    e = Error()
    e.show()
"#;

#[test]
fn a_caught_exception_reaches_the_overrides_of_its_class() {
    check_calls(
        &ERRORS.replacen("class Usage(Error):\n    def show", "class Usage(Error):\n    def sh$0ow", 1),
        expect![""],
        expect![[r#"
            errors.main at errors.py:10:11 (via override)
        "#]],
    );
}

/// `Sub2().m()` calls `Sub.m` on exactly a `Sub2`: `Leaf`, a sibling
/// below `Sub`, is not what runs. The twin: `Leaf().m()` runs its own.
const SIBLINGS: &str = r#"
//- /siblings.py
class Base:
    def m(self): return 1
class Sub(Base):
    def m(self): return 2
class Leaf(Sub):
    def m(self): return 3
class Sub2(Sub):
    pass
def inline_sub2():
    return Sub2().m()
def inline_leaf():
    return Leaf().m()
def local_sub2():
    s2 = Sub2()
    return s2.m()
"#;

#[test]
fn an_inline_construction_runs_only_what_its_exact_class_inherits() {
    check_calls(
        &SIBLINGS.replacen("class Leaf(Sub):\n    def m", "class Leaf(Sub):\n    def $0m", 1),
        expect![""],
        expect![[r#"
            siblings.inline_leaf at siblings.py:12:19
        "#]],
    );
    check_calls(
        &SIBLINGS.replacen("def inline_sub2", "def inline_$0sub2", 1),
        expect![[r#"
            siblings.Sub2 at siblings.py:10:12
            siblings.Sub.m at siblings.py:10:19
        "#]],
        expect![""],
    );
}
