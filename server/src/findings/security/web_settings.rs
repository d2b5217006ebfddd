//! Web frameworks' settings that turn a protection off, one model a line
//! ([`SETTINGS`]): the session's (or CSRF token's, or Flask-Login's
//! remember-me) cookie sent over plain HTTP or readable by the page's
//! scripts, Flask-WTF's CSRF check turned off for every form. Read where
//! a setting is written to `False`: a module's own `NAME = False` (Django's
//! settings), a Flask app's `app.config["NAME"] = False`, or
//! `app.config.update(NAME=False)` (by keyword or in a dict). The sound
//! value, or any value but the literal, is silent.
//!
//! Also CORS that lets any site read what it answers with the user's
//! cookies (CWE-942, LOOM664): Flask-CORS's `CORS(app,
//! supports_credentials=True)` or `@cross_origin(...)` with every origin
//! (its default, or `"*"`), which it then echoes back, and Starlette's
//! (FastAPI's) `CORSMiddleware` with `allow_origins=["*"]` and
//! `allow_credentials=True`, which echoes the origin too. Every origin
//! without credentials (a public API) and credentials for listed origins
//! are silent.

use std::ops::Range;

use ruff_python_ast::{Expr, ExprCall};
use ruff_text_size::Ranged;

use super::super::names::Names;
use super::tables::{CORS_ANY_ORIGIN, CSRF_EXEMPT, Check, INSECURE_COOKIE};

/// One model: a setting that weakens its protection when `False`.
struct Setting {
    name: &'static str,
    check: &'static Check,
    /// What it exposes and what to do.
    message: &'static str,
}

const SETTINGS: &[Setting] = &[
    Setting {
        name: "SESSION_COOKIE_SECURE",
        check: &INSECURE_COOKIE,
        message: "the session cookie is sent over plain HTTP too: whoever listens on the network takes the session; set it `True`",
    },
    Setting {
        name: "SESSION_COOKIE_HTTPONLY",
        check: &INSECURE_COOKIE,
        message: "the session cookie can be read by the page's scripts: a cross-site script steals the session; leave it `True`",
    },
    Setting { name: "CSRF_COOKIE_SECURE", check: &INSECURE_COOKIE, message: "the CSRF cookie is sent over plain HTTP too; set it `True`" },
    Setting {
        name: "REMEMBER_COOKIE_SECURE",
        check: &INSECURE_COOKIE,
        message: "Flask-Login's remember-me cookie is sent over plain HTTP too: whoever listens logs in as the user; set it `True`",
    },
    Setting {
        name: "REMEMBER_COOKIE_HTTPONLY",
        check: &INSECURE_COOKIE,
        message: "Flask-Login's remember-me cookie can be read by the page's scripts; leave it `True`",
    },
    Setting {
        name: "WTF_CSRF_ENABLED",
        check: &CSRF_EXEMPT,
        message: "every form's CSRF check is off: another site can make a user's browser submit them; leave it `True`",
    },
];

/// A weak setting found: what to report, where, and why.
pub(super) type Weak = (&'static Check, Range<usize>, String);

/// The weak setting `target = value` writes, if it writes one.
pub(super) fn assignment(target: &Expr, value: &Expr) -> Option<Weak> {
    let name = match target {
        Expr::Name(n) => n.id.as_str(),
        Expr::Subscript(item) if is_config(&item.value) => item.slice.as_string_literal_expr()?.value.to_str(),
        _ => return None,
    };
    weak(name, value, target.start().to_usize()..value.end().to_usize())
}

/// The weak settings `app.config.update(...)` writes.
pub(super) fn config_update(call: &ExprCall) -> Vec<Weak> {
    let Expr::Attribute(method) = call.func.as_ref() else { return Vec::new() };
    if method.attr.as_str() != "update" || !is_config(&method.value) {
        return Vec::new();
    }
    let by_keyword = call.arguments.keywords.iter().filter_map(|k| Some((k.arg.as_ref()?.as_str(), &k.value, k.start().to_usize()..k.end().to_usize())));
    let in_dict = call.arguments.args.iter().filter_map(Expr::as_dict_expr).flat_map(|d| &d.items).filter_map(|item| {
        let key = item.key.as_ref()?;
        Some((key.as_string_literal_expr()?.value.to_str(), &item.value, key.start().to_usize()..item.value.end().to_usize()))
    });
    by_keyword.chain(in_dict).filter_map(|(name, value, range)| weak(name, value, range)).collect()
}

/// `app.config`, `self.app.config`: a Flask application's settings.
fn is_config(expr: &Expr) -> bool {
    matches!(expr, Expr::Attribute(a) if a.attr.as_str() == "config")
}

fn weak(name: &str, value: &Expr, range: Range<usize>) -> Option<Weak> {
    if !matches!(value, Expr::BooleanLiteral(b) if !b.value) {
        return None;
    }
    let setting = SETTINGS.iter().find(|s| s.name == name)?;
    Some((setting.check, range, format!("`{name} = False`: {}", setting.message)))
}

/// A CORS set-up that lets any origin read answers sent with cookies.
pub(super) fn cors(names: &Names, call: &ExprCall) -> Option<Weak> {
    let args = &call.arguments;
    // Asked of every call: the keywords first, the callee's name only of
    // the calls that pass one.
    if args.find_keyword("supports_credentials").is_none() && args.find_keyword("allow_credentials").is_none() {
        return None;
    }
    let is_true = |keyword: &str| args.find_keyword(keyword).is_some_and(|k| matches!(&k.value, Expr::BooleanLiteral(b) if b.value));
    let any_origin = |origins: &Expr| match origins {
        Expr::StringLiteral(s) => matches!(s.value.to_str(), "*" | ".*"),
        Expr::List(l) => l.elts.iter().any(|e| matches!(e, Expr::StringLiteral(s) if s.value.to_str() == "*")),
        Expr::Tuple(t) => t.elts.iter().any(|e| matches!(e, Expr::StringLiteral(s) if s.value.to_str() == "*")),
        _ => false,
    };
    let (keyword, message) = match names.qualified(&call.func).as_deref() {
        Some("flask_cors.CORS" | "flask_cors.cross_origin") if is_true("supports_credentials") => {
            // Flask-CORS allows every origin unless told which.
            let every = match (args.find_keyword("origins"), args.find_keyword("resources")) {
                (Some(origins), _) => any_origin(&origins.value),
                (None, None) => true,
                (None, Some(_)) => false,
            };
            if !every {
                return None;
            }
            ("supports_credentials", "Flask-CORS with `supports_credentials=True` and every origin echoes any site's origin back")
        }
        // `app.add_middleware(CORSMiddleware, allow_origins=["*"], allow_credentials=True)`
        _ if matches!(call.func.as_ref(), Expr::Attribute(a) if a.attr.as_str() == "add_middleware")
            && args.args.first().and_then(|m| names.qualified(m)).is_some_and(|m| m.ends_with("cors.CORSMiddleware"))
            && is_true("allow_credentials")
            && args.find_keyword("allow_origins").is_some_and(|o| any_origin(&o.value)) =>
        {
            ("allow_credentials", "`CORSMiddleware` with `allow_origins=[\"*\"]` and `allow_credentials=True` echoes any site's origin back")
        }
        _ => return None,
    };
    let at = args.find_keyword(keyword)?;
    let range = at.start().to_usize()..at.end().to_usize();
    Some((&CORS_ANY_ORIGIN, range, format!("{message}: any site the user visits can read the answers sent with their cookies; list the origins allowed")))
}
