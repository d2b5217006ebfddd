//! A test, a test class, an xunit setup or a `conftest.py` hook moved
//! where pytest does not look for it by name is refused; moved into
//! another test module, or helpers moved anywhere, it goes ahead.

use std::path::Path;

use expect_test::{Expect, expect};

use crate::ide::fixture::{self, ROOT};

/// Moves the definition at `$0` of each workspace to `to`: the refusal,
/// or `applied`, a line each.
fn check_moves(moves: &[(&str, &str)], expected: Expect) {
    let shown: String = moves
        .iter()
        .map(|(workspace, to)| {
            let (graph, file, offset) = fixture::graph(workspace);
            match crate::ide::symbol_move::move_symbol(&graph, file, offset, &Path::new(ROOT).join(to)) {
                Ok(_) => "applied\n".to_owned(),
                Err(error) => format!("refused: {error}\n"),
            }
        })
        .collect();
    expected.assert_eq(&shown);
}

const TESTS: &str = "//- /tests/test_a.py\ndef helper():\n    return 1\n\n\ndef test_one():\n    assert helper() == 1\n\n\nTWO\n";

#[test]
fn what_pytest_runs_by_its_name_is_not_moved_where_it_would_not() {
    let test = TESTS.replace("TWO", "def test_t$0wo():\n    assert True\n");
    let class = TESTS.replace("TWO", "class Test$0Thing:\n    def test_x(self):\n        assert True\n");
    let setup = TESTS.replace("TWO", "def setup_mo$0dule():\n    pass\n");
    let hook = "//- /tests/conftest.py\ndef pytest_con$0figure(config):\n    config.seen = True\n";
    let helper = TESTS.replace("def helper", "def hel$0per").replace("TWO", "");
    check_moves(
        &[
            (&test, "tests/helpers.py"),
            (&class, "tests/helpers.py"),
            (&setup, "tests/helpers.py"),
            (hook, "tests/hooks.py"),
            // Must not: into another test module, or a helper anywhere.
            (&test, "tests/test_b.py"),
            (&helper, "tests/helpers.py"),
        ],
        expect![[r#"
            refused: `test_two`: pytest collects it as a test in tests/test_a.py by its name; in tests/helpers.py it would not, and it would silently stop running; the move is refused
            refused: `TestThing`: pytest collects it as a test class in tests/test_a.py by its name; in tests/helpers.py it would not, and it would silently stop running; the move is refused
            refused: `setup_module`: pytest calls it around the module's tests in tests/test_a.py by its name; in tests/helpers.py it would not, and it would silently stop running; the move is refused
            refused: `pytest_configure`: pytest calls it as a hook of `conftest.py` in tests/conftest.py by its name; in tests/hooks.py it would not, and it would silently stop running; the move is refused
            applied
            applied
        "#]],
    );
}
