//! Same-sentence co-occurrence: one `co_occurs` relation per pair of distinct actors in a
//! sentence, source and target in id order so the pair has one direction.

use crate::gazetteer::EntityTable;
use crate::model::Mention;

/// At most this many distinct actors of a sentence form pairs (the first ones in text
/// order), so a list of a thousand names costs at most 435 pairs, not half a million.
pub const MAX_ACTORS_PER_SENTENCE: usize = 30;

/// Pairs `(first mention, second mention)` of each sentence, with the mention of the
/// smaller entity id first. Each entity is represented by its first mention in the sentence.
pub fn pairs(mentions: &[Mention], entities: EntityTable) -> Vec<(usize, usize, usize)> {
    let mut out = Vec::new();
    let mut start = 0;
    while start < mentions.len() {
        let sentence = mentions[start].sentence;
        let end = mentions[start..]
            .iter()
            .position(|m| m.sentence != sentence)
            .map_or(mentions.len(), |k| start + k);
        let mut firsts: Vec<usize> = Vec::new();
        for index in start..end {
            let entity = mentions[index].entity;
            if firsts.len() < MAX_ACTORS_PER_SENTENCE
                && !firsts.iter().any(|&f| mentions[f].entity == entity)
            {
                firsts.push(index);
            }
        }
        for (k, &a) in firsts.iter().enumerate() {
            for &b in &firsts[k + 1..] {
                let (ia, ib) = (
                    &entities.entity(mentions[a].entity).id,
                    &entities.entity(mentions[b].entity).id,
                );
                let (first, second) = if ia <= ib { (a, b) } else { (b, a) };
                out.push((sentence, first, second));
            }
        }
        start = end;
    }
    out
}
