//! Settings, merged from layers in increasing precedence:
//!
//! 1. built-in defaults,
//! 2. `[tool.pyloom]` in the workspace's `pyproject.toml`,
//! 3. the workspace's `pyloom.toml`,
//! 4. the client's `initializationOptions`,
//! 5. the client's `workspace/didChangeConfiguration` settings.
//!
//! Keys are snake_case in every layer. Each layer is checked on its own, so a
//! warning names the file or message it came from: unknown keys are warned
//! about and ignored; a layer with a wrong type or value is reported and left
//! out whole, and the remaining layers still apply.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use serde_json::Value;

pub mod actions;
mod completion;
pub mod context;
pub mod inlay_hints;
mod lint;
pub mod llm;
mod sandbox;

pub use completion::{CompletionProvider, CompletionSettings, PromptFormat};
pub use lint::{LintSettings, OWN_RULE_PREFIX};
pub use sandbox::SandboxSettings;

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    pub files: FileSettings,
    pub lint: LintSettings,
    pub index: IndexSettings,
    pub sandbox: SandboxSettings,
    pub llm: llm::LlmSettings,
    pub context: context::ContextSettings,
    pub actions: actions::ActionSettings,
    pub inlay_hints: inlay_hints::InlayHintSettings,
    pub completion: CompletionSettings,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct FileSettings {
    /// Files larger than this are not parsed or analysed (they stay editable).
    pub max_file_bytes: usize,
}

/// Which files the workspace graph indexes, and where it looks for
/// third-party code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct IndexSettings {
    /// Globs (relative to each workspace folder); when set, only matching
    /// files are indexed.
    pub include: Vec<String>,
    /// Globs of files and folders never indexed (on top of `.gitignore`,
    /// virtualenvs and build outputs).
    pub exclude: Vec<String>,
    /// The Python interpreter whose `sys.path` resolves imports from outside
    /// the workspace; wins over `venv` (see [`crate::environment`]).
    pub python: Option<PathBuf>,
    /// The virtualenv (its folder) whose interpreter is asked when `python`
    /// is not set (default: `$VIRTUAL_ENV`, else `.venv` or `venv` in a
    /// workspace folder, else `$CONDA_PREFIX`, else `python3` on PATH).
    pub venv: Option<PathBuf>,
    /// Keep per-file summaries in an on-disk cache for fast restarts.
    pub cache: bool,
}

impl Default for IndexSettings {
    fn default() -> Self {
        Self { include: Vec::new(), exclude: Vec::new(), python: None, venv: None, cache: true }
    }
}

impl Default for FileSettings {
    fn default() -> Self {
        Self { max_file_bytes: 4 << 20 }
    }
}

impl Settings {
    fn validate(&self) -> Result<(), String> {
        if self.files.max_file_bytes == 0 {
            return Err("files.max_file_bytes must be greater than 0".to_owned());
        }
        self.sandbox.validate()?;
        self.lint.validate()?;
        self.llm.validate()?;
        self.actions.validate()?;
        self.completion.validate()?;
        self.context.validate()
    }
}

/// One source of settings and its raw value (a JSON object).
#[derive(Debug, Clone, PartialEq)]
pub struct Layer {
    pub source: String,
    pub value: Value,
}

/// The merged settings and what was wrong with the layers.
#[derive(Debug, Clone, PartialEq)]
pub struct Resolved {
    pub settings: Settings,
    pub warnings: Vec<String>,
}

/// Reads the workspace layers (`pyproject.toml`'s `[tool.pyloom]`, then
/// `pyloom.toml`) from `root`. Unreadable or invalid files become warnings.
pub fn workspace_layers(root: &Path) -> (Vec<Layer>, Vec<String>) {
    let mut layers = Vec::new();
    let mut warnings = Vec::new();
    // Each file and how to find pyloom's table in it.
    type Section = fn(toml::Table) -> Option<toml::Value>;
    let files: [(PathBuf, Section); 2] = [
        (root.join("pyproject.toml"), |mut t| t.remove("tool")?.as_table_mut()?.remove("pyloom")),
        (root.join("pyloom.toml"), |t| Some(toml::Value::Table(t))),
    ];
    for (path, extract) in files {
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
            Err(e) => {
                warnings.push(format!("{}: cannot read: {e}", path.display()));
                continue;
            }
        };
        match toml::from_str::<toml::Table>(&text) {
            Ok(table) => {
                if let Some(section) = extract(table) {
                    match serde_json::to_value(section) {
                        Ok(value) => layers.push(Layer { source: path.display().to_string(), value }),
                        Err(e) => warnings.push(format!("{}: {e}", path.display())),
                    }
                }
            }
            Err(e) => warnings.push(format!("{}: invalid TOML: {}", path.display(), e.message())),
        }
    }
    (layers, warnings)
}

/// Client settings arrive either bare or wrapped in a `pyloom` section.
pub fn client_layer(source: &str, value: Value) -> Option<Layer> {
    let value = match value {
        Value::Null => return None,
        Value::Object(mut map) if map.contains_key("pyloom") => map.remove("pyloom")?,
        other => other,
    };
    Some(Layer { source: source.to_owned(), value })
}

/// Merges `layers` (lowest precedence first) over the defaults.
pub fn resolve(layers: &[Layer]) -> Resolved {
    let mut warnings = Vec::new();
    let mut merged = serde_json::to_value(Settings::default()).expect("settings serialize");
    for layer in layers {
        let mut candidate = merged.clone();
        if !layer.value.is_object() {
            warnings.push(format!("{}: settings must be a table/object, ignored", layer.source));
            continue;
        }
        merge(&mut candidate, &layer.value);
        let mut unknown = Vec::new();
        let parsed: Result<Settings, _> = serde_ignored::deserialize(&candidate, |path| unknown.push(path.to_string()));
        match parsed.map_err(|e| e.to_string()).and_then(|s| s.validate()) {
            Ok(()) => {
                warnings.extend(unknown.into_iter().map(|k| format!("{}: unknown setting `{k}`, ignored", layer.source)));
                merged = candidate;
            }
            Err(e) => warnings.push(format!("{}: invalid settings, layer ignored: {e}", layer.source)),
        }
    }
    let settings = serde_json::from_value(merged).expect("every merged layer was validated");
    Resolved { settings, warnings }
}

/// The user's cache folder: `$XDG_CACHE_HOME`, else `~/.cache`.
fn user_cache_dir() -> Option<PathBuf> {
    std::env::var_os("XDG_CACHE_HOME")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache")))
}

fn merge(base: &mut Value, overlay: &Value) {
    match (base, overlay) {
        (Value::Object(base), Value::Object(overlay)) => {
            for (key, value) in overlay {
                merge(base.entry(key.clone()).or_insert(Value::Null), value);
            }
        }
        (base, overlay) => *base = overlay.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn layer(source: &str, value: Value) -> Layer {
        Layer { source: source.into(), value }
    }

    #[test]
    fn later_layers_win_and_unknown_keys_are_named() {
        let resolved = resolve(&[
            layer("pyproject.toml", json!({"files": {"max_file_bytes": 10}})),
            layer("initializationOptions", json!({"files": {"max_file_bytes": 20, "colour": "red"}})),
        ]);
        assert_eq!(resolved.settings.files.max_file_bytes, 20);
        assert_eq!(resolved.warnings, vec!["initializationOptions: unknown setting `files.colour`, ignored"]);
    }

    #[test]
    fn an_invalid_layer_is_dropped_whole() {
        let resolved = resolve(&[
            layer("pyloom.toml", json!({"files": {"max_file_bytes": 10}})),
            layer("client", json!({"files": {"max_file_bytes": "big"}})),
            layer("client2", json!({"files": {"max_file_bytes": 0}})),
        ]);
        assert_eq!(resolved.settings.files.max_file_bytes, 10);
        assert_eq!(resolved.warnings.len(), 2, "{:?}", resolved.warnings);
        assert!(resolved.warnings[0].starts_with("client: invalid settings"));
        assert!(resolved.warnings[1].contains("must be greater than 0"));
    }

    #[test]
    fn reads_pyproject_then_pyloom_toml() {
        let dir = std::env::temp_dir().join(format!("pyloom-settings-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("pyproject.toml"), "[tool.pyloom.files]\nmax_file_bytes = 5\n").unwrap();
        std::fs::write(dir.join("pyloom.toml"), "[files]\nmax_file_bytes = 7\n").unwrap();
        let (layers, warnings) = workspace_layers(&dir);
        std::fs::remove_dir_all(&dir).unwrap();
        assert!(warnings.is_empty(), "{warnings:?}");
        assert_eq!(layers.len(), 2);
        assert_eq!(resolve(&layers).settings.files.max_file_bytes, 7);
    }

    #[test]
    fn the_interpreter_setting_comes_from_pyproject_and_the_client() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("pyproject.toml"), "[tool.pyloom.index]\npython = \".venv/bin/python\"\nvenv = \"env\"\n").unwrap();
        let (mut layers, warnings) = workspace_layers(dir.path());
        assert!(warnings.is_empty(), "{warnings:?}");
        let index = resolve(&layers).settings.index;
        assert_eq!((index.python, index.venv), (Some(PathBuf::from(".venv/bin/python")), Some(PathBuf::from("env"))));
        layers.push(client_layer("initializationOptions", json!({"pyloom": {"index": {"python": "/usr/bin/python3"}}})).unwrap());
        let resolved = resolve(&layers);
        assert!(resolved.warnings.is_empty(), "{:?}", resolved.warnings);
        assert_eq!(resolved.settings.index.python, Some(PathBuf::from("/usr/bin/python3")));
        assert_eq!(resolve(&[]).settings.index.python, None);
    }

    #[test]
    fn client_settings_may_be_wrapped() {
        let wrapped = client_layer("client", json!({"pyloom": {"files": {"max_file_bytes": 3}}})).unwrap();
        assert_eq!(resolve(&[wrapped]).settings.files.max_file_bytes, 3);
        assert_eq!(client_layer("client", Value::Null), None);
    }
}
