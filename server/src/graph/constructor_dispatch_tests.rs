//! Constructors found missing against the calls a test suite really makes
//! (test-cg2 cases 6 and 7): `super().__init__()` past a builtin base that
//! has no `__init__` of its own, and a class a parameter holds, which may
//! be any subclass. Each with its twin.

use expect_test::expect;

use super::runtime_call_tests::check_calls;

/// `class Text(str, Base)`: `str` makes its instances in `__new__`, its
/// `__init__` is `object`'s, so `super().__init__(trivia)` runs the next
/// class's, `Base.__init__`. The twin: `list` has its own `__init__`.
const TEXTS: &str = r#"
//- /texts.py
class Base:
    def __init__(self, trivia):
        self.trivia = trivia
class Text(str, Base):
    def __new__(cls, value, trivia):
        return super().__new__(cls, value)
    def __init__(self, value, trivia):
        super().__init__(trivia)
class Listed(list, Base):
    def __init__(self, value, trivia):
        super().__init__(value)
"#;

#[test]
fn super_init_passes_a_builtin_base_without_an_init_of_its_own() {
    check_calls(
        &TEXTS.replacen(
            "def __init__(self, value, trivia):\n        super().__init__(trivia)",
            "def __in$0it__(self, value, trivia):\n        super().__init__(trivia)",
            1,
        ),
        expect![[r#"
            builtins.super at texts.py:8:9
            texts.Base.__init__ at texts.py:8:17
        "#]],
        expect![""],
    );
    check_calls(
        &TEXTS.replacen("class Listed(list, Base):\n    def __init__", "class Listed(list, Base):\n    def __in$0it__", 1),
        expect![[r#"
            builtins.super at texts.py:11:9
            builtins.list.__init__ at texts.py:11:17
        "#]],
        expect![""],
    );
}

/// `exception: type[ParseError]` may hold a subclass: calling it may run
/// the subclass's `__init__`, and `cls: type[Sub]` constructs a `Sub` or a
/// subclass's instance, whose `render` may be the subclass's. The twin: a
/// class called by its name constructs exactly that class.
const ERRORS: &str = r#"
//- /errors.py
class ParseError(ValueError):
    def __init__(self, line, col):
        super().__init__(line)
    def render(self):
        return ""
class EmptyKeyError(ParseError):
    def __init__(self, line, col):
        super().__init__(line, col)
    def render(self):
        return "empty"
def parse_error(exception: type[ParseError] = ParseError):
    return exception(1, 2)
def rendered(cls: type[ParseError]):
    return cls(1, 2).render()
def exact():
    return ParseError(1, 2).render()
"#;

#[test]
fn a_class_a_parameter_holds_constructs_its_subclasses_too() {
    check_calls(
        &ERRORS.replacen("def parse_error", "def parse_er$0ror", 1),
        expect![[r#"
            errors.ParseError.__init__ at errors.py:12:12
            errors.EmptyKeyError.__init__ at errors.py:12:12 (via override)
        "#]],
        expect![""],
    );
    check_calls(
        &ERRORS.replacen("def rendered", "def render$0ed", 1),
        expect![[r#"
            errors.ParseError.__init__ at errors.py:14:12
            errors.ParseError.render at errors.py:14:22
            errors.EmptyKeyError.__init__ at errors.py:14:12 (via override)
            errors.EmptyKeyError.render at errors.py:14:22 (via override)
        "#]],
        expect![""],
    );
    check_calls(
        &ERRORS.replacen("def exact", "def ex$0act", 1),
        expect![[r#"
            errors.ParseError.__init__ at errors.py:16:12
            errors.ParseError.render at errors.py:16:29
        "#]],
        expect![""],
    );
}
