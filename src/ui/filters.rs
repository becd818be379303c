//! The bar above the gallery: the search, the filters (in a menu when the window is narrow) and
//! the thumbnail size; while pictures are selected, what can be done to them instead. The bar
//! is one row tall either way, so nothing below it moves when a selection begins or ends.

use super::icons;
use super::{text, theme};
use crate::api::Quality;
use crate::app::filter::{Filter, Since};
use crate::app::{Command, GalleryItem};
use eframe::egui;
use std::collections::BTreeSet;

/// Below this width the filters fold into a menu beside the search.
const NARROW: f32 = 700.0;
/// Below this width of the whole bar the size slider moves into the ⋯ menu.
const NO_ROOM_FOR_SLIDER: f32 = 560.0;

/// What the bar shows and edits.
pub struct BarState<'a> {
    pub filter: &'a mut Filter,
    pub items: &'a [GalleryItem],
    pub shown: usize,
    /// The pictures selected (none: the filters are shown).
    pub selected: &'a [crate::app::PictureId],
    /// Pictures deleted this session that the trash holds.
    pub deleted: &'a [crate::app::PictureId],
    /// Whether every selected picture is a favourite already.
    pub all_favourite: bool,
    pub thumb_height: &'a mut f32,
}

/// Draws the bar, one row tall.
pub fn bar_ui(ui: &mut egui::Ui, bar: BarState<'_>, commands: &mut Vec<Command>) {
    let height = ui.spacing().interact_size.y.max(ui.text_style_height(&egui::TextStyle::Body)) + 4.0;
    let (rect, _) = ui.allocate_exact_size(egui::vec2(ui.available_width(), height), egui::Sense::hover());
    let mut row =
        ui.new_child(egui::UiBuilder::new().max_rect(rect).layout(egui::Layout::left_to_right(egui::Align::Center)));
    // The size slider keeps its place at the right, whatever the left shows.
    let slider_in_menu = rect.width() < NO_ROOM_FOR_SLIDER;
    row.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
        more_menu(
            ui,
            &mut bar.filter.deleted,
            bar.deleted.len(),
            slider_in_menu.then_some(&mut *bar.thumb_height),
            commands,
        );
        if !slider_in_menu {
            size_slider(ui, bar.thumb_height);
        }
        ui.add_space(theme::GAP);
        ui.with_layout(egui::Layout::left_to_right(egui::Align::Center), |ui| {
            match (bar.filter.deleted, bar.selected) {
                (true, []) => deleted_ui(ui, &mut bar.filter.deleted, bar.deleted, commands),
                (true, selected) => put_back_ui(ui, selected, commands),
                (false, []) => filters_ui(ui, bar.filter, bar.items, bar.shown),
                (false, selected) => selection_ui(ui, selected.len(), bar.all_favourite, commands),
            }
        });
    });
}

/// "⋯": what concerns the whole gallery, and "Recently deleted" while there is any.
fn more_menu(
    ui: &mut egui::Ui,
    showing_deleted: &mut bool,
    deleted: usize,
    thumb_height: Option<&mut f32>,
    commands: &mut Vec<Command>,
) {
    let menu = egui::containers::menu::MenuButton::new(icons::ICON_MORE_HORIZ.rich_text().size(18.0));
    let (response, _) = menu.ui(ui, |ui| {
        if let Some(height) = thumb_height {
            ui.horizontal(|ui| size_slider(ui, height));
            ui.separator();
        }
        if deleted > 0 {
            ui.toggle_value(showing_deleted, text::recently_deleted(deleted));
            ui.separator();
        }
        for (label, command) in [
            (format!("{} (Ctrl+A)", text::SELECT_ALL()), Command::SelectAll),
            (text::SAVE_ALL().to_string(), Command::SaveAll),
            (text::OPEN_PICTURES_FOLDER().to_string(), Command::OpenFolder(None)),
        ] {
            if ui.button(label).clicked() {
                commands.push(command);
            }
        }
    });
    response
        .on_hover_text(text::MORE())
        .widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, text::MORE()));
}

fn size_slider(ui: &mut egui::Ui, height: &mut f32) {
    let (low, _, high) = crate::app::THUMB_HEIGHT;
    ui.spacing_mut().slider_width = 90.0;
    let slider = ui.add(egui::Slider::new(height, low..=high).show_value(false)).on_hover_text(text::THUMB_SIZE());
    slider.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Slider, true, text::THUMB_SIZE()));
    ui.label(icons::ICON_PHOTO_LIBRARY.rich_text().size(16.0).color(theme::weak_colour(ui.visuals())));
}

/// The selection's actions, in place of the filters.
fn selection_ui(ui: &mut egui::Ui, count: usize, all_favourite: bool, commands: &mut Vec<Command>) {
    let clear = ui.button(icons::ICON_CLOSE).on_hover_text(format!("{} (Esc)", text::CLEAR_SELECTION()));
    clear.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, text::CLEAR_SELECTION()));
    if clear.clicked() {
        commands.push(Command::ClearSelection);
    }
    ui.label(egui::RichText::new(text::selected(count)).strong());
    ui.add_space(theme::GAP);
    let mut action = |ui: &mut egui::Ui, icon: icons::MaterialIcon, word: &str, command: Command| {
        if super::icon_button(ui, icon, word).clicked() {
            commands.push(command);
        }
    };
    action(ui, icons::ICON_DOWNLOAD, text::SAVE_SELECTION(), Command::SaveSelection);
    let word = if all_favourite { text::UNFAVOURITE() } else { text::FAVOURITE() };
    action(ui, icons::ICON_STAR, word, Command::FavouriteSelection(!all_favourite));
    action(ui, icons::ICON_DELETE, text::DELETE(), Command::DeleteSelection);
    ui.add_space(theme::GAP);
    if ui.button(text::SELECT_ALL()).on_hover_text("Ctrl+A").clicked() {
        commands.push(Command::SelectAll);
    }
}

/// The bar while "Recently deleted" is shown: what it is, Put back all, and the way out.
fn deleted_ui(ui: &mut egui::Ui, showing: &mut bool, deleted: &[crate::app::PictureId], commands: &mut Vec<Command>) {
    let back = ui.button(icons::ICON_ARROW_BACK).on_hover_text(text::ALL_PICTURES());
    back.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, text::ALL_PICTURES()));
    if back.clicked() {
        *showing = false;
    }
    ui.label(egui::RichText::new(text::recently_deleted(deleted.len())).strong());
    ui.label(egui::RichText::new(text::IN_THE_TRASH()).color(theme::weak_colour(ui.visuals())));
    if super::icon_button(ui, icons::ICON_RESTORE_FROM_TRASH, text::PUT_BACK_ALL()).clicked() {
        commands.push(Command::PutBack(deleted.to_vec()));
    }
}

/// The selection's one action among deleted pictures.
fn put_back_ui(ui: &mut egui::Ui, selected: &[crate::app::PictureId], commands: &mut Vec<Command>) {
    let clear = ui.button(icons::ICON_CLOSE).on_hover_text(format!("{} (Esc)", text::CLEAR_SELECTION()));
    clear.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, text::CLEAR_SELECTION()));
    if clear.clicked() {
        commands.push(Command::ClearSelection);
    }
    ui.label(egui::RichText::new(text::selected(selected.len())).strong());
    if super::icon_button(ui, icons::ICON_RESTORE_FROM_TRASH, text::PUT_BACK()).clicked() {
        commands.push(Command::PutBack(selected.to_vec()));
    }
}

/// How a date filter reads.
fn since_label(s: Since) -> &'static str {
    match s {
        Since::Any => text::ANY_TIME(),
        Since::Day => text::LAST_DAY(),
        Since::Week => text::LAST_WEEK(),
        Since::Month => text::LAST_MONTH(),
    }
}

/// The search box and the filters, or the search and a Filters menu when narrow.
fn filters_ui(ui: &mut egui::Ui, filter: &mut Filter, items: &[GalleryItem], shown: usize) {
    let narrow = ui.available_width() < NARROW;
    let search =
        ui.add(egui::TextEdit::singleline(&mut filter.text).hint_text(text::SEARCH_HINT()).desired_width(if narrow {
            160.0
        } else {
            180.0
        }));
    search.widget_info(|| egui::WidgetInfo::labeled(egui::Role::TextInput, true, text::SEARCH()));
    if narrow {
        let narrowed = *filter != Filter { text: filter.text.clone(), ..Filter::default() };
        // A dot says some filter narrows the gallery while the menu is closed.
        let dot = if narrowed { " •" } else { "" };
        let label = format!("{} {}{dot}", icons::ICON_FILTER_LIST.codepoint, text::FILTERS());
        ui.menu_button(label, |ui| menu_choices_ui(ui, filter, items))
            .response
            .widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, text::FILTERS()));
    } else {
        choices_ui(ui, filter, items);
    }
    if filter.is_active() {
        if ui.button(text::CLEAR_FILTERS()).clicked() {
            *filter = Filter::default();
        }
        ui.label(
            egui::RichText::new(text::shown_of(shown, items.iter().filter(|g| !g.hidden).count()))
                .color(theme::weak_colour(ui.visuals())),
        );
    }
}

/// The same choices as submenus, for the narrow window's Filters menu.
fn menu_choices_ui(ui: &mut egui::Ui, filter: &mut Filter, items: &[GalleryItem]) {
    let values = |f: fn(&GalleryItem) -> String| {
        items.iter().filter(|g| g.damaged.is_none()).map(f).collect::<BTreeSet<String>>()
    };
    let submenu = |ui: &mut egui::Ui, name: &str, any: &str, value: &mut Option<String>, all: BTreeSet<String>| {
        ui.menu_button(format!("{name}: {}", value.as_deref().unwrap_or(any)), |ui| {
            ui.selectable_value(value, None, any);
            for v in all {
                let label = v.clone();
                ui.selectable_value(value, Some(v), label);
            }
        });
    };
    submenu(ui, text::MODEL(), text::ANY_MODEL(), &mut filter.model, values(|g| g.saved.meta.request.model.clone()));
    ui.menu_button(
        format!("{}: {}", text::QUALITY(), filter.quality.map_or(text::ANY_QUALITY(), super::form::quality_label)),
        |ui| {
            ui.selectable_value(&mut filter.quality, None, text::ANY_QUALITY());
            for q in Quality::ALL {
                ui.selectable_value(&mut filter.quality, Some(*q), super::form::quality_label(*q));
            }
        },
    );
    submenu(ui, text::SIZE(), text::ANY_SIZE(), &mut filter.size, values(GalleryItem::real_size));
    ui.menu_button(format!("{}: {}", text::DATE(), since_label(filter.since)), |ui| {
        for s in Since::ALL {
            ui.selectable_value(&mut filter.since, s, since_label(s));
        }
    });
    ui.separator();
    ui.checkbox(&mut filter.favourites, text::FAVOURITES());
}

/// The model, quality, size and date choices and the favourites toggle.
fn choices_ui(ui: &mut egui::Ui, filter: &mut Filter, items: &[GalleryItem]) {
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
    ui.toggle_value(&mut filter.favourites, format!("{} {}", icons::ICON_STAR.codepoint, text::FAVOURITES()))
        .widget_info(|| egui::WidgetInfo::selected(egui::Role::Button, true, filter.favourites, text::FAVOURITES()));
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
