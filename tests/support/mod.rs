//! Helpers shared by the integration tests.

use std::io::Write;
use std::path::PathBuf;

/// `../shared/<relative>` when it is there. Without it, a plain clone's `cargo test`
/// passes: the caller skips and says so. Under CI (`CI=true`) the data must be there.
#[allow(dead_code)] // not every test target that has this module reads the shared data
pub fn shared(relative: &str) -> Option<PathBuf> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../shared")
        .join(relative);
    if path.exists() {
        return Some(path);
    }
    assert!(
        std::env::var_os("CI").is_none_or(|ci| ci != "true"),
        "{}: the shared data must be beside the repository under CI",
        path.display()
    );
    skipped(&format!(
        "{} is not there (the shared data is not beside the repository)",
        path.display()
    ));
    None
}

/// Say on the terminal that a test skipped something, and why.
pub fn skipped(what: &str) {
    // Straight to the stream: the test harness captures `eprintln!` of passing tests.
    let _ = writeln!(std::io::stderr(), "SKIPPED: {what}");
}
