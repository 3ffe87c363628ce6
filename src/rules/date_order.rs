//! `date-order`: the note's update date is earlier than its creation date.

use super::{Check, Emitter, NoteContext, Rule, Severity, quote};
use crate::note::FrontmatterEntry;

pub const RULE: Rule = Rule {
    code: "date-order",
    default_severity: Severity::Warning,
    summary: "The `updated` date (or the configured key) is earlier than the `created` date.",
    check: Check::Note(check),
};

fn check(cx: &NoteContext<'_>, out: &mut Emitter<'_>) {
    let Some(fm) = &cx.note.frontmatter else {
        return;
    };
    let config = &cx.coherence.config;
    let (Some(created), Some(updated)) =
        (find(fm, &config.created_key), find(fm, &config.updated_key))
    else {
        return;
    };
    let (Some(c), Some(u)) = (date_of(created), date_of(updated)) else {
        return;
    };
    // A date without a time is a whole day: compare days only then.
    let earlier = if c.time.is_none() || u.time.is_none() {
        u.day < c.day
    } else {
        (u.day, u.time) < (c.day, c.time)
    };
    if earlier {
        let message = format!(
            "{} ({}) is earlier than {} ({})",
            quote(&updated.key),
            u.text,
            quote(&created.key),
            c.text
        );
        out.emit(&cx.note.path, updated.value.span, message)
            .related
            .push(cx.related(created.value.span, "the creation date"));
    }
}

/// The last entry whose key matches, ignoring case.
fn find<'a>(fm: &'a crate::note::Frontmatter, key: &str) -> Option<&'a FrontmatterEntry> {
    fm.entries
        .iter()
        .rev()
        .find(|e| e.key.eq_ignore_ascii_case(key))
}

struct Date<'a> {
    day: (u32, u32, u32),
    time: Option<(u32, u32, u32)>,
    text: &'a str,
}

/// Reads `YYYY-MM-DD`, optionally followed by `T` or a space and `HH:MM[:SS]` (anything
/// after that, such as a zone, is ignored). Other values are not dates for this rule.
fn date_of(entry: &FrontmatterEntry) -> Option<Date<'_>> {
    let text = entry.value.value.as_str()?.trim();
    parse_date(text).map(|(day, time)| Date { day, time, text })
}

type Day = (u32, u32, u32);

fn parse_date(text: &str) -> Option<(Day, Option<Day>)> {
    let num = |s: &str, len: usize| -> Option<u32> {
        (s.len() == len && s.bytes().all(|b| b.is_ascii_digit())).then(|| s.parse().ok())?
    };
    let date = text.get(..10)?;
    let mut parts = date.split('-');
    let day = (
        num(parts.next()?, 4)?,
        num(parts.next()?, 2)?,
        num(parts.next()?, 2)?,
    );
    if !(1..=12).contains(&day.1) || !(1..=31).contains(&day.2) {
        return None;
    }
    let rest = &text[10..];
    let Some(clock) = rest.strip_prefix(['T', ' ']) else {
        return Some((day, None));
    };
    let mut parts = clock.get(..8).or(clock.get(..5))?.split(':');
    let h = num(parts.next()?, 2)?;
    let m = num(parts.next()?, 2)?;
    let s = parts.next().and_then(|s| num(s, 2)).unwrap_or(0);
    Some((day, Some((h, m, s))))
}

#[cfg(test)]
mod tests {
    use super::parse_date;

    #[test]
    fn parses_dates_and_times() {
        assert_eq!(parse_date("2025-08-24"), Some(((2025, 8, 24), None)));
        assert_eq!(
            parse_date("2025-09-06 19:59:44"),
            Some(((2025, 9, 6), Some((19, 59, 44))))
        );
        assert_eq!(
            parse_date("2025-09-06T07:05Z"),
            Some(((2025, 9, 6), Some((7, 5, 0))))
        );
        assert_eq!(parse_date("24.08.2025"), None);
        assert_eq!(parse_date("2025-13-01"), None);
        assert_eq!(parse_date("soon"), None);
    }
}
