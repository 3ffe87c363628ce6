//! `twin __trace-writer`: a hidden command that appends events in a loop, for the tests
//! of concurrent writers and of a writer killed mid-line.

use std::borrow::Cow;
use std::io::Write;
use std::path::PathBuf;

use clap::Args;

use super::super::{EXIT_ERROR, EXIT_OK};
use crate::history::fingerprint::Fp;
use crate::history::trace::{append_bytes, lock};
use crate::history::{Event, EventKind, Timestamp};

#[derive(Args, Debug)]
pub struct TraceWriterArgs {
    /// The vault whose trace to append to.
    pub path: PathBuf,
    /// Events to append (0: until killed).
    #[arg(long, default_value_t = 1000)]
    pub events: u64,
    /// This writer's number, written into each event's fingerprint and subject.
    #[arg(long, default_value_t = 0)]
    pub writer: u32,
    /// Write each line in two halves with a pause between, so a kill tears lines.
    #[arg(long)]
    pub split: bool,
}

pub fn run_trace_writer(args: &TraceWriterArgs) -> u8 {
    let mut seq = 0u64;
    while args.events == 0 || seq < args.events {
        let mut e = Event::new(Timestamp(1_700_000_000 + seq as i64), EventKind::Opened);
        e.fp = Some(Fp((u64::from(args.writer) << 32) | seq));
        e.code = "broken-link".into();
        e.path = Cow::Owned(format!("writer-{}.md", args.writer));
        e.subject = Cow::Owned(format!("{} {seq}", args.writer));
        e.message = "appended by twin __trace-writer".into();
        let mut line = Vec::new();
        e.write_line(&mut line);
        let written = (|| -> std::io::Result<()> {
            let held = lock(&args.path)?;
            if args.split {
                let (a, b) = line.split_at(line.len() / 2);
                append_bytes(&held, a)?;
                std::io::stdout().flush()?;
                std::thread::sleep(std::time::Duration::from_millis(2));
                append_raw(&args.path, b)
            } else {
                append_bytes(&held, &line)
            }
        })();
        if let Err(e) = written {
            eprintln!("error: {e}");
            return EXIT_ERROR;
        }
        seq += 1;
    }
    EXIT_OK
}

/// Appends without repairing the tail: the second half of a split line.
fn append_raw(root: &std::path::Path, bytes: &[u8]) -> std::io::Result<()> {
    let mut file = std::fs::OpenOptions::new()
        .append(true)
        .open(crate::history::trace::trace_path(root))?;
    file.write_all(bytes)
}
