//! Tests of discovery, loading and incremental updates.

mod incremental;
