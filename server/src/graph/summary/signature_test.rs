//! `if` tests on whether the function a parameter holds takes `self`
//! first, the way a decorator or a deprecation alias tells a method from
//! a plain function to define the wrapper that fits
//! (`if ["self"] == list(inspect.signature(fn).parameters)[:1]:`). Kept
//! as [`Condition::SelfFirst`] branches; a call that passes a known
//! function decides them (`graph/signature_branches.rs`).

use ruff_python_ast::{CmpOp, Expr};

use super::platform::Condition;

/// The condition `left op right` is, when it is such a test.
pub(super) fn parse(left: &Expr, op: CmpOp, right: &Expr) -> Option<Condition> {
    let test = match op {
        // `["self"] == list(signature(fn).parameters)[:1]`, either way round;
        // `list(signature(fn).parameters)[0] == "self"`.
        CmpOp::Eq | CmpOp::NotEq => {
            let parameter = [(left, right), (right, left)].into_iter().find_map(|(first, wanted)| {
                let (parameter, listed) = first_parameter_of(first)?;
                (if listed { is_self_list(wanted) } else { is_self(wanted) }).then_some(parameter)
            })?;
            (parameter, op == CmpOp::Eq)
        }
        // `"self" in signature(fn).parameters`.
        CmpOp::In | CmpOp::NotIn if is_self(left) => (parameters_of(right)?, op == CmpOp::In),
        _ => return None,
    };
    let condition = Condition::SelfFirst(test.0.to_owned());
    Some(if test.1 { condition } else { Condition::Not(Box::new(condition)) })
}

/// `list(signature(P).parameters)[:1]` (a list: `true`) or `[0]` (a name).
fn first_parameter_of(expr: &Expr) -> Option<(&str, bool)> {
    let Expr::Subscript(subscript) = expr else { return None };
    let Expr::Call(call) = &*subscript.value else { return None };
    let (Expr::Name(list), [listed]) = (&*call.func, &call.arguments.args[..]) else { return None };
    if list.id.as_str() != "list" || !call.arguments.keywords.is_empty() {
        return None;
    }
    let parameter = parameters_of(listed)?;
    match &*subscript.slice {
        Expr::Slice(slice) if slice.lower.is_none() && slice.step.is_none() && slice.upper.as_deref().is_some_and(|u| is_int(u, 1)) => Some((parameter, true)),
        index if is_int(index, 0) => Some((parameter, false)),
        _ => None,
    }
}

/// `inspect.signature(P).parameters` (or `signature(P).parameters`): `P`.
fn parameters_of(expr: &Expr) -> Option<&str> {
    let Expr::Attribute(attribute) = expr else { return None };
    let Expr::Call(call) = &*attribute.value else { return None };
    let named_signature = match &*call.func {
        Expr::Name(name) => name.id.as_str() == "signature",
        Expr::Attribute(inner) => inner.attr.as_str() == "signature" && matches!(&*inner.value, Expr::Name(m) if m.id.as_str() == "inspect"),
        _ => false,
    };
    let (true, "parameters", [Expr::Name(parameter)]) = (named_signature, attribute.attr.as_str(), &call.arguments.args[..]) else { return None };
    Some(parameter.id.as_str())
}

fn is_self(expr: &Expr) -> bool {
    matches!(expr, Expr::StringLiteral(s) if s.value.to_str() == "self")
}

fn is_self_list(expr: &Expr) -> bool {
    matches!(expr, Expr::List(list) if matches!(&list.elts[..], [only] if is_self(only)))
}

fn is_int(expr: &Expr, wanted: u64) -> bool {
    matches!(expr, Expr::NumberLiteral(n) if matches!(&n.value, ruff_python_ast::Number::Int(i) if i.as_u64() == Some(wanted)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_tests_of_a_parameter_s_first_parameter_and_nothing_else() {
        let cases = [
            (r#"["self"] == list(inspect.signature(fn).parameters)[:1]"#, "SelfFirst(\"fn\")"),
            (r#"list(signature(f).parameters)[:1] != ["self"]"#, "Not(SelfFirst(\"f\"))"),
            (r#"list(inspect.signature(fn).parameters)[0] == "self""#, "SelfFirst(\"fn\")"),
            (r#""self" in inspect.signature(fn).parameters"#, "SelfFirst(\"fn\")"),
            // Twins: another name, another slice, another module's `signature`.
            (r#"["cls"] == list(inspect.signature(fn).parameters)[:1]"#, "Unknown"),
            (r#"["self"] == list(inspect.signature(fn).parameters)[:2]"#, "Unknown"),
            (r#"["self"] == list(other.signature(fn).parameters)[:1]"#, "Unknown"),
            (r#"list(inspect.signature(fn).parameters)[0] == ["self"]"#, "Unknown"),
        ];
        for (test, expected) in cases {
            let parsed = ruff_python_parser::parse_expression(test).unwrap();
            assert_eq!(format!("{:?}", Condition::parse(parsed.expr())), expected, "{test}");
        }
    }
}
