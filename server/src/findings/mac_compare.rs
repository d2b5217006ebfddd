//! An HMAC compared with `==` or `!=` (CWE-208): the comparison stops at
//! the first byte that differs, so how long it takes tells an attacker
//! how much of a forged signature is right, byte by byte.
//! `hmac.compare_digest` takes the same time whatever matches. Only a
//! keyed digest is taken for a secret: the HMAC made in place
//! (`hmac.new(key, msg, sha256).hexdigest() == sig`), through a local
//! bound once to it or to its digest, or by `hmac.digest(...)`; a plain
//! hash compared with an expected checksum is no secret.

use ruff_python_ast::{CmpOp, Expr, ExprCompare};
use ruff_text_size::Ranged;

use super::bound::Bound;
use super::names::Names;
use super::{Category, Confidence, Finding, Severity};

const TIMING_COMPARE: &str = "LOOM660";

/// `mac == signature` (either side) where `mac` is an HMAC's digest.
pub(super) fn compare(names: &Names, compare: &ExprCompare, bound: &Bound) -> Option<Finding> {
    let ([op], [right]) = (compare.ops.as_ref(), compare.comparators.as_ref()) else { return None };
    // Asked of every comparison: most files make no HMAC.
    if !names.imports("hmac") || !matches!(op, CmpOp::Eq | CmpOp::NotEq) || ![compare.left.as_ref(), right].into_iter().any(|side| is_mac(names, side, bound)) {
        return None;
    }
    let mut finding = Finding::new(
        compare.start().to_usize()..compare.end().to_usize(),
        TIMING_COMPARE,
        Category::Security,
        Severity::Warning,
        "An HMAC compared with `==` takes longer the more of it matches, so a signature can be guessed byte by byte; use `hmac.compare_digest`".into(),
    );
    finding.confidence = Some(Confidence::High);
    Some(finding)
}

/// Whether `expr` is an HMAC's digest, or a local bound once to one.
fn is_mac(names: &Names, expr: &Expr, bound: &Bound) -> bool {
    match expr {
        Expr::Name(name) => bound.local(name.id.as_str()).is_some_and(|value| is_digest(names, value, bound)),
        other => is_digest(names, other, bound),
    }
}

/// `hmac.digest(key, msg, "sha256")`, `<hmac>.digest()`, `<hmac>.hexdigest()`.
fn is_digest(names: &Names, expr: &Expr, bound: &Bound) -> bool {
    let Expr::Call(call) = expr else { return false };
    let Expr::Attribute(method) = call.func.as_ref() else { return false };
    if !matches!(method.attr.as_str(), "digest" | "hexdigest") {
        return false;
    }
    let made = match method.value.as_ref() {
        Expr::Name(name) => bound.local(name.id.as_str()),
        other => Some(other),
    };
    let made_by = |made: &Expr| match made {
        Expr::Call(made) => names.qualified(&made.func),
        _ => None,
    };
    made.and_then(made_by).is_some_and(|q| matches!(q.as_str(), "hmac.new" | "hmac.HMAC")) || names.qualified(&call.func).as_deref() == Some("hmac.digest")
}
