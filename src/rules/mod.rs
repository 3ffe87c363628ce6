//! The rules of `twin check`: one file per rule, a registry, and the entry that runs them.

mod diagnostic;

pub use diagnostic::{Diagnostic, Related, Severity};
