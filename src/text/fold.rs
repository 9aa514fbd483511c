//! Folding for matching: lower case, no diacritics, one space for any run of spaces and
//! hyphens, no word-internal apostrophes. Every folded byte remembers the original byte
//! range it came from, so a match in folded text maps back to an exact span of the original.

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// Folded text plus, for each folded byte, the original byte range it came from.
#[derive(Debug, Clone)]
pub struct Folded {
    pub text: String,
    origin_start: Vec<u32>,
    origin_end: Vec<u32>,
}

impl Folded {
    /// The original byte span of the folded byte range `start..end` (`end > start`).
    pub fn original_span(&self, start: usize, end: usize) -> (usize, usize) {
        (
            self.origin_start[start] as usize,
            self.origin_end[end - 1] as usize,
        )
    }
}

fn is_apostrophe(c: char) -> bool {
    matches!(
        c,
        '\'' | '\u{2019}' | '\u{2018}' | '\u{02BC}' | '\u{02BB}' | '`' | '\u{00B4}'
    )
}

fn is_dash(c: char) -> bool {
    matches!(
        c,
        '-' | '\u{2010}'..='\u{2015}' | '\u{2212}' | '\u{FE63}' | '\u{FF0D}' | '_'
    )
}

/// Fold `text` for gazetteer matching. Aliases and documents go through this same
/// function, so "Kata’ib", "Kata'ib" and "Kataib" meet, as do "al-Sudani" and "al Sudani",
/// and a possessive "Iraq’s" leaves "iraq" as a whole word.
pub fn fold(text: &str) -> Folded {
    let mut out = Folded {
        text: String::with_capacity(text.len()),
        origin_start: Vec::with_capacity(text.len()),
        origin_end: Vec::with_capacity(text.len()),
    };
    let bytes = text.as_bytes();
    let mut previous: Option<char> = None;
    let mut at = 0;
    while at < text.len() {
        // Most news text is runs of ASCII letters, digits and punctuation: lower-cased and
        // mapped byte for byte, a run at a time.
        let run = bytes[at..]
            .iter()
            .take_while(|&&b| is_plain_ascii(b))
            .count();
        if run > 0 {
            let end = at + run;
            let from = out.text.len();
            out.text.push_str(&text[at..end]);
            out.text[from..].make_ascii_lowercase();
            out.origin_start.extend(at as u32..end as u32);
            out.origin_end.extend(at as u32 + 1..=end as u32);
            previous = Some(bytes[end - 1] as char);
            at = end;
            continue;
        }
        let Some(c) = text[at..].chars().next() else {
            break;
        };
        let end = at + c.len_utf8();
        let next = text[end..].chars().next();
        if is_apostrophe(c) {
            let word_inside = previous.is_some_and(char::is_alphanumeric)
                && next.is_some_and(char::is_alphanumeric);
            let possessive_s = matches!(next, Some('s' | 'S')) && {
                let after: Option<char> = text[end..].chars().nth(1);
                !after.is_some_and(char::is_alphanumeric)
            };
            if word_inside && !possessive_s {
                // Kata'ib -> kataib: the apostrophe is spelling, not a boundary.
                previous = Some(c);
                at = end;
                continue;
            }
            push_space(&mut out, at, end);
        } else if c.is_whitespace() || is_dash(c) {
            push_space(&mut out, at, end);
        } else {
            for decomposed in c.nfd().filter(|d| !is_combining_mark(*d)) {
                for lower in decomposed.to_lowercase().filter(|l| !is_combining_mark(*l)) {
                    push_char(&mut out, lower, at, end);
                }
            }
        }
        previous = Some(c);
        at = end;
    }
    out
}

/// ASCII letters, digits and punctuation other than apostrophes, hyphens and underscores:
/// bytes that fold to themselves, lower-cased.
fn is_plain_ascii(b: u8) -> bool {
    b.is_ascii_alphanumeric()
        || (b.is_ascii_punctuation() && !matches!(b, b'\'' | b'`' | b'-' | b'_'))
}

fn push_space(out: &mut Folded, at: usize, end: usize) {
    if out.text.ends_with(' ') {
        // Extend the existing space so its span covers the whole run.
        if let Some(last) = out.origin_end.last_mut() {
            *last = end as u32;
        }
        return;
    }
    push_char(out, ' ', at, end);
}

fn push_char(out: &mut Folded, c: char, at: usize, end: usize) {
    out.text.push(c);
    for _ in 0..c.len_utf8() {
        out.origin_start.push(at as u32);
        out.origin_end.push(end as u32);
    }
}

/// Fold a gazetteer alias: the same folding as for text, with outer spaces removed.
pub fn fold_alias(alias: &str) -> String {
    fold(alias).text.trim().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn apostrophe_and_hyphen_variants_meet() {
        assert_eq!(
            fold_alias("Kata’ib Sayyid al-Shuhada"),
            "kataib sayyid al shuhada"
        );
        assert_eq!(
            fold_alias("Kata'ib Sayyid al Shuhada"),
            "kataib sayyid al shuhada"
        );
        assert_eq!(
            fold_alias("Kataib  Sayyid al—Shuhada"),
            "kataib sayyid al shuhada"
        );
    }

    #[test]
    fn diacritics_and_case_fold() {
        assert_eq!(fold_alias("Ṣadr CITY Mosul"), "sadr city mosul");
        assert_eq!(fold_alias("Bogotá"), "bogota");
    }

    #[test]
    fn possessives_leave_the_name_whole() {
        assert_eq!(fold("Iraq’s army").text, "iraq s army");
        assert_eq!(fold("Hamas’ attack").text, "hamas attack");
        assert_eq!(fold("Hamas' attack").text, "hamas attack");
    }

    /// The folding one character at a time, as it was before ASCII runs were copied whole.
    fn fold_by_char(text: &str) -> Folded {
        let mut out = Folded {
            text: String::new(),
            origin_start: Vec::new(),
            origin_end: Vec::new(),
        };
        let mut chars = text.char_indices().peekable();
        let mut previous: Option<char> = None;
        while let Some((at, c)) = chars.next() {
            let end = at + c.len_utf8();
            let next = chars.peek().map(|&(_, n)| n);
            if is_apostrophe(c) {
                let word_inside = previous.is_some_and(char::is_alphanumeric)
                    && next.is_some_and(char::is_alphanumeric);
                let possessive_s = matches!(next, Some('s' | 'S'))
                    && !text[end..]
                        .chars()
                        .nth(1)
                        .is_some_and(char::is_alphanumeric);
                if !word_inside || possessive_s {
                    push_space(&mut out, at, end);
                }
            } else if c.is_whitespace() || is_dash(c) {
                push_space(&mut out, at, end);
            } else {
                for decomposed in c.nfd().filter(|d| !is_combining_mark(*d)) {
                    for lower in decomposed.to_lowercase().filter(|l| !is_combining_mark(*l)) {
                        push_char(&mut out, lower, at, end);
                    }
                }
            }
            previous = Some(c);
        }
        out
    }

    proptest::proptest! {
        #[test]
        fn ascii_runs_fold_as_single_characters_do(
            text in "([a-zA-Z0-9 .,'`_-]|\u{2019}|\u{2014}|\u{e1}|\u{1e62}|\u{301}|\u{130}|\n){0,40}"
        ) {
            let (fast, slow) = (fold(&text), fold_by_char(&text));
            proptest::prop_assert_eq!(&fast.text, &slow.text);
            proptest::prop_assert_eq!(&fast.origin_start, &slow.origin_start);
            proptest::prop_assert_eq!(&fast.origin_end, &slow.origin_end);
        }
    }

    #[test]
    fn spans_map_back_to_original_bytes() {
        let text = "Ṣadr’s men — in Bogotá";
        let folded = fold(text);
        let at = folded.text.find("bogota").unwrap();
        let (start, end) = folded.original_span(at, at + "bogota".len());
        assert_eq!(&text[start..end], "Bogotá");
        let (start, end) = folded.original_span(0, 4);
        assert_eq!(&text[start..end], "Ṣadr");
    }
}
