//! Differential tests: wherever the fast reader answers, serde-saphyr must agree exactly.

use proptest::prelude::*;

use super::*;
use crate::note::yaml::parse_full;

/// Asserts the fast reader either declines or matches the full parser; returns whether it answered.
fn agrees(yaml: &str) -> bool {
    let Some(fast) = parse(yaml, 7) else {
        return false;
    };
    match parse_full(yaml, 7) {
        Ok(full) => assert_eq!(fast, full, "yaml: {yaml:?}"),
        Err(e) => panic!("fast reader accepted invalid YAML {yaml:?}: {}", e.message),
    }
    true
}

#[test]
fn common_frontmatter_takes_the_fast_path() {
    for yaml in [
        "",
        "# only a comment\n",
        "tags:\n  - agi-twin\n  - field-based-cognition paradigm-shift\n  - \"#S0_ProblemClarification\"\ndescription: AGI‑Двойник нельзя выгрузить в файл\ntitle: AGI Twin Non-Exportability Principle\nupdated: 2025-09-06 19:59:44\ncreated: 2025-08-24\n",
        "up: \"[[X]]\"\nrelated: [\"[[A]]\", \"[[B|b]]\"]\n",
        "aliases:\ntags: [a, b]\nn: 12\nf: 1.50\nok: true\nnone: ~\n",
        "title: it's 'fine' # comment\r\nlist:\r\n- a\r\n- 'b''c'\r\n",
        "empty: []\nk: v\n",
    ] {
        assert!(agrees(yaml), "declined: {yaml:?}");
    }
}

#[test]
fn unusual_yaml_is_declined() {
    for yaml in [
        "a: |\n  block\n",
        "a: >\n  folded\n",
        "a: &x 1\nb: *x\n",
        "a: !tag x\n",
        "a:\n  b: c\n",
        "a: plain\n  continued\n",
        "a: \"esc\\\"aped\"\n",
        "a: 'multi\n  line'\n",
        "a: [x,\n  y]\n",
        "a: {b: c}\n",
        "\"quoted key\": v\n",
        "a:\tv\n",
        "a: 0x1F\n",
        "a: .inf\n",
        "a: 1.2.3\n",
        "a: [x, ]\n",
        "- a\n- b\n",
        "just text\n",
        "a: b: c\n",
        "a:\n  - x: y\n",
        "a:\n  -\n",
        " a: 1\n",
    ] {
        assert!(parse(yaml, 0).is_none(), "accepted: {yaml:?}");
    }
}

#[test]
fn scalar_resolution_matches_saphyr() {
    let samples = [
        "2025-08-24",
        "2025-09-06 19:59:44",
        "2025-09-06T19:59:44Z",
        "123",
        "-5",
        "+5",
        "0",
        "0123",
        "1.50",
        "1.",
        "1e5",
        "1E-3",
        "99999999999999999999999",
        "12abc",
        "3D",
        "inf",
        "nan",
        "Infinity",
        "yes",
        "No",
        "on",
        "y",
        "true",
        "FALSE",
        "~",
        "null",
        "Null",
        "-x",
        "x-y",
        "a#b",
        "10:30",
        "1/2",
        "1,000",
        "v1.2",
        "_x",
        "é",
        "1_000",
        "1e",
        "+.5",
        "-.inf",
    ];
    for s in samples {
        agrees(&format!("k: {s}\n"));
        agrees(&format!("k: [{s}]\n"));
        agrees(&format!("k:\n  - {s}\n"));
    }
}

fn fragment() -> impl Strategy<Value = &'static str> {
    prop::sample::select(vec![
        "title",
        "tags",
        "a",
        "ключ",
        "1",
        "true",
        "~",
        "http://x",
        "a b",
        "a#b",
        "a:b",
        ": ",
        ":",
        " ",
        "  ",
        "- ",
        "-",
        "#",
        " #",
        "\"",
        "'",
        "''",
        "[",
        "]",
        ",",
        ", ",
        "{",
        "\\",
        "\n",
        "\r\n",
        "x",
        "😀",
        "2025-08-24",
        "12",
        "1.5",
        "0x1",
        ".inf",
        "yes",
        "null",
        "[[X]]",
        "|",
        "&a",
        "*a",
        "!t",
        "@",
        "%",
        "`",
        "?",
        "\t",
    ])
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(std::env::var("TWIN_YAML_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(2000)))]

    #[test]
    fn fast_reader_never_disagrees(parts in prop::collection::vec(fragment(), 0..40)) {
        agrees(&parts.concat());
    }

    #[test]
    fn line_shaped_documents_agree(lines in prop::collection::vec(
        (prop::sample::select(vec!["k", "tags", "ж"]), prop::sample::select(vec![
            ": v", ": \"q [[L]]\"", ": 'it''s'", ":", ": [a, \"b\", 'c']", ": 2025-01-02",
            ": 1.5", ": true", ": x # c", ":\n  - a\n  - \"b\"", ":\n- a", ": []", ": ~",
            ":\n  # c\n  - a", ": a\n  b", ":\n  - a\n - b", ": 0123", ": -7", ": x-y z",
            ":\n  - 2025-01-02\n  - 1e3", ": [1, true, ~, 'x']", ": \"\"", ": ''", ": 'a' # c",
            ": [ ]", ":   \n\n  - x", ": a:b", ": a#b", ": @x", ": [a, [b]]", ": é ж 😀",
            ":\n  - a\n\n  - b", ": v\n# top comment", ":\r\n  - a\r\n",
        ])),
        0..8,
    )) {
        let yaml: String = lines.iter().map(|(k, v)| format!("{k}{v}\n")).collect();
        agrees(&yaml);
    }
}
