//! The full-size viewer's state: which picture, its texture once decoded, and the zoom and pan
//! the viewer (`ui::viewer`) changes as the user scrolls and drags.

use super::{PictureId, Problem};
use eframe::egui;
use std::sync::Arc;

/// The least and most a picture is shown at, in screen points per picture pixel.
const MIN_ZOOM: f32 = 0.05;
const MAX_ZOOM: f32 = 16.0;

/// The full-size viewer's state.
pub struct Viewer {
    /// The picture shown.
    pub picture: PictureId,
    pub texture: Option<egui::TextureHandle>,
    pub error: Option<Problem>,
    /// `None` fits the picture to the window; otherwise screen points per picture pixel.
    pub zoom: Option<f32>,
    pub pan: egui::Vec2,
    /// The size of the area the picture was last drawn into.
    pub area: egui::Vec2,
    /// The decoded picture, kept for Copy.
    pub pixels: Option<Arc<egui::ColorImage>>,
}

impl Viewer {
    /// A viewer of `picture`, fitted, waiting for its pixels.
    pub(super) fn new(picture: PictureId) -> Viewer {
        Viewer {
            picture,
            texture: None,
            error: None,
            zoom: None,
            pan: egui::Vec2::ZERO,
            area: egui::vec2(800.0, 600.0),
            pixels: None,
        }
    }

    /// The scale at which the picture fits the area last drawn into (never enlarged).
    pub fn fit_scale(&self, size: egui::Vec2) -> f32 {
        let area = self.area;
        (area.x / size.x).min(area.y / size.y).clamp(MIN_ZOOM, 1.0)
    }

    /// The scale the picture is drawn at now.
    pub fn scale(&self, size: egui::Vec2) -> f32 {
        self.zoom.unwrap_or_else(|| self.fit_scale(size))
    }

    /// Fits the picture to the window again.
    pub fn fit(&mut self) {
        self.zoom = None;
        self.pan = egui::Vec2::ZERO;
    }

    /// One picture pixel per screen point.
    pub fn actual_size(&mut self) {
        self.zoom = Some(1.0);
        self.pan = egui::Vec2::ZERO;
    }

    /// Multiplies the zoom, keeping the point under `anchor` (relative to the centre) in place.
    pub fn zoom_by(&mut self, factor: f32, anchor: Option<egui::Vec2>) {
        let Some(size) = self.texture.as_ref().map(egui::TextureHandle::size_vec2) else { return };
        let current = self.scale(size);
        let next = (current * factor).clamp(MIN_ZOOM, MAX_ZOOM);
        let anchor = anchor.unwrap_or(egui::Vec2::ZERO);
        self.pan = anchor - (anchor - self.pan) * (next / current);
        self.zoom = Some(next);
    }
}
