//! The notice as a toast: a small card floating over the bottom of the window, so that a notice
//! appearing or going never moves anything under the pointer. It offers what the notice offers
//! (Undo, Open folder) and a close button; its Undo's key is `Action::UndoDelete`'s.

use super::{text, theme};
use crate::app::{Action, Command, Notice};
use eframe::egui;

/// The widest a toast grows before its words wrap.
const MAX_WIDTH: f32 = 520.0;

/// Draws `notice` at the foot of `over`: the pictures' side when the form is beside them, so
/// that it never covers the form's cost and Generate.
pub fn toast_ui(ctx: &egui::Context, over: egui::Rect, notice: Option<&Notice>, commands: &mut Vec<Command>) {
    let Some(n) = notice else { return };
    egui::Area::new(egui::Id::unique("toast"))
        .order(egui::Order::Foreground)
        .pivot(egui::Align2::CENTER_BOTTOM)
        .fixed_pos(egui::pos2(over.center().x, over.bottom() - theme::GAP * 2.0))
        .interactable(true)
        .show(ctx, |ui| {
            egui::Frame::popup(ui.style()).inner_margin(egui::Margin::symmetric(14, 10)).show(ui, |ui| {
                ui.set_max_width(MAX_WIDTH.min(over.width() - 4.0 * theme::GAP).max(120.0));
                ui.horizontal(|ui| {
                    let colour =
                        if n.is_error() { theme::warn_colour(ui.visuals()) } else { ui.visuals().text_color() };
                    ui.add(egui::Label::new(egui::RichText::new(n.message.to_string()).color(colour)).wrap());
                    if !n.undo.is_empty()
                        && ui
                            .button(text::UNDO())
                            .on_hover_text(super::actions::key_cap(ctx, Action::UndoDelete))
                            .clicked()
                    {
                        commands.push(Command::Undo);
                    }
                    if let Some(folder) = &n.folder
                        && ui.button(text::OPEN_FOLDER()).clicked()
                    {
                        commands.push(Command::OpenFolder(Some(folder.clone())));
                    }
                    let close = ui.small_button("×").on_hover_text(text::DISMISS());
                    close.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, text::DISMISS()));
                    if close.clicked() {
                        commands.push(Command::DismissNotice);
                    }
                });
            });
        });
}
