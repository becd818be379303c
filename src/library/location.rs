//! Where the pictures live, and moving them somewhere else.
//!
//! `library.json` in the data folder names the pictures folder when the user moved it (the
//! terminal front end reads it too). A move first records where it is going and where from,
//! then moves the files one by one, then records that it is done; a move cut short by a crash
//! is finished at the next start, so no picture is ever left behind in a folder no one reads.
//!
//! `library.json` may come from anyone who can write the data folder (a synced or shared library,
//! an unpacked archive), so what it says is not trusted with other folders: a move takes only
//! Easel's own files (by name and content, [`is_easels_file`]), and one is finished at start only
//! from a folder holding the mark Easel left there when it began that move ([`MOVE_MARK`]). A
//! relative pictures folder stays inside the data folder.

use super::fsutil::{PICTURE_FILE, SMALL_FILE, read_bounded, remove_leftover, sync_parent, write_atomic};
use super::{Action, ImageMeta, Library, LibraryError, Reason};
use crate::api::OutputFormat;
use serde::{Deserialize, Serialize};
use std::path::{Component, Path, PathBuf};

/// The name of the folder made inside a chosen folder that already holds other files.
const SUBFOLDER: &str = "Easel pictures";

/// The file in the data folder that says where the pictures are.
const FILE: &str = "library.json";

/// The hidden file a move leaves in the folder it takes the pictures out of, naming the folder
/// they go to, until the move is over. A move recorded in `library.json` is finished only from a
/// folder whose mark names the pictures folder: Easel wrote it there, so that folder held its
/// pictures and the user chose to move them.
const MOVE_MARK: &str = ".easel-move";

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
    /// The file records a move from `from`, but Easel never began one there (the folder has no
    /// mark of it): nothing is moved, and the pictures in `folder` are shown.
    #[error("{}", words::move_not_begun(&from.display().to_string(), &folder.display().to_string()))]
    MoveNotBegun { from: PathBuf, folder: PathBuf },
    /// The file names a pictures folder by a relative name that leads out of the data folder
    /// (`../elsewhere`): Easel uses the default folder, `fallback`, instead.
    #[error("{}", words::outside(&file.display().to_string(), &named.display().to_string(), &fallback.display().to_string()))]
    Outside { file: PathBuf, named: PathBuf, fallback: PathBuf },
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

/// Whether a name recorded in `library.json` stays inside the data folder when it is relative
/// (an absolute name is the user's own choice, made with Move…).
fn stays_inside(path: &Path) -> bool {
    path.is_absolute() || path.components().all(|c| matches!(c, Component::Normal(_) | Component::CurDir))
}

impl Location {
    /// What `library.json` says; the default (pictures in `images/`) when there is none.
    pub(super) fn read(root: &Path) -> Result<Location, LocationProblem> {
        let file = root.join(FILE);
        let problem = || LocationProblem::Damaged { file: file.clone(), fallback: root.join("images") };
        let on_disk: OnDisk = match read_bounded(&file, SMALL_FILE) {
            Ok(bytes) => serde_json::from_slice(&bytes).map_err(|e| {
                log::warn!("{} is damaged: {e}", file.display());
                problem()
            })?,
            Err(LibraryError::Io { reason: Reason::NoFile, .. }) => return Ok(Location::default()),
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
        // Where a move started is checked by its mark instead (see `pending`).
        if let Some(named) = images_dir.as_ref().filter(|p| !stays_inside(p)) {
            log::warn!("{} names {}, outside the data folder", file.display(), named.display());
            return Err(LocationProblem::Outside { named: named.clone(), fallback: root.join("images"), file });
        }
        Ok(Location { images_dir, moving_from })
    }

    /// The pictures folder, absolute: a relative name is taken inside the data folder `root`,
    /// never in whatever folder Easel happens to be started from.
    pub(super) fn images(&self, root: &Path) -> PathBuf {
        self.images_dir.as_deref().map_or_else(|| root.join("images"), |p| resolve(root, p))
    }

    /// What to do about the move under way, if there is one. A move is finished only from a
    /// folder apart from the pictures folder, which Easel marked when it began the move there.
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
                } else if !marked_for(&from, &folder) {
                    Pending::Refused(LocationProblem::MoveNotBegun { from, folder })
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
    /// The folder the pictures were moved out of.
    pub from: PathBuf,
    /// Easel's files moved (pictures and their details).
    pub files: usize,
    /// Files left in `from`: not Easel's, or one of the same name was already in `folder`.
    pub left: usize,
}

/// What [`move_files`] did with a folder's files.
struct Sorted {
    moved: usize,
    left: usize,
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
            return Ok(Moved { folder: target, from, files: 0, left: 0 });
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
        // The mark first: should Easel stop mid-move, the next start finishes it from here.
        write_atomic(&from.join(MOVE_MARK), target.to_string_lossy().as_bytes())?;
        let images_dir = Some(target.clone());
        Location { images_dir: images_dir.clone(), moving_from: MovingFrom::Folder(from.clone()) }
            .write(self.root())?;
        let sorted = move_files(&from, &target)?;
        self.set_images_dir(target.clone());
        Location { images_dir, moving_from: MovingFrom::Nothing }.write(self.root())?;
        leave(&from);
        Ok(Moved { folder: target, from, files: sorted.moved, left: sorted.left })
    }

    /// Finishes a move a crash cut short, when that is safe, and keeps what it did for
    /// [`Library::take_finished_move`]; else forgets it (the user was told why when the library
    /// was opened, by [`Library::location_problem`]).
    pub(super) fn finish_interrupted_move(&self) -> Result<(), LibraryError> {
        let Ok(location) = Location::read(self.root()) else { return Ok(()) };
        match location.pending(self.root()) {
            Pending::Nothing => return Ok(()),
            Pending::Finish(from) => {
                let folder = location.images(self.root());
                let sorted = move_files(&from, &folder)?;
                leave(&from);
                let moved = Moved { folder, from, files: sorted.moved, left: sorted.left };
                *self.finished_move.lock().unwrap_or_else(std::sync::PoisonError::into_inner) = Some(moved);
            }
            Pending::Done => remove_leftover(&location.images(self.root()).join(MOVE_MARK)),
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

impl Library {
    /// What finishing an interrupted move did, once: the window says it after the history is read.
    pub fn take_finished_move(&self) -> Option<Moved> {
        self.finished_move.lock().unwrap_or_else(std::sync::PoisonError::into_inner).take()
    }
}

/// Whether `from` holds the mark of a move into `folder`.
fn marked_for(from: &Path, folder: &Path) -> bool {
    read_bounded(&from.join(MOVE_MARK), SMALL_FILE).is_ok_and(|b| Path::new(&*String::from_utf8_lossy(&b)) == folder)
}

/// Leaves a folder the pictures were moved out of: its mark goes, and the folder too if nothing
/// else is left in it; anything the user put there stays.
fn leave(folder: &Path) {
    remove_leftover(&folder.join(MOVE_MARK));
    if let Err(e) = std::fs::remove_dir(folder) {
        log::info!("{} stays (it is not empty): {e}", folder.display());
    }
}

/// Moves Easel's own files of `from` into `to` (see [`is_easels_file`]): a rename where both are
/// on one disk, else a synced copy first and the original removed only after. Never overwrites
/// a file in `to`, never follows a link, and leaves every other file where it is.
fn move_files(from: &Path, to: &Path) -> Result<Sorted, LibraryError> {
    let entries = std::fs::read_dir(from).map_err(|e| LibraryError::io(Action::ReadFolder, from, &e))?;
    let mut sorted = Sorted { moved: 0, left: 0 };
    for entry in entries.flatten() {
        let name = entry.file_name();
        if name.to_string_lossy().starts_with('.') {
            // Hidden: a write still under way, the move's mark, or the user's own.
            continue;
        }
        let (src, dst) = (entry.path(), to.join(&name));
        // Already there (a finished part of an interrupted move): keep both rather than guess.
        if !is_easels_file(&src) || dst.exists() {
            sorted.left += 1;
            continue;
        }
        if std::fs::rename(&src, &dst).is_err() {
            let bytes = read_bounded(&src, PICTURE_FILE)?;
            write_atomic(&dst, &bytes)?;
            std::fs::remove_file(&src).map_err(|e| LibraryError::io(Action::Remove, &src, &e))?;
        }
        sorted.moved += 1;
    }
    sync_parent(&to.join("x"));
    Ok(sorted)
}

/// What Easel's own files in a pictures folder are called: `<group>-<n>` or `<group>-<n>-raw`
/// (an edit's model picture), the group being `<date>-<time>-<milliseconds>-<letters>`
/// ([`super::new_group`]), then `.png`, `.jpg`, `.webp` or `.json`. `None` for any other name.
fn easels_name(name: &str) -> Option<(&str, Option<OutputFormat>)> {
    let (stem, extension) = name.rsplit_once('.')?;
    let format = match extension {
        "json" => None,
        "png" => Some(OutputFormat::Png),
        "jpg" => Some(OutputFormat::Jpeg),
        "webp" => Some(OutputFormat::Webp),
        _ => return None,
    };
    let parts: Vec<&str> = stem.strip_suffix("-raw").unwrap_or(stem).split('-').collect();
    let digits =
        |s: &str, n: std::ops::RangeInclusive<usize>| n.contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit());
    let ours = matches!(parts.as_slice(), [date, time, ms, tag, n]
        if digits(date, 8..=8) && digits(time, 6..=6) && digits(ms, 1..=3) && digits(n, 1..=3)
            && (4..=8).contains(&tag.len()) && tag.bytes().all(|b| b.is_ascii_lowercase()));
    ours.then_some((stem, format))
}

/// Whether the file at `path` is one Easel saved: a regular file (not a link) with Easel's kind
/// of name ([`easels_name`]) and the content that name says, a picture of that format or the
/// details of a picture of that name.
fn is_easels_file(path: &Path) -> bool {
    let Some(name) = path.file_name().and_then(|n| n.to_str()) else { return false };
    let Some((stem, format)) = easels_name(name) else { return false };
    if !std::fs::symlink_metadata(path).is_ok_and(|m| m.is_file()) {
        return false;
    }
    match format {
        Some(format) => {
            let mut head = [0u8; 12];
            let read = std::fs::File::open(path).and_then(|f| std::io::Read::read_exact(&mut { f }, &mut head));
            read.is_ok() && crate::api::response::sniff_format(&head) == Some(format)
        }
        None => read_bounded(path, SMALL_FILE)
            .ok()
            .and_then(|b| serde_json::from_slice::<ImageMeta>(&b).ok())
            .is_some_and(|meta| meta.file.rsplit_once('.').is_some_and(|(s, _)| s == stem)),
    }
}

mod words {
    crate::formats! { WITH_VALUES;
        move_unknown(file: &str, folder: &str) => "Easel found an unfinished move of your pictures in {file}, but not the folder they were being moved from, so it could not finish the move. It shows the pictures in {folder}. If some are missing, they are still in the folder you moved them from: copy them into {folder}.",
            "Easel 在 {file} 中发现一次未完成的图片移动，但找不到图片原来所在的文件夹，因此无法完成这次移动。现在显示的是 {folder} 中的图片。如果缺少一些图片，它们仍在你移出它们的那个文件夹里：请把它们复制到 {folder}。";
        move_not_begun(from: &str, folder: &str) => "Easel's library file says your pictures were being moved from {from}, but Easel never began a move there, so it moved nothing. It shows the pictures in {folder}.",
            "Easel 的图库文件说你的图片正从 {from} 移出，但 Easel 从未在那里开始移动，因此什么也没有移动。现在显示的是 {folder} 中的图片。";
        outside(file: &str, named: &str, fallback: &str) => "{file} names a pictures folder outside Easel's data folder ({named}), which a relative name may not, so Easel shows the pictures in {fallback}. To keep your pictures elsewhere, choose the folder with Move… in Settings.",
            "{file} 指定的图片文件夹（{named}）位于 Easel 的数据文件夹之外，而相对路径不允许这样，因此 Easel 显示的是 {fallback} 中的图片。若要把图片放在别处，请在“设置”中用“移动…”选择文件夹。";
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
    use crate::api::{ImageRequest, ReceivedImage};

    /// A real picture saved as Easel saves one, in `format`.
    fn save_picture(lib: &Library, format: image::ImageFormat) -> super::super::SavedImage {
        let mut bytes = Vec::new();
        image::RgbImage::new(3, 2).write_to(&mut std::io::Cursor::new(&mut bytes), format).unwrap();
        let prov = super::super::Provenance::new(ImageRequest::new("x"), "http://127.0.0.1/v1", "test", 1);
        lib.save(&ReceivedImage::from_bytes(bytes).unwrap(), 0, &prov).unwrap()
    }

    /// A library with two pictures (a PNG and a JPEG, each with its details).
    fn library_with_files(dir: &Path) -> Library {
        let lib = Library::open(dir.join("data")).unwrap();
        save_picture(&lib, image::ImageFormat::Png);
        save_picture(&lib, image::ImageFormat::Jpeg);
        lib
    }

    fn names(folder: &Path) -> Vec<String> {
        let mut names: Vec<String> =
            std::fs::read_dir(folder).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
        names.sort();
        names
    }

    #[test]
    fn a_move_takes_every_picture_and_leaves_the_rest() {
        let dir = tempfile::tempdir().unwrap();
        let lib = library_with_files(dir.path());
        let old = lib.images_dir();
        let pictures = names(&old);
        // The user's own files, put into the pictures folder by hand.
        std::fs::write(old.join("notes.txt"), b"mine").unwrap();
        std::fs::write(old.join("holiday.jpg"), b"\xFF\xD8\xFFmine").unwrap();
        let target = dir.path().join("elsewhere");
        let moved = lib.move_to(&target).unwrap();
        assert_eq!(moved, Moved { folder: target.clone(), from: old.clone(), files: 4, left: 2 });
        assert_eq!(lib.images_dir(), target);
        assert_eq!(names(&target), pictures, "every picture and its details, nothing else");
        assert_eq!(names(&old), ["holiday.jpg", "notes.txt"], "the user's files stay, the move's mark goes");
        let reopened = Library::open(dir.path().join("data")).unwrap();
        assert_eq!(reopened.images_dir(), target, "the terminal and the next start use the new folder");
        assert_eq!(reopened.history().unwrap().len(), 2);
    }

    #[test]
    fn an_emptied_folder_is_removed() {
        let dir = tempfile::tempdir().unwrap();
        let lib = library_with_files(dir.path());
        let old = lib.images_dir();
        let moved = lib.move_to(&dir.path().join("elsewhere")).unwrap();
        assert_eq!((moved.files, moved.left), (4, 0));
        assert!(!old.exists(), "the emptied folder is removed");
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
    fn a_move_cut_short_is_finished_at_the_next_start_and_said() {
        let dir = tempfile::tempdir().unwrap();
        let lib = library_with_files(dir.path());
        let old = lib.images_dir();
        let target = dir.path().join("new");
        std::fs::create_dir_all(&target).unwrap();
        // As move_to leaves it if the process dies after moving one file.
        let first = names(&old)[0].clone();
        write_atomic(&old.join(MOVE_MARK), target.to_string_lossy().as_bytes()).unwrap();
        std::fs::rename(old.join(&first), target.join(&first)).unwrap();
        Location { images_dir: Some(target.clone()), moving_from: MovingFrom::Folder(old.clone()) }
            .write(lib.root())
            .unwrap();
        let reopened = Library::open(dir.path().join("data")).unwrap();
        assert_eq!(reopened.location_problem(), None);
        assert_eq!(reopened.history().unwrap().len(), 2);
        assert_eq!(names(&target).len(), 4);
        assert!(!old.exists(), "the emptied folder and its mark are gone");
        assert_eq!(Location::read(lib.root()).unwrap().moving_from, MovingFrom::Nothing);
        let finished = reopened.take_finished_move().unwrap();
        assert_eq!(finished, Moved { folder: target, from: old, files: 3, left: 0 });
        assert_eq!(reopened.take_finished_move(), None, "said once");
    }

    /// A folder of someone's files that are not Easel's, among them one named like Easel's
    /// pictures but holding text, and a link named like one to a real picture elsewhere.
    fn victim(dir: &Path) -> (PathBuf, Vec<String>) {
        let victim = dir.join("Documents");
        std::fs::create_dir_all(&victim).unwrap();
        std::fs::write(victim.join("notes.txt"), b"mine").unwrap();
        std::fs::write(victim.join("id_ed25519"), b"-----BEGIN OPENSSH PRIVATE KEY-----").unwrap();
        std::fs::write(victim.join("holiday.jpg"), b"\xFF\xD8\xFFmine").unwrap();
        std::fs::write(victim.join("20261124-153012-123-abcd-1.png"), b"not a picture").unwrap();
        std::fs::write(victim.join("20261124-153012-123-abcd-1.json"), b"{\"mine\": true}").unwrap();
        #[cfg(unix)]
        {
            let lib = Library::open(dir.join("real")).unwrap();
            let real = save_picture(&lib, image::ImageFormat::Png);
            std::os::unix::fs::symlink(&real.path, victim.join("20261124-153012-123-abcd-2.png")).unwrap();
        }
        let before = names(&victim);
        (victim, before)
    }

    #[test]
    fn a_library_file_naming_any_folder_moves_nothing_out_of_it() {
        let dir = tempfile::tempdir().unwrap();
        let (victim, before) = victim(dir.path());
        // Even a real picture of Easel's there is not taken: Easel began no move from there.
        let stray = save_picture(&Library::open(dir.path().join("other")).unwrap(), image::ImageFormat::Png);
        std::fs::copy(&stray.path, victim.join(stray.path.file_name().unwrap())).unwrap();
        let before: Vec<String> =
            names(&victim).into_iter().chain(before).collect::<std::collections::BTreeSet<_>>().into_iter().collect();
        let root = dir.path().join("data");
        std::fs::create_dir_all(&root).unwrap();
        std::fs::write(root.join(FILE), serde_json::json!({"moving_from": victim}).to_string()).unwrap();
        let lib = Library::open(&root).unwrap();
        let said = lib.location_problem().cloned().unwrap();
        assert_eq!(said, LocationProblem::MoveNotBegun { from: victim.clone(), folder: root.join("images") });
        let text = crate::i18n::with(crate::i18n::Lang::En, || said.to_string());
        assert!(text.contains("Easel never began a move there, so it moved nothing"), "{text}");
        assert_eq!(lib.history().unwrap().len(), 0);
        assert_eq!(names(&victim), before, "every file stays");
        assert_eq!(names(&root.join("images")), Vec::<String>::new());
        assert_eq!(lib.take_finished_move(), None);
        assert_eq!(Location::read(&root).unwrap().moving_from, MovingFrom::Nothing, "forgotten");
    }

    #[test]
    fn a_move_easel_began_takes_only_easels_own_files() {
        let dir = tempfile::tempdir().unwrap();
        let (victim, mut left) = victim(dir.path());
        let root = dir.path().join("data");
        let lib = Library::open(&root).unwrap();
        // Easel's pictures, saved elsewhere and put among the user's files, with the move's mark.
        let other = Library::open(dir.path().join("other")).unwrap();
        let mut ours = Vec::new();
        for format in [image::ImageFormat::Png, image::ImageFormat::WebP] {
            let saved = save_picture(&other, format);
            for p in [&saved.path, &saved.meta_path] {
                std::fs::copy(p, victim.join(p.file_name().unwrap())).unwrap();
                ours.push(p.file_name().unwrap().to_string_lossy().into_owned());
            }
        }
        ours.sort();
        write_atomic(&victim.join(MOVE_MARK), lib.images_dir().to_string_lossy().as_bytes()).unwrap();
        std::fs::write(root.join(FILE), serde_json::json!({"moving_from": victim}).to_string()).unwrap();
        let lib = Library::open(&root).unwrap();
        assert_eq!(lib.location_problem(), None);
        assert_eq!(lib.history().unwrap().len(), 2);
        assert_eq!(names(&lib.images_dir()), ours);
        left.sort();
        assert_eq!(names(&victim), left, "the rest stays, the mark goes");
        let finished = lib.take_finished_move().unwrap();
        assert_eq!((finished.files, finished.left), (4, left.len()));
    }

    #[test]
    fn a_mark_naming_another_folder_moves_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let (victim, before) = victim(dir.path());
        write_atomic(&victim.join(MOVE_MARK), b"/somewhere/else").unwrap();
        let root = dir.path().join("data");
        std::fs::create_dir_all(&root).unwrap();
        std::fs::write(root.join(FILE), serde_json::json!({"moving_from": victim}).to_string()).unwrap();
        let lib = Library::open(&root).unwrap();
        assert!(matches!(lib.location_problem(), Some(LocationProblem::MoveNotBegun { .. })));
        lib.history().unwrap();
        let mut after = names(&victim);
        after.retain(|n| n != MOVE_MARK);
        assert_eq!(after, before);
    }

    #[test]
    fn easels_names_are_told_apart() {
        for ours in [
            "20261124-153012-123-abcd-1.png",
            "20261124-153012-1-wxyz-10.jpg",
            "20261124-153012-123-abcd-2-raw.webp",
            "20261124-153012-123-abcd-1.json",
        ] {
            assert!(easels_name(ours).is_some(), "{ours}");
        }
        for theirs in [
            "notes.txt",
            "a-1.png",
            "holiday.jpg",
            "20261124-153012-123-ABCD-1.png",
            "20261124-153012-123-abcd-1.png.txt",
            "20261124-153012-123-abcd-1.gif",
            "x20261124-153012-123-abcd-1.png",
            "20261124-153012-123-abcd.png",
            "pasted-20261124-153012-123.png",
        ] {
            assert!(easels_name(theirs).is_none(), "{theirs}");
        }
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
    fn a_relative_name_leading_out_of_the_data_folder_is_not_used() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("data");
        std::fs::create_dir_all(&root).unwrap();
        for named in ["../outside", "inside/../../outside"] {
            std::fs::write(root.join(FILE), serde_json::json!({"images_dir": named}).to_string()).unwrap();
            let lib = Library::open(&root).unwrap();
            assert_eq!(lib.images_dir(), root.join("images"), "{named}");
            let said = lib.location_problem().unwrap();
            assert!(matches!(said, LocationProblem::Outside { .. }), "{said:?}");
            let text = crate::i18n::with(crate::i18n::Lang::En, || said.to_string());
            assert!(text.contains("outside Easel's data folder"), "{text}");
            save_picture(&lib, image::ImageFormat::Png);
            assert!(!dir.path().join("outside").exists(), "{named}: nothing written outside");
        }
    }

    #[test]
    fn a_finished_move_keeps_the_pictures_folder_as_it_was_written() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("data");
        std::fs::create_dir_all(&root).unwrap();
        let old = Library::open(dir.path().join("old")).unwrap();
        save_picture(&old, image::ImageFormat::Png);
        write_atomic(&old.images_dir().join(MOVE_MARK), root.join("portable").to_string_lossy().as_bytes()).unwrap();
        let json = serde_json::json!({"images_dir": "portable", "moving_from": old.images_dir().display().to_string()});
        std::fs::write(root.join(FILE), json.to_string()).unwrap();
        let lib = Library::open(&root).unwrap();
        assert_eq!(lib.history().unwrap().len(), 1);
        let text = std::fs::read_to_string(root.join(FILE)).unwrap();
        let v: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(v, serde_json::json!({"images_dir": "portable"}), "still relative: {text}");
    }
}
