//! A file with an expression nested deeper than the walks take
//! ([`crate::syntax::MAX_DEPTH`]): the refactorings refuse it, never
//! overflow the stack (test-ref24 case 08).

use super::*;

fn chain(terms: usize) -> String {
    format!("def f(a):\n    x = {}\n    return x\n\n\ndef g():\n    return f(1)\n", vec!["a"; terms].join(" + "))
}

#[test]
fn a_move_and_an_inline_in_a_file_nested_too_deep_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("chain.py");
    let deep = chain(crate::syntax::MAX_DEPTH + 300);
    std::fs::write(&file, &deep).unwrap();
    let error = move_symbol(&format!("{}:1", file.display()), &dir.path().join("newm.py"), true).unwrap_err();
    assert!(error.contains("syntax error"), "{error}");
    let at = FilePosition { file: file.clone(), line: 1, column: 5 };
    let error = inline(&at, true).unwrap_err();
    assert!(error.contains("syntax error"), "{error}");
    assert_eq!(std::fs::read_to_string(&file).unwrap(), deep, "nothing written");
    // Must stay: a long chain the walks take moves.
    std::fs::write(&file, chain(200)).unwrap();
    move_symbol(&format!("{}:1", file.display()), &dir.path().join("newm.py"), true).unwrap();
    assert!(std::fs::read_to_string(dir.path().join("newm.py")).unwrap().starts_with("def f(a):\n"));
}
