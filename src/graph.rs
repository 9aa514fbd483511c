//! The knowledge graph, built from the database: one node per mentioned entity, one edge
//! per (source, relation, target) of non-negated relations, with weight = number of
//! relation rows, the number of documents they come from and the first
//! [`DOC_IDS_PER_EDGE`] of them, first and last date and a few evidence sentences. An
//! edge holds no more than that however many documents it has, so building the graph of
//! any corpus takes bounded memory per edge. Relations with an unnamed party (NULL source
//! or target) stay in the database but cannot be edges.

use crate::error::{Error, Result};
use crate::gazetteer::EntityType;
use crate::model::RelationType;
use crate::store::Store;
use petgraph::graph::{DiGraph, NodeIndex};
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// Evidence sentences kept per edge.
pub const EVIDENCE_PER_EDGE: usize = 3;

/// Document ids listed per edge (`doc_ids`): the first in sort order. `documents` still
/// counts them all. Without a limit, an edge of a million documents would hold a million
/// ids in memory and write them into every graph file.
pub const DOC_IDS_PER_EDGE: usize = 1000;

#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub id: String,
    pub label: String,
    pub kind: String,
    pub subtype: Option<String>,
    pub country: Option<String>,
    pub mentions: i64,
    pub documents: i64,
    /// `gazetteer` for a listed entity, `discovered` for one the analysis found
    /// ([`crate::discover`]).
    pub origin: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Edge {
    pub relation: String,
    pub weight: i64,
    pub documents: i64,
    pub first_seen: Option<String>,
    pub last_seen: Option<String>,
    pub evidence: Vec<String>,
    pub doc_ids: Vec<String>,
    /// Mean rule confidence of the relation rows.
    pub confidence: f64,
    /// member_of roles seen ("spokesperson").
    pub roles: Vec<String>,
}

pub type Graph = DiGraph<Node, Edge>;

#[derive(Default)]
struct EdgeAcc {
    weight: i64,
    /// Distinct documents. A document's relation rows are inserted together, so their ids
    /// are consecutive, and in id order a document's rows of an edge come one after the
    /// other: a new document is one that differs from the row before.
    documents: i64,
    last_doc: Option<String>,
    /// The [`DOC_IDS_PER_EDGE`] first document ids in sort order.
    doc_ids: BTreeSet<String>,
    first: Option<String>,
    last: Option<String>,
    evidence: Vec<String>,
    confidence: f64,
    roles: BTreeSet<String>,
}

/// What goes into an export: "attacks in 2023 with weight ≥ 2". The default takes
/// everything: every mentioned entity is a node, every edge is kept. With any filter set,
/// only the edges that pass it are kept, and only their endpoints are nodes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filter {
    /// Relation types to keep (`attacked`, `co_occurs` ...); empty keeps all.
    pub relations: Vec<String>,
    /// Entity types both endpoints must have (`person`, `armed_group` ...); empty keeps all.
    pub entity_types: Vec<String>,
    /// Edges with a smaller weight are left out.
    pub min_weight: i64,
    /// Only relation rows published in this range count (`YYYY`, `YYYY-MM` or
    /// `YYYY-MM-DD`, inclusive, compared on the same precision); rows with no date are
    /// then left out.
    pub since: Option<String>,
    pub until: Option<String>,
    /// Leave out `co_occurs` edges.
    pub without_co_occurs: bool,
    /// Leave out discovered entities (names no gazetteer lists) mentioned fewer times in
    /// the whole store, with their edges: a month of news discovers tens of thousands of
    /// names seen once. 0 keeps them all; builds use [`DEFAULT_MIN_DISCOVERED_MENTIONS`].
    pub min_discovered_mentions: i64,
}

/// The build's and `export`'s default for [`Filter::min_discovered_mentions`].
pub const DEFAULT_MIN_DISCOVERED_MENTIONS: i64 = 3;

impl Filter {
    /// Check every value against the known relation and entity types and the date
    /// format, so a typo is an error rather than an empty graph.
    pub fn validate(&self) -> Result<()> {
        for relation in &self.relations {
            if relation != RelationType::CoOccurs.as_str()
                && RelationType::typed(relation).is_none()
            {
                return Err(Error::Config(format!(
                    "unknown relation {relation:?}; expected one of: {}, co_occurs",
                    RelationType::typed_names()
                )));
            }
        }
        for kind in &self.entity_types {
            if EntityType::parse(kind).is_none() {
                return Err(Error::Config(format!(
                    "unknown entity type {kind:?}; expected one of: person, armed_group, government, organization, place"
                )));
            }
        }
        for (name, date) in [("since", &self.since), ("until", &self.until)] {
            if let Some(date) = date
                && crate::text::dates::PartialDate::parse_iso(date).is_none()
            {
                return Err(Error::Config(format!(
                    "--{name} {date:?} is not a date (YYYY, YYYY-MM or YYYY-MM-DD)"
                )));
            }
        }
        Ok(())
    }

    fn is_everything(&self) -> bool {
        // Every edge weighs at least 1, and entities left out by their mentions are gone
        // before edges are kept or not.
        let plain = Filter {
            min_weight: if self.min_weight <= 1 {
                0
            } else {
                self.min_weight
            },
            min_discovered_mentions: 0,
            ..self.clone()
        };
        plain == Filter::default()
    }

    fn keeps_relation(&self, relation: &str) -> bool {
        (self.relations.is_empty() || self.relations.iter().any(|r| r == relation))
            && !(self.without_co_occurs && relation == "co_occurs")
    }

    fn keeps_type(&self, kind: &str) -> bool {
        self.entity_types.is_empty() || self.entity_types.iter().any(|t| t == kind)
    }
}

/// Build the graph from everything in the store, but for discovered entities mentioned
/// fewer than `min_discovered_mentions` times.
pub fn from_store(store: &Store, min_discovered_mentions: i64) -> Result<Graph> {
    from_store_filtered(
        store,
        &Filter {
            min_discovered_mentions,
            ..Filter::default()
        },
    )
}

/// (source id, relation, target id) of an edge.
type EdgeKey = (String, String, String);

/// One relation row as an edge counts it.
struct RelationRow {
    doc: String,
    published: Option<String>,
    evidence: String,
    confidence: Option<f64>,
    role: Option<String>,
}

impl EdgeAcc {
    fn add(&mut self, row: RelationRow) {
        let RelationRow {
            doc,
            published,
            evidence,
            confidence,
            role,
        } = row;
        self.weight += 1;
        if self.last_doc.as_ref() != Some(&doc) {
            self.documents += 1;
            self.doc_ids.insert(doc.clone());
            if self.doc_ids.len() > DOC_IDS_PER_EDGE {
                self.doc_ids.pop_last();
            }
            self.last_doc = Some(doc);
        }
        if let Some(date) = published {
            if self.first.as_ref().is_none_or(|f| &date < f) {
                self.first = Some(date.clone());
            }
            if self.last.as_ref().is_none_or(|l| &date > l) {
                self.last = Some(date);
            }
        }
        if self.evidence.len() < EVIDENCE_PER_EDGE && !self.evidence.contains(&evidence) {
            self.evidence.push(evidence);
        }
        self.confidence += confidence.unwrap_or(1.0);
        self.roles.extend(role);
    }

    fn into_edge(self, relation: String) -> Edge {
        Edge {
            relation,
            weight: self.weight,
            documents: self.documents,
            first_seen: self.first,
            last_seen: self.last,
            evidence: self.evidence,
            doc_ids: self.doc_ids.into_iter().collect(),
            confidence: ((self.confidence / self.weight as f64) * 100.0).round() / 100.0,
            roles: self.roles.into_iter().collect(),
        }
    }
}

/// Every mentioned entity, by id.
fn mentioned_entities(conn: &rusqlite::Connection) -> rusqlite::Result<Vec<Node>> {
    let mut nodes_all: Vec<Node> = Vec::new();
    let mut nodes = conn.prepare(
        "SELECT e.id, e.name, e.type, e.subtype, e.country, COUNT(*), COUNT(DISTINCT m.doc_id),
                e.origin = 'discovered'
             FROM entities e JOIN mentions m ON m.entity_id = e.id
             GROUP BY e.id ORDER BY e.id",
    )?;
    let rows = nodes.query_map([], |row| {
        Ok(Node {
            id: row.get(0)?,
            label: row.get(1)?,
            kind: row.get(2)?,
            subtype: row.get(3)?,
            country: row.get(4)?,
            mentions: row.get(5)?,
            documents: row.get(6)?,
            origin: if row.get(7)? {
                crate::discover::ORIGIN.to_string()
            } else {
                "gazetteer".to_string()
            },
        })
    })?;
    for node in rows {
        nodes_all.push(node?);
    }
    Ok(nodes_all)
}

/// The edges of the non-negated relations with both parties that pass the relation and
/// date filters.
fn accumulate_edges(
    conn: &rusqlite::Connection,
    filter: &Filter,
) -> rusqlite::Result<BTreeMap<EdgeKey, EdgeAcc>> {
    let mut edges: BTreeMap<EdgeKey, EdgeAcc> = BTreeMap::new();
    let mut relations = conn.prepare(
        "SELECT source_id, relation, target_id, doc_id, published, evidence, confidence, role
             FROM relations
             WHERE negated = 0 AND source_id IS NOT NULL AND target_id IS NOT NULL
               AND (?1 IS NULL OR substr(published, 1, length(?1)) >= ?1)
               AND (?2 IS NULL OR substr(published, 1, length(?2)) <= ?2)
             ORDER BY id",
    )?;
    let rows = relations.query_map(rusqlite::params![filter.since, filter.until], |row| {
        Ok((
            (
                row.get::<_, String>(0)?,
                row.get::<_, String>(1)?,
                row.get::<_, String>(2)?,
            ),
            RelationRow {
                doc: row.get::<_, String>(3)?,
                published: row.get::<_, Option<String>>(4)?,
                evidence: row.get::<_, String>(5)?,
                confidence: row.get::<_, Option<f64>>(6)?,
                role: row.get::<_, Option<String>>(7)?,
            },
        ))
    })?;
    for row in rows {
        let (key, relation) = row?;
        if !filter.keeps_relation(&key.1) {
            continue;
        }
        edges.entry(key).or_default().add(relation);
    }
    Ok(edges)
}

/// Leave out the edges under the minimum weight or with an endpoint of a type not kept.
fn retain_kept_edges(edges: &mut BTreeMap<EdgeKey, EdgeAcc>, nodes_all: &[Node], filter: &Filter) {
    let kind_of: HashMap<&str, &str> = nodes_all
        .iter()
        .map(|n| (n.id.as_str(), n.kind.as_str()))
        .collect();
    edges.retain(|(source, _, target), acc| {
        acc.weight >= filter.min_weight
            && [source, target].iter().all(|id| {
                kind_of
                    .get(id.as_str())
                    .is_some_and(|kind| filter.keeps_type(kind))
            })
    });
}

/// The graph of `edges`, with every node of `nodes_all` when `everything` is kept, else
/// only the edges' endpoints.
fn assemble(nodes_all: &[Node], edges: BTreeMap<EdgeKey, EdgeAcc>, everything: bool) -> Graph {
    let mut graph = Graph::new();
    let mut index: HashMap<String, NodeIndex> = HashMap::new();
    let endpoints: BTreeSet<&str> = edges
        .keys()
        .flat_map(|(s, _, t)| [s.as_str(), t.as_str()])
        .collect();
    for node in nodes_all {
        if everything || endpoints.contains(node.id.as_str()) {
            index.insert(node.id.clone(), graph.add_node(node.clone()));
        }
    }
    for ((source, relation, target), acc) in edges {
        let (Some(&from), Some(&to)) = (index.get(&source), index.get(&target)) else {
            continue; // an entity with no stored mention cannot happen; skip defensively
        };
        graph.add_edge(from, to, acc.into_edge(relation));
    }
    graph
}

/// Build the graph of the relations that pass `filter` (see [`Filter`]).
pub fn from_store_filtered(store: &Store, filter: &Filter) -> Result<Graph> {
    filter.validate()?;
    let db = |source| Error::Database {
        path: "graph query".into(),
        cause: source,
    };
    let conn = store.connection();
    let mut nodes_all = mentioned_entities(conn).map_err(db)?;
    nodes_all.retain(|n| {
        n.origin != crate::discover::ORIGIN || n.mentions >= filter.min_discovered_mentions
    });
    let mut edges = accumulate_edges(conn, filter).map_err(db)?;
    let everything = filter.is_everything();
    retain_kept_edges(&mut edges, &nodes_all, filter);
    Ok(assemble(&nodes_all, edges, everything))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filters_are_validated_so_typos_are_errors_not_empty_graphs() {
        let ok = Filter {
            relations: vec!["attacked".into(), "co_occurs".into()],
            entity_types: vec!["armed_group".into()],
            since: Some("2023".into()),
            until: Some("2023-12-31".into()),
            ..Filter::default()
        };
        assert!(ok.validate().is_ok());
        for (bad, message) in [
            (
                Filter {
                    relations: vec!["'; DROP TABLE relations; --".into()],
                    ..Filter::default()
                },
                "unknown relation",
            ),
            (
                Filter {
                    entity_types: vec!["militia".into()],
                    ..Filter::default()
                },
                "unknown entity type",
            ),
            (
                Filter {
                    since: Some("2023-1".into()),
                    ..Filter::default()
                },
                "--since \"2023-1\" is not a date",
            ),
            (
                Filter {
                    until: Some("12/31/2023".into()),
                    ..Filter::default()
                },
                "--until",
            ),
        ] {
            let error = bad.validate().unwrap_err().to_string();
            assert!(error.contains(message), "{error}");
        }
    }

    #[test]
    fn the_default_filter_keeps_everything() {
        assert!(Filter::default().is_everything());
        assert!(
            Filter {
                min_weight: 1,
                ..Filter::default()
            }
            .is_everything()
        );
        assert!(
            !Filter {
                min_weight: 2,
                ..Filter::default()
            }
            .is_everything()
        );
        assert!(
            !Filter {
                without_co_occurs: true,
                ..Filter::default()
            }
            .keeps_relation("co_occurs")
        );
        assert!(Filter::default().keeps_relation("co_occurs"));
    }
}
