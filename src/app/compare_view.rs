//! The state of an open comparison's view: the zoom and pan every cell shares, 1:1, and the
//! A/B wipe. The comparison view (`ui::compare`) changes it as the user drags and scrolls.

use eframe::egui;

/// The most a picture is enlarged past fitting its cell.
const MAX_ZOOM: f32 = 32.0;

/// The zoom and pan every cell shares, and the wipe.
#[derive(Debug, Clone, PartialEq)]
pub struct CompareView {
    /// Times the scale at which a picture fits its cell (1 = it fits).
    pub zoom: f32,
    /// Picture pixels shown as screen pixels, whatever `zoom` says.
    pub actual_size: bool,
    /// The point of every picture shown at the centre of its cell, as fractions of its
    /// width and height: the same detail in every cell, whatever their sizes.
    pub focus: egui::Vec2,
    /// The two cells (positions in the plan) of the A/B wipe, when it is on.
    pub wipe: Option<(usize, usize)>,
    /// Where the wipe's divider is, as a fraction of the width.
    pub split: f32,
    /// A drag that began on the divider moves it (and not the pictures) until released.
    pub dragging_divider: bool,
}

impl Default for CompareView {
    fn default() -> Self {
        CompareView::new()
    }
}

impl CompareView {
    /// Everything fitted, the wipe off.
    pub fn new() -> CompareView {
        CompareView {
            zoom: 1.0,
            actual_size: false,
            focus: egui::vec2(0.5, 0.5),
            wipe: None,
            split: 0.5,
            dragging_divider: false,
        }
    }

    /// Zooms every picture in or out by a step, from the fitting scale up.
    pub fn step_zoom(&mut self, factor: f32) {
        self.actual_size = false;
        self.zoom = (self.zoom * factor).clamp(1.0, MAX_ZOOM);
    }

    pub fn fit(&mut self) {
        self.zoom = 1.0;
        self.actual_size = false;
        self.focus = egui::vec2(0.5, 0.5);
    }

    /// The scale at which a picture of `pixels` fits `area`, never enlarged past its real size.
    pub fn fit_scale(pixels: egui::Vec2, area: egui::Rect, pixels_per_point: f32) -> f32 {
        (area.width() / pixels.x).min(area.height() / pixels.y).min(1.0 / pixels_per_point).max(f32::EPSILON)
    }

    /// Where a picture of `pixels` is drawn in `area`: centred on the shared focus, or centred
    /// outright along a side where it is smaller than the area.
    pub fn placed(&self, pixels: egui::Vec2, area: egui::Rect, pixels_per_point: f32) -> egui::Rect {
        let scale = if self.actual_size {
            1.0 / pixels_per_point
        } else {
            Self::fit_scale(pixels, area, pixels_per_point) * self.zoom
        };
        let size = pixels * scale;
        let place = |min: f32, max: f32, size: f32, focus: f32| {
            let centre = (min + max) / 2.0;
            if size <= max - min { centre - size / 2.0 } else { (centre - focus * size).clamp(max - size, min) }
        };
        let x = place(area.min.x, area.max.x, size.x, self.focus.x);
        let y = place(area.min.y, area.max.y, size.y, self.focus.y);
        egui::Rect::from_min_size(egui::pos2(x, y), size)
    }

    /// Moves every picture by `delta` points, as measured on one drawn at `shown` size.
    pub fn pan(&mut self, delta: egui::Vec2, shown: egui::Vec2) {
        self.focus =
            (self.focus - delta / shown.max(egui::vec2(1.0, 1.0))).clamp(egui::Vec2::ZERO, egui::vec2(1.0, 1.0));
    }

    /// Zooms every picture by `factor`; 1:1 becomes the zoom it was for the picture at hand.
    pub fn zoom_by(&mut self, factor: f32, pixels: egui::Vec2, area: egui::Rect, pixels_per_point: f32) {
        if self.actual_size {
            self.zoom = (1.0 / pixels_per_point) / Self::fit_scale(pixels, area, pixels_per_point);
            self.actual_size = false;
        }
        self.zoom = (self.zoom * factor).clamp(1.0, MAX_ZOOM);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn area() -> egui::Rect {
        egui::Rect::from_min_size(egui::pos2(100.0, 50.0), egui::vec2(400.0, 300.0))
    }

    #[test]
    fn fitted_pictures_are_centred_whatever_their_size() {
        let view = CompareView::new();
        let square = view.placed(egui::vec2(1024.0, 1024.0), area(), 1.0);
        assert_eq!(square.size(), egui::vec2(300.0, 300.0));
        assert_eq!(square.center(), area().center());
        let wide = view.placed(egui::vec2(1536.0, 1024.0), area(), 1.0);
        assert!((wide.width() - 400.0).abs() < 1e-3 && (wide.height() - 400.0 / 1.5).abs() < 1e-3);
        let tiny = view.placed(egui::vec2(64.0, 48.0), area(), 1.0);
        assert_eq!(tiny.size(), egui::vec2(64.0, 48.0), "fitting never enlarges");
    }

    #[test]
    fn zoom_and_pan_show_the_same_detail_in_every_cell() {
        let mut view = CompareView::new();
        view.zoom = 4.0;
        view.focus = egui::vec2(0.25, 0.75);
        for pixels in [egui::vec2(1024.0, 1024.0), egui::vec2(1536.0, 1024.0), egui::vec2(2048.0, 1152.0)] {
            let shown = view.placed(pixels, area(), 1.0);
            // The picture point at the focus lands on the cell's centre, in every cell.
            let at_centre = (area().center() - shown.min) / shown.size();
            assert!((at_centre - view.focus).length() < 1e-4, "{pixels:?}: {at_centre:?}");
        }
        let before = view.placed(egui::vec2(1024.0, 1024.0), area(), 1.0);
        view.pan(egui::vec2(-60.0, 0.0), before.size());
        let after = view.placed(egui::vec2(1024.0, 1024.0), area(), 1.0);
        assert!((after.min.x - (before.min.x - 60.0)).abs() < 1e-3, "a drag moves the picture by as much");
    }

    #[test]
    fn one_to_one_shows_real_pixels_and_zooming_from_it_keeps_the_scale() {
        let mut view = CompareView { actual_size: true, ..CompareView::new() };
        let pixels = egui::vec2(1024.0, 1024.0);
        assert_eq!(
            view.placed(pixels, area(), 2.0).size(),
            egui::vec2(512.0, 512.0),
            "one picture pixel per screen pixel"
        );
        view.zoom_by(1.0, pixels, area(), 2.0);
        assert!(!view.actual_size);
        assert!((view.placed(pixels, area(), 2.0).width() - 512.0).abs() < 1e-3);
    }
}
