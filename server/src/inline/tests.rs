//! The gate and the prompt formats on fixtures: a workspace with a `$0`
//! cursor, the model's answer, and what is shown.

use expect_test::expect;

use crate::context::fim::ContextFile;
use crate::ide::fixture;
use crate::inline::{Family, Shape, Suggestion, format, gate};
use crate::settings::{CompletionProvider, PromptFormat};

/// What the gate shows for `answer` at the fixture's cursor (`None`: nothing).
fn check_gate(fixture: &str, answer: &str, expected: Option<&str>) {
    let (graph, file, offset) = fixture::graph(fixture);
    let shown = gate(&graph, file, offset as usize, answer, None).map(|s| s.text);
    assert_eq!(shown.as_deref(), expected, "answer {answer:?}");
    // Reparsing the buffer's tree incrementally decides the same.
    let tree = crate::syntax::parse_rope(&ropey::Rope::from_str(graph.file(file).unwrap().text()), None);
    let incremental = gate(&graph, file, offset as usize, answer, tree.as_ref()).map(|s| s.text);
    assert_eq!(incremental.as_deref(), expected, "answer {answer:?}, incrementally");
}

const SHOP: &str = r#"
//- /shop/pricing.py
def total(items, tax):
    return sum(items) * tax

//- /shop/cart.py
from shop.pricing import total

def checkout(items):
    rate = 1.2
    $0
"#;

#[test]
fn a_suggestion_whose_names_resolve_is_shown() {
    check_gate(SHOP, "return total(items, rate)", Some("return total(items, rate)"));
    check_gate(SHOP, "count = len(items)\n    return count", Some("count = len(items)\n    return count"));
}

#[test]
fn an_undefined_name_drops_its_line_and_what_follows() {
    check_gate(SHOP, "return total(items, discount)", None);
    check_gate(SHOP, "n = len(items)\n    return total(items, discount)", Some("n = len(items)"));
}

#[test]
fn names_a_match_statement_captures_resolve() {
    let answer = "match items:\n        case [first, *rest]:\n            return total(rest, first)\n        case _:\n            return 0";
    check_gate(SHOP, answer, Some(answer));
}

#[test]
fn a_call_with_the_wrong_arity_is_not_shown() {
    check_gate(SHOP, "return total(items)", None);
    check_gate(SHOP, "return total(items, rate, 3)", None);
}

#[test]
fn the_suggestion_ends_with_its_block_and_before_the_suffix_repeats() {
    check_gate(SHOP, "return total(items, rate)\n\ndef other():\n    pass", Some("return total(items, rate)"));
    let fixture = "//- /m.py\ndef f(xs):\n    $0\n    return xs\n";
    check_gate(fixture, "xs = sorted(xs)\n    return xs", Some("xs = sorted(xs)"));
}

#[test]
fn a_suggestion_that_breaks_the_parse_is_cut_to_lines_that_parse() {
    check_gate(SHOP, "n = len(items)\n    return (n +", Some("n = len(items)"));
    check_gate(SHOP, "return (", None);
}

#[test]
fn a_repeated_closing_bracket_replaces_the_one_after_the_cursor() {
    let (graph, file, offset) = fixture::graph("//- /m.py\ndef f(xs):\n    print($0)\n");
    let offset = offset as usize;
    assert_eq!(gate(&graph, file, offset, "len(xs))", None), Some(Suggestion { text: "len(xs))".into(), replace: offset..offset + 1 }));
    assert_eq!(gate(&graph, file, offset, "len(xs)", None), Some(Suggestion { text: "len(xs)".into(), replace: offset..offset }));
}

#[test]
fn module_names_set_by_the_import_system_resolve() {
    check_gate("//- /m.py\ndef main():\n    pass\n\n$0\n", "if __name__ == \"__main__\":\n    main()", Some("if __name__ == \"__main__\":\n    main()"));
}

#[test]
fn the_format_follows_the_model_family_unless_overridden() {
    let shape = |format, provider, model| Shape::choose(format, provider, model);
    assert_eq!(shape(PromptFormat::Auto, CompletionProvider::Ollama, "qwen2.5-coder:1.5b"), Shape::Family(Family::Qwen));
    assert_eq!(shape(PromptFormat::Auto, CompletionProvider::OpenAi, "bigcode/starcoder2-3b"), Shape::Family(Family::StarCoder));
    assert_eq!(shape(PromptFormat::Auto, CompletionProvider::Ollama, "deepseek-coder:1.3b-base"), Shape::Family(Family::DeepSeek));
    assert_eq!(shape(PromptFormat::Auto, CompletionProvider::Ollama, "llama3"), Shape::Native);
    assert_eq!(shape(PromptFormat::Native, CompletionProvider::Ollama, "qwen2.5-coder:1.5b"), Shape::Native);
    assert_eq!(shape(PromptFormat::Auto, CompletionProvider::LlamaCpp, "qwen2.5-coder"), Shape::Native);
    assert_eq!(shape(PromptFormat::Auto, CompletionProvider::Anthropic, "claude"), Shape::Chat);
    assert_eq!(shape(PromptFormat::Chat, CompletionProvider::Ollama, "qwen2.5-coder"), Shape::Chat);
    assert_eq!(format::answer_code(Shape::Chat, "Here:\n```python\nx = 1\n```\n"), "x = 1");
}

#[test]
fn each_family_writes_its_own_format_with_the_other_files() {
    let files = [ContextFile { path: "shop/pricing.py".into(), text: "def total(items, tax): ...".into() }];
    let parts = format::Parts { repo: "my shop", path: "shop/cart.py", prefix: "x = ", suffix: "\ny = 2\n", files: &files };
    let prompt = |family| format::request(Shape::Family(family), CompletionProvider::Ollama, &parts, 8, false).prompt;
    expect![[r#"
        <|repo_name|>my shop
        <|file_sep|>shop/pricing.py
        def total(items, tax): ...
        <|file_sep|>shop/cart.py
        <|fim_prefix|>x = <|fim_suffix|>
        y = 2
        <|fim_middle|>"#]]
    .assert_eq(&prompt(Family::Qwen));
    expect![[r#"
        <repo_name>my shop<file_sep>shop/pricing.py
        def total(items, tax): ...
        <file_sep><fim_prefix>shop/cart.py
        x = <fim_suffix>
        y = 2
        <fim_middle>"#]]
    .assert_eq(&prompt(Family::StarCoder));
    expect![[r#"
        <｜fim▁begin｜># shop/pricing.py
        def total(items, tax): ...

        # shop/cart.py
        x = <｜fim▁hole｜>
        y = 2
        <｜fim▁end｜>"#]]
    .assert_eq(&prompt(Family::DeepSeek));
    expect![[r#"
        [SUFFIX]
        y = 2
        [PREFIX]# shop/pricing.py
        # def total(items, tax): ...

        x = "#]]
    .assert_eq(&prompt(Family::Codestral));
    let native = format::request(Shape::Native, CompletionProvider::OpenAi, &parts, 8, false);
    expect![[r#"
        # shop/pricing.py
        # def total(items, tax): ...

        x = "#]]
    .assert_eq(&native.prompt);
    assert_eq!(native.infill.and_then(|i| i.suffix).as_deref(), Some("\ny = 2\n"));
}

#[test]
fn the_prompt_keeps_whole_lines_of_long_files_and_masks_secrets() {
    let long = format!("{}token = \"ghp_{}\"\ndef f():\n    $0\n{}", "é = 1\n".repeat(4000), "a".repeat(36), "ü = 2\n".repeat(2000));
    let (graph, file, offset) = fixture::graph(&format!("//- /m.py\n{long}"));
    let settings = crate::settings::Settings::default();
    let prepared = crate::inline::prepare(&graph, file, offset as usize, &settings, &[], false).unwrap();
    let prompt = &prepared.request.prompt;
    // The prefix starts at a line; the file's definitions beyond it may come as context.
    assert!(prompt.contains("<|fim_prefix|>é = 1\n") && prompt.len() < 30_000, "{prompt}");
    assert!(!prompt.contains("ghp_") && prepared.secrets_masked == 1, "{prompt}");
    assert!(prompt.ends_with("ü = 2\n<|fim_middle|>"));
    // A position inside a character or past the end is refused.
    assert!(crate::inline::prepare(&graph, file, 1, &settings, &[], false).is_err());
    assert!(crate::inline::prepare(&graph, file, usize::MAX, &settings, &[], false).is_err());
}

#[test]
fn names_bound_by_the_suggestion_itself_resolve() {
    let fixture = "//- /m.py\nimport os\n\ndef f(paths):\n    $0\n";
    for answer in [
        "for p in paths:\n        print(p)",
        "with open(paths[0]) as handle:\n        return handle.read()",
        "try:\n        os.remove(paths[0])\n    except OSError as error:\n        print(error)",
        "return [p.upper() for p in paths if (n := len(p)) > n - 1]",
        "key = lambda p: os.path.basename(p)\n    return sorted(paths, key=key)",
        "return f\"{len(paths)} paths in {os.getcwd()}\"",
        "global counter\n    counter = len(paths)",
    ] {
        check_gate(fixture, answer, Some(answer));
    }
}

#[test]
fn a_block_header_without_its_body_is_not_shown() {
    check_gate(SHOP, "for item in items:", None);
    check_gate(SHOP, "n = len(items)\n    if n:", Some("n = len(items)"));
}

#[test]
fn a_stream_has_left_the_block_once_a_line_is_dedented_below_the_cursor() {
    use crate::inline::block_ended;
    assert!(!block_ended("def f(xs):\n    ", "n = len(xs)\n    if n:\n        return n"));
    assert!(!block_ended("def f(xs):\n    ", "n = len(xs)\n  "), "indentation still being written");
    assert!(block_ended("def f(xs):\n    ", "return xs\n\ndef g"));
    assert!(!block_ended("x = 1\n", "def g():\n    return 2\n"), "at module level nothing is left");
}

#[test]
fn a_call_a_typed_library_does_not_accept_is_not_shown() {
    let fixture = format!("{}//- /m.py\nimport json\nimport typedlib\n\ndef f(url):\n    $0\n", fixture::LIBRARY);
    check_gate(&fixture, "return json.lods(url)", None);
    check_gate(&fixture, "return typedlib.fetch(url, timout=5)", None);
    check_gate(
        &fixture,
        "data = typedlib.fetch(url, timeout=5)\n    return json.loads(data)",
        Some("data = typedlib.fetch(url, timeout=5)\n    return json.loads(data)"),
    );
    // An untyped library's names are not checked: it may make them at run time.
    let untyped = format!("{}//- /m.py\nimport requests\n\ndef f(url):\n    $0\n", fixture::LIBRARY);
    check_gate(&untyped, "return requests.gett(url)", Some("return requests.gett(url)"));
}
