//! The chain of changes in the viewer (issue 14), as a user meets it after a restart: an
//! original and two changes of it saved by the edit's own code (`Library::save_edit`), read
//! again by a new window on the same data folder; the strip of versions, opening one, the
//! before/after wipe, and "Go back to this version" (which deletes nothing).

mod common;

use common::edit_source;
use common::harness::*;
use easel::api::{ImageRequest, ReceivedImage};
use easel::app::thumbs::ThumbCache;
use easel::app::{App, Command, GalleryItem, PictureId, Viewer};
use easel::library::{Library, Provenance};
use egui::accesskit::{Role, Toggled};
use egui_kittest::Harness;
use egui_kittest::kittest::{By, NodeT, Queryable};
use image::{ImageFormat, Rgba, RgbaImage};
use std::path::{Path, PathBuf};

/// The pictures saved: the original, its two changes one after the other, and a picture with
/// no edits.
struct Seeded {
    original: PathBuf,
    change1: PathBuf,
    change2: PathBuf,
    raw1: PathBuf,
    plain: PathBuf,
}

fn encoded(img: &RgbaImage) -> Vec<u8> {
    let mut out = Vec::new();
    image::DynamicImage::ImageRgba8(img.clone())
        .write_to(&mut std::io::Cursor::new(&mut out), ImageFormat::Png)
        .unwrap();
    out
}

fn received(colour: [u8; 4]) -> ReceivedImage {
    ReceivedImage::from_bytes(encoded(&RgbaImage::from_pixel(80, 60, Rgba(colour)))).unwrap()
}

fn prov(prompt: &str) -> Provenance {
    Provenance::new(ImageRequest::new(prompt), "http://127.0.0.1:9/v1", "test relay", 1)
}

/// Saves the pictures as the worker does: the first change with a mask (so a raw result lies
/// beside it, which is no version), the second of the whole picture.
fn seed(world: &World) -> Seeded {
    let lib = Library::open(world.data.path()).unwrap();
    let original = lib.save(&received([20, 40, 200, 255]), 0, &prov("a lighthouse")).unwrap().path;
    let mask = RgbaImage::from_fn(80, 60, |x, _| Rgba([0, 0, 0, if x < 40 { 0 } else { 255 }]));
    let source = edit_source(std::slice::from_ref(&original), Some(&encoded(&mask)), false);
    let first = lib.save_edit(&received([200, 30, 30, 255]), 0, &prov("with a red roof"), &source).unwrap();
    let source = edit_source(std::slice::from_ref(&first.picture.path), None, false);
    let second = lib.save_edit(&received([10, 10, 10, 255]), 0, &prov("at night"), &source).unwrap();
    let plain = lib.save(&received([0, 200, 0, 255]), 0, &prov("a green field")).unwrap().path;
    Seeded { original, change1: first.picture.path, change2: second.picture.path, raw1: first.raw.unwrap().path, plain }
}

fn id_of(h: &Harness<'_, App>, path: &Path) -> PictureId {
    h.state().gallery.iter().find(|g| g.saved.path == path).unwrap_or_else(|| panic!("{} shown", path.display())).id
}

/// Opens `path` in the viewer and waits for its pixels and every version's thumbnail.
fn view(h: &mut Harness<'static, App>, path: &Path, versions: &[&PathBuf]) {
    let id = id_of(h, path);
    h.state_mut().push(Command::OpenViewer(id));
    step_until(h, "the picture in the viewer", |h| {
        let s = h.state();
        s.viewer.as_ref().is_some_and(|v| v.picture == id && v.texture.is_some())
            && versions.iter().all(|p| s.thumbs.has(p))
    });
    h.run();
}

fn toggled(h: &Harness<'_, App>, label: &str) -> Option<Toggled> {
    h.get_by_label(label).accesskit_node().toggled()
}

/// The strip shows these versions, `current` outlined (and said so), no others.
fn strip_shows(h: &Harness<'_, App>, current: &str) {
    for name in ["Original", "Change 1", "Change 2"] {
        let on = if name == current { Toggled::True } else { Toggled::False };
        assert_eq!(toggled(h, name), Some(on), "{name} with {current} shown");
    }
    assert!(h.query_by_label("Change 3").is_none(), "the raw result is not a version");
}

/// Every texture the last frame drew.
fn textures_drawn(h: &Harness<'_, App>) -> Vec<egui::TextureId> {
    fn walk(shape: &egui::Shape, out: &mut Vec<egui::TextureId>) {
        match shape {
            egui::Shape::Mesh(mesh) => out.push(mesh.texture_id),
            egui::Shape::Vec(shapes) => shapes.iter().for_each(|s| walk(s, out)),
            _ => {}
        }
    }
    let mut out = Vec::new();
    h.output().shapes.iter().for_each(|c| walk(&c.shape, &mut out));
    out
}

#[test]
fn the_chain_is_there_after_a_restart_each_version_opens_and_before_after_wipes() {
    let world = World::new().with_key();
    let s = seed(&world);
    let chain = [&s.original, &s.change1, &s.change2];
    {
        // A first run reads the pictures and writes the history's index…
        let mut h = world.app();
        view(&mut h, &s.change2, &chain);
        strip_shows(&h, "Change 2");
    }
    // …which the next run reads them through.
    let mut h = world.app();
    assert!(h.state().gallery.iter().any(|g| g.saved.path == s.raw1), "the raw result is in the library");
    view(&mut h, &s.change2, &chain);
    strip_shows(&h, "Change 2");
    assert!(h.query_by_label("Go back to this version").is_none(), "the newest version is the one changed next");

    // The original opens from the strip; it has no before.
    h.get_by_label("Original").click();
    let original = id_of(&h, &s.original);
    // Its pixels too: until they come the viewer shows a spinner, and `run` would not settle.
    step_until(&mut h, "the original", |h| {
        h.state().viewer.as_ref().is_some_and(|v| v.picture == original && v.texture.is_some())
    });
    h.run();
    strip_shows(&h, "Original");
    assert!(h.query_by_label("Before / after").is_none());
    assert!(h.query_by_label("Go back to this version").is_some());

    // Change 1 against the original it was made from.
    h.get_by_label("Change 1").click();
    let change1 = id_of(&h, &s.change1);
    step_until(&mut h, "change 1", |h| {
        h.state().viewer.as_ref().is_some_and(|v| v.picture == change1 && v.texture.is_some())
    });
    h.run();
    strip_shows(&h, "Change 1");
    assert_eq!(toggled(&h, "Before / after"), Some(Toggled::False));
    h.get_by_label("Before / after").click();
    step_until(&mut h, "the picture before", |h| {
        h.state().viewer.as_ref().and_then(|v| v.before_after.as_ref()).is_some_and(|w| w.texture.is_some())
    });
    h.run();
    assert_eq!(toggled(&h, "Before / after"), Some(Toggled::True));
    let wipe = h.get(By::new().role(Role::Image).label("Before / after: Original | Change 1")).rect();
    assert!(h.query(By::new().role(Role::Slider).label("Divider")).is_some());
    let (before, after) = {
        let v = h.state().viewer.as_ref().unwrap();
        (v.before_after.as_ref().unwrap().texture.as_ref().unwrap().id(), v.texture.as_ref().unwrap().id())
    };
    assert_ne!(before, after);
    let drawn = textures_drawn(&h);
    assert!(drawn.contains(&before) && drawn.contains(&after), "both pictures drawn: {drawn:?}");
    // Dragging the divider moves it.
    let at = h.state().viewer.as_ref().unwrap().before_after.as_ref().unwrap().split;
    drag(&mut h, wipe.center(), wipe.center() + egui::vec2(-100.0, 0.0));
    let moved = h.state().viewer.as_ref().unwrap().before_after.as_ref().unwrap().split;
    assert!(moved < at - 0.05, "the divider went left: {at} → {moved}");
    // Esc ends the wipe, not the viewer.
    h.key_press(egui::Key::Escape);
    h.run();
    assert!(h.state().viewer.as_ref().is_some_and(|v| v.before_after.is_none()));

    // Going back to change 1 deletes nothing.
    h.get_by_label("Go back to this version").click();
    // The painter opens on it, beside the form, while its picture is read.
    step_until(&mut h, "the change of that version", |h| h.state().change.tray.len() == 1 && h.state().painting);
    assert!(chain.iter().all(|p| p.exists()));
    assert_eq!(h.state().gallery.iter().filter(|g| !g.hidden).count(), 5);

    // A picture with no edits has no strip.
    h.get_by_label("Done").click();
    h.run();
    assert!(!h.state().painting);
    view(&mut h, &s.plain, &[]);
    for label in ["Original", "Change 1", "Before / after", "Go back to this version"] {
        assert!(h.query_by_label(label).is_none(), "{label} shown for a picture with no versions");
    }
    assert!(!has_label_containing(&h, "Versions"));
}

/// A press at `from`, moves to `to`, a release: a drag as a hand makes it.
fn drag(h: &mut Harness<'static, App>, from: egui::Pos2, to: egui::Pos2) {
    h.hover_at(from);
    h.drag_at(from);
    h.step();
    for k in 1..=5 {
        h.hover_at(from + (to - from) * (k as f32 / 5.0));
        h.step();
    }
    h.drop_at(to);
    h.run();
}

/// The viewer drawn alone, so the commands its buttons push can be read before they run.
struct Alone {
    viewer: Viewer,
    gallery: Vec<GalleryItem>,
    thumbs: ThumbCache,
    pushed: Vec<Command>,
}

fn alone(gallery: Vec<GalleryItem>, picture: PictureId) -> Harness<'static, Alone> {
    let state = Alone { viewer: Viewer::new(picture), gallery, thumbs: ThumbCache::new(8), pushed: Vec::new() };
    let fonts = |ctx: &egui::Context| drop(easel::fonts::install(ctx, easel::i18n::Lang::En));
    let mut h = Harness::builder().with_size(egui::vec2(1280.0, 800.0)).with_context_setup(fonts).build_ui_state(
        |ui, s: &mut Alone| {
            let item = s.gallery.iter().find(|g| g.id == s.viewer.picture).unwrap();
            easel::ui::viewer::viewer_ui(ui, &mut s.viewer, item, &s.gallery, &mut s.thumbs, None, &[], &mut s.pushed);
        },
        state,
    );
    // The picture itself is never read here: its spinner turns for ever, so frames are counted.
    h.run_steps(2);
    h
}

#[test]
fn change_go_back_and_the_more_menu_ask_for_what_they_say() {
    let world = World::new().with_key();
    let s = seed(&world);
    let mut h = world.app();
    let (change1, change2) = (id_of(&h, &s.change1), id_of(&h, &s.change2));
    let gallery = std::mem::take(&mut h.state_mut().gallery);

    let mut v = alone(gallery, change1);
    v.get_by_label("Go back to this version").click();
    v.run_steps(2);
    v.get_by_label("Change").click();
    v.run_steps(2);
    v.get_by_label("More").click();
    v.run_steps(2);
    v.get_by_label("Use these settings").click();
    v.run_steps(2);
    v.get_by_label("More").click();
    v.run_steps(2);
    v.get_by_label("Use as reference").click();
    v.run_steps(2);
    assert_eq!(
        v.state().pushed,
        [
            Command::ChangePicture(change1),
            Command::ChangePicture(change1),
            Command::Reuse(change1),
            Command::UseAsReference(change1),
        ]
    );
    // The newest version is changed with Change; there is no going back to it.
    let gallery = std::mem::take(&mut v.state_mut().gallery);
    let v = alone(gallery, change2);
    assert!(v.query_by_label("Go back to this version").is_none());
    assert!(v.query_by_label("Change 2").is_some());
}
