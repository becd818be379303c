//! The window's state and what changes it. `App` owns every piece of state; [`App::logic`]
//! takes in worker events and background replies; the views in [`crate::ui`] read the state
//! and push [`Command`]s, which run at the end of the frame. Nothing here blocks: requests,
//! decoding, dialogs and the disk run elsewhere. State holds data (progress, errors as
//! values); the views word it when they draw, so a language switch re-renders everything.
//!
//! | file | what |
//! |---|---|
//! | `mod.rs` | `App`, the settings kept between runs, start-up |
//! | `modal.rs` | what fills the window ([`Screen`]), the one window over it ([`Modal`]), where keys go |
//! | `actions.rs` | the keyboard's actions: each one's keys and the screen it acts on |
//! | `commands.rs` | [`Command`] and what each one does (a feature's own in its file) |
//! | `key.rs` | the key screen's commands: store, test, forget, replace |
//! | `logic.rs` | worker events and background replies taken in each frame |
//! | `jobs.rs` | a request in the window: its activity and outcome, the session's spend |
//! | `library.rs` | the gallery: pictures by [`PictureId`], the history, deletes with Undo |
//! | `selection.rs` | the gallery's selection and what is done to all of it |
//! | `compare.rs`, `compare_draft.rs`, `compare_view.rs` | comparisons, their dialog, their wipe |
//! | `form.rs`, `filter.rs` | the form and the gallery's filters |
//! | `change.rs` | a change of pictures in the making: its pictures, options and sending |
//! | `notice.rs`, `problem.rs` | what the window tells the user, as data |
//! | `viewer.rs`, `zoom.rs` | the full-size viewer; the zoom and pan it shares with comparisons |
//! | `mask.rs` | the mask painter: the area of a picture an edit may change, its commands |
//! | `versions.rs` | a picture's versions: the original and the changes made from it |
//! | `thumbs.rs`, `dialogs.rs` | thumbnail textures and decoding, file dialogs |
//! | `background.rs` | work off the UI thread and the reply it hands back |

pub mod actions;
mod background;
pub mod change;
mod commands;
mod compare;
pub mod compare_draft;
pub mod compare_view;
pub mod dialogs;
pub mod filter;
pub mod form;
mod jobs;
mod key;
mod library;
mod logic;
pub mod mask;
mod modal;
pub mod models;
mod notice;
mod problem;
pub mod selection;
pub mod thumbs;
pub mod versions;
mod viewer;
pub mod zoom;

pub use actions::Action;
pub use commands::Command;
pub use compare::{CellState, Comparison, Picture};
pub use dialogs::{DialogAnswer, Dialogs, NativeDialogs, PickedFiles};
pub use jobs::{Activity, JobStatus, Preview, SentRequest, Session};
pub use library::{DropProblem, DroppedPicture, GalleryItem, arrived};
pub use modal::{Modal, Screen};
pub use notice::{Message, Notice};
pub use problem::{Blocked, KeyMessage, Problem};
pub use viewer::{BeforeAfter, Viewer};

use crate::api::{ApiError, ClientConfig, ImageRequest};
use crate::endpoint::{Endpoint, Prices};
use crate::library::{Library, LibraryError};
use crate::secrets::{ApiKey, KeySource, Secrets};
use crate::worker::{Worker, WorkerConfig};
use background::Reply;
use eframe::egui;
use filter::Filter;
use form::FormState;
use library::PendingDelete;
use serde::{Deserialize, Serialize};
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::mpsc::{Receiver, Sender};
use std::time::Duration;

/// Thumbnail textures kept at most: a few screenfuls, about 70 MB at most.
const THUMB_TEXTURES: usize = 200;
/// The smallest and largest size of text and controls, as a factor of the system's. Larger
/// than twice, the form covers Generate in a 1024×640 window and Settings leaves the screen;
/// smaller than half, nothing is readable. Ctrl + and Ctrl − (egui's, which go from 20% to
/// 500%) are held to the same bounds.
pub const MIN_SCALE: f32 = 0.5;
pub const MAX_SCALE: f32 = 2.0;
/// The gallery's row height: smallest, first and largest (thumbnails are made 296 pixels a side).
pub const THUMB_HEIGHT: (f32, f32, f32) = (80.0, 150.0, 300.0);

/// A picture's identity in the window for this run. Positions in the gallery change as
/// pictures arrive, are deleted or the history is read again; this does not. Every part of the
/// window names pictures by it, so it lives here, in no feature's file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PictureId(u64);

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
    /// The most a request may take, in seconds, answer included.
    pub timeout_secs: u64,
    /// The longest a streamed answer may send nothing at all, in seconds.
    pub idle_secs: u64,
    pub max_jobs: usize,
    pub prices: Prices,
    pub last_save_dir: Option<PathBuf>,
    /// Whether Save as… and Save all… keep the prompt and settings inside the files.
    pub settings_in_saved_files: bool,
    /// The interface language; `None` until the first start, which takes the system's.
    pub language: Option<crate::i18n::Lang>,
    /// The size of text and controls over the system's (egui's zoom factor).
    pub ui_scale: f32,
    /// The height of the gallery's rows of thumbnails, in points.
    pub thumb_height: f32,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            endpoint: EndpointChoice::QuickRouter,
            custom_url: String::new(),
            timeout_secs: 600,
            idle_secs: 300,
            max_jobs: 3,
            prices: Prices::default(),
            last_save_dir: None,
            settings_in_saved_files: true,
            language: None,
            ui_scale: 1.0,
            thumb_height: THUMB_HEIGHT.1,
        }
    }
}

/// Everything the window remembers between runs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct Persisted {
    pub form: FormState,
    pub settings: Settings,
    /// Each endpoint's own list of image models, by its keyring account (its origin).
    pub listed_models: std::collections::BTreeMap<String, models::Listed>,
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
    /// `EASEL_DIAGNOSTICS`: About shows how long frames take to draw.
    pub diagnostics: bool,
    /// A picture to show the settings of at start ("Open with Easel": `easel FILE`).
    pub open: Option<PathBuf>,
    /// The day the gallery's headings count from ("Today", "Yesterday"): the computer's when
    /// `None`; fixed by the screenshot tests, so a picture of the window is the same any day.
    pub today: Option<chrono::NaiveDate>,
}

impl AppOptions {
    /// The real thing: the data folder, the OS keyring, native dialogs.
    pub fn from_environment() -> Result<AppOptions, LibraryError> {
        Ok(AppOptions {
            data_dir: Library::default_dir()?,
            secrets: Arc::new(Secrets::new()),
            dialogs: Arc::new(NativeDialogs),
            client: ClientConfig { user_agent: format!("easel/{}", crate::VERSION), ..ClientConfig::default() },
            base_url_override: std::env::var(crate::endpoint::ENV_BASE_URL).ok().filter(|s| !s.trim().is_empty()),
            trash_folder: None,
            undo_window: Duration::from_secs(10),
            diagnostics: std::env::var_os("EASEL_DIAGNOSTICS").is_some(),
            open: None,
            today: None,
        })
    }
}

/// The key screen's state.
#[derive(Default)]
pub struct KeyScreen {
    pub input: String,
    pub show: bool,
    pub message: Option<KeyMessage>,
    pub testing: bool,
    /// Open on request from Settings ("Replace key…") even when a key is known.
    pub replacing: bool,
    /// What was typed when the service refused it as a key: Save waits for another.
    pub refused: Option<String>,
}

/// The application.
pub struct App {
    pub state: Persisted,
    options_override: Option<String>,
    secrets: Arc<Secrets>,
    dialogs: Arc<dyn Dialogs>,
    worker: Option<Worker>,
    /// Why Easel cannot make pictures at all (the data folder cannot be written).
    pub startup_error: Option<Problem>,
    pub key: Option<(ApiKey, KeySource)>,
    /// The keyring account `key` was looked up for.
    key_account: Option<String>,
    pub key_screen: KeyScreen,
    pub jobs: Vec<SentRequest>,
    /// Several failed requests are folded into one line; this opens it to show each.
    pub failures_open: bool,
    /// The endpoints whose models were asked for this run.
    models_asked: std::collections::HashSet<String>,
    /// What this run has made and cost.
    pub session: Session,
    /// Every picture, newest request first.
    pub gallery: Vec<GalleryItem>,
    /// The last identity given to a picture.
    last_picture: u64,
    /// The history is still being read.
    pub history_loading: bool,
    pub filter: Filter,
    pub selection: selection::Selection,
    pub thumbs: thumbs::ThumbCache,
    pending_deletes: Vec<PendingDelete>,
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
    /// The change of pictures being put together (empty when the form makes new pictures).
    pub change: change::ChangeDraft,
    /// The comparison on screen.
    pub comparison: Option<Comparison>,
    /// The mask painter and its mask, kept while hidden so the mask can be sent or painted again.
    pub painter: Option<mask::MaskPainter>,
    /// The painter is shown, over the gallery, the viewer or a comparison.
    pub painting: bool,
    pub notice: Option<Notice>,
    /// The windows over the screen (Settings, About, a question, a dialog), the one shown last.
    pub modals: Vec<Modal>,
    allow_close: bool,
    replies: (Sender<Reply>, Receiver<Reply>),
    commands: Vec<Command>,
    ctx: egui::Context,
    /// How long frames take to build, for the benchmarks and (with `diagnostics`) the About box.
    pub frame_stats: FrameStats,
    pub diagnostics: bool,
    /// Set by the font provider when CJK text found no font; said once.
    cjk_missing: Arc<std::sync::atomic::AtomicBool>,
    cjk_noted: bool,
    /// [`AppOptions::today`].
    today: Option<chrono::NaiveDate>,
    /// When the endpoint in use last refused streamed previews (or failed when asked for them),
    /// as the library remembers it: the form's Advanced section says so and offers to ask again.
    pub previews_refused: Option<std::time::SystemTime>,
}

/// CPU time spent building frames, as eframe measures it.
#[derive(Debug, Default, Clone, Copy)]
pub struct FrameStats {
    pub frames: u64,
    pub total_secs: f64,
    pub worst_secs: f64,
}

impl FrameStats {
    /// Counts a frame that took `secs` to build.
    pub fn add(&mut self, secs: f32) {
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
    /// Builds the app with a given remembered state.
    pub fn with_state(ctx: &egui::Context, options: AppOptions, mut state: Persisted) -> App {
        crate::bench::stage("app-new");
        let lang = *state.settings.language.get_or_insert_with(crate::i18n::Lang::from_system);
        crate::i18n::set(lang);
        let cjk_missing = crate::fonts::install(ctx, lang);
        // A size kept by an older Easel may be beyond today's bounds.
        state.settings.ui_scale = state.settings.ui_scale.clamp(MIN_SCALE, MAX_SCALE);
        // A price table kept by an older Easel lacks the newer models.
        state.settings.prices.add_missing(&crate::endpoint::Prices::default());
        ctx.set_zoom_factor(state.settings.ui_scale);
        crate::bench::stage("fonts");
        let (worker, startup_error) = match start_worker(ctx, &options, &state.settings) {
            Ok(w) => (Some(w), None),
            Err(e) => (None, Some(e)),
        };
        crate::bench::stage("worker");
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
            failures_open: false,
            models_asked: std::collections::HashSet::new(),
            session: Session::default(),
            gallery: Vec::new(),
            last_picture: 0,
            history_loading: false,
            filter: Filter::default(),
            selection: selection::Selection::default(),
            thumbs: thumbs::ThumbCache::new(THUMB_TEXTURES),
            pending_deletes: Vec::new(),
            moving_library: false,
            was_focused: true,
            gallery_read_once: false,
            trashed: std::collections::HashSet::new(),
            undo_window: options.undo_window,
            today: options.today,
            viewer: None,
            change: change::ChangeDraft::default(),
            comparison: None,
            painter: None,
            painting: false,
            notice: None,
            modals: Vec::new(),
            allow_close: false,
            replies: std::sync::mpsc::channel(),
            commands: Vec::new(),
            ctx: ctx.clone(),
            frame_stats: FrameStats::default(),
            diagnostics: options.diagnostics,
            cjk_missing,
            cjk_noted: false,
            previews_refused: None,
        };
        app.reload_key();
        crate::bench::stage("key");
        app.load_history();
        if let Some(path) = options.open {
            app.open_file(path);
        }
        app.report_location_problem();
        if let Some(e) = crate::secrets::env_key_problem() {
            app.notice = Some(Notice::new(Message::Failed(Problem::EnvKey(e))));
        }
        crate::bench::stage("app-ready");
        app
    }

    /// The endpoint in use: `EASEL_BASE_URL` if set, else the settings.
    pub fn endpoint(&self) -> Result<Endpoint, ApiError> {
        if let Some(url) = &self.options_override {
            return Endpoint::from_base_url(url, None);
        }
        match self.state.settings.endpoint {
            EndpointChoice::QuickRouter => Ok(Endpoint::quickrouter()),
            EndpointChoice::OpenAi => Ok(Endpoint::openai()),
            EndpointChoice::Custom => Endpoint::from_base_url(&self.state.settings.custom_url, None),
        }
    }

    fn reload_key(&mut self) {
        self.key_account = self.endpoint().ok().map(|e| e.key_account());
        self.key = self.key_account.as_ref().and_then(|a| self.secrets.load(a));
        self.reload_previews_refusal();
    }

    /// Reads what the library remembers of the endpoint in use refusing previews, off the UI thread.
    fn reload_previews_refusal(&mut self) {
        self.previews_refused = None;
        let (Some(worker), Ok(endpoint)) = (&self.worker, self.endpoint()) else { return };
        let (library, key) = (worker.library().clone(), endpoint.memory_key());
        self.background(background::nothing_to_end, move || {
            let at = library.previews_refused_at(&key);
            // Unless the endpoint changed meanwhile.
            background::reply(move |app, _| {
                if app.endpoint().ok().map(|e| e.memory_key()) == Some(key) {
                    app.previews_refused = at;
                }
            })
        });
    }

    /// The day the gallery's headings count from: the computer's, unless fixed ([`AppOptions::today`]).
    pub fn today(&self) -> chrono::NaiveDate {
        self.today.unwrap_or_else(|| chrono::Local::now().date_naive())
    }

    /// Until when the endpoint in use is asked without previews, because it refused them lately.
    pub fn previews_refused_until(&self) -> Option<std::time::SystemTime> {
        let until = self.previews_refused? + crate::worker::PREVIEWS_REFUSAL_LASTS;
        (until > std::time::SystemTime::now()).then_some(until)
    }

    /// Whether the endpoint is fixed by `EASEL_BASE_URL`.
    pub fn options_override_active(&self) -> bool {
        self.options_override.is_some()
    }

    /// Why no keyring can keep the key, if the keyring said so when asked: the key screen warns
    /// before a key is typed that it would last only until Easel closes.
    pub fn keyring_trouble(&self) -> Option<crate::secrets::KeyringTrouble> {
        self.secrets.keyring_trouble()
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
    pub fn validated_request(&self) -> Result<ImageRequest, Blocked> {
        let endpoint = self.endpoint().map_err(Blocked::Endpoint)?;
        if self.key.is_none() {
            return Err(Blocked::NoKey);
        }
        if self.startup_error.is_some() {
            return Err(Blocked::NoLibrary);
        }
        self.state.form.request(endpoint.prompt_limit).map_err(Blocked::Invalid)
    }

    /// Queues a command, as a view does; it runs at the end of the frame.
    pub fn push(&mut self, c: Command) {
        self.commands.push(c);
    }

    /// Whether CJK text met no font to draw it with (the note says which to install).
    pub fn cjk_font_missing(&self) -> bool {
        self.cjk_missing.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// Jobs still queued or running.
    pub fn active_jobs(&self) -> usize {
        self.jobs.iter().filter(|j| j.status.is_active()).count()
    }

    /// Pictures asked for by requests still running that have not arrived yet.
    pub fn pictures_coming(&self) -> usize {
        let active = self.jobs.iter().filter(|j| j.status.is_active());
        active.map(|j| usize::from(j.request.n).saturating_sub(arrived(&self.gallery, j.id))).sum()
    }

    /// The folder the pictures are in, when the library is open.
    pub fn images_dir(&self) -> Option<PathBuf> {
        self.worker.as_ref().map(|w| w.library().images_dir())
    }

    /// Says once, at start, that `library.json` could not be read and which folder is used.
    fn report_location_problem(&mut self) {
        let problem = self.worker.as_ref().and_then(|w| w.library().location_problem().cloned());
        if let Some(p) = problem {
            self.notice = Some(Notice::new(Message::Failed(Problem::Location(p))).with_folder(self.images_dir()));
        }
    }
}

/// Opens the library and starts the worker on it.
fn start_worker(ctx: &egui::Context, options: &AppOptions, settings: &Settings) -> Result<Worker, Problem> {
    let config = WorkerConfig {
        client: ClientConfig {
            request_timeout: Duration::from_secs(settings.timeout_secs.max(10)),
            idle_timeout: Duration::from_secs(settings.idle_secs.max(10)),
            ..options.client.clone()
        },
        max_concurrent: settings.max_jobs.clamp(1, 10),
        thumbnail_size: Some(thumbs::THUMB_PIXELS),
        prices: settings.prices.clone(),
        threads: 2,
    };
    let mut library = Library::open(&options.data_dir)?;
    crate::bench::stage("library");
    if let Some(folder) = &options.trash_folder {
        library.use_trash_folder(folder.clone());
    }
    let waker = ctx.clone();
    Ok(Worker::new(config, Arc::new(library), move || waker.request_repaint())?)
}
