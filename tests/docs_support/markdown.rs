//! Just enough markdown for the documentation tests: the pages, their fenced code blocks
//! with the section each sits in, their headings and their relative links.

use std::path::{Path, PathBuf};

/// A documentation page.
pub struct Page {
    /// The path from the repository's root, with `/`.
    pub name: String,
    pub path: PathBuf,
    pub text: String,
}

/// A fenced code block.
pub struct Block {
    /// The first word of the info string (`console`, `markdown`, …), empty when none.
    pub lang: String,
    /// The line of the opening fence, 1-based.
    pub line: usize,
    /// The heading the block sits under (its text, without `#`s).
    pub section: String,
    /// The lines between the fences.
    pub body: Vec<String>,
}

/// README.md and every page under `docs/`, sorted by name.
pub fn pages(root: &Path) -> Vec<Page> {
    let mut paths = vec![root.join("README.md")];
    collect(&root.join("docs"), &mut paths);
    let mut pages: Vec<Page> = paths
        .into_iter()
        .map(|path| {
            let text = std::fs::read_to_string(&path)
                .unwrap_or_else(|err| panic!("read {}: {err}", path.display()));
            let name = path
                .strip_prefix(root)
                .expect("under the root")
                .to_string_lossy()
                .replace('\\', "/");
            Page { name, path, text }
        })
        .collect();
    pages.sort_by(|a, b| a.name.cmp(&b.name));
    pages
}

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect(&path, out);
        } else if path.extension().is_some_and(|e| e == "md") {
            out.push(path);
        }
    }
}

impl Page {
    /// The fenced code blocks, in order.
    pub fn blocks(&self) -> Vec<Block> {
        let mut blocks = Vec::new();
        let mut section = String::new();
        let mut open: Option<(Block, usize, String)> = None;
        for (i, line) in self.text.lines().enumerate() {
            let trimmed = line.trim_start();
            let indent = line.len() - trimmed.len();
            if let Some((block, depth, fence)) = &mut open {
                if trimmed.trim_end() == fence.as_str() {
                    let (block, _, _) = open.take().expect("open");
                    blocks.push(block);
                } else {
                    // Lines of an indented block lose the fence's indentation.
                    let spaces = line.len() - line.trim_start_matches(' ').len();
                    block.body.push(line[spaces.min(*depth)..].to_string());
                }
                continue;
            }
            if let Some(fence_len) = fence_of(trimmed) {
                let lang = trimmed[fence_len..]
                    .split_whitespace()
                    .next()
                    .unwrap_or_default()
                    .to_string();
                let block = Block {
                    lang,
                    line: i + 1,
                    section: section.clone(),
                    body: Vec::new(),
                };
                open = Some((block, indent, trimmed[..fence_len].to_string()));
            } else if let Some(heading) = heading_of(line) {
                section = heading.to_string();
            }
        }
        blocks
    }

    /// The GitHub anchors of the page's headings (outside code blocks).
    pub fn anchors(&self) -> Vec<String> {
        let mut anchors = Vec::new();
        let mut in_code = false;
        for line in self.text.lines() {
            if fence_of(line.trim_start()).is_some() {
                in_code = !in_code;
            } else if !in_code && let Some(heading) = heading_of(line) {
                anchors.push(super::slug(heading));
            }
        }
        anchors
    }

    /// The targets of the page's markdown links `[text](target)` outside code, with their
    /// line numbers.
    pub fn links(&self) -> Vec<(usize, String)> {
        let mut links = Vec::new();
        let mut in_code = false;
        for (i, line) in self.text.lines().enumerate() {
            if fence_of(line.trim_start()).is_some() {
                in_code = !in_code;
                continue;
            }
            if in_code {
                continue;
            }
            let prose = strip_inline_code(line);
            let mut rest = prose.as_str();
            while let Some(at) = rest.find("](") {
                let after = &rest[at + 2..];
                let Some(end) = after.find(')') else { break };
                links.push((i + 1, after[..end].to_string()));
                rest = &after[end..];
            }
        }
        links
    }
}

/// The length of the fence that opens a code block on this line, if it does.
fn fence_of(trimmed: &str) -> Option<usize> {
    let len = trimmed.bytes().take_while(|&b| b == b'`').count();
    (len >= 3).then_some(len)
}

/// The text of an ATX heading.
fn heading_of(line: &str) -> Option<&str> {
    let hashes = line.bytes().take_while(|&b| b == b'#').count();
    if hashes == 0 || hashes > 6 {
        return None;
    }
    line[hashes..].strip_prefix(' ').map(str::trim)
}

/// The line with `inline code` spans blanked out.
fn strip_inline_code(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut in_code = false;
    for c in line.chars() {
        if c == '`' {
            in_code = !in_code;
        } else if !in_code {
            out.push(c);
        }
    }
    out
}
