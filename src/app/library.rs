//! The app's side of the library: the gallery's pictures, the history read at start-up and
//! merged with what this run made, deletes that wait for Undo, and dropped picture files.

use super::{App, Reply};
use crate::library::embed::Parameters;
use crate::library::{Entry, SavedImage, Trashed};
use crate::ui::{self, text};
use crate::worker::JobId;
use eframe::egui;
use std::path::PathBuf;
use std::time::Instant;

/// A picture in the gallery.
pub struct GalleryItem {
    /// The job that made it in this session; 0 for pictures from the history.
    pub job: JobId,
    pub saved: SavedImage,
    /// Why its details are missing, if they are.
    pub damaged: Option<String>,
    /// Deleted, waiting for Undo's time to pass before it goes to the trash.
    pub hidden: bool,
    /// The prompt in lower case, for the search.
    pub search: String,
}

impl GalleryItem {
    pub(super) fn new(job: JobId, saved: SavedImage, damaged: Option<String>) -> GalleryItem {
        let search = saved.meta.request.prompt.to_lowercase();
        GalleryItem { job, saved, damaged, hidden: false, search }
    }
}

/// A picture file dropped on the window, and the settings found inside it.
pub struct DroppedPicture {
    pub name: String,
    pub result: Result<Parameters, String>,
}

/// A deleted picture that goes to the trash when Undo's time is up.
pub(super) struct PendingDelete {
    pub(super) path: PathBuf,
    pub(super) due: Instant,
}

impl App {
    /// Starts the thumbnail loaders and reads the history, off the UI thread.
    pub(super) fn load_history(&mut self) {
        let Some(worker) = &self.worker else { return };
        let library = worker.library().clone();
        let (tx, ctx) = (self.replies.0.clone(), self.ctx.clone());
        self.thumbs.start(library, ui::theme::THUMB_PIXELS, move |path, result| {
            let _ = tx.send(Reply::Thumb { path, result });
            ctx.request_repaint();
        });
        self.reload_history();
    }

    /// Reads the history again (after the library moved), off the UI thread.
    pub(super) fn reload_history(&mut self) {
        let Some(worker) = &self.worker else { return };
        let library = worker.library().clone();
        self.history_loading = true;
        self.background(move || Reply::History(library.history().map_err(|e| e.to_string())));
    }

    /// Takes in a reading of the library: pictures already shown keep their state (job,
    /// favourite, a pending delete); new ones (from the terminal, say) take their place in
    /// time; pictures saved after the reading stay first.
    pub(super) fn merge_history(&mut self, entries: Vec<Entry>) {
        let viewed = self.viewer.as_ref().and_then(|v| self.gallery.get(v.index)).map(|g| g.saved.path.clone());
        let mut known: std::collections::HashMap<PathBuf, GalleryItem> =
            self.gallery.drain(..).map(|g| (g.saved.path.clone(), g)).collect();
        let listed: Vec<GalleryItem> = entries
            .into_iter()
            .filter(|e| !self.trashed.contains(&e.saved.path))
            .map(|e| known.remove(&e.saved.path).unwrap_or_else(|| GalleryItem::new(0, e.saved, e.damaged)))
            .collect();
        let mut newer: Vec<GalleryItem> = known.into_values().collect();
        newer.sort_by(|a, b| {
            b.saved.meta.created.cmp(&a.saved.meta.created).then(a.saved.meta.index.cmp(&b.saved.meta.index))
        });
        self.gallery = newer.into_iter().chain(listed).collect();
        if let Some(v) = &mut self.viewer {
            match viewed.and_then(|p| self.gallery.iter().position(|g| g.saved.path == p)) {
                Some(i) => v.index = i,
                None => self.viewer = None,
            }
        }
    }

    /// A new picture goes first; the viewer keeps showing the picture it showed.
    pub(super) fn add_to_gallery(&mut self, item: GalleryItem) {
        self.gallery.insert(0, item);
        if let Some(v) = &mut self.viewer {
            v.index += 1;
        }
    }

    /// Positions in the gallery that the search and filters let through, in order.
    pub fn shown(&self) -> Vec<usize> {
        self.filter.apply(&self.gallery)
    }

    /// The shown picture `step` places from the one at `index`.
    pub fn neighbour(&self, index: usize, step: isize) -> Option<usize> {
        neighbour_in(&self.shown(), index, step)
    }

    /// Whether there is a shown picture before and after the one at `index` (one filter pass).
    pub fn has_neighbours(&self, index: usize) -> (bool, bool) {
        let shown = self.shown();
        (neighbour_in(&shown, index, -1).is_some(), neighbour_in(&shown, index, 1).is_some())
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
        let mut gone = Vec::new();
        for d in &due {
            if let Some(pos) = self.gallery.iter().position(|g| g.saved.path == d.path) {
                gone.push(self.gallery.remove(pos).saved);
                self.trashed.insert(d.path.clone());
                if let Some(v) = &mut self.viewer
                    && v.index > pos
                {
                    v.index -= 1;
                }
                self.thumbs.forget(&d.path);
            }
            if self.notice.as_ref().and_then(|n| n.undo.as_ref()) == Some(&d.path) {
                self.notice = None;
            }
        }
        let library = worker.library().clone();
        let work = move || {
            let mut result = Ok(Trashed::System);
            for saved in &gone {
                match library.trash(saved) {
                    Ok(Trashed::System) => {}
                    other => result = other.map_err(|e| e.to_string()),
                }
            }
            Reply::Trashed(result)
        };
        if all {
            // Closing: done now, while the process still lives (moving to the trash is a rename).
            let _ = work();
        } else {
            self.background(work);
        }
    }
}

fn neighbour_in(shown: &[usize], index: usize, step: isize) -> Option<usize> {
    let at = shown.iter().position(|&i| i == index)?;
    shown.get(at.checked_add_signed(step)?).copied()
}

/// Reads the settings inside a dropped file (on a worker thread).
pub(super) fn read_dropped(file: &(dyn egui::DroppedFile + Send + Sync)) -> DroppedPicture {
    let name =
        file.path().file_name().map_or_else(|| file.path().display().to_string(), |n| n.to_string_lossy().into_owned());
    let result = match file.bytes() {
        Err(e) => Err(text::unreadable_picture(&name, &e)),
        Ok(bytes) if crate::api::response::sniff_format(&bytes).is_none() => Err(text::not_a_picture(&name)),
        Ok(bytes) => crate::library::embed::read_parameters(&bytes)
            .map(|t| Parameters::parse(&t))
            .ok_or_else(|| text::no_settings_inside(&name)),
    };
    DroppedPicture { name, result }
}
