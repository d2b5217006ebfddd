use super::*;

const CONNECT: &str = "def connect(\n    host,  # the server's name\n    port=5432,  # noqa: FBT001\n):\n    return (host, port)\n\n\nprint(connect(\"h\"))\n";

#[test]
fn a_comment_in_the_parameter_list_refuses_a_new_list_that_would_delete_it() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("c.py");
    std::fs::write(&file, CONNECT).unwrap();
    let location = format!("{}:1", file.display());
    let error = signature(&location, "(host, port=5432, retries=0)", true, None).unwrap_err();
    assert!(error.starts_with("the parameter list of `connect` holds the comment `# the server's name` (line 2), which the new list would delete"), "{error}");
    assert_eq!(std::fs::read_to_string(&file).unwrap(), CONNECT, "nothing written");
    // Must stay: a new list that writes the comments again is applied.
    let kept = "(\n    host,  # the server's name\n    port=5432,  # noqa: FBT001\n    retries=0,\n)";
    signature(&location, kept, true, None).unwrap();
    assert!(std::fs::read_to_string(&file).unwrap().starts_with(&format!("def connect{kept}:\n")));
}

#[test]
fn a_parameter_list_without_comments_is_rewritten() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("c.py");
    std::fs::write(&file, "def f(\n    a,\n    b=1,\n):\n    return a + b\n").unwrap();
    signature(&format!("{}:1", file.display()), "(a, b=1, c=0)", true, None).unwrap();
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "def f(a, b=1, c=0):\n    return a + b\n");
}

#[test]
fn a_file_the_graph_could_not_read_refuses_a_change_only_where_it_spells_the_name_as_a_word() {
    let dir = tempfile::tempdir().unwrap();
    let calc = dir.path().join("calc.py");
    std::fs::write(&calc, "def total(a, b):\n    return a - b\n\n\ndef use():\n    return total(5, 1)\n").unwrap();
    // Latin-1 by its coding cookie: valid Python, not UTF-8, so not indexed.
    // `subtotal` and `cafe` beside a Latin-1 byte are no `total`.
    std::fs::write(dir.path().join("legacy.py"), b"# -*- coding: latin-1 -*-\nLABEL = \"subtotal caf\xe9 totally\"\n").unwrap();
    signature(&format!("{}:1", calc.display()), "(b, a)", true, None).unwrap();
    assert!(std::fs::read_to_string(&calc).unwrap().contains("def total(b, a):\n    return a - b\n\n\ndef use():\n    return total(1, 5)\n"));
    // Must stay: the word itself (beside a byte that is not UTF-8 too) refuses, nothing written.
    let legacy = b"# -*- coding: latin-1 -*-\nfrom calc import total\nprint(total(1, 2), '\xe9total')\n";
    std::fs::write(dir.path().join("legacy.py"), legacy).unwrap();
    let before = std::fs::read_to_string(&calc).unwrap();
    let error = signature(&format!("{}:1", calc.display()), "(a, b)", true, None).unwrap_err();
    assert!(error.contains("legacy.py spells `total` but was not indexed"), "{error}");
    assert_eq!(std::fs::read_to_string(&calc).unwrap(), before, "nothing written");
}

#[test]
fn the_same_parameters_written_otherwise_change_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("c.py");
    let text = "def f(\n    a,\n    b='x',\n):\n    return a + b\n\n\nprint(f(1))\n";
    std::fs::write(&file, text).unwrap();
    let location = format!("{}:1", file.display());
    // Other spacing and quotes: the list is not re-flowed, nothing is written.
    assert_eq!(signature(&location, "(a, b=\"x\")", true, None).unwrap(), "");
    assert_eq!(std::fs::read_to_string(&file).unwrap(), text);
    // Must stay: another default is a change.
    signature(&location, "(a, b='y')", true, None).unwrap();
    assert!(std::fs::read_to_string(&file).unwrap().starts_with("def f(a, b='y'):\n"));
}
