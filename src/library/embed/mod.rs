//! Settings inside the picture file: a `parameters` text in the A1111 style, added to PNG as an
//! `iTXt` chunk and to JPEG and WebP as XMP, without re-encoding the picture data (only metadata
//! chunks and segments are added, removed or replaced). Also reads such text back from files made
//! by Easel, A1111 and other tools.
//!
//! Each container has its own module (`png`, `jpeg`, `webp`) that finds and rewrites its chunks
//! or segments; `xmp` writes and reads the XMP packet JPEG and WebP carry, `exif` reads the EXIF
//! comment A1111 leaves in them, and `parameters` makes and parses the text itself.

mod error;
mod exif;
mod jpeg;
mod parameters;
mod png;
#[cfg(test)]
mod test_support;
mod webp;
mod xmp;

pub use error::{Damage, EmbedError};
pub use parameters::{Parameters, parameters_text};

use crate::api::OutputFormat;
use crate::api::response::sniff_format;

/// The key the text is kept under, as A1111 and the tools that read its pictures expect.
const KEY: &[u8] = b"parameters";

/// `bytes` with `text` embedded under the key "parameters", and nothing else of text: whatever
/// text, EXIF, XMP, comments or unknown chunks the file carried (a relay's, perhaps with the
/// request's key in them) are removed first, with any bytes after the picture's end (see
/// [`strip`]). PNG: an uncompressed `iTXt` chunk right after IHDR. JPEG: an XMP APP1 segment
/// after SOI and JFIF. WebP: an `XMP ` chunk, turning a simple file into an extended one (VP8X)
/// if needed. The picture data is copied byte for byte.
pub fn embed(bytes: &[u8], text: &str) -> Result<Vec<u8>, EmbedError> {
    rebuild(bytes, Some(text))
}

/// `bytes` with only what shows the picture: its data, and what says how it looks (colour
/// profile and space, transparency, density) or moves (animation). Text of any kind (the
/// "parameters" entry too), EXIF, XMP, comments, chunks and segments of unknown purpose and
/// anything after the picture's end are removed. A file with nothing to remove comes back
/// unchanged.
pub fn strip(bytes: &[u8]) -> Result<Vec<u8>, EmbedError> {
    rebuild(bytes, None)
}

fn rebuild(bytes: &[u8], text: Option<&str>) -> Result<Vec<u8>, EmbedError> {
    match sniff_format(bytes).ok_or(EmbedError::UnknownFormat)? {
        OutputFormat::Png => png::rebuild(bytes, text),
        OutputFormat::Jpeg => jpeg::rebuild(bytes, text),
        OutputFormat::Webp => webp::rebuild(bytes, text),
    }
}

/// The "parameters" text of a file, if it has one. PNG: `tEXt`, `zTXt` or `iTXt` chunks with
/// that keyword. JPEG: XMP (`easel:parameters`, else `dc:description`), else the EXIF
/// `UserComment` A1111 writes. WebP: the `XMP ` chunk, else the `EXIF` chunk's `UserComment`.
///
/// At most [`parameters::MAX_TEXT_CHARS`] characters of it: a file may carry megabytes of text,
/// which nothing in Easel reads further.
pub fn read_parameters(bytes: &[u8]) -> Option<String> {
    let mut text = match sniff_format(bytes)? {
        OutputFormat::Png => png::read(bytes),
        OutputFormat::Jpeg => jpeg::read(bytes),
        OutputFormat::Webp => webp::read(bytes),
    }?;
    crate::outside::truncate_chars(&mut text, parameters::MAX_TEXT_CHARS);
    Some(text)
}

fn be16(b: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_be_bytes(b.get(at..at.checked_add(2)?)?.try_into().ok()?))
}

fn be32(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_be_bytes(b.get(at..at.checked_add(4)?)?.try_into().ok()?))
}

fn le32(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes(b.get(at..at.checked_add(4)?)?.try_into().ok()?))
}

fn fourcc(b: &[u8], at: usize) -> Option<[u8; 4]> {
    b.get(at..at.checked_add(4)?)?.try_into().ok()
}

/// A PNG chunk or RIFF chunk: its type, its data, and all its bytes as they are in the file.
struct Chunk<'a> {
    kind: [u8; 4],
    data: &'a [u8],
    raw: &'a [u8],
}

#[cfg(test)]
mod tests {
    use super::png::PNG_SIGNATURE;
    use super::test_support::{A1111, VP8_WEBP, encoded, png_with, text};
    use super::*;
    use image::ImageFormat;

    #[test]
    fn garbage_never_panics() {
        let mut samples = vec![
            Vec::new(),
            b"hello".to_vec(),
            PNG_SIGNATURE.to_vec(),
            vec![0xFF, 0xD8, 0xFF],
            b"RIFF\0\0\0\0WEBP".to_vec(),
        ];
        for format in [ImageFormat::Png, ImageFormat::Jpeg, ImageFormat::WebP] {
            samples.push(embed(&encoded(format), &text()).unwrap());
        }
        samples.push(embed(VP8_WEBP, &text()).unwrap());
        samples.push(png_with(|w| {
            w.write_text_chunk(&::png::text_metadata::ZTXtChunk::new("parameters", A1111)).unwrap();
        }));
        let mut seed = 0x2545_F491_4F6C_DD1Du64;
        let mut inputs = Vec::new();
        for s in &samples {
            inputs.extend((0..s.len()).map(|n| s[..n].to_vec()));
            for _ in 0..200 {
                let mut bad = s.clone();
                for _ in 0..4 {
                    seed ^= seed << 13;
                    seed ^= seed >> 7;
                    seed ^= seed << 17;
                    if !bad.is_empty() {
                        // why: most bytes are picture data; the structure is near the start
                        let i = (seed as usize) % bad.len().min(if seed & 1 == 0 { 96 } else { usize::MAX });
                        bad[i] = (seed >> 32) as u8;
                    }
                }
                inputs.push(bad);
            }
        }
        assert!(inputs.len() > 5000);
        for input in &inputs {
            let _ = read_parameters(input);
            let _ = embed(input, "x\nModel: m");
            let _ = strip(input);
        }
        assert_eq!(embed(b"GIF89a....", "x"), Err(EmbedError::UnknownFormat));
        let png = encoded(ImageFormat::Png);
        assert_eq!(embed(&png[..png.len() - 3], "x"), Err(EmbedError::Damaged(Damage::CutOff)));
        assert_eq!(strip(&VP8_WEBP[..40]), Err(EmbedError::Damaged(Damage::CutOff)));
        assert_eq!(read_parameters(&samples[5][..60]), None);
        assert!(!format!("{}", EmbedError::Damaged(Damage::CutOff)).contains("Damaged"));
    }
}
