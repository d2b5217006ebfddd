//! `__getattr__` forwarding (forwarding.rs), with its twins: a name the
//! class has, a dunder, a class with a library base, a receiver of
//! unknown type, and a class without `__getattr__`.

use expect_test::expect;

use super::runtime_call_tests::check_calls;

const WRAPPERS: &str = r#"
//- /wrap.py
import io
class Lazy:
    def __init__(self, name):
        self.name = name
    def open(self):
        return open(self.name)
    def __getattr__(self, name):
        return getattr(self.open(), name)
class Buffered(io.StringIO):
    def __getattr__(self, name):
        return None
class Plain:
    def close(self): pass
def use(lazy: Lazy, buffered: Buffered, plain: Plain, unknown):
    lazy.read()
    lazy.name
    lazy.open()
    lazy.__doc__
    Lazy("x").seek(0)
    buffered.flush()
    plain.missing()
    unknown.read()
"#;

/// `lazy.read()` and `Lazy("x").seek(0)`: neither `Lazy` nor `object`
/// has the name, so the read runs `Lazy.__getattr__`; `lazy.name`,
/// `lazy.open()` and `lazy.__doc__` find theirs.
#[test]
fn reading_a_name_the_class_lacks_runs_its_getattr() {
    check_calls(
        &WRAPPERS.replacen("def use", "def u$0se", 1),
        expect![[r#"
            wrap.Lazy.open at wrap.py:17:10
            wrap.Lazy.__init__ at wrap.py:19:5
            io.StringIO.flush at wrap.py:20:14
            wrap.Lazy.__getattr__ at wrap.py:15:10, wrap.py:19:15 (implicit call)
        "#]],
        expect![""],
    );
}

/// A class with a library base (`io.StringIO` may have the name), a class
/// without `__getattr__` and a receiver of unknown type run none.
#[test]
fn a_name_a_library_base_may_have_or_an_unknown_receiver_runs_no_getattr() {
    check_calls(
        &WRAPPERS.replacen("    def __getattr__(self, name):\n        return None", "    def __get$0attr__(self, name):\n        return None", 1),
        expect![""],
        expect![""],
    );
    check_calls(
        &WRAPPERS.replacen("def __getattr__(self, name):\n        return getattr", "def __get$0attr__(self, name):\n        return getattr", 1),
        expect![[r#"
            builtins.getattr at wrap.py:8:16
            wrap.Lazy.open at wrap.py:8:29
        "#]],
        expect![[r#"
            wrap.use at wrap.py:15:10, wrap.py:19:15 (implicit call)
        "#]],
    );
}
