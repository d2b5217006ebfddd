//! Enumerations of the program's own constants: a member looked up by the
//! client's key (`Tool(k)`, `Tool[k]`) is one of them or an error
//! (`ValueError`, `KeyError`), so the client chooses which, not what — as
//! with a table the walk knows (`COMMANDS[k]`).

use ruff_python_ast::{Expr, Stmt, StmtClassDef};

use super::eval::Scope;
use super::value::Value;

/// What [`Value::made_by`] says of a class whose members are all constants.
pub(super) const CONSTANT_ENUM: &str = "an enumeration of constants";

/// What [`Value::made_by`] says of one of its members.
const MEMBER: &str = "a member of an enumeration of constants";

/// The standard library's enumeration bases.
const BASES: &[&str] = &["enum.Enum", "enum.IntEnum", "enum.StrEnum", "enum.Flag", "enum.IntFlag"];

/// Whether `class` is an enumeration (of the standard library's bases
/// only) each of whose members is a constant or `auto()`: methods,
/// docstrings and `pass` aside, nothing else in its body.
pub(super) fn of_constants(scope: &Scope, class: &StmtClassDef) -> bool {
    let bases = class.bases();
    let enum_base = !bases.is_empty() && bases.iter().all(|b| scope.names.qualified(b).is_some_and(|n| BASES.contains(&n.as_str())));
    enum_base
        && class.body.iter().all(|stmt| match stmt {
            Stmt::Assign(assign) => {
                matches!(assign.targets.as_slice(), [Expr::Name(_)]) && (scope.eval(&assign.value).computed_from_constants() || is_auto(scope, &assign.value))
            }
            Stmt::FunctionDef(_) | Stmt::Pass(_) => true,
            Stmt::Expr(e) => e.value.is_string_literal_expr(),
            _ => false,
        })
}

fn is_auto(scope: &Scope, value: &Expr) -> bool {
    matches!(value, Expr::Call(call) if call.arguments.is_empty() && scope.names.qualified(&call.func).as_deref() == Some("enum.auto"))
}

/// A member of such an enumeration, looked up by whatever key: `Tool(k)`
/// or `Tool[k]` where `enumeration` is what `Tool` holds.
pub(super) fn member(enumeration: &Value) -> Option<Value> {
    (enumeration.made_by.as_deref() == Some(CONSTANT_ENUM)).then(|| Value { made_by: Some(MEMBER.to_owned()), ..Value::some_constant() })
}

/// A member's `value` or `name`: one of the program's constants.
pub(super) fn part(member: &Value, attr: &str) -> Option<Value> {
    (member.made_by.as_deref() == Some(MEMBER) && matches!(attr, "value" | "name")).then(Value::some_constant)
}
