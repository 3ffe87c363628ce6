//! Memory under editing, in process: thousands of edits that keep bringing new words (as
//! typing does) leave the heap where the first edits left it. The allocator below counts
//! live bytes, so the test sees growth that RSS sampling would blur.
//!
//! The language server applies each edit to the model on a thread that lives as long as
//! the server; what such a thread keeps per word it ever met grows with the session, not
//! with the vault (RELIABILITY.md, issue 19 item 13).

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::Arc;
use std::sync::atomic::{AtomicIsize, Ordering};

use twin::analysis::{Analysis, Change, load_rulebook};
use twin::note::parse_note;

/// Counts the bytes allocated and not yet freed, by every thread.
struct Counting;

static LIVE: AtomicIsize = AtomicIsize::new(0);

// SAFETY: every call is passed on to the system allocator unchanged; only a counter is
// updated beside it.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        LIVE.fetch_add(layout.size() as isize, Ordering::Relaxed);
        // SAFETY: the caller's contract is passed on.
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE.fetch_sub(layout.size() as isize, Ordering::Relaxed);
        // SAFETY: as above.
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        LIVE.fetch_add(
            new_size as isize - layout.size() as isize,
            Ordering::Relaxed,
        );
        // SAFETY: as above.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// A word never seen before: letters only, so the analyzer stems it.
fn fresh_word(n: u64) -> String {
    let mut word = String::from("qz");
    let mut n = n;
    loop {
        word.push((b'a' + (n % 26) as u8) as char);
        n /= 26;
        if n == 0 {
            return word;
        }
    }
}

#[test]
fn edits_with_ever_new_words_leave_the_heap_bounded() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().canonicalize().unwrap();
    twin::synth::generate_vault(
        &root,
        &twin::synth::SynthOptions {
            notes: 30,
            seed: 5,
            ..Default::default()
        },
    )
    .unwrap();
    let rulebook = Arc::new(load_rulebook(&root).unwrap());
    let mut model = Analysis::load(&root, rulebook).unwrap();
    let id = twin::vault::NoteId(0);
    let path = model.vault.note(id).path.clone();
    let head = model.vault.note(id).text.to_string();

    // Each edit rewrites the note's last paragraph with 600 words nobody wrote before,
    // then checks the note, as the server does after every edit.
    const WORDS_PER_EDIT: u64 = 600;
    let mut next = 0u64;
    let mut edit = |model: &mut Analysis| {
        let mut text = head.clone();
        text.push('\n');
        for _ in 0..WORDS_PER_EDIT {
            text.push_str(&fresh_word(next));
            text.push(' ');
            next += 1;
        }
        text.push('\n');
        let note = parse_note(path.clone(), Arc::from(text));
        model.apply(vec![Change::Upsert(Arc::new(note))]);
        let id = model.vault.note_by_path(&path).unwrap();
        std::hint::black_box(model.check_note(id));
    };

    // Warm-up: caches fill to what they keep.
    for _ in 0..100 {
        edit(&mut model);
    }
    let settled = LIVE.load(Ordering::Relaxed);
    // 250,000 new words more.
    for _ in 0..420 {
        edit(&mut model);
    }
    let grown = LIVE.load(Ordering::Relaxed) - settled;
    assert!(
        grown < 3 << 20,
        "the heap grew by {} KiB over 420 edits (after {} KiB)",
        grown >> 10,
        settled >> 10
    );
}
