//! Findings: what `pyloom check` prints and the server publishes as
//! diagnostics. Syntax errors today; lint, security and graph checks add
//! their own producers but keep this one shape.

use std::ops::Range;
use std::path::PathBuf;

use ruff_source_file::LineIndex;
use ruff_text_size::TextSize;
use serde::Serialize;

use crate::syntax;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Category {
    Syntax,
    Lint,
    Security,
    Graph,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
    Info,
}

/// A replacement of a byte range of the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edit {
    pub range: Range<usize>,
    pub content: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fix {
    pub message: String,
    pub edits: Vec<Edit>,
}

/// One finding in one file, located by byte offsets into that file's text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub range: Range<usize>,
    pub code: String,
    pub category: Category,
    pub severity: Severity,
    pub message: String,
    pub fix: Option<Fix>,
}

/// Everything pyloom finds in one file's text.
pub fn check_source(source: &str) -> Vec<Finding> {
    syntax::syntax_errors(source)
        .into_iter()
        .map(|e| Finding {
            range: e.range,
            code: "E999".to_owned(),
            category: Category::Syntax,
            severity: Severity::Error,
            message: e.message,
            fix: None,
        })
        .collect()
}

/// A finding located by 1-based line and column (Unicode scalars), the shape
/// of `pyloom check --format json`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Located {
    pub file: PathBuf,
    pub line: usize,
    pub column: usize,
    pub end_line: usize,
    pub end_column: usize,
    pub code: String,
    pub category: Category,
    pub severity: Severity,
    pub message: String,
    pub fix: Option<LocatedFix>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LocatedFix {
    pub message: String,
    pub edits: Vec<LocatedEdit>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LocatedEdit {
    pub line: usize,
    pub column: usize,
    pub end_line: usize,
    pub end_column: usize,
    pub content: String,
}

/// Converts byte offsets to line/column for people and scripts.
pub struct Locator<'a> {
    source: &'a str,
    index: LineIndex,
}

impl<'a> Locator<'a> {
    pub fn new(source: &'a str) -> Self {
        Self { source, index: LineIndex::from_source_text(source) }
    }

    /// 1-based (line, column) of a byte offset.
    pub fn line_column(&self, offset: usize) -> (usize, usize) {
        let offset = TextSize::new(u32::try_from(offset.min(self.source.len())).unwrap_or(u32::MAX));
        let lc = self.index.line_column(offset, self.source);
        (lc.line.get(), lc.column.get())
    }

    pub fn locate(&self, file: PathBuf, finding: Finding) -> Located {
        let (line, column) = self.line_column(finding.range.start);
        let (end_line, end_column) = self.line_column(finding.range.end);
        Located {
            file,
            line,
            column,
            end_line,
            end_column,
            code: finding.code,
            category: finding.category,
            severity: finding.severity,
            message: finding.message,
            fix: finding.fix.map(|fix| LocatedFix {
                message: fix.message,
                edits: fix.edits.into_iter().map(|e| self.locate_edit(e)).collect(),
            }),
        }
    }

    fn locate_edit(&self, edit: Edit) -> LocatedEdit {
        let (line, column) = self.line_column(edit.range.start);
        let (end_line, end_column) = self.line_column(edit.range.end);
        LocatedEdit { line, column, end_line, end_column, content: edit.content }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn syntax_error_is_located_one_based_in_scalars() {
        let source = "s = '😀'\ndef f(:\n    pass\n";
        let mut findings = check_source(source);
        assert_eq!(findings.len(), 2, "{findings:?}");
        let located = Locator::new(source).locate("a.py".into(), findings.remove(0));
        assert_eq!((located.line, located.column, located.end_column), (2, 7, 8));
        assert_eq!(located.message, "Expected a parameter or the end of the parameter list");
        assert_eq!(located.category, Category::Syntax);
        assert_eq!(located.severity, Severity::Error);
    }
}
