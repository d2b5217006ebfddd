//! The WASI preview 1 calls that can make the scratch directory bigger,
//! shadowed in the linker so that each one charges the disk quota before it
//! runs.
//!
//! wasmtime-wasi has no hook for a quota, so each of these imports is
//! replaced by a wrapper that works out what the call may add (through the
//! same `WasiSnapshotPreview1` methods the guest could call itself), charges
//! it, and only then runs wasmtime-wasi's own implementation (its generated
//! ABI function, exactly what the import would have run). A refused call
//! returns `EDQUOT` (`OSError: [Errno 19] Quota exceeded` in Python) and
//! touches nothing.
//!
//! Growing calls: writes (`fd_write`, `fd_pwrite`), extending a file
//! (`fd_filestat_set_size`) and new directory entries (`path_open` with
//! `O_CREAT`, `path_create_directory`, `path_symlink`, `path_link`).
//! `fd_allocate` is unsupported by wasmtime-wasi; every other call only
//! reads, moves or frees.

use wasmtime::{AsContextMut, Caller, Extern, Linker, Result, bail};
use wasmtime_wasi::p1::wasi_snapshot_preview1::{self as abi, WasiSnapshotPreview1};
use wasmtime_wasi::p1::{WasiP1Ctx, types};
use wiggle::{GuestMemory, GuestPtr};

use crate::quota::{DiskQuota, OverQuota};
use crate::scratch::ENTRY_COST;

const MODULE: &str = "wasi_snapshot_preview1";

/// Where the guest's WASI context and quota live in the store's data.
pub(crate) type Project<T> = fn(&mut T) -> (&mut WasiP1Ctx, &mut DiskQuota);

/// Replaces the growing calls `wasmtime_wasi::p1::add_to_linker_async` added
/// with quota-charging ones.
pub(crate) fn add_to_linker<T: Send + 'static>(linker: &mut Linker<T>, project: Project<T>) -> Result<()> {
    // Each wrapper has the import's own signature; what differs is how the
    // growth is read from the arguments.
    macro_rules! charge_first {
        (fn $name:ident($($arg:ident: $ty:ty),*) grows $growth:expr) => {
            linker.func_wrap_async(MODULE, stringify!($name), move |mut caller: Caller<'_, T>, ($($arg,)*): ($($ty,)*)| {
                Box::new(async move {
                    let fuel = caller.as_context_mut().hostcall_fuel();
                    let (mut memory, wasi, quota) = guest_context(&mut caller, project)?;
                    if let Some(errno) = admit($growth, wasi, quota, &mut memory, fuel).await? {
                        return Ok(errno);
                    }
                    abi::$name(wasi, &mut memory, $($arg),*).await
                })
            })?;
        };
    }
    linker.allow_shadowing(true);
    charge_first!(fn fd_write(fd: i32, iovs: i32, iovs_len: i32, written: i32)
        grows Growth::Write { fd, iovs: (iovs, iovs_len), offset: None });
    charge_first!(fn fd_pwrite(fd: i32, iovs: i32, iovs_len: i32, offset: i64, written: i32)
        grows Growth::Write { fd, iovs: (iovs, iovs_len), offset: Some(offset.cast_unsigned()) });
    charge_first!(fn fd_filestat_set_size(fd: i32, size: i64)
        grows Growth::Resize { fd, size: size.cast_unsigned() });
    charge_first!(fn path_open(dir: i32, lookup: i32, path: i32, path_len: i32, oflags: i32, rights: i64, inherited: i64, fdflags: i32, opened: i32)
        grows Growth::Open { dir, lookup, path: (path, path_len), oflags });
    charge_first!(fn path_create_directory(dir: i32, path: i32, path_len: i32)
        grows Growth::Entry { dir, path: (path, path_len) });
    charge_first!(fn path_symlink(target: i32, target_len: i32, dir: i32, path: i32, path_len: i32)
        grows Growth::Entry { dir, path: (path, path_len) });
    charge_first!(fn path_link(source_dir: i32, source_lookup: i32, source: i32, source_len: i32, dir: i32, path: i32, path_len: i32)
        grows Growth::Link { source_dir, source_lookup, source: (source, source_len) });
    linker.allow_shadowing(false);
    Ok(())
}

/// The guest's memory, WASI context and quota, split out of the caller the
/// way wasmtime-wasi's generated imports do it. python.wasm exports a plain
/// (unshared) memory.
fn guest_context<'a, T: 'static>(caller: &'a mut Caller<'_, T>, project: Project<T>) -> Result<(GuestMemory<'a>, &'a mut WasiP1Ctx, &'a mut DiskQuota)> {
    let Some(Extern::Memory(memory)) = caller.get_export("memory") else {
        bail!("the guest exports no plain memory named `memory`");
    };
    let (bytes, data) = memory.data_and_store_mut(caller);
    let (wasi, quota) = project(data);
    Ok((GuestMemory::Unshared(bytes), wasi, quota))
}

/// Charges what the call may add. `Some(errno)` is the guest's answer when
/// the call must not run: `EDQUOT` past the quota, or the error that
/// measuring hit (which the call itself would have hit first).
async fn admit(growth: Growth, wasi: &mut WasiP1Ctx, quota: &mut DiskQuota, memory: &mut GuestMemory<'_>, fuel: usize) -> Result<Option<i32>> {
    // Measuring reads paths through the same fuel-bounded copies the call
    // makes; the call then starts with its full allowance again.
    wasi.set_hostcall_fuel(fuel);
    let refusal = match charge(growth, wasi, quota, memory).await {
        Ok(charged) => charged.err().map(|OverQuota| errno(types::Errno::Dquot)),
        Err(error) => Some(errno(error.downcast()?)),
    };
    wasi.set_hostcall_fuel(fuel);
    Ok(refusal)
}

/// The bound without file-system calls when there is one and it fits, else
/// the growth the call's descriptor or path says (see `quota`).
async fn charge(growth: Growth, wasi: &mut WasiP1Ctx, quota: &mut DiskQuota, memory: &mut GuestMemory<'_>) -> Result<Result<(), OverQuota>, types::Error> {
    if let Some(bound) = growth.bound()?
        && quota.charge_within(bound)
    {
        return Ok(Ok(()));
    }
    let exact = growth.measure(wasi, memory).await?;
    Ok(quota.charge(exact))
}

fn errno(errno: types::Errno) -> i32 {
    i32::from(u16::from(errno))
}

/// What a growing call was asked to do, in its raw arguments.
enum Growth {
    /// `fd_write` at the descriptor's position, or `fd_pwrite` at `offset`.
    Write { fd: i32, iovs: (i32, i32), offset: Option<u64> },
    /// `fd_filestat_set_size`.
    Resize { fd: i32, size: u64 },
    /// `path_open`, which adds an entry with `O_CREAT`.
    Open { dir: i32, lookup: i32, path: (i32, i32), oflags: i32 },
    /// A new name that does not follow links (directory, symlink).
    Entry { dir: i32, path: (i32, i32) },
    /// A hard link to `source`: a new name, and its bytes counted again, as
    /// the usage walk counts every name.
    Link { source_dir: i32, source_lookup: i32, source: (i32, i32) },
}

impl Growth {
    /// At least what the call can add, from its arguments alone, for the
    /// calls where that costs no file-system call and is close: a new name
    /// costs at most an entry. A write or resize depends on the file's size
    /// and position, a link on its source, so they have none.
    fn bound(&self) -> Result<Option<u64>, types::Error> {
        Ok(match *self {
            Growth::Open { oflags, .. } => Some(if creates(oflags)? { ENTRY_COST } else { 0 }),
            Growth::Entry { .. } => Some(ENTRY_COST),
            Growth::Write { .. } | Growth::Resize { .. } | Growth::Link { .. } => None,
        })
    }

    /// What the call will add to the directory, as `scratch::usage` counts
    /// it.
    async fn measure(self, wasi: &mut WasiP1Ctx, memory: &mut GuestMemory<'_>) -> Result<u64, types::Error> {
        match self {
            Growth::Write { fd, iovs, offset } => {
                let fd = types::Fd::from(fd);
                // Only files have a position. stdout and stderr have a cap
                // of their own, and other descriptors cannot be written.
                let Ok(position) = wasi.fd_tell(memory, fd) else {
                    return Ok(0);
                };
                let len = write_len(memory, GuestPtr::new(pair(iovs)))?;
                let size = file_size(wasi, memory, fd, position).await?;
                let start = offset.unwrap_or(position);
                // Past the end the gap counts too (as a sparse file's
                // apparent size does). An append writes at the end whatever
                // the position says, adding `len`: the larger of the two is
                // never less than what the write adds, so the append flag
                // need not be asked for (two more file-system calls).
                Ok(len.max(start.saturating_add(len).saturating_sub(size)))
            }
            Growth::Resize { fd, size } => {
                let current = wasi.fd_filestat_get(memory, types::Fd::from(fd)).await?.size;
                Ok(size.saturating_sub(current))
            }
            Growth::Open { dir, lookup, path, oflags } => {
                if !creates(oflags)? {
                    return Ok(0);
                }
                // Looked up as the open will: through a dangling link, the
                // open creates its target.
                Ok(new_entry(wasi, memory, dir, types::Lookupflags::try_from(lookup)?, path).await)
            }
            Growth::Entry { dir, path } => Ok(new_entry(wasi, memory, dir, types::Lookupflags::empty(), path).await),
            Growth::Link { source_dir, source_lookup, source } => {
                let lookup = types::Lookupflags::try_from(source_lookup)?;
                let stat = wasi.path_filestat_get(memory, types::Fd::from(source_dir), lookup, GuestPtr::new(pair(source))).await;
                Ok(ENTRY_COST + stat.map_or(0, |stat| stat.size))
            }
        }
    }
}

fn creates(oflags: i32) -> Result<bool, types::Error> {
    Ok(types::Oflags::try_from(oflags)?.contains(types::Oflags::CREAT))
}

/// The size of the file open as `fd`, whose position is `position`, in one
/// file-system call: every such call is a hop to a blocking thread, and
/// seeking to the end makes one where `fd_filestat_get` makes two. The
/// position is put back before the guest, blocked in this very call, can
/// see it.
async fn file_size(wasi: &mut WasiP1Ctx, memory: &mut GuestMemory<'_>, fd: types::Fd, position: u64) -> Result<u64, types::Error> {
    let Ok(back) = i64::try_from(position) else {
        // A position no seek can restore; size 0 only makes the charge larger.
        return Ok(0);
    };
    let size = wasi.fd_seek(memory, fd, 0, types::Whence::End).await?;
    wasi.fd_seek(memory, fd, back, types::Whence::Set).await?;
    Ok(size)
}

/// What adding the name `path` in `dir` costs: nothing if it exists (the
/// call then replaces it or fails), an entry otherwise.
async fn new_entry(wasi: &mut WasiP1Ctx, memory: &mut GuestMemory<'_>, dir: i32, lookup: types::Lookupflags, path: (i32, i32)) -> u64 {
    match wasi.path_filestat_get(memory, types::Fd::from(dir), lookup, GuestPtr::new(pair(path))).await {
        Ok(_) => 0,
        Err(_) => ENTRY_COST,
    }
}

/// The bytes one `fd_write` stores: wasmtime-wasi writes only the first
/// non-empty buffer of the vector (a short write the guest's libc resumes).
fn write_len(memory: &GuestMemory<'_>, iovs: types::CiovecArray) -> Result<u64, types::Error> {
    for iov in iovs.iter() {
        let iov = memory.read(iov?)?;
        if iov.buf_len != 0 {
            return Ok(u64::from(iov.buf_len));
        }
    }
    Ok(0)
}

/// A guest (pointer, length) pair as wiggle takes it.
fn pair((pointer, len): (i32, i32)) -> (u32, u32) {
    (pointer.cast_unsigned(), len.cast_unsigned())
}
