//! The keyboard's focus made plain: a ring around what has it while the keyboard is in use (Tab,
//! the arrows, F6), none after the mouse takes over, as browsers do (`:focus-visible`); and F6,
//! which moves between the form and the pictures. What has the focus is egui's own memory, so
//! this is the view's business, kept in egui's memory beside it.

use super::theme;
use eframe::egui;

/// Whether the focus last moved by the keyboard (a ring shows) or the mouse was used since.
fn by_keys_id() -> egui::Id {
    egui::Id::unique("focus-by-keys")
}

/// Asked by F6: the grid gives the keyboard focus to a picture the next time it is drawn.
fn to_grid_id() -> egui::Id {
    egui::Id::unique("focus-to-grid")
}

/// Set by the grid each frame: one of its tiles has the keyboard focus.
fn in_grid_id() -> egui::Id {
    egui::Id::unique("focus-in-grid")
}

/// Whether a key was pressed or text typed since the pointer last moved.
fn typed_id() -> egui::Id {
    egui::Id::unique("typed-since-pointer-moved")
}

/// Notes, before the frame's widgets, whether the keyboard or the mouse was used last.
pub fn watch(ctx: &egui::Context) {
    let typed = ctx.input(|i| {
        i.events.iter().fold(None, |last, e| match e {
            egui::Event::Key { pressed: true, .. } | egui::Event::Text(_) => Some(true),
            egui::Event::PointerMoved(_) => Some(false),
            _ => last,
        })
    });
    if let Some(typed) = typed {
        ctx.data_mut(|d| d.insert_temp(typed_id(), typed));
    }
    let moved = ctx.input(|i| {
        i.events.iter().fold(None, |last, e| match e {
            egui::Event::Key {
                key:
                    egui::Key::Tab
                    | egui::Key::ArrowUp
                    | egui::Key::ArrowDown
                    | egui::Key::ArrowLeft
                    | egui::Key::ArrowRight
                    | egui::Key::F6,
                pressed: true,
                ..
            } => Some(true),
            egui::Event::PointerButton { pressed: true, .. } => Some(false),
            _ => last,
        })
    });
    if let Some(by_keys) = moved {
        ctx.data_mut(|d| d.insert_temp(by_keys_id(), by_keys));
    }
}

/// How long the pointer has been aiming: the seconds since it last moved, or `None` when the
/// keyboard was used since (someone typing a prompt, the pointer left where it was, is not
/// pointing at anything).
pub fn aiming_for(ctx: &egui::Context) -> Option<f32> {
    let typed = ctx.data(|d| d.get_temp(typed_id())).unwrap_or(false);
    (!typed).then(|| ctx.input(|i| i.pointer.time_since_last_movement()))
}

/// Whether the focus moved by the keyboard since the mouse was last pressed.
pub fn by_keys(ctx: &egui::Context) -> bool {
    ctx.data(|d| d.get_temp(by_keys_id())).unwrap_or(false)
}

/// F6: from the pictures to the prompt (`true`: the caller asks the form for it), or from
/// anywhere else to the pictures (`false`: the grid takes it when next drawn).
pub fn switch_pane(ctx: &egui::Context) -> bool {
    let in_grid = ctx.data(|d| d.get_temp(in_grid_id())).unwrap_or(false);
    if !in_grid {
        ctx.data_mut(|d| d.insert_temp(to_grid_id(), true));
    }
    in_grid
}

/// For the grid: whether F6 asked it to take the focus (asked once).
pub fn grid_asked(ctx: &egui::Context) -> bool {
    ctx.data_mut(|d| d.remove_temp::<bool>(to_grid_id())).unwrap_or(false)
}

/// For the grid: whether one of its tiles has the focus this frame.
pub fn grid_has_it(ctx: &egui::Context, has: bool) {
    ctx.data_mut(|d| d.insert_temp(in_grid_id(), has));
}

/// A ring around the widget with the focus, drawn last, while the keyboard is in use: egui's own
/// sign of focus is a button's pressed shade, too faint to follow.
pub fn ring(ctx: &egui::Context) {
    if !by_keys(ctx) {
        return;
    }
    let Some(response) = ctx.memory(egui::Memory::focused).and_then(|id| ctx.read_response(id)) else { return };
    let colour = ctx.global_style().visuals.selection.stroke.color;
    // Clipped to what shows of the widget, so a ring never runs over a panel's edge.
    let painter = ctx.layer_painter(response.layer_id).with_clip_rect(response.interact_rect.expand(4.0));
    painter.rect_stroke(response.rect, 4.0, egui::Stroke::new(theme::FOCUS_RING, colour), egui::StrokeKind::Outside);
}
