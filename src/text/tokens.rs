//! Word tokens for the relation rules. A token keeps the byte span of its surface in the
//! document and a normalised form (lower case, straight apostrophe) that rules compare.

use std::borrow::Cow;

/// One token: a word ("didn't", "al", "5"), a possessive marker ("'s", or a lone "'"
/// after a word ending in s), or one punctuation character.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token<'t> {
    pub start: usize,
    pub end: usize,
    /// Borrowed from the text when the surface is already normal (lower case, straight
    /// apostrophes), as most words of running text are: no allocation per token.
    pub norm: Cow<'t, str>,
}

fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '\u{2019}' | '\u{02BC}')
}

/// The normal form of a word's surface: lower case, apostrophes straight.
fn normalise(surface: &str) -> Cow<'_, str> {
    // Nearly every word of English news is ASCII, where lower case is a byte operation.
    if surface.is_ascii() {
        return if surface.bytes().any(|b| b.is_ascii_uppercase()) {
            Cow::Owned(surface.to_ascii_lowercase())
        } else {
            Cow::Borrowed(surface)
        };
    }
    let normal =
        |c: char| (c == '\'' || !is_apostrophe(c)) && c.to_lowercase().eq(std::iter::once(c));
    if surface.chars().all(normal) {
        return Cow::Borrowed(surface);
    }
    let mut norm = String::with_capacity(surface.len());
    for c in surface.chars() {
        if is_apostrophe(c) {
            norm.push('\'');
        } else {
            norm.extend(c.to_lowercase());
        }
    }
    Cow::Owned(norm)
}

/// Tokenize `text[range]`; spans are offsets into `text`.
pub fn tokenize(text: &str, start: usize, end: usize) -> Vec<Token<'_>> {
    let mut tokens = Vec::new();
    let slice = &text[start..end];
    let mut chars = slice.char_indices().peekable();
    while let Some((at, c)) = chars.next() {
        if c.is_whitespace() {
            continue;
        }
        let from = start + at;
        if c.is_alphanumeric() {
            let mut to = from + c.len_utf8();
            while let Some(&(next_at, next)) = chars.peek() {
                if is_apostrophe(next) {
                    // Keep "didn't" whole, but leave "'s" and a trailing "'" to the next token.
                    let rest = &slice[next_at + next.len_utf8()..];
                    let mut after = rest.chars();
                    let first = after.next();
                    let possessive = matches!(first, Some('s' | 'S'))
                        && !after.next().is_some_and(char::is_alphanumeric);
                    if possessive || !first.is_some_and(char::is_alphanumeric) {
                        break;
                    }
                } else if !next.is_alphanumeric() {
                    break;
                }
                to = start + next_at + next.len_utf8();
                chars.next();
            }
            tokens.push(Token {
                start: from,
                end: to,
                norm: normalise(&text[from..to]),
            });
        } else if is_apostrophe(c) {
            let possessive_s = matches!(chars.peek(), Some((_, 's' | 'S')))
                && !slice[at + c.len_utf8() + 1..]
                    .chars()
                    .next()
                    .is_some_and(char::is_alphanumeric);
            if possessive_s {
                chars.next();
                tokens.push(Token {
                    start: from,
                    end: from + c.len_utf8() + 1,
                    norm: Cow::Borrowed("'s"),
                });
            } else {
                tokens.push(Token {
                    start: from,
                    end: from + c.len_utf8(),
                    norm: Cow::Borrowed("'"),
                });
            }
        } else {
            tokens.push(Token {
                start: from,
                end: from + c.len_utf8(),
                norm: Cow::Borrowed(&text[from..from + c.len_utf8()]),
            });
        }
    }
    tokens
}

#[cfg(test)]
mod tests {
    use super::*;

    fn norms(text: &str) -> Vec<String> {
        tokenize(text, 0, text.len())
            .into_iter()
            .map(|t| t.norm.into_owned())
            .collect()
    }

    #[test]
    fn normal_words_are_borrowed_and_others_normalised() {
        let text = "attacked Hamas didn’t don't";
        let tokens = tokenize(text, 0, text.len());
        let borrowed: Vec<bool> = tokens
            .iter()
            .map(|t| matches!(t.norm, Cow::Borrowed(_)))
            .collect();
        assert_eq!(borrowed, [true, false, false, true]);
        assert_eq!(tokens[1].norm, "hamas");
        assert_eq!(tokens[2].norm, "didn't");
    }

    #[test]
    fn words_contractions_and_possessives() {
        assert_eq!(
            norms("Iraq’s PM didn’t say, Hamas’ men"),
            [
                "iraq", "'s", "pm", "didn't", "say", ",", "hamas", "'", "men"
            ]
        );
    }

    #[test]
    fn spans_cover_surfaces() {
        let text = "“Sudani” — al-Walae’s";
        for token in tokenize(text, 0, text.len()) {
            let surface = &text[token.start..token.end];
            assert_eq!(surface.to_lowercase().replace('’', "'"), token.norm);
        }
    }
}
