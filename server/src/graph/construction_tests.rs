//! Constructions that do not name the class (`cls(...)` in a class
//! method, `self.__class__(...)`, `type(self)(...)`) run the `__new__`
//! the class defines, as naming it does (`Cls(...)`). The twin: a class
//! without a workspace `__new__` runs none. And `cls(...)` passes its
//! arguments to the class's `__init__`, typing its parameters as `Cls(...)`
//! does.

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

const POINTS: &str = r#"
//- /points.py
class Line:
    def __str__(self): return "line"
    def text(self): return "line"
class Point:
    def __init__(self, line=None):
        self.line = line
    @classmethod
    def make(cls):
        return cls(line=Line())
    def show(self):
        return str(self.line), self.line.text()
class Other:
    def __init__(self, line=None):
        self.line = line
    @classmethod
    def make(cls, point):
        return Point(point)
    def helper(cls):
        return cls(Line())
    def show(self):
        return str(self.line), self.line.text()
"#;

/// `cls(line=Line())` in a class method of `Point` types `Point.__init__`'s
/// `line`, so `self.line` is a `Line`. Twins: `Other`, whose class method
/// constructs another class and whose plain method calls its first
/// parameter, named `cls` (an instance: its `__call__`, no construction),
/// knows nothing of its `line`.
#[test]
fn cls_called_in_a_class_method_types_the_init_s_parameters() {
    check_calls(
        &POINTS.replacen("def show", "def sh$0ow", 1),
        expect![[r#"
            builtins.str at points.py:11:16
            points.Line.text at points.py:11:42
            points.Line.__str__ at points.py:11:20 (implicit call)
        "#]],
        expect![""],
    );
    let last = POINTS.rfind("def show").expect("Other.show");
    check_calls(
        &format!("{}def sh$0ow{}", &POINTS[..last], &POINTS[last + "def show".len()..]),
        expect![[r#"
        builtins.str at points.py:21:16
    "#]],
        expect![""],
    );
}
