//! The document model every stage shares: what the reader hands on ([`Record`]:
//! [`Document`] or [`Reject`]), what the analysis adds ([`Mention`], [`Relation`]) and the
//! analysed document the store writes ([`Analyzed`]). Stages import these from here, never
//! from the driver (`pipeline`), so the analysis reads top to bottom: input → text →
//! names → resolution → relations → store, graph and exports.

use crate::gazetteer::{Entity, MatchKind};
use std::ops::Range;

/// One article as read, before cleaning.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Document {
    pub id: String,
    pub text: String,
    pub title: Option<String>,
    pub url: Option<String>,
    /// `YYYY-MM-DD` (or `YYYY-MM`, `YYYY`): the input's date read by
    /// [`crate::text::dates::normalize`].
    pub published: Option<String>,
    /// The date as the input wrote it, when it gave one (`26-FEB-1987 15:01:01.79`); kept
    /// when it could not be read, so nothing is lost.
    pub published_raw: Option<String>,
    /// Where `published` came from; `None` with a date counts as [`DateSource::Input`].
    pub published_from: Option<DateSource>,
    pub source: Option<String>,
    /// The file it came from (`<stdin>` for standard input).
    pub path: String,
    /// Its line in a JSONL file.
    pub line: Option<usize>,
    /// `utf-8`, `utf-16le`/`utf-16be` (from a byte-order mark), or the fallback
    /// encoding the bytes were decoded with.
    pub encoding: &'static str,
}

/// Where a document's `published` date came from (`documents.published_from`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateSource {
    /// Given with the input: the JSONL `published` or `date` field.
    Input,
    /// An HTML page's metadata: meta tags, JSON-LD, `<time datetime>`.
    HtmlMeta,
    /// Read from the article's text: a dateline or a date line near the top.
    Dateline,
}

impl DateSource {
    /// The value stored in `documents.published_from`.
    pub fn as_str(self) -> &'static str {
        match self {
            DateSource::Input => "input",
            DateSource::HtmlMeta => "html-meta",
            DateSource::Dateline => "dateline",
        }
    }
}

/// A record that could not be read as a document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reject {
    pub path: String,
    pub line: Option<usize>,
    pub reason: String,
    pub raw: Vec<u8>,
}

impl Document {
    /// `path` or `path:line`.
    pub fn origin(&self) -> String {
        match self.line {
            Some(line) => format!("{}:{line}", self.path),
            None => self.path.clone(),
        }
    }
}

impl std::fmt::Display for Reject {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.line {
            Some(line) => write!(f, "{}:{line}: {}", self.path, self.reason),
            None => write!(f, "{}: {}", self.path, self.reason),
        }
    }
}

/// What the reader hands on, in input order.
#[derive(Debug)]
pub enum Record {
    Document(Document),
    Reject(Reject),
    /// A file that could not be read to its end: a damaged or cut gzip stream (none of its
    /// records are handed on) or an I/O error part way (the records before it were). The
    /// build stores it like a reject and exits non-zero.
    Broken(Reject),
}

/// A resolved mention: byte span into the cleaned text, entity index, sentence index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mention {
    pub start: usize,
    pub end: usize,
    pub entity: usize,
    pub kind: MatchKind,
    pub sentence: usize,
}

/// A document after analysis, ready to store.
#[derive(Debug, Clone)]
pub struct Analyzed {
    pub id: String,
    pub title: Option<String>,
    pub url: Option<String>,
    pub published: Option<String>,
    /// Where `published` came from: the input, an HTML page's metadata, or the text's
    /// dateline (see [`crate::text::dates::from_text`]); `None` when there is no date.
    pub published_from: Option<DateSource>,
    /// The date as the input wrote it ([`Document::published_raw`]).
    pub published_raw: Option<String>,
    pub source: Option<String>,
    pub origin: String,
    pub encoding: &'static str,
    /// The cleaned text: what the database stores and what all offsets refer to.
    pub text: String,
    pub sha256: String,
    pub sentences: Vec<Range<usize>>,
    pub mentions: Vec<Mention>,
    /// Rule relations, then co-occurrences.
    pub relations: Vec<Relation>,
    /// People the document introduced that the gazetteers do not list; mentions point to
    /// them with entity indexes past the gazetteer's end (see [`crate::gazetteer::EntityTable`]).
    pub discovered: Vec<Entity>,
}

/// A relation found in a document. Source, target and reporter are indexes into the
/// document's mention list.
#[derive(Debug, Clone, PartialEq)]
pub struct Relation {
    pub sentence: usize,
    pub relation: &'static str,
    pub source: Option<usize>,
    pub target: Option<usize>,
    pub negated: bool,
    pub hedged: bool,
    pub rule: String,
    pub confidence: f64,
    pub role: Option<String>,
    /// Who the sentence attributes the statement to ("..., Miller said").
    pub reporter: Option<usize>,
}
