//! The gallery: every picture in one justified grid across the whole width, under date headings
//! (Today, Yesterday, dates), a comparison's pictures kept together under its own line, and the
//! requests on their way as placeholder tiles at the top. A picture's prompt and settings show
//! on hover. Click opens a picture; Ctrl-click, Shift-click and Ctrl+A select. Only the rows on
//! screen are drawn, so a library of thousands costs no more per frame than a screenful.

use super::grid;
use super::icons;
use super::{text, theme};
use crate::app::selection::{SelectHow, Selection};
use crate::app::thumbs::{Thumb, ThumbCache};
use crate::app::{Command, GalleryItem, JobStatus, SentRequest};
use eframe::egui;

/// Space between tiles.
const GAP: f32 = 4.0;
/// How long a still pointer keeps the tiles' places: long enough to aim and click, not so long
/// that a pointer left over the pictures hides new ones.
const HOLD_SECS: f32 = 3.0;
/// Rounded corners of a tile.
const CORNER: f32 = 4.0;

/// What the gallery draws.
pub struct GalleryView<'a> {
    pub items: &'a [GalleryItem],
    /// Positions in `items` the filters let through, in order.
    pub shown: &'a [usize],
    pub jobs: &'a [SentRequest],
    /// The line of several failed requests is open.
    pub failures_open: bool,
    /// The search and filters the pictures shown pass.
    pub filter: &'a crate::app::filter::Filter,
    pub selection: &'a Selection,
    /// The history is still being read.
    pub loading: bool,
    pub row_height: f32,
    /// The day the headings count from ("Today", "Yesterday").
    pub today: chrono::NaiveDate,
}

/// One tile of the grid.
#[derive(Clone, Copy)]
enum Tile<'a> {
    /// Picture `index` of `of` still to come from a request.
    Coming {
        job: &'a SentRequest,
        index: usize,
        of: usize,
    },
    /// A request that failed or was cancelled.
    Ended(&'a SentRequest),
    Picture(&'a GalleryItem),
}

impl Tile<'_> {
    fn aspect(&self) -> f32 {
        match self {
            Tile::Coming { job, .. } => super::jobs::coming_aspect(job),
            // Room for the prompt, a sentence and two buttons.
            Tile::Ended(_) => 1.8,
            Tile::Picture(g) => grid::aspect(g.saved.meta.width as f32, g.saved.meta.height as f32),
        }
    }
}

/// What a run of tiles sits under.
enum Heading<'a> {
    Day(Option<chrono::NaiveDate>),
    /// The pictures of one comparison (its first picture, to open it).
    Comparison(&'a GalleryItem),
    /// Several failed requests in one line ("3 requests failed"), shown under it when open.
    Failures {
        count: usize,
        open: bool,
    },
    /// More of the day above, after a comparison.
    None,
}

struct Section<'a> {
    heading: Heading<'a>,
    tiles: Vec<Tile<'a>>,
}

/// Groups the tiles: requests on their way first, under Today; then the pictures by day, each
/// comparison in a run of its own.
fn sections<'a>(view: &GalleryView<'a>, today: chrono::NaiveDate) -> Vec<Section<'a>> {
    let mut out: Vec<Section<'a>> = Vec::new();
    let mut pending = Vec::new();
    let mut ended = Vec::new();
    for job in view.jobs {
        match &job.status {
            JobStatus::Queued | JobStatus::Running => {
                let arrived = crate::app::arrived(view.items, job.id);
                let of = usize::from(job.request.n);
                pending.extend((arrived..of).map(|index| Tile::Coming { job, index, of }));
            }
            JobStatus::Failed { .. } | JobStatus::Cancelled => ended.push(Tile::Ended(job)),
            JobStatus::Done(_) => {}
        }
    }
    // One failure is a tile among the others; several fold into one line, which opens.
    if ended.len() > 1 {
        let count = ended.len();
        let tiles = if view.failures_open { ended } else { Vec::new() };
        out.push(Section { heading: Heading::Failures { count, open: view.failures_open }, tiles });
    } else {
        pending.append(&mut ended);
    }
    // Today's pictures go on under the heading of the requests on their way.
    let mut day_of_last = None;
    if !pending.is_empty() {
        out.push(Section { heading: Heading::Day(Some(today)), tiles: pending });
        day_of_last = Some(Some(today));
    }
    let mut comparison_of_last: Option<&str> = None;
    for &i in view.shown {
        let g = &view.items[i];
        // A comparison's cells are requests of their own: they belong together by its id.
        let comparison = g.saved.meta.comparison.as_ref().map(|t| t.id.as_str());
        let new_day = day_of_last != Some(g.day);
        if new_day {
            out.push(Section { heading: Heading::Day(g.day), tiles: Vec::new() });
        }
        if new_day || comparison != comparison_of_last {
            match comparison {
                // A comparison whose details cannot be read cannot be opened: no line of its own.
                Some(_) if g.damaged.is_none() => {
                    out.push(Section { heading: Heading::Comparison(g), tiles: Vec::new() });
                }
                _ if !new_day => out.push(Section { heading: Heading::None, tiles: Vec::new() }),
                _ => {}
            }
            day_of_last = Some(g.day);
            comparison_of_last = comparison;
        }
        if let Some(last) = out.last_mut() {
            last.tiles.push(Tile::Picture(g));
        }
    }
    // A comparison reads in its own order (Low, Medium, High…), whichever cell came first.
    for s in out.iter_mut().filter(|s| matches!(s.heading, Heading::Comparison(_))) {
        s.tiles.sort_by_key(|t| match t {
            Tile::Picture(g) => g.saved.meta.comparison.as_ref().map(|c| (c.row, c.column)),
            _ => None,
        });
    }
    out
}

/// What a tile or a heading is, kept across frames: a picture on its way and the picture that
/// takes its place are the same place.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Key {
    Day(Option<chrono::NaiveDate>),
    Comparison(crate::app::PictureId),
    Failures,
    /// Picture `index` of a request sent in this run, on its way or arrived.
    Request(crate::worker::JobId, usize),
    Picture(crate::app::PictureId),
    Ended(crate::worker::JobId),
}

impl Tile<'_> {
    fn key(&self) -> Key {
        match *self {
            Tile::Coming { job, index, .. } => Key::Request(job.id, index),
            Tile::Ended(job) => Key::Ended(job.id),
            Tile::Picture(g) => g.job.map_or(Key::Picture(g.id), |job| Key::Request(job, g.saved.meta.index)),
        }
    }
}

/// What is drawn in one place of the grid.
enum Block<'a> {
    Heading(Heading<'a>),
    Tile(Tile<'a>),
}

/// Where each tile and heading was last laid out, from the grid's top left, and what the layout
/// was made for. While someone aims at the grid (or a menu is open) the places are kept: a
/// picture arriving, a request ending, a tile dismissed moves nothing under the pointer. What is
/// new waits, and what went leaves its place empty, until the pointer leaves the grid or rests.
#[derive(Clone)]
struct Placed {
    width: f32,
    row_height: f32,
    filter: crate::app::filter::Filter,
    failures_open: bool,
    height: f32,
    places: std::collections::HashMap<Key, egui::Rect>,
}

/// Draws the grid (inside the gallery's scroll area).
pub fn gallery_ui(ui: &mut egui::Ui, view: &GalleryView<'_>, thumbs: &mut ThumbCache, commands: &mut Vec<Command>) {
    if view.shown.is_empty() && !view.jobs.iter().any(|j| !matches!(j.status, JobStatus::Done(_))) {
        empty_ui(ui, view, commands);
        return;
    }
    let width = ui.available_width();
    let (blocks, height) = layout(ui, view, width);
    let memory = egui::Id::unique("gallery-placed");
    // Held while someone aims at a tile: the pointer over the grid and moved lately. A pointer
    // left at rest, or forgotten there while the prompt is typed, holds nothing back.
    let aiming = super::focus::aiming_for(ui.ctx()).filter(|secs| *secs < HOLD_SECS);
    let over = ui.rect_contains_pointer(ui.clip_rect());
    let held = (over && aiming.is_some()) || egui::Popup::is_any_open(ui.ctx());
    let kept: Option<std::sync::Arc<Placed>> = ui.data(|d| d.get_temp(memory));
    // What the user changes on purpose (the filters, Show or Hide of the failures, the size of
    // the tiles) is laid out at once.
    let same = |p: &Placed| {
        p.width == width
            && p.row_height == view.row_height
            && p.filter == *view.filter
            && p.failures_open == view.failures_open
    };
    let placed = match kept.filter(|p| held && same(p)) {
        Some(p) => {
            // What waits is laid out when the pointer comes to rest.
            if let Some(secs) = aiming {
                ui.ctx().request_repaint_after(std::time::Duration::from_secs_f32(HOLD_SECS - secs + 0.05));
            }
            p
        }
        None => {
            let places = blocks.iter().filter_map(|(block, rect)| key_of(block).map(|k| (k, *rect))).collect();
            let (row_height, filter, failures_open) = (view.row_height, view.filter.clone(), view.failures_open);
            let p = Placed { width, row_height, filter, failures_open, height, places };
            let p = std::sync::Arc::new(p);
            ui.data_mut(|d| d.insert_temp(memory, p.clone()));
            p
        }
    };
    let (grid, _) = ui.allocate_exact_size(egui::vec2(width, placed.height), egui::Sense::hover());
    // Tiles off screen only take their place: no texture, no widget, no request. A row more
    // above and below is drawn, for the arrow keys to move the focus to.
    let visible = ui.clip_rect().expand2(egui::vec2(0.0, view.row_height + GAP));
    let (mut focused, mut first) = (false, None);
    for (block, _) in &blocks {
        let Some(key) = key_of(block) else { continue };
        let Some(rect) = placed.places.get(&key).map(|r| r.translate(grid.min.to_vec2())) else { continue };
        if !rect.intersects(visible) {
            continue;
        }
        // Known by what it shows, not by its order: the focus stays on a tile as others come.
        let id = egui::Id::unique(("tile", key));
        let response = match block {
            Block::Heading(heading) => {
                heading_ui(ui, rect, heading, view.today, commands);
                continue;
            }
            Block::Tile(Tile::Coming { job, index, of }) => {
                super::jobs::coming_tile(ui, id, rect, job, *index, *of, commands)
            }
            Block::Tile(Tile::Ended(job)) => super::jobs::ended_tile(ui, rect, job, commands),
            Block::Tile(Tile::Picture(item)) => picture_tile(ui, id, rect, item, view.selection, thumbs, commands),
        };
        if response.sense.is_focusable() && first.is_none() && ui.clip_rect().contains_rect(rect) {
            first = Some(response.clone());
        }
        if response.has_focus() {
            focused = true;
            // Moved to by the keys: shown whole.
            if response.gained_focus() && super::focus::by_keys(ui.ctx()) {
                response.scroll_to_me(None);
            }
        }
    }
    super::focus::grid_has_it(ui.ctx(), focused);
    if super::focus::grid_asked(ui.ctx())
        && let Some(first) = first
    {
        first.request_focus();
    }
}

fn key_of(block: &Block<'_>) -> Option<Key> {
    match block {
        Block::Heading(Heading::Day(day)) => Some(Key::Day(*day)),
        Block::Heading(Heading::Comparison(first)) => Some(Key::Comparison(first.id)),
        Block::Heading(Heading::Failures { .. }) => Some(Key::Failures),
        // Only air between a comparison and the rest of its day: nothing to draw.
        Block::Heading(Heading::None) => None,
        Block::Tile(t) => Some(t.key()),
    }
}

/// Every heading and tile with its place from the grid's top left, and the grid's height.
fn layout<'a>(ui: &egui::Ui, view: &GalleryView<'a>, width: f32) -> (Vec<(Block<'a>, egui::Rect)>, f32) {
    let day_height = ui.text_style_height(&egui::TextStyle::Heading) + theme::GAP;
    let line_height = ui.text_style_height(&egui::TextStyle::Body) + theme::GAP / 2.0;
    let mut out = Vec::new();
    let mut y = 0.0;
    for section in sections(view, view.today) {
        let height = match section.heading {
            Heading::Day(_) => day_height,
            Heading::Comparison(_) | Heading::Failures { .. } => line_height,
            // A little air between a comparison and the rest of its day.
            Heading::None => theme::GAP,
        };
        let rect = egui::Rect::from_min_size(egui::pos2(0.0, y), egui::vec2(width, height));
        out.push((Block::Heading(section.heading), rect));
        y += height;
        let aspects: Vec<f32> = section.tiles.iter().map(Tile::aspect).collect();
        for row in grid::justify(&aspects, width, view.row_height, GAP) {
            let mut x = 0.0;
            for (tile, w) in section.tiles[row.start..row.end].iter().zip(grid::widths(&aspects, row)) {
                out.push((Block::Tile(*tile), egui::Rect::from_min_size(egui::pos2(x, y), egui::vec2(w, row.height))));
                x += w + GAP;
            }
            y += row.height + GAP;
        }
    }
    (out, y)
}

fn heading_ui(
    ui: &mut egui::Ui,
    rect: egui::Rect,
    heading: &Heading<'_>,
    today: chrono::NaiveDate,
    commands: &mut Vec<Command>,
) {
    let mut line =
        ui.new_child(egui::UiBuilder::new().max_rect(rect).layout(egui::Layout::left_to_right(egui::Align::Center)));
    match heading {
        Heading::Day(day) => {
            let words = day.map_or_else(|| text::UNKNOWN_DATE().to_string(), |d| text::day_heading(d, today));
            line.label(egui::RichText::new(words).heading());
        }
        Heading::Comparison(first) => {
            let weak = theme::weak_colour(line.visuals());
            line.label(icons::ICON_COMPARE.rich_text().size(16.0).color(weak));
            let words =
                format!("{} · {}", text::COMPARISON(), super::jobs::excerpt(&first.saved.meta.request.prompt, 70));
            line.add(egui::Label::new(egui::RichText::new(words).color(weak)).truncate());
            if line.small_button(text::OPEN_COMPARISON()).clicked() {
                commands.push(Command::OpenComparison(first.id));
            }
        }
        Heading::Failures { count, open } => {
            let colour = theme::error_colour(line.visuals());
            line.label(icons::ICON_WARNING.rich_text().size(16.0).color(colour));
            line.label(egui::RichText::new(text::requests_failed(*count)).color(colour));
            let (words, then) = if *open { (text::HIDE(), false) } else { (text::SHOW(), true) };
            if line.small_button(words).clicked() {
                commands.push(Command::ShowFailures(then));
            }
            if line.small_button(text::DISMISS_ALL()).clicked() {
                commands.push(Command::DismissFailures);
            }
        }
        Heading::None => {}
    }
}

/// The library is empty, or nothing passes the filters.
fn empty_ui(ui: &mut egui::Ui, view: &GalleryView<'_>, commands: &mut Vec<Command>) {
    ui.add_space(theme::GAP);
    let weak = theme::weak_colour(ui.visuals());
    if view.loading {
        ui.horizontal(|ui| {
            ui.spinner();
            ui.label(egui::RichText::new(text::LOADING_HISTORY()).color(weak));
        });
    } else if view.items.iter().any(|g| !g.hidden) {
        ui.label(egui::RichText::new(text::NOTHING_MATCHES()).color(weak));
    } else {
        // A calm welcome in the middle of the empty space; a first picture is one click away.
        ui.add_space((ui.available_height() * 0.2).max(theme::GAP));
        ui.vertical_centered(|ui| {
            ui.label(icons::ICON_PHOTO_LIBRARY.rich_text().size(48.0).color(weak));
            ui.add_space(theme::GAP);
            ui.label(egui::RichText::new(text::GALLERY_EMPTY()).size(18.0));
            ui.add_space(theme::GAP);
            ui.label(egui::RichText::new(text::TRY_AN_EXAMPLE()).color(weak));
            ui.add_space(theme::GAP / 2.0);
            ui.spacing_mut().item_spacing.y = 6.0;
            ui.spacing_mut().button_padding = egui::vec2(10.0, 5.0);
            for example in [text::EXAMPLE_1(), text::EXAMPLE_2(), text::EXAMPLE_3()] {
                if ui.add(egui::Button::new(example).min_size(egui::vec2(360.0, 0.0))).clicked() {
                    commands.push(Command::SetPrompt(example.to_string()));
                }
            }
        });
    }
}

/// One picture: click opens it (or, while some are selected, selects it too); Ctrl-click and
/// Shift-click select; right-click offers the actions; hover tells the prompt and settings.
fn picture_tile(
    ui: &mut egui::Ui,
    id: egui::Id,
    rect: egui::Rect,
    item: &GalleryItem,
    selection: &Selection,
    thumbs: &mut ThumbCache,
    commands: &mut Vec<Command>,
) -> egui::Response {
    let meta = &item.saved.meta;
    let mut name = text::picture_name(meta.index + 1, &super::jobs::excerpt(&meta.request.prompt, 60));
    if item.damaged.is_some() {
        name = text::tile_with_state(&name, text::NO_DETAILS());
    }
    let response = ui.interact(rect, id, egui::Sense::click());
    let visuals = ui.visuals().clone();
    let painter = ui.painter();
    let mut trouble = None;
    match thumbs.get(&item.saved.path) {
        Thumb::Ready(tex) => {
            // Its middle, if its place was kept for a picture of another shape (a square on its
            // way for Auto that came wide).
            let uv = grid::cover_uv(tex.size_vec2(), rect.width() / rect.height().max(1.0));
            egui::Image::new(tex).uv(uv).corner_radius(CORNER).paint_at(ui, rect);
        }
        // The tile has the picture's shape already, so nothing moves when it arrives.
        Thumb::Loading => {
            painter.rect_filled(rect, CORNER, visuals.faint_bg_color);
        }
        // A deleted picture's file is in the trash: its thumbnail shows while remembered.
        Thumb::Failed(_) if item.trashed.is_some() => {
            painter.rect_filled(rect, CORNER, visuals.faint_bg_color);
            let font = egui::FontId::new(28.0, icons::ICON_DELETE.font_family());
            painter.text(
                rect.center(),
                egui::Align2::CENTER_CENTER,
                icons::ICON_DELETE.codepoint,
                font,
                visuals.weak_text_color(),
            );
        }
        Thumb::Failed(e) => {
            let too_large = matches!(e, crate::app::Problem::Picture(p) if p.is_too_large());
            let word = if too_large { text::TOO_LARGE() } else { text::DAMAGED() };
            // A screen reader says it too, not only the tile's drawn word.
            name = text::tile_with_state(&name, word);
            painter.rect_filled(rect, CORNER, visuals.faint_bg_color);
            let font = egui::FontId::proportional(12.0);
            painter.text(rect.center(), egui::Align2::CENTER_CENTER, word, font, visuals.weak_text_color());
            trouble = Some(e.to_string());
        }
    }
    let selected = selection.contains(item.id);
    decorate(ui.painter(), rect, &response, selected, meta.favourite, &visuals);
    response.widget_info(|| egui::WidgetInfo::selected(egui::Role::Button, true, selected, &name));
    // Worded only when pointed at: a screenful of tiles costs nothing per frame for it.
    let response = response.on_hover_ui(|ui| {
        ui.label(hover_text(item, trouble));
    });
    let modifiers = ui.input(|i| i.modifiers);
    let deleted = item.trashed.is_some();
    if response.double_clicked() && !deleted {
        commands.push(Command::OpenViewer(item.id));
    } else if response.clicked() {
        let how = if modifiers.shift {
            Some(SelectHow::Range)
        } else if modifiers.command || !selection.is_empty() || deleted {
            Some(SelectHow::Toggle)
        } else {
            None
        };
        commands.push(how.map_or(Command::OpenViewer(item.id), |how| Command::Select(item.id, how)));
    }
    // The same menu from a "⋯" on the tile while pointed at: not everyone knows right-click.
    let at = egui::Rect::from_min_size(rect.right_bottom() - egui::vec2(32.0, 28.0), egui::vec2(26.0, 22.0));
    let mut corner = ui.new_child(egui::UiBuilder::new().id_salt(("tile-more", item.id)).max_rect(at));
    let menu_open = egui::Popup::is_id_open(ui.ctx(), corner.next_auto_id().with("popup"));
    if !deleted && rect.width() > 80.0 && (response.contains_pointer() || menu_open) {
        let button = egui::Button::new(icons::ICON_MORE_HORIZ.rich_text()).fill(egui::Color32::from_black_alpha(160));
        let (more, _) = egui::containers::menu::MenuButton::from_button(button).ui(&mut corner, |ui| {
            ui.set_min_width(theme::MENU_WIDTH);
            if selected && selection.len() > 1 {
                selection_actions_ui(ui, selection.len(), commands);
            } else {
                actions_ui(ui, item, commands);
            }
        });
        more.on_hover_text(text::MORE())
            .widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, text::MORE()));
    }
    response.context_menu(|ui| {
        if deleted {
            if ui.button(text::PUT_BACK()).clicked() {
                commands.push(Command::PutBack(vec![item.id]));
            }
        } else if selected && selection.len() > 1 {
            selection_actions_ui(ui, selection.len(), commands);
        } else {
            actions_ui(ui, item, commands);
        }
    });
    response
}

/// Hover shade, the selection's ring and tick, the favourite's star.
fn decorate(
    painter: &egui::Painter,
    rect: egui::Rect,
    response: &egui::Response,
    selected: bool,
    favourite: bool,
    visuals: &egui::Visuals,
) {
    if response.hovered() {
        painter.rect_filled(rect, CORNER, egui::Color32::from_white_alpha(18));
    }
    if selected {
        let ring = egui::Stroke::new(3.0, visuals.selection.bg_fill);
        painter.rect_stroke(rect, CORNER, ring, egui::StrokeKind::Inside);
        let centre = rect.left_top() + egui::vec2(14.0, 14.0);
        painter.circle_filled(centre, 9.0, visuals.selection.bg_fill);
        painter.text(
            centre,
            egui::Align2::CENTER_CENTER,
            icons::ICON_CHECK.codepoint,
            egui::FontId::new(14.0, icons::ICON_CHECK.font_family()),
            egui::Color32::WHITE,
        );
    }
    if favourite {
        star(painter, rect.right_top() + egui::vec2(-12.0, 12.0), 7.0, theme::star_colour(visuals));
    }
}

/// A picture's prompt, settings and date, and why it cannot be shown if it cannot.
fn hover_text(item: &GalleryItem, trouble: Option<String>) -> String {
    let m = &item.saved.meta;
    let mut lines = Vec::new();
    if m.request.prompt.is_empty() {
        lines.push(text::NO_DETAILS().to_string());
    } else {
        lines.push(super::jobs::excerpt(&m.request.prompt, 300));
    }
    if item.damaged.is_none() {
        let mut line = super::jobs::settings_line(&m.request);
        // The size asked is in the line already; the size made only where it differs (Auto).
        if m.request.size.dimensions() != Some((m.width, m.height)) {
            line = format!("{line} · {} × {}", m.width, m.height);
        }
        lines.push(line);
    }
    lines.push(text::local_time(&m.created));
    if let Some(d) = &item.damaged {
        lines.push(text::details_damaged(&d.to_string()));
    }
    lines.extend(trouble);
    lines.join("\n")
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

/// What can be done to the whole selection, in a picture's right-click menu.
fn selection_actions_ui(ui: &mut egui::Ui, count: usize, commands: &mut Vec<Command>) {
    ui.label(egui::RichText::new(text::selected(count)).strong());
    for (label, command) in [
        (text::SAVE_SELECTION(), Command::SaveSelection),
        (text::FAVOURITE(), Command::FavouriteSelection(true)),
        (text::UNFAVOURITE(), Command::FavouriteSelection(false)),
        (text::DELETE(), Command::DeleteSelection),
    ] {
        if ui.button(label).clicked() {
            commands.push(command);
            ui.close();
        }
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
    button(ui, text::CHANGE_THIS_PICTURE(), Command::ChangePicture(id));
    button(ui, text::USE_AS_REFERENCE(), Command::UseAsReference(id));
    if item.damaged.is_none() {
        button(ui, text::USE_SETTINGS(), Command::Reuse(id));
        let fav = if item.saved.meta.favourite { text::UNFAVOURITE() } else { text::FAVOURITE() };
        button(ui, fav, Command::Favourite(id, !item.saved.meta.favourite));
        if item.saved.meta.comparison.is_some() {
            button(ui, text::OPEN_COMPARISON(), Command::OpenComparison(id));
        }
    }
    button(ui, text::OPEN_FOLDER(), Command::OpenFolder(item.saved.path.parent().map(std::path::Path::to_path_buf)));
    button(ui, text::DELETE(), Command::Delete(id));
}
