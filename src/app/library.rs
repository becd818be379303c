//! The app's side of the library: the gallery's pictures, each with an identity that stays
//! while others come and go; the history read at start-up and merged with what this run made;
//! deletes that wait for Undo; and dropped picture files.

use super::background::{nothing_to_end, reply};
use super::{App, Message, Notice, PictureId};
use crate::library::embed::Parameters;
use crate::library::{Entry, SavedImage, Trashed};
use crate::worker::JobId;
use eframe::egui;
use std::collections::HashMap;
use std::path::PathBuf;
use std::time::Instant;

/// A picture in the gallery.
pub struct GalleryItem {
    pub id: PictureId,
    /// The request that made it in this run; `None` for pictures from the history.
    pub job: Option<JobId>,
    pub saved: SavedImage,
    /// Why its details are missing, if they are.
    pub damaged: Option<crate::library::Reason>,
    /// Deleted: waiting for Undo's time to pass before it goes to the trash, or in it.
    pub hidden: bool,
    /// Where the trash put it, once it did: shown under "Recently deleted", from where it can
    /// be put back, for as long as Easel runs.
    pub trashed: Option<Trashed>,
    /// The prompt in lower case, for the search.
    pub search: String,
    /// The day it was made, in local time, for the gallery's date headings.
    pub day: Option<chrono::NaiveDate>,
}

#[cfg(test)]
impl PictureId {
    pub(super) fn for_tests(n: u64) -> PictureId {
        PictureId(n)
    }
}

impl GalleryItem {
    pub(super) fn new(
        id: PictureId,
        job: Option<JobId>,
        saved: SavedImage,
        damaged: Option<crate::library::Reason>,
    ) -> GalleryItem {
        let search = saved.meta.request.prompt.to_lowercase();
        let day = chrono::DateTime::parse_from_rfc3339(&saved.meta.created)
            .ok()
            .map(|t| t.with_timezone(&chrono::Local).date_naive());
        GalleryItem { id, job, saved, damaged, hidden: false, trashed: None, search, day }
    }

    /// The real size of the picture, `WxH`, as the size filter lists it.
    pub fn real_size(&self) -> String {
        format!("{}x{}", self.saved.meta.width, self.saved.meta.height)
    }
}

/// Pictures of request `id` in the gallery so far.
pub fn arrived(gallery: &[GalleryItem], id: JobId) -> usize {
    gallery.iter().filter(|g| g.job == Some(id)).count()
}

/// A picture file dropped on the window, and the settings found inside it.
pub struct DroppedPicture {
    /// The file's name, as the user knows it.
    pub name: String,
    /// Where it is, for "Change this picture".
    pub path: PathBuf,
    pub result: Result<Parameters, DropProblem>,
}

/// Why a dropped file shows no settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DropProblem {
    /// It could not be read: not a file, too large, or the system's words.
    Unreadable(crate::library::Reason),
    NotAPicture,
    /// A picture, but with no prompt or settings inside.
    NoSettings,
}

/// A deleted picture that goes to the trash when Undo's time is up.
pub(super) struct PendingDelete {
    pub(super) picture: PictureId,
    pub(super) due: Instant,
}

impl App {
    /// A new identity, never given before in this run.
    pub(super) fn new_picture_id(&mut self) -> PictureId {
        self.last_picture += 1;
        PictureId(self.last_picture)
    }

    /// The picture with this identity, if it is still in the gallery.
    pub fn picture(&self, id: PictureId) -> Option<&GalleryItem> {
        self.gallery.iter().find(|g| g.id == id)
    }

    pub(super) fn picture_mut(&mut self, id: PictureId) -> Option<&mut GalleryItem> {
        self.gallery.iter_mut().find(|g| g.id == id)
    }

    /// Starts the thumbnail loaders and reads the history, off the UI thread.
    pub(super) fn load_history(&mut self) {
        let Some(worker) = &self.worker else { return };
        let library = worker.library().clone();
        let (tx, ctx) = (self.replies.0.clone(), self.ctx.clone());
        self.thumbs.start(library, super::thumbs::THUMB_PIXELS, move |path, result| {
            // The window is closing when no one listens: nothing to deliver to.
            if tx.send(reply(move |app, ctx| app.thumbs.insert(ctx, path, result))).is_ok() {
                ctx.request_repaint();
            }
        });
        self.reload_history();
    }

    /// Reads the history again (after the library moved), off the UI thread.
    pub(super) fn reload_history(&mut self) {
        let Some(worker) = &self.worker else { return };
        let library = worker.library().clone();
        self.history_loading = true;
        let crashed = |app: &mut App| app.history_loading = false;
        self.background(crashed, move || {
            let history = library.history();
            reply(move |app, _| app.history_read(history))
        });
    }

    /// Takes in a reading of the library: pictures already shown keep their identity and
    /// state (job, favourite, a pending delete); new ones (from the terminal, say) take their
    /// place in time; pictures saved after the reading stay first.
    pub(super) fn merge_history(&mut self, entries: Vec<Entry>) {
        let mut known: HashMap<PathBuf, GalleryItem> =
            self.gallery.drain(..).map(|g| (g.saved.path.clone(), g)).collect();
        let mut listed = Vec::with_capacity(entries.len());
        let entries: Vec<Entry> = entries.into_iter().filter(|e| !self.trashed.contains(&e.saved.path)).collect();
        for e in entries {
            let item = match known.remove(&e.saved.path) {
                Some(item) => item,
                None => GalleryItem::new(self.new_picture_id(), None, e.saved, e.damaged),
            };
            listed.push(item);
        }
        let mut newer: Vec<GalleryItem> = known.into_values().collect();
        newer.sort_by(|a, b| {
            b.saved.meta.created.cmp(&a.saved.meta.created).then(a.saved.meta.index.cmp(&b.saved.meta.index))
        });
        self.gallery = newer.into_iter().chain(listed).collect();
        if self.viewer.as_ref().is_some_and(|v| self.picture(v.picture).is_none()) {
            self.viewer = None;
        }
    }

    /// Positions in the gallery that the search and filters let through, in order, for this
    /// frame's drawing.
    pub fn shown(&self) -> Vec<usize> {
        self.filter.apply(&self.gallery)
    }

    /// The shown picture `step` places from `id`.
    pub fn neighbour(&self, id: PictureId, step: isize) -> Option<PictureId> {
        let shown = self.shown();
        neighbour_in(&self.gallery, &shown, id, step)
    }

    /// Where `id` is among the pictures shown (from 0), and how many are shown (one filter pass).
    pub fn place_among_shown(&self, id: PictureId) -> Option<(usize, usize)> {
        let shown = self.shown();
        shown.iter().position(|&i| self.gallery[i].id == id).map(|at| (at, shown.len()))
    }

    /// Hides pictures now and sends them to the trash once Undo's time is up, so Undo never
    /// depends on the trash. The viewer moves on to the next picture shown.
    pub(super) fn delete(&mut self, ids: &[PictureId]) {
        let viewed = self.viewer.as_ref().map(|v| v.picture).filter(|v| ids.contains(v));
        // The next picture shown that is not deleted too, else the one before.
        let next = viewed.and_then(|id| {
            let shown = self.shown_ids();
            let at = shown.iter().position(|&s| s == id)?;
            let kept = |s: &&PictureId| !ids.contains(s);
            shown[at..].iter().find(kept).or_else(|| shown[..at].iter().rev().find(kept)).copied()
        });
        let due = Instant::now() + self.undo_window;
        let mut hidden = Vec::new();
        for &id in ids {
            if let Some(item) = self.picture_mut(id).filter(|g| !g.hidden) {
                item.hidden = true;
                self.pending_deletes.push(PendingDelete { picture: id, due });
                hidden.push(id);
            }
        }
        if hidden.is_empty() {
            return;
        }
        self.selection.retain(|id| !hidden.contains(id));
        self.notice = Some(Notice { undo: hidden.clone(), ..Notice::new(Message::Deleted(hidden.len())) });
        if viewed.is_some() {
            match next {
                Some(next) => self.open_viewer(next),
                None => self.viewer = None,
            }
        }
    }

    /// Brings back the pictures the notice offers to undo.
    pub(super) fn undo(&mut self) {
        let Some(ids) = self.notice.as_mut().map(|n| std::mem::take(&mut n.undo)).filter(|u| !u.is_empty()) else {
            return;
        };
        self.pending_deletes.retain(|d| !ids.contains(&d.picture));
        let count = ids.len();
        for id in ids {
            if let Some(g) = self.picture_mut(id) {
                g.hidden = false;
            }
        }
        // A sign that Undo did something, where the notice of the delete was.
        self.say(super::Message::Restored(count));
    }

    /// Sends deleted pictures whose Undo time is up (all of them when `all`) to the trash.
    pub(super) fn trash_due(&mut self, all: bool) {
        let now = Instant::now();
        let (due, keep): (Vec<_>, Vec<_>) =
            std::mem::take(&mut self.pending_deletes).into_iter().partition(|d| all || d.due <= now);
        self.pending_deletes = keep;
        if due.is_empty() {
            return;
        }
        let Some(worker) = &self.worker else { return };
        let library = worker.library().clone();
        let mut gone = Vec::new();
        for d in &due {
            if let Some(saved) = self.picture(d.picture).map(|g| g.saved.clone()) {
                self.trashed.insert(saved.path.clone());
                gone.push((d.picture, saved));
            }
            if self.notice.as_ref().is_some_and(|n| n.undo.contains(&d.picture)) {
                self.notice = None;
            }
        }
        let work = move || -> Vec<_> { gone.into_iter().map(|(id, saved)| (id, library.trash(&saved))).collect() };
        if all {
            // Closing: done now, while the process still lives (moving to the trash is a rename).
            for (_, result) in work().into_iter().filter(|(_, r)| !matches!(r, Ok(Trashed::System))) {
                log::warn!("at exit, the trash answered {result:?}");
            }
        } else {
            self.background(nothing_to_end, move || {
                let results = work();
                reply(move |app, _| app.trashed(results))
            });
        }
    }

    /// Where the trash put each picture. They stay in the gallery, hidden, under "Recently
    /// deleted"; one the trash refused is shown again, and the first refusal is said (as is a
    /// fall-back to a folder, once).
    pub(super) fn trashed(&mut self, results: Vec<(PictureId, Result<Trashed, crate::library::LibraryError>)>) {
        let mut said = false;
        for (id, result) in results {
            let Some(item) = self.picture_mut(id) else { continue };
            let message = match result {
                Ok(place) => {
                    let fallback = match &place {
                        // A trash folder set on purpose (tests, portable set-ups) is no news.
                        Trashed::Folder { folder, reason: Some(reason) } => {
                            Some(Message::TrashFallback { reason: reason.clone(), folder: folder.clone() })
                        }
                        _ => None,
                    };
                    item.trashed = Some(place);
                    fallback
                }
                Err(e) => {
                    item.hidden = false;
                    let path = item.saved.path.clone();
                    self.trashed.remove(&path);
                    Some(Message::Failed(e.into()))
                }
            };
            if let Some(message) = message.filter(|_| !said) {
                said = true;
                let folder = match &message {
                    Message::TrashFallback { folder, .. } => Some(folder.clone()),
                    _ => None,
                };
                self.notice = Some(Notice::new(message).with_folder(folder));
            }
        }
    }

    /// Puts these deleted pictures back from the trash, off the UI thread.
    pub(super) fn put_back(&mut self, ids: &[PictureId]) {
        let Some(library) = self.worker.as_ref().map(|w| w.library().clone()) else { return };
        let wanted: Vec<(PictureId, SavedImage, Trashed)> = ids
            .iter()
            .filter_map(|&id| self.picture(id))
            .filter_map(|g| g.trashed.clone().map(|t| (g.id, g.saved.clone(), t)))
            .collect();
        self.background(nothing_to_end, move || {
            let results: Vec<_> =
                wanted.into_iter().map(|(id, saved, from)| (id, library.put_back(&saved, &from))).collect();
            reply(move |app, _| app.put_back_done(results))
        });
    }

    /// The pictures put back are pictures again; the first refusal is said.
    pub(super) fn put_back_done(&mut self, results: Vec<(PictureId, Result<(), crate::library::LibraryError>)>) {
        let mut refusal = None;
        for (id, result) in results {
            match result {
                Ok(()) => {
                    let Some(item) = self.picture_mut(id) else { continue };
                    (item.hidden, item.trashed) = (false, None);
                    let path = item.saved.path.clone();
                    self.trashed.remove(&path);
                    self.thumbs.forget(&path);
                }
                Err(e) => {
                    refusal.get_or_insert(e);
                }
            }
        }
        if let Some(e) = refusal {
            self.say(Message::Failed(e.into()));
        }
        if !self.gallery.iter().any(|g| g.trashed.is_some()) {
            self.filter.deleted = false;
        }
    }

    /// Pictures dropped on the window: several, or any while pictures are being changed, join
    /// the change; one alone shows the settings inside it (with "Change this picture").
    pub(super) fn take_dropped_files(&mut self, ctx: &egui::Context) {
        let files = ctx.input(|i| i.raw.dropped_files.clone());
        let paths: Vec<PathBuf> = files.iter().map(|f| f.path().to_path_buf()).collect();
        if files.len() > 1 || (self.change.active() && !files.is_empty()) {
            self.add_to_change(paths);
        } else if let Some(file) = files.into_iter().next() {
            self.open_file(file.path().to_path_buf());
        }
    }

    /// Shows the settings inside a picture the window was opened with ("Open with Easel"), as
    /// when it is dropped on the window.
    pub(super) fn open_file(&mut self, path: PathBuf) {
        self.background(nothing_to_end, move || {
            let dropped = read_dropped(&path);
            reply(move |app, _| app.show_dropped(dropped))
        });
    }

    /// The library was read: its pictures join the gallery.
    fn history_read(&mut self, history: Result<Vec<Entry>, crate::library::LibraryError>) {
        self.history_loading = false;
        match history {
            Ok(entries) => {
                self.gallery_read_once = true;
                self.merge_history(entries);
                // A move an earlier run began was finished while the history was read.
                if let Some(moved) = self.worker.as_ref().and_then(|w| w.library().take_finished_move()) {
                    let folder = moved.folder.clone();
                    let message = Message::LibraryMoved { moved, finished: true };
                    self.notice = Some(Notice::new(message).with_folder(Some(folder)));
                }
            }
            Err(e) => self.say(Message::Failed(e.into())),
        }
    }

    pub(super) fn library_moved(
        &mut self,
        result: Result<Option<crate::library::Moved>, crate::library::LibraryError>,
    ) {
        self.moving_library = false;
        match result {
            Ok(None) => {}
            Ok(Some(moved)) => {
                // Every path changed: the gallery is read again from the new folder.
                self.gallery.clear();
                self.viewer = None;
                self.comparison = None;
                self.thumbs.clear();
                let folder = moved.folder.clone();
                let message = Message::LibraryMoved { moved, finished: false };
                self.notice = Some(Notice::new(message).with_folder(Some(folder)));
                self.reload_history();
            }
            Err(e) => self.say(Message::Failed(e.into())),
        }
    }
}

fn neighbour_in(gallery: &[GalleryItem], shown: &[usize], id: PictureId, step: isize) -> Option<PictureId> {
    let at = shown.iter().position(|&i| gallery[i].id == id)?;
    shown.get(at.checked_add_signed(step)?).map(|&i| gallery[i].id)
}

/// Reads the settings inside a dropped or opened file (on a worker thread). Only a regular file
/// of a picture's size is read: not a FIFO, a device or gigabytes (egui's own reader takes any).
fn read_dropped(path: &std::path::Path) -> DroppedPicture {
    // A file's name and the system's words are text from outside like any other.
    let name = crate::outside::file_name(path);
    let result = match crate::library::read_bounded(path, crate::library::PICTURE_FILE) {
        Err(crate::library::LibraryError::Io { reason, .. }) => Err(DropProblem::Unreadable(reason)),
        Err(crate::library::LibraryError::NoDataDir) => Err(DropProblem::Unreadable(crate::library::Reason::NoFile)),
        Ok(bytes) if crate::api::response::sniff_format(&bytes).is_none() => Err(DropProblem::NotAPicture),
        Ok(bytes) => {
            crate::library::embed::read_parameters(&bytes).map(|t| Parameters::parse(&t)).ok_or(DropProblem::NoSettings)
        }
    };
    DroppedPicture { name, path: path.to_path_buf(), result }
}
