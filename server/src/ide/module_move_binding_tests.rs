//! A module read through a name another module binds (`app.reader`,
//! where `app/__init__.py` says `from .io import reader`): that import is
//! rewritten to keep its local name, so the chain stays as written.

use super::moved;

const APP: &str = "//- /app/__init__.py\nfrom .io import reader\n//- /app/io/__init__.py\n//- /app/io/reader.py\ndef re$0ad(s):\n    return s\n//- /test_r.py\nimport app\n\n\ndef test_r():\n    assert app.reader.read(1) == 1\n";

#[test]
fn a_module_read_through_a_name_its_package_binds_keeps_the_chain() {
    // Tester 22 case 07: the package renamed, then the module; `test_r.py` is not written.
    let files = moved(APP, "app/io", "app/iox").unwrap();
    assert_eq!(files, vec![("app/__init__.py".to_owned(), "from .iox import reader\n".to_owned())]);
    let files = moved(APP, "app/io/reader.py", "app/io/reader2.py").unwrap();
    assert_eq!(files, vec![("app/__init__.py".to_owned(), "from .io import reader2 as reader\n".to_owned())]);
}

#[test]
fn a_module_read_through_a_class_attribute_stays_refused() {
    // Twin: the name is a class's (`app.Readers.reader`), not a module's: not followed.
    let workspace =
        APP.replace("from .io import reader\n", "class Readers:\n    from .io import reader\n").replace("app.reader.read", "app.Readers.reader.read");
    let refused = moved(&workspace, "app/io", "app/iox").unwrap_err().to_string();
    assert_eq!(refused, "`app.Readers.reader.read` (through `app.Readers.reader`) at test_r.py:5 cannot be updated exactly; the move is refused");
}

#[test]
fn a_package_function_named_like_the_moved_module_keeps_its_own_name() {
    // Tester 23 case 01 (mistune): `def markdown` in `pkg/__init__.py`
    // beside `pkg/markdown.py` has the qualified name `pkg.markdown`, which
    // the move does not rename: its `__all__` entry means it before and after.
    let package = "//- /pkg/__init__.py\nfrom .markdown import Markdown\n\n\ndef markdown(text):\n    return Markdown().render(text)\n\n\n__all__ = [\"Markdown\", \"markdown\"]\n//- /pkg/markdown.py\nclass Mark$0down:\n    def render(self, text):\n        return text\n";
    let files = moved(package, "pkg/markdown.py", "pkg/md_core.py").unwrap();
    assert_eq!(files[0].0, "pkg/__init__.py");
    assert!(files[0].1.starts_with("from .md_core import Markdown\n"), "{files:?}");
    // The reader `from pkg import markdown` gets the function too: the
    // `def` runs after `__init__` imported the submodule (tester 23 case 01).
    let read = format!("{package}//- /main.py\nfrom pkg import markdown\n\nprint(markdown(\"x\"))\n");
    let files = moved(&read, "pkg/markdown.py", "pkg/md_core.py").unwrap();
    assert_eq!(files.iter().map(|(path, _)| path.as_str()).collect::<Vec<_>>(), ["pkg/__init__.py"]);
}

const READER: &str = "//- /main.py\nfrom pkg import markdown\n\nprint(markdown)\n//- /pkg/markdown.py\nclass Mark$0down:\n    pass\n";

#[test]
fn a_package_binding_before_the_submodule_import_leaves_the_reader_the_module() {
    // Twin: `def markdown` runs first, then importing the submodule sets
    // the attribute `pkg.markdown` to it: the reader's import is the
    // module's (the graph takes it for the function: refused, not edited).
    let init = "//- /pkg/__init__.py\ndef markdown(text):\n    return text\n\n\nfrom .markdown import Markdown\n";
    let refused = moved(&format!("{init}{READER}"), "pkg/markdown.py", "pkg/md_core.py").unwrap_err().to_string();
    assert_eq!(refused, "after the move, `markdown` at main.py:3 would no longer mean what it means now; the move is refused");
    // Nor when `__init__` does not import the submodule: which one the name
    // holds depends on whether something imported `pkg.markdown` before.
    let init = "//- /pkg/__init__.py\ndef markdown(text):\n    return text\n";
    assert!(moved(&format!("{init}{READER}"), "pkg/markdown.py", "pkg/md_core.py").is_err());
    // Nor under a condition.
    let init = "//- /pkg/__init__.py\nfrom .markdown import Markdown\n\nif Markdown:\n    def markdown(text):\n        return text\n";
    assert!(moved(&format!("{init}{READER}"), "pkg/markdown.py", "pkg/md_core.py").is_err());
}

#[test]
fn a_package_that_binds_nothing_of_the_name_leaves_the_reader_the_module() {
    // Twin: nothing in `pkg` is called `markdown`: the reader's import is the module's, rewritten.
    let files = moved(&format!("//- /pkg/__init__.py\nfrom .markdown import Markdown\n{READER}"), "pkg/markdown.py", "pkg/md_core.py").unwrap();
    assert_eq!(files[0], ("main.py".to_owned(), "from pkg import md_core as markdown\n\nprint(markdown)\n".to_owned()));
}
