//! One line of the trace: an event, its JSON form and its parsing.
//!
//! ```json
//! {"ts":"2025-01-02T03:04:05Z","event":"opened","fp":"1a2b3c4d5e6f","code":"broken-link","path":"a.md","subject":"Missing","message":"…"}
//! ```
//!
//! Findings have `opened`, `resolved`, `reopened` and `renamed` (a note moved; `from` is the
//! old fingerprint). Notes have `anchor` (a drift anchor: `terms` maps stems to weights) and
//! `moved` (`from` is the old path). `n` (the occurrence index) is written only when it is
//! not 0. Unknown fields are ignored, so later versions can add some.

use std::borrow::Cow;
use std::fmt;

use serde::de::{MapAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize};

use super::fingerprint::Fp;
use super::time::Timestamp;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum EventKind {
    Opened,
    Resolved,
    Reopened,
    Renamed,
    Moved,
    Anchor,
}

impl EventKind {
    pub const ALL: [EventKind; 6] = [
        EventKind::Opened,
        EventKind::Resolved,
        EventKind::Reopened,
        EventKind::Renamed,
        EventKind::Moved,
        EventKind::Anchor,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            EventKind::Opened => "opened",
            EventKind::Resolved => "resolved",
            EventKind::Reopened => "reopened",
            EventKind::Renamed => "renamed",
            EventKind::Moved => "moved",
            EventKind::Anchor => "anchor",
        }
    }

    pub fn parse(text: &str) -> Option<EventKind> {
        EventKind::ALL.into_iter().find(|k| k.as_str() == text)
    }

    /// Whether the event belongs to a finding (it has a fingerprint).
    pub fn is_finding(self) -> bool {
        !matches!(self, EventKind::Moved | EventKind::Anchor)
    }
}

impl fmt::Display for EventKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An event of the trace, borrowing from the line it was read from where it can.
#[derive(Clone, Debug, PartialEq)]
pub struct Event<'a> {
    pub ts: Timestamp,
    pub kind: EventKind,
    /// The finding's fingerprint; `None` for note events.
    pub fp: Option<Fp>,
    pub code: Cow<'a, str>,
    pub path: Cow<'a, str>,
    pub subject: Cow<'a, str>,
    pub message: Cow<'a, str>,
    pub n: u32,
    /// `renamed`: the old fingerprint; `moved`: the old path.
    pub from: Cow<'a, str>,
    /// `anchor`: stems and weights, heaviest first.
    pub terms: Vec<(Cow<'a, str>, f32)>,
}

/// An event that owns its text.
pub type OwnedEvent = Event<'static>;

impl<'a> Event<'a> {
    /// An event with every text field empty.
    pub fn new(ts: Timestamp, kind: EventKind) -> Event<'a> {
        Event {
            ts,
            kind,
            fp: None,
            code: Cow::Borrowed(""),
            path: Cow::Borrowed(""),
            subject: Cow::Borrowed(""),
            message: Cow::Borrowed(""),
            n: 0,
            from: Cow::Borrowed(""),
            terms: Vec::new(),
        }
    }

    pub fn into_owned(self) -> OwnedEvent {
        let own = |c: Cow<'a, str>| Cow::Owned(c.into_owned());
        Event {
            ts: self.ts,
            kind: self.kind,
            fp: self.fp,
            code: own(self.code),
            path: own(self.path),
            subject: own(self.subject),
            message: own(self.message),
            n: self.n,
            from: own(self.from),
            terms: self.terms.into_iter().map(|(s, w)| (own(s), w)).collect(),
        }
    }

    /// Parses one line (without its newline); `None` when it is not a valid event.
    pub fn parse(line: &'a [u8]) -> Option<Event<'a>> {
        let raw: Raw<'a> = serde_json::from_slice(line).ok()?;
        let kind = EventKind::parse(&raw.event)?;
        let fp = match raw.fp {
            Some(text) => Some(Fp::parse(&text)?),
            None => None,
        };
        if kind.is_finding() != fp.is_some() {
            return None;
        }
        Some(Event {
            ts: Timestamp::parse(&raw.ts)?,
            kind,
            fp,
            code: raw.code,
            path: raw.path,
            subject: raw.subject,
            message: raw.message,
            n: raw.n,
            from: raw.from,
            terms: raw.terms.map(|t| t.0).unwrap_or_default(),
        })
    }

    /// Appends the event's JSON line, newline included, to `out`.
    pub fn write_line(&self, out: &mut Vec<u8>) {
        let wire = Wire {
            ts: self.ts.to_string(),
            event: self.kind.as_str(),
            fp: self.fp.map(|fp| fp.to_string()),
            code: &self.code,
            path: &self.path,
            subject: &self.subject,
            message: &self.message,
            n: self.n,
            from: &self.from,
            terms: TermsOut(&self.terms),
        };
        serde_json::to_writer(&mut *out, &wire).expect("events serialize to a Vec");
        out.push(b'\n');
    }

    /// The JSON line without its newline.
    pub fn to_json(&self) -> String {
        let mut out = Vec::new();
        self.write_line(&mut out);
        out.pop();
        String::from_utf8(out).expect("serde_json writes UTF-8")
    }
}

#[derive(Deserialize)]
struct Raw<'a> {
    #[serde(borrow)]
    ts: Cow<'a, str>,
    #[serde(borrow)]
    event: Cow<'a, str>,
    #[serde(borrow, default)]
    fp: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    code: Cow<'a, str>,
    #[serde(borrow, default)]
    path: Cow<'a, str>,
    #[serde(borrow, default)]
    subject: Cow<'a, str>,
    #[serde(borrow, default)]
    message: Cow<'a, str>,
    #[serde(default)]
    n: u32,
    #[serde(borrow, default)]
    from: Cow<'a, str>,
    #[serde(borrow, default)]
    terms: Option<TermsIn<'a>>,
}

#[derive(Serialize)]
struct Wire<'a> {
    ts: String,
    event: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    fp: Option<String>,
    #[serde(skip_serializing_if = "str::is_empty")]
    code: &'a str,
    #[serde(skip_serializing_if = "str::is_empty")]
    path: &'a str,
    #[serde(skip_serializing_if = "str::is_empty")]
    subject: &'a str,
    #[serde(skip_serializing_if = "str::is_empty")]
    message: &'a str,
    #[serde(skip_serializing_if = "is_zero")]
    n: u32,
    #[serde(skip_serializing_if = "str::is_empty")]
    from: &'a str,
    #[serde(skip_serializing_if = "TermsOut::is_empty")]
    terms: TermsOut<'a>,
}

fn is_zero(n: &u32) -> bool {
    *n == 0
}

/// Terms written as a JSON object in the order given (heaviest first).
struct TermsOut<'a>(&'a [(Cow<'a, str>, f32)]);

impl TermsOut<'_> {
    fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl Serialize for TermsOut<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        // Three decimals are plenty for a cosine and keep anchors short.
        s.collect_map(
            self.0
                .iter()
                .map(|(stem, w)| (stem.as_ref(), (f64::from(*w) * 1000.0).round() / 1000.0)),
        )
    }
}

/// Terms read from a JSON object, keeping the file's order.
struct TermsIn<'a>(Vec<(Cow<'a, str>, f32)>);

/// A map key that borrows when the JSON has no escapes.
#[derive(Deserialize)]
struct Key<'a>(#[serde(borrow)] Cow<'a, str>);

impl<'de: 'a, 'a> Deserialize<'de> for TermsIn<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<'a>(std::marker::PhantomData<&'a ()>);
        impl<'de: 'a, 'a> Visitor<'de> for V<'a> {
            type Value = TermsIn<'a>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a map of stems to weights")
            }
            fn visit_map<M: MapAccess<'de>>(self, mut map: M) -> Result<Self::Value, M::Error> {
                let mut out = Vec::new();
                while let Some((Key(k), w)) = map.next_entry::<Key<'de>, f32>()? {
                    out.push((k, w));
                }
                Ok(TermsIn(out))
            }
        }
        d.deserialize_map(V(std::marker::PhantomData))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn opened() -> OwnedEvent {
        let mut e = Event::new(Timestamp(1_700_000_000), EventKind::Opened);
        e.fp = Some(Fp(0xabc));
        e.code = "broken-link".into();
        e.path = "a/b.md".into();
        e.subject = "Missing \"quoted\" note".into();
        e.message = "no note named `Missing`".into();
        e
    }

    #[test]
    fn writes_the_documented_shape() {
        assert_eq!(
            opened().to_json(),
            r#"{"ts":"2023-11-14T22:13:20Z","event":"opened","fp":"000000000abc","code":"broken-link","path":"a/b.md","subject":"Missing \"quoted\" note","message":"no note named `Missing`"}"#
        );
    }

    #[test]
    fn round_trips_findings_and_anchors() {
        let e = opened();
        assert_eq!(Event::parse(e.to_json().as_bytes()), Some(e));
        let mut a = Event::new(Timestamp(5), EventKind::Anchor);
        a.path = "Заметка.md".into();
        a.terms = vec![("памят".into(), 0.5), ("chunk".into(), 0.25)];
        let line = a.to_json();
        assert!(
            line.contains(r#""terms":{"памят":0.5,"chunk":0.25}"#),
            "{line}"
        );
        assert_eq!(Event::parse(line.as_bytes()), Some(a));
    }

    #[test]
    fn refuses_what_is_not_an_event() {
        for line in [
            "",
            "{",
            r#"{"ts":"2023-11-14T22:13:20Z","event":"exploded","fp":"1"}"#,
            r#"{"ts":"yesterday","event":"opened","fp":"1"}"#,
            r#"{"ts":"2023-11-14T22:13:20Z","event":"opened"}"#,
            r#"{"ts":"2023-11-14T22:13:20Z","event":"anchor","fp":"1"}"#,
            r#"{"ts":"2023-11-14T22:13:20Z","event":"opened","fp":"xyz"}"#,
        ] {
            assert_eq!(Event::parse(line.as_bytes()), None, "{line}");
        }
        let extra = r#"{"ts":"2023-11-14T22:13:20Z","event":"resolved","fp":"1","future":[1,2]}"#;
        assert!(Event::parse(extra.as_bytes()).is_some());
    }
}
