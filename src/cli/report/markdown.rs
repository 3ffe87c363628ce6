//! `--format markdown`: a short summary for `$GITHUB_STEP_SUMMARY` and pull-request
//! comments: counts per rule, the change against a baseline, the first findings of each
//! rule linked to their line, and the coherence score with its trend.

use std::collections::BTreeMap;
use std::io::{self, Write};

use super::{LEAST_COHERENT, Report, locate, severity_plural};
use crate::cli::history::BaselineChange;
use crate::diagnostic::{Diagnostic, Severity};
use crate::history::Trend;
use crate::history::trend::sparkline;
use crate::text::ColumnEncoding;

/// Findings listed per rule; the rest are counted.
pub const FIRST_FINDINGS: usize = 5;
/// Fixed findings listed; the rest are counted.
const FIRST_FIXED: usize = 10;

/// What the summary adds to the report: where links point, and the history.
#[derive(Default)]
pub struct Extras<'a> {
    /// Prefix of every link to a note (`https://github.com/o/r/blob/SHA/vault/`); notes are
    /// linked relative to the vault without it.
    pub link_base: Option<&'a str>,
    /// Open findings per day from the trace, when it has events.
    pub trend: Option<&'a Trend>,
    /// The vault's coherence score per day from the trace (date, score), oldest first.
    pub scores: &'a [(String, f64)],
    pub baseline: Option<&'a BaselineChange>,
}

pub fn write(out: &mut impl Write, report: &Report<'_>, extras: &Extras<'_>) -> io::Result<()> {
    write_headline(out, report)?;
    write_coherence(out, report, extras)?;
    write_rule_table(out, report, extras.baseline)?;
    write_findings(out, report, extras)?;
    if let Some(change) = extras.baseline {
        write_fixed(out, change)?;
    }
    write_least_coherent(out, report, extras)
}

fn write_headline(out: &mut impl Write, report: &Report<'_>) -> io::Result<()> {
    let counts = report.counts();
    let notes = report.notes_checked();
    let noun = if notes == 1 { "note" } else { "notes" };
    let found: Vec<String> = Severity::ALL
        .iter()
        .zip(counts)
        .filter(|(_, n)| *n > 0)
        .map(|(severity, n)| severity_plural(*severity, n))
        .collect();
    let found = if found.is_empty() {
        "no findings".to_string()
    } else {
        found.join(", ")
    };
    writeln!(out, "## twin check: {found}\n")?;
    writeln!(out, "Checked {notes} {noun}.\n")
}

fn write_coherence(
    out: &mut impl Write,
    report: &Report<'_>,
    extras: &Extras<'_>,
) -> io::Result<()> {
    if let Some(summary) = &report.coherence {
        let mut line = format!("**Coherence {:.2}**", summary.score);
        if let Some((first_day, first)) = extras.scores.first()
            && extras.scores.len() > 1
        {
            let delta = summary.score - first;
            let arrow = if delta > 0.005 {
                "▲"
            } else if delta < -0.005 {
                "▼"
            } else {
                "="
            };
            line.push_str(&format!(" ({arrow} {delta:+.2} since {first_day})"));
        }
        writeln!(out, "{line}\n")?;
    }
    if let Some(trend) = extras.trend
        && let (Some(first), Some(last)) = (trend.total.first(), trend.total.last())
    {
        let max = trend.total.iter().copied().max().unwrap_or(0);
        writeln!(
            out,
            "Open findings in the trace over {} days: `{}` ({first} → {last})\n",
            trend.days.len(),
            sparkline(&trend.total, max).replace(' ', "\u{2007}"),
        )?;
    }
    Ok(())
}

/// Per rule: its severity, findings reported and, with a baseline, known and fixed ones.
fn write_rule_table(
    out: &mut impl Write,
    report: &Report<'_>,
    baseline: Option<&BaselineChange>,
) -> io::Result<()> {
    let mut rows: BTreeMap<&str, (Option<Severity>, usize, usize, usize)> = BTreeMap::new();
    for d in report.diagnostics {
        let row = rows.entry(d.code).or_default();
        row.0 = Some(row.0.map_or(d.severity, |s| s.min(d.severity)));
        row.1 += 1;
    }
    if let Some(change) = baseline {
        for (code, n) in &change.known {
            rows.entry(code).or_default().2 += n;
        }
        for (code, _, _) in &change.fixed {
            rows.entry(code).or_default().3 += 1;
        }
        // A rule with no new finding takes its severity from the baseline's side.
        for (code, row) in rows.iter_mut() {
            if row.0.is_none() {
                row.0 = change.severities.get(*code).copied();
            }
        }
    }
    if rows.is_empty() {
        return Ok(());
    }
    if baseline.is_some() {
        writeln!(out, "| Rule | Severity | New | In baseline | Fixed |")?;
        writeln!(out, "| --- | --- | ---: | ---: | ---: |")?;
    } else {
        writeln!(out, "| Rule | Severity | Findings |")?;
        writeln!(out, "| --- | --- | ---: |")?;
    }
    for (code, (severity, new, known, fixed)) in rows {
        let severity = severity.map_or("-", Severity::as_str);
        if baseline.is_some() {
            writeln!(out, "| `{code}` | {severity} | {new} | {known} | {fixed} |")?;
        } else {
            writeln!(out, "| `{code}` | {severity} | {new} |")?;
        }
    }
    writeln!(out)
}

/// The first findings of each rule, in a collapsed block per rule.
fn write_findings(
    out: &mut impl Write,
    report: &Report<'_>,
    extras: &Extras<'_>,
) -> io::Result<()> {
    let mut by_code: BTreeMap<&str, Vec<&Diagnostic>> = BTreeMap::new();
    for d in report.diagnostics {
        by_code.entry(d.code).or_default().push(d);
    }
    for (code, findings) in by_code {
        let title = if extras.baseline.is_some() {
            "new findings"
        } else {
            "findings"
        };
        let n = findings.len();
        let title = if n == 1 {
            title.trim_end_matches('s')
        } else {
            title
        };
        writeln!(
            out,
            "<details><summary><code>{code}</code>: {n} {title}</summary>\n"
        )?;
        for d in findings.iter().take(FIRST_FINDINGS) {
            let loc = locate(report.vault, &d.path, d.span, ColumnEncoding::Char);
            writeln!(
                out,
                "- {} {}",
                link(extras.link_base, &d.path, Some(loc.line)),
                escape_message(&d.message)
            )?;
        }
        if findings.len() > FIRST_FINDINGS {
            writeln!(out, "- … and {} more", findings.len() - FIRST_FINDINGS)?;
        }
        writeln!(out, "\n</details>\n")?;
    }
    Ok(())
}

fn write_fixed(out: &mut impl Write, change: &BaselineChange) -> io::Result<()> {
    if change.fixed.is_empty() {
        return Ok(());
    }
    writeln!(
        out,
        "<details><summary>Fixed since the baseline: {}</summary>\n",
        change.fixed.len()
    )?;
    for (code, path, subject) in change.fixed.iter().take(FIRST_FIXED) {
        writeln!(out, "- `{code}` {}: {}", escape(path), escape(subject))?;
    }
    if change.fixed.len() > FIRST_FIXED {
        writeln!(out, "- … and {} more", change.fixed.len() - FIRST_FIXED)?;
    }
    writeln!(out, "\n</details>\n")
}

fn write_least_coherent(
    out: &mut impl Write,
    report: &Report<'_>,
    extras: &Extras<'_>,
) -> io::Result<()> {
    let least = report.least_coherent(LEAST_COHERENT);
    if least.is_empty() {
        return Ok(());
    }
    writeln!(out, "<details><summary>Least coherent notes</summary>\n")?;
    writeln!(
        out,
        "| Note | Score | Links | Reciprocity | Drift | Conflicts |"
    )?;
    writeln!(out, "| --- | ---: | ---: | ---: | ---: | ---: |")?;
    for (path, v) in least {
        let drift = v
            .drift
            .map_or_else(|| "-".to_string(), |d| format!("{d:.2}"));
        writeln!(
            out,
            "| {} | {:.2} | {:.2} | {:.2} | {drift} | {} |",
            link(extras.link_base, path, None),
            v.score,
            v.link_integrity,
            v.reciprocity,
            v.conflicts
        )?;
    }
    writeln!(out, "\n</details>")
}

/// `[path:line](base/path#Lline)`, the path percent-encoded in the target.
fn link(base: Option<&str>, path: &str, line: Option<u32>) -> String {
    let shown = match line {
        Some(line) => format!("{path}:{line}"),
        None => path.to_string(),
    };
    let anchor = line.map_or_else(String::new, |line| format!("#L{line}"));
    format!(
        "[{}]({}{}{anchor})",
        escape(&shown),
        base.unwrap_or(""),
        encode_path(path)
    )
}

/// Percent-encodes everything but unreserved characters and `/`.
fn encode_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// A message as Markdown: its code spans (twin quotes names in backticks) kept, where
/// nothing is markup, and the text between them escaped; unbalanced backticks are
/// escaped too.
fn escape_message(text: &str) -> String {
    let parts: Vec<&str> = text.split('`').collect();
    if parts.len().is_multiple_of(2) {
        return escape(text);
    }
    let mut out = String::with_capacity(text.len());
    for (i, part) in parts.iter().enumerate() {
        if i.is_multiple_of(2) {
            out.push_str(&escape(part));
        } else if part.is_empty() {
            out.push_str("\\`\\`");
        } else {
            let part: String = part
                .chars()
                .map(|c| if c.is_control() { ' ' } else { c })
                .collect();
            out.push('`');
            out.push_str(&part);
            out.push('`');
        }
    }
    out
}

/// Note text as inert Markdown: punctuation that could start markup or HTML is
/// backslash-escaped, and line breaks become spaces.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '~' | '&' | '#' | '!' | '('
            | ')' => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' | '\t' => out.push(' '),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_encode_the_target_and_escape_the_text() {
        assert_eq!(
            link(Some("https://x/blob/s/v/"), "a b/[c].md", Some(3)),
            "[a b/\\[c\\].md:3](https://x/blob/s/v/a%20b/%5Bc%5D.md#L3)"
        );
        assert_eq!(link(None, "n.md", None), "[n.md](n.md)");
    }

    #[test]
    fn messages_keep_their_code_spans() {
        assert_eq!(escape_message("`[[A|b]]` in <x>"), "`[[A|b]]` in \\<x\\>");
        assert_eq!(escape_message("one ` tick"), "one \\` tick");
    }

    #[test]
    fn note_text_cannot_open_markup() {
        assert_eq!(
            escape("<script>|`x`\n[l](u)"),
            "\\<script\\>\\|\\`x\\` \\[l\\]\\(u\\)"
        );
    }
}
