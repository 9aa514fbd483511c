//! Names, checked against a table of sentences (`tests/data/names.toml`): what the whole
//! analysis (gazetteers, tagger, discovery, vetoes) finds in each, with the bundled data.
//!
//! `expect` lists "surface = type" pairs that must be mentions of an entity of that type;
//! `absent` lists surfaces that must not be (part of) any mention, or "surface = type"
//! pairs that must not be mentions of that type. A case marked `known_miss` must fail
//! (the model's known gaps, kept visible). Every failing case is reported at once.

use newsgraph::analyze::Analyzer;
use newsgraph::input::Document;
use serde::Deserialize;
use std::fmt::Write as _;
use std::path::Path;

/// The table must hold at least this many cases.
const MIN_CASES: usize = 150;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Table {
    case: Vec<Case>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    text: String,
    #[serde(default)]
    expect: Vec<String>,
    #[serde(default)]
    absent: Vec<String>,
    /// Why the bundled model misses this case today. Such a case must still fail: once it
    /// passes, the marker goes (strict, like an expected failure).
    known_miss: Option<String>,
}

/// (surface, entity type, entity id) of every mention of `text`.
fn mentions(analyzer: &Analyzer, text: &str) -> Vec<(String, String, String)> {
    let (document, text, sha) = Analyzer::prepare(Document::new("case", text, "names.toml"));
    let analyzed = analyzer.analyze(document, text, sha);
    let listed = analyzer.gazetteer.entities().len();
    analyzed
        .mentions
        .iter()
        .map(|m| {
            let entity = if m.entity < listed {
                analyzer.gazetteer.entity(m.entity)
            } else {
                &analyzed.discovered[m.entity - listed]
            };
            (
                analyzed.text[m.start..m.end].to_string(),
                entity.kind.as_str().to_string(),
                entity.id.clone(),
            )
        })
        .collect()
}

#[test]
fn names_table() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let table: Table =
        toml::from_str(&std::fs::read_to_string(root.join("tests/data/names.toml")).unwrap())
            .unwrap();
    assert!(
        table.case.len() >= MIN_CASES,
        "the table has {} cases; it must have at least {MIN_CASES}",
        table.case.len()
    );
    let analyzer = Analyzer::load(&[root.join("gazetteers")]).unwrap();
    assert!(
        analyzer.tagger.is_some(),
        "the bundled gazetteers carry the tagger's model"
    );
    let mut failures = String::new();
    let mut failed = 0;
    for (index, case) in table.case.iter().enumerate() {
        let found = mentions(&analyzer, &case.text);
        let mut problems = Vec::new();
        for expected in &case.expect {
            let (surface, kind) = expected.split_once(" = ").unwrap_or_else(|| {
                panic!("case {}: {expected:?} is not \"surface = type\"", index + 1)
            });
            if !found.iter().any(|(s, k, _)| s == surface && k == kind) {
                problems.push(format!("expected {surface} = {kind}"));
            }
        }
        for absent in &case.absent {
            // "surface = type": no mention of that text with that type; "surface": no
            // mention containing that text at all.
            let hit = match absent.split_once(" = ") {
                Some((surface, kind)) => found.iter().find(|(s, k, _)| s == surface && k == kind),
                None => found.iter().find(|(s, _, _)| s.contains(absent.as_str())),
            };
            if let Some((s, k, id)) = hit {
                problems.push(format!(
                    "{absent} must not be a name, found {s} = {k} ({id})"
                ));
            }
        }
        if let Some(reason) = &case.known_miss {
            if problems.is_empty() {
                failed += 1;
                let _ = writeln!(
                    failures,
                    "\ncase {}: {:?} passes now; remove its known_miss ({reason})",
                    index + 1,
                    case.text
                );
            }
            continue;
        }
        if !problems.is_empty() {
            failed += 1;
            let _ = writeln!(failures, "\ncase {}: {:?}", index + 1, case.text);
            for (s, k, id) in &found {
                let _ = writeln!(failures, "  found: {s} = {k} ({id})");
            }
            for problem in problems {
                let _ = writeln!(failures, "  - {problem}");
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{failed} of {} name cases failed:\n{failures}",
        table.case.len()
    );
}
