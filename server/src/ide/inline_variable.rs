//! Inline variable: a variable assigned once with `=` (a function's local,
//! or a module's variable no other module reads) has each read replaced by
//! the assigned expression, parenthesised where precedence needs it, and
//! its assignment removed.
//!
//! Never a wrong edit: the expression now runs where each read was, so the
//! inlining is refused wherever that could change what the program does.
//! The variable must be bound nowhere else in its scope (reassigned,
//! augmented, deleted, bound in a loop, declared `global`/`nonlocal`), read
//! only after the assignment and only where the assignment has surely run
//! (the statements after it in its own block). What the expression may be
//! depends on what it can see and do:
//! - names, literals and operators over them (pure): any number of reads,
//!   in nested functions too, as long as no name it reads is bound again
//!   after the assignment and no nested scope around a read binds one; an
//!   operator over names (`a + b`, `x in seen`) reads what the objects
//!   hold, so nothing between the assignment and a read may be given one
//!   of them (`seen.add(x)`, `f(a)`, `a[0] = 1`);
//! - attribute and item reads, f-strings, names of other scopes (they read
//!   state): reads in the same scope with nothing between the assignment
//!   and each read (to the end of a loop around the read) that could change
//!   state (a call, a store into an object, an `await`, …);
//! - anything else (a call, a new list, a lambda: it has effects or makes
//!   a new object): exactly one read, in the statement right after the
//!   assignment, evaluated there first and once (as extract variable
//!   requires of what it moves, [`super::extract_variable::moved`]).
//!
//! A module's variable must be private (`_name`: a public one may be
//! imported by code outside the workspace), and not listed in `__all__`,
//! read by another module (by the graph's references), or named in
//! strings the graph cannot follow (`getattr(m, "_name")`,
//! `mock.patch("m._name")`). The reads the graph's resolver sees
//! in the file must all be reads the inlining replaces.

use ruff_python_ast::visitor::source_order::{SourceOrderVisitor, TraversalSignal};
use ruff_python_ast::visitor::{self, Visitor};
use ruff_python_ast::{AnyNodeRef, Expr, Stmt};
use ruff_text_size::{Ranged, TextRange, TextSize};
use rustc_hash::FxHashSet;

use super::edits::{Replacement, module_expressions, parenthesized};
use super::extract_function_escapes::function_reads_variables_by_name;
use super::extract_variable::{Moved, chain_to, moved};
use super::mentions::{self, Mention};
use super::name_events::{Event, EventKind, NameEvents, ScopeKind, blocks};
use super::occurrences::{self, Access};
use crate::graph::explain::{display_path, place};
use crate::graph::{FileId, Graph, Location, Span};
use crate::notebook::Notebook;

/// The refusal of a cursor that is not on a variable assigned with `=`
/// (nothing to offer, rather than something refused).
pub const NOT_A_VARIABLE: &str = "there is no variable assigned with `=` at the cursor";

/// An inlining (of a variable, or of a call): the replacements of the
/// file's text, and what it did, as a title (`Inline \`total\` (2 reads)`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Inlining {
    pub replacements: Vec<Replacement>,
    pub title: String,
    /// The edits of other files (inline function from its `def`).
    pub elsewhere: Vec<super::edits::FileEdits>,
}

/// What an expression can see and do, from the least to the most.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Reach {
    Pure,
    ReadsState,
    Effects,
}

/// Inlines the variable whose name (an assignment or a read) is at
/// `offset` of `file`.
pub fn inline_variable(graph: &Graph, file: FileId, offset: u32) -> Result<Inlining, String> {
    let entry = graph.file(file).ok_or(NOT_A_VARIABLE)?;
    let text: &str = entry.text();
    let parsed =
        super::ipython_escapes::parse(text, Notebook::is_notebook(&entry.path)).map_err(|()| "the file has syntax errors; fix them first".to_owned())?;
    let body = &parsed.syntax().body;
    let events = NameEvents::of(body, TextRange::up_to(TextSize::of(text)));
    let offset = TextSize::from(offset);
    let at = events.events.iter().find(|e| e.range.start() <= offset && offset <= e.range.end() && e.kind != EventKind::Declare).ok_or(NOT_A_VARIABLE)?;
    let name = at.name.as_str();
    let scope = home(&events, name, at.scope).ok_or(NOT_A_VARIABLE)?;
    // A place is named by file and line (a notebook's joined line, which
    // the editor's side shows as the cell's).
    let shown = display_path(graph, &entry.path);
    let line = |at: TextSize| format!("{shown}:{}", crate::line_ends::line_number(text, at.to_usize()));
    let binds: Vec<&Event> = events.named(name).filter(|e| !matches!(e.kind, EventKind::Read | EventKind::Declare) && e.scope == scope).collect();
    // The binding the cursor stands on is the one the user means: a
    // refusal names the other bindings, not the user's own line.
    let stands = (at.scope == scope && at.kind != EventKind::Read).then_some(at.range);
    let assignment = stands.and_then(|r| assignment_at(body, r)).or_else(|| binds.iter().find_map(|e| assignment_at(body, e.range)));
    let (statement, target, value) = assignment.ok_or(NOT_A_VARIABLE)?;
    if events.scopes[scope].kind == ScopeKind::Class {
        return Err(format!("`{name}` is an attribute of its class; inlining it would remove the attribute"));
    }
    let how = |other: &Event| match other.kind {
        EventKind::Augment => "augmented",
        EventKind::Delete => "deleted",
        _ if other.range.start() < target.start() => "also bound",
        _ => "bound again",
    };
    if let Some(&other) = binds.iter().find(|e| e.range != target && Some(e.range) != stands) {
        return Err(format!("`{name}` is {} at {}: it does not hold one value", how(other), line(other.range.start())));
    }
    if let Some(&own) = binds.iter().find(|e| e.range != target) {
        // The cursor is on a binding that is not an `=` (`n += 1`): the
        // other place is the assignment.
        return Err(format!("`{name}` is {} at the cursor and assigned at {}: it does not hold one value", how(own), line(target.start())));
    }
    if let Some(declared) = events.named(name).find(|e| e.kind == EventKind::Declare && events.within(e.scope, scope)) {
        return Err(format!("`{name}` is declared global or nonlocal at {}: other code may bind it", line(declared.range.start())));
    }
    if events.loops.iter().any(|l| l.contains_range(statement.range()) && events.scopes[scope].range.contains_range(*l)) {
        return Err(format!("`{name}` is assigned in a loop: each turn binds it again"));
    }
    // `"{x}".format(**locals())`, `eval("x")`: the function reads the
    // variable by name, which inlining takes away.
    if scope != 0 {
        let chain = chain_to(body, target).unwrap_or_default();
        if let Some(call) = function_reads_variables_by_name(body, &chain) {
            return Err(format!("its function calls `{call}()`, which may read `{name}` by name"));
        }
    }
    if scope == 0 && matches!(statement, Stmt::AnnAssign(_)) {
        return Err(format!("`{name}` is annotated at module level: its annotation is recorded in the module's `__annotations__`"));
    }
    let reads: Vec<&Event> = events.named(name).filter(|e| e.kind == EventKind::Read && home(&events, name, e.scope) == Some(scope)).collect();
    if let Some(early) = reads.iter().find(|r| r.range.start() < statement.end()) {
        return Err(format!("`{name}` is read at {} before it is assigned", line(early.range.start())));
    }
    if reads.is_empty() {
        return Err(format!("`{name}` is never read: there is nothing to inline"));
    }
    let (block, index) = enclosing_body(body, statement.range()).ok_or(NOT_A_VARIABLE)?;
    let after = block.get(index + 1).map_or(TextRange::empty(statement.end()), |next| TextRange::new(next.start(), block[block.len() - 1].end()));
    if let Some(outside) = reads.iter().find(|r| !after.contains_range(r.range)) {
        return Err(format!("`{name}` is read at {}, where its assignment may not have run", line(outside.range.start())));
    }
    if scope == 0 {
        exported(graph, file, name, target)?;
    }
    let read_spans: FxHashSet<Span> = reads.iter().map(|r| Span::from(r.range)).collect();
    if let Ok(resolved) = occurrences::target_at(graph, file, target.start().to_u32()) {
        let unseen = occurrences::in_file(graph, file, &resolved).into_iter().find(|o| o.access == Access::Read && !read_spans.contains(&o.span));
        if let Some(unseen) = unseen {
            return Err(format!("the graph resolves a read of `{name}` at {} that inlining would not replace", line(TextSize::from(unseen.span.start))));
        }
    }

    let code = &text[value.range()];
    let free: Vec<&Event> = events.events.iter().filter(|e| e.kind == EventKind::Read && value.range().contains_range(e.range)).collect();
    let mut reach = reach(value);
    if reach == Reach::Pure && scope != 0 && free.iter().any(|n| !events.named(&n.name).any(|b| b.scope == scope && b.kind != EventKind::Read)) {
        // A name of another scope may be bound again by any call.
        reach = Reach::ReadsState;
    }
    if reach != Reach::Effects {
        for n in &free {
            let rebound = events.named(&n.name).find(|b| {
                let bound =
                    matches!(b.kind, EventKind::Bind | EventKind::Augment | EventKind::Delete) && b.scope == scope && b.range.start() > statement.start();
                bound || (b.kind == EventKind::Declare && events.within(b.scope, scope))
            });
            if let Some(rebound) = rebound {
                return Err(format!(
                    "`{}`, which `{code}` reads, is bound again at {}: inlined, `{code}` could read another value",
                    n.name,
                    line(rebound.range.start())
                ));
            }
        }
    }
    if reach != Reach::Effects
        && reads.len() > 1
        && let Some(why) = super::computed_reads::runs_code(graph, value)
    {
        return Err(format!("`{name}` is read {} times, and `{code}` {why}: it would run {} times instead of once", reads.len(), reads.len()));
    }
    if reach == Reach::Effects && reads.len() > 1 {
        return Err(format!("`{name}` is read {} times: `{code}` would run {} times instead of once", reads.len(), reads.len()));
    }
    // `d[k]`, `a / b`, `o.x`: the value may raise, so it must still run
    // wherever the assignment ran, not only when a branch is taken.
    let raises = reach == Reach::ReadsState || reach == Reach::Pure && may_raise(value);
    // `a + b`, `x in seen`, `a or b`: an operator runs its operands'
    // methods, which read what the objects hold (a list's items, a set's
    // members); what is given one of them or an alias of one (`seen.add(x)`,
    // `f(a)`, `c = a; c.append(x)`) may change that. `a + b` makes a new
    // object each time: what is given the variable may change the one
    // object its reads share.
    let operates = reach == Reach::Pure && operates(value);
    let mut start: Vec<&str> = free.iter().map(|n| n.name.as_str()).collect();
    if operates && makes_object(value) {
        start.push(name);
    }
    let aliased = if operates { aliases(body, events.scopes[scope].range, statement.range(), &start) } else { FxHashSet::default() };
    let touches = |change: &TextRange| {
        reach == Reach::ReadsState || aliased.iter().any(|n| events.named(n).any(|r| r.kind == EventKind::Read && change.contains_range(r.range)))
    };
    for read in &reads {
        let at = line(read.range.start());
        if read.scope != scope {
            if reach != Reach::Pure || raises {
                return Err(format!(
                    "`{name}` is read at {at} in a nested function, lambda, class or comprehension: `{code}` would run there, at another time"
                ));
            }
            // `lambda: not a`: its operands' state when it is called, not now.
            let mut inner = Some(read.scope);
            while let Some(s) = inner.filter(|&s| s != scope && operates) {
                if matches!(events.scopes[s].kind, ScopeKind::Function | ScopeKind::Generator) {
                    return Err(format!(
                        "`{name}` is read at {at} in a function, lambda or generator that may run later: `{code}` would read what its operands hold then"
                    ));
                }
                inner = events.scopes[s].parent;
            }
            let mut inner = Some(read.scope);
            while let Some(s) = inner.filter(|&s| s != scope) {
                if let Some(shadow) = free.iter().find(|n| events.named(&n.name).any(|b| b.scope == s && b.kind != EventKind::Read)) {
                    return Err(format!("`{}` means something else at {at}, where `{name}` is read in a nested scope that binds it", shadow.name));
                }
                inner = events.scopes[s].parent;
            }
        }
        if raises || operates {
            let in_loop = events.loops.iter().filter(|l| l.contains_range(read.range) && !l.contains_range(statement.range())).map(|l| l.end()).max();
            let changes = events
                .effects
                .iter()
                .find(|e| e.start() >= statement.end() && in_loop.map_or(e.end() <= read.range.start(), |end| e.start() < end) && touches(e));
            if let Some(change) = changes {
                let shown: String = text[change.range()].lines().next().unwrap_or_default().chars().take(40).collect();
                return Err(format!("`{shown}` comes between the assignment and the read at {at}: it could change what `{code}` reads"));
            }
        }
        if raises {
            let chain = chain_to(body, read.range).ok_or(NOT_A_VARIABLE)?;
            let statement_at = chain.iter().rposition(|n| n.is_statement()).ok_or(NOT_A_VARIABLE)?;
            if !block.iter().any(|s| s.range() == chain[statement_at].range()) {
                return Err(format!("`{code}` may raise, and `{name}` is read at {at} in a block that may not run: the error would be raised only there"));
            }
            if let Some(Moved::Within(why)) = moved(&chain[statement_at..], read.range.start().to_usize()) {
                return Err(format!("`{code}` may raise, and the read of `{name}` at {at} {why}"));
            }
        }
        if reach == Reach::Effects {
            let chain = chain_to(body, read.range).ok_or(NOT_A_VARIABLE)?;
            let statement_at = chain.iter().rposition(|n| n.is_statement()).ok_or(NOT_A_VARIABLE)?;
            if block.get(index + 1).is_none_or(|next| next.range() != chain[statement_at].range()) {
                return Err(format!("`{name}` is read at {at}, not first in the statement right after the assignment: `{code}` would run at another point"));
            }
            match moved(&chain[statement_at..], read.range.start().to_usize()) {
                Some(Moved::Within(why)) => return Err(format!("the read of `{name}` at {at} {why}: `{code}` would run at another time")),
                Some(Moved::After(first)) => {
                    return Err(format!("`{}` is evaluated before the read of `{name}` at {at}: `{code}` would run after it", &text[first]));
                }
                None => {}
            }
        }
        if let Some(why) = in_f_string(body, read.range, code) {
            return Err(format!("`{name}` is read at {at} {why}"));
        }
    }
    let removal = removal(text, statement.range()).ok_or("its assignment shares a line with another statement; put it on a line of its own first")?;
    let replacements: Vec<Replacement> = std::iter::once(Replacement { span: removal, text: String::new() })
        .chain(reads.iter().map(|r| Replacement { span: Span::from(r.range), text: code.to_owned() }))
        .collect();
    let expressions: Vec<usize> = (1..replacements.len()).collect();
    let replacements = parenthesized(text, &replacements, &expressions, module_expressions)
        .ok_or_else(|| format!("`{code}` would not read as one expression where `{name}` is read; refused"))?;
    let shown = if reads.len() == 1 { "1 read".to_owned() } else { format!("{} reads", reads.len()) };
    Ok(Inlining { replacements, title: format!("Inline `{name}` ({shown})"), elsewhere: Vec::new() })
}

/// The scope whose variable `name` read or bound in scope `from` is:
/// the first scope out from `from` that binds it (a class body's names
/// are seen only by the class body itself).
pub(super) fn home(events: &NameEvents, name: &str, from: usize) -> Option<usize> {
    let mut scope = Some(from);
    while let Some(s) = scope {
        let binds = events.named(name).any(|e| e.scope == s && e.kind != EventKind::Read);
        if binds && (s == from || events.scopes[s].kind != ScopeKind::Class) {
            return Some(s);
        }
        scope = events.scopes[s].parent;
    }
    None
}

/// The statement `target = value` (or `target: T = value`) whose one
/// target is the name at `target`.
fn assignment_at(body: &[Stmt], target: TextRange) -> Option<(&Stmt, TextRange, &Expr)> {
    let (block, index) = enclosing_body_containing(body, target)?;
    let statement = &block[index];
    let value = match statement {
        Stmt::Assign(s) if s.targets.len() == 1 && s.targets[0].is_name_expr() && s.targets[0].range() == target => &*s.value,
        Stmt::AnnAssign(s) if s.target.is_name_expr() && s.target.range() == target => s.value.as_deref()?,
        _ => return None,
    };
    Some((statement, target, value))
}

/// The block holding the statement whose range is `range`, and its index.
fn enclosing_body(body: &[Stmt], range: TextRange) -> Option<(&[Stmt], usize)> {
    enclosing_body_containing(body, range).filter(|(block, index)| block[*index].range() == range)
}

/// The innermost block with a statement containing `range`, and that
/// statement's index.
fn enclosing_body_containing(body: &[Stmt], range: TextRange) -> Option<(&[Stmt], usize)> {
    let index = body.iter().position(|s| s.range().contains_range(range))?;
    blocks(&body[index]).into_iter().find_map(|block| enclosing_body_containing(block, range)).or(Some((body, index)))
}

/// What `value` can see and do ([`Reach`]).
pub(super) fn reach(value: &Expr) -> Reach {
    struct Widest(Reach);
    impl<'a> SourceOrderVisitor<'a> for Widest {
        fn enter_node(&mut self, node: AnyNodeRef<'a>) -> TraversalSignal {
            let reach = match node {
                AnyNodeRef::ExprName(_)
                | AnyNodeRef::ExprNumberLiteral(_)
                | AnyNodeRef::ExprStringLiteral(_)
                | AnyNodeRef::ExprBytesLiteral(_)
                | AnyNodeRef::ExprBooleanLiteral(_)
                | AnyNodeRef::ExprNoneLiteral(_)
                | AnyNodeRef::ExprEllipsisLiteral(_)
                | AnyNodeRef::ExprUnaryOp(_)
                | AnyNodeRef::ExprBinOp(_)
                | AnyNodeRef::ExprBoolOp(_)
                | AnyNodeRef::ExprCompare(_)
                | AnyNodeRef::ExprIf(_)
                | AnyNodeRef::ExprTuple(_) => Reach::Pure,
                AnyNodeRef::ExprAttribute(_) | AnyNodeRef::ExprSubscript(_) | AnyNodeRef::ExprSlice(_) | AnyNodeRef::ExprFString(_) => Reach::ReadsState,
                other if other.is_expression() => Reach::Effects,
                // The parts of literals and f-strings.
                _ => Reach::Pure,
            };
            self.0 = self.0.max(reach);
            TraversalSignal::Traverse
        }
    }
    let mut widest = Widest(Reach::Pure);
    widest.visit_expr(value);
    widest.0
}

/// Whether evaluating an expression [`reach`] calls pure may raise: an
/// operator on anything but literals runs the operand's method (`a / b`,
/// `a + b`); only names, literals and `not`/`and`/`or`/`if` over them
/// cannot.
fn may_raise(value: &Expr) -> bool {
    struct Raises(bool);
    impl<'a> SourceOrderVisitor<'a> for Raises {
        fn enter_node(&mut self, node: AnyNodeRef<'a>) -> TraversalSignal {
            let literal = |e: &Expr| e.is_literal_expr();
            self.0 |= match node {
                AnyNodeRef::ExprBinOp(op) => !(literal(&op.left) && literal(&op.right)),
                AnyNodeRef::ExprUnaryOp(op) => op.op != ruff_python_ast::UnaryOp::Not && !literal(&op.operand),
                AnyNodeRef::ExprCompare(compare) => !(literal(&compare.left) && compare.comparators.iter().all(literal)),
                _ => false,
            };
            TraversalSignal::Traverse
        }
    }
    let mut raises = Raises(false);
    raises.visit_expr(value);
    raises.0
}

/// Whether `value` (pure: names, literals, operators) applies an operator
/// to a name: its result depends on what the objects hold (`a + b`, `x in
/// s`, `not a`, `a or b`), not only on which objects they are.
fn operates(value: &Expr) -> bool {
    !matches!(value, Expr::Name(_) | Expr::Tuple(_)) && !value.is_literal_expr() && reads_a_name(value)
}

fn reads_a_name(value: &Expr) -> bool {
    struct Named(bool);
    impl<'a> SourceOrderVisitor<'a> for Named {
        fn enter_node(&mut self, node: AnyNodeRef<'a>) -> TraversalSignal {
            self.0 |= matches!(node, AnyNodeRef::ExprName(_));
            TraversalSignal::Traverse
        }
    }
    let mut named = Named(false);
    named.visit_expr(value);
    named.0
}

/// Whether `value` may make a new object each time it runs (`a + b`,
/// `-a`): not only a name, a literal, a truth value or one of its operands
/// (`a or b`, `a if c else b`).
fn makes_object(value: &Expr) -> bool {
    struct Makes(bool);
    impl<'a> SourceOrderVisitor<'a> for Makes {
        fn enter_node(&mut self, node: AnyNodeRef<'a>) -> TraversalSignal {
            self.0 |= match node {
                AnyNodeRef::ExprBinOp(op) => reads_a_name(&op.left) || reads_a_name(&op.right),
                AnyNodeRef::ExprUnaryOp(op) => op.op != ruff_python_ast::UnaryOp::Not && reads_a_name(&op.operand),
                _ => false,
            };
            TraversalSignal::Traverse
        }
    }
    let mut makes = Makes(false);
    makes.visit_expr(value);
    makes.0
}

/// `names` and the names of `scope` that may hold one of their objects,
/// or an object holding one: joined by a statement (other than `skip`,
/// the assignment being inlined) that reads or binds both (`c = a`,
/// `box.item = a`, `register(a, box)`, `for c in a`; a callee's own name
/// does not count), and a nested `def` or `class` with every name it reads
/// (calling it may reach them).
fn aliases(body: &[Stmt], scope: TextRange, skip: TextRange, names: &[&str]) -> FxHashSet<String> {
    let mut groups: Vec<Vec<String>> = Vec::new();
    statement_groups(body, scope, skip, &mut groups);
    let mut out: FxHashSet<String> = names.iter().map(|n| (*n).to_owned()).collect();
    let mut grew = true;
    while grew {
        grew = false;
        for group in &groups {
            if group.iter().any(|n| out.contains(n)) {
                for n in group {
                    grew |= out.insert(n.clone());
                }
            }
        }
    }
    out
}

fn statement_groups(body: &[Stmt], scope: TextRange, skip: TextRange, out: &mut Vec<Vec<String>>) {
    for statement in body {
        if !statement.range().intersect(scope).is_some_and(|r| !r.is_empty()) || statement.range() == skip {
            continue;
        }
        // The scope's own `def` holds it: only its statements count.
        let inside = scope.contains_range(statement.range()) && statement.range() != scope;
        let mut names = ObjectNames(Vec::new());
        match statement {
            Stmt::FunctionDef(def) if inside => {
                names.0.push(def.name.to_string());
                names.visit_stmt(statement);
            }
            Stmt::ClassDef(class) if inside => {
                names.0.push(class.name.to_string());
                names.visit_stmt(statement);
            }
            Stmt::If(s) if inside => {
                names.visit_expr(&s.test);
                s.elif_else_clauses.iter().filter_map(|c| c.test.as_ref()).for_each(|t| names.visit_expr(t));
            }
            Stmt::While(s) if inside => names.visit_expr(&s.test),
            Stmt::For(s) if inside => {
                names.visit_expr(&s.target);
                names.visit_expr(&s.iter);
            }
            Stmt::With(s) if inside => s.items.iter().for_each(|i| names.visit_with_item(i)),
            Stmt::Match(s) if inside => names.visit_expr(&s.subject),
            _ if inside && blocks(statement).is_empty() => names.visit_stmt(statement),
            _ => {}
        }
        if names.0.len() > 1 {
            out.push(names.0);
        }
        for block in blocks(statement) {
            statement_groups(block, scope, skip, out);
        }
    }
}

/// The plain names an expression or statement reads or binds, but a
/// callee's own name (`print` in `print(a)`).
struct ObjectNames(Vec<String>);

impl<'a> Visitor<'a> for ObjectNames {
    fn visit_expr(&mut self, expr: &'a Expr) {
        match expr {
            Expr::Name(n) => self.0.push(n.id.to_string()),
            Expr::Call(call) => {
                if !matches!(&*call.func, Expr::Name(_)) {
                    self.visit_expr(&call.func);
                }
                self.visit_arguments(&call.arguments);
                return;
            }
            _ => {}
        }
        visitor::walk_expr(self, expr);
    }
}

/// Why `code` cannot replace the read (or call) at `read` inside an f-string.
pub(super) fn in_f_string(body: &[Stmt], read: TextRange, code: &str) -> Option<&'static str> {
    let chain = chain_to(body, read)?;
    // Printed by an outer `{...=}` too (`{f'{x}'=}`).
    if super::f_string_debug::printed_on(&chain, read) {
        return Some("in an f-string's `{...=}`, which prints the expression's own text");
    }
    chain.iter().rev().find(|n| matches!(n, AnyNodeRef::InterpolatedElement(_)))?;
    code.contains(['"', '\'', '\\', '\n', '#', '{', '}']).then_some("in an f-string, where the expression's quotes, braces or lines would not fit")
}

/// The lines of the statement at `range`, with its line ending, or `None`
/// when it shares a line with another statement.
pub(super) fn removal(text: &str, range: TextRange) -> Option<Span> {
    let start = range.start().to_usize();
    let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
    let continued = text[..line_start].trim_end_matches(['\n', '\r']).ends_with('\\');
    if !text[line_start..start].chars().all(|c| c == ' ' || c == '\t') || continued {
        return None;
    }
    let end = range.end().to_usize();
    let line_end = text[end..].find('\n').map_or(text.len(), |i| end + i + 1);
    let rest = text[end..line_end].trim();
    (rest.is_empty() || rest.starts_with('#')).then(|| Span::new(line_start as u32, line_end as u32))
}

/// Why the module variable `name` (bound at `target`) is seen beyond its
/// module: a public name (code outside the workspace may import it; a
/// notebook's cannot be), `__all__`, another module's reads, strings naming it.
fn exported(graph: &Graph, file: FileId, name: &str, target: TextRange) -> Result<(), String> {
    let entry = graph.file(file).ok_or(NOT_A_VARIABLE)?;
    if !name.starts_with('_') && !crate::notebook::Notebook::is_notebook(&entry.path) {
        return Err(format!("`{name}` is a public name of its module: code outside the workspace may import it; rename it `_{name}` first"));
    }
    let dotted = [format!("{}.{name}", entry.module)];
    for (other, e) in graph.files().filter(|(_, e)| e.text().contains(name)) {
        for mention in mentions::scan(e.text(), name, &dotted) {
            let at = |span| place(graph, &Location { file: other, span });
            match mention {
                Mention::DunderAll { span } if other == file => return Err(format!("`{name}` is listed in `__all__` at {}: it is exported", at(span))),
                Mention::AttributeString { written, span, .. } => {
                    return Err(format!("`{written}` at {} may read it by name", at(span)));
                }
                Mention::DottedPath { span } => return Err(format!("the string at {} names it by its dotted path", at(span))),
                Mention::Doctest { span } if other == file => return Err(format!("a doctest at {} reads it", at(span))),
                _ => {}
            }
        }
    }
    if let Some(id) = graph.symbol_at(file, target.start().to_u32()) {
        if let Some(elsewhere) = graph.references(id).into_iter().find(|l| l.file != file) {
            return Err(format!("`{name}` is read from another module at {}", place(graph, &elsewhere)));
        }
    }
    // `mock.patch.multiple(lib, _LIMIT=3)`, `setattr(lib, key, value)`: the
    // read would keep the value the patch replaces (move's rule too).
    if let Some(setter) = super::module_stores::setters(graph, file, &[name]).get(name) {
        return Err(format!("`{name}` is set or patched on its module from outside (at {}): its reads would keep the value inlined", setter.shown(graph)));
    }
    if let Some(id) = graph.symbol_at(file, target.start().to_u32()) {
        // `globals()["_" + name.upper()]` may read it.
        super::signature_guard::computed_lookup(graph, &super::parsed_files::ParsedFiles::new(graph), id, super::name_lookups::Request::Moved)
            .map_err(|why| why.replace("the calls made through it cannot be updated", "it must stay"))?;
    }
    Ok(())
}

#[cfg(test)]
#[path = "inline_variable_tests.rs"]
pub(super) mod tests;
