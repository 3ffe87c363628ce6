//! The list of every built-in rule, in the order `docs/rules.md` documents them.

use super::*;

pub static RULES: &[Rule] = &[
    broken_link::RULE,
    broken_heading::RULE,
    broken_block::RULE,
    ambiguous_link::RULE,
    self_link::RULE,
    footnote_undefined::RULE,
    footnote_unused::RULE,
    footnote_duplicate::RULE,
    footnote_malformed::RULE,
    frontmatter_invalid::RULE,
    frontmatter_duplicate_key::RULE,
    tag_invalid::RULE,
    alias_conflict::RULE,
    file_unreadable::RULE,
    one_sided_relation::RULE,
    relation_cycle::RULE,
    relation_conflict::RULE,
    self_relation::RULE,
    orphan_note::RULE,
    date_order::RULE,
    identity_drift::RULE,
    relation_drift::RULE,
    unlinked_mention::RULE,
    anchor_drift::RULE,
];

/// Rules that run only when `.twin/config.toml` gives them a level (or a pack it extends
/// turns them on): useful hints that would be noise in most vaults. Orphans are common in
/// real vaults (thousands of loose notes), so `orphan-note` waits for the `zettelkasten` pack.
/// A title that its body never repeats is most often a genre (Home, Credits, Glossary) or a
/// translation's synonym, not drift: on the Obsidian help vault every `identity-drift`
/// finding read was false (ACCURACY.md), so it waits for the `frames` pack; so does
/// `relation-drift`, since a note filed under a category (`up:: [[Jokes]]`) shares no words
/// with the category's note, and on a real vault of typed links 8 of 9 findings were false.
/// Their term vectors are still built (unless `[rules]` turns both off): the coherence
/// score's similarity comes from them.
pub static OFF_BY_DEFAULT: &[&str] = &[
    unlinked_mention::RULE.code,
    orphan_note::RULE.code,
    identity_drift::RULE.code,
    relation_drift::RULE.code,
];

impl Rule {
    /// Whether the rule runs when the configuration does not mention it.
    pub fn enabled_by_default(&self) -> bool {
        !OFF_BY_DEFAULT.contains(&self.code)
    }
}

/// Looks a rule up by its code.
pub fn rule(code: &str) -> Option<&'static Rule> {
    RULES.iter().find(|rule| rule.code == code)
}
