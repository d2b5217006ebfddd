//! Whether one `from m import *` binds a given name: what a rename to that
//! name must know when the star import runs after the renamed binding
//! (`val = 16` then `from math import *`: renamed `tau`, the star import
//! replaces it).

use super::resolve::Resolver;
use super::{FileId, Graph};

impl Graph {
    /// Whether the module-level star import `import` (an index into the
    /// summary's imports) of `file` binds `name`: `Some(true)` or
    /// `Some(false)` as the resolver reads the module (its `__all__`, or
    /// its public names and its own star imports), `None` when the module
    /// is not one the graph holds (or not a star import).
    pub fn star_import_binds(&self, file: FileId, import: u32, name: &str) -> Option<bool> {
        let entry = self.file(file)?;
        if !entry.summary.imports.get(import as usize)?.star {
            return None;
        }
        let mut resolver = Resolver::new(self, file);
        let module = resolver.import_module(file, import)?;
        if let Some(found) = self.resolve_module(&module) {
            return Some(match resolver.dunder_all(found) {
                Some(all) => all.iter().any(|n| *n == name),
                None if name.starts_with('_') => false,
                None => resolver.member_binding(found, 0, name).is_some() || resolver.star_member(found, name, 1).is_some(),
            });
        }
        let source = self.library.as_deref()?.module(&module).and_then(|f| self.file(f))?;
        if let Some(mut all) = super::library::dunder_all(source) {
            return Some(all.any(|n| n == name));
        }
        // A library module that star-imports others may pass the name on.
        Some(!name.starts_with('_') && (source.binds_at_module_level(name) || source.has_star_import()))
    }
}
