//! Reading a picture back from the library, for the viewer, Copy, a comparison's cells, the
//! sheet and thumbnails: the file, then what it really is, then its pixels. Each step that can
//! fail says which it was, so the user is told "cannot be read" apart from "damaged".

use super::LibraryError;
use super::decode::{DecodeError, decode, fitting};
use crate::api::{ApiError, ReceivedImage};
use std::path::Path;

/// Why a picture in the library cannot be shown.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PictureError {
    /// The file could not be read (gone, no permission).
    #[error("{0}")]
    Unreadable(#[from] LibraryError),
    /// The file is not a PNG, JPEG or WebP picture.
    #[error("{0}")]
    NotAPicture(#[from] ApiError),
    /// It is a picture, but its data is damaged.
    #[error("{0}")]
    Damaged(#[from] DecodeError),
}

impl PictureError {
    /// Whether the picture is whole but larger than Easel opens (a tile says so in its place).
    pub fn is_too_large(&self) -> bool {
        matches!(self, PictureError::Damaged(DecodeError::TooLarge { .. }))
    }
}

/// Reads a library picture and checks what it is, without decoding it.
fn read_received(path: &Path) -> Result<ReceivedImage, PictureError> {
    let bytes = super::read_bounded(path, super::fsutil::PICTURE_FILE)?;
    Ok(ReceivedImage::from_bytes(bytes)?)
}

/// Reads and decodes a library picture whole, to RGBA, within the decoder's limits (a picture
/// too large is refused before its pixels are read). Slow for a large picture: never on the UI
/// thread.
pub fn read_picture(path: &Path) -> Result<image::RgbaImage, PictureError> {
    Ok(decode(&read_received(path)?)?)
}

/// Reads and decodes a library picture at the size it is drawn, its longer side at most
/// `max_side` (a thumbnail, a cell of a sheet): a PNG is never held whole.
pub fn read_picture_fitting(path: &Path, max_side: u32) -> Result<image::RgbaImage, PictureError> {
    Ok(fitting(&read_received(path)?, max_side)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_failure_says_which_step_failed() {
        let dir = tempfile::tempdir().unwrap();
        let gone = read_picture(&dir.path().join("gone.png")).unwrap_err();
        assert!(matches!(gone, PictureError::Unreadable(_)), "{gone:?}");
        let text = dir.path().join("notes.png");
        std::fs::write(&text, b"not a picture at all").unwrap();
        assert!(matches!(read_picture(&text).unwrap_err(), PictureError::NotAPicture(_)));
        let mut png = Vec::new();
        image::RgbaImage::from_pixel(40, 30, image::Rgba([1, 2, 3, 255]))
            .write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
            .unwrap();
        let cut = dir.path().join("cut.png");
        std::fs::write(&cut, &png[..png.len() - 40]).unwrap();
        assert!(matches!(read_picture(&cut).unwrap_err(), PictureError::Damaged(_)));
        let whole = dir.path().join("whole.png");
        std::fs::write(&whole, &png).unwrap();
        assert_eq!(read_picture(&whole).unwrap().dimensions(), (40, 30));
    }

    /// A real PNG whose header says it is `w`×`h` (its data is that of a 4×4 picture).
    fn declared_png(w: u32, h: u32) -> Vec<u8> {
        let mut png = Vec::new();
        image::GrayImage::new(4, 4).write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png).unwrap();
        // IHDR is the first chunk: length, "IHDR", width, height, …, then its CRC over type and data.
        png[16..20].copy_from_slice(&w.to_be_bytes());
        png[20..24].copy_from_slice(&h.to_be_bytes());
        let crc = crc32fast::hash(&png[12..29]);
        png[29..33].copy_from_slice(&crc.to_be_bytes());
        png
    }

    #[test]
    fn a_picture_too_large_is_refused_whole_and_small() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("huge.png");
        std::fs::write(&path, declared_png(60_000, 60_000)).unwrap();
        let too_large = PictureError::Damaged(DecodeError::TooLarge { width: 60_000, height: 60_000 });
        assert_eq!(read_picture(&path).unwrap_err(), too_large);
        assert_eq!(read_picture_fitting(&path, 296).unwrap_err(), too_large);
        assert!(too_large.is_too_large());
        let text = crate::i18n::with(crate::i18n::Lang::En, || too_large.to_string());
        assert!(text.starts_with("The picture is too large for Easel to open (60000 × 60000 pixels)"), "{text}");
    }
}
