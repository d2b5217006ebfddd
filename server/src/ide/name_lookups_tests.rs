use expect_test::{Expect, expect};

use crate::ide::fixture::{self, ROOT};
use crate::ide::rename;
use crate::ide::signature_change::tests::check;

/// Renames the parameter at `$0` to `new` and shows every edited file, or the refusal.
fn check_rename(workspace: &str, new: &str, expected: Expect) {
    let (graph, file, offset) = fixture::graph(workspace);
    let shown = match rename::rename(&graph, file, offset, new) {
        Ok(edits) => edits
            .iter()
            .map(|e| {
                let entry = graph.file(e.file).unwrap();
                format!("//- {}\n{}", entry.path.strip_prefix(ROOT).unwrap().display(), rename::apply(entry.text(), &e.replacements))
            })
            .collect::<String>(),
        Err(why) => format!("refused: {why}\n"),
    };
    expected.assert_eq(&shown);
}

const GREETER: &str = r#"
//- /app/greet.py
class Greeter:
    def greet(self, $0name, punct="!"):
        return "hi " + name + punct

def use(g):
    return g.greet(CALL)
"#;

#[test]
fn a_parameter_passed_by_keyword_at_a_call_on_an_unknown_receiver_is_not_renamed() {
    check_rename(
        &GREETER.replace("CALL", "name=\"bob\""),
        "who",
        expect![[r#"
        refused: `.greet` is called at app/greet.py:6 on a value whose type is unknown, which may be this method, and passes `name` by keyword or `**kwargs`: that call cannot be updated; rename refused
    "#]],
    );
    check_rename(
        &GREETER.replace("CALL", "\"amy\", **kw"),
        "who",
        expect![[r#"
        refused: `.greet` is called at app/greet.py:6 on a value whose type is unknown, which may be this method, and passes `name` by keyword or `**kwargs`: that call cannot be updated; rename refused
    "#]],
    );
}

#[test]
fn a_parameter_passed_by_position_at_a_call_on_an_unknown_receiver_is_renamed() {
    check_rename(
        &GREETER.replace("CALL", "\"bob\""),
        "who",
        expect![[r#"
        //- app/greet.py
        class Greeter:
            def greet(self, who, punct="!"):
                return "hi " + who + punct

        def use(g):
            return g.greet("bob")
    "#]],
    );
}

#[test]
fn a_parameter_passed_by_keyword_through_a_literal_getattr_is_not_renamed() {
    let through = GREETER.replace("g.greet(CALL)", "getattr(g, \"greet\")(name=\"zed\")");
    check_rename(
        &through,
        "who",
        expect![[r#"
        refused: app/greet.py:6 looks up `greet` by a string and calls it with `name` by keyword or `**kwargs`: the rename cannot follow it; rename refused
    "#]],
    );
    check_rename(
        &through.replace("name=\"zed\"", "\"zed\""),
        "who",
        expect![[r#"
        //- app/greet.py
        class Greeter:
            def greet(self, who, punct="!"):
                return "hi " + who + punct

        def use(g):
            return getattr(g, "greet")("zed")
    "#]],
    );
}

const OPS: &str = r#"
//- /app/ops.py
def $0sub(a, b):
    return a - b
//- /main.py
from app import ops

def run(n):
    return LOOKUP, ops.sub(8, 2)
"#;

#[test]
fn a_function_its_module_looks_up_by_name_elsewhere_keeps_its_signature() {
    check(
        &OPS.replace("LOOKUP", "getattr(ops, n)(8, 2)"),
        "(b, a)",
        false,
        expect![[r#"
            refused: main.py:4 looks up a global of `app.ops` by a name computed at run time, which may be `sub`: the calls made through it cannot be updated
        "#]],
    );
    check(
        &OPS.replace("LOOKUP", "vars(ops)[\"sub\"](8, 2)"),
        "(b, a)",
        false,
        expect![[r#"
        refused: main.py:4 looks up `sub` by a name in a string, where the calls made through it cannot be updated
    "#]],
    );
    check(
        &OPS.replace("LOOKUP", "ops.__dict__[\"su\" + n](8, 2)"),
        "(b, a)",
        false,
        expect![[r#"
            refused: main.py:4 looks up a global of `app.ops` by a name computed at run time, which may be `sub`: the calls made through it cannot be updated
        "#]],
    );
}

#[test]
fn a_lookup_on_another_module_or_by_another_name_does_not_stop_the_change() {
    let other = OPS.replace("from app import ops", "from app import ops\nimport os");
    check(
        &other.replace("LOOKUP", "getattr(os, n)"),
        "(b, a)",
        false,
        expect![[r#"
        //- main.py
        from app import ops
        import os

        def run(n):
            return getattr(os, n), ops.sub(2, 8)
    "#]],
    );
    check(
        &OPS.replace("LOOKUP", "ops.__dict__[\"div_\" + n]"),
        "(b, a)",
        false,
        expect![[r#"
        //- main.py
        from app import ops

        def run(n):
            return ops.__dict__["div_" + n], ops.sub(2, 8)
    "#]],
    );
}

#[test]
fn a_renamed_parameter_of_a_function_looked_up_by_a_string_is_refused() {
    let ops = OPS.replace("def $0sub(a, b)", "def sub($0a, b)");
    check_rename(
        &ops.replace("LOOKUP", "vars(ops)[\"sub\"](b=1, a=9)"),
        "x",
        expect![[r#"
        refused: main.py:4 looks up `sub` by a name in a string, where the calls made through it cannot be updated; rename refused
    "#]],
    );
}

const VISITOR: &str = r#"
//- /app/visitor.py
class NodeVisitor:
    def visit(self, node, *args):
        f = getattr(self, "visit_" + type(node).__name__, None)
        return f(node, *args)
//- /app/compiler.py
from app.visitor import NodeVisitor

class Compiler(NodeVisitor):
    def $0visit_Name(self, node, frame):
        return frame
"#;

#[test]
fn a_method_its_base_class_looks_up_by_a_computed_name_keeps_its_signature() {
    check(
        VISITOR,
        "(self, frame, node)",
        false,
        expect![[r#"
        refused: app/visitor.py:3 looks up `visit_Name` by a name computed at run time, where the calls made through it cannot be updated
    "#]],
    );
}

#[test]
fn a_computed_lookup_in_an_unrelated_class_does_not_stop_the_change() {
    check(&VISITOR.replace("(NodeVisitor)", ""), "(self, frame, node)", false, expect![[r#""#]]);
}

const ITERATED: &str = r#"
//- /app/fields.py
class Field:
    def options(self, option_name):
        return [f for f in LOOKUP if f.startswith("a")]

    def get_value(self, o$0bj, attr):
        return obj, attr


def use():
    return Field().get_value(obj=1, attr="real")
"#;

#[test]
fn a_computed_lookup_only_iterated_calls_nothing_and_does_not_stop_a_parameter_rename() {
    // Tester 22 case 09 (marshmallow `for field in getattr(self.root, option_name, set())`).
    check_rename(
        &ITERATED.replace("LOOKUP", "getattr(self, option_name, ())"),
        "target",
        expect![[r#"
            //- app/fields.py
            class Field:
                def options(self, option_name):
                    return [f for f in getattr(self, option_name, ()) if f.startswith("a")]

                def get_value(self, target, attr):
                    return target, attr


            def use():
                return Field().get_value(target=1, attr="real")
        "#]],
    );
    check_rename(
        &ITERATED.replace("LOOKUP", "getattr(self.root, option_name)"),
        "target",
        expect![[r#"
            //- app/fields.py
            class Field:
                def options(self, option_name):
                    return [f for f in getattr(self.root, option_name) if f.startswith("a")]

                def get_value(self, target, attr):
                    return target, attr


            def use():
                return Field().get_value(target=1, attr="real")
        "#]],
    );
    // Must still refuse: the lookup's value handed on (it may be called).
    let handed = ITERATED.replace("[f for f in LOOKUP if f.startswith(\"a\")]", "run(getattr(self, option_name))");
    check_rename(
        &handed,
        "target",
        expect![[r#"
        refused: app/fields.py:3 looks up `get_value` by a name computed at run time, where the calls made through it cannot be updated; rename refused
    "#]],
    );
}
