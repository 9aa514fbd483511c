//! Names the tagger found ([`crate::tagger`]) that no gazetteer lists, and gazetteer
//! matches the tagger's reading of the sentence contradicts.
//!
//! - **Veto.** A place name that opens a longer person, organisation or facility name
//!   ("Bally Technologies", "Kennedy Airport", "Jordan Peterson"), or a small place whose
//!   name is also a person's that the tagger reads as a person on its own, is not that
//!   place; a demonym inside an organisation's name ("Free Syrian Army") is part of the
//!   name.
//! - **New names.** A tagged name that no remaining match overlaps becomes a discovered
//!   entity: people stay people, places and regions become places, organisations become
//!   armed groups, government bodies or organisations by their head word. Nationalities
//!   are the gazetteers' demonyms' job, and facilities are left out: the tagger is not
//!   reliable enough on them.

use crate::gazetteer::{EntityType, Gazetteer, MatchKind};
use crate::model::{DocView, Mention, Token};
use crate::tagger::{NameSpan, NameType, SentenceTags};
use crate::text::dates::is_calendar_word;
use rustc_hash::FxHashSet as HashSet;

/// Head words that make an organisation an armed group.
const ARMED_HEADS: &[&str] = &[
    "army",
    "brigade",
    "brigades",
    "battalion",
    "battalions",
    "front",
    "militia",
    "militias",
    "mujahideen",
    "forces",
    "legion",
    "guards",
    "movement",
    "jihad",
    "liberation",
    "resistance",
    "rebels",
    "insurgents",
    "fighters",
    "corps",
    "regiment",
    "division",
];

/// Head words that make an organisation a government body.
const GOVERNMENT_HEADS: &[&str] = &[
    "ministry",
    "ministries",
    "police",
    "regime",
    "government",
    "parliament",
    "cabinet",
    "department",
    "senate",
    "congress",
    "council",
    "assembly",
    "presidency",
    "gendarmerie",
    "navy",
    "administration",
    "embassy",
    "consulate",
    "court",
    "prosecutor",
    "agency",
    "command",
    "commission",
    "office",
];

/// Words that make a name a company's, whatever the tagger says ("Ducommun Inc").
const COMPANY_WORDS: &[&str] = &[
    "inc",
    "corp",
    "co",
    "ltd",
    "plc",
    "llc",
    "ag",
    "nv",
    "gmbh",
    "holdings",
    "group",
    "company",
    "corporation",
    "industries",
    "partners",
    "airlines",
    "systems",
    "technologies",
    "bank",
    "bancorp",
    "securities",
    "financial",
    "motors",
    "energy",
];

/// Whether a name is only a generic head word ("Bank", "Commission", "Treasury": which
/// one, the text says elsewhere) or only company words ("Co Inc").
fn generic(words: &[Token]) -> bool {
    let head = |t: &Token| {
        let w = t.norm.as_ref();
        GOVERNMENT_HEADS.contains(&w)
            || ARMED_HEADS.contains(&w)
            || COMPANY_WORDS.contains(&w)
            || GENERIC_NAMES.contains(&w)
    };
    (words.len() == 1 && head(&words[0]))
        || words
            .iter()
            .filter(|t| t.norm.chars().any(char::is_alphanumeric))
            .all(|t| COMPANY_WORDS.contains(&t.norm.as_ref()))
}

/// Single words news capitalises for an institution named in full elsewhere.
const GENERIC_NAMES: &[&str] = &[
    "house",
    "treasury",
    "fed",
    "exchange",
    "board",
    "party",
    "union",
    "authority",
    "institute",
    "university",
    "committee",
    "federation",
    "alliance",
    "coalition",
    "bureau",
    "service",
];

/// Names of God, which news capitalises and taggers read as people: no actor.
const DEITIES: &[&str] = &["god", "allah", "lord", "almighty"];

/// State forces: an armed head after a nationality ("Iraqi Army", "Syrian Army") is the
/// state's, not a rebel group's.
const STATE_FORCE_HEADS: &[&str] = &["army", "forces", "navy", "guards", "corps", "police"];

/// The tagged names of a document's sentences, one list per sentence.
pub fn names<'a>(doc: &'a DocView, tags: &'a [SentenceTags]) -> Vec<Vec<NameSpan>> {
    tags.iter()
        .enumerate()
        .map(|(i, tags)| tags.names(doc.tokens(i)).collect())
        .collect()
}

/// Drop the gazetteer mentions that the tagged `names` contradict (see the module notes).
pub fn veto(names: &[Vec<NameSpan>], mentions: &mut Vec<Mention>, gazetteer: &Gazetteer) {
    mentions.retain(|m| {
        let Some(name) = names
            .get(m.sentence)
            .and_then(|names| names.iter().find(|n| n.start <= m.start && m.end <= n.end))
        else {
            return true;
        };
        let longer = name.start < m.start || m.end < name.end;
        let entity = gazetteer.entity(m.entity);
        let place = entity.kind == EntityType::Place;
        // A well-known place read as a person on its own ("Qatar hosted ...", "Lyon") is
        // the tagger's mistake far more often than a person named after it; a small place
        // whose name is also a person's (context = required) is more often the person.
        let contradicted = match m.kind {
            MatchKind::Name if place => match name.kind {
                NameType::Person => longer || entity.needs_context,
                NameType::Organization | NameType::Facility => longer && name.start == m.start,
                _ => false,
            },
            MatchKind::Demonym => name.kind == NameType::Organization && longer,
            _ => false,
        };
        !contradicted
    });
}

/// A tagged name ready to become an entity: its token range (the determiner and any
/// possessive trimmed off) and its entity type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    pub tokens: std::ops::Range<usize>,
    pub kind: EntityType,
}

/// A tagged sentence, as [`candidate`] reads it.
pub struct TaggedSentence<'a, 't> {
    pub text: &'a str,
    pub tokens: &'a [Token<'t>],
    pub tags: &'a SentenceTags,
    /// Words news writes in lower case (`gazetteers/lowercase_words.txt`).
    pub lowercase_words: &'a HashSet<String>,
    /// Titles and role words, which open a tagged name but are no part of it ("Actress
    /// Anna Keaveney", "investor Irwin Jacobs").
    pub cues: &'a super::Cues,
}

/// The entity a tagged name makes, or `None` for names that make none: nationalities,
/// facilities, and anything without a proper noun in it, made of dates, or made only of
/// words news writes in lower case ("Militia leaders" opening a sentence).
pub fn candidate(
    sentence: &TaggedSentence,
    name: &NameSpan,
    after_nationality: bool,
) -> Option<Candidate> {
    let range = trimmed(sentence, name);
    let words = &sentence.tokens[range.clone()];
    if !reads_as_entity(sentence, range.clone()) {
        return None;
    }
    let kind = match name.kind {
        NameType::Person
            if words
                .iter()
                .any(|t| COMPANY_WORDS.contains(&t.norm.as_ref())) =>
        {
            EntityType::Organization
        }
        NameType::Person => EntityType::Person,
        NameType::Place | NameType::Location => EntityType::Place,
        NameType::Organization => organisation_type(words, after_nationality),
        NameType::Facility | NameType::Group => return None,
    };
    Some(Candidate {
        tokens: range,
        kind,
    })
}

/// The tokens of a tagged name that are the name: it stops at a bracket, a quote or a
/// possessive, sheds a leading title, role or article, and ends on a name word.
fn trimmed(sentence: &TaggedSentence, name: &NameSpan) -> std::ops::Range<usize> {
    let TaggedSentence {
        text, tokens, cues, ..
    } = *sentence;
    let mut range = name.tokens.clone();
    // "Jaguar Plc <JAGR.L>", "Bally Corp's Scientific Games", "Tom Brown's Schooldays".
    if let Some(stop) = range.clone().skip(1).find(|&i| {
        matches!(
            tokens[i].norm.as_ref(),
            "<" | ">" | "(" | ")" | "[" | "]" | "\"" | "“" | "”" | "'s" | "/" | ","
        )
    }) {
        range.end = stop;
    }
    // Titles and roles open people's names ("General Motors" keeps its "General").
    let person = name.kind == NameType::Person;
    loop {
        let at = |phrases| super::phrase_len_at(tokens, range.start, phrases);
        match at(&cues.titles).or_else(|| at(&cues.roles)) {
            Some(n) if person && n < range.len() => range.start += n,
            _ if range.len() > 1
                && matches!(tokens[range.start].norm.as_ref(), "the" | "a" | "an" | ".") =>
            {
                range.start += 1
            }
            _ => break,
        }
    }
    // A name ends on a capitalised word or a number, not on a possessive or a full stop,
    // and not on "fired" in "Karim Benali fired": the tagger running on into the verb.
    let name_word = |t: &Token| {
        let surface = &text[t.start..t.end];
        surface
            .chars()
            .next()
            .is_some_and(|c| c.is_uppercase() || c.is_numeric())
    };
    // An organisation's name may end in a possessive the tagger kept: "Moody's".
    let kept_possessive = |i: usize| {
        name.kind == NameType::Organization && i + 1 == name.tokens.end && tokens[i].norm == "'s"
    };
    while range.len() > 1 && !name_word(&tokens[range.end - 1]) && !kept_possessive(range.end - 1) {
        range.end -= 1;
    }
    range
}

/// Whether the trimmed name `range` can be an entity (see [`candidate`]).
fn reads_as_entity(sentence: &TaggedSentence, range: std::ops::Range<usize>) -> bool {
    let TaggedSentence {
        text,
        tokens,
        tags,
        lowercase_words,
        cues,
    } = *sentence;
    let words = &tokens[range.clone()];
    let proper = range.clone().any(|i| tags.pos_tag(i) == "PROPN");
    let capitalised = words.iter().any(|t| {
        text[t.start..t.end]
            .chars()
            .next()
            .is_some_and(char::is_uppercase)
    });
    let letters = words
        .iter()
        .flat_map(|t| t.norm.chars())
        .filter(|c| c.is_alphabetic())
        .count();
    let common = (words.iter())
        .filter(|t| t.norm.chars().any(char::is_alphabetic))
        .all(|t| lowercase_words.contains(t.norm.as_ref()));
    let lone = |list: &[&str]| words.len() == 1 && list.contains(&words[0].norm.as_ref());
    let lone_title =
        words.len() == 1 && (cues.titles.0.iter()).any(|p| p.len() == 1 && p[0] == words[0].norm);
    proper
        && capitalised
        && !common
        && letters >= 2
        && !(words.len() == 1 && letters < 3)
        && !lone_title
        && words.len() <= 8
        && !words.iter().any(|t| is_calendar_word(&t.norm))
        && !lone(DEITIES)
        && !generic(words)
}

/// An organisation's type by its head word (the last word, or the word before "of":
/// "Ministry of Defence").
fn organisation_type(words: &[Token], after_nationality: bool) -> EntityType {
    let head = words
        .iter()
        .position(|t| t.norm == "of")
        .filter(|&at| at > 0)
        .map_or(words.last(), |at| words.get(at - 1))
        .map_or("", |t| t.norm.as_ref());
    let any = |list: &[&str]| words.iter().any(|t| list.contains(&t.norm.as_ref()));
    if GOVERNMENT_HEADS.contains(&head) || (after_nationality && STATE_FORCE_HEADS.contains(&head))
    {
        EntityType::Government
    } else if ARMED_HEADS.contains(&head) || any(&["militia", "brigades", "mujahideen", "jihad"]) {
        EntityType::ArmedGroup
    } else if any(GOVERNMENT_HEADS) && !any(ARMED_HEADS) {
        EntityType::Government
    } else {
        EntityType::Organization
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::tokens::tokenize;

    fn org(text: &str, after_nationality: bool) -> EntityType {
        organisation_type(&tokenize(text, 0, text.len()), after_nationality)
    }

    #[test]
    fn organisations_are_typed_by_their_head_word() {
        assert_eq!(org("Ministry of Defence", false), EntityType::Government);
        assert_eq!(
            org("Kataib Hezbollah Brigades", false),
            EntityType::ArmedGroup
        );
        assert_eq!(org("Free Syrian Army", false), EntityType::ArmedGroup);
        assert_eq!(org("Iraqi Army", true), EntityType::Government);
        assert_eq!(
            org("Syrian Observatory for Human Rights", false),
            EntityType::Organization
        );
        assert_eq!(org("General Motors Corp", false), EntityType::Organization);
        assert_eq!(org("Baghdad Police Command", false), EntityType::Government);
    }
}
