//! The tagger: part-of-speech tags and typed name spans for the tokens of a sentence,
//! from two averaged perceptrons over hashed features ([`features`], [`perceptron`]),
//! decoded greedily left to right. The name tagger reads the part-of-speech tags and the
//! gazetteer's matches as features, so it learns when a listed name is a name and finds
//! the names no gazetteer lists.
//!
//! The model ships as `gazetteers/tagger.bin` ([`Tagger::from_bytes`] describes the
//! format) and is trained by `newsgraph tagger train` (`docs/model.md`).
//!
//! ```
//! use newsgraph::analyze::Analyzer;
//! use newsgraph::tagger::NameType;
//! use newsgraph::text::tokens::tokenize;
//!
//! // The analysis loads the model with the word lists its features read.
//! let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("gazetteers");
//! let analyzer = Analyzer::load(&[dir]).unwrap();
//! let tagger = analyzer.tagger.as_ref().unwrap();
//! let text = "Lina Haddad met Peter Novak in Aleppo on Monday.";
//! let tokens = tokenize(text, 0, text.len());
//! let tags = tagger.tag(text, &tokens, vec![0; tokens.len()]);
//! let names: Vec<(&str, NameType)> = tags
//!     .names(&tokens)
//!     .map(|n| (&text[n.start..n.end], n.kind))
//!     .collect();
//! assert!(names.contains(&("Lina Haddad", NameType::Person)));
//! assert!(names.contains(&("Peter Novak", NameType::Person)));
//! assert_eq!(tags.pos_tag(2), "VERB");
//! ```
//! ```

pub mod features;
pub mod perceptron;
pub mod train;

use crate::error::{Error, Result};
use crate::model::Token;
use features::{Lexicon, Sentence};
use perceptron::{Weights, best};
use std::ops::Range;
use std::path::Path;

/// Universal part-of-speech tags, in the model's order.
pub const POS_TAGS: [&str; 17] = [
    "ADJ", "ADP", "ADV", "AUX", "CCONJ", "DET", "INTJ", "NOUN", "NUM", "PART", "PRON", "PROPN",
    "PUNCT", "SCONJ", "SYM", "VERB", "X",
];

/// The kinds of name the tagger finds (OntoNotes' PERSON, ORG, GPE, LOC, FAC, NORP).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum NameType {
    Person,
    Organization,
    /// A country, city or state: a place with a government.
    Place,
    /// A place without one: a region, river, mountain range.
    Location,
    /// A building, airport, road, bridge.
    Facility,
    /// A nationality, religious or political group ("Iraqi", "Shiite").
    Group,
}

impl NameType {
    pub const ALL: [NameType; 6] = [
        NameType::Person,
        NameType::Organization,
        NameType::Place,
        NameType::Location,
        NameType::Facility,
        NameType::Group,
    ];

    /// The OntoNotes label, as spaCy writes it.
    pub fn label(self) -> &'static str {
        match self {
            NameType::Person => "PERSON",
            NameType::Organization => "ORG",
            NameType::Place => "GPE",
            NameType::Location => "LOC",
            NameType::Facility => "FAC",
            NameType::Group => "NORP",
        }
    }

    pub fn from_label(label: &str) -> Option<NameType> {
        Self::ALL.into_iter().find(|t| t.label() == label)
    }
}

/// Name labels: 0 outside a name, then for each [`NameType`] in order, the first token of
/// a name (`B`) and a token inside it (`I`).
pub const NAME_LABELS: usize = 1 + 2 * NameType::ALL.len();

fn name_begin(kind: NameType) -> u8 {
    1 + 2 * NameType::ALL.iter().position(|&t| t == kind).unwrap_or(0) as u8
}

fn name_of_label(label: u8) -> Option<(NameType, bool)> {
    let k = label.checked_sub(1)?;
    Some((NameType::ALL[usize::from(k / 2)], k % 2 == 0))
}

/// Whether name label `label` may follow `previous`: `I` only continues its own type.
fn name_follows(previous: u8, label: u8) -> bool {
    match name_of_label(label) {
        Some((kind, false)) => name_of_label(previous).is_some_and(|(p, _)| p == kind),
        _ => true,
    }
}

/// The tags of one sentence, one per token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SentenceTags {
    /// Index into [`POS_TAGS`].
    pub pos: Vec<u8>,
    /// Name labels ([`NAME_LABELS`]).
    pub names: Vec<u8>,
}

/// A name the tagger found: a token range of its sentence and the byte span it covers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NameSpan {
    pub tokens: Range<usize>,
    pub start: usize,
    pub end: usize,
    pub kind: NameType,
}

impl SentenceTags {
    pub fn pos_tag(&self, token: usize) -> &'static str {
        POS_TAGS[usize::from(self.pos[token])]
    }

    /// The names, in order.
    pub fn names<'a>(&'a self, tokens: &'a [Token]) -> impl Iterator<Item = NameSpan> + 'a {
        self.name_ranges().map(|(range, kind)| NameSpan {
            start: tokens[range.start].start,
            end: tokens[range.end - 1].end,
            tokens: range,
            kind,
        })
    }

    /// The names as token ranges, in order.
    pub fn name_ranges(&self) -> impl Iterator<Item = (Range<usize>, NameType)> + '_ {
        let mut at = 0;
        std::iter::from_fn(move || {
            while at < self.names.len() {
                let Some((kind, _)) = name_of_label(self.names[at]) else {
                    at += 1;
                    continue;
                };
                let start = at;
                at += 1;
                while at < self.names.len() && name_of_label(self.names[at]) == Some((kind, false))
                {
                    at += 1;
                }
                return Some((start..at, kind));
            }
            None
        })
    }
}

/// The two trained models, and the word lists their features read.
#[derive(Debug, Clone, PartialEq)]
pub struct Tagger {
    pub pos: Weights,
    pub names: Weights,
    /// Not part of the model file: the analysis gives it from the gazetteer folder
    /// ([`crate::analyze::Analyzer::load`]), and training must use the same lists.
    pub lexicon: Lexicon,
}

/// The model's file name in a gazetteer folder.
pub const MODEL_FILE: &str = "tagger.bin";

/// The model file's first bytes, and its format version.
const MAGIC: &[u8; 8] = b"NGTAGGER";
pub const FORMAT_VERSION: u32 = 2;

impl Tagger {
    /// Tag one sentence. `gazetteer` holds each token's gazetteer label
    /// ([`features::gazetteer_label`], 0 outside every match).
    pub fn tag(&self, text: &str, tokens: &[Token], gazetteer: Vec<u8>) -> SentenceTags {
        self.tag_sentence(&Sentence::new(text, tokens, gazetteer, &self.lexicon))
    }

    /// Tag a sentence whose features are read.
    pub fn tag_sentence(&self, sentence: &Sentence) -> SentenceTags {
        let mut features = Vec::with_capacity(48);
        let mut pos = Vec::with_capacity(sentence.len());
        for i in 0..sentence.len() {
            sentence.features(i, &pos, None, &mut features);
            let scores = self.pos.scores_of::<{ POS_TAGS.len() }>(&features);
            pos.push(best(&scores, |_| true) as u8);
        }
        let mut names: Vec<u8> = Vec::with_capacity(sentence.len());
        for i in 0..sentence.len() {
            sentence.features(i, &names, Some(&pos), &mut features);
            let scores = self.names.scores_of::<NAME_LABELS>(&features);
            let previous = names.last().copied().unwrap_or(0);
            names.push(best(&scores, |label| name_follows(previous, label as u8)) as u8);
        }
        SentenceTags { pos, names }
    }

    /// Read a model file.
    pub fn load(path: &Path) -> Result<Tagger> {
        let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
        Tagger::from_bytes(&bytes).map_err(|message| Error::Model {
            path: path.to_path_buf(),
            message,
        })
    }

    /// The model file format, little-endian: `NGTAGGER`, the format version (u32), then
    /// for the part-of-speech and the name model: bits (u32), labels (u32) and
    /// `2^bits × labels` weights (f32); last, a CRC-32 of everything before it (u32).
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = MAGIC.to_vec();
        out.extend(FORMAT_VERSION.to_le_bytes());
        for weights in [&self.pos, &self.names] {
            out.extend(weights.bits.to_le_bytes());
            out.extend((weights.labels as u32).to_le_bytes());
            for weight in &weights.table {
                out.extend(weight.to_le_bytes());
            }
        }
        let crc = crc32fast::hash(&out);
        out.extend(crc.to_le_bytes());
        out
    }

    /// Parse [`Tagger::to_bytes`]; the error says what is wrong, with the numbers.
    pub fn from_bytes(bytes: &[u8]) -> std::result::Result<Tagger, String> {
        if bytes.len() < 16 || &bytes[..8] != MAGIC {
            return Err("not a newsgraph tagger model (it does not start with NGTAGGER)".into());
        }
        let (body, crc) = bytes.split_at(bytes.len() - 4);
        let stored = u32::from_le_bytes(crc.try_into().expect("4 bytes"));
        let actual = crc32fast::hash(body);
        if stored != actual {
            return Err(format!(
                "the model is damaged: its checksum is {stored:08x} but its {} bytes hash to {actual:08x}",
                body.len()
            ));
        }
        let mut at = 8;
        let u32_at = |at: &mut usize| -> std::result::Result<u32, String> {
            let value = body.get(*at..*at + 4).ok_or_else(|| {
                format!("the model ends at byte {} inside its header", body.len())
            })?;
            *at += 4;
            Ok(u32::from_le_bytes(value.try_into().expect("4 bytes")))
        };
        let version = u32_at(&mut at)?;
        if version != FORMAT_VERSION {
            return Err(format!(
                "the model is format version {version}; this newsgraph reads version {FORMAT_VERSION}"
            ));
        }
        let mut models = Vec::new();
        for (what, labels) in [("part-of-speech", POS_TAGS.len()), ("name", NAME_LABELS)] {
            let bits = u32_at(&mut at)?;
            let stored_labels = u32_at(&mut at)? as usize;
            if stored_labels != labels || !(4..=26).contains(&bits) {
                return Err(format!(
                    "the {what} model has {stored_labels} labels and 2^{bits} rows; this newsgraph needs {labels} labels and 2^4 to 2^26 rows"
                ));
            }
            let size = (1usize << bits) * labels;
            let table = body
                .get(at..at + 4 * size)
                .ok_or_else(|| {
                    format!(
                        "the {what} model needs {} bytes of weights but the file has {} left",
                        4 * size,
                        body.len() - at
                    )
                })?
                .chunks_exact(4)
                .map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]]))
                .collect();
            at += 4 * size;
            models.push(Weights {
                bits,
                labels,
                table,
            });
        }
        if at != body.len() {
            return Err(format!(
                "the model has {} bytes after its weights",
                body.len() - at
            ));
        }
        let names = models.pop().expect("two models");
        let pos = models.pop().expect("two models");
        Ok(Tagger {
            pos,
            names,
            lexicon: Lexicon::default(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tiny() -> Tagger {
        let weights = |labels: usize| Weights {
            bits: 4,
            labels,
            table: (0..16 * labels).map(|i| (i % 7) as f32 - 3.0).collect(),
        };
        Tagger {
            pos: weights(POS_TAGS.len()),
            names: weights(NAME_LABELS),
            lexicon: Lexicon::default(),
        }
    }

    #[test]
    fn a_model_reads_back_as_written() {
        let tagger = tiny();
        assert_eq!(Tagger::from_bytes(&tagger.to_bytes()).unwrap(), tagger);
    }

    #[test]
    fn a_damaged_or_foreign_file_is_refused_with_the_reason() {
        let bytes = tiny().to_bytes();
        let mut flipped = bytes.clone();
        flipped[20] ^= 1;
        assert!(
            Tagger::from_bytes(&flipped)
                .unwrap_err()
                .contains("damaged")
        );
        assert!(
            Tagger::from_bytes(b"GIF89a....")
                .unwrap_err()
                .contains("NGTAGGER")
        );
        let mut newer = bytes[..bytes.len() - 4].to_vec();
        newer[8] = 9;
        let crc = crc32fast::hash(&newer);
        newer.extend(crc.to_le_bytes());
        assert!(
            Tagger::from_bytes(&newer)
                .unwrap_err()
                .contains("version 9")
        );
        assert!(Tagger::from_bytes(&bytes[..bytes.len() / 2]).is_err());
    }

    #[test]
    fn inside_labels_only_continue_their_own_type() {
        let person = name_begin(NameType::Person);
        let place = name_begin(NameType::Place);
        assert!(name_follows(person, person + 1));
        assert!(name_follows(person + 1, person + 1));
        assert!(!name_follows(0, person + 1));
        assert!(!name_follows(place, person + 1));
        assert!(name_follows(0, place));
    }

    #[test]
    fn names_join_begin_and_inside_labels() {
        let text = "Lina Haddad visited Aleppo";
        let tokens = crate::text::tokens::tokenize(text, 0, text.len());
        let person = name_begin(NameType::Person);
        let place = name_begin(NameType::Place);
        let tags = SentenceTags {
            pos: vec![0; 4],
            names: vec![person, person + 1, 0, place],
        };
        let names: Vec<(&str, NameType)> = tags
            .names(&tokens)
            .map(|n| (&text[n.start..n.end], n.kind))
            .collect();
        assert_eq!(
            names,
            [
                ("Lina Haddad", NameType::Person),
                ("Aleppo", NameType::Place)
            ]
        );
    }
}
