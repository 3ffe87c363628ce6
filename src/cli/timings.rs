//! Phase timings for `TWIN_TIMINGS=1`: wall time and the process's CPU time per phase, on
//! stderr, so a profile on a busy machine still says where the work goes.

use std::time::Instant;

/// Prints one line per phase when `TWIN_TIMINGS` is set; does nothing otherwise.
pub struct Timings {
    enabled: bool,
    wall: Instant,
    cpu: f64,
}

impl Timings {
    pub fn start() -> Timings {
        Timings {
            enabled: std::env::var_os("TWIN_TIMINGS").is_some(),
            wall: Instant::now(),
            cpu: process_cpu_secs(),
        }
    }

    /// Ends the current phase, named `phase`, and starts the next.
    pub fn phase(&mut self, phase: &str) {
        if !self.enabled {
            return;
        }
        let cpu = process_cpu_secs();
        eprintln!(
            "timing: {phase:<12} wall {:>7.1} ms  cpu {:>7.1} ms  rss {:>6} MB  peak {:>6} MB",
            self.wall.elapsed().as_secs_f64() * 1e3,
            (cpu - self.cpu) * 1e3,
            status_mb("VmRSS:"),
            status_mb("VmHWM:")
        );
        self.wall = Instant::now();
        self.cpu = cpu;
    }
}

/// User plus system time of this process, from `/proc/self/stat` (0 where it is missing).
fn process_cpu_secs() -> f64 {
    let Ok(stat) = std::fs::read_to_string("/proc/self/stat") else {
        return 0.0;
    };
    // Fields after the command name (which may hold spaces) start at state, field 3.
    let Some(rest) = stat.rsplit_once(')').map(|(_, rest)| rest) else {
        return 0.0;
    };
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let ticks = |i: usize| {
        fields
            .get(i)
            .and_then(|f| f.parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    // utime and stime are fields 14 and 15, i.e. 11 and 12 after the state; 100 ticks a second.
    (ticks(11) + ticks(12)) / 100.0
}

/// A memory figure of this process from `/proc/self/status`, in MB (0 where it is missing).
fn status_mb(field: &str) -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            let line = status.lines().find(|l| l.starts_with(field))?;
            line[field.len()..]
                .trim()
                .trim_end_matches("kB")
                .trim()
                .parse::<u64>()
                .ok()
        })
        .map_or(0, |kb| kb / 1024)
}
