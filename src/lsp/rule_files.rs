//! Rule files (`.twin/queries/*.toml`) in the editor: the configuration is read leniently,
//! so one broken rule file leaves the other rules working, and each error becomes a
//! diagnostic on the rule file itself, at the line it names.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use tower_lsp_server::gen_lsp_types as lsp;

use super::convert::to_proto;
use super::{Outgoing, log};
use crate::analysis::load_rulebook_lenient;
use crate::config::ConfigError;
use crate::query_rules::QUERIES_DIR;
use crate::rules::Rulebook;

type Out = tokio::sync::mpsc::UnboundedSender<Outgoing>;

/// Whether a vault path is a rule file, whose change reloads the configuration.
pub fn is_rule_file(vpath: &str) -> bool {
    vpath
        .strip_prefix(QUERIES_DIR)
        .and_then(|rest| rest.strip_prefix('/'))
        .is_some_and(|name| !name.contains('/') && name.ends_with(".toml"))
}

/// Reads the rulebook of the vault at `root`. An error in `.twin/config.toml` is logged
/// and the defaults are used; errors in rule files are published on those files, and every
/// rule file without an error (or `gone`, one just deleted) gets its diagnostics cleared.
pub fn read_rulebook(root: &Path, out: &Out, gone: Option<&Path>) -> Rulebook {
    let (rulebook, errors) = match load_rulebook_lenient(root) {
        Ok(loaded) => loaded,
        Err(err) => {
            log::send(
                out,
                log::Level::Error,
                format!("configuration error: {err}"),
            );
            (Rulebook::default(), Vec::new())
        }
    };
    for warning in &rulebook.config.warnings {
        log::send(out, log::Level::Warning, warning.clone());
    }
    publish(root, &errors, out, gone);
    rulebook
}

fn publish(root: &Path, errors: &[ConfigError], out: &Out, gone: Option<&Path>) {
    let mut by_file: BTreeMap<PathBuf, Vec<lsp::Diagnostic>> = rule_files(root)
        .into_iter()
        .chain(gone.map(Path::to_path_buf))
        .map(|path| (path, Vec::new()))
        .collect();
    for error in errors {
        // Errors of built-in packs name `queries/<pack>.toml`, which is not a vault file.
        if !error.file.starts_with(root) {
            log::send(out, log::Level::Error, format!("rule pack error: {error}"));
            continue;
        }
        by_file
            .entry(error.file.clone())
            .or_default()
            .push(diagnostic(error));
    }
    for (path, diagnostics) in by_file {
        let _ = out.send(Outgoing::Publish(
            to_proto::file_uri(&path),
            diagnostics,
            None,
        ));
    }
}

/// The rule files of the vault, sorted.
fn rule_files(root: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(root.join(QUERIES_DIR))
        .into_iter()
        .flatten()
        .flatten()
        .map(|entry| entry.path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "toml"))
        .collect();
    files.sort();
    files
}

/// The error as a diagnostic covering its line (the first line when none is known).
fn diagnostic(error: &ConfigError) -> lsp::Diagnostic {
    let line = error.line.map_or(0, |line| line.saturating_sub(1)) as u32;
    lsp::Diagnostic {
        range: lsp::Range::new(lsp::Position::new(line, 0), lsp::Position::new(line + 1, 0)),
        severity: Some(to_proto::severity(crate::diagnostic::Severity::Error)),
        code: Some(lsp::Code::String("rule-file".to_owned())),
        code_description: None,
        source: Some("twin".to_owned()),
        message: lsp::Message::String(error.message.clone()),
        tags: None,
        related_information: None,
        data: None,
    }
}
