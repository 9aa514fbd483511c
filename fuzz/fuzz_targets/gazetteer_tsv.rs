//! The gazetteer parser: any bytes either load or give an error that names the file and
//! a line and column, never a panic.
#![no_main]
use libfuzzer_sys::fuzz_target;
use newsgraph::gazetteer::Gazetteer;

fuzz_target!(|data: &[u8]| {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("g.tsv");
    std::fs::write(&path, data).unwrap();
    if let Err(error) = Gazetteer::load_files(&[path], Default::default()) {
        let message = error.to_string();
        assert!(message.contains("g.tsv"), "{message}");
    }
});
