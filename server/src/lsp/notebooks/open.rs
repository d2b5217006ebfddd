//! The open notebooks, found by any spelling of their URI.
//!
//! VS Code percent-encodes `( ) [ ] + @ ' , = & ! $ ;` (and a Windows
//! drive's colon) in the URIs it sends, `my%20%28old%29/n.ipynb`; the
//! server's answers name files by URIs made from their paths, which leave
//! those bare, `my%20(old)/n.ipynb`. Compared as strings, an answer about
//! the notebook would not be recognised as one and would reach the client
//! under the notebook's own URI: a rename would edit its JSON as text.

use std::collections::HashMap;
use std::sync::Arc;

use percent_encoding::percent_decode_str;
use tower_lsp::lsp_types::Url;

use super::wire::NotebookCell;
use super::writefile::Written;
use crate::notebook::Notebook;
use crate::workspace::PositionEncoding;

pub(super) struct Open {
    /// The notebook's URI as the client spells it: what it is told.
    pub uri: String,
    /// The same URI as the server spells it (made from the file's path),
    /// to tell at a glance whether a message names the notebook.
    server_uri: Option<String>,
    /// The version the server's copy is at (a cell's own `didChange`
    /// makes one the client's notebook does not have).
    pub version: i32,
    /// The last notebook version the client sent: a change must be newer.
    pub client_version: i32,
    /// The cells in the client's order, as their URIs and kinds.
    pub cells: Vec<NotebookCell>,
    pub joined: Arc<Notebook>,
    /// How the client counts characters (for the length of a cell's last line).
    pub encoding: PositionEncoding,
    /// The files its `%%writefile` cells write.
    pub writes: Vec<Written>,
    /// The code cells left out of the module for nesting brackets too
    /// deep to analyse, by their URIs.
    pub too_deep: Vec<String>,
}

impl Open {
    pub fn new(uri: String, version: i32, cells: Vec<NotebookCell>, joined: Arc<Notebook>, encoding: PositionEncoding) -> Open {
        let path = Url::parse(&uri).ok().and_then(|u| u.to_file_path().ok());
        let server_uri = path.and_then(|p| Url::from_file_path(p).ok()).map(String::from).filter(|spelled| *spelled != uri);
        Open { uri, server_uri, version, client_version: version, cells, joined, encoding, writes: Vec::new(), too_deep: Vec::new() }
    }
}

#[derive(Default)]
pub(super) struct OpenNotebooks {
    /// By [`same_file`] of their URI.
    by_uri: HashMap<String, Open>,
}

impl OpenNotebooks {
    pub fn get(&self, uri: &str) -> Option<&Open> {
        self.by_uri.get(&same_file(uri))
    }

    pub fn get_mut(&mut self, uri: &str) -> Option<&mut Open> {
        self.by_uri.get_mut(&same_file(uri))
    }

    pub fn contains(&self, uri: &str) -> bool {
        self.by_uri.contains_key(&same_file(uri))
    }

    pub fn insert(&mut self, open: Open) {
        self.by_uri.insert(same_file(&open.uri), open);
    }

    pub fn remove(&mut self, uri: &str) -> Option<Open> {
        self.by_uri.remove(&same_file(uri))
    }

    pub fn is_empty(&self) -> bool {
        self.by_uri.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = &Open> {
        self.by_uri.values()
    }

    /// Whether `body` may name an open notebook, in the client's spelling
    /// or the server's, or a file one writes (a cheap test before a
    /// message is parsed).
    pub fn named_in(&self, body: &[u8]) -> bool {
        let found = |uri: &str| memchr::memmem::find(body, uri.as_bytes()).is_some();
        self.iter().any(|open| found(&open.uri) || open.server_uri.as_deref().is_some_and(found) || open.writes.iter().any(|w| found(&w.uri)))
    }

    /// Why the file at `uri` cannot be edited with other files: a
    /// `%%writefile` cell of an open notebook writes it.
    pub fn written(&self, uri: &str) -> Option<&str> {
        let file = same_file(uri);
        self.iter().flat_map(|open| &open.writes).find(|w| same_file(&w.uri) == file).map(|w| w.reason.as_str())
    }
}

/// What two spellings of one URI have in common: percent escapes decoded,
/// and a Windows drive letter in lower case (VS Code sends `c%3A`, a path
/// makes `C:`).
fn same_file(uri: &str) -> String {
    let mut decoded = percent_decode_str(uri).decode_utf8_lossy().into_owned();
    if let Some(path) = decoded.strip_prefix("file:///")
        && path.as_bytes().get(1) == Some(&b':')
        && path.as_bytes()[0].is_ascii_alphabetic()
    {
        let at = "file:///".len();
        decoded[at..=at].make_ascii_lowercase();
    }
    decoded
}

#[cfg(test)]
mod tests {
    use super::same_file;

    #[test]
    fn a_uri_is_the_same_file_in_any_escaping() {
        let client = "file:///w/my%20%28old%29%20%5Bv2%5D%20%2B%40%27%2C%3D%26%21%24%3B/n.ipynb";
        let server = "file:///w/my%20(old)%20[v2]%20+@',=&!$;/n.ipynb";
        assert_eq!(same_file(client), same_file(server));
        assert_eq!(same_file("file:///c%3A/w/n.ipynb"), same_file("file:///C:/w/n.ipynb"));
    }

    #[test]
    fn a_uri_is_not_the_same_file_as_another() {
        assert_ne!(same_file("file:///w/my%20%28old%29/n.ipynb"), same_file("file:///w/my%20(older)/n.ipynb"));
        assert_ne!(same_file("file:///w/a/n.ipynb"), same_file("file:///w/A/n.ipynb"), "only a drive letter's case is the same");
        assert_ne!(same_file("untitled:Untitled-1.ipynb"), same_file("untitled:Untitled-2.ipynb"));
    }
}
