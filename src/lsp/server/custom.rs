//! twin's own requests (`twin/search`, `twin/unlinkedMentions`, `twin/history`,
//! `twin/coherence`) and `workspace/executeCommand`, beside the standard ones in `server.rs`.

use std::path::PathBuf;

use serde_json::Value;
use tower_lsp_server::gen_lsp_types::*;
use tower_lsp_server::jsonrpc::{Error, Result};

use super::super::commands;
use super::super::convert::from_proto;
use super::super::diagnostics::Event;
use super::super::handlers;
use super::super::state::Ready;
use super::{Server, WithMessage};

impl Server {
    /// `twin/search`: ranked notes with their matching lines.
    pub async fn search(&self, params: handlers::search::SearchParams) -> Result<Value> {
        self.run(params, handlers::search::search).await
    }

    /// `twin/unlinkedMentions`: places in other notes that name this one without a link.
    pub async fn unlinked_mentions(
        &self,
        params: handlers::search::MentionsParams,
    ) -> Result<Value> {
        self.run(params, handlers::search::mentions).await
    }

    /// `twin/history`: the recorded events of a note (or the vault), newest first.
    pub async fn history(&self, params: Option<handlers::history::HistoryParams>) -> Result<Value> {
        self.run_when(
            Ready::Coherence,
            params.unwrap_or_default(),
            handlers::history::history,
        )
        .await
    }

    /// `twin/coherence`: the vault's coherence score, or a note's vector.
    pub async fn coherence(
        &self,
        params: Option<handlers::coherence::CoherenceParams>,
    ) -> Result<Value> {
        self.run_when(
            Ready::Coherence,
            params.unwrap_or_default(),
            handlers::coherence::coherence,
        )
        .await
    }

    /// Tells the recorder about the renames a workspace edit proposes.
    pub(super) fn expect_renames(&self, edit: &Option<WorkspaceEdit>) {
        let pairs: Vec<(PathBuf, PathBuf)> = edit
            .iter()
            .flat_map(|e| e.document_changes.iter().flatten())
            .filter_map(|change| match change {
                DocumentChange::RenameFile(r) => Some((
                    from_proto::file_path(&r.old_uri)?,
                    from_proto::file_path(&r.new_uri)?,
                )),
                _ => None,
            })
            .collect();
        if !pairs.is_empty() {
            self.recorder.expect(pairs);
        }
    }

    /// `workspace/executeCommand`: see `commands.rs`.
    pub(super) async fn execute(&self, params: ExecuteCommandParams) -> Result<Option<Value>> {
        let command = commands::parse(&params.command, params.arguments.unwrap_or_default())
            .map_err(Error::invalid_params)?;
        let answer = match command {
            commands::Command::Read(read) => {
                self.run_when(Ready::Coherence, read, |snap, read| {
                    read(snap).map_err(|e| Error::internal_error().with_message(e))
                })
                .await?
            }
            commands::Command::Reanchor(uri) => {
                let shared = self.shared.clone();
                let done =
                    tokio::task::spawn_blocking(move || commands::reanchor(&shared, &uri)).await;
                let value = match done {
                    Ok(Ok(value)) => value,
                    Ok(Err(e)) => return Err(e),
                    Err(e) => return Err(Error::internal_error().with_message(e.to_string())),
                };
                self.notify(Event::Edited);
                value
            }
            commands::Command::RecordMove { uri, from, to } => {
                let shared = self.shared.clone();
                let done = tokio::task::spawn_blocking(move || {
                    commands::record_move(&shared, &uri, &from, &to)
                })
                .await;
                match done {
                    Ok(answer) => answer?,
                    Err(e) => return Err(Error::internal_error().with_message(e.to_string())),
                }
            }
            commands::Command::Edit(edit) => {
                let applied = self
                    .client
                    .apply_edit(edit)
                    .await
                    .map(|r| r.applied)
                    .unwrap_or(false);
                serde_json::json!({"applied": applied})
            }
        };
        if params.command == handlers::coherence::SHOW_COMMAND
            && let Some(vector) = answer.get("vector")
        {
            let text = answer["summary"]
                .as_str()
                .map_or_else(|| format!("coherence {vector}"), str::to_string);
            let client = self.client.clone();
            tokio::spawn(async move { client.show_message(MessageType::Info, text).await });
        }
        Ok(Some(answer))
    }
}
