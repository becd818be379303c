//! The mask painter's state (issue 14): which picture, its texture once decoded, the painted area
//! (a [`Canvas`] of one byte per picture pixel), the overlay texture that shows it, the tool, the
//! brush's size and the zoom. Painted means "the model may change this"; the mask sent with an
//! edit ([`MaskSnapshot::to_png`]) is the picture's size, transparent where painted.
//!
//! Painting a 3840×2160 picture stays within a frame: a stroke changes the bytes it touches, and
//! the overlay texture is updated in place with the rows that changed ([`MaskPainter::upload`]),
//! never built again whole, except once for Clear and Invert, which change all of it.

mod canvas;

pub use canvas::{Canvas, MAX_STEPS, MAX_UNDO_BYTES, OverlayPatch};

use super::App;
use super::Problem;
use super::background::reply;
use super::zoom::ZoomPan;
use crate::library::PictureError;
use eframe::egui;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The brush's diameter in points on screen: least, first, most. On screen rather than in
/// picture pixels, so that the circle under the pointer is as large as the slider says whatever
/// the zoom and the picture's size: zooming in is how one paints finer detail, as with a pen.
pub const BRUSH_POINTS: (f32, f32, f32) = (4.0, 40.0, 300.0);

/// What a primary drag does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tool {
    Brush,
    Eraser,
    /// Paints the rectangle dragged out.
    Rectangle,
}

/// The picture decoded and a transparent overlay of its size, both made off the UI thread.
pub struct Loaded {
    picture: egui::ColorImage,
    overlay: egui::ColorImage,
}

impl Loaded {
    /// Reads and decodes `path` and makes the empty overlay (on a worker thread).
    pub(super) fn read(path: &Path) -> Result<Loaded, PictureError> {
        let picture = super::thumbs::decode_file(path)?;
        let overlay = egui::ColorImage::filled(picture.size, egui::Color32::TRANSPARENT);
        Ok(Loaded { picture, overlay })
    }
}

/// The painter: a picture, its mask and how it is being painted.
pub struct MaskPainter {
    picture: PathBuf,
    /// The mask, once the picture's size is known.
    canvas: Option<Canvas>,
    pub texture: Option<egui::TextureHandle>,
    overlay: Option<egui::TextureHandle>,
    pub error: Option<Problem>,
    pub tool: Tool,
    /// The brush's diameter in points on screen (see [`BRUSH_POINTS`]).
    pub brush_points: f32,
    /// Fitted or zoomed, and where.
    pub zoom: ZoomPan,
    /// Where the stroke under way last reached, in picture pixels; a rectangle's first corner.
    stroke_at: Option<egui::Pos2>,
}

impl MaskPainter {
    /// A painter of the picture at `path`, waiting for its pixels.
    pub(super) fn new(picture: PathBuf) -> MaskPainter {
        MaskPainter {
            picture,
            canvas: None,
            texture: None,
            overlay: None,
            error: None,
            tool: Tool::Brush,
            brush_points: BRUSH_POINTS.1,
            zoom: ZoomPan::new(),
            stroke_at: None,
        }
    }

    /// The picture file painted over.
    pub fn picture(&self) -> &Path {
        &self.picture
    }

    /// The picture's size in pixels, once it is decoded.
    pub fn pixel_size(&self) -> Option<[u32; 2]> {
        self.canvas.as_ref().map(|c| [c.width(), c.height()])
    }

    /// Nothing is painted.
    pub fn is_empty(&self) -> bool {
        self.canvas.as_ref().is_none_or(|c| c.painted() == 0)
    }

    /// The share of the picture painted, 0 to 1, as of the last finished stroke.
    pub fn painted_fraction(&self) -> f32 {
        match &self.canvas {
            Some(c) if c.width() > 0 && c.height() > 0 => {
                (c.painted() as f64 / (f64::from(c.width()) * f64::from(c.height()))) as f32
            }
            _ => 0.0,
        }
    }

    /// Whether the pixel at `x`, `y` is painted.
    pub fn coverage_at(&self, x: u32, y: u32) -> bool {
        self.canvas.as_ref().is_some_and(|c| c.coverage_at(x, y))
    }

    /// The mask as it is now, for a background thread: shares the pixels, copies nothing.
    pub fn snapshot(&self) -> MaskSnapshot {
        match &self.canvas {
            Some(c) => MaskSnapshot { width: c.width(), height: c.height(), coverage: c.shared() },
            None => MaskSnapshot { width: 0, height: 0, coverage: Arc::new(Vec::new()) },
        }
    }

    pub fn can_undo(&self) -> bool {
        self.canvas.as_ref().is_some_and(Canvas::can_undo)
    }

    pub fn can_redo(&self) -> bool {
        self.canvas.as_ref().is_some_and(Canvas::can_redo)
    }

    /// The picture and the overlay arrived (or the picture could not be read).
    pub(super) fn loaded(&mut self, ctx: &egui::Context, result: Result<Loaded, PictureError>) {
        match result {
            Ok(Loaded { picture, overlay }) => {
                let [w, h] = picture.size;
                let name = self.picture.display().to_string();
                self.texture =
                    Some(ctx.load_texture(format!("mask-picture-{name}"), picture, egui::TextureOptions::LINEAR));
                self.overlay =
                    Some(ctx.load_texture(format!("mask-overlay-{name}"), overlay, egui::TextureOptions::LINEAR));
                self.canvas = Some(Canvas::new(w as u32, h as u32));
            }
            Err(e) => self.error = Some(e.into()),
        }
    }

    /// Whether the picture is still being read.
    pub(super) fn waiting(&self) -> bool {
        self.canvas.is_none() && self.error.is_none()
    }

    /// The overlay's texture: white where painted, to be drawn tinted over the picture.
    pub fn overlay(&self) -> Option<egui::TextureId> {
        self.overlay.as_ref().map(egui::TextureHandle::id)
    }

    /// Continues the stroke under way (or starts one) to `at`, in picture pixels, with the
    /// brush or the eraser `radius` pixels wide.
    pub fn stroke_to(&mut self, at: egui::Pos2, radius: f32) {
        let paint = self.tool != Tool::Eraser;
        let Some(canvas) = &mut self.canvas else { return };
        let from = self.stroke_at.unwrap_or(at);
        canvas.stamp_segment(from, at, radius, paint);
        self.stroke_at = Some(at);
    }

    /// Where the stroke or rectangle under way began or last reached, in picture pixels.
    pub fn stroke_at(&self) -> Option<egui::Pos2> {
        self.stroke_at
    }

    /// Starts a rectangle at `at` (picture pixels); [`Self::end_rectangle`] paints it.
    pub fn begin_rectangle(&mut self, at: egui::Pos2) {
        self.stroke_at = Some(at);
    }

    /// Paints the rectangle from where it began to `at`, as one step.
    pub fn end_rectangle(&mut self, at: egui::Pos2) {
        if let (Some(from), Some(canvas)) = (self.stroke_at.take(), &mut self.canvas) {
            canvas.fill_rect(from, at, true);
            canvas.end_stroke();
        }
    }

    /// Ends the stroke under way: it becomes one step of undo.
    pub fn end_stroke(&mut self) {
        self.stroke_at = None;
        if let Some(c) = &mut self.canvas {
            c.end_stroke();
        }
    }

    pub fn undo(&mut self) {
        self.stroke_at = None;
        if let Some(c) = &mut self.canvas {
            c.undo();
        }
    }

    pub fn redo(&mut self) {
        self.stroke_at = None;
        if let Some(c) = &mut self.canvas {
            c.redo();
        }
    }

    pub fn clear(&mut self) {
        self.stroke_at = None;
        if let Some(c) = &mut self.canvas {
            c.clear();
        }
    }

    pub fn invert(&mut self) {
        self.stroke_at = None;
        if let Some(c) = &mut self.canvas {
            c.invert();
        }
    }

    /// Updates the overlay texture in place with what changed since the last frame.
    pub fn upload(&mut self) {
        let (Some(canvas), Some(overlay)) = (&mut self.canvas, &mut self.overlay) else { return };
        for patch in canvas.overlay_patches() {
            overlay.set_partial(patch.pos, patch.image, egui::TextureOptions::LINEAR);
        }
    }
}

/// The mask at one moment, shared with the painter until it paints again.
#[derive(Clone)]
pub struct MaskSnapshot {
    pub width: u32,
    pub height: u32,
    coverage: Arc<Vec<u8>>,
}

impl MaskSnapshot {
    /// The mask the API takes: an RGBA PNG of the picture's size, transparent (alpha 0) where
    /// painted and opaque black elsewhere. Black, so that a reader going by brightness (an
    /// unpainted mask has no transparency to go by) also reads "keep". Empty for a painter whose
    /// picture never arrived.
    pub fn to_png(&self) -> Vec<u8> {
        let mut bytes = Vec::new();
        if self.width == 0 || self.height == 0 {
            return bytes;
        }
        let mut encoder = png::Encoder::new(&mut bytes, self.width, self.height);
        encoder.set_color(png::ColorType::Rgba);
        encoder.set_compression(png::Compression::Fast);
        // Writing to memory fails only on a size the header cannot hold, which no picture has.
        let mut writer = encoder.write_header().expect("a PNG header for a picture's size");
        let mut stream = writer.stream_writer().expect("a PNG stream in memory");
        let mut row = vec![0u8; self.width as usize * 4];
        for line in self.coverage.chunks_exact(self.width as usize) {
            for (px, &c) in row.chunks_exact_mut(4).zip(line) {
                px[3] = 255 - c;
            }
            std::io::Write::write_all(&mut stream, &row).expect("writing to memory");
        }
        stream.finish().expect("finishing a PNG in memory");
        drop(writer);
        bytes
    }
}

/// The painter's commands: opening it over a picture, closing it (its mask kept or forgotten).
impl App {
    /// Runs a command of the painter.
    pub(super) fn run_painter(&mut self, ctx: &egui::Context, command: super::Command) {
        match command {
            super::Command::OpenPainter(path) => self.open_painter(ctx, path),
            super::Command::ClosePainter => self.close_painter(ctx, false),
            super::Command::ForgetMask => self.close_painter(ctx, true),
            _ => {}
        }
    }

    pub(super) fn open_painter(&mut self, ctx: &egui::Context, path: PathBuf) {
        self.painting = true;
        // The view changes under the pointer: drawn at once, not at the next input.
        ctx.request_repaint();
        let same = self.painter.as_ref().is_some_and(|p| p.picture() == path && p.error.is_none());
        if same {
            return;
        }
        self.painter = Some(super::mask::MaskPainter::new(path.clone()));
        // The picture is read and decoded off the UI thread, its empty overlay made there too.
        let shown = path.clone();
        let crashed = move |app: &mut App| {
            if let Some(p) = app.painter_waiting_for(&shown) {
                p.error = Some(Problem::Internal);
            }
        };
        let read = move || {
            let result = super::mask::Loaded::read(&path);
            // Only for the painter that asked: another may have replaced it meanwhile.
            reply(move |app, ctx| {
                if let Some(p) = app.painter_waiting_for(&path) {
                    p.loaded(ctx, result);
                }
            })
        };
        if !self.background(crashed, read)
            && let Some(p) = &mut self.painter
        {
            p.error = Some(Problem::Internal);
        }
    }

    /// The painter still waiting for the picture at `path`: another may have replaced it meanwhile.
    fn painter_waiting_for(&mut self, path: &Path) -> Option<&mut super::mask::MaskPainter> {
        self.painter.as_mut().filter(|p| p.picture() == path && p.waiting())
    }

    /// Hides the painter, keeping its mask unless `forget`.
    fn close_painter(&mut self, ctx: &egui::Context, forget: bool) {
        self.painting = false;
        if forget {
            self.painter = None;
        }
        ctx.request_repaint();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn painter(w: u32, h: u32) -> MaskPainter {
        let mut p = MaskPainter::new(PathBuf::from("picture.png"));
        p.canvas = Some(Canvas::new(w, h));
        p
    }

    #[test]
    fn the_png_is_transparent_exactly_where_painted_and_reads_back_as_the_painted_area() {
        let mut p = painter(120, 90);
        p.stroke_to(egui::pos2(10.0, 10.0), 5.0);
        p.stroke_to(egui::pos2(100.0, 70.0), 5.0);
        p.end_stroke();
        p.tool = Tool::Rectangle;
        p.begin_rectangle(egui::pos2(80.0, 5.0));
        p.end_rectangle(egui::pos2(110.0, 20.0));
        let png = p.snapshot().to_png();
        let decoded = image::load_from_memory(&png).unwrap().to_rgba8();
        assert_eq!(decoded.dimensions(), (120, 90), "the picture's size");
        let coverage = crate::library::edit::mask_from_picture(&decoded);
        for y in 0..90 {
            for x in 0..120 {
                let want = if p.coverage_at(x, y) { 1.0 } else { 0.0 };
                assert_eq!(coverage.get_pixel(x, y).0[0], want, "({x}, {y})");
                assert_eq!(decoded.get_pixel(x, y).0[3], if want == 1.0 { 0 } else { 255 });
            }
        }
        assert!(p.coverage_at(95, 10) && p.coverage_at(50, 38) && !p.coverage_at(10, 80));
        let share = p.painted_fraction();
        let counted = (0..90).flat_map(|y| (0..120).map(move |x| (x, y))).filter(|&(x, y)| p.coverage_at(x, y)).count();
        assert!((share - counted as f32 / (120.0 * 90.0)).abs() < 1e-6);
    }

    #[test]
    fn an_unpainted_mask_reads_back_as_keep_everything() {
        let p = painter(16, 8);
        assert!(p.is_empty());
        let decoded = image::load_from_memory(&p.snapshot().to_png()).unwrap().to_rgba8();
        assert!(crate::library::edit::mask_from_picture(&decoded).pixels().all(|c| c.0[0] == 0.0));
    }

    #[test]
    fn a_snapshot_keeps_its_moment_while_painting_goes_on() {
        let mut p = painter(50, 50);
        p.stroke_to(egui::pos2(10.0, 10.0), 3.0);
        p.end_stroke();
        let before = p.snapshot();
        p.stroke_to(egui::pos2(40.0, 40.0), 3.0);
        p.end_stroke();
        let decoded = image::load_from_memory(&before.to_png()).unwrap().to_rgba8();
        assert_eq!(decoded.get_pixel(10, 10).0[3], 0);
        assert_eq!(decoded.get_pixel(40, 40).0[3], 255, "painted after the snapshot");
        assert!(p.coverage_at(40, 40));
    }
}
