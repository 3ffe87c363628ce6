//! Timestamps of the trace: whole seconds since the Unix epoch, written as RFC 3339 in UTC.
//!
//! Formatting and parsing are a few lines of calendar arithmetic (Howard Hinnant's
//! days-from-civil), so no date crate is needed for one fixed format.

use std::fmt;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// Seconds in a day.
pub const DAY: i64 = 86_400;

/// A moment in whole seconds since 1970-01-01T00:00:00Z.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp(pub i64);

impl Timestamp {
    /// The moment `time`, truncated to the second (times before 1970 are negative).
    pub fn from_system(time: SystemTime) -> Timestamp {
        match time.duration_since(UNIX_EPOCH) {
            Ok(d) => Timestamp(d.as_secs() as i64),
            Err(e) => Timestamp(-(e.duration().as_secs_f64().ceil() as i64)),
        }
    }

    pub fn to_system(self) -> SystemTime {
        if self.0 >= 0 {
            UNIX_EPOCH + Duration::from_secs(self.0 as u64)
        } else {
            UNIX_EPOCH - Duration::from_secs(self.0.unsigned_abs())
        }
    }

    /// Parses `YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)`; a space may stand for `T` and
    /// the fraction is dropped.
    pub fn parse(text: &str) -> Option<Timestamp> {
        let b = text.as_bytes();
        if b.len() < 20 || b[4] != b'-' || b[7] != b'-' || b[13] != b':' || b[16] != b':' {
            return None;
        }
        if !matches!(b[10], b'T' | b't' | b' ') {
            return None;
        }
        let num = |range: std::ops::Range<usize>| -> Option<i64> {
            let mut n = 0i64;
            for &c in &b[range] {
                if !c.is_ascii_digit() {
                    return None;
                }
                n = n * 10 + i64::from(c - b'0');
            }
            Some(n)
        };
        let (year, month, day) = (num(0..4)?, num(5..7)?, num(8..10)?);
        let (hour, minute, second) = (num(11..13)?, num(14..16)?, num(17..19)?);
        if !(1..=12).contains(&month)
            || !(1..=days_in_month(year, month)).contains(&day)
            || hour > 23
            || minute > 59
            || second > 60
        {
            return None;
        }
        let mut rest = &b[19..];
        if let Some(fraction) = rest.strip_prefix(b".") {
            let digits = fraction.iter().take_while(|c| c.is_ascii_digit()).count();
            if digits == 0 {
                return None;
            }
            rest = &fraction[digits..];
        }
        let offset = match rest {
            [b'Z' | b'z'] => 0,
            [sign @ (b'+' | b'-'), h1, h2, b':', m1, m2] => {
                let digits = [*h1, *h2, *m1, *m2];
                if !digits.iter().all(u8::is_ascii_digit) {
                    return None;
                }
                let d = |c: u8| i64::from(c - b'0');
                let minutes = (d(*h1) * 10 + d(*h2)) * 60 + d(*m1) * 10 + d(*m2);
                if *sign == b'+' { minutes } else { -minutes }
            }
            _ => return None,
        };
        let days = days_from_civil(year, month, day);
        Some(Timestamp(
            days * DAY + hour * 3600 + minute * 60 + second - offset * 60,
        ))
    }

    /// The UTC calendar day, as days since the epoch.
    pub fn day(self) -> i64 {
        self.0.div_euclid(DAY)
    }

    /// `YYYY-MM-DD` of the UTC day.
    pub fn date(self) -> String {
        let (y, m, d) = civil_from_days(self.day());
        format!("{y:04}-{m:02}-{d:02}")
    }

    /// Whole days from `self` to `later` (0 when `later` is earlier).
    pub fn days_until(self, later: Timestamp) -> i64 {
        ((later.0 - self.0) / DAY).max(0)
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (y, m, d) = civil_from_days(self.day());
        let secs = self.0.rem_euclid(DAY);
        write!(
            f,
            "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
            secs / 3600,
            secs / 60 % 60,
            secs % 60
        )
    }
}

fn is_leap(year: i64) -> bool {
    year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
}

fn days_in_month(year: i64, month: i64) -> i64 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date.
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The proleptic Gregorian date of a day count since 1970-01-01.
fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_and_parses_round_trip() {
        for secs in [
            0,
            951_782_400,
            1_709_164_800,
            1_735_689_599,
            -86_400,
            4_102_444_800,
        ] {
            let ts = Timestamp(secs);
            assert_eq!(Timestamp::parse(&ts.to_string()), Some(ts), "{ts}");
        }
        assert_eq!(Timestamp(0).to_string(), "1970-01-01T00:00:00Z");
        assert_eq!(Timestamp(951_782_400).to_string(), "2000-02-29T00:00:00Z");
        assert_eq!(Timestamp(1_735_689_599).to_string(), "2024-12-31T23:59:59Z");
    }

    #[test]
    fn parses_offsets_and_fractions() {
        let utc = Timestamp::parse("2025-03-01T12:00:00Z").unwrap();
        assert_eq!(Timestamp::parse("2025-03-01T14:30:00+02:30"), Some(utc));
        assert_eq!(
            Timestamp::parse("2025-03-01 09:00:00.123456-03:00"),
            Some(utc)
        );
        assert_eq!(Timestamp::parse("2025-02-29T00:00:00Z"), None);
        assert_eq!(Timestamp::parse("2025-03-01T12:00:00"), None);
        assert_eq!(Timestamp::parse("2025-03-01T24:00:00Z"), None);
        assert_eq!(Timestamp::parse("garbage"), None);
    }

    #[test]
    fn system_time_round_trip_and_days() {
        let ts = Timestamp::parse("2025-06-15T23:59:59Z").unwrap();
        assert_eq!(Timestamp::from_system(ts.to_system()), ts);
        assert_eq!(ts.date(), "2025-06-15");
        assert_eq!(Timestamp(ts.0 + 1).date(), "2025-06-16");
        assert_eq!(ts.days_until(Timestamp(ts.0 + 3 * DAY + 5)), 3);
        assert_eq!(ts.days_until(Timestamp(ts.0 - 10)), 0);
    }
}
