//! What the copies a new function holds of its caller's variables, the
//! frame it adds and the name it takes could change, each refused (or
//! done exactly) with a twin that must still extract.

use expect_test::expect;

use super::{check, verdicts};
use crate::ide::edits::apply;
use crate::ide::extract_function::{extract_function, shadows_submodule};
use crate::ide::fixture::selected;
use ruff_python_ast::PySourceType;

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
fn a_method_s_code_becomes_a_module_function_given_self_where_no_private_name_or_super_needs_its_class() {
    check(
        "class Cart:\n    def total(self, tax):\n        «net = sum(self.items)\n        gross = net * tax»\n        return gross\n",
        expect![[r#"
            def _extracted(self, tax):
                net = sum(self.items)
                gross = net * tax
                return gross


            class Cart:
                def total(self, tax):
                    gross = _extracted(self, tax)
                    return gross
        "#]],
    );
    let cases = [
        "class P:\n    def __new__(cls, v):\n        obj = super().__new__(cls)\n        «obj.v = v * 2»\n        return obj\n",
        "class B:\n    def __init_subclass__(cls, tag='x', **kw):\n        «name = tag + cls.__name__»\n        print(name)\n",
        // A runtime `Protocol` checks its members with `isinstance`: the class gets none.
        "from typing import Protocol, runtime_checkable\n@runtime_checkable\nclass P(Protocol):\n    def m(self):\n        «print(self)»\n",
        // Outside the class these would mean something else.
        "class A:\n    def m(self):\n        «print(self.__y)»\n",
        "class A(dict):\n    def m(self):\n        «super().clear()»\n",
    ];
    expect![[r#"
        [
            "EXTRACTED _extracted(obj, v)",
            "EXTRACTED name = _extracted(cls, tag)",
            "EXTRACTED _extracted(self)",
            "`__y` is a private name of its class: outside it, it means another",
            "it calls `super()`, which sees the function it runs in",
        ]
    "#]]
    .assert_debug_eq(&verdicts(&cases));
}

#[test]
fn code_that_reads_its_function_s_variables_by_name_or_defines_a_function_or_class_is_refused_and_its_twin_extracted() {
    let cases = [
        // `locals()` after it would miss `full`, `eval` would not find `b`.
        "def f(first, last):\n    «full = first + ' ' + last»\n    return '{full}!'.format(**locals())\n",
        "def f(first, last):\n    «full = first + ' ' + last»\n    return '{}!'.format(full)\n",
        "def f(a):\n    «b = a + 1»\n    return eval('b * 10')\n",
        // A `def` or `class` would get another `__qualname__`.
        "def f():\n    «def g():\n        return 1\n    print(g())»\n",
        "def f():\n    «class C:\n        pass\n    print(C)»\n",
        "def f(xs):\n    «key = lambda v: -v»\n    return sorted(xs, key=key), key.__qualname__\n",
        "def f():\n    «g = 1\n    print(g)»\n",
    ];
    expect![[r#"
        [
            "its function calls `locals()`, which sees the function's variables by name: those moved to the new function would be missing",
            "EXTRACTED full = _extracted(first, last)",
            "its function calls `eval()`, which sees the function's variables by name: those moved to the new function would be missing",
            "it defines `g`: inside the new function its qualified name would change (`repr`, pickling)",
            "it defines `C`: inside the new function its qualified name would change (`repr`, pickling)",
            "it defines a `lambda`: inside the new function its qualified name would change (`repr`, pickling)",
            "EXTRACTED _extracted()",
        ]
    "#]]
    .assert_debug_eq(&verdicts(&cases));
}

#[test]
fn module_code_that_annotates_or_binds_while_running_other_code_is_refused_and_its_twin_extracted() {
    let cases = [
        // `__annotations__` would lose `x`.
        "«x: int = 1»\nprint(x)\n",
        "«x = 1»\nprint(x)\n",
        "def f():\n    «x: int = 1»\n    print(x)\n",
        // `get` runs while `y` is the new function's variable, not the module's.
        "def get():\n    return globals().get('y')\n«y = 1\nprint(get())»\n",
        "«y = 1\nz = y»\nprint(z)\n",
        // An operator may run a program's code (`__add__`).
        "«y = 1\nz = y + 1»\nprint(z)\n",
        "y = 1\n«print(y)»\n",
    ];
    expect![[r#"
        [
            "it has an annotated module variable, which the module's `__annotations__` would no longer record",
            "EXTRACTED x = _extracted()",
            "EXTRACTED x: int = _extracted()",
            "at module level it binds `y` and runs other code meanwhile (a call, an attribute, an operator, ...), which would not see the module's `y` until the new function returns",
            "EXTRACTED y, z = _extracted()",
            "at module level it binds `y` and runs other code meanwhile (a call, an attribute, an operator, ...), which would not see the module's `y` until the new function returns",
            "EXTRACTED _extracted()",
        ]
    "#]].assert_debug_eq(&verdicts(&cases));
}

#[test]
fn a_name_only_the_selection_binds_stays_its_function_s_variable_and_a_closure_it_makes_sees_later_rebinds() {
    let cases = [
        // Without its binding, `print(x)` before it would read the global.
        "x = 'global'\ndef f():\n    try:\n        print(x)\n    except UnboundLocalError:\n        print('unbound')\n    «x = 1»\n",
        "x = 'global'\ndef f():\n    «y = 1»\n    print(x)\n",
        // `bump` rebinds `x` after the generator is made: a copy would keep 1.
        // (A `lambda` is refused first for its `__qualname__`.)
        "def f():\n    x = 1\n    def bump():\n        nonlocal x\n        x = 2\n    «show = (x for _ in [0])»\n    bump()\n    return next(show)\n",
        "def f():\n    x = 1\n    «show = (x for _ in [0])»\n    return next(show)\n",
        // A nested function may have deleted `y`: passed in, it would be read even when `c` is false.
        "def f(c):\n    y = 1\n    def drop():\n        nonlocal y\n        del y\n    drop()\n    r = «y if c else 'skipped'»\n    print(r)\n",
        "def f(c):\n    y = 1\n    def show():\n        print(y)\n    show()\n    r = «y if c else 'skipped'»\n    print(r)\n",
        // A loop's target is bound before each turn of its body.
        "def f():\n    res = []\n    for i in range(4):\n        «for j in range(4):\n            if j > i:\n                break\n            res.append((i, j))»\n    return res\n",
        "def f():\n    res = []\n    for i in range(4):\n        «print(j)\n        for j in range(4):\n            res.append((i, j))»\n    return res\n",
        // A `case`'s captures are bound in its body.
        "def f(p):\n    match p:\n        case [x, *rest]:\n            «print(x, rest)»\n",
    ];
    expect![[r#"
        [
            "EXTRACTED x = _extracted()",
            "EXTRACTED _extracted()",
            "a function defined in the selection reads `x`, which is bound again after it: moved, it would keep the old value",
            "EXTRACTED show = _extracted(x)",
            "`y` may be unbound where the selection starts (bound only on some paths before it, or deleted)",
            "EXTRACTED r = _extracted(y, c)",
            "EXTRACTED _extracted(i, res)",
            "`j` may be read before the selection binds it, from the loop's previous turn",
            "EXTRACTED _extracted(x, rest)",
        ]
    "#]]
    .assert_debug_eq(&verdicts(&cases));
}

#[test]
fn what_python_reads_elsewhere_or_under_another_name_is_seen() {
    let cases = [
        // `dir()` lists the function's variables, `b` among them.
        "def f(a):\n    «b = a + 1»\n    print(dir())\n",
        "def f(a):\n    «b = a + 1»\n    print(dir(a))\n",
        // The stack and the log record, through an import's or a variable's other name.
        "from inspect import currentframe as cf\ndef f():\n    «name = cf().f_code.co_name»\n    return name\n",
        "import inspect as ins\ndef f():\n    «caller = ins.stack()[1]»\n    return caller\n",
        "import logging\nLOG = logging.getLogger()\ndef f(x):\n    emit = LOG.info\n    «emit('x %s', x)»\n",
        "def f(x):\n    emit = print\n    «emit('x', x)»\n",
        // A closure made before reads `x` after an exception leaves the selection.
        "def f(d, cbs):\n    x = 0\n    cbs.append(lambda: x)\n    «x = 1\n    y = d['missing']»\n    return y\n",
        // `c` rebinds the `x` of `a`, which the selection in `b` reads.
        "def a():\n    x = 1\n    def b():\n        def c():\n            nonlocal x\n            x += 1\n        «c()\n        print(x)»\n    b()\n",
        // A helper of the module looks at its caller's frame.
        "import sys\ndef who():\n    return sys._getframe(1).f_code.co_name\ndef f():\n    «name = who()»\n    return name\n",
        // Mutual recursion; a method of the same name on another object is no recursion.
        "def even(n):\n    «r = n == 0 or odd(n - 1)»\n    return r\ndef odd(n):\n    return n != 0 and even(n - 1)\n",
        "class W:\n    def write(self, s):\n        «self.inner.write(s)»\n",
        // Each level of a recursion would take two frames.
        "def depth(n):\n    if n == 0:\n        return 0\n    «r = depth(n - 1) + 1»\n    return r\n",
        "def depth(n):\n    if n == 0:\n        return 0\n    «r = n + 1»\n    return r\n",
        // Only a function defined in the class has `__class__`.
        "class A:\n    def m(self):\n        «n = __class__.__name__»\n        return n\n",
        // Every case binds `t`, and the last always matches.
        "def f(p):\n    «match p:\n        case 1:\n            t = 'one'\n        case _:\n            t = 'other'»\n    return t\n",
        "def f(p):\n    «match p:\n        case 1:\n            t = 'one'\n        case 2:\n            t = 'two'»\n    return t\n",
        // A default and a comprehension's first iterable are read where they are written.
        "def make(ids):\n    handlers = []\n    for id in ids:\n        «handlers.append((v for v in [id]))»\n    return handlers\n",
        "k = 500\ndef f():\n    «k = 10»\n    g = lambda v, k=k: v * k\n    return g(1)\n",
        "x = [100]\ndef f():\n    x = [1, 2]\n    «y = [x * 2 for x in x]»\n    return y\n",
    ];
    expect![[r#"
        [
            "its function calls `dir()`, which sees the function's variables by name: those moved to the new function would be missing",
            "EXTRACTED _extracted(a)",
            "it calls `currentframe()`, which looks at the call stack: the new function is one more frame",
            "it calls `stack()`, which looks at the call stack: the new function is one more frame",
            "it logs with `LOG.info()`, whose record names the function and line it is called from (`%(funcName)s`, `%(lineno)d`)",
            "EXTRACTED _extracted(emit, x)",
            "`x` is read by a function defined outside the selection, which may run while the selection does or after an exception leaves it: it would not see the new function's copy",
            "`x` is shared with a function defined outside the selection (it rebinds it), which code in the selection may call: in a function of its own the selection would work on a copy",
            "the module looks at the call stack (`sys._getframe()`), which code the selection runs may reach: the new function would be one more frame",
            "it calls `even`, the function it is in: each level of the recursion would take two frames, and deep recursion would reach Python's limit sooner",
            "EXTRACTED _extracted(self, s)",
            "it calls `depth`, the function it is in: each level of the recursion would take two frames, and deep recursion would reach Python's limit sooner",
            "EXTRACTED r = _extracted(n)",
            "it reads `__class__`, which only a function defined in the class has",
            "EXTRACTED t = _extracted(p)",
            "`t` is bound only on some paths of the selection and read after it",
            "EXTRACTED _extracted(handlers, id)",
            "EXTRACTED k = _extracted()",
            "EXTRACTED y = _extracted(x)",
        ]
    "#]]
    .assert_debug_eq(&verdicts(&cases));
}

#[test]
fn a_package_s_new_function_cannot_take_a_submodule_s_name() {
    let package = std::env::temp_dir().join(format!("pyloom-extract-{}", std::process::id())).join("pkg");
    std::fs::create_dir_all(&package).unwrap();
    std::fs::write(package.join("_helpers.py"), "VALUE = 1\n").unwrap();
    let init = package.join("__init__.py");
    let shown = [shadows_submodule(&init, "_helpers"), shadows_submodule(&init, "_other"), shadows_submodule(&package.join("mod.py"), "_helpers")];
    std::fs::remove_dir_all(package.parent().unwrap()).unwrap();
    expect![[r#"
        [
            Some(
                "the package has a submodule `_helpers`, which `from ... import _helpers` would no longer reach; choose another name",
            ),
            None,
            None,
        ]
    "#]]
    .assert_debug_eq(&shown);
}

#[test]
fn the_new_function_goes_after_a_shebang_and_a_coding_cookie() {
    check(
        "#!/usr/bin/env python\n# -*- coding: utf-8 -*-\n«x = 1»\nprint(x)\n",
        expect![[r#"
            #!/usr/bin/env python
            # -*- coding: utf-8 -*-


            def _extracted():
                x = 1
                return x


            x = _extracted()
            print(x)
        "#]],
    );
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
        "state = 0\ndef bump():\n    global state\n    state += 1\nbump()\n«state = 1»\nprint(state)\n",
        // A function defined after the selection cannot run in it.
        "def f():\n    def show():\n        print(counter)\n    «counter = len('ab')»\n    show()\n",
        "def f():\n    «counter = len('ab')»\n    def show():\n        print(counter)\n    show()\n",
        // A variable of the function around: bound before the nested one is defined, or not.
        "def outer():\n    def inner(c):\n        «if c:\n            print(v)»\n    inner(False)\n    v = 1\n",
        "def outer():\n    v = 1\n    def inner(c):\n        «if c:\n            print(v)»\n    inner(False)\n",
    ];
    expect![[r#"
        [
            "`total` is shared with a function defined outside the selection (it rebinds it), which code in the selection may call: in a function of its own the selection would work on a copy",
            "EXTRACTED shown = _extracted(total)",
            "`x` is read by a function defined outside the selection, which may run while the selection does or after an exception leaves it: it would not see the new function's copy",
            "EXTRACTED x = _extracted()",
            "`state` is shared with a function defined outside the selection (it rebinds it), which code in the selection may call: in a function of its own the selection would work on a copy",
            "EXTRACTED state = _extracted()",
            "`counter` is read by a function defined outside the selection, which may run while the selection does or after an exception leaves it: it would not see the new function's copy",
            "EXTRACTED counter = _extracted()",
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
fn a_new_name_can_neither_be_renamed_by_its_class_nor_exported_by_import_star() {
    let extract = |marked: &str, name: &str| {
        let (text, selection) = selected(marked);
        extract_function(&text, PySourceType::Python, selection, Some(name))
            .map(|e| apply(&text, &e.replacements).lines().find(|l| l.contains(name)).unwrap_or_default().trim().to_owned())
    };
    let method = "import collections\nclass D(collections.UserDict):\n    def total(self):\n        «s = sum(self.data.values())»\n        return s\n";
    let module = "def f(x):\n    «print(x)»\n";
    let listed = "__all__ = ['f']\n\n\ndef f(x):\n    «print(x)»\n";
    let starred = "from helpers import *\n__all__ = ['f']\n\n\ndef f(x):\n    «print(x)»\n";
    let shown = [
        extract(method, "__helper"),
        extract(method, "helper"),
        extract(method, "_helper"),
        extract(module, "show"),
        extract(module, "_show"),
        extract(listed, "show"),
        // Python reads `ﬁ` as `fi`.
        extract(module, "_ﬁ"),
        // A module's dunder names mean something to Python.
        extract(module, "__getattr__"),
        // `*` may have brought a `process` that the new one would replace.
        extract(starred, "process"),
        extract(starred, "_process"),
    ];
    expect![[r#"
        [
            Err(
                "inside a class Python renames the call of `__helper` to one private to the class; name it `_helper`",
            ),
            Err(
                "`from ... import *` would take a new public `helper` (the module has no `__all__`); name it `_helper`",
            ),
            Ok(
                "def _helper(self):",
            ),
            Err(
                "`from ... import *` would take a new public `show` (the module has no `__all__`); name it `_show`",
            ),
            Ok(
                "_show(x)",
            ),
            Ok(
                "show(x)",
            ),
            Err(
                "Python reads `_ﬁ` as `_fi` (it normalises names, NFKC); give that spelling",
            ),
            Err(
                "`__getattr__` is a name Python gives a meaning to (a module's `__getattr__`, `__all__`, `__builtins__`, ...); choose a plain one",
            ),
            Err(
                "the module imports `*`, whose names are not listed here: a public `process` could replace one; name it `_process`",
            ),
            Ok(
                "_process(x)",
            ),
        ]
    "#]]
    .assert_debug_eq(&shown);
}

#[test]
fn a_loop_s_else_and_every_break_binding_a_name_bind_it_and_a_path_that_does_not_is_refused() {
    let cases = [
        // The `break` path and the `else` both bind `found`; then the `break` path does not.
        "def f(xs):\n    «for x in xs:\n        if x > 2:\n            found = x\n            break\n    else:\n        found = None»\n    return found\n",
        "def f(xs):\n    «for x in xs:\n        if x > 2:\n            break\n    else:\n        found = None»\n    return found\n",
        // `while ... else` likewise; without an `else` the test may end the loop first.
        "def f(n):\n    i = 0\n    «while i < n:\n        i += 1\n        if i == 10:\n            r = 'ten'\n            break\n    else:\n        r = 'done'»\n    print(i, r)\n",
        "def f(n):\n    i = 0\n    «while i < n:\n        i += 1\n        r = i»\n    print(r)\n",
        // `while True` leaves only by its `break`s; a `del` before one, or a `break` in a `try`, is not followed.
        "def f(it):\n    «while True:\n        u = next(it)\n        if u:\n            break»\n    print(u)\n",
        "def f(it):\n    «while True:\n        u = next(it)\n        if u:\n            del u\n            break»\n    print(u)\n",
        "def f(it):\n    «while True:\n        try:\n            u = next(it)\n            break\n        except ValueError:\n            pass»\n    print(u)\n",
    ];
    expect![[r#"
        [
            "EXTRACTED found = _extracted(xs)",
            "`found` is bound only on some paths of the selection and read after it",
            "EXTRACTED i, r = _extracted(i, n)",
            "`r` is bound only on some paths of the selection and read after it",
            "EXTRACTED u = _extracted(it)",
            "`u` is bound only on some paths of the selection and read after it",
            "`u` is bound only on some paths of the selection and read after it",
        ]
    "#]]
    .assert_debug_eq(&verdicts(&cases));
}

#[test]
fn a_walrus_a_statement_surely_evaluates_binds_and_one_behind_and_or_or_in_a_comprehension_does_not() {
    let cases = [
        "def f(s):\n    «if (m := len(s)) > 2:\n        print('long')»\n    print(m)\n",
        "def f(s):\n    «if s and (m := len(s)) > 2:\n        print('long')»\n    print(m)\n",
        // The test runs before the loop ends.
        "def f(it):\n    n = 0\n    «while (x := next(it, None)) is not None:\n        n += x»\n    print(n, x)\n",
        "def f(it):\n    n = 0\n    «while n < 9 and (x := next(it, None)) is not None:\n        n += x»\n    print(n, x)\n",
        "def f(xs):\n    «ys = [(last := v) * 2 for v in xs]»\n    print(ys, last)\n",
        "def f(s):\n    «if (m := len(s)) > 2:\n        del m»\n    print(m)\n",
    ];
    expect![[r#"
        [
            "EXTRACTED m = _extracted(s)",
            "`m` is bound only on some paths of the selection and read after it",
            "EXTRACTED x, n = _extracted(it, n)",
            "`x` is bound only on some paths of the selection and read after it",
            "`last` is bound only on some paths of the selection and read after it",
            "`m` is bound only on some paths of the selection and read after it",
        ]
    "#]]
    .assert_debug_eq(&verdicts(&cases));
}

#[test]
fn a_global_declaration_moves_with_the_selection_where_its_function_binds_the_name_nowhere_else() {
    check(
        "G = 0\n\n\ndef f():\n    «global G\n    G = G + 1»\n    print(G)\n",
        expect![[r#"
            G = 0


            def f():
                _extracted()
                print(G)


            def _extracted():
                global G
                G = G + 1
        "#]],
    );
    let cases = [
        // Bound outside the selection too: without the declaration it would be a local there.
        "G = 0\ndef f():\n    «global G\n    G = 1»\n    G = 2\n",
        // `nonlocal` names a variable of a function the new one is not in.
        "def o():\n    v = 0\n    def f():\n        «nonlocal v\n        v = 1»\n    f()\n    return v\n",
    ];
    expect![[r#"
        [
            "the selection declares `G` global, which its function also binds outside the selection: there it would become a local",
            "the selection declares `v` nonlocal: in a function of its own it would mean another variable",
        ]
    "#]]
    .assert_debug_eq(&verdicts(&cases));
}

#[test]
fn an_expression_of_a_lambda_in_a_class_body_is_the_lambda_s_and_one_the_class_evaluates_is_refused() {
    check(
        "K = 1\n\n\nclass A:\n    f = staticmethod(lambda a: «a * 2 + K»)\n",
        expect![[r#"
            K = 1


            def _extracted(a):
                return a * 2 + K


            class A:
                f = staticmethod(lambda a: _extracted(a))
        "#]],
    );
    let cases = [
        // A comprehension's first iterable is read in the class body.
        "class A:\n    xs = [1]\n    ys = [x for x in «sorted(xs)»]\n",
        "class A:\n    ys = [«x * 2» for x in range(3)]\n",
        // A private name is renamed for the class.
        "class A:\n    f = lambda self: «self.__x + 1»\n",
        // Inside a function the class body's lambda is left alone.
        "def g():\n    class A:\n        f = staticmethod(lambda a: «a * 2»)\n    return A\n",
    ];
    expect![[r#"
        [
            "it is in a class body: its names are the class's attributes, not a function's variables",
            "EXTRACTED ys = [_extracted(x) for x in range(3)]",
            "`__x` is a private name of its class: outside it, it means another",
            "it is in a class body: its names are the class's attributes, not a function's variables",
        ]
    "#]]
    .assert_debug_eq(&verdicts(&cases));
}

#[test]
fn a_value_the_selection_replaces_that_nothing_else_reads_is_refused_for_its_lifetime_and_its_twins_extracted() {
    let cases = [
        "def f(make):\n    o = make()\n    «o = None\n    print(o)»\n    print('end')\n",
        // A parameter's value its caller holds anyway; a value read before is not dropped by the selection alone.
        "def f(o):\n    «o = None\n    print(o)»\n",
        "def f(make):\n    o = make()\n    print(o)\n    «o = None\n    print(o)»\n",
    ];
    expect![[r#"
        [
            "it binds `o` again, and nothing outside it reads the value `o` held before: left in the function around it, that value would stay alive until the function returns (a `__del__`, a file's flush, a weak reference would come later)",
            "EXTRACTED _extracted()",
            "EXTRACTED _extracted()",
        ]
    "#]]
    .assert_debug_eq(&verdicts(&cases));
}

#[test]
fn a_bare_raise_leaves_its_handler_only_with_the_whole_try() {
    let cases = [
        "def f(g):\n    try:\n        g()\n    except ValueError:\n        «raise»\n",
        "def f(g):\n    «try:\n        g()\n    except ValueError:\n        raise»\n",
    ];
    expect![[r#"
        [
            "it has a bare `raise`, which re-raises the exception of the `except` around it: moved out of the handler, it reads as a `raise` with nothing to raise (PLE0704)",
            "EXTRACTED _extracted(g)",
        ]
    "#]]
    .assert_debug_eq(&verdicts(&cases));
}

#[test]
fn a_name_bound_on_some_paths_and_surely_bound_again_right_after_is_not_returned() {
    let cases = [
        // The next statement binds `label` before anything reads it: the selection's value is read in the selection
        // only (not returned), or nowhere (a dead store, refused for what it is).
        "def f(flag):\n    total = 0\n    «if flag:\n        total = 10\n    label = 'on'\n    print(label)»\n    label = 'done' if total else 'none'\n    return total, label\n",
        "def f(flag):\n    total = 0\n    «if flag:\n        total = 10\n        label = 'on'»\n    label = 'done' if total else 'none'\n    return total, label\n",
        // It reads the name first, does not surely bind it, or a closure or a `try` around could see the selection's value.
        "def f(flag):\n    «if flag:\n        label = 'on'»\n    label = label + '!'\n    return label\n",
        "def f(flag):\n    «if flag:\n        label = 'on'»\n    if flag:\n        label = 'a'\n    return label\n",
        "def f(flag):\n    show = lambda: label\n    «if flag:\n        label = 'on'»\n    label = show()\n    return label\n",
        "def f(flag, g):\n    try:\n        «if flag:\n            label = 'on'»\n        label = g()\n    except ValueError:\n        pass\n    return label\n",
        // Must not: a value it held before (a parameter, a loop's previous turn) would live on until the next statement: returned as before, or refused.
        "def f(flag, label):\n    «if flag:\n        label = 'on'»\n    label = 'done'\n    return label\n",
        "def f(flag, items):\n    for x in items:\n        «if flag:\n            label = x»\n        label = 'done'\n    return label\n",
    ];
    expect![[r#"
        [
            "EXTRACTED total = _extracted(flag, total)",
            "the statement after the selection binds `label` again before anything reads it: the value the selection gives `label` is never read, and in the new function `label` would be a variable nothing uses (F841); remove that binding first",
            "`label` is bound only on some paths of the selection and read after it",
            "`label` is bound only on some paths of the selection and read after it",
            "`label` is bound only on some paths of the selection and read after it",
            "`label` is bound only on some paths of the selection and read after it",
            "EXTRACTED label = _extracted(flag, label)",
            "`label` is bound only on some paths of the selection and read after it",
        ]
    "#]]
    .assert_debug_eq(&verdicts(&cases));
}
