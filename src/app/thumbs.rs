//! Thumbnail textures for the gallery. They are loaded from the library's
//! disk cache on two background threads, only for thumbnails drawn this frame, top of the
//! screen first; requests scrolled out of view are dropped; at most `cap` textures are kept,
//! the ones seen least recently going first.

use super::Problem;
use crate::library::{Library, PictureError, Thumbnail};
use eframe::egui;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Condvar, Mutex};

/// Thumbnails are made at this many pixels on their longer side: sharp on 2x screens at the
/// gallery's first row height (`app::THUMB_HEIGHT`, 150 points) for square pictures, and on 1x
/// screens up to its largest; bigger tiles are drawn from them a little soft.
pub const THUMB_PIXELS: u32 = 296;

/// What the gallery can draw for a picture this frame.
pub enum Thumb<'a> {
    Ready(&'a egui::TextureHandle),
    Loading,
    Failed(&'a Problem),
}

struct Slot {
    texture: egui::TextureHandle,
    /// The frame it was last drawn in.
    used: u64,
}

#[derive(Default)]
struct Queue {
    /// Wanted this frame and not yet being loaded, in drawing order.
    todo: Vec<PathBuf>,
    /// Being loaded, or loaded and not yet taken in by [`ThumbCache::insert`].
    in_flight: HashSet<PathBuf>,
    stop: bool,
}

type Shared = Arc<(Mutex<Queue>, Condvar)>;

/// The textures and the loaders.
pub struct ThumbCache {
    textures: HashMap<PathBuf, Slot>,
    failed: HashMap<PathBuf, Problem>,
    wanted: Vec<PathBuf>,
    frame: u64,
    cap: usize,
    shared: Shared,
}

impl ThumbCache {
    /// A cache keeping at most `cap` textures (each at most `THUMB_PIXELS` squared, 350 kB).
    pub fn new(cap: usize) -> ThumbCache {
        ThumbCache {
            textures: HashMap::new(),
            failed: HashMap::new(),
            wanted: Vec::new(),
            frame: 0,
            cap,
            shared: Shared::default(),
        }
    }

    /// Starts the loader threads: each reads a thumbnail through `library` (from the disk
    /// cache, or made from the picture) and hands it to `deliver`.
    pub fn start(
        &self,
        library: Arc<Library>,
        side: u32,
        deliver: impl Fn(PathBuf, Result<egui::ColorImage, Problem>) + Send + Sync + 'static,
    ) {
        let deliver = Arc::new(deliver);
        for n in 0..2 {
            let (shared, library, deliver) = (self.shared.clone(), library.clone(), deliver.clone());
            let spawned = std::thread::Builder::new().name(format!("easel-thumbs-{n}")).spawn(move || {
                while let Some(path) = next_job(&shared) {
                    let result = library.thumbnail(&path, side).map(|t| color_image(&t)).map_err(Problem::from);
                    deliver(path, result);
                }
            });
            // Without loaders the gallery shows "Loading" tiles; everything else still works.
            if let Err(e) = spawned {
                log::error!("no thumbnail loader could start: {e}");
            }
        }
    }

    /// What to draw for `path`; asks for it to be loaded when it is not.
    pub fn get(&mut self, path: &Path) -> Thumb<'_> {
        if let Some(e) = self.failed.get(path) {
            return Thumb::Failed(e);
        }
        match self.textures.get_mut(path) {
            Some(slot) => {
                slot.used = self.frame;
                Thumb::Ready(&slot.texture)
            }
            None => {
                self.wanted.push(path.to_path_buf());
                Thumb::Loading
            }
        }
    }

    /// Takes in a thumbnail made by the worker or a loader.
    pub fn insert(&mut self, ctx: &egui::Context, path: PathBuf, result: Result<egui::ColorImage, Problem>) {
        lock(&self.shared).in_flight.remove(&path);
        match result {
            Ok(image) => {
                let texture =
                    ctx.load_texture(format!("thumb-{}", path.display()), image, egui::TextureOptions::LINEAR);
                self.failed.remove(&path);
                self.textures.insert(path, Slot { texture, used: self.frame });
            }
            Err(e) => {
                self.failed.insert(path, e);
            }
        }
    }

    /// Forgets every texture (the pictures moved).
    pub fn clear(&mut self) {
        self.textures.clear();
        self.failed.clear();
    }

    /// Forgets a picture's texture (it was deleted, or is to be made again).
    pub fn forget(&mut self, path: &Path) {
        self.textures.remove(path);
        self.failed.remove(path);
    }

    /// Ends a frame: this frame's wishes go to the loaders (replacing last frame's), and the
    /// textures seen least recently beyond `cap` are dropped.
    pub fn end_frame(&mut self) {
        let wanted = std::mem::take(&mut self.wanted);
        {
            let mut q = lock(&self.shared);
            let mut seen = HashSet::new();
            q.todo = wanted.into_iter().filter(|p| !q.in_flight.contains(p) && seen.insert(p.clone())).collect();
        }
        self.shared.1.notify_all();
        if self.textures.len() > self.cap {
            let mut old: Vec<(u64, PathBuf)> =
                self.textures.iter().filter(|(_, s)| s.used < self.frame).map(|(p, s)| (s.used, p.clone())).collect();
            old.sort();
            for (_, p) in old.into_iter().take(self.textures.len() - self.cap) {
                self.textures.remove(&p);
            }
        }
        self.frame += 1;
    }

    /// Whether a thumbnail drawn this frame is still loading: the gallery asks only for the
    /// rows on screen, so a "Loading" tile is in sight. Call before [`ThumbCache::end_frame`].
    pub fn loading_now(&self) -> bool {
        !self.wanted.is_empty()
    }

    /// Whether a texture for `path` is held.
    pub fn has(&self, path: &Path) -> bool {
        self.textures.contains_key(path)
    }

    /// Textures held now.
    pub fn len(&self) -> usize {
        self.textures.len()
    }

    /// Whether no texture is held.
    pub fn is_empty(&self) -> bool {
        self.textures.is_empty()
    }
}

impl Drop for ThumbCache {
    fn drop(&mut self) {
        lock(&self.shared).stop = true;
        self.shared.1.notify_all();
    }
}

fn lock(shared: &Shared) -> std::sync::MutexGuard<'_, Queue> {
    shared.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Waits for the next thumbnail to load; `None` when the cache is gone.
fn next_job(shared: &Shared) -> Option<PathBuf> {
    let mut q = lock(shared);
    loop {
        if q.stop {
            return None;
        }
        if !q.todo.is_empty() {
            let path = q.todo.remove(0);
            q.in_flight.insert(path.clone());
            return Some(path);
        }
        q = shared.1.wait(q).unwrap_or_else(std::sync::PoisonError::into_inner);
    }
}

/// A thumbnail as egui takes it.
pub fn color_image(t: &Thumbnail) -> egui::ColorImage {
    egui::ColorImage::from_rgba_unmultiplied([t.width as usize, t.height as usize], &t.rgba)
}

/// Reads and decodes a library picture, ready to become a texture or go to the clipboard
/// (on a worker thread).
pub(super) fn decode_file(path: &Path) -> Result<egui::ColorImage, PictureError> {
    let rgba = crate::library::read_picture(path)?;
    Ok(egui::ColorImage::from_rgba_unmultiplied([rgba.width() as usize, rgba.height() as usize], rgba.as_raw()))
}
