//! Gives memory the allocator keeps but no longer uses back to the system.
//!
//! The first load parses notes on every core and the search index's first build queues
//! whole documents; glibc keeps the freed pages of those peaks in its arenas, so the
//! server's resident size stayed near its peak for its whole life. `malloc_trim` returns
//! every free page (not only the top of the heap); the worker calls it after the load,
//! after the index opens and, at most every few seconds, after edits.

use std::sync::Mutex;
use std::time::{Duration, Instant};

/// The least time between two trims after edits: a trim walks the whole heap.
const MIN_INTERVAL: Duration = Duration::from_secs(5);

static LAST: Mutex<Option<Instant>> = Mutex::new(None);

/// Returns free memory to the system now.
pub fn release() {
    *LAST.lock().unwrap_or_else(|e| e.into_inner()) = Some(Instant::now());
    trim();
}

/// Returns free memory to the system unless that was done in the last few seconds.
pub fn release_now_and_then() {
    let mut last = LAST.lock().unwrap_or_else(|e| e.into_inner());
    if last.is_some_and(|at| at.elapsed() < MIN_INTERVAL) {
        return;
    }
    *last = Some(Instant::now());
    drop(last);
    if std::env::var_os("TWIN_LSP_MEMORY_LOG").is_some() {
        super::log::stderr(&format!("memory before trim: {}", heap_note()));
    }
    trim();
    if std::env::var_os("TWIN_LSP_MEMORY_LOG").is_some() {
        super::log::stderr(&format!("memory after trim: {}", heap_note()));
    }
}

/// The allocator's view (glibc's `mallinfo2`) and the thread count, for the memory log.
pub fn heap_note() -> String {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let field = |key: &str| -> String {
        status
            .lines()
            .find(|l| l.starts_with(key))
            .and_then(|l| l.split_whitespace().nth(1))
            .unwrap_or("?")
            .to_string()
    };
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    let heap = {
        // SAFETY: `mallinfo2` only reads the allocator's statistics.
        let m = unsafe { libc::mallinfo2() };
        format!(
            "in use {} KiB, free {} KiB, mapped {} KiB ({} blocks), arena {} KiB",
            m.uordblks >> 10,
            m.fordblks >> 10,
            m.hblkhd >> 10,
            m.hblks,
            m.arena >> 10
        )
    };
    #[cfg(not(all(target_os = "linux", target_env = "gnu")))]
    let heap = String::new();
    format!(
        "{heap}; RssAnon {} KiB, RssFile {} KiB, threads {}",
        field("RssAnon:"),
        field("RssFile:"),
        field("Threads:")
    )
}

/// The process's resident size and its peak so far, in MB, as the stage log lines say
/// them: " (RSS 80 MB, peak 95 MB)", or nothing where `/proc` does not tell.
pub fn rss_note() -> String {
    let Ok(status) = std::fs::read_to_string("/proc/self/status") else {
        return String::new();
    };
    let kib = |key: &str| -> Option<u64> {
        let line = status.lines().find(|l| l.starts_with(key))?;
        line.split_whitespace().nth(1)?.parse().ok()
    };
    match (kib("VmRSS:"), kib("VmHWM:")) {
        (Some(now), Some(peak)) => format!(" (RSS {} MB, peak {} MB)", now / 1024, peak / 1024),
        _ => String::new(),
    }
}

#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn trim() {
    // SAFETY: `malloc_trim` only releases free pages of glibc's own arenas; it takes no
    // pointers and is safe to call from any thread at any time.
    unsafe {
        libc::malloc_trim(0);
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn trim() {}
