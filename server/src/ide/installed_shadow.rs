//! A new top-level module named like an installed package: run from the
//! project's root (`python -m pytest`, a script beside it), Python finds
//! the project's module first, and every import of the package gets it.

use crate::graph::Graph;

/// Why a new top-level module `top` would shadow a package the project's
/// environment has installed (`None`: it would not, or the workspace has
/// such a module already, which shadows it today).
pub(super) fn shadowed(graph: &Graph, top: &str, workspace_has: bool) -> Option<String> {
    let library = graph.library()?;
    (!workspace_has && library.has_module(top)).then(|| {
        format!("`{top}` is an installed package of the project's environment: a workspace module of that name would shadow it for code run from the project")
    })
}
