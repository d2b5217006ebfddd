//! What surrounds a cursor in text that need not parse: whether it is in a
//! string or comment, which brackets are open, and the call whose
//! arguments it is in. Completion and signature help run while a line is
//! half typed (`c.`, `f(a, `), where the syntax tree has no call yet, so
//! this reads the text itself, from the start of the enclosing top-level
//! statement.

/// An open bracket before the cursor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Open {
    pub at: u32,
    pub bracket: u8,
    /// Where each comma directly inside this bracket is.
    pub commas: Vec<u32>,
}

/// The cursor's surroundings.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Surroundings {
    /// In a string or comment: no code completion there.
    pub in_string_or_comment: bool,
    /// Brackets open at the cursor, outermost first.
    pub open: Vec<Open>,
}

/// How far back the scan looks: from the start of the file up to this
/// size, else from the top-level statement this far back (right unless
/// the cut lands inside a string).
const MAX_SCAN: usize = 512 * 1024;

/// Scans `text` up to `offset`. Strings are followed from the start of the
/// file (a triple-quoted string can hold lines that look like code);
/// brackets left open by broken code are forgotten at the next line that
/// starts a definition or an import in the first column.
pub fn surroundings(text: &str, offset: u32) -> Surroundings {
    let end = (offset as usize).min(text.len());
    let bytes = text.as_bytes();
    let mut i = if end <= MAX_SCAN { 0 } else { statement_start(text, end) };
    let mut out = Surroundings::default();
    while i < end {
        match bytes[i] {
            b'#' => match text[i..end].find('\n') {
                Some(n) => i += n - 1,
                None => {
                    out.in_string_or_comment = true;
                    return out;
                }
            },
            quote @ (b'\'' | b'"') => match string_end(bytes, i, quote, end) {
                Some(after) => {
                    i = after;
                    continue;
                }
                // In an f-string's `{...}` the cursor is in code again
                // (`f"{platform.sys|}"`): read on from the field's start.
                None => match formatted(text, i).then(|| open_field(bytes, i, quote, end)).flatten() {
                    Some(field) => {
                        out.open.clear();
                        i = field;
                        continue;
                    }
                    None => {
                        out.in_string_or_comment = true;
                        return out;
                    }
                },
            },
            bracket @ (b'(' | b'[' | b'{') => out.open.push(Open { at: i as u32, bracket, commas: Vec::new() }),
            b')' | b']' | b'}' => {
                out.open.pop();
            }
            b',' => {
                if let Some(open) = out.open.last_mut() {
                    open.commas.push(i as u32);
                }
            }
            b'\\' => i += 1,
            b'\n' if !out.open.is_empty() && starts_statement(&text[i + 1..]) => out.open.clear(),
            _ => {}
        }
        i += 1;
    }
    out
}

/// Whether a line starts a definition or an import in the first column,
/// which no bracket continues.
fn starts_statement(line: &str) -> bool {
    ["def ", "class ", "async def ", "@", "import ", "from "].iter().any(|k| line.starts_with(k))
}

/// The start of the last line at or before `end` that begins a top-level
/// statement (a name, keyword or decorator in the first column).
fn statement_start(text: &str, end: usize) -> usize {
    let floor = end.saturating_sub(MAX_SCAN);
    let mut line_end = end;
    while line_end > floor {
        let start = text[..line_end].rfind('\n').map_or(0, |n| n + 1);
        if start < end && starts_statement(&text[start..]) {
            return start;
        }
        if start == 0 {
            return 0;
        }
        line_end = start - 1;
    }
    // Back up to a character boundary.
    (0..=floor).rev().find(|&i| text.is_char_boundary(i)).unwrap_or(0)
}

/// Just after the string that starts with `quote` at `start`, or `None`
/// when it is still open at `end`.
fn string_end(bytes: &[u8], start: usize, quote: u8, end: usize) -> Option<usize> {
    let triple = bytes.get(start..start + 3).is_some_and(|q| q.iter().all(|&b| b == quote));
    let mut i = start + if triple { 3 } else { 1 };
    while i < end {
        match bytes[i] {
            b'\\' => i += 1,
            b'\n' if !triple => return Some(i),
            b if b == quote && !triple => return Some(i + 1),
            b if b == quote && bytes.get(i..i + 3).is_some_and(|q| q.iter().all(|&b| b == quote)) => return Some(i + 3),
            _ => {}
        }
        i += 1;
    }
    None
}

/// The prefix letters of the string literal whose opening quote is at
/// `quote` (`rb`, `f`, or none), or `None` when the letters before it are
/// the end of a name (`elif'x'`, `x'`), not a prefix.
pub(super) fn string_prefix(text: &str, quote: usize) -> Option<&str> {
    let before = &text[..quote];
    let letters = before.len() - before.trim_end_matches(|c: char| "rRbBuUfFtT".contains(c)).len();
    let start = quote - letters;
    (letters <= 2 && !before[..start].ends_with(is_identifier_char)).then(|| &text[start..quote])
}

/// Whether the string whose quote is at `quote` is an f-string (or a
/// template string).
fn formatted(text: &str, quote: usize) -> bool {
    string_prefix(text, quote).is_some_and(|prefix| prefix.contains(['f', 'F', 't', 'T']))
}

/// Just after the `{` of the replacement field of the f-string starting
/// at `start` that is still open at `end`; `None` when `end` is in its
/// literal text (`{{` is a brace, not a field).
fn open_field(bytes: &[u8], start: usize, quote: u8, end: usize) -> Option<usize> {
    let triple = bytes.get(start..start + 3).is_some_and(|q| q.iter().all(|&b| b == quote));
    let mut i = start + if triple { 3 } else { 1 };
    let mut fields: Vec<usize> = Vec::new();
    while i < end {
        match bytes[i] {
            b'\\' if fields.is_empty() => i += 1,
            b'{' if fields.is_empty() && bytes.get(i + 1) == Some(&b'{') => i += 1,
            b'{' => fields.push(i + 1),
            b'}' => {
                fields.pop();
            }
            _ => {}
        }
        i += 1;
    }
    fields.first().copied()
}

/// A call whose argument list the cursor is in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallSite {
    /// The called dotted name (`Cart`, `shop.pricing.total`) and where
    /// each of its segments starts.
    pub callee: String,
    pub starts: Vec<u32>,
    /// Where the `(` is.
    pub open_paren: u32,
    /// Which argument the cursor is in (0-based, counting commas).
    pub argument: usize,
    /// The keyword of the argument the cursor is in (`qty=1`).
    pub keyword: Option<String>,
    /// Keywords given in the arguments before the cursor's.
    pub used_keywords: Vec<String>,
}

/// The call around `offset` when its innermost open bracket is a call's
/// `(` after a dotted name (not a `def`/`class` header).
pub fn call_site(text: &str, offset: u32, surroundings: &Surroundings) -> Option<CallSite> {
    let open = surroundings.open.last().filter(|o| o.bracket == b'(')?;
    let (callee, starts) = dotted_before(text, open.at)?;
    let before = text[..starts[0] as usize].trim_end_matches([' ', '\t']);
    let word = before.rsplit(|c: char| !is_identifier_char(c)).next().unwrap_or("");
    if matches!(word, "def" | "class") || (before.ends_with(is_identifier_char) && !is_keyword_before_call(word)) {
        return None;
    }
    let mut bounds: Vec<u32> = std::iter::once(open.at).chain(open.commas.iter().copied()).collect();
    bounds.push(offset);
    let arguments: Vec<&str> = bounds.windows(2).map(|w| &text[w[0] as usize + 1..w[1] as usize]).collect();
    let (current, previous) = arguments.split_last()?;
    Some(CallSite {
        callee,
        starts,
        open_paren: open.at,
        argument: open.commas.len(),
        keyword: keyword_of(current).map(str::to_owned),
        used_keywords: previous.iter().filter_map(|a| keyword_of(a)).map(str::to_owned).collect(),
    })
}

/// The call around `offset` whose argument the cursor is in, brackets
/// within that argument included (`run([a, |`: `run`'s first argument).
pub fn enclosing_call_site(text: &str, offset: u32, surroundings: &Surroundings) -> Option<CallSite> {
    let at = surroundings.open.iter().rposition(|o| o.bracket == b'(')?;
    let inner = Surroundings { in_string_or_comment: surroundings.in_string_or_comment, open: surroundings.open[..=at].to_vec() };
    call_site(text, offset, &inner)
}

/// Words that can stand before a called name: `return f(`, `await f(`.
fn is_keyword_before_call(word: &str) -> bool {
    matches!(word, "return" | "await" | "yield" | "in" | "not" | "and" | "or" | "if" | "elif" | "else" | "assert" | "del" | "raise" | "lambda" | "is" | "from")
}

/// `name` of an argument written `name=...` (not `name==...`).
fn keyword_of(argument: &str) -> Option<&str> {
    let argument = argument.trim_start();
    let name_len = argument.find(|c: char| !is_identifier_char(c)).unwrap_or(argument.len());
    let (name, rest) = argument.split_at(name_len);
    let rest = rest.trim_start();
    (!name.is_empty() && rest.starts_with('=') && !rest.starts_with("==")).then_some(name)
}

/// The dotted name that ends right before `end` (spaces allowed before
/// `end`, none inside the name), with the start of each segment.
pub fn dotted_before(text: &str, end: u32) -> Option<(String, Vec<u32>)> {
    let head = text[..end as usize].trim_end_matches([' ', '\t']);
    let start = head.len() - head.chars().rev().take_while(|&c| is_identifier_char(c) || c == '.').map(char::len_utf8).sum::<usize>();
    let dotted = &head[start..];
    let valid = !dotted.is_empty() && dotted.split('.').all(|s| !s.is_empty() && !s.starts_with(|c: char| c.is_ascii_digit()));
    if !valid {
        return None;
    }
    let mut starts = Vec::new();
    let mut at = start as u32;
    for segment in dotted.split('.') {
        starts.push(at);
        at += segment.len() as u32 + 1;
    }
    Some((dotted.to_owned(), starts))
}

pub fn is_identifier_char(c: char) -> bool {
    c == '_' || c.is_alphanumeric()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> (String, u32) {
        let offset = text.find("$0").expect("a $0 marker") as u32;
        (text.replacen("$0", "", 1), offset)
    }

    fn check_call(text: &str, expected: Option<(&str, usize, Option<&str>, &[&str])>) {
        let (text, offset) = at(text);
        let found = call_site(&text, offset, &surroundings(&text, offset));
        let found = found.as_ref().map(|c| {
            let used: Vec<&str> = c.used_keywords.iter().map(String::as_str).collect();
            (c.callee.clone(), c.argument, c.keyword.clone(), used)
        });
        let expected = expected.map(|(callee, argument, keyword, used)| (callee.to_owned(), argument, keyword.map(str::to_owned), used.to_vec()));
        assert_eq!(found, expected, "{text}");
    }

    #[test]
    fn calls_arguments_and_keywords() {
        check_call("total(items, $0", Some(("total", 1, None, &[])));
        check_call("x = shop.pricing.total($0)", Some(("shop.pricing.total", 0, None, &[])));
        check_call("Cart(owner='a, b', qu$0", Some(("Cart", 1, None, &["owner"])));
        check_call("f(a, key=$0", Some(("f", 1, Some("key"), &[])));
        check_call("f(a == $0", Some(("f", 0, None, &[])));
        check_call("def f(a, $0", None);
        check_call("class C(Base, $0", None);
        check_call("f([1, 2, $0", None);
        let (text, offset) = at("subprocess.run(['ls', $0");
        let call = enclosing_call_site(&text, offset, &surroundings(&text, offset)).map(|c| (c.callee, c.argument));
        assert_eq!(call, Some(("subprocess.run".to_owned(), 0)));
        let (text, offset) = at("f(a, key={'x': [$0");
        let call = enclosing_call_site(&text, offset, &surroundings(&text, offset)).map(|c| (c.callee, c.argument, c.keyword));
        assert_eq!(call, Some(("f".to_owned(), 1, Some("key".to_owned()))));
        check_call("f(g(1), $0", Some(("f", 1, None, &[])));
        check_call("return f($0", Some(("f", 0, None, &[])));
        check_call("f(\ndef g():\n    h(1, $0", Some(("h", 1, None, &[])));
        check_call("x = 1\ndef g():\n    f(\n        a,\n        $0", Some(("f", 1, None, &[])));
    }

    #[test]
    fn strings_and_comments() {
        let check = |text: &str, expected: bool| {
            let (text, offset) = at(text);
            assert_eq!(surroundings(&text, offset).in_string_or_comment, expected, "{text}");
        };
        check("x = 'abc$0", true);
        check("x = 'abc' + a$0", false);
        check("x = 1  # note$0", true);
        check("x = \"\"\"doc\nmore$0", true);
        check("x = \"\"\"doc\"\"\"\ny$0", false);
        check("x = 'a\\'b$0", true);
        // In an f-string's replacement field the cursor is in code.
        check("x = f'{platform.sys$0", false);
        check("x = f\"a {b} {c.d$0", false);
        check("x = rf'''{\n  os.pa$0", false);
        check("x = f'{{literal$0", true);
        check("x = f'{a}text$0", true);
        check("x = f'{a:>{width$0", false);
        check("x = b'{a$0", true);
        check("x = elif'{a$0", true);
        check_call("x = f'{g(1, $0", Some(("g", 1, None, &[])));
    }
}
