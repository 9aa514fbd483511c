//! Node-link JSON, as `networkx.node_link_graph(data, edges="edges")` and graphology's
//! `Graph.from` read it. Node ids are entity ids; edge ids (`e0`, `e1`, ...) cannot clash
//! with them because entity ids always contain a `/`.
//!
//! The graph is serialised straight from borrowed structs, not through a `serde_json::Value`
//! tree, which cost a copy of every string. Keys are in alphabetical order, as they were.

use crate::graph::Graph;
use petgraph::visit::EdgeRef;
use serde::Serialize;
use serde::ser::{SerializeSeq, Serializer};
use std::io::{self, Write};

#[derive(Serialize)]
struct Document<'g> {
    directed: bool,
    #[serde(serialize_with = "edges")]
    edges: &'g Graph,
    graph: GraphName,
    multigraph: bool,
    #[serde(serialize_with = "nodes")]
    nodes: &'g Graph,
}

#[derive(Serialize)]
struct GraphName {
    name: &'static str,
}

#[derive(Serialize)]
struct Node<'g> {
    country: &'g Option<String>,
    documents: i64,
    id: &'g str,
    label: &'g str,
    mentions: i64,
    origin: &'g str,
    subtype: &'g Option<String>,
    #[serde(rename = "type")]
    kind: &'g str,
}

#[derive(Serialize)]
struct Edge<'g> {
    confidence: f64,
    doc_ids: &'g [String],
    documents: i64,
    evidence: &'g [String],
    first_seen: &'g Option<String>,
    id: String,
    key: &'g str,
    last_seen: &'g Option<String>,
    relation: &'g str,
    roles: &'g [String],
    source: &'g str,
    target: &'g str,
    weight: i64,
}

fn nodes<S: Serializer>(graph: &&Graph, serializer: S) -> Result<S::Ok, S::Error> {
    let mut seq = serializer.serialize_seq(Some(graph.node_count()))?;
    for n in graph.node_weights() {
        seq.serialize_element(&Node {
            country: &n.country,
            documents: n.documents,
            id: &n.id,
            label: &n.label,
            mentions: n.mentions,
            origin: &n.origin,
            subtype: &n.subtype,
            kind: &n.kind,
        })?;
    }
    seq.end()
}

fn edges<S: Serializer>(graph: &&Graph, serializer: S) -> Result<S::Ok, S::Error> {
    let mut seq = serializer.serialize_seq(Some(graph.edge_count()))?;
    for (number, edge) in graph.edge_references().enumerate() {
        let e = edge.weight();
        seq.serialize_element(&Edge {
            confidence: e.confidence,
            doc_ids: &e.doc_ids,
            documents: e.documents,
            evidence: &e.evidence,
            first_seen: &e.first_seen,
            id: format!("e{number}"),
            key: &e.relation,
            last_seen: &e.last_seen,
            relation: &e.relation,
            roles: &e.roles,
            source: &graph[edge.source()].id,
            target: &graph[edge.target()].id,
            weight: e.weight,
        })?;
    }
    seq.end()
}

pub fn write(graph: &Graph, w: &mut dyn Write) -> io::Result<()> {
    let document = Document {
        directed: true,
        edges: graph,
        graph: GraphName { name: "newsgraph" },
        multigraph: true,
        nodes: graph,
    };
    serde_json::to_writer_pretty(&mut *w, &document)?;
    writeln!(w)
}
