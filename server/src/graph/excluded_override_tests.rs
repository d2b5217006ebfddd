//! Where an `isinstance` test fails, a receiver declared as a base class
//! runs no method of the tested class nor of its subclasses: override
//! dispatch leaves them out (issue 33's break-it case: `if not
//! isinstance(it, Whitespace): it.value` drew an edge to
//! `Whitespace.value`, which raises). The twins: a test that holds still
//! narrows to its class, and where no test fails every override stays.

use expect_test::expect;

use super::runtime_call_tests::check_calls;

/// `Item.render`, overridden by `Whitespace`, `Table` and `Nested` (a
/// `Table`); `$0f(it: Item, ...)` runs `body`.
fn fixture(body: &str) -> String {
    format!(
        "//- /app.py\nclass Item:\n    def render(self): pass\nclass Whitespace(Item):\n    def render(self): pass\nclass Table(Item):\n    def render(self): pass\nclass Nested(Table):\n    def render(self): pass\ndef $0f(it: Item, items: list[Item]):\n{body}\n"
    )
}

#[test]
fn a_failed_isinstance_drops_the_class_and_its_subclasses_from_the_overrides() {
    check_calls(
        &fixture("    if not isinstance(it, Whitespace):\n        it.render()"),
        expect![[r#"
            builtins.isinstance at app.py:10:12
            app.Item.render at app.py:11:12
            app.Table.render at app.py:11:12 (via override)
            app.Nested.render at app.py:11:12 (via override)
        "#]],
        expect![""],
    );
    // The tuple form drops each class, and a subclass of one.
    check_calls(
        &fixture("    for x in items:\n        if not isinstance(x, (Whitespace, Table)):\n            x.render()"),
        expect![[r#"
            builtins.isinstance at app.py:11:16
            app.Item.render at app.py:12:15
        "#]],
        expect![""],
    );
}

#[test]
fn an_early_exit_on_a_test_that_held_drops_the_class_for_the_rest() {
    check_calls(
        &fixture("    if isinstance(it, Whitespace):\n        return None\n    return it.render()"),
        expect![[r#"
            builtins.isinstance at app.py:10:8
            app.Item.render at app.py:12:15
            app.Table.render at app.py:12:15 (via override)
            app.Nested.render at app.py:12:15 (via override)
        "#]],
        expect![""],
    );
    check_calls(
        &fixture("    for x in items:\n        if isinstance(x, Table):\n            continue\n        x.render()"),
        expect![[r#"
            builtins.isinstance at app.py:11:12
            app.Item.render at app.py:13:11
            app.Whitespace.render at app.py:13:11 (via override)
        "#]],
        expect![""],
    );
}

/// The incoming side agrees: the dropped override has no caller there.
#[test]
fn the_dropped_override_lists_no_caller_at_the_narrowed_call() {
    check_calls(
        &fixture("    if not isinstance(it, Table):\n        it.render()\n    it.render()")
            .replacen("class Nested(Table):\n    def render", "class Nested(Table):\n    def ren$0der", 1)
            .replacen("def $0f", "def f", 1),
        expect![""],
        expect![[r#"
            app.f at app.py:12:8 (via override)
        "#]],
    );
}

/// The twins: a test that holds narrows to its class; a test on another
/// name, or none at all, keeps every override.
#[test]
fn a_test_that_holds_or_tests_another_name_keeps_its_overrides() {
    check_calls(
        &fixture("    if isinstance(it, Table):\n        it.render()"),
        expect![[r#"
            builtins.isinstance at app.py:10:8
            app.Table.render at app.py:11:12
            app.Nested.render at app.py:11:12 (via override)
        "#]],
        expect![""],
    );
    check_calls(
        &fixture("    if not isinstance(items, Whitespace):\n        it.render()"),
        expect![[r#"
            builtins.isinstance at app.py:10:12
            app.Item.render at app.py:11:12
            app.Whitespace.render at app.py:11:12 (via override)
            app.Table.render at app.py:11:12 (via override)
            app.Nested.render at app.py:11:12 (via override)
        "#]],
        expect![""],
    );
}
