//! A splice of a notebook's joined text. The graph parses a notebook cell
//! by cell, as IPython runs it; a splice parses the statements around an
//! edit alone, which reads them as their cell does only when they lie in
//! one cell. A keystroke in a cell resizes it and moves every cell after
//! it: that layout is the old one moved by the edit, not a new one, so the
//! keystroke is spliced like one in a `.py` file instead of re-parsing the
//! whole notebook.

use ruff_text_size::TextRange;

use super::spliced::Spliced;

impl Spliced {
    /// Whether this splice of a notebook's text reads as the cells do: the
    /// text was parsed as the cells `old` and is now laid out as `new`, one
    /// cell took the edit's change of length and the others only moved
    /// (none added, removed or resized), the statements re-parsed lie in
    /// that cell (up to the line break after it, where the next cell's first
    /// statement starts), and they parse without errors (a broken cell's
    /// recovery is the whole parse's). The cell is told by the layouts, not
    /// by the edit's place: text typed at a cell's end (`\nq`) may be found
    /// as one inserted at the next cell's start (`q\n`).
    pub fn within_cell(&self, old: &[TextRange], new: &[TextRange]) -> bool {
        let grown = i64::from(self.edit.new_end) - i64::from(self.edit.old_end);
        let region = (i64::from(self.region.start), i64::from(self.region.new_end));
        let bounds = |cell: &TextRange| (i64::from(cell.start().to_u32()), i64::from(cell.end().to_u32()));
        let resized = old.iter().zip(new).position(|(before, now)| before != now);
        let Some(at) = resized.or_else(|| new.iter().position(|cell| bounds(cell).0 <= region.0 && region.0 <= bounds(cell).1)) else { return false };
        let moved = |i: usize, (start, end): (i64, i64)| match i {
            i if i < at => (start, end),
            i if i == at => (start, end + grown),
            _ => (start + grown, end + grown),
        };
        if old.len() != new.len() || !old.iter().zip(new).enumerate().all(|(i, (before, now))| moved(i, bounds(before)) == bounds(now)) {
            return false;
        }
        let (start, end) = bounds(&new[at]);
        start <= region.0 && region.1 <= end + 1 && self.summary.syntax_errors == 0
    }
}

#[cfg(test)]
#[path = "in_cell_tests.rs"]
mod tests;
