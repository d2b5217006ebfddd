//! Next edit with the model: a `def` given a new parameter without a
//! default leaves its calls without a value for it, which no rewrite can
//! invent. The calls are rewritten by the change-signature engine
//! ([`signature_change::rewrite_calls_with`]: the same placement and
//! refusals) with a placeholder name where each new argument goes; the
//! model proposes the expression at each call ([`crate::actions::call_arguments`]),
//! and every proposal is checked at its call before anything is offered:
//! one expression, no `:=`, `yield` or `await` outside an `async def`, and
//! every name it reads resolves there by the graph (the edited files
//! re-read), not to a binding made later in the same scope. One call
//! answered badly refuses the whole update, with the reason per call.

use std::cell::RefCell;

use ruff_python_ast::token::TokenKind;
use ruff_python_ast::visitor::{self, Visitor};
use ruff_python_ast::{Expr, ExprContext, Stmt};
use ruff_source_file::UniversalNewlines;
use ruff_text_size::Ranged;
use rustc_hash::FxHashMap;

use super::edits::FileEdits;
use super::signature_change::{NewParameter, required, rewrite_calls_with};
use crate::graph::explain::place;
use crate::graph::summary::ScopeKind;
use crate::graph::{FileId, Graph, Location, Parameter, Resolved, SymbolId, SymbolKind};

/// What stands for an argument until the model's expression replaces it:
/// a name, so the rewritten calls parse and can be checked as usual.
const PLACEHOLDER: &str = "__pyloom_argument_";

/// A call that needs arguments for new parameters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Site {
    /// The callee's name at the call.
    pub call: Location,
    /// The new parameters it needs, in the `def`'s order.
    pub parameters: Vec<String>,
}

/// The calls of a function rewritten but for the arguments of its new
/// parameters without a default, which the model is asked for.
#[derive(Debug)]
pub struct Asking {
    pub sites: Vec<Site>,
    /// The new parameters without a default.
    pub required: Vec<String>,
    /// The rewritten calls, each missing argument a placeholder.
    edits: Vec<FileEdits>,
    /// Each placeholder's (site, parameter), by its number.
    slots: Vec<(usize, String)>,
}

/// The model's expressions, by (site number from 1, parameter); more than
/// one when the reply gave a parameter of a call twice.
pub type Proposals = FxHashMap<(usize, String), Vec<String>>;

/// What a site looks like to the model.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SiteContext {
    /// `shop/use.py:3`.
    pub place: String,
    /// The function the call is in (qualified), if any.
    pub within: Option<String>,
    /// The lines around the call, the call's line marked.
    pub code: String,
    /// The names bound where the call is, innermost scope first.
    pub names: Vec<String>,
}

/// The calls of `function` (those `keep` picks) rewritten from `old` to
/// `new`, asking for the new parameters without a default; refused where
/// a call cannot be rewritten whatever its new arguments.
pub fn asking(graph: &Graph, function: SymbolId, old: &[Parameter], new: &[NewParameter], keep: &dyn Fn(&Location) -> bool) -> Result<Asking, String> {
    let sites: RefCell<Vec<Site>> = RefCell::default();
    let slots: RefCell<Vec<(usize, String)>> = RefCell::default();
    let supply = |call: &Location, parameter: &str| {
        let mut sites = sites.borrow_mut();
        let site = match sites.iter().position(|s| s.call == *call) {
            Some(i) => i,
            None => {
                sites.push(Site { call: call.clone(), parameters: Vec::new() });
                sites.len() - 1
            }
        };
        sites[site].parameters.push(parameter.to_owned());
        let mut slots = slots.borrow_mut();
        slots.push((site, parameter.to_owned()));
        Some(format!("{PLACEHOLDER}{}__", slots.len() - 1))
    };
    let edits = rewrite_calls_with(graph, function, old, new, keep, Some(&supply))?.files;
    Ok(Asking { sites: sites.into_inner(), required: required(new).map(|p| p.name.clone()).collect(), edits, slots: slots.into_inner() })
}

/// The code around `site` and the names in scope there, for the prompt.
pub fn site_context(graph: &Graph, site: &Site) -> SiteContext {
    let location = &site.call;
    let within = graph.enclosing_symbol(location.file, location.span.start).and_then(|s| graph.symbol(s));
    let within = within.filter(|s| s.kind != SymbolKind::Module).map(|s| s.qualified_name.to_owned());
    let Some(entry) = graph.file(location.file) else {
        return SiteContext { place: place(graph, location), within, code: String::new(), names: Vec::new() };
    };
    let text = &entry.text();
    let at = (location.span.start as usize).min(text.len());
    let line = crate::line_ends::line_index(text, at);
    let lines: Vec<&str> = text.universal_newlines().map(|line| line.as_str()).collect();
    let (from, to) = (line.saturating_sub(4), (line + 3).min(lines.len()));
    let code = (from..to).map(|i| format!("{}{}\n", if i == line { ">>> " } else { "    " }, lines[i])).collect();
    let summary = &entry.summary;
    let scope = summary.scope_at(location.span.start);
    let mut names: Vec<String> = Vec::new();
    let mut current = Some(scope);
    while let Some(id) = current {
        let s = &summary.scopes[id as usize];
        // A function's own names count once bound; a module's are bound by
        // the time a function runs.
        let bound_yet = |from: u32| from <= location.span.start || (s.kind == ScopeKind::Module && scope != id);
        if id == scope || s.kind != ScopeKind::Class {
            let visible = summary.bindings.iter().filter(|b| b.scope == id && bound_yet(b.visible_from));
            for binding in visible {
                if !names.iter().any(|n| binding.name == *n) {
                    names.push(binding.name.to_string());
                }
            }
        }
        current = s.parent;
    }
    SiteContext { place: place(graph, location), within, code, names }
}

/// A file the update rewrites, with its new text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Filled {
    pub file: FileId,
    pub text: String,
}

/// The rewritten files with the model's `proposals` in place, every
/// proposal checked at its call; or the reason for each call that fails.
pub fn fill(graph: &Graph, asking: &Asking, proposals: &Proposals) -> Result<Vec<Filled>, Vec<String>> {
    let mut reasons = Vec::new();
    let at = |site: usize| format!("call {} ({})", site + 1, place(graph, &asking.sites[site].call));
    let mut values: Vec<String> = Vec::new();
    for (site, parameter) in &asking.slots {
        let mut given: Vec<&String> = proposals.get(&(site + 1, parameter.clone())).map(|v| v.iter().collect()).unwrap_or_default();
        given.sort();
        given.dedup();
        match given.as_slice() {
            [] => reasons.push(format!("{}: the reply gives no `{parameter}`", at(*site))),
            [one] => match expression(one, parameter) {
                Ok(value) => {
                    values.push(value);
                    continue;
                }
                Err(why) => reasons.push(format!("{}: `{parameter}`: {why}", at(*site))),
            },
            _ => reasons.push(format!("{}: the reply gives `{parameter}` more than once", at(*site))),
        }
        values.push(String::new());
    }
    if !reasons.is_empty() {
        return Err(reasons);
    }
    let mut filled = Vec::new();
    // Where each value stands in its file's new text.
    let mut placed: Vec<(usize, FileId, u32)> = Vec::new();
    for edits in &asking.edits {
        let Some(entry) = graph.file(edits.file) else { return Err(vec!["a file left the graph; run the update again".to_owned()]) };
        let mut text = String::with_capacity(entry.text().len());
        let mut from = 0;
        for replacement in &edits.replacements {
            text.push_str(&entry.text()[from..replacement.span.start as usize]);
            let mut rest = replacement.text.as_str();
            while let Some((slot, before, after)) = next_placeholder(rest) {
                text.push_str(before);
                placed.push((slot, edits.file, text.len() as u32));
                text.push_str(values.get(slot).map_or("", String::as_str));
                rest = after;
            }
            text.push_str(rest);
            from = replacement.span.end as usize;
        }
        text.push_str(&entry.text()[from..]);
        filled.push(Filled { file: edits.file, text });
    }
    for (file, text) in filled.iter().map(|f| (f.file, &f.text)) {
        if ruff_python_parser::parse_module(text).is_err() {
            let sites = placed.iter().filter(|p| p.1 == file).map(|p| at(asking.slots[p.0].0)).collect::<Vec<_>>().join(", ");
            reasons.push(format!("the updated calls ({sites}) would not parse"));
        }
    }
    if !reasons.is_empty() {
        return Err(reasons);
    }
    let paths: Vec<(std::path::PathBuf, &str)> = filled.iter().filter_map(|f| Some((graph.file(f.file)?.path.clone(), f.text.as_str()))).collect();
    let after = graph.with_texts(paths.iter().map(|(p, t)| (p.as_path(), *t)));
    for &(slot, file, offset) in &placed {
        let (site, parameter) = &asking.slots[slot];
        let text = filled.iter().find(|f| f.file == file).map_or("", |f| f.text.as_str());
        if let Err(why) = resolves(&after, file, text, offset, &values[slot]) {
            reasons.push(format!("{}: `{parameter}` = `{}`: {why}", at(*site), values[slot]));
        }
    }
    if reasons.is_empty() { Ok(filled) } else { Err(reasons) }
}

/// The placeholder's number in `text`, and the text before and after it.
fn next_placeholder(text: &str) -> Option<(usize, &str, &str)> {
    let start = text.find(PLACEHOLDER)?;
    let digits = &text[start + PLACEHOLDER.len()..];
    let end = digits.find("__")?;
    let slot = digits[..end].parse().ok()?;
    Some((slot, &text[..start], &digits[end + 2..]))
}

/// The proposal for `parameter` as one argument's text (a leading
/// `parameter=` the model repeated dropped), or why it is not one.
fn expression(proposal: &str, parameter: &str) -> Result<String, String> {
    let mut value = proposal.trim();
    if let Some(rest) = value.strip_prefix(parameter).map(str::trim_start).and_then(|r| r.strip_prefix('='))
        && !rest.starts_with('=')
    {
        value = rest.trim();
    }
    let parsed = ruff_python_parser::parse_expression(value).map_err(|_| "not one Python expression".to_owned())?;
    // A comment after it would swallow the rest of the call.
    if let Some(comment) = parsed.tokens().iter().find(|t| t.kind() == TokenKind::Comment) {
        return expression(&value[..comment.start().to_usize()], parameter);
    }
    let expr = parsed.expr();
    match expr {
        Expr::Tuple(t) if !t.parenthesized => return Err("several expressions, not one".to_owned()),
        Expr::Generator(g) if !g.parenthesized => return Err("a bare generator expression".to_owned()),
        Expr::Starred(_) => return Err("an unpacking, not one argument".to_owned()),
        _ => {}
    }
    let mut forbidden = Forbidden::default();
    forbidden.visit_expr(expr);
    if let Some(what) = forbidden.found {
        return Err(format!("it {what}"));
    }
    Ok(value.to_owned())
}

/// What an argument must not do: bind a name (`:=`) in the caller, or
/// suspend it (`yield`).
#[derive(Default)]
struct Forbidden {
    found: Option<&'static str>,
}

impl<'a> Visitor<'a> for Forbidden {
    fn visit_expr(&mut self, expr: &'a Expr) {
        let found = match expr {
            Expr::Named(_) => Some("assigns with `:=`"),
            Expr::Yield(_) | Expr::YieldFrom(_) => Some("yields"),
            _ => None,
        };
        self.found = self.found.or(found);
        visitor::walk_expr(self, expr);
    }
}

/// Whether the value at `offset` of `file` (whose new text is `text`,
/// already in `after`) reads only names bound there before it runs, and
/// awaits only inside an `async def`.
fn resolves(after: &Graph, file: FileId, text: &str, offset: u32, value: &str) -> Result<(), String> {
    let parsed = ruff_python_parser::parse_expression(value).map_err(|_| "not one Python expression".to_owned())?;
    let mut reads = Reads::default();
    reads.visit_expr(parsed.expr());
    if reads.awaits && !in_async_def(text, offset) {
        return Err("it uses `await` outside an `async def`".to_owned());
    }
    let summary = &after.file(file).ok_or("a file left the graph")?.summary;
    for (name, at) in reads.names {
        let at = offset + at;
        match after.definition(file, at) {
            None => return Err(format!("`{name}` is not defined at this call")),
            Some(Resolved::Local { file: bound_in, span }) if bound_in == file => {
                let binding = summary.bindings.iter().find(|b| b.range == span);
                if binding.is_some_and(|b| b.scope == summary.scope_at(at) && b.visible_from > at) {
                    return Err(format!("`{name}` is only bound after this call"));
                }
            }
            Some(Resolved::Symbol(id)) if summary.scope_at(at) == 0 => {
                let later = after.location(id).is_some_and(|l| l.file == file && l.span.start > at);
                let module_level = after.container(id).is_some_and(|c| after.module_symbol(file) == Some(c));
                if later && module_level {
                    return Err(format!("`{name}` is only defined after this call"));
                }
            }
            Some(_) => {}
        }
    }
    Ok(())
}

/// The names an expression reads (with their offsets in it), and whether it awaits.
#[derive(Default)]
struct Reads {
    names: Vec<(String, u32)>,
    awaits: bool,
}

impl<'a> Visitor<'a> for Reads {
    fn visit_expr(&mut self, expr: &'a Expr) {
        match expr {
            Expr::Name(name) if name.ctx == ExprContext::Load => self.names.push((name.id.to_string(), name.start().to_u32())),
            Expr::Await(_) => self.awaits = true,
            _ => {}
        }
        visitor::walk_expr(self, expr);
    }
}

/// Whether `offset` of `text` is in the body of an `async def` (the
/// innermost `def` around it).
fn in_async_def(text: &str, offset: u32) -> bool {
    let Ok(parsed) = ruff_python_parser::parse_module(text) else { return false };
    let mut innermost = None;
    let mut body = &parsed.syntax().body[..];
    while let Some(statement) = body.iter().find(|s| s.range().contains_inclusive(offset.into())) {
        body = match statement {
            Stmt::FunctionDef(def) => {
                innermost = Some(def.is_async);
                &def.body[..]
            }
            Stmt::ClassDef(class) => &class.body[..],
            Stmt::If(s) => match s.elif_else_clauses.iter().find(|c| c.range().contains_inclusive(offset.into())) {
                Some(clause) => &clause.body[..],
                None => &s.body[..],
            },
            Stmt::With(s) => &s.body[..],
            Stmt::For(s) if s.orelse.iter().any(|o| o.range().contains_inclusive(offset.into())) => &s.orelse[..],
            Stmt::For(s) => &s.body[..],
            Stmt::While(s) if s.orelse.iter().any(|o| o.range().contains_inclusive(offset.into())) => &s.orelse[..],
            Stmt::While(s) => &s.body[..],
            Stmt::Try(s) => {
                let handler = s.handlers.iter().find(|h| h.range().contains_inclusive(offset.into()));
                match handler {
                    Some(ruff_python_ast::ExceptHandler::ExceptHandler(h)) => &h.body[..],
                    None if s.orelse.iter().any(|o| o.range().contains_inclusive(offset.into())) => &s.orelse[..],
                    None if s.finalbody.iter().any(|o| o.range().contains_inclusive(offset.into())) => &s.finalbody[..],
                    None => &s.body[..],
                }
            }
            Stmt::Match(s) => s.cases.iter().find(|c| c.range().contains_inclusive(offset.into())).map_or(&[][..], |c| &c.body[..]),
            _ => break,
        };
    }
    innermost == Some(true)
}

#[cfg(test)]
#[path = "call_arguments_tests.rs"]
mod tests;
