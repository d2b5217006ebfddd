//! Keys written into the code where an API takes a secret: AWS credentials
//! passed to boto3, the signing key of `jwt.encode`, the key of a cipher.
//! Anyone who reads the code (or its history) holds them; an empty key is
//! no key at all. Only literal strings and bytes are findings: a name may
//! hold a key loaded from the environment. And JSON web tokens with no key:
//! signed with the `none` algorithm, or decoded without their signature
//! checked. And Django's `SECRET_KEY` given as a Hashids salt, which the
//! ids it makes give away; Flask's session key written into the code. And
//! a secret written to a log, which whoever reads the logs then holds.
//! And a password hashing function given a salt written into the code.

use std::sync::LazyLock;

use rustc_hash::FxHashSet;

use super::bound::Bound;
use super::names::{Names, last_part};
use super::secrets::{self, mask};
use super::{Category, Confidence, Finding, Severity};
use ruff_python_ast::comparable::ComparableExpr;
use ruff_python_ast::{Expr, ExprCall, Operator};
use ruff_text_size::Ranged;

pub(super) const AWS_CREDENTIALS: &str = "LOOM631";
const JWT_KEY: &str = "LOOM632";
const CIPHER_KEY: &str = "LOOM633";
const JWT_UNSIGNED: &str = "LOOM634";
const JWT_UNVERIFIED: &str = "LOOM635";
const SECRET_AS_SALT: &str = "LOOM636";
const FLASK_SECRET: &str = "LOOM637";
const LOGGED_SECRET: &str = "LOOM644";
const FIXED_IV: &str = "LOOM645";
const FIXED_SALT: &str = "LOOM646";

/// The methods of a `logging` logger that write a record.
pub(super) const LOG_METHODS: &[&str] = &["debug", "info", "warning", "warn", "error", "exception", "critical", "fatal", "log"];

/// PyJWT and python-jose.
const JWT_ENCODE: &[&str] = &["jwt.encode", "jose.jwt.encode"];
const JWT_DECODE: &[&str] = &["jwt.decode", "jose.jwt.decode"];

/// The keywords boto3 and botocore take credentials by.
const AWS_KEYWORDS: &[&str] = &["aws_access_key_id", "aws_secret_access_key", "aws_session_token"];

/// Ciphers whose first argument is the key (`AES.new(key, mode)`).
const CIPHER_MODULES: &[&str] = &["Crypto.Cipher.", "Cryptodome.Cipher."];
const CIPHER_CLASSES: &[&str] = &[
    "cryptography.hazmat.primitives.ciphers.algorithms.AES",
    "cryptography.hazmat.primitives.ciphers.algorithms.ChaCha20",
    "cryptography.hazmat.primitives.ciphers.algorithms.Camellia",
    "cryptography.hazmat.primitives.ciphers.algorithms.TripleDES",
    "cryptography.hazmat.primitives.ciphers.aead.AESGCM",
    "cryptography.hazmat.primitives.ciphers.aead.ChaCha20Poly1305",
    "cryptography.fernet.Fernet",
];

/// cryptography's modes, whose first argument is the IV or nonce.
const IV_MODES: &[&str] = &[
    "cryptography.hazmat.primitives.ciphers.modes.CBC",
    "cryptography.hazmat.primitives.ciphers.modes.CFB",
    "cryptography.hazmat.primitives.ciphers.modes.CFB8",
    "cryptography.hazmat.primitives.ciphers.modes.OFB",
    "cryptography.hazmat.primitives.ciphers.modes.CTR",
    "cryptography.hazmat.primitives.ciphers.modes.GCM",
];

/// The findings for a call whose qualified callee is `name` (when known);
/// `bound` is what the names bound once hold there.
pub(super) fn check(names: &Names, name: Option<&str>, call: &ExprCall, bound: &Bound) -> Vec<Finding> {
    let args = &call.arguments;
    let mut found = Vec::new();
    if names.imports("boto3") || names.imports("botocore") {
        for keyword in args.keywords.iter().filter(|k| k.arg.as_ref().is_some_and(|a| AWS_KEYWORDS.contains(&a.as_str()))) {
            // A key of a well-known shape is reported by the secret scan already.
            if let Some(text) = literal(&keyword.value).filter(|t| !t.is_empty() && secrets::spans(t).is_empty()) {
                let what = keyword.arg.as_ref().map_or("", |a| a.as_str());
                let message = format!("Hard-coded AWS credential `{what}` (`{}`); let boto3 find it in the environment or a profile", mask(&text));
                found.push(finding(AWS_CREDENTIALS, Severity::Error, &keyword.value, message));
            }
        }
    }
    let Some(name) = name.filter(|name| CALLEES.contains(last_part(name))) else { return found };
    found.extend(unchecked_token(name, call));
    found.extend(logged_secret(name, call));
    if (name.ends_with("config.update") || name.ends_with("config.from_mapping")) && names.imports("flask") {
        found.extend(args.find_keyword("SECRET_KEY").and_then(|k| flask_secret(&k.value)));
    }
    if name == "hashids.Hashids"
        && args.find_argument_value("salt", 0).and_then(|salt| names.qualified(salt)).is_some_and(|s| s.ends_with("settings.SECRET_KEY"))
    {
        let message = "`Hashids` salted with `SECRET_KEY`: the salt can be recovered from the ids it makes; use a salt of its own".to_owned();
        found.push(finding(SECRET_AS_SALT, Severity::Error, call, message));
    }
    let key = if JWT_ENCODE.contains(&name) {
        args.find_argument_value("key", 1).map(|key| (JWT_KEY, key, "signs JSON web tokens with"))
    } else if is_cipher(name) {
        args.find_argument_value("key", 0).map(|key| (CIPHER_KEY, key, "encrypts with"))
    } else {
        None
    };
    if let Some((code, key, does)) = key
        && let Some(text) = literal(key)
    {
        let what = if text.is_empty() { "an empty key".to_owned() } else { format!("a hard-coded key (`{}`)", mask(&text)) };
        found.push(finding(code, Severity::Error, key, format!("`{}` {does} {what}; load the key from a secret store", short(name))));
    }
    found.extend(fixed_iv(name, call, bound));
    found.extend(fixed_salt(names, name, call, bound));
    found
}

/// The last part of every callee [`check`] reports by name (`encode` of
/// `jwt.encode`, a logger's methods, `new` of `Crypto.Cipher.AES.new`):
/// asked of every call, most of which are none of these and are answered
/// here instead of by each check in turn. A check by a new name needs the
/// name here; the tables are taken in whole.
static CALLEES: LazyLock<FxHashSet<&'static str>> = LazyLock::new(|| {
    let named: [&[&str]; 5] = [JWT_ENCODE, JWT_DECODE, CIPHER_CLASSES, IV_MODES, &["hashids.Hashids", "config.update", "config.from_mapping"]];
    let salted = SALTED.iter().map(|(kdf, ..)| *kdf);
    // The ciphers of `CIPHER_MODULES` are made by their module's `new`.
    named.into_iter().flatten().copied().chain(salted).map(last_part).chain(LOG_METHODS.iter().copied()).chain(["new"]).collect()
});

/// Key derivation functions, where each takes its salt (position,
/// keyword) and, when it takes it in the same call, the password.
const SALTED: &[(&str, usize, &str, Option<(usize, &str)>)] = &[
    ("hashlib.pbkdf2_hmac", 2, "salt", Some((1, "password"))),
    ("hashlib.scrypt", usize::MAX, "salt", Some((0, "password"))),
    ("cryptography.hazmat.primitives.kdf.pbkdf2.PBKDF2HMAC", 2, "salt", None),
    ("cryptography.hazmat.primitives.kdf.scrypt.Scrypt", 0, "salt", None),
    ("Crypto.Protocol.KDF.PBKDF2", 1, "salt", Some((0, "password"))),
    ("Cryptodome.Protocol.KDF.PBKDF2", 1, "salt", Some((0, "password"))),
    ("Crypto.Protocol.KDF.scrypt", 1, "salt", Some((0, "password"))),
    ("Cryptodome.Protocol.KDF.scrypt", 1, "salt", Some((0, "password"))),
    ("bcrypt.hashpw", 1, "salt", Some((0, "password"))),
    ("argon2.low_level.hash_secret", 1, "salt", Some((0, "secret"))),
    ("argon2.low_level.hash_secret_raw", 1, "salt", Some((0, "secret"))),
];

/// Names of what identifies an account, which a salt must not be: whoever
/// targets the account knows it before the hash leaks.
const ACCOUNT_NAMES: &[&str] = &["username", "user_name", "login", "email", "user_id", "userid"];

/// `hashlib.pbkdf2_hmac("sha256", password, b"somesalt", 100_000)`: a salt
/// written into the code is the same for every password, so one table of
/// guesses serves every account and equal passwords hash alike (CWE-760).
/// A module constant (`SALT = b"..."`) or a local bound once to one
/// (`salt = b"\x00" * 32`) is one too. So are salts an attacker knows or
/// guesses as well: the password itself, the account's name (also hashed:
/// `sha256(username.encode()).digest()`), `random`'s output (its state is
/// recovered from what it gave). One drawn per password (`os.urandom(16)`,
/// `bcrypt.gensalt()`) or held by a name bound otherwise is not reported.
/// Nor is any salt of a call whose password is written into the code too
/// (`pbkdf2_hmac("sha256", b"password", b"salt", n)`): one known value is
/// derived, no account's password, and a table of guesses gains nothing.
fn fixed_salt(names: &Names, name: &str, call: &ExprCall, bound: &Bound) -> Option<Finding> {
    let &(_, position, keyword, password) = SALTED.iter().find(|(kdf, ..)| *kdf == name)?;
    let salt = call.arguments.find_argument_value(keyword, position)?;
    let password = password.and_then(|(position, keyword)| call.arguments.find_argument_value(keyword, position));
    if password.is_some_and(|p| constant_bytes(p, bound, 0).is_some()) {
        return None;
    }
    const SHARED: &str = "every password gets the same one, so one table of guesses serves them all";
    let (what, why) = match constant_bytes(salt, bound, 0) {
        Some(text) if text.is_empty() => ("an empty salt".to_owned(), SHARED),
        Some(text) => (format!("a salt written into the code (`{}`)", mask(&text)), SHARED),
        None => predictable_salt(names, bound, salt, password).map(|(what, why)| (what.to_owned(), why))?,
    };
    let message = format!("`{}` is given {what}: {why}; draw one per password (`os.urandom(16)`) and store it beside the hash", short(name));
    Some(finding(FIXED_SALT, Severity::Warning, salt, message))
}

/// What `salt` (not a constant) is and why an attacker knows it, if so.
fn predictable_salt(names: &Names, bound: &Bound, salt: &Expr, password: Option<&Expr>) -> Option<(&'static str, &'static str)> {
    // A local bound once is judged by what it was bound to.
    let salt = match salt {
        Expr::Name(n) => bound.local(n.id.as_str()).unwrap_or(salt),
        _ => salt,
    };
    // `username.encode()`, `user.email.lower().encode()`,
    // `sha256(usernames[i].encode()).digest()`: what it is made from (a
    // hash of a known value is known too).
    let mut base = salt;
    loop {
        base = match base {
            Expr::Call(call) => match call.func.as_ref() {
                Expr::Attribute(method) if matches!(method.attr.as_str(), "encode" | "lower" | "strip" | "upper" | "digest" | "hexdigest") => &method.value,
                func if names.qualified(func).is_some_and(|f| f.starts_with("hashlib.")) && call.arguments.args.len() == 1 => &call.arguments.args[0],
                _ => break,
            },
            Expr::Subscript(item) => &item.value,
            _ => break,
        };
    }
    let same = |a: &Expr, b: &Expr| ComparableExpr::from(a) == ComparableExpr::from(b);
    if password.is_some_and(|p| same(p, salt) || same(p, base)) {
        return Some(("the password as its own salt", "equal passwords hash alike and the salt adds no work to a guess"));
    }
    let last = match base {
        Expr::Name(n) => Some(n.id.as_str()),
        Expr::Attribute(a) => Some(a.attr.as_str()),
        _ => None,
    };
    // `usernames[i]`: one of the accounts' names.
    let account = |l: &str| {
        let l = l.to_ascii_lowercase();
        ACCOUNT_NAMES.contains(&l.as_str()) || l.strip_suffix('s').is_some_and(|one| ACCOUNT_NAMES.contains(&one))
    };
    if last.is_some_and(account) {
        return Some(("the account's name as its salt", "whoever targets the account knows it and can compute guesses before the hash leaks"));
    }
    let Expr::Call(call) = salt else { return None };
    names
        .qualified(&call.func)
        .is_some_and(|f| f.starts_with("random.") && !f.starts_with("random.SystemRandom"))
        .then_some(("a salt from `random`", "its output can be predicted from what it gave before"))
}

/// The text of a literal, a module constant or a local bound once to one,
/// also repeated or joined to another (`b"\x00" * 16`, `b"salt" +
/// b"pepper"`, `"salt".encode()`). `depth` bounds reading through names
/// (`x = x + b"a"` is bound once, and names itself).
fn constant_bytes(expr: &Expr, bound: &Bound, depth: u8) -> Option<String> {
    let depth = depth.checked_add(1).filter(|d| *d < 8)?;
    match expr {
        Expr::BinOp(op) if op.op == Operator::Mult => {
            let (text, count) = match (op.left.as_ref(), op.right.as_ref()) {
                (Expr::NumberLiteral(n), other) | (other, Expr::NumberLiteral(n)) => (constant_bytes(other, bound, depth)?, n.value.as_int()?.as_usize()?),
                _ => return None,
            };
            Some(text.repeat(count.min(64)))
        }
        Expr::BinOp(op) if op.op == Operator::Add => Some(constant_bytes(&op.left, bound, depth)? + &constant_bytes(&op.right, bound, depth)?),
        Expr::Call(call) if call.arguments.is_empty() => match call.func.as_ref() {
            Expr::Attribute(a) if a.attr.as_str() == "encode" => constant_bytes(&a.value, bound, depth),
            _ => None,
        },
        Expr::Name(n) => match bound.local(n.id.as_str()) {
            Some(value) => constant_bytes(value, bound, depth),
            None => bound.constant(n.id.as_str()).map(str::to_owned),
        },
        _ => literal(expr),
    }
}

/// `AES.new(key, AES.MODE_CBC, b"0123456789abcdef")`,
/// `modes.CBC(b"...")`: an IV or nonce written in the code is the same for
/// every message, so equal plaintexts start equal (CBC) or the key stream
/// repeats (CTR, GCM). So is a module constant (`IV = b"..."`) or a local
/// bound once to one; one drawn at run time (`os.urandom(16)`) is not.
fn fixed_iv(name: &str, call: &ExprCall, bound: &Bound) -> Option<Finding> {
    let args = &call.arguments;
    let iv = if IV_MODES.contains(&name) {
        args.args.first().or_else(|| ["initialization_vector", "nonce"].iter().find_map(|k| args.find_keyword(k).map(|k| &k.value)))
    } else if CIPHER_MODULES.iter().any(|m| name.starts_with(m)) && is_cipher(name) {
        args.args.get(2).or_else(|| ["iv", "nonce"].iter().find_map(|k| args.find_keyword(k).map(|k| &k.value)))
    } else {
        None
    }?;
    let text = constant_bytes(iv, bound, 0).filter(|t| !t.is_empty())?;
    let message = format!(
        "`{}` is given a hard-coded IV or nonce (`{}`): equal messages encrypt alike and a stream mode repeats its key stream; draw one per message (`os.urandom`)",
        short(name),
        mask(&text)
    );
    Some(finding(FIXED_IV, Severity::Warning, iv, message))
}

/// `app.secret_key = "..."` or `app.config["SECRET_KEY"] = "..."` in a Flask
/// program: whoever reads the code can sign session cookies.
pub(super) fn assigned_secret(names: &Names, target: &Expr, value: &Expr) -> Option<Finding> {
    let flask_key = match target {
        Expr::Attribute(a) => a.attr.as_str() == "secret_key",
        Expr::Subscript(s) => {
            matches!(s.value.as_ref(), Expr::Attribute(a) if a.attr.as_str() == "config") && literal(&s.slice).as_deref() == Some("SECRET_KEY")
        }
        _ => false,
    };
    if !flask_key || !names.imports("flask") {
        return None;
    }
    flask_secret(value)
}

/// A literal session key.
fn flask_secret(value: &Expr) -> Option<Finding> {
    let text = literal(value)?;
    let what = if text.is_empty() { "empty".to_owned() } else { format!("hard-coded (`{}`)", mask(&text)) };
    let message = format!("Flask's secret key is {what}: anyone who reads the code can sign session cookies; load it from the environment");
    Some(finding(FLASK_SECRET, Severity::Error, value, message))
}

/// `jwt.encode(..., algorithm="none")`; `jwt.decode(token, verify=False)`
/// or with `options={"verify_signature": False}`.
fn unchecked_token(name: &str, call: &ExprCall) -> Option<Finding> {
    let args = &call.arguments;
    if JWT_ENCODE.contains(&name) {
        let algorithm = args.find_keyword("algorithm")?;
        let none = literal(&algorithm.value).is_some_and(|a| a.eq_ignore_ascii_case("none"));
        let message = format!("`{name}` with the `none` algorithm makes tokens anyone can forge; sign them (e.g. `HS256`)");
        return none.then(|| finding(JWT_UNSIGNED, Severity::Error, &algorithm.value, message));
    }
    if !JWT_DECODE.contains(&name) {
        return None;
    }
    let verify_off = |value: &Expr| matches!(value, Expr::BooleanLiteral(b) if !b.value);
    let off = args.find_keyword("verify").map(|k| &k.value).filter(|v| verify_off(v)).or_else(|| {
        let Expr::Dict(options) = &args.find_keyword("options")?.value else { return None };
        options
            .items
            .iter()
            .find(|item| item.key.as_ref().and_then(literal).as_deref() == Some("verify_signature") && verify_off(&item.value))
            .map(|item| &item.value)
    })?;
    let message = format!("`{name}` without checking the signature accepts forged tokens");
    Some(finding(JWT_UNVERIFIED, Severity::Error, off, message))
}

fn is_cipher(name: &str) -> bool {
    CIPHER_CLASSES.contains(&name)
        || CIPHER_MODULES.iter().any(|m| name.strip_prefix(m).is_some_and(|rest| rest.ends_with(".new") && rest.matches('.').count() == 1))
}

/// A call that logs a value named as a secret (`logger.info("key %s",
/// api_key)`): the name is what tells; a value passed through a call
/// (`mask(password)`, `len(password)`) is not the secret any more.
fn logged_secret(name: &str, call: &ExprCall) -> Option<Finding> {
    if !is_log_call(name) {
        return None;
    }
    let secret = call.arguments.args.iter().find_map(secret_in)?;
    let message = format!("`{secret}` is written to the log in clear text: whoever reads the logs holds it; log that it was used, not its value");
    let mut found = finding(LOGGED_SECRET, Severity::Warning, call, message);
    found.confidence = Some(Confidence::Medium);
    Some(found)
}

/// Whether `name` writes a log record: `logging.info(...)`, or a method of
/// a logger by its usual names (`logger`, `self._log`, `app.logger`).
pub(super) fn is_log_call(name: &str) -> bool {
    let Some((receiver, method)) = name.rsplit_once('.') else { return false };
    // Asked of every call a file makes: the method first, and the receiver
    // compared without a lowercased copy of it.
    if !LOG_METHODS.contains(&method) {
        return false;
    }
    let last = receiver.rsplit('.').next().unwrap_or(receiver).trim_start_matches('_');
    receiver == "logging" || last.eq_ignore_ascii_case("logger") || last.eq_ignore_ascii_case("log")
}

/// The name of a secret `expr` puts into a message as it is.
fn secret_in(expr: &Expr) -> Option<&str> {
    match expr {
        Expr::Name(n) => is_secret_name(n.id.as_str()).then_some(n.id.as_str()),
        Expr::Attribute(a) => is_secret_name(a.attr.as_str()).then_some(a.attr.as_str()),
        Expr::FString(f) => f.value.elements().filter_map(|e| e.as_interpolation()).find_map(|i| secret_in(&i.expression)),
        Expr::BinOp(op) => secret_in(&op.left).or_else(|| secret_in(&op.right)),
        _ => None,
    }
}

/// `password`, `db_password`, `secret`, `api_key`, `private_key`, ...;
/// not `password_length` or `secret_name`, which name facts about one.
fn is_secret_name(name: &str) -> bool {
    let name = name.to_ascii_lowercase();
    let last = name.rsplit('_').next().unwrap_or(&name);
    matches!(last, "password" | "passwd" | "pwd" | "secret" | "passphrase" | "apikey")
        || ["api_key", "secret_key", "private_key", "access_token", "auth_token"].iter().any(|s| name.ends_with(s))
}

/// The text of a string or bytes literal.
fn literal(expr: &Expr) -> Option<String> {
    match expr {
        Expr::StringLiteral(s) => Some(s.value.to_str().to_owned()),
        Expr::BytesLiteral(b) => Some(String::from_utf8_lossy(&b.value.bytes().collect::<Vec<u8>>()).into_owned()),
        _ => None,
    }
}

fn finding(code: &str, severity: Severity, at: &impl Ranged, message: String) -> Finding {
    let range = at.range().start().to_usize()..at.range().end().to_usize();
    let mut finding = Finding::new(range, code, Category::Security, severity, message);
    finding.confidence = Some(Confidence::High);
    finding
}

/// `Crypto.Cipher.AES.new` → `AES.new`; `jwt.encode` stays.
fn short(name: &str) -> &str {
    let mut dots = name.rmatch_indices('.');
    match (dots.next(), dots.next()) {
        (Some(_), Some((i, _))) => &name[i + 1..],
        _ => name,
    }
}
