//! Untitled notebooks: VS Code's `untitled:Untitled-1.ipynb`, not saved yet.
//!
//! The graph holds files by their path, and an untitled URI has none: such
//! a notebook would get its diagnostics and nothing else (no hover,
//! definition or completion). It is served to the analysis as a notebook
//! file of the workspace's first folder that is not on disk
//! (`…/Untitled-1.ipynb`), as a saved notebook's open buffer is. The client
//! keeps its URI, which names the notebook in its notifications; the
//! server only ever sees the file's, and its answers come back in cells.

use std::collections::HashMap;
use std::path::PathBuf;

use serde_json::Value;
use tower_lsp::lsp_types::Url;

#[derive(Default)]
pub(super) struct Untitled {
    /// The workspace's first folder, from `initialize`.
    root: Option<PathBuf>,
    /// Each open untitled notebook's URI, and the file URI it is served as.
    served: HashMap<String, String>,
}

impl Untitled {
    /// Notes the workspace folder an `initialize` request names.
    pub fn initialize(&mut self, body: &[u8]) {
        let Ok(message) = serde_json::from_slice::<Value>(body) else { return };
        let folder = message.pointer("/params/workspaceFolders/0/uri").or_else(|| message.pointer("/params/rootUri"));
        self.root = folder.and_then(Value::as_str).and_then(|uri| Url::parse(uri).ok()?.to_file_path().ok());
    }

    /// The URI a notebook opened at `uri` is served as: its own for a
    /// file's; for an untitled one, a file in the workspace folder named
    /// after it, unless there is no folder or that file exists or is open
    /// (`taken`): then its own, and diagnostics only.
    pub fn to_serve(&self, uri: &str, taken: impl Fn(&str) -> bool) -> String {
        let own = || uri.to_owned();
        if Url::parse(uri).is_ok_and(|u| u.scheme() == "file") {
            return own();
        }
        let Some(root) = &self.root else { return own() };
        let name = uri.rsplit(['/', ':', '\\']).next().unwrap_or_default();
        if name.is_empty() || name.starts_with('.') {
            return own();
        }
        let name = if name.ends_with(".ipynb") { name.to_owned() } else { format!("{name}.ipynb") };
        let path = root.join(name);
        match Url::from_file_path(&path).map(String::from) {
            Ok(file) if !path.exists() && !taken(&file) => file,
            _ => {
                tracing::warn!("untitled notebook {uri}: {} is taken; diagnostics only until it is saved", path.display());
                own()
            }
        }
    }

    /// Notes that the notebook the client calls `uri` is served as `served`.
    pub fn opened(&mut self, uri: String, served: &str) {
        if uri != served {
            self.served.insert(uri, served.to_owned());
        }
    }

    /// The URI the open notebook the client calls `uri` is served as.
    pub fn served(&self, uri: &str) -> String {
        self.served.get(uri).cloned().unwrap_or_else(|| uri.to_owned())
    }

    pub fn closed(&mut self, uri: &str) {
        self.served.remove(uri);
    }
}
