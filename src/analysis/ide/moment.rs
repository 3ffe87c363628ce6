//! The Moment.js format tokens Obsidian's daily notes and templates use, formatted by
//! hand: `YYYY YY Q MMMM MMM MM M Do DD D dddd ddd dd d E e HH H hh h mm m ss s A a`
//! and `[literal]` escapes. Other letters are written as they are, as Moment does.

use jiff::civil::{DateTime, Weekday};

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// The tokens, longest first so that `MMMM` is not read as `MM` twice.
const TOKENS: &[&str] = &[
    "YYYY", "MMMM", "dddd", "MMM", "ddd", "YY", "MM", "Do", "DD", "dd", "HH", "hh", "mm", "ss",
    "M", "D", "d", "E", "e", "Q", "H", "h", "m", "s", "A", "a",
];

/// `at` written in the Moment.js `format`.
pub fn format(format: &str, at: DateTime) -> String {
    let mut out = String::new();
    let mut rest = format;
    while let Some(c) = rest.chars().next() {
        if c == '[' {
            // A literal runs to the next `]`; an unclosed `[` is itself a literal.
            if let Some(end) = rest.find(']') {
                out.push_str(&rest[1..end]);
                rest = &rest[end + 1..];
                continue;
            }
        }
        match TOKENS.iter().find(|t| rest.starts_with(*t)) {
            Some(token) => {
                out.push_str(&token_text(token, at));
                rest = &rest[token.len()..];
            }
            None => {
                out.push(c);
                rest = &rest[c.len_utf8()..];
            }
        }
    }
    out
}

fn token_text(token: &str, at: DateTime) -> String {
    let month = at.month() as usize;
    let day = at.day();
    let weekday = at.weekday();
    let hour12 = match at.hour() % 12 {
        0 => 12,
        h => h,
    };
    match token {
        "YYYY" => format!("{:04}", at.year()),
        "YY" => format!("{:02}", at.year().rem_euclid(100)),
        "Q" => ((month - 1) / 3 + 1).to_string(),
        "MMMM" => MONTHS[month - 1].to_owned(),
        "MMM" => MONTHS[month - 1][..3].to_owned(),
        "MM" => format!("{month:02}"),
        "M" => month.to_string(),
        "Do" => format!("{day}{}", ordinal(day)),
        "DD" => format!("{day:02}"),
        "D" => day.to_string(),
        "dddd" => weekday_name(weekday).to_owned(),
        "ddd" => weekday_name(weekday)[..3].to_owned(),
        "dd" => weekday_name(weekday)[..2].to_owned(),
        // Moment's `d` counts from Sunday = 0, `E` (ISO) from Monday = 1.
        "d" | "e" => weekday.to_sunday_zero_offset().to_string(),
        "E" => weekday.to_monday_one_offset().to_string(),
        "HH" => format!("{:02}", at.hour()),
        "H" => at.hour().to_string(),
        "hh" => format!("{hour12:02}"),
        "h" => hour12.to_string(),
        "mm" => format!("{:02}", at.minute()),
        "m" => at.minute().to_string(),
        "ss" => format!("{:02}", at.second()),
        "s" => at.second().to_string(),
        "A" => if at.hour() < 12 { "AM" } else { "PM" }.to_owned(),
        "a" => if at.hour() < 12 { "am" } else { "pm" }.to_owned(),
        _ => token.to_owned(),
    }
}

fn ordinal(day: i8) -> &'static str {
    match (day % 10, day % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    }
}

/// The English name of a weekday, as Moment's default locale writes it.
pub fn weekday_name(day: Weekday) -> &'static str {
    match day {
        Weekday::Monday => "Monday",
        Weekday::Tuesday => "Tuesday",
        Weekday::Wednesday => "Wednesday",
        Weekday::Thursday => "Thursday",
        Weekday::Friday => "Friday",
        Weekday::Saturday => "Saturday",
        Weekday::Sunday => "Sunday",
    }
}

#[cfg(test)]
mod tests {
    use jiff::civil::date;

    use super::format;

    #[test]
    fn formats_moment_tokens() {
        let at = date(2026, 1, 3).at(14, 5, 9, 0);
        assert_eq!(format("YYYY-MM-DD", at), "2026-01-03");
        assert_eq!(format("YY/M/D", at), "26/1/3");
        assert_eq!(
            format("dddd, MMMM Do YYYY", at),
            "Saturday, January 3rd 2026"
        );
        assert_eq!(format("ddd D MMM", at), "Sat 3 Jan");
        assert_eq!(
            format("YYYY/MM-MMMM/YYYY-MM-DD-dddd", at),
            "2026/01-January/2026-01-03-Saturday"
        );
        assert_eq!(format("[Week of] YYYY-MM-DD", at), "Week of 2026-01-03");
        assert_eq!(format("[YYYY]YYYY", at), "YYYY2026");
        assert_eq!(format("HH:mm:ss h A", at), "14:05:09 2 PM");
        assert_eq!(format("[x", at), "[x");
        for (day, text) in [
            (1, "1st"),
            (2, "2nd"),
            (11, "11th"),
            (12, "12th"),
            (13, "13th"),
            (21, "21st"),
            (22, "22nd"),
            (23, "23rd"),
            (31, "31st"),
        ] {
            assert_eq!(format("Do", date(2026, 1, day).at(0, 0, 0, 0)), text);
        }
    }
}
