//! The process's allocator: mimalloc, able to count what a piece of code
//! gives back, so `pyloom graph --memory` reports what each part of the
//! graph holds by freeing it: measured bytes, not an estimate from sizes.
//!
//! The binary installs [`Allocator`] as its global allocator. Outside a
//! measurement it costs one relaxed load per allocation and free.

use std::alloc::{GlobalAlloc, Layout};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicIsize, AtomicU8, Ordering::Relaxed};

use mimalloc::MiMalloc;

pub struct Allocator;

static COUNTING: AtomicBool = AtomicBool::new(false);
/// Bytes freed minus bytes allocated while counting: as asked, and as
/// the allocator's blocks hold them (see [`Freed`]).
static RELEASED: AtomicIsize = AtomicIsize::new(0);
static RELEASED_BLOCKS: AtomicIsize = AtomicIsize::new(0);
/// Whether the live heap and its peak are followed ([`follow_peaks`]).
static FOLLOWING: AtomicU8 = AtomicU8::new(0);
/// Bytes allocated less bytes freed since following began, and the most
/// that was since the last [`phase`] ended.
static LIVE: AtomicIsize = AtomicIsize::new(0);
static PEAK: AtomicIsize = AtomicIsize::new(0);
/// Each phase ended so far (see [`Phase`]).
static PHASES: Mutex<Vec<Phase>> = Mutex::new(Vec::new());

/// A phase of indexing: the live heap at its end and its peak within, and
/// the process's resident memory at its end and its peak so far (Linux;
/// 0 elsewhere), bytes.
#[derive(Debug, Clone, Copy)]
pub struct Phase {
    pub name: &'static str,
    pub live: usize,
    pub peak: usize,
    pub rss: usize,
    pub rss_peak: usize,
}

/// Counts `bytes` freed (negative: allocated) of a block asked for with
/// `size` bytes.
fn count(bytes: isize, size: usize) {
    if COUNTING.load(Relaxed) {
        RELEASED.fetch_add(bytes, Relaxed);
        RELEASED_BLOCKS.fetch_add(bytes.signum() * block_size(size) as isize, Relaxed);
    }
    if FOLLOWING.load(Relaxed) != 0 {
        let live = LIVE.fetch_sub(bytes, Relaxed) - bytes;
        PEAK.fetch_max(live, Relaxed);
    }
}

/// From now on, follows the live heap and its peak (a contended atomic
/// per allocation: only for `pyloom graph --memory`), so that each
/// [`phase`] of indexing reports what it held at most.
pub fn follow_peaks() {
    FOLLOWING.store(1, Relaxed);
}

/// Ends a phase of indexing named `name` when [`follow_peaks`] is on:
/// records the live heap now and the most it held since the last phase
/// ended (allocations before following began are not counted).
pub fn phase(name: &'static str) {
    if FOLLOWING.load(Relaxed) == 0 {
        return;
    }
    let live = LIVE.load(Relaxed).max(0);
    let peak = PEAK.swap(live, Relaxed).max(live);
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let kb = |key: &str| status.lines().find_map(|l| l.strip_prefix(key)?.trim().strip_suffix("kB")?.trim().parse::<usize>().ok()).unwrap_or(0) * 1024;
    let phase = Phase { name, live: live as usize, peak: peak as usize, rss: kb("VmRSS:"), rss_peak: kb("VmHWM:") };
    PHASES.lock().unwrap_or_else(|e| e.into_inner()).push(phase);
}

/// Gives the pages freed on this thread back to the system now. mimalloc
/// returns a freed page 10 ms later, but only when the thread that freed
/// it allocates again: after indexing, the thread that built the graph
/// goes quiet with its last frees (each link batch's results) still held.
/// Django, debug build: resident 197 -> 190 MB at once (the other
/// threads' heaps gave back nothing more).
pub fn return_freed() {
    unsafe extern "C" {
        fn mi_collect(force: bool);
    }
    // SAFETY: collecting is allowed at any time, from any thread.
    unsafe { mi_collect(true) }
}

/// The phases ended so far.
pub fn phases() -> Vec<Phase> {
    PHASES.lock().unwrap_or_else(|e| e.into_inner()).clone()
}

/// The alignment every block of mimalloc's has (its own `realloc` takes
/// the plain path up to it).
const WORD: usize = std::mem::size_of::<usize>();

unsafe extern "C" {
    fn mi_malloc(size: usize) -> *mut u8;
    fn mi_zalloc(size: usize) -> *mut u8;
    fn mi_good_size(size: usize) -> usize;
}

/// The size of the block mimalloc gives for `size` bytes: its size class
/// (8, then 16-byte steps up to 64, then four classes for each doubling:
/// a 24-byte box takes 32), what a block holds resident whatever was
/// asked.
pub fn block_size(size: usize) -> usize {
    // SAFETY: a pure function of its argument.
    unsafe { mi_good_size(size) }
}

// SAFETY: every call is passed on to mimalloc, which upholds the
// `GlobalAlloc` contract: a layout aligned to a word at most goes to its
// plain allocation, whose blocks are all word-aligned; counting only
// touches two atomics.
unsafe impl GlobalAlloc for Allocator {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        count(-(layout.size() as isize), layout.size());
        // `MiMalloc` asks for the alignment every time (`mi_malloc_aligned`),
        // a slower path for the strings and boxes of nearly every
        // allocation: 1.7% of a check of Django's instructions.
        if layout.align() <= WORD {
            // SAFETY: `layout` has a non-zero size (the `GlobalAlloc` contract).
            return unsafe { mi_malloc(layout.size()) };
        }
        unsafe { MiMalloc.alloc(layout) }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        count(-(layout.size() as isize), layout.size());
        if layout.align() <= WORD {
            // SAFETY: as in `alloc`.
            return unsafe { mi_zalloc(layout.size()) };
        }
        unsafe { MiMalloc.alloc_zeroed(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        count(layout.size() as isize, layout.size());
        unsafe { MiMalloc.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        count(layout.size() as isize, layout.size());
        count(-(new_size as isize), new_size);
        unsafe { MiMalloc.realloc(ptr, layout, new_size) }
    }
}

/// What a piece of code gave back to the heap: the bytes its blocks were
/// asked for, and the blocks' sizes (their size classes: what the pages
/// hold). The difference is part of what a process holds resident beyond
/// the bytes asked for.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Freed {
    pub asked: usize,
    pub blocks: usize,
}

impl std::ops::Add for Freed {
    type Output = Freed;
    fn add(self, other: Freed) -> Freed {
        Freed { asked: self.asked + other.asked, blocks: self.blocks + other.blocks }
    }
}

impl std::iter::Sum for Freed {
    fn sum<I: Iterator<Item = Freed>>(parts: I) -> Freed {
        parts.fold(Freed::default(), |a, b| a + b)
    }
}

/// The heap `free` gives back (what it frees less what it allocates),
/// counted by [`Allocator`]; `None` when it is not the global allocator
/// (the library's unit tests) or a measurement is already running. Other
/// threads' allocations in the meantime are counted too: measure where
/// none run.
pub fn released_by(free: impl FnOnce()) -> Option<Freed> {
    if COUNTING.swap(true, Relaxed) {
        return None;
    }
    // Whether this allocator is the global one: a free it sees.
    let probe = std::hint::black_box(vec![0u8; 64]);
    let before = RELEASED.load(Relaxed);
    drop(probe);
    let installed = RELEASED.load(Relaxed) - before == 64;
    let (start, start_blocks) = (RELEASED.load(Relaxed), RELEASED_BLOCKS.load(Relaxed));
    free();
    let released = RELEASED.load(Relaxed) - start;
    let blocks = RELEASED_BLOCKS.load(Relaxed) - start_blocks;
    COUNTING.store(false, Relaxed);
    installed.then_some(Freed { asked: released.max(0) as usize, blocks: blocks.max(0) as usize })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A block is of its size class: exact on a class, the next class up
    /// between two (the counts of `pyloom graph --memory` rely on it).
    #[test]
    fn a_block_is_of_its_size_class() {
        assert_eq!([8, 16, 32, 48, 64, 80].map(block_size), [8, 16, 32, 48, 64, 80]);
        assert_eq!([1, 17, 24, 40, 65, 81].map(block_size), [8, 32, 32, 48, 80, 96]);
    }

    /// Layouts aligned to a word at most take mimalloc's plain path, the
    /// others its aligned one: every block is aligned as asked, holds what
    /// is written to it, and grows and shrinks with its content.
    #[test]
    fn every_layout_is_given_a_block_aligned_as_asked() {
        for align in [1, 2, 4, 8, 16, 32, 64, 4096] {
            for size in [1, 3, 8, 24, 40, 100, 1000, 70_000] {
                let layout = Layout::from_size_align(size, align).unwrap();
                // SAFETY: a non-zero size; each block is freed with its layout.
                unsafe {
                    let zeroed = Allocator.alloc_zeroed(layout);
                    assert!(!zeroed.is_null() && zeroed as usize % align == 0, "{size} bytes at {align}");
                    assert!(std::slice::from_raw_parts(zeroed, size).iter().all(|b| *b == 0));
                    Allocator.dealloc(zeroed, layout);
                    let block = Allocator.alloc(layout);
                    assert!(!block.is_null() && block as usize % align == 0, "{size} bytes at {align}");
                    block.write_bytes(7, size);
                    let grown = Allocator.realloc(block, layout, size * 3);
                    assert!(grown as usize % align == 0 && std::slice::from_raw_parts(grown, size).iter().all(|b| *b == 7));
                    Allocator.dealloc(grown, Layout::from_size_align(size * 3, align).unwrap());
                }
            }
        }
    }
}
