//! What kind of completion the cursor asks for, read from the text (the
//! buffer is often mid-edit and does not parse: `c.` ends a line).

use super::call_site::{self, CallSite, Surroundings, dotted_before, is_identifier_char};

/// Where the cursor is, for completion.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Site {
    /// An expression: names in scope (and keyword arguments in a call).
    Expression { call: Option<CallSite> },
    /// After `receiver.`: the receiver's members. `starts` holds where each
    /// segment of the dotted receiver begins.
    Member { receiver: String, starts: Vec<u32> },
    /// A module name after `import ` or `from `: `parent` is the dotted
    /// module typed before the last dot (`a.b` in `import a.b.c`), `level`
    /// the leading dots of a relative `from`.
    Module { parent: String, level: u32 },
    /// A name after `from module import `.
    ImportedName { module: String, level: u32 },
    /// Nothing to complete (a string, a comment, a new name after `def`).
    Nothing,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Context {
    pub site: Site,
    /// The identifier typed so far, which the completion replaces.
    pub prefix: String,
    pub prefix_start: u32,
}

/// The completion context at `offset` of `text`.
pub fn context(text: &str, offset: u32) -> Context {
    let offset = (offset as usize).min(text.len());
    let offset = (0..=offset).rev().find(|&i| text.is_char_boundary(i)).unwrap_or(0);
    let head = &text[..offset];
    let prefix_len: usize = head.chars().rev().take_while(|&c| is_identifier_char(c)).map(char::len_utf8).sum();
    let prefix_start = offset - prefix_len;
    let prefix = head[prefix_start..].to_owned();
    let site = site(text, offset as u32, prefix_start as u32, &prefix);
    Context { site, prefix, prefix_start: prefix_start as u32 }
}

/// The completion context at `offset` in the notebook cell whose code
/// starts at `cell_start` of the module `text`: the cell is read alone, as
/// IPython runs it, so an open `"""` or bracket in an earlier cell does
/// not reach it. The text before it is blanked, every offset kept.
pub fn context_in_cell(text: &str, cell_start: u32, offset: u32) -> Context {
    match text.get(cell_start as usize..) {
        Some(cell_on) => context(&format!("{}{cell_on}", " ".repeat(cell_start as usize)), offset),
        None => context(text, offset),
    }
}

fn site(text: &str, offset: u32, prefix_start: u32, prefix: &str) -> Site {
    if prefix.starts_with(|c: char| c.is_ascii_digit()) {
        return Site::Nothing;
    }
    let surroundings = call_site::surroundings(text, offset);
    if surroundings.in_string_or_comment {
        return Site::Nothing;
    }
    let statement = statement_head(text, prefix_start, &surroundings);
    if let Some(site) = import_site(statement) {
        return site;
    }
    let before = &text[..prefix_start as usize];
    if let Some(before_dot) = before.strip_suffix('.') {
        if before_dot.ends_with([')', ']']) {
            // `f().`, `xs[0].`, `self.items()[0].`: the inferred type of
            // the whole expression.
            let end = before_dot.len();
            return match expression_before(text, end) {
                Some(start) => Site::Member { receiver: text[start..end].to_owned(), starts: vec![start as u32] },
                None => Site::Nothing,
            };
        }
        if let Some((start, literal)) = string_before(before_dot) {
            // `', '.join`: a `str` (or `bytes`), whatever the literal holds.
            return Site::Member { receiver: literal.to_owned(), starts: vec![start as u32] };
        }
        return match dotted_before(text, before_dot.len() as u32) {
            // `1.` is a number.
            Some((receiver, starts)) if !before_dot.ends_with([' ', '\t']) => Site::Member { receiver, starts },
            _ => Site::Nothing,
        };
    }
    let last_word = statement.trim_end().rsplit(|c: char| !is_identifier_char(c)).next().unwrap_or("");
    let defines_name = statement.ends_with(char::is_whitespace) && matches!(last_word, "def" | "class" | "as" | "global" | "nonlocal");
    if defines_name {
        return Site::Nothing;
    }
    Site::Expression { call: call_site::call_site(text, offset, &surroundings) }
}

/// How far back [`expression_before`] looks (a receiver is one expression,
/// not a file).
const MAX_RECEIVER_LEN: usize = 2000;

/// Where the receiver ending at `end` with a call or a subscript starts:
/// back over balanced brackets, names and dots (`self.items()[0]`,
/// `f(x).g()`). `None` when the brackets do not balance.
fn expression_before(text: &str, end: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    let limit = end.saturating_sub(MAX_RECEIVER_LEN);
    let mut i = end;
    loop {
        while i > limit && matches!(bytes[i - 1], b')' | b']') {
            let mut depth = 0u32;
            loop {
                if i <= limit {
                    return None;
                }
                i -= 1;
                match bytes[i] {
                    b')' | b']' | b'}' => depth += 1,
                    b'(' | b'[' | b'{' => {
                        depth -= 1;
                        if depth == 0 {
                            break;
                        }
                    }
                    _ => {}
                }
            }
        }
        // Identifiers, including non-ASCII ones (bytes of multi-byte chars).
        while i > limit && (bytes[i - 1].is_ascii_alphanumeric() || bytes[i - 1] == b'_' || bytes[i - 1] >= 0x80) {
            i -= 1;
        }
        if i > limit && bytes[i - 1] == b'.' {
            i -= 1;
            continue;
        }
        return (i < end && text.is_char_boundary(i)).then_some(i);
    }
}

/// The string literal `text` ends with: where it starts (its prefix
/// letters included) and an empty literal of its type (`''` or `b''`).
/// Of implicitly concatenated literals (`'a' 'b'`), the last.
fn string_before(text: &str) -> Option<(usize, &'static str)> {
    let quote = text.chars().next_back().filter(|c| matches!(c, '\'' | '"'))?;
    let triple: String = std::iter::repeat_n(quote, 3).collect();
    let body = &text[..text.len() - 1];
    let open = if text.ends_with(&triple) && text.len() >= 6 {
        body[..body.len() - 2].rfind(&triple)?
    } else {
        // The nearest unescaped quote on the line.
        let line = &body[body.rfind('\n').map_or(0, |n| n + 1)..];
        let line_start = body.len() - line.len();
        let mut at = None;
        for (i, c) in line.char_indices().rev() {
            let escaped = line[..i].chars().rev().take_while(|&b| b == '\\').count() % 2 == 1;
            if c == quote && !escaped {
                at = Some(line_start + i);
                break;
            }
        }
        at?
    };
    let prefix = call_site::string_prefix(text, open)?;
    // A template string (`t'...'`) is no `str`.
    if prefix.contains(['t', 'T']) {
        return None;
    }
    let bytes = prefix.contains(['b', 'B']);
    Some((open - prefix.len(), if bytes { "b''" } else { "''" }))
}

/// The text of the logical line before the prefix: from the start of the
/// line holding the outermost open bracket (`from m import (a,\n b`), or
/// of the cursor's line, with leading indentation removed.
fn statement_head<'t>(text: &'t str, prefix_start: u32, surroundings: &Surroundings) -> &'t str {
    let anchor = surroundings.open.first().map_or(prefix_start, |o| o.at) as usize;
    let line_start = text[..anchor].rfind('\n').map_or(0, |n| n + 1);
    text[line_start..prefix_start as usize].trim_start()
}

/// `import a.b.`, `from ..a.`, `from a import (x, ` and the like.
fn import_site(statement: &str) -> Option<Site> {
    let words = |s: &str| s.split_whitespace().map(str::to_owned).collect::<Vec<String>>();
    if let Some(rest) = statement.strip_prefix("import").filter(|r| r.starts_with(char::is_whitespace)) {
        let last = rest.rsplit(',').next().unwrap_or(rest).trim_start();
        if last.contains(char::is_whitespace) {
            return Some(Site::Nothing); // `import a as b`: a new name
        }
        return Some(Site::Module { parent: last.trim_end_matches('.').to_owned(), level: 0 });
    }
    let rest = statement.strip_prefix("from").filter(|r| r.starts_with(char::is_whitespace))?;
    let parts = words(rest);
    match parts.as_slice() {
        // `from ` or `from ..a.`: a module; a space ends the module name.
        [] => Some(Site::Module { parent: String::new(), level: 0 }),
        [module] if !rest.ends_with(char::is_whitespace) => {
            let level = module.chars().take_while(|&c| c == '.').count() as u32;
            let dotted = module.trim_start_matches('.');
            let parent = dotted.rsplit_once('.').map_or("", |(p, _)| p);
            let parent = if dotted.ends_with('.') { dotted.trim_end_matches('.') } else { parent };
            Some(Site::Module { parent: parent.to_owned(), level })
        }
        [module, import, ..] if import == "import" => {
            let names = rest.split_once(" import").map_or("", |(_, n)| n);
            let last = names.rsplit(',').next().unwrap_or(names).trim_start_matches([' ', '\t', '(', '\n', '\r']);
            if last.contains(char::is_whitespace) {
                return Some(Site::Nothing); // `from m import a as b`
            }
            let level = module.chars().take_while(|&c| c == '.').count() as u32;
            Some(Site::ImportedName { module: module.trim_start_matches('.').to_owned(), level })
        }
        _ => Some(Site::Nothing),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(text: &str, expected: &str) {
        let offset = text.find("$0").expect("a $0 marker") as u32;
        let text = text.replacen("$0", "", 1);
        let context = context(&text, offset);
        let site = match &context.site {
            Site::Expression { call: Some(call) } => format!("expression in call {}", call.callee),
            Site::Expression { call: None } => "expression".to_owned(),
            Site::Member { receiver, .. } => format!("member of {receiver}"),
            Site::Module { parent, level } => format!("module under {parent:?} level {level}"),
            Site::ImportedName { module, level } => format!("name from {module:?} level {level}"),
            Site::Nothing => "nothing".to_owned(),
        };
        assert_eq!(format!("{site} prefix {:?}", context.prefix), expected, "{text}");
    }

    #[test]
    fn sites() {
        check("x = to$0", "expression prefix \"to\"");
        check("c = Cart()\nc.$0\n", "member of c prefix \"\"");
        check("shop.pricing.to$0", "member of shop.pricing prefix \"to\"");
        check("f().$0", "member of f() prefix \"\"");
        check("x = self.items()[0].na$0", "member of self.items()[0] prefix \"na\"");
        check("y = g(a, (b)).h(1)[k].$0", "member of g(a, (b)).h(1)[k] prefix \"\"");
        check("y = g(a))).$0", "nothing prefix \"\"");
        check("x = 1.$0", "nothing prefix \"\"");
        check("x = ', '.jo$0", "member of '' prefix \"jo\"");
        check("x = rb'\\'a'.$0", "member of b'' prefix \"\"");
        check("x = '''a\n'b'\n'''.$0", "member of '' prefix \"\"");
        check("x = f\"{y!r}\".$0", "member of '' prefix \"\"");
        check("x = 'a' 'b'.$0", "member of '' prefix \"\"");
        check("import $0", "module under \"\" level 0 prefix \"\"");
        check("import os, sh$0", "module under \"\" level 0 prefix \"sh\"");
        check("import shop.pr$0", "module under \"shop\" level 0 prefix \"pr\"");
        check("import shop as s$0", "nothing prefix \"s\"");
        check("from sh$0", "module under \"\" level 0 prefix \"sh\"");
        check("from ..shop.$0", "module under \"shop\" level 2 prefix \"\"");
        check("from . import $0", "name from \"\" level 1 prefix \"\"");
        check("from shop.pricing import to$0", "name from \"shop.pricing\" level 0 prefix \"to\"");
        check("from shop import (\n    a,\n    b$0", "name from \"shop\" level 0 prefix \"b\"");
        check("def na$0", "nothing prefix \"na\"");
        check("class Na$0", "nothing prefix \"Na\"");
        check("total(items, qu$0", "expression in call total prefix \"qu\"");
        check("x = 'to$0'", "nothing prefix \"to\"");
        check("x = f'{platform.sy$0}'", "member of platform prefix \"sy\"");
        check("    # to$0", "nothing prefix \"to\"");
    }
}
