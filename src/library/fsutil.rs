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
        remove_leftover(&tmp);
    })?;
    std::fs::rename(&tmp, path).map_err(|e| {
        remove_leftover(&tmp);
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
        remove_leftover(&tmp);
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

/// Removes a file Easel made and no longer needs (a temporary file, a stale thumbnail). Failing
/// costs only disk space, so it is logged, not shown; a file already gone is no failure.
pub(crate) fn remove_leftover(path: &Path) {
    match std::fs::remove_file(path) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => log::debug!("{} could not be removed: {e}", path.display()),
    }
}

/// Makes the rename itself durable (on Unix a directory must be synced for that; elsewhere the
/// rename is durable by itself and `path` goes unused).
#[cfg_attr(not(unix), allow(unused_variables))]
pub(crate) fn sync_parent(path: &Path) {
    #[cfg(unix)]
    if let Some(dir) = path.parent()
        && let Ok(d) = std::fs::File::open(dir)
        && let Err(e) = d.sync_all()
    {
        // The rename is done; only its durability across a power cut is less certain.
        log::debug!("{} could not be synced: {e}", dir.display());
    }
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
            remove_leftover(&entry.path());
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
