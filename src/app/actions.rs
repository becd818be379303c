//! Everything the keyboard can do, in one table: each action with its shortcuts and the screen
//! it belongs to. The views draw their buttons' tooltips from it and one listener reads it each
//! frame (`ui::actions`), so a shortcut is written once, and two actions of one screen cannot
//! share a key without the test below failing. Which screen has the keys is
//! [`App::keys_to`](super::App::keys_to): a window over the screen, then the painter, the viewer,
//! a comparison, the gallery.

use super::Screen;
use eframe::egui::{Key, KeyboardShortcut, Modifiers};

/// What the user can do by a key (and by the button that names the same key).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    /// Close the window over the screen (Settings, About, a dialog): its Cancel or Close.
    CloseWindow,
    /// Send the form's request: from the prompt box too.
    Generate,
    /// Move the keyboard's focus between the form and the pictures.
    SwitchPane,
    /// Undo the last delete, while the notice offers it.
    UndoDelete,
    SelectAll,
    ClearSelection,
    DeleteSelection,
    /// The viewer's, the comparison's and the painter's way back (after closing what is open in
    /// it: a menu, the wipe).
    Close,
    Previous,
    Next,
    DeletePicture,
    Favourite,
    Copy,
    SaveAs,
    ZoomIn,
    ZoomOut,
    ZoomFit,
    ZoomActual,
    PainterUndo,
    PainterRedo,
    Brush,
    Eraser,
    Rectangle,
    Smaller,
    Larger,
}

/// Shorthand for the table (a literal, so that each list of keys is a constant).
macro_rules! key {
    ($modifiers:expr, $key:expr) => {
        KeyboardShortcut { modifiers: $modifiers, logical_key: $key }
    };
}
const NONE: Modifiers = Modifiers::NONE;
const CMD: Modifiers = Modifiers::COMMAND;
const CMD_SHIFT: Modifiers = Modifiers { shift: true, ..Modifiers::COMMAND };

impl Action {
    /// Every action, in the order the listener tries them: one whose keys contain another's
    /// comes first (Ctrl+Shift+Z before Ctrl+Z).
    pub const ALL: &[Action] = &[
        Action::CloseWindow,
        Action::Generate,
        Action::SwitchPane,
        Action::PainterRedo,
        Action::PainterUndo,
        Action::UndoDelete,
        Action::SelectAll,
        Action::ClearSelection,
        Action::DeleteSelection,
        Action::Close,
        Action::Previous,
        Action::Next,
        Action::DeletePicture,
        Action::Favourite,
        Action::Copy,
        Action::SaveAs,
        Action::ZoomIn,
        Action::ZoomOut,
        Action::ZoomFit,
        Action::ZoomActual,
        Action::Brush,
        Action::Eraser,
        Action::Rectangle,
        Action::Smaller,
        Action::Larger,
    ];

    /// Its keys; the first is the one tooltips name. Ctrl is Cmd on a Mac (egui's `COMMAND`),
    /// and tooltips say so.
    pub fn shortcuts(self) -> &'static [KeyboardShortcut] {
        match self {
            Action::Generate => &[key!(CMD, Key::Enter)],
            Action::SwitchPane => &[key!(NONE, Key::F6)],
            Action::UndoDelete | Action::PainterUndo => &[key!(CMD, Key::Z)],
            Action::PainterRedo => &[key!(CMD_SHIFT, Key::Z), key!(CMD, Key::Y)],
            Action::SelectAll => &[key!(CMD, Key::A)],
            Action::ClearSelection | Action::Close | Action::CloseWindow => &[key!(NONE, Key::Escape)],
            Action::DeleteSelection | Action::DeletePicture => &[key!(NONE, Key::Delete)],
            Action::Previous => &[key!(NONE, Key::ArrowLeft)],
            Action::Next => &[key!(NONE, Key::ArrowRight)],
            Action::Favourite => &[key!(NONE, Key::F)],
            Action::Copy => &[key!(CMD, Key::C)],
            Action::SaveAs => &[key!(CMD, Key::S)],
            // `=` is where + is without Shift on most keyboards.
            Action::ZoomIn => &[key!(NONE, Key::Plus), key!(NONE, Key::Equals)],
            Action::ZoomOut => &[key!(NONE, Key::Minus)],
            Action::ZoomFit => &[key!(NONE, Key::Num0)],
            Action::ZoomActual => &[key!(NONE, Key::Num1)],
            Action::Brush => &[key!(NONE, Key::B)],
            Action::Eraser => &[key!(NONE, Key::E)],
            Action::Rectangle => &[key!(NONE, Key::R)],
            Action::Smaller => &[key!(NONE, Key::OpenBracket)],
            Action::Larger => &[key!(NONE, Key::CloseBracket)],
        }
    }

    /// Whether it acts on the screen that has the keys (`None`: a window over the screen has
    /// them, and only closing it does).
    pub fn acts_on(self, screen: Option<Screen>) -> bool {
        use Screen::{Comparison, Gallery, Painter, Viewer};
        let Some(screen) = screen else { return self == Action::CloseWindow };
        match self {
            Action::CloseWindow => false,
            // The form is beside the gallery and the painter.
            Action::Generate => matches!(screen, Gallery | Painter),
            Action::SwitchPane => screen == Gallery,
            Action::UndoDelete => matches!(screen, Gallery | Viewer | Comparison),
            Action::SelectAll | Action::ClearSelection | Action::DeleteSelection => screen == Gallery,
            Action::Close | Action::ZoomIn | Action::ZoomOut | Action::ZoomFit | Action::ZoomActual => {
                matches!(screen, Viewer | Comparison | Painter)
            }
            Action::Previous
            | Action::Next
            | Action::DeletePicture
            | Action::Favourite
            | Action::Copy
            | Action::SaveAs => screen == Viewer,
            Action::PainterUndo
            | Action::PainterRedo
            | Action::Brush
            | Action::Eraser
            | Action::Rectangle
            | Action::Smaller
            | Action::Larger => screen == Painter,
        }
    }

    /// Whether it acts while a text field has the keys (the prompt box's Ctrl+Enter, and F6 out
    /// of it). The rest do not: Delete, the arrows, Ctrl+A and Ctrl+Z belong to the text then.
    pub fn in_text(self) -> bool {
        matches!(self, Action::Generate | Action::SwitchPane)
    }

    /// Whether a held key repeats it. Paid, destructive and marking actions act once per press;
    /// stepping through pictures, zooming and sizing the brush repeat.
    pub fn repeats(self) -> bool {
        matches!(
            self,
            Action::Previous
                | Action::Next
                | Action::ZoomIn
                | Action::ZoomOut
                | Action::Smaller
                | Action::Larger
                | Action::PainterUndo
                | Action::PainterRedo
        )
    }
}

// `ALL` holds every action: as many as there are (`Larger` is the last), none twice (tested).
const _: () = assert!(Action::ALL.len() == Action::Larger as usize + 1);

#[cfg(test)]
mod tests {
    use super::*;

    /// Where the keys can be: a window over the screen (`None`), or a screen.
    const SCREENS: [Option<Screen>; 7] = [
        None,
        Some(Screen::Broken),
        Some(Screen::Key),
        Some(Screen::Painter),
        Some(Screen::Viewer),
        Some(Screen::Comparison),
        Some(Screen::Gallery),
    ];

    #[test]
    fn no_two_actions_of_a_screen_share_a_key() {
        // Undo of a delete and the painter's undo share Ctrl+Z, on screens apart.
        for screen in SCREENS {
            let mine: Vec<Action> = Action::ALL.iter().copied().filter(|a| a.acts_on(screen)).collect();
            for (i, a) in mine.iter().enumerate() {
                for b in &mine[i + 1..] {
                    let shared = a.shortcuts().iter().find(|k| b.shortcuts().contains(k));
                    assert!(shared.is_none(), "{a:?} and {b:?} share {shared:?} on {screen:?}");
                }
            }
        }
    }

    #[test]
    fn every_action_is_listened_for_once_and_acts_somewhere() {
        for (i, a) in Action::ALL.iter().enumerate() {
            assert!(!Action::ALL[i + 1..].contains(a), "{a:?} twice");
            assert!(SCREENS.iter().any(|&s| a.acts_on(s)), "{a:?} acts nowhere");
            assert!(!a.shortcuts().is_empty(), "{a:?} has no key");
        }
        let listed = |a: Action| Action::ALL.iter().position(|&b| b == a);
        assert!(listed(Action::PainterRedo) < listed(Action::PainterUndo), "Ctrl+Shift+Z is tried before Ctrl+Z");
        let quiet = [Some(Screen::Broken), Some(Screen::Key)];
        assert!(!quiet.iter().any(|&s| Action::ALL.iter().any(|a| a.acts_on(s))), "the key screen is all typing");
    }
}
