//! Which binding a call reaches, found missing against the calls test
//! suites really make (bench/graph/runtime_truth.py): `super(C, self)`
//! in a subclass of `C`'s subclass, `from m import *` bounded by
//! `m.__all__`, a module-level rebinding of a function's name. Each rule
//! with its must-not twin.

use expect_test::{Expect, expect};

use super::tests::{describe_calls, fixture_graph};

/// What the function named by the cursor calls.
fn check_callees(fixture: &str, outgoing: Expect) {
    let (graph, file, offset) = fixture_graph(fixture);
    let symbol = graph.symbol_at(file, offset).expect("cursor on a definition name");
    outgoing.assert_eq(&describe_calls(&graph, graph.callees_with_overrides(symbol)));
}

const SUPER: &str = r#"
//- /shapes.py
class Base:
    def m(self): return 0
class Sub(Base):
    def m(self): return 1
class Leaf(Sub):
    def m(self):
        return super(Sub, self).m()
    def own(self):
        return super(Leaf, self).m()
    def bare(self):
        return super().m()
"#;

/// `super(Sub, self)` looks past `Sub` in the MRO of `self`'s class, even
/// from a method of `Sub`'s subclass: `Base.m`, not `Sub.m`.
#[test]
fn super_with_a_named_class_starts_after_that_class() {
    check_callees(
        &SUPER.replacen("def m(self):\n        return super(Sub", "def $0m(self):\n        return super(Sub", 1),
        expect![[r#"
            builtins.super at shapes.py:7:16
            shapes.Base.m at shapes.py:7:33
        "#]],
    );
}

/// The class the method is in, named or not, still starts at its first base.
#[test]
fn super_naming_its_own_class_or_nothing_starts_at_the_first_base() {
    check_callees(
        &SUPER.replacen("def own", "def o$0wn", 1),
        expect![[r#"
            builtins.super at shapes.py:9:16
            shapes.Sub.m at shapes.py:9:34
        "#]],
    );
    check_callees(
        &SUPER.replacen("def bare", "def b$0are", 1),
        expect![[r#"
            builtins.super at shapes.py:11:16
            shapes.Sub.m at shapes.py:11:24
        "#]],
    );
}

const STAR: &str = r#"
//- /pkg/__init__.py
from .g import *
def use():
    listed()
    hidden()
    _private()
    sub.run()
//- /pkg/g.py
from . import sub
__all__ = ["listed", "_private", "sub"]
def listed(): pass
def hidden(): pass
def _private(): pass
//- /pkg/sub.py
def run(): pass
//- /pkg/open.py
from .h import *
def use():
    public()
//- /pkg/h.py
def public(): pass
"#;

/// `from .g import *` brings what `g.__all__` lists (a private name, a
/// submodule) and nothing else (`hidden`).
#[test]
fn star_import_brings_what_dunder_all_lists_only() {
    check_callees(
        &STAR.replacen("def use", "def u$0se", 1),
        expect![[r#"
            pkg.g.listed at pkg/__init__.py:3:5
            pkg.g._private at pkg/__init__.py:5:5
            pkg.sub.run at pkg/__init__.py:6:9
        "#]],
    );
}

/// Without `__all__`, the public names come.
#[test]
fn star_import_without_dunder_all_brings_public_names() {
    check_callees(
        &STAR.replacen("def use():\n    public", "def u$0se():\n    public", 1),
        expect![[r#"
            pkg.h.public at pkg/open.py:3:5
        "#]],
    );
}

const REBOUND: &str = r#"
//- /m.py
import sys
def orig(): pass
def repl(): pass
def a(): pass
def b(): pass
def early():
    return orig()
orig()
orig = repl
def late():
    return orig()
def picked(): pass
if sys.argv:
    picked = a
else:
    picked = b
def branch():
    return picked()
"#;

/// A function's name rebound at module level: calls from functions (run
/// later) reach the rebound target, each branch's (and, with no
/// unconditional rebinding after it, the first definition: which branches
/// cover every case is not worked out).
#[test]
fn module_level_rebinding_is_what_functions_call() {
    check_callees(
        &REBOUND.replacen("def early", "def ea$0rly", 1),
        expect![[r#"
            m.repl at m.py:7:12
        "#]],
    );
    check_callees(
        &REBOUND.replacen("def late", "def la$0te", 1),
        expect![[r#"
            m.repl at m.py:11:12
        "#]],
    );
    check_callees(
        &REBOUND.replacen("def branch", "def bra$0nch", 1),
        expect![[r#"
            m.a at m.py:18:12
            m.b at m.py:18:12
            m.picked at m.py:18:12
        "#]],
    );
}

/// A module-level call before the rebinding runs the original.
#[test]
fn module_level_call_before_a_rebinding_runs_the_original() {
    let (graph, file, _) = fixture_graph(&format!("{REBOUND}$0"));
    let orig = graph.find_in_file(file, "m.orig").expect("orig");
    expect![[r#"
        m at m.py:8:1
    "#]]
    .assert_eq(&describe_calls(&graph, graph.callers_with_overrides(orig)));
}
