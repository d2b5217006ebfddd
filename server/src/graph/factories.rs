//! Wrapper factories: `def trim(func): def wrapper(*a): return
//! func(*a); return wrapper` calls what it was passed only when the
//! wrapper it returns is called. So a callback passed to a call whose
//! result is dropped (`trim(handler)` as a statement) is not called from
//! the wrapper; one whose result is kept (`g = trim(handler)`, `actions +=
//! [trim(fn) for fn in fns]`) may be, later, from wherever the result
//! went, which the graph does not follow. And a factory's call passed
//! (`set_action(convert_to_date())`) passes the closure it returns.

use super::callbacks::MAX_SITES;
use super::{EdgeKind, Graph, Location, Span, SymbolId};

impl Graph {
    /// Whether `runs_in`, where a call of `function`'s parameter is
    /// written, is a closure `function` returns by name without calling
    /// it: the call runs only if the caller calls what it got back.
    pub(super) fn runs_when_returned(&self, function: SymbolId, runs_in: SymbolId) -> bool {
        runs_in != function
            && self.returned_wrappers(function).contains(&runs_in)
            && !self.out_edges(function, EdgeKind::Calls).any(|(_, callee)| callee == runs_in)
    }

    /// The calls (site and the function they are written in) of the
    /// factory that returns `closure`: each makes `closure`.
    pub(super) fn factory_calls(&self, closure: SymbolId) -> Vec<(Span, SymbolId)> {
        let Some(factory) = self.container(closure).filter(|&f| self.returned_wrappers(f).contains(&closure)) else { return Vec::new() };
        self.in_edges(factory, EdgeKind::Calls).take(MAX_SITES).collect()
    }

    /// The calls in `holder` of factories passed as arguments, each with a
    /// closure it makes (`convert_to_date()` makes `cvt_fn`).
    pub(super) fn closures_made(&self, holder: SymbolId) -> Vec<(Span, SymbolId)> {
        let Some(entry) = self.node(holder).and_then(|n| self.file(n.file?)) else { return Vec::new() };
        let passed = |site: Span| entry.summary.argument_at(site).is_some_and(|a| a.called(entry.text()));
        let calls: Vec<(Span, SymbolId)> = self.out_edges(holder, EdgeKind::Calls).filter(|&(site, callee)| self.is_function(callee) && passed(site)).collect();
        calls.into_iter().flat_map(|(site, factory)| self.returned_wrappers(factory).into_iter().map(move |closure| (site, closure))).collect()
    }

    /// Whether the call whose callee's last name is at `call` is a whole
    /// statement (`trim(handler)` alone on its lines): what it returns is
    /// dropped. Read from the text; whatever it cannot tell is kept.
    pub(super) fn result_dropped(&self, call: &Location) -> bool {
        self.file(call.file).is_some_and(|entry| statement_call(entry.text(), call.span.start as usize, call.span.end as usize))
    }
}

/// Whether the call of the dotted name ending at `end` (its last name
/// starts at `start`) is the whole statement: only indentation before the
/// name's chain on its line, and the line ends after the call's `)`.
fn statement_call(text: &str, start: usize, end: usize) -> bool {
    let Some(before) = text.get(..start) else { return false };
    let line = &before[before.rfind('\n').map_or(0, |i| i + 1)..];
    if !line.trim_start().chars().all(|c| c.is_alphanumeric() || c == '_' || c == '.') {
        return false;
    }
    let Some(rest) = text.get(end..) else { return false };
    let rest = rest.trim_start_matches([' ', '\t']);
    if !rest.starts_with('(') {
        return false;
    }
    closing_paren(rest).is_some_and(|close| {
        let after = rest[close + 1..].trim_start_matches([' ', '\t']);
        after.is_empty() || after.starts_with(['\n', '\r', '#', ';'])
    })
}

/// The offset of the `)` that closes the `(` `text` starts with, stepping
/// over strings; `None` when it cannot be found.
fn closing_paren(text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut depth = 0usize;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'(' | b'[' | b'{' => depth += 1,
            b')' | b']' | b'}' => {
                depth = depth.checked_sub(1)?;
                if depth == 0 {
                    return (bytes[i] == b')').then_some(i);
                }
            }
            b'#' => i += text[i..].find('\n')?,
            quote @ (b'\'' | b'"') => {
                let triple = text[i..].starts_with(if quote == b'"' { "\"\"\"" } else { "'''" });
                let delimiter = &text[i..i + if triple { 3 } else { 1 }];
                let mut j = i + delimiter.len();
                loop {
                    match *bytes.get(j)? {
                        b'\\' => j += 2,
                        b'\n' if !triple => return None,
                        _ if bytes[j..].starts_with(delimiter.as_bytes()) => break,
                        _ => j += 1,
                    }
                }
                i = j + delimiter.len() - 1;
            }
            _ => {}
        }
        i += 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use expect_test::{Expect, expect};

    use super::statement_call;
    use crate::graph::tests::calls_both_ways;

    /// `wrap` returns the closure that calls what it was passed; `eager`
    /// calls its closure itself too.
    const FACTORIES: &str = r#"
//- /main.py
def wrap(f):
    def inner():
        return f()
    return inner
def eager(f):
    def inner():
        return f()
    inner()
    return inner
def kept_target():
    return 1
def dropped_target():
    return 2
def eager_target():
    return 3
def keeps():
    g = wrap(kept_target)
    return g()
def drops():
    wrap(dropped_target)
    eager(eager_target)
"#;

    /// What the definition after `cursor_before` in `fixture` calls, and
    /// who calls it.
    fn check_at(fixture: &str, cursor_before: &str, outgoing: Expect, incoming: Expect) {
        let (calls, callers) = calls_both_ways(&fixture.replacen(cursor_before, &format!("{cursor_before}$0"), 1), false);
        outgoing.assert_eq(&calls);
        incoming.assert_eq(&callers);
    }

    fn check(cursor_before: &str, outgoing: Expect, incoming: Expect) {
        check_at(FACTORIES, cursor_before, outgoing, incoming);
    }

    #[test]
    fn a_callback_runs_from_a_returned_closure_only_where_the_closure_is_kept() {
        check(
            "def kept_t",
            expect![""],
            expect![[r#"
            main.wrap.inner at main.py:3:16 (via callback)
        "#]],
        );
        check("def dropped_t", expect![""], expect![""]);
        check(
            "    def in",
            expect![[r#"
            main.kept_target at main.py:3:16 (via callback)
        "#]],
            expect![[r#"
            main.keeps at main.py:18:12
        "#]],
        );
    }

    /// A closure the factory calls itself runs what it was passed whatever
    /// the caller does with the result.
    #[test]
    fn a_callback_runs_from_a_closure_the_factory_calls_whatever_the_caller_keeps() {
        check(
            "def eager_t",
            expect![""],
            expect![[r#"
            main.eager.inner at main.py:7:16 (via callback)
        "#]],
        );
    }

    fn dropped(text: &str) -> bool {
        let start = text.find("wrap").unwrap();
        statement_call(text, start, start + 4)
    }

    /// A factory's call passed passes the closure it returns (by name,
    /// read from the text when the factory's return is annotated): called
    /// where the receiving parameter is, or by the higher-order builtin.
    /// Not one passed to a function that only keeps it, nor a closure
    /// the factory does not return.
    const MADE: &str = r#"
//- /made.py
def make_handler(fmt):
    def cvt(s):
        return fmt
    return cvt
def make_unused(fmt):
    def other(s):
        return fmt
    return other
def make_typed(fmt) -> "Handler":
    def typed(s):
        return fmt
    def not_returned(s):
        return typed
    return typed
def apply(fn, x):
    return fn(x)
def store(fn):
    return [fn]
def uses():
    apply(make_handler("%Y"), 1)
    store(make_unused("x"))
    apply(make_typed(0), 2)
    return sorted([], key=make_handler("k"))
"#;

    #[test]
    fn a_factory_s_call_passed_passes_the_closure_it_returns() {
        let check = |cursor_before, outgoing, incoming| check_at(MADE, cursor_before, outgoing, incoming);
        check(
            "def cv",
            expect![""],
            expect![[r#"
                made.uses at made.py:23:27 (via callback)
                made.apply at made.py:16:12 (via callback)
            "#]],
        );
        check("def oth", expect![""], expect![""]);
        check(
            "def ty",
            expect![""],
            expect![[r#"
            made.apply at made.py:16:12 (via callback)
        "#]],
        );
        check("def not_r", expect![""], expect![""]);
        check(
            "def us",
            expect![[r#"
                made.apply at made.py:20:5, made.py:22:5
                made.make_handler at made.py:20:11, made.py:23:27
                made.store at made.py:21:5
                made.make_unused at made.py:21:11
                made.make_typed at made.py:22:11
                builtins.sorted at made.py:23:12
                made.make_handler.cvt at made.py:23:27 (via callback)
            "#]],
            expect![""],
        );
        check(
            "def app",
            expect![[r#"
                made.make_handler.cvt at made.py:16:12 (via callback)
                made.make_typed.typed at made.py:16:12 (via callback)
            "#]],
            expect![[r#"
                made.uses at made.py:20:5, made.py:22:5
            "#]],
        );
    }

    #[test]
    fn a_call_alone_on_its_lines_drops_its_result() {
        assert!(dropped("def f():\n    wrap(g)\n"));
        assert!(dropped("    self.reg.wrap(g, \"a)\", ')', '''\n)''')  # note\nx = 1"));
        assert!(dropped("wrap(\n    g,\n    [h(1), {2: (3)}],\n); y()"));
    }

    #[test]
    fn a_call_whose_result_is_used_or_unclear_keeps_it() {
        for text in [
            "g = wrap(f)",
            "return wrap(f)",
            "xs += [wrap(fn) for fn in fns]",
            "wrap(f)()",
            "wrap(f).fire()",
            "wrap(f) + 1",
            "make().wrap(f)",
            "wrap(f, \"unclosed",
            "wrap(f",
        ] {
            assert!(!dropped(text), "{text}");
        }
    }
}
