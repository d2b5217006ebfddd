//! Per-file summaries: everything the graph needs from one Python file,
//! extracted from ruff's AST in one pass and independent of where the file
//! lives (so a summary can be cached by the file's content hash).
//!
//! A summary records scopes, definitions (classes, functions, methods,
//! module- and class-level variables, `self.x` instance attributes), imports,
//! every name binding, and every name or attribute-chain reference. Turning
//! references into edges is the resolver's job.

mod arguments;
mod builder;
pub(crate) mod chain;
mod comprehension;
mod implicit;
mod in_cell;
mod method;
mod moved;
mod name;
mod narrowing;
mod platform;
mod recovered;
mod respaced;
mod signature_test;
mod spliced;
mod visit;

use ruff_python_ast::{self as ast, visitor::Visitor};
use ruff_python_parser::Parsed;
use ruff_text_size::{Ranged, TextRange};
use serde::{Deserialize, Serialize};

use super::infer::exprs::{Narrowing, ValueExpr};
pub use arguments::Argument;
use builder::Builder;
pub use builder::Detail;
pub(crate) use implicit::is_literal;
pub use implicit::{Arithmetic, Forward, ImplicitCall, Protocol};
pub use moved::TextEdit;
pub use name::Name;
pub use platform::{Condition, Platform};
pub use spliced::{Region, Spliced};
use thin_vec::ThinVec;

/// A byte range in a file's text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize)]
pub struct Span {
    pub start: u32,
    pub end: u32,
}

impl Span {
    pub fn new(start: u32, end: u32) -> Self {
        Self { start, end }
    }

    pub fn range(self) -> std::ops::Range<usize> {
        self.start as usize..self.end as usize
    }

    /// Whether `offset` is inside, counting the end (a cursor just after an
    /// identifier is still on it).
    pub fn touches(self, offset: u32) -> bool {
        self.start <= offset && offset <= self.end
    }
}

impl From<TextRange> for Span {
    fn from(range: TextRange) -> Self {
        Self { start: range.start().to_u32(), end: range.end().to_u32() }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct FileSummary {
    pub docstring: Option<String>,
    /// Scope 0 is the module; parents come before children.
    pub scopes: Vec<Scope>,
    pub definitions: Vec<Definition>,
    pub imports: Vec<Import>,
    /// Every binding of a name, in source order.
    pub bindings: Vec<Binding>,
    /// Every read of a name or attribute chain, in source order.
    pub references: Vec<Reference>,
    /// Protocol methods that syntax runs (`with v:`, `len(v)`, `a == b`).
    pub implicit_calls: Vec<ImplicitCall>,
    /// Names passed to calls, in text order.
    pub arguments: Vec<Argument>,
    /// `isinstance` tests of `if` statements, and the bodies they govern.
    pub narrowings: Vec<Narrowing>,
    /// The branches of `if` statements on the interpreter's version or
    /// platform (directly or through `constants`).
    pub branches: Vec<Branch>,
    /// Module-level constants that are such tests (`WIN = sys.platform ==
    /// "win32"`), by name.
    pub constants: Vec<(String, Condition)>,
    /// Where each top-level statement starts (decorators included), for
    /// re-summarising only the statements an edit touches (spliced.rs).
    pub statements: Vec<u32>,
    pub syntax_errors: u32,
}

/// The body of one branch of an `if` on the interpreter: it runs when each
/// test has the value paired with it (`elif b:` runs when `a` is false and
/// `b` true).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Branch {
    pub range: Span,
    pub tests: Vec<(Condition, bool)>,
}

pub type ScopeId = u32;
pub type DefinitionId = u32;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ScopeKind {
    Module,
    Class,
    /// Functions, and lambdas and comprehensions (which have no definition).
    Function,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Scope {
    pub kind: ScopeKind,
    pub parent: Option<ScopeId>,
    /// The class or function whose body this is.
    pub definition: Option<DefinitionId>,
    pub range: Span,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum DefinitionKind {
    Class,
    Function,
    Method,
    Variable,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Definition {
    pub name: Name,
    pub kind: DefinitionKind,
    /// The scope the name is bound in.
    pub scope: ScopeId,
    /// The scope of a class's or function's body.
    pub body: Option<ScopeId>,
    pub range: Span,
    pub name_range: Span,
    /// Boxed: most definitions are variables, without one (a signature
    /// held in place was 32 bytes of every definition).
    pub signature: Option<Box<Signature>>,
    /// Of its length: kept for the file's life.
    pub docstring: Option<Box<str>>,
    /// Base class expressions as written, type arguments included
    /// (`models.Model`, `Generic[T]`).
    /// (The lists below are `ThinVec`s: one word each, as most are empty.)
    pub bases: ThinVec<Name>,
    /// Where each base is written.
    pub base_ranges: ThinVec<Span>,
    /// Decorator expressions as written, without the `@`.
    pub decorators: ThinVec<Name>,
    /// A variable's annotation as written.
    pub annotation: Option<Name>,
    /// A variable's assigned values (module, class or `self.x` level); a
    /// function's `return` values; a class's metaclass (see metaclass.rs).
    /// The first few, for type inference.
    pub values: ThinVec<ValueExpr>,
}

// Kept at 104 bytes (144 with the signature in place and the docstring a
// `String`): a workspace holds a definition for every function, class and
// variable (Django: 61,000).
const _: () = assert!(std::mem::size_of::<Definition>() == 104);

impl Definition {
    /// A definition with nothing known of it but its name, kind and
    /// places: no body, signature, docstring, bases, decorators,
    /// annotation nor values yet.
    pub(super) fn bare(name: Name, kind: DefinitionKind, scope: ScopeId, range: Span, name_range: Span) -> Self {
        Definition {
            name,
            kind,
            scope,
            body: None,
            range,
            name_range,
            signature: None,
            docstring: None,
            bases: ThinVec::new(),
            base_ranges: ThinVec::new(),
            decorators: ThinVec::new(),
            annotation: None,
            values: ThinVec::new(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Signature {
    pub is_async: bool,
    pub parameters: Vec<Parameter>,
    pub returns: Option<Name>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ParameterKind {
    PositionalOnly,
    PositionalOrKeyword,
    VarPositional,
    KeywordOnly,
    VarKeyword,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Parameter {
    pub name: Name,
    pub kind: ParameterKind,
    pub annotation: Option<Name>,
    pub default: Option<Name>,
    pub range: Span,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Import {
    /// The module as written after `import` or `from` (without leading dots).
    /// (Names, like the others here: interned, one pointer each, where a
    /// `String` was 24 bytes and a block of its own.)
    pub module: Option<Name>,
    /// Leading dots of a relative import.
    pub level: u32,
    /// The imported name of `from m import name`; `None` for `import m`.
    pub name: Option<Name>,
    pub alias: Option<Name>,
    /// `from m import *`.
    pub star: bool,
    pub scope: ScopeId,
    /// The `name [as alias]` part.
    pub range: Span,
    /// The imported name or dotted module as written.
    pub name_range: Span,
    /// The module of `from <module> import ...` (empty otherwise).
    pub module_range: Span,
    /// Under `if`/`try`/`with`/loops rather than straight-line code.
    pub conditional: bool,
    /// Under `if TYPE_CHECKING:`.
    pub type_checking: bool,
}

// Kept at 64 bytes (112 with its names as `String`s, each also a block
// of its own): imports and the rest of Django's summaries 4,195 -> 2,913 KB.
const _: () = assert!(std::mem::size_of::<Import>() == 64);

impl Import {
    /// The name this import binds in its scope (`None` for `*`).
    pub fn bound_name(&self) -> Option<&str> {
        if self.star {
            return None;
        }
        if let Some(alias) = &self.alias {
            return Some(alias);
        }
        match &self.name {
            Some(name) => Some(name),
            // `import a.b.c` binds `a`.
            None => self.module.as_deref().map(|m| m.split('.').next().unwrap_or(m)),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum BindingKind {
    Definition(DefinitionId),
    Import(u32),
    /// A parameter; `self_of` is the class when it is a method's first
    /// parameter (`self` or `cls`).
    Parameter {
        self_of: Option<DefinitionId>,
    },
    /// A local name in a function, lambda or comprehension, or an exception
    /// name: nothing others can import.
    Local,
    /// A function's local after an `if`/`elif`/`else` whose every branch
    /// binds it: written where the `else` branch's last binding is, visible
    /// from the end of the statement, holding what any branch's last
    /// binding holds (`x = A()` / `else: x = b.c` is an `A` or unknown).
    Join,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Binding {
    pub name: Name,
    pub scope: ScopeId,
    pub range: Span,
    pub kind: BindingKind,
    /// Where the binding takes effect: after its whole statement for an
    /// assignment (`x = x + 1` reads the previous `x`), else at the name.
    pub visible_from: u32,
    /// The value bound, when type inference can follow it.
    pub value: Option<Box<ValueExpr>>,
}

/// A read of `a`, `a.b.c` or `super().m`: the dotted chain and where each
/// segment starts (segments are identifiers, so each ends at start + len).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reference {
    pub scope: ScopeId,
    /// Where the first segment starts.
    pub start: u32,
    /// Where the last segment starts (a call's callee; kept, not found
    /// again in the chain: the struct's padding has room for it).
    last: u32,
    pub chain: Name,
    /// What few references have, behind one pointer (a reference is the
    /// summaries' most numerous item: 8 bytes less on each of Django's
    /// 330,000); `None` in the usual case.
    rare: Option<Box<Rare>>,
    /// The chain is called (`a.b()`), or applied as a decorator.
    pub call: bool,
    /// The chain starts at `super()`; the first segment is a member of the
    /// enclosing class's bases and `chain` holds the members only.
    pub from_super: bool,
}

// Kept at 32 bytes: a reference is the summaries' most numerous item.
const _: () = assert!(std::mem::size_of::<Reference>() == 32);

/// A [`Reference`]'s rarely filled parts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct Rare {
    /// Where each segment starts, when one does not start right after the
    /// previous segment's dot (`a. b`, a chain over lines); empty in the
    /// usual case, where the starts follow from `start` and the chain.
    spread: ThinVec<u32>,
    /// The chain reads members of this value (`Cart(...).total()`,
    /// `f().x`): the first segment is a member of it.
    receiver: Option<ValueExpr>,
    /// Each segment's width in the source, when one differs from its
    /// name's length: Python normalises names (NFKC), so `ｒａｔｅ` (12
    /// bytes) is the name `rate` (4); empty in the usual case.
    widths: ThinVec<u32>,
}

impl Reference {
    /// A reference to `chain` whose segments start at `starts` (one per
    /// segment, `starts[0]` when `chain` is empty).
    pub fn new(scope: ScopeId, chain: Name, starts: &[u32], call: bool, from_super: bool, receiver: Option<ValueExpr>) -> Self {
        let mut reference = Reference { scope, start: 0, last: 0, chain, rare: None, call, from_super };
        reference.set_rare(ThinVec::new(), receiver, ThinVec::new());
        reference.set_starts(starts);
        reference
    }

    /// A reference to `chain` written as it is spelled from `start`, each
    /// segment right after the previous one's dot (the usual case: the
    /// extraction found so without splitting the chain).
    pub(super) fn packed(scope: ScopeId, chain: Name, start: u32, last: u32, call: bool, from_super: bool, receiver: Option<ValueExpr>) -> Self {
        let mut reference = Reference { scope, start, last, chain, rare: None, call, from_super };
        reference.set_rare(ThinVec::new(), receiver, ThinVec::new());
        reference
    }

    /// The chain reads members of this value (`Cart(...).total()`,
    /// `f().x`): the first segment is a member of it.
    pub fn receiver(&self) -> Option<&ValueExpr> {
        self.rare.as_ref()?.receiver.as_ref()
    }

    pub fn receiver_mut(&mut self) -> Option<&mut ValueExpr> {
        self.rare.as_mut()?.receiver.as_mut()
    }

    fn spread(&self) -> &[u32] {
        self.rare.as_ref().map_or(&[], |rare| &rare.spread)
    }

    fn widths(&self) -> &[u32] {
        self.rare.as_ref().map_or(&[], |rare| &rare.widths)
    }

    /// Puts `spread`, `receiver` and `widths` behind [`Reference::rare`],
    /// which stays `None` when all are empty.
    fn set_rare(&mut self, spread: ThinVec<u32>, receiver: Option<ValueExpr>, widths: ThinVec<u32>) {
        self.rare = (!spread.is_empty() || receiver.is_some() || !widths.is_empty()).then(|| Box::new(Rare { spread, receiver, widths }));
    }

    /// Records each segment's width in the source (`widths`, one per
    /// segment), kept only when one differs from its name's length.
    pub fn set_widths(&mut self, widths: &[u32]) {
        if self.chain.split('.').map(|name| name.len() as u32).eq(widths.iter().copied()) {
            return;
        }
        let (spread, receiver) = self.rare.take().map_or((ThinVec::new(), None), |rare| (rare.spread, rare.receiver));
        self.set_rare(spread, receiver, widths.iter().copied().collect());
    }

    /// Where the segment `index` (named `name`) ends in the source.
    fn segment_end(&self, index: usize, name: &str, start: u32) -> u32 {
        start + self.widths().get(index).copied().unwrap_or(name.len() as u32)
    }

    fn set_starts(&mut self, starts: &[u32]) {
        self.start = starts.first().copied().unwrap_or(0);
        self.last = starts.last().copied().unwrap_or(0);
        let packed = Self::packed_starts(&self.chain, self.start).eq(starts.iter().copied());
        let spread = if packed { ThinVec::new() } else { starts.iter().copied().collect() };
        let (receiver, widths) = self.rare.take().map_or((None, ThinVec::new()), |rare| (rare.receiver, rare.widths));
        self.set_rare(spread, receiver, widths);
    }

    /// Where each segment starts if each follows the previous one's dot.
    fn packed_starts(chain: &str, start: u32) -> impl Iterator<Item = u32> + '_ {
        chain.split('.').scan(start, |next, name| {
            let here = *next;
            *next += name.len() as u32 + 1;
            Some(here)
        })
    }

    /// Where each segment starts.
    pub fn starts(&self) -> impl Iterator<Item = u32> + '_ {
        let packed = self.spread().is_empty().then(|| Self::packed_starts(&self.chain, self.start));
        packed.into_iter().flatten().chain(self.spread().iter().copied())
    }

    pub fn segment_count(&self) -> usize {
        self.chain.split('.').count()
    }

    /// The last segment and where it is.
    pub fn last_segment(&self) -> (&'static str, Span) {
        let chain = self.chain.as_str();
        // Packed, it is the chain's rest from `last`: no search for the dot.
        let packed = self.spread().is_empty().then(|| chain.get(self.last.checked_sub(self.start)? as usize..)).flatten();
        let name = packed.unwrap_or_else(|| chain.rsplit('.').next().unwrap_or_default());
        let end = match self.widths().last() {
            Some(width) => self.last + width,
            None => self.last + name.len() as u32,
        };
        (name, Span::new(self.last, end))
    }

    /// An end no segment passes, found without splitting the chain.
    pub fn reach(&self) -> u32 {
        let widened = self.widths().iter().sum::<u32>().saturating_sub(self.chain.len() as u32);
        self.spread().last().copied().unwrap_or(self.start) + self.chain.len() as u32 + widened
    }

    /// Moves every segment's start by `map`.
    pub fn map_starts(&mut self, map: impl Fn(u32) -> u32) {
        let starts: Vec<u32> = self.starts().map(map).collect();
        self.set_starts(&starts);
    }

    pub fn segments(&self) -> impl Iterator<Item = (&str, Span)> {
        let segments = self.chain.split('.').zip(self.starts()).enumerate();
        segments.map(|(index, (name, start))| (name, Span::new(start, self.segment_end(index, name, start))))
    }

    pub fn span(&self) -> Span {
        Span::new(self.start, self.last_segment().1.end)
    }

    /// Whether the stored starts are one per segment (a summary decoded
    /// from a damaged cache may hold others).
    fn is_consistent(&self) -> bool {
        let spread = self.spread();
        let starts_ok = match (spread.first(), spread.last()) {
            (Some(&first), Some(&last)) => spread.len() == self.segment_count() && first == self.start && last == self.last,
            _ => Self::packed_starts(&self.chain, self.start).last() == Some(self.last),
        };
        starts_ok && (self.widths().is_empty() || self.widths().len() == self.segment_count())
    }
}

impl FileSummary {
    /// Extracts the summary of `source`. Broken code still yields what
    /// parsed (ruff's parser recovers from errors).
    pub fn extract(source: &str) -> Self {
        Self::from_parsed(source, &ruff_python_parser::parse_unchecked_source(source, ast::PySourceType::Python))
    }

    /// [`FileSummary::extract`] for the file at `path`: a notebook's module
    /// text is parsed with IPython's syntax (`%magic`, `!command`).
    pub fn extract_file(path: &std::path::Path, source: &str) -> Self {
        Self::from_parsed(source, &crate::syntax::parse_unchecked_source(source, ast::PySourceType::from(path)))
    }

    /// The summary of a library file as `platform` runs it: of the `if`
    /// tests on its version and platform, only the branch taken is read.
    pub fn extract_for(source: &str, platform: Platform) -> Self {
        let parsed = ruff_python_parser::parse_unchecked_source(source, ast::PySourceType::Python);
        let mut builder = Builder::new(source, Detail::Full);
        builder.platform = Some(platform);
        builder.build(&parsed)
    }

    /// The summary of `source` from a parse made for something else (the
    /// linter's), so a file checked with the graph is parsed once.
    pub fn from_parsed(source: &str, parsed: &Parsed<ast::ModModule>) -> Self {
        Self::from_parsed_with(source, parsed, Detail::Full)
    }

    /// [`FileSummary::from_parsed`] recording only `detail`.
    pub fn from_parsed_with(source: &str, parsed: &Parsed<ast::ModModule>, detail: Detail) -> Self {
        Builder::new(source, detail).build(parsed)
    }
}

impl<'src> Builder<'src> {
    fn build(mut self, parsed: &'src Parsed<ast::ModModule>) -> FileSummary {
        let module = parsed.syntax();
        self.summary.docstring = self.docstring(&module.body);
        // An expression nested too deep for the walks counts as an error
        // (`pyloom check`'s E999): the refactorings refuse such a file
        // rather than overflow the stack in it.
        self.summary.syntax_errors = parsed.errors().len() as u32 + u32::from(crate::syntax::too_deep(parsed).is_some());
        self.summary.scopes[0].range = Span::new(0, self.source.len() as u32);
        self.summary.statements = module.body.iter().map(|s| s.range().start().to_u32()).collect();
        self.visit_body(&module.body);
        self.summary.sort_arguments();
        self.summary.shrink_to_fit();
        self.summary
    }
}

impl FileSummary {
    /// Frees the room the lists grew into: a summary is kept for the
    /// file's life. Into new blocks of the exact size: mimalloc keeps a
    /// block shrunk in place by less than half, slack and all.
    pub fn shrink_to_fit(&mut self) {
        // No `..`: a new list must be shrunk too.
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
            constants,
            statements,
            syntax_errors: _,
        } = self;
        exact(scopes);
        exact(definitions);
        exact(imports);
        exact(bindings);
        exact(references);
        exact(implicit_calls);
        exact(arguments);
        exact(narrowings);
        exact(branches);
        exact(constants);
        exact(statements);
    }
}

/// Moves `list` into a block of its length (see [`FileSummary::shrink_to_fit`]).
pub(crate) fn exact<T>(list: &mut Vec<T>) {
    if list.capacity() > list.len() {
        let mut moved = Vec::with_capacity(list.len());
        moved.append(list);
        *list = moved;
    }
}

impl FileSummary {
    /// Whether every index inside the summary points at an existing item
    /// and parents come before children (what extraction guarantees; a
    /// summary decoded from a damaged cache may not).
    pub fn is_consistent(&self) -> bool {
        let scopes = self.scopes.len() as u32;
        let definitions = self.definitions.len() as u32;
        let scope_ok = |s: ScopeId| s < scopes;
        self.scopes.first().is_some_and(|m| m.kind == ScopeKind::Module && m.parent.is_none())
            && self.scopes.iter().enumerate().skip(1).all(|(i, s)| s.parent.is_some_and(|p| (p as usize) < i) && s.definition.is_none_or(|d| d < definitions))
            && self
                .definitions
                .iter()
                .enumerate()
                .all(|(i, d)| scope_ok(d.scope) && d.body.is_none_or(scope_ok) && self.scopes[d.scope as usize].definition.is_none_or(|p| (p as usize) < i))
            && self.imports.iter().all(|i| scope_ok(i.scope))
            && self.bindings.iter().all(|b| {
                scope_ok(b.scope)
                    && match b.kind {
                        BindingKind::Definition(d) | BindingKind::Parameter { self_of: Some(d) } => d < definitions,
                        BindingKind::Import(i) => (i as usize) < self.imports.len(),
                        _ => true,
                    }
            })
            && self.references.iter().all(|r| scope_ok(r.scope) && r.is_consistent())
            && self.narrowings.iter().all(|n| scope_ok(n.scope))
    }

    /// The innermost scope containing `offset`.
    pub fn scope_at(&self, offset: u32) -> ScopeId {
        let mut best = 0;
        for (id, scope) in self.scopes.iter().enumerate().skip(1) {
            if scope.range.start <= offset && offset < scope.range.end {
                best = id as ScopeId; // later scopes nest inside earlier ones
            }
        }
        best
    }

    /// The definition enclosing `scope` (the function or class it is the
    /// body of, or the nearest such ancestor); `None` at module level.
    pub fn enclosing_definition(&self, mut scope: ScopeId) -> Option<DefinitionId> {
        loop {
            let s = &self.scopes[scope as usize];
            if let Some(def) = s.definition {
                return Some(def);
            }
            scope = s.parent?;
        }
    }

    /// The class a method-body scope belongs to.
    pub fn enclosing_class(&self, scope: ScopeId) -> Option<DefinitionId> {
        let mut current = Some(scope);
        while let Some(id) = current {
            let s = &self.scopes[id as usize];
            if let Some(def) = s.definition
                && self.definitions[def as usize].kind == DefinitionKind::Class
            {
                return Some(def);
            }
            current = s.parent;
        }
        None
    }
}

#[cfg(test)]
mod chain_tests;
#[cfg(test)]
mod method_tests;
#[cfg(test)]
mod respaced_tests;
#[cfg(test)]
mod spliced_tests;
#[cfg(test)]
mod tests;
