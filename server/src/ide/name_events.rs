//! Every place a plain name is bound, read, deleted or declared
//! `global`/`nonlocal`, with the scope (module, function, lambda, class,
//! comprehension) it happens in, and the places where code may run that
//! changes what a read sees (calls, stores into objects, …): what inline
//! variable needs to know about a file's names beyond what one name
//! resolves to.
//!
//! Each read is placed where Python evaluates it: a `def`'s decorators,
//! defaults and annotations, a `lambda`'s defaults, a class's decorators
//! and bases, and a comprehension's first iterable are read in the scope
//! around them (`def g(k=k)` reads the `k` of the function it is in). A
//! `:=` binds in the nearest scope that is not a comprehension, as in
//! Python.

use std::collections::HashMap;

use ruff_python_ast::visitor::source_order::{SourceOrderVisitor, TraversalSignal};
use ruff_python_ast::{AnyNodeRef, Comprehension, Expr, ExprContext, Parameters, Stmt};
use ruff_text_size::{Ranged, TextRange};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScopeKind {
    Module,
    Function,
    Class,
    Comprehension,
    /// A generator expression: a comprehension run later, if at all.
    Generator,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Scope {
    pub kind: ScopeKind,
    pub range: TextRange,
    pub parent: Option<usize>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventKind {
    Read,
    Bind,
    /// `x += 1`: a read and a binding.
    Augment,
    Delete,
    /// `global x` or `nonlocal x`.
    Declare,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    pub name: String,
    pub range: TextRange,
    pub kind: EventKind,
    pub scope: usize,
}

/// A file's names, scopes, loops and effects.
#[derive(Debug, Default)]
pub struct NameEvents {
    /// Scope 0 is the module; parents come before children.
    pub scopes: Vec<Scope>,
    /// In source order.
    pub events: Vec<Event>,
    /// `for` and `while` statements.
    pub loops: Vec<TextRange>,
    /// Code that may change what an attribute, an item or a name of
    /// another scope holds: calls, `await`, `yield`, stores and deletions
    /// in objects, augmented assignments, `with`, `for`, imports,
    /// decorated definitions and classes.
    pub effects: Vec<TextRange>,
    /// The indices of each name's events, in source order: the checks ask
    /// about one name at a time, per event of a selection.
    by_name: HashMap<String, Vec<usize>>,
}

impl NameEvents {
    pub fn of(body: &[Stmt], whole: TextRange) -> NameEvents {
        let mut collector = Collector { out: NameEvents::default(), stack: vec![0] };
        collector.out.scopes.push(Scope { kind: ScopeKind::Module, range: whole, parent: None });
        collector.visit_body(body);
        let mut out = collector.out;
        for (i, event) in out.events.iter().enumerate() {
            out.by_name.entry(event.name.clone()).or_default().push(i);
        }
        out
    }

    /// Whether scope `inner` is `outer` or nested in it.
    pub fn within(&self, mut inner: usize, outer: usize) -> bool {
        loop {
            if inner == outer {
                return true;
            }
            match self.scopes[inner].parent {
                Some(parent) => inner = parent,
                None => return false,
            }
        }
    }

    /// The names declared `global` or `nonlocal` in `scope`.
    pub fn declared(&self, scope: usize) -> impl Iterator<Item = &str> + '_ {
        self.events.iter().filter(move |e| e.scope == scope && e.kind == EventKind::Declare).map(|e| e.name.as_str())
    }

    /// The events of `name`.
    pub fn named<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Event> + 'a {
        self.by_name.get(name).into_iter().flatten().map(|&i| &self.events[i])
    }
}

struct Collector {
    out: NameEvents,
    /// The scopes around the node being visited, innermost last.
    stack: Vec<usize>,
}

impl Collector {
    fn current(&self) -> usize {
        self.stack.last().copied().unwrap_or(0)
    }

    fn push(&mut self, name: &str, range: TextRange, kind: EventKind) {
        let scope = self.current();
        self.out.events.push(Event { name: name.to_owned(), range, kind, scope });
    }

    fn open(&mut self, kind: ScopeKind, range: TextRange) {
        self.out.scopes.push(Scope { kind, range, parent: Some(self.current()) });
        self.stack.push(self.out.scopes.len() - 1);
    }

    /// The parts of a `def`'s parameters evaluated where the `def` is:
    /// defaults and annotations.
    fn outer_parts(&mut self, parameters: &Parameters) {
        for parameter in parameters.iter() {
            parameter.default().iter().chain(&parameter.annotation()).for_each(|e| self.visit_expr(e));
        }
    }

    /// The parameters bound in the scope just opened.
    fn parameters(&mut self, parameters: &Parameters) {
        for parameter in parameters.iter() {
            self.push(parameter.name(), parameter.name().range(), EventKind::Bind);
        }
    }

    /// A comprehension's scope of `kind`: its first iterable read around
    /// it, then its targets, the other iterables and conditions, and its
    /// element(s) inside.
    fn comprehension(&mut self, kind: ScopeKind, range: TextRange, generators: &[Comprehension], elements: [Option<&Expr>; 2]) -> TraversalSignal {
        if let Some(first) = generators.first() {
            self.visit_expr(&first.iter);
        }
        self.open(kind, range);
        for (i, generator) in generators.iter().enumerate() {
            self.visit_expr(&generator.target);
            if i > 0 {
                self.visit_expr(&generator.iter);
            }
            generator.ifs.iter().for_each(|e| self.visit_expr(e));
        }
        elements.into_iter().flatten().for_each(|e| self.visit_expr(e));
        self.stack.pop();
        TraversalSignal::Skip
    }
}

impl<'a> SourceOrderVisitor<'a> for Collector {
    fn enter_node(&mut self, node: AnyNodeRef<'a>) -> TraversalSignal {
        match node {
            AnyNodeRef::StmtFunctionDef(def) => {
                self.push(&def.name, def.name.range(), EventKind::Bind);
                if !def.decorator_list.is_empty() {
                    self.out.effects.push(def.range);
                }
                def.decorator_list.iter().for_each(|d| self.visit_decorator(d));
                self.outer_parts(&def.parameters);
                def.returns.iter().for_each(|r| self.visit_expr(r));
                self.open(ScopeKind::Function, def.range);
                def.type_params.iter().for_each(|t| self.visit_type_params(t));
                self.parameters(&def.parameters);
                self.visit_body(&def.body);
                self.stack.pop();
                return TraversalSignal::Skip;
            }
            AnyNodeRef::StmtClassDef(class) => {
                self.push(&class.name, class.name.range(), EventKind::Bind);
                self.out.effects.push(class.range);
                class.decorator_list.iter().for_each(|d| self.visit_decorator(d));
                class.arguments.iter().for_each(|a| self.visit_arguments(a));
                self.open(ScopeKind::Class, class.range);
                class.type_params.iter().for_each(|t| self.visit_type_params(t));
                self.visit_body(&class.body);
                self.stack.pop();
                return TraversalSignal::Skip;
            }
            AnyNodeRef::ExprLambda(lambda) => {
                if let Some(parameters) = &lambda.parameters {
                    parameters.iter().filter_map(|p| p.default()).for_each(|d| self.visit_expr(d));
                }
                self.open(ScopeKind::Function, lambda.range);
                if let Some(parameters) = &lambda.parameters {
                    self.parameters(parameters);
                }
                self.visit_expr(&lambda.body);
                self.stack.pop();
                return TraversalSignal::Skip;
            }
            AnyNodeRef::ExprListComp(c) => return self.comprehension(ScopeKind::Comprehension, c.range, &c.generators, [Some(&*c.elt), None]),
            AnyNodeRef::ExprSetComp(c) => return self.comprehension(ScopeKind::Comprehension, c.range, &c.generators, [Some(&*c.elt), None]),
            AnyNodeRef::ExprDictComp(c) => return self.comprehension(ScopeKind::Comprehension, c.range, &c.generators, [c.key.as_deref(), Some(&*c.value)]),
            AnyNodeRef::ExprGenerator(c) => return self.comprehension(ScopeKind::Generator, c.range, &c.generators, [Some(&*c.elt), None]),
            AnyNodeRef::Alias(alias) if &alias.name != "*" => {
                // `import a.b` binds `a`.
                let bound = alias.asname.as_ref().map_or_else(|| alias.name.split('.').next().unwrap_or_default(), |a| a.as_str());
                self.push(bound, alias.range, EventKind::Bind);
            }
            AnyNodeRef::ExceptHandlerExceptHandler(handler) => {
                if let Some(name) = &handler.name {
                    self.push(name, name.range(), EventKind::Bind);
                }
            }
            AnyNodeRef::StmtGlobal(s) => s.names.iter().for_each(|n| self.push(n, n.range(), EventKind::Declare)),
            AnyNodeRef::StmtNonlocal(s) => s.names.iter().for_each(|n| self.push(n, n.range(), EventKind::Declare)),
            AnyNodeRef::PatternMatchAs(p) => p.name.iter().for_each(|n| self.push(n, n.range(), EventKind::Bind)),
            AnyNodeRef::PatternMatchStar(p) => p.name.iter().for_each(|n| self.push(n, n.range(), EventKind::Bind)),
            AnyNodeRef::PatternMatchMapping(p) => p.rest.iter().for_each(|n| self.push(n, n.range(), EventKind::Bind)),
            AnyNodeRef::TypeParamTypeVar(p) => self.push(&p.name, p.name.range(), EventKind::Bind),
            AnyNodeRef::TypeParamParamSpec(p) => self.push(&p.name, p.name.range(), EventKind::Bind),
            AnyNodeRef::TypeParamTypeVarTuple(p) => self.push(&p.name, p.name.range(), EventKind::Bind),
            AnyNodeRef::StmtAugAssign(s) => {
                self.out.effects.push(s.range);
                if let Some(name) = s.target.as_name_expr() {
                    self.push(&name.id, name.range, EventKind::Augment);
                }
            }
            AnyNodeRef::ExprNamed(named) => {
                if let Some(name) = named.target.as_name_expr() {
                    // A `:=` in a comprehension binds in the scope around it.
                    let scope = self
                        .stack
                        .iter()
                        .rev()
                        .copied()
                        .find(|&s| !matches!(self.out.scopes[s].kind, ScopeKind::Comprehension | ScopeKind::Generator))
                        .unwrap_or(0);
                    self.out.events.push(Event { name: name.id.to_string(), range: name.range, kind: EventKind::Bind, scope });
                }
            }
            AnyNodeRef::ExprName(name) => {
                let already = self.out.events.last().is_some_and(|e| e.range == name.range);
                let kind = match name.ctx {
                    ExprContext::Load | ExprContext::Invalid => EventKind::Read,
                    ExprContext::Store => EventKind::Bind,
                    ExprContext::Del => EventKind::Delete,
                };
                // The target of `+=` and `:=` is already recorded.
                if !already {
                    self.push(&name.id, name.range, kind);
                }
            }
            AnyNodeRef::ExprCall(_) | AnyNodeRef::ExprAwait(_) | AnyNodeRef::ExprYield(_) | AnyNodeRef::ExprYieldFrom(_) => {
                self.out.effects.push(node.range());
            }
            AnyNodeRef::ExprAttribute(a) if a.ctx != ExprContext::Load => self.out.effects.push(a.range),
            AnyNodeRef::ExprSubscript(s) if s.ctx != ExprContext::Load => self.out.effects.push(s.range),
            AnyNodeRef::StmtWith(_) | AnyNodeRef::StmtImport(_) | AnyNodeRef::StmtImportFrom(_) | AnyNodeRef::StmtDelete(_) => {
                self.out.effects.push(node.range());
            }
            AnyNodeRef::StmtFor(_) => {
                self.out.effects.push(node.range());
                self.out.loops.push(node.range());
            }
            AnyNodeRef::StmtWhile(_) => self.out.loops.push(node.range()),
            _ => {}
        }
        TraversalSignal::Traverse
    }
}

/// The blocks of statements a compound statement holds (its body, its
/// `else`, each `elif`, `except` or `case`), none for a simple one.
pub(super) fn blocks(statement: &Stmt) -> Vec<&[Stmt]> {
    match statement {
        Stmt::FunctionDef(s) => vec![&s.body],
        Stmt::ClassDef(s) => vec![&s.body],
        Stmt::If(s) => std::iter::once(&s.body[..]).chain(s.elif_else_clauses.iter().map(|c| &c.body[..])).collect(),
        Stmt::For(s) => vec![&s.body, &s.orelse],
        Stmt::While(s) => vec![&s.body, &s.orelse],
        Stmt::With(s) => vec![&s.body],
        Stmt::Try(s) => {
            let handlers = s.handlers.iter().filter_map(|h| h.as_except_handler()).map(|h| &h.body[..]);
            std::iter::once(&s.body[..]).chain(handlers).chain([&s.orelse[..], &s.finalbody[..]]).collect()
        }
        Stmt::Match(s) => s.cases.iter().map(|c| &c.body[..]).collect(),
        _ => Vec::new(),
    }
}
