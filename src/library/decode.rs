//! Full decoding of received pictures and thumbnails, in parallel and never on the UI thread.

use crate::api::{OutputFormat, ReceivedImage};

/// A small RGBA copy of a picture, ready to become a texture.
#[derive(Clone, PartialEq, Eq)]
pub struct Thumbnail {
    pub width: u32,
    pub height: u32,
    /// Unpremultiplied RGBA, row by row.
    pub rgba: Vec<u8>,
}

impl std::fmt::Debug for Thumbnail {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Thumbnail({}x{})", self.width, self.height)
    }
}

/// Why a picture that arrived whole could not be decoded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", words::damaged(.0))]
pub struct DecodeError(pub String);

fn image_format(f: OutputFormat) -> image::ImageFormat {
    match f {
        OutputFormat::Png => image::ImageFormat::Png,
        OutputFormat::Jpeg => image::ImageFormat::Jpeg,
        OutputFormat::Webp => image::ImageFormat::WebP,
    }
}

/// Decodes one picture to RGBA.
pub fn decode(img: &ReceivedImage) -> Result<image::RgbaImage, DecodeError> {
    image::load_from_memory_with_format(&img.bytes, image_format(img.format))
        .map(image::DynamicImage::into_rgba8)
        .map_err(|e| DecodeError(short_reason(&e)))
}

/// Decodes every picture of an answer in parallel, as many at once as there are cores.
pub fn decode_parallel(images: &[ReceivedImage]) -> Vec<Result<image::RgbaImage, DecodeError>> {
    crate::api::response::parallel_map(images.iter().collect(), decode)
}

/// A thumbnail whose longer side is at most `max_side`, keeping the aspect ratio.
pub fn thumbnail(rgba: &image::RgbaImage, max_side: u32) -> Thumbnail {
    let (w, h) = rgba.dimensions();
    let scale = (f64::from(max_side) / f64::from(w.max(h).max(1))).min(1.0);
    let tw = ((f64::from(w) * scale).round() as u32).max(1);
    let th = ((f64::from(h) * scale).round() as u32).max(1);
    // Triangle filtering is several times faster than Lanczos and looks the same at thumbnail size.
    let small = image::imageops::resize(rgba, tw, th, image::imageops::FilterType::Triangle);
    Thumbnail { width: tw, height: th, rgba: small.into_raw() }
}

/// Why the decoder gave up, in a few words for [`DecodeError`].
fn short_reason(e: &image::ImageError) -> String {
    match e {
        image::ImageError::Decoding(_) => words::CUT_SHORT(),
        image::ImageError::Unsupported(_) => words::UNSUPPORTED(),
        image::ImageError::Limits(_) => words::TOO_LARGE(),
        _ => words::UNREADABLE(),
    }
    .to_string()
}

/// Why a picture cannot be shown, in every language.
mod words {
    crate::texts! { REASONS;
        CUT_SHORT => "its data is cut short or corrupt", "数据不完整或已损坏";
        UNSUPPORTED => "its kind of picture is not supported", "不支持这种图片";
        TOO_LARGE => "it is too large to open", "图片太大，无法打开";
        UNREADABLE => "it could not be read", "无法读取";
    }

    crate::formats! { WITH_VALUES;
        damaged(why: &str) => "The picture was saved, but it is damaged and cannot be shown ({why}).",
            "图片已保存，但已损坏，无法显示（{why}）。";
    }

    #[cfg(test)]
    #[test]
    fn every_text_is_translated() {
        let problems = crate::i18n::untranslated(&[REASONS, WITH_VALUES], &[]);
        assert!(problems.is_empty(), "{problems:#?}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn png(w: u32, h: u32) -> ReceivedImage {
        let mut bytes = Vec::new();
        image::RgbaImage::from_pixel(w, h, image::Rgba([200, 10, 10, 255]))
            .write_to(&mut std::io::Cursor::new(&mut bytes), image::ImageFormat::Png)
            .unwrap();
        ReceivedImage::from_bytes(bytes).unwrap()
    }

    #[test]
    fn decodes_in_parallel_and_thumbnails_keep_aspect() {
        let imgs = vec![png(300, 200), png(64, 64)];
        let out = decode_parallel(&imgs);
        let first = out[0].as_ref().unwrap();
        assert_eq!(first.dimensions(), (300, 200));
        let t = thumbnail(first, 150);
        assert_eq!((t.width, t.height), (150, 100));
        assert_eq!(t.rgba.len(), 150 * 100 * 4);
        assert_eq!(&t.rgba[..4], &[200, 10, 10, 255]);
        let small = thumbnail(out[1].as_ref().unwrap(), 150);
        assert_eq!((small.width, small.height), (64, 64), "never enlarged");
    }

    #[test]
    fn a_truncated_picture_is_a_clear_error() {
        let mut img = png(300, 200);
        img.bytes.truncate(img.bytes.len() / 2);
        let e = decode(&img).unwrap_err().to_string();
        assert!(e.contains("saved") && e.contains("damaged"), "{e}");
    }
}
