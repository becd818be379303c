//! The mask painter (issue 14): a calm toolbar (Done; Brush, Eraser, Rectangle; the size;
//! Undo, Redo, Clear, Invert; the shared zoom), a one-line hint, and the picture with the painted
//! area tinted over it. A primary drag paints; the middle or right button, or Space with the
//! left, pans; the wheel, a pinch and the zoom keys zoom as in the viewer.
//!
//! Painting, undo and the tools change the painter directly, as the viewer's zoom does: they
//! concern the painter alone and must take effect in the frame they happen in.

use super::actions::{key_cap, tip};
use super::icons;
use super::zoom::{self, icon_button, icon_button_tip, icon_toggle};
use super::{text, theme};
use crate::app::mask::{BRUSH_POINTS, MaskPainter, Tool};
use crate::app::zoom::{Stage, ZoomPan};
use crate::app::{Action, Command};
use eframe::egui;

/// The painted area over the picture: a vivid pink at half strength, which no picture is likely
/// to be made of and which reads over light and dark parts alike.
const TINT: egui::Color32 = egui::Color32::from_rgba_premultiplied(128, 20, 72, 128);

/// Draws the painter over the main area; `pressed` are its actions whose keys were pressed this
/// frame (`None`: a window over it has the keys).
pub fn painter_ui(
    ui: &mut egui::Ui,
    painter: &mut MaskPainter,
    pressed: Option<&[Action]>,
    commands: &mut Vec<Command>,
) {
    if let Some(pressed) = pressed {
        keep_space_for_panning(ui, painter);
        for &action in pressed {
            act(painter, action, commands);
        }
    }
    egui::Panel::top("mask-bar").show(ui, |ui| {
        ui.horizontal(|ui| {
            ui.spacing_mut().item_spacing.x = 2.0;
            bar_ui(ui, painter, pressed.unwrap_or_default(), commands);
        });
    });
    egui::Panel::top("mask-hint").show(ui, |ui| hint_ui(ui, painter));
    egui::CentralPanel::default().frame(egui::Frame::new()).show(ui, |ui| canvas_ui(ui, painter));
}

/// Done; the tools and the size; the mask's actions; the zoom. Short of room (a small window, a
/// large text size), Clear, Invert and the zoom's steps go into a "⋯", and the size is shorter.
fn bar_ui(ui: &mut egui::Ui, painter: &mut MaskPainter, pressed: &[Action], commands: &mut Vec<Command>) {
    let ctx = ui.ctx().clone();
    let whole_id = egui::Id::unique("mask-bar-whole");
    let folded = zoom::folded(ui, whole_id);
    let (left, room) = (ui.min_rect().left(), ui.available_width());
    if folded {
        ui.spacing_mut().slider_width = theme::FOLDED_SLIDER_WIDTH;
    }
    let ready = painter.pixel_size().is_some();
    let done_tip = tip(&ctx, text::MASK_DONE_HOVER(), Action::Close);
    if zoom::icon_word_button(ui, icons::ICON_CHECK, text::MASK_DONE(), &done_tip).clicked() {
        painter.end_stroke();
        commands.push(Command::ClosePainter);
    }
    zoom::group_gap(ui);
    let tools = [
        (Tool::Brush, icons::ICON_BRUSH, text::MASK_BRUSH(), text::MASK_BRUSH_HOVER(), Action::Brush),
        (Tool::Eraser, icons::ICON_INK_ERASER, text::MASK_ERASER(), text::MASK_ERASER_HOVER(), Action::Eraser),
        (
            Tool::Rectangle,
            icons::ICON_CROP_SQUARE,
            text::MASK_RECTANGLE(),
            text::MASK_RECTANGLE_HOVER(),
            Action::Rectangle,
        ),
    ];
    for (tool, icon, name, hover, action) in tools {
        if icon_toggle(ui, icon, name, &tip(&ctx, hover, action), painter.tool == tool, ready).clicked() {
            painter.end_stroke();
            painter.tool = tool;
        }
    }
    ui.add_space(theme::GAP);
    let label = ui.label(text::MASK_SIZE());
    let (least, _, most) = BRUSH_POINTS;
    // No figure beside it: it would change width as it changes and move what follows; the
    // circle under the pointer shows the size.
    let slider = egui::Slider::new(&mut painter.brush_points, least..=most).logarithmic(true).show_value(false);
    ui.add_enabled(ready, slider).labelled_by(label.id).on_hover_text(text::with_shortcut(
        text::MASK_SIZE_HOVER(),
        &format!("{} {}", key_cap(&ctx, Action::Smaller), key_cap(&ctx, Action::Larger)),
    ));
    zoom::group_gap(ui);
    let undo_keys = key_cap(&ctx, Action::PainterUndo);
    if icon_button(ui, icons::ICON_UNDO, text::UNDO(), Some(&undo_keys), painter.can_undo()).clicked() {
        painter.undo();
    }
    let redo_keys = key_cap(&ctx, Action::PainterRedo);
    if icon_button(ui, icons::ICON_REDO, text::MASK_REDO(), Some(&redo_keys), painter.can_redo()).clicked() {
        painter.redo();
    }
    let painted = !painter.is_empty();
    if !folded {
        if icon_button_tip(ui, icons::ICON_LAYERS_CLEAR, text::MASK_CLEAR(), text::MASK_CLEAR_HOVER(), painted)
            .clicked()
        {
            painter.clear();
        }
        if icon_button_tip(ui, icons::ICON_INVERT_COLORS, text::MASK_INVERT(), text::MASK_INVERT_HOVER(), ready)
            .clicked()
        {
            painter.invert();
        }
    }
    zoom::group_gap(ui);
    zoom::toolbar_ui(ui, &mut painter.zoom, pressed, folded);
    if folded {
        zoom::more_menu(ui, |ui| {
            if painted && zoom::menu_item(ui, icons::ICON_LAYERS_CLEAR, text::MASK_CLEAR()) {
                painter.clear();
            }
            if ready && zoom::menu_item(ui, icons::ICON_INVERT_COLORS, text::MASK_INVERT()) {
                painter.invert();
            }
            zoom::menu_ui(ui, &mut painter.zoom);
        });
    } else {
        zoom::measure(ui, whole_id, left, room);
    }
}

/// What painting means, and once painted, how much of the picture will change.
fn hint_ui(ui: &mut egui::Ui, painter: &MaskPainter) {
    ui.horizontal(|ui| {
        ui.label(egui::RichText::new(text::MASK_HINT()).color(theme::weak_colour(ui.visuals())));
        if !painter.is_empty() {
            let percent = painter.painted_fraction() * 100.0;
            let share = if percent < 1.0 {
                text::MASK_SHARE_TINY().to_string()
            } else {
                // Never "100%" while a pixel is left, nor "0%" while one is painted.
                let most = if percent < 100.0 { 99.0 } else { 100.0 };
                text::mask_share(percent.round().clamp(1.0, most) as u32)
            };
            ui.label(share);
        }
    });
}

/// What a key of the painter does (its zoom keys act in the zoom's toolbar).
fn act(painter: &mut MaskPainter, action: Action, commands: &mut Vec<Command>) {
    let (least, _, most) = BRUSH_POINTS;
    let tool = |painter: &mut MaskPainter, tool| {
        painter.end_stroke();
        painter.tool = tool;
    };
    match action {
        Action::PainterUndo => painter.undo(),
        Action::PainterRedo => painter.redo(),
        Action::Close => {
            painter.end_stroke();
            commands.push(Command::ClosePainter);
        }
        Action::Brush => tool(painter, Tool::Brush),
        Action::Eraser => tool(painter, Tool::Eraser),
        Action::Rectangle => tool(painter, Tool::Rectangle),
        Action::Smaller => painter.brush_points = (painter.brush_points / 1.25).max(least),
        Action::Larger => painter.brush_points = (painter.brush_points * 1.25).min(most),
        _ => {}
    }
}

/// Space over the picture is for panning (held with the left button), not for the button last
/// clicked.
fn keep_space_for_panning(ui: &egui::Ui, painter: &MaskPainter) {
    if !ui.ctx().text_edit_focused() && over_picture(ui.ctx(), &painter.zoom) {
        ui.input_mut(|i| i.consume_key(egui::Modifiers::NONE, egui::Key::Space));
    }
}

/// Whether the pointer is over the picture's area as it was last drawn.
fn over_picture(ctx: &egui::Context, zoom: &ZoomPan) -> bool {
    let area = zoom.reference.map(|s| s.area);
    area.zip(ctx.pointer_hover_pos()).is_some_and(|(a, p)| a.contains(p))
}

fn canvas_ui(ui: &mut egui::Ui, painter: &mut MaskPainter) {
    let rect = ui.available_rect_before_wrap();
    let response = ui.allocate_rect(rect, egui::Sense::click_and_drag());
    response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Image, true, text::MASK_PICTURE()));
    // A press on the picture takes the keys from the prompt beside it, so that Ctrl+Z, the
    // tools' letters and the zoom keys reach the painter rather than the text.
    if response.is_pointer_button_down_on() && ui.ctx().text_edit_focused() {
        response.request_focus();
    }
    ui.painter().rect_filled(rect, 0.0, ui.visuals().extreme_bg_color);
    if let Some(err) = &painter.error {
        let words = egui::RichText::new(err.to_string()).color(theme::error_colour(ui.visuals()));
        ui.put(rect.shrink(theme::GAP * 2.0), egui::Label::new(words).wrap());
        return;
    }
    let (Some(picture), Some(overlay)) = (painter.texture.as_ref().map(egui::TextureHandle::id), painter.overlay())
    else {
        ui.put(rect, egui::Spinner::new());
        ui.put(rect.translate(egui::vec2(0.0, 30.0)), egui::Label::new(text::LOADING()));
        return;
    };
    let pixels = painter.pixel_size().map_or(egui::Vec2::ZERO, |[w, h]| egui::vec2(w as f32, h as f32));
    // A margin around the picture, as in the viewer; zoomed in, it is drawn over.
    let stage = Stage { pixels, area: rect.shrink(theme::GAP * 2.0), pixels_per_point: ui.ctx().pixels_per_point() };
    painter.zoom.reference = Some(stage);
    zoom::pointer(ui, &response, &mut painter.zoom, &stage, false);
    if !pan(ui, &response, painter, &stage) {
        paint_input(ui, &response, painter, &stage);
    }
    // Whatever the strokes changed this frame reaches the overlay texture in place.
    painter.upload();
    zoom::paint(ui, &painter.zoom, &stage, picture, rect);
    let shown = drawn(&painter.zoom, &stage);
    let uv = egui::Rect::from_min_max(egui::pos2(0.0, 0.0), egui::pos2(1.0, 1.0));
    ui.painter_at(rect).image(overlay, shown, uv, TINT);
    preview(ui, &response, painter, rect);
}

/// Where the picture is drawn, on whole screen pixels, exactly as `zoom::paint` places it.
fn drawn(zoom: &ZoomPan, stage: &Stage) -> egui::Rect {
    let shown = zoom.placed(stage);
    let ppp = stage.pixels_per_point;
    let min = egui::pos2((shown.min.x * ppp).round() / ppp, (shown.min.y * ppp).round() / ppp);
    egui::Rect::from_min_size(min, shown.size())
}

/// Pans with the middle or right button, or Space and the left; true while it does.
fn pan(ui: &egui::Ui, response: &egui::Response, painter: &mut MaskPainter, stage: &Stage) -> bool {
    let space = ui.input(|i| i.key_down(egui::Key::Space));
    let panning = response.dragged_by(egui::PointerButton::Middle)
        || response.dragged_by(egui::PointerButton::Secondary)
        || (space && response.dragged_by(egui::PointerButton::Primary));
    if panning {
        // A stroke under way ends where the pan begins.
        if painter.stroke_at().is_some() && painter.tool != Tool::Rectangle {
            painter.end_stroke();
        }
        painter.zoom.pan(response.drag_delta(), stage);
        ui.ctx().set_cursor_icon(egui::CursorIcon::Grabbing);
    } else if space && response.hovered() {
        ui.ctx().set_cursor_icon(egui::CursorIcon::Grab);
    }
    panning
}

/// A primary drag paints with the brush, erases, or drags out a rectangle; a click dabs.
fn paint_input(ui: &egui::Ui, response: &egui::Response, painter: &mut MaskPainter, stage: &Stage) {
    use egui::PointerButton::Primary;
    let shown = drawn(&painter.zoom, stage);
    let to_pixels = |p: egui::Pos2| {
        let f = (p - shown.min) / shown.size().max(egui::vec2(1.0, 1.0));
        egui::pos2(f.x * stage.pixels.x, f.y * stage.pixels.y)
    };
    // The brush's size is in points on screen: so many picture pixels at this zoom.
    let radius = painter.brush_points / 2.0 * stage.pixels.x / shown.width().max(1.0);
    let (origin, moves) = ui.input(|i| (i.pointer.press_origin(), pointer_path(i)));
    if painter.tool == Tool::Rectangle {
        if response.drag_started_by(Primary)
            && let Some(o) = origin
        {
            painter.begin_rectangle(to_pixels(o));
        }
        if response.drag_stopped_by(Primary)
            && let Some(end) = moves.last().copied().or_else(|| response.interact_pointer_pos())
        {
            painter.end_rectangle(to_pixels(end));
        }
        return;
    }
    if response.drag_started_by(Primary)
        && let Some(o) = origin
    {
        painter.stroke_to(to_pixels(o), radius);
    }
    let stroking = painter.stroke_at().is_some();
    if stroking && (response.dragged_by(Primary) || response.drag_stopped_by(Primary)) {
        // Every position the pointer passed this frame, not just the last: curves stay curves.
        for p in &moves {
            painter.stroke_to(to_pixels(*p), radius);
        }
    }
    if response.drag_stopped_by(Primary) {
        painter.end_stroke();
    }
    if response.clicked_by(Primary)
        && let Some(at) = response.interact_pointer_pos()
    {
        painter.stroke_to(to_pixels(at), radius);
        painter.end_stroke();
    }
}

/// The pointer's positions this frame, in order: each move and where a button went up or down.
fn pointer_path(i: &egui::InputState) -> Vec<egui::Pos2> {
    let path = i.events.iter().filter_map(|e| match e {
        egui::Event::PointerMoved(p) => Some(*p),
        egui::Event::PointerButton { pos, .. } => Some(*pos),
        _ => None,
    });
    let mut path: Vec<egui::Pos2> = path.collect();
    if path.is_empty()
        && let Some(p) = i.pointer.latest_pos()
    {
        path.push(p);
    }
    path
}

/// The brush's circle under the pointer, or the rectangle being dragged out.
fn preview(ui: &egui::Ui, response: &egui::Response, painter: &MaskPainter, clip: egui::Rect) {
    let paint = ui.painter_at(clip);
    // Two rings, dark and light, so the outline shows over any picture.
    let ring = |shape: &dyn Fn(egui::Stroke) -> egui::Shape| {
        paint.add(shape(egui::Stroke::new(2.5, egui::Color32::from_black_alpha(160))));
        paint.add(shape(egui::Stroke::new(1.0, egui::Color32::WHITE)));
    };
    if painter.tool == Tool::Rectangle {
        let dragging = response.dragged_by(egui::PointerButton::Primary) && painter.stroke_at().is_some();
        let corners = ui.input(|i| i.pointer.press_origin().zip(i.pointer.latest_pos()));
        if let Some((a, b)) = corners.filter(|_| dragging) {
            let r = egui::Rect::from_two_pos(a, b);
            paint.rect_filled(r, 0.0, TINT);
            ring(&|s| egui::Shape::rect_stroke(r, 0.0, s, egui::StrokeKind::Middle));
        }
        if response.hovered() {
            ui.ctx().set_cursor_icon(egui::CursorIcon::Crosshair);
        }
        return;
    }
    let panning = !response.dragged_by(egui::PointerButton::Primary) && response.dragged();
    if let Some(at) = response.hover_pos().filter(|_| !panning) {
        let r = painter.brush_points / 2.0;
        ring(&|s| egui::Shape::circle_stroke(at, r, s));
        if !ui.input(|i| i.key_down(egui::Key::Space)) {
            ui.ctx().set_cursor_icon(egui::CursorIcon::None);
        }
    }
}
