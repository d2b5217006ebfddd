//! What a log call's `%` format does to the values it is given.

use ruff_python_ast::Expr;

/// A log call's arguments but those its message formats with `%r` (or
/// `%a`): `repr` writes a line break as `\n`, so they forge no entry; nor
/// does a container formatted with `%s` ([`is_a_container`]): `str` of a
/// dict or list is the `repr` of each item.
/// With a mapping (`"%(name)r", {"name": x}`), the values of a dict
/// written in place whose every use is `%(key)r`, or the whole mapping
/// when every key is formatted so. All of them when the message is no
/// literal or a format Python would reject.
pub(super) fn not_repr(args: &[Expr]) -> Vec<&Expr> {
    let Some((Expr::StringLiteral(message), values)) = args.split_first() else { return args.iter().collect() };
    let repr = |c: &char| matches!(c, 'r' | 'a');
    let kept: Vec<&Expr> = match printf_conversions(message.value.to_str()) {
        Some(Conversions::Positional(conversions)) => values
            .iter()
            .enumerate()
            .filter(|(i, v)| !conversions.get(*i).is_some_and(|c| repr(c) || (*c == 's' && is_a_container(v))))
            .map(|(_, v)| v)
            .collect(),
        Some(Conversions::Named(named)) => {
            let all_repr = |key: &str| named.iter().filter(|(k, _)| k == key).all(|(_, c)| repr(c));
            match values {
                _ if named.iter().all(|(_, c)| repr(c)) => Vec::new(),
                [Expr::Dict(dict)] => dict
                    .items
                    .iter()
                    .filter(|item| !matches!(&item.key, Some(Expr::StringLiteral(k)) if all_repr(k.value.to_str())))
                    .map(|item| &item.value)
                    .collect(),
                _ => values.iter().collect(),
            }
        }
        None => return args.iter().collect(),
    };
    std::iter::once(&args[0]).chain(kept).collect()
}

/// Whether an expression is surely a container, whose `str` is the `repr`
/// of its items: a display or comprehension, `dict(...)`, `list(...)`,
/// `.getlist(...)`, `.split()`, `.items()`, or a request's mapping
/// (`request.environ`, `request.args`, Django's `request.META`), whose
/// `str` is its `repr` too. Not `request.headers`, written as header lines.
fn is_a_container(expr: &Expr) -> bool {
    const MAKERS: &[&str] = &["dict", "list", "tuple", "set", "frozenset", "sorted"];
    const METHODS: &[&str] = &["getlist", "items", "keys", "values", "split", "splitlines", "to_dict"];
    const MAPPINGS: &[&str] = &["environ", "args", "form", "GET", "POST", "META"];
    let is_request = |e: &Expr| match e {
        Expr::Name(n) => matches!(n.id.as_str(), "request" | "req"),
        Expr::Attribute(a) => a.attr.as_str() == "request",
        _ => false,
    };
    match expr {
        Expr::Dict(_) | Expr::List(_) | Expr::Tuple(_) | Expr::Set(_) | Expr::ListComp(_) | Expr::SetComp(_) | Expr::DictComp(_) => true,
        Expr::Call(call) => match call.func.as_ref() {
            Expr::Name(n) => MAKERS.contains(&n.id.as_str()),
            Expr::Attribute(a) => METHODS.contains(&a.attr.as_str()),
            _ => false,
        },
        Expr::Attribute(a) => MAPPINGS.contains(&a.attr.as_str()) && is_request(&a.value),
        _ => false,
    }
}

/// The conversions of a `%` format: one per value given, in order, or
/// each with its mapping key.
enum Conversions {
    /// A `*` width or precision takes a value of its own, shown as `*`.
    Positional(Vec<char>),
    Named(Vec<(String, char)>),
}

/// The conversion each value given to a `%` format takes; `None` for a
/// format Python would reject (one that mixes keys and positions too).
fn printf_conversions(format: &str) -> Option<Conversions> {
    let mut positional = Vec::new();
    let mut named = Vec::new();
    let mut chars = format.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '%' {
            continue;
        }
        if chars.next_if_eq(&'%').is_some() {
            continue;
        }
        // `%(key)s`: a key may hold parentheses of its own, balanced.
        let key = if chars.next_if_eq(&'(').is_some() {
            let (mut depth, mut key) = (1, String::new());
            loop {
                let c = chars.next()?;
                depth += match c {
                    '(' => 1,
                    ')' => -1,
                    _ => 0,
                };
                if depth == 0 {
                    break Some(key);
                }
                key.push(c);
            }
        } else {
            None
        };
        while chars.next_if(|c| "-+ #0".contains(*c)).is_some() {}
        // The width, then the precision after a `.`.
        let mut number = |chars: &mut std::iter::Peekable<std::str::Chars>| {
            if chars.next_if_eq(&'*').is_some() {
                positional.push('*');
            }
            while chars.next_if(char::is_ascii_digit).is_some() {}
        };
        number(&mut chars);
        if chars.next_if_eq(&'.').is_some() {
            number(&mut chars);
        }
        while chars.next_if(|c| "hlL".contains(*c)).is_some() {}
        let conversion = chars.next().filter(|c| "diouxXeEfFgGcrsa".contains(*c))?;
        match key {
            Some(key) => named.push((key, conversion)),
            None => positional.push(conversion),
        }
    }
    match (positional.is_empty(), named.is_empty()) {
        (_, true) => Some(Conversions::Positional(positional)),
        (true, false) => Some(Conversions::Named(named)),
        (false, false) => None,
    }
}
