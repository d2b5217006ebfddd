//! Unannotated parameters typed by their defaults (infer/callers.rs's
//! `default_types`), beside what their callers pass.

use expect_test::{Expect, expect};

use super::tests::{describe_calls, fixture_graph};

fn check_callees(fixture: &str, expect: Expect) {
    let (graph, file, offset) = fixture_graph(fixture);
    let symbol = graph.symbol_at(file, offset).expect("cursor on a definition name");
    expect.assert_eq(&describe_calls(&graph, graph.callees_with_overrides(symbol)));
}

const ELEMENTS: &str = "//- /el.py
class El:
    def __add__(self, other): return El()
    def __radd__(self, other): return El()
    def go(self): return 1
DEFAULT = El()
def make(): return El()
";

/// A parameter left out by a call holds its default: a constructor call
/// (`suppress_lt=Suppress(\"<\")`), a name or a call of a function, read
/// where the function is defined; its methods and operators are the
/// default's class's.
#[test]
fn an_unannotated_parameter_holds_its_default() {
    check_callees(
        &format!(
            "{ELEMENTS}//- /main.py
from el import El, DEFAULT, make
def u$0se(lt=El(), d=DEFAULT, m=make(), q=El(
    )):
    return lt + El(), d.go(), m.go(), q.go()
"
        ),
        expect![[r#"
            el.El at main.py:2:12, main.py:2:41, main.py:4:17
            el.make at main.py:2:31
            el.El.go at main.py:4:25, main.py:4:33, main.py:4:41
            el.El.__add__ at main.py:4:12 (implicit call)
        "#]],
    );
}

/// Twin: `None`, a constant, an annotation, a function (the callback
/// rule's, callbacks.rs) and a call whose result is called give no type
/// from the default.
#[test]
fn a_default_of_no_followed_shape_types_nothing() {
    check_callees(
        &format!(
            "{ELEMENTS}//- /main.py
from el import El, make
def u$0se(a=None, b=0, c: int = El(), f=make, g=make()(1)):
    return a.go(), b.go(), c.go(), f.go(), g.go()
"
        ),
        expect![[r#"
            el.El at main.py:2:31
            el.make at main.py:2:47
            builtins.int.go at main.py:3:30
        "#]],
    );
}
