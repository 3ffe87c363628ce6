//! Parse speed on generated, realistic notes. Run with
//! `cargo test --release --lib note::parse::speed_tests -- --ignored --nocapture`.

use super::*;
use crate::note::cpu_clock::Clock;

/// A small xorshift generator, so the corpus is the same on every run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

const WORDS: &[&str] = &[
    "the",
    "system",
    "principle",
    "of",
    "cognition",
    "field",
    "and",
    "model",
    "agent",
    "memory",
    "система",
    "принцип",
    "модель",
    "агент",
    "память",
    "поле",
    "и",
    "в",
    "не",
    "знание",
    "architecture",
    "overlay",
    "двойник",
    "экспорт",
    "context",
    "reasoning",
    "слой",
    "идея",
];
const NOTES: &[&str] = &[
    "Overlay AGI Comprehensive System Development",
    "AGI Twin Non-Exportability Principle",
    "2 часа обзор проекта",
    "02_Philosophical_Criteria",
    "Field Cognition",
    "Память и контекст",
];

fn sentence(rng: &mut Rng, out: &mut String) {
    for i in 0..8 + rng.below(12) {
        if i > 0 {
            out.push(' ');
        }
        match rng.below(40) {
            0 | 1 => {
                out.push_str("[[");
                out.push_str(rng.pick(NOTES));
                if rng.below(3) == 0 {
                    out.push_str("#Раздел");
                }
                out.push_str("]]");
            }
            2 => out.push_str("#tag/nested"),
            3 => out.push_str("`inline code`"),
            4 => out.push_str("**bold words**"),
            5 => out.push_str("[a link](Other%20Note.md#Part)"),
            6 => out.push_str("[site](https://example.com/page#frag)"),
            _ => out.push_str(rng.pick(WORDS)),
        }
    }
    out.push_str(". ");
}

fn note(rng: &mut Rng) -> String {
    let mut s = String::new();
    if rng.below(10) < 7 {
        s.push_str("---\ntags:\n  - agi-twin\n  - field-based-cognition\ntitle: AGI Twin Note\n");
        s.push_str("description: AGI‑Двойник нельзя выгрузить в файл\ncreated: 2025-08-24\n");
        s.push_str("up: \"[[Overlay AGI Comprehensive System Development]]\"\n---\n");
    }
    for section in 0..3 + rng.below(5) {
        s.push_str(if section % 2 == 0 {
            "## "
        } else {
            "### 1️⃣ "
        });
        s.push_str(rng.pick(WORDS));
        s.push_str(" Заголовок\n\n");
        for _ in 0..1 + rng.below(4) {
            for _ in 0..2 + rng.below(4) {
                sentence(rng, &mut s);
            }
            if rng.below(5) == 0 {
                s.push_str("^block-id");
            }
            s.push_str("\n\n");
        }
        for _ in 0..rng.below(5) {
            s.push_str("- [[");
            s.push_str(rng.pick(NOTES));
            s.push_str("]] – описывает [^1].\n");
        }
        if rng.below(4) == 0 {
            s.push_str("\n```rust\nfn main() { let x = [[1]]; } // #not-a-tag\n```\n");
        }
        s.push('\n');
    }
    s.push_str("[^1]: [[2 часа обзор проекта]]\n");
    s
}

#[test]
#[ignore = "a benchmark; run it in release"]
fn parse_speed() {
    let mut rng = Rng(0x2545_F491_4F6C_DD1D);
    let mut notes: Vec<Arc<str>> = Vec::new();
    let mut total = 0usize;
    while total < 40_000_000 {
        let n = note(&mut rng);
        total += n.len();
        notes.push(Arc::from(n));
    }
    let path: VaultPath = Arc::from("bench.md");
    let mut links = 0usize;
    // The best of a few rounds, as other processes may share the machine.
    let mut secs = f64::MAX;
    for _ in 0..3 {
        let start = Clock::start();
        links = 0;
        for text in &notes {
            links += parse_note(path.clone(), text.clone()).links.len();
        }
        secs = secs.min(start.secs());
    }
    println!(
        "{} notes, {:.1} MB, {links} links in {secs:.3} s: {:.1} MB/s",
        notes.len(),
        total as f64 / 1e6,
        total as f64 / 1e6 / secs
    );
    assert!(links > notes.len());

    // Where the time goes, phase by phase.
    let (mut fm_t, mut md_t, mut scan_t) = (0.0, 0.0, 0.0);
    for text in &notes {
        let t = Clock::start();
        let fm = crate::note::frontmatter::parse(text);
        fm_t += t.secs();
        let t = Clock::start();
        let md = crate::note::markdown::walk(text, fm.body_start);
        md_t += t.secs();
        let t = Clock::start();
        let zones = Zones::new(md.code_zones);
        let links = Zones::new(md.link_zones);
        let _ = crate::note::scanner::scan(text, fm.body_start, &zones, &links);
        scan_t += t.secs();
    }
    println!("frontmatter {fm_t:.3} s, markdown {md_t:.3} s, scanner {scan_t:.3} s");
}

#[test]
#[ignore = "a benchmark; run it in release"]
fn seed_speed() {
    let text: Arc<str> = Arc::from(super::tests::SEED);
    let n = 20_000;
    let mut secs = f64::MAX;
    for _ in 0..5 {
        let start = Clock::start();
        for _ in 0..n {
            parse_note(Arc::from("s.md"), text.clone());
        }
        secs = secs.min(start.secs());
    }
    println!(
        "seed note: {:.1} µs each, {:.1} MB/s",
        secs / n as f64 * 1e6,
        (text.len() * n) as f64 / 1e6 / secs
    );
    let t = Clock::start();
    for _ in 0..n {
        crate::note::frontmatter::parse(&text);
    }
    println!("frontmatter {:.1} µs", t.secs() / n as f64 * 1e6);
    let body = crate::note::frontmatter::parse(&text).body_start;
    let t = Clock::start();
    for _ in 0..n {
        crate::note::markdown::walk(&text, body);
    }
    println!("markdown {:.1} µs", t.secs() / n as f64 * 1e6);
    let t = Clock::start();
    for _ in 0..n {
        let _ = pulldown_cmark::Parser::new_ext(&text[body..], pulldown_cmark::Options::all())
            .into_offset_iter()
            .count();
    }
    println!("pulldown alone {:.1} µs", t.secs() / n as f64 * 1e6);
}
