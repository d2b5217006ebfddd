//! A string that patches a function by name (`mock.patch("app.area")`,
//! `mock.patch.object(lib, "area")`) keeps its calls as they are: inline
//! and signature change refuse, and go ahead where no string names it.

use expect_test::{Expect, expect};

use crate::ide::checking_only::tests::signature_outcome;
use crate::ide::inline_variable::tests::inlined;

/// Inlines at `$0`: the new text of its file, or the refusal.
fn check_inline(fixture: &str, expected: Expect) {
    expected.assert_eq(&inlined(fixture, false));
}

/// `pyloom refactor signature lib.py:1 PARAMETERS` over `files`: the
/// refusal, or `applied`.
fn check_signature(files: &[(&str, &str)], parameters: &str, expected: Expect) {
    expected.assert_eq(&signature_outcome(files, "lib.py:1", parameters));
}

const LIB: &str = "//- /lib.py\ndef area(w, h):\n    return w * h\n";

fn with_test(test: &str) -> String {
    format!(
        "{LIB}//- /app.py\nfrom lib import area\n\n\ndef report():\n    return ar$0ea(2, 3)\n//- /test_app.py\nfrom unittest import mock\n\nimport app\nimport lib\n\n{test}\n"
    )
}

#[test]
fn an_inlined_call_of_a_function_a_test_patches_by_name_is_refused() {
    let refusals: String = ["mock.patch(\"lib.area\")", "mock.patch(\"app.area\")", "mock.patch.object(app, \"area\")", "mock.patch.object(lib, \"area\")"]
        .iter()
        .map(|patch| inlined(&with_test(patch), false))
        .collect();
    expect![[r#"
        refused: a string at test_app.py:6 names `area` (a patch or a lookup by name): its calls are meant to go through it
        refused: a string at test_app.py:6 names `area` (a patch or a lookup by name): its calls are meant to go through it
        refused: a string at test_app.py:6 names `area` (a patch or a lookup by name): its calls are meant to go through it
        refused: a string at test_app.py:6 names `area` (a patch or a lookup by name): its calls are meant to go through it
    "#]]
    .assert_eq(&refusals);
    // Must not: a string naming something else, or an attribute of an object that is not its module.
    check_inline(
        &with_test("mock.patch(\"lib.area_of\")\nmock.patch(\"other.area\")\nmock.patch.object(mock, \"area\")"),
        expect![[r#"


            def report():
                return 2 * 3
        "#]],
    );
}

const AREA: (&str, &str) = ("lib.py", "def area(width, height):\n    return width * height\n");
const APP: (&str, &str) = ("app.py", "from lib import area\n\n\ndef report():\n    return area(2, 3)\n");

#[test]
fn a_signature_change_moving_the_arguments_of_a_patched_function_is_refused() {
    let test = (
        "test_app.py",
        "from unittest import mock\n\nimport app\n\nwith mock.patch(\"app.area\") as m:\n    app.report()\n    m.assert_called_once_with(2, 3)\n",
    );
    check_signature(
        &[AREA, APP, test],
        "(height, width)",
        expect![[r#"
        refused: the signature change is refused; nothing was written:
        - calls of `area` cannot all be updated: a string at test_app.py:5 names `area` (a patch or a lookup by name): a mock there records its calls, whose arguments the change would move
    "#]],
    );
    // Must not: a change no call can tell apart, or a patch of something else.
    check_signature(
        &[AREA, APP, test],
        "(width, height, depth=1)",
        expect![[r#"
        applied
    "#]],
    );
    let other = ("test_app.py", "from unittest import mock\n\nwith mock.patch(\"app.report\"):\n    pass\n");
    check_signature(
        &[AREA, APP, other],
        "(height, width)",
        expect![[r#"
        applied
    "#]],
    );
}
