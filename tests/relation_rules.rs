//! The relation rules, checked against a table of sentences (`tests/data/relations.toml`).
//!
//! Each case is one sentence run through the whole analysis (cleaning, gazetteer matching,
//! resolution, rules) with the bundled gazetteers. Relations are compared as triples
//! "SOURCE_ID relation TARGET_ID" (`-` for a missing party); `co_occurs` is ignored.
//! The non-negated relations must equal `expect` exactly and the negated ones `negated`;
//! `absent` lists triples that must not be found as non-negated relations, `hedged` the
//! triples that must be marked hedged (all others must not be), and `roles` the role text
//! a member_of triple must carry. Every failing case is reported at once.

use newsgraph::analyze::Analyzer;
use newsgraph::gazetteer::{EntityTable, Gazetteer, MatchKind};
use newsgraph::input::Document;
use newsgraph::model::Analyzed;
use newsgraph::model::RelationType;
use newsgraph::resolve::surname_forms;
use newsgraph::text::fold_alias;
use serde::Deserialize;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::Path;

/// The table must hold at least this many cases.
const MIN_CASES: usize = 40;

/// Rules of the bundled file that no passing case exercises, as "relation: pattern".
/// Empty: every rule has a sentence of its own. A rule listed here must really be
/// unreachable; the test fails once a case covers it.
const UNREACHABLE_RULES: &[&str] = &[];

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Table {
    case: Vec<Case>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    sentence: String,
    expect: Vec<String>,
    #[serde(default)]
    negated: Vec<String>,
    #[serde(default)]
    absent: Vec<String>,
    #[serde(default)]
    hedged: Vec<String>,
    #[serde(default)]
    roles: BTreeMap<String, String>,
}

/// A relation as the table writes it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Triple {
    source: String,
    relation: String,
    target: String,
}

impl std::fmt::Display for Triple {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {} {}", self.source, self.relation, self.target)
    }
}

/// Parse "SOURCE relation TARGET", checking the relation type and that both parties are
/// `-` or ids of the gazetteer.
fn parse_triple(text: &str, gazetteer: &Gazetteer) -> Result<Triple, String> {
    let parts: Vec<&str> = text.split_whitespace().collect();
    let [source, relation, target] = parts.as_slice() else {
        return Err(format!("{text:?} is not \"SOURCE relation TARGET\""));
    };
    if RelationType::typed(relation).is_none() {
        return Err(format!(
            "{text:?}: unknown relation {relation:?}; expected one of {}",
            RelationType::typed_names()
        ));
    }
    for party in [source, target] {
        let discovered = party.starts_with("person/discovered-");
        if *party != "-" && !discovered && gazetteer.index_of(party).is_none() {
            return Err(format!(
                "{text:?}: {party:?} is not an id of the gazetteer (nor a discovered person/discovered-...)"
            ));
        }
    }
    if *source == "-" && *target == "-" {
        return Err(format!("{text:?}: a relation needs at least one party"));
    }
    Ok(Triple {
        source: source.to_string(),
        relation: relation.to_string(),
        target: target.to_string(),
    })
}

fn parse_all(texts: &[String], gazetteer: &Gazetteer) -> Result<BTreeSet<Triple>, String> {
    texts.iter().map(|t| parse_triple(t, gazetteer)).collect()
}

/// A case with its triples parsed.
struct Parsed {
    expect: BTreeSet<Triple>,
    negated: BTreeSet<Triple>,
    absent: BTreeSet<Triple>,
    hedged: BTreeSet<Triple>,
    roles: BTreeMap<Triple, String>,
}

fn parse_case(case: &Case, gazetteer: &Gazetteer) -> Result<Parsed, String> {
    let expect = parse_all(&case.expect, gazetteer)?;
    let negated = parse_all(&case.negated, gazetteer)?;
    let absent = parse_all(&case.absent, gazetteer)?;
    let hedged = parse_all(&case.hedged, gazetteer)?;
    if let Some(stray) = hedged
        .difference(&expect.union(&negated).cloned().collect())
        .next()
    {
        return Err(format!(
            "{stray} is hedged but neither expected nor negated"
        ));
    }
    if let Some(both) = expect.intersection(&absent).next() {
        return Err(format!("{both} is both expected and absent"));
    }
    let mut roles = BTreeMap::new();
    for (text, role) in &case.roles {
        let triple = parse_triple(text, gazetteer)?;
        if triple.relation != "member_of" || !expect.contains(&triple) {
            return Err(format!("role for {triple}, which is no expected member_of"));
        }
        roles.insert(triple, role.clone());
    }
    Ok(Parsed {
        expect,
        negated,
        absent,
        hedged,
        roles,
    })
}

fn analyze(analyzer: &Analyzer, index: usize, sentence: &str) -> Analyzed {
    let document = Document::new(
        format!("case-{index}"),
        sentence,
        "tests/data/relations.toml",
    );
    let (document, text, sha) = Analyzer::prepare(document);
    analyzer.analyze(document, text, sha)
}

/// What a case produced: the non-negated and negated triples, with roles and rules.
struct Actual {
    positive: BTreeSet<Triple>,
    negated: BTreeSet<Triple>,
    hedged: BTreeSet<Triple>,
    roles: BTreeMap<Triple, BTreeSet<String>>,
    rules: BTreeSet<String>,
}

/// The gazetteer plus the people the case's sentence introduced.
fn table<'a>(analyzed: &'a Analyzed, gazetteer: &'a Gazetteer) -> EntityTable<'a> {
    EntityTable {
        gazetteer,
        discovered: &analyzed.discovered,
    }
}

fn actual(analyzed: &Analyzed, gazetteer: &Gazetteer) -> Actual {
    let entities = table(analyzed, gazetteer);
    let id = |mention: Option<usize>| match mention {
        Some(m) => entities.entity(analyzed.mentions[m].entity).id.clone(),
        None => "-".to_string(),
    };
    let mut result = Actual {
        positive: BTreeSet::new(),
        negated: BTreeSet::new(),
        hedged: BTreeSet::new(),
        roles: BTreeMap::new(),
        rules: BTreeSet::new(),
    };
    for relation in &analyzed.relations {
        if relation.relation == "co_occurs" {
            continue;
        }
        let triple = Triple {
            source: id(relation.source),
            relation: relation.relation.to_string(),
            target: id(relation.target),
        };
        result.rules.insert(relation.rule.clone());
        if let Some(role) = &relation.role {
            result
                .roles
                .entry(triple.clone())
                .or_default()
                .insert(role.clone());
        }
        if relation.hedged {
            result.hedged.insert(triple.clone());
        }
        if relation.negated {
            result.negated.insert(triple);
        } else {
            result.positive.insert(triple);
        }
    }
    result
}

/// Problems with the mention spans: each must cut a surface out of the text that is a
/// name, alias or demonym of its entity (or a surname form, for a surname mention).
fn span_problems(analyzed: &Analyzed, gazetteer: &Gazetteer) -> Vec<String> {
    let text = &analyzed.text;
    let mut problems = Vec::new();
    for mention in &analyzed.mentions {
        let entity = table(analyzed, gazetteer).entity(mention.entity);
        let Some(surface) = text.get(mention.start..mention.end) else {
            problems.push(format!(
                "mention {}..{} of {} is not a span of the text",
                mention.start, mention.end, entity.id
            ));
            continue;
        };
        let names = std::iter::once(&entity.name).chain(&entity.aliases);
        let forms: Vec<String> = match mention.kind {
            MatchKind::Name => names.map(|n| fold_alias(n)).collect(),
            MatchKind::Demonym => entity.demonyms.iter().map(|d| fold_alias(d)).collect(),
            MatchKind::Surname => names.flat_map(|n| surname_forms(n)).collect(),
            // "the prime minister": "the" and a role word of the rules file.
            MatchKind::Role => vec![fold_alias(surface)]
                .into_iter()
                .filter(|f| f.starts_with("the "))
                .collect(),
        };
        if surface.trim() != surface || !forms.contains(&fold_alias(surface)) {
            problems.push(format!(
                "mention {}..{} {surface:?} is no {} form of {}",
                mention.start,
                mention.end,
                mention.kind.as_str(),
                entity.id
            ));
        }
    }
    problems
}

fn list(triples: &BTreeSet<Triple>) -> String {
    if triples.is_empty() {
        return "(none)".into();
    }
    triples
        .iter()
        .map(Triple::to_string)
        .collect::<Vec<_>>()
        .join("; ")
}

/// Check one case; returns the problems found.
fn check(case: &Case, parsed: &Parsed, analyzed: &Analyzed, found: &Actual) -> Vec<String> {
    let mut problems = Vec::new();
    if analyzed.text != case.sentence {
        problems.push(format!(
            "cleaning changed the sentence to {:?}",
            analyzed.text
        ));
    }
    if analyzed.sentences.len() != 1 {
        problems.push(format!(
            "split into {} sentences, not one",
            analyzed.sentences.len()
        ));
    }
    if found.positive != parsed.expect {
        problems.push(format!(
            "relations: expected {}, got {}",
            list(&parsed.expect),
            list(&found.positive)
        ));
    }
    if found.negated != parsed.negated {
        problems.push(format!(
            "negated relations: expected {}, got {}",
            list(&parsed.negated),
            list(&found.negated)
        ));
    }
    if found.hedged != parsed.hedged {
        problems.push(format!(
            "hedged relations: expected {}, got {}",
            list(&parsed.hedged),
            list(&found.hedged)
        ));
    }
    for triple in parsed.absent.intersection(&found.positive) {
        problems.push(format!("{triple} must be absent but was found"));
    }
    for (triple, role) in &parsed.roles {
        let roles = found.roles.get(triple);
        if !roles.is_some_and(|r| r.contains(role)) {
            problems.push(format!(
                "{triple}: expected role {role:?}, got {:?}",
                roles.map(|r| r.iter().collect::<Vec<_>>())
            ));
        }
    }
    problems
}

#[test]
fn relation_rules_table() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let analyzer = Analyzer::load(&[root.join("gazetteers")]).expect("bundled gazetteers load");
    let path = root.join("tests/data/relations.toml");
    let text = std::fs::read_to_string(&path).expect("tests/data/relations.toml is readable");
    let table: Table = toml::from_str(&text).expect("tests/data/relations.toml parses");
    let gazetteer = &analyzer.gazetteer;

    assert!(
        table.case.len() >= MIN_CASES,
        "the table has {} cases, fewer than {MIN_CASES}",
        table.case.len()
    );
    let mut report = String::new();
    let mut failed = 0;
    let mut expected_types = BTreeSet::new();
    let mut rules_used = BTreeSet::new();
    let mut sentences = BTreeSet::new();
    for (index, case) in table.case.iter().enumerate() {
        let number = index + 1;
        if !sentences.insert(case.sentence.as_str()) {
            panic!("case {number}: duplicate sentence {:?}", case.sentence);
        }
        let parsed = parse_case(case, gazetteer)
            .unwrap_or_else(|e| panic!("case {number} ({:?}): {e}", case.sentence));
        expected_types.extend(parsed.expect.iter().map(|t| t.relation.clone()));
        let analyzed = analyze(&analyzer, index, &case.sentence);
        let found = actual(&analyzed, gazetteer);
        let mut problems = span_problems(&analyzed, gazetteer);
        problems.extend(check(case, &parsed, &analyzed, &found));
        if problems.is_empty() {
            rules_used.extend(found.rules);
        } else {
            failed += 1;
            let _ = writeln!(report, "\ncase {number}: {:?}", case.sentence);
            let _ = writeln!(report, "  expected:         {}", list(&parsed.expect));
            let _ = writeln!(report, "  expected negated: {}", list(&parsed.negated));
            let _ = writeln!(report, "  actual:           {}", list(&found.positive));
            let _ = writeln!(report, "  actual negated:   {}", list(&found.negated));
            for problem in problems {
                let _ = writeln!(report, "  - {problem}");
            }
        }
    }
    if failed > 0 {
        report.insert_str(
            0,
            &format!("{failed} of {} relation cases failed:\n", table.case.len()),
        );
    }

    let missing_types: Vec<&str> = (RelationType::TYPED.iter())
        .map(|r| r.as_str())
        .filter(|r| !expected_types.contains(*r))
        .collect();
    if !missing_types.is_empty() {
        let _ = writeln!(
            report,
            "\nno case expects these relation types: {missing_types:?}"
        );
    }

    // Every rule must form a relation in some passing case, except the known unreachable
    // ones; an entry there must still name an uncovered rule, so a fixed rule needs a case.
    let all_rules: Vec<String> = analyzer
        .rules
        .rules
        .iter()
        .map(|r| format!("{}: {}", r.relation, r.source))
        .collect();
    for rule in &all_rules {
        let known = UNREACHABLE_RULES.contains(&rule.as_str());
        match (rules_used.contains(rule), known) {
            (false, false) => {
                let _ = writeln!(report, "\nno passing case is decided by rule `{rule}`");
            }
            (true, true) => {
                let _ = writeln!(
                    report,
                    "\nrule `{rule}` now decides a case: remove it from UNREACHABLE_RULES"
                );
            }
            _ => {}
        }
    }
    for rule in UNREACHABLE_RULES {
        if !all_rules.iter().any(|r| r == rule) {
            let _ = writeln!(
                report,
                "\nUNREACHABLE_RULES names `{rule}`, which is no longer a rule: remove it \
                 and add a case for its replacement"
            );
        }
    }
    assert!(report.is_empty(), "{report}");
}
