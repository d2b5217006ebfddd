//! Where a class may be called without the call being written at its
//! name: the class passed on as a value (`make = Pair`, `return Pair, args`
//! in a `__reduce__` that pickle and copy call, `copyreg.pickle(Pair, …)`,
//! `@Pair`), or taken from an instance (`type(self)`, `self.__class__`,
//! `cls`). A change of its `__init__`'s parameters cannot update those
//! calls. Named without being passed on (an annotation, `isinstance`,
//! `Pair.attribute`, a comparison, an `except`, a `case` pattern, a
//! string) it constructs nothing.

use std::ops::Range;

use ruff_python_ast::visitor::{self, Visitor};
use ruff_python_ast::{ExceptHandler, Expr, Pattern, Stmt};
use ruff_text_size::Ranged;
use rustc_hash::FxHashSet;

/// The expressions of a module that name a class without a way for it to
/// be called, and those that take an instance's class.
#[derive(Default)]
pub(super) struct ClassValues {
    /// The ends of expressions whose value is only looked at.
    inert: FxHashSet<usize>,
    /// String literals and annotations: a name in them is not evaluated as a value here.
    unevaluated: Vec<Range<usize>>,
    /// `cls`, `type(self)` and `self.__class__`.
    own_class: Vec<Range<usize>>,
}

impl ClassValues {
    pub(super) fn of(body: &[Stmt]) -> ClassValues {
        let mut values = ClassValues::default();
        values.visit_body(body);
        values
    }

    /// Whether the name ending at `end` (inside `span`) is only looked at:
    /// no call can reach the class through it.
    pub(super) fn is_inert(&self, span: Range<usize>) -> bool {
        self.inert.contains(&span.end) || self.unevaluated.iter().any(|r| r.start <= span.start && span.end <= r.end)
    }

    /// The first `cls`, `type(self)` or `self.__class__` inside `within`
    /// that is passed on, stored or called (its start and end).
    pub(super) fn own_class_value(&self, within: Range<usize>) -> Option<(usize, usize)> {
        self.own_class
            .iter()
            .filter(|range| within.start <= range.start && range.end <= within.end && !self.is_inert((*range).clone()))
            .map(|range| (range.start, range.end))
            .min()
    }

    fn looked_at(&mut self, expr: &Expr) {
        self.inert.insert(expr.end().to_usize());
        if let Expr::Tuple(tuple) = expr {
            for element in &tuple.elts {
                self.inert.insert(element.end().to_usize());
            }
        }
    }
}

/// `type(self)`, `self.__class__`, `cls`: the class of the instance or
/// class a method runs on.
fn own_class(expr: &Expr) -> bool {
    let is_self = |e: &Expr| e.as_name_expr().is_some_and(|n| n.id.as_str() == "self");
    match expr {
        Expr::Name(name) => name.id.as_str() == "cls",
        Expr::Attribute(a) => a.attr.as_str() == "__class__" && is_self(&a.value),
        Expr::Call(call) => {
            call.func.as_name_expr().is_some_and(|f| f.id.as_str() == "type")
                && call.arguments.keywords.is_empty()
                && matches!(&call.arguments.args[..], [only] if is_self(only))
        }
        _ => false,
    }
}

impl<'a> Visitor<'a> for ClassValues {
    fn visit_stmt(&mut self, stmt: &'a Stmt) {
        match stmt {
            // Its workspace subclasses are refused on their own.
            Stmt::ClassDef(class) => {
                for base in class.bases() {
                    self.looked_at(base);
                }
            }
            Stmt::Raise(raise) => {
                // `raise E` calls `E()` with no arguments, which no reorder changes.
                if let Some(exception) = &raise.exc {
                    self.looked_at(exception);
                }
            }
            Stmt::Delete(delete) => {
                for target in &delete.targets {
                    self.looked_at(target);
                }
            }
            _ => {}
        }
        visitor::walk_stmt(self, stmt);
    }

    fn visit_annotation(&mut self, expr: &'a Expr) {
        self.unevaluated.push(expr.range().into());
        visitor::walk_annotation(self, expr);
    }

    fn visit_except_handler(&mut self, except_handler: &'a ExceptHandler) {
        let ExceptHandler::ExceptHandler(handler) = except_handler;
        if let Some(types) = &handler.type_ {
            self.looked_at(types);
        }
        visitor::walk_except_handler(self, except_handler);
    }

    fn visit_pattern(&mut self, pattern: &'a Pattern) {
        // `case Pair(first=1)` matches by attributes, constructing nothing.
        if let Pattern::MatchClass(class) = pattern {
            self.looked_at(&class.cls);
        }
        visitor::walk_pattern(self, pattern);
    }

    fn visit_expr(&mut self, expr: &'a Expr) {
        if own_class(expr) {
            self.own_class.push(expr.range().into());
        }
        match expr {
            Expr::Attribute(attribute) => self.looked_at(&attribute.value),
            Expr::Compare(compare) => {
                self.looked_at(&compare.left);
                for operand in &compare.comparators {
                    self.looked_at(operand);
                }
            }
            // `list[Pair]`, `Optional[Pair]`: a type named, not called.
            Expr::Subscript(subscript) => self.looked_at(&subscript.slice),
            Expr::StringLiteral(string) => self.unevaluated.push(string.range().into()),
            Expr::Call(call) => {
                let callee = match call.func.as_ref() {
                    Expr::Name(name) => Some(name.id.as_str()),
                    Expr::Attribute(attribute) => Some(attribute.attr.as_str()),
                    _ => None,
                };
                match (callee, &call.arguments.args[..]) {
                    (Some("isinstance" | "issubclass"), [_, types]) => self.looked_at(types),
                    // `super(Pair, self)`, `object.__new__(cls)`: the class given, not called.
                    (Some("super"), arguments) => arguments.iter().for_each(|a| self.looked_at(a)),
                    (Some("__new__"), [class, ..]) => self.looked_at(class),
                    _ => {}
                }
            }
            _ => {}
        }
        visitor::walk_expr(self, expr);
    }
}
