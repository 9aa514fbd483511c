//! One build at a time per output folder. Two builds writing one database race: the
//! slower one dies on "database is locked" part way, and both rewrite the same graph
//! files. A build takes an exclusive advisory lock on `.newsgraph.lock` in `--out`
//! (released when the process ends, however it ends) and writes its process id there, so
//! a second build is refused at once with a message naming the first.

use crate::error::{Error, Result};
use std::io::{Read, Seek, Write};
use std::path::Path;

/// The lock file's name in the output folder.
pub const LOCK_FILE: &str = ".newsgraph.lock";

/// The held lock; dropping it releases it.
#[derive(Debug)]
pub struct OutputLock {
    _file: std::fs::File,
}

impl OutputLock {
    /// Lock the folder `out`, or say which process holds it.
    pub fn take(out: &Path) -> Result<OutputLock> {
        let path = out.join(LOCK_FILE);
        let mut file = std::fs::File::options()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)
            .map_err(|e| Error::io(&path, e))?;
        match file.try_lock() {
            Ok(()) => {}
            Err(std::fs::TryLockError::WouldBlock) => {
                let mut holder = String::new();
                let _ = file.read_to_string(&mut holder);
                let holder = holder.trim();
                return Err(Error::Config(format!(
                    "{}: another newsgraph build is writing into this folder ({}); wait for \
                     it to finish, or build into another --out",
                    out.display(),
                    if holder.is_empty() {
                        "its process id is not known yet".to_string()
                    } else {
                        format!("process {holder}")
                    }
                )));
            }
            Err(std::fs::TryLockError::Error(e)) => return Err(Error::io(&path, e)),
        }
        let held = (|| {
            file.set_len(0)?;
            file.rewind()?;
            writeln!(file, "{}", std::process::id())
        })();
        held.map_err(|e| Error::io(&path, e))?;
        Ok(OutputLock { _file: file })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn issue_15_a_second_lock_on_one_folder_is_refused_naming_the_holder() {
        let dir = tempfile::tempdir().unwrap();
        let first = OutputLock::take(dir.path()).unwrap();
        let refused = OutputLock::take(dir.path()).unwrap_err().to_string();
        assert!(
            refused.contains(&format!(
                "another newsgraph build is writing into this folder (process {})",
                std::process::id()
            )),
            "{refused}"
        );
        drop(first);
        OutputLock::take(dir.path()).expect("free again once the first is dropped");
    }
}
