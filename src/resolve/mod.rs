//! Entity resolution within a document. The gazetteer already merges listed variants
//! ("US Department of State", "State Department"); this stage adds the short forms news
//! prose uses around a full mention: a person named in full ("Mohammed Shia al-Sudani") is
//! also "al-Sudani" or "Sudani", or "Prime Minister Sudani".
//!
//! A short form resolves only to a person named in full somewhere in the same document
//! (headlines often use the short form before the body names the person in full), and
//! only when exactly one such person has that short form, so two Millers stay unresolved.

pub mod filter;

use crate::discover::Cues;
use crate::error::Result;
use crate::gazetteer::{EntityTable, EntityType, Gazetteer, MatchKind, Matcher, RawMention};
use crate::model::Mention;
use crate::model::{DocView, Relation, RelationType};
use crate::text::fold_alias;
use rayon::prelude::*;
use std::collections::{HashMap, HashSet};

/// Generational suffixes, skipped when looking for the surname: "Lloyd J. Austin III".
const SUFFIXES: &[&str] = &["jr", "jr.", "sr", "sr.", "ii", "iii", "iv"];

/// Name particles that stay with a surname: "al-Sudani", "bin Salman", "van Dijk".
const PARTICLES: &[&str] = &[
    "al", "el", "ul", "bin", "ibn", "bint", "abu", "de", "del", "della", "di", "da", "van", "von",
    "der", "le", "la", "du", "dos",
];

/// Surname forms of every person in a gazetteer, and the gazetteer's office holders by
/// role and country.
#[derive(Debug)]
pub struct Resolver {
    /// Person (entity index) → its folded surname forms.
    surnames: HashMap<usize, Vec<String>>,
    /// ("prime_minister", "IRQ") → persons holding that role, with their dates.
    office_holders: HashMap<(String, String), Vec<usize>>,
}

/// The gazetteer form of a role found in text: "prime minister" → "prime_minister".
pub fn role_key(role: &str) -> String {
    role.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect::<Vec<_>>()
        .join("_")
}

/// Whether an ISO date (or a prefix: `2023`, `2023-10`) lies within `from..=to` as
/// written in a gazetteer; open ends always fit. Dates compare as text, prefix-wise.
fn valid_on(date: &str, from: Option<&str>, to: Option<&str>) -> bool {
    let fits_from = from.is_none_or(|f| date >= f || f.starts_with(date) || date.starts_with(f));
    let fits_to = to.is_none_or(|t| date <= t || date.starts_with(t));
    fits_from && fits_to
}

/// The short forms of a full personal name: the last word, and the particle plus the
/// last word where a particle precedes it ("al-Sudani" and "Sudani").
pub fn surname_forms(name: &str) -> Vec<String> {
    let folded = fold_alias(name);
    let mut words: Vec<&str> = folded.split(' ').collect();
    while words.len() > 2 && words.last().is_some_and(|w| SUFFIXES.contains(w)) {
        words.pop();
    }
    let mut forms = Vec::new();
    if words.len() < 2 {
        return forms;
    }
    let last = words[words.len() - 1];
    if last.chars().count() < 3 || last.ends_with('.') {
        return forms;
    }
    forms.push(last.to_string());
    let before = words[words.len() - 2];
    if words.len() > 2 && PARTICLES.contains(&before) {
        forms.push(format!("{before} {last}"));
    }
    forms
}

impl Resolver {
    pub fn new(gazetteer: &Gazetteer) -> Result<Self> {
        // About 25,000 persons in the bundled gazetteers: their forms are worked out on all
        // threads.
        let surnames: HashMap<usize, Vec<String>> = gazetteer
            .entities()
            .par_iter()
            .enumerate()
            .filter(|(_, entity)| entity.kind == EntityType::Person)
            .filter_map(|(at, entity)| {
                let mut own = HashSet::new();
                let forms: Vec<String> = std::iter::once(&entity.name)
                    .chain(&entity.aliases)
                    .flat_map(|name| surname_forms(name))
                    .filter(|form| own.insert(form.clone()))
                    .collect();
                (!forms.is_empty()).then_some((at, forms))
            })
            .collect();
        let mut office_holders: HashMap<(String, String), Vec<usize>> = HashMap::new();
        for (at, entity) in gazetteer.entities().iter().enumerate() {
            if let (EntityType::Person, Some(role), Some(country)) =
                (entity.kind, &entity.role, &entity.country)
            {
                office_holders
                    .entry((role_key(role), country.clone()))
                    .or_default()
                    .push(at);
            }
        }
        Ok(Resolver {
            surnames,
            office_holders,
        })
    }

    /// Mentions of a role alone, "the prime minister", for the one person who holds it:
    /// the person the document gives that role (a `member_of` relation with that role,
    /// "Iraqi Prime Minister Mohammed Shia al-Sudani"), or else, when the document names
    /// exactly one country, the gazetteer person with that role and country whose
    /// `valid_from`..`valid_to` contains the document's date (no date: no such guess).
    /// "the prime minister of X" and "the prime minister, X" are left to the rules.
    pub fn resolve_roles(
        &self,
        doc: &DocView,
        mentions: &[Mention],
        relations: &[Relation],
        entities: EntityTable,
        cues: &Cues,
    ) -> Vec<Mention> {
        let (text, sentences, published) = (doc.text, doc.sentences, doc.published);
        let in_document = role_holders_in_document(mentions, relations);
        let countries: HashSet<&str> = mentions
            .iter()
            .map(|m| entities.entity(m.entity))
            .filter(|e| e.kind == EntityType::Place && e.subtype.as_deref() == Some("country"))
            .filter_map(|e| e.country.as_deref())
            .collect();
        if in_document.is_empty() && (published.is_none() || countries.len() != 1) {
            // No role holder to find, in the document or in the gazetteer.
            return Vec::new();
        }
        let from_gazetteer = |key: &str| -> Option<usize> {
            let date = published?;
            let [country] = countries.iter().collect::<Vec<_>>()[..] else {
                return None;
            };
            self.sole_office_holder(key, country, date, entities)
        };
        let mut found = Vec::new();
        for (sentence_index, sentence) in sentences.iter().enumerate() {
            if !cues.may_have_role(&text[sentence.clone()]) {
                continue;
            }
            let tokens = doc.tokens(sentence_index);
            for at in 1..tokens.len() {
                if tokens[at - 1].norm != "the" {
                    continue;
                }
                let Some(role) = cues.roles.0.iter().find(|p| {
                    p.len() <= tokens.len() - at
                        && p.iter().zip(&tokens[at..]).all(|(w, t)| *w == t.norm)
                }) else {
                    continue;
                };
                let end = at + role.len();
                let next = tokens.get(end);
                let followed = next.is_some_and(|t| {
                    matches!(t.norm.as_ref(), "of" | "," | "'s" | "'")
                        || text[t.start..t.end].starts_with(char::is_uppercase)
                });
                let span = tokens[at - 1].start..tokens[end - 1].end;
                let covered =
                    crate::discover::overlaps_sorted(mentions, span.start, span.end, |m| {
                        (m.start, m.end)
                    });
                if followed || covered {
                    continue;
                }
                let key = role_key(&role.join(" "));
                let person = match in_document.get(&key) {
                    Some(people) if people.len() == 1 => people.iter().next().copied(),
                    Some(_) => None,
                    None => from_gazetteer(&key),
                };
                if let Some(entity) = person {
                    found.push(Mention {
                        start: span.start,
                        end: span.end,
                        entity,
                        kind: MatchKind::Role,
                        sentence: sentence_index,
                    });
                }
            }
        }
        found
    }

    /// The one gazetteer person who holds the role `key` in `country` on `date`, if
    /// exactly one does.
    fn sole_office_holder(
        &self,
        key: &str,
        country: &str,
        date: &str,
        entities: EntityTable,
    ) -> Option<usize> {
        let holders: Vec<usize> = self
            .office_holders
            .get(&(key.to_string(), country.to_string()))?
            .iter()
            .copied()
            .filter(|&p| {
                let e = entities.entity(p);
                valid_on(date, e.valid_from.as_deref(), e.valid_to.as_deref())
            })
            .collect();
        match holders[..] {
            [one] => Some(one),
            _ => None,
        }
    }

    /// Add surname mentions of persons already named in `mentions`; returns all mentions
    /// in text order. A surname hit inside an existing mention is ignored, and so is a hit
    /// written all in lower case ("a miller").
    pub fn resolve(&self, text: &str, mentions: Vec<RawMention>) -> Vec<RawMention> {
        self.resolve_folded(text, &crate::text::fold(text), mentions)
    }

    /// [`Resolver::resolve`] with `text` already folded.
    pub fn resolve_folded(
        &self,
        text: &str,
        folded: &crate::text::Folded,
        mut mentions: Vec<RawMention>,
    ) -> Vec<RawMention> {
        let named: HashSet<usize> = mentions
            .iter()
            .filter(|m| m.kind == MatchKind::Name)
            .map(|m| m.entity)
            .collect();
        if named.is_empty() {
            return mentions;
        }
        // The surname forms of the persons this document names, in one small matcher (a
        // document names a handful of the gazetteer's persons). A short form may belong to
        // several of them; it is kept only when exactly one has it.
        let mut named_sorted: Vec<usize> = named.into_iter().collect();
        named_sorted.sort_unstable();
        let forms = named_sorted.iter().flat_map(|&person| {
            self.surnames
                .get(&person)
                .into_iter()
                .flatten()
                .map(move |form| (form.as_str(), person, MatchKind::Surname))
        });
        // Building a matcher of a few short words does not fail; if it did, the
        // document would only lose its short forms.
        let Ok(matcher) = Matcher::from_aliases(forms) else {
            return mentions;
        };
        let mut by_span: HashMap<(usize, usize), Vec<usize>> = HashMap::new();
        for hit in matcher.find_all_targets(text, folded) {
            by_span
                .entry((hit.start, hit.end))
                .or_default()
                .push(hit.entity);
        }
        let mut added = Vec::new();
        for ((start, end), mut entities) in by_span {
            entities.sort_unstable();
            entities.dedup();
            // The matcher's mentions are sorted and do not overlap: a binary search.
            let overlaps =
                crate::discover::overlaps_sorted(&mentions, start, end, |m| (m.start, m.end));
            if entities.len() == 1 && !overlaps && text[start..end].chars().any(char::is_uppercase)
            {
                added.push(RawMention {
                    start,
                    end,
                    entity: entities[0],
                    kind: MatchKind::Surname,
                    common_word: false,
                });
            }
        }
        mentions.extend(added);
        mentions.sort_by_key(|m| (m.start, m.end));
        mentions
    }
}

/// Role → persons, from the document's `member_of` relations that name a role.
fn role_holders_in_document(
    mentions: &[Mention],
    relations: &[Relation],
) -> HashMap<String, HashSet<usize>> {
    let mut in_document: HashMap<String, HashSet<usize>> = HashMap::new();
    for r in relations
        .iter()
        .filter(|r| r.relation == RelationType::MemberOf && !r.negated)
    {
        if let (Some(role), Some(source)) = (&r.role, r.source) {
            in_document
                .entry(role_key(role))
                .or_default()
                .insert(mentions[source].entity);
        }
    }
    in_document
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn gazetteer() -> Gazetteer {
        Gazetteer::from_tsv(
            Path::new("test.tsv"),
            "id\tname\ttype\taliases\n\
             person/sudani\tMohammed Shia al-Sudani\tperson\t\n\
             person/miller-a\tMatt Miller\tperson\t\n\
             person/miller-b\tStephen Miller\tperson\t\n\
             person/ryder\tPat Ryder\tperson\tPatrick Ryder\n",
        )
        .unwrap()
    }

    fn resolved(text: &str) -> Vec<(String, String)> {
        let g = gazetteer();
        let resolver = Resolver::new(&g).unwrap();
        resolver
            .resolve(text, g.find(text))
            .into_iter()
            .map(|m| {
                (
                    text[m.start..m.end].to_string(),
                    g.entity(m.entity).id.clone(),
                )
            })
            .collect()
    }

    #[test]
    fn surname_forms_keep_particles() {
        assert_eq!(
            surname_forms("Mohammed Shia al-Sudani"),
            ["sudani", "al sudani"]
        );
        assert_eq!(surname_forms("Matt Miller"), ["miller"]);
        assert!(surname_forms("Hamas").is_empty());
        assert_eq!(surname_forms("Lloyd J. Austin III"), ["austin"]);
        assert_eq!(surname_forms("Joseph R. Biden Jr."), ["biden"]);
    }

    #[test]
    fn short_forms_resolve_after_a_full_mention() {
        assert_eq!(
            resolved(
                "Mohammed Shia al-Sudani spoke. Later al-Sudani and Prime Minister Sudani left."
            ),
            [
                ("Mohammed Shia al-Sudani".into(), "person/sudani".into()),
                ("al-Sudani".into(), "person/sudani".into()),
                ("Sudani".into(), "person/sudani".into()),
            ]
        );
    }

    #[test]
    fn short_forms_without_a_full_mention_stay_unresolved() {
        assert!(resolved("Sudani spoke and Ryder answered.").is_empty());
    }

    #[test]
    fn ambiguous_short_forms_stay_unresolved() {
        let found = resolved("Matt Miller and Stephen Miller met; Miller spoke.");
        assert_eq!(found.len(), 2);
    }
}
