//! The knowledge graph, built from the database: one node per mentioned entity, one edge
//! per (source, relation, target) of non-negated relations, with weight = number of
//! relation rows, the documents they come from, first and last date and a few evidence
//! sentences. Relations with an unnamed party (NULL source or target) stay in the
//! database but cannot be edges.

use crate::error::{Error, Result};
use crate::store::Store;
use petgraph::graph::{DiGraph, NodeIndex};
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// Evidence sentences kept per edge.
pub const EVIDENCE_PER_EDGE: usize = 3;

#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub id: String,
    pub label: String,
    pub kind: String,
    pub subtype: Option<String>,
    pub country: Option<String>,
    pub mentions: i64,
    pub documents: i64,
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
    docs: BTreeSet<String>,
    first: Option<String>,
    last: Option<String>,
    evidence: Vec<String>,
    confidence: f64,
    roles: BTreeSet<String>,
}

/// Build the graph from everything in the store.
pub fn from_store(store: &Store) -> Result<Graph> {
    let db = |source| Error::Database {
        path: "graph query".into(),
        cause: source,
    };
    let conn = store.connection();
    let mut graph = Graph::new();
    let mut index: HashMap<String, NodeIndex> = HashMap::new();
    let mut nodes = conn
        .prepare(
            "SELECT e.id, e.name, e.type, e.subtype, e.country, COUNT(*), COUNT(DISTINCT m.doc_id)
             FROM entities e JOIN mentions m ON m.entity_id = e.id
             GROUP BY e.id ORDER BY e.id",
        )
        .map_err(db)?;
    let rows = nodes
        .query_map([], |row| {
            Ok(Node {
                id: row.get(0)?,
                label: row.get(1)?,
                kind: row.get(2)?,
                subtype: row.get(3)?,
                country: row.get(4)?,
                mentions: row.get(5)?,
                documents: row.get(6)?,
            })
        })
        .map_err(db)?;
    for node in rows {
        let node = node.map_err(db)?;
        let id = node.id.clone();
        index.insert(id, graph.add_node(node));
    }

    let mut edges: BTreeMap<(String, String, String), EdgeAcc> = BTreeMap::new();
    let mut relations = conn
        .prepare(
            "SELECT source_id, relation, target_id, doc_id, published, evidence, confidence, role
             FROM relations
             WHERE negated = 0 AND source_id IS NOT NULL AND target_id IS NOT NULL
             ORDER BY id",
        )
        .map_err(db)?;
    let rows = relations
        .query_map([], |row| {
            Ok((
                (
                    row.get::<_, String>(0)?,
                    row.get::<_, String>(1)?,
                    row.get::<_, String>(2)?,
                ),
                row.get::<_, String>(3)?,
                row.get::<_, Option<String>>(4)?,
                row.get::<_, String>(5)?,
                row.get::<_, Option<f64>>(6)?,
                row.get::<_, Option<String>>(7)?,
            ))
        })
        .map_err(db)?;
    for row in rows {
        let (key, doc, published, evidence, confidence, role) = row.map_err(db)?;
        let acc = edges.entry(key).or_default();
        acc.weight += 1;
        acc.docs.insert(doc);
        if let Some(date) = published {
            if acc.first.as_ref().is_none_or(|f| &date < f) {
                acc.first = Some(date.clone());
            }
            if acc.last.as_ref().is_none_or(|l| &date > l) {
                acc.last = Some(date);
            }
        }
        if acc.evidence.len() < EVIDENCE_PER_EDGE && !acc.evidence.contains(&evidence) {
            acc.evidence.push(evidence);
        }
        acc.confidence += confidence.unwrap_or(1.0);
        acc.roles.extend(role);
    }
    for ((source, relation, target), acc) in edges {
        let (Some(&from), Some(&to)) = (index.get(&source), index.get(&target)) else {
            continue; // an entity with no stored mention cannot happen; skip defensively
        };
        graph.add_edge(
            from,
            to,
            Edge {
                relation,
                weight: acc.weight,
                documents: acc.docs.len() as i64,
                first_seen: acc.first,
                last_seen: acc.last,
                evidence: acc.evidence,
                doc_ids: acc.docs.into_iter().collect(),
                confidence: ((acc.confidence / acc.weight as f64) * 100.0).round() / 100.0,
                roles: acc.roles.into_iter().collect(),
            },
        );
    }
    Ok(graph)
}
