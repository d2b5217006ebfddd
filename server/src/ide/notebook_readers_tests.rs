//! A notebook's own global renamed while other files spell its name in
//! strings: only a file that may read the notebook's globals (one naming
//! it or named by it, one reading the kernel's `__main__`) refuses.

use expect_test::expect;

use super::tests::check_rename;

const ANALYSIS: &str = "//- /analysis.ipynb\ndata$0 = [1, 2, 3]\ntotal = sum(data)\n";

#[test]
fn strings_of_files_that_cannot_reach_the_notebook_let_the_rename_be() {
    // Another notebook's column name, another notebook's doctest, a module
    // nothing runs from the notebook.
    let others = [
        "//- /other1.ipynb\ndf = {'data': [1]}\nprint(df['data'])\n",
        "//- /other2.ipynb\ndef f(x):\n    '''\n    >>> data = 2\n    >>> f(data)\n    2\n    '''\n    return x\n",
        "//- /util.py\nCFG = {'data': 1}\nprint(CFG['data'])\n",
    ];
    for other in others {
        let renamed = expect![[r#"
            //- /analysis.ipynb
            zz = [1, 2, 3]
            total = sum(zz)
        "#]];
        check_rename(&format!("{ANALYSIS}{other}"), "zz", renamed);
    }
}

#[test]
fn strings_of_files_that_may_read_the_notebooks_globals_refuse() {
    // Must not: a notebook running it (its globals become the runner's),
    // a script it runs in its own namespace, a module reading `__main__`.
    check_rename(
        &format!("{ANALYSIS}//- /main.ipynb\n%run analysis.ipynb\nprint(globals()['data'])\n"),
        "zz",
        expect!["refused: `globals()['data']` at main.ipynb:2 names `data` in a string that rename cannot follow; rename refused"],
    );
    check_rename(
        &format!("{ANALYSIS}//- /main.ipynb\n%run analysis.ipynb\nCFG = {{'data': 1}}\n"),
        "zz",
        expect![
            "refused: the string at main.ipynb:2 spells `data`, which code may read as the name (a key, an attribute or field list, a format field, a `Literal` value) and which would keep the old name; rename refused"
        ],
    );
    check_rename(
        "//- /analysis.ipynb\ndata$0 = [1, 2, 3]\n%run -i report.py\n//- /report.py\nprint(globals()['data'])\n",
        "zz",
        expect!["refused: `globals()['data']` at report.py:1 names `data` in a string that rename cannot follow; rename refused"],
    );
    check_rename(
        &format!("{ANALYSIS}//- /util.py\nimport __main__\nprint(getattr(__main__, 'data'))\n"),
        "zz",
        expect![[r#"refused: `getattr(…, "data")` at util.py:2 names `data` in a string that rename cannot follow; rename refused"#]],
    );
    check_rename(
        &format!(
            "{ANALYSIS}//- /runner.py\ndef f(x):\n    '''\n    >>> data = 2\n    '''\n    return x\nget_ipython().run_line_magic('run', 'analysis.ipynb')\n"
        ),
        "zz",
        expect!["refused: a doctest at runner.py:3 names `data` in a string that rename cannot follow; rename refused"],
    );
}
