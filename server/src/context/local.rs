//! A neighbourhood without the workspace graph: the definitions of the
//! target's file and of the workspace modules it imports, tied by the names
//! their code uses. The target is the innermost definition at the cursor,
//! or the module-level statement there.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use super::neighbourhood::{Neighbourhood, Node, Tie, penalised};
use super::outline::{DefKind, Import, Outline, RefKind, outline};

/// The target's file and the workspace modules it imports, one hop: the
/// neighbourhood when no workspace graph is at hand.
pub(super) fn neighbourhood(root: &Path, file: &Path, source: &str, line: usize) -> Result<Neighbourhood, String> {
    let mut files = vec![SourceFile::new(root, file, source.to_owned())];
    for path in imported_files(root, file, &files[0].outline.imports) {
        match std::fs::read_to_string(&path) {
            Ok(text) => files.push(SourceFile::new(root, &path, text)),
            Err(e) => tracing::debug!(path = %path.display(), "imported module not read: {e}"),
        }
    }
    let graph = LocalGraph::build(&files);
    let target = graph.innermost_at(&files[0], line).ok_or_else(|| format!("nothing to give context for at {}:{line}", file.display()))?;
    let mut edges = graph.edges(&files);
    let imported = graph.imported_only(&files, target, &mut edges);
    let mut nodes = graph
        .nodes
        .iter()
        .map(|&(f, d)| {
            let file = &files[f];
            let def = &file.outline.defs[d];
            Node {
                file: file.relative.clone(),
                range: def.range.clone(),
                line: def.line,
                qualname: def.qualname.clone(),
                code: file.text[def.range.clone()].to_owned(),
                signature: def.signature.split_whitespace().collect::<Vec<_>>().join(" "),
                doc: def.doc.clone(),
                in_target_file: f == 0,
                is_statement: def.kind == DefKind::Statement,
                signature_only: false,
                via: None,
            }
        })
        .collect::<Vec<Node>>();
    imported.into_iter().for_each(|n| nodes[n].signature_only = true);
    Ok(Neighbourhood { nodes, edges, target })
}

struct SourceFile {
    /// Path relative to the workspace root, `/`-separated, for titles.
    relative: String,
    text: String,
    outline: Outline,
}

impl SourceFile {
    fn new(root: &Path, path: &Path, text: String) -> Self {
        let relative = path.strip_prefix(root).unwrap_or(path);
        let relative = relative.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/");
        Self { relative, outline: outline(&text), text }
    }
}

/// Definitions across the files, and which name means which.
struct LocalGraph {
    /// (file index, def index)
    nodes: Vec<(usize, usize)>,
    by_name: HashMap<String, Vec<usize>>,
    /// The enclosing definition's node, per node.
    parents: Vec<Option<usize>>,
    /// Local names from the target file's `from m import a as b`.
    aliases: HashMap<String, String>,
}

impl LocalGraph {
    fn build(files: &[SourceFile]) -> Self {
        let mut nodes = Vec::new();
        let mut parents = Vec::new();
        let mut by_name: HashMap<String, Vec<usize>> = HashMap::new();
        for (f, file) in files.iter().enumerate() {
            let first = nodes.len();
            for (d, def) in file.outline.defs.iter().enumerate() {
                parents.push(def.parent.map(|p| first + p));
                if def.kind != DefKind::Statement {
                    by_name.entry(def.name.clone()).or_default().push(nodes.len());
                }
                nodes.push((f, d));
            }
        }
        let aliases = files[0]
            .outline
            .imports
            .iter()
            .flat_map(|i| i.names.iter())
            .filter(|(name, local)| name != local)
            .map(|(name, local)| (local.clone(), name.clone()))
            .collect();
        Self { nodes, parents, by_name, aliases }
    }

    /// The innermost definition of the target file around `line`, or the
    /// module-level statement there.
    fn innermost_at(&self, target_file: &SourceFile, line: usize) -> Option<usize> {
        let text = &target_file.text;
        let line_start = text.split_inclusive('\n').take(line - 1).map(str::len).sum::<usize>();
        self.nodes
            .iter()
            .enumerate()
            .filter(|(_, (f, _))| *f == 0)
            .filter(|(_, (_, d))| target_file.outline.defs[*d].range.contains(&line_start))
            .min_by_key(|(_, (_, d))| target_file.outline.defs[*d].range.len())
            .map(|(n, _)| n)
    }

    /// The top-level definitions the target's file imports by name that no
    /// edge ties to the target yet: tied to it now, as signatures only (a
    /// stub calls nothing yet, but these are what it can call).
    fn imported_only(&self, files: &[SourceFile], target: usize, edges: &mut Vec<(usize, usize, f64)>) -> Vec<usize> {
        let tied = |v: usize, edges: &[(usize, usize, f64)]| edges.iter().any(|&(a, b, _)| (a, b) == (target, v) || (a, b) == (v, target));
        let mut added = Vec::new();
        for (name, _) in files[0].outline.imports.iter().flat_map(|i| i.names.iter()) {
            let Some(candidates) = self.by_name.get(name) else { continue };
            let weight = penalised(Tie::Imports, candidates.len());
            for &v in candidates.iter().filter(|&&v| self.nodes[v].0 != 0 && self.parents[v].is_none()) {
                if !tied(v, edges) && !added.contains(&v) {
                    edges.push((target, v, weight));
                    added.push(v);
                }
            }
        }
        added
    }

    fn edges(&self, files: &[SourceFile]) -> Vec<(usize, usize, f64)> {
        let mut edges = Vec::new();
        for (u, &(f, d)) in self.nodes.iter().enumerate() {
            let def = &files[f].outline.defs[d];
            if let Some(parent) = self.parents[u] {
                // A method and its class belong together, loosely.
                edges.push((u, parent, Tie::Member.weight()));
            }
            for (name, kind) in &def.refs {
                let name = if f == 0 { self.aliases.get(name).unwrap_or(name) } else { name };
                let Some(targets) = self.by_name.get(name) else { continue };
                let tie = match kind {
                    RefKind::Call => Tie::Calls,
                    RefKind::Base => Tie::Inherits,
                    RefKind::Use => Tie::Uses,
                };
                let weight = penalised(tie, targets.len());
                edges.extend(targets.iter().filter(|&&v| v != u).map(|&v| (u, v, weight)));
            }
        }
        edges
    }
}

/// Workspace files the target file imports from, one hop.
fn imported_files(root: &Path, file: &Path, imports: &[Import]) -> Vec<PathBuf> {
    let mut found = Vec::new();
    for import in imports {
        let base = if import.level == 0 { Some(root.to_path_buf()) } else { file.ancestors().nth(import.level as usize).map(Path::to_path_buf) };
        let Some(mut dir) = base else { continue };
        for part in import.module.split('.').filter(|p| !p.is_empty()) {
            dir.push(part);
        }
        let mut candidates = vec![dir.with_extension("py"), dir.join("__init__.py")];
        // `from pkg import module` names a submodule as often as a symbol.
        candidates.extend(import.names.iter().map(|(name, _)| dir.join(format!("{name}.py"))));
        for path in candidates {
            if path.is_file() && path != file && crate::project::really_under(root, &path) && !found.contains(&path) {
                found.push(path);
            }
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_import_linked_out_of_the_workspace_is_not_read() {
        let dir = tempfile::tempdir().unwrap();
        let (root, outside) = (dir.path().join("ws"), dir.path().join("outside"));
        std::fs::create_dir_all(root.join("pkg")).unwrap();
        std::fs::create_dir_all(&outside).unwrap();
        std::fs::write(outside.join("secret.py"), "def leak():\n    return 1\n").unwrap();
        std::fs::write(root.join("pkg/near.py"), "def near():\n    return 2\n").unwrap();
        std::os::unix::fs::symlink(outside.join("secret.py"), root.join("pkg/linked.py")).unwrap();
        let imports = outline("from pkg.linked import leak\nfrom pkg.near import near\n").imports;
        let found = imported_files(&root, &root.join("main.py"), &imports);
        assert_eq!(found, [root.join("pkg/near.py")]);
    }
}
