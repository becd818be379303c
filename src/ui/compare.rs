//! Comparisons: the dialog that sets one up (what to vary, each cell's cost, the total, then
//! confirm) and the view (cells side by side with their figures and the relay check, zoom and
//! pan shared by every cell, 1:1, an A/B wipe of any two cells).

use super::{text, theme};
use crate::api::{ImageRequest, OutputFormat, Quality};
use crate::app::thumbs::{Thumb, ThumbCache};
use crate::app::{CellState, Command, Comparison, GalleryItem, Picture};
use crate::compare::{Axis, CompareError, Plan, Setting, relay_check};
use crate::endpoint::Prices;
use eframe::egui;

const MAX_ZOOM: f32 = 32.0;
/// One press of + or −.
const ZOOM_STEP: f32 = 1.25;
/// How close to the wipe's divider a drag must start to move it, in points.
const DIVIDER_GRAB: f32 = 12.0;

/// One varied setting as the dialog edits it: the setting and its values, comma-separated.
#[derive(Debug, Clone, PartialEq)]
pub struct AxisDraft {
    pub setting: Setting,
    pub values: String,
}

impl AxisDraft {
    /// A setting with the values most worth comparing.
    pub fn new(setting: Setting) -> AxisDraft {
        let values = match setting {
            Setting::Quality => "low,medium,high",
            Setting::Size => "1024x1024,1536x1024,1024x1536",
            Setting::Model => "gpt-image-2,gpt-image-1.5",
            Setting::Format => "png,jpeg,webp",
        };
        AxisDraft { setting, values: values.into() }
    }

    fn axis(&self) -> Result<Axis, CompareError> {
        Axis::parse(&format!("{}={}", self.setting.name(), self.values))
    }
}

/// What the compare dialog is set to.
#[derive(Debug, Clone, PartialEq)]
pub struct CompareDraft {
    pub x: AxisDraft,
    pub y: Option<AxisDraft>,
}

impl Default for CompareDraft {
    fn default() -> Self {
        CompareDraft { x: AxisDraft::new(Setting::Quality), y: None }
    }
}

impl CompareDraft {
    /// The comparison this draft describes around the form's request.
    pub fn plan(&self, base: &ImageRequest, prompt_limit: usize) -> Result<Plan, CompareError> {
        Plan::new(base, self.x.axis()?, self.y.as_ref().map(AxisDraft::axis).transpose()?, prompt_limit)
    }
}

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
    base: &Result<ImageRequest, String>,
    prompt_limit: usize,
    prices: &Prices,
    commands: &mut Vec<Command>,
) {
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
                values_ui(ui, &mut draft.x);
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
                    values_ui(ui, y);
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
            Err(reason) => Err(reason.clone()),
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

/// Checkboxes for the settings with a few values, a text field for sizes and models.
fn values_ui(ui: &mut egui::Ui, axis: &mut AxisDraft) {
    let options: Vec<(&str, String)> = match axis.setting {
        Setting::Quality => {
            Quality::ALL.iter().map(|q| (q.wire(), super::form::quality_label(*q).to_string())).collect()
        }
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
    let mut total = 0.0;
    let mut approximate = false;
    let mut unknown = 0;
    egui::Grid::new("compare-costs").num_columns(2).spacing([theme::GAP * 2.0, 2.0]).show(ui, |ui| {
        for (i, cell) in plan.cells.iter().enumerate() {
            let r = &cell.request;
            ui.label(plan.display_label(i));
            match prices.estimate(&r.model, r.size, r.quality, 1) {
                Some(e) => {
                    total += e.usd;
                    approximate |= e.approximate;
                    ui.label(text::cost(e.usd, e.approximate));
                }
                None => {
                    unknown += 1;
                    ui.label(text::COST_UNKNOWN());
                }
            }
            ui.end_row();
        }
    });
    ui.label(
        egui::RichText::new(text::comparison_total(plan.cells.len(), &text::cost(total, approximate), unknown))
            .strong(),
    );
}

/// The zoom and pan every cell shares, and the wipe.
#[derive(Debug, Clone, PartialEq)]
pub struct CompareView {
    /// Times the scale at which a picture fits its cell (1 = it fits).
    pub zoom: f32,
    /// Picture pixels shown as screen pixels, whatever `zoom` says.
    pub actual_size: bool,
    /// The point of every picture shown at the centre of its cell, as fractions of its
    /// width and height: the same detail in every cell, whatever their sizes.
    pub focus: egui::Vec2,
    /// The two cells (positions in the plan) of the A/B wipe, when it is on.
    pub wipe: Option<(usize, usize)>,
    /// Where the wipe's divider is, as a fraction of the width.
    pub split: f32,
    dragging_divider: bool,
}

impl Default for CompareView {
    fn default() -> Self {
        CompareView::new()
    }
}

impl CompareView {
    /// Everything fitted, the wipe off.
    pub fn new() -> CompareView {
        CompareView {
            zoom: 1.0,
            actual_size: false,
            focus: egui::vec2(0.5, 0.5),
            wipe: None,
            split: 0.5,
            dragging_divider: false,
        }
    }

    /// Zooms every picture in or out by a step, from the fitting scale up.
    fn step_zoom(&mut self, factor: f32) {
        self.actual_size = false;
        self.zoom = (self.zoom * factor).clamp(1.0, MAX_ZOOM);
    }

    fn fit(&mut self) {
        self.zoom = 1.0;
        self.actual_size = false;
        self.focus = egui::vec2(0.5, 0.5);
    }

    /// The scale at which a picture of `pixels` fits `area`, never enlarged past its real size.
    fn fit_scale(pixels: egui::Vec2, area: egui::Rect, pixels_per_point: f32) -> f32 {
        (area.width() / pixels.x).min(area.height() / pixels.y).min(1.0 / pixels_per_point).max(f32::EPSILON)
    }

    /// Where a picture of `pixels` is drawn in `area`: centred on the shared focus, or centred
    /// outright along a side where it is smaller than the area.
    pub fn placed(&self, pixels: egui::Vec2, area: egui::Rect, pixels_per_point: f32) -> egui::Rect {
        let scale = if self.actual_size {
            1.0 / pixels_per_point
        } else {
            Self::fit_scale(pixels, area, pixels_per_point) * self.zoom
        };
        let size = pixels * scale;
        let place = |min: f32, max: f32, size: f32, focus: f32| {
            let centre = (min + max) / 2.0;
            if size <= max - min { centre - size / 2.0 } else { (centre - focus * size).clamp(max - size, min) }
        };
        let x = place(area.min.x, area.max.x, size.x, self.focus.x);
        let y = place(area.min.y, area.max.y, size.y, self.focus.y);
        egui::Rect::from_min_size(egui::pos2(x, y), size)
    }

    /// Moves every picture by `delta` points, as measured on one drawn at `shown` size.
    fn pan(&mut self, delta: egui::Vec2, shown: egui::Vec2) {
        self.focus =
            (self.focus - delta / shown.max(egui::vec2(1.0, 1.0))).clamp(egui::Vec2::ZERO, egui::vec2(1.0, 1.0));
    }

    /// Zooms every picture by `factor`; 1:1 becomes the zoom it was for the picture at hand.
    fn zoom_by(&mut self, factor: f32, pixels: egui::Vec2, area: egui::Rect, pixels_per_point: f32) {
        if self.actual_size {
            self.zoom = (1.0 / pixels_per_point) / Self::fit_scale(pixels, area, pixels_per_point);
            self.actual_size = false;
        }
        self.zoom = (self.zoom * factor).clamp(1.0, MAX_ZOOM);
    }
}

/// What a cell shows besides its state: its gallery item when made, its full-size picture.
struct CellParts<'a> {
    label: String,
    request: &'a ImageRequest,
    state: &'a CellState,
    item: Option<&'a GalleryItem>,
    picture: Option<&'a Picture>,
}

/// Draws an open comparison over the whole window.
pub fn compare_ui(
    ui: &mut egui::Ui,
    c: &mut Comparison,
    cells: &[CellState],
    gallery: &[GalleryItem],
    thumbs: &mut ThumbCache,
    dialog_open: bool,
    commands: &mut Vec<Command>,
) {
    let done: Vec<usize> =
        cells.iter().enumerate().filter(|(_, s)| matches!(s, CellState::Done { .. })).map(|(i, _)| i).collect();
    if c.view.wipe.is_some_and(|(a, b)| !done.contains(&a) || !done.contains(&b)) {
        c.view.wipe = None;
    }
    if !dialog_open && !ui.ctx().egui_wants_keyboard_input() {
        keys(ui, &mut c.view, commands);
    }
    egui::Panel::top("compare-bar").show(ui, |ui| {
        ui.horizontal_wrapped(|ui| {
            if ui.button(text::CLOSE()).clicked() {
                commands.push(Command::CloseComparison);
            }
            ui.separator();
            ui.label(egui::RichText::new(text::COMPARISON()).strong());
            ui.add(
                egui::Label::new(egui::RichText::new(c.plan.title()).color(theme::weak_colour(ui.visuals())))
                    .truncate(),
            )
            .on_hover_text(&c.plan.cells[0].request.prompt);
            ui.separator();
            if ui.button(text::FIT()).clicked() {
                c.view.fit();
            }
            if ui.selectable_label(c.view.actual_size, text::ACTUAL_SIZE()).clicked() {
                c.view.actual_size = !c.view.actual_size;
            }
            let out = ui.button("-").on_hover_text(text::ZOOM_OUT());
            out.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, text::ZOOM_OUT()));
            if out.clicked() {
                c.view.step_zoom(1.0 / ZOOM_STEP);
            }
            let zoom_in = ui.button("+").on_hover_text(text::ZOOM_IN());
            zoom_in.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, text::ZOOM_IN()));
            if zoom_in.clicked() {
                c.view.step_zoom(ZOOM_STEP);
            }
            if !c.view.actual_size {
                ui.label(format!("{:.0}%", c.view.zoom * 100.0));
            }
            ui.separator();
            let wipe =
                ui.add_enabled(done.len() >= 2, egui::Button::selectable(c.view.wipe.is_some(), text::AB_WIPE()));
            let wipe = if done.len() >= 2 {
                wipe.on_hover_text(text::AB_WIPE_HOVER())
            } else {
                wipe.on_disabled_hover_text(text::AB_NEEDS_TWO())
            };
            if wipe.clicked() {
                c.view.wipe = if c.view.wipe.is_some() { None } else { Some((done[0], done[done.len() - 1])) };
            }
            let running = cells.iter().any(|s| matches!(s, CellState::Waiting { .. }));
            let export = ui
                .add_enabled(!running && !done.is_empty() && !c.exporting, egui::Button::new(text::EXPORT_SHEET()))
                .on_hover_text(text::EXPORT_SHEET_HOVER())
                .on_disabled_hover_text(text::EXPORT_WAIT());
            if export.clicked() {
                commands.push(Command::ExportSheet);
            }
            ui.separator();
            let labels: Vec<String> = (0..c.plan.cells.len()).map(|i| c.plan.display_label(i)).collect();
            ui.label(summary(cells, &labels, gallery));
        });
    });
    egui::CentralPanel::default().show(ui, |ui| {
        let parts: Vec<CellParts<'_>> = c
            .plan
            .cells
            .iter()
            .zip(cells)
            .enumerate()
            .map(|(i, (cell, state))| {
                let item = match state {
                    CellState::Done { index } => gallery.get(*index),
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
                let columns = c.plan.x.values.len();
                let use_label = text::use_this(&c.plan.settings());
                grid_ui(ui, &mut c.view, &parts, columns, &use_label, thumbs, commands);
            }
        }
    });
}

/// "2 of 3 made · $0.18 in all · High cost 35× Low".
fn summary(cells: &[CellState], labels: &[String], gallery: &[GalleryItem]) -> String {
    let metas: Vec<_> = cells
        .iter()
        .filter_map(|s| match s {
            CellState::Done { index } => gallery.get(*index).map(|g| &g.saved.meta),
            _ => None,
        })
        .collect();
    let costs: Vec<(f64, bool)> = metas.iter().filter_map(|m| m.cost()).collect();
    // The question a comparison answers: how many times dearer is the dearest than the cheapest.
    let labelled: Vec<(&str, f64)> = cells
        .iter()
        .zip(labels)
        .filter_map(|(s, l)| match s {
            CellState::Done { index } => {
                gallery.get(*index).and_then(|g| g.saved.meta.cost()).map(|c| (l.as_str(), c.0))
            }
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

fn keys(ui: &egui::Ui, view: &mut CompareView, commands: &mut Vec<Command>) {
    ui.input(|i| {
        if i.key_pressed(egui::Key::Escape) {
            if view.wipe.is_some() {
                view.wipe = None;
            } else {
                commands.push(Command::CloseComparison);
            }
        }
        if !i.modifiers.command && (i.key_pressed(egui::Key::Plus) || i.key_pressed(egui::Key::Equals)) {
            view.step_zoom(ZOOM_STEP);
        }
        if !i.modifiers.command && i.key_pressed(egui::Key::Minus) {
            view.step_zoom(1.0 / ZOOM_STEP);
        }
        if !i.modifiers.command && i.key_pressed(egui::Key::Num0) {
            view.fit();
        }
        if i.key_pressed(egui::Key::Num1) {
            view.actual_size = true;
        }
    });
}

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
    ui.label(egui::RichText::new(text::SAME_DETAIL()).small().color(theme::weak_colour(ui.visuals())));
    let full = ui.available_size();
    let width = ((full.x - gap * (columns as f32 - 1.0)) / columns as f32).max(160.0);
    // Every row in sight when the window allows, never a picture too small to judge.
    let picture = ((full.y - rows as f32 * (info + gap)) / rows as f32).clamp(140.0, width.max(140.0));
    egui::ScrollArea::both().auto_shrink([false, false]).show(ui, |ui| {
        for row in parts.chunks(columns.max(1)).enumerate() {
            ui.horizontal_top(|ui| {
                ui.spacing_mut().item_spacing.x = gap;
                for (column, part) in row.1.iter().enumerate() {
                    let cell = row.0 * columns + column;
                    ui.allocate_ui_with_layout(
                        egui::vec2(width, picture + info),
                        egui::Layout::top_down(egui::Align::Min),
                        |ui| {
                            ui.set_width(width);
                            cell_ui(ui, view, cell, part, egui::vec2(width, picture), use_label, thumbs, commands);
                        },
                    );
                }
            });
            ui.add_space(gap);
        }
    });
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
) {
    let (rect, response) = ui.allocate_exact_size(size, egui::Sense::click_and_drag());
    response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Image, true, text::cell_picture(&part.label)));
    ui.painter().rect_filled(rect, 4.0, ui.visuals().extreme_bg_color);
    let ppp = ui.ctx().pixels_per_point();
    let inside = rect.shrink(theme::GAP);
    match part.state {
        CellState::Done { index } => match (part.picture, part.item) {
            (Some(Picture::Ready(tex)), _) => {
                let shown = view.placed(tex.size_vec2(), rect, ppp);
                ui.painter_at(rect).image(tex.id(), shown, full_uv(), egui::Color32::WHITE);
                if response.dragged() {
                    view.pan(response.drag_delta(), shown.size());
                }
                wheel_zoom(ui, &response, view, tex.size_vec2(), rect);
                if response.double_clicked() {
                    commands.push(Command::OpenViewer(*index));
                }
            }
            (Some(Picture::Failed(e)), _) => {
                words_in(ui, inside, egui::RichText::new(e).color(theme::error_colour(ui.visuals())));
            }
            (_, Some(item)) => match thumbs.get(&item.saved.path) {
                // The thumbnail stands in while the full picture is read.
                Thumb::Ready(tex) => {
                    let shown = view.placed(
                        tex.size_vec2() * (item.saved.meta.width.max(1) as f32 / tex.size_vec2().x.max(1.0)),
                        rect,
                        ppp,
                    );
                    ui.painter_at(rect).image(tex.id(), shown, full_uv(), egui::Color32::WHITE);
                }
                _ => {
                    ui.put(inside, egui::Spinner::new());
                }
            },
            _ => {
                ui.put(inside, egui::Spinner::new());
            }
        },
        CellState::Waiting { caption, .. } => {
            ui.put(inside, |ui: &mut egui::Ui| {
                ui.vertical_centered(|ui| {
                    ui.add_space(inside.height() / 2.0 - 20.0);
                    ui.spinner();
                    ui.label(caption);
                })
                .response
            });
        }
        CellState::Failed { message } => {
            words_in(ui, inside, egui::RichText::new(message).color(theme::error_colour(ui.visuals())));
        }
        other => {
            words_in(ui, inside, egui::RichText::new(other.words()));
        }
    }
    ui.label(egui::RichText::new(&part.label).strong());
    if let Some(item) = part.item {
        figures_ui(ui, part.request, item);
    }
    ui.horizontal(|ui| match part.state {
        CellState::Done { index } => {
            if ui.button(use_label).clicked() {
                commands.push(Command::UseCell(cell));
            }
            if ui.button(text::SAVE_AS()).clicked() {
                commands.push(Command::SaveAs(*index));
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
}

/// A made cell's figures (as the sheet has them) and the relay check.
fn figures_ui(ui: &mut egui::Ui, asked: &ImageRequest, item: &GalleryItem) {
    let m = &item.saved.meta;
    let [figures, returned] = crate::library::sheet::figure_lines(m);
    ui.label(figures);
    ui.label(egui::RichText::new(returned).color(theme::weak_colour(ui.visuals())));
    for finding in relay_check(asked, m.width, m.height, m.format, m.usage.as_ref(), m.count) {
        ui.add(
            egui::Label::new(
                egui::RichText::new(text::relay_check_line(&finding.to_string()))
                    .color(theme::warn_colour(ui.visuals())),
            )
            .wrap(),
        );
    }
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
            words_in(ui, rect.shrink(theme::GAP), egui::RichText::new(e).color(theme::error_colour(ui.visuals())));
            return;
        }
        _ => {
            ui.put(rect, egui::Spinner::new());
            return;
        }
    };
    let ppp = ui.ctx().pixels_per_point();
    let split_x = rect.left() + view.split * rect.width();
    if response.drag_started() {
        // Where the press began: by the time a drag is recognised the pointer has moved on.
        let origin = ui.input(|i| i.pointer.press_origin()).or(response.interact_pointer_pos());
        view.dragging_divider = origin.is_some_and(|p| (p.x - split_x).abs() <= DIVIDER_GRAB);
    }
    let shown_a = view.placed(ta.size_vec2(), rect, ppp);
    if response.dragged() {
        match (view.dragging_divider, response.interact_pointer_pos()) {
            (true, Some(p)) => view.split = ((p.x - rect.left()) / rect.width()).clamp(0.0, 1.0),
            _ => view.pan(response.drag_delta(), shown_a.size()),
        }
    }
    if response.drag_stopped() {
        view.dragging_divider = false;
    }
    wheel_zoom(ui, &response, view, ta.size_vec2(), rect);
    let split_x = rect.left() + view.split * rect.width();
    let (left, right) = (
        egui::Rect::from_min_max(rect.min, egui::pos2(split_x, rect.max.y)),
        egui::Rect::from_min_max(egui::pos2(split_x, rect.min.y), rect.max),
    );
    ui.painter_at(left).image(ta.id(), view.placed(ta.size_vec2(), rect, ppp), full_uv(), egui::Color32::WHITE);
    ui.painter_at(right).image(tb.id(), view.placed(tb.size_vec2(), rect, ppp), full_uv(), egui::Color32::WHITE);
    let painter = ui.painter_at(rect);
    let stroke = egui::Stroke::new(2.0, ui.visuals().strong_text_color());
    painter.line_segment([egui::pos2(split_x, rect.top()), egui::pos2(split_x, rect.bottom())], stroke);
    painter.circle(egui::pos2(split_x, rect.center().y), 8.0, ui.visuals().window_fill, stroke);
    if response.hovered() && response.hover_pos().is_some_and(|p| (p.x - split_x).abs() <= DIVIDER_GRAB)
        || view.dragging_divider
    {
        ui.ctx().set_cursor_icon(egui::CursorIcon::ResizeHorizontal);
    }
    for (label, anchor, align) in [
        (
            format!("A · {}", parts[a].label),
            rect.left_top() + egui::vec2(theme::GAP, theme::GAP),
            egui::Align2::LEFT_TOP,
        ),
        (
            format!("B · {}", parts[b].label),
            rect.right_top() + egui::vec2(-theme::GAP, theme::GAP),
            egui::Align2::RIGHT_TOP,
        ),
    ] {
        let galley_rect =
            painter.text(anchor, align, &label, egui::FontId::proportional(14.0), ui.visuals().strong_text_color());
        painter.rect_filled(galley_rect.expand(4.0), 4.0, ui.visuals().window_fill.gamma_multiply(0.8));
        painter.text(anchor, align, label, egui::FontId::proportional(14.0), ui.visuals().strong_text_color());
    }
}

/// The wheel over a picture zooms every picture, and only that: the page does not scroll too.
fn wheel_zoom(ui: &egui::Ui, response: &egui::Response, view: &mut CompareView, pixels: egui::Vec2, area: egui::Rect) {
    if !response.hovered() {
        return;
    }
    let scroll = ui.input_mut(|i| std::mem::take(&mut i.smooth_scroll_delta.y));
    if scroll != 0.0 {
        view.zoom_by((scroll * 0.002).exp(), pixels, area, ui.ctx().pixels_per_point());
    }
}

/// A message in the middle of a cell, its lines centred (not stretched to the cell's width).
fn words_in(ui: &mut egui::Ui, area: egui::Rect, text: egui::RichText) {
    let mut child =
        ui.new_child(egui::UiBuilder::new().max_rect(area).layout(egui::Layout::top_down(egui::Align::Center)));
    child.add_space((area.height() / 2.0 - 30.0).max(0.0));
    child.add(egui::Label::new(text).wrap());
}

fn full_uv() -> egui::Rect {
    egui::Rect::from_min_max(egui::pos2(0.0, 0.0), egui::pos2(1.0, 1.0))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn area() -> egui::Rect {
        egui::Rect::from_min_size(egui::pos2(100.0, 50.0), egui::vec2(400.0, 300.0))
    }

    #[test]
    fn fitted_pictures_are_centred_whatever_their_size() {
        let view = CompareView::new();
        let square = view.placed(egui::vec2(1024.0, 1024.0), area(), 1.0);
        assert_eq!(square.size(), egui::vec2(300.0, 300.0));
        assert_eq!(square.center(), area().center());
        let wide = view.placed(egui::vec2(1536.0, 1024.0), area(), 1.0);
        assert!((wide.width() - 400.0).abs() < 1e-3 && (wide.height() - 400.0 / 1.5).abs() < 1e-3);
        let tiny = view.placed(egui::vec2(64.0, 48.0), area(), 1.0);
        assert_eq!(tiny.size(), egui::vec2(64.0, 48.0), "fitting never enlarges");
    }

    #[test]
    fn zoom_and_pan_show_the_same_detail_in_every_cell() {
        let mut view = CompareView::new();
        view.zoom = 4.0;
        view.focus = egui::vec2(0.25, 0.75);
        for pixels in [egui::vec2(1024.0, 1024.0), egui::vec2(1536.0, 1024.0), egui::vec2(2048.0, 1152.0)] {
            let shown = view.placed(pixels, area(), 1.0);
            // The picture point at the focus lands on the cell's centre, in every cell.
            let at_centre = (area().center() - shown.min) / shown.size();
            assert!((at_centre - view.focus).length() < 1e-4, "{pixels:?}: {at_centre:?}");
        }
        let before = view.placed(egui::vec2(1024.0, 1024.0), area(), 1.0);
        view.pan(egui::vec2(-60.0, 0.0), before.size());
        let after = view.placed(egui::vec2(1024.0, 1024.0), area(), 1.0);
        assert!((after.min.x - (before.min.x - 60.0)).abs() < 1e-3, "a drag moves the picture by as much");
    }

    #[test]
    fn one_to_one_shows_real_pixels_and_zooming_from_it_keeps_the_scale() {
        let mut view = CompareView { actual_size: true, ..CompareView::new() };
        let pixels = egui::vec2(1024.0, 1024.0);
        assert_eq!(
            view.placed(pixels, area(), 2.0).size(),
            egui::vec2(512.0, 512.0),
            "one picture pixel per screen pixel"
        );
        view.zoom_by(1.0, pixels, area(), 2.0);
        assert!(!view.actual_size);
        assert!((view.placed(pixels, area(), 2.0).width() - 512.0).abs() < 1e-3);
    }

    #[test]
    fn the_draft_plans_what_the_dialog_shows() {
        let base = ImageRequest::new("a lighthouse");
        let mut draft = CompareDraft::default();
        assert_eq!(draft.plan(&base, 1000).unwrap().cells.len(), 3);
        draft.y = Some(AxisDraft { setting: Setting::Size, values: "1024x1024, 1536x1024".into() });
        let plan = draft.plan(&base, 1000).unwrap();
        assert_eq!(plan.cells.len(), 6);
        assert_eq!(plan.cells[5].label, "High · 1536x1024");
        draft.x.values = String::new();
        assert!(draft.plan(&base, 1000).is_err(), "no value chosen");
    }
}
