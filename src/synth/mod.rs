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

mod lexicon;
mod plan;
mod rng;
#[cfg(test)]
mod tests;
mod writer;

use std::fs;
use std::io;
use std::path::Path;

use rayon::prelude::*;

use lexicon::*;
use plan::*;
use writer::*;

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
