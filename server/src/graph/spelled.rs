//! The functions that read a changed function by name, linked again with
//! the region instead of the whole file.
//!
//! Appending `_` to a returned name or to a method's name changes what
//! the method shows (its return values, its name), and a method of
//! Django's query.py is called from a few others: the whole file's
//! ~9,000 references were linked again (~6 ms) where a few functions'
//! would do. A reference resolves through the names it spells, and a
//! value through the names its expression spells (unread.rs), so the
//! references that may see the change are those in the functions whose
//! text spells a changed name (in a reference, a string or a comment:
//! `getattr(m, "make")` reads it). Each such function is linked again
//! whole, and counts as changed in turn when what it returns may read a
//! changed one (its return values or the locals they read spell a changed
//! name, or read an unannotated parameter, which its callers type), until
//! no function outside spells a changed name. A reader that returns
//! nothing it read (`__init__`, a method that only calls) is not itself
//! read again by its callers.
//!
//! Refused (the caller links the whole file) when a changed name is a
//! dunder (the interpreter calls those unnamed) or bound other than by a
//! function, when it is spelled outside every function (a class body, a
//! module-level statement, a lambda in a class body: what they bind is
//! seen by name anywhere), or when a function that spells it shows the
//! rest anything but its own return values and the attributes it sets:
//! a `global` it binds, a function or class it defines outside. Past
//! [`MAX_READERS`] functions the whole file's link is as cheap.
//!
//! An attribute a reader sets (`self.alias_map = {}`) is read by name
//! anywhere, but what it denotes is what its value reads: when neither
//! the value nor the reader's locals it reads (and theirs) spell a
//! changed name, the attribute is what it was, and the reader is linked
//! again like any other (sql/query.py's methods that call `setup_joins`
//! set some of its 85 `self.x`). A value reading an unannotated
//! parameter is refused (its callers type it, infer/callers.rs), as is a
//! comprehension's (what its element reads is not kept).

use rustc_hash::FxHashSet;
use unicode_normalization::UnicodeNormalization;

use super::infer::exprs::ValueExpr;
use super::summary::{BindingKind, Definition, DefinitionId, FileSummary, ScopeId, ScopeKind};
use super::{DefinitionKind, Span};

/// Functions linked again besides the region at most.
const MAX_READERS: usize = 24;

/// The names of the changed functions whose readers are linked again, and
/// those readers (the functions spelling them, outside the region).
#[derive(Debug, Clone, Default)]
pub(super) struct Unread<'s> {
    pub names: FxHashSet<&'s str>,
    /// Where the readers are in the new text, in the order found.
    pub readers: Vec<Span>,
    /// The readers that set attributes, checked against every changed
    /// name (see the module's documentation).
    setters: Vec<&'s Definition>,
    /// The readers whose returns read no changed name so far: not
    /// changed themselves, unless a name found later says otherwise.
    unchanged: Vec<&'s Definition>,
}

impl<'s> Unread<'s> {
    /// Counts the function `name` (of both `old` and `new`, the summary of
    /// `text`) among the changed, with the functions outside `region` that
    /// spell it, and theirs in turn; `None` when one cannot be linked
    /// alone (see the module's documentation).
    pub(super) fn add(&mut self, old: &'s FileSummary, new: &'s FileSummary, text: &str, region: Span, name: &'s str) -> Option<()> {
        let mut queue = vec![name];
        if !self.names.insert(name) {
            return Some(());
        }
        // Why the whole file is linked instead (the benchmarks' tail).
        let refused = |reason: &str, name: &str| {
            tracing::debug!(reason, name, "readers not linked");
            None
        };
        loop {
            while let Some(name) = queue.pop() {
                // Searched for, the empty name would be found between every
                // two bytes, each looked up as a reader; a dangling `self.`
                // elsewhere (recovery's empty member) may read it.
                if name.is_empty() {
                    return refused("a nameless function (recovery's)", name);
                }
                if !by_name_only(old, name) || !by_name_only(new, name) {
                    return refused("a dunder, or bound other than by a function", name);
                }
                for (at, end) in spelled_at(new, text, name) {
                    let linked = |span: &Span| span.start <= at && end <= span.end;
                    if linked(&region) || self.readers.iter().any(linked) {
                        continue;
                    }
                    let Some(reader) = outermost_function(new, at).filter(|(_, d)| d.range.end <= region.start || d.range.start >= region.end) else {
                        return refused("spelled outside any function", name);
                    };
                    let shows = shows(new, reader);
                    if shows == Shows::More {
                        return refused("a reader shows more than its returns and attributes", name);
                    }
                    if self.readers.len() == MAX_READERS {
                        return refused("too many readers", name);
                    }
                    let (_, d) = reader;
                    self.readers.push(d.range);
                    if shows == Shows::Attributes {
                        self.setters.push(d);
                    }
                    self.unchanged.push(d);
                }
            }
            // A reader whose returns read a changed name changes in turn.
            let names = &self.names;
            let (changed, unchanged): (Vec<&Definition>, Vec<&Definition>) =
                self.unchanged.iter().partition(|reader| !values_unchanged(new, reader, reader.values.iter(), names));
            self.unchanged = unchanged;
            queue.extend(changed.into_iter().map(|d| d.name.as_str()).filter(|name| self.names.insert(name)));
            if queue.is_empty() {
                break;
            }
        }
        // Every name changed is known here (this is the last call or a
        // later one checks again).
        let attributes = |setter: &&Definition| {
            let values = new.definitions.iter().filter(|d| is_attribute(new, d)).flat_map(|d| d.values.iter());
            values_unchanged(new, setter, values, &self.names)
        };
        if let Some(setter) = self.setters.iter().find(|setter| !attributes(setter)) {
            return refused("a reader sets an attribute from what changed", setter.name.as_str());
        }
        Some(())
    }

    /// Whether what the call at `callee` in the reader spanning `reader`
    /// of `summary` (of `text`) passes reads no changed name (see
    /// [`values_unchanged`]): then the types it gives the parameters of
    /// the function it calls (infer/callers.rs) are what they were, and
    /// that function need not be linked again. Only names and attribute
    /// chains, or calls of them, are passed that way.
    pub(super) fn passes_unchanged(&self, summary: &FileSummary, text: &str, reader: Span, callee: Span) -> bool {
        let Some(function) = summary.definitions.iter().find(|d| d.range == reader) else { return false };
        let inside = |offset: u32| function.range.start <= offset && offset < function.range.end;
        let is_local = |scope: ScopeId| scope != 0 && summary.scopes.get(scope as usize).is_some_and(|s| inside(s.range.start));
        summary.arguments_of(callee).all(|argument| match argument.chain(text) {
            Some(chain) => !spells_any(chain, &self.names) && locals_unchanged(summary, &is_local, chain.split('.').next().into_iter().collect(), &self.names),
            None => false,
        })
    }

    /// Whether `name` is spelled outside `region` of `text` (summarised
    /// as `summary`) at all; the empty name always (see [`Unread::add`]).
    pub(super) fn spelled_outside(summary: &FileSummary, text: &str, name: &str, region: Span) -> bool {
        name.is_empty() || spelled_at(summary, text, name).any(|(at, end)| at < region.start || end > region.end)
    }
}

/// Where `name` is written as a word in `text` (summarised as `summary`),
/// each word's start and end, but in the dotted module of an import
/// (`from django.urls import reverse`, `import a.urls`): that names a
/// module, never a function of this file (one the import binds is refused
/// by [`by_name_only`]). Python reads a name NFKC-normalised, as the
/// summary holds it: `ｒｅａｄ(2)` calls `read`, and spells it. A word
/// starting with a digit is a number the lexer may end where a name
/// starts: recovery reads `1_token(text)` as `1` and a call of `_token`
/// (see [`may_start_name`]).
fn spelled_at<'t>(summary: &'t FileSummary, text: &'t str, name: &'t str) -> impl Iterator<Item = (u32, u32)> + 't {
    let bytes = text.as_bytes();
    let within = |span: Span, at: u32| span.start <= at && at < span.end;
    let in_module_path = move |at: u32| summary.imports.iter().any(|i| within(i.module_range, at) || (i.name.is_none() && within(i.name_range, at)));
    let exact = memchr::memmem::find_iter(bytes, name.as_bytes())
        .filter(move |&at| may_start_name(bytes, at) && !bytes.get(at + name.len()).is_some_and(is_word))
        .map(move |at| (at, at + name.len()));
    // The words with a character past ASCII, which the search above never
    // matches whole (an ASCII text has none). Every such byte is a word's:
    // words start and end on characters' boundaries.
    let normalised = (!text.is_ascii()).then(|| {
        let mut next = 0;
        bytes.chunk_by(|a, b| is_word(a) == is_word(b)).flat_map(move |word| {
            let (start, end) = (next, next + word.len());
            next = end;
            // Its start, or any character's in a number (`may_start_name`).
            let last = if word[0].is_ascii_digit() { end } else { start + 1 };
            let starts = (start..last).filter(move |&at| !word.is_ascii() && text.is_char_boundary(at));
            starts.filter(move |&at| text[at..end].nfkc().eq(name.chars())).map(move |at| (at, end))
        })
    });
    exact.chain(normalised.into_iter().flatten()).map(|(at, end)| (at as u32, end as u32)).filter(move |&(at, _)| !in_module_path(at))
}

/// Whether byte `c` may be part of a word (a name's or a number's): a
/// byte past ASCII is some character's.
fn is_word(c: &u8) -> bool {
    *c == b'_' || c.is_ascii_alphanumeric() || *c >= 0x80
}

/// Whether a name may start at byte `at` of `bytes`: where a word starts,
/// or inside a word starting with a digit, a number whose literal the
/// lexer ends at the first byte no number takes (`1_token` is `1`, then
/// `_token`; `0x1for` is `0x1f`, then `or`): any place past its first
/// byte is counted, which may count more than the lexer splits, never
/// less.
fn may_start_name(bytes: &[u8], at: usize) -> bool {
    let word_before = bytes[..at].iter().rev().take_while(|c| is_word(c)).count();
    word_before == 0 || bytes[at - word_before].is_ascii_digit()
}

/// Whether `name` is no dunder and every definition of it in `summary` a
/// function, every binding of it in a class or module body one of those
/// definitions' (an import or an assignment of that name is refused).
pub(super) fn by_name_only(summary: &FileSummary, name: &str) -> bool {
    let dunder = name.len() > 4 && name.starts_with("__") && name.ends_with("__");
    let is_function = |def: u32| summary.definitions.get(def as usize).is_some_and(|d| matches!(d.kind, DefinitionKind::Function | DefinitionKind::Method));
    !dunder
        && summary.definitions.iter().filter(|d| *d.name == *name).all(|d| matches!(d.kind, DefinitionKind::Function | DefinitionKind::Method))
        && summary.bindings.iter().filter(|b| *b.name == *name).all(|b| match b.kind {
            BindingKind::Definition(def) => is_function(def),
            BindingKind::Import(_) => false,
            _ => summary.scopes.get(b.scope as usize).is_some_and(|s| s.kind == ScopeKind::Function),
        })
}

/// The outermost function (a `def`, its decorators included) of
/// `summary` holding offset `at`.
fn outermost_function(summary: &FileSummary, at: u32) -> Option<(DefinitionId, &Definition)> {
    (summary.definitions.iter().enumerate())
        .filter(|(_, d)| matches!(d.kind, DefinitionKind::Function | DefinitionKind::Method) && d.range.start <= at && at < d.range.end)
        .min_by_key(|(_, d)| d.range.start)
        .map(|(id, d)| (id as DefinitionId, d))
}

/// What a function shows the rest of its file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Shows {
    /// What it returns, read through its name.
    Returns,
    /// That, and values of attributes of a class (`self.x = ...`).
    Attributes,
    /// Anything else: a `global`, a definition outside its body.
    More,
}

/// What function `id` of `summary` shows: [`Shows::Returns`] when it
/// binds nothing outside its own body but its name, defines nothing
/// there, and adds no value to a definition outside it; [`Shows::Attributes`]
/// when what it binds, defines or adds a value to outside is a class's
/// attributes only.
fn shows(summary: &FileSummary, (id, function): (DefinitionId, &Definition)) -> Shows {
    let Some(body) = function.body else { return Shows::More };
    let in_body = |mut scope: ScopeId| loop {
        if scope == body {
            return true;
        }
        match summary.scopes.get(scope as usize).and_then(|s| s.parent) {
            Some(parent) if parent != scope => scope = parent,
            _ => return false,
        }
    };
    let inside = |offset: u32| function.range.start <= offset && offset < function.range.end;
    let attribute = |def: DefinitionId| summary.definitions.get(def as usize).is_some_and(|d| is_attribute(summary, d));
    let mut attributes = false;
    for b in summary.bindings.iter().filter(|b| inside(b.range.start) && !in_body(b.scope) && b.kind != BindingKind::Definition(id)) {
        match b.kind {
            BindingKind::Definition(def) if attribute(def) => attributes = true,
            _ => return Shows::More,
        }
    }
    let outside = summary.definitions.iter().enumerate().filter(|(d, def)| *d as DefinitionId != id && !in_body(def.scope)).map(|(_, def)| def);
    for def in outside.filter(|def| inside(def.range.start) || def.values.iter().any(|v| v.at().is_some_and(inside))) {
        if !is_attribute(summary, def) {
            return Shows::More;
        }
        attributes = true;
    }
    if summary.narrowings.iter().any(|n| inside(n.range.start) && !in_body(n.scope)) {
        return Shows::More;
    }
    if attributes { Shows::Attributes } else { Shows::Returns }
}

/// Whether `def` is a variable of a class's body (an attribute a method
/// may set).
fn is_attribute(summary: &FileSummary, def: &Definition) -> bool {
    def.kind == DefinitionKind::Variable && summary.scopes.get(def.scope as usize).is_some_and(|s| s.kind == ScopeKind::Class)
}

/// Whether those of `values` (of `summary`) that are written in
/// `function`, the locals they read and theirs in turn, spell none of
/// `names` and read no unannotated parameter but `self`/`cls` nor a
/// comprehension's element: then they denote what they did before the
/// change.
fn values_unchanged<'s>(summary: &'s FileSummary, function: &Definition, values: impl Iterator<Item = &'s ValueExpr>, names: &FxHashSet<&str>) -> bool {
    let inside = |offset: u32| function.range.start <= offset && offset < function.range.end;
    let is_local = |scope: ScopeId| scope != 0 && summary.scopes.get(scope as usize).is_some_and(|s| inside(s.range.start));
    let mut reads: Vec<&str> = Vec::new();
    for value in values.filter(|v| v.at().is_some_and(inside)) {
        if !reads_unchanged(value, names, &is_local, &mut reads) {
            return false;
        }
    }
    locals_unchanged(summary, &is_local, reads, names)
}

/// Whether the bindings of the names `reads` in the scopes `is_local`
/// holds, and of the locals their values read in turn, read none of
/// `names` (see [`values_unchanged`]).
fn locals_unchanged<'s>(summary: &'s FileSummary, is_local: &impl Fn(ScopeId) -> bool, mut reads: Vec<&'s str>, names: &FxHashSet<&str>) -> bool {
    let mut seen: FxHashSet<&str> = FxHashSet::default();
    while let Some(name) = reads.pop() {
        if !seen.insert(name) {
            continue;
        }
        for b in summary.bindings.iter().filter(|b| is_local(b.scope) && *b.name == *name) {
            let known = match b.kind {
                // What a function or class defined here gives is more than
                // its binding.
                BindingKind::Definition(_) => false,
                BindingKind::Parameter { self_of: Some(_) } | BindingKind::Import(_) => true,
                BindingKind::Parameter { self_of: None } => annotated(summary, b.scope, name).is_some_and(|a| !spells_any(a, names)),
                _ => true,
            };
            if !known || b.value.as_ref().is_some_and(|value| !reads_unchanged(value, names, is_local, &mut reads)) {
                return false;
            }
        }
        for n in summary.narrowings.iter().filter(|n| is_local(n.scope) && *n.name == *name) {
            if !reads_unchanged(&n.classes, names, is_local, &mut reads) {
                return false;
            }
        }
    }
    true
}

/// The annotation of parameter `name` of the function whose body is
/// `scope`.
fn annotated<'s>(summary: &'s FileSummary, scope: ScopeId, name: &str) -> Option<&'s str> {
    let function = summary.scopes.get(scope as usize)?.definition.and_then(|d| summary.definitions.get(d as usize))?;
    let parameter = function.signature.as_ref()?.parameters.iter().find(|p| *p.name == *name)?;
    parameter.annotation.as_deref()
}

/// Whether `value` spells none of `names` (in a chain, an attribute, an
/// annotation, a `getattr` prefix) and reads no comprehension's element;
/// the first names of what it reads in a scope `is_local` holds are added
/// to `reads`.
fn reads_unchanged<'s>(value: &'s ValueExpr, names: &FxHashSet<&str>, is_local: &impl Fn(ScopeId) -> bool, reads: &mut Vec<&'s str>) -> bool {
    match value {
        ValueExpr::Chain { chain, scope, .. } => {
            if is_local(*scope) {
                reads.extend(chain.split('.').next());
            }
            !spells_any(chain, names)
        }
        ValueExpr::Annotation { text, scope, .. } | ValueExpr::TypeExpr { text, scope, .. } => {
            if is_local(*scope) {
                reads.extend(words(text));
            }
            !spells_any(text, names)
        }
        ValueExpr::Comprehension(..) => false,
        ValueExpr::Attribute(_, name) if names.contains(name.as_str()) => false,
        ValueExpr::Prefixed(_, prefix) if names.iter().any(|n| n.starts_with(prefix.as_str())) => false,
        _ => value.children().all(|child| reads_unchanged(child, names, is_local, reads)),
    }
}

/// Whether a word of `text` is one of `names`.
fn spells_any(text: &str, names: &FxHashSet<&str>) -> bool {
    words(text).any(|word| names.contains(word))
}

fn words(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| !(c.is_alphanumeric() || c == '_')).filter(|w| !w.is_empty())
}
