//! The process's allocator: mimalloc, able to count what a piece of code
//! gives back, so `pyloom graph --memory` reports what each part of the
//! graph holds by freeing it: measured bytes, not an estimate from sizes.
//!
//! The binary installs [`Allocator`] as its global allocator. Outside a
//! measurement it costs one relaxed load per allocation and free.

use std::alloc::{GlobalAlloc, Layout};
use std::sync::atomic::{AtomicBool, AtomicIsize, Ordering::Relaxed};

use mimalloc::MiMalloc;

pub struct Allocator;

static COUNTING: AtomicBool = AtomicBool::new(false);
/// Bytes freed minus bytes allocated while counting.
static RELEASED: AtomicIsize = AtomicIsize::new(0);

fn count(bytes: isize) {
    if COUNTING.load(Relaxed) {
        RELEASED.fetch_add(bytes, Relaxed);
    }
}

// SAFETY: every call is passed on unchanged to mimalloc, which upholds the
// `GlobalAlloc` contract; counting only touches two atomics.
unsafe impl GlobalAlloc for Allocator {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        count(-(layout.size() as isize));
        unsafe { MiMalloc.alloc(layout) }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        count(-(layout.size() as isize));
        unsafe { MiMalloc.alloc_zeroed(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        count(layout.size() as isize);
        unsafe { MiMalloc.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        count(layout.size() as isize - new_size as isize);
        unsafe { MiMalloc.realloc(ptr, layout, new_size) }
    }
}

/// The heap bytes `free` gives back (what it frees less what it allocates),
/// counted by [`Allocator`]; `None` when it is not the global allocator
/// (the library's unit tests) or a measurement is already running. Other
/// threads' allocations in the meantime are counted too: measure where
/// none run.
pub fn released_by(free: impl FnOnce()) -> Option<usize> {
    if COUNTING.swap(true, Relaxed) {
        return None;
    }
    // Whether this allocator is the global one: a free it sees.
    let probe = std::hint::black_box(vec![0u8; 64]);
    let before = RELEASED.load(Relaxed);
    drop(probe);
    let installed = RELEASED.load(Relaxed) - before == 64;
    let start = RELEASED.load(Relaxed);
    free();
    let released = RELEASED.load(Relaxed) - start;
    COUNTING.store(false, Relaxed);
    installed.then_some(released.max(0) as usize)
}
