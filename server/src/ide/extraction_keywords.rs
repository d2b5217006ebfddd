//! The gettext/babel extraction keywords a project names outside Python:
//! `keywords = _ gettext ngettext:1,2 lazy_gettext` in `babel.cfg`,
//! `setup.cfg`'s `[extract_messages]`, `pyproject.toml`'s `[tool.babel]`,
//! and `-k name` / `--keyword=name` given to `pybabel extract` in a
//! script. Renaming such a function would silently stop its strings from
//! being extracted for translation.

use std::path::{Path, PathBuf};

use crate::graph::Graph;
use crate::graph::explain::display_path;

const CONFIG_FILES: [&str; 7] = ["babel.cfg", "setup.cfg", "pyproject.toml", "tox.ini", "Makefile", "justfile", "noxfile.py"];

/// The first place (`file:line`) that names `name` as an extraction
/// keyword, a comment aside.
pub(super) fn named(graph: &Graph, name: &str) -> Option<String> {
    let mut folders: Vec<&Path> = graph.roots().iter().map(PathBuf::as_path).collect();
    folders.extend(graph.roots().iter().filter_map(|r| r.parent().filter(|_| r.ends_with("src"))));
    folders.sort();
    folders.dedup();
    for folder in folders {
        for file in CONFIG_FILES {
            let path = folder.join(file);
            let Ok(text) = std::fs::read_to_string(&path) else { continue };
            if let Some(line) = keyword_line(&text, name) {
                return Some(format!("{}:{line}", display_path(graph, &path)));
            }
        }
    }
    None
}

/// The 1-based line of `text` that gives `name` as a keyword.
fn keyword_line(text: &str, name: &str) -> Option<usize> {
    let mut in_keywords = false;
    for (i, line) in text.lines().enumerate() {
        let code = line.split('#').next().unwrap_or_default();
        let trimmed = code.trim_start();
        // `keywords = a b` may go on over indented lines.
        let continues = in_keywords && line.starts_with([' ', '\t']) && !trimmed.contains('=');
        in_keywords = continues || trimmed.starts_with("keywords");
        let words: Vec<&str> = code.split(|c: char| c.is_whitespace() || matches!(c, '=' | ',' | '"' | '\'' | '[' | ']')).collect();
        let flagged = words.windows(2).any(|w| matches!(w[0], "-k" | "--keyword") && keyword(w[1]) == name)
            || code.contains(&format!("--keyword={name}")) && words.iter().any(|w| keyword(w) == name);
        let listed = in_keywords && words.iter().skip_while(|w| !w.starts_with("keywords") && !continues).any(|w| keyword(w) == name);
        if flagged || listed {
            return Some(i + 1);
        }
    }
    None
}

/// `ngettext:1,2` names `ngettext`.
fn keyword(word: &str) -> &str {
    word.split(':').next().unwrap_or(word).trim_start_matches("--keyword=")
}

#[cfg(test)]
mod tests {
    use expect_test::expect;

    use super::keyword_line;

    #[test]
    fn extraction_keywords_are_found_in_config_and_commands_but_not_in_comments() {
        let cases = [
            ("[extract_messages]\nkeywords = _ lazy_gettext ngettext:1,2\n", "lazy_gettext"),
            ("[extract_messages]\nkeywords = _\n    ngettext:1,2\n", "ngettext"),
            ("[tool.babel]\nkeywords = [\"_l\", \"lazy\"]\n", "lazy"),
            ("i18n:\n\tpybabel extract -k lazy_gettext -o m.pot .\n", "lazy_gettext"),
            ("i18n:\n\tpybabel extract --keyword=_l -o m.pot .\n", "_l"),
            // Must not: a comment, another option, a longer name, a later section's key.
            ("[extract_messages]\n# keywords = lazy_gettext\nkeywords = _\n", "lazy_gettext"),
            ("[extract_messages]\nkeywords = _ lazy_gettext_x\n", "lazy_gettext"),
            ("[extract_messages]\nkeywords = _\nmapping_file = lazy_gettext.cfg\n", "lazy_gettext"),
            ("pybabel extract -o lazy_gettext .\n", "lazy_gettext"),
        ];
        let found: Vec<Option<usize>> = cases.iter().map(|(text, name)| keyword_line(text, name)).collect();
        expect![[r#"
            [
                Some(
                    2,
                ),
                Some(
                    3,
                ),
                Some(
                    2,
                ),
                Some(
                    2,
                ),
                Some(
                    2,
                ),
                None,
                None,
                None,
                None,
            ]
        "#]]
        .assert_debug_eq(&found);
    }
}
