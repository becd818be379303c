//! Requests in the window: each is a job from the moment it is sent, drawn as placeholder tiles
//! at the top of the gallery, holding what is happening (as data, worded by the view). One that
//! succeeds leaves at once (its pictures are in the gallery and its cost in the session's
//! spend), and so does one cancelled; one that fails stays as a tile with what happened until
//! retried or dismissed.

use super::{App, GalleryItem, Problem};
use crate::api::{ImageRequest, Progress};
use crate::endpoint::Endpoint;
use crate::library::Thumbnail;
use crate::worker::{EditJob, Event, Job, JobError, JobId, JobNote, JobSummary};
use eframe::egui;
use std::sync::Arc;
use std::time::Instant;

/// A request sent from the window.
pub struct SentRequest {
    pub id: JobId,
    pub request: ImageRequest,
    /// Where it was sent; Retry goes there again.
    pub endpoint: Endpoint,
    /// When it was sent, then when it started running.
    pub started: Instant,
    pub status: JobStatus,
    /// What is happening now, while it is queued or running.
    pub activity: Activity,
    /// The comparison cell it is, if it is one.
    pub comparison: Option<crate::compare::Tag>,
    /// A change of pictures: what Retry sends again (the files as they were read).
    pub edit: Option<Arc<EditJob>>,
    /// The latest streamed preview of each picture still to come, by its index.
    pub previews: Vec<Option<Preview>>,
}

/// A streamed preview of a picture on its way: `step` of `of`, as a small texture.
pub struct Preview {
    pub step: u8,
    pub of: u8,
    pub texture: egui::TextureHandle,
}

/// Where a request stands.
pub enum JobStatus {
    Queued,
    Running,
    Done(Box<JobSummary>),
    /// Failed `at` this moment; `saved` pictures arrived before it did and are in the library.
    Failed {
        error: JobError,
        saved: usize,
        at: Instant,
    },
    Cancelled,
}

impl JobStatus {
    /// Whether it is still queued or running.
    pub fn is_active(&self) -> bool {
        matches!(self, JobStatus::Queued | JobStatus::Running)
    }

    /// Whether it failed or was cancelled: a tile says so until it is retried or dismissed.
    pub fn has_ended(&self) -> bool {
        matches!(self, JobStatus::Failed { .. } | JobStatus::Cancelled)
    }
}

/// What a queued or running request is doing.
#[derive(Debug, Clone, PartialEq)]
pub enum Activity {
    /// Sent to the worker, not yet taken in.
    Submitted,
    /// Waiting for a free slot (several requests run at once, up to a limit).
    Queued,
    /// Taken up; the request is being sent.
    Sending,
    /// What the wire reported last.
    Wire(Progress),
}

/// What this run has made and cost, for the header.
#[derive(Debug, Default, Clone, Copy, PartialEq)]
pub struct Session {
    pub pictures: usize,
    /// At list prices: from the tokens reported where there are any, else the estimate.
    pub usd: f64,
}

impl Session {
    fn add(&mut self, summary: &JobSummary) {
        self.pictures += summary.saved.len();
        self.usd += summary.cost().unwrap_or(0.0);
    }
}

impl App {
    pub(super) fn sent(&mut self, id: JobId) -> Option<&mut SentRequest> {
        self.jobs.iter_mut().find(|j| j.id == id)
    }

    /// Takes in one event from the worker.
    pub(super) fn on_event(&mut self, event: Event) {
        match event {
            Event::Queued { id } => {
                if let Some(c) = self.sent(id) {
                    c.activity = Activity::Queued;
                }
            }
            Event::Started { id } => {
                if let Some(c) = self.sent(id) {
                    c.status = JobStatus::Running;
                    c.started = Instant::now();
                    c.activity = Activity::Sending;
                }
            }
            Event::Progress { id, progress } => {
                if let Some(c) = self.sent(id) {
                    c.activity = Activity::Wire(progress);
                }
            }
            Event::Preview { id, index, step, of, preview } => self.preview(id, index, step, of, &preview),
            Event::ImageSaved { id, image, .. } => {
                let picture = self.new_picture_id();
                // Newest request first, but a request's pictures in their order (as after a
                // restart), whichever arrives first.
                let index = image.meta.index;
                let mine = |g: &GalleryItem| g.job == Some(id);
                let at = self
                    .gallery
                    .iter()
                    .position(|g| mine(g) && g.saved.meta.index > index)
                    .or_else(|| self.gallery.iter().rposition(mine).map(|p| p + 1))
                    .unwrap_or(0);
                self.gallery.insert(at, GalleryItem::new(picture, Some(id), *image, None));
                // The preview being looked at became its picture: the viewer shows that.
                if self.preview_open() == Some((id, index)) {
                    self.close_modal_if(|m| matches!(m, super::Modal::Preview { .. }));
                    self.open_viewer(picture);
                }
            }
            Event::Thumbnail { id, index, thumbnail } => {
                let made = self.gallery.iter().find(|g| g.job == Some(id) && g.saved.meta.index == index);
                if let Some(path) = made.map(|g| g.saved.path.clone()) {
                    let result =
                        thumbnail.map(|t| super::thumbs::color_image(&t)).map_err(|e| Problem::Picture(e.into()));
                    self.thumbs.insert(&self.ctx, path, result);
                }
            }
            Event::Finished { id, summary } => {
                self.session.add(&summary);
                if summary.notes.iter().any(|n| matches!(n, JobNote::NoPreviews | JobNote::PreviewsBroke)) {
                    self.previews_refused = Some(std::time::SystemTime::now());
                }
                match self.sent(id) {
                    // A comparison's cells read their outcome, notes included, from the job.
                    Some(c) if c.comparison.is_some() => c.status = JobStatus::Done(summary),
                    // A plain request is done: its pictures are in the gallery, its notes said.
                    _ => {
                        self.jobs.retain(|j| j.id != id);
                        if !summary.notes.is_empty() {
                            self.say(super::Message::Notes(summary.notes));
                        }
                    }
                }
            }
            Event::Failed { id, error, saved } => {
                // Its tile says what happened; a preview of it is no longer worth looking at.
                if self.preview_open().is_some_and(|(job, _)| job == id) {
                    self.close_modal_if(|m| matches!(m, super::Modal::Preview { .. }));
                }
                // A plain request cancelled leaves nothing to dismiss: the user asked for it to
                // go (what it saved before is in the gallery). A comparison's cell stays, to be
                // sent again from the comparison.
                let plain = self.sent(id).is_some_and(|c| c.comparison.is_none());
                if error.is_cancelled() && plain {
                    self.jobs.retain(|j| j.id != id);
                } else if let Some(c) = self.sent(id) {
                    c.status = if error.is_cancelled() {
                        JobStatus::Cancelled
                    } else {
                        JobStatus::Failed { error, saved: saved.len(), at: Instant::now() }
                    };
                }
            }
        }
    }

    /// Shows a streamed preview on the request's tile for picture `index`, in place of the last.
    fn preview(&mut self, id: JobId, index: usize, step: u8, of: u8, preview: &Thumbnail) {
        // Far more pictures than asked would be a hostile relay: previews only for those asked.
        let ctx = self.ctx.clone();
        let Some(job) = self.sent(id).filter(|j| index < usize::from(j.request.n)) else { return };
        let image = super::thumbs::color_image(preview);
        if job.previews.len() <= index {
            job.previews.resize_with(index + 1, || None);
        }
        match &mut job.previews[index] {
            Some(p) => {
                p.texture.set(image, egui::TextureOptions::LINEAR);
                (p.step, p.of) = (step, of);
            }
            slot @ None => {
                let texture = ctx.load_texture(format!("preview-{id:?}-{index}"), image, egui::TextureOptions::LINEAR);
                *slot = Some(Preview { step, of, texture });
            }
        }
    }

    /// Sends a request to `endpoint` (the current one when `None`), as a comparison's cell when
    /// tagged, as a change of pictures with `edit`; `false` if nothing could be sent (no key for
    /// that endpoint, no library).
    pub(super) fn submit(
        &mut self,
        request: ImageRequest,
        endpoint: Option<Endpoint>,
        comparison: Option<crate::compare::Tag>,
        edit: Option<Arc<EditJob>>,
    ) -> bool {
        let Some(endpoint) = endpoint.or_else(|| self.endpoint().ok()) else { return false };
        let key = if Some(endpoint.key_account()) == self.key_account {
            self.key.as_ref().map(|k| k.0.clone())
        } else {
            self.secrets.load(&endpoint.key_account()).map(|k| k.0)
        };
        let (Some(worker), Some(key)) = (&self.worker, key) else { return false };
        let id = worker.submit(Job {
            request: request.clone(),
            endpoint: endpoint.clone(),
            key,
            comparison: comparison.clone(),
            edit: edit.clone(),
        });
        let sent = SentRequest {
            id,
            request,
            endpoint,
            started: Instant::now(),
            status: JobStatus::Queued,
            activity: Activity::Submitted,
            comparison,
            edit,
            previews: Vec::new(),
        };
        self.jobs.insert(0, sent);
        true
    }

    /// Sends a finished request again, to the same endpoint; the old one goes only once the
    /// new one exists.
    pub(super) fn retry(&mut self, id: JobId) {
        let Some(job) = self.jobs.iter().find(|j| j.id == id) else { return };
        let (request, endpoint, tag, edit) =
            (job.request.clone(), job.endpoint.clone(), job.comparison.clone(), job.edit.clone());
        if self.submit(request, Some(endpoint), tag, edit) {
            self.jobs.retain(|j| j.id != id);
        } else {
            self.say(super::Message::NoKey);
        }
    }
}
