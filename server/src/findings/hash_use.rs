//! Whether a weak hash (S324) is a security use, which `usedforsecurity=False`
//! would declare it is not: a secret, key, token or session value is
//! hashed (`sha1(f"{rand}{SECRET_KEY}")`, a secret-prefix MAC `md5(api_secret
//! + msg)`), or the place says so (a function `new_session_id`, a result
//! kept in `reset_token`, a module `auth_digest`). The fix is then withheld
//! and the finding says why.

use ruff_python_ast::visitor::{self, Visitor};
use ruff_python_ast::{Expr, ExprCall};

use super::weak_settings::{names_password, words};

/// Words of a name that hold or make a secret (besides a password's).
const SECRET_WORDS: &[&str] = &[
    "secret",
    "secrets",
    "token",
    "tokens",
    "nonce",
    "nonces",
    "salt",
    "salted",
    "session",
    "sessions",
    "sessionid",
    "auth",
    "authenticate",
    "authentication",
    "authorization",
    "credential",
    "credentials",
    "signature",
    "signatures",
    "sign",
    "signed",
    "signing",
    "hmac",
    "otp",
    "csrf",
    "xsrf",
    "apikey",
    "privkey",
];

/// Words of a module's name that make what it hashes a security use
/// (CherryPy's `auth_digest`); a module named for sessions or tokens also
/// hashes ETags and cache keys.
const SECURITY_MODULE_WORDS: &[&str] = &["auth", "authenticate", "authentication", "authorization", "signing", "hmac", "csrf", "xsrf", "otp"];

/// Words that make `key` a secret one (`api_key`, `private_key`); `key` alone
/// is as often a cache or index key.
const SECRET_KEY_KINDS: &[&str] = &["api", "private", "access", "signing", "encryption", "master", "shared"];

/// Whether a name (or a key) names a secret, a password, or something made
/// to prove who one is.
pub(super) fn names_a_secret(name: &str) -> bool {
    let words = words(name);
    let has = |w: &str| words.iter().any(|x| x == w);
    names_password(name) || words.iter().any(|w| SECRET_WORDS.contains(&w.as_str())) || (has("key") && SECRET_KEY_KINDS.iter().any(|k| has(k)))
}

/// What the hash is given and where it is made.
pub(super) struct HashUse<'a> {
    /// What is hashed: the call's data and what `update` is given.
    pub data: Vec<&'a Expr>,
    /// The value a local name in the data was last given, if the function
    /// shows one (`hashable = f"...{secret_key}"` then `sha1(hashable)`).
    pub value_of: &'a dyn Fn(&str) -> Option<&'a Expr>,
    /// The innermost function the hash is made in.
    pub function: Option<&'a str>,
    /// The name the result is kept in (`session_id = sha1(...).hexdigest()`).
    pub kept_in: Option<&'a str>,
    /// The file's name without its extension.
    pub module: Option<&'a str>,
}

impl HashUse<'_> {
    /// Why the hash is for security, if its data or place shows it.
    pub(super) fn security_use(&self) -> Option<String> {
        for data in &self.data {
            let mut secret = SecretName(None);
            secret.visit_expr(data);
            // One step through a local: the f-string or sum it was built as.
            let mut locals = LocalNames(Vec::new());
            locals.visit_expr(data);
            for value in locals.0.iter().filter_map(|name| (self.value_of)(name)) {
                secret.visit_expr(value);
            }
            if let Some(name) = secret.0 {
                return Some(format!("`{name}` is hashed"));
            }
        }
        if let Some(function) = self.function.filter(|f| names_a_secret(f)) {
            return Some(format!("it is made in `{function}`"));
        }
        if let Some(kept) = self.kept_in.filter(|k| names_a_secret(k)) {
            return Some(format!("it is kept in `{kept}`"));
        }
        self.module
            .filter(|m| words(m).iter().any(|w| SECURITY_MODULE_WORDS.contains(&w.as_str())))
            .map(|module| format!("it is made in the module `{module}`"))
    }
}

/// The first name, attribute or constant key read in an expression that
/// names a secret.
struct SecretName<'e>(Option<&'e str>);

impl<'e> Visitor<'e> for SecretName<'e> {
    fn visit_expr(&mut self, expr: &'e Expr) {
        if self.0.is_some() {
            return;
        }
        let name = match expr {
            Expr::Name(n) => Some(n.id.as_str()),
            Expr::Attribute(a) => Some(a.attr.as_str()),
            Expr::Subscript(s) => s.slice.as_string_literal_expr().map(|k| k.value.to_str()),
            _ => None,
        };
        if let Some(name) = name.filter(|n| names_a_secret(n)) {
            self.0 = Some(name);
            return;
        }
        visitor::walk_expr(self, expr);
    }
}

/// The plain names read in an expression.
struct LocalNames<'e>(Vec<&'e str>);

impl<'e> Visitor<'e> for LocalNames<'e> {
    fn visit_expr(&mut self, expr: &'e Expr) {
        if let Expr::Name(n) = expr {
            self.0.push(n.id.as_str());
        }
        visitor::walk_expr(self, expr);
    }
}

/// The data a hash constructor is given: `hashlib.new(name, data)`,
/// `Crypto.Hash.MD5.new(data)`, `hashlib.md5(data)`.
pub(super) fn data_of<'c>(call: &'c ExprCall, name: &str) -> Option<&'c Expr> {
    match name {
        "hashlib.new" => call.arguments.find_argument_value("data", 1),
        _ if name.ends_with(".new") => call.arguments.find_argument_value("data", 0),
        _ => call.arguments.find_argument_value("string", 0),
    }
}
