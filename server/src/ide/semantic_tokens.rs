//! Semantic tokens: what each name of a file is, as the resolver knows it
//! (a class, a parameter, a module, a property, a name from the standard
//! library or an installed package), for themes to colour.
//!
//! Every name the summary records is classified: definitions and their
//! parameters where they are declared, imports, locals, and each segment
//! of every read (`a.b.c`) through the graph's resolver. A name the
//! resolver cannot place gets no token: the editor's grammar colours it.

use std::sync::Arc;

use rustc_hash::{FxHashMap, FxHashSet};

use super::last_segment;
use crate::graph::summary::{BindingKind, ScopeKind};
use crate::graph::{DefinitionKind, FileId, Graph, Name, Resolved, Signature, Span, SymbolId, SymbolKind, TextEdit};

/// The token types, in the legend's order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TokenType {
    Namespace,
    Class,
    Function,
    Method,
    Property,
    Parameter,
    Variable,
}

impl TokenType {
    pub const ALL: [TokenType; 7] =
        [TokenType::Namespace, TokenType::Class, TokenType::Function, TokenType::Method, TokenType::Property, TokenType::Parameter, TokenType::Variable];
}

/// Token modifiers, bit flags in the legend's order.
pub mod modifier {
    /// Where the name is bound (a `def`, a parameter, an assignment).
    pub const DECLARATION: u32 = 1;
    /// A constant: an UPPER_CASE name, or one annotated `Final`.
    pub const READONLY: u32 = 1 << 1;
    /// From outside the workspace: builtins, the standard library, an installed package.
    pub const DEFAULT_LIBRARY: u32 = 1 << 2;
    /// Decorated `@deprecated` (PEP 702).
    pub const DEPRECATED: u32 = 1 << 3;
    /// An `async def`.
    pub const ASYNC: u32 = 1 << 4;
    /// The legend's names, in bit order.
    pub const NAMES: [&str; 5] = ["declaration", "readonly", "defaultLibrary", "deprecated", "async"];
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token {
    pub span: Span,
    pub kind: TokenType,
    pub modifiers: u32,
}

/// A file's tokens computed at one state of what the graph's names
/// resolve to (see [`Graph::resolves`]: re-links of files that follow an
/// edit leave it, and the tokens, as they were).
#[derive(Debug, Clone)]
pub struct Computed {
    resolves: u64,
    text: Arc<str>,
    pub tokens: Arc<Vec<Token>>,
}

/// All tokens of `file`, reusing `last` (an earlier answer for the same
/// file) when the graph has not changed what it resolves since: an edit
/// that only moved code (a blank line, a comment) moves the tokens after
/// it, and leaves the tokens before it as they were. A token in the
/// edited region, or any other change, computes them afresh.
///
/// After an edit local to some statements of the file (see
/// [`Graph::local_update`]), the tokens outside them and the functions
/// linked with them are moved and only theirs computed.
pub fn computed(graph: &Graph, file: FileId, last: Option<&Computed>) -> Computed {
    let text = graph.file(file).map(|f| f.text().clone()).unwrap_or_else(|| Arc::from(""));
    let local = graph.local_update().filter(|local| local.file == file && *local.new_text == *text);
    if let Some((local, last)) = local.zip(last).filter(|(local, last)| local.from == last.resolves && *local.old_text == *last.text) {
        let region = local.region;
        // The functions linked with the region (their readers of what it
        // changed) are computed again too.
        let linked_old = |at: u32| region.holds_old(at) || local.readers.iter().any(|(old, _)| old.start <= at && at < old.end);
        let (before, after): (Vec<&Token>, Vec<&Token>) = last.tokens.iter().filter(|t| !linked_old(t.span.start)).partition(|t| t.span.start < region.start);
        let mut out: Vec<Token> = before.into_iter().copied().collect();
        out.extend(tokens(graph, file, Some(region.new_span())));
        out.extend(after.into_iter().map(|t| Token { span: local.edit.map_span(t.span), ..*t }));
        if !local.readers.is_empty() {
            out.extend(local.readers.iter().flat_map(|&(_, new)| tokens(graph, file, Some(new))));
            out.sort_by_key(|t| t.span.start);
            out.dedup_by_key(|t| t.span.start);
        }
        return Computed { resolves: graph.resolves(), text, tokens: Arc::new(out) };
    }
    if let Some(last) = last.filter(|last| last.resolves == graph.resolves()) {
        if last.text == text {
            return Computed { text, ..last.clone() };
        }
        let edit = TextEdit::between(&last.text, &text);
        if !last.tokens.iter().any(|t| edit.overlaps(t.span)) {
            let tokens = last.tokens.iter().map(|t| Token { span: edit.map_span(t.span), ..*t }).collect();
            return Computed { resolves: last.resolves, text, tokens: Arc::new(tokens) };
        }
    }
    Computed { resolves: graph.resolves(), text, tokens: Arc::new(tokens(graph, file, None)) }
}

/// The tokens of `file` that overlap `range` (the whole file when `None`),
/// in order and not overlapping: one that starts before the range or ends
/// after it is in, as is one that holds the range.
pub fn tokens(graph: &Graph, file: FileId, range: Option<Span>) -> Vec<Token> {
    let Some(entry) = graph.file(file) else { return Vec::new() };
    let summary = &entry.summary;
    let wanted = |span: Span| range.is_none_or(|r| span.start < r.end.max(r.start + 1) && span.end > r.start);
    let mut parameters: FxHashSet<u32> = summary.bindings.iter().filter(|b| matches!(b.kind, BindingKind::Parameter { .. })).map(|b| b.range.start).collect();
    parameters.extend(lambda_parameters(entry.text(), &summary.scopes));
    let mut classify = Classifier { graph, parameters, symbols: FxHashMap::default(), externals: FxHashMap::default() };
    let mut out = Vec::new();

    for def in summary.definitions.iter().filter(|d| wanted(d.name_range)) {
        let in_class = summary.scopes.get(def.scope as usize).is_some_and(|s| s.kind == ScopeKind::Class);
        let kind = definition_type(def.kind, in_class, &def.decorators);
        let deprecated = super::deprecated::is_deprecated(graph, file, def.name_range, &def.decorators);
        let modifiers = modifier::DECLARATION | modifiers(&def.name, def.annotation.as_deref(), deprecated, def.signature.as_deref(), kind);
        out.push(Token { span: def.name_range, kind, modifiers });
    }
    for binding in summary.bindings.iter().filter(|b| wanted(b.range)) {
        let (kind, modifiers) = match binding.kind {
            BindingKind::Parameter { .. } => (TokenType::Parameter, 0),
            BindingKind::Local if classify.parameters.contains(&binding.range.start) => (TokenType::Parameter, 0),
            BindingKind::Local => (TokenType::Variable, 0),
            // A module or class variable bound again (`s = 1` … `s = 3`):
            // as its definition; the definition itself is above.
            BindingKind::Definition(id) => match summary.definitions.get(id as usize) {
                Some(def) if def.kind == DefinitionKind::Variable && def.name_range != binding.range => {
                    let in_class = summary.scopes.get(def.scope as usize).is_some_and(|s| s.kind == ScopeKind::Class);
                    let kind = definition_type(def.kind, in_class, &def.decorators);
                    (kind, modifiers(&def.name, def.annotation.as_deref(), false, def.signature.as_deref(), kind))
                }
                _ => continue,
            },
            // Imports are below; a join repeats a binding.
            BindingKind::Import(_) | BindingKind::Join => continue,
        };
        out.push(Token { span: binding.range, kind, modifiers: modifier::DECLARATION | modifiers });
    }
    // The bindings of imports, in the summary's order (looked through
    // for each import's alias: all bindings were, 4M instructions of a
    // debug build for Django's 51-import `sql/query.py`).
    let import_bindings: Vec<(u32, Span)> =
        summary.bindings.iter().filter_map(|b| if let BindingKind::Import(id) = b.kind { Some((id, b.range)) } else { None }).collect();
    for (id, import) in summary.imports.iter().enumerate() {
        if import.star || !wanted(import.range) && !wanted(import.module_range) {
            continue;
        }
        let named = graph.definition(file, import.name_range.start).and_then(|r| classify.resolved(&r));
        // The module of a library name is the library's; asked of the
        // module itself first (`from warnings import deprecated` where the
        // name is missing from this Python's `warnings`).
        let module =
            (import.module_range != Span::default()).then(|| graph.definition(file, import.module_range.end)).flatten().and_then(|r| classify.resolved(&r));
        let library = module.or(named).map_or(0, |t| t.modifiers & modifier::DEFAULT_LIBRARY);
        let namespace = token(TokenType::Namespace, library);
        if import.module_range != Span::default() {
            out.extend(dotted(entry.text(), import.module_range).map(|span| Token { span, ..namespace }));
        }
        if import.name.is_some() {
            out.extend(named.map(|t| Token { span: import.name_range, ..t }));
        } else {
            // `import a.b`: each segment a module.
            let modifiers = named.filter(|t| t.kind == TokenType::Namespace).map_or(0, |t| t.modifiers);
            out.extend(dotted(entry.text(), import.name_range).map(|span| Token { span, kind: TokenType::Namespace, modifiers }));
        }
        // The alias of `as x` is declared as what it names.
        let alias = import_bindings.iter().find(|&&(of, range)| of == id as u32 && range != import.name_range);
        if let (Some(&(_, alias)), Some(named)) = (alias, named.or((import.name.is_none()).then_some(namespace))) {
            out.push(Token { span: alias, kind: named.kind, modifiers: named.modifiers | modifier::DECLARATION });
        }
    }
    // `global counter`, `nonlocal total`: the variable they declare (a
    // module's as where it is first bound).
    let notebook = crate::notebook::Notebook::is_notebook(&entry.path);
    for declared in super::scope_declarations::all(entry.text(), summary, notebook).into_iter().filter(|d| wanted(d.span)) {
        let name = entry.text().get(declared.span.range()).unwrap_or_default();
        let module_variable =
            (!declared.nonlocal).then(|| summary.definitions.iter().find(|d| d.scope == 0 && d.kind == DefinitionKind::Variable && &*d.name == name)).flatten();
        let modifiers = module_variable.map_or(0, |def| modifiers(&def.name, def.annotation.as_deref(), false, None, TokenType::Variable));
        out.push(Token { span: declared.span, kind: TokenType::Variable, modifiers });
    }
    // All of them: what the file's linking found (kept when an update just
    // linked it, see `Graph::reference_answers`); a range's: resolved here.
    let linked = range.is_none().then(|| graph.reference_answers(file));
    let mut resolver = graph.reference_resolver(file);
    for (i, reference) in summary.references.iter().enumerate().filter(|(_, r)| range.is_none_or(|w| r.span().end > w.start && r.span().start < w.end)) {
        let resolved;
        let segments = match &linked {
            Some(linked) => linked.get(i).map_or(&[][..], Vec::as_slice),
            None => {
                resolved = resolver.segments(reference);
                &resolved
            }
        };
        let mut answers = segments.iter().cloned();
        // The answers stop at the first segment that is not resolved.
        for (index, (name, span)) in reference.segments().enumerate() {
            let answer = answers.next().flatten();
            // A module's own `__name__`, `__file__`: a variable the
            // interpreter binds in every module, not a builtin.
            let module_dunder = index == 0
                && super::hover::MODULE_DUNDERS.iter().any(|(dunder, ..)| *dunder == name)
                && answer.as_ref().is_none_or(|a| matches!(a, Resolved::External(_)));
            let answer = if module_dunder { Some(token(TokenType::Variable, 0)) } else { answer.and_then(|a| classify.resolved(&a)) };
            if let Some(token) = answer.filter(|_| wanted(span)) {
                out.push(Token { span, ..token });
            }
        }
    }

    // One token per place: a definition's name is also bound, an import's
    // alias also named. An import is taken in by its statement's range,
    // and a broken statement's (recovered) range can start lines before
    // its names: each token is held to the range itself.
    out.sort_by_key(|t| (t.span.start, std::cmp::Reverse(t.modifiers & modifier::DECLARATION)));
    let mut end = 0;
    out.retain(|t| {
        // A broken statement's recovered name may be a keyword
        // (`class #C:` names the class `def` of the next line).
        let named = entry.text().get(t.span.range()).is_some_and(|name| !ruff_python_stdlib::keyword::is_keyword(name));
        let keep = t.span.start >= end && t.span.end > t.span.start && named && wanted(t.span);
        if keep {
            end = t.span.end;
        }
        keep
    });
    out
}

/// Where the parameters of the file's lambdas are bound: the summary binds
/// them as a lambda's locals (its scope has no definition), read here from
/// the lambda's own text.
fn lambda_parameters<'t>(text: &'t str, scopes: &'t [crate::graph::summary::Scope]) -> impl Iterator<Item = u32> + 't {
    scopes
        .iter()
        .filter(|scope| scope.kind == ScopeKind::Function && scope.definition.is_none())
        .filter_map(|scope| Some((scope.range.start, text.get(scope.range.range())?)))
        .filter(|(_, written)| written.strip_prefix("lambda").is_some_and(|rest| !rest.starts_with(|c: char| c.is_alphanumeric() || c == '_')))
        .flat_map(|(start, written)| {
            let parsed = ruff_python_parser::parse_expression(written).ok();
            let lambda = parsed.as_ref().and_then(|p| p.expr().as_lambda_expr()).and_then(|lambda| lambda.parameters.as_deref());
            let names: Vec<u32> = lambda.into_iter().flat_map(|params| params.iter()).map(|param| start + param.name().range.start().to_u32()).collect();
            names
        })
}

/// Resolved names to token types, memoised for the names a file repeats.
struct Classifier<'g> {
    graph: &'g Graph,
    /// Where the file's parameters are bound (a local resolves to its binding).
    parameters: FxHashSet<u32>,
    symbols: FxHashMap<SymbolId, Option<Token>>,
    externals: FxHashMap<String, Option<Token>>,
}

impl Classifier<'_> {
    /// The type and modifiers of what a name denotes (its span is the caller's).
    fn resolved(&mut self, resolved: &Resolved) -> Option<Token> {
        match resolved {
            Resolved::Symbol(id) => {
                let graph = self.graph;
                *self.symbols.entry(*id).or_insert_with(|| workspace_symbol(graph, *id))
            }
            Resolved::External(path) => {
                if let Some(token) = self.externals.get(path) {
                    return *token;
                }
                let token = external(self.graph, path);
                self.externals.insert(path.clone(), token);
                token
            }
            Resolved::Local { span, .. } => {
                let parameter = self.parameters.contains(&span.start);
                Some(token(if parameter { TokenType::Parameter } else { TokenType::Variable }, 0))
            }
        }
    }
}

fn token(kind: TokenType, modifiers: u32) -> Token {
    Token { span: Span::default(), kind, modifiers }
}

fn workspace_symbol(graph: &Graph, id: SymbolId) -> Option<Token> {
    let symbol = graph.symbol(id)?;
    let definition_kind = match symbol.kind {
        SymbolKind::Module => return Some(token(TokenType::Namespace, 0)),
        SymbolKind::Class => DefinitionKind::Class,
        SymbolKind::Function => DefinitionKind::Function,
        SymbolKind::Method => DefinitionKind::Method,
        SymbolKind::Variable => DefinitionKind::Variable,
        SymbolKind::External => return external(graph, symbol.qualified_name),
    };
    let summary = &graph.file(symbol.file?)?.summary;
    let in_class = (summary.definitions.iter().find(|d| d.name_range == symbol.name_range))
        .is_some_and(|d| summary.scopes.get(d.scope as usize).is_some_and(|s| s.kind == ScopeKind::Class));
    let kind = definition_type(definition_kind, in_class, symbol.decorators);
    let deprecated = super::deprecated::is_deprecated(graph, symbol.file?, symbol.name_range, symbol.decorators);
    Some(token(kind, modifiers(symbol.name, symbol.annotation, deprecated, symbol.signature, kind)))
}

/// What a path outside the workspace names, from the library layer; a
/// builtin the environment has no stubs for still counts as one.
fn external(graph: &Graph, path: &str) -> Option<Token> {
    let name = path.rsplit('.').next().unwrap_or(path);
    let Some(symbol) = graph.library_item(path).and_then(|item| graph.library_declaration(item)) else {
        let builtin = path.strip_prefix("builtins.").filter(|n| !n.contains('.'))?;
        // `__debug__` is a `bool` the compiler folds, which typeshed declares nowhere.
        if builtin == "__debug__" {
            return Some(token(TokenType::Variable, modifier::DEFAULT_LIBRARY | modifier::READONLY));
        }
        let kind = if builtin.starts_with(char::is_uppercase) { TokenType::Class } else { TokenType::Function };
        return Some(token(kind, modifier::DEFAULT_LIBRARY));
    };
    let kind = match symbol.kind {
        SymbolKind::Module => TokenType::Namespace,
        SymbolKind::Class => TokenType::Class,
        SymbolKind::Function => TokenType::Function,
        SymbolKind::Method => definition_type(DefinitionKind::Method, true, symbol.decorators),
        SymbolKind::Variable | SymbolKind::External => TokenType::Variable,
    };
    // A library's decorators are read by their spelling: the library's
    // own imports are not resolved here.
    let deprecated = symbol.decorators.iter().any(|d| super::decorator_name(d) == "deprecated");
    Some(token(kind, modifier::DEFAULT_LIBRARY | modifiers(name, symbol.annotation, deprecated, symbol.signature, kind)))
}

/// A definition's token type: class-level variables and methods read as
/// attributes (`@property`, `@cached_property`) are properties.
fn definition_type(kind: DefinitionKind, in_class: bool, decorators: &[Name]) -> TokenType {
    let property = decorators.iter().any(|d| matches!(last_segment(d), "property" | "cached_property") || d.ends_with(".setter") || d.ends_with(".getter"));
    match kind {
        DefinitionKind::Class => TokenType::Class,
        DefinitionKind::Method if property => TokenType::Property,
        DefinitionKind::Method => TokenType::Method,
        DefinitionKind::Function => TokenType::Function,
        DefinitionKind::Variable if in_class => TokenType::Property,
        _ => TokenType::Variable,
    }
}

/// The modifiers of a name bound as `kind`; `deprecated` as decided by
/// `ide::deprecated` (PEP 702's decorator).
fn modifiers(name: &str, annotation: Option<&str>, deprecated: bool, signature: Option<&Signature>, kind: TokenType) -> u32 {
    let mut bits = 0;
    let variable = matches!(kind, TokenType::Variable | TokenType::Property);
    let final_ = annotation.is_some_and(|a| matches!(last_segment(a.split('[').next().unwrap_or(a)), "Final"));
    if variable && (is_constant_name(name) || final_) {
        bits |= modifier::READONLY;
    }
    if deprecated {
        bits |= modifier::DEPRECATED;
    }
    if signature.is_some_and(|s| s.is_async) {
        bits |= modifier::ASYNC;
    }
    bits
}

/// `MAX_RETRIES`, `PI`: upper case with at least one letter (`_` alone,
/// `__all__` and `T` type variables are not constants).
fn is_constant_name(name: &str) -> bool {
    let letters = name.chars().filter(|c| c.is_alphabetic()).count();
    letters > 1 && !name.starts_with("__") && name.chars().all(|c| c.is_uppercase() || c.is_ascii_digit() || c == '_')
}

/// The segments of a dotted name at `span` (`os.path`: `os`, `path`).
fn dotted(text: &str, span: Span) -> impl Iterator<Item = Span> + '_ {
    let written = text.get(span.range()).unwrap_or("");
    // Python allows blanks and line continuations around the dots
    // (`import cart .os`): each segment is its name without them.
    let blank = |c: char| c.is_whitespace() || c == '\\';
    written
        .split('.')
        .scan(span.start, move |start, segment| {
            let at = *start + (segment.len() - segment.trim_start_matches(blank).len()) as u32;
            *start += segment.len() as u32 + 1;
            let name = segment.trim_matches(blank);
            Some((name, Span::new(at, at + name.len() as u32)))
        })
        .filter(move |(name, _)| !name.is_empty() && !name.contains(blank))
        .map(|(_, span)| span)
}

#[cfg(test)]
#[path = "semantic_tokens_tests.rs"]
mod tests;

#[cfg(test)]
#[path = "semantic_tokens_edit_tests.rs"]
mod edit_tests;
