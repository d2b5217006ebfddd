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
///
/// One global subscriber, installed once, writes each event to the buffer
/// of the thread that logged it while that thread captures. A scoped
/// subscriber per test (`with_default`) lost events: the callsites' cached
/// interest is global, and another test's thread could settle it while
/// none of its subscribers wanted the event.
#[cfg(test)]
pub fn captured(level: Level, run: impl FnOnce()) -> String {
    use std::cell::RefCell;
    use tracing::subscriber::Interest;
    use tracing_subscriber::Layer;
    use tracing_subscriber::filter::DynFilterFn;
    use tracing_subscriber::layer::SubscriberExt;
    thread_local! {
        static CAPTURE: RefCell<Option<(Level, Vec<u8>)>> = const { RefCell::new(None) };
    }
    struct ThreadBuffer;
    impl std::io::Write for ThreadBuffer {
        fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
            CAPTURE.with_borrow_mut(|capture| capture.as_mut().map(|(_, buffer)| buffer.extend_from_slice(bytes)));
            Ok(bytes.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    static INSTALLED: std::sync::Once = std::sync::Once::new();
    INSTALLED.call_once(|| {
        // Asked at every event, never cached: whether this thread captures.
        let filter = DynFilterFn::new(|metadata, _| CAPTURE.with_borrow(|capture| capture.as_ref().is_some_and(|(level, _)| metadata.level() <= level)))
            .with_callsite_filter(|_| Interest::sometimes());
        let layer = tracing_subscriber::fmt::layer().with_ansi(false).with_writer(|| ThreadBuffer).with_filter(filter);
        tracing::subscriber::set_global_default(tracing_subscriber::registry().with(layer)).expect("no other global subscriber in tests");
    });
    CAPTURE.set(Some((level, Vec::new())));
    run();
    let (_, bytes) = CAPTURE.take().expect("the capture this call began");
    String::from_utf8_lossy(&bytes).into_owned()
}
