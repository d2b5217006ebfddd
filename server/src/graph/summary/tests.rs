//! Summary extraction tests.

use super::*;
use expect_test::expect;

/// A compact dump of a summary, one line per item.
fn dump(source: &str) -> String {
    let s = FileSummary::extract(source);
    let mut out = String::new();
    for d in &s.definitions {
        let sig = d.signature.as_ref().map(|sig| {
            let params: Vec<String> = sig
                .parameters
                .iter()
                .map(|p| {
                    let mut text = format!("{:?} {}", p.kind, p.name);
                    if let Some(a) = &p.annotation {
                        text += &format!(": {a}");
                    }
                    if let Some(d) = &p.default {
                        text += &format!(" = {d}");
                    }
                    text
                })
                .collect();
            format!(" ({}) -> {:?}", params.join(", "), sig.returns)
        });
        out += &format!(
            "def {:?} {} scope={} bases={:?} decorators={:?}{} doc={:?}\n",
            d.kind,
            d.name,
            d.scope,
            d.bases,
            d.decorators,
            sig.unwrap_or_default(),
            d.docstring
        );
    }
    for i in &s.imports {
        out += &format!(
            "import {:?} level={} name={:?} alias={:?} star={} cond={} tc={}\n",
            i.module, i.level, i.name, i.alias, i.star, i.conditional, i.type_checking
        );
    }
    for r in &s.references {
        out += &format!("ref {} scope={} call={} super={}\n", r.chain, r.scope, r.call, r.from_super);
    }
    out
}

/// An import's interned names go to the summary cache as its strings
/// did (postcard: a tag, a length, the bytes): the stored format is the
/// same.
#[test]
fn an_import_is_stored_with_its_names_as_strings() {
    let summary = FileSummary::extract("from a.b import c as d\n");
    let bytes = postcard::to_stdvec(&summary.imports[0]).unwrap();
    assert!(bytes.starts_with(&[1, 3, b'a', b'.', b'b', 0, 1, 1, b'c', 1, 1, b'd']), "{bytes:?}");
}

#[test]
fn extracts_definitions_imports_and_references() {
    let source = r#""""Module doc."""
import os.path
from . import sibling as sib
from ..pkg.mod import *
from typing import TYPE_CHECKING
if TYPE_CHECKING:
    from collections import OrderedDict

LIMIT: int = 3

@dataclass
class Child(Base, Generic[T]):
    """A child.

        Indented detail.
    """
    size = 1

    def __init__(self, x: int = 2, *args, key=None, **kw) -> None:
        super().__init__(x)
        self.total = os.path.join(x)

    @staticmethod
    async def build(n, /, m) -> "Child":
        return Child(n)
"#;
    expect![[r#"
            def Variable LIMIT scope=0 bases=[] decorators=[] doc=None
            def Class Child scope=0 bases=["Base", "Generic[T]"] decorators=["dataclass"] doc=Some("A child.\n\nIndented detail.")
            def Variable size scope=1 bases=[] decorators=[] doc=None
            def Method __init__ scope=1 bases=[] decorators=[] (PositionalOrKeyword self, PositionalOrKeyword x: int = 2, VarPositional args, KeywordOnly key = None, VarKeyword kw) -> Some("None") doc=None
            def Variable total scope=1 bases=[] decorators=[] doc=None
            def Method build scope=1 bases=[] decorators=["staticmethod"] (PositionalOnly n, PositionalOrKeyword m) -> Some("\"Child\"") doc=None
            import Some("os.path") level=0 name=None alias=None star=false cond=false tc=false
            import None level=1 name=Some("sibling") alias=Some("sib") star=false cond=false tc=false
            import Some("pkg.mod") level=2 name=None alias=None star=true cond=false tc=false
            import Some("typing") level=0 name=Some("TYPE_CHECKING") alias=None star=false cond=false tc=false
            import Some("collections") level=0 name=Some("OrderedDict") alias=None star=false cond=true tc=true
            ref TYPE_CHECKING scope=0 call=false super=false
            ref int scope=0 call=false super=false
            ref dataclass scope=0 call=true super=false
            ref Base scope=0 call=false super=false
            ref Generic scope=0 call=false super=false
            ref T scope=0 call=false super=false
            ref int scope=1 call=false super=false
            ref super scope=2 call=true super=false
            ref __init__ scope=2 call=true super=true
            ref x scope=2 call=false super=false
            ref os.path.join scope=2 call=true super=false
            ref x scope=2 call=false super=false
            ref self.total scope=2 call=false super=false
            ref staticmethod scope=1 call=true super=false
            ref Child scope=3 call=true super=false
            ref n scope=3 call=false super=false
        "#]]
    .assert_eq(&dump(source));
}

#[test]
fn locals_stay_out_of_definitions_and_globals_bind_the_module() {
    let source = "def f(a):\n    global G\n    G = a\n    b = [c for c in a]\n    return b\n";
    let s = FileSummary::extract(source);
    let names: Vec<(&str, u32, BindingKind)> = s.bindings.iter().map(|b| (b.name.as_str(), b.scope, b.kind)).collect();
    assert_eq!(
        names,
        [
            ("f", 0, BindingKind::Definition(0)),
            ("a", 1, BindingKind::Parameter { self_of: None }),
            ("G", 0, BindingKind::Definition(1)),
            ("c", 2, BindingKind::Local),
            ("b", 1, BindingKind::Local),
        ]
    );
}

#[test]
fn extracted_summaries_are_consistent_and_damaged_ones_are_not() {
    let mut summary = FileSummary::extract("class A:\n    def f(self):\n        return self.g()\n");
    assert!(summary.is_consistent());
    summary.bindings[0].kind = BindingKind::Definition(99);
    assert!(!summary.is_consistent());
}

#[test]
fn broken_code_still_yields_what_parsed() {
    let s = FileSummary::extract("def ok():\n    pass\n\ndef broken(:\n");
    assert!(s.syntax_errors > 0);
    assert_eq!(s.definitions[0].name, "ok");
}

/// A check's summary is the full summary without docstrings, without the
/// text of parameter defaults and with only the plain calls among its
/// references: everything resolution reads is the same.
#[test]
fn a_checks_summary_is_the_full_one_without_what_checks_never_read() {
    let source = r#""""Module doc."""
import os.path as p
from . import helpers

class Cart(Base):
    """Cart doc."""
    items: list["Item"] = []

    def total(self, rate=0.5, *, strict: bool = False) -> float:
        """Total doc."""
        x = helpers.price(self.items)
        y = super().total()
        z = Cart().total().real
        return p.join(x, y, z, default=lambda q: q)

def make(n=1):
    return Cart().total(n) if n else os.getcwd
"#;
    let parsed = ruff_python_parser::parse_unchecked_source(source, ast::PySourceType::Python);
    let mut full = FileSummary::from_parsed(source, &parsed);
    let checks = FileSummary::from_parsed_with(source, &parsed, Detail::Checks);
    assert!(full.docstring.is_some() && full.definitions.iter().any(|d| d.docstring.is_some()));
    assert!(full.references.iter().any(|r| r.from_super) && full.references.iter().any(|r| r.receiver().is_some()));
    full.docstring = None;
    for def in &mut full.definitions {
        def.docstring = None;
        for p in def.signature.iter_mut().flat_map(|s| s.parameters.iter_mut()) {
            p.default = p.default.as_ref().map(|_| Default::default());
        }
    }
    full.references.retain(|r| r.call && !r.from_super && r.receiver().is_none());
    assert!(!full.references.is_empty());
    // Implicit calls and passed names are for the call hierarchy, which a
    // check never asks.
    assert!(!full.implicit_calls.is_empty() && !full.arguments.is_empty());
    full.implicit_calls.clear();
    full.arguments.clear();
    assert_eq!(checks, full);
}

/// What each assignment binds: the scope's last variable of the name
/// (indexed, see `Variables` in builder.rs), not a function of that name,
/// nor another scope's variable.
#[test]
fn an_assignment_rebinds_its_scopes_last_variable_of_the_name() {
    let source = "x = 1\ndef x(): pass\nx = 2\nclass C:\n    x = 3\n    x = 4\ndef f():\n    global x\n    x = 5\n    y = 6\ny = 7\ny = 8\n";
    let s = FileSummary::extract(source);
    let bindings: Vec<String> = s
        .bindings
        .iter()
        .map(|b| match b.kind {
            BindingKind::Definition(d) => format!("{} scope={} -> def {} {:?}", b.name, b.scope, d, s.definitions[d as usize].kind),
            other => format!("{} scope={} -> {other:?}", b.name, b.scope),
        })
        .collect();
    expect![[r#"
        x scope=0 -> def 0 Variable
        x scope=0 -> def 1 Function
        x scope=0 -> def 0 Variable
        C scope=0 -> def 2 Class
        x scope=2 -> def 3 Variable
        x scope=2 -> def 3 Variable
        f scope=0 -> def 4 Function
        x scope=0 -> def 0 Variable
        y scope=3 -> Local
        y scope=0 -> def 5 Variable
        y scope=0 -> def 5 Variable"#]]
    .assert_eq(&bindings.join("\n"));
}

proptest::proptest! {
    /// A reference moved over an edit as a whole (before it, after it)
    /// lands where moving each segment's start does, with starts that
    /// follow the chain (`a.b`) or not (`a. b`, over lines).
    #[test]
    fn a_reference_moves_over_an_edit_as_its_segments_do(
        first in 0u32..60,
        gaps in proptest::collection::vec(0u32..3, 1..4),
        start in 0u32..80,
        removed in 0u32..10,
        inserted in 0u32..10,
    ) {
        let chain: Vec<String> = (0..gaps.len()).map(|i| format!("n{i}")).collect();
        let mut starts = vec![first];
        for (name, gap) in chain.iter().zip(&gaps[1..]) {
            starts.push(starts.last().unwrap() + name.len() as u32 + 1 + gap);
        }
        let reference = Reference::new(0, chain.join(".").as_str().into(), &starts, false, false, None);
        let edit = TextEdit { start, old_end: start + removed, new_end: start + inserted };
        let (mut moved, mut by_segment) = (reference.clone(), reference);
        moved.move_over(edit);
        by_segment.map_starts(|s| edit.map_start(s));
        proptest::prop_assert_eq!(moved, by_segment);
    }
}
