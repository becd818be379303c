//! PNG: the text goes in an uncompressed `iTXt` chunk right after IHDR; A1111's `tEXt`, `zTXt`
//! and `iTXt` chunks are read too. Other chunks are copied as they are, CRCs and all.

use super::{Chunk, EmbedError, KEY, be32, fourcc};
use image::ImageDecoder;
use std::io::Cursor;

/// The eight bytes every PNG file starts with.
pub(super) const PNG_SIGNATURE: &[u8] = b"\x89PNG\r\n\x1a\n";
/// The largest chunk PNG allows (2^31 - 1 bytes).
const PNG_MAX_CHUNK: usize = 0x7FFF_FFFF;

/// The PNG chunks through IEND, and the bytes after IEND (`None` if the file is cut off or
/// damaged; the chunks read so far are still returned).
pub(super) fn png_chunks(bytes: &[u8]) -> (Vec<Chunk<'_>>, Option<&[u8]>) {
    let mut chunks = Vec::new();
    let mut pos = PNG_SIGNATURE.len();
    while let (Some(len), Some(kind)) = (be32(bytes, pos), fourcc(bytes, pos + 4)) {
        let Some(end) = (len as usize).checked_add(pos + 12) else {
            break;
        };
        let Some(raw) = bytes.get(pos..end) else {
            break;
        };
        chunks.push(Chunk { kind, data: &raw[8..raw.len() - 4], raw });
        pos = end;
        if &kind == b"IEND" {
            return (chunks, Some(&bytes[pos..]));
        }
    }
    (chunks, None)
}

/// Appends a chunk: length, type, data and the CRC of type and data.
fn write_png_chunk(out: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) -> Result<(), EmbedError> {
    if data.len() > PNG_MAX_CHUNK {
        return Err(EmbedError::TooLong { size: data.len(), max: PNG_MAX_CHUNK });
    }
    let mut crc = crc32fast::Hasher::new();
    crc.update(kind);
    crc.update(data);
    out.extend((data.len() as u32).to_be_bytes());
    out.extend(kind);
    out.extend(data);
    out.extend(crc.finalize().to_be_bytes());
    Ok(())
}

/// Whether a chunk is a text chunk under the "parameters" keyword, in any of the three kinds.
pub(super) fn is_png_parameters(c: &Chunk<'_>) -> bool {
    matches!(&c.kind, b"tEXt" | b"zTXt" | b"iTXt") && c.data.starts_with(KEY) && c.data.get(KEY.len()) == Some(&0)
}

/// The file with `text` in an `iTXt` chunk right after IHDR (or with none, for `None`), every
/// other "parameters" chunk dropped and all other chunks copied as they are.
pub(super) fn rebuild(bytes: &[u8], text: Option<&str>) -> Result<Vec<u8>, EmbedError> {
    let (chunks, trailer) = png_chunks(bytes);
    let trailer = trailer.ok_or(EmbedError::Damaged("it is cut off"))?;
    let (ihdr, rest) =
        chunks.split_first().filter(|(c, _)| &c.kind == b"IHDR").ok_or(EmbedError::Damaged("its header is missing"))?;
    if text.is_none() && !rest.iter().any(is_png_parameters) {
        return Ok(bytes.to_vec());
    }
    let mut out = Vec::with_capacity(bytes.len() + text.map_or(0, |t| t.len() + 32));
    out.extend(PNG_SIGNATURE);
    out.extend(ihdr.raw);
    if let Some(text) = text {
        // why: uncompressed, so tools without an inflate can read it too (the five zeros end the keyword, give
        // compression flag and method, and end the empty language tag and translated keyword)
        let data = [KEY, &[0; 5], text.as_bytes()].concat();
        write_png_chunk(&mut out, b"iTXt", &data)?;
    }
    rest.iter().filter(|c| !is_png_parameters(c)).for_each(|c| out.extend(c.raw));
    out.extend(trailer);
    Ok(out)
}

/// The text of the first "parameters" chunk: `tEXt` (Latin-1), `zTXt` (Latin-1, compressed) or
/// `iTXt` (UTF-8, compressed or not).
pub(super) fn read(bytes: &[u8]) -> Option<String> {
    let (chunks, _) = png_chunks(bytes);
    chunks.iter().filter(|c| is_png_parameters(c)).find_map(|c| {
        let body = &c.data[KEY.len() + 1..];
        match &c.kind {
            b"tEXt" => Some(body.iter().map(|&b| char::from(b)).collect()),
            b"zTXt" => png_inflate(b"zTXt", body),
            _ => {
                let (&compressed, after) = body.split_first()?;
                let after = after.get(1..)?;
                let after = &after[after.iter().position(|&b| b == 0)? + 1..];
                let text = &after[after.iter().position(|&b| b == 0)? + 1..];
                if compressed == 0 {
                    Some(String::from_utf8_lossy(text).into_owned())
                } else {
                    png_inflate(b"iTXt", body)
                }
            }
        }
    })
}

/// Decompresses the text of a zTXt chunk or a compressed iTXt chunk (`body`: everything after
/// the keyword's NUL). Why this way: Easel has no inflate of its own, so the chunk is put into a
/// tiny 1x1 PNG under a keyword that `image`'s PNG decoder hands back decompressed (its IPTC
/// keyword for zTXt, decoded as Latin-1; its XMP keyword for iTXt), with a 2 MiB limit.
fn png_inflate(kind: &[u8; 4], body: &[u8]) -> Option<String> {
    let keyword: &[u8] = if kind == b"zTXt" { b"Raw profile type iptc" } else { b"XML:com.adobe.xmp" };
    let mut png = PNG_SIGNATURE.to_vec();
    write_png_chunk(&mut png, b"IHDR", &[0, 0, 0, 1, 0, 0, 0, 1, 8, 0, 0, 0, 0]).ok()?;
    write_png_chunk(&mut png, kind, &[keyword, &[0], body].concat()).ok()?;
    // why: the decoder reads text chunks only up to the picture data, so there must be some: one row
    // (filter byte 0, one grey pixel) in a zlib stream with one stored block
    write_png_chunk(&mut png, b"IDAT", &[0x78, 0x01, 0x01, 0x02, 0x00, 0xFD, 0xFF, 0, 0, 0x00, 0x02, 0x00, 0x01])
        .ok()?;
    write_png_chunk(&mut png, b"IEND", &[]).ok()?;
    let mut decoder = image::codecs::png::PngDecoder::new(Cursor::new(png)).ok()?;
    let text = if kind == b"zTXt" { decoder.iptc_metadata() } else { decoder.xmp_metadata() };
    String::from_utf8(text.ok()??).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::library::embed::test_support::{A1111, check, encoded, entries_and_data, png_with, text};
    use crate::library::embed::{embed, read_parameters};
    use image::ImageFormat;

    #[test]
    fn png_round_trip() {
        let once = check(&encoded(ImageFormat::Png), true);
        let chunks = png_chunks(&once).0;
        assert_eq!((&chunks[0].kind, &chunks[1].kind), (b"IHDR", b"iTXt"));
        let mut reader = ::png::Decoder::new(Cursor::new(&once)).read_info().unwrap();
        let chunk = reader.info().utf8_text.iter().find(|c| c.keyword == "parameters").unwrap().clone();
        assert!(!chunk.compressed && chunk.language_tag.is_empty() && chunk.translated_keyword.is_empty());
        assert_eq!(chunk.get_text().unwrap(), text());
        let mut buf = vec![0; reader.output_buffer_size().unwrap()];
        reader.next_frame(&mut buf).unwrap();
    }

    #[test]
    fn reads_a1111_png_text_chunks() {
        let latin1 = format!("{A1111}, Note: café");
        let plain = png_with(|w| {
            w.write_text_chunk(&::png::text_metadata::TEXtChunk::new("parameters", latin1.clone())).unwrap();
        });
        assert_eq!(read_parameters(&plain), Some(latin1.clone()));
        let ztxt = png_with(|w| {
            w.write_text_chunk(&::png::text_metadata::ZTXtChunk::new("parameters", latin1.clone())).unwrap();
        });
        assert_eq!(read_parameters(&ztxt), Some(latin1));
        let mut itxt = ::png::text_metadata::ITXtChunk::new("parameters", text());
        itxt.compressed = true;
        let itxt = png_with(|w| w.write_text_chunk(&itxt).unwrap());
        assert_eq!(read_parameters(&itxt), Some(text()));
        let replaced = embed(&itxt, "new\nModel: m").unwrap();
        assert_eq!((read_parameters(&replaced).as_deref(), entries_and_data(&replaced).0), (Some("new\nModel: m"), 1));
    }
}
