//! The user's pictures on disk. Every picture received is written here, atomically, before
//! anything else is done with it, with its metadata beside it.
//!
//! Layout of the data folder:
//! ```text
//! images/<group>-<n>.<ext>    the picture, exactly the bytes received
//! images/<group>-<n>.json     how it was made (ImageMeta)
//! endpoints.json                    per-endpoint choices learnt at run time (format field name)
//! ```

pub mod decode;
pub mod embed;
pub mod export;
mod fsutil;

pub use decode::{Thumbnail, decode_parallel, thumbnail};
pub use export::{copy_named, file_stem_from_prompt};
pub use fsutil::write_atomic;

use crate::api::{FormatField, ImageRequest, OutputFormat, ReceivedImage, Usage};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::SystemTime;

/// The environment variable that moves the data folder.
pub const ENV_DATA_DIR: &str = "EASEL_DATA_DIR";
/// Version of the metadata written beside each picture.
pub const META_VERSION: u32 = 1;

/// Something went wrong on disk; the message names the path and what to do.
#[derive(Debug, thiserror::Error)]
pub enum LibraryError {
    #[error("Easel could not {action} “{}”: {reason}. Check that the disk is not full and that the folder may be written to.", path.display())]
    Io { action: &'static str, path: PathBuf, reason: String },
    #[error("Easel has no folder to keep pictures in. Set EASEL_DATA_DIR to a folder you can write to.")]
    NoDataDir,
}

impl LibraryError {
    pub(crate) fn io(action: &'static str, path: &Path, e: &std::io::Error) -> LibraryError {
        let reason = match e.kind() {
            std::io::ErrorKind::PermissionDenied => "permission denied".to_string(),
            std::io::ErrorKind::NotFound => "the folder does not exist".to_string(),
            std::io::ErrorKind::StorageFull => "the disk is full".to_string(),
            std::io::ErrorKind::ReadOnlyFilesystem => "the disk is read-only".to_string(),
            _ => e.to_string(),
        };
        LibraryError::Io { action, path: path.to_path_buf(), reason }
    }
}

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
    /// Fields written by a newer Easel, kept as they were.
    #[serde(flatten)]
    pub extra: BTreeMap<String, serde_json::Value>,
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
}

/// A picture safely on disk.
#[derive(Debug, Clone, PartialEq)]
pub struct SavedImage {
    pub path: PathBuf,
    pub meta_path: PathBuf,
    pub meta: ImageMeta,
}

/// A picture moved out of view by [`Library::delete`], ready to be restored.
#[derive(Debug, Clone, PartialEq)]
pub struct DeletedImage {
    pub saved: SavedImage,
    /// (where it was, where it is now) for the picture and its metadata.
    moved: Vec<(PathBuf, PathBuf)>,
}

/// The data folder.
#[derive(Debug)]
pub struct Library {
    root: PathBuf,
    images: PathBuf,
    /// Serialises writes of `endpoints.json` between jobs.
    endpoints_lock: Mutex<()>,
}

impl Library {
    /// The data folder: `EASEL_DATA_DIR`, else the platform's data folder for Easel.
    pub fn default_dir() -> Result<PathBuf, LibraryError> {
        if let Some(dir) = std::env::var_os(ENV_DATA_DIR).filter(|d| !d.is_empty()) {
            return Ok(PathBuf::from(dir));
        }
        directories::ProjectDirs::from("ai", "Easel", "Easel").map(|d| d.data_dir().to_path_buf()).ok_or(LibraryError::NoDataDir)
    }

    /// Opens (creating if needed) the library at `root`, and clears temporary files that a
    /// crash may have left behind.
    pub fn open(root: impl Into<PathBuf>) -> Result<Library, LibraryError> {
        let root = root.into();
        let root = std::path::absolute(&root).unwrap_or(root);
        let images = root.join("images");
        std::fs::create_dir_all(&images).map_err(|e| LibraryError::io("create the folder", &images, &e))?;
        fsutil::remove_stale_temp_files(&images);
        Ok(Library { root, images, endpoints_lock: Mutex::new(()) })
    }

    /// The data folder.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The folder the pictures are in.
    pub fn images_dir(&self) -> &Path {
        &self.images
    }

    /// Writes one picture and then its metadata, each atomically. The picture's bytes are
    /// exactly those received: nothing is re-encoded.
    pub fn save(&self, image: &ReceivedImage, index: usize, prov: &Provenance) -> Result<SavedImage, LibraryError> {
        let created = humantime::format_rfc3339_millis(SystemTime::now()).to_string();
        let stem = format!("{}-{}", prov.group, index + 1);
        let file = format!("{stem}.{}", image.format.extension());
        let path = self.images.join(&file);
        write_atomic(&path, &image.bytes)?;
        let meta = ImageMeta {
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
            extra: BTreeMap::new(),
        };
        let meta_path = self.images.join(format!("{stem}.json"));
        let json = serde_json::to_vec_pretty(&meta).expect("metadata always serialises");
        write_atomic(&meta_path, &json)?;
        Ok(SavedImage { path, meta_path, meta })
    }

    /// Moves a picture and its metadata out of view, into `deleted/` in the data folder, from
    /// where [`Library::restore`] brings them back. (Emptying it is left to the user for now.)
    pub fn delete(&self, saved: &SavedImage) -> Result<DeletedImage, LibraryError> {
        let bin = self.root.join("deleted");
        std::fs::create_dir_all(&bin).map_err(|e| LibraryError::io("create the folder", &bin, &e))?;
        let mut moved = Vec::new();
        for from in [&saved.path, &saved.meta_path] {
            let to = bin.join(from.file_name().unwrap_or_default());
            std::fs::rename(from, &to).map_err(|e| LibraryError::io("move", from, &e))?;
            moved.push((from.clone(), to));
        }
        Ok(DeletedImage { saved: saved.clone(), moved })
    }

    /// Undoes [`Library::delete`].
    pub fn restore(&self, deleted: &DeletedImage) -> Result<(), LibraryError> {
        for (original, now) in &deleted.moved {
            std::fs::rename(now, original).map_err(|e| LibraryError::io("restore", original, &e))?;
        }
        Ok(())
    }

    /// Reads the metadata beside a picture.
    pub fn read_meta(meta_path: &Path) -> Result<ImageMeta, LibraryError> {
        let text = std::fs::read(meta_path).map_err(|e| LibraryError::io("read", meta_path, &e))?;
        serde_json::from_slice(&text).map_err(|e| LibraryError::Io {
            action: "read",
            path: meta_path.to_path_buf(),
            reason: format!("the file is damaged ({})", e.classify_kind()),
        })
    }

    /// The format field name learnt for an endpoint, if any.
    pub fn format_field_for(&self, endpoint: &str) -> Option<FormatField> {
        self.read_endpoints().get(endpoint).copied()
    }

    /// Remembers which format field name an endpoint accepts.
    pub fn remember_format_field(&self, endpoint: &str, field: FormatField) -> Result<(), LibraryError> {
        let _guard = self.endpoints_lock.lock().unwrap_or_else(|p| p.into_inner());
        let mut all = self.read_endpoints();
        if all.get(endpoint) == Some(&field) {
            return Ok(());
        }
        all.insert(endpoint.to_string(), field);
        let json = serde_json::to_vec_pretty(&all).expect("a map of enums always serialises");
        write_atomic(&self.root.join("endpoints.json"), &json)
    }

    fn read_endpoints(&self) -> BTreeMap<String, FormatField> {
        // A damaged file only costs the learnt choice, which is learnt again.
        std::fs::read(self.root.join("endpoints.json")).ok().and_then(|b| serde_json::from_slice(&b).ok()).unwrap_or_default()
    }
}

trait ClassifyKind {
    fn classify_kind(&self) -> &'static str;
}

impl ClassifyKind for serde_json::Error {
    fn classify_kind(&self) -> &'static str {
        match self.classify() {
            serde_json::error::Category::Eof => "it ends too early",
            serde_json::error::Category::Syntax => "it is not valid JSON",
            serde_json::error::Category::Data => "a field has an unexpected value",
            serde_json::error::Category::Io => "it could not be read",
        }
    }
}

/// A new request group name: when it arrived, sortable, plus four letters that keep two
/// requests of the same millisecond apart.
pub fn new_group() -> String {
    let now = humantime::format_rfc3339_millis(SystemTime::now()).to_string();
    let tag: String = (0..4).map(|_| fastrand::lowercase()).collect();
    format!("{}-{tag}", stamp(&now))
}

/// `20261124-153012-123` from `2026-11-24T15:30:12.123Z`: sortable, and safe in any file system.
fn stamp(rfc3339: &str) -> String {
    let digits: String = rfc3339.chars().filter(|c| c.is_ascii_digit()).collect();
    format!("{}-{}-{}", &digits[..8], &digits[8..14], &digits[14..digits.len().min(17)])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn test_provenance() -> Provenance {
        Provenance {
            group: new_group(),
            request: ImageRequest::new("x"),
            endpoint: "http://127.0.0.1/v1".into(),
            endpoint_name: "test".into(),
            elapsed_secs: 1.0,
            usage: None,
            estimated_cost_usd: None,
            request_cost_usd: None,
            revised_prompt: None,
            request_id: None,
            count: 1,
        }
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
    fn delete_and_restore() {
        let dir = tempfile::tempdir().unwrap();
        let lib = Library::open(dir.path()).unwrap();
        let mut bytes = Vec::new();
        image::RgbaImage::new(2, 2).write_to(&mut std::io::Cursor::new(&mut bytes), image::ImageFormat::Png).unwrap();
        let prov = test_provenance();
        let saved = lib.save(&ReceivedImage::from_bytes(bytes.clone()).unwrap(), 0, &prov).unwrap();
        let gone = lib.delete(&saved).unwrap();
        assert!(!saved.path.exists() && !saved.meta_path.exists());
        assert_eq!(std::fs::read_dir(lib.images_dir()).unwrap().count(), 0);
        lib.restore(&gone).unwrap();
        assert_eq!(std::fs::read(&saved.path).unwrap(), bytes);
        assert!(saved.meta_path.exists());
    }

    #[test]
    fn format_field_choices_persist() {
        let dir = tempfile::tempdir().unwrap();
        let lib = Library::open(dir.path()).unwrap();
        assert_eq!(lib.format_field_for("https://a.example"), None);
        lib.remember_format_field("https://a.example", FormatField::OutputFormat).unwrap();
        let reopened = Library::open(dir.path()).unwrap();
        assert_eq!(reopened.format_field_for("https://a.example"), Some(FormatField::OutputFormat));
        std::fs::write(dir.path().join("endpoints.json"), b"{broken").unwrap();
        assert_eq!(reopened.format_field_for("https://a.example"), None);
    }
}
