//! Thumbnails kept on disk, so that a gallery of a thousand pictures never decodes a thousand
//! full pictures: a small PNG per picture in `cache/thumbs/`, made once, read in a millisecond.

use super::decode::{Thumbnail, thumbnail};
use super::fsutil::write_atomic;
use super::picture::{PictureError, read_picture_fitting};
use super::{Action, Library, LibraryError, Reason};
use crate::api::ReceivedImage;
use std::path::{Path, PathBuf};

/// The most a cached thumbnail is read of (one is tens of kilobytes); a larger one, or one that
/// is not a file, is made again from the picture.
const THUMB_FILE: u64 = 16 << 20;

impl Library {
    fn thumb_path(&self, picture: &Path, side: u32) -> PathBuf {
        let name = picture.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        self.cache_dir().join("thumbs").join(format!("{name}.{side}.png"))
    }

    /// Keeps a thumbnail just made from a picture (by the worker, which decoded it anyway).
    pub fn store_thumbnail(&self, picture: &Path, side: u32, thumb: &Thumbnail) -> Result<(), LibraryError> {
        let path = self.thumb_path(picture, side);
        let dir = path.parent().unwrap_or(Path::new("."));
        std::fs::create_dir_all(dir).map_err(|e| LibraryError::io(Action::CreateFolder, dir, &e))?;
        let img = image::RgbaImage::from_raw(thumb.width, thumb.height, thumb.rgba.clone())
            .expect("a thumbnail's pixels match its size");
        let mut png = Vec::new();
        // Fast compression: these files are a cache, and a thumbnail is small anyway.
        let encoder = image::codecs::png::PngEncoder::new_with_quality(
            &mut png,
            image::codecs::png::CompressionType::Fast,
            image::codecs::png::FilterType::Adaptive,
        );
        img.write_with_encoder(encoder).map_err(|e| LibraryError::Io {
            action: Action::Save,
            path: path.clone(),
            reason: Reason::Other(e.to_string()),
        })?;
        write_atomic(&path, &png)
    }

    /// The thumbnail of a library picture: from the cache, else made from the picture (at the
    /// thumbnail's size, within the decoder's limits) and kept. Slow the first time; call it off
    /// the UI thread.
    pub fn thumbnail(&self, picture: &Path, side: u32) -> Result<Thumbnail, PictureError> {
        let cached = self.thumb_path(picture, side);
        // The cache is read within the same limits: whatever is there is made no larger than asked.
        if let Ok(bytes) = super::read_bounded(&cached, THUMB_FILE)
            && let Ok(img) = ReceivedImage::from_bytes(bytes)
            && let Ok(thumb) = thumbnail(&img, side)
        {
            return Ok(thumb);
        }
        let thumb = Thumbnail::from(read_picture_fitting(picture, side)?);
        // A cache that cannot be written only costs the decode next time.
        if let Err(e) = self.store_thumbnail(picture, side, &thumb) {
            log::debug!("thumbnail not kept: {e}");
        }
        Ok(thumb)
    }

    /// Forgets a picture's cached thumbnails (after it is deleted).
    pub(crate) fn forget_thumbnails(&self, picture: &Path) {
        let Some(name) = picture.file_name().map(|n| n.to_string_lossy().into_owned()) else { return };
        let Ok(entries) = std::fs::read_dir(self.cache_dir().join("thumbs")) else { return };
        for e in entries.flatten() {
            let n = e.file_name().to_string_lossy().into_owned();
            if n.strip_prefix(&name).is_some_and(|rest| rest.starts_with('.') && rest.ends_with(".png")) {
                super::fsutil::remove_leftover(&e.path());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn made_once_then_read_from_the_cache() {
        let dir = tempfile::tempdir().unwrap();
        let lib = Library::open(dir.path()).unwrap();
        let picture = lib.images_dir().join("a-1.png");
        image::RgbaImage::from_pixel(400, 200, image::Rgba([0, 90, 200, 255])).save(&picture).unwrap();
        let t = lib.thumbnail(&picture, 100).unwrap();
        assert_eq!((t.width, t.height), (100, 50));
        // The picture itself is no longer needed: the cache answers.
        std::fs::write(&picture, b"gone").unwrap();
        assert_eq!(lib.thumbnail(&picture, 100).unwrap(), t);
        let e = lib.thumbnail(&picture, 64).unwrap_err();
        assert!(e.to_string().contains("not a picture"), "{e}");
        lib.forget_thumbnails(&picture);
        assert!(lib.thumbnail(&picture, 100).is_err());
    }
}
