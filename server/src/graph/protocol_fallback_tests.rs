//! Which method of a protocol runs when the class's own search passes a
//! library base (implicit.rs's `protocol_method`), and when a reflected
//! operator runs on the right-hand value (its `LeftHand`).

use expect_test::{Expect, expect};

use super::tests::{describe_calls, fixture_graph};

fn check_callees(fixture: &str, expect: Expect) {
    let (graph, file, offset) = fixture_graph(fixture);
    let symbol = graph.symbol_at(file, offset).expect("cursor on a definition name");
    expect.assert_eq(&describe_calls(&graph, graph.callees_with_overrides(symbol)));
}

const STUBS: &str = "//- /typeshed/abc.pyi
class ABC: ...
//- /typeshed/decimal.pyi
class Decimal:
    def __format__(self, spec: str) -> str: ...
    def __bool__(self) -> bool: ...
";

/// `f\"{x}\"`, `x != y` and `if x:` on a class with a library base that
/// has the method only from `object`: `object`'s `__format__` runs
/// `__str__`, its `__ne__` `__eq__`, and truth falls back to `__len__`.
#[test]
fn a_library_base_without_the_method_passes_the_search_on() {
    check_callees(
        &format!(
            "{STUBS}//- /main.py
from abc import ABC
class Element(ABC):
    def __str__(self): return \"el\"
    def __eq__(self, other): return True
    def __len__(self): return 1
def u$0se(e: Element, f: Element):
    if e:
        return f\"{{e}}\", e != f
"
        ),
        expect![[r#"
            main.Element.__len__ at main.py:7:8 (implicit call)
            main.Element.__str__ at main.py:8:19 (implicit call)
            main.Element.__eq__ at main.py:8:24 (implicit call)
        "#]],
    );
}

/// Twin: a library base that has the method itself runs its own
/// (`Decimal.__format__` formats the number, its `__bool__` is its truth).
#[test]
fn a_library_base_with_the_method_stops_the_search() {
    check_callees(
        &format!(
            "{STUBS}//- /main.py
from decimal import Decimal
class Price(Decimal):
    def __str__(self): return \"price\"
    def __len__(self): return 1
def u$0se(p: Price):
    if p:
        return f\"{{p}}\"
"
        ),
        expect![[r#""#]],
    );
}

/// `w + v` with `w` of unknown type runs no `v.__radd__`: `w` is mostly
/// of `v`'s family, whose `__add__` handles it (a parameter every caller
/// passes an element to). A known left-hand value without the operator
/// still gives way to it (implicit_tests.rs).
#[test]
fn a_reflected_operator_waits_for_a_known_left_hand_value() {
    check_callees(
        "//- /main.py
class El:
    def __add__(self, other): return self
    def __radd__(self, other): return self
def u$0se(left, right: El, n: int):
    return left + right, n + right
",
        expect![[r#"
            main.El.__radd__ at main.py:5:30 (implicit call)
        "#]],
    );
}
