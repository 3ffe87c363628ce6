//! Tests of discovery, loading and incremental updates.

mod discover;
mod incremental;
mod load;

use std::fs;
use std::path::Path;

/// Writes `text` at `rel` under `root`, creating folders.
fn write(root: &Path, rel: &str, text: &str) {
    let path = root.join(rel);
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, text).unwrap();
}
