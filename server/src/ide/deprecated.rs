//! Whether a definition is PEP 702's deprecated as the resolver sees its
//! decorators: one is `warnings.deprecated` or
//! `typing_extensions.deprecated`, however imported or aliased (`from
//! typing_extensions import deprecated as dep` / `@dep("use g")`), and a
//! user's own function that happens to be named `deprecated` is not.

use crate::graph::{FileId, Graph, Resolved, Span};

/// The decorators type checkers read as PEP 702's.
const DEPRECATED: [&str; 2] = ["warnings.deprecated", "typing_extensions.deprecated"];

/// Whether the definition named at `name_range` of `file`, decorated with
/// `decorators` (as the summary spells them), is deprecated.
pub fn is_deprecated(graph: &Graph, file: FileId, name_range: Span, decorators: &[impl AsRef<str>]) -> bool {
    let Some(entry) = graph.file(file) else { return false };
    decorators.iter().any(|decorator| {
        let path = decorator.as_ref().split('(').next().unwrap_or_default().trim();
        // The decorator's own read: the last one spelling it before the name.
        let spelled = entry.summary.references.iter().rev().find(|r| r.start < name_range.start && r.chain.as_str() == path);
        let Some((_, last)) = spelled.and_then(|r| r.segments().last()) else { return false };
        matches!(graph.definition(file, last.start), Some(Resolved::External(path)) if DEPRECATED.contains(&path.as_str()))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ide::fixture;

    /// Whether the definition whose name the cursor is on is deprecated.
    fn check_deprecated(fixture_text: &str, expected: bool) {
        let (graph, file, offset) = fixture::graph(fixture_text);
        let def = graph.file(file).unwrap().summary.definitions.iter().find(|d| d.name_range.touches(offset)).expect("cursor on a definition's name");
        assert_eq!(is_deprecated(&graph, file, def.name_range, &def.decorators), expected, "{fixture_text}");
    }

    #[test]
    fn the_decorator_is_deprecated_as_resolved_aliases_included() {
        check_deprecated("//- /m.py\nfrom typing_extensions import deprecated\n@deprecated('use g')\ndef $0f(): ...\n", true);
        check_deprecated("//- /m.py\nfrom typing_extensions import deprecated as dep\n@dep('use g')\ndef $0f(): ...\n", true);
        check_deprecated("//- /m.py\nimport warnings as w\nclass C:\n    @w.deprecated('use g')\n    def $0m(self): ...\n", true);
    }

    #[test]
    fn a_decorator_only_named_deprecated_is_not() {
        check_deprecated("//- /m.py\ndef deprecated(func):\n    return func\n@deprecated\ndef $0f(): ...\n", false);
        check_deprecated("//- /m.py\nfrom functools import cache as deprecated\n@deprecated\ndef $0f(): ...\n", false);
        check_deprecated("//- /m.py\nfrom typing_extensions import deprecated\ndef $0f(): ...\n", false);
    }
}
