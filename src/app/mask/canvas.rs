//! The mask's pixels and their history, without a window: one byte per picture pixel (0 kept,
//! 255 painted), strokes stamped straight into it, undo kept as the tiles a step changed, and the
//! overlay's changed rows handed out as small patches for the texture. Everything a frame of
//! painting does costs as much as the area the pointer touched, never the whole picture.

use eframe::egui;
use std::sync::Arc;

/// The side of the square tiles undo keeps, and the height of the bands the overlay is updated
/// in: 4 kB a tile, small enough that a thin diagonal stroke keeps little more than it touched.
const TILE: u32 = 64;
/// The most undo steps kept, and the most bytes they may take (the oldest go first).
pub const MAX_STEPS: usize = 64;
pub const MAX_UNDO_BYTES: usize = 256 << 20;
/// The least radius stamped, in picture pixels: the pixel under the pointer is always painted
/// (no pixel centre is further than √½ from a point), however far the picture is zoomed in.
const MIN_RADIUS: f32 = 0.75;

const PAINTED: u8 = 255;

/// A tile as it was before a step and after it.
struct TilePatch {
    tile: usize,
    before: Box<[u8]>,
    after: Box<[u8]>,
}

/// What undo and redo replay.
enum Step {
    Tiles(Vec<TilePatch>),
    /// Its own opposite, so it keeps no pixels.
    Invert,
}

impl Step {
    fn bytes(&self) -> usize {
        match self {
            Step::Tiles(tiles) => tiles.iter().map(|t| t.before.len() + t.after.len()).sum(),
            Step::Invert => 0,
        }
    }
}

/// The tiles a stroke has touched so far, as they were before it.
struct Stroke {
    before: Vec<Option<Box<[u8]>>>,
    touched: Vec<usize>,
}

/// A rectangle of the overlay to upload: where it goes and its pixels.
pub struct OverlayPatch {
    pub pos: [usize; 2],
    pub image: egui::ColorImage,
}

/// The mask's pixels, their undo history and what the overlay has not yet been told.
pub struct Canvas {
    width: u32,
    height: u32,
    /// Shared with snapshots; copied only if painted while a snapshot is still held.
    coverage: Arc<Vec<u8>>,
    /// Pixels painted, as of the last finished step.
    painted: u64,
    /// For each band of `TILE` rows, the columns changed since the overlay was last updated.
    dirty: Vec<Option<(u32, u32)>>,
    stroke: Option<Stroke>,
    undo: Vec<Step>,
    redo: Vec<Step>,
}

impl Canvas {
    /// An unpainted mask of `width`×`height` pixels.
    pub fn new(width: u32, height: u32) -> Canvas {
        Canvas {
            width,
            height,
            coverage: Arc::new(vec![0; width as usize * height as usize]),
            painted: 0,
            dirty: vec![None; height.div_ceil(TILE) as usize],
            stroke: None,
            undo: Vec::new(),
            redo: Vec::new(),
        }
    }

    pub fn width(&self) -> u32 {
        self.width
    }

    pub fn height(&self) -> u32 {
        self.height
    }

    /// The coverage, shared: one byte a pixel, row by row, 255 where painted.
    pub fn shared(&self) -> Arc<Vec<u8>> {
        self.coverage.clone()
    }

    pub fn coverage_at(&self, x: u32, y: u32) -> bool {
        x < self.width && y < self.height && self.coverage[(y * self.width + x) as usize] == PAINTED
    }

    /// Pixels painted as of the last finished stroke or step.
    pub fn painted(&self) -> u64 {
        self.painted
    }

    pub fn can_undo(&self) -> bool {
        !self.undo.is_empty()
    }

    pub fn can_redo(&self) -> bool {
        !self.redo.is_empty()
    }

    /// Paints (or with `paint` false, erases) every pixel whose centre lies within `radius` of
    /// the segment from `a` to `b` (picture pixels): the discs of every point along it, so a fast
    /// drag leaves no gaps between frames. Starts a stroke if none is under way.
    pub fn stamp_segment(&mut self, a: egui::Pos2, b: egui::Pos2, radius: f32, paint: bool) {
        let r = radius.max(MIN_RADIUS);
        let top = ((a.y.min(b.y) - r).floor().max(0.0)) as u32;
        let bottom = ((a.y.max(b.y) + r).ceil().max(0.0) as u32).min(self.height);
        let value = if paint { PAINTED } else { 0 };
        for y in top..bottom {
            if let Some((lo, hi)) = capsule_row(a, b, r, y as f32 + 0.5) {
                self.fill_span(y, lo, hi, value);
            }
        }
    }

    /// Paints (or erases) the pixels whose centres lie between the corners `a` and `b`.
    pub fn fill_rect(&mut self, a: egui::Pos2, b: egui::Pos2, paint: bool) {
        let value = if paint { PAINTED } else { 0 };
        let (min, max) = (a.min(b), a.max(b));
        let top = (min.y.round().max(0.0) as u32).min(self.height);
        let bottom = (max.y.round().max(0.0) as u32).min(self.height);
        for y in top..bottom {
            self.fill_span(y, min.x, max.x, value);
        }
    }

    /// Fills the pixels of row `y` whose centres lie in `lo..=hi`.
    fn fill_span(&mut self, y: u32, lo: f32, hi: f32, value: u8) {
        let x0 = ((lo - 0.5).ceil().max(0.0) as u32).min(self.width);
        let x1 = (((hi - 0.5).floor() + 1.0).max(0.0) as u32).min(self.width);
        if x0 >= x1 {
            return;
        }
        self.keep_before(y, x0, x1);
        let row = (y * self.width) as usize;
        Arc::make_mut(&mut self.coverage)[row + x0 as usize..row + x1 as usize].fill(value);
        self.mark(y, x0, x1);
    }

    /// Keeps the tiles of row `y` between `x0` and `x1` as they are, the first time the stroke
    /// touches them, so that the step can be undone.
    fn keep_before(&mut self, y: u32, x0: u32, x1: u32) {
        let tiles_x = self.width.div_ceil(TILE);
        let ty = y / TILE;
        for tx in x0 / TILE..=(x1 - 1) / TILE {
            let tile = (ty * tiles_x + tx) as usize;
            let saved = self.stroke.as_ref().is_some_and(|s| s.before[tile].is_some());
            if saved {
                continue;
            }
            let bytes = self.read_tile(tile);
            let stroke = self.stroke.get_or_insert_with(|| Stroke {
                before: (0..tiles_x * self.height.div_ceil(TILE)).map(|_| None).collect(),
                touched: Vec::new(),
            });
            stroke.before[tile] = Some(bytes);
            stroke.touched.push(tile);
        }
    }

    /// Ends the stroke under way: it becomes one undo step, of the tiles it changed.
    pub fn end_stroke(&mut self) {
        let Some(stroke) = self.stroke.take() else { return };
        let mut before = stroke.before;
        let mut patches = Vec::new();
        for tile in stroke.touched {
            let Some(old) = before[tile].take() else { continue };
            let new = self.read_tile(tile);
            if old != new {
                patches.push(TilePatch { tile, before: old, after: new });
            }
        }
        if patches.is_empty() {
            return;
        }
        self.painted =
            self.painted + count(patches.iter().map(|p| &p.after)) - count(patches.iter().map(|p| &p.before));
        self.push(Step::Tiles(patches));
    }

    /// Takes every painted pixel away, as one step that can be undone.
    pub fn clear(&mut self) {
        self.end_stroke();
        if self.painted == 0 {
            return;
        }
        let tiles = (self.width.div_ceil(TILE) * self.height.div_ceil(TILE)) as usize;
        let mut patches = Vec::new();
        for tile in 0..tiles {
            let before = self.read_tile(tile);
            if before.iter().any(|&c| c != 0) {
                let after = vec![0; before.len()].into_boxed_slice();
                self.write_tile(tile, &after);
                patches.push(TilePatch { tile, before, after });
            }
        }
        self.painted = 0;
        self.push(Step::Tiles(patches));
    }

    /// Paints what was not painted and the other way round, as one step.
    pub fn invert(&mut self) {
        self.end_stroke();
        self.apply_invert();
        self.push(Step::Invert);
    }

    fn apply_invert(&mut self) {
        for c in Arc::make_mut(&mut self.coverage).iter_mut() {
            *c = PAINTED - *c;
        }
        self.painted = u64::from(self.width) * u64::from(self.height) - self.painted;
        self.mark_all();
    }

    /// Undoes the last step; false when there is none.
    pub fn undo(&mut self) -> bool {
        self.end_stroke();
        let Some(step) = self.undo.pop() else { return false };
        self.replay(&step, true);
        self.redo.push(step);
        true
    }

    /// Does again the last step undone; false when there is none.
    pub fn redo(&mut self) -> bool {
        self.end_stroke();
        let Some(step) = self.redo.pop() else { return false };
        self.replay(&step, false);
        self.undo.push(step);
        true
    }

    fn replay(&mut self, step: &Step, backwards: bool) {
        match step {
            Step::Tiles(patches) => {
                for p in patches {
                    let (from, to) = if backwards { (&p.after, &p.before) } else { (&p.before, &p.after) };
                    self.write_tile(p.tile, to);
                    self.painted = self.painted + count([to]) - count([from]);
                }
            }
            Step::Invert => self.apply_invert(),
        }
    }

    /// A new step: what was undone cannot be redone any more, and the oldest steps go when
    /// there are too many or they take too much memory.
    fn push(&mut self, step: Step) {
        self.redo.clear();
        self.undo.push(step);
        let mut bytes: usize = self.undo.iter().map(Step::bytes).sum();
        while self.undo.len() > MAX_STEPS || (bytes > MAX_UNDO_BYTES && self.undo.len() > 1) {
            bytes -= self.undo.remove(0).bytes();
        }
    }

    /// The overlay's changes since the last call, one patch per band of rows, tinted white with
    /// the coverage as alpha (premultiplied); the view colours it when it draws.
    pub fn overlay_patches(&mut self) -> Vec<OverlayPatch> {
        let mut patches = Vec::new();
        for (band, span) in self.dirty.iter_mut().enumerate() {
            let Some((x0, x1)) = span.take() else { continue };
            let y0 = band as u32 * TILE;
            let y1 = (y0 + TILE).min(self.height);
            let mut pixels = Vec::with_capacity(((x1 - x0) * (y1 - y0)) as usize);
            for y in y0..y1 {
                let row = (y * self.width) as usize;
                let coverage = &self.coverage[row + x0 as usize..row + x1 as usize];
                pixels.extend(coverage.iter().map(|&c| egui::Color32::from_white_alpha(c)));
            }
            let size = [(x1 - x0) as usize, (y1 - y0) as usize];
            patches.push(OverlayPatch { pos: [x0 as usize, y0 as usize], image: egui::ColorImage::new(size, pixels) });
        }
        patches
    }

    fn tile_rect(&self, tile: usize) -> (u32, u32, u32, u32) {
        let tiles_x = self.width.div_ceil(TILE);
        let (tx, ty) = (tile as u32 % tiles_x, tile as u32 / tiles_x);
        let (x0, y0) = (tx * TILE, ty * TILE);
        (x0, y0, (x0 + TILE).min(self.width), (y0 + TILE).min(self.height))
    }

    fn read_tile(&self, tile: usize) -> Box<[u8]> {
        let (x0, y0, x1, y1) = self.tile_rect(tile);
        let mut bytes = Vec::with_capacity(((x1 - x0) * (y1 - y0)) as usize);
        for y in y0..y1 {
            let row = (y * self.width) as usize;
            bytes.extend_from_slice(&self.coverage[row + x0 as usize..row + x1 as usize]);
        }
        bytes.into_boxed_slice()
    }

    fn write_tile(&mut self, tile: usize, bytes: &[u8]) {
        let (x0, y0, x1, y1) = self.tile_rect(tile);
        let w = (x1 - x0) as usize;
        let coverage = Arc::make_mut(&mut self.coverage);
        for (i, y) in (y0..y1).enumerate() {
            let row = (y * self.width) as usize;
            coverage[row + x0 as usize..row + x1 as usize].copy_from_slice(&bytes[i * w..(i + 1) * w]);
        }
        for y in (y0..y1).step_by(TILE as usize) {
            self.mark(y, x0, x1);
        }
    }

    /// Row `y`'s columns `x0..x1` changed.
    fn mark(&mut self, y: u32, x0: u32, x1: u32) {
        let span = &mut self.dirty[(y / TILE) as usize];
        *span = Some(span.map_or((x0, x1), |(a, b)| (a.min(x0), b.max(x1))));
    }

    fn mark_all(&mut self) {
        for span in &mut self.dirty {
            *span = Some((0, self.width));
        }
    }
}

/// Painted pixels in these tiles.
fn count<'a>(tiles: impl IntoIterator<Item = &'a Box<[u8]>>) -> u64 {
    tiles.into_iter().map(|t| t.iter().filter(|&&c| c == PAINTED).count() as u64).sum()
}

/// Where the line at height `y` crosses the capsule of radius `r` around the segment `a`–`b`:
/// the leftmost and rightmost `x`, or `None`. The capsule is convex and is the union of the two
/// end discs and the band between them, so the crossing runs from the least of their left ends
/// to the most of their right ones.
fn capsule_row(a: egui::Pos2, b: egui::Pos2, r: f32, y: f32) -> Option<(f32, f32)> {
    let disc = |c: egui::Pos2| {
        let dy = y - c.y;
        (dy.abs() <= r).then(|| {
            let half = (r * r - dy * dy).sqrt();
            (c.x - half, c.x + half)
        })
    };
    let mut span: Option<(f32, f32)> = None;
    let band = band_row(a, b, r, y);
    for piece in [disc(a), disc(b), band].into_iter().flatten() {
        span = Some(span.map_or(piece, |(lo, hi)| (lo.min(piece.0), hi.max(piece.1))));
    }
    span
}

/// The crossing of the line at height `y` with the band of points whose projection falls on the
/// segment and that lie within `r` of its line.
fn band_row(a: egui::Pos2, b: egui::Pos2, r: f32, y: f32) -> Option<(f32, f32)> {
    let d = b - a;
    let len = d.length();
    if len < 1e-4 {
        return None;
    }
    // Along the segment, 0..=len: (x − a.x)·d.x/len + (y − a.y)·d.y/len.
    let along = solve(d.x / len, (y - a.y) * d.y / len - a.x * d.x / len, 0.0, len)?;
    // Across it, −r..=r: (x − a.x)·d.y/len − (y − a.y)·d.x/len.
    let across = solve(d.y / len, -(y - a.y) * d.x / len - a.x * d.y / len, -r, r)?;
    let (lo, hi) = (along.0.max(across.0), along.1.min(across.1));
    (lo <= hi).then_some((lo, hi))
}

/// The `x` for which `lo ≤ k·x + c ≤ hi`, as an interval (unbounded when `k` is 0 and it holds).
fn solve(k: f32, c: f32, lo: f32, hi: f32) -> Option<(f32, f32)> {
    if k.abs() < 1e-6 {
        return (lo..=hi).contains(&c).then_some((f32::NEG_INFINITY, f32::INFINITY));
    }
    let (p, q) = ((lo - c) / k, (hi - c) / k);
    Some((p.min(q), p.max(q)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn painted(c: &Canvas) -> usize {
        (0..c.height()).flat_map(|y| (0..c.width()).map(move |x| (x, y))).filter(|&(x, y)| c.coverage_at(x, y)).count()
    }

    /// Every pixel whose centre is within `r` of the segment, counted the slow way.
    fn expected(w: u32, h: u32, a: egui::Pos2, b: egui::Pos2, r: f32) -> Vec<(u32, u32)> {
        let mut v = Vec::new();
        for y in 0..h {
            for x in 0..w {
                let p = egui::pos2(x as f32 + 0.5, y as f32 + 0.5);
                let d = b - a;
                let t = if d.length_sq() > 0.0 { ((p - a).dot(d) / d.length_sq()).clamp(0.0, 1.0) } else { 0.0 };
                if (p - (a + d * t)).length() <= r {
                    v.push((x, y));
                }
            }
        }
        v
    }

    #[test]
    fn a_segment_paints_exactly_the_pixels_within_the_radius_of_it() {
        let cases = [
            (egui::pos2(10.3, 12.7), egui::pos2(90.1, 60.2), 7.5),
            (egui::pos2(50.0, 5.0), egui::pos2(50.0, 70.0), 4.0),
            (egui::pos2(3.0, 40.0), egui::pos2(97.0, 40.0), 12.2),
            (egui::pos2(40.0, 40.0), egui::pos2(40.0, 40.0), 9.0),
            (egui::pos2(-20.0, -10.0), egui::pos2(130.0, 95.0), 15.0),
        ];
        for (a, b, r) in cases {
            let mut c = Canvas::new(100, 80);
            c.stamp_segment(a, b, r, true);
            c.end_stroke();
            let want = expected(100, 80, a, b, r);
            for &(x, y) in &want {
                assert!(c.coverage_at(x, y), "{a:?}–{b:?} r {r}: ({x}, {y}) not painted");
            }
            // Rounding at the very edge may differ by a hair; never by a whole ring of pixels.
            let got = painted(&c);
            assert!(got.abs_diff(want.len()) <= want.len() / 200 + 2, "{a:?}–{b:?} r {r}: {got} vs {}", want.len());
            assert_eq!(c.painted() as usize, got, "the count kept matches the pixels");
        }
    }

    #[test]
    fn a_tiny_brush_still_paints_the_pixel_under_it() {
        let mut c = Canvas::new(10, 10);
        c.stamp_segment(egui::pos2(4.9, 4.1), egui::pos2(4.9, 4.1), 0.01, true);
        c.end_stroke();
        assert!(c.coverage_at(4, 4));
    }

    #[test]
    fn undo_and_redo_replay_strokes_clear_and_invert() {
        let mut c = Canvas::new(300, 200);
        c.stamp_segment(egui::pos2(10.0, 10.0), egui::pos2(290.0, 190.0), 6.0, true);
        c.end_stroke();
        let first = painted(&c);
        c.fill_rect(egui::pos2(100.0, 20.0), egui::pos2(140.0, 50.0), true);
        c.end_stroke();
        let second = painted(&c);
        assert_eq!(second - first, 40 * 30, "the rectangle added its 1200 pixels (the stroke misses it)");
        c.stamp_segment(egui::pos2(0.0, 30.0), egui::pos2(300.0, 30.0), 3.0, false);
        c.end_stroke();
        assert!(!c.coverage_at(120, 30));
        c.invert();
        assert!(c.coverage_at(120, 30) && !c.coverage_at(120, 40));
        c.clear();
        assert_eq!((painted(&c), c.painted()), (0, 0));
        let mut counts = Vec::new();
        while c.undo() {
            counts.push((painted(&c), c.painted() as usize));
        }
        let (all, erased) = (300 * 200, counts[1].0);
        assert!(erased < second);
        assert_eq!(
            counts,
            vec![(all - erased, all - erased), (erased, erased), (second, second), (first, first), (0, 0)]
        );
        while c.redo() {}
        assert_eq!(painted(&c), 0, "all redone: cleared again");
        assert!(c.can_undo() && !c.can_redo());
    }

    #[test]
    fn a_new_stroke_after_undo_drops_the_redo_and_old_steps_go_past_the_cap() {
        let mut c = Canvas::new(64, 64);
        c.stamp_segment(egui::pos2(5.0, 5.0), egui::pos2(5.0, 5.0), 2.0, true);
        c.end_stroke();
        c.undo();
        c.stamp_segment(egui::pos2(30.0, 30.0), egui::pos2(30.0, 30.0), 2.0, true);
        c.end_stroke();
        assert!(!c.can_redo());
        for i in 0..MAX_STEPS + 10 {
            c.stamp_segment(egui::pos2(i as f32 % 64.0, 10.0), egui::pos2(i as f32 % 64.0, 50.0), 1.0, i % 2 == 0);
            c.end_stroke();
        }
        assert_eq!(c.undo.len(), MAX_STEPS);
    }

    #[test]
    fn an_undo_step_keeps_the_tiles_touched_not_the_picture() {
        let mut c = Canvas::new(3840, 2160);
        // A thin diagonal across the whole picture: its bounding box is all of it.
        c.stamp_segment(egui::pos2(0.0, 0.0), egui::pos2(3840.0, 2160.0), 4.0, true);
        c.end_stroke();
        let kept = c.undo[0].bytes();
        assert!(kept < 2 << 20, "{kept} bytes kept for a thin stroke");
    }

    #[test]
    fn the_overlay_is_told_only_the_rows_that_changed() {
        let mut c = Canvas::new(1000, 1000);
        assert!(c.overlay_patches().is_empty());
        c.stamp_segment(egui::pos2(500.0, 500.0), egui::pos2(520.0, 500.0), 10.0, true);
        let patches = c.overlay_patches();
        let area: usize = patches.iter().map(|p| p.image.size[0] * p.image.size[1]).sum();
        assert!(area <= 64 * 2 * 40, "{area} overlay pixels for a 40×20 dab");
        let p = &patches[0];
        let (x, y) = (505 - p.pos[0], 500 - p.pos[1]);
        assert_eq!(p.image.pixels[y * p.image.size[0] + x], egui::Color32::WHITE, "painted is opaque white");
        assert!(c.overlay_patches().is_empty(), "told once");
    }
}
