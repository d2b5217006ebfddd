//! A function made a command-line command by its decorator
//! (`@click.command()`, `@cli.command()`, `@app.command()` of typer, and
//! their `group`s): the command takes the function's name, which users
//! type, so a rename would change the CLI. Refused; an explicit name in
//! the decorator would keep it, which this check does not read yet.

use super::occurrences::Target;
use crate::graph::{Graph, Resolved, SymbolKind};

pub(super) fn check(graph: &Graph, target: &Target) -> Result<(), String> {
    for denoted in &target.denotes {
        let Resolved::Symbol(id) = denoted else { continue };
        let Some(symbol) = graph.symbol(*id).filter(|s| s.kind == SymbolKind::Function) else { continue };
        let command = symbol.decorators.iter().find(|d| {
            let callee = d.split('(').next().unwrap_or(d);
            // `@cli.command("build")`, `name="build"`: the command keeps its name.
            let named = d.contains('"') || d.contains('\'') || d.contains("name=");
            callee.contains('.') && matches!(callee.rsplit('.').next(), Some("command" | "group")) && !named
        });
        if let Some(decorator) = command {
            return Err(format!(
                "`{}` is decorated `@{decorator}`, which names the command after the function: the command line would change",
                symbol.qualified_name
            ));
        }
    }
    Ok(())
}
