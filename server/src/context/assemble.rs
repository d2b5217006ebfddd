//! Context assembly: the definitions of the target's file and of the
//! workspace modules it imports form a small graph; the target is the
//! innermost definition at the cursor; relevance is distance plus
//! personalised PageRank, with edges to names defined in many places
//! weighted down (a call to `save` says little about which `save`).

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use super::outline::{Def, DefKind, Import, Outline, RefKind, outline};
use super::pack::{CodeItem, OutlineItem, Packed, Split, pack};
use super::rank::{distances, personalized_pagerank};
use super::secrets;
use super::tokens::TokenCounter;
use super::ContextSettings;

/// What would be sent, with its accounting.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Context {
    /// `shop/pricing.py:12 \`apply_discount\``
    pub target: String,
    pub packed: Packed,
    pub secrets_masked: usize,
    pub encoding: &'static str,
    pub margin_percent: u32,
}

impl Context {
    /// A per-section token account, for people.
    pub fn account(&self) -> String {
        let p = &self.packed;
        let section = |s: &super::SectionAccount| {
            format!(
                "  {}: {} of {} tokens, {} included, {} left out{}\n",
                s.name,
                s.used,
                s.budget,
                s.included,
                s.omitted,
                if s.compressed { ", compressed" } else { "" }
            )
        };
        format!(
            "context for {}: {} tokens of a {} budget ({}, {}% margin: {} usable)\n{}{}  reserve: {} tokens for instructions and the answer\n  secrets masked: {}\n",
            self.target,
            p.tokens,
            p.budget,
            self.encoding,
            self.margin_percent,
            p.usable,
            section(&p.level1),
            section(&p.level2),
            p.reserve,
            self.secrets_masked
        )
    }
}

/// Assembles the context for `line` (1-based) of `file`, whose current text
/// is `source`; imported workspace modules are read from under `root`.
pub fn assemble(
    root: &Path,
    file: &Path,
    source: &str,
    line: usize,
    budget: usize,
    settings: &ContextSettings,
    counter: &TokenCounter,
) -> Result<Context, String> {
    let line_count = source.lines().count().max(1);
    if line == 0 || line > line_count {
        return Err(format!("line {line} is outside {} (1..={line_count})", file.display()));
    }
    let mut files = vec![SourceFile::new(root, file, source.to_owned())];
    for path in imported_files(root, file, &files[0].outline.imports) {
        match std::fs::read_to_string(&path) {
            Ok(text) => files.push(SourceFile::new(root, &path, text)),
            Err(e) => tracing::debug!(path = %path.display(), "imported module not read: {e}"),
        }
    }
    let graph = Graph::build(&files);
    let target = graph
        .innermost_at(&files[0], line)
        .ok_or_else(|| format!("nothing to give context for at {}:{line}", file.display()))?;
    let edges = graph.edges(&files);
    let rank = personalized_pagerank(graph.nodes.len(), &edges, target);
    let dist = distances(graph.nodes.len(), &edges, target);
    let by_rank = |mut nodes: Vec<usize>| {
        nodes.sort_by(|&a, &b| rank[b].total_cmp(&rank[a]).then(a.cmp(&b)));
        nodes
    };
    let candidates: Vec<usize> = (0..graph.nodes.len())
        .filter(|&n| n != target && !graph.nested(n, target) && graph.def(&files, n).kind != DefKind::Statement)
        .collect();
    // Direct neighbours by rank; one whose code overlaps a better-ranked
    // one's (a method of a class already shown) is a signature instead.
    let mut level1: Vec<usize> = Vec::new();
    let mut overlapping = Vec::new();
    for n in by_rank(candidates.iter().copied().filter(|&n| dist[n] == 1 && !graph.nested(target, n)).collect()) {
        if level1.iter().any(|&m| graph.nested(n, m) || graph.nested(m, n)) {
            overlapping.push(n);
        } else {
            level1.push(n);
        }
    }
    // Code already shown in full at level 1 needs no signature at level 2.
    let shown = |n: usize| level1.iter().any(|&m| graph.nested(n, m));
    let ring2 = by_rank(
        candidates
            .iter()
            .copied()
            .filter(|&n| !shown(n) && (dist[n] == 2 || graph.nested(target, n) || overlapping.contains(&n)))
            .collect(),
    );
    // Past the second ring, the rest of the target's own module still says
    // more than nothing; it comes last and is the first to be left out.
    let rest = by_rank(
        candidates
            .iter()
            .copied()
            .filter(|&n| dist[n] > 2 && !shown(n) && !graph.nested(target, n) && graph.nodes[n].0 == 0)
            .collect(),
    );

    let mut masked = 0;
    let mut mask = |text: &str| {
        let (text, n) = secrets::mask(text);
        masked += n;
        text
    };
    let title = |n: usize| {
        let (file, def) = graph.nodes[n];
        let d = &files[file].outline.defs[def];
        format!("{}:{} `{}`", files[file].relative, d.line, d.qualname)
    };
    let target_title = title(target);
    let code_items: Vec<CodeItem> = std::iter::once(target)
        .chain(level1)
        .map(|n| {
            let (file, def) = graph.nodes[n];
            let code = &files[file].text[files[file].outline.defs[def].range.clone()];
            let suffix = if n == target { " (target)" } else { "" };
            CodeItem { title: format!("{}{suffix}", title(n)), code: mask(code) }
        })
        .collect();
    let outline_items: Vec<OutlineItem> = ring2
        .into_iter()
        .chain(rest)
        .map(|n| {
            let (file, def) = graph.nodes[n];
            let d = &files[file].outline.defs[def];
            let signature = d.signature.split_whitespace().collect::<Vec<_>>().join(" ");
            let doc = d.doc.as_ref().map(|doc| format!(" {doc}")).unwrap_or_default();
            let owner = d.qualname.rsplit_once('.').map(|(owner, _)| format!(" (in `{owner}`)")).unwrap_or_default();
            OutlineItem { line: mask(&format!("- {}:{}{owner} `{signature}`{doc}", files[file].relative, d.line)) }
        })
        .collect();
    let split = Split { level1: settings.level1_percent, level2: settings.level2_percent };
    let packed = pack(counter, budget, split, settings.compress, &code_items, &outline_items);
    Ok(Context {
        target: target_title,
        packed,
        secrets_masked: masked,
        encoding: counter.encoding.name(),
        margin_percent: counter.margin_percent,
    })
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
struct Graph {
    /// (file index, def index)
    nodes: Vec<(usize, usize)>,
    by_name: HashMap<String, Vec<usize>>,
    /// The enclosing definition's node, per node.
    parents: Vec<Option<usize>>,
    /// Local names from the target file's `from m import a as b`.
    aliases: HashMap<String, String>,
}

impl Graph {
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

    fn def<'a>(&self, files: &'a [SourceFile], node: usize) -> &'a Def {
        let (f, d) = self.nodes[node];
        &files[f].outline.defs[d]
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

    /// Whether `inner` is nested inside `outer` (a method in its class).
    fn nested(&self, inner: usize, outer: usize) -> bool {
        let mut node = inner;
        while let Some(parent) = self.parents[node] {
            if parent == outer {
                return true;
            }
            node = parent;
        }
        false
    }

    fn edges(&self, files: &[SourceFile]) -> Vec<(usize, usize, f64)> {
        let mut edges = Vec::new();
        for (u, &(f, d)) in self.nodes.iter().enumerate() {
            let def = &files[f].outline.defs[d];
            if let Some(parent) = self.parents[u] {
                // A method and its class belong together, loosely.
                edges.push((u, parent, 0.5));
            }
            for (name, kind) in &def.refs {
                let name = if f == 0 { self.aliases.get(name).unwrap_or(name) } else { name };
                let Some(targets) = self.by_name.get(name) else { continue };
                let weight = match kind {
                    RefKind::Call | RefKind::Base => 1.0,
                    RefKind::Use => 0.6,
                } / targets.len() as f64;
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
        let base = if import.level == 0 {
            Some(root.to_path_buf())
        } else {
            file.ancestors().nth(import.level as usize).map(Path::to_path_buf)
        };
        let Some(mut dir) = base else { continue };
        for part in import.module.split('.').filter(|p| !p.is_empty()) {
            dir.push(part);
        }
        let mut candidates = vec![dir.with_extension("py"), dir.join("__init__.py")];
        // `from pkg import module` names a submodule as often as a symbol.
        candidates.extend(import.names.iter().map(|(name, _)| dir.join(format!("{name}.py"))));
        for path in candidates {
            if path.is_file() && path != file && path.starts_with(root) && !found.contains(&path) {
                found.push(path);
            }
        }
    }
    found
}
