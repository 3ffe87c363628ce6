//! Human output: rustc-style findings with the source line and the span underlined, at
//! most a screenful per rule (the rest counted in one line), then counts per rule.

use std::io::{self, Write};

use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};
use rayon::prelude::*;

use super::{LEAST_COHERENT, Report, locate, severity_plural, thousands};
use crate::diagnostic::{Diagnostic, Severity};
use crate::text::ColumnEncoding;

/// Characters of context kept on each side of a span in very long lines. Small enough
/// that the window and its gutter fit annotate-snippets' default width (140 columns),
/// which would otherwise cut the right-hand context itself.
const CONTEXT_CHARS: usize = 50;

/// Findings of one rule printed in full, about a screenful; a rule that fires on thousands
/// of notes would otherwise bury every other finding.
pub const SHOWN_PER_RULE: usize = 10;

/// Writes the findings, at most `per_rule` of each rule when given (in report order, the
/// rest counted in one line per rule), then the summary.
pub fn write(
    out: &mut impl Write,
    report: &Report<'_>,
    color: bool,
    per_rule: Option<usize>,
) -> io::Result<()> {
    let renderer = if color {
        Renderer::styled()
    } else {
        Renderer::plain()
    };
    let mut shown: Vec<(&str, usize)> = Vec::new();
    let mut listed: Vec<&Diagnostic> = Vec::new();
    for diagnostic in report.diagnostics {
        if let Some(limit) = per_rule {
            let count = match shown.iter_mut().find(|(code, _)| *code == diagnostic.code) {
                Some((_, count)) => count,
                None => {
                    shown.push((diagnostic.code, 0));
                    &mut shown.last_mut().expect("just pushed").1
                }
            };
            *count += 1;
            if *count > limit {
                continue;
            }
        }
        listed.push(diagnostic);
    }
    // Rendering a finding (its line located, cut and underlined) is the cost of a long
    // report: done in parallel, in chunks that keep the order, then written in one go.
    let rendered: Vec<String> = listed
        .par_chunks(256)
        .map(|chunk| {
            let mut text = String::new();
            for diagnostic in chunk {
                text.push_str(&render_one(report, diagnostic, &renderer));
                text.push_str("\n\n");
            }
            text
        })
        .collect();
    for text in rendered {
        out.write_all(text.as_bytes())?;
    }
    if let Some(limit) = per_rule {
        let mut hidden = false;
        for (code, _, n) in report.counts_by_rule() {
            if n > limit {
                hidden = true;
                writeln!(
                    out,
                    "{code}: {} more findings not shown; add `--select {code} --show-all` to list them",
                    thousands(n - limit)
                )?;
            }
        }
        if hidden {
            writeln!(out)?;
        }
    }
    write_summary(out, report)
}

/// `--statistics`: findings per rule, one rule a line, and nothing else.
pub fn write_statistics(out: &mut impl Write, report: &Report<'_>) -> io::Result<()> {
    let rows = report.counts_by_rule();
    let count_width = rows
        .iter()
        .map(|(_, _, n)| thousands(*n).len())
        .max()
        .unwrap_or(0);
    let code_width = rows
        .iter()
        .map(|(code, _, _)| code.len())
        .max()
        .unwrap_or(0);
    for (code, severity, n) in rows {
        writeln!(
            out,
            "{:>count_width$}  {code:<code_width$}  {}",
            thousands(n),
            severity.as_str()
        )?;
    }
    Ok(())
}

fn write_summary(out: &mut impl Write, report: &Report<'_>) -> io::Result<()> {
    let counts = report.counts();
    let parts: Vec<String> = Severity::ALL
        .iter()
        .zip(counts)
        .map(|(severity, n)| severity_plural(*severity, n))
        .collect();
    let notes = report.notes_checked();
    let noun = if notes == 1 { "note" } else { "notes" };
    writeln!(
        out,
        "Checked {notes} {noun} in {:.2}s: {}.",
        report.elapsed.as_secs_f64(),
        parts.join(", ")
    )?;
    let by_rule: Vec<String> = report
        .counts_by_rule()
        .into_iter()
        .map(|(code, _, n)| format!("{code} {}", thousands(n)))
        .collect();
    if !by_rule.is_empty() {
        writeln!(out, "By rule: {}.", by_rule.join(" · "))?;
    }
    write_coherence(out, report)
}

/// The vault's coherence score and its least coherent notes, with what each part means and
/// which way is good. Reciprocity is left out in a vault without typed relations, where
/// it measures nothing.
fn write_coherence(out: &mut impl Write, report: &Report<'_>) -> io::Result<()> {
    let Some(summary) = &report.coherence else {
        return Ok(());
    };
    let least = report.least_coherent(LEAST_COHERENT);
    let scale = "0 to 1, higher is better";
    if least.is_empty() {
        return writeln!(out, "Coherence {:.2} ({scale}).", summary.score);
    }
    let relations = summary.notes.iter().any(|v| v.relations > 0);
    writeln!(
        out,
        "Coherence {:.2} ({scale}); least coherent notes:",
        summary.score
    )?;
    for (path, v) in least {
        let similarity = v
            .drift
            .map_or_else(|| "-".to_string(), |d| format!("{d:.2}"));
        let conflicts = match v.conflicts {
            1 => "1 conflict".to_string(),
            n => format!("{n} conflicts"),
        };
        let reciprocity = match relations {
            true => format!(", reciprocity {:.2}", v.reciprocity),
            false => String::new(),
        };
        writeln!(
            out,
            "  {:.2}  {}  (links {:.2}{reciprocity}, similarity {similarity}, {conflicts})",
            v.score,
            escape_control(path),
            v.link_integrity,
        )?;
    }
    let reciprocity = match relations {
        true => "reciprocity: share of its typed relations the other note answers; ",
        false => "",
    };
    writeln!(
        out,
        "  links: share of the note's links that resolve; {reciprocity}similarity: how close its \
         body is to its title, aliases, description and tags (- when too short); higher is \
         better. conflicts: findings of the coherence rules (relations, dates, drift, orphans)."
    )
}

fn level(severity: Severity) -> Level<'static> {
    match severity {
        Severity::Error => Level::ERROR,
        Severity::Warning => Level::WARNING,
        Severity::Info => Level::INFO,
        Severity::Hint => Level::HELP.with_name(Some("hint")),
    }
}

fn render_one(report: &Report<'_>, d: &Diagnostic, renderer: &Renderer) -> String {
    let vault = report.vault;
    let loc = locate(vault, &d.path, d.span, ColumnEncoding::Char);
    let message = escape_control(&d.message);
    let title = level(d.severity).primary_title(message.as_str()).id(d.code);
    let path = escape_control(&d.path);
    let origin = format!("{path}:{}:{}", loc.line, loc.column);

    // The source line of the finding, cut to a window and made safe for a terminal.
    let excerpt = vault.note_by_path(&d.path).map(|id| {
        let note = vault.note(id);
        let line = note.line_index.line_of(d.span.start as usize);
        let range = note.line_index.line_range(&note.text, line);
        let text = &note.text[range.clone()];
        let start = (d.span.start as usize).clamp(range.start, range.end) - range.start;
        let end = (d.span.end as usize).clamp(range.start, range.end) - range.start;
        (line + 1, excerpt_line(text, start, end))
    });

    let related: Vec<String> = d
        .related
        .iter()
        .map(|r| {
            let rl = locate(vault, &r.path, r.span, ColumnEncoding::Char);
            escape_control(&format!(
                "{}:{}:{}: {}",
                r.path, rl.line, rl.column, r.message
            ))
        })
        .collect();

    let mut groups = Vec::with_capacity(1 + related.len());
    match &excerpt {
        Some((line_no, (source, start, end))) => {
            let snippet = Snippet::source(source.as_str())
                .line_start(*line_no as usize)
                .path(path.as_str())
                .annotation(AnnotationKind::Primary.span(*start..*end));
            groups.push(title.element(snippet));
        }
        None => groups.push(title.element(annotate_snippets::Origin::path(origin.as_str()))),
    }
    for note in &related {
        groups.push(Group::with_title(
            Level::NOTE.secondary_title(note.as_str()),
        ));
    }
    let rendered = renderer.render(&groups);
    if excerpt.is_some() {
        fix_origin_column(rendered, &format!("{path}:{}:", loc.line), loc.column)
    } else {
        rendered
    }
}

/// annotate-snippets derives the `--> path:line:col` column from the snippet it is given,
/// which is the escaped and windowed line, not the note's: put the note's column back.
/// The title is the first line, so the search starts after it.
fn fix_origin_column(rendered: String, path_and_line: &str, column: u32) -> String {
    let after_title = rendered.find('\n').map_or(rendered.len(), |i| i + 1);
    let Some(at) = rendered[after_title..].find(path_and_line) else {
        return rendered;
    };
    let digits_start = after_title + at + path_and_line.len();
    let digits_len = rendered[digits_start..]
        .bytes()
        .take_while(u8::is_ascii_digit)
        .count();
    let mut fixed = rendered;
    fixed.replace_range(digits_start..digits_start + digits_len, &column.to_string());
    fixed
}

/// Cuts a long line to a window around `start..end` and escapes control characters,
/// returning the new text and the span inside it.
fn excerpt_line(line: &str, start: usize, end: usize) -> (String, usize, usize) {
    let window_start = back_chars(line, start, CONTEXT_CHARS);
    let window_end = forward_chars(line, end.max(start), CONTEXT_CHARS);
    let mut out = String::new();
    if window_start > 0 {
        out.push('…');
    }
    let mut new_start = out.len();
    let mut new_end = out.len();
    for (i, ch) in line[window_start..window_end].char_indices() {
        let at = window_start + i;
        if at == start {
            new_start = out.len();
        }
        if at == end {
            new_end = out.len();
        }
        push_escaped(&mut out, ch);
    }
    if end >= window_end {
        new_end = out.len();
    }
    if start >= window_end {
        new_start = out.len();
    }
    if window_end < line.len() {
        out.push('…');
    }
    (out, new_start, new_end.max(new_start))
}

fn back_chars(s: &str, from: usize, n: usize) -> usize {
    s[..from]
        .char_indices()
        .rev()
        .nth(n.saturating_sub(1))
        .map_or(0, |(i, _)| i)
}

fn forward_chars(s: &str, from: usize, n: usize) -> usize {
    s[from..]
        .char_indices()
        .nth(n)
        .map_or(s.len(), |(i, _)| from + i)
}

/// Replaces control characters so that note text cannot drive the terminal.
pub fn escape_control(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in s.chars() {
        push_escaped(&mut out, ch);
    }
    out
}

fn push_escaped(out: &mut String, ch: char) {
    match ch {
        '\t' => out.push(' '),
        c if c.is_control() || is_bidi_control(c) => {
            out.push_str(&format!("\\u{{{:x}}}", c as u32));
        }
        c => out.push(c),
    }
}

/// Bidirectional overrides can reorder what the terminal shows ("Trojan Source").
fn is_bidi_control(c: char) -> bool {
    matches!(c as u32, 0x202A..=0x202E | 0x2066..=0x2069)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_terminal_controls() {
        assert_eq!(escape_control("a\u{1b}[31mb\tc"), "a\\u{1b}[31mb c");
        assert_eq!(escape_control("x\u{202e}y"), "x\\u{202e}y");
    }

    #[test]
    fn excerpt_keeps_span_on_the_escaped_text() {
        let (text, start, end) = excerpt_line("a\u{7}b [[X]]", 4, 9);
        assert_eq!(text, "a\\u{7}b [[X]]");
        assert_eq!(&text[start..end], "[[X]]");
    }

    #[test]
    fn origin_column_is_the_notes() {
        let rendered = "error: x:1:\n --> a.md:1:5\n  |\n".to_string();
        assert_eq!(
            fix_origin_column(rendered, "a.md:1:", 4804),
            "error: x:1:\n --> a.md:1:4804\n  |\n"
        );
    }

    #[test]
    fn excerpt_windows_long_lines() {
        let line = format!("{}[[X]]{}", "a".repeat(5000), "b".repeat(5000));
        let (text, start, end) = excerpt_line(&line, 5000, 5005);
        assert!(text.chars().count() < 260, "{}", text.len());
        assert_eq!(&text[start..end], "[[X]]");
    }
}
