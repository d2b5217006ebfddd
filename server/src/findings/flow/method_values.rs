//! What a method call gives when the walk knows its receiver: rows of the
//! program's own query, an element of a known container, a split or an
//! escaping `replace` of text, the client's query as one mapping.

use ruff_python_ast::{Expr, ExprCall};

use super::eval::Scope;
use super::fold;
use super::models;
use super::value::{Const, Entry, Escaped, Items, Value};
use crate::findings::Confidence;

impl Scope<'_> {
    /// A query the program wrote, run on whatever connection or cursor
    /// (`conn.execute("select name from sqlite_master")`), and its rows
    /// fetched: what the database holds, not the connection it ran on (a
    /// parameter holding the connection is no source of the rows).
    pub(super) fn rows_of_own_query(&self, call: &ExprCall, method: Option<(&str, Option<&str>)>) -> Option<Value> {
        let (method, _) = method?;
        let Expr::Attribute(attribute) = call.func.as_ref() else { return None };
        match method {
            "execute" | "executemany" if call.arguments.args.first().is_some_and(|query| self.eval(query).computed_from_constants()) => {
                Some(Value::entered(call, format!("{} (`{method}()`)", Entry::STORED), Confidence::Low))
            }
            "fetchone" | "fetchall" | "fetchmany" => {
                let cursor = self.eval(&attribute.value);
                cursor.entry.as_ref().is_some_and(Entry::from_the_database).then(|| cursor.opaque())
            }
            _ => None,
        }
    }

    /// `request.args.to_dict()`, `dict(request.GET)`: the client's data as
    /// one mapping (the `mapping` models), whose keys the client chose.
    pub(super) fn client_mapping(&self, call: &ExprCall, name: &str, method: Option<&str>) -> Option<Value> {
        if !models::is_mapping(name, method, |m| self.names.imports(m)) {
            return None;
        }
        let data = match call.func.as_ref() {
            Expr::Attribute(a) => self.eval(&a.value),
            _ => self.eval(call.arguments.args.first()?),
        };
        data.as_mapping(method.unwrap_or(name))
    }

    /// `d.get(k, default)`, `lst.pop(i)`, a config parser's `get(section,
    /// key)`: the element at a constant key, when the container's are known.
    pub(super) fn element_by_method(&self, method: &str, receiver: &Value, call: &ExprCall) -> Option<Value> {
        let items = receiver.items.as_deref()?;
        let args: Vec<Value> = call.arguments.args.iter().map(|a| self.eval(a)).collect();
        let config = receiver.made_by.as_deref().is_some_and(|m| m.starts_with("configparser."));
        let (key, default) = match (method, args.as_slice()) {
            // By a key the walk does not know: one of the items, or the default.
            ("get", [key, rest @ ..]) if !config && key.known.is_none() && rest.len() < 2 => {
                return fold::any_item(items).map(|any| any.either(rest.first().cloned().unwrap_or_default()));
            }
            ("get", [section, key, ..]) if config => (section_key(section, key)?, call.arguments.find_keyword("fallback").map(|k| self.eval(&k.value))),
            ("get", [key]) if !config => (key.known.clone()?, None),
            ("get", [key, default]) if !config => (key.known.clone()?, Some(default.clone())),
            ("pop", []) => {
                return match items {
                    Items::List(values) => values.last().cloned(),
                    Items::Dict(_) => None,
                };
            }
            ("pop", [key]) => (key.known.clone()?, None),
            _ => return None,
        };
        // The walk knows every element of a container it has items for.
        Some(fold::lookup(items, &key).or(default).unwrap_or_default())
    }
}

impl Scope<'_> {
    /// `"a/b".split("/")` on a constant; `x.replace("'", "&apos;")`, which
    /// escapes the quotes of what it is called on; `x.replace("\n", "")`,
    /// which leaves it one line.
    pub(super) fn on_known_text(&self, method: &str, receiver: &Value, call: &ExprCall) -> Option<Value> {
        if !matches!(method, "split" | "replace") {
            return None;
        }
        let args: Vec<Option<Const>> = call.arguments.args.iter().map(|a| self.eval(a).known).collect();
        match (method, receiver.known.as_ref(), args.as_slice()) {
            ("split", Some(Const::Str(text)), []) => Some(parts(text.split_whitespace())),
            ("split", Some(Const::Str(text)), [Some(Const::Str(sep))]) if !sep.is_empty() => Some(parts(text.split(sep.as_str()))),
            ("replace", None, [Some(Const::Str(quote)), Some(Const::Str(with))]) if matches!(quote.as_str(), "'" | "\"") && !with.contains(quote.as_str()) => {
                Some(receiver.clone().read_at(call).escaped(Escaped::Quotes))
            }
            // A log line forged through a line break needs the break.
            ("replace", None, [Some(Const::Str(brk)), Some(Const::Str(with))]) if matches!(brk.as_str(), "\n" | "\r\n") && !with.contains('\n') => {
                Some(receiver.clone().read_at(call).escaped(Escaped::Lines))
            }
            _ => None,
        }
    }
}

fn parts<'t>(parts: impl Iterator<Item = &'t str>) -> Value {
    Value::container(Items::List(parts.map(Value::constant).collect()))
}

/// A config parser's element key: section and option.
pub(super) fn section_key(section: &Value, key: &Value) -> Option<Const> {
    match (&section.known, &key.known) {
        (Some(Const::Str(s)), Some(Const::Str(k))) => Some(Const::Str(format!("{s}\u{1}{k}"))),
        _ => None,
    }
}
