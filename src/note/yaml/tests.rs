//! Tests for the YAML reader: values, spans, errors and budgets.

use super::*;

fn map(yaml: &str, base: usize) -> Vec<(Spanned<String>, Spanned<YamlValue>)> {
    match parse(yaml, base).unwrap().unwrap().value {
        YamlValue::Map(m) => m,
        other => panic!("not a map: {other:?}"),
    }
}

#[test]
fn scalars_keep_their_written_form() {
    let yaml =
        "n: 1.50\nhex: 0x1F\nb: true\ny: yes\nnul: ~\nempty:\nd: 2025-08-24\ns: 'q'\nnan: .nan\n";
    let m = map(yaml, 0);
    let values: Vec<(&str, &YamlValue)> = m
        .iter()
        .map(|(k, v)| (k.value.as_str(), &v.value))
        .collect();
    assert_eq!(
        values,
        [
            ("n", &YamlValue::Number("1.50".into())),
            ("hex", &YamlValue::Number("0x1F".into())),
            ("b", &YamlValue::Bool(true)),
            ("y", &YamlValue::String("yes".into())),
            ("nul", &YamlValue::Null),
            ("empty", &YamlValue::Null),
            ("d", &YamlValue::String("2025-08-24".into())),
            ("s", &YamlValue::String("q".into())),
            ("nan", &YamlValue::Number(".nan".into())),
        ]
    );
}

#[test]
fn spans_are_offset_into_the_note() {
    let note = "---\r\nключ: значение 😀\r\nlist:\r\n  - \"a\"\r\n  - b\r\n---\r\n";
    let base = 5;
    let yaml = &note[base..note.rfind("---").unwrap()];
    let m = map(yaml, base);
    assert_eq!(&note[m[0].0.span.range()], "ключ");
    assert_eq!(&note[m[0].1.span.range()], "значение 😀");
    assert_eq!(m[1].0.value, "list");
    let YamlValue::List(items) = &m[1].1.value else {
        panic!()
    };
    assert_eq!(&note[items[0].span.range()], "\"a\"");
    assert_eq!(&note[items[1].span.range()], "b");
    // A block list spans from its first dash to its last item.
    assert_eq!(&note[m[1].1.span.range()], "- \"a\"\r\n  - b");
}

#[test]
fn nested_maps_and_non_string_keys() {
    let yaml = "outer:\n  inner: [1, two]\n3: x\ntrue: y\n";
    let m = map(yaml, 0);
    let keys: Vec<&str> = m.iter().map(|(k, _)| k.value.as_str()).collect();
    assert_eq!(keys, ["outer", "3", "true"]);
    let YamlValue::Map(inner) = &m[0].1.value else {
        panic!()
    };
    assert_eq!(inner[0].0.value, "inner");
    assert_eq!(
        inner[0].1.value,
        YamlValue::List(vec![
            Spanned {
                value: YamlValue::Number("1".into()),
                span: Span::new(17, 18)
            },
            Spanned {
                value: YamlValue::String("two".into()),
                span: Span::new(20, 23)
            },
        ])
    );
}

#[test]
fn duplicate_keys_pass_through() {
    let m = map("a: 1\na: 2\n", 0);
    assert_eq!(m.len(), 2);
    assert_eq!(m[1].0.span, Span::new(5, 6));
}

#[test]
fn empty_and_comment_only_documents() {
    assert!(parse("", 0).unwrap().is_none());
    assert!(parse("# just a comment\n", 0).unwrap().is_none());
}

#[test]
fn syntax_errors_have_a_position_and_one_line() {
    let e = parse("key: [unclosed\n", 0).unwrap_err();
    assert_eq!(e.offset, Some(5));
    assert_eq!(e.message, "unclosed bracket '['");
    let e = parse("a: 1\nb: c: d\n", 0).unwrap_err();
    assert_eq!(e.offset, Some(9));
    assert!(!e.message.contains('\n'));
    assert!(!e.message.contains("at line"));
    let e = parse("ж: 'x\n", 0).unwrap_err();
    assert_eq!(e.offset, Some(4));
}

#[test]
fn alias_bomb_fails_fast() {
    let bomb = "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n\
                b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\n\
                c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\n\
                d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\n\
                e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\n\
                f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\n\
                g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]\n\
                h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]\n\
                i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]\n";
    let start = crate::note::cpu_clock::Clock::start();
    let e = parse(bomb, 0).unwrap_err();
    assert!(start.secs() < 2.0, "took {:.2} s", start.secs());
    assert!(e.message.contains("alias"), "{}", e.message);
}

#[test]
fn deep_nesting_is_refused_not_overflowed() {
    let ok = format!(
        "a: {}x{}\n",
        "[".repeat(MAX_DEPTH - 2),
        "]".repeat(MAX_DEPTH - 2)
    );
    assert!(parse(&ok, 0).is_ok());
    let deep = format!("a: {}x{}\n", "[".repeat(10_000), "]".repeat(10_000));
    assert!(parse(&deep, 0).is_err());
    let block = format!(
        "a:\n{}x\n",
        (0..200)
            .map(|i| format!("{}- ", " ".repeat(i * 2)))
            .collect::<Vec<_>>()
            .join("\n")
    );
    assert!(parse(&block, 0).is_err());
}
