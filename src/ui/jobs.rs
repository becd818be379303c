//! Requests in the gallery and the header: a request on its way is drawn as placeholder tiles
//! the size its pictures will have (elapsed time, Cancel on hover), which the pictures replace
//! as they arrive; one that failed or was cancelled is a tile saying so, with Retry and Dismiss.
//! The header says what is running and what this session has cost.

use super::icons;
use super::{text, theme};
use crate::app::{Command, JobStatus, SentRequest, Session};
use eframe::egui;

/// One line of settings: "2 × Low · 1536x1024 · PNG · gpt-image-2".
pub fn settings_line(r: &crate::api::ImageRequest) -> String {
    text::settings_line(
        r.n,
        super::form::quality_label(r.quality),
        &super::form::size_words(r.size),
        &r.format.wire().to_uppercase(),
        &r.model,
    )
}

/// The first words of a prompt, on one line.
pub fn excerpt(prompt: &str, chars: usize) -> String {
    let one_line = prompt.split_whitespace().collect::<Vec<_>>().join(" ");
    if one_line.chars().count() <= chars {
        one_line
    } else {
        format!("{}…", one_line.chars().take(chars).collect::<String>())
    }
}

/// The shape of the pictures a request will bring (width over height), square when the size is
/// left to the model.
pub fn coming_aspect(job: &SentRequest) -> f32 {
    match job.request.size.dimensions() {
        Some((w, h)) => super::grid::aspect(w as f32, h as f32),
        None => 1.0,
    }
}

/// A placeholder for picture `index` (from 0) of `of` still to come from `job`.
pub fn coming_tile(
    ui: &mut egui::Ui,
    id: egui::Id,
    rect: egui::Rect,
    job: &SentRequest,
    index: usize,
    of: usize,
    commands: &mut Vec<Command>,
) -> egui::Response {
    let preview = job.previews.get(index).and_then(Option::as_ref);
    // A preview can be opened large; a grey placeholder has nothing to show.
    let sense = if preview.is_some() { egui::Sense::click() } else { egui::Sense::hover() };
    let response = ui.interact(rect, id, sense);
    if response.clicked() {
        commands.push(Command::OpenPreview(job.id, index));
    }
    let mut name = text::coming_name(index + 1, of, &excerpt(&job.request.prompt, 60));
    if let Some(p) = preview {
        name = format!("{name} · {}", text::preview_step(p.step, p.of));
    }
    response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Image, true, &name));
    let visuals = ui.visuals();
    ui.painter().rect_filled(rect, 4.0, visuals.faint_bg_color);
    ui.painter().rect_stroke(rect, 4.0, visuals.widgets.noninteractive.bg_stroke, egui::StrokeKind::Inside);
    let running_since = matches!(job.status, JobStatus::Running).then_some(job.started);
    if let Some(p) = preview {
        preview_ui(ui, rect, p, running_since);
    }
    let mut inner = ui.new_child(
        egui::UiBuilder::new()
            .max_rect(rect.shrink(8.0))
            .layout(egui::Layout::top_down(egui::Align::Center).with_main_align(egui::Align::Center)),
    );
    if preview.is_none() {
        inner.spinner();
        let line = super::words::activity_line(&job.activity, running_since);
        let weak = theme::weak_colour(inner.visuals());
        inner.add(egui::Label::new(egui::RichText::new(line).small().color(weak)).truncate());
    }
    // Cancel shows where the pointer is, on the request's first tile; it cancels the request.
    if index == 0
        && response.contains_pointer()
        && super::icon_button(&mut inner, icons::ICON_CLOSE, text::CANCEL()).clicked()
    {
        commands.push(Command::Cancel(job.id));
    }
    response.on_hover_ui(|ui| {
        ui.label(hover_text(job));
    })
}

/// A streamed preview filling its tile, with "Preview 2 of 3 · 40 seconds" along its foot on a
/// dark band (readable over any picture).
fn preview_ui(ui: &egui::Ui, rect: egui::Rect, preview: &crate::app::Preview, since: Option<std::time::Instant>) {
    // Filling the tile without stretching: the middle of the preview, cut to the tile's shape
    // (a preview may come in another shape than the size asked, say for Auto).
    let uv = super::grid::cover_uv(preview.texture.size_vec2(), rect.width() / rect.height().max(1.0));
    ui.painter().image(preview.texture.id(), rect, uv, egui::Color32::WHITE);
    let mut words = text::preview_step(preview.step, preview.of);
    if let Some(since) = since {
        words = format!("{words} · {}", text::seconds(since.elapsed().as_secs_f64()));
    }
    let font = egui::TextStyle::Small.resolve(ui.style());
    let galley = ui.painter().layout_no_wrap(words, font, egui::Color32::WHITE);
    let band = egui::Rect::from_min_max(egui::pos2(rect.left(), rect.bottom() - galley.size().y - 8.0), rect.max);
    ui.painter().rect_filled(
        band,
        egui::CornerRadius { sw: 4, se: 4, ..Default::default() },
        egui::Color32::from_black_alpha(150),
    );
    ui.painter().galley(band.left_center() + egui::vec2(6.0, -galley.size().y / 2.0), galley, egui::Color32::WHITE);
}

/// A request that failed or was cancelled: its prompt, what happened (a wait the service asked
/// for counting down), the action that fixes it and Dismiss.
pub fn ended_tile(
    ui: &mut egui::Ui,
    rect: egui::Rect,
    job: &SentRequest,
    commands: &mut Vec<Command>,
) -> egui::Response {
    let response = ui.allocate_rect(rect, egui::Sense::hover());
    let name = text::ended_name(&excerpt(&job.request.prompt, 60));
    response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Group, true, &name));
    let visuals = ui.visuals();
    let (words, detail, remedy, colour) = match &job.status {
        JobStatus::Failed { error, saved, at } => {
            let error = error.waited(at.elapsed());
            let mut words = error.sentence();
            if *saved > 0 {
                words = format!("{words} {}", text::arrived_and_saved(*saved));
            }
            // The countdown's next second.
            if error.remedy() == crate::worker::Remedy::RetryLater {
                ui.ctx().request_repaint_after(std::time::Duration::from_millis(250));
            }
            (words, error.to_string(), error.remedy(), theme::error_colour(visuals))
        }
        _ => (text::CANCELLED().to_string(), String::new(), crate::worker::Remedy::Retry, visuals.text_color()),
    };
    ui.painter().rect_filled(rect, 4.0, visuals.faint_bg_color);
    ui.painter().rect_stroke(rect, 4.0, egui::Stroke::new(1.0, colour.gamma_multiply(0.6)), egui::StrokeKind::Inside);
    let mut inner = ui
        .new_child(egui::UiBuilder::new().max_rect(rect.shrink(8.0)).layout(egui::Layout::bottom_up(egui::Align::Min)));
    inner.horizontal(|ui| {
        let icon = match remedy {
            crate::worker::Remedy::Retry | crate::worker::Remedy::RetryLater => icons::ICON_REFRESH,
            crate::worker::Remedy::ChangePrompt | crate::worker::Remedy::ChangeSettings => icons::ICON_EDIT,
            crate::worker::Remedy::CheckKey => icons::ICON_KEY,
            crate::worker::Remedy::CheckSettings => icons::ICON_SETTINGS,
        };
        if super::icon_button(ui, icon, remedy.label()).clicked() {
            commands.push(remedy.command(job.id));
        }
        let close = ui.small_button(icons::ICON_CLOSE).on_hover_text(text::DISMISS());
        close.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, text::DISMISS()));
        if close.clicked() {
            commands.push(Command::Dismiss(job.id));
        }
    });
    // Which prompt failed, then what happened, in the body's size: read without hovering. In
    // the room above the buttons, cut with "…" where a small tile has less (the hover has all).
    let above = inner.min_rect().top() - 4.0;
    let room = egui::Rect::from_min_max(rect.shrink(8.0).min, egui::pos2(rect.right() - 8.0, above));
    let mut words_ui =
        ui.new_child(egui::UiBuilder::new().max_rect(room).layout(egui::Layout::top_down(egui::Align::Min)));
    words_ui.set_clip_rect(room.intersect(ui.clip_rect()));
    // A label's lines follow each other closely, a line's height apart.
    let line = words_ui.text_style_height(&egui::TextStyle::Body);
    let fits = |ui: &egui::Ui| (ui.available_height() / line).floor().max(1.0) as usize;
    let prompt = egui::RichText::new(excerpt(&job.request.prompt, 200)).strong();
    // What happened comes first when room is short: the prompt takes a second line only when
    // two more are left for it.
    let prompt_rows = if fits(&words_ui) >= 4 { 2 } else { 1 };
    words_ui.add(egui::Label::new(rows(&words_ui, prompt, prompt_rows)));
    words_ui.add(egui::Label::new(rows(&words_ui, egui::RichText::new(&words).color(colour), fits(&words_ui))));
    response.on_hover_ui(|ui| {
        ui.label(format!("{}\n\n{}", hover_text(job), if detail.is_empty() { &words } else { &detail }));
    })
}

/// `rich` in at most `max_rows` lines of the room's width, cut with "…".
fn rows(ui: &egui::Ui, rich: egui::RichText, max_rows: usize) -> egui::text::LayoutJob {
    let mut job = egui::text::LayoutJob::default();
    rich.append_to(&mut job, ui.style(), egui::FontSelection::Default, egui::Align::Min);
    job.wrap = egui::text::TextWrapping { max_rows, ..egui::text::TextWrapping::wrap_at_width(ui.available_width()) };
    job
}

/// A request's prompt and settings, for its tiles' hover.
fn hover_text(job: &SentRequest) -> String {
    format!("{}\n{}", excerpt(&job.request.prompt, 300), settings_line(&job.request))
}

/// The header's activity: what is being made now (each request on hover), or what this session
/// has made and cost.
pub fn activity_ui(ui: &mut egui::Ui, jobs: &[SentRequest], coming: usize, session: Session) {
    let running: Vec<&SentRequest> = jobs.iter().filter(|j| j.status.is_active()).collect();
    let weak = theme::weak_colour(ui.visuals());
    if !running.is_empty() {
        ui.spinner();
        let lines: Vec<String> = running
            .iter()
            .map(|j| {
                let since = matches!(j.status, JobStatus::Running).then_some(j.started);
                format!("{} — {}", excerpt(&j.request.prompt, 50), super::words::activity_line(&j.activity, since))
            })
            .collect();
        ui.add(egui::Label::new(text::making(coming)).truncate()).on_hover_text(lines.join("\n"));
    }
    if session.pictures > 0 {
        let words = text::session_spend(&text::pictures(session.pictures), &text::about_cost(session.usd));
        ui.add(egui::Label::new(egui::RichText::new(words).color(weak)).truncate()).on_hover_text(text::PRICES_NOTE());
    }
}

/// The latest preview of picture `index` of `job`, large, over the window; it follows the
/// previews as they come, and the viewer takes its place when the picture arrives.
pub fn preview_window_ui(ctx: &egui::Context, job: &SentRequest, index: usize, commands: &mut Vec<Command>) {
    let Some(preview) = job.previews.get(index).and_then(Option::as_ref) else {
        commands.push(Command::ClosePreview);
        return;
    };
    let screen = ctx.content_rect();
    let modal = egui::Modal::new(egui::Id::unique("preview-large")).show(ctx, |ui| {
        ui.horizontal(|ui| {
            ui.label(egui::RichText::new(text::preview_step(preview.step, preview.of)).strong());
            let weak = theme::weak_colour(ui.visuals());
            ui.colored_label(weak, text::PREVIEW_STILL_MAKING());
        });
        let size = preview.texture.size_vec2();
        let room = egui::vec2(screen.width() * 0.8, screen.height() * 0.75);
        let scale = (room.x / size.x.max(1.0)).min(room.y / size.y.max(1.0));
        ui.add(
            egui::Image::new((preview.texture.id(), size * scale))
                .alt_text(text::preview_step(preview.step, preview.of)),
        );
        if ui.button(text::CLOSE()).clicked() {
            commands.push(Command::ClosePreview);
        }
    });
    if modal.should_close() {
        commands.push(Command::ClosePreview);
    }
}
