//! Fuzzy symbol search (workspace symbols).

use super::resolve::is_overload_definition;
use super::{Graph, SymbolId, SymbolKind};

/// How well `query` matches `name` as a case-insensitive subsequence:
/// `None` when it does not; higher is better (consecutive letters, word
/// starts and a matching prefix score; extra length costs a little).
pub fn fuzzy_score(query: &str, name: &str) -> Option<i64> {
    if query.is_empty() {
        return Some(0);
    }
    let name_chars: Vec<char> = name.chars().collect();
    let mut score = 0i64;
    let mut position = 0;
    let mut previous_match: Option<usize> = None;
    for q in query.chars() {
        let q = q.to_ascii_lowercase();
        let found = (position..name_chars.len()).find(|&i| name_chars[i].to_ascii_lowercase() == q)?;
        score += 1;
        if previous_match.is_some_and(|p| p + 1 == found) {
            score += 4;
        }
        let word_start = found == 0 || name_chars[found - 1] == '_' || (name_chars[found].is_uppercase() && name_chars[found - 1].is_lowercase());
        if word_start {
            score += 3;
        }
        if found == 0 {
            score += 6;
        }
        previous_match = Some(found);
        position = found + 1;
    }
    Some(score * 16 - name_chars.len() as i64)
}

impl Graph {
    /// Workspace symbols (not externals) whose name fuzzily matches `query`,
    /// best first, at most `limit`.
    pub fn search_symbols(&self, query: &str, limit: usize) -> Vec<SymbolId> {
        let mut scored: Vec<(i64, &str, SymbolId)> = self
            .graph
            .node_indices()
            .filter_map(|node| {
                let weight = &self.graph[node];
                if weight.kind == SymbolKind::External {
                    return None;
                }
                let name = weight.qualified_name.rsplit('.').next().unwrap_or(&weight.qualified_name);
                Some((fuzzy_score(query, name)?, weight.qualified_name.as_str(), SymbolId(node)))
            })
            .collect();
        scored.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(b.1)));
        scored.into_iter().take(limit).map(|(_, _, id)| id).collect()
    }

    /// The symbol of `file` with this qualified name: when it is defined
    /// more than once, the first that is not an `@overload` signature (uses
    /// bind to an overloaded function's implementation), else the first.
    pub fn find_in_file(&self, file: super::FileId, qualified_name: &str) -> Option<SymbolId> {
        let entry = self.file(file)?;
        if self.graph[entry.module_node].qualified_name == qualified_name {
            return Some(SymbolId(entry.module_node));
        }
        let mut named = entry.nodes.iter().enumerate().filter(|&(_, &n)| self.graph[n].qualified_name == qualified_name);
        let first = named.clone().next()?;
        let chosen = named.find(|&(def, _)| !is_overload_definition(&entry.summary.definitions[def])).unwrap_or(first);
        Some(SymbolId(*chosen.1))
    }
}

#[cfg(test)]
mod tests {
    use super::fuzzy_score;

    #[test]
    fn prefers_prefixes_word_starts_and_runs() {
        assert!(fuzzy_score("ot", "order_total") > fuzzy_score("ot", "bottom"));
        assert!(fuzzy_score("tot", "total") > fuzzy_score("tot", "order_total"));
        assert!(fuzzy_score("DI", "DiscountedItem").is_some());
        assert_eq!(fuzzy_score("xyz", "total"), None);
    }
}
