//! Reaping a benchmarked child process: its exit code, CPU time and peak memory from
//! `wait4`, shared by the harnesses that spawn the real binary.

use std::io;
use std::process::Child;
use std::time::Duration;

/// What the kernel reports about a reaped child.
#[derive(Clone, Copy, Debug)]
pub struct Usage {
    /// Peak resident set, KiB.
    // Not every harness that includes this module reports memory.
    #[allow(dead_code)]
    pub max_rss_kib: u64,
    /// User plus system time.
    pub cpu: Duration,
}

/// Waits for the child and returns its exit code (128 + signal when killed) and resource
/// usage (`None` where `wait4` does not exist).
#[cfg(unix)]
pub fn wait(child: Child) -> io::Result<(i32, Option<Usage>)> {
    let pid = child.id() as libc::pid_t;
    let mut status: libc::c_int = 0;
    // SAFETY: `rusage` is plain old data; all-zero is a valid value.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    loop {
        // SAFETY: both pointers are to live locals; `pid` is our own child, not yet reaped.
        let reaped = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
        if reaped == pid {
            break;
        }
        let error = io::Error::last_os_error();
        if error.kind() != io::ErrorKind::Interrupted {
            return Err(error);
        }
    }
    // The child is reaped; dropping `Child` neither waits nor kills.
    drop(child);
    let code = if libc::WIFEXITED(status) {
        libc::WEXITSTATUS(status)
    } else {
        128 + libc::WTERMSIG(status)
    };
    // `ru_maxrss` is in KiB on Linux and the BSDs, in bytes on macOS.
    let maxrss = usage.ru_maxrss.max(0) as u64;
    let max_rss_kib = if cfg!(target_os = "macos") {
        maxrss / 1024
    } else {
        maxrss
    };
    let time = |t: libc::timeval| {
        Duration::from_secs(t.tv_sec.max(0) as u64) + Duration::from_micros(t.tv_usec.max(0) as u64)
    };
    let cpu = time(usage.ru_utime) + time(usage.ru_stime);
    Ok((code, Some(Usage { max_rss_kib, cpu })))
}

#[cfg(not(unix))]
pub fn wait(mut child: Child) -> io::Result<(i32, Option<Usage>)> {
    let status = child.wait()?;
    Ok((status.code().unwrap_or(-1), None))
}
