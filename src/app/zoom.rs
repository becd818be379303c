//! One zoom and pan for the viewer and the comparison, with one meaning of "%": 100% is one
//! picture pixel per physical screen pixel, so on a screen of 2 pixels per point a picture
//! 1024 pixels wide is drawn 512 points wide at 100%. `ui::zoom` draws with it and turns keys,
//! the wheel, drags and double-clicks into its changes.

use eframe::egui;

/// The most a picture is enlarged: 32 screen pixels per picture pixel.
pub const MAX_SCALE: f32 = 32.0;
/// One press of + or −.
pub const STEP: f32 = 1.25;

/// A picture as it is about to be drawn: its size in pixels, the area (in points) it is drawn
/// into, and the screen's pixels per point.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Stage {
    pub pixels: egui::Vec2,
    pub area: egui::Rect,
    pub pixels_per_point: f32,
}

impl Stage {
    /// The scale (screen pixels per picture pixel) at which the picture fits the area, never
    /// more than 100%: a small picture is not enlarged to fill the window.
    pub fn fit_scale(&self) -> f32 {
        let pixels = self.pixels.max(egui::vec2(1.0, 1.0));
        let area = self.area.size() * self.pixels_per_point;
        (area.x / pixels.x).min(area.y / pixels.y).clamp(f32::EPSILON, 1.0)
    }

    /// The picture's size in points at `scale`.
    fn size_at(&self, scale: f32) -> egui::Vec2 {
        self.pixels * scale / self.pixels_per_point.max(f32::EPSILON)
    }
}

/// How a picture (or every picture of a comparison at once) is zoomed and panned.
#[derive(Debug, Clone, PartialEq)]
pub struct ZoomPan {
    /// `None` fits the picture to its area; otherwise screen pixels per picture pixel (1 = 100%).
    pub scale: Option<f32>,
    /// The point of the picture shown at the area's centre, as fractions of its width and
    /// height: the same detail in every cell of a comparison, whatever their sizes.
    pub focus: egui::Vec2,
    /// The picture the keys and the toolbar zoom and the "%" is read from: the viewer's
    /// picture, a comparison's first one. Set each time it is drawn.
    pub reference: Option<Stage>,
}

impl Default for ZoomPan {
    fn default() -> Self {
        ZoomPan::new()
    }
}

impl ZoomPan {
    /// Fitted, centred, not yet drawn.
    pub fn new() -> ZoomPan {
        ZoomPan { scale: None, focus: egui::vec2(0.5, 0.5), reference: None }
    }

    /// True while the picture fits its area.
    pub fn is_fit(&self) -> bool {
        self.scale.is_none()
    }

    /// The scale `stage`'s picture is drawn at now, in screen pixels per picture pixel.
    pub fn scale_of(&self, stage: &Stage) -> f32 {
        self.scale.unwrap_or_else(|| stage.fit_scale())
    }

    /// The zoom as the toolbar shows it, in percent of real pixels, once a picture is drawn.
    pub fn percent(&self) -> Option<f32> {
        self.reference.map(|s| self.scale_of(&s) * 100.0)
    }

    /// Where `stage`'s picture is drawn: centred on the focus, or centred outright along a
    /// side where it is smaller than the area; a larger picture always covers its area.
    pub fn placed(&self, stage: &Stage) -> egui::Rect {
        let size = stage.size_at(self.scale_of(stage));
        let area = stage.area;
        let place = |min: f32, max: f32, size: f32, focus: f32| {
            let centre = (min + max) / 2.0;
            if size <= max - min { centre - size / 2.0 } else { (centre - focus * size).clamp(max - size, min) }
        };
        let x = place(area.min.x, area.max.x, size.x, self.focus.x);
        let y = place(area.min.y, area.max.y, size.y, self.focus.y);
        egui::Rect::from_min_size(egui::pos2(x, y), size)
    }

    /// Fits the picture to its area again.
    pub fn fit(&mut self) {
        self.scale = None;
        self.focus = egui::vec2(0.5, 0.5);
    }

    /// 100%: one picture pixel per screen pixel, keeping the point under `at` (the area's
    /// centre when `None`) where it is.
    pub fn actual_size(&mut self, stage: &Stage, at: Option<egui::Pos2>) {
        self.set_scale(1.0, stage, at);
    }

    /// A double-click: 100% at the point clicked when fitted, fitted otherwise.
    pub fn toggle(&mut self, stage: &Stage, at: Option<egui::Pos2>) {
        if self.is_fit() {
            self.actual_size(stage, at);
        } else {
            self.fit();
        }
    }

    /// Multiplies the scale by `factor`, keeping the point under `at` (the area's centre when
    /// `None`) where it is. Zoomed out as far as fitting, the picture fits again.
    pub fn zoom_by(&mut self, factor: f32, stage: &Stage, at: Option<egui::Pos2>) {
        self.set_scale(self.scale_of(stage) * factor, stage, at);
    }

    /// The keys' and the toolbar's zoom, about the reference picture's centre.
    pub fn step(&mut self, factor: f32) {
        if let Some(stage) = self.reference {
            self.zoom_by(factor, &stage, None);
        }
    }

    /// The toolbar's and the key 1's 100%, about the reference picture's centre.
    pub fn step_to_actual_size(&mut self) {
        if let Some(stage) = self.reference {
            self.actual_size(&stage, None);
        }
    }

    /// Moves the picture by `delta` points (every picture of a comparison by as much of its size).
    pub fn pan(&mut self, delta: egui::Vec2, stage: &Stage) {
        let shown = self.placed(stage);
        let size = shown.size().max(egui::vec2(1.0, 1.0));
        self.focus = (self.shown_focus(stage) - delta / size).clamp(egui::Vec2::ZERO, egui::vec2(1.0, 1.0));
    }

    fn set_scale(&mut self, scale: f32, stage: &Stage, at: Option<egui::Pos2>) {
        let fit = stage.fit_scale();
        if scale <= fit * 1.0001 {
            self.fit();
            return;
        }
        let scale = scale.min(MAX_SCALE);
        let at = at.unwrap_or_else(|| stage.area.center());
        let before = self.placed(stage);
        // The fraction of the picture under the pointer stays under it.
        let under = (at - before.min) / before.size().max(egui::vec2(1.0, 1.0));
        let size = stage.size_at(scale);
        let min = at - under * size;
        self.scale = Some(scale);
        self.focus = (stage.area.center() - min) / size.max(egui::vec2(1.0, 1.0));
        // What is really shown, so that a later drag moves the picture at once.
        self.focus = self.shown_focus(stage);
    }

    /// The point of the picture at the area's centre as drawn (the focus, once clamped).
    fn shown_focus(&self, stage: &Stage) -> egui::Vec2 {
        let shown = self.placed(stage);
        let focus = (stage.area.center() - shown.min) / shown.size().max(egui::vec2(1.0, 1.0));
        focus.clamp(egui::Vec2::ZERO, egui::vec2(1.0, 1.0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stage(w: f32, h: f32, ppp: f32) -> Stage {
        Stage {
            pixels: egui::vec2(w, h),
            area: egui::Rect::from_min_size(egui::pos2(100.0, 50.0), egui::vec2(400.0, 300.0)),
            pixels_per_point: ppp,
        }
    }

    fn close(a: f32, b: f32) -> bool {
        (a - b).abs() < 1e-3
    }

    #[test]
    fn one_hundred_percent_is_one_picture_pixel_per_screen_pixel() {
        for ppp in [1.0, 2.0] {
            let s = stage(1024.0, 1024.0, ppp);
            let mut z = ZoomPan::new();
            z.reference = Some(s);
            z.step_to_actual_size();
            assert_eq!(z.percent(), Some(100.0));
            let shown = z.placed(&s);
            assert!(close(shown.width() * ppp, 1024.0), "ppp {ppp}: {} points wide", shown.width());
            z.step(STEP);
            assert!(close(z.percent().unwrap(), 125.0));
            assert!(close(z.placed(&s).width(), 1024.0 * 1.25 / ppp));
        }
    }

    #[test]
    fn fitting_fills_the_area_but_never_enlarges() {
        // 300 points high: 300 screen pixels at ppp 1, 600 at ppp 2.
        let z = ZoomPan::new();
        let big = stage(1024.0, 1024.0, 1.0);
        assert_eq!(z.placed(&big).size(), egui::vec2(300.0, 300.0));
        assert!(close(z.scale_of(&big) * 100.0, 29.296_875));
        let big2 = stage(1024.0, 1024.0, 2.0);
        assert_eq!(z.placed(&big2).size(), egui::vec2(300.0, 300.0), "fitted, the same points");
        assert!(close(z.scale_of(&big2) * 100.0, 58.593_75), "but twice the screen pixels");
        let tiny = stage(64.0, 48.0, 2.0);
        assert_eq!(z.placed(&tiny).size(), egui::vec2(32.0, 24.0), "a small picture stays at 100%");
        assert_eq!(z.placed(&tiny).center(), tiny.area.center());
    }

    #[test]
    fn zooming_keeps_the_point_under_the_pointer() {
        for ppp in [1.0, 2.0] {
            let s = stage(2048.0, 2048.0, ppp);
            let mut z = ZoomPan::new();
            let at = egui::pos2(180.0, 120.0);
            let before = z.placed(&s);
            let under = (at - before.min) / before.size();
            z.zoom_by(3.0, &s, Some(at));
            let after = z.placed(&s);
            assert!(close(after.width(), before.width() * 3.0));
            let still = (at - after.min) / after.size();
            assert!((still - under).length() < 1e-4, "ppp {ppp}: {under:?} moved to {still:?}");
        }
    }

    #[test]
    fn zooming_out_past_fitting_fits_and_in_stops_at_the_most() {
        let s = stage(1024.0, 1024.0, 2.0);
        let mut z = ZoomPan::new();
        z.zoom_by(STEP, &s, None);
        assert!(!z.is_fit());
        z.zoom_by(1.0 / STEP / STEP, &s, None);
        assert!(z.is_fit(), "no smaller than fitting");
        z.zoom_by(1000.0, &s, None);
        assert_eq!(z.scale, Some(MAX_SCALE));
    }

    #[test]
    fn a_drag_moves_the_picture_by_as_much_and_stops_at_its_edge() {
        let s = stage(1024.0, 1024.0, 1.0);
        let mut z = ZoomPan::new();
        z.actual_size(&s, None);
        let before = z.placed(&s);
        z.pan(egui::vec2(-60.0, 25.0), &s);
        let after = z.placed(&s);
        assert!(close(after.min.x, before.min.x - 60.0) && close(after.min.y, before.min.y + 25.0));
        z.pan(egui::vec2(5000.0, 0.0), &s);
        assert!(close(z.placed(&s).min.x, s.area.min.x), "the left edge stops at the area's");
        // Dragged back at once: no dead distance left over from the overshoot.
        z.pan(egui::vec2(-10.0, 0.0), &s);
        assert!(close(z.placed(&s).min.x, s.area.min.x - 10.0));
    }

    #[test]
    fn every_cell_shows_the_same_detail_at_the_same_percent() {
        let mut z = ZoomPan::new();
        z.scale = Some(3.0);
        z.focus = egui::vec2(0.25, 0.75);
        for (w, h) in [(1024.0, 1024.0), (1536.0, 1024.0), (2048.0, 1152.0)] {
            let s = stage(w, h, 2.0);
            let shown = z.placed(&s);
            assert!(close(shown.width() * 2.0, w * 3.0), "the same % of real pixels in every cell");
            let at_centre = (s.area.center() - shown.min) / shown.size();
            assert!((at_centre - z.focus).length() < 1e-4, "{w}×{h}: {at_centre:?}");
        }
    }

    #[test]
    fn a_double_click_toggles_fit_and_one_hundred_percent() {
        let s = stage(1024.0, 1024.0, 2.0);
        let mut z = ZoomPan::new();
        z.toggle(&s, Some(egui::pos2(150.0, 100.0)));
        assert_eq!(z.scale, Some(1.0));
        z.toggle(&s, None);
        assert!(z.is_fit());
        assert_eq!(z.focus, egui::vec2(0.5, 0.5));
    }
}
