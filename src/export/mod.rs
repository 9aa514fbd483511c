//! Graph files written from the database: GraphML (for Gephi, networkx, igraph), GEXF
//! with a timeline (Gephi), node-link JSON (networkx, graphology, Cytoscape.js) and CSV
//! (Gephi's spreadsheet import). Each is written to a temporary file and renamed, so a
//! crash never leaves a truncated graph that a viewer half-loads.

pub mod csv;
pub mod gexf;
pub mod graphml;
pub mod json;

use crate::error::{Error, Result};
use crate::graph;
use crate::store::Store;
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

/// Write `graph.graphml`, `graph.gexf`, `graph.json`, `nodes.csv` and `edges.csv` into
/// `dir`, from the whole database; returns the paths written.
pub fn write_all(store: &Store, dir: &Path) -> Result<Vec<PathBuf>> {
    write_graph_files(&graph::from_store(store)?, dir)
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

/// Write through `fill` into `path.tmp`, then rename it over `path`.
pub fn write_atomically(
    path: &Path,
    fill: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> Result<()> {
    let mut temporary = path.as_os_str().to_owned();
    temporary.push(".tmp");
    let temporary = PathBuf::from(temporary);
    let file = std::fs::File::create(&temporary).map_err(|e| Error::io(&temporary, e))?;
    let mut writer = std::io::BufWriter::new(file);
    fill(&mut writer).map_err(|e| Error::io(&temporary, e))?;
    let file = writer
        .into_inner()
        .map_err(|e| Error::io(&temporary, e.into_error()))?;
    file.sync_all().map_err(|e| Error::io(&temporary, e))?;
    std::fs::rename(&temporary, path).map_err(|e| Error::io(path, e))
}
