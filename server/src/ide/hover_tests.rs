//! Hover on what the graph's explanation has no symbol for: declared
//! names and module dunders, each with a twin the explanation keeps.

use expect_test::{Expect, expect};

use super::{definition, hover};
use crate::ide::fixture::graph;

fn check_hover(fixture: &str, expected: Expect) {
    let (graph, file, offset) = graph(fixture);
    expected.assert_eq(&hover(&graph, file, offset).unwrap_or_else(|| "nothing".to_owned()));
}

const COUNTER: &str = "counter = 0\n\ndef bump():\n    global counter\n    counter = counter + 1\n\ndef outer():\n    total = 0\n    def inner():\n        nonlocal total\n        total += 1\n    return inner\n";

#[test]
fn a_declared_name_is_the_variable_it_declares() {
    check_hover(
        &format!("//- /m.py\n{}", COUNTER.replace("global counter", "global coun$0ter")),
        expect![[r#"
        ```python
        counter
        ```

        Defined at m.py:1 in module `m`

        Changing this affects 1 function in 1 file.

        Type `int`, from the literal at m.py:1.
    "#]],
    );
    check_hover(
        &format!("//- /m.py\n{}", COUNTER.replace("nonlocal total", "nonlocal to$0tal")),
        expect![[r#"
        ```python
        (local) total: int
        ```

        Bound at line 8. Type `int`, from the literal at m.py:8."#]],
    );
    // Its definition is the binding too; must not: `global` itself is no name.
    let (g, file, offset) = graph(&format!("//- /m.py\n{}", COUNTER.replace("global counter", "global coun$0ter")));
    assert_eq!(
        definition(&g, file, offset).and_then(|d| match d {
            crate::graph::Resolved::Symbol(id) => g.location(id).map(|l| l.span.start),
            _ => None,
        }),
        Some(0)
    );
    check_hover(&format!("//- /m.py\n{}", COUNTER.replace("global counter", "glo$0bal counter")), expect!["nothing"]);
}

#[test]
fn a_local_in_a_notebook_is_bound_at_a_place_its_cell_can_name() {
    // The joined cells' line 4 is no line of any cell: named as a place,
    // which the editor shows as `nb.ipynb:cell 2:2` (lsp/notebooks).
    check_hover(
        "//- /nb.ipynb\nimport os\ndef f():\n    total = 0\n    return to$0tal\n",
        expect![[r#"
        ```python
        (local) total: int
        ```

        Bound at nb.ipynb:3. Type `int`, from the literal at nb.ipynb:3."#]],
    );
    // Must stay: a `.py` file's local is bound at a line of the file.
    check_hover(
        "//- /m.py\nimport os\ndef f():\n    total = 0\n    return to$0tal\n",
        expect![[r#"
        ```python
        (local) total: int
        ```

        Bound at line 3. Type `int`, from the literal at m.py:3."#]],
    );
}

#[test]
fn a_module_dunder_is_what_the_interpreter_binds() {
    check_hover(
        "//- /m.py\nprint(__fi$0le__)\n",
        expect![[r#"
        ```python
        __file__: str
        ```

        The path of the file the module was loaded from, set by the import system.
    "#]],
    );
    check_hover(
        "//- /nb.ipynb\nprint(__fi$0le__)\n",
        expect![[r#"
        ```python
        __file__
        ```

        Not bound in a notebook: IPython runs its cells in `__main__`, which has no file (reading `__file__` raises `NameError`).
    "#]],
    );
    check_hover(
        "//- /nb.ipynb\nprint(__na$0me__)\n",
        expect![[r#"
        ```python
        __name__: str
        ```

        The module's name: `"__main__"` when it runs as a script or as a notebook's cells.
    "#]],
    );
    // Must not: a module binding it itself, a string spelling it.
    check_hover(
        "//- /m.py\n__file__ = 'x'\nprint(__fi$0le__)\n",
        expect![[r#"
        ```python
        __file__
        ```

        Defined at m.py:1 in module `m`

        Changing this affects 0 functions in 0 files.

        Type `str`, from the literal at m.py:1.
    "#]],
    );
    check_hover("//- /m.py\nprint('__fi$0le__')\n", expect!["nothing"]);
}
