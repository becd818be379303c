//! The eframe shell, above the app and its views: opens the window, builds the [`App`] from
//! what eframe kept, and runs each frame in order: the app's logic, the views, the commands
//! they pushed. Nothing else in Easel imports this module.

use crate::app::{App, AppOptions, Persisted};
use eframe::egui;
use std::sync::Arc;

/// Where the window's settings are stored by eframe (never the key).
const STATE_KEY: &str = "easel-state";

/// Opens the window and returns the process exit code when it closes.
/// `open`: a picture whose settings are shown at once ("Open with Easel").
pub fn run(open: Option<std::path::PathBuf>) -> i32 {
    let options = match crate::app::AppOptions::from_environment() {
        Ok(o) => crate::app::AppOptions { open, ..o },
        Err(e) => {
            eprintln!("easel: {e}");
            return 1;
        }
    };
    let mut native = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_title(crate::ui::text::APP_NAME())
            .with_app_id("easel")
            .with_inner_size([1200.0, 800.0])
            .with_min_inner_size([720.0, 480.0])
            .with_icon(Arc::new(
                eframe::icon_data::from_png_bytes(include_bytes!("../assets/icon.png")).unwrap_or_default(),
            )),
        // The app installs the system's fonts itself (ui::fonts), for its language.
        system_font_fallback: false,
        // A data folder of its own (EASEL_DATA_DIR: a portable set-up, a test) keeps the
        // window's settings too; otherwise eframe's folder for the app, as always.
        persistence_path: std::env::var_os(crate::library::ENV_DATA_DIR)
            .filter(|d| !d.is_empty())
            .map(|d| std::path::PathBuf::from(d).join("app.ron")),
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
    crate::bench::stage("run-native");
    match eframe::run_native("Easel", native, Box::new(|cc| Ok(Box::new(new(cc, options))))) {
        Ok(()) => 0,
        Err(e) => {
            eprintln!("easel: {}", crate::ui::text::window_failed(&e.to_string()));
            1
        }
    }
}

/// Builds the app from eframe's creation context and what it kept from the last run.
fn new(cc: &eframe::CreationContext<'_>, options: AppOptions) -> App {
    let state: Persisted = cc.storage.and_then(|s| eframe::get_value(s, STATE_KEY)).unwrap_or_default();
    App::with_state(&cc.egui_ctx, options, state)
}

/// What bench mode needs to know of a frame (`EASEL_BENCH`; nothing is asked without it).
fn bench_input(app: &App, ctx: &egui::Context) -> crate::bench::FrameInput {
    let blocked = if let Some(e) = &app.startup_error {
        Some(format!("the library could not be opened: {e}"))
    } else if app.needs_key() {
        Some(format!("the key screen is showing: set EASEL_API_KEY (and {})", crate::endpoint::ENV_BASE_URL))
    } else {
        None
    };
    crate::bench::FrameInput {
        history_loaded: !app.history_loading,
        loading_tiles: app.thumbs.loading_now(),
        textures: app.thumbs.len(),
        egui_textures: ctx.tex_manager().read().num_allocated(),
        gallery: app.gallery.len(),
        cpu_total_secs: app.frame_stats.total_secs,
        blocked,
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
        crate::ui::draw(ui, self);
        if crate::bench::enabled() {
            crate::bench::after_frame(ui.ctx(), &bench_input(self, ui.ctx()));
        }
        self.end_frame(ui.ctx());
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        eframe::set_value(storage, STATE_KEY, &self.state);
    }

    fn on_exit(&mut self) {
        self.closing();
    }
}
