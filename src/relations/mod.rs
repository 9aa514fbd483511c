//! Relations: verb and noun patterns from the rules file ([`rules`]) matched over each
//! sentence ([`pattern`]), then negation, hedging and attribution; plus same-sentence
//! co-occurrence ([`cooccur`]).
//!
//! When two matches of a sentence share an actor and one's span lies inside the other's,
//! only the longer stands: "Hamas' attack on Israel" is an attack by Hamas, not also an
//! attack on Israel by someone unnamed, and "vowed more attacks on US interests" is a
//! threat, not an attack.

pub mod cooccur;
pub mod pattern;
pub mod prefilter;
pub mod rules;

use crate::gazetteer::{EntityTable, MatchKind};
use crate::model::{DocView, Mention};
use pattern::{Bindings, Item, MentionItem, phrase_at};
pub use rules::Rules;
use std::ops::Range;

/// Confidence of a rule match that names both parties; one named party gives less.
const CONFIDENCE_BOTH: f64 = 0.9;
const CONFIDENCE_ONE: f64 = 0.7;
/// Factor for a hedged statement ("reportedly", "allegedly").
const HEDGE_FACTOR: f64 = 0.6;
/// How many items before a match a negation or hedge cue still counts ("no evidence that").
const CUE_WINDOW: usize = 3;

pub use crate::model::Relation;

/// Build the matcher's view of one sentence: words between mentions, one item per
/// mention. Returns the items and, for each item, its byte span.
fn sentence_items<'t>(
    doc: &DocView<'t>,
    sentence: usize,
    mentions: &[Mention],
    mention_indexes: &[usize],
    entities: EntityTable,
) -> (Vec<Item<'t>>, Vec<Range<usize>>) {
    let mut items = Vec::new();
    let mut spans = Vec::new();
    let tokens = doc.tokens(sentence);
    let push_words = |from: usize, to: usize, items: &mut Vec<Item<'t>>, spans: &mut Vec<_>| {
        // The sentence's tokens between two mentions; a token that runs across a mention's
        // edge (the matcher and the tokenizer disagree on a word boundary) means the stretch
        // between them is tokenised on its own, as it would be without the sentence's tokens.
        let first = tokens.partition_point(|t| t.start < from);
        let last = tokens.partition_point(|t| t.start < to);
        let straddles = (first > 0 && tokens[first - 1].end > from)
            || (last > first && tokens[last - 1].end > to);
        let own;
        let between = if straddles {
            own = crate::text::tokens::tokenize(doc.text, from, to);
            &own[..]
        } else {
            &tokens[first..last]
        };
        for token in between {
            spans.push(token.start..token.end);
            items.push(Item::Word(token.norm.clone()));
        }
    };
    let mut at = doc.sentences[sentence].start;
    for &index in mention_indexes {
        let mention = &mentions[index];
        push_words(at, mention.start, &mut items, &mut spans);
        let entity = entities.entity(mention.entity);
        items.push(Item::Mention(MentionItem {
            index,
            kind: entity.kind,
            subtype: entity.subtype.clone(),
            demonym: mention.kind == MatchKind::Demonym,
        }));
        spans.push(mention.start..mention.end);
        at = mention.end;
    }
    push_words(at, doc.sentences[sentence].end, &mut items, &mut spans);
    (items, spans)
}

fn has_cue(items: &[Item], from: usize, to: usize, cues: &rules::Phrases) -> bool {
    (from..to).any(|at| cues.0.iter().any(|cue| phrase_at(items, at, cue)))
}

/// Find the speaker a sentence is attributed to: a mention right before or after a
/// speech verb ("Miller said", "said Miller", "according to Miller").
fn reporters(items: &[Item], rules: &Rules) -> Vec<usize> {
    let mut found = Vec::new();
    for (at, item) in items.iter().enumerate() {
        let Item::Mention(mention) = item else {
            continue;
        };
        if mention.demonym {
            continue;
        }
        let after = (at + 1..(at + 3).min(items.len()))
            .take_while(|&k| matches!(&items[k], Item::Word(w) if w != "”" && w != "“"))
            .any(|k| rules.speech.0.iter().any(|cue| phrase_at(items, k, cue)));
        let before = (at.saturating_sub(2)..at).any(|k| {
            rules
                .speech_before_speaker
                .0
                .iter()
                .any(|cue| k + cue.len() == at && phrase_at(items, k, cue))
        });
        if after || before {
            found.push(mention.index);
        }
    }
    found
}

/// The mentions coordinated with the mention at item `at`: leftwards for a subject
/// ("Hamas and Hezbollah attacked"), rightwards for an object ("attacked Israel and
/// Lebanon"). A list joined by commas counts only if its last link is a coordinator
/// ("Hamas, Hezbollah and the Houthis"), and only if it is a whole phrase: nothing but
/// punctuation or a determiner before a subject list ("Iran condemned Israel and Hamas
/// attacked" gives Hamas alone), nothing but punctuation, a preposition or a determiner
/// after an object list ("attacked Israel and Hezbollah fired back" gives Israel alone).
fn conjuncts(items: &[Item], at: usize, leftwards: bool, context: &pattern::Context) -> Vec<usize> {
    let word = |k: usize| {
        items.get(k).and_then(|i| match i {
            Item::Word(w) => Some(w.as_ref()),
            Item::Mention(_) => None,
        })
    };
    let mention = |k: usize| match items.get(k) {
        Some(Item::Mention(m)) if !m.demonym => Some(m.index),
        _ => None,
    };
    let link = |w: Option<&str>| w.is_some_and(|w| w == "," || context.coordinators.contains(w));
    let mut found = Vec::new();
    let mut joined = false;
    let mut edge = at;
    if leftwards {
        // Walk left over "X , Y and (the) <at>".
        let mut k = at;
        loop {
            let mut j = k;
            if j >= 1 && word(j - 1) == Some("the") {
                j -= 1;
            }
            if j < 2 || !link(word(j - 1)) {
                break;
            }
            let coordinator = context.coordinators.contains(word(j - 1).unwrap_or(""));
            let mut p = j - 2;
            // The serial comma: "Hamas, Hezbollah, and the Houthis".
            if coordinator && p >= 1 && word(p) == Some(",") {
                p -= 1;
            }
            let Some(m) = mention(p) else { break };
            joined |= coordinator;
            found.push(m);
            k = p;
        }
        if k >= 1 && word(k - 1) == Some("the") {
            k -= 1;
        }
        edge = k;
        let before = edge.checked_sub(1).and_then(word);
        let opens = edge == 0
            || before.is_some_and(|w| {
                !w.chars().any(char::is_alphanumeric)
                    || context.determiners.contains(w)
                    || w == "both"
            });
        if !opens {
            return Vec::new();
        }
    } else {
        let mut k = at;
        loop {
            if !link(word(k + 1)) {
                break;
            }
            let mut j = k + 2;
            if word(k + 1) == Some(",") && word(j).is_some_and(|w| context.coordinators.contains(w))
            {
                j += 1;
            }
            if word(j) == Some("the") {
                j += 1;
            }
            let Some(m) = mention(j) else { break };
            joined |= (k + 1..j).any(|x| word(x).is_some_and(|w| context.coordinators.contains(w)));
            found.push(m);
            k = j;
        }
        edge = edge.max(k);
        let closes = word(edge + 1).is_none_or(|w| {
            !w.chars().any(char::is_alphanumeric)
                || context.prepositions.contains(w)
                || context.determiners.contains(w)
        }) && !matches!(items.get(edge + 1), Some(Item::Mention(_)));
        if !closes {
            return Vec::new();
        }
    }
    if joined { found } else { Vec::new() }
}

/// Apply every rule to every sentence of a document.
pub fn extract(
    doc: &DocView,
    mentions: &[Mention],
    entities: EntityTable,
    rules: &Rules,
) -> Vec<Relation> {
    let (text, sentences) = (doc.text, doc.sentences);
    let mut relations = Vec::new();
    let mut by_sentence: Vec<Vec<usize>> = vec![Vec::new(); sentences.len()];
    for (index, mention) in mentions.iter().enumerate() {
        by_sentence[mention.sentence].push(index);
    }
    for (sentence_index, in_sentence) in by_sentence.iter().enumerate() {
        if in_sentence.is_empty() {
            continue;
        }
        let (items, spans) = sentence_items(doc, sentence_index, mentions, in_sentence, entities);
        let found = match_rules(&items, mentions, rules);
        let speakers = reporters(&items, rules);
        let sentence = SentenceMatches {
            index: sentence_index,
            text,
            items: &items,
            spans: &spans,
            mentions,
            speakers: &speakers,
            rules,
        };
        relations.extend(sentence.relations(&found));
    }
    relations
}

/// Every match of every rule that may match the sentence, as (rule index, bindings);
/// a match that binds one actor in both slots is left out.
fn match_rules(items: &[Item], mentions: &[Mention], rules: &Rules) -> Vec<(usize, Bindings)> {
    let mut found: Vec<(usize, Bindings)> = Vec::new();
    for rule_index in rules.prefilter.candidates(items) {
        let rule = &rules.rules[rule_index];
        for at in 0..items.len() {
            if !rule.pattern.can_start(&items[at]) {
                continue;
            }
            if let Some(b) = rule.pattern.match_at(items, at, &rules.context) {
                let same_actor = matches!((b.source, b.target),
                    (Some(s), Some(t)) if mentions[s].entity == mentions[t].entity);
                if !same_actor {
                    found.push((rule_index, b));
                }
            }
        }
    }
    found
}

/// One sentence's items with what turning its matches into relations needs.
struct SentenceMatches<'a, 't> {
    index: usize,
    text: &'a str,
    items: &'a [Item<'t>],
    spans: &'a [Range<usize>],
    mentions: &'a [Mention],
    /// Mentions that report the sentence (see [`reporters`]).
    speakers: &'a [usize],
    rules: &'a Rules,
}

impl SentenceMatches<'_, '_> {
    /// The relations of the sentence's matches. A match inside a longer one that shares
    /// an actor with it is the longer match's fragment, so it adds nothing.
    fn relations(&self, found: &[(usize, Bindings)]) -> Vec<Relation> {
        let shares_actor = |a: &Bindings, b: &Bindings| {
            (a.source.is_some() && (a.source == b.source || a.source == b.target))
                || (a.target.is_some() && (a.target == b.target || a.target == b.source))
        };
        let inside = |inner: &Bindings, outer: &Bindings| {
            outer.start <= inner.start
                && inner.end <= outer.end
                && (outer.end - outer.start) > (inner.end - inner.start)
        };
        let mut kept: Vec<Relation> = Vec::new();
        for (rule_index, b) in found {
            let swallowed = found
                .iter()
                .any(|(_, other)| inside(b, other) && shares_actor(b, other));
            if swallowed {
                continue;
            }
            let rule = &self.rules.rules[*rule_index];
            let relation = self.relation(rule, b);
            self.keep_with_conjuncts(rule, b, &relation, &mut kept);
        }
        kept
    }

    /// The entity a mention refers to.
    fn party(&self, m: Option<usize>) -> Option<usize> {
        m.map(|m| self.mentions[m].entity)
    }

    /// The relation one match of `rule` states, with its cues, confidence, role and
    /// reporter.
    fn relation(&self, rule: &rules::Rule, b: &Bindings) -> Relation {
        let (items, rules) = (self.items, self.rules);
        let window = b.start.saturating_sub(CUE_WINDOW);
        let negated = rule.negatable && has_cue(items, window, b.end, &rules.negation);
        let hedged = has_cue(items, window, b.end, &rules.hedge);
        let mut confidence = if b.source.is_some() && b.target.is_some() {
            CONFIDENCE_BOTH
        } else {
            CONFIDENCE_ONE
        };
        if hedged {
            confidence *= HEDGE_FACTOR;
        }
        let role = b.role.map(|(from, to)| {
            self.text[self.spans[from].start..self.spans[to - 1].end]
                .to_lowercase()
                .replace(" - ", "-")
        });
        let reporter = self.speakers.iter().copied().find(|&s| {
            let entity = Some(self.mentions[s].entity);
            entity != self.party(b.source) && entity != self.party(b.target)
        });
        Relation {
            sentence: self.index,
            relation: rule.relation,
            source: b.source,
            target: b.target,
            negated,
            hedged,
            rule: format!("{}: {}", rule.relation, rule.source),
            confidence: (confidence * 100.0).round() / 100.0,
            role,
            reporter,
        }
    }

    /// Add `relation` to `kept`, and the same relation for every actor coordinated with
    /// its source or target ("X and Y attacked Z"); a state is not shared this way.
    /// Relations that repeat a kept one between the same entities are left out.
    fn keep_with_conjuncts(
        &self,
        rule: &rules::Rule,
        b: &Bindings,
        relation: &Relation,
        kept: &mut Vec<Relation>,
    ) {
        let (items, rules) = (self.items, self.rules);
        let party = |m: Option<usize>| self.party(m);
        let mut sources = vec![b.source];
        let mut targets = vec![b.target];
        if !rule.relation.is_state() {
            let position = |m: usize| {
                items
                    .iter()
                    .position(|i| matches!(i, Item::Mention(x) if x.index == m))
            };
            let coordinated = |m: Option<usize>, leftwards: bool| {
                m.and_then(position)
                    .map(|at| conjuncts(items, at, leftwards, &rules.context))
                    .unwrap_or_default()
            };
            sources.extend(coordinated(b.source, true).into_iter().map(Some));
            targets.extend(coordinated(b.target, false).into_iter().map(Some));
        }
        for &source in &sources {
            for &target in &targets {
                if source.is_some() && party(source) == party(target) {
                    continue;
                }
                let relation = Relation {
                    source,
                    target,
                    ..relation.clone()
                };
                let duplicate = kept.iter().any(|k| {
                    k.relation == relation.relation
                        && party(k.source) == party(relation.source)
                        && party(k.target) == party(relation.target)
                        && k.negated == relation.negated
                });
                if !duplicate {
                    kept.push(relation);
                }
            }
        }
    }
}
