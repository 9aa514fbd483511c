//! GEXF 1.3 for Gephi, with a timeline: `mode="dynamic"` and `timeformat="date"`, each
//! edge lives from the first to the last date of the articles it comes from, and each
//! node from the first date of its edges, so Gephi's timeline plays the graph over time.
//! The relation is the edge's `kind` (Gephi keeps parallel edges of different kinds) and
//! its `label`; nodes are coloured by entity type (`viz:color`) and sized by mentions.
//! Values are XML attributes, escaped with [`super::xml::escape_attribute`];
//! characters XML 1.0 forbids are removed.

use super::xml::escape_attribute;
use crate::graph::{Edge, Graph};
use petgraph::Direction;
use petgraph::graph::{EdgeReference, NodeIndex};
use petgraph::visit::EdgeRef;
use std::io::{self, Write};

/// (id = title, type) of the typed attributes.
const NODE_ATTRIBUTES: [(&str, &str); 6] = [
    ("type", "string"),
    ("subtype", "string"),
    ("country", "string"),
    ("mentions", "long"),
    ("documents", "long"),
    ("origin", "string"),
];
const EDGE_ATTRIBUTES: [(&str, &str); 8] = [
    ("relation", "string"),
    ("documents", "long"),
    ("first_seen", "string"),
    ("last_seen", "string"),
    ("confidence", "double"),
    ("roles", "string"),
    ("doc_ids", "string"),
    ("evidence", "string"),
];

/// Node colours by entity type (the report uses the same).
pub fn type_color(kind: &str) -> (u8, u8, u8) {
    match kind {
        "person" => (0xe4, 0x57, 0x2e),
        "armed_group" => (0x8f, 0x2d, 0x56),
        "government" => (0x2e, 0x86, 0xab),
        "organization" => (0x76, 0xb0, 0x41),
        "place" => (0xf3, 0xa7, 0x12),
        _ => (0x99, 0x99, 0x99),
    }
}

/// A GEXF `date`: `YYYY-MM-DD` from a stored date (`2023-12-08`, `2023-12-08T10:00Z`,
/// `2023-12`, `2023`); `None` for anything else.
pub fn gexf_date(stored: &str) -> Option<String> {
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let parts: Vec<&str> = stored.get(..stored.len().min(10))?.split('-').collect();
    match parts.as_slice() {
        [y] if y.len() == 4 && digits(y) => Some(format!("{y}-01-01")),
        [y, m] if y.len() == 4 && m.len() == 2 && digits(y) && digits(m) => {
            Some(format!("{y}-{m}-01"))
        }
        [y, m, d]
            if y.len() == 4
                && m.len() == 2
                && d.len() == 2
                && digits(y)
                && digits(m)
                && digits(d) =>
        {
            Some(format!("{y}-{m}-{d}"))
        }
        _ => None,
    }
}

fn attvalue(w: &mut dyn Write, id: &str, value: &str) -> io::Result<()> {
    writeln!(
        w,
        r#"          <attvalue for="{id}" value="{}"/>"#,
        escape_attribute(value)
    )
}

pub fn write(graph: &Graph, w: &mut dyn Write) -> io::Result<()> {
    write_header(w)?;
    write_nodes(graph, w)?;
    write_edges(graph, w)?;
    writeln!(w, "  </graph>")?;
    writeln!(w, "</gexf>")
}

/// Everything before the nodes: the root element, meta data, the graph element and the
/// attribute declarations.
fn write_header(w: &mut dyn Write) -> io::Result<()> {
    writeln!(w, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
    writeln!(
        w,
        r#"<gexf xmlns="http://gexf.net/1.3" xmlns:viz="http://gexf.net/1.3/viz" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://gexf.net/1.3 http://gexf.net/1.3/gexf.xsd" version="1.3">"#
    )?;
    writeln!(
        w,
        "  <meta>\n    <creator>newsgraph</creator>\n    <description>who did what to whom, from news articles</description>\n  </meta>"
    )?;
    writeln!(
        w,
        r#"  <graph defaultedgetype="directed" mode="dynamic" timeformat="date">"#
    )?;
    writeln!(w, r#"    <attributes class="node">"#)?;
    for (id, kind) in NODE_ATTRIBUTES {
        writeln!(
            w,
            r#"      <attribute id="{id}" title="{id}" type="{kind}"/>"#
        )?;
    }
    writeln!(w, "    </attributes>")?;
    writeln!(w, r#"    <attributes class="edge">"#)?;
    for (id, kind) in EDGE_ATTRIBUTES {
        writeln!(
            w,
            r#"      <attribute id="{id}" title="{id}" type="{kind}"/>"#
        )?;
    }
    writeln!(w, "    </attributes>")
}

fn write_nodes(graph: &Graph, w: &mut dyn Write) -> io::Result<()> {
    let max_mentions = graph
        .node_weights()
        .map(|n| n.mentions)
        .max()
        .unwrap_or(1)
        .max(1);
    writeln!(w, "    <nodes>")?;
    for index in graph.node_indices() {
        write_node(graph, index, max_mentions, w)?;
    }
    writeln!(w, "    </nodes>")
}

fn write_node(
    graph: &Graph,
    index: NodeIndex,
    max_mentions: i64,
    w: &mut dyn Write,
) -> io::Result<()> {
    let node = &graph[index];
    // A node appears with its first dated edge.
    let start = graph
        .edges_directed(index, Direction::Outgoing)
        .chain(graph.edges_directed(index, Direction::Incoming))
        .filter_map(|e| e.weight().first_seen.as_deref().and_then(gexf_date))
        .min();
    let start = start
        .map(|s| format!(r#" start="{s}""#))
        .unwrap_or_default();
    writeln!(
        w,
        r#"      <node id="{}" label="{}"{start}>"#,
        escape_attribute(&node.id),
        escape_attribute(&node.label)
    )?;
    writeln!(w, "        <attvalues>")?;
    attvalue(w, "type", &node.kind)?;
    if let Some(subtype) = &node.subtype {
        attvalue(w, "subtype", subtype)?;
    }
    if let Some(country) = &node.country {
        attvalue(w, "country", country)?;
    }
    attvalue(w, "mentions", &node.mentions.to_string())?;
    attvalue(w, "documents", &node.documents.to_string())?;
    attvalue(w, "origin", &node.origin)?;
    writeln!(w, "        </attvalues>")?;
    let (r, g, b) = type_color(&node.kind);
    writeln!(w, r#"        <viz:color r="{r}" g="{g}" b="{b}"/>"#)?;
    let size = 4.0 + 20.0 * (node.mentions as f64 / max_mentions as f64).sqrt();
    writeln!(w, r#"        <viz:size value="{:.1}"/>"#, size)?;
    writeln!(w, "      </node>")
}

fn write_edges(graph: &Graph, w: &mut dyn Write) -> io::Result<()> {
    writeln!(w, "    <edges>")?;
    for (number, edge) in graph.edge_references().enumerate() {
        write_edge(graph, number, edge, w)?;
    }
    writeln!(w, "    </edges>")
}

fn write_edge(
    graph: &Graph,
    number: usize,
    edge: EdgeReference<Edge>,
    w: &mut dyn Write,
) -> io::Result<()> {
    let e = edge.weight();
    let mut spell = String::new();
    if let Some(start) = e.first_seen.as_deref().and_then(gexf_date) {
        spell.push_str(&format!(r#" start="{start}""#));
    }
    if let Some(end) = e.last_seen.as_deref().and_then(gexf_date) {
        spell.push_str(&format!(r#" end="{end}""#));
    }
    writeln!(
        w,
        r#"      <edge id="e{number}" source="{}" target="{}" kind="{kind}" label="{kind}" weight="{}"{spell}>"#,
        escape_attribute(&graph[edge.source()].id),
        escape_attribute(&graph[edge.target()].id),
        e.weight,
        kind = escape_attribute(&e.relation),
    )?;
    writeln!(w, "        <attvalues>")?;
    attvalue(w, "relation", &e.relation)?;
    attvalue(w, "documents", &e.documents.to_string())?;
    if let Some(first) = &e.first_seen {
        attvalue(w, "first_seen", first)?;
    }
    if let Some(last) = &e.last_seen {
        attvalue(w, "last_seen", last)?;
    }
    attvalue(w, "confidence", &format!("{:?}", e.confidence))?;
    if !e.roles.is_empty() {
        attvalue(w, "roles", &e.roles.join("; "))?;
    }
    attvalue(w, "doc_ids", &super::id_list(&e.doc_ids))?;
    attvalue(w, "evidence", &e.evidence.join("\n"))?;
    writeln!(w, "        </attvalues>")?;
    writeln!(w, "      </edge>")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_become_gexf_dates_or_nothing() {
        assert_eq!(gexf_date("2023-12-08").as_deref(), Some("2023-12-08"));
        assert_eq!(
            gexf_date("2023-12-08T10:00:00Z").as_deref(),
            Some("2023-12-08")
        );
        assert_eq!(gexf_date("2023-12").as_deref(), Some("2023-12-01"));
        assert_eq!(gexf_date("2023").as_deref(), Some("2023-01-01"));
        assert_eq!(gexf_date("Dec 8, 2023"), None);
        assert_eq!(gexf_date(""), None);
    }
}
