//! Graph files written from the database: GraphML (for Gephi, networkx, igraph), GEXF
//! with a timeline (Gephi), node-link JSON (networkx, graphology, Cytoscape.js) and CSV
//! (Gephi's spreadsheet import). Each is written to a temporary file and renamed, so a
//! crash never leaves a truncated graph that a viewer half-loads.

pub mod csv;
pub mod gexf;
pub mod graphml;
pub mod json;
pub mod xml;

use crate::error::{Error, Result};
use crate::graph;
use rayon::prelude::*;
use std::io::Write;
use std::path::{Path, PathBuf};

/// The export formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Graphml,
    Gexf,
    Json,
    /// `nodes.csv` and `edges.csv`.
    Csv,
}

impl Format {
    pub const ALL: [Format; 4] = [Format::Graphml, Format::Gexf, Format::Json, Format::Csv];

    pub fn parse(name: &str) -> Option<Format> {
        match name {
            "graphml" => Some(Format::Graphml),
            "gexf" => Some(Format::Gexf),
            "json" => Some(Format::Json),
            "csv" => Some(Format::Csv),
            _ => None,
        }
    }
}

/// An edge's `doc_ids` in GraphML, GEXF and CSV: a compact JSON array of strings
/// (`["044","036"]`). A separator such as `"; "` is ambiguous when an id contains it, and a
/// bare list of numeric ids is typed Integer by Gephi's spreadsheet import.
pub fn id_list(ids: &[String]) -> String {
    serde_json::to_string(ids).unwrap_or_else(|_| "[]".into())
}

/// Write one format of `graph`: to the file `path`, or for CSV to `nodes.csv` and
/// `edges.csv` in the folder `path`. Returns the files written.
pub fn write_format(graph: &graph::Graph, format: Format, path: &Path) -> Result<Vec<PathBuf>> {
    match format {
        Format::Graphml => {
            write_atomically(path, |w| graphml::write(graph, w)).map(|()| vec![path.to_path_buf()])
        }
        Format::Gexf => {
            write_atomically(path, |w| gexf::write(graph, w)).map(|()| vec![path.to_path_buf()])
        }
        Format::Json => {
            write_atomically(path, |w| json::write(graph, w)).map(|()| vec![path.to_path_buf()])
        }
        Format::Csv => {
            std::fs::create_dir_all(path).map_err(|e| Error::io(path, e))?;
            let nodes = path.join("nodes.csv");
            write_atomically(&nodes, |w| csv::write_nodes(graph, w))?;
            let edges = path.join("edges.csv");
            write_atomically(&edges, |w| csv::write_edges(graph, w))?;
            Ok(vec![nodes, edges])
        }
    }
}

/// Write every format of `graph` into `dir`, the formats in parallel (on the current rayon
/// pool); returns the paths written, in [`Format::ALL`] order.
pub fn write_graph_files(graph: &graph::Graph, dir: &Path) -> Result<Vec<PathBuf>> {
    let written: Vec<Vec<PathBuf>> = Format::ALL
        .par_iter()
        .map(|&format| {
            let path = match format {
                Format::Graphml => dir.join("graph.graphml"),
                Format::Gexf => dir.join("graph.gexf"),
                Format::Json => dir.join("graph.json"),
                Format::Csv => dir.to_path_buf(),
            };
            write_format(graph, format, &path)
        })
        .collect::<Result<_>>()?;
    Ok(written.into_iter().flatten().collect())
}

/// Remove from `dir` the temporary files a killed build left of its graph files and report
/// (`graph.json.<pid>-<n>.tmp` ...). The caller holds the folder's lock, so no build is
/// writing them.
pub fn remove_temporaries(dir: &Path) {
    const FILES: [&str; 6] = [
        "graph.graphml.",
        "graph.gexf.",
        "graph.json.",
        "nodes.csv.",
        "edges.csv.",
        "report.html.",
    ];
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.ends_with(".tmp") && FILES.iter().any(|f| name.starts_with(f)) {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

/// Write through `fill` into a temporary file beside `path`, then rename it over `path`.
/// The temporary's name is unique to the process and call, so two writers of one file
/// (an `export` while a build ends) never write into each other's temporary.
pub fn write_atomically(
    path: &Path,
    fill: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> Result<()> {
    static CALLS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let call = CALLS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let mut temporary = path.as_os_str().to_owned();
    temporary.push(format!(".{}-{call}.tmp", std::process::id()));
    let temporary = PathBuf::from(temporary);
    let file = std::fs::File::create(&temporary).map_err(|e| Error::io(&temporary, e))?;
    let mut writer = std::io::BufWriter::new(file);
    let written = (|| {
        fill(&mut writer)?;
        let file = writer.into_inner().map_err(|e| e.into_error())?;
        file.sync_all()
    })();
    let renamed = written
        .map_err(|e| Error::io(&temporary, e))
        .and_then(|()| std::fs::rename(&temporary, path).map_err(|e| Error::io(path, e)));
    if renamed.is_err() {
        let _ = std::fs::remove_file(&temporary);
    }
    renamed
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Text with the characters that break XML writers: markup, quotes, `]]>`, controls
    /// XML forbids, white space, non-ASCII.
    fn hostile() -> impl Strategy<Value = String> {
        prop::collection::vec(
            prop_oneof![
                Just("]]>".to_string()),
                Just("<!--".to_string()),
                Just("&amp;".to_string()),
                Just("\"; \"".to_string()),
                prop::sample::select(vec![
                    "<",
                    ">",
                    "&",
                    "\"",
                    "'",
                    " ",
                    "\n",
                    "\r",
                    "\t",
                    "\u{b}",
                    "\u{0}",
                    "\u{fffe}",
                    "é",
                    "\u{1F600}",
                    "]"
                ])
                .prop_map(String::from),
                "[a-zA-Z0-9 ]{0,6}",
                any::<char>().prop_map(String::from),
            ],
            0..12,
        )
        .prop_map(|parts| parts.concat())
    }

    fn graph_of(
        labels: Vec<(String, String)>,
        evidence: Vec<String>,
        doc_ids: Vec<String>,
    ) -> graph::Graph {
        let mut graph = graph::Graph::new();
        let nodes: Vec<_> = labels
            .into_iter()
            .enumerate()
            .map(|(n, (id, label))| {
                graph.add_node(graph::Node {
                    id: format!("{n}{id}"),
                    label,
                    kind: "person".into(),
                    subtype: Some(id.clone()),
                    country: None,
                    mentions: 1,
                    documents: 1,
                    origin: "gazetteer".into(),
                })
            })
            .collect();
        for pair in nodes.windows(2) {
            graph.add_edge(
                pair[0],
                pair[1],
                graph::Edge {
                    relation: "attacked".into(),
                    weight: 1,
                    documents: 1,
                    first_seen: Some("2023-12-08".into()),
                    last_seen: None,
                    evidence: evidence.clone(),
                    doc_ids: doc_ids.clone(),
                    confidence: 0.5,
                    roles: Vec::new(),
                },
            );
        }
        graph
    }

    /// The text of every element and the value of every attribute, read by a strict XML
    /// parser (roxmltree rejects `]]>` in text, undeclared entities, bad characters).
    fn values(xml: &[u8]) -> Result<Vec<String>, String> {
        let xml = std::str::from_utf8(xml).map_err(|e| e.to_string())?;
        let document = roxmltree::Document::parse(xml).map_err(|e| e.to_string())?;
        let mut values = Vec::new();
        for node in document.descendants().filter(|n| n.is_element()) {
            values.push(node.text().unwrap_or_default().to_string());
            values.extend(node.attributes().map(|a| a.value().to_string()));
        }
        Ok(values)
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]

        /// The fuzz of issue 15: whatever the articles hold, GraphML and GEXF stay
        /// well-formed, and each value comes back as written, less what XML forbids.
        #[test]
        fn xml_exports_stay_well_formed_and_keep_their_values(
            labels in prop::collection::vec((hostile(), hostile()), 1..4),
            evidence in prop::collection::vec(hostile(), 0..3),
            doc_ids in prop::collection::vec(hostile(), 0..3),
        ) {
            let graph = graph_of(labels.clone(), evidence.clone(), doc_ids.clone());
            let kept = |s: &str| s.chars().filter(|&c| xml::xml_allowed(c)).collect::<String>();
            for format in [Format::Graphml, Format::Gexf] {
                let mut xml = Vec::new();
                match format {
                    Format::Graphml => graphml::write(&graph, &mut xml).unwrap(),
                    _ => gexf::write(&graph, &mut xml).unwrap(),
                }
                let values = values(&xml).map_err(|e| TestCaseError::fail(format!("{format:?}: {e}")))?;
                for (_, label) in &labels {
                    prop_assert!(values.iter().any(|v| v.contains(&kept(label))), "{format:?}: label {label:?} lost");
                }
                if graph.edge_count() > 0 {
                    let joined = kept(&evidence.join("\n"));
                    prop_assert!(values.contains(&joined), "{format:?}: evidence {joined:?} lost");
                    let ids = kept(&id_list(&doc_ids));
                    prop_assert!(values.contains(&ids), "{format:?}: doc_ids {ids:?} lost");
                }
            }
        }
    }
}
