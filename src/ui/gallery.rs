//! The gallery: every picture in the library, newest request first, one header per request;
//! search and filters above it. Only the rows on screen are drawn, so a library of thousands
//! costs no more per frame than a screenful.

use super::{text, theme};
use crate::api::Quality;
use crate::app::filter::{Filter, Since};
use crate::app::thumbs::{Thumb, ThumbCache};
use crate::app::{Command, GalleryItem};
use eframe::egui;
use std::collections::BTreeSet;

/// How a date filter reads.
fn since_label(s: Since) -> &'static str {
    match s {
        Since::Any => text::ANY_TIME(),
        Since::Day => text::LAST_DAY(),
        Since::Week => text::LAST_WEEK(),
        Since::Month => text::LAST_MONTH(),
    }
}

/// The search box and the filters.
pub fn filter_bar_ui(ui: &mut egui::Ui, filter: &mut Filter, items: &[GalleryItem], shown: usize) {
    ui.horizontal_wrapped(|ui| {
        let search =
            ui.add(egui::TextEdit::singleline(&mut filter.text).hint_text(text::SEARCH_HINT()).desired_width(220.0));
        search.widget_info(|| egui::WidgetInfo::labeled(egui::Role::TextInput, true, text::SEARCH()));
        let options = |f: fn(&GalleryItem) -> String| {
            items.iter().filter(|g| g.damaged.is_none()).map(f).collect::<BTreeSet<String>>()
        };
        choice_ui(ui, "filter-model", text::MODEL_FILTER(), text::ANY_MODEL(), &mut filter.model, || {
            options(|g| g.saved.meta.request.model.clone())
        });
        egui::ComboBox::from_id_salt("filter-quality")
            .selected_text(filter.quality.map_or(text::ANY_QUALITY(), super::form::quality_label))
            .show_ui(ui, |ui| {
                ui.selectable_value(&mut filter.quality, None, text::ANY_QUALITY());
                for q in Quality::ALL {
                    ui.selectable_value(&mut filter.quality, Some(*q), super::form::quality_label(*q));
                }
            })
            .response
            .widget_info(|| egui::WidgetInfo::labeled(egui::Role::ComboBox, true, text::QUALITY_FILTER()));
        choice_ui(ui, "filter-size", text::SIZE_FILTER(), text::ANY_SIZE(), &mut filter.size, || {
            options(GalleryItem::real_size)
        });
        egui::ComboBox::from_id_salt("filter-date")
            .selected_text(since_label(filter.since))
            .show_ui(ui, |ui| {
                for s in Since::ALL {
                    ui.selectable_value(&mut filter.since, s, since_label(s));
                }
            })
            .response
            .widget_info(|| egui::WidgetInfo::labeled(egui::Role::ComboBox, true, text::DATE_FILTER()));
        ui.toggle_value(&mut filter.favourites, text::FAVOURITES());
        if filter.is_active() {
            if ui.button(text::CLEAR_FILTERS()).clicked() {
                *filter = Filter::default();
            }
            ui.label(
                egui::RichText::new(text::shown_of(shown, items.iter().filter(|g| !g.hidden).count()))
                    .color(theme::weak_colour(ui.visuals())),
            );
        }
    });
}

/// A combo box of "any" plus the values found in the library (listed only when opened).
fn choice_ui(
    ui: &mut egui::Ui,
    id: &str,
    name: &str,
    any: &str,
    value: &mut Option<String>,
    values: impl FnOnce() -> BTreeSet<String>,
) {
    egui::ComboBox::from_id_salt(id)
        .selected_text(value.clone().unwrap_or_else(|| any.to_string()))
        .show_ui(ui, |ui| {
            ui.selectable_value(value, None, any);
            for v in values() {
                let label = v.clone();
                ui.selectable_value(value, Some(v), label);
            }
        })
        .response
        .widget_info(|| egui::WidgetInfo::labeled(egui::Role::ComboBox, true, name));
}

/// One thumbnail as a button: click opens the viewer; right-click offers the actions.
pub fn thumbnail_button(
    ui: &mut egui::Ui,
    item: &GalleryItem,
    side: f32,
    thumbs: &mut ThumbCache,
    commands: &mut Vec<Command>,
) {
    let meta = &item.saved.meta;
    let mut name = text::picture_name(meta.index + 1, &super::jobs::excerpt(&meta.request.prompt, 60));
    let mut unreadable = None;
    let response = match thumbs.get(&item.saved.path) {
        Thumb::Ready(tex) => {
            ui.add(egui::Button::image(egui::Image::new(tex).fit_to_exact_size(fit(tex.size_vec2(), side))))
        }
        // The same size as the thumbnail to come, so nothing moves when it arrives.
        Thumb::Loading => {
            ui.add_sized(thumb_size(item, side) + ui.spacing().button_padding * 2.0, egui::Button::new(text::LOADING()))
        }
        Thumb::Failed(e) => {
            unreadable = Some(e.to_string());
            let too_large = matches!(e, crate::app::Problem::Picture(p) if p.is_too_large());
            let word = if too_large { text::TOO_LARGE() } else { text::DAMAGED() };
            // A screen reader says it too, not only the tile's drawn word.
            name = text::tile_with_state(&name, word);
            ui.add_sized([side, side], egui::Button::new(word))
        }
    };
    if meta.favourite {
        star(ui.painter(), response.rect.right_top() + egui::vec2(-12.0, 12.0), 7.0, theme::star_colour(ui.visuals()));
    }
    response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, &name));
    let mut hover =
        if meta.request.prompt.is_empty() { text::NO_DETAILS().to_string() } else { meta.request.prompt.clone() };
    if let Some(d) = &item.damaged {
        hover = format!("{hover}\n\n{}", text::details_damaged(&d.to_string()));
    }
    if let Some(e) = unreadable {
        hover = format!("{hover}\n\n{e}");
    }
    let response = response.on_hover_text(hover);
    if response.clicked() {
        commands.push(Command::OpenViewer(item.id));
    }
    response.context_menu(|ui| actions_ui(ui, item, commands));
}

/// A five-pointed star, drawn rather than typed so that no font needs the glyph.
fn star(painter: &egui::Painter, centre: egui::Pos2, radius: f32, colour: egui::Color32) {
    let points: Vec<egui::Pos2> = (0..10)
        .map(|i| {
            let r = if i % 2 == 0 { radius } else { radius * 0.45 };
            let a = std::f32::consts::PI * (i as f32) / 5.0 - std::f32::consts::FRAC_PI_2;
            centre + egui::vec2(a.cos(), a.sin()) * r
        })
        .collect();
    // The star is not convex: draw it as five triangles around the centre plus the inner pentagon.
    for i in 0..5 {
        let (tip, left, right) = (points[2 * i], points[(2 * i + 9) % 10], points[2 * i + 1]);
        painter.add(egui::Shape::convex_polygon(vec![tip, right, centre, left], colour, egui::Stroke::NONE));
    }
}

/// The actions on a picture, for buttons and menus alike.
pub fn actions_ui(ui: &mut egui::Ui, item: &GalleryItem, commands: &mut Vec<Command>) {
    let id = item.id;
    let mut button = |ui: &mut egui::Ui, label: &str, command: Command| {
        if ui.button(label).clicked() {
            commands.push(command);
            ui.close();
        }
    };
    button(ui, text::SAVE_AS(), Command::SaveAs(id));
    button(ui, text::COPY(), Command::Copy(id));
    if item.damaged.is_none() {
        button(ui, text::REUSE(), Command::Reuse(id));
        let fav = if item.saved.meta.favourite { text::UNFAVOURITE() } else { text::FAVOURITE() };
        button(ui, fav, Command::Favourite(id, !item.saved.meta.favourite));
        if item.saved.meta.comparison.is_some() {
            button(ui, text::OPEN_COMPARISON(), Command::OpenComparison(id));
        }
    }
    button(ui, text::OPEN_FOLDER(), Command::OpenFolder(item.saved.path.parent().map(std::path::Path::to_path_buf)));
    button(ui, text::DELETE(), Command::Delete(id));
}

fn fit(size: egui::Vec2, side: f32) -> egui::Vec2 {
    let scale = side / size.x.max(size.y).max(1.0);
    size * scale
}

/// A thumbnail's size on screen, from the picture's size in its metadata (square if unknown).
fn thumb_size(item: &GalleryItem, side: f32) -> egui::Vec2 {
    let m = &item.saved.meta;
    if m.width == 0 || m.height == 0 {
        egui::vec2(side, side)
    } else {
        fit(egui::vec2(m.width as f32, m.height as f32), side)
    }
}

/// The header above a request's pictures: when, the prompt, the settings.
fn header_text(item: &GalleryItem, pictures: usize) -> String {
    let m = &item.saved.meta;
    let when = text::local_time(&m.created);
    if item.damaged.is_some() && m.request.prompt.is_empty() {
        return format!("{when} · {}", text::NO_DETAILS());
    }
    let settings =
        format!("{} · {} · {}x{}", m.request.model, super::form::quality_label(m.request.quality), m.width, m.height);
    format!("{when} · {} · {settings} · {}", super::jobs::excerpt(&m.request.prompt, 70), text::pictures(pictures))
}

/// Draws the grid of the pictures at `shown` (positions in `items`), grouped by request.
pub fn gallery_ui(
    ui: &mut egui::Ui,
    items: &[GalleryItem],
    shown: &[usize],
    loading: bool,
    thumbs: &mut ThumbCache,
    commands: &mut Vec<Command>,
) {
    ui.add_space(theme::GAP);
    ui.horizontal(|ui| {
        ui.heading(text::GALLERY());
        if loading {
            ui.spinner();
            ui.label(text::LOADING_HISTORY());
        }
        if !shown.is_empty() && ui.button(text::SAVE_ALL()).clicked() {
            commands.push(Command::SaveAll);
        }
    });
    if shown.is_empty() {
        if loading {
            return;
        }
        if items.iter().any(|g| !g.hidden) {
            ui.label(egui::RichText::new(text::NOTHING_MATCHES()).color(theme::weak_colour(ui.visuals())));
        } else {
            ui.label(egui::RichText::new(text::GALLERY_EMPTY()).color(theme::weak_colour(ui.visuals())));
            // A first picture is one click away: an example goes into the prompt, ready to send.
            ui.label(text::TRY_AN_EXAMPLE());
            for example in [text::EXAMPLE_1(), text::EXAMPLE_2(), text::EXAMPLE_3()] {
                if ui.link(example).clicked() {
                    commands.push(Command::SetPrompt(example.to_string()));
                }
            }
        }
        return;
    }
    let spacing = ui.spacing().item_spacing;
    let cell = theme::THUMB + 2.0 * ui.spacing().button_padding.x;
    let padding = 2.0 * ui.spacing().button_padding.y;
    let width = ui.available_width();
    let cols = (((width + spacing.x) / (cell + spacing.x)).floor() as usize).max(1);
    let header_height = ui.text_style_height(&egui::TextStyle::Body) + spacing.y;
    let visible = ui.clip_rect();
    let mut start = 0;
    while start < shown.len() {
        let group = &items[shown[start]].saved.meta.group;
        let end = start + shown[start..].iter().take_while(|&&i| items[i].saved.meta.group == *group).count();
        let first = &items[shown[start]];
        let (rect, _) = ui.allocate_exact_size(egui::vec2(width, header_height), egui::Sense::hover());
        if ui.is_rect_visible(rect) {
            let colour = theme::weak_colour(ui.visuals());
            let mut header = ui.new_child(
                egui::UiBuilder::new().max_rect(rect).layout(egui::Layout::left_to_right(egui::Align::Center)),
            );
            if first.saved.meta.comparison.is_some()
                && first.damaged.is_none()
                && header.small_button(text::OPEN_COMPARISON()).clicked()
            {
                commands.push(Command::OpenComparison(first.id));
            }
            header.add(egui::Label::new(egui::RichText::new(header_text(first, end - start)).color(colour)).truncate());
        }
        for row in shown[start..end].chunks(cols) {
            // As tall as its tallest thumbnail: landscape rows leave no empty band.
            let height = row.iter().map(|&i| thumb_size(&items[i], theme::THUMB).y).fold(0.0, f32::max) + padding;
            let (rect, _) = ui.allocate_exact_size(egui::vec2(width, height), egui::Sense::hover());
            // Rows off screen only take their place: no texture, no widget, no request.
            if rect.intersects(visible) {
                let mut row_ui = ui.new_child(
                    egui::UiBuilder::new().max_rect(rect).layout(egui::Layout::left_to_right(egui::Align::Min)),
                );
                for &i in row {
                    thumbnail_button(&mut row_ui, &items[i], theme::THUMB, thumbs, commands);
                }
            }
        }
        ui.add_space(theme::GAP / 2.0);
        start = end;
    }
}
