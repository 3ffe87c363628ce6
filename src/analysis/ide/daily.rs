//! Daily notes, as Obsidian's daily notes plugin names them (`.obsidian/daily-notes.json`:
//! folder, Moment.js format, template): the note of a day, its path and the text a new
//! one starts with, and the `[[today`, `[[yesterday`, `[[tomorrow`, `[[monday`,
//! `[[next monday` and `[[last monday` link suggestions. Callers pass the date: the core
//! reads no clock.

use jiff::civil::{Date, DateTime, Weekday};

use super::moment::{self, weekday_name};
use super::suggestion::{Insert, Suggestion, SuggestionKind, link_span, typed_link_name};
use crate::analysis::Analysis;
use crate::config::DailyNotes;
use crate::vault::NoteId;

const WEEKDAYS: [Weekday; 7] = [
    Weekday::Monday,
    Weekday::Tuesday,
    Weekday::Wednesday,
    Weekday::Thursday,
    Weekday::Friday,
    Weekday::Saturday,
    Weekday::Sunday,
];

/// The note of one day.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DailyNote {
    pub date: Date,
    /// Its vault path, with `.md`.
    pub path: String,
    /// Whether the vault has it already.
    pub exists: bool,
    /// The text a new note starts with: the template with `{{date}}`, `{{time}}`,
    /// `{{title}}` and `{{date:FORMAT}}` filled in; empty without a template.
    pub text: String,
}

/// The day a word names, relative to `today`: `today`, `yesterday`, `tomorrow`, a
/// weekday (the coming one, today included), `next <weekday>` (after today), `last
/// <weekday>` (before today), or a date written `YYYY-MM-DD`. Case is ignored.
pub fn parse_day(text: &str, today: Date) -> Option<Date> {
    let text = text.trim().to_lowercase();
    let words: Vec<&str> = text.split_whitespace().collect();
    let day = |n: i64| today.checked_add(jiff::Span::new().days(n)).ok();
    let weekday = |name: &str| {
        WEEKDAYS
            .into_iter()
            .find(|w| weekday_name(*w).eq_ignore_ascii_case(name))
    };
    match words.as_slice() {
        ["today"] => Some(today),
        ["yesterday"] => day(-1),
        ["tomorrow"] => day(1),
        [name] => match weekday(name) {
            Some(w) => day(i64::from(w.since(today.weekday()))),
            None => name.parse::<Date>().ok(),
        },
        ["next", name] => {
            let ahead = i64::from(weekday(name)?.since(today.weekday()));
            day(if ahead == 0 { 7 } else { ahead })
        }
        ["last", name] => {
            let back = i64::from(today.weekday().since(weekday(name)?));
            day(-(if back == 0 { 7 } else { back }))
        }
        _ => None,
    }
}

/// The daily note of `date` under `settings`: `exists` says whether a vault path is a
/// note, `template` reads the template note's text (the edge decides from where). `now`
/// fills the template's `{{time}}`.
pub fn daily_note(
    settings: &DailyNotes,
    date: Date,
    now: DateTime,
    exists: &dyn Fn(&str) -> bool,
    template: &dyn Fn(&str) -> Option<String>,
) -> DailyNote {
    let at = date.to_datetime(now.time());
    let name = moment::format(&settings.format, at);
    let name = name.trim_matches('/');
    let path = if settings.folder.is_empty() {
        format!("{name}.md")
    } else {
        format!("{}/{name}.md", settings.folder)
    };
    let title = name.rsplit('/').next().unwrap_or(name);
    let text = settings
        .template
        .as_deref()
        .and_then(template)
        .map(|t| fill_template(&t, title, &settings.format, at))
        .unwrap_or_default();
    DailyNote {
        date,
        exists: exists(&path),
        path,
        text,
    }
}

impl Analysis {
    /// The daily note of `date` in this vault (template read from the vault's notes).
    pub fn daily_note(&self, date: Date, now: DateTime) -> DailyNote {
        let vault = &self.vault;
        daily_note(
            &self.config().daily_notes,
            date,
            now,
            &|path| vault.note_by_path(path).is_some(),
            &|path| {
                vault
                    .note_by_path(path)
                    .map(|id| vault.note(id).text.to_string())
            },
        )
    }

    /// Daily note links when the name typed after `[[` (two characters at least) starts
    /// a day word: `today`, `yesterday`, `tomorrow`, the weekdays, `next …` and `last …`.
    /// `None` when the cursor is in no link's name.
    pub fn daily_suggestions(
        &self,
        id: NoteId,
        offset: usize,
        today: Date,
    ) -> Option<Vec<Suggestion>> {
        let note = self.vault.note(id);
        let (open, typed) = typed_link_name(note, offset)?;
        let (replace, embed) = link_span(note, open, offset);
        let typed = typed.trim_start().to_lowercase();
        if typed.chars().count() < 2 {
            return Some(Vec::new());
        }
        let mut words: Vec<String> = ["today", "yesterday", "tomorrow"]
            .iter()
            .map(|w| w.to_string())
            .collect();
        for prefix in ["", "next ", "last "] {
            for w in WEEKDAYS {
                words.push(format!("{prefix}{}", weekday_name(w).to_lowercase()));
            }
        }
        let now = today.to_datetime(jiff::civil::Time::midnight());
        Some(
            words
                .into_iter()
                .filter(|w| w.starts_with(&typed))
                .filter_map(|word| {
                    let date = parse_day(&word, today)?;
                    let daily = self.daily_note(date, now);
                    let new = if daily.exists { "" } else { ", new" };
                    Some(Suggestion {
                        label: word.clone(),
                        kind: SuggestionKind::Daily,
                        detail: Some(format!("{date} · {}{new}", daily.path)),
                        replace,
                        insert: Insert::Link {
                            path: daily.path.into(),
                            anchor: None,
                            embed,
                        },
                        filter: format!("[[{word}"),
                        new_block_id: None,
                    })
                })
                .collect(),
        )
    }
}

/// A template's text for a new daily note, as Obsidian fills it in: `{{title}}`,
/// `{{date}}` (in the daily note format), `{{time}}` (`HH:mm`), and `{{date:FORMAT}}` or
/// `{{time:FORMAT}}` in any Moment format.
fn fill_template(template: &str, title: &str, format: &str, at: DateTime) -> String {
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(start) = rest.find("{{") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        let Some(end) = after.find("}}") else {
            out.push_str(&rest[start..]);
            return out;
        };
        let inner = &after[..end];
        let (key, custom) = match inner.split_once(':') {
            Some((key, f)) => (key.trim(), Some(f.trim())),
            None => (inner.trim(), None),
        };
        let filled = match key.to_lowercase().as_str() {
            "title" => Some(title.to_owned()),
            "date" => Some(moment::format(custom.unwrap_or(format), at)),
            "time" => Some(moment::format(custom.unwrap_or("HH:mm"), at)),
            _ => None,
        };
        match filled {
            Some(text) => out.push_str(&text),
            None => out.push_str(&rest[start..start + 2 + end + 2]),
        }
        rest = &after[end + 2..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use jiff::civil::date;

    use super::{fill_template, parse_day};

    #[test]
    fn day_words_name_days_around_today() {
        // 2026-12-03 is a Thursday.
        let today = date(2026, 12, 3);
        let day = |w: &str| parse_day(w, today).map(|d| d.to_string());
        assert_eq!(day("today").as_deref(), Some("2026-12-03"));
        assert_eq!(day("Yesterday").as_deref(), Some("2026-12-02"));
        assert_eq!(day("tomorrow").as_deref(), Some("2026-12-04"));
        assert_eq!(day("thursday").as_deref(), Some("2026-12-03"));
        assert_eq!(day("monday").as_deref(), Some("2026-12-07"));
        assert_eq!(day("next monday").as_deref(), Some("2026-12-07"));
        assert_eq!(day("next thursday").as_deref(), Some("2026-12-10"));
        assert_eq!(day("last thursday").as_deref(), Some("2026-11-26"));
        assert_eq!(day("last friday").as_deref(), Some("2026-11-27"));
        assert_eq!(day("2027-01-31").as_deref(), Some("2027-01-31"));
        assert_eq!(day("someday"), None);
        assert_eq!(day("next week"), None);
    }

    #[test]
    fn templates_fill_title_date_and_time() {
        let at = date(2026, 12, 3).at(9, 30, 0, 0);
        assert_eq!(
            fill_template(
                "# {{title}}\n{{date}} {{time}} {{date:dddd}} {{ date : MMM }} {{other}} {{open",
                "2026-12-03",
                "YYYY-MM-DD",
                at
            ),
            "# 2026-12-03\n2026-12-03 09:30 Thursday Dec {{other}} {{open"
        );
    }
}
