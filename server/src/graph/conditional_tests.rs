//! Conditional definitions whose test is no version or platform check
//! (issue 33's break-it cases 10 and 11): a function of the module, or
//! another module, calls every branch's definition, as alternatives; a
//! version check still picks its branch, and an unconditional definition
//! after the branches still hides them.

use expect_test::{Expect, expect};

use super::tests::{describe_calls, describe_location, fixture_graph};

/// What the function named by the cursor calls, each callee with where
/// it is defined (the alternatives share a name).
fn check_callees(fixture: &str, outgoing: Expect) {
    let (graph, file, offset) = fixture_graph(fixture);
    let symbol = graph.symbol_at(file, offset).expect("cursor on a definition name");
    let mut out = String::new();
    for call in graph.callees_with_overrides(symbol) {
        let defined = graph.location(call.symbol).map(|l| describe_location(&graph, &l)).unwrap_or_default();
        out += &format!("[{defined}] {}", describe_calls(&graph, vec![call]));
    }
    outgoing.assert_eq(&out);
}

/// An environment (any stub makes the fixture's library, whose
/// interpreter runs on this machine: not Windows, not Python 4).
const ENVIRONMENT: &str = "//- /typeshed/sys.pyi\nplatform: str\n";

const FLAGGED: &str = r#"
//- /m.py
import os, sys
if os.environ.get("FLAG"):
    def alt(): return 1
else:
    def alt(): return 2
if sys.version_info >= (4, 0):
    def new(): return 4
elif hasattr(sys, "pypy_version_info"):
    def new(): return "pypy"
else:
    def new(): return 3
def caller():
    return alt(), new()
//- /other.py
from m import alt
def use():
    return alt()
"#;

/// `if os.environ.get("FLAG"):` is decided when the program runs: both
/// definitions may be what `alt` holds, from the module's functions and
/// from another module. A version test decides its own part of an
/// `elif` chain (`new` is never Python 4's); the rest stays undecided.
#[test]
fn every_branch_of_an_undecided_test_defines_the_name() {
    let fixture = format!("{ENVIRONMENT}{}", FLAGGED.replacen("def caller", "def cal$0ler", 1));
    check_callees(
        &fixture,
        expect![[r#"
            [m.py:3:9] m.alt at m.py:13:12
            [m.py:5:9] m.alt at m.py:13:12
            [m.py:11:9] m.new at m.py:13:19
            [m.py:9:9] m.new at m.py:13:19
        "#]],
    );
    check_callees(
        &format!("{ENVIRONMENT}{}", FLAGGED.replacen("def use", "def u$0se", 1)),
        expect![[r#"
            [m.py:3:9] m.alt at other.py:3:12
            [m.py:5:9] m.alt at other.py:3:12
        "#]],
    );
}

/// Must not: a definition after the branches, at the module's top level,
/// replaces them whatever the test; and a version test alone still picks
/// the branch the interpreter takes.
#[test]
fn an_unconditional_definition_or_a_version_test_picks_one() {
    let replaced = FLAGGED.replacen("def caller", "def alt(): return 0\ndef cal$0ler", 1).replacen(
        "elif hasattr(sys, \"pypy_version_info\"):\n    def new(): return \"pypy\"\n",
        "",
        1,
    );
    check_callees(
        &format!("{ENVIRONMENT}{replaced}"),
        expect![[r#"
            [m.py:10:5] m.alt at m.py:12:12
            [m.py:9:9] m.new at m.py:12:19
        "#]],
    );
}

const FALLBACK: &str = r#"
//- /fast.py
def parse(): return 1
//- /m.py
try:
    from fast import parse
except ImportError:
    def parse(): return 2
try:
    from _missing_accelerator import encode
except ImportError:
    encode = None
try:
    from _missing_accelerator import decode
except ImportError:
    from fast import parse as decode
def caller():
    return parse(), encode(), decode()
"#;

/// `try: from fast import parse` / `except ImportError: def parse()`:
/// either may be what runs (the import found in the workspace, or the
/// fallback); a fallback import is an alternative too, and `= None` adds
/// nothing to call.
#[test]
fn an_import_error_fallback_is_an_alternative() {
    check_callees(
        &FALLBACK.replacen("def caller", "def cal$0ler", 1),
        expect![[r#"
            [fast.py:1:5] fast.parse at m.py:14:12, m.py:14:31
            [m.py:4:9] m.parse at m.py:14:12
            [] _missing_accelerator.encode at m.py:14:21
            [] _missing_accelerator.decode at m.py:14:31
        "#]],
    );
}
