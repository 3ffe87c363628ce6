//! Output of `twin history`: the event table, JSON, and the trend as sparklines.

use std::io::{self, Write};

use crate::history::compact::CompactSummary;
use crate::history::trend::sparkline;
use crate::history::{EventKind, OwnedEvent, RecordSummary, Trend};

/// Widest subject shown in the table.
const SUBJECT_WIDTH: usize = 40;

/// One line for stderr after `--record`.
pub fn record_summary(s: &RecordSummary) -> String {
    if s.events() == 0 {
        return format!("history: no change ({} open)", s.open);
    }
    let mut line = format!(
        "history: {} opened, {} resolved, {} reopened ({} open)",
        s.opened, s.resolved, s.reopened, s.open
    );
    if s.anchored > 0 {
        line.push_str(&format!("; {} notes anchored", s.anchored));
    }
    line
}

pub fn compact_summary(s: &CompactSummary, keep_days: u32) -> String {
    format!(
        "compacted the trace: {} → {} events, {} → {} bytes; dropped {} findings closed more than {keep_days} days ago",
        s.events_before, s.events_after, s.bytes_before, s.bytes_after, s.findings_dropped
    )
}

/// Cuts `text` to `width` characters with an ellipsis, and makes it one line.
fn cell(text: &str, width: usize) -> String {
    let one_line: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    if one_line.chars().count() <= width {
        return one_line;
    }
    let mut cut: String = one_line.chars().take(width - 1).collect();
    cut.push('…');
    cut
}

/// The row of one event: when, what, rule, note, subject, fingerprint.
fn row(e: &OwnedEvent) -> [String; 6] {
    let when = e.ts.to_string();
    let when = format!("{} {}", &when[..10], &when[11..16]);
    let fp = e.fp.map(|fp| fp.to_string()).unwrap_or_default();
    let (path, subject) = match e.kind {
        EventKind::Moved => (format!("{} → {}", e.from, e.path), String::new()),
        EventKind::Score => (
            String::new(),
            format!("coherence {:.3}", f64::from(e.n) / 1000.0),
        ),
        EventKind::Anchor => {
            let stems: Vec<&str> = e.terms.iter().take(5).map(|(s, _)| s.as_ref()).collect();
            (e.path.to_string(), stems.join(" "))
        }
        _ => (e.path.to_string(), e.subject.to_string()),
    };
    [
        when,
        e.kind.to_string(),
        e.code.to_string(),
        path,
        cell(&subject, SUBJECT_WIDTH),
        fp,
    ]
}

/// Aligned columns, newest first (the order given).
pub fn events_table(out: &mut impl Write, events: &[OwnedEvent]) -> io::Result<()> {
    if events.is_empty() {
        return writeln!(
            out,
            "no events (record findings with `twin check --record`)"
        );
    }
    let header = [
        "WHEN (UTC)",
        "EVENT",
        "RULE",
        "NOTE",
        "SUBJECT",
        "FINGERPRINT",
    ]
    .map(String::from);
    let rows: Vec<[String; 6]> = std::iter::once(header)
        .chain(events.iter().map(row))
        .collect();
    let mut widths = [0usize; 6];
    for r in &rows {
        for (w, c) in widths.iter_mut().zip(r) {
            *w = (*w).max(c.chars().count());
        }
    }
    for r in &rows {
        let mut line = String::new();
        for (i, (c, w)) in r.iter().zip(widths).enumerate() {
            if i + 1 == r.len() {
                line.push_str(c);
            } else {
                line.push_str(c);
                line.push_str(&" ".repeat(w - c.chars().count() + 2));
            }
        }
        writeln!(out, "{}", line.trim_end())?;
    }
    writeln!(
        out,
        "{} event{}",
        events.len(),
        if events.len() == 1 { "" } else { "s" }
    )
}

/// `{"version":1,"events":[...]}`, each event in the trace's own JSON shape.
pub fn events_json(out: &mut impl Write, events: &[OwnedEvent]) -> io::Result<()> {
    write!(out, "{{\"version\":1,\"events\":[")?;
    for (i, e) in events.iter().enumerate() {
        if i > 0 {
            write!(out, ",")?;
        }
        write!(out, "\n  {}", e.to_json())?;
    }
    writeln!(out, "{}]}}", if events.is_empty() { "" } else { "\n" })
}

/// A sparkline per rule and the total, each scaled to its own maximum.
pub fn trend_table(out: &mut impl Write, trend: &Trend) -> io::Result<()> {
    let (Some(first), Some(last)) = (trend.days.first(), trend.days.last()) else {
        return Ok(());
    };
    writeln!(
        out,
        "open findings at the end of each day, {first} to {last} (UTC, {} days)",
        trend.days.len()
    )?;
    let width = trend
        .series
        .keys()
        .map(|k| k.chars().count())
        .max()
        .unwrap_or(0)
        .max("total".len());
    let line = |out: &mut dyn Write, name: &str, values: &[u32]| {
        let max = values.iter().copied().max().unwrap_or(0);
        let now = values.last().copied().unwrap_or(0);
        writeln!(
            out,
            "{name:<width$}  {}  now {now:>4}  max {max:>4}",
            sparkline(values, max)
        )
    };
    for (code, values) in &trend.series {
        line(out, code, values)?;
    }
    line(out, "total", &trend.total)
}

pub fn trend_json(out: &mut impl Write, trend: &Trend) -> io::Result<()> {
    #[derive(serde::Serialize)]
    struct Doc<'a> {
        version: u32,
        #[serde(flatten)]
        trend: &'a Trend,
    }
    serde_json::to_writer_pretty(&mut *out, &Doc { version: 1, trend })?;
    writeln!(out)
}
