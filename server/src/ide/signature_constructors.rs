//! The constructor calls a change of `__init__` rewrites, and the classes
//! whose instances are built where no call names them (refused).

use super::class_values::ClassValues;
use super::mentions::{self, Mention};
use super::occurrences::{self, Occurrence};
use crate::graph::explain::place;
use crate::graph::{FileId, Graph, Location, Span, SymbolId, SymbolKind};

/// Constructor calls (`Cart(...)`) of the class whose `__init__` changes,
/// refused where some cannot be seen: an exception (copy and pickle
/// rebuild it from `self.args`), a class defining `__reduce__` or
/// `__getnewargs__`, subclasses (their constructors and
/// `super().__init__` calls), the class built from an instance or in a
/// classmethod (`cls(...)`, `type(self)(...)`, `self.__class__` handed to
/// pickle by `__reduce__`) by its own methods or its workspace bases', and
/// `getattr(m, "Cart")`.
pub(super) fn constructor_uses(graph: &Graph, init: SymbolId) -> Result<Vec<(Occurrence, bool)>, String> {
    let class = graph.container(init).filter(|c| graph.symbol(*c).is_some_and(|s| s.kind == SymbolKind::Class)).ok_or("`__init__` outside a class")?;
    let symbol = graph.symbol(class).ok_or("the class is not in the graph")?;
    if let Some(sub) = graph.implementations(class).into_iter().next().and_then(|s| graph.symbol(s)) {
        return Err(format!(
            "`{}` has subclass `{}`, whose constructor calls and `super().__init__` calls would need the same change",
            symbol.name, sub.qualified_name
        ));
    }
    if let Some(base) = graph.library_bases(class).into_iter().find(|b| is_exception(b)) {
        return Err(format!(
            "`{}` is an exception (a `{base}`): copy and pickle rebuild it as `{}(*self.args)`, in the order its `__init__` gave them, which the change would not follow",
            symbol.name, symbol.name
        ));
    }
    if let Some((owner, method)) = rebuilt_by(graph, class) {
        return Err(format!("`{owner}` defines `{method}`, which gives pickle and copy the arguments to rebuild it with: the change would not follow them"));
    }
    if let Some((file, span)) = own_class_value(graph, class) {
        let written = graph.file(file).and_then(|f| f.text().get(span.range()).map(str::to_owned)).unwrap_or_default();
        return Err(format!(
            "`{}` is built from `{written}` at {}, which is called or passed on (as a `__reduce__` gives it to pickle and copy): those calls cannot be updated",
            symbol.name,
            place(graph, &Location { file, span })
        ));
    }
    for (file, entry) in graph.files() {
        if let Some(Mention::AttributeString { written, span, .. }) =
            mentions::scan(entry.text(), symbol.name, &[]).into_iter().find(|m| matches!(m, Mention::AttributeString { .. }))
        {
            return Err(format!(
                "`{written}` at {} may construct `{}` without naming it: that call cannot be updated",
                place(graph, &Location { file, span }),
                symbol.name
            ));
        }
    }
    let location = graph.location(class).ok_or("the class has no place")?;
    let target = occurrences::target_at(graph, location.file, location.span.start).map_err(|e| e.to_string())?;
    Ok(occurrences::everywhere(graph, &target).into_iter().map(|o| (o, true)).collect())
}

/// Whether the library class `path` is an exception: `BaseException`
/// and the builtin exceptions and warnings, or a library's `…Error`.
fn is_exception(path: &str) -> bool {
    let name = path.rsplit('.').next().unwrap_or(path);
    ["Exception", "Error", "Warning"].iter().any(|end| name.ends_with(end))
        || ["KeyboardInterrupt", "SystemExit", "GeneratorExit", "StopIteration", "StopAsyncIteration"].contains(&name)
}

/// The class (`class` or a workspace base of it) that defines a method
/// pickle and copy call for the arguments to rebuild an instance with.
fn rebuilt_by(graph: &Graph, class: SymbolId) -> Option<(String, &'static str)> {
    const REBUILDERS: [&str; 4] = ["__reduce__", "__reduce_ex__", "__getnewargs__", "__getnewargs_ex__"];
    let mut classes = vec![class];
    let mut i = 0;
    while let Some(&id) = classes.get(i) {
        i += 1;
        classes.extend(graph.bases(id).into_iter().filter(|b| !classes.contains(b)).collect::<Vec<_>>());
        let name = graph.symbol(id).map(|s| s.name.to_owned())?;
        let found = graph.children(id).into_iter().find_map(|c| REBUILDERS.into_iter().find(|r| graph.symbol(c).is_some_and(|s| s.name == *r)));
        if let Some(method) = found {
            return Some((name, method));
        }
    }
    None
}

/// A `cls`, `type(self)` or `self.__class__` in the body of `class` or
/// of one of its workspace bases that is called or passed on: what it
/// builds may be `class`.
fn own_class_value(graph: &Graph, class: SymbolId) -> Option<(FileId, Span)> {
    let mut classes = vec![class];
    let mut i = 0;
    while let Some(&id) = classes.get(i) {
        i += 1;
        for base in graph.bases(id) {
            if !classes.contains(&base) {
                classes.push(base);
            }
        }
        let Some(symbol) = graph.symbol(id).filter(|s| s.kind == SymbolKind::Class) else { continue };
        let Some((file, entry)) = symbol.file.and_then(|f| Some((f, graph.file(f)?))) else { continue };
        if graph.is_library_path(&entry.path) {
            continue;
        }
        let Ok(parsed) = ruff_python_parser::parse_module(entry.text()) else { continue };
        if let Some((start, end)) = ClassValues::of(&parsed.syntax().body).own_class_value(symbol.range.range()) {
            return Some((file, Span::new(start as u32, end as u32)));
        }
    }
    None
}
