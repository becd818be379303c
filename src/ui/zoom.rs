//! The zoom and pan the viewer, the comparison and the painter share, as the user meets it: the
//! same keys (the zoom actions: + or =, −, 0 fits, 1 is 100%), the wheel or a pinch zooming about
//! the pointer, a drag panning, a double-click toggling fit and 100%, and the same toolbar controls. Also the
//! toolbars' icon buttons: an icon, a tooltip naming the action and its shortcut, and the plain
//! word for screen readers (and the tests that find buttons by it).

use super::actions::key_cap;
use super::icons;
use super::icons::MaterialIcon;
use super::{text, theme};
use crate::app::Action;
use crate::app::zoom::{STEP, Stage, ZoomPan};
use eframe::egui;

/// Carries out a zoom action, from its key or its button.
pub fn apply(action: Action, zoom: &mut ZoomPan) {
    match action {
        Action::ZoomIn => zoom.step(STEP),
        Action::ZoomOut => zoom.step(1.0 / STEP),
        Action::ZoomFit => zoom.fit(),
        Action::ZoomActual => zoom.step_to_actual_size(),
        _ => {}
    }
}

/// The pointer over a picture drawn at `stage`: the wheel or a pinch zooms about the pointer
/// (and only that: nothing around scrolls too), a double-click toggles fit and 100%, and a drag
/// pans unless `drags` is false (the caller has a use of its own for them).
pub fn pointer(ui: &egui::Ui, response: &egui::Response, zoom: &mut ZoomPan, stage: &Stage, drags: bool) {
    if drags && response.dragged() {
        zoom.pan(response.drag_delta(), stage);
    }
    if response.double_clicked() {
        zoom.toggle(stage, response.interact_pointer_pos());
    }
    if response.hovered() {
        let (scroll, pinch) = ui.input_mut(|i| (std::mem::take(&mut i.smooth_scroll_delta.y), i.zoom_delta()));
        let factor = (scroll * 0.002).exp() * pinch;
        if (factor - 1.0).abs() > f32::EPSILON {
            zoom.zoom_by(factor, stage, response.hover_pos());
        }
    }
}

/// Paints `texture` where the zoom places it in `stage`'s area, on whole screen pixels (so
/// that 100% is sharp).
pub fn paint(ui: &egui::Ui, zoom: &ZoomPan, stage: &Stage, texture: egui::TextureId, clip: egui::Rect) {
    let shown = zoom.placed(stage);
    let ppp = stage.pixels_per_point;
    let min = egui::pos2((shown.min.x * ppp).round() / ppp, (shown.min.y * ppp).round() / ppp);
    let shown = egui::Rect::from_min_size(min, shown.size());
    let uv = egui::Rect::from_min_max(egui::pos2(0.0, 0.0), egui::pos2(1.0, 1.0));
    ui.painter_at(clip).image(texture, shown, uv, egui::Color32::WHITE);
}

/// Zoom out, the zoom in percent, zoom in, fit, 100%: the same in the viewer, the comparison and
/// the painter; `pressed`, the zoom keys pressed this frame, act as the buttons do. A toolbar
/// short of room (`folded`) keeps fit and 100% and puts the rest in its "⋯" ([`menu_ui`]).
pub fn toolbar_ui(ui: &mut egui::Ui, zoom: &mut ZoomPan, pressed: &[Action], folded: bool) {
    for &action in pressed {
        apply(action, zoom);
    }
    let drawn = zoom.reference.is_some();
    let ctx = ui.ctx().clone();
    if !folded {
        if icon_button(ui, icons::ICON_ZOOM_OUT, text::ZOOM_OUT(), Some(&key_cap(&ctx, Action::ZoomOut)), drawn)
            .clicked()
        {
            zoom.step(1.0 / STEP);
        }
        // A fixed width, so that the buttons after it stay put as the figure changes.
        let percent = zoom.percent().map_or_else(|| "–".to_string(), |p| format!("{p:.0}%"));
        ui.add_sized(
            egui::vec2(theme::ZOOM_FIGURE_WIDTH, ui.spacing().interact_size.y),
            egui::Label::new(egui::RichText::new(percent).monospace()),
        );
        if icon_button(ui, icons::ICON_ZOOM_IN, text::ZOOM_IN(), Some(&key_cap(&ctx, Action::ZoomIn)), drawn).clicked()
        {
            zoom.step(STEP);
        }
    }
    let fit = icon_toggle(
        ui,
        icons::ICON_FIT_SCREEN,
        text::FIT(),
        &super::actions::tip(&ctx, text::FIT_HOVER(), Action::ZoomFit),
        zoom.is_fit(),
        drawn,
    );
    if fit.clicked() {
        zoom.fit();
    }
    let actual = zoom.scale.is_some_and(|s| (s - 1.0).abs() < 1e-4);
    let one = ui
        .add_enabled(drawn, egui::Button::selectable(actual, text::ACTUAL_SIZE()).frame_when_inactive(false))
        .on_hover_text(super::actions::tip(&ctx, text::ACTUAL_SIZE_HOVER(), Action::ZoomActual));
    one.widget_info(|| egui::WidgetInfo::selected(egui::Role::Button, drawn, actual, text::ACTUAL_SIZE()));
    if one.clicked() {
        zoom.step_to_actual_size();
    }
}

/// Zoom in and out as entries of a folded toolbar's "⋯".
pub fn menu_ui(ui: &mut egui::Ui, zoom: &mut ZoomPan) {
    if menu_item(ui, icons::ICON_ZOOM_IN, text::ZOOM_IN()) {
        zoom.step(STEP);
    }
    if menu_item(ui, icons::ICON_ZOOM_OUT, text::ZOOM_OUT()) {
        zoom.step(1.0 / STEP);
    }
}

/// Whether the toolbar `id` must fold: drawn whole, it was wider than the room it has now (as
/// [`measure`] found). Its whole width is known from the last frame it was drawn whole, so it
/// unfolds as soon as the room is back.
pub fn folded(ui: &egui::Ui, id: egui::Id) -> bool {
    ui.data(|d| d.get_temp::<f32>(id)).is_some_and(|whole| whole > ui.available_width() + 0.5)
}

/// Remembers how wide the toolbar `id`, drawn whole from `left`, turned out; if it did not fit,
/// the frame is drawn again, folded, before anyone sees it cut.
pub fn measure(ui: &egui::Ui, id: egui::Id, left: f32, room: f32) {
    remember_whole(ui, id, ui.min_rect().right() - left, room);
}

/// Remembers that the toolbar `id`, drawn whole, wants `whole` points (see [`measure`]).
pub fn remember_whole(ui: &egui::Ui, id: egui::Id, whole: f32, room: f32) {
    ui.data_mut(|d| d.insert_temp(id, whole));
    if whole > room + 0.5 {
        ui.ctx().request_discard("a toolbar folds");
    }
}

/// A toolbar's icon button: the icon, a tooltip "Copy (Ctrl+C)", and `name` for screen readers.
pub fn icon_button(
    ui: &mut egui::Ui,
    icon: MaterialIcon,
    name: &str,
    shortcut: Option<&str>,
    enabled: bool,
) -> egui::Response {
    let tip = shortcut.map_or_else(|| name.to_string(), |keys| text::with_shortcut(name, keys));
    icon_button_tip(ui, icon, name, &tip, enabled)
}

/// An icon button with a tooltip of its own.
pub fn icon_button_tip(ui: &mut egui::Ui, icon: MaterialIcon, name: &str, tip: &str, enabled: bool) -> egui::Response {
    let button = egui::Button::new(icon_text(icon)).frame_when_inactive(false).min_size(icon_button_size(ui));
    let response = ui.add_enabled(enabled, button).on_hover_text(tip).on_disabled_hover_text(tip);
    response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, enabled, name));
    response
}

/// A toolbar's toggle: shown pressed while `on`, with `tip` as its tooltip.
pub fn icon_toggle(
    ui: &mut egui::Ui,
    icon: MaterialIcon,
    name: &str,
    tip: &str,
    on: bool,
    enabled: bool,
) -> egui::Response {
    icon_toggle_text(ui, icon_text(icon), name, tip, on, enabled)
}

/// A toggle whose icon is given as text, coloured say.
pub fn icon_toggle_text(
    ui: &mut egui::Ui,
    icon: egui::RichText,
    name: &str,
    tip: &str,
    on: bool,
    enabled: bool,
) -> egui::Response {
    let button = egui::Button::selectable(on, icon).frame_when_inactive(on).min_size(icon_button_size(ui));
    let response = ui.add_enabled(enabled, button).on_hover_text(tip).on_disabled_hover_text(tip);
    response.widget_info(|| egui::WidgetInfo::selected(egui::Role::Button, enabled, on, name));
    response
}

/// An icon button the size of a text button, for a row of them (a comparison's cell).
pub fn inline_icon_button(ui: &mut egui::Ui, icon: MaterialIcon, name: &str) -> egui::Response {
    let response = ui.add(egui::Button::new(icon.rich_text())).on_hover_text(name);
    response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, name));
    response
}

/// An icon and a word on one button, for the actions an icon alone would not make obvious.
pub fn icon_word_button(ui: &mut egui::Ui, icon: MaterialIcon, word: &str, tip: &str) -> egui::Response {
    let button = egui::Button::new((icon_text(icon), egui::RichText::new(word)))
        .frame_when_inactive(false)
        .min_size(icon_button_size(ui));
    let response = ui.add(button).on_hover_text(tip);
    response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, word));
    response
}

/// The "⋯" menu of the rest, named `text::MORE` for screen readers.
pub fn more_menu(ui: &mut egui::Ui, add: impl FnOnce(&mut egui::Ui)) {
    let button = egui::Button::new(icon_text(icons::ICON_MORE_HORIZ)).frame_when_inactive(false);
    let (response, _) =
        egui::containers::menu::MenuButton::from_button(button.min_size(icon_button_size(ui))).ui(ui, |ui| {
            ui.set_min_width(theme::MENU_WIDTH);
            add(ui);
        });
    let response = response.on_hover_text(text::MORE());
    response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, text::MORE()));
}

/// A menu entry with an icon before its words.
pub fn menu_item(ui: &mut egui::Ui, icon: MaterialIcon, word: &str) -> bool {
    let response = ui.add(egui::Button::new((icon_text(icon), egui::RichText::new(word))));
    response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, word));
    let clicked = response.clicked();
    if clicked {
        ui.close();
    }
    clicked
}

/// A separator between a toolbar's groups, as tall as its buttons.
pub fn group_gap(ui: &mut egui::Ui) {
    ui.add_space(theme::GAP / 2.0);
    ui.separator();
    ui.add_space(theme::GAP / 2.0);
}

/// An icon at a toolbar's size.
pub fn icon_text(icon: MaterialIcon) -> egui::RichText {
    icon.rich_text().size(theme::ICON_SIZE)
}

fn icon_button_size(ui: &egui::Ui) -> egui::Vec2 {
    egui::vec2(theme::ICON_BUTTON, theme::ICON_BUTTON.max(ui.spacing().interact_size.y))
}
