//! The window: `App` holds the state, [`App::logic`] takes in worker events and does the
//! bookkeeping, the views in [`crate::ui`] draw and push [`Command`]s, which run at the end of
//! the frame. Nothing here blocks: requests, decoding, dialogs and the disk run elsewhere.

use crate::api::{ApiError, ClientConfig, ImageRequest};
use crate::endpoint::{Endpoint, Prices};
use crate::library::{DeletedImage, Library, SavedImage};
use crate::secrets::{ApiKey, KeySource, Secrets, Stored};
use crate::ui::{self, form::FormState, text};
use crate::worker::{Event, Job, JobId, JobSummary, Worker, WorkerConfig};
use eframe::egui;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::mpsc::{Receiver, Sender};
use std::time::{Duration, Instant};

/// Where the window's settings are stored by eframe (never the key).
const STATE_KEY: &str = "easel-state";

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

/// What a native dialog answered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DialogAnswer {
    Chosen(PathBuf),
    Cancelled,
    /// No dialog could open (rfd without a portal returns at once, like Cancel).
    Unavailable,
}

/// File dialogs, replaceable in tests. Called on a worker thread, never the UI thread.
pub trait Dialogs: Send + Sync {
    /// Asks where to save a file, suggesting a name and a folder.
    fn save_file(&self, suggested_name: &str, folder: Option<&Path>) -> DialogAnswer;
    /// Asks for a folder.
    fn pick_folder(&self, folder: Option<&Path>) -> DialogAnswer;
}

/// Tells a dialog that was never shown from one the user cancelled.
fn answer(picked: Option<PathBuf>, asked: Instant) -> DialogAnswer {
    match picked {
        Some(p) => DialogAnswer::Chosen(p),
        // Nobody cancels a dialog within a quarter second: none was shown.
        None if asked.elapsed() < Duration::from_millis(250) => DialogAnswer::Unavailable,
        None => DialogAnswer::Cancelled,
    }
}

/// The system's dialogs, through rfd.
pub struct NativeDialogs;

impl Dialogs for NativeDialogs {
    fn save_file(&self, suggested_name: &str, folder: Option<&Path>) -> DialogAnswer {
        let mut d = rfd::FileDialog::new().set_title(text::SAVE_AS.trim_end_matches('…')).set_file_name(suggested_name);
        if let Some(f) = folder {
            d = d.set_directory(f);
        }
        let asked = Instant::now();
        answer(d.save_file(), asked)
    }

    fn pick_folder(&self, folder: Option<&Path>) -> DialogAnswer {
        let mut d = rfd::FileDialog::new().set_title(text::SAVE_ALL.trim_end_matches('…'));
        if let Some(f) = folder {
            d = d.set_directory(f);
        }
        let asked = Instant::now();
        answer(d.pick_folder(), asked)
    }
}

/// What the window is started with; tests replace the edges.
pub struct AppOptions {
    pub data_dir: PathBuf,
    pub secrets: Arc<Secrets>,
    pub dialogs: Arc<dyn Dialogs>,
    pub client: ClientConfig,
    /// `EASEL_BASE_URL`: an endpoint that overrides the settings.
    pub base_url_override: Option<String>,
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

/// A picture in the gallery.
pub struct GalleryItem {
    pub job: JobId,
    pub index: usize,
    pub saved: SavedImage,
    /// The thumbnail's pixels, made off the UI thread; a texture is made from them only once
    /// the thumbnail is on screen.
    pub thumb_pixels: Option<egui::ColorImage>,
    pub thumbnail: Option<egui::TextureHandle>,
    /// Why no thumbnail can be shown, if so.
    pub broken: Option<String>,
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
    pub undo: Option<DeletedImage>,
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
    OpenFolder(Option<PathBuf>),
    Reuse(usize),
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
    Deleted(Result<DeletedImage, String>),
    CopyReady(Result<egui::ColorImage, String>),
    KeySaved { account: String, result: Result<(ApiKey, Stored), String> },
    KeyForgotten { account: String, key: Option<(ApiKey, KeySource)>, deleted: Result<(), String> },
    Thumb { path: PathBuf, result: Result<egui::ColorImage, String> },
    Restored(Result<DeletedImage, String>),
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
    pub viewer: Option<Viewer>,
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
    pub fn with_state(ctx: &egui::Context, options: AppOptions, state: Persisted) -> App {
        let waker_ctx = ctx.clone();
        let config = WorkerConfig {
            client: ClientConfig { request_timeout: Duration::from_secs(state.settings.timeout_secs.max(10)), ..options.client.clone() },
            max_concurrent: state.settings.max_jobs.clamp(1, 10),
            thumbnail_size: Some(ui::theme::THUMB_PIXELS),
            prices: state.settings.prices.clone(),
            threads: 2,
        };
        let (worker, startup_error) = match Library::open(&options.data_dir) {
            Ok(lib) => match Worker::new(config, Arc::new(lib), move || waker_ctx.request_repaint()) {
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
            viewer: None,
            notice: None,
            show_settings: false,
            show_about: false,
            confirm_close: false,
            allow_close: false,
            replies: std::sync::mpsc::channel(),
            commands: Vec::new(),
            ctx: ctx.clone(),
            frame_stats: FrameStats::default(),
        };
        app.reload_key();
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
            EndpointChoice::Custom => Endpoint::from_base_url(&self.state.settings.custom_url, None).map_err(|e| e.to_string()),
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
            return Err(text::NO_KEY.to_string());
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
                    c.activity = text::WAITING.into();
                }
            }
            Event::Started { id } => {
                if let Some(c) = self.card(id) {
                    c.status = JobStatus::Running;
                    c.started = Instant::now();
                    c.activity = text::SENDING.into();
                }
            }
            Event::Progress { id, progress } => {
                if let Some(c) = self.card(id) {
                    c.activity = ui::jobs::activity_caption(&progress);
                }
            }
            Event::ImageSaved { id, index, image } => {
                self.gallery.insert(0, GalleryItem { job: id, index, saved: *image, thumb_pixels: None, thumbnail: None, broken: None });
                if let Some(v) = &mut self.viewer {
                    v.index += 1;
                }
            }
            Event::Thumbnail { id, index, thumbnail } => {
                if let Some(item) = self.gallery.iter_mut().find(|g| g.job == id && g.index == index) {
                    match thumbnail {
                        Ok(t) => item.thumb_pixels = Some(egui::ColorImage::from_rgba_unmultiplied([t.width as usize, t.height as usize], &t.rgba)),
                        Err(e) => item.broken = Some(e),
                    }
                }
            }
            Event::Finished { id, summary } => {
                if let Some(c) = self.card(id) {
                    c.status = JobStatus::Done(summary);
                }
            }
            Event::Failed { id, error, saved } => {
                // Pictures saved before the failure never got their thumbnails from the worker.
                let missing: Vec<usize> = self.gallery.iter().enumerate().filter(|(_, g)| g.job == id && g.thumbnail.is_none()).map(|(i, _)| i).collect();
                for i in missing {
                    self.make_thumbnail(i);
                }
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
                self.key_screen.message = Some(result.map(|()| text::KEY_OK.to_string()).map_err(|e| e.to_string()));
            }
            Reply::Full { path, result } => {
                let Some(v) = &mut self.viewer else { return };
                if self.gallery.get(v.index).is_none_or(|g| g.saved.path != path) {
                    return;
                }
                match result {
                    Ok(image) => {
                        v.texture = Some(ctx.load_texture(format!("full-{}", path.display()), image.clone(), egui::TextureOptions::LINEAR));
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
                        Notice::info(format!("{} {}", text::SAVED_TO, p.display()))
                    }
                    Err(e) => Notice::error(e),
                });
            }
            Reply::SavedAll { count, folder, failed } => {
                let mut n = if failed.is_empty() {
                    Notice::info(text::saved_all(count, &folder.display().to_string()))
                } else {
                    Notice::error(format!("{} {}", text::saved_all(count, &folder.display().to_string()), failed.join(" ")))
                };
                n.folder = Some(folder.clone());
                self.state.settings.last_save_dir = Some(folder);
                self.notice = Some(n);
            }
            Reply::Deleted(Ok(deleted)) => {
                self.gallery.retain(|g| g.saved.path != deleted.saved.path);
                self.viewer = None;
                let mut n = Notice::info(text::DELETED);
                n.undo = Some(deleted);
                self.notice = Some(n);
            }
            Reply::Restored(Ok(restored)) => {
                let item = GalleryItem { job: 0, index: restored.saved.meta.index, saved: restored.saved, thumb_pixels: None, thumbnail: None, broken: None };
                self.gallery.insert(0, item);
                if let Some(v) = &mut self.viewer {
                    // Everything moved one place down: keep showing the same picture.
                    v.index += 1;
                }
                self.notice = None;
                self.make_thumbnail(0);
            }
            Reply::Deleted(Err(e)) | Reply::Restored(Err(e)) => self.notice = Some(Notice::error(e)),
            Reply::CopyReady(Ok(image)) => {
                ctx.copy_image(image);
                self.notice = Some(Notice::info(text::COPIED));
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
                        self.notice = Some(Notice::error(text::KEY_SESSION_ONLY));
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
            Reply::Thumb { path, result } => {
                if let Some(item) = self.gallery.iter_mut().find(|g| g.saved.path == path) {
                    match result {
                        Ok(image) => item.thumb_pixels = Some(image),
                        Err(e) => item.broken = Some(e),
                    }
                }
            }
            Reply::NoDialog => {
                let folder = self.worker.as_ref().map(|w| w.library().images_dir().to_path_buf());
                let mut n = Notice::error(format!("{} {}", text::NO_DIALOG, folder.as_ref().map(|f| f.display().to_string()).unwrap_or_default()));
                n.folder = folder;
                self.notice = Some(n);
            }
        }
    }

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
                    self.submit(request, None);
                }
            }
            Command::Retry(id) => {
                // Same settings, same endpoint; the old card goes only once the new one exists.
                if let Some((request, endpoint)) = self.jobs.iter().find(|j| j.id == id).map(|j| (j.request.clone(), j.endpoint.clone())) {
                    if self.submit(request, Some(endpoint)) {
                        self.jobs.retain(|j| j.id != id);
                    } else {
                        self.notice = Some(Notice::error(text::NO_KEY));
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
                if let Some(v) = &self.viewer {
                    let next = v.index as isize + step;
                    if next >= 0 && (next as usize) < self.gallery.len() {
                        self.open_viewer(next as usize);
                    }
                }
            }
            Command::SaveAs(index) => self.save_as(index),
            Command::SaveAll => self.save_all(),
            Command::Copy(index) => {
                match self.viewer.as_ref().filter(|v| v.index == index).and_then(|v| v.pixels.clone()) {
                    Some(pixels) => {
                        ctx.copy_image((*pixels).clone());
                        self.notice = Some(Notice::info(text::COPIED));
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
                if let (Some(worker), Some(item)) = (&self.worker, self.gallery.get(index)) {
                    let saved = item.saved.clone();
                    let library = worker.library().clone();
                    self.background(move || Reply::Deleted(library.delete(&saved).map_err(|e| e.to_string())));
                }
            }
            Command::Undo => {
                let undo = self.notice.as_mut().and_then(|n| n.undo.take());
                if let (Some(worker), Some(deleted)) = (&self.worker, undo) {
                    let library = worker.library().clone();
                    self.background(move || Reply::Restored(library.restore(&deleted).map(|()| deleted).map_err(|e| e.to_string())));
                }
            }
            Command::OpenFolder(path) => {
                let folder = path.or_else(|| self.worker.as_ref().map(|w| w.library().images_dir().to_path_buf()));
                if let Some(f) = folder {
                    if open_in_file_manager(&f).is_err() {
                        self.notice = Some(Notice::error(text::no_file_manager(&f.display().to_string())));
                    }
                }
            }
            Command::Reuse(index) => {
                if let Some(item) = self.gallery.get(index) {
                    self.state.form = FormState::from_request(&item.saved.meta.request);
                    self.viewer = None;
                }
            }
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

    /// Sends a request to `endpoint` (the current one when `None`); `false` if nothing could be sent.
    fn submit(&mut self, request: ImageRequest, endpoint: Option<Endpoint>) -> bool {
        let Some(endpoint) = endpoint.or_else(|| self.endpoint().ok()) else { return false };
        let key = if Some(endpoint.key_account()) == self.key_account {
            self.key.as_ref().map(|k| k.0.clone())
        } else {
            self.secrets.load(&endpoint.key_account()).map(|k| k.0)
        };
        let (Some(worker), Some(key)) = (&self.worker, key) else { return false };
        let id = worker.submit(Job { request: request.clone(), endpoint: endpoint.clone(), key });
        let card = JobCard { id, request, endpoint_name: endpoint.display_name(), endpoint, started: Instant::now(), status: JobStatus::Queued, activity: String::new() };
        self.jobs.insert(0, card);
        true
    }

    fn save_key(&mut self) {
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

    fn test_key(&mut self) {
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
            let result = client.check_key(&endpoint.base_url, key.expose(), &tokio_util::sync::CancellationToken::new()).await;
            let _ = tx.send(Reply::KeyTest(result));
            ctx.request_repaint();
        });
    }

    fn open_viewer(&mut self, index: usize) {
        let Some(item) = self.gallery.get(index) else { return };
        let path = item.saved.path.clone();
        self.viewer = Some(Viewer { index, texture: None, error: None, zoom: None, pan: egui::Vec2::ZERO, area: egui::vec2(800.0, 600.0), pixels: None });
        // The full picture is read and decoded off the UI thread.
        self.background(move || Reply::Full { result: decode_file(&path), path });
    }

    fn save_as(&mut self, index: usize) {
        let Some(item) = self.gallery.get(index) else { return };
        let source = item.saved.path.clone();
        let ext = item.saved.meta.format.extension();
        let name = format!("{}.{ext}", crate::library::file_stem_from_prompt(&item.saved.meta.request.prompt));
        let folder = self.state.settings.last_save_dir.clone();
        let dialogs = self.dialogs.clone();
        self.background_maybe(move || match dialogs.save_file(&name, folder.as_deref()) {
            DialogAnswer::Chosen(target) => {
                let result = std::fs::read(&source)
                    .map_err(|e| e.to_string())
                    .and_then(|bytes| crate::library::write_atomic(&target, &bytes).map_err(|e| e.to_string()))
                    .map(|()| target.clone());
                Some(Reply::Saved { result, folder: target.parent().map(Path::to_path_buf) })
            }
            DialogAnswer::Cancelled => None,
            DialogAnswer::Unavailable => Some(Reply::NoDialog),
        });
    }

    /// Runs disk work on the worker's blocking threads and hands the answer to `logic`.
    fn background(&self, work: impl FnOnce() -> Reply + Send + 'static) {
        self.background_maybe(move || Some(work()));
    }

    /// The same for work that may have nothing to say (a dialog the user cancelled).
    fn background_maybe(&self, work: impl FnOnce() -> Option<Reply> + Send + 'static) {
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

    /// Makes the thumbnail of a picture restored from deleted, off the UI thread.
    fn make_thumbnail(&self, index: usize) {
        let Some(item) = self.gallery.get(index) else { return };
        let path = item.saved.path.clone();
        self.background(move || {
            let result = decode_rgba(&path).map(|rgba| {
                let t = crate::library::thumbnail(&rgba, ui::theme::THUMB_PIXELS);
                egui::ColorImage::from_rgba_unmultiplied([t.width as usize, t.height as usize], &t.rgba)
            });
            Reply::Thumb { path, result }
        });
    }

    fn save_all(&mut self) {
        let items: Vec<(PathBuf, String, usize, &'static str)> =
            self.gallery.iter().map(|g| (g.saved.path.clone(), g.saved.meta.request.prompt.clone(), g.saved.meta.index + 1, g.saved.meta.format.extension())).collect();
        let folder = self.state.settings.last_save_dir.clone();
        let dialogs = self.dialogs.clone();
        self.background_maybe(move || match dialogs.pick_folder(folder.as_deref()) {
            DialogAnswer::Chosen(dir) => {
                let mut failed = Vec::new();
                let mut count = 0;
                for (path, prompt, index, ext) in items {
                    let copied = std::fs::read(&path)
                        .map_err(|e| e.to_string())
                        .and_then(|b| crate::library::copy_named(&b, &dir, &prompt, index, ext).map_err(|e| e.to_string()));
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
        let ctx = ui.ctx().clone();
        self.run_commands(&ctx);
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        eframe::set_value(storage, STATE_KEY, &self.state);
    }
}

/// Reads and decodes a picture from the library (on a worker thread).
fn decode_rgba(path: &Path) -> Result<image::RgbaImage, String> {
    let bytes = std::fs::read(path).map_err(|e| text::unreadable_picture(&path.display().to_string(), &e.to_string()))?;
    let img = crate::api::ReceivedImage::from_bytes(bytes).map_err(|e| e.to_string())?;
    crate::library::decode::decode(&img).map_err(|e| e.to_string())
}

/// The same, ready to become a texture or go to the clipboard.
fn decode_file(path: &Path) -> Result<egui::ColorImage, String> {
    let rgba = decode_rgba(path)?;
    Ok(egui::ColorImage::from_rgba_unmultiplied([rgba.width() as usize, rgba.height() as usize], rgba.as_raw()))
}

/// Opens a folder in the system's file manager.
fn open_in_file_manager(path: &Path) -> std::io::Result<()> {
    #[cfg(target_os = "windows")]
    let program = "explorer";
    #[cfg(target_os = "macos")]
    let program = "open";
    #[cfg(not(any(target_os = "windows", target_os = "macos")))]
    let program = "xdg-open";
    let mut child = std::process::Command::new(program).arg(path).spawn()?;
    // Reap it when it exits, so no zombie is left behind.
    std::thread::Builder::new().name("easel-open-folder".into()).spawn(move || child.wait()).map(|_| ())
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
    let native = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_title(text::APP_NAME)
            .with_app_id("easel")
            .with_inner_size([1200.0, 800.0])
            .with_min_inner_size([720.0, 480.0])
            .with_icon(Arc::new(eframe::icon_data::from_png_bytes(include_bytes!("../assets/icon.png")).unwrap_or_default())),
        // Without any system font the font provider cannot work: fall back to egui's own fonts.
        system_font_fallback: ui::fonts::system_fonts_present(),
        ..Default::default()
    };
    match eframe::run_native("Easel", native, Box::new(|cc| Ok(Box::new(App::new(cc, options))))) {
        Ok(()) => 0,
        Err(e) => {
            eprintln!("easel: the window could not open ({e}). `easel generate --help` works without a window.");
            1
        }
    }
}
