//! The full-size viewer's state: which picture, its texture once decoded, and the zoom and pan
//! the viewer (`ui::viewer`) changes as the user scrolls and drags.

use super::zoom::ZoomPan;
use super::{PictureId, Problem};
use eframe::egui;
use std::sync::Arc;

/// The full-size viewer's state.
pub struct Viewer {
    /// The picture shown.
    pub picture: PictureId,
    pub texture: Option<egui::TextureHandle>,
    pub error: Option<Problem>,
    /// Fitted or zoomed, and where.
    pub zoom: ZoomPan,
    /// The decoded picture, kept for Copy.
    pub pixels: Option<Arc<egui::ColorImage>>,
}

impl Viewer {
    /// A viewer of `picture`, fitted, waiting for its pixels.
    pub(super) fn new(picture: PictureId) -> Viewer {
        Viewer { picture, texture: None, error: None, zoom: ZoomPan::new(), pixels: None }
    }
}
