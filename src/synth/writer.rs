//! Writes one planned note: frontmatter, prose with links, blocks, footnotes, link sections.

use std::fmt::Write as _;

use super::lexicon::*;
use super::plan::*;
use super::rng::*;
use super::*;

pub(crate) struct NoteWriter<'a> {
    pub(crate) plan: &'a Plan,
    pub(crate) opts: &'a SynthOptions,
    pub(crate) id: usize,
    pub(crate) note: &'a NotePlan,
    pub(crate) rng: Rng,
    pub(crate) out: String,
    pub(crate) stats: SynthStats,
    /// Prose bytes still to write before the next link.
    pub(crate) until_link: usize,
    /// Footnote references written so far; each gets a definition at the end.
    pub(crate) footnotes: usize,
    pub(crate) max_footnotes: usize,
}

impl<'a> NoteWriter<'a> {
    pub(crate) fn new(plan: &'a Plan, opts: &'a SynthOptions, id: usize) -> NoteWriter<'a> {
        let mut rng = Rng::derive(opts.seed, STREAM_NOTE, id as u64);
        let until_link = rng.range(40, 400);
        let max_footnotes = rng.below(5);
        let note = &plan.notes[id];
        NoteWriter {
            plan,
            opts,
            id,
            note,
            rng,
            out: String::with_capacity(note.size + 2048),
            stats: SynthStats {
                notes: 1,
                ..SynthStats::default()
            },
            until_link,
            footnotes: 0,
            max_footnotes,
        }
    }

    pub(crate) fn write(mut self) -> (String, SynthStats) {
        if self.note.is_index {
            self.write_index();
        } else {
            self.write_frontmatter();
            self.write_body();
            if self.opts.typed_links {
                self.write_typed_sections();
            }
            self.write_footnote_definitions();
        }
        self.stats.bytes = self.out.len() as u64;
        (self.out, self.stats)
    }

    pub(crate) fn write_index(&mut self) {
        let plan = self.plan;
        let folder = &plan.folders[self.note.folder];
        let title = if folder.ru {
            "Оглавление"
        } else {
            "Index"
        };
        let _ = write!(
            self.out,
            "---\ntags:\n  - meta/map\ndescription: {} {}\n---\n\n# {title}\n\n",
            if folder.ru {
                "Карта заметок папки"
            } else {
                "Map of the notes in"
            },
            folder.path
        );
        if !folder.subfolders.is_empty() {
            self.out.push_str("## Subfolders\n\n");
            for &sub in &folder.subfolders {
                if let Some(index) = plan.folders[sub].index {
                    self.out.push_str("- ");
                    self.link_to(|_| plan.link_target(index as usize));
                    self.out.push('\n');
                }
            }
            self.out.push('\n');
        }
        self.out.push_str("## Notes\n\n");
        for &member in &folder.members {
            self.out.push_str("- ");
            self.link_to(|_| plan.notes[member as usize].name.clone());
            self.out.push('\n');
        }
    }

    pub(crate) fn write_frontmatter(&mut self) {
        let note = self.note;
        let up_property = self.opts.typed_links && note.up_in_frontmatter;
        if !up_property && note.aliases.is_empty() && self.rng.chance(0.1) {
            return;
        }
        self.out.push_str("---\n");
        if self.rng.chance(0.1) {
            let _ = writeln!(self.out, "title: \"{}\"", note.name);
        }
        if !note.aliases.is_empty() {
            self.out.push_str("aliases:\n");
            for alias in &note.aliases {
                let _ = writeln!(self.out, "  - {alias}");
            }
        }
        self.out.push_str("tags:\n");
        let mut tags: Vec<usize> = Vec::with_capacity(4);
        for _ in 0..self.rng.range(1, 4) {
            let tag = self.rng.skewed(self.plan.tags.len());
            if !tags.contains(&tag) {
                tags.push(tag);
                let _ = writeln!(self.out, "  - {}", self.plan.tags[tag]);
            }
        }
        self.out.push_str("description: ");
        self.plain_sentence(12);
        self.out.push('\n');
        let _ = writeln!(
            self.out,
            "created: 20{}-{:02}-{:02}",
            self.rng.range(19, 25),
            self.rng.range(1, 12),
            self.rng.range(1, 28)
        );
        if up_property {
            if let [single] = note.up[..] {
                let _ = writeln!(
                    self.out,
                    "up: \"[[{}]]\"",
                    self.plan.link_target(single as usize)
                );
            } else {
                self.out.push_str("up:\n");
                for &p in &note.up {
                    let _ = writeln!(
                        self.out,
                        "  - \"[[{}]]\"",
                        self.plan.link_target(p as usize)
                    );
                }
            }
            self.stats.links += note.up.len();
            self.stats.typed_links += note.up.len();
        }
        self.out.push_str("---\n\n");
    }

    pub(crate) fn write_body(&mut self) {
        let note = self.note;
        if self.rng.chance(0.5) {
            let _ = writeln!(self.out, "# {}\n", note.name);
        }
        let start = self.out.len();
        self.paragraph();
        let sections = note.headings.len();
        for (s, heading) in note.headings.iter().enumerate() {
            let level = if s == 0 || self.rng.chance(0.65) {
                "##"
            } else {
                "###"
            };
            let _ = write!(self.out, "\n{level} {heading}\n\n");
            let target_end = start + note.size * (s + 1) / sections;
            loop {
                match self.rng.below(100) {
                    0..70 => self.paragraph(),
                    70..88 => self.list(),
                    88..94 => self.callout(),
                    94..97 => self.code_block(),
                    _ => self.table(),
                }
                if self.out.len() >= target_end {
                    break;
                }
                self.out.push('\n');
            }
            for (_, id) in note.blocks.iter().filter(|(section, _)| *section == s) {
                self.out.push('\n');
                if self.rng.chance(0.5) {
                    self.out.push_str("- ");
                }
                self.sentence();
                let _ = writeln!(self.out, " ^{id}");
            }
        }
    }

    /// 2–6 sentences and a newline; sometimes a trailing tag.
    pub(crate) fn paragraph(&mut self) {
        for k in 0..self.rng.range(2, 6) {
            if k > 0 {
                self.out.push(' ');
            }
            self.sentence();
            if self.footnotes < self.max_footnotes && self.rng.chance(0.06) {
                self.footnotes += 1;
                let _ = write!(self.out, "[^{}]", self.footnotes);
            }
        }
        if self.rng.chance(0.12) {
            let tag = &self.plan.tags[self.rng.skewed(self.plan.tags.len())];
            let _ = write!(self.out, " #{tag}");
        }
        self.out.push('\n');
    }

    pub(crate) fn list(&mut self) {
        let ordered = self.rng.chance(0.3);
        for k in 1..=self.rng.range(2, 6) {
            if ordered {
                let _ = write!(self.out, "{k}. ");
            } else {
                self.out.push_str("- ");
            }
            self.sentence();
            self.out.push('\n');
        }
    }

    pub(crate) fn callout(&mut self) {
        let kind = self.rng.pick(&["note", "tip", "warning", "quote"]);
        let _ = write!(self.out, "> [!{kind}]\n> ");
        self.sentence();
        self.out.push_str("\n> ");
        self.sentence();
        self.out.push('\n');
    }

    /// A fenced block whose link-like text is not a link.
    pub(crate) fn code_block(&mut self) {
        let name = phrase(&mut self.rng, self.note.ru, 3);
        let tag = self.rng.pick(EN_NOUNS);
        let _ = writeln!(
            self.out,
            "```markdown\n- [[{name}]] is written as code, so #{tag} is not a tag either\n```"
        );
    }

    pub(crate) fn table(&mut self) {
        let lex = lexicon(self.note.ru);
        self.out.push_str("| ");
        push_capitalized(&mut self.out, self.rng.pick(lex.nouns));
        self.out.push_str(" | ");
        push_capitalized(&mut self.out, self.rng.pick(lex.nouns));
        self.out.push_str(" |\n|---|---|\n");
        for _ in 0..self.rng.range(2, 4) {
            let _ = writeln!(
                self.out,
                "| {} | {} |",
                self.rng.pick(lex.adjectives),
                self.rng.pick(lex.nouns)
            );
        }
    }

    /// A sentence of 5–16 words with links where the link budget runs out.
    pub(crate) fn sentence(&mut self) {
        let lex = lexicon(self.note.ru);
        let words = self.rng.range(5, 16);
        for w in 0..words {
            if w > 0 {
                self.out.push(' ');
            }
            if self.until_link == 0 {
                self.link();
                self.until_link = self.rng.range(120, 460);
                continue;
            }
            let before = self.out.len();
            let word = match self.rng.below(10) {
                0..4 => lex.function[self.rng.skewed(lex.function.len())],
                4..7 => lex.nouns[self.rng.skewed(lex.nouns.len())],
                7..9 => lex.adjectives[self.rng.skewed(lex.adjectives.len())],
                _ => lex.verbs[self.rng.below(lex.verbs.len())],
            };
            if w == 0 {
                push_capitalized(&mut self.out, word);
            } else {
                self.out.push_str(word);
            }
            if w + 1 < words && self.rng.chance(0.06) {
                self.out.push(',');
            }
            self.until_link = self.until_link.saturating_sub(self.out.len() - before + 1);
        }
        self.out.push(if self.rng.chance(0.08) { '?' } else { '.' });
    }

    /// A sentence without links (for frontmatter).
    pub(crate) fn plain_sentence(&mut self, words: usize) {
        let lex = lexicon(self.note.ru);
        for w in 0..words {
            let word = match self.rng.below(3) {
                0 => lex.function[self.rng.below(lex.function.len())],
                1 => lex.adjectives[self.rng.below(lex.adjectives.len())],
                _ => lex.nouns[self.rng.below(lex.nouns.len())],
            };
            if w == 0 {
                push_capitalized(&mut self.out, word);
            } else {
                self.out.push(' ');
                self.out.push_str(word);
            }
        }
        self.out.push('.');
    }

    /// Another note: often in the same folder, often a popular one.
    pub(crate) fn pick_target(&mut self) -> Option<usize> {
        let n = self.plan.notes.len();
        let members = &self.plan.folders[self.note.folder].members;
        for _ in 0..4 {
            let t = match self.rng.below(100) {
                0..45 if !members.is_empty() => self.rng.pick(members) as usize,
                45..70 => self.rng.skewed(n),
                _ => self.rng.below(n),
            };
            if t != self.id {
                return Some(t);
            }
        }
        None
    }

    /// Counts a link about to be written and decides whether it is one of the broken ones;
    /// if so, writes the broken link.
    pub(crate) fn broken(&mut self) -> bool {
        self.stats.links += 1;
        let broken =
            self.opts.broken_link_ratio > 0.0 && self.rng.chance(self.opts.broken_link_ratio);
        if broken {
            self.stats.broken_links += 1;
            self.broken_link();
        }
        broken
    }

    /// `[[target]]` for a target that exists, unless the link is one of the broken ones.
    pub(crate) fn link_to(&mut self, target: impl FnOnce(&Plan) -> String) {
        if !self.broken() {
            let _ = write!(self.out, "[[{}]]", target(self.plan));
        }
    }

    /// A link in prose: to another note, a heading, a block, an attachment, or this note.
    pub(crate) fn link(&mut self) {
        if self.broken() {
            return;
        }
        let plan = self.plan;
        let Some(t) = self.pick_target() else {
            // A one-note vault: link to the note's own first heading, or to itself by path.
            match self.note.headings.first() {
                Some(h) => {
                    let _ = write!(self.out, "[[#{h}]]");
                }
                None => {
                    let _ = write!(self.out, "[[{}]]", plan.note_path(self.id));
                }
            }
            return;
        };
        let target = &plan.notes[t];
        let name = plan.link_target(t);
        let lex = lexicon(self.note.ru);
        match self.rng.below(100) {
            40..53 => {
                let display = self.rng.pick(lex.nouns);
                let _ = write!(self.out, "[[{name}|{display}]]");
            }
            53..72 if !target.headings.is_empty() => {
                let h = &target.headings[self.rng.below(target.headings.len())];
                if self.rng.chance(0.25) {
                    let display = self.rng.pick(lex.nouns);
                    let _ = write!(self.out, "[[{name}#{h}|{display}]]");
                } else {
                    let _ = write!(self.out, "[[{name}#{h}]]");
                }
            }
            72..78 if !target.blocks.is_empty() => {
                let (_, id) = &target.blocks[self.rng.below(target.blocks.len())];
                let _ = write!(self.out, "[[{name}#^{id}]]");
            }
            // Index notes share a name; a markdown link to one would depend on how a reader
            // resolves `Index.md`, so they only get path wikilinks.
            78..90 if !target.is_index => self.markdown_link(t),
            90..94 if !plan.attachments.is_empty() => {
                let file = &plan.attachments[self.rng.skewed(plan.attachments.len())];
                if self.rng.chance(0.3) {
                    let _ = write!(self.out, "![[{file}|{}]]", 100 * self.rng.range(2, 6));
                } else {
                    let _ = write!(self.out, "![[{file}]]");
                }
            }
            94..97 if !target.blocks.is_empty() => {
                let (_, id) = &target.blocks[self.rng.below(target.blocks.len())];
                let _ = write!(self.out, "![[{name}#^{id}]]");
            }
            97..100 if !self.note.headings.is_empty() => {
                let h = &self.note.headings[self.rng.below(self.note.headings.len())];
                let _ = write!(self.out, "[[#{h}]]");
            }
            _ => {
                let _ = write!(self.out, "[[{name}]]");
            }
        }
    }

    /// `[text](relative/path%20encoded.md)`, sometimes with a `#heading`.
    pub(crate) fn markdown_link(&mut self, t: usize) {
        let plan = self.plan;
        let target = &plan.notes[t];
        let from = &plan.folders[self.note.folder].path;
        let to = &plan.folders[target.folder].path;
        let from_parts: Vec<&str> = from.split('/').collect();
        let to_parts: Vec<&str> = to.split('/').collect();
        let common = from_parts
            .iter()
            .zip(&to_parts)
            .take_while(|(a, b)| a == b)
            .count();
        self.out.push('[');
        self.out
            .push_str(self.rng.pick(lexicon(self.note.ru).nouns));
        self.out.push_str("](");
        for _ in common..from_parts.len() {
            self.out.push_str("../");
        }
        for part in &to_parts[common..] {
            push_url_encoded(&mut self.out, part);
            self.out.push('/');
        }
        push_url_encoded(&mut self.out, &target.name);
        self.out.push_str(".md");
        if !target.headings.is_empty() && self.rng.chance(0.15) {
            self.out.push('#');
            let h = &target.headings[self.rng.below(target.headings.len())];
            push_url_encoded(&mut self.out, h);
        }
        self.out.push(')');
    }

    /// A link to a note, heading or block that does not exist.
    pub(crate) fn broken_link(&mut self) {
        let plan = self.plan;
        let kind = self.rng.below(100);
        let target = self.pick_target().filter(|&t| !plan.notes[t].is_index);
        match (kind, target) {
            (60..85, Some(t)) => {
                let headings = &plan.notes[t].headings;
                let missing = loop {
                    let h = heading_text(&mut self.rng, self.note.ru);
                    if !headings
                        .iter()
                        .any(|x| x.to_lowercase() == h.to_lowercase())
                    {
                        break h;
                    }
                };
                let _ = write!(self.out, "[[{}#{missing}]]", plan.notes[t].name);
            }
            (85..100, Some(t)) => {
                // Real ids are `<word>-<digit>`; `gone-…` never is one.
                let _ = write!(
                    self.out,
                    "[[{}#^gone-{:x}]]",
                    plan.notes[t].name,
                    self.rng.next_u64() & 0xffff
                );
            }
            _ => {
                let missing = loop {
                    let name = phrase(&mut self.rng, self.note.ru, 3);
                    if !plan.taken.contains(&name.to_lowercase()) {
                        break name;
                    }
                };
                let _ = write!(self.out, "[[{missing}]]");
            }
        }
    }

    pub(crate) fn write_typed_sections(&mut self) {
        let note = self.note;
        let up: &[u32] = if note.up_in_frontmatter {
            &[]
        } else {
            &note.up
        };
        if up.is_empty() && note.down.is_empty() && note.related.is_empty() {
            return;
        }
        let titles = if note.ru {
            self.out.push_str("\n---\n## 🔗 Блок ссылок\n");
            [
                "### 1️⃣ Вышестоящие идеи",
                "### 2️⃣ Нижестоящие идеи",
                "### 3️⃣ Прямо относящиеся к этой заметке",
            ]
        } else {
            ["## Upstream", "## Downstream", "## Related"]
        };
        for (title, ids) in titles.into_iter().zip([up, &note.down, &note.related]) {
            if ids.is_empty() {
                continue;
            }
            let _ = write!(self.out, "\n{title}\n\n");
            for &id in ids {
                let _ = write!(self.out, "- [[{}]] – ", self.plan.link_target(id as usize));
                let words = self.rng.range(4, 10);
                self.plain_sentence(words);
                self.out.push('\n');
            }
            self.stats.links += ids.len();
            self.stats.typed_links += ids.len();
        }
    }

    pub(crate) fn write_footnote_definitions(&mut self) {
        if self.footnotes == 0 {
            return;
        }
        self.out.push_str(if self.note.ru {
            "\n#### 📚 Источники\n\n"
        } else {
            "\n## Sources\n\n"
        });
        for k in 1..=self.footnotes {
            let _ = write!(self.out, "[^{k}]: ");
            match self.pick_target() {
                Some(t) if self.rng.chance(0.7) => self.link_to(|plan| plan.link_target(t)),
                _ => {
                    let lex = lexicon(self.note.ru);
                    push_capitalized(&mut self.out, self.rng.pick(lex.nouns));
                    let _ = write!(self.out, " {}", 1950 + self.rng.below(75));
                }
            }
            let _ = writeln!(self.out, ", p. {}.", self.rng.range(1, 400));
        }
    }
}
