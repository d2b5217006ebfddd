//! Random edits that break and mend a file (brackets, quotes and triple
//! quotes left open and closed, `def` lines split, lines joined) never
//! leave the graph behind what parses: after each, with nothing carried
//! over from the previous summary, the graph is a cold index of the same
//! text; with something carried (recovered.rs), each definition carried is
//! still written where recovery lost it, and before the first syntax error
//! (after it, recovery may misread what follows: an unclosed string above
//! a method dedents the functions after it into the class) the graph holds
//! what the cold index holds, and more only as edges to what it carried.

use std::path::{Path, PathBuf};

use proptest::prelude::*;
use ruff_python_ast::token::TokenKind;
use ruff_python_parser::{LexicalErrorType, ParseErrorType};
use ruff_text_size::Ranged;

use super::local_tests::replace_at;
use super::summary::Definition;
use super::tests::{ROOT, build, canonical};
use super::{DefinitionKind, FileSummary, Graph, SymbolId};

/// A module with an import, a constant, a class with a method, functions
/// calling each other, and a module-level call (the eleventh tester's).
const MODULE: &str = "import json\n\nLIMIT = 10\n\nclass Item:\n    name = \"x\"\n\n    def total(self, qty):\n        return qty * LIMIT\n\ndef helper(n):\n    return json.dumps(n)\n\nvalue = helper(3)\n";

/// Its importer.
const IMPORTER: &str = "from m import Item, helper\n\n\ndef use():\n    return helper(Item().total(2))\n";

/// What is typed: brackets and quotes that open and close, a comment, line
/// breaks and indents, a backslash, whole statements, names and a dangling
/// attribute, a `def` or `if` line left without its body, nothing (a
/// deletion).
const PIECES: [&str; 26] = [
    "(",
    ")",
    "[",
    "]",
    "{",
    "}",
    ":",
    "'",
    "\"",
    "\"\"\"",
    "'''",
    "#",
    "\n",
    "\n    ",
    "    ",
    "\\",
    "def new(a):\n    return a\n",
    "new(1)\n",
    "x = Item()\n",
    "x.",
    "helper",
    "class K:\n    pass\n",
    "if x\n",
    "def ",
    " ",
    "",
];

/// Whether definition `d` is written in `text` at its place: its name,
/// a function's or class's after `def` or `class`, or in a triple-quoted
/// string left unclosed.
fn written(text: &str, d: &Definition) -> bool {
    let start = d.name_range.start as usize;
    let header = text[..start].trim_end_matches([' ', '\t']);
    let parsed = ruff_python_parser::parse_unchecked_source(text, ruff_python_ast::PySourceType::Python);
    let unclosed = parsed.errors().iter().any(|e| {
        let quotes = text[e.location.start().to_usize()..].trim_start_matches(char::is_alphabetic);
        matches!(e.error, ParseErrorType::Lexical(LexicalErrorType::UnclosedStringError))
            && e.location.start().to_usize() <= start
            && (quotes.starts_with("\"\"\"") || quotes.starts_with("'''"))
    });
    let keyword = d.kind == DefinitionKind::Variable || header.ends_with("def") || header.ends_with("class");
    text[start..].starts_with(d.name.as_str()) && (keyword || unclosed)
}

/// Where `text` stops parsing: at its first syntax error, or at a bracket
/// left open, inside which recovery reads the rest of the text.
fn parsed_until(text: &str) -> u32 {
    let parsed = ruff_python_parser::parse_unchecked_source(text, ruff_python_ast::PySourceType::Python);
    let first_error = parsed.errors().iter().map(|e| e.location.start().to_u32()).min().unwrap_or(u32::MAX);
    let mut open = Vec::new();
    for token in parsed.tokens().iter() {
        match token.kind() {
            TokenKind::Lpar | TokenKind::Lsqb | TokenKind::Lbrace => open.push(token.start().to_u32()),
            TokenKind::Rpar | TokenKind::Rsqb | TokenKind::Rbrace => drop(open.pop()),
            _ => {}
        }
    }
    open.first().map_or(first_error, |&bracket| bracket.min(first_error))
}

/// What the graph holds of `m` before `limit`, as [`canonical`] renders
/// it: each node of it named there (with itself), each edge from one of
/// its nodes sited there (with its target).
fn parsed_part(graph: &Graph, m: &Path, limit: u32) -> Vec<(String, String)> {
    let key = |node| {
        let symbol = graph.symbol(SymbolId(node)).expect("node");
        let file = symbol.file.and_then(|f| graph.file(f)).map(|f| f.path.display().to_string()).unwrap_or_default();
        format!("{:?} {} {file} {:?}", symbol.kind, symbol.qualified_name, symbol.name_range)
    };
    let file = graph.file_id(m);
    let in_part = |node| graph.symbol(SymbolId(node)).is_some_and(|s| s.file == file && s.name_range.start < limit);
    let mut out = Vec::new();
    for node in graph.graph.node_indices().filter(|&n| in_part(n)) {
        out.push((format!("node {}", key(node)), key(node)));
    }
    for edge in graph.graph.edge_indices() {
        let (a, b) = graph.graph.edge_endpoints(edge).expect("endpoints");
        let weight = graph.graph[edge];
        if graph.symbol(SymbolId(a)).is_some_and(|s| s.file == file) && weight.site.start < limit {
            out.push((format!("edge {} -{:?}@{:?}->", key(a), weight.kind, weight.site), key(b)));
        }
    }
    out.sort();
    out
}

fn break_and_mend(base: &str, edits: Vec<(usize, usize, usize)>) -> Result<(), TestCaseError> {
    let (m, importer) = (Path::new("/ws/m.py"), Path::new("/ws/app.py"));
    let mut graph = Graph::new(vec![PathBuf::from(ROOT)]);
    graph.update_file(m, base);
    graph.update_file(importer, IMPORTER);
    let mut text = base.to_owned();
    for (at, removed, which) in edits {
        text = replace_at(&text, at, removed, PIECES[which]);
        graph.update_file_deferred(m, &text);
        graph.flush_relinks();
        let files = [(m.to_owned(), text.clone()), (importer.to_owned(), IMPORTER.to_owned())];
        let cold = build(&files);
        let summary = |g: &Graph| -> FileSummary { (*g.file(g.file_id(m).unwrap()).unwrap().summary).clone() };
        let (warm_summary, cold_summary) = (summary(&graph), summary(&cold));
        let (warm, cold) = (canonical(&graph), canonical(&cold));
        if warm_summary == cold_summary {
            prop_assert_eq!(warm, cold, "after {:?}", text);
            continue;
        }
        for d in warm_summary.definitions.iter().filter(|d| d.scope == 0) {
            let cold_has = cold_summary.definitions.iter().any(|c| c.name == d.name && c.name_range == d.name_range);
            prop_assert!(cold_has || written(&text, d), "`{}` is not written in {:?}", d.name, text);
        }
        let limit = parsed_until(&text);
        let (warm, cold) = (parsed_part(&graph, m, limit), parsed_part(&build(&files), m, limit));
        let missing: Vec<&(String, String)> = cold.iter().filter(|line| !warm.contains(line)).collect();
        prop_assert!(missing.is_empty(), "behind the cold index: {:?} after {:?}", missing, text);
        let cold_nodes: Vec<&String> = cold.iter().map(|(_, node)| node).collect();
        let stale: Vec<&(String, String)> = warm.iter().filter(|line| !cold.contains(line) && cold_nodes.contains(&&line.1)).collect();
        prop_assert!(stale.is_empty(), "not in the cold index: {:?} after {:?}", stale, text);
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    /// Five to eight random edits of the eleventh tester's module.
    #[test]
    fn break_and_mend_edits_never_leave_the_graph_behind_what_parses(edits in prop::collection::vec((0..1024usize, 0..6usize, 0..PIECES.len()), 1..9)) {
        break_and_mend(MODULE, edits)?;
    }
}

/// lat12's seed (also in proptest-regressions): `def new` typed below a
/// function carried from the previous summary (`def h]per(n):`) parsed
/// and is known, so the module-level `new(1)` above it calls it, while the
/// carried `h` stays (the check's "written" half).
#[test]
fn a_function_parsed_below_a_carried_one_is_known() {
    break_and_mend(MODULE, vec![(947, 2, 3), (593, 5, 2), (465, 3, 17), (21, 2, 21), (558, 5, 17), (534, 0, 16)]).unwrap();
}
