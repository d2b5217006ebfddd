//! Findings placed for people: 1-based lines and columns (Unicode
//! scalars), a notebook's cell, related places and fix edits located the
//! same way; what `pyloom check --format json` prints.

use std::ops::Range;
use std::path::PathBuf;

use ruff_source_file::LineIndex;
use ruff_text_size::TextSize;
use serde::Serialize;

use super::{Amends, Applicability, Category, Confidence, Edit, Finding, Related, Severity, Upgrade};
use crate::notebook::Notebook;

/// A finding located by 1-based line and column (Unicode scalars), the shape
/// of `pyloom check --format json`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Located {
    pub file: PathBuf,
    /// In a notebook, the cell (from 1, markdown counted, as ruff numbers
    /// them) that `line` and `column` are in.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cell: Option<usize>,
    pub line: usize,
    pub column: usize,
    pub end_line: usize,
    pub end_column: usize,
    pub code: String,
    pub category: Category,
    pub severity: Severity,
    pub message: String,
    pub fix: Option<LocatedFix>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub confidence: Option<Confidence>,
    /// Where the definition a graph finding was checked against is.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub related: Vec<LocatedRelated>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LocatedRelated {
    pub file: PathBuf,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cell: Option<usize>,
    pub line: usize,
    pub column: usize,
    pub message: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LocatedFix {
    pub message: String,
    pub applicability: Applicability,
    pub edits: Vec<LocatedEdit>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LocatedEdit {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cell: Option<usize>,
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
    /// Lines are counted in this notebook's cells.
    notebook: Option<&'a Notebook>,
    related_files: std::cell::RefCell<rustc_hash::FxHashMap<PathBuf, RelatedFile>>,
}

impl<'a> Locator<'a> {
    pub fn new(source: &'a str) -> Self {
        Self::with_index(source, LineIndex::from_source_text(source))
    }

    /// A locator for `source` with the line index already built for it.
    pub fn with_index(source: &'a str, index: LineIndex) -> Self {
        Self { source, index, notebook: None, related_files: Default::default() }
    }

    /// Lines counted in `notebook`'s cells (`source` is its module text).
    pub fn in_cells(mut self, notebook: &'a Notebook) -> Self {
        self.notebook = Some(notebook);
        self
    }

    /// The cell (from 1) and the 1-based line in it of a 1-based module
    /// line; outside notebooks, no cell and the line. A line in no cell (a
    /// notebook without code: CPY001 at its start) is cell 1's line 1, as
    /// ruff prints it.
    fn in_cell(&self, line: usize) -> (Option<usize>, usize) {
        let Some(notebook) = self.notebook else { return (None, line) };
        match notebook.to_cell(line.saturating_sub(1) as u32) {
            Some(at) => (Some(at.cell + 1), at.line as usize + 1),
            None => (Some(1), 1),
        }
    }

    /// 1-based (line, column) of a byte offset.
    pub fn line_column(&self, offset: usize) -> (usize, usize) {
        let offset = TextSize::new(u32::try_from(offset.min(self.source.len())).unwrap_or(u32::MAX));
        let lc = self.index.line_column(offset, self.source);
        (lc.line.get(), lc.column.get())
    }

    /// Changes the findings of `located` (this file's) as `amends` says:
    /// pyloom's own that a helper elsewhere sanitised go, ruff's become low,
    /// those callers elsewhere make surer say so, with where their data
    /// entered there. (The caller drops what the confidence setting then
    /// hides.)
    pub fn amend(&self, located: &mut Vec<Located>, amends: Amends) {
        for (start, code) in amends.cleared {
            let (cell, line, column) = self.place(start);
            located.retain(|f| (f.cell, f.line, f.column) != (cell, line, column) || f.code != code);
        }
        for (start, code) in amends.lowered {
            let (cell, line, column) = self.place(start);
            if let Some(finding) = located.iter_mut().find(|f| (f.cell, f.line, f.column) == (cell, line, column) && f.code == code) {
                finding.confidence = Some(Confidence::Low);
            }
        }
        for upgrade in amends.upgrades {
            self.upgrade(located, upgrade);
        }
    }

    fn upgrade(&self, located: &mut [Located], upgrade: Upgrade) {
        let (cell, line, column) = self.place(upgrade.start);
        if let Some(finding) = located.iter_mut().find(|f| (f.cell, f.line, f.column) == (cell, line, column) && f.code == upgrade.code) {
            finding.confidence = Some(upgrade.confidence);
            // What entered at a place the first check named (a parameter)
            // says more of it.
            let related: Vec<LocatedRelated> = upgrade.related.into_iter().map(|r| self.locate_related(r)).collect();
            finding.related.retain(|r| !related.iter().any(|n| (&n.file, n.cell, n.line, n.column) == (&r.file, r.cell, r.line, r.column)));
            finding.related.extend(related);
        }
    }

    pub fn locate(&self, file: PathBuf, finding: Finding) -> Located {
        let (cell, line, column) = self.place(finding.range.start);
        let (end_line, end_column) = self.end(&finding.range);
        Located {
            file,
            cell,
            line,
            column,
            end_line,
            end_column,
            code: finding.code,
            category: finding.category,
            severity: finding.severity,
            message: finding.message,
            url: finding.url,
            confidence: finding.confidence,
            related: finding.related.into_iter().map(|r| self.locate_related(r)).collect(),
            fix: finding.fix.map(|fix| LocatedFix {
                message: fix.message,
                applicability: fix.applicability,
                edits: fix.edits.into_iter().map(|e| self.locate_edit(e)).collect(),
            }),
        }
    }

    fn locate_edit(&self, edit: Edit) -> LocatedEdit {
        let (cell, line, column) = self.place(edit.range.start);
        let (end_line, end_column) = self.end(&edit.range);
        LocatedEdit { cell, line, column, end_line, end_column, content: edit.content }
    }

    /// The cell, line and column of a byte offset.
    fn place(&self, offset: usize) -> (Option<usize>, usize, usize) {
        let (line, column) = self.line_column(offset);
        let (cell, line) = self.in_cell(line);
        (cell, line, column)
    }

    /// Where `range` ends, in its start's cell: a range that takes in the
    /// line break ruff puts after a cell (an import removed with its line)
    /// ends with the cell's text, not at the next cell.
    fn end(&self, range: &Range<usize>) -> (usize, usize) {
        let (cell, line, column) = self.place(range.end);
        let past_its_cell = |notebook: &Notebook| {
            let lines = cell.and_then(|c| notebook.cell_lines(c - 1)).map(|(_, lines)| lines as usize);
            cell != self.place(range.start).0 || lines.is_none_or(|lines| line > lines)
        };
        if column == 1 && range.end > range.start && self.notebook.is_some_and(past_its_cell) {
            let (_, line, column) = self.place(range.end - 1);
            return (line, column);
        }
        (line, column)
    }
}

/// Related places are in other files: read to find their line and column
/// (there are few of them); in a notebook, in its cells.
/// A file a related place is in, read and indexed once per [`Locator`]:
/// every flow finding of a file may name a place in the same other file.
struct RelatedFile {
    text: String,
    notebook: Option<Notebook>,
    index: LineIndex,
}

impl Locator<'_> {
    fn locate_related(&self, related: Related) -> LocatedRelated {
        let mut files = self.related_files.borrow_mut();
        let file = files.entry(related.file.clone()).or_insert_with(|| {
            let text = std::fs::read_to_string(&related.file).unwrap_or_default();
            let notebook = Notebook::is_notebook(&related.file).then(|| Notebook::parse(&text).ok()).flatten();
            let index = LineIndex::from_source_text(notebook.as_ref().map_or(text.as_str(), Notebook::source));
            RelatedFile { text, notebook, index }
        });
        let (cell, line, column) = match &file.notebook {
            Some(notebook) => Locator::with_index(notebook.source(), file.index.clone()).in_cells(notebook).place(related.range.start),
            None => Locator::with_index(&file.text, file.index.clone()).place(related.range.start),
        };
        LocatedRelated { file: related.file, cell, line, column, message: related.message }
    }
}
