//! Running the commands the views pushed: each starts work elsewhere (the worker, a blocking
//! thread for the disk and dialogs) and returns at once.

use super::dialogs::open_in_file_manager;
use super::*;

impl App {
    /// Runs the commands the views pushed this frame.
    pub fn run_commands(&mut self, ctx: &egui::Context) {
        for c in std::mem::take(&mut self.commands) {
            self.run(ctx, c);
        }
    }

    pub(super) fn run(&mut self, ctx: &egui::Context, command: Command) {
        match command {
            Command::Generate => {
                if let Ok(request) = self.validated_request() {
                    self.submit(request, None, None);
                }
            }
            Command::Retry(id) => {
                // Same settings, same endpoint; the old card goes only once the new one exists.
                if let Some((request, endpoint, tag)) = self
                    .jobs
                    .iter()
                    .find(|j| j.id == id)
                    .map(|j| (j.request.clone(), j.endpoint.clone(), j.comparison.clone()))
                {
                    if self.submit(request, Some(endpoint), tag) {
                        self.jobs.retain(|j| j.id != id);
                    } else {
                        self.notice = Some(Notice::error(text::NO_KEY()));
                    }
                }
            }
            Command::Cancel(id) => {
                if let Some(w) = &self.worker {
                    w.cancel(id);
                }
            }
            Command::Dismiss(id) => self.jobs.retain(|j| j.id != id || j.status.is_active()),
            Command::SaveKey => self.save_key(),
            Command::TestKey => self.test_key(),
            Command::ForgetKey => {
                if let Ok(e) = self.endpoint() {
                    let secrets = self.secrets.clone();
                    let account = e.key_account();
                    self.background(move || {
                        let deleted = secrets.delete(&account).map(|_| ()).map_err(|e| e.to_string());
                        // An EASEL_API_KEY in the environment still applies after the keyring's is gone.
                        Reply::KeyForgotten { key: secrets.load(&account), account, deleted }
                    });
                }
            }
            Command::ReplaceKey => {
                self.key_screen = KeyScreen { replacing: true, ..KeyScreen::default() };
                self.show_settings = false;
            }
            Command::OpenViewer(index) => self.open_viewer(index),
            Command::CloseViewer => self.viewer = None,
            Command::ViewerStep(step) => {
                if let Some(next) = self.viewer.as_ref().and_then(|v| self.neighbour(v.index, step)) {
                    self.open_viewer(next);
                }
            }
            Command::SaveAs(index) => self.save_as(index),
            Command::SaveAll => self.save_all(),
            Command::Copy(index) => {
                match self.viewer.as_ref().filter(|v| v.index == index).and_then(|v| v.pixels.clone()) {
                    Some(pixels) => {
                        ctx.copy_image((*pixels).clone());
                        self.notice = Some(Notice::info(text::COPIED()));
                    }
                    // From the gallery: the picture is decoded off the UI thread first.
                    None => {
                        if let Some(path) = self.gallery.get(index).map(|g| g.saved.path.clone()) {
                            self.background(move || Reply::CopyReady(decode_file(&path)));
                        }
                    }
                }
            }
            Command::Delete(index) => {
                // Hidden now, trashed once Undo's time is up: Undo never depends on the trash.
                let next = self
                    .viewer
                    .as_ref()
                    .filter(|v| v.index == index)
                    .and(self.neighbour(index, 1).or_else(|| self.neighbour(index, -1)));
                if let Some(item) = self.gallery.get_mut(index) {
                    item.hidden = true;
                    let path = item.saved.path.clone();
                    self.pending_deletes
                        .push(PendingDelete { path: path.clone(), due: Instant::now() + self.undo_window });
                    let mut n = Notice::info(text::DELETED());
                    n.undo = Some(path);
                    self.notice = Some(n);
                    match next {
                        Some(next) => self.open_viewer(next),
                        None => self.viewer = None,
                    }
                }
            }
            Command::Undo => {
                if let Some(path) = self.notice.as_mut().and_then(|n| n.undo.take()) {
                    self.pending_deletes.retain(|d| d.path != path);
                    if let Some(g) = self.gallery.iter_mut().find(|g| g.saved.path == path) {
                        g.hidden = false;
                    }
                    self.notice = None;
                }
            }
            Command::MoveLibrary => self.move_library(),
            Command::UseDropped => {
                if let Some(Ok(params)) = self.dropped.take().map(|d| d.result) {
                    self.state.form = FormState::from_request(&params.request());
                    self.viewer = None;
                }
            }
            Command::CloseDropped => self.dropped = None,
            Command::Favourite(index, on) => {
                if let (Some(worker), Some(item)) = (&self.worker, self.gallery.get_mut(index)) {
                    item.saved.meta.favourite = on;
                    let (saved, library) = (item.saved.clone(), worker.library().clone());
                    self.background(move || Reply::Favourite {
                        path: saved.path.clone(),
                        result: library.set_favourite(&saved, on).map(|m| m.favourite).map_err(|e| e.to_string()),
                    });
                }
            }
            Command::OpenFolder(path) => {
                let folder = path.or_else(|| self.worker.as_ref().map(|w| w.library().images_dir().clone()));
                if let Some(f) = folder
                    && open_in_file_manager(&f).is_err()
                {
                    self.notice = Some(Notice::error(text::no_file_manager(&f.display().to_string())));
                }
            }
            Command::Reuse(index) => {
                if let Some(item) = self.gallery.get(index) {
                    self.state.form = FormState::from_request(&item.saved.meta.request);
                    self.viewer = None;
                }
            }
            Command::SetLanguage(lang) => {
                crate::i18n::set(lang);
                self.state.settings.language = Some(lang);
                // The fonts follow: Chinese and Japanese ideographs are drawn differently.
                self.cjk_missing = crate::ui::fonts::install(ctx, lang);
            }
            Command::AskCompare => self.ask_compare(),
            Command::CloseCompareDialog => self.compare_draft = None,
            Command::StartComparison => self.start_comparison(),
            Command::OpenComparison(index) => self.open_comparison(index),
            Command::CloseComparison => self.comparison = None,
            Command::RetryCell(cell) => self.retry_cell(cell),
            Command::UseCell(cell) => self.use_cell(cell),
            Command::ExportSheet => self.export_sheet(),
            Command::ApplySettings => {
                if let Some(w) = &self.worker {
                    w.set_max_concurrent(self.state.settings.max_jobs.clamp(1, 10));
                    w.set_prices(self.state.settings.prices.clone());
                }
                // The keyring is asked only when the endpoint, and so the key, really changed.
                if self.endpoint().ok().map(|e| e.key_account()) != self.key_account {
                    self.reload_key();
                }
            }
            Command::Quit => {
                self.allow_close = true;
                self.confirm_close = false;
                ctx.send_viewport_cmd(egui::ViewportCommand::Close);
            }
            Command::KeepOpen => self.confirm_close = false,
        }
    }

    /// Sends a request to `endpoint` (the current one when `None`), as a comparison's cell when
    /// tagged; `false` if nothing could be sent.
    pub(super) fn submit(
        &mut self,
        request: ImageRequest,
        endpoint: Option<Endpoint>,
        comparison: Option<crate::compare::Tag>,
    ) -> bool {
        let Some(endpoint) = endpoint.or_else(|| self.endpoint().ok()) else { return false };
        let key = if Some(endpoint.key_account()) == self.key_account {
            self.key.as_ref().map(|k| k.0.clone())
        } else {
            self.secrets.load(&endpoint.key_account()).map(|k| k.0)
        };
        let (Some(worker), Some(key)) = (&self.worker, key) else { return false };
        let id = worker.submit(Job {
            request: request.clone(),
            endpoint: endpoint.clone(),
            key,
            comparison: comparison.clone(),
        });
        let card = JobCard {
            id,
            request,
            endpoint_name: endpoint.display_name(),
            endpoint,
            started: Instant::now(),
            status: JobStatus::Queued,
            activity: String::new(),
            comparison,
        };
        self.jobs.insert(0, card);
        true
    }

    pub(super) fn save_key(&mut self) {
        let endpoint = match self.endpoint() {
            Ok(e) => e,
            Err(e) => {
                self.key_screen.message = Some(Err(e));
                return;
            }
        };
        let key = match ApiKey::parse(&self.key_screen.input) {
            Ok(k) => k,
            Err(e) => {
                self.key_screen.message = Some(Err(e.to_string()));
                return;
            }
        };
        // The keyring may be slow or ask to be unlocked: never on the UI thread.
        let secrets = self.secrets.clone();
        let account = endpoint.key_account();
        self.key_screen.message = None;
        self.background(move || {
            let result = secrets.store(&account, &key).map(|stored| (key, stored)).map_err(|e| e.to_string());
            Reply::KeySaved { account, result }
        });
    }

    pub(super) fn test_key(&mut self) {
        let (Some(worker), Ok(endpoint)) = (&self.worker, self.endpoint()) else { return };
        let typed = ApiKey::parse(&self.key_screen.input).ok();
        let Some(key) = typed.or_else(|| self.key.as_ref().map(|k| k.0.clone())) else {
            self.key_screen.message = Some(Err(crate::secrets::KeyError::Empty.to_string()));
            return;
        };
        self.key_screen.testing = true;
        self.key_screen.message = None;
        let client = worker.client().clone();
        let tx = self.replies.0.clone();
        let ctx = self.ctx.clone();
        worker.handle().spawn(async move {
            let result =
                client.check_key(&endpoint.base_url, key.expose(), &tokio_util::sync::CancellationToken::new()).await;
            let _ = tx.send(Reply::KeyTest(result));
            ctx.request_repaint();
        });
    }

    pub(super) fn open_viewer(&mut self, index: usize) {
        let Some(item) = self.gallery.get(index) else { return };
        let path = item.saved.path.clone();
        self.viewer = Some(Viewer {
            index,
            texture: None,
            error: None,
            zoom: None,
            pan: egui::Vec2::ZERO,
            area: egui::vec2(800.0, 600.0),
            pixels: None,
        });
        // The full picture is read and decoded off the UI thread.
        self.background(move || Reply::Full { result: decode_file(&path), path });
    }

    pub(super) fn save_as(&mut self, index: usize) {
        let Some(item) = self.gallery.get(index) else { return };
        let source = item.saved.path.clone();
        let ext = item.saved.meta.format.extension();
        let name = format!("{}.{ext}", crate::library::file_stem_from_prompt(&item.saved.meta.request.prompt));
        let folder = self.state.settings.last_save_dir.clone();
        let dialogs = self.dialogs.clone();
        let private = !self.state.settings.settings_in_saved_files;
        self.background_maybe(move || match dialogs.save_file(&name, folder.as_deref()) {
            DialogAnswer::Chosen(target) => {
                let result = export_bytes(&source, private)
                    .and_then(|bytes| crate::library::write_atomic(&target, &bytes).map_err(|e| e.to_string()))
                    .map(|()| target.clone());
                Some(Reply::Saved { result, folder: target.parent().map(Path::to_path_buf) })
            }
            DialogAnswer::Cancelled => None,
            DialogAnswer::Unavailable => Some(Reply::NoDialog),
        });
    }

    /// Runs disk work on the worker's blocking threads and hands the answer to `logic`.
    pub(super) fn background(&self, work: impl FnOnce() -> Reply + Send + 'static) {
        self.background_maybe(move || Some(work()));
    }

    /// The same for work that may have nothing to say (a dialog the user cancelled).
    pub(super) fn background_maybe(&self, work: impl FnOnce() -> Option<Reply> + Send + 'static) {
        let Some(worker) = &self.worker else { return };
        let tx = self.replies.0.clone();
        let ctx = self.ctx.clone();
        worker.handle().spawn_blocking(move || {
            if let Some(reply) = work() {
                let _ = tx.send(reply);
                ctx.request_repaint();
            }
        });
    }

    pub(super) fn move_library(&mut self) {
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
        self.background(move || match dialogs.pick_folder(here.parent()) {
            DialogAnswer::Chosen(dir) => {
                Reply::LibraryMoved(library.move_to(&dir).map(Some).map_err(|e| e.to_string()))
            }
            DialogAnswer::Cancelled => Reply::LibraryMoved(Ok(None)),
            DialogAnswer::Unavailable => Reply::NoDialog,
        });
    }

    pub(super) fn save_all(&mut self) {
        let items: Vec<(PathBuf, String, usize, &'static str)> = self
            .shown()
            .into_iter()
            .map(|i| &self.gallery[i])
            .map(|g| {
                (
                    g.saved.path.clone(),
                    g.saved.meta.request.prompt.clone(),
                    g.saved.meta.index + 1,
                    g.saved.meta.format.extension(),
                )
            })
            .collect();
        let folder = self.state.settings.last_save_dir.clone();
        let dialogs = self.dialogs.clone();
        let private = !self.state.settings.settings_in_saved_files;
        self.background_maybe(move || match dialogs.pick_folder(folder.as_deref()) {
            DialogAnswer::Chosen(dir) => {
                let mut failed = Vec::new();
                let mut count = 0;
                for (path, prompt, index, ext) in items {
                    let copied = export_bytes(&path, private).and_then(|b| {
                        crate::library::copy_named(&b, &dir, &prompt, index, ext).map_err(|e| e.to_string())
                    });
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
}

/// A library picture's bytes for a copy outside the library: with its settings inside, or,
/// when the user asked for privacy, without them (the picture data is untouched either way).
fn export_bytes(path: &Path, private: bool) -> Result<Vec<u8>, String> {
    let bytes =
        std::fs::read(path).map_err(|e| text::unreadable_picture(&path.display().to_string(), &e.to_string()))?;
    if !private {
        return Ok(bytes);
    }
    crate::library::embed::strip(&bytes).map_err(|e| e.to_string())
}
