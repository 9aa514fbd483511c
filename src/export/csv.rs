//! Gephi's spreadsheet (CSV) import: `nodes.csv` with `Id,Label,type,...` and `edges.csv`
//! with `Source,Target,Type,Kind,Id,Label,Weight,...`, `Type` = `Directed` and `Kind` the
//! relation, so that parallel edges of different relations stay apart. Written with the
//! `csv` crate (quotes as needed; characters XML forbids are kept: CSV has no such rule).

use crate::graph::Graph;
use petgraph::visit::EdgeRef;
use std::io::{self, Write};

pub fn write_nodes(graph: &Graph, w: &mut dyn Write) -> io::Result<()> {
    let mut out = csv::Writer::from_writer(w);
    out.write_record([
        "Id",
        "Label",
        "type",
        "subtype",
        "country",
        "mentions",
        "documents",
        "origin",
    ])?;
    for n in graph.node_weights() {
        out.write_record([
            n.id.as_str(),
            n.label.as_str(),
            n.kind.as_str(),
            n.subtype.as_deref().unwrap_or(""),
            n.country.as_deref().unwrap_or(""),
            &n.mentions.to_string(),
            &n.documents.to_string(),
            n.origin.as_str(),
        ])?;
    }
    out.flush()
}

pub fn write_edges(graph: &Graph, w: &mut dyn Write) -> io::Result<()> {
    let mut out = csv::Writer::from_writer(w);
    out.write_record([
        "Source",
        "Target",
        "Type",
        "Kind",
        "Id",
        "Label",
        "Weight",
        "documents",
        "first_seen",
        "last_seen",
        "confidence",
        "roles",
        "doc_ids",
        "evidence",
    ])?;
    for (number, edge) in graph.edge_references().enumerate() {
        let e = edge.weight();
        out.write_record([
            graph[edge.source()].id.as_str(),
            graph[edge.target()].id.as_str(),
            "Directed",
            e.relation.as_str(),
            &format!("e{number}"),
            e.relation.as_str(),
            &e.weight.to_string(),
            &e.documents.to_string(),
            e.first_seen.as_deref().unwrap_or(""),
            e.last_seen.as_deref().unwrap_or(""),
            &format!("{:?}", e.confidence),
            &e.roles.join("; "),
            &super::id_list(&e.doc_ids),
            &e.evidence.join("\n"),
        ])?;
    }
    out.flush()
}
