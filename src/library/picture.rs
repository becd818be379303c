//! Reading a picture back from the library, for the viewer, Copy, a comparison's cells, the
//! sheet and thumbnails: the file, then what it really is, then its pixels. Each step that can
//! fail says which it was, so the user is told "cannot be read" apart from "damaged".

use super::decode::{DecodeError, decode};
use super::{Action, LibraryError};
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

/// Reads and decodes a library picture to RGBA. Slow for a large picture: never on the UI thread.
pub fn read_picture(path: &Path) -> Result<image::RgbaImage, PictureError> {
    let bytes = std::fs::read(path).map_err(|e| LibraryError::io(Action::Read, path, &e))?;
    let received = ReceivedImage::from_bytes(bytes)?;
    Ok(decode(&received)?)
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
}
