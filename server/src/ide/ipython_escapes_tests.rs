//! The refactorings in a notebook whose cells hold IPython's escapes:
//! made as IPython reads the code, refused where an escape could tell.

use expect_test::{Expect, expect};
use ruff_python_ast::PySourceType;

use crate::ide::edits::apply;
use crate::ide::extract_function::extract_function;
use crate::ide::extract_variable::extract_variable;
use crate::ide::fixture::selected;
use crate::ide::inline_variable::tests::inlined;

/// Inlines at `$0` of the notebook whose joined cells are `cells`: its new
/// code, or the refusal.
fn check_inline(cells: &str, expected: Expect) {
    expected.assert_eq(&inlined(&format!("//- /nb.ipynb\n{cells}"), false));
}

/// Extracts the selection between `«` and `»` of a notebook's joined
/// cells into a variable, or with `function` into a function: the new
/// code, or the refusal.
fn check_extract(marked: &str, function: bool, expected: Expect) {
    let (text, selection) = selected(marked);
    let extracted =
        if function { extract_function(&text, PySourceType::Ipynb, selection, None) } else { extract_variable(&text, PySourceType::Ipynb, selection, None) };
    expected.assert_eq(&extracted.map_or_else(|why| format!("refused: {why}\n"), |e| apply(&text, &e.replacements)));
}

#[test]
fn an_inlining_is_made_where_the_escapes_do_not_spell_its_names() {
    check_inline(
        "%matplotlib inline\nrate$0 = 0.2\n!pip list\nprint(rate * 10)\n",
        expect![[r#"
            %matplotlib inline
            !pip list
            print(0.2 * 10)
        "#]],
    );
    // Must not: `%time` reads it, `!echo {rate}` expands it.
    check_inline(
        "rate$0 = 0.2\n%time doubled = rate * 2\nprint(rate)\n",
        expect![[r#"
            refused: `rate` is spelled in the IPython escape `%time doubled = rate * 2`, which pyloom cannot check; refused
        "#]],
    );
    check_inline(
        "rate$0 = 0.2\n!echo {rate}\nprint(rate)\n",
        expect![[r#"
            refused: `rate` is spelled in the IPython escape `!echo {rate}`, which pyloom cannot check; refused
        "#]],
    );
}

#[test]
fn an_inlining_that_would_move_or_copy_an_escape_refuses() {
    // The value is the shell's output: inlining removes the escape's line.
    check_inline(
        "files$0 = !ls\nprint(files)\n",
        expect![[r#"
            refused: `!ls` would not read as one expression where `files` is read; refused
        "#]],
    );
    // The body's escape would be copied into the caller.
    check_inline(
        "def show():\n    !ls\n    return 1\n\ndef main():\n    x = sh$0ow()\n    return x\n",
        expect![[r#"
            refused: `ls` is spelled in the IPython escape `!ls`, which pyloom cannot check; refused
        "#]],
    );
    // An escape spelling no name (`!!` repeats the last shell command)
    // is not copied either.
    let copied = super::guard("x = 1\n!!\n", &[crate::ide::edits::Replacement { span: crate::graph::Span::new(0, 0), text: "!!\n".to_owned() }]);
    assert_eq!(copied.unwrap_err(), "the edit would copy or remove an IPython escape (`%…`, `!…`), which pyloom cannot check; refused");
    // Must not: the same function without its escape inlines.
    check_inline(
        "%matplotlib inline\ndef show():\n    print(1)\n    return 1\n\ndef main():\n    x = sh$0ow()\n    return x\n",
        expect![[r#"
            %matplotlib inline
            def show():
                print(1)
                return 1

            def main():
                print(1)
                x = 1
                return x
        "#]],
    );
}

#[test]
fn an_extraction_is_made_beside_escapes_and_refused_across_them() {
    check_extract(
        "%matplotlib inline\nrate = 0.2\nprint(«rate * 10»)\n",
        false,
        expect![[r#"
            %matplotlib inline
            rate = 0.2
            _value = rate * 10
            print(_value)
        "#]],
    );
    check_extract(
        "%matplotlib inline\nrate = 0.2\n«print(rate * 10)»\n!ls\n",
        true,
        expect![[r#"
            %matplotlib inline
            rate = 0.2


            def _extracted():
                print(rate * 10)


            _extracted()
            !ls
        "#]],
    );
    // Must not: the selection holds an escape, or a later escape reads
    // what the selection binds (the graph would not see it returned).
    check_extract(
        "rate = 0.2\n«print(rate * 10)\n%time print(rate)»\n",
        true,
        expect![[r#"
            refused: the edit would change the IPython escape `%time print(rate)`, which pyloom cannot check; refused
        "#]],
    );
    check_extract(
        "def f(rate):\n    «total = rate * 10»\n    !echo {total}\n    return 1\n",
        true,
        expect![[r#"
            refused: `total` is spelled in the IPython escape `!echo {total}`, which pyloom cannot check; refused
        "#]],
    );
}

#[test]
fn a_python_file_with_an_escape_still_has_a_syntax_error() {
    // Must not: IPython's syntax is a notebook's only.
    let (text, selection) = selected("%matplotlib inline\nprint(«1 + 2»)\n");
    let refused = extract_variable(&text, PySourceType::Python, selection, None).unwrap_err();
    assert_eq!(refused, "the file has syntax errors; fix them first");
    check_inline(
        "rate$0 = 0.2\n%matplotlib inline\nprint(rate)\n",
        expect![[r#"
            %matplotlib inline
            print(0.2)
        "#]],
    );
    assert!(inlined("//- /m.py\nrate$0 = 0.2\n%matplotlib inline\nprint(rate)\n", false).starts_with("refused: the file has syntax errors"));
}

#[test]
fn calls_in_a_notebook_with_escapes_are_not_updated_by_a_signature_change() {
    use crate::ide::signature_change::tests::check;
    let workspace = "//- /shop/tax.py\ndef $0total(items, rate):\n    return sum(items) * rate\n//- /nb.ipynb\n%matplotlib inline\nfrom shop.tax import total\n\na = total([1], 0.2)\n";
    check(
        workspace,
        "(rate, items)",
        false,
        expect![[r#"
            refused: nb.ipynb:1 holds IPython escapes (`%magic`, `!command`), around which its calls cannot be updated and checked; update them by hand
        "#]],
    );
    // Must not: the same notebook without its escape is updated.
    check(
        &workspace.replace("%matplotlib inline\n", ""),
        "(rate, items)",
        false,
        expect![[r#"
            //- nb.ipynb
            from shop.tax import total

            a = total(0.2, [1])
        "#]],
    );
}

/// Renames at `$0` of the notebook whose joined cells are `cells`: its
/// new code, or the refusal.
fn check_rename(cells: &str, new_name: &str, expected: Expect) {
    let (graph, file, offset) = crate::ide::fixture::graph(&format!("//- /nb.ipynb\n{cells}"));
    let text = &graph.file(file).unwrap().text();
    let renamed = crate::ide::rename::rename(&graph, file, offset, new_name)
        .map(|edits| edits.into_iter().filter(|e| e.file == file).flat_map(|e| e.replacements).collect::<Vec<_>>());
    expected.assert_eq(&renamed.map_or_else(|why| format!("refused: {why}\n"), |replacements| apply(text, &replacements)));
}

#[test]
fn a_global_of_a_notebook_that_runs_a_script_is_neither_renamed_nor_inlined() {
    // `%run` copies the script's globals into the notebook (`total` may
    // be rebound), `%run -i` runs it reading the notebook's.
    check_rename(
        "total$0 = 3\n%run w3.py\nprint(total)\n",
        "grand",
        expect![[r#"
            refused: the IPython escape at nb.ipynb:2 (a `%` magic, a `!` shell line or a string IPython runs) spells `total`, which rename cannot edit exactly; rename refused
        "#]],
    );
    check_rename(
        "total$0 = 3\nget_ipython().run_line_magic('run', '-i w4.py')\n",
        "grand",
        expect![[r#"
            refused: the IPython escape at nb.ipynb:2 (a `%` magic, a `!` shell line or a string IPython runs) spells `total`, which rename cannot edit exactly; rename refused
        "#]],
    );
    check_inline(
        "base$0 = 4\n%run wf.py\nprint(base)\n",
        expect![[r#"
            refused: `base` is a global of the notebook, which the script of the IPython escape `%run wf.py` may bind or read; refused
        "#]],
    );
    // Must not: a function's local is no global a script reaches.
    check_rename(
        "%run -i w4.py\ndef f():\n    t$0 = 1\n    return t\n",
        "u",
        expect![[r#"
            %run -i w4.py
            def f():
                u = 1
                return u
        "#]],
    );
    check_inline(
        "%run w3.py\ndef f():\n    t$0 = 1\n    return t\n",
        expect![[r#"
            %run w3.py
            def f():
                return 1
        "#]],
    );
}

/// Renames at `$0` of a workspace of notebooks (`//- /name.ipynb` and
/// their joined cells): the files it edits, or the refusal.
fn check_rename_across(workspace: &str, new_name: &str, expected: Expect) {
    let (graph, file, offset) = crate::ide::fixture::graph(workspace);
    let renamed = crate::ide::rename::rename(&graph, file, offset, new_name)
        .map(|edits| edits.iter().map(|e| graph.file(e.file).map(|f| f.path.display().to_string()).unwrap_or_default() + "\n").collect::<String>());
    expected.assert_eq(&renamed.unwrap_or_else(|why| format!("refused: {why}\n")));
}

#[test]
fn a_global_of_a_notebook_another_runs_is_not_renamed_under_it() {
    // `%run helper.ipynb` binds the notebook's globals in the one running it.
    let workspace = "//- /helper.ipynb\ndef helper_fn$0(n):\n    return n * 10\nCONST = 3\n//- /main.ipynb\n%run helper.ipynb\nprint(helper_fn(CONST))\n";
    check_rename_across(
        workspace,
        "helper_fn2",
        expect![[r#"
            refused: the IPython escape at main.ipynb:1 (a `%` magic, a `!` shell line or a string IPython runs) spells `helper_fn`, which rename cannot edit exactly; rename refused
        "#]],
    );
    check_rename_across(
        &workspace.replace("helper_fn$0", "helper_fn").replace("CONST = 3", "CONST$0 = 3"),
        "CONST2",
        expect![[r#"
            refused: the IPython escape at main.ipynb:1 (a `%` magic, a `!` shell line or a string IPython runs) spells `CONST`, which rename cannot edit exactly; rename refused
        "#]],
    );
    // Must not: a notebook that runs another one, or does not use the name.
    check_rename_across(
        &workspace.replace("%run helper.ipynb", "%run other.ipynb"),
        "helper_fn2",
        expect![[r#"
            /ws/helper.ipynb
        "#]],
    );
    check_rename_across(
        &workspace.replace("print(helper_fn(CONST))", "print(CONST)"),
        "helper_fn2",
        expect![[r#"
            /ws/helper.ipynb
        "#]],
    );
}

#[test]
fn the_strings_get_ipython_runs_are_escapes() {
    // What nbconvert and jupytext write for `%time y = base * 2` and `!echo {base}`.
    check_rename(
        "base$0 = 7\nget_ipython().run_line_magic('time', 'y = base * 2')\n",
        "root",
        expect![[r#"
            refused: the IPython escape at nb.ipynb:2 (a `%` magic, a `!` shell line or a string IPython runs) spells `base`, which rename cannot edit exactly; rename refused
        "#]],
    );
    check_inline(
        "base$0 = 7\nget_ipython().system('echo {base}')\nprint(base)\n",
        expect![[r#"
            refused: `base` is spelled in the string 'echo {base}' that `get_ipython()` runs, which pyloom cannot check; refused
        "#]],
    );
    // Must not: another object's `system`, or a string spelling another name.
    check_inline(
        "import os\nbase$0 = 7\nos.system('echo {base}')\nget_ipython().system('echo {other}')\nprint(base)\n",
        expect![[r#"
            import os
            os.system('echo {base}')
            get_ipython().system('echo {other}')
            print(7)
        "#]],
    );
}

#[test]
fn a_notebooks_inline_refusal_names_its_line_with_the_notebook() {
    // The editor's side shows `nb.ipynb:7` as the cell and its line.
    check_inline(
        "import os\n\nbase = 7\nx$0 = base + 1\n\nprint(x)\nx2 = x * 2\n",
        expect![[r#"
            refused: `print(x)` comes between the assignment and the read at nb.ipynb:7: it could change what `base + 1` reads
        "#]],
    );
    // A Python file's place is its path and line, as every refusal names a place.
    assert_eq!(
        inlined("//- /m.py\ndef f(base):\n    x$0 = base + 1\n    print(x)\n    return x * 2\n", false),
        "refused: `print(x)` comes between the assignment and the read at m.py:4: it could change what `base + 1` reads\n"
    );
}

#[test]
fn the_shell_reached_through_a_name_or_the_module_runs_strings_too() {
    // Tester case 08: `ip = get_ipython()`, `IPython.get_ipython()`.
    check_rename(
        "base$0 = 7\nip = get_ipython()\nip.ex('y = base * 2')\n",
        "root",
        expect![[r#"
            refused: the IPython escape at nb.ipynb:3 (a `%` magic, a `!` shell line or a string IPython runs) spells `base`, which rename cannot edit exactly; rename refused
        "#]],
    );
    check_rename(
        "import IPython\nbase$0 = 7\nIPython.get_ipython().run_line_magic('time', 'y = base * 2')\n",
        "root",
        expect![[r#"
            refused: the IPython escape at nb.ipynb:3 (a `%` magic, a `!` shell line or a string IPython runs) spells `base`, which rename cannot edit exactly; rename refused
        "#]],
    );
    // Must not: `ex` of a name bound to something else.
    check_rename(
        "base$0 = 7\nip = object()\nip.ex('y = base * 2')\n",
        "root",
        expect![[r#"
            root = 7
            ip = object()
            ip.ex('y = base * 2')
        "#]],
    );
}

#[test]
fn a_rename_refused_for_syntax_errors_names_the_broken_line() {
    // Eleventh tester's case 05: the refusal named the first cell, not the broken one.
    check_rename(
        "%time x = 1\nba$0se = 7\nx = = 1\nprint(base)\n",
        "root",
        expect![[r#"
        refused: nb.ipynb:3 has syntax errors; fix them before renaming
    "#]],
    );
}

#[test]
fn a_notebooks_code_beside_an_escape_is_read_by_the_checks_of_a_rename() {
    // The refactorings' parse of a notebook is the graph's (IPython's): a
    // `%matplotlib` line no longer makes the notebook a broken file whose
    // code the checks skip, so `work` passed on as a value there, with
    // `num=` beside it, refuses renaming the parameter.
    let workspace = "//- /lib.py\ndef work(num$0):\n    return num\n//- /nb.ipynb\nfrom lib import work\n%matplotlib inline\nsubmit(work, num=5)\n";
    check_rename_across(
        workspace,
        "count",
        expect![[r#"
        refused: `work` is passed on as a value at nb.ipynb:3, and `num` at nb.ipynb:3 may reach it through that value, where the rename cannot follow; rename refused
    "#]],
    );
    // Must not: without the keyword, only the function's file changes.
    check_rename_across(
        &workspace.replace("num=5", "5"),
        "count",
        expect![[r#"
        /ws/lib.py
    "#]],
    );
}
