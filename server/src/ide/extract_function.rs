//! Extract function: a selection of whole statements (or one expression)
//! becomes a new function, and the selection a call of it.
//!
//! The parameters are the names the selection reads from before it (its
//! function's locals and the variables of the functions around it, in
//! first-read order; at module level globals stay globals), the return
//! values the names it binds that the code after it reads elsewhere in its
//! function (one is `x = f(...)`, several a tuple; annotated as the
//! selection annotated them, [`super::extract_function_annotations`]).
//! The new function is a private module function (`_extracted`, which
//! `from m import *` does not take), also for a method's code, which it is
//! given `self` for: a new
//! method would be seen by whatever looks at the class (a runtime
//! `Protocol`'s `isinstance`, `__getattribute__`, a subclass elsewhere that
//! defines the same private name, a method borrowed by another class). It
//! goes after the outermost `def` around the selection, or before it where
//! something may call it first (a decorator, a class body), or, at module
//! level, before the statement it is in (the call runs when the module is
//! imported). `async` when the selection awaits.
//!
//! Never a wrong edit: refused with the reason wherever the selection
//! would mean something else in a function of its own
//! ([`super::extract_function_flow`], [`super::extract_function_escapes`]):
//! a `return`, `yield`, `break` or `continue` leaving it,
//! `global`/`nonlocal`, a value passed in or out that may be unbound, a
//! variable shared with a closure it may call, a binding a `try` around it
//! would see after an exception, code that looks at the stack or at the
//! function's variables by name (`locals()`, `eval`), a `def` or `class`
//! (its `__qualname__` would change), a class body (its names are
//! attributes), an annotated module variable, a module-level selection that
//! binds names and runs other code meanwhile (which would not see them), an
//! expression of a `def` or `class` header, a re-indented string spanning
//! lines, a name the file already uses.

use std::ops::Range;

use ruff_python_ast::visitor::{self, Visitor};
use ruff_python_ast::{AnyNodeRef, Expr, ExprContext, Pattern, PySourceType, Stmt, StmtFunctionDef};
use ruff_text_size::{Ranged, TextRange, TextSize};

use super::edits::{Replacement, module_expressions, parenthesized};
use super::extract_function_escapes::{Aliases, Escapes, looks_at_frames, reads_variables_by_name};
use super::extract_function_flow::{Site, classless, declared_global};
use super::extract_variable::{Extraction, chain_to, grouped, trimmed, unbindable, unparenthesized};
use super::indented::{MultiLineStrings, indentation, line_end, line_start};
use super::name_events::{EventKind, NameEvents, ScopeKind, blocks};
use super::new_names::{refused_name, used};
use super::surely_bound::{may_swallow, surely_binds, target_names, unbinds};

use crate::graph::{Span, mangled};

/// The refusal of a selection that is neither whole statements nor one
/// whole expression (nothing to offer, rather than something refused).
pub const NOT_A_SELECTION: &str = "the selection is not whole statements or one whole expression";

/// The indentation a new block gets where the file shows none.
const INDENT: &str = "    ";

/// Extracts the statements or the expression `selection` (byte offsets;
/// surrounding spaces and comments allowed) of `text` into a function
/// named `name`, or `_extracted` (numbered until the file does not use it).
pub fn extract_function(text: &str, source: PySourceType, selection: Range<usize>, name: Option<&str>) -> Result<Extraction, String> {
    let selection = trimmed(text, selection).ok_or(NOT_A_SELECTION)?;
    if comments_only(&text[selection]) {
        return Err(NOT_A_SELECTION.to_owned());
    }
    let parsed = super::ipython_escapes::parse(text, source.is_ipynb()).map_err(|()| "the file has syntax errors; fix them first".to_owned())?;
    let body = &parsed.syntax().body;
    let mut path = Vec::new();
    let found = locate(body, selection, text, &mut path, Vec::new()).ok_or(NOT_A_SELECTION)?;
    let innermost = path.last().ok_or(NOT_A_SELECTION)?;
    let (run, expression) = match found {
        Found::Partial => return Err(NOT_A_SELECTION.to_owned()),
        Found::Run(_) if innermost.index == 0 && matches!(innermost.statement(), Stmt::Expr(e) if e.value.is_string_literal_expr()) && documented(&path) => {
            return Err("it starts with a docstring, which would no longer document its function, class or module".to_owned());
        }
        Found::Run(last) => (Some(&innermost.suite[innermost.index..=last]), None),
        Found::Inside => (None, Some(expression_at(text, innermost.statement(), selection)?)),
    };
    let region = match (run, expression) {
        (Some(run), _) => TextRange::new(run[0].start(), run[run.len() - 1].end()),
        (None, Some(expr)) => expr.range(),
        (None, None) => return Err(NOT_A_SELECTION.to_owned()),
    };
    let owners = &path[..path.len() - 1];
    let owner = owners.iter().rposition(|l| matches!(l.statement(), Stmt::FunctionDef(_) | Stmt::ClassDef(_)));
    let events = NameEvents::of(body, TextRange::up_to(TextSize::of(text)));
    let def = match owner.map(|k| owners[k].statement()) {
        // A lambda's or a comprehension's names are not the class's: as at module level.
        Some(Stmt::ClassDef(class))
            if expression.is_some() && !owners.iter().any(|l| l.statement().is_function_def_stmt()) && classless(&events, class, region) =>
        {
            None
        }
        Some(Stmt::ClassDef(_)) => return Err("it is in a class body: its names are the class's attributes, not a function's variables".to_owned()),
        Some(Stmt::FunctionDef(def)) => Some(def),
        _ => None,
    };
    let scope = match def {
        Some(def) => events.scopes.iter().position(|s| s.kind == ScopeKind::Function && s.range == def.range).ok_or(NOT_A_SELECTION)?,
        None => 0,
    };
    let internal = |s: usize| s != 0 && region.contains_range(events.scopes[s].range);
    if let Some(e) = events.events.iter().find(|e| expression.is_some() && region.contains_range(e.range) && e.kind == EventKind::Bind && !internal(e.scope)) {
        return Err(format!("it binds `{}` with `:=`: in a function of its own it would be a local", e.name));
    }
    let in_class = owners.iter().any(|l| matches!(l.statement(), Stmt::ClassDef(_)));
    let mut escapes = Escapes::new(!in_class, def.is_none(), Aliases::of(body));
    match (run, expression) {
        (Some(run), _) => escapes.visit_body(run),
        (_, Some(expr)) => escapes.visit_expr(expr),
        _ => {}
    }
    if let Some(why) = escapes.found {
        return Err(why);
    }
    if let Some(call) = def.and_then(|d| reads_variables_by_name(&d.body, &escapes.aliases)) {
        return Err(format!("its function calls `{call}()`, which sees the function's variables by name: those moved to the new function would be missing"));
    }
    if let Some(def) = def.filter(|d| calls_itself(d, body, run, expression)) {
        return Err(format!(
            "it calls `{}`, the function it is in: each level of the recursion would take two frames, and deep recursion would reach Python's limit sooner",
            def.name
        ));
    }
    if escapes.awaits && !def.is_some_and(|d| d.is_async) {
        return Err("it awaits outside an `async def`".to_owned());
    }
    // The levels from the scope's own block down: what surely ran before the selection.
    let own = owner.map_or(0, |k| k + 1);
    let around = &path[own..path.len() - 1];
    let bound_before = |name: &str| {
        let mut bound = false;
        for level in &path[own..] {
            bound |= level.entry.iter().any(|n| n == name);
            for statement in &level.suite[..level.index] {
                if surely_binds(statement, name) {
                    bound = true;
                } else if unbinds(statement, name) {
                    bound = false;
                }
            }
        }
        // A loop around may have unbound it on its previous turn.
        bound && !around.iter().any(|l| matches!(l.statement(), Stmt::For(_) | Stmt::While(_)) && unbinds(l.statement(), name))
    };
    let guarded = around.iter().any(|l| match l.statement() {
        Stmt::Try(_) => true,
        Stmt::With(with) => may_swallow(with),
        _ => false,
    });
    let globals = def.map(|d| declared_global(&d.body)).unwrap_or_default();
    let site = Site {
        events: &events,
        region,
        scope,
        run,
        bound_before: &bound_before,
        guarded,
        globals: &globals,
        header: def.map_or_else(TextRange::default, |d| d.parameters.range),
        next: run.and_then(|run| innermost.suite.get(innermost.index + run.len())),
    };
    let mut flow = site.flow()?;
    if def.is_none() && !flow.returns.is_empty() && !run.is_some_and(inert) {
        return Err(format!(
            "at module level it binds `{}` and runs other code meanwhile (a call, an attribute, an operator, ...), which would not see the module's `{0}` until the new function returns",
            flow.returns[0]
        ));
    }
    if let Some(look) = run.is_some_and(|r| !inert(r)).then(|| looks_at_frames(body, &escapes.aliases)).flatten() {
        return Err(format!(
            "the module looks at the call stack (`{look}`), which code the selection runs may reach: the new function would be one more frame"
        ));
    }
    // A method's `self` (or `cls`) first, as it was.
    let method = owner.filter(|&k| k > 0).is_some_and(|k| owners[k - 1].statement().is_class_def_stmt());
    let first = def.filter(|_| method).and_then(first_parameter);
    if let Some(at) = first.and_then(|p| flow.params.iter().position(|n| n == p)) {
        let receiver = flow.params.remove(at);
        flow.params.insert(0, receiver);
    }
    // The new function is a global of the module, public names exported.
    if let Some(why) = name.and_then(|name| refused_name(body, text, name, true)) {
        return Err(why);
    }
    let name = match name {
        Some(name) if in_class && mangled(name) => {
            return Err(format!("inside a class Python renames the call of `{name}` to one private to the class; name it `_{}`", name.trim_matches('_')));
        }
        Some(name) => name.to_owned(),
        None => std::iter::once("_extracted".to_owned()).chain((2..).map(|i| format!("_extracted_{i}"))).find(|n| !used(text, n)).unwrap_or_default(),
    };
    let newline = if text.contains("\r\n") { "\r\n" } else { "\n" };
    // Where the new function goes, and its indentation.
    let (anchor, after) = match (owner, def) {
        (Some(_), Some(_)) => {
            let outer = owners.iter().position(|l| matches!(l.statement(), Stmt::FunctionDef(_) | Stmt::ClassDef(_))).unwrap_or(0);
            // A decorator, or a class body (or its metaclass), may call it
            // before the statement after it runs: then the new function goes first.
            let outer = owners[outer].statement();
            (outer.range(), matches!(outer, Stmt::FunctionDef(d) if d.decorator_list.is_empty()))
        }
        _ => (path[0].statement().range(), false),
    };
    let indent = indentation(text, anchor.start()).ok_or("the definition around it shares its line with other code")?;
    // One level of the file's indentation: the function's body's, past its `def`.
    let unit = def
        .and_then(|d| Some((indentation(text, d.start())?, indentation(text, d.body.first()?.start())?)))
        .and_then(|(d, b)| b.strip_prefix(d))
        .filter(|u| !u.is_empty());
    let inner = format!("{indent}{}", unit.unwrap_or(INDENT));
    let code = match (run, expression) {
        (Some(run), _) => moved_lines(text, selection, run, &inner)?,
        (None, Some(expr)) => {
            let code = &text[expr.range()];
            let bare_generator = matches!(expr, Expr::Generator(g) if !g.parenthesized);
            if code.contains('\n') || bare_generator { format!("{inner}return ({code})") } else { format!("{inner}return {code}") }
        }
        _ => return Err(NOT_A_SELECTION.to_owned()),
    };
    let params = flow.params.join(", ");
    let mut function = format!("{indent}{}def {name}({params}):{newline}{code}", if escapes.awaits { "async " } else { "" });
    if run.is_some() && !flow.returns.is_empty() {
        function.push_str(&format!("{newline}{inner}return {}", flow.returns.join(", ")));
    }
    let call = format!("{}{name}({params})", if escapes.awaits { "await " } else { "" });
    let insertion = if after {
        let at = line_end(text, anchor.end().to_usize());
        Replacement { span: Span::new(at as u32, at as u32), text: format!("{}{function}", newline.repeat(3)) }
    } else {
        let above = above_comments(text, line_start(text, anchor.start().to_usize())).max(header_end(text));
        let at = above.min(line_start(text, region.start().to_usize()));
        let blank_before = text[..at].rsplit('\n').skip(1).take_while(|l| l.trim().is_empty()).count();
        let lead = if at == 0 { String::new() } else { newline.repeat(2usize.saturating_sub(blank_before)) };
        Replacement { span: Span::new(at as u32, at as u32), text: format!("{lead}{function}{}", newline.repeat(3)) }
    };
    let replacements = match run {
        Some(run) => {
            let start = line_start(text, selection.start().min(run[0].start()).to_usize());
            let end = line_end(text, selection.end().max(region.end()).to_usize());
            let old = indentation(text, run[0].start()).unwrap_or_default();
            let lines = super::extract_function_annotations::call_lines(text, run, &flow.returns, &call, old, newline);
            let replaced = Replacement { span: Span::new(start as u32, end as u32), text: lines };
            if after { vec![replaced, insertion] } else { vec![insertion, replaced] }
        }
        None => {
            // `a * (b + 1)`: the call is an atom, the parentheses go (kept
            // below where the call alone would not parse as one expression).
            let chain = expression.and_then(|e| chain_to(std::slice::from_ref(innermost.statement()), e.range())).unwrap_or_default();
            let replaced = Replacement { span: grouped(text, &chain, selection), text: call };
            let (ordered, at) = if after { (vec![replaced, insertion], 0) } else { (vec![insertion, replaced], 1) };
            parenthesized(text, &ordered, &[at], module_expressions).ok_or("the call would not parse where the expression is")?
        }
    };
    let candidate = super::edits::apply(text, &replacements);
    if super::ipython_escapes::parse(&candidate, source.is_ipynb()).is_err() {
        return Err("the extracted code would not parse; refused".to_owned());
    }
    if source.is_ipynb() {
        super::ipython_escapes::guard(text, &replacements)?;
    }
    Ok(Extraction { replacements, name })
}

/// One block on the way down to the selection: the statement at `index`
/// holds it (or starts the selected run); `entry` are the names bound on
/// entering the block (a function's parameters, a `for` target, a `with`
/// or `except` name).
struct Level<'a> {
    suite: &'a [Stmt],
    index: usize,
    entry: Vec<String>,
}

impl<'a> Level<'a> {
    fn statement(&self) -> &'a Stmt {
        &self.suite[self.index]
    }
}

/// What the selection is in its innermost block.
enum Found {
    /// The statements from the level's index to this one, whole.
    Run(usize),
    /// Inside the level's statement (an expression of it, or nothing whole).
    Inside,
    /// Parts of several statements, or a statement and part of another.
    Partial,
}

/// Walks down from `suite` to the innermost block holding `selection`,
/// pushing each level; `None` when no statement of `suite` overlaps it.
fn locate<'a>(suite: &'a [Stmt], selection: TextRange, text: &str, path: &mut Vec<Level<'a>>, entry: Vec<String>) -> Option<Found> {
    let overlaps = |s: &Stmt| s.start() < selection.end() && selection.start() < s.end();
    let first = suite.iter().position(overlaps)?;
    let last = suite.iter().rposition(overlaps)?;
    path.push(Level { suite, index: first, entry });
    let (start, end) = (suite[first].start(), suite[last].end());
    if selection.start() <= start
        && end <= selection.end()
        && comments_only(&text[selection.start().to_usize()..start.to_usize()])
        && comments_only(&text[end.to_usize()..selection.end().to_usize()])
    {
        return Some(Found::Run(last));
    }
    if first != last || !suite[first].range().contains_range(selection) {
        return Some(Found::Partial);
    }
    let statement = &suite[first];
    for block in blocks(statement) {
        if let Some(found) = locate(block, selection, text, path, entered(statement, block)) {
            return Some(found);
        }
    }
    Some(Found::Inside)
}

/// Whether the innermost block of `path` is a module's, a function's or a
/// class's body (its first string is their docstring).
fn documented(path: &[Level]) -> bool {
    path.len() < 2 || matches!(path[path.len() - 2].statement(), Stmt::FunctionDef(_) | Stmt::ClassDef(_))
}

fn comments_only(text: &str) -> bool {
    text.lines().all(|l| l.trim().is_empty() || l.trim_start().starts_with('#'))
}

/// The names `statement` binds on entering its block `block` (a `case`'s
/// captures too).
fn entered(statement: &Stmt, block: &[Stmt]) -> Vec<String> {
    let is = |b: &[Stmt]| std::ptr::eq(b, block);
    let mut names = Vec::new();
    match statement {
        Stmt::FunctionDef(d) if is(&d.body) => names.extend(d.parameters.iter().map(|p| p.name().to_string())),
        Stmt::For(f) if is(&f.body) => target_names(&f.target, &mut names),
        Stmt::With(w) => w.items.iter().filter_map(|i| i.optional_vars.as_deref()).for_each(|t| target_names(t, &mut names)),
        Stmt::Try(t) => {
            let handler = t.handlers.iter().filter_map(|h| h.as_except_handler()).find(|h| is(&h.body));
            names.extend(handler.and_then(|h| h.name.as_ref()).map(|n| n.as_str().to_owned()));
        }
        Stmt::Match(m) => {
            if let Some(case) = m.cases.iter().find(|c| is(&c.body)) {
                Captures(&mut names).visit_pattern(&case.pattern);
            }
        }
        _ => {}
    }
    names
}

/// The names a `case` pattern captures (`x`, `*rest`, `**kw`, `... as y`).
struct Captures<'n>(&'n mut Vec<String>);

impl<'a> Visitor<'a> for Captures<'_> {
    fn visit_pattern(&mut self, pattern: &'a Pattern) {
        let name = match pattern {
            Pattern::MatchAs(p) => p.name.as_ref(),
            Pattern::MatchStar(p) => p.name.as_ref(),
            Pattern::MatchMapping(p) => p.rest.as_ref(),
            _ => None,
        };
        self.0.extend(name.map(|n| n.as_str().to_owned()));
        visitor::walk_pattern(self, pattern);
    }
}

/// The expression of `statement` that is the selection (or the inside of
/// its parentheses), if it can become a call.
fn expression_at<'a>(text: &str, statement: &'a Stmt, selection: TextRange) -> Result<&'a Expr, String> {
    if matches!(statement, Stmt::FunctionDef(_) | Stmt::ClassDef(_)) {
        return Err("it is evaluated when the `def` or `class` is (a decorator, default, annotation or base); extract from a body".to_owned());
    }
    let ranges = [Some(selection), unparenthesized(text, &selection)];
    let (range, chain) = ranges.into_iter().flatten().find_map(|r| Some((r, chain_to(std::slice::from_ref(statement), r)?))).ok_or(NOT_A_SELECTION)?;
    if super::f_string_debug::printed_on(&chain, range) {
        return Err("it is in an f-string's `{...=}`, which prints the expression's own text".to_owned());
    }
    let mut find = FindExpr { range, found: None };
    find.visit_stmt(statement);
    let expr = find.found.ok_or(NOT_A_SELECTION)?;
    if let Some(why) = unbindable(AnyNodeRef::from(expr)) {
        return Err(why.to_owned());
    }
    let context = match expr {
        Expr::Name(e) => e.ctx,
        Expr::Attribute(e) => e.ctx,
        Expr::Subscript(e) => e.ctx,
        Expr::Tuple(e) => e.ctx,
        Expr::List(e) => e.ctx,
        _ => ExprContext::Load,
    };
    if context != ExprContext::Load {
        return Err("it is assigned or deleted there: a call cannot stand in for it".to_owned());
    }
    Ok(expr)
}

/// The outermost expression whose range is `range`.
struct FindExpr<'a> {
    range: TextRange,
    found: Option<&'a Expr>,
}

impl<'a> Visitor<'a> for FindExpr<'a> {
    fn visit_expr(&mut self, expr: &'a Expr) {
        if self.found.is_some() || !expr.range().contains_range(self.range) {
            return;
        }
        if expr.range() == self.range {
            self.found = Some(expr);
            return;
        }
        visitor::walk_expr(self, expr);
    }
}

/// Whether the selection (`run` or `expression`) may call `def`, the
/// function it is in: by its name (`f(...)`, or `self.f(...)` on its first
/// parameter), or through the module's functions it calls that do.
fn calls_itself(def: &StmtFunctionDef, body: &[Stmt], run: Option<&[Stmt]>, expression: Option<&Expr>) -> bool {
    let mut called = Called { receiver: first_parameter(def), names: Vec::new() };
    run.into_iter().for_each(|r| called.visit_body(r));
    expression.into_iter().for_each(|e| called.visit_expr(e));
    let mut definitions = Definitions::default();
    definitions.visit_body(body);
    let definitions = definitions.0;
    let mut seen: Vec<String> = Vec::new();
    while let Some(name) = called.names.pop() {
        if name == def.name.as_str() {
            return true;
        }
        if seen.contains(&name) {
            continue;
        }
        // The file's functions and methods of that name: what they call may come back.
        for function in definitions.iter().filter(|f| f.name.as_str() == name) {
            let mut inner = Called { receiver: first_parameter(function), names: Vec::new() };
            inner.visit_body(&function.body);
            called.names.extend(inner.names);
        }
        seen.push(name);
    }
    false
}

/// The name of a function's first parameter (a method's `self` or `cls`).
fn first_parameter(def: &StmtFunctionDef) -> Option<&str> {
    def.parameters.posonlyargs.first().or(def.parameters.args.first()).map(|p| p.parameter.name.as_str())
}

/// Every `def` of the visited code.
#[derive(Default)]
struct Definitions<'a>(Vec<&'a StmtFunctionDef>);

impl<'a> Visitor<'a> for Definitions<'a> {
    fn visit_stmt(&mut self, stmt: &'a Stmt) {
        if let Stmt::FunctionDef(def) = stmt {
            self.0.push(def);
        }
        visitor::walk_stmt(self, stmt);
    }
}

/// The names of the functions visited code calls: bare names, and
/// methods called on `receiver` (`self.f(...)`).
struct Called<'r> {
    receiver: Option<&'r str>,
    names: Vec<String>,
}

impl<'a> Visitor<'a> for Called<'_> {
    fn visit_expr(&mut self, expr: &'a Expr) {
        if let Expr::Call(call) = expr {
            match &*call.func {
                Expr::Name(n) => self.names.push(n.id.to_string()),
                Expr::Attribute(a) if matches!(&*a.value, Expr::Name(v) if Some(v.id.as_str()) == self.receiver) => self.names.push(a.attr.to_string()),
                _ => {}
            }
        }
        visitor::walk_expr(self, expr);
    }
}

/// Whether `statements` run no code of their own: assignments of
/// literals, names and tuples or lists of them (an attribute, an item, an
/// operator, a call, a dict key's hash may run a program's code).
fn inert(statements: &[Stmt]) -> bool {
    fn value(expr: &Expr) -> bool {
        match expr {
            Expr::Name(_) | Expr::NumberLiteral(_) | Expr::StringLiteral(_) | Expr::BytesLiteral(_) | Expr::BooleanLiteral(_) | Expr::NoneLiteral(_) => true,
            Expr::EllipsisLiteral(_) => true,
            Expr::Tuple(t) => t.elts.iter().all(value),
            Expr::List(l) => l.elts.iter().all(value),
            _ => false,
        }
    }
    statements.iter().all(|s| match s {
        Stmt::Assign(a) => a.targets.iter().all(Expr::is_name_expr) && value(&a.value),
        Stmt::Pass(_) => true,
        _ => false,
    })
}

/// Why `name` cannot be a new function of the package `__init__.py` at
/// `path`: a submodule of the same name, which `from package import name`
/// would no longer reach once the package binds the name.
pub fn shadows_submodule(path: &std::path::Path, name: &str) -> Option<String> {
    let folder = path.parent().filter(|_| path.file_stem().is_some_and(|s| s == "__init__"))?;
    let taken = folder.join(format!("{name}.py")).exists() || folder.join(format!("{name}.pyi")).exists() || folder.join(name).join("__init__.py").exists();
    taken.then(|| format!("the package has a submodule `{name}`, which `from ... import {name}` would no longer reach; choose another name"))
}

/// The selected lines (from the selection's first line, comments above the
/// first statement included, to the end of its last) indented for the new
/// function's body at `inner`.
fn moved_lines(text: &str, selection: TextRange, run: &[Stmt], inner: &str) -> Result<String, String> {
    let (first, last) = (run[0].start(), run[run.len() - 1].end());
    let shares = "it shares a line with another statement; put it on a line of its own first";
    let old = indentation(text, first).ok_or(shares)?;
    let end = line_end(text, selection.end().max(last).to_usize());
    if !comments_only(&text[last.to_usize()..end]) {
        return Err(shares.to_owned());
    }
    let lines = &text[line_start(text, selection.start().min(first).to_usize())..end];
    if old == inner {
        return Ok(lines.to_owned());
    }
    let mut strings = MultiLineStrings { text, found: false };
    strings.visit_body(run);
    if strings.found {
        return Err("a string in it spans lines: indented for the new function, its text would change".to_owned());
    }
    let moved: Option<Vec<String>> = lines
        .split('\n')
        .map(|l| match l.strip_prefix(old) {
            Some(rest) => Some(format!("{inner}{rest}")),
            None if l.trim().is_empty() => Some(String::new()),
            None => None,
        })
        .collect();
    Ok(moved.ok_or("a line of it is indented less than its first statement")?.join("\n"))
}

/// The end of the lines that must stay first: a `#!` line, a coding
/// cookie on the first line or on the second after a comment.
fn header_end(text: &str) -> usize {
    let mut lines = text.split_inclusive('\n');
    let (first, second) = (lines.next().unwrap_or_default(), lines.next().unwrap_or_default());
    let comment = |l: &str| l.trim_start().starts_with('#');
    let cookie = |l: &str| comment(l) && (l.contains("coding:") || l.contains("coding="));
    if comment(first) && cookie(second) {
        first.len() + second.len()
    } else if first.starts_with("#!") || cookie(first) {
        first.len()
    } else {
        0
    }
}

/// The start of the comment lines right above the line starting at `at`
/// (they belong to the statement below them).
fn above_comments(text: &str, mut at: usize) -> usize {
    while at > 0 {
        let previous = line_start(text, at - 1);
        if !text[previous..at].trim_start().starts_with('#') {
            break;
        }
        at = previous;
    }
    at
}

#[cfg(test)]
#[path = "extract_function_tests.rs"]
mod tests;
