//! Strings that spell a renamed definition's name as data: a registry key
//! (`run("helper")`, `relationship("User")`), an attribute list
//! (`__match_args__`, `Meta.fields`, `attrgetter("price")`), a mapping key
//! (`asdict(p)["x"]`), a format field (`"{0.price}"`, `"%(VERSION)s"`), a
//! `Literal["Node"]` value. What reads them is out of the graph's sight, so
//! one conservative rule stands for all the idioms: such a string anywhere
//! in the workspace that the rename does not edit itself refuses it. Only
//! strings standing as statements (docstrings) are let be.
//!
//! Also here: the name a functional form takes as its own
//! (`T = TypeVar("T")`), renamed with its binding; and a class name built
//! into another name (`getattr(self, f"_process_{type(x).__name__}")`),
//! which refuses a class rename where the built name can be one the
//! workspace spells (`_process_where` for `Where`, under the old name or
//! the new), or where what it is built with is not all literal text.

use ruff_python_ast::visitor::{self, Visitor};
use ruff_python_ast::{Expr, InterpolatedStringElement, Operator, Stmt};
use ruff_text_size::Ranged;

use super::occurrences::Target;
use super::parsed_files::ParsedFiles;
use crate::graph::explain::place;
use crate::graph::{FileId, Graph, Location, Resolved, Span, SymbolId, SymbolKind};

/// Calls that take the name they bind as their first argument.
const FUNCTIONAL_FORMS: &[&str] = &["TypeVar", "ParamSpec", "TypeVarTuple", "NewType", "NamedTuple", "namedtuple", "TypedDict", "TypeAliasType"];

fn symbol_of(graph: &Graph, target: &Target) -> Option<SymbolId> {
    target.denotes.iter().find_map(|d| match d {
        Resolved::Symbol(id) if graph.symbol(*id).is_some_and(|s| s.kind != SymbolKind::Module) => Some(*id),
        _ => None,
    })
}

/// The name string of the functional form the target is bound to
/// (`"T"` in `T = TypeVar("T")`), which must be renamed with it.
pub(super) fn functional_names(graph: &Graph, parsed: &ParsedFiles, target: &Target) -> Vec<(FileId, Span)> {
    let Some(location) = symbol_of(graph, target).and_then(|id| graph.location(id)) else { return Vec::new() };
    let mut forms = Forms { binding: location.span, name: &target.name, found: None };
    forms.visit_body(&parsed.get(location.file).syntax().body);
    forms.found.map(|span| vec![(location.file, span)]).unwrap_or_default()
}

struct Forms<'n> {
    binding: Span,
    name: &'n str,
    found: Option<Span>,
}

impl<'a> Visitor<'a> for Forms<'_> {
    fn visit_stmt(&mut self, stmt: &'a Stmt) {
        if let Stmt::Assign(assign) = stmt
            && let [Expr::Name(bound)] = assign.targets.as_slice()
            && Span::from(bound.range()) == self.binding
            && let Expr::Call(call) = &*assign.value
            && FUNCTIONAL_FORMS.contains(&callee_name(&call.func))
            && let Some(Expr::StringLiteral(literal)) = call.arguments.args.first()
            && let [part] = literal.value.as_slice()
            && &*part.value == self.name
        {
            self.found = Some(part.content_range().into());
        }
        visitor::walk_stmt(self, stmt);
    }
}

pub(super) fn callee_name(func: &Expr) -> &str {
    match func {
        Expr::Name(name) => name.id.as_str(),
        Expr::Attribute(attribute) => attribute.attr.as_str(),
        _ => "",
    }
}

/// Refuses when a workspace string spells the target's name as data and
/// `edited` (the strings the rename edits) does not cover it; for a class,
/// also when the workspace builds a name out of a class's `__name__` that
/// may be this class's under its name or `new_name`.
pub(super) fn check(graph: &Graph, parsed: &ParsedFiles, target: &Target, new_name: &str, edited: &[(FileId, Span)]) -> Result<(), String> {
    let Some(symbol) = symbol_of(graph, target).and_then(|id| graph.symbol(id)) else { return Ok(()) };
    let is_class = symbol.kind == SymbolKind::Class;
    let name = target.name.as_str();
    // For a class: a string spelling its name among other words, and a
    // place printing some class's `__name__` (a repr, a message).
    let (mut printed_string, mut name_read) = (None, None);
    let (mut keyed, mut folded) = (None, None);
    let readers = super::notebook_readers::Readers::of(graph, target);
    for (file, entry) in graph.files() {
        if graph.is_library_path(&entry.path) || !readers.may_read(file, entry) {
            continue;
        }
        let spells = entry.text().contains(name);
        let builds = is_class && entry.text().contains("__name__");
        // In another case: a lookup of a registry keyed by `__name__.lower()`.
        let folds = || {
            let lowered = entry.text().to_ascii_lowercase();
            [name, new_name].iter().any(|n| lowered.contains(&n.to_ascii_lowercase()))
        };
        if !spells && !builds && !(is_class && folds()) {
            continue;
        }
        let folded_names = [name.to_ascii_lowercase(), new_name.to_ascii_lowercase()];
        let mut strings =
            Strings { name, found: Vec::new(), worded: Vec::new(), built: Vec::new(), name_read: None, keyed: None, folded_names, folded: Vec::new() };
        strings.visit_body(&parsed.get(file).syntax().body);
        let covered = |span: &Span| edited.iter().any(|&(f, e)| f == file && span.start <= e.start && e.end <= span.end);
        if is_class {
            keyed = keyed.or(strings.keyed.map(|span| Location { file, span }));
            folded = folded.or(strings.folded.first().map(|span| Location { file, span: *span }));
            printed_string = printed_string.or_else(|| strings.worded.iter().find(|span| !covered(span)).map(|span| Location { file, span: *span }));
            name_read = name_read.or(strings.name_read.map(|span| Location { file, span }));
        }
        if let Some(span) = strings.found.iter().find(|span| !covered(span)) {
            let at = place(graph, &Location { file, span: *span });
            return Err(format!(
                "the string at {at} spells `{name}`, which code may read as the name (a key, an attribute or field list, a format field, a `Literal` value) and which would keep the old name"
            ));
        }
        if !is_class {
            continue;
        }
        for (span, joined) in strings.built {
            let at = place(graph, &Location { file, span });
            let reached = match joined {
                None => None,
                Some((before, after, whole)) => {
                    match [name, new_name].into_iter().find_map(|class| spelled_anywhere(graph, &format!("{before}{class}{after}"), whole)) {
                        Some(spelled) => Some(spelled),
                        None => continue,
                    }
                }
            };
            let why = match reached {
                Some(spelled) => format!("which may be `{spelled}`"),
                None => "joined with text not known before it runs".to_owned(),
            };
            return Err(format!(
                "{at} builds a name out of a class's `__name__` ({why}), which code may look up (`getattr(self, f\"_process_{{type(x).__name__}}\")`): renaming the class `{name}` would change what it finds"
            ));
        }
    }
    if let (Some(keyed), Some(folded)) = (keyed, folded) {
        return Err(format!(
            "{} keys a registry by a class's `__name__`, and the string at {} spells `{name}` or `{new_name}` in another case, which may be a lookup of that registry: renaming the class `{name}` would change what it finds",
            place(graph, &keyed),
            place(graph, &folded)
        ));
    }
    // A test comparing a repr built from `type(self).__name__` with text
    // spelling the class (sqlparse's `test_pprint`) fails once the class
    // is renamed: refuse when both are in the workspace.
    if let (Some(string), Some(read)) = (printed_string, name_read) {
        let (string, read) = (place(graph, &string), place(graph, &read));
        return Err(format!(
            "the string at {string} spells `{name}` and {read} prints a class's `__name__` (a repr, a message), so the string may be expected output that would keep the old name"
        ));
    }
    Ok(())
}

/// The first spelling of `built` (ignoring case: the built name is often
/// lowered, `.lower()`) in a workspace file, as written there: as a whole
/// word when `whole`, else inside one (a part of a longer name).
fn spelled_anywhere(graph: &Graph, built: &str, whole: bool) -> Option<String> {
    let lowered = built.to_ascii_lowercase();
    graph.files().filter(|(_, entry)| !graph.is_library_path(&entry.path)).find_map(|(_, entry)| {
        let text = entry.text().to_ascii_lowercase();
        let end = match whole {
            true => super::mentions::whole_word_ends(&text, &lowered).next()?,
            false => text.find(&lowered)? + lowered.len(),
        };
        entry.text().get(end - lowered.len()..end).map(str::to_owned)
    })
}

struct Strings<'n> {
    name: &'n str,
    /// Strings (their ranges) spelling the name, whole or as a format field.
    found: Vec<Span>,
    /// Strings spelling the name as a word among others (`"Identifier 'a'"`).
    worded: Vec<Span>,
    /// The f-strings and `+` joining identifier text to a class's
    /// `__name__`, each with the literal text before and after the name
    /// where nothing else is joined to it (else `None`), and whether that
    /// is the whole name (an f-string) or may be a part of a longer one.
    built: Vec<(Span, Option<(String, String, bool)>)>,
    /// The first read of a class's `__name__`.
    name_read: Option<Span>,
    /// The first registry keyed by a class's `__name__` itself.
    keyed: Option<Span>,
    /// Strings spelling the old or the new name (lower-cased, in `folded_names`)
    /// in another case, which such a registry's lookups may be.
    folded_names: [String; 2],
    folded: Vec<Span>,
}

impl Strings<'_> {
    fn string(&mut self, value: &str, span: Span) {
        // `"-created"`: a sort order (Django's `ordering`), read back as
        // the name by stripping the sign.
        let signed = value.strip_prefix(['-', '+']).is_some_and(|rest| rest == self.name);
        if value == self.name || signed || format_fields(value).any(|field| field == self.name) {
            self.found.push(span);
        } else if self.folded_names.iter().any(|n| value.eq_ignore_ascii_case(n)) {
            self.folded.push(span);
        } else if super::mentions::whole_word_ends(value, self.name).next().is_some() {
            self.worded.push(span);
        }
    }
}

impl<'a> Visitor<'a> for Strings<'_> {
    fn visit_stmt(&mut self, stmt: &'a Stmt) {
        // A string standing as a statement is a docstring: prose.
        if let Stmt::Expr(expression) = stmt
            && matches!(&*expression.value, Expr::StringLiteral(_) | Expr::FString(_))
        {
            return;
        }
        visitor::walk_stmt(self, stmt);
    }

    fn visit_expr(&mut self, expr: &'a Expr) {
        if self.name_read.is_none() && class_name_read(expr) {
            self.name_read = Some(expr.range().into());
        }
        match expr {
            Expr::StringLiteral(literal) => {
                let span = match literal.value.as_slice() {
                    [part] => part.content_range().into(),
                    _ => literal.range().into(),
                };
                self.string(literal.value.to_str(), span);
            }
            Expr::FString(fstring) => {
                let (mut before, mut after) = (String::new(), String::new());
                let (mut class_names, mut others) = (0, 0);
                for element in fstring.value.elements() {
                    match element {
                        InterpolatedStringElement::Literal(part) => {
                            self.string(&part.value, part.range().into());
                            let side = if class_names == 0 { &mut before } else { &mut after };
                            side.push_str(&part.value);
                        }
                        InterpolatedStringElement::Interpolation(field) if class_name_read(&field.expression) => class_names += 1,
                        InterpolatedStringElement::Interpolation(_) => others += 1,
                    }
                }
                if class_names > 0 && builds_identifier(&format!("{before}{after}")) {
                    let known = (class_names == 1 && others == 0).then_some((before, after, true));
                    self.built.push((expr.range().into(), known));
                }
            }
            // A part of a longer sum is found inside the whole:
            // `"_do_" + type(x).__name__ + "_now"` holds `_do_Where`.
            Expr::BinOp(binop) if binop.op == Operator::Add => {
                let literal = |side: &Expr| if let Expr::StringLiteral(s) = side { Some(s.value.to_str().to_owned()) } else { None };
                let joined = match (&*binop.left, &*binop.right) {
                    (left, right) if class_name_read(right) => literal(left).map(|text| (text, String::new())),
                    (left, right) if class_name_read(left) => literal(right).map(|text| (String::new(), text)),
                    _ => None,
                };
                if let Some((before, after)) = joined.filter(|(before, after)| builds_identifier(&format!("{before}{after}"))) {
                    self.built.push((expr.range().into(), Some((before, after, false))));
                }
            }
            // `"_do_%s" % type(x).__name__` and `"_do_{}".format(…)`: the
            // whole name when the one field is the class's name, else
            // joined with values not known before it runs.
            Expr::BinOp(binop) if binop.op == Operator::Mod => {
                if let Expr::StringLiteral(format) = &*binop.left {
                    self.formatted(expr, format.value.to_str(), "%s", std::slice::from_ref(&*binop.right));
                }
            }
            Expr::Call(call) if callee_name(&call.func) == "format" => {
                if let Expr::Attribute(attribute) = &*call.func
                    && let Expr::StringLiteral(format) = &*attribute.value
                {
                    self.formatted(expr, format.value.to_str(), "{}", &call.arguments.args);
                }
            }
            // `attrgetter("cost.amount")`: each part of the dotted path is
            // an attribute read by name.
            Expr::Call(call) if callee_name(&call.func) == "attrgetter" => {
                for argument in &call.arguments.args {
                    if let Expr::StringLiteral(path) = argument
                        && path.value.to_str().split('.').any(|part| part == self.name)
                    {
                        self.found.push(path.range().into());
                    }
                }
            }
            // `REGISTRY[cls.__name__.lower()] = cls`: a key that is the
            // class's name itself, maybe lowered.
            Expr::Subscript(subscript) if subscript.ctx.is_store() && class_name_or_folded(&subscript.slice) => {
                self.keyed.get_or_insert(expr.range().into());
            }
            _ => {}
        }
        visitor::walk_expr(self, expr);
    }
}

impl Strings<'_> {
    /// A format string filled with `values`, one of which is a class's
    /// `__name__`.
    fn formatted(&mut self, expr: &Expr, format: &str, field: &str, values: &[Expr]) {
        let values: Vec<&Expr> = match values {
            [Expr::Tuple(tuple)] => tuple.elts.iter().collect(),
            values => values.iter().collect(),
        };
        // Text a name cannot hold (`"<%s x=%r>"`, `"%s(%r)"`, a repr)
        // builds no name to look up; a dotted path (`.`, `:`) may be one.
        let names = outside_fields(format, field).chars().all(|c| c == '_' || c.is_alphanumeric() || ".:".contains(c));
        if !names || !values.iter().any(|v| class_name_read(v)) {
            return;
        }
        let known = match (values.as_slice(), format.split_once(field)) {
            ([_], Some((before, after))) if !after.contains(field) && builds_identifier(&format!("{before}{after}")) => {
                Some((before.to_owned(), after.to_owned(), true))
            }
            _ => None,
        };
        self.built.push((expr.range().into(), known));
    }
}

/// The literal text of a format string, its fields (`%(key)-5s`, `%r`,
/// `{0!r:>4}`) left out and escapes (`%%`, `{{`) read as the character.
fn outside_fields(format: &str, field: &str) -> String {
    let mut text = String::new();
    let mut chars = format.chars().peekable();
    while let Some(c) = chars.next() {
        match (field, c) {
            ("%s", '%') if chars.peek() == Some(&'%') => text.extend(chars.next()),
            ("%s", '%') => {
                if chars.peek() == Some(&'(') {
                    chars.by_ref().find(|&c| c == ')');
                }
                // Flags, width, precision and length run up to the conversion letter.
                chars.by_ref().find(|c| c.is_ascii_alphabetic() && !matches!(c, 'h' | 'l' | 'L'));
            }
            ("{}", '{' | '}') if chars.peek() == Some(&c) => text.extend(chars.next()),
            ("{}", '{') => {
                let mut depth = 1;
                for c in chars.by_ref() {
                    depth += match c {
                        '{' => 1,
                        '}' => -1,
                        _ => 0,
                    };
                    if depth == 0 {
                        break;
                    }
                }
            }
            _ => text.push(c),
        }
    }
    text
}

/// A class's `__name__`, or it lowered (`.lower()`, `.upper()`, `.casefold()`).
fn class_name_or_folded(expr: &Expr) -> bool {
    match expr {
        Expr::Call(call) => match &*call.func {
            Expr::Attribute(a) if matches!(a.attr.as_str(), "lower" | "upper" | "casefold") => class_name_read(&a.value),
            _ => false,
        },
        other => class_name_read(other),
    }
}

/// Whether literal text joined to a name makes an identifier (`_process_`),
/// not prose or a repr (`"("`, `" at "`).
fn builds_identifier(text: &str) -> bool {
    !text.is_empty() && text.chars().all(|c| c == '_' || c.is_alphanumeric())
}

/// `type(x).__name__`, `x.__class__.__name__` or `cls.__name__`.
fn class_name_read(expr: &Expr) -> bool {
    let Expr::Attribute(attribute) = expr else { return false };
    if attribute.attr.as_str() != "__name__" {
        return false;
    }
    match &*attribute.value {
        Expr::Call(call) => callee_name(&call.func) == "type",
        Expr::Attribute(inner) => inner.attr.as_str() == "__class__",
        Expr::Name(name) => matches!(name.id.as_str(), "cls" | "klass" | "mcs"),
        _ => false,
    }
}

/// The names a format string reads: each part of `{0.price}`,
/// `{i.price}`, `{a[b]}` and the key of `%(price)s`.
fn format_fields(text: &str) -> impl Iterator<Item = &str> {
    let braces = text.split('{').skip(1).filter_map(|after| {
        let field = after.split('}').next()?;
        Some(field.split(['!', ':']).next().unwrap_or_default())
    });
    let percents = text.split("%(").skip(1).filter_map(|after| after.split(')').next());
    braces.chain(percents).flat_map(|field| field.split(['.', '[', ']'])).filter(|part| !part.is_empty())
}
