//! Per-stage throughput over real news text: cleaning, the matcher, the sentence splitter, the
//! tagger, the relation stage and a whole document's analysis. Run with `cargo bench`; the end-to-end
//! figures come from `scripts/bench.sh` (docs/performance.md).
//!
//! The sample is the first 2,000 articles of `../shared/corpus/news.jsonl.gz` (or
//! `NEWSGRAPH_BENCH_CORPUS`), cleaned as the pipeline cleans them.

use divan::counter::BytesCount;
use newsgraph::analyze::Analyzer;
use newsgraph::input::{self, Record};
use std::path::PathBuf;
use std::sync::LazyLock;

const SAMPLE: usize = 2_000;

// As in the binary (src/main.rs).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

static ANALYZER: LazyLock<Analyzer> = LazyLock::new(|| {
    Analyzer::load(&[PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("gazetteers")])
        .expect("the bundled gazetteers load")
});

/// Article texts as read, before cleaning.
static RAW_TEXTS: LazyLock<Vec<String>> = LazyLock::new(|| {
    let corpus = std::env::var_os("NEWSGRAPH_BENCH_CORPUS").map_or_else(
        || PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/news.jsonl.gz"),
        PathBuf::from,
    );
    let mut texts = Vec::new();
    input::read_all(&[corpus], &mut |record| {
        if let Record::Document(document) = record
            && texts.len() < SAMPLE
        {
            texts.push(document.text);
        }
        Ok(())
    })
    .expect("the benchmark corpus reads");
    assert!(!texts.is_empty(), "the benchmark corpus has no documents");
    texts
});

/// Cleaned article texts.
static TEXTS: LazyLock<Vec<String>> = LazyLock::new(|| {
    RAW_TEXTS
        .iter()
        .map(|raw| newsgraph::text::clean(raw))
        .collect()
});

fn bytes() -> BytesCount {
    BytesCount::new(TEXTS.iter().map(String::len).sum::<usize>())
}

fn main() {
    LazyLock::force(&ANALYZER);
    LazyLock::force(&TEXTS);
    divan::main();
}

/// Removing web-page furniture and joining wrapped lines.
#[divan::bench]
fn cleaning(bencher: divan::Bencher) {
    let raw_bytes = RAW_TEXTS.iter().map(String::len).sum::<usize>();
    bencher.counter(BytesCount::new(raw_bytes)).bench(|| {
        RAW_TEXTS
            .iter()
            .map(|raw| newsgraph::text::clean(raw).len())
            .sum::<usize>()
    });
}

/// Folding and the gazetteer automaton: every mention of every text.
#[divan::bench]
fn matcher(bencher: divan::Bencher) {
    bencher.counter(bytes()).bench(|| {
        TEXTS
            .iter()
            .map(|text| ANALYZER.gazetteer.find(text).len())
            .sum::<usize>()
    });
}

#[divan::bench]
fn sentence_splitter(bencher: divan::Bencher) {
    bencher.counter(bytes()).bench(|| {
        TEXTS
            .iter()
            .map(|text| newsgraph::text::sentences::split(text).len())
            .sum::<usize>()
    });
}

/// The relation rules over sentences and mentions found beforehand.
#[divan::bench]
fn relation_stage(bencher: divan::Bencher) {
    let prepared: Vec<_> = TEXTS
        .iter()
        .map(|text| {
            let analyzed = ANALYZER.analyze(document(text), text.clone(), String::new());
            (
                text,
                analyzed.sentences,
                analyzed.mentions,
                analyzed.discovered,
            )
        })
        .collect();
    bencher.counter(bytes()).bench(|| {
        prepared
            .iter()
            .map(|(text, sentences, mentions, discovered)| {
                let entities = newsgraph::gazetteer::EntityTable {
                    gazetteer: &ANALYZER.gazetteer,
                    discovered,
                };
                // The sentences' tokens are made here too, as the analysis makes them once.
                let doc = newsgraph::model::DocView::new(text, sentences, None);
                newsgraph::relations::extract(&doc, mentions, entities, &ANALYZER.rules).len()
            })
            .sum::<usize>()
    });
}

/// A sentence's tokens and their gazetteer labels.
type TaggerInput<'t> = (Vec<newsgraph::model::Token<'t>>, Vec<u8>);

/// The tagger alone: part-of-speech tags and names for every sentence, over tokens and
/// gazetteer labels made beforehand (issue 17 asks for at least 15 MB/s per core).
#[divan::bench]
fn tagger(bencher: divan::Bencher) {
    let tagger = ANALYZER
        .tagger
        .as_ref()
        .expect("the bundled gazetteers carry the model");
    let prepared: Vec<(&String, Vec<TaggerInput>)> = TEXTS
        .iter()
        .map(|text| {
            let sentences = ANALYZER
                .listed_spans(text)
                .into_iter()
                .map(|(range, spans)| {
                    let tokens = newsgraph::text::tokens::tokenize(text, range.start, range.end);
                    let labels = newsgraph::tagger::train::gazetteer_labels(&tokens, &spans);
                    (tokens, labels)
                })
                .collect();
            (text, sentences)
        })
        .collect();
    bencher.counter(bytes()).bench(|| {
        prepared
            .iter()
            .map(|(text, sentences)| {
                sentences
                    .iter()
                    .map(|(tokens, labels)| tagger.tag(text, tokens, labels.clone()).names.len())
                    .sum::<usize>()
            })
            .sum::<usize>()
    });
}

/// A whole document's analysis: matching, resolution, sentences, discovery and relations
/// (everything but reading, cleaning and the database).
#[divan::bench]
fn analyze(bencher: divan::Bencher) {
    bencher.counter(bytes()).bench(|| {
        TEXTS
            .iter()
            .map(|text| {
                ANALYZER
                    .analyze(document(text), text.clone(), String::new())
                    .relations
                    .len()
            })
            .sum::<usize>()
    });
}

fn document(text: &str) -> input::Document {
    input::Document::new("bench", text, "bench")
}
