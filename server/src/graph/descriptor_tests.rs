//! Descriptors' `__set__`, and `__get__` where the instance assigns the
//! attribute (bench/graph/runtime_truth.py's boltons `FilePerms`, whose
//! `__init__` is written before the class body's descriptors). Each rule
//! with its twin.

use expect_test::expect;

use super::runtime_call_tests::check_calls;

const PERMS: &str = r#"
//- /perms.py
class Perm:
    def __init__(self, attribute): self.attribute = attribute
    def __get__(self, obj, owner=None): return getattr(obj, self.attribute)
    def __set__(self, obj, value): setattr(obj, self.attribute, value)
class ReadOnly:
    def __get__(self, obj, owner=None): return 1
class WriteOnly:
    def __set__(self, obj, value): pass
class Perms:
    def __init__(self, user, cached, sink):
        self.user = user
        self.cached = cached
        self.sink = sink
        self.count = 0
    def show(self):
        self.count += 1
        return self.user, self.cached, self.sink
    user = Perm('_user')
    cached = ReadOnly()
    sink = WriteOnly()
    other = ReadOnly()
    count = Perm('_count')
class Early:
    cached = ReadOnly()
    def __init__(self, cached):
        self.cached = cached
    def show(self):
        return self.cached
def reset(p: Perms):
    p.user = 1
    Perms.user = Perm('_u')
    return p.other
"#;

/// `self.user = user` with `user = Perm(...)` in the class body runs
/// `Perm.__set__`, in the methods of the class and on an instance
/// elsewhere; an augmented assignment reads and stores.
#[test]
fn assigning_a_data_descriptor_through_an_instance_runs_its_set() {
    check_calls(
        &PERMS.replacen("def __init__(self, user", "def __in$0it__(self, user", 1),
        expect![[r#"
            perms.Perm.__set__ at perms.py:11:14, perms.py:14:14 (implicit call)
            perms.WriteOnly.__set__ at perms.py:13:14 (implicit call)
        "#]],
        expect![""],
    );
    check_calls(
        &PERMS.replacen("def __set__(self, obj, value): setattr", "def __s$0et__(self, obj, value): setattr", 1),
        expect![[r#"
            builtins.setattr at perms.py:4:36
        "#]],
        expect![[r#"
            perms.Perms.__init__ at perms.py:11:14, perms.py:14:14 (implicit call)
            perms.Perms.show at perms.py:16:14 (implicit call)
            perms.reset at perms.py:30:7 (implicit call)
        "#]],
    );
}

/// Assigning a non-data descriptor's attribute through an instance
/// stores in the instance's `__dict__` (no `__set__` to run: `ReadOnly`'s
/// `self.cached = cached`), and assigning it through the class replaces
/// the descriptor (`Perms.user = ...`).
#[test]
fn no_set_for_a_non_data_descriptor_nor_through_the_class() {
    check_calls(
        &PERMS.replacen("def re", "def re$0", 1),
        expect![[r#"
            perms.Perm.__init__ at perms.py:31:18
            perms.Perm.__set__ at perms.py:30:7 (implicit call)
            perms.ReadOnly.__get__ at perms.py:32:14 (implicit call)
        "#]],
        expect![""],
    );
    check_calls(&PERMS.replacen("def __init__(self, cached)", "def __in$0it__(self, cached)", 1), expect![""], expect![""]);
}

/// A data descriptor wins over the instance's `__dict__`: `self.user` runs
/// `Perm.__get__` though `__init__` (written before the class body's
/// `user = Perm(...)`) assigns `self.user`.
#[test]
fn a_data_descriptor_is_read_through_get_where_the_instance_assigns_it() {
    check_calls(
        &PERMS.replacen("def show(self):\n        self.count", "def sh$0ow(self):\n        self.count", 1),
        expect![[r#"
            perms.Perm.__get__ at perms.py:16:14, perms.py:17:21 (implicit call)
            perms.Perm.__set__ at perms.py:16:14 (implicit call)
        "#]],
        expect![""],
    );
}

/// A non-data descriptor the instance assigns is shadowed by the
/// instance's `__dict__` (`self.cached`, whichever of the body's
/// assignment and `__init__` comes first), and a descriptor without
/// `__get__` (`self.sink`) runs nothing when read; the same class's
/// attribute the instance never assigns (`p.other`) runs `__get__`
/// (above).
#[test]
fn a_non_data_descriptor_the_instance_assigns_is_shadowed() {
    check_calls(&PERMS.replacen("def show(self):\n        return", "def sh$0ow(self):\n        return", 1), expect![""], expect![""]);
}
