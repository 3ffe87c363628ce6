//! The rules of `twin check`: one file per rule, a registry, and the entry that runs them.
//!
//! A rule is a [`Rule`]: a stable kebab-case code, a default severity, a one-line summary
//! and a check function. Per-note checks run in parallel; vault-wide checks run once.

mod alias_conflict;
mod ambiguous_link;
mod anchor_drift;
mod broken_block;
mod broken_heading;
mod broken_link;
mod date_order;
mod docs;
mod file_unreadable;
mod footnote_duplicate;
mod footnote_malformed;
mod footnote_undefined;
mod footnote_unused;
mod frontmatter_duplicate_key;
mod frontmatter_invalid;
mod identity_drift;
mod one_sided_relation;
mod orphan_note;
mod registry;
mod relation_conflict;
mod relation_cycle;
mod relation_drift;
mod rulebook;
mod self_link;
mod self_relation;
mod tag_invalid;
mod unlinked_mention;

use rayon::prelude::*;

use crate::coherence::{Coherence, TypedEdge};
use crate::config::{Config, RuleLevel};
use crate::note::{AnchorKind, Note, VaultPath};
use crate::query_rules::{FullText, QueryContext, QueryRule, check_note_queries};
use crate::resolve::{AnchorResolution, LinkGraph, LinkResolution, LinkTarget};
use crate::text::Span;
use crate::vault::{NoteId, Vault};

use crate::diagnostic::{Diagnostic, Related, Severity};
pub use docs::{docs_url, pack_docs_url, page, repository_url};
pub use one_sided_relation::is_one_sided;
pub use registry::{OFF_BY_DEFAULT, RULES, rule};
pub use rulebook::Rulebook;
pub(crate) use tag_invalid::tag_problem;

/// What a rule inspects.
#[derive(Clone, Copy)]
pub enum Check {
    /// Looks at one note (and whatever it links to); may run for one note alone.
    Note(fn(&NoteContext<'_>, &mut Emitter<'_>)),
    /// Looks at the whole vault at once.
    Vault(fn(&VaultContext<'_>, &mut Emitter<'_>)),
}

/// A rule of `twin check`.
pub struct Rule {
    pub code: &'static str,
    pub default_severity: Severity,
    /// One sentence for `twin rules` and SARIF; also the first paragraph of the rule's page
    /// (`docs/rules/<code>.md`, checked by `tests/docs_rules.rs`).
    pub summary: &'static str,
    pub check: Check,
}

/// The vault, its resolved links and its coherence model, shared by every rule.
#[derive(Clone, Copy)]
pub struct VaultContext<'a> {
    pub vault: &'a Vault,
    pub graph: &'a LinkGraph,
    pub coherence: &'a Coherence,
}

/// One note within its vault.
#[derive(Clone, Copy)]
pub struct NoteContext<'a> {
    pub vault: &'a Vault,
    pub graph: &'a LinkGraph,
    pub coherence: &'a Coherence,
    pub id: NoteId,
    pub note: &'a Note,
}

impl<'a> NoteContext<'a> {
    /// The resolution of every link of this note, in the order of `note.links`.
    pub fn resolutions(&self) -> &'a [LinkResolution] {
        &self.graph.resolutions[self.id.0 as usize]
    }

    /// Links of this note that reach a note but name a heading or block it lacks.
    pub fn missing_anchors(&self) -> impl Iterator<Item = MissingAnchor<'a>> + 'a {
        let resolutions = self.resolutions();
        self.note
            .links
            .iter()
            .zip(resolutions)
            .filter_map(|(link, resolution)| {
                match (&link.anchor, &resolution.target, &resolution.anchor) {
                    (Some(anchor), Some(LinkTarget::Note(target)), AnchorResolution::Missing) => {
                        Some(MissingAnchor {
                            span: anchor.span,
                            kind: link.anchor_kind(&self.note.text)?,
                            target: *target,
                        })
                    }
                    _ => None,
                }
            })
    }

    /// A related-information entry pointing into this note.
    pub fn related(&self, span: Span, message: impl Into<String>) -> Related {
        Related {
            path: self.note.path.clone(),
            span,
            message: message.into(),
        }
    }

    /// The span of a typed edge's link in this note.
    pub fn edge_span(&self, edge: &TypedEdge) -> Span {
        edge_span(self.note, edge)
    }
}

/// The span of a typed edge's link in the note that declares it.
pub(crate) fn edge_span(note: &Note, edge: &TypedEdge) -> Span {
    note.links
        .get(edge.link as usize)
        .map_or(Span::empty(0), |link| link.span)
}

/// A link whose target note exists but lacks the named heading or block.
pub struct MissingAnchor<'a> {
    /// The anchor's text in the linking note.
    pub span: Span,
    pub kind: AnchorKind<'a>,
    pub target: NoteId,
}

impl MissingAnchor<'_> {
    /// Reports the missing `what` (`heading`, `block`), pointing at the target note.
    fn report(&self, cx: &NoteContext<'_>, out: &mut Emitter<'_>, what: &str, name: &str) {
        let target = cx.vault.note(self.target);
        if self.target == cx.id {
            out.emit(
                &cx.note.path,
                self.span,
                format!("this note has no {what} {name}"),
            );
            return;
        }
        let message = format!("{} has no {what} {name}", quote(target.name()));
        out.emit(&cx.note.path, self.span, message)
            .related
            .push(Related {
                path: target.path.clone(),
                span: Span::empty(0),
                message: format!("{} is here", quote(target.name())),
            });
    }
}

/// Collects the findings of one rule with the rule's code and configured severity.
pub struct Emitter<'a> {
    code: &'static str,
    severity: Severity,
    out: &'a mut Vec<Diagnostic>,
}

impl Emitter<'_> {
    /// Records a finding and returns it so the caller can attach related information.
    pub fn emit(
        &mut self,
        path: &VaultPath,
        span: Span,
        message: impl Into<String>,
    ) -> &mut Diagnostic {
        self.out.push(Diagnostic {
            path: path.clone(),
            span,
            severity: self.severity,
            code: self.code,
            message: message.into(),
            related: Vec::new(),
        });
        self.out.last_mut().expect("just pushed")
    }
}

/// The rules in effect with their configured severities.
pub fn active_rules(config: &Config) -> Vec<(&'static Rule, Severity)> {
    RULES
        .iter()
        .filter_map(|rule| match config.rules.get(rule.code) {
            Some(RuleLevel::Off) => None,
            Some(RuleLevel::On(severity)) => Some((rule, *severity)),
            None => rule
                .enabled_by_default()
                .then_some((rule, rule.default_severity)),
        })
        .collect()
}

/// Runs every active rule over the vault. Diagnostics come back sorted by path, then
/// position, then code. Full-text selectors of query rules are run against an index built
/// in RAM; [`check_vault_with`] takes their matches from a cached index instead.
pub fn check_vault(
    vault: &Vault,
    graph: &LinkGraph,
    coherence: &Coherence,
    rulebook: &Rulebook,
) -> Vec<Diagnostic> {
    check_vault_with(vault, graph, coherence, rulebook, None)
}

/// As [`check_vault`], with the full-text selectors' matches already computed.
pub fn check_vault_with(
    vault: &Vault,
    graph: &LinkGraph,
    coherence: &Coherence,
    rulebook: &Rulebook,
    fulltext: Option<&FullText>,
) -> Vec<Diagnostic> {
    let config = &rulebook.config;
    let rules = active_rules(config);
    let queries = rulebook.active_queries();
    let built;
    let fulltext = match fulltext {
        Some(fulltext) => fulltext,
        None => {
            built = FullText::in_memory(vault, &FullText::queries(&queries));
            &built
        }
    };
    let qcx = QueryContext::new(vault, graph, coherence, config, fulltext);
    let cx = VaultContext {
        vault,
        graph,
        coherence,
    };
    let mut diagnostics: Vec<Diagnostic> = vault
        .note_ids()
        .collect::<Vec<_>>()
        .into_par_iter()
        .flat_map_iter(|id| {
            let mut out = run_note_rules(&rules, cx, id);
            check_note_queries(&qcx, &queries, id, &mut out);
            out
        })
        .collect();
    for (rule, severity) in &rules {
        if let Check::Vault(check) = rule.check {
            let mut emitter = Emitter {
                code: rule.code,
                severity: *severity,
                out: &mut diagnostics,
            };
            check(&cx, &mut emitter);
        }
    }
    run_canvas_checks(&rules, &cx, &mut diagnostics);
    sort_diagnostics(&mut diagnostics);
    diagnostics
}

/// The findings of the rules in effect on the vault's canvases only, sorted. The language
/// server adds them to its vault-wide findings: a canvas is no note, so no per-note check
/// reaches it.
pub fn check_canvases(
    vault: &Vault,
    graph: &LinkGraph,
    coherence: &Coherence,
    rulebook: &Rulebook,
) -> Vec<Diagnostic> {
    let rules = active_rules(&rulebook.config);
    let cx = VaultContext {
        vault,
        graph,
        coherence,
    };
    let mut out = Vec::new();
    run_canvas_checks(&rules, &cx, &mut out);
    sort_diagnostics(&mut out);
    out
}

fn run_canvas_checks(
    rules: &[(&Rule, Severity)],
    cx: &VaultContext<'_>,
    out: &mut Vec<Diagnostic>,
) {
    if cx.vault.canvases.is_empty() {
        return;
    }
    for (rule, severity) in rules {
        if let Some((_, check)) = CANVAS_CHECKS.iter().find(|(code, _)| *code == rule.code) {
            let mut emitter = Emitter {
                code: rule.code,
                severity: *severity,
                out: &mut *out,
            };
            for canvas in &cx.vault.canvases {
                check(cx, canvas, &mut emitter);
            }
        }
    }
}

/// A rule's check of one canvas: a canvas is no note, but its links are judged as a
/// note's are, under the same code and severity.
type CanvasCheck = fn(&VaultContext<'_>, &crate::vault::Canvas, &mut Emitter<'_>);

/// The rules that also judge canvases, run with the vault-wide checks.
const CANVAS_CHECKS: &[(&str, CanvasCheck)] = &[
    ("broken-link", broken_link::check_canvas),
    ("broken-heading", broken_heading::check_canvas),
    ("broken-block", broken_block::check_canvas),
];

/// The links of a canvas's text cards that reach a note but name a heading or block it
/// lacks, with that note.
fn canvas_missing_anchors<'a>(
    vault: &'a Vault,
    canvas: &'a crate::vault::Canvas,
) -> impl Iterator<Item = (Span, AnchorKind<'a>, &'a Note)> + 'a {
    canvas.links.iter().filter_map(move |card| {
        let resolution = crate::resolve::resolve_canvas_link(vault, &canvas.path, &card.link);
        match (&card.link.anchor, resolution.target, resolution.anchor) {
            (Some(anchor), Some(LinkTarget::Note(id)), AnchorResolution::Missing) => Some((
                anchor.span,
                card.link.anchor_kind(&canvas.text)?,
                vault.note(id),
            )),
            _ => None,
        }
    })
}

/// Reports the missing `what` (`heading`, `block`) of a canvas's text-card links whose
/// anchor `name` gives (`None` for anchors of the other kind).
fn report_canvas_anchors(
    cx: &VaultContext<'_>,
    canvas: &crate::vault::Canvas,
    out: &mut Emitter<'_>,
    what: &str,
    name: impl Fn(&AnchorKind<'_>) -> Option<String>,
) {
    for (span, kind, target) in canvas_missing_anchors(cx.vault, canvas) {
        let Some(name) = name(&kind) else { continue };
        let message = format!("{} has no {what} {name}", quote(target.name()));
        out.emit(&canvas.path, span, message)
            .related
            .push(Related::note(
                target,
                format!("{} is here", quote(target.name())),
            ));
    }
}

/// Runs the per-note rules for one note (the language server's path after an edit).
pub fn check_note(
    vault: &Vault,
    graph: &LinkGraph,
    coherence: &Coherence,
    rulebook: &Rulebook,
    id: NoteId,
) -> Vec<Diagnostic> {
    let config = &rulebook.config;
    let rules = active_rules(config);
    let cx = VaultContext {
        vault,
        graph,
        coherence,
    };
    let mut diagnostics = run_note_rules(&rules, cx, id);
    let queries = rulebook.active_queries();
    if queries.is_empty() {
        sort_diagnostics(&mut diagnostics);
        return diagnostics;
    }
    // The one-note index is built only when a full-text selector could still select it.
    let searched: Vec<(&QueryRule, Severity)> = queries
        .iter()
        .copied()
        .filter(|(rule, _)| rule.select.search.is_some())
        .collect();
    let fulltext = FullText::default();
    let probe = QueryContext::new(vault, graph, coherence, config, &fulltext);
    let searched: Vec<_> = searched
        .into_iter()
        .filter(|(rule, _)| rule.select.matches_without_search(&probe, id))
        .collect();
    let fulltext = FullText::for_note(vault, id, &FullText::queries(&searched));
    let qcx = QueryContext::new(vault, graph, coherence, config, &fulltext);
    check_note_queries(&qcx, &queries, id, &mut diagnostics);
    sort_diagnostics(&mut diagnostics);
    diagnostics
}

fn run_note_rules(
    rules: &[(&Rule, Severity)],
    cx: VaultContext<'_>,
    id: NoteId,
) -> Vec<Diagnostic> {
    let note_cx = NoteContext {
        vault: cx.vault,
        graph: cx.graph,
        coherence: cx.coherence,
        id,
        note: cx.vault.note(id),
    };
    let mut out = Vec::new();
    for (rule, severity) in rules {
        if let Check::Note(check) = rule.check {
            let mut emitter = Emitter {
                code: rule.code,
                severity: *severity,
                out: &mut out,
            };
            check(&note_cx, &mut emitter);
        }
    }
    out
}

/// Sorts by path, then span, then code, so output is stable across runs and threads.
pub fn sort_diagnostics(diagnostics: &mut [Diagnostic]) {
    diagnostics.sort_by(|a, b| {
        (&a.path, a.span.start, a.span.end, a.code, &a.message).cmp(&(
            &b.path,
            b.span.start,
            b.span.end,
            b.code,
            &b.message,
        ))
    });
}

/// Quotes note text inside a message, keeping messages one line long.
pub(crate) fn quote(text: &str) -> String {
    const MAX: usize = 80;
    let mut out = String::with_capacity(text.len().min(MAX) + 2);
    out.push('`');
    for (i, ch) in text.chars().enumerate() {
        if i == MAX {
            out.push('…');
            break;
        }
        out.push(if ch == '\n' || ch == '\r' { ' ' } else { ch });
    }
    out.push('`');
    out
}
