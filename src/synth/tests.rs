//! Tests of the synthetic vault generator: counts re-read from disk, determinism, valid YAML.

use super::*;
use std::collections::HashSet;
use std::collections::{BTreeMap, HashMap};

fn options(notes: usize, seed: u64, broken_link_ratio: f64, typed_links: bool) -> SynthOptions {
    SynthOptions {
        notes,
        seed,
        broken_link_ratio,
        typed_links,
    }
}

/// Every file under `dir` by `/`-separated relative path.
fn read_tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<String, Vec<u8>>) {
        for entry in fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(root, &path, out);
            } else {
                let rel = path.strip_prefix(root).unwrap().to_str().unwrap();
                out.insert(rel.replace('\\', "/"), fs::read(&path).unwrap());
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut out);
    out
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            out.push(u8::from_str_radix(&s[i + 1..i + 3], 16).unwrap());
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).unwrap()
}

/// `a/b/../c` → `a/c`.
fn normalize(path: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            _ => parts.push(part),
        }
    }
    parts.join("/")
}

#[derive(Default)]
struct NoteFacts {
    headings: Vec<String>,
    blocks: Vec<String>,
}

/// What an independent reading of a generated vault finds, to compare with [`SynthStats`].
#[derive(Debug, Default, PartialEq, Eq)]
struct Scan {
    links: usize,
    broken: usize,
    typed: usize,
    one_sided: usize,
    footnote_problems: usize,
}

#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
enum Rel {
    Up,
    Down,
    Related,
}

/// A deliberately simple reader of the subset of Obsidian markdown the generator writes.
fn scan(tree: &BTreeMap<String, Vec<u8>>) -> Scan {
    let notes: BTreeMap<&str, &str> = tree
        .iter()
        .filter(|(p, _)| p.ends_with(".md"))
        .map(|(p, b)| (p.as_str(), std::str::from_utf8(b).unwrap()))
        .collect();
    let attachments: Vec<String> = tree
        .keys()
        .filter(|p| p.starts_with("attachments/"))
        .map(|p| p["attachments/".len()..].to_lowercase())
        .collect();
    let mut by_name: HashMap<String, Vec<&str>> = HashMap::new();
    let mut facts: HashMap<&str, NoteFacts> = HashMap::new();
    for (&path, &text) in &notes {
        let name = path.rsplit('/').next().unwrap().trim_end_matches(".md");
        by_name.entry(name.to_lowercase()).or_default().push(path);
        let mut f = NoteFacts::default();
        let mut in_code = false;
        for line in text.lines() {
            if line.starts_with("```") {
                in_code = !in_code;
            } else if in_code {
            } else if line.starts_with('#') {
                if let Some(text) = line.trim_start_matches('#').strip_prefix(' ') {
                    f.headings.push(text.to_lowercase());
                }
            } else if let Some((_, id)) = line.rsplit_once(" ^") {
                f.blocks.push(id.to_string());
            }
        }
        facts.insert(path, f);
    }
    let resolve = |from: &str, target: &str| -> Option<&str> {
        let lower = target.to_lowercase();
        if target.is_empty() {
            return notes.get_key_value(from).map(|(k, _)| *k);
        }
        if lower.contains('/') {
            let want = format!("{}.md", lower.trim_end_matches(".md"));
            return notes.keys().copied().find(|p| p.to_lowercase() == want);
        }
        match by_name.get(&lower).map(Vec::as_slice) {
            Some([one]) => Some(one),
            _ => None,
        }
    };
    let mut scan = Scan::default();
    let mut edges: HashMap<(&str, Rel, &str), usize> = HashMap::new();
    for (&path, &text) in &notes {
        let folder = path.rsplit_once('/').map_or("", |(f, _)| f);
        let check = |raw: &str, scan: &mut Scan| -> Option<&str> {
            scan.links += 1;
            let target = raw.split('|').next().unwrap();
            let (target, anchor) = target.split_once('#').unwrap_or((target, ""));
            if attachments.contains(&target.to_lowercase()) {
                return None;
            }
            let Some(found) = resolve(path, target) else {
                scan.broken += 1;
                return None;
            };
            let f = &facts[found];
            let ok = if let Some(id) = anchor.strip_prefix('^') {
                f.blocks.iter().any(|b| b == id)
            } else {
                anchor.is_empty() || f.headings.contains(&anchor.to_lowercase())
            };
            if !ok {
                scan.broken += 1;
            }
            Some(found)
        };
        let (mut in_code, mut frontmatter, mut section) = (false, false, None);
        let (mut refs, mut defs) = (Vec::new(), Vec::new());
        for (n, line) in text.lines().enumerate() {
            if n == 0 && line == "---" {
                frontmatter = true;
                continue;
            }
            if frontmatter {
                if line == "---" {
                    frontmatter = false;
                } else if let Some(rest) = line
                    .strip_prefix("up:")
                    .or(line.strip_prefix("  - \"[[").map(|_| line))
                {
                    for raw in rest.split("[[").skip(1) {
                        let raw = raw.split("]]").next().unwrap();
                        if let Some(dst) = check(raw, &mut scan) {
                            *edges.entry((path, Rel::Up, dst)).or_default() += 1;
                            scan.typed += 1;
                        }
                    }
                }
                continue;
            }
            if line.starts_with("```") {
                in_code = !in_code;
                continue;
            }
            if in_code {
                continue;
            }
            if line.starts_with('#') {
                section = match line.trim_start_matches('#').trim() {
                    "Upstream" | "1️⃣ Вышестоящие идеи" => Some(Rel::Up),
                    "Downstream" | "2️⃣ Нижестоящие идеи" => Some(Rel::Down),
                    "Related" | "3️⃣ Прямо относящиеся к этой заметке" => {
                        Some(Rel::Related)
                    }
                    _ => None,
                };
            }
            for raw in line.split("[[").skip(1) {
                let raw = raw.split("]]").next().unwrap();
                let dst = check(raw, &mut scan);
                if let (Some(rel), Some(dst)) = (section, dst)
                    && line.starts_with("- [[")
                {
                    *edges.entry((path, rel, dst)).or_default() += 1;
                    scan.typed += 1;
                }
            }
            for raw in line.split("](").skip(1) {
                let url = percent_decode(raw.split(')').next().unwrap());
                let (file, anchor) = url.split_once('#').unwrap_or((&url, ""));
                let full = normalize(&format!("{folder}/{file}"));
                let full = full.trim_end_matches(".md");
                let raw = if anchor.is_empty() {
                    full.to_string()
                } else {
                    format!("{full}#{anchor}")
                };
                check(&raw, &mut scan);
            }
            if let Some(def) = line.strip_prefix("[^") {
                defs.push(def.split(']').next().unwrap().to_string());
            } else {
                for r in line.split("[^").skip(1) {
                    refs.push(r.split(']').next().unwrap().to_string());
                }
            }
        }
        refs.sort();
        refs.dedup();
        defs.sort();
        if refs != defs {
            scan.footnote_problems += 1;
        }
    }
    for (&(a, rel, b), &count) in &edges {
        assert_eq!(count, 1, "{a} lists {b} twice as {rel:?}");
        let back = match rel {
            Rel::Up => Rel::Down,
            Rel::Down => Rel::Up,
            Rel::Related => Rel::Related,
        };
        if !edges.contains_key(&(b, back, a)) {
            scan.one_sided += 1;
        }
    }
    scan
}

#[test]
fn fifty_notes_are_counted_and_deterministic() {
    let opts = options(50, 7, 0.05, true);
    let first = tempfile::tempdir().unwrap();
    let stats = generate_vault(first.path(), &opts).unwrap();
    let tree = read_tree(first.path());

    let notes: Vec<_> = tree.iter().filter(|(p, _)| p.ends_with(".md")).collect();
    assert_eq!(stats.notes, 50);
    assert_eq!(notes.len(), 50);
    let bytes: usize = notes.iter().map(|(_, b)| b.len()).sum();
    assert_eq!(stats.bytes, bytes as u64);
    let pngs = tree.keys().filter(|p| p.ends_with(".png")).count();
    assert_eq!(stats.attachments, pngs);
    assert!(stats.attachments >= 1);
    let folders: HashSet<&str> = notes
        .iter()
        .filter_map(|(p, _)| p.rsplit_once('/').map(|(f, _)| f))
        .collect();
    assert!(folders.len() <= stats.folders && stats.folders >= 2);
    assert!(tree.contains_key(".obsidian/app.json"));
    assert!(stats.links >= 50 * 5, "{stats:?}");
    assert!(stats.typed_links > 0 && stats.broken_links > 0, "{stats:?}");
    assert!(notes.iter().any(|(_, b)| {
        let text = std::str::from_utf8(b).unwrap();
        text.contains('ё') || text.contains("ая ") || text.contains("ие")
    }));

    let second = tempfile::tempdir().unwrap();
    assert_eq!(generate_vault(second.path(), &opts).unwrap(), stats);
    assert!(
        read_tree(second.path()) == tree,
        "same seed, different vault"
    );

    let other = tempfile::tempdir().unwrap();
    generate_vault(other.path(), &options(50, 8, 0.05, true)).unwrap();
    assert!(
        read_tree(other.path()) != tree,
        "different seeds, same vault"
    );
}

#[test]
fn links_resolve_except_the_broken_ones() {
    for opts in [
        options(60, 3, 0.0, true),
        options(400, 11, 0.03, true),
        options(300, 5, 0.1, false),
        options(1, 1, 0.0, true),
    ] {
        let dir = tempfile::tempdir().unwrap();
        let stats = generate_vault(dir.path(), &opts).unwrap();
        let scan = scan(&read_tree(dir.path()));
        let expected = Scan {
            links: stats.links,
            broken: stats.broken_links,
            typed: stats.typed_links,
            one_sided: stats.nonreciprocal,
            footnote_problems: 0,
        };
        assert_eq!(scan, expected, "{opts:?}");
        if opts.broken_link_ratio == 0.0 {
            assert_eq!(stats.broken_links, 0);
        }
        if opts.typed_links && opts.notes > 1 {
            assert!(stats.typed_links > opts.notes / 2, "{stats:?}");
            assert!(stats.nonreciprocal * 10 < stats.typed_links, "{stats:?}");
        } else {
            assert_eq!(stats.typed_links, 0);
        }
    }
}

#[test]
fn frontmatter_is_yaml_with_string_names() {
    let dir = tempfile::tempdir().unwrap();
    generate_vault(dir.path(), &options(500, 2, 0.02, true)).unwrap();
    let mut checked = 0;
    for (path, bytes) in read_tree(dir.path()) {
        if !path.ends_with(".md") {
            continue;
        }
        let text = std::str::from_utf8(&bytes).unwrap();
        let Some(rest) = text.strip_prefix("---\n") else {
            continue;
        };
        let yaml = &rest[..rest.find("\n---\n").unwrap() + 1];
        let map: BTreeMap<String, serde_json::Value> =
            serde_saphyr::from_str(yaml).unwrap_or_else(|e| panic!("{path}: {e}\n{yaml}"));
        for key in ["aliases", "tags", "up"] {
            if let Some(value) = map.get(key) {
                let items = value.as_array().map_or(vec![value], |a| a.iter().collect());
                assert!(
                    items.iter().all(|v| v.is_string()),
                    "{path}: {key}: {value}"
                );
            }
        }
        for key in ["title", "description"] {
            assert!(map.get(key).is_none_or(|v| v.is_string()), "{path}: {key}");
        }
        checked += 1;
    }
    assert!(checked > 400, "{checked}");
}

#[test]
fn block_ids_and_journal_dates_are_well_formed() {
    for word in EN_NOUNS {
        assert!(
            word.bytes().all(|b| b.is_ascii_lowercase() || b == b'-'),
            "{word}"
        );
    }
    assert_eq!(journal_date(1), "2021-01-01");
    assert_eq!(journal_date(32), "2021-02-01");
    assert_eq!(journal_date(365), "2021-12-31");
    assert_eq!(journal_date(366), "2022-01-01");
    assert_eq!(initials("Global workspace theory"), "GWT");
}
