//! The full-size viewer: a quiet toolbar of icons (back, previous/next, the shared zoom,
//! Before / after for a change, Save as…, Copy, Favourite, Change, Delete, and a "⋯" menu of
//! the rest), the picture zoomed and panned as in a comparison (`ui::zoom`), beside it the
//! prompt, a line of settings, one cost, and the rest under "More info"; below it, for a picture
//! with versions, the strip of them from the original to the newest change.

use super::actions::key_cap;
use super::compare::{WipeState, wipe_pictures};
use super::icons;
use super::zoom::{self, icon_button, icon_toggle};
use super::{text, theme};
use crate::app::thumbs::{Thumb, ThumbCache};
use crate::app::versions::{Versions, versions};
use crate::app::zoom::Stage;
use crate::app::{Action, BeforeAfter, Command, GalleryItem, PictureId, Viewer};
use eframe::egui;

/// The height of a version's thumbnail in the strip under the picture, in points: enough to
/// tell the versions apart, small enough to leave the picture the room.
const VERSION_THUMB: f32 = 56.0;

/// Draws the viewer of `item` over the main area; `gallery` and `thumbs` give its versions.
/// `steps` says whether there is a previous and a next picture among those shown; `pressed`
/// are the viewer's actions whose keys were pressed this frame.
pub fn viewer_ui(
    ui: &mut egui::Ui,
    viewer: &mut Viewer,
    item: &GalleryItem,
    gallery: &[GalleryItem],
    thumbs: &mut ThumbCache,
    steps: Option<(usize, usize)>,
    pressed: &[Action],
    commands: &mut Vec<Command>,
) {
    let versions = versions(gallery, item.id);
    let before = versions.as_ref().and_then(|v| v.before);
    // The picture it was made from left the gallery (its folder moved, say): nothing to wipe to.
    if viewer.before_after.as_ref().is_some_and(|w| Some(w.before) != before) {
        viewer.before_after = None;
    }
    for &action in pressed {
        act(viewer, item, action, commands);
    }
    egui::Panel::top("viewer-bar").show(ui, |ui| {
        ui.horizontal(|ui| {
            ui.spacing_mut().item_spacing.x = 2.0;
            bar_ui(ui, viewer, item, before, steps, pressed, commands);
        });
    });
    egui::Panel::right("viewer-info").default_size(theme::VIEWER_INFO_WIDTH).show(ui, |ui| info_ui(ui, item));
    if let Some(v) = &versions {
        egui::Panel::bottom("viewer-versions").show(ui, |ui| versions_ui(ui, v, gallery, thumbs, commands));
    }
    egui::CentralPanel::default().frame(egui::Frame::new()).show(ui, |ui| match (&versions, &viewer.before_after) {
        (Some(v), Some(_)) => {
            let step = v.line[v.current].step;
            let names = [step_name(step.saturating_sub(1)), step_name(step)];
            before_after_ui(ui, viewer, &names);
        }
        _ => picture_ui(ui, viewer),
    });
}

/// "Original", "Change 1", "Change 2"…
fn step_name(step: usize) -> String {
    if step == 0 { text::ORIGINAL().to_string() } else { text::change_number(step) }
}

/// Back, previous/next, the zoom and (for a change) Before / after on the left; the picture's
/// actions on the right.
fn bar_ui(
    ui: &mut egui::Ui,
    viewer: &mut Viewer,
    item: &GalleryItem,
    before: Option<PictureId>,
    steps: Option<(usize, usize)>,
    pressed: &[Action],
    commands: &mut Vec<Command>,
) {
    let ctx = ui.ctx().clone();
    let cap = |action| key_cap(&ctx, action);
    // Short of room (a small window, large text), the zoom's steps go into the "⋯".
    let whole_id = egui::Id::unique("viewer-bar-whole");
    let folded = zoom::folded(ui, whole_id);
    let (left, room) = (ui.min_rect().left(), ui.available_width());
    if icon_button(ui, icons::ICON_ARROW_BACK, text::CLOSE(), Some(&cap(Action::Close)), true).clicked() {
        commands.push(Command::CloseViewer);
    }
    zoom::group_gap(ui);
    let (previous, next) = steps.map_or((false, false), |(at, of)| (at > 0, at + 1 < of));
    if icon_button(ui, icons::ICON_CHEVRON_LEFT, text::PREVIOUS(), Some(&cap(Action::Previous)), previous).clicked() {
        commands.push(Command::ViewerStep(-1));
    }
    if icon_button(ui, icons::ICON_CHEVRON_RIGHT, text::NEXT(), Some(&cap(Action::Next)), next).clicked() {
        commands.push(Command::ViewerStep(1));
    }
    if let Some((at, of)) = steps {
        // As wide as the widest it can read ("31 of 31"), so the zoom after it stays put.
        let widest = ui.painter().layout_no_wrap(
            text::picture_of(of, of),
            egui::TextStyle::Body.resolve(ui.style()),
            egui::Color32::WHITE,
        );
        let words = egui::RichText::new(text::picture_of(at + 1, of)).color(theme::weak_colour(ui.visuals()));
        ui.add_sized(egui::vec2(widest.size().x + 4.0, ui.spacing().interact_size.y), egui::Label::new(words));
    }
    zoom::group_gap(ui);
    zoom::toolbar_ui(ui, &mut viewer.zoom, pressed, folded);
    if let Some(before) = before {
        zoom::group_gap(ui);
        let on = viewer.before_after.is_some();
        if icon_toggle(ui, icons::ICON_COMPARE, text::BEFORE_AFTER(), text::BEFORE_AFTER_HOVER(), on, true).clicked() {
            viewer.before_after = if on { None } else { Some(BeforeAfter::new(before)) };
        }
    }
    let left_part = ui.min_rect().right() - left;
    // Right to left: the last action first.
    let right_part = ui
        .with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
            actions_ui(ui, viewer, item, folded, commands);
            ui.min_rect().width()
        })
        .inner;
    if !folded {
        zoom::remember_whole(ui, whole_id, left_part + theme::GAP + right_part, room);
    }
}

/// The picture's actions, added right to left: "⋯", Delete, Change, Favourite, Copy, Save as….
fn actions_ui(ui: &mut egui::Ui, viewer: &mut Viewer, item: &GalleryItem, folded: bool, commands: &mut Vec<Command>) {
    let ctx = ui.ctx().clone();
    let cap = |action| key_cap(&ctx, action);
    let id = item.id;
    let whole = item.damaged.is_none();
    zoom::more_menu(ui, |ui| {
        if folded {
            zoom::menu_ui(ui, &mut viewer.zoom);
        }
        more_ui(ui, item, commands);
    });
    if icon_button(ui, icons::ICON_DELETE, text::DELETE(), Some(&cap(Action::DeletePicture)), true).clicked() {
        commands.push(Command::Delete(id));
    }
    if whole {
        // Its word goes too when room is short; the tooltip still says it.
        let change = if folded {
            zoom::icon_button_tip(ui, icons::ICON_EDIT, text::CHANGE_PICTURE(), text::CHANGE_PICTURE_HOVER(), true)
        } else {
            zoom::icon_word_button(ui, icons::ICON_EDIT, text::CHANGE_PICTURE(), text::CHANGE_PICTURE_HOVER())
        };
        if change.clicked() {
            commands.push(Command::ChangePicture(id));
        }
        let on = item.saved.meta.favourite;
        let action = if on { text::UNFAVOURITE() } else { text::FAVOURITE() };
        let tip = text::with_shortcut(action, &cap(Action::Favourite));
        // The star of the gallery's favourites, in its gold when on.
        let mut star = zoom::icon_text(icons::ICON_STAR);
        if on {
            star = star.color(theme::star_colour(ui.visuals()));
        }
        if zoom::icon_toggle_text(ui, star, text::FAVOURITE_TOGGLE(), &tip, on, true).clicked() {
            commands.push(Command::Favourite(id, !on));
        }
    }
    let copy = Some(cap(Action::Copy));
    if icon_button(ui, icons::ICON_CONTENT_COPY, text::COPY(), copy.as_deref(), viewer.pixels.is_some()).clicked() {
        commands.push(Command::Copy(id));
    }
    if icon_button(ui, icons::ICON_DOWNLOAD, text::SAVE_AS(), Some(&cap(Action::SaveAs)), true).clicked() {
        commands.push(Command::SaveAs(id));
    }
}

/// The "⋯" menu: what is used less often.
fn more_ui(ui: &mut egui::Ui, item: &GalleryItem, commands: &mut Vec<Command>) {
    if item.damaged.is_none() {
        // Its prompt and settings into the form, for a new picture rather than a change of this one.
        if zoom::menu_item(ui, icons::ICON_TUNE, text::USE_SETTINGS()) {
            commands.push(Command::Reuse(item.id));
        }
        if zoom::menu_item(ui, icons::ICON_ADD_PHOTO_ALTERNATE, text::USE_AS_REFERENCE()) {
            commands.push(Command::UseAsReference(item.id));
        }
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

/// What a key of the viewer does (its zoom keys act in the zoom's toolbar).
fn act(viewer: &mut Viewer, item: &GalleryItem, action: Action, commands: &mut Vec<Command>) {
    let picture = viewer.picture;
    match action {
        Action::SaveAs => commands.push(Command::SaveAs(picture)),
        Action::Copy => commands.push(Command::Copy(picture)),
        Action::DeletePicture => commands.push(Command::Delete(picture)),
        Action::Favourite if item.damaged.is_none() => {
            commands.push(Command::Favourite(picture, !item.saved.meta.favourite));
        }
        // The before/after first, and only then the viewer.
        Action::Close if viewer.before_after.is_some() => viewer.before_after = None,
        Action::Close => commands.push(Command::CloseViewer),
        Action::Previous => commands.push(Command::ViewerStep(-1)),
        Action::Next => commands.push(Command::ViewerStep(1)),
        _ => {}
    }
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

/// The change and the picture it was made from in one frame, before left of the divider and
/// after right of it (`names` says which versions they are), with the viewer's zoom and pan.
fn before_after_ui(ui: &mut egui::Ui, viewer: &mut Viewer, names: &[String; 2]) {
    let Viewer { zoom, texture, error, before_after, .. } = viewer;
    let Some(wipe) = before_after else { return };
    // The central area has no frame of its own (the picture covers it): the row above the wipe needs a ground.
    ui.painter().rect_filled(ui.available_rect_before_wrap(), 0.0, ui.visuals().panel_fill);
    ui.add_space(theme::GAP / 4.0);
    ui.horizontal(|ui| {
        ui.add_space(theme::GAP);
        let weak = theme::weak_colour(ui.visuals());
        ui.label(
            egui::RichText::new(format!("{}: {} · {}: {}", text::BEFORE(), names[0], text::AFTER(), names[1]))
                .color(weak),
        );
        ui.add_space(theme::GAP);
        ui.label(text::DIVIDER());
        let slider = ui.add(egui::Slider::new(&mut wipe.split, 0.0..=1.0).show_value(false));
        slider.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Slider, true, text::DIVIDER()));
    });
    let rect = ui.available_rect_before_wrap();
    let response = ui.allocate_rect(rect, egui::Sense::click_and_drag());
    let name = text::before_after_of(&names[0], &names[1]);
    response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Image, true, &name));
    ui.painter().rect_filled(rect, 0.0, ui.visuals().extreme_bg_color);
    if let Some(err) = wipe.error.as_ref().or(error.as_ref()) {
        let words = egui::RichText::new(err.to_string()).color(theme::error_colour(ui.visuals()));
        ui.put(rect.shrink(theme::GAP * 2.0), egui::Label::new(words).wrap());
        return;
    }
    let (Some(before), Some(after)) = (wipe.texture.as_ref(), texture.as_ref()) else {
        ui.put(rect, egui::Spinner::new());
        return;
    };
    let labels = [format!("{} · {}", text::BEFORE(), names[0]), format!("{} · {}", text::AFTER(), names[1])];
    let state = WipeState { zoom, split: &mut wipe.split, dragging_divider: &mut wipe.dragging_divider };
    wipe_pictures(ui, &response, state, [(before, &labels[0]), (after, &labels[1])]);
}

/// The strip of versions under the picture: a thumbnail for each, the one shown outlined; a
/// click opens another. "Go back to this version" when later versions were made from this one.
fn versions_ui(
    ui: &mut egui::Ui,
    versions: &Versions,
    gallery: &[GalleryItem],
    thumbs: &mut ThumbCache,
    commands: &mut Vec<Command>,
) {
    let weak = theme::weak_colour(ui.visuals());
    ui.add_space(theme::GAP / 2.0);
    ui.horizontal(|ui| {
        ui.label(egui::RichText::new(text::VERSIONS()).color(weak));
        ui.add_space(theme::GAP / 2.0);
        for (at, version) in versions.line.iter().enumerate() {
            let Some(item) = gallery.iter().find(|g| g.id == version.id) else { continue };
            if at > 0 {
                ui.label(egui::RichText::new(icons::ICON_ARROW_FORWARD.codepoint).color(weak));
            }
            let current = at == versions.current;
            if version_tile(ui, item, &step_name(version.step), current, thumbs).clicked() && !current {
                commands.push(Command::OpenViewer(version.id));
            }
        }
        if versions.other_changes > 0 {
            ui.add_space(theme::GAP);
            ui.label(egui::RichText::new(text::other_changes(versions.other_changes)).color(weak))
                .on_hover_text(text::OTHER_CHANGES_HOVER());
        }
        if !versions.is_newest() {
            ui.add_space(theme::GAP);
            let go_back = ui.button(text::GO_BACK()).on_hover_text(text::GO_BACK_HOVER());
            if go_back.clicked() {
                commands.push(Command::ChangePicture(versions.line[versions.current].id));
            }
        }
    });
    ui.add_space(theme::GAP / 2.0);
}

/// One version: its thumbnail (the picture's shape), its name under it, outlined when shown.
fn version_tile(
    ui: &mut egui::Ui,
    item: &GalleryItem,
    name: &str,
    current: bool,
    thumbs: &mut ThumbCache,
) -> egui::Response {
    let m = &item.saved.meta;
    // A picture whose size is unknown (no details) is shown square.
    let aspect = if m.width > 0 && m.height > 0 { m.width as f32 / m.height as f32 } else { 1.0 };
    let width = (VERSION_THUMB * aspect).clamp(VERSION_THUMB / 2.0, VERSION_THUMB * 2.0);
    let line = ui.text_style_height(&egui::TextStyle::Small);
    let (rect, response) = ui.allocate_exact_size(egui::vec2(width, VERSION_THUMB + line + 4.0), egui::Sense::click());
    let picture = egui::Rect::from_min_size(rect.min, egui::vec2(width, VERSION_THUMB));
    let visuals = ui.visuals().clone();
    match thumbs.get(&item.saved.path) {
        Thumb::Ready(tex) => egui::Image::new(tex).corner_radius(4.0).paint_at(ui, picture),
        Thumb::Loading | Thumb::Failed(_) => {
            ui.painter().rect_filled(picture, 4.0, visuals.faint_bg_color);
        }
    }
    let painter = ui.painter();
    if current {
        let stroke = egui::Stroke::new(2.0, visuals.selection.stroke.color);
        painter.rect_stroke(picture.expand(2.0), 5.0, stroke, egui::StrokeKind::Outside);
    } else if response.hovered() {
        painter.rect_stroke(picture.expand(1.0), 5.0, visuals.widgets.hovered.fg_stroke, egui::StrokeKind::Outside);
    }
    let colour = if current { visuals.strong_text_color() } else { visuals.weak_text_color() };
    let under = egui::pos2(picture.center().x, picture.bottom() + 2.0);
    painter.text(under, egui::Align2::CENTER_TOP, name, egui::TextStyle::Small.resolve(ui.style()), colour);
    response.widget_info(|| egui::WidgetInfo::selected(egui::Role::Button, true, current, name));
    if current { response } else { response.on_hover_text(super::jobs::excerpt(&m.request.prompt, 120)) }
}

/// The prompt, one line of settings, when and at what cost; the rest under "More info".
fn info_ui(ui: &mut egui::Ui, item: &GalleryItem) {
    let m = &item.saved.meta;
    let weak = theme::weak_colour(ui.visuals());
    egui::ScrollArea::vertical().auto_shrink([false, false]).show(ui, |ui| {
        // Words end short of the window's edge, as they begin short of the panel's.
        ui.set_max_width(ui.available_width() - theme::GAP);
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
        // A change made with reference pictures names them (the first input is the one changed).
        if let Some(references) = m.edit.as_ref().map(|e| &e.inputs).filter(|i| i.len() > 1) {
            let names: Vec<String> =
                references[1..].iter().map(|i| crate::outside::one_line_cut(&i.file, 60)).collect();
            let words = egui::RichText::new(text::references(names.len())).color(weak);
            ui.add(egui::Label::new(words).wrap()).on_hover_text(names.join("\n"));
        }
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
