//! The link graph: resolutions per link and backlinks per target.

use super::support::*;
use crate::resolve::{AnchorResolution, LinkTarget, build_link_graph};
use crate::vault::{AttachmentId, NoteId};

#[test]
fn backlinks_point_at_their_sources() {
    let v = vault(
        vec![
            note_with(
                "a.md",
                "# H\n",
                &[wiki("b"), wiki("Missing"), wiki("#H"), wiki("pic.png")],
                &[],
            ),
            note_with("b.md", "", &[wiki("a#H"), md("a.md"), wiki("b")], &[]),
            note("c.md"),
        ],
        &["pic.png"],
    );
    let g = build_link_graph(&v);
    let (a, b) = (NoteId(0), NoteId(1));
    assert_eq!(g.resolutions.len(), 3);
    assert_eq!(g.resolutions[0].len(), 4);
    assert_eq!(g.resolutions[0][0].target, Some(LinkTarget::Note(b)));
    assert_eq!(g.resolutions[0][1].target, None);
    assert_eq!(g.resolutions[0][2].anchor, AnchorResolution::Heading(0));
    assert_eq!(
        g.resolutions[0][3].target,
        Some(LinkTarget::Attachment(AttachmentId(0)))
    );
    assert_eq!(g.resolutions[1][0].anchor, AnchorResolution::Heading(0));
    assert!(g.resolutions[2].is_empty());
    assert_eq!(g.backlinks[0], [(a, 2), (b, 0), (b, 1)]);
    assert_eq!(g.backlinks[1], [(a, 0), (b, 2)]);
    assert!(g.backlinks[2].is_empty());
    assert_eq!(g.attachment_backlinks, [vec![(a, 3)]]);
}

#[test]
fn empty_vault_has_an_empty_graph() {
    let g = build_link_graph(&vault(Vec::new(), &[]));
    assert!(g.resolutions.is_empty() && g.backlinks.is_empty());
}
