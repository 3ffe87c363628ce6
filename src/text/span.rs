//! A byte range into a note's text; the core speaks only in these.

use serde::{Deserialize, Serialize};

/// A half-open byte range `start..end` into one note's text.
///
/// Offsets are `u32` because notes larger than 4 GiB are refused at load time,
/// and halving the size of every span keeps the model small on big vaults.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
pub struct Span {
    pub start: u32,
    pub end: u32,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Self {
        debug_assert!(start <= end, "span start {start} after end {end}");
        Span {
            start: start as u32,
            end: end as u32,
        }
    }

    pub fn empty(at: usize) -> Self {
        Span::new(at, at)
    }

    pub fn len(self) -> usize {
        (self.end - self.start) as usize
    }

    pub fn is_empty(self) -> bool {
        self.start == self.end
    }

    pub fn range(self) -> std::ops::Range<usize> {
        self.start as usize..self.end as usize
    }

    pub fn contains(self, offset: usize) -> bool {
        (self.start as usize) <= offset && offset < self.end as usize
    }

    /// Whether `offset` lies inside the span or touches its end, as a cursor does.
    pub fn touches(self, offset: usize) -> bool {
        (self.start as usize) <= offset && offset <= self.end as usize
    }

    /// The line of `text` that holds byte `at`, without its line break (`\n` or `\r\n`).
    pub fn line_around(text: &str, at: usize) -> Span {
        let bytes = text.as_bytes();
        let start = memchr::memrchr(b'\n', &bytes[..at]).map_or(0, |i| i + 1);
        let end = memchr::memchr(b'\n', &bytes[at..]).map_or(text.len(), |i| at + i);
        let end = if end > start && bytes[end - 1] == b'\r' {
            end - 1
        } else {
            end
        };
        Span::new(start, end)
    }

    /// Shifts a span that was measured inside a slice starting at `base`.
    pub fn offset_by(self, base: usize) -> Self {
        Span::new(self.start as usize + base, self.end as usize + base)
    }
}
