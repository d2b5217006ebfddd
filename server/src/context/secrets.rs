//! Masks credentials in code before it leaves the machine. The patterns are
//! the well-known token shapes plus string literals assigned to names that
//! say they hold a secret; the masked value keeps its quotes so the code
//! still reads (and parses) the same.

use std::sync::LazyLock;

use regex::Regex;

pub const MASK: &str = "«masked»";

static TOKEN_SHAPES: LazyLock<Vec<Regex>> = LazyLock::new(|| {
    [
        r"-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?-----END [A-Z ]*PRIVATE KEY-----",
        r"\b(?:AKIA|ASIA)[0-9A-Z]{16}\b",
        r"\bgh[pousr]_[A-Za-z0-9]{36,}\b",
        r"\bgithub_pat_[A-Za-z0-9_]{22,}",
        r"\bsk-(?:ant-|proj-)?[A-Za-z0-9_\-]{20,}",
        r"\bxox[abprs]-[A-Za-z0-9\-]{10,}",
        r"\bAIza[0-9A-Za-z_\-]{35}",
        r"\beyJ[A-Za-z0-9_\-]{10,}\.[A-Za-z0-9_\-]{10,}\.[A-Za-z0-9_\-]{10,}",
    ]
    .iter()
    .map(|p| Regex::new(p).expect("secret patterns are valid"))
    .collect()
});

/// `password = "…"`, `"api_key": '…'`, `DB_SECRET="…"`: the literal is masked.
static SECRET_ASSIGNMENT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r#"(?i)(\w*(?:password|passwd|pwd|secret|token|api_?key|access_?key|private_?key|credentials?)\w*['"]?\s*[:=]\s*[rb]?)(['"])([^'"\n]{4,})(['"])"#,
    )
    .expect("assignment pattern is valid")
});

/// `text` with secrets replaced by [`MASK`], and how many were masked.
pub fn mask(text: &str) -> (String, usize) {
    let mut count = 0;
    let mut out = text.to_owned();
    for shape in TOKEN_SHAPES.iter() {
        let n = shape.find_iter(&out).count();
        if n > 0 {
            count += n;
            out = shape.replace_all(&out, MASK).into_owned();
        }
    }
    let n = SECRET_ASSIGNMENT
        .captures_iter(&out)
        .filter(|c| c[2] == c[4] && !c[3].contains(MASK))
        .count();
    if n > 0 {
        count += n;
        out = SECRET_ASSIGNMENT
            .replace_all(&out, |c: &regex::Captures| {
                if c[2] == c[4] && !c[3].contains(MASK) {
                    format!("{}{}{MASK}{}", &c[1], &c[2], &c[4])
                } else {
                    c[0].to_owned()
                }
            })
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
client = OpenAI(key="sk-proj-abcdefghijklmnopqrstuvwxyz012345")
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
