//! Sinks written as an item assignment rather than a call: the session
//! (`session["user"] = x`) and a response's `Location` header
//! (`resp.headers["Location"] = url`, Django's `response["Location"] =
//! url`), a redirect as much as `redirect(url)` is.

use std::path::Path;

use ruff_python_ast::{Expr, ExprSubscript};

use super::eval::Scope;
use super::sinks::{Family, finding};
use super::value::{Value, range};
use super::verdict::reaches;
use crate::findings::Finding;

/// The finding of `target = value` when the target is one of these sinks.
pub(super) fn stored(scope: &Scope, target: &Expr, value: Value, path: &Path) -> Option<Finding> {
    let Expr::Subscript(item) = target else { return None };
    if location_header(scope, &item.value, &item.slice) {
        return reaches(Family::Redirect, &value).then(|| finding(Family::Redirect, "Location", value, range(target), path));
    }
    session_store(scope, target, item, value, path)
}

/// Data from the client stored in the session (`session["user"] = x`,
/// Django's `request.session[...]`): later requests trust it as the
/// program's own (a trust boundary crossed unchecked). Escaping does not
/// check it, so it is not asked of the value.
fn session_store(scope: &Scope, target: &Expr, item: &ExprSubscript, value: Value, path: &Path) -> Option<Finding> {
    // A key of the client's is as much theirs as a value.
    let value = value.tainted_by(scope.eval(&item.slice));
    let session = scope.names.qualified(&item.value).is_some_and(|q| matches!(q.as_str(), "flask.session" | "quart.session"))
        || matches!(item.value.as_ref(), Expr::Attribute(a) if a.attr.as_str() == "session" && matches!(a.value.as_ref(), Expr::Name(n) if n.id.as_str() == "request"));
    (session && reaches(Family::Session, &value)).then(|| finding(Family::Session, "session", value, range(target), path))
}

/// Whether `headers[key]` names a response's `Location` header: an item
/// of a `headers` mapping (Flask, Starlette), or of the response itself
/// in a file that imports Django (whose responses take headers so).
fn location_header(scope: &Scope, headers: &Expr, key: &Expr) -> bool {
    let Expr::StringLiteral(key) = key else { return false };
    key.value.to_str().eq_ignore_ascii_case("location")
        && (matches!(headers, Expr::Attribute(a) if a.attr.as_str() == "headers") || scope.names.imports("django"))
}
