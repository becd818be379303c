//! The edit request, `POST {base}/images/edits`: the pictures to change and an optional mask,
//! their checks and the picture work done before anything is sent, and the multipart body.
//!
//! [`EditRequest::prepare`] is the only way to make one: it refuses what the endpoint would
//! refuse (with an [`EditError`] worded in the language in use), scales pictures larger than the
//! models accept, and turns a black-and-white mask into the transparent one the endpoint reads.
//! It decodes and encodes pictures, so callers run it on a blocking thread
//! (`tokio::task::spawn_blocking`), never on the async executor or the UI thread.

use super::request::{FormatField, ImageRequest, InputFidelity, OutputFormat, model_takes_input_fidelity};
use super::response::sniff_format;
use bytes::Bytes;
use reqwest::multipart::{Form, Part};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::borrow::Cow;
use std::fmt;

/// The most pictures one edit may send.
pub const MAX_PICTURES: usize = 16;
/// The largest file the endpoint accepts for a picture or a mask: 50 MB.
pub const MAX_FILE_BYTES: usize = 50 * 1024 * 1024;
/// The longest side the models accept; a larger picture is scaled down before sending.
pub const MAX_SIDE: u32 = 3840;
/// The most pixels the models accept (3840×2160); a larger picture is scaled down before sending.
pub const MAX_PIXELS: u64 = 8_294_400;

/// The largest picture decoded to be scaled: larger ones are refused as unreadable rather than
/// holding gigabytes (the library's own limit for opening a picture).
const DECODE_MAX_SIDE: u32 = 16_384;
const DECODE_MAX_BYTES: u64 = 512 * 1024 * 1024;

/// Levels of a mask within this of either end (of 255) count as that end: fully kept or fully
/// changed. The library reads a mask the same way when it puts the outside back.
pub const MASK_SNAP: u8 = 8;

/// The longest file name kept, in characters, to be shown in a message or sent.
const MAX_NAME_CHARS: usize = 100;

/// Which name an endpoint takes for the picture parts of an edit. Remember the one a
/// [`Generation`](super::Generation) reports per endpoint, as the format field is remembered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum ImageField {
    /// `image[]`, as OpenAI documents it: what is sent first.
    #[default]
    Array,
    /// `image`, which some relays want for a single picture.
    Plain,
}

impl ImageField {
    /// The multipart part's name.
    pub fn name(self) -> &'static str {
        match self {
            ImageField::Array => "image[]",
            ImageField::Plain => "image",
        }
    }

    /// The other name, tried once when an endpoint refuses this one.
    pub fn other(self) -> ImageField {
        match self {
            ImageField::Array => ImageField::Plain,
            ImageField::Plain => ImageField::Array,
        }
    }
}

/// A file the user chose, as it was read: its name (shown in messages and sent as the part's
/// file name, never trusted for the file's type) and its bytes.
#[derive(Clone, PartialEq, Eq)]
pub struct EditFile {
    pub name: String,
    pub bytes: Vec<u8>,
}

impl EditFile {
    pub fn new(name: impl Into<String>, bytes: Vec<u8>) -> EditFile {
        EditFile { name: name.into(), bytes }
    }
}

impl fmt::Debug for EditFile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "EditFile({:?}, {} bytes)", self.name, self.bytes.len())
    }
}

/// A picture (or the mask) as it is sent: its bytes, real format and size, and its file name.
#[derive(Clone, PartialEq, Eq)]
pub struct EditPicture {
    /// The name shown in messages: the user's, cleaned to one line.
    name: String,
    /// The name sent: plain ASCII, with the extension of the real format.
    file_name: String,
    /// Shared, so a retry's new body costs no copy.
    bytes: Bytes,
    format: OutputFormat,
    width: u32,
    height: u32,
}

impl EditPicture {
    /// The name a message shows: the user's own, cleaned to one line.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The file name sent in the part, such as `photo.jpg`.
    pub fn file_name(&self) -> &str {
        &self.file_name
    }

    /// The bytes sent.
    pub fn bytes(&self) -> &[u8] {
        &self.bytes
    }

    /// The real format, read from the bytes.
    pub fn format(&self) -> OutputFormat {
        self.format
    }

    /// Width and height in pixels, as sent (after any scaling).
    pub fn dimensions(&self) -> (u32, u32) {
        (self.width, self.height)
    }

    /// A new multipart part of these bytes, with their real content type and the file name.
    fn part(&self, went_out: Option<&std::sync::Arc<tokio::sync::Notify>>) -> Part {
        let body = match went_out {
            Some(signal) => super::signalled(self.bytes.clone(), signal.clone()),
            None => reqwest::Body::from(self.bytes.clone()),
        };
        Part::stream_with_length(body, self.bytes.len() as u64)
            .file_name(self.file_name.clone())
            .mime_str(self.format.mime())
            .expect("the content types of the three formats are valid")
    }
}

impl fmt::Debug for EditPicture {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (name, format, w, h, len) = (&self.file_name, self.format, self.width, self.height, self.bytes.len());
        write!(f, "EditPicture({name:?} {format} {w}x{h}, {len} bytes)")
    }
}

/// What was done to the pictures before sending, for the caller to show; worded by `Display`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EditNote {
    /// The picture `name` was larger than the models accept and was scaled down, its shape kept.
    Scaled { name: String, from: (u32, u32), to: (u32, u32) },
    /// The mask had no transparency: it was read as white = change, black = keep.
    MaskFromBlackAndWhite,
}

/// Why an edit was not sent. Each is a sentence that says what to do, worded when shown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EditError {
    /// No picture was given.
    NoPictures,
    /// More than [`MAX_PICTURES`] pictures.
    TooMany { count: usize },
    /// The file `name` is not a PNG, JPEG or WebP (by its bytes, whatever its name says).
    NotAPicture { name: String },
    /// The file `name` is over [`MAX_FILE_BYTES`].
    TooLarge { name: String, bytes: u64 },
    /// The file `name` starts like a picture but cannot be read (damaged, or absurdly large).
    Unreadable { name: String },
    /// The mask `name` is not a PNG, JPEG or WebP.
    MaskNotAPicture { name: String },
    /// The mask `name` is over [`MAX_FILE_BYTES`].
    MaskTooLarge { name: String, bytes: u64 },
    /// The mask `name` starts like a picture but cannot be read.
    MaskUnreadable { name: String },
    /// The mask is not the size of the first picture.
    MaskSize { mask: (u32, u32), picture: (u32, u32) },
    /// The picture `name` is `size` pixels: whole, but larger than Easel decodes to scale it.
    PictureTooLarge { name: String, size: (u32, u32) },
    /// The mask keeps the whole picture (all black, or opaque without a light part): sent, it
    /// would be billed for a change of nothing.
    MaskChangesNothing { name: String },
    /// `name` is not a file (a folder, a device, a pipe).
    NotAFile { name: String },
    /// `name` could not be read, for the system's reason `why`.
    CannotRead { name: String, why: String },
}

impl std::error::Error for EditError {}

/// An edit, checked and ready to send: the settings (as for generations, plus `input_fidelity`),
/// the pictures and the mask. Made by [`EditRequest::prepare`] only, so nothing unchecked is sent.
#[derive(Debug, Clone, PartialEq)]
pub struct EditRequest {
    /// Prompt, model, n, size, quality, format, compression, background. `moderation` is never
    /// sent on edits, whatever it holds. Check these with [`ImageRequest::validate`] as for
    /// generations.
    pub settings: ImageRequest,
    /// Sent only to models that take it ([`model_takes_input_fidelity`]).
    pub input_fidelity: Option<InputFidelity>,
    pictures: Vec<EditPicture>,
    mask: Option<EditPicture>,
    notes: Vec<EditNote>,
}

impl EditRequest {
    /// Checks the files and readies them for sending: refuses none, more than 16, a file that
    /// is not a picture (by its bytes) or over 50 MB, a mask that is not a picture or not the
    /// first picture's size; scales pictures larger than the models accept (the mask with the
    /// first); makes a black-and-white mask transparent where it is white. Every file is checked
    /// before any is decoded. Blocking: decodes and encodes pictures.
    pub fn prepare(
        settings: ImageRequest,
        input_fidelity: Option<InputFidelity>,
        pictures: Vec<EditFile>,
        mask: Option<EditFile>,
    ) -> Result<EditRequest, EditError> {
        if pictures.is_empty() {
            return Err(EditError::NoPictures);
        }
        if pictures.len() > MAX_PICTURES {
            return Err(EditError::TooMany { count: pictures.len() });
        }
        let headers = pictures.iter().map(|f| read_header(f, Role::Picture)).collect::<Result<Vec<_>, _>>()?;
        let mask_header = mask.as_ref().map(|m| read_header(m, Role::Mask)).transpose()?;
        let first = (headers[0].1, headers[0].2);
        if let Some((_, w, h)) = mask_header
            && (w, h) != first
        {
            return Err(EditError::MaskSize { mask: (w, h), picture: first });
        }
        let mut notes = Vec::new();
        let mut ready = Vec::with_capacity(pictures.len());
        for (i, (file, header)) in pictures.into_iter().zip(headers).enumerate() {
            ready.push(fit(file, header, i, &mut notes)?);
        }
        let sent_size = (ready[0].width, ready[0].height);
        let mask = match (mask, mask_header) {
            (Some(m), Some(header)) => Some(mask_png(m, header.0, sent_size, &mut notes)?),
            _ => None,
        };
        Ok(EditRequest { settings, input_fidelity, pictures: ready, mask, notes })
    }

    /// The pictures, in the order sent; the first is the one the mask applies to.
    pub fn pictures(&self) -> &[EditPicture] {
        &self.pictures
    }

    /// The mask as sent: a PNG with an alpha channel, the first picture's size as sent.
    pub fn mask(&self) -> Option<&EditPicture> {
        self.mask.as_ref()
    }

    /// What was done to the pictures before sending.
    pub fn notes(&self) -> &[EditNote] {
        &self.notes
    }

    /// The text fields, as generations' JSON body has them, with the format under `field`'s
    /// name; never `moderation` or `response_format`; `input_fidelity` only for the models
    /// that take it.
    pub fn fields(&self, field: FormatField) -> Vec<(String, String)> {
        let Value::Object(body) = self.settings.body(field) else { return Vec::new() };
        let mut fields: Vec<(String, String)> = body
            .into_iter()
            .filter(|(k, _)| k != "moderation" && k != "response_format")
            .map(|(k, v)| {
                let text = match v {
                    Value::String(s) => s,
                    other => other.to_string(),
                };
                (k, text)
            })
            .collect();
        if let Some(fidelity) = self.input_fidelity
            && model_takes_input_fidelity(&self.settings.model)
        {
            fields.push(("input_fidelity".into(), fidelity.wire().into()));
        }
        fields
    }

    /// A new multipart body: the text fields, one part per picture under `image_field`'s name
    /// (`image[]` whenever there are several: `image` names a single picture), and the mask.
    /// Without `stream`, the streaming fields (`stream=true`, `partial_images=N`) are left
    /// out: the endpoint refused them. Made anew for each attempt, sharing the pictures' bytes.
    /// `went_out` is told once the last part has been handed to the connection.
    pub(crate) fn form(
        &self,
        field: FormatField,
        image_field: ImageField,
        stream: bool,
        went_out: &std::sync::Arc<tokio::sync::Notify>,
    ) -> Form {
        let mut form = Form::new();
        let fields = self.fields(field).into_iter().filter(|(k, _)| stream || (k != "stream" && k != "partial_images"));
        for (name, value) in fields {
            form = form.text(name, value);
        }
        let name = if self.pictures.len() == 1 { image_field.name() } else { ImageField::Array.name() };
        let last = self.pictures.len() - 1;
        for (i, picture) in self.pictures.iter().enumerate() {
            let signal = (i == last && self.mask.is_none()).then_some(went_out);
            form = form.part(name, picture.part(signal));
        }
        if let Some(mask) = &self.mask {
            form = form.part("mask", mask.part(Some(went_out)));
        }
        form
    }

    /// Whether a refused picture field name is worth trying the other name for: `image` only
    /// ever names a single picture.
    pub(crate) fn may_switch_image_field(&self) -> bool {
        self.pictures.len() == 1
    }

    /// The image input tokens the pictures are expected to cost, before sending: an estimate
    /// (see [`input_tokens`]); the answer's usage says the real count.
    pub fn estimated_input_tokens(&self) -> u64 {
        let high = reads_at_high_fidelity(&self.settings.model, self.input_fidelity);
        self.pictures.iter().map(|p| input_tokens(p.width, p.height, high)).sum()
    }
}

/// Whether a model reads input pictures at high fidelity: gpt-image-2 (and models Easel does
/// not know, priced at the most) always, gpt-image-1.5 when asked, 1-mini never (the catalogue,
/// [`super::models`]).
pub fn reads_at_high_fidelity(model: &str, asked: Option<InputFidelity>) -> bool {
    match super::models::rules(model).reads {
        super::models::Reading::Always => true,
        super::models::Reading::WhenAsked => asked == Some(InputFidelity::High),
        super::models::Reading::Never => false,
    }
}

/// An estimate of the image input tokens of one `width`×`height` picture, after OpenAI's vision
/// guide for the gpt-image models: the picture fitted within 2048×2048, then its shorter side
/// brought to 768, counted in 512-pixel tiles of 129 tokens plus 65; reading at high fidelity
/// adds about what a high-quality output of its shape costs (4,160 square, 6,240 otherwise).
/// Relays count their own way: this is an estimate, labelled as such where it is shown.
pub fn input_tokens(width: u32, height: u32, high_fidelity: bool) -> u64 {
    let (mut w, mut h) = (f64::from(width.max(1)), f64::from(height.max(1)));
    let fit = (2048.0 / w.max(h)).min(1.0);
    (w, h) = (w * fit, h * fit);
    let shorter = (768.0 / w.min(h)).min(1.0);
    (w, h) = (w * shorter, h * shorter);
    let tiles = (w / 512.0).ceil() as u64 * (h / 512.0).ceil() as u64;
    let base = 65 + 129 * tiles;
    let extra = match (high_fidelity, width == height) {
        (false, _) => 0,
        (true, true) => 4_160,
        (true, false) => 6_240,
    };
    base + extra
}

/// The size a `width`×`height` picture is scaled to so the models take it: at most
/// [`MAX_SIDE`] on its longer side and [`MAX_PIXELS`] in all, its shape kept; unchanged when it
/// already fits.
pub fn fit_within(width: u32, height: u32) -> (u32, u32) {
    let fits = |w: u32, h: u32| w.max(h) <= MAX_SIDE && u64::from(w) * u64::from(h) <= MAX_PIXELS;
    if fits(width, height) {
        return (width, height);
    }
    let (wf, hf) = (f64::from(width), f64::from(height));
    let scale = (f64::from(MAX_SIDE) / wf.max(hf)).min((MAX_PIXELS as f64 / (wf * hf)).sqrt());
    // A hair over, so 100000 × 0.0384 is 3840 and not 3839.9999; the loop takes back what is over.
    let side = |x: f64| (((x * scale) + 1e-6).floor() as u32).max(1);
    let (mut w, mut h) = (side(wf), side(hf));
    // Rounding may leave a pixel too many: take it from the longer side.
    while !fits(w, h) {
        if w >= h {
            w -= 1;
        } else {
            h -= 1;
        }
    }
    (w, h)
}

/// Whether a file is a picture or the mask, for the errors that name it.
#[derive(Clone, Copy)]
enum Role {
    Picture,
    Mask,
}

/// The name a message shows: one line, bounded.
fn shown_name(name: &str) -> String {
    crate::outside::one_line_cut(name, MAX_NAME_CHARS)
}

/// Checks a file's size and bytes and reads its header: its format, width and height.
fn read_header(file: &EditFile, role: Role) -> Result<(OutputFormat, u32, u32), EditError> {
    let name = shown_name(&file.name);
    if file.bytes.len() > MAX_FILE_BYTES {
        let bytes = file.bytes.len() as u64;
        return Err(match role {
            Role::Picture => EditError::TooLarge { name, bytes },
            Role::Mask => EditError::MaskTooLarge { name, bytes },
        });
    }
    let Some(format) = sniff_format(&file.bytes) else {
        return Err(match role {
            Role::Picture => EditError::NotAPicture { name },
            Role::Mask => EditError::MaskNotAPicture { name },
        });
    };
    let unreadable = || match role {
        Role::Picture => EditError::Unreadable { name: name.clone() },
        Role::Mask => EditError::MaskUnreadable { name: name.clone() },
    };
    let (w, h) = image::ImageReader::with_format(std::io::Cursor::new(&file.bytes), image_format(format))
        .into_dimensions()
        .map_err(|_| unreadable())?;
    if w == 0 || h == 0 {
        return Err(unreadable());
    }
    Ok((format, w, h))
}

fn image_format(format: OutputFormat) -> image::ImageFormat {
    match format {
        OutputFormat::Png => image::ImageFormat::Png,
        OutputFormat::Jpeg => image::ImageFormat::Jpeg,
        OutputFormat::Webp => image::ImageFormat::WebP,
    }
}

/// Decodes a whole picture, within limits, or `None` when it cannot be read.
fn decode(bytes: &[u8], format: OutputFormat) -> Option<image::DynamicImage> {
    let mut reader = image::ImageReader::with_format(std::io::Cursor::new(bytes), image_format(format));
    let mut limits = image::Limits::default();
    limits.max_image_width = Some(DECODE_MAX_SIDE);
    limits.max_image_height = Some(DECODE_MAX_SIDE);
    limits.max_alloc = Some(DECODE_MAX_BYTES);
    reader.limits(limits);
    reader.decode().ok()
}

/// Encodes `img` as `format`: JPEG stays JPEG (quality 92), anything else becomes PNG, since
/// the image crate writes WebP only losslessly and larger.
fn encode(img: &image::DynamicImage, format: OutputFormat) -> Option<(Vec<u8>, OutputFormat)> {
    let mut out = Vec::new();
    match format {
        OutputFormat::Jpeg => {
            let encoder = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 92);
            img.to_rgb8().write_with_encoder(encoder).ok()?;
        }
        OutputFormat::Png | OutputFormat::Webp => {
            img.write_to(&mut std::io::Cursor::new(&mut out), image::ImageFormat::Png).ok()?;
        }
    }
    let sent = if format == OutputFormat::Jpeg { OutputFormat::Jpeg } else { OutputFormat::Png };
    Some((out, sent))
}

/// The file name sent for picture `index`: the user's stem in plain ASCII (a relay may not
/// decode any other) with the extension of the real format, or `image-N` when nothing is left.
fn wire_name(name: &str, index: usize, format: OutputFormat) -> String {
    let file = name.rsplit(['/', '\\']).next().unwrap_or_default();
    let stem = file.rsplit_once('.').map_or(file, |(stem, _)| stem);
    let clean: String = stem
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() || c == '-' || c == '_' { c } else { '_' })
        .take(MAX_NAME_CHARS)
        .collect();
    let stem = if clean.trim_matches('_').is_empty() { format!("image-{}", index + 1) } else { clean };
    format!("{stem}.{}", format.extension())
}

/// The picture as sent: as given when the models take its size, else scaled to fit.
fn fit(
    file: EditFile,
    (format, width, height): (OutputFormat, u32, u32),
    index: usize,
    notes: &mut Vec<EditNote>,
) -> Result<EditPicture, EditError> {
    let name = shown_name(&file.name);
    let (w, h) = fit_within(width, height);
    let unreadable = || EditError::Unreadable { name: name.clone() };
    if width > DECODE_MAX_SIDE
        || height > DECODE_MAX_SIDE
        || u64::from(width) * u64::from(height) * 4 > DECODE_MAX_BYTES
    {
        return Err(EditError::PictureTooLarge { name, size: (width, height) });
    }
    // Decoded whole either way: a picture cut short or damaged past its header is refused
    // here, before it is sent and billed, not by the model.
    let img = decode(&file.bytes, format).ok_or_else(unreadable)?;
    if (w, h) == (width, height) {
        let file_name = wire_name(&file.name, index, format);
        return Ok(EditPicture { name, file_name, bytes: Bytes::from(file.bytes), format, width, height });
    }
    let scaled = img.resize_exact(w, h, image::imageops::FilterType::Lanczos3);
    let (bytes, sent) = encode(&scaled, format).ok_or_else(unreadable)?;
    notes.push(EditNote::Scaled { name: name.clone(), from: (width, height), to: (w, h) });
    let file_name = wire_name(&file.name, index, sent);
    Ok(EditPicture { name, file_name, bytes: Bytes::from(bytes), format: sent, width: w, height: h })
}

/// The mask as sent: a PNG with alpha at `size` (the first picture's, as sent). A mask without
/// transparency (black and white, as paint programs make them) becomes transparent where it is
/// white: white = change, black = keep, greys in between.
fn mask_png(
    file: EditFile,
    format: OutputFormat,
    size: (u32, u32),
    notes: &mut Vec<EditNote>,
) -> Result<EditPicture, EditError> {
    let name = shown_name(&file.name);
    let unreadable = || EditError::MaskUnreadable { name: name.clone() };
    let img = decode(&file.bytes, format).ok_or_else(unreadable)?;
    let has_alpha = img.color().has_alpha();
    let mut rgba = img.into_rgba8();
    if !(has_alpha && rgba.pixels().any(|p| p[3] < 255)) {
        for p in rgba.pixels_mut() {
            let [r, g, b, _] = p.0;
            let luma = (299 * u32::from(r) + 587 * u32::from(g) + 114 * u32::from(b)) / 1000;
            // The colour is kept as it was; only the alpha says what to change.
            p.0 = [r, g, b, 255 - luma.min(255) as u8];
        }
        notes.push(EditNote::MaskFromBlackAndWhite);
    }
    // As the library reads a mask to keep the outside: within MASK_SNAP of opaque is kept.
    if rgba.pixels().all(|p| p[3] >= 255 - MASK_SNAP) {
        return Err(EditError::MaskChangesNothing { name });
    }
    if rgba.dimensions() != size {
        rgba = image::imageops::resize(&rgba, size.0, size.1, image::imageops::FilterType::Triangle);
    }
    let mut out = Vec::new();
    image::DynamicImage::ImageRgba8(rgba)
        .write_to(&mut std::io::Cursor::new(&mut out), image::ImageFormat::Png)
        .map_err(|_| unreadable())?;
    Ok(EditPicture {
        name,
        file_name: "mask.png".into(),
        bytes: Bytes::from(out),
        format: OutputFormat::Png,
        width: size.0,
        height: size.1,
    })
}

/// Megabytes, rounded up, as a message says a file's size.
fn megabytes(bytes: u64) -> u64 {
    bytes.div_ceil(1024 * 1024)
}

impl fmt::Display for EditError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use EditError::*;
        let text: Cow<'static, str> = match self {
            NoPictures => words::NO_PICTURES().into(),
            TooMany { count } => words::too_many(*count, MAX_PICTURES).into(),
            NotAPicture { name } => words::not_a_picture(name).into(),
            TooLarge { name, bytes } => words::too_large(name, megabytes(*bytes)).into(),
            Unreadable { name } => words::unreadable(name).into(),
            MaskNotAPicture { name } => words::mask_not_a_picture(name).into(),
            MaskTooLarge { name, bytes } => words::mask_too_large(name, megabytes(*bytes)).into(),
            MaskUnreadable { name } => words::mask_unreadable(name).into(),
            MaskSize { mask, picture } => words::mask_size(mask.0, mask.1, picture.0, picture.1).into(),
            MaskChangesNothing { name } => words::mask_changes_nothing(name).into(),
            PictureTooLarge { name, size } => words::picture_too_large(name, size.0, size.1, DECODE_MAX_SIDE).into(),
            NotAFile { name } => words::not_a_file(name).into(),
            CannotRead { name, why } => words::cannot_read(name, why).into(),
        };
        f.write_str(&text)
    }
}

impl fmt::Display for EditNote {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EditNote::Scaled { name, from, to } => f.write_str(&words::scaled(name, from.0, from.1, to.0, to.1)),
            EditNote::MaskFromBlackAndWhite => f.write_str(words::MASK_FROM_BLACK_AND_WHITE()),
        }
    }
}

/// The words of an edit's checks and notes, in English and Simplified Chinese side by side.
mod words {
    crate::texts! { FIXED;
        NO_PICTURES => "Pick at least one picture to change.",
            "请至少选择一张要修改的图片。";
        MASK_FROM_BLACK_AND_WHITE => "The mask has no transparency, so it was read as black and white: the white part is changed, the black part is kept.",
            "蒙版没有透明部分，因此按黑白读取：白色部分会被修改，黑色部分保持不变。";
    }

    crate::formats! { WITH_VALUES;
        too_many(count: usize, most: usize) => "{count} pictures were picked; at most {most} can be sent at once. Remove some.",
            "选择了 {count} 张图片；一次最多只能发送 {most} 张。请移除一些。";
        not_a_picture(name: &str) => "“{name}” is not a picture Easel can send. Use a PNG, JPEG or WebP file.",
            "“{name}”不是 Easel 能发送的图片。请使用 PNG、JPEG 或 WebP 文件。";
        too_large(name: &str, mb: u64) => "“{name}” is {mb} MB; a picture can be at most 50 MB. Pick a smaller file.",
            "“{name}”有 {mb} MB；图片最大为 50 MB。请选择较小的文件。";
        unreadable(name: &str) => "“{name}” could not be read; the file may be damaged. Pick another file.",
            "无法读取“{name}”；文件可能已损坏。请选择其他文件。";
        mask_not_a_picture(name: &str) => "The mask “{name}” is not a picture Easel can read. Use a PNG file.",
            "蒙版“{name}”不是 Easel 能读取的图片。请使用 PNG 文件。";
        mask_too_large(name: &str, mb: u64) => "The mask “{name}” is {mb} MB; a mask can be at most 50 MB. Pick a smaller file.",
            "蒙版“{name}”有 {mb} MB；蒙版最大为 50 MB。请选择较小的文件。";
        mask_unreadable(name: &str) => "The mask “{name}” could not be read; the file may be damaged. Paint the mask again or pick another file.",
            "无法读取蒙版“{name}”；文件可能已损坏。请重新绘制蒙版或选择其他文件。";
        mask_size(mw: u32, mh: u32, pw: u32, ph: u32) => "The mask is {mw}×{mh} pixels, but the first picture is {pw}×{ph}. The mask must be the size of the first picture.",
            "蒙版是 {mw}×{mh} 像素，但第一张图片是 {pw}×{ph}。蒙版必须与第一张图片大小相同。";
        picture_too_large(name: &str, w: u32, h: u32, most: u32) => "“{name}” is {w}×{h} pixels, larger than Easel can open (at most {most} pixels a side). Make it smaller in another program, or pick another picture.",
            "“{name}”有 {w}×{h} 像素，超过了 Easel 能打开的大小（每边最多 {most} 像素）。请先用其他程序把它缩小，或选择其他图片。";
        mask_changes_nothing(name: &str) => "The mask “{name}” keeps the whole picture, so nothing would change (and the change would still be charged). Paint the part to change, or pick a mask with a transparent or white part.",
            "蒙版“{name}”保留了整张图片，因此不会有任何修改（但仍会计费）。请涂出要修改的部分，或选择带有透明或白色部分的蒙版。";
        not_a_file(name: &str) => "“{name}” is not a file (it is a folder, a device or a pipe). Pick a PNG, JPEG or WebP picture.",
            "“{name}”不是文件（而是文件夹、设备或管道）。请选择 PNG、JPEG 或 WebP 图片。";
        cannot_read(name: &str, why: &str) => "“{name}” could not be read ({why}). Check that the file is still there, or pick another.",
            "无法读取“{name}”（{why}）。请检查该文件是否还在，或选择其他文件。";
        scaled(name: &str, w: u32, h: u32, to_w: u32, to_h: u32) => "“{name}” ({w}×{h} pixels) is larger than the model accepts, so it was scaled down to {to_w}×{to_h}, its shape kept.",
            "“{name}”（{w}×{h} 像素）超过了模型接受的大小，因此已按原比例缩小到 {to_w}×{to_h}。";
    }

    crate::translated!(FIXED, WITH_VALUES);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::{Lang, with};

    #[test]
    fn fitting_keeps_the_shape_and_the_rules() {
        assert_eq!(fit_within(1024, 1024), (1024, 1024));
        assert_eq!(fit_within(3840, 2160), (3840, 2160), "4K is the largest that fits");
        let (w, h) = fit_within(5000, 3000);
        assert!(w <= MAX_SIDE && u64::from(w) * u64::from(h) <= MAX_PIXELS, "{w}x{h}");
        assert!((f64::from(w) / f64::from(h) - 5.0 / 3.0).abs() < 0.01, "{w}x{h}");
        assert!(u64::from(w) * u64::from(h) > MAX_PIXELS * 99 / 100, "not smaller than needed: {w}x{h}");
        let (w, h) = fit_within(8000, 1000);
        assert_eq!((w, h), (3840, 480), "a long strip is limited by its side");
        assert_eq!(fit_within(100_000, 1), (3840, 1), "never a side of zero");
    }

    #[test]
    fn wire_names_are_plain_and_tell_the_real_format() {
        assert_eq!(wire_name("holiday.png", 0, OutputFormat::Jpeg), "holiday.jpg");
        assert_eq!(wire_name("/home/a/猫 cat.webp", 1, OutputFormat::Webp), "__cat.webp");
        assert_eq!(wire_name("猫.png", 2, OutputFormat::Png), "image-3.png");
        assert_eq!(wire_name("", 0, OutputFormat::Png), "image-1.png");
    }

    #[test]
    fn input_fidelity_is_high_where_the_model_reads_so() {
        assert!(reads_at_high_fidelity("gpt-image-2", None));
        assert!(!reads_at_high_fidelity("gpt-image-1", None));
        assert!(reads_at_high_fidelity("gpt-image-1.5", Some(InputFidelity::High)));
        assert!(!reads_at_high_fidelity("gpt-image-1-mini", Some(InputFidelity::High)));
        assert_eq!(input_tokens(512, 512, false), 65 + 129);
        assert_eq!(input_tokens(1024, 1024, false), 65 + 129 * 4, "768×768: four tiles");
        assert_eq!(input_tokens(1024, 1024, true), 65 + 129 * 4 + 4_160);
    }

    #[test]
    fn errors_are_sentences_in_both_languages() {
        let e = EditError::MaskSize { mask: (10, 20), picture: (30, 40) };
        assert_eq!(
            with(Lang::En, || e.to_string()),
            "The mask is 10×20 pixels, but the first picture is 30×40. The mask must be the size of the first picture."
        );
        assert!(with(Lang::ZhCn, || e.to_string()).starts_with("蒙版是 10×20 像素"));
        let big = EditError::TooLarge { name: "a.png".into(), bytes: 60 * 1024 * 1024 + 1 };
        assert_eq!(
            with(Lang::En, || big.to_string()),
            "“a.png” is 61 MB; a picture can be at most 50 MB. Pick a smaller file."
        );
    }
}
