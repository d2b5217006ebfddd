//! Rename: every occurrence of a workspace definition or a local, across
//! the workspace, from the resolver's answers ([`super::occurrences`]).
//!
//! Never a wrong edit. A rename is refused, with the reason, when what it
//! would touch is not the workspace's (builtins, externals, modules, special
//! names), when the new name is not a plain identifier, when something names
//! the target in a way the graph cannot follow (`getattr(x, "name")`, a
//! dotted path in a string), when the new name is already bound beside the
//! target, and when the renamed workspace would resolve any name of the
//! edited files differently than before (shadowing): the edits are applied
//! to a copy of the graph and every reference of every edited file is
//! resolved again, before and after, and compared.

use rustc_hash::FxHashMap;

use super::mentions::{self, Mention};
use super::occurrences::{self, Access, NoTarget, Occurrence, Target};
use super::rename_guard::Unfollowable;
use crate::graph::explain::place;
use crate::graph::{FileId, Graph, Location, Resolved, Span, SymbolId, SymbolKind};

/// The edits of one file: each span is replaced by the new name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileEdits {
    pub file: FileId,
    pub spans: Vec<Span>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RenameError {
    #[error("{0}")]
    NoTarget(#[from] NoTarget),
    #[error("`{0}` is a Python builtin; renaming it would not rename Python's")]
    Builtin(String),
    #[error("`{0}` is defined outside the workspace")]
    External(String),
    #[error("`{0}` is a module; renaming modules (files) is not supported")]
    Module(String),
    #[error("`{0}` is a special name that Python looks up itself")]
    Special(String),
    #[error("`{written}` is an import alias of `{name}`: rename the alias where it is bound, or `{name}` where it is defined")]
    Alias { written: String, name: String },
    #[error("`{0}` is not a Python identifier")]
    NotIdentifier(String),
    #[error("`{0}` is a Python keyword")]
    Keyword(String),
    #[error("{what} at {place} names `{name}` in a string that rename cannot follow; rename refused")]
    Dynamic { what: String, name: String, place: String },
    #[error("`{new}` is already bound in the same scope at {place}")]
    Collision { new: String, place: String },
    #[error(
        "{place} imports `{name}` from `{module}`, which does not resolve from the workspace folder but names this module from a folder below it; open the project's own folder (or add a pyproject.toml) and rename again"
    )]
    ImportedFromBelow { name: String, module: String, place: String },
    #[error("renaming to `{new}` would change what `{name}` at {place} refers to")]
    Shadowing { new: String, name: String, place: String },
    #[error("`__all__` at {place} lists `{name}`, which that module does not define or import itself")]
    UnboundExport { name: String, place: String },
    #[error("{0} has syntax errors; fix them before renaming")]
    SyntaxErrors(String),
    #[error("`{name}` at {place} overrides or is overridden by `{method}`: renaming one method of a hierarchy would break dispatch; rename refused")]
    Hierarchy { name: String, place: String, method: String },
    #[error("`.{name}` is used at {places} on a value whose type is unknown, which may be this method; rename refused")]
    UnknownReceivers { name: String, places: String },
    #[error("{link} is a symbolic link to {file}, which this rename edits: its importers name the same code by another module; rename refused")]
    LinkedModule { link: String, file: String },
    #[error("the call at {place} passes keyword arguments as `**` a mapping, whose keys may name the parameter `{name}`; rename refused")]
    UnpackedKeywords { name: String, place: String },
    #[error("{0}; rename refused")]
    ReadByName(String),
    #[error("the IPython escape at {place} (a `%` magic or `!` shell line) spells `{name}`, which rename cannot edit exactly; rename refused")]
    Escape { name: String, place: String },
}

impl From<Unfollowable> for RenameError {
    fn from(why: Unfollowable) -> Self {
        match why {
            Unfollowable::Hierarchy { name, place, method } => RenameError::Hierarchy { name, place, method },
            Unfollowable::UnknownReceivers { name, places } => RenameError::UnknownReceivers { name, places },
        }
    }
}

/// The name to rename at `offset`: its span (for `prepareRename`), or why it
/// cannot be renamed.
pub fn prepare(graph: &Graph, file: FileId, offset: u32) -> Result<Target, RenameError> {
    let target = occurrences::target_at(graph, file, offset)?;
    // An installed package's file opened in the editor is read, never edited.
    if graph.file(file).is_some_and(|f| graph.is_library_path(&f.path)) {
        return Err(RenameError::External(target.name));
    }
    for denoted in &target.denotes {
        match denoted {
            Resolved::External(path) => return Err(external(path)),
            Resolved::Symbol(id) => {
                let symbol = graph.symbol(*id).ok_or_else(|| NoTarget::Unresolved(target.name.clone()))?;
                if symbol.file.and_then(|f| graph.file(f)).is_some_and(|f| graph.is_library_path(&f.path)) {
                    return Err(external(symbol.qualified_name));
                }
                match symbol.kind {
                    SymbolKind::Module => return Err(RenameError::Module(symbol.qualified_name.to_owned())),
                    SymbolKind::External => return Err(external(symbol.qualified_name)),
                    _ => {}
                }
            }
            Resolved::Local { .. } => {}
        }
    }
    if target.name.len() > 4 && target.name.starts_with("__") && target.name.ends_with("__") {
        return Err(RenameError::Special(target.name));
    }
    let written = graph.file(file).and_then(|f| f.text.get(target.span.range())).unwrap_or_default();
    if written != target.name {
        return Err(RenameError::Alias { written: written.to_owned(), name: target.name });
    }
    Ok(target)
}

fn external(path: &str) -> RenameError {
    match path.strip_prefix("builtins.") {
        Some(name) => RenameError::Builtin(name.to_owned()),
        None => RenameError::External(path.to_owned()),
    }
}

/// The edits that rename the name at `offset` to `new_name`, by file.
pub fn rename(graph: &Graph, file: FileId, offset: u32, new_name: &str) -> Result<Vec<FileEdits>, RenameError> {
    if ruff_python_stdlib::keyword::is_keyword(new_name) {
        return Err(RenameError::Keyword(new_name.to_owned()));
    }
    if !ruff_python_stdlib::identifiers::is_identifier(new_name) {
        return Err(RenameError::NotIdentifier(new_name.to_owned()));
    }
    let target = prepare(graph, file, offset)?;
    if target.name == new_name {
        return Ok(Vec::new());
    }
    check_collision(graph, &target, new_name)?;
    check_imports_from_below(graph, &target)?;
    super::rename_guard::check(graph, &target)?;
    let found = occurrences::everywhere(graph, &target);
    let mut spans: FxHashMap<FileId, Vec<Span>> = FxHashMap::default();
    for occurrence in &found {
        spans.entry(occurrence.file).or_default().push(occurrence.span);
    }
    for (file, span) in mention_edits(graph, &target, &found)? {
        spans.entry(file).or_default().push(span);
    }
    let mut edits: Vec<FileEdits> = spans
        .into_iter()
        .map(|(file, mut spans)| {
            spans.sort();
            spans.dedup();
            FileEdits { file, spans }
        })
        .collect();
    edits.sort_by_key(|e| e.file);
    for edit in &edits {
        let entry = graph.file(edit.file).ok_or_else(|| NoTarget::Unresolved(target.name.clone()))?;
        if entry.syntax_errors > 0 {
            return Err(RenameError::SyntaxErrors(place(graph, &Location { file: edit.file, span: Span::default() })));
        }
        if let Some(link) = graph.links_to(&entry.path).next() {
            let shown = |path: &std::path::Path| crate::graph::explain::display_path(graph, path);
            return Err(RenameError::LinkedModule { link: shown(link), file: shown(&entry.path) });
        }
    }
    check_escapes(graph, &target, &found)?;
    verify(graph, &target, new_name, &edits)?;
    Ok(edits)
}

/// A `%`/`!` line spelling the name in a notebook the rename edits:
/// IPython runs or expands it, the graph does not see it.
fn check_escapes(graph: &Graph, target: &Target, found: &[Occurrence]) -> Result<(), RenameError> {
    let mut files: Vec<FileId> = found.iter().map(|o| o.file).collect();
    files.dedup();
    for (file, entry) in files.into_iter().filter_map(|f| Some((f, graph.file(f)?))).filter(|(_, entry)| crate::notebook::Notebook::is_notebook(&entry.path)) {
        if let Some(span) = super::ipython_escapes::spelling(&entry.text, &target.name) {
            return Err(RenameError::Escape { name: target.name.clone(), place: place(graph, &Location { file, span }) });
        }
    }
    Ok(())
}

/// An import the workspace cannot resolve whose module ends like the
/// target's (`from lib.crlf import grow` where the target is
/// `myproj.lib.crlf.grow`): the workspace was opened above the project's
/// root, so the import means the target and a rename would leave it behind.
fn check_imports_from_below(graph: &Graph, target: &Target) -> Result<(), RenameError> {
    let modules: Vec<String> = target
        .denotes
        .iter()
        .filter_map(|d| match d {
            Resolved::Symbol(id) => {
                graph.symbol(*id)?.file.and_then(|f| graph.module_symbol(f)).and_then(|m| graph.symbol(m)).map(|m| m.qualified_name.to_owned())
            }
            _ => None,
        })
        .collect();
    for (file, entry) in graph.files() {
        for import in entry.summary.imports.iter().filter(|i| i.level == 0 && i.name.as_deref() == Some(target.name.as_str())) {
            let Some(module) = import.module.as_deref() else { continue };
            let below = modules.iter().any(|m| m.ends_with(&format!(".{module}")));
            if below && graph.resolve_module(module).is_none() {
                let place = place(graph, &Location { file, span: import.name_range });
                return Err(RenameError::ImportedFromBelow { name: target.name.clone(), module: module.to_owned(), place });
            }
        }
    }
    Ok(())
}

/// A binding of `new_name` beside the target's definition would make two
/// definitions of one name: whichever comes last wins for every user.
fn check_collision(graph: &Graph, target: &Target, new_name: &str) -> Result<(), RenameError> {
    for denoted in &target.denotes {
        let (file, span) = match denoted {
            Resolved::Symbol(id) => match graph.location(*id) {
                Some(location) => (location.file, location.span),
                None => continue,
            },
            Resolved::Local { file, span } => (*file, *span),
            Resolved::External(_) => continue,
        };
        let Some(entry) = graph.file(file) else { continue };
        let bindings = &entry.summary.bindings;
        let Some(scope) = bindings.iter().find(|b| b.range == span).map(|b| b.scope) else { continue };
        if let Some(existing) = bindings.iter().find(|b| b.scope == scope && b.name == new_name) {
            let place = place(graph, &Location { file, span: existing.range });
            return Err(RenameError::Collision { new: new_name.to_owned(), place });
        }
    }
    Ok(())
}

/// Edits for the target's mentions outside references: `__all__` entries
/// of modules that bind it, and keyword arguments naming a renamed
/// parameter at its calls. Refuses strings it cannot tie to the target.
fn mention_edits(graph: &Graph, target: &Target, found: &[Occurrence]) -> Result<Vec<(FileId, Span)>, RenameError> {
    let symbol = target.denotes.iter().find_map(|d| match d {
        Resolved::Symbol(id) => graph.symbol(*id),
        _ => None,
    });
    if let Some(symbol) = symbol {
        // `getattr(handlers, "on_" + event)`: a lookup the new name would miss.
        for denoted in &target.denotes {
            if let Resolved::Symbol(id) = denoted
                && matches!(symbol.kind, SymbolKind::Function | SymbolKind::Method | SymbolKind::Class)
            {
                super::signature_guard::computed_lookup(graph, *id, super::name_lookups::Request::Moved)
                    .map_err(|why| RenameError::ReadByName(why.replace("the calls made through it cannot be updated", "it would no longer find it")))?;
            }
        }
        if matches!(symbol.kind, SymbolKind::Function)
            && let Some(at) = super::extraction_keywords::named(graph, &target.name)
        {
            return Err(RenameError::ReadByName(format!(
                "{at} names `{}` as a translation-extraction keyword (babel/gettext): its strings would no longer be extracted",
                target.name
            )));
        }
        let mut edits = symbol_mentions(graph, target, symbol.qualified_name, found)?;
        for denoted in &target.denotes {
            if let Resolved::Symbol(id) = denoted
                && let Some(class) = super::rename_fields::constructor(graph, *id, &target.name).map_err(RenameError::ReadByName)?
            {
                edits.extend(keyword_arguments(graph, target, class)?);
            }
        }
        return Ok(edits);
    }
    match parameter_function(graph, target) {
        Some(function) => {
            super::signature_guard::names_fixed(graph, function, &target.name).map_err(RenameError::ReadByName)?;
            keyword_arguments(graph, target, function)
        }
        None => {
            // A local read by `eval("…")` in its file.
            let Some(Resolved::Local { file, .. }) = target.denotes.first() else { return Ok(Vec::new()) };
            let Some(entry) = graph.file(*file) else { return Ok(Vec::new()) };
            match mentions::scan(&entry.text, &target.name, &[]).into_iter().find_map(|m| if let Mention::Code { span } = m { Some(span) } else { None }) {
                Some(span) => Err(code_string(target, place(graph, &Location { file: *file, span }))),
                None => Ok(Vec::new()),
            }
        }
    }
}

fn symbol_mentions(graph: &Graph, target: &Target, qualified_name: &str, found: &[Occurrence]) -> Result<Vec<(FileId, Span)>, RenameError> {
    let dotted = dotted_paths(graph, target, qualified_name, found);
    let mut edits = Vec::new();
    for (file, entry) in graph.files() {
        for mention in mentions::scan(&entry.text, &target.name, &dotted) {
            let at = |span| place(graph, &Location { file, span });
            match mention {
                Mention::AttributeString { written, span, .. } => {
                    let what = format!("`{written}`");
                    return Err(RenameError::Dynamic { what, name: target.name.clone(), place: at(span) });
                }
                Mention::DottedPath { span } => {
                    let spelled = entry.text.get(span.start as usize..span.end as usize).unwrap_or(qualified_name);
                    let what = format!("the string \"{spelled}\"");
                    return Err(RenameError::Dynamic { what, name: target.name.clone(), place: at(span) });
                }
                Mention::Doctest { span } => {
                    return Err(RenameError::Dynamic { what: "a doctest".to_owned(), name: target.name.clone(), place: at(span) });
                }
                // Code for `eval` in a file that names the target, or code
                // calling it anywhere (a file of its own may run it).
                Mention::Code { span } => {
                    let calls =
                        entry.text.get(span.range()).is_some_and(|code| mentions::whole_word_ends(code, &target.name).any(|end| code[end..].starts_with('(')));
                    if calls || found.iter().any(|o| o.file == file) {
                        return Err(code_string(target, at(span)));
                    }
                }
                Mention::DunderAll { span } => {
                    let module_binding = entry.summary.bindings.iter().find(|b| b.scope == 0 && b.name == target.name);
                    match module_binding {
                        // The module binds the name itself: renamed with it,
                        // or another thing of the same name that stays.
                        Some(binding) => {
                            let renamed = found.iter().any(|o| o.file == file && o.access == Access::Write && o.span == binding.range);
                            if renamed {
                                edits.push((file, span));
                            }
                        }
                        None if found.iter().any(|o| o.file == file) => {
                            return Err(RenameError::UnboundExport { name: target.name.clone(), place: at(span) });
                        }
                        None => {}
                    }
                }
                Mention::KeywordArgument { .. } | Mention::Example { .. } => {}
            }
        }
    }
    Ok(edits)
}

fn code_string(target: &Target, place: String) -> RenameError {
    RenameError::Dynamic { what: "a string of code (for `eval` or `exec`)".to_owned(), name: target.name.clone(), place }
}

/// The dotted paths that name the target: its qualified name, and
/// `module.name` for each module that imports it at its top level, which
/// `mock.patch("django.db.models.Model")` names it by as well.
fn dotted_paths(graph: &Graph, target: &Target, qualified_name: &str, found: &[Occurrence]) -> Vec<String> {
    let mut paths = vec![qualified_name.to_owned()];
    for occurrence in found.iter().filter(|o| o.access == Access::Write) {
        let Some(entry) = graph.file(occurrence.file) else { continue };
        let top_level = entry.summary.bindings.iter().any(|b| b.scope == 0 && b.range == occurrence.span && b.name == target.name);
        if top_level && !entry.module.is_empty() {
            let path = format!("{}.{}", entry.module, target.name);
            if !paths.contains(&path) {
                paths.push(path);
            }
        }
    }
    paths
}

/// The function whose parameter the target is.
fn parameter_function(graph: &Graph, target: &Target) -> Option<SymbolId> {
    let Some(Resolved::Local { file, span }) = target.denotes.first() else { return None };
    let summary = &graph.file(*file)?.summary;
    let binding = summary.bindings.iter().find(|b| b.range == *span)?;
    if !matches!(binding.kind, crate::graph::summary::BindingKind::Parameter { .. }) {
        return None;
    }
    let definition = summary.scopes.get(binding.scope as usize)?.definition?;
    graph.definition_symbol(*file, definition)
}

/// `name=` at the calls the graph resolved to `function`; refused where a
/// call unpacks a mapping into keywords (`f(**options)`), whose keys it
/// cannot see.
fn keyword_arguments(graph: &Graph, target: &Target, function: SymbolId) -> Result<Vec<(FileId, Span)>, RenameError> {
    let mut sites: FxHashMap<FileId, Vec<Span>> = FxHashMap::default();
    for caller in graph.callers(function) {
        for site in caller.sites {
            sites.entry(site.file).or_default().push(site.span);
        }
    }
    let mut edits = Vec::new();
    for (file, calls) in sites {
        let Some(entry) = graph.file(file) else { continue };
        if let Some(&unpacking) = mentions::unpacking_keywords(&entry.text).iter().find(|callee| calls.contains(callee)) {
            let place = place(graph, &Location { file, span: unpacking });
            return Err(RenameError::UnpackedKeywords { name: target.name.clone(), place });
        }
        for mention in mentions::scan(&entry.text, &target.name, &[]) {
            if let Mention::KeywordArgument { span, callee } = mention
                && calls.contains(&callee)
            {
                edits.push((file, span));
            }
        }
    }
    Ok(edits)
}

/// What a resolver answer means, comparable across the graph before and
/// after the rename (symbol ids and binding positions change; qualified
/// names and binding order do not, except the renamed ones).
#[derive(Debug, PartialEq, Eq)]
pub(super) enum Meaning {
    Symbol(String),
    External(String),
    Local(usize),
}

pub(super) fn meaning(graph: &Graph, answer: Option<Resolved>, renamed: Option<(&str, &str)>) -> Option<Meaning> {
    Some(match answer? {
        Resolved::Symbol(id) => {
            let qualified = graph.symbol(id)?.qualified_name;
            let mapped = renamed.and_then(|(old, new)| {
                let rest = qualified.strip_prefix(old)?;
                (rest.is_empty() || rest.starts_with('.')).then(|| format!("{new}{rest}"))
            });
            Meaning::Symbol(mapped.unwrap_or_else(|| qualified.to_owned()))
        }
        Resolved::External(path) => Meaning::External(path),
        Resolved::Local { file, span } => Meaning::Local(graph.file(file)?.summary.bindings.iter().position(|b| b.range == span)?),
    })
}

/// Applies `edits` to a copy of the graph and checks that every reference
/// and import of the edited files resolves as before (the renamed target
/// under its new name).
fn verify(graph: &Graph, target: &Target, new_name: &str, edits: &[FileEdits]) -> Result<(), RenameError> {
    let old_qualified = target.denotes.iter().find_map(|d| match d {
        Resolved::Symbol(id) => graph.symbol(*id).map(|s| s.qualified_name.to_owned()),
        _ => None,
    });
    let new_qualified = old_qualified.as_ref().map(|q| match q.rsplit_once('.') {
        Some((container, _)) => format!("{container}.{new_name}"),
        None => new_name.to_owned(),
    });
    let renamed = old_qualified.as_deref().zip(new_qualified.as_deref());
    let renamed_texts: Vec<(&std::path::Path, String)> = edits
        .iter()
        .filter_map(|edit| {
            let entry = graph.file(edit.file)?;
            Some((entry.path.as_path(), apply(&entry.text, &edit.spans, new_name)))
        })
        .collect();
    let after = graph.with_texts(renamed_texts.iter().map(|(path, text)| (*path, text.as_str())));
    for edit in edits {
        let Some(before) = graph.file(edit.file) else { continue };
        let shadowing = |span: Span| RenameError::Shadowing {
            new: new_name.to_owned(),
            name: before.text.get(span.range()).unwrap_or_default().to_owned(),
            place: place(graph, &Location { file: edit.file, span }),
        };
        let Some(after_file) = after.file_id(&before.path) else { return Err(shadowing(Span::default())) };
        let Some(after_entry) = after.file(after_file) else { return Err(shadowing(Span::default())) };
        let (old_refs, new_refs) = (&before.summary.references, &after_entry.summary.references);
        if old_refs.len() != new_refs.len() || before.summary.imports.len() != after_entry.summary.imports.len() {
            return Err(shadowing(Span::default()));
        }
        let mut old_resolver = graph.reference_resolver(edit.file);
        let mut new_resolver = after.reference_resolver(after_file);
        for (old, new) in old_refs.iter().zip(new_refs) {
            let was: Vec<_> = old_resolver.segments(old).into_iter().map(|a| meaning(graph, a, renamed)).collect();
            let is: Vec<_> = new_resolver.segments(new).into_iter().map(|a| meaning(&after, a, None)).collect();
            if was != is {
                return Err(shadowing(old.span()));
            }
        }
        for (old, new) in before.summary.imports.iter().zip(&after_entry.summary.imports) {
            if old.name_range == Span::default() {
                continue;
            }
            let was = meaning(graph, graph.definition(edit.file, old.name_range.end), renamed);
            let is = meaning(&after, after.definition(after_file, new.name_range.end), None);
            if was != is {
                return Err(shadowing(old.name_range));
            }
        }
    }
    Ok(())
}

/// `text` with each of `spans` (sorted, disjoint) replaced by `new`.
pub fn apply(text: &str, spans: &[Span], new: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for span in spans {
        out.push_str(&text[at..span.start as usize]);
        out.push_str(new);
        at = span.end as usize;
    }
    out.push_str(&text[at..]);
    out
}

#[cfg(test)]
#[path = "rename_binding_tests.rs"]
mod binding_tests;

#[cfg(test)]
mod tests {
    use expect_test::{Expect, expect};

    use super::*;
    use crate::graph::tests::fixture_graph;

    /// Renames at `$0` and shows each edited file's new text, or the refusal.
    pub(super) fn check_rename(fixture: &str, new_name: &str, expected: Expect) {
        let (graph, file, offset) = fixture_graph(fixture);
        let rendered = match rename(&graph, file, offset, new_name) {
            Ok(edits) => edits
                .iter()
                .map(|e| {
                    let entry = graph.file(e.file).unwrap();
                    let path = entry.path.strip_prefix("/ws").unwrap().display();
                    format!("//- /{path}\n{}", apply(&entry.text, &e.spans, new_name))
                })
                .collect::<String>(),
            Err(error) => format!("refused: {error}"),
        };
        expected.assert_eq(&rendered);
    }

    #[test]
    fn an_import_that_names_the_module_from_a_folder_below_the_workspace_refuses() {
        check_rename(
            r#"
            //- /myproj/lib/crlf.py
            def gr$0ow(x):
                return x * 2
            //- /myproj/lib/use.py
            from lib.crlf import grow

            print(grow(1))
            "#,
            "enlarge",
            expect![
                "refused: myproj/lib/use.py:1 imports `grow` from `lib.crlf`, which does not resolve from the workspace folder but names this module from a folder below it; open the project's own folder (or add a pyproject.toml) and rename again"
            ],
        );
    }

    #[test]
    fn a_function_is_renamed_at_its_definition_imports_calls_and_all() {
        check_rename(
            r#"
            //- /shop/cart.py
            __all__ = ["total", "Cart"]

            def tot$0al(items):
                return sum(items)

            class Cart:
                def price(self):
                    return total([])
            //- /shop/main.py
            from shop.cart import total
            from shop import cart
            import shop.cart as c

            print(total([1]), cart.total([2]), c.total([3]))

            def total_of(x):
                total = 3  # a local of the same name stays
                return total
            "#,
            "grand_total",
            expect![[r#"
                //- /shop/cart.py
                __all__ = ["grand_total", "Cart"]

                def grand_total(items):
                    return sum(items)

                class Cart:
                    def price(self):
                        return grand_total([])

                //- /shop/main.py
                from shop.cart import grand_total
                from shop import cart
                import shop.cart as c

                print(grand_total([1]), cart.grand_total([2]), c.grand_total([3]))

                def total_of(x):
                    total = 3  # a local of the same name stays
                    return total

            "#]],
        );
    }

    #[test]
    fn a_method_is_renamed_through_self_and_subclasses() {
        check_rename(
            r#"
            //- /m.py
            class Base:
                def pri$0ce(self):
                    return 1

                def twice(self):
                    return self.price() * 2

            class Child(Base):
                def more(self):
                    return self.price() + super().price()
            "#,
            "cost",
            expect![[r#"
                //- /m.py
                class Base:
                    def cost(self):
                        return 1

                    def twice(self):
                        return self.cost() * 2

                class Child(Base):
                    def more(self):
                        return self.cost() + super().cost()

            "#]],
        );
    }

    #[test]
    fn a_method_called_on_unknown_receivers_or_in_a_hierarchy_is_refused() {
        let unknown = "//- /shop.py\nclass Cart:\n    def to$0tal(self):\n        return 0\n\ndef checkout(items):\n    return sum(i.total() for i in items)\n";
        check_rename(
            unknown,
            "amount",
            expect!["refused: `.total` is used at shop.py:6 on a value whose type is unknown, which may be this method; rename refused"],
        );
        let hierarchy = "//- /shop.py\nclass Cart:\n    def to$0tal(self):\n        return 0\n\nclass Vip(Cart):\n    def total(self):\n        return super().total() * 0.9\n";
        check_rename(
            hierarchy,
            "amount",
            expect![
                "refused: `shop.Vip.total` at shop.py:6 overrides or is overridden by `total`: renaming one method of a hierarchy would break dispatch; rename refused"
            ],
        );
        let override_ = hierarchy
            .replace("def to$0tal(self):\n        return 0", "def total(self):\n        return 0")
            .replace("    def total(self):\n        return super()", "    def to$0tal(self):\n        return super()");
        check_rename(
            &override_,
            "amount",
            expect![
                "refused: `shop.Cart.total` at shop.py:2 overrides or is overridden by `total`: renaming one method of a hierarchy would break dispatch; rename refused"
            ],
        );
    }

    #[test]
    fn members_are_renamed_through_inferred_receivers() {
        check_rename(
            r#"
            //- /shop.py
            class Cart:
                def to$0tal(self):
                    return 0

            def checkout(cart: Cart, other: Cart):
                c = Cart()
                return c.total() + cart.total() + other.total()
            "#,
            "amount",
            expect![[r#"
                //- /shop.py
                class Cart:
                    def amount(self):
                        return 0

                def checkout(cart: Cart, other: Cart):
                    c = Cart()
                    return c.amount() + cart.amount() + other.amount()

            "#]],
        );
    }

    #[test]
    fn a_parameter_read_by_its_name_is_not_renamed() {
        check_rename(
            "//- /m.py\ndef show(x$0):\n    return \"{x}\".format(**locals())\n",
            "value",
            expect![[r#"refused: the body of `show` reads its names through `locals()`: a parameter's new name would not be found there; rename refused"#]],
        );
        check_rename(
            "//- /tests/test_m.py\nimport pytest\n\n@pytest.mark.parametrize(\"value\", [1])\ndef test_one(val$0ue):\n    assert value\n",
            "v",
            expect![[
                r#"refused: pytest passes `test_one`'s parameters by their names (fixtures, `parametrize`): a new name would not be found; rename refused"#
            ]],
        );
    }

    #[test]
    fn a_parameter_is_renamed_with_keyword_arguments_at_its_calls() {
        check_rename(
            r#"
            //- /m.py
            def area(wid$0th, height):
                return width * height

            area(1, 2)
            area(width=3, height=4)
            other(width=5)
            "#,
            "w",
            expect![[r#"
                //- /m.py
                def area(w, height):
                    return w * height

                area(1, 2)
                area(w=3, height=4)
                other(width=5)

            "#]],
        );
        // Keys of a mapping unpacked into a call may name it.
        check_rename(
            "//- /m.py\ndef area(wid$0th, height=1):\n    return width * height\n//- /kw.py\nfrom m import area\nopts = {\"width\": 4}\nprint(area(**opts))\n",
            "w",
            expect![[r#"refused: the call at kw.py:3 passes keyword arguments as `**` a mapping, whose keys may name the parameter `width`; rename refused"#]],
        );
    }

    #[test]
    fn a_parameter_of_a_function_passed_on_as_a_value_keeps_its_name_where_a_keyword_may_reach_it() {
        // Tester cases 03 and 04: a partial's keyword, calls through a dict and a class attribute.
        let workspace = r#"
            //- /m.py
            import functools

            def sub(a, b$0):
                return a - b

            p2 = functools.partial(sub, b=1)
            OPS = {"sub": sub}

            class Calc:
                op = staticmethod(sub)

            print(OPS["sub"](5, b=1), Calc.op(7, b=2))
            "#;
        check_rename(
            workspace,
            "second",
            expect![
                "refused: `sub` is passed on as a value at m.py:6, and `b` at m.py:6 may reach it through that value, where the rename cannot follow; rename refused"
            ],
        );
        check_rename(
            &workspace.replace("p2 = functools.partial(sub, b=1)", "p2 = 0"),
            "second",
            expect![
                "refused: `sub` is passed on as a value at m.py:7, and `b` at m.py:12 may reach it through that value, where the rename cannot follow; rename refused"
            ],
        );
        // Must not: a value bound to a name whose calls are followed, or passed on with no keyword of that name anywhere.
        check_rename(
            "//- /m.py\ndef sub(a, b$0):\n    return a - b\n\ncb = sub\nprint(cb(1, b=2), list(map(sub, [1], [2])))\n",
            "second",
            expect![[r#"
                //- /m.py
                def sub(a, second):
                    return a - second

                cb = sub
                print(cb(1, second=2), list(map(sub, [1], [2])))
            "#]],
        );
    }

    #[test]
    fn a_module_that_is_a_link_to_the_edited_file_refuses_the_rename() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().to_path_buf();
        std::fs::create_dir_all(root.join("pkg")).unwrap();
        std::fs::write(root.join("pkg/__init__.py"), "").unwrap();
        std::fs::write(root.join("pkg/real.py"), "def target_fn():\n    return 1\n").unwrap();
        std::os::unix::fs::symlink("real.py", root.join("pkg/alias.py")).unwrap();
        std::fs::write(root.join("main.py"), "from pkg.alias import target_fn\nfrom pkg.real import target_fn as t\n").unwrap();
        let settings = crate::settings::Settings::default();
        let (graph, _) = crate::index::index(std::slice::from_ref(&root), &settings, None, &|_, _| {}).unwrap();
        let file = graph.file_id(&root.join("pkg/real.py")).unwrap();
        let error = rename(&graph, file, 4, "renamed").unwrap_err().to_string();
        assert_eq!(
            error,
            "pkg/alias.py is a symbolic link to pkg/real.py, which this rename edits: its importers name the same code by another module; rename refused"
        );
    }

    #[test]
    fn a_local_is_renamed_in_its_scope_and_closures_only() {
        check_rename(
            r#"
            //- /m.py
            count = 0

            def f():
                cou$0nt = 1
                count += 1
                def inner():
                    return count
                return inner

            def g():
                return count
            "#,
            "n",
            expect![[r#"
                //- /m.py
                count = 0

                def f():
                    n = 1
                    n += 1
                    def inner():
                        return n
                    return inner

                def g():
                    return count

            "#]],
        );
    }

    #[test]
    fn builtins_externals_modules_and_special_names_are_refused() {
        check_rename("//- /m.py\nle$0n([])\n", "size", expect!["refused: `len` is a Python builtin; renaming it would not rename Python's"]);
        check_rename("//- /m.py\nimport os\nos.pa$0th.join('a')\n", "p", expect!["refused: `os.path` is defined outside the workspace"]);
        check_rename(
            "//- /m.py\nimport n\nn$0.f()\n//- /n.py\ndef f(): pass\n",
            "k",
            expect!["refused: `n` is a module; renaming modules (files) is not supported"],
        );
        check_rename(
            "//- /m.py\nclass A:\n    def __in$0it__(self): pass\n",
            "setup",
            expect!["refused: `__init__` is a special name that Python looks up itself"],
        );
        check_rename(
            "//- /m.py\nfrom n import f as g\ng$0()\n//- /n.py\ndef f(): pass\n",
            "h",
            expect!["refused: `g` is an import alias of `f`: rename the alias where it is bound, or `f` where it is defined"],
        );
    }

    #[test]
    fn bad_new_names_are_refused() {
        let fixture = "//- /m.py\ndef f$0(): pass\n";
        check_rename(fixture, "class", expect!["refused: `class` is a Python keyword"]);
        check_rename(fixture, "2x", expect!["refused: `2x` is not a Python identifier"]);
        check_rename(fixture, "a-b", expect!["refused: `a-b` is not a Python identifier"]);
    }

    #[test]
    fn a_lookup_by_a_computed_name_on_the_module_refuses_the_rename() {
        let fixture =
            "//- /handlers.py\ndef on_$0save(): pass\n//- /app.py\nimport handlers\n\ndef fire(event):\n    return getattr(handlers, \"on_\" + event)()\n";
        check_rename(
            fixture,
            "on_store",
            expect![
                "refused: app.py:4 looks up a global of `handlers` by a name computed at run time, which may be `on_save`: it would no longer find it; rename refused"
            ],
        );
        // Must not: a prefix the name does not have.
        check_rename(
            &fixture.replace("\"on_\"", "\"do_\""),
            "on_store",
            expect![[r#"
                //- /handlers.py
                def on_store(): pass
            "#]],
        );
    }

    #[test]
    fn names_in_strings_the_graph_cannot_follow_are_refused() {
        check_rename(
            "//- /m.py\nclass A:\n    def ru$0n(self): pass\n\ndef go(a):\n    return getattr(a, \"run\")()\n",
            "start",
            expect![[r#"refused: `getattr(…, "run")` at m.py:5 names `run` in a string that rename cannot follow; rename refused"#]],
        );
        check_rename(
            "//- /m.py\ndef ru$0n(): pass\n//- /test_m.py\npatch(\"m.run\")\n",
            "start",
            expect![[r#"refused: the string "m.run" at test_m.py:1 names `run` in a string that rename cannot follow; rename refused"#]],
        );
        // The path a package re-exports it by.
        check_rename(
            "//- /m.py\ndef ru$0n(): pass\n//- /pkg/__init__.py\nfrom m import run\n//- /test_m.py\npatch(\"pkg.run\")\n",
            "start",
            expect![[r#"refused: the string "pkg.run" at test_m.py:1 names `run` in a string that rename cannot follow; rename refused"#]],
        );
        check_rename(
            "//- /m.py\ndef fmt$0_price(x):\n    \"\"\"Formats.\n\n    >>> fmt_price(3)\n    '3.00'\n    \"\"\"\n    return f'{x:.2f}'\n",
            "format_price",
            expect![[r#"refused: a doctest at m.py:2 names `fmt_price` in a string that rename cannot follow; rename refused"#]],
        );
        // Prose naming it is no doctest.
        let prose = "//- /m.py\ndef fmt$0_price(x):\n    \"\"\"Like fmt_price_old.\"\"\"\n    return x\n";
        check_rename(
            prose,
            "format_price",
            expect![[r#"
            //- /m.py
            def format_price(x):
                """Like fmt_price_old."""
                return x
        "#]],
        );
    }

    #[test]
    fn collisions_and_shadowing_are_refused() {
        check_rename("//- /m.py\ndef f$0(): pass\ndef g(): pass\n", "g", expect!["refused: `g` is already bound in the same scope at m.py:2"]);
        // `helper` inside `run` would now mean the local, not the function.
        check_rename(
            "//- /m.py\ndef hel$0per(): pass\n\ndef run():\n    value = 1\n    return helper() + value\n",
            "value",
            expect!["refused: renaming to `value` would change what `helper` at m.py:5 refers to"],
        );
        // The local `x` would capture the reads of the global `y`.
        check_rename(
            "//- /m.py\ny = 1\n\ndef f():\n    x$0 = 2\n    return x + y\n",
            "y",
            expect!["refused: renaming to `y` would change what `y` at m.py:5 refers to"],
        );
    }
}
