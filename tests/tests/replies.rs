//! The shapes real models reply in, scripted through `pyloom llm
//! implement|refactor|fix --apply` over each wire protocol (OpenAI-compatible,
//! Ollama, Anthropic) on 127.0.0.1. Every shape must give exactly the
//! intended file on the first attempt; a cut answer is reported as such and
//! leaves the file untouched; a reply that cannot be placed is retried with
//! the reason.
//!
//! The corpus is the table [`CORPUS`]: a reply, and the file it must give
//! as edits of `fixtures/replies/shop/cart.py`. In replies, `{BODY}` stands
//! for the implementation, `{FILE}` for the whole expected file and
//! `{CLASS}` for its class `Cart`.

use std::path::{Path, PathBuf};
use std::process::Output;

use pyloom_e2e::fixture;
use pyloom_e2e::http::{Reply, ScriptedServer};
use serde_json::json;

const CART: &str = "shop/cart.py";
const BODY: &str = "return sum(unit_price(sku) * qty for sku, qty in self.items.items())";

#[derive(Clone, Copy, Debug)]
enum Protocol {
    OpenAi,
    Ollama,
    Anthropic,
}

impl Protocol {
    fn name(self) -> &'static str {
        match self {
            Protocol::OpenAi => "openai",
            Protocol::Ollama => "ollama",
            Protocol::Anthropic => "anthropic",
        }
    }

    /// A whole (non-streamed) answer; `reasoning` goes where the protocol
    /// puts a reasoning model's thinking.
    fn answer(self, text: &str, reasoning: Option<&str>, cut: bool) -> Reply {
        let body = match self {
            Protocol::OpenAi => json!({
                "choices": [{"message": {"role": "assistant", "content": text, "reasoning_content": reasoning}, "finish_reason": if cut { "length" } else { "stop" }}],
                "usage": {"prompt_tokens": 100, "completion_tokens": 20},
            }),
            Protocol::Ollama => json!({
                "message": {"role": "assistant", "content": text, "thinking": reasoning},
                "done": true, "done_reason": if cut { "length" } else { "stop" }, "prompt_eval_count": 100, "eval_count": 20,
            }),
            Protocol::Anthropic => {
                let mut content = Vec::new();
                if let Some(thinking) = reasoning {
                    content.push(json!({"type": "thinking", "thinking": thinking, "signature": "sig"}));
                }
                content.push(json!({"type": "text", "text": text}));
                json!({"content": content, "stop_reason": if cut { "max_tokens" } else { "end_turn" }, "usage": {"input_tokens": 100, "output_tokens": 20}})
            }
        };
        Reply::json(200, &body.to_string())
    }
}

const PROTOCOLS: [Protocol; 3] = [Protocol::OpenAi, Protocol::Ollama, Protocol::Anthropic];

struct Case {
    name: &'static str,
    /// `implement`, `refactor` or `fix`, at this 1-based line of cart.py.
    action: &'static str,
    line: usize,
    reasoning: Option<&'static str>,
    reply: &'static str,
    /// The expected file: cart.py with these replacements.
    expected: &'static [(&'static str, &'static str)],
}

const IMPLEMENTED: &[(&str, &str)] = &[("        ...\n", "        return sum(unit_price(sku) * qty for sku, qty in self.items.items())\n")];
const WITH_MATH: &[(&str, &str)] =
    &[("import os\n", "import math\nimport os\n"), ("        ...\n", "        return math.fsum(unit_price(sku) * qty for sku, qty in self.items.items())\n")];
const WITH_HELPER: &[(&str, &str)] = &[
    ("    def total(self):\n", "    def _line_total(self, sku, qty):\n        return unit_price(sku) * qty\n\n    def total(self):\n"),
    ("        ...\n", "        return sum(self._line_total(sku, qty) for sku, qty in self.items.items())\n"),
];
const REFACTORED: &[(&str, &str)] = &[(
    "        if sku not in self.items:\n            self.items[sku] = 0\n        self.items[sku] += qty\n",
    "        self.items[sku] = self.items.get(sku, 0) + qty\n",
)];
const IMPORT_REMOVED: &[(&str, &str)] = &[("import os\n", "")];
const SHIPPING_FIXED: &[(&str, &str)] = &[("def shipping(weight):\n", "def shipping(weight, rate_per_kg=2.5):\n")];

const fn case(name: &'static str, action: &'static str, line: usize, reply: &'static str, expected: &'static [(&'static str, &'static str)]) -> Case {
    Case { name, action, line, reasoning: None, reply, expected }
}

const CORPUS: &[Case] = &[
    // Implement `Cart.total` (its `...` is line 22).
    case("body", "implement", 22, "Here is the body:\n```python\n{BODY}\n```\n", IMPLEMENTED),
    case("def without its docstring", "implement", 22, "```python\ndef total(self):\n    {BODY}\n```", IMPLEMENTED),
    case(
        "the module's imports repeated above the def",
        "implement",
        22,
        "```python\nimport os\n\nfrom shop.pricing import unit_price\n\n\ndef total(self):\n    \"\"\"The price of everything in the cart.\"\"\"\n    {BODY}\n```",
        IMPLEMENTED,
    ),
    case("the whole file", "implement", 22, "```python\n{FILE}```", IMPLEMENTED),
    case("the whole class", "implement", 22, "The class with `total` implemented:\n\n```python\n{CLASS}```", IMPLEMENTED),
    case(
        "a new import above the body",
        "implement",
        22,
        "```python\nimport math\n\nreturn math.fsum(unit_price(sku) * qty for sku, qty in self.items.items())\n```",
        WITH_MATH,
    ),
    case(
        "a new import above the def",
        "implement",
        22,
        "```python\nimport math\n\n\ndef total(self):\n    return math.fsum(unit_price(sku) * qty for sku, qty in self.items.items())\n```",
        WITH_MATH,
    ),
    case(
        "a <think> section with a draft",
        "implement",
        22,
        "<think>\nA draft:\n```python\nreturn 0\n```\nNo: it must add up the prices.\n</think>\n\n```python\n{BODY}\n```",
        IMPLEMENTED,
    ),
    Case {
        name: "a draft in the provider's reasoning field",
        action: "implement",
        line: 22,
        reasoning: Some("Draft:\n```python\nreturn 0\n```"),
        reply: "```python\n{BODY}\n```",
        expected: IMPLEMENTED,
    },
    case(
        "a usage example before the implementation",
        "implement",
        22,
        "Usage:\n```python\ncart = Cart()\ncart.add(\"pear\", 2)\nprint(cart.total())\n```\nThe method:\n```python\ndef total(self):\n    {BODY}\n```",
        IMPLEMENTED,
    ),
    case("a comment naming the file", "implement", 22, "```python\n# shop/cart.py\n{BODY}\n```", IMPLEMENTED),
    case("tabs", "implement", 22, "```python\ndef total(self):\n\t\"\"\"The price of everything in the cart.\"\"\"\n\t{BODY}\n```", IMPLEMENTED),
    case("docstring and body without the def", "implement", 22, "```python\n\"\"\"The price of everything in the cart.\"\"\"\n{BODY}\n```", IMPLEMENTED),
    case("a fence with attributes", "implement", 22, "```python title=\"shop/cart.py\"\n    def total(self):\n        {BODY}\n```", IMPLEMENTED),
    case("bare code", "implement", 22, "def total(self):\n    {BODY}\n", IMPLEMENTED),
    case("JSON", "implement", 22, "{\"code\": \"{BODY}\"}", IMPLEMENTED),
    case(
        "a unified diff",
        "implement",
        22,
        "```diff\n--- a/shop/cart.py\n+++ b/shop/cart.py\n@@ -20,3 +20,3 @@\n     def total(self):\n         \"\"\"The price of everything in the cart.\"\"\"\n-        ...\n+        {BODY}\n```",
        IMPLEMENTED,
    ),
    case(
        "a new helper beside the method",
        "implement",
        22,
        "```python\ndef _line_total(self, sku, qty):\n    return unit_price(sku) * qty\n\n\ndef total(self):\n    return sum(self._line_total(sku, qty) for sku, qty in self.items.items())\n```",
        WITH_HELPER,
    ),
    // Edit formats (#28).
    case(
        "SEARCH/REPLACE with a path line",
        "implement",
        22,
        "shop/cart.py\n```python\n<<<<<<< SEARCH\n        \"\"\"The price of everything in the cart.\"\"\"\n        ...\n=======\n        \"\"\"The price of everything in the cart.\"\"\"\n        {BODY}\n>>>>>>> REPLACE\n```",
        IMPLEMENTED,
    ),
    case(
        "SEARCH/REPLACE without a path",
        "implement",
        22,
        "<<<<<<< SEARCH\n    def total(self):\n        \"\"\"The price of everything in the cart.\"\"\"\n        ...\n=======\n    def total(self):\n        \"\"\"The price of everything in the cart.\"\"\"\n        {BODY}\n>>>>>>> REPLACE\n",
        IMPLEMENTED,
    ),
    case(
        "an OpenAI patch with anchors",
        "implement",
        22,
        "*** Begin Patch\n*** Update File: shop/cart.py\n@@ class Cart:\n@@     def total(self):\n         \"\"\"The price of everything in the cart.\"\"\"\n-        ...\n+        {BODY}\n*** End Patch",
        IMPLEMENTED,
    ),
    case(
        "a unified diff with a context line that is off",
        "implement",
        22,
        "```diff\n--- a/shop/cart.py\n+++ b/shop/cart.py\n@@ -20,5 +20,5 @@\n     def total(self):\n         \"\"\"The price of everything in the cart.\"\"\"\n-        ...\n+        {BODY}\n \n     def shipping(weight):\n```",
        IMPLEMENTED,
    ),
    case(
        "a dedented unified diff without numbers",
        "implement",
        22,
        "```diff\n@@\n def total(self):\n     \"\"\"The price of everything in the cart.\"\"\"\n-    ...\n+    {BODY}\n```",
        IMPLEMENTED,
    ),
    case(
        "`// ... existing code ...` in the class",
        "implement",
        22,
        "```python\nclass Cart:\n    // ... existing code ...\n\n    def total(self):\n        {BODY}\n```",
        IMPLEMENTED,
    ),
    case(
        "`# ... rest unchanged ...` around the method",
        "implement",
        22,
        "```python\n# ... existing imports ...\n\nclass Cart:\n    # ... rest unchanged ...\n\n    def total(self):\n        \"\"\"The price of everything in the cart.\"\"\"\n        # ... existing code ...\n        {BODY}\n\n/* ... other functions unchanged ... */\n```",
        IMPLEMENTED,
    ),
    case("no-break spaces in the indentation", "implement", 22, "```python\ndef total(self):\n\u{a0}\u{a0}\u{a0}\u{a0}{BODY}\n```", IMPLEMENTED),
    case("zero-width spaces in the indentation", "implement", 22, "```python\n\u{200b}def total(self):\n\u{200b}    {BODY}\n```", IMPLEMENTED),
    // What was asked, and nothing else (#28).
    case(
        "a test function and `import pytest` beside the def",
        "implement",
        22,
        "```python\nimport pytest\n\nfrom shop.cart import Cart\n\n\ndef total(self):\n    {BODY}\n\n\ndef test_total():\n    assert Cart().total() == 0\n```",
        IMPLEMENTED,
    ),
    case(
        "an unused example beside the def",
        "implement",
        22,
        "```python\ndef total(self):\n    {BODY}\n\n\ndef example():\n    return Cart().total()\n```",
        IMPLEMENTED,
    ),
    case(
        "an `if __name__` demo after the body",
        "implement",
        22,
        "```python\n{BODY}\n\n\nif __name__ == \"__main__\":\n    print(Cart().total())\n```",
        IMPLEMENTED,
    ),
    // Refactor `Cart.add` (line 14) with "use dict.get".
    case(
        "SEARCH/REPLACE of the body's lines",
        "refactor",
        14,
        "```\n<<<<<<< SEARCH\n        if sku not in self.items:\n            self.items[sku] = 0\n        self.items[sku] += qty\n=======\n        self.items[sku] = self.items.get(sku, 0) + qty\n>>>>>>> REPLACE\n```",
        REFACTORED,
    ),
    case(
        "an OpenAI patch without anchors",
        "refactor",
        14,
        "```\n*** Begin Patch\n*** Update File: shop/cart.py\n@@\n         \"\"\"Add `qty` units of `sku`.\"\"\"\n-        if sku not in self.items:\n-            self.items[sku] = 0\n-        self.items[sku] += qty\n+        self.items[sku] = self.items.get(sku, 0) + qty\n*** End Patch\n```",
        REFACTORED,
    ),
    case(
        "the def",
        "refactor",
        14,
        "```python\ndef add(self, sku, qty=1):\n    \"\"\"Add `qty` units of `sku`.\"\"\"\n    self.items[sku] = self.items.get(sku, 0) + qty\n```",
        REFACTORED,
    ),
    case(
        "the def without its docstring",
        "refactor",
        14,
        "```python\ndef add(self, sku, qty=1):\n    self.items[sku] = self.items.get(sku, 0) + qty\n```",
        REFACTORED,
    ),
    case("the whole class", "refactor", 14, "```python\n{CLASS}```", REFACTORED),
    case("the whole file, fence with attributes", "refactor", 14, "Refactored:\n```python title=\"shop/cart.py\"\n{FILE}```", REFACTORED),
    case(
        "reasoning, then the method in its class with tabs",
        "refactor",
        14,
        "<think>dict.get does it in one line</think>\n```py\nclass Cart:\n\tdef add(self, sku, qty=1):\n\t\t\"\"\"Add `qty` units of `sku`.\"\"\"\n\t\tself.items[sku] = self.items.get(sku, 0) + qty\n```",
        REFACTORED,
    ),
    case(
        "a unified diff with wrong line numbers",
        "refactor",
        14,
        "```diff\n@@ -40,5 +40,3 @@\n     def add(self, sku, qty=1):\n         \"\"\"Add `qty` units of `sku`.\"\"\"\n-        if sku not in self.items:\n-            self.items[sku] = 0\n-        self.items[sku] += qty\n+        self.items[sku] = self.items.get(sku, 0) + qty\n```",
        REFACTORED,
    ),
    // Fix the unused `import os` (line 3, outside any function).
    case("an empty block for an unused import", "fix", 3, "The import is unused; remove it:\n```python\n```", IMPORT_REMOVED),
    case("the rest of the import block", "fix", 3, "```python\nfrom shop.pricing import unit_price\n```", IMPORT_REMOVED),
    // Fix the undefined `rate_per_kg` (line 27, in `shipping`).
    case(
        "the fixed def",
        "fix",
        27,
        "```python\ndef shipping(weight, rate_per_kg=2.5):\n    \"\"\"Shipping cost of a parcel.\"\"\"\n    return weight * rate_per_kg\n```",
        SHIPPING_FIXED,
    ),
    case("the whole file", "fix", 27, "```python\n{FILE}```", SHIPPING_FIXED),
    case(
        "JSON without the docstring",
        "fix",
        27,
        "{\"code\": \"def shipping(weight, rate_per_kg=2.5):\\n    return weight * rate_per_kg\\n\"}",
        SHIPPING_FIXED,
    ),
    case(
        "reasoning whose opening tag the server dropped",
        "fix",
        27,
        "The rate must come from somewhere; a parameter with a default keeps callers working.\n</think>\n```python\ndef shipping(weight, rate_per_kg=2.5):\n    return weight * rate_per_kg\n```",
        SHIPPING_FIXED,
    ),
];

fn apply(original: &str, edits: &[(&str, &str)]) -> String {
    edits.iter().fold(original.to_owned(), |text, (from, to)| {
        assert!(text.contains(from), "the corpus edit {from:?} does not apply");
        text.replacen(from, to, 1)
    })
}

/// The class `Cart` of `file`: from `class Cart` to the line before the next top-level statement.
fn class_of(file: &str) -> String {
    let start = file.find("class Cart").unwrap();
    let end = file[start..].find("\n\n\ndef ").map_or(file.len(), |i| start + i + 1);
    file[start..end].to_owned()
}

/// A copy of the fixture project in a fresh folder (the test writes into it).
fn project() -> (tempfile::TempDir, PathBuf) {
    copy_fixture("replies", &["pyproject.toml", "shop/__init__.py", "shop/pricing.py", CART])
}

fn copy_fixture(name: &str, files: &[&str]) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("shop project");
    for file in files {
        std::fs::create_dir_all(root.join(file).parent().unwrap()).unwrap();
        std::fs::copy(fixture(name).join(file), root.join(file)).unwrap();
    }
    (dir, root)
}

/// The binary under test: this build, or the one `PYLOOM_REPLIES_BIN`
/// names (how the README's before/after tally of the corpus is measured
/// against an older build).
fn pyloom_bin() -> PathBuf {
    std::env::var_os("PYLOOM_REPLIES_BIN").map_or_else(pyloom_e2e::pyloom_bin, PathBuf::from)
}

/// `pyloom ARGS` in `cwd`, with private caches and test API keys.
fn pyloom(args: &[&str], cwd: &Path, cache: &Path) -> Output {
    std::process::Command::new(pyloom_bin())
        .args(args)
        .current_dir(cwd)
        .env("XDG_CACHE_HOME", cache)
        .env("PYLOOM_CACHE_DIR", cache.join("pyloom"))
        .env("OPENAI_API_KEY", "sk-test")
        .env("ANTHROPIC_API_KEY", "sk-test")
        .output()
        .unwrap()
}

fn action_args<'a>(case: &'a Case, location: &'a str, protocol: Protocol, server: &'a ScriptedServer) -> Vec<&'a str> {
    let mut args = vec!["llm", case.action, location, "--apply", "--provider", protocol.name(), "--model", "test-model", "--base-url", &server.base_url];
    if case.action == "refactor" {
        args.extend(["--instruction", "use dict.get"]);
    }
    args
}

/// What one run of a shape gave.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Outcome {
    Intended,
    IntendedAfterRetry,
    /// Refused (or failed) with the file untouched.
    Untouched,
    WrongEdit,
}

/// Runs every shape of the corpus over `protocol`, each against a fresh
/// copy of cart.py, fresh caches and a provider holding that one reply.
fn run_corpus(protocol: Protocol) {
    let (dir, root) = project();
    let original = std::fs::read_to_string(root.join(CART)).unwrap();
    let mut failures = Vec::new();
    let mut tally = std::collections::BTreeMap::new();
    for (i, case) in CORPUS.iter().enumerate() {
        std::fs::write(root.join(CART), &original).unwrap();
        let expected = apply(&original, case.expected);
        let reply = case.reply.replace("{BODY}", BODY).replace("{FILE}", &expected).replace("{CLASS}", &class_of(&expected));
        let server = ScriptedServer::start(vec![protocol.answer(&reply, case.reasoning, false)]).unwrap();
        // `./`: the build before #14, which the README's tally runs too,
        // failed on a bare relative path (llm.rs tests every spelling).
        let location = format!("./{CART}:{}", case.line);
        let out = pyloom(&action_args(case, &location, protocol, &server), &root, &dir.path().join(i.to_string()));
        let written = std::fs::read_to_string(root.join(CART)).unwrap();
        let asked = server.requests().len();
        let outcome = match (out.status.success() && written == expected, asked) {
            (true, 1) => Outcome::Intended,
            (true, _) => Outcome::IntendedAfterRetry,
            _ if written == original => Outcome::Untouched,
            _ => Outcome::WrongEdit,
        };
        *tally.entry(outcome).or_insert(0) += 1;
        if outcome != Outcome::Intended {
            failures.push(format!(
                "{} `{}` ({outcome:?}): exit {:?}, {asked} request(s)\n--- stderr\n{}--- file\n{written}",
                case.action,
                case.name,
                out.status.code(),
                String::from_utf8_lossy(&out.stderr)
            ));
        }
    }
    // The tally is the before/after measurement (run with --nocapture).
    eprintln!("{protocol:?}, {} shapes: {tally:?}", CORPUS.len());
    assert!(failures.is_empty(), "{} of {} shapes failed over {protocol:?}:\n\n{}", failures.len(), CORPUS.len(), failures.join("\n\n"));
}

#[test]
fn every_reply_shape_gives_the_intended_file_over_openai() {
    run_corpus(Protocol::OpenAi);
}

#[test]
fn every_reply_shape_gives_the_intended_file_over_ollama() {
    run_corpus(Protocol::Ollama);
}

#[test]
fn every_reply_shape_gives_the_intended_file_over_anthropic() {
    run_corpus(Protocol::Anthropic);
}

#[test]
fn a_cut_answer_is_reported_as_such_and_the_file_is_untouched() {
    let (dir, root) = project();
    let original = std::fs::read_to_string(root.join(CART)).unwrap();
    for protocol in PROTOCOLS {
        let server = ScriptedServer::start(vec![protocol.answer("```python\ndef total(self):\n    return sum(", None, true)]).unwrap();
        let case = &CORPUS[0];
        let location = format!("{CART}:22");
        let out = pyloom(&action_args(case, &location, protocol, &server), &root, dir.path());
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{protocol:?}: {stderr}");
        assert!(
            stderr.contains("stopped at the output limit of 1024 tokens before the answer was complete; raise `llm.max_output_tokens`"),
            "{protocol:?}: {stderr}"
        );
        assert_eq!(server.requests().len(), 1, "{protocol:?}: a cut answer is not retried");
        assert_eq!(std::fs::read_to_string(root.join(CART)).unwrap(), original);
    }
}

#[test]
fn a_reply_that_changes_another_definition_is_retried_with_the_reason() {
    let (dir, root) = project();
    let original = std::fs::read_to_string(root.join(CART)).unwrap();
    let expected = apply(&original, IMPLEMENTED);
    let meddling = expected.replace("return round(cart.total() + shipping(len(cart.items)), 2)", "return cart.total()");
    let server = ScriptedServer::start(vec![
        Protocol::Ollama.answer(&format!("```python\n{meddling}```"), None, false),
        Protocol::Ollama.answer(&format!("```python\n{expected}```"), None, false),
    ])
    .unwrap();
    let location = format!("{CART}:22");
    let out = pyloom(&action_args(&CORPUS[0], &location, Protocol::Ollama, &server), &root, dir.path());
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(std::fs::read_to_string(root.join(CART)).unwrap(), expected);
    let retry = server.requests()[1].json()["messages"][1]["content"].as_str().unwrap().to_owned();
    assert!(retry.contains("- reply the reply also changes `checkout`, which is outside the target; change only `Cart.total`"), "{retry}");
}

#[test]
fn a_reply_that_cannot_be_placed_is_refused_and_the_file_is_untouched() {
    let (dir, root) = project();
    let original = std::fs::read_to_string(root.join(CART)).unwrap();
    let other = "```python\ndef subtotal(self):\n    return 0\n```";
    let server = ScriptedServer::start(vec![Protocol::Ollama.answer(other, None, false); 3]).unwrap();
    let location = format!("{CART}:22");
    let out = pyloom(&action_args(&CORPUS[0], &location, Protocol::Ollama, &server), &root, dir.path());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("failed the checks 3 times; no edit was made"), "{stderr}");
    assert!(stderr.contains("the reply defines `subtotal` but not `total`"), "{stderr}");
    assert_eq!(std::fs::read_to_string(root.join(CART)).unwrap(), original);
}

/// Replies that hold no correct edit, and the reason each must be refused for.
const REFUSED: &[(&str, usize, &str, &str)] = &[
    ("implement", 22, "```python\ndef total(self):\n    pass\n```", "rule \"implement leaves a real body\": `total` is (or is left) a placeholder"),
    ("implement", 22, "```python\nraise NotImplementedError(\"later\")\n```", "rule \"implement leaves a real body\""),
    ("implement", 22, "```python\ndef total(self):\n    \"\"\"Sum the prices.\"\"\"\n```", "rule \"implement leaves a real body\""),
    ("implement", 22, "```python\ndef total(self, tax):\n    return tax\n```", "rule \"an implementation keeps the target's signature\""),
    (
        "refactor",
        14,
        "```python\ndef add_item(self, sku, qty=1):\n    self.items[sku] = self.items.get(sku, 0) + qty\n```",
        "rule \"a refactor keeps the target's name\"",
    ),
    (
        "refactor",
        14,
        "```python\n@staticmethod\ndef add(self, sku, qty=1):\n    self.items[sku] = self.items.get(sku, 0) + qty\n```",
        "rule \"a refactor keeps the target's signature\": the edit changes `def add(self, sku, qty=1)` to `@staticmethod def add(self, sku, qty=1)`",
    ),
    (
        "refactor",
        14,
        "```python\ndef add(self, sku, qty=1):\n    // ... existing code ...\n    self.items[sku] += qty\n```",
        "leaves out part of `Cart.add` with a placeholder comment",
    ),
    ("implement", 22, "<<<<<<< SEARCH\n\n=======\n        {BODY}\n>>>>>>> REPLACE", "has no lines to find in the file"),
    (
        "implement",
        22,
        "*** Begin Patch\n*** Update File: shop/pricing.py\n@@ def unit_price(sku):\n-    return 1\n+    return 2\n*** End Patch",
        "the edit is for shop/pricing.py",
    ),
    ("implement", 22, "```diff\n@@ -1,2 +1,2 @@\n def total(self, items):\n-    pass\n+    {BODY}\n```", "does not match the file"),
];

#[test]
fn replies_without_a_correct_edit_are_refused_with_the_rule_and_the_file_untouched() {
    let (dir, root) = project();
    let original = std::fs::read_to_string(root.join(CART)).unwrap();
    let mut failures = Vec::new();
    for (i, (action, line, reply, reason)) in REFUSED.iter().enumerate() {
        let reply = reply.replace("{BODY}", BODY);
        let server = ScriptedServer::start(vec![Protocol::Ollama.answer(&reply, None, false); 3]).unwrap();
        let case = Case { name: "refused", action: *action, line: *line, reasoning: None, reply: "", expected: &[] };
        let location = format!("{CART}:{line}");
        let out = pyloom(&action_args(&case, &location, Protocol::Ollama, &server), &root, &dir.path().join(i.to_string()));
        let stderr = String::from_utf8_lossy(&out.stderr);
        let written = std::fs::read_to_string(root.join(CART)).unwrap();
        if out.status.code() != Some(1) || !stderr.contains(reason) || written != original {
            failures.push(format!("{action} {reply:?}: exit {:?}, expected {reason:?}\n{stderr}", out.status.code()));
        }
        std::fs::write(root.join(CART), &original).unwrap();
    }
    eprintln!("{} of {} replies without a correct edit refused", REFUSED.len() - failures.len(), REFUSED.len());
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn only_accepted_answers_are_cached_and_no_cache_asks_again() {
    let (dir, root) = project();
    let original = std::fs::read_to_string(root.join(CART)).unwrap();
    let bad = Protocol::Ollama.answer("```python\nreturn totl(self.items)\n```", None, false);
    let good = Protocol::Ollama.answer(&format!("```python\n{BODY}\n```"), None, false);
    let server = ScriptedServer::start(vec![bad, good.clone(), good.clone(), good]).unwrap();
    let location = format!("{CART}:22");
    let run = |extra: &[&str]| {
        std::fs::write(root.join(CART), &original).unwrap();
        let mut args = vec!["llm", "implement", location.as_str(), "--apply", "--base-url", &server.base_url];
        args.extend(extra);
        let out = pyloom(&args, &root, dir.path());
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        assert_eq!(std::fs::read_to_string(root.join(CART)).unwrap(), apply(&original, IMPLEMENTED));
        String::from_utf8_lossy(&out.stderr).into_owned()
    };
    // The bad first answer is retried by asking the model, not the cache.
    assert!(run(&[]).contains("after 2 attempt(s)"));
    assert_eq!(server.requests().len(), 2);
    // The prompt now carries the remembered mistake: a new request, whose
    // accepted answer is stored, then served from the cache.
    assert!(run(&[]).contains("after 1 attempt(s)"));
    assert_eq!(server.requests().len(), 3);
    assert!(run(&[]).contains("after 1 attempt(s)"));
    assert_eq!(server.requests().len(), 3, "served from the cache");
    // --no-cache asks the model.
    run(&["--no-cache"]);
    assert_eq!(server.requests().len(), 4);
}

// Edits checked against what depends on them: `Cart.subtotal`
// (fixtures/dependents/shop/cart.py:14) has callers in three other files.

const DEPENDENTS: [&str; 6] = ["pyproject.toml", "shop/__init__.py", "shop/cart.py", "shop/checkout.py", "shop/report.py", "tests/test_cart.py"];
const CALLERS: [&str; 3] = ["shop/checkout.py", "shop/report.py", "tests/test_cart.py"];

fn read_all(root: &Path) -> Vec<String> {
    DEPENDENTS.iter().map(|f| std::fs::read_to_string(root.join(f)).unwrap()).collect()
}

fn refactor_subtotal(root: &Path, cache: &Path, server: &ScriptedServer, instruction: &str, apply: bool) -> Output {
    let mut args =
        vec!["llm", "refactor", "shop/cart.py:14", "--instruction", instruction, "--provider", "ollama", "--model", "m", "--base-url", &server.base_url];
    if apply {
        args.push("--apply");
    }
    pyloom(&args, root, cache)
}

#[test]
fn a_refactor_that_renames_a_method_with_callers_in_three_files_is_refused_naming_them() {
    let (dir, root) = copy_fixture("dependents", &DEPENDENTS);
    let before = read_all(&root);
    let renamed = "```python\ndef compute_subtotal(self):\n    \"\"\"The price of everything, before tax.\"\"\"\n    return sum(self.items.values())\n```";
    let server = ScriptedServer::start(vec![Protocol::Ollama.answer(renamed, None, false); 3]).unwrap();
    let out = refactor_subtotal(&root, dir.path(), &server, "make it shorter", true);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("failed the checks 3 times; no edit was made"), "{stderr}");
    for (file, line) in [("shop/checkout.py", 8), ("shop/report.py", 8), ("tests/test_cart.py", 7)] {
        let named = format!("caller {file}:{line} calls `Cart.subtotal()`, which this edit renames to `compute_subtotal`");
        assert!(stderr.contains(&named), "{named}\n{stderr}");
    }
    assert!(stderr.contains("rule \"a refactor keeps the target's name\""), "{stderr}");
    // The retry told the model which callers it broke.
    let retry = server.requests()[1].json()["messages"][1]["content"].as_str().unwrap().to_owned();
    assert!(retry.contains("caller tests/test_cart.py:7 calls `Cart.subtotal()`"), "{retry}");
    assert_eq!(read_all(&root), before, "every file untouched");

    // A property its callers call, or a new required parameter: refused the same way.
    for reply in [
        "```python\n@property\ndef subtotal(self):\n    return sum(self.items.values())\n```",
        "```python\ndef subtotal(self, tax):\n    return sum(self.items.values()) * tax\n```",
    ] {
        let server = ScriptedServer::start(vec![Protocol::Ollama.answer(reply, None, false); 3]).unwrap();
        let out = refactor_subtotal(&root, dir.path(), &server, "make it shorter", true);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{stderr}");
        assert!(stderr.contains("caller shop/report.py:8 calls `Cart.subtotal()`, which"), "{stderr}");
        assert_eq!(read_all(&root), before, "every file untouched");
    }
}

#[test]
fn rename_it_to_x_is_one_checked_edit_of_the_definition_and_every_caller() {
    let (dir, root) = copy_fixture("dependents", &DEPENDENTS);
    let before = read_all(&root);
    let expected: Vec<String> =
        before.iter().map(|text| text.replace("def subtotal(", "def compute_subtotal(").replace(".subtotal()", ".compute_subtotal()")).collect();
    // A rename alone: no model call, the diff spans every file, --apply writes them all.
    let silent = ScriptedServer::start(Vec::new()).unwrap();
    let out = refactor_subtotal(&root, dir.path(), &silent, "Rename it to `compute_subtotal`.", false);
    let (stdout, stderr) = (String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(out.status.success(), "{stderr}");
    for file in std::iter::once("shop/cart.py").chain(CALLERS) {
        assert!(stdout.contains(&format!("--- a/{file}\n+++ b/{file}\n")), "{file}: {stdout}");
    }
    assert_eq!(read_all(&root), before, "a diff writes nothing");
    let out = refactor_subtotal(&root, dir.path(), &silent, "rename it to compute_subtotal", true);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stderr).contains("Rename `subtotal` to `compute_subtotal` in 4 file(s)"));
    assert_eq!(read_all(&root), expected);
    assert_eq!(silent.requests().len(), 0, "a rename is not the model's to do");

    // A rename and more: the model rewrites the renamed method, the callers are renamed with it.
    let (dir, root) = copy_fixture("dependents", &DEPENDENTS);
    let rewritten = "```python\ndef compute_subtotal(self):\n    \"\"\"The price of everything, before tax.\"\"\"\n    return sum(self.items.values())\n```";
    let server = ScriptedServer::start(vec![Protocol::Ollama.answer(rewritten, None, false)]).unwrap();
    let out = refactor_subtotal(&root, dir.path(), &server, "rename it to compute_subtotal and use sum()", true);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let prompt = server.requests()[0].json()["messages"][1]["content"].as_str().unwrap().to_owned();
    assert!(prompt.contains("    def compute_subtotal(self):\n"), "the model sees the renamed method: {prompt}");
    let mut expected = expected;
    expected[2] = expected[2].replace(
        "        total = 0\n        for price in self.items.values():\n            total += price\n        return total\n",
        "        return sum(self.items.values())\n",
    );
    assert_eq!(read_all(&root), expected);
}

#[test]
fn a_rename_that_cannot_update_a_site_exactly_is_refused() {
    let (dir, root) = copy_fixture("dependents", &DEPENDENTS);
    let report = root.join("shop/report.py");
    std::fs::write(&report, std::fs::read_to_string(&report).unwrap().replace("{cart.subtotal()}", "{getattr(cart, 'subtotal')()}")).unwrap();
    let before = read_all(&root);
    let silent = ScriptedServer::start(Vec::new()).unwrap();
    let out = refactor_subtotal(&root, dir.path(), &silent, "rename it to compute_subtotal", true);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("the rename of `subtotal` to `compute_subtotal` is refused: `getattr(…, \"subtotal\")` at shop/report.py:8"), "{stderr}");
    assert_eq!(read_all(&root), before);
}
