//! EXIF, as A1111 writes it into JPEG and WebP: the text in the `UserComment` tag.

use super::{be16, be32};

/// What starts an EXIF block in a JPEG APP1 segment (and, from some writers, a WebP `EXIF` chunk).
pub(super) const EXIF_SIGNATURE: &[u8] = b"Exif\0\0";

/// The `UserComment` (tag 0x9286) of a TIFF-structured EXIF block, as A1111 writes it.
pub(super) fn user_comment(tiff: &[u8]) -> Option<String> {
    let big = match tiff.get(..4)? {
        b"MM\0*" => true,
        b"II*\0" => false,
        _ => return None,
    };
    let u16_at = |at: usize| be16(tiff, at).map(|v| if big { v } else { v.swap_bytes() });
    let u32_at = |at: usize| be32(tiff, at).map(|v| if big { v } else { v.swap_bytes() });
    let find = |ifd: usize, tag: u16| {
        let n = usize::from(u16_at(ifd)?);
        let entry = (0..n).map(|i| ifd.saturating_add(2 + 12 * i)).find(|&e| u16_at(e) == Some(tag))?;
        Some((u32_at(entry + 4)? as usize, entry + 8))
    };
    let ifd0 = u32_at(4)? as usize;
    let exif_ifd = find(ifd0, 0x8769).and_then(|(_, at)| u32_at(at));
    let (count, at) = exif_ifd.and_then(|o| find(o as usize, 0x9286)).or_else(|| find(ifd0, 0x9286))?;
    let start = if count <= 4 { at } else { u32_at(at)? as usize };
    let data = tiff.get(start..start.checked_add(count)?)?;
    let (prefix, body) = (data.get(..8)?, &data[8..]);
    let text = if prefix == b"UNICODE\0" {
        let (big, body) = match body {
            [0xFE, 0xFF, rest @ ..] => (true, rest),
            [0xFF, 0xFE, rest @ ..] => (false, rest),
            _ => (big, body),
        };
        let units = body
            .chunks_exact(2)
            .map(|u| if big { u16::from_be_bytes([u[0], u[1]]) } else { u16::from_le_bytes([u[0], u[1]]) });
        char::decode_utf16(units).map(|c| c.unwrap_or(char::REPLACEMENT_CHARACTER)).collect()
    } else {
        // why: "ASCII" and undefined comments are UTF-8 in practice
        String::from_utf8_lossy(body).into_owned()
    };
    let text = text.trim_end_matches('\0');
    (!text.is_empty()).then(|| text.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::library::embed::test_support::{A1111, VP8_WEBP, encoded, pixels};
    use crate::library::embed::webp::write_riff_chunk;
    use crate::library::embed::{embed, read_parameters, strip};
    use image::ImageFormat;

    /// An EXIF block with one `UserComment` in the Exif IFD, as piexif writes it for A1111.
    fn exif(big: bool, comment: &[u8]) -> Vec<u8> {
        let u16b = |v: u16| if big { v.to_be_bytes() } else { v.to_le_bytes() };
        let u32b = |v: u32| if big { v.to_be_bytes() } else { v.to_le_bytes() };
        let mut t = if big { b"MM\0*".to_vec() } else { b"II*\0".to_vec() };
        t.extend(u32b(8));
        t.extend([&u16b(1)[..], &u16b(0x8769), &u16b(4), &u32b(1), &u32b(26), &u32b(0)].concat());
        t.extend([&u16b(1)[..], &u16b(0x9286), &u16b(7), &u32b(comment.len() as u32), &u32b(44), &u32b(0)].concat());
        t.extend(comment);
        t
    }

    #[test]
    fn reads_exif_user_comment() {
        let jpeg = encoded(ImageFormat::Jpeg);
        let utf16 = |big: bool| {
            A1111
                .encode_utf16()
                .flat_map(move |u| if big { u.to_be_bytes() } else { u.to_le_bytes() })
                .collect::<Vec<u8>>()
        };
        for (big, comment) in [
            (true, [&b"UNICODE\0"[..], &utf16(true)].concat()),
            (false, [&b"UNICODE\0"[..], &utf16(false)].concat()),
            (true, [&b"ASCII\0\0\0"[..], A1111.as_bytes()].concat()),
        ] {
            let payload = [EXIF_SIGNATURE, &exif(big, &comment)].concat();
            let segment = [&[0xFF, 0xE1][..], &((payload.len() + 2) as u16).to_be_bytes(), &payload].concat();
            let with_exif = [&jpeg[..2], &segment, &jpeg[2..]].concat();
            assert_eq!(read_parameters(&with_exif).as_deref(), Some(A1111));
            assert_eq!(pixels(&with_exif), pixels(&jpeg));
            // Read, but never kept: EXIF someone else wrote goes when Easel writes its own text.
            let embedded = embed(&with_exif, "xmp\nModel: m").unwrap();
            assert!(!embedded.windows(segment.len()).any(|w| w == &segment[..]));
            assert_eq!(read_parameters(&embedded).as_deref(), Some("xmp\nModel: m"));
            assert_eq!(strip(&embedded).unwrap(), jpeg);
            assert_eq!(strip(&with_exif).unwrap(), jpeg);
        }
        let webp = strip(&embed(VP8_WEBP, "x").unwrap()).unwrap();
        let mut body = webp[12..].to_vec();
        write_riff_chunk(
            &mut body,
            b"EXIF",
            &[EXIF_SIGNATURE, &exif(true, &[&b"UNICODE\0"[..], &utf16(true)].concat())].concat(),
        )
        .unwrap();
        let webp = [&b"RIFF"[..], &(body.len() as u32 + 4).to_le_bytes(), b"WEBP", &body].concat();
        assert_eq!(read_parameters(&webp).as_deref(), Some(A1111));
    }
}
