//! Extract variable: the selected expression bound to a new name on a line
//! of its own before the statement it is in, and the selection replaced by
//! the name.
//!
//! Never a wrong edit: the expression now runs before the rest of its
//! statement, so the extraction is refused wherever that could change what
//! the program does: an expression evaluated repeatedly, conditionally or
//! later (a `while` test, an `elif` test, a branch of `x if c else y`, the
//! right of `and`/`or`, a lambda, a comprehension past its first iterable
//! (the first is evaluated before the element written ahead of it),
//! a `with` item after the first, an `except` type, a
//! `match` case, an `assert`, which `python -O` skips, an f-string's
//! `{x=}`), one evaluated when a `def` or `class` is (decorators,
//! defaults, annotations, bases), an assignment target or a part of one a
//! plain or annotated assignment evaluates after its value (an augmented
//! one evaluates its target's parts first: `d[«i + 1»] += 2`), an expression of a
//! class body (the name would become a class attribute), and one with
//! anything in its statement evaluated before it but literals, the
//! name of the function its call is an argument of and the parameters of
//! its function that nothing may unbind or rebind meanwhile (a call before it
//! could change what it reads, a read before it could see what it
//! changes, an exception before it would no longer be the one raised).
//! Also refused in a function that sees its variables by name (`locals()`,
//! `vars()`, `eval`: the new one would show). At module level the new name
//! is private (`_value`), so `from m import *` does not pick it up; a
//! public name given is refused unless `__all__` keeps it out
//! ([`super::new_names`]).

use std::ops::Range;

use ruff_python_ast::visitor::source_order::{self, SourceOrderVisitor, TraversalSignal};
use ruff_python_ast::{AnyNodeRef, Expr, ExprContext, PySourceType};
use ruff_text_size::{Ranged, TextRange};

use super::edits::Replacement;
use crate::graph::Span;

/// The refusal of a selection that is not one whole expression (nothing
/// to offer, rather than something refused).
pub const NOT_AN_EXPRESSION: &str = "the selection is not one whole expression";

/// The extraction: the replacements of the file's text, and the new name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Extraction {
    pub replacements: Vec<Replacement>,
    pub name: String,
}

/// Extracts the expression `selection` (byte offsets; surrounding spaces
/// and one pair of parentheses allowed) of `text` into a variable named
/// `name`, or one derived from the expression that the file does not use.
pub fn extract_variable(text: &str, source: PySourceType, selection: Range<usize>, name: Option<&str>) -> Result<Extraction, String> {
    let selection = trimmed(text, selection).ok_or(NOT_AN_EXPRESSION)?;
    let parsed = super::ipython_escapes::parse(text, source.is_ipynb()).map_err(|()| "the file has syntax errors; fix them first".to_owned())?;
    let body = &parsed.syntax().body;
    let chain = [Some(selection), unparenthesized(text, &selection)].into_iter().flatten().find_map(|range| chain_to(body, range)).ok_or(NOT_AN_EXPRESSION)?;
    let expression = *chain.last().ok_or(NOT_AN_EXPRESSION)?;
    let statement_at = chain.iter().rposition(|n| n.is_statement()).ok_or("the selection is not in a statement")?;
    let statement = chain[statement_at];
    if matches!(statement, AnyNodeRef::StmtExpr(s) if s.value.range() == expression.range()) {
        return Err("the selection is a whole statement: there is nothing to name".to_owned());
    }
    let scope = chain[..statement_at].iter().rev().find(|n| matches!(n, AnyNodeRef::StmtFunctionDef(_) | AnyNodeRef::StmtClassDef(_)));
    if scope.is_some_and(|n| matches!(n, AnyNodeRef::StmtClassDef(_))) {
        return Err("it is in a class body: the new name would become an attribute of the class".to_owned());
    }
    let module_level = scope.is_none();
    if let Some(call) = super::extract_function_escapes::function_reads_variables_by_name(body, &chain[..statement_at]) {
        return Err(format!("its function calls `{call}()`, which would see the new variable by name"));
    }
    let mut steady = steady_parameters(body, &chain[..statement_at], statement.range(), selection);
    steady.extend(module_functions(text, body, &chain[statement_at..]));
    let moved = moved_with(&chain[statement_at..], selection.start().to_usize(), &steady);
    if let Some(Moved::Within(why)) = moved {
        return Err(format!("it {why}: run before the statement, it could do something else"));
    }
    if let Some(why) = unbindable(expression) {
        return Err(why.to_owned());
    }
    if let Some(Moved::After(first)) = moved {
        // `self.equal(len(x), 2)`: the method is looked up first, and
        // nothing shows that running the selection before cannot rebind it.
        let method =
            chain[statement_at..].iter().any(|n| matches!(n, AnyNodeRef::ExprCall(c) if c.func.is_attribute_expr() && c.func.range().to_std_range() == first));
        if method {
            return Err(format!(
                "the method `{0}` is looked up before it in the statement: run first, `{1}` could rebind what `{0}` finds (an attribute set on the object), and the lookup may run code of its own (`__getattr__`, a property)",
                &text[first],
                &text[expression.range()]
            ));
        }
        return Err(format!("`{}` is evaluated before it in the statement: run first, it could see or leave other values", &text[first]));
    }
    let start = statement.start().to_usize();
    let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
    let indent = &text[line_start..start];
    let continued = text[..line_start].trim_end_matches(['\n', '\r']).ends_with('\\');
    if !indent.chars().all(|c| c == ' ' || c == '\t') || continued {
        return Err("its statement shares a line with another; put it on a line of its own first".to_owned());
    }
    let name = match name {
        Some(name) => match super::new_names::refused_name(body, text, name, module_level) {
            Some(why) => return Err(why),
            None => name.to_owned(),
        },
        // At module level a new public name would reach `from m import *`.
        None => fresh_name(text, expression, module_level),
    };
    let code = &text[expression.range()];
    let needs_parentheses =
        code.contains('\n') || matches!(expression, AnyNodeRef::ExprNamed(_)) || matches!(expression, AnyNodeRef::ExprGenerator(g) if !g.parenthesized);
    let value = if needs_parentheses { format!("({code})") } else { code.to_owned() };
    let newline = if text[start..].split('\n').next().is_some_and(|l| l.ends_with('\r')) { "\r\n" } else { "\n" };
    let replacements = vec![
        Replacement { span: Span::new(start as u32, start as u32), text: format!("{name} = {value}{newline}{indent}") },
        Replacement { span: grouped(text, &chain, selection), text: name.clone() },
    ];
    let candidate = super::edits::apply(text, &replacements);
    if super::ipython_escapes::parse(&candidate, source.is_ipynb()).is_err() {
        return Err("the extracted code would not parse; refused".to_owned());
    }
    if source.is_ipynb() {
        super::ipython_escapes::guard(text, &replacements)?;
    }
    Ok(Extraction { replacements, name })
}

/// What the name (or extract function's call) replaces: the selection,
/// with the parentheses around it when they only group it as an operand
/// (`a * (b + 1)` becomes `a * value`), not a call's or a tuple's.
pub(super) fn grouped(text: &str, chain: &[AnyNodeRef], selection: TextRange) -> Span {
    let same = Span::from(selection);
    let [.., parent, expression] = chain else { return same };
    let is = |e: &Expr| e.range() == expression.range();
    let operand = match parent {
        AnyNodeRef::ExprBinOp(_) | AnyNodeRef::ExprUnaryOp(_) | AnyNodeRef::ExprBoolOp(_) | AnyNodeRef::ExprCompare(_) | AnyNodeRef::ExprAwait(_) => true,
        AnyNodeRef::ExprAttribute(a) => is(&a.value),
        AnyNodeRef::ExprSubscript(s) => is(&s.value),
        AnyNodeRef::ExprCall(c) => is(&c.func),
        _ => false,
    };
    let before = text[..selection.start().to_usize()].trim_end_matches([' ', '\t']);
    let after = text[selection.end().to_usize()..].trim_start_matches([' ', '\t']);
    let word = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '_');
    let (Some(open), Some(rest)) = (before.strip_suffix('('), after.strip_prefix(')')) else { return same };
    // `not(x)`: the name would join the word before it.
    if !operand || word(open.chars().next_back()) || word(rest.chars().next()) {
        return same;
    }
    Span::new(open.len() as u32, (text.len() - rest.len()) as u32)
}

/// The selection without the spaces around it.
pub(super) fn trimmed(text: &str, selection: Range<usize>) -> Option<TextRange> {
    let selected = text.get(selection.clone())?;
    let start = selection.start + (selected.len() - selected.trim_start().len());
    let end = selection.end - (selected.len() - selected.trim_end().len());
    (start < end).then(|| TextRange::new((start as u32).into(), (end as u32).into()))
}

/// The inside of a selection written `( ... )`, without its spaces.
pub(super) fn unparenthesized(text: &str, selection: &TextRange) -> Option<TextRange> {
    let selected = &text[selection.to_std_range()];
    let inner = selected.strip_prefix('(')?.strip_suffix(')')?;
    let start = selection.start().to_usize() + 1;
    trimmed(text, start..start + inner.len())
}

/// The nodes from the module down to the expression whose range is
/// exactly `range`, or `None` when no expression has that range.
pub(super) fn chain_to(body: &[ruff_python_ast::Stmt], range: TextRange) -> Option<Vec<AnyNodeRef<'_>>> {
    let mut finder = Chain { selection: range, nodes: Vec::new() };
    finder.visit_body(body);
    // A string's one part has the string's range: the expression is the outer node.
    let at = finder.nodes.iter().position(|n| n.is_expression() && n.range() == range)?;
    finder.nodes.truncate(at + 1);
    Some(finder.nodes)
}

/// Why an expression would do something else evaluated just before its
/// statement rather than where it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Moved {
    /// Where it is, it is evaluated at another time or another number of
    /// times (the reason).
    Within(&'static str),
    /// Its statement evaluates this (a byte range) before it.
    After(Range<usize>),
}

/// Whether the expression at the end of `chain` (which starts at its
/// innermost statement; the expression starts at byte `start`) is
/// evaluated first in its statement and once, as if just before it:
/// shared by extract variable (which moves it before the statement) and
/// inline variable (which moves an assigned value into it).
pub(super) fn moved(chain: &[AnyNodeRef], start: usize) -> Option<Moved> {
    moved_with(chain, start, &[])
}

/// [`moved`], with the names at `inert` (byte ranges) evaluated before it
/// known to neither see nor change what it does (inline function: the
/// parameters of the arguments before it in the call).
pub(super) fn moved_with(chain: &[AnyNodeRef], start: usize, inert: &[TextRange]) -> Option<Moved> {
    let last = chain.len().saturating_sub(2);
    if let Some(why) = chain.windows(2).enumerate().find_map(|(at, pair)| moved_evaluation(pair[0], pair[1], at == last)) {
        return Some(Moved::Within(why));
    }
    let statement = *chain.first()?;
    let callees = chain
        .iter()
        .filter_map(|n| match n {
            AnyNodeRef::ExprCall(call) if call.func.is_name_expr() => Some(call.func.range()),
            _ => None,
        })
        .chain(inert.iter().copied())
        .collect();
    let targets_after = !matches!(statement, AnyNodeRef::StmtAugAssign(_));
    let mut earlier = Earlier { before: start, callees, targets_after, later: Vec::new(), found: None };
    source_order::walk_node(&mut earlier, statement);
    earlier.found.map(Moved::After)
}

/// The reads in `statement` of the parameters of the function around it
/// (`chain`, from the module down), and of the locals assigned before it
/// (an augmented assignment's target read too), that the `selection` can neither
/// change nor be changed by: read in the function's own scope, never
/// deleted nor declared `nonlocal` in it, not bound in the selection
/// (`x` in `pair(x, y + 1)`; a parameter is always bound).
fn steady_parameters(body: &[ruff_python_ast::Stmt], chain: &[AnyNodeRef], statement: TextRange, selection: TextRange) -> Vec<TextRange> {
    let Some(def) = chain.iter().rev().find_map(|n| match n {
        AnyNodeRef::StmtFunctionDef(def) => Some(def),
        _ => None,
    }) else {
        return Vec::new();
    };
    let events = super::name_events::NameEvents::of(body, TextRange::up_to(body.last().map_or(ruff_text_size::TextSize::default(), Ranged::end)));
    let Some(scope) = events.scopes.iter().position(|s| s.kind == super::name_events::ScopeKind::Function && s.range == def.range) else {
        return Vec::new();
    };
    // The names the patterns of the `case`s around it capture: bound, as
    // a parameter is, in the body a match runs.
    let mut captured = Vec::new();
    for node in chain.iter().skip_while(|n| n.range() != def.range) {
        if let AnyNodeRef::MatchCase(case) = node
            && case.body.iter().any(|s| s.range().contains_range(statement))
        {
            captures(&case.pattern, &mut captured);
        }
    }
    def.parameters
        .iter()
        .map(|p| p.name().as_str())
        .chain(captured)
        .chain(assigned_before(def, statement))
        .filter(|&name| {
            events.named(name).all(|e| {
                let changes = matches!(e.kind, super::name_events::EventKind::Delete | super::name_events::EventKind::Declare);
                !(def.range.contains_range(e.range) && changes) && !(selection.contains_range(e.range) && e.kind != super::name_events::EventKind::Read)
            })
        })
        .flat_map(|name| {
            events.named(name).filter(|e| {
                matches!(e.kind, super::name_events::EventKind::Read | super::name_events::EventKind::Augment)
                    && e.scope == scope
                    && statement.contains_range(e.range)
            })
        })
        .map(|e| e.range)
        .collect()
}

/// The names the function's own body assigns by plain assignment in
/// statements before the one holding `statement` (`base` in
/// `base = 1` / `return base + «f()»`): bound whenever `statement` runs,
/// as straight-line code reaches it only through them.
fn assigned_before(def: &ruff_python_ast::StmtFunctionDef, statement: TextRange) -> Vec<&str> {
    use ruff_python_ast::Stmt;
    fn names<'e>(target: &'e Expr, out: &mut Vec<&'e str>) {
        match target {
            Expr::Name(n) => out.push(n.id.as_str()),
            Expr::Tuple(t) => t.elts.iter().for_each(|e| names(e, out)),
            Expr::List(l) => l.elts.iter().for_each(|e| names(e, out)),
            _ => {}
        }
    }
    let mut out = Vec::new();
    for stmt in def.body.iter().take_while(|s| s.end() <= statement.start()) {
        match stmt {
            Stmt::Assign(a) => a.targets.iter().for_each(|t| names(t, &mut out)),
            Stmt::AnnAssign(a) if a.value.is_some() => names(&a.target, &mut out),
            Stmt::AugAssign(a) => names(&a.target, &mut out),
            _ => {}
        }
    }
    out
}

/// The callees around the selection that are a function of a module the
/// file imports (`re.compile`, `os.path.join`), with each part of their
/// chain: the module's name is bound by its top-level `import` alone,
/// and a module has no property nor `__getattr__` for an attribute it has,
/// so the lookup, run before the selection or after it, finds the same
/// function (as a plain function's name does), short of the selection
/// setting an attribute on the module itself.
fn module_functions(text: &str, body: &[ruff_python_ast::Stmt], chain: &[AnyNodeRef]) -> Vec<TextRange> {
    use ruff_python_ast::Stmt;
    let aliases = || {
        body.iter()
            .filter_map(|stmt| match stmt {
                Stmt::Import(import) => Some(import),
                _ => None,
            })
            .flat_map(|import| import.names.iter().map(move |alias| (alias, import.range)))
    };
    let imports: Vec<(&str, TextRange)> =
        aliases().map(|(alias, at)| (alias.asname.as_ref().unwrap_or(&alias.name).as_str().split('.').next().unwrap_or_default(), at)).collect();
    // The dotted names that are modules: `import a.b` binds `a` with `a.b`
    // (and `os` binds `os.path` itself); an attribute of another object
    // may be a property, or be rebound on it by the selection.
    let modules: Vec<&str> = aliases().filter(|(alias, _)| alias.asname.is_none()).map(|(alias, _)| alias.name.as_str()).chain(["os.path"]).collect();
    let whole = TextRange::up_to(body.last().map_or(ruff_text_size::TextSize::default(), Ranged::end));
    let events = super::name_events::NameEvents::of(body, whole);
    let only_imported = |name: &str| {
        imports.iter().any(|(imported, _)| *imported == name)
            && events
                .named(name)
                .all(|e| e.kind == super::name_events::EventKind::Read || imports.iter().any(|(imported, at)| *imported == name && at.contains_range(e.range)))
    };
    let mut found = Vec::new();
    for node in chain {
        let AnyNodeRef::ExprCall(call) = node else { continue };
        let mut parts = Vec::new();
        let mut part = &*call.func;
        while let Expr::Attribute(a) = part {
            parts.push(part.range());
            part = &a.value;
        }
        // `a.b` of `import a.b.c` is a module too.
        let module = |range: &TextRange| {
            text.get(range.to_std_range())
                .is_some_and(|written| modules.iter().any(|m| m.strip_prefix(written).is_some_and(|rest| rest.is_empty() || rest.starts_with('.'))))
        };
        if let Expr::Name(root) = part
            && !parts.is_empty()
            && only_imported(root.id.as_str())
            && parts[1..].iter().all(module)
        {
            found.extend(parts);
            found.push(root.range);
        }
    }
    found
}

/// The names `pattern` binds when it matches (an or-pattern's
/// alternatives all bind the same).
fn captures<'p>(pattern: &'p ruff_python_ast::Pattern, out: &mut Vec<&'p str>) {
    use ruff_python_ast::Pattern;
    match pattern {
        Pattern::MatchAs(p) => {
            out.extend(p.name.as_ref().map(|n| n.as_str()));
            if let Some(inner) = &p.pattern {
                captures(inner, out);
            }
        }
        Pattern::MatchStar(p) => out.extend(p.name.as_ref().map(|n| n.as_str())),
        Pattern::MatchSequence(p) => p.patterns.iter().for_each(|p| captures(p, out)),
        Pattern::MatchMapping(p) => {
            p.patterns.iter().for_each(|p| captures(p, out));
            out.extend(p.rest.as_ref().map(|n| n.as_str()));
        }
        Pattern::MatchClass(p) => {
            p.arguments.patterns.iter().for_each(|p| captures(p, out));
            p.arguments.keywords.iter().for_each(|k| captures(&k.pattern, out));
        }
        Pattern::MatchOr(p) => {
            if let Some(first) = p.patterns.first() {
                captures(first, out);
            }
        }
        Pattern::MatchValue(_) | Pattern::MatchSingleton(_) => {}
    }
}

/// Why `child` would be evaluated otherwise if it ran before the
/// statement, as a part of `parent`; `selected` when `child` is the
/// expression itself rather than one around it.
fn moved_evaluation(parent: AnyNodeRef, child: AnyNodeRef, selected: bool) -> Option<&'static str> {
    let is = |expr: &Expr| expr.range() == child.range();
    match parent {
        AnyNodeRef::StmtWhile(_) => Some("is a `while` test, evaluated at every turn"),
        AnyNodeRef::ElifElseClause(_) => Some("is an `elif` test, evaluated only when the tests before it fail"),
        AnyNodeRef::StmtFunctionDef(_) | AnyNodeRef::StmtClassDef(_) => {
            Some("is evaluated when the `def` or `class` is (a decorator, default, annotation or base)")
        }
        AnyNodeRef::StmtFor(s) if is(&s.target) => Some("is the `for` loop's target"),
        AnyNodeRef::StmtWith(s) if s.items.first().is_none_or(|i| i.range() != child.range()) => {
            Some("is a `with` item after the first, evaluated inside the first")
        }
        AnyNodeRef::WithItem(i) if i.optional_vars.as_deref().is_some_and(is) => Some("is the target of `as`"),
        AnyNodeRef::StmtAssign(s) if s.targets.iter().any(is) && selected => Some("is an assignment target"),
        AnyNodeRef::StmtAssign(s) if s.targets.iter().any(is) => Some("is in an assignment target, evaluated after the value"),
        // `d[«i + 1»] += 2` evaluates `d`, then the index, once, before the
        // value: as the new line would (what runs before it is checked below).
        AnyNodeRef::StmtAugAssign(s) if is(&s.target) && selected => Some("is an assignment target"),
        AnyNodeRef::StmtAnnAssign(s) if is(&s.target) && !selected => Some("is in an annotated target, evaluated after the value"),
        AnyNodeRef::StmtAnnAssign(s) if is(&s.target) || is(&s.annotation) => Some("is an annotated target"),
        AnyNodeRef::StmtAssert(_) => Some("is in an `assert`, which `python -O` does not run"),
        AnyNodeRef::InterpolatedElement(e) if super::f_string_debug::printed(e).is_some_and(|p| p.contains_range(child.range())) => {
            Some("is in an f-string's `{...=}`, which prints the expression's own text")
        }
        AnyNodeRef::StmtDelete(_) => Some("is deleted"),
        AnyNodeRef::StmtTypeAlias(_) => Some("is a type alias, evaluated lazily"),
        AnyNodeRef::StmtMatch(s) if !is(&s.subject) => Some("is in a `case`, evaluated only when the cases before it fail"),
        AnyNodeRef::StmtTry(_) => Some("is an `except` type, evaluated only when an exception is raised"),
        AnyNodeRef::ExprLambda(_) => Some("is in a lambda, evaluated when it is called"),
        AnyNodeRef::ExprBoolOp(b) if b.values.first().is_none_or(|v| !is(v)) => Some("is evaluated only when the `and`/`or` before it does not decide"),
        // `a < b < c`: `c` only when `a < b` holds.
        AnyNodeRef::ExprCompare(c) if c.comparators.iter().skip(1).any(is) => Some("is compared only when the comparisons before it in the chain hold"),
        AnyNodeRef::ExprIf(e) if !is(&e.test) => Some("is a branch of a conditional expression, evaluated only when it is taken"),
        AnyNodeRef::ExprNamed(n) if is(&n.target) => Some("is the target of `:=`"),
        AnyNodeRef::ExprListComp(_) | AnyNodeRef::ExprSetComp(_) | AnyNodeRef::ExprDictComp(_) | AnyNodeRef::ExprGenerator(_) => {
            let first = match parent {
                AnyNodeRef::ExprListComp(c) => c.generators.first(),
                AnyNodeRef::ExprSetComp(c) => c.generators.first(),
                AnyNodeRef::ExprDictComp(c) => c.generators.first(),
                AnyNodeRef::ExprGenerator(c) => c.generators.first(),
                _ => None,
            };
            (first.map(Ranged::range) != Some(child.range())).then_some("is in a comprehension, evaluated for each item")
        }
        AnyNodeRef::Comprehension(c) if !is(&c.iter) => Some("is in a comprehension, evaluated for each item"),
        _ => None,
    }
}

/// Why the expression itself cannot be bound to a name.
pub(super) fn unbindable(expression: AnyNodeRef) -> Option<&'static str> {
    match expression {
        AnyNodeRef::ExprStarred(_) => Some("`*value` is not an expression of its own; select what follows the star"),
        AnyNodeRef::ExprSlice(_) => Some("a slice is not an expression of its own; select the whole subscript"),
        _ => None,
    }
}

/// The nodes from the module down to the innermost node that holds the
/// selection.
struct Chain<'a> {
    selection: TextRange,
    nodes: Vec<AnyNodeRef<'a>>,
}

impl<'a> SourceOrderVisitor<'a> for Chain<'a> {
    fn enter_node(&mut self, node: AnyNodeRef<'a>) -> TraversalSignal {
        if node.range().contains_range(self.selection) {
            self.nodes.push(node);
            TraversalSignal::Traverse
        } else {
            TraversalSignal::Skip
        }
    }
}

/// The first thing a statement evaluates before `before` that the
/// extracted expression, run first, could change or be changed by (or
/// whose exception it could pre-empt): anything but literals, operators
/// and containers over them, and the names of the functions whose call
/// holds the selection (`round` in `round(x * 2, 2)`). Lambda bodies run
/// later, if at all.
struct Earlier {
    before: usize,
    /// The callee names of the calls around the selection.
    callees: Vec<TextRange>,
    /// Assignment targets are bound after the value is evaluated (but an
    /// augmented assignment reads its target first).
    targets_after: bool,
    /// Parts written before the selection but evaluated after it: the
    /// element and first target of a comprehension whose first iterable
    /// holds it, the first branch of a conditional whose condition does.
    later: Vec<TextRange>,
    found: Option<Range<usize>>,
}

impl<'a> SourceOrderVisitor<'a> for Earlier {
    fn enter_node(&mut self, node: AnyNodeRef<'a>) -> TraversalSignal {
        if self.found.is_some() || node.start().to_usize() >= self.before || matches!(node, AnyNodeRef::ExprLambda(_)) {
            return TraversalSignal::Skip;
        }
        // Around the selection: evaluated after it; its earlier parts are visited.
        if node.end().to_usize() > self.before {
            self.later.extend(evaluated_after_first_iterable(node));
            // `self.items: set[int] = value`: an annotation is evaluated after
            // the value (module and class level) or never (in a function).
            if let AnyNodeRef::StmtAnnAssign(a) = node {
                self.later.push(a.annotation.range());
            }
            // `list() if «c» else y`: the condition is evaluated first, the
            // branch written before it only after it.
            if let AnyNodeRef::ExprIf(e) = node
                && e.test.range().to_std_range().contains(&self.before)
            {
                self.later.push(e.body.range());
            }
            return TraversalSignal::Traverse;
        }
        if self.later.iter().any(|later| later.contains_range(node.range())) {
            return TraversalSignal::Skip;
        }
        let stored = match node {
            AnyNodeRef::ExprName(e) => e.ctx == ExprContext::Store,
            AnyNodeRef::ExprAttribute(e) => e.ctx == ExprContext::Store,
            AnyNodeRef::ExprSubscript(e) => e.ctx == ExprContext::Store,
            AnyNodeRef::ExprTuple(e) => e.ctx == ExprContext::Store,
            AnyNodeRef::ExprList(e) => e.ctx == ExprContext::Store,
            AnyNodeRef::ExprStarred(e) => e.ctx == ExprContext::Store,
            _ => false,
        };
        if self.targets_after && stored {
            return TraversalSignal::Skip;
        }
        let inert = match node {
            AnyNodeRef::ExprName(_) => self.callees.contains(&node.range()),
            AnyNodeRef::ExprNumberLiteral(_)
            | AnyNodeRef::ExprStringLiteral(_)
            | AnyNodeRef::ExprBytesLiteral(_)
            | AnyNodeRef::ExprBooleanLiteral(_)
            | AnyNodeRef::ExprNoneLiteral(_)
            | AnyNodeRef::ExprEllipsisLiteral(_)
            | AnyNodeRef::ExprTuple(_)
            | AnyNodeRef::ExprList(_)
            | AnyNodeRef::ExprSet(_)
            | AnyNodeRef::ExprDict(_)
            | AnyNodeRef::ExprBinOp(_)
            | AnyNodeRef::ExprUnaryOp(_)
            | AnyNodeRef::ExprBoolOp(_)
            | AnyNodeRef::ExprCompare(_) => true,
            // `"{}: {}".format`: a `str` or `bytes` has no attribute to rebind and no `__getattr__`.
            AnyNodeRef::ExprAttribute(a) => self.callees.contains(&node.range()) || matches!(&*a.value, Expr::StringLiteral(_) | Expr::BytesLiteral(_)),
            other => !other.is_expression(),
        };
        if inert {
            TraversalSignal::Traverse
        } else {
            self.found = Some(node.range().to_std_range());
            TraversalSignal::Skip
        }
    }
}

/// What a comprehension writes before its first iterable but evaluates
/// after it, in a scope of its own: its element and the first `for`'s
/// target (`x * 2` and `x` in `[x * 2 for x in xs.copy()]`).
fn evaluated_after_first_iterable(node: AnyNodeRef) -> Vec<TextRange> {
    let (elements, generators) = match node {
        AnyNodeRef::ExprListComp(c) => (vec![c.elt.range()], &c.generators),
        AnyNodeRef::ExprSetComp(c) => (vec![c.elt.range()], &c.generators),
        AnyNodeRef::ExprGenerator(c) => (vec![c.elt.range()], &c.generators),
        AnyNodeRef::ExprDictComp(c) => (c.key.iter().map(|k| k.range()).chain([c.value.range()]).collect(), &c.generators),
        _ => return Vec::new(),
    };
    elements.into_iter().chain(generators.first().map(|g| g.target.range())).collect()
}

/// A name for the expression that the file does not spell: the called
/// function's or the attribute's (`get_total()` gives `total`), else
/// `value`, numbered until free.
fn fresh_name(text: &str, expression: AnyNodeRef, private: bool) -> String {
    let from = match expression {
        AnyNodeRef::ExprCall(call) => match &*call.func {
            Expr::Name(n) => Some(n.id.as_str()),
            Expr::Attribute(a) => Some(a.attr.as_str()),
            _ => None,
        },
        AnyNodeRef::ExprAttribute(a) => Some(a.attr.as_str()),
        _ => None,
    };
    let prefix = if private { "_" } else { "" };
    let derived =
        from.map(|n| format!("{prefix}{}", n.strip_prefix("get_").unwrap_or(n).trim_start_matches('_'))).filter(|n| is_identifier(n) && !spells(text, n));
    if let Some(name) = derived {
        return name;
    }
    std::iter::once(format!("{prefix}value")).chain((2..).map(|i| format!("{prefix}value_{i}"))).find(|n| !spells(text, n)).unwrap_or_default()
}

/// Whether `text` spells `name` as a whole word anywhere (code, strings
/// and comments alike: a conservative test that the name is free).
pub(super) fn spells(text: &str, name: &str) -> bool {
    super::mentions::whole_word_ends(text, name).next().is_some()
}

pub(super) fn is_identifier(name: &str) -> bool {
    ruff_python_stdlib::identifiers::is_identifier(name) && !ruff_python_stdlib::keyword::is_keyword(name)
}

#[cfg(test)]
#[path = "extract_variable_tests.rs"]
mod tests;
