//! Host checks that let other hosts through (CWE-20): a parsed URL's host
//! compared by its end without the dot before the domain
//! (`netloc.endswith(domain)` accepts `evil-example.com`), or by
//! containment (`domain in netloc` accepts `example.com.evil.net`). What
//! the host is compared with does not matter: a constant domain is as
//! easily passed as a parameter. A suffix that starts with the dot
//! (`"." + domain`, `".example.com"`, `f".{domain}"`) checks whole labels,
//! and a character looked for in the host (`":" in netloc`) is no domain.
//! The same mistakes on a whole URL: `url.startswith("https://example.com")`
//! without the `/` after the host, `url.endswith("example.com")` and
//! `"example.com" in url`.

use ruff_python_ast::{CmpOp, Expr, ExprCall, ExprCompare};
use ruff_text_size::Ranged;

use super::bound::Bound;
use super::{Category, Confidence, Finding, Severity};

const PARTIAL_HOST: &str = "LOOM655";

/// `host.endswith(domain)` without the dot; `url.startswith(prefix)` with
/// a prefix that ends inside the host.
pub(super) fn call(call: &ExprCall, bound: &Bound) -> Option<Finding> {
    let Expr::Attribute(method) = call.func.as_ref() else { return None };
    if method.attr.as_str() == "startswith" {
        let open_host = match call.arguments.args.as_ref() {
            [Expr::StringLiteral(prefix)] => ends_in_the_host(prefix.value.to_str()),
            _ => false,
        };
        let message = "The URL is checked by a prefix that ends inside the host: `https://example.com.evil.net` starts with `https://example.com`; \
                       end the prefix with the `/` after the host, or compare the parsed host";
        return open_host.then(|| finding(call, message));
    }
    if method.attr.as_str() != "endswith" {
        return None;
    }
    // `url.endswith("example.com")`: any URL may end so
    // (`https://evil.net/?example.com`). A `target` may as well be a
    // file's, whose name ends so.
    if let [Expr::StringLiteral(suffix)] = call.arguments.args.as_ref()
        && ends_in_a_domain(suffix.value.to_str())
        && names_a_url(&method.value)
        && !matches!(method.value.as_ref(), Expr::Name(n) if n.id.as_str().to_ascii_lowercase().contains("target"))
    {
        let message = "The URL is checked by its end: `https://evil.net/?example.com` ends with `example.com`; compare the parsed host";
        return Some(finding(call, message));
    }
    if !may_name_a_host(&method.value) || !is_host(&method.value, bound) {
        return None;
    }
    let [suffix] = call.arguments.args.as_ref() else { return None };
    let partial = match suffix {
        Expr::Tuple(t) => t.elts.iter().any(|e| partial_suffix(e, bound)),
        _ => partial_suffix(suffix, bound),
    };
    let message = "The host is checked by its end without the dot before the domain: `evil-example.com` ends with `example.com`; \
                   compare `host == domain or host.endswith(\".\" + domain)`";
    partial.then(|| finding(call, message))
}

/// `domain in host` (or `not in`).
pub(super) fn compare(compare: &ExprCompare, bound: &Bound) -> Option<Finding> {
    let ([op], [host]) = (compare.ops.as_ref(), compare.comparators.as_ref()) else { return None };
    if !matches!(op, CmpOp::In | CmpOp::NotIn) {
        return None;
    }
    // `"example.com" in url`: a URL holds the domain anywhere, in its path or query too.
    if let Expr::StringLiteral(domain) = compare.left.as_ref()
        && looks_like_a_domain(domain.value.to_str())
        && names_a_url(host)
    {
        let message = "The URL is checked by what it contains: `https://evil.net/?example.com` contains `example.com`; compare the parsed host";
        return Some(finding(compare, message));
    }
    if !may_name_a_host(host) || !is_host(host, bound) {
        return None;
    }
    let looked_for = match compare.left.as_ref() {
        Expr::StringLiteral(s) => looks_like_a_domain(s.value.to_str()),
        _ => true,
    };
    let message = "The host is checked by what it contains: `example.com.evil.net` contains `example.com`; \
                   compare `host == domain or host.endswith(\".\" + domain)`";
    looked_for.then(|| finding(compare, message))
}

/// A cheap look at the text before the names are read: the host is an
/// attribute `netloc`/`hostname` or a name that says it holds one.
fn may_name_a_host(expr: &Expr) -> bool {
    match expr {
        Expr::Attribute(a) => matches!(a.attr.as_str(), "netloc" | "hostname"),
        Expr::Name(n) => ["host", "netloc", "domain"].iter().any(|w| n.id.as_str().to_ascii_lowercase().contains(w)),
        Expr::Call(call) => matches!(call.func.as_ref(), Expr::Attribute(m) if m.attr.as_str() == "lower" && may_name_a_host(&m.value)),
        _ => false,
    }
}

/// Whether `expr` is the host of a parsed URL: `urlparse(u).netloc`,
/// `parts.hostname`, lower-cased, or a local bound once to one.
fn is_host(expr: &Expr, bound: &Bound) -> bool {
    match expr {
        Expr::Attribute(a) => matches!(a.attr.as_str(), "netloc" | "hostname"),
        Expr::Call(call) => matches!(call.func.as_ref(), Expr::Attribute(m) if m.attr.as_str() == "lower" && is_host(&m.value, bound)),
        Expr::Name(n) => bound.local(n.id.as_str()).is_some_and(|value| !value.is_name_expr() && is_host(value, bound)),
        // `urlparse(u).hostname or ""`: the host, or nothing.
        Expr::BoolOp(b) => b.values.first().is_some_and(|first| is_host(first, bound)),
        _ => false,
    }
}

/// Whether a suffix a host is checked against may match inside a label.
fn partial_suffix(suffix: &Expr, bound: &Bound) -> bool {
    match suffix {
        Expr::StringLiteral(s) => {
            let text = s.value.to_str();
            !text.starts_with('.') && looks_like_a_domain(text)
        }
        Expr::BinOp(op) => !starts_with_dot(&op.left),
        Expr::FString(_) => !starts_with_dot(suffix),
        Expr::Name(n) => match bound.local(n.id.as_str()) {
            Some(value) if !value.is_name_expr() => partial_suffix(value, bound),
            _ => bound.constant(n.id.as_str()).is_none_or(|text| !text.starts_with('.')),
        },
        _ => true,
    }
}

/// `"." + domain`, `f".{domain}"`.
fn starts_with_dot(expr: &Expr) -> bool {
    match expr {
        Expr::StringLiteral(s) => s.value.to_str().starts_with('.'),
        Expr::FString(f) => f.value.elements().next().and_then(|e| e.as_literal()).is_some_and(|l| l.value.starts_with('.')),
        Expr::BinOp(op) => starts_with_dot(&op.left),
        _ => false,
    }
}

/// `https://example.com`: a scheme and a host, nothing after it (a prefix
/// check with it lets any longer host through).
fn ends_in_the_host(prefix: &str) -> bool {
    prefix.split_once("://").is_some_and(|(scheme, rest)| {
        !scheme.is_empty()
            && scheme.chars().all(|c| c.is_ascii_alphabetic())
            && looks_like_a_domain(rest)
            && !rest.contains(['/', '?', '#', ':', '@', '{', '%'])
    })
}

/// A name or attribute that says it holds a URL: `url`, `next_url`,
/// `request.referrer`'s like (`link`, `href`, `redirect_to`, `target`).
fn names_a_url(expr: &Expr) -> bool {
    let name = match expr {
        Expr::Name(n) => n.id.as_str(),
        Expr::Attribute(a) => a.attr.as_str(),
        _ => return false,
    };
    let name = name.to_ascii_lowercase();
    name == "url"
        || name.ends_with("_url")
        || name.starts_with("url_")
        || ["uri", "link", "href", "redirect", "target", "referer", "referrer"].iter().any(|w| name.contains(w))
}

/// A domain rather than a character or a port: a dot between letters.
/// A whole domain a URL may be checked to end with (`example.com`, not
/// a file's `.pdf`, `setup.py` or `/index.html`): labels ending in a
/// common top-level domain.
fn ends_in_a_domain(text: &str) -> bool {
    const TOP_LEVEL: &[&str] =
        &["com", "org", "net", "io", "gov", "edu", "co", "uk", "de", "fr", "eu", "us", "dev", "app", "cloud", "info", "biz", "internal", "local", "corp"];
    !text.starts_with('.')
        && !text.contains(['/', '?', '#', ':'])
        && text.rsplit_once('.').is_some_and(|(host, top)| !host.is_empty() && TOP_LEVEL.contains(&top))
}

fn looks_like_a_domain(text: &str) -> bool {
    text.contains('.') && text.chars().any(|c| c.is_ascii_alphabetic())
}

fn finding(at: &impl Ranged, message: &str) -> Finding {
    let range = at.range().start().to_usize()..at.range().end().to_usize();
    let mut finding = Finding::new(range, PARTIAL_HOST, Category::Security, Severity::Warning, message.to_owned());
    // The comparison may choose an API by host rather than guard anything.
    finding.confidence = Some(Confidence::Medium);
    finding
}
