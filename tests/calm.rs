//! Calm under use (issue 25): the window stays usable whatever the user does to it. The real App
//! in egui_kittest.

mod common;

use common::harness::*;
use egui::{Key, Modifiers};
use egui_kittest::kittest::Queryable;

#[test]
fn text_size_stays_where_every_screen_fits_and_ctrl_0_always_resets_it() {
    let world = World::new().with_key();
    let mut h = world.app();
    // Ctrl + pressed again and again (egui's own shortcut goes to 500%): held at 200%.
    for _ in 0..20 {
        h.key_press_modifiers(Modifiers::COMMAND, Key::Plus);
        h.run();
    }
    let most = easel::app::MAX_SCALE;
    assert!((h.ctx.zoom_factor() - most).abs() < 1e-3, "held at {most}: {}", h.ctx.zoom_factor());
    assert!((h.state().state.settings.ui_scale - most).abs() < 1e-3, "and kept so for next time");
    // Ctrl+0 puts it back, Settings open or not.
    h.get_by_label("Settings…").click();
    h.run();
    assert!(h.state().modal_open());
    h.key_press_modifiers(Modifiers::COMMAND, Key::Num0);
    h.run();
    assert!((h.ctx.zoom_factor() - 1.0).abs() < 1e-3, "Ctrl+0 with Settings open: {}", h.ctx.zoom_factor());
    for _ in 0..20 {
        h.key_press_modifiers(Modifiers::COMMAND, Key::Minus);
        h.run();
    }
    assert!((h.ctx.zoom_factor() - easel::app::MIN_SCALE).abs() < 1e-3, "held at the least too");
}

#[test]
fn a_size_kept_from_an_older_easel_beyond_the_bounds_starts_within_them() {
    let world = World::new().with_key();
    let mut state = easel::app::Persisted::default();
    state.settings.ui_scale = 5.0;
    state.settings.language = Some(easel::i18n::Lang::En);
    let ctx = egui::Context::default();
    let app = easel::app::App::with_state(&ctx, world.options(), state);
    // The window opens at the largest size allowed (egui takes it at the first frame).
    assert!((app.state.settings.ui_scale - easel::app::MAX_SCALE).abs() < 1e-3, "{}", app.state.settings.ui_scale);
}
