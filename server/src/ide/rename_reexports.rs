//! `from .loaders import Loader as Loader`: the redundant alias is the
//! explicit re-export form (PEP 484, ruff's F401, a `py.typed` package's
//! public names). Renaming only the imported name would leave
//! `NewName as Loader`, an unused import that is no re-export any more;
//! the rename is refused, naming the import (tester 24 case 07).

use super::occurrences::Occurrence;
use crate::graph::explain::place;
use crate::graph::{Graph, Location};

/// Why the rename of `name`, found at `found`, is refused: an occurrence
/// that is the imported side of an `X as X` re-export.
pub(super) fn check(graph: &Graph, name: &str, found: &[Occurrence]) -> Result<(), String> {
    for occurrence in found {
        let Some(entry) = graph.file(occurrence.file) else { continue };
        let reexport = entry.summary.imports.iter().find(|i| {
            i.name_range == occurrence.span
                && i.name.as_deref() == Some(name)
                && i.alias.as_deref() == Some(name)
                && spells_redundant_alias(entry.text().get(i.range.start as usize..i.range.end as usize).unwrap_or_default(), name)
        });
        if let Some(import) = reexport {
            let at = place(graph, &Location { file: occurrence.file, span: import.range });
            return Err(format!(
                "`{name} as {name}` at {at} re-exports `{name}` explicitly (PEP 484's redundant alias): renamed on one side it would be an unused import, no re-export; rename both sides and the package's readers by hand"
            ));
        }
    }
    Ok(())
}

/// Whether the import's text writes `name as name` as is: an alias Python
/// only normalises to the name (`y as ｙ`) is another spelling, which the
/// rename's spelling checks judge.
fn spells_redundant_alias(import: &str, name: &str) -> bool {
    let words: Vec<&str> = import.split(|c: char| c.is_whitespace() || matches!(c, ',' | '(' | ')' | '\\')).filter(|w| !w.is_empty()).collect();
    words.windows(3).any(|w| w == [name, "as", name])
}
