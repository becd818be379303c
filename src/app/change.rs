//! A change of pictures in the making (`POST /images/edits`): the pictures of the change (the
//! first is the one changed and the painted area applies to it; the others are references), its
//! options, and the sending. Pictures join from the gallery, a file dialog, a drop or the
//! clipboard; each is checked (by its bytes) and given a small texture on a background thread,
//! and the files are read, checked and readied again when the change is sent, so nothing the
//! endpoint would refuse is sent.

use super::background::{nothing_to_end, reply};
use super::mask::MaskSnapshot;
use super::{App, Command, Message, PickedFiles, PictureId, Problem};
use crate::api::edit::MAX_PICTURES;
use crate::api::{EditError, EditFile, ImageRequest, InputFidelity};
use crate::worker::EditJob;
use eframe::egui;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The pictures' small textures: at most this many pixels a side (64 points on a 2x screen).
const TRAY_PIXELS: u32 = 128;

/// A picture of the change.
pub struct TrayPicture {
    pub path: PathBuf,
    /// Its file name, as the user knows it (cleaned: it comes from outside).
    pub name: String,
    /// Its size in pixels, for the cost of reading it.
    pub size: (u32, u32),
    pub texture: egui::TextureHandle,
}

/// The change being put together; empty when the form makes new pictures.
pub struct ChangeDraft {
    /// The first is changed (the painted area applies to it); the others are references.
    pub tray: Vec<TrayPicture>,
    /// With a painted area: keep everything outside it exactly as it was (the default), or keep
    /// the model's whole picture.
    pub keep_outside: bool,
    /// Ask models that take it to read the pictures closely (costs more).
    pub high_fidelity: bool,
    /// Additions being checked, in the order they were asked for: (ticket, pictures).
    waiting: std::collections::VecDeque<(u64, usize)>,
    /// Additions checked before one asked for earlier: they join after it, in order.
    arrived: std::collections::HashMap<u64, Vec<Result<Checked, EditError>>>,
    next_ticket: u64,
    /// The files are being read and checked before sending.
    pub preparing: bool,
    /// The comparison to send once they are.
    pub(super) comparison: Option<PendingComparison>,
    /// The form as it was before the change began: given back when the change ends, so the
    /// words and settings of a change never leak into the next new picture.
    pub(super) form_before: Option<super::FormState>,
}

/// A comparison of changes waiting for its pictures to be read and checked.
pub(super) struct PendingComparison {
    pub(super) id: String,
    pub(super) plan: crate::compare::Plan,
    pub(super) endpoint: crate::endpoint::Endpoint,
}

impl Default for ChangeDraft {
    fn default() -> Self {
        ChangeDraft {
            tray: Vec::new(),
            keep_outside: true,
            high_fidelity: false,
            waiting: std::collections::VecDeque::new(),
            arrived: std::collections::HashMap::new(),
            next_ticket: 0,
            preparing: false,
            comparison: None,
            form_before: None,
        }
    }
}

impl ChangeDraft {
    /// Whether the form changes pictures rather than making new ones.
    pub fn active(&self) -> bool {
        !self.tray.is_empty() || self.adding() > 0
    }

    /// Pictures being checked before they join.
    pub fn adding(&self) -> usize {
        self.waiting.iter().map(|w| w.1).sum()
    }

    /// Empties the change; additions still being checked will not join it.
    fn clear(&mut self) {
        self.tray.clear();
        self.waiting.clear();
        self.arrived.clear();
    }

    /// The fidelity asked for, as the request sends it.
    pub fn input_fidelity(&self) -> Option<InputFidelity> {
        self.high_fidelity.then_some(InputFidelity::High)
    }

    /// The image input tokens the pictures will cost with `model`, estimated.
    pub fn input_tokens(&self, model: &str) -> u64 {
        let high = crate::api::edit::reads_at_high_fidelity(model, self.input_fidelity());
        self.tray.iter().map(|p| crate::api::edit::input_tokens(p.size.0, p.size.1, high)).sum()
    }

    /// The first picture, the one the painted area applies to.
    pub fn first(&self) -> Option<&Path> {
        self.tray.first().map(|p| p.path.as_path())
    }
}

/// A picture checked and read small, ready to join the change.
pub(super) struct Checked {
    path: PathBuf,
    name: String,
    size: (u32, u32),
    small: egui::ColorImage,
}

/// Checks a file as the endpoint will (a picture by its bytes, under 50 MB) and reads it small,
/// from one reading of the file. Blocking.
fn check(path: &Path) -> Result<Checked, EditError> {
    let EditFile { name, bytes } = crate::library::edit::read_edit_file(path, false)?;
    if crate::api::response::sniff_format(&bytes).is_none() {
        return Err(EditError::NotAPicture { name });
    }
    let unreadable = || EditError::Unreadable { name: name.clone() };
    // Its size from the header, and a small copy decoded within the decoder's limits; not the
    // library's thumbnail cache, whose entries are named by file name alone and would mix up
    // two files called the same from different folders.
    let picture = crate::api::ReceivedImage::from_bytes(bytes).map_err(|_| unreadable())?;
    let thumb = crate::library::thumbnail(&picture, TRAY_PIXELS).map_err(|_| unreadable())?;
    let size = (picture.width, picture.height);
    Ok(Checked { path: path.to_path_buf(), name, size, small: super::thumbs::color_image(&thumb) })
}

impl App {
    /// Runs a command of the change.
    pub(super) fn run_change(&mut self, command: Command) {
        match command {
            Command::SendChange => self.send_change(),
            Command::ChangePicture(id) => {
                let path = self.picture(id).map(|p| p.saved.path.clone());
                self.start_change(path);
            }
            Command::ChangeDropped => {
                let path = self.take_dropped().map(|d| d.path);
                self.start_change(path);
            }
            Command::UseAsReference(id) => self.use_as_reference(id),
            Command::AddToChange(paths) => self.add_to_change(paths),
            Command::AskPicturesForChange => self.ask_pictures_for_change(),
            Command::PasteIntoChange(image) => self.paste_into_change(image),
            Command::RemoveFromChange(index) => self.remove_from_change(index),
            Command::MoveInChange { from, to } => self.move_in_change(from, to),
            Command::StopChanging => self.end_change(),
            _ => {}
        }
        self.forget_mask_of_another();
    }

    /// Adds picture files to the change, after checking them on a background thread.
    pub(super) fn add_to_change(&mut self, paths: Vec<PathBuf>) {
        let room = MAX_PICTURES.saturating_sub(self.change.tray.len() + self.change.adding());
        if paths.len() > room {
            let count = self.change.tray.len() + self.change.adding() + paths.len();
            self.say(Message::Failed(Problem::Edit(EditError::TooMany { count })));
        }
        let paths: Vec<PathBuf> = paths.into_iter().take(room).collect();
        if paths.is_empty() {
            return;
        }
        self.check_for_change(paths.len(), move || paths.iter().map(|p| check(p)).collect());
    }

    /// Checks `count` pictures with `work` on a background thread; they join in the order asked
    /// for, whichever check ends first.
    fn check_for_change(
        &mut self,
        count: usize,
        work: impl FnOnce() -> Vec<Result<Checked, EditError>> + Send + 'static,
    ) {
        self.begin_change();
        let ticket = self.change.next_ticket;
        self.change.next_ticket += 1;
        let crashed = move |app: &mut App| {
            let ctx = app.ctx.clone();
            app.on_added(&ctx, ticket, None);
        };
        let check = move || {
            let checked = work();
            reply(move |app, ctx| app.on_added(ctx, ticket, Some(checked)))
        };
        if self.background(crashed, check) {
            self.change.waiting.push_back((ticket, count));
        }
    }

    /// An addition's check ended (`None`: it broke off): what is next in order joins.
    pub(super) fn on_added(
        &mut self,
        ctx: &egui::Context,
        ticket: u64,
        checked: Option<Vec<Result<Checked, EditError>>>,
    ) {
        // Not waited for: the change was emptied or started anew meanwhile.
        if !self.change.waiting.iter().any(|w| w.0 == ticket) {
            return;
        }
        match checked {
            Some(c) => {
                self.change.arrived.insert(ticket, c);
            }
            None => self.change.waiting.retain(|w| w.0 != ticket),
        }
        while let Some(&(next, _)) = self.change.waiting.front() {
            let Some(checked) = self.change.arrived.remove(&next) else { break };
            self.change.waiting.pop_front();
            self.join_change(ctx, checked);
        }
        self.forget_mask_of_another();
    }

    /// Pictures checked for the change join it, in the order they were given.
    fn join_change(&mut self, ctx: &egui::Context, checked: Vec<Result<Checked, EditError>>) {
        let mut refused = None;
        for c in checked {
            match c {
                Ok(c) if self.change.tray.iter().any(|p| p.path == c.path) => {}
                Ok(c) if self.change.tray.len() < MAX_PICTURES => {
                    if self.change.tray.is_empty() {
                        self.shape_like(c.size);
                    }
                    let texture =
                        ctx.load_texture(format!("change:{}", c.path.display()), c.small, egui::TextureOptions::LINEAR);
                    self.change.tray.push(TrayPicture { path: c.path, name: c.name, size: c.size, texture });
                }
                Ok(_) => refused = Some(EditError::TooMany { count: MAX_PICTURES + 1 }),
                Err(e) => refused = Some(e),
            }
        }
        if let Some(e) = refused {
            self.say(Message::Failed(Problem::Edit(e)));
        }
    }

    /// The picture changed comes back in its own shape: the form's size follows the first
    /// picture's (square, landscape or portrait), unless the user set a size of their own.
    fn shape_like(&mut self, (w, h): (u32, u32)) {
        use super::form::SizeChoice;
        let form = &mut self.state.form;
        if form.size == SizeChoice::Custom {
            return;
        }
        let ratio = w as f32 / h.max(1) as f32;
        form.size = if ratio > 1.2 {
            SizeChoice::Landscape
        } else if ratio < 1.0 / 1.2 {
            SizeChoice::Portrait
        } else {
            SizeChoice::Square
        };
    }

    /// "Change this picture…": a new change of this picture alone, the prompt ready for words.
    fn start_change(&mut self, path: Option<PathBuf>) {
        let Some(path) = path else { return };
        self.end_change();
        // The form, where the change is described, is beside the gallery, not the viewer.
        self.viewer = None;
        self.add_to_change(vec![path.clone()]);
        self.state.form.focus_prompt = true;
        // The painter shows the picture large at once: paint where to change, or not at all.
        let ctx = self.ctx.clone();
        self.open_painter(&ctx, path);
    }

    /// "Use as reference": the picture joins the change (as its first if it is empty).
    fn use_as_reference(&mut self, id: PictureId) {
        let Some(path) = self.picture(id).map(|p| p.saved.path.clone()) else { return };
        if self.change.tray.iter().any(|p| p.path == path) {
            return;
        }
        self.add_to_change(vec![path]);
    }

    /// A picture pasted from the clipboard: written as a PNG into the library's folder for
    /// pasted pictures (the edit records files, and the paste-back reads the first again),
    /// then added like a file.
    fn paste_into_change(&mut self, image: Arc<egui::ColorImage>) {
        let Some(library) = self.worker.as_ref().map(|w| w.library().clone()) else { return };
        self.check_for_change(1, move || vec![write_pasted(&library, &image).and_then(|path| check(&path))]);
    }

    /// Sends the change the form describes: the files are read and checked on a background
    /// thread first; the request goes to the worker once they pass.
    fn send_change(&mut self) {
        self.prepare_change(None);
    }

    /// Reads and checks the change's files on a background thread; then the change, or every
    /// cell of `comparison`, goes to the worker.
    pub(super) fn prepare_change(&mut self, comparison: Option<PendingComparison>) {
        let Ok(settings) = self.validated_request() else { return };
        if self.change.tray.is_empty() || self.change.preparing {
            return;
        }
        let pictures: Vec<(PathBuf, String)> =
            self.change.tray.iter().map(|p| (p.path.clone(), p.name.clone())).collect();
        let mask = self.mask_for_change();
        let (fidelity, whole_result) = (self.change.input_fidelity(), !self.change.keep_outside);
        self.change.preparing = true;
        let crashed = |app: &mut App| {
            app.change.preparing = false;
            app.change.comparison = None;
        };
        let started = self.background(crashed, move || {
            let ready = prepare(settings, fidelity, pictures, mask, whole_result).map(Arc::new);
            reply(move |app, _| app.on_change_ready(ready))
        });
        if started {
            self.change.comparison = comparison;
        } else {
            self.change.preparing = false;
        }
    }

    /// The painted area of the first picture, made into a PNG on the background thread.
    fn mask_for_change(&self) -> Option<MaskSnapshot> {
        let painter = self.painter.as_ref()?;
        (Some(painter.picture()) == self.change.first() && !painter.is_empty()).then(|| painter.snapshot())
    }

    /// A painted area belongs to the first picture: once another is first, or none is, it goes.
    /// Not while pictures are being checked: the first may be among them.
    fn forget_mask_of_another(&mut self) {
        if self.change.adding() > 0 {
            return;
        }
        if self.painter.as_ref().is_some_and(|p| Some(p.picture()) != self.change.first()) {
            self.painter = None;
            self.painting = false;
        }
    }

    /// Takes in a change whose files were read and checked: it goes to the worker, or the
    /// user hears what is wrong with which file.
    pub(super) fn on_change_ready(&mut self, ready: Result<Arc<EditJob>, EditError>) {
        self.change.preparing = false;
        match (ready, self.change.comparison.take()) {
            (Ok(edit), Some(c)) => {
                self.painting = false;
                self.send_comparison(c.id, c.plan, c.endpoint, Some(&edit));
            }
            (Ok(edit), None) => {
                let request = edit.request.settings.clone();
                // The painter steps aside (its area kept) for the gallery, where the request's
                // tiles show it coming.
                self.painting = false;
                if self.submit(request, None, None, Some(edit)) {
                    // Sent: the next change of the same pictures can be typed at once.
                    self.state.form.focus_prompt = true;
                }
            }
            (Err(e), _) => self.say(Message::Failed(Problem::Edit(e))),
        }
    }

    /// Asks for picture files in a dialog, then adds them.
    fn ask_pictures_for_change(&mut self) {
        let (dialogs, folder) = (self.dialogs.clone(), self.state.settings.last_save_dir.clone());
        self.background_maybe(nothing_to_end, move || match dialogs.pick_pictures(folder.as_deref()) {
            PickedFiles::Chosen(files) => Some(reply(move |app, _| app.add_to_change(files))),
            PickedFiles::Cancelled => None,
            PickedFiles::Unavailable => Some(reply(|app, _| app.say(Message::NoPictureDialog))),
        });
    }

    /// Removes the picture at `index` from the change.
    fn remove_from_change(&mut self, index: usize) {
        if index < self.change.tray.len() {
            self.change.tray.remove(index);
        }
        if !self.change.active() {
            self.end_change();
        }
    }

    /// A change begins (its first picture is on its way): the form is kept as it was, and the
    /// change starts with no words and one picture, whatever the last request asked for. A form
    /// already kept (a refused change sent back to be changed) stays the one given back.
    fn begin_change(&mut self) {
        if self.change.active() || self.change.form_before.is_some() {
            return;
        }
        self.change.form_before = Some(self.state.form.clone());
        self.state.form.prompt.clear();
        self.state.form.n = 1;
    }

    /// The change ends (closed, or its last picture taken out): the form is given back as it
    /// was before it began.
    pub(super) fn end_change(&mut self) {
        self.change.clear();
        if let Some(before) = self.change.form_before.take() {
            self.state.form = before;
        }
    }

    /// Moves the picture at `from` to `to` (the first is the one changed).
    fn move_in_change(&mut self, from: usize, to: usize) {
        let len = self.change.tray.len();
        if from < len && to < len && from != to {
            let picture = self.change.tray.remove(from);
            self.change.tray.insert(to, picture);
        }
    }
}

/// Reads the change's files, checks and readies them (blocking): what the worker sends.
fn prepare(
    settings: ImageRequest,
    fidelity: Option<InputFidelity>,
    pictures: Vec<(PathBuf, String)>,
    mask: Option<MaskSnapshot>,
    whole_result: bool,
) -> Result<EditJob, EditError> {
    let mut files = Vec::with_capacity(pictures.len());
    for (path, name) in pictures {
        // Read once, here: what is sent is what is hashed and kept outside the mask.
        let file = crate::library::edit::read_edit_file(&path, false)?;
        files.push((path, EditFile::new(name, file.bytes)));
    }
    let mask = mask.map(|m| EditFile::new("mask.png", m.to_png()));
    EditJob::prepare(settings, fidelity, files, mask, whole_result)
}

/// Writes a pasted picture as a PNG into the library's folder of pasted pictures.
fn write_pasted(library: &crate::library::Library, image: &egui::ColorImage) -> Result<PathBuf, EditError> {
    let name = format!("pasted-{}.png", chrono::Local::now().format("%Y%m%d-%H%M%S-%3f"));
    let unreadable = || EditError::Unreadable { name: name.clone() };
    let [w, h] = image.size;
    // egui keeps colours premultiplied; a PNG holds them straight.
    let bytes = image.pixels.iter().flat_map(egui::Color32::to_srgba_unmultiplied).collect();
    let rgba = image::RgbaImage::from_raw(w as u32, h as u32, bytes).ok_or_else(unreadable)?;
    let mut png = Vec::new();
    rgba.write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png).map_err(|_| unreadable())?;
    let folder = library.root().join("pasted");
    std::fs::create_dir_all(&folder).map_err(|_| unreadable())?;
    // Atomically, as every file of the library: a crash never leaves half a picture to send.
    let path = folder.join(&name);
    crate::library::write_atomic(&path, &png).map_err(|_| unreadable())?;
    Ok(path)
}
