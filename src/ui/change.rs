//! The top of the form while pictures are being changed: the pictures of the change (drag one
//! to another place, × to take it out, + to add more), which of them is changed, and the
//! options of a change. Everything it does goes through commands; the options are edited in
//! place like the form's fields.

use super::icons;
use super::{text, theme, toggle, zoom};
use crate::app::Command;
use crate::app::change::{ChangeDraft, TrayPicture};
use eframe::egui;

/// The side of a picture of the change, in points.
const TILE: f32 = 64.0;

/// What the change section shows besides the draft.
pub struct ChangeInfo {
    /// The picture changed, which the painted area applies to.
    pub first: Option<std::path::PathBuf>,
    /// The share of the first picture painted to change, if an area is painted.
    pub painted: Option<f32>,
    /// The painter is on screen.
    pub painting: bool,
    /// Whether the model reads the pictures at a fidelity one can choose.
    pub fidelity_choice: bool,
}

/// The pictures of the change and its options, above the prompt.
pub fn change_ui(ui: &mut egui::Ui, change: &mut ChangeDraft, info: &ChangeInfo, commands: &mut Vec<Command>) {
    ui.horizontal(|ui| {
        ui.label(egui::RichText::new(text::CHANGE_TITLE()).strong());
        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
            let stop = zoom::inline_icon_button(ui, icons::ICON_CLOSE, text::STOP_CHANGING());
            if stop.on_hover_text(text::STOP_CHANGING_HOVER()).clicked() {
                commands.push(Command::StopChanging);
            }
        });
    });
    tray_ui(ui, change, commands);
    let weak = theme::weak_colour(ui.visuals());
    if change.tray.len() > 1 {
        ui.colored_label(weak, text::FIRST_IS_CHANGED());
    }
    area_ui(ui, change, info, commands);
    if info.fidelity_choice {
        ui.checkbox(&mut change.high_fidelity, text::READ_CLOSELY()).on_hover_text(text::READ_CLOSELY_HOVER());
    }
    ui.add_space(theme::GAP);
}

/// Where the first picture may change: all of it, or the area painted, with the painter's
/// button and, for a painted area, whether the rest is kept exactly as it was.
fn area_ui(ui: &mut egui::Ui, change: &mut ChangeDraft, info: &ChangeInfo, commands: &mut Vec<Command>) {
    let Some(first) = &info.first else { return };
    let weak = theme::weak_colour(ui.visuals());
    match info.painted {
        None => {
            if !info.painting
                && zoom::icon_word_button(ui, icons::ICON_BRUSH, text::PAINT_AREA(), text::PAINT_AREA_HOVER()).clicked()
            {
                commands.push(Command::OpenPainter(first.clone()));
            }
            // On a line of its own: beside the button it broke with a word or two alone below.
            ui.colored_label(weak, text::WHOLE_PICTURE_MAY_CHANGE());
        }
        Some(share) => {
            ui.horizontal_wrapped(|ui| {
                ui.label(text::painted_share(&percent(share)));
                if !info.painting && ui.button(text::PAINT_AGAIN()).clicked() {
                    commands.push(Command::OpenPainter(first.clone()));
                }
                if ui.button(text::REMOVE_AREA()).on_hover_text(text::REMOVE_AREA_HOVER()).clicked() {
                    commands.push(Command::ForgetMask);
                }
            });
            toggle::toggle(ui, &mut change.keep_outside, text::KEEP_OUTSIDE())
                .on_hover_text(text::KEEP_OUTSIDE_HOVER());
        }
    }
}

/// "12 %", never "0 %" for a painted area however small.
fn percent(share: f32) -> String {
    let p = (share * 100.0).round();
    if p < 1.0 { "<1".into() } else { format!("{p}") }
}

/// The pictures in a row that wraps; a drag moves one, × takes one out, + adds more.
fn tray_ui(ui: &mut egui::Ui, change: &ChangeDraft, commands: &mut Vec<Command>) {
    ui.horizontal_wrapped(|ui| {
        ui.spacing_mut().item_spacing = egui::vec2(6.0, 6.0);
        for (index, picture) in change.tray.iter().enumerate() {
            tile_ui(ui, index, picture, commands);
        }
        for _ in 0..change.adding() {
            let (rect, _) = ui.allocate_exact_size(egui::vec2(TILE, TILE), egui::Sense::hover());
            ui.painter().rect_filled(rect, 4.0, ui.visuals().faint_bg_color);
            egui::Spinner::new().paint_at(ui, rect.shrink(TILE / 3.0));
        }
        if change.tray.len() + change.adding() < crate::api::edit::MAX_PICTURES {
            let add = egui::Button::new(zoom::icon_text(icons::ICON_ADD)).min_size(egui::vec2(TILE, TILE));
            let add = ui.add(add);
            add.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, text::ADD_PICTURES()));
            if add.on_hover_text(text::ADD_PICTURES_HOVER()).clicked() {
                commands.push(Command::AskPicturesForChange);
            }
        }
    });
}

/// One picture of the change: its thumbnail, outlined when it is the one changed; dragged onto
/// another it takes that one's place; × on hover takes it out.
fn tile_ui(ui: &mut egui::Ui, index: usize, picture: &TrayPicture, commands: &mut Vec<Command>) {
    let id = ui.scope_id().with(("change-picture", index));
    let (rect, response) = ui.allocate_exact_size(egui::vec2(TILE, TILE), egui::Sense::click_and_drag());
    let name = if index == 0 { text::changed_picture(&picture.name) } else { text::reference_picture(&picture.name) };
    response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Image, true, &name));
    response.dnd_set_drag_payload(index);
    if let Some(from) = response.dnd_release_payload::<usize>() {
        commands.push(Command::MoveInChange { from: *from, to: index });
    }
    let dragged_over = response.dnd_hover_payload::<usize>().is_some_and(|from| *from != index);
    let size = picture.texture.size_vec2();
    let fit = (TILE / size.x.max(1.0)).min(TILE / size.y.max(1.0));
    let shown = egui::Rect::from_center_size(rect.center(), size * fit);
    let painter = ui.painter_at(rect);
    painter.rect_filled(rect, 4.0, ui.visuals().extreme_bg_color);
    painter.image(
        picture.texture.id(),
        shown,
        egui::Rect::from_min_max(egui::pos2(0.0, 0.0), egui::pos2(1.0, 1.0)),
        egui::Color32::WHITE,
    );
    let accent = ui.visuals().selection.stroke.color;
    if index == 0 || dragged_over {
        let stroke = egui::Stroke::new(2.0, accent);
        ui.painter().rect_stroke(rect, 4.0, stroke, egui::StrokeKind::Inside);
    }
    let hovered = ui.rect_contains_pointer(rect);
    if hovered && !response.dragged() {
        let corner = egui::Rect::from_min_size(rect.right_top() + egui::vec2(-22.0, 2.0), egui::vec2(20.0, 20.0));
        let remove = ui.interact(corner, id.with("remove"), egui::Sense::click());
        remove.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, text::REMOVE_PICTURE()));
        let fill =
            if remove.hovered() { egui::Color32::from_black_alpha(200) } else { egui::Color32::from_black_alpha(140) };
        ui.painter().circle_filled(corner.center(), 10.0, fill);
        ui.painter().text(
            corner.center(),
            egui::Align2::CENTER_CENTER,
            icons::ICON_CLOSE.codepoint,
            egui::FontId::proportional(14.0),
            egui::Color32::WHITE,
        );
        if remove.clicked() {
            commands.push(Command::RemoveFromChange(index));
        }
    }
    response.on_hover_text(name).context_menu(|ui| {
        if index > 0 && zoom::menu_item(ui, icons::ICON_VERTICAL_ALIGN_TOP, text::MAKE_FIRST()) {
            commands.push(Command::MoveInChange { from: index, to: 0 });
        }
        if zoom::menu_item(ui, icons::ICON_CLOSE, text::REMOVE_PICTURE()) {
            commands.push(Command::RemoveFromChange(index));
        }
    });
}
