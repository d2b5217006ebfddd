//! Every place a name under the cursor denotes the same thing: the shared
//! ground of document highlight and rename.
//!
//! What a name denotes is the graph resolver's answer ([`Graph::definition`]
//! and [`ReferenceResolver`]); this module only collects the places whose
//! answer is the target's. The files to look in come from the graph's
//! reference edges, so a workspace-wide search reads only the files that
//! refer to the target.

use rustc_hash::FxHashSet;

use super::scope_declarations;
use crate::graph::summary::{BindingKind, ScopeId};
use crate::graph::{FileId, Graph, Resolved, Span, Symbol, SymbolId, SymbolKind};

/// Whether an occurrence reads the name or binds it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Access {
    Read,
    Write,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Occurrence {
    pub file: FileId,
    pub span: Span,
    pub access: Access,
}

/// What the name under the cursor denotes: everything that answers to it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    /// The name as written at its definition.
    pub name: String,
    /// The name's span under the cursor.
    pub span: Span,
    /// The resolver's answers that count as this target: a symbol and its
    /// redefinitions in the same scope, or a local's bindings in its scope.
    pub denotes: Vec<Resolved>,
}

impl Target {
    /// The denoted symbols a class body binds that are of one of `kinds`
    /// (class variables, methods), each with its class: where the rename
    /// checks of a member's hierarchy start.
    pub(super) fn class_members<'g>(&'g self, graph: &'g Graph, kinds: &'g [SymbolKind]) -> impl Iterator<Item = (Symbol<'g>, SymbolId)> + 'g {
        self.denotes.iter().filter_map(move |denoted| {
            let Resolved::Symbol(id) = denoted else { return None };
            let symbol = graph.symbol(*id).filter(|s| kinds.contains(&s.kind))?;
            Some((symbol, graph.owner_class(*id)?))
        })
    }
}

/// Why there is no target under the cursor.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NoTarget {
    #[error("there is no name at the cursor")]
    NoName,
    #[error("`{0}` does not resolve to a definition the workspace can see")]
    Unresolved(String),
}

/// The target of the name at `offset`.
pub fn target_at(graph: &Graph, file: FileId, offset: u32) -> Result<Target, NoTarget> {
    let text = graph.file(file).map(|f| f.text().clone()).ok_or(NoTarget::NoName)?;
    let span = name_span(&text, offset).ok_or(NoTarget::NoName)?;
    let written = text[span.range()].to_owned();
    let resolved = graph
        .definition(file, offset)
        .or_else(|| super::rename_from_keyword::parameter(graph, file, span, &written))
        .ok_or_else(|| NoTarget::Unresolved(written.clone()))?;
    let (name, denotes) = match &resolved {
        Resolved::Symbol(id) => {
            let symbol = graph.symbol(*id).ok_or_else(|| NoTarget::Unresolved(written.clone()))?;
            (symbol.name.to_owned(), redefinitions(graph, *id).into_iter().map(Resolved::Symbol).collect())
        }
        Resolved::Local { file, span } => {
            let entry = graph.file(*file).ok_or_else(|| NoTarget::Unresolved(written.clone()))?;
            let summary = &entry.summary;
            // As Python reads it: the binding `ｒａｔｅ = 3` binds `rate`.
            let name = summary.bindings.iter().find(|b| b.range == *span).map_or_else(|| entry.text()[span.range()].to_owned(), |b| b.name.to_string());
            let scope = summary.bindings.iter().find(|b| b.range == *span).map(|b| b.scope);
            // The functions that declare it `nonlocal` bind it too.
            let declared = declarations(entry, &name);
            let owner = scope.map(|s| scope_declarations::owner(summary, &declared, s, &name));
            let of_variable = |s: ScopeId| Some(scope_declarations::owner(summary, &declared, s, &name)) == owner;
            let bindings: Vec<Resolved> =
                summary.bindings.iter().filter(|b| b.name == name && of_variable(b.scope)).map(|b| Resolved::Local { file: *file, span: b.range }).collect();
            (name, bindings)
        }
        Resolved::External(path) => (path.rsplit('.').next().unwrap_or(path).to_owned(), vec![resolved.clone()]),
    };
    Ok(Target { name, span, denotes })
}

/// A symbol and the other definitions of the same name in its scope
/// (`x = 1` then `x = 2`): a reference may resolve to any of them.
fn redefinitions(graph: &Graph, id: SymbolId) -> Vec<SymbolId> {
    let Some(symbol) = graph.symbol(id) else { return vec![id] };
    if symbol.kind == SymbolKind::Module {
        return vec![id];
    }
    let Some(container) = graph.container(id) else { return vec![id] };
    let same = graph.children(container).into_iter().filter(|&c| graph.symbol(c).is_some_and(|s| s.qualified_name == symbol.qualified_name));
    let mut ids: Vec<SymbolId> = same.collect();
    if !ids.contains(&id) {
        ids.push(id);
    }
    ids
}

/// The files that may mention the target: where it is defined and where
/// the graph has edges into it.
pub fn candidate_files(graph: &Graph, target: &Target) -> Vec<FileId> {
    let mut files = FxHashSet::default();
    for denoted in &target.denotes {
        match denoted {
            Resolved::Symbol(id) => {
                files.extend(graph.location(*id).map(|l| l.file));
                files.extend(graph.references(*id).into_iter().map(|l| l.file));
            }
            Resolved::Local { file, .. } => {
                files.insert(*file);
            }
            Resolved::External(_) => {}
        }
    }
    let mut files: Vec<FileId> = files.into_iter().collect();
    files.sort();
    files
}

/// The occurrences of `target` in `file`: definitions, import names,
/// bindings and reference segments the resolver maps to it, spelled as the
/// target's name (`Foo()` also calls `Foo.__init__`, and an import alias
/// denotes its target under another name: neither is an occurrence).
pub fn in_file(graph: &Graph, file: FileId, target: &Target) -> Vec<Occurrence> {
    let Some(entry) = graph.file(file) else { return Vec::new() };
    let summary = &entry.summary;
    let denotes = |r: &Resolved| target.denotes.contains(r);
    let spelled = |span: Span| entry.text().get(span.range()).is_some_and(|written| super::new_names::reads_as(written, &target.name));
    let mut found: Vec<Occurrence> = Vec::new();
    let mut push = |span: Span, access: Access| {
        if spelled(span) {
            found.push(Occurrence { file, span, access });
        }
    };
    for (def, d) in summary.definitions.iter().enumerate() {
        if graph.definition_symbol(file, def as u32).is_some_and(|id| denotes(&Resolved::Symbol(id))) {
            push(d.name_range, Access::Write);
        }
    }
    for import in &summary.imports {
        if import.name_range != Span::default() && graph.definition(file, import.name_range.end).is_some_and(|r| denotes(&r)) {
            // The last segment of `import a.b` or the name of `from m import x`.
            // Found in the text, not from the name's length: a name may be
            // written longer than Python reads it (NFKC).
            let written = entry.text().get(import.name_range.range()).unwrap_or_default();
            let last = written.rfind('.').map_or(0, |dot| dot + 1);
            let last = last + (written.len() - last - written[last..].trim_start().len());
            push(Span::new(import.name_range.start + last as u32, import.name_range.end), Access::Write);
        }
    }
    for binding in &summary.bindings {
        let bound = match binding.kind {
            BindingKind::Local | BindingKind::Parameter { .. } => denotes(&Resolved::Local { file, span: binding.range }),
            // Each rebinding of a global (`x = x + 1`, `x += 1`, `a, x = …`,
            // an assignment under `global x`) is a binding of its definition.
            BindingKind::Definition(definition) => graph.definition_symbol(file, definition).is_some_and(|id| denotes(&Resolved::Symbol(id))),
            BindingKind::Import(_) | BindingKind::Join => false,
        };
        if bound {
            push(binding.range, Access::Write);
        }
    }
    let declared_names = declarations(entry, &target.name);
    for declared in &declared_names {
        let variable = if declared.nonlocal { scope_declarations::owner(summary, &declared_names, declared.scope, &target.name) } else { 0 };
        let binds_target = |b: &crate::graph::summary::Binding| match b.kind {
            BindingKind::Definition(definition) => graph.definition_symbol(file, definition).is_some_and(|id| denotes(&Resolved::Symbol(id))),
            _ => denotes(&Resolved::Local { file, span: b.range }),
        };
        if variable != declared.scope && summary.bindings.iter().any(|b| b.scope == variable && b.name == target.name && binds_target(b)) {
            push(declared.span, Access::Write);
        }
    }
    let mut resolver = graph.reference_resolver(file);
    for reference in &summary.references {
        if !reference.chain.split('.').any(|segment| segment == target.name) {
            continue;
        }
        let resolved = resolver.segments(reference);
        for ((_, span), answer) in reference.segments().zip(resolved) {
            if answer.is_some_and(|r| denotes(&r)) {
                push(span, Access::Read);
            }
        }
    }
    // A name that is both bound and read at one place (`x += 1`) is a write.
    found.sort_by_key(|o| (o.span, std::cmp::Reverse(o.access)));
    found.dedup_by_key(|o| o.span);
    found
}

/// The `global`/`nonlocal` declarations of `name` in a file.
fn declarations(entry: &crate::graph::FileEntry, name: &str) -> Vec<scope_declarations::Declaration> {
    scope_declarations::of_name(entry.text(), &entry.summary, name, crate::notebook::Notebook::is_notebook(&entry.path))
}

/// Every occurrence of `target` in the workspace, by file and position.
pub fn everywhere(graph: &Graph, target: &Target) -> Vec<Occurrence> {
    candidate_files(graph, target).into_iter().flat_map(|file| in_file(graph, file, target)).collect()
}

/// The identifier touching `offset` in `text`.
pub fn name_span(text: &str, offset: u32) -> Option<Span> {
    let offset = (offset as usize).min(text.len());
    if !text.is_char_boundary(offset) {
        return None;
    }
    let is_name = |c: char| c.is_alphanumeric() || c == '_';
    let start = text[..offset].char_indices().rev().take_while(|&(_, c)| is_name(c)).last().map_or(offset, |(i, _)| i);
    let end = offset + text[offset..].chars().take_while(|&c| is_name(c)).map(char::len_utf8).sum::<usize>();
    (start < end).then(|| Span::new(start as u32, end as u32))
}

#[cfg(test)]
mod tests {
    use expect_test::{Expect, expect};

    use super::*;
    use crate::graph::tests::fixture_graph;

    /// Marks the occurrences in the cursor's file: `<w:name>` binds,
    /// `<r:name>` reads.
    fn check_highlight(fixture: &str, expected: Expect) {
        let (graph, file, offset) = fixture_graph(fixture);
        let target = target_at(&graph, file, offset).unwrap();
        let text = &graph.file(file).unwrap().text();
        let mut out = String::new();
        let mut at = 0;
        for o in in_file(&graph, file, &target) {
            let tag = if o.access == Access::Write { "w" } else { "r" };
            out.push_str(&text[at..o.span.start as usize]);
            out.push_str(&format!("<{tag}:{}>", &text[o.span.range()]));
            at = o.span.end as usize;
        }
        out.push_str(&text[at..]);
        expected.assert_eq(&out);
    }

    #[test]
    fn a_function_is_written_where_defined_and_imported_read_where_used() {
        check_highlight(
            "//- /m.py\nfrom n import helper\nhelper()\nx = helper$0\n//- /n.py\ndef helper(): pass\n",
            expect![[r#"
                from n import <w:helper>
                <r:helper>()
                x = <r:helper>
            "#]],
        );
    }

    #[test]
    fn locals_and_their_redefinitions() {
        check_highlight(
            "//- /m.py\ndef f(total):\n    total$0 = total + 1\n    total += 2\n    return [total for total in range(3)]\n",
            expect![[r#"
                def f(<w:total>):
                    <w:total> = <r:total> + 1
                    <w:total> += 2
                    return [total for total in range(3)]
            "#]],
        );
    }

    #[test]
    fn an_attribute_and_its_members_chain() {
        check_highlight(
            "//- /m.py\nclass A:\n    def __init__(self):\n        self.size = 0\n\n    def grow(self):\n        self.si$0ze += 1\n        return self.size\n",
            expect![[r#"
                class A:
                    def __init__(self):
                        self.<w:size> = 0

                    def grow(self):
                        self.<r:size> += 1
                        return self.<r:size>
            "#]],
        );
    }

    #[test]
    fn names_python_normalises_are_marked_over_their_whole_spelling() {
        // `ｒａｔｅ` and `𝓻𝓪𝓽𝓮` are the name `rate` (NFKC), 3 and 4 bytes a letter.
        check_highlight(
            "//- /m.py\ndef f():\n    rate$0 = 3\n    return ｒａｔｅ * 2 + 𝓻𝓪𝓽𝓮.real + rate\n",
            expect![[r#"
                def f():
                    <w:rate> = 3
                    return <r:ｒａｔｅ> * 2 + <r:𝓻𝓪𝓽𝓮>.real + <r:rate>
            "#]],
        );
    }

    #[test]
    fn names_spelled_as_they_are_read_keep_their_own_length() {
        check_highlight(
            "//- /m.py\ndef f():\n    中文$0 = 3\n    return 中文.real + 中文\n",
            expect![[r#"
                def f():
                    <w:中文> = 3
                    return <r:中文>.real + <r:中文>
            "#]],
        );
    }

    #[test]
    fn name_span_finds_the_identifier_around_the_cursor() {
        assert_eq!(name_span("a = total_1 + 2", 7), Some(Span::new(4, 11)));
        assert_eq!(name_span("a = total_1 + 2", 11), Some(Span::new(4, 11)));
        assert_eq!(name_span("a = 中文 + 2", 4), Some(Span::new(4, 10)));
        assert_eq!(name_span("a = (", 5), None);
    }
}

/// Another binding of the name the definition `function` binds, in the
/// same scope (a second `def`, an assignment, an import, conditional or
/// not): which of them a use reaches is not the definition's alone.
pub fn bound_again(graph: &Graph, function: SymbolId) -> Option<crate::graph::Location> {
    bound_again_outside(graph, function, Span::default())
}

/// [`bound_again`], the bindings within `group` aside (the `@overload`
/// variants that move with their implementation).
pub fn bound_again_outside(graph: &Graph, function: SymbolId, group: Span) -> Option<crate::graph::Location> {
    let location = graph.location(function)?;
    let bindings = &graph.file(location.file)?.summary.bindings;
    // The first definition inside its statement is its own name (its
    // methods' come after).
    let inside = |span: Span| location.span.start <= span.start && span.end <= location.span.end;
    let own = bindings.iter().find(|b| matches!(b.kind, BindingKind::Definition(_)) && inside(b.range))?;
    let grouped = |span: Span| group.start <= span.start && span.end <= group.end;
    let other = bindings.iter().find(|b| b.scope == own.scope && b.name == own.name && b.range != own.range && !grouped(b.range))?;
    Some(crate::graph::Location { file: location.file, span: other.range })
}
