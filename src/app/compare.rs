//! Comparisons in the window: starting one from the form, the state of its cells (taken each
//! frame from the job cards and the gallery, so a comparison reopened from the history and
//! one still running are the same thing), full-size pictures, Retry, "Use this", the sheet.

use super::*;
use crate::compare::{Plan, Setting};
use crate::library::sheet;
use crate::ui::compare::{CompareDraft, CompareView};
use std::collections::HashMap;

/// The sheet's pictures are at most this many pixels a side.
const SHEET_CELL: u32 = 512;

/// An open comparison.
pub struct Comparison {
    /// Shared by its cells' pictures (their metadata's comparison tag).
    pub id: String,
    pub plan: Plan,
    pub view: CompareView,
    /// Full-size pictures by path, decoded off the UI thread.
    pub pictures: HashMap<PathBuf, Picture>,
    /// The layout of the sheet last exported, what its labels say and where.
    pub exported: Option<sheet::SheetLayout>,
    pub exporting: bool,
}

/// A cell's full-size picture.
pub enum Picture {
    Loading,
    Ready(egui::TextureHandle),
    Failed(String),
}

impl Comparison {
    fn new(id: String, plan: Plan) -> Comparison {
        Comparison { id, plan, view: CompareView::new(), pictures: HashMap::new(), exported: None, exporting: false }
    }
}

/// Where a cell stands.
#[derive(Debug, Clone, PartialEq)]
pub enum CellState {
    /// Queued or running; the caption says which, with the time so far.
    Waiting {
        job: JobId,
        caption: String,
    },
    /// Its picture is in the library, at this place in the gallery.
    Done {
        index: usize,
    },
    Failed {
        message: String,
    },
    Cancelled,
    /// Its picture was deleted (Undo may still bring it back).
    Deleted,
    /// Nothing is known of it: it was never made (a comparison reopened from the history).
    Missing,
}

impl CellState {
    /// What a cell without a picture says in its place.
    pub fn words(&self) -> String {
        match self {
            CellState::Waiting { caption, .. } => caption.clone(),
            CellState::Done { .. } => String::new(),
            CellState::Failed { message } => message.clone(),
            CellState::Cancelled => text::CANCELLED().into(),
            CellState::Deleted => text::CELL_DELETED().into(),
            CellState::Missing => text::NOT_MADE().into(),
        }
    }

    /// Whether sending it again makes sense (a deleted picture is brought back with Undo).
    pub fn can_retry(&self) -> bool {
        matches!(self, CellState::Failed { .. } | CellState::Cancelled | CellState::Missing)
    }
}

impl App {
    /// Opens the dialog that sets up a comparison, varying the quality to begin with.
    pub(super) fn ask_compare(&mut self) {
        self.compare_draft = Some(CompareDraft::default());
    }

    /// Sends every cell of the comparison the dialog describes and shows it.
    pub(super) fn start_comparison(&mut self) {
        let Some(draft) = self.compare_draft.take() else { return };
        let (base, endpoint) = match (self.validated_request(), self.endpoint()) {
            (Ok(b), Ok(e)) => (b, e),
            (Err(e), _) | (_, Err(e)) => {
                self.notice = Some(Notice::error(e));
                return;
            }
        };
        let plan = match draft.plan(&base, endpoint.prompt_limit) {
            Ok(p) => p,
            Err(e) => {
                self.notice = Some(Notice::error(e.to_string()));
                return;
            }
        };
        let id = crate::library::new_group();
        let mut sent = true;
        for (i, cell) in plan.cells.iter().enumerate() {
            sent &= self.submit(cell.request.clone(), Some(endpoint.clone()), Some(plan.tag(&id, i)));
        }
        if !sent {
            self.notice = Some(Notice::error(text::NO_KEY()));
        }
        self.viewer = None;
        self.comparison = Some(Comparison::new(id, plan));
    }

    /// Shows the comparison the gallery picture at `index` is a cell of.
    pub(super) fn open_comparison(&mut self, index: usize) {
        let Some(meta) = self.gallery.get(index).map(|g| &g.saved.meta) else { return };
        let Some(tag) = &meta.comparison else { return };
        match Plan::from_tag(&meta.request, tag) {
            Ok(plan) => {
                self.viewer = None;
                self.comparison = Some(Comparison::new(tag.id.clone(), plan));
            }
            Err(e) => self.notice = Some(Notice::error(text::comparison_unreadable(&e.to_string()))),
        }
    }

    /// Where each cell of the open comparison stands, in the plan's order.
    pub fn comparison_cells(&self) -> Vec<CellState> {
        let Some(c) = &self.comparison else { return Vec::new() };
        let mut done: Vec<Option<usize>> = vec![None; c.plan.cells.len()];
        let mut deleted = vec![false; c.plan.cells.len()];
        for (i, g) in self.gallery.iter().enumerate() {
            if let Some(tag) = g.saved.meta.comparison.as_ref().filter(|t| t.id == c.id)
                && let Some(cell) = c.plan.index(tag.column, tag.row)
            {
                if g.hidden {
                    deleted[cell] = true;
                } else {
                    // The first is the newest: the gallery is kept newest first.
                    done[cell].get_or_insert(i);
                }
            }
        }
        done.into_iter()
            .enumerate()
            .map(|(cell, index)| match index {
                Some(index) => CellState::Done { index },
                None if deleted[cell] => CellState::Deleted,
                None => self.cell_job(&c.id, cell, &c.plan).map_or(CellState::Missing, |card| match &card.status {
                    JobStatus::Queued => CellState::Waiting { job: card.id, caption: card.activity.clone() },
                    JobStatus::Running => CellState::Waiting {
                        job: card.id,
                        caption: format!("{} {}", card.activity, text::seconds(card.started.elapsed().as_secs_f64())),
                    },
                    JobStatus::Done(_) => CellState::Failed { message: text::NO_PICTURE_CAME().into() },
                    JobStatus::Failed { message, .. } => CellState::Failed { message: message.clone() },
                    JobStatus::Cancelled => CellState::Cancelled,
                }),
            })
            .collect()
    }

    /// The newest job card of a cell.
    fn cell_job(&self, id: &str, cell: usize, plan: &Plan) -> Option<&JobCard> {
        let (column, row) = (plan.cells[cell].column, plan.cells[cell].row);
        self.jobs
            .iter()
            .find(|j| j.comparison.as_ref().is_some_and(|t| t.id == id && t.column == column && t.row == row))
    }

    /// Asks for the full-size pictures of the cells that have one and are not loaded yet.
    pub(super) fn load_comparison_pictures(&mut self) {
        let cells = self.comparison_cells();
        let Some(c) = &mut self.comparison else { return };
        let mut wanted = Vec::new();
        for cell in cells {
            let CellState::Done { index } = cell else { continue };
            let path = &self.gallery[index].saved.path;
            if !c.pictures.contains_key(path) {
                c.pictures.insert(path.clone(), Picture::Loading);
                wanted.push(path.clone());
            }
        }
        let id = c.id.clone();
        for path in wanted {
            let id = id.clone();
            self.background(move || Reply::ComparePicture { id, result: decode_file(&path), path });
        }
    }

    /// A decoded cell picture arrived.
    pub(super) fn comparison_picture(
        &mut self,
        ctx: &egui::Context,
        id: String,
        path: PathBuf,
        result: Result<egui::ColorImage, String>,
    ) {
        let Some(c) = self.comparison.as_mut().filter(|c| c.id == id) else { return };
        let picture = match result {
            Ok(image) => Picture::Ready(ctx.load_texture(
                format!("compare-{}", path.display()),
                image,
                egui::TextureOptions::LINEAR,
            )),
            Err(e) => Picture::Failed(e),
        };
        c.pictures.insert(path, picture);
    }

    /// Sends a failed or missing cell again, to the endpoint in use now.
    pub(super) fn retry_cell(&mut self, cell: usize) {
        let Some(c) = &self.comparison else { return };
        let Some(request) = c.plan.cells.get(cell).map(|x| x.request.clone()) else { return };
        let tag = c.plan.tag(&c.id, cell);
        let old = self.cell_job(&c.id, cell, &c.plan).map(|j| (j.id, j.endpoint.clone()));
        // The endpoint the cell went to before, so that every cell comes from the same relay.
        let (old, endpoint) = (old.as_ref().map(|o| o.0), old.map(|o| o.1).or_else(|| self.comparison_endpoint()));
        if self.submit(request, endpoint, Some(tag)) {
            // The new card is first in the list; the old one (the failure) goes.
            if let Some(old) = old {
                self.jobs.retain(|j| j.id != old);
            }
        } else {
            self.notice = Some(Notice::error(text::NO_KEY()));
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
        let from = FormState::from_request(&chosen.request);
        let form = &mut self.state.form;
        for setting in c.plan.settings() {
            match setting {
                Setting::Quality => form.quality = from.quality,
                Setting::Format => form.format = from.format,
                Setting::Model => form.model = from.model.clone(),
                Setting::Size => {
                    form.size = from.size;
                    form.custom_width = from.custom_width.clone();
                    form.custom_height = from.custom_height.clone();
                }
            }
        }
        self.notice = Some(Notice::info(text::using_cell(&c.plan.display_label(cell))));
        self.comparison = None;
    }

    /// Asks where to write the sheet, then draws and writes it off the UI thread.
    pub(super) fn export_sheet(&mut self) {
        let cells = self.comparison_cells();
        let Some(c) = &mut self.comparison else { return };
        if c.exporting {
            return;
        }
        // What each cell shows: a picture to read back from the library, or why there is none.
        let sources: Vec<Result<(PathBuf, crate::library::ImageMeta), CellState>> = cells
            .into_iter()
            .map(|s| match s {
                CellState::Done { index } => {
                    Ok((self.gallery[index].saved.path.clone(), self.gallery[index].saved.meta.clone()))
                }
                other => Err(other),
            })
            .collect();
        c.exporting = true;
        let (plan, id) = (c.plan.clone(), c.id.clone());
        let dialogs = self.dialogs.clone();
        let folder = self.state.settings.last_save_dir.clone();
        // Without a file dialog the sheet still gets made, beside the library.
        let fallback =
            self.worker.as_ref().map(|w| w.library().root().join("sheets").join(format!("compare-sheet-{id}.png")));
        self.background(move || {
            let (target, no_dialog) = match dialogs.save_file(text::SHEET_FILE(), folder.as_deref()) {
                DialogAnswer::Chosen(target) => (target, false),
                DialogAnswer::Cancelled => {
                    return Reply::SheetExported { id, result: Err(String::new()), no_dialog: false };
                }
                DialogAnswer::Unavailable => match fallback {
                    Some(f) => (f, true),
                    None => return Reply::SheetExported { id, result: Err(text::NO_DIALOG().into()), no_dialog: true },
                },
            };
            let result = target.parent().map_or(Ok(()), |p| std::fs::create_dir_all(p).map_err(|e| e.to_string()));
            // The sheet's font has no Chinese characters: its labels are English whatever the window's language.
            let result = result
                .and_then(|()| crate::i18n::with(crate::i18n::Lang::En, || write_sheet(&plan, sources, &target)))
                .map(|layout| (target, layout));
            Reply::SheetExported { id, result, no_dialog }
        });
    }

    /// The sheet was written, or not (an empty error: the user cancelled).
    pub(super) fn sheet_exported(
        &mut self,
        id: String,
        result: Result<(PathBuf, sheet::SheetLayout), String>,
        no_dialog: bool,
    ) {
        if let Some(c) = self.comparison.as_mut().filter(|c| c.id == id) {
            c.exporting = false;
            if let Ok((_, layout)) = &result {
                c.exported = Some(layout.clone());
            }
        }
        match result {
            Ok((path, layout)) => {
                if let Some(f) = path.parent() {
                    self.state.settings.last_save_dir = Some(f.to_path_buf());
                }
                let saved = text::sheet_saved(&path.display().to_string(), layout.width, layout.height);
                let mut n = if no_dialog {
                    Notice::error(format!("{} {saved}", text::NO_DIALOG_SHEET()))
                } else {
                    Notice::info(saved)
                };
                n.folder = path.parent().map(Path::to_path_buf);
                self.notice = Some(n);
            }
            Err(e) if e.is_empty() => {}
            Err(e) => self.notice = Some(Notice::error(e)),
        }
    }
}

/// Reads each made cell's picture from the library, draws the sheet and writes it.
fn write_sheet(
    plan: &Plan,
    sources: Vec<Result<(PathBuf, crate::library::ImageMeta), CellState>>,
    target: &Path,
) -> Result<sheet::SheetLayout, String> {
    let cells = plan
        .cells
        .iter()
        .enumerate()
        .zip(sources)
        .map(|((i, _), source)| {
            let label = plan.display_label(i);
            match source {
                Ok((path, meta)) => match decode_rgba(&path) {
                    Ok(picture) => sheet::SheetCell { picture: Some(picture), lines: sheet::cell_lines(&label, &meta) },
                    Err(e) => sheet::SheetCell { picture: None, lines: vec![label, e] },
                },
                Err(CellState::Failed { message }) => {
                    sheet::SheetCell { picture: None, lines: vec![label, text::failed(&message)] }
                }
                Err(other) => sheet::SheetCell { picture: None, lines: vec![label, other.words()] },
            }
        })
        .collect();
    let spec = sheet::SheetSpec::comparison(plan, cells);
    let (layout, image) = sheet::render(&spec, SHEET_CELL).map_err(|e| e.to_string())?;
    let png = sheet::to_png(&image).map_err(|e| e.to_string())?;
    crate::library::write_atomic(target, &png).map_err(|e| e.to_string())?;
    Ok(layout)
}
