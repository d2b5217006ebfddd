//! The standard library's type stubs (typeshed's `stdlib/*.pyi`), read
//! by type inference only: `ContextVar[AppContext].get()` is an
//! `AppContext`, `weakref.ref(self)()` is what `self` is.
//!
//! A stub file is parsed the first time inference asks for its module,
//! then kept (a `OnceLock` per file, so parallel linking parses each once).
//! Its summary is a [`FileEntry`] with a [`FileId`] of its own range, so
//! the resolver reads it like a workspace file; but it has no graph nodes:
//! what a reference resolves to through a stub stays an external path, so
//! stub symbols are never renamed, never callers, never workspace symbols.
//! Without stubs (not installed) inference stops at the standard library,
//! as it always did.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};

use rustc_hash::FxHashMap;

use super::resolve::{ClassRef, Resolver, Value};
use super::summary::{DefinitionId, DefinitionKind};
use super::{FileEntry, FileId, FileSummary, Hashes, Prepared};

/// Stub files get ids from here up.
const FIRST_STUB: u32 = 1 << 31;
/// Stub files larger than this are skipped (typeshed's largest is ~100 KB).
const MAX_STUB_BYTES: u64 = 2 << 20;

/// Where a stub's text comes from.
#[derive(Debug)]
enum Source {
    File(PathBuf),
    Text(Arc<str>),
}

/// The stub files of a directory laid out as modules (`os/path.pyi` is
/// `os.path`), parsed on demand.
#[derive(Debug)]
pub struct Stubs {
    root: PathBuf,
    modules: FxHashMap<String, u32>,
    sources: Vec<(PathBuf, Source)>,
    entries: Vec<OnceLock<Option<FileEntry>>>,
    /// The MROs of stub classes computed so far: the same for every file,
    /// so relinking a file does not walk `str`'s bases again.
    mros: Mutex<FxHashMap<(FileId, DefinitionId), Vec<ClassRef>>>,
    /// The type parameters of stub classes computed so far, likewise.
    parameters: Mutex<FxHashMap<(FileId, DefinitionId), Vec<String>>>,
}

impl Stubs {
    /// The `.pyi` files under `root`; none parsed yet.
    pub fn open(root: &Path) -> std::io::Result<Stubs> {
        let mut files = Vec::new();
        let mut dirs = vec![root.to_path_buf()];
        while let Some(dir) = dirs.pop() {
            for entry in std::fs::read_dir(&dir)? {
                let entry = entry?;
                let path = entry.path();
                let kind = entry.file_type()?;
                if kind.is_dir() {
                    dirs.push(path);
                } else if kind.is_file() && path.extension().is_some_and(|e| e == "pyi") && entry.metadata()?.len() <= MAX_STUB_BYTES {
                    files.push((path.clone(), Source::File(path)));
                }
            }
        }
        Ok(Self::new(root.to_path_buf(), files))
    }

    /// Stubs given as text by path relative to a root (tests).
    pub fn from_texts(files: Vec<(String, String)>) -> Stubs {
        let root = PathBuf::from("/typeshed-stdlib");
        Self::new(root.clone(), files.into_iter().map(|(path, text)| (root.join(path), Source::Text(text.into()))).collect())
    }

    fn new(root: PathBuf, mut files: Vec<(PathBuf, Source)>) -> Stubs {
        files.sort_by(|a, b| a.0.cmp(&b.0));
        let roots = [root.clone()];
        let mut modules = FxHashMap::default();
        for (i, (path, _)) in files.iter().enumerate() {
            if let Some((module, _)) = super::module_name(path, &roots) {
                modules.entry(module).or_insert(i as u32);
            }
        }
        let entries = files.iter().map(|_| OnceLock::new()).collect();
        Stubs { root, modules, sources: files, entries, mros: Mutex::default(), parameters: Mutex::default() }
    }

    /// How many stub modules there are.
    pub fn len(&self) -> usize {
        self.modules.len()
    }

    pub fn is_empty(&self) -> bool {
        self.modules.is_empty()
    }

    /// Parses the stubs of `modules` (with `builtins`, which every name
    /// falls back to) ahead of the first request that needs them; what
    /// they import is parsed when first read (transitively, most of the
    /// standard library would be). Returns how many were parsed.
    pub fn warm<'a>(&self, modules: impl IntoIterator<Item = &'a str>) -> usize {
        let mut seen = rustc_hash::FxHashSet::default();
        for name in modules.into_iter().chain(["builtins"]) {
            // `import a.b.c` needs `a` and `a.b` too.
            let mut prefix = String::new();
            for part in name.split('.') {
                if !prefix.is_empty() {
                    prefix.push('.');
                }
                prefix.push_str(part);
                let Some(&index) = self.modules.get(&prefix) else { break };
                if !seen.insert(index) {
                    continue;
                }
                self.entry(FileId(FIRST_STUB + index));
            }
        }
        seen.len()
    }

    /// The MRO of a stub class, when computed before.
    pub(super) fn mro(&self, class: (FileId, DefinitionId)) -> Option<Vec<ClassRef>> {
        self.mros.lock().ok()?.get(&class).cloned()
    }

    pub(super) fn keep_mro(&self, class: (FileId, DefinitionId), mro: Vec<ClassRef>) {
        if let Ok(mut mros) = self.mros.lock() {
            mros.insert(class, mro);
        }
    }

    /// The type parameters of a stub class, when computed before.
    pub(super) fn type_parameters(&self, class: (FileId, DefinitionId)) -> Option<Vec<String>> {
        self.parameters.lock().ok()?.get(&class).cloned()
    }

    pub(super) fn keep_type_parameters(&self, class: (FileId, DefinitionId), parameters: Vec<String>) {
        if let Ok(mut known) = self.parameters.lock() {
            known.insert(class, parameters);
        }
    }

    /// The stub file of a module.
    pub(super) fn module(&self, name: &str) -> Option<FileId> {
        self.modules.get(name).map(|&i| FileId(FIRST_STUB + i))
    }

    /// The summary of a stub file, parsed the first time it is asked for.
    pub(super) fn entry(&self, id: FileId) -> Option<&FileEntry> {
        let index = id.0.checked_sub(FIRST_STUB)? as usize;
        let (path, source) = self.sources.get(index)?;
        self.entries[index]
            .get_or_init(|| {
                let text: Arc<str> = match source {
                    Source::File(path) => std::fs::read_to_string(path).ok()?.into(),
                    Source::Text(text) => text.clone(),
                };
                let mut summary = FileSummary::extract(&text);
                // Nothing resolves a stub's references: only what it binds
                // is read.
                summary.references = Vec::new();
                let summary = Arc::new(summary);
                // A stub is never updated: no hashes to compare.
                let prepared = Prepared::new(std::slice::from_ref(&self.root), path, &text, &summary, Hashes::Skip)?;
                Some(FileEntry::stub(path.clone(), summary, prepared))
            })
            .as_ref()
    }
}

impl super::Graph {
    /// What a call of the external `path` runs, as the stubs declare it:
    /// a function's signatures (its `@overload`s), a class's `__init__` or
    /// `__new__` (also through an alias, `ref = ReferenceType`); with
    /// whether the first parameter is bound (`self`, `cls`). `None` when
    /// the stubs do not know it (or are not installed).
    pub fn external_callee(&self, path: &str) -> Option<(Vec<(FileId, DefinitionId)>, bool)> {
        let module = self.stubs.as_deref()?.modules.values().next().map(|&i| FileId(FIRST_STUB + i))?;
        let mut r = Resolver::new(self, module);
        let (file, def) = match r.stub_value(path, 0)? {
            Value::Definition(f, d) if self.file(f)?.summary.definitions[d as usize].kind == DefinitionKind::Variable => {
                let class = r.value_types(&Value::Definition(f, d), 0).iter().find_map(|t| t.class_object())?;
                return self.constructor(&mut r, class);
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
}

/// Whether a file id is a stub's.
pub(super) fn is_stub(id: FileId) -> bool {
    id.0 >= FIRST_STUB
}

impl Resolver<'_> {
    /// What the stubs say a dotted path outside the workspace is
    /// (`weakref.ref`, `builtins.str`): a value inside a stub file.
    pub(super) fn stub_value(&mut self, path: &str, depth: u32) -> Option<Value> {
        let stubs = self.graph.stubs.as_deref()?;
        let parts: Vec<&str> = path.split('.').collect();
        // The longest module prefix that has a stub.
        let (file, rest) = (1..parts.len()).rev().find_map(|i| Some((stubs.module(&parts[..i].join("."))?, &parts[i..])))?;
        let (first, rest) = rest.split_first()?;
        let binding = self.member_binding(file, 0, first)?;
        let mut value = self.binding_value(file, binding, depth + 1)?;
        for part in rest {
            value = self.member(&value, part, depth + 1)?;
        }
        Some(value)
    }

    /// A name in a stub file's import: what the imported stub binds it to.
    pub(super) fn stub_import(&mut self, module: &str, name: &str, depth: u32) -> Option<Value> {
        match self.graph.stubs.as_deref().and_then(|s| s.module(module)) {
            Some(file) => {
                let binding = self.member_binding(file, 0, name)?;
                self.binding_value(file, binding, depth + 1)
            }
            None => Some(Value::External(format!("{module}.{name}"))),
        }
    }

    /// An instance of the class outside the workspace at `path`, with type
    /// arguments: of its stub when there is one, else known by path.
    pub(in crate::graph) fn external_instance(&mut self, path: String, args: Vec<Vec<super::infer::Ty>>, depth: u32) -> super::infer::Ty {
        use super::infer::Ty;
        match self.stub_value(&path, depth) {
            Some(Value::Definition(f, c)) if self.graph.file(f).is_some_and(|e| e.summary.definitions[c as usize].kind == DefinitionKind::Class) => {
                Ty::Instance(f, c, args)
            }
            _ => Ty::ExternalInstance(path),
        }
    }

    /// The dotted path of a definition of a stub file (`_weakref.ReferenceType`,
    /// `_contextvars.ContextVar.get`); `None` outside the stubs.
    pub(in crate::graph) fn stub_path(&self, file: FileId, def: DefinitionId) -> Option<String> {
        stub_path(self.graph, file, def)
    }
}

/// See [`Resolver::stub_path`].
pub(super) fn stub_path(graph: &super::Graph, file: FileId, def: DefinitionId) -> Option<String> {
    if !is_stub(file) {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn warming_parses_the_modules_named_and_their_packages() {
        let text = |t: &str| t.to_owned();
        let stubs = Stubs::from_texts(vec![
            ("builtins.pyi".to_owned(), text("class str: ...\n")),
            ("os/__init__.pyi".to_owned(), text("from . import path as path\nimport sys\n")),
            ("os/path.pyi".to_owned(), text("def join(a: str) -> str: ...\n")),
            ("sys.pyi".to_owned(), text("platform: str\n")),
            ("tkinter.pyi".to_owned(), text("class Tk: ...\n")),
        ]);
        assert_eq!(stubs.len(), 5);
        // `os` and `os.path`, and `builtins`; not `sys`, which `os` imports.
        assert_eq!(stubs.warm(["os.path", "requests"]), 3);
        let parsed = stubs.entries.iter().filter(|e| e.get().is_some()).count();
        assert_eq!(parsed, 3, "neither sys nor tkinter is parsed");
        assert_eq!(stubs.module("os.path").and_then(|id| stubs.entry(id)).map(|e| e.module.as_str()), Some("os.path"));
    }
}
