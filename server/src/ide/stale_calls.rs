//! Next edit, exact: the user edited a `def`'s parameters by hand, and the
//! calls the graph knows were written for the old ones. Each function of an
//! open document keeps the parameters its calls were written for (its
//! baseline: those it had when the document was opened); where the current
//! parameters differ, the calls are rewritten by the change-signature engine
//! ([`signature_change::rewrite_calls`]: the same edits, the same refusals),
//! and once none needs rewriting the baseline moves to the current
//! parameters.
//!
//! A reordered call can bind under both orders (`f(1, 2)`), so whether it
//! was written for the old parameters cannot be read from the call itself.
//! The workspace's texts are kept with the baseline, and only uses whose
//! line reads as it did then (same file, number and text; a call's lines
//! below too, down to its closing parenthesis), or whose call reads as
//! the call at its place among the line's calls of that function did then,
//! with as many of them (the other call of a line the user fixed), are
//! updated: a call the user edited by hand
//! (before or after the `def`), or the fix rewrote, is not taken for an
//! old one, so a fix is never offered twice.
//! A line that moved is left alone too: a call missed, never a call
//! updated wrongly.

use std::path::PathBuf;
use std::sync::Arc;

use ruff_python_ast::PySourceType;
use ruff_python_ast::token::TokenKind;
use ruff_text_size::Ranged;
use rustc_hash::FxHashMap;

use super::call_arguments::{self, Asking};
use super::edits::FileEdits;
use super::signature_change::{self, compatible, definitions, mapping, required, rewrite_calls};
use crate::graph::explain::{place, signature};
use crate::graph::{FileId, Graph, Location, ParameterKind, Signature, Span, SymbolId, SymbolKind};
use crate::line_ends;

/// The parameters each function of a file had when its calls were last
/// known to match, by qualified name.
#[derive(Debug, Default, Clone)]
pub struct Baseline {
    functions: FxHashMap<String, Expected>,
    /// The texts of the latest baseline taken, for functions new to the file.
    texts: Texts,
}

#[derive(Debug, Clone)]
struct Expected {
    signature: Signature,
    /// The workspace as its calls were written for `signature`.
    texts: Texts,
}

/// The text of every file of the graph at one time (shared, not copied).
#[derive(Debug, Default, Clone)]
struct Texts(Arc<FxHashMap<PathBuf, Arc<str>>>);

impl Texts {
    fn of(graph: &Graph) -> Texts {
        Texts(Arc::new(graph.files().map(|(_, entry)| (entry.path.clone(), entry.text().clone())).collect()))
    }

    /// The line holding `location` now and then (at the same number);
    /// `None` where `location` is not on a line of both texts.
    fn line_of<'a>(&'a self, graph: &'a Graph, location: &Location) -> Option<CallLine<'a>> {
        let entry = graph.file(location.file)?;
        let then = self.0.get(&entry.path)?;
        let text = &entry.text();
        let at = location.span.start as usize;
        if !text.is_char_boundary(at) {
            return None;
        }
        // Lines as the editor numbers them (a bare `\r` ends one too).
        let number = line_ends::line_index(text, at);
        let start = line_ends::line_start(text, number)?;
        let line = line_ends::line(text, number)?;
        line.get(at - start..)?;
        Some(CallLine { text, then, number, start, line, old_line: line_ends::line(then, number)?, at: at - start })
    }

    /// Whether the line holding `location` reads as it did then, at the
    /// same number; or, on a line edited since, whether the call there
    /// (from `location` to its closing parenthesis, on the line) reads as
    /// the call at its place among the line's calls of that function did
    /// then, with as many of them on the line and that spelling as often:
    /// a call the user left as it was beside one they fixed.
    fn unchanged(&self, graph: &Graph, location: &Location) -> bool {
        let Some(CallLine { text, then, number, start, line, old_line, at }) = self.line_of(graph, location) else { return false };
        let rest = &line[at..];
        if old_line == line {
            // A call continued on the lines below reads as it did there
            // too: the fix may have rewritten them (`rate=0.2` two lines
            // down), and then it is no old call.
            return call_on_line(rest).is_some()
                || line_ends::line_start(then, number)
                    .zip(continued_call(&text[start..], at))
                    .is_some_and(|(old_start, call)| then.get(old_start..old_start + call.len()) == Some(call));
        }
        call_on_line(rest).is_some_and(|call| old_line.matches(call).count() == line.matches(call).count() && at_its_place(old_line, line, at, call))
    }

    /// Whether the call at `location`, on a line edited since, is spelled
    /// as a call of that line was then, but not as often: the user fixed a
    /// call so that it reads as another did (`k(2, 1) + k(2, 1)` from
    /// `k(1, 2) + k(2, 1)`), and which one is old is not known.
    fn unsure(&self, graph: &Graph, location: &Location) -> bool {
        let Some(CallLine { line, old_line, at, .. }) = self.line_of(graph, location) else { return false };
        old_line != line
            && call_on_line(&line[at..]).is_some_and(|call| old_line.contains(call) && old_line.matches(call).count() != line.matches(call).count())
    }
}

/// A call's line in the text now and then.
struct CallLine<'a> {
    text: &'a str,
    then: &'a str,
    number: usize,
    /// Where the line starts in `text`.
    start: usize,
    line: &'a str,
    old_line: &'a str,
    /// Where the call starts on `line`.
    at: usize,
}

/// Whether `call`, at `at` on `line`, is spelled as the call at the same
/// place among the calls of its function on `old_line` was, with as many
/// of them on both lines: the fixed one of a swapped pair (`k(2, 1) +
/// k(1, 2)` from `k(1, 2) + k(2, 1)`) reads as the other did, not as its
/// own old self.
fn at_its_place(old_line: &str, line: &str, at: usize, call: &str) -> bool {
    let callee = &call[..call.find('(').unwrap_or(call.len())];
    let (then, now) = (calls_of(old_line, callee), calls_of(line, callee));
    then.len() == now.len()
        && now.iter().position(|&start| start == at).and_then(|place| then.get(place)).and_then(|&start| call_on_line(&old_line[start..])) == Some(call)
}

/// Where the calls of `callee` (`k`, `self.k`) start on `line`: `k(` not
/// ending a longer name (`pick(`, `x.k(`).
fn calls_of(line: &str, callee: &str) -> Vec<usize> {
    let opening = format!("{callee}(");
    line.match_indices(&opening)
        .map(|(start, _)| start)
        .filter(|&start| !line[..start].ends_with(|c: char| c.is_alphanumeric() || c == '_' || c == '.'))
        .collect()
}

/// The text of `lines` (from a line's start) up to the closing parenthesis
/// of the call whose callee starts at `at`, by the tokens: its arguments
/// may span lines, hold strings and comments. `None` when it is no call.
fn continued_call(lines: &str, at: usize) -> Option<&str> {
    let parsed = ruff_python_parser::parse_unchecked_source(lines, PySourceType::Python);
    let mut tokens = parsed.tokens().iter().skip_while(|t| t.start().to_usize() < at);
    let callee = tokens.next()?;
    if callee.start().to_usize() != at || callee.kind() != TokenKind::Name || tokens.next()?.kind() != TokenKind::Lpar {
        return None;
    }
    let mut depth = 1usize;
    for token in tokens {
        match token.kind() {
            TokenKind::Lpar | TokenKind::Lsqb | TokenKind::Lbrace => depth += 1,
            TokenKind::Rpar | TokenKind::Rsqb | TokenKind::Rbrace => {
                depth = depth.checked_sub(1)?;
                if depth == 0 {
                    return lines.get(..token.end().to_usize());
                }
            }
            _ => {}
        }
    }
    None
}

/// The call that starts `rest` (`total([1], 0)` of `total([1], 0), x`),
/// when its parentheses close on the line and it holds no string (whose
/// parentheses would not count).
fn call_on_line(rest: &str) -> Option<&str> {
    let open = rest.find('(')?;
    if rest[..open].contains(|c: char| !(c.is_alphanumeric() || c == '_' || c == '.')) {
        return None;
    }
    let mut depth = 0usize;
    for (i, c) in rest.char_indices().skip_while(|&(i, _)| i < open) {
        match c {
            '(' | '[' | '{' => depth += 1,
            ')' | ']' | '}' => {
                depth = depth.checked_sub(1)?;
                if depth == 0 {
                    return Some(&rest[..=i]);
                }
            }
            '"' | '\'' | '#' => return None,
            _ => {}
        }
    }
    None
}

/// The calls of a function still written for its old parameters.
#[derive(Debug)]
pub struct StaleCalls {
    pub name: String,
    /// The function's name at its definition.
    pub span: Span,
    /// The old parameters as written (`(items, rate)`).
    pub old: String,
    /// The parameters renamed, old name and new (what a call's keyword
    /// argument of it becomes; a keyword to another callee stays).
    pub renamed: Vec<(String, String)>,
    /// Each call rewritten for the current parameters, or why they cannot all be.
    pub update: Result<Vec<FileEdits>, String>,
    /// When the only thing missing is the arguments of new parameters
    /// without a default: the calls to ask the model about.
    pub asking: Option<Asking>,
    /// Where calls are left alone because a call fixed by hand on their
    /// line reads as an old one (`use.py:3`): the user checks them.
    pub unsure: Vec<String>,
}

impl StaleCalls {
    /// How many calls the update rewrites.
    pub fn count(&self) -> usize {
        self.update.as_ref().map_or(0, |edits| edits.iter().map(|e| e.replacements.len()).sum())
    }

    /// The rewritten calls, in file order.
    pub fn sites(&self) -> Vec<Location> {
        if let Some(asking) = &self.asking {
            return asking.sites.iter().map(|s| s.call.clone()).collect();
        }
        let edits = self.update.as_deref().unwrap_or_default();
        edits.iter().flat_map(|e| e.replacements.iter().map(|r| Location { file: e.file, span: r.span })).collect()
    }

    /// What the diagnostic says.
    pub fn message(&self) -> String {
        let message = self.update_message();
        if self.unsure.is_empty() {
            return message;
        }
        format!("{message}; left alone, as a call fixed there reads as an old one: check the calls at {}", self.unsure.join(", "))
    }

    fn update_message(&self) -> String {
        match &self.update {
            Ok(_) => {
                let n = self.count();
                let (sites, pass) = if n == 1 { ("call site", "passes") } else { ("call sites", "pass") };
                format!("{n} {sites} of `{}` {pass} the old parameters {}{}", self.name, self.old, self.renames())
            }
            Err(why) => match &self.asking {
                Some(asking) => format!(
                    "calls of `{}` pass the old parameters {}{}; no update: {why}, or let the model propose {} at each of the {} calls",
                    self.name,
                    self.old,
                    self.renames(),
                    quoted(&asking.required),
                    asking.sites.len()
                ),
                None => format!("calls of `{}` pass the old parameters {}{}; no update: {why}", self.name, self.old, self.renames()),
            },
        }
    }

    /// `; `rate=` is now `tax=``: what the fix does to keyword arguments,
    /// said where they are renamed.
    fn renames(&self) -> String {
        let renames: Vec<String> = self.renamed.iter().map(|(old, new)| format!("`{old}=` is now `{new}=`")).collect();
        if renames.is_empty() { String::new() } else { format!("; {}", renames.join(", ")) }
    }

    /// The title of the fix that asks the model for the new arguments.
    pub fn model_fix_title(&self) -> Option<String> {
        let asking = self.asking.as_ref()?;
        let n = asking.sites.len();
        Some(format!("update {n} call site{} with {} from the model", if n == 1 { "" } else { "s" }, quoted(&asking.required)))
    }

    /// The fix's title (there is one only when every call can be updated).
    pub fn fix_title(&self) -> Option<String> {
        let n = self.count();
        self.update.is_ok().then(|| format!("update {n} call site{}", if n == 1 { "" } else { "s" }))
    }

    /// Where each rewritten call is (`main.py:3`), for the related information.
    pub fn places(&self, graph: &Graph) -> Vec<(Location, String)> {
        self.sites()
            .into_iter()
            .map(|site| {
                let at = format!("call at {}", place(graph, &site));
                (site, at)
            })
            .collect()
    }
}

impl Baseline {
    /// The current parameters of every function of `file`, and the
    /// workspace as it reads now.
    pub fn of(graph: &Graph, file: FileId) -> Baseline {
        let texts = Texts::of(graph);
        let mut functions = FxHashMap::default();
        for id in single_definitions(graph, file) {
            let Some(symbol) = graph.symbol(id) else { continue };
            if let (SymbolKind::Function | SymbolKind::Method, Some(signature)) = (symbol.kind, symbol.signature) {
                functions.insert(symbol.qualified_name.to_owned(), Expected { signature: signature.clone(), texts: texts.clone() });
            }
        }
        Baseline { functions, texts }
    }

    /// The functions of `file` whose calls still pass their old parameters.
    /// The baseline moves to the current parameters of the others; a
    /// function new to the file starts at its current ones.
    pub fn stale_calls(&mut self, graph: &Graph, file: FileId) -> Vec<StaleCalls> {
        let mut stale = Vec::new();
        for id in single_definitions(graph, file) {
            let Some(symbol) = graph.symbol(id) else { continue };
            let (SymbolKind::Function | SymbolKind::Method, Some(current)) = (symbol.kind, symbol.signature) else { continue };
            let texts = &mut self.texts;
            let expected =
                self.functions.entry(symbol.qualified_name.to_owned()).or_insert_with(|| Expected { signature: current.clone(), texts: texts.clone() });
            let old = &expected.signature.parameters;
            let new = mapping(old, &current.parameters, true);
            if compatible(old, &new) {
                // The calls written then bind as they did.
                expected.signature = current.clone();
                continue;
            }
            let kept = |location: &Location| expected.texts.unchanged(graph, location);
            let definition = Location { file, span: symbol.name_range };
            let (update, asking) = if signature_change::use_sites(graph, id).iter().any(|u| *u != definition && kept(u)) {
                let update = rewrite_calls(graph, id, old, &new, &kept).map(|edits| edits.files);
                match update {
                    // A new parameter without a default: the model may
                    // propose its arguments, if nothing else stands in the way.
                    Err(_) if required(&new).next().is_some() => match call_arguments::asking(graph, id, old, &new, &kept) {
                        Ok(asking) if !asking.sites.is_empty() => (update, Some(asking)),
                        Ok(_) => (Ok(Vec::new()), None),
                        Err(why) => (Err(why), None),
                    },
                    update => (update, None),
                }
            } else {
                (Ok(Vec::new()), None)
            };
            if update.as_ref().is_ok_and(Vec::is_empty) {
                // Every call reads for the current parameters (fixed, or
                // edited by hand): they and the texts as they are now are
                // the baseline.
                *texts = Texts::of(graph);
                *expected = Expected { signature: current.clone(), texts: texts.clone() };
                continue;
            }
            let old = signature(&Signature { returns: None, ..expected.signature.clone() });
            let renamed = new
                .iter()
                .filter(|n| matches!(n.kind, ParameterKind::PositionalOrKeyword | ParameterKind::KeywordOnly))
                .filter_map(|n| Some((n.from.clone().filter(|from| *from != n.name)?, n.name.clone())))
                .collect();
            let mut unsure: Vec<String> = signature_change::use_sites(graph, id)
                .into_iter()
                .filter(|site| *site != definition && expected.texts.unsure(graph, site))
                .map(|site| place(graph, &site))
                .collect();
            unsure.dedup();
            stale.push(StaleCalls { name: symbol.name.to_owned(), span: symbol.name_range, old, renamed, update, asking, unsure });
        }
        stale
    }
}

/// `a`, `` `a` and `b` ``.
fn quoted(names: &[String]) -> String {
    let quoted: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
    match quoted.split_last() {
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
        None => String::new(),
    }
}

/// The definitions of `file` whose qualified name is defined once there.
/// `@overload` stubs and their implementation, a property's getter and
/// setter, and definitions in the branches of an `if` share one name:
/// which of them a call was written for is not known, so none is judged.
fn single_definitions(graph: &Graph, file: FileId) -> Vec<SymbolId> {
    let all = definitions(graph, file);
    let mut count: FxHashMap<&str, usize> = FxHashMap::default();
    for symbol in all.iter().filter_map(|&id| graph.symbol(id)) {
        *count.entry(symbol.qualified_name).or_default() += 1;
    }
    all.into_iter().filter(|&id| graph.symbol(id).is_some_and(|s| count.get(s.qualified_name) == Some(&1))).collect()
}

#[cfg(test)]
#[path = "stale_calls_line_tests.rs"]
mod line_tests;
#[cfg(test)]
#[path = "stale_calls_tests.rs"]
mod tests;
