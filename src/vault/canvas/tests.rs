//! Reading canvases: file nodes, text-card links mapped into the JSON text, bad JSON.

use super::*;

#[test]
fn file_nodes_and_card_links_are_read_with_their_spans() {
    let text = r#"{
	"nodes":[
		{"id":"a","type":"file","file":"Notes/Kept.md","x":0,"y":0,"width":400,"height":400},
		{"id":"b","type":"text","text":"See [[Card link#Part|shown]]\nand ![[pic.png]] and `[[not a link]]`","x":0,"y":0,"width":400,"height":400},
		{"id":"c","type":"file","file":"pics/\u00fc \"q\".png","x":0,"y":0,"width":1,"height":1},
		{"id":"d","type":"link","url":"https://obsidian.md"},
		{"type":"text","id":"e","text":"---\nup: \"[[Property]]\"\n---\n[\u00e9t\u00e9](\u00c9t\u00e9.md)"}
	],
	"edges":[]
}"#;
    let canvas = parse_canvas("Board.canvas".into(), text);
    assert_eq!(canvas.problem, None);
    let files: Vec<(&str, &str)> = canvas
        .files
        .iter()
        .map(|f| (f.file.as_str(), &text[f.span.range()]))
        .collect();
    assert_eq!(
        files,
        [
            ("Notes/Kept.md", "Notes/Kept.md"),
            ("pics/ü \"q\".png", r#"pics/\u00fc \"q\".png"#)
        ]
    );
    let links: Vec<(&str, &str, &str, bool)> = canvas
        .links
        .iter()
        .map(|l| {
            (
                l.written.as_str(),
                &text[l.link.target_span.range()],
                &text[l.link.span.range()],
                l.link.embed,
            )
        })
        .collect();
    assert_eq!(
        links,
        [
            ("Card link", "Card link", "[[Card link#Part|shown]]", false),
            ("pic.png", "pic.png", "![[pic.png]]", true),
            (
                "Été.md",
                r"\u00c9t\u00e9.md",
                r"[\u00e9t\u00e9](\u00c9t\u00e9.md)",
                false
            ),
        ]
    );
    let anchor = canvas.links[0].link.anchor.as_ref().unwrap();
    assert_eq!(&text[anchor.span.range()], "Part");
}

#[test]
fn text_that_is_not_json_is_one_problem_at_its_place() {
    let text = "{\n  \"nodes\": [\n    {\"type\": \"file\" \"file\": \"a.md\"}\n  ]\n}";
    let canvas = parse_canvas("Bad.canvas".into(), text);
    let problem = canvas.problem.expect("a problem");
    assert_eq!(
        problem.span.start as usize,
        text.find("\"file\": ").unwrap()
    );
    assert!(
        problem.message.starts_with("expected"),
        "{}",
        problem.message
    );
    assert!(canvas.files.is_empty() && canvas.links.is_empty());
    for text in [
        "",
        " \n",
        "\u{feff}{}",
        "[]",
        r#"{"nodes":3}"#,
        r#"{"nodes":[{"type":"file"}]}"#,
    ] {
        let canvas = parse_canvas("x.canvas".into(), text);
        assert!(
            canvas.problem.is_none() && canvas.files.is_empty(),
            "{text:?}"
        );
    }
    for text in ["not json", "{\"nodes\":[", "\u{feff}{,}", "{\"a\":\"\u{e9}"] {
        let problem = parse_canvas("x.canvas".into(), text).problem.expect(text);
        assert!(
            text.is_char_boundary(problem.span.start as usize),
            "{text:?}"
        );
    }
    assert!(is_canvas("a/B.Canvas") && !is_canvas(".canvas") && !is_canvas("a.md"));
}
