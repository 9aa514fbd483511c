//! Mention filtering: the matcher finds every listed name; this drops the matches the text
//! does not support (a sentence-opening common word, a small town named like a person
//! without place context, a place inside an organisation's name or after a personal
//! title).

use crate::gazetteer::Gazetteer;
use std::collections::HashSet;
use std::ops::Range;

/// Capitalised words that make a run of capitalised words the name of an organisation:
/// the place in "Texas Air Corp", "Chicago Mercantile Exchange" or "British Broadcasting
/// Corporation" is part of the name, not a mention of the place.
const ORGANISATION_WORDS: &[&str] = &[
    "corp",
    "corporation",
    "co",
    "inc",
    "ltd",
    "plc",
    "llc",
    "ag",
    "sa",
    "nv",
    "gmbh",
    "bank",
    "bancorp",
    "bancshares",
    "exchange",
    "airlines",
    "airways",
    "air",
    "gas",
    "oil",
    "steel",
    "electric",
    "energy",
    "power",
    "motors",
    "mining",
    "telecom",
    "broadcasting",
    "association",
    "party",
    "club",
    "stock",
    "mercantile",
    "international",
    "holdings",
    "group",
    "industries",
    "insurance",
    "trust",
    "securities",
    "financial",
    "capital",
    "partners",
    "times",
    "post",
    "journal",
    "university",
    "college",
    "hospital",
    "commerce",
    "resources",
    "petroleum",
    "chemical",
    "chemicals",
    "transmission",
    "utilities",
    "railway",
    "railroad",
    "fc",
    "rovers",
    "confederation",
    "federation",
    "institute",
    "society",
    "league",
    "chamber",
    "foundation",
    "committee",
];

/// Capitalised words that may stand before a place name without making it part of a
/// longer name: "West Germany", "In Baghdad".
const PLACE_MODIFIERS: &[&str] = &[
    "north",
    "south",
    "east",
    "west",
    "northern",
    "southern",
    "eastern",
    "western",
    "central",
    "upper",
    "lower",
    "greater",
    "new",
    "old",
    "in",
    "near",
    "at",
    "from",
    "to",
    "for",
    "and",
    "of",
    "the",
    "across",
    "outside",
    "inside",
    "around",
    "rural",
    "downtown",
    "metropolitan",
    "occupied",
    "mainland",
    "coastal",
];

/// Whether most words of `sentence` are capitalised (a title-case headline), where a
/// capitalised neighbour says nothing.
/// The part of `sentence_start..end` that [`title_case`] reads: at most
/// [`NEIGHBOUR_WINDOW`] bytes before `end`, from a word start. A headline is shorter; a
/// longer stretch is judged by its last words, so one endless sentence costs linear time.
fn title_window(text: &str, sentence_start: usize, end: usize) -> Range<usize> {
    let from = floor_char_boundary(text, end.saturating_sub(NEIGHBOUR_WINDOW));
    if from <= sentence_start {
        return sentence_start..end;
    }
    text[from..end].find(' ').map_or(end, |k| from + k + 1)..end
}

fn title_case(sentence: &str) -> bool {
    let words: Vec<&str> = sentence
        .split_whitespace()
        .filter(|w| w.chars().any(char::is_alphabetic))
        .collect();
    let capitalised = words
        .iter()
        .filter(|w| {
            w.chars()
                .find(|c| c.is_alphabetic())
                .is_some_and(char::is_uppercase)
        })
        .count();
    words.len() >= 3 && capitalised * 10 >= words.len() * 6
}

/// Titles before a name that make it a person: "Mr Kennedy".
const PERSON_TITLES: &[&str] = &[
    "mr",
    "mrs",
    "ms",
    "miss",
    "dr",
    "sir",
    "dame",
    "lord",
    "lady",
    "sen",
    "senator",
    "rep",
    "gov",
    "prof",
    "president",
    "minister",
    "king",
    "queen",
    "prince",
    "princess",
];

/// Words before a name that make it a place: "in Martin", "near Reading".
const LOCATIVE_WORDS: &[&str] = &[
    "in", "near", "at", "from", "outside", "into", "around", "across", "toward", "towards", "via",
    "through", "inside", "nearby", "northern", "southern", "eastern", "western",
];

/// How far, in bytes, [`capitalised_neighbours`] and [`title_case`] look around a mention.
const NEIGHBOUR_WINDOW: usize = 400;

fn floor_char_boundary(text: &str, mut at: usize) -> usize {
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

fn ceil_char_boundary(text: &str, at: usize) -> usize {
    let mut at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at += 1;
    }
    at
}

/// The capitalised words (letters, digits, `&`, `.`, `'`) just before and just after
/// `start..end` on the same line, up to four each way.
fn capitalised_neighbours(text: &str, start: usize, end: usize) -> (Vec<&str>, Vec<&str>) {
    let capitalised = |w: &&str| w.chars().next().is_some_and(char::is_uppercase);
    fn word(w: &str) -> &str {
        let w = w.trim_matches(|c: char| !c.is_alphanumeric() && c != '&');
        w.strip_suffix("'s")
            .or_else(|| w.strip_suffix("’s"))
            .unwrap_or(w)
    }
    // Only a few words either side count, so look no further than a window: a document of
    // one long line must not make every mention scan the whole line.
    let from = floor_char_boundary(text, start.saturating_sub(NEIGHBOUR_WINDOW));
    let line_start = match text[from..start].rfind('\n') {
        Some(k) => from + k + 1,
        None if from == 0 => 0,
        // Cut inside the line: start after the first space, at a whole word.
        None => text[from..start].find(' ').map_or(start, |k| from + k + 1),
    };
    let to = ceil_char_boundary(text, end + NEIGHBOUR_WINDOW);
    let line_end = match text[end..to].find('\n') {
        Some(k) => end + k,
        None if to == text.len() => to,
        None => text[end..to].rfind(' ').map_or(end, |k| end + k),
    };
    let mut before: Vec<&str> = Vec::new();
    let before_text = &text[line_start..start];
    if before_text.ends_with(' ') {
        for raw in before_text.split(' ').rev().skip(1).take(4) {
            let w = word(raw);
            // "Mr." ends with a full stop but not a sentence.
            let title = PERSON_TITLES.contains(&w.to_lowercase().as_str());
            if !capitalised(&w) || (raw.ends_with(['.', ',', ';', ':', '(']) && !title) {
                break;
            }
            before.push(w);
        }
    }
    let mut after: Vec<&str> = Vec::new();
    let after_text = &text[end..line_end];
    if let Some(rest) = after_text.strip_prefix(' ') {
        for raw in rest.split(' ').take(5) {
            if raw == "and" || raw == "&" {
                continue; // "Montgomery Ward and Co"
            }
            let w = word(raw);
            if !capitalised(&w) {
                break;
            }
            after.push(w);
            if raw.ends_with([',', '.', ';', ':', ')']) {
                break;
            }
        }
    }
    (before, after)
}

/// Whether a matched text is a date: only month or day names and numbers ("May 15",
/// "21 June"), which some source lists carry as names of groups.
fn reads_as_date(surface: &str) -> bool {
    let mut words = surface
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .peekable();
    words.peek().is_some()
        && words.all(|w| {
            w.chars().all(|c| c.is_ascii_digit())
                || crate::text::dates::is_calendar_word(&w.to_lowercase())
        })
}

/// Drop mentions the text gives no support for:
/// - a common-word alias ("Reading", "Split") that opens a sentence is capitalised because
///   it opens the sentence, so it is kept only when a place follows after a comma
///   ("Split, Croatia, is ...");
/// - an entry that needs context (a small town named like a person: "Martin", "George")
///   is kept only after a locative word ("in Martin") or before ", <place>";
/// - a place or demonym inside a longer capitalised name with an organisation word
///   ("Texas Air Corp", "Tokyo Stock Exchange", "British National Party") is part of that
///   name, and a place right after a personal title ("Mr Kennedy") is a person;
/// - a match that reads as a date ("May 15") is a date.
pub(crate) fn drop_unsupported_mentions(
    text: &str,
    mentions: Vec<crate::gazetteer::RawMention>,
    sentences: &[Range<usize>],
    gazetteer: &Gazetteer,
) -> Vec<crate::gazetteer::RawMention> {
    let sentence_start = |start: usize| {
        let at = sentences.partition_point(|s| s.end <= start);
        sentences.get(at).map_or(start, |s| s.start)
    };
    let place_follows = |index: usize, mentions: &[crate::gazetteer::RawMention]| {
        let m = &mentions[index];
        mentions.get(index + 1).is_some_and(|next| {
            text[m.end..next.start].trim() == ","
                && gazetteer.entity(next.entity).kind == crate::gazetteer::EntityType::Place
        })
    };
    // Only a confident neighbour counts as a mention: "Lindsay" (a small town) does not
    // make "Lindsay Davenport" two places.
    let confident = mentions
        .iter()
        .filter(|n| !n.common_word && !gazetteer.entity(n.entity).needs_context);
    let edges = ConfidentEdges {
        starts: confident.clone().map(|n| n.start).collect(),
        ends: confident.map(|n| n.end).collect(),
    };
    let keep: Vec<bool> = (0..mentions.len())
        .map(|k| {
            let m = &mentions[k];
            if reads_as_date(&text[m.start..m.end]) {
                return false;
            }
            let before = &text[sentence_start(m.start)..m.start];
            if m.common_word && !before.chars().any(char::is_alphanumeric) {
                return place_follows(k, &mentions);
            }
            if m.common_word {
                // "International Coffee Organization" is not the group called "Organization".
                let (left, right) = capitalised_neighbours(text, m.start, m.end);
                if !left.is_empty() || !right.is_empty() {
                    return false;
                }
            }
            if gazetteer.entity(m.entity).kind == crate::gazetteer::EntityType::Place
                && place_in_longer_name(text, m, sentence_start(m.start), &edges)
            {
                return false;
            }
            if gazetteer.entity(m.entity).needs_context
                && m.kind == crate::gazetteer::MatchKind::Name
            {
                let previous = before
                    .split(|c: char| !c.is_alphanumeric())
                    .rfind(|w| !w.is_empty())
                    .map(str::to_lowercase);
                let locative = previous.is_some_and(|w| LOCATIVE_WORDS.contains(&w.as_str()));
                return locative || place_follows(k, &mentions);
            }
            true
        })
        .collect();
    mentions
        .into_iter()
        .zip(keep)
        .filter_map(|(m, keep)| keep.then_some(m))
        .collect()
}

/// The starts and ends of the confident mentions (see [`drop_unsupported_mentions`]).
struct ConfidentEdges {
    starts: HashSet<usize>,
    ends: HashSet<usize>,
}

/// Whether a place mention is part of a longer name rather than the place: an
/// organisation's ("Bank of France"), a person's ("Lindsay Davenport") or one half of a
/// hyphenated name ("Bristol-Myers").
fn place_in_longer_name(
    text: &str,
    m: &crate::gazetteer::RawMention,
    sentence_start: usize,
    edges: &ConfidentEdges,
) -> bool {
    let before = &text[sentence_start..m.start];
    let (left, right) = capitalised_neighbours(text, m.start, m.end);
    let organisation = left
        .iter()
        .chain(&right)
        .any(|w| ORGANISATION_WORDS.contains(&w.to_lowercase().as_str()));
    let titled = left
        .first()
        .is_some_and(|w| PERSON_TITLES.contains(&w.to_lowercase().as_str()))
        && m.kind == crate::gazetteer::MatchKind::Name;
    // "Bank of France", "University of Texas".
    let of_organisation = before
        .trim_end()
        .strip_suffix(" of")
        .and_then(|b| b.split(' ').next_back())
        .is_some_and(|w| ORGANISATION_WORDS.contains(&w.to_lowercase().as_str()));
    // "Bristol-Myers", "Roth-American": one half of a hyphenated name.
    let starts_at = |at: usize| edges.starts.contains(&at);
    let ends_at = |at: usize| edges.ends.contains(&at);
    let after = &text[m.end..];
    let hyphen_after = after
        .strip_prefix('-')
        .is_some_and(|r| r.starts_with(char::is_uppercase) && !starts_at(m.end + 1));
    let hyphen_before = before.strip_suffix('-').is_some_and(|b| {
        b.chars().next_back().is_some_and(char::is_alphabetic)
            && b.split(|c: char| !c.is_alphanumeric())
                .next_back()
                .is_some_and(|w| w.starts_with(char::is_uppercase))
            && !ends_at(m.start - 1)
    });
    // "Lindsay Davenport", "Light Louisiana Sweet", "Plaid Cymru": a place
    // right after a capitalised word that is no modifier and no mention is
    // part of a longer name (not in title-case headlines).
    let named = left.first().is_some_and(|w| {
        !PLACE_MODIFIERS.contains(&w.to_lowercase().as_str())
            && !ends_at(m.start - 1)
            && !title_case(&text[title_window(text, sentence_start, m.end)])
    });
    organisation || titled || of_organisation || hyphen_after || hyphen_before || named
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn neighbours_on_a_long_line_come_from_a_window_of_whole_words() {
        let filler = "word ".repeat(2_000);
        let text = format!("{filler}Foo Bar Iran Baz Qux {filler}");
        let start = text.find("Iran").unwrap();
        let (left, right) = capitalised_neighbours(&text, start, start + "Iran".len());
        assert_eq!(left, ["Bar", "Foo"]);
        assert_eq!(right, ["Baz", "Qux"]);
        // A window that starts inside a word skips that word's tail.
        let text = format!("{} Iran", "A".repeat(NEIGHBOUR_WINDOW * 2));
        let start = text.find("Iran").unwrap();
        let (left, _) = capitalised_neighbours(&text, start, start + "Iran".len());
        assert!(left.is_empty(), "{left:?}");
        let window = title_window(&text, 0, text.len());
        assert_eq!(&text[window], "Iran");
        assert_eq!(title_window("Iran Iraq", 0, 9), 0..9);
    }
}
