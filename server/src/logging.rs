//! Logging goes to stderr or a file, never stdout: stdout carries LSP.

use std::path::Path;

use tracing_subscriber::EnvFilter;

/// Installs the global subscriber. `PYLOOM_LOG` (an `EnvFilter` directive,
/// e.g. `pyloom=debug`) wins over `level`.
pub fn init(level: &str, file: Option<&Path>) -> anyhow::Result<()> {
    let filter = match std::env::var("PYLOOM_LOG") {
        Ok(directive) if !directive.is_empty() => EnvFilter::try_new(directive)?,
        _ => EnvFilter::try_new(level)?,
    };
    let builder = tracing_subscriber::fmt().with_env_filter(filter);
    match file {
        Some(path) => {
            let file = std::fs::OpenOptions::new().create(true).append(true).open(path)?;
            builder.with_ansi(false).with_writer(std::sync::Mutex::new(file)).init();
        }
        None => {
            use std::io::IsTerminal;
            builder.with_ansi(std::io::stderr().is_terminal()).with_writer(std::io::stderr).init()
        }
    }
    Ok(())
}
