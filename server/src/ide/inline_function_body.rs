//! Inline function into statement position: a call that is the whole
//! value of a statement (`f(a)`, `x = f(a)`, `return f(a)`) of a function,
//! of a function whose body runs statements before one `return` at its end
//! (or returns nothing): the body's statements go before the call's
//! statement, the returned expression in place of the call.
//!
//! Python's order is kept: the arguments ran once each, in order, before
//! the body. Inlined, a literal argument, or a variable of the calling
//! function that nothing else may rebind (no `global` or `nonlocal` of it
//! anywhere), is put where the body reads its parameter; any other
//! argument, and one whose parameter the body binds again, is assigned to
//! the parameter first, in the call's order. Refused where that cannot
//! hold: a `return` before the end (an early return), `yield` or `await`,
//! a function, class, lambda or generator in the body (a closure over the
//! parameters), `global`/`nonlocal`, code that sees variables by name
//! (`locals()`, `eval`, ...) in the body or in the calling function, a
//! name the body binds that the calling function also uses (a clash), a
//! call at module level or in a class body (the variables would become
//! globals or attributes), a call in a loop where the body may read a
//! variable of its own before binding it (a later turn would see the
//! previous turn's value), a string spanning lines that re-indenting would
//! change.

use ruff_python_ast::visitor::source_order::{SourceOrderVisitor, TraversalSignal};
use ruff_python_ast::{AnyNodeRef, Expr, ExprCall, Stmt, StmtFunctionDef};
use ruff_text_size::{Ranged, TextRange, TextSize};

use ruff_python_ast::visitor::Visitor;

use super::edits::{Replacement, expression_expressions, module_expressions, parenthesized};
use super::indented::{MultiLineStrings, indentation, line_end, line_start};
use super::inline_function::{Argument, home_is};
use super::name_events::{EventKind, NameEvents, ScopeKind, blocks};
use super::surely_bound::surely_binds;
use crate::graph::Span;

/// What sees a function's variables by name: inlined, it would see the
/// caller's, or the caller would see the body's.
const BY_NAME: [&str; 6] = ["locals", "vars", "dir", "eval", "exec", "globals"];

/// The function to inline: its `def`, the text and names of its file.
pub(super) struct Callee<'a> {
    pub def: &'a StmtFunctionDef,
    pub text: &'a str,
    /// Its file, as messages name it.
    pub shown: &'a str,
    pub events: &'a NameEvents,
    pub name: &'a str,
}

/// The call to inline: its file's text, parse and names.
pub(super) struct Site<'a> {
    pub text: &'a str,
    pub module: &'a [Stmt],
    pub events: &'a NameEvents,
    pub call: &'a ExprCall,
}

/// The replacements of the call's file that inline `callee`'s body at the
/// call of `site`, its parameters bound to `arguments` (in the call's
/// order); the range of the calling function (two calls inlined into one
/// function would share their variables).
pub(super) fn inline_statements(callee: &Callee, site: &Site, arguments: &[(String, Argument)]) -> Result<(Vec<Replacement>, TextRange), String> {
    let name = callee.name;
    let docstring = |s: &Stmt| s.as_expr_stmt().is_some_and(|e| e.value.is_string_literal_expr());
    let body: Vec<&Stmt> = callee.def.body.iter().enumerate().filter(|(i, s)| !(*i == 0 && docstring(s))).map(|(_, s)| s).collect();
    let (statements, value) = match body.split_last() {
        Some((Stmt::Return(r), rest)) => (rest.to_vec(), r.value.as_deref()),
        _ => (body.clone(), None),
    };
    let (Some(first), Some(last)) = (statements.first(), statements.last()) else {
        return Err(format!("`{name}` returns nothing"));
    };
    let mut unsafe_code = Unsafe::default();
    statements.iter().for_each(|s| unsafe_code.visit_stmt(s));
    value.into_iter().for_each(|v| unsafe_code.visit_expr(v));
    if let Some(why) = unsafe_code.found {
        return Err(format!("`{name}` {why}"));
    }
    let line = |at: TextSize| format!("{}:{}", callee.shown, crate::line_ends::line_number(callee.text, at.to_usize()));
    let body_range = TextRange::new(first.start(), value.map_or(last.end(), Ranged::end));
    let in_body = |r: TextRange| body_range.contains_range(r);
    if let Some(e) = callee.events.events.iter().find(|e| in_body(e.range) && e.kind == EventKind::Read && BY_NAME.contains(&e.name.as_str())) {
        return Err(format!("`{name}` calls `{}()` at {}, which would see the calling function's variables", e.name, line(e.range.start())));
    }
    if callee.events.events.iter().any(|e| in_body(e.range) && e.kind == EventKind::Read && e.name == name) {
        return Err(format!("`{name}` calls itself: inlining it would not end"));
    }

    // The call's statement, and the function it is in.
    let (statement, caller) = statement_of(site.module, site.call.range(), None).ok_or_else(not_a_statement(name))?;
    let caller = caller.ok_or("the call is at module level or in a class body: the function's variables would become its globals or attributes")?;
    let whole = match statement {
        Stmt::Expr(s) => s.value.range() == site.call.range(),
        Stmt::Assign(s) => s.value.range() == site.call.range(),
        Stmt::AnnAssign(s) => s.value.as_ref().is_some_and(|v| v.range() == site.call.range()),
        Stmt::Return(s) => s.value.as_ref().is_some_and(|v| v.range() == site.call.range()),
        _ => false,
    };
    if !whole {
        return Err(not_a_statement(name)());
    }
    let indent = indentation(site.text, statement.start()).ok_or("the call's statement shares its line with another statement")?;
    let ends_line = line_end(site.text, statement.end().to_usize());
    if !site.text[statement.end().to_usize()..ends_line].trim_start().is_empty()
        && !site.text[statement.end().to_usize()..ends_line].trim_start().starts_with('#')
    {
        return Err("the call's statement shares its line with another statement".to_owned());
    }
    let in_caller = |r: TextRange| caller.range.contains_range(r);
    if let Some(e) = site.events.events.iter().find(|e| in_caller(e.range) && e.kind == EventKind::Read && BY_NAME.contains(&e.name.as_str())) {
        return Err(format!("the calling function calls `{}()`, which would see the inlined variables", e.name));
    }
    let used = |n: &str| site.events.named(n).any(|e| in_caller(e.range));

    // The names the body binds become the caller's: none may be one it uses.
    let mut bound: Vec<&str> = callee.events.events.iter().filter(|e| in_body(e.range) && e.kind != EventKind::Read).map(|e| e.name.as_str()).collect();
    bound.dedup();
    if let Some(clash) = bound.iter().find(|n| used(n)) {
        return Err(format!("`{clash}`, a variable of `{name}`, is also a name of `{}`: inlined, the two would be one", caller.name));
    }

    // Each parameter: its argument in place of its reads, or assigned first.
    let body_scope =
        callee.events.scopes.iter().position(|s| s.kind == ScopeKind::Function && s.range == callee.def.range).ok_or("the function's scope is not found")?;
    // In a loop, a variable the body may read before binding it would
    // read the previous turn's value where the function raised.
    let in_loop = site.events.loops.iter().any(|l| caller.range.contains_range(*l) && l.contains_range(statement.range()));
    let parameter = |n: &str| arguments.iter().any(|(p, _)| p == n);
    for n in bound.iter().filter(|n| in_loop && !parameter(n)) {
        let Some(first) = callee.events.named(n).find(|e| in_body(e.range) && e.scope == body_scope) else { continue };
        let holder = statements.iter().find(|s| s.range().contains_range(first.range));
        let read_there = |s: &&Stmt| callee.events.named(n).any(|e| e.kind != EventKind::Bind && s.range().contains_range(e.range));
        if !holder.is_some_and(|s| surely_binds(s, n) && !read_there(s)) {
            return Err(format!(
                "the call is in a loop and `{n}`, a variable of `{name}`, is not surely bound before the body reads it: inlined, a later turn would read the previous turn's value"
            ));
        }
    }
    let scope_of = |at: TextRange| callee.events.events.iter().find(|e| e.range == at).map(|e| e.scope);
    let caller_scope = site.events.scopes.iter().position(|s| s.kind == ScopeKind::Function && s.range == caller.range);
    // A variable of the calling function that no other code may rebind while the body runs.
    let steady = |n: &str| {
        let local = site.events.named(n).any(|e| Some(e.scope) == caller_scope && e.kind != EventKind::Read);
        local && !site.events.named(n).any(|e| e.kind == EventKind::Declare)
    };
    let newline = if site.text.contains("\r\n") { "\r\n" } else { "\n" };
    let mut assigned = String::new();
    let mut inserts: Vec<(TextRange, String)> = Vec::new();
    for (parameter, argument) in arguments {
        let local = matches!(argument.expr, Some(Expr::Name(n)) if steady(&n.id));
        if (argument.literal || local) && !bound.contains(&parameter.as_str()) {
            let reads = callee.events.named(parameter).filter(|e| {
                e.kind == EventKind::Read && in_body(e.range) && scope_of(e.range).is_some_and(|s| home_is(callee.events, parameter, s, body_scope))
            });
            inserts.extend(reads.map(|e| (e.range, argument.code.clone())));
            continue;
        }
        if used(parameter) {
            return Err(format!("the parameter `{parameter}` of `{name}` would be assigned in `{}`, which already uses the name", caller.name));
        }
        if argument.code.contains('\n') {
            return Err(format!("the argument for `{parameter}` spans lines; put it on one first"));
        }
        assigned.push_str(&format!("{indent}{parameter} = {}{newline}", argument.code));
    }
    inserts.sort_by_key(|(r, _)| r.start());

    // The statements, re-indented to the call's, and the returned value.
    let from = line_start(callee.text, first.start().to_usize());
    let old = indentation(callee.text, first.start()).ok_or("the function's first statement shares its line")?;
    let lines = substituted(callee.text, TextRange::new(TextSize::from(from as u32), last.end()), &inserts, true)?;
    let mut strings = MultiLineStrings { text: callee.text, found: false };
    statements.iter().for_each(|s| strings.visit_stmt(s));
    if old != indent && strings.found {
        return Err(format!("a string in `{name}` spans lines: indented for the call, its text would change"));
    }
    let moved: Option<Vec<String>> = lines
        .split('\n')
        .map(|l| match l.strip_prefix(old) {
            Some(rest) => Some(format!("{indent}{}", rest.trim_end_matches('\r'))),
            None if l.trim().is_empty() => Some(String::new()),
            None => None,
        })
        .collect();
    let moved = moved.ok_or_else(|| format!("a line of `{name}` is indented less than its first statement"))?.join(newline);
    let prefix = format!("{assigned}{moved}{newline}");
    let start = line_start(site.text, statement.start().to_usize()) as u32;
    let returned = value.map(|v| substituted(callee.text, v.range(), &inserts, false)).transpose()?;
    let keep_value = |v: &Expr| !matches!(v, Expr::Name(_) | Expr::NoneLiteral(_) | Expr::NumberLiteral(_) | Expr::StringLiteral(_) | Expr::BooleanLiteral(_));
    let replacements = match (statement, returned) {
        // The value of a statement of its own: kept only where it may run code.
        (Stmt::Expr(_), returned) if value.is_none_or(|v| !keep_value(v)) || returned.is_none() => {
            let end = site.text[ends_line..].find('\n').map_or(site.text.len(), |i| ends_line + i + 1);
            vec![Replacement { span: Span::new(start, end as u32), text: prefix }]
        }
        (_, returned) => {
            let replacements = [
                Replacement { span: Span::new(start, start), text: prefix },
                Replacement { span: Span::from(site.call.range()), text: returned.unwrap_or_else(|| "None".to_owned()) },
            ];
            parenthesized(site.text, &replacements, &[1], module_expressions)
                .ok_or_else(|| format!("the value `{name}` returns would not read as one expression at the call"))?
        }
    };
    Ok((replacements, caller.range))
}

fn not_a_statement(name: &str) -> impl Fn() -> String + '_ {
    move || {
        format!(
            "the body of `{name}` runs statements before its `return`, and the call is not a statement of its own (`{name}(...)`, `x = {name}(...)`, `return {name}(...)`) for them to go before"
        )
    }
}

/// The text of `range` of `text` with `inserts` (ranges in it) in place,
/// each parenthesised where it needs to be; `statements` when the range is
/// whole indented lines.
fn substituted(text: &str, range: TextRange, inserts: &[(TextRange, String)], statements: bool) -> Result<String, String> {
    // Indented lines parse as the body of an `if`.
    let head = if statements { "if 1:\n" } else { "" };
    let code = format!("{head}{}", &text[range]);
    let shift = |at: TextSize| (at - range.start()).to_u32() + head.len() as u32;
    let replacements: Vec<Replacement> = inserts
        .iter()
        .filter(|(r, _)| range.contains_range(*r))
        .map(|(r, new)| Replacement { span: Span::new(shift(r.start()), shift(r.end())), text: new.clone() })
        .collect();
    let all: Vec<usize> = (0..replacements.len()).collect();
    let ranges = if statements { module_expressions } else { expression_expressions };
    let wrapped = parenthesized(&code, &replacements, &all, ranges).ok_or("an argument would not read as one expression in the body; refused")?;
    Ok(super::edits::apply(&code, &wrapped)[head.len()..].to_owned())
}

/// The statement of `suite` whose range holds `range` innermost, and the
/// function it is in (`None` at module level or in a class body).
fn statement_of<'a>(suite: &'a [Stmt], range: TextRange, caller: Option<&'a StmtFunctionDef>) -> Option<(&'a Stmt, Option<&'a StmtFunctionDef>)> {
    let statement = suite.iter().find(|s| s.range().contains_range(range))?;
    let caller = match statement {
        Stmt::FunctionDef(def) => Some(def),
        Stmt::ClassDef(_) => None,
        _ => caller,
    };
    blocks(statement).into_iter().find_map(|b| statement_of(b, range, caller)).or(Some((statement, caller)).filter(|_| !statement.is_function_def_stmt()))
}

/// What the body must not hold to be inlined, and why.
#[derive(Default)]
struct Unsafe {
    found: Option<String>,
}

impl<'a> SourceOrderVisitor<'a> for Unsafe {
    fn enter_node(&mut self, node: AnyNodeRef<'a>) -> TraversalSignal {
        let why = match node {
            AnyNodeRef::StmtReturn(_) => Some("returns before the end of its body: the statements after the call would run"),
            AnyNodeRef::ExprYield(_) | AnyNodeRef::ExprYieldFrom(_) => Some("yields: a call makes a generator"),
            AnyNodeRef::ExprAwait(_) => Some("awaits"),
            AnyNodeRef::StmtFunctionDef(_) | AnyNodeRef::StmtClassDef(_) | AnyNodeRef::ExprLambda(_) | AnyNodeRef::ExprGenerator(_) => {
                Some("defines a function, class, lambda or generator, which would close over the calling function's variables")
            }
            AnyNodeRef::StmtGlobal(_) | AnyNodeRef::StmtNonlocal(_) => {
                Some("declares a name global or nonlocal: inlined, the declaration would be the caller's")
            }
            _ => None,
        };
        if let Some(why) = why {
            self.found.get_or_insert_with(|| why.to_owned());
            return TraversalSignal::Skip;
        }
        TraversalSignal::Traverse
    }
}
