//! Tests of the analysis layer.

mod incremental;
mod staged;
