//! Comparisons: the dialog that sets one up (what to vary, each cell's cost, the total, then
//! confirm) and the view (cells side by side with their figures and the relay check, zoom and
//! pan shared by every cell, 1:1, an A/B wipe of any two cells).

use super::actions::key_cap;
use super::icons;
use super::zoom::{self, icon_button, icon_toggle};
use super::{text, theme};
use crate::api::{ImageRequest, OutputFormat, Quality};
use crate::app::compare_draft::{AxisDraft, CompareDraft};
use crate::app::compare_view::CompareView;
use crate::app::thumbs::{Thumb, ThumbCache};
use crate::app::zoom::{Stage, ZoomPan};
use crate::app::{Action, Blocked, CellState, Command, Comparison, GalleryItem, Picture, PictureId};
use crate::compare::{CompareError, Plan, Setting, relay_check};
use crate::endpoint::Prices;
use eframe::egui;

/// How close to the wipe's divider a drag must start to move it, in points.
const DIVIDER_GRAB: f32 = 12.0;

fn setting_name(s: Setting) -> &'static str {
    match s {
        Setting::Quality => text::QUALITY(),
        Setting::Size => text::SIZE(),
        Setting::Model => text::MODEL(),
        Setting::Format => text::FORMAT(),
    }
}

/// The dialog: what to vary, what each picture will cost, the total; Start or Cancel.
pub fn compare_dialog_ui(
    ctx: &egui::Context,
    draft: &mut CompareDraft,
    base: &Result<ImageRequest, Blocked>,
    prompt_limit: usize,
    prices: &Prices,
    commands: &mut Vec<Command>,
) {
    // The qualities the form's model makes (all of them while the model itself is varied).
    let varies_model =
        draft.x.setting == Setting::Model || draft.y.as_ref().is_some_and(|y| y.setting == Setting::Model);
    let qualities = match base {
        Ok(r) if !varies_model => crate::api::models::rules(&r.model).qualities,
        _ => Quality::ALL,
    };
    let modal = egui::Modal::new(egui::Id::unique("compare-dialog")).show(ctx, |ui| {
        ui.set_width(480.0);
        ui.heading(text::COMPARE_TITLE());
        ui.label(text::COMPARE_INTRO());
        ui.add_space(theme::GAP);
        egui::Grid::new("compare-axes").num_columns(2).spacing([theme::GAP, theme::GAP]).show(ui, |ui| {
            ui.label(text::VARY());
            ui.vertical(|ui| {
                let mut picked = Some(draft.x.setting);
                setting_combo(ui, "vary-x", text::VARY(), &mut picked, None, Setting::ALL.into_iter().map(Some));
                if let Some(x) = picked.filter(|x| *x != draft.x.setting) {
                    draft.x = AxisDraft::new(x);
                    if draft.y.as_ref().is_some_and(|y| y.setting == x) {
                        draft.y = None;
                    }
                }
                values_ui(ui, &mut draft.x, qualities);
            });
            ui.end_row();
            ui.label(text::AND_VARY());
            ui.vertical(|ui| {
                let mut y = draft.y.as_ref().map(|y| y.setting);
                let others = Setting::ALL.into_iter().filter(|s| *s != draft.x.setting).map(Some);
                setting_combo(
                    ui,
                    "vary-y",
                    text::AND_VARY(),
                    &mut y,
                    Some(text::NOTHING()),
                    std::iter::once(None).chain(others),
                );
                if y != draft.y.as_ref().map(|a| a.setting) {
                    draft.y = y.map(AxisDraft::new);
                }
                if let Some(y) = &mut draft.y {
                    values_ui(ui, y, qualities);
                }
            });
            ui.end_row();
        });
        ui.add_space(theme::GAP);
        let plan = match base {
            Ok(base) => draft.plan(base, prompt_limit).map_err(|e| match e {
                // The command line's "quality=a,b" means nothing here.
                CompareError::NoValues(_) => text::PICK_A_VALUE().to_string(),
                e => e.to_string(),
            }),
            Err(reason) => Err(reason.to_string()),
        };
        match &plan {
            Ok(plan) => costs_ui(ui, plan, prices),
            Err(e) => {
                ui.colored_label(theme::warn_colour(ui.visuals()), e);
            }
        }
        ui.add_space(theme::GAP);
        ui.horizontal(|ui| {
            let start = match &plan {
                Ok(p) => text::make_pictures(p.cells.len()),
                Err(_) => text::make_pictures(0),
            };
            if ui.add_enabled(plan.is_ok(), egui::Button::new(egui::RichText::new(start).strong())).clicked() {
                commands.push(Command::StartComparison);
            }
            if ui.button(text::CANCEL()).clicked() {
                commands.push(Command::CloseCompareDialog);
            }
        });
    });
    if modal.should_close() {
        commands.push(Command::CloseCompareDialog);
    }
}

/// A combo box of settings (`None` shown as `none_label`).
fn setting_combo(
    ui: &mut egui::Ui,
    id: &str,
    name: &str,
    value: &mut Option<Setting>,
    none_label: Option<&'static str>,
    choices: impl Iterator<Item = Option<Setting>>,
) {
    let label = |s: Option<Setting>| s.map_or(none_label.unwrap_or_default(), setting_name);
    egui::ComboBox::from_id_salt(id)
        .selected_text(label(*value))
        .show_ui(ui, |ui| {
            for s in choices {
                ui.selectable_value(value, s, label(s));
            }
        })
        .response
        .widget_info(|| egui::WidgetInfo::labeled(egui::Role::ComboBox, true, name));
}

/// Checkboxes for the settings with a few values (the qualities among `qualities`), a text
/// field for sizes and models.
fn values_ui(ui: &mut egui::Ui, axis: &mut AxisDraft, qualities: &[Quality]) {
    let options: Vec<(&str, String)> = match axis.setting {
        Setting::Quality => qualities.iter().map(|q| (q.wire(), super::form::quality_label(*q).to_string())).collect(),
        Setting::Format => OutputFormat::ALL.iter().map(|f| (f.wire(), f.wire().to_uppercase())).collect(),
        Setting::Size | Setting::Model => {
            let hint = if axis.setting == Setting::Size { text::SIZES_HINT() } else { text::MODELS_HINT() };
            let field = ui.add(egui::TextEdit::singleline(&mut axis.values).hint_text(hint).desired_width(300.0));
            field.widget_info(|| egui::WidgetInfo::labeled(egui::Role::TextInput, true, text::VALUES()));
            return;
        }
    };
    let chosen: Vec<String> = axis.values.split(',').map(|v| v.trim().to_lowercase()).collect();
    let mut next = Vec::new();
    let mut changed = false;
    ui.horizontal(|ui| {
        for (wire, label) in options {
            let mut on = chosen.iter().any(|c| c == wire);
            changed |= ui.checkbox(&mut on, label).changed();
            if on {
                next.push(wire);
            }
        }
    });
    if changed {
        axis.values = next.join(",");
    }
}

/// Each picture's estimate and the total.
fn costs_ui(ui: &mut egui::Ui, plan: &Plan, prices: &Prices) {
    let mut total = crate::endpoint::Estimate { usd: 0.0, approximate: false, at_least: false };
    let mut unknown = 0;
    egui::Grid::new("compare-costs").num_columns(2).spacing([theme::GAP * 2.0, 2.0]).show(ui, |ui| {
        for (i, cell) in plan.cells.iter().enumerate() {
            let r = &cell.request;
            ui.label(plan.display_label(i));
            match prices.estimate(&crate::endpoint::Order::of(r).pictures(1)) {
                Some(e) => {
                    total.usd += e.usd;
                    total.approximate |= e.approximate;
                    total.at_least |= e.at_least;
                    ui.label(text::estimate(&e));
                }
                None => {
                    unknown += 1;
                    ui.label(text::COST_UNKNOWN());
                }
            }
            ui.end_row();
        }
    });
    ui.label(egui::RichText::new(text::comparison_total(plan.cells.len(), &text::estimate(&total), unknown)).strong());
}

/// What a cell shows besides its state: its gallery item when made, its full-size picture.
struct CellParts<'a> {
    label: String,
    request: &'a ImageRequest,
    state: &'a CellState,
    item: Option<&'a GalleryItem>,
    picture: Option<&'a Picture>,
}

/// Draws an open comparison over the whole window; `pressed` are its actions whose keys were
/// pressed this frame.
pub fn compare_ui(
    ui: &mut egui::Ui,
    c: &mut Comparison,
    cells: &[CellState],
    gallery: &[GalleryItem],
    thumbs: &mut ThumbCache,
    pressed: &[Action],
    commands: &mut Vec<Command>,
) {
    let done: Vec<usize> =
        cells.iter().enumerate().filter(|(_, s)| matches!(s, CellState::Done { .. })).map(|(i, _)| i).collect();
    let item = |id: PictureId| gallery.iter().find(|g| g.id == id);
    if c.view.wipe.is_some_and(|(a, b)| !done.contains(&a) || !done.contains(&b)) {
        c.view.wipe = None;
    }
    // The wipe first, and only then the comparison.
    if pressed.contains(&Action::Close) {
        if c.view.wipe.is_some() {
            c.view.wipe = None;
        } else {
            commands.push(Command::CloseComparison);
        }
    }
    egui::Panel::top("compare-bar").show(ui, |ui| {
        ui.horizontal(|ui| {
            ui.spacing_mut().item_spacing.x = 2.0;
            bar_ui(ui, c, cells, &done, &item, pressed, commands);
        });
    });
    egui::CentralPanel::default().show(ui, |ui| {
        ui.horizontal(|ui| {
            let weak = theme::weak_colour(ui.visuals());
            ui.label(egui::RichText::new(text::COMPARISON()).strong());
            // The hint on the right; the title takes what is left, cut short if need be.
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                ui.label(egui::RichText::new(text::SAME_DETAIL()).color(weak));
                ui.with_layout(egui::Layout::left_to_right(egui::Align::Center), |ui| {
                    ui.add(egui::Label::new(egui::RichText::new(c.plan.title()).color(weak)).truncate())
                        .on_hover_text(&c.plan.cells[0].request.prompt);
                });
            });
        });
        let parts: Vec<CellParts<'_>> = c
            .plan
            .cells
            .iter()
            .zip(cells)
            .enumerate()
            .map(|(i, (cell, state))| {
                let item = match state {
                    CellState::Done { picture } => item(*picture),
                    _ => None,
                };
                CellParts {
                    label: c.plan.display_label(i),
                    request: &cell.request,
                    state,
                    item,
                    picture: item.and_then(|g| c.pictures.get(&g.saved.path)),
                }
            })
            .collect();
        match c.view.wipe {
            Some((a, b)) => wipe_ui(ui, &mut c.view, &parts, (a, b), &done),
            None => {
                // One row of cells wraps onto more rather than scroll sideways in a small
                // window; a grid of two settings keeps its rows and columns.
                let mut columns = c.plan.x.values.len();
                if c.plan.y.is_none() {
                    let fit = ((ui.available_width() + theme::GAP) / (MIN_CELL_WIDTH + theme::GAP)).floor();
                    columns = columns.min((fit as usize).max(1));
                }
                let use_label = text::use_this(&c.plan.settings());
                grid_ui(ui, &mut c.view, &parts, columns, &use_label, thumbs, commands);
            }
        }
    });
}

/// Back, the shared zoom, the wipe and the sheet on the left; what was made and spent on the right.
fn bar_ui<'a>(
    ui: &mut egui::Ui,
    c: &mut Comparison,
    cells: &[CellState],
    done: &[usize],
    item: &dyn Fn(PictureId) -> Option<&'a GalleryItem>,
    pressed: &[Action],
    commands: &mut Vec<Command>,
) {
    let esc = key_cap(ui.ctx(), Action::Close);
    if icon_button(ui, icons::ICON_ARROW_BACK, text::CLOSE(), Some(&esc), true).clicked() {
        commands.push(Command::CloseComparison);
    }
    zoom::group_gap(ui);
    zoom::toolbar_ui(ui, &mut c.view.zoom, pressed, false);
    zoom::group_gap(ui);
    let two = done.len() >= 2;
    let tip = if two { text::AB_WIPE_HOVER() } else { text::AB_NEEDS_TWO() };
    if icon_toggle(ui, icons::ICON_COMPARE, text::AB_WIPE(), tip, c.view.wipe.is_some(), two).clicked() {
        c.view.wipe = if c.view.wipe.is_some() { None } else { Some((done[0], done[done.len() - 1])) };
    }
    let running = cells.iter().any(|s| matches!(s, CellState::Waiting { .. }));
    let ready = !running && !done.is_empty() && !c.exporting;
    let tip =
        format!("{}\n{}", text::EXPORT_SHEET(), if ready { text::EXPORT_SHEET_HOVER() } else { text::EXPORT_WAIT() });
    if zoom::icon_button_tip(ui, icons::ICON_IOS_SHARE, text::EXPORT_SHEET(), &tip, ready).clicked() {
        commands.push(Command::ExportSheet);
    }
    let labels: Vec<String> = (0..c.plan.cells.len()).map(|i| c.plan.display_label(i)).collect();
    let summary = summary(cells, &labels, item);
    ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
        ui.add_space(theme::GAP);
        ui.add(egui::Label::new(summary).truncate());
    });
}

/// "2 of 3 made · $0.18 in all · High cost 35× Low".
fn summary<'a>(cells: &[CellState], labels: &[String], item: &dyn Fn(PictureId) -> Option<&'a GalleryItem>) -> String {
    let metas: Vec<_> = cells
        .iter()
        .filter_map(|s| match s {
            CellState::Done { picture } => item(*picture).map(|g| &g.saved.meta),
            _ => None,
        })
        .collect();
    let costs: Vec<(f64, bool)> = metas.iter().filter_map(|m| m.cost()).collect();
    // The question a comparison answers: how many times dearer is the dearest than the cheapest.
    let labelled: Vec<(&str, f64)> = cells
        .iter()
        .zip(labels)
        .filter_map(|(s, l)| match s {
            CellState::Done { picture } => item(*picture).and_then(|g| g.saved.meta.cost()).map(|c| (l.as_str(), c.0)),
            _ => None,
        })
        .collect();
    let cheapest = labelled.iter().copied().filter(|c| c.1 > 0.0).min_by(|a, b| a.1.total_cmp(&b.1));
    let dearest = labelled.iter().copied().max_by(|a, b| a.1.total_cmp(&b.1));
    let ratio = match (cheapest, dearest) {
        (Some(c), Some(d)) if d.1 / c.1 >= 1.5 => Some(text::times_dearer(d.0, d.1 / c.1, c.0)),
        _ => None,
    };
    let total = (!costs.is_empty()).then(|| {
        let usd: f64 = costs.iter().map(|c| c.0).sum();
        let figure = text::cost(usd, false);
        if costs.iter().any(|c| c.1) { text::estimated(&figure) } else { figure }
    });
    let made = text::comparison_made(metas.len(), cells.len(), total.as_deref());
    match ratio {
        Some(r) => format!("{made} · {r}"),
        None => made,
    }
}

/// The narrowest a cell gets: its buttons and figures need it.
const MIN_CELL_WIDTH: f32 = 160.0;

/// The cells in their rows and columns, each with its picture, label, figures and buttons.
fn grid_ui(
    ui: &mut egui::Ui,
    view: &mut CompareView,
    parts: &[CellParts<'_>],
    columns: usize,
    use_label: &str,
    thumbs: &mut ThumbCache,
    commands: &mut Vec<Command>,
) {
    let rows = parts.len().div_ceil(columns.max(1));
    let gap = theme::GAP;
    let line = ui.text_style_height(&egui::TextStyle::Body);
    // Label, two lines of figures, a relay note, the buttons: the rest is picture.
    let info = line * 5.0 + ui.spacing().interact_size.y + gap * 2.0;
    let full = ui.available_size();
    let width = ((full.x - gap * (columns as f32 - 1.0)) / columns as f32).max(MIN_CELL_WIDTH);
    // Every row in sight when the window allows, never a picture too small to judge.
    let picture = ((full.y - rows as f32 * (info + gap)) / rows as f32).clamp(140.0, width.max(140.0));
    // The first picture drawn is the one the keys and the toolbar zoom, and whose % is shown.
    let mut reference = None;
    egui::ScrollArea::both().auto_shrink([false, false]).show(ui, |ui| {
        for row in parts.chunks(columns.max(1)).enumerate() {
            ui.horizontal_top(|ui| {
                ui.spacing_mut().item_spacing.x = gap;
                for (column, part) in row.1.iter().enumerate() {
                    let cell = row.0 * columns + column;
                    let size = egui::vec2(width, picture);
                    let stage = ui.allocate_ui_with_layout(
                        egui::vec2(width, picture + info),
                        egui::Layout::top_down(egui::Align::Min),
                        |ui| {
                            ui.set_width(width);
                            cell_ui(ui, view, cell, part, size, use_label, thumbs, commands)
                        },
                    );
                    reference = reference.or(stage.inner);
                }
            });
            ui.add_space(gap);
        }
    });
    if reference.is_some() {
        view.zoom.reference = reference;
    }
}

#[allow(clippy::too_many_arguments)]
fn cell_ui(
    ui: &mut egui::Ui,
    view: &mut CompareView,
    cell: usize,
    part: &CellParts<'_>,
    size: egui::Vec2,
    use_label: &str,
    thumbs: &mut ThumbCache,
    commands: &mut Vec<Command>,
) -> Option<Stage> {
    let (rect, response) = ui.allocate_exact_size(size, egui::Sense::click_and_drag());
    response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Image, true, text::cell_picture(&part.label)));
    ui.painter().rect_filled(rect, 4.0, ui.visuals().extreme_bg_color);
    let inside = rect.shrink(theme::GAP);
    let mut stage = None;
    match part.state {
        CellState::Done { .. } => stage = cell_picture_ui(ui, view, part, &response, thumbs),
        CellState::Waiting { .. } => {
            // In a child of its own: the cell's label and buttons stay under the picture's
            // place (`put` moved them up to the spinner's foot, halfway down the cell).
            let mut child = ui
                .new_child(egui::UiBuilder::new().max_rect(inside).layout(egui::Layout::top_down(egui::Align::Center)));
            child.add_space((inside.height() / 2.0 - 20.0).max(0.0));
            child.spinner();
            child.label(part.state.to_string());
        }
        CellState::Failed(e) => {
            words_in(ui, inside, egui::RichText::new(e.to_string()).color(theme::error_colour(ui.visuals())));
        }
        other => {
            words_in(ui, inside, egui::RichText::new(other.to_string()));
        }
    }
    ui.label(egui::RichText::new(&part.label).strong());
    if let Some(item) = part.item {
        figures_ui(ui, part.request, item);
    }
    // Wrapped within the cell's width: a narrow cell takes two lines, never more width.
    ui.horizontal_wrapped(|ui| match part.state {
        CellState::Done { picture } => {
            if ui.button(use_label).clicked() {
                commands.push(Command::UseCell(cell));
            }
            if ui.button(text::SAVE_AS()).clicked() {
                commands.push(Command::SaveAs(*picture));
            }
            if zoom::inline_icon_button(ui, icons::ICON_OPEN_IN_FULL, text::OPEN_IN_VIEWER()).clicked() {
                commands.push(Command::OpenViewer(*picture));
            }
        }
        CellState::Waiting { job, .. } => {
            if ui.button(text::CANCEL()).clicked() {
                commands.push(Command::Cancel(*job));
            }
        }
        state => {
            if state.can_retry() && ui.button(text::RETRY()).clicked() {
                commands.push(Command::RetryCell(cell));
            }
        }
    });
    stage
}

/// A made cell's picture, zoomed and panned with every other (its thumbnail while the full
/// picture is read); the stage it was drawn at.
fn cell_picture_ui(
    ui: &mut egui::Ui,
    view: &mut CompareView,
    part: &CellParts<'_>,
    response: &egui::Response,
    thumbs: &mut ThumbCache,
) -> Option<Stage> {
    let rect = response.rect;
    let inside = rect.shrink(theme::GAP);
    let stage = |pixels: egui::Vec2| Stage { pixels, area: rect, pixels_per_point: ui.ctx().pixels_per_point() };
    match (part.picture, part.item) {
        (Some(Picture::Ready(tex)), _) => {
            let stage = stage(tex.size_vec2());
            zoom::pointer(ui, response, &mut view.zoom, &stage, true);
            zoom::paint(ui, &view.zoom, &stage, tex.id(), rect);
            Some(stage)
        }
        (Some(Picture::Failed(e)), _) => {
            words_in(ui, inside, egui::RichText::new(e.to_string()).color(theme::error_colour(ui.visuals())));
            None
        }
        (_, Some(item)) => match thumbs.get(&item.saved.path) {
            // The thumbnail stands in while the full picture is read, at the full picture's size.
            Thumb::Ready(tex) => {
                let m = &item.saved.meta;
                let stage = stage(egui::vec2(m.width.max(1) as f32, m.height.max(1) as f32));
                zoom::paint(ui, &view.zoom, &stage, tex.id(), rect);
                Some(stage)
            }
            _ => {
                ui.put(inside, egui::Spinner::new());
                None
            }
        },
        _ => {
            ui.put(inside, egui::Spinner::new());
            None
        }
    }
}

/// A made cell's cost and what came back, what differs from what was asked (in plain words),
/// and under "More info" the figures as the sheet has them (time, tokens, cost from tokens).
fn figures_ui(ui: &mut egui::Ui, asked: &ImageRequest, item: &GalleryItem) {
    let m = &item.saved.meta;
    let [figures, returned] = crate::library::sheet::figure_lines(m);
    if let Some((usd, _)) = m.cost() {
        ui.label(text::about_cost(usd));
    }
    ui.label(egui::RichText::new(returned).color(theme::weak_colour(ui.visuals())));
    let findings = relay_check(asked, m.width, m.height, m.format, m.usage.as_ref(), m.count);
    for finding in &findings {
        let words = format!("{} {}", icons::ICON_WARNING.codepoint, finding.plain());
        ui.add(egui::Label::new(egui::RichText::new(words).color(theme::warn_colour(ui.visuals()))).wrap());
    }
    egui::CollapsingHeader::new(text::MORE_INFO()).id_salt(("cell-more-info", item.id)).show(ui, |ui| {
        ui.label(egui::RichText::new(figures).color(theme::weak_colour(ui.visuals())));
        for finding in findings.iter().filter(|f| matches!(f, crate::compare::Finding::Quality { .. })) {
            ui.add(
                egui::Label::new(egui::RichText::new(finding.to_string()).color(theme::weak_colour(ui.visuals())))
                    .wrap(),
            );
        }
    });
}

/// Two cells in one frame, A left of the divider and B right of it, zoom and pan shared.
fn wipe_ui(ui: &mut egui::Ui, view: &mut CompareView, parts: &[CellParts<'_>], (a, b): (usize, usize), done: &[usize]) {
    let (mut a, mut b) = (a, b);
    ui.horizontal(|ui| {
        for (name, pick, id) in [(text::LEFT_PICTURE(), &mut a, "wipe-a"), (text::RIGHT_PICTURE(), &mut b, "wipe-b")] {
            ui.label(name);
            egui::ComboBox::from_id_salt(id)
                .selected_text(&parts[*pick].label)
                .show_ui(ui, |ui| {
                    for &i in done {
                        ui.selectable_value(pick, i, &parts[i].label);
                    }
                })
                .response
                .widget_info(|| egui::WidgetInfo::labeled(egui::Role::ComboBox, true, name));
            ui.add_space(theme::GAP);
        }
        ui.label(text::DIVIDER());
        let slider = ui.add(egui::Slider::new(&mut view.split, 0.0..=1.0).show_value(false));
        slider.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Slider, true, text::DIVIDER()));
    });
    view.wipe = Some((a, b));
    let rect = ui.available_rect_before_wrap();
    let response = ui.allocate_rect(rect, egui::Sense::click_and_drag());
    response.widget_info(|| {
        egui::WidgetInfo::labeled(
            egui::Role::Image,
            true,
            format!("{}: {} | {}", text::AB_WIPE(), parts[a].label, parts[b].label),
        )
    });
    ui.painter().rect_filled(rect, 0.0, ui.visuals().extreme_bg_color);
    let (ta, tb) = match (parts[a].picture, parts[b].picture) {
        (Some(Picture::Ready(ta)), Some(Picture::Ready(tb))) => (ta, tb),
        (Some(Picture::Failed(e)), _) | (_, Some(Picture::Failed(e))) => {
            let words = egui::RichText::new(e.to_string()).color(theme::error_colour(ui.visuals()));
            words_in(ui, rect.shrink(theme::GAP), words);
            return;
        }
        _ => {
            ui.put(rect, egui::Spinner::new());
            return;
        }
    };
    let labels = [format!("A · {}", parts[a].label), format!("B · {}", parts[b].label)];
    let state =
        WipeState { zoom: &mut view.zoom, split: &mut view.split, dragging_divider: &mut view.dragging_divider };
    wipe_pictures(ui, &response, state, [(ta, &labels[0]), (tb, &labels[1])]);
}

/// What a wipe changes as the user drags and scrolls: the zoom and pan both pictures share,
/// and the divider.
pub(super) struct WipeState<'a> {
    pub zoom: &'a mut ZoomPan,
    /// Where the divider is, as a fraction of the width.
    pub split: &'a mut f32,
    /// A drag that began on the divider moves it (and not the pictures) until released.
    pub dragging_divider: &'a mut bool,
}

/// Two pictures in `response`'s rectangle, the first left of the divider and the second right
/// of it, zoomed and panned as one, each named in its top corner. A drag that starts on the
/// divider moves it; any other pans. Shared by a comparison's A/B wipe and the viewer's
/// before/after.
pub(super) fn wipe_pictures(
    ui: &mut egui::Ui,
    response: &egui::Response,
    state: WipeState<'_>,
    [(ta, la), (tb, lb)]: [(&egui::TextureHandle, &str); 2],
) {
    let WipeState { zoom, split, dragging_divider } = state;
    let rect = response.rect;
    let ppp = ui.ctx().pixels_per_point();
    let stage_a = Stage { pixels: ta.size_vec2(), area: rect, pixels_per_point: ppp };
    let stage_b = Stage { pixels: tb.size_vec2(), area: rect, pixels_per_point: ppp };
    zoom.reference = Some(stage_a);
    let split_x = rect.left() + *split * rect.width();
    if response.drag_started() {
        // Where the press began: by the time a drag is recognised the pointer has moved on.
        let origin = ui.input(|i| i.pointer.press_origin()).or(response.interact_pointer_pos());
        *dragging_divider = origin.is_some_and(|p| (p.x - split_x).abs() <= DIVIDER_GRAB);
    }
    if response.dragged() {
        match (*dragging_divider, response.interact_pointer_pos()) {
            (true, Some(p)) => *split = ((p.x - rect.left()) / rect.width()).clamp(0.0, 1.0),
            _ => zoom.pan(response.drag_delta(), &stage_a),
        }
    }
    if response.drag_stopped() {
        *dragging_divider = false;
    }
    zoom::pointer(ui, response, zoom, &stage_a, false);
    let split_x = rect.left() + *split * rect.width();
    let (left, right) = (
        egui::Rect::from_min_max(rect.min, egui::pos2(split_x, rect.max.y)),
        egui::Rect::from_min_max(egui::pos2(split_x, rect.min.y), rect.max),
    );
    zoom::paint(ui, zoom, &stage_a, ta.id(), left);
    zoom::paint(ui, zoom, &stage_b, tb.id(), right);
    let painter = ui.painter_at(rect);
    let stroke = egui::Stroke::new(2.0, ui.visuals().strong_text_color());
    painter.line_segment([egui::pos2(split_x, rect.top()), egui::pos2(split_x, rect.bottom())], stroke);
    painter.circle(egui::pos2(split_x, rect.center().y), 8.0, ui.visuals().window_fill, stroke);
    if response.hovered() && response.hover_pos().is_some_and(|p| (p.x - split_x).abs() <= DIVIDER_GRAB)
        || *dragging_divider
    {
        ui.ctx().set_cursor_icon(egui::CursorIcon::ResizeHorizontal);
    }
    for (label, anchor, align) in [
        (la, rect.left_top() + egui::vec2(theme::GAP, theme::GAP), egui::Align2::LEFT_TOP),
        (lb, rect.right_top() + egui::vec2(-theme::GAP, theme::GAP), egui::Align2::RIGHT_TOP),
    ] {
        let galley_rect =
            painter.text(anchor, align, label, egui::FontId::proportional(14.0), ui.visuals().strong_text_color());
        painter.rect_filled(galley_rect.expand(4.0), 4.0, ui.visuals().window_fill.gamma_multiply(0.8));
        painter.text(anchor, align, label, egui::FontId::proportional(14.0), ui.visuals().strong_text_color());
    }
}

/// A message in the middle of a cell, its lines centred (not stretched to the cell's width).
fn words_in(ui: &mut egui::Ui, area: egui::Rect, text: egui::RichText) {
    let mut child =
        ui.new_child(egui::UiBuilder::new().max_rect(area).layout(egui::Layout::top_down(egui::Align::Center)));
    child.add_space((area.height() / 2.0 - 30.0).max(0.0));
    child.add(egui::Label::new(text).wrap());
}
