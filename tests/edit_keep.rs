//! Keeping everything outside the mask (issue 14), with real files in a temporary library: what
//! `Library::save_edit` leaves on disk, pixel by pixel, in the metadata and in the settings
//! text inside the files; and that nothing received is lost when the outside cannot be kept.

mod common;

use common::edit_source;
use easel::api::{ImageRequest, ReceivedImage};
use easel::i18n::{Lang, with};
use easel::library::edit::{EditInput, EditOutcome, EditSaveError, EditSource, KeepFailure, sha256_hex};
use easel::library::embed::{Parameters, read_parameters};
use easel::library::{Library, Provenance, SavedImage, read_picture};
use image::{ImageFormat, Rgba, RgbaImage};
use std::path::{Path, PathBuf};

/// A picture whose every pixel differs from its neighbours, so a misplaced pixel shows.
fn pattern(w: u32, h: u32) -> RgbaImage {
    RgbaImage::from_fn(w, h, |x, y| Rgba([(x * 7 + y * 3) as u8, (x * 13 + y * 5) as u8, (x ^ y) as u8, 255]))
}

fn encoded(img: &RgbaImage, format: ImageFormat) -> Vec<u8> {
    let mut out = Vec::new();
    let img = image::DynamicImage::ImageRgba8(img.clone());
    let img = if format == ImageFormat::Jpeg { image::DynamicImage::ImageRgb8(img.to_rgb8()) } else { img };
    img.write_to(&mut std::io::Cursor::new(&mut out), format).unwrap();
    out
}

/// The area to change: the rectangle `x0..x1` × `y0..y1`.
fn in_rect(x: u32, y: u32, (x0, y0, x1, y1): (u32, u32, u32, u32)) -> bool {
    (x0..x1).contains(&x) && (y0..y1).contains(&y)
}

/// OpenAI's kind of mask: transparent where to change.
fn alpha_mask(w: u32, h: u32, rect: (u32, u32, u32, u32)) -> Vec<u8> {
    let mask = RgbaImage::from_fn(w, h, |x, y| Rgba([0, 0, 0, if in_rect(x, y, rect) { 0 } else { 255 }]));
    encoded(&mask, ImageFormat::Png)
}

const RECT: (u32, u32, u32, u32) = (20, 10, 60, 40);

struct World {
    _dir: tempfile::TempDir,
    lib: Library,
    original: PathBuf,
    prov: Provenance,
}

/// A library holding a 80×60 original saved by an earlier request, and an edit's provenance.
fn world() -> World {
    let dir = tempfile::tempdir().unwrap();
    let lib = Library::open(dir.path().join("data")).unwrap();
    let first = Provenance::new(ImageRequest::new("a lighthouse"), "http://127.0.0.1/v1", "relay", 1);
    let bytes = encoded(&pattern(80, 60), ImageFormat::Png);
    let original = lib.save(&ReceivedImage::from_bytes(bytes).unwrap(), 0, &first).unwrap().path;
    let mut prov = Provenance::new(ImageRequest::new("the same, with a red roof"), "http://127.0.0.1/v1", "relay", 1);
    prov.request_cost_usd = Some(0.2);
    World { _dir: dir, lib, original, prov }
}

/// The model's picture: `w`×`h`, all one colour, far from every colour of [`pattern`] (it
/// changed everything).
fn repainted(w: u32, h: u32, format: ImageFormat) -> ReceivedImage {
    ReceivedImage::from_bytes(encoded(&RgbaImage::from_pixel(w, h, Rgba([200, 30, 250, 255])), format)).unwrap()
}

fn name(path: &Path) -> String {
    path.file_name().unwrap().to_string_lossy().into_owned()
}

#[test]
fn the_outside_is_kept_pixel_for_pixel_and_the_raw_result_is_saved_too() {
    let w = world();
    let mask = alpha_mask(80, 60, RECT);
    let source = edit_source(std::slice::from_ref(&w.original), Some(&mask), false);
    // Another size than the original (twice), as a model returns: scaled first.
    let result = repainted(160, 120, ImageFormat::Jpeg);
    let saved = w.lib.save_edit(&result, 0, &w.prov, &source).unwrap();
    let raw = saved.raw.clone().expect("the raw result is kept");

    // The raw result: exactly the bytes received (plus the settings text), marked raw, no cost.
    let raw_bytes = std::fs::read(&raw.path).unwrap();
    assert!(name(&raw.path).ends_with("-1-raw.jpg"), "{}", raw.path.display());
    assert_eq!(easel::library::embed::strip(&raw_bytes).unwrap(), result.bytes);
    assert!(raw.meta.is_raw_result());
    assert_eq!((raw.meta.request_cost_usd, raw.meta.cost()), (None, None));

    // The picture: the original outside the mask, the model's inside, no seam between.
    let original = read_picture(&w.original).unwrap();
    let kept = read_picture(&saved.picture.path).unwrap();
    assert!(name(&saved.picture.path).ends_with("-1.png"));
    assert_eq!(kept.dimensions(), (80, 60));
    let model = [200u8, 30, 250, 255];
    for (x, y, p) in kept.enumerate_pixels() {
        let o = original.get_pixel(x, y);
        if !in_rect(x, y, RECT) {
            assert_eq!(p, o, "({x}, {y}) outside the mask");
            continue;
        }
        // How far in from the mask's nearest edge (1 = the pixels along it).
        let depth = [x + 1 - RECT.0, RECT.2 - x, y + 1 - RECT.1, RECT.3 - y].into_iter().min().unwrap();
        for k in 0..4 {
            // JPEG's losses on a flat colour are a few levels at most.
            let (lo, hi) = (o[k].min(model[k]).saturating_sub(3), o[k].max(model[k]).saturating_add(3));
            if depth > 4 {
                assert!(p[k].abs_diff(model[k]) <= 3, "({x}, {y}) inside: {p:?}");
            } else {
                assert!((lo..=hi).contains(&p[k]), "({x}, {y}) in the soft edge: {p:?} between {o:?} and {model:?}");
            }
        }
    }

    // What the edit recorded, in the .json and as read back.
    let record = saved.picture.meta.edit.clone().unwrap();
    assert_eq!(record.outcome, EditOutcome::OutsideKept);
    assert_eq!(record.inputs.len(), 1);
    assert_eq!(record.inputs[0].file, name(&w.original));
    assert_eq!(record.inputs[0].sha256.as_deref(), Some(sha256_hex(&std::fs::read(&w.original).unwrap()).as_str()));
    assert_eq!(record.mask_sha256, Some(sha256_hex(&mask)));
    assert_eq!(record.raw_file.as_deref(), Some(name(&raw.path).as_str()));
    assert!(record.changed_outside.unwrap() > 0.99, "{record:?}");
    assert_eq!(Library::read_meta(&saved.picture.meta_path).unwrap(), saved.picture.meta);
    assert_eq!(Library::read_meta(&raw.meta_path).unwrap(), raw.meta);
    assert_eq!(saved.picture.meta.request_cost_usd, Some(0.2));
    assert_eq!(
        with(Lang::En, || saved.note().unwrap().to_string()),
        "The model also changed 100% of the picture outside your mask; those changes were undone."
    );

    // The settings text inside both files names the picture changed.
    for file in [&saved.picture, &raw] {
        let text = read_parameters(&std::fs::read(&file.path).unwrap()).unwrap();
        let p = Parameters::parse(&text);
        assert_eq!(p.edit_of, [name(&w.original)], "{text}");
        assert_eq!(p.prompt, "the same, with a red roof");
    }

    // The history lists all three pictures; the raw one says what it is.
    let history = w.lib.history().unwrap();
    assert_eq!(history.len(), 3);
    assert_eq!(history.iter().filter(|e| e.saved.meta.is_raw_result()).count(), 1);
}

#[test]
fn a_result_that_changed_only_inside_is_said_nothing_about() {
    let w = world();
    let mask = alpha_mask(80, 60, RECT);
    let source = edit_source(std::slice::from_ref(&w.original), Some(&mask), false);
    let mut honest = pattern(80, 60);
    for (x, y, p) in honest.enumerate_pixels_mut() {
        if in_rect(x, y, RECT) {
            *p = Rgba([0, 200, 0, 255]);
        }
    }
    let result = ReceivedImage::from_bytes(encoded(&honest, ImageFormat::Png)).unwrap();
    let saved = w.lib.save_edit(&result, 0, &w.prov, &source).unwrap();
    assert_eq!(saved.picture.meta.edit.as_ref().unwrap().changed_outside, Some(0.0));
    assert_eq!(saved.note(), None);
    // The model's own picture and the one made from it are the same here, but for the soft edge.
    let kept = read_picture(&saved.picture.path).unwrap();
    let differ = kept.pixels().zip(honest.pixels()).filter(|(a, b)| a != b).count();
    let (w, h) = (RECT.2 - RECT.0, RECT.3 - RECT.1);
    assert!(differ <= (w * h - (w - 8) * (h - 8)) as usize, "{differ} pixels differ");
}

#[test]
fn a_black_and_white_mask_from_a_paint_program_works_the_same() {
    let w = world();
    let bw = RgbaImage::from_fn(80, 60, |x, y| {
        let v = if in_rect(x, y, RECT) { 255 } else { 0 };
        Rgba([v, v, v, 255])
    });
    let source = edit_source(std::slice::from_ref(&w.original), Some(&encoded(&bw, ImageFormat::Jpeg)), false);
    let saved = w.lib.save_edit(&repainted(80, 60, ImageFormat::Png), 0, &w.prov, &source).unwrap();
    let kept = read_picture(&saved.picture.path).unwrap();
    let original = read_picture(&w.original).unwrap();
    assert_eq!(kept.get_pixel(5, 5), original.get_pixel(5, 5));
    assert_eq!(kept.get_pixel(79, 59), original.get_pixel(79, 59));
    assert_eq!(kept.get_pixel(40, 25), &Rgba([200, 30, 250, 255]));
}

#[test]
fn the_whole_result_is_one_picture_with_the_figure_measured() {
    let w = world();
    let mask = alpha_mask(80, 60, RECT);
    let reference = w.original.with_file_name("reference.webp");
    std::fs::write(&reference, encoded(&pattern(8, 8), ImageFormat::WebP)).unwrap();
    let source = edit_source(&[w.original.clone(), reference.clone()], Some(&mask), true);
    let result = repainted(80, 60, ImageFormat::Png);
    let saved = w.lib.save_edit(&result, 1, &w.prov, &source).unwrap();
    assert_eq!(saved.raw, None);
    assert!(name(&saved.picture.path).ends_with("-2.png"));
    let record = Library::read_meta(&saved.picture.meta_path).unwrap().edit.unwrap();
    assert_eq!(record.outcome, EditOutcome::WholeResult);
    assert_eq!(record.changed_outside, Some(1.0), "measured after saving, and written down");
    assert_eq!(
        record.inputs.iter().map(|i| i.file.as_str()).collect::<Vec<_>>(),
        [name(&w.original), "reference.webp".into()]
    );
    assert_eq!(record.inputs[1].sha256.as_deref(), Some(sha256_hex(&std::fs::read(&reference).unwrap()).as_str()));
    assert_eq!(record.raw_file, None);
    assert_eq!(
        with(Lang::En, || saved.note().unwrap().to_string()),
        "The model also changed 100% of the picture outside your mask; you kept its whole result."
    );
    let text = read_parameters(&std::fs::read(&saved.picture.path).unwrap()).unwrap();
    assert!(text.contains(&format!("\nEdit of: {}, reference.webp\n", name(&w.original))), "{text}");
    // Without a mask: the whole picture, nothing measured, nothing said.
    let plain = edit_source(std::slice::from_ref(&w.original), None, false);
    let saved = w.lib.save_edit(&result, 2, &w.prov, &plain).unwrap();
    let record = saved.picture.meta.edit.clone().unwrap();
    assert_eq!((record.outcome, record.mask_sha256, record.changed_outside), (EditOutcome::WholeResult, None, None));
    assert_eq!(saved.note(), None);
}

/// Asserts that the raw result is in the library, as received, and returns it.
fn raw_is_saved(e: &EditSaveError, result: &ReceivedImage) -> SavedImage {
    let raw = e.saved().expect("the raw result is saved").clone();
    let on_disk = std::fs::read(&raw.path).unwrap();
    // A picture cut short takes no settings text: it is kept exactly as received.
    let received = easel::library::embed::strip(&on_disk).unwrap_or(on_disk);
    assert_eq!(received, result.bytes);
    assert!(raw.meta.is_raw_result());
    assert_eq!(Library::read_meta(&raw.meta_path).unwrap(), raw.meta);
    raw
}

#[test]
fn when_the_outside_cannot_be_kept_the_raw_result_is_saved_and_the_error_says_where() {
    let w = world();
    let mask = alpha_mask(80, 60, RECT);
    let result = repainted(80, 60, ImageFormat::Png);

    // The original as sent cannot be decoded (the request's checks make this a bug).
    let inputs = [EditInput::of("damaged.png", b"\x89PNG\r\n\x1a\n damaged")];
    let source = EditSource::new(&inputs, Some(b"\x89PNG\r\n\x1a\n damaged"), Some(&mask), false);
    let e = w.lib.save_edit(&result, 0, &w.prov, &source).unwrap_err();
    let raw = raw_is_saved(&e, &result);
    assert!(matches!(e, EditSaveError::NotKept { why: KeepFailure::Original(_), .. }), "{e:?}");
    let words = with(Lang::En, || e.to_string());
    assert!(words.starts_with(&format!("The model's picture is saved as “{}”", raw.path.display())), "{words}");
    assert_eq!(raw.meta.edit.as_ref().unwrap().inputs[0], inputs[0], "the picture as it was sent");

    // A mask that is not a picture.
    let source = edit_source(std::slice::from_ref(&w.original), Some(b"not a picture"), false);
    let e = w.lib.save_edit(&result, 1, &w.prov, &source).unwrap_err();
    raw_is_saved(&e, &result);
    assert!(matches!(e, EditSaveError::NotKept { why: KeepFailure::Mask, .. }), "{e:?}");

    // The model's picture is cut short: its header reads, its pixels do not.
    let mut cut = repainted(80, 60, ImageFormat::Png);
    cut.bytes.truncate(cut.bytes.len() - 20);
    let source = edit_source(std::slice::from_ref(&w.original), Some(&mask), false);
    let e = w.lib.save_edit(&cut, 2, &w.prov, &source).unwrap_err();
    raw_is_saved(&e, &cut);
    assert!(matches!(e, EditSaveError::NotKept { why: KeepFailure::Result(_), .. }), "{e:?}");
    let zh = with(Lang::ZhCn, || e.to_string());
    assert!(zh.starts_with("模型返回的图片已保存为"), "{zh}");
}

#[test]
fn nothing_is_saved_when_the_library_cannot_be_written_and_the_error_says_so() {
    let w = world();
    let source = edit_source(std::slice::from_ref(&w.original), Some(&alpha_mask(80, 60, RECT)), false);
    std::fs::remove_dir_all(w.lib.images_dir()).unwrap();
    let e = w.lib.save_edit(&repainted(80, 60, ImageFormat::Png), 0, &w.prov, &source).unwrap_err();
    assert!(matches!(e, EditSaveError::NotSaved(_)), "{e:?}");
    assert_eq!(e.saved(), None);
}

#[test]
fn older_details_without_an_edit_still_read_and_new_ones_keep_it() {
    let w = world();
    let first = w.lib.history().unwrap().remove(0).saved;
    let mut old: serde_json::Value = serde_json::from_slice(&std::fs::read(&first.meta_path).unwrap()).unwrap();
    assert!(old.get("edit").is_none(), "a picture that is not an edit writes no edit field");
    old.as_object_mut().unwrap().remove("edit");
    std::fs::write(&first.meta_path, serde_json::to_vec(&old).unwrap()).unwrap();
    assert_eq!(Library::read_meta(&first.meta_path).unwrap().edit, None);

    let source = edit_source(std::slice::from_ref(&w.original), Some(&alpha_mask(80, 60, RECT)), false);
    let saved = w.lib.save_edit(&repainted(80, 60, ImageFormat::Png), 0, &w.prov, &source).unwrap();
    let json: serde_json::Value = serde_json::from_slice(&std::fs::read(&saved.picture.meta_path).unwrap()).unwrap();
    assert_eq!(json["edit"]["outcome"], "outside_kept");
    assert_eq!(json["edit"]["inputs"][0]["file"], name(&w.original));
    // Read again through the history's index, after a restart.
    let reopened = Library::open(w.lib.root()).unwrap();
    let again = reopened.history().unwrap();
    let found = again.iter().find(|e| e.saved.path == saved.picture.path).unwrap();
    assert_eq!(found.saved.meta.edit, saved.picture.meta.edit);
}
