//! Graph files written from the database: GraphML (for Gephi, networkx, igraph) and
//! node-link JSON (networkx, graphology). Each is written to a temporary file and renamed,
//! so a crash never leaves a truncated graph that a viewer half-loads.

pub mod graphml;
pub mod json;

use crate::error::{Error, Result};
use crate::graph;
use crate::store::Store;
use std::io::Write;
use std::path::{Path, PathBuf};

/// Write `graph.graphml` and `graph.json` into `dir`; returns the paths written.
pub fn write_all(store: &Store, dir: &Path) -> Result<Vec<PathBuf>> {
    let graph = graph::from_store(store)?;
    let graphml = dir.join("graph.graphml");
    write_atomically(&graphml, |w| graphml::write(&graph, w))?;
    let json = dir.join("graph.json");
    write_atomically(&json, |w| json::write(&graph, w))?;
    Ok(vec![graphml, json])
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
