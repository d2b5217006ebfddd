//! Secret detection: credentials of well-known services and private keys
//! anywhere in the text (comments included), and high-entropy strings
//! assigned to names that say "password", "token", "secret" and the like.
//! Messages never contain the secret: it is masked to its first characters.
//!
//! [`spans`] exposes the same detection to code that must keep secrets from
//! leaving the machine (context sent to a model).

use std::ops::Range;
use std::sync::LazyLock;

use aho_corasick::{AhoCorasick, Input, MatchKind};
use regex::Regex;
use ruff_python_ast::{Expr, Stmt};
use ruff_text_size::Ranged;

use super::{Category, Confidence, Finding, Severity};

const KNOWN_TOKEN: &str = "LOOM901";
const PRIVATE_KEY: &str = "LOOM902";
const NAMED_SECRET: &str = "LOOM903";

/// (what it is, pattern, anchors). Patterns are anchored on the service's
/// published token prefixes, so a match is very likely real. Word
/// boundaries are ASCII-only (`(?-u:\b)`): tokens are ASCII, and Unicode
/// boundaries would keep the regex engine off its fast path on non-ASCII
/// files.
///
/// Every match of a pattern contains one of its anchors, each at least
/// three bytes long: one search for all anchors says which patterns can
/// match a text at all (for most texts none), and a search's fingerprints
/// are as short as its shortest literal; the two-byte prefixes the regex
/// set found on its own (`SK`, `py`, `gh`, ...) matched all over ordinary
/// Python, and the scan was 1.5% of `pyloom check`.
const SERVICES: &[(&str, &str, &[&str])] = &[
    ("AWS access key ID", r"(?-u:\b)(?:AKIA|ASIA|ABIA|ACCA)[0-9A-Z]{16}(?-u:\b)", &["AKIA", "ASIA", "ABIA", "ACCA"]),
    ("Google API key", r"(?-u:\b)AIza[0-9A-Za-z_\-]{35}(?-u:\b)", &["AIza"]),
    (
        "GitHub token",
        r"(?-u:\b)(?:gh[pousr]_[A-Za-z0-9]{36,255}|github_pat_[A-Za-z0-9_]{60,255})(?-u:\b)",
        &["ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_"],
    ),
    ("GitLab token", r"(?-u:\b)glpat-[A-Za-z0-9_\-]{20,}(?-u:\b)", &["glpat-"]),
    ("Slack token", r"(?-u:\b)xox[abposr]-[A-Za-z0-9\-]{10,}(?-u:\b)", &["xoxa-", "xoxb-", "xoxp-", "xoxo-", "xoxs-", "xoxr-"]),
    ("Stripe secret key", r"(?-u:\b)[rs]k_live_[0-9A-Za-z]{24,}(?-u:\b)", &["rk_live_", "sk_live_"]),
    ("Anthropic API key", r"(?-u:\b)sk-ant-[A-Za-z0-9_\-]{32,}(?-u:\b)", &["sk-ant-"]),
    ("OpenAI API key", r"(?-u:\b)sk-(?:proj-|svcacct-)?[A-Za-z0-9_\-]{20,}T3BlbkFJ[A-Za-z0-9_\-]{20,}(?-u:\b)", &["T3BlbkFJ"]),
    ("SendGrid API key", r"(?-u:\b)SG\.[A-Za-z0-9_\-]{22}\.[A-Za-z0-9_\-]{43}(?-u:\b)", &["SG."]),
    (
        "Twilio API key",
        r"(?-u:\b)SK[0-9a-f]{32}(?-u:\b)",
        &["SK0", "SK1", "SK2", "SK3", "SK4", "SK5", "SK6", "SK7", "SK8", "SK9", "SKa", "SKb", "SKc", "SKd", "SKe", "SKf"],
    ),
    ("npm token", r"(?-u:\b)npm_[A-Za-z0-9]{36}(?-u:\b)", &["npm_"]),
    ("PyPI token", r"(?-u:\b)pypi-AgEIcHlwaS5vcmc[A-Za-z0-9_\-]{50,}(?-u:\b)", &["pypi-AgEIcHlwaS5vcmc"]),
    ("Azure storage account key", r"AccountKey=[A-Za-z0-9+/]{86}==", &["AccountKey="]),
    ("JSON web token", r"(?-u:\b)eyJ[A-Za-z0-9_\-]{10,}\.eyJ[A-Za-z0-9_\-]{10,}\.[A-Za-z0-9_\-]{10,}", &["eyJ"]),
];

/// What every private key header contains.
const PRIVATE_KEY_ANCHOR: &str = "-----BEGIN ";

/// The anchors of every service and the private key header, each with the
/// index of what it anchors (`SERVICES.len()` for the header).
static ANCHORS: LazyLock<(AhoCorasick, Vec<usize>)> = LazyLock::new(|| {
    let anchors: Vec<(&str, usize)> = SERVICES
        .iter()
        .enumerate()
        .flat_map(|(i, (_, _, anchors))| anchors.iter().map(move |a| (*a, i)))
        .chain([(PRIVATE_KEY_ANCHOR, SERVICES.len())])
        .collect();
    // Leftmost-first: only that kind of search has the vectorised
    // fingerprint scan; the standard one was as slow as the regex set. No
    // anchor starts another, so the first anchor found at a position is
    // the only one there.
    let search = AhoCorasick::builder().match_kind(MatchKind::LeftmostFirst).build(anchors.iter().map(|(a, _)| a)).expect("valid anchors");
    (search, anchors.into_iter().map(|(_, i)| i).collect())
});
static SERVICE_PATTERNS: LazyLock<Vec<Regex>> = LazyLock::new(|| SERVICES.iter().map(|(_, p, _)| Regex::new(p).expect("a valid pattern")).collect());
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
    LazyLock::force(&ANCHORS);
    LazyLock::force(&SERVICE_PATTERNS);
    LazyLock::force(&PRIVATE_KEY_HEADER);
}

/// Byte ranges of secrets in `source` (known tokens and private keys).
pub fn spans(source: &str) -> Vec<Range<usize>> {
    spans_with_kind(source).into_iter().map(|(range, _)| range).collect()
}

fn spans_with_kind(source: &str) -> Vec<(Range<usize>, &'static str)> {
    // Which patterns can match: most files hold no anchor at all. The
    // search resumes one byte after each hit so that an anchor starting
    // inside another is not missed; hits are rare.
    let (search, anchored) = &*ANCHORS;
    let mut possible = [false; SERVICES.len() + 1];
    let mut from = 0;
    while let Some(hit) = search.find(Input::new(source).range(from..)) {
        possible[anchored[hit.pattern().as_usize()]] = true;
        from = hit.start() + 1;
    }
    let mut spans: Vec<(Range<usize>, &'static str)> = Vec::new();
    for (i, (kind, _, _)) in SERVICES.iter().enumerate().filter(|(i, _)| possible[*i]) {
        spans.extend(SERVICE_PATTERNS[i].find_iter(source).map(|m| (m.range(), *kind)));
    }
    if possible[SERVICES.len()] {
        spans.extend(PRIVATE_KEY_HEADER.find_iter(source).map(|m| (m.range(), "private key")));
    }
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

    /// No anchor is the start of another: the search takes the first
    /// anchor found at a position as the only one there.
    #[test]
    fn no_anchor_starts_another() {
        let anchors: Vec<&str> = SERVICES.iter().flat_map(|(_, _, anchors)| anchors.iter().copied()).chain([PRIVATE_KEY_ANCHOR]).collect();
        for a in &anchors {
            for b in &anchors {
                assert!(a == b || !b.starts_with(a), "`{a}` starts `{b}`");
            }
        }
    }

    /// One made-up token per service, each found as what it is: an anchor
    /// missing from a service's list fails here.
    #[test]
    fn every_service_is_found_through_its_anchors() {
        let run = |c: char, n: usize| c.to_string().repeat(n);
        let tokens = [
            ("AWS access key ID", format!("ASIA{}", run('Q', 16))),
            ("Google API key", format!("AIza{}", run('x', 35))),
            ("GitHub token", format!("ghs_{}", run('a', 36))),
            ("GitHub token", format!("github_pat_{}", run('b', 60))),
            ("GitLab token", format!("glpat-{}", run('c', 20))),
            ("Slack token", format!("xoxr-{}", run('1', 10))),
            ("Stripe secret key", format!("rk_live_{}", run('d', 24))),
            ("Anthropic API key", format!("sk-ant-{}", run('e', 32))),
            ("OpenAI API key", format!("sk-proj-{}T3BlbkFJ{}", run('f', 20), run('g', 20))),
            ("SendGrid API key", format!("SG.{}.{}", run('h', 22), run('i', 43))),
            ("Twilio API key", format!("SKf{}", run('0', 31))),
            ("npm token", format!("npm_{}", run('j', 36))),
            ("PyPI token", format!("pypi-AgEIcHlwaS5vcmc{}", run('k', 50))),
            ("Azure storage account key", format!("AccountKey={}==", run('/', 86))),
            ("JSON web token", format!("eyJ{}.eyJ{}.{}", run('l', 10), run('m', 10), run('n', 10))),
            ("private key", "-----BEGIN OPENSSH PRIVATE KEY-----".to_owned()),
        ];
        for (kind, token) in tokens {
            let source = format!("# a comment\nvalue = call(\"{token}\")\n");
            let start = source.find(&token).expect("the token is in the text");
            assert_eq!(spans_with_kind(&source), vec![(start..start + token.len(), kind)], "{kind}");
        }
        assert_eq!(spans_with_kind("ASK = 'SKIP'; key = 'python'; gh = high"), vec![]);
    }
}
