//! The driver: read inputs, analyse each new document on all cores ([`Analyzer`], in
//! `analyze`), store it, and write the graph files and the report from the database.
//! Nothing here looks inside a document.

use crate::error::{Error, Result};
use crate::export;
use crate::gazetteer::Gazetteer;
use crate::input;
use crate::model::{Analyzed, Document, Record};
use crate::store::{Added, Duplicate, Store, Totals};
use rayon::prelude::*;
use std::path::PathBuf;
use std::time::{Duration, Instant};

/// Documents analysed in parallel before they are written, and written in one transaction:
/// up to this many, or fewer if their text reaches [`BATCH_BYTES`]. Large batches keep
/// the workers busy between waits; the byte bound keeps memory flat when documents are big.
const BATCH: usize = 1024;
const BATCH_BYTES: usize = 32 << 20;

use crate::analyze::Analyzer;

/// Options of `newsgraph build`.
#[derive(Debug, Clone)]
pub struct BuildConfig {
    pub inputs: Vec<PathBuf>,
    pub gazetteers: Vec<PathBuf>,
    pub out: PathBuf,
    /// Worker threads; 0 means all cores.
    pub jobs: usize,
    /// Called with each warning (rejected record, skipped file).
    pub warn: fn(&str),
    /// Told how far the reading has come after each batch, and once more when it ends
    /// ([`Progress::done`]); the command line draws its progress line from it.
    pub progress: Option<fn(&Progress)>,
    /// A folder for compiled copies of the gazetteers, loaded from when the files have
    /// not changed ([`crate::gazetteer::cache`]); `None` loads the files every time.
    pub gazetteer_cache: Option<PathBuf>,
    /// Discovered entities mentioned fewer times are left out of the graph files and the
    /// report ([`crate::graph::Filter::min_discovered_mentions`]); the database keeps them.
    pub min_discovered_mentions: i64,
}

/// How far a build's reading has come.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Progress {
    /// Documents read so far.
    pub documents: u64,
    /// Bytes of their text.
    pub bytes: u64,
    /// Time since reading started.
    pub elapsed: Duration,
    /// Reading is over (what remains is the database's indexes and the output files).
    pub done: bool,
}

/// What a build did, and what the database now holds.
#[derive(Debug, Clone, Default)]
pub struct Summary {
    pub read: u64,
    pub added: u64,
    pub replaced: u64,
    pub unchanged: u64,
    /// Documents whose text is stored under another id: recorded in `duplicates`.
    pub duplicates: u64,
    pub rejected: u64,
    /// Input files that could not be read to their end ([`input::Record::Broken`]), each
    /// with where and why; the command line exits non-zero when there are any.
    pub broken_files: Vec<String>,
    pub skipped_files: u64,
    pub totals: Totals,
    pub outputs: Vec<PathBuf>,
    pub elapsed: Duration,
}

/// What the analysis threads hand the writer thread, in input order.
enum Write {
    Documents(Vec<Analyzed>),
    Reject(input::Reject),
    /// Sent after the batch that holds (or follows) the stored texts they repeat.
    Duplicates(Vec<Duplicate>),
}

/// Batches waiting for the writer; bounds the memory a slow disk can make the run hold.
const WRITE_QUEUE: usize = 2;

/// Run `newsgraph build`.
///
/// A reader thread parses the input; the calling thread gathers its documents in batches
/// and hands each to the worker pool; one writer thread stores each analysed batch in one
/// transaction while the workers go on with the next.
pub fn build(config: &BuildConfig) -> Result<Summary> {
    let started = Instant::now();
    check_paths(config)?;
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(config.jobs)
        .build()
        .map_err(|e| Error::Config(format!("cannot start {} worker threads: {e}", config.jobs)))?;
    let created_out = !config.out.exists();
    std::fs::create_dir_all(&config.out).map_err(|e| Error::io(&config.out, e))?;
    let _lock = crate::store::lock::OutputLock::take(&config.out)?;
    crate::gazetteer::cache::remove_legacy(&config.out);
    export::remove_temporaries(&config.out);
    let analyzer = pool.install(|| {
        Analyzer::load_with_cache(
            &config.gazetteers,
            config.gazetteer_cache.as_deref(),
            &mut |w| (config.warn)(w),
        )
    })?;
    let db_path = config.out.join("newsgraph.sqlite");
    let store = Store::open_for_build(&db_path)?;
    // A second connection answers "is this text stored?" while the writer writes.
    let lookup = Store::open_reader(&db_path)?;

    let mut summary = Summary::default();
    let (sender, receiver) = std::sync::mpsc::sync_channel::<Write>(WRITE_QUEUE);
    let (read, written) = std::thread::scope(|scope| {
        let gazetteer = &analyzer.gazetteer;
        let writer = scope.spawn(move || write_all(store, receiver, gazetteer));
        let reading = Reading::new(config, &analyzer, &pool, &lookup, &sender);
        let read = read_and_analyze(reading, &mut summary);
        drop(sender);
        let written = writer
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (read, written)
    });
    // A writer error explains a failed send, so it comes first.
    let (mut store, written) = written?;
    read?;
    summary.added = written.added;
    summary.replaced = written.replaced;
    summary.unchanged += written.unchanged;
    summary.duplicates = written.duplicates;
    if summary.read == 0 {
        drop((store, lookup));
        let nothing_stored =
            created_out && summary.rejected == 0 && summary.broken_files.is_empty();
        if nothing_stored {
            let _ = std::fs::remove_dir_all(&config.out);
        }
        return Err(no_articles(config, &summary, nothing_stored));
    }

    // The reading indexes and the totals while the graph is read through the lookup
    // connection; then, from the graph, its files and the report (whose evidence lookups
    // use the indexes).
    let (totals, graph) = pool.install(|| {
        rayon::join(
            || {
                store.create_indexes()?;
                store.totals()
            },
            move || crate::graph::from_store(&lookup, config.min_discovered_mentions),
        )
    });
    summary.totals = totals?;
    let graph = graph?;
    let (files, report) = pool.install(|| {
        rayon::join(
            || export::write_graph_files(&graph, &config.out),
            || crate::report::write(&db_path, &graph, &summary.totals, &config.out),
        )
    });
    summary.outputs = files?;
    summary.outputs.push(report?);
    summary.elapsed = started.elapsed();
    // Freeing the gazetteers' millions of small allocations takes about 40 ms: a thread
    // does it while the caller goes on, and a process that exits first skips it.
    std::thread::spawn(move || drop(analyzer));
    Ok(summary)
}

/// The writer thread of [`build`]: store everything sent until the channel closes.
/// Returns the store and the counts of what was added, replaced and left unchanged.
fn write_all(
    mut store: Store,
    receiver: std::sync::mpsc::Receiver<Write>,
    gazetteer: &Gazetteer,
) -> Result<(Store, Summary)> {
    let mut written = Summary::default();
    for write in receiver {
        match write {
            Write::Documents(docs) => {
                for added in store.add_batch(&docs, gazetteer)? {
                    match added {
                        Added::New => written.added += 1,
                        Added::Replaced => written.replaced += 1,
                        Added::Unchanged => written.unchanged += 1,
                    }
                }
            }
            Write::Reject(reject) => store.add_reject(&reject)?,
            Write::Duplicates(duplicates) => {
                let news = store.add_duplicates(&duplicates)?;
                written.duplicates += news;
                written.unchanged += duplicates.len() as u64 - news;
            }
        }
    }
    Ok((store, written))
}

/// Refuse a build that cannot do what it is asked before anything is created: a missing
/// input, or an `--out` that is not a folder.
fn check_paths(config: &BuildConfig) -> Result<()> {
    for input in &config.inputs {
        if input.as_os_str() != "-" && std::fs::metadata(input).is_err() {
            return Err(Error::Config(format!(
                "{}: no such file or folder; nothing was built",
                input.display()
            )));
        }
    }
    if config.out.exists() && !config.out.is_dir() {
        return Err(Error::Config(format!(
            "--out {}: is a file; --out must be a folder (created if missing)",
            config.out.display()
        )));
    }
    Ok(())
}

/// The error of a build that read no article at all.
fn no_articles(config: &BuildConfig, summary: &Summary, removed_out: bool) -> Error {
    let inputs: Vec<String> = config
        .inputs
        .iter()
        .map(|i| i.display().to_string())
        .collect();
    let mut found = Vec::new();
    if summary.skipped_files > 0 {
        found.push(format!(
            "{} file(s) that are not articles skipped",
            summary.skipped_files
        ));
    }
    if summary.rejected > 0 {
        found.push(format!(
            "{} record(s) rejected (see the warnings, and the `rejects` table)",
            summary.rejected
        ));
    }
    for broken in &summary.broken_files {
        found.push(broken.clone());
    }
    Error::Config(format!(
        "no article read from {}{}: articles are .txt, .text, .md, .html, .htm, .jsonl or \
         .ndjson files (optionally .gz){}",
        inputs.join(", "),
        if found.is_empty() {
            String::new()
        } else {
            format!(" ({})", found.join("; "))
        },
        if removed_out {
            format!("; {} was not kept", config.out.display())
        } else {
            String::new()
        }
    ))
}

/// The reading side of [`build`]: a reader thread parses the inputs while this thread
/// gathers their documents into batches ([`Reading`]) and hands each to the pool.
fn read_and_analyze(mut reading: Reading, summary: &mut Summary) -> Result<()> {
    let inputs = &reading.config.inputs;
    let (records, received) = std::sync::mpsc::sync_channel::<Record>(BATCH);
    let (analysed, skipped) = std::thread::scope(|scope| {
        let reader = scope.spawn(move || {
            input::read_all(inputs, &mut |record| {
                records
                    .send(record)
                    .map_err(|_| Error::Config("the analysis stopped".into()))
            })
        });
        // Stopping early drops the receiver, which stops the reader.
        let analysed = (received.into_iter()).try_for_each(|record| reading.take(record, summary));
        let skipped = reader
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (analysed, skipped)
    });
    // An analysis error explains the reader's failed send, so it comes first.
    analysed?;
    reading.finish(skipped?, summary)
}

/// What the reading side decided about one prepared document.
enum Sorted {
    /// Empty after cleaning, or a second text for an id of this run.
    Rejected(input::Reject),
    /// Its id with its text again (in this run or stored).
    Unchanged,
    /// Its text stored (or read in this run) under another id.
    Duplicate(Duplicate),
    /// To analyse: the document, its cleaned text and hash.
    Fresh(Document, String, String),
}

/// The state of the reading side: the batch being gathered, what this run has read, and
/// the counts for the messages at the end.
struct Reading<'a> {
    config: &'a BuildConfig,
    analyzer: &'a Analyzer,
    pool: &'a rayon::ThreadPool,
    /// A read-only connection: "is this text stored, under which id?"
    lookup: &'a Store,
    writer: &'a std::sync::mpsc::SyncSender<Write>,
    /// One id with two texts in one run is ambiguous, so the later one is rejected (across
    /// runs it replaces); one text twice is stored once.
    seen: crate::store::seen::SeenInRun,
    batch: Vec<Document>,
    batch_bytes: usize,
    bytes_read: u64,
    started: Instant,
    /// Per input file: documents whose given date could not be read, and the first of them.
    unread_dates: std::collections::BTreeMap<String, (u64, String)>,
}

impl<'a> Reading<'a> {
    fn new(
        config: &'a BuildConfig,
        analyzer: &'a Analyzer,
        pool: &'a rayon::ThreadPool,
        lookup: &'a Store,
        writer: &'a std::sync::mpsc::SyncSender<Write>,
    ) -> Self {
        Reading {
            config,
            analyzer,
            pool,
            lookup,
            writer,
            seen: crate::store::seen::SeenInRun::default(),
            batch: Vec::with_capacity(BATCH),
            batch_bytes: 0,
            bytes_read: 0,
            started: Instant::now(),
            unread_dates: std::collections::BTreeMap::new(),
        }
    }

    fn send(&self, write: Write) -> Result<()> {
        (self.writer.send(write)).map_err(|_| Error::Config("the database writer stopped".into()))
    }

    fn progress(&self, documents: u64, done: bool) {
        if let Some(report) = self.config.progress {
            report(&Progress {
                documents,
                bytes: self.bytes_read + self.batch_bytes as u64,
                elapsed: self.started.elapsed(),
                done,
            });
        }
    }

    /// Take one record from the reader: a document joins the batch (which goes to the
    /// pool when full), a reject goes to the writer.
    fn take(&mut self, record: Record, summary: &mut Summary) -> Result<()> {
        let reject = match record {
            Record::Document(document) => {
                summary.read += 1;
                if document.published.is_none()
                    && let Some(raw) = &document.published_raw
                {
                    (self.unread_dates.entry(document.path.clone()))
                        .or_insert_with(|| (0, format!("{raw:?} at {}", document.origin())))
                        .0 += 1;
                }
                self.batch_bytes += document.text.len();
                self.batch.push(document);
                if self.batch.len() >= BATCH || self.batch_bytes >= BATCH_BYTES {
                    self.flush(summary)?;
                    self.bytes_read += self.batch_bytes as u64;
                    self.batch_bytes = 0;
                    self.progress(summary.read, false);
                }
                return Ok(());
            }
            Record::Reject(reject) => {
                summary.rejected += 1;
                reject
            }
            Record::Broken(reject) => {
                summary.broken_files.push(reject.to_string());
                reject
            }
        };
        (self.config.warn)(&reject.to_string());
        self.send(Write::Reject(reject))
    }

    /// Prepare the batch on the pool, sort its documents, analyse the fresh ones on the
    /// pool, and send the writer the analysed documents, then the duplicates.
    fn flush(&mut self, summary: &mut Summary) -> Result<()> {
        let batch = std::mem::take(&mut self.batch);
        let prepared: Vec<(Document, String, String)> = self
            .pool
            .install(|| batch.into_par_iter().map(Analyzer::prepare).collect());
        let mut fresh = Vec::new();
        let mut duplicates = Vec::new();
        for (document, cleaned, sha) in prepared {
            match self.sort(document, cleaned, sha)? {
                Sorted::Rejected(reject) => {
                    summary.rejected += 1;
                    (self.config.warn)(&reject.to_string());
                    self.send(Write::Reject(reject))?;
                }
                Sorted::Unchanged => summary.unchanged += 1,
                Sorted::Duplicate(duplicate) => duplicates.push(duplicate),
                Sorted::Fresh(document, cleaned, sha) => fresh.push((document, cleaned, sha)),
            }
        }
        let analyzer = self.analyzer;
        let analyzed: Vec<Analyzed> = self.pool.install(|| {
            (fresh.into_par_iter())
                .map(|(d, t, s)| analyzer.analyze(d, t, s))
                .collect()
        });
        if !analyzed.is_empty() {
            self.send(Write::Documents(analyzed))?;
        }
        if !duplicates.is_empty() {
            self.send(Write::Duplicates(duplicates))?;
        }
        Ok(())
    }

    /// Decide what a prepared document is: a reject, a repeat, a duplicate or fresh.
    fn sort(&mut self, document: Document, cleaned: String, sha: String) -> Result<Sorted> {
        let reject = |reason: String, raw: &[u8]| input::Reject {
            path: document.path.clone(),
            line: document.line,
            reason,
            raw: raw[..raw.len().min(input::REJECT_RAW_LIMIT)].to_vec(),
        };
        if cleaned.trim().is_empty() {
            let reason = format!("document {:?} has no text after cleaning", document.id);
            return Ok(Sorted::Rejected(reject(reason, &[])));
        }
        let first_text = self.seen.first_text_of(&document.id)?;
        if let Some((first_sha, first_origin)) = &first_text
            && *first_sha != sha
        {
            let reason = format!(
                "duplicate id {:?} with a different text (first at {first_origin}); this one \
                 is not stored",
                document.id
            );
            return Ok(Sorted::Rejected(reject(reason, document.text.as_bytes())));
        }
        let repeated_in_run = !self.seen.add_text(&sha)?;
        if first_text.is_some() {
            return Ok(Sorted::Unchanged);
        }
        self.seen.add_id(&document.id, &sha, document.origin())?;
        let stored_under = if repeated_in_run {
            None
        } else {
            self.lookup.id_with_text(&sha)?
        };
        Ok(if stored_under.as_deref() == Some(document.id.as_str()) {
            Sorted::Unchanged
        } else if repeated_in_run || stored_under.is_some() {
            Sorted::Duplicate(Duplicate {
                id: document.id.clone(),
                sha256: sha,
                origin: document.origin(),
            })
        } else {
            Sorted::Fresh(document, cleaned, sha)
        })
    }

    /// The last batch, the end of the progress line, and the warnings about the whole run.
    fn finish(mut self, skipped: input::Skipped, summary: &mut Summary) -> Result<()> {
        self.flush(summary)?;
        self.progress(summary.read, true);
        for (path, (count, first)) in &self.unread_dates {
            (self.config.warn)(&format!(
                "{path}: {count} date(s) could not be read (first: {first}); they are kept in \
                 documents.published_raw, and those articles take their date from a dateline \
                 or stay undated"
            ));
        }
        summary.skipped_files = skipped.other_files.len() as u64;
        if let Some(first) = skipped.other_files.first() {
            (self.config.warn)(&format!(
                "skipped {} file(s) that are not articles (first: {})",
                skipped.other_files.len(),
                first.display()
            ));
        }
        Ok(())
    }
}

/// What the bare matcher did in [`match_only`].
#[derive(Debug, Clone, Copy, Default)]
pub struct MatchOnly {
    pub documents: u64,
    pub bytes: u64,
    pub mentions: u64,
    /// Matching time alone, without reading the input or loading the gazetteer.
    pub elapsed: Duration,
}

/// The benchmark baseline: read the inputs, then run only the gazetteer matcher (folding
/// and the lookups from word boundaries) over each document's raw text on `jobs` threads.
/// No cleaning, sentences, resolution, rules or database. `scripts/bench.sh` compares
/// `build` with it.
pub fn match_only(inputs: &[PathBuf], gazetteers: &[PathBuf], jobs: usize) -> Result<MatchOnly> {
    let gazetteer = Gazetteer::load_dirs(gazetteers)?;
    let mut texts = Vec::new();
    input::read_all(inputs, &mut |record| {
        if let Record::Document(document) = record {
            texts.push(document.text);
        }
        Ok(())
    })?;
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(jobs)
        .build()
        .map_err(|e| Error::Config(format!("cannot start {jobs} worker threads: {e}")))?;
    let started = Instant::now();
    let mentions: usize = pool.install(|| texts.par_iter().map(|t| gazetteer.find(t).len()).sum());
    Ok(MatchOnly {
        documents: texts.len() as u64,
        bytes: texts.iter().map(|t| t.len() as u64).sum(),
        mentions: mentions as u64,
        elapsed: started.elapsed(),
    })
}
