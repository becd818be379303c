//! The settings found inside a picture file dropped on the window, with "Use these settings".

use super::{text, theme};
use crate::app::{Command, DropProblem, DroppedPicture};
use eframe::egui;

/// Shows what a dropped picture carries.
pub fn dropped_ui(ctx: &egui::Context, dropped: &DroppedPicture, commands: &mut Vec<Command>) {
    let modal = egui::Modal::new(egui::Id::unique("dropped-picture")).show(ctx, |ui| {
        ui.set_max_width(560.0);
        ui.heading(text::DROPPED_TITLE());
        ui.label(egui::RichText::new(&dropped.name).color(theme::weak_colour(ui.visuals())));
        ui.add_space(theme::GAP);
        match &dropped.result {
            Err(problem) => {
                ui.colored_label(theme::warn_colour(ui.visuals()), problem_words(&dropped.name, problem));
            }
            Ok(params) => {
                egui::ScrollArea::vertical().max_height(360.0).show(ui, |ui| {
                    ui.label(egui::RichText::new(text::PROMPT()).strong());
                    ui.add(egui::Label::new(&params.prompt).wrap());
                    if let Some(negative) = &params.negative_prompt {
                        ui.add_space(theme::GAP / 2.0);
                        ui.label(egui::RichText::new(text::NEGATIVE_PROMPT()).strong());
                        ui.add(egui::Label::new(negative).wrap());
                    }
                    ui.add_space(theme::GAP);
                    egui::Grid::new("dropped-fields").num_columns(2).show(ui, |ui| {
                        for (key, value) in &params.fields {
                            let (key, value) = field_words(key, value);
                            ui.label(egui::RichText::new(key).color(theme::weak_colour(ui.visuals())));
                            ui.label(value);
                            ui.end_row();
                        }
                    });
                });
                ui.add_space(theme::GAP);
            }
        }
        ui.horizontal(|ui| {
            if dropped.result.is_ok() && ui.button(text::USE_SETTINGS()).clicked() {
                commands.push(Command::UseDropped);
            }
            // A picture without settings inside can still be changed.
            let picture = !matches!(dropped.result, Err(DropProblem::NotAPicture | DropProblem::Unreadable(_)));
            if picture && ui.button(text::CHANGE_THIS_PICTURE()).clicked() {
                commands.push(Command::ChangeDropped);
            }
            if ui.button(text::CLOSE()).clicked() {
                commands.push(Command::CloseDropped);
            }
        });
    });
    if modal.should_close() {
        commands.push(Command::CloseDropped);
    }
}

/// Why a dropped file shows no settings, naming the file.
fn problem_words(name: &str, problem: &DropProblem) -> String {
    match problem {
        DropProblem::Unreadable(why) => text::unreadable_picture(name, &crate::outside::one_line(&why.to_string())),
        DropProblem::NotAPicture => text::not_a_picture(name),
        DropProblem::NoSettings => text::no_settings_inside(name),
    }
}

/// While files are dragged over the window, says what dropping one does.
pub fn drop_hint_ui(ctx: &egui::Context) {
    if ctx.input(|i| i.raw.hovered_files.is_empty()) {
        return;
    }
    let screen = ctx.content_rect();
    let painter = ctx.layer_painter(egui::LayerId::new(egui::Order::Foreground, egui::Id::unique("drop-hint")));
    painter.rect_filled(screen, 0.0, egui::Color32::from_black_alpha(160));
    painter.text(
        screen.center(),
        egui::Align2::CENTER_CENTER,
        text::DROP_HINT(),
        egui::FontId::proportional(22.0),
        egui::Color32::WHITE,
    );
}

/// A field of a picture's settings text in the window's words: the names Easel writes in the
/// window's language, its time of creation as a local date rather than the file's RFC 3339.
/// Other tools' fields are shown as they are.
fn field_words(key: &str, value: &str) -> (String, String) {
    let name = match key {
        "Model" => text::MODEL(),
        "Size" => text::SIZE(),
        "Quality" => text::QUALITY(),
        "Format" => text::FORMAT(),
        "Endpoint" => text::ENDPOINT(),
        "Created" => return (text::CREATED().to_string(), text::local_time(value)),
        _ => return (key.to_string(), value.to_string()),
    };
    (name.to_string(), value.to_string())
}
