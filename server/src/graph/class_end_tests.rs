//! Typing at the end of a class's last method while it does not parse
//! (the typing benchmark's methods, typed at the end of Django's
//! `QuerySet`): the whole text is parsed, and the update links only the
//! method, not the class (summary/spliced.rs `Region::narrowed`). The
//! graph equals a cold index either way (`check_edit`).

use expect_test::expect;

use super::local_tests::check_edit;

/// `Meter.report` is the class's last method; `$0` is its last line.
const LAST_METHOD: &str = "\"\"\"Meters.\"\"\"\n\n\nclass Meter:\n    unit = \"m\"\n\n    def read(self, n):\n        return n\n\n    def report(self):\n        total = self.read(2)\n$0\n\n\ndef meter():\n    return Meter().report()\n";

fn typed(before: &str, after: &str) -> (String, String) {
    (LAST_METHOD.replace("$0", before), LAST_METHOD.replace("$0", after))
}

/// `not ` typed after `if `, as a hover after it sees it: the space lies
/// past the method's last token, and recovery puts the missing operands
/// at its end, where the class ends too.
#[test]
fn a_space_typed_after_a_broken_method_s_last_token_links_only_the_method() {
    let (before, after) = typed("        if ", "        if not ");
    check_edit(&before, &after, expect![[r#"local: "def report(self):""#]]);
    // Twin: a method after it in the class, which then does not end there.
    let more = |text: &str| text.replace("\n\n\ndef meter", "\n\n    def more(self):\n        return 1\n\n\ndef meter");
    check_edit(&more(&before), &more(&after), expect![[r#"local: "def report(self):""#]]);
}

/// A call opened after a dangling `.` (`values_list(` typed after
/// `filter(...).`): the bracket is left open, so the whole text is parsed,
/// and recovery ends it at the class that follows (Django's
/// `InstanceCheckMeta` after `QuerySet`).
#[test]
fn a_bracket_opened_at_a_broken_method_s_end_links_only_the_method() {
    let (before, after) = typed("        return total.", "        return total.real(");
    let gauge = |text: &str| text.replace("\n\n\ndef meter", "\n\n\nclass Gauge(Meter):\n    unit = \"g\"\n\n\ndef meter");
    check_edit(&gauge(&before), &gauge(&after), expect![[r#"local: "def report(self):" + "def meter():""#]]);
}

/// Must not: what is typed past the method's end is not blanks alone (a
/// class-level name after it), so the class is linked.
#[test]
fn a_name_typed_after_a_broken_method_links_the_class() {
    let (before, after) = typed("        if ", "        if not\n    limit ");
    check_edit(&before, &after, expect![[r#"local: "class Meter:""#]]);
}
