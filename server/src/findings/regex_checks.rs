//! Regular expressions that validate URLs, hosts or HTML wrongly, read
//! with `regex-syntax`'s parser (Rust's syntax, close to Python's `re`):
//! a range such as `[A-z]` that also takes `[\]^_\``, a host whose `.` is
//! not escaped (`example.com` accepts `exampleXcom`), a URL or host checked
//! with `re.match`/`re.search` without anchors (`https://example.com.evil`
//! passes), `<script>` filters, and nested repetitions that backtrack
//! exponentially on a text that almost matches (`(a+)+$`, ReDoS). Where the
//! syntaxes differ: Python's
//! `\Z` is read as `\z`; a pattern the parser refuses (lookarounds,
//! backreferences, `(?P=name)`) is not checked.

use std::sync::LazyLock;

use regex::Regex;
use regex_syntax::ast::{self, AssertionKind, Ast, ClassSetItem, LiteralKind, RepetitionKind, RepetitionRange};
use ruff_python_ast::{Expr, ExprCall, ModModule, Stmt};
use ruff_text_size::{Ranged, TextRange};
use rustc_hash::FxHashMap;

use super::bound::Bound;
use super::names::Names;
use super::{Category, Confidence, Finding, Severity};

const WIDE_RANGE: &str = "LOOM650";
const UNESCAPED_DOT: &str = "LOOM651";
const UNANCHORED_HOST: &str = "LOOM652";
const TAG_FILTER: &str = "LOOM653";
const NESTED_REPETITION: &str = "LOOM654";

/// The `re` functions whose first argument is a pattern.
const PATTERN_CALLS: &[&str] = &["re.match", "re.search", "re.fullmatch", "re.compile", "re.sub", "re.subn", "re.findall", "re.finditer", "re.split"];

/// The module-level names bound once, to a string or bytes: patterns (and
/// salts, IVs) are often written as a constant and used elsewhere in the
/// file.
pub(super) fn constants(module: &ModModule) -> FxHashMap<String, String> {
    let mut bound: FxHashMap<String, Option<String>> = FxHashMap::default();
    for stmt in &module.body {
        let Stmt::Assign(assign) = stmt else { continue };
        for target in &assign.targets {
            let Expr::Name(name) = target else { continue };
            let text = match assign.value.as_ref() {
                Expr::StringLiteral(s) => Some(s.value.to_str().to_owned()),
                Expr::BytesLiteral(b) => Some(String::from_utf8_lossy(&b.value.bytes().collect::<Vec<u8>>()).into_owned()),
                _ => None,
            };
            // A name bound twice holds either text: neither is the pattern.
            bound.entry(name.id.to_string()).and_modify(|t| *t = None).or_insert(text);
        }
    }
    bound.into_iter().filter_map(|(name, text)| Some((name, text?))).collect()
}

/// The module-level names bound once to `re.compile(pattern)` of a
/// pattern written in place or as a module constant, with the pattern:
/// `HOST.match(url)` checks with it elsewhere in the file.
pub(super) fn compiled(module: &ModModule, names: &Names, constants: &FxHashMap<String, String>) -> FxHashMap<String, String> {
    let bound = Bound::new(constants, None);
    let mut found: FxHashMap<String, Option<String>> = FxHashMap::default();
    for stmt in &module.body {
        let Stmt::Assign(assign) = stmt else { continue };
        for target in &assign.targets {
            let Expr::Name(name) = target else { continue };
            let pattern = compiled_pattern(&assign.value, names, &bound).map(|(text, _)| text.to_owned());
            found.entry(name.id.to_string()).and_modify(|p| *p = None).or_insert(pattern);
        }
    }
    found.into_iter().filter_map(|(name, pattern)| Some((name, pattern?))).collect()
}

/// The pattern (and where it is written) of `re.compile(pattern)`.
fn compiled_pattern<'e>(expr: &'e Expr, names: &Names, bound: &Bound<'e, '_>) -> Option<(&'e str, TextRange)> {
    let Expr::Call(call) = expr else { return None };
    (names.qualified(&call.func).as_deref() == Some("re.compile")).then(|| pattern_of(call, bound)).flatten()
}

/// The pattern a call of `re` is given: a literal, a module constant or a
/// local bound once to a literal.
fn pattern_of<'e>(call: &'e ExprCall, bound: &Bound<'e, '_>) -> Option<(&'e str, TextRange)> {
    match call.arguments.find_argument_value("pattern", 0)? {
        Expr::StringLiteral(literal) => Some((literal.value.to_str(), literal.range())),
        Expr::Name(n) => match (bound.local(n.id.as_str()), bound.constant(n.id.as_str())) {
            (Some(Expr::StringLiteral(literal)), _) => Some((literal.value.to_str(), n.range())),
            (None, Some(text)) => Some((text, n.range())),
            _ => None,
        },
        _ => None,
    }
}

/// `HOST.match(url)` or `re.compile(p).search(url)` of a compiled URL or
/// host pattern without the anchors the method needs (the compile call
/// itself cannot tell how the pattern will be used). `compiled` holds the
/// module's compiled patterns ([`compiled`]).
pub(super) fn compiled_use(call: &ExprCall, names: &Names, bound: &Bound, compiled: &FxHashMap<String, String>) -> Option<Finding> {
    let Expr::Attribute(method) = call.func.as_ref() else { return None };
    let name = match method.attr.as_str() {
        "match" => "re.match",
        "search" => "re.search",
        _ => return None,
    };
    if !names.imports("re") {
        return None;
    }
    let pattern = match method.value.as_ref() {
        Expr::Name(n) => match bound.local(n.id.as_str()) {
            Some(made) => compiled_pattern(made, names, bound)?.0.to_owned(),
            None => compiled.get(n.id.as_str())?.clone(),
        },
        made => compiled_pattern(made, names, bound)?.0.to_owned(),
    };
    let ast = ast::parse::Parser::new().parse(&pattern.replace(r"\Z", r"\z")).ok()?;
    let missing = unanchored_host(&shape(&ast), name)?;
    let message = format!(
        "`.{}` checks a URL or host with a pattern without {missing}: `https://example.com.evil.net` passes; anchor it or compare the parsed host",
        method.attr
    );
    Some(finding(method.range().start().to_usize()..method.range().end().to_usize(), UNANCHORED_HOST, Severity::Warning, message))
}

/// The findings of a call of `re` (`name` is its qualified name), whose
/// pattern is a literal, a module constant or a local bound once to one.
pub(super) fn check(call: &ExprCall, name: &str, bound: &Bound) -> Vec<Finding> {
    if !PATTERN_CALLS.contains(&name) {
        return Vec::new();
    }
    let Some((pattern, at)) = pattern_of(call, bound) else { return Vec::new() };
    let Ok(ast) = ast::parse::Parser::new().parse(&pattern.replace(r"\Z", r"\z")) else { return Vec::new() };
    let at = at.start().to_usize()..at.end().to_usize();
    let mut found = Vec::new();
    let mut ranges = Vec::new();
    wide_ranges(&ast, &mut ranges);
    if let Some((start, end)) = ranges.first() {
        let message = if start.is_ascii_uppercase() && end.is_ascii_lowercase() {
            format!("`{start}-{end}` also matches `[\\]^_` and a backtick, which lie between `Z` and `a`; write `A-Za-z`")
        } else {
            format!(
                "`{start}-{end}` is a range from `{start}` to `{end}`, which also matches {}; escape the `-` or put it last to mean the characters",
                kinds_between(*start, *end)
            )
        };
        found.push(finding(at.clone(), WIDE_RANGE, Severity::Warning, message));
    }
    let shape = shape(&ast);
    if let Some(host) = UNESCAPED_HOST.captures(&shape).and_then(|c| c.get(0)).map(|m| m.as_str().replace(ANY, ".")) {
        found.push(finding(at.clone(), UNESCAPED_DOT, Severity::Warning, format!("`.` in `{host}` matches any character, not only a dot; escape it (`\\.`)")));
    }
    if let Some(missing) = unanchored_host(&shape, name) {
        let message = format!("`{name}` checks a URL or host without {missing}: `https://example.com.evil.net` passes; anchor it or compare the parsed host");
        found.push(finding(at.clone(), UNANCHORED_HOST, Severity::Warning, message));
    }
    if pattern.to_ascii_lowercase().contains("<script") {
        let message = "A regular expression that filters `<script>` tags misses other ways to run script (`<img onerror>`, `<scr<script>ipt>`); escape the output or use an HTML sanitiser";
        found.push(finding(at.clone(), TAG_FILTER, Severity::Warning, message.into()));
    }
    if let Some(outer) = nested_repetition(&ast) {
        let message = format!(
            "`{}` repeats a part that repeats itself: a text that almost matches takes exponential time to reject (ReDoS); make the inner part match one way",
            &pattern[outer]
        );
        found.push(finding(at, NESTED_REPETITION, Severity::Warning, message));
    }
    found
}

/// The span in the pattern of a repetition without an upper bound whose
/// body is, but for parts that may match nothing, another such repetition
/// (`(a+)+`, `(\w+\s?)*`): the text it matches splits between the inner
/// and the outer repetition in exponentially many ways. A body with a part
/// that must match (`([a-z]+\.)+`) splits one way and is not reported.
fn nested_repetition(ast: &Ast) -> Option<std::ops::Range<usize>> {
    match ast {
        Ast::Repetition(r) if unbounded(&r.op.kind) && repeats_alone(&r.ast) => Some(r.span.start.offset..r.span.end.offset),
        Ast::Repetition(r) => nested_repetition(&r.ast),
        Ast::Group(g) => nested_repetition(&g.ast),
        Ast::Alternation(a) => a.asts.iter().find_map(nested_repetition),
        Ast::Concat(c) => c.asts.iter().find_map(nested_repetition),
        _ => None,
    }
}

fn unbounded(kind: &RepetitionKind) -> bool {
    matches!(kind, RepetitionKind::ZeroOrMore | RepetitionKind::OneOrMore | RepetitionKind::Range(RepetitionRange::AtLeast(_)))
}

/// Whether `ast` is an unbounded repetition once the parts of it that may
/// match nothing are left out.
fn repeats_alone(ast: &Ast) -> bool {
    match ast {
        Ast::Repetition(r) => unbounded(&r.op.kind),
        Ast::Group(g) => repeats_alone(&g.ast),
        Ast::Concat(c) => {
            let mut needed = c.asts.iter().filter(|a| !may_be_empty(a));
            matches!((needed.next(), needed.next()), (Some(only), None) if repeats_alone(only))
        }
        _ => false,
    }
}

fn may_be_empty(ast: &Ast) -> bool {
    match ast {
        Ast::Empty(_) | Ast::Flags(_) | Ast::Assertion(_) => true,
        Ast::Repetition(r) => match &r.op.kind {
            RepetitionKind::ZeroOrOne | RepetitionKind::ZeroOrMore => true,
            RepetitionKind::OneOrMore => may_be_empty(&r.ast),
            RepetitionKind::Range(RepetitionRange::Exactly(n) | RepetitionRange::AtLeast(n) | RepetitionRange::Bounded(n, _)) => {
                *n == 0 || may_be_empty(&r.ast)
            }
        },
        Ast::Group(g) => may_be_empty(&g.ast),
        Ast::Concat(c) => c.asts.iter().all(may_be_empty),
        Ast::Alternation(a) => a.asts.iter().any(may_be_empty),
        _ => false,
    }
}

/// Stand-ins in a pattern's shape: any character (`.`), a part that is not
/// one fixed character, and the anchors.
const ANY: &str = "\u{1}";
const SOME: char = '\u{2}';

/// A host written with an unescaped dot before a top-level domain.
static UNESCAPED_HOST: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"[a-z0-9-]+\x01(com|org|net|io|edu|gov|dev|app|co|uk|de|fr|jp|info|biz)\b").expect("a valid pattern"));

/// A URL (a scheme) or a host with an escaped dot before a top-level domain.
static HOST: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"://|[a-z0-9-]+[.\x01](com|org|net|io|edu|gov|dev|app|co|uk|de|fr|jp|info|biz)\b").expect("a valid pattern"));

/// The anchor a URL or host check lacks for the call: `re.match` anchors
/// only the start, `re.search` neither.
fn unanchored_host(shape: &str, name: &str) -> Option<&'static str> {
    if !matches!(name, "re.match" | "re.search") || !HOST.is_match(shape) {
        return None;
    }
    match (name == "re.match" || shape.starts_with('^'), shape.ends_with('$') || host_ends(shape)) {
        (true, true) => None,
        (true, false) => Some("`$` at the end"),
        (false, true) => Some("`^` at the start"),
        (false, false) => Some("`^` and `$`"),
    }
}

/// Whether the last host of a pattern's shape is followed by a `/`: no
/// more of a host can come after it (`https://example.com/` does not take
/// `https://example.com.evil.net`).
fn host_ends(shape: &str) -> bool {
    HOST.find_iter(shape).filter(|m| m.as_str() != "://").last().is_some_and(|host| shape[host.end()..].starts_with('/'))
}

/// The pattern at its top level as text: its literal characters, `ANY` for
/// `.`, `SOME` for a class, a repetition or an alternation, `^`/`$` for
/// the anchors; groups are read through. Where a host ends whatever
/// follows, `/`: an alternation each of whose branches starts a path, a
/// query or a fragment or ends the text (`(/|$)`); an optional port of
/// digits (`(:\d+)?`) is left out.
fn shape(ast: &Ast) -> String {
    match ast {
        Ast::Alternation(a) if a.asts.iter().all(|branch| shape(branch).starts_with(['/', '?', '#', '$'])) => "/".into(),
        Ast::Repetition(r) if r.op.kind == RepetitionKind::ZeroOrOne && is_port(&r.ast) => String::new(),
        Ast::Literal(l) => l.c.to_ascii_lowercase().to_string(),
        Ast::Dot(_) => ANY.into(),
        Ast::Assertion(a) => match a.kind {
            AssertionKind::StartLine | AssertionKind::StartText => "^".into(),
            AssertionKind::EndLine | AssertionKind::EndText => "$".into(),
            _ => String::new(),
        },
        Ast::Group(g) => shape(&g.ast),
        Ast::Concat(c) => c.asts.iter().map(shape).collect(),
        Ast::Empty(_) | Ast::Flags(_) => String::new(),
        _ => SOME.to_string(),
    }
}

/// `(:\d+)` or `(:[0-9]{2,5})`: a port of digits alone.
fn is_port(ast: &Ast) -> bool {
    let Ast::Group(group) = ast else { return false };
    let Ast::Concat(concat) = group.ast.as_ref() else { return false };
    let [Ast::Literal(colon), Ast::Repetition(digits)] = concat.asts.as_slice() else { return false };
    let digit = match digits.ast.as_ref() {
        Ast::ClassPerl(class) => class.kind == ast::ClassPerlKind::Digit && !class.negated,
        Ast::ClassBracketed(class) => {
            !class.negated && matches!(&class.kind, ast::ClassSet::Item(ClassSetItem::Range(r)) if r.start.c == '0' && r.end.c == '9')
        }
        _ => false,
    };
    colon.c == ':' && digit
}

/// What kind of character a range may span: ranges within one kind
/// (`0-9`, `a-f`, `!-/`) are meant; one across kinds (`A-z`, `.-_`,
/// `0-z`) takes characters its writer did not list.
fn kind(c: char) -> u8 {
    match c {
        '0'..='9' => 0,
        'A'..='Z' => 1,
        'a'..='z' => 2,
        _ => 3,
    }
}

/// A range across kinds of characters, but for every printable character
/// (` -~`, `!-~`), which is meant.
fn across_kinds(start: char, end: char) -> bool {
    let printable = matches!(start, ' ' | '!') && end == '~';
    start.is_ascii() && end.is_ascii() && start < end && !printable && (start..=end).any(|c| kind(c) != kind(start))
}

/// A range's end written as the character itself (`.` or `\.`), not as
/// a code (`\x20`), which says its writer meant the range.
fn written(end: &ast::Literal) -> bool {
    matches!(end.kind, LiteralKind::Verbatim | LiteralKind::Superfluous)
}

/// The kinds of character between `start` and `end`, in words.
fn kinds_between(start: char, end: char) -> String {
    let words = ["digits", "capitals", "small letters", "other signs"];
    let mut kinds: Vec<u8> = (start..=end).map(kind).collect();
    kinds.dedup();
    kinds.sort_unstable();
    kinds.dedup();
    kinds.iter().map(|k| words[usize::from(*k)]).collect::<Vec<_>>().join(", ")
}

/// The ranges across kinds of characters (`A-z`, `.-_`), anywhere.
fn wide_ranges(ast: &Ast, found: &mut Vec<(char, char)>) {
    match ast {
        Ast::ClassBracketed(class) => class_ranges(&class.kind, found),
        Ast::Repetition(r) => wide_ranges(&r.ast, found),
        Ast::Group(g) => wide_ranges(&g.ast, found),
        Ast::Alternation(a) => a.asts.iter().for_each(|a| wide_ranges(a, found)),
        Ast::Concat(c) => c.asts.iter().for_each(|a| wide_ranges(a, found)),
        _ => {}
    }
}

fn class_ranges(set: &ast::ClassSet, found: &mut Vec<(char, char)>) {
    let item = |item: &ClassSetItem, found: &mut Vec<(char, char)>| match item {
        ClassSetItem::Range(r) if across_kinds(r.start.c, r.end.c) && written(&r.start) && written(&r.end) => {
            found.push((r.start.c, r.end.c));
        }
        ClassSetItem::Bracketed(b) => class_ranges(&b.kind, found),
        _ => {}
    };
    match set {
        ast::ClassSet::Item(ClassSetItem::Union(union)) => union.items.iter().for_each(|i| item(i, found)),
        ast::ClassSet::Item(single) => item(single, found),
        ast::ClassSet::BinaryOp(op) => {
            class_ranges(&op.lhs, found);
            class_ranges(&op.rhs, found);
        }
    }
}

fn finding(range: std::ops::Range<usize>, code: &str, severity: Severity, message: String) -> Finding {
    let mut finding = Finding::new(range, code, Category::Security, severity, message);
    finding.confidence = Some(Confidence::Medium);
    finding
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(source: &str) -> Vec<String> {
        let parsed = ruff_python_parser::parse_expression(source).expect("parses");
        let call = parsed.expr().as_call_expr().expect("a call");
        let name = format!("re.{}", call.func.as_attribute_expr().expect("re.f").attr.as_str());
        check(call, &name, &Bound::new(&FxHashMap::default(), None)).into_iter().map(|f| f.code).collect()
    }

    #[test]
    fn ranges_across_the_cases_are_flagged_and_exact_ones_are_not() {
        assert_eq!(codes(r#"re.match(r"^[A-z0-9]+$", name)"#), ["LOOM650"]);
        assert!(codes(r#"re.match(r"^[A-Za-z0-9]+$", name)"#).is_empty());
    }

    #[test]
    fn hosts_need_escaped_dots_and_anchors() {
        assert_eq!(codes(r#"re.match(r"https?://example.com", url)"#), ["LOOM651", "LOOM652"]);
        assert_eq!(codes(r#"re.search(r"^https://example\.com", url)"#), ["LOOM652"]);
        assert!(codes(r#"re.match(r"^https://(www\.)?example\.com(/.*)?$", url)"#).is_empty());
        assert!(codes(r#"re.fullmatch(r"https://example\.com/.*", url)"#).is_empty());
        // Python's `\Z` ends the text as `$` does.
        assert!(codes(r#"re.match(r"https://example\.com\Z", url)"#).is_empty());
        // The host ends where a path, or the end, follows it.
        assert!(codes(r#"re.match(r"^https?://(www\.)?example\.com(:\d+)?(/|$)", url)"#).is_empty());
        assert!(codes(r#"re.search(r"^https://example\.com(?:/|\?|$)", url)"#).is_empty());
        assert!(codes(r#"re.match(r"https://example\.com/", url)"#).is_empty());
        // Twins: a host that may go on (`example.com.evil.net`, or a
        // port made of anything: `example.com:@evil.net/`), a path after
        // an unanchored start.
        assert_eq!(codes(r#"re.match(r"https://example\.com(:\d+)?", url)"#), ["LOOM652"]);
        assert_eq!(codes(r#"re.match(r"https://example\.com(:.*)?/", url)"#), ["LOOM652"]);
        assert_eq!(codes(r#"re.match(r"https://example\.com(/|\.)", url)"#), ["LOOM652"]);
        assert_eq!(codes(r#"re.search(r"https://example\.com/", url)"#), ["LOOM652"]);
        // Not a URL or a host: nothing to anchor.
        assert!(codes(r#"re.search(r"[0-9]+", text)"#).is_empty());
    }

    #[test]
    fn nested_repetitions_are_flagged_and_repetitions_split_one_way_are_not() {
        assert_eq!(codes(r#"re.compile(r"^(a+)+$")"#), ["LOOM654"]);
        assert_eq!(codes(r#"re.match(r"^(\w+\s?)*$", text)"#), ["LOOM654"]);
        assert_eq!(codes(r#"re.search(r"(?:\d*)*x", text)"#), ["LOOM654"]);
        // A part that must match between the repetitions: one way to split.
        assert!(codes(r#"re.compile(r"^([a-z]+\.)+[a-z]+$")"#).is_empty());
        assert!(codes(r#"re.compile(r"^(\s*,\s*\w+)*$")"#).is_empty());
        // A bounded outer repetition, or a single one.
        assert!(codes(r#"re.compile(r"^(a+){2}$")"#).is_empty());
        assert!(codes(r#"re.compile(r"^[0-9]+$")"#).is_empty());
    }

    #[test]
    fn a_pattern_written_as_a_module_constant_is_read_there() {
        super::super::tests::check(
            "import re\nREDOS = r'^(a+)+$'\nPLAIN = r'^[0-9]+$'\nTWICE = r'^(a+)+$'\nTWICE = r'^a+$'\n\
             re.compile(REDOS)\nre.compile(PLAIN)\nre.compile(TWICE)\ndef f(pattern):\n    return re.compile(pattern)\n",
            &["LOOM65"],
            expect_test::expect![[r#"
                6:12 LOOM654 Warning `(a+)+` repeats a part that repeats itself: a text that almost matches takes exponential time to reject (ReDoS); make the inner part match one way [confidence Medium]
            "#]],
        );
    }

    #[test]
    fn script_filters_are_flagged_and_unparsable_patterns_are_skipped() {
        assert_eq!(codes(r#"re.sub(r"<script.*?>.*?</script>", "", html)"#), ["LOOM653"]);
        assert!(codes(r#"re.match(r"(?<=a)b", text)"#).is_empty());
    }
}
