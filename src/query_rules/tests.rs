//! Unit tests of rule-file parsing and selector helpers.

use super::select::{check_search, names_note, tag_under};
use super::*;

fn parse(text: &str) -> (Vec<QueryRule>, Vec<crate::config::ConfigError>) {
    parse_rule_file(text, RuleSource::File("r.toml".into()), &["broken-link"])
}

#[test]
fn packs_parse_without_errors() {
    for pack in PACKS {
        let (rules, errors) = parse_rule_file(pack.text, RuleSource::Pack(pack.name), &[]);
        assert!(errors.is_empty(), "{}: {errors:?}", pack.name);
        assert!(!rules.is_empty(), "{}", pack.name);
    }
}

#[test]
fn one_bad_rule_keeps_the_others() {
    let (rules, errors) = parse(
        "[[rule]]\ncode = \"good\"\nmessage = \"m\"\n\n[[rule]]\ncode = \"broken-link\"\nmessage = \"m\"\n",
    );
    assert_eq!(rules.len(), 1);
    assert_eq!(rules[0].code, "good");
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].line, Some(6));
}

#[test]
fn nested_tags_are_under_their_parents() {
    assert!(tag_under("project/alpha", "project"));
    assert!(tag_under("Project", "project"));
    assert!(!tag_under("projects", "project"));
}

#[test]
fn names_note_takes_links_names_and_paths() {
    assert!(names_note("[[Home]]", "Home.md"));
    assert!(names_note("home", "a/Home.md"));
    assert!(names_note("[[a/Home|x]]", "a/Home.md"));
    assert!(!names_note("[[Home]]", "Homer.md"));
}

#[test]
fn search_queries_are_checked() {
    assert!(check_search("garden -draft").is_ok());
    assert!(check_search("\"open").is_err());
    assert!(check_search("   ").is_err());
    assert!(check_search("tag:").is_err());
}

#[test]
fn property_types_accept_what_they_name() {
    use super::require::PropertyType;
    use crate::note::YamlValue;
    let string = |s: &str| YamlValue::String(s.to_owned());
    assert!(
        PropertyType::parse("date")
            .unwrap()
            .accepts_value(&string("2025-01-02"))
    );
    assert!(
        PropertyType::parse("date")
            .unwrap()
            .accepts_value(&string("2025-01-02T10:00"))
    );
    assert!(
        !PropertyType::parse("date")
            .unwrap()
            .accepts_value(&string("yesterday"))
    );
    assert!(
        PropertyType::parse("link")
            .unwrap()
            .accepts_value(&string("[[A]]"))
    );
    assert!(
        !PropertyType::parse("link")
            .unwrap()
            .accepts_value(&string("A"))
    );
    assert!(PropertyType::parse("colour").is_none());
}
