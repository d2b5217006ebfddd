//! A package's `__init__` that spells a moved submodule's name as a
//! function's own name (`def create(plugins=None)`): importing the
//! submodule binds the name in the package, but not in the function.

use super::moved;

const PKG: &str = "//- /pkg/__init__.py\nfrom .plugins import load\n\n\ndef create(plugins=None):\n    if plugins is not None:\n        return [load(n) for n in plugins]\n    return []\n//- /pkg/plugins/__init__.py\ndef lo$0ad(name):\n    return name.upper()\n//- /main.py\nfrom pkg import create\n\nprint(create([\"a\"]))\n";

#[test]
fn a_parameter_with_the_submodules_name_does_not_refuse_the_move() {
    // Tester 23 case 02: the parameter `plugins` is the function's, not `pkg.plugins`.
    let files = moved(PKG, "pkg/plugins", "pkg/extensions").unwrap();
    let init = PKG.split("//- ").nth(1).unwrap().trim_start_matches("/pkg/__init__.py\n").replace(".plugins import", ".extensions import");
    assert_eq!(files, vec![("pkg/__init__.py".to_owned(), init)]);
    // A local bound in the body, and a read from a nested function, are the function's too.
    let local = PKG.replace("def create(plugins=None):\n", "def create(names=None):\n    plugins = names\n    def inner():\n        return plugins\n");
    assert!(moved(&local, "pkg/plugins", "pkg/extensions").is_ok());
}

#[test]
fn the_package_binding_read_in_a_function_stays_refused() {
    let refused = |workspace: &str| moved(workspace, "pkg/plugins", "pkg/extensions").unwrap_err().to_string();
    let reason = "`plugins`, which importing the submodule binds in its package at pkg/__init__.py";
    // Twins: a function that reads the package's `plugins` (no local of its own),
    // one that assigns it `global`, and a default, read where the `def` runs.
    let read = PKG.replace("def create(plugins=None):\n", "def create(names=None):\n").replace("in plugins]", "in names]");
    assert!(refused(&read).starts_with(reason), "{}", refused(&read));
    // (A `global` one binds the package's name, so the last check refuses it.)
    let global = PKG.replace("def create(plugins=None):\n", "def create(names=None):\n    global plugins\n    plugins = names\n");
    assert!(refused(&global).starts_with("after the move, `plugins` at pkg/__init__.py"), "{}", refused(&global));
    let default = PKG.replace("def create(plugins=None):\n", "def create(plugins=plugins):\n");
    assert!(refused(&default).starts_with(reason), "{}", refused(&default));
    // A comprehension's first iterable is read outside it.
    let iterable = PKG.replace("def create(plugins=None):\n", "def create(names=None):\n    return [p for plugins in plugins for p in plugins]\n");
    assert!(refused(&iterable).starts_with(reason), "{}", refused(&iterable));
}
