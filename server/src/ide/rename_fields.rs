//! A field of a class whose `__init__` Python generates from its fields
//! (`@dataclass`, attrs, `NamedTuple`, `TypedDict`, pydantic models): its
//! name is also a keyword of every constructor call (`Pt(x=1)`), which a
//! rename of the field must take along or refuse.

use ruff_python_ast::Expr;
use ruff_python_ast::visitor::{self, Visitor};
use ruff_text_size::Ranged;

use super::parsed_files::ParsedFiles;
use crate::graph::{Graph, Span, SymbolId, SymbolKind};

/// Decorators (last dotted segment) that generate `__init__` from fields.
const GENERATING_DECORATORS: &[&str] = &["dataclass", "s", "attrs", "define", "frozen", "mutable", "dataclass_transform"];
/// Bases (last dotted segment) whose subclasses take their fields as keywords.
const GENERATING_BASES: &[&str] = &["NamedTuple", "TypedDict", "BaseModel", "BaseSettings", "Struct"];
/// Calls that take a field as a keyword on an existing instance.
const COPIERS: &[&str] = &["replace", "_replace", "evolve", "model_copy", "copy"];

/// Decorators (last dotted segment) of attrs, whose `__init__` takes a
/// private field without its leading underscores (`_host` as `host=`).
const ATTRS_DECORATORS: &[&str] = &["s", "attrs", "define", "frozen", "mutable"];

/// The keyword a constructor takes a field by, before and after its rename.
pub(super) struct Keyword {
    pub old: String,
    pub new: String,
}

/// The class whose constructor takes `field` as a keyword, with that
/// keyword (`None` when an `alias=` names it instead) as it is spelled
/// before and after the rename to `new_name`, or `None` when `field` is no
/// such field; refused (the reason) when a constructor call or a copy of
/// the class could take it where rename cannot follow, or when the new
/// keyword cannot be spelled.
pub(super) fn constructor(
    graph: &Graph,
    parsed: &ParsedFiles,
    field: SymbolId,
    name: &str,
    new_name: &str,
) -> Result<Option<(SymbolId, Option<Keyword>)>, String> {
    let Some(symbol) = graph.symbol(field) else { return Ok(None) };
    if symbol.kind != SymbolKind::Variable {
        return Ok(None);
    }
    let Some(class) = graph.owner_class(field) else { return Ok(None) };
    let Some(class_symbol) = graph.symbol(class) else { return Ok(None) };
    let decorated = class_symbol.decorators.iter().any(|d| GENERATING_DECORATORS.contains(&super::decorator_name(d))) || wraps_dataclass(graph, parsed, class);
    // PEP 681 on a base (`@dataclass_transform() class ModelBase`) or on
    // the metaclass of the class or a base.
    let transform = |c: SymbolId| graph.symbol(c).is_some_and(|c| c.decorators.iter().any(|d| super::decorator_name(d) == "dataclass_transform"));
    let transformed =
        graph.self_and_ancestors(class).into_iter().enumerate().any(|(i, c)| (i > 0 && transform(c)) || metaclass(graph, c).is_some_and(transform));
    let based = transformed || class_symbol.bases.iter().any(|b| GENERATING_BASES.contains(&super::last_segment(b)));
    if !decorated && !based {
        return Ok(None);
    }
    let class_name = class_symbol.qualified_name;
    let attrs = class_symbol.decorators.iter().any(|d| ATTRS_DECORATORS.contains(&super::decorator_name(d)));
    let line =
        symbol.file.and_then(|f| graph.file(f)).and_then(|entry| entry.text().get(symbol.name_range.start as usize..)?.lines().next().map(str::to_owned));
    if line.is_some_and(|line| line.contains("alias=")) {
        return Ok(Some((class, None)));
    }
    // attrs' `__init__` takes `_host` as `host=`.
    let init_keyword = |field: &'_ str| if attrs { field.trim_start_matches('_').to_owned() } else { field.to_owned() };
    let (keyword, new_keyword) = (init_keyword(name), init_keyword(new_name));
    let name = keyword.as_str();
    if attrs && (!ruff_python_stdlib::identifiers::is_identifier(&new_keyword) || ruff_python_stdlib::keyword::is_keyword(&new_keyword)) {
        return Err(format!("attrs would take the field `{new_name}` as the keyword `{new_keyword}=`, which is no Python identifier"));
    }
    let others = graph.members(class).into_iter().filter(|&m| m != field).filter_map(|m| graph.symbol(m)).filter(|m| m.kind == SymbolKind::Variable);
    if let Some(other) = others.into_iter().find(|m| init_keyword(m.name) == new_keyword) {
        return Err(format!("`{class_name}` takes its field `{}` as the keyword `{new_keyword}=` already", other.name));
    }
    if let Some(&sub) = graph.subclasses(class).first() {
        let sub = graph.symbol(sub).map(|s| s.qualified_name.to_owned()).unwrap_or_default();
        return Err(format!("`{name}` is a field of `{class_name}`, whose subclass `{sub}` takes it as a keyword of its constructor too"));
    }
    for (file, entry) in graph.files() {
        for mention in super::mentions::scan_file(parsed, file, entry.text(), name, &[]) {
            if let super::mentions::Mention::KeywordArgument { span, callee } = mention
                && entry.text().get(callee.range()).is_some_and(|c| COPIERS.contains(&c))
            {
                let at = crate::graph::explain::place(graph, &crate::graph::Location { file, span });
                return Err(format!("`{name}=` at {at} may set the field `{name}` of `{class_name}` on a copy, where rename cannot tell"));
            }
        }
    }
    copy_from_mapping(graph, parsed, name, class_name)?;
    super::rename_keywords::rebuilt_unpacking(graph, parsed, class)?;
    super::signature_guard::names_fixed(graph, parsed, class, name)?;
    Ok(Some((class, Some(Keyword { old: keyword.clone(), new: new_keyword }))))
}

/// A copier unpacking a mapping (`replace(p, **changes)`): its keys may
/// name the field (`changes = dict(x=5)`), where rename cannot follow.
fn copy_from_mapping(graph: &Graph, parsed: &ParsedFiles, name: &str, class_name: &str) -> Result<(), String> {
    let copiers = graph.files().filter(|(_, e)| !graph.is_library_path(&e.path) && e.text().contains("**") && COPIERS.iter().any(|c| e.text().contains(c)));
    for (file, _) in copiers {
        let mut found = CopiesFromMappings(None);
        found.visit_body(&parsed.get(file).syntax().body);
        if let Some(span) = found.0 {
            let at = crate::graph::explain::place(graph, &crate::graph::Location { file, span });
            return Err(format!(
                "the copy at {at} takes its changes from `**` a mapping, whose keys may set the field `{name}` of `{class_name}`, where rename cannot tell"
            ));
        }
    }
    Ok(())
}

/// The first call of a copier (`replace`, `evolve`, …) with `**` keywords.
struct CopiesFromMappings(Option<Span>);

impl<'a> Visitor<'a> for CopiesFromMappings {
    fn visit_expr(&mut self, expr: &'a Expr) {
        if let Expr::Call(call) = expr
            && self.0.is_none()
            && COPIERS.contains(&super::rename_strings::callee_name(&call.func))
            && call.arguments.keywords.iter().any(|k| k.arg.is_none())
        {
            self.0 = Some(call.range().into());
        }
        visitor::walk_expr(self, expr);
    }
}

/// A workspace function decorating `class` that applies `dataclass` itself
/// (`def model(cls): return dataclass(frozen=True)(cls)`).
fn wraps_dataclass(graph: &Graph, parsed: &ParsedFiles, class: SymbolId) -> bool {
    super::rename_setattr::decorator_functions(graph, parsed, class).into_iter().any(|(file, range)| {
        graph.file(file).and_then(|e| e.text().get(range.start as usize..range.end as usize)).is_some_and(|body| body.contains("dataclass("))
    })
}

/// The workspace metaclass `class` names in its header (`metaclass=Meta`).
fn metaclass(graph: &Graph, class: SymbolId) -> Option<SymbolId> {
    let symbol = graph.symbol(class)?;
    let file = symbol.file?;
    let text = &graph.file(file)?.text();
    let start = symbol.name_range.end as usize;
    let header = text.get(start..)?.split(':').next()?;
    let after = header.find("metaclass")? + "metaclass".len();
    let value = header[after..].trim_start().strip_prefix('=')?.trim_start();
    let dotted = value.len() - value.trim_start_matches(|c: char| c.is_alphanumeric() || c == '_' || c == '.').len();
    // The end of the name, as an offset of the file.
    let name_end = start + header.len() - value.len() + dotted;
    match graph.definition(file, name_end as u32)? {
        crate::graph::Resolved::Symbol(meta) => Some(meta),
        _ => None,
    }
}
