//! `twin fix`'s plan: for every fixable finding of a check, its one fix (safe, or unsafe
//! when asked) or the reason there is none; fixes that would touch the same bytes are
//! held back for the next run; and the new text of every file the plan changes.

use std::collections::BTreeMap;
use std::sync::Arc;

use rayon::prelude::*;

use super::canvas::repair_canvas_link;
use super::create::{new_note_path, new_note_text};
use super::edit::{FileOp, Fix, TextChange, apply_changes};
use super::footnote::remove_footnote_definition;
use super::link::{NO_MATCH, repair_link};
use super::relation::answer_fix;
use super::{FixContext, Safety};
use crate::config::Relation;
use crate::diagnostic::Diagnostic;
use crate::note::{VaultPath, note_name};
use crate::rules::is_one_sided;
use crate::text::Span;
use crate::vault::NoteId;
use crate::vault::normalize_key;

/// The rules `twin fix` repairs.
pub const FIXABLE: &[&str] = &[
    "broken-link",
    "broken-heading",
    "one-sided-relation",
    "footnote-unused",
];

/// What to plan.
#[derive(Clone, Copy, Debug, Default)]
pub struct PlanOptions<'a> {
    /// Also guess (closest names), delete (unused footnotes) and create notes.
    pub allow_unsafe: bool,
    /// Only findings of these codes; all fixable ones when empty.
    pub codes: &'a [String],
    /// The text of new notes (`{{title}}` is replaced); a heading when `None`.
    pub template: Option<&'a str>,
}

/// A finding: where it is and what rule found it.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Finding {
    pub path: VaultPath,
    pub span: Span,
    pub code: &'static str,
}

/// One fix of the plan and the findings it repairs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PlannedFix {
    pub code: &'static str,
    pub safety: Safety,
    pub fix: Fix,
    pub findings: Vec<Finding>,
}

/// A finding the plan leaves alone, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Unfixable {
    pub finding: Finding,
    pub reason: String,
}

/// A file the plan changes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FileChange {
    /// An existing note: its text as read, and its new text.
    Edit {
        path: VaultPath,
        original: Arc<str>,
        text: String,
    },
    /// A new note.
    Create { path: VaultPath, text: String },
}

impl FileChange {
    pub fn path(&self) -> &VaultPath {
        match self {
            FileChange::Edit { path, .. } | FileChange::Create { path, .. } => path,
        }
    }
}

/// Everything `twin fix` would do.
#[derive(Clone, Debug, Default)]
pub struct FixPlan {
    /// Sorted by their first finding.
    pub fixes: Vec<PlannedFix>,
    /// Sorted by finding.
    pub unfixable: Vec<Unfixable>,
    /// Sorted by path.
    pub files: Vec<FileChange>,
}

impl FixPlan {
    /// Findings repaired, per rule code, in [`FIXABLE`] order.
    pub fn counts(&self) -> Vec<(&'static str, usize)> {
        FIXABLE
            .iter()
            .filter_map(|code| {
                let n: usize = self
                    .fixes
                    .iter()
                    .filter(|f| f.code == *code)
                    .map(|f| f.findings.len())
                    .sum();
                (n > 0).then_some((*code, n))
            })
            .collect()
    }
}

/// What one finding turned into before grouping.
enum Step {
    Fixed(PlannedFix),
    Unfixable(Unfixable),
    /// A broken link whose note may be created: the path, the finding.
    Create(String, Finding),
    /// A one-sided relation: the note that should answer, with which relation, to whom.
    Answer(NoteId, Relation, NoteId, Finding),
}

/// Plans the fixes of `diagnostics` (a check's findings on `cx.vault`).
pub fn plan_fixes(
    cx: &FixContext<'_>,
    diagnostics: &[Diagnostic],
    options: PlanOptions<'_>,
) -> FixPlan {
    let wanted = |code: &str| {
        FIXABLE.contains(&code)
            && (options.codes.is_empty() || options.codes.iter().any(|c| c == code))
    };
    let chosen: Vec<&Diagnostic> = diagnostics.iter().filter(|d| wanted(d.code)).collect();
    if chosen.iter().any(|d| d.code == "broken-link") {
        // Built once here rather than raced for by the threads below.
        cx.names();
    }
    if chosen.iter().any(|d| d.code == "one-sided-relation") {
        cx.style();
    }
    let steps: Vec<Step> = chosen
        .par_iter()
        .filter_map(|d| step(cx, d, options.allow_unsafe))
        .collect();

    let mut fixes = Vec::new();
    let mut unfixable = Vec::new();
    let mut creates: BTreeMap<String, (String, Vec<Finding>)> = BTreeMap::new();
    let mut answers: BTreeMap<(NoteId, Relation), Vec<(NoteId, Finding)>> = BTreeMap::new();
    for step in steps {
        match step {
            Step::Fixed(fix) => fixes.push(fix),
            Step::Unfixable(u) => unfixable.push(u),
            // One note per missing name, wherever the links to it are: the first path
            // in order, which every `[[Name]]` reaches.
            Step::Create(path, finding) => creates
                .entry(normalize_key(note_name(&path)).into_owned())
                .or_insert_with(|| (path, Vec::new()))
                .1
                .push(finding),
            Step::Answer(to, relation, from, finding) => answers
                .entry((to, relation))
                .or_default()
                .push((from, finding)),
        }
    }
    for (path, findings) in creates.into_values() {
        if cx.vault.note_by_path(&path).is_some() {
            unfixable.extend(findings.into_iter().map(|finding| Unfixable {
                finding,
                reason: format!("a note {path} exists but the link does not reach it"),
            }));
            continue;
        }
        let text = new_note_text(note_name(&path), options.template);
        fixes.push(PlannedFix {
            code: "broken-link",
            safety: Safety::Unsafe,
            fix: Fix {
                title: format!("Create note {path}"),
                ops: vec![FileOp::Create {
                    path: path.as_str().into(),
                    text,
                }],
                preferred: false,
            },
            findings,
        });
    }
    for ((to, relation), mut sources) in answers {
        sources.sort_by(|a, b| a.1.cmp(&b.1));
        let mut from: Vec<NoteId> = sources.iter().map(|(id, _)| *id).collect();
        from.dedup();
        let findings: Vec<Finding> = sources.into_iter().map(|(_, f)| f).collect();
        match answer_fix(cx, to, relation, &from) {
            Ok(fix) => fixes.push(PlannedFix {
                code: "one-sided-relation",
                safety: Safety::Safe,
                fix,
                findings,
            }),
            Err(reason) => unfixable.extend(findings.into_iter().map(|finding| Unfixable {
                finding,
                reason: reason.clone(),
            })),
        }
    }
    for f in &mut fixes {
        f.findings.sort();
    }
    fixes.sort_by(|a, b| a.findings.first().cmp(&b.findings.first()));
    let (fixes, held) = without_overlaps(fixes);
    unfixable.extend(held);
    unfixable.sort_by(|a, b| a.finding.cmp(&b.finding));
    let files = file_changes(cx, &fixes);
    FixPlan {
        fixes,
        unfixable,
        files,
    }
}

/// The fix (or reason, or group) of one finding.
fn step(cx: &FixContext<'_>, d: &Diagnostic, allow_unsafe: bool) -> Option<Step> {
    if d.code == "broken-link"
        && let Some(canvas) = cx.vault.canvas(&d.path)
    {
        let finding = Finding {
            path: d.path.clone(),
            span: d.span,
            code: d.code,
        };
        return Some(match repair_canvas_link(cx, canvas, d.span) {
            Ok(fix) => Step::Fixed(PlannedFix {
                code: d.code,
                safety: Safety::Safe,
                fix,
                findings: vec![finding],
            }),
            Err(reason) => Step::Unfixable(Unfixable { finding, reason }),
        });
    }
    let id = cx.vault.note_by_path(&d.path)?;
    let note = cx.vault.note(id);
    let finding = Finding {
        path: d.path.clone(),
        span: d.span,
        code: d.code,
    };
    let unfixable = |finding, reason: String| Some(Step::Unfixable(Unfixable { finding, reason }));
    let fixed = |finding, (safety, fix): (Safety, Fix)| {
        Some(Step::Fixed(PlannedFix {
            code: d.code,
            safety,
            fix,
            findings: vec![finding],
        }))
    };
    match d.code {
        "broken-link" | "broken-heading" => {
            let j = note.links.iter().position(|l| {
                if d.code == "broken-link" {
                    l.target_span == d.span
                } else {
                    l.anchor.as_ref().is_some_and(|a| a.span == d.span)
                }
            })?;
            match repair_link(cx, id, j, allow_unsafe) {
                Ok(found) => fixed(finding, found),
                Err(reason) => {
                    let link = &note.links[j];
                    let resolution = &cx.graph.resolutions[id.0 as usize][j];
                    let creatable = d.code == "broken-link"
                        && reason.starts_with(NO_MATCH)
                        && !link.embed
                        && !resolution.outside_vault();
                    let path = creatable
                        .then(|| {
                            new_note_path(&cx.vault.root, note, link.target(&note.text), link.kind)
                        })
                        .flatten();
                    match path {
                        Some(path) if allow_unsafe => Some(Step::Create(path, finding)),
                        Some(_) => unfixable(
                            finding,
                            format!("{reason} (creating the note is an unsafe fix)"),
                        ),
                        None => unfixable(finding, reason),
                    }
                }
            }
        }
        "footnote-unused" => {
            let i = note.footnote_defs.iter().position(|f| f.span == d.span)?;
            if allow_unsafe {
                fixed(
                    finding,
                    (Safety::Unsafe, remove_footnote_definition(note, i)),
                )
            } else {
                unfixable(finding, "removing a definition is an unsafe fix".into())
            }
        }
        "one-sided-relation" => {
            let edges = cx.coherence.topology.typed(id);
            let k = edges.iter().enumerate().position(|(k, e)| {
                note.links
                    .get(e.link as usize)
                    .is_some_and(|l| l.span == d.span)
                    && is_one_sided(cx.coherence, id, k)
            })?;
            let edge = &edges[k];
            Some(Step::Answer(edge.to, edge.relation.inverse(), id, finding))
        }
        _ => None,
    }
}

/// Keeps fixes in order while their edits touch no bytes an earlier kept fix edits;
/// the others wait for the next run (their findings may be gone by then).
fn without_overlaps(fixes: Vec<PlannedFix>) -> (Vec<PlannedFix>, Vec<Unfixable>) {
    let mut taken: BTreeMap<VaultPath, Vec<Span>> = BTreeMap::new();
    let mut created: Vec<VaultPath> = Vec::new();
    let mut kept = Vec::new();
    let mut held = Vec::new();
    for fix in fixes {
        let clash = fix.fix.ops.iter().any(|op| match op {
            FileOp::Edit { path, changes } => taken.get(path).is_some_and(|spans| {
                changes
                    .iter()
                    .any(|c| spans.iter().any(|s| overlaps(*s, c.span)))
            }),
            FileOp::Create { path, .. } => created.contains(path),
            FileOp::Rename { .. } | FileOp::Delete { .. } => true,
        });
        if clash {
            held.extend(fix.findings.into_iter().map(|finding| Unfixable {
                finding,
                reason: "another fix edits the same text; run `twin fix` again".into(),
            }));
            continue;
        }
        for op in &fix.fix.ops {
            match op {
                FileOp::Edit { path, changes } => taken
                    .entry(path.clone())
                    .or_default()
                    .extend(changes.iter().map(|c| c.span)),
                FileOp::Create { path, .. } => created.push(path.clone()),
                FileOp::Rename { .. } | FileOp::Delete { .. } => {}
            }
        }
        kept.push(fix);
    }
    (kept, held)
}

/// Whether two edits touch the same bytes: overlapping replacements, or an insertion
/// strictly inside a replaced range. Insertions at one offset do not clash.
fn overlaps(a: Span, b: Span) -> bool {
    let (a0, a1, b0, b1) = (a.start, a.end, b.start, b.end);
    if a0 == a1 && b0 == b1 {
        return false;
    }
    if a0 == a1 {
        return b0 < a0 && a0 < b1;
    }
    if b0 == b1 {
        return a0 < b0 && b0 < a1;
    }
    a0 < b1 && b0 < a1
}

/// The new text of every file the fixes touch.
fn file_changes(cx: &FixContext<'_>, fixes: &[PlannedFix]) -> Vec<FileChange> {
    let mut edits: BTreeMap<VaultPath, Vec<TextChange>> = BTreeMap::new();
    let mut out = Vec::new();
    for fix in fixes {
        for op in &fix.fix.ops {
            match op {
                FileOp::Edit { path, changes } => edits
                    .entry(path.clone())
                    .or_default()
                    .extend(changes.iter().cloned()),
                FileOp::Create { path, text } => out.push(FileChange::Create {
                    path: path.clone(),
                    text: text.clone(),
                }),
                FileOp::Rename { .. } | FileOp::Delete { .. } => {}
            }
        }
    }
    for (path, mut changes) in edits {
        let original = match cx.vault.note_by_path(&path) {
            Some(id) => cx.vault.note(id).text.clone(),
            None => match cx.vault.canvas(&path) {
                Some(canvas) => canvas.text.clone(),
                None => continue,
            },
        };
        // Stable: insertions at one offset keep the order of their fixes.
        changes.sort_by_key(|c| (c.span.start, c.span.end));
        let text = apply_changes(&original, &changes);
        if text != *original {
            out.push(FileChange::Edit {
                path,
                original,
                text,
            });
        }
    }
    out.sort_by(|a, b| a.path().cmp(b.path()));
    out
}
