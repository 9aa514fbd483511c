//! The token-pattern matcher behind the relation rules. A sentence is a sequence of
//! items: words (normalised tokens) and mentions (one item per gazetteer mention). A
//! pattern is a sequence of elements matched by backtracking with lazy gaps, so a
//! pattern finds the nearest filler for each slot. Work per sentence is bounded by
//! the sentence length cap, the gap sizes and the pattern lengths.

use super::rules::Phrases;
use crate::gazetteer::EntityType;
use std::borrow::Cow;

/// A set of words looked up for every token: hashed with FxHash, which is several times
/// faster than the default SipHash on short keys (no untrusted keys reach it).
pub type WordSet = rustc_hash::FxHashSet<String>;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Slot {
    Source,
    Target,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Repeat {
    One,
    Optional,
    Any,
}

/// Which mentions may fill a slot: `person`, `!person`, `place/city`, `place/!country`,
/// `+demonym`, comma-separated.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TypeFilter {
    allow: Vec<(EntityType, Option<(bool, String)>)>,
    deny: Vec<EntityType>,
    demonym: bool,
}

impl TypeFilter {
    pub fn parse(text: &str) -> Result<Self, String> {
        let mut filter = TypeFilter::default();
        for part in text.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            if part == "+demonym" {
                filter.demonym = true;
                continue;
            }
            let (negated, body) = match part.strip_prefix('!') {
                Some(body) => (true, body),
                None => (false, part),
            };
            let (kind, subtype) = match body.split_once('/') {
                Some((kind, sub)) => (kind, Some(sub)),
                None => (body, None),
            };
            let kind = EntityType::parse(kind)
                .ok_or_else(|| format!("unknown entity type {kind:?} in slot filter"))?;
            if negated {
                if subtype.is_some() {
                    return Err(format!("{part:?}: write !type or type/!subtype"));
                }
                filter.deny.push(kind);
            } else {
                let subtype = subtype.map(|s| match s.strip_prefix('!') {
                    Some(s) => (false, s.to_string()),
                    None => (true, s.to_string()),
                });
                filter.allow.push((kind, subtype));
            }
        }
        Ok(filter)
    }

    fn accepts(&self, mention: &MentionItem) -> bool {
        if mention.demonym && !self.demonym {
            return false;
        }
        if self.deny.contains(&mention.kind) {
            return false;
        }
        self.allow.is_empty()
            || self.allow.iter().any(|(kind, subtype)| {
                *kind == mention.kind
                    && subtype.as_ref().is_none_or(|(wanted, sub)| {
                        (mention.subtype.as_deref() == Some(sub.as_str())) == *wanted
                    })
            })
    }
}

#[derive(Debug, Clone)]
pub enum Elem {
    Slot {
        slot: Slot,
        filter: TypeFilter,
    },
    Words {
        phrases: Phrases,
        repeat: Repeat,
        /// The matched words are the role of a member_of relation.
        role: bool,
        /// The words are verb forms: they cannot follow a determiner ("more attacks" is
        /// a noun), and the pattern describes a clause with a subject.
        verb: bool,
        /// For a verb's full set of forms (an active reading): its past participles,
        /// which after a form of "be" are passive ("was attacked by"), not active.
        participles: Vec<Vec<String>>,
    },
    Gap(usize),
}

#[derive(Debug, Clone)]
pub struct Pattern {
    elems: Vec<Elem>,
    /// For each element: what follows it, which limits what a gap there may hold.
    next: Vec<Next>,
    /// Whether the pattern has a verb, i.e. describes a clause.
    clause: bool,
    /// For each element: whether a gap or slot follows it (a verb there takes an object).
    object_follows: Vec<bool>,
    /// See [`Pattern::anchors`].
    anchors: Vec<WordSet>,
    /// Whether `anchors[0]` holds the words the first element can start with.
    first_is_anchor: bool,
    slots: usize,
}

/// A mention as the matcher sees it.
#[derive(Debug, Clone)]
pub struct MentionItem {
    /// Index of the mention in the document's mention list.
    pub index: usize,
    pub kind: EntityType,
    pub subtype: Option<String>,
    pub demonym: bool,
}

#[derive(Debug, Clone)]
pub enum Item<'t> {
    /// A token's normal form, borrowed from the text where it can be.
    Word(Cow<'t, str>),
    Mention(MentionItem),
}

impl Item<'_> {
    fn word(&self) -> Option<&str> {
        match self {
            Item::Word(w) => Some(w),
            Item::Mention(_) => None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Next {
    Slot,
    Verb,
    Other,
}

/// Word lists the matcher consults besides the pattern itself.
#[derive(Debug, Clone, Default)]
pub struct Context {
    /// A slot opening a verb pattern is a subject, never a prepositional object.
    pub prepositions: WordSet,
    /// A verb form right after one of these is a noun ("more attacks", "Hamas' attack").
    pub determiners: WordSet,
    /// Words a gap that leads to an actor may not hold ("threatened to go into Syria"
    /// does not threaten Syria); "of", "from" and "in" stay passable: "by fighters from
    /// X", "by officials in X".
    pub actor_gap_stops: WordSet,
    /// Forms of "be" (and "get") that make a following participle passive.
    pub passive_auxiliaries: WordSet,
    /// Words a gap before a verb may not hold: between a subject and its verb there are
    /// adverbs and auxiliaries, not articles or a new clause ("Hezbollah praised the
    /// drone attack" has no subject for "attack").
    pub subject_gap_stops: WordSet,
    /// First words of an insertion between commas that a subject gap skips whole: "Hamas,
    /// the Palestinian group, attacked", "Hezbollah, which Iran funds, attacked".
    pub parenthetical_openers: WordSet,
    /// Words that join coordinated actors: "Hamas and Hezbollah attacked Israel".
    pub coordinators: WordSet,
}

/// The longest insertion a subject gap skips, in items, commas included.
const MAX_PARENTHETICAL: usize = 14;

impl Context {
    /// If `at` opens an insertion ", which ... ," (see `parenthetical_openers`), the item
    /// after its closing comma.
    fn skip_parenthetical(&self, items: &[Item], at: usize) -> Option<usize> {
        if items.get(at)?.word()? != ","
            || !self
                .parenthetical_openers
                .contains(items.get(at + 1)?.word()?)
        {
            return None;
        }
        let limit = (at + MAX_PARENTHETICAL).min(items.len());
        (at + 2..limit)
            .take_while(|&k| !items[k].word().is_some_and(blocks_gap))
            .find(|&k| items[k].word() == Some(","))
            .map(|close| close + 1)
    }
}

/// What a successful match bound.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Bindings {
    pub source: Option<usize>,
    pub target: Option<usize>,
    /// Item range of the role words.
    pub role: Option<(usize, usize)>,
    /// Item range of the whole match.
    pub start: usize,
    pub end: usize,
}

/// Tokens a gap may not cross: clause and quotation boundaries.
fn blocks_gap(word: &str) -> bool {
    matches!(
        word,
        ";" | ":" | "“" | "”" | "\"" | "(" | ")" | "[" | "]" | "‘" | "«" | "»"
    )
}

/// Whether `phrase` matches the words starting at `at`.
pub(super) fn phrase_at(items: &[Item], at: usize, phrase: &[String]) -> bool {
    phrase.len() <= items.len().saturating_sub(at)
        && phrase.iter().enumerate().all(|(k, want)| {
            items[at + k].word().is_some_and(|got| {
                got == want
                    || (want == "'s" && got == "'")
                    || (want == "n't" && got.ends_with("n't"))
            })
        })
}

impl Pattern {
    pub fn new(elems: Vec<Elem>) -> Self {
        let clause = elems
            .iter()
            .any(|e| matches!(e, Elem::Words { verb: true, .. }));
        let next = (0..elems.len())
            .map(|at| match elems.get(at + 1) {
                Some(Elem::Slot { .. }) => Next::Slot,
                Some(Elem::Words { verb: true, .. }) => Next::Verb,
                _ => Next::Other,
            })
            .collect();
        let object_follows = (0..elems.len())
            .map(|at| matches!(elems.get(at + 1), Some(Elem::Slot { .. } | Elem::Gap(_))))
            .collect();
        let anchor = |elem: &Elem| match elem {
            Elem::Words {
                phrases,
                repeat: Repeat::One,
                ..
            } => {
                let mut firsts = WordSet::default();
                for phrase in &phrases.0 {
                    let first = phrase[0].as_str();
                    // phrase_at lets "n't" match the end of any word, so it cannot anchor.
                    if first == "n't" {
                        return None;
                    }
                    if first == "'s" {
                        firsts.insert("'".to_string());
                    }
                    firsts.insert(first.to_string());
                }
                Some(firsts)
            }
            _ => None,
        };
        let first_is_anchor = elems.first().and_then(anchor).is_some();
        let anchors = elems.iter().filter_map(anchor).collect();
        let slots = elems
            .iter()
            .filter(|e| matches!(e, Elem::Slot { .. }))
            .count();
        Pattern {
            elems,
            next,
            clause,
            object_follows,
            anchors,
            first_is_anchor,
            slots,
        }
    }

    /// For each word element the pattern must match exactly once, the words its phrases
    /// start with: a sentence without one of each set's words cannot match, which lets
    /// [`crate::relations::extract`] skip most rules in most sentences without trying them.
    pub fn anchors(&self) -> &[WordSet] {
        &self.anchors
    }

    /// How many mentions a match binds.
    pub fn slots(&self) -> usize {
        self.slots
    }

    /// Whether a match can start at this item: a pattern that opens with a slot starts at
    /// a mention, one that opens with required words at one of their first words.
    pub fn can_start(&self, item: &Item) -> bool {
        match (self.elems.first(), item) {
            (Some(Elem::Slot { .. }), item) => matches!(item, Item::Mention(_)),
            (_, Item::Word(word)) if self.first_is_anchor => {
                self.anchors[0].contains(word.as_ref())
            }
            (_, Item::Mention(_)) if self.first_is_anchor => false,
            _ => true,
        }
    }

    /// Try the pattern at item `at`. In a verb pattern, a slot that opens the pattern is
    /// the subject: it may not be the object of a preceding preposition ("the militias
    /// in Iraq threaten ..." does not make Iraq the one who threatens).
    pub fn match_at(&self, items: &[Item], at: usize, context: &Context) -> Option<Bindings> {
        if self.clause
            && matches!(self.elems.first(), Some(Elem::Slot { .. }))
            && at > 0
            && items[at - 1]
                .word()
                .is_some_and(|w| context.prepositions.contains(w))
        {
            return None;
        }
        let mut bindings = Bindings {
            start: at,
            ..Bindings::default()
        };
        let end = self.go(0, at, items, context, &mut bindings)?;
        bindings.end = end;
        Some(bindings)
    }

    fn go(
        &self,
        elem: usize,
        at: usize,
        items: &[Item],
        context: &Context,
        b: &mut Bindings,
    ) -> Option<usize> {
        let Some(current) = self.elems.get(elem) else {
            return Some(at);
        };
        match current {
            Elem::Slot { .. } => self.go_slot(elem, at, items, context, b),
            Elem::Gap(_) => self.go_gap(elem, at, items, context, b),
            Elem::Words { .. } => self.go_words(elem, at, items, context, b),
        }
    }

    /// [`Pattern::go`] at a slot element: bind the mention at `at`, if the slot accepts it.
    fn go_slot(
        &self,
        elem: usize,
        at: usize,
        items: &[Item],
        context: &Context,
        b: &mut Bindings,
    ) -> Option<usize> {
        let Elem::Slot { slot, filter } = &self.elems[elem] else {
            unreachable!("go_slot is only called at a slot element");
        };
        let Some(Item::Mention(mention)) = items.get(at) else {
            return None;
        };
        if !filter.accepts(mention) {
            return None;
        }
        // "the Iranian Revolutionary Guards": a demonym before a name modifies it.
        if mention.demonym
            && matches!(items.get(at + 1), Some(Item::Mention(next)) if !next.demonym)
        {
            return None;
        }
        let cell = match slot {
            Slot::Source => &mut b.source,
            Slot::Target => &mut b.target,
        };
        let saved = cell.replace(mention.index);
        let result = self.go(elem + 1, at + 1, items, context, b);
        if result.is_none() {
            match slot {
                Slot::Source => b.source = saved,
                Slot::Target => b.target = saved,
            }
        }
        result
    }

    /// [`Pattern::go`] at a gap element: skip up to its size of passable items.
    fn go_gap(
        &self,
        elem: usize,
        at: usize,
        items: &[Item],
        context: &Context,
        b: &mut Bindings,
    ) -> Option<usize> {
        let Elem::Gap(size) = &self.elems[elem] else {
            unreachable!("go_gap is only called at a gap element");
        };
        if self.next[elem] == Next::Verb
            && let Some(after) = context.skip_parenthetical(items, at)
        {
            return self.go(elem, after, items, context, b);
        }
        // "The commander of X, Abu Alaa al-Walae, did not claim": the comma that
        // closes an apposition does not end the subject.
        let closes_apposition = at >= 2
            && matches!(items[at - 1], Item::Mention(_))
            && items[at - 2].word() == Some(",");
        for width in 0..=*size {
            if width > 0 {
                let skipped = items.get(at + width - 1)?;
                let passable = match skipped {
                    Item::Word(w) if width == 1 && w == "," && closes_apposition => true,
                    Item::Word(w) => {
                        let stops = match self.next[elem] {
                            Next::Slot => context.actor_gap_stops.contains(w.as_ref()),
                            Next::Verb => context.subject_gap_stops.contains(w.as_ref()),
                            Next::Other => false,
                        };
                        !blocks_gap(w) && !stops
                    }
                    Item::Mention(m) => m.demonym,
                };
                if !passable {
                    return None;
                }
            }
            if let Some(end) = self.go(elem + 1, at + width, items, context, b) {
                return Some(end);
            }
        }
        None
    }

    /// [`Pattern::go`] at a word element: match one of its phrases (or, when it repeats,
    /// any number of them).
    fn go_words(
        &self,
        elem: usize,
        at: usize,
        items: &[Item],
        context: &Context,
        b: &mut Bindings,
    ) -> Option<usize> {
        let Elem::Words {
            phrases,
            repeat,
            role,
            verb,
            participles,
        } = &self.elems[elem]
        else {
            unreachable!("go_words is only called at a word element");
        };
        let before = |back: usize| at.checked_sub(back).and_then(|k| items[k].word());
        let after_determiner = before(1).is_some_and(|w| context.determiners.contains(w));
        // "was attacked", "were reportedly attacked", "civilians killed by":
        // passive, not active.
        let after_auxiliary = before(1).is_some_and(|w| context.passive_auxiliaries.contains(w))
            || (before(1).is_some_and(|w| w.ends_with("ly"))
                && before(2).is_some_and(|w| context.passive_auxiliaries.contains(w)));
        // "soldiers killed by ...", and "soldiers killed in Ukraine": a participle
        // followed by a preposition where the verb needs an object is passive.
        let object_follows = self.object_follows[elem];
        let passive = |phrase: &Vec<String>| {
            participles.contains(phrase)
                && (after_auxiliary
                    || items
                        .get(at + phrase.len())
                        .and_then(Item::word)
                        .is_some_and(|w| {
                            w == "by" || (object_follows && context.prepositions.contains(w))
                        }))
        };
        for phrase in &phrases.0 {
            if *verb && after_determiner {
                break;
            }
            if passive(phrase) {
                continue;
            }
            if !phrase_at(items, at, phrase) {
                continue;
            }
            let next_elem = if *repeat == Repeat::Any {
                elem
            } else {
                elem + 1
            };
            let saved = b.role;
            if *role {
                b.role = Some((at, at + phrase.len()));
            }
            if let Some(end) = self.go(next_elem, at + phrase.len(), items, context, b) {
                return Some(end);
            }
            b.role = saved;
        }
        if *repeat != Repeat::One {
            return self.go(elem + 1, at, items, context, b);
        }
        None
    }
}
