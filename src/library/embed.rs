//! Settings inside the picture file: a `parameters` text in the A1111 style, added to PNG as an
//! `iTXt` chunk and to JPEG and WebP as XMP, without re-encoding the picture data (only metadata
//! chunks and segments are added, removed or replaced). Also reads such text back from files made
//! by Easel, A1111 and other tools.

use super::ImageMeta;
use crate::api::response::sniff_format;
use crate::api::{Background, ImageRequest, Moderation, OutputFormat, Quality, Size};
use image::ImageDecoder;
use std::io::Cursor;

/// The key the text is kept under, as A1111 and the tools that read its pictures expect.
const KEY: &[u8] = b"parameters";
const PNG_SIGNATURE: &[u8] = b"\x89PNG\r\n\x1a\n";
const XMP_SIGNATURE: &[u8] = b"http://ns.adobe.com/xap/1.0/\0";
const EXIF_SIGNATURE: &[u8] = b"Exif\0\0";
const EASEL_NS: &str = "https://easel.app/ns/1.0/";
/// The most a JPEG segment can carry after its two length bytes.
const JPEG_MAX_PAYLOAD: usize = 65_533;
/// The largest chunk PNG allows (2^31 - 1 bytes).
const PNG_MAX_CHUNK: usize = 0x7FFF_FFFF;
const VP8X_XMP: u8 = 0x04;
const VP8X_ALPHA: u8 = 0x10;
/// Keys of which at least one must be on a last line for it to count as the settings line.
#[rustfmt::skip]
const KNOWN_KEYS: &[&str] = &[
    "Steps", "Sampler", "Size", "Model", "Model hash", "Seed", "CFG scale", "Quality", "Format", "Endpoint", "Created",
    "Schedule type", "Denoising strength", "Clip skip", "Version",
];

/// Why settings could not be put into or read from a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EmbedError {
    UnknownFormat,
    /// What is wrong, in English (a parser's finding; shown inside a translated sentence).
    Damaged(&'static str),
    TooLong {
        size: usize,
        max: usize,
    },
}

impl std::fmt::Display for EmbedError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let zh = crate::i18n::current() == crate::i18n::Lang::ZhCn;
        match (self, zh) {
            (EmbedError::UnknownFormat, false) => {
                f.write_str("the file is not a PNG, JPEG or WebP picture, so its settings cannot be kept inside it")
            }
            (EmbedError::UnknownFormat, true) => f.write_str("这个文件不是 PNG、JPEG 或 WebP 图片，无法在其中保存设置"),
            (EmbedError::Damaged(why), false) => {
                write!(f, "the picture file is damaged ({why}), so it was left as it was")
            }
            (EmbedError::Damaged(why), true) => write!(f, "图片文件已损坏（{why}），因此保持原样"),
            (EmbedError::TooLong { size, max }, false) => write!(
                f,
                "the prompt and settings are too long to fit inside this picture file ({size} bytes, at most {max}), so they were not added"
            ),
            (EmbedError::TooLong { size, max }, true) => {
                write!(f, "提示词和设置太长（{size} 字节，最多 {max}），放不进这个图片文件，因此没有写入")
            }
        }
    }
}

impl std::error::Error for EmbedError {}

/// The A1111-style text for a picture: the prompt, a newline, then one settings line
/// `Model: …, Size: WxH, Quality: …, Format: …, [Background: …, Compression: …, Moderation: …,]
/// Endpoint: …, Created: …`. Size is the real size returned; Endpoint is the endpoint's name
/// (its URL when it has no name). Values containing a comma, `": "`, a quote, a line break or
/// spaces at either end are written as JSON strings, as A1111 does.
pub fn parameters_text(meta: &ImageMeta) -> String {
    let r = &meta.request;
    let mut fields = vec![
        ("Model", r.model.clone()),
        ("Size", format!("{}x{}", meta.width, meta.height)),
        ("Quality", r.quality.wire().to_string()),
        ("Format", meta.format.wire().to_string()),
    ];
    if let Some(b) = r.background {
        fields.push(("Background", b.wire().to_string()));
    }
    if let Some(c) = r.output_compression {
        fields.push(("Compression", c.to_string()));
    }
    if let Some(m) = r.moderation {
        fields.push(("Moderation", m.wire().to_string()));
    }
    let endpoint = if meta.endpoint_name.trim().is_empty() { &meta.endpoint } else { &meta.endpoint_name };
    fields.push(("Endpoint", endpoint.clone()));
    fields.push(("Created", meta.created.clone()));
    let line: Vec<String> = fields.iter().map(|(k, v)| format!("{k}: {}", quote(v))).collect();
    format!("{}\n{}", r.prompt, line.join(", "))
}

fn quote(value: &str) -> String {
    if value.contains([',', '"', '\n', '\r']) || value.contains(": ") || value.trim() != value {
        serde_json::Value::from(value).to_string()
    } else {
        value.to_string()
    }
}

/// `bytes` with `text` embedded under the key "parameters", replacing any such entry already
/// there. PNG: an uncompressed `iTXt` chunk right after IHDR (older tEXt/zTXt/iTXt "parameters"
/// chunks are removed). JPEG: an XMP APP1 segment after SOI and any leading JFIF/Exif segments
/// (an older XMP segment is removed). WebP: an `XMP ` chunk, turning a simple file into an
/// extended one (VP8X) if needed. The picture data is copied byte for byte.
pub fn embed(bytes: &[u8], text: &str) -> Result<Vec<u8>, EmbedError> {
    rebuild(bytes, Some(text))
}

/// `bytes` without any "parameters" entry: PNG text chunks with that keyword, the JPEG XMP
/// segment, the WebP `XMP ` chunk (the VP8X chunk stays, its XMP flag cleared). Everything else
/// is byte-identical; a file without one comes back unchanged.
pub fn strip(bytes: &[u8]) -> Result<Vec<u8>, EmbedError> {
    rebuild(bytes, None)
}

fn rebuild(bytes: &[u8], text: Option<&str>) -> Result<Vec<u8>, EmbedError> {
    match sniff_format(bytes).ok_or(EmbedError::UnknownFormat)? {
        OutputFormat::Png => png_rebuild(bytes, text),
        OutputFormat::Jpeg => jpeg_rebuild(bytes, text),
        OutputFormat::Webp => webp_rebuild(bytes, text),
    }
}

/// The "parameters" text of a file, if it has one. PNG: `tEXt`, `zTXt` or `iTXt` chunks with
/// that keyword. JPEG: XMP (`easel:parameters`, else `dc:description`), else the EXIF
/// `UserComment` A1111 writes. WebP: the `XMP ` chunk, else the `EXIF` chunk's `UserComment`.
pub fn read_parameters(bytes: &[u8]) -> Option<String> {
    match sniff_format(bytes)? {
        OutputFormat::Png => png_read(bytes),
        OutputFormat::Jpeg => {
            let (segments, _) = jpeg_segments(bytes);
            let xmp = segments.iter().find(|s| is_xmp(s)).and_then(|s| xmp_text(&s.payload[XMP_SIGNATURE.len()..]));
            xmp.or_else(|| {
                segments.iter().filter(|s| is_exif(s)).find_map(|s| user_comment(&s.payload[EXIF_SIGNATURE.len()..]))
            })
        }
        OutputFormat::Webp => {
            let (chunks, _) = webp_chunks(bytes);
            let find = |kind: &[u8; 4]| chunks.iter().find(|c| &c.kind == kind).map(|c| c.data);
            find(b"XMP ")
                .and_then(xmp_text)
                .or_else(|| find(b"EXIF").and_then(|d| user_comment(d.strip_prefix(EXIF_SIGNATURE).unwrap_or(d))))
        }
    }
}

/// Settings parsed from a parameters text (Easel's or A1111's).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Parameters {
    pub prompt: String,
    pub negative_prompt: Option<String>,
    /// Every `Key: value` pair of the last line, in order, quotes removed (JSON-unescaped).
    pub fields: Vec<(String, String)>,
}

impl Parameters {
    /// Parses A1111's format: prompt lines, optional "Negative prompt: …" line(s), and a last line
    /// of `Key: value, Key: value` pairs (values may be JSON-quoted and contain commas).
    ///
    /// The settings line is always the last line, and it only counts as one if it is made of
    /// well-formed pairs with at least one known key (Model, Size, Steps, Sampler, Seed, …), so a
    /// prompt whose own last line reads like `a: b, c: d` stays prompt. Everything before the last
    /// newline is kept exactly, so Easel's prompts come back unchanged, except that a prompt line
    /// starting with "Negative prompt:" is read as the negative prompt, as A1111 does. A text
    /// without a recognisable settings line is all prompt.
    pub fn parse(text: &str) -> Parameters {
        let all_prompt = || Parameters { prompt: text.to_string(), ..Parameters::default() };
        let Some((head, last)) = text.rsplit_once('\n') else {
            return all_prompt();
        };
        let Some(fields) = settings_line(last) else {
            return all_prompt();
        };
        if !fields.iter().any(|(k, _)| KNOWN_KEYS.iter().any(|known| k.eq_ignore_ascii_case(known))) {
            return all_prompt();
        }
        const NEGATIVE: &str = "Negative prompt:";
        let at = if head.starts_with(NEGATIVE) { Some(0) } else { head.find("\nNegative prompt:").map(|i| i + 1) };
        let (prompt, negative_prompt) = match at {
            None => (head.to_string(), None),
            Some(i) => (head[..i.saturating_sub(1)].to_string(), Some(head[i + NEGATIVE.len()..].trim().to_string())),
        };
        Parameters { prompt, negative_prompt, fields }
    }

    /// A field's value by key, case-insensitive.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.fields.iter().find(|(k, _)| k.to_lowercase() == key.to_lowercase()).map(|(_, v)| v.as_str())
    }

    /// The request these settings describe, as far as Easel understands them: the prompt and
    /// any model, size, quality, format, background, compression and moderation given. Other
    /// tools' settings (steps, sampler…) have no counterpart and are left out.
    pub fn request(&self) -> ImageRequest {
        let mut r = ImageRequest::new(self.prompt.clone());
        let field = |k: &str| self.get(k).map(|v| v.trim().to_lowercase());
        if let Some(m) = self.get("Model").map(str::trim).filter(|m| !m.is_empty()) {
            r.model = m.to_string();
        }
        if let Some(s) = field("Size").and_then(|s| Size::parse(&s).ok()) {
            r.size = s;
        }
        if let Some(q) = field("Quality").and_then(|q| Quality::parse(&q).ok()) {
            r.quality = q;
        }
        if let Some(f) = field("Format")
            .map(|f| if f == "jpg" { "jpeg".into() } else { f })
            .and_then(|f| OutputFormat::parse(&f).ok())
        {
            r.format = f;
        }
        r.background = field("Background").and_then(|b| Background::parse(&b).ok());
        r.output_compression = field("Compression").and_then(|c| c.parse::<u8>().ok()).filter(|c| *c <= 100);
        r.moderation = field("Moderation").and_then(|m| Moderation::parse(&m).ok());
        r
    }
}

/// The `Key: value` pairs of a settings line, or `None` if the line is not made of them.
fn settings_line(line: &str) -> Option<Vec<(String, String)>> {
    let mut fields = Vec::new();
    let mut rest = line.trim();
    while !rest.is_empty() {
        let (key, after) = rest.split_once(':')?;
        let key = key.trim();
        if key.is_empty() || !key.chars().all(|c| c.is_alphanumeric() || " _-/".contains(c)) {
            return None;
        }
        let after = after.trim_start();
        let (value, next) = if after.starts_with('"') {
            let end = json_string_end(after)?;
            let next = after[end..].trim_start();
            (serde_json::from_str(&after[..end]).ok()?, if next.is_empty() { next } else { next.strip_prefix(',')? })
        } else {
            let (value, next) = after.split_once(',').unwrap_or((after, ""));
            (value.trim().to_string(), next)
        };
        fields.push((key.to_string(), value));
        rest = next.trim_start();
    }
    (!fields.is_empty()).then_some(fields)
}

/// Where the JSON string at the start of `s` ends (just after its closing quote).
fn json_string_end(s: &str) -> Option<usize> {
    let bytes = s.as_bytes();
    let mut i = 1;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b'"' => return Some(i + 1),
            _ => i += 1,
        }
    }
    None
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

/// The PNG chunks through IEND, and the bytes after IEND (`None` if the file is cut off or
/// damaged; the chunks read so far are still returned).
fn png_chunks(bytes: &[u8]) -> (Vec<Chunk<'_>>, Option<&[u8]>) {
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

fn is_png_parameters(c: &Chunk<'_>) -> bool {
    matches!(&c.kind, b"tEXt" | b"zTXt" | b"iTXt") && c.data.starts_with(KEY) && c.data.get(KEY.len()) == Some(&0)
}

fn png_rebuild(bytes: &[u8], text: Option<&str>) -> Result<Vec<u8>, EmbedError> {
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

fn png_read(bytes: &[u8]) -> Option<String> {
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

/// A JPEG marker segment before the scan: its marker, its payload and all its bytes.
struct Segment<'a> {
    marker: u8,
    payload: &'a [u8],
    raw: &'a [u8],
}

/// The JPEG segments between SOI and the first scan, and the bytes from the scan (SOS) on
/// (`None` if no scan was found; the segments read so far are still returned).
fn jpeg_segments(bytes: &[u8]) -> (Vec<Segment<'_>>, Option<&[u8]>) {
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

fn is_xmp(s: &Segment<'_>) -> bool {
    s.marker == 0xE1 && s.payload.starts_with(XMP_SIGNATURE)
}

fn is_exif(s: &Segment<'_>) -> bool {
    s.marker == 0xE1 && s.payload.starts_with(EXIF_SIGNATURE)
}

fn jpeg_rebuild(bytes: &[u8], text: Option<&str>) -> Result<Vec<u8>, EmbedError> {
    let (segments, scan) = jpeg_segments(bytes);
    let scan = scan.ok_or(EmbedError::Damaged("its picture data could not be found"))?;
    let kept: Vec<&Segment<'_>> = segments.iter().filter(|s| !is_xmp(s)).collect();
    if text.is_none() && kept.len() == segments.len() {
        return Ok(bytes.to_vec());
    }
    let at = kept.iter().take_while(|s| s.marker == 0xE0 || is_exif(s)).count();
    let mut out = Vec::with_capacity(bytes.len() + text.map_or(0, |t| 2 * t.len() + 600));
    out.extend(&bytes[..2]);
    kept[..at].iter().for_each(|s| out.extend(s.raw));
    if let Some(text) = text {
        let payload = [XMP_SIGNATURE, xmp_packet(text).as_bytes()].concat();
        if payload.len() > JPEG_MAX_PAYLOAD {
            return Err(EmbedError::TooLong { size: payload.len(), max: JPEG_MAX_PAYLOAD });
        }
        out.extend([0xFF, 0xE1]);
        out.extend(((payload.len() + 2) as u16).to_be_bytes());
        out.extend(payload);
    }
    kept[at..].iter().for_each(|s| out.extend(s.raw));
    out.extend(scan);
    Ok(out)
}

/// The chunks of a WebP file, and the bytes after the RIFF data (`None` if the file is cut off
/// or damaged; the chunks read so far are still returned).
fn webp_chunks(bytes: &[u8]) -> (Vec<Chunk<'_>>, Option<&[u8]>) {
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

fn write_riff_chunk(out: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) -> Result<(), EmbedError> {
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
    let bad = EmbedError::Damaged("its picture header cannot be read");
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

fn webp_rebuild(bytes: &[u8], text: Option<&str>) -> Result<Vec<u8>, EmbedError> {
    let (chunks, trailer) = webp_chunks(bytes);
    let trailer = trailer.ok_or(EmbedError::Damaged("it is cut off"))?;
    let first = chunks.first().ok_or(EmbedError::Damaged("it holds no picture"))?;
    if text.is_none() && !chunks.iter().any(|c| &c.kind == b"XMP ") {
        return Ok(bytes.to_vec());
    }
    let mut body = b"WEBP".to_vec();
    let mut rest = &chunks[..];
    match &first.kind {
        b"VP8X" if first.data.len() >= 10 => {
            let mut data = first.data.to_vec();
            data[0] = if text.is_some() { data[0] | VP8X_XMP } else { data[0] & !VP8X_XMP };
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
        _ => return Err(EmbedError::Damaged("its picture data could not be found")),
    }
    for c in rest.iter().filter(|c| &c.kind != b"XMP ") {
        body.extend(c.raw);
        if c.raw.len() % 2 == 1 {
            body.push(0);
        }
    }
    if let Some(text) = text {
        write_riff_chunk(&mut body, b"XMP ", xmp_packet(text).as_bytes())?;
    }
    let size =
        u32::try_from(body.len()).map_err(|_| EmbedError::TooLong { size: body.len(), max: u32::MAX as usize })?;
    Ok([&b"RIFF"[..], &size.to_le_bytes()[..], &body, trailer].concat())
}

/// An XMP packet holding `text` as `easel:parameters` and as `dc:description`.
fn xmp_packet(text: &str) -> String {
    format!(
        concat!(
            "<?xpacket begin=\"\u{feff}\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n",
            "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\">\n",
            " <rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">\n",
            "  <rdf:Description rdf:about=\"\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns:easel=\"{ns}\">\n",
            "   <easel:parameters>{t}</easel:parameters>\n",
            "   <dc:description><rdf:Alt><rdf:li xml:lang=\"x-default\">{t}</rdf:li></rdf:Alt></dc:description>\n",
            "  </rdf:Description>\n </rdf:RDF>\n</x:xmpmeta>\n<?xpacket end=\"w\"?>"
        ),
        ns = EASEL_NS,
        t = xml_escape(text)
    )
}

fn xml_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\n' | '\t' => out.push(c),
            // why: XML readers turn a raw CR into LF, so it is kept as a character reference
            c if c.is_control() => out.push_str(&format!("&#{};", u32::from(c))),
            c => out.push(c),
        }
    }
    out
}

fn xml_unescape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        let entity = rest.find(';').filter(|&e| e <= 10).map(|e| (&rest[1..e], e));
        let c = entity.and_then(|(name, _)| match name {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            _ => match name.strip_prefix("#x") {
                Some(hex) => u32::from_str_radix(hex, 16).ok().and_then(char::from_u32),
                None => name.strip_prefix('#')?.parse().ok().and_then(char::from_u32),
            },
        });
        match (c, entity) {
            (Some(c), Some((_, e))) => {
                out.push(c);
                rest = &rest[e + 1..];
            }
            _ => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// The content of the first `<name …>…</name>` element in `xml`.
fn xml_element<'a>(xml: &'a str, name: &str) -> Option<&'a str> {
    let open = format!("<{name}");
    let mut from = 0;
    while let Some(i) = xml[from..].find(&open).map(|i| i + from + open.len()) {
        from = i;
        let tag_end = i + xml[i..].find('>')?;
        if xml[i..tag_end].starts_with(|c: char| c.is_whitespace()) || i == tag_end {
            if xml[..tag_end].ends_with('/') {
                return None;
            }
            let end = xml[tag_end..].find(&format!("</{name}>"))? + tag_end;
            return Some(&xml[tag_end + 1..end]);
        }
    }
    None
}

/// The parameters text of an XMP packet: `easel:parameters` (element or attribute), else the
/// default `dc:description`.
fn xmp_text(packet: &[u8]) -> Option<String> {
    let xml = String::from_utf8_lossy(packet);
    if let Some(v) = xml_element(&xml, "easel:parameters") {
        return Some(xml_unescape(v));
    }
    if let Some((_, after)) = xml.split_once("easel:parameters=\"") {
        return Some(xml_unescape(after.split('"').next()?));
    }
    let items = xml_element(&xml, "dc:description")?.split("<rdf:li").skip(1);
    let is_default = |item: &&str| item.split('>').next().is_some_and(|tag| tag.contains("x-default"));
    let item = items.clone().find(is_default).or_else(|| items.clone().next())?;
    let content = item.split_once('>')?.1;
    Some(xml_unescape(content.split("</rdf:li>").next()?))
}

/// The `UserComment` (tag 0x9286) of a TIFF-structured EXIF block, as A1111 writes it.
fn user_comment(tiff: &[u8]) -> Option<String> {
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
    use crate::api::{Background, ImageRequest};
    use image::codecs::{jpeg::JpegDecoder, webp::WebPDecoder};
    use image::{DynamicImage, ImageFormat, Rgba, RgbaImage};

    /// A simple lossy (VP8) WebP, 3x2, as Pillow writes it.
    const VP8_WEBP: &[u8] = &[
        0x52, 0x49, 0x46, 0x46, 0x4a, 0x00, 0x00, 0x00, 0x57, 0x45, 0x42, 0x50, 0x56, 0x50, 0x38, 0x20, 0x3e, 0x00,
        0x00, 0x00, 0xd0, 0x01, 0x00, 0x9d, 0x01, 0x2a, 0x03, 0x00, 0x02, 0x00, 0x01, 0x40, 0x26, 0x25, 0xa8, 0x36,
        0xc0, 0x10, 0xe4, 0xe8, 0x00, 0x1c, 0xc0, 0x00, 0xfe, 0xf1, 0x4f, 0xf3, 0xbe, 0x6e, 0xe7, 0xca, 0x00, 0x5f,
        0xc5, 0xb4, 0x8f, 0x3d, 0x43, 0xdf, 0xfe, 0xdb, 0x7c, 0xc6, 0x3e, 0x7f, 0xd0, 0xff, 0xb8, 0xcf, 0xff, 0xad,
        0xbe, 0x63, 0x1f, 0x3f, 0xe8, 0x7e, 0xc2, 0x00, 0x00, 0x00,
    ];
    const A1111: &str = concat!(
        "a cat, best quality\nNegative prompt: blurry\n",
        "Steps: 20, Sampler: Euler a, CFG scale: 7, Seed: 42, Size: 512x512, Model hash: abc, Model: sd15, Lora hashes: \"x: 1, y: 2\""
    );

    fn meta(prompt: &str) -> ImageMeta {
        // why: from JSON, so fields added later with defaults need no change here
        serde_json::from_value(serde_json::json!({
            "version": 1, "file": "a.png", "group": "g", "index": 0, "count": 1, "request": ImageRequest::new(prompt),
            "endpoint": "https://api.example.com/v1", "endpoint_name": "QuickRouter", "created": "2025-01-02T03:04:05Z",
            "elapsed_secs": 1.0, "width": 1536, "height": 1024, "format": "png", "bytes": 0,
        }))
        .unwrap()
    }

    fn text() -> String {
        parameters_text(&meta("一只猫，坐在窗台上 & <阳光>\n\"风格\": 水彩, 细节: 高"))
    }

    fn encoded(format: ImageFormat) -> Vec<u8> {
        let img = RgbaImage::from_fn(17, 9, |x, y| {
            Rgba([(x * 15) as u8, (y * 28) as u8, 90, if format == ImageFormat::Jpeg { 255 } else { 200 }])
        });
        let img = if format == ImageFormat::Jpeg {
            DynamicImage::from(DynamicImage::from(img).to_rgb8())
        } else {
            img.into()
        };
        let mut out = Cursor::new(Vec::new());
        img.write_to(&mut out, format).unwrap();
        out.into_inner()
    }

    fn pixels(bytes: &[u8]) -> Vec<u8> {
        image::load_from_memory(bytes).unwrap().to_rgba8().into_raw()
    }

    /// The entries holding parameters, and the picture data, as the file's own structure has them.
    fn entries_and_data(bytes: &[u8]) -> (usize, Vec<u8>) {
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
                let data = chunks
                    .iter()
                    .filter(|c| matches!(&c.kind, b"VP8 " | b"VP8L"))
                    .flat_map(|c| c.raw.to_vec())
                    .collect();
                (chunks.iter().filter(|c| &c.kind == b"XMP ").count(), data)
            }
        }
    }

    fn independent_xmp(bytes: &[u8]) -> String {
        let xmp = match sniff_format(bytes).unwrap() {
            OutputFormat::Jpeg => JpegDecoder::new(Cursor::new(bytes)).unwrap().xmp_metadata(),
            _ => WebPDecoder::new(Cursor::new(bytes)).unwrap().xmp_metadata(),
        };
        String::from_utf8(xmp.unwrap().unwrap()).unwrap()
    }

    /// Embeds, re-embeds and strips; checks pixels, picture data and entry counts at each step.
    fn check(original: &[u8], exact_strip: bool) -> Vec<u8> {
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

    #[test]
    fn png_round_trip() {
        let once = check(&encoded(ImageFormat::Png), true);
        let chunks = png_chunks(&once).0;
        assert_eq!((&chunks[0].kind, &chunks[1].kind), (b"IHDR", b"iTXt"));
        let mut reader = png::Decoder::new(Cursor::new(&once)).read_info().unwrap();
        let chunk = reader.info().utf8_text.iter().find(|c| c.keyword == "parameters").unwrap().clone();
        assert!(!chunk.compressed && chunk.language_tag.is_empty() && chunk.translated_keyword.is_empty());
        assert_eq!(chunk.get_text().unwrap(), text());
        let mut buf = vec![0; reader.output_buffer_size().unwrap()];
        reader.next_frame(&mut buf).unwrap();
    }

    #[test]
    fn jpeg_round_trip() {
        let original = encoded(ImageFormat::Jpeg);
        let once = check(&original, true);
        assert!(independent_xmp(&once).contains(&xml_escape(&text())));
        assert!(independent_xmp(&once).contains("<dc:description><rdf:Alt><rdf:li xml:lang=\"x-default\">"));
        let too_long = embed(&original, &"長".repeat(30_000)).unwrap_err();
        assert!(matches!(too_long, EmbedError::TooLong { max: JPEG_MAX_PAYLOAD, .. }), "{too_long}");
    }

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

    #[test]
    fn easel_text_parses_back() {
        let prompts = [
            "a cat",
            "line one\nline two\n\nSize: big, Model: not this",
            "commas, colons: \"quotes\"",
            "一只猫\n水彩, 风格: 印象派",
            " spaces \n",
        ];
        for prompt in prompts {
            let mut m = meta(prompt);
            m.request.model = "my, model: \"x\"".into();
            m.request.background = Some(Background::Transparent);
            m.request.output_compression = Some(80);
            let p = Parameters::parse(&parameters_text(&m));
            assert_eq!(p.prompt, prompt);
            assert_eq!(p.negative_prompt, None);
            let keys: Vec<&str> = p.fields.iter().map(|(k, _)| k.as_str()).collect();
            assert_eq!(
                keys,
                ["Model", "Size", "Quality", "Format", "Background", "Compression", "Endpoint", "Created"]
            );
            assert_eq!(p.get("model"), Some("my, model: \"x\""));
            assert_eq!(
                (p.get("Size"), p.get("QUALITY"), p.get("Format")),
                (Some("1536x1024"), Some("auto"), Some("png"))
            );
            assert_eq!((p.get("Endpoint"), p.get("Created")), (Some("QuickRouter"), Some("2025-01-02T03:04:05Z")));
        }
        assert!(parameters_text(&meta("x")).ends_with(
            "\nModel: gpt-image-2, Size: 1536x1024, Quality: auto, Format: png, Endpoint: QuickRouter, Created: 2025-01-02T03:04:05Z"
        ));
    }

    #[test]
    fn a1111_text_parses() {
        let p = Parameters::parse(A1111);
        assert_eq!((p.prompt.as_str(), p.negative_prompt.as_deref()), ("a cat, best quality", Some("blurry")));
        assert_eq!(p.fields.len(), 8);
        assert_eq!((p.get("steps"), p.get("Sampler"), p.get("CFG scale")), (Some("20"), Some("Euler a"), Some("7")));
        assert_eq!(
            (p.get("Model hash"), p.get("Model"), p.get("Lora hashes")),
            (Some("abc"), Some("sd15"), Some("x: 1, y: 2"))
        );
        for plain in ["just a prompt", "a: b\nc: d, e: f", "x\nModel: \"unterminated", "x\n"] {
            assert_eq!(Parameters::parse(plain), Parameters { prompt: plain.into(), ..Default::default() });
        }
    }

    fn png_with(add: impl FnOnce(&mut png::Writer<&mut Vec<u8>>)) -> Vec<u8> {
        let mut out = Vec::new();
        let mut encoder = png::Encoder::new(&mut out, 2, 2);
        encoder.set_color(png::ColorType::Rgb);
        let mut writer = encoder.write_header().unwrap();
        writer.write_image_data(&[7; 12]).unwrap();
        add(&mut writer);
        writer.finish().unwrap();
        out
    }

    #[test]
    fn reads_a1111_png_text_chunks() {
        let latin1 = format!("{A1111}, Note: café");
        let plain = png_with(|w| {
            w.write_text_chunk(&png::text_metadata::TEXtChunk::new("parameters", latin1.clone())).unwrap();
        });
        assert_eq!(read_parameters(&plain), Some(latin1.clone()));
        let ztxt = png_with(|w| {
            w.write_text_chunk(&png::text_metadata::ZTXtChunk::new("parameters", latin1.clone())).unwrap();
        });
        assert_eq!(read_parameters(&ztxt), Some(latin1));
        let mut itxt = png::text_metadata::ITXtChunk::new("parameters", text());
        itxt.compressed = true;
        let itxt = png_with(|w| w.write_text_chunk(&itxt).unwrap());
        assert_eq!(read_parameters(&itxt), Some(text()));
        let replaced = embed(&itxt, "new\nModel: m").unwrap();
        assert_eq!((read_parameters(&replaced).as_deref(), entries_and_data(&replaced).0), (Some("new\nModel: m"), 1));
    }

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
            let embedded = embed(&with_exif, "xmp\nModel: m").unwrap();
            assert_eq!(&embedded[2..2 + segment.len()], &segment[..]);
            assert_eq!(read_parameters(&embedded).as_deref(), Some("xmp\nModel: m"));
            assert_eq!(strip(&embedded).unwrap(), with_exif);
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
        samples
            .push(png_with(|w| w.write_text_chunk(&png::text_metadata::ZTXtChunk::new("parameters", A1111)).unwrap()));
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
        assert_eq!(embed(&png[..png.len() - 3], "x"), Err(EmbedError::Damaged("it is cut off")));
        assert_eq!(strip(&VP8_WEBP[..40]), Err(EmbedError::Damaged("it is cut off")));
        assert_eq!(read_parameters(&samples[5][..60]), None);
        assert!(!format!("{}", EmbedError::Damaged("it is cut off")).contains("Damaged"));
    }

    #[test]
    fn settings_become_a_request() {
        let mut m = meta("a lighthouse, at dusk");
        m.request.quality = Quality::Low;
        m.request.output_compression = Some(70);
        m.request.background = Some(Background::Opaque);
        let r = Parameters::parse(&parameters_text(&m)).request();
        assert_eq!(
            (r.prompt.as_str(), r.model.as_str(), r.size, r.quality),
            ("a lighthouse, at dusk", "gpt-image-2", Size::Landscape, Quality::Low)
        );
        assert_eq!(
            (r.format, r.output_compression, r.background),
            (OutputFormat::Png, Some(70), Some(Background::Opaque))
        );
        let a = Parameters::parse(A1111).request();
        assert_eq!(
            (a.prompt.as_str(), a.model.as_str(), a.size),
            ("a cat, best quality", "sd15", Size::Custom { width: 512, height: 512 })
        );
        assert_eq!(a.quality, Quality::Auto, "no quality given: Easel's default");
    }
}
