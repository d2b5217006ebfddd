//! Moved code that finds its own file (`inspect.getfile(f)`,
//! `f.__code__.co_filename`) would find the new module's (tester 25 case
//! 03); code that finds a staying function's file keeps finding it.

use expect_test::expect;

use super::outcomes;

const RES: &str = "//- /pkg/__init__.py\n//- /pkg/sub/__init__.py\n//- /pkg/res.py\nimport inspect\nimport os\n\n\ndef helper():\n    return 1\n\n\ndef re$0ad():\n    return open(os.path.join(os.path.dirname(PATH), \"data.txt\")).read()\n\n\nclass Loader:\n    def here(self):\n        return STAYING\n";

#[test]
fn moved_code_finding_its_own_file_is_refused() {
    let fills = ["inspect.getfile(read)", "read.__code__.co_filename", "inspect.getsourcefile(read)", "inspect.getmodule(read).__file__"];
    expect![[r#"
        [
            "refused: `inspect.getfile(read)` at pkg/res.py:10 is the file of `read`'s module, which the move changes: moved, it would find the new module's file; the move is refused",
            "refused: `read.__code__.co_filename` at pkg/res.py:10 is the file of `read`'s module, which the move changes: moved, it would find the new module's file; the move is refused",
            "refused: `inspect.getsourcefile(read)` at pkg/res.py:10 is the file of `read`'s module, which the move changes: moved, it would find the new module's file; the move is refused",
            "refused: `inspect.getmodule(read).__file__` at pkg/res.py:10 is the file of `read`'s module, which the move changes: moved, it would find the new module's file; the move is refused",
        ]
    "#]]
    .assert_debug_eq(&outcomes(&RES.replace("STAYING", "1"), "PATH", &fills, "pkg/sub/new.py"));
    // Code staying in the old module that asks for the moved function's file.
    let staying = RES.replace("PATH", "\"\"").replace("STAYING", "inspect.getfile(read)");
    expect![[r#"
        [
            "refused: `inspect.getfile(read)` at pkg/res.py:15 is the file of `read`'s module, which the move changes: moved, it would find the new module's file; the move is refused",
        ]
    "#]]
    .assert_debug_eq(&outcomes(&staying, "HOLE", &["x"], "pkg/sub/new.py"));
}

#[test]
fn moved_code_finding_a_staying_functions_or_a_librarys_file_moves() {
    // Must stay: `helper` stays in pkg/res.py, imported from there; `os` is a library's.
    let fills = ["inspect.getfile(helper)", "helper.__code__.co_filename", "inspect.getfile(os)"];
    expect![[r#"
        [
            "moved",
            "moved",
            "moved",
        ]
    "#]]
    .assert_debug_eq(&outcomes(&RES.replace("STAYING", "inspect.getfile(type(self))"), "PATH", &fills, "pkg/sub/new.py"));
}
