//! Crash-safe file writes: a temporary file in the same folder, synced, then renamed over the
//! final name, so a reader never sees half a file, whatever happens mid-write.

use super::{Action, LibraryError};
use std::io::Write;
use std::path::Path;
use std::time::{Duration, SystemTime};

/// Temporary files end with this; they start with a dot so file browsers hide them.
const TEMP_SUFFIX: &str = ".part";

/// Writes `bytes` to `path` atomically, replacing any file there.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), LibraryError> {
    let tmp = temp_path(path);
    write_synced(&tmp, path, bytes).inspect_err(|_| {
        let _ = std::fs::remove_file(&tmp);
    })?;
    std::fs::rename(&tmp, path).map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        LibraryError::io(Action::Save, path, &e)
    })?;
    sync_parent(path);
    Ok(())
}

/// Writes `bytes` to a temporary file beside `final_path` and returns its path; the caller
/// moves it into place. Used where the final name must not overwrite an existing file.
pub(crate) fn write_temp_beside(final_path: &Path, bytes: &[u8]) -> Result<std::path::PathBuf, LibraryError> {
    let tmp = temp_path(final_path);
    write_synced(&tmp, final_path, bytes).inspect_err(|_| {
        let _ = std::fs::remove_file(&tmp);
    })?;
    Ok(tmp)
}

fn temp_path(path: &Path) -> std::path::PathBuf {
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let tag: String = (0..6).map(|_| fastrand::alphanumeric()).collect();
    path.with_file_name(format!(".{name}.{tag}{TEMP_SUFFIX}"))
}

/// Errors name `shown`, the file the user asked for, not the temporary one.
fn write_synced(tmp: &Path, shown: &Path, bytes: &[u8]) -> Result<(), LibraryError> {
    let err = |e: std::io::Error| LibraryError::io(Action::Save, shown, &e);
    let mut f = std::fs::OpenOptions::new().write(true).create_new(true).open(tmp).map_err(err)?;
    f.write_all(bytes).map_err(err)?;
    f.sync_all().map_err(err)
}

/// Makes the rename itself durable (on Unix a directory must be synced for that).
pub(crate) fn sync_parent(path: &Path) {
    #[cfg(unix)]
    if let Some(dir) = path.parent()
        && let Ok(d) = std::fs::File::open(dir)
    {
        let _ = d.sync_all();
    }
    #[cfg(not(unix))]
    let _ = path;
}

/// Removes temporary files left by a crash. Only old ones: another Easel (the terminal front
/// end, say) may be writing one right now.
pub(crate) fn remove_stale_temp_files(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    let cutoff = SystemTime::now() - Duration::from_secs(15 * 60);
    for entry in entries.flatten() {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if !(name.starts_with('.') && name.ends_with(TEMP_SUFFIX)) {
            continue;
        }
        let old = entry.metadata().and_then(|m| m.modified()).is_ok_and(|t| t < cutoff);
        if old {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn atomic_write_replaces_and_leaves_no_temp() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.json");
        write_atomic(&p, b"one").unwrap();
        write_atomic(&p, b"two").unwrap();
        assert_eq!(std::fs::read(&p).unwrap(), b"two");
        let names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(names, vec![std::ffi::OsString::from("a.json")]);
    }

    #[test]
    fn failed_write_says_where() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("missing-folder").join("a.png");
        let e = write_atomic(&p, b"x").unwrap_err().to_string();
        assert!(e.contains("a.png") && e.contains("folder does not exist"), "{e}");
    }
}
