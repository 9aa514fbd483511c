//! HTML input: any bytes decode (BOM, `<meta charset>`, or the UTF-8/Windows-1252
//! fallback) and any page gives plain-text paragraphs, or a reject; never a panic.
#![no_main]
use libfuzzer_sys::fuzz_target;
use newsgraph::input::html::{decode_html, extract};
use newsgraph::input::{Record, read_all};

fuzz_target!(|data: &[u8]| {
    let (html, _) = decode_html(data);
    let page = extract(&html);
    for paragraph in page.text.split("\n\n") {
        assert_eq!(paragraph.trim(), paragraph);
    }
    if let Some(date) = &page.published {
        assert_eq!(date.len(), 10, "{date}");
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("page.html");
    std::fs::write(&path, data).unwrap();
    read_all(&[path], &mut |record| {
        if let Record::Document(document) = &record {
            assert!(document.line.is_none());
        }
        Ok(())
    })
    .unwrap();
});
