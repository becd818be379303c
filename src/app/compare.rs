//! Comparisons in the window: starting one from the form, the state of its cells (taken each
//! frame from the requests sent and the gallery, so a comparison reopened from the history and
//! one still running are the same thing), full-size pictures, Retry, "Use this", the sheet.

use super::background::reply;
use super::compare_view::CompareView;
use super::thumbs::decode_file;
use super::{Activity, App, Command, DialogAnswer, JobStatus, Message, Notice, PictureId, Problem, SentRequest};
use crate::compare::{Plan, Setting};
use crate::endpoint::Endpoint;
use crate::library::{ImageMeta, PictureError, sheet};
use crate::worker::{JobError, JobId};
use eframe::egui;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::Instant;

/// The sheet's pictures are at most this many pixels a side.
const SHEET_CELL: u32 = 512;
/// The sheet's file name, offered in the save dialog (a file name, not a sentence: the same in
/// every language).
const SHEET_FILE: &str = "compare-sheet.png";

/// An open comparison.
pub struct Comparison {
    /// Shared by its cells' pictures (their metadata's comparison tag).
    pub id: String,
    pub plan: Plan,
    pub view: CompareView,
    /// Full-size pictures by path, decoded off the UI thread.
    pub pictures: HashMap<PathBuf, Picture>,
    /// The layout of the sheet last exported: where each label went and what it says (in
    /// English, as on the sheet). Nothing draws it; the tests check the PNG against it.
    pub exported: Option<sheet::SheetLayout>,
    pub exporting: bool,
}

/// A cell's full-size picture.
pub enum Picture {
    Loading,
    Ready(egui::TextureHandle),
    Failed(Problem),
}

impl Comparison {
    fn new(id: String, plan: Plan) -> Comparison {
        Comparison { id, plan, view: CompareView::new(), pictures: HashMap::new(), exported: None, exporting: false }
    }
}

/// Where a cell stands.
#[derive(Debug, Clone, PartialEq)]
pub enum CellState {
    /// Queued or running: what it is doing, and since when it runs (`None` while queued).
    Waiting {
        job: JobId,
        activity: Activity,
        running_since: Option<Instant>,
    },
    /// Its picture is in the library.
    Done {
        picture: PictureId,
    },
    Failed(JobError),
    /// Its request finished without a picture.
    NoPicture,
    Cancelled,
    /// Its picture was deleted (Undo may still bring it back).
    Deleted,
    /// Nothing is known of it: it was never made (a comparison reopened from the history).
    Missing,
}

impl CellState {
    /// Whether sending it again makes sense (a deleted picture is brought back with Undo).
    pub fn can_retry(&self) -> bool {
        matches!(self, CellState::Failed(_) | CellState::NoPicture | CellState::Cancelled | CellState::Missing)
    }

    fn from_job(job: &SentRequest) -> CellState {
        match &job.status {
            JobStatus::Queued => {
                CellState::Waiting { job: job.id, activity: job.activity.clone(), running_since: None }
            }
            JobStatus::Running => {
                CellState::Waiting { job: job.id, activity: job.activity.clone(), running_since: Some(job.started) }
            }
            JobStatus::Done(_) => CellState::NoPicture,
            JobStatus::Failed { error, .. } => CellState::Failed(error.clone()),
            JobStatus::Cancelled => CellState::Cancelled,
        }
    }
}

impl App {
    /// Sends every cell of the comparison the dialog describes and shows it.
    pub(super) fn start_comparison(&mut self) {
        // The dialog's Start is disabled while the form or the draft would fail: only a race
        // gets past it, and then the dialog stays open with the reason beside it.
        let Some(draft) = self.compare_draft() else { return };
        let (base, endpoint) = match (self.validated_request(), self.endpoint()) {
            (Ok(b), Ok(e)) => (b, e),
            (Err(blocked), _) => return self.say(Message::Blocked(blocked)),
            (_, Err(e)) => return self.say(Message::Failed(e.into())),
        };
        let plan = match draft.plan(&base, endpoint.prompt_limit) {
            Ok(p) => p,
            Err(e) => return self.say(Message::Failed(e.into())),
        };
        self.close_modal_if(|m| matches!(m, super::Modal::CompareDialog(_)));
        let id = crate::library::new_group();
        if self.change.active() {
            // A comparison of changes: the pictures are read and checked once, then each cell
            // sends them with its own settings (`send_comparison` when they are ready).
            self.prepare_change(Some(super::change::PendingComparison { id, plan, endpoint }));
            return;
        }
        self.send_comparison(id, plan, endpoint, None);
    }

    /// Sends every cell of `plan` (as changes of `edit`'s pictures when given) and shows it.
    pub(super) fn send_comparison(
        &mut self,
        id: String,
        plan: Plan,
        endpoint: Endpoint,
        edit: Option<&crate::worker::EditJob>,
    ) {
        let mut sent = true;
        for (i, cell) in plan.cells.iter().enumerate() {
            let edit = edit.map(|e| std::sync::Arc::new(e.with_settings(cell.request.clone())));
            sent &= self.submit(cell.request.clone(), Some(endpoint.clone()), Some(plan.tag(&id, i)), edit);
        }
        if !sent {
            self.say(Message::NoKey);
        }
        self.viewer = None;
        self.comparison = Some(Comparison::new(id, plan));
    }

    /// Shows the comparison `picture` is a cell of.
    pub(super) fn open_comparison(&mut self, picture: PictureId) {
        let Some(meta) = self.picture(picture).map(|g| &g.saved.meta) else { return };
        let Some(tag) = &meta.comparison else { return };
        match Plan::from_tag(&meta.request, tag) {
            Ok(plan) => {
                let id = tag.id.clone();
                self.viewer = None;
                self.comparison = Some(Comparison::new(id, plan));
            }
            Err(e) => self.say(Message::ComparisonUnreadable(e)),
        }
    }

    /// Where each cell of the open comparison stands, in the plan's order.
    pub fn comparison_cells(&self) -> Vec<CellState> {
        let Some(c) = &self.comparison else { return Vec::new() };
        let mut done: Vec<Option<PictureId>> = vec![None; c.plan.cells.len()];
        let mut deleted = vec![false; c.plan.cells.len()];
        for g in &self.gallery {
            if let Some(tag) = g.saved.meta.comparison.as_ref().filter(|t| t.id == c.id)
                && let Some(cell) = c.plan.index(tag.column, tag.row)
            {
                if g.hidden {
                    deleted[cell] = true;
                } else {
                    // The first is the newest: the gallery is kept newest first.
                    done[cell].get_or_insert(g.id);
                }
            }
        }
        done.into_iter()
            .enumerate()
            .map(|(cell, made)| match made {
                Some(picture) => CellState::Done { picture },
                None if deleted[cell] => CellState::Deleted,
                None => self.cell_job(&c.id, cell, &c.plan).map_or(CellState::Missing, CellState::from_job),
            })
            .collect()
    }

    /// The newest request sent for a cell.
    fn cell_job(&self, id: &str, cell: usize, plan: &Plan) -> Option<&SentRequest> {
        let (column, row) = (plan.cells[cell].column, plan.cells[cell].row);
        self.jobs
            .iter()
            .find(|j| j.comparison.as_ref().is_some_and(|t| t.id == id && t.column == column && t.row == row))
    }

    /// Asks for the full-size pictures of the cells that have one and are not loaded yet.
    pub(super) fn load_comparison_pictures(&mut self) {
        let cells = self.comparison_cells();
        let wanted: Vec<PathBuf> = cells
            .iter()
            .filter_map(|cell| match cell {
                CellState::Done { picture } => self.picture(*picture).map(|g| g.saved.path.clone()),
                _ => None,
            })
            .collect();
        let Some(c) = &mut self.comparison else { return };
        let wanted: Vec<PathBuf> = wanted.into_iter().filter(|p| !c.pictures.contains_key(p)).collect();
        for path in &wanted {
            c.pictures.insert(path.clone(), Picture::Loading);
        }
        let id = c.id.clone();
        for path in wanted {
            let id = id.clone();
            let (shown_id, shown) = (id.clone(), path.clone());
            let crashed = move |app: &mut App| {
                if let Some(c) = app.comparison.as_mut().filter(|c| c.id == shown_id) {
                    c.pictures.insert(shown, Picture::Failed(Problem::Internal));
                }
            };
            self.background(crashed, move || {
                let result = decode_file(&path);
                reply(move |app, ctx| app.comparison_picture(ctx, &id, path, result))
            });
        }
    }

    /// A decoded cell picture arrived.
    pub(super) fn comparison_picture(
        &mut self,
        ctx: &egui::Context,
        id: &str,
        path: PathBuf,
        result: Result<egui::ColorImage, PictureError>,
    ) {
        let Some(c) = self.comparison.as_mut().filter(|c| c.id == id) else { return };
        let picture = match result {
            Ok(image) => {
                let name = format!("compare-{}", path.display());
                Picture::Ready(ctx.load_texture(name, image, egui::TextureOptions::LINEAR))
            }
            Err(e) => Picture::Failed(e.into()),
        };
        c.pictures.insert(path, picture);
    }

    /// Sends a failed or missing cell again, to the endpoint the other cells went to.
    pub(super) fn retry_cell(&mut self, cell: usize) {
        let Some(c) = &self.comparison else { return };
        let Some(request) = c.plan.cells.get(cell).map(|x| x.request.clone()) else { return };
        let tag = c.plan.tag(&c.id, cell);
        let old = self.cell_job(&c.id, cell, &c.plan).map(|j| (j.id, j.endpoint.clone(), j.edit.clone()));
        // A change's cell is sent with the pictures it was sent with before.
        let edit = old.as_ref().and_then(|o| o.2.clone());
        // The endpoint the cell went to before, so that every cell comes from the same relay.
        let (old, endpoint) = (old.as_ref().map(|o| o.0), old.map(|o| o.1).or_else(|| self.comparison_endpoint()));
        if self.submit(request, endpoint, Some(tag), edit) {
            // The new request is first in the list; the old one (the failure) goes.
            if let Some(old) = old {
                self.jobs.retain(|j| j.id != old);
            }
        } else {
            self.say(Message::NoKey);
        }
    }

    /// Where the open comparison's pictures came from, by their metadata.
    fn comparison_endpoint(&self) -> Option<Endpoint> {
        let id = &self.comparison.as_ref()?.id;
        let meta =
            self.gallery.iter().map(|g| &g.saved.meta).find(|m| m.comparison.as_ref().is_some_and(|t| &t.id == id))?;
        Endpoint::from_base_url(&meta.endpoint, None).ok()
    }

    /// Puts a cell's varied settings into the form ("Use this quality") and goes back to it.
    pub(super) fn use_cell(&mut self, cell: usize) {
        let Some(c) = &self.comparison else { return };
        let Some(chosen) = c.plan.cells.get(cell) else { return };
        let from = super::FormState::from_request(&chosen.request);
        let form = &mut self.state.form;
        for setting in c.plan.settings() {
            match setting {
                Setting::Quality => form.quality = from.quality,
                Setting::Format => form.format = from.format,
                Setting::Model => form.model.clone_from(&from.model),
                Setting::Size => {
                    form.size = from.size;
                    form.custom_width.clone_from(&from.custom_width);
                    form.custom_height.clone_from(&from.custom_height);
                }
            }
        }
        self.say(Message::UsingCell(c.plan.cell_values(cell)));
        self.comparison = None;
    }

    /// Asks where to write the sheet, then draws and writes it off the UI thread.
    pub(super) fn export_sheet(&mut self) {
        let cells = self.comparison_cells();
        let Some(c) = &self.comparison else { return };
        if c.exporting {
            return;
        }
        // What each cell shows: a picture to read back from the library, or why there is none.
        let sources: Vec<Result<(PathBuf, ImageMeta), CellState>> = cells
            .into_iter()
            .map(|s| match s {
                CellState::Done { picture } => self
                    .picture(picture)
                    .map(|g| (g.saved.path.clone(), g.saved.meta.clone()))
                    .ok_or(CellState::Deleted),
                other => Err(other),
            })
            .collect();
        let (plan, id) = (c.plan.clone(), c.id.clone());
        let dialogs = self.dialogs.clone();
        let folder = self.state.settings.last_save_dir.clone();
        // Without a file dialog the sheet still gets made, beside the library.
        let Some(fallback) =
            self.worker.as_ref().map(|w| w.library().root().join("sheets").join(format!("compare-sheet-{id}.png")))
        else {
            return;
        };
        let exporting = id.clone();
        let crashed = move |app: &mut App| app.sheet_done(&exporting);
        let started = self.background(crashed, move || {
            let (target, no_dialog) = match dialogs.save_file(SHEET_FILE, folder.as_deref()) {
                DialogAnswer::Chosen(target) => (target, false),
                DialogAnswer::Cancelled => return reply(move |app, _| app.sheet_done(&id)),
                DialogAnswer::Unavailable => (fallback, true),
            };
            let result = write_sheet(&plan, sources, &target).map(|layout| (target, layout));
            reply(move |app, _| app.sheet_exported(&id, result, no_dialog))
        });
        if let Some(c) = &mut self.comparison {
            c.exporting = started;
        }
    }

    /// The sheet's work is over, whatever came of it.
    pub(super) fn sheet_done(&mut self, id: &str) {
        if let Some(c) = self.comparison.as_mut().filter(|c| c.id == id) {
            c.exporting = false;
        }
    }

    /// The sheet was written, or not.
    pub(super) fn sheet_exported(
        &mut self,
        id: &str,
        result: Result<(PathBuf, sheet::SheetLayout), Problem>,
        no_dialog: bool,
    ) {
        self.sheet_done(id);
        match result {
            Ok((path, layout)) => {
                if let Some(c) = self.comparison.as_mut().filter(|c| c.id == id) {
                    c.exported = Some(layout.clone());
                }
                let folder = path.parent().map(Path::to_path_buf);
                if let Some(f) = &folder {
                    self.state.settings.last_save_dir = Some(f.clone());
                }
                let message = Message::SheetSaved { path, width: layout.width, height: layout.height, no_dialog };
                self.notice = Some(Notice::new(message).with_folder(folder));
            }
            Err(e) => self.say(Message::Failed(e)),
        }
    }

    /// Runs a command of comparisons and their dialog.
    pub(super) fn run_compare(&mut self, command: Command) {
        match command {
            Command::AskCompare => {
                self.open_modal(super::Modal::CompareDialog(super::compare_draft::CompareDraft::default()));
            }
            Command::CloseCompareDialog => self.close_modal_if(|m| matches!(m, super::Modal::CompareDialog(_))),
            Command::StartComparison => self.start_comparison(),
            Command::OpenComparison(id) => self.open_comparison(id),
            Command::CloseComparison => self.comparison = None,
            Command::RetryCell(cell) => self.retry_cell(cell),
            Command::UseCell(cell) => self.use_cell(cell),
            Command::ExportSheet => self.export_sheet(),
            _ => {}
        }
    }
}

/// Reads each made cell's picture from the library, draws the sheet and writes it.
fn write_sheet(
    plan: &Plan,
    sources: Vec<Result<(PathBuf, ImageMeta), CellState>>,
    target: &Path,
) -> Result<sheet::SheetLayout, Problem> {
    if let Some(dir) = target.parent() {
        std::fs::create_dir_all(dir)
            .map_err(|e| crate::library::LibraryError::io(crate::library::Action::CreateFolder, dir, &e))?;
    }
    // The sheet's font has no Chinese characters: its labels are English whatever the window's language.
    crate::i18n::with(crate::i18n::Lang::En, || {
        let cells = sources
            .into_iter()
            .enumerate()
            .map(|(i, source)| {
                let label = plan.display_label(i);
                match source {
                    // One cell at a time, at the size it is drawn: huge pictures are never held whole.
                    Ok((path, meta)) => match crate::library::read_picture_fitting(&path, SHEET_CELL) {
                        Ok(picture) => {
                            sheet::SheetCell { picture: Some(picture), lines: sheet::cell_lines(&label, &meta) }
                        }
                        Err(e) => sheet::SheetCell { picture: None, lines: vec![label, e.to_string()] },
                    },
                    Err(state @ CellState::Failed(_)) => {
                        sheet::SheetCell { picture: None, lines: vec![label, sheet::failed_line(&state.to_string())] }
                    }
                    Err(state) => sheet::SheetCell { picture: None, lines: vec![label, state.to_string()] },
                }
            })
            .collect();
        let spec = sheet::SheetSpec::comparison(plan, cells);
        let (layout, image) = sheet::render(&spec, SHEET_CELL)?;
        let png = sheet::to_png(&image)?;
        crate::library::write_atomic(target, &png)?;
        Ok(layout)
    })
}
