//! A callee named for escaping or quoting a value (`sql_escape`,
//! `quote_name`, `escapeString`): the one reading both the data flow
//! (the program's own escaper, a check it cannot judge) and the S608
//! parameter fix (an escaped value would change when passed as a
//! parameter, so the fix is refused) make of a name.

/// Whether a callee, its last name `name` and the dotted text `whole` it
/// is written as (`html.escape`; `""` when not known), is named for
/// escaping or quoting: its name holds `escape` or `quote` (`sql_escape`,
/// `quote_name`, `escapeString`, `sqlescape`), not `unescape`, `unquote`
/// or `dequote`, and neither it nor its module speaks of HTML or markup
/// (HTML escaping leaves no quote an SQL literal reads, and the flow models
/// it on its own). Read by what the name holds, not by whole words: the
/// fix must refuse any name that may escape (a wrong edit is worse than a
/// missed fix), and the flow marks such data as checked by something it
/// cannot judge, which keeps ruff's word on ruff's findings.
pub(crate) fn names_escaping(name: &str, whole: &str) -> bool {
    let escapes = (holds(name, "escape") && !holds(name, "unescape")) || (holds(name, "quote") && !holds(name, "unquote") && !holds(name, "dequote"));
    escapes && ![name, whole].iter().any(|text| holds(text, "html") || holds(text, "markup"))
}

/// Whether `text` holds `word`, whatever the case (asked of every call the
/// flow evaluates: compared in place, no lower-cased copy).
fn holds(text: &str, word: &str) -> bool {
    text.as_bytes().windows(word.len()).any(|w| w.eq_ignore_ascii_case(word.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::names_escaping;

    /// Each name with what the S608 fix's refusal (`sql`) and the flow's
    /// own-escaper check (`flow`) answered before they were one, and what
    /// the one reading answers. They differed on a name that only contains
    /// a word (`sqlescape`, `sqlEscape`: the fix refused, the flow did not
    /// read an escaper) and on a module of HTML or markup (`Markup.escape`:
    /// the flow read an escaper where no model names it). Now both read
    /// what the name holds, as the fix did (but `dequote`, which escapes
    /// nothing).
    #[test]
    fn one_reading_of_an_escapers_name() {
        let cases: &[(&str, &str, bool, bool, bool)] = &[
            // (name, whole callee, sql before, flow before, now)
            ("sql_escape", "sql_escape", true, true, true),
            ("escape_string", "db.escape_string", true, true, true),
            ("quote_name", "ops.quote_name", true, true, true),
            ("_quote", "_quote", true, true, true),
            ("escapeString", "conn.escapeString", true, true, true),
            ("sqlEscape", "sqlEscape", true, false, true),
            ("quoted", "quoted", true, true, true),
            ("escape", "html.escape", false, true, false),
            ("escape", "Markup.escape", false, true, false),
            ("escape_html", "escape_html", false, false, false),
            ("unescape", "unescape", false, false, false),
            ("unquote", "urllib.parse.unquote", false, false, false),
            ("sqlescape", "sqlescape", true, false, true),
            ("dequote", "dequote", true, false, false),
            ("get_quotes", "get_quotes", true, true, true),
            ("clean", "clean", false, false, false),
        ];
        for (name, whole, _, _, now) in cases {
            assert_eq!(names_escaping(name, whole), *now, "{whole}");
        }
    }
}
