//! The user's pictures on disk. Every picture received is written here, atomically, before
//! anything else is done with it, with its metadata beside it.
//!
//! Layout of the data folder:
//! ```text
//! images/<group>-<n>.<ext>    the picture as received, plus its settings in a text chunk (embed.rs)
//! images/<group>-<n>.json     how it was made (ImageMeta)
//! images/<group>-<n>-raw.<ext> an edit's picture as the model returned it, when the picture
//!                             beside it keeps the original outside the mask (edit.rs), and its .json
//! library.json                where the pictures folder is, once the user moved it (a relative
//!                             name is inside the data folder)
//! cache/index.json            the history, to start quickly (rebuilt from the .json files)
//! cache/thumbs/<file>.png     thumbnails (made again from the picture when missing)
//! endpoints.json              per-endpoint choices learnt at run time (format field name)
//! ```

pub mod decode;
pub mod edit;
pub mod embed;
mod error;
pub mod export;
mod fsutil;
pub mod history;
mod location;
pub mod picture;
pub mod sheet;
mod thumbs;

pub use decode::{DecodeError, Thumbnail, thumbnail};
pub use edit::{EditOutcome, EditRecord, EditSaveError, EditSource, OutsideNote, SavedEdit};
pub use error::{Action, Damage, LibraryError, Reason};
pub use export::{copy_named, file_stem_from_prompt};
pub use fsutil::{PICTURE_FILE, SMALL_FILE, read_bounded, write_atomic};
pub use history::Entry;
pub use location::{LocationProblem, Moved};
pub use picture::{PictureError, read_picture, read_picture_fitting};

use crate::api::{FormatField, ImageField, ImageRequest, OutputFormat, ReceivedImage, Usage};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, RwLock};
use std::time::SystemTime;

/// What each endpoint's format field is called, learnt per base URL.
const FORMAT_FIELDS: &str = "endpoints.json";
/// What each endpoint calls an edit's picture parts, learnt per base URL. A file of its own, so
/// an older Easel still reads `endpoints.json` as it wrote it.
const IMAGE_FIELDS: &str = "image-fields.json";
/// Per endpoint, when it last refused streamed previews (or failed when asked for them).
const PREVIEWS: &str = "previews.json";

/// The environment variable that moves the data folder.
pub const ENV_DATA_DIR: &str = "EASEL_DATA_DIR";
/// Version of the metadata written beside each picture.
pub const META_VERSION: u32 = 1;
/// The most characters of a prompt read from a file: no model takes more.
pub const MAX_PROMPT_CHARS: usize = 32_000;
/// The most characters of a name read from a file (a model, an endpoint, a file, an id).
const MAX_NAME_CHARS: usize = 1_000;

/// How a picture was made: everything needed to find it, reuse its settings and account for it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ImageMeta {
    pub version: u32,
    /// The picture's file name, beside this metadata.
    pub file: String,
    /// Shared by the pictures of one request: `<time stamp>-<four letters>`.
    pub group: String,
    /// Which of the request's pictures this is (0-based).
    pub index: usize,
    /// How many pictures the request returned.
    pub count: usize,
    /// All settings sent, prompt included.
    pub request: ImageRequest,
    /// The endpoint's base URL and name.
    pub endpoint: String,
    pub endpoint_name: String,
    /// When it arrived, RFC 3339 in UTC.
    pub created: String,
    /// Seconds from sending the request to the answer being in.
    pub elapsed_secs: f64,
    /// Tokens for the whole request, as the endpoint reported them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub usage: Option<Usage>,
    /// List-price estimate for this one picture, from the price table.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub estimated_cost_usd: Option<f64>,
    /// List-price cost of the whole request from its tokens.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_cost_usd: Option<f64>,
    /// What actually came back.
    pub width: u32,
    pub height: u32,
    pub format: OutputFormat,
    pub bytes: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revised_prompt: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
    /// Marked as a favourite by the user.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub favourite: bool,
    /// The comparison this picture is a cell of, if it is one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comparison: Option<crate::compare::Tag>,
    /// How the picture was made by changing others, if it was (absent in older files).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub edit: Option<EditRecord>,
    /// Fields written by a newer Easel, kept as they were.
    #[serde(flatten)]
    pub extra: BTreeMap<String, serde_json::Value>,
}

impl ImageMeta {
    /// What this one picture cost at list prices: from the reported tokens when there are
    /// some, else the table's estimate, with `true` for an estimate.
    pub fn cost(&self) -> Option<(f64, bool)> {
        let from_tokens = self.request_cost_usd.map(|c| (c / self.count.max(1) as f64, false));
        from_tokens.or(self.estimated_cost_usd.map(|c| (c, true)))
    }

    /// Cuts every text of these details to what Easel ever writes, as they are read from a
    /// file: a details file is anyone's to write, and a prompt of megabytes would hold the
    /// window while it is laid out.
    fn bound_texts(&mut self) {
        use crate::outside::truncate_chars;
        truncate_chars(&mut self.request.prompt, MAX_PROMPT_CHARS);
        if let Some(r) = &mut self.revised_prompt {
            truncate_chars(r, MAX_PROMPT_CHARS);
        }
        for text in
            [&mut self.request.model, &mut self.endpoint, &mut self.endpoint_name, &mut self.group, &mut self.created]
                .into_iter()
                .chain(self.request_id.as_mut())
                .chain(self.edit.iter_mut().flat_map(|e| e.inputs.iter_mut().map(|i| &mut i.file)))
        {
            truncate_chars(text, MAX_NAME_CHARS);
        }
    }

    /// Whether this is an edit's raw result, kept beside the picture made from it (which the
    /// gallery shows instead).
    pub fn is_raw_result(&self) -> bool {
        self.edit.as_ref().is_some_and(|e| e.outcome == EditOutcome::Raw)
    }
}

/// What the caller knows about a request when its pictures arrive.
#[derive(Debug, Clone)]
pub struct Provenance {
    /// Shared by the pictures of one request; see [`new_group`].
    pub group: String,
    pub request: ImageRequest,
    pub endpoint: String,
    pub endpoint_name: String,
    pub elapsed_secs: f64,
    pub usage: Option<Usage>,
    pub estimated_cost_usd: Option<f64>,
    pub request_cost_usd: Option<f64>,
    pub revised_prompt: Option<String>,
    pub request_id: Option<String>,
    pub count: usize,
    pub comparison: Option<crate::compare::Tag>,
}

impl Provenance {
    /// A new request's provenance, in a new group, with no figures yet (set those after).
    pub fn new(
        request: ImageRequest,
        endpoint: impl Into<String>,
        endpoint_name: impl Into<String>,
        count: usize,
    ) -> Provenance {
        Provenance {
            group: new_group(),
            request,
            endpoint: endpoint.into(),
            endpoint_name: endpoint_name.into(),
            elapsed_secs: 0.0,
            usage: None,
            estimated_cost_usd: None,
            request_cost_usd: None,
            revised_prompt: None,
            request_id: None,
            count,
            comparison: None,
        }
    }
}

/// A picture safely on disk.
#[derive(Debug, Clone, PartialEq)]
pub struct SavedImage {
    pub path: PathBuf,
    pub meta_path: PathBuf,
    pub meta: ImageMeta,
}

/// Where [`Library::trash`] put a picture.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Trashed {
    /// The system's trash (Recycle Bin, Bin), from where the user can restore it.
    System,
    /// A folder, because the system's trash could not take it (the reason is given).
    Folder { folder: PathBuf, reason: Option<Reason> },
}

/// The data folder.
#[derive(Debug)]
pub struct Library {
    root: PathBuf,
    /// Where the pictures are; changed only by [`Library::move_to`].
    images: RwLock<PathBuf>,
    /// Serialises writes of `endpoints.json` between jobs.
    endpoints_lock: Mutex<()>,
    /// Deleted pictures go here instead of the system's trash (tests, and portable set-ups).
    trash_folder: Option<PathBuf>,
    /// What the user must be told about `library.json` at opening: it could not be read (so the
    /// default folder is in use), or the move it records cannot be finished.
    location_problem: Option<LocationProblem>,
    /// What finishing an interrupted move did, until the window takes it to say so.
    finished_move: Mutex<Option<Moved>>,
}

impl Library {
    /// The data folder: `EASEL_DATA_DIR`, else the platform's data folder for Easel.
    pub fn default_dir() -> Result<PathBuf, LibraryError> {
        if let Some(dir) = std::env::var_os(ENV_DATA_DIR).filter(|d| !d.is_empty()) {
            return Ok(PathBuf::from(dir));
        }
        directories::ProjectDirs::from("ai", "Easel", "Easel")
            .map(|d| d.data_dir().to_path_buf())
            .ok_or(LibraryError::NoDataDir)
    }

    /// Opens (creating if needed) the library at `root`, and clears temporary files that a
    /// crash may have left behind.
    pub fn open(root: impl Into<PathBuf>) -> Result<Library, LibraryError> {
        let root = root.into();
        let root = std::path::absolute(&root).unwrap_or(root);
        let (location, location_problem) = match location::Location::read(&root) {
            Ok(l) => {
                // A move that cannot be finished is said now; the history forgets it.
                let refused = match l.pending(&root) {
                    location::Pending::Refused(why) => Some(why),
                    _ => None,
                };
                (l, refused)
            }
            Err(p) => (location::Location::default(), Some(p)),
        };
        let images = location.images(&root);
        std::fs::create_dir_all(&images).map_err(|e| LibraryError::io(Action::CreateFolder, &images, &e))?;
        fsutil::remove_stale_temp_files(&images);
        Ok(Library {
            root,
            images: RwLock::new(images),
            endpoints_lock: Mutex::new(()),
            trash_folder: None,
            location_problem,
            finished_move: Mutex::new(None),
        })
    }

    /// Why the pictures folder is the default one although `library.json` exists, or why the
    /// move it records cannot be finished, if so: the user must be told, or a moved library
    /// looks lost.
    pub fn location_problem(&self) -> Option<&LocationProblem> {
        self.location_problem.as_ref()
    }

    /// The data folder.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The folder the pictures are in.
    pub fn images_dir(&self) -> PathBuf {
        self.images.read().unwrap_or_else(std::sync::PoisonError::into_inner).clone()
    }

    fn set_images_dir(&self, dir: PathBuf) {
        *self.images.write().unwrap_or_else(std::sync::PoisonError::into_inner) = dir;
    }

    /// Things Easel can make again from the pictures: the history index, thumbnails.
    pub fn cache_dir(&self) -> PathBuf {
        self.root.join("cache")
    }

    /// Writes one picture's metadata and then the picture, each atomically. The picture data is exactly
    /// what was received, never re-encoded; only a text chunk with its settings is added.
    pub fn save(&self, image: &ReceivedImage, index: usize, prov: &Provenance) -> Result<SavedImage, LibraryError> {
        self.save_as(image, index, prov, &format!("{}-{}", prov.group, index + 1), None)
    }

    /// [`Library::save`] under the name `stem` (plus the format's extension), with an edit's record.
    fn save_as(
        &self,
        image: &ReceivedImage,
        index: usize,
        prov: &Provenance,
        stem: &str,
        edit: Option<EditRecord>,
    ) -> Result<SavedImage, LibraryError> {
        let created = utc_millis(SystemTime::now());
        let file = format!("{stem}.{}", image.format.extension());
        let images = self.images_dir();
        let path = images.join(&file);
        let mut meta = ImageMeta {
            version: META_VERSION,
            file,
            group: prov.group.clone(),
            index,
            count: prov.count,
            request: prov.request.clone(),
            endpoint: prov.endpoint.clone(),
            endpoint_name: prov.endpoint_name.clone(),
            created,
            elapsed_secs: prov.elapsed_secs,
            usage: prov.usage,
            estimated_cost_usd: prov.estimated_cost_usd,
            request_cost_usd: prov.request_cost_usd,
            width: image.width,
            height: image.height,
            format: image.format,
            bytes: image.bytes.len() as u64,
            revised_prompt: prov.revised_prompt.clone(),
            request_id: prov.request_id.clone(),
            favourite: false,
            comparison: prov.comparison.clone(),
            edit,
            extra: BTreeMap::new(),
        };
        // The settings go inside the file too, without touching the picture data, and nobody
        // else's text stays in it (a relay's, perhaps with the key); where the settings cannot go
        // (a prompt too long for JPEG's XMP), the picture is kept without any text, and where
        // its container cannot be read through, exactly as received (the client masked any key).
        let with_settings = embed::embed(&image.bytes, &embed::parameters_text(&meta))
            .or_else(|_| embed::strip(&image.bytes))
            .inspect_err(|e| log::warn!("{} is kept as received: {e}", meta.file));
        let bytes: &[u8] = with_settings.as_deref().unwrap_or(&image.bytes);
        meta.bytes = bytes.len() as u64;
        // The details first: if Easel is killed between the two writes, the history never
        // shows a picture without its details (a details file alone is not listed).
        let meta_path = images.join(format!("{stem}.json"));
        Library::write_meta(&meta_path, &meta)?;
        write_atomic(&path, bytes)?;
        Ok(SavedImage { path, meta_path, meta })
    }

    /// Writes a picture's metadata, atomically.
    fn write_meta(meta_path: &Path, meta: &ImageMeta) -> Result<(), LibraryError> {
        let json = serde_json::to_vec_pretty(meta).expect("metadata always serialises");
        write_atomic(meta_path, &json)
    }

    /// Sends deleted pictures to `folder` instead of the system's trash.
    pub fn use_trash_folder(&mut self, folder: PathBuf) {
        self.trash_folder = Some(folder);
    }

    /// Moves a picture and its metadata to the system's trash, from where the user can get them
    /// back; where that trash cannot take them, to `deleted/` in the data folder instead.
    pub fn trash(&self, saved: &SavedImage) -> Result<Trashed, LibraryError> {
        let files: Vec<&PathBuf> = [&saved.path, &saved.meta_path].into_iter().filter(|p| p.exists()).collect();
        let reason = match &self.trash_folder {
            Some(_) => None,
            None => match trash::delete_all(&files) {
                Ok(()) => {
                    self.forget_thumbnails(&saved.path);
                    return Ok(Trashed::System);
                }
                Err(e) => Some(error::trash_reason(&e)),
            },
        };
        let folder = self.trash_folder.clone().unwrap_or_else(|| self.root.join("deleted"));
        std::fs::create_dir_all(&folder).map_err(|e| LibraryError::io(Action::CreateFolder, &folder, &e))?;
        for from in files.into_iter().filter(|p| p.exists()) {
            let to = folder.join(from.file_name().unwrap_or_default());
            std::fs::rename(from, &to).map_err(|e| LibraryError::io(Action::Move, from, &e))?;
        }
        self.forget_thumbnails(&saved.path);
        Ok(Trashed::Folder { folder, reason })
    }

    /// Puts a picture and its metadata back where they were before [`Library::trash`] took them
    /// to `from`, if the trash still holds them.
    pub fn put_back(&self, saved: &SavedImage, from: &Trashed) -> Result<(), LibraryError> {
        let refused = |reason| LibraryError::Io { action: Action::PutBack, path: saved.path.clone(), reason };
        if saved.path.exists() {
            return Err(refused(Reason::AlreadyBack));
        }
        match from {
            Trashed::Folder { folder, .. } => {
                let picture = folder.join(saved.path.file_name().unwrap_or_default());
                if !picture.exists() {
                    return Err(refused(Reason::NotInTrash));
                }
                for to in [&saved.path, &saved.meta_path] {
                    let at = folder.join(to.file_name().unwrap_or_default());
                    if at.exists() {
                        std::fs::rename(&at, to).map_err(|e| LibraryError::io(Action::PutBack, to, &e))?;
                    }
                }
                Ok(())
            }
            Trashed::System => put_back_from_system(&[&saved.path, &saved.meta_path]).map_err(refused),
        }
    }

    /// Reads the metadata beside a picture, its texts bounded.
    pub fn read_meta(meta_path: &Path) -> Result<ImageMeta, LibraryError> {
        let text = read_bounded(meta_path, fsutil::SMALL_FILE)?;
        let mut meta: ImageMeta = serde_json::from_slice(&text).map_err(|e| LibraryError::Io {
            action: Action::Read,
            path: meta_path.to_path_buf(),
            reason: Reason::Damaged(Damage::of(&e)),
        })?;
        meta.bound_texts();
        Ok(meta)
    }

    /// The format field name learnt for an endpoint, if any.
    pub fn format_field_for(&self, endpoint: &str) -> Option<FormatField> {
        self.read_memory(FORMAT_FIELDS).get(endpoint).copied()
    }

    /// Remembers which format field name an endpoint accepts.
    pub fn remember_format_field(&self, endpoint: &str, field: FormatField) -> Result<(), LibraryError> {
        self.remember(FORMAT_FIELDS, endpoint, Some(field))
    }

    /// The name learnt for an edit's picture parts (`image[]` or `image`) at an endpoint, if any.
    pub fn image_field_for(&self, endpoint: &str) -> Option<ImageField> {
        self.read_memory(IMAGE_FIELDS).get(endpoint).copied()
    }

    /// Remembers which name an endpoint accepts for an edit's picture parts.
    pub fn remember_image_field(&self, endpoint: &str, field: ImageField) -> Result<(), LibraryError> {
        self.remember(IMAGE_FIELDS, endpoint, Some(field))
    }

    /// When an endpoint last refused streamed previews, or failed when asked for them, if it
    /// did (a refusal of an older Easel, without a time, is forgotten: it is tried again).
    pub fn previews_refused_at(&self, endpoint: &str) -> Option<SystemTime> {
        let all: BTreeMap<String, serde_json::Value> = self.read_memory(PREVIEWS);
        all.get(endpoint)?.as_str().and_then(parse_utc)
    }

    /// Remembers that an endpoint refused streamed previews (or failed when asked for them) now.
    pub fn remember_previews_refused(&self, endpoint: &str) -> Result<(), LibraryError> {
        let now =
            chrono::DateTime::<chrono::Utc>::from(SystemTime::now()).to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
        self.remember(PREVIEWS, endpoint, Some(serde_json::Value::from(now)))
    }

    /// Forgets that an endpoint refused streamed previews: they are asked for again.
    pub fn forget_previews_refusal(&self, endpoint: &str) -> Result<(), LibraryError> {
        self.remember::<serde_json::Value>(PREVIEWS, endpoint, None)
    }

    /// Writes `value` for `endpoint` into the memory file `name` (removes it, for `None`), unless
    /// it is so already.
    fn remember<T>(&self, name: &str, endpoint: &str, value: Option<T>) -> Result<(), LibraryError>
    where
        T: Serialize + serde::de::DeserializeOwned + PartialEq,
    {
        // One lock for every memory file: two jobs ending together must not lose either's choice.
        let _guard = self.endpoints_lock.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let mut all: BTreeMap<String, T> = self.read_memory(name);
        if all.get(endpoint) == value.as_ref() {
            return Ok(());
        }
        match value {
            Some(value) => all.insert(endpoint.to_string(), value),
            None => all.remove(endpoint),
        };
        let json = serde_json::to_vec_pretty(&all).expect("a map of enums always serialises");
        write_atomic(&self.root.join(name), &json)
    }

    fn read_memory<T: serde::de::DeserializeOwned>(&self, name: &str) -> BTreeMap<String, T> {
        // A damaged file only costs the learnt choice, which is learnt again.
        read_bounded(&self.root.join(name), fsutil::SMALL_FILE)
            .ok()
            .and_then(|b| serde_json::from_slice(&b).ok())
            .unwrap_or_default()
    }
}

/// Asks the system's trash for these files (the newest of each name deleted from there) and
/// puts them back; the picture, the first path, must be there.
#[cfg(any(
    target_os = "windows",
    all(unix, not(target_os = "macos"), not(target_os = "ios"), not(target_os = "android"))
))]
fn put_back_from_system(paths: &[&PathBuf]) -> Result<(), Reason> {
    let listed = trash::os_limited::list().map_err(|e| error::trash_reason(&e))?;
    let mut found = Vec::new();
    for path in paths {
        let newest = listed.iter().filter(|i| i.original_path() == **path).max_by_key(|i| i.time_deleted);
        match newest {
            Some(item) => found.push(item.clone()),
            None if found.is_empty() => return Err(Reason::NotInTrash),
            None => {}
        }
    }
    trash::os_limited::restore_all(found).map_err(|e| match e {
        trash::Error::RestoreCollision { .. } => Reason::AlreadyBack,
        other => error::trash_reason(&other),
    })
}

/// macOS's trash lets programs put things in, not take them out.
#[cfg(not(any(
    target_os = "windows",
    all(unix, not(target_os = "macos"), not(target_os = "ios"), not(target_os = "android"))
)))]
fn put_back_from_system(_paths: &[&PathBuf]) -> Result<(), Reason> {
    Err(Reason::TrashKeepsIt)
}

/// `t` as the library writes times: RFC 3339 in UTC to the millisecond
/// (`2026-12-07T22:07:39.123Z`), so they sort as text.
pub fn utc_millis(t: SystemTime) -> String {
    chrono::DateTime::<chrono::Utc>::from(t).to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

/// A time the library wrote (RFC 3339, any precision or offset).
pub fn parse_utc(text: &str) -> Option<SystemTime> {
    chrono::DateTime::parse_from_rfc3339(text.trim()).ok().map(SystemTime::from)
}

/// A new request group name: when it arrived, sortable, plus four letters that keep two
/// requests of the same millisecond apart.
pub fn new_group() -> String {
    let now = utc_millis(SystemTime::now());
    let tag: String = (0..4).map(|_| fastrand::lowercase()).collect();
    format!("{}-{tag}", stamp(&now))
}

/// `20261124-153012-123` from `2026-11-24T15:30:12.123Z`: sortable, and safe in any file system.
fn stamp(rfc3339: &str) -> String {
    let digits: String = rfc3339.chars().filter(char::is_ascii_digit).collect();
    format!("{}-{}-{}", &digits[..8], &digits[8..14], &digits[14..digits.len().min(17)])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_are_written_as_before() {
        // The form humantime wrote (and library files made by earlier Easels hold): sorted as text.
        let t = SystemTime::UNIX_EPOCH + std::time::Duration::from_millis(1_518_568_087_123);
        assert_eq!(utc_millis(t), "2018-02-14T00:28:07.123Z");
        assert_eq!(parse_utc("2018-02-14T00:28:07.123Z"), Some(t));
        assert_eq!(parse_utc("2018-02-14T01:28:07.123+01:00"), Some(t));
        assert_eq!(parse_utc("yesterday"), None);
    }

    fn test_provenance() -> Provenance {
        Provenance { elapsed_secs: 1.0, ..Provenance::new(ImageRequest::new("x"), "http://127.0.0.1/v1", "test", 1) }
    }

    #[test]
    fn stamps_sort_and_are_safe() {
        assert_eq!(stamp("2026-11-24T15:30:12.123Z"), "20261124-153012-123");
    }

    #[test]
    fn unknown_fields_are_kept() {
        let dir = tempfile::tempdir().unwrap();
        let lib = Library::open(dir.path()).unwrap();
        let png = image::RgbaImage::new(2, 2);
        let mut bytes = Vec::new();
        png.write_to(&mut std::io::Cursor::new(&mut bytes), image::ImageFormat::Png).unwrap();
        let img = ReceivedImage::from_bytes(bytes).unwrap();
        let prov = test_provenance();
        let saved = lib.save(&img, 0, &prov).unwrap();
        let mut v: serde_json::Value = serde_json::from_slice(&std::fs::read(&saved.meta_path).unwrap()).unwrap();
        v["from_the_future"] = serde_json::json!({"rating": 5});
        std::fs::write(&saved.meta_path, serde_json::to_vec(&v).unwrap()).unwrap();
        let meta = Library::read_meta(&saved.meta_path).unwrap();
        assert_eq!(meta.extra["from_the_future"]["rating"], 5);
        let again = serde_json::to_value(&meta).unwrap();
        assert_eq!(again["from_the_future"]["rating"], 5);
    }

    #[test]
    fn trash_into_a_folder_takes_the_picture_its_details_and_thumbnail() {
        let dir = tempfile::tempdir().unwrap();
        let mut lib = Library::open(dir.path().join("lib")).unwrap();
        lib.use_trash_folder(dir.path().join("bin"));
        let mut bytes = Vec::new();
        image::RgbaImage::new(2, 2).write_to(&mut std::io::Cursor::new(&mut bytes), image::ImageFormat::Png).unwrap();
        let saved = lib.save(&ReceivedImage::from_bytes(bytes.clone()).unwrap(), 0, &test_provenance()).unwrap();
        lib.thumbnail(&saved.path, 8).unwrap();
        let bytes = std::fs::read(&saved.path).unwrap();
        let thumbs = || std::fs::read_dir(lib.cache_dir().join("thumbs")).unwrap().count();
        assert_eq!(thumbs(), 1);
        let where_to = lib.trash(&saved).unwrap();
        assert_eq!(where_to, Trashed::Folder { folder: dir.path().join("bin"), reason: None });
        assert_eq!(std::fs::read_dir(lib.images_dir()).unwrap().count(), 0);
        assert_eq!(std::fs::read(dir.path().join("bin").join(saved.path.file_name().unwrap())).unwrap(), bytes);
        assert!(dir.path().join("bin").join(saved.meta_path.file_name().unwrap()).exists());
        assert_eq!(thumbs(), 0);
    }

    #[test]
    fn saved_pictures_carry_their_settings_and_the_same_pixels() {
        let dir = tempfile::tempdir().unwrap();
        let lib = Library::open(dir.path()).unwrap();
        let original = image::RgbaImage::from_fn(5, 4, |x, y| image::Rgba([x as u8 * 40, y as u8 * 60, 7, 255]));
        let mut bytes = Vec::new();
        original.write_to(&mut std::io::Cursor::new(&mut bytes), image::ImageFormat::Png).unwrap();
        let mut prov = test_provenance();
        prov.request = ImageRequest::new("一只红狐狸, in snow\nsecond line");
        let saved = lib.save(&ReceivedImage::from_bytes(bytes).unwrap(), 0, &prov).unwrap();
        let on_disk = std::fs::read(&saved.path).unwrap();
        assert_eq!(saved.meta.bytes, on_disk.len() as u64);
        // Read back by an independent decoder: the png crate's text chunks.
        let reader = png::Decoder::new(std::io::Cursor::new(&on_disk)).read_info().unwrap();
        let text = reader.info().utf8_text.iter().find(|t| t.keyword == "parameters").unwrap().get_text().unwrap();
        assert!(text.starts_with("一只红狐狸, in snow\nsecond line\nModel: gpt-image-2, Size: 5x4"), "{text}");
        assert!(text.contains("Created: "), "{text}");
        assert_eq!(image::load_from_memory(&on_disk).unwrap().into_rgba8(), original);
    }

    #[test]
    fn field_name_choices_persist() {
        let dir = tempfile::tempdir().unwrap();
        let lib = Library::open(dir.path()).unwrap();
        assert_eq!(lib.format_field_for("https://a.example"), None);
        lib.remember_format_field("https://a.example", FormatField::OutputFormat).unwrap();
        let reopened = Library::open(dir.path()).unwrap();
        assert_eq!(reopened.format_field_for("https://a.example"), Some(FormatField::OutputFormat));
        std::fs::write(dir.path().join("endpoints.json"), b"{broken").unwrap();
        assert_eq!(reopened.format_field_for("https://a.example"), None);
        // The picture field is learnt apart, and does not disturb the format field.
        assert_eq!(reopened.image_field_for("https://a.example"), None);
        lib.remember_format_field("https://a.example", FormatField::Format).unwrap();
        lib.remember_image_field("https://a.example", ImageField::Plain).unwrap();
        let again = Library::open(dir.path()).unwrap();
        assert_eq!(again.image_field_for("https://a.example"), Some(ImageField::Plain));
        assert_eq!(again.image_field_for("https://b.example"), None);
        assert_eq!(again.format_field_for("https://a.example"), Some(FormatField::Format));
        assert_eq!(again.previews_refused_at("https://a.example"), None);
        again.remember_previews_refused("https://a.example").unwrap();
        let last = Library::open(dir.path()).unwrap();
        let when = last.previews_refused_at("https://a.example").unwrap();
        assert!(SystemTime::now().duration_since(when).unwrap() < std::time::Duration::from_secs(5));
        assert_eq!(last.previews_refused_at("https://b.example"), None);
        assert_eq!(last.image_field_for("https://a.example"), Some(ImageField::Plain), "the other files kept");
        last.forget_previews_refusal("https://a.example").unwrap();
        assert_eq!(last.previews_refused_at("https://a.example"), None);
        // An older Easel's refusal, without a time, is tried again.
        std::fs::write(dir.path().join(PREVIEWS), br#"{"https://a.example": false}"#).unwrap();
        assert_eq!(last.previews_refused_at("https://a.example"), None);
    }
}
