//! The names a workspace module's `__all__` lists, which is what
//! `from module import *` brings (private names and submodules too, and
//! nothing else). Read from the source, and only when every binding of
//! `__all__` is a plain list or tuple of quoted names (`__all__ = [...]`,
//! `__all__ += (...)`) and nothing mutates it (`__all__.append(...)`):
//! otherwise the list is not known, and `*` brings the public names.
//! Read once per text, when the file is inserted (the file's entry keeps
//! them): linking reads other modules' lists, and reads no text for them.

use super::summary::{FileSummary, Name};

/// The names `__all__` lists, `None` when the module binds none or the
/// list is not a plain display of quoted names.
pub(super) fn names(text: &str, summary: &FileSummary) -> Option<Box<[Name]>> {
    let mut bindings = summary.bindings.iter().filter(|b| b.scope == 0 && b.name.as_str() == "__all__").peekable();
    bindings.peek()?;
    if summary.references.iter().any(|r| r.chain.as_str().starts_with("__all__.")) {
        return None;
    }
    let mut out = Vec::new();
    for binding in bindings {
        out.extend(listed(text.get(binding.range.end as usize..)?)?.into_iter().map(Name::new));
    }
    Some(out.into())
}

/// The quoted names of the display assigned in `rest` (the source right
/// after `__all__`).
fn listed(rest: &str) -> Option<Vec<&str>> {
    let rest = rest.trim_start_matches([' ', '\t']);
    let rest = rest.strip_prefix('=').or_else(|| rest.strip_prefix("+="))?.trim_start_matches([' ', '\t']);
    let close = match rest.chars().next()? {
        '[' => ']',
        '(' => ')',
        _ => return None,
    };
    let mut rest = &rest[1..];
    let mut out = Vec::new();
    loop {
        rest = rest.trim_start_matches(|c: char| c.is_whitespace() || c == ',' || c == '\\');
        if let Some(comment) = rest.strip_prefix('#') {
            rest = comment.split_once('\n').map_or("", |(_, after)| after);
            continue;
        }
        let first = rest.chars().next()?;
        if first == close {
            // The display must be the whole value (not `[...] + other`).
            let after = rest[1..].trim_start_matches([' ', '\t']);
            return (after.is_empty() || after.starts_with(['\n', '\r', '#', ';'])).then_some(out);
        }
        if first != '"' && first != '\'' {
            return None;
        }
        let (name, after) = rest[1..].split_once(first)?;
        if name.is_empty() || !name.chars().all(|c| c.is_alphanumeric() || c == '_') || name.starts_with(|c: char| c.is_numeric()) {
            return None;
        }
        out.push(name);
        rest = after;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn listed_in(source: &str) -> Option<Vec<&str>> {
        names(source, &FileSummary::extract(source)).map(|names| names.iter().map(|n| n.as_str()).collect())
    }

    #[test]
    fn plain_displays_are_read_and_anything_else_is_unknown() {
        assert_eq!(listed_in("__all__ = ['a', \"_b\"]  # exported\n"), Some(vec!["a", "_b"]));
        assert_eq!(listed_in("__all__ = (\n    'a',  # one\n    'sub',\n)\n__all__ += ['c']\n"), Some(vec!["a", "sub", "c"]));
        assert_eq!(listed_in("x = 1\n"), None);
        assert_eq!(listed_in("__all__ = ['a'] + other.__all__\n"), None);
        assert_eq!(listed_in("__all__ = ['a']\n__all__.append('b')\n"), None);
        assert_eq!(listed_in("__all__ = names()\n"), None);
        assert_eq!(listed_in("__all__ = ['a b']\n"), None);
    }
}
