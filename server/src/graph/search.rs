//! Fuzzy symbol search (workspace symbols).

use rustc_hash::FxHashMap;

use super::resolve::is_overload_definition;
use super::{Graph, SymbolId, SymbolKind};

/// How well `query` matches `name` as a case-insensitive subsequence:
/// `None` when it does not; higher is better (consecutive letters, word
/// starts and a matching prefix score; extra length costs a little). A
/// word starts after `_` or `.` or where lower case turns upper.
pub fn fuzzy_score(query: &str, name: &str) -> Option<i64> {
    if query.is_empty() {
        return Some(0);
    }
    let mut chars = name.chars().enumerate();
    let mut before: Option<char> = None;
    let mut score = 0i64;
    let mut previous_match: Option<usize> = None;
    for q in query.chars() {
        let q = q.to_ascii_lowercase();
        let (found, c, after) = loop {
            let (i, c) = chars.next()?;
            let after = before.replace(c);
            if c.to_ascii_lowercase() == q {
                break (i, c, after);
            }
        };
        score += 1;
        if previous_match.is_some_and(|p| p + 1 == found) {
            score += 4;
        }
        if after.is_none_or(|b| b == '_' || b == '.' || (c.is_uppercase() && b.is_lowercase())) {
            score += 3;
        }
        if found == 0 {
            score += 6;
        }
        previous_match = Some(found);
    }
    Some(score * 16 - name.chars().count() as i64)
}

/// The last segment of a qualified name.
fn short_name(qualified: &str) -> &str {
    qualified.rsplit('.').next().unwrap_or(qualified)
}

impl Graph {
    /// Workspace symbols (not externals) that fuzzily match `query`, best
    /// first, at most `limit`: those whose name matches, then those whose
    /// qualified name does (`crtot` and `Cart.tot` find
    /// `shop.cart.Cart.total`, whose name `total` alone does not match).
    pub fn search_symbols(&self, query: &str, limit: usize) -> Vec<SymbolId> {
        // A symbol with no name (a half-typed `def (self):`) is no answer.
        let workspace = || {
            self.graph.node_indices().filter(|&node| self.graph[node].kind != SymbolKind::External && !short_name(self.qualified_name(node)).trim().is_empty())
        };
        let best = |mut scored: Vec<(i64, &str, SymbolId)>, limit: usize| {
            scored.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(b.1)));
            scored.into_iter().take(limit).map(|(_, _, id)| id).collect::<Vec<_>>()
        };
        let by_name = workspace()
            .filter_map(|node| {
                let qualified = self.qualified_name(node);
                Some((fuzzy_score(query, short_name(qualified))?, qualified, SymbolId(node)))
            })
            .collect();
        let mut found = best(by_name, limit);
        // Qualified-name matches rank after every name match: looked for
        // only while there is room for them.
        if found.len() < limit {
            let by_qualified_name = workspace()
                .filter_map(|node| {
                    let qualified = self.qualified_name(node);
                    let name = short_name(qualified);
                    if name.len() == qualified.len() || fuzzy_score(query, name).is_some() {
                        return None;
                    }
                    Some((fuzzy_score(query, qualified)?, qualified, SymbolId(node)))
                })
                .collect();
            let room = limit - found.len();
            found.extend(best(by_qualified_name, room));
        }
        found
    }

    /// Workspace symbols named `name`: their qualified name is `name`, or
    /// ends with it after a dot (`Cart.total` names `shop.cart.Cart.total`),
    /// in qualified-name order. An exact qualified name wins over suffixes.
    /// The `@overload` signatures and accessors of one function are one
    /// symbol (the one uses bind to).
    pub fn symbols_named(&self, name: &str) -> Vec<SymbolId> {
        let name = name.trim();
        if name.is_empty() {
            return Vec::new();
        }
        let mut exact = Vec::new();
        let mut suffix = Vec::new();
        for node in self.graph.node_indices() {
            if self.graph[node].kind == SymbolKind::External {
                continue;
            }
            let qualified = self.qualified_name(node);
            if qualified == name {
                exact.push(SymbolId(node));
            } else if qualified.strip_suffix(name).is_some_and(|head| head.ends_with('.')) {
                suffix.push(SymbolId(node));
            }
        }
        let mut found = if exact.is_empty() { suffix } else { exact };
        let chosen = |id: SymbolId| {
            let symbol = self.symbol(id)?;
            self.find_in_file(symbol.file?, symbol.qualified_name).filter(|&first| first == id || self.family(first).contains(&id))
        };
        found = found.into_iter().filter_map(chosen).collect();
        found.sort_by(|a, b| self.qualified_name(a.0).cmp(self.qualified_name(b.0)).then(a.cmp(b)));
        found.dedup();
        found
    }

    /// The symbol of `file` with this qualified name: when it is defined
    /// more than once, the first that is not an `@overload` signature (uses
    /// bind to an overloaded function's implementation), else the first.
    /// Which of the definitions of its qualified name in its file `id` is
    /// (0 for the first): `def load()` in both branches of an `if` are two.
    pub fn ordinal_in_file(&self, id: SymbolId) -> usize {
        let Some(entry) = self.symbol(id).and_then(|s| self.file(s.file?)) else { return 0 };
        let name = self.qualified_name(id.0);
        entry.nodes.iter().take_while(|&&n| n != id.0).filter(|&&n| self.qualified_name(n) == name).count()
    }

    /// The definition [`Graph::ordinal_in_file`] numbered `ordinal`, when
    /// there are that many; else [`Graph::find_in_file`]'s.
    pub fn find_nth_in_file(&self, file: super::FileId, qualified_name: &str, ordinal: usize) -> Option<SymbolId> {
        let entry = self.file(file)?;
        let nth = entry.nodes.iter().filter(|&&n| self.qualified_name(n) == qualified_name).nth(ordinal);
        nth.map(|&n| SymbolId(n)).or_else(|| self.find_in_file(file, qualified_name))
    }

    pub fn find_in_file(&self, file: super::FileId, qualified_name: &str) -> Option<SymbolId> {
        let entry = self.file(file)?;
        if entry.module == qualified_name {
            return Some(SymbolId(entry.module_node));
        }
        let mut named = entry.nodes.iter().enumerate().filter(|&(_, &n)| self.qualified_name(n) == qualified_name);
        let first = named.clone().next()?;
        let chosen = named.find(|&(def, _)| !is_overload_definition(&entry.summary.definitions[def])).unwrap_or(first);
        Some(SymbolId(*chosen.1))
    }

    /// [`Graph::find_in_file`] of every qualified name of `file` at once,
    /// for the checks that ask it of each definition of a file (one search
    /// each was quadratic in a file of many definitions).
    pub fn symbols_by_name(&self, file: super::FileId) -> FxHashMap<&str, SymbolId> {
        let mut found: FxHashMap<&str, (SymbolId, bool)> = FxHashMap::default();
        let Some(entry) = self.file(file) else { return FxHashMap::default() };
        for (def, &node) in entry.nodes.iter().enumerate() {
            let overload = is_overload_definition(&entry.summary.definitions[def]);
            let slot = found.entry(entry.qualified.get(def).unwrap_or_default()).or_insert((SymbolId(node), overload));
            if slot.1 && !overload {
                *slot = (SymbolId(node), false);
            }
        }
        found.insert(entry.module.as_str(), (SymbolId(entry.module_node), false));
        found.into_iter().map(|(name, (id, _))| (name, id)).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::fuzzy_score;
    use crate::graph::tests::{build, parse_fixture};

    #[test]
    fn symbols_are_found_by_qualified_name_or_its_tail() {
        let (files, _) = parse_fixture(
            r#"
//- /shop/cart.py
class Cart:
    def total(self):
        pass

def total():
    pass
//- /shop/util.py
from typing import overload

@overload
def f(x: int) -> int: ...
@overload
def f(x: str) -> str: ...
def f(x):
    return x
"#,
        );
        let graph = build(&files);
        let names =
            |name: &str| -> Vec<String> { graph.symbols_named(name).into_iter().map(|id| graph.symbol(id).unwrap().qualified_name.to_owned()).collect() };
        assert_eq!(names("total"), ["shop.cart.Cart.total", "shop.cart.total"]);
        assert_eq!(names("Cart.total"), ["shop.cart.Cart.total"]);
        assert_eq!(names("shop.cart.total"), ["shop.cart.total"]);
        assert_eq!(names("f"), ["shop.util.f"], "an overloaded function is one symbol");
        assert!(names("otal").is_empty(), "a tail is whole names");
        assert!(names("").is_empty());
        // Every qualified name of a file at once, as one search each finds it.
        for file in files.iter().filter_map(|(path, _)| graph.file_id(path)) {
            let all = graph.symbols_by_name(file);
            let entry = graph.file(file).unwrap();
            let qualified: Vec<&str> = entry.nodes.iter().chain([&entry.module_node]).map(|&n| graph.qualified_name(n)).collect();
            assert!(qualified.len() > 2, "{qualified:?}");
            for name in qualified {
                assert_eq!(all.get(name).copied(), graph.find_in_file(file, name), "{name}");
            }
        }
    }

    #[test]
    fn prefers_prefixes_word_starts_and_runs() {
        assert!(fuzzy_score("ot", "order_total") > fuzzy_score("ot", "bottom"));
        assert!(fuzzy_score("tot", "total") > fuzzy_score("tot", "order_total"));
        assert!(fuzzy_score("DI", "DiscountedItem").is_some());
        assert_eq!(fuzzy_score("xyz", "total"), None);
        assert!(fuzzy_score("ct", "a.cb.tx") > fuzzy_score("ct", "acbtx"), "a dot starts a word");
    }

    #[test]
    fn fuzzy_search_matches_names_then_qualified_names() {
        let (files, _) = parse_fixture(
            r#"
//- /shop/cart.py
class Cart:
    def total(self):
        pass

def cart_total():
    pass
//- /shop/pricing.py
def total(prices):
    pass
"#,
        );
        let graph = build(&files);
        let found = |query: &str| -> Vec<String> {
            graph.search_symbols(query, 10).into_iter().map(|id| graph.symbol(id).unwrap().qualified_name.to_owned()).collect()
        };
        assert_eq!(found("crtot"), ["shop.cart.cart_total", "shop.cart.Cart.total"], "the name's match first");
        assert_eq!(found("Cart.tot").first().map(String::as_str), Some("shop.cart.Cart.total"), "letters in a row first");
        assert_eq!(found("prictot"), ["shop.pricing.total"]);
        assert!(found("zzz").is_empty());
    }

    #[test]
    fn a_half_typed_definition_with_no_name_is_no_symbol() {
        let (files, _) =
            parse_fixture("//- /app.py\nclass New:\n    def meth(self): pass\n    def (self): pass\n    def after(self): pass\nclass :\n    pass\n");
        let graph = build(&files);
        let file = graph.file_id(std::path::Path::new("/ws/app.py")).expect("indexed");
        let names = |ids: Vec<crate::graph::SymbolId>| -> Vec<String> { ids.into_iter().map(|id| graph.symbol(id).unwrap().name.to_owned()).collect() };
        let top = graph.symbols_in_file(file);
        assert_eq!(names(top.clone()), ["New"]);
        // Must not: the named members stay.
        assert_eq!(names(graph.named_children(top[0])), ["meth", "after"]);
        assert!(graph.search_symbols("", 10).into_iter().all(|id| !graph.symbol(id).unwrap().name.is_empty()));
    }

    #[test]
    fn each_definition_of_a_name_in_branches_is_found_by_its_ordinal() {
        let (files, _) = parse_fixture("//- /compat.py\nimport sys\nif sys.platform == 'win32':\n    def load(): pass\nelse:\n    def load(): pass\n");
        let graph = build(&files);
        let file = graph.file_id(std::path::Path::new("/ws/compat.py")).expect("indexed");
        let loads: Vec<_> = graph.symbols_in_file(file).into_iter().filter(|&s| graph.symbol(s).is_some_and(|s| s.name == "load")).collect();
        let [first, second] = loads[..] else { panic!("two definitions: {loads:?}") };
        assert_eq!((graph.ordinal_in_file(first), graph.ordinal_in_file(second)), (0, 1));
        assert_eq!(graph.find_nth_in_file(file, "compat.load", 1), Some(second));
        assert_eq!(graph.find_nth_in_file(file, "compat.load", 0), Some(first));
        // An ordinal past the last (the file was edited since): the first.
        assert_eq!(graph.find_nth_in_file(file, "compat.load", 2), Some(first));
    }
}
