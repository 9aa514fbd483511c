//! `output/report.html`: one self-contained page to look at what a build found — the
//! counts, the top actors by type, the top relations with their evidence and source
//! documents, an interactive graph (pan, zoom, colour by type, filter by relation, search
//! by name) and a timeline of relations per week.
//!
//! Everything comes from the database: the counts from the build's totals; the actors, top
//! relations and drawn graph from the graph the build has just read for its graph files,
//! so nothing is counted twice; the evidence and the timeline from queries. The page needs
//! no network when it is viewed: the graph library (cytoscape.js, `assets/vendor/`) and the
//! data (JSON) are inlined. The graph leaves out the actors with no edge among the edges
//! drawn ("show unconnected actors" draws them). The search box also reads `#search=NAME`
//! from the address, and `#isolated=show` ticks "show unconnected actors", which is how the
//! headless browser tests drive the page; `#status` holds what they check: the ids of the
//! highlighted nodes (`data-highlighted`), the numbers of nodes and edges drawn
//! (`data-nodes`, `data-edges`) and of actors left out (`data-isolated`).

use crate::error::{Error, Result};
use crate::graph::{self, Graph};
use crate::store::Totals;
use petgraph::graph::NodeIndex;
use petgraph::visit::EdgeRef;
use rusqlite::{Connection, OpenFlags};
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

const CYTOSCAPE: &str = include_str!("../assets/vendor/cytoscape.min.js");
const TEMPLATE: &str = include_str!("../assets/report.html");

/// Nodes drawn in the graph: the actors with the most relations, at most this many.
pub const MAX_GRAPH_NODES: usize = 300;
/// Rows in each "top" table.
const TOP: usize = 15;
/// Evidence sentences shown per relation.
const EVIDENCE: usize = 3;

#[derive(Debug, Serialize)]
struct Counts {
    documents: i64,
    mentions: i64,
    entities: i64,
    relations: i64,
    negated: i64,
    by_relation: BTreeMap<String, i64>,
}

#[derive(Debug, Serialize)]
struct Actor {
    id: String,
    name: String,
    mentions: i64,
    documents: i64,
}

#[derive(Debug, Serialize)]
struct Evidence {
    doc_id: String,
    title: Option<String>,
    url: Option<String>,
    published: Option<String>,
    sentence: String,
}

#[derive(Debug, Serialize)]
struct TopRelation {
    source: String,
    source_name: String,
    relation: String,
    target: String,
    target_name: String,
    weight: i64,
    documents: i64,
    evidence: Vec<Evidence>,
}

#[derive(Debug, Serialize)]
struct Node {
    id: String,
    label: String,
    #[serde(rename = "type")]
    kind: String,
    mentions: i64,
}

#[derive(Debug, Serialize)]
struct Edge {
    id: String,
    source: String,
    target: String,
    relation: String,
    weight: i64,
}

#[derive(Debug, Serialize)]
struct Week {
    week: String,
    relations: BTreeMap<String, i64>,
}

#[derive(Debug, Serialize)]
struct ReportData {
    counts: Counts,
    actors: BTreeMap<String, Vec<Actor>>,
    top_relations: Vec<TopRelation>,
    nodes: Vec<Node>,
    edges: Vec<Edge>,
    weeks: Vec<Week>,
}

fn db_error(path: &Path) -> impl Fn(rusqlite::Error) -> Error + '_ {
    move |cause| Error::Database {
        path: path.to_path_buf(),
        cause,
    }
}

/// Write `report.html` into `out` from the database at `db`, its `graph`
/// ([`crate::graph::from_store`]) and its `totals` ([`crate::store::Store::totals`]);
/// returns its path. Written to a temporary name and renamed, like the graph files.
pub fn write(db: &Path, graph: &Graph, totals: &Totals, out: &Path) -> Result<PathBuf> {
    let connection =
        Connection::open_with_flags(db, OpenFlags::SQLITE_OPEN_READ_ONLY).map_err(db_error(db))?;
    let data = collect(&connection, graph, totals).map_err(db_error(db))?;
    let html = render(&data);
    let path = out.join("report.html");
    crate::export::write_atomically(&path, |w| w.write_all(html.as_bytes()))?;
    Ok(path)
}

/// Everything the page shows: counts from the build's totals; actors, top relations and the
/// drawn graph from the build's graph, which has already counted every entity's mentions
/// and every edge's rows; evidence and the timeline from the database.
fn collect(db: &Connection, graph: &Graph, totals: &Totals) -> rusqlite::Result<ReportData> {
    let (nodes, edges) = drawn_graph(graph);
    Ok(ReportData {
        counts: counts(totals),
        actors: top_actors(graph),
        top_relations: top_relations(db, graph)?,
        nodes,
        edges,
        weeks: weeks(db)?,
    })
}

fn counts(totals: &Totals) -> Counts {
    let as_i64 = |n: u64| i64::try_from(n).unwrap_or(i64::MAX);
    Counts {
        documents: as_i64(totals.documents),
        mentions: as_i64(totals.mentions),
        entities: as_i64(totals.entities),
        relations: as_i64(
            (totals.relations.iter())
                .filter(|(relation, _)| *relation != "co_occurs")
                .map(|(_, n)| n)
                .sum(),
        ),
        negated: as_i64(totals.negated),
        by_relation: (totals.relations.iter())
            .map(|(relation, &n)| (relation.clone(), as_i64(n)))
            .collect(),
    }
}

/// The [`TOP`] most mentioned actors of each type.
fn top_actors(graph: &Graph) -> BTreeMap<String, Vec<Actor>> {
    let mut by_type: BTreeMap<&str, Vec<&graph::Node>> = BTreeMap::new();
    for node in graph.node_weights() {
        by_type.entry(node.kind.as_str()).or_default().push(node);
    }
    by_type
        .into_iter()
        .map(|(kind, mut nodes)| {
            nodes.sort_by(|a, b| {
                (b.mentions.cmp(&a.mentions))
                    .then_with(|| a.label.cmp(&b.label))
                    .then_with(|| a.id.cmp(&b.id))
            });
            let top = nodes
                .into_iter()
                .take(TOP)
                .map(|node| Actor {
                    id: node.id.clone(),
                    name: node.label.clone(),
                    mentions: node.mentions,
                    documents: node.documents,
                })
                .collect();
            (kind.to_string(), top)
        })
        .collect()
}

/// The [`TOP`] typed edges by weight, each with up to [`EVIDENCE`] sentences.
fn top_relations(db: &Connection, graph: &Graph) -> rusqlite::Result<Vec<TopRelation>> {
    let mut typed: Vec<_> = graph
        .edge_references()
        .filter(|edge| edge.weight().relation != "co_occurs")
        .collect();
    let end_ids = |edge: &petgraph::graph::EdgeReference<graph::Edge>| {
        (&graph[edge.source()].id, &graph[edge.target()].id)
    };
    typed.sort_by(|a, b| {
        let (ea, eb) = (a.weight(), b.weight());
        (eb.weight.cmp(&ea.weight))
            .then_with(|| eb.documents.cmp(&ea.documents))
            .then_with(|| end_ids(a).0.cmp(end_ids(b).0))
            .then_with(|| ea.relation.cmp(&eb.relation))
            .then_with(|| end_ids(a).1.cmp(end_ids(b).1))
    });
    let mut evidence = db.prepare(
        "SELECT r.doc_id, d.title, d.url, d.published, r.evidence
         FROM relations r JOIN documents d ON d.id = r.doc_id
         WHERE r.source_id = ?1 AND r.relation = ?2 AND r.target_id = ?3 AND r.negated = 0
         GROUP BY r.evidence ORDER BY d.published, r.doc_id LIMIT ?4",
    )?;
    let mut top_relations = Vec::new();
    for edge in typed.into_iter().take(TOP) {
        let (source, target) = (&graph[edge.source()], &graph[edge.target()]);
        let relation = &edge.weight().relation;
        let found = evidence.query_map(
            rusqlite::params![source.id, relation, target.id, EVIDENCE as i64],
            |r| {
                Ok(Evidence {
                    doc_id: r.get(0)?,
                    title: r.get(1)?,
                    url: r.get(2)?,
                    published: r.get(3)?,
                    sentence: r.get(4)?,
                })
            },
        )?;
        top_relations.push(TopRelation {
            source: source.id.clone(),
            source_name: source.label.clone(),
            relation: relation.clone(),
            target: target.id.clone(),
            target_name: target.label.clone(),
            weight: edge.weight().weight,
            documents: edge.weight().documents,
            evidence: found.collect::<rusqlite::Result<_>>()?,
        });
    }
    Ok(top_relations)
}

/// The drawn graph: the actors with the most relations (co-occurrence included), by the
/// number of relation rows they are an end of, at most [`MAX_GRAPH_NODES`], and the edges
/// among them.
fn drawn_graph(graph: &Graph) -> (Vec<Node>, Vec<Edge>) {
    let mut degree = vec![0_i64; graph.node_count()];
    for edge in graph.edge_references() {
        degree[edge.source().index()] += edge.weight().weight;
        degree[edge.target().index()] += edge.weight().weight;
    }
    let mut ranked: Vec<_> = graph
        .node_indices()
        .filter(|&n| degree[n.index()] > 0)
        .collect();
    ranked.sort_by(|&a, &b| {
        (degree[b.index()].cmp(&degree[a.index()])).then_with(|| graph[a].id.cmp(&graph[b].id))
    });
    ranked.truncate(MAX_GRAPH_NODES);
    let nodes: Vec<Node> = ranked
        .iter()
        .map(|&n| Node {
            id: graph[n].id.clone(),
            label: graph[n].label.clone(),
            kind: graph[n].kind.clone(),
            mentions: graph[n].mentions,
        })
        .collect();
    let shown: std::collections::HashSet<NodeIndex> = ranked.into_iter().collect();
    // Graph edges are in (source, relation, target) order, as the graph module adds them.
    let edges: Vec<Edge> = graph
        .edge_references()
        .filter(|edge| shown.contains(&edge.source()) && shown.contains(&edge.target()))
        .enumerate()
        .map(|(at, edge)| Edge {
            id: format!("e{at}"),
            source: graph[edge.source()].id.clone(),
            target: graph[edge.target()].id.clone(),
            relation: edge.weight().relation.clone(),
            weight: edge.weight().weight,
        })
        .collect();
    (nodes, edges)
}

/// Relations per week of publication (the Monday of the week) and type.
fn weeks(db: &Connection) -> rusqlite::Result<Vec<Week>> {
    let mut weeks: BTreeMap<String, BTreeMap<String, i64>> = BTreeMap::new();
    {
        // ISO-ish weeks from the publication date: the Monday of the week.
        let mut statement = db.prepare(
            "SELECT date(substr(published, 1, 10), '-' || ((CAST(strftime('%w', substr(published, 1, 10)) AS INTEGER) + 6) % 7) || ' days') AS week,
                    relation, COUNT(*)
             FROM relations
             WHERE negated = 0 AND relation <> 'co_occurs' AND week IS NOT NULL
             GROUP BY week, relation ORDER BY week",
        )?;
        let rows = statement.query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, i64>(2)?,
            ))
        })?;
        for row in rows {
            let (week, relation, n) = row?;
            weeks.entry(week).or_default().insert(relation, n);
        }
    }
    Ok(weeks
        .into_iter()
        .map(|(week, relations)| Week { week, relations })
        .collect())
}

/// The page: the template with the library and the data inlined at their markers.
fn render(data: &ReportData) -> String {
    let json = script_safe_json(data);
    let (head, rest) = TEMPLATE
        .split_once("/*CYTOSCAPE*/")
        .unwrap_or((TEMPLATE, ""));
    let (middle, tail) = rest.split_once("/*DATA*/").unwrap_or((rest, ""));
    let mut html = String::with_capacity(TEMPLATE.len() + CYTOSCAPE.len() + json.len());
    html.push_str(head);
    html.push_str(&CYTOSCAPE.replace("</script", "<\\/script"));
    html.push_str(middle);
    html.push_str(&json);
    html.push_str(tail);
    html
}

/// `data` as JSON that can sit inside a `<script>` element whatever the articles say:
/// every `<`, `>` and `&` is written as a `\u` escape, so no text can close the element
/// (`</script>`) or open a comment (`<!--`, which with a `<script>` after it hides the next
/// `</script>` from the HTML parser and swallows the page's own script); U+2028 and U+2029
/// are escaped too. These characters can only be inside JSON strings, where an escape
/// means the same character.
fn script_safe_json(data: &ReportData) -> String {
    let json = serde_json::to_string(data).unwrap_or_else(|_| "{}".into());
    let mut safe = String::with_capacity(json.len() + json.len() / 16);
    for c in json.chars() {
        match c {
            '<' => safe.push_str("\\u003c"),
            '>' => safe.push_str("\\u003e"),
            '&' => safe.push_str("\\u0026"),
            '\u{2028}' => safe.push_str("\\u2028"),
            '\u{2029}' => safe.push_str("\\u2029"),
            c => safe.push(c),
        }
    }
    safe
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The text of the data script: from its opening tag to the next `</script>`.
    fn data_script(html: &str) -> &str {
        let marker = r#"<script type="application/json" id="data">"#;
        let start = html.find(marker).unwrap() + marker.len();
        let end = start + html[start..].find("</script>").unwrap();
        &html[start..end]
    }

    #[test]
    fn article_text_cannot_close_the_data_script() {
        let data = ReportData {
            counts: Counts {
                documents: 1,
                mentions: 0,
                entities: 0,
                relations: 0,
                negated: 0,
                by_relation: BTreeMap::new(),
            },
            actors: BTreeMap::new(),
            top_relations: vec![TopRelation {
                source: "a".into(),
                source_name: "A</script><script>alert(1)</script>".into(),
                relation: "attacked".into(),
                target: "b".into(),
                target_name: "B".into(),
                weight: 1,
                documents: 1,
                evidence: Vec::new(),
            }],
            nodes: Vec::new(),
            edges: Vec::new(),
            weeks: Vec::new(),
        };
        let html = render(&data);
        assert!(!html.contains("A</script>"));
        let start = html
            .find(r#"<script type="application/json" id="data">"#)
            .unwrap();
        let end = start + html[start..].find("</script>").unwrap();
        let json = &html[start + r#"<script type="application/json" id="data">"#.len()..end];
        let parsed: serde_json::Value = serde_json::from_str(json).unwrap();
        assert_eq!(
            parsed["top_relations"][0]["source_name"],
            "A</script><script>alert(1)</script>"
        );
    }

    /// A string made of arbitrary characters and of the pieces that matter in a page:
    /// markup, comment and script openers, the JavaScript line terminators, URL schemes.
    fn hostile() -> impl Strategy<Value = String> {
        let pieces = prop::sample::select(vec![
            "<",
            ">",
            "&",
            "</",
            "</script>",
            "<script>",
            "<!--",
            "-->",
            "<![CDATA[",
            "]]>",
            "\u{2028}",
            "\u{2029}",
            "\"",
            "'",
            "\\",
            "\\u003c",
            "javascript:",
            " JaVaScRiPt:",
            "data:text/html,",
            "vbscript:",
            "http://",
            "https://",
        ]);
        prop::collection::vec(
            prop_oneof![
                any::<char>().prop_map(String::from),
                pieces.prop_map(String::from),
            ],
            0..10,
        )
        .prop_map(|parts| parts.concat())
    }

    fn evidence() -> impl Strategy<Value = Evidence> {
        (
            hostile(),
            prop::option::of(hostile()),
            prop::option::of(hostile()),
            prop::option::of(hostile()),
            hostile(),
        )
            .prop_map(|(doc_id, title, url, published, sentence)| Evidence {
                doc_id,
                title,
                url,
                published,
                sentence,
            })
    }

    fn report_data() -> impl Strategy<Value = ReportData> {
        let top = (
            (hostile(), hostile(), hostile()),
            (hostile(), hostile()),
            prop::collection::vec(evidence(), 0..3),
        )
            .prop_map(
                |((source, source_name, relation), (target, target_name), evidence)| TopRelation {
                    source,
                    source_name,
                    relation,
                    target,
                    target_name,
                    weight: 1,
                    documents: 1,
                    evidence,
                },
            );
        let node = (hostile(), hostile(), hostile()).prop_map(|(id, label, kind)| Node {
            id,
            label,
            kind,
            mentions: 1,
        });
        let edge = (hostile(), hostile(), hostile()).prop_map(|(source, target, relation)| Edge {
            id: "e0".into(),
            source,
            target,
            relation,
            weight: 1,
        });
        let actor = (hostile(), hostile()).prop_map(|(id, name)| Actor {
            id,
            name,
            mentions: 1,
            documents: 1,
        });
        (
            prop::collection::btree_map(hostile(), prop::collection::vec(actor, 0..3), 0..3),
            prop::collection::vec(top, 0..3),
            prop::collection::vec(node, 0..4),
            prop::collection::vec(edge, 0..3),
            prop::collection::btree_map(hostile(), 0..5_i64, 0..3),
            hostile(),
        )
            .prop_map(|(actors, top_relations, nodes, edges, by_relation, week)| {
                ReportData {
                    counts: Counts {
                        documents: 1,
                        mentions: 0,
                        entities: 0,
                        relations: 0,
                        negated: 0,
                        by_relation: by_relation.clone(),
                    },
                    actors,
                    top_relations,
                    nodes,
                    edges,
                    weeks: vec![Week {
                        week,
                        relations: by_relation,
                    }],
                }
            })
    }

    proptest! {
        /// Whatever the articles say, the data script holds exactly the data, as JSON with
        /// no `<` in it (so nothing in it can end the script or open a comment), and the
        /// page around it is the template's.
        #[test]
        fn the_data_script_is_the_data_whatever_the_text(data in report_data()) {
            let html = render(&data);
            let json = data_script(&html);
            prop_assert!(!json.contains('<'), "{json}");
            let separators = ['\u{2028}', '\u{2029}'];
            prop_assert!(!json.contains(separators), "{json:?}");
            let parsed: serde_json::Value = serde_json::from_str(json).unwrap();
            prop_assert_eq!(parsed, serde_json::to_value(&data).unwrap());
            let tail = TEMPLATE.split_once("/*DATA*/").unwrap().1;
            prop_assert!(html.ends_with(tail));
            prop_assert_eq!(html.matches("</script>").count(), TEMPLATE.matches("</script>").count());
        }
    }
}
