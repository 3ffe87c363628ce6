//! The plan of a synthetic vault: folders, notes, names, headings, blocks and typed relations.

use std::collections::HashSet;
use std::fmt::Write as _;

use super::lexicon::*;
use super::rng::*;
use super::*;

pub(crate) struct Folder {
    /// Vault-relative, `/`-separated.
    pub(crate) path: String,
    pub(crate) ru: bool,
    pub(crate) journal: bool,
    /// Regular notes in this folder, in creation order.
    pub(crate) members: Vec<u32>,
    pub(crate) subfolders: Vec<usize>,
    /// The folder's `Index` note, when the vault has them.
    pub(crate) index: Option<u32>,
}

pub(crate) struct NotePlan {
    pub(crate) folder: usize,
    /// File name without `.md`.
    pub(crate) name: String,
    pub(crate) ru: bool,
    /// A folder's `Index` note: a map of its notes. There is one per folder, so the name is
    /// shared and links use the path.
    pub(crate) is_index: bool,
    pub(crate) aliases: Vec<String>,
    /// Section headings in document order (the note's `#` title, if any, is not one of them).
    pub(crate) headings: Vec<String>,
    /// Block ids with the section they end up in.
    pub(crate) blocks: Vec<(usize, String)>,
    /// Target size of the prose in bytes.
    pub(crate) size: usize,
    pub(crate) up: Vec<u32>,
    pub(crate) down: Vec<u32>,
    pub(crate) related: Vec<u32>,
    /// Upstream ideas go into an `up:` property instead of an `## Upstream` section.
    pub(crate) up_in_frontmatter: bool,
}

pub(crate) struct Plan {
    pub(crate) folders: Vec<Folder>,
    pub(crate) notes: Vec<NotePlan>,
    /// Lower-cased names and aliases: a missing-note link must avoid all of them.
    pub(crate) taken: HashSet<String>,
    pub(crate) attachments: Vec<String>,
    pub(crate) tags: Vec<String>,
    pub(crate) nonreciprocal: usize,
}

impl Plan {
    pub(crate) fn new(opts: &SynthOptions) -> Plan {
        let mut rng = Rng::derive(opts.seed, STREAM_PLAN, 0);
        let n = opts.notes;
        let mut plan = Plan {
            folders: plan_folders(&mut rng, folder_count(n)),
            notes: Vec::with_capacity(n),
            taken: HashSet::with_capacity(n * 5 / 4),
            attachments: Vec::new(),
            tags: plan_tags(&mut rng),
            nonreciprocal: 0,
        };
        if n == 0 {
            return plan;
        }
        let attachments = (n / 400).clamp(1, 40);
        plan.attachments = (1..=attachments)
            .map(|k| format!("figure-{k:03}.png"))
            .collect();

        let with_index = n >= 4 * plan.folders.len();
        if with_index {
            for f in 0..plan.folders.len() {
                plan.folders[f].index = Some(plan.notes.len() as u32);
                plan.notes.push(NotePlan {
                    folder: f,
                    name: "Index".to_string(),
                    ru: plan.folders[f].ru,
                    is_index: true,
                    aliases: Vec::new(),
                    headings: Vec::new(),
                    blocks: Vec::new(),
                    size: 0,
                    up: Vec::new(),
                    down: Vec::new(),
                    related: Vec::new(),
                    up_in_frontmatter: false,
                });
            }
        }
        plan.taken.insert("index".to_string());
        let mut journal_day = 0;
        while plan.notes.len() < n {
            let id = plan.notes.len();
            let note = plan.regular_note(&mut rng, &mut journal_day);
            plan.folders[note.folder].members.push(id as u32);
            plan.notes.push(note);
            if opts.typed_links {
                plan.relate(&mut rng, id);
            }
        }
        plan
    }

    pub(crate) fn regular_note(&mut self, rng: &mut Rng, journal_day: &mut usize) -> NotePlan {
        let folders = self.folders.len();
        let folder = if rng.chance(0.5) {
            rng.below(folders)
        } else {
            rng.skewed(folders)
        };
        let ru = rng.chance(if self.folders[folder].ru { 0.8 } else { 0.15 });
        let base = if self.folders[folder].journal {
            *journal_day += 1;
            journal_date(*journal_day)
        } else {
            let mut base = phrase(rng, ru, 3);
            if rng.chance(0.04) {
                let lex = lexicon(ru);
                let _ = write!(base, " ({})", rng.pick(lex.adjectives));
            }
            base
        };
        let name = self.claim_name(&base);

        let mut aliases = Vec::new();
        if rng.chance(0.2) {
            for _ in 0..rng.range(1, 2) {
                let alias = if rng.chance(0.4) {
                    initials(&name)
                } else {
                    phrase(rng, ru, 2)
                };
                // Initials such as "ON" or "NO" would read as booleans to a YAML 1.1 reader.
                let yaml_word =
                    ["on", "no", "off", "yes", "null"].contains(&&*alias.to_lowercase());
                if alias.chars().count() >= 2
                    && !yaml_word
                    && self.taken.insert(alias.to_lowercase())
                {
                    aliases.push(alias);
                }
            }
        }

        // Prose size: 85% of notes 0.6–3.4 KB, 12% 3–8 KB, 3% 10–40 KB. Frontmatter, link
        // sections and footnotes come on top: about 4 KB per note in all.
        let size_class = rng.below(100);
        let size = match size_class {
            0..85 => 2000 * rng.range(300, 1700) / 1000,
            85..97 => 2000 * rng.range(1500, 4000) / 1000,
            _ => 2000 * rng.range(5000, 20000) / 1000,
        };
        let sections = (size / 700).clamp(1, 40);
        let mut headings: Vec<String> = Vec::with_capacity(sections);
        for _ in 0..sections {
            let mut h = heading_text(rng, ru);
            if headings.iter().any(|x| x.eq_ignore_ascii_case(&h)) {
                let _ = write!(h, " {}", headings.len() + 1);
            }
            headings.push(h);
        }
        let block_count = match rng.below(10) {
            0..4 => 0,
            4..7 => 1,
            7..9 => 2,
            _ => 3,
        };
        let mut blocks: Vec<(usize, String)> = Vec::with_capacity(block_count);
        for k in 0..block_count {
            let id = format!("{}-{}", rng.pick(EN_NOUNS), k + 1);
            blocks.push((rng.below(sections), id));
        }
        NotePlan {
            folder,
            name,
            ru,
            is_index: false,
            aliases,
            headings,
            blocks,
            size,
            up: Vec::new(),
            down: Vec::new(),
            related: Vec::new(),
            up_in_frontmatter: false,
        }
    }

    /// `base`, or `base 2`, `base 3`… whichever no other note or alias has taken.
    pub(crate) fn claim_name(&mut self, base: &str) -> String {
        if self.taken.insert(base.to_lowercase()) {
            return base.to_string();
        }
        (2..)
            .map(|k| format!("{base} {k}"))
            .find(|name| self.taken.insert(name.to_lowercase()))
            .expect("some suffix is free")
    }

    /// Typed relations of the newest note `id` with older notes: 0–2 upstream ideas
    /// (mostly from its own folder) and sometimes a related one. ~3% are one-sided.
    pub(crate) fn relate(&mut self, rng: &mut Rng, id: usize) {
        let parents = match rng.below(100) {
            0..15 => 0,
            15..80 => 1,
            _ => 2,
        };
        // Every note this one is already related to, on either side.
        let mut seen: Vec<u32> = Vec::with_capacity(4);
        for _ in 0..parents {
            if let Some(p) = self.older_note(rng, id, 0.7)
                && !seen.contains(&p)
            {
                seen.push(p);
                let (child_side, parent_side) = self.sides(rng);
                if child_side {
                    self.notes[id].up.push(p);
                }
                if parent_side {
                    self.notes[p as usize].down.push(id as u32);
                }
            }
        }
        if rng.chance(0.35) {
            for _ in 0..rng.range(1, 2) {
                if let Some(r) = self.older_note(rng, id, 0.4)
                    && !seen.contains(&r)
                {
                    seen.push(r);
                    let (mine, theirs) = self.sides(rng);
                    if mine {
                        self.notes[id].related.push(r);
                    }
                    if theirs {
                        self.notes[r as usize].related.push(id as u32);
                    }
                }
            }
        }
        self.notes[id].up_in_frontmatter = !self.notes[id].up.is_empty() && rng.chance(0.15);
    }

    /// Which sides of a relation get written: both, except ~3% of the time.
    pub(crate) fn sides(&mut self, rng: &mut Rng) -> (bool, bool) {
        match rng.below(200) {
            0..3 => {
                self.nonreciprocal += 1;
                (true, false)
            }
            3..6 => {
                self.nonreciprocal += 1;
                (false, true)
            }
            _ => (true, true),
        }
    }

    /// A regular note older than `id`: from the same folder with probability `local`.
    pub(crate) fn older_note(&self, rng: &mut Rng, id: usize, local: f64) -> Option<u32> {
        let members = &self.folders[self.notes[id].folder].members;
        // `members` ends with `id` itself.
        let older_here = &members[..members.len() - 1];
        if !older_here.is_empty() && rng.chance(local) {
            return Some(rng.pick(older_here));
        }
        let first_regular = self.folders.iter().filter(|f| f.index.is_some()).count();
        (id > first_regular).then(|| rng.range(first_regular, id - 1) as u32)
    }

    pub(crate) fn note_path(&self, id: usize) -> String {
        let note = &self.notes[id];
        format!("{}/{}.md", self.folders[note.folder].path, note.name)
    }

    /// How a link names note `id`: its name, or its path when the name is shared.
    pub(crate) fn link_target(&self, id: usize) -> String {
        let note = &self.notes[id];
        if note.is_index {
            format!("{}/Index", self.folders[note.folder].path)
        } else {
            note.name.clone()
        }
    }
}

/// About 20–50 folders for 10k–100k notes, fewer for small vaults.
pub(crate) fn folder_count(notes: usize) -> usize {
    let mut k = 1;
    while k * k * 6 < notes {
        k += 1;
    }
    k.clamp(2, 50)
}

/// Top-level areas first, then subfolders up to three levels deep.
pub(crate) fn plan_folders(rng: &mut Rng, count: usize) -> Vec<Folder> {
    let mut folders: Vec<Folder> = Vec::with_capacity(count);
    let tops = (count / 4).clamp(2, EN_TOP_FOLDERS.len() + RU_TOP_FOLDERS.len());
    let (mut en, mut ru_used) = (0, 0);
    for k in 0..tops {
        // Every third area is Russian, so that small vaults get one too.
        let (name, ru) = if k % 3 == 1 && ru_used < RU_TOP_FOLDERS.len() {
            ru_used += 1;
            (RU_TOP_FOLDERS[ru_used - 1], true)
        } else {
            en += 1;
            (EN_TOP_FOLDERS[en - 1], false)
        };
        folders.push(Folder {
            path: name.to_string(),
            ru,
            journal: name == "Journal",
            members: Vec::new(),
            subfolders: Vec::new(),
            index: None,
        });
    }
    while folders.len() < count {
        let parent = rng.below(folders.len());
        if folders[parent].path.matches('/').count() >= 2 || folders[parent].journal {
            continue;
        }
        let ru = folders[parent].ru;
        let mut name = String::new();
        push_capitalized(&mut name, rng.pick(lexicon(ru).nouns));
        let path = format!("{}/{}", folders[parent].path, name);
        if folders.iter().any(|f| f.path == path) {
            continue;
        }
        let id = folders.len();
        folders[parent].subfolders.push(id);
        folders.push(Folder {
            path,
            ru,
            journal: false,
            members: Vec::new(),
            subfolders: Vec::new(),
            index: None,
        });
    }
    folders
}

pub(crate) fn plan_tags(rng: &mut Rng) -> Vec<String> {
    let mut tags: Vec<String> = Vec::new();
    while tags.len() < 120 {
        let ru = rng.chance(0.25);
        let (areas, lex) = if ru {
            (RU_TAG_AREAS, &RU)
        } else {
            (TAG_AREAS, &EN)
        };
        let tag = if rng.chance(0.2) {
            rng.pick(lex.nouns).to_string()
        } else {
            format!("{}/{}", rng.pick(areas), rng.pick(lex.nouns))
        };
        if !tags.contains(&tag) {
            tags.push(tag);
        }
    }
    tags
}

/// A section heading: a phrase, sometimes a question, an emoji, or a parenthesised aside.
pub(crate) fn heading_text(rng: &mut Rng, ru: bool) -> String {
    let mut h = String::new();
    if rng.chance(0.06) {
        h.push_str(rng.pick(HEADING_EMOJI));
    }
    h.push_str(&phrase(rng, ru, 3));
    match rng.below(20) {
        0 | 1 => h.push('?'),
        2 => {
            let _ = write!(h, " ({})", rng.pick(lexicon(ru).nouns));
        }
        3 => {
            let _ = write!(h, " & {}", rng.pick(lexicon(ru).nouns));
        }
        4 => {
            let _ = write!(h, ", {}", rng.pick(lexicon(ru).adjectives));
        }
        _ => {}
    }
    h
}

/// Upper-case initials of a multi-word name ("Global Workspace Theory" → "GWT").
pub(crate) fn initials(name: &str) -> String {
    name.split(' ')
        .filter_map(|w| w.chars().next())
        .filter(|c| c.is_alphabetic())
        .flat_map(char::to_uppercase)
        .collect()
}

/// The `day`-th journal date from 2021-01-01, without leap days.
pub(crate) fn journal_date(day: usize) -> String {
    const MONTHS: [usize; 12] = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
    let mut rest = (day - 1) % 365;
    let year = 2021 + (day - 1) / 365;
    let mut month = 0;
    while rest >= MONTHS[month] {
        rest -= MONTHS[month];
        month += 1;
    }
    format!("{year}-{:02}-{:02}", month + 1, rest + 1)
}

/// Percent-encodes what a markdown link destination cannot hold as is.
pub(crate) fn push_url_encoded(out: &mut String, s: &str) {
    for c in s.chars() {
        match c {
            ' ' | '(' | ')' | '%' | '?' | '&' | '#' | '<' | '>' | '[' | ']' => {
                let _ = write!(out, "%{:02X}", c as u32);
            }
            _ => out.push(c),
        }
    }
}
