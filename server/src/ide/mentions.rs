//! Places that name something without being a reference the graph sees:
//! strings (`getattr(obj, "name")`, `__all__ = ["name"]`,
//! `mock.patch("pkg.mod.name")`) and keyword arguments (`f(name=1)`).
//! Rename edits the ones it can tie to its target and refuses to run past
//! the ones it cannot.

use ruff_python_ast::token::TokenKind;
use ruff_python_ast::visitor::{self, Visitor};
use ruff_python_ast::{self as ast, Expr, Stmt};
use ruff_text_size::Ranged;

use super::parsed_files::ParsedFiles;
use crate::graph::{FileId, Span};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Mention {
    /// The attribute-name argument of `getattr` (in each of its spellings:
    /// `object.__getattribute__`, `attrgetter`, …), `hasattr`, `setattr`,
    /// `delattr` or `mock.patch.object`, or a key of a namespace
    /// (`vars(m)["x"]`, `m.__dict__["x"]`, `patch.dict(vars(m), {"x": 1})`):
    /// which object's attribute is unknown. `written` is how messages show
    /// it: as the user wrote it, a call's other arguments elided. `object`
    /// is the last name of the object when it is a name or a dotted chain
    /// (`old` in `getattr(old, "x")`, `Loader` in `vars(Loader)["x"]`).
    AttributeString { written: String, span: Span, object: Option<Span> },
    /// An entry of the module's `__all__`.
    DunderAll { span: Span },
    /// A string holding the target's dotted path.
    DottedPath { span: Span },
    /// `name=` in a call; `callee` is the span of the callee's last name.
    KeywordArgument { span: Span, callee: Span },
    /// A doctest line (`>>> name(3)`) in a string: code the graph does not
    /// read, which runs as a test.
    Doctest { span: Span },
    /// A string calling `name(` outside doctest lines: an example in a
    /// docstring (`docstring`, a string that is a statement of its own) or
    /// in prose, which nothing runs.
    Example { span: Span, docstring: bool },
    /// A string, not a docstring, that reads whole as Python calling
    /// `name(` (`EXPR = "f(1, 2)"`): code for `eval` or `exec`.
    Code { span: Span },
}

/// The callees (spans of their last names, as [`Mention::KeywordArgument`]
/// has them) of the calls in `file` that unpack a mapping into keyword
/// arguments (`f(**options)`).
pub(super) fn unpacking_keywords(parsed: &ParsedFiles, file: FileId, text: &str) -> Vec<Span> {
    if !text.contains("**") {
        return Vec::new();
    }
    struct Calls(Vec<Span>);
    impl<'a> Visitor<'a> for Calls {
        fn visit_expr(&mut self, expr: &'a Expr) {
            if let Expr::Call(call) = expr
                && call.arguments.keywords.iter().any(|k| k.arg.is_none())
            {
                match &*call.func {
                    Expr::Name(n) => self.0.push(Span::from(n.range())),
                    Expr::Attribute(a) => self.0.push(Span::from(a.attr.range())),
                    _ => {}
                }
            }
            visitor::walk_expr(self, expr);
        }
    }
    let mut calls = Calls(Vec::new());
    calls.visit_body(&parsed.get(file).syntax().body);
    calls.0
}

/// Functions given an object and one of its attributes' names to set or
/// patch: `monkeypatch.setattr(m, "x", 1)`, `mock.patch.object(m, "x")`
/// (the lookups, `getattr(m, "x")` and its other spellings, are
/// [`super::lookup_spellings`]'s).
const ATTRIBUTE_FUNCTIONS: [&str; 3] = ["setattr", "delattr", "object"];

/// The mentions of `name` in `text` (and strings equal to one of `dotted`,
/// the target's qualified name and the paths modules re-export it by). Spans of strings cover their contents only.
pub fn scan(text: &str, name: &str, dotted: &[String]) -> Vec<Mention> {
    // Most files never spell the name: skip parsing them.
    if !text.contains(name) {
        return Vec::new();
    }
    let parsed = ruff_python_parser::parse_unchecked_source(text, ast::PySourceType::Python);
    scan_tree(&parsed.syntax().body, text, name, dotted)
}

/// [`scan`] of a workspace file, parsed once for all of a rename's checks.
pub(super) fn scan_file(parsed: &ParsedFiles, file: FileId, text: &str, name: &str, dotted: &[String]) -> Vec<Mention> {
    if !text.contains(name) {
        return Vec::new();
    }
    scan_tree(&parsed.get(file).syntax().body, text, name, dotted)
}

fn scan_tree(body: &[Stmt], text: &str, name: &str, dotted: &[String]) -> Vec<Mention> {
    let mut scanner = Scanner { text, name, dotted, found: Vec::new(), depth: 0, statements: Vec::new() };
    scanner.visit_body(body);
    scanner.found
}

struct Scanner<'n> {
    text: &'n str,
    name: &'n str,
    dotted: &'n [String],
    found: Vec<Mention>,
    /// How deep in function and class bodies (`__all__` counts at 0).
    depth: u32,
    /// Where the strings that are statements of their own (docstrings) start.
    statements: Vec<u32>,
}

impl Scanner<'_> {
    /// The content span of a single-part string literal equal to `value`.
    fn string_equal(&self, expr: &Expr, value: &str) -> Option<Span> {
        let Expr::StringLiteral(literal) = expr else { return None };
        let [part] = literal.value.as_slice() else { return None };
        (&*part.value == value).then(|| part.content_range().into())
    }

    fn all_entries(&mut self, value: &Expr) {
        for element in elements(value) {
            if let Some(span) = self.string_equal(element, self.name) {
                self.found.push(Mention::DunderAll { span });
            }
        }
    }
}

/// Whether a doctest line of `text` (`>>> ` or `... `) spells `name` as a
/// whole word.
fn names_in_doctest(text: &str, name: &str) -> bool {
    doctest_lines(text).any(|code| whole_word_ends(code, name).next().is_some())
}

/// The span of the first doctest line (in a string of `text`) spelling
/// every one of `words` as a whole word (`>>> from app.util import f`
/// for `["util", "f"]`): code the graph does not read, which runs as a test.
pub fn doctest_spelling(text: &str, words: &[&str]) -> Option<Span> {
    let first = words.first()?;
    scan(text, first, &[]).into_iter().find_map(|mention| match mention {
        Mention::Doctest { span } => {
            // The `>>>` line itself, not the docstring's first line.
            let literal = text.get(span.range())?;
            let mut start = span.start;
            literal.split_inclusive('\n').find_map(|line| {
                let at = start;
                start += line.len() as u32;
                let code = without_comment(doctest_lines(line).next()?);
                let spells = words.iter().all(|w| whole_word_ends(code, w).next().is_some());
                spells.then(|| Span::new(at + (line.len() - line.trim_start().len()) as u32, at + line.trim_end().len() as u32))
            })
        }
        _ => None,
    })
}

/// A doctest line's code without its comment (`>>> # a parallel sum`):
/// prose, not code. A line that does not parse alone (a `... ` line inside
/// a string) is kept whole, as its `#` may be a string's.
fn without_comment(code: &str) -> &str {
    let parsed = ruff_python_parser::parse_unchecked_source(code, ast::PySourceType::Python);
    match parsed.tokens().iter().find(|t| t.kind() == TokenKind::Comment) {
        Some(comment) if parsed.errors().is_empty() => code.get(..comment.start().to_usize()).unwrap_or(code),
        _ => code,
    }
}

/// Whether a line of `text` other than a doctest's calls `name(`.
fn calls_in_prose(text: &str, name: &str) -> bool {
    text.lines().filter(|line| doctest_lines(line).next().is_none()).any(|line| whole_word_ends(line, name).any(|end| line[end..].starts_with('(')))
}

/// Whether `text` calls `name` as an attribute (`loop.changed(item)`), as
/// template code does amid `{% %}` tags, which no Python parser reads: a
/// method called by its name at run time, not prose.
fn calls_as_attribute(text: &str, name: &str) -> bool {
    let receiver_end = |c: char| c.is_alphanumeric() || c == '_' || c == ')' || c == ']';
    whole_word_ends(text, name).any(|end| text[end..].starts_with('(') && text[..end - name.len()].strip_suffix('.').is_some_and(|b| b.ends_with(receiver_end)))
}

/// The code of the doctest lines (`>>> ` and `... `) of `text`.
pub fn doctest_lines(text: &str) -> impl Iterator<Item = &str> {
    text.lines().map(str::trim_start).filter_map(|line| line.strip_prefix(">>> ").or_else(|| line.strip_prefix("... ")))
}

/// Where `code` spells `name` as a whole word (no letter, digit or `_`
/// around it): the byte offset after each.
pub fn whole_word_ends<'a>(code: &'a str, name: &'a str) -> impl Iterator<Item = usize> + 'a {
    code.match_indices(name)
        .map(move |(at, _)| at + name.len())
        .filter(move |&end| !code[..end - name.len()].ends_with(is_word_char) && !code[end..].starts_with(is_word_char))
}

/// Whether `c` may be part of a word [`whole_word_ends`] finds.
pub fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// The span of the last name of a name or dotted chain of names.
fn chain_end(expr: &Expr) -> Option<Span> {
    match expr {
        Expr::Name(n) => Some(Span::from(n.range())),
        Expr::Attribute(a) => chain_end(&a.value).map(|_| Span::from(a.attr.range())),
        _ => None,
    }
}

/// The entries of a list or tuple display, else the value itself (`__all__
/// = ["a"]`, `__slots__ = ("a",)`, `__slots__ = "a"`).
fn elements(value: &Expr) -> &[Expr] {
    match value {
        Expr::List(list) => &list.elts,
        Expr::Tuple(tuple) => &tuple.elts,
        other => std::slice::from_ref(other),
    }
}

fn is_dunder_all(expr: &Expr) -> bool {
    matches!(expr, Expr::Name(n) if n.id.as_str() == "__all__")
}

impl<'a> Visitor<'a> for Scanner<'_> {
    fn visit_stmt(&mut self, stmt: &'a Stmt) {
        if let Stmt::Expr(expression) = stmt
            && expression.value.is_string_literal_expr()
        {
            self.statements.push(expression.start().to_u32());
        }
        match stmt {
            Stmt::Assign(assign) if self.depth == 0 && assign.targets.iter().any(is_dunder_all) => self.all_entries(&assign.value),
            Stmt::AugAssign(assign) if self.depth == 0 && is_dunder_all(&assign.target) => self.all_entries(&assign.value),
            // `__slots__ = ("x",)`: the instance attribute by name, which a
            // rename of `self.x` would leave behind.
            Stmt::Assign(assign) if assign.targets.iter().any(|t| matches!(t, Expr::Name(n) if n.id.as_str() == "__slots__")) => {
                let spans: Vec<Span> = elements(&assign.value).iter().filter_map(|element| self.string_equal(element, self.name)).collect();
                for span in spans {
                    let written = format!("__slots__ = (\"{}\", …)", self.name);
                    self.found.push(Mention::AttributeString { written, span, object: None });
                }
            }
            Stmt::AnnAssign(assign) if self.depth == 0 && is_dunder_all(&assign.target) => {
                if let Some(value) = &assign.value {
                    self.all_entries(value);
                }
            }
            _ => {}
        }
        let nested = matches!(stmt, Stmt::FunctionDef(_) | Stmt::ClassDef(_));
        self.depth += u32::from(nested);
        visitor::walk_stmt(self, stmt);
        self.depth -= u32::from(nested);
    }

    fn visit_expr(&mut self, expr: &'a Expr) {
        if let Some(span) = self.dotted.iter().find_map(|dotted| self.string_equal(expr, dotted)) {
            self.found.push(Mention::DottedPath { span });
        }
        if let Expr::StringLiteral(literal) = expr {
            if literal.value.iter().any(|part| names_in_doctest(&part.value, self.name)) {
                self.found.push(Mention::Doctest { span: literal.range().into() });
            }
            if literal.value.iter().any(|part| calls_in_prose(&part.value, self.name)) {
                let span = literal.range().into();
                let docstring = self.statements.contains(&literal.start().to_u32());
                let value = literal.value.to_str();
                let code = !docstring && (ruff_python_parser::parse_module(value).is_ok() || calls_as_attribute(value, self.name));
                self.found.push(if code { Mention::Code { span } } else { Mention::Example { span, docstring } });
            }
        }
        // `eval("speed + 1")`: code in a string, whatever it does with the name.
        if let Expr::Call(call) = expr
            && matches!(&*call.func, Expr::Name(n) if matches!(n.id.as_str(), "eval" | "exec" | "compile"))
            && let Some(Expr::StringLiteral(literal)) = call.arguments.args.first()
            && literal.value.iter().any(|part| whole_word_ends(&part.value, self.name).next().is_some())
        {
            self.found.push(Mention::Code { span: literal.range().into() });
        }
        // `vars(m)["x"]`, `m.__dict__["x"]`: the attribute by name too.
        if let Expr::Subscript(subscript) = expr
            && let Some(span) = self.string_equal(&subscript.slice, self.name)
        {
            let namespace = match &*subscript.value {
                Expr::Call(call) => matches!(&*call.func, Expr::Name(n) if matches!(n.id.as_str(), "vars" | "globals"))
                    .then(|| ("vars(…)", call.arguments.args.first().and_then(chain_end))),
                Expr::Attribute(a) => (a.attr.as_str() == "__dict__").then(|| ("….__dict__", chain_end(&a.value))),
                _ => None,
            };
            if let Some((namespace, object)) = namespace {
                // As written when it fits on a line (`m.__dict__["_N"]`).
                let source = &self.text[subscript.range().to_std_range()];
                let written = if source.contains('\n') { format!("{namespace}[\"{}\"]", self.name) } else { source.to_owned() };
                self.found.push(Mention::AttributeString { written, span, object });
            }
        }
        // `getattr(m, "x")`, `object.__getattribute__(m, "x")`, `attrgetter("x")`.
        if let Some(lookup) = super::lookup_spellings::by_name(expr).filter(|l| l.function.is_some())
            && let Some(span) = self.string_equal(lookup.key, self.name)
        {
            let object = lookup.object.and_then(chain_end);
            self.found.push(Mention::AttributeString { written: lookup.written(self.name), span, object });
        }
        if let Expr::Call(call) = expr {
            // `mock.patch.dict(vars(m), {"x": 1})`.
            let patches_dict = matches!(&*call.func, Expr::Attribute(a) if a.attr.as_str() == "dict");
            if let Some(Expr::Dict(dict)) = call.arguments.args.get(1).filter(|_| patches_dict) {
                for key in dict.items.iter().filter_map(|item| item.key.as_ref()) {
                    if let Some(span) = self.string_equal(key, self.name) {
                        let written = format!("patch.dict(…, {{\"{}\": …}})", self.name);
                        self.found.push(Mention::AttributeString { written, span, object: None });
                    }
                }
            }
            let callee_name = match &*call.func {
                Expr::Name(n) => Some((n.id.as_str(), Span::from(n.range()))),
                Expr::Attribute(a) => Some((a.attr.as_str(), Span::from(a.attr.range()))),
                _ => None,
            };
            if let Some((callee, callee_span)) = callee_name {
                if ATTRIBUTE_FUNCTIONS.contains(&callee)
                    && let Some(span) = call.arguments.args.get(1).and_then(|a| self.string_equal(a, self.name))
                {
                    let callee = if callee == "object" { "patch.object" } else { callee };
                    let rest = if matches!(callee, "setattr" | "patch.object") && call.arguments.args.len() > 2 { ", …" } else { "" };
                    let written = format!("{callee}(…, \"{}\"{rest})", self.name);
                    let object = call.arguments.args.first().and_then(chain_end);
                    self.found.push(Mention::AttributeString { written, span, object });
                }
                let all_call = matches!(&*call.func, Expr::Attribute(a) if is_dunder_all(&a.value) && matches!(a.attr.as_str(), "extend" | "append"));
                if all_call && self.depth == 0 {
                    for argument in &call.arguments.args {
                        self.all_entries(argument);
                    }
                }
                for keyword in &call.arguments.keywords {
                    if let Some(arg) = keyword.arg.as_ref().filter(|arg| arg.as_str() == self.name) {
                        self.found.push(Mention::KeywordArgument { span: arg.range().into(), callee: callee_span });
                    }
                }
            }
        }
        visitor::walk_expr(self, expr);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text_of(text: &str, span: Span) -> &str {
        &text[span.range()]
    }

    #[test]
    fn finds_strings_and_keywords_that_name_the_target() {
        let text = r#"
__all__ = ["total", "other"]
__all__ += ("total",)
__all__.extend(["total"])

def f(cart):
    __all__ = ["total"]
    getattr(cart, "total")
    setattr(cart, 'total', 1)
    patch("shop.cart.total")
    compute(total=1, totals=2)
    print("total")
    print("see total(cart) and\n>>> total(cart)")
"#;
        let found = scan(text, "total", &["shop.cart.total".to_owned()]);
        let kinds: Vec<String> = found
            .iter()
            .map(|m| match m {
                Mention::AttributeString { written, span, .. } => format!("{written}:{}", text_of(text, *span)),
                Mention::DunderAll { span } => format!("all:{}", text_of(text, *span)),
                Mention::DottedPath { span } => format!("path:{}", text_of(text, *span)),
                Mention::KeywordArgument { span, callee } => format!("kw:{}@{}", text_of(text, *span), text_of(text, *callee)),
                Mention::Doctest { span } => format!("doctest:{}", text_of(text, *span)),
                Mention::Example { span, .. } => format!("example:{}", text_of(text, *span)),
                Mention::Code { span } => format!("code:{}", text_of(text, *span)),
            })
            .collect();
        assert_eq!(
            kinds,
            [
                "all:total",
                "all:total",
                "all:total",
                r#"getattr(…, "total"):total"#,
                r#"setattr(…, "total", …):total"#,
                "path:shop.cart.total",
                "kw:total@compute",
                r#"doctest:"see total(cart) and\n>>> total(cart)""#,
                r#"example:"see total(cart) and\n>>> total(cart)""#
            ]
        );
    }

    #[test]
    fn a_template_calling_the_name_as_a_method_is_code() {
        // Tester 24 case 05: `{% %}` tags are no Python, the call in `{{ }}` is made by `getattr`.
        let kinds = |text: &str| scan(text, "changed", &[]).iter().map(|m| matches!(m, Mention::Code { .. })).collect::<Vec<_>>();
        assert_eq!(kinds("T = \"{% for item in seq %}{{ loop.changed(item) }}{% endfor %}\"\n"), [true]);
        // Must stay: prose calling the bare name, and a docstring, are examples.
        assert_eq!(kinds("T = \"{% if x %}see changed(item){% endif %}\"\n"), [false]);
        assert_eq!(kinds("def f():\n    \"\"\"Use {% loop.changed(x) %}.\"\"\"\n"), [false]);
    }

    #[test]
    fn files_without_the_name_are_not_parsed() {
        assert_eq!(scan("def (((", "total", &[]), []);
    }
}

/// The ends of the names that the `def` statements of `body` (at any
/// depth) define.
pub(super) fn def_name_ends(body: &[Stmt]) -> Vec<usize> {
    struct Defs(Vec<usize>);
    impl<'a> Visitor<'a> for Defs {
        fn visit_stmt(&mut self, stmt: &'a Stmt) {
            if let Stmt::FunctionDef(def) = stmt {
                self.0.push(def.name.range().end().to_usize());
            }
            visitor::walk_stmt(self, stmt);
        }
    }
    let mut defs = Defs(Vec::new());
    defs.visit_body(body);
    defs.0
}
