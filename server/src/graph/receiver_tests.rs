//! Calls on receivers built by an operator (`(a + b).set_name()`), class
//! attributes that alias functions (`fn = staticmethod(helper)`, a
//! class's attribute reassigned in its module), and the `__new__` a
//! class call runs. Each rule with its twin.

use expect_test::expect;

use super::runtime_call_tests::check_calls;

const ELEMENT: &str = r#"
//- /main.py
class Element:
    def __add__(self, other) -> "Element":
        return Element()
    def __or__(self, other):
        return Element()
    def __radd__(self, other):
        return Element()
    def set_name(self, n):
        return self
class Plain:
    def set_name(self, n):
        return self
"#;

#[test]
fn a_receiver_built_by_an_operator_is_what_the_operator_returns() {
    check_calls(
        &format!(
            "{ELEMENT}
def bu$0ild(a: Element, b: Element):
    (a + b).set_name('x')
    (a | b).set_name('y')
    ('lit' + a).set_name('z')
    c = a | Element()
    c.set_name('w')
"
        ),
        expect![[r#"
            main.Element.set_name at main.py:15:13, main.py:16:13, main.py:17:17, main.py:19:7
            main.Element at main.py:18:13
            main.Element.__add__ at main.py:15:6 (implicit call)
            main.Element.__or__ at main.py:16:6, main.py:18:9 (implicit call)
            main.Element.__radd__ at main.py:17:14 (implicit call)
        "#]],
        expect![""],
    );
}

/// Twin: an operator the left value's class lacks, or a value of unknown
/// type, names no method (`Plain.set_name` is never a guess).
#[test]
fn an_operator_of_no_method_or_of_unknown_values_names_no_receiver() {
    check_calls(
        &format!(
            "{ELEMENT}
def bu$0ild(p: Plain, q, r):
    (p - p).set_name('x')
    (q + r).set_name('y')
"
        ),
        expect![""],
        expect![""],
    );
}

#[test]
fn class_attributes_aliasing_functions_call_them() {
    check_calls(
        r#"
//- /main.py
def helper(x):
    return x
def cached(self):
    return 2
class P:
    fn = staticmethod(helper)
    def _uncached(self):
        return 1
    _parse = _uncached
    def r$0un(self):
        self.fn(1)
        P.fn(2)
        self._parse()
    @staticmethod
    def enable():
        P._parse = cached
"#,
        expect![[r#"
            main.helper at main.py:11:14, main.py:12:11
            main.P._uncached at main.py:13:14
            main.cached at main.py:13:14
        "#]],
        expect![""],
    );
}

/// Twins: an attribute the class body does not bind, or a name that a
/// function around binds (a local shadowing the class), adds no value.
#[test]
fn attributes_assigned_on_other_names_add_no_value() {
    check_calls(
        r#"
//- /main.py
def cached(self):
    return 2
class P:
    def _uncached(self):
        return 1
    _parse = _uncached
    def r$0un(self):
        self._parse()
        self.other()
def enable(P):
    P._parse = cached
P.other = cached
"#,
        expect![[r#"
            main.P._uncached at main.py:8:14
        "#]],
        expect![""],
    );
}

#[test]
fn a_class_call_runs_the_new_it_defines_or_inherits() {
    check_calls(
        r#"
//- /main.py
class Literal:
    def __new__(cls, *args):
        return super().__new__(cls)
    def __init__(self, s=''):
        self.s = s
class Empty(Literal):
    def __init__(self):
        super().__init__('')
class Plain:
    def __init__(self):
        pass
def ma$0ke():
    Empty()
    Literal('x')
    Plain()
"#,
        expect![[r#"
            main.Empty.__init__ at main.py:13:5
            main.Literal.__init__ at main.py:14:5
            main.Plain.__init__ at main.py:15:5
            main.Literal.__new__ at main.py:13:5, main.py:14:5 (implicit call)
        "#]],
        expect![""],
    );
}

/// `cls.evolve = evolve` in `__init_subclass__` sets the attribute on
/// each subclass, never on the class: `self.evolve()` in the class's
/// methods runs its own `evolve` (issue 33's break-it case 4). The twin:
/// `self.handler = handle` in `__init__` is the instance's attribute,
/// which wins over the class's method of that name.
#[test]
fn an_attribute_set_in_init_subclass_is_not_the_classs_own() {
    check_calls(
        r#"
//- /create.py
def create():
    class Validator:
        def __init_subclass__(cls):
            def evolve(self, **changes):
                return cls()
            cls.evolve = evolve
        def evolve(self, **changes):
            return type(self)()
        def is_v$0alid(self):
            return self.evolve(schema=1)
    return Validator
"#,
        expect![[r#"
            create.create.Validator.evolve at create.py:10:25
        "#]],
        expect![""],
    );
    // Nor is the store a call of the method it is named like.
    check_calls(
        r#"
//- /create.py
class Validator:
    def __init_sub$0class__(cls):
        def evolve(self):
            return cls()
        cls.evolve = evolve
    def evolve(self):
        return self
"#,
        expect![""],
        expect![""],
    );
    check_calls(
        r#"
//- /handlers.py
def handle(event): pass
class Handler:
    def __init__(self):
        self.handler = handle
    def handler(self, event): pass
    def r$0un(self):
        return self.handler(1)
"#,
        expect![[r#"
            handlers.handle at handlers.py:7:21
        "#]],
        expect![""],
    );
}
