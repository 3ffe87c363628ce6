//! Tests of link resolution against hand-built vaults.

mod anchors;
mod graph;
mod markdown;
mod names;
mod perf;
pub(crate) mod support;
