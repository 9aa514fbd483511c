//! The tagger's features: hashed templates over a token, its neighbours, the sentence's
//! casing, the labels already chosen to its left and the gazetteer's opinion.
//!
//! Every feature is a 64-bit hash of a template number and its values, so that no string
//! is built per token (after Honnibal's "averaged perceptron" tagger and spaCy v1). The
//! hash is written out here, not taken from a crate, because the model file stores
//! weights by hash: a crate that changed its hash would silently break every model.

use crate::model::Token;
use rustc_hash::FxHashSet;

/// Word lists the features read besides the model: what is known of a word before its
/// context. Both are lower case.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Lexicon {
    /// Words news writes in lower case ("militia", "order"): a capital on one of these at
    /// the start of a sentence says little.
    pub lowercase: FxHashSet<String>,
    /// Given names: the first words of the gazetteers' people ("emily", "mohammed"), so
    /// that a name never seen in training still looks like one.
    pub given_names: FxHashSet<String>,
}

impl Lexicon {
    fn flags(&self, norm: &str) -> u64 {
        u64::from(self.lowercase.contains(norm)) | (u64::from(self.given_names.contains(norm)) << 1)
    }
}

/// FNV-1a over bytes, from a seed.
fn hash_bytes(seed: u64, bytes: &[u8]) -> u64 {
    let mut hash = seed ^ 0xcbf2_9ce4_8422_2325;
    for &byte in bytes {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    hash
}

/// Mix two hashes into one (order matters).
fn mix(a: u64, b: u64) -> u64 {
    let x = (a ^ b.rotate_left(29)).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    x ^ (x >> 31)
}

/// The case pattern of a surface: `X` upper, `x` lower, `d` digit, other characters as
/// they are, runs of one class cut to two ("Baghdad" → `Xxx`, "1987" → `dd`).
#[cfg(test)]
fn shape(surface: &str) -> String {
    let mut out = [0u8; SHAPE_BYTES];
    let len = write_shape(surface, &mut out);
    String::from_utf8_lossy(&out[..len]).into_owned()
}

/// At most 12 characters of 4 bytes.
const SHAPE_BYTES: usize = 48;

/// Write the shape of `surface` into `out` (no allocation: the tagger does this for every
/// token); returns its length in bytes.
fn write_shape(surface: &str, out: &mut [u8; SHAPE_BYTES]) -> usize {
    let mut len = 0;
    let mut last = '\0';
    let mut run = 0;
    for c in surface.chars().take(12) {
        let class = if c.is_uppercase() {
            'X'
        } else if c.is_lowercase() {
            'x'
        } else if c.is_numeric() {
            'd'
        } else {
            c
        };
        if class == last {
            run += 1;
        } else {
            run = 1;
            last = class;
        }
        if run <= 2 {
            len += class.encode_utf8(&mut out[len..]).len();
        }
    }
    len
}

/// How a sentence uses capitals: a headline capitalises most words, a wire alert
/// capitalises all letters; either makes capitals say little about names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Casing {
    Normal,
    Title,
    Upper,
}

impl Casing {
    pub fn of(text: &str, tokens: &[Token]) -> Casing {
        let (mut words, mut title, mut upper) = (0, 0, 0);
        for token in tokens {
            let surface = &text[token.start..token.end];
            let letters = surface.chars().filter(|c| c.is_alphabetic()).count();
            if letters < 4 {
                continue;
            }
            words += 1;
            if surface.chars().next().is_some_and(char::is_uppercase) {
                title += 1;
            }
            if !surface.chars().any(char::is_lowercase) {
                upper += 1;
            }
        }
        if words < 3 {
            Casing::Normal
        } else if upper * 10 >= words * 7 {
            Casing::Upper
        } else if title * 10 >= words * 7 {
            Casing::Title
        } else {
            Casing::Normal
        }
    }
}

/// What the features of one token are read from, computed once per sentence.
pub struct Sentence {
    words: Vec<u64>,
    shapes: Vec<u64>,
    prefixes: Vec<u64>,
    suffixes: Vec<u64>,
    /// The gazetteer's label of each token (0 = none), see [`gazetteer_label`].
    gazetteer: Vec<u8>,
    /// For a token in a run of capitalised words ("General Motors Corp"): the run's token
    /// range. Its last word often says what the name is (Corp, Ministry, Brigades), before
    /// a greedy tagger has reached it.
    runs: Vec<Option<(u32, u32)>>,
    casing: u64,
    /// [`Lexicon`] flags of each token.
    lexicon: Vec<u64>,
}

const NONE: u64 = 0x5555;
const START: u64 = 0x1111;
const END: u64 = 0x2222;

impl Sentence {
    pub fn new(text: &str, tokens: &[Token], gazetteer: Vec<u8>, lexicon: &Lexicon) -> Sentence {
        debug_assert_eq!(gazetteer.len(), tokens.len());
        let mut words = Vec::with_capacity(tokens.len());
        let mut shapes = Vec::with_capacity(tokens.len());
        let mut prefixes = Vec::with_capacity(tokens.len());
        let mut suffixes = Vec::with_capacity(tokens.len());
        let mut buffer = [0u8; SHAPE_BYTES];
        for token in tokens {
            let norm = token.norm.as_bytes();
            words.push(hash_bytes(1, norm));
            let len = write_shape(&text[token.start..token.end], &mut buffer);
            shapes.push(hash_bytes(2, &buffer[..len]));
            // The first and the last three characters.
            let prefix_end = token
                .norm
                .char_indices()
                .nth(3)
                .map_or(norm.len(), |(at, _)| at);
            prefixes.push(hash_bytes(3, &norm[..prefix_end]));
            let suffix_start = token
                .norm
                .char_indices()
                .rev()
                .nth(2)
                .map_or(0, |(at, _)| at);
            suffixes.push(hash_bytes(4, &norm[suffix_start..]));
        }
        let runs = capitalised_runs(text, tokens);
        Sentence {
            lexicon: tokens.iter().map(|t| lexicon.flags(&t.norm)).collect(),
            runs,
            words,
            shapes,
            prefixes,
            suffixes,
            gazetteer,
            casing: Casing::of(text, tokens) as u64,
        }
    }

    pub fn len(&self) -> usize {
        self.words.len()
    }

    pub fn is_empty(&self) -> bool {
        self.words.is_empty()
    }

    fn at(values: &[u64], i: isize) -> u64 {
        if i < 0 {
            START
        } else {
            values.get(i as usize).copied().unwrap_or(END)
        }
    }

    fn gazetteer_at(&self, i: isize) -> u64 {
        if i < 0 {
            START
        } else {
            self.gazetteer
                .get(i as usize)
                .map_or(END, |&g| u64::from(g))
        }
    }

    /// The features of token `i`, given the labels already chosen for tokens before it
    /// (`left`, one per earlier token) and, for the name tagger, the part-of-speech tags of
    /// the whole sentence (`pos`).
    pub fn features(&self, i: usize, left: &[u8], pos: Option<&[u8]>, out: &mut Vec<u64>) {
        out.clear();
        let j = i as isize;
        let word = |k: isize| Self::at(&self.words, k);
        let shape = |k: isize| Self::at(&self.shapes, k);
        let label = |k: isize| {
            if k < 0 {
                START
            } else {
                u64::from(left[k as usize])
            }
        };
        let first = u64::from(i == 0);
        let mut push = |template: u64, value: u64| out.push(mix(template, value));
        push(1, 0);
        push(2, word(j));
        push(3, word(j - 1));
        push(4, word(j + 1));
        push(5, word(j - 2));
        push(6, word(j + 2));
        push(7, shape(j));
        push(8, shape(j - 1));
        push(9, shape(j + 1));
        push(10, self.prefixes[i]);
        push(11, self.suffixes[i]);
        push(12, mix(word(j - 1), word(j)));
        push(13, mix(word(j), word(j + 1)));
        push(14, mix(shape(j), mix(self.casing, first)));
        push(15, label(j - 1));
        push(16, mix(label(j - 2), label(j - 1)));
        push(17, mix(label(j - 1), word(j)));
        push(18, mix(label(j - 1), shape(j)));
        push(19, mix(self.casing, word(j)));
        push(20, self.gazetteer_at(j));
        push(21, self.gazetteer_at(j - 1));
        push(22, self.gazetteer_at(j + 1));
        push(23, mix(self.gazetteer_at(j), shape(j)));
        push(24, mix(self.gazetteer_at(j), self.casing));
        if let Some((start, end)) = self.runs[i] {
            let (start, end) = (start as isize, end as isize);
            let place = (j - start).min(3) as u64 * 8 + (end - 1 - j).min(3) as u64;
            push(25, mix(word(end - 1), place.min(1)));
            push(26, word(start));
            push(27, word(end));
            push(28, mix(place, (end - start).min(5) as u64));
            push(29, mix(word(end - 1), word(end)));
        }
        let flags = |k: isize| Self::at(&self.lexicon, k);
        push(41, flags(j));
        push(42, flags(j - 1));
        push(43, flags(j + 1));
        push(44, mix(flags(j), mix(shape(j), mix(first, self.casing))));
        push(45, mix(flags(j), flags(j + 1)));
        if let Some(pos) = pos {
            let tag = |k: isize| {
                if k < 0 {
                    START
                } else {
                    pos.get(k as usize).map_or(END, |&t| u64::from(t))
                }
            };
            push(30, tag(j));
            push(31, tag(j - 1));
            push(32, tag(j + 1));
            push(33, mix(tag(j - 1), tag(j)));
            push(34, mix(tag(j), tag(j + 1)));
            push(35, mix(tag(j), shape(j)));
            push(36, mix(label(j - 1), tag(j)));
        } else {
            push(40, NONE);
        }
    }
}

/// The runs of capitalised words, with particles and joiners inside them ("Bank of
/// England", "Abu Alaa al-Walae", "AT&T").
fn capitalised_runs(text: &str, tokens: &[Token]) -> Vec<Option<(u32, u32)>> {
    let capital = |t: &Token| {
        text[t.start..t.end]
            .chars()
            .next()
            .is_some_and(char::is_uppercase)
    };
    let joiner = |t: &Token| {
        matches!(
            t.norm.as_ref(),
            "of" | "al"
                | "el"
                | "bin"
                | "ibn"
                | "abu"
                | "de"
                | "du"
                | "la"
                | "van"
                | "von"
                | "-"
                | "&"
                | "'s"
        )
    };
    let mut runs = vec![None; tokens.len()];
    let mut at = 0;
    while at < tokens.len() {
        if !capital(&tokens[at]) {
            at += 1;
            continue;
        }
        let start = at;
        let mut end = at + 1;
        loop {
            if end < tokens.len() && capital(&tokens[end]) {
                end += 1;
            } else if end + 1 < tokens.len()
                && joiner(&tokens[end])
                && tokens[end].norm != "'s"
                && capital(&tokens[end + 1])
            {
                end += 2;
            } else {
                break;
            }
        }
        for run in &mut runs[start..end] {
            *run = Some((start as u32, end as u32));
        }
        at = end;
    }
    runs
}

/// The gazetteer's label for a token inside a mention: the entity type (1..=5) times two,
/// plus one inside a mention after its first token; 0 outside every mention. A demonym
/// mention gets its own code, 11 and 12.
pub fn gazetteer_label(kind_code: u8, first: bool) -> u8 {
    kind_code * 2 + u8::from(!first)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::tokens::tokenize;

    #[test]
    fn shapes_cut_runs_to_two() {
        assert_eq!(shape("Baghdad"), "Xxx");
        assert_eq!(shape("1987"), "dd");
        assert_eq!(shape("al-Assad"), "xx-Xxx");
        assert_eq!(shape("ISIS"), "XX");
    }

    #[test]
    fn casing_tells_headlines_and_alerts_from_running_text() {
        for (text, casing) in [
            (
                "Rockets Hit Baghdad As Leaders Meet In Cairo",
                Casing::Title,
            ),
            ("ROCKETS HIT BAGHDAD AS LEADERS MEET", Casing::Upper),
            (
                "Rockets hit the city of Baghdad on Monday as the leaders of the region met in Cairo.",
                Casing::Normal,
            ),
            ("Hi there", Casing::Normal),
        ] {
            let tokens = tokenize(text, 0, text.len());
            assert_eq!(Casing::of(text, &tokens), casing, "{text}");
        }
    }

    #[test]
    fn features_are_the_same_for_the_same_words_and_differ_by_context() {
        let a = "Lina met Omar in Aleppo.";
        let b = "Then Lina met Omar in Aleppo.";
        let features = |text: &str, i: usize| {
            let tokens = tokenize(text, 0, text.len());
            let sentence = Sentence::new(text, &tokens, vec![0; tokens.len()], &Lexicon::default());
            let mut out = Vec::new();
            sentence.features(i, &vec![0; i], None, &mut out);
            out
        };
        let (fa, fb) = (features(a, 0), features(b, 1));
        assert_eq!(fa[1], fb[1], "the word itself");
        assert_ne!(fa, fb, "the neighbours differ");
    }
}
