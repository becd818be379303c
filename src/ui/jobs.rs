//! Job cards: one per request, with its progress, Cancel, and then its pictures or its error.

use super::{text, theme};
use crate::app::thumbs::ThumbCache;
use crate::app::{Command, GalleryItem, JobCard, JobStatus};
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

/// Draws every card, newest first.
pub fn jobs_ui(
    ui: &mut egui::Ui,
    jobs: &[JobCard],
    gallery: &[GalleryItem],
    thumbs: &mut ThumbCache,
    commands: &mut Vec<Command>,
) {
    for job in jobs {
        theme::card(ui.visuals()).show(ui, |ui| {
            ui.set_width(ui.available_width());
            card_ui(ui, job, gallery, thumbs, commands);
        });
        ui.add_space(theme::GAP / 2.0);
    }
}

fn card_ui(
    ui: &mut egui::Ui,
    job: &JobCard,
    gallery: &[GalleryItem],
    thumbs: &mut ThumbCache,
    commands: &mut Vec<Command>,
) {
    ui.label(egui::RichText::new(excerpt(&job.request.prompt, 90)).strong());
    ui.label(
        egui::RichText::new(format!("{} · {}", settings_line(&job.request), job.endpoint.display_name()))
            .color(theme::weak_colour(ui.visuals())),
    );
    match &job.status {
        JobStatus::Queued | JobStatus::Running => {
            ui.horizontal(|ui| {
                ui.spinner();
                let running_since = matches!(job.status, JobStatus::Running).then_some(job.started);
                ui.label(super::words::activity_line(&job.activity, running_since));
                if ui.button(text::CANCEL()).clicked() {
                    commands.push(Command::Cancel(job.id));
                }
            });
        }
        JobStatus::Done(summary) => {
            ui.horizontal_wrapped(|ui| {
                for item in gallery.iter().filter(|g| g.job == Some(job.id) && !g.hidden) {
                    super::gallery::thumbnail_button(ui, item, theme::CARD_THUMB, thumbs, commands);
                }
            });
            let mut figures =
                vec![text::pictures_in(summary.saved.len(), &text::seconds(summary.elapsed.as_secs_f64()))];
            if let Some(t) = summary.usage.and_then(|u| u.total_tokens) {
                figures.push(text::tokens(t));
            }
            match (summary.cost_from_usage_usd, summary.estimated_cost_usd) {
                (Some(c), _) => figures.push(text::from_tokens(&text::cost(c, false))),
                (None, Some(c)) => figures.push(text::estimated(&text::cost(c, false))),
                _ => {}
            }
            ui.horizontal(|ui| {
                ui.label(figures.join(" · "));
                if ui.small_button(text::DISMISS()).clicked() {
                    commands.push(Command::Dismiss(job.id));
                }
            });
            for note in &summary.notes {
                ui.colored_label(theme::warn_colour(ui.visuals()), note.to_string());
            }
        }
        JobStatus::Failed { error, saved } => {
            ui.colored_label(theme::error_colour(ui.visuals()), error.to_string());
            if *saved > 0 {
                ui.label(text::arrived_and_saved(*saved));
            }
            ui.horizontal(|ui| {
                if ui.button(text::RETRY()).clicked() {
                    commands.push(Command::Retry(job.id));
                }
                if ui.small_button(text::DISMISS()).clicked() {
                    commands.push(Command::Dismiss(job.id));
                }
            });
        }
        JobStatus::Cancelled => {
            ui.horizontal(|ui| {
                ui.label(text::CANCELLED());
                if ui.button(text::RETRY()).clicked() {
                    commands.push(Command::Retry(job.id));
                }
                if ui.small_button(text::DISMISS()).clicked() {
                    commands.push(Command::Dismiss(job.id));
                }
            });
        }
    }
}
