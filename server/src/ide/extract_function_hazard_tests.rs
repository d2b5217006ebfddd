//! What the copies a new function holds of its caller's variables, the
//! frame it adds and the name it takes could change, each refused (or
//! done exactly) with a twin that must still extract.

use expect_test::expect;

use super::{check, verdicts};
use crate::ide::edits::apply;
use crate::ide::extract_function::extract_function;
use crate::ide::fixture::selected;

#[test]
fn a_name_bound_again_in_a_loop_is_returned_for_the_next_turn() {
    check(
        "def digits(pools, index):\n    out = []\n    for n in pools:\n        «out.append(index % n)\n        index //= n»\n    return out\n",
        expect![[r#"
            def digits(pools, index):
                out = []
                for n in pools:
                    index = _extracted(out, index, n)
                return out


            def _extracted(out, index, n):
                out.append(index % n)
                index //= n
                return index
        "#]],
    );
}

#[test]
fn a_decorated_function_or_a_class_gets_the_new_function_before_it_since_it_may_run_first() {
    check(
        "def call_now(f):\n    f()\n    return f\n\n\n# runs on import\n@call_now\ndef setup():\n    «x = 1\n    print(x)»\n",
        expect![[r#"
            def call_now(f):
                f()
                return f


            def _extracted():
                x = 1
                print(x)


            # runs on import
            @call_now
            def setup():
                _extracted()
        "#]],
    );
}

#[test]
fn new_and_init_subclass_are_bound_to_the_class_and_an_unknown_decorator_gets_a_plain_function() {
    check(
        "class P:\n    def __new__(cls, v):\n        obj = super().__new__(cls)\n        «obj.v = v * 2»\n        return obj\n",
        expect![[r#"
            class P:
                def __new__(cls, v):
                    obj = super().__new__(cls)
                    cls.__extracted(obj, v)
                    return obj

                @classmethod
                def __extracted(cls, obj, v):
                    obj.v = v * 2
        "#]],
    );
    let cases = [
        "class B:\n    def __init_subclass__(cls, tag='x', **kw):\n        «name = cls.__name__ + tag»\n        print(name)\n",
        // It may call the method with another first argument: `self` is passed to a plain function.
        "class A:\n    @some.wrap\n    def m(self, x):\n        «print(self.y + x)»\n",
        "class A:\n    @property\n    def m(self):\n        «print(self.y)»\n",
        // Python does not make `__x` private to a class named `_`.
        "class _:\n    def m(self):\n        «print(self.y)»\n",
    ];
    expect![[r#"
        [
            "EXTRACTED name = cls.__extracted(tag)",
            "EXTRACTED _extracted(self, x)",
            "EXTRACTED self.__extracted()",
            "its class's name is all underscores, so Python would not make the new method private to it",
        ]
    "#]]
    .assert_debug_eq(&verdicts(&cases));
}

#[test]
fn a_variable_shared_with_a_closure_the_selection_may_call_is_refused_and_its_twin_extracted() {
    let cases = [
        // `bump` rebinds `total`: the new function would print its stale copy.
        "def f():\n    total = 0\n    def bump():\n        nonlocal total\n        total += 1\n    «bump()\n    print(total)»\n",
        "def f():\n    total = 0\n    def bump():\n        nonlocal total\n        total += 1\n    bump()\n    «shown = total * 2»\n    return shown\n",
        // `show` reads `x`: it would see the old value while the selection runs.
        "def f():\n    x = 1\n    def show():\n        print(x)\n    «x = 2\n    show()»\n",
        "def f():\n    x = 1\n    def show():\n        print(x)\n    «x = 2»\n    show()\n",
        // At module level: a function declaring the global.
        "state = 0\ndef bump():\n    global state\n    state += 1\n«bump()\nstate = state + 1»\nprint(state)\n",
        "state = 0\ndef bump():\n    global state\n    state += 1\nbump()\n«state = state + 1»\nprint(state)\n",
        // A function defined after the selection cannot run in it.
        "«counter = len('ab')»\ndef show():\n    print(counter)\n",
        "def show():\n    print(counter)\n«counter = len('ab')»\n",
        // A variable of the function around: bound before the nested one is defined, or not.
        "def outer():\n    def inner(c):\n        «if c:\n            print(v)»\n    inner(False)\n    v = 1\n",
        "def outer():\n    v = 1\n    def inner(c):\n        «if c:\n            print(v)»\n    inner(False)\n",
    ];
    expect![[r#"
        [
            "`total` is shared with a function defined outside the selection (it rebinds it), which code in the selection may call: in a function of its own the selection would work on a copy",
            "EXTRACTED shown = _extracted(total)",
            "`x` is shared with a function defined outside the selection (it reads it), which code in the selection may call: in a function of its own the selection would work on a copy",
            "EXTRACTED x = _extracted()",
            "`state` is shared with a function defined outside the selection (it rebinds it), which code in the selection may call: in a function of its own the selection would work on a copy",
            "EXTRACTED state = _extracted(state)",
            "EXTRACTED counter = _extracted()",
            "`counter` is shared with a function defined outside the selection (it reads it), which code in the selection may call: in a function of its own the selection would work on a copy",
            "`v`, a variable of the function around, may be unbound when the selection runs",
            "EXTRACTED _extracted(c, v)",
        ]
    "#]]
    .assert_debug_eq(&verdicts(&cases));
}

#[test]
fn a_binding_an_exception_would_lose_and_an_unbinding_that_would_move_are_refused_and_their_twins_extracted() {
    let cases = [
        // A `try` around catches what `g()` raises, then reads the `x` bound before it.
        "def f(g):\n    x = 0\n    try:\n        «x = 1\n        g()»\n    except ValueError:\n        print(x)\n",
        "def f(g):\n    x = 0\n    try:\n        «g()\n        x = 1»\n    except ValueError:\n        print(x)\n",
        // So may a `with` that swallows exceptions; not `open(...)`.
        "import contextlib\ndef f(g):\n    x = 0\n    with contextlib.suppress(KeyError):\n        «x = 1\n        g()»\n    print(x)\n",
        "def f(g, p):\n    x = 0\n    with open(p) as fh:\n        «x = 1\n        g(fh)»\n    print(x)\n",
        // The whole `with`: the body may stop before it binds `x`, which then keeps its value.
        "import contextlib\ndef f(g):\n    «with contextlib.suppress(KeyError):\n        g()\n        x = 1»\n    print(x)\n",
        "import contextlib\ndef f(g):\n    x = 0\n    «with contextlib.suppress(KeyError):\n        g()\n        x = 1»\n    print(x)\n",
        // A conditional `del` before: `z` may be unbound, and `flag or z` may not read it.
        "def f(flag):\n    z = 3\n    if flag:\n        del z\n    print(«flag or z»)\n",
        "def f(flag):\n    z = 3\n    print(«flag or z»)\n",
        // `except ... as e` unbinds `e` at the end of the handler.
        "def f():\n    e = 'before'\n    «try:\n        1 / 0\n    except ZeroDivisionError as e:\n        pass»\n    print(e)\n",
        "def f():\n    «try:\n        1 / 0\n    except ZeroDivisionError as e:\n        print(e)»\n    print('done')\n",
        // A `del` of the caller's variable would only delete the new function's copy.
        "def f():\n    r = object()\n    «del r»\n    print('after')\n",
        "def f():\n    «r = object()\n    del r»\n    print('after')\n",
    ];
    expect![[r#"
        [
            "a `try` or `with` around it may catch an exception raised in it after it bound `x`, and read it: from a function of its own, that binding would be lost",
            "EXTRACTED x = _extracted(g)",
            "a `try` or `with` around it may catch an exception raised in it after it bound `x`, and read it: from a function of its own, that binding would be lost",
            "EXTRACTED x = _extracted(g, fh)",
            "`x` is bound only on some paths of the selection and read after it",
            "EXTRACTED x = _extracted(g, x)",
            "`z` may be unbound where the selection starts (bound only on some paths before it, or deleted)",
            "EXTRACTED print(_extracted(flag, z))",
            "`except ... as e` unbinds `e` at the end of its handler, and the code after the selection reads it",
            "EXTRACTED _extracted()",
            "it deletes `r`, which would stay bound in the function around it (and its value alive) until that returns",
            "EXTRACTED _extracted()",
        ]
    "#]]
    .assert_debug_eq(&verdicts(&cases));
}

#[test]
fn code_that_looks_at_the_stack_is_refused_and_its_twin_extracted() {
    let cases = [
        "import warnings\ndef f(x):\n    «warnings.warn('old', DeprecationWarning, stacklevel=2)»\n    return x\n",
        "import warnings\ndef f(x):\n    «warnings.warn('old', DeprecationWarning)»\n    return x\n",
        "import logging\nlog = logging.getLogger()\ndef f(x):\n    «log.info('x %s', x)»\n",
        "import logging\nlog = logging.getLogger()\ndef f(x):\n    «print('x', x)»\n",
        "import sys\ndef f():\n    «name = sys._getframe().f_code.co_name»\n    return name\n",
        "import inspect\ndef f():\n    «caller = inspect.stack()[1]»\n    return caller\n",
    ];
    expect![[r#"
        [
            "it passes `warn()` a stack level, which counts the frames above it: the new function is one more",
            "EXTRACTED _extracted()",
            "it logs with `log.info()`, whose record names the function and line it is called from (`%(funcName)s`, `%(lineno)d`)",
            "EXTRACTED _extracted(x)",
            "it calls `_getframe()`, which looks at the call stack: the new function is one more frame",
            "it calls `stack()`, which looks at the call stack: the new function is one more frame",
        ]
    "#]]
    .assert_debug_eq(&verdicts(&cases));
}

#[test]
fn a_new_name_can_neither_override_a_method_nor_be_exported_by_import_star() {
    let extract = |marked: &str, name: &str| {
        let (text, selection) = selected(marked);
        extract_function(&text, selection, Some(name))
            .map(|e| apply(&text, &e.replacements).lines().find(|l| l.contains(name)).unwrap_or_default().trim().to_owned())
    };
    let method = "import collections\nclass D(collections.UserDict):\n    def total(self):\n        «s = sum(self.data.values())»\n        return s\n";
    let module = "def f(x):\n    «print(x)»\n";
    let listed = "__all__ = ['f']\n\n\ndef f(x):\n    «print(x)»\n";
    let shown = [
        extract(method, "__len__"),
        extract(method, "helper"),
        extract(method, "__helper"),
        extract(module, "show"),
        extract(module, "_show"),
        extract(listed, "show"),
    ];
    expect![[r#"
        [
            Err(
                "a method `__len__` could override a base class's or be overridden by a subclass's, in another file; name it `__len`, private to its class",
            ),
            Err(
                "a method `helper` could override a base class's or be overridden by a subclass's, in another file; name it `__helper`, private to its class",
            ),
            Ok(
                "s = self.__helper()",
            ),
            Err(
                "`from ... import *` would take a new public function `show` (the module has no `__all__`); name it `_show`",
            ),
            Ok(
                "_show(x)",
            ),
            Ok(
                "show(x)",
            ),
        ]
    "#]]
    .assert_debug_eq(&shown);
}
