//! GraphML as Gephi, networkx and igraph read it: typed `<key>`s whose ids equal their
//! names, `edgedefault="directed"`, the relation both as the edge's `label` attribute (so
//! Gephi keeps parallel edges of different relations) and as a `relation` data key.
//!
//! Element text and attributes are escaped by [`super::xml`], which GEXF shares.

use super::xml::{escape_attribute, escape_text};
use crate::graph::Graph;
use petgraph::visit::EdgeRef;
use std::io::{self, Write};

/// (id = attr.name, for, attr.type)
const NODE_KEYS: [(&str, &str); 7] = [
    ("label", "string"),
    ("type", "string"),
    ("subtype", "string"),
    ("country", "string"),
    ("mentions", "long"),
    ("documents", "long"),
    ("origin", "string"),
];
const EDGE_KEYS: [(&str, &str); 9] = [
    ("relation", "string"),
    ("weight", "long"),
    ("documents", "long"),
    ("first_seen", "string"),
    ("last_seen", "string"),
    ("confidence", "double"),
    ("roles", "string"),
    ("doc_ids", "string"),
    ("evidence", "string"),
];

fn data(w: &mut dyn Write, key: &str, value: &str) -> io::Result<()> {
    writeln!(w, "      <data key=\"{key}\">{}</data>", escape_text(value))
}

pub fn write(graph: &Graph, w: &mut dyn Write) -> io::Result<()> {
    writeln!(w, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
    writeln!(
        w,
        r#"<graphml xmlns="http://graphml.graphdrawing.org/xmlns" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">"#
    )?;
    for (name, kind) in NODE_KEYS {
        writeln!(
            w,
            r#"  <key id="{name}" for="node" attr.name="{name}" attr.type="{kind}"/>"#
        )?;
    }
    for (name, kind) in EDGE_KEYS {
        // Edge keys get their own ids where a node key has the same name.
        let id = if NODE_KEYS.iter().any(|(n, _)| *n == name) {
            format!("edge_{name}")
        } else {
            name.to_string()
        };
        writeln!(
            w,
            r#"  <key id="{id}" for="edge" attr.name="{name}" attr.type="{kind}"/>"#
        )?;
    }
    writeln!(w, r#"  <graph id="newsgraph" edgedefault="directed">"#)?;
    for node in graph.node_weights() {
        writeln!(w, r#"    <node id="{}">"#, escape_attribute(&node.id))?;
        data(w, "label", &node.label)?;
        data(w, "type", &node.kind)?;
        if let Some(subtype) = &node.subtype {
            data(w, "subtype", subtype)?;
        }
        if let Some(country) = &node.country {
            data(w, "country", country)?;
        }
        data(w, "mentions", &node.mentions.to_string())?;
        data(w, "documents", &node.documents.to_string())?;
        data(w, "origin", &node.origin)?;
        writeln!(w, "    </node>")?;
    }
    for (number, edge) in graph.edge_references().enumerate() {
        let e = edge.weight();
        writeln!(
            w,
            r#"    <edge id="e{number}" source="{}" target="{}" label="{}">"#,
            escape_attribute(&graph[edge.source()].id),
            escape_attribute(&graph[edge.target()].id),
            escape_attribute(&e.relation)
        )?;
        data(w, "relation", &e.relation)?;
        data(w, "weight", &e.weight.to_string())?;
        data(w, "edge_documents", &e.documents.to_string())?;
        if let Some(first) = &e.first_seen {
            data(w, "first_seen", first)?;
        }
        if let Some(last) = &e.last_seen {
            data(w, "last_seen", last)?;
        }
        data(w, "confidence", &format!("{:?}", e.confidence))?;
        if !e.roles.is_empty() {
            data(w, "roles", &e.roles.join("; "))?;
        }
        data(w, "doc_ids", &super::id_list(&e.doc_ids))?;
        data(w, "evidence", &e.evidence.join("\n"))?;
        writeln!(w, "    </edge>")?;
    }
    writeln!(w, "  </graph>")?;
    writeln!(w, "</graphml>")
}
