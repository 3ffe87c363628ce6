//! Unified diffs of planned file changes, as `git diff` prints them (`a/` and `b/`
//! prefixes, three lines of context), so `twin fix --diff > fixes.patch` is a patch
//! that `git apply` and `patch -p1` take. Hunks come from the `similar` crate.

use std::io::{self, Write};

use similar::TextDiff;

use crate::fix::FileChange;

/// Lines of context around each change.
const CONTEXT: usize = 3;

/// Writes the diff of one change; `color` paints removed lines red and added ones green.
pub fn write_diff(out: &mut impl Write, change: &FileChange, color: bool) -> io::Result<()> {
    let path = change.path();
    writeln!(out, "diff --git a/{path} b/{path}")?;
    let (old, new, from, to) = match change {
        FileChange::Edit { original, text, .. } => (
            &**original,
            text.as_str(),
            format!("a/{path}"),
            format!("b/{path}"),
        ),
        FileChange::Create { text, .. } => {
            writeln!(out, "new file mode 100644")?;
            (
                "",
                text.as_str(),
                "/dev/null".to_string(),
                format!("b/{path}"),
            )
        }
    };
    let diff = TextDiff::from_lines(old, new);
    let mut unified = diff.unified_diff();
    let text = unified
        .context_radius(CONTEXT)
        .header(&from, &to)
        .to_string();
    if !color {
        return out.write_all(text.as_bytes());
    }
    for line in text.split_inclusive('\n') {
        let paint = match line.as_bytes().first() {
            _ if line.starts_with("---") || line.starts_with("+++") => "\x1b[1m",
            Some(b'-') => "\x1b[31m",
            Some(b'+') => "\x1b[32m",
            Some(b'@') => "\x1b[36m",
            _ => "",
        };
        if paint.is_empty() {
            out.write_all(line.as_bytes())?;
        } else {
            let body = line.strip_suffix('\n').unwrap_or(line);
            write!(out, "{paint}{}\x1b[0m", escape(body))?;
            if line.ends_with('\n') {
                writeln!(out)?;
            }
        }
    }
    Ok(())
}

/// Control characters from note text, shown escaped so a note cannot drive the terminal.
fn escape(line: &str) -> String {
    line.chars()
        .map(|c| {
            if c.is_control() && c != '\t' {
                c.escape_default().to_string()
            } else {
                c.to_string()
            }
        })
        .collect()
}
