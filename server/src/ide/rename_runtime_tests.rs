//! Names the running program reads by their spelling where no reference
//! shows it (tester 7's string and runtime-name cases): each renamed
//! exactly or refused naming the place, each with a twin that must stay as
//! it was.

use expect_test::expect;

use super::tests::check_rename;

#[test]
fn a_parameter_of_a_function_listed_in_dunder_all_is_renamed_beside_an_unrelated_string() {
    // Tester case 05: the `__all__` entry is no value handed on.
    let listed = "//- /m.py\n__all__ = [\"f\"]\nTABLE = {\"b\": 1}\n\n\ndef f(a, b$0=1):\n    return a + b\n\n\nprint(f(1, b=2))\n";
    check_rename(
        listed,
        "c",
        expect![[r#"
            //- /m.py
            __all__ = ["f"]
            TABLE = {"b": 1}


            def f(a, c=1):
                return a + c


            print(f(1, c=2))
        "#]],
    );
    // Must not: a real value handed on (a dict of callables) still refuses.
    check_rename(
        &listed.replace("TABLE = {\"b\": 1}", "TABLE = {\"b\": f}"),
        "c",
        expect![
            "refused: `f` is passed on as a value at m.py:2, and `b` at m.py:2 may reach it through that value, where the rename cannot follow; rename refused"
        ],
    );
}

#[test]
fn a_local_printed_with_its_name_is_not_renamed() {
    // Tester case 31: `f"{value=}"` prints "value=4".
    let printed = "//- /m.py\ndef dbg(x):\n    val$0ue = x * 2\n    return f\"{value=}\"\n";
    check_rename(
        printed,
        "v",
        expect![[r#"refused: m.py:3 prints `value` with its name (`f"{…=}"`): under a new name it would print another text; rename refused"#]],
    );
    // Must not: printed by its value only.
    check_rename(
        &printed.replace("{value=}", "{value}"),
        "v",
        expect![[r#"
            //- /m.py
            def dbg(x):
                v = x * 2
                return f"{v}"
        "#]],
    );
}

#[test]
fn a_local_of_a_body_reading_locals_is_not_renamed() {
    // Tester case 32: `"{greeting}".format(**locals())`, `"%(who)s" % vars()`.
    let reflective = "//- /m.py\ndef greet(user):\n    greet$0ing = \"hello\"\n    return \"{greeting}, {user}\".format(**locals())\n";
    check_rename(
        reflective,
        "salute",
        expect!["refused: the body of `greet` reads its names through `locals()`: a local's new name would not be found there; rename refused"],
    );
    check_rename(
        "//- /m.py\ndef tmpl():\n    wh$0o = \"bob\"\n    return \"%(who)s\" % vars()\n",
        "name",
        expect!["refused: the body of `tmpl` reads its names through `vars()`: a local's new name would not be found there; rename refused"],
    );
    // Must not: the same body formatting its names explicitly.
    check_rename(
        &reflective.replace("**locals()", "greeting=greeting, user=user"),
        "salute",
        expect![[r#"
            //- /m.py
            def greet(user):
                salute = "hello"
                return "{greeting}, {user}".format(greeting=salute, user=user)
        "#]],
    );
}

#[test]
fn a_class_compared_by_its_name_is_not_renamed() {
    // Tester case 33: `type(obj).__name__ == "Leaf"` and a `cls.__name__` registry.
    let named = "//- /m.py\n__all__ = [\"Leaf\"]\n\nclass Le$0af:\n    pass\n\ndef kind(obj):\n    return type(obj).__name__ == \"Leaf\"\n";
    check_rename(
        named,
        "Tip",
        expect![[
            r#"refused: the string "Leaf" at m.py:7 may stand for the class by its `__name__` (read in that file), which would become the new name; rename refused"#
        ]],
    );
    // Must not: another class's name, and the `__all__` entry, renamed with the class.
    check_rename(
        &named.replace("== \"Leaf\"", "== \"Branch\""),
        "Tip",
        expect![[r#"
            //- /m.py
            __all__ = ["Tip"]

            class Tip:
                pass

            def kind(obj):
                return type(obj).__name__ == "Branch"
        "#]],
    );
}
