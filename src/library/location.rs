//! Where the pictures live, and moving them somewhere else.
//!
//! `library.json` in the data folder names the pictures folder when the user moved it (the
//! terminal front end reads it too). A move first records where it is going and where from,
//! then moves the files one by one, then records that it is done; a move cut short by a crash
//! is finished at the next start, so no picture is ever left behind in a folder no one reads.

use super::fsutil::{sync_parent, write_atomic};
use super::{Action, Library, LibraryError, Reason};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// The name of the folder made inside a chosen folder that already holds other files.
const SUBFOLDER: &str = "Easel pictures";

#[derive(Debug, Default, Serialize, Deserialize)]
pub(super) struct Location {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub images_dir: Option<PathBuf>,
    /// Set while a move is under way.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub moving_from: Option<PathBuf>,
}

/// `library.json` is there but cannot be read, so where the pictures are is unknown: Easel uses
/// the default folder, `fallback`, and says so, rather than show an empty library in silence.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", words::damaged(&file.display().to_string(), &fallback.display().to_string()))]
pub struct LocationProblem {
    pub file: PathBuf,
    pub fallback: PathBuf,
}

impl Location {
    /// What `library.json` says; the default (pictures in `images/`) when there is none.
    pub(super) fn read(root: &Path) -> Result<Location, LocationProblem> {
        let file = root.join("library.json");
        let problem = || LocationProblem { file: file.clone(), fallback: root.join("images") };
        match std::fs::read(&file) {
            Ok(bytes) => serde_json::from_slice(&bytes).map_err(|e| {
                log::warn!("{} is damaged: {e}", file.display());
                problem()
            }),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Location::default()),
            Err(e) => {
                log::warn!("{} cannot be read: {e}", file.display());
                Err(problem())
            }
        }
    }

    fn write(&self, root: &Path) -> Result<(), LibraryError> {
        let file = root.join("library.json");
        // JSON holds only UTF-8: a folder name that is not (possible on Linux) cannot be recorded.
        let json = serde_json::to_vec_pretty(self).map_err(|e| LibraryError::io(Action::Save, &file, &e.into()))?;
        write_atomic(&file, &json)
    }
}

/// What a move did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Moved {
    /// The new pictures folder.
    pub folder: PathBuf,
    pub files: usize,
}

impl Library {
    /// Moves every picture and its details into `target` (or into a new "Easel pictures"
    /// folder inside it, when it already holds other files), and uses it from now on.
    /// Do not run it while pictures are being saved.
    pub fn move_to(&self, target: &Path) -> Result<Moved, LibraryError> {
        let from = self.images_dir();
        let target = std::path::absolute(target).unwrap_or_else(|_| target.to_path_buf());
        if target.to_str().is_none() {
            // Refused before anything moves: the new place could not be written down.
            let reason = Reason::NameNotRecordable;
            return Err(LibraryError::Io { action: Action::MovePicturesInto, path: target, reason });
        }
        if target == from {
            return Ok(Moved { folder: target, files: 0 });
        }
        if target.starts_with(&from) {
            return Err(LibraryError::Io {
                action: Action::MovePicturesInto,
                path: target,
                reason: Reason::InsideCurrentFolder,
            });
        }
        let has_files = std::fs::read_dir(&target)
            .is_ok_and(|mut d| d.any(|e| e.is_ok_and(|e| !e.file_name().to_string_lossy().starts_with('.'))));
        let target = if has_files { target.join(SUBFOLDER) } else { target };
        std::fs::create_dir_all(&target).map_err(|e| LibraryError::io(Action::CreateFolder, &target, &e))?;
        Location { images_dir: Some(target.clone()), moving_from: Some(from.clone()) }.write(self.root())?;
        let files = move_files(&from, &target)?;
        self.set_images_dir(target.clone());
        Location { images_dir: Some(target.clone()), moving_from: None }.write(self.root())?;
        // Only an empty folder goes; anything else the user put there stays.
        remove_if_empty(&from);
        Ok(Moved { folder: target, files })
    }

    /// Finishes a move a crash cut short.
    pub(super) fn finish_interrupted_move(&self) -> Result<(), LibraryError> {
        let Ok(location) = Location::read(self.root()) else { return Ok(()) };
        let (Some(to), Some(from)) = (location.images_dir, location.moving_from) else { return Ok(()) };
        if from.is_dir() {
            move_files(&from, &to)?;
            remove_if_empty(&from);
        }
        Location { images_dir: Some(to), moving_from: None }.write(self.root())
    }
}

/// Removes a folder the pictures were moved out of, if nothing else is left in it.
fn remove_if_empty(folder: &Path) {
    if let Err(e) = std::fs::remove_dir(folder) {
        log::info!("{} stays (it is not empty): {e}", folder.display());
    }
}

/// Moves the visible files of `from` into `to`: a rename where both are on one disk, else a
/// synced copy first and the original removed only after. Never overwrites a file in `to`.
fn move_files(from: &Path, to: &Path) -> Result<usize, LibraryError> {
    let entries = std::fs::read_dir(from).map_err(|e| LibraryError::io(Action::ReadFolder, from, &e))?;
    let mut moved = 0;
    for entry in entries.flatten() {
        let name = entry.file_name();
        if name.to_string_lossy().starts_with('.') || !entry.file_type().is_ok_and(|t| t.is_file()) {
            continue;
        }
        let (src, dst) = (entry.path(), to.join(&name));
        if dst.exists() {
            // Already there (a finished part of an interrupted move): keep both rather than guess.
            continue;
        }
        if std::fs::rename(&src, &dst).is_err() {
            let bytes = std::fs::read(&src).map_err(|e| LibraryError::io(Action::Read, &src, &e))?;
            write_atomic(&dst, &bytes)?;
            std::fs::remove_file(&src).map_err(|e| LibraryError::io(Action::Remove, &src, &e))?;
        }
        moved += 1;
    }
    sync_parent(&to.join("x"));
    Ok(moved)
}

mod words {
    crate::formats! { WITH_VALUES;
        damaged(file: &str, fallback: &str) => "Easel could not read where your pictures are kept ({file} is damaged), so it shows the pictures in {fallback}. If you had moved your pictures, they are still where you put them: choose that folder again with Move… in Settings.",
            "Easel 无法读取图片的存放位置（{file} 已损坏），因此显示的是 {fallback} 中的图片。如果你移动过图片，它们仍在你放置的地方：请在“设置”中用“移动…”重新选择那个文件夹。";
    }

    #[cfg(test)]
    #[test]
    fn every_text_is_translated() {
        let problems = crate::i18n::untranslated(&[WITH_VALUES], &[]);
        assert!(problems.is_empty(), "{problems:#?}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn library_with_files(dir: &Path) -> Library {
        let lib = Library::open(dir.join("data")).unwrap();
        for name in ["a-1.png", "a-1.json", "b-1.jpg", "b-1.json"] {
            std::fs::write(lib.images_dir().join(name), name.as_bytes()).unwrap();
        }
        lib
    }

    #[test]
    fn a_move_takes_every_file_and_is_remembered() {
        let dir = tempfile::tempdir().unwrap();
        let lib = library_with_files(dir.path());
        let old = lib.images_dir();
        let target = dir.path().join("elsewhere");
        let moved = lib.move_to(&target).unwrap();
        assert_eq!(moved, Moved { folder: target.clone(), files: 4 });
        assert_eq!(lib.images_dir(), target);
        assert!(!old.exists(), "the emptied folder is removed");
        assert_eq!(std::fs::read(target.join("b-1.jpg")).unwrap(), b"b-1.jpg");
        let reopened = Library::open(dir.path().join("data")).unwrap();
        assert_eq!(reopened.images_dir(), target, "the terminal and the next start use the new folder");
        assert_eq!(reopened.history().unwrap().len(), 2);
    }

    #[test]
    fn a_folder_with_other_files_gets_a_subfolder() {
        let dir = tempfile::tempdir().unwrap();
        let lib = library_with_files(dir.path());
        let target = dir.path().join("Pictures");
        std::fs::create_dir_all(&target).unwrap();
        std::fs::write(target.join("holiday.jpg"), b"mine").unwrap();
        let moved = lib.move_to(&target).unwrap();
        assert_eq!(moved.folder, target.join(SUBFOLDER));
        assert_eq!(std::fs::read(target.join("holiday.jpg")).unwrap(), b"mine");
        assert!(lib.move_to(&moved.folder.join("inner")).is_err(), "not into itself");
    }

    #[test]
    fn a_move_cut_short_is_finished_at_the_next_start() {
        let dir = tempfile::tempdir().unwrap();
        let lib = library_with_files(dir.path());
        let old = lib.images_dir();
        let target = dir.path().join("new");
        std::fs::create_dir_all(&target).unwrap();
        // As if the process died after moving one file.
        std::fs::rename(old.join("a-1.png"), target.join("a-1.png")).unwrap();
        Location { images_dir: Some(target.clone()), moving_from: Some(old.clone()) }.write(lib.root()).unwrap();
        let reopened = Library::open(dir.path().join("data")).unwrap();
        assert_eq!(reopened.history().unwrap().len(), 2);
        assert_eq!(std::fs::read_dir(&target).unwrap().count(), 4);
        assert!(Location::read(lib.root()).unwrap().moving_from.is_none());
    }
}
