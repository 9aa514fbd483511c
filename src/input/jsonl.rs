//! JSONL documents: one JSON object a line with `id` and `text` required; `title`, `url`,
//! `published` (or `date`) and `source` optional. A bad line becomes a reject naming its
//! line number; the rest of the file is still read.

use super::{Document, MAX_DOCUMENT_BYTES, REJECT_RAW_LIMIT, Record, Reject, decode, human_bytes};
use crate::error::Result;
use serde_json::Value;
use std::io::BufRead;
use std::path::Path;

pub(super) fn read(
    path: &Path,
    mut reader: impl BufRead,
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
                // A truncated gzip stream or an I/O error: keep what was read, say where it stopped.
                return sink(Record::Reject(Reject {
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
            Ok(document) => Record::Document(document),
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

fn optional_string(object: &serde_json::Map<String, Value>, key: &str) -> Option<String> {
    match object.get(key)? {
        Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn parse_line(path: &Path, line: usize, raw: &[u8]) -> Result<Document, String> {
    let (text, encoding) = decode(raw);
    let value: Value = serde_json::from_str(&text)
        .map_err(|e| format!("not valid JSON (column {}): {e}", e.column()))?;
    let Value::Object(object) = value else {
        return Err("not a JSON object".into());
    };
    let id = match object.get("id") {
        Some(Value::String(s)) if !s.trim().is_empty() => s.trim().to_string(),
        Some(Value::Number(n)) => n.to_string(),
        Some(_) => return Err("`id` must be a non-empty string or a number".into()),
        None => return Err("missing `id`".into()),
    };
    let text = match object.get("text") {
        Some(Value::String(s)) => s.clone(),
        Some(_) => return Err("`text` must be a string".into()),
        None => return Err("missing `text`".into()),
    };
    Ok(Document {
        id,
        text,
        title: optional_string(&object, "title"),
        url: optional_string(&object, "url"),
        published: optional_string(&object, "published")
            .or_else(|| optional_string(&object, "date")),
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
                Record::Reject(r) => Err(r.to_string()),
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
        assert!(errors[0].starts_with("in.jsonl:1: not valid JSON (column 2)"));
        assert_eq!(errors[1], "in.jsonl:2: not a JSON object");
        assert_eq!(errors[2], "in.jsonl:3: missing `id`");
        assert_eq!(errors[3], "in.jsonl:4: missing `text`");
        assert_eq!(errors[4], "in.jsonl:5: `text` must be a string");
        assert_eq!(out[5].as_ref().unwrap().id, "ok");
    }
}
