//! The input decoder: any bytes decode (by their byte-order mark, as UTF-8, or the
//! Windows-1252 fallback) and the JSONL reader turns any bytes into documents and rejects,
//! never a panic.
#![no_main]
use libfuzzer_sys::fuzz_target;
use newsgraph::input::{Record, decode, read_all};

fuzz_target!(|data: &[u8]| {
    let (text, encoding) = decode(data);
    assert!(["utf-8", "utf-16le", "utf-16be", "windows-1252"].contains(&encoding));
    if encoding == "utf-8" {
        let body = data.strip_prefix(b"\xef\xbb\xbf").unwrap_or(data);
        assert_eq!(text.as_bytes(), body);
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("in.jsonl");
    std::fs::write(&path, data).unwrap();
    let mut records = 0;
    read_all(&[path], &mut |record| {
        if let Record::Reject(reject) | Record::Broken(reject) = &record {
            assert!(reject.line.is_some());
        }
        records += 1;
        Ok(())
    })
    .unwrap();
});
