//! The window. For now a placeholder that says where the terminal front end is; the full
//! window (key, form, jobs, gallery, viewer) is the next piece of work.

use eframe::egui;

/// Opens the window and returns the process exit code when it closes.
pub fn run_window() -> i32 {
    let options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default().with_title("Easel").with_inner_size([720.0, 480.0]).with_min_inner_size([480.0, 320.0]),
        ..Default::default()
    };
    match eframe::run_native("Easel", options, Box::new(|_cc| Ok(Box::new(Placeholder)))) {
        Ok(()) => 0,
        Err(e) => {
            eprintln!("easel: the window could not open ({e}). `easel generate --help` works without a window.");
            1
        }
    }
}

struct Placeholder;

impl eframe::App for Placeholder {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        egui::CentralPanel::default().show(ui, |ui| {
            ui.vertical_centered(|ui| {
                ui.add_space(ui.available_height() * 0.3);
                ui.heading("Easel");
                ui.label(format!("Version {}", crate::VERSION));
                ui.add_space(12.0);
                ui.label("The picture window is on its way. Until then, make pictures from a terminal:");
                ui.monospace("easel key set");
                ui.monospace("easel generate --prompt \"a red fox in snow\" --quality low");
            });
        });
    }
}
