//! An immutable view of the server's state for one request: Arc'd models, no locks.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;

use tower_lsp_server::gen_lsp_types::Uri;

use super::convert::{from_proto, to_proto};
use super::state::ClientCaps;
use crate::analysis::Analysis;
use crate::config::Config;
use crate::note::{Note, VaultPath};
use crate::resolve::LinkGraph;
use crate::text::ColumnEncoding;
use crate::vault::{NoteId, Vault};

/// One workspace (vault) as a request sees it.
#[derive(Clone)]
pub struct WorkspaceSnapshot {
    /// The vault root, canonical first, then as the client spelled it.
    pub roots: Arc<[PathBuf]>,
    pub model: Arc<Analysis>,
    /// Whether the folder is indexed from disk (false in single-file mode).
    pub indexed: bool,
    /// The URIs the client uses for open notes, which win over ones we would spell.
    pub open_uris: Arc<HashMap<VaultPath, Uri>>,
    /// The search index and latest vault-wide findings.
    pub live: Arc<super::live::Live>,
}

impl WorkspaceSnapshot {
    /// The configuration in effect.
    pub fn config(&self) -> &Config {
        self.model.config()
    }

    pub fn vault(&self) -> &Vault {
        &self.model.vault
    }

    pub fn graph(&self) -> &LinkGraph {
        &self.model.graph
    }

    pub fn root(&self) -> &std::path::Path {
        &self.roots[0]
    }

    pub fn note_by_path(&self, path: &str) -> Option<&Note> {
        let vault = self.vault();
        vault.note_by_path(path).map(|id| vault.note(id))
    }

    /// The URI of a vault path: the client's own when the note is open.
    pub fn uri_of(&self, path: &str) -> Uri {
        if let Some(uri) = self.open_uris.get(path) {
            return uri.clone();
        }
        to_proto::file_uri(&self.root().join(path))
    }

    /// The vault path of a URI inside this workspace.
    pub fn vault_path(&self, uri: &Uri) -> Option<String> {
        let path = from_proto::file_path(uri)?;
        from_proto::vault_path(&self.roots, &path)
    }
}

/// Everything a request may read.
#[derive(Clone)]
pub struct Snapshot {
    pub encoding: ColumnEncoding,
    pub caps: Arc<ClientCaps>,
    pub workspaces: Vec<WorkspaceSnapshot>,
    /// Open documents: URI → version.
    pub versions: Arc<HashMap<String, i32>>,
}

impl Snapshot {
    pub fn version_of(&self, uri: &Uri) -> Option<i32> {
        self.versions.get(uri.as_ref()).copied()
    }

    /// The workspace holding a URI and the URI's vault path, innermost root first.
    pub fn workspace_of(&self, uri: &Uri) -> Option<(&WorkspaceSnapshot, String)> {
        self.workspaces
            .iter()
            .filter_map(|ws| ws.vault_path(uri).map(|p| (ws, p)))
            .min_by_key(|(_, p)| p.len())
    }

    /// The note a URI names, with its workspace.
    pub fn note(&self, uri: &Uri) -> Option<(&WorkspaceSnapshot, NoteId)> {
        let (ws, path) = self.workspace_of(uri)?;
        let id = ws.vault().note_by_path(&path)?;
        Some((ws, id))
    }
}
