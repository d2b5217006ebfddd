//! Checks that keep a redirect target on this site when read together:
//! each of them alone lets a spelling through that browsers send to
//! another host, so only their conjunction is a guard.
//!
//! - no host (`if urlparse(u).netloc: abort(400)`) lets `https:evil.com`
//!   through (a scheme and no `//`: no netloc, yet browsers go to
//!   `evil.com`) and `/\evil.com` or `\\evil.com` (browsers read `\` as
//!   `/`): it needs no scheme and no `\` as well, as Django's
//!   `url_has_allowed_host_and_scheme` checks;
//! - a path of the site (`u.startswith("/") and not u.startswith("//")`)
//!   lets `/\evil.com` through: it needs `/\` (or any `\`) refused too.

use std::ops::Range;

use ruff_python_ast::{CmpOp, Expr, UnaryOp};

use super::eval::Scope;
use super::guards::{Verdict, host_of};
use super::value::Const;

/// What the parts of a check that hold together say of one URL.
#[derive(Debug, Default, Clone, Copy)]
struct Facts {
    /// No netloc (or hostname): no `//host` after the scheme.
    no_host: bool,
    no_scheme: bool,
    /// No `\` anywhere in it.
    no_backslash: bool,
    /// It starts with `/`.
    slash: bool,
    /// It does not start with `//`.
    no_double_slash: bool,
    /// It does not start with `/\`.
    no_slash_backslash: bool,
}

impl Facts {
    /// Whether every spelling browsers send to another host is refused.
    fn same_site(self) -> bool {
        (self.no_host && self.no_scheme && self.no_backslash) || (self.slash && self.no_double_slash && (self.no_slash_backslash || self.no_backslash))
    }
}

/// The URLs the parts of a conjunction (each holding where `holds` says,
/// or each failing) together leave on this site: [`Verdict::Vetted`].
pub(super) fn judge(scope: &Scope, parts: &[Expr], holds: bool) -> Vec<(String, Verdict)> {
    // By where the URL's data entered: `parts = urlparse(u)` and `u` hold
    // the same.
    let mut urls: Vec<(Range<usize>, String, Facts)> = Vec::new();
    for part in parts {
        let Some((name, fact)) = fact(scope, part, holds) else { continue };
        let Some(entered) = entered(scope, &name) else { continue };
        match urls.iter_mut().find(|(range, ..)| *range == entered) {
            Some((.., facts)) => fact(facts),
            None => {
                let mut facts = Facts::default();
                fact(&mut facts);
                urls.push((entered, name, facts));
            }
        }
    }
    urls.into_iter().filter(|(.., facts)| facts.same_site()).map(|(_, name, _)| (name, Verdict::Vetted)).collect()
}

fn entered(scope: &Scope, name: &str) -> Option<Range<usize>> {
    scope.locals.get(name).or_else(|| scope.globals.get(name))?.entry.as_ref().map(|e| e.range.clone())
}

type Fact = fn(&mut Facts);

/// What one part says of a URL (by the name it reads) where it holds
/// (`holds`) or fails.
fn fact(scope: &Scope, part: &Expr, holds: bool) -> Option<(String, Fact)> {
    match part {
        Expr::UnaryOp(u) if u.op == UnaryOp::Not => fact(scope, &u.operand, !holds),
        Expr::Compare(c) => {
            let ([op], [right]) = (c.ops.as_ref(), c.comparators.as_ref()) else { return None };
            compared(scope, &c.left, *op, right, holds)
        }
        Expr::Call(call) => {
            let Expr::Attribute(method) = call.func.as_ref() else { return None };
            let Expr::Name(url) = method.value.as_ref() else { return None };
            if method.attr.as_str() != "startswith" || call.arguments.args.len() != 1 {
                return None;
            }
            let prefixes: Vec<String> = match &call.arguments.args[0] {
                Expr::Tuple(t) => t.elts.iter().map(|p| literal(scope, p)).collect::<Option<_>>()?,
                prefix => vec![literal(scope, prefix)?],
            };
            let has = |p: &str| prefixes.iter().any(|q| q == p);
            let fact: Fact = match (holds, prefixes.as_slice()) {
                (true, [only]) if only == "/" => |f| f.slash = true,
                (false, _) if has("//") && has("/\\") => |f| {
                    f.no_double_slash = true;
                    f.no_slash_backslash = true;
                },
                (false, _) if has("//") => |f| f.no_double_slash = true,
                (false, _) if has("/\\") => |f| f.no_slash_backslash = true,
                _ => return None,
            };
            Some((url.id.to_string(), fact))
        }
        // `if parts.netloc: abort(400)`: where it fails, no host.
        _ if !holds => {
            let (url, read) = host_of(scope, part)?;
            Some((url, if read == "scheme" { |f| f.no_scheme = true } else { |f| f.no_host = true }))
        }
        _ => None,
    }
}

/// `"\\" not in u`, `parts.netloc == ""`, `parts.hostname is None`,
/// `parts.scheme == ""`.
fn compared(scope: &Scope, left: &Expr, op: CmpOp, right: &Expr, holds: bool) -> Option<(String, Fact)> {
    let absent = matches!((op, holds), (CmpOp::NotIn, true) | (CmpOp::In, false));
    if absent && literal(scope, left).is_some_and(|l| l == "\\") {
        return Some((right.as_name_expr()?.id.to_string(), |f| f.no_backslash = true));
    }
    let empty = matches!((op, holds), (CmpOp::Eq | CmpOp::Is, true) | (CmpOp::NotEq | CmpOp::IsNot, false));
    let nothing = right.is_none_literal_expr() || literal(scope, right).is_some_and(|r| r.is_empty());
    if !(empty && nothing) {
        return None;
    }
    let (url, read) = host_of(scope, left)?;
    Some((url, if read == "scheme" { |f| f.no_scheme = true } else { |f| f.no_host = true }))
}

fn literal(scope: &Scope, expr: &Expr) -> Option<String> {
    match scope.eval(expr).known {
        Some(Const::Str(text)) if scope.eval(expr).entry.is_none() => Some(text),
        _ => None,
    }
}
