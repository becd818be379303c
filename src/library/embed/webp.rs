//! WebP: the text goes in an XMP packet in an `XMP ` chunk, which needs the extended format: a
//! simple file gets a VP8X chunk made from its bitstream's header. A1111's EXIF `UserComment`
//! is read too. The picture's chunks are copied as they are.

use super::exif::{EXIF_SIGNATURE, user_comment};
use super::{Chunk, Damage, EmbedError, fourcc, le32, xmp};

/// The VP8X flag saying the file has an `XMP ` chunk.
const VP8X_XMP: u8 = 0x04;
/// The VP8X flag saying the file has an `EXIF` chunk.
const VP8X_EXIF: u8 = 0x08;
/// The VP8X flag saying the picture has alpha.
const VP8X_ALPHA: u8 = 0x10;

/// The chunks of a WebP file, and the bytes after the RIFF data (`None` if the file is cut off
/// or damaged; the chunks read so far are still returned).
pub(super) fn webp_chunks(bytes: &[u8]) -> (Vec<Chunk<'_>>, Option<&[u8]>) {
    let mut chunks = Vec::new();
    let Some(end) = le32(bytes, 4).map(|n| (n as usize).saturating_add(8)).filter(|&e| e >= 12) else {
        return (chunks, None);
    };
    let body = bytes.get(..end).unwrap_or(bytes);
    let mut pos = 12;
    while pos < body.len() {
        let (Some(kind), Some(len)) = (fourcc(body, pos), le32(body, pos + 4)) else {
            return (chunks, None);
        };
        let Some(data) = (len as usize).checked_add(pos + 8).and_then(|e| body.get(pos + 8..e)) else {
            return (chunks, None);
        };
        let next = (pos + 8 + data.len() + data.len() % 2).min(body.len());
        chunks.push(Chunk { kind, data, raw: &body[pos..next] });
        pos = next;
    }
    (chunks, bytes.get(end..))
}

/// Appends a RIFF chunk: type, little-endian length, data and the pad byte odd lengths need.
pub(super) fn write_riff_chunk(out: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) -> Result<(), EmbedError> {
    let len =
        u32::try_from(data.len()).map_err(|_| EmbedError::TooLong { size: data.len(), max: u32::MAX as usize })?;
    out.extend(kind);
    out.extend(len.to_le_bytes());
    out.extend(data);
    if data.len() % 2 == 1 {
        out.push(0);
    }
    Ok(())
}

/// Canvas width, height and whether it has alpha, from a simple WebP's VP8 or VP8L bitstream.
fn webp_canvas(c: &Chunk<'_>) -> Result<(u32, u32, bool), EmbedError> {
    let d = c.data;
    let bad = EmbedError::Damaged(Damage::UnreadablePictureHeader);
    if &c.kind == b"VP8L" {
        let bits = le32(d, 1).filter(|_| d[0] == 0x2F).ok_or(bad)?;
        return Ok(((bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1, (bits >> 28) & 1 == 1));
    }
    let ok = d.len() >= 10 && d[0] & 1 == 0 && d[3..6] == [0x9D, 0x01, 0x2A];
    let size = |at: usize| u32::from(u16::from_le_bytes([d[at], d[at + 1]]) & 0x3FFF);
    match ok.then(|| (size(6), size(8))) {
        Some((w, h)) if w > 0 && h > 0 => Ok((w, h, false)),
        _ => Err(bad),
    }
}

/// Whether a chunk after the first is kept when a picture is rebuilt: the picture's own
/// (bitstreams, alpha, animation) and its colour profile. EXIF, XMP and chunks of unknown
/// purpose go: whoever made the file (a relay) chose their bytes, the key of a request among
/// them, perhaps.
fn is_kept(c: &Chunk<'_>) -> bool {
    matches!(&c.kind, b"VP8 " | b"VP8L" | b"ALPH" | b"ANIM" | b"ANMF" | b"ICCP")
}

/// The file with `text` in an `XMP ` chunk at the end (or with none, for `None`), the VP8X
/// chunk made or updated so its flags say so, EXIF, XMP, unknown chunks and anything after the
/// RIFF data dropped, and the picture's chunks copied as they are.
pub(super) fn rebuild(bytes: &[u8], text: Option<&str>) -> Result<Vec<u8>, EmbedError> {
    let (chunks, trailer) = webp_chunks(bytes);
    let trailer = trailer.ok_or(EmbedError::Damaged(Damage::CutOff))?;
    let first = chunks.first().ok_or(EmbedError::Damaged(Damage::NoPicture))?;
    if text.is_none() && chunks[1..].iter().all(is_kept) && trailer.is_empty() {
        return Ok(bytes.to_vec());
    }
    let mut body = b"WEBP".to_vec();
    let mut rest = &chunks[..];
    match &first.kind {
        b"VP8X" if first.data.len() >= 10 => {
            let mut data = first.data.to_vec();
            let flags = data[0] & !(VP8X_XMP | VP8X_EXIF);
            data[0] = if text.is_some() { flags | VP8X_XMP } else { flags };
            write_riff_chunk(&mut body, b"VP8X", &data)?;
            rest = &chunks[1..];
        }
        b"VP8 " | b"VP8L" if text.is_some() => {
            let (w, h, alpha) = webp_canvas(first)?;
            let flags = VP8X_XMP | if alpha { VP8X_ALPHA } else { 0 };
            let data = [&[flags, 0, 0, 0][..], &(w - 1).to_le_bytes()[..3], &(h - 1).to_le_bytes()[..3]].concat();
            write_riff_chunk(&mut body, b"VP8X", &data)?;
        }
        b"VP8 " | b"VP8L" => {}
        _ => return Err(EmbedError::Damaged(Damage::NoPictureData)),
    }
    for c in rest.iter().filter(|c| is_kept(c)) {
        body.extend(c.raw);
        if c.raw.len() % 2 == 1 {
            body.push(0);
        }
    }
    if let Some(text) = text {
        write_riff_chunk(&mut body, b"XMP ", xmp::packet(text).as_bytes())?;
    }
    let size =
        u32::try_from(body.len()).map_err(|_| EmbedError::TooLong { size: body.len(), max: u32::MAX as usize })?;
    Ok([&b"RIFF"[..], &size.to_le_bytes()[..], &body].concat())
}

/// The parameters text of a WebP: its `XMP ` chunk's, else its `EXIF` chunk's `UserComment`.
pub(super) fn read(bytes: &[u8]) -> Option<String> {
    let (chunks, _) = webp_chunks(bytes);
    let find = |kind: &[u8; 4]| chunks.iter().find(|c| &c.kind == kind).map(|c| c.data);
    find(b"XMP ")
        .and_then(xmp::read)
        .or_else(|| find(b"EXIF").and_then(|d| user_comment(d.strip_prefix(EXIF_SIGNATURE).unwrap_or(d))))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::library::embed::strip;
    use crate::library::embed::test_support::{VP8_WEBP, check, encoded, independent_xmp, text};
    use crate::library::embed::xmp::xml_escape;
    use image::ImageFormat;

    #[test]
    fn webp_round_trips() {
        let lossless = encoded(ImageFormat::WebP);
        assert_eq!(&webp_chunks(&lossless).0[0].kind, b"VP8L");
        assert_eq!(&webp_chunks(VP8_WEBP).0[0].kind, b"VP8 ");
        for original in [&lossless[..], VP8_WEBP] {
            let once = check(original, false);
            assert!(independent_xmp(&once).contains(&xml_escape(&text())));
            let chunks = webp_chunks(&once).0;
            let (w, h, _) = webp_canvas(&webp_chunks(original).0[0]).unwrap();
            assert_eq!(chunks[0].data[0] & VP8X_XMP, VP8X_XMP);
            assert_eq!(chunks[0].data[4..], [&(w - 1).to_le_bytes()[..3], &(h - 1).to_le_bytes()[..3]].concat());
            let stripped = strip(&once).unwrap();
            assert_eq!(webp_chunks(&stripped).0[0].data[0] & VP8X_XMP, 0);
            assert_eq!(check(&stripped, true).len(), once.len());
        }
    }
}
