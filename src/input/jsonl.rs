//! JSONL documents: one JSON object a line with `id` and `text` required; `title`, `url`,
//! `published` (or `date`) and `source` optional. A bad line becomes a reject naming its
//! line number; the rest of the file is still read.
//!
//! The rules are strict where a lenient reading would lose or mix up data: a key given
//! twice, an `id` that is a fraction, and a lone UTF-16 surrogate escape (`"\ud800"`, not a
//! character) reject the line with a reason. A byte-order mark opens the file as UTF-8 or
//! UTF-16 (LE or BE); without one, each line is UTF-8, or Windows-1252 when it is not.

use super::{Document, MAX_DOCUMENT_BYTES, REJECT_RAW_LIMIT, Record, Reject, decode, human_bytes};
use crate::error::Result;
use serde::de::{Deserialize, Deserializer, Error as _, MapAccess, Visitor};
use serde_json::{Map, Value};
use std::io::BufRead;
use std::path::Path;

/// Read a JSONL stream. A byte-order mark at its start is dropped; a UTF-16 stream is
/// transcoded to UTF-8 as it is read, and its documents record the encoding.
pub(super) fn read(
    path: &Path,
    mut reader: impl BufRead,
    sink: &mut dyn FnMut(Record) -> Result<()>,
) -> Result<()> {
    let start = match reader.fill_buf() {
        Ok(start) => start,
        Err(e) => {
            return sink(Record::Broken(Reject {
                path: path.display().to_string(),
                line: Some(1),
                reason: format!("cannot read: {e}"),
                raw: Vec::new(),
            }));
        }
    };
    match super::byte_order_mark(start) {
        Some((encoding, length)) if encoding == encoding_rs::UTF_8 => {
            reader.consume(length);
            read_lines(path, reader, None, sink)
        }
        Some((encoding, _)) => {
            let name = super::bom_encoding_name(encoding);
            let utf8 = encoding_rs_io::DecodeReaderBytesBuilder::new()
                .bom_sniffing(true)
                .build(reader.take(u64::MAX));
            read_lines(path, std::io::BufReader::new(utf8), Some(name), sink)
        }
        None => read_lines(path, reader, None, sink),
    }
}

fn read_lines(
    path: &Path,
    mut reader: impl BufRead,
    encoding: Option<&'static str>,
    sink: &mut dyn FnMut(Record) -> Result<()>,
) -> Result<()> {
    let mut line_no = 0;
    let mut buffer = Vec::new();
    loop {
        buffer.clear();
        let read = match read_line_limited(&mut reader, &mut buffer, MAX_DOCUMENT_BYTES) {
            Ok(Line::Over(total)) => {
                line_no += 1;
                sink(Record::Reject(Reject {
                    path: path.display().to_string(),
                    line: Some(line_no),
                    reason: format!(
                        "line is {}, more than the {} a document may have",
                        human_bytes(total),
                        human_bytes(MAX_DOCUMENT_BYTES as u64)
                    ),
                    raw: buffer[..buffer.len().min(REJECT_RAW_LIMIT)].to_vec(),
                }))?;
                continue;
            }
            Ok(Line::Read(read)) => read,
            Err(e) => {
                // An I/O error part way: keep what was read, say where it stopped.
                return sink(Record::Broken(Reject {
                    path: path.display().to_string(),
                    line: Some(line_no + 1),
                    reason: format!("cannot read further: {e}"),
                    raw: Vec::new(),
                }));
            }
        };
        if read == 0 {
            return Ok(());
        }
        line_no += 1;
        let raw = buffer.strip_suffix(b"\n").unwrap_or(&buffer);
        let raw = raw.strip_suffix(b"\r").unwrap_or(raw);
        if raw.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        let record = match parse_line(path, line_no, raw) {
            Ok(mut document) => {
                if let Some(encoding) = encoding {
                    document.encoding = encoding;
                }
                Record::Document(document)
            }
            Err(reason) => Record::Reject(Reject {
                path: path.display().to_string(),
                line: Some(line_no),
                reason,
                raw: raw[..raw.len().min(REJECT_RAW_LIMIT)].to_vec(),
            }),
        };
        sink(record)?;
    }
}

enum Line {
    /// Bytes read, newline included (0 at the end of the input).
    Read(usize),
    /// The line was longer than the limit: its total length. The buffer holds its start.
    Over(u64),
}

/// `read_until(b'\n')` that keeps at most `limit` bytes of a line and skips the rest.
fn read_line_limited(
    reader: &mut impl BufRead,
    buffer: &mut Vec<u8>,
    limit: usize,
) -> std::io::Result<Line> {
    let mut total: u64 = 0;
    loop {
        let available = match reader.fill_buf() {
            Ok(available) => available,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if available.is_empty() {
            break;
        }
        let (chunk, done) = match available.iter().position(|&b| b == b'\n') {
            Some(at) => (&available[..=at], true),
            None => (available, false),
        };
        let take = chunk.len().min(limit.saturating_sub(buffer.len()));
        buffer.extend_from_slice(&chunk[..take]);
        let used = chunk.len();
        total += used as u64;
        reader.consume(used);
        if done {
            break;
        }
    }
    if total > limit as u64 + 1 {
        Ok(Line::Over(total))
    } else {
        Ok(Line::Read(total as usize))
    }
}

fn optional_string(object: &Map<String, Value>, key: &str) -> Option<String> {
    match object.get(key)? {
        Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// A JSON object whose keys are all different: a line with `"text"` twice is refused, not
/// read as its last value.
struct StrictObject(Map<String, Value>);

impl<'de> Deserialize<'de> for StrictObject {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Keys;
        impl<'de> Visitor<'de> for Keys {
            type Value = StrictObject;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<StrictObject, A::Error> {
                let mut object = Map::new();
                while let Some(key) = map.next_key::<String>()? {
                    if object.contains_key(&key) {
                        return Err(A::Error::custom(format_args!("duplicate key `{key}`")));
                    }
                    let value = map.next_value()?;
                    object.insert(key, value);
                }
                Ok(StrictObject(object))
            }
        }
        deserializer.deserialize_map(Keys)
    }
}

/// The first `\uD800`–`\uDFFF` escape in a JSON text that is not half of a surrogate
/// pair: its 1-based column (in characters) and the escape.
fn lone_surrogate(json: &str) -> Option<(usize, &str)> {
    let bytes = json.as_bytes();
    let unit_at = |at: usize| -> Option<u16> {
        (bytes.get(at) == Some(&b'\\') && bytes.get(at + 1) == Some(&b'u'))
            .then(|| u16::from_str_radix(json.get(at + 2..at + 6)?, 16).ok())
            .flatten()
    };
    let mut at = 0;
    while at < bytes.len() {
        if bytes[at] != b'\\' {
            at += 1;
            continue;
        }
        let Some(unit) = unit_at(at) else {
            at += 2; // `\\`, `\"` ...: the escaped byte is not an escape itself
            continue;
        };
        match unit {
            0xD800..=0xDBFF if matches!(unit_at(at + 6), Some(0xDC00..=0xDFFF)) => at += 12,
            0xD800..=0xDFFF => return Some((json[..at].chars().count() + 1, &json[at..at + 6])),
            _ => at += 6,
        }
    }
    None
}

fn parse_line(path: &Path, line: usize, raw: &[u8]) -> Result<Document, String> {
    let (text, encoding) = decode(raw);
    let object = match serde_json::from_str::<StrictObject>(&text) {
        Ok(StrictObject(object)) => object,
        Err(e) => {
            if let Some((column, escape)) = lone_surrogate(&text) {
                return Err(format!(
                    "lone surrogate {escape} in a string at column {column}: half of a UTF-16 \
                     pair is not a character"
                ));
            }
            let message = e.to_string();
            if message.starts_with("invalid type") {
                return Err("not a JSON object".into());
            }
            // serde_json ends its message with "at line 1 column N"; the column goes first.
            let message = message.split(" at line ").next().unwrap_or(&message);
            if message.starts_with("duplicate key") {
                return Err(format!(
                    "{message} at column {}: each field may be given once",
                    e.column()
                ));
            }
            return Err(format!("not valid JSON (column {}): {message}", e.column()));
        }
    };
    let id = match object.get("id") {
        Some(Value::String(s)) if !s.trim().is_empty() => s.trim().to_string(),
        Some(Value::Number(n)) if n.is_i64() || n.is_u64() => n.to_string(),
        Some(_) => return Err("`id` must be a non-empty string or a whole number".into()),
        None => return Err("missing `id`".into()),
    };
    let text = match object.get("text") {
        Some(Value::String(s)) => s.clone(),
        Some(_) => return Err("`text` must be a string".into()),
        None => return Err("missing `text`".into()),
    };
    let published_raw =
        optional_string(&object, "published").or_else(|| optional_string(&object, "date"));
    Ok(Document {
        id,
        text,
        title: optional_string(&object, "title"),
        url: optional_string(&object, "url"),
        published: (published_raw.as_deref()).and_then(crate::text::dates::normalize),
        published_raw,
        published_from: Some(super::DateSource::Input),
        source: optional_string(&object, "source"),
        path: path.display().to_string(),
        line: Some(line),
        encoding,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(input: &[u8]) -> Vec<Result<Document, String>> {
        let mut out = Vec::new();
        read(Path::new("in.jsonl"), input, &mut |r| {
            out.push(match r {
                Record::Document(d) => Ok(d),
                Record::Reject(r) | Record::Broken(r) => Err(r.to_string()),
            });
            Ok(())
        })
        .unwrap();
        out
    }

    #[test]
    fn good_lines_become_documents_with_optional_fields() {
        let out = run(b"{\"id\":\"a\",\"text\":\"T\",\"title\":\"Head\",\"date\":\"2023-12-08\",\"url\":\"http://x\"}\n\n{\"id\":7,\"text\":\"U\"}\n");
        let a = out[0].as_ref().unwrap();
        assert_eq!(a.published.as_deref(), Some("2023-12-08"));
        assert_eq!(a.title.as_deref(), Some("Head"));
        assert_eq!(a.origin(), "in.jsonl:1");
        assert_eq!(out[1].as_ref().unwrap().id, "7");
    }

    #[test]
    fn a_line_over_the_limit_is_rejected_without_being_kept_and_the_rest_is_read() {
        let mut input = b"{\"id\":\"a\",\"text\":\"".to_vec();
        input.extend(std::iter::repeat_n(b'x', MAX_DOCUMENT_BYTES + 10));
        input.extend_from_slice(b"\"}\n{\"id\":\"b\",\"text\":\"fine\"}\n");
        let out = run(&input);
        assert_eq!(out.len(), 2);
        let error = out[0].as_ref().unwrap_err();
        assert!(
            error.starts_with("in.jsonl:1: line is 16.0 MB, more than the 16.0 MB"),
            "{error}"
        );
        assert_eq!(out[1].as_ref().unwrap().id, "b");
        assert_eq!(out[1].as_ref().unwrap().line, Some(2));
    }

    #[test]
    fn bad_lines_are_rejected_with_line_numbers_and_the_rest_is_read() {
        let out = run(b"{broken\n[1,2]\n{\"text\":\"no id\"}\n{\"id\":\"x\"}\n{\"id\":\"x\",\"text\":5}\n{\"id\":\"ok\",\"text\":\"fine\"}");
        let errors: Vec<&String> = out.iter().filter_map(|r| r.as_ref().err()).collect();
        assert_eq!(errors.len(), 5);
        assert!(
            errors[0].starts_with("in.jsonl:1: not valid JSON (column 2)"),
            "{}",
            errors[0]
        );
        assert_eq!(errors[1], "in.jsonl:2: not a JSON object");
        assert_eq!(errors[2], "in.jsonl:3: missing `id`");
        assert_eq!(errors[3], "in.jsonl:4: missing `text`");
        assert_eq!(errors[4], "in.jsonl:5: `text` must be a string");
        assert_eq!(out[5].as_ref().unwrap().id, "ok");
    }

    #[test]
    fn issue_15_a_byte_order_mark_does_not_lose_the_first_record() {
        let out =
            run(b"\xef\xbb\xbf{\"id\":\"a\",\"text\":\"T\"}\n{\"id\":\"b\",\"text\":\"U\"}\n");
        let ids: Vec<&str> = out
            .iter()
            .map(|r| r.as_ref().unwrap().id.as_str())
            .collect();
        assert_eq!(ids, ["a", "b"]);
        assert_eq!(out[0].as_ref().unwrap().encoding, "utf-8");
    }

    #[test]
    fn issue_15_utf16_jsonl_with_a_byte_order_mark_is_decoded() {
        let text =
            "{\"id\":\"a\",\"text\":\"Caf\u{e9} in Bogot\u{e1}\"}\n{\"id\":\"b\",\"text\":\"U\"}\n";
        for (bom, big_endian) in [([0xFF, 0xFE], false), ([0xFE, 0xFF], true)] {
            let mut bytes = bom.to_vec();
            for unit in text.encode_utf16() {
                bytes.extend(if big_endian {
                    unit.to_be_bytes()
                } else {
                    unit.to_le_bytes()
                });
            }
            let out = run(&bytes);
            let a = out[0].as_ref().unwrap();
            assert_eq!(a.text, "Caf\u{e9} in Bogot\u{e1}");
            assert_eq!(a.encoding, if big_endian { "utf-16be" } else { "utf-16le" });
            assert_eq!(out[1].as_ref().unwrap().line, Some(2));
        }
    }

    #[test]
    fn issue_15_duplicate_keys_fractional_ids_and_lone_surrogates_are_rejected_with_reasons() {
        let out = run(concat!(
            "{\"id\":\"a\",\"text\":\"T\",\"text\":\"U\"}\n",
            "{\"id\":1.5,\"text\":\"T\"}\n",
            "{\"id\":\"c\",\"text\":\"bad \\ud800 here\"}\n",
            "{\"id\":\"d\",\"text\":\"pair \\ud83d\\ude00 and \\\\ud800\"}\n",
            "{\"id\":-2,\"text\":\"T\"}\n",
        )
        .as_bytes());
        let error = |k: usize| out[k].as_ref().unwrap_err().as_str();
        assert!(
            error(0)
                == "in.jsonl:1: duplicate key `text` at column 27: each field may be given once",
            "{}",
            error(0)
        );
        assert_eq!(
            error(1),
            "in.jsonl:2: `id` must be a non-empty string or a whole number"
        );
        assert_eq!(
            error(2),
            "in.jsonl:3: lone surrogate \\ud800 in a string at column 23: half of a UTF-16 pair \
             is not a character"
        );
        assert_eq!(out[3].as_ref().unwrap().text, "pair \u{1F600} and \\ud800");
        assert_eq!(out[4].as_ref().unwrap().id, "-2");
    }

    #[test]
    fn issue_15_input_dates_are_stored_as_iso_and_kept_as_written() {
        let out = run(concat!(
            "{\"id\":\"a\",\"text\":\"T\",\"published\":\"26-FEB-1987 15:01:01.79\"}\n",
            "{\"id\":\"b\",\"text\":\"T\",\"date\":\"last week\"}\n",
        )
        .as_bytes());
        let a = out[0].as_ref().unwrap();
        assert_eq!(a.published.as_deref(), Some("1987-02-26"));
        assert_eq!(a.published_raw.as_deref(), Some("26-FEB-1987 15:01:01.79"));
        let b = out[1].as_ref().unwrap();
        assert_eq!(b.published, None);
        assert_eq!(b.published_raw.as_deref(), Some("last week"));
    }
}
