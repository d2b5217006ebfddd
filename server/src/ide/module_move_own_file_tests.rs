//! A module that finds its own file by the code it defines
//! (`inspect.getfile(f)`, `f.__code__.co_filename`,
//! `sys.modules[__name__].__file__`, …) is not moved away from its files
//! (tester 25 case 03), and one that asks for another module's file is.

use super::moved;

const RES: &str = "//- /pkg/__init__.py\n$0\n//- /pkg/res.py\nimport inspect\nimport os\nimport sys\n\n\ndef by_inspect():\n    return 1\n\n\nclass Loader:\n    def here(self):\n        return os.path.dirname(SELF)\n\n\ndef read():\n    return open(os.path.join(os.path.dirname(PATH), \"data.txt\")).read()\n//- /main.py\nfrom pkg import res\n";

/// How moving pkg/res.py to `to` ends with `PATH` spelled `path`: `moved`,
/// or the refusal's quoted expression.
fn outcome(path: &str, to: &str) -> String {
    let workspace = RES.replace("PATH", path).replace("SELF", "\"\"");
    match moved(&workspace, "pkg/res.py", to) {
        Ok(_) => "moved".to_owned(),
        Err(error) => error.to_string().split(" at ").next().unwrap_or_default().to_owned(),
    }
}

#[test]
fn the_file_of_its_own_code_or_module_refuses_a_move_to_another_folder() {
    let spellings = [
        "inspect.getfile(by_inspect)",
        "inspect.getsourcefile(Loader)",
        "inspect.getfile(Loader.here)",
        "inspect.getmodule(by_inspect).__file__",
        "by_inspect.__code__.co_filename",
        "sys.modules[__name__].__file__",
        "sys.modules.get(__name__).__file__",
        "__spec__.origin",
        "__loader__.path",
        "__loader__.get_filename()",
    ];
    let refused: Vec<String> = spellings.iter().map(|path| outcome(path, "pkg/sub/res.py")).collect();
    let quoted: Vec<String> = spellings.iter().map(|path| format!("`{path}`")).collect();
    assert_eq!(refused, quoted);
    let message = moved(&RES.replace("PATH", "by_inspect.__code__.co_filename").replace("SELF", "\"\""), "pkg/res.py", "pkg/sub/res.py").unwrap_err();
    assert_eq!(
        message.to_string(),
        "`by_inspect.__code__.co_filename` at pkg/res.py:16 finds a file by the module's own folder, which the move changes: the file would not be found after the move; move the module and its files by hand; the move is refused"
    );
    // A method's own class: `type(self)`, `self.__class__`.
    for own in ["inspect.getfile(type(self))", "inspect.getfile(self.__class__)"] {
        let workspace = RES.replace("PATH", "\"\"").replace("SELF", own);
        assert!(moved(&workspace, "pkg/res.py", "pkg/sub/res.py").unwrap_err().to_string().starts_with(&format!("`{own}` at pkg/res.py:12")), "{own}");
    }
    // Its own file name, by `inspect`: a rename in place loses it.
    let stem = RES.replace("os.path.dirname(PATH)", "os.path.splitext(os.path.basename(inspect.getfile(read)))[0]").replace("SELF", "\"\"");
    assert!(moved(&stem, "pkg/res.py", "pkg/store.py").unwrap_err().to_string().contains("builds a path from the module's own file name"));
}

#[test]
fn the_file_of_another_modules_code_or_a_move_in_place_stays_allowed() {
    // Must stay: a library's code, another module's, a name the module does not define.
    for path in ["inspect.getfile(os)", "inspect.getfile(json.dumps)", "sys.modules[\"json\"].__file__", "other.__code__.co_filename"] {
        assert_eq!(outcome(path, "pkg/sub/res.py"), "moved", "{path}");
    }
    // Must stay: renamed in its folder, the files are still beside it.
    assert_eq!(outcome("inspect.getfile(by_inspect)", "pkg/store.py"), "moved");
    assert_eq!(outcome("sys.modules[__name__].__file__", "pkg/store.py"), "moved");
}
