//! The resolver's way into the library: what an external dotted path is
//! there, and what a library file's imports bind.

use super::super::infer::Ty;
use super::super::resolve::{Resolver, Value};
use super::super::summary::{DefinitionId, DefinitionKind};
use super::super::{FileId, Graph};
use super::is_library;

/// Import chains deeper than this are cut (re-export cycles).
const MAX_DEPTH: u32 = 24;

impl Resolver<'_> {
    /// What the library says a dotted path outside the workspace is
    /// (`weakref.ref`, `requests.get`, `os.path.join`): a value inside a
    /// library file, or a library module (`Value::Module`).
    pub(in crate::graph) fn library_value(&mut self, path: &str, depth: u32) -> Option<Value> {
        let library = self.graph.library.as_deref()?;
        let parts: Vec<&str> = path.split('.').collect();
        // The longest module prefix the library has.
        let (split, module) = (1..=parts.len()).rev().find_map(|i| {
            let name = parts[..i].join(".");
            library.has_module(&name).then_some((i, name))
        })?;
        let mut value = Value::Module(module);
        for part in &parts[split..] {
            value = match &value {
                Value::Module(module) => self.library_member(module, part, depth + 1)?,
                other => self.member(other, part, depth + 1)?,
            };
        }
        Some(value)
    }

    /// A name of a library module: what its file binds it to (through its
    /// `*` imports), else its submodule.
    pub(in crate::graph) fn library_member(&mut self, module: &str, name: &str, depth: u32) -> Option<Value> {
        if depth > MAX_DEPTH {
            return None;
        }
        let key = (module.to_owned(), name.to_owned());
        if let Some(known) = self.library_members.get(&key) {
            return known.clone();
        }
        self.library_members.insert(key.clone(), None);
        let found = self.find_library_member(module, name, depth);
        self.library_members.insert(key, found.clone());
        found
    }

    fn find_library_member(&mut self, module: &str, name: &str, depth: u32) -> Option<Value> {
        let library = self.graph.library.as_deref()?;
        if let Some(file) = library.module(module) {
            if let Some(binding) = self.member_binding(file, 0, name) {
                // `from . import sub` in `pkg/__init__.py` binds the
                // submodule; reading the binding would come back here.
                let submodule = format!("{module}.{name}");
                if self.is_import_of(file, binding, &submodule) && library.has_module(&submodule) {
                    return Some(Value::Module(submodule));
                }
                if let Some(value) = self.binding_value(file, binding, depth + 1) {
                    return Some(value);
                }
            }
            if let Some(value) = self.library_star_member(file, name, depth + 1) {
                return Some(value);
            }
        }
        let submodule = format!("{module}.{name}");
        library.has_module(&submodule).then_some(Value::Module(submodule))
    }

    /// Whether a binding is an import of exactly `module` (`from . import
    /// sub`, `import a.b as b`, `from a import b`).
    fn is_import_of(&self, file: FileId, binding: u32, module: &str) -> bool {
        let Some(entry) = self.graph.file(file) else { return false };
        let super::super::summary::BindingKind::Import(import) = entry.summary.bindings[binding as usize].kind else { return false };
        let import = &entry.summary.imports[import as usize];
        let Some(base) = super::super::absolute_module(&entry.module, entry.is_package, import.level, import.module.as_deref()) else { return false };
        match &import.name {
            Some(name) => format!("{base}.{name}") == module,
            None => base == module,
        }
    }

    /// `name` through the module-level `*` imports of a library file.
    pub(in crate::graph) fn library_star_member(&mut self, file: FileId, name: &str, depth: u32) -> Option<Value> {
        if depth > MAX_DEPTH || name.starts_with('_') {
            return None;
        }
        let entry = self.graph.file(file)?;
        for &import in &entry.star_imports {
            let Some(module) = self.import_module(file, import) else { continue };
            // `*` brings only what the source's `__all__` lists, when it has one.
            let source = self.graph.library.as_deref().and_then(|l| l.module(&module)).and_then(|f| self.graph.file(f));
            if source.and_then(super::dunder_all).is_some_and(|mut all| !all.any(|n| n == name)) {
                continue;
            }
            if let Some(value) = self.library_member(&module, name, depth + 1) {
                return Some(value);
            }
        }
        None
    }

    /// A name in a library file's `from module import name`: what the
    /// library binds it to, or its path when the library does not know it.
    pub(in crate::graph) fn library_import(&mut self, module: &str, name: &str, depth: u32) -> Option<Value> {
        match self.graph.library.as_deref() {
            Some(library) if library.has_module(module) => self.library_member(module, name, depth),
            _ => Some(Value::External(format!("{module}.{name}"))),
        }
    }

    /// An instance of the class outside the workspace at `path`, with type
    /// arguments: of its library class when there is one, else known by path.
    pub(in crate::graph) fn external_instance(&mut self, path: String, args: Vec<Vec<Ty>>, depth: u32) -> Ty {
        match self.library_value(&path, depth) {
            Some(Value::Definition(f, c)) if self.graph.file(f).is_some_and(|e| e.summary.definitions[c as usize].kind == DefinitionKind::Class) => {
                Ty::Instance(f, c, args)
            }
            _ => Ty::ExternalInstance(path),
        }
    }

    /// The dotted path of a library definition (`_weakref.ReferenceType`,
    /// `_contextvars.ContextVar.get`); `None` outside the library.
    pub(in crate::graph) fn library_path(&self, file: FileId, def: DefinitionId) -> Option<String> {
        library_path(self.graph, file, def)
    }
}

/// See [`Resolver::library_path`].
pub(in crate::graph) fn library_path(graph: &Graph, file: FileId, def: DefinitionId) -> Option<String> {
    if !is_library(file) {
        return None;
    }
    let entry = graph.file(file)?;
    let summary = &entry.summary;
    let d = &summary.definitions[def as usize];
    Some(match summary.enclosing_class(d.scope) {
        Some(class) => format!("{}.{}.{}", entry.module, summary.definitions[class as usize].name, d.name),
        None => format!("{}.{}", entry.module, d.name),
    })
}
