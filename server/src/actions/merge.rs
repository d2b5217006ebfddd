//! Merging a reply into the file by syntax tree. The block that defines the
//! target (by name and kind) is the answer; its definition of the target
//! replaces the target, its imports join the module's import block, its new
//! definitions go beside the target as helpers, and definitions it repeats
//! unchanged are ignored. A reply that changes another existing definition,
//! or that cannot be placed, is refused with the reason — the file is
//! never edited on a guess.

use std::collections::HashSet;
use std::ops::Range;

use ruff_python_ast::comparable::ComparableStmt;
use ruff_python_ast::{ModModule, Stmt};
use ruff_text_size::Ranged;

use super::engine::Job;
use super::formats::{self, placeholders, unified};
use super::imports;
use super::invariant;
use super::place::{DefTarget, Placement, indent, indent_unit, line_end, line_start, normalise};
use super::prompt::Task;
use super::reply::Block;
use super::request_rules;
use crate::line_ends;

/// A candidate text of the whole file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Merged {
    pub text: String,
    /// The code that went into the target (what Adjust revises).
    pub code: String,
    /// What the edit adds beyond the target, for its title: `helper \`f\``, `import math`.
    pub additions: Vec<String>,
}

/// The first block, best candidates first, that merges; else the reason the
/// best one did not.
pub fn merge_reply(job: &Job, blocks: &[Block]) -> Result<Merged, String> {
    let original = parse(&job.original).map_err(|e| format!("the file does not parse ({e}); fix it first"))?;
    let mut candidates: Vec<(u8, usize, String)> = Vec::new();
    for (i, block) in blocks.iter().enumerate() {
        let code = match block {
            Block::Code(code) => code.clone(),
            Block::Diff(d) => match unified::parse(d).and_then(|edits| formats::apply_for(&job.path, &job.original, &edits)) {
                Ok(text) => text,
                Err(e) => {
                    candidates.push((3, i, format!("#error {e}")));
                    continue;
                }
            },
            Block::Edits(edits) => match formats::apply_for(&job.path, &job.original, edits) {
                Ok(text) => text,
                Err(e) => {
                    candidates.push((3, i, format!("#error {e}")));
                    continue;
                }
            },
        };
        candidates.push((rank(job, &code), i, code));
    }
    // Of the blocks that define the target, the last is the model's final
    // word ("Wait, that drops ...; corrected:", "Option 2 (use this one)").
    candidates.sort_by_key(|(rank, i, _)| (*rank, if *rank == 0 { usize::MAX - i } else { *i }));
    let mut first_error = None;
    for (_, _, code) in candidates {
        let result = match code.strip_prefix("#error ") {
            Some(error) => Err(error.to_owned()),
            None => merge(job, &original, &code),
        };
        match result {
            // "Before:" and "After:" blocks: the one that repeats the code as it is changes nothing.
            Ok(merged) if merged.text == job.original => {
                first_error.get_or_insert_with(|| "the reply's code is the code as it is: it changes nothing".to_owned());
            }
            Ok(merged) => return Ok(Merged { text: with_line_endings(&job.original, merged.text), ..merged }),
            Err(e) => {
                first_error.get_or_insert(e);
            }
        }
    }
    Err(first_error.unwrap_or_else(|| "the reply has no code".to_owned()))
}

/// `merged` with the line endings of `original` where it has one kind
/// only: a CRLF file keeps CRLF on the lines the reply wrote.
fn with_line_endings(original: &str, merged: String) -> String {
    let crlf = original.matches("\r\n").count();
    if crlf == 0 || crlf != original.matches('\n').count() {
        return merged;
    }
    merged.replace("\r\n", "\n").replace('\n', "\r\n")
}

/// 0: defines the target; 1: code that is not a usage example of it; 2: the rest.
fn rank(job: &Job, code: &str) -> u8 {
    let Ok(module) = parse(code) else { return 2 };
    let Some(target) = target_def(&job.placement) else { return 1 };
    if find(&module.body, &target).is_some() {
        return 0;
    }
    let calls_target = code.contains(&format!("{}(", target.name)) || code.contains(&format!(".{}", target.name));
    if calls_target { 2 } else { 1 }
}

fn target_def(placement: &Placement) -> Option<DefTarget> {
    match placement {
        Placement::Body(f) => Some(f.def()),
        Placement::Definition(d) => Some(d.clone()),
        Placement::Lines { within, .. } => within.clone(),
        Placement::Append => None,
    }
}

fn parse(text: &str) -> Result<ModModule, String> {
    ruff_python_parser::parse_module(text).map(|p| p.into_syntax()).map_err(|e| e.error.to_string())
}

/// Where a definition was found in a reply: it, the statements beside it,
/// and the statements of the levels above (outermost first).
struct Found<'a> {
    def: &'a Stmt,
    siblings: &'a [Stmt],
    /// The scopes the reply descended through, with the name descended into.
    outer: Vec<(&'a [Stmt], String)>,
    /// How many of the target's containers the reply holds (0: it starts at
    /// the target's own level).
    depth: usize,
}

/// The target's definition in `body`: the reply may start at module level,
/// in any of the target's containers, or at the target's own level.
fn find<'a>(body: &'a [Stmt], target: &DefTarget) -> Option<Found<'a>> {
    let path: Vec<&str> = target.container.iter().map(String::as_str).collect();
    for skip in 0..=path.len() {
        let mut scope = body;
        let mut outer = Vec::new();
        let mut ok = true;
        for name in &path[skip..] {
            match scope.iter().find_map(|s| named_body(s, name)) {
                Some(inner) => {
                    outer.push((scope, (*name).to_owned()));
                    scope = inner;
                }
                None => {
                    ok = false;
                    break;
                }
            }
        }
        if !ok {
            continue;
        }
        let def = scope.iter().find(|s| defines(s, &target.name, Some(target.is_class)));
        if let Some(def) = def {
            return Some(Found { def, siblings: scope, outer, depth: path.len() - skip });
        }
    }
    None
}

fn named_body<'a>(stmt: &'a Stmt, name: &str) -> Option<&'a [Stmt]> {
    match stmt {
        Stmt::ClassDef(c) if c.name.as_str() == name => Some(&c.body),
        Stmt::FunctionDef(f) if f.name.as_str() == name => Some(&f.body),
        _ => None,
    }
}

/// Whether `stmt` defines `name` (as a class when `class` says so).
fn defines(stmt: &Stmt, name: &str, class: Option<bool>) -> bool {
    match stmt {
        Stmt::FunctionDef(f) => f.name.as_str() == name && class != Some(true),
        Stmt::ClassDef(c) => c.name.as_str() == name && class != Some(false),
        _ => false,
    }
}

fn def_name(stmt: &Stmt) -> Option<&str> {
    match stmt {
        Stmt::FunctionDef(f) => Some(f.name.as_str()),
        Stmt::ClassDef(c) => Some(c.name.as_str()),
        _ => None,
    }
}

/// What binds `name` at `level` other than a `def` or `class` (an
/// import, an assignment), said for a refusal.
fn binds(level: &[Stmt], name: &str) -> Option<&'static str> {
    level.iter().find_map(|stmt| match stmt {
        Stmt::Import(i) if i.names.iter().any(|a| a.asname.as_ref().unwrap_or(&a.name).as_str().split('.').next() == Some(name)) => Some("an import"),
        Stmt::ImportFrom(i) if i.names.iter().any(|a| a.asname.as_ref().unwrap_or(&a.name).as_str() == name) => Some("an import"),
        other => assigned(other).contains(&name).then_some("a variable"),
    })
}

/// The statements of the scope `path` names in `module` (empty: the module).
pub(super) fn scope<'a>(module: &'a ModModule, path: &[String]) -> Option<&'a [Stmt]> {
    let mut body: &[Stmt] = &module.body;
    for name in path {
        body = body.iter().find_map(|s| named_body(s, name))?;
    }
    Some(body)
}

fn range(stmt: &Stmt) -> Range<usize> {
    stmt.start().to_usize()..stmt.end().to_usize()
}

/// One change to the original text.
struct Splice {
    range: Range<usize>,
    text: String,
}

fn merge(job: &Job, original: &ModModule, code: &str) -> Result<Merged, String> {
    let target = target_def(&job.placement);
    let mut code = placeholders::normalise(&strip_file_comment(code));
    // A stub has nothing a placeholder could stand for.
    if matches!(job.task, Task::Implement { .. }) {
        code = placeholders::strip(&code);
    }
    let code = request_rules::without_tests(&code, &job.task, &job.path, target.as_ref().map(|t| t.name.as_str()));
    let unit = indent_unit(&job.original);
    let code = normalise(&code, &unit);
    let reply = parse(&code).map_err(|e| format!("the reply's code does not parse: {e}"))?;
    let found = target.as_ref().and_then(|t| find(&reply.body, t).map(|found| (found, t)));
    match (&job.placement, found) {
        (Placement::Append, _) => Ok(append(job, original, &reply, &code)),
        (_, Some((found, target))) => definition(job, original, &reply, &code, target, &found, &unit),
        (Placement::Body(function), None) => {
            let (imports, rest) = leading_imports(&reply.body);
            if rest.is_empty() {
                return Err(format!("the reply holds no body for `{}`", function.name));
            }
            if let Some(other) = rest.iter().find_map(def_name).filter(|_| rest.iter().all(|s| def_name(s).is_some())) {
                return Err(format!("the reply defines `{other}` but not `{}`; reply with `{}` itself", function.name, function.name));
            }
            // A docstring the function has is not repeated.
            let rest = match rest.first() {
                Some(s) if function.docstring.is_some() && is_docstring(s) => &rest[1..],
                _ => rest,
            };
            let Some(first) = rest.first() else {
                return Err(format!("the reply holds only a docstring, no body for `{}`", function.name));
            };
            let body = &code[line_start(&code, first.start().to_usize())..];
            let body = indent(&normalise(body, &unit), &function.indent);
            let (text, range) = if function.body.is_empty() {
                (format!("\n{}", body.trim_end()), function.body.clone())
            } else {
                (body.trim_end().to_owned(), function.body.clone())
            };
            finish(job, original, &imports, Splice { range, text }, &[], Vec::new(), body)
        }
        (Placement::Definition(target), None) => {
            // A refactor may rename: one definition of the same kind stands for the target.
            let defs: Vec<&Stmt> = reply.body.iter().filter(|s| def_name(s).is_some()).collect();
            match defs.as_slice() {
                [only] if matches!(job.task, Task::Refactor { .. }) && matches!(only, Stmt::ClassDef(_)) == target.is_class => {
                    let renamed = DefTarget { name: def_name(only).unwrap_or_default().to_owned(), ..target.clone() };
                    let found = Found { def: only, siblings: &reply.body, outer: Vec::new(), depth: 0 };
                    let mut merged = definition(job, original, &reply, &code, &renamed, &found, &unit)?;
                    merged.additions.insert(0, format!("renames `{}` to `{}`", target.name, renamed.name));
                    Ok(merged)
                }
                _ => Err(format!("the reply does not define `{}`; reply with the whole rewritten {}", target.name, kind(target))),
            }
        }
        (Placement::Lines { range, indent: prefix, .. }, None) => {
            let selected = &job.original[range.clone()];
            let hoist = !prefix.is_empty() || parse(selected).is_ok_and(|m| !m.body.iter().any(is_import));
            let (imports, mut rest) = if hoist { leading_imports(&reply.body) } else { (Vec::new(), &reply.body[..]) };
            // Imports the module has elsewhere, repeated around the answer, are not part of it.
            let repeated = |s: &Stmt| is_import(s) && imports::already_imported(original, range, s);
            while rest.first().is_some_and(repeated) {
                rest = &rest[1..];
            }
            while rest.last().is_some_and(repeated) {
                rest = &rest[..rest.len() - 1];
            }
            let text = match (rest.first(), rest.last()) {
                (Some(first), Some(last)) => {
                    let lines = &code[line_start(&code, first.start().to_usize())..line_end(&code, last.end().to_usize())];
                    indent(&normalise(lines, &unit), prefix)
                }
                _ if imports.is_empty() => String::new(),
                _ => return Err("the reply holds only imports, no code for the selection".to_owned()),
            };
            let mut replacement = text.clone();
            if !selected.ends_with('\n') {
                replacement.truncate(replacement.trim_end().len());
            }
            finish(job, original, &imports, Splice { range: range.clone(), text: replacement }, &[], Vec::new(), text)
        }
    }
}

fn kind(target: &DefTarget) -> &'static str {
    if target.is_class { "class" } else { "function" }
}

/// Generated tests: appended whole, their imports at the top where the file has them.
fn append(job: &Job, original: &ModModule, reply: &ModModule, code: &str) -> Merged {
    // The reply's leading imports join the file's import block, less those
    // the file has (a test reply repeats `from shop.cart import total`).
    let (imports, rest) = leading_imports(&reply.body);
    let defined: HashSet<String> = original.body.iter().filter_map(def_name).map(str::to_owned).collect();
    let new_imports = imports::missing(original, &imports, &defined);
    let code = if imports.is_empty() { code } else { &code[rest.first().map_or(code.len(), |s| line_start(code, s.start().to_usize()))..] };
    let mut source = job.original.clone();
    if !new_imports.is_empty() {
        let (at, lines) = imports::insertion(&source, original, &new_imports);
        source.replace_range(at, &lines);
    }
    let separator = match source.as_str() {
        "" => "",
        s if s.ends_with("\n\n") => "\n",
        s if s.ends_with('\n') => "\n\n",
        _ => "\n\n\n",
    };
    let text = format!("{source}{separator}{code}");
    let text = if new_imports.is_empty() { text } else { imports::sort(&job.path, &job.original, &text) };
    Merged { text, code: code.to_owned(), additions: new_imports.iter().map(|i| format!("`{i}`")).collect() }
}

/// The reply defines the target: its definition replaces the target's.
fn definition(job: &Job, original: &ModModule, reply: &ModModule, code: &str, target: &DefTarget, found: &Found<'_>, unit: &str) -> Result<Merged, String> {
    let source = &job.original;
    let qualified = |container: &[String], name: &str| container.iter().map(String::as_str).chain([name]).collect::<Vec<_>>().join(".");
    let outside = |path: &[String], name: &str| {
        format!("the reply also changes `{}`, which is outside the target; change only `{}`", qualified(path, name), qualified(&target.container, &target.name))
    };
    // The target's own level in the original, to tell repeats from changes and helpers.
    let container = &target.container;
    let level = scope(original, container).ok_or("the target is no longer in the file")?;
    let mut before = Vec::new();
    let mut after = Vec::new();
    let mut additions = Vec::new();
    let mut seen_target = false;
    let mut new_defs: Vec<(&str, &Stmt, bool)> = Vec::new();
    let new_def_text = &code[range(found.def)];
    // The body's own trailing comments lie past the definition's last statement.
    let next = found.siblings.iter().map(|s| s.start().to_usize()).find(|&start| start >= found.def.end().to_usize()).unwrap_or(code.len());
    let def_column = found.def.start().to_usize() - line_start(code, found.def.start().to_usize());
    let body_lines = new_def_text
        .lines()
        .skip(1)
        .chain(code[found.def.end().to_usize()..next].lines().filter(|l| !l.trim().is_empty() && l.len() - l.trim_start().len() > def_column));
    // A rewritten body that ends in words for the code left out.
    let in_words = !matches!(job.task, Task::Implement { .. }) && body_lines.clone().last().is_some_and(placeholders::stands_for_code);
    if in_words || body_lines.clone().any(placeholders::is_mark) {
        return Err(format!(
            "the reply leaves out part of `{}` with a placeholder comment (`# ... existing code ...`); reply with the whole {}, or only the definition you change",
            qualified(container, &target.name),
            kind(target)
        ));
    }
    for stmt in found.siblings {
        if std::ptr::eq(stmt, found.def) {
            seen_target = true;
            continue;
        }
        if let Some(name) = def_name(stmt) {
            match level.iter().find(|s| def_name(s) == Some(name)) {
                Some(existing) if ComparableStmt::from(existing) == ComparableStmt::from(stmt) => {}
                Some(_) => {
                    return Err(outside(container, name));
                }
                None => new_defs.push((name, stmt, seen_target)),
            }
        } else if let Some(name) = changed_assignment(stmt, level) {
            return Err(outside(container, &name));
        } else if let Some(names) = new_constant(stmt, level, new_def_text) {
            additions.push(format!("constant `{}`", names.join("`, `")));
            if seen_target { after.push(stmt) } else { before.push(stmt) }
        }
    }
    // New definitions are kept only as helpers the target uses, directly
    // or through another kept helper; the rest (examples, demos) is left out.
    let mut used: HashSet<&str> = words(new_def_text).collect();
    let mut kept = vec![false; new_defs.len()];
    while let Some(i) = (0..new_defs.len()).find(|&i| !kept[i] && used.contains(new_defs[i].0)) {
        kept[i] = true;
        used.extend(words(&code[range(new_defs[i].1)]));
    }
    for ((name, stmt, after_target), _) in new_defs.into_iter().zip(kept).filter(|(_, kept)| *kept) {
        if let Some(what) = binds(level, name) {
            return Err(format!(
                "the reply adds a helper `{name}`, but `{name}` already names {what} at that level, which the rest of the file uses; give the helper another name"
            ));
        }
        additions.push(format!("helper `{name}`"));
        if after_target { after.push(stmt) } else { before.push(stmt) }
    }
    // Levels above the target's (the reply held its class or the whole
    // file): repeats are ignored, changes refused, new definitions refused
    // too (they would belong to a container the action is not about).
    for (depth, (stmts, descended)) in found.outer.iter().enumerate() {
        let outer_path = &container[..container.len() - found.depth + depth];
        let Some(outer_level) = scope(original, outer_path) else { continue };
        for stmt in stmts.iter() {
            if let Some(name) = changed_assignment(stmt, outer_level) {
                return Err(outside(outer_path, &name));
            }
            let Some(name) = def_name(stmt) else { continue };
            if name == descended {
                continue;
            }
            match outer_level.iter().find(|s| def_name(s) == Some(name)) {
                Some(existing) if ComparableStmt::from(existing) == ComparableStmt::from(stmt) => {}
                Some(_) => {
                    return Err(outside(outer_path, name));
                }
                None => {
                    return Err(format!(
                        "the reply adds `{}` outside `{}`; put new helpers next to `{}`",
                        qualified(outer_path, name),
                        qualified(container, &target.name),
                        target.name
                    ));
                }
            }
        }
    }

    // The target's whole lines, and the indentation its `def` stands at.
    let lines = line_start(source, target.range.start)..line_end(source, target.range.end);
    let def_indent = source[lines.start..target.range.start].to_owned();
    let render = |stmt: &Stmt| {
        let text = &code[line_start(code, stmt.start().to_usize())..line_end(code, stmt.end().to_usize())];
        indent(&normalise(text, unit), &def_indent)
    };
    let mut new_def = render(found.def);
    if let (Some(doc), true) = (&target.docstring, !found_docstring(found.def) && !mentions(&job.task, &["docstring", "doc string", "documentation"])) {
        new_def = with_docstring(&new_def, &source[doc.clone()], found.def, code, &def_indent, unit);
    }
    // A reply that shows the definition without its decorators (a route,
    // a login check) means to keep them, as with a docstring left out.
    if decorators(found.def).is_empty() && !mentions(&job.task, &["decorat", "cach", "memoiz", "property", "staticmethod", "classmethod"]) {
        new_def = format!("{}{new_def}", decorator_lines(level, target, source));
    }
    let gap = if container.is_empty() && def_indent.is_empty() { "\n\n" } else { "\n" };
    let mut parts: Vec<String> = before.iter().map(|s| render(s)).collect();
    parts.push(new_def.clone());
    parts.extend(after.iter().map(|s| render(s)));
    let text = parts.join(gap);
    let imports: Vec<&Stmt> = reply.body.iter().filter(|s| is_import(s)).collect();
    let helpers: Vec<String> = before.iter().chain(&after).filter_map(|s| def_name(s)).map(|n| qualified(container, n)).collect();
    finish(job, original, &imports, Splice { range: lines, text }, &helpers, additions, new_def)
}

/// A module-level assignment of a new name the new definition uses (a
/// constant it introduced); `None` for anything else the reply holds
/// beside the target (usage examples, repeated statements), which is
/// ignored.
fn new_constant(stmt: &Stmt, level: &[Stmt], new_def: &str) -> Option<Vec<String>> {
    let targets = assigned(stmt);
    let bound_before = |name: &str| level.iter().any(|s| assigned(s).contains(&name) || def_name(s) == Some(name));
    let used = |name: &str| words(new_def).any(|w| w == name);
    (!targets.is_empty() && targets.iter().all(|t| !bound_before(t) && used(t))).then(|| targets.iter().map(|t| (*t).to_owned()).collect())
}

/// The plain names an assignment (`x = ...`, `x: T = ...`) binds.
fn assigned(stmt: &Stmt) -> Vec<&str> {
    match stmt {
        Stmt::Assign(a) => a.targets.iter().filter_map(|t| t.as_name_expr().map(|n| n.id.as_str())).collect(),
        Stmt::AnnAssign(a) => a.target.as_name_expr().map(|n| vec![n.id.as_str()]).unwrap_or_default(),
        _ => Vec::new(),
    }
}

/// The name an assignment of the reply gives another value than the
/// same level of the file does (`RATE = 20` for `RATE = 0.2`): a change
/// outside the target, which the merge would otherwise leave out.
fn changed_assignment(stmt: &Stmt, level: &[Stmt]) -> Option<String> {
    let names = assigned(stmt);
    let existing: Vec<&Stmt> = level.iter().filter(|s| assigned(s).iter().any(|n| names.contains(n))).collect();
    let same = |existing: &&Stmt| ComparableStmt::from(*existing) == ComparableStmt::from(stmt);
    (!existing.is_empty() && !existing.iter().any(same)).then(|| names.join("`, `"))
}

/// The identifiers (and other words) of `code`.
fn words(code: &str) -> impl Iterator<Item = &str> {
    code.split(|c: char| !(c.is_alphanumeric() || c == '_')).filter(|w| !w.is_empty())
}

fn found_docstring(def: &Stmt) -> bool {
    let body = match def {
        Stmt::FunctionDef(f) => &f.body,
        Stmt::ClassDef(c) => &c.body,
        _ => return false,
    };
    body.first().is_some_and(is_docstring)
}

/// Whether the user's instruction (or the problem to fix) names one of
/// `words`: then dropping a docstring or a decorator is meant.
fn mentions(task: &Task, words: &[&str]) -> bool {
    let text = match task {
        Task::Refactor { instruction } | Task::Adjust { instruction, .. } | Task::FromComment { instruction } => instruction,
        Task::Fix { message, .. } => message,
        _ => return false,
    };
    let lower = text.to_lowercase();
    words.iter().any(|w| lower.contains(w))
}

fn decorators(def: &Stmt) -> &[ruff_python_ast::Decorator] {
    match def {
        Stmt::FunctionDef(f) => &f.decorator_list,
        Stmt::ClassDef(c) => &c.decorator_list,
        _ => &[],
    }
}

/// The lines of the decorators (and comments among them) of the target's
/// own definition at `level` of `source` (not an `@overload` stub of the
/// same name); empty when it has none.
fn decorator_lines<'s>(level: &[Stmt], target: &DefTarget, source: &'s str) -> &'s str {
    let own = |s: &&Stmt| def_name(s) == Some(target.name.as_str()) && range(s).start <= target.range.end && target.range.start <= range(s).end;
    let Some(def) = level.iter().find(own) else { return "" };
    let name_at = match def {
        Stmt::FunctionDef(f) => f.name.start(),
        Stmt::ClassDef(c) => c.name.start(),
        _ => return "",
    };
    if decorators(def).is_empty() {
        return "";
    }
    &source[line_start(source, def.start().to_usize())..line_start(source, name_at.to_usize())]
}

/// `rendered` (the new definition, indented at `def_indent`) with the
/// original docstring as its first statement.
fn with_docstring(rendered: &str, docstring: &str, def: &Stmt, code: &str, def_indent: &str, unit: &str) -> String {
    let body = match def {
        Stmt::FunctionDef(f) => &f.body,
        Stmt::ClassDef(c) => &c.body,
        _ => return rendered.to_owned(),
    };
    let Some(first) = body.first() else { return rendered.to_owned() };
    // The body's first line, counted from the definition's first line.
    let def_start = line_start(code, def.start().to_usize());
    // Lines as Python ends them: a bare `\r` too.
    let first_line = line_ends::count(&code[def_start..first.start().to_usize()]);
    if first_line == 0 {
        return rendered.to_owned(); // `def f(): return 1`: no line to put it on
    }
    let at = line_ends::line_start(rendered, first_line).unwrap_or(rendered.len());
    format!("{}{def_indent}{unit}{docstring}\n{}", &rendered[..at], &rendered[at..])
}

fn is_import(stmt: &Stmt) -> bool {
    matches!(stmt, Stmt::Import(_) | Stmt::ImportFrom(_))
}

fn is_docstring(stmt: &Stmt) -> bool {
    matches!(stmt, Stmt::Expr(e) if e.value.is_string_literal_expr())
}

/// The imports a reply starts with, and the statements after them.
fn leading_imports(body: &[Stmt]) -> (Vec<&Stmt>, &[Stmt]) {
    let n = body.iter().take_while(|s| is_import(s)).count();
    (body[..n].iter().collect(), &body[n..])
}

/// Leading comment lines that only name a file (`# shop/cart.py`,
/// `# File: cart.py`) are not code.
fn strip_file_comment(code: &str) -> String {
    let mut rest = code.trim_start_matches('\n');
    loop {
        let line = rest.lines().next().unwrap_or_default().trim();
        let Some(comment) = line.strip_prefix('#') else { break };
        let comment = comment.trim();
        let name = comment.split_once(':').map_or(comment, |(label, name)| if label.contains(' ') { comment } else { name.trim() });
        let is_file = !name.contains(' ') && (name.ends_with(".py") || name.ends_with(".pyi"));
        if !is_file {
            break;
        }
        rest = rest[rest.find('\n').map_or(rest.len(), |i| i + 1)..].trim_start_matches('\n');
    }
    rest.to_owned()
}

/// Applies the target's splice and the reply's imports to the original,
/// sorts the import block, and checks the invariant.
fn finish(
    job: &Job,
    original: &ModModule,
    imports: &[&Stmt],
    target: Splice,
    helpers: &[String],
    mut additions: Vec<String>,
    code: String,
) -> Result<Merged, String> {
    let source = &job.original;
    let defined: HashSet<String> = original.body.iter().filter_map(def_name).map(str::to_owned).collect();
    let new_imports = imports::missing(original, imports, &defined);
    let mut text = String::new();
    if new_imports.is_empty() {
        text.push_str(&source[..target.range.start]);
    } else {
        let (at, lines) = imports::insertion(source, original, &new_imports);
        if at.end > target.range.start {
            return Err("the target is above the module's imports, so the reply's new imports have no place".to_owned());
        }
        additions.extend(new_imports.iter().map(|i| format!("`{i}`")));
        text.push_str(&source[..at.start]);
        text.push_str(&lines);
        text.push_str(&source[at.end..target.range.start]);
    }
    let mut region = text.len()..text.len() + target.text.len();
    text.push_str(&target.text);
    text.push_str(&source[target.range.end..]);
    if !new_imports.is_empty() {
        let sorted = imports::sort(&job.path, source, &text);
        // Sorting touches only the import block, above the target.
        if sorted.ends_with(&text[region.start..]) {
            let start = sorted.len() - (text.len() - region.start);
            region = start..start + region.len();
            text = sorted;
        }
    }
    invariant::check(source, &text, target.range, region, target_def(&job.placement).as_ref(), helpers)?;
    // As the model wrote it, for Adjust: dedented.
    let code = normalise(&code, &indent_unit(&code));
    Ok(Merged { text, code, additions })
}

#[cfg(test)]
#[path = "merge_tests.rs"]
mod tests;
