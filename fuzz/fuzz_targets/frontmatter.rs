//! Fuzz target: arbitrary bytes between frontmatter fences. The YAML readers (the fast
//! path and serde-saphyr with its budgets) never panic, and every span they return lies
//! inside the frontmatter, on character boundaries.
#![no_main]

use libfuzzer_sys::fuzz_target;
use twin::note::{Spanned, YamlValue, parse_note};
use twin::text::Span;

fuzz_target!(|data: &[u8]| {
    let yaml = String::from_utf8_lossy(data);
    let text = format!("---\n{yaml}\n---\n# Body\n");
    let note = parse_note("fm.md".into(), text.as_str().into());
    let inside = |span: Span, within: Span, what: &str| {
        assert!(
            within.start <= span.start && span.start <= span.end && span.end <= within.end,
            "{what} {span:?} outside {within:?}"
        );
        assert!(text.is_char_boundary(span.start as usize) && text.is_char_boundary(span.end as usize));
    };
    let whole = Span::new(0, text.len());
    if let Some(fm) = &note.frontmatter {
        let body_end = text.len() - "# Body\n".len();
        inside(fm.span, Span::new(0, body_end), "frontmatter");
        inside(fm.body_span, fm.span, "frontmatter body");
        for entry in &fm.entries {
            inside(entry.key_span, fm.body_span, "key");
            value_inside(&entry.value, fm.body_span, &inside);
            assert!(fm.get(&entry.key).is_some());
        }
        for alias in &fm.aliases {
            inside(alias.span, fm.body_span, "alias");
        }
    }
    for tag in &note.tags {
        inside(tag.span, whole, "tag");
    }
    for link in &note.links {
        inside(link.target_span, whole, "link target");
    }
    for problem in &note.problems {
        inside(problem.span, whole, "problem");
    }
    let _ = note.title();
});

fn value_inside(value: &Spanned<YamlValue>, body: Span, inside: &impl Fn(Span, Span, &str)) {
    inside(value.span, body, "value");
    match &value.value {
        YamlValue::List(items) => items.iter().for_each(|v| value_inside(v, body, inside)),
        YamlValue::Map(entries) => {
            for (key, v) in entries {
                inside(key.span, body, "nested key");
                value_inside(v, body, inside);
            }
        }
        _ => {}
    }
}
