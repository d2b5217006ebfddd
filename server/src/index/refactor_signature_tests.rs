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
