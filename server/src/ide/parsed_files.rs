//! The workspace's files parsed once for the checks of one refactoring: a
//! rename's checks (strings, keywords, keys, mentions, lookups by name)
//! each walk every file spelling the name, and parsing dominated them.

use std::cell::RefCell;
use std::rc::Rc;

use ruff_python_ast::{ModModule, PySourceType};
use ruff_python_parser::Parsed;
use rustc_hash::FxHashMap;

use crate::graph::{FileId, Graph};

/// Each file's syntax tree, parsed on first use (what parses of a file with
/// syntax errors; [`ParsedFiles::clean`] for the checks that skip those).
pub(super) struct ParsedFiles<'g> {
    graph: &'g Graph,
    parsed: RefCell<FxHashMap<FileId, Rc<Parsed<ModModule>>>>,
}

impl<'g> ParsedFiles<'g> {
    pub(super) fn new(graph: &'g Graph) -> Self {
        Self { graph, parsed: RefCell::default() }
    }

    /// `file`'s tree; an empty module for a file the graph does not hold.
    pub(super) fn get(&self, file: FileId) -> Rc<Parsed<ModModule>> {
        if let Some(parsed) = self.parsed.borrow().get(&file) {
            return parsed.clone();
        }
        // As the graph reads it: a notebook's cells one by one, as IPython's.
        let parsed = match self.graph.file(file) {
            Some(entry) => crate::notebook::parse_code(entry.text(), &entry.path, self.graph.cells(file)),
            None => ruff_python_parser::parse_unchecked_source("", PySourceType::Python),
        };
        let parsed = Rc::new(parsed);
        self.parsed.borrow_mut().insert(file, parsed.clone());
        parsed
    }

    /// The graph whose files these are.
    pub(super) fn graph(&self) -> &'g Graph {
        self.graph
    }

    /// `file`'s tree when it parses without errors.
    pub(super) fn clean(&self, file: FileId) -> Option<Rc<Parsed<ModModule>>> {
        Some(self.get(file)).filter(|parsed| parsed.errors().is_empty())
    }
}
