//! `newsgraph eval`: score the relations of a database made by `newsgraph build` against
//! gold relations in JSONL (format and rules: `docs/eval.md`).
//!
//! A predicted relation is a stored, non-negated rule relation (`co_occurs` is not a
//! prediction). It matches a gold relation of the same document and type when each side
//! matches by name: a gold argument matches an entity when the folded gold text equals,
//! contains (as whole words) or is contained in (as whole words) the entity's name, one of
//! its aliases or demonyms, or the text of one of its mentions in that document. A `null`
//! gold argument says nothing about that side and matches anything. Both sides are
//! deduplicated per document (gold by folded text, predictions by entity ids) and matched
//! one to one (a maximum bipartite matching per document and type).

use crate::error::{Error, Result};
use crate::model::RelationType;
use crate::store::Store;
use crate::text::fold_alias;
use rusqlite::OptionalExtension;
use serde::Deserialize;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::io::{BufRead, Write};
use std::path::Path;

/// One line of the gold file.
#[derive(Debug, Clone, Deserialize)]
pub struct GoldDocument {
    /// The document id, as given to `newsgraph build` (a number becomes its decimal text).
    #[serde(deserialize_with = "id_text")]
    pub id: String,
    /// The document text (not used in scoring: the database has the text).
    #[serde(default)]
    pub text: Option<String>,
    #[serde(default)]
    pub date: Option<String>,
    #[serde(default)]
    pub entities: Vec<GoldEntity>,
    #[serde(default)]
    pub relations: Vec<GoldRelation>,
}

/// A gold entity mention: its surface text and a free-form type label.
#[derive(Debug, Clone, Deserialize)]
pub struct GoldEntity {
    pub text: String,
    #[serde(rename = "type", default)]
    pub kind: Option<String>,
}

/// A gold relation between surface texts; a `null` side is not annotated.
#[derive(Debug, Clone, Deserialize)]
pub struct GoldRelation {
    pub source: Option<String>,
    pub relation: String,
    pub target: Option<String>,
    /// The sentence that states it, shown with a miss.
    #[serde(default)]
    pub evidence: Option<String>,
}

fn id_text<'de, D: serde::Deserializer<'de>>(d: D) -> std::result::Result<String, D::Error> {
    match serde_json::Value::deserialize(d)? {
        serde_json::Value::String(s) => Ok(s),
        serde_json::Value::Number(n) => Ok(n.to_string()),
        other => Err(serde::de::Error::custom(format!(
            "`id` must be a string or a number, not {other}"
        ))),
    }
}

/// Read a gold JSONL file; blank lines are skipped, anything else that is not a valid
/// gold document stops with `file:line:column: message`.
pub fn read_gold(path: &Path) -> Result<Vec<GoldDocument>> {
    let file = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
    let mut documents: Vec<GoldDocument> = Vec::new();
    let mut seen: HashMap<String, usize> = HashMap::new();
    for (index, line) in std::io::BufReader::new(file).lines().enumerate() {
        let number = index + 1;
        let line = line.map_err(|e| Error::io(path, e))?;
        if line.trim().is_empty() {
            continue;
        }
        let document: GoldDocument = serde_json::from_str(&line)
            .map_err(|e| Error::parse(path, number, e.column(), e.to_string()))?;
        for relation in &document.relations {
            let bad = |message: String| Error::parse(path, number, 1, message);
            if RelationType::typed(&relation.relation).is_none() {
                return Err(bad(format!(
                    "unknown relation {:?} in document {:?}; expected one of: {}",
                    relation.relation,
                    document.id,
                    RelationType::typed_names()
                )));
            }
            let named =
                |side: &Option<String>| side.as_deref().is_some_and(|s| !folded(s).is_empty());
            if !named(&relation.source) && !named(&relation.target) {
                return Err(bad(format!(
                    "a {} relation in document {:?} names neither source nor target",
                    relation.relation, document.id
                )));
            }
        }
        if let Some(first) = seen.insert(document.id.clone(), number) {
            return Err(Error::parse(
                path,
                number,
                1,
                format!("document {:?} is already on line {first}", document.id),
            ));
        }
        documents.push(document);
    }
    Ok(documents)
}

/// Entity scores of one class: the gold entities of the class (deduplicated per document
/// by folded text) against the distinct entities of the class the document mentions,
/// matched by name as relation parties are. A prediction is correct when it matches some
/// gold entity of its class, and a gold entity found when some prediction of its class
/// matches it: precision and recall each count their own side.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EntityScore {
    pub class: String,
    pub gold: usize,
    pub predicted: usize,
    pub correct: usize,
    pub found: usize,
}

impl EntityScore {
    pub fn precision(&self) -> Option<f64> {
        (self.predicted > 0).then(|| self.correct as f64 / self.predicted as f64)
    }

    pub fn recall(&self) -> Option<f64> {
        (self.gold > 0).then(|| self.found as f64 / self.gold as f64)
    }

    pub fn f1(&self) -> Option<f64> {
        let (p, r) = (self.precision()?, self.recall()?);
        Some(if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        })
    }
}

/// Counts and scores of one relation type (or the micro total).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Score {
    pub relation: String,
    /// Gold relations, deduplicated per document.
    pub gold: usize,
    /// Predicted relations, deduplicated per document.
    pub predicted: usize,
    /// Matched pairs.
    pub correct: usize,
}

impl Score {
    pub fn precision(&self) -> Option<f64> {
        (self.predicted > 0).then(|| self.correct as f64 / self.predicted as f64)
    }

    pub fn recall(&self) -> Option<f64> {
        (self.gold > 0).then(|| self.correct as f64 / self.gold as f64)
    }

    pub fn f1(&self) -> Option<f64> {
        let (p, r) = (self.precision()?, self.recall()?);
        Some(if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        })
    }
}

/// A gold relation no prediction matched.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Miss {
    pub doc_id: String,
    pub relation: String,
    pub source: Option<String>,
    pub target: Option<String>,
    /// The gold `evidence`, else the first stored sentence that contains both named
    /// arguments (or the named one).
    pub sentence: Option<String>,
    /// Whether some entity mentioned in the document matches the source / target by name
    /// (`true` for a `null` side).
    pub source_found: bool,
    pub target_found: bool,
    /// The document is not in the database.
    pub no_document: bool,
}

/// A prediction no gold relation matched.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FalseHit {
    pub doc_id: String,
    pub relation: String,
    /// Entity id and name.
    pub source: Option<(String, String)>,
    pub target: Option<(String, String)>,
    pub sentence: String,
}

/// The result of [`evaluate`].
#[derive(Debug, Clone, Default)]
pub struct Report {
    /// One per scored relation type, in [`RELATION_TYPES`] order.
    pub scores: Vec<Score>,
    /// Sums over `scores`.
    pub total: Score,
    /// Gold entities (deduplicated per document by folded text) and how many of them some
    /// mentioned entity of their document matches by name.
    pub entities_gold: usize,
    pub entities_found: usize,
    /// Entity scores per class (organisation, person, place; [`entity_class`]).
    pub entity_scores: Vec<EntityScore>,
    /// Gold documents.
    pub documents: usize,
    /// Gold document ids the database does not have.
    pub missing_documents: Vec<String>,
    pub misses: Vec<Miss>,
    pub false_hits: Vec<FalseHit>,
}

/// What to score.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Score only these relation types; `None`: every type the gold has.
    pub relations: Option<Vec<String>>,
}

/// Text folded for name comparison: the gazetteer folding (lower case, no diacritics,
/// dashes and apostrophes as spaces), with surrounding punctuation and a leading "the"
/// removed.
fn folded(text: &str) -> String {
    let f = fold_alias(text);
    let f = f.trim_matches(|c: char| !c.is_alphanumeric());
    f.strip_prefix("the ").unwrap_or(f).trim().to_string()
}

/// Whether `needle` occurs in `hay` as whole words.
fn contains_words(hay: &str, needle: &str) -> bool {
    if needle.is_empty() {
        return false;
    }
    hay.match_indices(needle).any(|(at, _)| {
        let before = hay[..at].chars().next_back();
        let after = hay[at + needle.len()..].chars().next();
        !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
    })
}

/// Whether a folded gold argument names an entity known by the folded `name`.
pub fn names_match(gold: &str, name: &str) -> bool {
    !gold.is_empty()
        && !name.is_empty()
        && (gold == name || contains_words(gold, name) || contains_words(name, gold))
}

/// Folded names of each entity mentioned in one document: name, aliases, demonyms, and the
/// text of its mentions there.
type Names = BTreeMap<String, BTreeSet<String>>;

fn matches_entity(gold: &str, names: &Names, entity: &str) -> bool {
    names
        .get(entity)
        .is_some_and(|set| set.iter().any(|n| names_match(gold, n)))
}

/// A prediction read from the database.
struct Predicted {
    relation: String,
    source: Option<String>,
    target: Option<String>,
    sentence: String,
}

/// A gold relation, folded.
struct Gold<'a> {
    relation: &'a GoldRelation,
    source: Option<String>,
    target: Option<String>,
}

fn side_matches(gold: &Option<String>, predicted: &Option<String>, names: &Names) -> bool {
    match (gold, predicted) {
        (None, _) => true,
        (Some(_), None) => false,
        (Some(g), Some(entity)) => matches_entity(g, names, entity),
    }
}

/// Maximum bipartite matching (augmenting paths): for each gold index, the predicted
/// index it is matched with.
fn match_pairs(edges: &[Vec<usize>], predicted: usize) -> Vec<Option<usize>> {
    fn augment(
        g: usize,
        edges: &[Vec<usize>],
        seen: &mut [bool],
        owner: &mut [Option<usize>],
    ) -> bool {
        for &p in &edges[g] {
            if !seen[p] {
                seen[p] = true;
                if owner[p].is_none_or(|other| augment(other, edges, seen, owner)) {
                    owner[p] = Some(g);
                    return true;
                }
            }
        }
        false
    }
    let mut owner: Vec<Option<usize>> = vec![None; predicted];
    for g in 0..edges.len() {
        let mut seen = vec![false; predicted];
        augment(g, edges, &mut seen, &mut owner);
    }
    let mut matched = vec![None; edges.len()];
    for (p, g) in owner.iter().enumerate() {
        if let Some(g) = g {
            matched[*g] = Some(p);
        }
    }
    matched
}

/// The relation types to score: those asked for with `--relations`, else every type the
/// gold has, in [`RelationType::TYPED`] order either way.
fn scored_relations<'g>(gold: &'g [GoldDocument], options: &Options) -> Result<Vec<&'g str>> {
    let in_gold: BTreeSet<&str> = gold
        .iter()
        .flat_map(|d| d.relations.iter().map(|r| r.relation.as_str()))
        .collect();
    Ok(match &options.relations {
        Some(wanted) => {
            for w in wanted {
                if RelationType::typed(w).is_none() {
                    return Err(Error::Config(format!(
                        "unknown relation {w:?} in --relations; expected one of: {}",
                        RelationType::typed_names()
                    )));
                }
            }
            (RelationType::TYPED.iter())
                .map(|r| r.as_str())
                .filter(|r| wanted.iter().any(|w| w == r))
                .collect()
        }
        None => (RelationType::TYPED.iter())
            .map(|r| r.as_str())
            .filter(|r| in_gold.contains(r))
            .collect(),
    })
}

/// The statements scoring reads the database with, prepared once for all documents.
struct Queries<'c> {
    text_of: rusqlite::Statement<'c>,
    mentions_of: rusqlite::Statement<'c>,
    names_of: rusqlite::Statement<'c>,
    entity_name: rusqlite::Statement<'c>,
    sentences_of: rusqlite::Statement<'c>,
    relations_of: rusqlite::Statement<'c>,
}

/// What the database has for one gold document.
struct DocumentFacts {
    text: String,
    /// The database does not have the document.
    missing: bool,
    mentions: Vec<(String, usize, usize)>,
    names: Names,
    predicted: Vec<Predicted>,
}

impl<'c> Queries<'c> {
    fn prepare(connection: &'c rusqlite::Connection) -> rusqlite::Result<Self> {
        Ok(Queries {
            text_of: connection.prepare("SELECT text FROM documents WHERE id = ?1")?,
            mentions_of: connection
                .prepare("SELECT entity_id, start, end FROM mentions WHERE doc_id = ?1")?,
            names_of: connection.prepare(
                "SELECT name FROM entities WHERE id = ?1 UNION SELECT alias FROM aliases WHERE entity_id = ?1",
            )?,
            entity_name: connection.prepare("SELECT name FROM entities WHERE id = ?1")?,
            sentences_of: connection
                .prepare("SELECT start, end FROM sentences WHERE doc_id = ?1 ORDER BY sentence")?,
            relations_of: connection.prepare(
                "SELECT relation, source_id, target_id, evidence FROM relations
             WHERE doc_id = ?1 AND negated = 0 AND relation != 'co_occurs' ORDER BY id",
            )?,
        })
    }

    fn document(&mut self, id: &str) -> rusqlite::Result<DocumentFacts> {
        let text: Option<String> = self.text_of.query_row([id], |r| r.get(0)).optional()?;
        let missing = text.is_none();
        let text = text.unwrap_or_default();
        let mut names: Names = BTreeMap::new();
        let mentions: Vec<(String, usize, usize)> = self
            .mentions_of
            .query_map([id], |r| {
                Ok((
                    r.get(0)?,
                    r.get::<_, i64>(1)? as usize,
                    r.get::<_, i64>(2)? as usize,
                ))
            })?
            .collect::<rusqlite::Result<_>>()?;
        for (entity, start, end) in &mentions {
            let set = names.entry(entity.clone()).or_default();
            if let Some(surface) = text.as_bytes().get(*start..*end) {
                set.insert(folded(&String::from_utf8_lossy(surface)));
            }
        }
        let predicted: Vec<Predicted> = self
            .relations_of
            .query_map([id], |r| {
                Ok(Predicted {
                    relation: r.get(0)?,
                    source: r.get(1)?,
                    target: r.get(2)?,
                    sentence: r.get(3)?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        self.add_known_names(&mut names, &predicted)?;
        Ok(DocumentFacts {
            text,
            missing,
            mentions,
            names,
            predicted,
        })
    }

    /// Add the names and aliases of the mentioned and predicted entities to `names`.
    fn add_known_names(
        &mut self,
        names: &mut Names,
        predicted: &[Predicted],
    ) -> rusqlite::Result<()> {
        // Entities of predictions always have mentions in the document, but be safe.
        let entity_ids: BTreeSet<String> = names
            .keys()
            .cloned()
            .chain(
                predicted
                    .iter()
                    .flat_map(|p| [p.source.clone(), p.target.clone()])
                    .flatten(),
            )
            .collect();
        for entity in entity_ids {
            let known: Vec<String> = self
                .names_of
                .query_map([&entity], |r| r.get::<_, String>(0))?
                .collect::<rusqlite::Result<_>>()?;
            let set = names.entry(entity).or_default();
            set.extend(known.iter().map(|n| folded(n)));
        }
        Ok(())
    }

    fn sentences(&mut self, id: &str) -> rusqlite::Result<Vec<(usize, usize)>> {
        self.sentences_of
            .query_map([id], |r| {
                Ok((r.get::<_, i64>(0)? as usize, r.get::<_, i64>(1)? as usize))
            })?
            .collect()
    }

    /// An entity id with its name (empty when the database lacks the entity).
    fn named(&mut self, id: &Option<String>) -> rusqlite::Result<Option<(String, String)>> {
        let Some(id) = id else { return Ok(None) };
        let name: Option<String> = self.entity_name.query_row([id], |r| r.get(0)).optional()?;
        Ok(Some((id.clone(), name.unwrap_or_default())))
    }
}

/// Score the database in `store` against `gold`.
pub fn evaluate(store: &Store, gold: &[GoldDocument], options: &Options) -> Result<Report> {
    let db = |cause| Error::Database {
        path: store.path().to_path_buf(),
        cause,
    };
    let scored = scored_relations(gold, options)?;
    let mut scores: BTreeMap<&str, Score> = scored
        .iter()
        .map(|r| {
            (
                *r,
                Score {
                    relation: r.to_string(),
                    ..Score::default()
                },
            )
        })
        .collect();

    let mut entity_scores: BTreeMap<&str, EntityScore> = ENTITY_CLASSES
        .iter()
        .map(|&class| {
            let score = EntityScore {
                class: class.to_string(),
                ..EntityScore::default()
            };
            (class, score)
        })
        .collect();
    let mut queries = Queries::prepare(store.connection()).map_err(db)?;
    let mut report = Report {
        documents: gold.len(),
        ..Report::default()
    };
    for document in gold {
        let facts = queries.document(&document.id).map_err(db)?;
        if facts.missing {
            report.missing_documents.push(document.id.clone());
        }
        let mentioned: BTreeSet<&str> = facts.mentions.iter().map(|m| m.0.as_str()).collect();
        let found = |gold: &str| {
            mentioned
                .iter()
                .any(|e| matches_entity(gold, &facts.names, e))
        };
        count_gold_entities(document, &found, &mut report);
        score_entity_classes(document, &facts, &mut entity_scores);
        for relation in &scored {
            let scoring = Scoring {
                document,
                facts: &facts,
                relation,
                found: &found,
            };
            let score = scores.get_mut(relation).expect("scored type");
            scoring
                .score(&mut queries, score, &mut report)
                .map_err(db)?;
        }
    }
    report.scores = scored.iter().map(|r| scores[r].clone()).collect();
    report.entity_scores = entity_scores.into_values().collect();
    report.total = Score {
        relation: "total (micro)".into(),
        gold: report.scores.iter().map(|s| s.gold).sum(),
        predicted: report.scores.iter().map(|s| s.predicted).sum(),
        correct: report.scores.iter().map(|s| s.correct).sum(),
    };
    Ok(report)
}

/// The entity classes scored by type.
const ENTITY_CLASSES: [&str; 3] = ["organisation", "person", "place"];

/// The class of a gold entity type (CoNLL04's Peop, Org, Loc; ACE/KAIROS's PER, ORG,
/// GPE, LOC) or of a newsgraph entity id's type prefix; `None` for the rest (dates,
/// weapons, CoNLL04's Other).
fn entity_class(kind: &str) -> Option<&'static str> {
    match kind {
        "Peop" | "PER" | "person" => Some("person"),
        "Org" | "ORG" | "organization" | "armed_group" | "government" => Some("organisation"),
        "Loc" | "GPE" | "LOC" | "place" => Some("place"),
        _ => None,
    }
}

/// Score the mentioned entities of one document against its gold entities, per class.
fn score_entity_classes(
    document: &GoldDocument,
    facts: &DocumentFacts,
    scores: &mut BTreeMap<&str, EntityScore>,
) {
    // A document whose entities are not annotated (relations only) scores none.
    if document.entities.is_empty() {
        return;
    }
    for class in ENTITY_CLASSES {
        let golds: BTreeSet<String> = (document.entities.iter())
            .filter(|e| e.kind.as_deref().and_then(entity_class) == Some(class))
            .map(|e| folded(&e.text))
            .filter(|f| !f.is_empty())
            .collect();
        let predicted: BTreeSet<&str> = (facts.mentions.iter())
            .map(|m| m.0.as_str())
            .filter(|id| id.split('/').next().and_then(entity_class) == Some(class))
            .collect();
        let score = scores.get_mut(class).expect("scored class");
        score.gold += golds.len();
        score.predicted += predicted.len();
        score.correct += predicted
            .iter()
            .filter(|e| golds.iter().any(|g| matches_entity(g, &facts.names, e)))
            .count();
        score.found += golds
            .iter()
            .filter(|g| predicted.iter().any(|e| matches_entity(g, &facts.names, e)))
            .count();
    }
}

/// Count the gold entities of `document`, deduplicated by folded text, and those `found`.
fn count_gold_entities(document: &GoldDocument, found: &dyn Fn(&str) -> bool, report: &mut Report) {
    let mut gold_entities: BTreeSet<String> = BTreeSet::new();
    for entity in &document.entities {
        let f = folded(&entity.text);
        if !f.is_empty() {
            gold_entities.insert(f);
        }
    }
    report.entities_gold += gold_entities.len();
    report.entities_found += gold_entities.iter().filter(|g| found(g)).count();
}

/// One relation type of one gold document being scored.
struct Scoring<'a> {
    document: &'a GoldDocument,
    facts: &'a DocumentFacts,
    relation: &'a str,
    /// Whether some entity mentioned in the document matches a folded gold argument.
    found: &'a dyn Fn(&str) -> bool,
}

impl Scoring<'_> {
    /// Match the gold relations with the predictions, add the counts to `score` and the
    /// misses and false hits to `report`.
    fn score(
        &self,
        queries: &mut Queries,
        score: &mut Score,
        report: &mut Report,
    ) -> rusqlite::Result<()> {
        let golds = self.distinct_golds();
        let preds = self.distinct_predictions();
        let matched = self.match_golds(&golds, &preds);
        let correct = matched.iter().flatten().count();
        score.gold += golds.len();
        score.predicted += preds.len();
        score.correct += correct;

        let sentences: Vec<(usize, usize)> = if matched.iter().any(Option::is_none) {
            queries.sentences(&self.document.id)?
        } else {
            Vec::new()
        };
        self.record_misses(&golds, &matched, &sentences, report);
        self.record_false_hits(&preds, &matched, queries, report)
    }

    /// The gold relations of this type, once per folded (source, target).
    fn distinct_golds(&self) -> Vec<Gold<'_>> {
        let mut seen = BTreeSet::new();
        self.document
            .relations
            .iter()
            .filter(|r| r.relation == self.relation)
            .map(|r| Gold {
                relation: r,
                source: r.source.as_deref().map(folded).filter(|s| !s.is_empty()),
                target: r.target.as_deref().map(folded).filter(|s| !s.is_empty()),
            })
            .filter(|g| seen.insert((g.source.clone(), g.target.clone())))
            .collect()
    }

    /// The predictions of this type, once per (source, target) entity ids.
    fn distinct_predictions(&self) -> Vec<&Predicted> {
        let mut seen = BTreeSet::new();
        self.facts
            .predicted
            .iter()
            .filter(|p| p.relation == self.relation)
            .filter(|p| seen.insert((p.source.clone(), p.target.clone())))
            .collect()
    }

    /// For each gold relation, the index of the prediction it is matched with.
    fn match_golds(&self, golds: &[Gold], preds: &[&Predicted]) -> Vec<Option<usize>> {
        let names = &self.facts.names;
        let edges: Vec<Vec<usize>> = golds
            .iter()
            .map(|g| {
                (0..preds.len())
                    .filter(|&p| {
                        side_matches(&g.source, &preds[p].source, names)
                            && side_matches(&g.target, &preds[p].target, names)
                    })
                    .collect()
            })
            .collect();
        match_pairs(&edges, preds.len())
    }

    fn record_misses(
        &self,
        golds: &[Gold],
        matched: &[Option<usize>],
        sentences: &[(usize, usize)],
        report: &mut Report,
    ) {
        let text = &self.facts.text;
        for (g, m) in golds.iter().zip(matched) {
            if m.is_some() {
                continue;
            }
            let sentence = g.relation.evidence.clone().or_else(|| {
                let named: Vec<&String> = [&g.source, &g.target].into_iter().flatten().collect();
                sentences.iter().find_map(|&(start, end)| {
                    let s = String::from_utf8_lossy(text.as_bytes().get(start..end)?).into_owned();
                    let f = fold_alias(&s);
                    named.iter().all(|n| contains_words(&f, n)).then_some(s)
                })
            });
            report.misses.push(Miss {
                doc_id: self.document.id.clone(),
                relation: self.relation.to_string(),
                source: g.relation.source.clone(),
                target: g.relation.target.clone(),
                sentence,
                source_found: g.source.as_deref().is_none_or(self.found),
                target_found: g.target.as_deref().is_none_or(self.found),
                no_document: self.facts.missing,
            });
        }
    }

    fn record_false_hits(
        &self,
        preds: &[&Predicted],
        matched: &[Option<usize>],
        queries: &mut Queries,
        report: &mut Report,
    ) -> rusqlite::Result<()> {
        let taken: BTreeSet<usize> = matched.iter().flatten().copied().collect();
        for (p, pred) in preds.iter().enumerate() {
            if taken.contains(&p) {
                continue;
            }
            report.false_hits.push(FalseHit {
                doc_id: self.document.id.clone(),
                relation: self.relation.to_string(),
                source: queries.named(&pred.source)?,
                target: queries.named(&pred.target)?,
                sentence: pred.sentence.clone(),
            });
        }
        Ok(())
    }
}

fn ratio(value: Option<f64>) -> String {
    value.map_or_else(|| "-".to_string(), |v| format!("{v:.3}"))
}

fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The per-class entity table.
fn write_entity_scores(scores: &[EntityScore], out: &mut impl Write) -> std::io::Result<()> {
    writeln!(
        out,
        "\n{:<16} {:>6} {:>9} {:>9} {:>9} {:>9} {:>9}",
        "entities", "gold", "predicted", "correct", "precision", "recall", "f1"
    )?;
    for score in scores {
        writeln!(
            out,
            "{:<16} {:>6} {:>9} {:>9} {:>9} {:>9} {:>9}",
            score.class,
            score.gold,
            score.predicted,
            score.correct,
            ratio(score.precision()),
            ratio(score.recall()),
            ratio(score.f1())
        )?;
    }
    Ok(())
}

impl Report {
    /// Print the score table, and with `show_errors` every miss and false hit with its
    /// sentence.
    pub fn write(&self, out: &mut impl Write, show_errors: bool) -> std::io::Result<()> {
        writeln!(
            out,
            "{:<14} {:>6} {:>9} {:>7} {:>9} {:>7} {:>7}",
            "relation", "gold", "predicted", "correct", "precision", "recall", "F1"
        )?;
        for score in self.scores.iter().chain([&self.total]) {
            writeln!(
                out,
                "{:<14} {:>6} {:>9} {:>7} {:>9} {:>7} {:>7}",
                score.relation,
                score.gold,
                score.predicted,
                score.correct,
                ratio(score.precision()),
                ratio(score.recall()),
                ratio(score.f1())
            )?;
        }
        write_entity_scores(&self.entity_scores, out)?;
        writeln!(
            out,
            "gold entities matched by a mentioned entity: {} of {}{}",
            self.entities_found,
            self.entities_gold,
            if self.entities_gold > 0 {
                format!(
                    " ({:.1}%)",
                    100.0 * self.entities_found as f64 / self.entities_gold as f64
                )
            } else {
                String::new()
            }
        )?;
        if !self.missing_documents.is_empty() {
            writeln!(
                out,
                "gold documents not in the database: {} of {} (their relations are misses; first: {})",
                self.missing_documents.len(),
                self.documents,
                self.missing_documents[0]
            )?;
        }
        if !show_errors {
            return Ok(());
        }
        writeln!(out, "\nmisses ({}):", self.misses.len())?;
        for miss in &self.misses {
            let side = |text: &Option<String>, found: bool| match text {
                None => "(none)".to_string(),
                Some(t) if found => format!("{t:?}"),
                Some(t) => format!("{t:?} [not found]"),
            };
            writeln!(
                out,
                "{}\t{} {} {}{}",
                miss.doc_id,
                side(&miss.source, miss.source_found),
                miss.relation,
                side(&miss.target, miss.target_found),
                if miss.no_document {
                    " [document not in the database]"
                } else {
                    ""
                }
            )?;
            if let Some(sentence) = &miss.sentence {
                writeln!(out, "\t| {}", one_line(sentence))?;
            }
        }
        writeln!(out, "\nfalse hits ({}):", self.false_hits.len())?;
        for hit in &self.false_hits {
            let side = |s: &Option<(String, String)>| match s {
                None => "(none)".to_string(),
                Some((id, name)) => format!("{name:?} ({id})"),
            };
            writeln!(
                out,
                "{}\t{} {} {}",
                hit.doc_id,
                side(&hit.source),
                hit.relation,
                side(&hit.target)
            )?;
            writeln!(out, "\t| {}", one_line(&hit.sentence))?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pipeline::{BuildConfig, build};

    const RULES: &str = r#"
[sets]
negation = ["not", "n't"]

[[relation]]
type = "attacked"
verbs.hit = ["attack"]
patterns = ["{src} ~ <hit> ~2 {tgt}", "<hit> on ~2 {tgt}"]

[[relation]]
type = "condemned"
verbs.blame = ["condemn"]
patterns = ["{src:+demonym} ~ <blame> ~2 {tgt}"]
"#;

    const GAZETTEER: &str = "id\tname\ttype\taliases\tdemonyms\n\
        armed_group/hamas\tHamas\tarmed_group\tHarakat al-Muqawama al-Islamiya\t\n\
        place/isr\tIsrael\tplace\t\tIsraeli\n\
        place/irq\tIraq\tplace\t\tIraqi\n\
        government/irq\tGovernment of Iraq\tgovernment\tIraqi government\t\n\
        armed_group/hezbollah\tHezbollah\tarmed_group\t\t\n";

    /// Build `documents` (id, text) into a database in `dir` with the test gazetteer.
    fn database(dir: &Path, documents: &[(&str, &str)]) -> Store {
        let gazetteers = dir.join("gazetteers");
        std::fs::create_dir_all(&gazetteers).unwrap();
        std::fs::write(gazetteers.join("g.tsv"), GAZETTEER).unwrap();
        std::fs::write(gazetteers.join("relations.toml"), RULES).unwrap();
        let input = dir.join("docs.jsonl");
        let lines: Vec<String> = documents
            .iter()
            .map(|(id, text)| serde_json::json!({"id": id, "text": text}).to_string())
            .collect();
        std::fs::write(&input, lines.join("\n")).unwrap();
        let out = dir.join("out");
        build(&BuildConfig {
            inputs: vec![input],
            gazetteers: vec![gazetteers],
            out: out.clone(),
            jobs: 1,
            warn: |_| {},
            progress: None,
            gazetteer_cache: None,
            min_discovered_mentions: crate::graph::DEFAULT_MIN_DISCOVERED_MENTIONS,
        })
        .unwrap();
        Store::open_existing(&out.join("newsgraph.sqlite")).unwrap()
    }

    fn gold(lines: &[serde_json::Value]) -> Vec<GoldDocument> {
        lines
            .iter()
            .map(|l| serde_json::from_value(l.clone()).unwrap())
            .collect()
    }

    fn score<'a>(report: &'a Report, relation: &str) -> &'a Score {
        report
            .scores
            .iter()
            .find(|s| s.relation == relation)
            .unwrap()
    }

    #[test]
    fn names_match_whole_words_either_way() {
        assert!(names_match("hamas", "hamas"));
        assert!(names_match("hamas fighters", "hamas"));
        assert!(names_match("us", "us embassy"));
        assert!(names_match("islamic state", "islamic state in iraq"));
        assert!(!names_match("is", "islamic state"));
        assert!(!names_match("iraq", "iraqi"));
        assert!(!names_match("", "hamas"));
        assert_eq!(folded("The Iraqi  Government."), "iraqi government");
        assert_eq!(folded("Kata’ib al-Shuhada"), "kataib al shuhada");
    }

    #[test]
    fn one_prediction_matches_one_gold_relation() {
        // Gold 0 can take predictions 0 and 1, gold 1 only prediction 0.
        assert_eq!(match_pairs(&[vec![0, 1], vec![0]], 2), [Some(1), Some(0)]);
        assert_eq!(match_pairs(&[vec![0], vec![0]], 1), [Some(0), None]);
    }

    #[test]
    fn scores_per_type_with_names_aliases_and_mentions() {
        let dir = tempfile::tempdir().unwrap();
        let store = database(
            dir.path(),
            &[
                (
                    "d1",
                    "Hamas attacked Israel on Monday. The Iraqi government condemned Hamas. \
                     Hezbollah did not attack Israel.",
                ),
                ("d2", "Officials spoke of an attack on Israel."),
            ],
        );
        let gold = gold(&[
            serde_json::json!({"id": "d1", "text": "…", "entities": [
                {"text": "Hamas", "type": "ORG"}, {"text": "Israel", "type": "GPE"},
                {"text": "the gunmen", "type": "PER"}],
             "relations": [
                // By an alias of Hamas in the gold, and a text containing the name.
                {"source": "Harakat al-Muqawama al-Islamiya", "relation": "attacked", "target": "southern Israel"},
                // The same, written differently: one gold relation after folding.
                {"source": "harakat al muqawama al islamiya", "relation": "attacked", "target": "Southern Israel"},
                // Only a negated prediction: a miss.
                {"source": "Hezbollah", "relation": "attacked", "target": "Israel"},
                // "Iraqi" is a whole word of the alias "Iraqi government".
                {"source": "Iraqi", "relation": "condemned", "target": "Hamas"}]}),
            // A null source matches the prediction without one.
            serde_json::json!({"id": "d2", "relations": [
                {"source": null, "relation": "attacked", "target": "Israel"}]}),
            serde_json::json!({"id": "d3", "relations": [
                {"source": "Hamas", "relation": "attacked", "target": "Israel"}]}),
        ]);
        let report = evaluate(&store, &gold, &Options::default()).unwrap();
        let attacked = score(&report, "attacked");
        assert_eq!(
            (attacked.gold, attacked.predicted, attacked.correct),
            (4, 2, 2)
        );
        let condemned = score(&report, "condemned");
        assert_eq!(
            (condemned.gold, condemned.predicted, condemned.correct),
            (1, 1, 1)
        );
        assert_eq!(report.scores.len(), 2, "only the types in the gold");
        assert_eq!(
            (
                report.total.gold,
                report.total.predicted,
                report.total.correct
            ),
            (5, 3, 3)
        );
        assert_eq!(report.total.precision(), Some(1.0));
        assert_eq!(report.total.recall(), Some(0.6));
        assert_eq!(report.missing_documents, ["d3"]);
        assert_eq!((report.entities_found, report.entities_gold), (2, 3));
        let misses: Vec<(&str, Option<&str>, bool)> = report
            .misses
            .iter()
            .map(|m| (m.doc_id.as_str(), m.source.as_deref(), m.no_document))
            .collect();
        assert_eq!(
            misses,
            [
                ("d1", Some("Hezbollah"), false),
                ("d3", Some("Hamas"), true)
            ]
        );
        assert_eq!(
            report.misses[0].sentence.as_deref(),
            Some("Hezbollah did not attack Israel.")
        );
        assert!(report.false_hits.is_empty());

        let mut table = Vec::new();
        report.write(&mut table, true).unwrap();
        let table = String::from_utf8(table).unwrap();
        assert!(
            table.contains("attacked            4         2       2     1.000   0.500   0.667"),
            "{table}"
        );
        assert!(table.contains("misses (2):"), "{table}");
    }

    #[test]
    fn unmatched_predictions_are_false_hits_and_relations_can_be_restricted() {
        let dir = tempfile::tempdir().unwrap();
        let store = database(
            dir.path(),
            &[(
                "d1",
                "Hezbollah attacked Israel. Iraqi officials condemned Hamas.",
            )],
        );
        let gold = gold(&[serde_json::json!({"id": "d1", "relations": [
            {"source": "Hamas", "relation": "attacked", "target": "Israel"},
            {"source": "Iraq", "relation": "condemned", "target": "Hamas"}]})]);
        let options = Options {
            relations: Some(vec!["attacked".into()]),
        };
        let report = evaluate(&store, &gold, &options).unwrap();
        assert_eq!(report.scores.len(), 1);
        let attacked = score(&report, "attacked");
        assert_eq!(
            (attacked.gold, attacked.predicted, attacked.correct),
            (1, 1, 0)
        );
        assert_eq!(attacked.f1(), Some(0.0));
        assert_eq!(report.false_hits.len(), 1);
        let hit = &report.false_hits[0];
        assert_eq!(
            hit.source,
            Some(("armed_group/hezbollah".into(), "Hezbollah".into()))
        );
        assert_eq!(hit.sentence, "Hezbollah attacked Israel.");

        let options = Options {
            relations: Some(vec!["hugged".into()]),
        };
        let error = evaluate(&store, &gold, &options).unwrap_err().to_string();
        assert!(error.contains("unknown relation \"hugged\""), "{error}");
    }

    #[test]
    fn bad_gold_lines_are_reported_with_their_line() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("gold.jsonl");
        let check = |content: &str, expected: &str| {
            std::fs::write(&path, content).unwrap();
            let error = read_gold(&path).unwrap_err().to_string();
            assert!(error.contains(expected), "{error}");
        };
        check(
            "{\"id\": 1, \"relations\": []}\n\n{\"id\": 2, \"relations\": [{\"source\": \"A\", \"relation\": \"hugged\", \"target\": \"B\"}]}\n",
            "gold.jsonl:3:1: unknown relation \"hugged\" in document \"2\"",
        );
        check(
            "{\"id\": \"a\", \"relations\": [{\"source\": null, \"relation\": \"attacked\", \"target\": \" \"}]}\n",
            "gold.jsonl:1:1: a attacked relation in document \"a\" names neither source nor target",
        );
        check(
            "{\"id\": \"a\"}\n{\"id\": \"a\"}\n",
            "gold.jsonl:2:1: document \"a\" is already on line 1",
        );
        check("{\"id\": \"a\"", "gold.jsonl:1:");
        std::fs::write(&path, "{\"id\": 7, \"date\": \"2024-01-01\"}\n").unwrap();
        assert_eq!(read_gold(&path).unwrap()[0].id, "7");
    }
}
