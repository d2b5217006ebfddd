//! Edits local to a few top-level statements (summary/spliced.rs): the
//! graph after them equals a cold index of the same texts.

use std::path::{Path, PathBuf};

use expect_test::{Expect, expect};
use proptest::prelude::*;

use super::Graph;
use super::tests::{ROOT, build, canonical};

pub(crate) const LIB: &str = "\"\"\"Carts.\"\"\"\nimport os\nfrom app import helper\n\nLIMIT = 3\n\n\nclass Cart:\n    size = 1\n\n    def total(self, extra=LIMIT):\n        count = self.size + extra\n        return helper(count)\n\n    @property\n    def label(self):\n        return os.sep.join([str(self.size)])\n\n\ndef checkout(cart):\n    if cart:\n        return cart.total()\n    return Cart().label\n\n\nasync def later(y):\n    return checkout(y) + LIMIT\n";

pub(crate) const APP: &str = "def helper(n):\n    return n\n\n\ndef use():\n    from lib import Cart, checkout\n    return checkout(Cart()).total()\n";

/// What is typed: names, attributes, brackets and strings that break and
/// mend statements, line breaks that split and join them, whole statements,
/// a space, nothing (a deletion).
pub(crate) const TYPED: [&str; 16] = [
    "_",
    "x",
    "cart.",
    "self.size",
    "(",
    ")",
    "\"",
    "\n",
    "\n    ",
    ":",
    "def f(a):\n    return a\n",
    "LIMIT = 1\n",
    "#",
    "\n\ndef g():\n    return Cart()\n",
    " ",
    "",
];

/// `typed` put at `$0` in `fixture` (a copy of `LIB` or `METHODS` with
/// the marker): whether the update was local (the region's first line) or
/// took the whole file, and the graph equals a cold index either way.
pub(super) fn check_update(fixture: &str, typed: &str, expect: Expect) {
    check_edit(&fixture.replace("$0", ""), &fixture.replace("$0", typed), expect);
}

/// [`check_update`] of `before` edited into `text`.
pub(crate) fn check_edit(before: &str, text: &str, expect: Expect) {
    let (lib, app) = (Path::new("/ws/lib.py"), Path::new("/ws/app.py"));
    let mut graph = Graph::new(vec![PathBuf::from(ROOT)]);
    graph.update_file(lib, before);
    graph.update_file(app, APP);
    graph.update_file_deferred(lib, text);
    let first_line = |span: super::Span| text[span.range()].lines().next().unwrap_or("").to_owned();
    let outcome = match graph.local_update() {
        Some(local) => {
            let readers: Vec<String> = local.readers.iter().map(|&(_, new)| format!(" + {:?}", first_line(new))).collect();
            format!("local: {:?}{}", first_line(local.region.new_span()), readers.concat())
        }
        None => "whole file".to_owned(),
    };
    graph.flush_relinks();
    let files = [(lib.to_owned(), text.to_owned()), (app.to_owned(), APP.to_owned())];
    assert_eq!(canonical(&graph), canonical(&build(&files)));
    expect.assert_eq(&outcome);
}

#[test]
fn an_edit_inside_a_function_links_only_its_statement() {
    check_update(&LIB.replace("return Cart().label", "return Cart().label$0"), "_", expect![[r#"local: "def checkout(cart):""#]]);
    // `count` is what `helper(count)` types `helper`'s parameter with (an
    // operator's result has a type): an edit of the operand whose method
    // gives it changes what `total` returns, and the functions that call
    // it are linked with it (spelled.rs); one of the other operand (not
    // kept) not.
    check_update(
        &LIB.replace("count = self.size", "count = $0self.size"),
        "LIMIT + ",
        expect![[r#"local: "def total(self, extra=LIMIT):" + "def checkout(cart):" + "async def later(y):""#]],
    );
    check_update(&LIB.replace("self.size + extra", "self.size + extra$0"), "_", expect![[r#"local: "def total(self, extra=LIMIT):""#]]);
}

#[test]
fn an_edit_of_what_a_function_shows_links_its_readers_with_it() {
    // A renamed method, a changed signature, a function
    // made `async`, a changed return value (what `return cart.total()`
    // gives, or `helper(count)` with another argument): the functions
    // that spell its name read it, and are linked with it (spelled.rs);
    // `checkout` is read by `later` in turn. Its must-not twins are in
    // `a_changed_function_read_where_its_readers_show_more_links_the_whole_file`.
    check_update(&LIB.replace("def label", "def label$0"), "_", expect![[r#"local: "@property" + "def checkout(cart):" + "async def later(y):""#]]);
    check_update(
        &LIB.replace("def checkout(cart)", "def checkout(cart$0)"),
        ", zone",
        expect![[r#"local: "def checkout(cart, zone):" + "async def later(y):""#]],
    );
    check_update(&LIB.replace("def checkout(cart)", "$0def checkout(cart)"), "async ", expect![[r#"local: "class Cart:" + "async def later(y):""#]]);
    check_update(
        &LIB.replace("return cart.total()", "return $0cart.total()"),
        "Cart() or ",
        expect![[r#"local: "def checkout(cart):" + "async def later(y):""#]],
    );
    check_update(
        &LIB.replace("helper(count)", "helper(count$0)"),
        "_",
        expect![[r#"local: "def total(self, extra=LIMIT):" + "def checkout(cart):" + "async def later(y):""#]],
    );
    // A local bound above a return changes what the function returns,
    // though the value reads the same name: `checkout` reads it.
    check_update(
        &LIB.replace("        return helper(count)", "$0        return helper(count)"),
        "        helper = Cart\n",
        expect![[r#"local: "def total(self, extra=LIMIT):" + "def checkout(cart):" + "async def later(y):""#]],
    );
}

#[test]
fn a_new_or_renamed_function_nothing_outside_names_links_only_its_region() {
    // A module-level function, a method typed into a class, a method
    // renamed or given a parameter: no statement outside the region
    // spells their names (unread.rs).
    check_update(&format!("{LIB}$0"), "\n\ndef fresh():\n    return 1\n", expect![[r#"local: "async def later(y):""#]]);
    check_update(
        &METHODS.replace("        return value\n", "        return value\n$0"),
        "\n    def fresh(self, k):\n        return k\n",
        expect![[r#"local: "class Meter:""#]],
    );
    check_update(&METHODS.replace("def make(", "def make$0("), "_", expect![[r#"local: "@staticmethod""#]]);
    check_update(&METHODS.replace("def make(rate=limit)", "def make(rate=limit$0)"), ", k=1", expect![[r#"local: "@staticmethod""#]]);
    check_update(&METHODS.replace("return Meter(rate)", "return $0Meter(rate)"), "str(rate) or ", expect![[r#"local: "@staticmethod""#]]);
}

#[test]
fn a_changed_function_spelled_outside_the_region_links_its_readers_with_it() {
    // `report` calls `read`, `meter` calls `report`: each is linked again
    // (spelled.rs), the rest of the file not. A name spelled in a string
    // (`getattr(m, "make")` reads it) counts. A new function whose name a
    // parameter spells (`extra` of `Cart.total`), read by `checkout`, read
    // by `later`.
    check_update(&METHODS.replace("def read(self, n)", "def read(self, n$0)"), ", k=1", expect![[r#"local: "def read(self, n, k=1):" + "def report(self):""#]]);
    check_update(&METHODS.replace("def report(self)", "def report(self$0)"), ", k=1", expect![[r#"local: "def report(self, k=1):" + "def meter():""#]]);
    // A reader whose returns read nothing that changed (`report` returns
    // `str(...)`) is linked alone: its own readers (`meter`) not. Its
    // twin: `report` returning what `read` gave.
    let returning = METHODS.replace("return str(total) + self.unit", "return total");
    check_update(
        &returning.replace("def read(self, n)", "def read(self, n$0)"),
        ", k=1",
        expect![[r#"local: "def read(self, n, k=1):" + "def report(self):" + "def meter():""#]],
    );
    // A module path spelling the name names a module, not the method; its
    // must-not twins: the name imported (bound other than by a function)
    // and a module-level read of the module.
    let imported = |import: &str| format!("{import}\n{METHODS}").replace("def report(self)", "def report(self$0)");
    check_update(&imported("from report.sub import x\nimport os.report"), ", k=1", expect![[r#"local: "def report(self, k=1):" + "def meter():""#]]);
    check_update(&imported("from os import report"), ", k=1", expect!["whole file"]);
    check_update(&imported("import os.report\nx = os.report"), ", k=1", expect!["whole file"]);
    let spelled = METHODS.replace("def meter():\n", "def meter():\n    getattr(Meter, \"make\")\n");
    check_update(&spelled.replace("def make(", "def make$0("), "_", expect![[r#"local: "@staticmethod" + "def meter():""#]]);
    check_update(
        &LIB.replace("\n\nasync def later", "\n\n$0async def later"),
        "def extra():\n    return 1\n\n\n",
        expect![[r#"local: "def checkout(cart):" + "def total(self, extra=LIMIT):""#]],
    );
}

#[test]
fn a_reader_spelling_a_changed_name_in_nfkc_equivalent_characters_is_linked_with_it() {
    // Python reads `self.ｒｅａｄ(2)` as `self.read(2)` (NFKC): `report`
    // reads `read`, and is linked with it as a whole file's link does.
    let fullwidth = METHODS.replace("total = self.read(2)", "total = self.ｒｅａｄ(2)");
    check_update(
        &fullwidth.replace("def read(self, n)", "def read(self, n$0)"),
        ", k=1",
        expect![[r#"local: "def read(self, n, k=1):" + "def report(self):""#]],
    );
    // Must stay: a word that normalises to another name reads another.
    let other = METHODS.replace("total = self.read(2)", "total = self.ｒｅａｄｓ(2)");
    check_update(&other.replace("def read(self, n)", "def read(self, n$0)"), ", k=1", expect![[r#"local: "def read(self, n, k=1):""#]]);
}

#[test]
fn a_reader_setting_attributes_from_what_did_not_change_is_linked_with_the_region() {
    // `report` sets attributes from its class's `unit`, an annotated
    // parameter and a literal: none reads `read`, which changed.
    let report = "        total = self.read(2)\n";
    // `report` returns what `read` gives: `meter`, reading it, is linked too.
    let returning = METHODS.replace("return str(total) + self.unit", "return total");
    let sets = |set: &str| returning.replace(report, &format!("{report}        {set}\n")).replace("def read(self, n)", "def read(self, n$0)");
    check_update(&sets("self.shown = self.unit"), ", k=1", expect![[r#"local: "def read(self, n, k=1):" + "def report(self):" + "def meter():""#]]);
    check_update(&sets("self.shown = [1, self.log]"), ", k=1", expect![[r#"local: "def read(self, n, k=1):" + "def report(self):" + "def meter():""#]]);
    let annotated = sets("self.shown = rate").replace("def report(self)", "def report(self, rate: int = 1)");
    check_update(&annotated, ", k=1", expect![[r#"local: "def read(self, n, k=1):" + "def report(self, rate: int = 1):" + "def meter():""#]]);
    // Must not: the value reads the changed method, a local bound from it,
    // a reader linked with the region (`report`, through `self.report()`
    // in `summary`), an unannotated parameter (its callers type it), a
    // comprehension's element.
    check_update(&sets("self.shown = self.read"), ", k=1", expect!["whole file"]);
    check_update(&sets("self.shown = total.real"), ", k=1", expect!["whole file"]);
    let chained = sets("self.shown = 1").replace("    limit = 10\n", "    def summary(self):\n        self.kept = self.report()\n\n    limit = 10\n");
    check_update(&chained, ", k=1", expect!["whole file"]);
    let parameter = sets("self.shown = rate").replace("def report(self)", "def report(self, rate=1)");
    check_update(&parameter, ", k=1", expect!["whole file"]);
    check_update(&sets("self.shown = [v for v in self.log]"), ", k=1", expect!["whole file"]);
}

#[test]
fn a_changed_function_read_where_its_readers_show_more_links_the_whole_file() {
    // The interpreter calls `__init__` unnamed.
    check_update(&METHODS.replace("def __init__(self, rate=1)", "def __init__(self, rate=1$0)"), ", k=1", expect!["whole file"]);
    // A reader sets an attribute, which is read by name anywhere.
    let attribute = METHODS.replace("total = self.read(2)\n        return str(total)", "self.total = self.read(2)\n        return str(self.total)");
    check_update(&attribute.replace("def read(self, n)", "def read(self, n$0)"), ", k=1", expect!["whole file"]);
    // The name is read in a class body, outside any function.
    let class_level = METHODS.replace("    limit = 10\n", "    limit = 10\n    reader = read\n");
    check_update(&class_level.replace("def read(self, n)", "def read(self, n$0)"), ", k=1", expect!["whole file"]);
    // A reader's call types the parameter of a function not linked again
    // (`pick`'s `c`, read as `c.size`).
    let typing = LIB
        .replace("        return cart.total()\n", "        return pick(cart.total())\n")
        .replace("\n\nasync def later", "\n\ndef pick(c):\n    return c.size\n\n\nasync def later");
    check_update(&typing.replace("def total(self, extra=LIMIT)", "def total(self, extra=LIMIT$0)"), ", k=1", expect!["whole file"]);
    // Its twin: what the reader passes (a local bound to `Cart()`) reads
    // nothing that changed.
    let passes_local = typing.replace("return pick(cart.total())", "made = Cart()\n        pick(made)\n        return cart.total()");
    check_update(
        &passes_local.replace("def total(self, extra=LIMIT)", "def total(self, extra=LIMIT$0)"),
        ", k=1",
        expect![[r#"local: "def total(self, extra=LIMIT, k=1):" + "def checkout(cart):" + "async def later(y):""#]],
    );
    // What the method sets is seen by name elsewhere: an attribute, not a
    // function.
    check_update(&METHODS.replace("    @staticmethod", "$0    @staticmethod"), "    extra = make\n", expect!["whole file"]);
    check_update(
        &METHODS.replace("        return value\n", "        return value\n$0"),
        "\n    def fresh(self, k):\n        self.extra = k\n",
        expect!["whole file"],
    );
}

/// `text` with `removed` bytes at `at` (modulo its length, on char
/// boundaries) replaced by `with`: a random edit.
pub(crate) fn replace_at(text: &str, at: usize, removed: usize, with: &str) -> String {
    let mut start = at % (text.len() + 1);
    while !text.is_char_boundary(start) {
        start -= 1;
    }
    let mut end = (start + removed).min(text.len());
    while !text.is_char_boundary(end) {
        end += 1;
    }
    format!("{}{with}{}", &text[..start], &text[end..])
}

/// A class whose methods read each other's `self` attributes, with a
/// function nested in a method, a class-level name between methods and a
/// decorated one: edits inside one method re-link only it.
pub(crate) const METHODS: &str = "\"\"\"Meters.\"\"\"\n\n\nclass Meter:\n    unit = \"m\"\n\n    def __init__(self, rate=1):\n        self.rate = rate\n        self.log = []\n\n    def read(self, n):\n        def scaled(k):\n            return k * self.rate\n\n        value = scaled(n)\n        self.log.append(value)\n        return value\n\n    def report(self):\n        total = self.read(2)\n        return str(total) + self.unit\n\n    limit = 10\n\n    @staticmethod\n    def make(rate=limit):\n        return Meter(rate)\n\n\ndef meter():\n    return Meter().report()\n";

/// Methods that set attributes read elsewhere from what other methods
/// return, their parameters, their locals and their class's names.
pub(crate) const SETTERS: &str = "class Meter:\n    unit = \"m\"\n\n    def __init__(self, rate=1):\n        self.rate = rate\n        self.log = []\n\n    def read(self, n):\n        value = n * self.rate\n        self.log.append(value)\n        return value\n\n    def report(self, k: int):\n        total = self.read(2)\n        self.shown = self.unit\n        self.size = k\n        self.last = total\n        return str(total)\n\n    def seen(self):\n        self.seen_at = self.report(1)\n        return self.shown.upper() + self.last.real\n\n\ndef meter():\n    m = Meter()\n    m.report(1)\n    return m.shown.upper() + m.seen_at.upper()\n";

/// What is typed into `METHODS`.
/// Whitespace of blank lines and line ends, decorators, parameters and
/// class-level names between the methods.
pub(crate) const TYPED_IN_METHODS: [&str; 18] = [
    "_",
    "self.",
    "self.rate",
    "self.log",
    "scaled(",
    ")",
    "\"",
    "\n        ",
    "k = 1\n",
    "return 0\n",
    "#",
    ".real",
    " ",
    "",
    "\n\n",
    "@staticmethod\n    ",
    "limit = 2\n    ",
    ", rate=1",
];

/// What is typed while a method is written: a `def` line a piece at a
/// time, its body, a name typed onto a definition's, a call of it.
pub(crate) const TYPED_METHODS: [&str; 16] = [
    "\n    def ",
    "fresh",
    "(self",
    ", k=1",
    "):",
    "\n        return k\n",
    "\n        return self.read(k)\n",
    "\n    def fresh(self):\n        return self.rate\n",
    "\n    def made(self):\n        self.extra = 1\n",
    "_",
    "x",
    "self.fresh()",
    "\n        ",
    "@staticmethod\n    ",
    " ",
    "",
];

#[test]
fn an_edit_inside_a_method_links_only_that_method() {
    check_update(&METHODS.replace("self.log.append(value)", "self.log.append(value$0)"), ", n", expect![[r#"local: "def read(self, n):""#]]);
    check_update(
        &METHODS.replace("        value = scaled(n)", "$0        value = scaled(n)"),
        "        print(self.unit, scaled)\n",
        expect![[r#"local: "def read(self, n):""#]],
    );
    // A local renamed or bound anew that nothing the method returns or
    // sets reads; its twin, a local its return reads: what it returns
    // changes, and its reader `report` is linked too (`meter` reads only
    // what `report` returns, `str(...)`: unchanged).
    check_update(&METHODS.replace("total = self.read(2)", "total$0 = self.read(2)"), "_", expect![[r#"local: "def report(self):""#]]);
    check_update(
        &METHODS.replace("        return str(total)", "$0        return str(total)"),
        "        total = self.unit\n",
        expect![[r#"local: "def report(self):""#]],
    );
    check_update(
        &METHODS.replace("        value = scaled(n)", "        value$0 = scaled(n)"),
        "_",
        expect![[r#"local: "def read(self, n):" + "def report(self):""#]],
    );
    check_update(
        &METHODS.replace("        return value\n", "$0        return value\n"),
        "        value = self.log\n",
        expect![[r#"local: "def read(self, n):" + "def report(self):""#]],
    );
    // What the method sets or returns changes: an attribute is read by
    // name anywhere (the whole file), a return by its readers.
    check_update(&METHODS.replace("self.rate = rate", "self.rate = $0rate"), "str(", expect![[r#"whole file"#]]);
    check_update(
        &METHODS.replace("        return value\n", "        return $0value\n"),
        "str(value) or ",
        expect![[r#"local: "def read(self, n):" + "def report(self):""#]],
    );
}

#[test]
fn an_edit_that_breaks_a_method_links_only_that_method() {
    check_update(&METHODS.replace("self.log.append(value)", "self.log.append(value)$0"), ".", expect![[r#"local: "def read(self, n):""#]]);
    // A bracket left open at the method's end: no method splice (the
    // whole text parsed), and what `read` returns changed, so its
    // readers are linked with it.
    check_update(
        &METHODS.replace("        return value\n", "        return value$0\n"),
        " + f(",
        expect![[r#"local: "def read(self, n):" + "def report(self):""#]],
    );
}

/// Edits that leave a statement broken where no splice reaches (the
/// whole text is parsed): a `def` line typed at a class's indentation, an
/// open bracket, `if ` before its operand, `self.` mid-expression. The
/// recovered tree differs from the last only in the statement typed in,
/// which alone is linked.
#[test]
fn an_edit_that_breaks_a_statement_links_only_that_statement() {
    let end_of_read = "        return value\n";
    check_update(&METHODS.replace(end_of_read, "        return value\n$0"), "\n    def fresh(self, k", expect![[r#"local: "class Meter:""#]]);
    check_update(&METHODS.replace("        value = scaled(n)", "$0        value = scaled(n)"), "        if \n", expect![[r#"local: "def read(self, n):""#]]);
    // Must not: a nameless `def` (the class's names change), and `self.`
    // typed into a test whose function others call (what it returns is
    // read outside).
    check_update(&METHODS.replace(end_of_read, "        return value\n$0"), "\n    def ", expect!["whole file"]);
    check_update(&LIB.replace("if cart:", "if cart$0:"), " and self.", expect!["whole file"]);
    // A `def` typed into an `if` body ends `checkout` there: the line
    // broken after it takes the whole statement (what followed the `if` is
    // module code), not the nested `def` alone.
    let half_def = LIB.replace("        return cart.total()", "    def         return$0 cart.total()");
    check_update(&half_def, "\n        ", expect![[r#"local: "def checkout(cart):""#]]);
}

/// A method ending in `self.` before its member is typed, beside a
/// nameless `def` (recovery's missing names): the edit unbinding `self`
/// re-links only the method, and no edge stays at the end of it. Its twin,
/// the member typed, whose edges go the same way.
#[test]
fn an_edit_of_a_method_ending_in_a_dot_links_only_that_method() {
    let dangling = "import os\n\n\nclass Parser:\n    def parse($0self, text):\n        return self.\n\n    def\n";
    check_update(dangling, "_", expect![[r#"local: "def parse(_self, text):""#]]);
    let commented =
        "import os\n\n\nclass Parser:\n    def parse($0self, text):\n        return self.#_token(text)\n\n    def\n\n _token(self):\n        return 1\n";
    check_update(commented, "_", expect![[r#"local: "def parse(_self, text):""#]]);
    let typed = "import os\n\n\nclass Parser:\n    def parse($0self, text):\n        return self.fresh\n\n    def fresh(self):\n        return 1\n";
    check_update(typed, "_", expect![[r#"local: "def parse(_self, text):""#]]);
}

/// A function defined in a method binds a local: typed before the
/// method's `return value` (whole, or a `def ` typed into a broken
/// call), it is what the method returns, which a caller calling it
/// (`self.read(2)()`) runs. Its twin: one the return does not read.
#[test]
fn a_function_defined_where_a_method_s_return_reads_it_links_the_whole_file() {
    let calls_read = METHODS.replace("self.read(2)", "self.read(2)()");
    let before_return = calls_read.replace("        return value\n", "$0        return value\n");
    // X
    // Y
    check_update(&before_return, "        def other():\n            return 1\n", expect![[r#"local: "def read(self, n):""#]]);
}

/// An edit in a method of a text that ends in an unclosed string (the
/// eleventh tester's module after four random edits): the region reaches
/// the text's end, where recovery puts what it misses, whose count of
/// unresolved names goes with the region's. Its twin, the string closed;
/// and a method's end, which holds what recovery put there.
#[test]
fn an_edit_before_an_unclosed_string_counts_what_ends_the_text() {
    let broken = "import json\n\nLIMIT = 10\n\nclass Item:\n    name = \"x\"\n\n    def total(self, {$0:\n        return qty * LIMIT\n:ef helper(n):\n    re\"\"\"json.dumps(n)\n\nvalue = helper(3)\n";
    check_update(broken, ")", expect![[r#"local: "class Item:""#]]);
    check_update(&broken.replace("dumps(n)", "dumps(n)\"\"\""), ")", expect!["whole file"]);
    // A method's end holds what recovery put there: `:` typed after its
    // broken last line (spliced alone, method.rs) misses an annotation at
    // the method's end.
    let (lib, app) = (Path::new("/ws/lib.py"), Path::new("/ws/app.py"));
    let mut graph = Graph::new(vec![PathBuf::from(ROOT)]);
    graph.update_file(lib, METHODS);
    graph.update_file(app, APP);
    let broken = METHODS.replace("        return Meter(rate)", "       eturn Meter(rate)");
    graph.update_file_deferred(lib, &broken);
    let typed = broken.replace("Meter(rate)\n", "Meter(rate):\n");
    graph.update_file_deferred(lib, &typed);
    assert!(graph.local_update().is_some(), "the method alone");
    graph.flush_relinks();
    let files = [(lib.to_owned(), typed), (app.to_owned(), APP.to_owned())];
    assert_eq!(canonical(&graph), canonical(&build(&files)));
}

/// What is typed while a statement is broken: brackets left open, a
/// half-typed `def`, a dangling operator or attribute, a keyword before its
/// operand, an unclosed string.
pub(crate) const BREAKING: [&str; 16] =
    ["[", "(", "{", "if ", "self.", "\n    def ", "\n    def f(self", "def ", " + ", "x = ", "\"", "return ", "):", ",", "\n        ", ""];

/// A method whose parameter its caller in the file types (see
/// `infer/callers.rs`): the caller's arguments are what the other method
/// reads.
const TYPED_BY_CALLER: &str = "class Info:\n    def hms(self, t):\n        return t\n\n\nclass Other:\n    def hms(self, t):\n        return t\n\n\nclass Parser:\n    def parse(self, text):\n        info = Info()\n        count = 1\n        return self._token(text, info)\n\n    def _token(self, text, info):\n        return info.hms(text)\n";

#[test]
fn an_edit_of_what_a_call_passes_to_a_typed_parameter_links_the_whole_file() {
    // A local the call does not pass; the typed method's own body (what
    // it returns: its caller `parse` is linked with it).
    check_update(&TYPED_BY_CALLER.replace("count = 1", "count$0 = 1"), "_", expect![[r#"local: "def parse(self, text):""#]]);
    check_update(
        &TYPED_BY_CALLER.replace("return info.hms(text)", "return info.hms(text$0)"),
        ", 1",
        expect![[r#"local: "def _token(self, text, info):" + "def parse(self, text):""#]],
    );
    // What the call passes, or what the name passed holds: `_token` reads it.
    check_update(&TYPED_BY_CALLER.replace("self._token(text, info)", "self._token(text, $0info)"), "count or ", expect!["whole file"]);
    check_update(&TYPED_BY_CALLER.replace("info = Info()", "info = $0Info()"), "Other() if text else ", expect!["whole file"]);
}

/// The typed function's place moves with the edits before it: after its
/// caller grew past its old place, an edit of the typing call still takes
/// the whole file.
#[test]
fn a_typing_call_still_links_the_whole_file_after_its_caller_grew() {
    let (lib, app) = (Path::new("/ws/lib.py"), Path::new("/ws/app.py"));
    let mut graph = Graph::new(vec![PathBuf::from(ROOT)]);
    graph.update_file(lib, TYPED_BY_CALLER);
    graph.update_file(app, APP);
    let grown = TYPED_BY_CALLER.replace("        count = 1\n", &"        count = 1\n".repeat(20));
    graph.update_file_deferred(lib, &grown);
    let changed = grown.replace("self._token(text, info)", "self._token(text, count)");
    graph.update_file_deferred(lib, &changed);
    assert!(graph.local_update().is_none(), "the call passes another value to `_token`");
    graph.flush_relinks();
    let files = [(lib.to_owned(), changed), (app.to_owned(), APP.to_owned())];
    assert_eq!(canonical(&graph), canonical(&build(&files)));
}

/// An edit of an importer's call that types a parameter of the imported
/// function stays local to the importer's function and re-links the
/// function's file (importers.rs); an edit elsewhere in it does not.
#[test]
fn an_edit_of_an_importer_s_typing_call_relinks_the_imported_function_s_file() {
    let (lib, app) = (Path::new("/ws/lib.py"), Path::new("/ws/app.py"));
    for (typed, relinked) in [(CALLS_LONELY.replace("info = Info()", "info = Other()"), 1), (CALLS_LONELY.replace("x = 1", "x = Info()"), 0)] {
        let mut graph = Graph::new(vec![PathBuf::from(ROOT)]);
        graph.update_file(lib, CALLS_LONELY);
        graph.update_file(app, LONELY);
        graph.update_file_deferred(lib, &typed);
        assert!(graph.local_update().is_some(), "{typed}");
        assert_eq!(graph.pending_relinks(), relinked, "{typed}");
        graph.flush_relinks();
        let files = [(lib.to_owned(), typed.clone()), (app.to_owned(), LONELY.to_owned())];
        assert_eq!(canonical(&graph), canonical(&build(&files)));
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    /// Random edits of one file, each a replacement at a random place:
    /// after each, the graph (the edited file's dependents re-linked)
    /// equals a cold index of both texts.
    #[test]
    fn local_edits_equal_a_cold_index(edits in prop::collection::vec((0..1024usize, 0..3usize, 0..TYPED.len()), 1..10)) {
        random_edits_equal_a_cold_index(LIB, APP, &TYPED, edits)?;
    }

    /// The same inside and between the methods of one class.
    #[test]
    fn method_edits_equal_a_cold_index(edits in prop::collection::vec((0..1024usize, 0..3usize, 0..TYPED_IN_METHODS.len()), 1..10)) {
        random_edits_equal_a_cold_index(METHODS, APP, &TYPED_IN_METHODS, edits)?;
    }

    /// The same while methods are typed into the class and renamed.
    #[test]
    fn new_method_edits_equal_a_cold_index(edits in prop::collection::vec((0..1024usize, 0..3usize, 0..TYPED_METHODS.len()), 1..10)) {
        random_edits_equal_a_cold_index(METHODS, APP, &TYPED_METHODS, edits)?;
    }

    /// The same with edits that break statements where no splice reaches
    /// (the whole text parsed, then re-linked only where it changed).
    #[test]
    fn breaking_edits_equal_a_cold_index(edits in prop::collection::vec((0..1024usize, 0..3usize, 0..BREAKING.len()), 1..10)) {
        random_edits_equal_a_cold_index(LIB, APP, &BREAKING, edits)?;
    }

    /// The same inside and between the methods of one class.
    #[test]
    fn breaking_method_edits_equal_a_cold_index(edits in prop::collection::vec((0..1024usize, 0..3usize, 0..BREAKING.len()), 1..10)) {
        random_edits_equal_a_cold_index(METHODS, APP, &BREAKING, edits)?;
    }

    /// The same where the methods linked with an edit set attributes.
    #[test]
    fn setter_edits_equal_a_cold_index(edits in prop::collection::vec((0..1024usize, 0..3usize, 0..TYPED_METHODS.len()), 1..10)) {
        random_edits_equal_a_cold_index(SETTERS, APP, &TYPED_METHODS, edits)?;
    }

    /// The same where a call types another method's parameter.
    #[test]
    fn typing_call_edits_equal_a_cold_index(edits in prop::collection::vec((0..1024usize, 0..3usize, 0..TYPED_IN_METHODS.len()), 1..10)) {
        random_edits_equal_a_cold_index(TYPED_BY_CALLER, APP, &TYPED_IN_METHODS, edits)?;
    }

    /// The same where the edited file's calls type a parameter of the
    /// function it imports (see importers.rs).
    #[test]
    fn importer_edits_equal_a_cold_index(edits in prop::collection::vec((0..1024usize, 0..3usize, 0..TYPED_IN_CALLER.len()), 1..10)) {
        random_edits_equal_a_cold_index(CALLS_LONELY, LONELY, &TYPED_IN_CALLER, edits)?;
    }
}

/// A module-level function whose parameter its importer's calls type.
const LONELY: &str = "class Info:\n    def hms(self, t):\n        return t\n\n\nclass Other:\n    def hms(self, t):\n        return t\n\n\ndef lonely(info):\n    return info.hms(4)\n";

/// Its importer (edited).
const CALLS_LONELY: &str = "from app import Info, Other, lonely\n\n\ndef go(text):\n    info = Info()\n    count = 1\n    lonely(info)\n    return count\n\n\ndef stay():\n    x = 1\n    return 1\n";

/// What is typed into `CALLS_LONELY`: calls, arguments, the import.
const TYPED_IN_CALLER: [&str; 16] = [
    "_",
    "x",
    "Other()",
    "Info()",
    "lonely(",
    ")",
    "info",
    ", ",
    "\n",
    "\n    ",
    "#",
    "from app import lonely\n",
    "lonely = None\n",
    "import app\n",
    "app.lonely(",
    "",
];

fn random_edits_equal_a_cold_index(base: &str, other: &str, typed: &[&str], edits: Vec<(usize, usize, usize)>) -> Result<(), TestCaseError> {
    let (lib, app) = (Path::new("/ws/lib.py"), Path::new("/ws/app.py"));
    let mut graph = Graph::new(vec![PathBuf::from(ROOT)]);
    graph.update_file(lib, base);
    graph.update_file(app, other);
    let mut text = base.to_owned();
    for (at, removed, which) in edits {
        text = replace_at(&text, at, removed, typed[which]);
        graph.update_file_deferred(lib, &text);
        graph.flush_relinks();
        let files = [(lib.to_owned(), text.clone()), (app.to_owned(), other.to_owned())];
        let fresh = build(&files);
        // A broken text's summary may hold what recovery lost (recovered.rs),
        // which a cold index lacks; compared whenever it holds nothing more.
        if graph.file(graph.file_id(lib).unwrap()).unwrap().summary == fresh.file(fresh.file_id(lib).unwrap()).unwrap().summary {
            prop_assert_eq!(canonical(&graph), canonical(&fresh), "after {:?}", text);
        }
    }
    Ok(())
}
