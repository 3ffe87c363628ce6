//! Unit tests of the history core.
