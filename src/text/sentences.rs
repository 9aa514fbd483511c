//! Sentence splitting: Unicode sentence boundaries (UAX #29), then joins where a
//! boundary follows an abbreviation ("Brig. Gen. Pat Ryder", "the U.S. Embassy") or an
//! initial ("John F. Kennedy"). Each sentence is a byte span of the text, trimmed.

use super::sentence_bounds::sentence_pieces;
use std::ops::Range;

/// Words that end with a period without ending the sentence, compared lower case and
/// without the final period.
const ABBREVIATIONS: &[&str] = &[
    "mr", "mrs", "ms", "dr", "prof", "sr", "jr", "st", "mt", "ft", "gen", "brig", "lt", "col",
    "maj", "capt", "cpt", "sgt", "cpl", "pvt", "adm", "cmdr", "cdr", "gov", "sen", "rep", "pres",
    "amb", "sec", "hon", "rev", "fr", "insp", "supt", "no", "nos", "vol", "art", "fig", "jan",
    "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "mon", "tue",
    "tues", "wed", "thu", "thur", "thurs", "fri", "sat", "sun", "u.s", "u.k", "u.n", "e.u",
    "u.a.e", "d.c", "a.m", "p.m", "etc", "vs", "approx", "dept", "corp", "inc", "ltd", "co",
    "bros", "est", "ave", "blvd", "rd", "e.g", "i.e",
];

/// Sentences longer than this many bytes are cut at the last space before the limit, so
/// that one run-on "sentence" (a table, a scraped list with no full stops) cannot make
/// the per-sentence relation stage expensive.
pub const MAX_SENTENCE_BYTES: usize = 2_000;

fn ends_with_abbreviation(piece: &str) -> bool {
    let trimmed = piece.trim_end();
    let Some(body) = trimmed.strip_suffix('.') else {
        return false;
    };
    let last_word = body
        .rsplit(|c: char| c.is_whitespace() || c == '(' || c == '"' || c == '“')
        .next()
        .unwrap_or("");
    if last_word.chars().count() == 1 && last_word.chars().all(char::is_uppercase) {
        return true; // an initial: "John F. Kennedy"
    }
    let lower = last_word.to_lowercase();
    ABBREVIATIONS.contains(&lower.as_str())
}

fn starts_lowercase_or_digit(piece: &str) -> bool {
    piece
        .trim_start()
        .chars()
        .next()
        .is_some_and(|c| c.is_lowercase() || c.is_ascii_digit())
}

/// Split `text` into sentence spans. Spans are trimmed of white space, never empty, in
/// order and non-overlapping.
pub fn split(text: &str) -> Vec<Range<usize>> {
    let mut sentences: Vec<Range<usize>> = Vec::new();
    let mut joinable = false;
    for range in sentence_pieces(text) {
        let (at, piece) = (range.start, &text[range.clone()]);
        let paragraph_break = text[..at].ends_with('\n');
        // After "Gen." or "U.S." the sentence goes on; so it does when the next piece
        // starts in lower case or with a digit ("on Jan. 5").
        let join = !paragraph_break
            && !sentences.is_empty()
            && (joinable || starts_lowercase_or_digit(piece));
        match sentences.last_mut() {
            Some(last) if join => last.end = range.end,
            _ => sentences.push(range),
        }
        joinable = ends_with_abbreviation(piece);
    }
    let mut out = Vec::with_capacity(sentences.len());
    for range in sentences {
        for piece in cap_length(text, range) {
            if let Some(trimmed) = trim(text, piece) {
                out.push(trimmed);
            }
        }
    }
    out
}

fn cap_length(text: &str, range: Range<usize>) -> Vec<Range<usize>> {
    let mut pieces = Vec::new();
    let mut start = range.start;
    while range.end - start > MAX_SENTENCE_BYTES {
        let mut limit = start + MAX_SENTENCE_BYTES;
        while !text.is_char_boundary(limit) {
            limit -= 1;
        }
        let cut = text[start..limit]
            .rfind(char::is_whitespace)
            .map(|at| start + at + 1)
            .filter(|&cut| cut > start)
            .unwrap_or(limit);
        pieces.push(start..cut);
        start = cut;
    }
    pieces.push(start..range.end);
    pieces
}

fn trim(text: &str, range: Range<usize>) -> Option<Range<usize>> {
    let piece = &text[range.clone()];
    let start = range.start + (piece.len() - piece.trim_start().len());
    let end = range.start + piece.trim_end().len();
    (start < end).then_some(start..end)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sentences(text: &str) -> Vec<&str> {
        split(text).into_iter().map(|r| &text[r]).collect()
    }

    #[test]
    fn titles_and_abbreviations_do_not_end_sentences() {
        assert_eq!(
            sentences("Pentagon spokesman Brig. Gen. Pat Ryder said this week. So far, calm."),
            [
                "Pentagon spokesman Brig. Gen. Pat Ryder said this week.",
                "So far, calm."
            ]
        );
        assert_eq!(
            sentences("The U.S. Embassy was hit. Mr. Smith left on Jan. 5. He returned."),
            [
                "The U.S. Embassy was hit.",
                "Mr. Smith left on Jan. 5.",
                "He returned."
            ]
        );
    }

    #[test]
    fn initials_do_not_end_sentences() {
        assert_eq!(
            sentences("John F. Kennedy spoke. Crowds cheered."),
            ["John F. Kennedy spoke.", "Crowds cheered."]
        );
    }

    #[test]
    fn paragraphs_always_end_sentences() {
        assert_eq!(
            sentences("Headline without stop\n\nBody text here."),
            ["Headline without stop", "Body text here."]
        );
    }

    #[test]
    fn run_on_text_is_cut_into_bounded_pieces() {
        let text = "word ".repeat(2_000);
        let spans = split(&text);
        assert!(spans.len() >= 5);
        assert!(spans.iter().all(|s| s.len() <= MAX_SENTENCE_BYTES));
    }

    #[test]
    fn spans_are_trimmed_and_ordered() {
        let text = "  One.   Two?  \n\n Three!  ";
        let spans = split(text);
        assert_eq!(sentences(text), ["One.", "Two?", "Three!"]);
        assert!(spans.windows(2).all(|w| w[0].end <= w[1].start));
    }
}
