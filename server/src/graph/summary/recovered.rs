//! The summary of a file whose new text has syntax errors: what ruff's
//! recovering parser made of it, and the previous summary only where that
//! recovery lost what the edit did not touch.
//!
//! Recovery keeps almost everything (a half-typed `def f(`, an unclosed
//! bracket or a dangling `c.` end at the next statement), so a name bound
//! since the last clean parse is known at once. An unclosed triple-quoted
//! string is the exception: it swallows the rest of the file, and the
//! definitions after it would vanish at each keystroke until it is closed.
//! The previous summary stands in only for a definition still written
//! where recovery lost it (in such a string, or inside a bracket left open
//! above it): one whose `def` line was split (`de` / `f helper(n):`) or
//! that a string now closed holds is gone, as a fresh parse says, or the
//! graph would follow the edits' history, not the text; so is one whose
//! body recovery read as module code, which binds its names there.

use ruff_python_ast::StringFlags;
use ruff_python_ast::token::{TokenAt, TokenKind, Tokens};
use ruff_text_size::{Ranged, TextSize};
use rustc_hash::FxHashSet;

use super::moved::TextEdit;
use super::{BindingKind, Definition, DefinitionKind, FileSummary, ScopeId, Span};

impl FileSummary {
    /// The summary for `new`, a text with syntax errors whose recovered
    /// parse is `fresh`, after `old`, whose summary was `previous`: `fresh`,
    /// unless it lacks module-level functions or classes `previous` had
    /// whose names the edit did not touch and that `new` (lexed as
    /// `tokens`) still writes (see [`still_written`]), around no name
    /// `fresh` binds at module level. From the first of those on,
    /// `previous` carried over to `new` stands in for what did not parse.
    /// Also whether that is `fresh` whole.
    pub fn recovered(fresh: FileSummary, previous: &FileSummary, old: &str, new: &str, tokens: &Tokens) -> (FileSummary, bool) {
        let edit = TextEdit::between(old, new);
        let parsed: FxHashSet<&str> = fresh.definitions.iter().filter(|d| d.scope == 0).map(|d| d.name.as_str()).collect();
        let lost: Vec<usize> = (previous.definitions.iter().enumerate())
            .filter(|(_, d)| d.scope == 0 && edit.spares(d.name_range) && !parsed.contains(d.name.as_str()))
            .map(|(i, _)| i)
            .collect();
        if lost.is_empty() {
            return (fresh, true);
        }
        let carried = previous.untouched_by(edit).moved(old, new);
        // Nor is one recovery read into another scope (a function into the
        // class above it once a comment hides the class's body): it parsed.
        let parsed_at: FxHashSet<Span> = fresh.definitions.iter().map(|d| d.name_range).collect();
        // Nor one around a name recovery bound at module level (the body of
        // a class whose `class` line is broken, `LIMIT =x.class Item:`, read
        // as module code; `x = Item()` typed at column 0 below it): recovery
        // lost its line, not its body, and carried, it would hide the name
        // from the module (the `x` of `LIMIT =x.`).
        let bound: Vec<u32> = (fresh.bindings.iter()).filter(|b| b.scope == 0).map(|b| b.range.start).collect();
        let stands = |d: &Definition| still_written(new, tokens, d) && !bound.iter().any(|&at| d.range.start <= at && at < d.range.end);
        // A variable's name left alone (`LIMIT` once ` = 10` is deleted)
        // parses as an expression: only a function or class stands in.
        let written =
            (lost.iter().map(|&i| &carried.definitions[i])).filter(|d| d.kind != DefinitionKind::Variable && !parsed_at.contains(&d.name_range) && stands(d));
        let Some(cut) = written.map(|d| d.range.start).min() else { return (fresh, true) };
        let mut out = FileSummary { docstring: fresh.docstring.clone(), syntax_errors: fresh.syntax_errors, ..FileSummary::default() };
        // Nor does a definition carried along after it that is no longer
        // written (`v` of `value = ...` deleted since), with what it holds.
        // One the edit deleted whole (`value`) moved to an empty span
        // (moved.rs), which would hold nothing, not even itself: it holds
        // what starts there, itself and what it held.
        let gone: Vec<Span> = (carried.definitions.iter())
            .filter(|d| d.range.start >= cut && !stands(d))
            .map(|d| Span::new(d.range.start, d.range.end.max(d.range.start + 1)))
            .collect();
        let within = |spans: &[Span], start: u32| spans.iter().any(|s| s.start <= start && start < s.end);
        // What parsed after the cut where nothing carried stands (`def new`
        // typed below a carried function) is known as parsed: the previous
        // summary never had it.
        let carried_at: Vec<Span> =
            (carried.definitions.iter()).filter(|d| d.scope == 0 && d.range.start >= cut && !within(&gone, d.range.start)).map(|d| d.range).collect();
        let overlaps = |a: Span, b: Span| a.start < b.end && b.start < a.end;
        let own: Vec<Span> = (fresh.definitions.iter())
            .filter(|d| d.scope == 0 && d.range.start >= cut && !carried_at.iter().any(|&c| overlaps(c, d.range)))
            .map(|d| d.range)
            .collect();
        out.append(&fresh, |start| start < cut || within(&own, start), 0);
        out.append(&carried, |start| start >= cut && !within(&gone, start) && !within(&own, start), 0);
        (out, false)
    }

    /// This summary without the references and plain bindings whose names
    /// `edit` touched: carried over, they would name the old text's names
    /// over the new one (`total` over `tal(c` once `to` is deleted, its
    /// hover and token `def total`). Definitions and imports stay, their
    /// bindings with them: other items are numbered after them.
    fn untouched_by(&self, edit: TextEdit) -> FileSummary {
        let mut out = self.clone();
        out.references.retain(|r| edit.spares(r.span()));
        out.bindings.retain(|b| matches!(b.kind, BindingKind::Definition(_) | BindingKind::Import(_)) || edit.spares(b.range));
        out
    }

    /// Appends the items of `part` that start where `keep` says, with their
    /// indices renumbered; items whose scope, definition or import is not
    /// kept go too. Scope 0 is the module in both: `part`'s is taken only
    /// when `self` has none yet. Constants are by name: the first part's
    /// stand. The first `shared` definitions of `part` are `self`'s first
    /// ones, kept in place (a splice's, see spliced.rs): items of `part`
    /// may refer to them without keeping them.
    pub(super) fn append(&mut self, part: &FileSummary, keep: impl Fn(u32) -> bool, shared: u32) {
        // Every field named: one added to summaries must be spliced too.
        let FileSummary {
            docstring: _,
            scopes: part_scopes,
            definitions: part_definitions,
            imports: part_imports,
            bindings,
            references,
            implicit_calls,
            arguments,
            narrowings,
            branches,
            blocks,
            constants,
            statements,
            syntax_errors: _,
        } = part;
        let mut kept_scopes: Vec<bool> = Vec::with_capacity(part_scopes.len());
        for (i, s) in part_scopes.iter().enumerate() {
            let kept = i == 0 || (keep(s.range.start) && s.parent.is_some_and(|p| kept_scopes[p as usize]));
            kept_scopes.push(kept);
        }
        let take_module = self.scopes.is_empty();
        let mut scopes = renumber(kept_scopes.iter().skip(1).copied(), self.scopes.len() as u32 + u32::from(take_module));
        scopes.insert(0, Some(0));
        let scope = |s: ScopeId| scopes.get(s as usize).copied().flatten();
        let definitions = renumber(
            part_definitions.iter().map(|d| keep(d.range.start) && scope(d.scope).is_some() && d.body.is_none_or(|b| scope(b).is_some())),
            self.definitions.len() as u32,
        );
        let definition = |d: u32| definitions.get(d as usize).copied().flatten().or((d < shared).then_some(d));
        let imports = renumber(part_imports.iter().map(|i| keep(i.range.start) && scope(i.scope).is_some()), self.imports.len() as u32);
        let import = |i: u32| imports.get(i as usize).copied().flatten();
        let rescope = |s: ScopeId| scope(s).unwrap_or(0);

        for (i, s) in part_scopes.iter().enumerate().skip(usize::from(!take_module)) {
            if scopes[i].is_some() {
                let mut s = s.clone();
                s.parent = s.parent.and_then(scope);
                s.definition = s.definition.and_then(definition);
                self.scopes.push(s);
            }
        }
        for (i, d) in part_definitions.iter().enumerate() {
            if definitions[i].is_some() {
                let mut d = d.clone();
                d.scope = rescope(d.scope);
                d.body = d.body.and_then(scope);
                d.values.iter_mut().for_each(|v| v.map_scopes(&rescope));
                self.definitions.push(d);
            }
        }
        for (i, import_) in part_imports.iter().enumerate() {
            if imports[i].is_some() {
                let mut import_ = import_.clone();
                import_.scope = rescope(import_.scope);
                self.imports.push(import_);
            }
        }
        for b in bindings {
            let kind = match b.kind {
                BindingKind::Definition(d) => definition(d).map(BindingKind::Definition),
                BindingKind::Import(i) => import(i).map(BindingKind::Import),
                BindingKind::Parameter { self_of } => Some(BindingKind::Parameter { self_of: self_of.and_then(definition) }),
                other => Some(other),
            };
            if let (Some(kind), Some(s), true) = (kind, scope(b.scope), keep(b.range.start)) {
                let mut b = b.clone();
                (b.kind, b.scope) = (kind, s);
                b.value.iter_mut().for_each(|v| v.map_scopes(&rescope));
                self.bindings.push(b);
            }
        }
        for r in references {
            if let (Some(s), true) = (scope(r.scope), keep(r.start)) {
                let mut r = r.clone();
                r.scope = s;
                r.receiver_mut().into_iter().for_each(|v| v.map_scopes(&rescope));
                self.references.push(r);
            }
        }
        for call in implicit_calls {
            if let (Some(s), true) = (scope(call.scope), keep(call.span.start)) {
                let mut call = call.clone();
                call.scope = s;
                call.receiver.map_scopes(&rescope);
                self.implicit_calls.push(call);
            }
        }
        self.arguments.extend(arguments.iter().filter(|a| keep(a.span.start)).cloned());
        self.sort_arguments();
        for n in narrowings {
            if let (Some(s), true) = (scope(n.scope), keep(n.range.start)) {
                let mut n = n.clone();
                n.scope = s;
                n.classes.map_scopes(&rescope);
                self.narrowings.push(n);
            }
        }
        self.branches.extend(branches.iter().filter(|b| keep(b.range.start)).cloned());
        self.blocks.extend(blocks.iter().filter(|b| keep(b.0)).copied());
        self.sort_blocks();
        self.statements.extend(statements.iter().copied().filter(|&s| keep(s)));
        for (name, condition) in constants {
            if !self.constants.iter().any(|(known, _)| known == name) {
                self.constants.push((name.clone(), condition.clone()));
            }
        }
    }
}

/// Whether `d`, a definition carried over to `text` (lexed as `tokens`),
/// is still written there: its name a name token, a function's or class's
/// right after `def` or `class`; or spelled in a triple-quoted string left
/// unclosed (which swallows the rest).
fn still_written(text: &str, tokens: &Tokens, d: &Definition) -> bool {
    if text.get(d.name_range.range()) != Some(d.name.as_str()) {
        return false;
    }
    let at = TextSize::from(d.name_range.start);
    let token = match tokens.at_offset(at) {
        TokenAt::Single(token) | TokenAt::Between(_, token) => token,
        TokenAt::None => return false,
    };
    // A triple-quoted one: a quote left open ends with its line.
    if token.string_flags().is_some_and(|flags| flags.is_unclosed() && flags.is_triple_quoted()) {
        return true;
    }
    let named = token.kind() == TokenKind::Name && token.start() == at && token.end().to_u32() == d.name_range.end;
    let keyword = || tokens.before(at).last().is_some_and(|k| matches!(k.kind(), TokenKind::Def | TokenKind::Class));
    named && (d.kind == DefinitionKind::Variable || keyword())
}

/// Each kept item's index once the others are gone, numbered from `from`.
fn renumber(kept: impl IntoIterator<Item = bool>, from: u32) -> Vec<Option<u32>> {
    let mut next = from;
    kept.into_iter()
        .map(|kept| {
            kept.then(|| {
                next += 1;
                next - 1
            })
        })
        .collect()
}
