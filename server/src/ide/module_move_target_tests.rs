//! What a module or package may be renamed to, and what may not be
//! renamed at all: a target of another kind than the source (a stub for a
//! module, a `.py` name for a folder) and a package's `__main__.py` are
//! refused (tester 24 cases 02 and 03), and so is any file a tool finds by
//! name (tester 25 case 08).

use super::*;

const PKG: &str = "//- /pkg/__init__.py\nfrom .util import f\n//- /pkg/util.py\ndef $0f():\n    return 1\n//- /pkg/__main__.py\nfrom pkg.util import f\nprint(f())\n//- /pkg/sub/__init__.py\n//- /pkg/sub/m.py\nfrom .. import util\ndef h():\n    return util.f()\n//- /run.py\nfrom pkg.util import f\nfrom pkg.sub.m import h\nprint(f(), h())\n";

#[test]
fn a_target_of_another_kind_than_the_module_is_refused() {
    // A stub keeps the dotted name, but Python imports no `.pyi`.
    let err = moved(PKG, "pkg/util.py", "pkg/util.pyi").unwrap_err();
    assert_eq!(err, MoveError::NotImportable("pkg/util.pyi".to_owned()));
    // A folder named like a module would be read as one package level more (`pkg.sub2.py`).
    let err = moved(PKG, "pkg/sub", "pkg/sub2.py").unwrap_err();
    assert_eq!(err, MoveError::NotImportable("pkg/sub2.py".to_owned()));
    let err = moved(PKG, "pkg/util.py", "pkg/util.x.py").unwrap_err();
    assert_eq!(err, MoveError::NotImportable("pkg/util.x.py".to_owned()));
    // Must stay: a module to a module name, a folder to a folder name.
    let files = moved(PKG, "pkg/util.py", "pkg/tools.py").unwrap();
    assert_eq!(file(&files, "run.py"), "from pkg.tools import f\nfrom pkg.sub.m import h\nprint(f(), h())\n");
    let files = moved(PKG, "pkg/sub", "pkg/sub2").unwrap();
    assert_eq!(file(&files, "run.py"), "from pkg.util import f\nfrom pkg.sub2.m import h\nprint(f(), h())\n");
}

#[test]
fn a_packages_main_module_is_not_renamed() {
    for to in ["pkg/cli.py", "pkg/sub/__main__.py"] {
        let err = moved(PKG, "pkg/__main__.py", to).unwrap_err().to_string();
        assert!(err.contains("pkg/__main__.py is what `python -m` runs for its package"), "{to}: {err}");
    }
    // Must stay: a module `__main__` imports is renamed with its import there.
    let files = moved(PKG, "pkg/util.py", "pkg/tools.py").unwrap();
    assert_eq!(file(&files, "pkg/__main__.py"), "from pkg.tools import f\nprint(f())\n");
}

#[test]
fn a_file_tools_find_by_name_is_not_renamed() {
    // Tester 25 case 08: pytest finds `conftest.py` by its name and folder.
    let tests = format!(
        "{PKG}//- /tests/conftest.py\nimport pytest\n@pytest.fixture\ndef answer():\n    return 42\n//- /tests/test_a.py\ndef test_a(answer):\n    assert answer == 42\n//- /setup.py\nfrom setuptools import setup\nsetup()\n"
    );
    for (from, to, finder) in [
        ("tests/conftest.py", "tests/fixtures.py", "a pytest `conftest.py`"),
        ("tests/conftest.py", "tests/sub/conftest.py", "a pytest `conftest.py`"),
        ("setup.py", "build.py", "what setuptools and pip run"),
    ] {
        let err = moved(&tests, from, to).unwrap_err().to_string();
        assert!(err.starts_with(&format!("{from} is {finder}")), "{from} -> {to}: {err}");
    }
    // Must stay: a test module beside it is renamed; a whole folder holding a conftest moves with it.
    assert!(moved(&tests, "tests/test_a.py", "tests/test_b.py").is_ok());
    assert!(moved(&tests, "tests", "checks").is_ok());
}

#[test]
fn a_string_of_code_importing_the_module_refuses_the_rename() {
    // Tester 24 case 06 (jinja2's compiler writes `"from jinja2.runtime import "`).
    let generated =
        format!("{PKG}//- /pkg/gen.py\ndef make(names):\n    ns = {{}}\n    exec(\"from pkg.util import \" + \", \".join(names), ns)\n    return ns\n");
    let err = moved(&generated, "pkg/util.py", "pkg/tools.py").unwrap_err().to_string();
    assert_eq!(
        err,
        "the string \"from pkg.util import \", code that imports `pkg.util` (run by `exec` or written out as source), at pkg/gen.py:3 cannot be updated exactly; the move is refused"
    );
    // Must stay: a whole dotted path is rewritten, a string importing another module stays.
    let kept = format!("{PKG}//- /pkg/gen.py\nTARGET = \"pkg.util.f\"\nCODE = \"from pkg.sub import m\"\n");
    let files = moved(&kept, "pkg/util.py", "pkg/tools.py").unwrap();
    assert_eq!(file(&files, "pkg/gen.py"), "TARGET = \"pkg.tools.f\"\nCODE = \"from pkg.sub import m\"\n");
}
