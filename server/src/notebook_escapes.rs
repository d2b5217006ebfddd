//! The names IPython's escapes in a notebook's code may read or bind,
//! which the graph does not see: `%time y = rate * 2` runs Python,
//! `!echo {total}` expands names, `get_ipython().system('echo {total}')`
//! is the same escape spelled out (as nbconvert and jupytext write it),
//! and `%run script.py` runs a script that binds any of the notebook's
//! globals (and with `-i` reads them).

use ruff_python_ast::visitor::{self, Visitor};
use std::ops::Range;

use ruff_python_ast::{Expr, ExprCall, IpyEscapeKind, ModModule, PySourceType, Stmt};
use ruff_python_parser::Parsed;
use ruff_text_size::{Ranged, TextRange};
use rustc_hash::{FxHashMap, FxHashSet};

use crate::ide::mentions::{is_word_char, whole_word_ends};
use crate::notebook::cells_fit;

/// The methods of IPython's shell that run or expand their string
/// arguments as the escapes do.
const RUNNING_METHODS: &[&str] = &["run_line_magic", "run_cell_magic", "magic", "system", "getoutput", "ex", "ev", "run_cell"];

/// The cell magics whose body ruff lints as the notebook's Python (it
/// joins their cells into the module) but IPython runs in a Python
/// interpreter of its own: the body sees none of the notebook's names and
/// binds none, so no edit there made from the joined module's scope is
/// right (F811's "remove the redefinition" leaves the subprocess without
/// its import).
const OWN_INTERPRETER: &[&str] = &["python", "python2", "python3", "pypy"];

/// The Python names `code` spells (keywords left out), as words.
pub fn names(code: &str) -> impl Iterator<Item = &str> {
    code.split(|c: char| !(c.is_alphanumeric() || c == '_'))
        .filter(|w| ruff_python_stdlib::identifiers::is_identifier(w) && !ruff_python_stdlib::keyword::is_keyword(w))
}

/// Whether an edit of `before` to `after` changes only quotes and
/// backslashes (Q000 turning `'inline'` into `"inline"`): it spells no name
/// anew, whatever word an escape spells (`%matplotlib inline`). Any other
/// rewrite of a name's text is held back, even one that keeps it bound.
fn requotes(before: &str, after: &str) -> bool {
    let unquoted = |text: &str| text.chars().filter(|c| !matches!(c, '\'' | '"' | '\\')).collect::<String>();
    // Both a string literal (`'x'` to `x` would make a name of it).
    let literal = |text: &str| text.trim_start_matches(char::is_alphabetic).starts_with(['\'', '"']) && text.ends_with(['\'', '"']);
    before != after && literal(before) && literal(after) && unquoted(before) == unquoted(after)
}

/// A magic's line past the magic's name (`%%bash -s {x}` → ` -s {x}`).
fn past_magic_name(text: &str) -> &str {
    let called = text.trim_start().trim_start_matches('%');
    &called[called.find(char::is_whitespace).unwrap_or(called.len())..]
}

/// Whether the first line of a cell left out of the module
/// ([`crate::notebook::Notebook::left_out_magics`]) spells `name` past its
/// magic's name, where IPython expands it.
pub fn magic_line_spells(line: &str, name: &str) -> bool {
    whole_word_ends(past_magic_name(line), name).next().is_some()
}

/// The escapes of a notebook's module text. Each list of ranges is sorted
/// (escapes do not overlap), so a range is looked up, not searched for: a
/// notebook with a `%matplotlib inline` in each of its cells has as many
/// escapes as cells, and each of its fixes is checked against them.
pub struct Escapes {
    /// Each escape's range, in the text's order: the `%`/`!`/`?` lines and
    /// the string arguments of `get_ipython()`'s running methods.
    pub ranges: Vec<TextRange>,
    /// Those of `ranges` that are `get_ipython()`'s string arguments.
    strings: Vec<TextRange>,
    /// Those of `ranges` that are `%` or `%%` magics, whose first word
    /// names the magic, not a Python name (`%matplotlib inline`, `%time`).
    magics: Vec<TextRange>,
    /// The first `%run`, and the notebook's globals it may bind or read.
    run: Option<(TextRange, FxHashSet<String>)>,
    /// Those of `ranges` that are a cell magic of [`OWN_INTERPRETER`].
    interpreters: Vec<TextRange>,
    /// Whether a name is bound to the shell (`ip = get_ipython()`): its
    /// running methods' strings are escapes past the binding's cell too.
    named_shell: bool,
}

impl Escapes {
    /// The escapes of `parsed`, a module text parsed as IPython's.
    pub fn of(parsed: &Parsed<ModModule>) -> Escapes {
        let mut found = Found {
            escapes: Escapes { ranges: Vec::new(), strings: Vec::new(), magics: Vec::new(), run: None, interpreters: Vec::new(), named_shell: false },
            shells: FxHashSet::default(),
        };
        found.visit_body(&parsed.syntax().body);
        let mut escapes = found.escapes;
        escapes.named_shell = !found.shells.is_empty();
        // The visit meets a call's strings before those of a call among its
        // arguments.
        for ranges in [&mut escapes.ranges, &mut escapes.strings, &mut escapes.magics, &mut escapes.interpreters] {
            ranges.sort_unstable_by_key(|range| (range.start(), range.end()));
        }
        if let Some((_, globals)) = &mut escapes.run {
            let mut names = Globals { names: std::mem::take(globals), depth: 0 };
            names.visit_body(&parsed.syntax().body);
            *globals = names.names;
        }
        escapes
    }

    pub fn is_empty(&self) -> bool {
        self.ranges.is_empty()
    }

    /// Those of [`Escapes::ranges`] inside `cell`.
    fn ranges_in(&self, cell: TextRange) -> Vec<TextRange> {
        let from = self.ranges.partition_point(|e| e.start() < cell.start());
        self.ranges[from..].iter().copied().take_while(|e| e.start() <= cell.end()).filter(|e| cell.contains_range(*e)).collect()
    }

    /// The first escape that may read or bind `name`: one spelling it as
    /// a word (past a magic's name), else a `%run` when `name` is one of
    /// the notebook's globals.
    pub fn reading(&self, source: &str, name: &str) -> Option<TextRange> {
        self.reading_in(&self.spellings(source), name)
    }

    /// [`Escapes::reading`] with the escapes' [`Escapes::spellings`].
    fn reading_in(&self, spellings: &Spellings, name: &str) -> Option<TextRange> {
        let spelled = spellings.first(name).map(|at| self.ranges[at]);
        spelled.or_else(|| self.run.as_ref().filter(|(_, globals)| globals.contains(name)).map(|(run, _)| *run))
    }

    /// The words each escape of [`Escapes::ranges`] spells where IPython
    /// reads names (past a magic's name).
    fn spellings<'s>(&self, source: &'s str) -> Spellings<'s> {
        let read = |range: &TextRange| {
            let text = source.get(range.to_std_range()).unwrap_or_default();
            if is_among(&self.magics, *range) { past_magic_name(text) } else { text }
        };
        Spellings::of(self.ranges.iter().map(read).collect())
    }

    /// How the escape at `range` (one of [`Escapes::ranges`]) is shown in a
    /// reason: its first line, or the string IPython runs.
    pub fn shown(&self, source: &str, range: TextRange) -> String {
        let text = source.get(range.to_std_range()).and_then(|t| t.lines().next()).unwrap_or_default().trim();
        if is_among(&self.strings, range) { format!("the string {text} that `get_ipython()` runs") } else { format!("the IPython escape `{text}`") }
    }

    /// Whether the escape at `range` is a `%run`, which reaches every global.
    pub fn is_run(&self, range: TextRange) -> bool {
        self.run.as_ref().is_some_and(|(run, _)| *run == range)
    }
}

/// Whether `range` is one of the sorted `ranges`.
fn is_among(ranges: &[TextRange], range: TextRange) -> bool {
    ranges.binary_search_by_key(&(range.start(), range.end()), |r| (r.start(), r.end())).is_ok()
}

/// Which of some texts first spells each word: a name is looked up once
/// the texts are read, as [`whole_word_ends`] would find it in each.
struct Spellings<'s> {
    texts: Vec<&'s str>,
    /// Each run of word characters in `texts`, and the first text with it.
    first: FxHashMap<&'s str, usize>,
}

impl<'s> Spellings<'s> {
    fn of(texts: Vec<&'s str>) -> Self {
        let mut first = FxHashMap::default();
        for (at, text) in texts.iter().enumerate() {
            for word in text.split(|c: char| !is_word_char(c)).filter(|word| !word.is_empty()) {
                first.entry(word).or_insert(at);
            }
        }
        Spellings { texts, first }
    }

    /// The first of the texts spelling `name` as a whole word.
    fn first(&self, name: &str) -> Option<usize> {
        // A name of word characters is spelled only as one whole run of them.
        if !name.is_empty() && name.chars().all(is_word_char) {
            return self.first.get(name).copied();
        }
        self.texts.iter().position(|text| whole_word_ends(text, name).next().is_some())
    }
}

/// Whether an IPython escape could tell an edit of a notebook's code apart:
/// one answer for ruff's fixes in a notebook and for the IDE's edits
/// (extract, inline). The graph and ruff read an escape as opaque, so an
/// edit is made only where none can tell: it changes no line holding an
/// escape (a whole line inserted before one, as isort does, leaves it be),
/// no name it removes, reads, binds or writes is spelled in an escape
/// (`%time y = total`, `!echo {total}`) or is a global a `%run` reaches,
/// and it copies, moves into an expression or removes no escape
/// (`return !echo {x}` is no longer an escape).
pub struct EditCheck<'s> {
    source: &'s str,
    escapes: Escapes,
    /// The lines each escape is on, without the last one's line break;
    /// for a cell magic of [`OWN_INTERPRETER`], its whole cell (to the end
    /// of the text when the cells are not known).
    lines: Vec<Range<usize>>,
    /// The furthest end of `lines` up to each: the lines an edit may touch
    /// are found by two binary searches, not a walk over all of them.
    reach: Vec<usize>,
    /// The words each escape spells ([`Escapes::spellings`]).
    spellings: Spellings<'s>,
    /// The escapes' texts in the source parsed whole, as an edited text
    /// is (its cells' ranges are not known), by cell when that is the same.
    whole: Whole<'s>,
    /// The first lines of the notebook's cells left out of the source
    /// ([`crate::notebook::Notebook::left_out_magics`]).
    left_out: &'s [String],
    /// The words each of `left_out` spells past its magic's name.
    left_out_spellings: Spellings<'s>,
}

impl<'s> EditCheck<'s> {
    /// The check of edits of `source` (a notebook's joined cells, parsed
    /// cell by cell when its `cells` are known; `left_out`, the first lines
    /// of its cell magics' cells left out of it), or `None` when it holds
    /// no escape: every edit passes.
    pub fn new(source: &'s str, cells: Option<&[TextRange]>, left_out: &'s [String]) -> Option<Self> {
        Self::with_parse(source, &crate::notebook::parse_module(source, cells), cells, left_out)
    }

    /// [`EditCheck::new`] of `source` already `parsed` as it parses it
    /// (cell by cell when `cells` are known, as a notebook's check parses
    /// it): a keystroke's check does not parse the notebook again.
    pub fn with_parse(source: &'s str, parsed: &Parsed<ModModule>, cells: Option<&[TextRange]>, left_out: &'s [String]) -> Option<Self> {
        let escapes = Escapes::of(parsed);
        if escapes.is_empty() && left_out.is_empty() {
            return None;
        }
        let cell_end = |at: TextRange| match cells {
            Some(cells) => cells.iter().find(|cell| cell.contains_range(at)).map_or(source.len(), |cell| cell.end().to_usize()),
            None => source.len(),
        };
        let lines: Vec<Range<usize>> = escapes
            .ranges
            .iter()
            .map(|e| match is_among(&escapes.interpreters, *e) {
                true => lines_of(source, e.to_std_range()).start..cell_end(*e),
                false => lines_of(source, e.to_std_range()),
            })
            .collect();
        let reach = lines
            .iter()
            .scan(0, |reach, line| {
                *reach = line.end.max(*reach);
                Some(*reach)
            })
            .collect();
        let texts = |ranges: &[TextRange]| ranges.iter().map(|e| &source[e.to_std_range()]).collect();
        let whole = match cells {
            Some(cells) if parsed.errors().is_empty() && !escapes.named_shell && cells_fit(source, cells) => {
                Whole::Cells(cells.iter().map(|cell| (cell.to_std_range(), texts(&escapes.ranges_in(*cell)))).collect())
            }
            Some(_) => Whole::Text(texts(&Escapes::of(&crate::syntax::parse_unchecked_source(source, PySourceType::Ipynb)).ranges)),
            None => Whole::Text(texts(&escapes.ranges)),
        };
        let spellings = escapes.spellings(source);
        let left_out_spellings = Spellings::of(left_out.iter().map(|line| past_magic_name(line)).collect());
        Some(EditCheck { source, escapes, lines, reach, spellings, whole, left_out, left_out_spellings })
    }

    /// Why the `edits` (byte ranges of the source, sorted and disjoint,
    /// each with its new text) are refused, or `None`.
    pub fn hazard<'e>(&self, edits: impl IntoIterator<Item = (Range<usize>, &'e str)> + Clone) -> Option<String> {
        let (source, escapes) = (self.source, &self.escapes);
        for (range, text) in edits.clone() {
            if let Some(at) = self.touched(&range, text) {
                let escape = escapes.ranges[at];
                if is_among(&escapes.interpreters, escape) {
                    return Some(format!(
                        "the edit would change the cell of {}, whose body IPython runs in a Python of its own",
                        escapes.shown(source, escape)
                    ));
                }
                return Some(format!("the edit would change {}, which pyloom cannot check", escapes.shown(source, escape)));
            }
        }
        for (range, text) in edits.clone() {
            let before = source.get(range).unwrap_or_default();
            if requotes(before, text) {
                continue;
            }
            for word in names(before).chain(names(text)) {
                if let Some(line) = self.left_out_spellings.first(word) {
                    return Some(format!("`{word}` is spelled in the IPython escape `{}`, which pyloom cannot check", self.left_out[line].trim()));
                }
                let Some(escape) = escapes.reading_in(&self.spellings, word) else { continue };
                let shown = escapes.shown(source, escape);
                if escapes.is_run(escape) {
                    return Some(format!("`{word}` is a global of the notebook, which the script of {shown} may bind or read"));
                }
                return Some(format!("`{word}` is spelled in {shown}, which pyloom cannot check"));
            }
        }
        let copied = || "the edit would copy or remove an IPython escape (`%…`, `!…`), which pyloom cannot check".to_owned();
        let whole = match &self.whole {
            Whole::Cells(cells) => {
                let inside = |cell: &Range<usize>| edits.clone().into_iter().map(|edit| within(source, cell, edit)).collect::<Option<Vec<_>>>();
                // The cells (sorted, one `\n` apart) the first edit starts in.
                let first = edits.clone().into_iter().next().map(|(range, _)| range.start);
                let near = &cells[first.map_or(0, |at| cells.partition_point(|(cell, _)| cell.end < at))..];
                let mut candidates = near.iter().take_while(|(cell, _)| first.is_none_or(|at| cell.start <= at));
                if let Some((cell, before, edits)) = candidates.find_map(|(cell, before)| Some((cell, before, inside(cell)?))) {
                    if let Some(now) = cell_escapes(&spliced(source, cell.clone(), edits)) {
                        return (*before != now).then(copied);
                    }
                }
                cells.iter().flat_map(|(_, texts)| texts.iter().copied()).collect()
            }
            Whole::Text(texts) => texts.clone(),
        };
        let candidate = spliced(source, 0..source.len(), edits);
        let after = crate::syntax::parse_unchecked_source(&candidate, PySourceType::Ipynb);
        let now: Vec<&str> = Escapes::of(&after).ranges.iter().map(|e| &candidate[e.to_std_range()]).collect();
        (whole != now).then(copied)
    }
}

impl EditCheck<'_> {
    /// The first of `lines` an edit of `range` to `text` [`touches`]: only
    /// those starting by its end and reaching its start may.
    fn touched(&self, range: &Range<usize>, text: &str) -> Option<usize> {
        let from = self.reach.partition_point(|&end| end < range.start);
        let to = self.lines.partition_point(|line| line.start <= range.end);
        (from..to).find(|&at| touches(range, text, &self.lines[at]))
    }
}

/// The escapes' texts of a notebook's code parsed whole, which an edited
/// text's are compared with.
enum Whole<'s> {
    /// Each cell's range and its escapes' texts, when every cell parses
    /// alone without an error and no name is bound to the shell: the text
    /// parsed whole then reads each cell as it reads alone (no bracket,
    /// string, block or line continuation runs past the end of a cell that
    /// parses; one starting indented does not), so an edit inside one
    /// cell that leaves it so is judged by parsing that cell only.
    Cells(Vec<(Range<usize>, Vec<&'s str>)>),
    /// The escapes' texts, in order.
    Text(Vec<&'s str>),
}

/// The texts of the escapes of a cell's `code` parsed alone, or `None`
/// when the notebook parsed whole could read it otherwise (see
/// [`Whole::Cells`]): it does not parse or binds a name to the shell.
fn cell_escapes(code: &str) -> Option<Vec<String>> {
    let parsed = crate::syntax::unpanicked(|| ruff_python_parser::parse_unchecked_source(code, PySourceType::Ipynb))?;
    let escapes = Escapes::of(&parsed);
    if !parsed.errors().is_empty() || escapes.named_shell {
        return None;
    }
    Some(escapes.ranges.iter().map(|e| code[e.to_std_range()].to_owned()).collect())
}

/// `edit` of `source` as an edit of `cell` alone, when it is one or makes
/// the same text as one: an edit replacing the `\n` after the cell with
/// text ending in `\n` (isort's block, a `# noqa` on the cell's last
/// line) leaves that separator be.
fn within<'e>(source: &str, cell: &Range<usize>, (range, text): (Range<usize>, &'e str)) -> Option<(Range<usize>, &'e str)> {
    if cell.start > range.start || range.start > cell.end {
        return None;
    }
    if range.end <= cell.end {
        return Some((range, text));
    }
    let separated = range.end == cell.end + 1 && source.get(cell.end..range.end) == Some("\n");
    Some((range.start..cell.end, text.strip_suffix('\n').filter(|_| separated)?))
}

/// The text of `within` (a range of `source`) with `edits` (sorted,
/// disjoint, inside it) made.
fn spliced<'e>(source: &str, within: Range<usize>, edits: impl IntoIterator<Item = (Range<usize>, &'e str)>) -> String {
    let mut text = String::with_capacity(within.len());
    let mut at = within.start;
    for (range, new) in edits {
        text.push_str(source.get(at..range.start).unwrap_or_default());
        text.push_str(new);
        at = range.end;
    }
    text.push_str(source.get(at..within.end).unwrap_or_default());
    text
}

/// The lines `range` is on, without the last one's line break.
fn lines_of(source: &str, range: Range<usize>) -> Range<usize> {
    let start = source[..range.start].rfind('\n').map_or(0, |i| i + 1);
    let end = source[range.end..].find(['\r', '\n']).map_or(source.len(), |i| range.end + i);
    start..end.max(range.end)
}

/// Whether an edit of `range` to `text` changes text on `line`: replaces
/// some of it, or inserts into it (a whole line inserted before it, as
/// isort does, leaves it be).
fn touches(range: &Range<usize>, text: &str, line: &Range<usize>) -> bool {
    if range.is_empty() {
        let at = range.start;
        let before_the_line = at == line.start && text.ends_with('\n');
        return line.start <= at && at <= line.end && !before_the_line;
    }
    range.start < line.end && line.start < range.end
}

struct Found {
    escapes: Escapes,
    /// Names bound to the shell (`ip = get_ipython()`).
    shells: FxHashSet<String>,
}

impl Found {
    fn escape(&mut self, range: TextRange, kind: IpyEscapeKind, value: &str) {
        self.escapes.ranges.push(range);
        if matches!(kind, IpyEscapeKind::Magic | IpyEscapeKind::Magic2) {
            self.escapes.magics.push(range);
        }
        let magic = value.trim_start_matches('%').split_whitespace().next();
        if kind == IpyEscapeKind::Magic && magic == Some("run") {
            self.ran(range);
        }
        if kind == IpyEscapeKind::Magic2 && magic.is_some_and(|m| OWN_INTERPRETER.contains(&m)) {
            self.escapes.interpreters.push(range);
        }
    }

    fn ran(&mut self, range: TextRange) {
        if self.escapes.run.is_none() {
            self.escapes.run = Some((range, FxHashSet::default()));
        }
    }
}

impl<'a> Visitor<'a> for Found {
    fn visit_stmt(&mut self, stmt: &'a Stmt) {
        if let Stmt::IpyEscapeCommand(escape) = stmt {
            self.escape(escape.range(), escape.kind, &escape.value);
        }
        if let Stmt::Assign(assign) = stmt
            && is_shell(&assign.value, &self.shells)
        {
            self.shells.extend(assign.targets.iter().filter_map(|t| t.as_name_expr()).map(|n| n.id.to_string()));
        }
        visitor::walk_stmt(self, stmt);
    }

    fn visit_expr(&mut self, expr: &'a Expr) {
        match expr {
            Expr::IpyEscapeCommand(escape) => self.escape(escape.range(), escape.kind, &escape.value),
            // `get_ipython().system('echo {x}')`: its strings are an escape's.
            Expr::Call(call) => {
                if let Some(method) = running_method(call, &self.shells) {
                    let strings: Vec<&Expr> = call.arguments.args.iter().filter(|a| a.is_string_literal_expr()).collect();
                    let first = strings.first().and_then(|s| s.as_string_literal_expr()).map(|s| s.value.to_str().trim());
                    // `run_line_magic('run', 'script.py')`, `magic('run script.py')`
                    let run = match method {
                        "run_line_magic" => first == Some("run"),
                        "magic" => first.is_some_and(|f| f.trim_start_matches('%').split_whitespace().next() == Some("run")),
                        _ => false,
                    };
                    for string in strings {
                        self.escapes.ranges.push(string.range());
                        self.escapes.strings.push(string.range());
                    }
                    if run {
                        self.ran(call.range());
                    }
                }
            }
            _ => {}
        }
        visitor::walk_expr(self, expr);
    }
}

/// The method of `get_ipython().METHOD(...)` when it is one that runs its
/// strings. The shell may be reached through `IPython.get_ipython()` or a
/// name bound to it; the methods only IPython's shell has
/// (`run_line_magic`, …) count on any receiver, the others (`system`,
/// `ex`, …) only on the shell.
fn running_method<'c>(call: &'c ExprCall, shells: &FxHashSet<String>) -> Option<&'c str> {
    let Expr::Attribute(method) = &*call.func else { return None };
    let name = method.attr.as_str();
    let shell_only = ["run_line_magic", "run_cell_magic", "getoutput", "run_cell"];
    let runs = RUNNING_METHODS.contains(&name) && (shell_only.contains(&name) || is_shell(&method.value, shells));
    runs.then_some(name)
}

/// `get_ipython()`, `IPython.get_ipython()` or a name bound to either.
fn is_shell(expr: &Expr, shells: &FxHashSet<String>) -> bool {
    match expr {
        Expr::Call(call) => match &*call.func {
            Expr::Name(name) => name.id.as_str() == "get_ipython",
            Expr::Attribute(attribute) => attribute.attr.as_str() == "get_ipython",
            _ => false,
        },
        Expr::Name(name) => shells.contains(name.id.as_str()),
        _ => false,
    }
}

/// The names of a module's global scope: bound or read in its top-level
/// code, defined there, or declared `global` anywhere.
struct Globals {
    names: FxHashSet<String>,
    /// How many function or class bodies deep the visit is.
    depth: usize,
}

impl<'a> Visitor<'a> for Globals {
    fn visit_stmt(&mut self, stmt: &'a Stmt) {
        match stmt {
            Stmt::FunctionDef(def) => {
                self.top(def.name.as_str());
                self.depth += 1;
                visitor::walk_stmt(self, stmt);
                self.depth -= 1;
            }
            Stmt::ClassDef(class) => {
                self.top(class.name.as_str());
                self.depth += 1;
                visitor::walk_stmt(self, stmt);
                self.depth -= 1;
            }
            Stmt::Global(global) => self.names.extend(global.names.iter().map(|n| n.to_string())),
            Stmt::Import(import) => {
                for alias in &import.names {
                    let bound = alias.asname.as_ref().map_or_else(|| alias.name.as_str().split('.').next().unwrap_or_default(), |a| a.as_str());
                    self.top(bound);
                }
            }
            Stmt::ImportFrom(import) => {
                for alias in &import.names {
                    self.top(alias.asname.as_ref().unwrap_or(&alias.name).as_str());
                }
            }
            _ => visitor::walk_stmt(self, stmt),
        }
    }

    fn visit_expr(&mut self, expr: &'a Expr) {
        if let Expr::Name(name) = expr {
            self.top(name.id.as_str());
        }
        visitor::walk_expr(self, expr);
    }
}

impl Globals {
    fn top(&mut self, name: &str) {
        if self.depth == 0 {
            self.names.insert(name.to_owned());
        }
    }
}

#[cfg(test)]
#[path = "notebook_escapes_tests.rs"]
mod tests;
