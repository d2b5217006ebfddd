//! Fixture tests: a call with a `$0` cursor and the expected signatures,
//! the active parameter in brackets and the active signature marked `>`.

use expect_test::{Expect, expect};

use super::*;
use crate::ide::fixture;

fn render(help: &SignatureHelp) -> String {
    let mut out = String::new();
    for (i, signature) in help.signatures.iter().enumerate() {
        let mut label = signature.label.clone();
        if let Some((start, end)) = signature.active_parameter.and_then(|p| signature.parameters.get(p).copied()) {
            label.insert(end, ']');
            label.insert(start, '[');
        }
        let marker = if i == help.active_signature { ">" } else { " " };
        out.push_str(&format!("{marker} {label}\n"));
        if let Some(doc) = &signature.documentation {
            out.push_str(&format!("  {doc}\n"));
        }
    }
    out
}

fn check(fixture: &str, expected: Expect) {
    let (graph, file, offset) = fixture::graph(fixture);
    let help = signature_help(&graph, file, offset);
    expected.assert_eq(&help.as_ref().map(render).unwrap_or_else(|| "none\n".to_owned()));
}

const PRICING: &str = r#"
//- /pricing.py
def total(items: list[int], shipping: int = 0, *extra, currency: str = "EUR", **options) -> int:
    """Sum plus shipping."""
    return 0
"#;

#[test]
fn positional_arguments() {
    check(
        &format!("{PRICING}//- /app.py\nfrom pricing import total\ntotal([1], $0"),
        expect![[r#"
            > total(items: list[int], [shipping: int = 0], *extra, currency: str = "EUR", **options) -> int
              Sum plus shipping.
        "#]],
    );
    check(
        &format!("{PRICING}//- /app.py\nfrom pricing import total\ntotal($0)"),
        expect![[r#"
            > total([items: list[int]], shipping: int = 0, *extra, currency: str = "EUR", **options) -> int
              Sum plus shipping.
        "#]],
    );
}

#[test]
fn star_args_and_keywords() {
    check(
        &format!("{PRICING}//- /app.py\nimport pricing\npricing.total([1], 2, 3, 4$0"),
        expect![[r#"
            > total(items: list[int], shipping: int = 0, [*extra], currency: str = "EUR", **options) -> int
              Sum plus shipping.
        "#]],
    );
    check(
        &format!("{PRICING}//- /app.py\nimport pricing\npricing.total([1], currency=$0"),
        expect![[r#"
            > total(items: list[int], shipping: int = 0, *extra, [currency: str = "EUR"], **options) -> int
              Sum plus shipping.
        "#]],
    );
    check(
        &format!("{PRICING}//- /app.py\nimport pricing\npricing.total([1], rounding=$0"),
        expect![[r#"
            > total(items: list[int], shipping: int = 0, *extra, currency: str = "EUR", [**options]) -> int
              Sum plus shipping.
        "#]],
    );
}

#[test]
fn constructor_shows_init_without_self_through_the_bases() {
    check(
        r#"
//- /models.py
class Item:
    def __init__(self, name: str, cents: int) -> None:
        """Make an item."""

class Book(Item):
    pass
//- /app.py
from models import Book
Book("x", $0
"#,
        expect![[r#"
            > Book(name: str, [cents: int]) -> None
              Make an item.
        "#]],
    );
}

#[test]
fn methods_on_self_and_on_the_class() {
    let fixture = r#"
//- /cart.py
class Cart:
    def add(self, item, quantity=1):
        pass

    def fill(self):
        self.add(1, $0)
"#;
    check(
        fixture,
        expect![[r#"
            > add(item, [quantity=1])
        "#]],
    );
    check(
        r#"
//- /cart.py
class Cart:
    def add(self, item, quantity=1):
        pass

Cart.add(cart, $0)
"#,
        expect![[r#"
            > add(self, [item], quantity=1)
        "#]],
    );
    check(
        r#"
//- /cart.py
class Cart:
    def add(self, item, quantity=1):
        pass

cart = Cart()
cart.add(1, $0)
"#,
        expect![[r#"
            > add(item, [quantity=1])
        "#]],
    );
}

#[test]
fn overloads_are_separate_signatures() {
    check(
        r#"
//- /conv.py
from typing import overload

@overload
def conv(x: int) -> int: ...
@overload
def conv(x: str, strict: bool) -> str: ...
def conv(x, strict=False):
    return x
//- /app.py
from conv import conv
conv("a", $0
"#,
        expect![[r#"
              conv(x: int) -> int
            > conv(x: str, [strict: bool]) -> str
        "#]],
    );
}

#[test]
fn nothing_outside_calls_or_for_unknown_callees() {
    check(&format!("{PRICING}//- /app.py\nfrom pricing import total\nx = [1, $0"), expect!["none\n"]);
    check(&format!("{PRICING}//- /app.py\nunknown(1, $0"), expect!["none\n"]);
    check(&format!("{PRICING}//- /app.py\ndef f(a, $0"), expect!["none\n"]);
}

#[test]
fn calls_outside_the_workspace_show_what_the_stubs_declare() {
    let stubs = "//- /typeshed/typing.pyi\ndef overload(f): ...\n//- /typeshed/weakref.pyi\nclass ReferenceType:\n    def __new__(cls, o: object, callback=None, /) -> Self: ...\nref = ReferenceType\n//- /typeshed/os/__init__.pyi\nfrom typing import overload\ndef getenv(key: str, default: str | None = None) -> str | None:\n    \"\"\"An environment variable.\"\"\"\n@overload\ndef fspath(path: str) -> str: ...\n@overload\ndef fspath(path: bytes) -> bytes: ...\n";
    check(
        &format!("{stubs}//- /app.py\nimport os\nos.getenv('HOME', $0)\n"),
        expect![[r#"
            > getenv(key: str, [default: str | None = None]) -> str | None
              An environment variable.
        "#]],
    );
    check(
        &format!("{stubs}//- /app.py\nfrom os import fspath\nfspath($0)\n"),
        expect![[r#"
            > fspath([path: str]) -> str
              fspath([path: bytes]) -> bytes
        "#]],
    );
    // A class through an alias: its `__new__` without `cls`.
    check(
        &format!("{stubs}//- /app.py\nimport weakref\nweakref.ref(self, $0)\n"),
        expect![[r#"
            > ref(o: object, [callback=None], /) -> Self
        "#]],
    );
    // Without the stubs, nothing.
    check("//- /app.py\nimport os\nos.getenv('HOME', $0)\n", expect!["none\n"]);
}

#[test]
fn library_calls_show_the_installed_signatures() {
    let library = crate::ide::fixture::LIBRARY;
    check(
        &format!("{library}//- /app.py\nimport os\nos.path.join('a', $0)\n"),
        expect![[r#"
            > join(a: str, [*paths: str]) -> str
              Join two or more pathname components.
        "#]],
    );
    check(
        &format!("{library}//- /app.py\nimport requests\nrequests.get('u', $0)\n"),
        expect![[r#"
            > get(url, [params=None], **kwargs)
              Sends a GET request.

            :param url: URL for the new Request object.
        "#]],
    );
}

#[test]
fn a_callable_library_object_shows_its_call() {
    let fixture = "//- /site-packages/arr/__init__.pyi\nclass _Maker:\n    def __call__(self, shape: int, dtype: str = 'f') -> list[int]: ...\nzeros: _Maker\n//- /app.py\nimport arr\narr.zeros($0)\n";
    check(
        fixture,
        expect![[r#"
        > zeros([shape: int], dtype: str = 'f') -> list[int]
    "#]],
    );
}
