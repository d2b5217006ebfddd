//! Where generated code goes: re-indented to the target's indentation, it
//! replaces the target's range. Models answer at whatever indentation they
//! like, so the code is dedented first and indented to fit the file.

use std::ops::Range;

use super::targets::FunctionTarget;

/// How a reply's code replaces part of the document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Placement {
    /// The body of a function (implement). A reply holding the whole `def`
    /// (models often repeat it) replaces the function instead.
    Body(FunctionTarget),
    /// Whole lines (a comment, a selection, a fix): `range` starts at a
    /// line start and ends after a newline or at the end of the text.
    Lines { range: Range<usize>, indent: String },
    /// Appended at the end of the file (generated tests).
    Append,
}

/// The range of `source` the code replaces and its replacement text.
pub fn place(source: &str, placement: &Placement, code: &str) -> (Range<usize>, String) {
    let code = dedent(code);
    match placement {
        Placement::Body(function) => {
            let first = code.lines().find(|l| !l.trim().is_empty()).unwrap_or_default();
            if first.starts_with("def ") || first.starts_with("async def ") {
                let def_indent = &source[line_start(source, function.range.start)..function.range.start];
                let text = indent(&code, def_indent);
                return (function.range.clone(), text[def_indent.len()..].trim_end().to_owned());
            }
            let body = indent(&code, &function.indent);
            if function.body.is_empty() {
                // Only a docstring: the body starts on a line of its own.
                (function.body.clone(), format!("\n{}", body.trim_end()))
            } else {
                (function.body.clone(), body.trim_end().to_owned())
            }
        }
        Placement::Lines { range, indent: prefix } => {
            let mut text = indent(&code, prefix);
            if !source[range.clone()].ends_with('\n') {
                text.truncate(text.trim_end().len());
            }
            (range.clone(), text)
        }
        Placement::Append => {
            let separator = match source {
                "" => "",
                s if s.ends_with("\n\n") => "\n",
                s if s.ends_with('\n') => "\n\n",
                _ => "\n\n\n",
            };
            (source.len()..source.len(), format!("{separator}{code}"))
        }
    }
}

/// The whole lines `range` touches, and the indentation of the first.
pub fn whole_lines(source: &str, range: Range<usize>) -> (Range<usize>, String) {
    let start = line_start(source, range.start.min(source.len()));
    let end = range.end.clamp(start, source.len());
    // A selection ending at a line start does not take that line.
    let end = if end > start && source[..end].ends_with('\n') {
        end
    } else {
        source[end..].find('\n').map_or(source.len(), |i| end + i + 1)
    };
    let first = &source[start..end];
    let indent = first[..first.len() - first.trim_start_matches([' ', '\t']).len()].to_owned();
    (start..end, indent)
}

/// `code` without the indentation all its non-blank lines share, ending
/// with one newline.
fn dedent(code: &str) -> String {
    let common = code
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.len() - l.trim_start_matches([' ', '\t']).len())
        .min()
        .unwrap_or(0);
    let mut out: String = code
        .lines()
        .map(|l| if l.trim().is_empty() { "\n".to_owned() } else { format!("{}\n", &l[common..]) })
        .collect();
    out.truncate(out.trim_end().len());
    out.push('\n');
    out
}

fn indent(code: &str, prefix: &str) -> String {
    code.lines().map(|l| if l.is_empty() { "\n".to_owned() } else { format!("{prefix}{l}\n") }).collect()
}

fn line_start(source: &str, offset: usize) -> usize {
    source[..offset].rfind('\n').map_or(0, |i| i + 1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::actions::targets::function_at;

    fn splice(source: &str, (range, text): (Range<usize>, String)) -> String {
        format!("{}{text}{}", &source[..range.start], &source[range.end..])
    }

    #[test]
    fn a_body_is_indented_into_the_function() {
        let source = "class C:\n    def f(self):\n        \"\"\"Doc.\"\"\"\n        ...\n\nx = 1\n";
        let target = function_at(source, 20).unwrap();
        let placed = place(source, &Placement::Body(target.clone()), "return 1\n");
        assert_eq!(splice(source, placed), "class C:\n    def f(self):\n        \"\"\"Doc.\"\"\"\n        return 1\n\nx = 1\n");
        // A whole def in the reply replaces the function.
        let placed = place(source, &Placement::Body(target), "  def f(self):\n      if self:\n          return 2\n");
        assert_eq!(splice(source, placed), "class C:\n    def f(self):\n        if self:\n            return 2\n\nx = 1\n");
    }

    #[test]
    fn a_docstring_only_function_gets_its_body_on_new_lines() {
        let source = "def f():\n    \"\"\"Doc.\"\"\"\n";
        let target = function_at(source, 5).unwrap();
        let placed = place(source, &Placement::Body(target), "return 1");
        assert_eq!(splice(source, placed), "def f():\n    \"\"\"Doc.\"\"\"\n    return 1\n");
    }

    #[test]
    fn lines_keep_their_indentation_and_appends_are_separated() {
        let source = "def f():\n    # TODO: return two\n    pass\n";
        let (range, indent) = whole_lines(source, 15..15);
        assert_eq!(&source[range.clone()], "    # TODO: return two\n");
        let placed = place(source, &Placement::Lines { range, indent }, "x = 2\nreturn x\n");
        assert_eq!(splice(source, placed), "def f():\n    x = 2\n    return x\n    pass\n");
        let placed = place("import a\n", &Placement::Append, "def test_a():\n    assert a\n");
        assert_eq!(splice("import a\n", placed), "import a\n\n\ndef test_a():\n    assert a\n");
    }
}
