//! Each frame, before anything is drawn: worker events and background replies are taken in,
//! deletes whose Undo time is up go to the trash, and the window's own housekeeping runs.
//! Never blocks.

use super::{App, Message};
use crate::worker::Worker;
use eframe::egui;
use std::time::{Duration, Instant};

impl App {
    /// Takes in what the worker and other background work reported. Never blocks.
    pub fn logic(&mut self, ctx: &egui::Context) {
        while let Some(event) = self.worker.as_ref().and_then(Worker::try_recv) {
            self.on_event(event);
        }
        while let Ok(reply) = self.replies.1.try_recv() {
            reply(self, ctx);
        }
        self.ask_models_if_due();
        let any_running = self.jobs.iter().any(|j| j.status.is_active());
        self.trash_due(false);
        match self.notice.as_ref().and_then(super::Notice::expires) {
            Some(at) if at <= Instant::now() => self.notice = None,
            Some(at) => ctx.request_repaint_after(at.saturating_duration_since(Instant::now())),
            None => {}
        }
        if !self.cjk_noted && self.cjk_font_missing() {
            self.cjk_noted = true;
            self.say(Message::NoCjkFont);
        }
        // Ctrl + and Ctrl − (egui's own shortcuts) change the size, within Easel's bounds; it is
        // kept for next time.
        let scale = ctx.zoom_factor();
        let kept = scale.clamp(super::MIN_SCALE, super::MAX_SCALE);
        if kept != scale {
            ctx.set_zoom_factor(kept);
        }
        self.state.settings.ui_scale = kept;
        if self.comparison.is_some() {
            self.load_comparison_pictures();
        }
        self.load_before_picture();
        // Coming back to the window: pictures made meanwhile (by the terminal, say) appear.
        let focused = ctx.input(|i| i.focused);
        if focused && !self.was_focused && !self.history_loading && self.gallery_read_once {
            self.reload_history();
        }
        self.was_focused = focused;
        self.take_dropped_files(ctx);
        if let Some(first) = self.pending_deletes.iter().map(|d| d.due).min() {
            ctx.request_repaint_after(first.saturating_duration_since(Instant::now()));
        }
        if any_running {
            // Elapsed seconds on the requests' tiles tick once a second.
            ctx.request_repaint_after(Duration::from_millis(500));
        }
        if ctx.input(|i| i.viewport().close_requested()) && any_running && !self.allow_close {
            ctx.send_viewport_cmd(egui::ViewportCommand::CancelClose);
            self.open_modal(super::Modal::ConfirmClose);
        }
    }
}
