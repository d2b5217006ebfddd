//! Tests of how often a loop's body is walked ([`super::loops`]): a pass
//! that would repeat the one before it is not walked, and what it would
//! have told the walk's `passes` is told all the same.

use std::path::Path;

use rustc_hash::{FxHashMap, FxHashSet};

use ruff_python_ast::{ExprCall, Stmt};

use super::Walk;
use super::eval::Scope;
use super::loops::Head;
use super::overwritten::overwritten_first;
use crate::findings::names::Names;

/// What the walk of `source`'s first function tells `passes` (which takes
/// every call when `takes`): each call's callee and the text the name
/// `seen` holds there.
fn told(source: &str, seen: &str, takes: bool) -> Vec<(String, String)> {
    let parsed = crate::findings::parse(Path::new("/work/snippet.py"), source);
    let module = parsed.syntax();
    let names = Names::of(module);
    let function = module.body.iter().find_map(Stmt::as_function_def_stmt).unwrap();
    let (globals, helpers) = (FxHashMap::default(), FxHashMap::default());
    let mut told = Vec::new();
    let mut record = |scope: &Scope, call: &ExprCall| {
        let callee = names.qualified(&call.func).unwrap_or_default();
        told.push((callee, scope.locals.get(seen).map(|v| v.text.clone()).unwrap_or_default()));
        takes
    };
    let mut walk = Walk::function(&names, &globals, &helpers, function, None);
    walk.passes = Some(&mut record);
    walk.body(&function.body);
    drop(walk);
    told
}

fn calls(told: &[(String, String)]) -> Vec<&str> {
    told.iter().map(|(callee, _)| callee.as_str()).collect()
}

#[test]
fn a_pass_that_changed_only_names_it_overwrites_first_is_not_walked_again() {
    let source = "def f(items):\n    for x in items:\n        y = str(x)\n        print(y)\n";
    assert_eq!(calls(&told(source, "y", false)), ["str", "print"]);
}

#[test]
fn a_pass_that_reads_a_name_before_writing_it_is_walked_again() {
    // The second pass prints what the first left in `y`.
    let source = "def f(items):\n    for x in items:\n        print(y)\n        y = 'b'\n";
    let told = told(source, "y", false);
    assert_eq!(calls(&told), ["print", "print"]);
    assert_ne!(told[0].1, told[1].1);
}

#[test]
fn what_a_pass_not_walked_would_have_told_is_told_again() {
    // Each call taken is told twice, with what the names held there in
    // the pass that was walked (`y` before and after its write).
    let source = "def f(items):\n    y = 'a'\n    for x in items:\n        print(y)\n        y = 'b'\n        print(y)\n";
    let again = told(source, "y", true);
    // `y` is read before written: the loop walks a second pass, which
    // settles, and no pass is told twice beyond the two walked.
    assert_eq!(calls(&again), ["print", "print", "print", "print"]);
    let source = "def f(items):\n    for x in items:\n        y = str(x)\n        print(y)\n";
    let again = told(source, "y", true);
    assert_eq!(calls(&again), ["str", "print", "str", "print"]);
    assert_eq!(again[1], again[3]);
}

/// The names `overwritten_first` finds in the first loop of `source`'s
/// first function, sorted.
fn overwritten(source: &str) -> Vec<String> {
    let parsed = crate::findings::parse(Path::new("/work/snippet.py"), source);
    let module = parsed.syntax();
    let function = module.body.iter().find_map(Stmt::as_function_def_stmt).unwrap();
    let mut names: Vec<String> = match &function.body[0] {
        Stmt::For(stmt) => overwritten_first(&Head::For(&stmt.target, Box::default()), &stmt.body),
        Stmt::While(stmt) => overwritten_first(&Head::While(&stmt.test), &stmt.body),
        _ => FxHashSet::default(),
    }
    .into_iter()
    .map(str::to_owned)
    .collect();
    names.sort();
    names
}

#[test]
fn names_written_before_anything_reads_them() {
    // The target's names, and plain assignments at the top of the body
    // before any statement names them.
    assert_eq!(overwritten("def f(rows):\n    for k, (a, *b) in rows:\n        x = g(k)\n        y = z = x\n        use(y)\n"), ["a", "b", "k", "x", "y", "z"]);
}

#[test]
fn names_read_first_written_in_a_branch_or_after_a_loop_are_not() {
    // `n` reads itself, `total` is added to, `w` written in a branch only,
    // `used` named before its write, `late` after an inner loop; a `while`
    // test's `:=` reads its value first.
    let source = "def f(rows):\n    for r in rows:\n        n = n + 1\n        total += r\n        if r:\n            w = 1\n        print(used)\n        used = 2\n        for c in r:\n            pass\n        late = 3\n";
    assert_eq!(overwritten(source), ["r"]);
    assert_eq!(overwritten("def f(s):\n    while (line := s.read()):\n        out = line\n        print(out)\n"), ["out"]);
    // An attribute or item as target is written into, not over.
    assert_eq!(overwritten("def f(rows, o):\n    for o.x in rows:\n        d[0] = o\n"), Vec::<String>::new());
}
