//! JPEG: the text goes in an XMP packet in an APP1 segment, after the JFIF and Exif segments
//! that readers expect first; A1111's EXIF `UserComment` is read too. Everything from the scan
//! on is copied as it is.

use super::exif::{EXIF_SIGNATURE, user_comment};
use super::{Damage, EmbedError, be16, xmp};

/// What starts an XMP packet's APP1 segment.
const XMP_SIGNATURE: &[u8] = b"http://ns.adobe.com/xap/1.0/\0";
/// The most a JPEG segment can carry after its two length bytes.
pub(super) const JPEG_MAX_PAYLOAD: usize = 65_533;

/// A JPEG marker segment before the scan: its marker, its payload and all its bytes.
pub(super) struct Segment<'a> {
    marker: u8,
    payload: &'a [u8],
    raw: &'a [u8],
}

/// The JPEG segments between SOI and the first scan, and the bytes from the scan (SOS) on
/// (`None` if no scan was found; the segments read so far are still returned).
pub(super) fn jpeg_segments(bytes: &[u8]) -> (Vec<Segment<'_>>, Option<&[u8]>) {
    let mut segments = Vec::new();
    let mut pos = 2;
    while bytes.get(pos) == Some(&0xFF) {
        let start = pos;
        while bytes.get(pos) == Some(&0xFF) {
            pos += 1;
        }
        let Some(&marker) = bytes.get(pos) else { break };
        pos += 1;
        match marker {
            0xDA => return (segments, Some(&bytes[start..])),
            0x01 | 0xD0..=0xD7 => {
                segments.push(Segment { marker, payload: &[], raw: &bytes[start..pos] });
                continue;
            }
            0x00 | 0xD8 | 0xD9 => break,
            _ => {}
        }
        let Some(len) = be16(bytes, pos).map(usize::from).filter(|&n| n >= 2) else {
            break;
        };
        let Some(raw) = bytes.get(start..pos + len) else {
            break;
        };
        segments.push(Segment { marker, payload: &bytes[pos + 2..pos + len], raw });
        pos += len;
    }
    (segments, None)
}

/// Whether a segment is the APP1 segment that holds XMP.
pub(super) fn is_xmp(s: &Segment<'_>) -> bool {
    s.marker == 0xE1 && s.payload.starts_with(XMP_SIGNATURE)
}

/// Whether a segment is the APP1 segment that holds EXIF.
fn is_exif(s: &Segment<'_>) -> bool {
    s.marker == 0xE1 && s.payload.starts_with(EXIF_SIGNATURE)
}

/// Whether a segment is kept when a picture is rebuilt: everything that decodes the picture
/// (tables, frame, restart interval), JFIF (APP0), the colour profile (APP2 `ICC_PROFILE`) and
/// Adobe's colour transform (APP14). EXIF, XMP, comments and every other application segment go:
/// whoever made the file (a relay) chose their bytes, the key of a request among them, perhaps.
fn is_kept(s: &Segment<'_>) -> bool {
    match s.marker {
        0xE0 | 0xEE => true,
        0xE2 => s.payload.starts_with(b"ICC_PROFILE\0"),
        0xE1 | 0xE3..=0xED | 0xEF | 0xFE => false,
        _ => true,
    }
}

/// The scan as far as its end (EOI): anything a file carries after it is not the picture's.
fn scan_to_end(scan: &[u8]) -> &[u8] {
    // Inside the entropy-coded data a 0xFF byte is always followed by 0x00 or a restart marker,
    // so the first 0xFF 0xD9 is the picture's end.
    scan.windows(2).position(|w| w == [0xFF, 0xD9]).map_or(scan, |at| &scan[..at + 2])
}

/// The file with `text` in an XMP segment after JFIF (or with none, for `None`): EXIF, XMP,
/// comments and other application segments dropped, and anything after the picture's end; the
/// picture's segments and scan copied as they are.
pub(super) fn rebuild(bytes: &[u8], text: Option<&str>) -> Result<Vec<u8>, EmbedError> {
    let (segments, scan) = jpeg_segments(bytes);
    let scan = scan.ok_or(EmbedError::Damaged(Damage::NoPictureData))?;
    let kept: Vec<&Segment<'_>> = segments.iter().filter(|s| is_kept(s)).collect();
    let picture_end = scan_to_end(scan);
    if text.is_none() && kept.len() == segments.len() && picture_end.len() == scan.len() {
        return Ok(bytes.to_vec());
    }
    let at = kept.iter().take_while(|s| s.marker == 0xE0).count();
    let mut out = Vec::with_capacity(bytes.len() + text.map_or(0, |t| 2 * t.len() + 600));
    out.extend(&bytes[..2]);
    kept[..at].iter().for_each(|s| out.extend(s.raw));
    if let Some(text) = text {
        let payload = [XMP_SIGNATURE, xmp::packet(text).as_bytes()].concat();
        if payload.len() > JPEG_MAX_PAYLOAD {
            return Err(EmbedError::TooLong { size: payload.len(), max: JPEG_MAX_PAYLOAD });
        }
        out.extend([0xFF, 0xE1]);
        out.extend(((payload.len() + 2) as u16).to_be_bytes());
        out.extend(payload);
    }
    kept[at..].iter().for_each(|s| out.extend(s.raw));
    out.extend(picture_end);
    Ok(out)
}

/// The parameters text of a JPEG: its XMP packet's, else its EXIF `UserComment`.
pub(super) fn read(bytes: &[u8]) -> Option<String> {
    let (segments, _) = jpeg_segments(bytes);
    let xmp = segments.iter().find(|s| is_xmp(s)).and_then(|s| xmp::read(&s.payload[XMP_SIGNATURE.len()..]));
    xmp.or_else(|| {
        segments.iter().filter(|s| is_exif(s)).find_map(|s| user_comment(&s.payload[EXIF_SIGNATURE.len()..]))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::library::embed::embed;
    use crate::library::embed::test_support::{check, encoded, independent_xmp, text};
    use crate::library::embed::xmp::xml_escape;
    use image::ImageFormat;

    #[test]
    fn jpeg_round_trip() {
        let original = encoded(ImageFormat::Jpeg);
        let once = check(&original, true);
        assert!(independent_xmp(&once).contains(&xml_escape(&text())));
        assert!(independent_xmp(&once).contains("<dc:description><rdf:Alt><rdf:li xml:lang=\"x-default\">"));
        let too_long = embed(&original, &"長".repeat(30_000)).unwrap_err();
        assert!(matches!(too_long, EmbedError::TooLong { max: JPEG_MAX_PAYLOAD, .. }), "{too_long}");
    }
}
