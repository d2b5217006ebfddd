//! Names passed to calls (`sorted(rows, key=by_name)`, `apply(handler)`):
//! where a function is handed to code that may call it. The call
//! hierarchy reads them at query time (`graph/callbacks.rs`), so that a
//! callback is called from where the code it was handed to calls it.
//! Calls of names passed (`take(n, pairs(xs))`) are kept too: what they
//! return is what the parameter holds (a generator the callee iterates,
//! `graph/generators.rs`).

use ruff_python_ast::{self as ast, Expr};
use ruff_text_size::TextRange;
use serde::{Deserialize, Serialize};

use super::Span;
use super::builder::{Builder, Detail};
use crate::graph::infer::exprs::{self, Slot};

/// A name or attribute chain passed to a call, or a call of one (32
/// bytes: whether it is a call is read from the text, see
/// [`Argument::called`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Argument {
    /// The argument's last name (`handler` of `self.handler`): where the
    /// reference to what it names is; of a call passed (`pairs(xs)`), the
    /// called name's.
    pub span: Span,
    /// The called name's last segment (`apply`, `sort` of `rows.sort`):
    /// where the call's edge is.
    pub callee: Span,
    pub slot: Slot,
}

// Kept at 32 bytes: a summary holds one for every name passed to a call.
const _: () = assert!(std::mem::size_of::<Argument>() == 32);

impl<'src> Builder<'src> {
    /// Records the names `call` passes, by position (up to a `*args`,
    /// after which positions are unknown) and by keyword.
    pub(super) fn passed_arguments(&mut self, call: &'src ast::ExprCall) {
        if self.detail != Detail::Full {
            return;
        }
        let callee = match &*call.func {
            Expr::Name(name) => name.range,
            Expr::Attribute(attribute) => attribute.attr.range,
            _ => return,
        };
        for (i, argument) in call.arguments.args.iter().enumerate() {
            if argument.is_starred_expr() {
                break;
            }
            self.pass(argument, callee, Slot::Position(i as u32));
        }
        for keyword in &call.arguments.keywords {
            if let Some(name) = &keyword.arg {
                self.pass(&keyword.value, callee, Slot::Keyword(name.id.as_str().into()));
            }
        }
    }

    fn pass(&mut self, argument: &Expr, callee: TextRange, slot: Slot) {
        let named = match argument {
            Expr::Call(call) => &*call.func,
            // `f if PY_310 else g`: either is passed (the test is not).
            Expr::If(choice) => {
                self.pass(&choice.body, callee, slot.clone());
                return self.pass(&choice.orelse, callee, slot);
            }
            other => other,
        };
        let span = match named {
            Expr::Name(name) => name.range,
            Expr::Attribute(attribute) if exprs::is_dotted(named) => attribute.attr.range,
            _ => return,
        };
        self.summary.arguments.push(Argument { span: span.into(), callee: callee.into(), slot });
    }
}

impl Argument {
    /// Whether the argument is a call of the name (`pairs(xs)`), not the
    /// name itself: its `(` follows the name (a name passed is followed by
    /// `,`, `)` or a line break).
    pub fn called(&self, text: &str) -> bool {
        text.get(self.span.end as usize..).is_some_and(|rest| rest.trim_start().starts_with('('))
    }

    /// The dotted chain passed (`self.info`, `ymd`), read from the file's
    /// text.
    pub fn chain<'t>(&self, text: &'t str) -> Option<&'t str> {
        let before = text.get(..self.span.end as usize)?;
        let start = before.char_indices().rev().find(|&(_, c)| !(c.is_alphanumeric() || c == '_' || c == '.')).map_or(0, |(i, c)| i + c.len_utf8());
        let chain = &before[start..];
        (!chain.is_empty() && !chain.starts_with('.') && !chain.contains("..")).then_some(chain)
    }
}

/// Arguments after a call's name looked through for its own (those of the
/// calls nested in it come in between).
const MAX_ARGUMENTS: usize = 64;

impl super::FileSummary {
    /// The arguments passed by name to the call whose called name's last
    /// segment is at `callee`.
    pub fn arguments_of(&self, callee: Span) -> impl Iterator<Item = &Argument> {
        let first = self.arguments.partition_point(|a| a.span.start < callee.end);
        self.arguments[first..].iter().take(MAX_ARGUMENTS).filter(move |a| a.callee == callee)
    }

    /// The argument whose last name is at `span`.
    pub fn argument_at(&self, span: Span) -> Option<&Argument> {
        let i = self.arguments.partition_point(|a| a.span.start < span.start);
        self.arguments.get(i).filter(|a| a.span == span)
    }

    /// Keeps the arguments in text order (a call's are recorded before
    /// those of the calls nested in them), for [`Self::argument_at`].
    pub(super) fn sort_arguments(&mut self) {
        self.arguments.sort_by_key(|a| a.span.start);
    }
}
