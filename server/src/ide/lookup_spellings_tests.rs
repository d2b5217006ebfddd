use expect_test::expect;

use crate::ide::rename::tests::check_rename;
use crate::ide::signature_change::tests::check;

/// Every spelling of a lookup of a method by a name computed at run time
/// (tester ref23 cases 03 and 11: mistune dispatches its renderers by
/// `object.__getattribute__(self, token["type"])`).
const COMPUTED: [&str; 9] = [
    "getattr(self, token['type'])",
    "object.__getattribute__(self, token['type'])",
    "self.__getattribute__(token['type'])",
    "type(self).__dict__[token['type']].__get__(self)",
    "vars(type(self))[token['type']].__get__(self)",
    "self.__class__.__dict__.get(token['type']).__get__(self)",
    "operator.attrgetter(token['type'])(self)",
    "inspect.getattr_static(self, token['type']).__get__(self)",
    "operator.methodcaller(token['type'], token, state)",
];

/// `LOOKUP` dispatches in `Base`; `strong` is a method of a subclass in
/// another file (mistune's `BaseRenderer` and `MarkdownRenderer`), or of
/// the same class.
const RENDERER: &str = r#"
//- /core.py
import inspect
import operator


class Base:
    def render_token(self, token, state):
        func = LOOKUP
        return func(token, state)

    def emph(self, token, state):
        return token["raw"]
//- /markdown.py
from core import Base


class Renderer(Base):
    def strong(self, token, state):
        return "**" + token["raw"] + "**" + state["suffix"]


print(Renderer().strong({"raw": "a"}, {"suffix": "!"}), Renderer().emph({"raw": "b"}, None))
"#;

#[test]
fn every_spelling_of_a_computed_lookup_in_a_base_class_keeps_the_signature_and_the_name() {
    for lookup in COMPUTED {
        let workspace = RENDERER.replace("LOOKUP", lookup).replace("def strong", "def $0strong");
        check(
            &workspace,
            "(self, state, token)",
            false,
            expect![[r#"
                refused: core.py:7 looks up `strong` by a name computed at run time, where the calls made through it cannot be updated
            "#]],
        );
        check_rename(
            &workspace,
            "bold",
            expect!["refused: core.py:7 looks up `strong` by a name computed at run time, where it would no longer find it; rename refused"],
        );
    }
}

#[test]
fn every_spelling_of_a_computed_lookup_in_the_own_class_keeps_the_signature_and_the_name() {
    for lookup in COMPUTED {
        let workspace = RENDERER.replace("LOOKUP", lookup).replace("def emph", "def $0emph");
        check(
            &workspace,
            "(self, state, token)",
            false,
            expect![[r#"
                refused: core.py:7 looks up a name computed at run time, which may be `emph`: the calls made through it cannot be updated
            "#]],
        );
        check_rename(
            &workspace,
            "em",
            expect!["refused: core.py:7 looks up a name computed at run time, which may be `emph`: it would no longer find it; rename refused"],
        );
    }
}

#[test]
fn a_computed_lookup_in_an_unrelated_class_or_the_instance_dict_does_not_stop_the_change() {
    let unrelated = RENDERER.replace("class Renderer(Base)", "class Renderer");
    for lookup in COMPUTED {
        let workspace = unrelated.replace("LOOKUP", lookup).replace("def strong", "def $0strong");
        check(
            &workspace,
            "(self, state, token)",
            false,
            expect![[r#"
                //- markdown.py
                from core import Base


                class Renderer:
                    def strong(self, token, state):
                        return "**" + token["raw"] + "**" + state["suffix"]


                print(Renderer().strong(token={"raw": "a"}, state={"suffix": "!"}), Renderer().emph({"raw": "b"}, None))
            "#]],
        );
    }
    // The instance's own namespace holds no method; `hasattr` only tests.
    for lookup in ["vars(self)[token['type']]", "self.__dict__.get(token['type'])", "hasattr(self, token['type'])"] {
        let workspace = RENDERER.replace("LOOKUP", lookup).replace("def emph", "def $0emph");
        check(
            &workspace,
            "(self, state, token)",
            false,
            expect![[r#"
                //- markdown.py
                from core import Base


                class Renderer(Base):
                    def strong(self, token, state):
                        return "**" + token["raw"] + "**" + state["suffix"]


                print(Renderer().strong({"raw": "a"}, {"suffix": "!"}), Renderer().emph(None, {"raw": "b"}))
            "#]],
        );
    }
}

#[test]
fn every_spelling_of_a_lookup_by_a_string_keeps_the_signature_and_the_name() {
    let cases = [
        (
            "object.__getattribute__(self, 'strong')",
            expect![[r#"
            refused: `object.__getattribute__(…, "strong")` at core.py:7 may call it without naming it: that call cannot be updated
        "#]],
            expect![[r#"refused: `object.__getattribute__(…, "strong")` at core.py:7 names `strong` in a string that rename cannot follow; rename refused"#]],
        ),
        (
            "self.__getattribute__('strong')",
            expect![[r#"
            refused: `….__getattribute__("strong")` at core.py:7 may call it without naming it: that call cannot be updated
        "#]],
            expect![[r#"refused: `….__getattribute__("strong")` at core.py:7 names `strong` in a string that rename cannot follow; rename refused"#]],
        ),
        (
            "operator.attrgetter('strong')(self)",
            expect![[r#"
            refused: `attrgetter("strong"…)` at core.py:7 may call it without naming it: that call cannot be updated
        "#]],
            expect![[r#"refused: `attrgetter("strong"…)` at core.py:7 names `strong` in a string that rename cannot follow; rename refused"#]],
        ),
        (
            "inspect.getattr_static(self, 'strong').__get__(self)",
            expect![[r#"
            refused: `getattr_static(…, "strong")` at core.py:7 may call it without naming it: that call cannot be updated
        "#]],
            expect![[r#"refused: `getattr_static(…, "strong")` at core.py:7 names `strong` in a string that rename cannot follow; rename refused"#]],
        ),
        (
            "operator.methodcaller('strong', token, state)",
            expect![[r#"
            refused: `methodcaller("strong"…)` at core.py:7 may call it without naming it: that call cannot be updated
        "#]],
            expect![[r#"refused: `methodcaller("strong"…)` at core.py:7 names `strong` in a string that rename cannot follow; rename refused"#]],
        ),
        (
            "type(self).__dict__.get('strong').__get__(self)",
            expect![[r#"
            refused: `….get("strong")` at core.py:7 may call it without naming it: that call cannot be updated
        "#]],
            expect![[r#"refused: `….get("strong")` at core.py:7 names `strong` in a string that rename cannot follow; rename refused"#]],
        ),
    ];
    for (lookup, signature, rename) in cases {
        let workspace = RENDERER.replace("LOOKUP", lookup).replace("def strong", "def $0strong");
        check(&workspace, "(self, state, token)", false, signature);
        check_rename(&workspace, "bold", rename);
    }
}
