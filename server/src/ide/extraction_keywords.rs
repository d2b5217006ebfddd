//! The gettext/babel extraction keywords a project names outside Python:
//! `keywords = _ gettext ngettext:1,2 lazy_gettext` in `babel.cfg`,
//! `setup.cfg`'s `[extract_messages]`, `pyproject.toml`'s `[tool.babel]`,
//! and `-k name` / `--keyword=name` given to `pybabel extract` in a
//! script. Renaming such a function would silently stop its strings from
//! being extracted for translation. A `keywords` key counts only in the
//! tables Babel reads it from: `[project] keywords` in `pyproject.toml` is
//! the package's search words on PyPI (tester ref24 case 14).

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
            if let Some(line) = keyword_line(&text, name, |table| babel_table(file, table)) {
                return Some(format!("{}:{line}", display_path(graph, &path)));
            }
        }
    }
    None
}

/// Whether Babel reads `keywords` in `table` (`[extract_messages]`, the
/// name of a section without its brackets) of the config file `file`:
/// each section of `babel.cfg`, `setup.cfg`'s `[extract_messages]`,
/// `pyproject.toml`'s `[tool.babel]` and its subtables. Elsewhere only a
/// command's `-k`/`--keyword` names one.
fn babel_table(file: &str, table: &str) -> bool {
    match file {
        "babel.cfg" => true,
        "setup.cfg" => table == "extract_messages",
        "pyproject.toml" => table == "tool.babel" || table.starts_with("tool.babel."),
        _ => false,
    }
}

/// The 1-based line of `text` that gives `name` as a keyword, in a table
/// `babel_table` accepts or on a command line.
fn keyword_line(text: &str, name: &str, babel_table: impl Fn(&str) -> bool) -> Option<usize> {
    let mut in_keywords = false;
    let mut in_babel_table = babel_table("");
    for (i, line) in text.lines().enumerate() {
        let code = line.split('#').next().unwrap_or_default();
        let trimmed = code.trim_start();
        // `keywords = a b` may go on over indented lines.
        let continues = in_keywords && line.starts_with([' ', '\t']) && !trimmed.contains('=');
        // A section header starts a line; an array's `[` goes on a key's.
        if !continues && line.starts_with('[') && code.trim_end().ends_with(']') {
            in_babel_table = babel_table(code.trim().trim_matches(['[', ']']).trim());
        }
        in_keywords = continues || in_babel_table && trimmed.starts_with("keywords");
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

    use super::{babel_table, keyword_line};

    #[test]
    fn extraction_keywords_are_found_in_config_and_commands_but_not_in_comments() {
        let cases = [
            ("setup.cfg", "[extract_messages]\nkeywords = _ lazy_gettext ngettext:1,2\n", "lazy_gettext"),
            ("setup.cfg", "[extract_messages]\nkeywords = _\n    ngettext:1,2\n", "ngettext"),
            ("pyproject.toml", "[tool.babel]\nkeywords = [\"_l\", \"lazy\"]\n", "lazy"),
            ("pyproject.toml", "[project]\nname = \"p\"\n[tool.babel.extract_messages]\nkeywords = [\"lazy\"]\n", "lazy"),
            ("babel.cfg", "[python: **.py]\nkeywords = lazy\n", "lazy"),
            ("Makefile", "i18n:\n\tpybabel extract -k lazy_gettext -o m.pot .\n", "lazy_gettext"),
            ("tox.ini", "[testenv:i18n]\ncommands = pybabel extract --keyword=_l -o m.pot .\n", "_l"),
            // Must not: a comment, another option, a longer name, a later section's key.
            ("setup.cfg", "[extract_messages]\n# keywords = lazy_gettext\nkeywords = _\n", "lazy_gettext"),
            ("setup.cfg", "[extract_messages]\nkeywords = _ lazy_gettext_x\n", "lazy_gettext"),
            ("setup.cfg", "[extract_messages]\nkeywords = _\nmapping_file = lazy_gettext.cfg\n", "lazy_gettext"),
            ("Makefile", "pybabel extract -o lazy_gettext .\n", "lazy_gettext"),
            // Must not: the package's search words on PyPI, a table after Babel's, setup.cfg's [metadata].
            ("pyproject.toml", "[project]\nkeywords = [\"validation\", \"validator\"]\n", "validator"),
            ("pyproject.toml", "[tool.babel]\ndomain = \"m\"\n\n[project]\nkeywords = [\n    \"validator\",\n]\n", "validator"),
            ("setup.cfg", "[metadata]\nkeywords = validator, checks\n", "validator"),
        ];
        let found: Vec<Option<usize>> = cases.iter().map(|(file, text, name)| keyword_line(text, name, |table| babel_table(file, table))).collect();
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
                    4,
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
                None,
                None,
                None,
            ]
        "#]]
        .assert_debug_eq(&found);
    }
}
