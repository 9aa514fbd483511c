//! Node-link JSON, as `networkx.node_link_graph(data, edges="edges")` and graphology's
//! `Graph.from` read it. Node ids are entity ids; edge ids (`e0`, `e1`, ...) cannot clash
//! with them because entity ids always contain a `/`.

use crate::graph::Graph;
use petgraph::visit::EdgeRef;
use serde_json::{Value, json};
use std::io::{self, Write};

pub fn to_value(graph: &Graph) -> Value {
    let nodes: Vec<Value> = graph
        .node_weights()
        .map(|n| {
            json!({
                "id": n.id,
                "label": n.label,
                "type": n.kind,
                "subtype": n.subtype,
                "country": n.country,
                "mentions": n.mentions,
                "documents": n.documents,
            })
        })
        .collect();
    let edges: Vec<Value> = graph
        .edge_references()
        .enumerate()
        .map(|(number, edge)| {
            let e = edge.weight();
            json!({
                "id": format!("e{number}"),
                "key": e.relation,
                "source": graph[edge.source()].id,
                "target": graph[edge.target()].id,
                "relation": e.relation,
                "weight": e.weight,
                "documents": e.documents,
                "first_seen": e.first_seen,
                "last_seen": e.last_seen,
                "confidence": e.confidence,
                "roles": e.roles,
                "doc_ids": e.doc_ids,
                "evidence": e.evidence,
            })
        })
        .collect();
    json!({
        "directed": true,
        "multigraph": true,
        "graph": {"name": "newsgraph"},
        "nodes": nodes,
        "edges": edges,
    })
}

pub fn write(graph: &Graph, w: &mut dyn Write) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *w, &to_value(graph))?;
    writeln!(w)
}
