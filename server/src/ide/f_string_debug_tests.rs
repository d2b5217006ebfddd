use expect_test::expect;

use crate::ide::signature_change::tests::check;

#[test]
fn a_call_printed_by_its_text_keeps_its_arguments() {
    let area = "//- /main.py\ndef $0area(w, h):\n    return w * h\n\n\nprint(CALL)\n";
    check(
        &area.replace("CALL", "f\"{area(2, 3)=}\""),
        "(h, w)",
        false,
        expect![[r#"
        refused: the call at main.py:5 is in an f-string's `{...=}`, which prints the call's own text: updated, the printed text would change
    "#]],
    );
    // Twin: in a plain `{...}` the call's text is not printed.
    check(
        &area.replace("CALL", "f\"{area(2, 3)}\""),
        "(h, w)",
        false,
        expect![[r#"
        //- main.py
        def area(w, h):
            return w * h


        print(f"{area(3, 2)}")
    "#]],
    );
}

#[test]
fn a_call_in_the_format_spec_of_a_printed_element_is_updated() {
    // `{x=:{area(2, 3)}}` prints `x=` and the value of `x`: the call in
    // the format spec is evaluated, its text is not printed.
    check(
        "//- /main.py\ndef $0area(w, h):\n    return w * h\n\n\nx = 1\nprint(f\"{x=:{area(2, 3)}}\")\n",
        "(h, w)",
        false,
        expect![[r#"
            //- main.py
            def area(w, h):
                return w * h


            x = 1
            print(f"{x=:{area(3, 2)}}")
        "#]],
    );
    // Must not: the call printed inside the expression of the element.
    check(
        "//- /main.py\ndef $0area(w, h):\n    return w * h\n\n\nx = 1\nprint(f\"{x + area(2, 3)=:>4}\")\n",
        "(h, w)",
        false,
        expect![[r#"
            refused: the call at main.py:6 is in an f-string's `{...=}`, which prints the call's own text: updated, the printed text would change
        "#]],
    );
}
