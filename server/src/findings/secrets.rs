//! Secret detection: credentials of well-known services and private keys
//! anywhere in the text (comments included), and high-entropy strings
//! assigned to names that say "password", "token", "secret" and the like.
//! Messages never contain the secret: it is masked to its first characters.
//!
//! [`spans`] exposes the same detection to code that must keep secrets from
//! leaving the machine (context sent to a model).

use std::ops::Range;
use std::sync::LazyLock;

use regex::{Regex, RegexSet};
use ruff_python_ast::{Expr, Stmt};
use ruff_text_size::Ranged;

use super::{Category, Confidence, Finding, Severity};

const KNOWN_TOKEN: &str = "LOOM901";
const PRIVATE_KEY: &str = "LOOM902";
const NAMED_SECRET: &str = "LOOM903";

/// (what it is, pattern). Patterns are anchored on the service's published
/// token prefixes, so a match is very likely real. Word boundaries are
/// ASCII-only (`(?-u:\b)`): tokens are ASCII, and Unicode boundaries would
/// keep the regex engine off its fast path on non-ASCII files.
const SERVICES: &[(&str, &str)] = &[
    ("AWS access key ID", r"(?-u:\b)(?:AKIA|ASIA|ABIA|ACCA)[0-9A-Z]{16}(?-u:\b)"),
    ("Google API key", r"(?-u:\b)AIza[0-9A-Za-z_\-]{35}(?-u:\b)"),
    ("GitHub token", r"(?-u:\b)(?:gh[pousr]_[A-Za-z0-9]{36,255}|github_pat_[A-Za-z0-9_]{60,255})(?-u:\b)"),
    ("GitLab token", r"(?-u:\b)glpat-[A-Za-z0-9_\-]{20,}(?-u:\b)"),
    ("Slack token", r"(?-u:\b)xox[abposr]-[A-Za-z0-9\-]{10,}(?-u:\b)"),
    ("Stripe secret key", r"(?-u:\b)[rs]k_live_[0-9A-Za-z]{24,}(?-u:\b)"),
    ("Anthropic API key", r"(?-u:\b)sk-ant-[A-Za-z0-9_\-]{32,}(?-u:\b)"),
    ("OpenAI API key", r"(?-u:\b)sk-(?:proj-|svcacct-)?[A-Za-z0-9_\-]{20,}T3BlbkFJ[A-Za-z0-9_\-]{20,}(?-u:\b)"),
    ("SendGrid API key", r"(?-u:\b)SG\.[A-Za-z0-9_\-]{22}\.[A-Za-z0-9_\-]{43}(?-u:\b)"),
    ("Twilio API key", r"(?-u:\b)SK[0-9a-f]{32}(?-u:\b)"),
    ("npm token", r"(?-u:\b)npm_[A-Za-z0-9]{36}(?-u:\b)"),
    ("PyPI token", r"(?-u:\b)pypi-AgEIcHlwaS5vcmc[A-Za-z0-9_\-]{50,}(?-u:\b)"),
    ("Azure storage account key", r"AccountKey=[A-Za-z0-9+/]{86}=="),
    ("JSON web token", r"(?-u:\b)eyJ[A-Za-z0-9_\-]{10,}\.eyJ[A-Za-z0-9_\-]{10,}\.[A-Za-z0-9_\-]{10,}"),
];

static SERVICE_SET: LazyLock<RegexSet> = LazyLock::new(|| RegexSet::new(SERVICES.iter().map(|(_, p)| p)).expect("valid patterns"));
static SERVICE_PATTERNS: LazyLock<Vec<Regex>> = LazyLock::new(|| SERVICES.iter().map(|(_, p)| Regex::new(p).expect("a valid pattern")).collect());
static PRIVATE_KEY_HEADER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"-----BEGIN (?:RSA |EC |DSA |OPENSSH |ENCRYPTED |PGP )?PRIVATE KEY(?: BLOCK)?-----").expect("a valid pattern"));
static SECRET_NAME: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)(pass(?:wd|word)?|pwd|secret|token|api_?key|access_?key|private_?key|credential|auth_?key)$").expect("a valid pattern"));

/// A string this long with this much entropy per character looks random
/// rather than like a word, a path or a placeholder.
const MIN_SECRET_LEN: usize = 12;
const MIN_ENTROPY_BITS: f64 = 3.0;

/// The secrets of `source`: the known tokens and keys in its text, and the
/// named secrets `named` found in its tree.
pub(super) fn check(source: &str, named: NamedSecrets) -> Vec<Finding> {
    let mut found: Vec<Finding> = spans_with_kind(source)
        .into_iter()
        .map(|(range, kind)| {
            let code = if kind == "private key" { PRIVATE_KEY } else { KNOWN_TOKEN };
            let message = format!("Hard-coded {kind} `{}`; load it from the environment or a secret store", mask(&source[range.clone()]));
            secret(range, code, message)
        })
        .collect();
    let mut named = named;
    // A value already reported as a known token is not reported twice.
    named.found.retain(|n| !found.iter().any(|f| f.range.start < n.range.end && n.range.start < f.range.end));
    found.append(&mut named.found);
    found
}

/// Compiles the patterns now rather than where they are first used.
pub fn prepare() {
    LazyLock::force(&SERVICE_SET);
    LazyLock::force(&SERVICE_PATTERNS);
    LazyLock::force(&PRIVATE_KEY_HEADER);
}

/// Byte ranges of secrets in `source` (known tokens and private keys).
pub fn spans(source: &str) -> Vec<Range<usize>> {
    spans_with_kind(source).into_iter().map(|(range, _)| range).collect()
}

fn spans_with_kind(source: &str) -> Vec<(Range<usize>, &'static str)> {
    // Most files hold no token: a search that can skip ahead on the
    // patterns' literal prefixes says so, before the overlapping search
    // that must look at every byte.
    let services = SERVICE_SET.is_match(source).then(|| SERVICE_SET.matches(source)).into_iter().flatten();
    let mut spans: Vec<(Range<usize>, &'static str)> =
        services.flat_map(|i| SERVICE_PATTERNS[i].find_iter(source).map(move |m| (m.range(), SERVICES[i].0))).collect();
    spans.extend(PRIVATE_KEY_HEADER.find_iter(source).map(|m| (m.range(), "private key")));
    spans.sort_by_key(|(range, _)| range.start);
    spans
}

fn secret(range: Range<usize>, code: &str, message: String) -> Finding {
    let mut finding = Finding::new(range, code, Category::Security, Severity::Error, message);
    finding.confidence = Some(if code == NAMED_SECRET { Confidence::Medium } else { Confidence::High });
    finding
}

/// The first four characters and the length; never the secret itself.
pub(super) fn mask(secret: &str) -> String {
    let shown: String = secret.chars().take(4).collect();
    format!("{shown}… ({} chars)", secret.chars().count())
}

/// Shannon entropy in bits per character.
fn entropy(text: &str) -> f64 {
    let mut counts = std::collections::HashMap::new();
    for c in text.chars() {
        *counts.entry(c).or_insert(0usize) += 1;
    }
    let len = text.chars().count() as f64;
    counts.values().map(|&n| n as f64 / len).map(|p| -p * p.log2()).sum()
}

fn looks_random(value: &str) -> bool {
    value.chars().count() >= MIN_SECRET_LEN && !value.contains(char::is_whitespace) && entropy(value) >= MIN_ENTROPY_BITS
}

/// Assignments, keyword arguments and dict entries whose name says secret.
#[derive(Default)]
pub(super) struct NamedSecrets {
    found: Vec<Finding>,
}

impl NamedSecrets {
    fn consider(&mut self, name: &str, value: &Expr) {
        let Expr::StringLiteral(literal) = value else { return };
        let text = literal.value.to_str();
        if SECRET_NAME.is_match(name) && looks_random(text) {
            let range = value.range().start().to_usize()..value.range().end().to_usize();
            let message = format!("Hard-coded secret `{}` assigned to `{name}`; load it from the environment or a secret store", mask(text));
            self.found.push(secret(range, NAMED_SECRET, message));
        }
    }
}

fn target_name(target: &Expr) -> Option<&str> {
    match target {
        Expr::Name(name) => Some(name.id.as_str()),
        Expr::Attribute(attribute) => Some(attribute.attr.as_str()),
        Expr::Subscript(subscript) => match subscript.slice.as_ref() {
            Expr::StringLiteral(key) => Some(key.value.to_str()),
            _ => None,
        },
        _ => None,
    }
}

/// What the check does at each node of the file's one walk ([`super::walk`]).
impl NamedSecrets {
    pub(super) fn stmt(&mut self, stmt: &Stmt) {
        match stmt {
            Stmt::Assign(assign) => {
                for target in &assign.targets {
                    if let Some(name) = target_name(target) {
                        self.consider(name, &assign.value);
                    }
                }
            }
            Stmt::AnnAssign(assign) => {
                if let (Some(name), Some(value)) = (target_name(&assign.target), &assign.value) {
                    self.consider(name, value);
                }
            }
            _ => {}
        }
    }

    pub(super) fn expr(&mut self, expr: &Expr) {
        match expr {
            Expr::Call(call) => {
                for keyword in &call.arguments.keywords {
                    if let Some(arg) = &keyword.arg {
                        self.consider(arg.as_str(), &keyword.value);
                    }
                }
            }
            Expr::Dict(dict) => {
                for item in &dict.items {
                    if let Some(Expr::StringLiteral(key)) = &item.key {
                        self.consider(key.value.to_str(), &item.value);
                    }
                }
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_and_measures() {
        assert_eq!(mask("AKIAIOSFODNN7EXAMPLE"), "AKIA… (20 chars)");
        assert!(entropy("aaaaaaaaaaaa") < 0.1);
        assert!(looks_random("9fK2xQ7vLp3ZtR8w"));
        assert!(!looks_random("changeme"));
        assert!(!looks_random("password password"));
    }
}
