//! Re-summarising only the method an edit is in.
//!
//! Django's large modules are each mostly one class: spliced.rs
//! re-summarises the top-level statement an edit touched, so a keystroke
//! in one method parsed and summarised the whole class again. Here the
//! method's lines alone are parsed (after a stand-in `class _:` line, what
//! comes before blanked out, so offsets stay) and summarised from the
//! state the builder had at the method's start, rebuilt from the old
//! summary: the scopes, definitions and imports before it (numbered as
//! before), the class's bindings (where `self.x` is looked up) and the
//! class's scope as the current one. The new items take the old method's
//! place; the items around it move with the text.
//!
//! That equals extracting the whole text only where nothing else's
//! summary depends on the method's nor the method's on anything the
//! rebuilt state lacks, so the splice is refused (spliced.rs's path is
//! taken) unless:
//!
//! - the method is directly in the body of a top-level class (no `if`,
//!   `try` or loop of the class around it, whose nesting marks imports),
//!   the edit inside it past its first token (or in the whitespace after
//!   it: a statement typed at a method's end), and its old and new lines
//!   each parse alone into one function spanning the method (the new one
//!   up to the edit's end at least);
//! - the method's lines, parsed alone, end before a sentinel statement put
//!   where the next line of code after the method starts (as the method
//!   ends before that line in the whole text);
//! - the text's syntax errors, before and after, are all in the method's
//!   lines (before: an earlier splice of the method found them there) and
//!   stay there: none leaves a bracket, a string or an
//!   indentation open at the method's end (in the whole text those would
//!   run on into the lines after it), no line of it with errors continues
//!   on the next, and a `def` or `class` follows it (the sentinel is one
//!   too: an open bracket's recovery sees what it would in the whole
//!   text). A method being typed is then re-summarised from the parser's
//!   recovered tree of its lines alone, as the whole text's would give it,
//!   and the rest of the file kept;
//! - re-summarising its old lines so gives exactly its old items, which
//!   also shows they are where the old summary keeps them;
//! - it adds no value to a definition before it (an attribute the class
//!   bound earlier), binds nothing outside its class and itself
//!   (`global`), and has as many scopes, definitions and imports as before
//!   (the items after it keep their numbers);
//! - nothing after it binds a name it binds in its class (its own, the
//!   `self.x` attributes it defines), before the edit or after, in the
//!   class or writes one as an attribute (a later `self.x = v` adds `v`
//!   to the first definition of `x`), nor does an attribute it defines
//!   hold as many values as are kept.
//!
//! Its name, signature, decorators and return values may change: they are
//! its definition's own, which no other item's summary reads (renaming a
//! method or a parameter re-summarised the whole class before).

use std::ops::Range;

use ruff_python_ast::visitor::Visitor;
use ruff_python_ast::{self as ast, Stmt};
use ruff_python_parser::{LexicalErrorType, ParseErrorType, Parsed};
use ruff_text_size::Ranged;

use super::builder::Builder;
use super::moved::{Marks, TextEdit};
use super::spliced::{Region, Spliced};
use super::{Definition, DefinitionId, DefinitionKind, Detail, FileSummary, Import, Name, ScopeId, Span};

/// How many values of a definition a summary keeps (see `Builder::add_value`).
const KEPT_VALUES: usize = 4;

/// Where one method's items are in each list of a summary.
#[derive(Debug)]
struct Items {
    scopes: Range<usize>,
    definitions: Range<usize>,
    imports: Range<usize>,
    bindings: Range<usize>,
    references: Range<usize>,
    implicit_calls: Range<usize>,
    arguments: Range<usize>,
    narrowings: Range<usize>,
    branches: Range<usize>,
    blocks: Range<usize>,
}

/// The method an edit is in: its class's body and where its items are.
struct Method {
    class_scope: ScopeId,
    items: Items,
}

impl FileSummary {
    /// The summary of `new`, the text of this summary's `old` after an
    /// edit inside one method, re-summarising only that method; why not
    /// when that might differ from extracting `new` (see the module's
    /// documentation). `source_type` is how `new` is parsed; `errors_in`,
    /// where this summary has syntax errors, the method that holds them all
    /// (an earlier splice's: see [`Spliced::errors_in`]).
    pub(super) fn splice_method(&self, old: &str, new: &str, source_type: ast::PySourceType, errors_in: Option<Span>) -> Result<Spliced, &'static str> {
        if old == new {
            return Err("no edit");
        }
        let edit = TextEdit::between(old, new);
        let (id, class) = self.method_holding(old, edit).ok_or("no method of a top-level class holds the edit")?;
        let span = self.definitions[id as usize].range;
        // Past the method's end, the edit typed into the whitespace after
        // it, which the new method must span (`alone` below).
        let old_end = span.end.max(edit.old_end);
        let new_end = u32::try_from(i64::from(old_end) + i64::from(edit.new_end) - i64::from(edit.old_end)).map_err(|_| "the edit is no text")?;
        let region = Region { start: span.start, old_end, new_end };
        let line = old[..span.start as usize].rfind(['\n', '\r']).map_or(0, |i| i + 1);
        directly_in_class(old, self.definitions[class as usize].range.start as usize, line, span.start as usize)?;
        let class_scope = self.definitions[class as usize].body.ok_or("the class has no body")?;
        let items = self.items_of(span).ok_or("the method's items are not together in the summary")?;
        let method = Method { class_scope, items };
        if self.syntax_errors > 0 && errors_in != Some(span) {
            return Err("the text has syntax errors outside the method");
        }

        let (old_lines, new_lines) = (stand_in(old, line, span.end)?, stand_in(new, line, new_end)?);
        let (old_parsed, new_parsed) = (parsed(&old_lines, source_type), parsed(&new_lines, source_type));
        if contained_errors(&old_parsed, &old_lines)? != self.syntax_errors {
            return Err("the text has syntax errors outside the method");
        }
        let syntax_errors = contained_errors(&new_parsed, &new_lines)?;
        let before = self.resummarised(&method, &old_lines.source, alone(&old_parsed, &old_lines, span)?)?;
        if !self.holds(&method.items, &before) {
            return Err("the method's old lines alone summarise otherwise");
        }
        // The new method spans the region but the whitespace it ends in
        // (typed after the method, or after its last statement).
        let code = new.get(region.start as usize..region.new_end as usize).ok_or("the region is no text")?;
        let code = code.trim_end_matches([' ', '\t', '\n', '\r', '\x0c']);
        let new_span = Span::new(region.start, region.start + code.len() as u32);
        let after = self.resummarised(&method, &new_lines.source, alone(&new_parsed, &new_lines, new_span)?)?;
        self.unchanged_outside(&method, &before, &after)?;

        // Everything moves as if the method were replaced whole; what ends
        // with the method (its class, when it is the last statement) ends
        // with it still.
        let mut out = self.clone();
        let ends_with = |range: Span| range.start < span.start && range.end == span.end;
        let scopes_ending: Vec<usize> = (out.scopes.iter().enumerate().skip(1)).filter(|(_, s)| ends_with(s.range)).map(|(i, _)| i).collect();
        let definitions_ending: Vec<usize> = out.definitions.iter().enumerate().filter(|(_, d)| ends_with(d.range)).map(|(i, _)| i).collect();
        out.move_items(TextEdit { start: region.start, old_end: region.old_end, new_end: region.new_end }, Marks::default());
        out.replace(&method.items, after);
        for i in scopes_ending {
            out.scopes[i].range.end = new_span.end;
        }
        for i in definitions_ending {
            out.definitions[i].range.end = new_span.end;
        }
        out.syntax_errors = syntax_errors;
        Ok(Spliced { summary: out, region, edit })
    }

    /// The summary of `text`, the whole of a file whose parse is `parsed`,
    /// and, when it has syntax errors all starting in one method of a
    /// top-level class or in the whitespace after it up to the next line of
    /// code (where the parser finds a missing body), that method's span:
    /// the next edit in it may then re-summarise it alone
    /// ([`FileSummary::splice_method`] checks that its lines alone have as
    /// many errors). Typing a new method leaves the text broken from its
    /// `def` line on, which no method splice saw coming.
    pub fn extract_attributed(text: &str, parsed: &Parsed<ast::ModModule>) -> (FileSummary, Option<Span>) {
        let summary = Self::from_parsed(text, parsed);
        let errors = parsed.errors().iter().map(|e| e.location.start().to_u32());
        let (first, last) = errors.fold((u32::MAX, 0), |(first, last), at| (first.min(at), last.max(at)));
        let holder = (first <= last).then(|| summary.method_holding_errors(text, first, last)).flatten();
        (summary, holder)
    }

    /// The method of a top-level class that starts before `first` and
    /// whose text, with the whitespace after it up to the next line of
    /// code, holds `last`.
    fn method_holding_errors(&self, text: &str, first: u32, last: u32) -> Option<Span> {
        let d = self.definitions.iter().filter(|d| d.kind == DefinitionKind::Method && d.range.start < first).max_by_key(|d| d.range.start)?;
        let class = self.scopes.get(d.scope as usize)?.definition?;
        let class = self.definitions.get(class as usize)?;
        if class.kind != DefinitionKind::Class || class.scope != 0 {
            return None;
        }
        let rest = text.get(d.range.end as usize..)?;
        let next_code = rest.find(|c: char| !c.is_whitespace()).map_or(text.len(), |i| d.range.end as usize + i);
        (last as usize <= next_code).then_some(d.range)
    }

    /// The method of a class at module level whose text (`old`) holds
    /// `edit` (past its first token), or whose end only whitespace
    /// separates from the edit's (a statement typed at the end of a method
    /// extends it), and its class.
    fn method_holding(&self, old: &str, edit: TextEdit) -> Option<(DefinitionId, DefinitionId)> {
        self.definitions.iter().enumerate().find_map(|(i, d)| {
            let class = self.scopes.get(d.scope as usize)?.definition?;
            let of_top_class = self.definitions.get(class as usize).is_some_and(|c| c.kind == DefinitionKind::Class && c.scope == 0);
            // Typed into whitespace after it, not into the next line's code
            // or indentation.
            let gap = |end: usize| old.get(d.range.end as usize..end).is_some_and(|gap| gap.trim().is_empty());
            let line_ends = || old.get(edit.old_end as usize..).is_some_and(|rest| rest.split(['\n', '\r']).next().is_some_and(|l| l.trim().is_empty()));
            let up_to_end = edit.old_end <= d.range.end || (gap(edit.old_end as usize) && line_ends());
            let holds = d.range.start < edit.start && up_to_end;
            (d.kind == DefinitionKind::Method && of_top_class && holds).then_some((i as DefinitionId, class))
        })
    }

    /// Where the items starting in `span` are in each list, when they come
    /// together, after every item starting before it and before every one
    /// starting after it (the order the builder visits them in).
    fn items_of(&self, span: Span) -> Option<Items> {
        fn together<T>(list: &[T], span: Span, start: impl Fn(&T) -> u32) -> Option<Range<usize>> {
            let side = |item: &T| match start(item) {
                s if s < span.start => 0,
                s if s < span.end => 1,
                _ => 2,
            };
            let before = list.iter().take_while(|item| side(item) == 0).count();
            let inside = list[before..].iter().take_while(|item| side(item) == 1).count();
            list[before + inside..].iter().all(|item| side(item) == 2).then_some(before..before + inside)
        }
        Some(Items {
            scopes: together(&self.scopes, span, |s| s.range.start)?,
            definitions: together(&self.definitions, span, |d| d.range.start)?,
            imports: together(&self.imports, span, |i| i.range.start)?,
            bindings: together(&self.bindings, span, |b| b.range.start)?,
            references: together(&self.references, span, |r| r.start)?,
            implicit_calls: together(&self.implicit_calls, span, |c| c.span.start)?,
            arguments: together(&self.arguments, span, |a| a.span.start)?,
            narrowings: together(&self.narrowings, span, |n| n.range.start)?,
            branches: together(&self.branches, span, |b| b.range.start)?,
            blocks: together(&self.blocks, span, |b| b.0)?,
        })
    }

    /// The summary of `function` (in `source`, its lines alone) visited
    /// from the state the builder had at the method's start: the scopes,
    /// definitions and imports before it as the builder read them (their
    /// kinds, scopes and number), no other items but the bindings of the
    /// class (its names, where `self.x` is looked up). Of the bindings, the
    /// function's only.
    fn resummarised<'a>(&self, method: &Method, source: &'a str, function: &'a Stmt) -> Result<FileSummary, &'static str> {
        let Items { scopes, definitions, imports, bindings, .. } = &method.items;
        let class_bindings: Vec<_> = self.bindings[..bindings.start].iter().filter(|b| b.scope == method.class_scope).cloned().collect();
        let known = class_bindings.len();
        let mut builder = Builder::new(source, Detail::Full);
        builder.summary = FileSummary {
            scopes: self.scopes[..scopes.start].to_vec(),
            definitions: self.definitions[..definitions.start].iter().map(stand_in_definition).collect(),
            imports: self.imports[..imports.start].iter().map(stand_in_import).collect(),
            bindings: class_bindings,
            ..FileSummary::default()
        };
        builder.scope = method.class_scope;
        builder.outside_below = definitions.start as DefinitionId;
        builder.visit_stmt(function);
        if builder.reached_outside {
            return Err("the method adds a value to a definition before it");
        }
        let mut summary = builder.summary;
        summary.bindings.drain(..known);
        summary.sort_arguments();
        summary.sort_blocks();
        Ok(summary)
    }

    /// Whether `fresh` (see [`FileSummary::resummarised`]) holds exactly
    /// the method's `items` of this summary.
    fn holds(&self, items: &Items, fresh: &FileSummary) -> bool {
        fresh.scopes.get(items.scopes.start..) == Some(&self.scopes[items.scopes.clone()])
            && fresh.definitions.get(items.definitions.start..) == Some(&self.definitions[items.definitions.clone()])
            && fresh.imports.get(items.imports.start..) == Some(&self.imports[items.imports.clone()])
            && fresh.bindings[..] == self.bindings[items.bindings.clone()]
            && fresh.references[..] == self.references[items.references.clone()]
            && fresh.implicit_calls[..] == self.implicit_calls[items.implicit_calls.clone()]
            && fresh.arguments[..] == self.arguments[items.arguments.clone()]
            && fresh.narrowings[..] == self.narrowings[items.narrowings.clone()]
            && fresh.branches[..] == self.branches[items.branches.clone()]
            && fresh.blocks[..] == self.blocks[items.blocks.clone()]
            && fresh.constants.is_empty()
    }

    /// That the method re-summarised `before` and `after` the edit shows
    /// the rest of the file the same (see the module's documentation).
    fn unchanged_outside(&self, method: &Method, before: &FileSummary, after: &FileSummary) -> Result<(), &'static str> {
        let Items { scopes, definitions, imports, .. } = &method.items;
        if after.scopes.len() != scopes.end || after.definitions.len() != definitions.end || after.imports.len() != imports.end || !after.constants.is_empty() {
            return Err("the edit adds or removes a scope, definition or import");
        }
        // A name bound in the class before or after the edit: a renamed
        // method or attribute is spliced as long as the code after it
        // neither binds nor writes the old name nor the new (what either
        // would attach to changes with the rename).
        let (was, now) = (class_names(before, method)?, class_names(after, method)?);
        let named = |name: &str| was.iter().chain(&now).any(|n| *n == name);
        let bound_later = self.bindings[method.items.bindings.end..].iter().any(|b| b.scope == method.class_scope && named(&b.name));
        let written_later =
            self.references[method.items.references.end..].iter().any(|r| !r.call && r.segment_count() == 2 && r.chain.rsplit('.').next().is_some_and(named));
        if bound_later || written_later {
            return Err("code after the method binds or writes a name it binds in its class");
        }
        let full = |s: &FileSummary| {
            s.definitions[definitions.clone()]
                .iter()
                .any(|d| d.scope == method.class_scope && d.kind == DefinitionKind::Variable && d.values.len() >= KEPT_VALUES)
        };
        if full(before) || full(after) {
            return Err("an attribute the method defines holds as many values as are kept");
        }
        // Its name, signature, decorators and return values are its
        // definition's own, replaced with it: what the rest of the file
        // reads of them is resolved when it is linked (a change re-links
        // the file, see local.rs), not summarised.
        Ok(())
    }

    /// Puts `fresh`'s items (see [`FileSummary::resummarised`]) in place of
    /// `items`.
    fn replace(&mut self, items: &Items, fresh: FileSummary) {
        // Every field named: one added to summaries must be spliced too.
        let FileSummary {
            docstring: _,
            scopes,
            definitions,
            imports,
            bindings,
            references,
            implicit_calls,
            arguments,
            narrowings,
            branches,
            blocks,
            constants: _,
            statements: _,
            syntax_errors: _,
        } = fresh;
        self.scopes.splice(items.scopes.clone(), scopes.into_iter().skip(items.scopes.start));
        self.definitions.splice(items.definitions.clone(), definitions.into_iter().skip(items.definitions.start));
        self.imports.splice(items.imports.clone(), imports.into_iter().skip(items.imports.start));
        self.bindings.splice(items.bindings.clone(), bindings);
        self.references.splice(items.references.clone(), references);
        self.implicit_calls.splice(items.implicit_calls.clone(), implicit_calls);
        self.arguments.splice(items.arguments.clone(), arguments);
        self.narrowings.splice(items.narrowings.clone(), narrowings);
        self.branches.splice(items.branches.clone(), branches);
        self.blocks.splice(items.blocks.clone(), blocks);
    }
}

/// The names a method's fresh summary binds in its class; an error when it
/// binds one in another scope outside itself (`global x`).
fn class_names<'a>(fresh: &'a FileSummary, method: &Method) -> Result<Vec<&'a str>, &'static str> {
    let mut names = Vec::new();
    for b in &fresh.bindings {
        if b.scope == method.class_scope {
            names.push(b.name.as_str());
        } else if (b.scope as usize) < method.items.scopes.start {
            return Err("the method binds a name outside its class and itself");
        }
    }
    Ok(names)
}

/// A definition before the method as the builder reads it: its kind,
/// scopes and place.
fn stand_in_definition(d: &Definition) -> Definition {
    Definition { body: d.body, ..Definition::bare(Name::default(), d.kind, d.scope, d.range, d.name_range) }
}

/// An import before the method: only its number is read.
fn stand_in_import(i: &Import) -> Import {
    Import {
        module: None,
        level: 0,
        name: None,
        alias: None,
        star: false,
        scope: i.scope,
        range: i.range,
        name_range: i.name_range,
        module_range: i.module_range,
        conditional: i.conditional,
        type_checking: i.type_checking,
    }
}

/// That no statement of the class holds the method: between the class's
/// first line and the method's, no line of code is indented less than the
/// method and more than the class (the `if`, `try`, `with`, loop or
/// `match` of the class's body holding it would be). Lines in strings or
/// brackets may refuse a method wrongly; none lets one through.
fn directly_in_class(text: &str, class_start: usize, line: usize, method_start: usize) -> Result<(), &'static str> {
    let column = method_start - line;
    let spaces = |l: &str| l.bytes().take_while(|&b| b == b' ').count();
    if column == 0 || spaces(&text[line..method_start]) != column {
        return Err("the method is not indented with spaces");
    }
    // Its lines, their ends found a block at a time: split by a pattern of
    // chars, a 2,300-line class's body cost 1.6M instructions a keystroke.
    let body = &text[class_start..line];
    let mut start = 0;
    for end in memchr::memchr2_iter(b'\n', b'\r', body.as_bytes()).chain([body.len()]) {
        let l = &body[start..end];
        start = end + 1;
        let indent = spaces(l);
        let code = l[indent..].trim_end();
        if code.is_empty() || code.starts_with('#') {
            continue;
        }
        if code.starts_with(char::is_whitespace) || (indent > 0 && indent < column) {
            return Err("a statement of the class may hold the method");
        }
    }
    Ok(())
}

/// A method's lines alone: `text`'s lines from the method's first to the
/// one its end is on, after a `class _:` line and what comes before
/// blanked out (offsets stay), and then a sentinel statement where the
/// next line of code after the method starts (its column): parsed, the
/// method must end before it, as it ends before that line in the whole
/// text.
struct StandIn {
    source: String,
    /// Where the `class _:` line starts (all before it is blank).
    class_line: usize,
    /// Where the sentinel is, and whether at the method's column (in the
    /// class; else at the module's).
    sentinel: u32,
    in_class: bool,
    /// Whether the text goes on after the method with a `def` or a
    /// `class`, which no expression left open can read on into (the
    /// sentinel is one too, `pass` otherwise).
    before_definition: bool,
    /// Whether a line of the method continues on the next (`\`).
    continued: bool,
}

/// The stand-in of the method whose first line starts at `line` and whose
/// text ends at `end`. Its last line must end at `end` (or in a comment),
/// and not in a line continuation.
fn stand_in(text: &str, line: usize, end: u32) -> Result<StandIn, &'static str> {
    let rest = text.get(end as usize..).ok_or("the method ends in no text")?;
    let end_of_line = end as usize + rest.find(['\n', '\r']).unwrap_or(rest.len());
    let tail = text[end as usize..end_of_line].trim();
    if !(tail.is_empty() || tail.starts_with('#')) {
        return Err("the method's last line goes on after it");
    }
    if text[line..end_of_line].trim_end().ends_with('\\') {
        return Err("the method's last line continues on the next");
    }
    let method_column = text[line..].bytes().take_while(|&b| b == b' ').count();
    let next = text[end_of_line..].lines().skip(1).map(str::trim_end).find(|l| !l.trim_start().is_empty() && !l.trim_start().starts_with('#'));
    // The sentinel starts as the next line does when that is a `def` or
    // a `class`: what the parser's recovery at the method's end sees next.
    let (sentinel_column, sentinel_code) = match next {
        Some(l) => {
            let code = l.trim_start_matches(' ');
            let definition = [("def ", "def _(): pass"), ("class ", "class _: pass"), ("async def ", "async def _(): pass")];
            (l.len() - code.len(), definition.iter().find(|(k, _)| code.starts_with(k)).map(|(_, sentinel)| *sentinel))
        }
        None => (0, None),
    };
    if sentinel_column != 0 && sentinel_column != method_column {
        return Err("the line after the method is neither in its class nor at module level");
    }
    const CLASS: &str = "\nclass _:\n";
    let blank = line.checked_sub(CLASS.len()).ok_or("no room for a class line before the method")?;
    let mut source = " ".repeat(blank);
    source.push_str(CLASS);
    let class_line = blank + 1;
    source.push_str(&text[line..end_of_line]);
    source.push('\n');
    source.push_str(&" ".repeat(sentinel_column));
    let sentinel = u32::try_from(source.len()).map_err(|_| "the text is too long")?;
    source.push_str(sentinel_code.unwrap_or("pass"));
    source.push('\n');
    let continued = text[line..end_of_line].contains("\\\n") || text[line..end_of_line].contains("\\\r");
    Ok(StandIn { source, class_line, sentinel, in_class: sentinel_column != 0, before_definition: sentinel_code.is_some(), continued })
}

/// The recovered parse of a method's lines alone (see [`StandIn`]), from
/// the stand-in's class line on: what comes before is blank.
fn parsed(stand_in: &StandIn, source_type: ast::PySourceType) -> Parsed<ast::ModModule> {
    crate::syntax::parse_from(&stand_in.source, stand_in.class_line, source_type)
}

/// How many syntax errors `parsed`, a method's `stand_in`, has, when each
/// stays in the method's lines in the whole text too. Not so, and refused:
/// a bracket open at the end (the lexer's end-of-file error) or a string
/// running to it, which in the whole text would run on into the lines
/// after the method; an inconsistent dedent, which leaves the lexer's
/// indentation out of step with the whole text's; an f- or t-string's
/// error, which may be either; and any error when a `def` or `class` does
/// not follow the method (a bracket the parser closed at the stand-in's
/// `pass` could read on into a decorator or an expression), or a line of
/// the method continues on the next.
fn contained_errors(parsed: &Parsed<ast::ModModule>, stand_in: &StandIn) -> Result<u32, &'static str> {
    let runs_on = parsed.errors().iter().any(|e| match &e.error {
        ParseErrorType::Lexical(
            LexicalErrorType::Eof | LexicalErrorType::IndentationError | LexicalErrorType::FStringError(_) | LexicalErrorType::TStringError(_),
        ) => true,
        ParseErrorType::Lexical(LexicalErrorType::UnclosedStringError) => e.location.end().to_usize() >= stand_in.sentinel as usize,
        _ => false,
    });
    if runs_on {
        return Err("a bracket, string or indentation of the method is open at its end");
    }
    if !parsed.errors().is_empty() && !stand_in.before_definition {
        return Err("no def or class follows the method with syntax errors");
    }
    if !parsed.errors().is_empty() && stand_in.continued {
        return Err("a line of the method with syntax errors continues on the next");
    }
    u32::try_from(parsed.errors().len()).map_err(|_| "too many syntax errors")
}

/// The one function of the stand-in class of `parsed`, when it spans
/// `span` and the stand-in's sentinel follows it where it should.
fn alone<'a>(parsed: &'a Parsed<ast::ModModule>, stand_in: &StandIn, span: Span) -> Result<&'a Stmt, &'static str> {
    let is_sentinel = |stmt: &Stmt| stmt.range().start().to_u32() == stand_in.sentinel;
    let members = match parsed.syntax().body.as_slice() {
        [Stmt::ClassDef(class)] if stand_in.in_class => class.body.as_slice(),
        [Stmt::ClassDef(class), sentinel] if !stand_in.in_class && is_sentinel(sentinel) => class.body.as_slice(),
        _ => &[],
    };
    let function = match members {
        [function @ Stmt::FunctionDef(_), sentinel] if stand_in.in_class && is_sentinel(sentinel) => Some(function),
        [function @ Stmt::FunctionDef(_)] if !stand_in.in_class => Some(function),
        _ => None,
    };
    function.filter(|f| Span::from(f.range()) == span).ok_or("the method's lines are not one function spanning it")
}
