//! Crash-safe file writes: a temporary file in the same folder, synced, then renamed over the
//! final name, so a reader never sees half a file, whatever happens mid-write.

use super::{Action, LibraryError, Reason};
use std::io::{Read, Write};
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

/// The most a small file of Easel's is read of (`library.json`, a picture's details, what was
/// learnt about endpoints, a move's mark): each is a few kilobytes; a details file holds at most
/// two prompts of 32,000 characters.
pub const SMALL_FILE: u64 = 4 << 20;

/// The most a picture file is read of: far above any picture a model makes (a 4K PNG is about
/// 25 MB), as large as the answer a relay may send.
pub const PICTURE_FILE: u64 = 512 << 20;

/// Reads the regular file at `path` whole, if it holds at most `limit` bytes. Anything else is
/// refused before a byte is read: a FIFO or a device (`/dev/zero`) would hang or grow without
/// end, and a file of gigabytes would take as much memory. A file that grows while it is read is
/// cut at `limit` and refused. Blocking: never on the UI thread.
pub fn read_bounded(path: &Path, limit: u64) -> Result<Vec<u8>, LibraryError> {
    let refused = |reason| LibraryError::Io { action: Action::Read, path: path.to_path_buf(), reason };
    let io = |e: std::io::Error| match e.kind() {
        std::io::ErrorKind::NotFound => refused(Reason::NoFile),
        _ => LibraryError::io(Action::Read, path, &e),
    };
    let check = |md: &std::fs::Metadata| {
        if !md.is_file() {
            Err(refused(Reason::NotAFile))
        } else if md.len() > limit {
            Err(refused(Reason::TooLarge { bytes: md.len(), limit }))
        } else {
            Ok(md.len())
        }
    };
    // Checked before it is opened: opening a FIFO waits for a writer.
    check(&std::fs::metadata(path).map_err(io)?)?;
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    // Should it have become a FIFO since, opening it does not wait (reading a regular file is
    // not changed by the flag).
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::custom_flags(&mut options, libc::O_NONBLOCK);
    let file = options.open(path).map_err(io)?;
    let len = check(&file.metadata().map_err(io)?)?;
    let mut bytes = Vec::with_capacity(usize::try_from(len).unwrap_or(0));
    file.take(limit.saturating_add(1)).read_to_end(&mut bytes).map_err(io)?;
    if bytes.len() as u64 > limit {
        return Err(refused(Reason::TooLarge { bytes: bytes.len() as u64, limit }));
    }
    Ok(bytes)
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
    fn bounded_reads_refuse_what_is_not_a_small_regular_file() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.json");
        std::fs::write(&p, b"12345").unwrap();
        assert_eq!(read_bounded(&p, 5).unwrap(), b"12345");
        let too_large = read_bounded(&p, 4).unwrap_err();
        assert!(matches!(&too_large, LibraryError::Io { reason: Reason::TooLarge { bytes: 5, limit: 4 }, .. }));
        let folder = read_bounded(dir.path(), 4).unwrap_err();
        assert!(matches!(folder, LibraryError::Io { reason: Reason::NotAFile, .. }), "{folder:?}");
        #[cfg(unix)]
        {
            let device = read_bounded(Path::new("/dev/zero"), 1 << 20).unwrap_err();
            assert!(matches!(device, LibraryError::Io { reason: Reason::NotAFile, .. }), "{device:?}");
            // A FIFO with no writer: refused at once, not waited on.
            let fifo = dir.path().join("fifo");
            assert!(std::process::Command::new("mkfifo").arg(&fifo).status().unwrap().success());
            let e = read_bounded(&fifo, 1 << 20).unwrap_err();
            assert!(matches!(e, LibraryError::Io { reason: Reason::NotAFile, .. }), "{e:?}");
        }
        let text = crate::i18n::with(crate::i18n::Lang::En, || too_large.to_string());
        assert!(text.contains("it is larger than Easel reads (5 bytes; at most 4 bytes)"), "{text}");
    }

    #[test]
    fn failed_write_says_where() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("missing-folder").join("a.png");
        let e = write_atomic(&p, b"x").unwrap_err().to_string();
        assert!(e.contains("a.png") && e.contains("folder does not exist"), "{e}");
    }
}
