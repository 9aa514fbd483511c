//! Gazetteers: curated TSV lists of actors and places (see `docs/gazetteers.md`), loaded
//! with file:line:column errors and compiled into one matcher that finds every alias in a
//! document in a single pass.

pub mod cache;
pub mod import;
mod matcher;
mod tsv;

use crate::error::{Error, Result};
use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};
use std::collections::HashSet;
use std::fmt;
use std::path::{Path, PathBuf};

pub use matcher::{MatchKind, Matcher, RawMention};

/// The five kinds of actor newsgraph knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum EntityType {
    Person,
    ArmedGroup,
    Government,
    Organization,
    Place,
}

impl EntityType {
    pub const ALL: [EntityType; 5] = [
        EntityType::Person,
        EntityType::ArmedGroup,
        EntityType::Government,
        EntityType::Organization,
        EntityType::Place,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            EntityType::Person => "person",
            EntityType::ArmedGroup => "armed_group",
            EntityType::Government => "government",
            EntityType::Organization => "organization",
            EntityType::Place => "place",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.as_str() == text)
    }
}

impl fmt::Display for EntityType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One gazetteer entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entity {
    /// Stable id, e.g. `armed_group/kataib-sayyid-al-shuhada`.
    pub id: String,
    pub name: String,
    pub kind: EntityType,
    pub subtype: Option<String>,
    /// ISO 3166-1 alpha-3 code.
    pub country: Option<String>,
    /// Id of the entity this one belongs to (a ministry's government, a city's country).
    pub parent: Option<String>,
    pub role: Option<String>,
    pub valid_from: Option<String>,
    pub valid_to: Option<String>,
    pub aliases: Vec<String>,
    /// Adjectives and nouns of nationality ("Iraqi", "Iraqis") that point to this entity.
    pub demonyms: Vec<String>,
    /// Where the facts come from, as the gazetteer states it.
    pub source: Option<String>,
    /// A code from the source dictionary (e.g. a CAMEO actor code).
    pub code: Option<String>,
    /// Matches count only with place context ("in Martin", "Martin, Slovakia"): for small
    /// places whose names are also people's names (TSV column `context` = `required`).
    pub needs_context: bool,
    /// The file and line the entry was loaded from.
    pub origin: String,
}

/// The gazetteer's entries plus the people one document introduced that it does not list
/// ([`crate::discover`]): an entity index past the gazetteer's end points into
/// `discovered`.
#[derive(Debug, Clone, Copy)]
pub struct EntityTable<'a> {
    pub gazetteer: &'a Gazetteer,
    pub discovered: &'a [Entity],
}

impl<'a> EntityTable<'a> {
    pub fn entity(&self, index: usize) -> &'a Entity {
        let listed = self.gazetteer.entities.len();
        if index < listed {
            &self.gazetteer.entities[index]
        } else {
            &self.discovered[index - listed]
        }
    }

    /// Whether the entity at `index` was discovered in the document.
    pub fn is_discovered(&self, index: usize) -> bool {
        index >= self.gazetteer.entities.len()
    }
}

/// An entry with only the required fields set (an importer's row, a discovered entity).
pub fn entity(id: String, name: String, kind: EntityType, origin: String) -> Entity {
    Entity {
        id,
        name,
        kind,
        subtype: None,
        country: None,
        parent: None,
        role: None,
        valid_from: None,
        valid_to: None,
        aliases: Vec::new(),
        demonyms: Vec::new(),
        source: None,
        code: None,
        needs_context: false,
        origin,
    }
}

/// A loaded set of gazetteers with its matcher.
#[derive(Debug)]
pub struct Gazetteer {
    entities: Vec<Entity>,
    by_id: FxHashMap<String, usize>,
    matcher: Matcher,
    files: Vec<PathBuf>,
}

impl Gazetteer {
    /// Load every `*.tsv` file in each directory (in name order), check the entries
    /// against each other, and build the matcher.
    pub fn load_dirs(dirs: &[PathBuf]) -> Result<Self> {
        Self::from_sources(&Sources::read(dirs)?)
    }

    /// [`Gazetteer::load_dirs`], served from the compiled copy in `cache_folder` when it
    /// was made by this executable from files with the same names and contents; otherwise
    /// loaded from the files and saved there for the next time (see [`cache`]). A copy
    /// that cannot be saved is reported to `warn`, not an error.
    pub fn load_dirs_cached(
        dirs: &[PathBuf],
        cache_folder: &Path,
        warn: &mut dyn FnMut(&str),
    ) -> Result<Self> {
        let sources = Sources::read(dirs)?;
        let key = cache::key(&sources);
        let path = cache::path_in(cache_folder, &key);
        let files = sources.tsv.iter().map(|(path, _)| path.clone()).collect();
        if let Some(gazetteer) = cache::read(&path, &key, files) {
            cache::touch(&path);
            return Ok(gazetteer);
        }
        let gazetteer = Self::from_sources(&sources)?;
        match cache::write(&path, &key, &gazetteer) {
            Ok(()) => cache::prune(cache_folder),
            Err(e) => warn(&format!(
                "the gazetteer cache was not written ({e}); the build goes on without it"
            )),
        }
        Ok(gazetteer)
    }

    fn from_sources(sources: &Sources) -> Result<Self> {
        let mut common_words = HashSet::new();
        for (path, bytes) in &sources.common_words {
            common_words.extend(parse_common_words(path, bytes)?);
        }
        Self::from_files(&sources.tsv, &common_words)
    }

    /// Load the given TSV files as one gazetteer; `common_words` are folded single words
    /// (see [`COMMON_WORDS_FILE`]).
    pub fn load_files(files: &[PathBuf], common_words: HashSet<String>) -> Result<Self> {
        let files = files
            .iter()
            .map(|file| {
                Ok((
                    file.clone(),
                    std::fs::read(file).map_err(|e| Error::io(file, e))?,
                ))
            })
            .collect::<Result<Vec<_>>>()?;
        Self::from_files(&files, &common_words)
    }

    /// Load one gazetteer from TSV text; `path` is used in error messages.
    pub fn from_tsv(path: &Path, text: &str) -> Result<Self> {
        Self::from_files(
            &[(path.to_path_buf(), text.as_bytes().to_vec())],
            &HashSet::new(),
        )
    }

    /// Parse TSV files (path and contents, in load order) as one gazetteer.
    fn from_files(files: &[(PathBuf, Vec<u8>)], common_words: &HashSet<String>) -> Result<Self> {
        let mut loaded = tsv::Loader::default();
        for (path, bytes) in files {
            loaded.add_file(path, bytes)?;
        }
        let paths = files.iter().map(|(path, _)| path.clone()).collect();
        Self::from_entities(loaded.finish()?, paths, common_words)
    }

    fn from_entities(
        entities: Vec<Entity>,
        files: Vec<PathBuf>,
        common_words: &HashSet<String>,
    ) -> Result<Self> {
        let matcher = Matcher::build(&entities, common_words)?;
        Ok(Self::from_parts(entities, files, matcher))
    }

    fn from_parts(entities: Vec<Entity>, files: Vec<PathBuf>, matcher: Matcher) -> Self {
        let mut by_id = FxHashMap::with_capacity_and_hasher(entities.len(), Default::default());
        by_id.extend(
            entities
                .iter()
                .enumerate()
                .map(|(at, e)| (e.id.clone(), at)),
        );
        Gazetteer {
            entities,
            by_id,
            matcher,
            files,
        }
    }

    pub fn entities(&self) -> &[Entity] {
        &self.entities
    }

    pub fn entity(&self, index: usize) -> &Entity {
        &self.entities[index]
    }

    /// This gazetteer with no discovered entities.
    pub fn table(&self) -> EntityTable<'_> {
        EntityTable {
            gazetteer: self,
            discovered: &[],
        }
    }

    pub fn index_of(&self, id: &str) -> Option<usize> {
        self.by_id.get(id).copied()
    }

    pub fn get(&self, id: &str) -> Option<&Entity> {
        self.index_of(id).map(|at| &self.entities[at])
    }

    pub fn matcher(&self) -> &Matcher {
        &self.matcher
    }

    /// The files this gazetteer was loaded from.
    pub fn files(&self) -> &[PathBuf] {
        &self.files
    }

    /// Find every gazetteer name, alias and demonym in `text`.
    pub fn find(&self, text: &str) -> Vec<RawMention> {
        self.matcher.find(text)
    }

    /// [`Gazetteer::find`] over text already folded with [`crate::text::fold`].
    pub fn find_folded(&self, text: &str, folded: &crate::text::Folded) -> Vec<RawMention> {
        self.matcher.find_folded(text, folded)
    }
}

/// The stop list of a gazetteer folder: single words that are also common English words
/// ("Split", "Nice", "Reading", "Of"), one per line, `#` comments. An alias that is one of
/// them matches only capitalised, and not as the first word of a sentence unless a place
/// follows after a comma ("Split, Croatia").
pub const COMMON_WORDS_FILE: &str = "common_words.txt";

/// Read a common-words list into folded words.
pub fn load_common_words(path: &Path) -> Result<HashSet<String>> {
    let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
    parse_common_words(path, &bytes)
}

fn parse_common_words(path: &Path, bytes: &[u8]) -> Result<HashSet<String>> {
    let text = std::str::from_utf8(bytes)
        .map_err(|_| Error::parse(path, 1, 1, "invalid UTF-8 (the list must be UTF-8)"))?;
    let mut words = HashSet::new();
    for (index, line) in text.lines().enumerate() {
        let word = line.trim();
        if word.is_empty() || word.starts_with('#') {
            continue;
        }
        if word.contains(char::is_whitespace) {
            return Err(Error::parse(
                path,
                index + 1,
                1,
                format!("{word:?}: one word per line"),
            ));
        }
        words.insert(crate::text::fold_alias(word));
    }
    Ok(words)
}

/// The files a set of gazetteer folders is loaded from, read into memory: the `*.tsv`
/// files of each folder in name order, and each folder's [`COMMON_WORDS_FILE`].
struct Sources {
    tsv: Vec<(PathBuf, Vec<u8>)>,
    common_words: Vec<(PathBuf, Vec<u8>)>,
}

impl Sources {
    fn read(dirs: &[PathBuf]) -> Result<Self> {
        let read = |path: PathBuf| -> Result<(PathBuf, Vec<u8>)> {
            let bytes = std::fs::read(&path).map_err(|e| Error::io(&path, e))?;
            Ok((path, bytes))
        };
        let mut sources = Sources {
            tsv: Vec::new(),
            common_words: Vec::new(),
        };
        for dir in dirs {
            for file in tsv_files(dir)? {
                sources.tsv.push(read(file)?);
            }
            let list = dir.join(COMMON_WORDS_FILE);
            if list.is_file() {
                sources.common_words.push(read(list)?);
            }
        }
        if sources.tsv.is_empty() {
            return Err(Error::Config(format!(
                "no gazetteer (*.tsv) files in {}",
                dirs.iter()
                    .map(|d| d.display().to_string())
                    .collect::<Vec<_>>()
                    .join(", ")
            )));
        }
        Ok(sources)
    }
}

/// The `*.tsv` files of a folder, in name order.
pub fn tsv_files(dir: &Path) -> Result<Vec<PathBuf>> {
    let entries = std::fs::read_dir(dir).map_err(|e| Error::io(dir, e))?;
    let mut files = Vec::new();
    for entry in entries {
        let path = entry.map_err(|e| Error::io(dir, e))?.path();
        if path.extension().is_some_and(|ext| ext == "tsv") && path.is_file() {
            files.push(path);
        }
    }
    files.sort();
    Ok(files)
}

/// The id part after `type/`: folded, words joined by `-`, e.g.
/// "Kata'ib Sayyid al-Shuhada" → `kataib-sayyid-al-shuhada`.
pub fn slug(name: &str) -> String {
    let folded = crate::text::fold_alias(name);
    let mut out = String::with_capacity(folded.len());
    for c in folded.chars() {
        if c.is_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    while out.ends_with('-') {
        out.pop();
    }
    out
}

/// `type/slug`.
pub fn make_id(kind: EntityType, name: &str) -> String {
    format!("{}/{}", kind.as_str(), slug(name))
}
