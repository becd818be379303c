//! The history: every picture in the library, newest first, grouped by request.
//!
//! The per-picture metadata files are the truth. `cache/index.json` only saves reading them all
//! at start-up: an entry is reused while its metadata file keeps the same length and time, and
//! a missing or damaged index is rebuilt from the metadata files. A damaged metadata file costs
//! that picture's details, never the picture and never the start-up.

use super::{Action, ImageMeta, Library, LibraryError, META_VERSION, SavedImage, fsutil::write_atomic};
use crate::api::{ImageRequest, OutputFormat};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::time::SystemTime;

/// The index's own version; another value means "rebuild".
const INDEX_VERSION: u32 = 1;
/// The most the history index is read of: a library of 100,000 pictures' details fits well
/// within it; anything larger (or not a file) is rebuilt from the details files.
const INDEX_FILE: u64 = 1 << 30;

/// A picture of the history.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub saved: SavedImage,
    /// Why the picture's details are missing, if they are (its metadata is damaged or gone).
    pub damaged: Option<super::Reason>,
}

#[derive(Serialize, Deserialize)]
struct Index {
    version: u32,
    entries: Vec<IndexEntry>,
}

#[derive(Serialize, Deserialize, Clone)]
struct IndexEntry {
    /// The picture's file name.
    file: String,
    /// The metadata file's length and modification time (ns since 1970) when it was read.
    meta_len: u64,
    meta_mtime: u128,
    meta: ImageMeta,
}

/// What a listing of the folder found for one picture.
struct Found {
    file: String,
    path: PathBuf,
    meta_path: PathBuf,
    /// Length and time of the metadata file, if there is one.
    meta_stamp: Option<(u64, u128)>,
    picture_mtime: SystemTime,
}

impl Library {
    /// Every picture in the library, newest request first, a request's pictures in order.
    /// Reads only the metadata files the index does not already know; never decodes a picture.
    pub fn history(&self) -> Result<Vec<Entry>, LibraryError> {
        self.finish_interrupted_move()?;
        let found = self.list_pictures()?;
        let index = self.read_index();
        // Stamps from the listing, taken before any read: a file changed after it is read again next time.
        let stamps: HashMap<String, (u64, u128)> =
            found.iter().filter_map(|f| Some((f.file.clone(), f.meta_stamp?))).collect();
        let (mut known, mut unread) = (Vec::new(), Vec::new());
        for f in found {
            match (&f.meta_stamp, index.get(&f.file)) {
                (Some((len, mtime)), Some(e)) if e.meta_len == *len && e.meta_mtime == *mtime => {
                    known.push(Entry {
                        saved: SavedImage { path: f.path, meta_path: f.meta_path, meta: e.meta.clone() },
                        damaged: None,
                    });
                }
                _ => unread.push(f),
            }
        }
        let fresh = unread.is_empty();
        let read = crate::api::response::parallel_map(unread, read_entry);
        let changed = !fresh || known.len() != index.len();
        known.extend(read);
        sort_newest_first(&mut known);
        if changed {
            // A failed index write only costs speed at the next start.
            if let Err(e) = self.write_index(&known, &stamps) {
                log::warn!("the history index could not be written (it is rebuilt next time): {e}");
            }
        }
        Ok(known)
    }

    fn list_pictures(&self) -> Result<Vec<Found>, LibraryError> {
        let dir = self.images_dir();
        let entries = std::fs::read_dir(&dir).map_err(|e| LibraryError::io(Action::ReadFolder, &dir, &e))?;
        let mut metas: HashMap<String, (u64, u128)> = HashMap::new();
        let mut pictures = Vec::new();
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            // Hidden names are temporary files still being written (or a crash's leftovers).
            if name.starts_with('.') {
                continue;
            }
            let Ok(md) = entry.metadata() else { continue };
            if !md.is_file() {
                continue;
            }
            let lower = name.to_ascii_lowercase();
            if let Some(stem) = lower.strip_suffix(".json") {
                metas.insert(stem.to_string(), (md.len(), mtime_ns(md.modified().ok())));
            } else if extension_format(&lower).is_some() {
                pictures.push((name, md.modified().unwrap_or(SystemTime::UNIX_EPOCH)));
            }
        }
        Ok(pictures
            .into_iter()
            .map(|(file, picture_mtime)| {
                let stem = Path::new(&file).file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
                let meta_path = dir.join(format!("{stem}.json"));
                Found {
                    meta_stamp: metas.get(&stem.to_ascii_lowercase()).copied(),
                    path: dir.join(&file),
                    meta_path,
                    file,
                    picture_mtime,
                }
            })
            .collect())
    }

    fn index_path(&self) -> PathBuf {
        self.cache_dir().join("index.json")
    }

    fn read_index(&self) -> HashMap<String, IndexEntry> {
        let Ok(bytes) = super::read_bounded(&self.index_path(), INDEX_FILE) else { return HashMap::new() };
        match serde_json::from_slice::<Index>(&bytes) {
            Ok(i) if i.version == INDEX_VERSION => i
                .entries
                .into_iter()
                .map(|mut e| {
                    e.meta.bound_texts();
                    (e.file.clone(), e)
                })
                .collect(),
            // Damaged or from another version: rebuilt from the metadata files.
            _ => HashMap::new(),
        }
    }

    fn write_index(&self, entries: &[Entry], stamps: &HashMap<String, (u64, u128)>) -> Result<(), LibraryError> {
        let entries = entries
            .iter()
            .filter(|e| e.damaged.is_none())
            .filter_map(|e| {
                let (meta_len, meta_mtime) = *stamps.get(&e.saved.meta.file)?;
                Some(IndexEntry { file: e.saved.meta.file.clone(), meta_len, meta_mtime, meta: e.saved.meta.clone() })
            })
            .collect();
        let dir = self.cache_dir();
        std::fs::create_dir_all(&dir).map_err(|e| LibraryError::io(Action::CreateFolder, &dir, &e))?;
        let json = serde_json::to_vec(&Index { version: INDEX_VERSION, entries }).expect("the index always serialises");
        write_atomic(&self.index_path(), &json)
    }

    /// Marks a picture as a favourite, or not, in its metadata file (other fields kept as they are).
    pub fn set_favourite(&self, saved: &SavedImage, favourite: bool) -> Result<ImageMeta, LibraryError> {
        let mut meta = Library::read_meta(&saved.meta_path)?;
        meta.favourite = favourite;
        let json = serde_json::to_vec_pretty(&meta).expect("metadata always serialises");
        write_atomic(&saved.meta_path, &json)?;
        Ok(meta)
    }
}

fn read_entry(f: Found) -> Entry {
    let damaged = match f.meta_stamp {
        None => Some(super::Reason::DetailsMissing),
        Some(_) => match Library::read_meta(&f.meta_path) {
            Ok(mut meta) => {
                // The file on disk is the truth for its own name.
                meta.file = f.file.clone();
                return Entry { saved: SavedImage { path: f.path, meta_path: f.meta_path, meta }, damaged: None };
            }
            Err(LibraryError::Io { reason, .. }) => Some(reason),
            Err(LibraryError::NoDataDir) => Some(super::Reason::NoFolder),
        },
    };
    let meta = stand_in_meta(&f.file, f.picture_mtime);
    Entry { saved: SavedImage { path: f.path, meta_path: f.meta_path, meta }, damaged }
}

/// What is known of a picture without its metadata: its name, kind and time.
fn stand_in_meta(file: &str, mtime: SystemTime) -> ImageMeta {
    let stem = Path::new(file).file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    // Easel's names are `<group>-<n>` (`<group>-<n>-raw` for an edit's raw result); any other
    // file is a group of its own.
    let stem = stem.strip_suffix("-raw").map_or(stem.clone(), str::to_string);
    let (group, index) = match stem.rsplit_once('-') {
        Some((g, n)) if n.parse::<usize>().is_ok_and(|n| n > 0) => (g.to_string(), n.parse::<usize>().unwrap_or(1) - 1),
        _ => (stem.clone(), 0),
    };
    let format = extension_format(&file.to_ascii_lowercase()).unwrap_or(OutputFormat::Png);
    let mut request = ImageRequest::new("");
    request.format = format;
    ImageMeta {
        version: META_VERSION,
        file: file.to_string(),
        group,
        index,
        count: 1,
        request,
        endpoint: String::new(),
        endpoint_name: String::new(),
        created: super::utc_millis(mtime),
        elapsed_secs: 0.0,
        usage: None,
        estimated_cost_usd: None,
        request_cost_usd: None,
        width: 0,
        height: 0,
        format,
        bytes: 0,
        revised_prompt: None,
        request_id: None,
        favourite: false,
        comparison: None,
        edit: None,
        extra: BTreeMap::new(),
    }
}

fn extension_format(lower_name: &str) -> Option<OutputFormat> {
    match lower_name.rsplit_once('.')?.1 {
        "png" => Some(OutputFormat::Png),
        "jpg" | "jpeg" => Some(OutputFormat::Jpeg),
        "webp" => Some(OutputFormat::Webp),
        _ => None,
    }
}

fn mtime_ns(t: Option<SystemTime>) -> u128 {
    t.and_then(|t| t.duration_since(SystemTime::UNIX_EPOCH).ok()).map_or(0, |d| d.as_nanos())
}

/// Newest request first (by its newest picture), a request's pictures in their order.
pub fn sort_newest_first(entries: &mut [Entry]) {
    let mut newest: HashMap<&str, &str> = HashMap::new();
    for e in entries.iter() {
        let slot = newest.entry(e.saved.meta.group.as_str()).or_insert(e.saved.meta.created.as_str());
        if e.saved.meta.created.as_str() > *slot {
            *slot = e.saved.meta.created.as_str();
        }
    }
    let newest: HashMap<String, String> = newest.into_iter().map(|(g, c)| (g.to_string(), c.to_string())).collect();
    entries.sort_by(|a, b| {
        let (ma, mb) = (&a.saved.meta, &b.saved.meta);
        newest[&mb.group]
            .cmp(&newest[&ma.group])
            .then_with(|| mb.group.cmp(&ma.group))
            .then_with(|| ma.index.cmp(&mb.index))
            .then_with(|| ma.file.cmp(&mb.file))
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::ReceivedImage;
    use crate::library::Provenance;

    fn png(shade: u8) -> ReceivedImage {
        let mut bytes = Vec::new();
        image::RgbaImage::from_pixel(4, 3, image::Rgba([shade, 0, 0, 255]))
            .write_to(&mut std::io::Cursor::new(&mut bytes), image::ImageFormat::Png)
            .unwrap();
        ReceivedImage::from_bytes(bytes).unwrap()
    }

    fn request_of(lib: &Library, prompt: &str, n: usize) -> Vec<SavedImage> {
        let prov = Provenance::new(ImageRequest::new(prompt), "http://127.0.0.1/v1", "test", n);
        let saved = (0..n).map(|i| lib.save(&png(i as u8), i, &prov).unwrap()).collect();
        // Group names carry the millisecond: keep requests apart.
        std::thread::sleep(std::time::Duration::from_millis(3));
        saved
    }

    fn prompts(h: &[Entry]) -> Vec<(String, usize)> {
        h.iter().map(|e| (e.saved.meta.request.prompt.clone(), e.saved.meta.index)).collect()
    }

    #[test]
    fn newest_request_first_and_the_index_is_rebuilt_when_damaged() {
        let dir = tempfile::tempdir().unwrap();
        let lib = Library::open(dir.path()).unwrap();
        request_of(&lib, "old", 2);
        request_of(&lib, "new", 3);
        let first = lib.history().unwrap();
        let want =
            vec![("new".to_string(), 0), ("new".into(), 1), ("new".into(), 2), ("old".into(), 0), ("old".into(), 1)];
        assert_eq!(prompts(&first), want);
        assert!(lib.index_path().exists());
        // From the index, the same answer.
        assert_eq!(lib.history().unwrap(), first);
        std::fs::write(lib.index_path(), b"{\"version\": 1, \"entries\": [").unwrap();
        assert_eq!(lib.history().unwrap(), first);
        std::fs::remove_file(lib.index_path()).unwrap();
        assert_eq!(lib.history().unwrap(), first);
    }

    #[test]
    fn a_damaged_or_missing_metadata_file_costs_only_the_details() {
        let dir = tempfile::tempdir().unwrap();
        let lib = Library::open(dir.path()).unwrap();
        let a = request_of(&lib, "kept", 1);
        let b = request_of(&lib, "damaged", 1);
        let c = request_of(&lib, "no details", 1);
        lib.history().unwrap();
        std::fs::write(&b[0].meta_path, b"{\"version\": 1, \"file\": ").unwrap();
        std::fs::remove_file(&c[0].meta_path).unwrap();
        std::fs::write(lib.images_dir().join(".half.png.x1.part"), b"\x89PNG").unwrap();
        let h = lib.history().unwrap();
        assert_eq!(h.len(), 3, "every picture is still there: {h:?}");
        let by_path = |p: &Path| h.iter().find(|e| e.saved.path == p).unwrap();
        assert_eq!(by_path(&a[0].path).damaged, None);
        assert_eq!(by_path(&a[0].path).saved.meta.request.prompt, "kept");
        let broken = by_path(&b[0].path);
        assert!(broken.damaged.as_ref().unwrap().to_string().contains("damaged"), "{:?}", broken.damaged);
        assert_eq!(broken.saved.meta.group, b[0].meta.group, "the group comes from the file name");
        assert!(by_path(&c[0].path).damaged.as_ref().unwrap().to_string().contains("missing"));
    }

    #[test]
    fn pictures_from_elsewhere_and_edits_are_picked_up() {
        let dir = tempfile::tempdir().unwrap();
        let lib = Library::open(dir.path()).unwrap();
        let a = request_of(&lib, "one", 1);
        lib.history().unwrap();
        std::fs::write(lib.images_dir().join("holiday.jpg"), b"not read").unwrap();
        std::fs::write(lib.images_dir().join("notes.txt"), b"ignored").unwrap();
        let meta = lib.set_favourite(&a[0], true).unwrap();
        assert!(meta.favourite);
        let h = lib.history().unwrap();
        assert_eq!(h.len(), 2);
        let fav = h.iter().find(|e| e.saved.path == a[0].path).unwrap();
        assert!(fav.saved.meta.favourite, "the index noticed the changed metadata file");
        let other = h.iter().find(|e| e.saved.meta.file == "holiday.jpg").unwrap();
        assert_eq!(other.saved.meta.format, OutputFormat::Jpeg);
        assert!(other.damaged.is_some());
    }
}
