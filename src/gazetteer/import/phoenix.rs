//! The `phoenix` importer (being written).

use crate::error::{Error, Result};
use crate::gazetteer::Entity;
use std::path::PathBuf;

/// Read `phoenix` files into rows, most important first.
pub fn read(_files: &[PathBuf]) -> Result<Vec<Entity>> {
    Err(Error::Config(
        "the phoenix importer is not written yet".into(),
    ))
}
