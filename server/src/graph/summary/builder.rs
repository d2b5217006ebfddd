//! The one pass over ruff's AST that builds a summary: scopes,
//! definitions, bindings (with the values inference follows) and
//! references. The statement and expression visits are in `visit.rs`.

use super::chain;
use super::platform::{Condition, Platform};
use ruff_python_ast::visitor::{self, Visitor};
use ruff_python_ast::{self as ast, Expr, Stmt};
use ruff_text_size::{Ranged, TextRange};

use super::{
    Binding, BindingKind, Branch, Definition, DefinitionId, DefinitionKind, FileSummary, Import, Name, Parameter, ParameterKind, Reference, Scope, ScopeId,
    ScopeKind, Signature, Span,
};
use crate::graph::infer::exprs::{self, ValueExpr};
use thin_vec::ThinVec;

pub(super) struct Builder<'src> {
    pub(super) source: &'src str,
    pub(super) summary: FileSummary,
    pub(super) scope: ScopeId,
    /// Depth of `if`/`try`/`with`/loop nesting at the current point.
    pub(super) conditional: u32,
    pub(super) type_checking: u32,
    /// Names declared `global` in each function scope on the stack.
    pub(super) globals: Vec<(ScopeId, Vec<String>)>,
    /// The end of the assignment statement being visited.
    pub(super) assignment_end: Option<u32>,
    /// Values for the names about to be bound, by where each name starts.
    pub(super) pending: Vec<(u32, ValueExpr)>,
    pub(super) detail: Detail,
    /// For a library file: the interpreter whose version and platform
    /// decide `if sys.version_info ...` tests (see [`super::platform`]).
    pub(super) platform: Option<Platform>,
    /// The definitions below this one are outside the code visited (a
    /// method re-summarised alone, see method.rs): a value added to one
    /// sets `reached_outside` instead, since what it held is not known.
    pub(super) outside_below: DefinitionId,
    pub(super) reached_outside: bool,
    /// The comprehension scopes open at the current point (see
    /// comprehension.rs): an assignment expression binds outside them.
    pub(super) comprehensions: Vec<ScopeId>,
    variables: Variables,
}

/// The variable definition each name of a scope was last bound to, over
/// the summary's bindings so far: what an assignment rebinds. Scanning the
/// bindings back for it made each module-level assignment cost every
/// binding before it (20,000 `vN = N` lines: 11-16 s).
#[derive(Default)]
struct Variables {
    by_scope: rustc_hash::FxHashMap<ScopeId, rustc_hash::FxHashMap<Name, DefinitionId>>,
    /// How many of the bindings are indexed (the summary may start with
    /// some, a method re-summarised alone).
    indexed: usize,
}

impl Variables {
    fn last(&mut self, summary: &FileSummary, scope: ScopeId, name: &str) -> Option<DefinitionId> {
        if summary.bindings.len() < self.indexed {
            *self = Variables::default();
        }
        for binding in &summary.bindings[self.indexed..] {
            if let BindingKind::Definition(d) = binding.kind
                && summary.definitions.get(d as usize).is_some_and(|d| d.kind == DefinitionKind::Variable)
            {
                self.by_scope.entry(binding.scope).or_default().insert(binding.name, d);
            }
        }
        self.indexed = summary.bindings.len();
        self.by_scope.get(&scope)?.get(name).copied()
    }
}

/// How much of a file a summary records.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Detail {
    /// Everything: what the server's graph keeps and updates.
    Full,
    /// What a one-shot graph check reads: no docstrings and no parameter
    /// defaults' text (only hovers show them; a default is still there,
    /// empty), no implicit calls nor passed names, and of the references only plain calls
    /// (no `super()` chain and no receiver value), the only ones a graph
    /// check resolves.
    Checks,
}

/// The part of a `return` value inference keeps: a name or a call of one,
/// or a tuple display holding some (`return (), _setattr, _assign`: what
/// unpacking the call's result gives, position by position; the other
/// positions are unknown). Other shapes cost memory for little.
fn kept_return(value: ValueExpr) -> Option<ValueExpr> {
    let simple = |v: &ValueExpr| match v {
        ValueExpr::Chain { .. } => true,
        ValueExpr::Call(callee) | ValueExpr::CallWith(callee, _) => matches!(**callee, ValueExpr::Chain { .. }),
        _ => false,
    };
    match value {
        ValueExpr::Tuple(items) if items.iter().any(simple) => {
            Some(ValueExpr::Tuple(items.into_iter().map(|item| if simple(&item) { item } else { ValueExpr::Either(ThinVec::new()) }).collect()))
        }
        value => Some(value).filter(simple),
    }
}

impl<'src> Builder<'src> {
    pub(super) fn new(source: &'src str, detail: Detail) -> Self {
        let module = Scope { kind: ScopeKind::Module, parent: None, definition: None, range: Span::default() };
        let mut summary = FileSummary { scopes: vec![module], ..FileSummary::default() };
        if detail == Detail::Checks {
            // Room for the calls at once (about one per 80 bytes of Django):
            // growing the list copied it again and again. A check keeps a
            // list of the checked ones only (`keep_checked_references`), so
            // room to spare is not kept.
            summary.references.reserve(source.len() / 64);
        }
        Self {
            source,
            summary,
            scope: 0,
            conditional: 0,
            type_checking: 0,
            globals: Vec::new(),
            assignment_end: None,
            pending: Vec::new(),
            detail,
            platform: None,
            outside_below: 0,
            reached_outside: false,
            comprehensions: Vec::new(),
            variables: Variables::default(),
        }
    }

    /// A body's docstring, when this summary records docstrings.
    pub(super) fn docstring(&self, body: &[Stmt]) -> Option<String> {
        if self.detail == Detail::Checks { None } else { docstring(body) }
    }

    /// Whether a reference of this shape is recorded.
    fn keeps(&self, call: bool, from_super: bool, has_receiver: bool) -> bool {
        self.detail == Detail::Full || (call && !from_super && !has_receiver)
    }

    pub(super) fn text(&self, node: &impl Ranged) -> Name {
        self.source.get(node.range().to_std_range()).unwrap_or_default().into()
    }

    pub(super) fn scope_kind(&self) -> ScopeKind {
        self.summary.scopes[self.scope as usize].kind
    }

    pub(super) fn push_scope(&mut self, kind: ScopeKind, definition: Option<DefinitionId>, range: TextRange) -> ScopeId {
        let id = self.summary.scopes.len() as ScopeId;
        self.summary.scopes.push(Scope { kind, parent: Some(self.scope), definition, range: range.into() });
        self.scope = id;
        id
    }

    pub(super) fn pop_scope(&mut self) {
        if self.globals.last().is_some_and(|(s, _)| *s == self.scope) {
            self.globals.pop();
        }
        self.scope = self.summary.scopes[self.scope as usize].parent.unwrap_or(0);
    }

    pub(super) fn bind(&mut self, name: impl Into<Name>, scope: ScopeId, range: Span, kind: BindingKind) {
        let visible_from = self.assignment_end.unwrap_or(range.start).max(range.start);
        let mut value = self.take_pending(range.start);
        // A variable definition keeps all its values (it has one node for
        // all its bindings).
        if let BindingKind::Definition(def) = kind
            && let Some(assigned) = value.take()
        {
            self.add_value(def, assigned);
        }
        self.summary.bindings.push(Binding { name: name.into(), scope, range, kind, visible_from, value: value.map(Box::new) });
    }

    pub(super) fn define(&mut self, definition: Definition) -> DefinitionId {
        let id = self.summary.definitions.len() as DefinitionId;
        let (name, scope, range) = (definition.name, definition.scope, definition.name_range);
        self.summary.definitions.push(definition);
        self.bind(name, scope, range, BindingKind::Definition(id));
        id
    }

    /// Binds an assigned name: a variable definition at module or class
    /// level (the first assignment defines it, later ones rebind it), a
    /// local in functions (unless declared `global`).
    pub(super) fn assign(&mut self, name: &str, range: TextRange, annotation: Option<Name>) {
        self.assign_in(self.scope, name, range, annotation);
    }

    /// An assignment to `name` written in `scope` (the current one, or the
    /// one an assignment expression in a comprehension binds in).
    pub(super) fn assign_in(&mut self, scope: ScopeId, name: &str, range: TextRange, annotation: Option<Name>) {
        let declared_global = self.globals.last().is_some_and(|(s, names)| *s == scope && names.iter().any(|n| n == name));
        let scope = if declared_global { 0 } else { scope };
        if self.summary.scopes[scope as usize].kind == ScopeKind::Function {
            self.bind(name, scope, range.into(), BindingKind::Local);
            return;
        }
        match self.variables.last(&self.summary, scope, name) {
            Some(def) => self.bind(name, scope, range.into(), BindingKind::Definition(def)),
            None => {
                self.define(Definition { annotation, ..Definition::bare(name.into(), DefinitionKind::Variable, scope, range.into(), range.into()) });
            }
        }
    }

    /// After an `if` with an `else` (its `branches`: ranges of bindings, and
    /// whether the code after runs after them), a [`BindingKind::Join`] for
    /// each local of a function that the `else` branch and every branch
    /// falling through bind, holding what those branches' last bindings
    /// hold. Inside the `else` branch the name keeps its own value.
    pub(super) fn join_branches(&mut self, branches: &[(std::ops::Range<usize>, bool)], end: u32) {
        let scope = self.scope;
        if self.summary.scopes[scope as usize].kind != ScopeKind::Function {
            return;
        }
        let bindings = &self.summary.bindings;
        let last_in = |branch: &std::ops::Range<usize>, name: &str| {
            branch.clone().rev().find(|&i| bindings[i].scope == scope && bindings[i].kind == BindingKind::Local && bindings[i].name == name)
        };
        let Some((otherwise, _)) = branches.last() else { return };
        let mut joins = Vec::new();
        for i in otherwise.clone() {
            let binding = &bindings[i];
            if last_in(otherwise, &binding.name) != Some(i) {
                continue;
            }
            let flowing = branches.iter().filter(|(_, falls)| *falls);
            let Some(finals) = flowing.map(|(branch, _)| last_in(branch, &binding.name)).collect::<Option<Vec<_>>>() else { continue };
            // Nothing to add to what the `else` branch's binding holds.
            if finals.iter().all(|&f| f == i || bindings[f].value.is_none()) {
                continue;
            }
            let mut values: Vec<ValueExpr> = finals.iter().filter_map(|&f| bindings[f].value.as_deref().cloned()).collect();
            let value = if values.len() == 1 { values.pop() } else { Some(ValueExpr::Either(values.into())) };
            joins.push(Binding { name: binding.name, scope, range: binding.range, kind: BindingKind::Join, visible_from: end, value: value.map(Box::new) });
        }
        self.summary.bindings.extend(joins);
    }

    /// The value pending for a name starting at `start`, if any.
    pub(super) fn take_pending(&mut self, start: u32) -> Option<ValueExpr> {
        let at = self.pending.iter().position(|(s, _)| *s == start)?;
        Some(self.pending.swap_remove(at).1)
    }

    /// Records the branches of an `if` on the interpreter's version or
    /// platform (or on what a parameter's function takes first), each with
    /// the tests that make it run.
    pub(super) fn record_branches(&mut self, if_stmt: &ast::StmtIf) {
        let first = Condition::parse(&if_stmt.test);
        let on_interpreter = |c: &Condition| c.is_test() || c.names_constant() || c.tests_parameter();
        if !on_interpreter(&first) && !if_stmt.elif_else_clauses.iter().any(|c| c.test.as_ref().is_some_and(|t| on_interpreter(&Condition::parse(t)))) {
            return;
        }
        let mut earlier = vec![(first, false)];
        self.add_branch(&if_stmt.body, vec![(earlier[0].0.clone(), true)]);
        for clause in &if_stmt.elif_else_clauses {
            let mut tests = earlier.clone();
            if let Some(test) = &clause.test {
                let condition = Condition::parse(test);
                tests.push((condition.clone(), true));
                earlier.push((condition, false));
            }
            self.add_branch(&clause.body, tests);
        }
    }

    fn add_branch(&mut self, body: &[Stmt], tests: Vec<(Condition, bool)>) {
        let (Some(first), Some(last)) = (body.first(), body.last()) else { return };
        let tests: Vec<_> = tests.into_iter().filter(|(c, _)| *c != Condition::Unknown).collect();
        if !tests.is_empty() {
            self.summary.branches.push(Branch { range: Span::new(first.start().to_u32(), last.end().to_u32()), tests });
        }
    }

    /// `WIN = sys.platform.startswith("win")` at module level: a constant
    /// `if WIN:` tests the interpreter through.
    pub(super) fn record_constant(&mut self, name: &str, value: &Expr) {
        if self.scope != 0 {
            return;
        }
        let condition = Condition::parse(value);
        if condition.is_test() || (condition.names_constant() && !matches!(condition, Condition::Constant(_))) {
            self.summary.constants.push((name.to_owned(), condition));
        } else if self.summary.constants.iter().any(|(n, _)| n == name) {
            // Reassigned to something else: no longer a test.
            self.summary.constants.push((name.to_owned(), Condition::Unknown));
        }
    }

    /// Records a value of a variable (the first few) or a function's return.
    pub(super) fn add_value(&mut self, def: DefinitionId, value: ValueExpr) {
        if def < self.outside_below {
            self.reached_outside = true;
            return;
        }
        let values = &mut self.summary.definitions[def as usize].values;
        if values.len() < 4 && !values.contains(&value) {
            values.push(value);
        }
    }

    /// Values for the names `targets` bind from `value` (see
    /// [`exprs::target_values`]), picked up as the names are bound.
    pub(super) fn expect_values(&mut self, target: &Expr, value: Option<ValueExpr>, value_expr: Option<&Expr>) {
        exprs::target_values(self.source, target, value, value_expr, self.scope, &mut self.pending);
    }

    /// `self.name = ...` in a method defines an instance attribute of the
    /// class, unless the class already binds the name (then the value is
    /// one more the attribute can have; a plain method of the name keeps
    /// its own and the attribute is defined beside it, what an instance
    /// may hold instead: `self.impl = self.impl_match`, see
    /// `graph/rebound_method.rs`). `Parser.name = ...` anywhere in
    /// the module that defines `Parser` is one more value of an attribute
    /// its body binds (`Parser._parse = _parse_cache`).
    pub(super) fn assign_self_attribute(&mut self, target: &ast::ExprAttribute) {
        let value = self.take_pending(target.attr.start().to_u32());
        let Expr::Name(base) = &*target.value else { return };
        let Some(class) = self.self_class(&base.id) else {
            if let (Some(class), Some(value)) = (self.module_class(&base.id), value) {
                self.add_class_value(class, target.attr.id.as_str(), value);
            }
            return;
        };
        // `cls.evolve = evolve` in `__init_subclass__` sets an attribute of
        // each subclass, never of the class: its own `evolve` stays what
        // `self.evolve()` runs in its methods.
        let method = self.summary.scopes[self.scope as usize].definition.map(|d| &self.summary.definitions[d as usize].name);
        if method.is_some_and(|name| name == "__init_subclass__") {
            return;
        }
        let Some(class_scope) = self.summary.definitions[class as usize].body else { return };
        let name = target.attr.id.as_str();
        let plain_method = |d: &Definition| d.kind == DefinitionKind::Method && d.decorators.is_empty();
        let mut existing = self.summary.bindings.iter().filter(|b| b.scope == class_scope && b.name == name).map(|b| b.kind);
        let first = existing.next();
        let kept = match first {
            Some(BindingKind::Definition(def)) if plain_method(&self.summary.definitions[def as usize]) => existing.find(|&kind| match kind {
                BindingKind::Definition(d) => self.summary.definitions[d as usize].kind == DefinitionKind::Variable,
                _ => false,
            }),
            other => other,
        };
        if let Some(existing) = kept {
            if let (BindingKind::Definition(def), Some(value)) = (existing, value) {
                self.add_value(def, value);
            }
            return;
        }
        if let Some(value) = value {
            self.pending.push((target.attr.start().to_u32(), value));
        }
        self.define(Definition::bare(name.into(), DefinitionKind::Variable, class_scope, target.range().into(), target.attr.range.into()));
    }

    /// The module-level class `name` reads from here (no function around
    /// binds the name).
    fn module_class(&self, name: &str) -> Option<DefinitionId> {
        let scopes = &self.summary.scopes;
        let mut around = std::iter::successors(Some(self.scope), |&s| scopes[s as usize].parent).filter(|&s| scopes[s as usize].kind == ScopeKind::Function);
        if around.any(|s| self.summary.bindings.iter().any(|b| b.scope == s && b.name == name)) {
            return None;
        }
        let binding = self.summary.bindings.iter().rev().find(|b| b.scope == 0 && b.name == name)?;
        let BindingKind::Definition(def) = binding.kind else { return None };
        (self.summary.definitions[def as usize].kind == DefinitionKind::Class).then_some(def)
    }

    /// One more value of the attribute `name` the body of `class` binds.
    fn add_class_value(&mut self, class: DefinitionId, name: &str, value: ValueExpr) {
        let Some(class_scope) = self.summary.definitions[class as usize].body else { return };
        let existing = self.summary.bindings.iter().find(|b| b.scope == class_scope && b.name == name).map(|b| b.kind);
        if let Some(BindingKind::Definition(def)) = existing
            && self.summary.definitions[def as usize].kind == DefinitionKind::Variable
        {
            self.add_value(def, value);
        }
    }

    /// The class whose method binds `name` as its first parameter, looking
    /// from the current scope.
    pub(super) fn self_class(&self, name: &str) -> Option<DefinitionId> {
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

    /// `return value` of a function without a return annotation, when it
    /// is a name or a call of one (`return Cart(...)`, `return self`):
    /// enough for one level of return inference, and rarely edited.
    pub(super) fn return_value(&mut self, value: &Expr) {
        let Some(def) = self.summary.scopes[self.scope as usize].definition else { return };
        let unannotated = self.summary.definitions[def as usize].signature.as_ref().is_some_and(|s| s.returns.is_none());
        let value = exprs::value_expr(self.source, value, self.scope);
        if let Some(value) = value.and_then(kept_return)
            && unannotated
        {
            self.add_value(def, value);
        }
    }

    /// The names listed in a module's `__all__ = [...]` (or `+=`) are
    /// read there: each string refers to the module's binding of it.
    pub(super) fn dunder_all(&mut self, target: &Expr, value: &Expr) {
        if self.scope_kind() != ScopeKind::Module || !matches!(target, Expr::Name(n) if n.id.as_str() == "__all__") {
            return;
        }
        let (Expr::List(ast::ExprList { elts, .. }) | Expr::Tuple(ast::ExprTuple { elts, .. })) = value else { return };
        for element in elts {
            let Expr::StringLiteral(literal) = element else { continue };
            let name = literal.value.to_str();
            let written = self.source.get(literal.range.to_std_range()).unwrap_or_default();
            let quoted = [format!("\"{name}\""), format!("'{name}'")];
            if ruff_python_stdlib::identifiers::is_identifier(name) && quoted.iter().any(|q| q == written) {
                self.reference(Name::from(name), &[literal.range.start().to_u32() + 1], false, false);
            }
        }
    }

    pub(super) fn reference(&mut self, chain: Name, starts: &[u32], call: bool, from_super: bool) {
        if !self.keeps(call, from_super, false) {
            return;
        }
        self.summary.references.push(Reference::new(self.scope, chain, starts, call, from_super, None));
    }

    /// Records `expr` if it is a name or an attribute chain on a name or on
    /// `super()`; returns whether it was (then its parts need no visit).
    pub(super) fn chain_reference(&mut self, expr: &'src Expr, call: bool) -> bool {
        let walk = chain::walk(self.source, expr);
        let from_super = match walk.base {
            chain::Base::None => return false,
            chain::Base::Name => false,
            chain::Base::Super(inner) => {
                // `super()` (or `super(C, self)`): its arguments are reads too.
                self.reference(Name::new("super"), &[inner.func.start().to_u32()], true, false);
                visitor::walk_arguments(self, &inner.arguments);
                true
            }
            chain::Base::Value(other) => {
                // Members of a call's or subscript's result: the
                // receiver is read first, and its type decides.
                let receiver = self.keeps(call, false, true).then(|| exprs::value_expr(self.source, other, self.scope)).flatten();
                self.visit_expr(other);
                if let Some(receiver) = receiver {
                    let reference = self.chain_of(expr, &walk, call, false, Some(receiver));
                    self.summary.references.push(reference);
                }
                return true;
            }
        };
        // Most reads are no calls, and a check's summary keeps none of
        // them (nor any `super()` chain).
        if self.keeps(call, from_super, false) {
            let reference = self.chain_of(expr, &walk, call, from_super, None);
            self.summary.references.push(reference);
        }
        true
    }

    /// The reference to the chain `expr`, walked as `walk`.
    fn chain_of(&self, expr: &Expr, walk: &chain::Walk, call: bool, from_super: bool, receiver: Option<ValueExpr>) -> Reference {
        match walk.text(self.source) {
            Some(text) => Reference::packed(self.scope, Name::new(text), walk.start, walk.last, call, from_super, receiver),
            None => {
                let (chain, starts, widths) = chain::joined(expr);
                let mut reference = Reference::new(self.scope, chain, &starts, call, from_super, receiver);
                reference.set_widths(&widths);
                reference
            }
        }
    }

    pub(super) fn visit_function(&mut self, function: &'src ast::StmtFunctionDef) {
        for decorator in &function.decorator_list {
            self.visit_decorator(decorator);
        }
        // PEP 695 bounds, constraints and defaults (`def f[T: Node]`) read
        // names around the definition, lazily.
        if let Some(type_params) = &function.type_params {
            self.visit_type_params(type_params);
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
            name: function.name.id.as_str().into(),
            kind: if enclosing_class.is_some() { DefinitionKind::Method } else { DefinitionKind::Function },
            scope: self.scope,
            body: None,
            range: function.range.into(),
            name_range: function.name.range.into(),
            signature: Some(Box::new(signature)),
            docstring: self.docstring(&function.body).map(String::into_boxed_str),
            bases: ThinVec::new(),
            base_ranges: ThinVec::new(),
            decorators: function.decorator_list.iter().map(|d| self.text(&d.expression)).collect(),
            annotation: None,
            values: ThinVec::new(),
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

    pub(super) fn signature(&self, function: &ast::StmtFunctionDef) -> Signature {
        let p = &function.parameters;
        let mut parameters = Vec::with_capacity(p.len());
        let mut push = |param: &ast::Parameter, kind, default: Option<&Expr>| {
            parameters.push(Parameter {
                name: param.name.id.as_str().into(),
                kind,
                annotation: param.annotation().map(|a| self.text(a)),
                default: default.map(|d| if self.detail == Detail::Checks { Name::default() } else { self.text(d) }),
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

    pub(super) fn visit_class(&mut self, class: &'src ast::StmtClassDef) {
        for decorator in &class.decorator_list {
            self.visit_decorator(decorator);
        }
        if let Some(type_params) = &class.type_params {
            self.visit_type_params(type_params);
        }
        let mut bases = ThinVec::new();
        let mut base_ranges = ThinVec::new();
        if let Some(arguments) = &class.arguments {
            for base in arguments.args.iter() {
                // `Generic[T]` inherits from `Generic`: the text keeps the
                // type arguments (generics read them), the range is the name's.
                let base_expr = match base {
                    Expr::Subscript(s) => &*s.value,
                    other => other,
                };
                bases.push(self.text(base));
                base_ranges.push(Span::from(base_expr.range()));
            }
            self.visit_arguments(arguments);
        }
        let def = self.define(Definition {
            name: class.name.id.as_str().into(),
            kind: DefinitionKind::Class,
            scope: self.scope,
            body: None,
            range: class.range.into(),
            name_range: class.name.range.into(),
            signature: None,
            docstring: self.docstring(&class.body).map(String::into_boxed_str),
            bases,
            base_ranges,
            decorators: class.decorator_list.iter().map(|d| self.text(&d.expression)).collect(),
            annotation: None,
            values: ThinVec::new(),
        });
        if let Some(value) = crate::graph::metaclass::written(class).and_then(|m| exprs::value_expr(self.source, m, self.scope)) {
            self.add_value(def, value);
        }
        let body = self.push_scope(ScopeKind::Class, Some(def), class.range);
        self.summary.definitions[def as usize].body = Some(body);
        self.visit_body(&class.body);
        self.pop_scope();
    }

    pub(super) fn visit_import(&mut self, names: &[ast::Alias], module: Option<(&ast::Identifier, u32)>) {
        for alias in names {
            // `import KeyError.` being typed is recovered as the name
            // `KeyError.` (an empty part where the name is missing): it
            // imports nothing yet, and binding `KeyError` would shadow the
            // builtin while the user types.
            if module.is_none() && alias.name.id.split('.').any(str::is_empty) {
                continue;
            }
            let star = alias.name.id.as_str() == "*";
            let (module_name, level, name) = match module {
                Some((m, level)) => (Some(Name::from(m.id.as_str())).filter(|m| !m.is_empty()), level, Some(Name::from(alias.name.id.as_str()))),
                None => (Some(Name::from(alias.name.id.as_str())), 0, None),
            };
            let import = Import {
                module: module_name,
                level,
                name: name.filter(|_| !star),
                alias: alias.asname.as_ref().map(|a| Name::from(a.id.as_str())),
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

    pub(super) fn nested<F: FnOnce(&mut Self)>(&mut self, type_checking: bool, f: F) {
        self.conditional += 1;
        self.type_checking += u32::from(type_checking);
        f(self);
        self.conditional -= 1;
        self.type_checking -= u32::from(type_checking);
    }

    pub(super) fn visit_lambda(&mut self, lambda: &'src ast::ExprLambda) {
        // A lambda's defaults are evaluated where the lambda is written
        // (`lambda v, scale=scale:` reads the enclosing `scale`).
        if let Some(params) = &lambda.parameters {
            for default in params.iter_non_variadic_params().filter_map(|param| param.default.as_deref()) {
                self.visit_expr(default);
            }
        }
        self.push_scope(ScopeKind::Function, None, lambda.range());
        if let Some(params) = &lambda.parameters {
            for param in params.iter() {
                self.bind(param.name().id.as_str(), self.scope, param.name().range.into(), BindingKind::Local);
            }
        }
        self.visit_expr(&lambda.body);
        self.pop_scope();
    }
}

/// The docstring of a body: its first statement when that is a string,
/// with indentation cleaned as `inspect.cleandoc` does.
pub(super) fn docstring(body: &[Stmt]) -> Option<String> {
    let Some(Stmt::Expr(first)) = body.first() else { return None };
    let Expr::StringLiteral(literal) = &*first.value else { return None };
    Some(clean_docstring(literal.value.to_str()))
}

fn clean_docstring(raw: &str) -> String {
    let mut lines = raw.lines();
    let first = lines.next().unwrap_or("").trim();
    let rest: Vec<&str> = lines.collect();
    let indent = rest.iter().filter(|l| !l.trim().is_empty()).map(|l| l.len() - l.trim_start().len()).min().unwrap_or(0);
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
