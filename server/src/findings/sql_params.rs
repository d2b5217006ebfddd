//! The parameterised form of a DB-API `execute` whose query is formatted in
//! the call: `cursor.execute("... '%s'" % name)` or
//! `cursor.execute(f"... '{name}'")` becomes
//! `cursor.execute("... %s", (name,))`, in the placeholder style of the
//! driver the cursor comes from: the call that made it, followed through
//! the function's names (`cur = conn.cursor()`, `conn =
//! sqlite3.connect(...)`, `with connection.cursor() as cur`), `?` for
//! sqlite3, `%s` for psycopg, PyMySQL, mysqlclient and Django; a cursor
//! made by any other library gets none. A cursor the function does not
//! make (a parameter) takes the style of the driver the file imports, and
//! none when it imports none or drivers of both styles. The
//! quotes around a placeholder go (the driver quotes the value); anything
//! the rewrite cannot carry over exactly — a placeholder inside a larger
//! word or a `LIKE '%...%'`, named or typed conversions, format specs, a
//! query split over several literals — leaves the call without a fix.
//! So does a value escaped for an SQL literal already
//! ([`escaped_value`]; the caller asks): a parameter keeps the escaping.

use std::sync::LazyLock;

use regex::Regex;
use ruff_python_ast::visitor::{self, Visitor};
use ruff_python_ast::{Expr, ExprCall, ExprFString, ExprStringLiteral, InterpolatedStringElement, Operator};

use super::escaper_names;
use super::names::Names;
use super::{Edit, Fix};
use crate::findings::fixes::{range, unsafe_fix};

/// Drivers and their DB-API `paramstyle`.
const QMARK_DRIVERS: &[&str] = &["sqlite3", "pysqlite2", "pyodbc", "aiosqlite"];
const FORMAT_DRIVERS: &[&str] = &["psycopg2", "psycopg", "pymysql", "MySQLdb", "mysql", "pymssql", "pgdb", "django"];

/// How deep a cursor is followed to the call that made it
/// (`sqlite3.connect(p).cursor()` is two).
const MAX_LINKS: usize = 6;

#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Style {
    Qmark,
    Format,
}

/// What the call that made a cursor says of its placeholders.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Driver {
    Known(Style),
    /// Made by a library whose style is not one of these (asyncpg's `$1`,
    /// SQLAlchemy's named parameters, oracledb's `:1`, ...).
    Other,
    /// Not made where the function shows (a parameter, an attribute).
    Unseen,
}

/// Which driver `expr` (a cursor or a connection) comes from; `made`
/// gives the call a local name was last bound to before the `execute`.
pub(super) fn driver<'a>(names: &Names, expr: &'a Expr, made: &dyn Fn(&'a Expr) -> Option<&'a ExprCall>) -> Driver {
    driver_within(names, expr, made, MAX_LINKS)
}

fn driver_within<'a>(names: &Names, expr: &'a Expr, made: &dyn Fn(&'a Expr) -> Option<&'a ExprCall>, links: usize) -> Driver {
    if links == 0 {
        return Driver::Unseen;
    }
    if let Some(call) = made(expr) {
        return driver_within(names, &call.func, made, links - 1);
    }
    let by_name = || {
        let name = names.qualified(expr)?;
        let module = name.split('.').next()?;
        names.imports(module).then(|| module.to_owned())
    };
    match expr {
        // `conn.cursor()`, `sqlite3.connect(p)`: the callee's receiver, or
        // the module the callee is of.
        Expr::Call(call) => driver_within(names, &call.func, made, links - 1),
        Expr::Attribute(attribute) => match by_name() {
            Some(module) => style_of(&module),
            None => driver_within(names, &attribute.value, made, links - 1),
        },
        _ => by_name().map_or(Driver::Unseen, |module| style_of(&module)),
    }
}

fn style_of(module: &str) -> Driver {
    if QMARK_DRIVERS.contains(&module) {
        Driver::Known(Style::Qmark)
    } else if FORMAT_DRIVERS.contains(&module) {
        Driver::Known(Style::Format)
    } else {
        Driver::Other
    }
}

/// The fix for the `execute` call `call`, if its only argument is a query
/// formatted in place; `driver` is where its cursor comes from.
pub(super) fn fix(source: &str, names: &Names, call: &ExprCall, driver: Driver) -> Option<Fix> {
    let Expr::Attribute(callee) = call.func.as_ref() else { return None };
    if callee.attr.as_str() != "execute" || call.arguments.args.len() != 1 || !call.arguments.keywords.is_empty() {
        return None;
    }
    let style = match driver {
        Driver::Known(style) => style,
        Driver::Other => return None,
        // The file's imports name the driver only when they name one
        // style: a Django view that also writes a sqlite3 backup runs its
        // queries on Django's cursor (`%s` on every backend), and which
        // cursor this is the imports cannot tell; nor can a file that
        // imports no driver.
        Driver::Unseen => {
            let qmark = QMARK_DRIVERS.iter().any(|d| names.imports(d));
            let format = FORMAT_DRIVERS.iter().any(|d| names.imports(d));
            match (qmark, format) {
                (true, false) => Style::Qmark,
                (false, true) => Style::Format,
                _ => return None,
            }
        }
    };
    let query = &call.arguments.args[0];
    let (literal, values) = match query {
        Expr::BinOp(op) if op.op == Operator::Mod => match op.left.as_ref() {
            Expr::StringLiteral(literal) => percent(source, literal, &op.right, style)?,
            _ => return None,
        },
        Expr::FString(fstring) => interpolated(source, fstring, style)?,
        _ => return None,
    };
    let content = match values.as_slice() {
        [one] => format!("{literal}, ({one},)"),
        many => format!("{literal}, ({})", many.join(", ")),
    };
    Some(unsafe_fix("Pass the values as query parameters", vec![Edit { range: range(query), content }]))
}

/// The first value formatted into the query of `call` that is escaped for
/// an SQL literal already (`name.replace("'", "''")`, `sql_escape(name)`,
/// `conn.escape_string(name)`), as written. Passed as a parameter it would
/// keep the escaping: `O'Brien` stored and compared as `O''Brien`.
/// Whether the rest of the escaper is exact the fix cannot know, so it
/// does not unwrap one.
pub(super) fn escaped_value<'s>(source: &'s str, call: &ExprCall) -> Option<&'s str> {
    let values: Vec<&Expr> = match call.arguments.args.first()? {
        Expr::BinOp(op) if op.op == Operator::Mod => match op.right.as_ref() {
            Expr::Tuple(t) => t.elts.iter().collect(),
            other => vec![other],
        },
        Expr::FString(fstring) => fstring.value.elements().filter_map(|e| e.as_interpolation()).map(|i| i.expression.as_ref()).collect(),
        _ => return None,
    };
    let mut escaping = Escaping(source, None);
    for value in values {
        escaping.visit_expr(value);
    }
    escaping.1.map(|at| &source[at])
}

/// The first call in an expression that escapes or quotes for SQL.
struct Escaping<'s>(&'s str, Option<std::ops::Range<usize>>);

impl Visitor<'_> for Escaping<'_> {
    fn visit_expr(&mut self, expr: &Expr) {
        if self.1.is_some() {
            return;
        }
        if let Expr::Call(call) = expr
            && escapes_for_sql(self.0, call)
        {
            self.1 = Some(range(call));
            return;
        }
        visitor::walk_expr(self, expr);
    }
}

/// `x.replace("'", "''")` (any replacement of a quote or a backslash), or
/// a callee named for escaping or quoting (`sql_escape`, `quote_literal`,
/// `escape_string`); not an HTML escaper, whose output has no quote an
/// SQL literal would read differently.
fn escapes_for_sql(source: &str, call: &ExprCall) -> bool {
    let name = match call.func.as_ref() {
        Expr::Attribute(a) if a.attr.as_str() == "replace" => {
            return matches!(call.arguments.args.first(), Some(Expr::StringLiteral(s)) if s.value.to_str().contains(['\'', '"', '\\']));
        }
        Expr::Attribute(a) => a.attr.as_str(),
        Expr::Name(n) => n.id.as_str(),
        _ => return false,
    };
    // The whole callee, for the module an `escape` is of (`html.escape`).
    escaper_names::names_escaping(name, &source[range(call.func.as_ref())])
}

/// A placeholder or a piece of query text, as it will be written.
enum Piece {
    Text(String),
    Value,
}

/// `"... %s ..." % values`: the pieces of the literal with the values of
/// the right-hand side in order.
fn percent(source: &str, literal: &ExprStringLiteral, rhs: &Expr, style: Style) -> Option<(String, Vec<String>)> {
    if literal.value.is_implicit_concatenated() {
        return None;
    }
    let raw = &source[range(literal)];
    let (prefix, quote, body) = split_literal(raw)?;
    let values: Vec<&Expr> = match rhs {
        Expr::Tuple(t) => t.elts.iter().collect(),
        Expr::Dict(_) | Expr::Starred(_) => return None,
        other => vec![other],
    };
    if values.iter().any(|v| is_a_list(v)) {
        return None;
    }
    let values: Vec<String> = values.iter().map(|v| source[range(*v)].to_owned()).collect();
    let mut pieces = Vec::new();
    let mut text = String::new();
    let mut chars = body.chars().peekable();
    let mut taken = values.iter();
    while let Some(c) = chars.next() {
        if c != '%' {
            text.push(c);
            continue;
        }
        match chars.next()? {
            '%' => text.push_str("%%"),
            's' | 'd' | 'i' | 'f' => {
                pieces.push(Piece::Text(std::mem::take(&mut text)));
                taken.next()?;
                pieces.push(Piece::Value);
            }
            _ => return None,
        }
    }
    if taken.next().is_some() {
        return None;
    }
    pieces.push(Piece::Text(text));
    Some((assemble(prefix, quote, pieces, style)?, values))
}

/// `f"... {value} ..."`: the pieces with each interpolation a value.
fn interpolated(source: &str, fstring: &ExprFString, style: Style) -> Option<(String, Vec<String>)> {
    if fstring.value.is_implicit_concatenated() {
        return None;
    }
    let raw = &source[range(fstring)];
    let (prefix, quote, _) = split_literal(raw)?;
    let mut pieces = Vec::new();
    let mut values = Vec::new();
    for element in fstring.value.elements() {
        match element {
            InterpolatedStringElement::Literal(l) => {
                let text = source[range(l)].replace("{{", "{").replace("}}", "}").replace('%', "%%");
                pieces.push(Piece::Text(text));
            }
            InterpolatedStringElement::Interpolation(i) => {
                if i.format_spec.is_some() || i.debug_text.is_some() || i.conversion != ruff_python_ast::ConversionFlag::None {
                    return None;
                }
                if is_a_list(&i.expression) {
                    return None;
                }
                let value = source[range(i.expression.as_ref())].to_owned();
                pieces.push(Piece::Value);
                values.push(value);
            }
        }
    }
    let prefix: String = prefix.chars().filter(|c| !matches!(c, 'f' | 'F')).collect();
    Some((assemble(&prefix, quote, pieces, style)?, values))
}

/// The literal with placeholders, dropping the quotes around each one;
/// `None` if a placeholder touches text it would have to be joined with.
fn assemble(prefix: &str, quote: &str, mut pieces: Vec<Piece>, style: Style) -> Option<String> {
    for i in 0..pieces.len() {
        if !matches!(pieces[i], Piece::Value) {
            continue;
        }
        let before = match i.checked_sub(1).map(|p| &pieces[p]) {
            Some(Piece::Text(t)) => t.chars().last(),
            _ => None,
        };
        let after = match pieces.get(i + 1) {
            Some(Piece::Text(t)) => t.chars().next(),
            _ => None,
        };
        match (before, after) {
            (Some(b @ ('\'' | '"')), Some(a)) if a == b => {
                if let Some(Piece::Text(t)) = pieces.get_mut(i - 1) {
                    t.pop();
                }
                if let Some(Piece::Text(t)) = pieces.get_mut(i + 1) {
                    t.remove(0);
                }
            }
            (b, a) if [b, a].iter().flatten().all(|&c| !c.is_alphanumeric() && !matches!(c, '\'' | '"' | '%' | '_' | '\\')) => {}
            _ => return None,
        }
        if !takes_a_value(&pieces[..i]) {
            return None;
        }
    }
    let placeholder = if style == Style::Qmark { "?" } else { "%s" };
    let body: String = pieces
        .into_iter()
        .map(|p| match p {
            Piece::Text(t) if style == Style::Qmark => t.replace("%%", "%"),
            Piece::Text(t) => t,
            Piece::Value => placeholder.to_owned(),
        })
        .collect();
    Some(format!("{prefix}{quote}{body}{quote}"))
}

/// Whether the query text before a placeholder puts one value there (a
/// comparison, `LIKE`, `LIMIT`, a `VALUES` list) rather than a name or a
/// piece of SQL, which no driver can pass as a parameter. Not an `IN`
/// list: what is formatted there is most often several values joined
/// (`IN (%s)" % ",".join(ids)`), which one parameter compares as one
/// string.
fn takes_a_value(before: &[Piece]) -> bool {
    let text: String = before.iter().map(|p| if let Piece::Text(t) = p { t.as_str() } else { "?" }).collect();
    let text = text.trim_end().to_ascii_lowercase();
    static IN_OPEN: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\bin\s*\(").expect("a valid pattern"));
    let open_after = |at: usize| !text[at..].contains(')');
    let in_values = text.rfind("values").is_some_and(open_after);
    let in_in = IN_OPEN.find_iter(&text).last().is_some_and(|m| open_after(m.end()));
    ["=", "<", ">", " like", " limit", " offset"].iter().any(|end| text.ends_with(end)) || ((text.ends_with('(') || text.ends_with(',')) && in_values && !in_in)
}

/// A value that is SQL text for several values: `",".join(...)`, a
/// comprehension or a display.
fn is_a_list(value: &Expr) -> bool {
    match value {
        Expr::Call(call) => matches!(call.func.as_ref(), Expr::Attribute(a) if a.attr.as_str() == "join"),
        Expr::List(_) | Expr::Tuple(_) | Expr::Set(_) | Expr::ListComp(_) | Expr::SetComp(_) | Expr::Generator(_) => true,
        _ => false,
    }
}

/// A literal's source split into prefix, quotes and the text between them.
fn split_literal(raw: &str) -> Option<(&str, &str, &str)> {
    let start = raw.find(['\'', '"'])?;
    let (prefix, rest) = raw.split_at(start);
    let quote = if rest.starts_with("\"\"\"") || rest.starts_with("'''") { &rest[..3] } else { &rest[..1] };
    let body = rest.strip_prefix(quote)?.strip_suffix(quote)?;
    Some((prefix, quote, body))
}
