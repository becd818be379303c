//! A switch for settings that are on or off, as in the systems' own settings: what it does is
//! read from where the knob sits, not from a tick. After egui's demo (`toggle_switch.rs`).

use eframe::egui;

/// A switch followed by its label, both clickable; a screen reader hears a checkbox.
pub fn toggle(ui: &mut egui::Ui, on: &mut bool, label: &str) -> egui::Response {
    let height = ui.spacing().interact_size.y * 0.8;
    let switch = egui::vec2(2.0 * height, height);
    let galley = egui::WidgetText::from(label).into_galley(
        ui,
        Some(egui::TextWrapMode::Wrap),
        ui.available_width() - switch.x - 8.0,
        egui::TextStyle::Body,
    );
    let size = egui::vec2(switch.x + 8.0 + galley.size().x, switch.y.max(galley.size().y));
    let (rect, mut response) = ui.allocate_exact_size(size, egui::Sense::click());
    if response.clicked() {
        *on = !*on;
        response.mark_changed();
    }
    response.widget_info(|| egui::WidgetInfo::selected(egui::Role::CheckBox, ui.is_enabled(), *on, label));
    if ui.is_rect_visible(rect) {
        let knob_at = ui.ctx().animate_bool_responsive(response.id, *on);
        let visuals = ui.style().interact_selectable(&response, *on);
        let track = egui::Rect::from_min_size(egui::pos2(rect.left(), rect.center().y - switch.y / 2.0), switch);
        let radius = 0.5 * track.height();
        ui.painter().rect(track, radius, visuals.bg_fill, visuals.bg_stroke, egui::StrokeKind::Inside);
        let x = egui::lerp((track.left() + radius)..=(track.right() - radius), knob_at);
        ui.painter().circle(egui::pos2(x, track.center().y), 0.75 * radius, visuals.fg_stroke.color, visuals.fg_stroke);
        let text_at = egui::pos2(track.right() + 8.0, rect.center().y - galley.size().y / 2.0);
        ui.painter().galley(text_at, galley, ui.visuals().text_color());
    }
    response
}
