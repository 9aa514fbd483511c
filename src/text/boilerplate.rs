//! Removal of web-page furniture from scraped article text.
//!
//! Articles saved from news sites carry navigation links ("Skip to Content"), share and
//! comment prompts, category lines and legal footers. These rules work line by line and
//! use only the shape of a line and phrases common to news sites, never one site's
//! wording, so the article body is kept intact:
//!
//! 1. navigation, sharing, comment and legal phrases on short lines;
//! 2. short lines with no lower-case letter ("BE PART OF THE CONVERSATION");
//! 3. short lines that occur more than once in the same page (menus repeated at the foot);
//! 4. a legal footer ("© 2023 ...", "All rights reserved") ends the article: it, the short
//!    credit lines just above it, and everything below it go.
//!
//! Kept lines become paragraphs separated by a blank line, except that a hard-wrapped
//! line (one that does not end a sentence, followed without a blank line by its
//! continuation) is joined to the next with a space, so sentences are not cut at wraps.

use regex::RegexSet;
use std::sync::LazyLock;

/// Lines of at most this many words can be furniture; longer lines are always kept
/// unless they fall below a legal footer.
const SHORT_LINE_WORDS: usize = 25;
/// Lines of at most this many words are "very short": labels, menu entries, credits.
const VERY_SHORT_LINE_WORDS: usize = 8;

static FURNITURE: LazyLock<RegexSet> = LazyLock::new(|| {
    RegexSet::new([
        r"(?i)^(skip|jump|go|back) to (the )?(main )?(content|navigation|menu|comments|search|top)\b",
        r"(?i)^(share|tweet|email|print|comments?|advertisement|sponsored( content)?|related( articles| stories| content)?|read more|more from|sign up|subscribe|log ?in|sign in|menu|search|follow us|watch|listen)\b.{0,40}$",
        r"(?i)\b(community guidelines|terms of (use|service)|privacy policy|cookie (policy|settings)|newsletter)\b",
        r"(?i)\bclick(ing)? here\b|\bsubmit it here\b|\bshare (a|your) story\b",
        r"(?i)^(tags?|topics?|categories|category|filed under|article topics?( follows)?)\s*:",
        r"(?i)\byour comments?\b|\bcomments? (are|is) (closed|moderated)\b",
    ])
    .expect("furniture patterns are valid")
});

static LEGAL_FOOTER: LazyLock<RegexSet> = LazyLock::new(|| {
    RegexSet::new([
        r"(?i)\ball rights reserved\b",
        r"©|\(c\) ?(19|20)\d\d",
        r"(?i)^copyright\b",
    ])
    .expect("footer patterns are valid")
});

/// The number of words in `line`, counted up to one more than [`SHORT_LINE_WORDS`]: every
/// test below is "at most so many words", and a paragraph can be thousands of words long.
fn word_count(line: &str) -> usize {
    const ENOUGH: usize = SHORT_LINE_WORDS + 1;
    if !line.is_ascii() {
        return line.split_whitespace().take(ENOUGH).count();
    }
    // Most lines are ASCII: count word starts bytewise instead of decoding characters.
    // The bytes are those `char::is_whitespace` accepts below 128.
    let mut words = 0;
    let mut in_word = false;
    for &byte in line.as_bytes() {
        let space = matches!(byte, b' ' | b'\t'..=b'\r');
        if !space && !in_word {
            words += 1;
            if words == ENOUGH {
                break;
            }
        }
        in_word = !space;
    }
    words
}

fn ends_like_prose(line: &str) -> bool {
    line.trim_end_matches(['"', '\'', '”', '’', ')'])
        .ends_with(['.', '!', '?', ':'])
}

/// Remove furniture lines and return the article text: kept lines, trimmed, one
/// paragraph each, separated by a blank line. The result is what the database stores
/// and what every offset refers to.
pub fn clean(raw: &str) -> String {
    // Non-empty lines, each with whether a blank line (or the start) comes before it.
    let mut lines: Vec<&str> = Vec::new();
    let mut starts_block: Vec<bool> = Vec::new();
    let mut after_blank = true;
    for line in raw.trim_start_matches('\u{feff}').lines().map(str::trim) {
        if line.is_empty() {
            after_blank = true;
        } else {
            lines.push(line);
            starts_block.push(after_blank);
            after_blank = false;
        }
    }

    let words: Vec<usize> = lines.iter().map(|line| word_count(line)).collect();
    let mut keep = vec![true; lines.len()];

    if let Some(footer) = (0..lines.len())
        .position(|at| words[at] <= SHORT_LINE_WORDS && LEGAL_FOOTER.is_match(lines[at]))
    {
        keep[footer..].iter_mut().for_each(|k| *k = false);
        // Wire and credit markers sit just above the footer ("The-CNN-Wire").
        for at in (0..footer).rev() {
            let line = lines[at];
            if words[at] <= 3 && !ends_like_prose(line) {
                keep[at] = false;
            } else {
                break;
            }
        }
    }

    // Very short lines, lower-cased, for counting repeats.
    let short_keys: Vec<Option<String>> = (0..lines.len())
        .map(|at| (words[at] <= VERY_SHORT_LINE_WORDS).then(|| lines[at].to_lowercase()))
        .collect();
    let mut seen = std::collections::HashMap::<&str, usize>::new();
    for key in short_keys.iter().flatten() {
        *seen.entry(key).or_default() += 1;
    }

    for (at, line) in lines.iter().enumerate() {
        if !keep[at] {
            continue;
        }
        let furniture = words[at] <= SHORT_LINE_WORDS && FURNITURE.is_match(line);
        let shouting = words[at] <= VERY_SHORT_LINE_WORDS
            && line.chars().filter(|c| c.is_alphabetic()).count() >= 2
            && !line.chars().any(char::is_lowercase);
        let repeated = short_keys[at].as_deref().is_some_and(|key| seen[key] > 1);
        if furniture || shouting || repeated {
            keep[at] = false;
        }
    }

    let mut text = String::with_capacity(raw.len());
    for (at, line) in lines.iter().enumerate() {
        if !keep[at] {
            continue;
        }
        if !text.is_empty() {
            // The first line is the headline: only a lower-case continuation joins it.
            let wrapped = at > 0
                && keep[at - 1]
                && !starts_block[at]
                && is_wrap(lines[at - 1], line, text != lines[at - 1]);
            text.push_str(if wrapped { " " } else { "\n\n" });
        }
        text.push_str(line);
    }
    text
}

/// Whether `next` continues `previous` after a hard line wrap: `previous` does not end a
/// sentence, and `next` starts in lower case or `previous` is as long as wrapped lines are.
fn is_wrap(previous: &str, next: &str, capital_may_continue: bool) -> bool {
    const WRAPPED_LINE_CHARS: usize = 50;
    !ends_like_prose(previous)
        && (next
            .chars()
            .next()
            .is_some_and(|c| c.is_lowercase() || c.is_ascii_digit())
            || (capital_may_continue && previous.chars().count() >= WRAPPED_LINE_CHARS))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_prose_and_drops_navigation() {
        let page = "Skip to main content\n\nRebels seize town\n\nRebels seized the town of X on Monday, officials said.\n\nShare this article\n";
        assert_eq!(
            clean(page),
            "Rebels seize town\n\nRebels seized the town of X on Monday, officials said."
        );
    }

    #[test]
    fn legal_footer_ends_the_article() {
        let page = "Troops moved north.\n\nThe-Daily-Wire\n© 2021 Some Paper Ltd. All rights reserved.\n\nA long line below the footer that looks like prose but belongs to the site template.";
        assert_eq!(clean(page), "Troops moved north.");
    }

    #[test]
    fn repeated_short_lines_and_shouting_go() {
        let page = "Home | World\n\nThe army said it had withdrawn.\n\nMOST READ\n\nHome | World";
        assert_eq!(clean(page), "The army said it had withdrawn.");
    }

    #[test]
    fn hard_wrapped_lines_join_into_one_paragraph() {
        let page = "Militants fired rockets at the base on Monday and\nattacked a convoy near the city, officials\nsaid.\n\nHome\nWorld\nNext paragraph here.";
        assert_eq!(
            clean(page),
            "Militants fired rockets at the base on Monday and attacked a convoy near the city, officials said.\n\nHome\n\nWorld\n\nNext paragraph here."
        );
    }

    #[test]
    fn a_long_headline_is_not_joined_to_the_body() {
        let page = "Iran-backed militia vows more attacks after US Embassy comes under fire\nThe commander said so.";
        assert_eq!(
            clean(page),
            "Iran-backed militia vows more attacks after US Embassy comes under fire\n\nThe commander said so."
        );
    }

    #[test]
    fn empty_and_whitespace_only_input() {
        assert_eq!(clean(""), "");
        assert_eq!(clean("\u{feff}\n \n\t\n"), "");
    }

    proptest::proptest! {
        #[test]
        fn word_count_agrees_with_split_whitespace(
            line in "([\\x00-\\x7f]{0,4}[ \\t\\x0b\\x1c]){0,40}"
        ) {
            let expected = line.split_whitespace().take(SHORT_LINE_WORDS + 1).count();
            proptest::prop_assert_eq!(word_count(&line), expected);
        }
    }

    #[test]
    fn long_sentences_mentioning_comments_are_kept() {
        let line = "The minister declined to give his comments on the attack, which killed at least twelve people in the northern province on Sunday according to the police and to witnesses interviewed at the scene that evening.";
        assert_eq!(clean(line), line);
    }
}
