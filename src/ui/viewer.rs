//! The full-size viewer: a quiet toolbar of icons (back, previous/next, the shared zoom, Save
//! as…, Copy, Favourite, Change…, Delete, and a "⋯" menu of the rest), the picture zoomed and
//! panned as in a comparison (`ui::zoom`), and beside it the prompt, a line of settings, one
//! cost, and the rest under "More info".

use super::zoom::{self, icon_button, key_cap};
use super::{text, theme};
use crate::app::zoom::Stage;
use crate::app::{Command, GalleryItem, Viewer};
use eframe::egui;
use egui_material_icons::icons;

/// Draws the viewer of `item` over the main area.
/// `steps` says whether there is a previous and a next picture among those shown.
pub fn viewer_ui(
    ui: &mut egui::Ui,
    viewer: &mut Viewer,
    item: &GalleryItem,
    steps: (bool, bool),
    dialog_open: bool,
    commands: &mut Vec<Command>,
) {
    if !dialog_open {
        keys(ui, viewer, item, commands);
    }
    egui::Panel::top("viewer-bar").show(ui, |ui| {
        ui.horizontal(|ui| {
            ui.spacing_mut().item_spacing.x = 2.0;
            bar_ui(ui, viewer, item, steps, commands);
        });
    });
    egui::Panel::right("viewer-info").default_size(theme::VIEWER_INFO_WIDTH).show(ui, |ui| info_ui(ui, item));
    egui::CentralPanel::default().frame(egui::Frame::new()).show(ui, |ui| picture_ui(ui, viewer));
}

/// Back, previous/next, the zoom on the left; the picture's actions on the right.
fn bar_ui(
    ui: &mut egui::Ui,
    viewer: &mut Viewer,
    item: &GalleryItem,
    steps: (bool, bool),
    commands: &mut Vec<Command>,
) {
    let ctx = ui.ctx().clone();
    let cap = |key: egui::Key, command: bool| key_cap(&ctx, key, command);
    if icon_button(ui, icons::ICON_ARROW_BACK, text::CLOSE(), Some(&cap(egui::Key::Escape, false)), true).clicked() {
        commands.push(Command::CloseViewer);
    }
    zoom::group_gap(ui);
    let previous = Some(cap(egui::Key::ArrowLeft, false));
    if icon_button(ui, icons::ICON_CHEVRON_LEFT, text::PREVIOUS(), previous.as_deref(), steps.0).clicked() {
        commands.push(Command::ViewerStep(-1));
    }
    let next = Some(cap(egui::Key::ArrowRight, false));
    if icon_button(ui, icons::ICON_CHEVRON_RIGHT, text::NEXT(), next.as_deref(), steps.1).clicked() {
        commands.push(Command::ViewerStep(1));
    }
    zoom::group_gap(ui);
    zoom::toolbar_ui(ui, &mut viewer.zoom);
    // Right to left: the last action first.
    ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
        actions_ui(ui, viewer, item, commands);
    });
}

/// The picture's actions, added right to left: "⋯", Delete, Change…, Favourite, Copy, Save as….
fn actions_ui(ui: &mut egui::Ui, viewer: &Viewer, item: &GalleryItem, commands: &mut Vec<Command>) {
    let ctx = ui.ctx().clone();
    let cap = |key: egui::Key, command: bool| key_cap(&ctx, key, command);
    let id = item.id;
    let whole = item.damaged.is_none();
    zoom::more_menu(ui, |ui| more_ui(ui, item, commands));
    if icon_button(ui, icons::ICON_DELETE, text::DELETE(), Some(&cap(egui::Key::Delete, false)), true).clicked() {
        commands.push(Command::Delete(id));
    }
    if whole {
        if zoom::icon_word_button(ui, icons::ICON_EDIT, text::CHANGE(), text::CHANGE_HOVER()).clicked() {
            commands.push(Command::Reuse(id));
        }
        let on = item.saved.meta.favourite;
        let action = if on { text::UNFAVOURITE() } else { text::FAVOURITE() };
        let tip = text::with_shortcut(action, &cap(egui::Key::F, false));
        // The star of the gallery's favourites, in its gold when on.
        let mut star = zoom::icon_text(icons::ICON_STAR);
        if on {
            star = star.color(theme::star_colour(ui.visuals()));
        }
        if zoom::icon_toggle_text(ui, star, text::FAVOURITE_TOGGLE(), &tip, on, true).clicked() {
            commands.push(Command::Favourite(id, !on));
        }
    }
    let copy = Some(cap(egui::Key::C, true));
    if icon_button(ui, icons::ICON_CONTENT_COPY, text::COPY(), copy.as_deref(), viewer.pixels.is_some()).clicked() {
        commands.push(Command::Copy(id));
    }
    if icon_button(ui, icons::ICON_DOWNLOAD, text::SAVE_AS(), Some(&cap(egui::Key::S, true)), true).clicked() {
        commands.push(Command::SaveAs(id));
    }
}

/// The "⋯" menu: what is used less often.
fn more_ui(ui: &mut egui::Ui, item: &GalleryItem, commands: &mut Vec<Command>) {
    if item.damaged.is_none() {
        if zoom::menu_item(ui, icons::ICON_CONTENT_COPY, text::COPY_PROMPT()) {
            ui.ctx().copy_text(item.saved.meta.request.prompt.clone());
        }
        if item.saved.meta.comparison.is_some() && zoom::menu_item(ui, icons::ICON_COMPARE, text::OPEN_COMPARISON()) {
            commands.push(Command::OpenComparison(item.id));
        }
    }
    if zoom::menu_item(ui, icons::ICON_FOLDER_OPEN, text::OPEN_FOLDER()) {
        commands.push(Command::OpenFolder(item.saved.path.parent().map(std::path::Path::to_path_buf)));
    }
}

fn keys(ui: &egui::Ui, viewer: &mut Viewer, item: &GalleryItem, commands: &mut Vec<Command>) {
    let picture = viewer.picture;
    // Keys typed into a field (Settings over the viewer, say) are not meant for the picture; a
    // focused button (the last one clicked) does not keep them from it.
    if ui.ctx().text_edit_focused() {
        return;
    }
    let menu_open = egui::Popup::is_any_open(ui.ctx());
    ui.input(|i| {
        // Saving, deleting and marking act once per press, never on a held key's repeats.
        if super::pressed_once(i, egui::Key::S, true) {
            commands.push(Command::SaveAs(picture));
        }
        // egui turns Ctrl+C into a Copy event rather than a key press.
        if i.events.iter().any(|e| matches!(e, egui::Event::Copy)) {
            commands.push(Command::Copy(picture));
        }
        if super::pressed_once(i, egui::Key::Delete, false) {
            commands.push(Command::Delete(picture));
        }
        if item.damaged.is_none() && super::pressed_once(i, egui::Key::F, false) {
            commands.push(Command::Favourite(picture, !item.saved.meta.favourite));
        }
        // Esc closes an open "⋯" menu first, not the viewer under it.
        if i.key_pressed(egui::Key::Escape) && !menu_open {
            commands.push(Command::CloseViewer);
        }
        if i.key_pressed(egui::Key::ArrowLeft) {
            commands.push(Command::ViewerStep(-1));
        }
        if i.key_pressed(egui::Key::ArrowRight) {
            commands.push(Command::ViewerStep(1));
        }
        zoom::keys(i, &mut viewer.zoom);
    });
}

fn picture_ui(ui: &mut egui::Ui, viewer: &mut Viewer) {
    let rect = ui.available_rect_before_wrap();
    let response = ui.allocate_rect(rect, egui::Sense::click_and_drag());
    response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Image, true, text::PICTURE_AREA()));
    ui.painter().rect_filled(rect, 0.0, ui.visuals().extreme_bg_color);
    if let Some(err) = &viewer.error {
        let words = egui::RichText::new(err.to_string()).color(theme::error_colour(ui.visuals()));
        ui.put(rect.shrink(theme::GAP * 2.0), egui::Label::new(words).wrap());
        return;
    }
    let Some(tex) = viewer.texture.clone() else {
        ui.put(rect, egui::Spinner::new());
        ui.put(rect.translate(egui::vec2(0.0, 30.0)), egui::Label::new(text::LOADING()));
        return;
    };
    // A margin around the picture, as a mount around a print; zoomed in, it is drawn over.
    let area = rect.shrink(theme::GAP * 2.0);
    let stage = Stage { pixels: tex.size_vec2(), area, pixels_per_point: ui.ctx().pixels_per_point() };
    viewer.zoom.reference = Some(stage);
    zoom::pointer(ui, &response, &mut viewer.zoom, &stage, true);
    if response.dragged() {
        ui.ctx().set_cursor_icon(egui::CursorIcon::Grabbing);
    } else if response.hovered() && {
        let shown = viewer.zoom.placed(&stage);
        shown.width() > area.width() + 0.5 || shown.height() > area.height() + 0.5
    } {
        ui.ctx().set_cursor_icon(egui::CursorIcon::Grab);
    }
    zoom::paint(ui, &viewer.zoom, &stage, tex.id(), rect);
}

/// The prompt, one line of settings, when and at what cost; the rest under "More info".
fn info_ui(ui: &mut egui::Ui, item: &GalleryItem) {
    let m = &item.saved.meta;
    let weak = theme::weak_colour(ui.visuals());
    egui::ScrollArea::vertical().auto_shrink([false, false]).show(ui, |ui| {
        ui.add_space(theme::GAP);
        if let Some(reason) = &item.damaged {
            ui.colored_label(theme::warn_colour(ui.visuals()), text::details_damaged(&reason.to_string()));
            ui.add_space(theme::GAP);
            ui.add(
                egui::Label::new(egui::RichText::new(item.saved.path.display().to_string()).small().color(weak)).wrap(),
            );
            return;
        }
        // Not selectable: Ctrl+C in the viewer copies the picture ("⋯" has Copy prompt).
        let prompt = egui::RichText::new(&m.request.prompt).size(15.0).color(ui.visuals().strong_text_color());
        ui.add(egui::Label::new(prompt).wrap().selectable(false));
        ui.add_space(theme::GAP);
        let settings = format!(
            "{} · {} × {} · {} · {}",
            super::form::quality_label(m.request.quality),
            m.width,
            m.height,
            m.format.wire().to_uppercase(),
            m.request.model
        );
        ui.add(egui::Label::new(egui::RichText::new(settings).color(weak)).wrap());
        let when = text::made_in(&text::local_time(&m.created), &text::seconds(m.elapsed_secs));
        ui.add(egui::Label::new(egui::RichText::new(when).color(weak)).wrap());
        if let Some((usd, _)) = m.cost() {
            ui.label(text::about_cost(usd));
        }
        ui.add_space(theme::GAP);
        egui::CollapsingHeader::new(text::MORE_INFO()).id_salt("viewer-more-info").default_open(false).show(ui, |ui| {
            more_info_ui(ui, item);
        });
    });
}

/// Everything else known about the picture, for those who ask.
fn more_info_ui(ui: &mut egui::Ui, item: &GalleryItem) {
    let m = &item.saved.meta;
    let weak = theme::weak_colour(ui.visuals());
    egui::Grid::new("viewer-facts").num_columns(2).spacing([theme::GAP, 4.0]).show(ui, |ui| {
        let mut row = |k: &str, v: String| {
            ui.label(egui::RichText::new(k).color(weak));
            ui.add(egui::Label::new(v).wrap());
            ui.end_row();
        };
        row(text::ASKED_SIZE(), super::form::size_words(m.request.size));
        row(text::REAL_SIZE(), format!("{} × {}", m.width, m.height));
        row(text::FILE_SIZE(), text::bytes(m.bytes));
        row(text::TIME(), text::seconds(m.elapsed_secs));
        if let Some(t) = m.usage.and_then(|u| u.total_tokens) {
            row(text::TOKENS_REQUEST(), text::tokens(t));
        }
        if let Some(c) = m.request_cost_usd {
            row(text::COST_REQUEST(), text::from_tokens(&text::cost(c, false)));
        }
        if let Some(c) = m.estimated_cost_usd {
            row(text::ESTIMATE(), text::cost(c, false));
        }
        if let Some(id) = &m.request_id {
            row(text::REQUEST_ID(), crate::outside::clean(id));
        }
        row(text::ENDPOINT(), format!("{} ({})", m.endpoint_name, m.endpoint));
        row(text::CREATED(), text::local_time(&m.created));
    });
    ui.add_space(theme::GAP / 2.0);
    ui.label(egui::RichText::new(text::FILE()).color(weak));
    ui.add(egui::Label::new(item.saved.path.display().to_string()).wrap());
}
