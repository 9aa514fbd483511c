//! `newsgraph suggest`: the capitalised names a built database mentions most often
//! that no gazetteer matched, as candidate gazetteer rows (TSV) for an analyst to check.
//!
//! A candidate is a capitalised run of one to six words (particles such as "al" and
//! hyphens allowed inside: "Abu Alaa al-Walae") that no mention of a listed entity covers
//! (names the tagger or a role word discovered are candidates too: they are what the
//! gazetteers miss), with leading
//! titles and role words ("Prime Minister", "Gen.") and a leading "The" left out. A
//! one-word run counts only away from the start of its sentence, where any word is
//! capitalised. Candidates are counted by their folded form and ranked by how many
//! times they occur; the type is a guess from the last word ("... Brigades" is an armed
//! group, "... Ministry" a government body, "... Corp" an organisation) or from a role or
//! title before at least half of its occurrences (a person), else `person` by default;
//! the `x_type_from` column says which. Names the gazetteer already matches as a whole,
//! calendar words, and one-word names written in lower case at least once for every ten
//! capitalised uses ("West", "House") are left out.

use crate::discover::{
    Cues, capitalised, name_run, overlaps_sorted, phrase_len_at, phrase_len_before, role_ends_at,
};
use crate::error::Result;
use crate::gazetteer::make_id;
use crate::gazetteer::{EntityType, Gazetteer};
use crate::store::{Store, StoredDocument};
use crate::text::dates::is_calendar_word;
use crate::text::fold_alias;
use crate::text::tokens::{Token, tokenize};
use std::collections::HashMap;
use std::io::Write;

/// Last words of armed groups, government bodies and other organisations.
const ARMED_GROUP_WORDS: &[&str] = &[
    "brigade",
    "brigades",
    "front",
    "army",
    "movement",
    "battalion",
    "battalions",
    "militia",
    "militias",
    "mujahideen",
    "jihad",
    "resistance",
    "legion",
    "corps",
];
const GOVERNMENT_WORDS: &[&str] = &[
    "ministry",
    "department",
    "agency",
    "council",
    "office",
    "parliament",
    "commission",
    "police",
    "senate",
    "congress",
    "assembly",
    "embassy",
    "government",
    "forces",
    "guard",
    "service",
    "directorate",
    "command",
    "bureau",
    "court",
];
const ORGANIZATION_WORDS: &[&str] = &[
    "inc",
    "corp",
    "co",
    "ltd",
    "plc",
    "llc",
    "bank",
    "company",
    "group",
    "association",
    "union",
    "organization",
    "organisation",
    "institute",
    "university",
    "party",
    "foundation",
    "committee",
    "news",
    "times",
    "post",
    "club",
    "fund",
    "exchange",
    "airlines",
    "airways",
];
/// Calendar words besides [`is_calendar_word`]'s: capitalised, but not names of actors.
const CALENDAR: &[&str] = &[
    "jan",
    "feb",
    "mar",
    "apr",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "oct",
    "nov",
    "dec",
    "christmas",
];
/// A one-word candidate written in lower case at least once for every this many
/// capitalised uses is an ordinary word ("Poor", "House", "West").
const LOWER_CASE_RATIO: usize = 10;

/// Capitalised words that open a sentence or a clause, not a name.
const NOT_NAME_STARTS: &[&str] = &[
    "the", "a", "an", "in", "on", "at", "he", "she", "it", "they", "we", "i", "but", "and", "if",
    "mr", "mrs", "ms", "dr", "his", "her", "their", "its", "this", "that", "these", "those",
    "after", "before", "when", "while", "as", "for", "by", "with", "from", "to", "of", "i'm",
    "i've", "i'd", "i'll",
];

/// One suggested row.
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    pub name: String,
    pub kind: EntityType,
    /// Why the type was chosen.
    pub reason: &'static str,
    pub count: usize,
    pub documents: usize,
    /// A sentence it occurs in.
    pub example: String,
}

#[derive(Default)]
struct Tally {
    surface: String,
    count: usize,
    documents: usize,
    last_document: String,
    /// Occurrences right after a role or title.
    after_role: usize,
    example: String,
}

/// What the documents say about the names no gazetteer matched.
#[derive(Default)]
struct Counts {
    /// By folded name.
    tallies: HashMap<String, Tally>,
    /// How often each word (normalised) is written in lower case.
    lower_case: HashMap<String, usize>,
}

/// The `limit` most frequent unmatched names of the database that occur at least
/// `min_count` times. A name the gazetteer matches as a whole (a known name that the
/// context rules dropped somewhere: "Japan" in "Bank of Japan") is not a candidate.
pub fn candidates(
    store: &Store,
    gazetteer: &Gazetteer,
    cues: &Cues,
    min_count: usize,
    limit: usize,
) -> Result<Vec<Candidate>> {
    let mut counts = Counts::default();
    store.for_each_document(|doc| {
        counts.add_document(&doc, cues);
        Ok(())
    })?;
    Ok(counts.into_candidates(gazetteer, min_count, limit))
}

impl Counts {
    fn add_document(&mut self, doc: &StoredDocument, cues: &Cues) {
        let text = doc.text.as_str();
        let covered =
            |t: &Token| overlaps_sorted(&doc.mentions, t.start, t.end, |m| (m.start, m.end));
        for sentence in &doc.sentences {
            let Some(sentence_text) = text.get(sentence.clone()) else {
                continue;
            };
            let tokens = tokenize(text, sentence.start, sentence.end);
            for t in &tokens {
                if text[t.start..t.end].starts_with(char::is_lowercase) {
                    *self.lower_case.entry(t.norm.to_string()).or_default() += 1;
                }
            }
            let mut at = 0;
            while at < tokens.len() {
                let Some((start, end)) = name_run(text, &tokens, at, &covered) else {
                    at += 1;
                    continue;
                };
                at = end;
                let Some(from) = candidate_start(text, &tokens, start, end, cues) else {
                    continue;
                };
                let first = &tokens[from];
                let surface = &text[first.start..tokens[end - 1].end];
                let after_role = from > start
                    || role_ends_at(&tokens, from, &cues.roles)
                    || phrase_len_before(&tokens, from, &cues.titles).is_some();
                self.count(surface, sentence_text, after_role, &doc.id);
            }
        }
    }

    /// Count one occurrence of the candidate `surface` in `sentence_text` of document
    /// `doc_id`.
    fn count(&mut self, surface: &str, sentence_text: &str, after_role: bool, doc_id: &str) {
        let tally = self.tallies.entry(fold_alias(surface)).or_default();
        if tally.count == 0 {
            tally.surface = surface.to_string();
            tally.example = sentence_text
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ");
        }
        tally.count += 1;
        tally.after_role += usize::from(after_role);
        if tally.last_document != doc_id {
            tally.documents += 1;
            tally.last_document = doc_id.to_string();
        }
    }

    /// The candidates seen at least `min_count` times, most frequent first, at most `limit`.
    fn into_candidates(
        self,
        gazetteer: &Gazetteer,
        min_count: usize,
        limit: usize,
    ) -> Vec<Candidate> {
        let lower_case = self.lower_case;
        let mut out: Vec<Candidate> = self
            .tallies
            .into_values()
            .filter(|t| t.count >= min_count)
            .filter(|t| {
                !gazetteer
                    .find(&t.surface)
                    .iter()
                    .any(|m| m.start == 0 && m.end == t.surface.len())
            })
            .filter(|t| {
                let folded = fold_alias(&t.surface);
                folded.contains(' ')
                    || lower_case.get(&folded).copied().unwrap_or(0) * LOWER_CASE_RATIO < t.count
            })
            .map(|t| {
                let (kind, reason) = guess_type(&t.surface, t.after_role * 2 >= t.count);
                Candidate {
                    name: t.surface,
                    kind,
                    reason,
                    count: t.count,
                    documents: t.documents,
                    example: t.example,
                }
            })
            .collect();
        out.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.name.cmp(&b.name)));
        out.truncate(limit);
        out
    }
}

/// Where the candidate name of the name run `start..end` of `tokens` begins, past leading
/// titles, roles and sentence openers; `None` when the run is no candidate.
fn candidate_start(
    text: &str,
    tokens: &[Token],
    start: usize,
    end: usize,
    cues: &Cues,
) -> Option<usize> {
    let mut from = start;
    while from < end {
        let skip = phrase_len_at(tokens, from, &cues.titles)
            .or_else(|| phrase_len_at(tokens, from, &cues.roles))
            .or_else(|| {
                NOT_NAME_STARTS
                    .contains(&tokens[from].norm.as_ref())
                    .then_some(1)
            });
        match skip {
            Some(n) => from += n,
            None => break,
        }
    }
    // Nothing but titles and roles ("Prime Minister").
    if from >= end {
        return None;
    }
    let words: Vec<&str> = tokens[from..end]
        .iter()
        .filter(|t| t.norm != "-")
        .map(|t| t.norm.as_ref())
        .collect();
    let first = &tokens[from];
    let head_noun_alone = words.len() == 1
        && [ARMED_GROUP_WORDS, GOVERNMENT_WORDS, ORGANIZATION_WORDS]
            .iter()
            .any(|list| list.contains(&words[0]));
    if !capitalised(text, first)
        || words.len() > 6
        || (words.len() == 1 && start == 0)
        || head_noun_alone
        || words
            .iter()
            .any(|w| CALENDAR.contains(w) || is_calendar_word(w))
    {
        return None;
    }
    Some(from)
}

fn guess_type(name: &str, after_role: bool) -> (EntityType, &'static str) {
    let last = fold_alias(name)
        .rsplit(' ')
        .next()
        .unwrap_or_default()
        .to_string();
    let ends = |list: &[&str]| list.contains(&last.as_str());
    if ends(ARMED_GROUP_WORDS) {
        (EntityType::ArmedGroup, "last word")
    } else if ends(GOVERNMENT_WORDS) {
        (EntityType::Government, "last word")
    } else if ends(ORGANIZATION_WORDS) {
        (EntityType::Organization, "last word")
    } else if after_role {
        (EntityType::Person, "after a role or title")
    } else {
        (EntityType::Person, "no clue (default)")
    }
}

/// Write candidates as a gazetteer TSV that `newsgraph gazetteer check` accepts; the
/// counts and an example sentence go to `x_` columns.
pub fn write_tsv(
    candidates: &[Candidate],
    database: &str,
    out: &mut impl Write,
) -> std::io::Result<()> {
    writeln!(
        out,
        "# Candidate gazetteer rows suggested by `newsgraph suggest` from {database}.\n\
         # Names no gazetteer matched, most frequent first; types are guesses. Check each row\n\
         # (and write a real source) before adding it to a gazetteer folder."
    )?;
    writeln!(
        out,
        "id\tname\ttype\tsource\tx_count\tx_documents\tx_type_from\tx_example"
    )?;
    let mut ids = std::collections::HashSet::new();
    for c in candidates {
        let id = make_id(c.kind, &c.name);
        if !ids.insert(id.clone()) {
            continue;
        }
        let clean = |s: &str| s.replace(['\t', '\n', '\r'], " ");
        writeln!(
            out,
            "{id}\t{}\t{}\tsuggested by newsgraph from {database}: verify\t{}\t{}\t{}\t{}",
            clean(&c.name),
            c.kind.as_str(),
            c.count,
            c.documents,
            c.reason,
            clean(&c.example)
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn types_are_guessed_from_the_last_word_or_a_role() {
        assert_eq!(
            guess_type("Saraya Awliya al-Dam Brigades", false).0,
            EntityType::ArmedGroup
        );
        assert_eq!(
            guess_type("Iraqi Interior Ministry", false).0,
            EntityType::Government
        );
        assert_eq!(guess_type("Acme Corp", false).0, EntityType::Organization);
        assert_eq!(
            guess_type("Pat Smith", true),
            (EntityType::Person, "after a role or title")
        );
    }
}
