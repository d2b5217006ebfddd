//! Tester 15 cases 01–03: a signature change or parameter rename of one
//! half of a pair Python calls together is refused; the safe shapes apply.

use expect_test::expect;

use super::super::rename::tests::check_rename;
use super::super::signature_change::tests::check;

const MONEY: &str = r#"
//- /main.py
class Money:
    def __new__(cls, amount, currency):
        return super().__new__(cls)

    def $0__init__(self, amount, currency):
        self.amount, self.currency = amount, currency

m = Money(2.5, currency="EUR")
"#;

#[test]
fn a_class_with_both_new_and_init_refuses_changing_one_alone() {
    check(
        MONEY,
        "(self, currency, amount)",
        false,
        expect![[r#"
        refused: `__new__` at main.py:2 takes the same arguments as `__init__` (a class call passes them to both): changing `__init__` alone would break its calls
    "#]],
    );
    check_rename(
        &MONEY.replace("$0__init__(self, amount, currency)", "__init__(self, amount, cur$0rency)"),
        "cur",
        expect![
            "refused: `__new__` at main.py:2 takes the same arguments as `__init__` (a class call passes them to both): changing `__init__` alone would break its calls; rename refused"
        ],
    );
    check_rename(
        &MONEY.replace("__new__(cls, amount, currency)", "__new__(cls, amount, cur$0rency)").replace("$0__init__", "__init__"),
        "cur",
        expect![
            "refused: `__init__` at main.py:5 takes the same arguments as `__new__` (a class call passes them to both): changing `__new__` alone would break its calls; rename refused"
        ],
    );
    // Twin: a `__new__` taking anything follows whatever `__init__` takes.
    check(
        &MONEY.replace("__new__(cls, amount, currency)", "__new__(cls, *args, **kwargs)"),
        "(self, currency, amount)",
        false,
        expect![[r#"
            //- main.py
            class Money:
                def __new__(cls, *args, **kwargs):
                    return super().__new__(cls)

                def __init__(self, amount, currency):
                    self.amount, self.currency = amount, currency

            m = Money(amount=2.5, currency="EUR")
        "#]],
    );
}

const PLANET: &str = r#"
//- /main.py
from enum import Enum

class Planet(Enum):
    EARTH = (5.9e24, 6.3e6)

    def $0__init__(self, mass, radius):
        self.mass, self.radius = mass, radius
"#;

#[test]
fn reordering_the_init_of_an_enum_is_refused() {
    check(
        PLANET,
        "(self, radius, mass)",
        false,
        expect![[r#"
        refused: `__init__` of an Enum is called by Python with each member's value, by position: its parameters' order is fixed
    "#]],
    );
    // Twin: a rename keeps the positions the members' values fill.
    check(PLANET, "(self, m, radius)", true, expect![""]);
}

const RENDER: &str = r#"
//- /main.py
from functools import singledispatch

@singledispatch
def render(obj, in$0dent):
    return str(obj)

@render.register
def _(obj: int, indent):
    return " " * indent + str(obj)

print(render(5, indent=2))
"#;

#[test]
fn renaming_a_parameter_of_a_singledispatch_function_is_refused() {
    check_rename(
        RENDER,
        "ind",
        expect![
            "refused: `render` is decorated with `@singledispatch`: its calls reach the implementations registered for it, which keep their own parameters; rename refused"
        ],
    );
    // Twin: the registered implementation's own parameter renames.
    check_rename(
        &RENDER.replace("in$0dent", "indent").replace("int, indent", "int, in$0dent").replace("indent=2", "2"),
        "ind",
        expect![[r#"
        //- /main.py
        from functools import singledispatch

        @singledispatch
        def render(obj, indent):
            return str(obj)

        @render.register
        def _(obj: int, ind):
            return " " * ind + str(obj)

        print(render(5, 2))
    "#]],
    );
}
