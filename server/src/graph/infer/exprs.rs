//! What a summary keeps of an expression for type inference: the shape of
//! the value bound to a name (`Cart(...)`, `self.repo.find(...)`,
//! `d.items()`), with the names it reads and where. Evaluated lazily by
//! [`super::eval`]; extracted here from ruff's AST.

use std::hash::{Hash, Hasher};

use ruff_python_ast::{self as ast, Expr};
use ruff_text_size::Ranged;
use serde::{Deserialize, Serialize};
use thin_vec::ThinVec;

use crate::graph::summary::{Arithmetic, Name, ScopeId, chain, is_literal};

/// Expressions nested deeper than this are not kept (generated code).
const MAX_EXPR_DEPTH: u32 = 8;
/// Calls with more arguments than this keep none (their types only
/// matter to generic constructors and overloads, which take a few).
const MAX_ARGUMENTS: usize = 6;
/// The names of a dict display kept at most (a dispatch table's handlers).
const MAX_TABLE_NAMES: usize = 16;

/// The shape of an expression whose type inference can follow.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum ValueExpr {
    /// A name or dotted attribute chain (`a`, `a.b.c`), read in `scope` at
    /// offset `at` (the start of the chain).
    Chain { chain: Name, scope: ScopeId, at: u32 },
    /// A call of the callee.
    Call(Box<ValueExpr>),
    /// An attribute of a value that is not a plain chain (`f().x`).
    Attribute(Box<ValueExpr>, Name),
    /// `value[i]`, with the index when it is an integer literal.
    Subscript(Box<ValueExpr>, Option<i32>),
    /// An element of iterating over the value (`for x in v`).
    Iterate(Box<ValueExpr>),
    /// What `with v as x` binds.
    Enter(Box<ValueExpr>),
    /// Position `i` of unpacking the value (`a, b = v`).
    Unpack(Box<ValueExpr>, u32),
    /// An annotation as written (`list["Item"]`), read in `scope` at `at`.
    Annotation { text: Name, scope: ScopeId, at: u32 },
    /// A type expression as a value, as written (`Union["Node", "Leaf"]`,
    /// `Leaf | None` assigned to a type alias), read in `scope` at `at`.
    TypeExpr { text: Name, scope: ScopeId, at: u32 },
    /// Any of these (`a or b`, `a if c else b`).
    Either(ThinVec<ValueExpr>),
    /// A list or set display (`[a, b]`): a container of these.
    Elements(ThinVec<ValueExpr>),
    /// A dict display holding names (`{"a": on_a, "b": self.on_b}`, a
    /// dispatch table): a `dict` whose values are these (the names only:
    /// what calling an entry runs).
    Mapping(ThinVec<ValueExpr>),
    /// `getattr(v, "visit_" + name)`: every member of the value whose name
    /// starts with the prefix.
    Prefixed(Box<ValueExpr>, Name),
    /// A tuple display (`(a, b)`), position by position; a position of
    /// unknown shape is an empty [`ValueExpr::Either`].
    Tuple(ThinVec<ValueExpr>),
    /// A call with its arguments kept: their types bind a generic
    /// callee's type variables (`weakref.ref(self)`), their number and
    /// keywords choose among `@overload`s, and some builtins' results
    /// follow their one argument (`copy.copy(x)` is what `x` is,
    /// `deque(xs)`, `list(xs)`, `sorted(xs)` hold the elements of `xs`,
    /// `max(xs)` is one of them). A call without arguments, or whose
    /// arguments are not kept, is a [`ValueExpr::Call`].
    CallWith(Box<ValueExpr>, Box<Arguments>),
    /// Parameter `index` of a lambda passed to a call of `callee` at
    /// `argument`: what the callee's parameter annotation there
    /// (`Callable[[A, B], R]`, or an alias of one) says it is called with.
    LambdaParameter { callee: Box<ValueExpr>, argument: Box<Slot>, index: u32 },
    /// A list, set or generator comprehension: a container (named) of its
    /// element, whose names are read in the innermost scope where each is
    /// written (the comprehension's, which does not exist yet when the
    /// expression is taken).
    Comprehension(Name, Box<ValueExpr>),
}

/// Where an argument is passed: its position or its keyword.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Slot {
    Position(u32),
    Keyword(Name),
}

/// The arguments of a call, each an expression's shape (an unknown shape
/// is an empty [`ValueExpr::Either`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Arguments {
    pub positional: ThinVec<ValueExpr>,
    pub keywords: ThinVec<(Name, ValueExpr)>,
}

impl Arguments {
    fn each_mut(&mut self) -> impl Iterator<Item = &mut ValueExpr> {
        self.positional.iter_mut().chain(self.keywords.iter_mut().map(|(_, v)| v))
    }
}

impl ValueExpr {
    pub fn annotation(text: impl Into<Name>, scope: ScopeId, at: u32) -> Self {
        ValueExpr::Annotation { text: text.into(), scope, at }
    }

    /// Hashes the shape without offsets, so an edit above a file's
    /// definitions leaves its interface hash unchanged.
    pub fn hash_shape<H: Hasher>(&self, h: &mut H) {
        std::mem::discriminant(self).hash(h);
        match self {
            ValueExpr::Chain { chain, scope, .. } => (chain, scope).hash(h),
            ValueExpr::Annotation { text, scope, .. } | ValueExpr::TypeExpr { text, scope, .. } => (text, scope).hash(h),
            ValueExpr::Call(inner) | ValueExpr::Iterate(inner) | ValueExpr::Enter(inner) => inner.hash_shape(h),
            ValueExpr::Comprehension(container, element) => {
                container.hash(h);
                element.hash_shape(h);
            }
            ValueExpr::Attribute(inner, name) => {
                inner.hash_shape(h);
                name.hash(h);
            }
            ValueExpr::Subscript(inner, index) => {
                inner.hash_shape(h);
                index.hash(h);
            }
            ValueExpr::Unpack(inner, index) => {
                inner.hash_shape(h);
                index.hash(h);
            }
            ValueExpr::Either(items) | ValueExpr::Elements(items) | ValueExpr::Tuple(items) | ValueExpr::Mapping(items) => {
                items.iter().for_each(|i| i.hash_shape(h))
            }
            ValueExpr::Prefixed(inner, prefix) => {
                inner.hash_shape(h);
                prefix.hash(h);
            }
            ValueExpr::LambdaParameter { callee, argument, index } => {
                callee.hash_shape(h);
                (argument, index).hash(h);
            }
            ValueExpr::CallWith(callee, arguments) => {
                callee.hash_shape(h);
                arguments.positional.iter().for_each(|a| a.hash_shape(h));
                for (name, value) in &arguments.keywords {
                    name.hash(h);
                    value.hash_shape(h);
                }
            }
        }
    }

    /// The offset the expression starts reading names at.
    pub fn at(&self) -> Option<u32> {
        match self {
            ValueExpr::Chain { at, .. } | ValueExpr::Annotation { at, .. } | ValueExpr::TypeExpr { at, .. } => Some(*at),
            _ => self.children().find_map(ValueExpr::at),
        }
    }

    /// The expressions this one is made of, in source order (a call's
    /// callee, then its arguments; a comprehension's element).
    pub fn children(&self) -> impl Iterator<Item = &ValueExpr> {
        let (first, items, arguments): (Option<&ValueExpr>, &[ValueExpr], Option<&Arguments>) = match self {
            ValueExpr::Chain { .. } | ValueExpr::Annotation { .. } | ValueExpr::TypeExpr { .. } => (None, &[], None),
            ValueExpr::Call(inner)
            | ValueExpr::Iterate(inner)
            | ValueExpr::Enter(inner)
            | ValueExpr::Attribute(inner, _)
            | ValueExpr::Subscript(inner, _)
            | ValueExpr::Unpack(inner, _)
            | ValueExpr::LambdaParameter { callee: inner, .. }
            | ValueExpr::Prefixed(inner, _)
            | ValueExpr::Comprehension(_, inner) => (Some(inner), &[], None),
            ValueExpr::CallWith(callee, arguments) => (Some(callee), &[], Some(arguments)),
            ValueExpr::Either(items) | ValueExpr::Elements(items) | ValueExpr::Tuple(items) | ValueExpr::Mapping(items) => (None, items, None),
        };
        let arguments = arguments.into_iter().flat_map(|a| a.positional.iter().chain(a.keywords.iter().map(|(_, v)| v)));
        first.into_iter().chain(items).chain(arguments)
    }

    /// Moves every offset with `map` (a summary carried over an edit).
    pub fn move_offsets(&mut self, map: &impl Fn(u32) -> u32) {
        self.each_place(&mut |at, _| *at = map(*at));
    }

    /// Sets the scope every name is read in to `scope_at` its offset.
    pub fn rescope(&mut self, scope_at: &impl Fn(u32) -> ScopeId) {
        self.each_place(&mut |at, scope| *scope = scope_at(*at));
    }

    /// Renumbers the scopes names are read in (summaries spliced together).
    pub fn map_scopes(&mut self, map: &impl Fn(ScopeId) -> ScopeId) {
        self.each_place(&mut |_, scope| *scope = map(*scope));
    }

    /// Calls `f` with where and in which scope each name or annotation
    /// of the expression is read.
    fn each_place(&mut self, f: &mut impl FnMut(&mut u32, &mut ScopeId)) {
        match self {
            ValueExpr::Chain { scope, at, .. } | ValueExpr::Annotation { scope, at, .. } | ValueExpr::TypeExpr { scope, at, .. } => f(at, scope),
            ValueExpr::Call(inner)
            | ValueExpr::Iterate(inner)
            | ValueExpr::Enter(inner)
            | ValueExpr::Attribute(inner, _)
            | ValueExpr::Subscript(inner, _)
            | ValueExpr::Unpack(inner, _)
            | ValueExpr::LambdaParameter { callee: inner, .. }
            | ValueExpr::Prefixed(inner, _)
            | ValueExpr::Comprehension(_, inner) => inner.each_place(f),
            ValueExpr::CallWith(callee, arguments) => {
                callee.each_place(f);
                arguments.each_mut().for_each(|a| a.each_place(f));
            }
            ValueExpr::Either(items) | ValueExpr::Elements(items) | ValueExpr::Tuple(items) | ValueExpr::Mapping(items) => {
                items.iter_mut().for_each(|i| i.each_place(f))
            }
        }
    }
}

/// The shape of `expr` evaluated in `scope`, when inference can use it.
pub fn value_expr(source: &str, expr: &Expr, scope: ScopeId) -> Option<ValueExpr> {
    shape(source, expr, scope, 0)
}

fn shape(source: &str, expr: &Expr, scope: ScopeId, depth: u32) -> Option<ValueExpr> {
    if depth > MAX_EXPR_DEPTH {
        return None;
    }
    let inner = |e: &Expr| shape(source, e, scope, depth + 1).map(Box::new);
    if let Some(chain) = dotted_in(source, expr) {
        return Some(ValueExpr::Chain { chain, scope, at: expr.start().to_u32() });
    }
    Some(match expr {
        Expr::Attribute(attr) => ValueExpr::Attribute(inner(&attr.value)?, attr.attr.id.as_str().into()),
        Expr::Call(call) => {
            if let Some(cast) = cast_target(source, call, scope) {
                return Some(cast);
            }
            if matches!(&*call.func, Expr::Name(n) if n.id.as_str() == "super") {
                return None;
            }
            if let Some(constructed) = super_new(call, scope) {
                return Some(constructed);
            }
            if let Some(member) = getattr_member(source, call, scope, depth) {
                return Some(member);
            }
            // `next(it)`, `next(it, default)`: an element of `it`.
            if let (Expr::Name(n), [first, ..]) = (&*call.func, &call.arguments.args[..])
                && n.id.as_str() == "next"
                && !first.is_starred_expr()
            {
                return Some(ValueExpr::Iterate(inner(first)?));
            }
            let callee = inner(&call.func)?;
            match arguments(source, &call.arguments, scope, depth) {
                Some(arguments) => ValueExpr::CallWith(callee, Box::new(arguments)),
                None => ValueExpr::Call(callee),
            }
        }
        Expr::Subscript(_) | Expr::BinOp(_) if is_type_expression(expr) => {
            let text = source.get(expr.range().to_std_range())?.into();
            let alias = ValueExpr::TypeExpr { text, scope, at: expr.start().to_u32() };
            // `a | b` of two names may be values' operator as well.
            match expr {
                Expr::BinOp(binary) if is_dotted(&binary.left) && is_dotted(&binary.right) => match operator(source, binary, scope, depth) {
                    Some(call) => ValueExpr::Either(thin_vec::thin_vec![alias, call]),
                    None => alias,
                },
                _ => alias,
            }
        }
        // A slice of a container is a container of the same elements.
        Expr::Subscript(sub) if sub.slice.is_slice_expr() => return shape(source, &sub.value, scope, depth + 1),
        // A dict display indexed at once (`{YEARLY: ii.ydayset, ...}[freq]`,
        // a dispatch table): one of its values.
        Expr::Subscript(ast::ExprSubscript { value, .. }) if value.is_dict_expr() => {
            let Expr::Dict(dict) = &**value else { return None };
            let items = dict.items.iter().filter(|item| item.key.is_some()).filter_map(|item| shape(source, &item.value, scope, depth + 1)).collect();
            either(items)?
        }
        Expr::Subscript(sub) => {
            let int = |e: &Expr| match e {
                Expr::NumberLiteral(ast::ExprNumberLiteral { value: ast::Number::Int(i), .. }) => i.as_i32(),
                _ => None,
            };
            let index = match &*sub.slice {
                Expr::UnaryOp(u) if u.op == ast::UnaryOp::USub => int(&u.operand).map(|i| -i),
                other => int(other),
            };
            ValueExpr::Subscript(inner(&sub.value)?, index)
        }
        Expr::List(ast::ExprList { elts, .. }) | Expr::Set(ast::ExprSet { elts, .. }) => {
            let items: ThinVec<ValueExpr> = elts.iter().filter_map(|e| shape(source, e, scope, depth + 1)).collect();
            if items.is_empty() {
                // Of unknown elements, still a `list` (a `set` display is never empty).
                return literal("list", scope, expr);
            }
            ValueExpr::Elements(items)
        }
        // Literals are instances of their builtin class: their methods
        // (`", ".join`, `d.get`) are the library's.
        Expr::StringLiteral(_) | Expr::FString(_) => return literal("str", scope, expr),
        Expr::BytesLiteral(_) => return literal("bytes", scope, expr),
        Expr::NumberLiteral(ast::ExprNumberLiteral { value: ast::Number::Int(_), .. }) => return literal("int", scope, expr),
        Expr::NumberLiteral(ast::ExprNumberLiteral { value: ast::Number::Float(_), .. }) => return literal("float", scope, expr),
        Expr::BooleanLiteral(_) => return literal("bool", scope, expr),
        Expr::Dict(dict) => {
            // The names a dispatch table holds; a dict of literals (or
            // calls) is a plain `dict`.
            let names: ThinVec<ValueExpr> = dict
                .items
                .iter()
                .filter(|item| item.key.is_some())
                .filter_map(|item| dotted_in(source, &item.value).map(|chain| ValueExpr::Chain { chain, scope, at: item.value.start().to_u32() }))
                .take(MAX_TABLE_NAMES)
                .collect();
            if names.is_empty() || dict.items.iter().any(|item| item.key.is_none()) {
                return literal("dict", scope, expr);
            }
            ValueExpr::Mapping(names)
        }
        Expr::DictComp(_) => return literal("dict", scope, expr),
        Expr::Tuple(ast::ExprTuple { elts, .. }) if !elts.iter().any(Expr::is_starred_expr) => {
            let items: Vec<Option<ValueExpr>> = elts.iter().map(|e| shape(source, e, scope, depth + 1)).collect();
            if items.iter().all(Option::is_none) {
                return None;
            }
            ValueExpr::Tuple(items.into_iter().map(|i| i.unwrap_or(ValueExpr::Either(ThinVec::new()))).collect())
        }
        Expr::ListComp(ast::ExprListComp { elt, .. }) => ValueExpr::Comprehension(Name::new("list"), inner(elt)?),
        Expr::SetComp(ast::ExprSetComp { elt, .. }) => ValueExpr::Comprehension(Name::new("set"), inner(elt)?),
        Expr::Generator(ast::ExprGenerator { elt, .. }) => ValueExpr::Comprehension(Name::new("Generator"), inner(elt)?),
        Expr::Await(a) => return shape(source, &a.value, scope, depth + 1),
        Expr::Named(named) => return shape(source, &named.value, scope, depth + 1),
        Expr::BoolOp(op) => {
            let items: Vec<ValueExpr> = op.values.iter().filter_map(|v| shape(source, v, scope, depth + 1)).collect();
            either(items)?
        }
        Expr::If(if_expr) => {
            let items = [&if_expr.body, &if_expr.orelse].into_iter().filter_map(|v| shape(source, v, scope, depth + 1)).collect();
            either(items)?
        }
        Expr::BinOp(binary) => return operator(source, binary, scope, depth),
        // `-a`, `+a`, `~a`: what the operand's method returns.
        Expr::UnaryOp(unary) if unary.op != ast::UnaryOp::Not => {
            let method = match unary.op {
                ast::UnaryOp::USub => "__neg__",
                ast::UnaryOp::UAdd => "__pos__",
                _ => "__invert__",
            };
            ValueExpr::Call(Box::new(ValueExpr::Attribute(inner(&unary.operand)?, Name::new(method))))
        }
        _ => return None,
    })
}

/// `a + b` is what `a.__add__(b)` returns; with a literal on the left,
/// whose builtin operator gives way to a class's reflected one, what
/// `b.__radd__(a)` returns (`"x" + Word()`). The other operand is not
/// kept: it binds no type variable of an operator that matters here, and
/// every binding of an operator's result holds it.
fn operator(source: &str, binary: &ast::ExprBinOp, scope: ScopeId, depth: u32) -> Option<ValueExpr> {
    let (forward, _, reflected) = Arithmetic::from(binary.op).methods();
    let reflect = is_literal(&binary.left) && !is_literal(&binary.right);
    let (receiver, method) = if reflect { (&binary.right, reflected) } else { (&binary.left, forward) };
    let callee = ValueExpr::Attribute(Box::new(shape(source, receiver, scope, depth + 1)?), Name::new(method));
    Some(ValueExpr::Call(Box::new(callee)))
}

/// `getattr(v, "name")` is `v.name`; `getattr(v, "visit_" + name)` (or
/// `f"visit_{name}"`, `"visit_%s" % name`, `"visit_{}".format(name)`) any
/// member of `v` whose name starts with `visit_`; with a default, that too.
fn getattr_member(source: &str, call: &ast::ExprCall, scope: ScopeId, depth: u32) -> Option<ValueExpr> {
    if !matches!(&*call.func, Expr::Name(n) if n.id.as_str() == "getattr") || !call.arguments.keywords.is_empty() {
        return None;
    }
    let (target, name, default) = match &call.arguments.args[..] {
        [target, name] => (target, name, None),
        [target, name, default] => (target, name, Some(default)),
        _ => return None,
    };
    let target = Box::new(shape(source, target, scope, depth + 1)?);
    let member = match name {
        Expr::StringLiteral(literal) => ValueExpr::Attribute(target, Name::new(literal.value.to_str())),
        name => ValueExpr::Prefixed(target, Name::new(&name_prefix(name).filter(|p| !p.is_empty())?)),
    };
    match default.map(|d| shape(source, d, scope, depth + 1)) {
        None => Some(member),
        Some(Some(default)) => Some(ValueExpr::Either(thin_vec::thin_vec![member, default])),
        // A default of unknown shape: the member still may be what it gives.
        Some(None) => Some(member),
    }
}

/// The literal start of a name built from a literal and a value: `"visit_"
/// + name`, `f"visit_{name}"`, `"visit_%s" % name`, `"visit_{}".format(name)`.
fn name_prefix(expr: &Expr) -> Option<String> {
    match expr {
        Expr::BinOp(ast::ExprBinOp { left, op: ast::Operator::Add, .. }) => match &**left {
            Expr::StringLiteral(literal) => Some(literal.value.to_str().to_owned()),
            other => name_prefix(other),
        },
        Expr::BinOp(ast::ExprBinOp { left, op: ast::Operator::Mod, .. }) => match &**left {
            Expr::StringLiteral(literal) => literal.value.to_str().split('%').next().map(str::to_owned),
            _ => None,
        },
        Expr::FString(fstring) => match fstring.value.elements().next()? {
            ast::InterpolatedStringElement::Literal(literal) => Some(literal.value.to_string()),
            ast::InterpolatedStringElement::Interpolation(_) => None,
        },
        Expr::Call(ast::ExprCall { func, .. }) => match &**func {
            Expr::Attribute(ast::ExprAttribute { value, attr, .. }) if attr.id.as_str() == "format" => match &**value {
                Expr::StringLiteral(literal) => literal.value.to_str().split('{').next().map(str::to_owned),
                _ => None,
            },
            _ => None,
        },
        _ => None,
    }
}

/// A literal's type, as the annotation naming its builtin class.
fn literal(class: &str, scope: ScopeId, expr: &Expr) -> Option<ValueExpr> {
    Some(ValueExpr::Annotation { text: class.into(), scope, at: expr.start().to_u32() })
}

/// Whether a value is written as a type (`Union[A, B]`, `list[A]`,
/// `A | None`): a subscript of a typing form or builtin generic, or a `|`
/// of types.
fn is_type_expression(expr: &Expr) -> bool {
    match expr {
        Expr::Subscript(sub) => last_name(&sub.value).is_some_and(|name| {
            matches!(
                name,
                "Union"
                    | "Optional"
                    | "List"
                    | "Dict"
                    | "Set"
                    | "FrozenSet"
                    | "Tuple"
                    | "Type"
                    | "list"
                    | "dict"
                    | "set"
                    | "frozenset"
                    | "tuple"
                    | "type"
                    | "Iterator"
                    | "Iterable"
                    | "Sequence"
                    | "Mapping"
                    | "Callable"
                    | "Deque"
            )
        }),
        Expr::BinOp(op) if op.op == ast::Operator::BitOr => {
            let operand = |e: &Expr| matches!(e, Expr::NoneLiteral(_) | Expr::StringLiteral(_)) || is_dotted(e) || is_type_expression(e);
            // `FLAGS = A | B` of numbers evaluates to no type: harmless.
            operand(&op.left) && operand(&op.right)
        }
        _ => false,
    }
}

/// The arguments of a call worth keeping: none when there are none, too
/// many, `*args`/`**kwargs`, or none of them has a shape.
fn arguments(source: &str, arguments: &ast::Arguments, scope: ScopeId, depth: u32) -> Option<Arguments> {
    if arguments.is_empty() || arguments.len() > MAX_ARGUMENTS || arguments.args.iter().any(Expr::is_starred_expr) {
        return None;
    }
    let unknown = || ValueExpr::Either(ThinVec::new());
    let mut any = false;
    let mut each = |e: &Expr| {
        let shape = shape(source, e, scope, depth + 1);
        any |= shape.is_some();
        shape.unwrap_or_else(unknown)
    };
    let positional = arguments.args.iter().map(&mut each).collect();
    let mut keywords = ThinVec::new();
    for keyword in &arguments.keywords {
        let Some(name) = &keyword.arg else { return None };
        keywords.push((Name::new(name.id.as_str()), each(&keyword.value)));
    }
    any.then_some(Arguments { positional, keywords })
}

fn either(mut items: Vec<ValueExpr>) -> Option<ValueExpr> {
    match items.len() {
        0 => None,
        1 => items.pop(),
        _ => Some(ValueExpr::Either(items.into())),
    }
}

/// `cast(T, x)` / `typing.cast("T", x)`: the annotation `T`.
fn cast_target(source: &str, call: &ast::ExprCall, scope: ScopeId) -> Option<ValueExpr> {
    if last_name(&call.func)? != "cast" {
        return None;
    }
    let target = call.arguments.args.first()?;
    let text = source.get(target.range().to_std_range())?.to_owned();
    Some(ValueExpr::annotation(text, scope, target.start().to_u32()))
}

/// [`dotted`], the source's own text when the chain is spelled there as
/// stored (`a.b.c`: no copy joined to be interned).
fn dotted_in(source: &str, expr: &Expr) -> Option<Name> {
    let walk = chain::walk(source, expr);
    match (walk.base, walk.text(source)) {
        (chain::Base::Name, Some(text)) => Some(Name::new(text)),
        (chain::Base::Name, None) => dotted(expr),
        _ => None,
    }
}

/// Whether `expr` is a name or an attribute chain on a name.
pub fn is_dotted(expr: &Expr) -> bool {
    last_name(expr).is_some()
}

/// `a.b.c` of a name or attribute chain on a name.
pub fn dotted(expr: &Expr) -> Option<Name> {
    let mut out = String::with_capacity(dotted_len(expr)?);
    write_dotted(expr, &mut out).then(|| Name::new(&out))
}

/// The length of [`dotted`]'s `a.b.c`, or `None` when `expr` is no chain.
fn dotted_len(expr: &Expr) -> Option<usize> {
    match expr {
        Expr::Name(name) => Some(name.id.len()),
        Expr::Attribute(attr) => Some(dotted_len(&attr.value)? + 1 + attr.attr.id.len()),
        _ => None,
    }
}

/// Appends `a.b.c` to `out` (one buffer for the whole chain).
fn write_dotted(expr: &Expr, out: &mut String) -> bool {
    match expr {
        Expr::Name(name) => {
            out.push_str(name.id.as_str());
            true
        }
        Expr::Attribute(attr) => {
            let known = write_dotted(&attr.value, out);
            out.push('.');
            out.push_str(attr.attr.id.as_str());
            known
        }
        _ => false,
    }
}

/// The last name of a name or attribute chain on a name (`c` of `a.b.c`),
/// without building the chain.
fn last_name(expr: &Expr) -> Option<&str> {
    match expr {
        Expr::Name(name) => Some(name.id.as_str()),
        Expr::Attribute(attr) if last_name(&attr.value).is_some() => Some(attr.attr.id.as_str()),
        _ => None,
    }
}

/// The names an assignment target binds, each with the value it gets:
/// `a, (b, c) = x` gives `a` position 0 of `x`, `b` position 0 of
/// position 1. Names are keyed by where they start (an attribute target
/// `self.x` by where `x` starts). A tuple value of the same length pairs
/// element by element (`a, b = A(), B()`).
pub fn target_values(source: &str, target: &Expr, value: Option<ValueExpr>, value_node: Option<&Expr>, scope: ScopeId, out: &mut Vec<(u32, ValueExpr)>) {
    match target {
        Expr::Name(name) => out.extend(value.map(|v| (name.start().to_u32(), v))),
        Expr::Attribute(attr) => out.extend(value.map(|v| (attr.attr.start().to_u32(), v))),
        Expr::Tuple(ast::ExprTuple { elts, .. }) | Expr::List(ast::ExprList { elts, .. }) => {
            let literal = match value_node {
                Some(Expr::Tuple(t)) if t.elts.len() == elts.len() => Some(&t.elts),
                Some(Expr::List(l)) if l.elts.len() == elts.len() => Some(&l.elts),
                _ => None,
            };
            for (i, elt) in elts.iter().enumerate() {
                if elt.is_starred_expr() {
                    continue;
                }
                match literal {
                    Some(values) => {
                        let v = value_expr(source, &values[i], scope);
                        target_values(source, elt, v, Some(&values[i]), scope, out);
                    }
                    None => {
                        let v = value.clone().map(|v| ValueExpr::Unpack(Box::new(v), i as u32));
                        target_values(source, elt, v, None, scope, out);
                    }
                }
            }
        }
        _ => {}
    }
}

/// The names the target of `for target in iter` (or of a comprehension)
/// binds, each with its value: an element of `iter`. Through the builtins
/// that keep the elements: `enumerate(xs)` (`i, x`: `x` an element of
/// `xs`), `zip(xs, ys)` (a name per argument), `reversed`, `sorted`,
/// `list`, `tuple`, `set`, `frozenset` and `iter` of `xs`.
pub fn iteration_values(source: &str, target: &Expr, iter: &Expr, scope: ScopeId, out: &mut Vec<(u32, ValueExpr)>) {
    let element = |e: &Expr| value_expr(source, e, scope).map(|v| ValueExpr::Iterate(Box::new(v)));
    if let Expr::Call(call) = iter
        && let Expr::Name(function) = &*call.func
        && !call.arguments.args.iter().any(Expr::is_starred_expr)
    {
        let names = match target {
            Expr::Tuple(ast::ExprTuple { elts, .. }) | Expr::List(ast::ExprList { elts, .. }) => Some(elts),
            _ => None,
        };
        match (function.id.as_str(), &call.arguments.args[..], names) {
            ("enumerate", [xs, ..], Some(names)) if names.len() == 2 => {
                return target_values(source, &names[1], element(xs), None, scope, out);
            }
            ("zip", columns, Some(names)) if names.len() == columns.len() && call.arguments.keywords.is_empty() => {
                for (name, column) in names.iter().zip(columns) {
                    target_values(source, name, element(column), None, scope, out);
                }
                return;
            }
            ("reversed" | "sorted" | "list" | "tuple" | "set" | "frozenset" | "iter", [xs], _) => {
                return iteration_values(source, target, xs, scope, out);
            }
            _ => {}
        }
    }
    target_values(source, target, element(iter), None, scope, out);
}

/// The parameters of lambdas the builtins call with the elements of an
/// iterable, each with its value: `sorted(xs, key=lambda x: ...)` (also
/// `min`, `max` and `xs.sort(key=...)`) and `filter(lambda x: ..., xs)`
/// give `x` an element of `xs`; `map(lambda a, b: ..., xs, ys)` one
/// parameter per iterable; `reduce(lambda acc, x: ..., xs)` its second.
pub fn lambda_values(source: &str, call: &ast::ExprCall, scope: ScopeId, out: &mut Vec<(u32, ValueExpr)>) {
    let args = &call.arguments.args;
    if args.iter().any(Expr::is_starred_expr) {
        return;
    }
    let key = call.arguments.keywords.iter().find(|k| k.arg.as_ref().is_some_and(|a| a.as_str() == "key")).map(|k| &k.value);
    let function = match &*call.func {
        Expr::Name(f) => f.id.as_str(),
        Expr::Attribute(a) => a.attr.id.as_str(),
        _ => return,
    };
    // The lambda, and which of its parameters takes elements of what.
    let (lambda, iterables): (&Expr, Vec<(usize, &Expr)>) = match (&*call.func, function, &args[..], key) {
        (Expr::Name(_), "sorted" | "min" | "max", [xs], Some(key)) => (key, vec![(0, xs)]),
        (Expr::Attribute(a), "sort", [], Some(key)) => (key, vec![(0, &*a.value)]),
        (Expr::Name(_), "filter", [lambda, xs], None) => (lambda, vec![(0, xs)]),
        (Expr::Name(_), "map", [lambda, xs @ ..], None) => (lambda, xs.iter().enumerate().collect()),
        (_, "reduce", [lambda, xs, ..], None) => (lambda, vec![(1, xs)]),
        _ => return lambda_arguments(source, call, scope, out),
    };
    let Expr::Lambda(ast::ExprLambda { parameters: Some(parameters), .. }) = lambda else { return };
    let positional: Vec<&ast::ParameterWithDefault> = parameters.posonlyargs.iter().chain(&parameters.args).collect();
    for (index, iterable) in iterables {
        let Some(parameter) = positional.get(index) else { continue };
        let element = value_expr(source, iterable, scope).map(|v| ValueExpr::Iterate(Box::new(v)));
        out.extend(element.map(|v| (parameter.parameter.name.start().to_u32(), v)));
    }
}

/// The parameters of lambdas passed to any other callee, each with its
/// value: a [`ValueExpr::LambdaParameter`] (`self.record(lambda s: ...)`
/// where `record(self, func: Callable[[State], None])`).
fn lambda_arguments(source: &str, call: &ast::ExprCall, scope: ScopeId, out: &mut Vec<(u32, ValueExpr)>) {
    let is_lambda = |e: &Expr| e.is_lambda_expr();
    if !call.arguments.args.iter().any(is_lambda) && !call.arguments.keywords.iter().any(|k| is_lambda(&k.value)) {
        return;
    }
    let Some(callee) = value_expr(source, &call.func, scope) else { return };
    let positional = call.arguments.args.iter().enumerate().map(|(i, a)| (Slot::Position(i as u32), a));
    let keywords = call.arguments.keywords.iter().filter_map(|k| Some((Slot::Keyword(k.arg.as_ref()?.as_str().into()), &k.value)));
    for (argument, value) in positional.chain(keywords).take(MAX_ARGUMENTS) {
        let Expr::Lambda(ast::ExprLambda { parameters: Some(parameters), .. }) = value else { continue };
        for (index, parameter) in parameters.posonlyargs.iter().chain(&parameters.args).enumerate().take(MAX_ARGUMENTS) {
            let value = ValueExpr::LambdaParameter { callee: Box::new(callee.clone()), argument: Box::new(argument.clone()), index: index as u32 };
            out.push((parameter.parameter.name.start().to_u32(), value));
        }
    }
}

/// `super().__new__(cls, ...)`: a new instance of `cls` (in `__new__`,
/// the class being constructed; in a metaclass's, the metaclass), which is
/// what calling `cls` gives, without running its `__init__`.
fn super_new(call: &ast::ExprCall, scope: ScopeId) -> Option<ValueExpr> {
    let Expr::Attribute(attr) = &*call.func else { return None };
    let Expr::Call(inner) = &*attr.value else { return None };
    if attr.attr.id.as_str() != "__new__" || !matches!(&*inner.func, Expr::Name(n) if n.id.as_str() == "super") {
        return None;
    }
    let Some(Expr::Name(class)) = call.arguments.args.first() else { return None };
    let chain = ValueExpr::Chain { chain: class.id.as_str().into(), scope, at: class.start().to_u32() };
    Some(ValueExpr::Call(Box::new(chain)))
}

/// What `except E as e` binds: an instance of `E` (of one of `(A, B)`),
/// as an annotation says (any subclass's), not as `E()` would construct.
pub fn caught(source: &str, caught: &Expr, scope: ScopeId) -> Option<ValueExpr> {
    let classes: Vec<&Expr> = match caught {
        Expr::Tuple(t) => t.elts.iter().collect(),
        other => vec![other],
    };
    let annotation = |e: &Expr| dotted(e).map(|text| ValueExpr::annotation(text, scope, e.start().to_u32()));
    match classes.into_iter().map(annotation).collect::<Option<Vec<_>>>() {
        Some(items) => either(items),
        // Not names (`except make_errors() as e`): as before, the value
        // of calling what is written.
        None => value_expr(source, caught, scope).map(|t| ValueExpr::Call(Box::new(t))),
    }
}

/// `isinstance(name, Class)` holds in `range` (an `if` body, the rest of
/// a block after an `assert` or an early exit, a `case Class():` body):
/// there `name` is an instance of the class (or of one of `(A, B)`); for
/// `issubclass`, the class itself (`subclass`). Or it fails there
/// (`negative`: see `summary/narrowing.rs`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Narrowing {
    pub scope: ScopeId,
    pub name: Name,
    pub classes: ValueExpr,
    pub range: crate::graph::Span,
    pub subclass: bool,
    /// The test failed in `range`: the name is none of the classes there.
    pub negative: bool,
    /// `type(x) is C` held: an instance of the class itself, no subclass.
    pub exact: bool,
}

/// A narrowing test that holds: `name` is an instance of `classes` (or,
/// `subclass`, one of them).
#[derive(Clone)]
pub struct Test {
    pub name: String,
    pub classes: ValueExpr,
    pub subclass: bool,
    /// `type(name) is C`: exactly a `C`.
    pub exact: bool,
}

/// The `isinstance(name, classes)` and `issubclass(name, classes)` tests
/// that hold when `test` is true (alone or in an `and`).
pub fn isinstance_tests(test: &Expr, scope: ScopeId, out: &mut Vec<Test>) {
    match test {
        Expr::BoolOp(op) if op.op == ast::BoolOp::And => op.values.iter().for_each(|v| isinstance_tests(v, scope, out)),
        // `(x := value)` tests the value it binds to `x`.
        Expr::Named(named) => isinstance_tests(&named.value, scope, out),
        Expr::Call(call) => {
            let subclass = match &*call.func {
                Expr::Name(n) if n.id.as_str() == "isinstance" => false,
                Expr::Name(n) if n.id.as_str() == "issubclass" => true,
                _ => return,
            };
            let [subject, classes] = &call.arguments.args[..] else { return };
            let name = match subject {
                Expr::Name(name) => name,
                Expr::Named(ast::ExprNamed { target, .. }) => match &**target {
                    Expr::Name(name) => name,
                    _ => return,
                },
                _ => return,
            };
            let class_exprs: Vec<&Expr> = match classes {
                Expr::Tuple(t) => t.elts.iter().collect(),
                other => vec![other],
            };
            if let Some(classes) = either(class_exprs.into_iter().filter_map(|c| class_chain(c, scope)).collect()) {
                out.push(Test { name: name.id.to_string(), classes, subclass, exact: false });
            }
        }
        _ => {}
    }
}

/// `type(x) is C` or `type(x) == C` (`holds` true), `type(x) is not C`
/// or `type(x) != C` (false): the test that `x` is exactly a `C`.
pub fn type_test(test: &Expr, scope: ScopeId) -> Option<(Test, bool)> {
    let Expr::Compare(compare) = test else { return None };
    let ([op], [class]) = (&compare.ops[..], &compare.comparators[..]) else { return None };
    let holds = match op {
        ast::CmpOp::Is | ast::CmpOp::Eq => true,
        ast::CmpOp::IsNot | ast::CmpOp::NotEq => false,
        _ => return None,
    };
    let Expr::Call(call) = &*compare.left else { return None };
    let (Expr::Name(function), [Expr::Name(name)]) = (&*call.func, &call.arguments.args[..]) else { return None };
    if function.id.as_str() != "type" || !call.arguments.keywords.is_empty() {
        return None;
    }
    let classes = class_chain(class, scope)?;
    Some((Test { name: name.id.to_string(), classes, subclass: false, exact: true }, holds))
}

/// A class named by a name or attribute chain, as a value.
pub fn class_chain(expr: &Expr, scope: ScopeId) -> Option<ValueExpr> {
    Some(ValueExpr::Chain { chain: dotted(expr)?, scope, at: expr.start().to_u32() })
}
