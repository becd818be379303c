//! The full-size viewer: fit, zoom with the wheel and +/-, drag to pan, 1:1, previous/next with
//! the arrow keys, Esc to close; the prompt and figures beside it.

use super::{text, theme};
use crate::app::{Command, GalleryItem, Viewer};
use eframe::egui;

const MIN_ZOOM: f32 = 0.05;
const MAX_ZOOM: f32 = 16.0;

/// Draws the viewer over the main area.
/// `steps` says whether there is a previous and a next picture among those shown.
pub fn viewer_ui(
    ui: &mut egui::Ui,
    viewer: &mut Viewer,
    gallery: &[GalleryItem],
    steps: (bool, bool),
    dialog_open: bool,
    commands: &mut Vec<Command>,
) {
    let Some(item) = gallery.get(viewer.index) else {
        commands.push(Command::CloseViewer);
        return;
    };
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
                viewer.zoom = None;
                viewer.pan = egui::Vec2::ZERO;
            }
            if ui.button(text::ACTUAL_SIZE()).clicked() {
                viewer.zoom = Some(1.0);
                viewer.pan = egui::Vec2::ZERO;
            }
            let out = ui.button("-").on_hover_text(text::ZOOM_OUT());
            out.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, text::ZOOM_OUT()));
            if out.clicked() {
                zoom_by(viewer, 1.0 / 1.25, None);
            }
            let zoom_in = ui.button("+").on_hover_text(text::ZOOM_IN());
            zoom_in.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, text::ZOOM_IN()));
            if zoom_in.clicked() {
                zoom_by(viewer, 1.25, None);
            }
            if let Some(z) = viewer.zoom {
                ui.label(format!("{:.0}%", z * 100.0));
            }
            ui.separator();
            if ui.add_enabled(viewer.pixels.is_some(), egui::Button::new(text::COPY())).clicked() {
                commands.push(Command::Copy(viewer.index));
            }
            super::gallery::actions_ui(ui, item, viewer.index, commands);
        });
    });
    egui::Panel::right("viewer-info").default_size(300.0).show(ui, |ui| info_ui(ui, item));
    egui::CentralPanel::default().show(ui, |ui| picture_ui(ui, viewer));
}

fn keys(ui: &egui::Ui, viewer: &mut Viewer, commands: &mut Vec<Command>) {
    // Keys typed into a field (Settings over the viewer, say) are not meant for the picture.
    if ui.ctx().egui_wants_keyboard_input() {
        return;
    }
    ui.input(|i| {
        // Saving and deleting act once per press, never on a held key's repeats.
        if super::pressed_once(i, egui::Key::S, true) {
            commands.push(Command::SaveAs(viewer.index));
        }
        // egui turns Ctrl+C into a Copy event rather than a key press.
        if i.events.iter().any(|e| matches!(e, egui::Event::Copy)) {
            commands.push(Command::Copy(viewer.index));
        }
        if super::pressed_once(i, egui::Key::Delete, false) {
            commands.push(Command::Delete(viewer.index));
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
            zoom_by(viewer, 1.25, None);
        }
        if !i.modifiers.command && i.key_pressed(egui::Key::Minus) {
            zoom_by(viewer, 1.0 / 1.25, None);
        }
        if !i.modifiers.command && i.key_pressed(egui::Key::Num0) {
            viewer.zoom = None;
            viewer.pan = egui::Vec2::ZERO;
        }
        if i.key_pressed(egui::Key::Num1) {
            viewer.zoom = Some(1.0);
            viewer.pan = egui::Vec2::ZERO;
        }
    });
}

/// Multiplies the zoom, keeping the point under `anchor` (relative to the centre) in place.
fn zoom_by(viewer: &mut Viewer, factor: f32, anchor: Option<egui::Vec2>) {
    let Some(tex) = &viewer.texture else { return };
    let current = viewer.zoom.unwrap_or(viewer.fit_scale(tex.size_vec2()));
    let next = (current * factor).clamp(MIN_ZOOM, MAX_ZOOM);
    let anchor = anchor.unwrap_or(egui::Vec2::ZERO);
    viewer.pan = anchor - (anchor - viewer.pan) * (next / current);
    viewer.zoom = Some(next);
}

impl Viewer {
    /// The scale at which the picture fits the area last drawn into (never enlarged).
    pub fn fit_scale(&self, size: egui::Vec2) -> f32 {
        let area = self.area;
        (area.x / size.x).min(area.y / size.y).clamp(MIN_ZOOM, 1.0)
    }
}

fn picture_ui(ui: &mut egui::Ui, viewer: &mut Viewer) {
    let rect = ui.available_rect_before_wrap();
    viewer.area = rect.size();
    let response = ui.allocate_rect(rect, egui::Sense::click_and_drag());
    response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Image, true, text::PICTURE_AREA()));
    if let Some(err) = &viewer.error {
        ui.put(rect, egui::Label::new(egui::RichText::new(err).color(theme::error_colour(ui.visuals()))));
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
        viewer.zoom = None;
        viewer.pan = egui::Vec2::ZERO;
    }
    if response.hovered() {
        let scroll = ui.input(|i| i.smooth_scroll_delta.y);
        if scroll != 0.0 {
            let anchor = response.hover_pos().map(|p| p - rect.center());
            zoom_by(viewer, (scroll * 0.002).exp(), anchor);
        }
    }
    let scale = viewer.zoom.unwrap_or_else(|| viewer.fit_scale(tex.size_vec2()));
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
            ui.colored_label(theme::warn_colour(ui.visuals()), text::details_damaged(reason));
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
