//! Settings that weaken what a library otherwise does safely, whatever
//! data flows: cookies set without `secure`/`httponly`, TLS contexts and
//! sockets that still accept old protocol versions (bandit's B502, also
//! where ruff's S502 does not look), passwords hashed with a fast hash,
//! key derivations iterated too few times and random tokens too short.
//! Each is one call or assignment read on its own.

use std::sync::LazyLock;

use ruff_python_ast::visitor::{self, Visitor};
use ruff_python_ast::{Expr, ExprCall, Operator, Stmt, StmtFunctionDef, UnaryOp};
use ruff_text_size::Ranged;
use rustc_hash::FxHashSet;

use super::bound::Bound;
use super::names::{Names, last_part};
use super::{Category, Confidence, Finding, Severity};

/// A cookie set without a flag that keeps it from scripts or plain HTTP.
const COOKIE_WITHOUT_FLAGS: &str = "LOOM709";
/// A TLS context or socket that accepts a protocol version before TLS 1.2.
const OLD_TLS: &str = "LOOM502";
/// A password hashed with a hash made to be fast.
pub(super) const FAST_PASSWORD_HASH: &str = "LOOM643";

/// Protocol constants of TLS 1.1 and before, as `ssl` and pyOpenSSL name them.
const OLD_PROTOCOLS: &[&str] = &[
    "PROTOCOL_SSLv2",
    "PROTOCOL_SSLv3",
    "PROTOCOL_TLSv1",
    "PROTOCOL_TLSv1_1",
    "SSLv2_METHOD",
    "SSLv3_METHOD",
    "SSLv23_METHOD",
    "TLSv1_METHOD",
    "TLSv1_1_METHOD",
];

/// pyOpenSSL's old name for OpenSSL's version-flexible method (`TLS_method`,
/// as Python's `PROTOCOL_SSLv23` is `PROTOCOL_TLS`): it negotiates the
/// highest version both sides have, and OpenSSL 1.1 and later build it
/// without SSL 2 and 3. It accepts an old version only on an old OpenSSL
/// or a peer that offers nothing newer: weak evidence, of low confidence.
const VERSION_FLEXIBLE: &str = "SSLv23_METHOD";

/// `ssl.TLSVersion` members below TLS 1.2.
const OLD_VERSIONS: &[&str] = &["SSLv3", "TLSv1", "TLSv1_1", "MINIMUM_SUPPORTED"];

/// Hashes built for speed, which make guessing a password cheap.
const FAST_HASHES: &[&str] = &[
    "hashlib.md5",
    "hashlib.sha1",
    "hashlib.sha224",
    "hashlib.sha256",
    "hashlib.sha384",
    "hashlib.sha512",
    "hashlib.sha3_256",
    "hashlib.sha3_512",
    "hashlib.blake2b",
    "hashlib.blake2s",
    "hashlib.new",
    "Crypto.Hash.MD5.new",
    "Crypto.Hash.SHA1.new",
    "Crypto.Hash.SHA256.new",
    "Crypto.Hash.SHA512.new",
    "Cryptodome.Hash.MD5.new",
    "Cryptodome.Hash.SHA1.new",
    "Cryptodome.Hash.SHA256.new",
    "Cryptodome.Hash.SHA512.new",
];

/// The web frameworks whose responses' `set_cookie` takes the flags.
const COOKIE_FRAMEWORKS: &[&str] = &["flask", "django", "starlette", "fastapi", "werkzeug", "quart", "bottle", "pyramid"];

/// The findings of one call, each with the ruff rule that reports the
/// same problem in some spellings (then the finding is dropped where ruff
/// reported it).
/// `function` is the function the call is in (`None` at a module's top
/// level), whose body may restrict a context it makes.
pub(super) fn call(
    names: &Names,
    call: &ExprCall,
    qualified: Option<&str>,
    bound: &Bound,
    function: Option<&StmtFunctionDef>,
) -> Vec<(Finding, Option<&'static str>)> {
    let mut found: Vec<(Finding, Option<&'static str>)> = cookie(names, call).into_iter().map(|f| (f, None)).collect();
    found.extend(password_update(names, call, bound).map(|f| (f, None)));
    if let Some(name) = qualified {
        found.extend(protocol_keywords(names, call, name).into_iter().map(|f| (f, Some("S502"))));
    }
    if let Some(name) = qualified.filter(|name| CALLEES.contains(last_part(name))) {
        found.extend(tls_context(names, call, name).map(|f| (f, None)));
        found.extend(version_flexible_context(names, call, name, function).map(|f| (f, None)));
        found.extend(password_hash(call, name).map(|f| (f, None)));
        found.extend(below_minimum(call, name, bound).map(|f| (f, None)));
        found.extend(broken_digest(call, name).map(|f| (f, None)));
    }
    found
}

/// The last part of every callee [`call`] reports by its qualified name
/// (`SSLContext` of `ssl.SSLContext`): asked of every call, most of which
/// are none of these and are answered here instead of by each check in
/// turn. A check by a new name needs the name here; the tables are taken
/// in whole. (The cookie's, the hash update's and the protocol keywords'
/// checks go by the method or the keywords, whatever the callee.)
static CALLEES: LazyLock<FxHashSet<&'static str>> = LazyLock::new(|| {
    let contexts = ["ssl.SSLContext", "OpenSSL.SSL.Context", "hashlib.pbkdf2_hmac"];
    let minimums = MINIMUMS.iter().map(|m| m.callee);
    contexts.into_iter().chain(FAST_HASHES.iter().copied()).chain(minimums).map(last_part).collect()
});

/// `ssl.wrap_socket(s, ssl_version=ssl.PROTOCOL_SSLv3)`,
/// `SSL.Context(method=SSL.TLSv1_METHOD)`: an old protocol chosen by
/// keyword, on any call.
fn protocol_keywords(names: &Names, call: &ExprCall, name: &str) -> Vec<Finding> {
    let mut found = Vec::new();
    for keyword in &call.arguments.keywords {
        let Some(arg) = &keyword.arg else { continue };
        if !matches!(arg.as_str(), "ssl_version" | "method") {
            continue;
        }
        let Some(value) = names.qualified(&keyword.value) else { continue };
        let Some(protocol) = OLD_PROTOCOLS.iter().find(|p| value.ends_with(&format!(".{p}"))) else { continue };
        let message = format!("`{protocol}` is an insecure SSL/TLS version; use TLS 1.2 or later");
        let mut finding = finding(range(keyword), OLD_TLS, Confidence::Medium, message);
        // bandit is surer (and rates it higher) when the API is known.
        if matches!(name, "ssl.wrap_socket" | "OpenSSL.SSL.Context" | "SSL.Context" | "pyOpenSSL.SSL.Context") {
            (finding.severity, finding.confidence) = (Severity::Error, Some(Confidence::High));
        }
        found.push(weakened(finding, protocol));
    }
    found
}

/// `ctx.minimum_version = ssl.TLSVersion.TLSv1`: the context accepts TLS
/// 1.0; `ctx.maximum_version = ssl.TLSVersion.TLSv1_1`: it speaks nothing
/// newer than TLS 1.1.
pub(super) fn assignment(names: &Names, target: &Expr, value: &Expr) -> Option<Finding> {
    let Expr::Attribute(attribute) = target else { return None };
    let capped = match attribute.attr.as_str() {
        "minimum_version" => false,
        "maximum_version" => true,
        _ => return None,
    };
    let version = names.qualified(value)?;
    let old = version.strip_prefix("ssl.TLSVersion.").filter(|v| OLD_VERSIONS.contains(v))?;
    let range = target.start().to_usize()..value.end().to_usize();
    let message = if capped {
        format!("The TLS context is capped at `{old}`, before TLS 1.2; set `maximum_version` to `ssl.TLSVersion.TLSv1_2` or later")
    } else {
        format!("The TLS context accepts `{old}`, before TLS 1.2; set `minimum_version = ssl.TLSVersion.TLSv1_2`")
    };
    Some(finding(range, OLD_TLS, Confidence::High, message))
}

/// `ctx.options &= ~ssl.OP_NO_TLSv1`: a context's option that turned an
/// old version off cleared, so the context accepts it again.
pub(super) fn options_cleared(target: &Expr, op: Operator, value: &Expr) -> Option<Finding> {
    if op != Operator::BitAnd || !matches!(target, Expr::Attribute(a) if a.attr.as_str() == "options") {
        return None;
    }
    let Expr::UnaryOp(not) = value else { return None };
    if not.op != UnaryOp::Invert {
        return None;
    }
    let old = ["OP_NO_SSLv2", "OP_NO_SSLv3", "OP_NO_TLSv1", "OP_NO_TLSv1_1"].into_iter().find(|o| mentions(&not.operand, o))?;
    let version = old.trim_start_matches("OP_NO_");
    let range = target.start().to_usize()..value.end().to_usize();
    let message = format!("Clearing `{old}` makes the TLS context accept `{version}` again, before TLS 1.2; set `minimum_version = ssl.TLSVersion.TLSv1_2`");
    Some(finding(range, OLD_TLS, Confidence::High, message))
}

/// Parts of the names of cookies that hold a credential.
const CREDENTIAL_WORDS: &[&str] = &["sess", "sid", "token", "auth", "csrf", "xsrf", "jwt", "login", "remember", "user", "key", "secret", "pass"];

/// `response.set_cookie("session", token)` without `secure=True` and
/// `httponly=True`. A flag turned off by name is LOOM708's.
fn cookie(names: &Names, call: &ExprCall) -> Option<Finding> {
    let Expr::Attribute(method) = call.func.as_ref() else { return None };
    if method.attr.as_str() != "set_cookie" || !COOKIE_FRAMEWORKS.iter().any(|f| names.imports(f)) {
        return None;
    }
    // `**options` may hold the flags.
    if call.arguments.keywords.iter().any(|k| k.arg.is_none()) {
        return None;
    }
    let missing: Vec<&str> = ["secure", "httponly"].into_iter().filter(|flag| call.arguments.find_keyword(flag).is_none()).collect();
    if missing.is_empty() {
        return None;
    }
    let flags = missing.iter().map(|f| format!("`{f}=True`")).collect::<Vec<_>>().join(" and ");
    let message = format!("A cookie set without {flags}: it may be sent over plain HTTP or read by the page's scripts");
    // A value written in the source under a name no credential goes by
    // (`set_cookie("theme", "dark")`) is the same for everyone: a
    // preference the page's scripts may read, nothing to steal.
    let literal = call.arguments.find_argument_value("value", 1).is_some_and(|v| v.is_literal_expr());
    let preference = call.arguments.find_argument_value("key", 0).and_then(|k| k.as_string_literal_expr()).is_some_and(|k| {
        let key = k.value.to_str().to_ascii_lowercase();
        !CREDENTIAL_WORDS.iter().any(|w| key.contains(w))
    });
    Some(finding(range(call), COOKIE_WITHOUT_FLAGS, if literal && preference { Confidence::Low } else { Confidence::Medium }, message))
}

/// `ssl.SSLContext(ssl.PROTOCOL_TLSv1)`, `SSL.Context(SSL.TLSv1_METHOD)`:
/// the protocol passed by position (ruff's S502 reads keywords only).
fn tls_context(names: &Names, call: &ExprCall, name: &str) -> Option<Finding> {
    if !matches!(name, "ssl.SSLContext" | "OpenSSL.SSL.Context") {
        return None;
    }
    let protocol = names.qualified(call.arguments.args.first()?)?;
    let old = OLD_PROTOCOLS.iter().find(|p| protocol.ends_with(&format!(".{p}")))?;
    Some(weakened(finding(range(call), OLD_TLS, Confidence::High, format!("`{old}` is an insecure SSL/TLS version; use TLS 1.2 or later")), old))
}

/// `ssl.SSLContext(ssl.PROTOCOL_TLS)` (or `PROTOCOL_SSLv23`, or no
/// protocol), `SSL.Context(SSL.TLS_METHOD)`: a context that negotiates the
/// version and, before Python 3.10 (or with pyOpenSSL), still accepts TLS
/// 1.0 and 1.1 — unless the function that makes it sets a minimum
/// (`minimum_version`, `set_min_proto_version`) or turns the old versions
/// off (`options |= ssl.OP_NO_TLSv1 | ...`). Of low confidence: Python
/// 3.10 and later give such a context a minimum of TLS 1.2 (and
/// SecurityEval judges one that checks certificates safe).
fn version_flexible_context(names: &Names, call: &ExprCall, name: &str, function: Option<&StmtFunctionDef>) -> Option<Finding> {
    let protocol = match name {
        "ssl.SSLContext" => call.arguments.find_argument_value("protocol", 0),
        "OpenSSL.SSL.Context" => Some(call.arguments.find_argument_value("method", 0)?),
        _ => return None,
    };
    let protocol = match protocol {
        Some(p) => names.qualified(p)?,
        None => "ssl.PROTOCOL_TLS".to_owned(),
    };
    let flexible = ["PROTOCOL_TLS", "PROTOCOL_SSLv23", "TLS_METHOD"].into_iter().find(|p| protocol.ends_with(&format!(".{p}")))?;
    if function.is_some_and(restricts_versions) {
        return None;
    }
    let message = format!(
        "A TLS context made with `{flexible}` accepts TLS 1.0 and 1.1 unless a minimum is set (Python before 3.10, pyOpenSSL); set `minimum_version = ssl.TLSVersion.TLSv1_2` or use `ssl.create_default_context()`"
    );
    Some(finding(range(call), OLD_TLS, Confidence::Low, message))
}

/// Whether a function sets a context's minimum version or turns TLS 1.0
/// off in its options.
fn restricts_versions(function: &StmtFunctionDef) -> bool {
    let mut restricts = Restricts(false);
    restricts.visit_body(&function.body);
    restricts.0
}

struct Restricts(bool);

impl Visitor<'_> for Restricts {
    fn visit_stmt(&mut self, stmt: &Stmt) {
        let sets = |target: &Expr, value: &Expr| match target {
            Expr::Attribute(a) if a.attr.as_str() == "minimum_version" => true,
            Expr::Attribute(a) if a.attr.as_str() == "options" => mentions(value, "OP_NO_TLSv1"),
            _ => false,
        };
        self.0 |= match stmt {
            Stmt::Assign(assign) => assign.targets.iter().any(|t| sets(t, &assign.value)),
            // `options &= ~ssl.OP_NO_TLSv1` turns TLS 1.0 back on.
            Stmt::AugAssign(aug) => aug.op != Operator::BitAnd && sets(&aug.target, &aug.value),
            Stmt::Expr(e) => matches!(&*e.value, Expr::Call(c) if matches!(c.func.as_ref(), Expr::Attribute(a) if a.attr.as_str() == "set_min_proto_version")),
            _ => false,
        };
        visitor::walk_stmt(self, stmt);
    }
}

/// Whether `expr` names an attribute or name `word` (`ssl.OP_NO_TLSv1`).
fn mentions(expr: &Expr, word: &str) -> bool {
    struct Mentions<'w>(&'w str, bool);
    impl Visitor<'_> for Mentions<'_> {
        fn visit_expr(&mut self, expr: &Expr) {
            self.1 |= match expr {
                Expr::Attribute(a) => a.attr.as_str() == self.0,
                Expr::Name(n) => n.id.as_str() == self.0,
                _ => false,
            };
            visitor::walk_expr(self, expr);
        }
    }
    let mut found = Mentions(word, false);
    found.visit_expr(expr);
    found.1
}

/// The finding of `protocol`; for the version-flexible method
/// ([`VERSION_FLEXIBLE`]) of low confidence, and saying what it risks.
fn weakened(mut finding: Finding, protocol: &str) -> Finding {
    if protocol == VERSION_FLEXIBLE {
        finding.confidence = Some(Confidence::Low);
        finding.message = format!(
            "`{protocol}` negotiates the version: with OpenSSL before 1.1 it still accepts SSL 3; set a minimum of TLS 1.2 (`set_min_proto_version(SSL.TLS1_2_VERSION)`)"
        );
    }
    finding
}

/// `hashlib.sha256(password.encode())`: a password hashed for storage
/// with a hash made to be fast.
fn password_hash(call: &ExprCall, name: &str) -> Option<Finding> {
    if !FAST_HASHES.contains(&name) {
        return None;
    }
    let data = super::hash_use::data_of(call, name)?;
    mentions_password(data).then(|| {
        let message = format!("A password hashed with `{name}`, which is fast to guess; use a key derivation function (`hashlib.scrypt`, argon2, bcrypt)");
        finding(range(call), FAST_PASSWORD_HASH, Confidence::Medium, message)
    })
}

/// A count a call needs at least of (iterations, random bytes): where it
/// goes (position, keyword), what the call uses when it is left out, the
/// floor, and what a smaller one does (after "`callee` with N").
struct Minimum {
    callee: &'static str,
    position: usize,
    keyword: &'static str,
    default: Option<u64>,
    minimum: u64,
    code: &'static str,
    why: &'static str,
}

/// NIST SP 800-63B's floor for PBKDF2; OWASP asks for far more today
/// (600,000 with SHA-256), so a count under this one is weak by any measure.
const MIN_ITERATIONS: u64 = 10_000;
const FEW_ITERATIONS: &str = "iterations makes each guess of the password cheap; use at least 600,000 (OWASP) or `hashlib.scrypt`";

/// 128 bits, what a token needs to stay unguessable (OWASP's session
/// identifiers: at least 64 bits of entropy; `secrets` defaults to 256).
const MIN_TOKEN_BYTES: u64 = 16;
const SHORT_TOKEN: &str = "random bytes is short enough to guess; leave the default (32 bytes) or use at least 16";
/// A token with too few random bytes to stay unguessed (CWE-331).
const SHORT_RANDOM_TOKEN: &str = "LOOM662";

/// A key derivation's iteration count, at position 3 (PyCryptodome's
/// `PBKDF2` calls it `count` and defaults to 1,000).
const fn iterations(callee: &'static str, keyword: &'static str, default: Option<u64>) -> Minimum {
    Minimum { callee, position: 3, keyword, default, minimum: MIN_ITERATIONS, code: FAST_PASSWORD_HASH, why: FEW_ITERATIONS }
}

/// A `secrets` token's byte count (32 when left out or `None`).
const fn token(callee: &'static str) -> Minimum {
    Minimum { callee, position: 0, keyword: "nbytes", default: None, minimum: MIN_TOKEN_BYTES, code: SHORT_RANDOM_TOKEN, why: SHORT_TOKEN }
}

const MINIMUMS: &[Minimum] = &[
    iterations("hashlib.pbkdf2_hmac", "iterations", None),
    iterations("cryptography.hazmat.primitives.kdf.pbkdf2.PBKDF2HMAC", "iterations", None),
    iterations("Crypto.Protocol.KDF.PBKDF2", "count", Some(1000)),
    iterations("Cryptodome.Protocol.KDF.PBKDF2", "count", Some(1000)),
    token("secrets.token_bytes"),
    token("secrets.token_hex"),
    token("secrets.token_urlsafe"),
];

/// `hashlib.pbkdf2_hmac("sha256", pw, salt, 1000)`: a key derivation
/// iterated too few times to slow down guessing (CWE-916); `secrets.
/// token_hex(8)`: a token too short. The count written in the call, in a
/// name bound once, or the call's default.
fn below_minimum(call: &ExprCall, name: &str, bound: &Bound) -> Option<Finding> {
    let rule = MINIMUMS.iter().find(|m| m.callee == name)?;
    let int = |e: &Expr| match e {
        Expr::NumberLiteral(n) => n.value.as_int().and_then(ruff_python_ast::Int::as_u64),
        _ => None,
    };
    let count = match call.arguments.find_argument_value(rule.keyword, rule.position) {
        Some(Expr::Name(n)) => bound.value(n.id.as_str()).and_then(int),
        Some(other) => int(other),
        None => rule.default,
    }?;
    let short = last_part(name);
    (count < rule.minimum).then(|| finding(range(call), rule.code, Confidence::High, format!("`{short}` with {count} {}", rule.why)))
}

/// Digests with practical collision attacks: a key derivation over one
/// (`hashlib.pbkdf2_hmac("md5", ...)`) rests on a broken hash, and is fast
/// to guess besides. SHA-1 and RIPEMD-160 are left out: HMAC over them is
/// still sound and NIST still allows PBKDF2 with SHA-1.
const BROKEN_DIGESTS: &[&str] = &["md4", "md5", "md5-sha1"];

/// `hashlib.pbkdf2_hmac("md5", pw, salt, n)`: the digest written in the call.
fn broken_digest(call: &ExprCall, name: &str) -> Option<Finding> {
    if name != "hashlib.pbkdf2_hmac" {
        return None;
    }
    let Expr::StringLiteral(digest) = call.arguments.find_argument_value("hash_name", 0)? else { return None };
    let digest = digest.value.to_str().to_ascii_lowercase();
    BROKEN_DIGESTS.contains(&digest.as_str()).then(|| {
        let message = format!("`pbkdf2_hmac` over `{digest}`, a broken hash; derive with `sha256` or use `hashlib.scrypt`");
        finding(range(call), FAST_PASSWORD_HASH, Confidence::High, message)
    })
}

/// `h = hashlib.sha256()` then `h.update(password.encode())`: a password
/// hashed in steps.
fn password_update(names: &Names, call: &ExprCall, bound: &Bound) -> Option<Finding> {
    let Expr::Attribute(method) = call.func.as_ref() else { return None };
    let Expr::Name(hash) = method.value.as_ref() else { return None };
    // `dict.update` is everywhere: look for the hash only where one may be made.
    if method.attr.as_str() != "update" || !["hashlib", "Crypto", "Cryptodome"].iter().any(|m| names.imports(m)) {
        return None;
    }
    let Some(Expr::Call(made)) = bound.local(hash.id.as_str()) else { return None };
    let name = names.qualified(&made.func).filter(|n| FAST_HASHES.contains(&n.as_str()))?;
    let data = call.arguments.args.first()?;
    mentions_password(data).then(|| {
        let message = format!("A password hashed with `{name}`, which is fast to guess; use a key derivation function (`hashlib.scrypt`, argon2, bcrypt)");
        finding(range(call), FAST_PASSWORD_HASH, Confidence::Medium, message)
    })
}

fn mentions_password(data: &Expr) -> bool {
    let mut secret = MentionsPassword(false);
    secret.visit_expr(data);
    secret.0
}

/// Whether an expression reads a name, attribute or key that holds a password.
struct MentionsPassword(bool);

impl Visitor<'_> for MentionsPassword {
    fn visit_expr(&mut self, expr: &Expr) {
        let word = match expr {
            Expr::Name(n) => Some(n.id.as_str()),
            Expr::Attribute(a) => Some(a.attr.as_str()),
            Expr::StringLiteral(s) => Some(s.value.to_str()),
            _ => None,
        };
        self.0 |= word.is_some_and(names_password);
        visitor::walk_expr(self, expr);
    }
}

/// Whether a name (or key) is a password's: one of its words (`user_pw`,
/// `newPassword`, `pass_word`) is a password, and none says it holds
/// something else about one (`password_reset_url`, `password_min_length`,
/// `password_required`). Inside another word (`pwm`, `compass`,
/// `passwordless`) a password's name is none.
pub(super) fn names_password(name: &str) -> bool {
    let words = words(name);
    let stem = |w: &str| matches!(w, "pw" | "pwd" | "pass") || ["password", "passwd", "passphrase"].iter().any(|p| w.ends_with(p));
    let password = |w: &String| {
        let w = w.trim_end_matches(|c: char| c.is_ascii_digit());
        stem(w) || w.strip_suffix('s').is_some_and(stem)
    };
    words.iter().any(password) && !words.iter().any(|w| NOT_THE_PASSWORD.contains(&w.as_str()))
}

/// Words of a name that say it holds something about a password, not the
/// password: where to change it, its rules, whether one is set.
const NOT_THE_PASSWORD: &[&str] = &[
    "url", "uri", "link", "path", "file", "filename", "dir", "len", "length", "size", "count", "min", "max", "field", "name", "label", "policy", "reset",
    "flag", "enabled", "required", "hint", "prompt", "pattern", "regex", "attempts", "expiry", "expires", "changed", "template", "form",
];

/// A name's words, lowercase: split at what is not a letter or digit and
/// where a small letter meets a capital (`newPassword`).
pub(super) fn words(name: &str) -> Vec<String> {
    let mut words: Vec<String> = Vec::new();
    let mut previous_lower = false;
    for c in name.chars() {
        if !c.is_alphanumeric() {
            previous_lower = false;
            words.push(String::new());
            continue;
        }
        if words.is_empty() || (previous_lower && c.is_uppercase()) {
            words.push(String::new());
        }
        previous_lower = c.is_lowercase();
        if let Some(word) = words.last_mut() {
            word.extend(c.to_lowercase());
        }
    }
    words.retain(|w| !w.is_empty());
    words
}

fn finding(range: std::ops::Range<usize>, code: &str, confidence: Confidence, message: String) -> Finding {
    let mut finding = Finding::new(range, code, Category::Security, Severity::Warning, message);
    finding.confidence = Some(confidence);
    finding
}

fn range(node: &impl Ranged) -> std::ops::Range<usize> {
    node.start().to_usize()..node.end().to_usize()
}
