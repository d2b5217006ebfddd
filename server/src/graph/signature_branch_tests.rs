//! Wrappers defined in the branches of a test on what a parameter's
//! function takes first (signature_branches.rs): a call passing a known
//! function runs its branch's wrapper, and a wrapper's call of the
//! parameter runs the functions passed that take its branch.

use expect_test::{Expect, expect};

use super::tests::{describe_calls, describe_location, fixture_graph};

/// The cursor function's callees, each with where it is defined (the
/// wrappers share a name), then the callers of `main.parse_all` and of
/// `main.Element.parse_string`.
fn check_wrappers(fixture: &str, expected: Expect) {
    let (graph, file, offset) = fixture_graph(fixture);
    let symbol = graph.symbol_at(file, offset).expect("cursor on a definition name");
    let mut out = String::new();
    for call in graph.callees_with_overrides(symbol) {
        let name = graph.symbol(call.symbol).map(|s| s.qualified_name.to_owned()).unwrap_or_default();
        let defined = graph.location(call.symbol).map(|l| describe_location(&graph, &l)).unwrap_or_default();
        let sites: Vec<String> = call.sites.iter().map(|l| describe_location(&graph, l)).collect();
        out += &format!("{name} ({defined}) at {}\n", sites.join(", "));
    }
    for callback in ["main.parse_all", "main.Element.parse_string"] {
        let id = graph.find_in_file(file, callback).expect("callback defined");
        out += &format!("callers of {callback}:\n{}", describe_calls(&graph, graph.callers_with_overrides(id)));
    }
    expected.assert_eq(&out);
}

const MAKER: &str = r#"
//- /main.py
import inspect
def replaced(name, fn):
    if ["self"] == list(inspect.signature(fn).parameters)[:1]:
        def _inner(self, *args, **kwargs):
            return fn(self, *args, **kwargs)
    else:
        def _inner(*args, **kwargs):
            return fn(*args, **kwargs)
    _inner.__name__ = name
    return _inner
def parse_all(s):
    return s
class Element:
    def parse_string(self, s):
        return s
    parseString = replaced("parseString", parse_string)
parseAll = replaced("parseAll", parse_all)
"#;

#[test]
fn a_call_passing_a_method_runs_the_method_branch_s_wrapper() {
    check_wrappers(
        &format!(
            "{MAKER}
def u$0se(e: Element):
    e.parseString('x')
    parseAll('y')
"
        ),
        expect![[r#"
            main.replaced._inner (main.py:4:13) at main.py:20:7
            main.replaced._inner (main.py:7:13) at main.py:21:5
            callers of main.parse_all:
            main.replaced._inner at main.py:8:20 (via callback)
            callers of main.Element.parse_string:
            main.replaced._inner at main.py:5:20 (via callback)
        "#]],
    );
}

/// Twins: a callable of unknown first parameter (a lambda) keeps both
/// wrappers; wrappers in the branches of another test are read as before
/// (the last one written).
#[test]
fn an_unknown_argument_or_another_test_keeps_the_wrappers_as_they_were() {
    check_wrappers(
        &format!(
            "{MAKER}
def flagged(fn, flag):
    if flag:
        def _inner(self):
            return fn(self)
    else:
        def _inner():
            return fn()
    return _inner
quick = flagged(parse_all, True)
def u$0se():
    replaced('l', lambda s: s)('z')
    quick()
"
        ),
        expect![[r#"
            main.replaced (main.py:2:5) at main.py:29:5
            main.flagged._inner (main.py:24:13) at main.py:30:5
            main.replaced._inner (main.py:7:13) at main.py:29:5
            main.replaced._inner (main.py:4:13) at main.py:29:5
            callers of main.parse_all:
            main.flagged._inner at main.py:22:20 (via callback)
            main.flagged._inner at main.py:25:20 (via callback)
            main.replaced._inner at main.py:8:20 (via callback)
            callers of main.Element.parse_string:
            main.replaced._inner at main.py:5:20 (via callback)
        "#]],
    );
}
