//! Discovery: people the gazetteers do not list, introduced by a title or an apposition
//! ("Pentagon spokesman Brig. Gen. Pat Ryder", "The commander of Kataib Sayyid
//! al-Shuhada, Abu Alaa al-Walae,", "Qais al-Khazali, the leader of Asaib Ahl al-Haq").
//!
//! The stage only proposes mentions: a capitalised name of two to six words, not covered
//! by a gazetteer mention, next to a role word from the rules file (`sets.role`). Such a
//! name becomes a `person` entity with `origin = "discovered"` and the id
//! `person/discovered-<slug>` (the same name gives the same id in every document), and
//! the relation rules then link it like any other person. Later short forms of the name
//! in the same document ("al-Walae said") resolve to it as surnames.

pub mod tagged;

use crate::gazetteer::{Entity, EntityType, MatchKind};
use crate::gazetteer::{entity, slug};
use crate::model::{DocView, Mention};
use crate::relations::rules::Phrases;
use crate::resolve::surname_forms;
use crate::tagger::{NameSpan, SentenceTags};
use crate::text::dates::is_calendar_word;
use crate::text::tokens::{Token, tokenize};
use aho_corasick::AhoCorasick;
use std::ops::Range;

/// The `origin` of a discovered entity.
pub const ORIGIN: &str = "discovered";

/// Name particles that may stand in lower case inside a name ("Abu Alaa al-Walae").
const PARTICLES: &[&str] = &[
    "al", "el", "bin", "ibn", "bint", "abu", "de", "del", "da", "di", "van", "von", "der", "du",
    "le", "la", "ul", "ad", "as", "ash", "an", "ar", "at", "az",
];

/// Words that make a capitalised run the name of something other than a person (months
/// and weekdays too: [`is_calendar_word`]).
const NOT_PERSON_WORDS: &[&str] = &[
    "the",
    "of",
    "and",
    "for",
    "department",
    "ministry",
    "army",
    "forces",
    "force",
    "group",
    "brigade",
    "brigades",
    "council",
    "party",
    "university",
    "street",
    "road",
    "square",
    "district",
    "province",
    "city",
    "state",
    "states",
    "company",
    "corporation",
    "bank",
    "agency",
    "office",
    "house",
    "committee",
    "movement",
    "front",
    "organization",
    "organisation",
    "union",
    "news",
    "times",
    "post",
    "airbase",
    "base",
    "camp",
    "hospital",
    "school",
    "mosque",
    "church",
    "i",
    "we",
    "he",
    "she",
    "they",
    "it",
    "this",
    "that",
    "in",
    "on",
    "at",
    "but",
    "as",
    "after",
    "before",
    "inc",
    "corp",
    "co",
    "ltd",
    "plc",
    "llc",
    "ag",
    "sa",
    "nv",
    "holdings",
    "productions",
    "industries",
    "officers",
    "officials",
    "association",
    "institute",
    "foundation",
    "club",
    "league",
];

/// Whether `start..end` overlaps one of `spans`, which are sorted and do not overlap
/// each other (so their ends are sorted too): a binary search, not a scan, so that a
/// document with a million mentions costs no more per token than one with ten.
pub fn overlaps_sorted<T>(
    spans: &[T],
    start: usize,
    end: usize,
    bounds: impl Fn(&T) -> (usize, usize),
) -> bool {
    let before_end = spans.partition_point(|s| bounds(s).0 < end);
    before_end > 0 && bounds(&spans[before_end - 1]).1 > start
}

/// At most this many people are discovered in one document, which bounds the work of
/// looking for their short forms.
pub const MAX_DISCOVERED_PER_DOCUMENT: usize = 200;

/// The longest name discovered, in words.
const MAX_NAME_WORDS: usize = 6;
/// How far before a name "<role> of ..., NAME," may start, in tokens.
const ROLE_OF_WINDOW: usize = 10;

/// The cue lists discovery reads: role words and titles from the rules file.
#[derive(Debug, Clone)]
pub struct Cues {
    pub roles: Phrases,
    pub titles: Phrases,
    /// The first words of the roles, found case-insensitively in a sentence's text: a
    /// sentence without one introduces nobody and names no role alone, and is not
    /// tokenized, here or in [`crate::resolve::Resolver::resolve_roles`]. (`None` if the
    /// automaton could not be built: then no sentence is skipped.)
    role_starts: Option<AhoCorasick>,
}

impl Cues {
    pub fn new(roles: Phrases, titles: Phrases) -> Self {
        let starts: std::collections::BTreeSet<&str> =
            roles.0.iter().map(|phrase| phrase[0].as_str()).collect();
        let role_starts = AhoCorasick::builder()
            .ascii_case_insensitive(true)
            .build(starts)
            .ok();
        Cues {
            roles,
            titles,
            role_starts,
        }
    }

    /// Whether `sentence` may hold a role: one of the roles' first words occurs in it.
    pub(crate) fn may_have_role(&self, sentence: &str) -> bool {
        self.role_starts
            .as_ref()
            .is_none_or(|starts| starts.is_match(sentence))
    }
}

/// What discovery found in one document.
#[derive(Debug, Default)]
pub struct Discovered {
    /// New entities; a mention's entity index `first_index + k` means `entities[k]`.
    pub entities: Vec<Entity>,
    pub mentions: Vec<Mention>,
}

pub(crate) fn phrase_len_at(tokens: &[Token], at: usize, phrases: &Phrases) -> Option<usize> {
    phrases
        .0
        .iter()
        .find(|p| {
            p.len() <= tokens.len().saturating_sub(at)
                && p.iter().zip(&tokens[at..]).all(|(w, t)| *w == t.norm)
        })
        .map(Vec::len)
}

/// The length of the longest phrase that ends right at token `end` (exclusive).
pub(crate) fn phrase_len_before(tokens: &[Token], end: usize, phrases: &Phrases) -> Option<usize> {
    phrases
        .0
        .iter()
        .find(|p| {
            p.len() <= end
                && p.iter()
                    .zip(&tokens[end - p.len()..end])
                    .all(|(w, t)| *w == t.norm)
        })
        .map(Vec::len)
}

pub(crate) fn role_ends_at(tokens: &[Token], end: usize, roles: &Phrases) -> bool {
    phrase_len_before(tokens, end, roles).is_some()
}

pub(crate) fn capitalised(text: &str, token: &Token) -> bool {
    let surface = &text[token.start..token.end];
    let mut chars = surface.chars();
    chars.next().is_some_and(char::is_uppercase) && chars.any(char::is_lowercase)
}

/// What the tagger said of a document ([`crate::tagger`]), for discovery to read.
pub struct Tagged<'a> {
    /// One per sentence.
    pub tags: &'a [SentenceTags],
    /// The names in each sentence ([`tagged::names`]).
    pub names: &'a [Vec<NameSpan>],
    /// The gazetteer mentions the tags vetoed ([`tagged::veto`]).
    pub vetoed: &'a [Mention],
    /// Words news writes in lower case and given names ([`crate::tagger::features::Lexicon`]).
    pub lexicon: &'a crate::tagger::features::Lexicon,
    /// The gazetteers: a tagged name that is a listed entity's name is that entity.
    pub gazetteer: &'a crate::gazetteer::Gazetteer,
    /// Titles and roles, which tagged names shed.
    pub cues: &'a Cues,
    /// Listed people by the folded forms of their surname: a lone surname in a dated
    /// article is the one of them in office that day ("Reagan said" in 1987).
    pub office_holders: &'a rustc_hash::FxHashMap<String, Vec<usize>>,
}

/// Find people introduced by a role in `text`, and, given the tagger's reading, the names
/// it found that no gazetteer lists. `mentions` are the gazetteer mentions (sorted by
/// start); `first_index` is the entity index the first new entity gets.
pub fn discover(
    doc: &DocView,
    mentions: &[Mention],
    first_index: usize,
    cues: &Cues,
    tagged: Option<&Tagged>,
) -> Discovered {
    let mut found = Discovered::default();
    let mut names = add_role_named(doc, mentions, first_index, cues, &mut found);
    let single_names = match tagged {
        Some(tagged) => {
            let (single_names, full_names) =
                add_tagged(doc, mentions, tagged, first_index, &mut found);
            names.extend(full_names);
            single_names
        }
        None => Vec::new(),
    };
    add_short_forms(doc, mentions, &names, first_index, &mut found);
    // A one-word name is a short form of a longer name in the document ("Khalil said"),
    // else a person of its own ("Lina said", "Bossi said"), unless the document names an
    // organisation or place with that word ("Sigma said" after "Sigma Designs Inc"): a
    // given name is a person whatever else the document names.
    // Tagged names of listed entities are among the found mentions too.
    let kind_of = |m: &Mention| match m.entity.checked_sub(first_index) {
        Some(k) => Some(found.entities[k].kind),
        None => tagged.map(|t| t.gazetteer.entity(m.entity).kind),
    };
    let words_of_other_names: std::collections::HashSet<String> = (mentions.iter())
        .chain(&found.mentions)
        .filter(|m| kind_of(m).is_some_and(|k| k != EntityType::Person))
        .map(|m| &doc.text[m.start..m.end])
        .filter(|name| name.contains(' '))
        .flat_map(|name| name.split(|c: char| !c.is_alphanumeric()))
        .map(str::to_lowercase)
        .collect();
    for (sentence, span, given) in single_names {
        let word = doc.text[span.clone()].to_lowercase();
        if found
            .mentions
            .iter()
            .any(|m| m.start < span.end && span.start < m.end)
            || (!given && words_of_other_names.contains(&word))
        {
            continue;
        }
        if let Some(holder) = tagged.and_then(|t| office_holder(t, &word, doc.published, mentions))
        {
            found.mentions.push(Mention {
                start: span.start,
                end: span.end,
                entity: holder,
                kind: MatchKind::Surname,
                sentence,
            });
            continue;
        }
        let Some(index) = new_entity(
            &mut found,
            &doc.text[span.clone()],
            EntityType::Person,
            first_index,
        ) else {
            continue;
        };
        found.mentions.push(Mention {
            start: span.start,
            end: span.end,
            entity: index,
            kind: MatchKind::Name,
            sentence,
        });
    }
    found.mentions.sort_by_key(|m| (m.start, m.end));
    found
}

/// Add the people a role introduces ("spokesman Pat Ryder", "Karim Farhan, the leader
/// of ..."); returns their full names with their entity, for their short forms.
fn add_role_named(
    doc: &DocView,
    mentions: &[Mention],
    first_index: usize,
    cues: &Cues,
    found: &mut Discovered,
) -> Vec<(Range<usize>, usize)> {
    let (text, sentences) = (doc.text, doc.sentences);
    let covered = |t: &Token| overlaps_sorted(mentions, t.start, t.end, |m| (m.start, m.end));
    let mut names: Vec<(Range<usize>, usize)> = Vec::new();
    for (sentence_index, sentence) in sentences.iter().enumerate() {
        if !cues.may_have_role(&text[sentence.clone()]) {
            continue;
        }
        let tokens = doc.tokens(sentence_index);
        let mut at = 0;
        while at < tokens.len() {
            let Some((start, end)) = name_run(text, tokens, at, &covered) else {
                at += 1;
                continue;
            };
            at = end;
            let (name_start, role_inside) = skip_leading_titles(tokens, start, end, cues);
            if !may_be_person_name(text, tokens, name_start, end) {
                continue;
            }
            let role_before = role_inside || role_before_name(tokens, name_start, cues);
            if !(role_before || role_after_name(tokens, end, cues)) {
                continue;
            }
            let span = tokens[name_start].start..tokens[end - 1].end;
            let Some(index) =
                new_entity(found, &text[span.clone()], EntityType::Person, first_index)
            else {
                continue;
            };
            names.push((span.clone(), index));
            found.mentions.push(Mention {
                start: span.start,
                end: span.end,
                entity: index,
                kind: MatchKind::Name,
                sentence: sentence_index,
            });
        }
    }
    names
}

/// Titles and roles written in capitals open a name run: "Prime Minister X". Returns
/// where the name proper starts in `tokens[start..end]`, and whether a role was skipped.
fn skip_leading_titles(tokens: &[Token], start: usize, end: usize, cues: &Cues) -> (usize, bool) {
    let mut name_start = start;
    let mut role_inside = false;
    loop {
        let inside = |n: usize| name_start + n < end;
        if let Some(n) = phrase_len_at(tokens, name_start, &cues.titles).filter(|&n| inside(n)) {
            name_start += n;
        } else if let Some(n) =
            phrase_len_at(tokens, name_start, &cues.roles).filter(|&n| inside(n))
        {
            name_start += n;
            role_inside = true;
        } else {
            break;
        }
    }
    (name_start, role_inside)
}

/// Whether `tokens[name_start..end]` can be a person's full name: two to
/// [`MAX_NAME_WORDS`] words, capitalised, none of them a word no name holds.
fn may_be_person_name(text: &str, tokens: &[Token], name_start: usize, end: usize) -> bool {
    let words: Vec<&Token> = tokens[name_start..end]
        .iter()
        .filter(|t| t.norm != "-")
        .collect();
    !(words.len() < 2
        || words.len() > MAX_NAME_WORDS
        || !tokens.get(name_start).is_some_and(|t| capitalised(text, t))
        || words
            .iter()
            .any(|t| NOT_PERSON_WORDS.contains(&t.norm.as_ref()) || is_calendar_word(&t.norm)))
}

/// Whether a role comes right before the name at `name_start`, perhaps across titles
/// or a comma: "spokesman Pat Ryder", "secretary general, Hassan Nasrallah".
fn role_before_name(tokens: &[Token], name_start: usize, cues: &Cues) -> bool {
    let before = |k: usize| name_start.checked_sub(k).map(|i| tokens[i].norm.as_ref());
    let mut role_before = role_ends_at(tokens, name_start, &cues.roles);
    let mut title_skip = name_start;
    while !role_before {
        let Some(n) = phrase_len_before(tokens, title_skip, &cues.titles) else {
            break;
        };
        title_skip -= n;
        role_before = role_ends_at(tokens, title_skip, &cues.roles);
    }
    if !role_before && before(1) == Some(",") {
        role_before = role_ends_at(tokens, name_start - 1, &cues.roles)
            || (name_start.saturating_sub(ROLE_OF_WINDOW)..name_start)
                .any(|k| tokens[k].norm == "of" && role_ends_at(tokens, k, &cues.roles));
    }
    role_before
}

/// Whether a role follows the name that ends before `end` after a comma: "NAME, the
/// leader of", "NAME, a senior commander in".
fn role_after_name(tokens: &[Token], end: usize, cues: &Cues) -> bool {
    tokens.get(end).is_some_and(|t| t.norm == ",") && {
        let mut k = end + 1;
        if tokens.get(k).is_some_and(|t| {
            matches!(
                t.norm.as_ref(),
                "the" | "a" | "an" | "its" | "his" | "her" | "their"
            )
        }) {
            k += 1;
        }
        (k..(k + 3).min(tokens.len())).any(|j| {
            phrase_len_at(tokens, j, &cues.roles).is_some_and(|n| {
                tokens.get(j + n).is_none_or(|t| {
                    matches!(
                        t.norm.as_ref(),
                        "of" | "for" | "in" | "at" | "with" | "," | "." | ";"
                    )
                })
            })
        })
    }
}

/// The one entity named in the document so far whose initials spell `acronym` ("SEC"
/// after "the Securities and Exchange Commission (SEC)"): news writes the name out once
/// and the acronym after it.
fn spelled_out(
    acronym: &str,
    mentions: &[Mention],
    tagged: &Tagged,
    found: &Discovered,
    first_index: usize,
) -> Option<usize> {
    let letters = acronym.chars().count();
    if !(2..=6).contains(&letters) || !acronym.chars().all(|c| c.is_ascii_uppercase()) {
        return None;
    }
    let name_of = |entity: usize| match entity.checked_sub(first_index) {
        Some(k) => found.entities.get(k).map(|e| e.name.as_str()),
        None => Some(tagged.gazetteer.entity(entity).name.as_str()),
    };
    let mut matches = mentions
        .iter()
        .chain(&found.mentions)
        .map(|m| m.entity)
        .filter(|&entity| name_of(entity).is_some_and(|name| initials(name) == acronym));
    let first = matches.next()?;
    matches.all(|other| other == first).then_some(first)
}

/// The capital initials of a name's words, leaving out the small words acronyms skip
/// ("Securities and Exchange Commission" → "SEC").
fn initials(name: &str) -> String {
    name.split(|c: char| c.is_whitespace() || c == '-')
        .filter(|w| !matches!(*w, "of" | "and" | "the" | "for" | "on" | "in" | "de" | "&"))
        .filter_map(|w| w.chars().next())
        .filter(|c| c.is_uppercase())
        .collect()
}

/// A surname more listed office holders share than this ("Smith", "Khan", "Jones") is
/// nobody in particular, whoever held office that day.
const MAX_NAMESAKES: usize = 3;

/// The one listed person called `surname` whose dated office includes `published` and
/// whose country the document names (a place in it or a demonym: "Seaga said" in an
/// article on Jamaica, not "Bird said" in one on cocoa prices); none without a date, when
/// several or none qualify, or when the surname is common.
fn office_holder(
    tagged: &Tagged,
    surname: &str,
    published: Option<&str>,
    mentions: &[Mention],
) -> Option<usize> {
    let date = published?;
    let namesakes = tagged
        .office_holders
        .get(&crate::text::fold_alias(surname))?;
    let dated = |&&index: &&usize| tagged.gazetteer.entity(index).valid_from.is_some();
    if namesakes.iter().filter(dated).count() > MAX_NAMESAKES {
        return None;
    }
    // ISO dates compare as text, on the precision both have ("1987" against "1981-01-20").
    let common = |bound: &str| {
        let n = date.len().min(bound.len());
        (date[..n].to_string(), bound[..n].to_string())
    };
    let in_office = |&&index: &&usize| {
        let entity = tagged.gazetteer.entity(index);
        let started = (entity.valid_from.as_deref()).is_some_and(|from| {
            let (day, from) = common(from);
            day >= from
        });
        let ended = (entity.valid_to.as_deref()).is_some_and(|to| {
            let (day, to) = common(to);
            day > to
        });
        let country = entity.country.as_deref();
        let country_named = country.is_some()
            && mentions.iter().any(|m| {
                let place = tagged.gazetteer.entity(m.entity);
                place.kind == EntityType::Place && place.country.as_deref() == country
            });
        started && !ended && country_named
    };
    let mut holders = namesakes.iter().filter(in_office);
    let first = *holders.next()?;
    holders.next().is_none().then_some(first)
}

/// One-word people waiting for the short forms: (sentence, span, is a given name).
type SingleNames = Vec<(usize, Range<usize>, bool)>;

/// Add the tagger's names that nothing else covers ([`tagged::candidate`]). Returns the
/// one-word people (and whether each is a given name), which wait until the short forms
/// are known, and the new people's full names with their entity, for their short forms.
fn add_tagged(
    doc: &DocView,
    mentions: &[Mention],
    tagged: &Tagged,
    first_index: usize,
    found: &mut Discovered,
) -> (SingleNames, Vec<(Range<usize>, usize)>) {
    let text = doc.text;
    let mut single_names = Vec::new();
    let mut names = Vec::new();
    for (sentence, sentence_names) in tagged.names.iter().enumerate() {
        let tokens = doc.tokens(sentence);
        for name in sentence_names {
            let after_nationality = (tagged.vetoed.iter())
                .any(|m| m.kind == MatchKind::Demonym && m.start == name.start);
            let reading = tagged::TaggedSentence {
                text,
                tokens,
                tags: &tagged.tags[sentence],
                lowercase_words: &tagged.lexicon.lowercase,
                cues: tagged.cues,
            };
            let Some(candidate) = tagged::candidate(&reading, name, after_nationality) else {
                continue;
            };
            let span = tokens[candidate.tokens.start].start..tokens[candidate.tokens.end - 1].end;
            let overlaps = |m: &Mention| m.start < span.end && span.start < m.end;
            if overlaps_sorted(mentions, span.start, span.end, |m| (m.start, m.end))
                || found.mentions.iter().any(overlaps)
            {
                continue;
            }
            let words = tokens[candidate.tokens.clone()]
                .iter()
                .filter(|t| t.norm != "-")
                .count();
            // The name of a listed entity that the gazetteer match did not keep ("After
            // Venezuela", where a capital before a place usually means a longer name).
            let gazetteer = tagged.gazetteer;
            let listed = (gazetteer.find(&text[span.clone()]).into_iter())
                .find(|m| {
                    m.start == 0
                        && m.end == span.len()
                        && gazetteer.entity(m.entity).kind == candidate.kind
                })
                .map(|m| m.entity)
                .or_else(|| spelled_out(&text[span.clone()], mentions, tagged, found, first_index));
            // A lone surname the tagger takes for a company ("Erdogan said", as the 1987
            // wire's "Chrysler said" taught it) is the person in office that day.
            let surname = &text[span.clone()];
            let holder = (listed.is_none() && words == 1 && candidate.kind != EntityType::Person)
                .then(|| office_holder(tagged, surname, doc.published, mentions))
                .flatten();
            if let Some(holder) = holder {
                found.mentions.push(Mention {
                    start: span.start,
                    end: span.end,
                    entity: holder,
                    kind: MatchKind::Surname,
                    sentence,
                });
                continue;
            }
            if listed.is_none() && candidate.kind == EntityType::Person && words == 1 {
                // A lone word is a person of its own only when it is a given name ("Lina
                // said"); otherwise it waits to be a short form of a longer name.
                let first = &tokens[candidate.tokens.start].norm;
                let given = tagged.lexicon.given_names.contains(first.as_ref());
                single_names.push((sentence, span, given));
                continue;
            }
            let index = match listed {
                Some(index) => index,
                None => {
                    let Some(index) =
                        new_entity(found, &text[span.clone()], candidate.kind, first_index)
                    else {
                        continue;
                    };
                    if candidate.kind == EntityType::Person {
                        names.push((span.clone(), index));
                    }
                    index
                }
            };
            found.mentions.push(Mention {
                start: span.start,
                end: span.end,
                entity: index,
                kind: MatchKind::Name,
                sentence,
            });
        }
    }
    (single_names, names)
}

/// The capitalised run starting at token `at`, as a token range: capitalised words,
/// particles inside ("Abu Alaa al-Walae"), hyphens between joined words, no token that a
/// gazetteer mention covers. `None` if the run does not start with a capitalised word.
pub(crate) fn name_run(
    text: &str,
    tokens: &[Token],
    at: usize,
    covered: &impl Fn(&Token) -> bool,
) -> Option<(usize, usize)> {
    let first = tokens.get(at)?;
    if !capitalised(text, first) || covered(first) {
        return None;
    }
    // Extending a run that started earlier is the earlier run's job.
    if at > 0 && (capitalised(text, &tokens[at - 1]) && !covered(&tokens[at - 1])) {
        return None;
    }
    let mut end = at + 1;
    while let Some(next) = tokens.get(end) {
        if covered(next) {
            break;
        }
        let joined = tokens[end - 1].end == next.start;
        if next.norm == "-" && joined {
            if tokens
                .get(end + 1)
                .is_some_and(|t| t.start == next.end && t.norm != "-")
            {
                end += 1;
                continue;
            }
            break;
        }
        if capitalised(text, next) || PARTICLES.contains(&next.norm.as_ref()) {
            end += 1;
            continue;
        }
        break;
    }
    // A run ends with a capitalised word: drop trailing particles and hyphens.
    while end > at + 1 && !capitalised(text, &tokens[end - 1]) {
        end -= 1;
    }
    Some((at, end))
}

fn new_entity(
    found: &mut Discovered,
    name: &str,
    kind: EntityType,
    first_index: usize,
) -> Option<usize> {
    let id = format!("{}/discovered-{}", kind.as_str(), slug(name));
    if let Some(k) = found.entities.iter().position(|e| e.id == id) {
        return Some(first_index + k);
    }
    if found.entities.len() >= MAX_DISCOVERED_PER_DOCUMENT {
        return None;
    }
    found
        .entities
        .push(entity(id, name.to_string(), kind, ORIGIN.to_string()));
    Some(first_index + found.entities.len() - 1)
}

/// Short forms of the discovered names ("al-Walae", "Ryder") elsewhere in the document,
/// when exactly one discovered person has that form and no mention covers it.
fn add_short_forms(
    doc: &DocView,
    mentions: &[Mention],
    names: &[(Range<usize>, usize)],
    first_index: usize,
    found: &mut Discovered,
) {
    let (text, sentences) = (doc.text, doc.sentences);
    let mut forms: Vec<(Vec<String>, Option<usize>)> = Vec::new();
    for entity_index in names.iter().map(|(_, e)| *e) {
        let entity = &found.entities[entity_index - first_index];
        for form in surname_forms(&entity.name) {
            let words: Vec<String> = tokenize(&form, 0, form.len())
                .into_iter()
                .map(|t| t.norm.into_owned())
                .collect();
            match forms.iter_mut().find(|(w, _)| *w == words) {
                Some((_, owner)) if *owner != Some(entity_index) => *owner = None,
                Some(_) => {}
                None => forms.push((words, Some(entity_index))),
            }
        }
    }
    if forms.is_empty() {
        return;
    }
    // Longest forms first: "al-Walae" before "Walae".
    forms.sort_by_key(|(w, _)| std::cmp::Reverse(w.len()));
    // Spans taken so far by discovered names and short forms, by start.
    let mut found_spans: std::collections::BTreeMap<usize, usize> =
        found.mentions.iter().map(|m| (m.start, m.end)).collect();
    let taken = |span: &Range<usize>, found_spans: &std::collections::BTreeMap<usize, usize>| {
        overlaps_sorted(mentions, span.start, span.end, |m| (m.start, m.end))
            || found_spans
                .range(..span.end)
                .next_back()
                .is_some_and(|(_, &end)| end > span.start)
    };
    for sentence_index in 0..sentences.len() {
        // Hyphens joining words are not compared: "Al-Walae" is the form "al walae".
        let tokens: Vec<&Token> = (doc.tokens(sentence_index).iter())
            .filter(|t| t.norm != "-")
            .collect();
        for at in 0..tokens.len() {
            for (words, owner) in &forms {
                let Some(entity) = owner else { continue };
                if words.len() > tokens.len() - at
                    || !words.iter().zip(&tokens[at..]).all(|(w, t)| *w == t.norm)
                {
                    continue;
                }
                let last = &tokens[at + words.len() - 1];
                let span = tokens[at].start..last.end;
                // A capitalised neighbour means a longer name ("Ryder Cup", "John Ryder").
                let neighbour = |t: Option<&&Token>| t.is_some_and(|t| capitalised(text, t));
                if !capitalised(text, last)
                    || neighbour(tokens.get(at + words.len()))
                    || (at > 0 && neighbour(tokens.get(at - 1)))
                    || taken(&span, &found_spans)
                {
                    continue;
                }
                found_spans.insert(span.start, span.end);
                found.mentions.push(Mention {
                    start: span.start,
                    end: span.end,
                    entity: *entity,
                    kind: MatchKind::Surname,
                    sentence: sentence_index,
                });
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::relations::Rules;

    fn cues() -> Cues {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("gazetteers");
        let rules = Rules::load_dirs(&[dir]).unwrap();
        Cues::new(rules.roles, rules.titles)
    }

    #[test]
    fn only_sentences_with_a_role_word_are_read() {
        let cues = cues();
        assert!(cues.may_have_role("The group's SPOKESMAN, Abu Obeida, said"));
        assert!(cues.may_have_role("Prime Minister Mohammed Shia al-Sudani met"));
        assert!(!cues.may_have_role("Rain fell on Abu Obeida and Paris."));
    }

    /// Discover in `text` (one sentence per line), with the given spans covered by
    /// gazetteer mentions; returns (surface, entity id, kind) per new mention.
    fn run(text: &str, covered: &[&str]) -> Vec<(String, String, &'static str)> {
        let mut sentences = Vec::new();
        let mut at = 0;
        for line in text.split_inclusive('\n') {
            sentences.push(at..at + line.trim_end().len());
            at += line.len();
        }
        let mentions: Vec<Mention> = covered
            .iter()
            .map(|c| {
                let start = text.find(c).unwrap();
                Mention {
                    start,
                    end: start + c.len(),
                    entity: 0,
                    kind: MatchKind::Name,
                    sentence: sentences.iter().position(|s| s.contains(&start)).unwrap(),
                }
            })
            .collect();
        let found = discover(
            &DocView::new(text, &sentences, None),
            &mentions,
            10,
            &cues(),
            None,
        );
        found
            .mentions
            .iter()
            .map(|m| {
                assert_eq!(
                    found.entities[m.entity - 10].origin,
                    ORIGIN,
                    "discovered entities say so"
                );
                (
                    text[m.start..m.end].to_string(),
                    found.entities[m.entity - 10].id.clone(),
                    m.kind.as_str(),
                )
            })
            .collect()
    }

    fn surfaces<'a>(found: &'a [(String, String, &'static str)]) -> Vec<&'a str> {
        found.iter().map(|(s, _, _)| s.as_str()).collect()
    }

    #[test]
    fn overlap_search_matches_a_scan() {
        let spans = [(0, 3), (5, 9), (9, 12), (20, 25)];
        for start in 0..30 {
            for end in start + 1..31 {
                let scan = spans.iter().any(|&(s, e)| s < end && start < e);
                assert_eq!(
                    overlaps_sorted(&spans, start, end, |&s| s),
                    scan,
                    "{start}..{end}"
                );
            }
        }
    }

    #[test]
    fn names_after_a_role_and_titles_are_discovered() {
        let found = run(
            "Pentagon spokesman Brig. Gen. Pat Ryder spoke.",
            &["Pentagon"],
        );
        assert_eq!(surfaces(&found), ["Pat Ryder"]);
        assert_eq!(found[0].1, "person/discovered-pat-ryder");
        let found = run("Prime Minister Jan Kowalski met the press.", &[]);
        assert_eq!(surfaces(&found), ["Jan Kowalski"]);
    }

    #[test]
    fn appositions_on_either_side_are_discovered() {
        let text = "The commander of Kataib Sayyid al-Shuhada, Abu Alaa al-Walae, spoke.";
        assert_eq!(
            surfaces(&run(text, &["Kataib Sayyid al-Shuhada"])),
            ["Abu Alaa al-Walae"]
        );
        let text = "Karim Farhan, the leader of the militia, spoke.";
        assert_eq!(surfaces(&run(text, &[])), ["Karim Farhan"]);
    }

    #[test]
    fn short_forms_resolve_to_the_discovered_person() {
        let text = "The commander of the group, Abu Alaa al-Walae, spoke.\nAl-Walae later left.\n";
        let found = run(text, &[]);
        assert_eq!(surfaces(&found), ["Abu Alaa al-Walae", "Al-Walae"]);
        assert_eq!(found[1].1, found[0].1);
        assert_eq!(found[1].2, "surname");
    }

    #[test]
    fn names_without_a_role_or_not_of_people_are_not_discovered() {
        for text in [
            "Rockets Hit Baghdad As Leaders Meet",
            "Pat Ryder spoke on Monday.",
            "The spokesman of the Defense Department said so.",
            "The leader, Hamas, spoke.",
            "Officials said Monday, the leader of the group was absent.",
            "The acquisition of General Foods Corp, the chairman said.",
            "Association of Chief Police Officers president spoke.",
        ] {
            assert_eq!(run(text, &[]), [], "{text}");
        }
    }
}
