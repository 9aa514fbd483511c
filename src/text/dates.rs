//! Calendar dates: parsing the dates that page metadata gives ("2023-12-08T09:14:00Z",
//! "Fri, 08 Dec 2023 09:14:00 GMT") and finding an article's date in its text, from a
//! dateline ("BAGHDAD, Dec 8 (Reuters) -") or a date line near the top ("Friday 8
//! December 2023"). Dates are written as ISO `YYYY-MM-DD`.
//!
//! Nothing is guessed: numeric dates that could be day/month or month/day ("08/12/2023")
//! are not read, and a dateline without a year gets one only from a dated line near the
//! top of the same text that lies within [`YEAR_WINDOW_DAYS`] of it.

use regex::Regex;
use std::sync::LazyLock;

/// A calendar date (proleptic Gregorian), valid by construction.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    pub year: i32,
    pub month: u32,
    pub day: u32,
}

fn leap(year: i32) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap(year) => 29,
        2 => 28,
        _ => 0,
    }
}

impl Date {
    /// The date, if it exists (years 1800 to 2199: news, not history).
    pub fn new(year: i32, month: u32, day: u32) -> Option<Date> {
        ((1800..2200).contains(&year) && day >= 1 && day <= days_in_month(year, month))
            .then_some(Date { year, month, day })
    }

    /// Days since 1970-01-01 (negative before).
    pub fn days(self) -> i64 {
        // Howard Hinnant's days_from_civil.
        let y = i64::from(self.year) - i64::from(self.month <= 2);
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let m = i64::from(self.month);
        let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(self.day) - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }
}

impl std::fmt::Display for Date {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

/// The months, lower case, January first.
pub const MONTH_NAMES: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

/// The days of the week, lower case, Monday first.
pub const WEEKDAY_NAMES: [&str; 7] = [
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
];

/// Whether a lower-case word names a month or a day of the week.
pub fn is_calendar_word(word: &str) -> bool {
    MONTH_NAMES.contains(&word) || WEEKDAY_NAMES.contains(&word)
}

/// A yearless dateline takes the year that puts it at most this many days from a dated
/// line near the top of the text; with no such year it stays undated.
pub const YEAR_WINDOW_DAYS: i64 = 31;

/// How far down a text the date is looked for: this many non-empty lines ...
const TOP_LINES: usize = 15;
/// ... within this many bytes.
const TOP_BYTES: usize = 3_000;

const MONTHS: &str = r"jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?";

/// A written or ISO date, with or without a year: "2023-12-08", "Dec. 8, 2023", "Dec 8",
/// "8 December 2023", "8th of December".
static DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?ix)
        \b(?:
            (?P<iy>(?:18|19|20|21)\d\d)[-/](?P<im>\d\d)[-/](?P<id>\d\d)
          | (?P<m1>{MONTHS})\b\.?\s+(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?\b(?:,?\s+(?P<y1>(?:18|19|20|21)\d\d)\b)?
          | (?P<d2>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<m2>{MONTHS})\b\.?(?:,?\s+(?P<y2>(?:18|19|20|21)\d\d)\b)?
        )"
    ))
    .expect("the date pattern is valid")
});

/// A date found in text: where, and its parts (the year may be missing).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Found {
    start: usize,
    end: usize,
    year: Option<i32>,
    month: u32,
    day: u32,
}

fn month_number(name: &str) -> u32 {
    let name = name.to_ascii_lowercase();
    let months = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ];
    months
        .iter()
        .position(|m| name.starts_with(m))
        .map_or(0, |k| k as u32 + 1)
}

/// Every date in `text`, in order, that is a real day (Feb 29 without a year counts).
fn dates_in(text: &str) -> Vec<Found> {
    DATE.captures_iter(text)
        .filter_map(|c| {
            let whole = c.get(0)?;
            let number = |name: &str| c.name(name).and_then(|m| m.as_str().parse::<u32>().ok());
            let (year, month, day) = if let Some(y) = number("iy") {
                (Some(y as i32), number("im")?, number("id")?)
            } else if let Some(m) = c.name("m1") {
                (
                    number("y1").map(|y| y as i32),
                    month_number(m.as_str()),
                    number("d1")?,
                )
            } else {
                let m = c.name("m2")?;
                (
                    number("y2").map(|y| y as i32),
                    month_number(m.as_str()),
                    number("d2")?,
                )
            };
            let valid = match year {
                Some(y) => Date::new(y, month, day).is_some(),
                None => Date::new(2000, month, day).is_some(), // 2000 is a leap year
            };
            valid.then_some(Found {
                start: whole.start(),
                end: whole.end(),
                year,
                month,
                day,
            })
        })
        .collect()
}

/// A partial ISO date, `YYYY`, `YYYY-MM` or `YYYY-MM-DD`, as stored in
/// `documents.published`, given to `--since`/`--until` and written in gazetteer validity
/// columns. One type, so that every place accepts and refuses the same dates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct PartialDate {
    pub year: i32,
    pub month: Option<u32>,
    /// Only with a month.
    pub day: Option<u32>,
}

impl PartialDate {
    /// Parse `YYYY`, `YYYY-MM` or `YYYY-MM-DD` exactly: zero-padded, a real month and a
    /// day that month has (`2023-02-30` is refused). Years 1000 to 9999.
    pub fn parse_iso(text: &str) -> Option<PartialDate> {
        let digits = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_digit());
        let mut parts = text.split('-');
        let year = parts.next().filter(|y| digits(y, 4))?.parse().ok()?;
        let month = match parts.next() {
            None => None,
            Some(m) => Some(m).filter(|m| digits(m, 2))?.parse().ok(),
        };
        let day = match parts.next() {
            None => None,
            Some(d) => Some(d).filter(|d| digits(d, 2))?.parse().ok(),
        };
        if parts.next().is_some() || year < 1000 {
            return None;
        }
        match (month, day) {
            (Some(m), _) if !(1..=12).contains(&m) => None,
            (Some(m), Some(d)) if d < 1 || d > days_in_month(year, m) => None,
            _ => Some(PartialDate { year, month, day }),
        }
    }
}

impl std::fmt::Display for PartialDate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}", self.year)?;
        if let Some(month) = self.month {
            write!(f, "-{month:02}")?;
        }
        if let Some(day) = self.day {
            write!(f, "-{day:02}")?;
        }
        Ok(())
    }
}

/// An input's publication date as stored: `YYYY-MM-DD`, or `YYYY-MM`/`YYYY` when that is
/// all it gives. Reads what [`parse`] reads plus a partial ISO date; `None` when it cannot
/// tell the date (the caller keeps the raw value).
pub fn normalize(value: &str) -> Option<String> {
    let value = value.trim();
    if let Some(partial) = PartialDate::parse_iso(value) {
        return Some(partial.to_string());
    }
    parse(value).map(|date| date.to_string())
}

/// The newswire form "26-FEB-1987 15:01:01.79" (Reuters-21578), day first.
static DAY_MON_YEAR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?i)^(\d{{1,2}})-({MONTHS})-((?:18|19|20|21)\d\d)(?:$|[T\s])"
    ))
    .expect("valid pattern")
});

/// A compact ISO date at the start: "20231208", "20231208T091400Z".
static COMPACT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^((?:18|19|20|21)\d\d)(\d\d)(\d\d)(?:$|[T\s])").expect("valid pattern")
});

/// Parse a date as page metadata gives it: ISO 8601 date or date-time
/// ("2023-12-08", "2023-12-08T23:30:00-05:00", "2023/12/08"), compact ISO ("20231208"),
/// RFC 2822 ("Fri, 08 Dec 2023 09:14:00 GMT"), a written date with its year
/// ("December 8, 2023", "8 Dec 2023 10:00"), or day-month-year with hyphens
/// ("26-FEB-1987 15:01:01.79"). The date is the one written: times and
/// zones are ignored, not converted. `None` for anything else, numeric day/month forms
/// included ("08/12/2023" is ambiguous).
pub fn parse(value: &str) -> Option<Date> {
    let value = value.trim();
    if let Some(c) = COMPACT.captures(value) {
        return Date::new(c[1].parse().ok()?, c[2].parse().ok()?, c[3].parse().ok()?);
    }
    if let Some(c) = DAY_MON_YEAR.captures(value) {
        return Date::new(c[3].parse().ok()?, month_number(&c[2]), c[1].parse().ok()?);
    }
    let found = dates_in(value).into_iter().next()?;
    // The date must open the value, after at most a weekday ("Fri, ").
    let before = &value[..found.start];
    let opens = before.is_empty() || (before.len() <= 12 && is_label_words(before));
    if !opens {
        return None;
    }
    Date::new(found.year?, found.month, found.day)
}

/// Words that may stand around a date on a line of its own: weekdays, "Published",
/// "Updated", times, zones, separators.
fn is_label_words(text: &str) -> bool {
    static LABEL: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(
            r"(?x)^(?:
                (?i:(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)(?:day|nesday|rsday|urday|sday)?\.?)
              | (?i:published|updated|posted|first|last|modified|date[ds]?|on|at|am|pm|a\.m\.|p\.m\.)
              | [A-Z]{2,5}   # time zones: GMT, EST, AEDT
              | (?i:(?:gmt|utc)[+-]?\d{0,2})
              | \d{1,2}[:.]\d\d(?:[:.]\d\d)?(?i:am|pm)?
              | [-–—|/:,.•·]+
            )$",
        )
        .expect("valid pattern")
    });
    text.split(|c: char| c.is_whitespace() || c == ',')
        .filter(|w| !w.is_empty())
        .map(|w| w.strip_suffix(':').filter(|w| !w.is_empty()).unwrap_or(w))
        .all(|w| LABEL.is_match(w))
}

/// A place name list opening a dateline: "BAGHDAD", "GAZA CITY", "KYIV, Ukraine",
/// "Washington", each part starting with a capital; optionally followed by an agency in
/// brackets and a dash ("WASHINGTON (AP) —").
static DATELINE_PLACE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^\p{Lu}[\p{L}\p{M}.'’\-]*(?:\s+\p{Lu}[\p{L}\p{M}.'’\-]*){0,3}(?:,\s*\p{Lu}[\p{L}\p{M}.'’\-]*(?:\s+\p{Lu}[\p{L}\p{M}.'’\-]*){0,3}){0,2}",
    )
    .expect("valid pattern")
});

/// An agency in brackets then a dash: " (Reuters) -", " (AP) —", " (AFP) –".
static AGENCY_DASH: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\s*\([^()\n]{1,40}\)\s*(?:-{1,2}|–|—)").expect("valid pattern"));

/// A dash (or colon) ending a dateline: " —", " -", ":".
static DASH: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\s*(?:-{1,2}|–|—|:)").expect("valid pattern"));

/// Whether `found` in `line` sits in a dateline: "BAGHDAD, Dec 8 (Reuters) -",
/// "GAZA CITY, December 8, 2023 —", "WASHINGTON (AP) — Dec. 8, 2023".
fn is_dateline(line: &str, found: &Found) -> bool {
    let before = &line[..found.start];
    let after = &line[found.end..];
    let Some(place) = DATELINE_PLACE.find(before) else {
        return false;
    };
    let rest = &before[place.end()..];
    // "PLACE, <date> (Agency) -" or "PLACE, <date> —"
    if rest.trim_end() == "," && (AGENCY_DASH.is_match(after) || DASH.is_match(after)) {
        return true;
    }
    // "PLACE (Agency) — <date>"
    AGENCY_DASH
        .find(rest)
        .is_some_and(|m| rest[m.end()..].trim().is_empty())
}

/// Whether `found` is the date of a line of its own ("Friday 8 December 2023",
/// "Published: 2023-12-08 09:14 GMT", "Updated 10:32 AM EST, Sat December 9, 2023"), and
/// whether that line calls it an update.
fn date_line(line: &str, found: &Found) -> Option<bool> {
    if line.split_whitespace().count() > 14 {
        return None;
    }
    let before = &line[..found.start];
    let after = &line[found.end..];
    if !is_label_words(before) {
        return None;
    }
    // After the date: a time, a zone, separators, or a short rest that is no sentence
    // ("/ Updated 2 hours ago", "| Updated: 2023-12-09").
    if !is_label_words(after) && after.trim_end().ends_with(['.', '!', '?']) {
        return None;
    }
    let lower = before.to_lowercase();
    Some(lower.contains("updated") || lower.contains("modified"))
}

/// The non-empty lines near the top of `text`: at most [`TOP_LINES`] of them, within
/// the first [`TOP_BYTES`] bytes (a longer line is cut there, so the work is bounded).
fn top_lines(text: &str) -> Vec<&str> {
    let mut end = text.len().min(TOP_BYTES);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let mut lines = Vec::new();
    let mut at = 0;
    for line in text[..end].split('\n') {
        if at >= TOP_BYTES || lines.len() >= TOP_LINES {
            break;
        }
        at += line.len() + 1;
        let line = line.trim();
        if !line.is_empty() {
            lines.push(line);
        }
    }
    lines
}

/// The article's date from the top of its text, for a document that has none: a
/// dateline ("BAGHDAD, Dec 8 (Reuters) -", "WASHINGTON (AP) — Dec. 8, 2023") first, else
/// a date on a line of its own ("Friday 8 December 2023", "2023-12-08"; a "Published"
/// line before an "Updated" one). A dateline without a year takes the year from a dated
/// line near the top within [`YEAR_WINDOW_DAYS`]; without one it gives no date.
pub fn from_text(text: &str) -> Option<Date> {
    let mut datelines: Vec<Found> = Vec::new();
    let mut published: Vec<Found> = Vec::new();
    let mut updated: Vec<Found> = Vec::new();
    for line in top_lines(text) {
        for found in dates_in(line) {
            if is_dateline(line, &found) {
                datelines.push(found);
            } else if let Some(update) = date_line(line, &found)
                && found.year.is_some()
            {
                if update { &mut updated } else { &mut published }.push(found);
            }
        }
    }
    let stamps: Vec<Date> = published
        .iter()
        .chain(&updated)
        .chain(&datelines)
        .filter_map(|f| Date::new(f.year?, f.month, f.day))
        .collect();
    for found in datelines.iter().chain(&published).chain(&updated) {
        if let Some(year) = found.year {
            if let Some(date) = Date::new(year, found.month, found.day) {
                return Some(date);
            }
            continue;
        }
        // A yearless dateline: the year that puts it nearest a dated line, if near enough.
        let best = stamps
            .iter()
            .flat_map(|stamp| {
                (stamp.year - 1..=stamp.year + 1)
                    .filter_map(|y| Date::new(y, found.month, found.day))
                    .map(move |d| ((d.days() - stamp.days()).abs(), d))
            })
            .min();
        if let Some((distance, date)) = best
            && distance <= YEAR_WINDOW_DAYS
        {
            return Some(date);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn issue_15_input_dates_in_common_formats_are_stored_as_iso() {
        for (raw, stored) in [
            ("26-FEB-1987 15:01:01.79", Some("1987-02-26")),
            ("21-apr-1987", Some("1987-04-21")),
            ("Fri, 08 Dec 2023 09:14:00 +0000", Some("2023-12-08")),
            ("2023-12-08T23:30:00-05:00", Some("2023-12-08")),
            ("2023-12-08 10:00", Some("2023-12-08")),
            ("December 8, 2023", Some("2023-12-08")),
            ("8 December 2023", Some("2023-12-08")),
            ("2023-12", Some("2023-12")),
            ("2023", Some("2023")),
            (" 2023-12-08 ", Some("2023-12-08")),
            ("31-FEB-1987", None),
            ("08/12/2023", None),
            ("yesterday", None),
            ("", None),
        ] {
            assert_eq!(normalize(raw).as_deref(), stored, "{raw:?}");
        }
    }

    #[test]
    fn issue_15_partial_dates_refuse_months_and_days_that_do_not_exist() {
        for good in ["2023", "2023-02", "2024-02-29", "1987-12-31"] {
            assert_eq!(PartialDate::parse_iso(good).unwrap().to_string(), good);
        }
        for bad in [
            "2023-13",
            "2023-02-30",
            "2023-00",
            "2023-1",
            "23",
            "2023-02-29",
            "2023-01-01-01",
            "2023-",
            "abcd",
            "2023-01-1x",
        ] {
            assert_eq!(PartialDate::parse_iso(bad), None, "{bad:?}");
        }
        assert!(
            PartialDate::parse_iso("2023").unwrap() < PartialDate::parse_iso("2023-01").unwrap()
        );
    }

    #[test]
    fn metadata_values_parse_to_the_date_written() {
        let cases = [
            ("2023-12-08", Some("2023-12-08")),
            ("2023-12-08T09:14:00Z", Some("2023-12-08")),
            ("2023-12-08T23:30:00-05:00", Some("2023-12-08")),
            (" 2023/12/08 10:00 ", Some("2023-12-08")),
            ("20231208", Some("2023-12-08")),
            ("20231208T091400Z", Some("2023-12-08")),
            ("Fri, 08 Dec 2023 09:14:00 GMT", Some("2023-12-08")),
            ("December 8, 2023", Some("2023-12-08")),
            ("Dec. 8, 2023 9:14 AM", Some("2023-12-08")),
            ("8 December 2023", Some("2023-12-08")),
            ("2024-02-29", Some("2024-02-29")),
            ("2023-02-29", None),
            ("2023-13-01", None),
            ("08/12/2023", None),
            ("Dec 8", None),
            ("yesterday", None),
            ("", None),
            ("Updated on December 8, 2023", Some("2023-12-08")),
            ("Reported from Baghdad on December 8, 2023", None),
        ];
        for (value, expected) in cases {
            assert_eq!(
                parse(value).map(|d| d.to_string()).as_deref(),
                expected,
                "{value:?}"
            );
        }
    }

    #[test]
    fn datelines_give_iso_dates_and_never_a_guessed_year() {
        let cases: &[(&str, Option<&str>)] = &[
            // Wire datelines.
            (
                "BAGHDAD, Dec 8, 2023 (Reuters) - Rockets hit the embassy.",
                Some("2023-12-08"),
            ),
            (
                "LONDON, 8 December 2023 (AFP) – Talks resumed.",
                Some("2023-12-08"),
            ),
            (
                "GAZA CITY, December 8, 2023 — Strikes continued.",
                Some("2023-12-08"),
            ),
            (
                "WASHINGTON (AP) — Dec. 8, 2023 — The Pentagon said.",
                Some("2023-12-08"),
            ),
            (
                "KYIV, Ukraine, Sept. 30, 2022 (AP) — Drones struck.",
                Some("2022-09-30"),
            ),
            // A yearless dateline takes the year of a dated line near the top ...
            (
                "Updated 10:32 AM EST, Sat December 9, 2023\n\nBAGHDAD, Dec 8 (Reuters) - Rockets hit.",
                Some("2023-12-08"),
            ),
            (
                "Militia vows attacks\n\nBy A Reporter\n\nPublished 2024-01-02\n\nBAGHDAD, Dec 31 (Reuters) - Rockets hit.",
                Some("2023-12-31"),
            ),
            // ... and none without one, or when the dated line is far from it.
            ("BAGHDAD, Dec 8 (Reuters) - Rockets hit the embassy.", None),
            // (the Published line still dates the page).
            (
                "Published 2024-06-01\n\nBAGHDAD, Dec 8 (Reuters) - Rockets hit.",
                Some("2024-06-01"),
            ),
            (
                "Friday 8 December\n\nBAGHDAD, Dec 8 (Reuters) - Rockets hit.",
                None,
            ),
            // A year in a sentence is not the article's year.
            (
                "BAGHDAD, Dec 8 (Reuters) - The attack recalled the invasion of March 20, 2003.",
                None,
            ),
            // Date lines.
            (
                "Friday 8 December 2023\n\nRockets hit the embassy.",
                Some("2023-12-08"),
            ),
            (
                "Title here\n\n2023-12-08\n\nRockets hit.",
                Some("2023-12-08"),
            ),
            (
                "Published: 2023-12-08 09:14 GMT | Updated: 2023-12-09 10:00 GMT\n\nText.",
                Some("2023-12-08"),
            ),
            (
                "Updated 2023-12-09\n\nPublished 2023-12-08\n\nText.",
                Some("2023-12-08"),
            ),
            (
                "Dec 8, 2023 / 10:32 AM / Updated 2 hours ago\n\nText.",
                Some("2023-12-08"),
            ),
            // Not dates of the article.
            (
                "Rockets hit the embassy on December 8, 2023, officials said.",
                None,
            ),
            ("Friday 8 December\n\nRockets hit.", None),
            ("08/12/2023\n\nRockets hit.", None),
            ("The 2023 report was released.", None),
            (
                "(CNN) — The commander said on Friday that attacks continue.",
                None,
            ),
        ];
        for (text, expected) in cases {
            assert_eq!(
                from_text(text).map(|d| d.to_string()).as_deref(),
                *expected,
                "{text:?}"
            );
        }
    }

    #[test]
    fn a_dateline_far_down_the_text_is_not_read() {
        let mut text = "Plain paragraph without a date.\n\n".repeat(20);
        text.push_str("BAGHDAD, Dec 8, 2023 (Reuters) - Rockets hit.");
        assert_eq!(from_text(&text), None);
    }

    #[test]
    fn only_the_top_of_a_huge_line_is_read() {
        let line = "Friday 8 December 2023 ".repeat(200_000);
        let started = std::time::Instant::now();
        assert_eq!(from_text(&line), None, "a long line is no date line");
        assert!(started.elapsed().as_secs() < 2, "{:?}", started.elapsed());
    }

    #[test]
    fn days_count_from_the_epoch() {
        assert_eq!(Date::new(1970, 1, 1).unwrap().days(), 0);
        assert_eq!(Date::new(2000, 3, 1).unwrap().days(), 11_017);
        assert_eq!(
            Date::new(2024, 1, 1).unwrap().days() - Date::new(2023, 12, 31).unwrap().days(),
            1
        );
    }
}
