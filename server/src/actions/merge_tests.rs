use super::*;
use crate::actions::request_rules::tests::refactor_in;

const ROUTES: &str = "from json import loads\n\n\n@bp.route(\"/post\")\n# only for members\n@login_required\ndef update(id):\n    \"\"\"Update a post.\"\"\"\n    if id:\n        return loads(id)\n    return None\n\n\nCONFIG = loads(\"{}\")\n";

fn merged(file: &str, instruction: &str, reply: &str) -> Result<String, String> {
    let job = refactor_in(file, "@bp.route", "return None", instruction);
    merge_reply(&job, &[Block::Code(reply.to_owned())]).map(|m| m.text)
}

#[test]
fn decorators_a_reply_leaves_out_are_kept_unless_the_instruction_is_about_them() {
    let reply = "def update(id):\n    return loads(id) if id else None\n";
    let kept = merged(ROUTES, "use a conditional expression", reply).unwrap();
    assert_eq!(
        kept,
        ROUTES.replace("    if id:\n        return loads(id)\n    return None\n", "    return loads(id) if id else None\n"),
        "the decorators, the comment among them and the docstring stay"
    );
    let dropped = merged(ROUTES, "remove the decorators", reply).unwrap();
    assert!(!dropped.contains("@login_required"), "{dropped}");
}

#[test]
fn a_docstring_the_reply_leaves_out_is_kept_after_a_def_line_ended_by_a_bare_return() {
    let expected = ROUTES.replace("    if id:\n        return loads(id)\n    return None\n", "    return loads(id) if id else None\n");
    let kept = merged(ROUTES, "use a conditional expression", "def update(id):\r    return loads(id) if id else None\n").unwrap();
    assert_eq!(kept.replace('\r', "\n"), expected, "the docstring on the line after the def");
    // Must stay: the same reply with `\n`.
    assert_eq!(merged(ROUTES, "use a conditional expression", "def update(id):\n    return loads(id) if id else None\n").unwrap(), expected);
}

#[test]
fn a_helper_may_not_take_a_name_the_module_binds_otherwise() {
    let reply = "def loads(text):\n    return text.split()\n\n\ndef update(id):\n    return loads(id)\n";
    let error = merged(ROUTES, "simplify", reply).unwrap_err();
    assert_eq!(
        error,
        "the reply adds a helper `loads`, but `loads` already names an import at that level, which the rest of the file uses; give the helper another name"
    );
}

#[test]
fn a_crlf_file_keeps_crlf_on_the_lines_the_reply_wrote() {
    let crlf = ROUTES.replace('\n', "\r\n");
    let text = merged(&crlf, "simplify", "def update(id):\n    return loads(id) if id else None\n").unwrap();
    assert_eq!(text.matches("\r\n").count(), text.matches('\n').count(), "{text:?}");
    assert!(text.contains("@login_required\r\ndef update(id):\r\n"), "{text:?}");
}

#[test]
fn a_block_that_repeats_the_code_as_it_is_gives_way_to_the_one_that_changes_it() {
    let job = refactor_in(ROUTES, "@bp.route", "return None", "simplify");
    let before = "def update(id):\n    \"\"\"Update a post.\"\"\"\n    if id:\n        return loads(id)\n    return None\n";
    let after = "def update(id):\n    return loads(id) if id else None\n";
    let merged = merge_reply(&job, &[Block::Code(before.to_owned()), Block::Code(after.to_owned())]).unwrap();
    assert!(merged.text.contains("return loads(id) if id else None"), "{}", merged.text);
    let error = merge_reply(&job, &[Block::Code(before.to_owned())]).map(|m| m.text).unwrap_err();
    assert_eq!(error, "the reply's code is the code as it is: it changes nothing");
}

#[test]
fn tests_appended_bring_only_the_imports_the_test_file_lacks_into_its_import_block() {
    let file = "from shop.cart import Cart, total\n\n\ndef test_cart():\n    assert Cart()\n";
    let job = Job { placement: crate::actions::place::Placement::Append, ..refactor_in(ROUTES, "@bp.route", "return None", "") };
    let job = Job { original: file.to_owned(), path: "tests/test_cart.py".into(), task: Task::WriteTests { function: "total".to_owned() }, ..job };
    let reply = "import pytest\n\nfrom shop.cart import total\n\n\n@pytest.mark.parametrize(\"x\", [1])\ndef test_total(x):\n    assert total([x]) == x\n";
    let merged = merge_reply(&job, &[Block::Code(reply.to_owned())]).unwrap();
    assert_eq!(
        merged.text,
        "import pytest\nfrom shop.cart import Cart, total\n\n\ndef test_cart():\n    assert Cart()\n\n\n@pytest.mark.parametrize(\"x\", [1])\ndef test_total(x):\n    assert total([x]) == x\n"
    );
}

#[test]
fn a_body_that_ends_in_words_for_the_code_it_leaves_out_is_refused() {
    for ending in ["    # ... rest unchanged ...\n", "    # rest unchanged\n", "    pass  # existing code\n", "    # TODO: keep original computation\n"] {
        let reply = format!("def update(id):\n    if not id:\n        raise ValueError(id)\n{ending}");
        let error = merged(ROUTES, "validate id", &reply).unwrap_err();
        assert!(error.contains("placeholder"), "{ending:?}: {error}");
    }
}

#[test]
fn an_overload_stub_lends_the_implementation_no_decorator() {
    let file = "from typing import overload\n\n\n@overload\ndef load(data: str) -> str: ...\n@overload\ndef load(data: bytes) -> str: ...\ndef load(data):\n    return str(data)\n";
    let job = refactor_in(file, "def load(data):", "return str(data)", "decode bytes first");
    let reply = "def load(data):\n    return data.decode() if isinstance(data, bytes) else data\n";
    let text = merge_reply(&job, &[Block::Code(reply.to_owned())]).unwrap().text;
    assert!(
        text.ends_with("@overload\ndef load(data: bytes) -> str: ...\ndef load(data):\n    return data.decode() if isinstance(data, bytes) else data\n"),
        "{text}"
    );
}

#[test]
fn of_several_blocks_defining_the_target_the_last_is_taken() {
    let first = "def update(id):\n    return None\n";
    let corrected = "def update(id):\n    return loads(id) if id else None\n";
    let job = refactor_in(ROUTES, "@bp.route", "return None", "simplify");
    let text = merge_reply(&job, &[Block::Code(first.to_owned()), Block::Code(corrected.to_owned())]).unwrap().text;
    assert!(text.contains("return loads(id) if id else None"), "{text}");
}

#[test]
fn a_reply_that_also_changes_a_module_constant_is_refused_not_half_applied() {
    let reply = "CONFIG = loads(\"[]\")\n\n\ndef update(id):\n    return loads(id) if id else CONFIG\n";
    let error = merged(ROUTES, "simplify", reply).unwrap_err();
    assert_eq!(error, "the reply also changes `CONFIG`, which is outside the target; change only `update`");
    // Repeated as it is, it is no change.
    let repeated = "def update(id):\n    return loads(id) if id else None\n\n\nCONFIG = loads(\"{}\")\n";
    assert!(merged(ROUTES, "simplify", repeated).is_ok());
}
