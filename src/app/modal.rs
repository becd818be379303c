//! What fills the window, the window that may stand over it, and where the keys go. The
//! screen is chosen in one place ([`App::screen`]) and the keys follow one order
//! ([`App::keys_to`]): a window over the screen, then the screen (the painter, the viewer, a
//! comparison, the gallery). A key never acts on something the user cannot see.

use super::compare_draft::CompareDraft;
use super::{App, DroppedPicture};
use crate::worker::JobId;

/// A window over the screen; one shows at a time, and it has the keys.
pub enum Modal {
    Settings,
    About,
    /// The question before closing while requests run.
    ConfirmClose,
    /// The comparison's dialog, with what the user has chosen in it.
    CompareDialog(CompareDraft),
    /// The settings inside a picture dropped on the window (or opened with Easel).
    Dropped(DroppedPicture),
    /// A request's streamed preview `index`, shown large while it is made.
    Preview {
        job: JobId,
        index: usize,
    },
}

/// What fills the window under any [`Modal`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Screen {
    /// The library could not be opened: the window says why, and nothing else.
    Broken,
    /// No key yet, or the user is replacing it.
    Key,
    /// The mask painter, over the gallery, the viewer or a comparison (which come back after).
    Painter,
    Viewer,
    Comparison,
    Gallery,
}

impl App {
    /// What fills the window. A viewer opened from a comparison stands over it and gives it
    /// back when closed, so both may be kept; the viewer is what shows.
    pub fn screen(&self) -> Screen {
        if self.startup_error.is_some() {
            Screen::Broken
        } else if self.needs_key() {
            Screen::Key
        } else if self.painting && self.painter.is_some() {
            Screen::Painter
        } else if self.viewer.is_some() {
            Screen::Viewer
        } else if self.comparison.is_some() {
            Screen::Comparison
        } else {
            Screen::Gallery
        }
    }

    /// Where the keys go this frame: `None` while a window is over the screen (it takes them),
    /// else the screen showing.
    pub fn keys_to(&self) -> Option<Screen> {
        if self.modals.is_empty() { Some(self.screen()) } else { None }
    }

    /// Whether a window is open over the screen.
    pub fn modal_open(&self) -> bool {
        !self.modals.is_empty()
    }

    /// The window shown over the screen: the last opened of those open.
    pub fn modal(&self) -> Option<&Modal> {
        self.modals.last()
    }

    /// Opens `modal` over the screen. One shows at a time, the last opened; one it covers (the
    /// compare dialog under the question before closing, or under a dropped picture) comes back
    /// as it was once this one closes. A window of the same kind already open gives way to it.
    pub(super) fn open_modal(&mut self, modal: Modal) {
        let kind = std::mem::discriminant(&modal);
        self.modals.retain(|m| std::mem::discriminant(m) != kind);
        self.modals.push(modal);
    }

    /// Closes the windows over the screen that `is` picks.
    pub(super) fn close_modal_if(&mut self, is: impl Fn(&Modal) -> bool) {
        self.modals.retain(|m| !is(m));
    }

    /// Closes the window shown (Esc): the one under it, if any, shows again.
    pub(super) fn close_top_modal(&mut self) {
        self.modals.pop();
    }

    /// Shows the settings inside a picture dropped on the window (or opened with Easel).
    pub(super) fn show_dropped(&mut self, dropped: DroppedPicture) {
        self.open_modal(Modal::Dropped(dropped));
    }

    /// The settings of the dropped picture on show, taken (its window closes).
    pub(super) fn take_dropped(&mut self) -> Option<DroppedPicture> {
        let at = self.modals.iter().rposition(|m| matches!(m, Modal::Dropped(_)))?;
        match self.modals.remove(at) {
            Modal::Dropped(d) => Some(d),
            _ => None,
        }
    }

    /// The comparison's dialog, while it is open.
    pub fn compare_draft(&self) -> Option<&CompareDraft> {
        match self.modal() {
            Some(Modal::CompareDialog(d)) => Some(d),
            _ => None,
        }
    }

    /// The dropped picture whose settings are on show.
    pub fn dropped(&self) -> Option<&DroppedPicture> {
        match self.modal() {
            Some(Modal::Dropped(d)) => Some(d),
            _ => None,
        }
    }

    /// The streamed preview shown large: the request and the picture's place in it.
    pub fn preview_open(&self) -> Option<(JobId, usize)> {
        self.modals.iter().rev().find_map(|m| match *m {
            Modal::Preview { job, index } => Some((job, index)),
            _ => None,
        })
    }
}
