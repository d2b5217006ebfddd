//! `FILE:LINE` targets and their context from the workspace graph, for the CLI.

use std::path::{Path, PathBuf};

use super::{Context, NameCounts, TokenCounter, assemble_in_graph};
use crate::project::{canonical, load_graph};
use crate::settings::Settings;

/// Parses `path/to/file.py:12` (the line is 1-based).
pub fn parse_location(location: &str) -> Result<(PathBuf, usize), String> {
    let (path, line) = location.rsplit_once(':').ok_or_else(|| format!("`{location}` is not FILE:LINE"))?;
    let line: usize = line.parse().map_err(|_| format!("`{line}` in `{location}` is not a line number"))?;
    if line == 0 {
        return Err("line numbers start at 1".to_owned());
    }
    Ok((PathBuf::from(path), line))
}

/// The context for `file:line` under `settings` (the model decides the
/// tokenizer), from the workspace graph of `root` (summaries cached).
pub fn context_at(root: &Path, file: &Path, line: usize, budget: usize, settings: &Settings) -> Result<(Context, TokenCounter), String> {
    let (root, file) = (canonical(root)?, canonical(file)?);
    let source = crate::index::read_source(&file, settings.files.max_file_bytes)?;
    let (mut graph, _) = load_graph(&root, settings, false)?;
    // The file may be outside the indexed folders or excluded: add it.
    graph.update_file(&file, &source);
    let id = graph.file_id(&file).ok_or_else(|| format!("{} could not be added to the graph", file.display()))?;
    let primary = &settings.llm.primary;
    let counter = TokenCounter::for_model(primary.provider, &primary.model, settings.context.safety_margin_percent);
    let names = NameCounts::new(&graph);
    let context = assemble_in_graph(&graph, &names, id, line, budget, &settings.context, &counter)?;
    Ok((context, counter))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locations_are_file_colon_line() {
        assert_eq!(parse_location("a/b.py:12"), Ok((PathBuf::from("a/b.py"), 12)));
        assert_eq!(parse_location("C:/x.py:3"), Ok((PathBuf::from("C:/x.py"), 3)));
        assert!(parse_location("a.py").is_err());
        assert!(parse_location("a.py:x").is_err());
        assert!(parse_location("a.py:0").is_err());
    }
}
