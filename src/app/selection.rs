//! The gallery's selection: pictures picked with Ctrl-click, Shift-click or Ctrl+A, and what can
//! be done to all of them at once (Save, Copy, Favourite, Delete).

use super::{App, PictureId};
use std::collections::BTreeSet;

/// How a click changes the selection.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SelectHow {
    /// Ctrl-click (Cmd-click): in or out of the selection, the rest kept.
    Toggle,
    /// Shift-click: everything shown from the last picture clicked to this one.
    Range,
}

/// The selected pictures, and the one a Shift-click extends from.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Selection {
    ids: BTreeSet<PictureId>,
    anchor: Option<PictureId>,
}

impl Selection {
    pub fn contains(&self, id: PictureId) -> bool {
        self.ids.contains(&id)
    }

    pub fn len(&self) -> usize {
        self.ids.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }

    pub(super) fn retain(&mut self, keep: impl FnMut(&PictureId) -> bool) {
        self.ids.retain(keep);
        if self.anchor.is_some_and(|a| !self.ids.contains(&a)) {
            self.anchor = None;
        }
    }

    pub(super) fn clear(&mut self) {
        *self = Selection::default();
    }

    /// Applies a click on `id`; `shown` is the gallery's order, for ranges.
    fn click(&mut self, id: PictureId, how: SelectHow, shown: &[PictureId]) {
        match (how, self.anchor.and_then(|a| shown.iter().position(|&s| s == a))) {
            (SelectHow::Range, Some(from)) => {
                let Some(to) = shown.iter().position(|&s| s == id) else { return };
                let (a, b) = if from <= to { (from, to) } else { (to, from) };
                self.ids.extend(&shown[a..=b]);
            }
            _ => {
                if !self.ids.remove(&id) {
                    self.ids.insert(id);
                }
                self.anchor = Some(id);
            }
        }
    }
}

impl App {
    /// The pictures shown, by identity, in the gallery's order.
    pub(super) fn shown_ids(&self) -> Vec<PictureId> {
        self.shown().into_iter().map(|i| self.gallery[i].id).collect()
    }

    pub(super) fn select(&mut self, id: PictureId, how: SelectHow) {
        let shown = self.shown_ids();
        self.selection.click(id, how, &shown);
    }

    /// Ctrl+A: every picture the filters let through.
    pub(super) fn select_all(&mut self) {
        let shown = self.shown_ids();
        self.selection.ids = shown.into_iter().collect();
        self.selection.anchor = None;
    }

    /// The selected pictures still shown, in the gallery's order (a filter may hide some).
    pub fn selected(&self) -> Vec<PictureId> {
        self.shown_ids().into_iter().filter(|id| self.selection.contains(*id)).collect()
    }

    /// Favourite the selection, or take it out of the favourites.
    pub(super) fn favourite_selection(&mut self, on: bool) {
        for id in self.selected() {
            if self.picture(id).is_some_and(|g| g.damaged.is_none() && g.saved.meta.favourite != on) {
                self.favourite(id, on);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(n: u64) -> Vec<PictureId> {
        (1..=n).map(PictureId::for_tests).collect()
    }

    #[test]
    fn ctrl_click_toggles_and_shift_click_takes_the_range_from_the_last_click() {
        let shown = ids(6);
        let mut s = Selection::default();
        s.click(shown[1], SelectHow::Toggle, &shown);
        s.click(shown[4], SelectHow::Range, &shown);
        assert_eq!(s.len(), 4, "pictures 2 to 5");
        s.click(shown[2], SelectHow::Toggle, &shown);
        assert!(!s.contains(shown[2]));
        // Backwards from the new anchor (3, now out): 1 to 3 go in.
        s.click(shown[0], SelectHow::Range, &shown);
        assert!((0..5).all(|i| s.contains(shown[i])));
        assert!(!s.contains(shown[5]));
    }

    #[test]
    fn a_range_without_an_anchor_is_one_picture() {
        let shown = ids(3);
        let mut s = Selection::default();
        s.click(shown[2], SelectHow::Range, &shown);
        assert_eq!(s.len(), 1);
        s.retain(|&id| id != shown[2]);
        assert!(s.is_empty());
        s.click(shown[0], SelectHow::Range, &shown);
        assert_eq!(s.len(), 1, "the anchor went with its picture");
    }
}
