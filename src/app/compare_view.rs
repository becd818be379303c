//! The state of an open comparison's view: the zoom and pan every cell shares (the viewer's
//! own [`ZoomPan`], with the same meaning of "%") and the A/B wipe. The comparison view
//! (`ui::compare`) changes it as the user drags and scrolls.

use super::zoom::ZoomPan;

/// The zoom and pan every cell shares, and the wipe.
#[derive(Debug, Clone, PartialEq)]
pub struct CompareView {
    /// One zoom and pan for every cell: the same % of real pixels, the same detail centred.
    pub zoom: ZoomPan,
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
        CompareView { zoom: ZoomPan::new(), wipe: None, split: 0.5, dragging_divider: false }
    }
}
