//! The keyboard's actions ([`Action`], the table in `app`) as the user meets them: how each key
//! reads on a tooltip, in the system's own way (Ctrl+S, ⌘S on a Mac), and the one listener that
//! reads the keys each frame for the screen that has them.

use super::text;
use crate::app::{Action, Screen};
use eframe::egui::{self, Key, KeyboardShortcut, Modifiers};

/// How an action's first key reads: "Ctrl+C" (⌘C on a Mac), "Esc", "←", "F". Key caps read the
/// same in every language.
pub fn key_cap(ctx: &egui::Context, action: Action) -> String {
    let shortcut = action.shortcuts()[0];
    if !shortcut.modifiers.is_none() {
        return ctx.format_shortcut(&shortcut);
    }
    match shortcut.logical_key {
        Key::Escape => "Esc".into(),
        Key::ArrowLeft => "←".into(),
        Key::ArrowRight => "→".into(),
        k => k.symbol_or_name().into(),
    }
}

/// `words` and the action's key, for a tooltip: "Copy (Ctrl+C)".
pub fn tip(ctx: &egui::Context, words: &str, action: Action) -> String {
    text::with_shortcut(words, &key_cap(ctx, action))
}

/// The actions whose keys were pressed this frame, for the screen that has the keys (`to`;
/// `None` while a window over the screen has them, and then only Esc, which closes it), in the
/// table's order. Their key presses are
/// taken out of the frame's input, so no widget acts on them as well. Only the prompt's
/// Ctrl+Enter acts while a text field has the keys; nothing acts while a menu is open (it has
/// the keys: Esc closes it, Delete is not for the picture behind it).
pub fn pressed(ctx: &egui::Context, to: Option<Screen>) -> Vec<Action> {
    let typing = ctx.text_edit_focused();
    if egui::Popup::is_any_open(ctx) {
        return Vec::new();
    }
    let mut found = Vec::new();
    ctx.input_mut(|i| {
        for &action in Action::ALL {
            if !action.acts_on(to) || (typing && !action.in_text()) {
                continue;
            }
            let shortcuts = action.shortcuts();
            // Every key of it is taken, so Ctrl+Y and Ctrl+Shift+Z pressed together redo once.
            let taken: Vec<bool> = shortcuts.iter().map(|k| take(i, k, action.repeats())).collect();
            if taken.contains(&true) {
                found.push(action);
            }
        }
    });
    found
}

/// Takes `shortcut`'s presses out of the input, a held key's repeats too (so that no focused
/// button takes them for a click); whether there were any that count: repeats count only if
/// `repeats`.
fn take(i: &mut egui::InputState, shortcut: &KeyboardShortcut, repeats: bool) -> bool {
    // egui turns Ctrl+C into a Copy event rather than a key press.
    if shortcut.logical_key == Key::C && shortcut.modifiers == Modifiers::COMMAND {
        let before = i.events.len();
        i.events.retain(|e| !matches!(e, egui::Event::Copy));
        return i.events.len() != before;
    }
    let mut found = false;
    i.events.retain(|e| match e {
        egui::Event::Key { key, pressed: true, repeat, modifiers, .. }
            if *key == shortcut.logical_key && held(*modifiers, shortcut.modifiers) =>
        {
            found |= repeats || !*repeat;
            false
        }
        _ => true,
    });
    found
}

/// Whether the modifiers held are those the shortcut asks for. Shift is free where the shortcut
/// has none (+ is Shift and = on many keyboards), as egui's own matching has it, and Alt too
/// without Ctrl ([ and ] are Option keys on many Mac layouts); without Ctrl in the shortcut,
/// Ctrl may not be held (Ctrl with + and − size the whole window).
fn held(pressed: Modifiers, wanted: Modifiers) -> bool {
    if wanted.command {
        pressed.matches_logically(wanted)
    } else {
        !pressed.command && !pressed.ctrl && !pressed.mac_cmd
    }
}
