//! A refactor that asks for a rename ("rename it to compute_subtotal"): the
//! one change that may break every caller, so it is not left to the model.
//! The definition, every call site and every import are renamed by the
//! workspace rename ([`crate::ide::rename`]: placed by syntax tree, refused
//! where a site cannot be renamed exactly, such as `getattr(x, "name")`),
//! all files checked together. When the instruction asks for more, the
//! model rewrites the renamed definition in the renamed workspace and its
//! edit joins the rename's.

use std::path::Path;

use super::edit::FileChange;
use super::place::DefTarget;
use crate::graph::Graph;

/// What a rename instruction asks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RenameRequest {
    pub new_name: String,
    /// Whatever else the instruction asks, for the model; `None` for a rename alone.
    pub rest: Option<String>,
}

/// The words that may stand between "rename" and "to" for the target itself.
const SELF_WORDS: [&str; 9] = ["", "it", "this", "the method", "the function", "the class", "this method", "this function", "this class"];

/// The rename of `target` (its name) that `instruction` asks for, if any:
/// `rename it to X`, `Rename \`subtotal\` to \`X\``, `rename to X, and ...`.
/// A rename of anything else (a parameter, a local) is the model's to do.
pub fn requested(instruction: &str, target: &str) -> Option<RenameRequest> {
    let lower = instruction.to_lowercase();
    let start = lower.find("rename")?;
    let after = start + "rename".len();
    let to = lower[after..].find(" to ").map(|i| after + i)?;
    let what = instruction[after..to].trim().trim_matches(|c| c == '`' || c == '"' || c == '\'');
    if !(SELF_WORDS.contains(&what.to_lowercase().as_str()) || what == target) {
        return None;
    }
    let rest = &instruction[to + " to ".len()..];
    let name_end = rest.trim_start().find(|c: char| c.is_whitespace() || matches!(c, ',' | ';' | '!' | '?')).unwrap_or(rest.trim_start().len());
    let word = &rest.trim_start()[..name_end];
    let new_name = word.trim_end_matches('.').trim_matches(|c| c == '`' || c == '"' || c == '\'').trim_end_matches("()");
    if !ruff_python_stdlib::identifiers::is_identifier(new_name) {
        return None;
    }
    let consumed = to + " to ".len() + (rest.len() - rest.trim_start().len()) + name_end;
    // `rename it to something clearer` names no name: the word must end the clause.
    let next = instruction[consumed..].trim_start();
    let next_word = next.split(|c: char| !c.is_alphanumeric()).next().unwrap_or_default().to_lowercase();
    let ends_clause = next.is_empty() || next.starts_with([',', ';', '.', '!', '?']) || ["and", "then", "also", "plus"].contains(&next_word.as_str());
    if !ends_clause {
        return None;
    }
    let remainder = format!("{} {}", &instruction[..start], &instruction[consumed..]);
    let filler = ["and", "then", "also", "please", "it", "too"];
    let meaningful =
        remainder.split(|c: char| !(c.is_alphanumeric() || c == '_')).filter(|w| !w.is_empty()).any(|w| !filler.contains(&w.to_lowercase().as_str()));
    Some(RenameRequest { new_name: new_name.to_owned(), rest: meaningful.then(|| instruction.trim().to_owned()) })
}

/// Every file the rename of `target` (defined in `path`) to `new_name`
/// changes, or why it is refused.
pub fn rename_definition(graph: &Graph, path: &Path, target: &DefTarget, new_name: &str) -> Result<Vec<FileChange>, String> {
    let refused = |why: String| format!("the rename of `{}` to `{new_name}` is refused: {why}", target.name);
    let file = graph.file_id(path).ok_or_else(|| refused("the file is not in the workspace graph".to_owned()))?;
    let module = graph.module_symbol(file).and_then(|m| graph.symbol(m)).map(|m| m.qualified_name.to_owned()).unwrap_or_default();
    let qualified: Vec<&str> =
        std::iter::once(module.as_str()).chain(target.container.iter().map(String::as_str)).chain([target.name.as_str()]).filter(|s| !s.is_empty()).collect();
    let symbol = graph.find_in_file(file, &qualified.join(".")).ok_or_else(|| refused(format!("the graph does not know `{}`", qualified.join("."))))?;
    let at = graph.location(symbol).ok_or_else(|| refused("its definition has no place".to_owned()))?;
    let edits = crate::ide::rename::rename(graph, file, at.span.start, new_name).map_err(|e| refused(e.to_string()))?;
    let mut changes = Vec::new();
    for edit in edits {
        let entry = graph.file(edit.file).ok_or_else(|| refused("a file to edit left the graph".to_owned()))?;
        let candidate = crate::ide::rename::apply(entry.text(), &edit.replacements);
        changes.push(FileChange { path: entry.path.clone(), original: entry.text().to_string(), candidate });
    }
    // The edited file first: it is the one the action was asked on.
    changes.sort_by_key(|c| c.path != path);
    Ok(changes)
}

/// `graph` with every change's candidate in place of its original.
pub fn renamed_graph(graph: &Graph, changes: &[FileChange]) -> Graph {
    let mut renamed = graph.clone();
    for change in changes {
        renamed.update_file(&change.path, &change.candidate);
    }
    renamed
}

/// `changes` with the file at `path` taken on to `text` (the model's
/// rewrite of the renamed definition).
pub fn with_rewrite(changes: Vec<FileChange>, path: &Path, text: String) -> Vec<FileChange> {
    super::edit::merged(changes, vec![FileChange { path: path.to_owned(), original: text.clone(), candidate: text }])
}

/// The changes as one unified diff, file by file, paths relative to `root`.
pub fn diff(changes: &[FileChange], root: &Path) -> String {
    changes
        .iter()
        .map(|c| {
            let shown = c.path.strip_prefix(root).unwrap_or(&c.path).display().to_string();
            similar::TextDiff::from_lines(&c.original, &c.candidate).unified_diff().header(&format!("a/{shown}"), &format!("b/{shown}")).to_string()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(new_name: &str, rest: Option<&str>) -> Option<RenameRequest> {
        Some(RenameRequest { new_name: new_name.to_owned(), rest: rest.map(str::to_owned) })
    }

    #[test]
    fn rename_instructions_are_read() {
        assert_eq!(requested("rename it to compute_subtotal", "subtotal"), request("compute_subtotal", None));
        assert_eq!(requested("Rename `subtotal` to `compute_subtotal`.", "subtotal"), request("compute_subtotal", None));
        assert_eq!(requested("please rename to net()", "subtotal"), request("net", None));
        assert_eq!(
            requested("Rename the method to net, then add type hints", "subtotal"),
            request("net", Some("Rename the method to net, then add type hints"))
        );
        // Not the target's rename, or no name: the model's to do.
        assert_eq!(requested("rename the variable x to y", "subtotal"), None);
        assert_eq!(requested("rename it to something clearer", "subtotal"), None);
        assert_eq!(requested("rename it to 2x", "subtotal"), None);
        assert_eq!(requested("use sum()", "subtotal"), None);
    }

    #[test]
    fn a_definition_is_renamed_with_its_callers_in_every_file() {
        let dir = tempfile::tempdir().unwrap();
        let files = [
            ("shop/cart.py", "class Cart:\n    def subtotal(self):\n        return 0\n\n    def total(self):\n        return self.subtotal()\n"),
            ("shop/report.py", "from shop.cart import Cart\n\n\ndef report(c: Cart):\n    return c.subtotal()\n"),
            ("shop/dyn.py", "def value(c, name):\n    return getattr(c, name)\n"),
        ];
        let mut graph = Graph::new(vec![dir.path().to_owned()]);
        for (name, text) in files {
            std::fs::create_dir_all(dir.path().join(name).parent().unwrap()).unwrap();
            std::fs::write(dir.path().join(name), text).unwrap();
            graph.update_file(&dir.path().join(name), text);
        }
        let path = dir.path().join("shop/cart.py");
        let start = files[0].1.find("    def subtotal").unwrap();
        let target = crate::actions::targets::definition_on_lines(files[0].1, start..files[0].1.find("\n\n    def total").unwrap() + 1).unwrap();
        let changes = rename_definition(&graph, &path, &target, "compute_subtotal").unwrap();
        assert_eq!(changes.len(), 2);
        assert_eq!(changes[0].path, path);
        assert!(changes[0].candidate.contains("def compute_subtotal(self)") && changes[0].candidate.contains("self.compute_subtotal()"));
        assert!(changes[1].candidate.ends_with("return c.compute_subtotal()\n"));
        let shown = diff(&changes, dir.path());
        assert!(shown.contains("--- a/shop/report.py\n+++ b/shop/report.py\n"), "{shown}");
        // A site named in a string cannot be renamed exactly: refused.
        let text = "from shop.cart import Cart\n\n\ndef report(c: Cart):\n    return getattr(c, \"subtotal\")()\n";
        graph.update_file(&dir.path().join("shop/report.py"), text);
        let error = rename_definition(&graph, &path, &target, "compute_subtotal").unwrap_err();
        assert!(error.starts_with("the rename of `subtotal` to `compute_subtotal` is refused: `getattr(…, \"subtotal\")`"), "{error}");
    }
}
