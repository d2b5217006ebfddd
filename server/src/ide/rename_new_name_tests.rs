use expect_test::expect;

use super::tests::check_rename;

#[test]
fn a_parameter_renamed_to_a_keyword_a_call_passes_into_kwargs_is_refused() {
    check_rename(
        r#"
        //- /main.py
        def f($0b, **kw):
            return b, kw

        def main():
            print(f(1, a=2), f(b=3))
        "#,
        "a",
        expect![
            "refused: the call at main.py:5 already passes the keyword `a=`: with the parameter renamed it would bind it instead of `**` or twice; rename refused"
        ],
    );
}

#[test]
fn a_parameter_renamed_to_a_keyword_no_call_passes_is_renamed() {
    check_rename(
        r#"
        //- /main.py
        def f($0b, **kw):
            return b, kw

        def main():
            print(f(1, c=2), f(b=3))
        "#,
        "a",
        expect![[r#"
            //- /main.py
            def f(a, **kw):
                return a, kw

            def main():
                print(f(1, c=2), f(a=3))

        "#]],
    );
}

#[test]
fn a_method_renamed_to_a_private_name_used_outside_its_class_is_refused() {
    check_rename(
        r#"
        //- /main.py
        class Account:
            def hel$0per(self):
                return 1

            def total(self):
                return self.helper()

        a = Account()
        print(a.helper())
        "#,
        "__helper",
        expect![
            "refused: `__helper` is a private name Python mangles by class, and main.py:9 is outside the class `main.Account`: it would name something else there; rename refused"
        ],
    );
}

#[test]
fn a_global_renamed_to_a_private_name_read_in_a_class_is_refused() {
    check_rename(
        r#"
        //- /main.py
        li$0mit = 5

        class C:
            def get(self):
                return limit
        "#,
        "__limit",
        expect![
            "refused: `__limit` is a private name Python mangles by class, and main.py:5 is inside a class body: it would name something else there; rename refused"
        ],
    );
}

#[test]
fn a_method_renamed_to_a_private_name_used_only_in_its_class_is_renamed() {
    check_rename(
        r#"
        //- /main.py
        class Account:
            def hel$0per(self):
                return 1

            def total(self):
                return self.helper()

        print(Account().total())
        "#,
        "__helper",
        expect![[r#"
            //- /main.py
            class Account:
                def __helper(self):
                    return 1

                def total(self):
                    return self.__helper()

            print(Account().total())

        "#]],
    );
}

#[test]
fn a_click_command_function_is_refused_and_a_plain_function_renamed() {
    let cli = "//- /main.py\nimport click\n\n@click.group()\ndef cli():\n    pass\n\n@cli.command()\ndef bu$0ild():\n    click.echo('building')\n";
    check_rename(
        cli,
        "compile",
        expect![
            "refused: `main.build` is decorated `@cli.command()`, which names the command after the function: the command line would change; rename refused"
        ],
    );
    check_rename(
        // (A name string equal to the function's, `@cli.command("build")`,
        // is refused by the string rule, rename_strings.rs.)
        &cli.replace("@cli.command()", "@cli.command(\"make\")"),
        "compile",
        expect![[r#"
            //- /main.py
            import click

            @click.group()
            def cli():
                pass

            @cli.command("make")
            def compile():
                click.echo('building')
        "#]],
    );
}

#[test]
fn a_rename_to_a_name_an_ipython_escape_spells_is_refused() {
    let refused = |escape: &str, expected: expect_test::Expect| {
        check_rename(&format!("//- /nb.ipynb\ndef sc$0ale(v):\n    return v\n{escape}\nprint(scale(1))\n"), "resize", expected);
    };
    refused(
        "!echo {resize}",
        expect![
            "refused: the IPython escape at nb.ipynb:3 (a `%` magic, a `!` shell line or a string IPython runs) spells `resize`: renamed to it, the escape would read the renamed name, which pyloom cannot check; rename refused"
        ],
    );
    refused(
        "out = !echo {resize}",
        expect![
            "refused: the IPython escape at nb.ipynb:3 (a `%` magic, a `!` shell line or a string IPython runs) spells `resize`: renamed to it, the escape would read the renamed name, which pyloom cannot check; rename refused"
        ],
    );
    refused(
        "%time r = resize",
        expect![
            "refused: the IPython escape at nb.ipynb:3 (a `%` magic, a `!` shell line or a string IPython runs) spells `resize`: renamed to it, the escape would read the renamed name, which pyloom cannot check; rename refused"
        ],
    );
    refused(
        "print(get_ipython().getoutput('echo {resize}'))",
        expect![
            "refused: the IPython escape at nb.ipynb:3 (a `%` magic, a `!` shell line or a string IPython runs) spells `resize`: renamed to it, the escape would read the renamed name, which pyloom cannot check; rename refused"
        ],
    );
    // An attribute and a keyword spelled in an escape.
    check_rename(
        "//- /nb.ipynb\nclass P:\n    def __init__(self):\n        self.wid$0th = 1\np = P()\n!echo {p.size}\nprint(p.width)\n",
        "size",
        expect![
            "refused: the IPython escape at nb.ipynb:5 (a `%` magic, a `!` shell line or a string IPython runs) spells `size`: renamed to it, the escape would read the renamed name, which pyloom cannot check; rename refused"
        ],
    );
    check_rename(
        "//- /nb.ipynb\ndef f(al$0pha=0, **kw):\n    return alpha, kw\n%time r = f(beta=1)\nprint(f(alpha=2))\n",
        "beta",
        expect![
            "refused: the IPython escape at nb.ipynb:3 (a `%` magic, a `!` shell line or a string IPython runs) spells `beta`: renamed to it, the escape would read the renamed name, which pyloom cannot check; rename refused"
        ],
    );
    // Must not: escapes that spell neither name.
    check_rename(
        "//- /nb.ipynb\ndef sc$0ale(v):\n    return v\n!echo {other}\n%time r = other\nprint(scale(1))\n",
        "resize",
        expect![[r#"
            //- /nb.ipynb
            def resize(v):
                return v
            !echo {other}
            %time r = other
            print(resize(1))
        "#]],
    );
}

#[test]
fn a_rename_to_a_name_ipython_binds_is_refused_in_a_notebook() {
    for new in ["_i", "_ii", "_iii", "_", "__", "___", "_i3", "_12", "_oh", "_ih", "_dh", "In", "Out", "exit", "quit", "get_ipython"] {
        let (graph, file, offset) = crate::graph::tests::fixture_graph("//- /nb.ipynb\nx$0 = 5\nprint(x)\n");
        let refused = super::rename(&graph, file, offset, new).expect_err(new).to_string();
        assert!(refused.contains("a name IPython binds"), "{new}: {refused}");
    }
    check_rename(
        "//- /nb.ipynb\nx$0 = 5\nprint(x)\n",
        "_i",
        expect![
            "refused: `_i` is a name IPython binds in a notebook's namespace (its output and input history, the shell, `exit`), and nb.ipynb:1 is in a notebook: IPython would rebind it or lose its own; rename refused"
        ],
    );
    // Must not: a `.py` file, and names IPython does not bind.
    check_rename(
        "//- /m.py\nx$0 = 5\nprint(x)\n",
        "_i",
        expect![[r#"
            //- /m.py
            _i = 5
            print(_i)
        "#]],
    );
    check_rename(
        "//- /nb.ipynb\nx$0 = 5\nprint(x)\n",
        "_ix",
        expect![[r#"
            //- /nb.ipynb
            _ix = 5
            print(_ix)
        "#]],
    );
}
