//! The first-run screen: where to get a key, paste it, test it, save it.

use super::{text, theme};
use crate::api::ApiError;
use crate::app::{Command, EndpointChoice, KeyMessage, KeyScreen, Settings};
use crate::endpoint::Endpoint;
use eframe::egui;

/// What the key screen needs to know besides its own state.
pub struct KeyInfo {
    pub endpoint: Result<Endpoint, ApiError>,
    /// The key in use comes from `EASEL_API_KEY`.
    pub key_from_env: bool,
    /// The endpoint is fixed by `EASEL_BASE_URL`.
    pub endpoint_fixed: bool,
    /// Why no keyring can keep a key here, if the keyring said so.
    pub keyring: Option<crate::secrets::KeyringTrouble>,
}

/// Draws the key screen.
pub fn key_ui(
    ui: &mut egui::Ui,
    screen: &mut KeyScreen,
    settings: &mut Settings,
    info: &KeyInfo,
    commands: &mut Vec<Command>,
) {
    let (endpoint, key_from_env, endpoint_fixed) = (&info.endpoint, info.key_from_env, info.endpoint_fixed);
    ui.vertical_centered(|ui| {
        ui.set_max_width(520.0);
        ui.add_space(ui.available_height() * 0.12);
        ui.heading(text::KEY_TITLE());
        ui.add_space(theme::GAP);
        ui.label(text::KEY_INTRO());
        ui.add_space(theme::GAP);
    });
    ui.vertical_centered(|ui| {
        ui.set_max_width(520.0);
        if !endpoint_fixed {
            endpoint_picker_ui(ui, settings, commands);
            ui.add_space(theme::GAP);
        }
        match &endpoint {
            Ok(e) => {
                ui.label(e.key_help());
            }
            // Nothing typed yet is not a mistake: say what to type.
            Err(_) if settings.endpoint == EndpointChoice::Custom && settings.custom_url.trim().is_empty() => {
                ui.colored_label(theme::weak_colour(ui.visuals()), text::CUSTOM_URL_HINT());
            }
            Err(reason) => {
                ui.colored_label(theme::error_colour(ui.visuals()), reason.to_string());
            }
        }
        if key_from_env {
            ui.label(text::KEY_FROM_ENV());
        }
        // Said before the key is typed, not after it is lost at the next start.
        if let Some(trouble) = info.keyring {
            ui.colored_label(theme::warn_colour(ui.visuals()), text::no_keyring_ahead(&trouble.to_string()));
        }
        ui.add_space(theme::GAP);
        ui.horizontal(|ui| {
            let label = ui.label(text::KEY_FIELD());
            let field = ui
                .add(egui::TextEdit::singleline(&mut screen.input).password(!screen.show).desired_width(320.0))
                .labelled_by(label.id);
            // Where a paste goes when nothing else has the keyboard: at start, after a click aside.
            if ui.memory(|m| m.focused().is_none()) {
                field.request_focus();
            }
            ui.checkbox(&mut screen.show, text::KEY_SHOW());
            let refused = screen.refused.as_deref() == Some(screen.input.trim());
            if field.lost_focus()
                && ui.input(|i| i.key_pressed(egui::Key::Enter))
                && !screen.input.trim().is_empty()
                && !refused
            {
                commands.push(Command::SaveKey);
            }
        });
        ui.add_space(theme::GAP);
        let typed = !screen.input.trim().is_empty();
        // A key the service just refused is not saved as it is: it waits for another.
        let refused = screen.refused.as_deref() == Some(screen.input.trim());
        ui.horizontal(|ui| {
            if ui.add_enabled(typed && endpoint.is_ok() && !refused, egui::Button::new(text::KEY_SAVE())).clicked() {
                commands.push(Command::SaveKey);
            }
            // A key already stored can be tested too (from Settings → Replace key…).
            if ui
                .add_enabled(
                    (typed || screen.replacing) && endpoint.is_ok() && !screen.testing,
                    egui::Button::new(text::KEY_TEST()),
                )
                .clicked()
            {
                commands.push(Command::TestKey);
            }
            if screen.replacing && ui.button(text::CANCEL()).clicked() {
                commands.push(Command::CancelReplaceKey);
            }
        });
        if screen.testing {
            ui.horizontal(|ui| {
                ui.spinner();
                ui.label(text::KEY_TESTING());
            });
        }
        match &screen.message {
            Some(m @ KeyMessage::Works) => {
                ui.label(m.to_string());
            }
            Some(m @ KeyMessage::Failed(_)) => {
                ui.colored_label(theme::error_colour(ui.visuals()), m.to_string());
            }
            None => {}
        }
    });
}

/// QuickRouter, OpenAI or a custom address, which gets a row of its own to be typed in.
pub fn endpoint_picker_ui(ui: &mut egui::Ui, settings: &mut Settings, commands: &mut Vec<Command>) {
    let before = (settings.endpoint, settings.custom_url.clone());
    ui.horizontal(|ui| {
        ui.label(text::ENDPOINT());
        ui.radio_value(&mut settings.endpoint, EndpointChoice::QuickRouter, text::ENDPOINT_QUICKROUTER());
        ui.radio_value(&mut settings.endpoint, EndpointChoice::OpenAi, text::ENDPOINT_OPENAI());
        ui.radio_value(&mut settings.endpoint, EndpointChoice::Custom, text::ENDPOINT_CUSTOM());
    });
    if settings.endpoint == EndpointChoice::Custom {
        ui.horizontal(|ui| {
            let label = ui.label(text::CUSTOM_URL());
            // Typed into a draft and applied when the field is left, not at every keystroke.
            let id = egui::Id::unique("custom-url-draft");
            let mut draft = ui.data_mut(|d| d.get_temp_mut_or_insert_with(id, || settings.custom_url.clone()).clone());
            let field =
                egui::TextEdit::singleline(&mut draft).hint_text("https://…/v1").desired_width(ui.available_width());
            if ui.add(field).labelled_by(label.id).lost_focus() {
                settings.custom_url = draft.trim().to_string();
            }
            ui.data_mut(|d| d.insert_temp(id, draft));
        });
    }
    if before != (settings.endpoint, settings.custom_url.clone()) {
        // Each endpoint has its own key: look it up again.
        commands.push(Command::ApplySettings);
    }
}
