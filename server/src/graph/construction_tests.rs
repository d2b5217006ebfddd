//! Constructions that do not name the class (`cls(...)` in a class
//! method, `self.__class__(...)`, `type(self)(...)`) run the `__new__`
//! the class defines, as naming it does (`Cls(...)`). The twin: a class
//! without a workspace `__new__` runs none.

use expect_test::expect;

use super::runtime_call_tests::check_calls;

const DICTS: &str = r#"
//- /dicts.py
class Multi(dict):
    def __new__(cls, *a):
        return super().__new__(cls)
    def copy(self):
        return self.__class__(self)
    def clone(self):
        return type(self)(self)
    @classmethod
    def make(cls, pairs):
        return cls(pairs)
class Plain(dict):
    def copy(self):
        return self.__class__(self)
    @classmethod
    def make(cls, pairs):
        return cls(pairs)
"#;

#[test]
fn a_construction_without_the_class_name_runs_its_new() {
    check_calls(
        &DICTS.replacen("def __new__", "def __n$0ew__", 1),
        expect![[r#"
            builtins.super at dicts.py:3:16
            builtins.dict.__new__ at dicts.py:3:24
        "#]],
        expect![[r#"
            dicts.Multi.copy at dicts.py:5:21 (implicit call)
            dicts.Multi.clone at dicts.py:7:16 (implicit call)
            dicts.Multi.make at dicts.py:10:16 (implicit call)
        "#]],
    );
    check_calls(
        &DICTS.replacen("class Plain(dict):\n    def copy", "class Plain(dict):\n    def co$0py", 1),
        expect![[r#"
        builtins.dict.__class__ at dicts.py:13:21
    "#]],
        expect![""],
    );
}
