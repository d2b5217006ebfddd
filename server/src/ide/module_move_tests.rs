use std::path::Path;

use super::*;
use crate::ide::fixture::{self, ROOT};
use crate::ide::module_move_edits::{dotted_path, relative};

/// The edited files (relative path, new text) of moving `from` to `to`.
fn moved(workspace: &str, from: &str, to: &str) -> Result<Vec<(String, String)>, MoveError> {
    let (graph, _, _) = fixture::graph(workspace);
    let (from, to) = (Path::new(ROOT).join(from), Path::new(ROOT).join(to));
    let result = move_module(&graph, &from, &to)?;
    let mut files: Vec<(String, String)> = result
        .edits
        .iter()
        .map(|e| {
            let entry = graph.file(e.file).unwrap();
            let shown = entry.path.strip_prefix(ROOT).unwrap().display().to_string();
            (shown, apply(entry.text(), &e.replacements))
        })
        .collect();
    files.sort();
    Ok(files)
}

fn file<'a>(files: &'a [(String, String)], path: &str) -> &'a str {
    &files.iter().find(|(p, _)| p == path).unwrap_or_else(|| panic!("{path} not edited: {files:?}")).1
}

const SHOP: &str = r#"
//- /shop/__init__.py
from . import pricing
__all__ = ["pricing"]
//- /shop/pricing.py
from . import tax
from .tax import rate
def total(x):$0
    return x * rate()
//- /shop/tax.py
def rate():
    return 2
//- /shop/cart.py
from .pricing import total
from shop import pricing
def checkout(x):
    return total(x) + pricing.total(x)
//- /app.py
import shop.pricing
import shop.pricing as p
from shop.pricing import total
def run():
    return shop.pricing.total(1) + p.total(2) + total(3)
//- /tests/test_app.py
from unittest import mock
import importlib
@mock.patch("shop.pricing.total")
def test_total(patched):
    entry = "shop.pricing:total"
    words = "shop pricing rules"
    return importlib.import_module("shop.pricing")
"#;

#[test]
fn a_module_renamed_in_its_package_updates_every_spelling() {
    let files = moved(SHOP, "shop/pricing.py", "shop/prices.py").unwrap();
    assert_eq!(file(&files, "shop/__init__.py"), "from . import prices as pricing\n__all__ = [\"pricing\"]\n");
    assert_eq!(
        file(&files, "shop/cart.py"),
        "from .prices import total\nfrom shop import prices as pricing\ndef checkout(x):\n    return total(x) + pricing.total(x)\n"
    );
    assert_eq!(
        file(&files, "app.py"),
        "import shop.prices\nimport shop.prices as p\nfrom shop.prices import total\ndef run():\n    return shop.prices.total(1) + p.total(2) + total(3)\n"
    );
    let test = file(&files, "tests/test_app.py");
    assert!(test.contains("@mock.patch(\"shop.prices.total\")"), "{test}");
    assert!(test.contains("entry = \"shop.prices:total\""), "{test}");
    assert!(test.contains("words = \"shop pricing rules\""), "prose is not a path: {test}");
    assert!(test.contains("import_module(\"shop.prices\")"), "{test}");
    // The moved module's own relative imports still reach `shop`.
    assert!(files.iter().all(|(p, _)| p != "shop/pricing.py"), "{files:?}");
}

#[test]
fn a_module_moved_to_another_package_keeps_its_own_imports_working() {
    // `shop` imports from `billing` already: a package built from it ships both.
    let workspace = format!("{SHOP}//- /billing/__init__.py\n//- /shop/ledger.py\nimport billing\n");
    let files = moved(&workspace, "shop/pricing.py", "billing/pricing.py").unwrap();
    assert_eq!(file(&files, "shop/pricing.py"), "from shop import tax\nfrom shop.tax import rate\ndef total(x):\n    return x * rate()\n");
    assert_eq!(
        file(&files, "shop/cart.py"),
        "from billing.pricing import total\nfrom billing import pricing\ndef checkout(x):\n    return total(x) + pricing.total(x)\n"
    );
    assert!(file(&files, "app.py").starts_with("import billing.pricing\nimport billing.pricing as p\nfrom billing.pricing import total\n"));
    assert!(file(&files, "app.py").contains("billing.pricing.total(1)"));
}

#[test]
fn a_package_renamed_updates_its_importers_and_keeps_relative_imports() {
    let files = moved(SHOP, "shop", "store").unwrap();
    assert_eq!(
        file(&files, "shop/cart.py"),
        "from .pricing import total\nfrom store import pricing\ndef checkout(x):\n    return total(x) + pricing.total(x)\n"
    );
    assert!(!files.iter().any(|(p, _)| p == "shop/pricing.py" || p == "shop/__init__.py"), "relative imports inside stay: {files:?}");
    assert!(file(&files, "app.py").contains("import store.pricing\nimport store.pricing as p\nfrom store.pricing import total\n"));
    assert!(file(&files, "app.py").contains("store.pricing.total(1)"));
    assert!(file(&files, "tests/test_app.py").contains("\"store.pricing.total\""));
}

#[test]
fn moves_that_cannot_be_followed_exactly_are_refused() {
    let dynamic = format!("{SHOP}//- /plugins.py\nimport importlib\ndef load(name):\n    return importlib.import_module(f\"shop.{{name}}\")\n");
    let err = moved(&dynamic, "shop/pricing.py", "shop/prices.py").unwrap_err();
    assert!(matches!(err, MoveError::Unfollowable { .. }), "{err}");
    assert!(err.to_string().contains("plugins.py:3"), "{err}");

    let alias = format!("{SHOP}//- /billing/__init__.py\n//- /alias.py\nimport shop as s\nprint(s.pricing.total(1))\n");
    let err = moved(&alias, "shop/pricing.py", "billing/pricing.py").unwrap_err();
    assert!(err.to_string().contains("s.pricing.total"), "{err}");

    // Renamed in place the same alias chain is followed.
    let files = moved(&alias, "shop/pricing.py", "shop/prices.py").unwrap();
    assert_eq!(file(&files, "alias.py"), "import shop as s\nprint(s.prices.total(1))\n");

    assert_eq!(moved(SHOP, "shop/pricing.py", "shop/tax.py").unwrap_err(), MoveError::Exists("shop.tax".into()));
    assert!(matches!(moved(SHOP, "shop/pricing.py", "shop/price-list.py").unwrap_err(), MoveError::NotImportable(_)));
    assert_eq!(moved(SHOP, "shop/__init__.py", "shop/x.py").unwrap_err(), MoveError::PackageInit);
    assert!(matches!(moved(SHOP, "nowhere.py", "elsewhere.py").unwrap_err(), MoveError::NotAModule(_)));
}

#[test]
fn a_reference_the_edits_would_leave_unbound_refuses_the_move() {
    // `shop.pricing` is reached through the package's own import: once it
    // lives in `billing`, this file has no `billing` bound.
    let workspace = format!("{SHOP}//- /billing/__init__.py\n//- /through.py\nimport shop\nprint(shop.pricing.total(1))\n");
    let err = moved(&workspace, "shop/pricing.py", "billing/pricing.py").unwrap_err();
    assert!(matches!(err, MoveError::Broken { .. }), "{err}");
    assert!(err.to_string().contains("through.py:2"), "{err}");
}

#[test]
fn relative_spellings_take_the_fewest_dots() {
    assert_eq!(relative("a.b.c", false, "a.b.d"), Some(".d".into()));
    assert_eq!(relative("a.b.c", false, "a.x"), Some("..x".into()));
    assert_eq!(relative("a.b", true, "a.b.m"), Some(".m".into()));
    assert_eq!(relative("a.b", false, "z.m"), None);
    assert_eq!(dotted_path("a.b:c"), Some(("a.b", ":c")));
    assert_eq!(dotted_path("a b"), None);
    assert_eq!(dotted_path("json"), None);
}

#[test]
fn dunder_all_lists_a_submodule_the_package_does_not_bind() {
    let workspace = "//- /pkg/__init__.py\n__all__ = [\"old\", \"other\"]\n//- /pkg/old.py\nx = 1$0\n//- /pkg/other.py\n//- /elsewhere/__init__.py\n";
    let files = moved(workspace, "pkg/old.py", "pkg/new.py").unwrap();
    assert_eq!(file(&files, "pkg/__init__.py"), "__all__ = [\"new\", \"other\"]\n");
    let err = moved(workspace, "pkg/old.py", "elsewhere/old.py").unwrap_err();
    assert!(err.to_string().contains("`__all__` of `pkg`"), "{err}");
}

#[test]
fn a_module_moved_to_the_top_level_is_imported_by_its_old_local_name() {
    // `shop.tax.rate` keeps its `shop`, bound by `import shop.tax`.
    let workspace = SHOP.replace("import shop.pricing\n", "import shop.pricing\nimport shop.tax\n").replace("total(3)", "total(3) + shop.tax.rate()");
    let files = moved(&workspace, "shop/pricing.py", "pricing_rules.py").unwrap();
    assert!(file(&files, "app.py").starts_with("import pricing_rules\nimport shop.tax\n"), "{files:?}");
    assert!(file(&files, "app.py").contains("pricing_rules.total(1) + p.total(2) + total(3) + shop.tax.rate()"), "{files:?}");
    assert_eq!(
        file(&files, "shop/cart.py"),
        "from pricing_rules import total\nimport pricing_rules as pricing\ndef checkout(x):\n    return total(x) + pricing.total(x)\n"
    );
    assert_eq!(file(&files, "shop/pricing.py"), "from shop import tax\nfrom shop.tax import rate\ndef total(x):\n    return x * rate()\n");
}

#[test]
fn names_the_move_cannot_follow_in_star_imports_and_dynamic_imports_refuse_it() {
    let star = "//- /pkg/__init__.py\n__all__ = [\"old\"]\n//- /pkg/old.py\ndef f(): ...$0\n//- /user.py\nfrom pkg import *\nold.f()\n";
    let err = moved(star, "pkg/old.py", "pkg/new.py").unwrap_err();
    assert!(err.to_string().contains("`__all__` of `pkg`"), "{err}");
    let dunder = "//- /pkg/__init__.py\n//- /pkg/old.py\ndef f(): ...$0\n//- /user.py\n__import__(\"pkg.old\").old.f()\n";
    let err = moved(dunder, "pkg/old.py", "pkg/new.py").unwrap_err();
    assert!(err.to_string().contains("__import__"), "{err}");
    let relative =
        "//- /pkg/__init__.py\n//- /pkg/old.py\ndef f(): ...$0\n//- /user.py\nimport importlib\nm = importlib.import_module(\".old\", package=\"pkg\")\n";
    let err = moved(relative, "pkg/old.py", "pkg/new.py").unwrap_err();
    assert!(err.to_string().contains("relative module name"), "{err}");
}

#[test]
fn dunder_import_with_a_fromlist_names_the_module_itself_and_is_rewritten() {
    // A non-empty fromlist makes `__import__` return `pkg.old` itself, as
    // `import_module` does: the string is all there is to rewrite.
    let workspace = "//- /pkg/__init__.py\n//- /pkg/old.py\ndef f(): ...$0\n//- /user.py\nm = __import__(\"pkg.old\", fromlist=[\"f\"])\nn = __import__(\"pkg.old\", None, None, (\"f\",))\n";
    let files = moved(workspace, "pkg/old.py", "pkg/new.py").unwrap();
    assert_eq!(file(&files, "user.py"), "m = __import__(\"pkg.new\", fromlist=[\"f\"])\nn = __import__(\"pkg.new\", None, None, (\"f\",))\n");
    // Twins: an empty fromlist, or one the syntax cannot see, returns
    // `pkg` or may: what follows the call spells the rest of the old path.
    for fromlist in ["[]", "names"] {
        let err = moved(&workspace.replace("[\"f\"]", fromlist), "pkg/old.py", "pkg/new.py").unwrap_err();
        assert!(err.to_string().contains("`__import__(\"pkg.old\")`"), "{fromlist}: {err}");
    }
}

#[test]
fn names_a_string_or_the_package_binding_may_spell_refuse_the_move() {
    // `getattr(app, "util")` reads the submodule by name.
    let by_string = "//- /app/__init__.py\n//- /app/util.py\ndef f(): ...$0\n//- /main.py\nimport app.util\napp.util.f()\ngetattr(app, \"util\").f()\n";
    let err = moved(by_string, "app/util.py", "app/tools.py").unwrap_err();
    assert!(err.to_string().contains("`getattr(…, \"util\")`"), "{err}");
    // `from .helpers import merge` binds `helpers` in the package too:
    // `del helpers` deletes that binding.
    let implicit = "//- /pkg/__init__.py\nfrom .helpers import merge\ndel helpers\n//- /pkg/helpers.py\ndef merge(): ...$0\n";
    let err = moved(implicit, "pkg/helpers.py", "pkg/merging.py").unwrap_err();
    assert!(err.to_string().contains("`helpers`, which importing the submodule binds in its package"), "{err}");
    // Twins: a package that binds the name itself keeps it by an alias,
    // and one that never spells it moves.
    let explicit = "//- /pkg/__init__.py\nfrom . import helpers\nhelpers.merge()\n//- /pkg/helpers.py\ndef merge(): ...$0\n";
    let files = moved(explicit, "pkg/helpers.py", "pkg/merging.py").unwrap();
    assert_eq!(file(&files, "pkg/__init__.py"), "from . import merging as helpers\nhelpers.merge()\n");
    let silent = "//- /pkg/__init__.py\nfrom .helpers import merge\n//- /pkg/helpers.py\ndef merge(): ...$0\n";
    let files = moved(silent, "pkg/helpers.py", "pkg/merging.py").unwrap();
    assert_eq!(file(&files, "pkg/__init__.py"), "from .merging import merge\n");
}

#[test]
fn a_module_name_built_at_run_time_refuses_the_move() {
    let built = "//- /app/__init__.py\n//- /app/util.py\ndef f(): ...$0\n//- /main.py\nimport importlib\nimport app.util\nname = \"x\"\nm = importlib.import_module(\"app.util.\" + name)\n";
    let err = moved(built, "app/util.py", "app/tools.py").unwrap_err();
    assert!(err.to_string().contains("a module name built from \"app.util.\""), "{err}");
    // Twin: the whole name as a literal is rewritten.
    let whole = built.replace("(\"app.util.\" + name)", "(\"app.util\")");
    let files = moved(&whole, "app/util.py", "app/tools.py").unwrap();
    assert!(file(&files, "main.py").contains("importlib.import_module(\"app.tools\")"), "{files:?}");
}

#[test]
fn a_module_named_in_a_namespace_or_loaded_lazily_by_its_package_stays() {
    let namespace = "//- /app/__init__.py\n//- /app/util.py\ndef f(): ...$0\n//- /main.py\nimport app.util\nvars(app)[\"util\"].f()\n";
    let err = moved(namespace, "app/util.py", "app/tools.py").unwrap_err();
    assert!(err.to_string().contains("`vars(app)[\"util\"]`"), "{err}");
    let lazy = "//- /app/__init__.py\nimport importlib\n\n\ndef __getattr__(name):\n    if name in (\"util\",):\n        return importlib.import_module(f\".{name}\", __name__)\n    raise AttributeError(name)\n//- /app/util.py\ndef f(): ...$0\n//- /main.py\nimport app\napp.util.f()\n";
    let err = moved(lazy, "app/util.py", "app/tools.py").unwrap_err();
    // Named at the `def __getattr__` line (tester case 06), not the file's first.
    assert!(err.to_string().contains("`__getattr__`, which may load `util` by name at app/__init__.py:4"), "{err}");
}

#[test]
fn a_new_top_level_name_of_the_standard_library_refuses_the_move() {
    let workspace = "//- /app/__init__.py\n//- /app/util.py\ndef f(): ...$0\n//- /main.py\nfrom app.util import f\n";
    for name in ["time", "random", "_warnings"] {
        let err = moved(workspace, "app/util.py", &format!("{name}.py")).unwrap_err();
        assert!(err.to_string().contains(&format!("`{name}` is a standard-library module")), "{err}");
    }
    // Twin: a name the standard library does not have moves.
    assert!(file(&moved(workspace, "app/util.py", "timing.py").unwrap(), "main.py").contains("from timing import f"));
}

#[test]
fn a_new_top_level_name_of_an_installed_package_refuses_the_move() {
    let workspace = "//- /site-packages/pytest/__init__.py\ndef main(): ...\n//- /helpers.py\ndef f(): ...$0\n//- /main.py\nfrom helpers import f\n";
    let err = moved(workspace, "helpers.py", "pytest.py").unwrap_err();
    assert!(err.to_string().contains("`pytest` is an installed package of the project's environment"), "{err}");
    // Twin: a name nothing installed has moves.
    assert!(file(&moved(workspace, "helpers.py", "testing.py").unwrap(), "main.py").contains("from testing import f"));
}

#[test]
fn a_new_package_folder_shadowed_by_a_module_of_its_name_refuses_the_move() {
    let workspace = "//- /app/__init__.py\n//- /app/helpers.py\n//- /app/util.py\ndef f(): ...$0\n//- /main.py\nfrom app.util import f\n";
    let err = moved(workspace, "app/util.py", "app/helpers/util.py").unwrap_err();
    assert!(err.to_string().contains("`app.helpers` is the module app/helpers.py, not a package"), "{err}");
    let err = moved(workspace, "app/util.py", "main/util.py").unwrap_err();
    assert!(err.to_string().contains("`main` is the module main.py, not a package"), "{err}");
    // Twin: a folder no module shadows.
    assert!(file(&moved(workspace, "app/util.py", "app/tools/util.py").unwrap(), "main.py").contains("from app.tools.util import f"));
}

#[test]
fn a_new_module_name_its_package_init_binds_refuses_the_move() {
    let workspace = "//- /app/__init__.py\ntools = \"an attribute\"\n//- /app/util.py\ndef f(): ...$0\n//- /main.py\nfrom app.util import f\n";
    let err = moved(workspace, "app/util.py", "app/tools.py").unwrap_err();
    assert!(err.to_string().contains("`tools` is already bound in package `app` at app/__init__.py:1"), "{err}");
    // Twin: a name the package does not bind.
    assert!(file(&moved(workspace, "app/util.py", "app/tooling.py").unwrap(), "main.py").contains("from app.tooling import f"));
}

#[test]
fn a_module_moved_into_a_package_whose_init_imports_its_importer_refuses_the_cycle() {
    let workspace = "//- /app/__init__.py\n//- /app/util.py\ndef f(): ...$0\n//- /app/consumer.py\nfrom app.util import f\nVALUE = f()\n//- /app/sub/__init__.py\nfrom app.consumer import VALUE\n//- /app/other/__init__.py\n";
    let err = moved(workspace, "app/util.py", "app/sub/util.py").unwrap_err();
    assert_eq!(err.to_string(), "the move would make a circular import at module level: app.consumer → app.sub → app.consumer");
    // Twin: a package whose `__init__` imports nothing of it.
    assert!(file(&moved(workspace, "app/util.py", "app/other/util.py").unwrap(), "app/consumer.py").starts_with("from app.other.util import f"));
}

#[test]
fn a_module_made_a_package_of_its_name_rewrites_its_own_relative_imports() {
    let workspace = "//- /app/__init__.py\n//- /app/helpers.py\ndef g(): ...\n//- /app/util.py\nfrom . import helpers\nfrom .helpers import g\nfrom app import helpers as h\ndef f(): ...$0\n//- /main.py\nfrom app.util import f\n";
    let files = moved(workspace, "app/util.py", "app/util/__init__.py").unwrap();
    assert_eq!(
        files,
        vec![("app/util.py".to_owned(), "from .. import helpers\nfrom ..helpers import g\nfrom app import helpers as h\ndef f(): ...\n".to_owned())]
    );
    // Twin: a module with absolute imports only needs no edit.
    let absolute = workspace.replace("from . import helpers\nfrom .helpers import g\n", "");
    assert_eq!(moved(&absolute, "app/util.py", "app/util/__init__.py").unwrap(), vec![]);
}

#[test]
fn a_doctest_spelling_the_module_refuses_the_move_and_one_that_does_not_lets_it_through() {
    let doctest = "//- /app/__init__.py\n//- /app/util.py\ndef f(): ...$0\n//- /app/api.py\n\"\"\"\n>>> from app.util import f\n>>> f()\n\"\"\"\nfrom app.util import f\n";
    let err = moved(doctest, "app/util.py", "app/tools.py").unwrap_err();
    // Named by its `>>>` line, not the docstring's first.
    assert_eq!(err.to_string(), "a doctest spelling `util` at app/api.py:2 cannot be updated exactly; the move is refused");
    let prose = doctest.replace(">>> from app.util import f", ">>> from app.helpers import f");
    let files = moved(&prose, "app/util.py", "app/tools.py").unwrap();
    assert_eq!(file(&files, "app/api.py"), "\"\"\"\n>>> from app.helpers import f\n>>> f()\n\"\"\"\nfrom app.tools import f\n");
    // Tester case 12: a doctest's comment is prose; its code after a string is not.
    let comment = doctest.replace(">>> from app.util import f", ">>> # a util of the app");
    assert!(moved(&comment, "app/util.py", "app/tools.py").is_ok());
    let in_string = doctest.replace(">>> from app.util import f", ">>> s = '#'; from app.util import f");
    assert!(moved(&in_string, "app/util.py", "app/tools.py").is_err());
}

#[test]
fn a_module_name_joined_at_run_time_from_its_parts_refuses_the_move() {
    let joined = "//- /app/__init__.py\n//- /app/util.py\ndef f(): ...$0\n//- /main.py\nimport importlib\nimport app.util\n\nPARTS = (\"app\", \"util\")\nmod = importlib.import_module(\".\".join(PARTS))\n";
    let err = moved(joined, "app/util.py", "app/tools.py").unwrap_err();
    assert_eq!(
        err.to_string(),
        "a module imported by a name built at run time, in a file with the string \"util\" (at main.py:4), at main.py:5 cannot be updated exactly; the move is refused"
    );
    // Twin: the parts name another module.
    let other = joined.replace("(\"app\", \"util\")", "(\"app\", \"helpers\")");
    let files = moved(&other, "app/util.py", "app/tools.py").unwrap();
    assert!(file(&files, "main.py").contains("import app.tools\n"), "{files:?}");
}

#[test]
fn a_top_level_module_imported_whole_and_moved_into_a_package_is_read_through_it() {
    // Tester 18 case 02: `import old` / `old.f()`, `old.py` → `pkg/old.py`.
    let whole = "//- /pkg/__init__.py\n//- /old.py\ndef f(): ...$0\n//- /main.py\nimport old\nprint(old.f())\n";
    let files = moved(whole, "old.py", "pkg/old.py").unwrap();
    assert_eq!(files, vec![("main.py".to_owned(), "import pkg.old\nprint(pkg.old.f())\n".to_owned())]);
    // Must not: the package binds the name `old` to something else, which `pkg.old` would read.
    let bound = whole.replace("//- /pkg/__init__.py\n", "//- /pkg/__init__.py\nold = 1\n");
    let err = moved(&bound, "old.py", "pkg/old.py").unwrap_err();
    assert_eq!(
        err.to_string(),
        "`old` is already bound in package `pkg` at pkg/__init__.py:1: importing the submodule `pkg.old` would replace it; the move is refused"
    );
}

#[test]
fn a_plugin_loaded_from_a_file_path_built_from_its_name_refuses_the_move() {
    // Tester 18 case 14: the name a literal, the path an f-string of it.
    let loader = "//- /plugins/__init__.py\n//- /plugins/old.py\nNAME = \"old\"$0\n//- /main.py\nimport importlib.util\nfrom pathlib import Path\n\nHERE = Path(__file__).parent\nPLUGINS = [\"PLUGIN\"]\n\nfor name in PLUGINS:\n    spec = importlib.util.spec_from_file_location(name, HERE / \"plugins\" / f\"{name}.py\")\n    mod = importlib.util.module_from_spec(spec)\n";
    let err = moved(&loader.replace("PLUGIN", "old"), "plugins/old.py", "plugins/new.py").unwrap_err();
    assert_eq!(
        err.to_string(),
        "a module imported by a name built at run time, in a file with the string \"old\" (at main.py:5), at main.py:8 cannot be updated exactly; the move is refused"
    );
    // Must not: the loader's list names another plugin.
    assert_eq!(moved(&loader.replace("PLUGIN", "other"), "plugins/old.py", "plugins/new.py").unwrap(), vec![]);
}

#[test]
fn a_relative_name_a_lazy_package_imports_at_run_time_refuses_the_move() {
    // Tester 11 case 10: PEP 562 `__getattr__` over a map of relative names.
    let lazy = "//- /pkg/__init__.py\nimport importlib\n_LAZY = {\"Parser\": \".parser\"}\n\ndef __getattr__(name):\n    return getattr(importlib.import_module(_LAZY[name], __name__), name)\n//- /pkg/parser.py\nclass Parser: ...$0\n";
    let err = moved(lazy, "pkg/parser.py", "pkg/parsing.py").unwrap_err();
    assert_eq!(
        err.to_string(),
        "a module imported by a name built at run time, in a file with the string \".parser\" (at pkg/__init__.py:2), at pkg/__init__.py:5 cannot be updated exactly; the move is refused"
    );
    // Twin: the map names another module of the package.
    assert_eq!(moved(&lazy.replace("\".parser\"", "\".lexer\""), "pkg/parser.py", "pkg/parsing.py").unwrap(), vec![]);
}

#[test]
fn a_plugin_found_by_listing_its_package_refuses_the_move() {
    // Tester 11 case 11: `pkgutil.iter_modules` and a built name.
    let plugins = "//- /plugins/__init__.py\n//- /plugins/plugin_alpha.py\nVALUE = 3$0\n//- /main.py\nimport importlib, pkgutil\nimport plugins\n\nfor info in pkgutil.iter_modules(plugins.__path__):\n    mod = importlib.import_module(f\"{plugins.__name__}.{info.name}\")\n";
    let err = moved(plugins, "plugins/plugin_alpha.py", "plugins/alpha.py").unwrap_err();
    assert_eq!(
        err.to_string(),
        "a module found by listing its package (at main.py:4) and imported by a name built at run time at main.py:5 cannot be updated exactly; the move is refused"
    );
    // Twin: the listing is of another package.
    let other = plugins.replace("import plugins\n", "import extras\n").replace("plugins.__path__", "extras.__path__").replace("{plugins.__name__}", "extras");
    assert_eq!(moved(&other, "plugins/plugin_alpha.py", "plugins/alpha.py").unwrap(), vec![]);
}

#[test]
fn a_string_naming_the_module_by_its_file_path_refuses_the_move() {
    let run = "//- /app/__init__.py\n//- /app/util.py\ndef f(): ...$0\n//- /main.py\nimport os\nimport runpy\nimport app.util\n\nrunpy.run_path(PATH)\n";
    for path in ["\"app/util.py\"", "os.path.join(\"app\", \"util.py\")"] {
        let err = moved(&run.replace("PATH", path), "app/util.py", "app/tools.py").unwrap_err();
        assert!(err.to_string().starts_with("the file path \""), "{err}");
    }
    // Twin: the path of another file of that name.
    let files = moved(&run.replace("PATH", "\"vendor/util.py\""), "app/util.py", "app/tools.py").unwrap();
    assert!(file(&files, "main.py").contains("import app.tools\n"), "{files:?}");
}

#[test]
fn imports_through_a_folder_without_an_init_refuse_the_move_and_a_regular_package_does_not() {
    let namespace = "//- /ns/sub/util.py\ndef f(): ...$0\n//- /main.py\nimport ns.sub.util\n\nns.sub.util.f()\n";
    let err = moved(namespace, "ns/sub/util.py", "ns/sub/tools.py").unwrap_err();
    assert_eq!(
        err.to_string(),
        "`import ns.sub.util`, used through the namespace package (a folder without `__init__.py`), at main.py:1 cannot be updated exactly; the move is refused"
    );
    let sibling = "//- /tests/helpers.py\ndef make(): ...$0\n//- /tests/test_x.py\nfrom helpers import make\n\n\ndef test_make():\n    make()\n";
    let err = moved(sibling, "tests/helpers.py", "tests/support.py").unwrap_err();
    assert!(err.to_string().starts_with("the import of `helpers` from a folder on `sys.path`"), "{err}");
    // Twin: the same chain through packages with an `__init__.py`.
    let regular = namespace.replace("//- /ns/sub/util.py", "//- /ns/__init__.py\n//- /ns/sub/__init__.py\n//- /ns/sub/util.py");
    let files = moved(&regular, "ns/sub/util.py", "ns/sub/tools.py").unwrap();
    assert_eq!(file(&files, "main.py"), "import ns.sub.tools\n\nns.sub.tools.f()\n");
}

#[test]
fn a_package_all_entry_renamed_with_its_submodule_beside_an_unrelated_computed_import_moves() {
    let package = "//- /app/__init__.py\nimport importlib\n\n__all__ = [\"util\"]\n\n\ndef load(backend):\n    return importlib.import_module(backend)\n//- /app/util.py\ndef f(): ...$0\n";
    let files = moved(package, "app/util.py", "app/tools.py").unwrap();
    assert_eq!(
        file(&files, "app/__init__.py"),
        "import importlib\n\n__all__ = [\"tools\"]\n\n\ndef load(backend):\n    return importlib.import_module(backend)\n"
    );
    // Must not: the same string outside `__all__` may be a part of the name built.
    let parts = package.replace("__all__ = [\"util\"]", "BACKENDS = [\"util\"]");
    let err = moved(&parts, "app/util.py", "app/tools.py").unwrap_err();
    assert_eq!(
        err.to_string(),
        "a module imported by a name built at run time, in a file with the string \"util\" (at app/__init__.py:3), at app/__init__.py:7 cannot be updated exactly; the move is refused"
    );
}

#[test]
fn a_module_moved_into_a_new_folder_keeps_a_dotted_use_through_it_and_a_folder_name_its_package_binds_refuses() {
    let package = "//- /pkg/__init__.py\n//- /pkg/sub/__init__.py\n//- /pkg/util.py\ndef f(): ...$0\n//- /pkg/user.py\nimport pkg.util\n\n\ndef go():\n    return pkg.util.f()\n";
    // `pkg/sub/deep/` does not exist yet: a namespace package once the module is in it.
    let files = moved(package, "pkg/util.py", "pkg/sub/deep/util2.py").unwrap();
    assert_eq!(file(&files, "pkg/user.py"), "import pkg.sub.deep.util2\n\n\ndef go():\n    return pkg.sub.deep.util2.f()\n");
    // Must not: `pkg.sub.deep` is a name `pkg/sub/__init__.py` binds, which the chain would read.
    let bound = package.replace("//- /pkg/sub/__init__.py\n", "//- /pkg/sub/__init__.py\ndeep = 1\n");
    let err = moved(&bound, "pkg/util.py", "pkg/sub/deep/util2.py").unwrap_err();
    assert!(matches!(err, MoveError::Broken { .. }), "{err}");
}

#[test]
fn a_top_level_modules_name_as_a_string_is_rewritten_where_imported_by_it_else_refused() {
    let by_name = "//- /tool.py\ndef main(): ...$0\n//- /tests/t.py\nimport importlib\nimport runpy\n\nimportlib.import_module(\"tool\").main\nrunpy.run_module(\"tool\")\nLABEL = \"tools\"\n";
    let files = moved(by_name, "tool.py", "tool2.py").unwrap();
    assert_eq!(
        file(&files, "tests/t.py"),
        "import importlib\nimport runpy\n\nimportlib.import_module(\"tool2\").main\nrunpy.run_module(\"tool2\")\nLABEL = \"tools\"\n"
    );
    // Must not: the same word where nothing says it is imported (`-m tool`).
    let run = by_name.replace("LABEL = \"tools\"", "import subprocess, sys\nsubprocess.run([sys.executable, \"-m\", \"tool\"])");
    let err = moved(&run, "tool.py", "tool2.py").unwrap_err();
    assert!(err.to_string().contains("the string \"tool\", the module's name"), "{err}");
}

/// Case 11 of the sixth tester: a module that reads `data.txt` beside itself.
const LOADER: &str = r#"
//- /app/__init__.py
$0
//- /app/sub/__init__.py
//- /app/loader.py
import os
import pkgutil
from importlib import resources

HERE = os.path.dirname(os.path.abspath(__file__))


def by_pkgutil():
    return pkgutil.get_data(__name__, "data.txt")


def by_resources():
    return resources.files(__package__) / "data.txt"
//- /main.py
from app import loader
"#;

#[test]
fn a_module_that_finds_files_by_its_own_place_is_not_moved_away_from_them() {
    let refused = |workspace: &str, from: &str, to: &str| moved(workspace, from, to).map(|_| ()).unwrap_err().to_string();
    assert_eq!(
        refused(LOADER, "app/loader.py", "app/sub/loader.py"),
        "`__file__` at app/loader.py:5 finds a file by the module's own folder, which the move changes: the file would not be found after the move; move the module and its files by hand; the move is refused"
    );
    let no_file = LOADER.replace("HERE = os.path.dirname(os.path.abspath(__file__))\n", "");
    assert_eq!(
        refused(&no_file, "app/loader.py", "loader.py"),
        "`pkgutil.get_data(__name__, \"data.txt\")` at app/loader.py:8 finds a file by the module's own folder, which the move changes: the file would not be found after the move; move the module and its files by hand; the move is refused"
    );
    let resources_only = no_file.replace("    return pkgutil.get_data(__name__, \"data.txt\")\n", "    return 1\n");
    assert!(refused(&resources_only, "app/loader.py", "app/sub/loader.py").starts_with("`resources.files(__package__)` at app/loader.py:12 "));
    // A path built from its own file name breaks on a rename in place too.
    let own_name = "//- /app/__init__.py\n$0\n//- /app/conf.py\nfrom pathlib import Path\n\nDEFAULTS = Path(__file__).with_suffix(\".json\")\n";
    assert!(
        refused(own_name, "app/conf.py", "app/config.py")
            .starts_with("`Path(__file__).with_suffix` at app/conf.py:3 builds a path from the module's own file name")
    );
    // Must not: the name of its folder, which a rename in place keeps.
    let folder_name = own_name.replace("Path(__file__).with_suffix(\".json\")", "Path(__file__).resolve().parent.name");
    assert_eq!(moved(&folder_name, "app/conf.py", "app/config.py").unwrap(), Vec::new());
    // Must not: renamed in its folder, the files are still beside it; a
    // package moved whole takes them along; a module that reads none.
    let files = moved(LOADER, "app/loader.py", "app/loading.py").unwrap();
    assert_eq!(file(&files, "main.py"), "from app import loading as loader\n");
    let package = LOADER.replace("//- /main.py\n", "//- /lib/__init__.py\n//- /main.py\n");
    let files = moved(&package, "app", "lib/app").unwrap();
    assert_eq!(file(&files, "main.py"), "from lib.app import loader\n");
    let plain = "//- /app/__init__.py\n$0\n//- /app/sub/__init__.py\n//- /app/util.py\nimport logging\n\nlog = logging.getLogger(__name__)\n//- /main.py\nfrom app import util\n";
    assert_eq!(file(&moved(plain, "app/util.py", "app/sub/util.py").unwrap(), "main.py"), "from app.sub import util\n");
    // Must refuse: a package moved whole whose module climbs out of it.
    let climbs = package.replace("os.path.abspath(__file__)", "os.path.join(os.path.dirname(__file__), \"..\")");
    assert!(refused(&climbs, "app", "lib/app").starts_with("`__file__` at app/loader.py:5 finds a file"), "{}", refused(&climbs, "app", "lib/app"));
}

#[test]
fn a_module_found_by_its_package_name_held_in_a_variable_or_by_another_modules_file_path_is_not_moved_away() {
    let refused = |workspace: &str, from: &str, to: &str| moved(workspace, from, to).map(|_| ()).unwrap_err().to_string();
    let local = "//- /pkg/__init__.py\n$0\n//- /pkg/res.py\nimport importlib.resources\n\n\ndef read():\n    package = __spec__.parent\n    return importlib.resources.files(package) / \"data.txt\"\n//- /main.py\nfrom pkg import res\n";
    assert!(refused(local, "pkg/res.py", "pkg/res/__init__.py").starts_with("`importlib.resources.files(package)` at pkg/res.py:6 finds a file"));
    // Tester 25 case 03: humanize's spellings of the same package.
    for spelled in ["__spec__ and __spec__.parent", "__name__.rpartition(\".\")[0]"] {
        let variant = local.replace("package = __spec__.parent", &format!("package = {spelled}"));
        assert!(
            refused(&variant, "pkg/res.py", "pkg/res/__init__.py").starts_with("`importlib.resources.files(package)` at pkg/res.py:6 finds a file"),
            "{spelled}"
        );
    }
    // Must not: a variable naming another package, or a move in place.
    let other = local.replace("package = __spec__.parent", "package = \"data\"");
    let other_name = local.replace("package = __spec__.parent", "package = \"data.x\".rpartition(\".\")[0]");
    assert!(moved(&other_name, "pkg/res.py", "pkg/res/__init__.py").is_ok());
    assert!(moved(&other, "pkg/res.py", "pkg/res/__init__.py").is_ok());
    assert_eq!(file(&moved(local, "pkg/res.py", "pkg/store.py").unwrap(), "main.py"), "from pkg import store as res\n");
    let outside = "//- /pkg/__init__.py\n$0\n//- /pkg/res.py\ndef f():\n    return 1\n//- /main.py\nfrom pathlib import Path\nimport pkg.res\n\nDATA = Path(pkg.res.__file__).parent / \"data.txt\"\n";
    assert!(
        refused(outside, "pkg/res.py", "pkg/res/__init__.py")
            .starts_with("`pkg.res.__file__` at main.py:4 finds a file by the moved module's folder, which the move changes"),
        "{}",
        refused(outside, "pkg/res.py", "pkg/res/__init__.py")
    );
    // Must not: renamed in its folder, the path is built from the new name.
    assert!(moved(outside, "pkg/res.py", "pkg/store.py").is_ok());
}

#[test]
fn a_script_importing_a_module_beside_it_moved_to_another_folder_refuses() {
    // `python scripts/tool.py` puts scripts/ first on `sys.path`: `import helper` would fail.
    let workspace = "//- /helper.py\ndef h(): return 'h'\n//- /tool.py\nimport helper$0\n\nif __name__ == \"__main__\":\n    print(helper.h())\n";
    let err = moved(workspace, "tool.py", "scripts/tool.py").unwrap_err();
    expect_test::expect![[r#"`tool` is also run as a file (`if __name__ == "__main__":` at tool.py:3) and imports `helper` (tool.py:1) from its own folder, which Python puts first on `sys.path` only when the file runs from there: run as `python scripts/tool.py` it would no longer find helper.py; the move is refused"#]].assert_eq(&err.to_string());
    // Twins: renamed in its folder it still finds it; a module without a
    // `__main__` block is imported, not run, and is moved.
    assert_eq!(moved(workspace, "tool.py", "tools.py").unwrap(), Vec::new());
    let imported = workspace.replace("\nif __name__ == \"__main__\":\n    print(helper.h())\n", "\ndef run():\n    return helper.h()\n");
    assert_eq!(moved(&imported, "tool.py", "scripts/tool.py").unwrap(), Vec::new());
}

#[test]
fn every_place_blocking_a_move_is_listed_in_one_refusal() {
    // Tester case 12: Sphinx's `docs/conf.py` named the package on three lines, refused one per run.
    let docs = "//- /tool.py\ndef main(): ...$0\n//- /docs/conf.py\nproject = u'tool'\nhtmlhelp_basename = 'tool'\nman_pages = [('index', 'tool', u'tool Documentation')]\n//- /run.py\nimport subprocess, sys\nsubprocess.run([sys.executable, \"-m\", \"tool\"])\n";
    let err = moved(docs, "tool.py", "tool2.py").unwrap_err();
    expect_test::expect![[r#"
        4 places cannot be updated exactly; edit them by hand, then move (the move is refused):
        - the string "tool", the module's name (`-m tool` or a lookup by name?), at docs/conf.py:1
        - the string "tool", the module's name (`-m tool` or a lookup by name?), at docs/conf.py:2
        - the string "tool", the module's name (`-m tool` or a lookup by name?), at docs/conf.py:3
        - the string "tool", the module's name (`-m tool` or a lookup by name?), at run.py:2"#]]
    .assert_eq(&err.to_string());
    // Bounded: the first ten, then how many more.
    let many = format!("//- /tool.py\ndef main(): ...$0\n//- /names.py\n{}", (1..=12).map(|i| format!("N{i} = 'tool'\n")).collect::<String>());
    let err = moved(&many, "tool.py", "tool2.py").unwrap_err().to_string();
    assert!(err.starts_with("12 places cannot") && err.ends_with("at names.py:10\n- and 2 more"), "{err}");
    // Must not: one place is refused as before, alone.
    let one = "//- /tool.py\ndef main(): ...$0\n//- /docs/conf.py\nproject = u'tool'\n";
    expect_test::expect![[
        r#"the string "tool", the module's name (`-m tool` or a lookup by name?), at docs/conf.py:1 cannot be updated exactly; the move is refused"#
    ]]
    .assert_eq(&moved(one, "tool.py", "tool2.py").unwrap_err().to_string());
}

#[test]
fn a_module_path_printed_by_an_f_strings_debug_element_refuses_the_move() {
    let printed = "//- /pkg/__init__.py\n//- /pkg/old.py\ndef g():$0\n    return 2\n//- /main.py\nimport pkg.old\nprint(f\"{pkg.old.g()=}\")\n";
    let err = moved(printed, "pkg/old.py", "pkg/new.py").unwrap_err().to_string();
    expect_test::expect![[
        r#"the module's path printed by its own text in an f-string's `{...=}` at main.py:2 cannot be updated exactly; the move is refused"#
    ]]
    .assert_eq(&err);
    // Spaces around `=`, a conversion or a format spec print the text too.
    for spelled in ["() = }", "()=!r}", "()=:>4}"] {
        let err = moved(&printed.replace("()=}", spelled), "pkg/old.py", "pkg/new.py").unwrap_err().to_string();
        assert!(err.contains("f-string's `{...=}` at main.py:2"), "{spelled}: {err}");
    }
    // Twin: a plain `{...}` prints the value, not the text: updated.
    let plain = printed.replace("()=}", "()}");
    let files = moved(&plain, "pkg/old.py", "pkg/new.py").unwrap();
    assert_eq!(file(&files, "main.py"), "import pkg.new\nprint(f\"{pkg.new.g()}\")\n");
}

#[test]
fn a_package_looking_its_submodules_up_by_a_built_name_refuses_the_move() {
    // Tester 15 cases 09 (funcy's `sys.modules['funcy.' + m]`) and 10
    // (`import_module(f"{__name__}.{m}")`): every spelling of the lookup.
    let init = |lookup: &str| {
        format!(
            "//- /pkg/__init__.py\nimport importlib, sys\nfrom .strings import *\nmodules = (\"strings\",)\n__all__ = [n for m in modules for n in {lookup}.__all__]\n//- /pkg/strings.py\n__all__ = [\"shout\"]\ndef shout(s): ...$0\n"
        )
    };
    for (lookup, how) in [
        ("sys.modules[\"pkg.\" + m]", "looked up"),
        ("sys.modules[f\"pkg.{m}\"]", "looked up"),
        ("sys.modules[__name__ + \".\" + m]", "looked up"),
        ("sys.modules.get(\"pkg.\" + m)", "looked up"),
        ("getattr(sys.modules[__name__], m)", "looked up"),
        ("globals()[m]", "looked up"),
        ("vars(sys.modules[__name__])[m]", "looked up"),
        ("importlib.import_module(f\"{__name__}.{m}\")", "imported"),
    ] {
        let err = moved(&init(lookup), "pkg/strings.py", "pkg/text.py").unwrap_err();
        assert_eq!(
            err.to_string(),
            format!(
                "a module {how} by a name built at run time, in a file with the string \"strings\" (at pkg/__init__.py:3), at pkg/__init__.py:4 cannot be updated exactly; the move is refused"
            ),
            "{lookup}"
        );
    }
    // Twin: the names looked up are other modules'; the import follows.
    let other = init("sys.modules[\"pkg.\" + m]").replace("(\"strings\",)", "(\"calc\",)");
    assert_eq!(
        moved(&other, "pkg/strings.py", "pkg/text.py").unwrap(),
        vec![(
            "pkg/__init__.py".to_owned(),
            "import importlib, sys\nfrom .text import *\nmodules = (\"calc\",)\n__all__ = [n for m in modules for n in sys.modules[\"pkg.\" + m].__all__]\n"
                .to_owned()
        )]
    );
}

#[path = "module_move_split_tests.rs"]
mod split_tests;

#[path = "module_move_binding_tests.rs"]
mod binding_tests;

#[path = "module_move_local_tests.rs"]
mod local_tests;

#[path = "module_move_target_tests.rs"]
mod target_tests;

#[path = "module_move_own_file_tests.rs"]
mod own_file_tests;

#[path = "module_move_package_tests.rs"]
mod package_tests;
