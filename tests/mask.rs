//! The mask painter (issue 14) as a user meets it: the real App in `egui_kittest`, strokes
//! dragged across the picture with the pointer, and what the user gets checked pixel by pixel:
//! the brush, the eraser, the rectangle, undo and redo by the keys, Clear and Invert, Esc and
//! coming back, the mask PNG an edit would send, and Ctrl+Z meaning the painter's undo (not the
//! toast's Undo of a delete) while the painter is shown.
//!
//! The language is one setting for the whole process, so these tests take turns.

mod common;

use common::harness::*;
use common::*;
use easel::api::{ImageRequest, ReceivedImage};
use easel::app::mask::MaskPainter;
use easel::app::{App, Command};
use easel::library::{Library, Provenance};
use egui::{Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use std::path::PathBuf;
use std::sync::Mutex;

static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());

fn turn() -> std::sync::MutexGuard<'static, ()> {
    ONE_AT_A_TIME.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

const W: u32 = 640;
const H: u32 = 480;

/// `n` pictures of `W`×`H` in the library, as the worker would have saved them.
fn seed(world: &World, n: usize) {
    let lib = Library::open(world.data.path()).unwrap();
    for i in 0..n {
        let prov =
            Provenance::new(ImageRequest::new(format!("a harbour at dawn {i}")), "http://127.0.0.1:9/v1", "t", 1);
        lib.save(&ReceivedImage::from_bytes(png(W, H)).unwrap(), 0, &prov).unwrap();
    }
}

/// The window with `n` seeded pictures and the painter open on the first, its picture in.
fn painting(world: &World, n: usize) -> (Harness<'static, App>, PathBuf) {
    seed(world, n);
    let mut h = world.app();
    shown_with_thumbnails(&mut h, n);
    let path = h.state().gallery[0].saved.path.clone();
    open(&mut h, &path);
    (h, path)
}

/// Waits for the `n` pictures and their thumbnails: one arriving later would redraw the window
/// in the middle of a `run`, past its few steps (seen on a busy machine).
fn shown_with_thumbnails(h: &mut Harness<'static, App>, n: usize) {
    step_until(h, "the pictures and their thumbnails", |h| {
        let s = h.state();
        s.gallery.len() == n && s.gallery.iter().all(|g| s.thumbs.has(&g.saved.path))
    });
}

fn open(h: &mut Harness<'static, App>, path: &std::path::Path) {
    h.state_mut().push(Command::OpenPainter(path.to_path_buf()));
    step_until(h, "the picture to paint on", |h| h.state().painter.as_ref().is_some_and(|p| p.pixel_size().is_some()));
    h.run();
    // The form's prompt beside the painter has the keys from the start; the user's keys for
    // the painter come after a click on it (tested in `a_click_on_the_picture_takes_the_keys`).
    h.ctx.memory_mut(egui::Memory::stop_text_input);
    h.run();
}

fn painter<'a>(h: &'a Harness<'_, App>) -> &'a MaskPainter {
    h.state().painter.as_ref().expect("a painter")
}

fn painted(h: &Harness<'_, App>, x: u32, y: u32) -> bool {
    painter(h).coverage_at(x, y)
}

fn press(h: &mut Harness<'static, App>, modifiers: Modifiers, key: Key) {
    h.key_press_modifiers(modifiers, key);
    h.run();
}

#[test]
fn a_brush_stroke_paints_along_the_drag_and_the_keys_undo_and_redo_it() {
    let _turn = turn();
    let world = World::new().with_key();
    let (mut h, _) = painting(&world, 1);
    assert!(painter(&h).is_empty());
    assert!(has_label_containing(&h, "Paint over what should change."));
    // The picture fits at 100% here, so the first 40-point brush is 40 pixels across.
    assert!((painter(&h).zoom.percent().unwrap() - 100.0).abs() < 1e-3);
    drag(&mut h, &[(100.0, 240.0), (300.0, 240.0), (500.0, 300.0)]);

    let along = [(100, 240), (200, 240), (300, 240), (300, 225), (300, 255), (400, 270), (500, 300), (495, 315)];
    for (x, y) in along {
        assert!(painted(&h, x, y), "({x}, {y}) on the stroke is not painted");
    }
    for (x, y) in [(70, 240), (300, 200), (300, 280), (530, 300), (20, 20), (600, 450)] {
        assert!(!painted(&h, x, y), "({x}, {y}) away from the stroke is painted");
    }
    let share = painter(&h).painted_fraction();
    assert!(share > 0.02 && share < 0.1, "{share}");
    assert!(has_label_containing(&h, "of the picture will change."));

    // What an edit would send: the picture's size, transparent exactly where painted.
    let png = painter(&h).snapshot().to_png();
    let decoded = image::load_from_memory(&png).unwrap().to_rgba8();
    assert_eq!(decoded.dimensions(), (W, H));
    let coverage = easel::library::edit::mask_from_picture(&decoded);
    for y in (0..H).step_by(3) {
        for x in (0..W).step_by(3) {
            assert_eq!(coverage.get_pixel(x, y).0[0] == 1.0, painted(&h, x, y), "({x}, {y}) in the PNG");
        }
    }

    press(&mut h, Modifiers::COMMAND, Key::Z);
    assert!(painter(&h).is_empty() && !painted(&h, 300, 240), "Ctrl+Z took the stroke away");
    press(&mut h, Modifiers::COMMAND | Modifiers::SHIFT, Key::Z);
    assert!(along.iter().all(|&(x, y)| painted(&h, x, y)), "Ctrl+Shift+Z brought it back");
    press(&mut h, Modifiers::COMMAND, Key::Z);
    press(&mut h, Modifiers::COMMAND, Key::Y);
    assert!(painted(&h, 300, 240), "Ctrl+Y redoes too");
    assert!((painter(&h).painted_fraction() - share).abs() < 1e-6);
}

#[test]
fn the_rectangle_fills_what_was_dragged_the_eraser_takes_paint_away_and_invert_and_clear_work() {
    let _turn = turn();
    let world = World::new().with_key();
    let (mut h, _) = painting(&world, 1);
    h.get_by_label("Rectangle").click();
    h.run();
    drag(&mut h, &[(100.0, 100.0), (220.0, 170.0), (300.0, 200.0)]);
    // Within a pixel of the rectangle dragged, and nothing else.
    for y in 101..199 {
        for x in 101..299 {
            assert!(painted(&h, x, y), "({x}, {y}) inside the rectangle");
        }
    }
    for (x, y) in [(98, 150), (301, 150), (200, 98), (200, 201), (97, 97), (302, 202)] {
        assert!(!painted(&h, x, y), "({x}, {y}) outside the rectangle");
    }
    let share = painter(&h).painted_fraction();
    let exact = 200.0 * 100.0 / (W * H) as f32;
    assert!((share - exact).abs() < 600.0 / (W * H) as f32, "{share} vs {exact}");

    // The eraser across its middle: a 40-pixel band goes.
    h.get_by_label("Eraser").click();
    h.run();
    drag(&mut h, &[(50.0, 150.0), (200.0, 150.0), (350.0, 150.0)]);
    assert!(!painted(&h, 200, 150) && !painted(&h, 120, 140) && !painted(&h, 280, 160));
    assert!(painted(&h, 200, 110) && painted(&h, 200, 190), "the rest of the rectangle stays");

    h.get_by_label("Invert").click();
    h.run();
    assert!(painted(&h, 200, 150) && painted(&h, 500, 400) && !painted(&h, 200, 110));
    h.get_by_label("Clear").click();
    h.run();
    assert!(painter(&h).is_empty() && !painted(&h, 500, 400));
    press(&mut h, Modifiers::COMMAND, Key::Z);
    assert!(painted(&h, 500, 400) && !painted(&h, 200, 110), "Clear is undone as one step");
    press(&mut h, Modifiers::COMMAND, Key::Z);
    assert!(painted(&h, 200, 110) && !painted(&h, 500, 400), "and Invert");
}

#[test]
fn esc_closes_the_painter_back_to_the_viewer_and_opening_it_again_keeps_the_mask() {
    let _turn = turn();
    let world = World::new().with_key();
    seed(&world, 1);
    let mut h = world.app();
    shown_with_thumbnails(&mut h, 1);
    let (id, path) = (h.state().gallery[0].id, h.state().gallery[0].saved.path.clone());
    h.state_mut().push(Command::OpenViewer(id));
    step_until(&mut h, "the viewer", |h| h.state().viewer.as_ref().is_some_and(|v| v.texture.is_some()));
    open(&mut h, &path);
    assert!(h.query_by_label("Brush").is_some() && h.query_by_label("Previous").is_none(), "the painter on top");
    drag(&mut h, &[(320.0, 100.0), (320.0, 380.0)]);
    assert!(painted(&h, 320, 240));

    h.key_press(Key::Escape);
    h.run();
    assert!(!h.state().painting, "Esc closed the painter");
    assert!(h.query_by_label("Brush").is_none() && h.query_by_label("Previous").is_some(), "back to the viewer");
    assert!(painted(&h, 320, 240), "the mask is kept");

    h.state_mut().push(Command::OpenPainter(path.clone()));
    h.run();
    assert!(h.state().painting && painted(&h, 320, 240) && painter(&h).can_undo(), "the same mask, its undo too");
    h.get_by_label("Done").click();
    h.run();
    assert!(!h.state().painting && h.state().painter.is_some());
    h.state_mut().push(Command::ForgetMask);
    h.run();
    assert!(h.state().painter.is_none());
}

#[test]
fn ctrl_z_in_the_painter_undoes_the_paint_not_a_delete() {
    let _turn = turn();
    let world = World::new().with_key();
    let (mut h, _) = painting(&world, 2);
    let other = h.state().gallery[1].id;
    h.state_mut().push(Command::Delete(other));
    step_until(&mut h, "the delete's toast", |h| h.state().notice.as_ref().is_some_and(|n| !n.undo.is_empty()));
    let shown = |h: &Harness<'_, App>| h.state().gallery.iter().filter(|g| !g.hidden).count();
    assert_eq!(shown(&h), 1);
    drag(&mut h, &[(100.0, 100.0), (300.0, 100.0)]);
    assert!(painted(&h, 200, 100));

    // With Settings open over the painter, Ctrl+Z does neither.
    h.get_by_label("Settings…").click();
    h.run();
    press(&mut h, Modifiers::COMMAND, Key::Z);
    h.run_steps(3);
    assert!(
        painted(&h, 200, 100) && shown(&h) == 1,
        "nothing undone behind Settings: painted {} shown {} settings {}",
        painted(&h, 200, 100),
        shown(&h),
        h.state().modal_open()
    );
    h.state_mut().modals.clear();
    h.run();

    press(&mut h, Modifiers::COMMAND, Key::Z);
    h.run_steps(3);
    assert!(!painted(&h, 200, 100), "the paint was undone");
    assert_eq!(shown(&h), 1, "the deleted picture stays deleted");
    assert!(h.state().notice.as_ref().is_some_and(|n| !n.undo.is_empty()), "its Undo still offered");

    // Out of the painter, Ctrl+Z is the toast's again.
    h.key_press(Key::Escape);
    h.run();
    press(&mut h, Modifiers::COMMAND, Key::Z);
    step_until(&mut h, "the picture back", |h| shown(h) == 2);
}

#[test]
fn space_or_the_middle_button_with_a_drag_pans_instead_of_painting() {
    let _turn = turn();
    let world = World::new().with_key();
    let (mut h, _) = painting(&world, 1);
    h.key_press(Key::Num1);
    for _ in 0..5 {
        h.key_press(Key::Plus);
    }
    h.run();
    assert!(!painter(&h).zoom.is_fit(), "zoomed in, so there is room to pan");
    let focus = painter(&h).zoom.focus;
    h.key_down(Key::Space);
    h.run();
    drag(&mut h, &[(300.0, 200.0), (250.0, 200.0), (200.0, 200.0)]);
    h.key_up(Key::Space);
    h.run();
    assert!(painter(&h).is_empty(), "Space and a drag painted nothing");
    let panned = painter(&h).zoom.focus;
    assert!(panned.x > focus.x + 0.01, "the picture moved: {focus:?} to {panned:?}");

    let (from, to) = (painter_screen(&h, 300.0, 200.0), painter_screen(&h, 300.0, 120.0));
    let button = |pos, pressed| egui::Event::PointerButton {
        pos,
        button: egui::PointerButton::Middle,
        pressed,
        modifiers: Modifiers::NONE,
    };
    h.hover_at(from);
    h.event(button(from, true));
    h.run();
    h.hover_at(to);
    h.run();
    h.event(button(to, false));
    h.run();
    assert!(painter(&h).is_empty(), "the middle button painted nothing");
    assert!(painter(&h).zoom.focus.y > panned.y + 0.01, "the middle button panned");

    // The left button alone paints as ever.
    drag(&mut h, &[(300.0, 200.0), (320.0, 200.0), (340.0, 200.0)]);
    assert!(painted(&h, 320, 200));
}

#[test]
fn a_click_on_the_picture_takes_the_keys_from_the_prompt() {
    let _turn = turn();
    let world = World::new().with_key();
    seed(&world, 1);
    let mut h = world.app();
    step_until(&mut h, "the picture", |h| h.state().gallery.len() == 1);
    let path = h.state().gallery[0].saved.path.clone();
    h.state_mut().push(Command::OpenPainter(path));
    step_until(&mut h, "the picture to paint on", |h| {
        h.state().painter.as_ref().is_some_and(|p| p.pixel_size().is_some())
    });
    h.run();
    assert!(h.ctx.text_edit_focused(), "the prompt has the keys, as at every start");
    drag(&mut h, &[(100.0, 240.0), (300.0, 240.0)]);
    assert!(painted(&h, 200, 240));
    assert!(!h.ctx.text_edit_focused(), "the stroke took the keys");
    press(&mut h, Modifiers::COMMAND, Key::Z);
    assert!(painter(&h).is_empty(), "Ctrl+Z undid the stroke, not the prompt's typing");
}
