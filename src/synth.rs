//! Synthetic vaults for benchmarks and large-scale tests: N notes of realistic size and link density.
//!
//! [`generate_vault`] writes a vault that is a pure function of its [`SynthOptions`]: the same
//! options give the same files, byte for byte. It works in two steps:
//!
//! 1. **Plan**, sequentially from one PRNG: folders, note names, aliases, headings, block ids,
//!    target sizes and typed relations. Everything a link can point at is decided here.
//! 2. **Write**, one note at a time from its own PRNG stream, in parallel: frontmatter, prose
//!    with links, block ids, footnotes, typed link sections.
//!
//! Every link points at a note, heading, block or attachment the plan guarantees, except the
//! deliberately broken ones (`broken_link_ratio`), which name a missing note, heading or block.
//! Typed relations are acyclic (a note's upstream ideas are always older notes) and all but
//! about 3% are reciprocal.

use std::collections::HashSet;
use std::fmt::Write as _;
use std::fs;
use std::io;
use std::path::Path;

use rayon::prelude::*;

/// What [`generate_vault`] writes.
#[derive(Clone, Debug)]
pub struct SynthOptions {
    /// Number of markdown notes, folder index notes included.
    pub notes: usize,
    /// The same seed gives the same vault.
    pub seed: u64,
    /// Share of links that are broken on purpose (missing note, heading or block), e.g. `0.02`.
    /// Typed links always resolve, so that reciprocity stays exact; every other kind of link
    /// (prose, footnote definitions, index entries) breaks at this rate.
    pub broken_link_ratio: f64,
    /// Give notes typed link sections (`## Upstream` / `## Downstream` / `## Related`, or the
    /// Russian `### 1️⃣ Вышестоящие идеи` …) and some `up:` properties.
    pub typed_links: bool,
}

impl Default for SynthOptions {
    fn default() -> SynthOptions {
        SynthOptions {
            notes: 1000,
            seed: 1,
            broken_link_ratio: 0.02,
            typed_links: false,
        }
    }
}

/// What [`generate_vault`] wrote.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SynthStats {
    pub notes: usize,
    /// Bytes of markdown (attachments and `.obsidian/` not included).
    pub bytes: u64,
    /// Links to notes and attachments: wikilinks, embeds, markdown links, property links and
    /// links in footnote definitions. Links inside code and web links are not counted.
    pub links: usize,
    /// How many of `links` are broken on purpose.
    pub broken_links: usize,
    /// How many of `links` are typed: entries of link sections and of `up:` properties.
    pub typed_links: usize,
    /// Typed relations written on one side only (A lists B, B does not list A back).
    pub nonreciprocal: usize,
    pub folders: usize,
    pub attachments: usize,
}

impl SynthStats {
    fn add(mut self, other: SynthStats) -> SynthStats {
        self.notes += other.notes;
        self.bytes += other.bytes;
        self.links += other.links;
        self.broken_links += other.broken_links;
        self.typed_links += other.typed_links;
        self.nonreciprocal += other.nonreciprocal;
        self.folders += other.folders;
        self.attachments += other.attachments;
        self
    }
}

/// Writes a synthetic vault into `dir` (created if missing). Files of an earlier run with the
/// same names are overwritten; other files are left alone, so give it an empty directory.
pub fn generate_vault(dir: &Path, opts: &SynthOptions) -> io::Result<SynthStats> {
    let plan = Plan::new(opts);
    fs::create_dir_all(dir.join(".obsidian"))?;
    fs::write(
        dir.join(".obsidian/app.json"),
        "{\n  \"newLinkFormat\": \"shortest\",\n  \"attachmentFolderPath\": \"attachments\"\n}\n",
    )?;
    for folder in &plan.folders {
        fs::create_dir_all(dir.join(&folder.path))?;
    }
    if !plan.attachments.is_empty() {
        fs::create_dir_all(dir.join(ATTACHMENT_DIR))?;
        for name in &plan.attachments {
            fs::write(dir.join(ATTACHMENT_DIR).join(name), TINY_PNG)?;
        }
    }
    let written = (0..plan.notes.len())
        .into_par_iter()
        .map(|id| {
            let (text, stats) = NoteWriter::new(&plan, opts, id).write();
            fs::write(dir.join(plan.note_path(id)), &text)?;
            Ok::<_, io::Error>(stats)
        })
        .try_reduce(SynthStats::default, |a, b| Ok(a.add(b)))?;
    Ok(SynthStats {
        folders: plan.folders.len(),
        attachments: plan.attachments.len(),
        nonreciprocal: plan.nonreciprocal,
        ..written
    })
}

// ---------------------------------------------------------------------------------------------
// A tiny PRNG: splitmix64. Integer-only draws keep vaults identical across platforms.

#[derive(Clone)]
struct Rng(u64);

const GOLDEN: u64 = 0x9E37_79B9_7F4A_7C15;

fn mix64(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// Streams: independent generators derived from one seed.
const STREAM_PLAN: u64 = 1;
const STREAM_NOTE: u64 = 2;

impl Rng {
    /// The generator of one stream for one item (a note), independent of all others.
    fn derive(seed: u64, stream: u64, item: u64) -> Rng {
        Rng(mix64(
            seed ^ mix64(stream.wrapping_mul(GOLDEN) ^ mix64(item)),
        ))
    }

    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(GOLDEN);
        mix64(self.0)
    }

    /// Uniform in `0..n`; `n` must not be 0.
    fn below(&mut self, n: usize) -> usize {
        ((u128::from(self.next_u64()) * n as u128) >> 64) as usize
    }

    /// Uniform in `lo..=hi`.
    fn range(&mut self, lo: usize, hi: usize) -> usize {
        lo + self.below(hi - lo + 1)
    }

    /// True with probability `p`.
    fn chance(&mut self, p: f64) -> bool {
        // 53 random bits as a float in [0, 1): exact, so the same on every platform.
        ((self.next_u64() >> 11) as f64) * (1.0 / (1u64 << 53) as f64) < p
    }

    fn pick<T: Copy>(&mut self, xs: &[T]) -> T {
        xs[self.below(xs.len())]
    }

    /// An index in `0..n` skewed towards 0 (about a third of draws land in the first 4%),
    /// like word frequencies or the popularity of notes.
    fn skewed(&mut self, n: usize) -> usize {
        let a = self.below(n);
        let b = self.below(n);
        let c = self.below(n);
        a.min(b).min(c)
    }
}

// ---------------------------------------------------------------------------------------------
// Vocabulary. English words are ASCII so they can also make block ids.

#[rustfmt::skip]
const EN_NOUNS: &[&str] = &[
    "memory", "attention", "architecture", "cognition", "chunk", "activation", "retrieval",
    "buffer", "production", "rule", "goal", "impasse", "workspace", "broadcast", "schema", "frame",
    "concept", "category", "inference", "reasoning", "learning", "habit", "skill", "perception",
    "action", "model", "theory", "evidence", "claim", "argument", "source", "citation", "note",
    "vault", "link", "backlink", "graph", "map", "outline", "draft", "essay", "paragraph",
    "sentence", "word", "term", "definition", "alias", "tag", "heading", "block", "footnote",
    "language", "grammar", "syntax", "semantics", "meaning", "context", "signal", "noise",
    "pattern", "structure", "process", "state", "phase", "trace", "history", "conflict", "tension",
    "coherence", "drift", "vector", "field", "topology", "network", "node", "edge", "cluster",
    "hierarchy", "layer", "module", "interface", "protocol", "server", "editor", "document",
    "diagnostic", "parser", "token", "lexicon", "corpus", "search", "query", "ranking",
    "similarity", "embedding", "weight", "parameter", "feedback", "loop", "cycle", "decay",
    "threshold", "capacity", "limit", "load", "effort", "focus", "insight", "question", "answer",
    "hypothesis", "experiment", "result", "method", "practice", "writer", "reader", "slip-box",
    "card", "archive", "project", "review", "summary", "principle", "constraint", "assumption",
    "bias", "error", "failure", "repair", "revision", "version", "transfer", "export", "symbiosis",
    "neurokernel", "twin", "agent", "system", "emergence", "analogy", "metaphor", "narrative",
];

#[rustfmt::skip]
const EN_ADJECTIVES: &[&str] = &[
    "declarative", "procedural", "episodic", "semantic", "working", "long-term", "short-term",
    "symbolic", "distributed", "dynamic", "static", "recursive", "explicit", "implicit", "atomic",
    "linked", "typed", "local", "global", "cognitive", "formal", "informal", "latent", "stable",
    "fragile", "shared", "private", "early", "late", "deep", "shallow", "open", "partial",
    "complete", "living", "new", "old", "hidden", "central", "minor",
];

#[rustfmt::skip]
const EN_VERBS: &[&str] = &[
    "supports", "contradicts", "extends", "explains", "predicts", "requires", "limits", "shapes",
    "links", "retrieves", "encodes", "stores", "revises", "reflects", "anchors", "connects",
    "replaces", "refines", "measures", "tracks", "depends on", "builds on",
];

#[rustfmt::skip]
const EN_FUNCTION: &[&str] = &[
    "the", "a", "of", "and", "in", "to", "is", "that", "with", "for", "as", "by", "not", "but",
    "which", "this", "when", "every", "each", "only",
];

#[rustfmt::skip]
const RU_NOUNS: &[&str] = &[
    "память", "внимание", "архитектура", "познание", "единица", "активация", "извлечение",
    "буфер", "правило", "цель", "тупик", "пространство", "трансляция", "схема", "рамка", "понятие",
    "категория", "вывод", "рассуждение", "обучение", "привычка", "навык", "восприятие",
    "действие", "модель", "теория", "довод", "утверждение", "аргумент", "источник", "цитата",
    "заметка", "хранилище", "ссылка", "граф", "указатель", "карта", "план", "черновик", "эссе",
    "абзац", "предложение", "слово", "термин", "определение", "псевдоним", "тег", "заголовок",
    "блок", "сноска", "язык", "грамматика", "синтаксис", "семантика", "смысл", "контекст",
    "сигнал", "шум", "узор", "структура", "процесс", "состояние", "фаза", "след", "история",
    "конфликт", "напряжение", "связность", "дрейф", "вектор", "поле", "топология", "сеть", "узел",
    "ребро", "кластер", "иерархия", "слой", "модуль", "интерфейс", "протокол", "сервер",
    "редактор", "документ", "диагностика", "разбор", "токен", "словарь", "корпус", "поиск",
    "запрос", "ранжирование", "сходство", "вес", "параметр", "цикл", "затухание", "порог",
    "ёмкость", "предел", "нагрузка", "усилие", "фокус", "озарение", "вопрос", "ответ", "гипотеза",
    "опыт", "результат", "метод", "практика", "автор", "читатель", "картотека", "карточка",
    "архив", "проект", "обзор", "резюме", "принцип", "ограничение", "допущение", "ошибка", "сбой",
    "исправление", "правка", "версия", "перенос", "выгрузка", "симбиоз", "нейроядро", "двойник",
    "агент", "система", "аналогия", "метафора", "рассказ",
];

#[rustfmt::skip]
const RU_ADJECTIVES: &[&str] = &[
    "декларативный", "процедурный", "эпизодический", "семантический", "рабочий",
    "долговременный", "символьный", "распределённый", "динамический", "статический",
    "рекурсивный", "явный", "неявный", "атомарный", "связанный", "локальный", "глобальный",
    "когнитивный", "формальный", "устойчивый", "хрупкий", "общий", "личный", "глубокий",
    "открытый", "частичный", "полный", "живой", "новый", "старый", "скрытый", "центральный",
];

#[rustfmt::skip]
const RU_VERBS: &[&str] = &[
    "поддерживает", "опровергает", "расширяет", "объясняет", "предсказывает", "требует",
    "ограничивает", "формирует", "связывает", "извлекает", "кодирует", "хранит", "пересматривает",
    "отражает", "закрепляет", "соединяет", "заменяет", "уточняет", "измеряет", "отслеживает",
];

#[rustfmt::skip]
const RU_FUNCTION: &[&str] = &[
    "и", "в", "не", "на", "что", "с", "как", "по", "из", "для", "это", "но", "или", "к", "о",
    "от", "каждый", "только", "когда", "уже",
];

const EN_TOP_FOLDERS: &[&str] = &[
    "Research",
    "Projects",
    "Journal",
    "Areas",
    "Sources",
    "Drafts",
    "Reference",
    "Archive",
];
const RU_TOP_FOLDERS: &[&str] = &["Исследования", "Проекты", "Черновики", "Источники"];

const TAG_AREAS: &[&str] = &[
    "cogsci", "notes", "tools", "writing", "project", "source", "status",
];
const RU_TAG_AREAS: &[&str] = &["когнитивистика", "письмо", "рамка"];

const HEADING_EMOJI: &[&str] = &["🧠 ", "🔁 ", "📚 ", "🧩 ", "⚙️ ", "✅ "];

const ATTACHMENT_DIR: &str = "attachments";

/// A valid 4×4 RGB PNG, the content of every generated attachment.
#[rustfmt::skip]
const TINY_PNG: &[u8] = &[
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52,
    0x00, 0x00, 0x00, 0x04, 0x00, 0x00, 0x00, 0x04, 0x08, 0x02, 0x00, 0x00, 0x00, 0x26, 0x93, 0x09,
    0x29, 0x00, 0x00, 0x00, 0x11, 0x49, 0x44, 0x41, 0x54, 0x78, 0xda, 0x63, 0x38, 0x71, 0xe9, 0x19,
    0x1c, 0x31, 0x10, 0xc7, 0x01, 0x00, 0x0e, 0x90, 0x28, 0x01, 0xb2, 0x3d, 0x74, 0x2f, 0x00, 0x00,
    0x00, 0x00, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82,
];

struct Lexicon {
    nouns: &'static [&'static str],
    adjectives: &'static [&'static str],
    verbs: &'static [&'static str],
    function: &'static [&'static str],
}

const EN: Lexicon = Lexicon {
    nouns: EN_NOUNS,
    adjectives: EN_ADJECTIVES,
    verbs: EN_VERBS,
    function: EN_FUNCTION,
};
const RU: Lexicon = Lexicon {
    nouns: RU_NOUNS,
    adjectives: RU_ADJECTIVES,
    verbs: RU_VERBS,
    function: RU_FUNCTION,
};

fn lexicon(ru: bool) -> &'static Lexicon {
    if ru { &RU } else { &EN }
}

fn push_capitalized(out: &mut String, word: &str) {
    let mut chars = word.chars();
    if let Some(first) = chars.next() {
        out.extend(first.to_uppercase());
        out.push_str(chars.as_str());
    }
}

/// A name-like phrase of up to `max_words` distinct words, e.g. "Declarative memory retrieval".
fn phrase(rng: &mut Rng, ru: bool, max_words: usize) -> String {
    let lex = lexicon(ru);
    let mut words = Vec::with_capacity(4);
    if rng.chance(0.5) {
        words.push(lex.adjectives[rng.skewed(lex.adjectives.len())]);
    }
    let len = words.len() + rng.range(1, max_words.max(1));
    while words.len() < len {
        let noun = lex.nouns[rng.skewed(lex.nouns.len())];
        if !words.contains(&noun) {
            words.push(noun);
        }
    }
    words.truncate(max_words.max(1));
    let mut out = String::new();
    for (i, w) in words.iter().enumerate() {
        if i == 0 {
            push_capitalized(&mut out, w);
        } else {
            out.push(' ');
            out.push_str(w);
        }
    }
    out
}

// ---------------------------------------------------------------------------------------------
// The plan.

struct Folder {
    /// Vault-relative, `/`-separated.
    path: String,
    ru: bool,
    journal: bool,
    /// Regular notes in this folder, in creation order.
    members: Vec<u32>,
    subfolders: Vec<usize>,
    /// The folder's `Index` note, when the vault has them.
    index: Option<u32>,
}

struct NotePlan {
    folder: usize,
    /// File name without `.md`.
    name: String,
    ru: bool,
    /// A folder's `Index` note: a map of its notes. There is one per folder, so the name is
    /// shared and links use the path.
    is_index: bool,
    aliases: Vec<String>,
    /// Section headings in document order (the note's `#` title, if any, is not one of them).
    headings: Vec<String>,
    /// Block ids with the section they end up in.
    blocks: Vec<(usize, String)>,
    /// Target size of the prose in bytes.
    size: usize,
    up: Vec<u32>,
    down: Vec<u32>,
    related: Vec<u32>,
    /// Upstream ideas go into an `up:` property instead of an `## Upstream` section.
    up_in_frontmatter: bool,
}

struct Plan {
    folders: Vec<Folder>,
    notes: Vec<NotePlan>,
    /// Lower-cased names and aliases: a missing-note link must avoid all of them.
    taken: HashSet<String>,
    attachments: Vec<String>,
    tags: Vec<String>,
    nonreciprocal: usize,
}

impl Plan {
    fn new(opts: &SynthOptions) -> Plan {
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

    fn regular_note(&mut self, rng: &mut Rng, journal_day: &mut usize) -> NotePlan {
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
                if alias.chars().count() >= 2 && self.taken.insert(alias.to_lowercase()) {
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
    fn claim_name(&mut self, base: &str) -> String {
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
    fn relate(&mut self, rng: &mut Rng, id: usize) {
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
    fn sides(&mut self, rng: &mut Rng) -> (bool, bool) {
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
    fn older_note(&self, rng: &mut Rng, id: usize, local: f64) -> Option<u32> {
        let members = &self.folders[self.notes[id].folder].members;
        // `members` ends with `id` itself.
        let older_here = &members[..members.len() - 1];
        if !older_here.is_empty() && rng.chance(local) {
            return Some(rng.pick(older_here));
        }
        let first_regular = self.folders.iter().filter(|f| f.index.is_some()).count();
        (id > first_regular).then(|| rng.range(first_regular, id - 1) as u32)
    }

    fn note_path(&self, id: usize) -> String {
        let note = &self.notes[id];
        format!("{}/{}.md", self.folders[note.folder].path, note.name)
    }

    /// How a link names note `id`: its name, or its path when the name is shared.
    fn link_target(&self, id: usize) -> String {
        let note = &self.notes[id];
        if note.is_index {
            format!("{}/Index", self.folders[note.folder].path)
        } else {
            note.name.clone()
        }
    }
}

/// About 20–50 folders for 10k–100k notes, fewer for small vaults.
fn folder_count(notes: usize) -> usize {
    let mut k = 1;
    while k * k * 6 < notes {
        k += 1;
    }
    k.clamp(2, 50)
}

/// Top-level areas first, then subfolders up to three levels deep.
fn plan_folders(rng: &mut Rng, count: usize) -> Vec<Folder> {
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

fn plan_tags(rng: &mut Rng) -> Vec<String> {
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
fn heading_text(rng: &mut Rng, ru: bool) -> String {
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
fn initials(name: &str) -> String {
    name.split(' ')
        .filter_map(|w| w.chars().next())
        .filter(|c| c.is_alphabetic())
        .flat_map(char::to_uppercase)
        .collect()
}

/// The `day`-th journal date from 2021-01-01, without leap days.
fn journal_date(day: usize) -> String {
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
fn push_url_encoded(out: &mut String, s: &str) {
    for c in s.chars() {
        match c {
            ' ' | '(' | ')' | '%' | '?' | '&' | '#' | '<' | '>' | '[' | ']' => {
                let _ = write!(out, "%{:02X}", c as u32);
            }
            _ => out.push(c),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Writing one note.

struct NoteWriter<'a> {
    plan: &'a Plan,
    opts: &'a SynthOptions,
    id: usize,
    note: &'a NotePlan,
    rng: Rng,
    out: String,
    stats: SynthStats,
    /// Prose bytes still to write before the next link.
    until_link: usize,
    /// Footnote references written so far; each gets a definition at the end.
    footnotes: usize,
    max_footnotes: usize,
}

impl<'a> NoteWriter<'a> {
    fn new(plan: &'a Plan, opts: &'a SynthOptions, id: usize) -> NoteWriter<'a> {
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

    fn write(mut self) -> (String, SynthStats) {
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

    fn write_index(&mut self) {
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

    fn write_frontmatter(&mut self) {
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
        for _ in 0..self.rng.range(1, 4) {
            let tag = &self.plan.tags[self.rng.skewed(self.plan.tags.len())];
            let _ = writeln!(self.out, "  - {tag}");
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

    fn write_body(&mut self) {
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
    fn paragraph(&mut self) {
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

    fn list(&mut self) {
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

    fn callout(&mut self) {
        let kind = self.rng.pick(&["note", "tip", "warning", "quote"]);
        let _ = write!(self.out, "> [!{kind}]\n> ");
        self.sentence();
        self.out.push_str("\n> ");
        self.sentence();
        self.out.push('\n');
    }

    /// A fenced block whose link-like text is not a link.
    fn code_block(&mut self) {
        let name = phrase(&mut self.rng, self.note.ru, 3);
        let tag = self.rng.pick(EN_NOUNS);
        let _ = writeln!(
            self.out,
            "```markdown\n- [[{name}]] is written as code, so #{tag} is not a tag either\n```"
        );
    }

    fn table(&mut self) {
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
    fn sentence(&mut self) {
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
    fn plain_sentence(&mut self, words: usize) {
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
    fn pick_target(&mut self) -> Option<usize> {
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
    fn broken(&mut self) -> bool {
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
    fn link_to(&mut self, target: impl FnOnce(&Plan) -> String) {
        if !self.broken() {
            let _ = write!(self.out, "[[{}]]", target(self.plan));
        }
    }

    /// A link in prose: to another note, a heading, a block, an attachment, or this note.
    fn link(&mut self) {
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
    fn markdown_link(&mut self, t: usize) {
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
    fn broken_link(&mut self) {
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

    fn write_typed_sections(&mut self) {
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

    fn write_footnote_definitions(&mut self) {
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

#[cfg(test)]
mod tests {
    use super::*;
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
}
