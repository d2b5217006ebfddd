//! What a log call's `%` format does to the values it is given.

use ruff_python_ast::Expr;

/// A log call's arguments but those its message formats with `%r` (or
/// `%a`): `repr` writes a line break as `\n`, so they forge no entry.
/// All of them when the message is no literal or names its values
/// (`%(name)s`).
pub(super) fn not_repr(args: &[Expr]) -> Vec<&Expr> {
    let Some((Expr::StringLiteral(message), values)) = args.split_first() else { return args.iter().collect() };
    let Some(conversions) = printf_conversions(message.value.to_str()) else { return args.iter().collect() };
    let repr = |i: usize| conversions.get(i).is_some_and(|c| matches!(c, 'r' | 'a'));
    std::iter::once(&args[0]).chain(values.iter().enumerate().filter(|(i, _)| !repr(*i)).map(|(_, v)| v)).collect()
}

/// The conversion each value given to a `%` format takes, in order (a
/// `*` width or precision takes a value of its own, shown as `*`); `None`
/// for a mapping key (`%(name)s`) or a format Python would reject.
fn printf_conversions(format: &str) -> Option<Vec<char>> {
    let mut conversions = Vec::new();
    let mut chars = format.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '%' {
            continue;
        }
        if chars.next_if_eq(&'%').is_some() {
            continue;
        }
        if chars.peek() == Some(&'(') {
            return None;
        }
        while chars.next_if(|c| "-+ #0".contains(*c)).is_some() {}
        // The width, then the precision after a `.`.
        let mut number = |chars: &mut std::iter::Peekable<std::str::Chars>| {
            if chars.next_if_eq(&'*').is_some() {
                conversions.push('*');
            }
            while chars.next_if(char::is_ascii_digit).is_some() {}
        };
        number(&mut chars);
        if chars.next_if_eq(&'.').is_some() {
            number(&mut chars);
        }
        while chars.next_if(|c| "hlL".contains(*c)).is_some() {}
        let conversion = chars.next().filter(|c| "diouxXeEfFgGcrsa".contains(*c))?;
        conversions.push(conversion);
    }
    Some(conversions)
}
