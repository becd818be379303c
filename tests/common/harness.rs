//! The real `App` in an `egui_kittest` harness, with fakes at its edges: a wiremock relay,
//! keyring-core's mock store, a temporary data folder, dialogs the test answers.

use super::*;
use easel::app::{App, AppOptions, DialogAnswer, Dialogs, Persisted, PickedFiles};
use easel::secrets::{ApiKey, Secrets};
use egui_kittest::Harness;
use egui_kittest::kittest::{By, NodeT, Queryable};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, Once};
use std::time::{Duration, Instant};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const GEN: &str = "/v1/images/generations";

pub fn mock_keyring() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| keyring_core::set_default_store(keyring_core::mock::Store::new().unwrap()));
}

/// A save dialog that answers with a path the test chose, and records what it was asked.
#[derive(Default)]
pub struct FakeDialogs {
    pub answer: Mutex<Option<PathBuf>>,
    pub asked: Mutex<Vec<String>>,
    /// Panics instead of answering: a bug in background work, as the window meets it.
    pub panic: std::sync::atomic::AtomicBool,
    /// No dialog can open on this system (no portal, say).
    pub unavailable: std::sync::atomic::AtomicBool,
}

pub fn chosen(p: Option<PathBuf>) -> DialogAnswer {
    p.map_or(DialogAnswer::Unavailable, DialogAnswer::Chosen)
}

impl Dialogs for FakeDialogs {
    fn save_file(&self, suggested_name: &str, _folder: Option<&Path>) -> DialogAnswer {
        self.asked.lock().unwrap().push(suggested_name.to_string());
        chosen(self.answer.lock().unwrap().clone())
    }

    fn pick_folder(&self, _folder: Option<&Path>) -> DialogAnswer {
        assert!(!self.panic.load(std::sync::atomic::Ordering::SeqCst), "a bug in the folder dialog");
        self.asked.lock().unwrap().push("folder".into());
        chosen(self.answer.lock().unwrap().clone())
    }

    fn pick_pictures(&self, _folder: Option<&Path>) -> PickedFiles {
        self.asked.lock().unwrap().push("pictures".into());
        if self.unavailable.load(std::sync::atomic::Ordering::SeqCst) {
            return PickedFiles::Unavailable;
        }
        match self.answer.lock().unwrap().clone() {
            Some(p) => PickedFiles::Chosen(vec![p]),
            None => PickedFiles::Cancelled,
        }
    }
}

pub struct World {
    pub rt: tokio::runtime::Runtime,
    pub server: MockServer,
    pub data: tempfile::TempDir,
    pub secrets: Arc<Secrets>,
    pub dialogs: Arc<FakeDialogs>,
    pub undo_window: Duration,
    /// A picture the window is opened with (`easel FILE`).
    pub open: Option<PathBuf>,
    /// The day the gallery counts from (the computer's when `None`).
    pub today: Option<chrono::NaiveDate>,
    /// Another relay than `server` for the window to use (a paced one, say), with the key.
    pub relay: Option<String>,
}

impl World {
    pub fn new() -> World {
        mock_keyring();
        let rt = tokio::runtime::Runtime::new().unwrap();
        let server = rt.block_on(MockServer::start());
        let secrets = Arc::new(Secrets::new());
        // wiremock hands out servers again from a pool, on the port they had: a key an earlier
        // test stored for that address is still in the shared mock keyring.
        let account = easel::endpoint::Endpoint::from_base_url(&format!("{}/v1", server.uri()), None).unwrap();
        secrets.delete(&account.key_account()).unwrap();
        World {
            rt,
            server,
            data: tempfile::tempdir().unwrap(),
            secrets,
            dialogs: Arc::new(FakeDialogs::default()),
            undo_window: Duration::from_secs(600),
            open: None,
            today: None,
            relay: None,
        }
    }

    /// The window talks to `base` instead of the wiremock server, with the key stored for it.
    pub fn using(mut self, base: &str) -> World {
        let account = easel::endpoint::Endpoint::from_base_url(base, None).unwrap().key_account();
        self.secrets.store(&account, &ApiKey::new(KEY).unwrap()).unwrap();
        self.relay = Some(base.to_string());
        self
    }

    pub fn base(&self) -> String {
        format!("{}/v1", self.server.uri())
    }

    pub fn account(&self) -> String {
        easel::endpoint::Endpoint::from_base_url(&self.base(), None).unwrap().key_account()
    }

    pub fn with_key(self) -> World {
        self.secrets.store(&self.account(), &ApiKey::new(KEY).unwrap()).unwrap();
        self
    }

    /// Answers requests that ask for `quality` (a comparison's cells) with `template`.
    pub fn answer_quality(&self, quality: &str, template: ResponseTemplate, times: Option<u64>) {
        let mock = Mock::given(method("POST"))
            .and(path(GEN))
            .and(wiremock::matchers::body_partial_json(serde_json::json!({"quality": quality})))
            .respond_with(template);
        let mock = if let Some(n) = times { mock.up_to_n_times(n) } else { mock };
        self.rt.block_on(mock.mount(&self.server));
    }

    pub fn answer(&self, template: ResponseTemplate, times: Option<u64>) {
        let mock = Mock::given(method("POST")).and(path(GEN)).respond_with(template);
        let mock = match times {
            Some(n) => mock.up_to_n_times(n),
            None => mock,
        };
        self.rt.block_on(mock.mount(&self.server));
    }

    /// The requests for pictures the relay received (the window also reads the endpoint's list
    /// of models, with a GET, which is not one).
    pub fn posted(&self) -> Vec<wiremock::Request> {
        let all = self.rt.block_on(self.server.received_requests()).unwrap_or_default();
        all.into_iter().filter(|r| r.method == wiremock::http::Method::POST).collect()
    }

    pub fn requests(&self) -> usize {
        self.posted().len()
    }

    pub fn app(&self) -> Harness<'static, App> {
        self.app_in(easel::i18n::Lang::En)
    }

    /// The window in `lang`, whatever this machine's language is.
    pub fn app_in(&self, lang: easel::i18n::Lang) -> Harness<'static, App> {
        self.app_sized(lang, egui::vec2(1280.0, 900.0), 1.0)
    }

    /// What the window is started with here: this world's data folder, keyring, dialogs, relay.
    pub fn options(&self) -> AppOptions {
        AppOptions {
            data_dir: self.data.path().to_path_buf(),
            secrets: self.secrets.clone(),
            dialogs: self.dialogs.clone(),
            client: fast_config(),
            base_url_override: Some(self.relay.clone().unwrap_or_else(|| self.base())),
            trash_folder: Some(self.trash()),
            undo_window: self.undo_window,
            diagnostics: false,
            open: self.open.clone(),
            today: self.today,
        }
    }

    /// The window in `lang`, `size` points large on a screen of `pixels_per_point`.
    pub fn app_sized(&self, lang: easel::i18n::Lang, size: egui::Vec2, pixels_per_point: f32) -> Harness<'static, App> {
        let options = self.options();
        let mut options = Some(options);
        // Background work (thumbnails, the history, a saved key) can answer during a `run`: a
        // few steps more than kittest's four let the window settle on a busy machine too,
        // where they came one run too late (seen in 13 of 150 runs of tests/mask.rs).
        let mut h =
            Harness::builder().with_size(size).with_pixels_per_point(pixels_per_point).with_max_steps(12).build_eframe(
                move |cc| {
                    let mut state = Persisted::default();
                    state.settings.language = Some(lang);
                    App::with_state(&cc.egui_ctx, options.take().unwrap(), state)
                },
            );
        // The history is read in the background, with a spinner until it is in.
        step_until(&mut h, "the history", |h| !h.state().history_loading);
        h
    }

    /// The app after one request for `n` pictures made from `prompt`, with every thumbnail in.
    pub fn generated(&self, prompt: &str, n: usize) -> Harness<'static, App> {
        self.answer(ok_answer(n), None);
        let mut h = self.app();
        h.run();
        type_prompt(&mut h, prompt);
        // Asked for as many as the relay sends: Easel keeps no more pictures than it asked for.
        h.state_mut().state.form.n = u8::try_from(n).unwrap();
        h.run();
        h.get_by_label("Generate").click();
        // The pictures, and the request's end: a request still running repaints every half
        // second, which a test's `run` would wait out.
        step_until(&mut h, "the finished job", |h| pictures_ready(h, n) && h.state().active_jobs() == 0);
        h
    }

    /// Where deleted pictures go in these tests (the system's trash is tested in tests/trash.rs).
    pub fn trash(&self) -> PathBuf {
        self.data.path().join("trash-bin")
    }

    pub fn images(&self) -> Vec<PathBuf> {
        let mut v: Vec<PathBuf> = std::fs::read_dir(self.data.path().join("images"))
            .map(|r| r.map(|e| e.unwrap().path()).filter(|p| p.extension().is_some_and(|e| e != "json")).collect())
            .unwrap_or_default();
        v.sort();
        v
    }
}

pub fn ok_answer(n: usize) -> ResponseTemplate {
    let pics: Vec<Vec<u8>> = (0..n).map(|i| png(64 + i as u32, 48)).collect();
    ResponseTemplate::new(200).set_body_raw(b64_answer(&pics).to_string(), "application/json")
}

/// Steps the app until `done` holds, failing after a generous deadline. No fixed sleeps:
/// the wait ends as soon as the condition does.
pub fn step_until(h: &mut Harness<'_, App>, what: &str, done: impl Fn(&Harness<'_, App>) -> bool) {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        h.step();
        if done(h) {
            return;
        }
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(5));
    }
}

/// `n` pictures with their thumbnails, and no job still running. Clicks wait for this: a tile
/// turns from a placeholder into its picture as a request ends, and a click aimed a frame
/// earlier would meet the wrong one.
pub fn pictures_ready(h: &Harness<'_, App>, n: usize) -> bool {
    let s = h.state();
    let shown: Vec<_> = s.gallery.iter().filter(|g| !g.hidden).collect();
    shown.len() == n
        && shown.iter().all(|g| s.thumbs.has(&g.saved.path))
        && s.jobs.iter().all(|j| !j.status.is_active())
}

/// Whether any text the user can read (a label's value or a widget's name) contains `text`.
pub fn has_label_containing(h: &Harness<'_, App>, text: &str) -> bool {
    let matches = |n: &egui_kittest::kittest::AccessKitNode<'_>| {
        n.value().is_some_and(|v| v.contains(text)) || n.label().is_some_and(|l| l.contains(text))
    };
    h.query_all(By::new().include_labels().predicate(move |n| matches(n))).next().is_some()
}

pub fn type_into(h: &mut Harness<'_, App>, role: egui::accesskit::Role, text: &str) {
    h.get_by_role(role).focus();
    h.run();
    h.get_by_role(role).type_text(text);
    h.run();
}

pub fn type_prompt(h: &mut Harness<'_, App>, prompt: &str) {
    type_into(h, egui::accesskit::Role::MultilineTextInput, prompt);
}

/// The name of the widget that has the keyboard focus, if any.
#[allow(clippy::redundant_closure_for_method_calls)] // The method path is not general enough over the node's lifetime.
pub fn focused(h: &Harness<'_, App>) -> Option<String> {
    let node = h.query_all(By::new().include_labels().predicate(|n| n.is_focused())).next()?;
    let ak = node.accesskit_node();
    ak.label().or(ak.value())
}

/// Where picture pixel (`x`, `y`) is on screen, as the mask painter draws it now.
pub fn painter_screen(h: &Harness<'_, App>, x: f32, y: f32) -> egui::Pos2 {
    let painter = h.state().painter.as_ref().expect("a painter");
    let [w, h_px] = painter.pixel_size().expect("the picture in");
    let stage = painter.zoom.reference.expect("the picture drawn");
    let shown = painter.zoom.placed(&stage);
    // On whole screen pixels, as the picture is drawn.
    let ppp = stage.pixels_per_point;
    let min = egui::pos2((shown.min.x * ppp).round() / ppp, (shown.min.y * ppp).round() / ppp);
    min + egui::vec2(x / w as f32 * shown.width(), y / h_px as f32 * shown.height())
}

/// In the mask painter: presses the left button at the first point (picture pixels), moves
/// through the others, and lets go at the last, a frame for each.
pub fn drag(h: &mut Harness<'static, App>, points: &[(f32, f32)]) {
    let at: Vec<egui::Pos2> = points.iter().map(|&(x, y)| painter_screen(h, x, y)).collect();
    h.hover_at(at[0]);
    h.run();
    h.drag_at(at[0]);
    h.run();
    for p in &at[1..] {
        h.hover_at(*p);
        h.run();
    }
    h.drop_at(at[at.len() - 1]);
    h.run();
}

/// A file dropped on the window, as eframe hands it over.
#[derive(Debug)]
pub struct DroppedPath(pub PathBuf);

impl egui::DroppedFile for DroppedPath {
    fn path(&self) -> &Path {
        &self.0
    }

    fn bytes(&self) -> Result<Vec<u8>, String> {
        std::fs::read(&self.0).map_err(|e| e.to_string())
    }
}
