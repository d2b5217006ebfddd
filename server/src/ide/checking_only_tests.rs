//! A name bound only under `if TYPE_CHECKING:` (or `if False:`) is not
//! there at run time: inline, move and signature change refuse to place
//! code that reads it where it runs, and go ahead where it is bound.

use std::path::Path;

use expect_test::{Expect, expect};

use crate::ide::fixture::{self, ROOT};
use crate::ide::inline_variable::tests::inlined;

/// Inlines at `$0`: the new text of its file, or the refusal.
fn check_inline(fixture: &str, expected: Expect) {
    expected.assert_eq(&inlined(fixture, false));
}

/// Moves the definition at `$0` to `to`: the refusal, or `applied`.
fn check_move(workspace: &str, to: &str, expected: Expect) {
    let (graph, file, offset) = fixture::graph(workspace);
    let shown = match crate::ide::symbol_move::move_symbol(&graph, file, offset, &Path::new(ROOT).join(to)) {
        Ok(_) => "applied\n".to_owned(),
        Err(error) => format!("refused: {error}\n"),
    };
    expected.assert_eq(&shown);
}

/// `pyloom refactor signature m.py:LINE PARAMETERS` on the one file `m.py`:
/// the refusal, or `applied`.
fn check_signature(text: &str, line: usize, parameters: &str, expected: Expect) {
    expected.assert_eq(&signature_outcome(&[("m.py", text)], &format!("m.py:{line}"), parameters));
}

/// `pyloom refactor signature AT PARAMETERS --apply` (`AT` is `FILE:LINE`)
/// over `files` in a scratch folder: the refusal, or `applied`.
pub(crate) fn signature_outcome(files: &[(&str, &str)], at: &str, parameters: &str) -> String {
    let dir = tempfile::tempdir().unwrap();
    for (path, text) in files {
        std::fs::write(dir.path().join(path), text).unwrap();
    }
    match crate::index::refactor::signature(&format!("{}/{at}", dir.path().display()), parameters, true, None) {
        Ok(_) => "applied\n".to_owned(),
        Err(error) => format!("refused: {error}\n"),
    }
}

const MONEY: &str = "//- /lib.py\nfrom decimal import Decimal\n\n\ndef money(x):\n    return Decimal(x) / 100\n";

#[test]
fn an_inlined_body_reading_a_name_the_caller_imports_only_for_type_checkers_is_refused() {
    let refusals: String = ["from typing import TYPE_CHECKING\n\nif TYPE_CHECKING:", "import typing\n\nif typing.TYPE_CHECKING:", "if False:"]
        .iter()
        .map(|guard| inlined(&format!("{MONEY}//- /app.py\n{guard}\n    from decimal import Decimal\nfrom lib import money\n\nprint(mon$0ey(250))\n"), false))
        .collect();
    expect![[r#"
        refused: `Decimal`, which the function reads, is imported where it is called only for type checkers (line 4, under `if TYPE_CHECKING:`): it is not bound there at run time
        refused: `Decimal`, which the function reads, is imported where it is called only for type checkers (line 4, under `if TYPE_CHECKING:`): it is not bound there at run time
        refused: `Decimal`, which the function reads, is imported where it is called only for type checkers (line 2, under `if TYPE_CHECKING:`): it is not bound there at run time
    "#]].assert_eq(&refusals);
    // Must not: an import that runs (also one in `try`) is the same thing at the call.
    check_inline(
        &format!("{MONEY}//- /app.py\ntry:\n    from decimal import Decimal\nexcept ImportError:\n    raise\nfrom lib import money\n\nprint(mon$0ey(250))\n"),
        expect![[r#"
            try:
                from decimal import Decimal
            except ImportError:
                raise

            print(Decimal(250) / 100)
        "#]],
    );
}

#[test]
fn code_moved_into_a_module_that_imports_what_it_reads_only_for_type_checkers_is_refused() {
    let old = "//- /old.py\nfrom decimal import Decimal\n\n\ndef mon$0ey(x):\n    return Decimal(x) / 100\n";
    check_move(
        &format!(
            "{old}//- /target.py\nfrom typing import TYPE_CHECKING\n\nif TYPE_CHECKING:\n    from decimal import Decimal\n\n\ndef zero() -> \"Decimal\":\n    return 0\n"
        ),
        "target.py",
        expect![[r#"
            refused: `Decimal`, which the target binds only for type checkers (under `if TYPE_CHECKING:`), at target.py:4 cannot be updated exactly; the move is refused
        "#]],
    );
    // Bound at run time too, by `else:`: refused for the conditional binding, not as for type checkers only.
    check_move(
        "//- /old.py\nfrom typing import TYPE_CHECKING\n\nif TYPE_CHECKING:\n    from typing_extensions import Protocol\nelse:\n    Protocol = object\n\n\nclass Supports$0LT(Protocol):\n    pass\n",
        "protocols.py",
        expect![[r#"
            refused: `Protocol`, bound at module level both by an import and otherwise, at old.py:4 cannot be updated exactly; the move is refused
        "#]],
    );
    // Must not: the target imports it at run time.
    check_move(
        &format!("{old}//- /target.py\nfrom decimal import Decimal\n\n\ndef zero() -> Decimal:\n    return Decimal(0)\n"),
        "target.py",
        expect![[r#"
            applied
        "#]],
    );
}

#[test]
fn a_new_default_reading_a_name_bound_only_for_type_checkers_is_refused() {
    let module = "from typing import TYPE_CHECKING\n\nif TYPE_CHECKING:\n    from decimal import Decimal\n\n\ndef total(a) -> \"Decimal\":\n    return a\n\n\nprint(total(3))\n";
    check_signature(
        module,
        7,
        "(a, start=Decimal(0))",
        expect![[r#"
            refused: `(a, start=Decimal(0))` reads `Decimal`, which m.py binds only for type checkers (line 4, under `if TYPE_CHECKING:`): it is not bound when the `def` runs
        "#]],
    );
    // An annotation is evaluated when the `def` runs too, unless the module defers annotations.
    check_signature(
        module,
        7,
        "(a, start: Decimal = 0)",
        expect![[r#"
            refused: `(a, start: Decimal = 0)` reads `Decimal`, which m.py binds only for type checkers (line 4, under `if TYPE_CHECKING:`): it is not bound when the `def` runs
        "#]],
    );
    // Must not: a quoted annotation, or one `from __future__ import annotations` never evaluates.
    check_signature(
        module,
        7,
        "(a, start: \"Decimal\" = 0)",
        expect![[r#"
            applied
        "#]],
    );
    check_signature(
        &format!("from __future__ import annotations\n\n{module}"),
        9,
        "(a, start: Decimal = 0)",
        expect![[r#"
            applied
        "#]],
    );
}
