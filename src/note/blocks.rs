//! Block ids: `^id` at the end of a paragraph or list item, and the block each one names;
//! and the blocks a link can name (paragraphs, list items, quotes, tables), with or without one.
//!
//! The markdown walk reports block starts and ends and inline content; this tracker
//! keeps the open blocks on a stack (never recursing, so nesting depth is harmless)
//! and remembers the last closed block at each depth for ids alone on their line.

use std::ops::Range;

use super::lex::{line_start, trim_end_range};
use super::model::{BLOCK_HEAD_CHARS, Block, BlockId, BlockKind};
use crate::text::{Span, head_bag};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum FrameKind {
    Paragraph,
    Item,
    BlockQuote,
    List,
    Table,
    Other,
}

struct Frame {
    kind: FrameKind,
    /// The sibling block that closed just before this one opened.
    prev: Option<Range<usize>>,
    /// For a list item: where its own text (before any nested block) ends.
    own_end: Option<usize>,
}

pub(crate) struct BlockTracker<'t> {
    text: &'t str,
    frames: Vec<Frame>,
    /// The last closed block at each depth, for `^id` lines that name the block above.
    last_closed: Vec<Option<Range<usize>>>,
    /// Inline content seen since the last block boundary.
    run: Option<Range<usize>>,
    /// Where the last inline element of the run (link, embed, code span, emphasis) ends.
    element_end: Option<usize>,
    /// Ids whose block is a frame still open: (frame depth, index into `ids`).
    pending: Vec<(usize, usize)>,
    ids: Vec<BlockId>,
    blocks: Vec<Block>,
}

/// What an id names before its span is known.
enum Target {
    Range(Range<usize>),
    Frame(usize),
}

impl<'t> BlockTracker<'t> {
    pub(crate) fn new(text: &'t str) -> Self {
        BlockTracker {
            text,
            frames: Vec::new(),
            last_closed: Vec::new(),
            run: None,
            element_end: None,
            pending: Vec::new(),
            ids: Vec::new(),
            blocks: Vec::new(),
        }
    }

    pub(crate) fn open(&mut self, kind: FrameKind, _range: &Range<usize>) {
        self.flush(None);
        let depth = self.frames.len();
        let prev = self.last_closed.get(depth).cloned().flatten();
        // Blocks nested in the previous sibling are nobody's siblings in this one.
        self.last_closed.truncate(depth + 1);
        self.frames.push(Frame {
            kind,
            prev,
            own_end: None,
        });
    }

    pub(crate) fn close(&mut self, range: &Range<usize>) {
        self.flush(Some(range));
        let Some(frame) = self.frames.pop() else {
            return;
        };
        let depth = self.frames.len();
        let block = trim_end_range(self.text, range.clone());
        self.record(&frame, depth, &block);
        while let Some(&(d, i)) = self.pending.last() {
            if d != depth {
                break;
            }
            self.pending.pop();
            self.ids[i].block_span = Span::new(block.start, block.end);
        }
        self.set_last_closed(depth, block);
    }

    /// A block without an end event, such as a thematic break.
    pub(crate) fn leaf(&mut self, range: &Range<usize>) {
        self.flush(None);
        let block = trim_end_range(self.text, range.clone());
        self.set_last_closed(self.frames.len(), block);
    }

    pub(crate) fn inline(&mut self, range: &Range<usize>) {
        self.run = Some(match self.run.take() {
            Some(r) => r.start.min(range.start)..r.end.max(range.end),
            None => range.clone(),
        });
    }

    /// Inline content that is a whole element (a link or embed, a code span, an
    /// emphasis): a block id may follow it directly.
    pub(crate) fn element(&mut self, range: &Range<usize>) {
        self.inline(range);
        self.element_end = Some(self.element_end.unwrap_or(0).max(range.end));
    }

    pub(crate) fn finish(mut self) -> (Vec<BlockId>, Vec<Block>) {
        // Only malformed event streams leave frames open; their ids keep an empty block.
        self.flush(None);
        (self.ids, self.blocks)
    }

    /// Keeps a closed block a link can name: a top-level paragraph, quote or table, or a
    /// list item outside quotes (Obsidian links no part of a quote).
    fn record(&mut self, frame: &Frame, depth: usize, block: &Range<usize>) {
        let kind = match frame.kind {
            FrameKind::Paragraph if depth == 0 => BlockKind::Paragraph,
            FrameKind::BlockQuote if depth == 0 => BlockKind::Quote,
            FrameKind::Table if depth == 0 => BlockKind::Table,
            FrameKind::Item if !self.frames.iter().any(|f| f.kind == FrameKind::BlockQuote) => {
                BlockKind::ListItem
            }
            _ => return,
        };
        if block.is_empty() {
            return;
        }
        let text_end = match kind {
            BlockKind::ListItem => frame.own_end.unwrap_or(block.end),
            _ => block.end,
        };
        self.blocks.push(Block {
            kind,
            span: Span::new(block.start, block.end),
            text_end: text_end as u32,
            head_bag: head_bag(&self.text[block.clone()], BLOCK_HEAD_CHARS),
        });
    }

    fn set_last_closed(&mut self, depth: usize, block: Range<usize>) {
        self.last_closed.truncate(depth + 1);
        self.last_closed.resize(depth + 1, None);
        self.last_closed[depth] = Some(block);
    }

    /// Looks for an id at the end of the inline run that just ended. `end` is the
    /// closing block's range when the run ends with its block.
    fn flush(&mut self, end: Option<&Range<usize>>) {
        let element_end = self.element_end.take();
        let Some(run) = self.run.take() else { return };
        // A list item's own text is its first run, direct or in its first paragraph.
        let n = self.frames.len();
        let item = match self.frames.last().map(|f| f.kind) {
            Some(FrameKind::Item) => Some(n - 1),
            Some(FrameKind::Paragraph) if n >= 2 && self.frames[n - 2].kind == FrameKind::Item => {
                Some(n - 2)
            }
            _ => None,
        };
        if let Some(i) = item
            && self.frames[i].own_end.is_none()
        {
            self.frames[i].own_end = Some(trim_end_range(self.text, run.clone()).end);
        }
        let Some(frame) = self.frames.last() else {
            return;
        };
        if !matches!(frame.kind, FrameKind::Paragraph | FrameKind::Item) {
            return;
        }
        let Some((marker, alone)) = find_block_id(self.text, run.clone(), element_end) else {
            return;
        };
        let own = || end.cloned().unwrap_or_else(|| run.clone());
        let target = match (self.container(), alone) {
            (Some(c), _) => Target::Frame(c),
            (None, true) => Target::Range(frame.prev.clone().unwrap_or_else(own)),
            (None, false) => Target::Range(own()),
        };
        let block_span = match target {
            Target::Range(r) => {
                let r = trim_end_range(self.text, r);
                Span::new(r.start, r.end)
            }
            Target::Frame(depth) => {
                self.pending.push((depth, self.ids.len()));
                Span::default()
            }
        };
        self.ids.push(BlockId {
            id: self.text[marker.start + 1..marker.end].to_string(),
            span: Span::new(marker.start, marker.end),
            block_span,
        });
    }

    /// The block an id in the current paragraph names when it sits in a container:
    /// the nearest list item, else the outermost of the nearest run of blockquotes.
    fn container(&self) -> Option<usize> {
        let last = self.frames.len().checked_sub(1)?;
        let mut i = if self.frames[last].kind == FrameKind::Item {
            last
        } else {
            last.checked_sub(1)?
        };
        loop {
            match self.frames[i].kind {
                FrameKind::Item => return Some(i),
                FrameKind::BlockQuote => {
                    while i > 0 && self.frames[i - 1].kind == FrameKind::BlockQuote {
                        i -= 1;
                    }
                    return Some(i);
                }
                FrameKind::List if i > 0 => i -= 1,
                _ => return None,
            }
        }
    }
}

/// Finds `^id` ending the last line of `run`. Returns the marker's range and whether
/// the marker is the run's only content (an id line naming the block above).
///
/// Inside a line the `^` must follow whitespace or the end of an inline element
/// (`element_end`): Obsidian's parser tries its block-id rule at every position where
/// an element ends, but finds a `^` inside text only after whitespace, so
/// `![[pic.png]]^id` names its block and `text^id` does not.
fn find_block_id(
    text: &str,
    run: Range<usize>,
    element_end: Option<usize>,
) -> Option<(Range<usize>, bool)> {
    let bytes = text.as_bytes();
    let r = trim_end_range(text, run);
    let mut i = r.end;
    while i > r.start && (bytes[i - 1].is_ascii_alphanumeric() || bytes[i - 1] == b'-') {
        i -= 1;
    }
    if i == r.end || i == r.start || bytes[i - 1] != b'^' {
        return None;
    }
    let caret = i - 1;
    let line = line_start(bytes, caret, 0).max(r.start);
    let prefix = &bytes[line..caret];
    let alone = prefix.iter().all(|&b| matches!(b, b' ' | b'\t' | b'>'));
    if !alone && !matches!(bytes[caret - 1], b' ' | b'\t') && element_end != Some(caret) {
        return None;
    }
    let single_line = memchr::memchr(b'\n', &bytes[r.start..caret]).is_none();
    Some((caret..r.end, alone && single_line))
}
