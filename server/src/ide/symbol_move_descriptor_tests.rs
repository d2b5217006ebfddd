//! A descriptor's instance parameter (`obj` of `__get__`) whose namespace
//! is written (`obj.__dict__[name] = …`, boltons' `cachedproperty` and
//! `CachedInstancePartial`) is a module only where a class deriving from
//! `ModuleType` may hold the descriptor, or `__get__` is called by hand.

use expect_test::expect;

const CACHED: &str = "//- /pkg/__init__.py\n//- /pkg/old.py\nfrom importlib import import_module\n\n\ndef lo$0ad(name):\n    return import_module(name).__name__\n//- /pkg/cache.py\nimport sys\n\n\nclass Cached:\n    def __get__(self, obj, obj_type):\n        obj.__dict__[self.name] = 1\n        return sys.modules\n//- /pkg/deprecated.py\nimport sys\nfrom types import ModuleType\n\nfrom pkg.cache import Cached\n\n\nMODULE\n";

/// How a move of `load` ends with `MODULE` replaced: `moved`, or the refusal.
fn outcomes(modules: &[&str]) -> Vec<String> {
    super::outcomes(CACHED, "MODULE", modules, "pkg/new.py")
}

#[test]
fn a_module_class_that_cannot_hold_the_descriptor_lets_the_move_go() {
    // boltons' `deprutils.DeprecatableModule`: methods only, built and tested by `isinstance`.
    let plain = "class Deprecatable(ModuleType):\n    \"\"\"A module warning on some names.\"\"\"\n\n    def __init__(self, module):\n        super().__init__(module.__name__)\n        self.__dict__.update(module.__dict__)\n\n    @property\n    def names(self):\n        return 1\n\n\ndef wrap(name):\n    module = sys.modules[name]\n    if not isinstance(module, Deprecatable):\n        sys.modules[name] = Deprecatable(module)\n";
    expect![[r#"
        [
            "moved",
            "moved",
        ]
    "#]]
    .assert_debug_eq(&outcomes(&[plain, "def is_module(m):\n    return isinstance(m, (ModuleType, Cached))\n"]));
}

#[test]
fn a_module_class_that_may_hold_the_descriptor_or_a_hand_call_refuses_the_move() {
    let shown = outcomes(&[
        // The class holds it, a subclass or a base of it does, a decorator or a metaclass may add it.
        "class Lazy(ModuleType):\n    data = Cached()\n",
        "class Plain(ModuleType):\n    pass\n\n\nclass Lazy(Plain):\n    data = Cached()\n",
        "class Mixin:\n    data = Cached()\n\n\nclass Lazy(type(sys), Mixin):\n    pass\n",
        "class Lazy(ModuleType):\n    @Cached\n    def data(self):\n        return 1\n",
        "class Lazy(ModuleType, metaclass=type):\n    pass\n",
        // Set on the class from outside, or `ModuleType` used to build one.
        "class Lazy(ModuleType):\n    pass\n\n\nLazy.data = Cached()\n",
        "Lazy = type(\"Lazy\", (ModuleType,), {\"data\": Cached()})\n",
        // `__get__` called by hand with a module.
        "Cached().__get__(sys.modules[\"pkg.old\"], None)\n",
    ]);
    expect![[r#"
        [
            "refused: `load` reads `import_module` of `pkg.old`, and `obj.__dict__[self.name]` at pkg/cache.py:6 may set it there (its object is a descriptor's instance, which a module may be: `data = Cached()` at pkg/deprecated.py:8): moved, the code would read its new module's `import_module`",
            "refused: `load` reads `import_module` of `pkg.old`, and `obj.__dict__[self.name]` at pkg/cache.py:6 may set it there (its object is a descriptor's instance, which a module may be: `data = Cached()` at pkg/deprecated.py:12): moved, the code would read its new module's `import_module`",
            "refused: `load` reads `import_module` of `pkg.old`, and `obj.__dict__[self.name]` at pkg/cache.py:6 may set it there (its object is a descriptor's instance, which a module may be: `data = Cached()` at pkg/deprecated.py:8): moved, the code would read its new module's `import_module`",
            "refused: `load` reads `import_module` of `pkg.old`, and `obj.__dict__[self.name]` at pkg/cache.py:6 may set it there (its object is a descriptor's instance, which a module may be: `@Cached` at pkg/deprecated.py:8): moved, the code would read its new module's `import_module`",
            "refused: `load` reads `import_module` of `pkg.old`, and `obj.__dict__[self.name]` at pkg/cache.py:6 may set it there (its object is a descriptor's instance, which a module may be: `metaclass=type` at pkg/deprecated.py:7): moved, the code would read its new module's `import_module`",
            "refused: `load` reads `import_module` of `pkg.old`, and `obj.__dict__[self.name]` at pkg/cache.py:6 may set it there (its object is a descriptor's instance, which a module may be: `Lazy` at pkg/deprecated.py:11): moved, the code would read its new module's `import_module`",
            "refused: `load` reads `import_module` of `pkg.old`, and `obj.__dict__[self.name]` at pkg/cache.py:6 may set it there (its object is a descriptor's instance, which a module may be: `ModuleType` at pkg/deprecated.py:7): moved, the code would read its new module's `import_module`",
            "refused: `load` reads `import_module` of `pkg.old`, and `obj.__dict__[self.name]` at pkg/cache.py:6 may set it there (its object is a descriptor's instance, which a module may be: `Cached().__get__(sys.modules[\"pkg.old\"], None)` at pkg/deprecated.py:7): moved, the code would read its new module's `import_module`",
        ]
    "#]].assert_debug_eq(&shown);
}
