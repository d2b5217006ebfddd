//! `pyloom mcp`: the graph, the checks and the sandbox as MCP tools for
//! coding agents, over stdio. The second protocol edge beside [`crate::lsp`]:
//! it knows MCP types and no LSP ones, and answers from the same analysis
//! ([`crate::live`]).

mod paging;
mod server;
mod tools;

use std::path::Path;

use rmcp::ServiceExt;

/// Serves MCP on stdin/stdout for the workspace at `root` until the client
/// closes the connection.
pub async fn serve_stdio(root: &Path) -> Result<(), String> {
    let ws = crate::live::Workspace::open(root)?;
    // Indexing starts before the handshake: agents ask at once.
    ws.start_indexing();
    tracing::info!(root = %ws.root().display(), "MCP server started");
    let server = server::PyloomServer::new(ws);
    server.warm_up();
    let service = server.serve(rmcp::transport::stdio()).await.map_err(|e| format!("MCP handshake failed: {e}"))?;
    service.waiting().await.map_err(|e| format!("MCP server stopped: {e}"))?;
    Ok(())
}
