//! `twin search`: the vault's notes ranked for a query, with the matching lines.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::sync::Arc;

use anstyle::{AnsiColor, Style};
use clap::{Args, ValueEnum};
use serde_json::json;

use super::report::human::escape_control;
use super::{ColorChoice, EXIT_ERROR, EXIT_FINDINGS, EXIT_OK};
use crate::note::{Note, parse_note};
use crate::search::cache::read_note_text;
use crate::search::{IndexOptions, LineMatch, SearchIndex, SearchQuery, parse_query};

/// Matching lines shown per note in human output.
const HUMAN_LINES: usize = 3;
/// Matching lines listed per note in JSON output.
const JSON_LINES: usize = 20;
/// Characters of a long line shown around its first match.
const LINE_WINDOW: usize = 160;

#[derive(Args, Debug)]
pub struct SearchArgs {
    /// What to look for: words, "a phrase", tag:name, path:folder, title:word, -word
    /// to exclude, `a OR b`.
    pub query: String,
    /// The vault's root folder.
    #[arg(default_value = ".")]
    pub path: PathBuf,
    /// How many notes to show at most.
    #[arg(long, default_value_t = 10)]
    pub limit: usize,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// When to colour human output.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
    /// Where twin keeps its caches (default: $TWIN_CACHE_DIR, else the user cache folder).
    #[arg(long, value_name = "DIR")]
    pub cache_dir: Option<PathBuf>,
    /// Build the index in memory and write nothing.
    #[arg(long)]
    pub no_cache: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Human,
    Json,
}

/// One hit, ready to print.
struct Shown {
    path: Arc<str>,
    title: String,
    score: f32,
    lines: Vec<ShownLine>,
    more_lines: usize,
}

/// A matching line as printed.
struct ShownLine {
    /// 1-based.
    number: u32,
    text: String,
    /// 1-based, end-exclusive character columns of the matches in `text`.
    columns: Vec<(u32, u32)>,
}

pub fn run(args: &SearchArgs) -> u8 {
    let config = match super::load::open_rulebook(&args.path) {
        Ok(rulebook) => rulebook.config,
        Err(code) => return code,
    };
    let options = IndexOptions {
        cache_dir: args.cache_dir.clone(),
        in_memory: args.no_cache,
        ..IndexOptions::default()
    };
    let (index, report) = match SearchIndex::open(&args.path, &config, &options) {
        Ok(opened) => opened,
        Err(err) => {
            eprintln!("error: {err}");
            return EXIT_ERROR;
        }
    };
    for message in &report.messages {
        eprintln!("info: {message}");
    }
    let query = parse_query(&args.query);
    let (hits, total) = match index.search_counted(&query, args.limit) {
        Ok(found) => found,
        Err(err) => {
            eprintln!("error: {err}");
            return EXIT_ERROR;
        }
    };
    let root = args
        .path
        .canonicalize()
        .unwrap_or_else(|_| args.path.clone());
    let max_lines = match args.format {
        Format::Human => HUMAN_LINES,
        Format::Json => JSON_LINES,
    };
    let shown: Vec<Shown> = hits
        .iter()
        .map(|hit| {
            let note = read_note_text(&root.join(&*hit.path))
                .map(|text| parse_note(hit.path.clone(), text));
            show(
                hit.path.clone(),
                hit.score,
                note.as_ref(),
                &query,
                max_lines,
            )
        })
        .collect();

    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let written = match args.format {
        Format::Json => {
            let document = json!({
                "version": 1,
                "query": args.query,
                "total": total,
                "hits": shown.iter().map(|s| json!({
                    "path": &*s.path,
                    "title": s.title,
                    "score": (f64::from(s.score) * 1000.0).round() / 1000.0,
                    "lines": s.lines.iter().map(|l| json!({
                        "line": l.number,
                        "text": l.text,
                        "matches": l.columns.iter().map(|(c, e)| json!({"column": c, "end_column": e})).collect::<Vec<_>>(),
                    })).collect::<Vec<_>>(),
                })).collect::<Vec<_>>(),
            });
            serde_json::to_writer(&mut out, &document)
                .map_err(std::io::Error::other)
                .and_then(|()| writeln!(out))
        }
        Format::Human => {
            let color = match args.color {
                ColorChoice::Always => true,
                ColorChoice::Never => false,
                ColorChoice::Auto => {
                    std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none()
                }
            };
            write_human(&mut out, &shown, total, color)
        }
    };
    if let Err(err) = written.and_then(|()| out.flush()) {
        if err.kind() != std::io::ErrorKind::BrokenPipe {
            eprintln!("error: cannot write the results: {err}");
        }
        return EXIT_ERROR;
    }
    if hits.is_empty() {
        EXIT_FINDINGS
    } else {
        EXIT_OK
    }
}

fn show(
    path: Arc<str>,
    score: f32,
    note: Option<&Note>,
    query: &SearchQuery,
    max_lines: usize,
) -> Shown {
    let Some(note) = note else {
        // The file changed or vanished since it was indexed: show the path alone.
        return Shown {
            title: crate::note::note_name(&path).to_string(),
            path,
            score,
            lines: Vec::new(),
            more_lines: 0,
        };
    };
    let matching = query.matching_lines(note);
    let lines = matching
        .iter()
        .take(max_lines)
        .map(|m| line_for_output(note, m))
        .collect();
    Shown {
        title: note.title().to_string(),
        path,
        score,
        lines,
        more_lines: matching.len().saturating_sub(max_lines),
    }
}

/// A matching line as printed: a window around the first match when the line is long,
/// control characters escaped, columns counted in characters of the printed text.
fn line_for_output(note: &Note, m: &LineMatch) -> ShownLine {
    let text = &note.text[m.line.range()];
    let line_no = note.line_index.line_of(m.line.start as usize) + 1;
    let first = m
        .matches
        .first()
        .map_or(0, |s| (s.start - m.line.start) as usize);
    let chars_before = text[..first].chars().count();
    let from = if chars_before > LINE_WINDOW / 2 {
        text.char_indices()
            .nth(chars_before - LINE_WINDOW / 4)
            .map_or(0, |(i, _)| i)
    } else {
        0
    };
    let to = text[from..]
        .char_indices()
        .nth(LINE_WINDOW)
        .map_or(text.len(), |(i, _)| from + i);
    let mut shown = String::new();
    let mut columns = Vec::new();
    if from > 0 {
        shown.push('…');
    }
    let mut cursor = from;
    for span in &m.matches {
        let (start, end) = (
            (span.start - m.line.start) as usize,
            (span.end - m.line.start) as usize,
        );
        if start < cursor || end > to {
            continue;
        }
        shown.push_str(&escape_control(&text[cursor..start]));
        let column = shown.chars().count() as u32 + 1;
        shown.push_str(&escape_control(&text[start..end]));
        columns.push((column, shown.chars().count() as u32 + 1));
        cursor = end;
    }
    shown.push_str(&escape_control(&text[cursor..to]));
    if to < text.len() {
        shown.push('…');
    }
    ShownLine {
        number: line_no,
        text: shown,
        columns,
    }
}

fn write_human(
    out: &mut impl Write,
    shown: &[Shown],
    total: usize,
    color: bool,
) -> std::io::Result<()> {
    let path_style = if color {
        Style::new().bold()
    } else {
        Style::new()
    };
    let hit_style = if color {
        Style::new().bold().fg_color(Some(AnsiColor::Red.into()))
    } else {
        Style::new()
    };
    let dim = if color {
        Style::new().dimmed()
    } else {
        Style::new()
    };
    for (i, s) in shown.iter().enumerate() {
        if i > 0 {
            writeln!(out)?;
        }
        let title = if s.title != crate::note::note_name(&s.path) {
            format!(" {dim}({}){dim:#}", escape_control(&s.title))
        } else {
            String::new()
        };
        writeln!(
            out,
            "{path_style}{}{path_style:#}{title}",
            escape_control(&s.path)
        )?;
        for ShownLine {
            number: line,
            text,
            columns,
        } in &s.lines
        {
            write!(out, "  {dim}{line:>4}:{dim:#} ")?;
            let mut at = 0;
            for (i, ch) in text.chars().enumerate() {
                let column = i as u32 + 1;
                if columns.iter().any(|(_, e)| *e == column) {
                    write!(out, "{hit_style:#}")?;
                }
                if columns.iter().any(|(c, _)| *c == column) {
                    write!(out, "{hit_style}")?;
                }
                write!(out, "{ch}")?;
                at = column;
            }
            if columns.iter().any(|(_, e)| *e == at + 1) {
                write!(out, "{hit_style:#}")?;
            }
            writeln!(out)?;
        }
        if s.more_lines > 0 {
            writeln!(out, "  {dim}… {} more matching lines{dim:#}", s.more_lines)?;
        }
    }
    let noun = if total == 1 { "note" } else { "notes" };
    if shown.len() < total {
        writeln!(out, "{} of {total} matching {noun} shown.", shown.len())
    } else {
        writeln!(out, "{total} matching {noun}.")
    }
}
