use expect_test::expect;

use crate::ide::inline_variable::tests::inlined;

fn outcomes(fixtures: &[&str]) -> Vec<String> {
    fixtures.iter().map(|f| inlined(f, true)).collect()
}

#[test]
fn a_body_that_looks_at_the_call_stack_keeps_its_frame() {
    let lib = "//- /lib.py\nimport logging\nimport warnings\n\nlog = logging.getLogger('lib')\n\n\ndef f(x):\n    return BODY\n";
    let call = "//- /main.py\nfrom lib import f\n\n\ndef run():\n    return f$0(1)\n";
    let with = |body: &str| format!("{}{call}", lib.replace("BODY", body));
    let shown = outcomes(&[
        &with("warnings.warn('old', DeprecationWarning, stacklevel=2)"),
        &with("warnings.warn('old')"),
        &with("log.warning('value %s', x)"),
        // Twin: nothing in it looks at a frame.
        &with("print('value', x)"),
    ]);
    expect![[r#"
        [
            "refused: `f` looks at the call stack at lib.py:8 (a stack level, a frame, a log record of where it is called from): inlined, it would run one frame further out\n",
            "refused: `f` looks at the call stack at lib.py:8 (a stack level, a frame, a log record of where it is called from): inlined, it would run one frame further out\n",
            "refused: `f` looks at the call stack at lib.py:8 (a stack level, a frame, a log record of where it is called from): inlined, it would run one frame further out\n",
            "Inline this call of `f`\n\n\ndef run():\n    return print('value', 1)\n",
        ]
    "#]]
    .assert_debug_eq(&shown);
}

#[test]
fn a_private_global_is_refused_where_the_call_is_in_a_class() {
    let module = "__registry = {'a': 1}\n\n\ndef lookup(k):\n    return __registry[k]\n\n\nCALLER";
    let shown = outcomes(&[
        &module.replace("CALLER", "class Service:\n    def get(self, k):\n        return look$0up(k)\n"),
        // Twin: in a module function the name is not mangled.
        &module.replace("CALLER", "def get(k):\n    return look$0up(k)\n"),
    ]);
    expect![[r#"
        [
            "refused: `lookup` reads `__registry` at m.py:5, and the call is in a class, where Python mangles it to `_Class__registry`: another name\n",
            "Inline this call of `lookup`\n__registry = {'a': 1}\n\n\ndef lookup(k):\n    return __registry[k]\n\n\ndef get(k):\n    return __registry[k]\n",
        ]
    "#]]
    .assert_debug_eq(&shown);
}

#[test]
fn a_global_set_from_outside_its_module_is_not_read_through_a_copy() {
    let lib = "//- /lib.py\nMODE = 'a'\n\n\ndef get_mode():\n    return MODE\n";
    let shown = outcomes(&[
        &format!("{lib}//- /main.py\nimport lib\nfrom lib import MODE, get_mode\n\n\ndef run():\n    lib.MODE = 'b'\n    return get_$0mode(), MODE\n"),
        &format!(
            "{lib}//- /main.py\nfrom unittest import mock\nfrom lib import MODE, get_mode\n\nwith mock.patch('lib.MODE', 'b'):\n    print(get_$0mode(), MODE)\n"
        ),
        // Twins: a call in its own module reads the module's global itself;
        // a global nothing sets from outside is the same through an import.
        &format!("{}//- /main.py\nimport lib\n\nlib.MODE = 'b'\n", lib.replace("return MODE\n", "return MODE\n\n\nprint(get_$0mode())\n")),
        &format!("{lib}//- /main.py\nfrom lib import MODE, get_mode\n\nprint(get_$0mode(), MODE)\n"),
    ]);
    expect![[r#"
        [
            "refused: `get_mode` reads `MODE`, which is set or patched on its module from outside (at main.py:6): at a call in another module the import there, a copy, would be read instead\n",
            "refused: `get_mode` reads `MODE`, which is set or patched on its module from outside (at main.py:4): at a call in another module the import there, a copy, would be read instead\n",
            "Inline this call of `get_mode`\nMODE = 'a'\n\n\ndef get_mode():\n    return MODE\n\n\nprint(MODE)\n",
            "Inline this call of `get_mode`\nfrom lib import MODE\n\nprint(MODE, MODE)\n",
        ]
    "#]].assert_debug_eq(&shown);
}
