//! `pyloom check`: findings for files and folders on disk.

use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::findings::{self, Category, Configs, Located, Locator, Severity};
use crate::settings::Settings;

/// Python files under `paths` (folders are walked honouring `.gitignore` and
/// hidden files; files named explicitly are taken as they are).
pub fn python_files(paths: &[PathBuf]) -> Result<Vec<PathBuf>, std::io::Error> {
    let mut files = Vec::new();
    for path in paths {
        let meta = std::fs::metadata(path)
            .map_err(|e| std::io::Error::new(e.kind(), format!("{}: {e}", path.display())))?;
        if meta.is_file() {
            files.push(path.clone());
            continue;
        }
        for entry in ignore::WalkBuilder::new(path).build() {
            let entry = entry.map_err(std::io::Error::other)?;
            if entry.file_type().is_some_and(|t| t.is_file()) && is_python(entry.path()) {
                files.push(entry.into_path());
            }
        }
    }
    files.sort();
    files.dedup();
    Ok(files)
}

fn is_python(path: &Path) -> bool {
    matches!(path.extension().and_then(|e| e.to_str()), Some("py" | "pyi"))
}

/// Checks every file, in parallel; findings are sorted by file and position.
pub fn check_files(files: &[PathBuf], settings: &Settings, configs: &Configs) -> Vec<Located> {
    let mut located: Vec<Located> = files.par_iter().flat_map_iter(|file| check_file(file, settings, configs)).collect();
    located.sort_by(|a, b| (&a.file, a.line, a.column, &a.code).cmp(&(&b.file, b.line, b.column, &b.code)));
    located
}

fn check_file(file: &Path, settings: &Settings, configs: &Configs) -> Vec<Located> {
    let unreadable = |message: String| {
        vec![Located {
            file: file.to_owned(),
            line: 1,
            column: 1,
            end_line: 1,
            end_column: 1,
            code: "E902".to_owned(),
            category: Category::Syntax,
            severity: Severity::Error,
            message,
            fix: None,
            url: None,
            confidence: None,
        }]
    };
    let bytes = match std::fs::read(file) {
        Ok(bytes) => bytes,
        Err(e) => return unreadable(format!("cannot read file: {e}")),
    };
    if bytes.len() > settings.files.max_file_bytes {
        tracing::warn!(file = %file.display(), bytes = bytes.len(), "file larger than files.max_file_bytes, skipped");
        return Vec::new();
    }
    let source = match String::from_utf8(bytes) {
        Ok(source) => source,
        Err(e) => return unreadable(format!("file is not valid UTF-8 (byte {})", e.utf8_error().valid_up_to())),
    };
    let locator = Locator::new(&source);
    // ruff matches per-file ignores against absolute paths.
    let absolute = std::path::absolute(file).unwrap_or_else(|_| file.to_owned());
    findings::check_source(&absolute, &source, &configs.for_file(&absolute)).into_iter().map(|f| locator.locate(file.to_owned(), f)).collect()
}

/// One line per finding, like compilers print them.
pub fn format_text(findings: &[Located]) -> String {
    let mut out = String::new();
    for f in findings {
        out.push_str(&format!(
            "{}:{}:{}: {} [{}] {}\n",
            f.file.display(),
            f.line,
            f.column,
            f.code,
            serde_json::to_value(f.severity).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default(),
            f.message
        ));
    }
    out
}
