//! Hostile inputs: parsing must finish quickly, never panic, and keep every span valid.

use proptest::prelude::*;

use super::*;
use crate::note::cpu_clock::Clock;

/// CPU seconds allowed in a debug build; release runs these in milliseconds.
const LIMIT: f64 = 2.0;

fn timed(name: &str, text: &str) -> Note {
    let start = Clock::start();
    let note = parse_note(Arc::from("x.md"), Arc::from(text));
    let took = start.secs();
    assert!(
        took < LIMIT,
        "{name}: {} bytes took {took:.2} s",
        text.len()
    );
    check_spans(&note);
    note
}

/// Every span lies inside the text, on character boundaries, start before end.
fn check_spans(note: &Note) {
    let text = &note.text;
    let mut spans: Vec<Span> = Vec::new();
    if let Some(fm) = &note.frontmatter {
        spans.extend([fm.span, fm.body_span]);
        spans.extend(fm.entries.iter().flat_map(|e| [e.key_span, e.value.span]));
        spans.extend(fm.aliases.iter().map(|a| a.span));
    }
    spans.extend(note.headings.iter().flat_map(|h| [h.span, h.text_span]));
    spans.extend(note.links.iter().flat_map(|l| [l.span, l.target_span]));
    spans.extend(
        note.links
            .iter()
            .filter_map(|l| l.anchor.as_ref().map(|a| a.span)),
    );
    spans.extend(note.tags.iter().map(|t| t.span));
    spans.extend(note.block_ids.iter().flat_map(|b| [b.span, b.block_span]));
    spans.extend(note.footnote_refs.iter().map(|r| r.span));
    spans.extend(note.footnote_defs.iter().map(|d| d.span));
    spans.extend(note.callouts.iter().flat_map(|c| [c.span, c.kind_span]));
    spans.extend(note.comments.iter().copied());
    spans.extend(note.problems.iter().map(|p| p.span));
    for s in spans {
        assert!(s.start <= s.end && s.end as usize <= text.len(), "{s:?}");
        assert!(text.is_char_boundary(s.start as usize), "{s:?}");
        assert!(text.is_char_boundary(s.end as usize), "{s:?}");
    }
}

#[test]
fn five_megabyte_single_line() {
    // Prose with some syntax in every sentence, as a long pasted paragraph would have.
    let unit = "Some ordinary words in a sentence that goes on, with [[Link|alias]] and #tag, `code` and [md](a.md). ";
    let text = unit.repeat(5_000_000 / unit.len());
    let note = timed("5 MB line", &text);
    assert_eq!(note.links.len(), 2 * (text.len() / unit.len()));
    assert_eq!(note.tags.len(), text.len() / unit.len());
}

#[test]
fn deep_nesting() {
    let n = 10_000;
    timed("list line", &format!("{}x\n", "- ".repeat(n)));
    timed("quote line", &format!("{}x [[L]]\n", "> ".repeat(n)));
    timed("quote run", &format!("{} x\n", ">".repeat(n)));
    timed("ordered", &format!("{}x\n", "1. ".repeat(n)));
    let staircase: String = (0..2_000)
        .map(|i| format!("{}- item ^id{i}\n", " ".repeat(i)))
        .collect();
    timed("staircase list", &staircase);
    timed("emphasis", &format!("{}x{}", "*".repeat(n), "*".repeat(n)));
    timed("links", &format!("{}x{}", "[".repeat(n), "](a)".repeat(n)));
}

#[test]
fn many_hashes_in_a_link() {
    let text = format!(
        "[[Note{}Heading]] [[{}]]",
        "#".repeat(10_000),
        "#".repeat(10_000)
    );
    let note = timed("hashes", &text);
    assert_eq!(note.links.len(), 1);
    assert_eq!(note.links[0].target(&text), "Note");
    assert_eq!(
        note.links[0].anchor_kind(&text).unwrap(),
        AnchorKind::Heading(smallvec::smallvec!["Heading"])
    );
}

#[test]
fn unclosed_constructs() {
    timed("open brackets", &"[[".repeat(200_000));
    timed("open embeds", &"![[a ".repeat(100_000));
    timed("open single brackets", &"[".repeat(300_000));
    timed("open footnotes", &"[^a".repeat(100_000));
    timed("open comments", &"%".repeat(300_000));
    timed("hashes", &"#".repeat(300_000));
    timed("dash tags", &"#-".repeat(200_000));
    timed("backslashes", &format!("{}[[x]]", "\\".repeat(300_000)));
    timed("dollars", &"$a ".repeat(100_000));
    timed("angles", &"<a ".repeat(100_000));
    timed("backticks", &"`".repeat(100_000));
    timed("carets", &"a ^b".repeat(100_000));
    let note = timed("unclosed fence", "```\n[[A]] #t\n");
    assert!(note.links.is_empty() && note.tags.is_empty());
    let note = timed("unclosed link", "[[never closed\n[[closed]]");
    assert_eq!(note.links.len(), 1);
}

#[test]
fn hostile_frontmatter() {
    let note = timed("list frontmatter", "---\n- a\n- b\n---\nbody");
    assert_eq!(note.problems.len(), 1);
    let mut bomb = String::from(
        "---\na: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
    );
    let names = ["a", "b", "c", "d", "e", "f", "g", "h", "i"];
    for pair in names.windows(2) {
        let refs = vec![format!("*{}", pair[0]); 9].join(",");
        bomb.push_str(&format!("{}: &{} [{refs}]\n", pair[1], pair[1]));
    }
    bomb.push_str("---\n[[Body]]\n");
    let note = timed("alias bomb", &bomb);
    assert_eq!(note.problems.len(), 1);
    assert_eq!(note.problems[0].kind, ParseProblemKind::FrontmatterInvalid);
    assert_eq!(note.links.len(), 1);
    timed(
        "deep yaml",
        &format!("---\na: {}\n---\n", "[".repeat(10_000)),
    );
    timed(
        "deep block yaml",
        &format!("---\na:\n{}x\n---\n", "  - ".repeat(5_000)),
    );
    let keys: String = (0..20_000).map(|i| format!("k{i}: v\n")).collect();
    timed("many keys", &format!("---\n{keys}k1: dup\n---\n"));
}

#[test]
fn binary_junk() {
    // A fixed pseudo-random stream of characters, weighted towards syntax characters.
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut text = String::new();
    let specials = "[]#^|!%$`\\<>()*_-:\n\r\t >\u{feff}-";
    let specials: Vec<char> = specials.chars().collect();
    while text.len() < 1_000_000 {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        let c = if state.is_multiple_of(3) {
            specials[(state >> 8) as usize % specials.len()]
        } else {
            char::from_u32((state >> 16) as u32 % 0x11_0000).unwrap_or('\u{fffd}')
        };
        text.push(c);
    }
    timed("junk", &text);
    timed(
        "junk with frontmatter",
        &format!(
            "---\n{}\n---\n{text}",
            &text[..text.floor_char_boundary(2000)]
        ),
    );
}

fn fragment() -> impl Strategy<Value = &'static str> {
    prop::sample::select(vec![
        "[[",
        "]]",
        "![[",
        "[",
        "]",
        "(",
        ")",
        "#",
        "#tag",
        "^id",
        "[^1]",
        "[^1]:",
        "[ ^1 ]:",
        "|",
        "\\",
        "`",
        "```",
        "$",
        "$$",
        "%%",
        "<div>",
        "</div>",
        "> ",
        "> [!note] ",
        "- ",
        "1. ",
        "## ",
        "---",
        "===",
        "\n",
        "\r\n",
        " ",
        "    ",
        "word",
        "ж",
        "😀",
        "1️⃣",
        "\u{feff}",
        "title: x",
        "tags: [a, b]",
        "up: \"[[X]]\"",
        "[a](b.md#c)",
        "&",
        "/",
        "*",
        "_",
        "](",
        "<",
        ">",
        "![",
        "[r]: ",
        "[r]",
        "\\|",
        "^",
        "%",
        "é",
        "\u{301}",
        "http://",
        ":",
    ])
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(
        std::env::var("TWIN_PARSE_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(512),
    ))]

    #[test]
    fn never_panics_and_spans_stay_valid(parts in prop::collection::vec(fragment(), 0..80)) {
        let text = parts.concat();
        let note = parse_note(Arc::from("p.md"), Arc::from(text.as_str()));
        check_spans(&note);
    }
}

#[test]
fn fuzz_regression_link_events_past_the_link_end() {
    // Found by the property test: an inner event ended after its link's own range.
    let note = timed("regression", "![[[^1](]`]([[)[r]](");
    check_spans(&note);
}
