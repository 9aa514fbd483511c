//! A compiled gazetteer saved beside a build's output (`gazetteers.cache`), so the next
//! build into the same folder reads its entries and matcher table instead of parsing and
//! checking 14 MB of TSV and folding 180,000 names again.
//!
//! The copy is used only when its key matches: a SHA-256 of this executable's size and
//! modification time and of every gazetteer file's path and contents (the TSV files and
//! the common-words lists). Anything else, a missing, truncated, corrupt or stale file,
//! means loading from the TSV files and saving a fresh copy. A copy is written to a
//! temporary name and renamed into place, so a reader never sees half of one.
//!
//! Layout: [`MAGIC`], the 32-byte key, two sections of postcard bytes (the entries, then
//! the matcher), and for each section its length (little-endian `u64`) and CRC-32. The sections are encoded straight to the file and decoded at once on two
//! threads.

use super::{Entity, Gazetteer, Matcher, Sources};
use crate::error::{Error, Result};
use sha2::{Digest, Sha256};
use std::io::Write;
use std::path::{Path, PathBuf};

/// The name of the cache file in a build's output folder.
pub const CACHE_FILE: &str = "gazetteers.cache";

/// File signature and format version; a change to the layout changes the last byte.
const MAGIC: &[u8; 16] = b"newsgraph-gaz\x00\x00\x01";

pub(super) type Key = [u8; 32];

/// The key a cache made from `sources` by this executable carries.
pub(super) fn key(sources: &Sources) -> Key {
    let mut hash = Sha256::new();
    hash.update(MAGIC);
    // A rebuilt executable may fold, parse or check differently: its copies do not count.
    let executable = std::env::current_exe()
        .and_then(std::fs::metadata)
        .ok()
        .map(|m| {
            let modified = m
                .modified()
                .ok()
                .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
                .map_or(0, |d| d.as_nanos());
            (m.len(), modified)
        });
    hash.update(format!("{executable:?}\n").as_bytes());
    for (list, files) in [
        ("tsv", &sources.tsv),
        ("common words", &sources.common_words),
    ] {
        hash.update(format!("{list} {}\n", files.len()).as_bytes());
        for (path, bytes) in files {
            hash.update(format!("{} {}\n", path.display(), bytes.len()).as_bytes());
            hash.update(bytes);
        }
    }
    hash.finalize().into()
}

/// The gazetteer saved at `path` under `key`, or `None` if there is none or it does not
/// decode in full. `files` are the TSV files it was loaded from (the key covers them).
pub(super) fn read(path: &Path, key: &Key, files: Vec<PathBuf>) -> Option<Gazetteer> {
    let bytes = std::fs::read(path).ok()?;
    let rest = bytes.strip_prefix(MAGIC.as_slice())?;
    let rest = rest.strip_prefix(key.as_slice())?;
    let (bodies, trailer) = rest.split_last_chunk::<{ 2 * SECTION_TRAILER }>()?;
    let (first, second) = trailer.split_at(SECTION_TRAILER);
    let (entries, rest) = section(bodies, first)?;
    let (matcher, rest) = section(rest, second)?;
    if !rest.is_empty() {
        return None;
    }
    let (entities, matcher) = rayon::join(
        || postcard::from_bytes::<Vec<Entity>>(entries).ok(),
        || postcard::from_bytes::<Matcher>(matcher).ok(),
    );
    Some(Gazetteer::from_parts(entities?, files, matcher?))
}

/// Save `gazetteer` at `path` under `key`.
pub(super) fn write(path: &Path, key: &Key, gazetteer: &Gazetteer) -> Result<()> {
    let temporary = path.with_extension(format!("cache.{}.tmp", std::process::id()));
    let written = (|| -> std::io::Result<()> {
        if let Some(folder) = path.parent() {
            std::fs::create_dir_all(folder)?;
        }
        let mut file = Counted::new(std::fs::File::create(&temporary)?);
        file.write_all(MAGIC)?;
        file.write_all(key)?;
        file.reset();
        postcard::to_io(&gazetteer.entities, &mut file).map_err(std::io::Error::other)?;
        let first = file.reset();
        postcard::to_io(&gazetteer.matcher, &mut file).map_err(std::io::Error::other)?;
        let second = file.reset();
        file.write_all(&first)?;
        file.write_all(&second)?;
        // No fsync: a copy a crash leaves short or empty fails its checks and is rebuilt.
        file.inner.into_inner().map_err(|e| e.into_error())?;
        std::fs::rename(&temporary, path)
    })();
    written.map_err(|e| {
        let _ = std::fs::remove_file(&temporary);
        Error::io(path, e)
    })
}

/// A section's trailer: its length as a little-endian `u64`, then its CRC-32.
const SECTION_TRAILER: usize = 12;

/// Split the section that `trailer` describes off the front of `bytes`.
fn section<'b>(bytes: &'b [u8], trailer: &[u8]) -> Option<(&'b [u8], &'b [u8])> {
    let (length, crc) = trailer.split_first_chunk::<8>()?;
    let length = usize::try_from(u64::from_le_bytes(*length)).ok()?;
    let crc = u32::from_le_bytes(crc.try_into().ok()?);
    let (body, rest) = bytes.split_at_checked(length)?;
    (crc32fast::hash(body) == crc).then_some((body, rest))
}

/// A buffered file writer that keeps the length and CRC-32 of what went through it since
/// the last [`Counted::reset`], so a section is encoded straight to the file.
struct Counted {
    inner: std::io::BufWriter<std::fs::File>,
    length: u64,
    crc: crc32fast::Hasher,
}

impl Counted {
    fn new(file: std::fs::File) -> Self {
        Counted {
            inner: std::io::BufWriter::with_capacity(1 << 20, file),
            length: 0,
            crc: crc32fast::Hasher::new(),
        }
    }

    /// The trailer of the section written since the last call.
    fn reset(&mut self) -> [u8; SECTION_TRAILER] {
        let crc = std::mem::take(&mut self.crc).finalize();
        let mut trailer = [0; SECTION_TRAILER];
        trailer[..8].copy_from_slice(&std::mem::take(&mut self.length).to_le_bytes());
        trailer[8..].copy_from_slice(&crc.to_le_bytes());
        trailer
    }
}

impl Write for Counted {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        let written = self.inner.write(bytes)?;
        self.crc.update(&bytes[..written]);
        self.length += written as u64;
        Ok(written)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TSV: &str = "id\tname\ttype\taliases\n\
        armed_group/hamas\tHamas\tarmed_group\tHarakat al-Muqawama al-Islamiya\n\
        place/irq\tIraq\tplace\t\n";

    /// A gazetteer folder holding `TSV`, the cache path beside it, and the folder list.
    fn folder() -> (tempfile::TempDir, PathBuf, [PathBuf; 1]) {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("actors.tsv"), TSV).unwrap();
        let cache = dir.path().join(CACHE_FILE);
        let dirs = [dir.path().to_path_buf()];
        (dir, cache, dirs)
    }

    /// The key a cache of the folders `dirs`, as they are now, must carry.
    fn key_now(dirs: &[PathBuf]) -> Key {
        key(&Sources::read(dirs).unwrap())
    }

    fn names(gazetteer: &Gazetteer, text: &str) -> Vec<String> {
        gazetteer
            .find(text)
            .into_iter()
            .map(|m| gazetteer.entity(m.entity).id.clone())
            .collect()
    }

    #[test]
    fn a_cached_gazetteer_is_the_loaded_one() {
        let (dir, cache, dirs) = folder();
        let loaded = Gazetteer::load_dirs_cached(&dirs, &cache).unwrap();
        assert!(cache.is_file());
        let cached =
            read(&cache, &key_now(&dirs), Vec::new()).expect("the cache just written is read");
        assert_eq!(cached.entities(), loaded.entities());
        let again = Gazetteer::load_dirs_cached(&dirs, &cache).unwrap();
        assert_eq!(again.files(), [dir.path().join("actors.tsv")]);
        let text = "Hamas fighters entered Iraq; the Harakat al-Muqawama al-Islamiya said so.";
        assert_eq!(names(&cached, text), names(&loaded, text));
        assert_eq!(names(&cached, text).len(), 3);
        assert_eq!(cached.index_of("place/irq"), Some(1));
    }

    #[cfg(unix)]
    #[test]
    fn a_folder_whose_name_is_not_utf8_is_cached_too() {
        use std::os::unix::ffi::OsStrExt;
        let root = tempfile::tempdir().unwrap();
        let folder = root.path().join(std::ffi::OsStr::from_bytes(b"gaz\xff"));
        std::fs::create_dir(&folder).unwrap();
        std::fs::write(folder.join("actors.tsv"), TSV).unwrap();
        let cache = root.path().join(CACHE_FILE);
        let dirs = [folder.clone()];
        let loaded = Gazetteer::load_dirs_cached(&dirs, &cache).unwrap();
        assert!(read(&cache, &key_now(&dirs), Vec::new()).is_some());
        let again = Gazetteer::load_dirs_cached(&dirs, &cache).unwrap();
        assert_eq!(again.files(), loaded.files());
        assert_eq!(again.files(), [folder.join("actors.tsv")]);
    }

    #[test]
    fn a_changed_file_is_loaded_again_not_served_from_the_cache() {
        let (dir, cache, dirs) = folder();
        Gazetteer::load_dirs_cached(&dirs, &cache).unwrap();
        std::fs::write(
            dir.path().join("actors.tsv"),
            format!("{TSV}place/syr\tSyria\tplace\t\n"),
        )
        .unwrap();
        let reloaded = Gazetteer::load_dirs_cached(&dirs, &cache).unwrap();
        assert_eq!(
            names(&reloaded, "Syria and Iraq"),
            ["place/syr", "place/irq"]
        );
        assert!(
            read(&cache, &key_now(&dirs), Vec::new()).is_some(),
            "the copy was replaced"
        );
    }

    #[test]
    fn a_damaged_cache_is_ignored_and_replaced() {
        let (_dir, cache, dirs) = folder();
        let loaded = Gazetteer::load_dirs_cached(&dirs, &cache).unwrap();
        let good = std::fs::read(&cache).unwrap();
        let key = key_now(&dirs);
        let mut flipped = good.clone();
        let last = flipped.len() - 1;
        flipped[last] ^= 0x20;
        for damaged in [
            good[..good.len() / 2].to_vec(),
            flipped,
            [good.as_slice(), b"more"].concat(),
            b"not a cache".to_vec(),
            Vec::new(),
        ] {
            std::fs::write(&cache, &damaged).unwrap();
            assert!(read(&cache, &key, Vec::new()).is_none());
            let reloaded = Gazetteer::load_dirs_cached(&dirs, &cache).unwrap();
            assert_eq!(reloaded.entities(), loaded.entities());
            assert_eq!(std::fs::read(&cache).unwrap(), good);
        }
    }
}
