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

/// The file in the data folder that says where the pictures are.
const FILE: &str = "library.json";

/// What `library.json` says.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub(super) struct Location {
    /// The pictures folder as recorded: absolute, or relative to the data folder (a portable
    /// set-up); `None` (or an empty name) for the default, `images/` in the data folder.
    pub images_dir: Option<PathBuf>,
    /// Set while a move is under way.
    pub moving_from: MovingFrom,
}

/// Where a move under way started, as `library.json` records it.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub(super) enum MovingFrom {
    /// No move is under way.
    #[default]
    Nothing,
    /// From this folder, as recorded (absolute, or relative to the data folder).
    Folder(PathBuf),
    /// Something that is not a folder's name (a number, a list): which folder is unknown.
    Unreadable,
}

/// `library.json` as it is written. `moving_from` is read as any value, so that a damaged one
/// costs only the move it records, never where the pictures are.
#[derive(Serialize, Deserialize)]
struct OnDisk {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    images_dir: Option<PathBuf>,
    #[serde(default, skip_serializing_if = "serde_json::Value::is_null")]
    moving_from: serde_json::Value,
}

/// Something about `library.json` the user must be told, or a moved library looks lost.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LocationProblem {
    /// The file is there but cannot be read, so where the pictures are is unknown: Easel uses
    /// the default folder, `fallback`, and says so, rather than show an empty library in silence.
    #[error("{}", words::damaged(&file.display().to_string(), &fallback.display().to_string()))]
    Damaged { file: PathBuf, fallback: PathBuf },
    /// The file records a move under way but not the folder it started from, so the move cannot
    /// be finished; the pictures in `folder` are shown, and the record is forgotten.
    #[error("{}", words::move_unknown(&file.display().to_string(), &folder.display().to_string()))]
    MoveUnknown { file: PathBuf, folder: PathBuf },
    /// The file records a move from `from` into `folder`, one of them inside the other:
    /// finishing it could sweep files that are not pictures into `folder` (or the pictures
    /// folder into itself), so it is not finished; the pictures in `folder` are shown.
    #[error("{}", words::move_refused(&from.display().to_string(), &folder.display().to_string()))]
    MoveRefused { from: PathBuf, folder: PathBuf },
}

/// What to do about the move `library.json` records.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum Pending {
    /// No move is under way.
    Nothing,
    /// Move what is left in this folder into the pictures folder.
    Finish(PathBuf),
    /// There is nothing left to move (the folder is gone, or it is the pictures folder).
    Done,
    /// The move cannot be finished safely; the user is told why.
    Refused(LocationProblem),
}

/// `path` as recorded in `library.json`, made absolute against the data folder `root`.
fn resolve(root: &Path, path: &Path) -> PathBuf {
    if path.is_absolute() { path.to_path_buf() } else { root.join(path) }
}

impl Location {
    /// What `library.json` says; the default (pictures in `images/`) when there is none.
    pub(super) fn read(root: &Path) -> Result<Location, LocationProblem> {
        let file = root.join(FILE);
        let problem = || LocationProblem::Damaged { file: file.clone(), fallback: root.join("images") };
        let on_disk: OnDisk = match std::fs::read(&file) {
            Ok(bytes) => serde_json::from_slice(&bytes).map_err(|e| {
                log::warn!("{} is damaged: {e}", file.display());
                problem()
            })?,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Location::default()),
            Err(e) => {
                log::warn!("{} cannot be read: {e}", file.display());
                return Err(problem());
            }
        };
        let moving_from = match on_disk.moving_from {
            serde_json::Value::Null => MovingFrom::Nothing,
            serde_json::Value::String(s) if s.is_empty() => MovingFrom::Nothing,
            serde_json::Value::String(s) => MovingFrom::Folder(PathBuf::from(s)),
            other => {
                log::warn!("{} records a move from {other}, which is not a folder's name", file.display());
                MovingFrom::Unreadable
            }
        };
        let images_dir = on_disk.images_dir.filter(|p| !p.as_os_str().is_empty());
        Ok(Location { images_dir, moving_from })
    }

    /// The pictures folder, absolute: a relative name is taken inside the data folder `root`,
    /// never in whatever folder Easel happens to be started from.
    pub(super) fn images(&self, root: &Path) -> PathBuf {
        self.images_dir.as_deref().map_or_else(|| root.join("images"), |p| resolve(root, p))
    }

    /// What to do about the move under way, if there is one. A move is finished only from a
    /// folder apart from the pictures folder: `move_files` takes every file it finds there.
    pub(super) fn pending(&self, root: &Path) -> Pending {
        let folder = self.images(root);
        match &self.moving_from {
            MovingFrom::Nothing => Pending::Nothing,
            MovingFrom::Unreadable => Pending::Refused(LocationProblem::MoveUnknown { file: root.join(FILE), folder }),
            MovingFrom::Folder(from) => {
                let from = resolve(root, from);
                if from == folder || !from.is_dir() {
                    Pending::Done
                } else if folder.starts_with(&from) || from.starts_with(&folder) {
                    Pending::Refused(LocationProblem::MoveRefused { from, folder })
                } else {
                    Pending::Finish(from)
                }
            }
        }
    }

    fn write(&self, root: &Path) -> Result<(), LibraryError> {
        let file = root.join(FILE);
        let moving_from = match &self.moving_from {
            MovingFrom::Folder(p) => {
                serde_json::to_value(p).map_err(|e| LibraryError::io(Action::Save, &file, &e.into()))?
            }
            MovingFrom::Nothing | MovingFrom::Unreadable => serde_json::Value::Null,
        };
        let on_disk = OnDisk { images_dir: self.images_dir.clone(), moving_from };
        // JSON holds only UTF-8: a folder name that is not (possible on Linux) cannot be recorded.
        let json = serde_json::to_vec_pretty(&on_disk).map_err(|e| LibraryError::io(Action::Save, &file, &e.into()))?;
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
        let images_dir = Some(target.clone());
        Location { images_dir: images_dir.clone(), moving_from: MovingFrom::Folder(from.clone()) }
            .write(self.root())?;
        let files = move_files(&from, &target)?;
        self.set_images_dir(target.clone());
        Location { images_dir, moving_from: MovingFrom::Nothing }.write(self.root())?;
        // Only an empty folder goes; anything else the user put there stays.
        remove_if_empty(&from);
        Ok(Moved { folder: target, files })
    }

    /// Finishes a move a crash cut short, when that is safe; else forgets it (the user was told
    /// why when the library was opened, by [`Library::location_problem`]).
    pub(super) fn finish_interrupted_move(&self) -> Result<(), LibraryError> {
        let Ok(location) = Location::read(self.root()) else { return Ok(()) };
        match location.pending(self.root()) {
            Pending::Nothing => return Ok(()),
            Pending::Finish(from) => {
                move_files(&from, &location.images(self.root()))?;
                remove_if_empty(&from);
            }
            Pending::Done => {}
            Pending::Refused(why) => log::warn!("a move is not finished: {why}"),
        }
        // The move is over: only the pictures folder stays recorded, as it was written. Should
        // that fail, the same is decided again next time, and nothing is lost meanwhile.
        let over = Location { moving_from: MovingFrom::Nothing, ..location };
        if let Err(e) = over.write(self.root()) {
            log::warn!("the finished move could not be recorded: {e}");
        }
        Ok(())
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
        move_unknown(file: &str, folder: &str) => "Easel found an unfinished move of your pictures in {file}, but not the folder they were being moved from, so it could not finish the move. It shows the pictures in {folder}. If some are missing, they are still in the folder you moved them from: copy them into {folder}.",
            "Easel 在 {file} 中发现一次未完成的图片移动，但找不到图片原来所在的文件夹，因此无法完成这次移动。现在显示的是 {folder} 中的图片。如果缺少一些图片，它们仍在你移出它们的那个文件夹里：请把它们复制到 {folder}。";
        move_refused(from: &str, folder: &str) => "Easel found an unfinished move of your pictures from {from} to {folder}, but did not finish it: one of these folders is inside the other, so finishing could move other files too. It shows the pictures in {folder}. If some are missing, copy them from {from} into {folder}.",
            "Easel 发现一次未完成的图片移动（从 {from} 到 {folder}），但没有完成它：其中一个文件夹位于另一个之内，继续移动可能会把其他文件也一起移走。现在显示的是 {folder} 中的图片。如果缺少一些图片，请把它们从 {from} 复制到 {folder}。";
        damaged(file: &str, fallback: &str) => "Easel could not read where your pictures are kept ({file} is damaged), so it shows the pictures in {fallback}. If you had moved your pictures, they are still where you put them: choose that folder again with Move… in Settings.",
            "Easel 无法读取图片的存放位置（{file} 已损坏），因此显示的是 {fallback} 中的图片。如果你移动过图片，它们仍在你放置的地方：请在“设置”中用“移动…”重新选择那个文件夹。";
    }

    crate::translated!(WITH_VALUES);
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
        Location { images_dir: Some(target.clone()), moving_from: MovingFrom::Folder(old.clone()) }
            .write(lib.root())
            .unwrap();
        let reopened = Library::open(dir.path().join("data")).unwrap();
        assert_eq!(reopened.history().unwrap().len(), 2);
        assert_eq!(std::fs::read_dir(&target).unwrap().count(), 4);
        assert_eq!(Location::read(lib.root()).unwrap().moving_from, MovingFrom::Nothing);
    }

    fn seeded(dir: &Path, library_json: &serde_json::Value) -> (PathBuf, PathBuf) {
        let root = dir.join("data");
        let moved = dir.join("moved");
        std::fs::create_dir_all(&moved).unwrap();
        for name in ["a-1.png", "a-1.json"] {
            std::fs::write(moved.join(name), name.as_bytes()).unwrap();
        }
        std::fs::create_dir_all(&root).unwrap();
        let text = library_json.to_string().replace("$MOVED", &moved.display().to_string().replace('\\', "/"));
        std::fs::write(root.join(FILE), text).unwrap();
        (root, moved)
    }

    #[test]
    fn a_move_from_a_value_that_is_no_folder_keeps_the_pictures_folder_and_is_said() {
        let dir = tempfile::tempdir().unwrap();
        let (root, moved) = seeded(dir.path(), &serde_json::json!({"images_dir": "$MOVED", "moving_from": 42}));
        let lib = Library::open(&root).unwrap();
        assert_eq!(lib.images_dir(), moved, "the pictures folder is still read from the file");
        let said = lib.location_problem().unwrap();
        assert!(matches!(said, LocationProblem::MoveUnknown { .. }), "{said:?}");
        assert!(said.to_string().contains("unfinished move"), "{said}");
        assert_eq!(lib.history().unwrap().len(), 1);
        let after = Location::read(&root).unwrap();
        assert_eq!(after, Location { images_dir: Some(moved), moving_from: MovingFrom::Nothing }, "forgotten");
        assert_eq!(Library::open(&root).unwrap().location_problem(), None, "said once");
    }

    #[test]
    fn a_move_from_a_folder_that_is_gone_or_is_the_pictures_folder_is_over() {
        let dir = tempfile::tempdir().unwrap();
        for from in ["/no/such/folder", "$MOVED"] {
            let (root, moved) = seeded(dir.path(), &serde_json::json!({"images_dir": "$MOVED", "moving_from": from}));
            let lib = Library::open(&root).unwrap();
            assert_eq!(lib.location_problem(), None, "{from}: nothing to say");
            assert_eq!(lib.history().unwrap().len(), 1, "{from}");
            assert_eq!(Location::read(&root).unwrap().moving_from, MovingFrom::Nothing, "{from}");
            assert_eq!(std::fs::read_dir(&moved).unwrap().count(), 2, "{from}: nothing moved or removed");
        }
        // An empty pictures folder recorded as where its own move started stays (it was removed,
        // and the history could no longer be read).
        let empty = tempfile::tempdir().unwrap();
        let (root, moved) = seeded(empty.path(), &serde_json::json!({"images_dir": "$MOVED", "moving_from": "$MOVED"}));
        for f in std::fs::read_dir(&moved).unwrap() {
            std::fs::remove_file(f.unwrap().path()).unwrap();
        }
        let lib = Library::open(&root).unwrap();
        assert_eq!(lib.history().unwrap().len(), 0);
        assert!(moved.is_dir());
    }

    #[test]
    fn a_move_from_a_folder_around_the_pictures_folder_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("data");
        let images = root.join("images");
        std::fs::create_dir_all(&images).unwrap();
        std::fs::write(images.join("a-1.png"), b"a").unwrap();
        std::fs::write(images.join("a-1.json"), b"{}").unwrap();
        std::fs::write(root.join("endpoints.json"), b"{}").unwrap();
        std::fs::write(root.join("notes.txt"), b"mine").unwrap();
        // Easel never writes this: the data folder itself, which holds the pictures folder.
        let json = serde_json::json!({"moving_from": root.display().to_string()});
        std::fs::write(root.join(FILE), json.to_string()).unwrap();
        let lib = Library::open(&root).unwrap();
        let said = lib.location_problem().unwrap().clone();
        assert_eq!(said, LocationProblem::MoveRefused { from: root.clone(), folder: images.clone() });
        assert_eq!(lib.history().unwrap().len(), 1);
        for stays in ["notes.txt", "endpoints.json", FILE] {
            assert!(root.join(stays).is_file(), "{stays} was swept into the pictures folder");
        }
        assert_eq!(std::fs::read_dir(&images).unwrap().count(), 2);
    }

    #[test]
    fn a_relative_pictures_folder_is_inside_the_data_folder() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("data");
        std::fs::create_dir_all(&root).unwrap();
        std::fs::write(root.join(FILE), br#"{"images_dir": "rel-images"}"#).unwrap();
        let lib = Library::open(&root).unwrap();
        assert_eq!(lib.images_dir(), root.join("rel-images"));
        assert!(root.join("rel-images").is_dir());
        std::fs::write(root.join(FILE), br#"{"images_dir": ""}"#).unwrap();
        assert_eq!(Library::open(&root).unwrap().images_dir(), root.join("images"), "empty is the default");
        assert_eq!(Library::open(&root).unwrap().location_problem(), None);
    }

    #[test]
    fn a_finished_move_keeps_the_pictures_folder_as_it_was_written() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("data");
        let old = dir.path().join("old");
        std::fs::create_dir_all(&old).unwrap();
        std::fs::write(old.join("a-1.png"), b"a").unwrap();
        std::fs::create_dir_all(&root).unwrap();
        let json = serde_json::json!({"images_dir": "portable", "moving_from": old.display().to_string()});
        std::fs::write(root.join(FILE), json.to_string()).unwrap();
        let lib = Library::open(&root).unwrap();
        lib.history().unwrap();
        assert!(root.join("portable").join("a-1.png").is_file());
        let text = std::fs::read_to_string(root.join(FILE)).unwrap();
        let v: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(v, serde_json::json!({"images_dir": "portable"}), "still relative: {text}");
    }
}
