//! A change of `__init__`'s parameters: its class passed on as a value or
//! built from its instances refuses it; only looked at, it does not. And
//! the decorators that leave how a function is called as it is.

use expect_test::{Expect, expect};

use super::check;

/// A class whose `__init__` is reordered, and (replacing `USE`) a use of it.
const PAIR: &str = r#"
//- /m.py
import pickle


class Pair:
    def $0__init__(self, first=None, second=None):
        self.first, self.second = first, second

USE

p = Pair(1, second=2)
"#;

#[test]
fn a_class_passed_on_as_a_value_or_built_from_its_instances_refuses_a_change_of_its_init() {
    let refused = |body: &str, expected: Expect| check(&PAIR.replace("USE", body), "(self, second=None, first=None)", false, expected);
    refused(
        "    def __reduce__(self):\n        return Pair, (self.first, self.second)",
        expect![[r#"
            refused: `Pair` defines `__reduce__`, which gives pickle and copy the arguments to rebuild it with: the change would not follow them
        "#]],
    );
    refused(
        "    def __reduce__(self):\n        return self.__class__, (self.first, self.second)",
        expect![[r#"
            refused: `Pair` defines `__reduce__`, which gives pickle and copy the arguments to rebuild it with: the change would not follow them
        "#]],
    );
    refused(
        "    def swapped(self):\n        return type(self)(self.second, self.first)",
        expect![[r#"
            refused: `Pair` is built from `type(self)` at m.py:9, which is called or passed on (as a `__reduce__` gives it to pickle and copy): those calls cannot be updated
        "#]],
    );
    refused(
        "    @classmethod\n    def of(cls, args):\n        return cls(*args)",
        expect![[r#"
            refused: `Pair` is built from `cls` at m.py:10, which is called or passed on (as a `__reduce__` gives it to pickle and copy): those calls cannot be updated
        "#]],
    );
    refused(
        "make = Pair\nq = make(1, 2)",
        expect![[r#"
            refused: m.py:8 refers to the class `Pair` without calling it (stored, returned or passed on, as a `__reduce__` gives it to pickle and copy): the calls made through it cannot be updated
        "#]],
    );
    refused(
        "import copyreg\ncopyreg.pickle(Pair, lambda p: (Pair, (p.first, p.second)))",
        expect![[r#"
            refused: m.py:9 refers to the class `Pair` without calling it (stored, returned or passed on, as a `__reduce__` gives it to pickle and copy): the calls made through it cannot be updated
        "#]],
    );
    refused(
        "import sys\nq = getattr(sys.modules[__name__], \"Pair\")(1, 2)",
        expect![[r#"
            refused: `getattr(…, "Pair")` at m.py:9 may construct `Pair` without naming it: that call cannot be updated
        "#]],
    );
}

#[test]
fn a_class_only_looked_at_or_rebuilt_without_its_init_keeps_its_calls_followed() {
    // Must not refuse: `__getstate__`/`__setstate__` rebuild without
    // calling `__init__`; the class's name, `type(self)` and `cls` are only
    // looked at (an annotation, `isinstance`, an attribute, a comparison,
    // `super`, `__new__`, a `case` pattern, a string).
    let looked_at = r#"    def __getstate__(self):
        return (self.first, self.second)

    def __setstate__(self, state):
        self.first, self.second = state

    def __eq__(self, other):
        return type(self) is type(other) and isinstance(other, (Pair, tuple)) and self.__class__.__name__ == "Pair"

    @classmethod
    def named(cls) -> "Pair":
        return cls.__name__ + super(Pair, cls).__name__ + object.__new__(cls).__class__.__name__


def first(p: Pair) -> Pair:
    match p:
        case Pair(first=f):
            return f
    return Pair.named()"#;
    check(
        &PAIR.replace("USE", looked_at),
        "(self, second=None, first=None)",
        false,
        expect![[r#"
            //- m.py
            import pickle


            class Pair:
                def __init__(self, first=None, second=None):
                    self.first, self.second = first, second

                def __getstate__(self):
                    return (self.first, self.second)

                def __setstate__(self, state):
                    self.first, self.second = state

                def __eq__(self, other):
                    return type(self) is type(other) and isinstance(other, (Pair, tuple)) and self.__class__.__name__ == "Pair"

                @classmethod
                def named(cls) -> "Pair":
                    return cls.__name__ + super(Pair, cls).__name__ + object.__new__(cls).__class__.__name__


            def first(p: Pair) -> Pair:
                match p:
                    case Pair(first=f):
                        return f
                return Pair.named()

            p = Pair(first=1, second=2)
        "#]],
    );
}

#[test]
fn a_decorator_that_only_marks_or_wraps_keeps_the_calls() {
    for decorator in ["contextlib.contextmanager", "typing.final", "final", "functools.lru_cache(maxsize=32)", "lru_cache(maxsize=None)"] {
        check(
            &super::TOTAL.replace("def $0total(", &format!("@{decorator}\ndef $0total(")),
            "(rate, items, rounding=2)",
            false,
            expect![[r#"
                //- shop/use.py
                from shop.tax import total

                a = total(0.2, [1])
                b = total(items=[1], rate=0.2, rounding=0)
                c = total(items=[1], rate=0.2)
            "#]],
        );
    }
    // Must not: another decorator given options, or one whose name only ends alike.
    let refused = |decorator: &str, expected: expect_test::Expect| {
        check(&super::TOTAL.replace("def $0total(", &format!("@{decorator}\ndef $0total(")), "(rate, items, rounding=2)", false, expected)
    };
    refused(
        "register(maxsize=32)",
        expect![[r#"
        refused: `total` is decorated with `@register(maxsize=32)`, which may change how it is called
    "#]],
    );
    refused(
        "my_lru_cache(maxsize=32)",
        expect![[r#"
        refused: `total` is decorated with `@my_lru_cache(maxsize=32)`, which may change how it is called
    "#]],
    );
}

const ERROR: &str = r#"
//- /app/errors.py
class ApiError(BASE):
    def $0__init__(self, status, reason):
        super().__init__(status, reason)
        self.status = status

def fail():
    raise ApiError(404, "missing")
"#;

#[test]
fn an_exception_or_a_class_pickle_rebuilds_from_its_arguments_keeps_its_init() {
    check(
        &ERROR.replace("BASE", "Exception"),
        "(self, reason, status)",
        false,
        expect![[r#"
        refused: `ApiError` is an exception (a `builtins.Exception`): copy and pickle rebuild it as `ApiError(*self.args)`, in the order its `__init__` gave them, which the change would not follow
    "#]],
    );
    check(
        &ERROR.replace("BASE", "ValueError"),
        "(self, reason, status)",
        false,
        expect![[r#"
        refused: `ApiError` is an exception (a `builtins.ValueError`): copy and pickle rebuild it as `ApiError(*self.args)`, in the order its `__init__` gave them, which the change would not follow
    "#]],
    );
    let reduced = ERROR.replace("(BASE)", "").replace("def fail", "    def __getnewargs__(self):\n        return (self.status,)\n\ndef fail");
    check(
        &reduced,
        "(self, reason, status)",
        false,
        expect![[r#"
        refused: `ApiError` defines `__getnewargs__`, which gives pickle and copy the arguments to rebuild it with: the change would not follow them
    "#]],
    );
}

#[test]
fn a_plain_class_reorders_its_init() {
    check(
        &ERROR.replace("(BASE)", "").replace("super().__init__(status, reason)", "pass"),
        "(self, reason, status)",
        false,
        expect![[r#"
        //- app/errors.py
        class ApiError:
            def __init__(self, status, reason):
                pass
                self.status = status

        def fail():
            raise ApiError("missing", 404)
    "#]],
    );
}

/// `Zone.__init__` reordered, and a doctest in another module (`DOCTEST`).
const ZONE: &str = r#"
//- /pkg/__init__.py
//- /pkg/tz.py
class Zone:
    def $0__init__(self, hours, name):
        self.hours, self.name = hours, name


Eastern = Zone(-5, "Eastern")
//- /pkg/cache.py
def cachedmethod(cache):
    """Cache a method.

DOCTEST
    """
    return cache
"#;

#[test]
fn a_doctest_defining_its_own_init_does_not_call_the_one_changed() {
    // Tester 22 case 08 (boltons `cacheutils.cachedmethod`'s doctest).
    let own = "    >>> class Lowerer(object):\n    ...     def __init__(self):\n    ...         self.cache = {}\n    >>> lowerer = Lowerer()";
    check(
        &ZONE.replace("DOCTEST", own),
        "(self, name, hours)",
        false,
        expect![[r#"
            //- pkg/tz.py
            class Zone:
                def __init__(self, hours, name):
                    self.hours, self.name = hours, name


            Eastern = Zone("Eastern", -5)
        "#]],
    );
    // Must still refuse: the doctest calls an `__init__` with arguments the change would move.
    let calls = format!("{own}\n    >>> from pkg.tz import Zone\n    >>> Zone.__init__(Zone.__new__(Zone), -5, 'E')");
    check(
        &ZONE.replace("DOCTEST", &calls),
        "(self, name, hours)",
        false,
        expect![[r#"
        refused: a doctest at pkg/cache.py:2 calls `__init__` with arguments the change would move: doctests are not updated
    "#]],
    );
}
