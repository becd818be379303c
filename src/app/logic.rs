//! Each frame, before anything is drawn: worker events and background replies are taken in,
//! deletes whose Undo time is up go to the trash, and the window's own housekeeping runs.
//! Never blocks.

use super::{App, KeyMessage, KeyScreen, Message, Notice, PictureId, Problem};
use crate::api::ApiError;
use crate::library::{Entry, LibraryError, Moved, PictureError, Trashed};
use crate::secrets::{ApiKey, KeySource, SecretsError, Stored};
use crate::worker::Worker;
use eframe::egui;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Results of background work other than jobs.
pub(super) enum Reply {
    KeyTest(Result<(), ApiError>),
    Full {
        path: PathBuf,
        result: Result<egui::ColorImage, PictureError>,
    },
    Saved {
        result: Result<PathBuf, Problem>,
        folder: Option<PathBuf>,
    },
    SavedAll {
        count: usize,
        folder: PathBuf,
        failed: Vec<Problem>,
    },
    Trashed(Vec<(super::PictureId, Result<Trashed, LibraryError>)>),
    PutBack(Vec<(super::PictureId, Result<(), LibraryError>)>),
    History(Result<Vec<Entry>, LibraryError>),
    Dropped(super::DroppedPicture),
    /// What the library remembers of endpoint `key` refusing previews.
    PreviewsRefused {
        key: String,
        at: Option<std::time::SystemTime>,
    },
    LibraryMoved(Result<Option<Moved>, LibraryError>),
    /// The favourite mark `on` was written, or not.
    Favourite {
        picture: PictureId,
        on: bool,
        result: Result<(), LibraryError>,
    },
    CopyReady(Result<egui::ColorImage, PictureError>),
    KeySaved {
        account: String,
        result: Result<(ApiKey, Stored), SecretsError>,
    },
    KeyForgotten {
        account: String,
        key: Option<(ApiKey, KeySource)>,
        deleted: Result<(), SecretsError>,
    },
    Thumb {
        path: PathBuf,
        result: Result<egui::ColorImage, Problem>,
    },
    ComparePicture {
        id: String,
        path: PathBuf,
        result: Result<egui::ColorImage, PictureError>,
    },
    SheetExported {
        id: String,
        result: Result<(PathBuf, crate::library::sheet::SheetLayout), Problem>,
        no_dialog: bool,
    },
    /// The user cancelled the sheet's dialog.
    SheetCancelled {
        id: String,
    },
    NoDialog,
    /// Picture files picked in a dialog for the change.
    Picked(Vec<PathBuf>),
    /// Pictures checked for the change, in the order they were given, for the addition with
    /// this ticket.
    Added(u64, Vec<Result<super::change::Checked, crate::api::EditError>>),
    /// The change's files were read and checked: ready for the worker, or why not.
    ChangeReady(Result<Arc<crate::worker::EditJob>, crate::api::EditError>),
    /// The mask painter's picture, decoded, with its empty overlay.
    MaskPicture {
        path: PathBuf,
        result: Result<super::mask::Loaded, PictureError>,
    },
    /// Background work panicked; the kind of work it was is no longer in progress.
    Crashed(Work),
    /// The picture a change was made from, for the viewer's before/after wipe.
    Before {
        path: PathBuf,
        result: Result<egui::ColorImage, PictureError>,
    },
}

/// What a piece of background work was doing, so that a panic in it ends just that.
#[derive(Debug, Clone)]
pub(super) enum Work {
    /// Reading the viewer's picture.
    Viewer(PathBuf),
    ComparePicture {
        id: String,
        path: PathBuf,
    },
    Sheet {
        id: String,
    },
    MoveLibrary,
    History,
    KeySave,
    KeyTest,
    Favourite {
        picture: PictureId,
        on: bool,
    },
    /// Checking pictures before they join the change (the addition's ticket).
    Adding(u64),
    /// Reading and checking the change's files before sending.
    PrepareChange,
    /// Reading the mask painter's picture.
    MaskPicture(PathBuf),
    /// Work that leaves nothing in progress behind (a copy, a save, a drop, the trash).
    Other,
    /// Reading the "before" picture of the viewer's before/after wipe.
    Before(PathBuf),
}

impl App {
    /// Takes in what the worker and other background work reported. Never blocks.
    pub fn logic(&mut self, ctx: &egui::Context) {
        while let Some(event) = self.worker.as_ref().and_then(Worker::try_recv) {
            self.on_event(event);
        }
        while let Ok(reply) = self.replies.1.try_recv() {
            self.on_reply(ctx, reply);
        }
        let any_running = self.jobs.iter().any(|j| j.status.is_active());
        self.trash_due(false);
        match self.notice.as_ref().and_then(super::Notice::expires) {
            Some(at) if at <= Instant::now() => self.notice = None,
            Some(at) => ctx.request_repaint_after(at.saturating_duration_since(Instant::now())),
            None => {}
        }
        if !self.cjk_noted && self.cjk_font_missing() {
            self.cjk_noted = true;
            self.say(Message::NoCjkFont);
        }
        // Ctrl + and Ctrl − (egui's own shortcuts) change the size; it is kept for next time.
        self.state.settings.ui_scale = ctx.zoom_factor();
        if self.comparison.is_some() {
            self.load_comparison_pictures();
        }
        self.load_before_picture();
        // Coming back to the window: pictures made meanwhile (by the terminal, say) appear.
        let focused = ctx.input(|i| i.focused);
        if focused && !self.was_focused && !self.history_loading && self.gallery_read_once {
            self.reload_history();
        }
        self.was_focused = focused;
        self.take_dropped_files(ctx);
        if let Some(first) = self.pending_deletes.iter().map(|d| d.due).min() {
            ctx.request_repaint_after(first.saturating_duration_since(Instant::now()));
        }
        if any_running {
            // Elapsed seconds on the requests' tiles tick once a second.
            ctx.request_repaint_after(Duration::from_millis(500));
        }
        if ctx.input(|i| i.viewport().close_requested()) && any_running && !self.allow_close {
            ctx.send_viewport_cmd(egui::ViewportCommand::CancelClose);
            self.confirm_close = true;
        }
    }

    fn on_reply(&mut self, ctx: &egui::Context, reply: Reply) {
        match reply {
            Reply::KeyTest(result) => {
                self.key_screen.testing = false;
                self.key_screen.message = Some(match result {
                    Ok(()) => KeyMessage::Works,
                    Err(e) => KeyMessage::Failed(e.into()),
                });
            }
            Reply::Full { path, result } => self.full_picture(ctx, &path, result),
            Reply::Saved { result, folder } => match result {
                Ok(p) => {
                    if let Some(f) = folder {
                        self.state.settings.last_save_dir = Some(f);
                    }
                    self.say(Message::Saved(p));
                }
                Err(e) => self.say(Message::Failed(e)),
            },
            Reply::SavedAll { count, folder, failed } => {
                self.state.settings.last_save_dir = Some(folder.clone());
                let message = Message::SavedAll { count, folder: folder.clone(), failed };
                self.notice = Some(Notice::new(message).with_folder(Some(folder)));
            }
            Reply::Trashed(results) => self.trashed(results),
            Reply::PutBack(results) => self.put_back_done(results),
            Reply::History(result) => {
                self.history_loading = false;
                match result {
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
            Reply::LibraryMoved(result) => self.library_moved(result),
            Reply::Dropped(d) => self.dropped = Some(d),
            // Unless the endpoint changed meanwhile.
            Reply::PreviewsRefused { key, at } => {
                if self.endpoint().ok().map(|e| e.memory_key()) == Some(key) {
                    self.previews_refused = at;
                }
            }
            Reply::Favourite { picture, on, result: Err(e) } => {
                // Put the mark back as it is on disk.
                if let Some(g) = self.picture_mut(picture) {
                    g.saved.meta.favourite = !on;
                }
                self.say(Message::Failed(e.into()));
            }
            Reply::Favourite { result: Ok(()), .. } => {}
            Reply::CopyReady(Ok(image)) => {
                ctx.copy_image(image);
                self.say(Message::Copied);
            }
            Reply::CopyReady(Err(e)) => self.say(Message::Failed(e.into())),
            Reply::KeySaved { account, result } => self.key_saved(&account, result),
            Reply::KeyForgotten { account, key, deleted } => {
                if self.key_account.as_deref() == Some(account.as_str()) {
                    self.key = key;
                }
                if let Err(e) = deleted {
                    self.say(Message::Failed(e.into()));
                }
            }
            Reply::Thumb { path, result } => self.thumbs.insert(ctx, path, result),
            Reply::ComparePicture { id, path, result } => self.comparison_picture(ctx, &id, path, result),
            Reply::SheetExported { id, result, no_dialog } => self.sheet_exported(&id, result, no_dialog),
            Reply::SheetCancelled { id } => self.sheet_done(&id),
            Reply::NoDialog => {
                self.moving_library = false;
                let folder = self.images_dir();
                self.notice = Some(Notice::new(Message::NoDialog { folder: folder.clone() }).with_folder(folder));
            }
            Reply::Picked(files) => self.add_to_change(files),
            Reply::Added(ticket, checked) => self.on_added(ctx, ticket, Some(checked)),
            Reply::ChangeReady(ready) => self.on_change_ready(ready),
            Reply::MaskPicture { path, result } => {
                // Only for the painter that asked: another may have replaced it meanwhile.
                if let Some(p) = self.painter.as_mut().filter(|p| p.picture() == path && p.waiting()) {
                    p.loaded(ctx, result);
                }
            }
            Reply::Crashed(work) => self.crashed(work),
            Reply::Before { path, result } => self.before_picture(ctx, &path, result),
        }
    }

    /// A piece of background work panicked: what it was doing ends, nothing is left spinning,
    /// and the user is told.
    fn crashed(&mut self, work: Work) {
        match work {
            Work::Viewer(path) => {
                let shows =
                    self.viewer.as_ref().and_then(|v| self.picture(v.picture)).is_some_and(|g| g.saved.path == path);
                if let Some(v) = self.viewer.as_mut().filter(|_| shows) {
                    v.error = Some(Problem::Internal);
                }
            }
            Work::ComparePicture { id, path } => {
                if let Some(c) = self.comparison.as_mut().filter(|c| c.id == id) {
                    c.pictures.insert(path, super::Picture::Failed(Problem::Internal));
                }
            }
            Work::Sheet { id } => self.sheet_done(&id),
            Work::MoveLibrary => self.moving_library = false,
            Work::History => self.history_loading = false,
            Work::KeySave => self.key_screen.message = Some(KeyMessage::Failed(Problem::Internal)),
            Work::KeyTest => {
                self.key_screen.testing = false;
                self.key_screen.message = Some(KeyMessage::Failed(Problem::Internal));
            }
            Work::Favourite { picture, on } => {
                if let Some(g) = self.picture_mut(picture) {
                    g.saved.meta.favourite = !on;
                }
            }
            Work::Adding(ticket) => {
                let ctx = self.ctx.clone();
                self.on_added(&ctx, ticket, None);
            }
            Work::PrepareChange => {
                self.change.preparing = false;
                self.change.comparison = None;
            }
            Work::MaskPicture(path) => {
                if let Some(p) = self.painter.as_mut().filter(|p| p.picture() == path && p.waiting()) {
                    p.error = Some(Problem::Internal);
                }
            }
            Work::Other => {}
            Work::Before(path) => self.before_crashed(&path),
        }
        self.say(Message::Failed(Problem::Internal));
    }

    /// The viewer's full-size picture arrived (or could not be read).
    fn full_picture(
        &mut self,
        ctx: &egui::Context,
        path: &std::path::Path,
        result: Result<egui::ColorImage, PictureError>,
    ) {
        let Some(shown) = self.viewer.as_ref().and_then(|v| self.picture(v.picture)).map(|g| g.saved.path.clone())
        else {
            return;
        };
        // An answer for a picture the viewer has since left.
        if shown != path {
            return;
        }
        let Some(v) = &mut self.viewer else { return };
        match result {
            Ok(image) => {
                let name = format!("full-{}", path.display());
                v.texture = Some(ctx.load_texture(name, image.clone(), egui::TextureOptions::LINEAR));
                v.pixels = Some(Arc::new(image));
            }
            Err(e) => v.error = Some(e.into()),
        }
    }

    fn library_moved(&mut self, result: Result<Option<Moved>, LibraryError>) {
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

    fn key_saved(&mut self, account: &str, result: Result<(ApiKey, Stored), SecretsError>) {
        match result {
            Ok((key, stored)) => {
                if self.key_account.as_deref() == Some(account) {
                    let source = if stored == Stored::Keyring { KeySource::Keyring } else { KeySource::Session };
                    self.key = Some((key, source));
                }
                self.key_screen = KeyScreen::default();
                if stored == Stored::SessionOnly {
                    self.say(Message::KeySessionOnly);
                }
            }
            Err(e) => self.key_screen.message = Some(KeyMessage::Failed(e.into())),
        }
    }
}
