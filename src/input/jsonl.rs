//! JSONL documents: one JSON object a line with `id` and `text` required; `title`, `url`,
//! `published` (or `date`) and `source` optional. A bad line becomes a reject naming its
//! line number; the rest of the file is still read.

use super::{Document, REJECT_RAW_LIMIT, Record, Reject, decode};
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
        let read = match reader.read_until(b'\n', &mut buffer) {
            Ok(read) => read,
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
