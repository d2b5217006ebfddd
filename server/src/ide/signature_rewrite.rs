//! The rewrite of one call for a change of signature: which old
//! parameter each argument went to, and the arguments written for the new
//! parameters, placed by syntax tree (positionally while the new order
//! allows, by keyword after; comments on an argument's line kept with it).
//! Refused where a call cannot be rewritten exactly.

use std::ops::Range;

use ruff_python_ast::visitor::{self, Visitor};
use ruff_python_ast::{Expr, ExprCall};
use ruff_text_size::Ranged;
use rustc_hash::FxHashMap;

use super::edits::Replacement;
use super::signature_change::NewParameter;
use crate::graph::{Parameter, ParameterKind, Span};

/// No argument for any new parameter.
pub(super) fn nothing(_: &str) -> Option<String> {
    None
}

/// Where a supplied argument stands in a rewritten call's order: after
/// every argument the call had (it has no comment of its own).
const SUPPLIED: usize = usize::MAX;

fn replacement(range: Range<usize>, text: String) -> Replacement {
    Replacement { span: Span::new(range.start as u32, range.end as u32), text }
}

/// One argument of a call as written.
#[derive(Debug, Clone)]
pub(super) struct Argument {
    /// The whole argument (`name=value` for a keyword).
    range: Range<usize>,
    value: Range<usize>,
    keyword: Option<String>,
    pure: bool,
}

#[derive(Debug, Clone)]
pub(super) struct CallSite {
    arguments: Vec<Argument>,
    pub(super) unpacks: bool,
    /// Inside the parentheses.
    pub(super) inner: Range<usize>,
    /// The end of `cart` in `cart.total(...)`.
    pub(super) receiver_end: Option<u32>,
    /// The receiver is `type(x)` or `x.__class__`: a class, so an instance
    /// method called on it takes its `self` as an argument.
    pub(super) receiver_is_type: bool,
}

/// The calls of a file by the end of their callee (where an occurrence of
/// the callee's name ends).
#[derive(Default)]
pub(super) struct Calls {
    pub(super) by_callee_end: FxHashMap<usize, CallSite>,
}

impl<'a> Visitor<'a> for Calls {
    fn visit_expr(&mut self, expr: &'a Expr) {
        if let Expr::Call(call) = expr {
            self.by_callee_end.insert(call.func.end().to_usize(), CallSite::of(call));
        }
        visitor::walk_expr(self, expr);
    }
}

impl CallSite {
    /// Whether it passes `name` by keyword.
    pub(super) fn passes_keyword(&self, name: &str) -> bool {
        self.arguments.iter().any(|a| a.keyword.as_deref() == Some(name))
    }

    pub(super) fn of(call: &ExprCall) -> CallSite {
        let arguments = &call.arguments;
        let mut found: Vec<Argument> =
            arguments.args.iter().map(|a| Argument { range: a.range().into(), value: a.range().into(), keyword: None, pure: is_pure(a) }).collect();
        found.extend(arguments.keywords.iter().map(|k| Argument {
            range: k.range().into(),
            value: k.value.range().into(),
            keyword: k.arg.as_ref().map(|a| a.to_string()),
            pure: is_pure(&k.value),
        }));
        let unpacks = arguments.args.iter().any(Expr::is_starred_expr) || arguments.keywords.iter().any(|k| k.arg.is_none());
        found.sort_by_key(|a| a.range.start);
        let receiver = match call.func.as_ref() {
            Expr::Attribute(attribute) => Some(attribute.value.as_ref()),
            _ => None,
        };
        let receiver_is_type = receiver.is_some_and(|r| match r {
            Expr::Call(c) => matches!(c.func.as_ref(), Expr::Name(n) if n.id.as_str() == "type") && c.arguments.len() == 1,
            Expr::Attribute(a) => a.attr.as_str() == "__class__",
            _ => false,
        });
        CallSite {
            arguments: found,
            unpacks,
            inner: arguments.start().to_usize() + 1..arguments.end().to_usize() - 1,
            receiver_end: receiver.map(|r| r.end().to_u32()),
            receiver_is_type,
        }
    }
}

/// An argument whose evaluation has no effect this rewrite could move or
/// drop: names, attributes of them, literals and containers of these.
fn is_pure(expr: &Expr) -> bool {
    match expr {
        Expr::Name(_) | Expr::NumberLiteral(_) | Expr::StringLiteral(_) | Expr::BytesLiteral(_) | Expr::BooleanLiteral(_) | Expr::NoneLiteral(_) => true,
        Expr::EllipsisLiteral(_) => true,
        Expr::Attribute(a) => is_pure(&a.value),
        Expr::UnaryOp(u) => is_pure(&u.operand),
        Expr::Tuple(t) => t.elts.iter().all(is_pure),
        Expr::List(l) => l.elts.iter().all(is_pure),
        _ => false,
    }
}

/// Whether `text` is a literal constant (`1`, `-2.5`, `"m"`, `None`,
/// `True`), whose value is the same wherever it is written.
fn is_constant(text: &str) -> bool {
    fn constant(expr: &Expr) -> bool {
        match expr {
            Expr::NumberLiteral(_) | Expr::StringLiteral(_) | Expr::BytesLiteral(_) | Expr::BooleanLiteral(_) | Expr::NoneLiteral(_) => true,
            Expr::UnaryOp(u) => matches!(u.operand.as_ref(), Expr::NumberLiteral(_)),
            _ => false,
        }
    }
    ruff_python_parser::parse_expression(text).is_ok_and(|parsed| constant(parsed.expr()))
}

/// Why a call is not rewritten.
pub(super) enum NotUpdated {
    /// The old parameters did not accept it either, as the rewrite reads
    /// it: it may be a call it misreads, so the change is refused too.
    Unmatched(String),
    /// It cannot be rewritten exactly: the change is refused.
    Refused(String),
}

/// The parameters a call's arguments bind to, before and after (the
/// bound `self`/`cls` left out).
#[derive(Clone, Copy)]
pub(super) struct Rewrite<'a> {
    pub(super) old: &'a [Parameter],
    pub(super) new: &'a [NewParameter],
    pub(super) name: &'a str,
    /// The argument of a new parameter without a default, by its name.
    pub(super) supply: &'a dyn Fn(&str) -> Option<String>,
}

/// Which old parameter each argument went to.
struct Bound {
    /// Argument index by old parameter name.
    by_parameter: FxHashMap<String, usize>,
    /// Extra positional arguments (to `*args`) and keywords (to `**kwargs`).
    extra_positional: Vec<usize>,
    extra_keywords: Vec<usize>,
}

impl Rewrite<'_> {
    /// The replacement of `call`'s arguments (none when they stay as they are).
    pub(super) fn call(&self, text: &str, call: &CallSite) -> Result<Option<Replacement>, NotUpdated> {
        if call.unpacks {
            return Err(NotUpdated::Refused("it passes `*args` or `**kwargs`, whose parameters cannot be told".to_owned()));
        }
        let bound = self.bind(call).map_err(NotUpdated::Unmatched)?;
        if self.binds_as_written(call, &bound) {
            return Ok(None);
        }
        self.arguments(text, call, &bound).map_err(NotUpdated::Refused)
    }

    /// Whether `call`, left as it is, binds to the new parameters as it
    /// did to the old: each argument to the parameter that took over its
    /// old one, and the arguments of removed parameters to a `*args` or
    /// `**kwargs` the change adds (`f(1, b=2)` for `(a, b)` becoming
    /// `(*args, **kwargs)`): such a call needs no update, and dropping
    /// those arguments would lose what the new parameters take.
    fn binds_as_written(&self, call: &CallSite, bound: &Bound) -> bool {
        let added_var = |kind: ParameterKind| self.new.iter().any(|n| n.kind == kind && n.from.is_none());
        if !added_var(ParameterKind::VarPositional) && !added_var(ParameterKind::VarKeyword) {
            return false;
        }
        let old_star = |kind: ParameterKind| self.old.iter().find(|p| p.kind == kind).map(|p| p.name.to_string());
        let positional: Vec<&NewParameter> =
            self.new.iter().filter(|n| matches!(n.kind, ParameterKind::PositionalOnly | ParameterKind::PositionalOrKeyword)).collect();
        let var = |kind: ParameterKind| self.new.iter().find(|n| n.kind == kind);
        let mut taken: Vec<&str> = Vec::new();
        let mut next = 0;
        for (i, argument) in call.arguments.iter().enumerate() {
            // The old parameter (or `*args`/`**kwargs`) the argument went to.
            let was = match bound.by_parameter.iter().find(|(_, at)| **at == i) {
                Some((name, _)) => Some(name.clone()),
                None if argument.keyword.is_none() => old_star(ParameterKind::VarPositional),
                None => old_star(ParameterKind::VarKeyword),
            };
            let now = match &argument.keyword {
                None => {
                    next += 1;
                    positional.get(next - 1).copied().or_else(|| var(ParameterKind::VarPositional))
                }
                Some(keyword) => self
                    .new
                    .iter()
                    .find(|n| &n.name == keyword && matches!(n.kind, ParameterKind::PositionalOrKeyword | ParameterKind::KeywordOnly))
                    .or_else(|| var(ParameterKind::VarKeyword)),
            };
            let Some(now) = now else { return false };
            if !matches!(now.kind, ParameterKind::VarPositional | ParameterKind::VarKeyword) {
                if taken.contains(&now.name.as_str()) {
                    return false;
                }
                taken.push(&now.name);
            }
            let kept = |old: &str| self.new.iter().any(|n| n.from.as_deref() == Some(old));
            let same = match (&was, &now.from) {
                (Some(old), Some(from)) => old == from,
                // A removed parameter's argument, taken by an added `*args`/`**kwargs`.
                (Some(old), None) => !kept(old) && matches!(now.kind, ParameterKind::VarPositional | ParameterKind::VarKeyword),
                (None, _) => false,
            };
            if !same {
                return false;
            }
        }
        let required = |n: &&NewParameter| !n.has_default && !matches!(n.kind, ParameterKind::VarPositional | ParameterKind::VarKeyword);
        self.new.iter().filter(required).all(|n| taken.contains(&n.name.as_str()))
    }

    /// The replacement of the arguments of `call`, which binds as `bound`.
    fn arguments(&self, text: &str, call: &CallSite, bound: &Bound) -> Result<Option<Replacement>, String> {
        let (mut order, mut rendered) = self.emit(text, call, bound, false)?;
        // `(a, b, c)` to `(b, a, *args)`: whether `c`'s argument is dropped
        // or meant for the added `*args`/`**kwargs` the change does not say
        // (a call whose arguments bind as written keeps them there).
        let added_var = self.new.iter().any(|n| n.from.is_none() && matches!(n.kind, ParameterKind::VarPositional | ParameterKind::VarKeyword));
        if let Some(dropped) = (0..call.arguments.len()).find(|i| added_var && !order.contains(i)) {
            return Err(format!(
                "the argument `{}` would be dropped with its parameter, where the added `*args`/`**kwargs` may be meant to take it",
                &text[call.arguments[dropped].value.clone()]
            ));
        }
        // Dropped arguments must have had no effect; moved ones keep the
        // order of whatever effects they have.
        if let Some(dropped) = (0..call.arguments.len()).find(|i| !order.contains(i) && !call.arguments[*i].pure) {
            return Err(format!(
                "the argument `{}` would be dropped with its parameter, and it may have effects",
                &text[call.arguments[dropped].value.clone()]
            ));
        }
        let reordered = |order: &[usize]| {
            let effects: Vec<usize> = order.iter().copied().filter(|&i| call.arguments.get(i).is_some_and(|a| !a.pure)).collect();
            effects.windows(2).any(|w| w[0] > w[1])
        };
        if reordered(&order) {
            // Keywords bind by name whatever their order: written in the
            // call's order, the arguments run as they did.
            (order, rendered) = self
                .emit(text, call, bound, true)
                .ok()
                .filter(|(order, _)| !reordered(order))
                .ok_or("the new order would evaluate its arguments' calls in another order, and keywords cannot keep it")?;
        }
        let original: Vec<String> = call.arguments.iter().map(|a| text[a.range.clone()].to_owned()).collect();
        if rendered == original {
            return Ok(None);
        }
        let (Some(first), Some(last)) = (call.arguments.first(), call.arguments.last()) else {
            // `f()` given the arguments of new parameters.
            if text[call.inner.clone()].contains('#') {
                return Err("a comment inside its parentheses would be lost".to_owned());
            }
            return Ok(Some(replacement(call.inner.clone(), rendered.join(", "))));
        };
        let gaps: Vec<&str> = call.arguments.windows(2).map(|w| &text[w[0].range.end..w[1].range.start]).collect();
        let tail = &text[last.range.end..call.inner.end];
        if rendered.is_empty() {
            if tail.contains('#') {
                return Err("a comment after its arguments would be lost".to_owned());
            }
            return Ok(Some(replacement(first.range.start..call.inner.end, String::new())));
        }
        if gaps.iter().chain([&tail]).any(|g| g.contains('#')) {
            let lines = Lines::of(&gaps, tail).ok_or("comments between its arguments would be lost")?;
            return Ok(Some(replacement(first.range.start..call.inner.end, lines.render(&order, &rendered))));
        }
        // One argument a line stays so.
        let separator = gaps.first().copied().unwrap_or(", ");
        Ok(Some(replacement(first.range.start..last.range.end, rendered.join(separator))))
    }

    /// The old default of the parameter `parameter` takes over, for a call
    /// that left it out, where the new one has none: passed as written
    /// where that is exactly the same value (a literal constant: a default
    /// is evaluated once, in the `def`'s scope, so a name or a call is not).
    fn old_default(&self, parameter: &NewParameter) -> Result<String, String> {
        let old = self.old.iter().find(|o| parameter.from.as_deref() == Some(o.name.as_str()));
        let default = old.and_then(|o| o.default.as_deref()).filter(|d| is_constant(d));
        default.map(str::to_owned).ok_or_else(|| {
            format!(
                "it relies on the old default of `{}`, which the new parameter `{}` does not have; give it a default, or pass it at this call",
                parameter.from.as_deref().unwrap_or_default(),
                parameter.name
            )
        })
    }

    fn bind(&self, call: &CallSite) -> Result<Bound, String> {
        let positional: Vec<&Parameter> =
            self.old.iter().filter(|p| matches!(p.kind, ParameterKind::PositionalOnly | ParameterKind::PositionalOrKeyword)).collect();
        let mut bound = Bound { by_parameter: FxHashMap::default(), extra_positional: Vec::new(), extra_keywords: Vec::new() };
        let mut next = 0;
        for (i, argument) in call.arguments.iter().enumerate() {
            match &argument.keyword {
                None => {
                    match positional.get(next) {
                        Some(p) => {
                            bound.by_parameter.insert(p.name.to_string(), i);
                        }
                        None if self.old.iter().any(|p| p.kind == ParameterKind::VarPositional) => bound.extra_positional.push(i),
                        None => return Err(format!("it passes more positional arguments than `{}` takes", self.name)),
                    }
                    next += 1;
                }
                Some(keyword) => {
                    let named =
                        self.old.iter().find(|p| &p.name == keyword && matches!(p.kind, ParameterKind::PositionalOrKeyword | ParameterKind::KeywordOnly));
                    match named {
                        Some(p) if bound.by_parameter.contains_key(p.name.as_str()) => return Err(format!("`{keyword}` is given twice")),
                        Some(p) => {
                            bound.by_parameter.insert(p.name.to_string(), i);
                        }
                        None if self.old.iter().any(|p| p.kind == ParameterKind::VarKeyword) => bound.extra_keywords.push(i),
                        None => return Err(format!("`{}` has no parameter `{keyword}`", self.name)),
                    }
                }
            }
        }
        let missing = self.old.iter().find(|p| {
            p.default.is_none()
                && !matches!(p.kind, ParameterKind::VarPositional | ParameterKind::VarKeyword)
                && !bound.by_parameter.contains_key(p.name.as_str())
        });
        if let Some(p) = missing {
            return Err(format!("`{}` is not given", p.name));
        }
        Ok(bound)
    }

    /// The arguments for the new parameters (argument indexes in their new
    /// order, and their text); with `by_name`, every one a parameter
    /// takes by name is given by name.
    fn emit(&self, text: &str, call: &CallSite, bound: &Bound, by_name: bool) -> Result<(Vec<usize>, Vec<String>), String> {
        let value = |i: usize| &text[call.arguments[i].value.clone()];
        let mut positional: Vec<(usize, String)> = Vec::new();
        let mut keywords: Vec<(usize, String)> = Vec::new();
        // Once a positional parameter is skipped or given by keyword, the
        // ones after it can only be given by keyword.
        let mut by_keyword = false;
        let from_old = |n: &NewParameter, kind: ParameterKind| n.from.as_ref().is_some_and(|f| self.old.iter().any(|o| &o.name == f && o.kind == kind));
        let mut extras_taken = (false, false);
        for parameter in self.new {
            // An old parameter turned `*b` or `**b` takes its argument
            // there: kept positional, or kept a keyword (never dropped).
            let star = match parameter.kind {
                ParameterKind::VarPositional => "*",
                ParameterKind::VarKeyword => "**",
                _ => "",
            };
            let turned = parameter.from.as_ref().and_then(|f| bound.by_parameter.get(f)).copied().filter(|_| !star.is_empty());
            if let Some(i) = turned {
                let argument = &call.arguments[i];
                match (parameter.kind, &argument.keyword) {
                    (ParameterKind::VarPositional, None) if !by_keyword => positional.push((i, value(i).to_owned())),
                    (ParameterKind::VarKeyword, Some(_)) => keywords.push((i, text[argument.range.clone()].to_owned())),
                    _ => {
                        return Err(format!(
                            "its argument `{}` of `{}` cannot stay as it is for `{star}{}`, and moving it elsewhere would change what it binds",
                            &text[argument.range.clone()],
                            parameter.from.as_deref().unwrap_or_default(),
                            parameter.name
                        ));
                    }
                }
            }
            match parameter.kind {
                ParameterKind::VarPositional => {
                    if !bound.extra_positional.is_empty() {
                        if !from_old(parameter, ParameterKind::VarPositional) || by_keyword {
                            return Err(format!("its extra positional arguments have no `*{}` to go to", parameter.name));
                        }
                        positional.extend(bound.extra_positional.iter().map(|&i| (i, value(i).to_owned())));
                    }
                    extras_taken.0 = true;
                    by_keyword = true;
                }
                ParameterKind::VarKeyword => {
                    if from_old(parameter, ParameterKind::VarKeyword) {
                        keywords.extend(bound.extra_keywords.iter().map(|&i| (i, text[call.arguments[i].range.clone()].to_owned())));
                        extras_taken.1 = true;
                    }
                }
                kind => {
                    let given = parameter.from.as_ref().and_then(|f| bound.by_parameter.get(f)).copied();
                    let (i, argument, was_keyword) = match given {
                        Some(i) => (i, value(i).to_owned(), call.arguments[i].keyword.is_some()),
                        None if parameter.from.is_none() && !parameter.has_default => {
                            let argument = (self.supply)(&parameter.name).ok_or_else(|| format!("the new parameter `{}` has no value here", parameter.name))?;
                            if call.arguments.iter().any(|a| a.keyword.as_deref() == Some(parameter.name.as_str())) {
                                return Err(format!("it passes `{}=` already", parameter.name));
                            }
                            (SUPPLIED, argument, false)
                        }
                        // The call relied on the old default of a parameter that has none now.
                        None if !parameter.has_default => (SUPPLIED, self.old_default(parameter)?, false),
                        None => {
                            by_keyword |= kind != ParameterKind::KeywordOnly;
                            continue;
                        }
                    };
                    match kind {
                        ParameterKind::PositionalOnly if by_keyword => {
                            return Err(format!("the positional-only parameter `{}` comes after one given by keyword or left out", parameter.name));
                        }
                        ParameterKind::PositionalOnly => positional.push((i, argument)),
                        ParameterKind::PositionalOrKeyword if !by_keyword && !was_keyword && !by_name => positional.push((i, argument)),
                        _ => {
                            by_keyword |= kind == ParameterKind::PositionalOrKeyword;
                            keywords.push((i, format!("{}={argument}", parameter.name)));
                        }
                    }
                }
            }
        }
        if !bound.extra_positional.is_empty() && !extras_taken.0 {
            return Err("its extra positional arguments would have no `*args` to go to".to_owned());
        }
        if !bound.extra_keywords.is_empty() && !extras_taken.1 {
            return Err("its extra keyword arguments would have no `**kwargs` to go to".to_owned());
        }
        // A keyword that went to `**kwargs` and now names a parameter binds to it.
        for &i in &bound.extra_keywords {
            let keyword = call.arguments[i].keyword.as_deref().unwrap_or_default();
            if self.new.iter().any(|n| n.name == keyword && !matches!(n.kind, ParameterKind::VarPositional | ParameterKind::VarKeyword)) {
                return Err(format!("its keyword `{keyword}` went to `**kwargs` and would name the new parameter `{keyword}`"));
            }
        }
        keywords.sort_by_key(|(i, _)| *i);
        let order = positional.iter().chain(&keywords).map(|(i, _)| *i).collect();
        let rendered = positional.into_iter().chain(keywords).map(|(_, t)| t).collect();
        Ok((order, rendered))
    }
}

/// A call written one argument a line, each with the comment on its line
/// (`send(\n    to,  # who\n    body,\n)`): an argument moves with its
/// comment, and a dropped one takes its comment along.
struct Lines<'t> {
    /// The comment on each argument's line (with the spaces before it), or "".
    comments: Vec<&'t str>,
    /// The line break and indentation before each argument after the first.
    indent: &'t str,
    /// Whether the last argument has a comma after it.
    trailing_comma: bool,
    /// The line break and indentation before the closing parenthesis.
    closing: &'t str,
}

impl<'t> Lines<'t> {
    /// `None` unless each gap between arguments is a comma, an optional
    /// comment and one line break, and the text after the last argument
    /// is as much (its comma optional).
    fn of(gaps: &[&'t str], tail: &'t str) -> Option<Lines<'t>> {
        /// (the comment part, the line break and indentation after it).
        fn split(gap: &str) -> Option<(&str, &str)> {
            let newline = gap.find('\n')?;
            let (comment, after) = gap.split_at(newline);
            let comment_ok = comment.trim().is_empty() || comment.trim_start().starts_with('#');
            let blank_after = after[1..].chars().all(|c| c == ' ' || c == '\t');
            (comment_ok && blank_after).then_some((comment.trim_end(), after))
        }
        let mut comments = Vec::new();
        let mut indent = None;
        for gap in gaps {
            let (comment, after) = split(gap.strip_prefix(',')?)?;
            if indent.is_some_and(|i| i != after) {
                return None;
            }
            indent = Some(after);
            comments.push(comment);
        }
        let trailing_comma = tail.starts_with(',');
        let (comment, closing) = split(tail.strip_prefix(',').unwrap_or(tail))?;
        comments.push(comment);
        Some(Lines { comments, indent: indent.unwrap_or(closing), trailing_comma, closing })
    }

    /// The arguments `rendered` (from the old arguments `order`), one a
    /// line with their comments, through the closing line break.
    fn render(&self, order: &[usize], rendered: &[String]) -> String {
        let mut out = String::new();
        for (j, (&i, argument)) in order.iter().zip(rendered).enumerate() {
            out.push_str(argument);
            let last = j + 1 == rendered.len();
            if !last || self.trailing_comma {
                out.push(',');
            }
            out.push_str(self.comments.get(i).copied().unwrap_or_default());
            out.push_str(if last { self.closing } else { self.indent });
        }
        out
    }
}

#[cfg(test)]
#[path = "signature_rewrite_tests.rs"]
mod tests;
