//! Carrying a summary over an edit, for the part of a file whose new text
//! does not parse (see [`FileSummary::recovered`]).

use super::{FileSummary, Reference, Span};

impl FileSummary {
    /// This summary of `old` carried over to `new`, the text after an edit:
    /// offsets before the edited region stay, offsets after it move with
    /// the text, offsets inside it are clamped into the replacement. What
    /// the graph keeps of a file while its new text does not parse.
    pub fn moved(&self, old: &str, new: &str) -> FileSummary {
        let mut out = self.clone();
        out.move_items(TextEdit::between(old, new), Marks::default());
        if let Some(module) = out.scopes.first_mut() {
            module.range = Span::new(0, new.len() as u32);
        }
        out
    }

    /// How many items of each list there are: the items from there on are
    /// the ones appended since (see [`FileSummary::move_items`]).
    pub(super) fn marks(&self) -> Marks {
        Marks {
            scopes: self.scopes.len(),
            definitions: self.definitions.len(),
            imports: self.imports.len(),
            bindings: self.bindings.len(),
            references: self.references.len(),
            implicit_calls: self.implicit_calls.len(),
            arguments: self.arguments.len(),
            narrowings: self.narrowings.len(),
            branches: self.branches.len(),
            blocks: self.blocks.len(),
            statements: self.statements.len(),
        }
    }

    /// The items of this summary that start where `keep` says, numbered as
    /// they are (unlike [`FileSummary::append`], which renumbers them),
    /// with all its constants.
    pub(super) fn items_where(&self, keep: impl Fn(u32) -> bool) -> FileSummary {
        fn kept<T: Clone>(items: &[T], start: impl Fn(&T) -> u32, keep: &impl Fn(u32) -> bool) -> Vec<T> {
            items.iter().filter(|item| keep(start(item))).cloned().collect()
        }
        FileSummary {
            docstring: None,
            scopes: kept(&self.scopes, |s| s.range.start, &keep),
            definitions: kept(&self.definitions, |d| d.range.start, &keep),
            imports: kept(&self.imports, |i| i.range.start, &keep),
            bindings: kept(&self.bindings, |b| b.range.start, &keep),
            references: kept(&self.references, |r| r.start, &keep),
            implicit_calls: kept(&self.implicit_calls, |c| c.span.start, &keep),
            arguments: kept(&self.arguments, |a| a.span.start, &keep),
            narrowings: kept(&self.narrowings, |n| n.range.start, &keep),
            branches: kept(&self.branches, |b| b.range.start, &keep),
            blocks: kept(&self.blocks, |b| b.0, &keep),
            constants: self.constants.clone(),
            statements: kept(&self.statements, |&s| s, &keep),
            syntax_errors: 0,
        }
    }

    /// Moves the offsets of the items from `from` on over `edit`.
    pub(super) fn move_items(&mut self, edit: TextEdit, from: Marks) {
        let span = |s: &mut Span| *s = edit.map_span(*s);
        let map = |offset| edit.map_start(offset);
        for scope in &mut self.scopes[from.scopes..] {
            span(&mut scope.range);
        }
        for def in &mut self.definitions[from.definitions..] {
            span(&mut def.range);
            span(&mut def.name_range);
            def.base_ranges.iter_mut().for_each(span);
            def.values.iter_mut().for_each(|v| v.move_offsets(&map));
            for parameter in def.signature.iter_mut().flat_map(|s| s.parameters.iter_mut()) {
                span(&mut parameter.range);
            }
        }
        for import in &mut self.imports[from.imports..] {
            span(&mut import.range);
            span(&mut import.name_range);
            if import.module_range != Span::default() {
                span(&mut import.module_range);
            }
        }
        for binding in &mut self.bindings[from.bindings..] {
            span(&mut binding.range);
            binding.visible_from = edit.map_start(binding.visible_from);
            binding.value.iter_mut().for_each(|v| v.move_offsets(&map));
        }
        for reference in &mut self.references[from.references..] {
            reference.move_over(edit);
            reference.receiver_mut().into_iter().for_each(|v| v.move_offsets(&map));
        }
        for call in &mut self.implicit_calls[from.implicit_calls..] {
            span(&mut call.span);
            call.receiver.move_offsets(&map);
        }
        for argument in &mut self.arguments[from.arguments..] {
            span(&mut argument.span);
            span(&mut argument.callee);
        }
        for narrowing in &mut self.narrowings[from.narrowings..] {
            span(&mut narrowing.range);
            narrowing.classes.move_offsets(&map);
        }
        for branch in &mut self.branches[from.branches..] {
            span(&mut branch.range);
        }
        for (start, block) in &mut self.blocks[from.blocks..] {
            *start = edit.map_start(*start);
            *block = block.moved(edit);
        }
        for statement in &mut self.statements[from.statements..] {
            *statement = edit.map_start(*statement);
        }
    }
}

impl Reference {
    /// Moves every segment's start over `edit`. Most references of a
    /// large file lie wholly before or after an edit: they stay, or all
    /// their starts move by as much (and still follow the chain when they
    /// did), without collecting them (2,400 references after a method of
    /// Django's query.py were 1.9M instructions a keystroke).
    pub(super) fn move_over(&mut self, edit: TextEdit) {
        if self.last < edit.start {
            return;
        }
        if self.start < edit.old_end {
            return self.map_starts(|s| edit.map_start(s));
        }
        let by = |s: &mut u32| *s = *s - edit.old_end + edit.new_end;
        by(&mut self.start);
        by(&mut self.last);
        if let Some(rare) = &mut self.rare {
            rare.spread.iter_mut().for_each(by);
        }
    }
}

/// Lengths of a summary's lists (see [`FileSummary::marks`]).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(super) struct Marks {
    scopes: usize,
    definitions: usize,
    imports: usize,
    bindings: usize,
    references: usize,
    implicit_calls: usize,
    arguments: usize,
    narrowings: usize,
    branches: usize,
    blocks: usize,
    statements: usize,
}

/// The one region where two texts differ: `old[start..old_end]` became
/// `new[start..new_end]` (common prefix and suffix, on char boundaries).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TextEdit {
    pub(super) start: u32,
    pub(super) old_end: u32,
    pub(super) new_end: u32,
}

impl TextEdit {
    pub fn between(old: &str, new: &str) -> Self {
        let (start, old_end, new_end) = crate::common_affix::differing_middle(old, new);
        Self { start: start as u32, old_end: old_end as u32, new_end: new_end as u32 }
    }

    /// The same change placed before the spaces and tabs it ends with,
    /// where the text before it ends with them too: `not ` typed after
    /// `if ` is ` not` typed after `if`. The common prefix `between` takes
    /// first leaves a hover's space past the function being typed, whose
    /// last token ends before it (see `Region::narrowed`).
    pub fn blanks_first(self, old: &str, new: &str) -> TextEdit {
        let mut edit = self;
        let blank_before = |text: &str, at: u32| at > 0 && matches!(text.as_bytes().get(at as usize - 1), Some(b' ' | b'\t'));
        while edit.start > 0
            && blank_before(new, edit.new_end)
            && blank_before(old, edit.old_end)
            && new.as_bytes()[edit.new_end as usize - 1] == old.as_bytes()[edit.old_end as usize - 1]
        {
            edit = TextEdit { start: edit.start - 1, old_end: edit.old_end - 1, new_end: edit.new_end - 1 };
        }
        edit
    }

    /// Whether `span` of the old text lies before or after the edited
    /// region, not even next to it (text typed right after a name extends
    /// it: `item` became `items`).
    pub(super) fn spares(self, span: Span) -> bool {
        span.end < self.start || span.start > self.old_end
    }

    /// Where the start of something in the old text is in the new one:
    /// text inserted right at it goes before it.
    pub fn map_start(self, offset: u32) -> u32 {
        if offset < self.start {
            offset
        } else if offset >= self.old_end {
            offset - self.old_end + self.new_end
        } else {
            self.start
        }
    }

    /// Where the end of something in the old text is in the new one:
    /// text inserted right at it goes after it.
    pub fn map_end(self, offset: u32) -> u32 {
        if offset <= self.start {
            offset
        } else if offset >= self.old_end {
            offset - self.old_end + self.new_end
        } else {
            (offset - self.start).min(self.new_end - self.start) + self.start
        }
    }

    /// Where `span` of the old text is in the new one.
    pub fn map_span(self, span: Span) -> Span {
        let start = self.map_start(span.start);
        Span::new(start, self.map_end(span.end).max(start))
    }

    /// Where `span` of the new text was in the old one; `None` when it
    /// holds part of the inserted text.
    pub fn unmap_span(self, span: Span) -> Option<Span> {
        if span.end <= self.start {
            Some(span)
        } else if span.start >= self.new_end {
            Some(Span::new(span.start - self.new_end + self.old_end, span.end - self.new_end + self.old_end))
        } else {
            None
        }
    }

    /// Whether `span` of the old text overlaps the replaced region (a span
    /// that merely touches it does not).
    pub fn overlaps(self, span: Span) -> bool {
        span.start < self.old_end && span.end > self.start
    }
}
