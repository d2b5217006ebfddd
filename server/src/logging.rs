//! Logging goes to stderr or a file, never stdout: stdout carries LSP.

use std::path::Path;

use tracing::{Event, Level, Subscriber};
use tracing_subscriber::EnvFilter;
use tracing_subscriber::fmt::FmtContext;
use tracing_subscriber::fmt::format::{self, FormatEvent, FormatFields};
use tracing_subscriber::registry::LookupSpan;

/// Installs the global subscriber. `PYLOOM_LOG` (an `EnvFilter` directive,
/// e.g. `pyloom=debug`) wins over `level`. A server's log (and any log
/// file) carries times and modules; a command's lines on stderr read like
/// its own messages (`pyloom: warning: ...`).
pub fn init(level: &str, file: Option<&Path>, server: bool) -> anyhow::Result<()> {
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
        None if server => {
            use std::io::IsTerminal;
            builder.with_ansi(std::io::stderr().is_terminal()).with_writer(std::io::stderr).init()
        }
        None => builder.with_ansi(false).event_format(Brief).with_writer(std::io::stderr).init(),
    }
    Ok(())
}

/// `pyloom: warning: <message> <fields>`, one line per event.
struct Brief;

impl<S, N> FormatEvent<S, N> for Brief
where
    S: Subscriber + for<'a> LookupSpan<'a>,
    N: for<'a> FormatFields<'a> + 'static,
{
    fn format_event(&self, ctx: &FmtContext<'_, S, N>, mut writer: format::Writer<'_>, event: &Event<'_>) -> std::fmt::Result {
        let level = match *event.metadata().level() {
            Level::ERROR => "error",
            Level::WARN => "warning",
            Level::INFO => "info",
            Level::DEBUG => "debug",
            Level::TRACE => "trace",
        };
        write!(writer, "pyloom: {level}: ")?;
        ctx.field_format().format_fields(writer.by_ref(), event)?;
        writeln!(writer)
    }
}

/// What `run` logs at `level` and above on this thread, for tests that read
/// why something was done (or not).
#[cfg(test)]
pub fn captured(level: Level, run: impl FnOnce()) -> String {
    use std::sync::{Arc, Mutex};
    #[derive(Clone, Default)]
    struct Buffer(Arc<Mutex<Vec<u8>>>);
    impl std::io::Write for Buffer {
        fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
            self.0.lock().unwrap_or_else(|e| e.into_inner()).extend_from_slice(bytes);
            Ok(bytes.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let buffer = Buffer::default();
    let writer = buffer.clone();
    let subscriber = tracing_subscriber::fmt().with_max_level(level).with_writer(move || writer.clone()).with_ansi(false).finish();
    tracing::subscriber::with_default(subscriber, || {
        // Another test's thread may have cached a callsite as logged by no
        // one while this subscriber was being made: ask every callsite again.
        tracing::callsite::rebuild_interest_cache();
        run()
    });
    String::from_utf8_lossy(&buffer.0.lock().unwrap_or_else(|e| e.into_inner())).into_owned()
}
