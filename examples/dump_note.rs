use std::sync::Arc;
fn main() {
    let path = std::env::args().nth(1).unwrap();
    let text = std::fs::read_to_string(&path).unwrap();
    let note = twin::note::parse_note(Arc::from("x.md"), Arc::from(text.as_str()));
    let t = &note.text;
    for h in &note.headings { println!("H{} {:?} span={:?} text_span={:?}", h.level, h.text, &t[h.span.range()], &t[h.text_span.range()]); }
    for l in &note.links { println!("LINK {:?} embed={} {:?} target={:?} ts={:?} anchor={:?} display={:?} span={:?}", l.kind, l.embed, l.source, l.target, &t[l.target_span.range()], l.anchor, l.display, &t[l.span.range()]); }
    for x in &note.tags { println!("TAG {:?} {:?} {:?}", x.name, &t[x.span.range()], x.source); }
    for x in &note.block_ids { println!("BLOCK {:?} {:?} block={:?}", x.id, &t[x.span.range()], &t[x.block_span.range()]); }
    for x in &note.footnote_refs { println!("FREF {:?} {:?}", x.label, &t[x.span.range()]); }
    for x in &note.footnote_defs { println!("FDEF {:?} {:?} {:?} malformed={}", x.label, &t[x.span.range()], x.content, x.malformed); }
    for x in &note.callouts { println!("CALLOUT {:?}", x); }
    for x in &note.comments { println!("COMMENT {:?}", &t[x.range()]); }
    for x in &note.problems { println!("PROBLEM {:?} {:?} {:?}", x.kind, &t[x.span.range()], x.message); }
    if let Some(fm) = &note.frontmatter { println!("FM title={:?} desc={:?} aliases={:?}", fm.title, fm.description, fm.aliases); for e in &fm.entries { println!("  {:?} {:?} = {:?} @ {:?}", e.key, &t[e.key_span.range()], e.value.value, &t[e.value.span.range()]); } }
}
