//! Where generated code goes, and how its indentation is made the file's:
//! models answer with tabs, two spaces or the code already indented, so a
//! reply is converted to the file's indentation unit, dedented, and indented
//! to where it stands.

use std::ops::Range;

use ruff_python_ast::token::TokenKind;
use ruff_text_size::Ranged;

use super::targets::FunctionTarget;

/// A definition an action rewrites, located by byte offsets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DefTarget {
    pub name: String,
    pub is_class: bool,
    /// The classes and functions it is defined in, outermost first.
    pub container: Vec<String>,
    /// The definition with its decorators.
    pub range: Range<usize>,
    pub docstring: Option<Range<usize>>,
}

impl FunctionTarget {
    pub fn def(&self) -> DefTarget {
        DefTarget { name: self.name.clone(), is_class: false, container: self.container.clone(), range: self.range.clone(), docstring: self.docstring.clone() }
    }
}

/// How a reply's code goes into the document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Placement {
    /// Implement: the reply fills the function's body, or rewrites the
    /// function when it holds its `def`.
    Body(FunctionTarget),
    /// Refactor or fix of a whole function or class: the reply rewrites it.
    Definition(DefTarget),
    /// Whole lines (a comment, a selection, a module-level fix): `range`
    /// starts at a line start and ends after a newline or at the end of the
    /// text. A reply holding the whole definition they are `within`
    /// rewrites that definition instead.
    Lines { range: Range<usize>, indent: String, within: Option<DefTarget> },
    /// Appended at the end of the file (generated tests).
    Append,
}

/// The whole lines `range` touches, and the indentation of the first.
pub fn whole_lines(source: &str, range: Range<usize>) -> (Range<usize>, String) {
    let start = line_start(source, range.start.min(source.len()));
    let end = range.end.clamp(start, source.len());
    // A selection ending at a line start does not take that line.
    let inside_crlf = source[..end].ends_with('\r') && source[end..].starts_with('\n');
    let at_line_start = line_start(source, end) == end && !inside_crlf;
    let end = if end > start && at_line_start { end } else { line_end(source, end) };
    (start..end, leading_whitespace(&source[start..end]).to_owned())
}

/// Where the line `offset` is on starts: lines end at `\n`, `\r\n` or a
/// bare `\r`, as the editor counts them (see [`crate::line_ends`]).
pub fn line_start(source: &str, offset: usize) -> usize {
    source[..offset].rfind(['\n', '\r']).map_or(0, |i| i + 1)
}

/// The offset after the line break ending the line `offset` is on (both
/// bytes of a `\r\n`).
pub fn line_end(source: &str, offset: usize) -> usize {
    match source[offset..].find(['\n', '\r']) {
        Some(i) if source[offset + i..].starts_with("\r\n") => offset + i + 2,
        Some(i) => offset + i + 1,
        None => source.len(),
    }
}

fn leading_whitespace(line: &str) -> &str {
    &line[..line.len() - line.trim_start_matches([' ', '\t']).len()]
}

/// The indentation unit of `source`: a tab, or the smallest indentation of
/// an indented line (four spaces when nothing is indented).
pub fn indent_unit(source: &str) -> String {
    let mut smallest: Option<&str> = None;
    for line in source.lines().filter(|l| !l.trim().is_empty()) {
        let ws = leading_whitespace(line);
        if ws.starts_with('\t') {
            return "\t".to_owned();
        }
        if !ws.is_empty() && smallest.is_none_or(|s| ws.len() < s.len()) {
            smallest = Some(ws);
        }
    }
    smallest.map_or_else(|| "    ".to_owned(), str::to_owned)
}

/// `line` with the invisible characters models put around code made
/// plain: no-break spaces in its indentation and at its end are spaces,
/// zero-width spaces and joiners (and byte order marks) there are nothing.
pub fn plain_whitespace(line: &str) -> String {
    let invisible = |c: char| matches!(c, '\u{200b}' | '\u{200c}' | '\u{200d}' | '\u{2060}' | '\u{feff}');
    let blank = |c: char| c == ' ' || c == '\t' || c == '\u{a0}' || invisible(c);
    let body = line.trim_matches(blank);
    if body.is_empty() {
        return String::new();
    }
    let start = line.len() - line.trim_start_matches(blank).len();
    let lead: String = line[..start].chars().filter(|&c| !invisible(c)).map(|c| if c == '\u{a0}' { ' ' } else { c }).collect();
    format!("{lead}{body}")
}

/// `code` in the indentation unit `unit`, dedented, ending with one newline.
/// Lines inside multi-line strings keep their text; elsewhere no-break and
/// zero-width spaces around the code are made plain.
pub fn normalise(code: &str, unit: &str) -> String {
    let plain: String = code.lines().map(|l| format!("{}\n", plain_whitespace(l))).collect();
    let code = if code.lines().any(|l| plain_whitespace(l) != l.trim_end()) { &dedent(&plain) } else { &dedent(code) };
    let from = indent_unit(code);
    let inside_strings = string_continuations(code);
    let mut offset = 0;
    let mut lines = Vec::new();
    for line in code.split_inclusive('\n') {
        let start = offset;
        offset += line.len();
        let line = line.trim_end_matches(['\n', '\r']);
        let inside = inside_strings.iter().any(|r| r.start < start && start < r.end);
        if inside || from == unit {
            lines.push((line.to_owned(), inside));
            continue;
        }
        let ws = leading_whitespace(line);
        let (levels, rest) = if from == "\t" {
            let tabs = ws.chars().take_while(|&c| c == '\t').count();
            (tabs, ws.len() - tabs)
        } else {
            let spaces = ws.replace('\t', &from);
            (spaces.len() / from.len(), spaces.len() % from.len())
        };
        lines.push((format!("{}{}{}", unit.repeat(levels), " ".repeat(rest), &line[ws.len()..]), false));
    }
    let mut out = String::new();
    for (line, inside) in &lines {
        out.push_str(if line.trim().is_empty() && !inside { "" } else { line });
        out.push('\n');
    }
    out.truncate(out.trim_end().len());
    out.push('\n');
    out
}

/// `code` without the leading whitespace all its code lines share (lines
/// continuing a multi-line string lose what they have of it).
fn dedent(code: &str) -> String {
    let inside_strings = string_continuations(code);
    let mut offset = 0;
    let mut lines = Vec::new();
    for line in code.split_inclusive('\n') {
        let inside = inside_strings.iter().any(|r| r.start < offset && offset < r.end);
        offset += line.len();
        lines.push((line, inside));
    }
    // Comments do not count, nor the imports a reply puts at column 0
    // above code indented as it stands in its class.
    let comment = |l: &str| l.trim_start().starts_with('#') || l.trim_start().starts_with("//");
    let import = |l: &str| l.starts_with("import ") || l.starts_with("from ");
    let preamble = lines.iter().take_while(|(l, inside)| !inside && (l.trim().is_empty() || comment(l) || import(l))).count();
    let common = lines
        .iter()
        .enumerate()
        .filter(|(i, (l, inside))| !inside && !l.trim().is_empty() && !comment(l) && *i >= preamble)
        .map(|(_, (l, _))| leading_whitespace(l).len())
        .min()
        .unwrap_or(0);
    lines.iter().map(|(l, _)| &l[common.min(leading_whitespace(l).len())..]).collect()
}

/// The byte ranges of string tokens that span lines.
fn string_continuations(code: &str) -> Vec<Range<usize>> {
    let parsed = ruff_python_parser::parse_unchecked_source(code, ruff_python_ast::PySourceType::Python);
    parsed
        .tokens()
        .iter()
        .filter(|t| matches!(t.kind(), TokenKind::String | TokenKind::FStringMiddle | TokenKind::TStringMiddle))
        .map(|t| t.range().start().to_usize()..t.range().end().to_usize())
        .filter(|r| code[r.clone()].contains('\n'))
        .collect()
}

/// `code` with `prefix` before every non-blank line.
pub fn indent(code: &str, prefix: &str) -> String {
    code.lines().map(|l| if l.trim().is_empty() { "\n".to_owned() } else { format!("{prefix}{l}\n") }).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bare_carriage_return_ends_a_line() {
        // Old Mac line ends: the line of `b` is `b = 2\r`, not the whole text.
        let source = "a = 1\rb = 2\rc = 3\r";
        let b = source.find('b').unwrap();
        assert_eq!((line_start(source, b + 2), line_end(source, b)), (b, b + 6));
        assert_eq!(whole_lines(source, b..b + 1), (b..b + 6, String::new()));
        assert_eq!(whole_lines(source, 0..b), (0..b, String::new()));
        // Must not: `\n` and `\r\n` lines are taken as before, the pair whole.
        let crlf = "a = 1\r\n    b = 2\r\nc = 3\r\n";
        let b = crlf.find('b').unwrap();
        assert_eq!((line_start(crlf, b + 2), line_end(crlf, b)), (b - 4, b + 7));
        assert_eq!(whole_lines(crlf, b..b + 1), (b - 4..b + 7, "    ".to_owned()));
        assert_eq!(whole_lines(crlf, 0..b - 4), (0..b - 4, String::new()));
        let lf = "a = 1\n    b = 2\nc = 3";
        let b = lf.find('b').unwrap();
        assert_eq!((line_start(lf, b + 2), line_end(lf, b), line_end(lf, lf.len() - 1)), (b - 4, b + 6, lf.len()));
        // A selection ending before a blank line does not take it.
        assert_eq!(whole_lines("a\n\nb", 0..2), (0..2, String::new()));
    }

    #[test]
    fn tabs_and_two_spaces_become_the_files_unit() {
        assert_eq!(normalise("def f():\n\tif x:\n\t\treturn 1\n", "    "), "def f():\n    if x:\n        return 1\n");
        assert_eq!(normalise("    def f():\n      return 1\n", "    "), "def f():\n    return 1\n");
        assert_eq!(normalise("def f():\n    return 1\n", "\t"), "def f():\n\treturn 1\n");
        // A multi-line string keeps its text.
        assert_eq!(normalise("def f():\n\treturn '''a\n\t\tb'''\n", "    "), "def f():\n    return '''a\n\t\tb'''\n");
        assert_eq!(normalise("  def f():\n    \"\"\"Doc.\n\n    More.\"\"\"\n", "  "), "def f():\n  \"\"\"Doc.\n\n  More.\"\"\"\n");
        assert_eq!(indent_unit("class C:\n  def f(self):\n    pass\n"), "  ");
        // No-break and zero-width spaces in the indentation are made plain.
        assert_eq!(normalise("def f():\n\u{a0}\u{a0}\u{a0}\u{a0}if x:\n\u{200b}        return 1\u{a0}\n", "    "), "def f():\n    if x:\n        return 1\n");
    }

    #[test]
    fn imports_and_comments_at_column_0_do_not_hold_indented_code_in_place() {
        let reply = "import math\n\n    def total(self):\n        # sum\n        return math.fsum(self.items)\n";
        assert_eq!(normalise(reply, "    "), "import math\n\ndef total(self):\n    # sum\n    return math.fsum(self.items)\n");
        let placeholder = "// ... existing code ...\n    def total(self):\n        return 1\n// ... existing code ...\n";
        assert_eq!(normalise(placeholder, "    "), "// ... existing code ...\ndef total(self):\n    return 1\n// ... existing code ...\n");
    }

    #[test]
    fn whole_lines_of_a_selection() {
        let source = "def f():\n    # TODO: return two\n    pass\n";
        let (range, indent) = whole_lines(source, 15..15);
        assert_eq!((&source[range], indent.as_str()), ("    # TODO: return two\n", "    "));
    }
}
