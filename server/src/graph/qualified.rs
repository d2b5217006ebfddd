//! The qualified names of a file's definitions, held by its entry in one
//! block: a symbol's qualified name is borrowed from its file's, where each
//! node of the graph held a string of its own (Django: 62,000 of them, 4.9
//! MB, each with a 16-byte count and its size class's slack).

/// Every definition's qualified name, in the order of the definitions.
#[derive(Debug, Clone, Default)]
pub(super) struct QualifiedNames {
    text: Box<str>,
    /// Where each name ends in `text`.
    ends: Box<[u32]>,
}

impl QualifiedNames {
    pub(super) fn new(names: &[String]) -> Self {
        let mut text = String::with_capacity(names.iter().map(String::len).sum());
        let mut ends = Vec::with_capacity(names.len());
        for name in names {
            text.push_str(name);
            ends.push(text.len() as u32);
        }
        Self { text: text.into_boxed_str(), ends: ends.into_boxed_slice() }
    }

    /// The qualified name of definition `def`; `None` past the last.
    pub(super) fn get(&self, def: usize) -> Option<&str> {
        let end = *self.ends.get(def)? as usize;
        let start = def.checked_sub(1).map_or(0, |before| self.ends[before] as usize);
        self.text.get(start..end)
    }
}

#[cfg(test)]
mod tests {
    use std::path::{Path, PathBuf};

    use super::super::tests::build;
    use super::super::{Graph, SymbolId};
    use super::*;

    /// Every node's qualified name in the graph (its file's, or an
    /// external's), sorted.
    fn names(graph: &Graph) -> Vec<&str> {
        let mut names: Vec<&str> = graph.graph.node_indices().filter_map(|node| Some(graph.symbol(SymbolId(node))?.qualified_name)).collect();
        names.sort();
        names
    }

    #[test]
    fn holds_each_name_in_order() {
        let names = QualifiedNames::new(&["shop.Cart".to_owned(), "shop.Cart.total".to_owned(), String::new(), "shop.é".to_owned()]);
        assert_eq!([0, 1, 2, 3].map(|def| names.get(def)), [Some("shop.Cart"), Some("shop.Cart.total"), Some(""), Some("shop.é")]);
        assert_eq!(names.get(4), None);
        assert_eq!(QualifiedNames::default().get(0), None);
    }

    fn shop() -> Graph {
        build(&[
            (PathBuf::from("/ws/shop/__init__.py"), String::new()),
            (PathBuf::from("/ws/shop/cart.py"), "class Cart:\n    def total(self): pass\n".to_owned()),
            (PathBuf::from("/ws/shop/pay.py"), "def pay(): pass\n".to_owned()),
        ])
    }

    #[test]
    fn a_symbols_name_is_its_files_and_follows_an_edit() {
        let mut graph = shop();
        assert_eq!(names(&graph), ["shop", "shop.cart", "shop.cart.Cart", "shop.cart.Cart.total", "shop.pay", "shop.pay.pay"]);
        let (cart, total) = (graph.symbols_named("shop.cart.Cart")[0], graph.symbols_named("Cart.total")[0]);
        // A definition added before them: their nodes are kept, their
        // definitions moved one down, and the names read at the new place.
        graph.update_file(Path::new("/ws/shop/cart.py"), "def first(): pass\nclass Cart:\n    def total(self): pass\n");
        assert_eq!(graph.symbols_named("shop.cart.Cart"), [cart]);
        assert_eq!(graph.symbols_named("Cart.total"), [total]);
        assert_eq!(graph.symbol(total).map(|s| (s.qualified_name, s.name)), Some(("shop.cart.Cart.total", "total")));
        // Renamed: the old names are gone with their nodes.
        graph.update_file(Path::new("/ws/shop/cart.py"), "class Basket:\n    def total(self): pass\n");
        assert_eq!(names(&graph), ["shop", "shop.cart", "shop.cart.Basket", "shop.cart.Basket.total", "shop.pay", "shop.pay.pay"]);
        assert!(graph.symbol(cart).is_none_or(|s| s.qualified_name != "shop.cart.Cart"));
    }

    #[test]
    fn a_deleted_files_names_go_and_the_others_stay() {
        let mut graph = shop();
        let pay = graph.symbols_named("shop.pay.pay")[0];
        let total = graph.symbols_named("Cart.total")[0];
        graph.remove_file(Path::new("/ws/shop/cart.py"));
        assert_eq!(names(&graph), ["shop", "shop.pay", "shop.pay.pay"]);
        assert!(graph.symbol(total).is_none());
        assert_eq!(graph.symbol(pay).map(|s| s.qualified_name), Some("shop.pay.pay"));
    }
}
