//! The whole flow without a mouse: the real App in egui_kittest, moved through with Tab and
//! worked with Enter, Space and the shortcuts, against a fake relay over real HTTP.

mod common;

use common::harness::*;
use common::*;
use easel::app::App;
use egui::Key;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;

/// Presses Tab until the widget named `name` (or whose name starts with it) has the focus.
fn tab_to(h: &mut Harness<'_, App>, name: &str) {
    for _ in 0..80 {
        if focused(h).is_some_and(|f| f.starts_with(name)) {
            return;
        }
        h.key_press(Key::Tab);
        h.run();
    }
    panic!("Tab never reached “{name}” (the focus is on {:?})", focused(h));
}

fn press(h: &mut Harness<'_, App>, key: Key) {
    h.key_press(key);
    h.run();
}

#[test]
fn key_prompt_generate_viewer_save_and_compare_without_a_mouse() {
    let world = World::new();
    world.answer(ok_answer(1), None);
    let mut h = world.app();
    h.run();

    // The key screen: to the field, type, to Save key, Enter.
    tab_to(&mut h, "API key");
    h.get_by_role(egui::accesskit::Role::PasswordInput).type_text(KEY);
    h.run();
    tab_to(&mut h, "Save key");
    press(&mut h, Key::Enter);
    step_until(&mut h, "the saved key", |h| !h.state().needs_key());

    // The form: to the prompt, type, Ctrl+Enter makes the picture.
    tab_to(&mut h, "Prompt");
    h.get_by_role(egui::accesskit::Role::MultilineTextInput).type_text("a lighthouse at dusk");
    h.run();
    h.key_press_modifiers(egui::Modifiers::COMMAND, Key::Enter);
    step_until(&mut h, "the picture", |h| pictures_ready(h, 1));
    h.run();

    // The gallery: to the thumbnail, Enter opens the viewer; Ctrl+S is Save as…; Esc closes.
    tab_to(&mut h, "Picture 1:");
    // The viewer shows a spinner until the full picture is decoded: stepped, not run until still.
    h.key_press(Key::Enter);
    h.step();
    assert!(h.state().viewer.is_some(), "Enter on a thumbnail opens it");
    step_until(&mut h, "the full picture", |h| h.state().viewer.as_ref().is_some_and(|v| v.texture.is_some()));
    *world.dialogs.answer.lock().unwrap() = Some(world.data.path().join("saved.png"));
    h.key_press_modifiers(egui::Modifiers::COMMAND, Key::S);
    step_until(&mut h, "the saved copy", |_| world.data.path().join("saved.png").exists());
    press(&mut h, Key::Escape);
    assert!(h.state().viewer.is_none());

    // Compare: to the button, Enter; Space on the dialog's Start; Esc leaves the comparison.
    tab_to(&mut h, "Compare qualities…");
    press(&mut h, Key::Enter);
    tab_to(&mut h, "Make 3 pictures");
    // Spinners turn as soon as it starts: stepped, not run until still.
    h.key_press(Key::Space);
    h.step();
    step_until(&mut h, "the comparison", |h| {
        h.state().comparison.is_some()
            && h.state().comparison_cells().iter().all(|c| matches!(c, easel::app::CellState::Done { .. }))
    });
    assert_eq!(world.requests(), 4, "one picture, then three cells");
    // The full-size pictures may still be loading (a spinner): stepped, not run until still.
    h.key_press(Key::Escape);
    step_until(&mut h, "the comparison closed", |h| h.state().comparison.is_none());
}

#[test]
fn esc_closes_the_window_over_the_screen_and_only_that() {
    let world = World::new().with_key();
    let mut h = world.generated("a fox", 1);
    let first = h.state().gallery[0].id;
    h.state_mut().push(easel::app::Command::OpenViewer(first));
    h.run();
    for open in ["Settings…", "About…"] {
        h.get_by_label(open).click();
        h.run();
        assert!(h.state().modal_open(), "{open} opened");
        press(&mut h, Key::Escape);
        assert!(!h.state().modal_open(), "Esc closed what {open} opened");
        assert!(h.state().viewer.is_some(), "and only that: the viewer under it stays");
    }
    press(&mut h, Key::Escape);
    assert!(h.state().viewer.is_none(), "with nothing over it, Esc closes the viewer");
}

#[test]
fn f6_reaches_the_pictures_and_the_arrows_move_among_them() {
    let world = World::new().with_key();
    let mut h = world.generated("four owls", 4);
    h.run();
    h.get_by_label("Prompt").click();
    h.run();
    assert_eq!(focused(&h).as_deref(), Some("Prompt"));
    // One key from the prompt to the pictures, rather than a Tab through every setting.
    press(&mut h, Key::F6);
    assert_eq!(focused(&h).as_deref(), Some("Picture 1: four owls"));
    press(&mut h, Key::ArrowRight);
    assert_eq!(focused(&h).as_deref(), Some("Picture 2: four owls"));
    press(&mut h, Key::ArrowRight);
    press(&mut h, Key::ArrowLeft);
    assert_eq!(focused(&h).as_deref(), Some("Picture 2: four owls"));
    // The viewer shows a spinner until the picture is decoded: stepped, not run until still.
    h.key_press(Key::Enter);
    step_until(&mut h, "the full picture", |h| h.state().viewer.as_ref().is_some_and(|v| v.texture.is_some()));
    let shown = h.state().viewer.as_ref().map(|v| v.picture);
    let second = h.state().gallery.iter().find(|g| g.saved.meta.index == 1).map(|g| g.id);
    assert_eq!(shown, second, "Enter opens the picture with the focus");
    press(&mut h, Key::Escape);
    // And back to the prompt, to write the next one.
    press(&mut h, Key::F6);
    press(&mut h, Key::F6);
    assert_eq!(focused(&h).as_deref(), Some("Prompt"));
}
