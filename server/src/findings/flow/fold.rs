//! Constants the program computes, and containers it fills, as far as the
//! walk can follow them: a condition made of constants (`7 * 42 - num >
//! 200` after `num = 86`) takes one branch only, and an element read back
//! at a constant key or position (`m["b"]` after `m["a"] = x`) is that
//! element, not anything the container holds.

use ruff_python_ast::{CmpOp, Expr, ExprCompare, ExprSubscript, Operator, UnaryOp};

use super::eval::Scope;
use super::guards::Verdict;
use super::value::{Const, Items, Value};

/// Bounds what string arithmetic the walk does on constants.
const MAX_REPEAT: i64 = 64;

impl Scope<'_> {
    /// The truth of a condition when constants decide it.
    pub(crate) fn truth(&self, test: &Expr) -> Option<bool> {
        if !foldable(test) {
            return None;
        }
        self.eval(test).known.map(|k| k.truth())
    }

    /// `a < b`, `"x" in s`, chained: a constant when every operand is one.
    pub(super) fn compare(&self, compare: &ExprCompare) -> Value {
        if !foldable(&compare.left) || !compare.comparators.iter().all(foldable) {
            return Value::default();
        }
        let mut left = self.eval(&compare.left).known;
        for (op, right) in compare.ops.iter().zip(&compare.comparators) {
            let right = self.eval(right).known;
            let (Some(l), Some(r)) = (&left, &right) else { return Value::default() };
            match compared(*op, l, r) {
                Some(true) => left = right,
                Some(false) => return Value::known(Const::Bool(false)),
                None => return Value::default(),
            }
        }
        Value::known(Const::Bool(true))
    }

    pub(super) fn unary(&self, op: UnaryOp, operand: &Expr) -> Value {
        let known = match (op, self.eval(operand).known) {
            (UnaryOp::Not, Some(k)) => Some(Const::Bool(!k.truth())),
            (UnaryOp::USub, Some(Const::Int(i))) => i.checked_neg().map(Const::Int),
            _ => None,
        };
        known.map(Value::known).unwrap_or_default()
    }

    /// `a and b` / `a or b`: the operand Python gives, when the truth of
    /// the ones before it is known.
    pub(super) fn decided(&self, and: bool, values: &[Expr]) -> Option<Value> {
        let (last, before) = values.split_last()?;
        if !before.iter().all(foldable) {
            return None;
        }
        for value in before {
            let value = self.eval(value);
            if value.known.as_ref()?.truth() != and {
                return Some(value);
            }
        }
        Some(self.eval(last))
    }

    /// `x[k]` where `x` is a known string or a container with known
    /// elements and `k` a constant.
    pub(super) fn element(&self, base: &Value, subscript: &ExprSubscript) -> Option<Value> {
        if let Expr::Slice(slice) = subscript.slice.as_ref() {
            let Some(Const::Str(text)) = &base.known else { return None };
            let bound = |e: &Option<Box<Expr>>| match e.as_deref().map(|e| self.eval(e).known) {
                None => Some(None),
                Some(Some(Const::Int(i))) => Some(Some(i)),
                Some(_) => None,
            };
            if !matches!(bound(&slice.step)?, None | Some(1)) {
                return None;
            }
            let chars: Vec<char> = text.chars().collect();
            let (lower, upper) = (bound(&slice.lower)?, bound(&slice.upper)?);
            let at = |i: i64| clamped(chars.len(), i);
            let (from, to) = (lower.map_or(0, at), upper.map_or(chars.len(), at));
            return Some(Value::known(Const::Str(chars.get(from..to.max(from)).unwrap_or_default().iter().collect())));
        }
        let Some(key) = self.eval(&subscript.slice).known else {
            return base.items.as_deref().and_then(any_item);
        };
        if let Some(Const::Str(text)) = &base.known {
            let Const::Int(i) = key else { return None };
            let chars: Vec<char> = text.chars().collect();
            return position(chars.len(), i).map(|i| Value::known(Const::Str(chars[i].to_string())));
        }
        lookup(base.items.as_deref()?, &key)
    }
}

/// Whether an expression can be a constant the walk computes (literals and
/// names, and operations, comparisons and subscripts of them): the others
/// are not evaluated for their truth.
fn foldable(expr: &Expr) -> bool {
    match expr {
        Expr::StringLiteral(_) | Expr::NumberLiteral(_) | Expr::BooleanLiteral(_) | Expr::Name(_) => true,
        Expr::BinOp(op) => foldable(&op.left) && foldable(&op.right),
        Expr::UnaryOp(op) => foldable(&op.operand),
        Expr::BoolOp(op) => op.values.iter().all(foldable),
        Expr::Compare(c) => foldable(&c.left) && c.comparators.iter().all(foldable),
        Expr::Subscript(s) => foldable(&s.value) && foldable(&s.slice),
        Expr::Slice(s) => [&s.lower, &s.upper, &s.step].iter().all(|bound| bound.as_deref().is_none_or(foldable)),
        _ => false,
    }
}

/// The element at a constant key or position, if the container has it.
pub(super) fn lookup(items: &Items, key: &Const) -> Option<Value> {
    match (items, key) {
        (Items::Dict(entries), key) => entries.iter().find(|(k, _)| k == key).map(|(_, v)| v.clone()),
        (Items::List(values), Const::Int(i)) => position(values.len(), *i).map(|i| values[i].clone()),
        _ => None,
    }
}

/// What a lookup by a key the walk does not know gives: one of the items
/// (or an error), since the walk knows every item of a container it has
/// items for. `COMMANDS[request.args["c"]]` is one of the program's
/// commands: the client chooses which, not what.
pub(super) fn any_item(items: &Items) -> Option<Value> {
    match items {
        Items::Dict(entries) => entries.iter().map(|(_, v)| v.clone()).reduce(Value::either),
        Items::List(values) => values.iter().cloned().reduce(Value::either),
    }
}

/// A list index, negative ones counted from the end.
fn position(len: usize, index: i64) -> Option<usize> {
    let index = if index < 0 { index + i64::try_from(len).ok()? } else { index };
    usize::try_from(index).ok().filter(|i| *i < len)
}

/// A slice bound, negative ones counted from the end, kept within the
/// sequence.
fn clamped(len: usize, index: i64) -> usize {
    let len_i = i64::try_from(len).unwrap_or(i64::MAX);
    let index = if index < 0 { index.saturating_add(len_i).max(0) } else { index.min(len_i) };
    usize::try_from(index).unwrap_or(len)
}

/// `container` after `value` is stored at `key`: the element replaced when
/// the key is known, otherwise a container that may hold it anywhere.
pub(super) fn stored(container: Value, key: Option<Const>, value: Value) -> Value {
    let items = container.items.as_deref().cloned();
    match (items, key) {
        (Some(Items::Dict(mut entries)), Some(key)) => {
            match entries.iter_mut().find(|(k, _)| *k == key) {
                Some(entry) => entry.1 = value,
                None => entries.push((key, value)),
            }
            Value { made_by: container.made_by, ..Value::container(Items::Dict(entries)) }
        }
        (Some(Items::List(mut values)), Some(Const::Int(i))) if position(values.len(), i).is_some() => {
            let at = position(values.len(), i).unwrap_or_default();
            values[at] = value;
            Value::container(Items::List(values))
        }
        // Constants stored in a container of constants leave one.
        _ => {
            let constant = container.computed_from_constants() && value.computed_from_constants();
            Value { alternatives: constant, ..container.opaque_container().tainted_by(value) }
        }
    }
}

/// A list method that changes the list in place (`append`, `insert`,
/// `pop`, ...), on what the list holds. `None` for other methods.
pub(super) fn mutated(list: Value, method: &str, args: &[Value]) -> Option<Value> {
    let values = match list.items.as_deref() {
        Some(Items::List(values)) => Some(values.clone()),
        _ => None,
    };
    let key = |i: usize| args.get(i).and_then(|a| a.known.clone());
    let changed = match (method, values) {
        ("append", Some(mut values)) => {
            values.push(args.first()?.clone());
            Value::container(Items::List(values))
        }
        ("insert", Some(mut values)) if matches!(key(0), Some(Const::Int(i)) if usize::try_from(i).is_ok_and(|i| i <= values.len())) => {
            let Some(Const::Int(i)) = key(0) else { return None };
            values.insert(usize::try_from(i).ok()?, args.get(1)?.clone());
            Value::container(Items::List(values))
        }
        ("pop", Some(mut values)) if args.is_empty() => {
            values.pop();
            Value::container(Items::List(values))
        }
        ("pop", Some(mut values)) => {
            let Some(Const::Int(i)) = key(0) else { return Some(list.opaque_container()) };
            let Some(i) = position(values.len(), i) else { return Some(list.opaque_container()) };
            values.remove(i);
            Value::container(Items::List(values))
        }
        ("clear", Some(_)) => Value::container(Items::List(Vec::new())),
        ("append" | "insert" | "extend" | "add" | "update" | "setdefault", _) => {
            let constant = list.computed_from_constants() && args.iter().all(Value::computed_from_constants);
            Value { alternatives: constant, ..args.iter().cloned().fold(list.opaque_container(), Value::tainted_by) }
        }
        ("pop" | "remove" | "clear" | "reverse" | "sort", _) => list,
        // A buffer written to (`io.StringIO`): its text is built from what it is given.
        ("write" | "writelines", _) => args.iter().cloned().fold(list.opaque_container(), Value::concat),
        _ => return None,
    };
    Some(changed)
}

/// The constant of a binary operation on constants.
pub(super) fn arithmetic(op: Operator, left: Option<&Const>, right: Option<&Const>) -> Option<Const> {
    match (op, left?, right?) {
        (Operator::Add, Const::Int(a), Const::Int(b)) => a.checked_add(*b).map(Const::Int),
        (Operator::Sub, Const::Int(a), Const::Int(b)) => a.checked_sub(*b).map(Const::Int),
        (Operator::Mult, Const::Int(a), Const::Int(b)) => a.checked_mul(*b).map(Const::Int),
        (Operator::FloorDiv, Const::Int(a), Const::Int(b)) if *a >= 0 && *b > 0 => Some(Const::Int(a / b)),
        (Operator::Mod, Const::Int(a), Const::Int(b)) if *a >= 0 && *b > 0 => Some(Const::Int(a % b)),
        (Operator::Pow, Const::Int(a), Const::Int(b)) => u32::try_from(*b).ok().and_then(|b| a.checked_pow(b)).map(Const::Int),
        (Operator::Mult, Const::Str(s), Const::Int(n)) if (0..=MAX_REPEAT).contains(n) => Some(Const::Str(s.repeat(usize::try_from(*n).ok()?))),
        _ => None,
    }
}

fn compared(op: CmpOp, left: &Const, right: &Const) -> Option<bool> {
    use Const::{Int, Str};
    Some(match (op, left, right) {
        (CmpOp::In, Str(a), Str(b)) => b.contains(a.as_str()),
        (CmpOp::NotIn, Str(a), Str(b)) => !b.contains(a.as_str()),
        (CmpOp::Eq, a, b) if std::mem::discriminant(a) == std::mem::discriminant(b) => a == b,
        (CmpOp::NotEq, a, b) if std::mem::discriminant(a) == std::mem::discriminant(b) => a != b,
        (CmpOp::Lt, Int(a), Int(b)) => a < b,
        (CmpOp::LtE, Int(a), Int(b)) => a <= b,
        (CmpOp::Gt, Int(a), Int(b)) => a > b,
        (CmpOp::GtE, Int(a), Int(b)) => a >= b,
        _ => return None,
    })
}

/// The names a condition checks for a constant text (`"../" in name`,
/// `name.startswith("x")`, also on a slice of the name): a branch that
/// rejects the value on such a check (returns or raises) leaves it checked
/// after the `if`. A path checked against a literal folder
/// (`url.startswith("/account")`) stays on the site, which is all that
/// check proves.
pub(super) fn checked_names(test: &Expr) -> Vec<(String, Verdict)> {
    let name_of = |e: &Expr| match e {
        Expr::Name(n) => Some(n.id.to_string()),
        Expr::Subscript(s) => s.value.as_name_expr().map(|n| n.id.to_string()),
        _ => None,
    };
    match test {
        Expr::UnaryOp(u) if u.op == UnaryOp::Not => checked_names(&u.operand),
        Expr::BoolOp(b) => b.values.iter().flat_map(checked_names).collect(),
        Expr::Compare(c) if matches!(c.ops.as_ref(), [CmpOp::In]) && c.left.is_string_literal_expr() => {
            c.comparators.first().and_then(name_of).map(|n| (n, Verdict::Safe)).into_iter().collect()
        }
        Expr::Call(call) => match (call.func.as_ref(), call.arguments.args.first()) {
            (Expr::Attribute(a), Some(prefix)) if matches!(a.attr.as_str(), "startswith" | "endswith") && prefix.is_string_literal_expr() => {
                let verdict = if a.attr.as_str() == "startswith" && is_folder(prefix) { Verdict::Vetted } else { Verdict::Safe };
                name_of(&a.value).map(|n| (n, verdict)).into_iter().collect()
            }
            _ => Vec::new(),
        },
        _ => Vec::new(),
    }
}

/// An absolute folder (`"/srv/data"`, `"C:\\data"`): whether a path starts
/// with it is a containment check, which [`super::guards`] judges (on a
/// normalised path, with a separator at its end), not a check of the text.
fn is_folder(prefix: &Expr) -> bool {
    let Expr::StringLiteral(s) = prefix else { return false };
    let text = s.value.to_str().as_bytes();
    match text {
        [b'/' | b'\\', rest @ ..] => rest.first().is_some_and(u8::is_ascii_alphanumeric),
        [drive, b':', b'/' | b'\\', ..] => drive.is_ascii_alphabetic(),
        _ => false,
    }
}

impl Value {
    /// The container as one opaque value: what it holds is no longer known
    /// element by element.
    fn opaque_container(self) -> Value {
        Value { items: None, known: None, ..self }
    }
}
