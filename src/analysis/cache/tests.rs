//! Tests of the check cache.
