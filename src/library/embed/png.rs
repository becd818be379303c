//! PNG: the text goes in an uncompressed `iTXt` chunk right after IHDR; A1111's `tEXt`, `zTXt`
//! and `iTXt` chunks are read too. Other chunks are copied as they are, CRCs and all.

use super::{Chunk, Damage, EmbedError, KEY, be32, fourcc};
use std::io::Read;

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

/// Whether a chunk is kept when a picture is rebuilt: the picture's own (every critical chunk),
/// and the ancillary chunks that say how it looks or moves (colour, transparency, density,
/// animation). Text, EXIF and any chunk of unknown purpose go: whoever made the file (a relay)
/// chose their bytes, the key of a request among them, perhaps.
fn is_kept(c: &Chunk<'_>) -> bool {
    #[rustfmt::skip]
    const LOOKS: &[&[u8; 4]] = &[
        b"cHRM", b"gAMA", b"iCCP", b"sBIT", b"sRGB", b"cICP", b"mDCv", b"cLLi", b"bKGD", b"hIST",
        b"tRNS", b"pHYs", b"sPLT", b"acTL", b"fcTL", b"fdAT",
    ];
    c.kind[0].is_ascii_uppercase() || LOOKS.contains(&&c.kind)
}

/// The file with `text` in an `iTXt` chunk right after IHDR (or with none, for `None`): every
/// text, EXIF and unknown ancillary chunk dropped, and anything after IEND; the picture's chunks
/// copied as they are.
pub(super) fn rebuild(bytes: &[u8], text: Option<&str>) -> Result<Vec<u8>, EmbedError> {
    let (chunks, trailer) = png_chunks(bytes);
    let trailer = trailer.ok_or(EmbedError::Damaged(Damage::CutOff))?;
    let (ihdr, rest) =
        chunks.split_first().filter(|(c, _)| &c.kind == b"IHDR").ok_or(EmbedError::Damaged(Damage::NoHeader))?;
    if text.is_none() && rest.iter().all(is_kept) && trailer.is_empty() {
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
    rest.iter().filter(|c| is_kept(c)).for_each(|c| out.extend(c.raw));
    Ok(out)
}

/// The text of the first "parameters" chunk: `tEXt` (Latin-1), `zTXt` (Latin-1, compressed) or
/// `iTXt` (UTF-8, compressed or not).
pub(super) fn read(bytes: &[u8]) -> Option<String> {
    let (chunks, _) = png_chunks(bytes);
    chunks.iter().filter(|c| is_png_parameters(c)).find_map(|c| {
        let body = &c.data[KEY.len() + 1..];
        // Only the start of a text of megabytes is ever read (four bytes a character at most).
        let body = &body[..body.len().min(4 * super::parameters::MAX_TEXT_CHARS + 64)];
        let latin1 = |b: &[u8]| b.iter().map(|&b| char::from(b)).collect();
        match &c.kind {
            b"tEXt" => Some(latin1(body)),
            b"zTXt" => match body.split_first()? {
                (0, stream) => inflate(stream).map(|t| latin1(&t)),
                _ => None,
            },
            _ => {
                let (&[compressed, method], after) = body.split_first_chunk()?;
                let after = &after[after.iter().position(|&b| b == 0)? + 1..];
                let text = &after[after.iter().position(|&b| b == 0)? + 1..];
                match (compressed, method) {
                    (0, _) => Some(String::from_utf8_lossy(text).into_owned()),
                    (_, 0) => inflate(text).map(|t| String::from_utf8_lossy(&t).into_owned()),
                    _ => None,
                }
            }
        }
    })
}

/// The most a compressed text may inflate to, as the `png` crate allows: a few kilobytes of
/// zlib can expand a thousandfold, and no prompt comes near this.
const MAX_INFLATED: u64 = 2 * 1024 * 1024;

/// A zlib stream's content (compression method 0, the only one PNG defines), or `None` if it is
/// damaged or longer than [`MAX_INFLATED`].
fn inflate(stream: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    flate2::read::ZlibDecoder::new(stream).take(MAX_INFLATED + 1).read_to_end(&mut out).ok()?;
    (out.len() as u64 <= MAX_INFLATED).then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::library::embed::test_support::{A1111, check, encoded, entries_and_data, png_with, text};
    use crate::library::embed::{embed, read_parameters};
    use image::ImageFormat;
    use std::io::Cursor;

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

    #[test]
    fn nobody_elses_text_is_kept() {
        let theirs = png_with(|w| {
            w.write_text_chunk(&::png::text_metadata::TEXtChunk::new("Comment", "sk-someone's key")).unwrap();
            w.write_chunk(::png::chunk::ChunkType(*b"keYs"), b"sk-someone's key").unwrap();
            w.write_chunk(::png::chunk::ChunkType(*b"pHYs"), &[0, 0, 11, 19, 0, 0, 11, 19, 1]).unwrap();
        });
        let theirs = [&theirs[..], b"sk-someone's key after the end"].concat();
        for kept in [embed(&theirs, "mine\nModel: m").unwrap(), crate::library::embed::strip(&theirs).unwrap()] {
            assert!(!kept.windows(4).any(|w| w == b"sk-s"), "someone's text is gone");
            let kinds: Vec<[u8; 4]> = png_chunks(&kept).0.iter().map(|c| c.kind).collect();
            assert!(kinds.contains(b"pHYs"), "how it looks stays");
            assert_eq!(entries_and_data(&kept).1, entries_and_data(&theirs).1, "the picture data, byte for byte");
            assert!(kept.ends_with(&[0xAE, 0x42, 0x60, 0x82]), "nothing after IEND");
        }
    }

    #[test]
    fn compressed_text_has_a_limit() {
        let ztxt = |len: usize| {
            png_with(|w| {
                w.write_text_chunk(&::png::text_metadata::ZTXtChunk::new("parameters", "a".repeat(len))).unwrap();
            })
        };
        let limit = MAX_INFLATED as usize;
        // Inflated whole, and then, like any text, read to its first characters only.
        let read = super::super::parameters::MAX_TEXT_CHARS;
        assert_eq!(read_parameters(&ztxt(limit)).map(|t| t.len()), Some(read));
        assert_eq!(read_parameters(&ztxt(limit + 1)), None, "a zlib bomb is not inflated past the limit");
    }
}
