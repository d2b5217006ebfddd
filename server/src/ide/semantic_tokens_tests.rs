//! Fixture tests: each token as `text type [modifiers]`, in order.

use expect_test::{Expect, expect};

use super::*;
use crate::graph::local_tests::{APP, LIB, METHODS, SETTERS, TYPED, TYPED_IN_METHODS, TYPED_METHODS, replace_at};
use crate::ide::fixture;

fn check(fixture_text: &str, expect: Expect) {
    let (graph, file, _) = fixture::graph(fixture_text);
    check_graph(&graph, file, None, expect);
}

fn check_graph(graph: &Graph, file: FileId, range: Option<Span>, expect: Expect) {
    let text = &graph.file(file).unwrap().text();
    let lines: Vec<String> = tokens(graph, file, range)
        .iter()
        .map(|t| {
            let names: Vec<&str> = (0..modifier::NAMES.len()).filter(|bit| t.modifiers & (1 << bit) != 0).map(|bit| modifier::NAMES[bit]).collect();
            format!("{} {:?} {}", &text[t.span.range()], t.kind, names.join(","))
        })
        .collect();
    expect.assert_eq(&(lines.join("\n") + "\n"));
}

#[test]
fn a_name_python_normalises_is_a_token_over_its_whole_spelling() {
    // `ｒａｔｅ` and `𝓻𝓪𝓽𝓮` read the name `rate` (NFKC): each token spans what is written.
    check(
        "//- /m.py\ndef f():\n    rate = 3\n    return ｒａｔｅ * 2 + 𝓻𝓪𝓽𝓮.real + rate$0\n",
        expect![[r#"
            f Function declaration
            rate Variable declaration
            ｒａｔｅ Variable 
            𝓻𝓪𝓽𝓮 Variable 
            rate Variable 
        "#]],
    );
}

#[test]
fn definitions_parameters_locals_and_their_uses() {
    check(
        r#"
//- /shop.py
import os.path as osp
from typing import Final

MAX_ITEMS = 3
RATE: Final = 0.2

class Cart:
    zone = "EU"

    def __init__(self, items):
        self.items = items

    @property
    def size(self):
        return len(self.items)

    async def fetch(self, url):
        body = url
        return body

def total(cart: Cart) -> int:
    return cart.size + MAX_ITEMS + osp.sep.count("/")$0
//- /typeshed/builtins.pyi
class int: ...
class str:
    def count(self, x: str) -> int: ...
class property: ...
def len(obj) -> int: ...
//- /typeshed/typing.pyi
Final: object
//- /typeshed/os/__init__.pyi
from . import path as path
//- /typeshed/os/path.pyi
sep: str
"#,
        expect![[r#"
            os Namespace defaultLibrary
            path Namespace defaultLibrary
            osp Namespace declaration,defaultLibrary
            typing Namespace defaultLibrary
            Final Variable defaultLibrary
            MAX_ITEMS Variable declaration,readonly
            RATE Variable declaration,readonly
            Final Variable defaultLibrary
            Cart Class declaration
            zone Property declaration
            __init__ Method declaration
            self Parameter declaration
            items Parameter declaration
            self Parameter 
            items Property declaration
            items Parameter 
            property Class defaultLibrary
            size Property declaration
            self Parameter declaration
            len Function defaultLibrary
            self Parameter 
            items Property 
            fetch Method declaration,async
            self Parameter declaration
            url Parameter declaration
            body Variable declaration
            url Parameter 
            body Variable 
            total Function declaration
            cart Parameter declaration
            Cart Class 
            int Class defaultLibrary
            cart Parameter 
            size Property 
            MAX_ITEMS Variable readonly
            osp Namespace defaultLibrary
            sep Variable defaultLibrary
            count Method defaultLibrary
        "#]],
    );
}

#[test]
fn deprecated_workspace_imports_and_unresolved_names() {
    check(
        r#"
//- /shop/__init__.py
//- /shop/models.py
from warnings import deprecated

class Item:
    @deprecated("use price")
    def cost(self):
        return 0

    @staticmethod
    def make():
        return Item()
//- /shop/app.py
from .models import Item as It
from . import models

It.make().cost()
models.Item.make
unknown_name.attribute
print(len)$0
"#,
        expect![[r#"
            models Namespace 
            Item Class 
            It Class declaration
            models Namespace 
            It Class 
            make Method 
            cost Method deprecated
            models Namespace 
            Item Class 
            make Method 
            print Function defaultLibrary
            len Function defaultLibrary
        "#]],
    );
}

/// A module variable bound again is tokened as where it was first bound,
/// also under `global`; a lambda's parameters are parameters; a module's
/// own `__name__` and `__file__` are variables.
#[test]
fn rebindings_lambda_parameters_and_module_dunders() {
    check(
        r#"
//- /a.py
s = 1
s = 3
counter = 0
def bump():
    global counter
    counter = counter + 1
scale = lambda z, *rest, k=2: z * k
print(__name__, __file__, __doc__)
$0"#,
        expect![[r#"
            s Variable declaration
            s Variable declaration
            counter Variable declaration
            bump Function declaration
            counter Variable 
            counter Variable declaration
            counter Variable 
            scale Variable declaration
            z Parameter declaration
            rest Parameter declaration
            k Parameter declaration
            z Parameter 
            k Parameter 
            print Function defaultLibrary
            __name__ Variable 
            __file__ Variable 
            __doc__ Variable 
        "#]],
    );
    // Must not: a function's local of the same name is a local; a lambda
    // body's names read from outside are not its parameters; a module's
    // own `__name__` binding is its own.
    check(
        r#"
//- /b.py
s = 1
def f():
    s = 2
    return (lambda: s)()
__name__ = "b"
$0"#,
        expect![[r#"
            s Variable declaration
            f Function declaration
            s Variable declaration
            s Variable 
            __name__ Variable declaration
        "#]],
    );
}

#[test]
fn debug_is_a_builtin_constant() {
    // Must not: another builtin no stub declares stays a function.
    check(
        "//- /a.py\nif __debug__:\n    print(1)\n$0",
        expect![[r#"
            __debug__ Variable readonly,defaultLibrary
            print Function defaultLibrary
        "#]],
    );
}

/// A class name being typed after an unclosed bracket: the recovered class
/// is named by the next line's keyword, which gets no token.
#[test]
fn a_keyword_is_never_a_token() {
    check(
        r#"
//- /a.py
x = 1
(x
class #C:
    def m(self):
        pass
$0"#,
        expect![[r#"
            x Variable declaration
            x Variable 
        "#]],
    );
}

/// A range request gives the tokens that start inside it.
#[test]
fn a_range_gives_the_tokens_inside_it() {
    let (graph, file, at) = fixture::graph(
        r#"
//- /a.py
def f(x):
    return x

$0def g(y):
    return f(y)
"#,
    );
    let end = graph.file(file).unwrap().text().len() as u32;
    check_graph(
        &graph,
        file,
        Some(Span::new(at, end)),
        expect![[r#"
            g Function declaration
            y Parameter declaration
            f Function 
            y Parameter 
        "#]],
    );
}

/// A token overlapping the range's start is in, as one overlapping its end
/// is, and one holding the whole range.
#[test]
fn a_range_takes_in_the_tokens_it_overlaps() {
    let (graph, file, _) = fixture::graph("//- /a.py\ndef f(value):\n    return value\n$0");
    let text = graph.file(file).unwrap().text().clone();
    let (first, second) = (text.find("value").unwrap() as u32, text.rfind("value").unwrap() as u32);
    check_graph(
        &graph,
        file,
        Some(Span::new(first + 2, second + 2)),
        expect![[r#"
            value Parameter declaration
            value Parameter 
        "#]],
    );
    check_graph(
        &graph,
        file,
        Some(Span::new(second + 1, second + 3)),
        expect![[r#"
            value Parameter 
        "#]],
    );
    // Must not: a range between tokens (`):`) takes in none.
    assert_eq!(tokens(&graph, file, Some(Span::new(first + 5, first + 7))), []);
}

/// With syntax errors, a recovered import statement's range can start on
/// an earlier line than its names: they stay out of a range that ends
/// before them (`deprecated` on line 3 is not in lines 0-1).
#[test]
fn a_range_in_a_broken_file_gives_only_what_is_inside_it() {
    let (graph, file, _) =
        fixture::graph("//- /a.py\nximport os\nimport op\nfrom collections import OrderedDict\nfrom war(nings import deprecated\nMAX_N = 10\n$0");
    let text = graph.file(file).unwrap().text().clone();
    let line = |n: usize| text.split_inclusive('\n').take(n).map(str::len).sum::<usize>() as u32;
    check_graph(
        &graph,
        file,
        Some(Span::new(0, line(2))),
        expect![[r#"
        op Namespace 
    "#]],
    );
    check_graph(
        &graph,
        file,
        Some(Span::new(line(4), line(5))),
        expect![[r#"
        MAX_N Variable declaration,readonly
    "#]],
    );
}

#[test]
fn tokens_computed_before_an_edit_are_reused_moved_or_computed_afresh() {
    let text = "import os\n\nclass Cart:\n    def total(self, rate):\n        return os.sep, rate\n\nCart().total(1)\n";
    let path = std::path::Path::new("/ws/shop.py");
    let mut graph = crate::graph::tests::build(&[(path.to_owned(), text.to_owned())]);
    let file = graph.file_id(path).unwrap();
    let mut last = computed(&graph, file, None);
    assert_eq!(*last.tokens, tokens(&graph, file, None));
    // Each edit's answer equals a fresh one: a blank line and a comment
    // (code moved: reused), a renamed parameter (computed again).
    let edits = [
        (text.replace("class Cart", "\n# carts\nclass Cart"), true),
        (text.replace("class Cart", "\n# carts\nclass Cart").replace("return os.sep", "return  os.sep"), true),
        (text.replace("rate", "ratio"), false),
        (text.to_owned(), false),
    ];
    for (edited, moved) in edits {
        let revision = graph.revision();
        graph.update_file_deferred(path, &edited);
        graph.flush_relinks();
        assert_eq!(graph.revision() == revision, moved, "the edit to {edited:?} moves code only: {moved}");
        let next = computed(&graph, file, Some(&last));
        assert_eq!(*next.tokens, tokens(&graph, file, None), "after the edit to {edited:?}");
        let opened = crate::graph::tests::build(&[(path.to_owned(), edited.clone())]);
        assert_eq!(*next.tokens, tokens(&opened, opened.file_id(path).unwrap(), None), "the edit to {edited:?} opened afresh");
        last = next;
    }
}

#[test]
fn a_library_module_keeps_its_modifier_when_the_name_imported_from_it_is_missing() {
    check(
        r#"
//- /app.py
from typing import NotInThisPython$0
//- /typeshed/typing.pyi
Final: object
"#,
        expect![[r#"
            typing Namespace defaultLibrary
        "#]],
    );
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(64))]

    /// Tokens computed after each random edit from the last answer (moved,
    /// or recomputed only for the statements a local edit touched) equal
    /// the file's tokens computed afresh.
    #[test]
    fn tokens_after_random_edits_equal_fresh_ones(edits in proptest::collection::vec((0..1024usize, 0..3usize, 0..TYPED.len()), 1..10)) {
        tokens_after_random_edits(LIB, &TYPED, edits)?;
    }

    /// The same inside and between the methods of one class (recomputed
    /// only for the method a local edit touched).
    #[test]
    fn tokens_after_random_method_edits_equal_fresh_ones(edits in proptest::collection::vec((0..1024usize, 0..3usize, 0..TYPED_IN_METHODS.len()), 1..10)) {
        tokens_after_random_edits(METHODS, &TYPED_IN_METHODS, edits)?;
    }

    /// The same while methods are typed into the class and renamed (a
    /// name no statement outside spells: recomputed only for its region).
    #[test]
    fn tokens_after_new_methods_typed_equal_fresh_ones(edits in proptest::collection::vec((0..1024usize, 0..3usize, 0..TYPED_METHODS.len()), 1..10)) {
        tokens_after_random_edits(METHODS, &TYPED_METHODS, edits)?;
    }

    /// The same where the methods linked with an edit set attributes
    /// (recomputed for them too).
    #[test]
    fn tokens_after_edits_of_setters_equal_fresh_ones(edits in proptest::collection::vec((0..1024usize, 0..3usize, 0..TYPED_METHODS.len()), 1..10)) {
        tokens_after_random_edits(SETTERS, &TYPED_METHODS, edits)?;
    }
}

fn tokens_after_random_edits(base: &str, typed: &[&str], edits: Vec<(usize, usize, usize)>) -> Result<(), proptest::test_runner::TestCaseError> {
    tokens_after_each_edit(base, edits.into_iter().map(|(at, removed, which)| move |text: &str| replace_at(text, at, removed, typed[which])))
}

/// Edits `base` (a module of `/ws`, beside `APP`) with each of `edits`
/// (the text before to the text after): after each, the tokens computed
/// from the last answer equal the file's computed afresh, and those of the
/// text opened afresh when it parses.
pub(super) fn tokens_after_each_edit<E: Fn(&str) -> String>(
    base: &str,
    edits: impl IntoIterator<Item = E>,
) -> Result<(), proptest::test_runner::TestCaseError> {
    let (lib, app) = (std::path::Path::new("/ws/lib.py"), std::path::Path::new("/ws/app.py"));
    let mut graph = crate::graph::tests::build(&[(lib.to_owned(), base.to_owned()), (app.to_owned(), APP.to_owned())]);
    let file = graph.file_id(lib).unwrap();
    let mut last = computed(&graph, file, None);
    let mut text = base.to_owned();
    for edit in edits {
        text = edit(&text);
        graph.update_file_deferred(lib, &text);
        let next = computed(&graph, file, Some(&last));
        proptest::prop_assert_eq!(&*next.tokens, &tokens(&graph, file, None), "after the edit to {:?}", text);
        // And the same text opened afresh (its whole linking's answers
        // kept, or replayed: see graph/answers.rs), when it parses (a
        // broken buffer keeps what its last good summary knew).
        let opened = crate::graph::tests::build(&[(lib.to_owned(), text.clone()), (app.to_owned(), APP.to_owned())]);
        let opened_file = opened.file_id(lib).unwrap();
        if opened.file(opened_file).unwrap().syntax_errors == 0 {
            proptest::prop_assert_eq!(&*next.tokens, &tokens(&opened, opened_file, None), "the edit to {:?} opened afresh", text);
        }
        last = next;
        // The importers the edit left pending are re-linked before the
        // next edit, as the server does between requests.
        graph.flush_relinks();
    }
    Ok(())
}

#[test]
fn tokens_of_the_functions_linked_with_an_edit_are_computed_again() {
    // `read` renamed is linked in part with `report`, which calls it
    // (graph/spelled.rs): the call's token goes with what it resolved to.
    let (lib, app) = (std::path::Path::new("/ws/lib.py"), std::path::Path::new("/ws/app.py"));
    let mut graph = crate::graph::tests::build(&[(lib.to_owned(), METHODS.to_owned()), (app.to_owned(), APP.to_owned())]);
    let file = graph.file_id(lib).unwrap();
    let last = computed(&graph, file, None);
    let edited = METHODS.replace("def read(", "def read_(");
    graph.update_file_deferred(lib, &edited);
    assert!(graph.local_update().is_some_and(|local| !local.readers.is_empty()), "linked in part, with its readers");
    let call = |text: &str| text.find("self.read(2)").unwrap() as u32 + "self.".len() as u32;
    assert!(last.tokens.iter().any(|t| t.span.start == call(METHODS)), "`self.read` is a method before");
    let next = computed(&graph, file, Some(&last));
    assert!(!next.tokens.iter().any(|t| t.span.start == call(&edited)), "and nothing after");
    assert_eq!(*next.tokens, tokens(&graph, file, None));
}

/// The semantic-tokens bench's `--edit name` edit: `_` appended to the
/// `which`-th name of line `line` (of the lines that are not comments),
/// keywords too (`def_`, `return_` break the text), as
/// `bench/ide/semantic_tokens.py` makes it.
fn name_edited(text: &str, line: usize, which: usize) -> Option<String> {
    let lines: Vec<&str> = text.split('\n').collect();
    let code: Vec<usize> = (0..lines.len()).filter(|&i| !lines[i].trim_start().starts_with('#')).collect();
    let at = code[line % code.len()];
    let names: Vec<usize> = regex::Regex::new(r"\b[A-Za-z_]\w*\b").unwrap().find_iter(lines[at]).map(|m| m.end()).collect();
    let end = *names.get(which % names.len().max(1))?;
    let edited = format!("{}_{}", &lines[at][..end], &lines[at][end..]);
    Some(lines.iter().enumerate().map(|(i, l)| if i == at { edited.as_str() } else { l }).collect::<Vec<_>>().join("\n"))
}

/// Each name edited, then taken out again (the bench's pairs): after each
/// update, the graph is a cold index of the same text (when its summary
/// holds nothing recovery carried over), and the tokens computed from the
/// last answer are the file's afresh and, when it parses, a fresh open's.
fn names_edited_and_taken_out(base: &str, picks: Vec<(usize, usize)>) -> Result<(), proptest::test_runner::TestCaseError> {
    let (lib, app) = (std::path::Path::new("/ws/lib.py"), std::path::Path::new("/ws/app.py"));
    let mut graph = crate::graph::tests::build(&[(lib.to_owned(), base.to_owned()), (app.to_owned(), APP.to_owned())]);
    let file = graph.file_id(lib).unwrap();
    let mut last = computed(&graph, file, None);
    for (line, which) in picks {
        let Some(edited) = name_edited(base, line, which) else { continue };
        for text in [edited, base.to_owned()] {
            graph.update_file_deferred(lib, &text);
            let next = computed(&graph, file, Some(&last));
            proptest::prop_assert_eq!(&*next.tokens, &tokens(&graph, file, None), "after the edit to {:?}", text);
            graph.flush_relinks();
            let opened = crate::graph::tests::build(&[(lib.to_owned(), text.clone()), (app.to_owned(), APP.to_owned())]);
            let opened_file = opened.file_id(lib).unwrap();
            if graph.file(file).unwrap().summary == opened.file(opened_file).unwrap().summary {
                let (warm, cold) = (crate::graph::tests::canonical(&graph), crate::graph::tests::canonical(&opened));
                proptest::prop_assert_eq!(warm, cold, "the graph after the edit to {:?}", text);
            }
            if opened.file(opened_file).unwrap().syntax_errors == 0 {
                proptest::prop_assert_eq!(&*next.tokens, &tokens(&opened, opened_file, None), "the edit to {:?} opened afresh", text);
            }
            last = next;
        }
    }
    Ok(())
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(64))]

    /// The bench's name edits in a class's methods, their def lines and
    /// decorators included (a method renamed or given a parameter is
    /// re-summarised alone, summary/method.rs).
    #[test]
    fn tokens_and_graph_after_names_edited_and_taken_out_equal_fresh_ones(
        setters in proptest::prelude::any::<bool>(),
        picks in proptest::collection::vec((0..64usize, 0..8usize), 1..8),
    ) {
        names_edited_and_taken_out(if setters { SETTERS } else { METHODS }, picks)?;
    }
}

#[test]
fn a_dotted_import_written_with_blanks_around_its_dots_has_each_segment() {
    // Python reads `import os .path` and `from os. path import sep` as
    // `os.path`: each segment is a token over its name alone, so an edit
    // that adds such a blank moves the tokens exactly as computing afresh
    // places them.
    check(
        "//- /m.py\nimport os .path\nfrom os. \\\n  path import sep$0\n//- /typeshed/os/__init__.pyi\n//- /typeshed/os/path.pyi\nsep: str\n",
        expect![[r#"
            os Namespace defaultLibrary
            path Namespace defaultLibrary
            os Namespace defaultLibrary
            path Namespace defaultLibrary
            sep Variable defaultLibrary
        "#]],
    );
}
