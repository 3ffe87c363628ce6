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
    /// The vault's coherence score when a whole-vault record changed it: `n` holds it in
    /// thousandths (`962` is 0.962), so the score's trend survives compaction.
    Score,
}

impl EventKind {
    pub const ALL: [EventKind; 7] = [
        EventKind::Opened,
        EventKind::Resolved,
        EventKind::Reopened,
        EventKind::Renamed,
        EventKind::Moved,
        EventKind::Anchor,
        EventKind::Score,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            EventKind::Opened => "opened",
            EventKind::Resolved => "resolved",
            EventKind::Reopened => "reopened",
            EventKind::Renamed => "renamed",
            EventKind::Moved => "moved",
            EventKind::Anchor => "anchor",
            EventKind::Score => "score",
        }
    }

    pub fn parse(text: &str) -> Option<EventKind> {
        EventKind::ALL.into_iter().find(|k| k.as_str() == text)
    }

    /// Whether the event belongs to a finding (it has a fingerprint).
    pub fn is_finding(self) -> bool {
        !matches!(
            self,
            EventKind::Moved | EventKind::Anchor | EventKind::Score
        )
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
    pub fn parse(line: &'a str) -> Option<Event<'a>> {
        let raw = match parse_plain(line) {
            Some(raw) => raw,
            None => serde_json::from_str::<Raw<'a>>(line).ok()?,
        };
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

/// The fast path for lines as twin writes them: one flat object whose strings have no
/// escapes and whose only number is `n`. Anything else (escapes, `terms`, whitespace,
/// nesting, a repeated key) returns `None` and goes through serde_json, so both paths
/// accept and produce exactly the same events.
fn parse_plain(line: &str) -> Option<Raw<'_>> {
    let body = line.strip_prefix('{')?.strip_suffix('}')?;
    let mut raw = Raw {
        ts: Cow::Borrowed(""),
        event: Cow::Borrowed(""),
        fp: None,
        code: Cow::Borrowed(""),
        path: Cow::Borrowed(""),
        subject: Cow::Borrowed(""),
        message: Cow::Borrowed(""),
        n: 0,
        from: Cow::Borrowed(""),
        terms: None,
    };
    let (mut seen, mut have_ts, mut have_event, mut have_n) = (0u16, false, false, false);
    let mut rest = body;
    loop {
        let (key, after) = plain_string(rest)?;
        rest = after.strip_prefix(':')?;
        let slot: Option<(u16, &mut Cow<'_, str>)> = match key {
            "ts" => Some((1, &mut raw.ts)),
            "event" => Some((2, &mut raw.event)),
            "code" => Some((4, &mut raw.code)),
            "path" => Some((8, &mut raw.path)),
            "subject" => Some((16, &mut raw.subject)),
            "message" => Some((32, &mut raw.message)),
            "from" => Some((64, &mut raw.from)),
            _ => None,
        };
        if let Some((bit, slot)) = slot {
            if seen & bit != 0 {
                return None;
            }
            seen |= bit;
            let (value, after) = plain_string(rest)?;
            *slot = Cow::Borrowed(value);
            rest = after;
            have_ts |= bit == 1;
            have_event |= bit == 2;
        } else if key == "fp" {
            if raw.fp.is_some() {
                return None;
            }
            let (value, after) = plain_string(rest)?;
            raw.fp = Some(Cow::Borrowed(value));
            rest = after;
        } else if key == "n" {
            if have_n {
                return None;
            }
            have_n = true;
            let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
            if digits == 0 || digits > 9 || (digits > 1 && rest.starts_with('0')) {
                return None;
            }
            raw.n = rest[..digits].parse().ok()?;
            rest = &rest[digits..];
        } else {
            // Unknown keys (later versions) are skipped when their value is a plain string.
            let (_, after) = plain_string(rest)?;
            rest = after;
        }
        match rest.strip_prefix(',') {
            _ if rest.is_empty() => break,
            Some(after) => rest = after,
            None => return None,
        }
    }
    (have_ts && have_event).then_some(raw)
}

/// A JSON string at the start of `bytes` with no escapes or control characters, and the
/// bytes after it.
fn plain_string(text: &str) -> Option<(&str, &str)> {
    let text = text.strip_prefix('"')?;
    // The quote is ASCII, so both slices fall on character boundaries.
    let end = memchr::memchr(b'"', text.as_bytes())?;
    let (value, rest) = (&text[..end], &text[end + 1..]);
    if value.bytes().any(|b| b == b'\\' || b < 0x20) {
        return None;
    }
    Some((value, rest))
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
        assert_eq!(Event::parse(&e.to_json()), Some(e));
        let mut a = Event::new(Timestamp(5), EventKind::Anchor);
        a.path = "Заметка.md".into();
        a.terms = vec![("памят".into(), 0.5), ("chunk".into(), 0.25)];
        let line = a.to_json();
        assert!(
            line.contains(r#""terms":{"памят":0.5,"chunk":0.25}"#),
            "{line}"
        );
        assert_eq!(Event::parse(&line), Some(a));
    }

    /// Whatever the fast path accepts, serde_json reads the same way.
    #[test]
    fn the_fast_path_agrees_with_serde() {
        let mut lines: Vec<String> = Vec::new();
        for (subject, message) in [
            ("plain", "no note named `x`"),
            ("quote \" inside", "tab\there"),
            ("Кириллица", "emoji 🧠 and \\ backslash"),
            ("", ""),
        ] {
            let mut e = opened();
            e.subject = subject.into();
            e.message = message.into();
            e.n = 7;
            lines.push(e.to_json());
        }
        let mut a = Event::new(Timestamp(5), EventKind::Anchor);
        a.path = "a.md".into();
        a.terms = vec![("x".into(), 0.5)];
        lines.push(a.to_json());
        lines.extend(
            [
                r#"{"ts":"2023-11-14T22:13:20Z","event":"resolved","fp":"1","n":0}"#,
                r#"{"ts":"2023-11-14T22:13:20Z","event":"resolved","fp":"1","n":01}"#,
                r#"{"ts":"2023-11-14T22:13:20Z","event":"resolved","fp":"1","n":-1}"#,
                r#"{"ts":"2023-11-14T22:13:20Z","event":"resolved","fp":"1","ts":"x"}"#,
                r#"{"ts":"2023-11-14T22:13:20Z","event":"resolved","fp":"1","x":"y"}"#,
                r#"{"ts":"2023-11-14T22:13:20Z","event":"resolved","fp":"1","x":[1]}"#,
                r#"{"ts":"2023-11-14T22:13:20Z","event":"resolved","fp":"1",}"#,
                r#"{"ts":"2023-11-14T22:13:20Z", "event":"resolved","fp":"1"}"#,
                r#"{"event":"resolved","fp":"1"}"#,
                r#"{"ts":"2023-11-14T22:13:20Z","event":"resolved","fp":"1"} "#,
                "{\"ts\":\"2023-11-14T22:13:20Z\",\"event\":\"resolved\",\"fp\":\"1\",\"code\":\"a\\u0001\"}",
                "{\"ts\":\"2023-11-14T22:13:20Z\",\"event\":\"resolved\",\"fp\":\"1\",\"code\":\"a\tb\"}",
            ]
            .map(String::from),
        );
        for line in &lines {
            let slow: Option<Raw<'_>> = serde_json::from_str(line).ok();
            if let Some(fast) = parse_plain(line) {
                let slow =
                    slow.unwrap_or_else(|| panic!("serde refuses what the fast path took: {line}"));
                assert_eq!(
                    (
                        &fast.ts,
                        &fast.event,
                        &fast.fp,
                        &fast.code,
                        &fast.path,
                        &fast.subject,
                        &fast.message,
                        fast.n,
                        &fast.from
                    ),
                    (
                        &slow.ts,
                        &slow.event,
                        &slow.fp,
                        &slow.code,
                        &slow.path,
                        &slow.subject,
                        &slow.message,
                        slow.n,
                        &slow.from
                    ),
                    "{line}"
                );
            }
        }
        // Lines twin writes without escapes take the fast path.
        assert!(parse_plain(&lines[0]).is_some());
        assert!(parse_plain(&lines[1]).is_none());
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
            assert_eq!(Event::parse(line), None, "{line}");
        }
        let extra = r#"{"ts":"2023-11-14T22:13:20Z","event":"resolved","fp":"1","future":[1,2]}"#;
        assert!(Event::parse(extra).is_some());
    }
}
