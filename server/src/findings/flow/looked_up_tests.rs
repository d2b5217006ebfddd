//! Only the helpers a walk may look up are summarised ([`super::looked_up`]):
//! each walk still finds every summary it looks up.

use std::path::Path;

use expect_test::expect;
use ruff_python_ast::Stmt;

use super::looked_up::looked_up;
use super::tests::check;

#[test]
fn the_names_a_walk_may_look_up_are_its_bare_calls_and_those_of_the_helpers_they_name() {
    // `view` is walked: `outer` and `len` are called there, `inner` by
    // `outer`; `hidden` only in a function `view` defines (walked on its
    // own, if at all), `other` only by a helper nothing walked calls.
    let source = "def inner(x):\n    return x\n\ndef outer(x):\n    return inner(x)\n\ndef unused(x):\n    return other(x)\n\n\
                  def view(x):\n    def nested():\n        return hidden(x)\n    return outer(x) + len(x) + obj.method(x)\n";
    let parsed = crate::findings::parse(Path::new("/work/snippet.py"), source);
    let functions: Vec<_> = parsed.syntax().body.iter().filter_map(Stmt::as_function_def_stmt).collect();
    let view = functions.iter().find(|f| f.name.as_str() == "view").unwrap();
    let mut names: Vec<&str> = looked_up(std::iter::once(&view.body[..]), &functions).into_iter().collect();
    names.sort_unstable();
    assert_eq!(names, ["inner", "len", "outer"]);
}

#[test]
fn a_helper_called_only_by_a_helper_still_sanitises_for_it() {
    // `digits` is called only in `build`'s body: `build`'s summary still
    // knows it returns a number, so `run` executes no data (the twin
    // `same` passes it on, and reports).
    check(
        "import sqlite3, sys\n\ndef digits(v):\n    return int(v)\n\ndef same(v):\n    return v\n\n\
         def build(name):\n    return 'DELETE FROM users WHERE id = {}'.format(digits(name))\n\n\
         def build_named(name):\n    return 'DELETE FROM users WHERE name = \"{}\"'.format(same(name))\n\n\
         def run(conn):\n    conn.execute(build(sys.argv[1]))\n    conn.execute(build_named(sys.argv[1]))\n",
        expect![[r#"
            13:12 S608 Warning Possible SQL injection vector through string-based query construction [confidence Medium]
            17:5 LOOM620 Warning SQL query built from `sys.argv` reaches `.execute`; pass the values as query parameters [confidence High]
              entered 17:30 `sys.argv` enters here
        "#]],
    );
}

#[test]
fn a_helper_called_only_by_a_caller_that_is_not_walked_to_report_still_passes_on_what_it_returns() {
    // `main` and `main_digits` hold no sink and are walked only for what
    // they give `run` and `run_digits`: `same` and `digits` are called
    // there alone. `same` still gives `run` the data from outside (its
    // finding is of `sys.argv`); `digits` still gives a number (the
    // finding is of the parameter).
    check(
        "import sys\n\ndef same(v):\n    return v\n\ndef digits(v):\n    return int(v)\n\n\
         def run(conn, name):\n    conn.execute('DELETE FROM users WHERE id = ' + name)\n\n\
         def run_digits(conn, name):\n    conn.execute('DELETE FROM users WHERE id = ' + name)\n\n\
         def main(conn):\n    run(conn, same(sys.argv[1]))\n\n\
         def main_digits(conn):\n    run_digits(conn, digits(sys.argv[1]))\n",
        expect![[r#"
            10:18 S608 Warning Possible SQL injection vector through string-based query construction [confidence High]
              entered 16:20 `sys.argv` enters here
            13:18 S608 Warning Possible SQL injection vector through string-based query construction [confidence Medium]
              entered 12:22 parameter `name` enters here
        "#]],
    );
}
