//! The viewer and the zoom it shares with comparisons, as a user meets them: the real App in
//! `egui_kittest`; one meaning of "%" (real pixels, also at 2 pixels per point) and the same
//! keys in the viewer and a comparison; the icon toolbar's buttons found by their words and
//! doing their thing; the details under "More info". (How it looks: tests/look.rs.)
//!
//! The language is one setting for the whole process, so these tests take turns.

mod common;

use common::harness::*;
use common::*;
use easel::api::{ImageRequest, Quality, ReceivedImage};
use easel::app::{App, CellState};
use easel::i18n::Lang;
use easel::library::{Library, Provenance};
use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::{By, NodeT, Queryable};
use std::sync::Mutex;

static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());

fn turn() -> std::sync::MutexGuard<'static, ()> {
    ONE_AT_A_TIME.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

const PROMPT: &str = "A lighthouse on a cliff at dusk, watercolour, soft light";
/// The size of the snapshots and of the window the issue was tried in.
const WINDOW: egui::Vec2 = egui::vec2(1366.0, 800.0);

fn viewer_ready(h: &Harness<'_, App>) -> bool {
    h.state().viewer.as_ref().is_some_and(|v| v.texture.is_some())
}

/// Two pictures made from "two foxes", the one whose tile is named `picture` open in the viewer.
/// A request's pictures come in their order: "Picture 2" is the last shown.
fn two_foxes_in_the_viewer(world: &World, picture: &str) -> Harness<'static, App> {
    let mut h = world.generated("two foxes", 2);
    h.get_all_by_label_contains(picture).last().unwrap().click();
    step_until(&mut h, "the viewer", viewer_ready);
    h.run();
    h
}

fn history_ready(h: &Harness<'_, App>, n: usize) -> bool {
    let s = h.state();
    !s.history_loading && s.gallery.len() == n && s.gallery.iter().all(|g| s.thumbs.has(&g.saved.path))
}

/// One picture of `w`×`h` in the library, as the worker would have saved it, with an estimate,
/// tokens and a request id.
fn seed(world: &World, w: u32, h: u32) {
    let lib = Library::open(world.data.path()).unwrap();
    let mut request = ImageRequest::new(PROMPT);
    request.quality = Quality::Low;
    let prov = Provenance {
        elapsed_secs: 12.0,
        estimated_cost_usd: Some(0.006),
        request_cost_usd: Some(0.0071),
        usage: Some(easel::api::Usage { total_tokens: Some(292), ..Default::default() }),
        request_id: Some("req_0123456789".into()),
        ..Provenance::new(request, "http://127.0.0.1:9/v1", "test relay", 1)
    };
    lib.save(&ReceivedImage::from_bytes(png(w, h)).unwrap(), 0, &prov).unwrap();
}

/// The app on `world`'s seeded library, the picture open in the viewer, its time fixed for
/// snapshots.
fn open_seeded(world: &World, lang: Lang, pixels_per_point: f32) -> Harness<'static, App> {
    let mut h = world.app_sized(lang, WINDOW, pixels_per_point);
    step_until(&mut h, "the history", |h| history_ready(h, 1));
    h.run();
    h.state_mut().gallery[0].saved.meta.created = "2026-03-14T15:30:00+00:00".into();
    // By the keyboard: the harness's clock stands still, so an earlier click would make the
    // double-click below a triple one.
    h.get(By::new().role(Role::Button).label_contains(PROMPT)).focus();
    h.run();
    h.key_press(egui::Key::Enter);
    step_until(&mut h, "the viewer", viewer_ready);
    h.run();
    h
}

fn percent_shown(h: &Harness<'_, App>, percent: &str) -> bool {
    h.query_by_label(percent).is_some()
}

/// A comparison of three qualities, every picture 1024×1024, on a screen of 2 pixels per point.
fn comparison(world: &World, pixels_per_point: f32) -> Harness<'static, App> {
    world.answer(
        wiremock::ResponseTemplate::new(200)
            .set_body_raw(b64_answer(&[png(1024, 1024)]).to_string(), "application/json"),
        None,
    );
    let mut h = world.app_sized(Lang::En, WINDOW, pixels_per_point);
    h.run();
    type_prompt(&mut h, PROMPT);
    h.get_by_label("Compare qualities…").click();
    h.run();
    h.get_by_label("Make 3 pictures").click();
    step_until(&mut h, "every picture of the comparison", |h| {
        let s = h.state();
        let Some(c) = &s.comparison else { return false };
        let cells = s.comparison_cells();
        // Every request over too: the header's activity stops turning.
        s.active_jobs() == 0
            && cells.iter().all(|c| matches!(c, CellState::Done { .. }))
            && cells.iter().all(|cell| match cell {
                CellState::Done { picture } => s
                    .picture(*picture)
                    .is_some_and(|g| matches!(c.pictures.get(&g.saved.path), Some(easel::app::Picture::Ready(_)))),
                _ => false,
            })
    });
    h.run();
    h
}

/// The width in screen pixels the zoom draws its reference picture at.
fn drawn_pixels(zoom: &easel::app::zoom::ZoomPan) -> f32 {
    let stage = zoom.reference.expect("a picture drawn");
    zoom.placed(&stage).width() * stage.pixels_per_point
}

#[test]
fn the_viewer_and_a_comparison_mean_the_same_by_percent_and_take_the_same_keys() {
    let _turn = turn();
    let world = World::new().with_key();
    let mut h = comparison(&world, 2.0);

    // In the comparison: 1 is 100%, one picture pixel per screen pixel (512 points at 2 px/pt).
    h.key_press(egui::Key::Num1);
    h.run();
    assert!(percent_shown(&h, "100%"));
    let view = &h.state().comparison.as_ref().unwrap().view.zoom;
    assert!((drawn_pixels(view) - 1024.0).abs() < 0.5, "{view:?}");
    h.key_press(egui::Key::Plus);
    h.run();
    assert!(percent_shown(&h, "125%"));
    h.key_press(egui::Key::Minus);
    h.run();
    assert!(percent_shown(&h, "100%"));
    h.key_press(egui::Key::Num0);
    h.run();
    assert!(h.state().comparison.as_ref().unwrap().view.zoom.is_fit());
    h.key_press(egui::Key::Minus);
    h.run();
    assert!(h.state().comparison.as_ref().unwrap().view.zoom.is_fit(), "never smaller than fitting");

    // The same picture in the viewer: the same keys, the same figures.
    h.get_all_by_label("Open in the viewer").next().expect("a made cell").click();
    step_until(&mut h, "the viewer", viewer_ready);
    h.run();
    h.key_press(egui::Key::Num1);
    h.run();
    assert!(percent_shown(&h, "100%"));
    assert!((drawn_pixels(&h.state().viewer.as_ref().unwrap().zoom) - 1024.0).abs() < 0.5);
    h.key_press(egui::Key::Equals);
    h.run();
    assert!(percent_shown(&h, "125%"), "= zooms in as + does");
    h.key_press(egui::Key::Num0);
    h.run();
    assert!(h.state().viewer.as_ref().unwrap().zoom.is_fit());
    // Fitted, the 1024-pixel picture has room at its real size (1478 screen pixels high): 100%.
    let fitted = h.state().viewer.as_ref().unwrap().zoom.percent().unwrap();
    assert!((fitted - 100.0).abs() < 1e-3 && percent_shown(&h, "100%"), "{fitted}");

    // The toolbar's buttons are the same in both.
    for label in ["Zoom in", "Zoom out", "Fit", "1:1"] {
        assert!(h.query_by_label(label).is_some(), "the viewer has no {label}");
    }
    h.get_by_label("1:1").click();
    h.run();
    assert!(percent_shown(&h, "100%"));
    h.key_press(egui::Key::Escape);
    h.run();
    assert!(h.state().viewer.is_none() && h.state().comparison.is_some(), "back to the comparison");
    for label in ["Zoom in", "Zoom out", "Fit", "1:1", "A/B wipe", "Export sheet…", "Close"] {
        assert!(h.query_by_label(label).is_some(), "the comparison has no {label}");
    }
    h.get_by_label("Zoom in").click();
    h.run();
    assert!(!h.state().comparison.as_ref().unwrap().view.zoom.is_fit());
    h.get_by_label("Fit").click();
    h.run();
    assert!(h.state().comparison.as_ref().unwrap().view.zoom.is_fit());
}

#[test]
fn a_double_click_toggles_fit_and_one_hundred_percent() {
    let _turn = turn();
    let world = World::new().with_key();
    seed(&world, 1600, 1200);
    let mut h = open_seeded(&world, Lang::En, 1.0);
    assert!(h.state().viewer.as_ref().unwrap().zoom.is_fit());
    // The harness gives each press and release a frame of a quarter second: a double-click
    // takes it longer than egui's 0.3 s.
    h.ctx.options_mut(|o| o.input_options.max_double_click_delay = 2.0);
    h.get_by_label("The picture").click();
    h.get_by_label("The picture").click();
    h.run();
    let zoom = &h.state().viewer.as_ref().unwrap().zoom;
    assert_eq!(zoom.scale, Some(1.0), "{zoom:?}");
    assert!(percent_shown(&h, "100%"));
}

#[test]
fn the_toolbar_buttons_are_found_by_their_words_and_do_their_thing() {
    let _turn = turn();
    let world = World::new().with_key();
    let mut h = two_foxes_in_the_viewer(&world, "Picture 2");
    for label in [
        "Close",
        "Previous",
        "Next",
        "Zoom out",
        "Zoom in",
        "Fit",
        "1:1",
        "Save as…",
        "Copy image",
        "Favourite",
        "Change",
        "Delete",
        "More",
    ] {
        assert!(h.query_by_label(label).is_some(), "no {label} in the viewer's toolbar");
    }
    let first = h.state().viewer.as_ref().unwrap().picture;
    let meta = |h: &Harness<'_, App>| h.state().picture(first).unwrap().saved.meta_path.clone();

    // Favourite: a toggle kept in the picture's metadata file; F does the same.
    h.get_by_label("Favourite").click();
    step_until(&mut h, "the favourite on disk", |h| {
        std::fs::read_to_string(meta(h)).unwrap().contains("\"favourite\": true")
    });
    step_until(&mut h, "the toggle on", |h| h.state().picture(first).unwrap().saved.meta.favourite);
    h.run();
    let toggle = h.get_by_label("Favourite");
    assert_eq!(toggle.accesskit_node().toggled(), Some(egui::accesskit::Toggled::True), "it looks on");
    h.key_press(egui::Key::F);
    step_until(&mut h, "the favourite off on disk", |h| {
        !std::fs::read_to_string(meta(h)).unwrap().contains("\"favourite\": true")
    });
    step_until(&mut h, "the toggle off", |h| !h.state().picture(first).unwrap().saved.meta.favourite);

    // Previous and next: the picture opened is the last of the two shown.
    assert!(h.get_by_label("Next").accesskit_node().is_disabled(), "no picture after the last");
    h.get_by_label("Previous").click();
    step_until(&mut h, "the other picture", |h| h.state().viewer.as_ref().is_some_and(|v| v.picture != first));
    step_until(&mut h, "its pixels", viewer_ready);
    h.run();
    assert!(h.get_by_label("Previous").accesskit_node().is_disabled(), "no picture before the first");
    h.get_by_label("Next").click();
    step_until(&mut h, "the first picture again", |h| h.state().viewer.as_ref().is_some_and(|v| v.picture == first));
    step_until(&mut h, "its pixels", viewer_ready);
    h.run();

    // Ctrl+C copies the picture.
    h.event(egui::Event::Copy);
    step_until(&mut h, "the copied note", |h| has_label_containing(h, "The picture is on the clipboard."));

    // The "⋯" menu: the rest.
    h.get_by_label("More").click();
    h.run();
    assert!(h.query_by_label("Open folder").is_some());
    h.get_by_label("Copy prompt").click();
    h.run();

    // Delete: the viewer moves on, the toast offers Undo, Undo brings the picture back.
    h.get_by_label("Delete").click();
    step_until(&mut h, "the deleted note", |h| has_label_containing(h, "moved to the trash"));
    assert!(h.state().viewer.as_ref().is_some_and(|v| v.picture != first), "the viewer moved on");
    // The pointer goes there first, as a hand would (it jumps across the window otherwise).
    h.get_by_label("Undo").hover();
    h.step();
    h.get_by_label("Undo").click();
    h.run();
    step_until(&mut h, "the picture back", |h| h.state().gallery.iter().filter(|g| !g.hidden).count() == 2);

    // "Use these settings" in "⋯": the picture's settings back in the form, the viewer closed to show it.
    h.state_mut().state.form.prompt.clear();
    h.get_by_label("More").click();
    h.run();
    assert!(h.query_by_label("Use as reference").is_some());
    h.get_by_label("Use these settings").click();
    h.run();
    assert!(h.state().viewer.is_none());
    assert_eq!(h.state().state.form.prompt, "two foxes");
}

#[test]
fn the_viewers_keys_wait_while_a_dialog_is_open() {
    let _turn = turn();
    let world = World::new().with_key();
    let mut h = two_foxes_in_the_viewer(&world, "Picture 1");
    h.get_by_label("Settings…").click();
    h.run();
    h.key_press(egui::Key::Delete);
    h.key_press(egui::Key::F);
    h.run_steps(3);
    assert!(h.state().notice.is_none(), "nothing deleted behind the dialog");
    assert!(h.state().gallery.iter().all(|g| !g.saved.meta.favourite), "nothing marked behind the dialog");
}

#[test]
fn a_picture_dropped_over_the_viewer_takes_the_keys_from_it() {
    let _turn = turn();
    let world = World::new().with_key();
    let mut h = two_foxes_in_the_viewer(&world, "Picture 1");
    let shown = h.state().viewer.as_ref().unwrap().picture;
    // A picture from elsewhere, dropped on the window: its settings show over the viewer.
    let outside = tempfile::tempdir().unwrap();
    let file = outside.path().join("from a friend.png");
    std::fs::copy(&h.state().gallery[0].saved.path, &file).unwrap();
    h.input_mut().dropped_files.push(std::sync::Arc::new(DroppedPath(file)));
    step_until(&mut h, "the dropped picture's settings", |h| h.state().dropped().is_some());
    h.run();
    for key in [egui::Key::Delete, egui::Key::ArrowRight, egui::Key::ArrowLeft, egui::Key::F] {
        h.key_press(key);
        h.run_steps(3);
    }
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::S);
    h.run_steps(3);
    assert_eq!(h.state().viewer.as_ref().map(|v| v.picture), Some(shown), "the viewer stayed on its picture");
    assert!(h.state().gallery.iter().all(|g| !g.hidden), "nothing deleted behind the dialog");
    assert!(h.state().gallery.iter().all(|g| !g.saved.meta.favourite), "nothing marked behind the dialog");
    assert!(world.dialogs.asked.lock().unwrap().is_empty(), "no Save as… behind the dialog");
}

#[test]
fn the_gallerys_keys_wait_while_a_dialog_is_open() {
    let _turn = turn();
    let world = World::new().with_key();
    let mut h = world.generated("two foxes", 2);
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    h.run();
    assert_eq!(h.state().selected().len(), 2);
    h.get_by_label("Settings…").click();
    h.run();
    h.key_press(egui::Key::Delete);
    h.run_steps(3);
    assert!(h.state().gallery.iter().all(|g| !g.hidden), "nothing deleted behind Settings");
}

#[test]
fn the_viewer_shows_the_prompt_one_cost_and_the_rest_under_more_info() {
    let _turn = turn();
    let world = World::new().with_key();
    seed(&world, 384, 256);
    let mut h = open_seeded(&world, Lang::En, 1.0);
    assert!(has_label_containing(&h, PROMPT));
    assert!(has_label_containing(&h, "Low · 384 × 256 · PNG · gpt-image-2"));
    assert!(has_label_containing(&h, "about $0.01"), "one cost, to the cent");
    for detail in ["tokens", "req_0123456789", "127.0.0.1:9", "Request id", ".png"] {
        assert!(!has_label_containing(&h, detail), "{detail} shown before it is asked for");
    }
    h.get_by_label("More info").click();
    h.run();
    for detail in ["292 tokens", "req_0123456789", "test relay (http://127.0.0.1:9/v1)", ".png"] {
        assert!(has_label_containing(&h, detail), "{detail} missing from More info");
    }
}

#[test]
fn esc_closes_the_more_menu_before_the_viewer() {
    let _turn = turn();
    let world = World::new().with_key();
    seed(&world, 384, 256);
    let mut h = open_seeded(&world, Lang::En, 1.0);
    h.get_by_label("More").click();
    h.run();
    assert!(h.query_by_label("Open folder").is_some());
    h.key_press(egui::Key::Escape);
    h.run();
    assert!(h.query_by_label("Open folder").is_none(), "the menu closed");
    assert!(h.state().viewer.is_some(), "the viewer stays");
    h.key_press(egui::Key::Escape);
    h.run();
    assert!(h.state().viewer.is_none());
}

#[test]
fn the_arrow_keys_still_step_while_a_toolbar_button_has_the_keyboard_focus() {
    let _turn = turn();
    let world = World::new().with_key();
    let mut h = world.generated("three herons", 3);
    h.run();
    h.get_all_by_label_contains("Picture 1:").next().unwrap().focus();
    h.run();
    h.key_press(egui::Key::Enter);
    step_until(&mut h, "the viewer", viewer_ready);
    // Tab to a toolbar button, as someone without a mouse does; the arrows still step.
    h.get_by_label("Next").focus();
    h.run();
    let before = h.state().viewer.as_ref().unwrap().picture;
    h.key_press(egui::Key::ArrowRight);
    step_until(&mut h, "the next picture", |h| h.state().viewer.as_ref().is_some_and(|v| v.picture != before));
}
