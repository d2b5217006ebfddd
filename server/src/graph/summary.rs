//! Per-file summaries: everything the graph needs from one Python file,
//! extracted from ruff's AST in one pass and independent of where the file
//! lives (so a summary can be cached by the file's content hash).
//!
//! A summary records scopes, definitions (classes, functions, methods,
//! module- and class-level variables, `self.x` instance attributes), imports,
//! every name binding, and every name or attribute-chain reference. Turning
//! references into edges is the resolver's job.

use ruff_python_ast::visitor::{self, Visitor};
use ruff_python_ast::{self as ast, Expr, Stmt};
use ruff_python_parser::Parsed;
use ruff_text_size::{Ranged, TextRange};
use serde::{Deserialize, Serialize};

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
    pub syntax_errors: u32,
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
    pub name: String,
    pub kind: DefinitionKind,
    /// The scope the name is bound in.
    pub scope: ScopeId,
    /// The scope of a class's or function's body.
    pub body: Option<ScopeId>,
    pub range: Span,
    pub name_range: Span,
    pub signature: Option<Signature>,
    pub docstring: Option<String>,
    /// Base class expressions as written (`models.Model`, `Generic[T]`).
    pub bases: Vec<String>,
    /// Where each base is written.
    pub base_ranges: Vec<Span>,
    /// Decorator expressions as written, without the `@`.
    pub decorators: Vec<String>,
    /// A variable's annotation as written.
    pub annotation: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Signature {
    pub is_async: bool,
    pub parameters: Vec<Parameter>,
    pub returns: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ParameterKind {
    PositionalOnly,
    PositionalOrKeyword,
    VarPositional,
    KeywordOnly,
    VarKeyword,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Parameter {
    pub name: String,
    pub kind: ParameterKind,
    pub annotation: Option<String>,
    pub default: Option<String>,
    pub range: Span,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Import {
    /// The module as written after `import` or `from` (without leading dots).
    pub module: Option<String>,
    /// Leading dots of a relative import.
    pub level: u32,
    /// The imported name of `from m import name`; `None` for `import m`.
    pub name: Option<String>,
    pub alias: Option<String>,
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
    Parameter { self_of: Option<DefinitionId> },
    /// A local name in a function, lambda or comprehension, or an exception
    /// name: nothing others can import.
    Local,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Binding {
    pub name: String,
    pub scope: ScopeId,
    pub range: Span,
    pub kind: BindingKind,
    /// Where the binding takes effect: after its whole statement for an
    /// assignment (`x = x + 1` reads the previous `x`), else at the name.
    pub visible_from: u32,
}

/// A read of `a`, `a.b.c` or `super().m`: the dotted chain and where each
/// segment starts (segments are identifiers, so each ends at start + len).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reference {
    pub scope: ScopeId,
    pub chain: String,
    pub starts: Vec<u32>,
    /// The chain is called (`a.b()`), or applied as a decorator.
    pub call: bool,
    /// The chain starts at `super()`; the first segment is a member of the
    /// enclosing class's bases and `chain` holds the members only.
    pub from_super: bool,
}

impl Reference {
    pub fn segments(&self) -> impl Iterator<Item = (&str, Span)> {
        self.chain
            .split('.')
            .zip(self.starts.iter())
            .map(|(name, &start)| (name, Span::new(start, start + name.len() as u32)))
    }

    pub fn span(&self) -> Span {
        let start = self.starts.first().copied().unwrap_or(0);
        let last = self.chain.rsplit('.').next().unwrap_or("");
        let end = self.starts.last().map_or(start, |s| s + last.len() as u32);
        Span::new(start, end)
    }
}

impl FileSummary {
    /// Extracts the summary of `source`. Broken code still yields what
    /// parsed (ruff's parser recovers from errors).
    pub fn extract(source: &str) -> Self {
        Self::from_parsed(source, &ruff_python_parser::parse_unchecked_source(source, ast::PySourceType::Python))
    }

    /// The summary of `source` from a parse made for something else (the
    /// linter's), so a file checked with the graph is parsed once.
    pub fn from_parsed(source: &str, parsed: &Parsed<ast::ModModule>) -> Self {
        let module = parsed.syntax();
        let mut builder = Builder::new(source);
        builder.summary.docstring = docstring(&module.body);
        builder.summary.syntax_errors = parsed.errors().len() as u32;
        builder.summary.scopes[0].range = Span::new(0, source.len() as u32);
        builder.visit_body(&module.body);
        builder.summary
    }

    /// This summary of `old` carried over to `new`, the text after an edit:
    /// offsets before the edited region stay, offsets after it move with
    /// the text, offsets inside it are clamped into the replacement. What
    /// the graph keeps of a file while its new text does not parse.
    pub fn moved(&self, old: &str, new: &str) -> FileSummary {
        let edit = Edit::between(old, new);
        let mut out = self.clone();
        let span = |s: &mut Span| {
            s.start = edit.map_start(s.start);
            s.end = edit.map_end(s.end).max(s.start);
        };
        for scope in &mut out.scopes {
            span(&mut scope.range);
        }
        if let Some(module) = out.scopes.first_mut() {
            module.range = Span::new(0, new.len() as u32);
        }
        for def in &mut out.definitions {
            span(&mut def.range);
            span(&mut def.name_range);
            def.base_ranges.iter_mut().for_each(span);
            for parameter in def.signature.iter_mut().flat_map(|s| s.parameters.iter_mut()) {
                span(&mut parameter.range);
            }
        }
        for import in &mut out.imports {
            span(&mut import.range);
            span(&mut import.name_range);
            if import.module_range != Span::default() {
                span(&mut import.module_range);
            }
        }
        for binding in &mut out.bindings {
            span(&mut binding.range);
            binding.visible_from = edit.map_start(binding.visible_from);
        }
        for reference in &mut out.references {
            reference.starts.iter_mut().for_each(|s| *s = edit.map_start(*s));
        }
        out
    }

    /// Whether every index inside the summary points at an existing item
    /// and parents come before children (what extraction guarantees; a
    /// summary decoded from a damaged cache may not).
    pub fn is_consistent(&self) -> bool {
        let scopes = self.scopes.len() as u32;
        let definitions = self.definitions.len() as u32;
        let scope_ok = |s: ScopeId| s < scopes;
        self.scopes.first().is_some_and(|m| m.kind == ScopeKind::Module && m.parent.is_none())
            && self.scopes.iter().enumerate().skip(1).all(|(i, s)| {
                s.parent.is_some_and(|p| (p as usize) < i) && s.definition.is_none_or(|d| d < definitions)
            })
            && self.definitions.iter().enumerate().all(|(i, d)| {
                scope_ok(d.scope)
                    && d.body.is_none_or(scope_ok)
                    && self.scopes[d.scope as usize].definition.is_none_or(|p| (p as usize) < i)
            })
            && self.imports.iter().all(|i| scope_ok(i.scope))
            && self.bindings.iter().all(|b| {
                scope_ok(b.scope)
                    && match b.kind {
                        BindingKind::Definition(d) | BindingKind::Parameter { self_of: Some(d) } => d < definitions,
                        BindingKind::Import(i) => (i as usize) < self.imports.len(),
                        _ => true,
                    }
            })
            && self.references.iter().all(|r| scope_ok(r.scope) && r.starts.len() == r.chain.split('.').count())
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

/// The one region where two texts differ: `old[start..old_end]` became
/// `new[start..new_end]` (common prefix and suffix, on char boundaries).
#[derive(Debug, Clone, Copy)]
struct Edit {
    start: u32,
    old_end: u32,
    new_end: u32,
}

impl Edit {
    fn between(old: &str, new: &str) -> Self {
        let (a, b) = (old.as_bytes(), new.as_bytes());
        let mut prefix = a.iter().zip(b).take_while(|(x, y)| x == y).count();
        while !old.is_char_boundary(prefix) {
            prefix -= 1;
        }
        let max_suffix = a.len().min(b.len()) - prefix;
        let mut suffix = a.iter().rev().zip(b.iter().rev()).take(max_suffix).take_while(|(x, y)| x == y).count();
        while !old.is_char_boundary(a.len() - suffix) {
            suffix -= 1;
        }
        Self { start: prefix as u32, old_end: (a.len() - suffix) as u32, new_end: (b.len() - suffix) as u32 }
    }

    /// Where the start of something in the old text is in the new one:
    /// text inserted right at it goes before it.
    fn map_start(self, offset: u32) -> u32 {
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
    fn map_end(self, offset: u32) -> u32 {
        if offset <= self.start {
            offset
        } else if offset >= self.old_end {
            offset - self.old_end + self.new_end
        } else {
            (offset - self.start).min(self.new_end - self.start) + self.start
        }
    }
}

struct Builder<'src> {
    source: &'src str,
    summary: FileSummary,
    scope: ScopeId,
    /// Depth of `if`/`try`/`with`/loop nesting at the current point.
    conditional: u32,
    type_checking: u32,
    /// Names declared `global` in each function scope on the stack.
    globals: Vec<(ScopeId, Vec<String>)>,
    /// The end of the assignment statement being visited.
    assignment_end: Option<u32>,
}

impl<'src> Builder<'src> {
    fn new(source: &'src str) -> Self {
        let module = Scope { kind: ScopeKind::Module, parent: None, definition: None, range: Span::default() };
        Self {
            source,
            summary: FileSummary { scopes: vec![module], ..FileSummary::default() },
            scope: 0,
            conditional: 0,
            type_checking: 0,
            globals: Vec::new(),
            assignment_end: None,
        }
    }

    fn text(&self, node: &impl Ranged) -> String {
        self.source.get(node.range().to_std_range()).unwrap_or_default().to_owned()
    }

    fn scope_kind(&self) -> ScopeKind {
        self.summary.scopes[self.scope as usize].kind
    }

    fn push_scope(&mut self, kind: ScopeKind, definition: Option<DefinitionId>, range: TextRange) -> ScopeId {
        let id = self.summary.scopes.len() as ScopeId;
        self.summary.scopes.push(Scope { kind, parent: Some(self.scope), definition, range: range.into() });
        self.scope = id;
        id
    }

    fn pop_scope(&mut self) {
        if self.globals.last().is_some_and(|(s, _)| *s == self.scope) {
            self.globals.pop();
        }
        self.scope = self.summary.scopes[self.scope as usize].parent.unwrap_or(0);
    }

    fn bind(&mut self, name: &str, scope: ScopeId, range: Span, kind: BindingKind) {
        let visible_from = self.assignment_end.unwrap_or(range.start).max(range.start);
        self.summary.bindings.push(Binding { name: name.to_owned(), scope, range, kind, visible_from });
    }

    fn define(&mut self, definition: Definition) -> DefinitionId {
        let id = self.summary.definitions.len() as DefinitionId;
        self.bind(&definition.name, definition.scope, definition.name_range, BindingKind::Definition(id));
        self.summary.definitions.push(definition);
        id
    }

    /// Binds an assigned name: a variable definition at module or class
    /// level (the first assignment defines it, later ones rebind it), a
    /// local in functions (unless declared `global`).
    fn assign(&mut self, name: &str, range: TextRange, annotation: Option<String>) {
        let declared_global = self.globals.last().is_some_and(|(s, names)| *s == self.scope && names.iter().any(|n| n == name));
        let scope = if declared_global { 0 } else { self.scope };
        if self.summary.scopes[scope as usize].kind == ScopeKind::Function {
            self.bind(name, scope, range.into(), BindingKind::Local);
            return;
        }
        let existing = self.summary.bindings.iter().rev().find_map(|b| match b.kind {
            BindingKind::Definition(d)
                if b.scope == scope
                    && b.name == name
                    && self.summary.definitions[d as usize].kind == DefinitionKind::Variable =>
            {
                Some(d)
            }
            _ => None,
        });
        match existing {
            Some(def) => self.bind(name, scope, range.into(), BindingKind::Definition(def)),
            None => {
                self.define(Definition {
                    name: name.to_owned(),
                    kind: DefinitionKind::Variable,
                    scope,
                    body: None,
                    range: range.into(),
                    name_range: range.into(),
                    signature: None,
                    docstring: None,
                    bases: Vec::new(),
                    base_ranges: Vec::new(),
                    decorators: Vec::new(),
                    annotation,
                });
            }
        }
    }

    /// `self.name = ...` in a method defines an instance attribute of the
    /// class, unless the class already binds the name.
    fn assign_self_attribute(&mut self, target: &ast::ExprAttribute) {
        let Expr::Name(base) = &*target.value else { return };
        let Some(class) = self.self_class(&base.id) else { return };
        let Some(class_scope) = self.summary.definitions[class as usize].body else { return };
        let name = target.attr.id.as_str();
        if self.summary.bindings.iter().any(|b| b.scope == class_scope && b.name == name) {
            return;
        }
        self.define(Definition {
            name: name.to_owned(),
            kind: DefinitionKind::Variable,
            scope: class_scope,
            body: None,
            range: target.range().into(),
            name_range: target.attr.range.into(),
            signature: None,
            docstring: None,
            bases: Vec::new(),
            base_ranges: Vec::new(),
            decorators: Vec::new(),
            annotation: None,
        });
    }

    /// The class whose method binds `name` as its first parameter, looking
    /// from the current scope.
    fn self_class(&self, name: &str) -> Option<DefinitionId> {
        let mut scope = Some(self.scope);
        while let Some(id) = scope {
            let found = self.summary.bindings.iter().rev().find(|b| b.scope == id && b.name == name);
            if let Some(binding) = found {
                return match binding.kind {
                    BindingKind::Parameter { self_of } => self_of,
                    _ => None,
                };
            }
            scope = self.summary.scopes[id as usize].parent.filter(|&p| self.summary.scopes[p as usize].kind == ScopeKind::Function);
        }
        None
    }

    fn reference(&mut self, chain: String, starts: Vec<u32>, call: bool, from_super: bool) {
        self.summary.references.push(Reference { scope: self.scope, chain, starts, call, from_super });
    }

    /// Records `expr` if it is a name or an attribute chain on a name or on
    /// `super()`; returns whether it was (then its parts need no visit).
    fn chain_reference(&mut self, expr: &'src Expr, call: bool) -> bool {
        let mut segments: Vec<(&str, u32)> = Vec::new();
        let mut current = expr;
        let from_super = loop {
            match current {
                Expr::Attribute(attr) => {
                    segments.push((attr.attr.id.as_str(), attr.attr.range.start().to_u32()));
                    current = &attr.value;
                }
                Expr::Name(name) => {
                    segments.push((name.id.as_str(), name.range.start().to_u32()));
                    break false;
                }
                Expr::Call(inner)
                    if !segments.is_empty()
                        && matches!(&*inner.func, Expr::Name(n) if n.id.as_str() == "super") =>
                {
                    // `super()` (or `super(C, self)`): its arguments are reads too.
                    self.reference("super".to_owned(), vec![inner.func.start().to_u32()], true, false);
                    visitor::walk_arguments(self, &inner.arguments);
                    break true;
                }
                _ => return false,
            }
        };
        segments.reverse();
        let chain = segments.iter().map(|(name, _)| *name).collect::<Vec<_>>().join(".");
        let starts = segments.iter().map(|(_, start)| *start).collect();
        self.reference(chain, starts, call, from_super);
        true
    }

    fn visit_function(&mut self, function: &'src ast::StmtFunctionDef) {
        for decorator in &function.decorator_list {
            self.visit_decorator(decorator);
        }
        let params = &function.parameters;
        for param in params.iter() {
            if let Some(annotation) = param.annotation() {
                self.visit_annotation(annotation);
            }
        }
        for param in params.iter_non_variadic_params() {
            if let Some(default) = &param.default {
                self.visit_expr(default);
            }
        }
        if let Some(returns) = &function.returns {
            self.visit_annotation(returns);
        }
        let enclosing_class = match self.scope_kind() {
            ScopeKind::Class => self.summary.scopes[self.scope as usize].definition,
            _ => None,
        };
        let is_static = function.decorator_list.iter().any(|d| matches!(&d.expression, Expr::Name(n) if n.id.as_str() == "staticmethod"));
        let signature = self.signature(function);
        let def = self.define(Definition {
            name: function.name.id.to_string(),
            kind: if enclosing_class.is_some() { DefinitionKind::Method } else { DefinitionKind::Function },
            scope: self.scope,
            body: None,
            range: function.range.into(),
            name_range: function.name.range.into(),
            signature: Some(signature),
            docstring: docstring(&function.body),
            bases: Vec::new(),
            base_ranges: Vec::new(),
            decorators: function.decorator_list.iter().map(|d| self.text(&d.expression)).collect(),
            annotation: None,
        });
        let body = self.push_scope(ScopeKind::Function, Some(def), function.range);
        self.summary.definitions[def as usize].body = Some(body);
        for (i, param) in params.iter().enumerate() {
            let self_of = if i == 0 && !is_static { enclosing_class } else { None };
            self.bind(param.name().id.as_str(), body, param.name().range.into(), BindingKind::Parameter { self_of });
        }
        self.visit_body(&function.body);
        self.pop_scope();
    }

    fn signature(&self, function: &ast::StmtFunctionDef) -> Signature {
        let p = &function.parameters;
        let mut parameters = Vec::new();
        let mut push = |param: &ast::Parameter, kind, default: Option<&Expr>| {
            parameters.push(Parameter {
                name: param.name.id.to_string(),
                kind,
                annotation: param.annotation().map(|a| self.text(a)),
                default: default.map(|d| self.text(d)),
                range: param.range.into(),
            });
        };
        for param in &p.posonlyargs {
            push(&param.parameter, ParameterKind::PositionalOnly, param.default());
        }
        for param in &p.args {
            push(&param.parameter, ParameterKind::PositionalOrKeyword, param.default());
        }
        if let Some(param) = &p.vararg {
            push(param, ParameterKind::VarPositional, None);
        }
        for param in &p.kwonlyargs {
            push(&param.parameter, ParameterKind::KeywordOnly, param.default());
        }
        if let Some(param) = &p.kwarg {
            push(param, ParameterKind::VarKeyword, None);
        }
        Signature { is_async: function.is_async, parameters, returns: function.returns.as_deref().map(|r| self.text(r)) }
    }

    fn visit_class(&mut self, class: &'src ast::StmtClassDef) {
        for decorator in &class.decorator_list {
            self.visit_decorator(decorator);
        }
        let mut bases = Vec::new();
        let mut base_ranges = Vec::new();
        if let Some(arguments) = &class.arguments {
            for base in arguments.args.iter() {
                // `Generic[T]` inherits from `Generic`.
                let base_expr = match base {
                    Expr::Subscript(s) => &*s.value,
                    other => other,
                };
                bases.push(self.text(base_expr));
                base_ranges.push(Span::from(base_expr.range()));
            }
            self.visit_arguments(arguments);
        }
        let def = self.define(Definition {
            name: class.name.id.to_string(),
            kind: DefinitionKind::Class,
            scope: self.scope,
            body: None,
            range: class.range.into(),
            name_range: class.name.range.into(),
            signature: None,
            docstring: docstring(&class.body),
            bases,
            base_ranges,
            decorators: class.decorator_list.iter().map(|d| self.text(&d.expression)).collect(),
            annotation: None,
        });
        let body = self.push_scope(ScopeKind::Class, Some(def), class.range);
        self.summary.definitions[def as usize].body = Some(body);
        self.visit_body(&class.body);
        self.pop_scope();
    }

    fn visit_import(&mut self, names: &[ast::Alias], module: Option<(&ast::Identifier, u32)>) {
        for alias in names {
            let star = alias.name.id.as_str() == "*";
            let (module_name, level, name) = match module {
                Some((m, level)) => (Some(m.id.to_string()).filter(|m| !m.is_empty()), level, Some(alias.name.id.to_string())),
                None => (Some(alias.name.id.to_string()), 0, None),
            };
            let import = Import {
                module: module_name,
                level,
                name: name.filter(|_| !star),
                alias: alias.asname.as_ref().map(|a| a.id.to_string()),
                star,
                scope: self.scope,
                range: alias.range.into(),
                name_range: alias.name.range.into(),
                module_range: module.map(|(m, _)| Span::from(m.range)).unwrap_or_default(),
                conditional: self.conditional > 0,
                type_checking: self.type_checking > 0,
            };
            let id = self.summary.imports.len() as u32;
            if let Some(bound) = import.bound_name() {
                let range = alias.asname.as_ref().map_or(alias.name.range, |a| a.range);
                let bound = bound.to_owned();
                self.bind(&bound, self.scope, range.into(), BindingKind::Import(id));
            }
            self.summary.imports.push(import);
        }
    }

    fn nested<F: FnOnce(&mut Self)>(&mut self, type_checking: bool, f: F) {
        self.conditional += 1;
        self.type_checking += u32::from(type_checking);
        f(self);
        self.conditional -= 1;
        self.type_checking -= u32::from(type_checking);
    }

    fn visit_scoped_expr(&mut self, expr: &'src Expr) {
        self.push_scope(ScopeKind::Function, None, expr.range());
        match expr {
            Expr::Lambda(lambda) => {
                if let Some(params) = &lambda.parameters {
                    for param in params.iter_non_variadic_params() {
                        if let Some(default) = &param.default {
                            self.visit_expr(default);
                        }
                    }
                    for param in params.iter() {
                        self.bind(param.name().id.as_str(), self.scope, param.name().range.into(), BindingKind::Local);
                    }
                }
                self.visit_expr(&lambda.body);
            }
            other => visitor::walk_expr(self, other),
        }
        self.pop_scope();
    }
}

impl<'src> Visitor<'src> for Builder<'src> {
    fn visit_stmt(&mut self, stmt: &'src Stmt) {
        match stmt {
            Stmt::FunctionDef(function) => self.visit_function(function),
            Stmt::ClassDef(class) => self.visit_class(class),
            Stmt::Import(import) => self.visit_import(&import.names, None),
            Stmt::ImportFrom(import) => {
                let module = import.module.as_ref();
                let empty = ast::Identifier::new("", TextRange::default());
                self.visit_import(&import.names, Some((module.unwrap_or(&empty), import.level)));
            }
            Stmt::Global(global) => {
                let names = global.names.iter().map(|n| n.id.to_string());
                match self.globals.last_mut() {
                    Some((scope, list)) if *scope == self.scope => list.extend(names),
                    _ => self.globals.push((self.scope, names.collect())),
                }
            }
            Stmt::AnnAssign(assign) => {
                self.assignment_end = Some(assign.range.end().to_u32());
                self.visit_annotation(&assign.annotation);
                if let Some(value) = &assign.value {
                    self.visit_expr(value);
                }
                match &*assign.target {
                    Expr::Name(name) => self.assign(name.id.as_str(), name.range, Some(self.text(&*assign.annotation))),
                    other => self.visit_expr(other),
                }
                self.assignment_end = None;
            }
            Stmt::Assign(assign) => {
                // The value is evaluated before the targets are bound.
                self.visit_expr(&assign.value);
                self.assignment_end = Some(assign.range.end().to_u32());
                for target in &assign.targets {
                    self.visit_expr(target);
                }
                self.assignment_end = None;
            }
            Stmt::AugAssign(assign) => {
                self.visit_expr(&assign.value);
                self.assignment_end = Some(assign.range.end().to_u32());
                self.visit_expr(&assign.target);
                self.assignment_end = None;
            }
            Stmt::If(if_stmt) => {
                let type_checking = is_type_checking(&if_stmt.test);
                self.visit_expr(&if_stmt.test);
                self.nested(type_checking, |this| this.visit_body(&if_stmt.body));
                for clause in &if_stmt.elif_else_clauses {
                    if let Some(test) = &clause.test {
                        self.visit_expr(test);
                    }
                    self.nested(false, |this| this.visit_body(&clause.body));
                }
            }
            Stmt::Try(_) | Stmt::For(_) | Stmt::While(_) | Stmt::With(_) | Stmt::Match(_) => {
                self.nested(false, |this| visitor::walk_stmt(this, stmt));
            }
            _ => visitor::walk_stmt(self, stmt),
        }
    }

    fn visit_decorator(&mut self, decorator: &'src ast::Decorator) {
        if !self.chain_reference(&decorator.expression, true) {
            self.visit_expr(&decorator.expression);
        }
    }

    fn visit_except_handler(&mut self, handler: &'src ast::ExceptHandler) {
        let ast::ExceptHandler::ExceptHandler(h) = handler;
        if let Some(type_) = &h.type_ {
            self.visit_expr(type_);
        }
        if let Some(name) = &h.name {
            self.bind(name.id.as_str(), self.scope, name.range.into(), BindingKind::Local);
        }
        self.visit_body(&h.body);
    }

    fn visit_expr(&mut self, expr: &'src Expr) {
        match expr {
            Expr::Name(name) if name.ctx == ast::ExprContext::Store => self.assign(name.id.as_str(), name.range, None),
            Expr::Name(_) => {
                self.chain_reference(expr, false);
            }
            Expr::Attribute(attr) => {
                if attr.ctx == ast::ExprContext::Store {
                    self.assign_self_attribute(attr);
                }
                if !self.chain_reference(expr, false) {
                    self.visit_expr(&attr.value);
                }
            }
            Expr::Call(call) => {
                if !self.chain_reference(&call.func, true) {
                    self.visit_expr(&call.func);
                }
                self.visit_arguments(&call.arguments);
            }
            Expr::Lambda(_) | Expr::ListComp(_) | Expr::SetComp(_) | Expr::DictComp(_) | Expr::Generator(_) => {
                self.visit_scoped_expr(expr);
            }
            _ => visitor::walk_expr(self, expr),
        }
    }
}

/// `TYPE_CHECKING` or `typing.TYPE_CHECKING` (any module prefix).
fn is_type_checking(test: &Expr) -> bool {
    match test {
        Expr::Name(name) => name.id.as_str() == "TYPE_CHECKING",
        Expr::Attribute(attr) => attr.attr.id.as_str() == "TYPE_CHECKING",
        _ => false,
    }
}

/// The docstring of a body: its first statement when that is a string,
/// with indentation cleaned as `inspect.cleandoc` does.
fn docstring(body: &[Stmt]) -> Option<String> {
    let Some(Stmt::Expr(first)) = body.first() else { return None };
    let Expr::StringLiteral(literal) = &*first.value else { return None };
    Some(clean_docstring(literal.value.to_str()))
}

fn clean_docstring(raw: &str) -> String {
    let mut lines = raw.lines();
    let first = lines.next().unwrap_or("").trim();
    let rest: Vec<&str> = lines.collect();
    let indent = rest
        .iter()
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.len() - l.trim_start().len())
        .min()
        .unwrap_or(0);
    let mut out: Vec<&str> = vec![first];
    out.extend(rest.iter().map(|l| l.get(indent..).unwrap_or("").trim_end()));
    while out.last().is_some_and(|l| l.is_empty()) {
        out.pop();
    }
    while out.first().is_some_and(|l| l.is_empty()) {
        out.remove(0);
    }
    out.join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;
    use expect_test::expect;

    /// A compact dump of a summary, one line per item.
    fn dump(source: &str) -> String {
        let s = FileSummary::extract(source);
        let mut out = String::new();
        for d in &s.definitions {
            let sig = d.signature.as_ref().map(|sig| {
                let params: Vec<String> = sig
                    .parameters
                    .iter()
                    .map(|p| {
                        let mut text = format!("{:?} {}", p.kind, p.name);
                        if let Some(a) = &p.annotation {
                            text += &format!(": {a}");
                        }
                        if let Some(d) = &p.default {
                            text += &format!(" = {d}");
                        }
                        text
                    })
                    .collect();
                format!(" ({}) -> {:?}", params.join(", "), sig.returns)
            });
            out += &format!(
                "def {:?} {} scope={} bases={:?} decorators={:?}{} doc={:?}\n",
                d.kind,
                d.name,
                d.scope,
                d.bases,
                d.decorators,
                sig.unwrap_or_default(),
                d.docstring
            );
        }
        for i in &s.imports {
            out += &format!(
                "import {:?} level={} name={:?} alias={:?} star={} cond={} tc={}\n",
                i.module, i.level, i.name, i.alias, i.star, i.conditional, i.type_checking
            );
        }
        for r in &s.references {
            out += &format!("ref {} scope={} call={} super={}\n", r.chain, r.scope, r.call, r.from_super);
        }
        out
    }

    #[test]
    fn extracts_definitions_imports_and_references() {
        let source = r#""""Module doc."""
import os.path
from . import sibling as sib
from ..pkg.mod import *
from typing import TYPE_CHECKING
if TYPE_CHECKING:
    from collections import OrderedDict

LIMIT: int = 3

@dataclass
class Child(Base, Generic[T]):
    """A child.

        Indented detail.
    """
    size = 1

    def __init__(self, x: int = 2, *args, key=None, **kw) -> None:
        super().__init__(x)
        self.total = os.path.join(x)

    @staticmethod
    async def build(n, /, m) -> "Child":
        return Child(n)
"#;
        expect![[r#"
            def Variable LIMIT scope=0 bases=[] decorators=[] doc=None
            def Class Child scope=0 bases=["Base", "Generic"] decorators=["dataclass"] doc=Some("A child.\n\nIndented detail.")
            def Variable size scope=1 bases=[] decorators=[] doc=None
            def Method __init__ scope=1 bases=[] decorators=[] (PositionalOrKeyword self, PositionalOrKeyword x: int = 2, VarPositional args, KeywordOnly key = None, VarKeyword kw) -> Some("None") doc=None
            def Variable total scope=1 bases=[] decorators=[] doc=None
            def Method build scope=1 bases=[] decorators=["staticmethod"] (PositionalOnly n, PositionalOrKeyword m) -> Some("\"Child\"") doc=None
            import Some("os.path") level=0 name=None alias=None star=false cond=false tc=false
            import None level=1 name=Some("sibling") alias=Some("sib") star=false cond=false tc=false
            import Some("pkg.mod") level=2 name=None alias=None star=true cond=false tc=false
            import Some("typing") level=0 name=Some("TYPE_CHECKING") alias=None star=false cond=false tc=false
            import Some("collections") level=0 name=Some("OrderedDict") alias=None star=false cond=true tc=true
            ref TYPE_CHECKING scope=0 call=false super=false
            ref int scope=0 call=false super=false
            ref dataclass scope=0 call=true super=false
            ref Base scope=0 call=false super=false
            ref Generic scope=0 call=false super=false
            ref T scope=0 call=false super=false
            ref int scope=1 call=false super=false
            ref super scope=2 call=true super=false
            ref __init__ scope=2 call=true super=true
            ref x scope=2 call=false super=false
            ref os.path.join scope=2 call=true super=false
            ref x scope=2 call=false super=false
            ref self.total scope=2 call=false super=false
            ref staticmethod scope=1 call=true super=false
            ref Child scope=3 call=true super=false
            ref n scope=3 call=false super=false
        "#]]
        .assert_eq(&dump(source));
    }

    #[test]
    fn locals_stay_out_of_definitions_and_globals_bind_the_module() {
        let source = "def f(a):\n    global G\n    G = a\n    b = [c for c in a]\n    return b\n";
        let s = FileSummary::extract(source);
        let names: Vec<(&str, u32, BindingKind)> = s.bindings.iter().map(|b| (b.name.as_str(), b.scope, b.kind)).collect();
        assert_eq!(
            names,
            [
                ("f", 0, BindingKind::Definition(0)),
                ("a", 1, BindingKind::Parameter { self_of: None }),
                ("G", 0, BindingKind::Definition(1)),
                ("c", 2, BindingKind::Local),
                ("b", 1, BindingKind::Local),
            ]
        );
    }

    #[test]
    fn extracted_summaries_are_consistent_and_damaged_ones_are_not() {
        let mut summary = FileSummary::extract("class A:\n    def f(self):\n        return self.g()\n");
        assert!(summary.is_consistent());
        summary.bindings[0].kind = BindingKind::Definition(99);
        assert!(!summary.is_consistent());
    }

    #[test]
    fn broken_code_still_yields_what_parsed() {
        let s = FileSummary::extract("def ok():\n    pass\n\ndef broken(:\n");
        assert!(s.syntax_errors > 0);
        assert_eq!(s.definitions[0].name, "ok");
    }
}
