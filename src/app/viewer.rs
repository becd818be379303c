//! The full-size viewer's state: which picture, its texture once decoded, the zoom and pan
//! the viewer (`ui::viewer`) changes as the user scrolls and drags, and for a change, the
//! before/after wipe with the picture it was made from.

use super::background::reply;
use super::thumbs::decode_file;
use super::zoom::ZoomPan;
use super::{App, Command, PictureId, Problem};
use crate::library::PictureError;
use eframe::egui;
use std::path::Path;
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
    /// The before/after wipe, while it is on.
    pub before_after: Option<BeforeAfter>,
}

impl Viewer {
    /// A viewer of `picture`, fitted, waiting for its pixels.
    pub fn new(picture: PictureId) -> Viewer {
        Viewer { picture, texture: None, error: None, zoom: ZoomPan::new(), pixels: None, before_after: None }
    }
}

/// A change and the picture it was made from in one frame, before on the left of a divider
/// and after on the right, as a comparison's A/B wipe (zoom and pan are the viewer's).
pub struct BeforeAfter {
    /// The picture the one shown was changed from.
    pub before: PictureId,
    /// Its texture, once read and decoded off the UI thread.
    pub texture: Option<egui::TextureHandle>,
    pub error: Option<Problem>,
    /// Where the divider is, as a fraction of the width.
    pub split: f32,
    /// A drag that began on the divider moves it (and not the pictures) until released.
    pub dragging_divider: bool,
    /// Its reading has been started.
    requested: bool,
}

impl BeforeAfter {
    /// The wipe with `before` on the left, the divider in the middle, its picture to be read.
    pub fn new(before: PictureId) -> BeforeAfter {
        BeforeAfter { before, texture: None, error: None, split: 0.5, dragging_divider: false, requested: false }
    }
}

impl App {
    /// Starts reading the "before" picture of a wipe just turned on, off the UI thread.
    pub(super) fn load_before_picture(&mut self) {
        let Some(wipe) = self.viewer.as_ref().and_then(|v| v.before_after.as_ref()).filter(|w| !w.requested) else {
            return;
        };
        let Some(path) = self.picture(wipe.before).map(|g| g.saved.path.clone()) else {
            // Gone from the gallery (its folder moved, say): nothing to compare with.
            if let Some(v) = self.viewer.as_mut() {
                v.before_after = None;
            }
            return;
        };
        if let Some(w) = self.viewer.as_mut().and_then(|v| v.before_after.as_mut()) {
            w.requested = true;
        }
        let asked = path.clone();
        self.background(
            move |app: &mut App| app.before_crashed(&asked),
            move || {
                let result = decode_file(&path);
                reply(move |app, ctx| app.before_picture(ctx, &path, result))
            },
        );
    }

    /// The "before" picture arrived (or could not be read), for the wipe that asked if still on.
    pub(super) fn before_picture(
        &mut self,
        ctx: &egui::Context,
        path: &Path,
        result: Result<egui::ColorImage, PictureError>,
    ) {
        let wanted = self.viewer.as_ref().and_then(|v| v.before_after.as_ref()).map(|w| w.before);
        if wanted.and_then(|id| self.picture(id)).is_none_or(|g| g.saved.path != path) {
            return;
        }
        let Some(w) = self.viewer.as_mut().and_then(|v| v.before_after.as_mut()) else { return };
        match result {
            Ok(image) => {
                w.texture =
                    Some(ctx.load_texture(format!("before-{}", path.display()), image, egui::TextureOptions::LINEAR));
            }
            Err(e) => w.error = Some(e.into()),
        }
    }

    /// Reading the "before" picture panicked: the wipe says so rather than spin.
    pub(super) fn before_crashed(&mut self, path: &Path) {
        let wanted = self.viewer.as_ref().and_then(|v| v.before_after.as_ref()).map(|w| w.before);
        if wanted.and_then(|id| self.picture(id)).is_some_and(|g| g.saved.path == path)
            && let Some(w) = self.viewer.as_mut().and_then(|v| v.before_after.as_mut())
        {
            w.error = Some(Problem::Internal);
        }
    }

    /// The viewer's full-size picture arrived (or could not be read).
    pub(super) fn full_picture(
        &mut self,
        ctx: &egui::Context,
        path: &std::path::Path,
        result: Result<egui::ColorImage, PictureError>,
    ) {
        let Some(shown) = self.viewer.as_ref().and_then(|v| self.picture(v.picture)).map(|g| g.saved.path.clone())
        else {
            return;
        };
        // An answer for a picture the viewer has since left.
        if shown != path {
            return;
        }
        let Some(v) = &mut self.viewer else { return };
        match result {
            Ok(image) => {
                let name = format!("full-{}", path.display());
                v.texture = Some(ctx.load_texture(name, image.clone(), egui::TextureOptions::LINEAR));
                v.pixels = Some(Arc::new(image));
            }
            Err(e) => v.error = Some(e.into()),
        }
    }

    /// Reading the viewer's picture `path` panicked: the viewer says it could not be shown.
    pub(super) fn full_picture_failed(&mut self, path: &std::path::Path) {
        let shows = self.viewer.as_ref().and_then(|v| self.picture(v.picture)).is_some_and(|g| g.saved.path == path);
        if let Some(v) = self.viewer.as_mut().filter(|_| shows) {
            v.error = Some(Problem::Internal);
        }
    }

    /// Runs a command of the viewer.
    pub(super) fn run_viewer(&mut self, command: Command) {
        match command {
            Command::OpenViewer(id) => self.open_viewer(id),
            Command::CloseViewer => self.viewer = None,
            Command::ViewerStep(step) => {
                if let Some(next) = self.viewer.as_ref().and_then(|v| self.neighbour(v.picture, step)) {
                    self.open_viewer(next);
                }
            }
            _ => {}
        }
    }

    pub(super) fn open_viewer(&mut self, id: PictureId) {
        let Some(item) = self.picture(id) else { return };
        let path = item.saved.path.clone();
        self.viewer = Some(Viewer::new(id));
        // The full picture is read and decoded off the UI thread.
        let shown = path.clone();
        let crashed = move |app: &mut App| app.full_picture_failed(&shown);
        self.background(crashed, move || {
            let result = super::thumbs::decode_file(&path);
            reply(move |app, ctx| app.full_picture(ctx, &path, result))
        });
    }
}
