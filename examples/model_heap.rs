//! Prints what the parsed notes of a vault hold on the heap, by part (a memory probe).

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

use twin::note::*;

struct Counting;
static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, l: Layout) -> *mut u8 {
        let n = LIVE.fetch_add(l.size(), Ordering::Relaxed) + l.size();
        PEAK.fetch_max(n, Ordering::Relaxed);
        unsafe { System.alloc(l) }
    }
    unsafe fn dealloc(&self, p: *mut u8, l: Layout) {
        LIVE.fetch_sub(l.size(), Ordering::Relaxed);
        unsafe { System.dealloc(p, l) }
    }
    unsafe fn realloc(&self, p: *mut u8, l: Layout, n: usize) -> *mut u8 {
        if n > l.size() {
            let v = LIVE.fetch_add(n - l.size(), Ordering::Relaxed) + n - l.size();
            PEAK.fetch_max(v, Ordering::Relaxed);
        } else {
            LIVE.fetch_sub(l.size() - n, Ordering::Relaxed);
        }
        unsafe { System.realloc(p, l, n) }
    }
}
#[global_allocator]
static A: Counting = Counting;

#[derive(Default, Debug)]
struct Acc {
    bytes: usize,
    allocs: usize,
}
fn add(map: &mut std::collections::BTreeMap<&'static str, Acc>, k: &'static str, bytes: usize) {
    let e = map.entry(k).or_default();
    e.bytes += bytes;
    if bytes > 0 {
        e.allocs += 1;
    }
}
fn yaml(map: &mut std::collections::BTreeMap<&'static str, Acc>, v: &YamlValue) {
    match v {
        YamlValue::String(s) | YamlValue::Number(s) => add(map, "fm scalar strings", s.capacity()),
        YamlValue::List(l) => {
            add(
                map,
                "fm lists",
                l.capacity() * size_of::<Spanned<YamlValue>>(),
            );
            for x in l {
                yaml(map, &x.value);
            }
        }
        YamlValue::Map(m) => {
            add(
                map,
                "fm maps",
                m.capacity() * size_of::<(Spanned<String>, Spanned<YamlValue>)>(),
            );
            for (k, x) in m {
                add(map, "fm scalar strings", k.value.capacity());
                yaml(map, &x.value);
            }
        }
        _ => {}
    }
}

fn main() {
    let dir = std::env::args().nth(1).expect("vault");
    let mut paths = Vec::new();
    for e in walk(std::path::Path::new(&dir)) {
        paths.push(e);
    }
    let mut texts = 0usize;
    let mut map = std::collections::BTreeMap::new();
    let before = LIVE.load(Ordering::Relaxed);
    let mut notes = Vec::new();
    let mut lines = 0usize;
    for p in &paths {
        let text: std::sync::Arc<str> = std::fs::read_to_string(p).unwrap().into();
        texts += text.len();
        let mut n = parse_note(p.to_string_lossy().as_ref().into(), text);
        n.shrink_to_fit();
        notes.push(std::sync::Arc::new(n));
    }
    let after = LIVE.load(Ordering::Relaxed);
    for n in &notes {
        add(&mut map, "Note struct (Arc)", size_of::<Note>() + 16);
        lines += n.text.lines().count();
        add(
            &mut map,
            "headings",
            n.headings.capacity() * size_of::<Heading>(),
        );
        for h in &n.headings {
            add(&mut map, "heading text", h.text.capacity());
        }
        add(
            &mut map,
            "block_ids",
            n.block_ids.capacity() * size_of::<BlockId>(),
        );
        for h in &n.block_ids {
            add(&mut map, "block id strings", h.id.capacity());
        }
        add(&mut map, "blocks", n.blocks.capacity() * size_of::<Block>());
        add(&mut map, "links", n.links.capacity() * size_of::<Link>());
        for l in &n.links {
            if let LinkSource::Frontmatter { key } = &l.source {
                add(&mut map, "link fm keys", key.len());
            }
        }
        add(&mut map, "tags", n.tags.capacity() * size_of::<Tag>());
        for h in &n.tags {
            add(&mut map, "tag names", h.name.capacity());
        }
        add(
            &mut map,
            "footnote refs",
            n.footnote_refs.capacity() * size_of::<FootnoteRef>(),
        );
        for h in &n.footnote_refs {
            add(&mut map, "footnote ref labels", h.label.capacity());
        }
        add(
            &mut map,
            "footnote defs",
            n.footnote_defs.capacity() * size_of::<FootnoteDef>(),
        );
        for h in &n.footnote_defs {
            add(&mut map, "footnote def strings", h.label.capacity());
            add(&mut map, "footnote def strings", h.content.capacity());
        }
        add(&mut map, "code", n.code.capacity() * 8);
        add(&mut map, "comments", n.comments.capacity() * 8);
        add(
            &mut map,
            "callouts",
            n.callouts.capacity() * size_of::<Callout>(),
        );
        for c in &n.callouts {
            add(&mut map, "callout strings", c.kind.capacity());
            add(
                &mut map,
                "callout strings",
                c.title.as_ref().map_or(0, |t| t.capacity()),
            );
        }
        add(
            &mut map,
            "problems",
            n.problems.capacity() * size_of::<ParseProblem>(),
        );
        if let Some(fm) = &n.frontmatter {
            add(
                &mut map,
                "fm entries",
                fm.entries.capacity() * size_of::<FrontmatterEntry>(),
            );
            for e in &fm.entries {
                add(&mut map, "fm keys", e.key.capacity());
                yaml(&mut map, &e.value.value);
            }
            add(
                &mut map,
                "fm aliases",
                fm.aliases.capacity() * size_of::<Alias>(),
            );
            for a in &fm.aliases {
                add(&mut map, "fm alias strings", a.name.capacity());
            }
        }
    }
    let links: usize = notes.iter().map(|n| n.links.len()).sum();
    println!(
        "notes {} texts {} B, lines {}, links {}",
        notes.len(),
        texts,
        lines,
        links
    );
    println!(
        "heap for notes {} B (beyond text {} B, {} B a note)",
        after - before,
        after - before - texts,
        (after - before - texts) / notes.len()
    );
    println!(
        "sizes: Note {} Heading {} BlockId {} Block {} Link {} Tag {} FootnoteDef {} FootnoteRef {} FrontmatterEntry {} Spanned<Yaml> {} Callout {} Frontmatter {} LineIndex {}",
        size_of::<Note>(),
        size_of::<Heading>(),
        size_of::<BlockId>(),
        size_of::<Block>(),
        size_of::<Link>(),
        size_of::<Tag>(),
        size_of::<FootnoteDef>(),
        size_of::<FootnoteRef>(),
        size_of::<FrontmatterEntry>(),
        size_of::<Spanned<YamlValue>>(),
        size_of::<Callout>(),
        size_of::<Frontmatter>(),
        size_of::<twin::text::LineIndex>()
    );
    let mut total = 0;
    for (k, v) in &map {
        total += v.bytes;
        println!(
            "{:>24} {:>12} B {:>8} allocs  {:>6} B/note",
            k,
            v.bytes,
            v.allocs,
            v.bytes / notes.len()
        );
    }
    println!(
        "counted {} B; rest (line index, path, anchors...) {}",
        total,
        (after - before - texts) as isize - total as isize
    );
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            if !p.file_name().unwrap().to_string_lossy().starts_with('.') {
                out.extend(walk(&p));
            }
        } else if p.extension().is_some_and(|x| x == "md") {
            out.push(p);
        }
    }
    out
}
