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

fn word_count(line: &str) -> usize {
    line.split_whitespace().count()
}

fn ends_like_prose(line: &str) -> bool {
    line.trim_end_matches(['"', '\'', '”', '’', ')'])
        .ends_with(['.', '!', '?', ':'])
}

/// Remove furniture lines and return the article text: kept lines, trimmed, one
/// paragraph each, separated by a blank line. The result is what the database stores
/// and what every offset refers to.
pub fn clean(raw: &str) -> String {
    let lines: Vec<&str> = raw
        .trim_start_matches('\u{feff}')
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty())
        .collect();

    let mut keep = vec![true; lines.len()];

    if let Some(footer) = lines
        .iter()
        .position(|line| word_count(line) <= SHORT_LINE_WORDS && LEGAL_FOOTER.is_match(line))
    {
        keep[footer..].iter_mut().for_each(|k| *k = false);
        // Wire and credit markers sit just above the footer ("The-CNN-Wire").
        for at in (0..footer).rev() {
            let line = lines[at];
            if word_count(line) <= 3 && !ends_like_prose(line) {
                keep[at] = false;
            } else {
                break;
            }
        }
    }

    let short_key = |line: &str| line.to_lowercase();
    let mut seen = std::collections::HashMap::<String, usize>::new();
    for line in &lines {
        if word_count(line) <= VERY_SHORT_LINE_WORDS {
            *seen.entry(short_key(line)).or_default() += 1;
        }
    }

    for (at, line) in lines.iter().enumerate() {
        if !keep[at] {
            continue;
        }
        let words = word_count(line);
        let furniture = words <= SHORT_LINE_WORDS && FURNITURE.is_match(line);
        let shouting = words <= VERY_SHORT_LINE_WORDS
            && line.chars().filter(|c| c.is_alphabetic()).count() >= 2
            && !line.chars().any(char::is_lowercase);
        let repeated = words <= VERY_SHORT_LINE_WORDS && seen[&short_key(line)] > 1;
        if furniture || shouting || repeated {
            keep[at] = false;
        }
    }

    let kept: Vec<&str> = lines
        .iter()
        .zip(&keep)
        .filter(|(_, k)| **k)
        .map(|(line, _)| *line)
        .collect();
    kept.join("\n\n")
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
    fn empty_and_whitespace_only_input() {
        assert_eq!(clean(""), "");
        assert_eq!(clean("\u{feff}\n \n\t\n"), "");
    }

    #[test]
    fn long_sentences_mentioning_comments_are_kept() {
        let line = "The minister declined to give his comments on the attack, which killed at least twelve people in the northern province on Sunday according to the police and to witnesses interviewed at the scene that evening.";
        assert_eq!(clean(line), line);
    }
}
