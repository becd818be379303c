//! The full-size viewer: fit, zoom with the wheel and +/-, drag to pan, 1:1, previous/next with
//! the arrow keys, Esc to close; the prompt and figures beside it.

use super::{text, theme};
use crate::app::{Command, GalleryItem, Viewer};
use eframe::egui;

/// One press of + or −.
const ZOOM_STEP: f32 = 1.25;

/// Draws the viewer of `item` over the main area.
/// `steps` says whether there is a previous and a next picture among those shown.
pub fn viewer_ui(
    ui: &mut egui::Ui,
    viewer: &mut Viewer,
    item: &GalleryItem,
    steps: (bool, bool),
    dialog_open: bool,
    commands: &mut Vec<Command>,
) {
    if !dialog_open {
        keys(ui, viewer, commands);
    }
    egui::Panel::top("viewer-bar").show(ui, |ui| {
        ui.horizontal(|ui| {
            if ui.button(text::CLOSE()).clicked() {
                commands.push(Command::CloseViewer);
            }
            ui.separator();
            if ui.add_enabled(steps.0, egui::Button::new(text::PREVIOUS())).clicked() {
                commands.push(Command::ViewerStep(-1));
            }
            if ui.add_enabled(steps.1, egui::Button::new(text::NEXT())).clicked() {
                commands.push(Command::ViewerStep(1));
            }
            ui.separator();
            if ui.button(text::FIT()).clicked() {
                viewer.fit();
            }
            if ui.button(text::ACTUAL_SIZE()).clicked() {
                viewer.actual_size();
            }
            let out = ui.button("-").on_hover_text(text::ZOOM_OUT());
            out.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, text::ZOOM_OUT()));
            if out.clicked() {
                viewer.zoom_by(1.0 / ZOOM_STEP, None);
            }
            let zoom_in = ui.button("+").on_hover_text(text::ZOOM_IN());
            zoom_in.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, text::ZOOM_IN()));
            if zoom_in.clicked() {
                viewer.zoom_by(ZOOM_STEP, None);
            }
            if let Some(z) = viewer.zoom {
                ui.label(format!("{:.0}%", z * 100.0));
            }
            ui.separator();
            if ui.add_enabled(viewer.pixels.is_some(), egui::Button::new(text::COPY())).clicked() {
                commands.push(Command::Copy(item.id));
            }
            super::gallery::actions_ui(ui, item, commands);
        });
    });
    egui::Panel::right("viewer-info").default_size(300.0).show(ui, |ui| info_ui(ui, item));
    egui::CentralPanel::default().show(ui, |ui| picture_ui(ui, viewer));
}

fn keys(ui: &egui::Ui, viewer: &mut Viewer, commands: &mut Vec<Command>) {
    let picture = viewer.picture;
    // Keys typed into a field (Settings over the viewer, say) are not meant for the picture.
    if ui.ctx().egui_wants_keyboard_input() {
        return;
    }
    ui.input(|i| {
        // Saving and deleting act once per press, never on a held key's repeats.
        if super::pressed_once(i, egui::Key::S, true) {
            commands.push(Command::SaveAs(picture));
        }
        // egui turns Ctrl+C into a Copy event rather than a key press.
        if i.events.iter().any(|e| matches!(e, egui::Event::Copy)) {
            commands.push(Command::Copy(picture));
        }
        if super::pressed_once(i, egui::Key::Delete, false) {
            commands.push(Command::Delete(picture));
        }
        if i.key_pressed(egui::Key::Escape) {
            commands.push(Command::CloseViewer);
        }
        if i.key_pressed(egui::Key::ArrowLeft) {
            commands.push(Command::ViewerStep(-1));
        }
        if i.key_pressed(egui::Key::ArrowRight) {
            commands.push(Command::ViewerStep(1));
        }
        if !i.modifiers.command && (i.key_pressed(egui::Key::Plus) || i.key_pressed(egui::Key::Equals)) {
            viewer.zoom_by(ZOOM_STEP, None);
        }
        if !i.modifiers.command && i.key_pressed(egui::Key::Minus) {
            viewer.zoom_by(1.0 / ZOOM_STEP, None);
        }
        if !i.modifiers.command && i.key_pressed(egui::Key::Num0) {
            viewer.fit();
        }
        if i.key_pressed(egui::Key::Num1) {
            viewer.actual_size();
        }
    });
}

fn picture_ui(ui: &mut egui::Ui, viewer: &mut Viewer) {
    let rect = ui.available_rect_before_wrap();
    viewer.area = rect.size();
    let response = ui.allocate_rect(rect, egui::Sense::click_and_drag());
    response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Image, true, text::PICTURE_AREA()));
    if let Some(err) = &viewer.error {
        let words = egui::RichText::new(err.to_string()).color(theme::error_colour(ui.visuals()));
        ui.put(rect, egui::Label::new(words));
        return;
    }
    let Some(tex) = viewer.texture.clone() else {
        ui.put(rect, egui::Spinner::new());
        ui.put(rect.translate(egui::vec2(0.0, 30.0)), egui::Label::new(text::LOADING()));
        return;
    };
    if response.dragged() {
        viewer.pan += response.drag_delta();
    }
    if response.double_clicked() {
        viewer.fit();
    }
    if response.hovered() {
        let scroll = ui.input(|i| i.smooth_scroll_delta.y);
        if scroll != 0.0 {
            let anchor = response.hover_pos().map(|p| p - rect.center());
            viewer.zoom_by((scroll * 0.002).exp(), anchor);
        }
    }
    let scale = viewer.scale(tex.size_vec2());
    let size = tex.size_vec2() * scale;
    let shown = egui::Rect::from_center_size(rect.center() + viewer.pan, size);
    ui.painter_at(rect).image(
        tex.id(),
        shown,
        egui::Rect::from_min_max(egui::pos2(0.0, 0.0), egui::pos2(1.0, 1.0)),
        egui::Color32::WHITE,
    );
}

fn info_ui(ui: &mut egui::Ui, item: &GalleryItem) {
    let m = &item.saved.meta;
    egui::ScrollArea::vertical().show(ui, |ui| {
        if let Some(reason) = &item.damaged {
            ui.colored_label(theme::warn_colour(ui.visuals()), text::details_damaged(&reason.to_string()));
            ui.label(
                egui::RichText::new(item.saved.path.display().to_string())
                    .small()
                    .color(theme::weak_colour(ui.visuals())),
            );
            return;
        }
        ui.label(egui::RichText::new(text::PROMPT()).strong());
        // Not selectable: Ctrl+C in the viewer copies the picture.
        ui.add(egui::Label::new(&m.request.prompt).wrap().selectable(false));
        ui.add_space(theme::GAP);
        egui::Grid::new("viewer-facts").num_columns(2).show(ui, |ui| {
            let mut row = |k: &str, v: String| {
                ui.label(egui::RichText::new(k).color(theme::weak_colour(ui.visuals())));
                ui.label(v);
                ui.end_row();
            };
            row(text::MODEL(), m.request.model.clone());
            row(text::QUALITY(), super::form::quality_label(m.request.quality).to_string());
            row(text::ASKED_SIZE(), super::form::size_words(m.request.size));
            row(text::REAL_SIZE(), format!("{} × {}", m.width, m.height));
            row(text::FORMAT(), m.format.wire().to_uppercase());
            row(text::FILE_SIZE(), text::bytes(m.bytes));
            row(text::TIME(), text::seconds(m.elapsed_secs));
            if let Some(t) = m.usage.and_then(|u| u.total_tokens) {
                row(text::TOKENS_REQUEST(), text::tokens(t));
            }
            if let Some(c) = m.request_cost_usd {
                row(text::COST_REQUEST(), text::from_tokens(&text::cost(c, false)));
            }
            if let Some(c) = m.estimated_cost_usd {
                row(text::ESTIMATE(), text::cost(c, false));
            }
            row(text::ENDPOINT(), m.endpoint_name.clone());
            row(text::CREATED(), text::local_time(&m.created));
        });
        ui.add_space(theme::GAP);
        ui.label(
            egui::RichText::new(item.saved.path.display().to_string()).small().color(theme::weak_colour(ui.visuals())),
        );
    });
}
