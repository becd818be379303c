//! Settings: endpoint, key, timeout, parallel requests, the library folder, privacy, prices.

use super::{text, theme};
use crate::app::{Command, Settings};
use crate::secrets::KeySource;
use eframe::egui;

/// What the settings show about the library.
pub struct LibraryInfo {
    pub folder: Option<std::path::PathBuf>,
    /// Why the library cannot be moved now, if so.
    pub move_blocked: Option<&'static str>,
}

/// Draws the settings window while `open`.
pub fn settings_ui(ctx: &egui::Context, open: &mut bool, settings: &mut Settings, key: Option<KeySource>, library: &LibraryInfo, commands: &mut Vec<Command>) {
    let mut keep_open = *open;
    egui::Window::new(text::SETTINGS_TITLE).open(&mut keep_open).collapsible(false).default_width(560.0).show(ctx, |ui| {
        super::key::endpoint_picker_ui(ui, settings, commands);
        ui.add_space(theme::GAP);
        ui.horizontal(|ui| {
            match key {
                Some(KeySource::Environment) => ui.label(text::KEY_FROM_ENV),
                Some(KeySource::Session) => ui.colored_label(theme::warn_colour(ui.visuals()), text::KEY_SESSION_ONLY),
                _ => ui.label(""),
            };
        });
        ui.horizontal(|ui| {
            if ui.button(text::REPLACE_KEY).clicked() {
                commands.push(Command::ReplaceKey);
            }
            if ui.add_enabled(key.is_some(), egui::Button::new(text::FORGET_KEY)).clicked() {
                commands.push(Command::ForgetKey);
            }
        });
        ui.add_space(theme::GAP);
        egui::Grid::new("settings-grid").num_columns(2).show(ui, |ui| {
            let label = ui.label(text::TIMEOUT);
            ui.add(egui::DragValue::new(&mut settings.timeout_secs).range(30..=3600)).labelled_by(label.id);
            ui.end_row();
            let label = ui.label(text::MAX_JOBS);
            if ui.add(egui::DragValue::new(&mut settings.max_jobs).range(1..=10)).labelled_by(label.id).changed() {
                commands.push(Command::ApplySettings);
            }
            ui.end_row();
        });
        ui.add_space(theme::GAP);
        library_ui(ui, settings, library, commands);
        ui.add_space(theme::GAP);
        egui::CollapsingHeader::new(text::PRICES).show(ui, |ui| {
            egui::Grid::new("prices").num_columns(3).show(ui, |ui| {
                ui.label(text::MODEL);
                ui.label(text::PRICES_SQUARE);
                ui.label(text::PRICES_WIDE);
                ui.end_row();
                for m in &mut settings.prices.models {
                    ui.label(&m.model);
                    for (row, shape) in [(&mut m.square, text::PRICES_SQUARE), (&mut m.wide, text::PRICES_WIDE)] {
                        ui.horizontal(|ui| {
                            for (p, quality) in row.iter_mut().zip([text::QUALITY_LOW, text::QUALITY_MEDIUM, text::QUALITY_HIGH]) {
                                let field = ui.add(egui::DragValue::new(p).speed(0.001).range(0.0..=10.0).max_decimals(3));
                                let name = text::price_name(&m.model, shape, quality);
                                field.widget_info(|| egui::WidgetInfo::labeled(egui::Role::SpinButton, true, &name));
                                if field.changed() {
                                    commands.push(Command::ApplySettings);
                                }
                            }
                        });
                    }
                    ui.end_row();
                }
            });
            ui.label(text::PRICES_NOTE);
        });
    });
    *open = keep_open;
}

fn library_ui(ui: &mut egui::Ui, settings: &mut Settings, library: &LibraryInfo, commands: &mut Vec<Command>) {
    ui.label(egui::RichText::new(text::LIBRARY_FOLDER).strong());
    if let Some(folder) = &library.folder {
        ui.label(folder.display().to_string());
    }
    ui.horizontal(|ui| {
        if ui.add_enabled(library.folder.is_some(), egui::Button::new(text::OPEN_FOLDER)).clicked() {
            commands.push(Command::OpenFolder(library.folder.clone()));
        }
        let moving = ui.add_enabled(library.move_blocked.is_none(), egui::Button::new(text::MOVE_LIBRARY));
        if moving.clicked() {
            commands.push(Command::MoveLibrary);
        }
        if let Some(why) = library.move_blocked {
            ui.label(egui::RichText::new(why).color(theme::weak_colour(ui.visuals())));
        }
    });
    ui.checkbox(&mut settings.settings_in_saved_files, text::SETTINGS_IN_FILES).on_hover_text(text::SETTINGS_IN_FILES_HINT);
}
