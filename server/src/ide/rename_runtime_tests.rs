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
