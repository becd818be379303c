//! What the views can ask for, and what each request does: it changes the state or starts work
//! elsewhere (the worker, a blocking thread for the disk and dialogs) and returns at once.

use super::dialogs::open_in_file_manager;
use super::logic::{Reply, Work};
use super::{App, DialogAnswer, KeyScreen, Message, Notice, PictureId, Problem, Viewer};
use crate::library::PictureError;
use crate::worker::JobId;
use eframe::egui;
use std::path::{Path, PathBuf};

/// Everything a view can ask for; run at the end of the frame, never inside a widget.
#[must_use]
#[derive(Debug, Clone, PartialEq)]
pub enum Command {
    /// Send the request the form describes.
    Generate,
    Cancel(JobId),
    /// Send a finished request again, to the same endpoint.
    Retry(JobId),
    /// Take a failed or cancelled request's tile away.
    Dismiss(JobId),
    SaveKey,
    TestKey,
    ForgetKey,
    /// Show the key screen to replace the key in use.
    ReplaceKey,
    /// Leave the key screen opened by `ReplaceKey`, keeping the key in use.
    CancelReplaceKey,
    ShowSettings,
    ShowAbout,
    CloseAbout,
    /// Take the notice away.
    DismissNotice,
    OpenViewer(PictureId),
    CloseViewer,
    /// Show the picture this many places before (−) or after (+) among those shown.
    ViewerStep(isize),
    SaveAs(PictureId),
    /// Copy every picture shown into a folder.
    SaveAll,
    Copy(PictureId),
    Delete(PictureId),
    /// Ctrl-click or Shift-click on a picture.
    Select(PictureId, super::selection::SelectHow),
    SelectAll,
    ClearSelection,
    /// Copy the selected pictures into a folder.
    SaveSelection,
    DeleteSelection,
    FavouriteSelection(bool),
    /// Put these deleted pictures back from the trash.
    PutBack(Vec<PictureId>),
    /// Bring back the picture just deleted.
    Undo,
    Favourite(PictureId, bool),
    MoveLibrary,
    /// Put the settings found in a dropped picture into the form.
    UseDropped,
    CloseDropped,
    /// Start changing the dropped picture.
    ChangeDropped,
    /// Open a folder (the library's when `None`) in the file manager.
    OpenFolder(Option<PathBuf>),
    /// Put a picture's settings into the form.
    Reuse(PictureId),
    /// Put this text into the prompt (an example from the empty gallery).
    SetPrompt(String),
    /// Switch the interface language now.
    SetLanguage(crate::i18n::Lang),
    /// Open the dialog that sets up a comparison.
    AskCompare,
    CloseCompareDialog,
    /// Send the comparison the dialog describes.
    StartComparison,
    /// Show the comparison this picture is part of.
    OpenComparison(PictureId),
    CloseComparison,
    /// Send this cell (a position in the comparison's plan) again.
    RetryCell(usize),
    /// Put this cell's varied settings into the form.
    UseCell(usize),
    ExportSheet,
    /// Settings changed: apply them to the worker and look the key up again if need be.
    ApplySettings,
    Quit,
    KeepOpen,
    /// Give the prompt box the keyboard focus ("Change the prompt" on a refused request):
    /// sets [`FormState::focus_prompt`](super::form::FormState::focus_prompt), which the form
    /// view reads and clears when it draws the prompt.
    FocusPrompt,
    /// Put a failed request back into the form to be changed, the prompt focused; its tile goes.
    EditRequest(JobId),
    /// Send the change of pictures the form describes.
    SendChange,
    /// Start changing this picture: it becomes the only picture of the change, the prompt
    /// focused for the words of the change.
    ChangePicture(PictureId),
    /// Add this picture to the pictures of the change, as a reference.
    UseAsReference(PictureId),
    /// Add these files to the change (dropped, or picked in a dialog).
    AddToChange(Vec<PathBuf>),
    /// Ask for picture files to add to the change.
    AskPicturesForChange,
    /// Add a picture pasted from the clipboard to the change.
    PasteIntoChange(std::sync::Arc<egui::ColorImage>),
    RemoveFromChange(usize),
    /// Move a picture of the change to another place (the first is the one changed).
    MoveInChange {
        from: usize,
        to: usize,
    },
    /// Go back to making new pictures.
    StopChanging,
    /// Show the latest streamed preview of a request's picture large, while it is made.
    OpenPreview(JobId, usize),
    ClosePreview,
    /// Show the mask painter over this picture file: with its mask if it was painted already,
    /// else a new painter replaces the one there was.
    OpenPainter(PathBuf),
    /// Hide the mask painter; the mask is kept.
    ClosePainter,
    /// Drop the mask painter and its mask.
    ForgetMask,
    /// Ask the endpoint in use for previews again, though it refused them lately.
    AskPreviewsAgain,
}

impl App {
    /// Runs the commands the views pushed this frame.
    pub fn run_commands(&mut self, ctx: &egui::Context) {
        for c in std::mem::take(&mut self.commands) {
            self.run(ctx, c);
        }
    }

    fn run(&mut self, ctx: &egui::Context, command: Command) {
        match command {
            Command::Generate => {
                if let Ok(request) = self.validated_request() {
                    self.submit(request, None, None, None);
                }
            }
            c @ (Command::SendChange
            | Command::ChangePicture(_)
            | Command::UseAsReference(_)
            | Command::AddToChange(_)
            | Command::AskPicturesForChange
            | Command::PasteIntoChange(_)
            | Command::RemoveFromChange(_)
            | Command::MoveInChange { .. }
            | Command::StopChanging
            | Command::ChangeDropped) => self.run_change(c),
            Command::Retry(id) => self.retry(id),
            Command::Cancel(id) => {
                if let Some(w) = &self.worker {
                    w.cancel(id);
                }
            }
            Command::Dismiss(id) => self.jobs.retain(|j| j.id != id || j.status.is_active()),
            Command::SaveKey => self.save_key(),
            Command::TestKey => self.test_key(),
            Command::ForgetKey => self.forget_key(),
            Command::ReplaceKey => {
                self.key_screen = KeyScreen { replacing: true, ..KeyScreen::default() };
                self.show_settings = false;
            }
            Command::CancelReplaceKey => self.key_screen = KeyScreen::default(),
            Command::ShowSettings => self.show_settings = true,
            Command::ShowAbout => self.show_about = true,
            Command::CloseAbout => self.show_about = false,
            Command::DismissNotice => self.notice = None,
            Command::OpenViewer(id) => self.open_viewer(id),
            Command::CloseViewer => self.viewer = None,
            Command::ViewerStep(step) => {
                if let Some(next) = self.viewer.as_ref().and_then(|v| self.neighbour(v.picture, step)) {
                    self.open_viewer(next);
                }
            }
            Command::SaveAs(id) => self.save_as(id),
            Command::SaveAll => {
                let ids = self.shown_ids();
                self.save_many(&ids);
            }
            Command::Copy(id) => self.copy(ctx, id),
            Command::Delete(id) => self.delete(&[id]),
            Command::Select(id, how) => self.select(id, how),
            Command::SelectAll => self.select_all(),
            Command::ClearSelection => self.selection.clear(),
            Command::SaveSelection => {
                let ids = self.selected();
                self.save_many(&ids);
            }
            Command::DeleteSelection => {
                let ids = self.selected();
                self.delete(&ids);
            }
            Command::FavouriteSelection(on) => self.favourite_selection(on),
            Command::PutBack(ids) => self.put_back(&ids),
            Command::Undo => self.undo(),
            Command::MoveLibrary => self.move_library(),
            Command::UseDropped => {
                if let Some(Ok(params)) = self.dropped.take().map(|d| d.result) {
                    self.state.form = super::FormState::from_request(&params.request());
                    self.viewer = None;
                }
            }
            Command::CloseDropped => self.dropped = None,
            Command::Favourite(id, on) => self.favourite(id, on),
            Command::OpenFolder(path) => {
                if let Some(f) = path.or_else(|| self.images_dir())
                    && let Err(e) = open_in_file_manager(&f)
                {
                    log::warn!("no file manager opened {}: {e}", f.display());
                    self.say(Message::NoFileManager(f));
                }
            }
            Command::Reuse(id) => {
                if let Some(item) = self.picture(id) {
                    self.state.form = super::FormState::from_request(&item.saved.meta.request);
                    self.viewer = None;
                }
            }
            Command::SetPrompt(prompt) => self.state.form.prompt = prompt,
            Command::SetLanguage(lang) => {
                crate::i18n::set(lang);
                self.state.settings.language = Some(lang);
                // The fonts follow: Chinese and Japanese ideographs are drawn differently.
                self.cjk_missing = crate::ui::fonts::install(ctx, lang);
            }
            Command::AskCompare => self.compare_draft = Some(super::CompareDraft::default()),
            Command::CloseCompareDialog => self.compare_draft = None,
            Command::StartComparison => self.start_comparison(),
            Command::OpenComparison(id) => self.open_comparison(id),
            Command::CloseComparison => self.comparison = None,
            Command::RetryCell(cell) => self.retry_cell(cell),
            Command::UseCell(cell) => self.use_cell(cell),
            Command::ExportSheet => self.export_sheet(),
            Command::ApplySettings => self.apply_settings(),
            Command::Quit => {
                self.allow_close = true;
                self.confirm_close = false;
                ctx.send_viewport_cmd(egui::ViewportCommand::Close);
            }
            Command::KeepOpen => self.confirm_close = false,
            Command::FocusPrompt => {
                self.state.form.focus_prompt = true;
                // A viewer or dialog over the form would hide where the typing goes.
                self.viewer = None;
            }
            Command::EditRequest(id) => self.edit_request(ctx, id),
            Command::OpenPreview(id, index) => self.preview_open = Some((id, index)),
            Command::ClosePreview => self.preview_open = None,
            Command::OpenPainter(path) => self.open_painter(ctx, path),
            Command::ClosePainter => self.close_painter(ctx, false),
            Command::ForgetMask => self.close_painter(ctx, true),
            Command::AskPreviewsAgain => self.ask_previews_again(),
        }
    }

    /// Puts a failed request back into the form to be changed, the prompt focused; its tile goes.
    fn edit_request(&mut self, ctx: &egui::Context, id: JobId) {
        let Some(job) = self.jobs.iter().find(|j| j.id == id && !j.status.is_active()) else { return };
        self.state.form = super::FormState::from_request(&job.request);
        // A refused change comes back as a change of the same pictures.
        let pictures = job.edit.as_ref().map(|e| e.pictures.clone());
        self.jobs.retain(|j| j.id != id);
        if let Some(pictures) = pictures {
            self.run_change(Command::StopChanging);
            self.add_to_change(pictures);
        }
        self.run(ctx, Command::FocusPrompt);
    }

    /// Shows `message` in the notice bar, replacing what was there.
    pub(super) fn say(&mut self, message: Message) {
        self.notice = Some(Notice::new(message));
    }

    /// Forgets the endpoint's refusal of previews: the next request asks for them.
    fn ask_previews_again(&mut self) {
        self.previews_refused = None;
        let (Some(worker), Ok(endpoint)) = (&self.worker, self.endpoint()) else { return };
        let (library, key) = (worker.library().clone(), endpoint.memory_key());
        self.background_maybe(Work::Other, move || {
            // Failing to forget costs one request without previews more.
            if let Err(e) = library.forget_previews_refusal(&key) {
                log::warn!("the refusal of previews could not be forgotten: {e}");
            }
            None
        });
    }

    fn apply_settings(&mut self) {
        if let Some(w) = &self.worker {
            w.set_max_concurrent(self.state.settings.max_jobs.clamp(1, 10));
            w.set_prices(self.state.settings.prices.clone());
        }
        // The keyring is asked only when the endpoint, and so the key, really changed.
        if self.endpoint().ok().map(|e| e.key_account()) != self.key_account {
            self.reload_key();
        }
    }

    fn save_key(&mut self) {
        let endpoint = match self.endpoint() {
            Ok(e) => e,
            Err(e) => {
                self.key_screen.message = Some(super::KeyMessage::Failed(e.into()));
                return;
            }
        };
        let key = match crate::secrets::ApiKey::parse(&self.key_screen.input) {
            Ok(k) => k,
            Err(e) => {
                self.key_screen.message = Some(super::KeyMessage::Failed(e.into()));
                return;
            }
        };
        // The keyring may be slow or ask to be unlocked: never on the UI thread.
        let secrets = self.secrets.clone();
        let account = endpoint.key_account();
        self.key_screen.message = None;
        self.background(Work::KeySave, move || {
            let result = secrets.store(&account, &key).map(|stored| (key, stored));
            Reply::KeySaved { account, result }
        });
    }

    fn test_key(&mut self) {
        let (Some(worker), Ok(endpoint)) = (&self.worker, self.endpoint()) else { return };
        let typed = crate::secrets::ApiKey::parse(&self.key_screen.input).ok();
        let Some(key) = typed.or_else(|| self.key.as_ref().map(|k| k.0.clone())) else {
            self.key_screen.message = Some(super::KeyMessage::Failed(crate::secrets::KeyError::Empty.into()));
            return;
        };
        self.key_screen.testing = true;
        self.key_screen.message = None;
        let client = worker.client();
        let (tx, ctx, handle) = (self.replies.0.clone(), self.ctx.clone(), worker.handle());
        let test = handle.spawn(async move {
            let cancel = tokio_util::sync::CancellationToken::new();
            let checked = match client.get().await {
                Ok(client) => client.check_key(&endpoint.base_url, key.expose(), &cancel).await,
                Err(e) => Err(e),
            };
            Reply::KeyTest(checked)
        });
        handle
            .spawn(async move { deliver(&tx, &ctx, Some(test.await.unwrap_or_else(|e| crashed(&e, Work::KeyTest)))) });
    }

    fn forget_key(&mut self) {
        let Ok(e) = self.endpoint() else { return };
        let secrets = self.secrets.clone();
        let account = e.key_account();
        self.background(Work::Other, move || {
            let deleted = secrets.delete(&account).map(|_| ());
            // An EASEL_API_KEY in the environment still applies after the keyring's is gone.
            Reply::KeyForgotten { key: secrets.load(&account), account, deleted }
        });
    }

    pub(super) fn open_viewer(&mut self, id: PictureId) {
        let Some(item) = self.picture(id) else { return };
        let path = item.saved.path.clone();
        self.viewer = Some(Viewer::new(id));
        // The full picture is read and decoded off the UI thread.
        self.background(Work::Viewer(path.clone()), move || Reply::Full { result: decode_file(&path), path });
    }

    pub(super) fn open_painter(&mut self, ctx: &egui::Context, path: PathBuf) {
        self.painting = true;
        // The view changes under the pointer: drawn at once, not at the next input.
        ctx.request_repaint();
        let same = self.painter.as_ref().is_some_and(|p| p.picture() == path && p.error.is_none());
        if same {
            return;
        }
        self.painter = Some(super::mask::MaskPainter::new(path.clone()));
        // The picture is read and decoded off the UI thread, its empty overlay made there too.
        let work = Work::MaskPicture(path.clone());
        if !self.background(work, move || Reply::MaskPicture { result: super::mask::Loaded::read(&path), path })
            && let Some(p) = &mut self.painter
        {
            p.error = Some(Problem::Internal);
        }
    }

    /// Hides the painter, keeping its mask unless `forget`.
    fn close_painter(&mut self, ctx: &egui::Context, forget: bool) {
        self.painting = false;
        if forget {
            self.painter = None;
        }
        ctx.request_repaint();
    }

    fn copy(&mut self, ctx: &egui::Context, id: PictureId) {
        match self.viewer.as_ref().filter(|v| v.picture == id).and_then(|v| v.pixels.clone()) {
            Some(pixels) => {
                ctx.copy_image((*pixels).clone());
                self.say(Message::Copied);
            }
            // From the gallery: the picture is decoded off the UI thread first.
            None => {
                if let Some(path) = self.picture(id).map(|g| g.saved.path.clone()) {
                    self.background(Work::Other, move || Reply::CopyReady(decode_file(&path)));
                }
            }
        }
    }

    pub(super) fn favourite(&mut self, id: PictureId, on: bool) {
        let Some(library) = self.worker.as_ref().map(|w| w.library().clone()) else { return };
        let Some(item) = self.picture_mut(id) else { return };
        // Shown at once; put back if the disk refuses.
        item.saved.meta.favourite = on;
        let saved = item.saved.clone();
        self.background(Work::Favourite { picture: id, on }, move || Reply::Favourite {
            picture: id,
            on,
            result: library.set_favourite(&saved, on).map(|_| ()),
        });
    }

    fn save_as(&mut self, id: PictureId) {
        let Some(item) = self.picture(id) else { return };
        let source = item.saved.path.clone();
        let ext = item.saved.meta.format.extension();
        let name = format!("{}.{ext}", crate::library::file_stem_from_prompt(&item.saved.meta.request.prompt));
        let folder = self.state.settings.last_save_dir.clone();
        let dialogs = self.dialogs.clone();
        let private = !self.state.settings.settings_in_saved_files;
        self.background_maybe(Work::Other, move || match dialogs.save_file(&name, folder.as_deref()) {
            DialogAnswer::Chosen(target) => {
                let result = export_bytes(&source, private)
                    .and_then(|bytes| Ok(crate::library::write_atomic(&target, &bytes)?))
                    .map(|()| target.clone());
                Some(Reply::Saved { result, folder: target.parent().map(Path::to_path_buf) })
            }
            DialogAnswer::Cancelled => None,
            DialogAnswer::Unavailable => Some(Reply::NoDialog),
        });
    }

    fn move_library(&mut self) {
        if self.moving_library || self.active_jobs() > 0 {
            return;
        }
        // Deleted pictures still waiting for Undo's time would be left behind: trash them now.
        self.trash_due(true);
        let Some(worker) = &self.worker else { return };
        let library = worker.library().clone();
        let dialogs = self.dialogs.clone();
        let here = library.images_dir();
        self.moving_library = true;
        self.background(Work::MoveLibrary, move || match dialogs.pick_folder(here.parent()) {
            DialogAnswer::Chosen(dir) => Reply::LibraryMoved(library.move_to(&dir).map(Some)),
            DialogAnswer::Cancelled => Reply::LibraryMoved(Ok(None)),
            DialogAnswer::Unavailable => Reply::NoDialog,
        });
    }

    /// Copies these pictures into a folder the user picks.
    fn save_many(&mut self, ids: &[PictureId]) {
        let items: Vec<(PathBuf, String, usize, &'static str)> = ids
            .iter()
            .filter_map(|&id| self.picture(id))
            .map(|g| &g.saved)
            .map(|s| (s.path.clone(), s.meta.request.prompt.clone(), s.meta.index + 1, s.meta.format.extension()))
            .collect();
        let folder = self.state.settings.last_save_dir.clone();
        let dialogs = self.dialogs.clone();
        let private = !self.state.settings.settings_in_saved_files;
        self.background_maybe(Work::Other, move || match dialogs.pick_folder(folder.as_deref()) {
            DialogAnswer::Chosen(dir) => {
                let mut failed = Vec::new();
                let mut count = 0;
                for (path, prompt, index, ext) in items {
                    let copied = export_bytes(&path, private)
                        .and_then(|b| Ok(crate::library::copy_named(&b, &dir, &prompt, index, ext)?));
                    match copied {
                        Ok(_) => count += 1,
                        Err(e) => failed.push(e),
                    }
                }
                Some(Reply::SavedAll { count, folder: dir, failed })
            }
            DialogAnswer::Cancelled => None,
            DialogAnswer::Unavailable => Some(Reply::NoDialog),
        });
    }

    /// Runs disk work on the worker's blocking threads and hands the answer to `logic`;
    /// `false` when there is no worker (the library could not be opened) and nothing runs.
    pub(super) fn background(&self, kind: Work, work: impl FnOnce() -> Reply + Send + 'static) -> bool {
        self.background_maybe(kind, move || Some(work()))
    }

    /// The same for work that may have nothing to say (a dialog the user cancelled). If the
    /// work panics, `logic` hears which `kind` of work it was and ends just that.
    pub(super) fn background_maybe(&self, kind: Work, work: impl FnOnce() -> Option<Reply> + Send + 'static) -> bool {
        let Some(worker) = &self.worker else { return false };
        let (tx, ctx, handle) = (self.replies.0.clone(), self.ctx.clone(), worker.handle());
        let task = handle.spawn_blocking(work);
        handle.spawn(async move {
            let reply = match task.await {
                Ok(reply) => reply,
                Err(e) => Some(crashed(&e, kind)),
            };
            deliver(&tx, &ctx, reply);
        });
        true
    }
}

/// Word that a piece of background work panicked, and which, so `logic` ends just that.
fn crashed(e: &tokio::task::JoinError, kind: Work) -> Reply {
    log::error!("background work ({kind:?}) stopped: {e}");
    Reply::Crashed(kind)
}

/// Hands a reply to `logic` and wakes the window.
fn deliver(tx: &std::sync::mpsc::Sender<Reply>, ctx: &egui::Context, reply: Option<Reply>) {
    // No receiver: the window is closing, and there is no one to tell.
    if let Some(reply) = reply
        && tx.send(reply).is_ok()
    {
        ctx.request_repaint();
    }
}

/// Reads and decodes a library picture, ready to become a texture or go to the clipboard
/// (on a worker thread).
pub(super) fn decode_file(path: &Path) -> Result<egui::ColorImage, PictureError> {
    let rgba = crate::library::read_picture(path)?;
    Ok(egui::ColorImage::from_rgba_unmultiplied([rgba.width() as usize, rgba.height() as usize], rgba.as_raw()))
}

/// A library picture's bytes for a copy outside the library: with its settings inside, or,
/// when the user asked for privacy, without them (the picture data is untouched either way).
fn export_bytes(path: &Path, private: bool) -> Result<Vec<u8>, Problem> {
    let bytes =
        std::fs::read(path).map_err(|e| crate::library::LibraryError::io(crate::library::Action::Read, path, &e))?;
    if !private {
        return Ok(bytes);
    }
    Ok(crate::library::embed::strip(&bytes)?)
}
