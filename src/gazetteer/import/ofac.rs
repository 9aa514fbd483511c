//! The `ofac` importer (being written).

use crate::error::{Error, Result};
use crate::gazetteer::Entity;
use std::path::PathBuf;

/// Read `ofac` files into rows, most important first.
pub fn read(_files: &[PathBuf]) -> Result<Vec<Entity>> {
    Err(Error::Config("the ofac importer is not written yet".into()))
}
