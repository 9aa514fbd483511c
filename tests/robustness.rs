//! Property tests: arbitrary text and arbitrary bytes go through the whole analysis and
//! the whole build without a panic, every span stays on the text, and the GraphML stays
//! well-formed XML.

use newsgraph::analyze::Analyzer;
use newsgraph::input::{Document, decode};
use newsgraph::pipeline::{BuildConfig, build};
use proptest::prelude::*;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

fn gazetteers() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("gazetteers")
}

fn analyzer() -> &'static Analyzer {
    static ANALYZER: OnceLock<Analyzer> = OnceLock::new();
    ANALYZER.get_or_init(|| Analyzer::load(&[gazetteers()]).unwrap())
}

fn document(text: String) -> Document {
    Document::new("p", text, "proptest")
}

/// Text made of actor names, relation words, punctuation and arbitrary characters, so
/// the rules actually fire on it.
fn newsy_text() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("Hamas".to_string()),
        Just("al-Sudani".to_string()),
        Just("Mohammed Shia al-Sudani".to_string()),
        Just("Iraqi".to_string()),
        Just("US".to_string()),
        Just("U.S.".to_string()),
        Just("State Department".to_string()),
        Just("attacked".to_string()),
        Just("attack on".to_string()),
        Just("did not".to_string()),
        Just("spokesman Brig. Gen.".to_string()),
        Just("’s".to_string()),
        Just(", ".to_string()),
        Just(". ".to_string()),
        Just("\n\n".to_string()),
        Just("Kata’ib".to_string()),
        "\\PC{0,12}",
        any::<String>(),
    ];
    prop::collection::vec(piece, 0..40).prop_map(|pieces| pieces.join(" "))
}

fn check_analysis(text: String) {
    let (document, cleaned, sha) = Analyzer::prepare(document(text));
    let analyzed = analyzer().analyze(document, cleaned, sha);
    let text = &analyzed.text;
    for sentence in &analyzed.sentences {
        assert!(sentence.start < sentence.end && sentence.end <= text.len());
        assert!(text.is_char_boundary(sentence.start) && text.is_char_boundary(sentence.end));
    }
    for mention in &analyzed.mentions {
        let surface = &text[mention.start..mention.end];
        assert!(!surface.is_empty());
        let sentence = &analyzed.sentences[mention.sentence];
        assert!(sentence.start <= mention.start && mention.end <= sentence.end);
    }
    for relation in &analyzed.relations {
        assert!(relation.sentence < analyzed.sentences.len());
        for m in [relation.source, relation.target, relation.reporter]
            .into_iter()
            .flatten()
        {
            assert_eq!(analyzed.mentions[m].sentence, relation.sentence);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn arbitrary_text_never_panics_and_spans_stay_valid(text in newsy_text()) {
        check_analysis(text);
    }

    #[test]
    fn arbitrary_bytes_decode_and_analyse(bytes in prop::collection::vec(any::<u8>(), 0..2_000)) {
        let (text, _) = decode(&bytes);
        check_analysis(text);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(12))]

    /// Arbitrary JSONL (valid and broken lines) through the real build into a temporary
    /// database: no panic, the graph files are well-formed.
    #[test]
    fn arbitrary_jsonl_builds_and_exports_well_formed_xml(
        texts in prop::collection::vec(newsy_text(), 1..6),
        junk in prop::collection::vec(any::<Vec<u8>>(), 0..3),
    ) {
        let dir = tempfile::tempdir().unwrap();
        let mut jsonl = Vec::new();
        for (n, text) in texts.iter().enumerate() {
            let line = serde_json::json!({"id": format!("d{n}"), "text": text, "published": "2024-01-02"});
            jsonl.extend(line.to_string().into_bytes());
            jsonl.push(b'\n');
        }
        for bytes in &junk {
            jsonl.extend(bytes.iter().filter(|&&b| b != b'\n'));
            jsonl.push(b'\n');
        }
        let input = dir.path().join("in.jsonl");
        std::fs::write(&input, &jsonl).unwrap();
        let config = BuildConfig {
            inputs: vec![input],
            gazetteers: vec![gazetteers()],
            out: dir.path().join("out"),
            jobs: 2,
            warn: |_| {},
            progress: None,
            gazetteer_cache: None,
            min_discovered_mentions: newsgraph::graph::DEFAULT_MIN_DISCOVERED_MENTIONS,
        };
        build(&config).unwrap();
        let xml = std::fs::read_to_string(dir.path().join("out/graph.graphml")).unwrap();
        let mut reader = quick_xml::Reader::from_str(&xml);
        loop {
            match reader.read_event() {
                Ok(quick_xml::events::Event::Eof) => break,
                Ok(_) => {}
                Err(e) => panic!("malformed GraphML: {e}"),
            }
        }
        let json = std::fs::read_to_string(dir.path().join("out/graph.json")).unwrap();
        let _: serde_json::Value = serde_json::from_str(&json).unwrap();
    }
}
