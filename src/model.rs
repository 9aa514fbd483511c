//! The document model every stage shares: what the reader hands on ([`Record`]:
//! [`Document`] or [`Reject`]), what the analysis adds ([`Mention`], [`Relation`]) and the
//! analysed document the store writes ([`Analyzed`]). Stages import these from here, never
//! from the driver (`pipeline`), so the analysis reads top to bottom: input → text →
//! names → resolution → relations → store, graph and exports.

use crate::gazetteer::{Entity, MatchKind};
pub use crate::text::tokens::Token;
use crate::text::tokens::tokenize;
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
    /// A UTF-8 document with an id, a text and the path it was read from, and nothing else
    /// known: no title, URL, date, source or line.
    pub fn new(id: impl Into<String>, text: impl Into<String>, path: impl Into<String>) -> Self {
        Document {
            id: id.into(),
            text: text.into(),
            title: None,
            url: None,
            published: None,
            published_raw: None,
            published_from: None,
            source: None,
            path: path.into(),
            line: None,
            encoding: "utf-8",
        }
    }

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
    pub relation: RelationType,
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

/// The relation types of the database contract. [`RelationType::TYPED`] are the ones rules
/// form, in the order the vocabulary is listed everywhere; [`RelationType::CoOccurs`] is
/// same-sentence co-occurrence. Stored and written as [`RelationType::as_str`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum RelationType {
    Attacked,
    Threatened,
    Condemned,
    Accused,
    Designated,
    CalledOn,
    Supports,
    MetWith,
    MemberOf,
    LocatedIn,
    CoOccurs,
}

impl RelationType {
    /// The types rules form (every type but co-occurrence).
    pub const TYPED: [RelationType; 10] = [
        RelationType::Attacked,
        RelationType::Threatened,
        RelationType::Condemned,
        RelationType::Accused,
        RelationType::Designated,
        RelationType::CalledOn,
        RelationType::Supports,
        RelationType::MetWith,
        RelationType::MemberOf,
        RelationType::LocatedIn,
    ];

    /// The name in the database, the rules file and the graph files.
    pub fn as_str(self) -> &'static str {
        match self {
            RelationType::Attacked => "attacked",
            RelationType::Threatened => "threatened",
            RelationType::Condemned => "condemned",
            RelationType::Accused => "accused",
            RelationType::Designated => "designated",
            RelationType::CalledOn => "called_on",
            RelationType::Supports => "supports",
            RelationType::MetWith => "met_with",
            RelationType::MemberOf => "member_of",
            RelationType::LocatedIn => "located_in",
            RelationType::CoOccurs => "co_occurs",
        }
    }

    /// A typed relation (one of [`RelationType::TYPED`]) by its name.
    pub fn typed(name: &str) -> Option<RelationType> {
        Self::TYPED.into_iter().find(|t| t.as_str() == name)
    }

    /// The typed names joined with ", ", for messages.
    pub fn typed_names() -> String {
        Self::TYPED.map(Self::as_str).join(", ")
    }

    /// A standing state (membership, location) rather than an event: its parties are not
    /// spread over coordinated names ("Hamas and Hezbollah attacked ..." makes two attacks;
    /// "X, a member of Y and Z" makes no second membership).
    pub fn is_state(self) -> bool {
        matches!(self, RelationType::MemberOf | RelationType::LocatedIn)
    }
}

impl std::fmt::Display for RelationType {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl PartialEq<&str> for RelationType {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

/// The layers of one document that the analysis stages read once they exist: the cleaned
/// text, its sentences, the tokens of each sentence and the document's date. A sentence
/// is tokenised the first time a stage asks for its tokens, and only then: discovery, role
/// resolution and the relation rules all read the same tokens.
pub struct DocView<'t> {
    pub text: &'t str,
    pub sentences: &'t [Range<usize>],
    /// `YYYY-MM-DD` (or a shorter ISO prefix), when the document has a date.
    pub published: Option<&'t str>,
    tokens: Vec<std::cell::OnceCell<Vec<Token<'t>>>>,
}

impl<'t> DocView<'t> {
    pub fn new(text: &'t str, sentences: &'t [Range<usize>], published: Option<&'t str>) -> Self {
        DocView {
            text,
            sentences,
            published,
            tokens: (0..sentences.len())
                .map(|_| std::cell::OnceCell::new())
                .collect(),
        }
    }

    /// The tokens of sentence `index`, in text order.
    pub fn tokens(&self, index: usize) -> &[Token<'t>] {
        self.tokens[index].get_or_init(|| {
            let sentence = &self.sentences[index];
            tokenize(self.text, sentence.start, sentence.end)
        })
    }
}
