//! The whole job: read inputs, analyse each new document (clean, split, match, resolve,
//! relate) on all cores, store it, and write the graph files from the database.

use crate::discover;
use crate::error::{Error, Result};
use crate::export;
use crate::gazetteer::{Entity, EntityTable, Gazetteer, MatchKind};
use crate::input::{self, DateSource, Document, Record};
use crate::relations::{self, Relation, Rules};
use crate::resolve::Resolver;
use crate::store::{Added, Duplicate, Store, Totals};
use crate::text;
use rayon::prelude::*;
use sha2::{Digest, Sha256};
use std::collections::HashSet;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// Documents analysed in parallel before they are written, and written in one transaction:
/// up to this many, or fewer if their text reaches [`BATCH_BYTES`]. Large batches keep
/// the workers busy between waits; the byte bound keeps memory flat when documents are big.
const BATCH: usize = 1024;
const BATCH_BYTES: usize = 32 << 20;

/// Confidence factor for a relation with a party the gazetteers do not list.
const DISCOVERED_FACTOR: f64 = 0.8;

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
    /// them with entity indexes past the gazetteer's end (see [`EntityTable`]).
    pub discovered: Vec<Entity>,
}

/// Everything the analysis needs, loaded once.
pub struct Analyzer {
    pub gazetteer: Gazetteer,
    pub resolver: Resolver,
    pub rules: Rules,
    /// The rules' role and title lists, as discovery reads them.
    cues: discover::Cues,
}

impl Analyzer {
    /// Load gazetteers and relation rules from the given directories.
    pub fn load(dirs: &[PathBuf]) -> Result<Self> {
        Self::load_with_cache(dirs, None, &mut |_| {})
    }

    /// [`Analyzer::load`], with the gazetteers served from (or saved to) a compiled copy
    /// in the folder `cache` when one is given ([`crate::gazetteer::cache`]); `warn` hears
    /// of a copy that could not be saved.
    pub fn load_with_cache(
        dirs: &[PathBuf],
        cache: Option<&Path>,
        warn: &mut dyn FnMut(&str),
    ) -> Result<Self> {
        let gazetteer = match cache {
            Some(cache) => Gazetteer::load_dirs_cached(dirs, cache, warn)?,
            None => Gazetteer::load_dirs(dirs)?,
        };
        let (resolver, rules) =
            rayon::join(|| Resolver::new(&gazetteer), || Rules::load_dirs(dirs));
        let (resolver, rules) = (resolver?, rules?);
        let cues = discover::Cues::new(rules.roles.clone(), rules.titles.clone());
        Ok(Analyzer {
            gazetteer,
            resolver,
            rules,
            cues,
        })
    }

    /// Clean and hash a document's text; the hash decides whether it is new.
    pub fn prepare(document: Document) -> (Document, String, String) {
        let cleaned = text::clean(&document.text);
        let sha256 = Sha256::digest(cleaned.as_bytes())
            .iter()
            .map(|byte| format!("{byte:02x}"))
            .collect();
        (document, cleaned, sha256)
    }

    /// Analyse one cleaned document.
    pub fn analyze(&self, document: Document, text: String, sha256: String) -> Analyzed {
        let (published, published_from) = match &document.published {
            Some(date) => (
                Some(date.clone()),
                Some(document.published_from.unwrap_or(DateSource::Input)),
            ),
            None => match text::dates::from_text(&document.text) {
                Some(date) => (Some(date.to_string()), Some(DateSource::Dateline)),
                None => (None, None),
            },
        };
        let folded = text::fold(&text);
        let found = self.gazetteer.find_folded(&text, &folded);
        let resolved = self.resolver.resolve_folded(&text, &folded, found);
        drop(folded);
        let sentences = join_split_names(text::sentences::split(&text), &resolved);
        let resolved = drop_unsupported_mentions(&text, resolved, &sentences, &self.gazetteer);
        let mut mentions = assign_sentences(resolved, &sentences);
        let found = discover::discover(
            &text,
            &sentences,
            &mentions,
            self.gazetteer.entities().len(),
            &self.cues,
        );
        mentions.extend(found.mentions);
        mentions.sort_by_key(|m| (m.start, m.end));
        let entities = EntityTable {
            gazetteer: &self.gazetteer,
            discovered: &found.entities,
        };
        let mut relations = relations::extract(&text, &sentences, &mentions, entities, &self.rules);
        let roles = self.resolver.resolve_roles(
            &text,
            &sentences,
            &mentions,
            &relations,
            entities,
            &self.cues,
            published.as_deref(),
        );
        if !roles.is_empty() {
            mentions.extend(roles);
            mentions.sort_by_key(|m| (m.start, m.end));
            relations = relations::extract(&text, &sentences, &mentions, entities, &self.rules);
        }
        for relation in &mut relations {
            let discovered = [relation.source, relation.target]
                .into_iter()
                .flatten()
                .any(|m| entities.is_discovered(mentions[m].entity));
            if discovered {
                relation.confidence =
                    (relation.confidence * DISCOVERED_FACTOR * 100.0).round() / 100.0;
            }
        }
        for (sentence, a, b) in relations::cooccur::pairs(&mentions, entities) {
            relations.push(Relation {
                sentence,
                relation: "co_occurs",
                source: Some(a),
                target: Some(b),
                negated: false,
                hedged: false,
                rule: "co_occurs: same sentence".into(),
                confidence: 1.0,
                role: None,
                reporter: None,
            });
        }
        let origin = document.origin();
        let title = document
            .title
            .or_else(|| title_from_text(&text, &sentences));
        Analyzed {
            id: document.id,
            title,
            url: document.url,
            published,
            published_from,
            published_raw: document.published_raw,
            source: document.source,
            origin,
            encoding: document.encoding,
            text,
            sha256,
            sentences,
            mentions,
            relations,
            discovered: found.entities,
        }
    }
}

/// Join sentences that a mention straddles: the splitter cut inside a name.
fn join_split_names(
    mut sentences: Vec<Range<usize>>,
    mentions: &[crate::gazetteer::RawMention],
) -> Vec<Range<usize>> {
    for m in mentions {
        let first = sentences.partition_point(|s| s.end <= m.start);
        let last = sentences.partition_point(|s| s.end < m.end);
        if first < last && last < sentences.len() {
            sentences[first].end = sentences[last].end;
            sentences.drain(first + 1..=last);
        }
    }
    sentences
}

/// Capitalised words that make a run of capitalised words the name of an organisation:
/// the place in "Texas Air Corp", "Chicago Mercantile Exchange" or "British Broadcasting
/// Corporation" is part of the name, not a mention of the place.
const ORGANISATION_WORDS: &[&str] = &[
    "corp",
    "corporation",
    "co",
    "inc",
    "ltd",
    "plc",
    "llc",
    "ag",
    "sa",
    "nv",
    "gmbh",
    "bank",
    "bancorp",
    "bancshares",
    "exchange",
    "airlines",
    "airways",
    "air",
    "gas",
    "oil",
    "steel",
    "electric",
    "energy",
    "power",
    "motors",
    "mining",
    "telecom",
    "broadcasting",
    "association",
    "party",
    "club",
    "stock",
    "mercantile",
    "international",
    "holdings",
    "group",
    "industries",
    "insurance",
    "trust",
    "securities",
    "financial",
    "capital",
    "partners",
    "times",
    "post",
    "journal",
    "university",
    "college",
    "hospital",
    "commerce",
    "resources",
    "petroleum",
    "chemical",
    "chemicals",
    "transmission",
    "utilities",
    "railway",
    "railroad",
    "fc",
    "rovers",
    "confederation",
    "federation",
    "institute",
    "society",
    "league",
    "chamber",
    "foundation",
    "committee",
];

/// Capitalised words that may stand before a place name without making it part of a
/// longer name: "West Germany", "In Baghdad".
const PLACE_MODIFIERS: &[&str] = &[
    "north",
    "south",
    "east",
    "west",
    "northern",
    "southern",
    "eastern",
    "western",
    "central",
    "upper",
    "lower",
    "greater",
    "new",
    "old",
    "in",
    "near",
    "at",
    "from",
    "to",
    "for",
    "and",
    "of",
    "the",
    "across",
    "outside",
    "inside",
    "around",
    "rural",
    "downtown",
    "metropolitan",
    "occupied",
    "mainland",
    "coastal",
];

/// Whether most words of `sentence` are capitalised (a title-case headline), where a
/// capitalised neighbour says nothing.
/// The part of `sentence_start..end` that [`title_case`] reads: at most
/// [`NEIGHBOUR_WINDOW`] bytes before `end`, from a word start. A headline is shorter; a
/// longer stretch is judged by its last words, so one endless sentence costs linear time.
fn title_window(text: &str, sentence_start: usize, end: usize) -> Range<usize> {
    let from = floor_char_boundary(text, end.saturating_sub(NEIGHBOUR_WINDOW));
    if from <= sentence_start {
        return sentence_start..end;
    }
    text[from..end].find(' ').map_or(end, |k| from + k + 1)..end
}

fn title_case(sentence: &str) -> bool {
    let words: Vec<&str> = sentence
        .split_whitespace()
        .filter(|w| w.chars().any(char::is_alphabetic))
        .collect();
    let capitalised = words
        .iter()
        .filter(|w| {
            w.chars()
                .find(|c| c.is_alphabetic())
                .is_some_and(char::is_uppercase)
        })
        .count();
    words.len() >= 3 && capitalised * 10 >= words.len() * 6
}

/// Titles before a name that make it a person: "Mr Kennedy".
const PERSON_TITLES: &[&str] = &[
    "mr",
    "mrs",
    "ms",
    "miss",
    "dr",
    "sir",
    "dame",
    "lord",
    "lady",
    "sen",
    "senator",
    "rep",
    "gov",
    "prof",
    "president",
    "minister",
    "king",
    "queen",
    "prince",
    "princess",
];

/// Words before a name that make it a place: "in Martin", "near Reading".
const LOCATIVE_WORDS: &[&str] = &[
    "in", "near", "at", "from", "outside", "into", "around", "across", "toward", "towards", "via",
    "through", "inside", "nearby", "northern", "southern", "eastern", "western",
];

/// How far, in bytes, [`capitalised_neighbours`] and [`title_case`] look around a mention.
const NEIGHBOUR_WINDOW: usize = 400;

fn floor_char_boundary(text: &str, mut at: usize) -> usize {
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

fn ceil_char_boundary(text: &str, at: usize) -> usize {
    let mut at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at += 1;
    }
    at
}

/// The capitalised words (letters, digits, `&`, `.`, `'`) just before and just after
/// `start..end` on the same line, up to four each way.
fn capitalised_neighbours(text: &str, start: usize, end: usize) -> (Vec<&str>, Vec<&str>) {
    let capitalised = |w: &&str| w.chars().next().is_some_and(char::is_uppercase);
    fn word(w: &str) -> &str {
        let w = w.trim_matches(|c: char| !c.is_alphanumeric() && c != '&');
        w.strip_suffix("'s")
            .or_else(|| w.strip_suffix("’s"))
            .unwrap_or(w)
    }
    // Only a few words either side count, so look no further than a window: a document of
    // one long line must not make every mention scan the whole line.
    let from = floor_char_boundary(text, start.saturating_sub(NEIGHBOUR_WINDOW));
    let line_start = match text[from..start].rfind('\n') {
        Some(k) => from + k + 1,
        None if from == 0 => 0,
        // Cut inside the line: start after the first space, at a whole word.
        None => text[from..start].find(' ').map_or(start, |k| from + k + 1),
    };
    let to = ceil_char_boundary(text, end + NEIGHBOUR_WINDOW);
    let line_end = match text[end..to].find('\n') {
        Some(k) => end + k,
        None if to == text.len() => to,
        None => text[end..to].rfind(' ').map_or(end, |k| end + k),
    };
    let mut before: Vec<&str> = Vec::new();
    let before_text = &text[line_start..start];
    if before_text.ends_with(' ') {
        for raw in before_text.split(' ').rev().skip(1).take(4) {
            let w = word(raw);
            // "Mr." ends with a full stop but not a sentence.
            let title = PERSON_TITLES.contains(&w.to_lowercase().as_str());
            if !capitalised(&w) || (raw.ends_with(['.', ',', ';', ':', '(']) && !title) {
                break;
            }
            before.push(w);
        }
    }
    let mut after: Vec<&str> = Vec::new();
    let after_text = &text[end..line_end];
    if let Some(rest) = after_text.strip_prefix(' ') {
        for raw in rest.split(' ').take(5) {
            if raw == "and" || raw == "&" {
                continue; // "Montgomery Ward and Co"
            }
            let w = word(raw);
            if !capitalised(&w) {
                break;
            }
            after.push(w);
            if raw.ends_with([',', '.', ';', ':', ')']) {
                break;
            }
        }
    }
    (before, after)
}

/// Drop mentions the text gives no support for:
/// - a common-word alias ("Reading", "Split") that opens a sentence is capitalised because
///   it opens the sentence, so it is kept only when a place follows after a comma
///   ("Split, Croatia, is ...");
/// - an entry that needs context (a small town named like a person: "Martin", "George")
///   is kept only after a locative word ("in Martin") or before ", <place>";
/// - a place or demonym inside a longer capitalised name with an organisation word
///   ("Texas Air Corp", "Tokyo Stock Exchange", "British National Party") is part of that
///   name, and a place right after a personal title ("Mr Kennedy") is a person.
fn drop_unsupported_mentions(
    text: &str,
    mentions: Vec<crate::gazetteer::RawMention>,
    sentences: &[Range<usize>],
    gazetteer: &Gazetteer,
) -> Vec<crate::gazetteer::RawMention> {
    let sentence_start = |start: usize| {
        let at = sentences.partition_point(|s| s.end <= start);
        sentences.get(at).map_or(start, |s| s.start)
    };
    let place_follows = |index: usize, mentions: &[crate::gazetteer::RawMention]| {
        let m = &mentions[index];
        mentions.get(index + 1).is_some_and(|next| {
            text[m.end..next.start].trim() == ","
                && gazetteer.entity(next.entity).kind == crate::gazetteer::EntityType::Place
        })
    };
    // Only a confident neighbour counts as a mention: "Lindsay" (a small town) does not
    // make "Lindsay Davenport" two places.
    let confident = mentions
        .iter()
        .filter(|n| !n.common_word && !gazetteer.entity(n.entity).needs_context);
    let confident_starts: HashSet<usize> = confident.clone().map(|n| n.start).collect();
    let confident_ends: HashSet<usize> = confident.map(|n| n.end).collect();
    let keep: Vec<bool> = (0..mentions.len())
        .map(|k| {
            let m = &mentions[k];
            let before = &text[sentence_start(m.start)..m.start];
            if m.common_word && !before.chars().any(char::is_alphanumeric) {
                return place_follows(k, &mentions);
            }
            if m.common_word {
                // "International Coffee Organization" is not the group called "Organization".
                let (left, right) = capitalised_neighbours(text, m.start, m.end);
                if !left.is_empty() || !right.is_empty() {
                    return false;
                }
            }
            if gazetteer.entity(m.entity).kind == crate::gazetteer::EntityType::Place {
                let (left, right) = capitalised_neighbours(text, m.start, m.end);
                let organisation = left
                    .iter()
                    .chain(&right)
                    .any(|w| ORGANISATION_WORDS.contains(&w.to_lowercase().as_str()));
                let titled = left
                    .first()
                    .is_some_and(|w| PERSON_TITLES.contains(&w.to_lowercase().as_str()))
                    && m.kind == crate::gazetteer::MatchKind::Name;
                // "Bank of France", "University of Texas".
                let of_organisation = before
                    .trim_end()
                    .strip_suffix(" of")
                    .and_then(|b| b.split(' ').next_back())
                    .is_some_and(|w| ORGANISATION_WORDS.contains(&w.to_lowercase().as_str()));
                // "Bristol-Myers", "Roth-American": one half of a hyphenated name.
                let starts_at = |at: usize| confident_starts.contains(&at);
                let ends_at = |at: usize| confident_ends.contains(&at);
                let after = &text[m.end..];
                let hyphen_after = after
                    .strip_prefix('-')
                    .is_some_and(|r| r.starts_with(char::is_uppercase) && !starts_at(m.end + 1));
                let hyphen_before = before.strip_suffix('-').is_some_and(|b| {
                    b.chars().next_back().is_some_and(char::is_alphabetic)
                        && b.split(|c: char| !c.is_alphanumeric())
                            .next_back()
                            .is_some_and(|w| w.starts_with(char::is_uppercase))
                        && !ends_at(m.start - 1)
                });
                // "Lindsay Davenport", "Light Louisiana Sweet", "Plaid Cymru": a place
                // right after a capitalised word that is no modifier and no mention is
                // part of a longer name (not in title-case headlines).
                let named = left.first().is_some_and(|w| {
                    !PLACE_MODIFIERS.contains(&w.to_lowercase().as_str())
                        && !ends_at(m.start - 1)
                        && !title_case(&text[title_window(text, sentence_start(m.start), m.end)])
                });
                if organisation
                    || titled
                    || of_organisation
                    || hyphen_after
                    || hyphen_before
                    || named
                {
                    return false;
                }
            }
            if gazetteer.entity(m.entity).needs_context
                && m.kind == crate::gazetteer::MatchKind::Name
            {
                let previous = before
                    .split(|c: char| !c.is_alphanumeric())
                    .rfind(|w| !w.is_empty())
                    .map(str::to_lowercase);
                let locative = previous.is_some_and(|w| LOCATIVE_WORDS.contains(&w.as_str()));
                return locative || place_follows(k, &mentions);
            }
            true
        })
        .collect();
    mentions
        .into_iter()
        .zip(keep)
        .filter_map(|(m, keep)| keep.then_some(m))
        .collect()
}

/// Give each mention the index of the sentence that contains it. Every mention starts
/// on a non-space character, so it lies in a sentence once split names are joined.
fn assign_sentences(
    mentions: Vec<crate::gazetteer::RawMention>,
    sentences: &[Range<usize>],
) -> Vec<Mention> {
    mentions
        .into_iter()
        .map(|m| Mention {
            start: m.start,
            end: m.end,
            entity: m.entity,
            kind: m.kind,
            sentence: sentences.partition_point(|s| s.end <= m.start),
        })
        .collect()
}

/// A plain-text article's title: its first paragraph, when that is one short line
/// without a full stop that reads as a headline ([`reads_as_headline`]).
fn title_from_text(text: &str, sentences: &[Range<usize>]) -> Option<String> {
    let first = sentences.first()?;
    let line = &text[first.clone()];
    let paragraph_ends = text[first.end..].starts_with('\n') || first.end == text.len();
    (paragraph_ends && !line.ends_with('.') && reads_as_headline(line)).then(|| line.to_string())
}

/// Whether a line reads as a headline rather than a file header: one line of 2 to 30
/// words, opening with a capital, a digit or a quote, mostly words of letters, and no
/// machine token such as `wikievents:test:x_1`, `unit_id=7` or an address.
fn reads_as_headline(line: &str) -> bool {
    let words: Vec<&str> = line.split_whitespace().collect();
    let machine = |w: &str| {
        let inner = w.trim_matches(|c: char| !c.is_alphanumeric());
        inner.contains([':', '_', '=', '/', '\\', '@', '|']) || w.contains("://")
    };
    let wordy = |w: &str| {
        let letters = w.chars().filter(|c| c.is_alphabetic()).count();
        letters >= 1 && letters * 2 >= w.chars().count()
    };
    let opens = line
        .chars()
        .next()
        .is_some_and(|c| c.is_uppercase() || c.is_ascii_digit() || "\"“‘'".contains(c));
    !line.contains('\n')
        && (2..=30).contains(&words.len())
        && opens
        && !words.iter().any(|w| machine(w))
        && words.iter().filter(|w| wordy(w)).count() * 3 >= words.len() * 2
}

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
    /// Show a progress line on standard error (documents, documents/s, MB/s).
    pub progress: bool,
    /// A folder for compiled copies of the gazetteers, loaded from when the files have
    /// not changed ([`crate::gazetteer::cache`]); `None` loads the files every time.
    pub gazetteer_cache: Option<PathBuf>,
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
    /// Sent after the batch that holds (or follows) the stored text it repeats.
    Duplicate(Duplicate),
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
    // Older versions kept a 27 MB copy of the gazetteers in each output folder.
    let _ = std::fs::remove_file(config.out.join(crate::gazetteer::cache::LEGACY_CACHE_FILE));
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
        let writer = scope.spawn(move || -> Result<(Store, Summary)> {
            let mut store = store;
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
                    Write::Duplicate(duplicate) => {
                        if store.add_duplicate(&duplicate)? {
                            written.duplicates += 1;
                        } else {
                            written.unchanged += 1;
                        }
                    }
                }
            }
            Ok((store, written))
        });
        let progress = progress_bar(config.progress);
        let read = read_and_analyze(
            config,
            &analyzer,
            &pool,
            &lookup,
            &sender,
            &mut summary,
            &progress,
        );
        progress.finish_and_clear();
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
            move || crate::graph::from_store(&lookup),
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

/// A line on standard error, drawn only when asked and when it is a terminal.
fn progress_bar(show: bool) -> indicatif::ProgressBar {
    if !show || !std::io::IsTerminal::is_terminal(&std::io::stderr()) {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::new_spinner().with_style(
        indicatif::ProgressStyle::with_template("{spinner} {elapsed} {human_pos} documents, {msg}")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_spinner()),
    );
    bar.enable_steady_tick(Duration::from_millis(200));
    bar
}

/// The reading side of [`build`]: read the inputs, drop what is stored or repeated, analyse
/// the rest in batches on the pool and send them to the writer.
fn read_and_analyze(
    config: &BuildConfig,
    analyzer: &Analyzer,
    pool: &rayon::ThreadPool,
    lookup: &Store,
    writer: &std::sync::mpsc::SyncSender<Write>,
    summary: &mut Summary,
    progress: &indicatif::ProgressBar,
) -> Result<()> {
    let started = Instant::now();
    let mut bytes_read = 0;
    let warn = |message: &str| progress.suspend(|| (config.warn)(message));
    let send = |write: Write| {
        writer
            .send(write)
            .map_err(|_| Error::Config("the database writer stopped".into()))
    };
    let mut batch: Vec<Document> = Vec::with_capacity(BATCH);
    let mut batch_bytes = 0;
    // One id with two texts in one run is ambiguous, so the later one is rejected (across
    // runs it replaces); one text twice is stored once.
    let mut seen = crate::store::seen::SeenInRun::default();
    let mut flush = |batch: &mut Vec<Document>, summary: &mut Summary| -> Result<()> {
        let prepared: Vec<(Document, String, String)> = pool.install(|| {
            std::mem::take(batch)
                .into_par_iter()
                .map(Analyzer::prepare)
                .collect()
        });
        let mut fresh = Vec::new();
        let mut duplicates = Vec::new();
        for (document, cleaned, sha) in prepared {
            let reject = |reason: String, raw: &[u8]| input::Reject {
                path: document.path.clone(),
                line: document.line,
                reason,
                raw: raw[..raw.len().min(input::REJECT_RAW_LIMIT)].to_vec(),
            };
            let first_text = seen.first_text_of(&document.id)?;
            let other_text = first_text
                .as_ref()
                .filter(|(first_sha, _)| *first_sha != sha)
                .map(|(_, first_origin)| first_origin.clone());
            let rejected = if cleaned.trim().is_empty() {
                Some(reject(
                    format!("document {:?} has no text after cleaning", document.id),
                    &[],
                ))
            } else {
                other_text.map(|first_origin| {
                    reject(
                        format!(
                            "duplicate id {:?} with a different text (first at \
                             {first_origin}); this one is not stored",
                            document.id
                        ),
                        document.text.as_bytes(),
                    )
                })
            };
            if let Some(reject) = rejected {
                summary.rejected += 1;
                warn(&reject.to_string());
                send(Write::Reject(reject))?;
                continue;
            }
            let repeated_in_run = !seen.add_text(&sha)?;
            if first_text.is_some() {
                // The same id with the same text again.
                summary.unchanged += 1;
                continue;
            }
            seen.add_id(&document.id, &sha, document.origin())?;
            let stored_under = if repeated_in_run {
                None
            } else {
                lookup.id_with_text(&sha)?
            };
            if stored_under.as_deref() == Some(document.id.as_str()) {
                summary.unchanged += 1;
            } else if repeated_in_run || stored_under.is_some() {
                duplicates.push(Duplicate {
                    id: document.id.clone(),
                    sha256: sha,
                    origin: document.origin(),
                });
            } else {
                fresh.push((document, cleaned, sha));
            }
        }
        let analyzed: Vec<Analyzed> = pool.install(|| {
            fresh
                .into_par_iter()
                .map(|(d, t, s)| analyzer.analyze(d, t, s))
                .collect()
        });
        if !analyzed.is_empty() {
            send(Write::Documents(analyzed))?;
        }
        for duplicate in duplicates {
            send(Write::Duplicate(duplicate))?;
        }
        Ok(())
    };

    // Per input file: documents whose given date could not be read, and the first of them.
    let mut unread_dates: std::collections::BTreeMap<String, (u64, String)> =
        std::collections::BTreeMap::new();
    // A reader thread parses the input while the pool analyses the batch before.
    let (records, received) = std::sync::mpsc::sync_channel::<Record>(BATCH);
    let (analysed, skipped) = std::thread::scope(|scope| {
        let reader = scope.spawn(move || {
            input::read_all(&config.inputs, &mut |record| {
                records
                    .send(record)
                    .map_err(|_| Error::Config("the analysis stopped".into()))
            })
        });
        let mut analyse = |record: Record| -> Result<()> {
            match record {
                Record::Document(document) => {
                    summary.read += 1;
                    if document.published.is_none()
                        && let Some(raw) = &document.published_raw
                    {
                        unread_dates
                            .entry(document.path.clone())
                            .or_insert_with(|| (0, format!("{raw:?} at {}", document.origin())))
                            .0 += 1;
                    }
                    batch_bytes += document.text.len();
                    batch.push(document);
                    if batch.len() >= BATCH || batch_bytes >= BATCH_BYTES {
                        flush(&mut batch, summary)?;
                        bytes_read += batch_bytes;
                        batch_bytes = 0;
                        progress.set_position(summary.read);
                        let seconds = started.elapsed().as_secs_f64().max(1e-3);
                        progress.set_message(format!(
                            "{:.0} documents/s, {:.1} MB/s",
                            summary.read as f64 / seconds,
                            bytes_read as f64 / 1e6 / seconds
                        ));
                    }
                }
                Record::Reject(reject) => {
                    summary.rejected += 1;
                    warn(&reject.to_string());
                    send(Write::Reject(reject))?;
                }
                Record::Broken(reject) => {
                    summary.broken_files.push(reject.to_string());
                    warn(&reject.to_string());
                    send(Write::Reject(reject))?;
                }
            }
            Ok(())
        };
        // Stopping early drops the receiver, which stops the reader.
        let analysed = received.into_iter().try_for_each(&mut analyse);
        let skipped = reader
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (analysed, skipped)
    });
    // An analysis error explains the reader's failed send, so it comes first.
    analysed?;
    let skipped = skipped?;
    flush(&mut batch, summary)?;
    for (path, (count, first)) in unread_dates {
        warn(&format!(
            "{path}: {count} date(s) could not be read (first: {first}); they are kept in \
             documents.published_raw, and those articles take their date from a dateline or \
             stay undated"
        ));
    }
    summary.skipped_files = skipped.other_files.len() as u64;
    if !skipped.other_files.is_empty() {
        warn(&format!(
            "skipped {} file(s) that are not articles (first: {})",
            skipped.other_files.len(),
            skipped.other_files[0].display()
        ));
    }
    Ok(())
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Analyse `text` published on `date` with a small gazetteer: Iraq, Israel and two
    /// Iraqi prime ministers of different years. Returns (surface, entity id) of the
    /// `role` mentions.
    fn role_mentions(text: &str, date: Option<&str>) -> Vec<(String, String)> {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("g.tsv"),
            "id\tname\ttype\tsubtype\tcountry\trole\tvalid_from\tvalid_to\tdemonyms\n\
             place/irq\tIraq\tplace\tcountry\tIRQ\t\t\t\tIraqi\n\
             place/isr\tIsrael\tplace\tcountry\tISR\t\t\t\tIsraeli\n\
             person/kadhimi\tMustafa al-Kadhimi\tperson\t\tIRQ\tprime_minister\t2020-05-07\t2022-10-27\t\n\
             person/sudani\tMohammed Shia al-Sudani\tperson\t\tIRQ\tprime_minister\t2022-10-27\t\t\n",
        )
        .unwrap();
        std::fs::copy(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("gazetteers/relations.toml"),
            dir.path().join("relations.toml"),
        )
        .unwrap();
        let analyzer = Analyzer::load(&[dir.path().to_path_buf()]).unwrap();
        let document = Document {
            id: "d".into(),
            text: text.into(),
            title: None,
            url: None,
            published: date.map(String::from),
            published_raw: None,
            published_from: None,
            source: None,
            path: "test".into(),
            line: None,
            encoding: "utf-8",
        };
        let (document, text, sha) = Analyzer::prepare(document);
        let analyzed = analyzer.analyze(document, text, sha);
        analyzed
            .mentions
            .iter()
            .filter(|m| m.kind == MatchKind::Role)
            .map(|m| {
                (
                    analyzed.text[m.start..m.end].to_string(),
                    analyzer.gazetteer.entity(m.entity).id.clone(),
                )
            })
            .collect()
    }

    #[test]
    fn a_role_alone_resolves_to_its_holder_in_the_document_or_on_the_date() {
        let named =
            "Iraqi Prime Minister Mustafa al-Kadhimi spoke. Later the prime minister left Israel.";
        assert_eq!(
            role_mentions(named, None),
            [(
                "the prime minister".to_string(),
                "person/kadhimi".to_string()
            )]
        );
        let unnamed = "Protests spread in Iraq. The prime minister resigned.";
        assert_eq!(
            role_mentions(unnamed, Some("2021-03-01")),
            [(
                "The prime minister".to_string(),
                "person/kadhimi".to_string()
            )]
        );
        assert_eq!(
            role_mentions(unnamed, Some("2024-01-15")),
            [(
                "The prime minister".to_string(),
                "person/sudani".to_string()
            )]
        );
        // No date, two countries, or "the prime minister of ...": no guess.
        assert_eq!(role_mentions(unnamed, None), []);
        assert_eq!(
            role_mentions(
                "Iraq and Israel argued. The prime minister left.",
                Some("2024-01-15")
            ),
            []
        );
        assert_eq!(
            role_mentions(
                "In Iraq, the prime minister of the region left.",
                Some("2024-01-15")
            ),
            []
        );
    }

    #[test]
    fn common_word_places_need_a_capital_and_place_context_at_sentence_start() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("places.tsv"),
            "id\tname\ttype\tsubtype\nplace/reading\tReading\tplace\tcity\nplace/gbr\tEngland\tplace\tcountry\n",
        )
        .unwrap();
        std::fs::write(dir.path().join("common_words.txt"), "# test\nreading\n").unwrap();
        std::fs::copy(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("gazetteers/relations.toml"),
            dir.path().join("relations.toml"),
        )
        .unwrap();
        let analyzer = Analyzer::load(&[dir.path().to_path_buf()]).unwrap();
        let text =
            "Reading is fun. Police in Reading said so. “Reading, England, is wet.” Stop reading.";
        let document = Document {
            id: "d".into(),
            text: text.into(),
            title: None,
            url: None,
            published: None,
            published_raw: None,
            published_from: None,
            source: None,
            path: "t".into(),
            line: None,
            encoding: "utf-8",
        };
        let (document, cleaned, sha) = Analyzer::prepare(document);
        let analyzed = analyzer.analyze(document, cleaned, sha);
        let found: Vec<usize> = analyzed
            .mentions
            .iter()
            .filter(|m| analyzer.gazetteer.entity(m.entity).id == "place/reading")
            .map(|m| m.start)
            .collect();
        assert_eq!(
            found,
            [
                text.find("in Reading").unwrap() + 3,
                text.find("Reading, England").unwrap()
            ]
        );
    }

    #[test]
    fn small_places_named_like_people_need_place_context() {
        let gazetteer = Gazetteer::from_tsv(
            std::path::Path::new("t.tsv"),
            "id\tname\ttype\tcontext\nplace/svk/martin\tMartin\tplace\trequired\nplace/svk\tSlovakia\tplace\t\n",
        )
        .unwrap();
        let text =
            "Martin said so. Police in Martin agreed. Martin, Slovakia, is small. Ask Martin.";
        let found = gazetteer.find(text);
        let sentences = text::sentences::split(text);
        let kept: Vec<&str> = drop_unsupported_mentions(text, found, &sentences, &gazetteer)
            .iter()
            .map(|m| &text[m.start..m.end])
            .collect();
        assert_eq!(kept, ["Martin", "Martin", "Slovakia"]);
        let starts: Vec<usize> =
            drop_unsupported_mentions(text, gazetteer.find(text), &sentences, &gazetteer)
                .iter()
                .map(|m| m.start)
                .collect();
        assert_eq!(starts[0], text.find("in Martin").unwrap() + 3);
    }

    #[test]
    fn places_inside_organisation_names_and_after_titles_are_dropped() {
        let gazetteer = Gazetteer::from_tsv(
            std::path::Path::new("t.tsv"),
            "id\tname\ttype\tdemonyms\nplace/usa/texas\tTexas\tplace\t\nplace/gbr\tBritain\tplace\tBritish\nplace/col/kennedy\tKennedy\tplace\t\n",
        )
        .unwrap();
        let text = "Texas Air Corp and the British Broadcasting Corporation met in Texas. Mr Kennedy and British officials flew to Kennedy. Mr. Kennedy left.";
        let sentences = text::sentences::split(text);
        let kept: Vec<usize> =
            drop_unsupported_mentions(text, gazetteer.find(text), &sentences, &gazetteer)
                .iter()
                .map(|m| m.start)
                .collect();
        assert_eq!(
            kept,
            [
                text.find("in Texas").unwrap() + 3,
                text.find("British officials").unwrap(),
                text.find("to Kennedy").unwrap() + 3
            ]
        );
    }

    #[test]
    fn places_in_longer_names_are_dropped_and_modified_places_kept() {
        let gazetteer = Gazetteer::from_tsv(
            std::path::Path::new("t.tsv"),
            "id\tname\ttype\tdemonyms\tcontext\nplace/usa/davenport\tDavenport\tplace\t\t\nplace/gbr/bristol\tBristol\tplace\t\t\nplace/can/lindsay\tLindsay\tplace\t\trequired\nplace/usa/myers\tMyers\tplace\t\trequired\nplace/fra\tFrance\tplace\tFrench\t\nplace/deu\tGermany\tplace\t\t\nplace/usa/montgomery\tMontgomery\tplace\t\t\n",
        )
        .unwrap();
        let text = "Lindsay Davenport won. Bristol-Myers fell. The Bank of France acted. \
                    Sales in West Germany rose. Montgomery Ward and Co gained. Prices in France rose.";
        let sentences = text::sentences::split(text);
        let kept: Vec<&str> =
            drop_unsupported_mentions(text, gazetteer.find(text), &sentences, &gazetteer)
                .iter()
                .map(|m| &text[m.start..m.end])
                .collect();
        assert_eq!(kept, ["Germany", "France"]);
    }

    #[test]
    fn sentences_split_inside_a_name_are_joined() {
        let sentences = vec![0..10, 11..20, 21..30];
        let mention = crate::gazetteer::RawMention {
            start: 5,
            end: 15,
            entity: 0,
            kind: MatchKind::Name,
            common_word: false,
        };
        assert_eq!(join_split_names(sentences, &[mention]), [0..20, 21..30]);
    }

    /// Regression: every place mention scanned its whole line for the line's ends, so a
    /// document of one long line with 100,000 names took quadratic time. The scan now
    /// stops within a window, at a whole word.
    #[test]
    fn neighbours_on_a_long_line_come_from_a_window_of_whole_words() {
        let filler = "word ".repeat(2_000);
        let text = format!("{filler}Foo Bar Iran Baz Qux {filler}");
        let start = text.find("Iran").unwrap();
        let (left, right) = capitalised_neighbours(&text, start, start + "Iran".len());
        assert_eq!(left, ["Bar", "Foo"]);
        assert_eq!(right, ["Baz", "Qux"]);
        // A window that starts inside a word skips that word's tail.
        let text = format!("{} Iran", "A".repeat(NEIGHBOUR_WINDOW * 2));
        let start = text.find("Iran").unwrap();
        let (left, _) = capitalised_neighbours(&text, start, start + "Iran".len());
        assert!(left.is_empty(), "{left:?}");
        let window = title_window(&text, 0, text.len());
        assert_eq!(&text[window], "Iran");
        assert_eq!(title_window("Iran Iraq", 0, 9), 0..9);
    }

    #[test]
    fn title_is_a_short_first_line_without_full_stop() {
        let text = "Militia vows attacks\n\nThe commander said so.";
        let sentences = text::sentences::split(text);
        assert_eq!(
            title_from_text(text, &sentences).as_deref(),
            Some("Militia vows attacks")
        );
        let text = "The commander said so. More text.";
        let sentences = text::sentences::split(text);
        assert_eq!(title_from_text(text, &sentences), None);
    }

    #[test]
    fn issue_15_file_headers_are_not_titles() {
        for (line, headline) in [
            ("Roadside IED kills Russian major general in Syria", true),
            ("Boston Marathon Bomber Apologizes to Survivors", true),
            ("“We will fight”: militia vows attacks", true),
            ("2023 in review: the war in Sudan", true),
            (
                "wikievents:test:wiki_mass_car_bombings_7_news_2 unknown",
                false,
            ),
            ("wikievents:dev:road_ied_8", false),
            ("fakes:unit_id=1918150027 (outlet=asharqalawsat)", false),
            ("muc4:TST4-MUC4-0005", false),
            ("https://example.com/news/1 2023-12-08", false),
            ("4/18/17", false),
            ("2015-06-24 12:00", false),
            ("unknown", false),
            ("lower case line of text", false),
            ("Two\nlines", false),
        ] {
            assert_eq!(reads_as_headline(line), headline, "{line:?}");
        }
        let text = "wikievents:test:suicide_ied_100\nunknown\nBomber kills six\n\nA suicide bomber blew himself up.";
        let sentences = text::sentences::split(text);
        assert_eq!(title_from_text(text, &sentences), None);
    }
}
