//! Where the bundled data (`gazetteers/`, `examples/`) is found when no path is given.
//!
//! The first of these that exists wins:
//! 1. `$NEWSGRAPH_DATA/<name>`;
//! 2. `<dir of the executable>/../share/newsgraph/<name>` (an installed copy);
//! 3. `<name>` in the source tree the binary was built from (`cargo run`, `cargo install --path`);
//! 4. `./<name>` in the current directory.

use crate::error::{Error, Result};
use std::path::PathBuf;

fn candidates(name: &str) -> Vec<PathBuf> {
    let mut out = Vec::new();
    if let Some(data) = std::env::var_os("NEWSGRAPH_DATA") {
        out.push(PathBuf::from(data).join(name));
    }
    if let Some(dir) = std::env::current_exe()
        .ok()
        .and_then(|e| e.parent().map(PathBuf::from))
    {
        out.push(dir.join("../share/newsgraph").join(name));
    }
    out.push(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(name));
    out.push(PathBuf::from(name));
    out
}

/// The bundled directory `name` (`"gazetteers"` or `"examples"`).
pub fn find(name: &str) -> Result<PathBuf> {
    let tried = candidates(name);
    tried.iter().find(|p| p.is_dir()).cloned().ok_or_else(|| {
        Error::Config(format!(
            "cannot find the bundled {name}/ folder (looked in {}); set NEWSGRAPH_DATA or pass a path",
            tried
                .iter()
                .map(|p| p.display().to_string())
                .collect::<Vec<_>>()
                .join(", ")
        ))
    })
}
