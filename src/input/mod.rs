//! Document input: plain-text files (one document each), HTML pages (one document each,
//! with the `html` feature), JSONL files (one document a line), gzip-compressed versions of
//! these, directories (recursed, in name order) and JSONL on standard input (`-`).
//!
//! Nothing is dropped silently: a record that cannot become a document is handed on as a
//! [`Reject`] with its path, line and reason, and stored in the database.

#[cfg(feature = "html")]
pub mod html;
mod jsonl;

use crate::error::{Error, Result};
use std::io::Read;
use std::path::{Path, PathBuf};

/// Bytes of a rejected record kept for inspection.
pub const REJECT_RAW_LIMIT: usize = 4_096;

/// The largest document read, in bytes (a text or HTML file, or one JSONL line). Anything larger
/// is rejected without being held in memory: news articles are kilobytes, and a
/// gigabyte with no line breaks is a dump, not an article.
pub const MAX_DOCUMENT_BYTES: usize = 16 * 1024 * 1024;

/// "16 MB", "1.2 GB": a byte count for messages.
pub fn human_bytes(bytes: u64) -> String {
    const MB: f64 = 1024.0 * 1024.0;
    let b = bytes as f64;
    if b >= 1024.0 * MB {
        format!("{:.1} GB", b / (1024.0 * MB))
    } else if b >= MB {
        format!("{:.1} MB", b / MB)
    } else {
        format!("{bytes} bytes")
    }
}

/// Read at most `limit` bytes, then drain the rest without keeping it; returns the bytes
/// and the total length when it was over the limit.
fn read_limited(reader: &mut dyn Read, limit: usize) -> std::io::Result<(Vec<u8>, Option<u64>)> {
    let mut bytes = Vec::new();
    reader.take(limit as u64 + 1).read_to_end(&mut bytes)?;
    if bytes.len() <= limit {
        return Ok((bytes, None));
    }
    let rest = std::io::copy(reader, &mut std::io::sink())?;
    let total = bytes.len() as u64 + rest;
    Ok((bytes, Some(total)))
}

pub use crate::model::{DateSource, Document, Record, Reject};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    Text,
    Jsonl,
    Html,
}

/// The format of a path from its extension(s), and whether it is gzip-compressed.
fn format_of(path: &Path) -> Option<(Format, bool)> {
    let name = path.file_name()?.to_str()?.to_lowercase();
    let (name, gzip) = match name.strip_suffix(".gz") {
        Some(inner) => (inner.to_string(), true),
        None => (name, false),
    };
    let ext = name.rsplit_once('.')?.1;
    let format = match ext {
        "txt" | "text" | "md" => Format::Text,
        "jsonl" | "ndjson" => Format::Jsonl,
        "html" | "htm" => Format::Html,
        _ => return None,
    };
    Some((format, gzip))
}

/// Counts of files the reader passed over, for the run summary.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Skipped {
    /// Files in input directories whose extension is not an article format.
    pub other_files: Vec<PathBuf>,
}

/// Read every input and hand each record to `sink` in order. Explicitly named files of
/// an unknown kind are an error; in directories they are listed in [`Skipped`].
pub fn read_all(inputs: &[PathBuf], sink: &mut dyn FnMut(Record) -> Result<()>) -> Result<Skipped> {
    let mut skipped = Skipped::default();
    for input in inputs {
        if input.as_os_str() == "-" {
            let stdin = std::io::stdin();
            jsonl::read(Path::new("<stdin>"), stdin.lock(), sink)?;
            continue;
        }
        let meta = std::fs::metadata(input).map_err(|e| Error::io(input, e))?;
        if !meta.is_dir() && !meta.is_file() {
            sink(not_regular(input, &meta.file_type()))?;
            continue;
        }
        if meta.is_dir() {
            let walker = walkdir::WalkDir::new(input)
                .follow_links(true)
                .sort_by_file_name();
            for entry in walker {
                match entry {
                    Ok(entry) if entry.file_type().is_file() => {
                        let path = entry.path();
                        if format_of(path).is_some() {
                            read_file(path, sink)?;
                        } else {
                            skipped.other_files.push(path.to_path_buf());
                        }
                    }
                    Ok(entry) if entry.file_type().is_dir() => {}
                    Ok(entry) => sink(not_regular(entry.path(), &entry.file_type()))?,
                    Err(e) => {
                        let path = e.path().map_or_else(|| input.clone(), Path::to_path_buf);
                        sink(Record::Reject(Reject {
                            path: path.display().to_string(),
                            line: None,
                            reason: format!("cannot read: {e}"),
                            raw: Vec::new(),
                        }))?;
                    }
                }
            }
        } else if format_of(input).is_some() {
            read_file(input, sink)?;
        } else {
            return Err(Error::Unsupported {
                path: input.clone(),
                message: "not an article file: expected .txt, .text, .md, .html, .htm, .jsonl \
                          or .ndjson (optionally .gz), or a directory"
                    .into(),
            });
        }
    }
    Ok(skipped)
}

/// The reject for a FIFO, socket or device: opening a FIFO would wait for a writer forever,
/// and a device is not an article.
fn not_regular(path: &Path, kind: &std::fs::FileType) -> Record {
    use std::os::unix::fs::FileTypeExt;
    let what = if kind.is_fifo() {
        "a FIFO (named pipe)"
    } else if kind.is_socket() {
        "a socket"
    } else if kind.is_block_device() || kind.is_char_device() {
        "a device"
    } else {
        "not a regular file"
    };
    reject(
        path,
        format!(
            "{what}, not read: newsgraph reads regular files and folders, and JSONL on \
             standard input as `-` (`cat pipe | newsgraph build -`)"
        ),
    )
}

fn reject(path: &Path, reason: impl Into<String>) -> Record {
    Record::Reject(Reject {
        path: path.display().to_string(),
        line: None,
        reason: reason.into(),
        raw: Vec::new(),
    })
}

fn read_file(path: &Path, sink: &mut dyn FnMut(Record) -> Result<()>) -> Result<()> {
    let Some((format, gzip)) = format_of(path) else {
        return Ok(());
    };
    #[cfg(not(feature = "html"))]
    if format == Format::Html {
        return sink(reject(
            path,
            "HTML input needs the `html` feature, which this build of newsgraph leaves out; \
             rebuild with default features, or save the article as .txt",
        ));
    }
    let file = match std::fs::File::open(path) {
        Ok(file) => file,
        Err(e) => return sink(reject(path, format!("cannot open: {e}"))),
    };
    let reader: Box<dyn Read> = if gzip {
        // Damaged data decodes as garbage until the checksum at the member's end says so:
        // the whole stream is checked before any of its records is handed on.
        if let Err(broken) = check_gzip(file) {
            return sink(Record::Broken(Reject {
                path: path.display().to_string(),
                line: broken.line,
                reason: broken.to_string(),
                raw: Vec::new(),
            }));
        }
        match std::fs::File::open(path) {
            Ok(file) => Box::new(flate2::read::MultiGzDecoder::new(file)),
            Err(e) => return sink(reject(path, format!("cannot open: {e}"))),
        }
    } else {
        Box::new(file)
    };
    match format {
        Format::Jsonl => jsonl::read(path, std::io::BufReader::new(reader), sink),
        Format::Text => read_text(path, reader, sink),
        #[cfg(feature = "html")]
        Format::Html => match read_whole(path, reader) {
            Ok(bytes) => sink(html::read(path, &bytes)),
            Err(reject) => sink(Record::Reject(reject)),
        },
        #[cfg(not(feature = "html"))]
        Format::Html => unreachable!("handled above"),
    }
}

/// Where a gzip stream broke.
#[derive(Debug)]
struct BrokenGzip {
    /// Bytes of the compressed file read when the error came.
    compressed: u64,
    /// Bytes decoded until then.
    decoded: u64,
    /// The line of the decoded text it broke in (1-based).
    line: Option<usize>,
    cause: std::io::Error,
}

impl std::fmt::Display for BrokenGzip {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "damaged or incomplete gzip data near compressed byte {} (after {} decoded bytes): \
             {}; none of this file's records were stored (`zcat` it to keep what is readable, \
             at your own risk)",
            self.compressed, self.decoded, self.cause
        )
    }
}

/// Decode a whole gzip stream (every member) without keeping it, to see that its
/// checksums and lengths hold.
fn check_gzip(file: std::fs::File) -> Result<(), BrokenGzip> {
    struct Counting<R> {
        inner: R,
        bytes: std::rc::Rc<std::cell::Cell<u64>>,
    }
    impl<R: Read> Read for Counting<R> {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            let n = self.inner.read(buf)?;
            self.bytes.set(self.bytes.get() + n as u64);
            Ok(n)
        }
    }
    let compressed = std::rc::Rc::new(std::cell::Cell::new(0));
    let mut decoder = flate2::read::MultiGzDecoder::new(Counting {
        inner: std::io::BufReader::with_capacity(64 * 1024, file),
        bytes: compressed.clone(),
    });
    let mut buffer = vec![0; 64 * 1024];
    let (mut decoded, mut lines) = (0_u64, 0_usize);
    loop {
        match decoder.read(&mut buffer) {
            Ok(0) => return Ok(()),
            Ok(n) => {
                decoded += n as u64;
                lines += buffer[..n].iter().filter(|&&b| b == b'\n').count();
            }
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(cause) => {
                return Err(BrokenGzip {
                    compressed: compressed.get(),
                    decoded,
                    line: Some(lines + 1),
                    cause,
                });
            }
        }
    }
}

/// A whole file, or the reject for one over [`MAX_DOCUMENT_BYTES`] or unreadable.
fn read_whole(path: &Path, mut reader: Box<dyn Read>) -> Result<Vec<u8>, Reject> {
    match read_limited(&mut reader, MAX_DOCUMENT_BYTES) {
        Ok((bytes, None)) => Ok(bytes),
        Ok((bytes, Some(total))) => Err(Reject {
            path: path.display().to_string(),
            line: None,
            reason: format!(
                "file is {}, more than the {} a document may have; split it into articles",
                human_bytes(total),
                human_bytes(MAX_DOCUMENT_BYTES as u64)
            ),
            raw: bytes[..REJECT_RAW_LIMIT].to_vec(),
        }),
        Err(e) => Err(Reject {
            path: path.display().to_string(),
            line: None,
            reason: format!("cannot read: {e}"),
            raw: Vec::new(),
        }),
    }
}

/// The encoding a byte-order mark at the start of `bytes` names, and the mark's length.
pub fn byte_order_mark(bytes: &[u8]) -> Option<(&'static encoding_rs::Encoding, usize)> {
    encoding_rs::Encoding::for_bom(bytes)
}

/// The name stored in `documents.encoding` for an encoding a byte-order mark names.
fn bom_encoding_name(encoding: &'static encoding_rs::Encoding) -> &'static str {
    if encoding == encoding_rs::UTF_16LE {
        "utf-16le"
    } else if encoding == encoding_rs::UTF_16BE {
        "utf-16be"
    } else {
        "utf-8"
    }
}

/// Decode bytes: by their byte-order mark (UTF-8, UTF-16 LE or BE; the mark is dropped),
/// else as UTF-8, or else as Windows-1252 (which decodes any byte sequence).
pub fn decode(bytes: &[u8]) -> (String, &'static str) {
    let bytes = match byte_order_mark(bytes) {
        Some((encoding, length)) if encoding != encoding_rs::UTF_8 => {
            let (text, _) = encoding.decode_without_bom_handling(&bytes[length..]);
            return (text.into_owned(), bom_encoding_name(encoding));
        }
        Some((_, length)) => &bytes[length..],
        None => bytes,
    };
    match std::str::from_utf8(bytes) {
        Ok(text) => (text.to_string(), "utf-8"),
        Err(_) => {
            let (text, _, _) = encoding_rs::WINDOWS_1252.decode(bytes);
            (text.into_owned(), "windows-1252")
        }
    }
}

fn looks_binary(bytes: &[u8]) -> bool {
    bytes.iter().take(8_192).any(|&b| b == 0)
}

fn read_text(
    path: &Path,
    reader: Box<dyn Read>,
    sink: &mut dyn FnMut(Record) -> Result<()>,
) -> Result<()> {
    let bytes = match read_whole(path, reader) {
        Ok(bytes) => bytes,
        Err(reject) => return sink(Record::Reject(reject)),
    };
    let utf16 = byte_order_mark(&bytes).is_some_and(|(e, _)| e != encoding_rs::UTF_8);
    if !utf16 && looks_binary(&bytes) {
        return sink(Record::Reject(Reject {
            path: path.display().to_string(),
            line: None,
            reason: "binary file (NUL bytes), not text".into(),
            raw: bytes[..bytes.len().min(REJECT_RAW_LIMIT)].to_vec(),
        }));
    }
    let (text, encoding) = decode(&bytes);
    let stem = path
        .file_name()
        .and_then(|n| n.to_str())
        .map(|n| n.split('.').next().unwrap_or(n).to_string())
        .unwrap_or_default();
    sink(Record::Document(Document {
        encoding,
        ..Document::new(stem, text, path.display().to_string())
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(paths: &[PathBuf]) -> (Vec<Document>, Vec<Reject>) {
        let mut docs = Vec::new();
        let mut rejects = Vec::new();
        read_all(paths, &mut |r| {
            match r {
                Record::Document(d) => docs.push(d),
                Record::Reject(r) | Record::Broken(r) => rejects.push(r),
            }
            Ok(())
        })
        .unwrap();
        (docs, rejects)
    }

    #[test]
    fn directories_recurse_in_name_order_and_count_other_files() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("sub")).unwrap();
        std::fs::write(dir.path().join("b.txt"), "B text.").unwrap();
        std::fs::write(dir.path().join("a.md"), "A text.").unwrap();
        std::fs::write(dir.path().join("sub/c.text"), "C text.").unwrap();
        std::fs::write(dir.path().join("notes.csv"), "x,y").unwrap();
        let mut ids = Vec::new();
        let skipped = read_all(&[dir.path().to_path_buf()], &mut |r| {
            if let Record::Document(d) = r {
                ids.push(d.id);
            }
            Ok(())
        })
        .unwrap();
        assert_eq!(ids, ["a", "b", "c"]);
        assert_eq!(skipped.other_files, [dir.path().join("notes.csv")]);
    }

    #[test]
    fn invalid_utf8_falls_back_to_windows_1252() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("latin.txt");
        std::fs::write(&path, b"Caf\xe9 in Bogot\xe1").unwrap();
        let (docs, rejects) = read(&[path]);
        assert!(rejects.is_empty());
        assert_eq!(docs[0].text, "Café in Bogotá");
        assert_eq!(docs[0].encoding, "windows-1252");
    }

    #[test]
    fn binary_files_are_rejected_with_reasons() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("blob.txt"), b"\x00\x01\x02PNG").unwrap();
        std::fs::write(dir.path().join("blob2.html"), b"\x00\x01\x02PNG").unwrap();
        let (docs, rejects) = read(&[dir.path().to_path_buf()]);
        assert!(docs.is_empty());
        let reasons: Vec<String> = rejects.iter().map(ToString::to_string).collect();
        assert_eq!(reasons.len(), 2);
        assert!(reasons[0].ends_with("blob.txt: binary file (NUL bytes), not text"));
        #[cfg(feature = "html")]
        assert!(reasons[1].ends_with("blob2.html: binary file (NUL bytes), not HTML"));
    }

    #[cfg(not(feature = "html"))]
    #[test]
    fn without_the_html_feature_html_files_are_rejected_with_a_reason() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("page.html"), "<html></html>").unwrap();
        let (docs, rejects) = read(&[dir.path().to_path_buf()]);
        assert!(docs.is_empty());
        assert!(
            rejects[0]
                .to_string()
                .contains("page.html: HTML input needs the `html` feature")
        );
    }

    #[cfg(feature = "html")]
    #[test]
    fn html_files_over_the_limit_are_rejected_and_pages_are_read() {
        let dir = tempfile::tempdir().unwrap();
        let big = std::fs::File::create(dir.path().join("a-big.html")).unwrap();
        big.set_len(MAX_DOCUMENT_BYTES as u64 + 1).unwrap();
        std::fs::write(
            dir.path().join("b-page.htm"),
            "<html><head><title>Page</title></head><body><p>Hezbollah attacked Israel.</p></body></html>",
        )
        .unwrap();
        let (docs, rejects) = read(&[dir.path().to_path_buf()]);
        assert_eq!(rejects.len(), 1);
        assert!(
            rejects[0]
                .to_string()
                .ends_with("a-big.html: file is 16.0 MB, more than the 16.0 MB a document may have; split it into articles")
        );
        assert_eq!(docs.len(), 1);
        assert_eq!(docs[0].id, "b-page");
        assert!(
            docs[0].text.contains("Hezbollah attacked Israel."),
            "{:?}",
            docs[0].text
        );
    }

    #[test]
    fn oversized_files_nul_bytes_and_broken_links_are_rejected_and_the_rest_is_read() {
        let dir = tempfile::tempdir().unwrap();
        let big = std::fs::File::create(dir.path().join("a-dump.txt")).unwrap();
        // A sparse file: 20 MB of NUL-free text would cost memory; the size is what counts.
        big.set_len(MAX_DOCUMENT_BYTES as u64 + 1).unwrap();
        std::fs::write(dir.path().join("b-nul.txt"), b"Hamas\x00attacked").unwrap();
        std::os::unix::fs::symlink(dir.path().join("gone.txt"), dir.path().join("c-link.txt"))
            .unwrap();
        std::fs::write(dir.path().join("d-good.txt"), "Hezbollah attacked Israel.").unwrap();
        let (docs, rejects) = read(&[dir.path().to_path_buf()]);
        assert_eq!(docs.len(), 1);
        assert_eq!(docs[0].id, "d-good");
        let reasons: Vec<String> = rejects.iter().map(ToString::to_string).collect();
        assert_eq!(reasons.len(), 3, "{reasons:?}");
        assert!(
            reasons[0].ends_with("a-dump.txt: file is 16.0 MB, more than the 16.0 MB a document may have; split it into articles"),
            "{reasons:?}"
        );
        assert!(reasons[1].ends_with("b-nul.txt: binary file (NUL bytes), not text"));
        assert!(
            reasons[2].contains("c-link.txt: cannot read"),
            "{reasons:?}"
        );
        assert!(rejects[0].raw.len() <= REJECT_RAW_LIMIT);
    }

    #[test]
    fn a_named_file_of_unknown_kind_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("photo.jpg");
        std::fs::write(&path, b"...").unwrap();
        let err = read_all(&[path], &mut |_| Ok(())).unwrap_err();
        assert!(err.to_string().contains("photo.jpg: not an article file"));
    }

    #[test]
    fn gzip_jsonl_is_read() {
        use std::io::Write;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("docs.jsonl.gz");
        let mut gz = flate2::write::GzEncoder::new(
            std::fs::File::create(&path).unwrap(),
            flate2::Compression::fast(),
        );
        gz.write_all(b"{\"id\":\"x\",\"text\":\"Hello.\"}\n")
            .unwrap();
        gz.finish().unwrap();
        let (docs, _) = read(&[path]);
        assert_eq!(docs[0].id, "x");
    }

    #[test]
    fn issue_15_a_byte_order_mark_before_bytes_that_are_not_utf8_falls_back_to_windows_1252() {
        assert_eq!(
            decode(b"\xef\xbb\xbfCaf\xe9"),
            ("Caf\u{e9}".to_string(), "windows-1252")
        );
        assert_eq!(decode(b"\xff\xfe"), (String::new(), "utf-16le"));
        assert_eq!(decode(b""), (String::new(), "utf-8"));
    }

    #[test]
    fn issue_15_an_empty_or_truncated_gzip_file_is_a_reject_naming_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let empty = dir.path().join("a-empty.jsonl.gz");
        std::fs::write(&empty, b"").unwrap();
        let cut = dir.path().join("b-cut.jsonl.gz");
        std::fs::write(&cut, &[0x1f, 0x8b, 0x08, 0x00][..]).unwrap();
        let mut broken = Vec::new();
        let mut documents = 0;
        read_all(&[dir.path().to_path_buf()], &mut |r| {
            match r {
                Record::Broken(reject) => broken.push(reject.to_string()),
                Record::Document(_) => documents += 1,
                Record::Reject(reject) => panic!("{reject}"),
            }
            Ok(())
        })
        .unwrap();
        // An empty file is no gzip stream either (`gzip -t` says the same).
        assert_eq!(documents, 0);
        assert_eq!(broken.len(), 2, "{broken:?}");
        assert!(
            broken[0].contains("a-empty.jsonl.gz:1: damaged or incomplete gzip data"),
            "{broken:?}"
        );
        assert!(
            broken[1].contains("b-cut.jsonl.gz:1: damaged or incomplete gzip data"),
            "{broken:?}"
        );
    }
}
