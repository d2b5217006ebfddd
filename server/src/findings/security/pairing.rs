//! Which of ruff's findings is the same problem as one of pyloom's: an
//! equivalent code on the same line, or in the same call. A call over
//! several lines is reported where each rule looks: ruff's S506 on its
//! `Loader=` line, pyloom's LOOM506 on `yaml.load(`.
//!
//! Findings are looked up by code and place in a hash table, not compared
//! pairwise: a file with thousands of findings made that grow with the
//! square of their number.

use std::ops::Range;

use ruff_python_ast::visitor::{self, Visitor};
use ruff_python_ast::{Expr, ModModule};
use ruff_source_file::{LineIndex, OneIndexed};
use ruff_text_size::{Ranged, TextSize};
use rustc_hash::FxHashMap;

use crate::findings::innermost::Innermost;

/// Where a finding is, for pairing.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
enum Site {
    Line(OneIndexed),
    /// The start of the innermost call the finding is in.
    Call(usize),
}

/// The places of a module's findings.
pub(in crate::findings) struct Sites<'i> {
    index: &'i LineIndex,
    calls: Innermost<()>,
}

impl<'i> Sites<'i> {
    pub(in crate::findings) fn new(index: &'i LineIndex, module: &ModModule) -> Self {
        let mut calls = Calls(Vec::new());
        calls.visit_body(&module.body);
        Sites { index, calls: Innermost::new(calls.0) }
    }

    fn of(&self, offset: usize) -> impl Iterator<Item = Site> {
        let line = self.index.line_index(TextSize::new(u32::try_from(offset).unwrap_or(u32::MAX)));
        let call = self.calls.at(offset).map(|(range, _)| Site::Call(range.start));
        std::iter::once(Site::Line(line)).chain(call)
    }

    /// Whether a finding that starts at `other` is on the call a flow
    /// finding marks (`call`): inside it (ruff's S608 on the query of a
    /// call written over several lines), on its first line, or in the same
    /// innermost call (ruff's S506 on the `Loader=` line of `yaml.load(`).
    pub(in crate::findings) fn on_the_call(&self, call: &Range<usize>, other: usize) -> bool {
        call.contains(&other) || self.of(call.start).any(|site| self.of(other).any(|theirs| theirs == site))
    }

    /// The findings given, by code and place.
    pub(super) fn table<'c>(&self, findings: impl IntoIterator<Item = (&'c str, usize)>) -> Table {
        let mut table = Table::default();
        for (i, (code, offset)) in findings.into_iter().enumerate() {
            for site in self.of(offset) {
                table.0.entry((code.to_owned(), site)).or_insert(i);
            }
        }
        table
    }

    /// The first finding in `table` with one of `codes` at the place of
    /// `offset`.
    pub(super) fn find(&self, table: &Table, codes: &[&str], offset: usize) -> Option<usize> {
        self.of(offset).flat_map(|site| codes.iter().filter_map(move |code| table.0.get(&((*code).to_owned(), site)).copied())).min()
    }
}

/// Findings (their indexes in the order given) by code and place; the
/// codes owned, so that the findings can be changed once found.
#[derive(Default)]
pub(super) struct Table(FxHashMap<(String, Site), usize>);

struct Calls(Vec<(Range<usize>, ())>);

impl<'a> Visitor<'a> for Calls {
    fn visit_expr(&mut self, expr: &'a Expr) {
        if let Expr::Call(call) = expr {
            self.0.push((call.start().to_usize()..call.end().to_usize(), ()));
        }
        visitor::walk_expr(self, expr);
    }
}
