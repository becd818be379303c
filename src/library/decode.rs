//! Decoding pictures, never on the UI thread, and always within limits: a picture larger than
//! [`MAX_SIDE`] a side, or whose pixels would take more than [`MAX_BYTES`], is refused before
//! its pixels are read ([`DecodeError::TooLarge`]), so a small file that declares a huge size
//! (a PNG of 23000 × 23000 grey pixels is 514 kB) cannot take gigabytes.
//!
//! Where a picture is drawn small (a thumbnail, a cell of the comparison sheet), [`fitting`]
//! decodes it at that size where the format allows: a PNG row by row into the small picture,
//! never whole; the other formats whole (within the limits), then made small in their own
//! colours before the small copy is turned into RGBA.

use crate::api::{OutputFormat, ReceivedImage};
use image::ImageDecoder;

/// The longest side Easel decodes, in pixels.
pub const MAX_SIDE: u32 = 16384;
/// The most memory one decode may take for its pixels (512 MiB).
pub const MAX_BYTES: u64 = 512 * 1024 * 1024;

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

impl From<image::RgbaImage> for Thumbnail {
    fn from(rgba: image::RgbaImage) -> Thumbnail {
        Thumbnail { width: rgba.width(), height: rgba.height(), rgba: rgba.into_raw() }
    }
}

/// Why a picture that arrived whole could not be decoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DecodeError {
    /// Its data is cut short or corrupt.
    CutShort,
    /// Its kind of PNG, JPEG or WebP is not supported.
    Unsupported,
    /// It is larger than Easel opens ([`MAX_SIDE`], [`MAX_BYTES`]); the file is kept as it is.
    TooLarge { width: u32, height: u32 },
    /// It could not be read for another reason.
    Unreadable,
}

impl std::fmt::Display for DecodeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let why = match self {
            DecodeError::CutShort => words::CUT_SHORT(),
            DecodeError::Unsupported => words::UNSUPPORTED(),
            DecodeError::Unreadable => words::UNREADABLE(),
            DecodeError::TooLarge { width, height } => return f.write_str(&words::too_large(*width, *height)),
        };
        f.write_str(&words::damaged(why))
    }
}

impl std::error::Error for DecodeError {}

fn image_format(f: OutputFormat) -> image::ImageFormat {
    match f {
        OutputFormat::Png => image::ImageFormat::Png,
        OutputFormat::Jpeg => image::ImageFormat::Jpeg,
        OutputFormat::Webp => image::ImageFormat::WebP,
    }
}

/// The limits every decoder is given.
fn limits() -> image::Limits {
    let mut limits = image::Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    limits.max_alloc = Some(MAX_BYTES);
    limits
}

/// `img`'s decoder, within the limits; refused at once when its header says it is too large.
fn decoder(img: &ReceivedImage) -> Result<impl ImageDecoder + '_, DecodeError> {
    let too_large = DecodeError::TooLarge { width: img.width, height: img.height };
    if img.width > MAX_SIDE || img.height > MAX_SIDE {
        return Err(too_large);
    }
    let mut reader = image::ImageReader::with_format(std::io::Cursor::new(&img.bytes), image_format(img.format));
    reader.limits(limits());
    let decoder = reader.into_decoder().map_err(|e| reason(&e, img))?;
    if decoder.total_bytes() > MAX_BYTES {
        return Err(too_large);
    }
    Ok(decoder)
}

/// Decodes one picture whole, to RGBA: for the viewer and the clipboard. Its pixels and their
/// RGBA copy together stay within [`MAX_BYTES`].
pub fn decode(img: &ReceivedImage) -> Result<image::RgbaImage, DecodeError> {
    let decoder = decoder(img)?;
    let rgba_copy = if decoder.color_type() == image::ColorType::Rgba8 {
        0
    } else {
        u64::from(img.width) * u64::from(img.height) * 4
    };
    if decoder.total_bytes().saturating_add(rgba_copy) > MAX_BYTES {
        return Err(DecodeError::TooLarge { width: img.width, height: img.height });
    }
    let picture = image::DynamicImage::from_decoder(decoder).map_err(|e| reason(&e, img))?;
    Ok(picture.into_rgba8())
}

/// The size of a `w`×`h` picture whose longer side is at most `max_side`, keeping the aspect
/// ratio; never enlarged.
fn fitted_size(w: u32, h: u32, max_side: u32) -> (u32, u32) {
    let scale = (f64::from(max_side) / f64::from(w.max(h).max(1))).min(1.0);
    let side = |d: u32| ((f64::from(d) * scale).round() as u32).max(1);
    (side(w), side(h))
}

/// Decodes one picture at the size it is drawn: its longer side at most `max_side`, keeping
/// the aspect ratio. A PNG is never held whole; other formats are, within the limits.
pub fn fitting(img: &ReceivedImage, max_side: u32) -> Result<image::RgbaImage, DecodeError> {
    let (w, h) = fitted_size(img.width, img.height, max_side);
    if img.format == OutputFormat::Png
        && let Some(small) = png_fitting(img, w, h)?
    {
        return Ok(small);
    }
    let picture = image::DynamicImage::from_decoder(decoder(img)?).map_err(|e| reason(&e, img))?;
    if (picture.width(), picture.height()) == (w, h) {
        return Ok(picture.into_rgba8());
    }
    // In the picture's own colours first: a grey picture is not made four times larger.
    Ok(picture.thumbnail_exact(w, h).into_rgba8())
}

/// A thumbnail whose longer side is at most `max_side`, keeping the aspect ratio.
pub fn thumbnail(img: &ReceivedImage, max_side: u32) -> Result<Thumbnail, DecodeError> {
    fitting(img, max_side).map(Thumbnail::from)
}

/// A PNG read row by row straight into a `w`×`h` picture, each pixel of which is the average of
/// the pixels it covers; `None` for an interlaced PNG, whose rows do not come in order (or any
/// PNG this way cannot read), which is then decoded whole.
fn png_fitting(img: &ReceivedImage, w: u32, h: u32) -> Result<Option<image::RgbaImage>, DecodeError> {
    if img.width > MAX_SIDE || img.height > MAX_SIDE {
        return Err(DecodeError::TooLarge { width: img.width, height: img.height });
    }
    let mut decoder = png::Decoder::new(std::io::Cursor::new(&img.bytes));
    decoder.set_transformations(png::Transformations::normalize_to_color8());
    let mut reader = decoder.read_info().map_err(|e| png_reason(&e, img))?;
    let (src_w, src_h) = (reader.info().width, reader.info().height);
    if reader.info().interlaced {
        return Ok(None);
    }
    let colour = reader.output_color_type().0;
    if colour == png::ColorType::Indexed {
        return Ok(None);
    }
    let mut small = Shrink::new(src_w, src_h, w, h);
    let mut rows = 0;
    while let Some(row) = reader.next_row().map_err(|e| png_reason(&e, img))? {
        small.add_row(rows, row.data(), colour);
        rows += 1;
    }
    if rows < src_h {
        return Err(DecodeError::CutShort);
    }
    Ok(Some(small.finish()))
}

/// A picture made smaller one source row at a time: each output pixel is the average of the
/// source pixels that fall in it. Only one output row of sums is held.
struct Shrink {
    out: image::RgbaImage,
    src: (u32, u32),
    /// The output column of each source column.
    column: Vec<u32>,
    /// The output row being summed, its sums (RGBA per output column) and pixel counts.
    row: u32,
    sums: Vec<u64>,
    counts: Vec<u64>,
}

impl Shrink {
    fn new(src_w: u32, src_h: u32, w: u32, h: u32) -> Shrink {
        let column = (0..src_w).map(|x| (u64::from(x) * u64::from(w) / u64::from(src_w)) as u32).collect();
        Shrink {
            out: image::RgbaImage::new(w, h),
            src: (src_w, src_h),
            column,
            row: 0,
            sums: vec![0; w as usize * 4],
            counts: vec![0; w as usize],
        }
    }

    /// Adds source row `y`, 8-bit grey, grey and alpha, RGB or RGBA.
    fn add_row(&mut self, y: u32, data: &[u8], colour: png::ColorType) {
        let target = (u64::from(y) * u64::from(self.out.height()) / u64::from(self.src.1)) as u32;
        if target != self.row {
            self.flush();
            self.row = target;
        }
        let rgba: fn(&[u8]) -> [u8; 4] = match colour {
            png::ColorType::Grayscale => |p| [p[0], p[0], p[0], 255],
            png::ColorType::GrayscaleAlpha => |p| [p[0], p[0], p[0], p[1]],
            png::ColorType::Rgb => |p| [p[0], p[1], p[2], 255],
            png::ColorType::Rgba => |p| [p[0], p[1], p[2], p[3]],
            // Expanded to RGB or RGBA by the transformations ([`png_fitting`] checks).
            png::ColorType::Indexed => |_| [0, 0, 0, 0],
        };
        for (px, &x) in data.chunks_exact(colour.samples()).zip(&self.column) {
            let at = x as usize;
            for (sum, v) in self.sums[at * 4..at * 4 + 4].iter_mut().zip(rgba(px)) {
                *sum += u64::from(v);
            }
            self.counts[at] += 1;
        }
    }

    /// Writes the output row summed so far, and starts the next.
    fn flush(&mut self) {
        for (x, &count) in self.counts.iter().enumerate() {
            let count = count.max(1);
            let px = std::array::from_fn(|k| (self.sums[x * 4 + k] / count) as u8);
            self.out.put_pixel(x as u32, self.row, image::Rgba(px));
        }
        self.sums.fill(0);
        self.counts.fill(0);
    }

    fn finish(mut self) -> image::RgbaImage {
        self.flush();
        self.out
    }
}

/// Why the image crate's decoder gave up.
fn reason(e: &image::ImageError, img: &ReceivedImage) -> DecodeError {
    match e {
        image::ImageError::Decoding(_) => DecodeError::CutShort,
        // The bytes are in memory: the only thing reading them can meet is their end.
        image::ImageError::IoError(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => DecodeError::CutShort,
        image::ImageError::Unsupported(_) => DecodeError::Unsupported,
        image::ImageError::Limits(_) => DecodeError::TooLarge { width: img.width, height: img.height },
        _ => DecodeError::Unreadable,
    }
}

/// Why the PNG decoder gave up.
fn png_reason(e: &png::DecodingError, img: &ReceivedImage) -> DecodeError {
    match e {
        png::DecodingError::IoError(_) | png::DecodingError::Format(_) => DecodeError::CutShort,
        png::DecodingError::LimitsExceeded => DecodeError::TooLarge { width: img.width, height: img.height },
        png::DecodingError::Parameter(_) => DecodeError::Unreadable,
    }
}

/// Why a picture cannot be shown, in every language.
mod words {
    crate::texts! { REASONS;
        CUT_SHORT => "its data is cut short or corrupt", "数据不完整或已损坏";
        UNSUPPORTED => "its kind of picture is not supported", "不支持这种图片";
        UNREADABLE => "it could not be read", "无法读取";
    }

    crate::formats! { WITH_VALUES;
        damaged(why: &str) => "The picture was saved, but it is damaged and cannot be shown ({why}).",
            "图片已保存，但已损坏，无法显示（{why}）。";
        too_large(width: u32, height: u32) => "The picture is too large for Easel to open ({width} × {height} pixels). The file is kept as it is: open it with another program.",
            "图片太大，Easel 无法打开（{width} × {height} 像素）。文件原样保留：请用其他程序打开。";
    }

    crate::translated!(REASONS, WITH_VALUES);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn encoded(img: image::DynamicImage, format: image::ImageFormat) -> ReceivedImage {
        let mut bytes = Vec::new();
        img.write_to(&mut std::io::Cursor::new(&mut bytes), format).unwrap();
        ReceivedImage::from_bytes(bytes).unwrap()
    }

    fn png(w: u32, h: u32) -> ReceivedImage {
        let img = image::RgbaImage::from_pixel(w, h, image::Rgba([200, 10, 10, 255]));
        encoded(img.into(), image::ImageFormat::Png)
    }

    /// A PNG of `w`×`h` black grey pixels, written row by row: a few hundred kB for a huge size.
    fn huge_grey_png(w: u32, h: u32) -> ReceivedImage {
        let mut bytes = Vec::new();
        let mut encoder = ::png::Encoder::new(&mut bytes, w, h);
        encoder.set_color(::png::ColorType::Grayscale);
        encoder.set_compression(::png::Compression::Balanced);
        let mut writer = encoder.write_header().unwrap();
        let mut stream = writer.stream_writer().unwrap();
        let row = vec![0u8; w as usize];
        for _ in 0..h {
            std::io::Write::write_all(&mut stream, &row).unwrap();
        }
        stream.finish().unwrap();
        drop(writer);
        ReceivedImage::from_bytes(bytes).unwrap()
    }

    #[test]
    fn decodes_and_thumbnails_keep_aspect() {
        let imgs = [png(300, 200), png(64, 64)];
        assert_eq!(decode(&imgs[0]).unwrap().dimensions(), (300, 200));
        let t = thumbnail(&imgs[0], 150).unwrap();
        assert_eq!((t.width, t.height), (150, 100));
        assert_eq!(t.rgba.len(), 150 * 100 * 4);
        assert_eq!(&t.rgba[..4], &[200, 10, 10, 255]);
        let small = thumbnail(&imgs[1], 150).unwrap();
        assert_eq!((small.width, small.height), (64, 64), "never enlarged");
    }

    #[test]
    fn a_png_is_made_small_row_by_row_with_the_same_pixels_as_a_whole_decode() {
        let img = image::RgbImage::from_fn(301, 157, |x, y| image::Rgb([(x % 256) as u8, (y * 3 % 256) as u8, 90]));
        let whole = image::DynamicImage::from(img.clone());
        for (picture, format) in [
            (whole.clone(), image::ImageFormat::Png),
            (image::DynamicImage::from(whole.to_luma_alpha8()), image::ImageFormat::Png),
            (whole.clone(), image::ImageFormat::Jpeg),
            (whole.clone(), image::ImageFormat::WebP),
        ] {
            let received = encoded(picture.clone(), format);
            let small = fitting(&received, 100).unwrap();
            assert_eq!(small.dimensions(), (100, 52), "{format:?}");
            // The same as the whole picture made small by the image crate, give or take rounding
            // (and JPEG's own losses).
            let expected = picture.thumbnail_exact(100, 52).into_rgba8();
            let worst = small
                .pixels()
                .zip(expected.pixels())
                .map(|(a, b)| (0..4).map(|k| a[k].abs_diff(b[k])).max().unwrap())
                .max()
                .unwrap();
            assert!(worst <= if format == image::ImageFormat::Jpeg { 24 } else { 3 }, "{format:?}: {worst}");
            assert_eq!(fitting(&received, 400).unwrap(), decode(&received).unwrap(), "{format:?}: never enlarged");
        }
    }

    #[test]
    fn a_picture_larger_than_the_limits_is_refused_before_its_pixels_are_read() {
        let huge = huge_grey_png(23_000, 23_000);
        assert!(huge.bytes.len() < 1_000_000, "{} bytes", huge.bytes.len());
        let too_large = DecodeError::TooLarge { width: 23_000, height: 23_000 };
        assert_eq!(decode(&huge), Err(too_large));
        assert_eq!(fitting(&huge, 256), Err(too_large));
        // Within the sides, but its RGBA copy would take more than the limit: 12000² × 4 bytes.
        let wide = huge_grey_png(12_000, 12_000);
        assert_eq!(decode(&wide), Err(DecodeError::TooLarge { width: 12_000, height: 12_000 }));
        let en = crate::i18n::with(crate::i18n::Lang::En, || too_large.to_string());
        assert_eq!(
            en,
            "The picture is too large for Easel to open (23000 × 23000 pixels). The file is kept as it is: open it with another program."
        );
        let zh = crate::i18n::with(crate::i18n::Lang::ZhCn, || too_large.to_string());
        assert!(zh.starts_with("图片太大") && zh.contains("23000 × 23000"), "{zh}");
    }

    #[test]
    fn a_truncated_picture_is_a_clear_error() {
        let mut img = png(300, 200);
        img.bytes.truncate(img.bytes.len() / 2);
        assert_eq!(decode(&img), Err(DecodeError::CutShort));
        assert_eq!(fitting(&img, 64), Err(DecodeError::CutShort));
        let e = crate::i18n::with(crate::i18n::Lang::En, || decode(&img).unwrap_err().to_string());
        assert!(e.contains("saved") && e.contains("damaged"), "{e}");
    }
}
