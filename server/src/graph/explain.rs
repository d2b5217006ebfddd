//! Hover text: what a symbol is, where it is defined, who calls it, what it
//! calls, its bases and subclasses, and how much depends on it. Markdown,
//! shared by the LSP hover and `pyloom explain`.

use std::fmt::Write;
use std::path::Path;

use super::{FileId, Graph, InferredType, LibrarySymbol, Location, Name, ParameterKind, Resolved, Signature, Symbol, SymbolId, SymbolKind, TypeSource};

/// How many callers and callees a hover lists before "and N more".
const LISTED: usize = 5;

/// The hover text for the name at `offset`, or `None` when nothing is there.
pub fn hover(graph: &Graph, file: FileId, offset: u32) -> Option<String> {
    match graph.definition(file, offset)? {
        Resolved::Symbol(id) => {
            let mut out = explain_symbol(graph, id)?;
            let is_variable = graph.symbol(id).is_some_and(|s| s.kind == SymbolKind::Variable);
            if is_variable && let Some(inferred) = graph.inferred_type_of(file, offset) {
                let _ = write!(out, "\n{}\n", type_origin(graph, &inferred));
            }
            Some(out)
        }
        Resolved::External(path) => Some(external(graph, &path)),
        Resolved::Local { file: bound_in, span } => {
            let entry = graph.file(bound_in)?;
            let name = entry.text().get(span.range())?;
            // A notebook's line counts over its joined cells: named as a
            // place (`nb.ipynb:6`), which the editor shows as its cell's.
            let bound = if crate::notebook::Notebook::is_notebook(&entry.path) {
                place(graph, &Location { file: bound_in, span })
            } else {
                format!("line {}", line_col(entry.text(), span.start).0)
            };
            match graph.inferred_type_of(file, offset) {
                Some(inferred) => Some(format!("```python\n(local) {name}: {}\n```\n\nBound at {bound}. {}", inferred.display, type_origin(graph, &inferred))),
                None => Some(format!("```python\n(local) {name}\n```\n\nBound at {bound}.")),
            }
        }
    }
}

/// What the library says an external path is: its header, the first
/// paragraph of its docstring, and where it comes from.
fn external(graph: &Graph, path: &str) -> String {
    let outside = || format!("```python\n{path}\n```\n\nOutside the workspace.");
    let Some(item) = graph.library_item(path) else { return outside() };
    let Some(symbol) = graph.library_symbol(item) else { return outside() };
    let mut header_of = Header::from(&symbol);
    // An unannotated library variable or attribute: its inferred type
    // (`filters = DEFAULT_FILTERS.copy()`).
    let inferred = (symbol.kind == SymbolKind::Variable && symbol.annotation.is_none())
        .then(|| graph.inferred_type_of(item.file, symbol.name_range.start))
        .flatten()
        .map(|t| t.display);
    if inferred.is_some() {
        header_of.annotation = inferred.as_deref();
    }
    let mut out = format!("```python\n{}\n```\n", header(&header_of));
    if let Some(doc) = symbol.docstring.map(first_paragraph).filter(|d| !d.is_empty()) {
        let _ = write!(out, "\n{}\n", super::docstring::to_markdown(&doc));
    }
    let _ = write!(out, "\n{}\n", library_origin(&symbol));
    out
}

/// "From `requests` 2.32.3 (`requests.api`)."
pub fn library_origin(symbol: &LibrarySymbol<'_>) -> String {
    match &symbol.distribution {
        Some(d) => format!("From `{}` {} (`{}`).", d.name, d.version, symbol.module),
        None if symbol.origin.is_stdlib() => format!("From the standard library (`{}`).", symbol.module),
        None => format!("From `{}` ({}).", symbol.module, symbol.path.display()),
    }
}

/// A docstring's first paragraph, its lines dedented.
fn first_paragraph(doc: &str) -> String {
    let mut lines = Vec::new();
    for line in doc.trim().lines() {
        if line.trim().is_empty() {
            break;
        }
        lines.push(line.trim());
    }
    lines.join("\n")
}

/// "Type `Cart`, from the constructor call at app.py:12."
fn type_origin(graph: &Graph, inferred: &InferredType) -> String {
    let what = match inferred.source {
        TypeSource::Annotation => "the annotation",
        TypeSource::Constructor => "the constructor call",
        TypeSource::Return => "the return type of",
        TypeSource::Assignment => "the assignment",
        TypeSource::Literal => "the literal",
    };
    let at = match (&inferred.source_location, inferred.source) {
        (Some(location), TypeSource::Return) => {
            match graph.symbol_at(location.file, location.span.start).and_then(|s| graph.symbol(s)) {
                Some(function) => format!(" `{}` ({})", function.qualified_name, place(graph, location)),
                // A function outside the workspace (a standard-library stub):
                // the call is what the workspace shows.
                None => format!(" the call at {}", place(graph, location)),
            }
        }
        (Some(location), _) => format!(" at {}", place(graph, location)),
        (None, TypeSource::Return) => " the function called".to_owned(),
        (None, _) => String::new(),
    };
    format!("Type `{}`, from {what}{at}.", inferred.display)
}

/// The full explanation of one symbol.
pub fn explain_symbol(graph: &Graph, id: SymbolId) -> Option<String> {
    let symbol = graph.symbol(id)?;
    let mut out = format!("```python\n{}\n```\n", header(&Header::from(&symbol)));
    if let Some(doc) = symbol.docstring.filter(|d| !d.is_empty()) {
        let _ = write!(out, "\n{}\n", super::docstring::to_markdown(doc));
    }
    let Some(file) = symbol.file else {
        out.push_str("\nOutside the workspace.\n");
        return Some(out);
    };
    let entry = graph.file(file)?;
    let where_defined = match symbol.kind {
        SymbolKind::Module => format!("`{}`", display_path(graph, &entry.path)),
        _ => format!("{} in module `{}`", place(graph, &Location { file, span: symbol.name_range }), entry.module),
    };
    let _ = write!(out, "\nDefined at {where_defined}\n");

    if symbol.kind == SymbolKind::Class {
        let bases = graph.bases(id);
        if !bases.is_empty() {
            let _ = write!(out, "\n**Bases:** {}\n", names(graph, &bases));
        }
        let subclasses = graph.subclasses(id);
        if !subclasses.is_empty() {
            let _ = write!(out, "\n**Subclasses ({}):** {}\n", subclasses.len(), names(graph, &subclasses));
        }
    }
    let callers = graph.callers_with_overrides(id);
    if !callers.is_empty() {
        let sites: usize = callers.iter().map(|c| c.sites.len().max(1)).sum();
        let _ = write!(
            out,
            "\n**Callers ({sites} call {} in {} {}):**\n",
            plural(sites, "site", "sites"),
            callers.len(),
            plural(callers.len(), "symbol", "symbols")
        );
        for caller in callers.iter().take(LISTED) {
            let name = graph.symbol(caller.symbol).map(|s| s.qualified_name.to_owned()).unwrap_or_default();
            let at = caller.sites.first().map(|l| format!(" at {}", place(graph, l))).unwrap_or_default();
            let via = caller.via.label().map(|label| format!(" ({label})")).unwrap_or_default();
            let _ = writeln!(out, "- `{name}`{at}{via}");
        }
        if callers.len() > LISTED {
            let _ = writeln!(out, "- and {} more", callers.len() - LISTED);
        }
    }
    let callees = graph.callees(id);
    if !callees.is_empty() {
        let ids: Vec<SymbolId> = callees.iter().map(|c| c.symbol).collect();
        let listed = names(graph, &ids[..ids.len().min(LISTED * 2)]);
        let more = if ids.len() > LISTED * 2 { format!(" and {} more", ids.len() - LISTED * 2) } else { String::new() };
        let _ = write!(out, "\n**Calls:** {listed}{more}\n");
    }
    let impact = graph.impact(id);
    // A leaf override's callers through its base may never hold its
    // class: said apart, or it reads as risky as the base itself.
    let through_overrides = match impact.through_overrides {
        0 => String::new(),
        n => format!(", {n} of them only through calls on its base classes, which may run it"),
    };
    let _ = write!(
        out,
        "\nChanging this affects {}{} {} in {} {}{through_overrides}.\n",
        if impact.truncated { "at least " } else { "" },
        impact.functions,
        plural(impact.functions, "function", "functions"),
        impact.files,
        plural(impact.files, "file", "files"),
    );
    Some(out)
}

/// What a definition's header line is written from, in the workspace or
/// in the library.
pub struct Header<'a> {
    pub kind: SymbolKind,
    pub name: &'a str,
    pub qualified_name: &'a str,
    pub bases: &'a [Name],
    pub annotation: Option<&'a str>,
    pub decorators: &'a [Name],
    pub signature: Option<&'a Signature>,
}

impl<'a> From<&'a Symbol<'_>> for Header<'a> {
    fn from(s: &'a Symbol<'_>) -> Self {
        Header {
            kind: s.kind,
            name: s.name,
            qualified_name: s.qualified_name,
            bases: s.bases,
            annotation: s.annotation,
            decorators: s.decorators,
            signature: s.signature,
        }
    }
}

impl<'a> From<&'a LibrarySymbol<'_>> for Header<'a> {
    fn from(s: &'a LibrarySymbol<'_>) -> Self {
        Header {
            kind: s.kind,
            name: s.name,
            qualified_name: &s.qualified_name,
            bases: s.bases,
            annotation: s.annotation,
            decorators: s.decorators,
            signature: s.signature,
        }
    }
}

/// The definition as a line of Python: `def f(a: int = 1) -> str`.
pub fn header(symbol: &Header<'_>) -> String {
    match symbol.kind {
        SymbolKind::Module => format!("module {}", symbol.qualified_name),
        SymbolKind::External => format!("{} (external)", symbol.qualified_name),
        SymbolKind::Class if symbol.bases.is_empty() => format!("class {}", symbol.name),
        SymbolKind::Class => format!("class {}({})", symbol.name, symbol.bases.join(", ")),
        SymbolKind::Variable => match symbol.annotation {
            Some(annotation) => format!("{}: {annotation}", symbol.name),
            None => symbol.name.to_owned(),
        },
        SymbolKind::Function | SymbolKind::Method => {
            let decorators: String = symbol.decorators.iter().map(|d| format!("@{d}\n")).collect();
            let signature = symbol.signature.map(signature).unwrap_or_else(|| "()".to_owned());
            let is_async = symbol.signature.is_some_and(|s| s.is_async);
            format!("{decorators}{}def {}{signature}", if is_async { "async " } else { "" }, symbol.name)
        }
    }
}

/// `(a, /, b: int = 1, *args, c, **kw) -> str`
pub fn signature(signature: &Signature) -> String {
    let mut parts = Vec::new();
    let mut saw_star = false;
    for (i, p) in signature.parameters.iter().enumerate() {
        if p.kind == ParameterKind::KeywordOnly && !saw_star {
            parts.push("*".to_owned());
            saw_star = true;
        }
        let prefix = match p.kind {
            ParameterKind::VarPositional => {
                saw_star = true;
                "*"
            }
            ParameterKind::VarKeyword => "**",
            _ => "",
        };
        let mut text = format!("{prefix}{}", p.name);
        if let Some(annotation) = &p.annotation {
            let _ = write!(text, ": {}", one_line(annotation));
        }
        if let Some(default) = &p.default {
            let _ = write!(text, "{}{}", if p.annotation.is_some() { " = " } else { "=" }, one_line(default));
        }
        parts.push(text);
        let next_positional_only = signature.parameters.get(i + 1).is_some_and(|n| n.kind == ParameterKind::PositionalOnly);
        if p.kind == ParameterKind::PositionalOnly && !next_positional_only {
            parts.push("/".to_owned());
        }
    }
    let returns = signature.returns.as_ref().map(|r| format!(" -> {r}")).unwrap_or_default();
    format!("({}){returns}", parts.join(", "))
}

/// Source text written over several lines (`Optional[\n    Theme\n]`, a
/// default dict) on one: a signature is one line.
fn one_line(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.contains('\n') {
        return text.into();
    }
    let joined = text.split_whitespace().collect::<Vec<_>>().join(" ");
    joined.replace("[ ", "[").replace(" ]", "]").replace("( ", "(").replace(" )", ")").replace("{ ", "{").replace(" }", "}").into()
}

fn names(graph: &Graph, ids: &[SymbolId]) -> String {
    ids.iter().filter_map(|&id| graph.symbol(id)).map(|s| format!("`{}`", s.qualified_name)).collect::<Vec<_>>().join(", ")
}

/// `path:line` of a location, the path relative to the workspace root.
pub fn place(graph: &Graph, location: &Location) -> String {
    let Some(entry) = graph.file(location.file) else { return String::new() };
    let (line, _) = line_col(entry.text(), location.span.start);
    format!("{}:{line}", display_path(graph, &entry.path))
}

/// A path relative to the workspace root that holds it.
pub fn display_path(graph: &Graph, path: &Path) -> String {
    if let Some(shown) = graph.shown_from().and_then(|folder| path.strip_prefix(folder).ok()) {
        return shown.display().to_string();
    }
    graph.roots().iter().filter_map(|root| path.strip_prefix(root).ok()).min_by_key(|p| p.components().count()).unwrap_or(path).display().to_string()
}

/// 1-based line and byte column of `offset`, lines ended as LSP (and
/// Python) end them: `\n`, `\r\n` or a bare `\r` (an old Mac file's), so
/// that a line named in text is the line the editor shows.
pub fn line_col(text: &str, offset: u32) -> (usize, usize) {
    let before = text.get(..offset as usize).unwrap_or(text);
    let line = crate::line_ends::line_number(text, before.len());
    let col = before.len() - before.rfind(['\n', '\r']).map_or(0, |i| i + 1) + 1;
    (line, col)
}

fn plural<'a>(n: usize, one: &'a str, many: &'a str) -> &'a str {
    if n == 1 { one } else { many }
}

/// The explanation without Markdown syntax: code fences, bold markers,
/// inline code ticks, backslash escapes and `&nbsp;` indentation go; the
/// text, line breaks and list dashes stay.
pub fn plain_text(markdown: &str) -> String {
    let mut out = String::with_capacity(markdown.len());
    let mut in_fence = false;
    for line in markdown.lines() {
        if line.trim_start().starts_with("```") {
            in_fence = !in_fence;
            continue;
        }
        if in_fence {
            out.push_str(line);
        } else {
            out.push_str(&unescape(&line.replace("&nbsp;", " ").replace("**", "").replace('`', "")));
        }
        out.push('\n');
    }
    out
}

/// Drops the backslash of a Markdown escape (`\_` is `_`).
fn unescape(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match chars.peek() {
            Some(&next) if c == '\\' && next.is_ascii_punctuation() => {}
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{line_col, plain_text};

    #[test]
    fn a_bare_carriage_return_ends_a_line_as_in_the_editor() {
        assert_eq!(line_col("a = 1\rb = 2\rc = 3\r", 12), (3, 1));
        assert_eq!(line_col("a = 1\rb = 2\r", 10), (2, 5));
        // Must stay: `\n` and `\r\n` end one line each.
        assert_eq!(line_col("a = 1\r\nb = 2\r\nc = 3\r\n", 14), (3, 1));
        assert_eq!(line_col("a = 1\nb = 2\nc = 3\n", 14), (3, 3));
    }

    #[test]
    fn markdown_syntax_is_removed_and_text_kept() {
        let markdown = "```python\ndef total(cart: Cart) -> int\n```\n\nSum of `cart`, \\_\\_add\\_\\_.\n&nbsp;&nbsp;indented\n\n```pycon\n>>> x = `a`\n```\n\n**Callers (2):**\n- `shop.main` at main.py:3\n";
        expect_test::expect![[r#"
            def total(cart: Cart) -> int

            Sum of cart, __add__.
              indented

            >>> x = `a`

            Callers (2):
            - shop.main at main.py:3
        "#]]
        .assert_eq(&plain_text(markdown));
    }

    #[test]
    fn a_signature_written_over_several_lines_is_shown_on_one() {
        let summary = crate::graph::FileSummary::extract(
            "def f(\n    theme: Optional[\n        Theme\n    ] = None,\n    styles: dict = {\n        'a': 1,\n    },\n):\n    pass\n",
        );
        let signature = summary.definitions[0].signature.as_ref().unwrap();
        assert_eq!(super::signature(signature), "(theme: Optional[Theme] = None, styles: dict = {'a': 1,})");
    }
}
