//! What an edit records, and the one call that saves an edit's picture: the model's picture as
//! it came back first (nothing paid for is lost), then the original with only the inside of the
//! mask taken from it.

use super::{Coverage, FEATHER_PX, changed_outside, keep_outside, mask_from_picture};
use crate::api::{OutputFormat, ReceivedImage};
use crate::library::decode::{DecodeError, decode};
use crate::library::{Library, LibraryError, PictureError, Provenance, SavedImage};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// How an edit was made, in the `.json` of each picture it saved (`ImageMeta::edit`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EditRecord {
    /// The pictures sent, in order; the first is the one changed (the mask applies to it).
    pub inputs: Vec<EditInput>,
    /// The SHA-256 of the mask as the user gave it, in hex, if there was one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mask_sha256: Option<String>,
    /// What this picture is.
    pub outcome: EditOutcome,
    /// The share (0..=1) of the picture outside the mask that the model changed, when measured.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub changed_outside: Option<f32>,
    /// For a picture whose outside was kept: the file name of the model's picture it was made
    /// from, beside it in the library.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub raw_file: Option<String>,
}

/// One picture an edit was made from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EditInput {
    /// Its file name (without the folder).
    pub file: String,
    /// The SHA-256 of the file as it was sent, in hex (none in the records of older versions
    /// when the file could not be read any more).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sha256: Option<String>,
}

impl EditInput {
    /// The record of a picture sent as `bytes`, under its file name `file`.
    pub fn of(file: impl Into<String>, bytes: &[u8]) -> EditInput {
        EditInput { file: file.into(), sha256: Some(sha256_hex(bytes)) }
    }
}

/// What a picture saved by an edit is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EditOutcome {
    /// The model's picture as it came back, kept beside the picture made from it (the gallery
    /// may leave it out; the picture made from it names it in `raw_file`).
    Raw,
    /// The original outside the mask, the model's picture inside.
    OutsideKept,
    /// The model's whole picture: there was no mask, or the user chose it.
    WholeResult,
}

impl EditRecord {
    /// What to tell the user about the outside of the mask, if anything.
    pub fn note(&self) -> Option<OutsideNote> {
        match self.outcome {
            EditOutcome::Raw => None,
            EditOutcome::OutsideKept => OutsideNote::new(self.changed_outside?, true),
            EditOutcome::WholeResult => OutsideNote::new(self.changed_outside?, false),
        }
    }
}

/// "The model also changed 38% of the picture outside your mask; …": a relay honesty check,
/// for the window and the terminal. Worded when shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OutsideNote {
    /// The share changed, in whole percent (at least 1).
    pub percent: u32,
    /// Whether those changes were undone (the outside kept), or the user kept the whole result.
    pub undone: bool,
}

impl OutsideNote {
    /// Below this share nothing is said: a few pixels at the tolerance's edge are not a change.
    const WORTH_SAYING: f32 = 0.001;

    /// The note for `changed` (0..=1) of the outside changed; none when it is (next to) nothing.
    pub fn new(changed: f32, undone: bool) -> Option<OutsideNote> {
        (changed >= Self::WORTH_SAYING)
            .then(|| OutsideNote { percent: ((changed * 100.0).round() as u32).clamp(1, 100), undone })
    }
}

impl std::fmt::Display for OutsideNote {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&if self.undone {
            words::changes_undone(self.percent)
        } else {
            words::whole_result_kept(self.percent)
        })
    }
}

/// What an edit was made from, read once for all the pictures an answer brings: each picture's
/// name and SHA-256, the mask's, and (with a mask) the original and the mask decoded. Reading
/// never fails: what cannot be read is said when a picture's outside is to be kept, after the
/// model's picture is saved.
pub struct EditSource {
    inputs: Vec<EditInput>,
    mask_sha256: Option<String>,
    whole_result: bool,
    /// With a mask: the original and the mask, or why they cannot be used.
    keep: Option<Result<(image::RgbaImage, Coverage), KeepFailure>>,
}

impl std::fmt::Debug for EditSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EditSource")
            .field("inputs", &self.inputs)
            .field("mask_sha256", &self.mask_sha256)
            .field("whole_result", &self.whole_result)
            .field("keep", &self.keep.as_ref().map(|k| k.as_ref().map(|(o, _)| o.dimensions())))
            .finish()
    }
}

impl EditSource {
    /// What an edit of `inputs` was made from: each picture's name and SHA-256 as it was read
    /// for sending, the original (`inputs[0]`'s bytes, as read then) and the mask's bytes (a PNG
    /// with transparency, or a black-and-white picture), both decoded when there is a mask.
    /// `whole_result`: keep the model's whole picture instead of putting the outside of the mask
    /// back. Nothing is read from disk again: a file changed or gone since the request was sent
    /// changes nothing. Decodes: never on the UI thread.
    pub fn new(inputs: &[EditInput], original: Option<&[u8]>, mask: Option<&[u8]>, whole_result: bool) -> EditSource {
        let keep = mask.map(|m| {
            let original = original.ok_or(KeepFailure::NoOriginal)?;
            let original = decode_picture(original.to_vec()).map_err(|e| KeepFailure::Original(Box::new(e)))?;
            let mask = decode_picture(m.to_vec()).map_err(|_| KeepFailure::Mask)?;
            Ok((original, mask_from_picture(&mask)))
        });
        EditSource { inputs: inputs.to_vec(), mask_sha256: mask.map(sha256_hex), whole_result, keep }
    }

    /// Whether the pictures saved keep the original outside the mask.
    pub fn keeps_outside(&self) -> bool {
        self.keep.is_some() && !self.whole_result
    }

    fn record(&self, outcome: EditOutcome, changed_outside: Option<f32>, raw_file: Option<String>) -> EditRecord {
        EditRecord {
            inputs: self.inputs.clone(),
            mask_sha256: self.mask_sha256.clone(),
            outcome,
            changed_outside,
            raw_file,
        }
    }
}

/// Checks what the bytes are and decodes them, within the decoder's limits.
fn decode_picture(bytes: Vec<u8>) -> Result<image::RgbaImage, PictureError> {
    Ok(decode(&ReceivedImage::from_bytes(bytes)?)?)
}

/// The SHA-256 of `bytes`, in lower-case hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

/// The pictures one result of an edit left in the library.
#[derive(Debug, Clone, PartialEq)]
pub struct SavedEdit {
    /// The picture to show and print: the original with the outside kept, or the model's whole
    /// picture.
    pub picture: SavedImage,
    /// The model's picture as it came back, when `picture` was made from it.
    pub raw: Option<SavedImage>,
}

impl SavedEdit {
    /// What to tell the user about the outside of the mask, if anything.
    pub fn note(&self) -> Option<OutsideNote> {
        self.picture.meta.edit.as_ref().and_then(EditRecord::note)
    }
}

/// Why an edit's picture is not (all) in the library.
#[derive(Debug, Clone, PartialEq)]
pub enum EditSaveError {
    /// Nothing was saved: the model's picture could not be written (rescue its bytes).
    NotSaved(LibraryError),
    /// The model's picture is saved as `raw`, but the picture with the outside kept could not be made.
    NotKept { raw: Box<SavedImage>, why: KeepFailure },
}

impl EditSaveError {
    /// The picture that is in the library all the same, if any.
    pub fn saved(&self) -> Option<&SavedImage> {
        match self {
            EditSaveError::NotSaved(_) => None,
            EditSaveError::NotKept { raw, .. } => Some(raw),
        }
    }
}

impl std::fmt::Display for EditSaveError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            EditSaveError::NotSaved(e) => e.fmt(f),
            EditSaveError::NotKept { raw, why } => {
                f.write_str(&words::not_kept(&raw.path.display().to_string(), &why.to_string()))
            }
        }
    }
}

impl std::error::Error for EditSaveError {}

/// Why the outside of the mask could not be kept.
#[derive(Debug, Clone, PartialEq)]
pub enum KeepFailure {
    /// No picture to change was given.
    NoOriginal,
    /// The picture changed could not be read again.
    Original(Box<PictureError>),
    /// The mask is not a picture Easel can read.
    Mask,
    /// The model's picture cannot be decoded.
    Result(DecodeError),
    /// The picture made could not be encoded.
    Encode,
    /// The picture made could not be written.
    Save(LibraryError),
}

impl std::fmt::Display for KeepFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            KeepFailure::NoOriginal => f.write_str(words::NO_ORIGINAL()),
            KeepFailure::Original(e) => e.fmt(f),
            KeepFailure::Mask => f.write_str(words::MASK_UNREADABLE()),
            KeepFailure::Result(e) => e.fmt(f),
            KeepFailure::Encode => f.write_str(words::NOT_ENCODED()),
            KeepFailure::Save(e) => e.fmt(f),
        }
    }
}

impl std::error::Error for KeepFailure {}

impl Library {
    /// Saves one picture an edit brought (`index` of the answer's), with its [`EditRecord`]:
    /// - with a mask, unless the user chose the whole result: first the model's picture as it
    ///   came back (`<group>-<n>-raw.<ext>`, outcome [`EditOutcome::Raw`], without the request's
    ///   cost, so sums count it once), then the original with only the inside of the mask taken
    ///   from it (`<group>-<n>.png`: PNG, so the original's pixels stay exact; with the figure of
    ///   the outside changed and the raw picture's name);
    /// - else the model's picture as `<group>-<n>.<ext>`, with (when there was a mask) the figure
    ///   of the outside changed, measured after it is saved.
    ///
    /// Each file is written atomically, its metadata first, as [`Library::save`] does. Nothing
    /// received is lost: if the outside cannot be kept, the model's picture is saved all the same
    /// and [`EditSaveError::NotKept`] says where. Decodes and encodes: never on the UI thread.
    pub fn save_edit(
        &self,
        result: &ReceivedImage,
        index: usize,
        prov: &Provenance,
        source: &EditSource,
    ) -> Result<SavedEdit, EditSaveError> {
        let stem = format!("{}-{}", prov.group, index + 1);
        if !source.keeps_outside() {
            let record = source.record(EditOutcome::WholeResult, None, None);
            let mut picture =
                self.save_as(result, index, prov, &stem, Some(record)).map_err(EditSaveError::NotSaved)?;
            if let Some(Ok((original, mask))) = &source.keep {
                measure_whole(&mut picture, result, original, mask);
            }
            return Ok(SavedEdit { picture, raw: None });
        }
        let mut raw_prov = prov.clone();
        (raw_prov.estimated_cost_usd, raw_prov.request_cost_usd) = (None, None);
        let record = source.record(EditOutcome::Raw, None, None);
        let raw = self
            .save_as(result, index, &raw_prov, &format!("{stem}-raw"), Some(record))
            .map_err(EditSaveError::NotSaved)?;
        match self.save_kept(result, index, prov, source, &stem, &raw) {
            Ok(picture) => Ok(SavedEdit { picture, raw: Some(raw) }),
            Err(why) => Err(EditSaveError::NotKept { raw: Box::new(raw), why }),
        }
    }

    /// The original with the inside of the mask taken from `result`, saved as `stem`.png.
    fn save_kept(
        &self,
        result: &ReceivedImage,
        index: usize,
        prov: &Provenance,
        source: &EditSource,
        stem: &str,
        raw: &SavedImage,
    ) -> Result<SavedImage, KeepFailure> {
        let (original, mask) = match &source.keep {
            Some(Ok(keep)) => keep,
            Some(Err(why)) => return Err(why.clone()),
            None => return Err(KeepFailure::Mask),
        };
        let pixels = decode(result).map_err(KeepFailure::Result)?;
        let kept = keep_outside(original, &pixels, mask, FEATHER_PX);
        let mut png = Vec::new();
        image::DynamicImage::ImageRgba8(kept.picture)
            .write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
            .map_err(|_| KeepFailure::Encode)?;
        let made =
            ReceivedImage { width: original.width(), height: original.height(), format: OutputFormat::Png, bytes: png };
        let record = source.record(EditOutcome::OutsideKept, Some(kept.changed_outside), Some(raw.meta.file.clone()));
        self.save_as(&made, index, prov, stem, Some(record)).map_err(KeepFailure::Save)
    }
}

/// Adds to a whole result's metadata how much of the outside the model changed. It is only a
/// figure: when it cannot be measured or written, the picture stays as it is and the log says why.
fn measure_whole(picture: &mut SavedImage, result: &ReceivedImage, original: &image::RgbaImage, mask: &Coverage) {
    let pixels = match decode(result) {
        Ok(p) => p,
        Err(e) => {
            log::warn!("the outside of {} was not measured: {e}", picture.path.display());
            return;
        }
    };
    let figure = changed_outside(original, &pixels, mask, FEATHER_PX);
    if let Some(edit) = picture.meta.edit.as_mut() {
        edit.changed_outside = Some(figure);
    }
    if let Err(e) = Library::write_meta(&picture.meta_path, &picture.meta) {
        log::warn!("the outside changed of {} was not recorded: {e}", picture.path.display());
    }
}

/// Every word of an edit's pictures, in every language.
mod words {
    crate::texts! { FIXED;
        NO_ORIGINAL => "No picture to change was given.", "没有提供要修改的图片。";
        MASK_UNREADABLE => "The mask is not a picture Easel can read.", "蒙版不是 Easel 能读取的图片。";
        NOT_ENCODED => "The new picture could not be made.", "无法生成新图片。";
    }

    crate::formats! { WITH_VALUES;
        /// The outside was put back as it was.
        changes_undone(percent: u32) => "The model also changed {percent}% of the picture outside your mask; those changes were undone.",
            "模型还改动了蒙版以外 {percent}% 的画面；这些改动已撤销。";
        /// The user chose the model's whole picture.
        whole_result_kept(percent: u32) => "The model also changed {percent}% of the picture outside your mask; you kept its whole result.",
            "模型还改动了蒙版以外 {percent}% 的画面；你保留了它的完整结果。";
        not_kept(path: &str, why: &str) => "The model's picture is saved as “{path}”, but the picture outside your mask could not be put back: {why}",
            "模型返回的图片已保存为“{path}”，但无法还原蒙版以外的画面：{why}";
    }

    crate::translated!(FIXED, WITH_VALUES);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::{Lang, with};
    use std::path::PathBuf;

    fn record(outcome: EditOutcome, changed_outside: Option<f32>) -> EditRecord {
        EditRecord { inputs: Vec::new(), mask_sha256: None, outcome, changed_outside, raw_file: None }
    }

    #[test]
    fn the_outside_is_worded_only_when_the_model_changed_some_of_it() {
        let undone = record(EditOutcome::OutsideKept, Some(0.38)).note().unwrap();
        assert_eq!(
            with(Lang::En, || undone.to_string()),
            "The model also changed 38% of the picture outside your mask; those changes were undone."
        );
        assert_eq!(with(Lang::ZhCn, || undone.to_string()), "模型还改动了蒙版以外 38% 的画面；这些改动已撤销。");
        let whole = record(EditOutcome::WholeResult, Some(1.0)).note().unwrap();
        assert_eq!(
            with(Lang::En, || whole.to_string()),
            "The model also changed 100% of the picture outside your mask; you kept its whole result."
        );
        assert_eq!(with(Lang::ZhCn, || whole.to_string()), "模型还改动了蒙版以外 100% 的画面；你保留了它的完整结果。");
        // Nothing, next to nothing, not measured, or the raw picture: nothing said.
        for quiet in [
            record(EditOutcome::OutsideKept, Some(0.0)),
            record(EditOutcome::OutsideKept, Some(0.0005)),
            record(EditOutcome::WholeResult, None),
            record(EditOutcome::Raw, Some(0.5)),
        ] {
            assert_eq!(quiet.note(), None, "{quiet:?}");
        }
        // A little is at least 1 %, never "0 %".
        assert_eq!(OutsideNote::new(0.002, true), Some(OutsideNote { percent: 1, undone: true }));
    }

    #[test]
    fn hashes_are_sha256_in_hex() {
        assert_eq!(sha256_hex(b"abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }

    #[test]
    fn failures_after_the_raw_picture_say_where_it_is() {
        let raw = SavedImage {
            path: PathBuf::from("/pics/g-1-raw.png"),
            meta_path: PathBuf::from("/pics/g-1-raw.json"),
            meta: serde_json::from_value(serde_json::json!({
                "version": 1, "file": "g-1-raw.png", "group": "g", "index": 0, "count": 1,
                "request": crate::api::ImageRequest::new("x"), "endpoint": "", "endpoint_name": "",
                "created": "2025-01-02T03:04:05Z", "elapsed_secs": 1.0, "width": 1, "height": 1, "format": "png", "bytes": 0,
            }))
            .unwrap(),
        };
        let e = EditSaveError::NotKept { raw: Box::new(raw.clone()), why: KeepFailure::Mask };
        assert_eq!(
            with(Lang::En, || e.to_string()),
            "The model's picture is saved as “/pics/g-1-raw.png”, but the picture outside your mask could not be put back: The mask is not a picture Easel can read."
        );
        assert!(with(Lang::ZhCn, || e.to_string()).starts_with("模型返回的图片已保存为“/pics/g-1-raw.png”"));
        assert_eq!(e.saved(), Some(&raw));
        assert_eq!(EditSaveError::NotSaved(LibraryError::NoDataDir).saved(), None);
    }
}
