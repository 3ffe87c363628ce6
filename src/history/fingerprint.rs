//! The identity of a finding across runs: rule code, note path, subject and occurrence.
//!
//! The subject is what the finding is about, never where: the note text under the span
//! (trimmed, whitespace collapsed), so edits elsewhere in the note keep the fingerprint
//! and editing the link target itself makes a new one. Every exception lives here:
//! note-level rules use the path, and a cycle uses its sorted member paths. Findings with
//! the same code, path and subject are told apart by their order in the note.

use std::fmt;

use rustc_hash::FxHashMap;

use crate::diagnostic::Diagnostic;
use crate::vault::Vault;

/// Rules whose finding is about the note as a whole: the subject is the path.
const NOTE_LEVEL: &[&str] = &[
    "orphan-note",
    "identity-drift",
    "anchor-drift",
    "file-unreadable",
];
/// Subjects are cut to this many characters, so a huge span cannot bloat the trace.
const MAX_SUBJECT_CHARS: usize = 160;

/// A fingerprint: 48 bits of a stable hash, written as 12 hex digits.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Fp(pub u64);

impl Fp {
    /// Parses the 12 hex digits written by `Display` (other lengths up to 16 are accepted).
    pub fn parse(text: &str) -> Option<Fp> {
        if text.is_empty() || text.len() > 16 {
            return None;
        }
        u64::from_str_radix(text, 16).ok().map(Fp)
    }
}

impl fmt::Display for Fp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:012x}", self.0)
    }
}

/// A finding's identity and what it is about.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finding {
    pub fp: Fp,
    pub code: String,
    pub path: String,
    pub subject: String,
    /// Index among findings with the same code, path and subject (0 for the first).
    pub n: u32,
}

/// The fingerprint of a finding's parts. FNV-1a with a final mix: stable across Rust and
/// crate versions, unlike `std`'s and `rustc-hash`'s hashers.
pub fn fingerprint(code: &str, path: &str, subject: &str, n: u32) -> Fp {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let mut feed = |bytes: &[u8]| {
        for &b in bytes {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0000_0100_0000_01b3);
        }
        // A separator no UTF-8 text contains, so ("ab","c") and ("a","bc") differ.
        h ^= 0xff;
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    };
    feed(code.as_bytes());
    feed(path.as_bytes());
    feed(subject.as_bytes());
    feed(&n.to_le_bytes());
    // splitmix64's finalizer spreads FNV's weak low bits over the kept 48.
    h ^= h >> 30;
    h = h.wrapping_mul(0xbf58_476d_1ce4_e5b9);
    h ^= h >> 27;
    h = h.wrapping_mul(0x94d0_49bb_1331_11eb);
    h ^= h >> 31;
    Fp(h >> 16)
}

/// What a diagnostic is about (see the module docs).
pub fn subject(diagnostic: &Diagnostic, vault: &Vault) -> String {
    if NOTE_LEVEL.contains(&diagnostic.code) {
        return diagnostic.path.to_string();
    }
    // A query rule's message names what failed (the property, tag, link or section) and
    // never a position; several requirements of one rule may point at the same place.
    if crate::diagnostic::is_file_rule_code(diagnostic.code) {
        return normalize(&diagnostic.message);
    }
    if diagnostic.code == "relation-cycle" {
        let mut members: Vec<&str> = std::iter::once(&*diagnostic.path)
            .chain(diagnostic.related.iter().map(|r| &*r.path))
            .collect();
        members.sort_unstable();
        members.dedup();
        return format!("cycle of {}", members.join(", "));
    }
    let text = vault
        .note_by_path(&diagnostic.path)
        .map(|id| &vault.note(id).text)
        .and_then(|text| text.get(diagnostic.span.start as usize..diagnostic.span.end as usize))
        .map(normalize)
        .unwrap_or_default();
    if text.is_empty() {
        diagnostic.path.to_string()
    } else {
        text
    }
}

/// Trimmed, runs of whitespace made one space, cut to 160 characters.
pub fn normalize(text: &str) -> String {
    let mut out = String::with_capacity(text.len().min(MAX_SUBJECT_CHARS));
    for (i, word) in text.split_whitespace().enumerate() {
        if i > 0 {
            out.push(' ');
        }
        out.push_str(word);
    }
    if let Some((cut, _)) = out.char_indices().nth(MAX_SUBJECT_CHARS) {
        out.truncate(cut);
    }
    out
}

/// The identity of every diagnostic, in the same order. Diagnostics should be sorted as
/// `check_vault` sorts them, so occurrence indices follow positions in the note.
pub fn fingerprints(diagnostics: &[Diagnostic], vault: &Vault) -> Vec<Finding> {
    let mut seen: FxHashMap<(&str, &str, String), u32> = FxHashMap::default();
    diagnostics
        .iter()
        .map(|d| {
            let subject = subject(d, vault);
            let slot = seen.entry((d.code, &d.path, subject.clone())).or_insert(0);
            let n = *slot;
            *slot += 1;
            Finding {
                fp: fingerprint(d.code, &d.path, &subject, n),
                code: d.code.to_string(),
                path: d.path.to_string(),
                subject,
                n,
            }
        })
        .collect()
}

/// The subject of a finding after note `old` was renamed to `new`: subjects that are paths
/// (note-level findings, cycle members) follow the rename; note text does not change.
pub fn renamed_subject(code: &str, subject: &str, old: &str, new: &str) -> String {
    if let Some(members) = subject.strip_prefix("cycle of ")
        && code == "relation-cycle"
    {
        let mut members: Vec<&str> = members
            .split(", ")
            .map(|m| if m == old { new } else { m })
            .collect();
        members.sort_unstable();
        members.dedup();
        return format!("cycle of {}", members.join(", "));
    }
    if subject == old {
        new.to_string()
    } else {
        subject.to_string()
    }
}
