//! A moved function whose result is typed by a local of its body (`text =
//! str(obj)`, `return text`): read from another file, such a local is
//! not seen (so an edit inside a body never re-links importers), so the
//! check reads the old module and the target alike, each seeing the
//! other's locals, before the move and after.

use expect_test::expect;

use super::check_move;

const TABLE: &str = "//- /pkg/__init__.py\n//- /pkg/table.py\nfrom pkg.markup import Text\n\n\ndef to_t$0ext(obj):\n    try:\n        text = Text(obj)\n    except Exception:\n        text = Text(repr(obj))\n    return text\n\n\ndef render(headers):\n    texts = [to_text(h) for h in headers]\n    return \" | \".join([h.center(5) for h in texts])\n//- /pkg/markup.py\nclass Text(str):\n    def center(self, width):\n        return self\nTARGET";

#[test]
fn a_function_typed_by_a_local_moves_and_its_result_reads_the_same() {
    // Tester 22 case 06: `h.center` is `Text.center` before and after.
    check_move(
        &TABLE.replace("TARGET", ""),
        "pkg/text.py",
        expect![[r#"
            //- /pkg/table.py
            from pkg.text import to_text


            def render(headers):
                texts = [to_text(h) for h in headers]
                return " | ".join([h.center(5) for h in texts])
            //- /pkg/text.py (new)
            from pkg.markup import Text


            def to_text(obj):
                try:
                    text = Text(obj)
                except Exception:
                    text = Text(repr(obj))
                return text
        "#]],
    );
}

#[test]
fn a_local_whose_value_means_something_else_in_the_target_stays_refused() {
    // Twin: the target binds `Text` to another class: `h.center` would change.
    check_move(
        &TABLE.replace("TARGET", "//- /pkg/text.py\nclass Text(bytes):\n    def center(self, width):\n        return self\n"),
        "pkg/text.py",
        expect!["refused: `Text` means something else in `pkg.text` (at pkg/text.py:1) than the moved code reads"],
    );
}
