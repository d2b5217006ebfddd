//! Where library files are read from: the disk, or (in tests) a map of
//! paths to texts that stands in for a `site-packages` and typeshed.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use rustc_hash::FxHashMap;

#[derive(Debug)]
pub(super) enum Files {
    Disk,
    Memory(FxHashMap<PathBuf, Arc<str>>),
}

impl Files {
    pub(super) fn is_file(&self, path: &Path) -> bool {
        match self {
            Files::Disk => path.is_file(),
            Files::Memory(files) => files.contains_key(path),
        }
    }

    pub(super) fn is_dir(&self, path: &Path) -> bool {
        match self {
            Files::Disk => path.is_dir(),
            Files::Memory(files) => files.keys().any(|f| f.starts_with(path) && f != path),
        }
    }

    /// The text of a file of at most `limit` bytes: UTF-8, or Latin-1
    /// where its PEP 263 declaration says so.
    pub(super) fn read(&self, path: &Path, limit: u64) -> Option<Arc<str>> {
        match self {
            Files::Disk => {
                if std::fs::metadata(path).ok()?.len() > limit {
                    return None;
                }
                let bytes = std::fs::read(path).ok()?;
                match String::from_utf8(bytes) {
                    Ok(text) => Some(Arc::from(text)),
                    Err(e) => declared_latin1(e.as_bytes()).then(|| e.as_bytes().iter().map(|&b| char::from(b)).collect::<String>().into()),
                }
            }
            Files::Memory(files) => files.get(path).cloned(),
        }
    }

    /// The names in a folder, each with whether it is a folder.
    pub(super) fn list(&self, dir: &Path) -> Vec<(String, bool)> {
        match self {
            Files::Disk => std::fs::read_dir(dir)
                .map(|entries| entries.flatten().filter_map(|e| Some((e.file_name().into_string().ok()?, e.file_type().ok()?.is_dir()))).collect())
                .unwrap_or_default(),
            Files::Memory(files) => {
                let mut out: Vec<(String, bool)> = files
                    .keys()
                    .filter_map(|f| {
                        let mut rest = f.strip_prefix(dir).ok()?.iter();
                        let first = rest.next()?.to_str()?.to_owned();
                        Some((first, rest.next().is_some()))
                    })
                    .collect();
                out.sort();
                out.dedup();
                out
            }
        }
    }
}

/// Whether the first two lines declare a Latin-1 encoding (`# -*- coding:
/// latin-1 -*-`, PEP 263), whose bytes are each one character.
fn declared_latin1(bytes: &[u8]) -> bool {
    bytes.split(|&b| b == b'\n').take(2).any(|line| {
        let line = String::from_utf8_lossy(line).to_ascii_lowercase();
        let Some(at) = line.find("coding").filter(|_| line.trim_start().starts_with('#')) else { return false };
        let rest = line[at + "coding".len()..].trim_start_matches([':', '=']).trim_start();
        let name: String = rest.chars().take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')).collect();
        matches!(name.replace('_', "-").as_str(), "latin-1" | "latin1" | "iso-8859-1" | "iso8859-1" | "l1" | "cp819")
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_latin1_declaration_is_read_from_the_first_two_lines() {
        assert!(super::declared_latin1(b"# -*- coding: latin-1 -*-\nx = '\xe9'\n"));
        assert!(super::declared_latin1(b"#!/usr/bin/env python\n# vim: set fileencoding=iso-8859-1 :\n"));
        assert!(!super::declared_latin1(b"x = 1\n\n# coding: latin-1\n"));
        assert!(!super::declared_latin1(b"# coding: cp1252\n"));
        assert!(!super::declared_latin1(b"s = 'coding: latin-1'\n"));
    }
}
