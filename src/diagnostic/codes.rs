//! Rule codes read from files (query rules) as `&'static str`, so their findings are the
//! same [`super::Diagnostic`]s as those of the built-in rules.
//!
//! Each distinct code is leaked once and reused on every later load (the language server
//! reloads rule files on each change), so memory grows with the codes ever written, not
//! with the number of reloads.

use std::sync::{Mutex, PoisonError};

use rustc_hash::FxHashSet;

static CODES: Mutex<Option<FxHashSet<&'static str>>> = Mutex::new(None);

/// The one `&'static str` for `code`.
pub fn intern_code(code: &str) -> &'static str {
    let mut codes = CODES.lock().unwrap_or_else(PoisonError::into_inner);
    let codes = codes.get_or_insert_with(FxHashSet::default);
    if let Some(&known) = codes.get(code) {
        return known;
    }
    let leaked: &'static str = Box::leak(code.to_owned().into_boxed_str());
    codes.insert(leaked);
    leaked
}

/// Whether a code was ever read from a rule file (or pack) in this process.
pub fn is_file_rule_code(code: &str) -> bool {
    CODES
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .as_ref()
        .is_some_and(|codes| codes.contains(code))
}
