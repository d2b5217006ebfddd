//! A server's index of its workspace runs below the CPU priority of its
//! answers. Typed while the workspace is still being indexed (the first
//! seconds after opening an editor, minutes on a large workspace), an
//! edit's diagnostics otherwise queue for the CPU behind the index's
//! threads, one per core: on the notebooks bench's 2 cores the edits made
//! during statsmodels' index were 15 of its 16 slowest, and lowering the
//! index's threads alone cut those runs' p99 several times over. The
//! index waits for nothing the answers hold, and they wait for nothing it
//! holds (it builds a graph of its own, installed when done), so a lower
//! priority delays no answer behind it.

/// How much lower: under Linux's scheduler a thread 10 nice levels down
/// weighs about a ninth of one at the server's level, and on an idle
/// machine it runs as fast as ever.
const NICER: i32 = 10;

/// Runs `work` with its parallel work (rayon's) on threads of its own at a
/// lower priority; the calling thread only waits for it.
pub fn lowered<R: Send>(work: impl FnOnce() -> R + Send) -> R {
    let pool = rayon::ThreadPoolBuilder::new().thread_name(|at| format!("index-{at}")).start_handler(|_| lower_this_thread()).build();
    match pool {
        Ok(pool) => pool.install(work),
        Err(e) => {
            tracing::warn!("the index runs at the server's priority: no threads of its own ({e})");
            work()
        }
    }
}

/// Lowers the calling thread's priority (on Linux the nice value is the
/// thread's own). Elsewhere nothing: `setpriority` there lowers the whole
/// process, the answers with it.
fn lower_this_thread() {
    #[cfg(target_os = "linux")]
    // SAFETY: plain integer arguments; `0` names the calling thread.
    unsafe {
        let now = libc::getpriority(libc::PRIO_PROCESS, 0);
        libc::setpriority(libc::PRIO_PROCESS, 0, (now + NICER).min(19));
    }
}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    /// The calling thread's nice value.
    fn nice() -> i32 {
        // SAFETY: plain integer arguments; `0` names the calling thread.
        unsafe { libc::getpriority(libc::PRIO_PROCESS, 0) }
    }

    #[test]
    fn a_servers_index_runs_below_the_servers_priority() {
        let dir = tempfile::tempdir().unwrap();
        for name in ["a.py", "b.py", "c.py"] {
            std::fs::write(dir.path().join(name), "import os\nx = 1\n").unwrap();
        }
        let mut settings = crate::settings::Settings::default();
        settings.index.cache = false;
        let caller = nice();
        // Where the index's files are summarised: it says how far it got.
        let seen = std::sync::Mutex::new(Vec::new());
        let indexed = super::super::index_for_server(&[dir.path().to_path_buf()], &settings, &|_, _| seen.lock().unwrap().push(nice()));
        assert_eq!(indexed.map(|(_, report)| report.files).ok(), Some(3));
        let lowered = (caller + super::NICER).min(19);
        let seen = seen.into_inner().unwrap();
        assert!(!seen.is_empty() && seen.iter().all(|&n| n == lowered), "caller {caller}, index threads {seen:?}");
        // Must not: the caller, and parallel work outside the index, keep
        // the server's priority.
        assert_eq!(nice(), caller);
        let (left, right) = rayon::join(nice, nice);
        assert!(left < lowered && right < lowered || caller == 19, "{left} {right}");
    }
}
