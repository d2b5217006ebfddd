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
