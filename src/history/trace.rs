//! The trace file `.twin/trace.jsonl`: reading (in parallel blocks, incrementally), appending
//! under a lock, and repairing a line torn by a crash.
//!
//! Writers take an exclusive lock on `.twin/trace.lock` (never renamed, unlike the trace,
//! which compaction replaces), repair the tail, then append whole lines. Readers take no
//! lock: they stop at the last newline, so a line being written is never half-read.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use rayon::prelude::*;

use super::event::Event;
use super::state::{Step, TraceState};

/// The trace, relative to the vault root.
pub const TRACE_FILE: &str = ".twin/trace.jsonl";
/// The lock writers hold, relative to the vault root.
pub const LOCK_FILE: &str = ".twin/trace.lock";
/// Bytes read per block; lines of a block are parsed in parallel.
const BLOCK: usize = 8 << 20;
/// Traces kept in memory by [`with_trace`].
const CACHED_TRACES: usize = 4;

pub fn trace_path(root: &Path) -> PathBuf {
    root.join(TRACE_FILE)
}

/// What a read found besides events.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ReadStats {
    /// The byte after the last complete line.
    pub end: u64,
    pub events: u64,
    /// Complete lines that are not events (corruption, a bad merge): ignored.
    pub skipped: u64,
    /// Whether the file ends in a line without its newline (a writer crashed or is busy).
    pub torn: bool,
}

/// Identity of the file behind the path: compaction replaces it with another.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct FileId(u64, u64);

fn file_id(meta: &fs::Metadata) -> FileId {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        FileId(meta.dev(), meta.ino())
    }
    #[cfg(not(unix))]
    {
        // Without inodes, a shorter file is the only sign of a replacement.
        let _ = meta;
        FileId(0, 0)
    }
}

/// Decides from a raw line whether it is worth parsing (a cheap substring test).
pub type LineFilter<'a> = &'a (dyn Fn(&[u8]) -> bool + Sync);

/// Calls `f` with every event of the open `file` from byte `start` on, in file order;
/// with a `filter`, only lines it accepts are parsed (and counted).
pub fn read_events_from(
    file: &mut File,
    start: u64,
    filter: Option<LineFilter<'_>>,
    mut f: impl FnMut(Event<'_>),
) -> io::Result<ReadStats> {
    read_blocks(file, start, |block, stats| {
        process_block(block, filter, stats, &mut f)
    })
}

/// Hands `on_block` the file from `start` on in blocks of whole lines.
fn read_blocks(
    file: &mut File,
    start: u64,
    mut on_block: impl FnMut(&[u8], &mut ReadStats),
) -> io::Result<ReadStats> {
    file.seek(SeekFrom::Start(start))?;
    let mut stats = ReadStats {
        end: start,
        ..ReadStats::default()
    };
    let mut buf: Vec<u8> = Vec::with_capacity(BLOCK);
    loop {
        // `read_to_end` fills spare capacity without zeroing it first.
        let read = (&mut *file).take(BLOCK as u64).read_to_end(&mut buf)?;
        // A regular file fills the block unless it ended.
        let eof = read < BLOCK;
        let Some(last_newline) = memchr::memrchr(b'\n', &buf) else {
            if eof {
                stats.torn = !buf.is_empty();
                return Ok(stats);
            }
            continue;
        };
        let complete = &buf[..=last_newline];
        on_block(complete, &mut stats);
        stats.end += complete.len() as u64;
        buf.drain(..=last_newline);
        if eof {
            stats.torn = !buf.is_empty();
            return Ok(stats);
        }
    }
}

fn process_block(
    block: &[u8],
    filter: Option<LineFilter<'_>>,
    stats: &mut ReadStats,
    f: &mut impl FnMut(Event<'_>),
) {
    let lines = block_lines(block, filter, stats);
    let parsed: Vec<Option<Event<'_>>> = parse_lines(&lines, |e| e);
    for (line, event) in lines.iter().zip(parsed) {
        match event {
            Some(event) => {
                stats.events += 1;
                f(event);
            }
            None if line.trim().is_empty() => {}
            None => stats.skipped += 1,
        }
    }
}

/// Parses `lines` and maps each event, in parallel for large blocks.
fn parse_lines<'a, T: Send>(
    lines: &[&'a str],
    map: impl Fn(Event<'a>) -> T + Sync,
) -> Vec<Option<T>> {
    if lines.len() > 256 {
        lines
            .par_iter()
            .with_min_len(256)
            .map(|line| Event::parse(line).map(&map))
            .collect()
    } else {
        lines
            .iter()
            .map(|line| Event::parse(line).map(&map))
            .collect()
    }
}

/// The lines of a block that `filter` accepts, as text.
fn block_lines<'a>(
    block: &'a [u8],
    filter: Option<LineFilter<'_>>,
    stats: &mut ReadStats,
) -> Vec<&'a str> {
    // One UTF-8 check for the whole block; a block with a bad byte is checked line by line
    // and the lines that are not text are skipped.
    let text = std::str::from_utf8(block);
    let mut lines: Vec<&str> = Vec::with_capacity(block.len() / 160);
    let mut start = 0;
    for nl in memchr::memchr_iter(b'\n', block) {
        let raw = &block[start..nl];
        start = nl + 1;
        if !filter.is_none_or(|accept| accept(raw)) {
            continue;
        }
        let line = match &text {
            Ok(text) => &text[nl - raw.len()..nl],
            Err(_) => match std::str::from_utf8(raw) {
                Ok(line) => line,
                Err(_) => {
                    stats.skipped += 1;
                    continue;
                }
            },
        };
        lines.push(line);
    }
    lines
}

/// Calls `f` with every event of the trace at `path`; a missing file has none.
pub fn read_events(path: &Path, f: impl FnMut(Event<'_>)) -> io::Result<ReadStats> {
    read_matching(path, None, f)
}

/// [`read_events`] for the lines `filter` accepts.
pub fn read_matching(
    path: &Path,
    filter: Option<LineFilter<'_>>,
    f: impl FnMut(Event<'_>),
) -> io::Result<ReadStats> {
    match open_regular(path) {
        Ok(mut file) => read_events_from(&mut file, 0, filter, f),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(ReadStats::default()),
        Err(e) => Err(e),
    }
}

/// Opens the trace for reading when it is a regular file, not a symbolic link (which
/// may lead out of the vault).
fn open_regular(path: &Path) -> io::Result<File> {
    if path.symlink_metadata()?.file_type().is_symlink() {
        return Err(io::Error::new(
            io::ErrorKind::PermissionDenied,
            format!("{TRACE_FILE} is a symbolic link; twin reads only a regular file"),
        ));
    }
    File::open(path)
}

/// A trace folded into memory, kept current by reading only what was appended since.
#[derive(Debug)]
pub struct Trace {
    path: PathBuf,
    state: TraceState,
    id: Option<FileId>,
    /// The byte after the last line folded in.
    end: u64,
    /// Lines skipped so far.
    pub skipped: u64,
    /// Whether the file ended in a torn line at the last refresh.
    pub torn: bool,
}

impl Trace {
    /// Reads the trace of the vault at `root` (empty when it has none).
    pub fn read(root: &Path) -> io::Result<Trace> {
        let mut trace = Trace {
            path: trace_path(root),
            state: TraceState::default(),
            id: None,
            end: 0,
            skipped: 0,
            torn: false,
        };
        trace.refresh()?;
        Ok(trace)
    }

    /// Folds in what was appended since the last read; starts over if the file was
    /// replaced (compaction) or shrank.
    pub fn refresh(&mut self) -> io::Result<()> {
        let mut file = match open_regular(&self.path) {
            Ok(file) => file,
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                self.reset(None);
                return Ok(());
            }
            Err(e) => return Err(e),
        };
        let meta = file.metadata()?;
        let id = Some(file_id(&meta));
        if id != self.id || meta.len() < self.end {
            self.reset(id);
        }
        if meta.len() == self.end {
            self.torn = false;
            return Ok(());
        }
        let state = &mut self.state;
        // Lines become steps in parallel; only the map updates run in file order.
        let stats = read_blocks(&mut file, self.end, |block, stats| {
            let lines = block_lines(block, None, stats);
            for (line, step) in lines.iter().zip(parse_lines(&lines, |e| Step::of(&e))) {
                match step {
                    Some(step) => {
                        stats.events += 1;
                        state.apply_step(step);
                    }
                    None if line.trim().is_empty() => {}
                    None => stats.skipped += 1,
                }
            }
        })?;
        self.end = stats.end;
        self.skipped += stats.skipped;
        self.torn = stats.torn;
        Ok(())
    }

    fn reset(&mut self, id: Option<FileId>) {
        self.state = TraceState::default();
        self.id = id;
        self.end = 0;
        self.skipped = 0;
        self.torn = false;
    }

    pub fn state(&self) -> &TraceState {
        &self.state
    }

    /// Whether the trace file exists.
    pub fn exists(&self) -> bool {
        self.id.is_some()
    }

    pub fn path(&self) -> &Path {
        &self.path
    }
}

static CACHE: Mutex<Vec<Trace>> = Mutex::new(Vec::new());

/// Runs `f` on the vault's trace, refreshed; traces stay in memory between calls so a
/// language server or a `check --record` reads each line once.
pub fn with_trace<R>(root: &Path, f: impl FnOnce(&Trace) -> R) -> io::Result<R> {
    let path = trace_path(root);
    let mut cache = CACHE
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    let index = match cache.iter().position(|t| t.path == path) {
        Some(i) => {
            cache[i].refresh()?;
            i
        }
        None => {
            let trace = Trace::read(root)?;
            if cache.len() == CACHED_TRACES {
                cache.remove(0);
            }
            cache.push(trace);
            cache.len() - 1
        }
    };
    Ok(f(&cache[index]))
}

/// An exclusive hold on the vault's trace; released when dropped.
#[derive(Debug)]
pub struct TraceLock {
    _file: File,
    root: PathBuf,
}

/// Waits for and takes the trace lock, creating `.twin/` when needed.
pub fn lock(root: &Path) -> io::Result<TraceLock> {
    // Every writer holds the lock: refusing here keeps writes of a trace or lock that
    // is a symlink (or inside a symlinked `.twin/`) from landing outside the vault.
    crate::vault::own_file(root, TRACE_FILE)?;
    let path = crate::vault::own_file(root, LOCK_FILE)?;
    if let Some(dir) = path.parent() {
        fs::create_dir_all(dir)?;
    }
    let file = OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)?;
    file.lock()?;
    Ok(TraceLock {
        _file: file,
        root: root.to_path_buf(),
    })
}

impl TraceLock {
    pub fn root(&self) -> &Path {
        &self.root
    }
}

/// Appends `events` as one write, taking the lock for the time it takes.
pub fn append(root: &Path, events: &[Event<'_>]) -> io::Result<()> {
    let lock = lock(root)?;
    append_locked(&lock, events)
}

/// Appends `events` while the caller holds the lock; repairs a torn last line first.
/// With no events it only creates the trace, so a first `--record` on a clean vault
/// leaves a (empty) trace behind.
pub fn append_locked(lock: &TraceLock, events: &[Event<'_>]) -> io::Result<()> {
    let mut buf = Vec::with_capacity(events.len() * 200);
    for event in events {
        event.write_line(&mut buf);
    }
    append_bytes(lock, &buf)
}

/// Appends raw bytes (whole lines) under the lock, after repairing the tail.
pub fn append_bytes(lock: &TraceLock, bytes: &[u8]) -> io::Result<()> {
    let mut file = OpenOptions::new()
        .read(true)
        .append(true)
        .create(true)
        .open(crate::vault::own_file(&lock.root, TRACE_FILE)?)?;
    repair_tail(&mut file)?;
    file.write_all(bytes)
}

/// Cuts a last line that has no newline: only a writer that died mid-line leaves one, and
/// the lock guarantees no writer is busy now.
pub fn repair_tail(file: &mut File) -> io::Result<bool> {
    let len = file.metadata()?.len();
    if len == 0 {
        return Ok(false);
    }
    let mut last = [0u8; 1];
    file.seek(SeekFrom::Start(len - 1))?;
    file.read_exact(&mut last)?;
    if last[0] == b'\n' {
        return Ok(false);
    }
    let mut chunk = vec![0u8; 64 << 10];
    let mut end = len;
    let keep = loop {
        if end == 0 {
            break 0;
        }
        let start = end.saturating_sub(chunk.len() as u64);
        let part = &mut chunk[..(end - start) as usize];
        file.seek(SeekFrom::Start(start))?;
        file.read_exact(part)?;
        if let Some(i) = memchr::memrchr(b'\n', part) {
            break start + i as u64 + 1;
        }
        end = start;
    };
    file.set_len(keep)?;
    Ok(true)
}
