//! Methods that syntax runs without naming them: `with x:` runs
//! `x.__enter__()` and `x.__exit__()`, `len(x)` runs `x.__len__()`, `a == b`
//! runs `a.__eq__(b)`, `f"{x!r}"` runs `x.__repr__()`, `make()(x)` runs the
//! function `make` returns (and `@route("/")` the decorator that the call
//! returns). A project's tests run
//! these as often as the calls it writes; the summary records each with
//! the value it runs on, and linking turns those whose value is an instance
//! of a workspace class into edges of their own kind (no name is written
//! there: a rename or a references search must never see them).

use ruff_python_ast::{self as ast, CmpOp, Expr, Operator, UnaryOp};
use ruff_text_size::Ranged;
use serde::{Deserialize, Serialize};

use super::builder::{Builder, Detail};
use super::{ScopeId, Span};
use crate::graph::infer::exprs::{self, ValueExpr};
use crate::graph::iterators::may_wrap_iterables;

/// A protocol method that syntax runs on a value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImplicitCall {
    pub scope: ScopeId,
    pub protocol: Protocol,
    /// The value whose class's method runs.
    pub receiver: ValueExpr,
    /// The syntax that runs it: the value's expression.
    pub span: Span,
}

/// Which method a piece of syntax runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Protocol {
    /// `with v:`: `__enter__`, and leaving, `__exit__`.
    With,
    AsyncWith,
    /// `for x in v`, `[... for x in v]`: `__iter__`, and an iterator's own
    /// `__next__` at each step (`__iter__` returning `self`).
    Iterate,
    /// `list(v)`, `tuple(v)`, `sorted(v)`: iterating, and `__len__` first
    /// for the length to allocate (CPython's length hint), when the
    /// class has one.
    Collect,
    AsyncIterate,
    /// `iter(v)`.
    Iter,
    /// `next(v)`.
    Next,
    /// `if v:`, `not v`, `v and w`: truth.
    Bool,
    Len,
    Str,
    Repr,
    /// A plain f-string field `{v}`.
    Format,
    Hash,
    GetItem,
    SetItem,
    DelItem,
    /// `k in v`: on the right-hand value.
    Contains,
    Compare(Comparison),
    Binary(Arithmetic),
    /// `v += w` (falls back to the binary operator).
    InPlace(Arithmetic),
    /// `w + v` on the right-hand value: `v.__radd__(w)`, which runs when
    /// the left-hand value's class has no such operator.
    Reflected(Arithmetic, Forward),
    /// `-v`, `+v`, `~v`.
    Sign(Sign),
    /// Calling a value that is no name (`make()(x)`, a decorator written
    /// as a call: `@route("/")`): the function it is, or its `__call__`.
    Call,
    /// The standard library ordering values (`sorted`, `list.sort`,
    /// `heapq`, `bisect`, `min`): `<`, or the other value's `>` when the
    /// class has no `<`.
    Order,
    /// `max`: `>`, or the other value's `<`.
    OrderDescending,
    /// `reversed(v)`: `__reversed__` (a class without one is reversed
    /// through `__len__` and `__getitem__`, left out).
    Reversed,
}

/// A binary operator (ruff's [`Operator`], which a summary cannot store).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Arithmetic {
    Add,
    Sub,
    Mult,
    MatMult,
    Div,
    Mod,
    Pow,
    LShift,
    RShift,
    BitOr,
    BitXor,
    BitAnd,
    FloorDiv,
}

/// What a reflected operator's left-hand value is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Forward {
    /// A literal or a display: a builtin's operator, which gives way to a
    /// workspace class's reflected one.
    Builtin,
    /// The implicit call recorded just before this one: the reflected
    /// operator runs when that one runs no workspace method.
    Previous,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Sign {
    Neg,
    Pos,
    Invert,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Comparison {
    Eq,
    NotEq,
    Lt,
    LtE,
    Gt,
    GtE,
}

impl Protocol {
    /// The methods it runs, in groups: of each group, the first the value's
    /// class has runs (`!=` runs `__ne__`, or `__eq__` through
    /// `object.__ne__`; truth is `__bool__`, else `__len__`).
    pub fn runs(self) -> Vec<Vec<&'static str>> {
        let one = |method| vec![vec![method]];
        match self {
            Protocol::With => vec![vec!["__enter__"], vec!["__exit__"]],
            Protocol::AsyncWith => vec![vec!["__aenter__"], vec!["__aexit__"]],
            Protocol::Iterate => vec![vec!["__iter__"], vec!["__next__"]],
            Protocol::Collect => vec![vec!["__iter__"], vec!["__next__"], vec!["__len__"]],
            Protocol::AsyncIterate => one("__aiter__"),
            Protocol::Iter => one("__iter__"),
            Protocol::Next => one("__next__"),
            Protocol::Bool => vec![vec!["__bool__", "__len__"]],
            Protocol::Len => one("__len__"),
            Protocol::Str => one("__str__"),
            Protocol::Repr => one("__repr__"),
            Protocol::Format => vec![vec!["__format__", "__str__"]],
            Protocol::Hash => one("__hash__"),
            Protocol::GetItem => one("__getitem__"),
            Protocol::SetItem => one("__setitem__"),
            Protocol::DelItem => one("__delitem__"),
            Protocol::Contains => vec![vec!["__contains__", "__iter__"]],
            Protocol::Compare(c) => match c {
                Comparison::Eq => one("__eq__"),
                Comparison::NotEq => vec![vec!["__ne__", "__eq__"]],
                Comparison::Lt => one("__lt__"),
                Comparison::LtE => one("__le__"),
                Comparison::Gt => one("__gt__"),
                Comparison::GtE => one("__ge__"),
            },
            Protocol::Binary(op) => one(op.method()),
            Protocol::InPlace(op) => vec![vec![op.in_place(), op.method()]],
            Protocol::Reflected(op, _) => one(op.methods().2),
            Protocol::Sign(Sign::Neg) => one("__neg__"),
            Protocol::Sign(Sign::Pos) => one("__pos__"),
            Protocol::Sign(Sign::Invert) => one("__invert__"),
            Protocol::Call => one("__call__"),
            Protocol::Order => vec![vec!["__lt__", "__gt__"]],
            Protocol::OrderDescending => vec![vec!["__gt__", "__lt__"]],
            Protocol::Reversed => one("__reversed__"),
        }
    }

    /// The protocol a builtin function runs on its first argument.
    pub fn of_builtin(name: &str) -> Option<Protocol> {
        Some(match name {
            // Builtins that iterate their argument (`list(self)`), as `for`
            // does; not `min`/`max`, which compare two arguments when given two.
            "set" | "frozenset" | "enumerate" | "sum" | "any" | "all" => Protocol::Iterate,
            "list" | "tuple" | "sorted" => Protocol::Collect,
            "len" => Protocol::Len,
            "iter" => Protocol::Iter,
            "reversed" => Protocol::Reversed,
            "next" => Protocol::Next,
            "str" => Protocol::Str,
            "repr" => Protocol::Repr,
            "format" => Protocol::Format,
            "hash" => Protocol::Hash,
            "bool" => Protocol::Bool,
            _ => return None,
        })
    }
}

impl From<Operator> for Arithmetic {
    fn from(op: Operator) -> Self {
        match op {
            Operator::Add => Arithmetic::Add,
            Operator::Sub => Arithmetic::Sub,
            Operator::Mult => Arithmetic::Mult,
            Operator::MatMult => Arithmetic::MatMult,
            Operator::Div => Arithmetic::Div,
            Operator::Mod => Arithmetic::Mod,
            Operator::Pow => Arithmetic::Pow,
            Operator::LShift => Arithmetic::LShift,
            Operator::RShift => Arithmetic::RShift,
            Operator::BitOr => Arithmetic::BitOr,
            Operator::BitXor => Arithmetic::BitXor,
            Operator::BitAnd => Arithmetic::BitAnd,
            Operator::FloorDiv => Arithmetic::FloorDiv,
        }
    }
}

impl Arithmetic {
    fn method(self) -> &'static str {
        self.methods().0
    }

    fn in_place(self) -> &'static str {
        self.methods().1
    }

    /// The forward, in-place and reflected methods.
    pub(crate) fn methods(self) -> (&'static str, &'static str, &'static str) {
        match self {
            Arithmetic::Add => ("__add__", "__iadd__", "__radd__"),
            Arithmetic::Sub => ("__sub__", "__isub__", "__rsub__"),
            Arithmetic::Mult => ("__mul__", "__imul__", "__rmul__"),
            Arithmetic::MatMult => ("__matmul__", "__imatmul__", "__rmatmul__"),
            Arithmetic::Div => ("__truediv__", "__itruediv__", "__rtruediv__"),
            Arithmetic::Mod => ("__mod__", "__imod__", "__rmod__"),
            Arithmetic::Pow => ("__pow__", "__ipow__", "__rpow__"),
            Arithmetic::LShift => ("__lshift__", "__ilshift__", "__rlshift__"),
            Arithmetic::RShift => ("__rshift__", "__irshift__", "__rrshift__"),
            Arithmetic::BitOr => ("__or__", "__ior__", "__ror__"),
            Arithmetic::BitXor => ("__xor__", "__ixor__", "__rxor__"),
            Arithmetic::BitAnd => ("__and__", "__iand__", "__rand__"),
            Arithmetic::FloorDiv => ("__floordiv__", "__ifloordiv__", "__rfloordiv__"),
        }
    }
}

impl<'src> Builder<'src> {
    /// Records that `protocol` runs on the value of `expr`, when the value
    /// has a shape inference can follow (a literal's class is no
    /// workspace class).
    pub(super) fn implicit(&mut self, protocol: Protocol, expr: &Expr) {
        if self.detail != Detail::Full || is_literal(expr) {
            return;
        }
        // Truth is asked of nearly every test; of a call's result it is
        // mostly a `bool` (`if x.is_valid():`), so only names are kept.
        if protocol == Protocol::Bool && !exprs::is_dotted(expr) {
            return;
        }
        let receiver = match exprs::value_expr(self.source, expr, self.scope) {
            // What a call returns, without its arguments: they choose among
            // overloads and bind type variables, which cost most of an
            // evaluation (`with self.assertRaises(E):` in every test) and
            // seldom change which workspace class it is.
            // `type(x)(...)` keeps its argument: it is the class; so do the
            // library iterators that iterate theirs (`islice(it, n)`,
            // graph/iterators.rs).
            Some(ValueExpr::CallWith(callee, arguments)) if matches!(&*callee, ValueExpr::Chain { chain, .. } if chain == "type" || may_wrap_iterables(chain.rsplit('.').next().unwrap_or_default())) => {
                ValueExpr::CallWith(callee, arguments)
            }
            Some(ValueExpr::CallWith(callee, _)) => ValueExpr::Call(callee),
            Some(receiver) => receiver,
            None => return,
        };
        self.summary.implicit_calls.push(ImplicitCall { scope: self.scope, protocol, receiver, span: expr.range().into() });
    }

    /// What an expression runs implicitly, its operands' own visits aside.
    pub(super) fn implicit_in_expr(&mut self, expr: &Expr) {
        // A check's summary records no implicit call (see `implicit`):
        // matching every expression of a tree for them was 30M
        // instructions of a check of Django.
        if self.detail != Detail::Full {
            return;
        }
        match expr {
            Expr::Compare(compare) => {
                let mut left = &*compare.left;
                for (op, right) in compare.ops.iter().zip(&compare.comparators) {
                    let comparison = match op {
                        CmpOp::Eq => Some(Comparison::Eq),
                        CmpOp::NotEq => Some(Comparison::NotEq),
                        CmpOp::Lt => Some(Comparison::Lt),
                        CmpOp::LtE => Some(Comparison::LtE),
                        CmpOp::Gt => Some(Comparison::Gt),
                        CmpOp::GtE => Some(Comparison::GtE),
                        CmpOp::In | CmpOp::NotIn => {
                            self.implicit(Protocol::Contains, right);
                            None
                        }
                        CmpOp::Is | CmpOp::IsNot => None,
                    };
                    if let Some(comparison) = comparison {
                        self.implicit(Protocol::Compare(comparison), left);
                    }
                    left = right;
                }
            }
            Expr::BinOp(binary) => {
                let op = binary.op.into();
                let recorded = self.summary.implicit_calls.len();
                self.implicit(Protocol::Binary(op), &binary.left);
                let forward = if self.summary.implicit_calls.len() > recorded {
                    Forward::Previous
                } else if is_literal(&binary.left) {
                    Forward::Builtin
                } else {
                    return; // a left-hand value inference cannot follow
                };
                self.implicit(Protocol::Reflected(op, forward), &binary.right);
            }
            Expr::UnaryOp(unary) => {
                let protocol = match unary.op {
                    UnaryOp::Not => Protocol::Bool,
                    UnaryOp::USub => Protocol::Sign(Sign::Neg),
                    UnaryOp::UAdd => Protocol::Sign(Sign::Pos),
                    UnaryOp::Invert => Protocol::Sign(Sign::Invert),
                };
                self.implicit(protocol, &unary.operand);
            }
            Expr::BoolOp(boolean) => {
                // Each operand's truth is asked but the last's.
                let asked = boolean.values.len().saturating_sub(1);
                for value in &boolean.values[..asked] {
                    self.implicit(Protocol::Bool, value);
                }
            }
            Expr::If(ternary) => self.implicit(Protocol::Bool, &ternary.test),
            // A dict display's keys and a set display's members are hashed.
            Expr::Dict(dict) => {
                for key in dict.items.iter().filter_map(|item| item.key.as_ref()) {
                    self.implicit(Protocol::Hash, key);
                }
            }
            Expr::Set(set) => {
                for member in &set.elts {
                    self.implicit(Protocol::Hash, member);
                }
            }
            Expr::Subscript(subscript) => {
                let protocol = match subscript.ctx {
                    ast::ExprContext::Store => Protocol::SetItem,
                    ast::ExprContext::Del => Protocol::DelItem,
                    _ => Protocol::GetItem,
                };
                self.implicit(protocol, &subscript.value);
            }
            Expr::FString(fstring) => {
                for element in fstring.value.elements() {
                    if let ast::InterpolatedStringElement::Interpolation(field) = element {
                        let protocol = match field.conversion {
                            ast::ConversionFlag::Repr | ast::ConversionFlag::Ascii => Protocol::Repr,
                            ast::ConversionFlag::Str => Protocol::Str,
                            ast::ConversionFlag::None => Protocol::Format,
                        };
                        self.implicit(protocol, &field.expression);
                    }
                }
            }
            Expr::Call(call) => {
                if let (Expr::Name(name), [first, ..]) = (&*call.func, &call.arguments.args[..])
                    && let Some(protocol) = Protocol::of_builtin(name.id.as_str())
                    && !first.is_starred_expr()
                {
                    self.implicit(protocol, first);
                }
                self.implicit_ordering(call);
            }
            _ => {}
        }
    }

    /// The standard library's functions that order what they are given
    /// (`sorted(xs)`, `xs.sort()`, `heapq.heappush(h, item)`,
    /// `bisect.insort(a, x)`, `min(a, b)`) compare its elements, or the
    /// values themselves; not with a `key`, which compares what it returns.
    fn implicit_ordering(&mut self, call: &ast::ExprCall) {
        let arguments = &call.arguments;
        if arguments.args.iter().any(Expr::is_starred_expr) || arguments.keywords.iter().any(|k| k.arg.as_ref().is_none_or(|a| a.as_str() == "key")) {
            return;
        }
        let (name, module) = match &*call.func {
            Expr::Name(name) => (name.id.as_str(), None),
            Expr::Attribute(attribute) => (attribute.attr.as_str(), Some(&*attribute.value)),
            _ => return,
        };
        // `heapq.heappush(...)`, or `heappush(...)` imported from `heapq`.
        let imports = &self.summary.imports;
        let from = |wanted: &str| match module {
            Some(m) => matches!(m, Expr::Name(n) if n.id.as_str() == wanted),
            None => imports.iter().any(|i| i.level == 0 && i.module.as_deref() == Some(wanted) && i.name.as_deref() == Some(name)),
        };
        let args = &arguments.args[..];
        let order = if name == "max" { Protocol::OrderDescending } else { Protocol::Order };
        match (name, args) {
            // `xs.sort()` on any receiver (`list.sort` takes keywords only).
            ("sort", []) => {
                if let Some(receiver) = module {
                    self.implicit_elements(order, receiver);
                }
            }
            ("sorted" | "min" | "max", _) if module.is_some() => {}
            ("sorted" | "min" | "max", [only]) => self.implicit_elements(order, only),
            ("min" | "max", [_, _, ..]) => {
                for value in args {
                    self.implicit(order, value);
                }
            }
            ("heapify" | "heappop", [heap]) if from("heapq") => self.implicit_elements(order, heap),
            ("nsmallest" | "nlargest", [_, values, ..]) if from("heapq") => self.implicit_elements(order, values),
            ("heappush" | "heapreplace" | "heappushpop", [heap, item]) if from("heapq") => {
                self.implicit_elements(order, heap);
                self.implicit(order, item);
            }
            ("insort" | "insort_left" | "insort_right" | "bisect" | "bisect_left" | "bisect_right", [values, item, ..]) if from("bisect") => {
                self.implicit_elements(order, values);
                self.implicit(order, item);
            }
            _ => {}
        }
    }

    /// Records that `protocol` runs on the elements of `container`.
    fn implicit_elements(&mut self, protocol: Protocol, container: &Expr) {
        let recorded = self.summary.implicit_calls.len();
        self.implicit(protocol, container);
        if let Some(call) = self.summary.implicit_calls.get_mut(recorded) {
            let receiver = std::mem::replace(&mut call.receiver, ValueExpr::Either(thin_vec::ThinVec::new()));
            call.receiver = ValueExpr::Iterate(Box::new(receiver));
        }
    }

    /// `for x in v` (and a comprehension's `for`): iterating runs
    /// `__iter__`, and an iterator's own `__next__` at each step.
    pub(super) fn implicit_iteration(&mut self, iter: &Expr, is_async: bool) {
        self.implicit(if is_async { Protocol::AsyncIterate } else { Protocol::Iterate }, iter);
    }

    /// `with v:` runs `v.__enter__()` and, leaving, `v.__exit__()`.
    pub(super) fn implicit_with(&mut self, with: &ast::StmtWith) {
        let protocol = if with.is_async { Protocol::AsyncWith } else { Protocol::With };
        for item in &with.items {
            self.implicit(protocol, &item.context_expr);
        }
    }
}

pub(crate) fn is_literal(expr: &Expr) -> bool {
    expr.is_literal_expr() || matches!(expr, Expr::FString(_) | Expr::List(_) | Expr::Dict(_) | Expr::Set(_) | Expr::Tuple(_))
}
