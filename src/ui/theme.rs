//! Design tokens: spacing, sizes and colours in one place, not literals across views.

use egui::{Color32, Visuals};

/// Space between groups of controls.
pub const GAP: f32 = 10.0;
/// Width of the form on the left.
pub const FORM_WIDTH: f32 = 400.0;
/// The narrowest the form gets.
pub const FORM_MIN_WIDTH: f32 = 380.0;

/// The colour of an error message.
pub fn error_colour(v: &Visuals) -> Color32 {
    v.error_fg_color
}

/// egui's error red (pure red) is hard to read on the dark theme's grey, worse in Chinese's
/// dense strokes: these reds read at a contrast of about 6.5:1 on each theme's panel (WCAG asks
/// 4.5:1 for text).
fn readable_error(dark: bool) -> Color32 {
    if dark { Color32::from_rgb(255, 128, 118) } else { Color32::from_rgb(185, 28, 28) }
}

/// Puts Easel's colours into egui's themes, light and dark, once (and again if the themes are
/// rebuilt): every view then draws with them.
pub fn settle(ctx: &egui::Context) {
    let v = &ctx.global_style().visuals;
    if v.error_fg_color != readable_error(v.dark_mode) {
        ctx.all_styles_mut(|s| s.visuals.error_fg_color = readable_error(s.visuals.dark_mode));
    }
}

/// The colour of a warning or a note.
pub fn warn_colour(v: &Visuals) -> Color32 {
    v.warn_fg_color
}

/// The favourite mark on a thumbnail: gold, readable on light and dark pictures alike.
pub fn star_colour(_v: &Visuals) -> Color32 {
    Color32::from_rgb(255, 196, 0)
}

/// Secondary text: settings, figures.
pub fn weak_colour(v: &Visuals) -> Color32 {
    v.weak_text_color()
}

/// A toolbar icon's size, in points.
pub const ICON_SIZE: f32 = 18.0;
/// The side of a toolbar's icon button.
pub const ICON_BUTTON: f32 = 30.0;
/// Room for the zoom's "1600%" between its buttons, so they do not move as it changes.
pub const ZOOM_FIGURE_WIDTH: f32 = 48.0;
/// The least width of a toolbar's "⋯" menu.
pub const MENU_WIDTH: f32 = 180.0;
/// The width of the ring around what has the keyboard's focus.
pub const FOCUS_RING: f32 = 2.0;
/// A folded toolbar's slider (the painter's brush size).
pub const FOLDED_SLIDER_WIDTH: f32 = 70.0;
/// The width of Settings, when the window has room for it.
pub const SETTINGS_WIDTH: f32 = 560.0;
/// The track of Settings' text-size slider: 16 steps of 10% over it, each a visible distance.
pub const SCALE_SLIDER_WIDTH: f32 = 240.0;
/// The width of the viewer's panel of the picture's prompt and details.
pub const VIEWER_INFO_WIDTH: f32 = 280.0;

/// The window's one primary action (Generate): filled with the accent colour, so it is found at
/// a glance among the other buttons.
/// A disabled one looks like any disabled button.
pub fn primary_button<'a>(ui: &egui::Ui, words: &'a str, enabled: bool) -> egui::Button<'a> {
    let v = ui.visuals();
    let (fill, text) = if enabled {
        (v.selection.bg_fill, Color32::WHITE)
    } else {
        (v.widgets.inactive.weak_bg_fill, v.weak_text_color())
    };
    egui::Button::new(egui::RichText::new(words).strong().color(text)).fill(fill)
}
