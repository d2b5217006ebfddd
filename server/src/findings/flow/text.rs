//! What a module's text holds that the flow's walks would otherwise look
//! for in every function or statement: read once, before they start.
//! Four searches of the whole text (`str::contains` twice, an automaton,
//! a byte-pair scan for HTML) were 4% of a check of Django's instructions
//! (debug build); one automaton search for the literals and one `memchr`
//! scan for `<` say the same.

use std::sync::LazyLock;

use aho_corasick::{AhoCorasick, Input, MatchKind};

/// The shapes of statements the reporting walks look for only where the
/// text has them.
#[derive(Clone, Copy)]
pub(super) struct Shapes {
    /// An assignment expression (`:=`).
    pub walrus: bool,
    /// A call of `relative_to`.
    pub relative_to: bool,
}

/// What the text of a module may hold.
pub(super) struct Text {
    /// Text with an HTML tag may be built in this file.
    pub html: bool,
    /// A value may be stored in a session or a `Location` header
    /// ([`super::item_sinks`]: a key written as a literal, `["Location"]`).
    pub item_sink: bool,
    pub shapes: Shapes,
}

/// The literals looked for, by the index [`Text::of`] reads them at.
const LITERALS: [&str; 5] = ["session[", "ocation\"]", "ocation']", ":=", "relative_to"];

impl Text {
    pub(super) fn of(source: &str) -> Text {
        static LITERAL_TEXT: LazyLock<AhoCorasick> =
            LazyLock::new(|| AhoCorasick::builder().match_kind(MatchKind::LeftmostFirst).build(LITERALS).expect("literal patterns build an automaton"));
        // Each search resumes one byte after the start of the match before,
        // so one literal never hides another that shares its letters
        // (`relative_tocation"]`). Not an overlapping search: that walks
        // the automaton byte by byte (1.5% of a release check of Django),
        // where a leftmost search skips to candidates with SIMD.
        let mut seen = [false; LITERALS.len()];
        let mut from = 0;
        while let Some(found) = LITERAL_TEXT.find(Input::new(source).range(from..)) {
            seen[found.pattern().as_usize()] = true;
            if seen.iter().all(|s| *s) {
                break;
            }
            from = found.start() + 1;
        }
        Text { html: may_hold_html(source), item_sink: seen[0] || seen[1] || seen[2], shapes: Shapes { walrus: seen[3], relative_to: seen[4] } }
    }
}

/// Whether text with an HTML tag may be built in this file: a `<` before a
/// letter or `/`, or where a placeholder or another literal may put one.
fn may_hold_html(source: &str) -> bool {
    let bytes = source.as_bytes();
    memchr::memchr_iter(b'<', bytes)
        .any(|at| bytes.get(at + 1).is_some_and(|next| next.is_ascii_alphabetic() || matches!(next, b'/' | b'"' | b'\'' | b'{' | b'%')))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn of(source: &str) -> (bool, bool, bool, bool) {
        let text = Text::of(source);
        (text.html, text.item_sink, text.shapes.walrus, text.shapes.relative_to)
    }

    #[test]
    fn each_literal_is_found_wherever_it_is() {
        assert_eq!(of(""), (false, false, false, false));
        assert_eq!(of("request.session.get('k')"), (false, false, false, false));
        assert_eq!(of("request.session[k] = v"), (false, true, false, false));
        assert_eq!(of("r[\"Location\"] = u"), (false, true, false, false));
        assert_eq!(of("r['Location'] = u"), (false, true, false, false));
        assert_eq!(of("if (m := f()):\n    p.relative_to(b)"), (false, false, true, true));
        // Literals sharing letters are each found (`relative_to` ends
        // where `ocation"]` starts).
        assert_eq!(of("relative_tocation\"] :="), (false, true, true, true));
    }

    #[test]
    fn html_is_a_less_than_before_a_tag_or_a_placeholder() {
        assert_eq!(of("'<b>'").0, true);
        assert_eq!(of("'</'").0, true);
        assert_eq!(of("'<%s'").0, true);
        assert_eq!(of("'<{x}'").0, true);
        assert_eq!(of("'<' + x").0, true);
        assert_eq!(of("1 <2 or x<[y]").0, false);
        assert_eq!(of("a < b or a <= 2 or a <<1").0, false);
        // A `<` ending the text has nothing after it.
        assert_eq!(of("a <").0, false);
    }
}
