//! Keeping everything outside the mask (issue 14). The model treats a mask as a hint, and some
//! relays drop it, so pixels outside it can change too: Easel pastes the model's picture back
//! into the original only where the user painted, with a soft edge of a few pixels, and says how
//! much of the outside the model had changed.
//!
//! The pictures are decoded RGBA; a mask becomes a [`Coverage`] map, 1 where the picture may
//! change and 0 where it must stay as it was ([`mask_from_picture`]). [`keep_outside`] scales the
//! model's picture to the original's size when it is another, then blends: every pixel the mask
//! keeps (coverage 0) is the original's exactly; inside, the model's, reached over
//! [`FEATHER_PX`] pixels just inside the mask's edge so no seam shows.
//!
//! What an edit records ([`EditRecord`], in the picture's `.json` and, as an "Edit of:" line, in
//! the settings text inside the file) and the one call that saves an edit's pictures
//! ([`Library::save_edit`](crate::library::Library::save_edit), from an [`EditSource`]) are in
//! `edit/save.rs`.

mod save;

pub use save::{
    EditInput, EditOutcome, EditRecord, EditSaveError, EditSource, KeepFailure, OutsideNote, SavedEdit, sha256_hex,
};

use crate::api::{EditError, EditFile};
use crate::library::{LibraryError, Reason};
use image::imageops::FilterType;
use image::{ImageBuffer, Luma, RgbaImage};
use std::borrow::Cow;
use std::path::Path;

/// Reads a picture the user chose for an edit (or its mask, for `mask`) as it will be sent, under
/// its file name: only a regular file of at most 50 MB, refused before a byte is read otherwise
/// (a file of gigabytes, `/dev/zero`, a pipe). Read once: what is sent, hashed and put back
/// outside the mask is these bytes. Blocking.
pub fn read_edit_file(path: &Path, mask: bool) -> Result<EditFile, EditError> {
    let name = crate::outside::file_name(path);
    match super::read_bounded(path, crate::api::edit::MAX_FILE_BYTES as u64) {
        Ok(bytes) => Ok(EditFile::new(name, bytes)),
        Err(LibraryError::Io { reason: Reason::TooLarge { bytes, .. }, .. }) if mask => {
            Err(EditError::MaskTooLarge { name, bytes })
        }
        Err(LibraryError::Io { reason: Reason::TooLarge { bytes, .. }, .. }) => {
            Err(EditError::TooLarge { name, bytes })
        }
        Err(LibraryError::Io { reason: Reason::NotAFile, .. }) => Err(EditError::NotAFile { name }),
        Err(e @ LibraryError::NoDataDir) => Err(EditError::CannotRead { name, why: e.to_string() }),
        Err(LibraryError::Io { reason, .. }) => {
            Err(EditError::CannotRead { name, why: crate::outside::one_line(&reason.to_string()) })
        }
    }
}

/// How much each pixel may change: 0 = keep the original's, 1 = take the model's.
pub type Coverage = ImageBuffer<Luma<f32>, Vec<f32>>;

/// The soft edge, in pixels, over which the model's picture fades in just inside the mask.
pub const FEATHER_PX: f32 = 4.0;

/// How far a channel may differ (out of 255) before a pixel counts as changed by the model: what
/// compression and resampling alone leave is not a change.
pub const TOLERANCE: u8 = 16;

/// Mask levels this close to black or white count as fully kept or fully changed, so a mask that
/// went through JPEG still keeps its outside exactly.
const SNAP: f32 = crate::api::edit::MASK_SNAP as f32 / 255.0;

/// The outcome of [`keep_outside`].
#[derive(Clone, PartialEq)]
pub struct Kept {
    /// The original outside the mask, the model's picture inside, the original's size.
    pub picture: RgbaImage,
    /// The share (0..=1) of the pixels outside the mask, beyond the soft edge, that the model
    /// changed by more than [`TOLERANCE`].
    pub changed_outside: f32,
    /// The model's picture's size when it was not the original's (it was scaled first).
    pub scaled_from: Option<(u32, u32)>,
}

impl std::fmt::Debug for Kept {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let (w, h) = self.picture.dimensions();
        write!(f, "Kept({w}x{h}, changed outside {:.3}, scaled from {:?})", self.changed_outside, self.scaled_from)
    }
}

/// One coverage map from either kind of mask: one with transparency is read by its alpha, as
/// OpenAI reads it (transparent = change); one without (a black-and-white picture, as paint
/// programs make them) by its brightness (white = change, black = keep, greys in between), as
/// `api::edit` converts it before sending. Levels within 8 (of 255) of either end count as that end.
pub fn mask_from_picture(mask: &RgbaImage) -> Coverage {
    let by_alpha = mask.pixels().any(|p| p[3] < 255);
    let values = mask
        .pixels()
        .map(|p| {
            let [r, g, b, a] = p.0;
            if by_alpha {
                snap(f32::from(255 - a) / 255.0)
            } else {
                // The same weights as `api::edit`'s conversion, so both read a mask alike.
                let luma = (299 * u32::from(r) + 587 * u32::from(g) + 114 * u32::from(b)) / 1000;
                snap(luma.min(255) as f32 / 255.0)
            }
        })
        .collect();
    Coverage::from_raw(mask.width(), mask.height(), values).expect("one value for each pixel of the mask")
}

fn snap(v: f32) -> f32 {
    if v <= SNAP {
        0.0
    } else if v >= 1.0 - SNAP {
        1.0
    } else {
        v
    }
}

/// The original with the model's picture pasted in only where `mask` allows, with a soft edge
/// of `feather_px` pixels just inside the mask's edge; and how much of the outside the model had
/// changed. A `result` of another size is scaled to the original's first (Lanczos), without
/// stretching: when its proportions differ, its middle part of the original's proportions is
/// used (cut evenly from its longer sides). A `mask` of another size is scaled to the original's
/// too (as `api::edit` scales it when a large picture is sent smaller); an empty one changes
/// nothing. Every pixel the mask keeps is the original's exactly.
///
/// Slow for a large picture (about 0.15 s at 3840×2160 on one core, 0.75 s when a 2048×1152
/// result must be scaled first; `benches/edit.rs`): never on the UI thread.
pub fn keep_outside(original: &RgbaImage, result: &RgbaImage, mask: &Coverage, feather_px: f32) -> Kept {
    let size = original.dimensions();
    let fitted = fit(result, size);
    let mask = fit_mask(mask, size);
    let weights = weights(&mask, feather_px);
    Kept {
        changed_outside: changed_share(original, &fitted, &weights),
        picture: composite(original, &fitted, &weights),
        scaled_from: (result.dimensions() != size).then(|| result.dimensions()),
    }
}

/// Only the honesty figure of [`keep_outside`], for a user who keeps the model's whole picture.
pub fn changed_outside(original: &RgbaImage, result: &RgbaImage, mask: &Coverage, feather_px: f32) -> f32 {
    let size = original.dimensions();
    let weights = weights(&fit_mask(mask, size), feather_px);
    changed_share(original, &fit(result, size), &weights)
}

/// `result` at `size`: as it is when it is that size, else its middle part of the original's
/// proportions (cut evenly from its longer sides), scaled to that size.
fn fit(result: &RgbaImage, (w, h): (u32, u32)) -> Cow<'_, RgbaImage> {
    let (rw, rh) = result.dimensions();
    if (rw, rh) == (w, h) || [rw, rh, w, h].contains(&0) {
        return Cow::Borrowed(result);
    }
    let (wide, tall) = (u64::from(rw) * u64::from(h), u64::from(rh) * u64::from(w));
    let (cw, ch) = if wide > tall {
        // Wider than the original: the full height, the width it needs.
        ((u64::from(rh) * u64::from(w)).div_ceil(u64::from(h)).clamp(1, u64::from(rw)) as u32, rh)
    } else {
        (rw, (u64::from(rw) * u64::from(h)).div_ceil(u64::from(w)).clamp(1, u64::from(rh)) as u32)
    };
    let middle = image::imageops::crop_imm(result, (rw - cw) / 2, (rh - ch) / 2, cw, ch);
    Cow::Owned(image::imageops::resize(&*middle, w, h, FilterType::Lanczos3))
}

/// `mask` at `size`, scaled (and its ends snapped again) when it is another.
fn fit_mask(mask: &Coverage, (w, h): (u32, u32)) -> Cow<'_, Coverage> {
    if mask.dimensions() == (w, h) || [mask.width(), mask.height(), w, h].contains(&0) {
        return Cow::Borrowed(mask);
    }
    let mut scaled = image::imageops::resize(mask, w, h, FilterType::Triangle);
    scaled.iter_mut().for_each(|v| *v = snap(*v));
    Cow::Owned(scaled)
}

/// Marks a pixel outside the mask and beyond the soft edge: the original's, and measured.
const MEASURED: f32 = -1.0;

/// The widest soft edge [`keep_outside`] makes, in pixels.
pub const MAX_FEATHER_PX: f32 = 32.0;

/// The model's share of each pixel: 0 where the mask keeps the original (or [`MEASURED`] where
/// that pixel is also more than `feather` pixels from the area to change, so the honesty figure
/// counts it); inside, the mask's coverage times a ramp from 1 / (feather + 1) on the pixels
/// next to the edge to 1 at `feather` + 1 pixels in (Euclidean distances to the nearest kept
/// pixel).
fn weights(mask: &Coverage, feather_px: f32) -> Vec<f32> {
    let feather = if feather_px.is_finite() { feather_px.clamp(0.0, MAX_FEATHER_PX) } else { 0.0 };
    // The farthest distance that matters: the ramp's end inside, the band's outside.
    let reach = feather.ceil() as usize + 1;
    let (w, h) = (mask.width() as usize, mask.height() as usize);
    let coverage: &[f32] = mask.as_raw();
    if w == 0 || coverage.len() != w * h {
        return vec![0.0; coverage.len()];
    }
    // How far each pixel is, up and down its column, from the kept area and from the area to change.
    let to_kept = column_distances(coverage, w, reach, |c| c <= 0.0);
    let to_changed = column_distances(coverage, w, reach, |c| c > 0.0);
    let (mut d_kept, mut d_changed) = (vec![0; w], vec![0; w]);
    let (ramp_end, band) = ((feather + 1.0) * (feather + 1.0), feather * feather);
    let mut out = Vec::with_capacity(coverage.len());
    for (y, row) in coverage.chunks_exact(w).enumerate() {
        squared_distances(&to_kept[y * w..(y + 1) * w], reach, &mut d_kept);
        squared_distances(&to_changed[y * w..(y + 1) * w], reach, &mut d_changed);
        out.extend(row.iter().zip(d_kept.iter().zip(&d_changed)).map(|(&c, (&kept, &changed))| {
            if c <= 0.0 {
                if changed as f32 > band { MEASURED } else { 0.0 }
            } else if kept as f32 >= ramp_end {
                c
            } else {
                c * (kept as f32).sqrt() / (feather + 1.0)
            }
        }));
    }
    out
}

/// For each pixel, how many pixels up or down its column the nearest pixel whose coverage is
/// `seed` is, counted up to `reach` + 1 (which stands for "farther"). Each pass runs along whole
/// rows, so it vectorises.
fn column_distances(coverage: &[f32], w: usize, reach: usize, seed: impl Fn(f32) -> bool) -> Vec<u16> {
    let far = u16::try_from(reach + 1).unwrap_or(u16::MAX);
    let mut d: Vec<u16> = coverage.iter().map(|&c| if seed(c) { 0 } else { far }).collect();
    for y in 1..d.len() / w {
        let (above, row) = d[(y - 1) * w..(y + 1) * w].split_at_mut(w);
        row.iter_mut().zip(above.iter()).for_each(|(v, &a)| *v = (*v).min(a.saturating_add(1).min(far)));
    }
    for y in (0..(d.len() / w).saturating_sub(1)).rev() {
        let (row, below) = d[y * w..(y + 2) * w].split_at_mut(w);
        row.iter_mut().zip(below.iter()).for_each(|(v, &b)| *v = (*v).min(b.saturating_add(1).min(far)));
    }
    d
}

/// The squared distance from each pixel of a row to the nearest seed, from the row's column
/// distances: the least of dx² + column² over the columns within `reach` either side. Exact up
/// to `reach`; larger than `reach`² beyond it.
fn squared_distances(columns: &[u16], reach: usize, out: &mut [u32]) {
    out.fill(u32::MAX);
    let w = columns.len().min(out.len());
    let squares: Vec<u32> = columns.iter().map(|&c| u32::from(c) * u32::from(c)).collect();
    for dx in 0..=reach.min(w.saturating_sub(1)) {
        let add = (dx * dx) as u32;
        // From the columns `dx` to the right, then `dx` to the left.
        for (o, &s) in out[..w - dx].iter_mut().zip(&squares[dx..w]) {
            *o = (*o).min(s + add);
        }
        for (o, &s) in out[dx..w].iter_mut().zip(&squares[..w - dx]) {
            *o = (*o).min(s + add);
        }
    }
}

/// The original where the weight is 0 (or [`MEASURED`]), the result where it is 1, a blend of
/// the two, rounded, in between.
fn composite(original: &RgbaImage, result: &RgbaImage, weights: &[f32]) -> RgbaImage {
    let mut out = original.clone();
    for ((o, r), &w) in out.chunks_exact_mut(4).zip(result.chunks_exact(4)).zip(weights) {
        if w >= 1.0 {
            o.copy_from_slice(r);
        } else if w > 0.0 {
            for (o, &r) in o.iter_mut().zip(r) {
                let (a, b) = (f32::from(*o), f32::from(r));
                *o = (a + (b - a) * w).round().clamp(0.0, 255.0) as u8;
            }
        }
    }
    out
}

/// The share of the [`MEASURED`] pixels whose colour or alpha differs by more than [`TOLERANCE`];
/// 0 when there are none.
fn changed_share(original: &RgbaImage, result: &RgbaImage, weights: &[f32]) -> f32 {
    let (mut measured, mut changed) = (0u64, 0u64);
    for ((o, r), &w) in original.chunks_exact(4).zip(result.chunks_exact(4)).zip(weights) {
        if w == MEASURED {
            measured += 1;
            changed += u64::from(o.iter().zip(r).any(|(a, b)| a.abs_diff(*b) > TOLERANCE));
        }
    }
    if measured == 0 { 0.0 } else { (changed as f64 / measured as f64) as f32 }
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::Rgba;

    /// A picture whose every pixel differs from its neighbours, so a misplaced pixel shows.
    fn pattern(w: u32, h: u32, seed: u8) -> RgbaImage {
        RgbaImage::from_fn(w, h, |x, y| {
            Rgba([(x * 7 + y * 3) as u8 ^ seed, (x * 13 + y * 5) as u8, seed.wrapping_add((x + y) as u8), 255])
        })
    }

    /// A mask that changes the rectangle `x0..x1` × `y0..y1` of a `w`×`h` picture.
    fn rect_mask(w: u32, h: u32, (x0, y0, x1, y1): (u32, u32, u32, u32)) -> Coverage {
        Coverage::from_fn(w, h, |x, y| Luma([if (x0..x1).contains(&x) && (y0..y1).contains(&y) { 1.0 } else { 0.0 }]))
    }

    #[test]
    fn outside_is_the_original_inside_the_result_and_the_edge_blends_without_a_seam() {
        let (w, h) = (64, 48);
        let original = RgbaImage::from_pixel(w, h, Rgba([10, 20, 30, 255]));
        let result = RgbaImage::from_pixel(w, h, Rgba([210, 220, 230, 255]));
        let mask = rect_mask(w, h, (16, 12, 48, 36));
        let kept = keep_outside(&original, &result, &mask, 4.0);
        assert_eq!(kept.picture.dimensions(), (w, h));
        assert_eq!(kept.scaled_from, None);
        for (x, y, p) in kept.picture.enumerate_pixels() {
            let inside = (16..48).contains(&x) && (12..36).contains(&y);
            if !inside {
                assert_eq!(p, original.get_pixel(x, y), "({x}, {y}) outside");
                continue;
            }
            // How far in from the mask's nearest edge (1 = the pixels along it).
            let depth = [x + 1 - 16, 48 - x, y + 1 - 12, 36 - y].into_iter().min().unwrap_or(0);
            if depth > 4 {
                assert_eq!(p, result.get_pixel(x, y), "({x}, {y}) well inside");
            } else {
                assert!(p[0] > 10 && p[0] < 210, "({x}, {y}) in the band: {p:?}");
            }
        }
        // Along a row through the middle: never back, from the original to the result.
        let row: Vec<u8> = (0..w).map(|x| kept.picture.get_pixel(x, 24)[0]).collect();
        assert!(row[..32].windows(2).all(|p| p[0] <= p[1]), "{row:?}");
        assert!(row[32..].windows(2).all(|p| p[0] >= p[1]), "{row:?}");
        assert_eq!((row[15], row[16], row[20]), (10, 50, 210), "{row:?}");
        assert_eq!(kept.changed_outside, 1.0, "a result that changed everything");
    }

    #[test]
    fn detailed_pictures_are_kept_pixel_for_pixel() {
        let (w, h) = (50, 40);
        let (original, result) = (pattern(w, h, 0), pattern(w, h, 99));
        let mask = rect_mask(w, h, (5, 5, 30, 20));
        let kept = keep_outside(&original, &result, &mask, 0.0);
        for (x, y, p) in kept.picture.enumerate_pixels() {
            let expected = if mask.get_pixel(x, y)[0] > 0.0 { &result } else { &original };
            assert_eq!(p, expected.get_pixel(x, y), "({x}, {y}): no soft edge asked for");
        }
    }

    #[test]
    fn a_result_that_changed_only_inside_changed_nothing_outside() {
        let (w, h) = (40, 40);
        let original = pattern(w, h, 1);
        let mask = rect_mask(w, h, (10, 10, 30, 30));
        let mut result = original.clone();
        for (x, y, p) in result.enumerate_pixels_mut() {
            if mask.get_pixel(x, y)[0] > 0.0 {
                *p = Rgba([255, 0, 255, 255]);
            }
        }
        // The model blends a few pixels beyond the edge too: the band outside is not counted.
        for x in 8..32 {
            result.put_pixel(x, 9, Rgba([0, 255, 0, 255]));
        }
        let kept = keep_outside(&original, &result, &mask, 4.0);
        assert_eq!(kept.changed_outside, 0.0);
        // Small differences (compression) are not changes either; a quarter changed is.
        let mut noisy = original.clone();
        noisy.pixels_mut().for_each(|p| p[0] = p[0].saturating_add(TOLERANCE));
        assert_eq!(changed_outside(&original, &noisy, &mask, 4.0), 0.0);
        let mut some = original.clone();
        some.rows_mut().take(10).flatten().for_each(|p| p[1] ^= 0x80);
        let share = changed_outside(&original, &some, &mask, 4.0);
        // Outside and beyond the band: 40×40 minus the 28×28 square around the mask, give or take
        // its rounded corners; of it, what is in rows 0..10 changed.
        let weights = weights(&mask, 4.0);
        let measured = weights.iter().filter(|w| **w == MEASURED).count();
        assert!((816..816 + 4 * 16).contains(&measured), "{measured}");
        let in_rows = weights[..10 * w as usize].iter().filter(|w| **w == MEASURED).count();
        assert!((240 + 2 * 4 * 6..240 + 2 * 4 * 10).contains(&in_rows), "{in_rows}");
        assert!((share - in_rows as f32 / measured as f32).abs() < 1e-6, "{share}");
    }

    #[test]
    fn a_result_of_another_size_is_scaled_to_the_original_first() {
        let original = RgbaImage::from_pixel(60, 40, Rgba([0, 0, 0, 255]));
        // Twice the size, same proportions: left half red, right half blue.
        let result =
            RgbaImage::from_fn(120, 80, |x, _| if x < 60 { Rgba([255, 0, 0, 255]) } else { Rgba([0, 0, 255, 255]) });
        let everything = Coverage::from_pixel(60, 40, Luma([1.0]));
        let kept = keep_outside(&original, &result, &everything, 4.0);
        assert_eq!((kept.picture.dimensions(), kept.scaled_from), ((60, 40), Some((120, 80))));
        assert_eq!(kept.picture.get_pixel(10, 20), &Rgba([255, 0, 0, 255]));
        assert_eq!(kept.picture.get_pixel(50, 20), &Rgba([0, 0, 255, 255]));
        // Other proportions: 90×40 covers 60×40 when cropped by 15 on each side, nothing stretched.
        let wide = RgbaImage::from_fn(90, 40, |x, _| {
            if (15..75).contains(&x) { Rgba([9, 9, 9, 255]) } else { Rgba([0, 255, 0, 255]) }
        });
        let kept = keep_outside(&original, &wide, &everything, 0.0);
        assert!(kept.picture.pixels().all(|p| p == &Rgba([9, 9, 9, 255])), "the sides were cropped");
        // A mask of another size is scaled too.
        let small_mask = rect_mask(30, 20, (0, 0, 15, 20));
        let kept = keep_outside(&original, &result, &small_mask, 0.0);
        assert_eq!(kept.picture.get_pixel(5, 5), &Rgba([255, 0, 0, 255]));
        assert_eq!(kept.picture.get_pixel(50, 5), &Rgba([0, 0, 0, 255]));
    }

    #[test]
    fn both_kinds_of_mask_become_the_same_coverage() {
        let (w, h) = (8, 4);
        let change = |x: u32| x >= 4;
        // OpenAI's: transparent where to change.
        let alpha = RgbaImage::from_fn(w, h, |x, _| Rgba([0, 0, 0, if change(x) { 0 } else { 255 }]));
        // A paint program's: white where to change, saved with JPEG's noise.
        let bw = RgbaImage::from_fn(w, h, |x, y| {
            let v = if change(x) { 250 - y as u8 } else { 3 + y as u8 };
            Rgba([v, v, v, 255])
        });
        let expected = Coverage::from_fn(w, h, |x, _| Luma([if change(x) { 1.0 } else { 0.0 }]));
        assert_eq!(mask_from_picture(&alpha), expected);
        assert_eq!(mask_from_picture(&bw), expected);
        // Greys in between stay in between, in both kinds.
        let grey = mask_from_picture(&RgbaImage::from_pixel(1, 1, Rgba([128, 128, 128, 255])));
        let half = mask_from_picture(&RgbaImage::from_pixel(1, 1, Rgba([0, 0, 0, 127])));
        assert!((grey.get_pixel(0, 0)[0] - 128.0 / 255.0).abs() < 1e-6);
        assert_eq!(grey, half);
    }

    #[test]
    fn distances_are_euclidean_up_to_the_reach_and_larger_beyond() {
        // 0 = a seed; a 7×5 picture with one seed in the middle and one in a corner.
        let mut coverage = vec![1.0; 35];
        coverage[2 * 7 + 3] = 0.0;
        coverage[0] = 0.0;
        let columns = column_distances(&coverage, 7, 2, |c| c <= 0.0);
        assert_eq!(&columns[..7], &[0, 3, 3, 2, 3, 3, 3], "capped at reach + 1");
        let mut row = vec![0; 7];
        squared_distances(&columns[..7], 2, &mut row);
        assert_eq!(row, [0, 1, 4, 4, 5, 8, 9], "exact within the reach (2² = 4), larger beyond");
        squared_distances(&columns[14..21], 2, &mut row);
        assert_eq!(row, [4, 4, 1, 0, 1, 4, 9]);
        let none = column_distances(&[1.0; 4], 2, 3, |c| c <= 0.0);
        assert_eq!(none, [4; 4]);
    }

    #[test]
    fn edge_cases_never_panic() {
        let one = RgbaImage::from_pixel(1, 1, Rgba([1, 2, 3, 4]));
        let empty = RgbaImage::new(0, 0);
        for (original, result) in [(&one, &empty), (&empty, &one), (&one, &one), (&empty, &empty)] {
            for mask in [Coverage::new(0, 0), Coverage::from_pixel(1, 1, Luma([1.0])), Coverage::new(3, 1)] {
                for feather in [0.0, 4.0, -1.0, f32::NAN, f32::INFINITY] {
                    let kept = keep_outside(original, result, &mask, feather);
                    assert_eq!(kept.picture.dimensions(), original.dimensions());
                    assert!((0.0..=1.0).contains(&kept.changed_outside));
                }
            }
        }
    }
}
