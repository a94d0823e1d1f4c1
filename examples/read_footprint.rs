//! How much memory reading a needs file takes, counted by the allocator: the heap that the parsed needs hold once
//! reading is done (the model), and the peak while reading. The difference is what reading costs on top of the
//! model (buffers, the duplicate-id index, the last doubling of the needs' vector, counted here as a copy); if
//! the reader kept the file's text, the peak would grow by the file's size. Used for BENCHMARKS.md ("Large inputs"):
//!
//! ```text
//! cargo run --release --example read_footprint -- /tmp/big/needs.csv
//! ```

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

use poa_match::catalog::Reference;
use poa_match::io::ReadOptions;
use poa_match::records::ErrorSink;

/// The system allocator, with a count of the bytes in use and their peak.
struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

fn grew(by: usize) {
    let now = LIVE.fetch_add(by, Ordering::Relaxed) + by;
    PEAK.fetch_max(now, Ordering::Relaxed);
}

// SAFETY: every call is passed on to `System` unchanged; only the counters are added.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        grew(layout.size());
        // SAFETY: same contract as the caller's.
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
        // SAFETY: same contract as the caller's.
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // Counted as a new block next to the old one, as the worst case of a copy.
        grew(new_size);
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
        // SAFETY: same contract as the caller's.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

fn mb(bytes: usize) -> String {
    format!("{:.1} MB", bytes as f64 / 1e6)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let path = std::env::args().nth(1).ok_or("usage: read_footprint NEEDS.csv")?;
    let file_size = std::fs::metadata(&path)?.len() as usize;
    let reference = Reference::embedded();
    let before = LIVE.load(Ordering::Relaxed);
    PEAK.store(before, Ordering::Relaxed);
    let mut sink = ErrorSink::new(100);
    let options = ReadOptions::default();
    let needs = poa_match::io::read_needs_file(std::path::Path::new(&path), reference, options, &mut sink)?;
    sink.into_result()?;
    let model = LIVE.load(Ordering::Relaxed) - before;
    let peak = PEAK.load(Ordering::Relaxed) - before;
    println!("{path}: {} bytes, {} needs", file_size, needs.len());
    println!("model (heap held by the parsed needs): {} ({} per need)", mb(model), model / needs.len().max(1));
    println!("peak heap while reading: {} (model + {})", mb(peak), mb(peak.saturating_sub(model)));
    println!("size of one Need: {} bytes", std::mem::size_of::<poa_match::model::Need>());
    drop(needs);
    Ok(())
}
