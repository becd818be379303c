//! The views, one file each. Each takes the narrow state it shows and pushes commands; none
//! spawns work or touches the disk.

pub mod actions;
pub mod change;
pub mod compare;
pub mod dropped;
mod filters;
mod focus;
pub mod form;
pub mod gallery;
pub mod grid;
pub mod icons;
pub mod jobs;
pub mod key;
pub mod mask;
pub mod settings;
pub mod text;
pub mod theme;
mod toast;
mod toggle;
pub mod viewer;
mod words;
pub mod zoom;

use crate::app::{Action, App, Command, Modal, Screen};
use eframe::egui;

/// A button of an icon and a word; the word alone is its name for a screen reader (and tests).
pub fn icon_button(ui: &mut egui::Ui, icon: icons::MaterialIcon, word: &str) -> egui::Response {
    let response = ui.button(format!("{} {word}", icon.codepoint));
    response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, ui.is_enabled(), word));
    response
}

/// Draws the whole window for one frame: the screen [`App::screen`] picks, then the window
/// over it, if any.
pub fn draw(ui: &mut egui::Ui, app: &mut App) {
    let mut commands = Vec::new();
    theme::settle(ui.ctx());
    focus::watch(ui.ctx());
    // The keys first, before any widget sees them: the screen with the keys acts on them.
    let keys = app.keys_to();
    let pressed = actions::pressed(ui.ctx(), keys);
    if pressed.contains(&Action::UndoDelete) && app.notice.as_ref().is_some_and(|n| !n.undo.is_empty()) {
        commands.push(Command::Undo);
    }
    if pressed.contains(&Action::CloseWindow) {
        commands.push(Command::CloseWindow);
    }
    if pressed.contains(&Action::SwitchPane) && focus::switch_pane(ui.ctx()) {
        commands.push(Command::FocusPrompt);
    }
    top_bar_ui(ui, app, &mut commands);
    // Where a notice shows: over the pictures' side when the form is beside them.
    let mut notices_over = ui.ctx().content_rect();
    match app.screen() {
        Screen::Broken => {
            let words = app.startup_error.as_ref().map(ToString::to_string).unwrap_or_default();
            egui::CentralPanel::default().show(ui, |ui| {
                ui.colored_label(theme::error_colour(ui.visuals()), words);
            });
        }
        Screen::Key => {
            let info = key::KeyInfo {
                endpoint: app.endpoint(),
                key_from_env: app.key.as_ref().is_some_and(|k| k.1 == crate::secrets::KeySource::Environment),
                endpoint_fixed: app.options_override_active(),
                keyring: app.keyring_trouble(),
            };
            egui::CentralPanel::default().show(ui, |ui| {
                key::key_ui(ui, &mut app.key_screen, &mut app.state.settings, &info, &mut commands);
            });
        }
        Screen::Viewer => {
            let id = app.viewer.as_ref().map(|v| v.picture);
            let steps = id.and_then(|id| app.place_among_shown(id));
            let item = id.and_then(|id| app.gallery.iter().find(|g| g.id == id));
            match (&mut app.viewer, item) {
                (Some(viewer), Some(item)) => {
                    viewer::viewer_ui(ui, viewer, item, &app.gallery, &mut app.thumbs, steps, &pressed, &mut commands);
                }
                _ => commands.push(Command::CloseViewer),
            }
        }
        Screen::Comparison => {
            let cells = app.comparison_cells();
            if let Some(c) = &mut app.comparison {
                compare::compare_ui(ui, c, &cells, &app.gallery, &mut app.thumbs, &pressed, &mut commands);
            }
        }
        Screen::Painter | Screen::Gallery => {
            notices_over = form_and_main_ui(ui, app, keys, &pressed, &mut commands);
        }
    }
    modal_ui(ui, app, &mut commands);
    toast::toast_ui(ui.ctx(), notices_over, app.notice.as_ref(), &mut commands);
    dropped::drop_hint_ui(ui.ctx());
    pasted_pictures(ui, &mut commands);
    focus::ring(ui.ctx());
    for c in commands {
        app.push(c);
    }
}

/// The window over the screen, if one is open.
fn modal_ui(ui: &mut egui::Ui, app: &mut App, commands: &mut Vec<Command>) {
    match app.modal() {
        None => {}
        Some(Modal::Settings) => settings_window(ui, app, commands),
        Some(Modal::CompareDialog(_)) => {
            let base = app.validated_request();
            let limit = app.endpoint().map_or(crate::endpoint::OPENAI_PROMPT_LIMIT, |e| e.prompt_limit);
            if let Some(Modal::CompareDialog(draft)) = app.modals.last_mut() {
                compare::compare_dialog_ui(ui.ctx(), draft, &base, limit, &app.state.settings.prices, commands);
            }
        }
        Some(Modal::Dropped(d)) => dropped::dropped_ui(ui.ctx(), d, commands),
        Some(Modal::Preview { job, index }) => match app.jobs.iter().find(|j| j.id == *job) {
            Some(job) => jobs::preview_window_ui(ui.ctx(), job, *index, commands),
            None => commands.push(Command::ClosePreview),
        },
        Some(Modal::About) => about_ui(ui, app, commands),
        Some(Modal::ConfirmClose) => confirm_close_ui(ui, app.active_jobs(), commands),
    }
}

/// The form, and beside it the pictures, or the mask painter while the first picture of a
/// change is being painted (over the viewer or a comparison, which come back when it closes);
/// where the pictures or the painter are.
fn form_and_main_ui(
    ui: &mut egui::Ui,
    app: &mut App,
    keys: Option<Screen>,
    pressed: &[Action],
    commands: &mut Vec<Command>,
) -> egui::Rect {
    let change = app.change.active().then(|| {
        let model = &app.state.form.model;
        let painted = app.painter.as_ref().filter(|p| Some(p.picture()) == app.change.first() && !p.is_empty());
        let info = change::ChangeInfo {
            first: app.change.first().map(std::path::Path::to_path_buf),
            painted: painted.map(crate::app::mask::MaskPainter::painted_fraction),
            painting: app.painting,
            fidelity_choice: crate::api::request::model_takes_input_fidelity(model),
        };
        (info, app.change.input_tokens(model))
    });
    let listed = app.endpoint().ok().map(|e| e.key_account());
    let info = form::FormInfo {
        endpoint: app.endpoint().ok(),
        prices: &app.state.settings.prices,
        validation: app.validated_request(),
        change,
        previews_refused_until: app.previews_refused_until(),
        listed: listed.and_then(|account| app.state.listed_models.get(&account)).map(|l| l.ids.as_slice()),
    };
    // At most half the window, so a small window keeps room for the pictures.
    let most = (ui.available_width() * 0.5).max(theme::FORM_MIN_WIDTH);
    let panel = egui::Panel::left("form").resizable(true).default_size(theme::FORM_WIDTH.min(most));
    panel.size_range(theme::FORM_MIN_WIDTH..=most).show(ui, |ui| {
        let generate_key = pressed.contains(&Action::Generate);
        form::form_ui(ui, &mut app.state.form, &mut app.change, &info, generate_key, commands);
    });
    if let Some(painter) = app.painter.as_mut().filter(|_| app.painting) {
        let pressed = (keys == Some(Screen::Painter)).then_some(pressed);
        egui::CentralPanel::default()
            .frame(egui::Frame::new())
            .show(ui, |ui| mask::painter_ui(ui, painter, pressed, commands))
            .response
            .rect
    } else {
        egui::CentralPanel::default().show(ui, |ui| main_area_ui(ui, app, pressed, commands)).response.rect
    }
}

/// A picture pasted with Ctrl+V (the clipboard held a picture and no text) joins the change.
fn pasted_pictures(ui: &egui::Ui, commands: &mut Vec<Command>) {
    ui.input(|i| {
        for e in &i.events {
            if let egui::Event::PasteImage(image) = e {
                commands.push(Command::PasteIntoChange(image.clone()));
            }
        }
    });
}

/// The gallery with its bar: the search and filters, or what to do with the selection.
fn main_area_ui(ui: &mut egui::Ui, app: &mut App, pressed: &[Action], commands: &mut Vec<Command>) {
    let shown = app.shown();
    let selected = app.selected();
    let deleted: Vec<crate::app::PictureId> =
        app.gallery.iter().filter(|g| g.trashed.is_some()).map(|g| g.id).collect();
    gallery_keys(pressed, !selected.is_empty(), commands);
    // The bar comes with the first request, not its first picture: the grid does not move
    // down under the pointer when the picture arrives.
    if !app.gallery.is_empty() || !app.jobs.is_empty() {
        let bar = filters::BarState {
            filter: &mut app.filter,
            items: &app.gallery,
            shown: shown.len(),
            selected: &selected,
            deleted: &deleted,
            all_favourite: selected.iter().all(|&id| app.gallery.iter().any(|g| g.id == id && g.saved.meta.favourite)),
            thumb_height: &mut app.state.settings.thumb_height,
        };
        filters::bar_ui(ui, bar, commands);
        ui.separator();
    }
    // Ctrl + wheel (or a pinch) over the pictures makes them larger or smaller.
    let (low, _, high) = crate::app::THUMB_HEIGHT;
    if ui.rect_contains_pointer(ui.available_rect_before_wrap()) {
        let zoom = ui.input(egui::InputState::zoom_delta);
        if zoom != 1.0 {
            let h = &mut app.state.settings.thumb_height;
            *h = (*h * zoom).clamp(low, high);
        }
    }
    let view = gallery::GalleryView {
        items: &app.gallery,
        shown: &shown,
        jobs: &app.jobs,
        failures_open: app.failures_open,
        filter: &app.filter,
        selection: &app.selection,
        loading: app.history_loading,
        row_height: app.state.settings.thumb_height.clamp(low, high),
        today: app.today(),
    };
    let main = crate::bench::scroll_area(egui::ScrollArea::vertical().id_salt("main"))
        .show(ui, |ui| gallery::gallery_ui(ui, &view, &mut app.thumbs, commands));
    crate::bench::scrolled(&main);
}

/// The gallery's keys pressed this frame: select all; with a selection, clear it or delete it.
fn gallery_keys(pressed: &[Action], selecting: bool, commands: &mut Vec<Command>) {
    for action in pressed {
        match action {
            Action::SelectAll => commands.push(Command::SelectAll),
            Action::ClearSelection if selecting => commands.push(Command::ClearSelection),
            Action::DeleteSelection if selecting => commands.push(Command::DeleteSelection),
            _ => {}
        }
    }
}

/// The Settings window, with what it reports of the library and the endpoint.
fn settings_window(ui: &mut egui::Ui, app: &mut App, commands: &mut Vec<Command>) {
    let library = settings::LibraryInfo {
        folder: app.images_dir(),
        location_problem: app.worker().and_then(|w| w.library().location_problem().cloned()),
        move_blocked: if app.moving_library {
            Some(text::MOVING())
        } else if app.active_jobs() > 0 {
            Some(text::MOVE_WHILE_JOBS())
        } else {
            None
        },
    };
    let in_use = settings::InUse {
        address: match app.endpoint() {
            Ok(e) => e.base_url.to_string(),
            Err(e) => e.to_string(),
        },
        fixed: app.options_override_active(),
    };
    let mut open = true;
    settings::settings_ui(
        ui.ctx(),
        &mut open,
        &mut app.state.settings,
        app.key.as_ref().map(|k| k.1),
        &library,
        &in_use,
        commands,
    );
    if !open {
        commands.push(Command::CloseSettings);
    }
}

/// About: the version, what Easel is, and (with `EASEL_DIAGNOSTICS`) how long frames take.
fn about_ui(ui: &mut egui::Ui, app: &App, commands: &mut Vec<Command>) {
    let about = egui::Modal::new(egui::Id::unique("about")).show(ui.ctx(), |ui| {
        ui.set_max_width(theme::SETTINGS_WIDTH);
        ui.heading(text::APP_NAME());
        ui.label(text::version(crate::VERSION));
        ui.label(text::ABOUT_TEXT());
        ui.add_space(theme::GAP);
        // Where what is the user's own is kept: the pictures, and the key.
        let weak = theme::weak_colour(ui.visuals());
        egui::Grid::new("about-facts").num_columns(2).spacing([theme::GAP, 4.0]).show(ui, |ui| {
            ui.label(egui::RichText::new(text::ABOUT_PICTURES()).color(weak));
            ui.horizontal_wrapped(|ui| {
                let folder = app.images_dir();
                ui.label(folder.as_ref().map(|f| f.display().to_string()).unwrap_or_default());
                if ui.add_enabled(folder.is_some(), egui::Button::new(text::OPEN_FOLDER()).small()).clicked() {
                    commands.push(Command::OpenFolder(folder));
                }
            });
            ui.end_row();
            ui.label(egui::RichText::new(text::ABOUT_KEY()).color(weak));
            ui.add(
                egui::Label::new(match app.key.as_ref().map(|k| k.1) {
                    Some(crate::secrets::KeySource::Keyring) => text::KEY_IN_KEYRING(),
                    Some(crate::secrets::KeySource::Environment) => text::KEY_FROM_ENV(),
                    Some(crate::secrets::KeySource::Session) => text::KEY_SESSION_ONLY(),
                    None => text::NO_KEY_YET(),
                })
                .wrap(),
            );
            ui.end_row();
            ui.label(egui::RichText::new(text::ABOUT_LICENCE()).color(weak));
            ui.label(env!("CARGO_PKG_LICENSE"));
            ui.end_row();
        });
        ui.add_space(theme::GAP);
        if app.diagnostics {
            let f = app.frame_stats;
            ui.label(text::frame_times(f.frames, f.mean_ms(), f.worst_secs * 1000.0));
        }
        if ui.button(text::CLOSE()).clicked() {
            commands.push(Command::CloseAbout);
        }
    });
    if about.should_close() {
        commands.push(Command::CloseAbout);
    }
}

/// The question before closing with `running` requests.
fn confirm_close_ui(ui: &mut egui::Ui, running: usize, commands: &mut Vec<Command>) {
    egui::Modal::new(egui::Id::unique("confirm-close")).show(ui.ctx(), |ui| {
        ui.heading(text::CLOSE_TITLE());
        ui.label(text::running_requests(running));
        ui.horizontal(|ui| {
            if ui.button(text::KEEP_OPEN()).clicked() {
                commands.push(Command::KeepOpen);
            }
            if ui.button(text::CLOSE_ANYWAY()).clicked() {
                commands.push(Command::Quit);
            }
        });
    });
}

fn top_bar_ui(ui: &mut egui::Ui, app: &App, commands: &mut Vec<Command>) {
    egui::Panel::top("top").show(ui, |ui| {
        ui.horizontal(|ui| {
            ui.heading(text::APP_NAME());
            ui.add_space(theme::GAP);
            // The buttons first, from the right, so the activity gets what is left and shortens
            // (with "…") rather than run under them in a narrow window.
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                if ui.button(text::ABOUT()).clicked() {
                    commands.push(Command::ShowAbout);
                }
                if ui.button(text::SETTINGS()).clicked() {
                    commands.push(Command::ShowSettings);
                }
                ui.with_layout(egui::Layout::left_to_right(egui::Align::Center), |ui| {
                    jobs::activity_ui(ui, &app.jobs, app.pictures_coming(), app.session);
                });
            });
        });
    });
}
