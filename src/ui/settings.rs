//! Settings: endpoint, key, timeout, parallel requests, the library folder, privacy, prices.

use super::{text, theme};
use crate::app::{Command, MAX_SCALE, MIN_SCALE, Settings};
use crate::i18n::Lang;
use crate::secrets::KeySource;
use eframe::egui;

/// What the settings show about the library.
pub struct LibraryInfo {
    pub folder: Option<std::path::PathBuf>,
    /// Why the library cannot be moved now, if so.
    pub move_blocked: Option<&'static str>,
    /// Why the folder shown is the default one although the library was moved, if so.
    pub location_problem: Option<crate::library::LocationProblem>,
}

/// The endpoint really in use.
pub struct InUse {
    /// Its address, or why the one chosen is not usable.
    pub address: String,
    /// Set by `EASEL_BASE_URL`, whatever is chosen here.
    pub fixed: bool,
}

/// Draws the settings window while `open`.
pub fn settings_ui(
    ctx: &egui::Context,
    open: &mut bool,
    settings: &mut Settings,
    key: Option<KeySource>,
    library: &LibraryInfo,
    in_use: &InUse,
    commands: &mut Vec<Command>,
) {
    // Over a dimmed window, as a settings sheet is: it has the keys, and a click beside it, Esc
    // or Close puts it away (each setting applies as it is changed).
    let screen = ctx.content_rect();
    let modal = egui::Modal::new(egui::Id::unique("settings")).show(ctx, |ui| {
        ui.set_width(theme::SETTINGS_WIDTH.min(screen.width() - 4.0 * theme::GAP));
        ui.horizontal(|ui| {
            ui.heading(text::SETTINGS_TITLE());
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                if ui.button(text::CLOSE()).clicked() {
                    *open = false;
                }
            });
        });
        ui.separator();
        // A small window or large text: the settings scroll rather than leave the screen.
        let most = (screen.height() - 8.0 * theme::GAP).max(120.0);
        egui::ScrollArea::vertical().max_height(most).show(ui, |ui| {
            egui::Grid::new("language-grid").num_columns(2).show(ui, |ui| {
                let label = ui.label(text::LANGUAGE());
                let current = settings.language.unwrap_or_default();
                egui::ComboBox::from_id_salt("language")
                    .selected_text(current.native_name())
                    .show_ui(ui, |ui| {
                        for lang in Lang::ALL {
                            if ui.selectable_label(lang == current, lang.native_name()).clicked() && lang != current {
                                commands.push(Command::SetLanguage(lang));
                            }
                        }
                    })
                    .response
                    .labelled_by(label.id)
                    .on_hover_text(text::LANGUAGE_HINT());
                ui.end_row();
                let label = ui.label(text::UI_SCALE());
                let mut scale = ctx.zoom_factor();
                // Steps of 10% along a long track: a small drag is a small change.
                ui.spacing_mut().slider_width = theme::SCALE_SLIDER_WIDTH;
                let slider = ui.add(
                    egui::Slider::new(&mut scale, MIN_SCALE..=MAX_SCALE)
                        .step_by(0.1)
                        .custom_formatter(|v, _| format!("{:.0}%", v * 100.0)),
                );
                let slider = slider.labelled_by(label.id).on_hover_text(text::UI_SCALE_HINT());
                // Applied when let go: the window jumping under the pointer while dragging is no help.
                if slider.drag_stopped() || (slider.changed() && !slider.dragged()) {
                    ctx.set_zoom_factor(scale);
                    settings.ui_scale = scale;
                }
                ui.end_row();
            });
            ui.add_space(theme::GAP);
            if in_use.fixed {
                // EASEL_BASE_URL wins over the choice below: say so rather than let it mislead.
                ui.colored_label(theme::warn_colour(ui.visuals()), text::endpoint_fixed(&in_use.address));
            } else {
                super::key::endpoint_picker_ui(ui, settings, commands);
                ui.label(
                    egui::RichText::new(text::endpoint_in_use(&in_use.address)).color(theme::weak_colour(ui.visuals())),
                );
            }
            ui.add_space(theme::GAP);
            ui.horizontal(|ui| {
                match key {
                    Some(KeySource::Environment) => ui.label(text::KEY_FROM_ENV()),
                    Some(KeySource::Session) => {
                        ui.colored_label(theme::warn_colour(ui.visuals()), text::KEY_SESSION_ONLY())
                    }
                    _ => ui.label(""),
                };
            });
            ui.horizontal(|ui| {
                if ui.button(text::REPLACE_KEY()).clicked() {
                    commands.push(Command::ReplaceKey);
                }
                if ui.add_enabled(key.is_some(), egui::Button::new(text::FORGET_KEY())).clicked() {
                    commands.push(Command::ForgetKey);
                }
            });
            ui.add_space(theme::GAP);
            library_ui(ui, settings, library, commands);
            ui.add_space(theme::GAP);
            // What most never need to touch: how many requests at once, how long to wait, the
            // prices estimates use.
            egui::CollapsingHeader::new(text::ADVANCED()).id_salt("settings-advanced").show(ui, |ui| {
                advanced_ui(ui, settings, commands);
            });
        });
    });
    if modal.should_close() {
        *open = false;
    }
}

/// Requests at once, the limits of waiting, the prices.
fn advanced_ui(ui: &mut egui::Ui, settings: &mut Settings, commands: &mut Vec<Command>) {
    egui::Grid::new("settings-grid").num_columns(2).show(ui, |ui| {
        let label = ui.label(text::MAX_JOBS());
        if ui.add(egui::DragValue::new(&mut settings.max_jobs).range(1..=10)).labelled_by(label.id).changed() {
            commands.push(Command::ApplySettings);
        }
        ui.end_row();
        let label = ui.label(text::TIMEOUT());
        ui.add(egui::DragValue::new(&mut settings.timeout_secs).range(30..=3600)).labelled_by(label.id);
        ui.end_row();
        let label = ui.label(text::IDLE_TIMEOUT());
        ui.add(egui::DragValue::new(&mut settings.idle_secs).range(30..=3600)).labelled_by(label.id);
        ui.end_row();
    });
    ui.label(egui::RichText::new(text::TIMEOUTS_APPLY()).color(theme::weak_colour(ui.visuals())));
    ui.add_space(theme::GAP);
    egui::CollapsingHeader::new(text::PRICES())
        .id_salt("prices")
        .show(ui, |ui| prices_ui(ui, &mut settings.prices, commands));
}

/// The price table: per model, low, medium and high for the square and the wide sizes.
fn prices_ui(ui: &mut egui::Ui, prices: &mut crate::endpoint::Prices, commands: &mut Vec<Command>) {
    egui::Grid::new("prices").num_columns(3).show(ui, |ui| {
        ui.label(text::MODEL());
        ui.label(text::PRICES_SQUARE());
        ui.label(text::PRICES_WIDE());
        ui.end_row();
        for m in &mut prices.models {
            ui.label(&m.model);
            // The gpt-image-2 family is priced by its output tokens, for any size.
            if crate::api::models::rules(&m.model).token_priced {
                ui.horizontal(|ui| {
                    let field = ui.add(egui::DragValue::new(&mut m.image_out_per_m).speed(0.1).range(0.0..=1000.0));
                    let name = text::price_per_tokens(&m.model);
                    field.widget_info(|| egui::WidgetInfo::labeled(egui::Role::SpinButton, true, &name));
                    ui.label(text::PER_MILLION_OUTPUT_TOKENS());
                    if field.changed() {
                        commands.push(Command::ApplySettings);
                    }
                });
                ui.label("");
                ui.end_row();
                continue;
            }
            for (row, shape) in [(&mut m.square, text::PRICES_SQUARE()), (&mut m.wide, text::PRICES_WIDE())] {
                ui.horizontal(|ui| {
                    let qualities = [text::QUALITY_LOW(), text::QUALITY_MEDIUM(), text::QUALITY_HIGH()];
                    for (p, quality) in row.iter_mut().zip(qualities) {
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
    ui.label(text::PRICES_NOTE());
}

fn library_ui(ui: &mut egui::Ui, settings: &mut Settings, library: &LibraryInfo, commands: &mut Vec<Command>) {
    ui.label(egui::RichText::new(text::LIBRARY_FOLDER()).strong());
    if let Some(folder) = &library.folder {
        ui.label(folder.display().to_string());
    }
    // Said here too: the notice at start-up may have been replaced since.
    if let Some(problem) = &library.location_problem {
        ui.colored_label(theme::warn_colour(ui.visuals()), problem.to_string());
    }
    ui.horizontal(|ui| {
        if ui.add_enabled(library.folder.is_some(), egui::Button::new(text::OPEN_FOLDER())).clicked() {
            commands.push(Command::OpenFolder(library.folder.clone()));
        }
        let moving = ui.add_enabled(library.move_blocked.is_none(), egui::Button::new(text::MOVE_LIBRARY()));
        if moving.clicked() {
            commands.push(Command::MoveLibrary);
        }
        if let Some(why) = library.move_blocked {
            ui.label(egui::RichText::new(why).color(theme::weak_colour(ui.visuals())));
        }
    });
    super::toggle::toggle(ui, &mut settings.settings_in_saved_files, text::SETTINGS_IN_FILES())
        .on_hover_text(text::SETTINGS_IN_FILES_HINT());
}
