//! Unicode sentence boundaries (UAX #29) as unicode-segmentation finds them, faster and in
//! time linear in the text.
//!
//! unicode-segmentation looks every character up in a table of 2,500 ranges, and its look
//! ahead for rule SB8 scans again from every closing bracket or space after a full stop, so
//! "a." and 200,000 ")" took 22 s. This is a port of its state machine
//! (`unicode-segmentation` 1.13, `src/sentence.rs`, MIT or Apache-2.0): ASCII categories
//! are written out, the others come from that crate's table
//! ([`super::sentence_categories`]), no rule is tried inside a word, and the SB8 look ahead
//! is remembered until the character where it stopped. A property test checks the result
//! against unicode-segmentation on arbitrary text.

use super::sentence_categories::RANGES;
use std::ops::Range;

/// The spans between consecutive sentence boundaries of `text`, as
/// `text.split_sentence_bound_indices()` gives them: in order, covering the text.
pub fn sentence_pieces(text: &str) -> Vec<Range<usize>> {
    let mut pieces = Vec::new();
    let mut state = State([Part::Sot; 4]);
    let mut look_ahead = LookAhead::default();
    let mut piece_start = 0;
    for (position, c) in text.char_indices() {
        let category = category(c);
        let before = state;
        state = state.next(category);
        // SB5: extend and format characters are skipped, unless a boundary comes first
        // (SB1, SB4).
        if matches!(category, Category::Extend | Category::Format)
            && ![Part::Sot, Part::Sep, Part::Cr, Part::Lf].contains(&before.0[3])
        {
            state = before;
        }
        // Within a word no rule can break: each needs a terminator, closing punctuation,
        // a space or a separator just before.
        if matches!(before.0[3], Part::Other | Part::UpperLower) {
            continue;
        }
        if breaks(before, category, || look_ahead.lower_next(text, position)) {
            pieces.push(piece_start..position);
            piece_start = position;
        }
    }
    if !text.is_empty() {
        pieces.push(piece_start..text.len());
    }
    pieces
}

/// The sentence categories of UAX #29 (unicode-segmentation's `SentenceCat`; `Other` is its
/// `SC_Any`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Category {
    Other,
    Cr,
    Lf,
    Sep,
    Sp,
    Lower,
    Upper,
    OLetter,
    Numeric,
    ATerm,
    STerm,
    Close,
    SContinue,
    Format,
    Extend,
}

fn category(c: char) -> Category {
    use Category::*;
    match c {
        '\t' | '\u{b}' | '\u{c}' | ' ' => Sp,
        '\n' => Lf,
        '\r' => Cr,
        '!' | '?' => STerm,
        '.' => ATerm,
        '"' | '\'' | '(' | ')' | '[' | ']' | '{' | '}' => Close,
        ',' | '-' | ':' | ';' => SContinue,
        '0'..='9' => Numeric,
        'A'..='Z' => Upper,
        'a'..='z' => Lower,
        '\0'..='\u{7f}' => Other,
        _ => {
            let c = c as u32;
            RANGES
                .binary_search_by(|&(first, last, _)| {
                    if last < c {
                        std::cmp::Ordering::Less
                    } else if first > c {
                        std::cmp::Ordering::Greater
                    } else {
                        std::cmp::Ordering::Equal
                    }
                })
                .map_or(Other, |at| RANGES[at].2)
        }
    }
}

/// Rule SB8's look ahead: whether the first letter, terminator or separator at or after a
/// position is a lower-case letter. Every position up to that character has the same
/// answer, so it is kept until the scan passes it.
#[derive(Default)]
struct LookAhead {
    /// Byte offset of the character the last scan stopped at (the text's length if none).
    stop: usize,
    lower: bool,
    scanned: bool,
}

impl LookAhead {
    fn lower_next(&mut self, text: &str, position: usize) -> bool {
        if !self.scanned || position > self.stop {
            self.scanned = true;
            self.stop = text.len();
            self.lower = false;
            for (at, c) in text[position..].char_indices() {
                use Category::*;
                match category(c) {
                    Lower => self.lower = true,
                    OLetter | Upper | Sep | Cr | Lf | STerm | ATerm => {}
                    _ => continue,
                }
                self.stop = position + at;
                break;
            }
        }
        self.lower
    }
}

/// unicode-segmentation's `StatePart`: what the last characters were, with runs of
/// closing punctuation and of spaces each one part.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Part {
    Sot,
    Other,
    Cr,
    Lf,
    Sep,
    ATerm,
    UpperLower,
    ClosePlus,
    SpPlus,
    STerm,
}

#[derive(Debug, Clone, Copy)]
struct State([Part; 4]);

impl State {
    fn next(self, category: Category) -> State {
        let parts = self.0;
        match (parts[3], category) {
            (Part::ClosePlus, Category::Close) | (Part::SpPlus, Category::Sp) => self,
            _ => State([
                parts[1],
                parts[2],
                parts[3],
                match category {
                    Category::Cr => Part::Cr,
                    Category::Lf => Part::Lf,
                    Category::Sep => Part::Sep,
                    Category::ATerm => Part::ATerm,
                    Category::Upper | Category::Lower => Part::UpperLower,
                    Category::Close => Part::ClosePlus,
                    Category::Sp => Part::SpPlus,
                    Category::STerm => Part::STerm,
                    _ => Part::Other,
                },
            ]),
        }
    }

    fn last(self, part: Part) -> bool {
        self.0[3] == part
    }

    /// The part before trailing spaces (if `skip_spaces`) and closing punctuation.
    fn before_close(self, skip_spaces: bool) -> Part {
        let mut at = if skip_spaces && self.0[3] == Part::SpPlus {
            2
        } else {
            3
        };
        if self.0[at] == Part::ClosePlus {
            at -= 1;
        }
        self.0[at]
    }

    /// SB8: `ATerm Close* Sp* ×` when the next letter ahead is lower case.
    fn sb8(self, lower_next: impl FnOnce() -> bool) -> bool {
        self.before_close(true) == Part::ATerm && lower_next()
    }

    /// SB8a, SB10: after `SATerm Close* Sp*`.
    fn after_terminator(self) -> bool {
        matches!(self.before_close(true), Part::STerm | Part::ATerm)
    }

    /// SB9: after `SATerm Close*`.
    fn after_terminator_and_closers(self) -> bool {
        matches!(self.before_close(false), Part::STerm | Part::ATerm)
    }

    /// SB11: `SATerm Close* Sp* ParaSep? ÷`.
    fn sb11(self) -> bool {
        let parts = self.0;
        let mut at = match parts[3] {
            Part::Sep | Part::Cr | Part::Lf => 2,
            _ => 3,
        };
        if parts[at] == Part::SpPlus {
            at -= 1;
        }
        if parts[at] == Part::ClosePlus {
            at -= 1;
        }
        matches!(parts[at], Part::STerm | Part::ATerm)
    }
}

/// Whether a boundary comes before a character of `category` after `before`;
/// `lower_next` answers SB8's look ahead from that character.
fn breaks(before: State, category: Category, lower_next: impl FnOnce() -> bool) -> bool {
    use Category::*;
    if before.last(Part::Sot) {
        return false; // SB1: the start of the text begins the first piece
    }
    if category == Lf && before.last(Part::Cr) {
        return false; // SB3
    }
    if before.last(Part::Sep) || before.last(Part::Cr) || before.last(Part::Lf) {
        return true; // SB4
    }
    let no_break = matches!(category, Extend | Format) // SB5
        || (category == Numeric && before.last(Part::ATerm)) // SB6
        || (category == Upper && before.0[2..] == [Part::UpperLower, Part::ATerm]) // SB7
        || before.sb8(lower_next)
        || (matches!(category, SContinue | STerm | ATerm) && before.after_terminator()) // SB8a
        || (matches!(category, Close | Sp | Sep | Cr | Lf) && before.after_terminator_and_closers()) // SB9
        || (matches!(category, Sp | Sep | Cr | Lf) && before.after_terminator()); // SB10
    !no_break && before.sb11()
}

#[cfg(test)]
mod tests {
    use super::*;
    use unicode_segmentation::UnicodeSegmentation;

    fn reference(text: &str) -> Vec<Range<usize>> {
        text.split_sentence_bound_indices()
            .map(|(at, piece)| at..at + piece.len())
            .collect()
    }

    #[test]
    fn news_sentences_split_as_unicode_segmentation_splits_them() {
        for text in [
            "",
            "One. Two? Three!",
            "The U.S. Embassy said (in a statement.) That was all.\r\nNext line.",
            "He said \u{201c}No.\u{201d} Then: \u{2018}yes\u{2019} \u{2014} maybe... ok",
            "Pi is 3.14. e.g. this. Caf\u{e9}. \u{c9}t\u{e9}.\n\n\nEnd",
            "Soft\u{ad}hyphen. Next",
            "Not Latin: \u{3002}\u{3002} \u{5317}\u{4eac}. Mixed.\nAnd ASCII. Again.",
            // Hebrew letters (OLetter), Arabic-Indic digits (Numeric), a combining accent
            // (Extend), a line separator (Sep), a full-width full stop (ATerm).
            "\u{5d0}\u{5d1}. \u{660}\u{661}. e\u{301}. a.\u{301} b\u{2028}C\u{ff0e} d\u{ff0e} E",
        ] {
            assert_eq!(sentence_pieces(text), reference(text), "{text:?}");
        }
    }

    /// Rule SB8 used to scan ahead again from every closing bracket after a full stop.
    #[test]
    fn a_long_run_of_closers_after_a_full_stop_is_split_in_linear_time() {
        let closers = ")".repeat(200_000);
        let text = format!("Word a.{closers} end. Next");
        let small = "Word a.))) end. Next";
        assert_eq!(
            sentence_pieces(small),
            reference(small),
            "the small case, as unicode-segmentation splits it"
        );
        // A lower-case word after the closers: the sentence goes on (SB8).
        let next = text.len() - "Next".len();
        assert!(sentence_pieces(&text) == [0..next, next..text.len()]);
    }

    proptest::proptest! {
        #[test]
        fn pieces_are_unicode_segmentations(
            text in "([ a-zA-Z0-9.!?,;:\"'()\\[\\]\t\r\n-]|\u{a0}|\u{ad}|\u{e9}|\u{c9}|\u{d7}|\u{85}|\u{201d}|\u{2014}|\u{2026}|\u{2028}|\u{3002}|\u{301}|\u{5317}){0,60}"
        ) {
            proptest::prop_assert_eq!(sentence_pieces(&text), reference(&text));
        }

        /// Any text at all, to reach every range of the category table.
        #[test]
        fn pieces_of_any_text_are_unicode_segmentations(text in "\\PC{0,40}") {
            proptest::prop_assert_eq!(sentence_pieces(&text), reference(&text));
        }
    }
}
