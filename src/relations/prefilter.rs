//! Which rules can match a sentence at all. Every rule needs some words (its verb, its
//! noun, a fixed preposition) and a number of mentions; an index from each such word to
//! the rules that need it finds, in one pass over the sentence's words, the few rules
//! worth trying. Most sentences of news have no attack, threat or condemnation verb, and
//! no rule is tried in them.

use super::pattern::{Item, Pattern};
use rustc_hash::FxHashMap;

#[derive(Debug, Clone, Default)]
pub struct Prefilter {
    /// Word → (rule, anchor) pairs whose anchor set holds the word.
    by_word: FxHashMap<String, Vec<(usize, usize)>>,
    /// Per rule: how many anchor sets it has, and how many mentions it binds.
    needs: Vec<(usize, usize)>,
}

impl Prefilter {
    pub fn new<'a>(patterns: impl IntoIterator<Item = &'a Pattern>) -> Self {
        let mut prefilter = Prefilter::default();
        for (rule, pattern) in patterns.into_iter().enumerate() {
            for (anchor, words) in pattern.anchors().iter().enumerate() {
                for word in words {
                    prefilter
                        .by_word
                        .entry(word.clone())
                        .or_default()
                        .push((rule, anchor));
                }
            }
            prefilter
                .needs
                .push((pattern.anchors().len(), pattern.slots()));
        }
        prefilter
    }

    /// Indexes, in ascending order, of the rules that may match a sentence of these items.
    pub fn candidates(&self, items: &[Item]) -> Vec<usize> {
        let mentions = items
            .iter()
            .filter(|i| matches!(i, Item::Mention(_)))
            .count();
        // Bit k of seen[rule]: the sentence has a word of the rule's anchor set k. Rules
        // with more than 64 anchor sets only count their first 64.
        let mut seen = vec![0u64; self.needs.len()];
        for item in items {
            if let Item::Word(word) = item
                && let Some(hits) = self.by_word.get(word.as_ref())
            {
                for &(rule, anchor) in hits {
                    if anchor < 64 {
                        seen[rule] |= 1 << anchor;
                    }
                }
            }
        }
        self.needs
            .iter()
            .enumerate()
            .filter(|&(rule, &(anchors, slots))| {
                let all = if anchors >= 64 {
                    u64::MAX
                } else {
                    (1u64 << anchors) - 1
                };
                slots <= mentions && seen[rule] == all
            })
            .map(|(rule, _)| rule)
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::relations::Rules;
    use std::path::Path;

    fn words(sentence: &str) -> Vec<Item<'_>> {
        sentence
            .split(' ')
            .map(|w| match w {
                "X" | "Y" => Item::Mention(crate::relations::pattern::MentionItem {
                    index: 0,
                    kind: crate::gazetteer::EntityType::ArmedGroup,
                    subtype: None,
                    demonym: false,
                }),
                w => Item::Word(w.into()),
            })
            .collect()
    }

    #[test]
    fn only_rules_whose_words_and_mentions_are_present_are_candidates() {
        let rules = Rules::parse(
            Path::new("test.toml"),
            r#"
[[relation]]
type = "attacked"
verbs.hit = ["attack"]
patterns = ["{src} ~ <hit> {tgt}"]

[[relation]]
type = "condemned"
verbs.condemn = ["condemn"]
patterns = ["{src} ~ <condemn> {tgt}", "{src} <condemn>"]
"#,
        )
        .unwrap();
        let prefilter = Prefilter::new(rules.rules.iter().map(|r| &r.pattern));
        assert_eq!(prefilter.candidates(&words("X attacked Y")), vec![0]);
        assert_eq!(prefilter.candidates(&words("X condemned Y")), vec![1, 2]);
        assert_eq!(prefilter.candidates(&words("X condemned it")), vec![2]);
        assert!(prefilter.candidates(&words("X met Y")).is_empty());
        assert!(prefilter.candidates(&words("they attacked Y")).is_empty());
    }
}
