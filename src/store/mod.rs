//! The SQLite store: documents, entities, aliases, mentions, relations, rejects, and the
//! `edges` view. The schema is a contract (see `docs/schema.md`); every span is a byte
//! offset into `documents.text`.
//!
//! A batch of documents, with their mentions and relations, is written in one
//! transaction, so an interrupted run never leaves half a document, and a rerun skips
//! what is stored.

pub mod lock;
pub mod seen;

use crate::error::{Error, Result};
use crate::gazetteer::{Entity, EntityTable, Gazetteer};
use crate::model::{Analyzed, Reject};
use rusqlite::{Connection, OpenFlags, OptionalExtension, params};
use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::path::{Path, PathBuf};

/// Stored in `PRAGMA user_version`; a database of another version is refused, not mangled.
const SCHEMA_VERSION: i64 = 1;

const SCHEMA: &str = r#"
CREATE TABLE IF NOT EXISTS documents (
    id TEXT PRIMARY KEY,
    source TEXT,
    title TEXT,
    url TEXT,
    published TEXT,
    sha256 TEXT UNIQUE NOT NULL,
    text TEXT NOT NULL,
    ingested_at TEXT,
    origin TEXT,
    encoding TEXT,
    published_from TEXT
);
CREATE TABLE IF NOT EXISTS entities (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    type TEXT NOT NULL,
    subtype TEXT,
    country TEXT,
    origin TEXT,
    parent TEXT,
    role TEXT,
    valid_from TEXT,
    valid_to TEXT,
    source TEXT,
    code TEXT
);
CREATE TABLE IF NOT EXISTS aliases (
    entity_id TEXT NOT NULL,
    alias TEXT NOT NULL,
    kind TEXT NOT NULL DEFAULT 'alias',
    UNIQUE (entity_id, alias)
);
CREATE TABLE IF NOT EXISTS mentions (
    doc_id TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    sentence INTEGER NOT NULL,
    start INTEGER NOT NULL,
    end INTEGER NOT NULL,
    surface TEXT NOT NULL,
    kind TEXT NOT NULL DEFAULT 'name'
);
CREATE TABLE IF NOT EXISTS sentences (
    doc_id TEXT NOT NULL,
    sentence INTEGER NOT NULL,
    start INTEGER NOT NULL,
    end INTEGER NOT NULL,
    PRIMARY KEY (doc_id, sentence)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS relations (
    id INTEGER PRIMARY KEY,
    doc_id TEXT NOT NULL,
    sentence INTEGER NOT NULL,
    source_id TEXT,
    relation TEXT NOT NULL,
    target_id TEXT,
    negated INTEGER NOT NULL DEFAULT 0,
    evidence TEXT NOT NULL,
    rule TEXT,
    confidence REAL,
    source_start INTEGER,
    source_end INTEGER,
    target_start INTEGER,
    target_end INTEGER,
    published TEXT,
    role TEXT,
    reporter_id TEXT,
    hedged INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS rejects (
    id INTEGER PRIMARY KEY,
    path TEXT NOT NULL,
    line INTEGER,
    reason TEXT NOT NULL,
    raw BLOB,
    recorded_at TEXT NOT NULL
);
-- An input document whose text is stored under another id: `id` stays findable.
CREATE TABLE IF NOT EXISTS duplicates (
    id TEXT PRIMARY KEY,
    doc_id TEXT NOT NULL,
    origin TEXT,
    recorded_at TEXT NOT NULL
);
-- A reject is recorded once however often the run is repeated; NULL lines count as equal.
CREATE UNIQUE INDEX IF NOT EXISTS rejects_once ON rejects (path, IFNULL(line, 0), reason);
CREATE VIEW IF NOT EXISTS edges AS
    SELECT r.source_id AS source, r.relation AS relation, r.target_id AS target,
           COUNT(*) AS weight, COUNT(DISTINCT r.doc_id) AS documents,
           MIN(r.published) AS first_seen, MAX(r.published) AS last_seen
    FROM relations r
    WHERE r.negated = 0
    GROUP BY r.source_id, r.relation, r.target_id;
"#;

/// The indexes for reading. A build into a new database creates them after its last
/// insert ([`Store::open_for_build`]): sorting once is cheaper than keeping four B-trees in
/// order row by row. A database whose first build was interrupted gets them the next time
/// it is opened.
const INDEXES: &str = r#"
CREATE INDEX IF NOT EXISTS mentions_doc ON mentions (doc_id);
-- Holds doc_id too, so counting an entity's mentions and documents (the graph's nodes,
-- the report's actors) reads the index alone. It replaced `mentions_entity (entity_id)`.
DROP INDEX IF EXISTS mentions_entity;
CREATE INDEX IF NOT EXISTS mentions_entity_doc ON mentions (entity_id, doc_id);
CREATE INDEX IF NOT EXISTS relations_doc ON relations (doc_id);
CREATE INDEX IF NOT EXISTS relations_triple ON relations (source_id, relation, target_id);
"#;

/// `(table, column)`: `TEXT` columns added to the schema after databases of this version
/// were made; opening an older database adds them (with `NULL` in the existing rows).
const ADDED_COLUMNS: [(&str, &str); 3] = [
    ("entities", "code"),
    ("documents", "published_from"),
    ("documents", "published_raw"),
];

/// An open database.
pub struct Store {
    connection: Connection,
    path: PathBuf,
    /// Gazetteer entities (by index) this store has written: each is written once a run.
    upserted: HashSet<usize>,
    /// [`INDEXES`] are still to be created ([`Store::create_indexes`]).
    indexes_deferred: bool,
}

/// A mention drawn by [`Store::sample_mentions`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SampledMention {
    pub doc_id: String,
    pub entity_id: String,
    pub entity_type: String,
    pub kind: String,
    pub surface: String,
    /// The sentence around the mention, white space collapsed, surface marked «...».
    pub context: String,
}

/// A stored document as [`Store::for_each_document`] hands it on.
#[derive(Debug, Clone)]
pub struct StoredDocument {
    pub id: String,
    pub text: String,
    pub sentences: Vec<std::ops::Range<usize>>,
    /// Byte spans of its mentions of listed entities (not of discovered ones, which are
    /// what `suggest` proposes for the gazetteers), in text order.
    pub mentions: Vec<std::ops::Range<usize>>,
}

/// What [`Store::add_batch`] did with each document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Added {
    New,
    /// Same id, new text: the new version replaced the old one.
    Replaced,
    /// The same text is already stored (by SHA-256).
    Unchanged,
}

/// An input document whose text is already stored under another id
/// ([`Store::add_duplicate`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Duplicate {
    pub id: String,
    pub sha256: String,
    /// `file:line` it was read from.
    pub origin: String,
}

/// Whole-database counts for the run summary.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Totals {
    pub documents: u64,
    pub sentences: u64,
    pub mentions: u64,
    pub entities: u64,
    pub rejects: u64,
    /// Non-negated relations by type.
    pub relations: BTreeMap<String, u64>,
    pub negated: u64,
}

/// The SQL expression for the current time as ISO-8601 UTC.
const NOW: &str = "strftime('%Y-%m-%dT%H:%M:%SZ', 'now')";

impl Store {
    /// Open (creating if needed) the database at `path`.
    pub fn open(path: &Path) -> Result<Self> {
        Self::open_with(path, false)
    }

    /// Like [`Store::open`], but if the database is new its reading indexes are left to
    /// [`Store::create_indexes`], once everything is written.
    pub fn open_for_build(path: &Path) -> Result<Self> {
        Self::open_with(path, true)
    }

    /// A read-only connection to an open database, for lookups while another connection
    /// writes; it changes nothing, not even the schema.
    pub fn open_reader(path: &Path) -> Result<Self> {
        let connection = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY)
            .map_err(|source| Error::Database {
                path: path.to_path_buf(),
                cause: source,
            })?;
        Ok(Store {
            connection,
            path: path.to_path_buf(),
            upserted: HashSet::new(),
            indexes_deferred: false,
        })
    }

    fn open_with(path: &Path, defer_indexes: bool) -> Result<Self> {
        let db = |source| Error::Database {
            path: path.to_path_buf(),
            cause: source,
        };
        let connection = Connection::open(path).map_err(db)?;
        // 16 KiB pages for a new database (an existing one keeps its own): a quarter as
        // many pages to balance, log in the WAL and check back; a build of the news corpus
        // took 8% less CPU time and wrote a 6% smaller file than with the default 4 KiB.
        connection
            .execute_batch(
                "PRAGMA page_size = 16384; PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; \
                 PRAGMA foreign_keys = ON;",
            )
            .map_err(db)?;
        let version: i64 = connection
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .map_err(db)?;
        let has_tables: bool = connection
            .query_row(
                "SELECT COUNT(*) > 0 FROM sqlite_master WHERE name = 'documents'",
                [],
                |r| r.get(0),
            )
            .map_err(db)?;
        if (version == 0 && has_tables) || (version != 0 && version != SCHEMA_VERSION) {
            return Err(Error::Config(format!(
                "{}: made by another version of newsgraph (schema {version}, this one writes {SCHEMA_VERSION}); \
                 build into a new --out folder or delete the old database",
                path.display()
            )));
        }
        connection.execute_batch(SCHEMA).map_err(db)?;
        let indexes_deferred = defer_indexes && !has_tables;
        if !indexes_deferred {
            connection.execute_batch(INDEXES).map_err(db)?;
        }
        // Columns that came after the first databases of this version: add them (additive
        // changes, so the version stays the same).
        for (table, column) in ADDED_COLUMNS {
            let has_column: bool = connection
                .query_row(
                    "SELECT COUNT(*) > 0 FROM pragma_table_info(?1) WHERE name = ?2",
                    [table, column],
                    |r| r.get(0),
                )
                .map_err(db)?;
            if !has_column {
                connection
                    .execute_batch(&format!("ALTER TABLE {table} ADD COLUMN {column} TEXT"))
                    .map_err(db)?;
            }
        }
        connection
            .execute_batch(&format!("PRAGMA user_version = {SCHEMA_VERSION}"))
            .map_err(db)?;
        Ok(Store {
            connection,
            path: path.to_path_buf(),
            upserted: HashSet::new(),
            indexes_deferred,
        })
    }

    /// Create the indexes [`Store::open_for_build`] left out, if it did.
    pub fn create_indexes(&mut self) -> Result<()> {
        if self.indexes_deferred {
            self.connection
                .execute_batch(INDEXES)
                .map_err(|e| self.err(e))?;
            self.indexes_deferred = false;
        }
        Ok(())
    }

    /// Open a database that must already exist for writing, bringing its schema up to date
    /// as a build does (indexes, added columns). Reading commands use
    /// [`Store::open_read_only`].
    pub fn open_existing(path: &Path) -> Result<Self> {
        if !path.is_file() {
            return Err(Error::Config(format!(
                "{}: no such database; run `newsgraph build` first or pass --db",
                path.display()
            )));
        }
        Self::open(path)
    }

    /// Open a database that must already exist for reading only (query, export, eval ...):
    /// it writes nothing, creates no `-wal` or `-shm` file, and works in a folder or on a
    /// file it may not write. Without a `-wal` file beside it no other connection has
    /// the database open, and it is read as an immutable file (`immutable=1`: no locks,
    /// no WAL). With one, a writer may be at work: the database is read through its WAL,
    /// unless that cannot be opened (a read-only folder), when the main file alone is
    /// read as immutable. No schema change is made: a database of another version is
    /// refused.
    pub fn open_read_only(path: &Path) -> Result<Self> {
        if !path.is_file() {
            return Err(Error::Config(format!(
                "{}: no such database; run `newsgraph build` first or pass --db",
                path.display()
            )));
        }
        let db = |source| Error::Database {
            path: path.to_path_buf(),
            cause: source,
        };
        // Opening is lazy: the first read opens the WAL, so a failure shows there.
        let read = |connection: Connection| -> rusqlite::Result<(Connection, i64)> {
            let version = connection.query_row("PRAGMA user_version", [], |r| r.get(0))?;
            Ok((connection, version))
        };
        let immutable = || {
            // A URI (SQLITE_OPEN_URI), every byte of the path but the plainest escaped; an
            // absolute path after an empty authority, so "//" cannot start one.
            let mut uri = String::from(if path.is_absolute() {
                "file://"
            } else {
                "file:"
            });
            for &b in path.as_os_str().as_encoded_bytes() {
                if b.is_ascii_alphanumeric() || b"/._-~".contains(&b) {
                    uri.push(b as char);
                } else {
                    uri.push_str(&format!("%{b:02X}"));
                }
            }
            uri.push_str("?immutable=1");
            Connection::open_with_flags(
                uri,
                OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_URI,
            )
            .and_then(read)
        };
        let mut wal = path.as_os_str().to_owned();
        wal.push("-wal");
        let (connection, version) = if Path::new(&wal).exists() {
            Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY)
                .and_then(read)
                .or_else(|_| immutable())
        } else {
            immutable()
        }
        .map_err(db)?;
        if version != SCHEMA_VERSION {
            return Err(Error::Config(format!(
                "{}: not a database of this version of newsgraph (schema {version}, this one \
                 reads {SCHEMA_VERSION})",
                path.display()
            )));
        }
        Ok(Store {
            connection,
            path: path.to_path_buf(),
            upserted: HashSet::new(),
            indexes_deferred: false,
        })
    }

    /// Call `f` with every stored document: its text, sentence spans and mention spans.
    pub fn for_each_document(&self, mut f: impl FnMut(StoredDocument) -> Result<()>) -> Result<()> {
        let mut documents = self
            .connection
            .prepare("SELECT id, text FROM documents ORDER BY id")
            .map_err(|e| self.err(e))?;
        let mut sentences = self
            .connection
            .prepare("SELECT start, end FROM sentences WHERE doc_id = ?1 ORDER BY sentence")
            .map_err(|e| self.err(e))?;
        let mut mentions = self
            .connection
            .prepare(
                "SELECT m.start, m.end FROM mentions m JOIN entities e ON e.id = m.entity_id
                 WHERE m.doc_id = ?1 AND e.origin != 'discovered' ORDER BY m.start",
            )
            .map_err(|e| self.err(e))?;
        let spans = |statement: &mut rusqlite::Statement, id: &str| {
            statement
                .query_map([id], |r| {
                    Ok(r.get::<_, i64>(0)? as usize..r.get::<_, i64>(1)? as usize)
                })?
                .collect::<rusqlite::Result<Vec<_>>>()
        };
        let rows = documents
            .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))
            .map_err(|e| self.err(e))?;
        for row in rows {
            let (id, text) = row.map_err(|e| self.err(e))?;
            let sentences = spans(&mut sentences, &id).map_err(|e| self.err(e))?;
            let mentions = spans(&mut mentions, &id).map_err(|e| self.err(e))?;
            f(StoredDocument {
                id,
                text,
                sentences,
                mentions,
            })?;
        }
        Ok(())
    }

    /// A reproducible sample of `count` mentions (the same seed gives the same sample),
    /// each with up to 80 bytes of context either side and the surface marked «like this».
    pub fn sample_mentions(&self, count: usize, seed: u64) -> Result<Vec<SampledMention>> {
        let total: i64 = self
            .connection
            .query_row("SELECT COUNT(*) FROM mentions", [], |r| r.get(0))
            .map_err(|e| self.err(e))?;
        let total = total as u64;
        let mut picks = std::collections::BTreeSet::new();
        // splitmix64: a fixed, well-mixed sequence from the seed.
        let mut state = seed;
        while (picks.len() as u64) < total.min(count as u64) {
            state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
            let mut z = state;
            z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
            picks.insert((z ^ (z >> 31)) % total);
        }
        let mut statement = self
            .connection
            .prepare(
                "SELECT m.doc_id, m.entity_id, IFNULL(e.type, ''), m.kind, m.surface, m.start, m.end, d.text
                 FROM mentions m JOIN documents d ON d.id = m.doc_id
                 LEFT JOIN entities e ON e.id = m.entity_id
                 ORDER BY m.rowid LIMIT 1 OFFSET ?1",
            )
            .map_err(|e| self.err(e))?;
        let mut sample = Vec::new();
        for offset in picks {
            let row = statement
                .query_row([offset as i64], |r| {
                    Ok((
                        r.get::<_, String>(0)?,
                        r.get::<_, String>(1)?,
                        r.get::<_, String>(2)?,
                        r.get::<_, String>(3)?,
                        r.get::<_, String>(4)?,
                        r.get::<_, i64>(5)? as usize,
                        r.get::<_, i64>(6)? as usize,
                        r.get::<_, String>(7)?,
                    ))
                })
                .map_err(|e| self.err(e))?;
            let (doc_id, entity_id, entity_type, kind, surface, start, end, text) = row;
            let mut from = start.saturating_sub(80);
            while !text.is_char_boundary(from) {
                from -= 1;
            }
            let mut to = (end + 80).min(text.len());
            while !text.is_char_boundary(to) {
                to += 1;
            }
            let context = format!(
                "{}«{}»{}",
                &text[from..start],
                &text[start..end],
                &text[end..to]
            )
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
            sample.push(SampledMention {
                doc_id,
                entity_id,
                entity_type,
                kind,
                surface,
                context,
            });
        }
        Ok(sample)
    }

    fn err(&self, source: rusqlite::Error) -> Error {
        Error::Database {
            path: self.path.clone(),
            cause: source,
        }
    }

    /// The database file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn connection(&self) -> &Connection {
        &self.connection
    }

    /// The id of the stored document with this exact text, if there is one.
    pub fn id_with_text(&self, sha256: &str) -> Result<Option<String>> {
        self.connection
            .prepare_cached("SELECT id FROM documents WHERE sha256 = ?1")
            .and_then(|mut s| s.query_row([sha256], |r| r.get(0)).optional())
            .map_err(|e| self.err(e))
    }

    /// Record, in one transaction, that each duplicate's id has the text of a stored
    /// document; how many of them are news (the others only repeat what an earlier run
    /// recorded).
    pub fn add_duplicates(&mut self, duplicates: &[Duplicate]) -> Result<u64> {
        let path = self.path.clone();
        let db = |cause| Error::Database {
            path: path.clone(),
            cause,
        };
        let tx = self.connection.transaction().map_err(db)?;
        let mut news = 0;
        for duplicate in duplicates {
            let recorded = tx
                .prepare_cached(
                    "SELECT 1 FROM duplicates d JOIN documents s ON s.id = d.doc_id
                     WHERE d.id = ?1 AND s.sha256 = ?2",
                )
                .and_then(|mut s| s.exists(params![duplicate.id, duplicate.sha256]))
                .map_err(db)?;
            if recorded {
                continue;
            }
            tx.prepare_cached(&format!(
                "INSERT OR REPLACE INTO duplicates (id, doc_id, origin, recorded_at)
                 SELECT ?1, id, ?3, {NOW} FROM documents WHERE sha256 = ?2"
            ))
            .and_then(|mut s| s.execute(params![duplicate.id, duplicate.sha256, duplicate.origin]))
            .map_err(db)?;
            news += 1;
        }
        tx.commit().map_err(db)?;
        Ok(news)
    }

    /// Store analysed documents in one transaction: all of them or, if the run is
    /// interrupted, none. One commit per batch instead of per document is most of the
    /// write speed (see docs/performance.md).
    pub fn add_batch(&mut self, docs: &[Analyzed], gazetteer: &Gazetteer) -> Result<Vec<Added>> {
        let path = self.path.clone();
        let db = |source| Error::Database {
            path: path.clone(),
            cause: source,
        };
        let tx = self.connection.transaction().map_err(db)?;
        let mut added = Vec::with_capacity(docs.len());
        let mut upserted = HashSet::new();
        for doc in docs {
            added.push(
                add_document(&tx, doc, gazetteer, &self.upserted, &mut upserted).map_err(db)?,
            );
        }
        tx.commit().map_err(db)?;
        self.upserted.extend(upserted);
        Ok(added)
    }

    /// Record a rejected input record (once: the same path, line and reason are stored once).
    pub fn add_reject(&mut self, reject: &Reject) -> Result<()> {
        self.connection
            .execute(
                &format!("INSERT OR IGNORE INTO rejects (path, line, reason, raw, recorded_at) VALUES (?1, ?2, ?3, ?4, {NOW})"),
                params![
                    reject.path,
                    reject.line.map(|l| l as i64),
                    reject.reason,
                    reject.raw,
                ],
            )
            .map(|_| ())
            .map_err(|e| self.err(e))
    }

    /// Whole-database counts.
    pub fn totals(&self) -> Result<Totals> {
        let count = |sql: &str| -> Result<u64> {
            self.connection
                .query_row(sql, [], |row| row.get::<_, i64>(0))
                .map(|n| n as u64)
                .map_err(|e| self.err(e))
        };
        let mut relations = BTreeMap::new();
        let mut statement = self
            .connection
            .prepare("SELECT relation, COUNT(*) FROM relations WHERE negated = 0 GROUP BY relation ORDER BY relation")
            .map_err(|e| self.err(e))?;
        let rows = statement
            .query_map([], |row| {
                Ok((row.get::<_, String>(0)?, row.get::<_, i64>(1)?))
            })
            .map_err(|e| self.err(e))?;
        for row in rows {
            let (relation, n) = row.map_err(|e| self.err(e))?;
            relations.insert(relation, n as u64);
        }
        Ok(Totals {
            documents: count("SELECT COUNT(*) FROM documents")?,
            sentences: count("SELECT COUNT(*) FROM sentences")?,
            mentions: count("SELECT COUNT(*) FROM mentions")?,
            entities: count("SELECT COUNT(DISTINCT entity_id) FROM mentions")?,
            rejects: count("SELECT COUNT(*) FROM rejects")?,
            negated: count("SELECT COUNT(*) FROM relations WHERE negated = 1")?,
            relations,
        })
    }
}

/// Write one document inside the caller's transaction. Gazetteer entities already in
/// `upserted` (written by an earlier batch of this run) are not written again; those this
/// document writes are added to `newly_upserted`.
fn add_document(
    tx: &rusqlite::Transaction,
    doc: &Analyzed,
    gazetteer: &Gazetteer,
    upserted: &HashSet<usize>,
    newly_upserted: &mut HashSet<usize>,
) -> rusqlite::Result<Added> {
    let entities = EntityTable {
        gazetteer,
        discovered: &doc.discovered,
    };
    if tx
        .prepare_cached("SELECT 1 FROM documents WHERE sha256 = ?1")?
        .query_row([&doc.sha256], |_| Ok(()))
        .optional()?
        .is_some()
    {
        return Ok(Added::Unchanged);
    }
    let replaced = delete_stored_document(tx, &doc.id)?;
    // An id that was recorded as a duplicate now has a text of its own.
    tx.prepare_cached("DELETE FROM duplicates WHERE id = ?1")?
        .execute([&doc.id])?;
    insert_document(tx, doc)?;
    insert_sentences(tx, doc)?;
    let entity_ids = insert_mentions(tx, doc, entities)?;
    upsert_mentioned_entities(tx, entities, entity_ids, upserted, newly_upserted)?;
    insert_relations(tx, doc, entities)?;
    Ok(if replaced {
        Added::Replaced
    } else {
        Added::New
    })
}

/// Delete the document stored under `id` with its sentences, mentions and relations;
/// whether there was one.
fn delete_stored_document(tx: &rusqlite::Transaction, id: &str) -> rusqlite::Result<bool> {
    let replaced = tx
        .prepare_cached("SELECT 1 FROM documents WHERE id = ?1")?
        .query_row([id], |_| Ok(()))
        .optional()?
        .is_some();
    if replaced {
        for table in ["mentions", "relations", "sentences"] {
            tx.execute(&format!("DELETE FROM {table} WHERE doc_id = ?1"), [id])?;
        }
        tx.execute("DELETE FROM documents WHERE id = ?1", [id])?;
    }
    Ok(replaced)
}

fn insert_document(tx: &rusqlite::Transaction, doc: &Analyzed) -> rusqlite::Result<()> {
    let insert_document = format!(
        "INSERT INTO documents (id, source, title, url, published, sha256, text, ingested_at,
            origin, encoding, published_from, published_raw)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, {NOW}, ?8, ?9, ?10, ?11)"
    );
    tx.prepare_cached(&insert_document)?.execute(params![
        doc.id,
        doc.source,
        doc.title,
        doc.url,
        doc.published,
        doc.sha256,
        doc.text,
        doc.origin,
        doc.encoding,
        doc.published_from.map(crate::model::DateSource::as_str),
        doc.published_raw,
    ])?;
    Ok(())
}

fn insert_sentences(tx: &rusqlite::Transaction, doc: &Analyzed) -> rusqlite::Result<()> {
    let mut sentence = tx.prepare_cached(
        "INSERT INTO sentences (doc_id, sentence, start, end) VALUES (?1, ?2, ?3, ?4)",
    )?;
    for (index, span) in doc.sentences.iter().enumerate() {
        sentence.execute(params![
            doc.id,
            index as i64,
            span.start as i64,
            span.end as i64
        ])?;
    }
    Ok(())
}

/// Insert the document's mentions; the indices of the entities they mention.
fn insert_mentions(
    tx: &rusqlite::Transaction,
    doc: &Analyzed,
    entities: EntityTable,
) -> rusqlite::Result<BTreeSet<usize>> {
    let mut mention = tx.prepare_cached(
        "INSERT INTO mentions (doc_id, entity_id, sentence, start, end, surface, kind)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?;
    let mut entity_ids = BTreeSet::new();
    for m in &doc.mentions {
        let entity = entities.entity(m.entity);
        entity_ids.insert(m.entity);
        mention.execute(params![
            doc.id,
            entity.id,
            m.sentence as i64,
            m.start as i64,
            m.end as i64,
            &doc.text[m.start..m.end],
            m.kind.as_str()
        ])?;
    }
    Ok(entity_ids)
}

/// Write the entities of `entity_ids`, but not a gazetteer entity already written by an
/// earlier batch of this run (`upserted`) or an earlier document of this batch
/// (`newly_upserted`, to which those written here are added).
fn upsert_mentioned_entities(
    tx: &rusqlite::Transaction,
    entities: EntityTable,
    entity_ids: BTreeSet<usize>,
    upserted: &HashSet<usize>,
    newly_upserted: &mut HashSet<usize>,
) -> rusqlite::Result<()> {
    for index in entity_ids {
        // Discovered people are rewritten each time: a later document may say more.
        let gazetteer_entity = !entities.is_discovered(index);
        if gazetteer_entity && (upserted.contains(&index) || newly_upserted.contains(&index)) {
            continue;
        }
        upsert_entity(tx, entities.entity(index))?;
        if gazetteer_entity {
            newly_upserted.insert(index);
        }
    }
    Ok(())
}

fn insert_relations(
    tx: &rusqlite::Transaction,
    doc: &Analyzed,
    entities: EntityTable,
) -> rusqlite::Result<()> {
    let mut relation = tx.prepare_cached(
        "INSERT INTO relations (doc_id, sentence, source_id, relation, target_id, negated,
            evidence, rule, confidence, source_start, source_end, target_start, target_end,
            published, role, reporter_id, hedged)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)",
    )?;
    for r in &doc.relations {
        let span = |m: Option<usize>| m.map(|m| &doc.mentions[m]);
        let id = |m: Option<usize>| span(m).map(|m| entities.entity(m.entity).id.as_str());
        let sentence_span = &doc.sentences[r.sentence];
        relation.execute(params![
            doc.id,
            r.sentence as i64,
            id(r.source),
            r.relation.as_str(),
            id(r.target),
            r.negated,
            &doc.text[sentence_span.clone()],
            r.rule,
            r.confidence,
            span(r.source).map(|m| m.start as i64),
            span(r.source).map(|m| m.end as i64),
            span(r.target).map(|m| m.start as i64),
            span(r.target).map(|m| m.end as i64),
            doc.published,
            r.role,
            id(r.reporter),
            r.hedged,
        ])?;
    }
    Ok(())
}

fn upsert_entity(tx: &rusqlite::Transaction, entity: &Entity) -> rusqlite::Result<()> {
    tx.prepare_cached(
        "INSERT INTO entities (id, name, type, subtype, country, origin, parent, role, valid_from, valid_to, source, code)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)
         ON CONFLICT (id) DO UPDATE SET name = excluded.name, type = excluded.type,
            subtype = excluded.subtype, country = excluded.country, origin = excluded.origin,
            parent = excluded.parent, role = excluded.role, valid_from = excluded.valid_from,
            valid_to = excluded.valid_to, source = excluded.source, code = excluded.code",
    )?
    .execute(params![
        entity.id,
        entity.name,
        entity.kind.as_str(),
        entity.subtype,
        entity.country,
        entity.origin,
        entity.parent,
        entity.role,
        entity.valid_from,
        entity.valid_to,
        entity.source,
        entity.code
    ])?;
    let mut alias = tx.prepare_cached(
        "INSERT OR IGNORE INTO aliases (entity_id, alias, kind) VALUES (?1, ?2, ?3)",
    )?;
    alias.execute(params![entity.id, entity.name, "name"])?;
    for a in &entity.aliases {
        alias.execute(params![entity.id, a, "alias"])?;
    }
    for d in &entity.demonyms {
        alias.execute(params![entity.id, d, "demonym"])?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entity_codes_are_stored() {
        let dir = tempfile::tempdir().unwrap();
        let gazetteers = dir.path().join("gaz");
        std::fs::create_dir(&gazetteers).unwrap();
        std::fs::write(
            gazetteers.join("g.tsv"),
            "id\tname\ttype\tcountry\tcode\nplace/irq\tIraq\tplace\tIRQ\t\ngovernment/irq\tIraqi Government\tgovernment\tIRQ\tIRQGOV\n",
        )
        .unwrap();
        std::fs::copy(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("gazetteers/relations.toml"),
            gazetteers.join("relations.toml"),
        )
        .unwrap();
        let input = dir.path().join("a.txt");
        std::fs::write(&input, "The Iraqi Government met in Iraq.").unwrap();
        let out = dir.path().join("out");
        crate::pipeline::build(&crate::pipeline::BuildConfig {
            inputs: vec![input],
            gazetteers: vec![gazetteers],
            out: out.clone(),
            jobs: 1,
            warn: |_| {},
            progress: None,
            gazetteer_cache: None,
            min_discovered_mentions: crate::graph::DEFAULT_MIN_DISCOVERED_MENTIONS,
        })
        .unwrap();
        let store = Store::open_existing(&out.join("newsgraph.sqlite")).unwrap();
        let codes: Vec<(String, Option<String>)> = store
            .connection()
            .prepare("SELECT id, code FROM entities ORDER BY id")
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .map(Result::unwrap)
            .collect();
        assert_eq!(
            codes,
            [
                ("government/irq".to_string(), Some("IRQGOV".to_string())),
                ("place/irq".to_string(), None)
            ]
        );
    }

    #[test]
    fn documents_record_where_their_date_came_from() {
        let dir = tempfile::tempdir().unwrap();
        let gazetteers = dir.path().join("gaz");
        std::fs::create_dir(&gazetteers).unwrap();
        std::fs::write(
            gazetteers.join("g.tsv"),
            "id\tname\ttype\tcountry\nplace/irq\tIraq\tplace\tIRQ\nplace/syr\tSyria\tplace\tSYR\n",
        )
        .unwrap();
        std::fs::copy(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("gazetteers/relations.toml"),
            gazetteers.join("relations.toml"),
        )
        .unwrap();
        let input = dir.path().join("in");
        std::fs::create_dir(&input).unwrap();
        std::fs::write(
            input.join("a.txt"),
            "BAGHDAD, Dec. 8, 2023 (Reuters) - Rockets fell in Iraq and Syria.",
        )
        .unwrap();
        std::fs::write(input.join("b.txt"), "Rockets fell in Iraq on Friday.").unwrap();
        std::fs::write(
            input.join("c.jsonl"),
            "{\"id\":\"c\",\"text\":\"BAGHDAD, Dec. 8, 2023 (Reuters) - Shells fell in Iraq.\",\"date\":\"2023-12-09\"}\n",
        )
        .unwrap();
        let out = dir.path().join("out");
        crate::pipeline::build(&crate::pipeline::BuildConfig {
            inputs: vec![input],
            gazetteers: vec![gazetteers],
            out: out.clone(),
            jobs: 1,
            warn: |_| {},
            progress: None,
            gazetteer_cache: None,
            min_discovered_mentions: crate::graph::DEFAULT_MIN_DISCOVERED_MENTIONS,
        })
        .unwrap();
        let store = Store::open_existing(&out.join("newsgraph.sqlite")).unwrap();
        let rows: Vec<(String, Option<String>, Option<String>)> = store
            .connection()
            .prepare("SELECT id, published, published_from FROM documents ORDER BY id")
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .unwrap()
            .map(Result::unwrap)
            .collect();
        let row = |id: &str, date: Option<&str>, from: Option<&str>| {
            (
                id.to_string(),
                date.map(String::from),
                from.map(String::from),
            )
        };
        assert_eq!(
            rows,
            [
                row("a", Some("2023-12-08"), Some("dateline")),
                row("b", None, None),
                row("c", Some("2023-12-09"), Some("input")),
            ]
        );
        let relation_dates: Vec<Option<String>> = store
            .connection()
            .prepare("SELECT DISTINCT published FROM relations WHERE doc_id = 'a'")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .map(Result::unwrap)
            .collect();
        assert_eq!(relation_dates, [Some("2023-12-08".to_string())]);
    }

    fn reading_indexes(path: &Path) -> Vec<String> {
        let connection = Connection::open(path).unwrap();
        let mut names: Vec<String> = connection
            .prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .map(Result::unwrap)
            .filter(|name: &String| name != "rejects_once")
            .collect();
        names.sort();
        names
    }

    #[test]
    fn a_first_build_creates_the_reading_indexes_at_the_end_or_on_the_next_open() {
        let all = [
            "mentions_doc",
            "mentions_entity_doc",
            "relations_doc",
            "relations_triple",
        ];
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("new.sqlite");
        let mut store = Store::open_for_build(&path).unwrap();
        assert!(reading_indexes(&path).is_empty());
        store.create_indexes().unwrap();
        assert_eq!(reading_indexes(&path), all);

        // A first build that stops before the end: the next open adds them.
        let interrupted = dir.path().join("interrupted.sqlite");
        drop(Store::open_for_build(&interrupted).unwrap());
        assert!(reading_indexes(&interrupted).is_empty());
        drop(Store::open_existing(&interrupted).unwrap());
        assert_eq!(reading_indexes(&interrupted), all);

        // A later build into an existing database keeps them up to date row by row.
        drop(Store::open_for_build(&path).unwrap());
        assert_eq!(reading_indexes(&path), all);

        // A database made before mentions_entity_doc trades its mentions_entity for it.
        Connection::open(&path)
            .unwrap()
            .execute_batch(
                "DROP INDEX mentions_entity_doc; CREATE INDEX mentions_entity ON mentions (entity_id)",
            )
            .unwrap();
        drop(Store::open_existing(&path).unwrap());
        assert_eq!(reading_indexes(&path), all);
    }

    #[test]
    fn a_new_database_has_16_kib_pages_and_an_existing_one_keeps_its_own() {
        let page_size = |path: &Path| -> i64 {
            Connection::open(path)
                .unwrap()
                .query_row("PRAGMA page_size", [], |r| r.get(0))
                .unwrap()
        };
        let dir = tempfile::tempdir().unwrap();
        let new = dir.path().join("new.sqlite");
        drop(Store::open_for_build(&new).unwrap());
        assert_eq!(page_size(&new), 16384);
        let old = dir.path().join("old.sqlite");
        Connection::open(&old)
            .unwrap()
            .execute_batch("PRAGMA page_size = 4096; CREATE TABLE t (x)")
            .unwrap();
        drop(Store::open_for_build(&old).unwrap());
        assert_eq!(page_size(&old), 4096);
    }

    #[test]
    fn a_database_without_published_from_gets_the_column() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("old.sqlite");
        {
            let old = Connection::open(&path).unwrap();
            let schema = SCHEMA.replace(
                "    encoding TEXT,\n    published_from TEXT\n",
                "    encoding TEXT\n",
            );
            assert!(!schema.contains("published_from"));
            old.execute_batch(&schema).unwrap();
            old.execute_batch("PRAGMA user_version = 1").unwrap();
            old.execute(
                "INSERT INTO documents (id, sha256, text, published) VALUES ('d', 'x', 'T.', '2023-12-08')",
                [],
            )
            .unwrap();
        }
        let store = Store::open(&path).unwrap();
        let row: (Option<String>, Option<String>) = store
            .connection()
            .query_row(
                "SELECT published, published_from FROM documents WHERE id = 'd'",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .unwrap();
        assert_eq!(row, (Some("2023-12-08".to_string()), None));
    }

    #[test]
    fn a_database_without_entity_codes_gets_the_column() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("old.sqlite");
        {
            let old = Connection::open(&path).unwrap();
            let schema = SCHEMA.replace("    source TEXT,\n    code TEXT\n", "    source TEXT\n");
            assert!(!schema.contains("code TEXT"));
            old.execute_batch(&schema).unwrap();
            old.execute_batch("PRAGMA user_version = 1").unwrap();
            old.execute(
                "INSERT INTO entities (id, name, type) VALUES ('place/irq', 'Iraq', 'place')",
                [],
            )
            .unwrap();
        }
        let store = Store::open(&path).unwrap();
        let code: Option<String> = store
            .connection()
            .query_row(
                "SELECT code FROM entities WHERE id = 'place/irq'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(code, None);
    }
}
