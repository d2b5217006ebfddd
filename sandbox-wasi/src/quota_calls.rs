//! The WASI preview 2 filesystem calls that can make the scratch directory
//! bigger, shadowed in the component linker so that each one charges the
//! disk quota before it runs.
//!
//! wasmtime-wasi has no hook for a quota, so each of these methods of
//! `wasi:filesystem/types` is replaced by a wrapper that works out what the
//! call may add (through the same `HostDescriptor` methods the guest could
//! call itself), charges it, and only then runs wasmtime-wasi's own
//! implementation. A refused call returns `error-code.quota`, which the
//! guest's preview 1 adapter turns into `EDQUOT` (`OSError: [Errno 19]
//! Quota exceeded` in Python), and touches nothing.
//!
//! Growing calls: `write` (pwrite), `set-size`, the write and append
//! streams (`write`/`os.write` on a file: each write on the stream is
//! charged), and new names (`open-at` with `create`,
//! `create-directory-at`, `symlink-at`, `link-at`).
//!
//! A stream's refusal reaches the guest as a stream error, which the
//! preview 1 adapter inside componentize-py's component turns into `EIO`
//! whatever the error is (it never asks `filesystem-error-code`). So the
//! component imports `write-refused`, which says whether the host refused
//! the last stream write, and the guest app gives such a write its `EDQUOT`
//! (see `guest_app.py`).

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use bytes::Bytes;
use wasmtime::component::{Linker, Resource};
use wasmtime::{Result, StoreContextMut};
use wasmtime_wasi::filesystem::{Descriptor, WasiFilesystemView};
use wasmtime_wasi::p2::bindings::filesystem::types::{self as fs, ErrorCode, HostDescriptor};
use wasmtime_wasi::p2::{DynOutputStream, FsResult, OutputStream, Pollable, StreamError, StreamResult};

use crate::quota::{DiskQuota, OverQuota};
use crate::scratch::ENTRY_COST;

const TYPES: &str = "wasi:filesystem/types@0.2.12";
/// What a charged stream offers to take in one write (see
/// `ChargedStream::check_write`); more than a job's memory can hold.
const WRITE_PERMIT: usize = 1 << 30;

/// The quota of one run, shared by the store's calls and the streams they open.
pub(crate) type SharedQuota = Arc<Mutex<DiskQuota>>;

/// What the shadowed calls need from the store's data.
pub(crate) trait QuotaView: WasiFilesystemView + 'static {
    fn quota(&self) -> SharedQuota;
    /// Whether the last write on a file stream was refused.
    fn stream_refused(&self) -> Arc<AtomicBool>;
}

/// The error a refused stream write carries.
#[derive(Debug, thiserror::Error)]
#[error("disk quota exceeded")]
struct QuotaRefused;

/// Replaces the growing calls `wasmtime_wasi::p2::add_to_linker_async` added
/// with quota-charging ones.
pub(crate) fn add_to_linker<T: QuotaView>(linker: &mut Linker<T>) -> Result<()> {
    linker.allow_shadowing(true);
    let mut types = linker.instance(TYPES)?;
    types.func_wrap_async("[method]descriptor.write", |mut store: StoreContextMut<'_, T>, (fd, buffer, offset): (Resource<Descriptor>, Vec<u8>, u64)| {
        Box::new(async move {
            let len = buffer.len() as u64;
            let growth = file_size(&mut store, &fd).map(|size| (offset.saturating_add(len)).saturating_sub(size));
            if let Some(refusal) = admit(&store, None, growth) {
                return Ok((Err(refusal),));
            }
            answer(HostDescriptor::write(&mut store.data_mut().filesystem(), fd, buffer, offset).await)
        })
    })?;
    types.func_wrap_async("[method]descriptor.set-size", |mut store: StoreContextMut<'_, T>, (fd, size): (Resource<Descriptor>, u64)| {
        Box::new(async move {
            let growth = file_size(&mut store, &fd).map(|current| size.saturating_sub(current));
            if let Some(refusal) = admit(&store, None, growth) {
                return Ok((Err(refusal),));
            }
            answer(HostDescriptor::set_size(&mut store.data_mut().filesystem(), fd, size).await)
        })
    })?;
    types.func_wrap_async(
        "[method]descriptor.open-at",
        |mut store: StoreContextMut<'_, T>,
         (fd, lookup, path, open, flags): (Resource<Descriptor>, fs::PathFlags, String, fs::OpenFlags, fs::DescriptorFlags)| {
            Box::new(async move {
                if open.contains(fs::OpenFlags::CREATE) {
                    // Looked up as the open will: through a dangling link, the open creates its target.
                    let growth = new_entry(&mut store, &fd, lookup, &path).await;
                    if let Some(refusal) = admit(&store, Some(ENTRY_COST), growth) {
                        return Ok((Err(refusal),));
                    }
                }
                answer(HostDescriptor::open_at(&mut store.data_mut().filesystem(), fd, lookup, path, open, flags).await)
            })
        },
    )?;
    types.func_wrap_async("[method]descriptor.create-directory-at", |mut store: StoreContextMut<'_, T>, (fd, path): (Resource<Descriptor>, String)| {
        Box::new(async move {
            let growth = new_entry(&mut store, &fd, fs::PathFlags::empty(), &path).await;
            if let Some(refusal) = admit(&store, Some(ENTRY_COST), growth) {
                return Ok((Err(refusal),));
            }
            answer(HostDescriptor::create_directory_at(&mut store.data_mut().filesystem(), fd, path).await)
        })
    })?;
    types.func_wrap_async(
        "[method]descriptor.symlink-at",
        |mut store: StoreContextMut<'_, T>, (fd, target, path): (Resource<Descriptor>, String, String)| {
            Box::new(async move {
                let growth = new_entry(&mut store, &fd, fs::PathFlags::empty(), &path).await;
                if let Some(refusal) = admit(&store, Some(ENTRY_COST), growth) {
                    return Ok((Err(refusal),));
                }
                answer(HostDescriptor::symlink_at(&mut store.data_mut().filesystem(), fd, target, path).await)
            })
        },
    )?;
    types.func_wrap_async(
        "[method]descriptor.link-at",
        |mut store: StoreContextMut<'_, T>, (fd, lookup, source, dir, path): (Resource<Descriptor>, fs::PathFlags, String, Resource<Descriptor>, String)| {
            Box::new(async move {
                // A new name, and its bytes counted again, as the usage
                // walk counts every name.
                let source_size =
                    HostDescriptor::stat_at(&mut store.data_mut().filesystem(), borrow(&fd), lookup, source.clone()).await.map_or(0, |stat| stat.size);
                if let Some(refusal) = admit(&store, None, Some(ENTRY_COST + source_size)) {
                    return Ok((Err(refusal),));
                }
                answer(HostDescriptor::link_at(&mut store.data_mut().filesystem(), fd, lookup, source, dir, path).await)
            })
        },
    )?;
    types.func_wrap_async("[method]descriptor.write-via-stream", |store: StoreContextMut<'_, T>, (fd, offset): (Resource<Descriptor>, u64)| {
        Box::new(async move { Ok((charged_stream(store, fd, Some(offset))?,)) })
    })?;
    types.func_wrap_async("[method]descriptor.append-via-stream", |store: StoreContextMut<'_, T>, (fd,): (Resource<Descriptor>,)| {
        Box::new(async move { Ok((charged_stream(store, fd, None)?,)) })
    })?;
    linker.allow_shadowing(false);
    linker.root().func_wrap("write-refused", |store: StoreContextMut<'_, T>, (): ()| Ok((store.data().stream_refused().swap(false, Ordering::SeqCst),)))?;
    Ok(())
}

/// Charges what a call adds: `bound` (an upper limit known without a
/// file-system call) when it fits what is charged so far, else `growth`,
/// the exact amount (`None`: the call itself will fail, so nothing is
/// charged). `Some(quota)` when the call must not run.
fn admit<T: QuotaView>(store: &StoreContextMut<'_, T>, bound: Option<u64>, growth: Option<u64>) -> Option<ErrorCode> {
    let quota = store.data().quota();
    let mut quota = quota.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    if bound.is_some_and(|bound| quota.charge_within(bound)) {
        return None;
    }
    match quota.charge(growth?) {
        Ok(()) => None,
        Err(OverQuota) => Some(ErrorCode::Quota),
    }
}

/// wasmtime-wasi's answer as the import returns it (an error code, or a trap).
fn answer<V>(result: FsResult<V>) -> Result<(Result<V, ErrorCode>,)> {
    match result {
        Ok(value) => Ok((Ok(value),)),
        Err(error) => Ok((Err(error.downcast()?),)),
    }
}

fn borrow(fd: &Resource<Descriptor>) -> Resource<Descriptor> {
    Resource::new_borrow(fd.rep())
}

/// The size of the regular file `fd`; `None` for anything else (the call
/// then fails on its own).
fn file_size<T: QuotaView>(store: &mut StoreContextMut<'_, T>, fd: &Resource<Descriptor>) -> Option<u64> {
    let view = store.data_mut().filesystem();
    match view.table.get(fd).ok()? {
        Descriptor::File(file) => file.file.metadata().ok().map(|meta| meta.len()),
        Descriptor::Dir(_) => None,
    }
}

/// What adding the name `path` in `dir` costs: nothing if it exists (the
/// call then replaces it or fails), an entry otherwise.
async fn new_entry<T: QuotaView>(store: &mut StoreContextMut<'_, T>, dir: &Resource<Descriptor>, lookup: fs::PathFlags, path: &str) -> Option<u64> {
    let exists = HostDescriptor::stat_at(&mut store.data_mut().filesystem(), borrow(dir), lookup, path.to_owned()).await.is_ok();
    Some(if exists { 0 } else { ENTRY_COST })
}

/// wasmtime-wasi's stream for `fd` (at `offset`, or appending), wrapped in
/// one that charges each write's growth first.
fn charged_stream<T: QuotaView>(
    mut store: StoreContextMut<'_, T>,
    fd: Resource<Descriptor>,
    offset: Option<u64>,
) -> Result<Result<Resource<DynOutputStream>, ErrorCode>> {
    let (quota, refused) = (store.data().quota(), store.data().stream_refused());
    let mut view = store.data_mut().filesystem();
    let file = match view.table.get(&fd)? {
        Descriptor::File(file) => Some(file.file.clone()),
        Descriptor::Dir(_) => None,
    };
    let stream = match offset {
        Some(offset) => HostDescriptor::write_via_stream(&mut view, borrow(&fd), offset),
        None => HostDescriptor::append_via_stream(&mut view, borrow(&fd)),
    };
    let stream = match stream {
        Ok(stream) => stream,
        Err(error) => return Ok(Err(error.downcast()?)),
    };
    let Some(file) = file else { return Ok(Ok(stream)) };
    let inner: DynOutputStream = view.table.delete(stream)?;
    let charged = ChargedStream { inner, file, position: offset, quota, refused };
    Ok(Ok(view.table.push(Box::new(charged) as DynOutputStream)?))
}

struct ChargedStream {
    inner: DynOutputStream,
    file: Arc<std::fs::File>,
    /// `None` for an append stream (always at the end).
    position: Option<u64>,
    quota: SharedQuota,
    /// Set by a refused write, cleared by one that went through.
    refused: Arc<AtomicBool>,
}

impl OutputStream for ChargedStream {
    fn write(&mut self, bytes: Bytes) -> StreamResult<()> {
        let len = bytes.len() as u64;
        let size = self.file.metadata().map_err(|error| StreamError::LastOperationFailed(error.into()))?.len();
        let start = self.position.unwrap_or(size);
        let growth = start.saturating_add(len).saturating_sub(size);
        let charged = self.quota.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).charge(growth);
        self.refused.store(charged.is_err(), Ordering::SeqCst);
        if charged.is_err() {
            return Err(StreamError::LastOperationFailed(QuotaRefused.into()));
        }
        self.inner.write(bytes)?;
        self.position = self.position.map(|position| position + len);
        Ok(())
    }

    fn flush(&mut self) -> StreamResult<()> {
        self.inner.flush()
    }

    /// wasmtime-wasi's file stream takes a write of any length once it is
    /// ready, but offers 64 KiB, which the guest's preview 1 adapter turns
    /// into short writes (`os.write` of 2 MiB wrote 64 KiB; importlib
    /// refuses a short `.pyc`). Offering more keeps one guest write one
    /// stream write, charged whole, as the preview 1 interpreter had it.
    fn check_write(&mut self) -> StreamResult<usize> {
        Ok(match self.inner.check_write()? {
            0 => 0,
            _ => WRITE_PERMIT,
        })
    }
}

#[wasmtime_wasi::async_trait]
impl Pollable for ChargedStream {
    async fn ready(&mut self) {
        self.inner.ready().await;
    }
}
