//! Pictures and texts the tests of every container share, and the round trip they all pass.

use super::jpeg::{is_xmp, jpeg_segments};
use super::png::{is_png_parameters, png_chunks};
use super::webp::webp_chunks;
use super::{embed, parameters_text, read_parameters, strip};
use crate::api::response::sniff_format;
use crate::api::{ImageRequest, OutputFormat};
use crate::library::ImageMeta;
use image::codecs::{jpeg::JpegDecoder, webp::WebPDecoder};
use image::{DynamicImage, ImageDecoder, ImageFormat, Rgba, RgbaImage};
use std::io::Cursor;

/// A simple lossy (VP8) WebP, 3x2, as Pillow writes it.
pub(super) const VP8_WEBP: &[u8] = &[
    0x52, 0x49, 0x46, 0x46, 0x4a, 0x00, 0x00, 0x00, 0x57, 0x45, 0x42, 0x50, 0x56, 0x50, 0x38, 0x20, 0x3e, 0x00, 0x00,
    0x00, 0xd0, 0x01, 0x00, 0x9d, 0x01, 0x2a, 0x03, 0x00, 0x02, 0x00, 0x01, 0x40, 0x26, 0x25, 0xa8, 0x36, 0xc0, 0x10,
    0xe4, 0xe8, 0x00, 0x1c, 0xc0, 0x00, 0xfe, 0xf1, 0x4f, 0xf3, 0xbe, 0x6e, 0xe7, 0xca, 0x00, 0x5f, 0xc5, 0xb4, 0x8f,
    0x3d, 0x43, 0xdf, 0xfe, 0xdb, 0x7c, 0xc6, 0x3e, 0x7f, 0xd0, 0xff, 0xb8, 0xcf, 0xff, 0xad, 0xbe, 0x63, 0x1f, 0x3f,
    0xe8, 0x7e, 0xc2, 0x00, 0x00, 0x00,
];
pub(super) const A1111: &str = concat!(
    "a cat, best quality\nNegative prompt: blurry\n",
    "Steps: 20, Sampler: Euler a, CFG scale: 7, Seed: 42, Size: 512x512, Model hash: abc, Model: sd15, Lora hashes: \"x: 1, y: 2\""
);

pub(super) fn meta(prompt: &str) -> ImageMeta {
    // why: from JSON, so fields added later with defaults need no change here
    serde_json::from_value(serde_json::json!({
        "version": 1, "file": "a.png", "group": "g", "index": 0, "count": 1, "request": ImageRequest::new(prompt),
        "endpoint": "https://api.example.com/v1", "endpoint_name": "QuickRouter", "created": "2025-01-02T03:04:05Z",
        "elapsed_secs": 1.0, "width": 1536, "height": 1024, "format": "png", "bytes": 0,
    }))
    .unwrap()
}

pub(super) fn text() -> String {
    parameters_text(&meta("一只猫，坐在窗台上 & <阳光>\n\"风格\": 水彩, 细节: 高"))
}

pub(super) fn encoded(format: ImageFormat) -> Vec<u8> {
    let img = RgbaImage::from_fn(17, 9, |x, y| {
        Rgba([(x * 15) as u8, (y * 28) as u8, 90, if format == ImageFormat::Jpeg { 255 } else { 200 }])
    });
    let img =
        if format == ImageFormat::Jpeg { DynamicImage::from(DynamicImage::from(img).to_rgb8()) } else { img.into() };
    let mut out = Cursor::new(Vec::new());
    img.write_to(&mut out, format).unwrap();
    out.into_inner()
}

pub(super) fn pixels(bytes: &[u8]) -> Vec<u8> {
    image::load_from_memory(bytes).unwrap().to_rgba8().into_raw()
}

/// The entries holding parameters, and the picture data, as the file's own structure has them.
pub(super) fn entries_and_data(bytes: &[u8]) -> (usize, Vec<u8>) {
    match sniff_format(bytes).unwrap() {
        OutputFormat::Png => {
            let chunks = png_chunks(bytes).0;
            let data = chunks.iter().filter(|c| &c.kind == b"IDAT").flat_map(|c| c.raw.to_vec()).collect();
            (chunks.iter().filter(|c| is_png_parameters(c)).count(), data)
        }
        OutputFormat::Jpeg => {
            let (segments, scan) = jpeg_segments(bytes);
            (segments.iter().filter(|s| is_xmp(s)).count(), scan.unwrap().to_vec())
        }
        OutputFormat::Webp => {
            let chunks = webp_chunks(bytes).0;
            let data =
                chunks.iter().filter(|c| matches!(&c.kind, b"VP8 " | b"VP8L")).flat_map(|c| c.raw.to_vec()).collect();
            (chunks.iter().filter(|c| &c.kind == b"XMP ").count(), data)
        }
    }
}

pub(super) fn independent_xmp(bytes: &[u8]) -> String {
    let xmp = match sniff_format(bytes).unwrap() {
        OutputFormat::Jpeg => JpegDecoder::new(Cursor::new(bytes)).unwrap().xmp_metadata(),
        _ => WebPDecoder::new(Cursor::new(bytes)).unwrap().xmp_metadata(),
    };
    String::from_utf8(xmp.unwrap().unwrap()).unwrap()
}

/// Embeds, re-embeds and strips; checks pixels, picture data and entry counts at each step.
pub(super) fn check(original: &[u8], exact_strip: bool) -> Vec<u8> {
    let (text, (none, data)) = (text(), entries_and_data(original));
    assert_eq!(none, 0);
    let once = embed(original, &text).unwrap();
    assert_eq!(pixels(&once), pixels(original));
    assert_eq!(read_parameters(&once).as_deref(), Some(text.as_str()));
    assert_eq!(entries_and_data(&once), (1, data.clone()));
    let other = embed(&once, "other\nModel: x").unwrap();
    assert_eq!(read_parameters(&other).as_deref(), Some("other\nModel: x"));
    let twice = embed(&other, &text).unwrap();
    assert_eq!(entries_and_data(&twice), (1, data.clone()));
    assert_eq!(read_parameters(&twice).as_deref(), Some(text.as_str()));
    let stripped = strip(&twice).unwrap();
    assert_eq!(read_parameters(&stripped), None);
    assert_eq!(entries_and_data(&stripped), (0, data));
    assert_eq!(pixels(&stripped), pixels(original));
    assert_eq!(strip(&stripped).unwrap(), stripped);
    if exact_strip {
        assert_eq!(strip(&once).unwrap(), original);
    }
    once
}

pub(super) fn png_with(add: impl FnOnce(&mut ::png::Writer<&mut Vec<u8>>)) -> Vec<u8> {
    let mut out = Vec::new();
    let mut encoder = ::png::Encoder::new(&mut out, 2, 2);
    encoder.set_color(::png::ColorType::Rgb);
    let mut writer = encoder.write_header().unwrap();
    writer.write_image_data(&[7; 12]).unwrap();
    add(&mut writer);
    writer.finish().unwrap();
    out
}
