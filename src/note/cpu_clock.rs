//! Test helper: a clock of this thread's CPU time, so busy machines do not fail timing tests.

use std::time::Instant;

/// Measures CPU time of the current thread on Linux, wall time elsewhere.
pub(crate) struct Clock {
    wall: Instant,
    cpu: Option<f64>,
}

fn thread_cpu() -> Option<f64> {
    // The first field is the nanoseconds this thread has spent running.
    let stat = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    let ns: f64 = stat.split_whitespace().next()?.parse().ok()?;
    Some(ns / 1e9)
}

impl Clock {
    pub(crate) fn start() -> Clock {
        Clock {
            wall: Instant::now(),
            cpu: thread_cpu(),
        }
    }

    pub(crate) fn secs(&self) -> f64 {
        match (self.cpu, thread_cpu()) {
            (Some(a), Some(b)) => b - a,
            _ => self.wall.elapsed().as_secs_f64(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_busy_time() {
        let clock = Clock::start();
        let mut x = 0u64;
        while clock.secs() < 0.01 {
            x = x.wrapping_add(1);
        }
        assert!(x > 0);
        assert!(clock.secs() >= 0.01);
    }
}
