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
