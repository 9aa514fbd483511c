//! Entity resolution within a document. The gazetteer already merges listed variants
//! ("US Department of State", "State Department"); this stage adds the short forms news
//! prose uses around a full mention: a person named in full ("Mohammed Shia al-Sudani") is
//! also "al-Sudani" or "Sudani", or "Prime Minister Sudani".
//!
//! A short form resolves only to a person named in full somewhere in the same document
//! (headlines often use the short form before the body names the person in full), and
//! only when exactly one such person has that short form, so two Millers stay unresolved.

use crate::error::Result;
use crate::gazetteer::{EntityType, Gazetteer, MatchKind, Matcher, RawMention};
use crate::text::fold_alias;
use std::collections::{HashMap, HashSet};

/// Generational suffixes, skipped when looking for the surname: "Lloyd J. Austin III".
const SUFFIXES: &[&str] = &["jr", "jr.", "sr", "sr.", "ii", "iii", "iv"];

/// Name particles that stay with a surname: "al-Sudani", "bin Salman", "van Dijk".
const PARTICLES: &[&str] = &[
    "al", "el", "ul", "bin", "ibn", "bint", "abu", "de", "del", "della", "di", "da", "van", "von",
    "der", "le", "la", "du", "dos",
];

/// Surname forms of every person in a gazetteer, compiled into one matcher.
#[derive(Debug)]
pub struct Resolver {
    matcher: Matcher,
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
        let mut forms: Vec<(String, usize)> = Vec::new();
        for (at, entity) in gazetteer.entities().iter().enumerate() {
            if entity.kind != EntityType::Person {
                continue;
            }
            let mut own = HashSet::new();
            for name in std::iter::once(&entity.name).chain(&entity.aliases) {
                for form in surname_forms(name) {
                    if own.insert(form.clone()) {
                        forms.push((form, at));
                    }
                }
            }
        }
        let matcher = Matcher::from_aliases(
            forms
                .iter()
                .map(|(form, at)| (form.as_str(), *at, MatchKind::Surname)),
        )?;
        Ok(Resolver { matcher })
    }

    /// Add surname mentions of persons already named in `mentions`; returns all mentions
    /// in text order. A surname hit inside an existing mention is ignored, and so is a hit
    /// written all in lower case ("a miller").
    pub fn resolve(&self, text: &str, mut mentions: Vec<RawMention>) -> Vec<RawMention> {
        let named: HashSet<usize> = mentions
            .iter()
            .filter(|m| m.kind == MatchKind::Name)
            .map(|m| m.entity)
            .collect();
        if named.is_empty() {
            return mentions;
        }
        // A short form may belong to several gazetteer persons; keep it only when exactly
        // one of them is named in this document.
        let mut by_span: HashMap<(usize, usize), Vec<usize>> = HashMap::new();
        for hit in self.matcher.find_all_targets(text) {
            if named.contains(&hit.entity) {
                by_span
                    .entry((hit.start, hit.end))
                    .or_default()
                    .push(hit.entity);
            }
        }
        let mut added = Vec::new();
        for ((start, end), mut entities) in by_span {
            entities.sort_unstable();
            entities.dedup();
            let overlaps = mentions.iter().any(|m| m.start < end && start < m.end);
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
