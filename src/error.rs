//! The library's error type. Every message names the file (and line and column where
//! there is one) and the values involved, so a user can fix the input without a debugger.
//! Underlying errors are part of the message, not a separate `source()`, so printing the
//! chain never repeats them.

use std::path::PathBuf;

/// Everything that can stop a newsgraph run.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A file or directory could not be read or written.
    #[error("{path}: {cause}")]
    Io {
        path: PathBuf,
        cause: std::io::Error,
    },

    /// A gazetteer or rules file is malformed; `line` and `column` are 1-based.
    #[error("{path}:{line}:{column}: {message}")]
    Parse {
        path: PathBuf,
        line: usize,
        column: usize,
        message: String,
    },

    /// The input is a kind of file this version cannot read.
    #[error("{path}: {message}")]
    Unsupported { path: PathBuf, message: String },

    /// A setting or argument is not usable (no gazetteers found, bad option value...).
    #[error("{0}")]
    Config(String),

    /// The tagger's model file cannot be used: damaged, of another format version, or
    /// not a model at all.
    #[error("tagger model {path}: {message}")]
    Model { path: PathBuf, message: String },

    /// The SQLite database refused an operation.
    #[error("database {path}: {cause}")]
    Database {
        path: PathBuf,
        cause: rusqlite::Error,
    },
}

impl Error {
    pub(crate) fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io {
            path: path.into(),
            cause: source,
        }
    }

    pub(crate) fn parse(
        path: impl Into<PathBuf>,
        line: usize,
        column: usize,
        message: impl Into<String>,
    ) -> Self {
        Error::Parse {
            path: path.into(),
            line,
            column,
            message: message.into(),
        }
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
