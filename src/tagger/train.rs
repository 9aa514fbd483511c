//! Training and measuring the tagger on silver-labelled articles (`docs/model.md`).
//!
//! A silver article is a text with another tagger's tokens (each with a part-of-speech
//! tag) and typed names, as byte spans. Its labels are projected onto newsgraph's own
//! sentences and tokens, so the model learns on exactly the tokens it will see: a token
//! takes the tag of the silver token it starts in, and the name label of the silver name
//! that contains it whole.

use super::features::{Lexicon, Sentence};
use super::perceptron::{Trainer, best};
use super::{NAME_LABELS, NameType, POS_TAGS, SentenceTags, Tagger, name_begin, name_follows};
use crate::model::Token;
use crate::text::tokens::tokenize;
use serde::Deserialize;
use std::collections::HashMap;
use std::ops::Range;

/// One silver-labelled article, as `scripts/tagger/silver.py` writes it.
#[derive(Debug, Deserialize)]
pub struct SilverArticle {
    pub id: String,
    pub text: String,
    /// `[start, end, universal tag]`
    pub tokens: Vec<(usize, usize, String)>,
    /// `[start, end, OntoNotes label]`
    pub ents: Vec<(usize, usize, String)>,
}

/// One sentence ready to learn from or to score.
pub struct Example {
    pub sentence: Sentence,
    pub pos: Vec<u8>,
    pub names: Vec<u8>,
}

/// What the analysis knows of a text before tagging: its sentences and each sentence's
/// gazetteer label per token (see [`super::features::gazetteer_label`]).
pub type Listed<'a> = dyn Fn(&str) -> ListedSentences + Sync + 'a;

/// Gazetteer spans of a sentence: `(start, end, feature code)`.
pub type GazetteerSpans = Vec<(usize, usize, u8)>;

/// Each sentence of a text with its gazetteer spans.
pub type ListedSentences = Vec<(Range<usize>, GazetteerSpans)>;

/// The per-token gazetteer labels of `tokens`, from the gazetteer spans `(start, end,
/// code)` of their sentence.
pub fn gazetteer_labels(tokens: &[Token], spans: &[(usize, usize, u8)]) -> Vec<u8> {
    tokens
        .iter()
        .map(|token| {
            spans
                .iter()
                .find(|&&(start, end, _)| start <= token.start && token.end <= end)
                .map_or(0, |&(start, _, code)| {
                    super::features::gazetteer_label(code, start == token.start)
                })
        })
        .collect()
}

/// The examples of one article: its sentences with projected labels.
pub fn examples(article: &SilverArticle, listed: &Listed, lexicon: &Lexicon) -> Vec<Example> {
    let text = &article.text;
    let mut out = Vec::new();
    for (range, spans) in listed(text) {
        let tokens = tokenize(text, range.start, range.end);
        if tokens.is_empty() {
            continue;
        }
        let (pos, names) = project(&tokens, article);
        let gazetteer = gazetteer_labels(&tokens, &spans);
        out.push(Example {
            sentence: Sentence::new(text, &tokens, gazetteer, lexicon),
            pos,
            names,
        });
    }
    out
}

fn project(tokens: &[Token], article: &SilverArticle) -> (Vec<u8>, Vec<u8>) {
    let silver = &article.tokens;
    let pos = tokens
        .iter()
        .map(|token| {
            let at = silver.partition_point(|(start, _, _)| *start <= token.start);
            let tag = at
                .checked_sub(1)
                .map(|k| &silver[k])
                .filter(|(_, end, _)| *end > token.start)
                .map_or("X", |(_, _, tag)| tag.as_str());
            let tag = if tag == "SPACE" { "PUNCT" } else { tag };
            POS_TAGS
                .iter()
                .position(|t| *t == tag)
                .unwrap_or(POS_TAGS.len() - 1) as u8
        })
        .collect();
    let mut names = vec![0u8; tokens.len()];
    for (start, end, label) in &article.ents {
        let Some(kind) = NameType::from_label(label) else {
            continue;
        };
        let mut first = true;
        for (i, token) in tokens.iter().enumerate() {
            if *start <= token.start && token.end <= *end {
                names[i] = name_begin(kind) + u8::from(!first);
                first = false;
            }
        }
    }
    (pos, names)
}

/// Read silver articles (JSONL, one article a line).
pub fn read_silver(path: &std::path::Path) -> crate::Result<Vec<SilverArticle>> {
    use std::io::BufRead;
    let file = std::fs::File::open(path).map_err(|e| crate::Error::io(path, e))?;
    let mut out = Vec::new();
    for (index, line) in std::io::BufReader::new(file).lines().enumerate() {
        let line = line.map_err(|e| match e.kind() {
            std::io::ErrorKind::InvalidData => {
                crate::Error::parse(path, index + 1, 1, "the line is not UTF-8")
            }
            _ => crate::Error::io(path, e),
        })?;
        if line.trim().is_empty() {
            continue;
        }
        let article: SilverArticle = serde_json::from_str(&line)
            .map_err(|e| crate::Error::parse(path, index + 1, e.column(), e.to_string()))?;
        let bad = |&(start, end, _): &(usize, usize, String)| {
            start > end
                || end > article.text.len()
                || !article.text.is_char_boundary(start)
                || !article.text.is_char_boundary(end)
        };
        if let Some(span) = article.tokens.iter().chain(&article.ents).find(|s| bad(s)) {
            return Err(crate::Error::parse(
                path,
                index + 1,
                1,
                format!(
                    "article {}: span {}..{} is not inside its {}-byte text on character boundaries",
                    article.id,
                    span.0,
                    span.1,
                    article.text.len()
                ),
            ));
        }
        out.push(article);
    }
    Ok(out)
}

/// The examples of many articles, on all cores.
pub fn all_examples(
    articles: &[SilverArticle],
    listed: &Listed,
    lexicon: &Lexicon,
) -> Vec<Example> {
    use rayon::prelude::*;
    articles
        .par_iter()
        .map(|article| examples(article, listed, lexicon))
        .collect::<Vec<_>>()
        .into_iter()
        .flatten()
        .collect()
}

/// Score `tagger` against the silver labels of `examples`.
pub fn score(tagger: &Tagger, examples: &[Example]) -> Scores {
    let mut scores = Scores::default();
    for example in examples {
        let tags = tagger.tag_sentence(&example.sentence);
        scores.add(example, &tags);
    }
    scores
}

/// A deterministic shuffle (an LCG), so that training is reproducible.
fn shuffled(n: usize, seed: u64) -> Vec<usize> {
    let mut order: Vec<usize> = (0..n).collect();
    let mut state = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
    for i in (1..n).rev() {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        order.swap(i, (state >> 33) as usize % (i + 1));
    }
    order
}

/// Training settings.
#[derive(Debug, Clone, Copy)]
pub struct Settings {
    pub epochs: usize,
    /// log2 of the rows of the part-of-speech model's weight table.
    pub pos_bits: u32,
    /// log2 of the rows of the name model's weight table.
    pub name_bits: u32,
}

/// Train both models, reading `lexicon`; `progress` hears `(model, epoch, errors, tokens)` after each epoch.
pub fn train(
    examples: &[Example],
    lexicon: &Lexicon,
    settings: Settings,
    progress: &mut dyn FnMut(&str, usize, usize, usize),
) -> Tagger {
    let mut features = Vec::new();
    let mut scores = vec![0f32; NAME_LABELS.max(POS_TAGS.len())];
    let mut trainer = Trainer::new(settings.pos_bits, POS_TAGS.len());
    for epoch in 0..settings.epochs {
        let (mut errors, mut tokens) = (0, 0);
        for &e in &shuffled(examples.len(), epoch as u64) {
            let example = &examples[e];
            let mut left = Vec::with_capacity(example.pos.len());
            for (i, &truth) in example.pos.iter().enumerate() {
                example.sentence.features(i, &left, None, &mut features);
                trainer.scores(&features, &mut scores[..POS_TAGS.len()]);
                let guess = best_f32(&scores[..POS_TAGS.len()], |_| true);
                trainer.update(&features, usize::from(truth), guess);
                errors += usize::from(guess != usize::from(truth));
                tokens += 1;
                left.push(guess as u8);
            }
        }
        progress("part-of-speech", epoch + 1, errors, tokens);
    }
    let pos = trainer.finish();
    let predicted: Vec<Vec<u8>> = examples
        .iter()
        .map(|example| predict_pos(&pos, &example.sentence))
        .collect();
    let mut trainer = Trainer::new(settings.name_bits, NAME_LABELS);
    for epoch in 0..settings.epochs {
        let (mut errors, mut tokens) = (0, 0);
        for &e in &shuffled(examples.len(), 1000 + epoch as u64) {
            let example = &examples[e];
            let mut left: Vec<u8> = Vec::with_capacity(example.names.len());
            for (i, &truth) in example.names.iter().enumerate() {
                example
                    .sentence
                    .features(i, &left, Some(&predicted[e]), &mut features);
                trainer.scores(&features, &mut scores[..NAME_LABELS]);
                let previous = left.last().copied().unwrap_or(0);
                let guess = best_f32(&scores[..NAME_LABELS], |l| name_follows(previous, l as u8));
                trainer.update(&features, usize::from(truth), guess);
                errors += usize::from(guess != usize::from(truth));
                tokens += 1;
                left.push(guess as u8);
            }
        }
        progress("name", epoch + 1, errors, tokens);
    }
    Tagger {
        pos,
        names: trainer.finish(),
        lexicon: lexicon.clone(),
    }
}

fn best_f32(scores: &[f32], allowed: impl Fn(usize) -> bool) -> usize {
    let mut best = None;
    for (label, &score) in scores.iter().enumerate() {
        if allowed(label) && best.is_none_or(|(_, s)| score > s) {
            best = Some((label, score));
        }
    }
    best.map_or(0, |(label, _)| label)
}

fn predict_pos(weights: &super::perceptron::Weights, sentence: &Sentence) -> Vec<u8> {
    let mut features = Vec::new();
    let mut scores = vec![0f32; POS_TAGS.len()];
    let mut pos = Vec::with_capacity(sentence.len());
    for i in 0..sentence.len() {
        sentence.features(i, &pos, None, &mut features);
        weights.scores(&features, &mut scores);
        pos.push(best(&scores, |_| true) as u8);
    }
    pos
}

/// Agreement with held-out silver labels.
#[derive(Debug, Default)]
pub struct Scores {
    pub tokens: usize,
    pub pos_correct: usize,
    /// Per name type: (true positives, predicted, silver), exact spans.
    pub names: HashMap<&'static str, (usize, usize, usize)>,
}

impl Scores {
    pub fn add(&mut self, example: &Example, tags: &SentenceTags) {
        self.tokens += tags.pos.len();
        self.pos_correct += tags
            .pos
            .iter()
            .zip(&example.pos)
            .filter(|(a, b)| a == b)
            .count();
        let gold = SentenceTags {
            pos: example.pos.clone(),
            names: example.names.clone(),
        };
        let spans =
            |t: &SentenceTags| -> Vec<(Range<usize>, NameType)> { t.name_ranges().collect() };
        let (predicted, silver) = (spans(tags), spans(&gold));
        for (range, kind) in &predicted {
            let entry = self.names.entry(kind.label()).or_default();
            entry.1 += 1;
            if silver.contains(&(range.clone(), *kind)) {
                entry.0 += 1;
            }
        }
        for (_, kind) in &silver {
            self.names.entry(kind.label()).or_default().2 += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn article(text: &str, ents: &[(&str, &str)]) -> SilverArticle {
        let tokens = tokenize(text, 0, text.len())
            .iter()
            .map(|t| {
                let surface = &text[t.start..t.end];
                let tag = if surface.chars().next().unwrap().is_uppercase() {
                    "PROPN"
                } else if surface.chars().all(char::is_alphabetic) {
                    "VERB"
                } else {
                    "PUNCT"
                };
                (t.start, t.end, tag.to_string())
            })
            .collect();
        let ents = ents
            .iter()
            .map(|(name, label)| {
                let start = text.find(name).unwrap();
                (start, start + name.len(), label.to_string())
            })
            .collect();
        SilverArticle {
            id: "a".into(),
            text: text.into(),
            tokens,
            ents,
        }
    }

    fn whole_text(text: &str) -> ListedSentences {
        vec![(0..text.len(), Vec::new())]
    }

    #[test]
    fn bad_silver_lines_are_refused_naming_file_and_line() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("silver.jsonl");
        let good = r#"{"id": "a", "text": "Lina met Omar.", "tokens": [[0, 4, "PROPN"]], "ents": [[0, 4, "PERSON"]]}"#;
        for (second, says) in [
            (b"{\"id\": \"b\"".to_vec(), "silver.jsonl:2:"),
            (
                br#"{"id": "b", "text": "Hi", "tokens": [[0, 9, "X"]], "ents": []}"#.to_vec(),
                "span 0..9 is not inside its 2-byte text",
            ),
            (
                b"{\"id\": \"\xff\"}".to_vec(),
                "silver.jsonl:2:1: the line is not UTF-8",
            ),
        ] {
            let mut bytes = good.as_bytes().to_vec();
            bytes.push(b'\n');
            bytes.extend(second);
            std::fs::write(&path, bytes).unwrap();
            let error = read_silver(&path).unwrap_err().to_string();
            assert!(error.contains(says), "{error}");
            assert!(error.contains("silver.jsonl:2"), "{error}");
        }
        std::fs::write(&path, format!("{good}\n\n")).unwrap();
        assert_eq!(
            read_silver(&path).unwrap().len(),
            1,
            "an empty line is no article"
        );
    }

    #[test]
    fn silver_names_project_onto_our_tokens() {
        let a = article(
            "Lina Haddad met al-Sudani.",
            &[("Lina Haddad", "PERSON"), ("al-Sudani", "PERSON")],
        );
        let examples = examples(&a, &whole_text, &Lexicon::default());
        let person = name_begin(NameType::Person);
        assert_eq!(
            examples[0].names,
            [person, person + 1, 0, person, person + 1, person + 1, 0]
        );
        assert_eq!(
            examples[0].pos[2],
            POS_TAGS.iter().position(|t| *t == "VERB").unwrap() as u8
        );
    }

    #[test]
    fn a_smoke_train_learns_its_own_examples() {
        let texts = [
            (
                "Lina Haddad met Omar Khalil in Aleppo.",
                vec![
                    ("Lina Haddad", "PERSON"),
                    ("Omar Khalil", "PERSON"),
                    ("Aleppo", "GPE"),
                ],
            ),
            (
                "Omar Khalil left Aleppo.",
                vec![("Omar Khalil", "PERSON"), ("Aleppo", "GPE")],
            ),
            ("They met in Homs.", vec![("Homs", "GPE")]),
        ];
        let mut all = Vec::new();
        for (text, ents) in &texts {
            all.extend(examples(
                &article(text, ents),
                &whole_text,
                &Lexicon::default(),
            ));
        }
        let tagger = train(
            &all,
            &Lexicon::default(),
            Settings {
                epochs: 10,
                pos_bits: 12,
                name_bits: 12,
            },
            &mut |_, _, _, _| {},
        );
        let text = "Lina Haddad met Omar Khalil in Aleppo.";
        let tokens = tokenize(text, 0, text.len());
        let tags = tagger.tag(text, &tokens, vec![0; tokens.len()]);
        let names: Vec<&str> = tags.names(&tokens).map(|n| &text[n.start..n.end]).collect();
        assert_eq!(names, ["Lina Haddad", "Omar Khalil", "Aleppo"]);
        assert_eq!(Tagger::from_bytes(&tagger.to_bytes()).unwrap(), tagger);
    }
}
