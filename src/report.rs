//! `output/report.html`: one self-contained page to look at what a build found — the
//! counts, the top actors by type, the top relations with their evidence and source
//! documents, an interactive graph (pan, zoom, colour by type, filter by relation, search
//! by name) and a timeline of relations per week.
//!
//! Everything comes from the database. The page needs no network when it is viewed: the
//! graph library (cytoscape.js, `assets/vendor/`) and the data (JSON) are inlined. The
//! search box also reads `#search=NAME` from the address, which is how the headless
//! browser test drives it; the ids of the highlighted nodes are written to the
//! `data-highlighted` attribute of `#status`.

use crate::error::{Error, Result};
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

/// Write `report.html` into `out` from the database at `db`; returns its path. Written
/// to a temporary name and renamed, like the graph files.
pub fn write(db: &Path, out: &Path) -> Result<PathBuf> {
    let connection =
        Connection::open_with_flags(db, OpenFlags::SQLITE_OPEN_READ_ONLY).map_err(db_error(db))?;
    let data = collect(&connection).map_err(db_error(db))?;
    let html = render(&data);
    let path = out.join("report.html");
    crate::export::write_atomically(&path, |w| w.write_all(html.as_bytes()))?;
    Ok(path)
}

fn collect(db: &Connection) -> rusqlite::Result<ReportData> {
    let count = |sql: &str| db.query_row(sql, [], |r| r.get::<_, i64>(0));
    let mut by_relation = BTreeMap::new();
    {
        let mut statement = db.prepare(
            "SELECT relation, COUNT(*) FROM relations WHERE negated = 0 GROUP BY relation",
        )?;
        let rows = statement.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
        for row in rows {
            let (relation, n): (String, i64) = row?;
            by_relation.insert(relation, n);
        }
    }
    let counts = Counts {
        documents: count("SELECT COUNT(*) FROM documents")?,
        mentions: count("SELECT COUNT(*) FROM mentions")?,
        entities: count("SELECT COUNT(DISTINCT entity_id) FROM mentions")?,
        relations: count(
            "SELECT COUNT(*) FROM relations WHERE negated = 0 AND relation <> 'co_occurs'",
        )?,
        negated: count("SELECT COUNT(*) FROM relations WHERE negated = 1")?,
        by_relation,
    };

    let mut actors: BTreeMap<String, Vec<Actor>> = BTreeMap::new();
    {
        let mut statement = db.prepare(
            "SELECT e.type, e.id, e.name, COUNT(*) AS n, COUNT(DISTINCT m.doc_id)
             FROM mentions m JOIN entities e ON e.id = m.entity_id
             GROUP BY e.id ORDER BY e.type, n DESC, e.name",
        )?;
        let rows = statement.query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                Actor {
                    id: r.get(1)?,
                    name: r.get(2)?,
                    mentions: r.get(3)?,
                    documents: r.get(4)?,
                },
            ))
        })?;
        for row in rows {
            let (kind, actor) = row?;
            let list = actors.entry(kind).or_default();
            if list.len() < TOP {
                list.push(actor);
            }
        }
    }

    let mut top_relations = Vec::new();
    {
        let mut statement = db.prepare(
            "SELECT e.source, s.name, e.relation, e.target, t.name, e.weight, e.documents
             FROM edges e JOIN entities s ON s.id = e.source JOIN entities t ON t.id = e.target
             WHERE e.relation <> 'co_occurs'
             ORDER BY e.weight DESC, e.documents DESC, e.source, e.relation, e.target LIMIT ?1",
        )?;
        let mut evidence = db.prepare(
            "SELECT r.doc_id, d.title, d.url, d.published, r.evidence
             FROM relations r JOIN documents d ON d.id = r.doc_id
             WHERE r.source_id = ?1 AND r.relation = ?2 AND r.target_id = ?3 AND r.negated = 0
             GROUP BY r.evidence ORDER BY d.published, r.doc_id LIMIT ?4",
        )?;
        let rows = statement.query_map([TOP as i64], |r| {
            Ok(TopRelation {
                source: r.get(0)?,
                source_name: r.get(1)?,
                relation: r.get(2)?,
                target: r.get(3)?,
                target_name: r.get(4)?,
                weight: r.get(5)?,
                documents: r.get(6)?,
                evidence: Vec::new(),
            })
        })?;
        for row in rows {
            let mut relation = row?;
            let found = evidence.query_map(
                rusqlite::params![
                    relation.source,
                    relation.relation,
                    relation.target,
                    EVIDENCE as i64
                ],
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
            relation.evidence = found.collect::<rusqlite::Result<_>>()?;
            top_relations.push(relation);
        }
    }

    // The graph: the actors with the most relations (co-occurrence included), and the
    // edges among them.
    let mut nodes = Vec::new();
    {
        let mut statement = db.prepare(
            // An actor's weighted degree in `edges` is the number of relation rows it is
            // an end of; counted from the rows, not through the view, which would group
            // the whole table twice.
            "WITH ends AS (
                 SELECT source_id, target_id FROM relations
                 WHERE negated = 0 AND source_id IS NOT NULL AND target_id IS NOT NULL),
             degree AS (
                 SELECT id, COUNT(*) AS w FROM (
                     SELECT source_id AS id FROM ends UNION ALL SELECT target_id FROM ends)
                 GROUP BY id)
             SELECT e.id, e.name, e.type,
                    (SELECT COUNT(*) FROM mentions m WHERE m.entity_id = e.id)
             FROM degree d JOIN entities e ON e.id = d.id
             ORDER BY d.w DESC, e.id LIMIT ?1",
        )?;
        let rows = statement.query_map([MAX_GRAPH_NODES as i64], |r| {
            Ok(Node {
                id: r.get(0)?,
                label: r.get(1)?,
                kind: r.get(2)?,
                mentions: r.get(3)?,
            })
        })?;
        for row in rows {
            nodes.push(row?);
        }
    }
    let shown: std::collections::HashSet<&str> = nodes.iter().map(|n| n.id.as_str()).collect();
    let mut edges = Vec::new();
    {
        let mut statement = db.prepare(
            "SELECT source, relation, target, weight FROM edges
             WHERE source IS NOT NULL AND target IS NOT NULL ORDER BY source, relation, target",
        )?;
        let rows = statement.query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, i64>(3)?,
            ))
        })?;
        for row in rows {
            let (source, relation, target, weight) = row?;
            if shown.contains(source.as_str()) && shown.contains(target.as_str()) {
                edges.push(Edge {
                    id: format!("e{}", edges.len()),
                    source,
                    target,
                    relation,
                    weight,
                });
            }
        }
    }

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
    let weeks = weeks
        .into_iter()
        .map(|(week, relations)| Week { week, relations })
        .collect();

    Ok(ReportData {
        counts,
        actors,
        top_relations,
        nodes,
        edges,
        weeks,
    })
}

/// The page: the template with the library and the data inlined at their markers. `</`
/// inside the JSON is written `<\/` so that no text from an article can close the script
/// element.
fn render(data: &ReportData) -> String {
    let json = serde_json::to_string(data)
        .unwrap_or_else(|_| "{}".into())
        .replace("</", "<\\/")
        .replace('\u{2028}', "\\u2028")
        .replace('\u{2029}', "\\u2029");
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

#[cfg(test)]
mod tests {
    use super::*;

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
}
