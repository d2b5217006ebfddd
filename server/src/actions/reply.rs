//! Reading code out of a model's reply: a fenced code block, or a JSON
//! object with a `code` field. Anything else is a clear error.

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReplyError {
    #[error("the reply has no fenced code block (```python ... ```) and no JSON `code` field")]
    NoCode,
    #[error("the reply's code block is not closed")]
    Unterminated,
    #[error("the reply's code block is empty")]
    Empty,
}

/// The code the model proposes. With several blocks, the first Python (or
/// untagged) one is taken: models put the answer first and examples after.
pub fn extract_code(reply: &str) -> Result<String, ReplyError> {
    if let Ok(serde_json::Value::Object(map)) = serde_json::from_str::<serde_json::Value>(reply.trim()) {
        return match map.get("code").and_then(|c| c.as_str()) {
            Some(code) if !code.trim().is_empty() => Ok(code.to_owned()),
            Some(_) => Err(ReplyError::Empty),
            None => Err(ReplyError::NoCode),
        };
    }
    let mut lines = reply.lines();
    let mut saw_unterminated = false;
    while let Some(line) = lines.next() {
        let Some(tag) = line.trim_start().strip_prefix("```") else { continue };
        let tag = tag.trim().to_ascii_lowercase();
        let mut body = Vec::new();
        let mut closed = false;
        for line in lines.by_ref() {
            if line.trim_start().starts_with("```") {
                closed = true;
                break;
            }
            body.push(line);
        }
        if !closed {
            saw_unterminated = true;
            break;
        }
        if matches!(tag.as_str(), "" | "python" | "py" | "python3") {
            let code = body.join("\n") + "\n";
            return if code.trim().is_empty() { Err(ReplyError::Empty) } else { Ok(code) };
        }
    }
    Err(if saw_unterminated { ReplyError::Unterminated } else { ReplyError::NoCode })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn takes_the_first_python_block() {
        let reply = "Here you go:\n```text\nnot code\n```\n```python\ndef f():\n    return 1\n```\nAnd a test:\n```python\nassert f() == 1\n```\n";
        assert_eq!(extract_code(reply), Ok("def f():\n    return 1\n".to_owned()));
    }

    #[test]
    fn reads_a_structured_reply() {
        assert_eq!(extract_code(r#"{"code": "x = 1\n"}"#), Ok("x = 1\n".to_owned()));
        assert_eq!(extract_code(r#"{"answer": 1}"#), Err(ReplyError::NoCode));
    }

    #[test]
    fn prose_truncation_and_empty_blocks_are_errors() {
        assert_eq!(extract_code("I cannot do that."), Err(ReplyError::NoCode));
        assert_eq!(extract_code("```python\ndef f(:\n"), Err(ReplyError::Unterminated));
        assert_eq!(extract_code("```python\n\n```"), Err(ReplyError::Empty));
    }
}
