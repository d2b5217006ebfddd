//! Re-summarising only the top-level statements an edit touched.
//!
//! A keystroke in a 2,700-line module changes one statement; parsing and
//! summarising the whole file again took ~4.5 ms of every edit's delay.
//! The statements around the edit are parsed alone (their text at its
//! place, what comes before blanked out, so offsets stay), summarised,
//! and put between the old summary's items before them and its items
//! after them, moved and renumbered.
//!
//! The result must be exactly what extracting the whole text gives, so
//! the splice is refused (`None`: the caller extracts the whole file)
//! wherever a statement's summary depends on another statement's:
//!
//! - the text does not split there: the region must start and end at the
//!   start of a line that starts a statement, and parse alone without an
//!   error (an unclosed bracket or string that spills over statements
//!   does not), nor end in a line continuation;
//! - the first statement (the module's docstring) is touched;
//! - a module-level variable is assigned both inside the region and
//!   outside it (the first assignment defines it, the later ones add
//!   values to that definition);
//! - a constant the platform tests read (`WIN = sys.platform == ...`) is
//!   assigned inside the region;
//! - a module-level `assert` or `if ...: raise` narrows the statements
//!   after it, and one is in the region or narrows over it.

use ruff_python_ast::visitor::Visitor;
use ruff_python_ast::{self as ast, Stmt};
use ruff_text_size::Ranged;
use rustc_hash::FxHashSet;

use super::builder::Builder;
use super::moved::{Marks, TextEdit};
use super::{BindingKind, Definition, DefinitionKind, Detail, FileSummary, ScopeId, Span};

/// The top-level statements an edit touched: `old[start..old_end]`, now
/// `new[start..new_end]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Region {
    pub start: u32,
    pub old_end: u32,
    pub new_end: u32,
}

/// A summary spliced after an edit, and the statements re-summarised.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Spliced {
    pub summary: FileSummary,
    pub region: Region,
    pub edit: TextEdit,
}

impl Region {
    /// From the statement before the edit's start (the edit may join it)
    /// to the first statement after the edit's end, both on a line's start.
    fn around(statements: &[u32], old: &str, edit: TextEdit) -> Option<Region> {
        let at_line_start = |offset: u32| offset == 0 || old.as_bytes().get(offset as usize - 1) == Some(&b'\n');
        let mut first = statements.partition_point(|&s| s < edit.start).checked_sub(1)?;
        while !at_line_start(statements[first]) {
            first = first.checked_sub(1)?;
        }
        let mut next = statements.partition_point(|&s| s <= edit.old_end);
        while next < statements.len() && !at_line_start(statements[next]) {
            next += 1;
        }
        if first == 0 {
            return None;
        }
        let old_end = statements.get(next).copied().unwrap_or(old.len() as u32);
        // A region that ends before the edit does (the break-and-mend fuzz
        // found one) cannot hold it: the caller takes the whole-text path.
        let new_end = (old_end + edit.new_end).checked_sub(edit.old_end)?;
        Some(Region { start: statements[first], old_end, new_end })
    }

    /// The outermost function of `new` (this region spliced after `edit`)
    /// that holds the whole edit, as a region of its own, and the edit
    /// (see below); the region itself when no function holds it. Django's
    /// large modules are each one class: an edit in a method then re-links
    /// and re-tokenises that method, not the class. Names bound in a
    /// function's body are seen only in it; what it shows the rest (its
    /// name, signature, return values, `self.x` attributes) the caller has
    /// found unchanged.
    ///
    /// Only the outermost: when it moved or changed its end, so did what
    /// it holds around the edit, and no function inside may stand for it
    /// (a `def ` typed in an `if` body ends the function there: what
    /// followed it becomes module code). Nor when a definition around it
    /// (its class) moved or ended elsewhere, nor when a broken text's
    /// statements around it changed (`same_around`).
    ///
    /// A hover's space typed after a method's last token (`if not ` at its
    /// end) lies past the method: the same change with that space put first
    /// (`TextEdit::blanks_first`) lies in it, and is the edit returned.
    pub fn narrowed(self, (old, old_text): (&FileSummary, &str), new: &FileSummary, (edit, new_text): (TextEdit, &str)) -> (Region, TextEdit) {
        let old = (old, old_text);
        let new = (new, new_text);
        if let Some(region) = self.narrowed_over(old, new, edit) {
            return (region, edit);
        }
        let slid = edit.blanks_first(old_text, new_text);
        match self.narrowed_over(old, new, slid).filter(|_| slid != edit) {
            Some(region) => (region, slid),
            None => (self, edit),
        }
    }

    /// [`Region::narrowed`] over `edit`, `None` when no function holds it.
    fn narrowed_over(self, (old, old_text): (&FileSummary, &str), (new, new_text): (&FileSummary, &str), edit: TextEdit) -> Option<Region> {
        let grown = i64::from(edit.new_end) - i64::from(edit.old_end);
        let is_function = |kind: DefinitionKind| matches!(kind, DefinitionKind::Function | DefinitionKind::Method);
        // The definition of `old` `d` was before the edit: the same kind,
        // start and end, moved.
        let before = |d: &Definition| {
            let old_end = u32::try_from(i64::from(d.range.end) - grown).ok()?;
            old.definitions.iter().find(|o| o.range.start == d.range.start && o.range.end == old_end && o.kind == d.kind)
        };
        let d = new
            .definitions
            .iter()
            .filter(|d| is_function(d.kind) && self.start <= d.range.start && d.range.end <= self.new_end)
            .filter(|d| d.range.start < edit.start && edit.new_end <= d.range.end)
            .min_by_key(|d| d.range.start)?;
        let old_d = before(d)?;
        let around_kept = enclosing(new, d.scope).all(|outer| before(outer).is_some());
        // A renamed function too: what it shows is compared by the caller
        // (unread.rs).
        let mid_line = |text: &str, end: u32| end > 0 && text.as_bytes().get(end as usize - 1).is_some_and(|&b| b != b'\n');
        let held = holds_its_items(new, d) && holds_its_items(old, old_d) && mid_line(new_text, d.range.end) && mid_line(old_text, old_d.range.end);
        let kept = edit.old_end <= old_d.range.end && around_kept && held;
        (kept && self.same_around(old, new, (old_d.range, d.range), edit)).then_some(Region {
            start: d.range.start,
            old_end: old_d.range.end,
            new_end: d.range.end,
        })
    }

    /// Whether the region's items outside the function (at `old_function`
    /// in the old text, `new_function` in the new) are the old ones moved
    /// over `edit`, numbered as they were. A clean parse nests: the statements around a function that
    /// kept its extent parse as before. A recovered one need not: a bracket
    /// left open in the function (`def read(self, n(self:`) is closed by a
    /// later method's stray `)`, which ends that method before its last
    /// line and leaves the line to the module, whose references linking
    /// only the function would leave to the method. What starts at the
    /// function's end is its own (see `holds_its_items`); what ended with
    /// it (its class, when it is the last method) ends with it.
    fn same_around(self, old: &FileSummary, new: &FileSummary, (old_function, new_function): (Span, Span), edit: TextEdit) -> bool {
        if old.syntax_errors == 0 && new.syntax_errors == 0 {
            return true;
        }
        let outside = |function: Span| move |s: u32| s < function.start || s > function.end;
        let old_outside = outside(old_function);
        let mut before = old.items_where(|s| self.holds_old(s) && old_outside(s));
        // Text typed at the function's end goes after the ends there
        // (`TextEdit::map_end`): the function took it, and so did what
        // ended with it.
        let ended_with = |range: &Span| range.end == old_function.end && range.start < old_function.start;
        let scopes: Vec<bool> = before.scopes.iter().map(|s| ended_with(&s.range)).collect();
        let definitions: Vec<bool> = before.definitions.iter().map(|d| ended_with(&d.range)).collect();
        before.move_items(edit, Marks::default());
        let scope_ranges = before.scopes.iter_mut().map(|s| &mut s.range);
        let definition_ranges = before.definitions.iter_mut().map(|d| &mut d.range);
        for (range, _) in scope_ranges.zip(scopes).chain(definition_ranges.zip(definitions)).filter(|(_, ended)| *ended) {
            range.end = new_function.end;
        }
        let new_outside = outside(new_function);
        before == new.items_where(|s| self.start <= s && s < self.new_end && new_outside(s))
    }

    /// Whether `offset` of the old text is inside.
    pub fn holds_old(self, offset: u32) -> bool {
        self.start <= offset && offset < self.old_end
    }

    /// The region in the new text.
    pub fn new_span(self) -> Span {
        Span::new(self.start, self.new_end)
    }
}

impl Spliced {
    /// The method holding all the new text's syntax errors, when it has
    /// some (only a method's splice may: method.rs), for the next splice:
    /// the definition the region starts with (the region may go on past
    /// it over whitespace).
    pub fn errors_in(&self) -> Option<Span> {
        let method = self.summary.definitions.iter().find(|d| d.range.start == self.region.start)?;
        (self.summary.syntax_errors > 0).then_some(method.range)
    }
}

impl FileSummary {
    /// The summary of `new`, the text of this summary's `old` after an edit,
    /// re-summarising only the top-level statements the edit touched; `None`
    /// when that might differ from extracting `new` (see the module's
    /// documentation). `source_type` is how `new` is parsed; `errors_in`,
    /// where this summary has syntax errors, the method that holds them all
    /// (see method.rs).
    pub fn spliced(&self, old: &str, new: &str, source_type: ast::PySourceType, errors_in: Option<Span>) -> Option<Spliced> {
        // The method holding the edit, else the top-level statements.
        let method = self.splice_method(old, new, source_type, errors_in);
        let spliced = method.or_else(|method| self.splice(old, new, source_type).map_err(|statements| (method, statements)));
        // Why an edit takes the whole file's parse (the typing tail).
        spliced.map_err(|(method, statements)| tracing::debug!(method, statements, "no splice")).ok()
    }

    /// [`FileSummary::spliced`], or why the whole text must be extracted.
    pub(super) fn splice(&self, old: &str, new: &str, source_type: ast::PySourceType) -> Result<Spliced, &'static str> {
        if self.syntax_errors > 0 || old == new {
            return Err("no clean summary to splice into, or no edit");
        }
        let edit = TextEdit::between(old, new);
        let region = Region::around(&self.statements, old, edit).ok_or("the edit touches the first statement")?;
        let text = new.get(region.start as usize..region.new_end as usize).ok_or("the region is no text")?;
        if text.trim_end_matches(['\n', '\r']).ends_with('\\') {
            return Err("the region ends in a line continuation");
        }
        // Blanked out, what comes before keeps the region's offsets.
        let mut source = " ".repeat(region.start as usize - 1);
        source.push('\n');
        source.push_str(text);
        let parsed = crate::syntax::parse_from(&source, region.start as usize, source_type);
        if !parsed.errors().is_empty() {
            return Err("the region does not parse alone");
        }
        let body = &parsed.syntax().body;
        if body.iter().any(narrows_the_rest) {
            return Err("a statement of the region narrows the rest of the module");
        }
        let mut builder = Builder::new(&source, Detail::Full);
        builder.visit_body(body);
        let mut fresh = builder.summary;
        fresh.sort_blocks();
        self.independent_of(region, &fresh)?;
        fresh.statements = body.iter().map(|s| s.range().start().to_u32()).collect();
        Ok(Spliced { summary: self.joined(region, edit, &fresh, new.len() as u32), region, edit })
    }

    /// The region and edit over which `whole`, the summary extracted from
    /// all of `new` (this summary's `old` after an edit), is this summary
    /// spliced: its items outside the statements the edit touched are this
    /// summary's moved, with the same numbers, and those statements share
    /// nothing with the rest (as [`FileSummary::splice`] requires). A text
    /// broken where no splice reaches (a `def` line typed at a class's
    /// indentation, an open `[`) was parsed whole, but the recovered tree
    /// usually differs from the last one in the statement typed in only:
    /// the graph then re-links only that (local.rs). `None` when not.
    pub fn splice_of(&self, old: &str, new: &str, whole: &FileSummary) -> Option<(Region, TextEdit)> {
        if old == new || self.docstring != whole.docstring || self.constants != whole.constants {
            return None;
        }
        let edit = TextEdit::between(old, new);
        let region = Region::around(&self.statements, old, edit)?;
        let mut part = FileSummary::default();
        part.append(whole, |s| region.start <= s && s < region.new_end, 0);
        // `append` takes every constant; the region's own are compared by
        // name below and the whole file's above.
        part.constants.clear();
        self.independent_of(region, &part).ok()?;
        let mut joined = self.joined(region, edit, &part, new.len() as u32);
        joined.syntax_errors = whole.syntax_errors;
        (joined == *whole).then_some((region, edit))
    }

    /// This summary's items before `region`, `fresh` (the region's new
    /// summary, numbered from the module's scope), then this summary's
    /// items after the region moved over `edit`: the summary of the text
    /// after the edit, `new_len` long, when the region is independent.
    fn joined(&self, region: Region, edit: TextEdit, fresh: &FileSummary, new_len: u32) -> FileSummary {
        let mut out = FileSummary { docstring: self.docstring.clone(), constants: self.constants.clone(), ..FileSummary::default() };
        out.append(self, |s| s < region.start, 0);
        let before = out.definitions.len() as u32;
        // What follows moves: the values of the definitions before, which
        // the statements after add to, and everything after.
        out.definitions.iter_mut().flat_map(|d| d.values.iter_mut()).for_each(|v| v.move_offsets(&|o| edit.map_start(o)));
        out.scopes[0].range.end = new_len;
        out.append(fresh, |_| true, 0);
        let after = out.marks();
        out.append(self, |s| s >= region.old_end, before);
        out.move_items(edit, after);
        out
    }

    /// Whether `new`, this summary spliced over `region` after `edit`, is
    /// this one moved over the edit (see carry.rs): what the region's
    /// items hold, moved, is what they hold now, and every list as long
    /// (the splice moved the other items already, and their numbers
    /// stay), with as many syntax errors (a method's splice may have
    /// some, see method.rs). Compares the region only, not the whole file; the items are
    /// compared with their numbers as they are, so a region inside a class
    /// (a method, see method.rs) is compared like a top-level one.
    pub fn moved_over(&self, new: &FileSummary, region: Region, edit: TextEdit) -> bool {
        let mut before = self.items_where(|s| region.holds_old(s));
        before.move_items(edit, Marks::default());
        let after = new.items_where(|s| region.start <= s && s < region.new_end);
        self.marks() == new.marks() && self.syntax_errors == new.syntax_errors && before == after
    }

    /// That the statements of `region` (old) and their new summary `fresh`
    /// share no module-level variable or constant with the
    /// statements outside it, and no narrowing of the rest of the module
    /// covers the region.
    fn independent_of(&self, region: Region, fresh: &FileSummary) -> Result<(), &'static str> {
        if !fresh.constants.is_empty() {
            return Err("the region assigns a platform constant");
        }
        if fresh.narrowings.iter().any(|n| n.scope == 0) {
            return Err("the region narrows at module level");
        }
        let start = |d: u32| self.definitions.get(d as usize).map_or(0, |d| d.range.start);
        // A binding in the region of a definition outside it, or after it
        // of one inside; or a function's after it (`global x`) of one
        // before it: the values it adds read names in scopes the splice
        // renumbers.
        let crossing = self.bindings.iter().any(|b| match b.kind {
            BindingKind::Definition(d) if b.range.start >= region.start => {
                region.holds_old(b.range.start) != region.holds_old(start(d)) || (b.scope != 0 && start(d) < region.start)
            }
            _ => false,
        });
        if crossing {
            return Err("a module-level variable is assigned inside the region and outside it");
        }
        let module_variable = |d: &super::Definition| d.scope == 0 && d.kind == DefinitionKind::Variable;
        let fresh_names: FxHashSet<&str> = fresh.definitions.iter().filter(|d| module_variable(d)).map(|d| d.name.as_str()).collect();
        if self.definitions.iter().any(|d| module_variable(d) && !region.holds_old(d.range.start) && fresh_names.contains(d.name.as_str())) {
            return Err("a module-level variable is assigned inside the region and outside it");
        }
        let mut region_names = (self.bindings.iter().filter(|b| b.scope == 0 && region.holds_old(b.range.start)).map(|b| b.name.as_str()))
            .chain(fresh.bindings.iter().filter(|b| b.scope == 0).map(|b| b.name.as_str()));
        if !self.constants.is_empty() && region_names.any(|name| self.constants.iter().any(|(c, _)| c == name)) {
            return Err("the region assigns a platform constant");
        }
        if self.narrowings.iter().any(|n| n.scope == 0 && n.range.end >= region.start && n.range.start <= region.old_end) {
            return Err("a module-level narrowing covers the region");
        }
        Ok(())
    }
}

/// The definitions around `scope`, innermost first.
fn enclosing(summary: &FileSummary, scope: ScopeId) -> impl Iterator<Item = &Definition> {
    let outer = |def: &Definition| summary.enclosing_definition(def.scope).and_then(|d| summary.definitions.get(d as usize));
    std::iter::successors(summary.enclosing_definition(scope).and_then(|d| summary.definitions.get(d as usize)), move |def| outer(def))
}

/// Whether every item of `summary` in a scope inside function `d` starts in
/// its text or at its end: a recovered parse may put a missing operand
/// past the function (`return Cart(if .label`), which linking only the
/// function's text would miss. One at its end (`if not ` before the
/// operand) is linked with it: a region ending mid-line takes what starts
/// at its end (`reach` in local.rs), so the function must not end a line.
fn holds_its_items(summary: &FileSummary, d: &Definition) -> bool {
    let Some(body) = d.body else { return false };
    let inside = |mut scope: ScopeId| loop {
        if scope == body {
            return true;
        }
        match summary.scopes.get(scope as usize).and_then(|s| s.parent) {
            Some(parent) => scope = parent,
            None => return false,
        }
    };
    let held = |(scope, start): (ScopeId, u32)| !inside(scope) || (d.range.start <= start && start <= d.range.end);
    (summary.scopes.iter().enumerate().filter_map(|(i, s)| Some((s.parent?, s.range.start)).filter(|_| i as ScopeId != body)))
        .chain(summary.definitions.iter().map(|x| (x.scope, x.range.start)))
        .chain(summary.imports.iter().map(|x| (x.scope, x.range.start)))
        .chain(summary.bindings.iter().map(|x| (x.scope, x.range.start)))
        .chain(summary.references.iter().map(|x| (x.scope, x.start)))
        .chain(summary.implicit_calls.iter().map(|x| (x.scope, x.span.start)))
        .chain(summary.narrowings.iter().map(|x| (x.scope, x.range.start)))
        .all(held)
}

/// A module-level statement that narrows the statements after it (see
/// `Builder::narrow_rest`): parsed alone, the region does not see them.
fn narrows_the_rest(stmt: &Stmt) -> bool {
    match stmt {
        Stmt::Assert(_) => true,
        Stmt::If(if_stmt) => super::narrowing::exits_every_branch(if_stmt),
        _ => false,
    }
}
