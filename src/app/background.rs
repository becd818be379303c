//! Work off the UI thread (the disk, dialogs, the keyring, decoding) and its answer. The work
//! runs on the worker's blocking threads and returns a [`Reply`]: what to change in the app,
//! run by `logic` on the UI thread at the start of the next frame. Each feature writes its reply
//! beside its work, so no list of every feature's answers grows here, and nothing here knows
//! the features.

use super::{App, Message, Problem};
use eframe::egui;
use std::sync::mpsc::Sender;

/// What a piece of background work changes in the app, once it is done.
pub(super) type Reply = Box<dyn FnOnce(&mut App, &egui::Context) + Send>;

/// A reply from a closure.
pub(super) fn reply(f: impl FnOnce(&mut App, &egui::Context) + Send + 'static) -> Reply {
    Box::new(f)
}

/// For work that leaves nothing in progress behind (a copy, a save, a drop, the trash): if it
/// panics, the user is told and nothing else needs ending.
pub(super) fn nothing_to_end(_: &mut App) {}

impl App {
    /// Runs `work` on the worker's blocking threads and its reply in `logic`. If the work panics,
    /// `crashed` ends what it left in progress (a spinner, a flag) and the user is told.
    /// `false` when there is no worker (the library could not be opened) and nothing runs.
    pub(super) fn background(
        &self,
        crashed: impl FnOnce(&mut App) + Send + 'static,
        work: impl FnOnce() -> Reply + Send + 'static,
    ) -> bool {
        self.background_maybe(crashed, move || Some(work()))
    }

    /// The same for work that may have nothing to say (a dialog the user cancelled).
    pub(super) fn background_maybe(
        &self,
        crashed: impl FnOnce(&mut App) + Send + 'static,
        work: impl FnOnce() -> Option<Reply> + Send + 'static,
    ) -> bool {
        let Some(worker) = &self.worker else { return false };
        let (tx, ctx, handle) = (self.replies.0.clone(), self.ctx.clone(), worker.handle());
        let task = handle.spawn_blocking(work);
        handle.spawn(async move {
            let reply = task.await.unwrap_or_else(|e| Some(crash_reply(&e, crashed)));
            deliver(&tx, &ctx, reply);
        });
        true
    }
}

impl App {
    /// Runs `work` (a request on the wire) on the worker's runtime and its reply in `logic`; if
    /// it panics, as [`background`](App::background). `false` when there is no worker.
    pub(super) fn background_async(
        &self,
        crashed: impl FnOnce(&mut App) + Send + 'static,
        work: impl std::future::Future<Output = Reply> + Send + 'static,
    ) -> bool {
        let Some(worker) = &self.worker else { return false };
        let (tx, ctx, handle) = (self.replies.0.clone(), self.ctx.clone(), worker.handle());
        let task = handle.spawn(work);
        handle.spawn(async move { deliver(&tx, &ctx, Some(task.await.unwrap_or_else(|e| crash_reply(&e, crashed)))) });
        true
    }
}

/// The reply of work that panicked: `crashed` ends what it was doing, and the user is told.
fn crash_reply(e: &tokio::task::JoinError, crashed: impl FnOnce(&mut App) + Send + 'static) -> Reply {
    log::error!("background work stopped: {e}");
    reply(move |app, _| {
        crashed(app);
        app.say(Message::Failed(Problem::Internal));
    })
}

/// Hands a reply to `logic` and wakes the window.
fn deliver(tx: &Sender<Reply>, ctx: &egui::Context, reply: Option<Reply>) {
    // No receiver: the window is closing, and there is no one to tell.
    if let Some(reply) = reply
        && tx.send(reply).is_ok()
    {
        ctx.request_repaint();
    }
}
