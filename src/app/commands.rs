//! What the views can ask for, and what each request does: it changes the state or starts work
//! elsewhere (the worker, a blocking thread for the disk and dialogs) and returns at once.

use super::background::{nothing_to_end, reply};
use super::dialogs::open_in_file_manager;
use super::{App, DialogAnswer, Message, Modal, Notice, PictureId, Problem};
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
    /// Open (or fold again) the line that stands for several failed requests.
    ShowFailures(bool),
    /// Take every failed request's tile away.
    DismissFailures,
    SaveKey,
    TestKey,
    ForgetKey,
    /// Show the key screen to replace the key in use.
    ReplaceKey,
    /// Leave the key screen opened by `ReplaceKey`, keeping the key in use.
    CancelReplaceKey,
    ShowSettings,
    CloseSettings,
    /// Close the window over the screen, whichever it is (Esc): as its Close or Cancel would.
    CloseWindow,
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

/// What each [`Remedy`](crate::worker::Remedy) button does in the window.
impl crate::worker::Remedy {
    /// The command that carries out this remedy for the request `job`: a retry sends it again,
    /// "Change the prompt" puts the keyboard focus in the prompt box, "Check the key" opens the
    /// key screen, "Check the settings" opens Settings. Every remedy has one, so a failed
    /// request's tile can always offer its button:
    ///
    /// ```ignore
    /// let remedy = error.remedy();
    /// if ui.button(remedy.label()).clicked() {
    ///     commands.push(remedy.command(job.id));
    /// }
    /// ```
    pub fn command(self, job: crate::worker::JobId) -> Command {
        use crate::worker::Remedy;
        match self {
            Remedy::Retry | Remedy::RetryLater => Command::Retry(job),
            // What was sent goes back into the form (it may hold another prompt by now), to be
            // changed there.
            Remedy::ChangePrompt | Remedy::ChangeSettings => Command::EditRequest(job),
            Remedy::CheckKey => Command::ReplaceKey,
            Remedy::CheckSettings => Command::ShowSettings,
        }
    }
}

impl App {
    /// Ends a frame once the views are drawn: thumbnails not drawn are let go, and the commands
    /// the views pushed run.
    pub fn end_frame(&mut self, ctx: &egui::Context) {
        self.thumbs.end_frame();
        self.run_commands(ctx);
    }

    /// The window is closing: deleted pictures waiting for Undo's time go to the trash now.
    pub fn closing(&mut self) {
        self.trash_due(true);
    }

    /// Runs the commands the views pushed this frame.
    fn run_commands(&mut self, ctx: &egui::Context) {
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
            Command::ShowFailures(open) => self.failures_open = open,
            Command::DismissFailures => {
                self.jobs.retain(|j| !j.status.has_ended());
                self.failures_open = false;
            }
            c @ (Command::SaveKey
            | Command::TestKey
            | Command::ForgetKey
            | Command::ReplaceKey
            | Command::CancelReplaceKey) => self.run_key(c),
            Command::ShowSettings => self.open_modal(Modal::Settings),
            Command::CloseSettings => self.close_modal_if(|m| matches!(m, Modal::Settings)),
            Command::CloseWindow => self.close_top_modal(),
            Command::ShowAbout => self.open_modal(Modal::About),
            Command::CloseAbout => self.close_modal_if(|m| matches!(m, Modal::About)),
            Command::DismissNotice => self.notice = None,
            c @ (Command::OpenViewer(_) | Command::CloseViewer | Command::ViewerStep(_)) => self.run_viewer(c),
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
                if let Some(Ok(params)) = self.take_dropped().map(|d| d.result) {
                    self.state.form = super::FormState::from_request(&params.request());
                    self.viewer = None;
                }
            }
            Command::CloseDropped => self.close_modal_if(|m| matches!(m, Modal::Dropped(_))),
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
                self.cjk_missing = crate::fonts::install(ctx, lang);
            }
            c @ (Command::AskCompare
            | Command::CloseCompareDialog
            | Command::StartComparison
            | Command::OpenComparison(_)
            | Command::CloseComparison
            | Command::RetryCell(_)
            | Command::UseCell(_)
            | Command::ExportSheet) => self.run_compare(c),
            Command::ApplySettings => self.apply_settings(),
            Command::Quit => {
                self.allow_close = true;
                self.close_modal_if(|m| matches!(m, Modal::ConfirmClose));
                ctx.send_viewport_cmd(egui::ViewportCommand::Close);
            }
            Command::KeepOpen => self.close_modal_if(|m| matches!(m, Modal::ConfirmClose)),
            Command::FocusPrompt => {
                self.state.form.focus_prompt = true;
                // A viewer or dialog over the form would hide where the typing goes.
                self.viewer = None;
            }
            Command::EditRequest(id) => self.edit_request(ctx, id),
            Command::OpenPreview(job, index) => self.open_modal(Modal::Preview { job, index }),
            Command::ClosePreview => self.close_modal_if(|m| matches!(m, Modal::Preview { .. })),
            c @ (Command::OpenPainter(_) | Command::ClosePainter | Command::ForgetMask) => self.run_painter(ctx, c),
            Command::AskPreviewsAgain => self.ask_previews_again(),
        }
    }

    /// Puts a failed request back into the form to be changed, the prompt focused; its tile goes.
    fn edit_request(&mut self, ctx: &egui::Context, id: JobId) {
        let Some(job) = self.jobs.iter().find(|j| j.id == id && !j.status.is_active()) else { return };
        let form = super::FormState::from_request(&job.request);
        let pictures = job.edit.as_ref().map(|e| e.pictures.clone());
        self.jobs.retain(|j| j.id != id);
        // Whatever change was open ends, the form given back; then the request fills it.
        self.end_change();
        if let Some(pictures) = pictures {
            // A refused change comes back as a change of the same pictures, with its words;
            // closing it gives back the form from before.
            self.change.form_before = Some(std::mem::replace(&mut self.state.form, form));
            self.add_to_change(pictures);
        } else {
            self.state.form = form;
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
        self.background_maybe(nothing_to_end, move || {
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

    fn copy(&mut self, ctx: &egui::Context, id: PictureId) {
        match self.viewer.as_ref().filter(|v| v.picture == id).and_then(|v| v.pixels.clone()) {
            Some(pixels) => {
                ctx.copy_image((*pixels).clone());
                self.say(Message::Copied);
            }
            // From the gallery: the picture is decoded off the UI thread first.
            None => {
                if let Some(path) = self.picture(id).map(|g| g.saved.path.clone()) {
                    self.background(nothing_to_end, move || {
                        let decoded = super::thumbs::decode_file(&path);
                        reply(move |app, ctx| match decoded {
                            Ok(image) => {
                                ctx.copy_image(image);
                                app.say(Message::Copied);
                            }
                            Err(e) => app.say(Message::Failed(e.into())),
                        })
                    });
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
        // Put the mark back as it is on disk when the disk refuses.
        let put_back = move |app: &mut App| {
            if let Some(g) = app.picture_mut(id) {
                g.saved.meta.favourite = !on;
            }
        };
        self.background(put_back, move || {
            let result = library.set_favourite(&saved, on);
            reply(move |app, _| {
                if let Err(e) = result {
                    put_back(app);
                    app.say(Message::Failed(e.into()));
                }
            })
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
        self.background_maybe(nothing_to_end, move || match dialogs.save_file(&name, folder.as_deref()) {
            DialogAnswer::Chosen(target) => {
                let result = export_bytes(&source, private)
                    .and_then(|bytes| Ok(crate::library::write_atomic(&target, &bytes)?))
                    .map(|()| target.clone());
                let folder = target.parent().map(Path::to_path_buf);
                Some(reply(move |app, _| match result {
                    Ok(p) => {
                        if let Some(f) = folder {
                            app.state.settings.last_save_dir = Some(f);
                        }
                        app.say(Message::Saved(p));
                    }
                    Err(e) => app.say(Message::Failed(e)),
                }))
            }
            DialogAnswer::Cancelled => None,
            DialogAnswer::Unavailable => Some(reply(|app, _| app.no_dialog())),
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
        let crashed = |app: &mut App| app.moving_library = false;
        self.background(crashed, move || {
            let result = match dialogs.pick_folder(here.parent()) {
                DialogAnswer::Chosen(dir) => library.move_to(&dir).map(Some),
                DialogAnswer::Cancelled => Ok(None),
                DialogAnswer::Unavailable => return reply(|app, _| app.no_dialog()),
            };
            reply(move |app, _| app.library_moved(result))
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
        self.background_maybe(nothing_to_end, move || match dialogs.pick_folder(folder.as_deref()) {
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
                Some(reply(move |app, _| {
                    app.state.settings.last_save_dir = Some(dir.clone());
                    let message = Message::SavedAll { count, folder: dir.clone(), failed };
                    app.notice = Some(Notice::new(message).with_folder(Some(dir)));
                }))
            }
            DialogAnswer::Cancelled => None,
            DialogAnswer::Unavailable => Some(reply(|app, _| app.no_dialog())),
        });
    }

    /// No file dialog could be shown: says where the pictures are instead.
    pub(super) fn no_dialog(&mut self) {
        self.moving_library = false;
        let folder = self.images_dir();
        self.notice = Some(Notice::new(Message::NoDialog { folder: folder.clone() }).with_folder(folder));
    }
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
