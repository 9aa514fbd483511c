//! One hash table over the folded form of every name, alias and demonym, looked up from
//! each word boundary of the folded text.
//!
//! A mention must begin and end on a word boundary, so the table holds each pattern and
//! each of its prefixes that ends on a boundary inside it ("new" and "new york" for "new
//! york times"). From every boundary of the text the matcher looks up the text up to the
//! next boundary, then the one after, and stops at the first miss. It finds exactly the
//! boundary-respecting occurrences an overlapping Aho-Corasick scan would, without the
//! millions of hits inside words ("Iran" in "Tirana") and in a tenth of the build time.
//!
//! Rules, each tested below:
//! - matches respect word boundaries; among the candidates that do, the longest leftmost
//!   wins, so "New York Timesheets" still finds "New York";
//! - case and diacritics are folded, apostrophes and hyphens too ([`crate::text::fold`]);
//! - short all-capital aliases ("US", "KSS", "U.S.") match only in capitals, so the pronoun
//!   "us" is not the United States; demonyms match only capitalised.

use super::Entity;
use crate::error::{Error, Result};
use crate::text::{Folded, fold, fold_alias};
use rayon::prelude::*;
use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};
use std::collections::HashSet;

/// Aliases with at most this many letters, all capitals, are acronyms.
const ACRONYM_MAX_LETTERS: usize = 5;

/// How a mention's surface relates to its entity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum MatchKind {
    /// The entry's name or one of its aliases.
    Name,
    /// A demonym ("Iraqi" for Iraq).
    Demonym,
    /// A person's surname, resolved within the document (see [`crate::resolve`]).
    Surname,
    /// A role alone, "the prime minister", resolved to the one person holding it (see
    /// [`crate::resolve::Resolver::resolve_roles`]).
    Role,
}

impl MatchKind {
    pub fn as_str(self) -> &'static str {
        match self {
            MatchKind::Name => "name",
            MatchKind::Demonym => "demonym",
            MatchKind::Surname => "surname",
            MatchKind::Role => "role",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
enum CaseRule {
    Any,
    /// A common English word ("Nice"): capitalised only, and flagged on the mention so
    /// the pipeline can drop it at the start of a sentence.
    CommonWord,
    AllCapitals,
    /// Mixed-case short forms ("DoD") match only with these letters, as written.
    Exact(String),
    Capitalised,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct Target {
    entity: usize,
    kind: MatchKind,
    case: CaseRule,
}

/// A gazetteer hit: byte span into the original text and the entity index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawMention {
    pub start: usize,
    pub end: usize,
    pub entity: usize,
    pub kind: MatchKind,
    /// The alias is a common English word (see [`crate::gazetteer::COMMON_WORDS_FILE`]).
    pub common_word: bool,
}

/// What a key of [`Matcher::table`] is: a whole pattern, a boundary prefix of a longer
/// one, or both.
#[derive(Debug, Clone, Copy, Serialize, Deserialize)]
struct Slot {
    /// Index into [`Matcher::targets`], or [`Slot::NO_PATTERN`].
    pattern: u32,
    /// A longer pattern continues past this key.
    extends: bool,
}

impl Slot {
    const NO_PATTERN: u32 = u32::MAX;
}

/// The compiled matcher. It is saved as its table and targets (see
/// [`crate::gazetteer::cache`]); `first_bytes` follows from the table.
#[derive(Debug, Serialize, Deserialize)]
#[serde(from = "MatcherTable")]
pub struct Matcher {
    /// Every folded pattern and every prefix of one that ends on a word boundary inside it.
    table: FxHashMap<Box<str>, Slot>,
    /// Whether some pattern begins with this byte; most boundaries fail this test.
    #[serde(skip_serializing)]
    first_bytes: [bool; 256],
    /// For each pattern, the entries it stands for, first loaded first.
    targets: Vec<Vec<Target>>,
}

/// A [`Matcher`] without what follows from its table: what [`Matcher::build`] makes and
/// the cache saves (the fields `Matcher` serialises, in its order).
#[derive(Deserialize)]
struct MatcherTable {
    #[serde(deserialize_with = "table_at_full_size")]
    table: FxHashMap<Box<str>, Slot>,
    targets: Vec<Vec<Target>>,
}

/// Read the table into a map allocated for all its keys at once. Serde's own map reading
/// starts small and grows, rehashing the 370,000 keys of the bundled gazetteers several
/// times.
fn table_at_full_size<'de, D>(
    deserializer: D,
) -> std::result::Result<FxHashMap<Box<str>, Slot>, D::Error>
where
    D: serde::Deserializer<'de>,
{
    struct TableVisitor;
    impl<'de> serde::de::Visitor<'de> for TableVisitor {
        type Value = FxHashMap<Box<str>, Slot>;

        fn expecting(&self, formatter: &mut std::fmt::Formatter) -> std::fmt::Result {
            formatter.write_str("a map of folded patterns")
        }

        fn visit_map<A: serde::de::MapAccess<'de>>(
            self,
            mut map: A,
        ) -> std::result::Result<Self::Value, A::Error> {
            // The size is read from the file: a damaged one must not allocate without bound.
            const MOST_KEYS_AT_ONCE: usize = 1 << 22;
            let keys = map.size_hint().unwrap_or(0).min(MOST_KEYS_AT_ONCE);
            let mut table = FxHashMap::with_capacity_and_hasher(keys, Default::default());
            while let Some((key, slot)) = map.next_entry()? {
                table.insert(key, slot);
            }
            Ok(table)
        }
    }
    deserializer.deserialize_map(TableVisitor)
}

impl From<MatcherTable> for Matcher {
    fn from(saved: MatcherTable) -> Self {
        // A prefix begins with its pattern's first byte, so every key counts.
        let mut first_bytes = [false; 256];
        for key in saved.table.keys() {
            if let Some(&byte) = key.as_bytes().first() {
                first_bytes[byte as usize] = true;
            }
        }
        Matcher {
            table: saved.table,
            first_bytes,
            targets: saved.targets,
        }
    }
}

/// Whether a match may begin or end at byte `at` of `text` (a char boundary): not between
/// two letters or digits.
fn is_boundary(text: &str, at: usize) -> bool {
    let before = text[..at]
        .chars()
        .next_back()
        .is_some_and(char::is_alphanumeric);
    let after = text[at..].chars().next().is_some_and(char::is_alphanumeric);
    !(before && after)
}

/// Byte offsets of every word boundary of `text`, in order, including 0 and `text.len()`.
fn boundaries(text: &str) -> Vec<usize> {
    let mut out = Vec::with_capacity(text.len() / 3);
    let mut previous_alphanumeric = false;
    for (at, c) in text.char_indices() {
        let alphanumeric = if c.is_ascii() {
            c.is_ascii_alphanumeric()
        } else {
            c.is_alphanumeric()
        };
        if !(previous_alphanumeric && alphanumeric) {
            out.push(at);
        }
        previous_alphanumeric = alphanumeric;
    }
    out.push(text.len());
    out
}

/// Whether the matcher treats an alias as an acronym that matches only in capitals: 1 to
/// [`ACRONYM_MAX_LETTERS`] letters, all capitals ("UK", "U.S.", "FAO").
pub fn is_acronym(alias: &str) -> bool {
    let letters: Vec<char> = alias.chars().filter(|c| c.is_alphabetic()).collect();
    !letters.is_empty()
        && letters.len() <= ACRONYM_MAX_LETTERS
        && letters.iter().all(|c| c.is_uppercase())
}

fn case_rule(alias: &str, kind: MatchKind, common: bool) -> CaseRule {
    let letters: Vec<char> = alias.chars().filter(|c| c.is_alphabetic()).collect();
    let short = !letters.is_empty() && letters.len() <= ACRONYM_MAX_LETTERS;
    if is_acronym(alias) {
        CaseRule::AllCapitals
    } else if short
        && !alias.contains(' ')
        && letters.iter().filter(|c| c.is_uppercase()).count() >= 2
    {
        CaseRule::Exact(letters.into_iter().collect())
    } else if kind == MatchKind::Demonym {
        CaseRule::Capitalised
    } else if common {
        CaseRule::CommonWord
    } else {
        CaseRule::Any
    }
}

impl Matcher {
    /// Build from entries: every name, alias and demonym becomes a pattern.
    /// `common_words` are folded single words that need a capital (see
    /// [`crate::gazetteer::COMMON_WORDS_FILE`]).
    pub fn build(entities: &[Entity], common_words: &HashSet<String>) -> Result<Self> {
        Self::with_common_words(
            entities.iter().enumerate().flat_map(|(at, e)| {
                std::iter::once(&e.name)
                    .chain(&e.aliases)
                    .map(move |a| (a.as_str(), at, MatchKind::Name))
                    .chain(
                        e.demonyms
                            .iter()
                            .map(move |d| (d.as_str(), at, MatchKind::Demonym)),
                    )
            }),
            common_words,
        )
    }

    /// Build from `(alias, entity index, kind)` triples.
    pub fn from_aliases<'a>(
        aliases: impl IntoIterator<Item = (&'a str, usize, MatchKind)>,
    ) -> Result<Self> {
        Self::with_common_words(aliases, &HashSet::new())
    }

    fn with_common_words<'a>(
        aliases: impl IntoIterator<Item = (&'a str, usize, MatchKind)>,
        common_words: &HashSet<String>,
    ) -> Result<Self> {
        let aliases: Vec<(&str, usize, MatchKind)> = aliases.into_iter().collect();
        // Folding 180,000 aliases is a third of building the matcher; it parallelises. A
        // document's few surnames stay on one thread.
        let folded: Vec<(String, Target)> = aliases
            .par_iter()
            .with_min_len(4096)
            .map(|&(alias, entity, kind)| {
                let folded = fold_alias(alias);
                let case = case_rule(alias, kind, common_words.contains(&folded));
                (folded, Target { entity, kind, case })
            })
            .collect();
        let mut table: FxHashMap<Box<str>, Slot> = FxHashMap::default();
        table.reserve(folded.len() * 2);
        let mut targets: Vec<Vec<Target>> = Vec::new();
        for (pattern, target) in folded {
            if pattern.is_empty() {
                continue;
            }
            for cut in (1..pattern.len())
                .filter(|&at| pattern.is_char_boundary(at) && is_boundary(&pattern, at))
            {
                match table.get_mut(&pattern[..cut]) {
                    Some(slot) => slot.extends = true,
                    None => {
                        let prefix = Slot {
                            pattern: Slot::NO_PATTERN,
                            extends: true,
                        };
                        table.insert(pattern[..cut].into(), prefix);
                    }
                }
            }
            let slot = table.entry(pattern.into_boxed_str()).or_insert(Slot {
                pattern: Slot::NO_PATTERN,
                extends: false,
            });
            if slot.pattern == Slot::NO_PATTERN {
                if targets.len() + 1 >= Slot::NO_PATTERN as usize {
                    return Err(Error::Config(format!(
                        "cannot build the gazetteer matcher: more than {} patterns",
                        Slot::NO_PATTERN - 1
                    )));
                }
                slot.pattern = targets.len() as u32;
                targets.push(Vec::new());
            }
            let list = &mut targets[slot.pattern as usize];
            if !list.iter().any(|t| {
                t.entity == target.entity && t.kind == target.kind && t.case == target.case
            }) {
                list.push(target);
            }
        }
        Ok(MatcherTable { table, targets }.into())
    }

    /// Every mention in `text`, leftmost-longest among those on word boundaries, in order.
    /// Where an alias stands for several entries, the first loaded wins.
    pub fn find(&self, text: &str) -> Vec<RawMention> {
        self.find_folded(text, &fold(text))
    }

    /// [`Matcher::find`] with `text` already folded, for callers that match it more than once.
    pub fn find_folded(&self, text: &str, folded: &Folded) -> Vec<RawMention> {
        self.spans(text, folded)
            .into_iter()
            .filter_map(|(start, end, pattern)| {
                let surface = &text[start..end];
                self.targets[pattern]
                    .iter()
                    .find(|t| case_fits(surface, &t.case))
                    .map(|t| RawMention {
                        start,
                        end,
                        entity: t.entity,
                        kind: t.kind,
                        common_word: t.case == CaseRule::CommonWord,
                    })
            })
            .collect()
    }

    /// Like [`Matcher::find`], but one mention per entry an ambiguous alias stands for.
    pub fn find_all_targets(&self, text: &str, folded: &Folded) -> Vec<RawMention> {
        let mut mentions = Vec::new();
        for (start, end, pattern) in self.spans(text, folded) {
            let surface = &text[start..end];
            for t in &self.targets[pattern] {
                if case_fits(surface, &t.case) {
                    mentions.push(RawMention {
                        start,
                        end,
                        entity: t.entity,
                        kind: t.kind,
                        common_word: t.case == CaseRule::CommonWord,
                    });
                }
            }
        }
        mentions
    }

    /// Original-text spans and pattern indexes of the chosen matches.
    fn spans(&self, text: &str, folded: &Folded) -> Vec<(usize, usize, usize)> {
        let haystack = folded.text.as_str();
        let bytes = haystack.as_bytes();
        let boundaries = boundaries(haystack);
        let mut candidates: Vec<(usize, usize, usize)> = Vec::new();
        for (at, &start) in boundaries.iter().enumerate() {
            if start == bytes.len() || !self.first_bytes[bytes[start] as usize] {
                continue;
            }
            for &end in &boundaries[at + 1..] {
                let Some(slot) = self.table.get(&haystack[start..end]) else {
                    break;
                };
                if slot.pattern != Slot::NO_PATTERN {
                    let pattern = slot.pattern as usize;
                    let (orig_start, orig_end) = folded.original_span(start, end);
                    let surface = &text[orig_start..orig_end];
                    if self.targets[pattern]
                        .iter()
                        .any(|t| case_fits(surface, &t.case))
                    {
                        candidates.push((orig_start, orig_end, pattern));
                    }
                }
                if !slot.extends {
                    break;
                }
            }
        }
        candidates.sort_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)));
        let mut chosen: Vec<(usize, usize, usize)> = Vec::new();
        for candidate in candidates {
            if chosen.last().is_none_or(|last| candidate.0 >= last.1) {
                chosen.push(candidate);
            }
        }
        chosen
    }
}

fn case_fits(surface: &str, rule: &CaseRule) -> bool {
    // Case is folded, but a surface with no capital at all is ordinary words in English
    // news ("an international investment bank", "the bar"), never a name.
    if !surface.chars().any(char::is_uppercase) {
        return false;
    }
    match rule {
        CaseRule::Exact(letters) => surface
            .chars()
            .filter(|c| c.is_alphabetic())
            .eq(letters.chars()),
        // "FAO" is an acronym, not the town Fao: a short all-capital surface needs an
        // all-capital alias.
        CaseRule::Any => {
            let letters: Vec<char> = surface.chars().filter(|c| c.is_alphabetic()).collect();
            !(letters.len() <= 4 && letters.iter().all(|c| c.is_uppercase()))
        }
        CaseRule::AllCapitals => surface
            .chars()
            .filter(|c| c.is_alphabetic())
            .all(char::is_uppercase),
        CaseRule::Capitalised | CaseRule::CommonWord => {
            surface.chars().next().is_some_and(char::is_uppercase)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn matcher(aliases: &[(&'static str, usize, MatchKind)]) -> Matcher {
        Matcher::from_aliases(aliases.iter().copied()).unwrap()
    }

    fn surfaces<'t>(m: &Matcher, text: &'t str) -> Vec<(&'t str, usize)> {
        m.find(text)
            .into_iter()
            .map(|h| (&text[h.start..h.end], h.entity))
            .collect()
    }

    #[test]
    fn longest_match_on_word_boundaries() {
        let m = matcher(&[
            ("New York", 0, MatchKind::Name),
            ("New York Times", 1, MatchKind::Name),
            ("York", 2, MatchKind::Name),
        ]);
        assert_eq!(
            surfaces(&m, "The New York Times said"),
            [("New York Times", 1)]
        );
        assert_eq!(surfaces(&m, "New York Timesheets"), [("New York", 0)]);
        assert_eq!(surfaces(&m, "Yorkshire and Newark"), []);
        assert_eq!(surfaces(&m, "a new york deli"), []);
    }

    #[test]
    fn acronyms_match_only_in_capitals() {
        let m = matcher(&[("US", 0, MatchKind::Name), ("U.S.", 0, MatchKind::Name)]);
        assert_eq!(
            surfaces(&m, "the US and U.S. forces"),
            [("US", 0), ("U.S.", 0)]
        );
        assert_eq!(surfaces(&m, "they told us. Us too."), []);
    }

    #[test]
    fn folding_variants_and_possessives_match() {
        let m = matcher(&[
            ("Kata'ib Sayyid al-Shuhada", 0, MatchKind::Name),
            ("Hamas", 1, MatchKind::Name),
            ("Iraq", 2, MatchKind::Name),
        ]);
        let text =
            "Kataib Sayyid al Shuhada, Kata’ib Sayyid al-Shuhada, Hamas’ attack and Iraq’s army";
        assert_eq!(
            surfaces(&m, text),
            [
                ("Kataib Sayyid al Shuhada", 0),
                ("Kata’ib Sayyid al-Shuhada", 0),
                ("Hamas", 1),
                ("Iraq", 2)
            ]
        );
    }

    #[test]
    fn common_words_match_only_capitalised_and_are_flagged() {
        let common: HashSet<String> = ["nice".to_string()].into();
        let m = Matcher::with_common_words([("Nice", 0, MatchKind::Name)], &common).unwrap();
        let found = m.find("a nice day in Nice");
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].start, 14);
        assert!(found[0].common_word);
    }

    #[test]
    fn mixed_case_short_forms_match_as_written() {
        let m = matcher(&[("DoD", 0, MatchKind::Name)]);
        assert_eq!(surfaces(&m, "the DoD said; dod, DOD"), [("DoD", 0)]);
    }

    #[test]
    fn short_all_capital_surfaces_need_an_acronym_alias() {
        let m = matcher(&[("Fao", 0, MatchKind::Name)]);
        assert_eq!(surfaces(&m, "the FAO said; fighting in Fao"), [("Fao", 0)]);
    }

    #[test]
    fn demonyms_match_only_capitalised() {
        let m = matcher(&[("Iraqi", 0, MatchKind::Demonym)]);
        assert_eq!(surfaces(&m, "Iraqi forces, not iraqi"), [("Iraqi", 0)]);
    }

    #[test]
    fn a_boundary_prefix_of_a_pattern_is_not_a_match() {
        let m = matcher(&[
            ("New York Times", 0, MatchKind::Name),
            ("U.S. Army", 1, MatchKind::Name),
        ]);
        assert_eq!(surfaces(&m, "New York and U.S. forces"), []);
        assert_eq!(
            surfaces(&m, "the New York Times and the U.S. Army"),
            [("New York Times", 0), ("U.S. Army", 1)]
        );
    }

    /// Every occurrence of every folded pattern that begins and ends on a word boundary,
    /// found by trying each pattern at each position: what an overlapping Aho-Corasick scan
    /// filtered by boundaries gives.
    fn naive_spans(aliases: &[(String, usize)], text: &str) -> Vec<(usize, usize, usize)> {
        let folded = fold(text);
        let haystack = folded.text.as_str();
        let mut candidates = Vec::new();
        for (alias, entity) in aliases {
            let pattern = fold_alias(alias);
            if pattern.is_empty() {
                continue;
            }
            let rule = case_rule(alias, MatchKind::Name, false);
            for start in (0..haystack.len()).filter(|&at| haystack.is_char_boundary(at)) {
                let end = start + pattern.len();
                if haystack[start..].starts_with(pattern.as_str())
                    && is_boundary(haystack, start)
                    && is_boundary(haystack, end)
                {
                    let (s, e) = folded.original_span(start, end);
                    if case_fits(&text[s..e], &rule) {
                        candidates.push((s, e, *entity));
                    }
                }
            }
        }
        candidates.sort_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)).then(a.2.cmp(&b.2)));
        let mut chosen: Vec<(usize, usize, usize)> = Vec::new();
        for candidate in candidates {
            if chosen.last().is_none_or(|last| candidate.0 >= last.1) {
                chosen.push(candidate);
            }
        }
        chosen
    }

    proptest::proptest! {
        #[test]
        fn finds_what_trying_every_pattern_everywhere_finds(
            aliases in proptest::collection::vec("[AaBbÉé][AaBbÉé .'-]{0,6}", 1..8),
            text in "[AaBbÉé .'-]{0,40}",
        ) {
            let aliases: Vec<(String, usize)> =
                aliases.into_iter().enumerate().map(|(at, a)| (a, at)).collect();
            let m = Matcher::from_aliases(
                aliases.iter().map(|(a, at)| (a.as_str(), *at, MatchKind::Name)),
            )
            .unwrap();
            let found: Vec<(usize, usize, usize)> =
                m.find(&text).into_iter().map(|h| (h.start, h.end, h.entity)).collect();
            proptest::prop_assert_eq!(found, naive_spans(&aliases, &text));
        }
    }

    #[test]
    fn spans_are_exact_surfaces_with_diacritics() {
        let m = matcher(&[("Bogota", 0, MatchKind::Name)]);
        let text = "In Bogotá, police";
        let hits = m.find(text);
        assert_eq!(&text[hits[0].start..hits[0].end], "Bogotá");
    }
}
