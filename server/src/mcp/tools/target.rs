//! What a tool is asked about: a symbol by name, or a place in a file; and
//! places in answers (`file`, `line`, `column`, the line's text).

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::ToolError;
use crate::graph::{FileId, Graph, Location, Resolved, SymbolId, SymbolKind};
use crate::live::Workspace;

/// A symbol by name, or a place in a file (`file` and `line`, with
/// `column` to pick one name on a busy line).
#[derive(Debug, Default, Deserialize, JsonSchema)]
pub struct Target {
    /// A name or qualified name: `apply_discount`, `Cart.total`,
    /// `shop.pricing.apply_discount`. Instead of `file` and `line`.
    pub symbol: Option<String>,
    /// A file of the workspace, relative to its root.
    pub file: Option<String>,
    /// 1-based line in `file`.
    pub line: Option<usize>,
    /// 1-based column (characters) of a name on `line`; by default the
    /// name defined on the line, else the first name used on it.
    pub column: Option<usize>,
    /// With `symbol`: only symbols of this kind.
    pub kind: Option<Kind>,
}

/// The kinds of workspace symbols.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Module,
    Class,
    Function,
    Method,
    Variable,
}

impl Kind {
    pub fn of(kind: SymbolKind) -> Option<Kind> {
        Some(match kind {
            SymbolKind::Module => Kind::Module,
            SymbolKind::Class => Kind::Class,
            SymbolKind::Function => Kind::Function,
            SymbolKind::Method => Kind::Method,
            SymbolKind::Variable => Kind::Variable,
            SymbolKind::External => return None,
        })
    }
}

/// A byte offset in a workspace file of the graph.
#[derive(Debug, Clone, Copy)]
pub struct Place {
    pub file: FileId,
    pub offset: u32,
}

/// A place in an answer.
#[derive(Debug, Serialize)]
pub struct Site {
    pub file: String,
    pub line: usize,
    pub column: usize,
    /// The line, without its indentation.
    pub text: String,
}

impl Site {
    pub fn at(ws: &Workspace, graph: &Graph, location: &Location) -> Option<Site> {
        let entry = graph.file(location.file)?;
        let (line, column, text) = line_of(entry.text(), location.span.start as usize);
        Some(Site { file: ws.shown(&entry.path), line, column, text: text.trim().to_owned() })
    }
}

/// The 1-based line and character column of `offset` in `text`, and the
/// line's text.
pub fn line_of(text: &str, offset: usize) -> (usize, usize, &str) {
    let offset = offset.min(text.len());
    let offset = (0..=offset).rev().find(|&i| text.is_char_boundary(i)).unwrap_or(0);
    // Lines as `pyloom check` and the editor number them (a bare `\r`
    // ends one too).
    let line = crate::line_ends::line_index(text, offset);
    let start = crate::line_ends::line_start(text, line).unwrap_or(0);
    (line + 1, text[start..offset].chars().count() + 1, crate::line_ends::line(text, line).unwrap_or(""))
}

/// A workspace symbol in an answer.
#[derive(Debug, Serialize)]
pub struct SymbolRef {
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kind: Option<Kind>,
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    pub site: Option<Site>,
}

impl SymbolRef {
    pub fn of(ws: &Workspace, graph: &Graph, id: SymbolId) -> Option<SymbolRef> {
        let symbol = graph.symbol(id)?;
        let site = symbol.file.and_then(|file| Site::at(ws, graph, &Location { file, span: symbol.name_range }));
        Some(SymbolRef { name: symbol.qualified_name.to_owned(), kind: Kind::of(symbol.kind), site })
    }
}

impl Target {
    /// Whether the agent named anything.
    fn is_empty(&self) -> bool {
        self.symbol.is_none() && self.file.is_none()
    }

    /// The place `file`/`line`/`column` name; `None` when the target is a
    /// symbol name.
    pub fn place(&self, ws: &Workspace, graph: &Graph) -> Result<Option<Place>, ToolError> {
        if self.is_empty() {
            return Err(ToolError::new("name a `symbol`, or a `file` and `line`"));
        }
        if self.symbol.as_deref().is_some_and(|s| s.trim().is_empty()) && self.file.is_none() {
            return Err(ToolError::new("`symbol` is empty"));
        }
        let Some(file) = &self.file else {
            if self.line.is_some() || self.column.is_some() {
                return Err(ToolError::new("`line` and `column` need a `file`"));
            }
            return Ok(None);
        };
        if self.symbol.is_some() {
            return Err(ToolError::new("name a `symbol` or a `file` and `line`, not both"));
        }
        let id = file_in_graph(ws, graph, file)?;
        let line = self.line.ok_or_else(|| ToolError::new(format!("`line` is missing: which line of {file}?")))?;
        let text = &graph.file(id).map(|f| f.text().clone()).unwrap_or_default();
        // The empty line after a final line break is not offered.
        let lines = (crate::line_ends::count(text) + usize::from(!text.ends_with(['\n', '\r']))).max(1);
        if line == 0 || line > lines {
            return Err(ToolError::new(format!("{file} has lines 1 to {lines}, not {line}")));
        }
        let line_start = crate::line_ends::line_start(text, line - 1).unwrap_or(0);
        let line_text = crate::line_ends::line(text, line - 1).unwrap_or("");
        let offset = match self.column {
            Some(0) => return Err(ToolError::new("columns start at 1")),
            Some(column) => {
                let within = line_text.char_indices().nth(column - 1).map(|(i, _)| i);
                let within =
                    within.ok_or_else(|| ToolError::new(format!("line {line} of {file} has {} characters, not {column}", line_text.chars().count())))?;
                line_start + within
            }
            None => name_on_line(graph, id, line_start, line_start + line_text.len())
                .ok_or_else(|| ToolError::new(format!("no name is defined or used on line {line} of {file}; give a `column`")))?,
        };
        Ok(Some(Place { file: id, offset: offset as u32 }))
    }

    /// The workspace symbol named or at the place.
    pub fn symbol(&self, ws: &Workspace, graph: &Graph) -> Result<SymbolId, ToolError> {
        match self.place(ws, graph)? {
            Some(place) => symbol_at(ws, graph, place),
            None => self.named(ws, graph),
        }
    }

    /// The place of the target: the name at the place, or the symbol's
    /// name where it is defined.
    pub fn resolve_place(&self, ws: &Workspace, graph: &Graph) -> Result<Place, ToolError> {
        if let Some(place) = self.place(ws, graph)? {
            return Ok(place);
        }
        let id = self.named(ws, graph)?;
        let symbol = graph.symbol(id).ok_or_else(|| ToolError::new("the symbol changed meanwhile; ask again"))?;
        let file = symbol.file.ok_or_else(|| ToolError::new(format!("`{}` is outside the workspace", symbol.qualified_name)))?;
        if symbol.kind == SymbolKind::Module {
            // A module has no name in its own text: its first line's name
            // would stand in for it (`__all__`, an import).
            return Err(ToolError::new(format!(
                "`{}` is a module (the file {}); name a symbol in it, or give `file` and `line`",
                symbol.qualified_name,
                ws.shown(&graph.file(file).map(|f| f.path.clone()).unwrap_or_default())
            )));
        }
        Ok(Place { file, offset: symbol.name_range.start })
    }

    /// The module file a `symbol` names, when it names a module.
    pub fn module_file(&self, graph: &Graph) -> Option<FileId> {
        let name = self.symbol.as_deref()?;
        let found = graph.symbols_named(name);
        let [one] = found.as_slice() else { return None };
        let symbol = graph.symbol(*one)?;
        (symbol.kind == SymbolKind::Module).then_some(symbol.file).flatten()
    }

    fn named(&self, ws: &Workspace, graph: &Graph) -> Result<SymbolId, ToolError> {
        let name = self.symbol.as_deref().unwrap_or_default();
        let mut found = graph.symbols_named(name);
        if let Some(kind) = self.kind {
            found.retain(|&id| graph.symbol(id).and_then(|s| Kind::of(s.kind)) == Some(kind));
        }
        match found.as_slice() {
            [one] => Ok(*one),
            [] => {
                let near: Vec<String> = graph.search_symbols(name, 5).into_iter().filter_map(|id| describe(ws, graph, id)).collect();
                let hint = if near.is_empty() { "use find_symbol to look for it".to_owned() } else { format!("similar names: {}", near.join("; ")) };
                let kind = self.kind.map(|k| format!(" {k:?}").to_lowercase()).unwrap_or_default();
                Err(ToolError::new(format!("no workspace{kind} symbol is named `{name}`; {hint}")))
            }
            many => {
                const SHOWN: usize = 20;
                let candidates: Vec<String> = many.iter().take(SHOWN).filter_map(|&id| describe(ws, graph, id)).collect();
                let more = if many.len() > SHOWN { format!(" and {} more", many.len() - SHOWN) } else { String::new() };
                Err(ToolError::new(format!(
                    "`{name}` is ambiguous: {} symbols have that name: {}{more}. Name one by its qualified name, or give `kind`, or `file` and `line`",
                    many.len(),
                    candidates.join("; ")
                )))
            }
        }
    }
}

/// `qualified.name (kind) at file:line`.
fn describe(ws: &Workspace, graph: &Graph, id: SymbolId) -> Option<String> {
    let symbol = SymbolRef::of(ws, graph, id)?;
    let kind = symbol.kind.map(|k| format!(" ({k:?})").to_lowercase()).unwrap_or_default();
    let at = symbol.site.map(|s| format!(" at {}:{}", s.file, s.line)).unwrap_or_default();
    Some(format!("{}{kind}{at}", symbol.name))
}

/// The graph file of a path the agent gave.
pub fn file_in_graph(ws: &Workspace, graph: &Graph, file: &str) -> Result<FileId, ToolError> {
    let path = ws.path_inside(file).map_err(ToolError::new)?;
    graph.file_id(&path).ok_or_else(|| {
        let why = if !path.exists() {
            "there is no such file"
        } else if path.is_dir() {
            "it is a folder"
        } else {
            "it is not an indexed Python file (not .py/.pyi, excluded, or unreadable)"
        };
        ToolError::new(format!("{file}: {why}"))
    })
}

/// The workspace symbol the name at `place` stands for.
pub fn symbol_at(ws: &Workspace, graph: &Graph, place: Place) -> Result<SymbolId, ToolError> {
    match graph.definition(place.file, place.offset) {
        Some(Resolved::Symbol(id)) => Ok(id),
        Some(Resolved::External(path)) => Err(ToolError::new(format!(
            "`{path}` (at {}) is defined outside the workspace; only workspace symbols have callers, references and renames here",
            shown(ws, graph, place)
        ))),
        Some(Resolved::Local { .. }) => {
            Err(ToolError::new(format!("the name at {} is a parameter or local variable, not a workspace symbol", shown(ws, graph, place))))
        }
        None => Err(nothing_at(ws, graph, place)),
    }
}

/// The error for a place where no name resolves.
pub fn nothing_at(ws: &Workspace, graph: &Graph, place: Place) -> ToolError {
    ToolError::new(format!("nothing resolves at {}: no name there, or one pyloom cannot resolve", shown(ws, graph, place)))
}

/// `file:line:column` of a place.
fn shown(ws: &Workspace, graph: &Graph, place: Place) -> String {
    let entry = graph.file(place.file);
    let (line, column, _) = entry.map_or((0, 0, ""), |e| line_of(e.text(), place.offset as usize));
    format!("{}:{line}:{column}", entry.map(|e| ws.shown(&e.path)).unwrap_or_default())
}

/// The name defined on the line `start..end` of `file`, else the first
/// name used on it.
fn name_on_line(graph: &Graph, file: FileId, start: usize, end: usize) -> Option<usize> {
    let entry = graph.file(file)?;
    let on_line = |span_start: u32| (start..=end).contains(&(span_start as usize));
    let defined = entry.summary.definitions.iter().map(|d| d.name_range.start).filter(|&s| on_line(s)).min();
    // Any other name the line binds: an assignment's, an import's, a loop's.
    let bound = || entry.summary.bindings.iter().map(|b| b.range.start).filter(|&s| on_line(s)).min();
    let used = || entry.summary.references.iter().flat_map(|r| r.segments().map(|(_, span)| span.start)).filter(|&s| on_line(s)).min();
    defined.or_else(bound).or_else(used).map(|s| s as usize)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_and_columns_count_characters() {
        let text = "a = 1\nnamé = f(x)\n";
        assert_eq!(line_of(text, 0), (1, 1, "a = 1"));
        let f = text.find('f').unwrap();
        assert_eq!(line_of(text, f), (2, 8, "namé = f(x)"));
        assert_eq!(line_of(text, text.len()), (3, 1, ""));
    }

    #[test]
    fn lines_end_as_pyloom_check_ends_them() {
        // A bare `\r` ends line 1; a U+2028 in a string ends none.
        let text = "a = 1\rs = '\u{2028}'\r\nb = s\n";
        assert_eq!(line_of(text, text.find('s').unwrap()), (2, 1, "s = '\u{2028}'"));
        assert_eq!(line_of(text, text.find('b').unwrap()), (3, 1, "b = s"));
    }
}
