//! The whole analysis of one document (clean, split, match, resolve, discover, relate)
//! with the bundled gazetteers: no panic, and every mention span is a valid span of the
//! stored text.
#![no_main]
use libfuzzer_sys::fuzz_target;
use newsgraph::input::{Document, decode};
use newsgraph::analyze::Analyzer;
use std::sync::OnceLock;

fn analyzer() -> &'static Analyzer {
    static ANALYZER: OnceLock<Analyzer> = OnceLock::new();
    ANALYZER.get_or_init(|| {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../gazetteers");
        Analyzer::load(&[dir]).unwrap()
    })
}

fuzz_target!(|data: &[u8]| {
    let (text, encoding) = decode(data);
    let document = Document {
        encoding,
        ..Document::new("fuzz", text, "fuzz")
    };
    let (document, text, sha) = Analyzer::prepare(document);
    let analyzed = analyzer().analyze(document, text, sha);
    for m in &analyzed.mentions {
        assert!(analyzed.text.get(m.start..m.end).is_some());
    }
});
