//! What the features read of the library: the definition or module an
//! external dotted path names, as a symbol (hover, definition, signature
//! help, the LLM context), and the members a completion after a dot offers.

use std::path::{Path, PathBuf};

use rustc_hash::FxHashSet;

use super::super::resolve::{ClassRef, Resolver, Value};
use super::super::summary::{BindingKind, DefinitionId, DefinitionKind, Name, Signature, Span};
use super::super::{FileId, Graph, SymbolKind, mangled};
use super::distribution::Distribution;
use super::resolve::library_path;
use super::{Library, Origin, is_library};

/// A definition or module outside the workspace that the library found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LibraryItem {
    pub file: FileId,
    /// `None` for the module itself.
    pub definition: Option<DefinitionId>,
}

/// What a library item is, borrowed from the library's summaries.
#[derive(Debug, Clone)]
pub struct LibrarySymbol<'g> {
    pub kind: SymbolKind,
    pub name: &'g str,
    /// Where it is defined: `requests.api.get`, `posixpath.join`.
    pub qualified_name: String,
    pub module: &'g str,
    pub path: &'g Path,
    pub name_range: Span,
    pub signature: Option<&'g Signature>,
    pub docstring: Option<&'g str>,
    pub bases: &'g [Name],
    pub decorators: &'g [Name],
    pub annotation: Option<&'g str>,
    pub origin: Origin,
    pub distribution: Option<Distribution>,
}

/// A member a completion after a dot offers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LibraryMember {
    pub name: String,
    pub kind: SymbolKind,
    /// The member's dotted path (its documentation is looked up by it).
    pub path: String,
}

/// What a member listing has seen: names (nearest first wins), and the
/// modules and classes read (each once).
#[derive(Default)]
struct Members {
    names: FxHashSet<String>,
    modules: FxHashSet<String>,
    classes: FxHashSet<(FileId, DefinitionId)>,
}

/// The resolver's origin for a library query: no workspace file.
const NO_FILE: FileId = FileId(u32::MAX);

impl Graph {
    /// Whether `path` is in an installed package (under a search path of
    /// the library that is not a workspace root): opened in the editor, it
    /// is read, never edited or linted.
    pub fn is_library_path(&self, path: &Path) -> bool {
        let Some(library) = self.library.as_deref() else { return false };
        library.search_paths().any(|s| path.starts_with(s) && !self.roots().iter().any(|r| r.starts_with(s)))
    }

    /// The folders of the library that are no workspace root nor hold one
    /// (the environment's `sys.path`, a `.venv` in the workspace's too,
    /// and typeshed's stubs): what changes there (a package installed)
    /// changes the library.
    pub fn library_folders(&self) -> Vec<PathBuf> {
        let Some(library) = self.library.as_deref() else { return Vec::new() };
        library.search_paths().filter(|s| !self.roots().iter().any(|r| r.starts_with(s))).map(Path::to_path_buf).collect()
    }

    /// Resolves outside names in `library` from now on (the environment
    /// changed): every workspace file waits to be re-linked (see
    /// [`Graph::relink_pending`]); what resolves on demand sees it at once.
    pub fn replace_library(&mut self, library: Option<std::sync::Arc<Library>>) {
        self.library = library;
        self.touch();
        let files: Vec<FileId> = self.files().map(|(id, _)| id).collect();
        self.pending.extend(files);
    }

    /// The library this graph resolves external names in.
    pub fn library(&self) -> Option<std::sync::Arc<Library>> {
        self.library.clone()
    }

    /// What an external dotted path names in the library (through
    /// re-exports, `*` imports and the MRO): `requests.get` is
    /// `requests.api.get`. `None` when the library does not know it.
    pub fn library_item(&self, path: &str) -> Option<LibraryItem> {
        let mut r = Resolver::new(self, NO_FILE);
        let value = r.library_value(path, 0)?;
        self.item_of(&mut r, &value, 0)
    }

    /// How the module of an external path was found (the file of its
    /// longest module prefix), without reading the file: the checks skip
    /// untyped libraries before resolving anything in them.
    pub fn library_origin(&self, path: &str) -> Option<Origin> {
        let library = self.library.as_deref()?;
        // The longest prefix first, sliced at each dot: asked for every
        // library call a check meets, a name built per prefix showed.
        std::iter::once(path)
            .chain(path.rmatch_indices('.').map(|(dot, _)| &path[..dot]))
            .find_map(|module| library.module(module).and_then(|file| library.origin_of(file)))
    }

    fn item_of(&self, r: &mut Resolver, value: &Value, depth: u32) -> Option<LibraryItem> {
        match value {
            Value::Definition(file, def) if is_library(*file) => Some(LibraryItem { file: *file, definition: Some(*def) }),
            Value::Module(module) => Some(LibraryItem { file: self.library.as_deref()?.module(module)?, definition: None }),
            Value::Union(values) => values.iter().find_map(|v| self.item_of(r, v, depth)),
            // A member of a base known by path (`builtins.dict.get`).
            Value::External(path) if depth < 4 => {
                let value = r.library_value(path, 0)?;
                self.item_of(r, &value, depth + 1)
            }
            _ => None,
        }
    }

    /// The library classes in a workspace class's MRO, by path, nearest
    /// first: their members are the class's too.
    pub fn library_bases(&self, class: crate::graph::SymbolId) -> Vec<String> {
        let Some((file, def)) = self.class_definition(class) else { return Vec::new() };
        let mut r = Resolver::new(self, file);
        let mro = r.mro(file, def, 0);
        mro.iter()
            .filter_map(|c| match c {
                ClassRef::External(path) if path != "builtins.object" => Some(path.clone()),
                ClassRef::Workspace(f, d) if is_library(*f) => library_path(self, *f, *d),
                _ => None,
            })
            .collect()
    }

    /// A library item as a symbol, with its documentation (a stub's from
    /// the source it types).
    pub fn library_symbol(&self, item: LibraryItem) -> Option<LibrarySymbol<'_>> {
        let mut symbol = self.library_declaration(item)?;
        if symbol.docstring.is_none() && matches!(symbol.origin, Origin::StdlibStub | Origin::Stub) {
            let library = self.library.as_deref()?;
            symbol.docstring = self.source_docstring(library, symbol.module, &symbol.qualified_name);
        }
        Some(symbol)
    }

    /// A library item as its file declares it, without looking for the
    /// documentation a stub leaves out: what the checks read (finding that
    /// parses the interpreter's own `.py` of every module a stub types).
    pub fn library_declaration(&self, item: LibraryItem) -> Option<LibrarySymbol<'_>> {
        let library = self.library.as_deref()?;
        let entry = self.file(item.file)?;
        let origin = library.origin_of(item.file)?;
        let distribution = library.distribution_of(item.file);
        let module_name = entry.module.rsplit('.').next().unwrap_or(&entry.module);
        let mut symbol = LibrarySymbol {
            kind: SymbolKind::Module,
            name: module_name,
            qualified_name: entry.module.clone(),
            module: &entry.module,
            path: &entry.path,
            name_range: Span::default(),
            signature: None,
            docstring: entry.summary.docstring.as_deref(),
            bases: &[],
            decorators: &[],
            annotation: None,
            origin,
            distribution,
        };
        if let Some(def) = item.definition {
            let d = entry.summary.definitions.get(def as usize)?;
            symbol.kind = d.kind.into();
            symbol.name = &d.name;
            symbol.qualified_name = library_path(self, item.file, def)?;
            symbol.name_range = d.name_range;
            symbol.signature = d.signature.as_deref();
            symbol.docstring = d.docstring.as_deref();
            symbol.bases = &d.bases;
            symbol.decorators = &d.decorators;
            symbol.annotation = d.annotation.as_deref();
        }
        Some(symbol)
    }

    /// The docstring of `qualified` (`json.loads`, `requests.Session.get`)
    /// in the source its stub types: stubs carry none.
    fn source_docstring(&self, library: &Library, module: &str, qualified: &str) -> Option<&str> {
        let entry = self.file(library.source_module(module)?)?;
        let summary = &entry.summary;
        let rest = qualified.strip_prefix(module).map(|r| r.trim_start_matches('.')).unwrap_or(qualified);
        if rest.is_empty() {
            return summary.docstring.as_deref();
        }
        let mut scope = Some(0);
        let mut found = None;
        for name in rest.split('.') {
            let within = scope?;
            let d = summary.definitions.iter().position(|d| d.scope == within && d.name == name)?;
            found = Some(d);
            scope = summary.definitions[d].body;
        }
        summary.definitions[found?].docstring.as_deref()
    }

    /// The `@overload` signatures of a library function (the function
    /// itself when it has none), for signature help and the checks.
    pub fn library_overloads(&self, item: LibraryItem) -> Vec<DefinitionId> {
        let Some(def) = item.definition else { return Vec::new() };
        Resolver::new(self, NO_FILE).overload_candidates(item.file, def, None)
    }

    /// What a call of the external `path` runs, as the library declares
    /// it: a function's signatures (its `@overload`s), a class's `__init__`
    /// or `__new__` (also through an alias, `ref = ReferenceType`); with
    /// whether the first parameter is bound (`self`, `cls`).
    pub fn external_callee(&self, path: &str) -> Option<(Vec<(FileId, DefinitionId)>, bool)> {
        let mut r = Resolver::new(self, NO_FILE);
        let (file, def) = match r.library_value(path, 0)? {
            Value::Definition(f, d) if self.file(f)?.summary.definitions[d as usize].kind == DefinitionKind::Variable => {
                let types = r.value_types(&Value::Definition(f, d), 0);
                if let Some(class) = types.iter().find_map(|t| t.class_object()) {
                    return self.constructor(&mut r, class);
                }
                // A callable object (`np.zeros: _ConstructorEmpty`): its `__call__`.
                let (file, class) = types.iter().find_map(|t| t.instance_class())?;
                let Some(Value::Definition(f, d)) = r.class_member(file, class, "__call__", 0) else { return None };
                return Some((r.overload_candidates(f, d, None).into_iter().map(|o| (f, o)).collect(), true));
            }
            Value::Definition(f, d) => (f, d),
            _ => return None,
        };
        let d = &self.file(file)?.summary.definitions[def as usize];
        match d.kind {
            DefinitionKind::Class => self.constructor(&mut r, (file, def)),
            DefinitionKind::Method => {
                let is_static = d.decorators.iter().any(|x| x == "staticmethod");
                Some((r.overload_candidates(file, def, None).into_iter().map(|o| (file, o)).collect(), !is_static))
            }
            _ => Some((r.overload_candidates(file, def, None).into_iter().map(|o| (file, o)).collect(), false)),
        }
    }

    fn constructor(&self, r: &mut Resolver, (file, class): (FileId, DefinitionId)) -> Option<(Vec<(FileId, DefinitionId)>, bool)> {
        for method in ["__init__", "__new__"] {
            if let Some(Value::Definition(f, d)) = r.class_member(file, class, method, 0) {
                return Some((r.overload_candidates(f, d, None).into_iter().map(|o| (f, o)).collect(), true));
            }
        }
        None
    }

    /// The members of what an external path is: a module's names and
    /// submodules, a class's members through its MRO (nearest first), or
    /// those of the class of an instance (`instance`: the path names the
    /// class of a value, not the value).
    pub fn library_members(&self, path: &str, instance: bool) -> Vec<LibraryMember> {
        let mut r = Resolver::new(self, NO_FILE);
        let Some(value) = r.library_value(path, 0) else { return Vec::new() };
        let mut out = Vec::new();
        let mut visited = Members::default();
        match value {
            Value::Module(module) if !instance => self.module_members(&mut r, &module, false, &mut visited, &mut out),
            Value::Definition(file, def) => {
                let kind = self.file(file).map(|e| e.summary.definitions[def as usize].kind);
                let classes: Vec<(FileId, DefinitionId)> = match kind {
                    Some(DefinitionKind::Class) => vec![(file, def)],
                    // A module-level instance (`os.environ`) or alias.
                    _ => r.value_types(&Value::Definition(file, def), 0).iter().filter_map(|t| t.class_object().or_else(|| t.instance_class())).collect(),
                };
                for (file, class) in classes {
                    self.class_members(&mut r, file, class, &mut visited, &mut out);
                }
            }
            _ => {}
        }
        out
    }

    /// The names a library module exports: its `__all__` when it has one,
    /// else its public names (a stub's imports only when re-exported `as`
    /// themselves, PEP 484) and what its `*` imports bring; each module is
    /// read once (`*` imports may form cycles).
    fn module_members(&self, r: &mut Resolver, module: &str, star: bool, visited: &mut Members, out: &mut Vec<LibraryMember>) {
        let Some(library) = self.library.as_deref() else { return };
        if !visited.modules.insert(module.to_owned()) {
            return;
        }
        if let Some(file) = library.module(module)
            && let Some(entry) = self.file(file)
        {
            let kind_of = |r: &mut Resolver, name: &str| r.library_member(module, name, 0).map_or(SymbolKind::Variable, |v| self.kind_of(&v));
            if let Some(all) = super::dunder_all(entry) {
                for name in all {
                    if visited.names.insert(name.to_owned()) {
                        let kind = kind_of(r, name);
                        out.push(LibraryMember { name: name.to_owned(), kind, path: format!("{module}.{name}") });
                    }
                }
                self.submodule_members(library, module, star, visited, out);
                return;
            }
            let public = |name: &str| !name.starts_with('_') || (!star && name.starts_with("__") && name.ends_with("__") && name != "__all__");
            let is_stub = entry.path.extension().is_some_and(|e| e == "pyi");
            let exported = |kind: BindingKind, name: &str| match kind {
                BindingKind::Import(i) if is_stub => entry.summary.imports[i as usize].alias.as_deref() == Some(name),
                _ => true,
            };
            for binding in entry.summary.bindings.iter().filter(|b| b.scope == 0 && public(&b.name) && exported(b.kind, &b.name)) {
                if !visited.names.insert(binding.name.to_string()) {
                    continue;
                }
                let kind = match binding.kind {
                    BindingKind::Definition(d) => entry.summary.definitions[d as usize].kind.into(),
                    _ => kind_of(r, &binding.name),
                };
                out.push(LibraryMember { name: binding.name.to_string(), kind, path: format!("{module}.{}", binding.name) });
            }
            for &import in &entry.star_imports {
                if let Some(source) = r.import_module(file, import) {
                    self.module_members(r, &source, true, visited, out);
                }
            }
        }
        self.submodule_members(library, module, star, visited, out);
    }

    /// A module's submodules, as its members (not through a `*` import).
    fn submodule_members(&self, library: &Library, module: &str, star: bool, visited: &mut Members, out: &mut Vec<LibraryMember>) {
        if star {
            return;
        }
        for name in library.submodules(module) {
            if visited.names.insert(name.clone()) {
                out.push(LibraryMember { path: format!("{module}.{name}"), name, kind: SymbolKind::Module });
            }
        }
    }

    /// A class's members through its MRO, nearest first, with those of
    /// the library classes it names only by path (`builtins.dict` as the
    /// base of `collections.OrderedDict`).
    fn class_members(&self, r: &mut Resolver, file: FileId, class: DefinitionId, visited: &mut Members, out: &mut Vec<LibraryMember>) {
        if !visited.classes.insert((file, class)) {
            return;
        }
        let mro = r.mro(file, class, 0);
        for class in mro.iter() {
            let (f, d) = match class {
                ClassRef::Workspace(f, d) => (*f, *d),
                ClassRef::External(path) if path != "builtins.object" => {
                    if let Some(Value::Definition(f, d)) = r.library_value(path, 0)
                        && self.file(f).is_some_and(|e| e.summary.definitions[d as usize].kind == DefinitionKind::Class)
                    {
                        self.class_members(r, f, d, visited, out);
                    }
                    continue;
                }
                ClassRef::External(_) => continue,
            };
            let Some(entry) = self.file(f) else { continue };
            let Some(body) = entry.summary.definitions[d as usize].body else { continue };
            let owner = library_path(self, f, d);
            for binding in entry.summary.bindings.iter().filter(|b| b.scope == body) {
                // Dunder methods are members (`super().__init__`); a
                // name-mangled `__private` is the class's own.
                if mangled(&binding.name) || !visited.names.insert(binding.name.to_string()) {
                    continue;
                }
                let kind = match binding.kind {
                    BindingKind::Definition(def) => entry.summary.definitions[def as usize].kind.into(),
                    _ => SymbolKind::Variable,
                };
                let path = owner.as_ref().map_or_else(|| binding.name.to_string(), |o| format!("{o}.{}", binding.name));
                out.push(LibraryMember { name: binding.name.to_string(), kind, path });
            }
        }
    }

    fn kind_of(&self, value: &Value) -> SymbolKind {
        match value {
            Value::Module(_) => SymbolKind::Module,
            Value::Definition(f, d) => self.file(*f).map_or(SymbolKind::Variable, |e| e.summary.definitions[*d as usize].kind.into()),
            _ => SymbolKind::Variable,
        }
    }
}
