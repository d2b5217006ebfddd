//! Masks credentials in code before it leaves the machine: the service
//! tokens the security checks detect ([`crate::findings::secrets::spans`]),
//! whole private-key blocks, and string literals assigned to names that say
//! they hold a secret. A masked value keeps its quotes, so the code still
//! reads (and parses) the same.

use std::sync::LazyLock;

use regex::Regex;

pub const MASK: &str = "«masked»";

/// The security checks find a key by its header; everything up to its
/// footer must go.
static PRIVATE_KEY_BLOCK: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?(?:-----END [A-Z ]*PRIVATE KEY-----|\z)").expect("key pattern is valid"));

/// `password = "…"`, `"api_key": '…'`, `DB_SECRET="…"`: the literal is masked.
static SECRET_ASSIGNMENT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r#"(?i)(\w*(?:password|passwd|pwd|secret|token|api_?key|access_?key|private_?key|credentials?)\w*['"]?\s*[:=]\s*[rb]?)(['"])([^'"\n]{4,})(['"])"#,
    )
    .expect("assignment pattern is valid")
});

/// Compiles the masking patterns now: several milliseconds, once per
/// process, that would otherwise fall on the first context masked.
pub fn prepare() {
    LazyLock::force(&PRIVATE_KEY_BLOCK);
    LazyLock::force(&SECRET_ASSIGNMENT);
    crate::findings::secrets::prepare();
}

/// `text` with secrets replaced by [`MASK`], and how many were masked.
pub fn mask(text: &str) -> (String, usize) {
    let mut count = PRIVATE_KEY_BLOCK.find_iter(text).count();
    let mut out = PRIVATE_KEY_BLOCK.replace_all(text, MASK).into_owned();
    // Sorted by start; a match overlapping an earlier one is part of it.
    let mut tokens: Vec<std::ops::Range<usize>> = Vec::new();
    for range in crate::findings::secrets::spans(&out) {
        match tokens.last_mut() {
            Some(last) if range.start < last.end => last.end = last.end.max(range.end),
            _ => tokens.push(range),
        }
    }
    count += tokens.len();
    for range in tokens.into_iter().rev() {
        out.replace_range(range, MASK);
    }
    let n = SECRET_ASSIGNMENT.captures_iter(&out).filter(|c| c[2] == c[4] && !c[3].contains(MASK)).count();
    if n > 0 {
        count += n;
        out = SECRET_ASSIGNMENT
            .replace_all(
                &out,
                |c: &regex::Captures| {
                    if c[2] == c[4] && !c[3].contains(MASK) { format!("{}{}{MASK}{}", &c[1], &c[2], &c[4]) } else { c[0].to_owned() }
                },
            )
            .into_owned();
    }
    (out, count)
}

#[cfg(test)]
mod tests {
    use super::*;
    use expect_test::expect;

    #[test]
    fn masks_token_shapes_and_secret_assignments_only() {
        let source = r#"AWS_KEY = "AKIAIOSFODNN7EXAMPLE"
db_password = 'hunter2-very-secret'
config = {"api_key": "0123456789abcdef"}
client = OpenAI(key="sk-proj-abcdefghij0123456789T3BlbkFJabcdefghij0123456789")
token = request.headers["X-Token"]
greeting = "hello world"
empty_password = ""
"#;
        let (masked, count) = mask(source);
        assert_eq!(count, 4);
        expect![[r#"
            AWS_KEY = "«masked»"
            db_password = '«masked»'
            config = {"api_key": "«masked»"}
            client = OpenAI(key="«masked»")
            token = request.headers["X-Token"]
            greeting = "hello world"
            empty_password = ""
        "#]]
        .assert_eq(&masked);
    }

    #[test]
    fn private_key_blocks_are_masked_whole() {
        let (masked, count) = mask("KEY = '''-----BEGIN RSA PRIVATE KEY-----\nMIIE\nabc\n-----END RSA PRIVATE KEY-----'''\n");
        assert_eq!((masked.as_str(), count), ("KEY = '''«masked»'''\n", 1));
    }
}
