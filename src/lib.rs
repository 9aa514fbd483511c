//! newsgraph turns news articles into a knowledge graph of who did what to whom.
//!
//! The pipeline, one module per stage over one document model ([`model`]; see
//! `docs/ARCHITECTURE.md`): [`input`] → [`text`] → [`gazetteer`] → [`resolve`] →
//! [`discover`] → [`relations`] (the analysis of one document: [`analyze::Analyzer`]) →
//! [`store`] → [`graph`] → [`export`] + [`report`], driven by [`pipeline::build`].
//!
//! ```
//! use newsgraph::analyze::Analyzer;
//! use newsgraph::input::Document;
//!
//! let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("gazetteers");
//! let analyzer = Analyzer::load(&[dir]).unwrap();
//! let document = Document::new("d1", "Hamas' attack on Israel shocked the region.", "example");
//! let (document, text, sha) = Analyzer::prepare(document);
//! let analyzed = analyzer.analyze(document, text, sha);
//! let attack = analyzed.relations.iter().find(|r| r.relation == "attacked").unwrap();
//! let name = |m: Option<usize>| analyzer.gazetteer.entity(analyzed.mentions[m.unwrap()].entity).name.as_str();
//! assert_eq!((name(attack.source), name(attack.target)), ("Hamas", "Israel"));
//! ```

pub mod analyze;
pub mod bundled;
pub mod discover;
pub mod error;
pub mod eval;
pub mod export;
pub mod gazetteer;
pub mod graph;
pub mod input;
pub mod model;
pub mod pipeline;
pub mod query;
pub mod relations;
pub mod report;
pub mod resolve;
pub mod store;
pub mod suggest;
pub mod tagger;
pub mod text;

pub use error::{Error, Result};

/// For tests that read the shared data beside the repository (`../shared`).
#[cfg(test)]
pub(crate) mod test_support {
    use std::io::Write;
    use std::path::PathBuf;

    /// `../shared/<relative>` when it is there. Without it, a plain clone's `cargo test`
    /// passes: the caller skips and says so. Under CI (`CI=true`) the data must be there.
    pub fn shared(relative: &str) -> Option<PathBuf> {
        let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("../shared")
            .join(relative);
        if path.exists() {
            return Some(path);
        }
        assert!(
            std::env::var_os("CI").is_none_or(|ci| ci != "true"),
            "{}: the shared data must be beside the repository under CI",
            path.display()
        );
        // Straight to the stream: the test harness captures `eprintln!` of passing tests.
        let _ = writeln!(
            std::io::stderr(),
            "SKIPPED: {} is not there (the shared data is not beside the repository)",
            path.display()
        );
        None
    }
}
