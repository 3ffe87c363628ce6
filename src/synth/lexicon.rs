//! English and Russian vocabulary, folder and tag names, and phrase building.

use super::rng::Rng;

#[rustfmt::skip]
pub(crate) const EN_NOUNS: &[&str] = &[
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
pub(crate) const EN_ADJECTIVES: &[&str] = &[
    "declarative", "procedural", "episodic", "semantic", "working", "long-term", "short-term",
    "symbolic", "distributed", "dynamic", "static", "recursive", "explicit", "implicit", "atomic",
    "linked", "typed", "local", "global", "cognitive", "formal", "informal", "latent", "stable",
    "fragile", "shared", "private", "early", "late", "deep", "shallow", "open", "partial",
    "complete", "living", "new", "old", "hidden", "central", "minor",
];

#[rustfmt::skip]
pub(crate) const EN_VERBS: &[&str] = &[
    "supports", "contradicts", "extends", "explains", "predicts", "requires", "limits", "shapes",
    "links", "retrieves", "encodes", "stores", "revises", "reflects", "anchors", "connects",
    "replaces", "refines", "measures", "tracks", "depends on", "builds on",
];

#[rustfmt::skip]
pub(crate) const EN_FUNCTION: &[&str] = &[
    "the", "a", "of", "and", "in", "to", "is", "that", "with", "for", "as", "by", "not", "but",
    "which", "this", "when", "every", "each", "only",
];

#[rustfmt::skip]
pub(crate) const RU_NOUNS: &[&str] = &[
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
pub(crate) const RU_ADJECTIVES: &[&str] = &[
    "декларативный", "процедурный", "эпизодический", "семантический", "рабочий",
    "долговременный", "символьный", "распределённый", "динамический", "статический",
    "рекурсивный", "явный", "неявный", "атомарный", "связанный", "локальный", "глобальный",
    "когнитивный", "формальный", "устойчивый", "хрупкий", "общий", "личный", "глубокий",
    "открытый", "частичный", "полный", "живой", "новый", "старый", "скрытый", "центральный",
];

#[rustfmt::skip]
pub(crate) const RU_VERBS: &[&str] = &[
    "поддерживает", "опровергает", "расширяет", "объясняет", "предсказывает", "требует",
    "ограничивает", "формирует", "связывает", "извлекает", "кодирует", "хранит", "пересматривает",
    "отражает", "закрепляет", "соединяет", "заменяет", "уточняет", "измеряет", "отслеживает",
];

#[rustfmt::skip]
pub(crate) const RU_FUNCTION: &[&str] = &[
    "и", "в", "не", "на", "что", "с", "как", "по", "из", "для", "это", "но", "или", "к", "о",
    "от", "каждый", "только", "когда", "уже",
];

pub(crate) const EN_TOP_FOLDERS: &[&str] = &[
    "Research",
    "Projects",
    "Journal",
    "Areas",
    "Sources",
    "Drafts",
    "Reference",
    "Archive",
];
pub(crate) const RU_TOP_FOLDERS: &[&str] = &["Исследования", "Проекты", "Черновики", "Источники"];

pub(crate) const TAG_AREAS: &[&str] = &[
    "cogsci", "notes", "tools", "writing", "project", "source", "status",
];
pub(crate) const RU_TAG_AREAS: &[&str] = &["когнитивистика", "письмо", "рамка"];

pub(crate) const HEADING_EMOJI: &[&str] = &["🧠 ", "🔁 ", "📚 ", "🧩 ", "⚙️ ", "✅ "];

pub(crate) const ATTACHMENT_DIR: &str = "attachments";

/// A valid 4×4 RGB PNG, the content of every generated attachment.
#[rustfmt::skip]
pub(crate) const TINY_PNG: &[u8] = &[
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52,
    0x00, 0x00, 0x00, 0x04, 0x00, 0x00, 0x00, 0x04, 0x08, 0x02, 0x00, 0x00, 0x00, 0x26, 0x93, 0x09,
    0x29, 0x00, 0x00, 0x00, 0x11, 0x49, 0x44, 0x41, 0x54, 0x78, 0xda, 0x63, 0x38, 0x71, 0xe9, 0x19,
    0x1c, 0x31, 0x10, 0xc7, 0x01, 0x00, 0x0e, 0x90, 0x28, 0x01, 0xb2, 0x3d, 0x74, 0x2f, 0x00, 0x00,
    0x00, 0x00, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82,
];

pub(crate) struct Lexicon {
    pub(crate) nouns: &'static [&'static str],
    pub(crate) adjectives: &'static [&'static str],
    pub(crate) verbs: &'static [&'static str],
    pub(crate) function: &'static [&'static str],
}

pub(crate) const EN: Lexicon = Lexicon {
    nouns: EN_NOUNS,
    adjectives: EN_ADJECTIVES,
    verbs: EN_VERBS,
    function: EN_FUNCTION,
};
pub(crate) const RU: Lexicon = Lexicon {
    nouns: RU_NOUNS,
    adjectives: RU_ADJECTIVES,
    verbs: RU_VERBS,
    function: RU_FUNCTION,
};

pub(crate) fn lexicon(ru: bool) -> &'static Lexicon {
    if ru { &RU } else { &EN }
}

pub(crate) fn push_capitalized(out: &mut String, word: &str) {
    let mut chars = word.chars();
    if let Some(first) = chars.next() {
        out.extend(first.to_uppercase());
        out.push_str(chars.as_str());
    }
}

/// A name-like phrase of up to `max_words` distinct words, e.g. "Declarative memory retrieval".
pub(crate) fn phrase(rng: &mut Rng, ru: bool, max_words: usize) -> String {
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
