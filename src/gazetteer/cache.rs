//! A compiled gazetteer saved in a cache folder (the user's, `~/.cache/newsgraph` on
//! Linux: see `newsgraph build --help`), so the next build reads its entries and matcher
//! table instead of parsing and checking 14 MB of TSV and folding 180,000 names again.
//!
//! Each set of gazetteer files and executable has its own file, `gazetteers-<key>.cache`.
//! A copy that is used has its modification time renewed; after a write, copies unused
//! for [`UNUSED_FOR`] are removed, and all but the [`KEEP`] most recently used. The cache
//! is optional: a copy that cannot be written (a full disk, a read-only folder) is a
//! warning, and the build goes on. A temporary a killed build left behind is removed
//! once it is older than [`STALE_TEMPORARY`].
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

/// The file older versions kept in each `--out` folder.
const LEGACY_CACHE_FILE: &str = "gazetteers.cache";

/// Remove from an output folder the copy older versions kept there (27 MB) and the
/// temporaries (`gazetteers.cache.<pid>.tmp`) their killed builds left.
pub fn remove_legacy(out: &Path) {
    let Ok(entries) = std::fs::read_dir(out) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let temporary = name.starts_with("gazetteers.cache.") && name.ends_with(".tmp");
        if name == LEGACY_CACHE_FILE || temporary {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

/// Copies kept in the cache folder, most recently used first.
pub const KEEP: usize = 4;
/// A copy not used for this long is removed.
pub const UNUSED_FOR: std::time::Duration = std::time::Duration::from_secs(30 * 24 * 3600);
/// A temporary file this old is left from a killed build (a write takes under a second).
pub const STALE_TEMPORARY: std::time::Duration = std::time::Duration::from_secs(3600);

/// The file in `folder` for the gazetteers and executable that `key` describes.
pub(super) fn path_in(folder: &Path, key: &Key) -> PathBuf {
    let short: String = key[..8].iter().map(|b| format!("{b:02x}")).collect();
    folder.join(format!("gazetteers-{short}.cache"))
}

/// Renew the modification time of a copy just used, so pruning keeps it.
pub(super) fn touch(path: &Path) {
    if let Ok(file) = std::fs::File::options().append(true).open(path) {
        let _ = file.set_modified(std::time::SystemTime::now());
    }
}

/// Remove from `folder` the copies unused for [`UNUSED_FOR`], all but the [`KEEP`] most
/// recently used, and temporaries older than [`STALE_TEMPORARY`]. Best effort: a file
/// that cannot be removed stays.
pub(super) fn prune(folder: &Path) {
    let Ok(entries) = std::fs::read_dir(folder) else {
        return;
    };
    let now = std::time::SystemTime::now();
    let age = |meta: &std::fs::Metadata| {
        meta.modified()
            .ok()
            .and_then(|t| now.duration_since(t).ok())
            .unwrap_or_default()
    };
    let mut copies = Vec::new();
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let Ok(meta) = entry.metadata() else { continue };
        if !name.starts_with("gazetteers-") {
            continue;
        }
        if name.ends_with(".tmp") {
            if age(&meta) > STALE_TEMPORARY {
                let _ = std::fs::remove_file(entry.path());
            }
        } else if name.ends_with(".cache") {
            copies.push((age(&meta), entry.path()));
        }
    }
    copies.sort();
    for (rank, (age, path)) in copies.iter().enumerate() {
        if rank >= KEEP || *age > UNUSED_FOR {
            let _ = std::fs::remove_file(path);
        }
    }
}

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
    #[cfg(test)]
    if let Some(error) = tests::FAIL_WRITES.with(|fail| fail.get()) {
        return Err(Error::io(path, std::io::Error::from(error)));
    }
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
    use std::cell::Cell;

    thread_local! {
        /// Make [`write`] fail on this thread with this error, as a full disk would.
        pub(super) static FAIL_WRITES: Cell<Option<std::io::ErrorKind>> = const { Cell::new(None) };
    }

    fn load(dirs: &[PathBuf], folder: &Path) -> Gazetteer {
        Gazetteer::load_dirs_cached(dirs, folder, &mut |w| panic!("warning: {w}")).unwrap()
    }

    const TSV: &str = "id\tname\ttype\taliases\n\
        armed_group/hamas\tHamas\tarmed_group\tHarakat al-Muqawama al-Islamiya\n\
        place/irq\tIraq\tplace\t\n";

    /// A gazetteer folder holding `TSV`, a cache folder beside it, and the folder list.
    fn folder() -> (tempfile::TempDir, PathBuf, [PathBuf; 1]) {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("gazetteers")).unwrap();
        std::fs::write(dir.path().join("gazetteers/actors.tsv"), TSV).unwrap();
        let cache = dir.path().join("cache");
        let dirs = [dir.path().join("gazetteers")];
        (dir, cache, dirs)
    }

    /// The copy in `folder` for `dirs` as they are now.
    fn copy(folder: &Path, dirs: &[PathBuf]) -> PathBuf {
        path_in(folder, &key_now(dirs))
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
        let (_dir, cache, dirs) = folder();
        let loaded = load(&dirs, &cache);
        assert!(copy(&cache, &dirs).is_file());
        let cached = read(&copy(&cache, &dirs), &key_now(&dirs), Vec::new())
            .expect("the cache just written is read");
        assert_eq!(cached.entities(), loaded.entities());
        let again = load(&dirs, &cache);
        assert_eq!(again.files(), [dirs[0].join("actors.tsv")]);
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
        let cache = root.path().join("cache");
        let dirs = [folder.clone()];
        let loaded = load(&dirs, &cache);
        assert!(read(&copy(&cache, &dirs), &key_now(&dirs), Vec::new()).is_some());
        let again = load(&dirs, &cache);
        assert_eq!(again.files(), loaded.files());
        assert_eq!(again.files(), [folder.join("actors.tsv")]);
    }

    #[test]
    fn a_changed_file_is_loaded_again_not_served_from_the_cache() {
        let (_dir, cache, dirs) = folder();
        load(&dirs, &cache);
        std::fs::write(
            dirs[0].join("actors.tsv"),
            format!("{TSV}place/syr\tSyria\tplace\t\n"),
        )
        .unwrap();
        let reloaded = load(&dirs, &cache);
        assert_eq!(
            names(&reloaded, "Syria and Iraq"),
            ["place/syr", "place/irq"]
        );
        assert!(
            read(&copy(&cache, &dirs), &key_now(&dirs), Vec::new()).is_some(),
            "a copy was written for the new files"
        );
    }

    #[test]
    fn a_damaged_cache_is_ignored_and_replaced() {
        let (_dir, folder, dirs) = folder();
        let loaded = load(&dirs, &folder);
        let cache = copy(&folder, &dirs);
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
            let reloaded = load(&dirs, &folder);
            assert_eq!(reloaded.entities(), loaded.entities());
            assert_eq!(std::fs::read(&cache).unwrap(), good);
        }
    }

    #[test]
    fn issue_15_a_cache_that_cannot_be_written_is_a_warning_not_an_error() {
        let (_dir, folder, dirs) = folder();
        FAIL_WRITES.with(|fail| fail.set(Some(std::io::ErrorKind::StorageFull)));
        let mut warnings = Vec::new();
        let loaded =
            Gazetteer::load_dirs_cached(&dirs, &folder, &mut |w| warnings.push(w.to_string()));
        FAIL_WRITES.with(|fail| fail.set(None));
        assert_eq!(loaded.unwrap().entities().len(), 2);
        assert_eq!(warnings.len(), 1, "{warnings:?}");
        assert!(
            warnings[0].starts_with("the gazetteer cache was not written (")
                && warnings[0].ends_with("); the build goes on without it"),
            "{warnings:?}"
        );
        assert!(!copy(&folder, &dirs).exists());
    }

    #[test]
    fn issue_15_stale_temporaries_and_old_copies_are_pruned() {
        let (_dir, folder, dirs) = folder();
        std::fs::create_dir_all(&folder).unwrap();
        let old = std::time::SystemTime::now() - STALE_TEMPORARY * 2;
        let aged = |name: &str, when: std::time::SystemTime| {
            let path = folder.join(name);
            std::fs::write(&path, b"x").unwrap();
            std::fs::File::options()
                .append(true)
                .open(&path)
                .unwrap()
                .set_modified(when)
                .unwrap();
            path
        };
        let stale = aged("gazetteers-0000000000000000.cache.99999.tmp", old);
        let fresh = aged(
            "gazetteers-0000000000000001.cache.99998.tmp",
            std::time::SystemTime::now(),
        );
        let unused = aged(
            "gazetteers-0000000000000002.cache",
            std::time::SystemTime::now() - UNUSED_FOR * 2,
        );
        let others: Vec<PathBuf> = (0..KEEP)
            .map(|k| {
                aged(
                    &format!("gazetteers-1{k:015}.cache"),
                    old + std::time::Duration::from_secs(k as u64),
                )
            })
            .collect();
        let unrelated = aged("notes.txt", old);
        load(&dirs, &folder);
        assert!(!stale.exists() && fresh.exists() && !unused.exists() && unrelated.exists());
        assert!(
            copy(&folder, &dirs).exists(),
            "the copy just written is kept"
        );
        let kept: Vec<bool> = others.iter().map(|p| p.exists()).collect();
        assert_eq!(kept.iter().filter(|&&k| k).count(), KEEP - 1, "{kept:?}");
        assert!(
            !others[0].exists(),
            "the least recently used copy goes first"
        );
    }
}
