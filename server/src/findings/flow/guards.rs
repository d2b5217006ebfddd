//! Guards: checks in a condition that, where they hold, leave a value safe
//! — a path inside its folder after normalisation, a member of an
//! allow-list, a string of digits, a URL whose host is compared — and
//! checks the flow cannot judge (the program's own validator), which lower
//! a finding's confidence instead of silencing it. [`super::branches`]
//! applies them to the clause a check guards, and to the code after a
//! clause that returns, raises or aborts when the check fails.

use regex_syntax::hir::{Class, Hir, HirKind, Literal};

use ruff_python_ast::comparable::ComparableExpr;
use ruff_python_ast::{BoolOp, CmpOp, Expr, ExprCall, UnaryOp};

use super::eval::Scope;
use super::locals::Locals;
use super::redirect_checks;
use super::value::{Const, Value};
use super::verdict;

/// What a check says of a name where it holds (or fails).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Verdict {
    /// Nothing of the client's is left that a sink could misuse.
    Safe,
    /// One of the program's constants (`x in ("a", "b")`, `x == "a"`), or
    /// letters, digits and `_` alone (`x.isalnum()`, `re.fullmatch(r"\w+",
    /// x)`): [`Verdict::Safe`], and a judged `S` finding on it is as weak
    /// as one on a constant.
    Harmless,
    /// A URL of this site: safe to redirect to.
    Vetted,
    /// A URL whose host is one of the program's constants: safe to
    /// redirect to and to request (its path and query are still the
    /// client's).
    HostListed,
    /// Checked by something the flow cannot read.
    Unjudged,
}

impl Verdict {
    /// The verdict that holds whichever of two holds.
    fn weakest(self, other: Verdict) -> Verdict {
        let strength = |v: Verdict| match v {
            Verdict::Unjudged => 0,
            Verdict::Vetted => 1,
            Verdict::HostListed => 2,
            Verdict::Safe => 3,
            Verdict::Harmless => 4,
        };
        if strength(other) < strength(self) { other } else { self }
    }
}

/// Calls that normalise a path: a containment check after them is sound
/// (`"/srv/../etc"` no longer starts with `/srv`).
const NORMALISERS: &[&str] = &["os.path.realpath", "os.path.abspath", "os.path.normpath", "posixpath.normpath", "pathlib.Path.resolve"];

/// Checks of a string's characters that leave no separator, quote or dot.
const CHARACTER_CHECKS: &[&str] = &["isdigit", "isdecimal", "isnumeric", "isalnum", "isalpha", "isidentifier"];

/// Words in the name of a function that checks a value (`is_allowed`,
/// `validate_path`, `check_host`): the program's own validators.
const VALIDATOR_WORDS: &[&str] = &["valid", "safe", "allow", "check", "verify", "sanit", "clean", "permit", "trust", "match", "search"];

/// What `test` says of the names it checks when it holds (`holds`) or when
/// it fails.
pub(super) fn judge(scope: &Scope, test: &Expr, holds: bool) -> Vec<(String, Verdict)> {
    match test {
        Expr::UnaryOp(u) if u.op == UnaryOp::Not => judge(scope, &u.operand, !holds),
        // Each part of `a and b` holds where it holds; each part of `a or b`
        // fails where it fails.
        Expr::BoolOp(b) if (b.op == BoolOp::And) == holds => {
            let mut verdicts: Vec<(String, Verdict)> = b.values.iter().flat_map(|v| judge(scope, v, holds)).collect();
            verdicts.extend(redirect_checks::judge(scope, &b.values, holds));
            verdicts
        }
        // `a or b` holds where either part does: what every part says of a
        // name, the weakest of it, holds of it.
        Expr::BoolOp(b) => {
            let mut parts = b.values.iter().map(|v| judge(scope, v, holds));
            let first = parts.next().unwrap_or_default();
            parts.fold(first, |common, next| {
                common.into_iter().filter_map(|(name, v)| next.iter().find(|(n, _)| *n == name).map(|(_, w)| (name, v.weakest(*w)))).collect()
            })
        }
        Expr::Compare(c) => match (c.ops.as_ref(), c.comparators.as_ref()) {
            ([op], [right]) => compare(scope, &c.left, *op, right, holds),
            _ => Vec::new(),
        },
        Expr::Call(call) => checked_by_call(scope, call, holds),
        // A URL without a host (`if urlparse(url).netloc: abort(400)`) may
        // still lead to another site (`https:evil.com`, `/\evil.com`): only
        // with its scheme and `\` checked too, which [`redirect_checks`]
        // reads of a conjunction.
        _ => Vec::new(),
    }
}

/// Applies verdicts to the names a function holds: what a safe name held,
/// wherever else it went before the check, is safe too.
/// The names are copied (see [`Locals`]) only where a verdict changes one.
pub(super) fn apply(locals: &mut Locals, verdicts: &[(String, Verdict)]) {
    for (name, verdict) in verdicts {
        let Some(entered) = locals.get(name).and_then(|v| v.entry.as_ref()).map(|e| e.range.clone()) else { continue };
        for value in locals.values_mut() {
            let Some(entry) = value.entry.as_mut().filter(|e| e.range == entered) else { continue };
            match verdict {
                Verdict::Safe => value.entry = None,
                Verdict::Harmless => {
                    value.entry = None;
                    value.alternatives = true;
                }
                Verdict::Vetted => entry.vetted = true,
                Verdict::HostListed => {
                    entry.vetted = true;
                    entry.host_listed = true;
                }
                Verdict::Unjudged => entry.unjudged = true,
            }
        }
    }
}

fn compare(scope: &Scope, left: &Expr, op: CmpOp, right: &Expr, holds: bool) -> Vec<(String, Verdict)> {
    let member = matches!((op, holds), (CmpOp::In, true) | (CmpOp::NotIn, false));
    let equal = matches!((op, holds), (CmpOp::Eq, true) | (CmpOp::NotEq, false));
    // A parsed URL's host compared: the URL is this site's (or a listed
    // one); compared with the program's constants, it leads to no other
    // host. The scheme alone says nothing of where (`//evil.example` has
    // none, `https://evil.example` the one allowed): no verdict.
    if let Some((url, _)) = host_of(scope, left).filter(|(_, part)| (member || equal) && *part != "scheme") {
        // An empty host allowed (`netloc in ("", "example.com")`,
        // `netloc == ""`) lets `https:evil.com` through: see
        // [`redirect_checks`].
        if allows_no_host(scope, right) {
            return Vec::new();
        }
        let listed = (member && allow_list(scope, right)) || (equal && scope.eval(right).entry.is_none());
        return vec![(url, if listed { Verdict::HostListed } else { Verdict::Vetted })];
    }
    // `os.path.commonpath([base, p]) == base` on a normalised `p`: it is
    // inside base (the paths are compared by component, not by text).
    if let (true, Expr::Call(call)) = (equal, left)
        && scope.names.qualified(&call.func).is_some_and(|n| n == "os.path.commonpath")
    {
        return compared_paths(scope, call, right).iter().flat_map(|p| normalised(scope, p)).map(|n| (n, Verdict::Safe)).collect();
    }
    // `os.path.commonprefix([p, base]) == base`: `p` starts with `base`,
    // compared by character (a sibling `/srv/data-old` passes).
    if let (true, Expr::Call(call)) = (equal, left)
        && scope.names.qualified(&call.func).is_some_and(|n| n == "os.path.commonprefix")
    {
        return compared_paths(scope, call, right).iter().flat_map(|p| normalised(scope, p)).map(|n| (n, Verdict::Unjudged)).collect();
    }
    let Some(name) = name_of(left) else { return Vec::new() };
    if (member && allow_list(scope, right)) || (equal && scope.eval(right).entry.is_none()) {
        let constants = scope.eval(right).computed_from_constants();
        return vec![(name, if constants { Verdict::Harmless } else { Verdict::Safe })];
    }
    Vec::new()
}

/// The paths `os.path.commonpath([p, base])` (or `commonprefix`) is
/// given, when one of them is `base`, the value it is compared with:
/// none otherwise. `commonpath` gives a path without a trailing
/// separator: the base is compared as a normaliser gives it
/// (`normpath(BASE)`).
fn compared_paths<'e>(scope: &Scope, call: &'e ExprCall, base: &Expr) -> &'e [Expr] {
    let paths = match call.arguments.args.first() {
        Some(Expr::List(l)) => &l.elts[..],
        Some(Expr::Tuple(t)) => &t.elts[..],
        _ => &[],
    };
    let base = ComparableExpr::from(without_normaliser(scope, base));
    if paths.iter().any(|p| ComparableExpr::from(without_normaliser(scope, p)) == base) { paths } else { &[] }
}

/// `x.startswith(base)` on a normalised path, `x.isdigit()`, Django's
/// `url_has_allowed_host_and_scheme(x)`, or a call the flow cannot judge.
fn checked_by_call(scope: &Scope, call: &ExprCall, holds: bool) -> Vec<(String, Verdict)> {
    let name = scope.names.qualified(&call.func).unwrap_or_default();
    if let Expr::Attribute(method) = call.func.as_ref() {
        let receiver = method.value.as_ref();
        match method.attr.as_str() {
            // `/srv/data-evil` starts with `/srv/data`: only a prefix that
            // ends in a separator is the folder's. A URL that starts with a
            // path of this site (`/profile/`, not `//`) or with a host and
            // the `/` after it stays on that site.
            "startswith" if holds => {
                // A normalised path that starts with a prefix of no
                // separator (`realpath(p).startswith(BASE)`) is inside the
                // folder or a sibling named like it (`/srv/data-old`): a
                // containment check, not a sound one.
                let verdict = if folder_prefix(scope, call) { Verdict::Safe } else { Verdict::Unjudged };
                let mut verdicts: Vec<(String, Verdict)> = normalised(scope, receiver).into_iter().map(|n| (n, verdict)).collect();
                let site = |p: &Expr| matches!(scope.eval(p).known, Some(Const::Str(text)) if verdict::same_site(&text));
                if prefixes(call).next().is_some() && prefixes(call).all(site) {
                    verdicts.extend(name_of(receiver).map(|n| (n, Verdict::Vetted)));
                }
                return verdicts;
            }
            // A parsed URL's host under the program's own domain
            // (`host.endswith(".example.com")`; `endswith("example.com")`
            // lets `evilexample.com` through).
            "endswith" if holds && let Some((url, _)) = host_of(scope, receiver).filter(|(_, part)| *part != "scheme") => {
                let subdomain = |p: &Expr| matches!(scope.eval(p).known, Some(Const::Str(text)) if text.len() > 1 && text.starts_with('.'));
                let listed = prefixes(call).next().is_some() && prefixes(call).all(subdomain);
                return if listed { vec![(url, Verdict::HostListed)] } else { Vec::new() };
            }
            "is_relative_to" if holds => return normalised(scope, receiver).into_iter().map(|n| (n, Verdict::Safe)).collect(),
            m if CHARACTER_CHECKS.contains(&m) && holds => return name_of(receiver).into_iter().map(|n| (n, Verdict::Harmless)).collect(),
            // A check of the text the flow does not read as containment
            // (`x.startswith(prefix)` of a path not normalised, or of a
            // prefix that is no folder) proves nothing.
            "startswith" | "endswith" | "is_relative_to" => return Vec::new(),
            _ => {}
        }
    }
    let arguments = || call.arguments.args.iter().chain(call.arguments.keywords.iter().map(|k| &k.value)).filter_map(name_of);
    if holds && let Some(checked) = allow_listed_by_pattern(call, &name) {
        return vec![(checked, Verdict::Harmless)];
    }
    if holds && (name.ends_with("url_has_allowed_host_and_scheme") || name.ends_with("is_safe_url")) {
        return call.arguments.find_argument_value("url", 0).and_then(name_of).map(|n| vec![(n, Verdict::Vetted)]).unwrap_or_default();
    }
    // A function that only tests something else of the value
    // (`os.path.exists(p)`, `isinstance(x, str)`) checks nothing.
    let callee = name.rsplit('.').next().unwrap_or_default().to_ascii_lowercase();
    if !(callee.starts_with("is_") || VALIDATOR_WORDS.iter().any(|w| callee.contains(w))) || callee == "isinstance" {
        return Vec::new();
    }
    arguments().map(|n| (n, Verdict::Unjudged)).collect()
}

/// The name `re.fullmatch(pattern, x)` (or `re.match`/`re.search` anchored
/// with `\Z`, not `$`, which lets a final newline through) leaves made of
/// letters, digits and `_` alone: no separator, quote, dot or shell
/// character. Flags are not read (`re.M` moves `^`), so a call with them
/// checks nothing the flow can judge.
fn allow_listed_by_pattern(call: &ExprCall, name: &str) -> Option<String> {
    let whole = match name {
        "re.fullmatch" => true,
        "re.match" | "re.search" => false,
        _ => return None,
    };
    let args = &call.arguments;
    let [Expr::StringLiteral(pattern), checked] = args.args.as_ref() else { return None };
    if !args.keywords.is_empty() {
        return None;
    }
    let pattern = pattern.value.to_str();
    let anchored_end = pattern.ends_with(r"\Z") && !pattern.ends_with(r"\\Z");
    let anchored_start = name != "re.search" || pattern.starts_with('^') || pattern.starts_with(r"\A");
    let anchored = anchored_end && anchored_start;
    if !(whole || anchored) {
        return None;
    }
    let hir = regex_syntax::ParserBuilder::new().build().parse(&pattern.replace(r"\Z", r"\z")).ok()?;
    // `^a|b\Z` anchors each side once: the top must be one sequence.
    if !whole && matches!(hir.kind(), HirKind::Alternation(_)) {
        return None;
    }
    word_only(&hir).then(|| name_of(checked)).flatten()
}

/// Whether every text a pattern matches is made of word characters: of
/// ASCII, letters, digits and `_` (the separators, quotes and shell
/// characters are all ASCII; Python's `\w` also takes other scripts').
fn word_only(hir: &Hir) -> bool {
    let word = |c: char| !c.is_ascii() || c.is_ascii_alphanumeric() || c == '_';
    match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => true,
        HirKind::Literal(Literal(bytes)) => std::str::from_utf8(bytes).is_ok_and(|text| text.chars().all(word)),
        HirKind::Class(Class::Unicode(class)) => class.ranges().iter().all(|r| (r.start()..=r.end().min('\u{7f}')).all(word)),
        HirKind::Class(Class::Bytes(_)) => false,
        HirKind::Repetition(r) => word_only(&r.sub),
        HirKind::Capture(c) => word_only(&c.sub),
        HirKind::Concat(parts) | HirKind::Alternation(parts) => parts.iter().all(word_only),
    }
}

/// Whether the prefix `x.startswith(prefix)` checks (each of a tuple of
/// them) ends in a path separator: `base + os.sep`, `"/srv/data/"`,
/// `os.path.join(base, "")`.
fn folder_prefix(scope: &Scope, call: &ExprCall) -> bool {
    let mut prefixes = prefixes(call).peekable();
    prefixes.peek().is_some() && prefixes.all(|p| scope.eval(p).ends_in_separator())
}

/// The prefixes `x.startswith(...)` checks: its argument, or each of a tuple.
fn prefixes(call: &ExprCall) -> impl Iterator<Item = &Expr> {
    let (one, many) = match call.arguments.args.first() {
        Some(Expr::Tuple(t)) => (None, &t.elts[..]),
        Some(prefix) => (Some(prefix), &[][..]),
        None => (None, &[][..]),
    };
    one.into_iter().chain(many)
}

/// `os.path.normpath(base)` (any normaliser of one path) as `base`.
fn without_normaliser<'e>(scope: &Scope, expr: &'e Expr) -> &'e Expr {
    match expr {
        Expr::Call(call) if call.arguments.keywords.is_empty() && scope.names.qualified(&call.func).is_some_and(|n| NORMALISERS.contains(&n.as_str())) => {
            match call.arguments.args.as_ref() {
                [path] => path,
                _ => expr,
            }
        }
        _ => expr,
    }
}

/// The names a statement leaves inside their folder when it completes:
/// `p.resolve().relative_to(base)` raises for a path outside it, so the
/// code after it (in its `try` or after the function's own) has a path
/// inside.
pub(super) fn contained_unless_raised(scope: &Scope, calls: &[&ExprCall]) -> Vec<(String, Verdict)> {
    calls
        .iter()
        .filter_map(|call| match call.func.as_ref() {
            Expr::Attribute(method) if method.attr.as_str() == "relative_to" && !call.arguments.is_empty() => Some(normalised(scope, &method.value)),
            _ => None,
        })
        .flatten()
        .map(|n| (n, Verdict::Safe))
        .collect()
}

/// The names a containment check's receiver is the normalised form of:
/// `os.path.realpath(x)` written in place, or a local that holds one.
fn normalised(scope: &Scope, receiver: &Expr) -> Vec<String> {
    // `Path(x).resolve()`, `p.resolve()`: a method call's name is its
    // receiver's as written (`p.resolve`).
    let is_normaliser = |made_by: Option<&str>| made_by.is_some_and(|m| NORMALISERS.contains(&m) || m.ends_with(".resolve"));
    match receiver {
        Expr::Name(n) if is_normaliser(scope.eval(receiver).made_by.as_deref()) => vec![n.id.to_string()],
        // `(p := os.path.realpath(x)).startswith(...)`: both `p` and `x`.
        Expr::Named(named) if is_normaliser(scope.eval(&named.value).made_by.as_deref()) => {
            let mut names = normalised(scope, &named.value);
            names.extend(name_of(&named.target));
            names
        }
        Expr::Call(call) if is_normaliser(scope.eval(receiver).made_by.as_deref()) => {
            let mut names: Vec<String> = call.arguments.args.iter().filter_map(name_of).collect();
            // `Path(x).resolve()` or `p.resolve()`: the path the method is
            // called on.
            if let Expr::Attribute(a) = call.func.as_ref() {
                match a.value.as_ref() {
                    Expr::Call(inner) => names.extend(inner.arguments.args.iter().filter_map(name_of)),
                    other => names.extend(name_of(other)),
                }
            }
            names
        }
        _ => Vec::new(),
    }
}

/// The URL whose host or scheme `expr` reads, and which of them it
/// reads: `urlparse(u).netloc`, `.netloc` of a local that holds
/// `urlparse(u)` (then the name of that local, whose entry is the URL's),
/// or a local that holds `urlparse(u).hostname` (its own name: its entry
/// is the URL's too).
pub(super) fn host_of<'e>(scope: &Scope, expr: &'e Expr) -> Option<(String, &'e str)> {
    if let Expr::Name(n) = expr {
        let part = scope.eval(expr).made_by?.strip_prefix(URL_PART)?.to_owned();
        return URL_PARTS.iter().find(|p| **p == part).map(|p| (n.id.to_string(), *p));
    }
    let Expr::Attribute(a) = expr else { return None };
    let part = URL_PARTS.iter().find(|p| **p == a.attr.as_str())?;
    if !parsed_url(&scope.eval(&a.value)) {
        return None;
    }
    let url = match a.value.as_ref() {
        Expr::Call(call) => call.arguments.args.first().and_then(name_of),
        other => name_of(other),
    }?;
    Some((url, part))
}

/// The parts of a parsed URL that say where it leads.
pub(super) const URL_PARTS: &[&str] = &["netloc", "hostname", "scheme"];

/// What [`Value::made_by`] says of a part of a parsed URL read into a
/// local (`host = urlparse(u).hostname`), before the part's name.
pub(super) const URL_PART: &str = "urlparse().";

/// Whether a value holds `urlparse(u)` or `urlsplit(u)`.
pub(super) fn parsed_url(value: &Value) -> bool {
    value.made_by.as_ref().is_some_and(|m| m.ends_with("urlparse") || m.ends_with("urlsplit"))
}

/// Whether the hosts a URL's host is compared with hold an empty one (or
/// `None`): `""`, or a collection or a local with one among its items.
fn allows_no_host(scope: &Scope, expr: &Expr) -> bool {
    let empty = |value: &Value| matches!(&value.known, Some(Const::Str(text)) if text.is_empty()) && value.entry.is_none();
    let elements = match expr {
        Expr::List(l) => &l.elts[..],
        Expr::Tuple(t) => &t.elts[..],
        Expr::Set(s) => &s.elts[..],
        _ => {
            let value = scope.eval(expr);
            return empty(&value) || expr.is_none_literal_expr() || value.items.is_some_and(|items| items.values().any(empty));
        }
    };
    elements.iter().any(|e| e.is_none_literal_expr() || empty(&scope.eval(e)))
}

/// Whether `expr` is an allow-list: a collection of constants written in
/// place, or a name in capitals (a module's constant) or holding constants.
fn allow_list(scope: &Scope, expr: &Expr) -> bool {
    let constant_name = |name: &str| name.chars().any(|c| c.is_ascii_uppercase()) && !name.chars().any(|c| c.is_ascii_lowercase());
    match expr {
        Expr::List(_) | Expr::Tuple(_) | Expr::Set(_) | Expr::Dict(_) => scope.eval(expr).entry.is_none(),
        Expr::Name(n) => constant_name(n.id.as_str()) || (scope.eval(expr).items.is_some() && scope.eval(expr).entry.is_none()),
        Expr::Attribute(a) => constant_name(a.attr.as_str()),
        // `ALLOWED.keys()`
        Expr::Call(call) if call.arguments.is_empty() => matches!(call.func.as_ref(), Expr::Attribute(a) if allow_list(scope, &a.value)),
        _ => false,
    }
}

fn name_of(expr: &Expr) -> Option<String> {
    expr.as_name_expr().map(|n| n.id.to_string())
}
