//! GraphML as Gephi, networkx and igraph read it: typed `<key>`s whose ids equal their
//! names, `edgedefault="directed"`, the relation both as the edge's `label` attribute (so
//! Gephi keeps parallel edges of different relations) and as a `relation` data key.
//!
//! Element text escapes only `&`, `<` and the `>` of `]]>` (which XML forbids in text):
//! Gephi's reader drops the white space between two entity references, so escaping quotes
//! would mangle evidence sentences. Characters that XML 1.0 forbids are removed.

use crate::graph::Graph;
use petgraph::visit::EdgeRef;
use std::borrow::Cow;
use std::io::{self, Write};

/// (id = attr.name, for, attr.type)
const NODE_KEYS: [(&str, &str); 6] = [
    ("label", "string"),
    ("type", "string"),
    ("subtype", "string"),
    ("country", "string"),
    ("mentions", "long"),
    ("documents", "long"),
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

/// Whether XML 1.0 allows the character at all.
pub fn xml_allowed(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

/// Whether `text` can be written as it is: printable ASCII without `&`, `<`, `]]>` and, in
/// an attribute, `"`. Most ids, labels and sentences are, so they are not copied.
fn is_plain(text: &str, attribute: bool) -> bool {
    text.bytes()
        .all(|b| (0x20..0x7f).contains(&b) && b != b'&' && b != b'<' && !(attribute && b == b'"'))
        && !text.contains("]]>")
}

/// Escape element text: `&`, `<`, the `>` of `]]>` and carriage returns; illegal characters
/// removed.
pub fn escape_text(text: &str) -> Cow<'_, str> {
    if is_plain(text, false) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    for c in text.chars().filter(|&c| xml_allowed(c)) {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' if out.ends_with("]]") => out.push_str("&gt;"),
            // A parser reads a raw carriage return as a line feed.
            '\r' => out.push_str("&#13;"),
            _ => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// Escape an attribute value: also `"`, and white space controls as references so they
/// survive attribute normalisation.
pub fn escape_attribute(text: &str) -> Cow<'_, str> {
    if is_plain(text, true) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    for c in text.chars().filter(|&c| xml_allowed(c)) {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '"' => out.push_str("&quot;"),
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            '\t' => out.push_str("&#9;"),
            _ => out.push(c),
        }
    }
    Cow::Owned(out)
}

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_escapes_only_amp_and_lt_and_drops_illegal_characters() {
        assert_eq!(
            escape_text("A & B < C > \"D\" 'E'\u{0B}\u{0}"),
            "A &amp; B &lt; C > \"D\" 'E'"
        );
    }

    #[test]
    fn plain_text_is_written_as_it_is_and_anything_else_is_escaped() {
        assert!(matches!(
            escape_attribute("person/al-sudani"),
            Cow::Borrowed(_)
        ));
        assert_eq!(escape_text("said \"no\""), "said \"no\"");
        assert_eq!(escape_attribute("said \"no\""), "said &quot;no&quot;");
        assert_eq!(escape_attribute("Kurdistan\u{7f}"), "Kurdistan\u{7f}");
        assert_eq!(escape_attribute("Ça\u{1}"), "Ça");
    }

    #[test]
    fn issue_15_cdata_end_in_text_is_escaped() {
        assert_eq!(
            escape_text("Israel ]]> on Friday"),
            "Israel ]]&gt; on Friday"
        );
        assert_eq!(escape_text("a ]]]>> b ] ]>"), "a ]]]&gt;> b ] ]>");
        assert_eq!(escape_text("x]]\u{b}>"), "x]]&gt;");
    }

    #[test]
    fn attributes_escape_quotes_and_line_breaks() {
        assert_eq!(escape_attribute("a\"b\nc&"), "a&quot;b&#10;c&amp;");
    }
}
