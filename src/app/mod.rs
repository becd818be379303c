//! The window: `App` holds the state, [`App::logic`] takes in worker events and does the
//! bookkeeping, the views in [`crate::ui`] draw and push [`Command`]s, which run at the end of
//! the frame. Nothing here blocks: requests, decoding, dialogs and the disk run elsewhere.

pub mod bench;
mod commands;
mod compare;
pub mod dialogs;
mod library;
pub mod thumbs;

pub use compare::{CellState, Comparison, Picture};
pub use library::{DroppedPicture, GalleryItem};
use library::{PendingDelete, read_dropped};

pub use dialogs::{DialogAnswer, Dialogs, NativeDialogs};

use crate::api::{ApiError, ClientConfig, ImageRequest};
use crate::endpoint::{Endpoint, Prices};
use crate::library::{Entry, Library, Trashed};
use crate::secrets::{ApiKey, KeySource, Secrets, Stored};
use crate::ui::{self, form::FormState, gallery::Filter, text};
use crate::worker::{Event, Job, JobId, JobSummary, Worker, WorkerConfig};
use eframe::egui;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::mpsc::{Receiver, Sender};
use std::time::{Duration, Instant};

/// Where the window's settings are stored by eframe (never the key).
const STATE_KEY: &str = "easel-state";
/// Thumbnail textures kept at most: a few screenfuls, about 70 MB at most.
const THUMB_TEXTURES: usize = 200;

/// Which endpoint the user picked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum EndpointChoice {
    #[default]
    QuickRouter,
    OpenAi,
    Custom,
}

/// Settings kept between runs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    pub endpoint: EndpointChoice,
    pub custom_url: String,
    pub timeout_secs: u64,
    pub max_jobs: usize,
    pub prices: Prices,
    pub last_save_dir: Option<PathBuf>,
    /// Whether Save as… and Save all… keep the prompt and settings inside the files.
    pub settings_in_saved_files: bool,
    /// The interface language; `None` until the first start, which takes the system's.
    pub language: Option<crate::i18n::Lang>,
    /// The size of text and controls over the system's (egui's zoom factor).
    pub ui_scale: f32,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            endpoint: EndpointChoice::QuickRouter,
            custom_url: String::new(),
            timeout_secs: 600,
            max_jobs: 3,
            prices: Prices::default(),
            last_save_dir: None,
            settings_in_saved_files: true,
            language: None,
            ui_scale: 1.0,
        }
    }
}

/// Everything the window remembers between runs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct Persisted {
    pub form: FormState,
    pub settings: Settings,
}

/// What the window is started with; tests replace the edges.
pub struct AppOptions {
    pub data_dir: PathBuf,
    pub secrets: Arc<Secrets>,
    pub dialogs: Arc<dyn Dialogs>,
    pub client: ClientConfig,
    /// `EASEL_BASE_URL`: an endpoint that overrides the settings.
    pub base_url_override: Option<String>,
    /// Deleted pictures go here instead of the system's trash.
    pub trash_folder: Option<PathBuf>,
    /// How long Undo is offered before a deleted picture goes to the trash.
    pub undo_window: Duration,
}

impl AppOptions {
    /// The real thing: the data folder, the OS keyring, native dialogs.
    pub fn from_environment() -> Result<AppOptions, String> {
        Ok(AppOptions {
            data_dir: Library::default_dir().map_err(|e| e.to_string())?,
            secrets: Arc::new(Secrets::new()),
            dialogs: Arc::new(NativeDialogs),
            client: ClientConfig { user_agent: format!("easel/{}", crate::VERSION), ..ClientConfig::default() },
            base_url_override: std::env::var(crate::cli::ENV_BASE_URL).ok().filter(|s| !s.trim().is_empty()),
            trash_folder: None,
            undo_window: Duration::from_secs(10),
        })
    }
}

/// A request's card.
pub struct JobCard {
    pub id: JobId,
    pub request: ImageRequest,
    /// Where it was sent; Retry goes there again.
    pub endpoint: Endpoint,
    pub endpoint_name: String,
    pub started: Instant,
    pub status: JobStatus,
    /// A caption for what is happening now ("Sent…", "Trying again in 2 s…").
    pub activity: String,
    /// The comparison cell it is, if it is one.
    pub comparison: Option<crate::compare::Tag>,
}

/// Where a request stands.
pub enum JobStatus {
    Queued,
    Running,
    Done(Box<JobSummary>),
    Failed { message: String, saved: usize },
    Cancelled,
}

impl JobStatus {
    pub fn is_active(&self) -> bool {
        matches!(self, JobStatus::Queued | JobStatus::Running)
    }
}

/// The key screen's state.
#[derive(Default)]
pub struct KeyScreen {
    pub input: String,
    pub show: bool,
    pub message: Option<Result<String, String>>,
    pub testing: bool,
    /// Open on request from Settings ("Replace key…") even when a key is known.
    pub replacing: bool,
}

/// The full-size viewer's state.
pub struct Viewer {
    pub index: usize,
    pub texture: Option<egui::TextureHandle>,
    pub error: Option<String>,
    /// `None` fits the picture to the window; otherwise screen points per picture pixel.
    pub zoom: Option<f32>,
    pub pan: egui::Vec2,
    /// The size of the area the picture was last drawn into.
    pub area: egui::Vec2,
    /// The decoded picture, kept for Copy.
    pub pixels: Option<Arc<egui::ColorImage>>,
}

/// A short message under the top bar.
pub struct Notice {
    pub text: String,
    pub is_error: bool,
    pub folder: Option<PathBuf>,
    /// A deleted picture the notice offers to bring back.
    pub undo: Option<PathBuf>,
}

impl Notice {
    fn info(text: impl Into<String>) -> Notice {
        Notice { text: text.into(), is_error: false, folder: None, undo: None }
    }

    fn error(text: impl Into<String>) -> Notice {
        Notice { text: text.into(), is_error: true, folder: None, undo: None }
    }
}

/// Everything a view can ask for; run at the end of the frame, never inside a widget.
#[must_use]
#[derive(Debug, Clone, PartialEq)]
pub enum Command {
    Generate,
    Cancel(JobId),
    Retry(JobId),
    Dismiss(JobId),
    SaveKey,
    TestKey,
    ForgetKey,
    ReplaceKey,
    OpenViewer(usize),
    CloseViewer,
    ViewerStep(isize),
    SaveAs(usize),
    SaveAll,
    Copy(usize),
    Delete(usize),
    Undo,
    Favourite(usize, bool),
    MoveLibrary,
    /// Put the settings found in a dropped picture into the form.
    UseDropped,
    CloseDropped,
    OpenFolder(Option<PathBuf>),
    Reuse(usize),
    /// Switch the interface language now.
    SetLanguage(crate::i18n::Lang),
    /// Open the dialog that sets up a comparison.
    AskCompare,
    CloseCompareDialog,
    /// Send the comparison the dialog describes.
    StartComparison,
    /// Show the comparison the gallery picture at this place is part of.
    OpenComparison(usize),
    CloseComparison,
    /// Send this cell (a position in the comparison's plan) again.
    RetryCell(usize),
    /// Put this cell's varied settings into the form.
    UseCell(usize),
    ExportSheet,
    ApplySettings,
    Quit,
    KeepOpen,
}

/// Results of background work other than jobs.
enum Reply {
    KeyTest(Result<(), ApiError>),
    Full { path: PathBuf, result: Result<egui::ColorImage, String> },
    Saved { result: Result<PathBuf, String>, folder: Option<PathBuf> },
    SavedAll { count: usize, folder: PathBuf, failed: Vec<String> },
    Trashed(Result<Trashed, String>),
    History(Result<Vec<Entry>, String>),
    Dropped(DroppedPicture),
    LibraryMoved(Result<Option<crate::library::Moved>, String>),
    Favourite { path: PathBuf, result: Result<bool, String> },
    CopyReady(Result<egui::ColorImage, String>),
    KeySaved { account: String, result: Result<(ApiKey, Stored), String> },
    KeyForgotten { account: String, key: Option<(ApiKey, KeySource)>, deleted: Result<(), String> },
    Thumb { path: PathBuf, result: Result<egui::ColorImage, String> },
    ComparePicture { id: String, path: PathBuf, result: Result<egui::ColorImage, String> },
    SheetExported { id: String, result: Result<(PathBuf, crate::library::sheet::SheetLayout), String>, no_dialog: bool },
    NoDialog,
}

/// The application.
pub struct App {
    pub state: Persisted,
    options_override: Option<String>,
    secrets: Arc<Secrets>,
    dialogs: Arc<dyn Dialogs>,
    worker: Option<Worker>,
    /// Why Easel cannot make pictures at all (the data folder cannot be written).
    pub startup_error: Option<String>,
    pub key: Option<(ApiKey, KeySource)>,
    /// The keyring account `key` was looked up for.
    key_account: Option<String>,
    pub key_screen: KeyScreen,
    pub jobs: Vec<JobCard>,
    pub gallery: Vec<GalleryItem>,
    /// The history is still being read.
    pub history_loading: bool,
    pub filter: Filter,
    pub thumbs: thumbs::ThumbCache,
    pending_deletes: Vec<PendingDelete>,
    /// The settings of a picture dropped on the window, shown until closed.
    pub dropped: Option<DroppedPicture>,
    /// The library is being moved to another folder.
    pub moving_library: bool,
    /// Whether the window had the focus last frame, and the history was read at least once.
    was_focused: bool,
    gallery_read_once: bool,
    /// Pictures sent to the trash this run: a reading of the library begun before may list them.
    trashed: std::collections::HashSet<PathBuf>,
    /// How long Undo is offered before a deleted picture goes to the trash.
    undo_window: Duration,
    pub viewer: Option<Viewer>,
    /// The comparison on screen.
    pub comparison: Option<Comparison>,
    /// The compare dialog, while it is open.
    pub compare_draft: Option<ui::compare::CompareDraft>,
    pub notice: Option<Notice>,
    pub show_settings: bool,
    pub show_about: bool,
    pub confirm_close: bool,
    allow_close: bool,
    replies: (Sender<Reply>, Receiver<Reply>),
    commands: Vec<Command>,
    ctx: egui::Context,
    /// How long frames take to build, shown in the About box.
    pub frame_stats: FrameStats,
    /// Set by the font provider when CJK text found no font; said once.
    cjk_missing: Arc<std::sync::atomic::AtomicBool>,
    cjk_noted: bool,
}

/// CPU time spent building frames, as eframe measures it.
#[derive(Debug, Default, Clone, Copy)]
pub struct FrameStats {
    pub frames: u64,
    pub total_secs: f64,
    pub worst_secs: f64,
}

impl FrameStats {
    fn add(&mut self, secs: f32) {
        self.frames += 1;
        self.total_secs += f64::from(secs);
        self.worst_secs = self.worst_secs.max(f64::from(secs));
    }

    /// Mean milliseconds per frame.
    pub fn mean_ms(&self) -> f64 {
        if self.frames == 0 { 0.0 } else { self.total_secs * 1000.0 / self.frames as f64 }
    }
}

impl App {
    /// Builds the app from eframe's creation context.
    pub fn new(cc: &eframe::CreationContext<'_>, options: AppOptions) -> App {
        let state: Persisted = cc.storage.and_then(|s| eframe::get_value(s, STATE_KEY)).unwrap_or_default();
        App::with_state(&cc.egui_ctx, options, state)
    }

    /// Builds the app with a given remembered state.
    pub fn with_state(ctx: &egui::Context, options: AppOptions, mut state: Persisted) -> App {
        let lang = *state.settings.language.get_or_insert_with(crate::i18n::Lang::from_system);
        crate::i18n::set(lang);
        let cjk_missing = ui::fonts::install(ctx, lang);
        ctx.set_zoom_factor(state.settings.ui_scale.clamp(ui::settings::MIN_SCALE, ui::settings::MAX_SCALE));
        let waker_ctx = ctx.clone();
        let config = WorkerConfig {
            client: ClientConfig {
                request_timeout: Duration::from_secs(state.settings.timeout_secs.max(10)),
                ..options.client.clone()
            },
            max_concurrent: state.settings.max_jobs.clamp(1, 10),
            thumbnail_size: Some(ui::theme::THUMB_PIXELS),
            prices: state.settings.prices.clone(),
            threads: 2,
        };
        let library = Library::open(&options.data_dir).map(|mut lib| {
            if let Some(folder) = options.trash_folder {
                lib.use_trash_folder(folder);
            }
            Arc::new(lib)
        });
        let (worker, startup_error) = match library {
            Ok(lib) => match Worker::new(config, lib, move || waker_ctx.request_repaint()) {
                Ok(w) => (Some(w), None),
                Err(e) => (None, Some(e.to_string())),
            },
            Err(e) => (None, Some(e.to_string())),
        };
        let mut app = App {
            state,
            options_override: options.base_url_override,
            secrets: options.secrets,
            dialogs: options.dialogs,
            worker,
            startup_error,
            key: None,
            key_account: None,
            key_screen: KeyScreen::default(),
            jobs: Vec::new(),
            gallery: Vec::new(),
            history_loading: false,
            filter: Filter::default(),
            thumbs: thumbs::ThumbCache::new(THUMB_TEXTURES),
            pending_deletes: Vec::new(),
            moving_library: false,
            was_focused: true,
            gallery_read_once: false,
            trashed: Default::default(),
            dropped: None,
            undo_window: options.undo_window,
            viewer: None,
            comparison: None,
            compare_draft: None,
            notice: None,
            show_settings: false,
            show_about: false,
            confirm_close: false,
            allow_close: false,
            replies: std::sync::mpsc::channel(),
            commands: Vec::new(),
            ctx: ctx.clone(),
            frame_stats: FrameStats::default(),
            cjk_missing,
            cjk_noted: false,
        };
        app.reload_key();
        app.load_history();
        app
    }

    /// The endpoint in use: `EASEL_BASE_URL` if set, else the settings.
    pub fn endpoint(&self) -> Result<Endpoint, String> {
        if let Some(url) = &self.options_override {
            return Endpoint::from_base_url(url, None).map_err(|e| e.to_string());
        }
        match self.state.settings.endpoint {
            EndpointChoice::QuickRouter => Ok(Endpoint::quickrouter()),
            EndpointChoice::OpenAi => Ok(Endpoint::openai()),
            EndpointChoice::Custom => {
                Endpoint::from_base_url(&self.state.settings.custom_url, None).map_err(|e| e.to_string())
            }
        }
    }

    fn reload_key(&mut self) {
        self.key_account = self.endpoint().ok().map(|e| e.key_account());
        self.key = self.key_account.as_ref().and_then(|a| self.secrets.load(a));
    }

    /// Whether the endpoint is fixed by `EASEL_BASE_URL`.
    pub fn options_override_active(&self) -> bool {
        self.options_override.is_some()
    }

    /// Whether the key screen is showing.
    pub fn needs_key(&self) -> bool {
        self.key.is_none() || self.key_screen.replacing
    }

    /// The running worker, if the library could be opened.
    pub fn worker(&self) -> Option<&Worker> {
        self.worker.as_ref()
    }

    /// The request the form describes, or why it cannot be sent.
    pub fn validated_request(&self) -> Result<ImageRequest, String> {
        let endpoint = self.endpoint()?;
        if self.key.is_none() {
            return Err(text::NO_KEY().to_string());
        }
        if let Some(e) = &self.startup_error {
            return Err(e.clone());
        }
        self.state.form.request(endpoint.prompt_limit).map_err(|e| e.to_string())
    }

    /// Queues a command, as a view does; it runs at the end of the frame.
    pub fn push(&mut self, c: Command) {
        self.commands.push(c);
    }

    /// Takes in what the worker and other background work reported. Never blocks.
    pub fn logic(&mut self, ctx: &egui::Context) {
        let mut any_running = false;
        while let Some(event) = self.worker.as_ref().and_then(Worker::try_recv) {
            self.on_event(event);
        }
        while let Ok(reply) = self.replies.1.try_recv() {
            self.on_reply(ctx, reply);
        }
        for job in &self.jobs {
            any_running |= job.status.is_active();
        }
        self.trash_due(false);
        if !self.cjk_noted && self.cjk_missing.load(std::sync::atomic::Ordering::Relaxed) {
            self.cjk_noted = true;
            // In English: without a CJK font the Chinese words would be empty boxes too.
            self.notice = Some(Notice::error(crate::i18n::with(crate::i18n::Lang::En, text::NO_CJK_FONT)));
        }
        // Ctrl + and Ctrl − (egui's own shortcuts) change the size; it is kept for next time.
        self.state.settings.ui_scale = ctx.zoom_factor();
        if self.comparison.is_some() {
            self.load_comparison_pictures();
        }
        // Coming back to the window: pictures made meanwhile (by the terminal, say) appear.
        let focused = ctx.input(|i| i.focused);
        if focused && !self.was_focused && !self.history_loading && self.gallery_read_once {
            self.reload_history();
        }
        self.was_focused = focused;
        if let Some(file) = ctx.input(|i| i.raw.dropped_files.first().cloned()) {
            self.background(move || Reply::Dropped(read_dropped(file.as_ref())));
        }
        if let Some(first) = self.pending_deletes.iter().map(|d| d.due).min() {
            ctx.request_repaint_after(first.saturating_duration_since(Instant::now()));
        }
        if any_running {
            // Elapsed seconds on the cards tick once a second.
            ctx.request_repaint_after(Duration::from_millis(500));
        }
        if ctx.input(|i| i.viewport().close_requested()) && any_running && !self.allow_close {
            ctx.send_viewport_cmd(egui::ViewportCommand::CancelClose);
            self.confirm_close = true;
        }
    }

    fn card(&mut self, id: JobId) -> Option<&mut JobCard> {
        self.jobs.iter_mut().find(|j| j.id == id)
    }

    fn on_event(&mut self, event: Event) {
        match event {
            Event::Queued { id } => {
                if let Some(c) = self.card(id) {
                    c.activity = text::WAITING().into();
                }
            }
            Event::Started { id } => {
                if let Some(c) = self.card(id) {
                    c.status = JobStatus::Running;
                    c.started = Instant::now();
                    c.activity = text::SENDING().into();
                }
            }
            Event::Progress { id, progress } => {
                if let Some(c) = self.card(id) {
                    c.activity = ui::jobs::activity_caption(&progress);
                }
            }
            Event::ImageSaved { id, index, image } => {
                let _ = index;
                self.add_to_gallery(GalleryItem::new(id, *image, None));
            }
            Event::Thumbnail { id, index, thumbnail } => {
                if let Some(path) = self
                    .gallery
                    .iter()
                    .find(|g| g.job == id && g.saved.meta.index == index)
                    .map(|g| g.saved.path.clone())
                {
                    self.thumbs.insert(&self.ctx, path, thumbnail.map(|t| thumbs::color_image(&t)));
                }
            }
            Event::Finished { id, summary } => {
                if let Some(c) = self.card(id) {
                    c.status = JobStatus::Done(summary);
                }
            }
            Event::Failed { id, error, saved } => {
                if let Some(c) = self.card(id) {
                    c.status = if error.is_cancelled() {
                        JobStatus::Cancelled
                    } else {
                        JobStatus::Failed { message: error.to_string(), saved: saved.len() }
                    };
                }
            }
        }
    }

    fn on_reply(&mut self, ctx: &egui::Context, reply: Reply) {
        match reply {
            Reply::KeyTest(result) => {
                self.key_screen.testing = false;
                self.key_screen.message = Some(result.map(|()| text::KEY_OK().to_string()).map_err(|e| e.to_string()));
            }
            Reply::Full { path, result } => {
                let Some(v) = &mut self.viewer else { return };
                if self.gallery.get(v.index).is_none_or(|g| g.saved.path != path) {
                    return;
                }
                match result {
                    Ok(image) => {
                        v.texture = Some(ctx.load_texture(
                            format!("full-{}", path.display()),
                            image.clone(),
                            egui::TextureOptions::LINEAR,
                        ));
                        v.pixels = Some(Arc::new(image));
                    }
                    Err(e) => v.error = Some(e),
                }
            }
            Reply::Saved { result, folder } => {
                self.notice = Some(match result {
                    Ok(p) => {
                        if let Some(f) = folder {
                            self.state.settings.last_save_dir = Some(f);
                        }
                        Notice::info(format!("{} {}", text::SAVED_TO(), p.display()))
                    }
                    Err(e) => Notice::error(e),
                });
            }
            Reply::SavedAll { count, folder, failed } => {
                let mut n = if failed.is_empty() {
                    Notice::info(text::saved_all(count, &folder.display().to_string()))
                } else {
                    Notice::error(format!(
                        "{} {}",
                        text::saved_all(count, &folder.display().to_string()),
                        failed.join(" ")
                    ))
                };
                n.folder = Some(folder.clone());
                self.state.settings.last_save_dir = Some(folder);
                self.notice = Some(n);
            }
            Reply::Trashed(Ok(Trashed::System)) => {}
            Reply::Trashed(Ok(Trashed::Folder { folder, reason })) => {
                // Said only when the system's trash refused: a trash folder set on purpose is no news.
                if let Some(reason) = reason {
                    let mut n = Notice::error(text::trash_fallback(&reason, &folder.display().to_string()));
                    n.folder = Some(folder);
                    self.notice = Some(n);
                }
            }
            Reply::Trashed(Err(e)) => self.notice = Some(Notice::error(e)),
            Reply::History(Ok(entries)) => {
                self.history_loading = false;
                self.gallery_read_once = true;
                self.merge_history(entries);
            }
            Reply::LibraryMoved(result) => {
                self.moving_library = false;
                match result {
                    Ok(None) => {}
                    Ok(Some(moved)) => {
                        // Every path changed: the gallery is read again from the new folder.
                        self.gallery.clear();
                        self.viewer = None;
                        self.comparison = None;
                        self.thumbs.clear();
                        let mut n = Notice::info(text::library_moved(moved.files, &moved.folder.display().to_string()));
                        n.folder = Some(moved.folder);
                        self.notice = Some(n);
                        self.reload_history();
                    }
                    Err(e) => self.notice = Some(Notice::error(e)),
                }
            }
            Reply::Dropped(d) => self.dropped = Some(d),
            Reply::History(Err(e)) => {
                self.history_loading = false;
                self.notice = Some(Notice::error(e));
            }
            Reply::Favourite { path, result } => match result {
                Ok(_) => {}
                Err(e) => {
                    // Put the mark back as it is on disk.
                    if let Some(g) = self.gallery.iter_mut().find(|g| g.saved.path == path) {
                        g.saved.meta.favourite = !g.saved.meta.favourite;
                    }
                    self.notice = Some(Notice::error(e));
                }
            },
            Reply::CopyReady(Ok(image)) => {
                ctx.copy_image(image);
                self.notice = Some(Notice::info(text::COPIED()));
            }
            Reply::CopyReady(Err(e)) => self.notice = Some(Notice::error(e)),
            Reply::KeySaved { account, result } => match result {
                Ok((key, stored)) => {
                    if self.key_account.as_deref() == Some(account.as_str()) {
                        let source = if stored == Stored::Keyring { KeySource::Keyring } else { KeySource::Session };
                        self.key = Some((key, source));
                    }
                    self.key_screen = KeyScreen::default();
                    if stored == Stored::SessionOnly {
                        self.notice = Some(Notice::error(text::KEY_SESSION_ONLY()));
                    }
                }
                Err(e) => self.key_screen.message = Some(Err(e)),
            },
            Reply::KeyForgotten { account, key, deleted } => {
                if self.key_account.as_deref() == Some(account.as_str()) {
                    self.key = key;
                }
                if let Err(e) = deleted {
                    self.notice = Some(Notice::error(e));
                }
            }
            Reply::Thumb { path, result } => self.thumbs.insert(ctx, path, result),
            Reply::ComparePicture { id, path, result } => self.comparison_picture(ctx, id, path, result),
            Reply::SheetExported { id, result, no_dialog } => self.sheet_exported(id, result, no_dialog),
            Reply::NoDialog => {
                self.moving_library = false;
                let folder = self.worker.as_ref().map(|w| w.library().images_dir().clone());
                let mut n = Notice::error(format!(
                    "{} {}",
                    text::NO_DIALOG(),
                    folder.as_ref().map(|f| f.display().to_string()).unwrap_or_default()
                ));
                n.folder = folder;
                self.notice = Some(n);
            }
        }
    }

    /// Whether CJK text met no font to draw it with (the note says which to install).
    pub fn cjk_font_missing(&self) -> bool {
        self.cjk_missing.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// Jobs still queued or running.
    pub fn active_jobs(&self) -> usize {
        self.jobs.iter().filter(|j| j.status.is_active()).count()
    }
}

impl eframe::App for App {
    fn logic(&mut self, ctx: &egui::Context, _frame: &mut eframe::Frame) {
        App::logic(self, ctx);
    }

    fn ui(&mut self, ui: &mut egui::Ui, frame: &mut eframe::Frame) {
        if let Some(secs) = frame.info().cpu_usage {
            self.frame_stats.add(secs);
        }
        ui::draw(ui, self);
        bench::after_frame(self, ui.ctx());
        self.thumbs.end_frame();
        let ctx = ui.ctx().clone();
        self.run_commands(&ctx);
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        eframe::set_value(storage, STATE_KEY, &self.state);
    }

    fn on_exit(&mut self) {
        self.trash_due(true);
    }
}

/// Reads and decodes a picture from the library (on a worker thread).
fn decode_rgba(path: &Path) -> Result<image::RgbaImage, String> {
    let bytes =
        std::fs::read(path).map_err(|e| text::unreadable_picture(&path.display().to_string(), &e.to_string()))?;
    let img = crate::api::ReceivedImage::from_bytes(bytes).map_err(|e| e.to_string())?;
    crate::library::decode::decode(&img).map_err(|e| e.to_string())
}

/// The same, ready to become a texture or go to the clipboard.
fn decode_file(path: &Path) -> Result<egui::ColorImage, String> {
    let rgba = decode_rgba(path)?;
    Ok(egui::ColorImage::from_rgba_unmultiplied([rgba.width() as usize, rgba.height() as usize], rgba.as_raw()))
}

/// Opens the window and returns the process exit code when it closes.
pub fn run_window() -> i32 {
    let options = match AppOptions::from_environment() {
        Ok(o) => o,
        Err(e) => {
            eprintln!("easel: {e}");
            return 1;
        }
    };
    let mut native = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_title(text::APP_NAME())
            .with_app_id("easel")
            .with_inner_size([1200.0, 800.0])
            .with_min_inner_size([720.0, 480.0])
            .with_icon(Arc::new(
                eframe::icon_data::from_png_bytes(include_bytes!("../../assets/icon.png")).unwrap_or_default(),
            )),
        // The app installs the system's fonts itself (ui::fonts), for its language.
        system_font_fallback: false,
        ..Default::default()
    };
    // wgpu's default reserves graphics memory in 64 MiB blocks; with a software renderer that
    // is ordinary memory, and a gallery of thumbnails came to ~150 MB. Ask for less instead.
    if let eframe::egui_wgpu::WgpuSetup::CreateNew(setup) = &mut native.wgpu_options.wgpu_setup {
        let base = setup.device_descriptor.clone();
        setup.device_descriptor = Arc::new(move |adapter| eframe::wgpu::DeviceDescriptor {
            memory_hints: eframe::wgpu::MemoryHints::MemoryUsage,
            ..base(adapter)
        });
    }
    match eframe::run_native("Easel", native, Box::new(|cc| Ok(Box::new(App::new(cc, options))))) {
        Ok(()) => 0,
        Err(e) => {
            eprintln!("easel: {}", text::window_failed(&e.to_string()));
            1
        }
    }
}
