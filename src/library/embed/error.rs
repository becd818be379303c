//! What can go wrong putting settings into a file, worded in the interface language.

use std::fmt;

/// Why settings could not be put into or read from a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EmbedError {
    /// The file is not a PNG, JPEG or WebP picture.
    UnknownFormat,
    /// The file's structure is broken; it is left as it was.
    Damaged(Damage),
    /// The text does not fit the container: `size` bytes where it allows at most `max`.
    TooLong { size: usize, max: usize },
}

/// What a parser found wrong with a damaged picture file; shown inside [`EmbedError`]'s
/// sentence, in the same language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Damage {
    /// The file ends before its structure does.
    CutOff,
    /// A PNG does not start with its header chunk (IHDR).
    NoHeader,
    /// There is no picture data where the container keeps it (a JPEG's scan, a WebP's bitstream).
    NoPictureData,
    /// A WebP bitstream's header, which gives the canvas size, cannot be read.
    UnreadablePictureHeader,
    /// A WebP file has no chunks at all.
    NoPicture,
}

impl fmt::Display for EmbedError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            EmbedError::UnknownFormat => f.write_str(words::UNKNOWN_FORMAT()),
            EmbedError::Damaged(why) => f.write_str(&words::damaged(&why.to_string())),
            EmbedError::TooLong { size, max } => f.write_str(&words::too_long(size, max)),
        }
    }
}

impl std::error::Error for EmbedError {}

impl fmt::Display for Damage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Damage::CutOff => words::CUT_OFF(),
            Damage::NoHeader => words::NO_HEADER(),
            Damage::NoPictureData => words::NO_PICTURE_DATA(),
            Damage::UnreadablePictureHeader => words::UNREADABLE_PICTURE_HEADER(),
            Damage::NoPicture => words::NO_PICTURE(),
        })
    }
}

/// The errors' words, in the interface language.
mod words {
    crate::texts! { FIXED;
        UNKNOWN_FORMAT => "the file is not a PNG, JPEG or WebP picture, so its settings cannot be kept inside it",
            "这个文件不是 PNG、JPEG 或 WebP 图片，无法在其中保存设置";
        CUT_OFF => "it is cut off",
            "文件不完整";
        NO_HEADER => "its header is missing",
            "缺少文件头";
        NO_PICTURE_DATA => "its picture data could not be found",
            "找不到图片数据";
        UNREADABLE_PICTURE_HEADER => "its picture header cannot be read",
            "无法读取图片头";
        NO_PICTURE => "it holds no picture",
            "其中没有图片";
    }

    crate::formats! { WITH_VALUES;
        damaged(why: &str) => "the picture file is damaged ({why}), so it was left as it was",
            "图片文件已损坏（{why}），因此保持原样";
        too_long(size: usize, max: usize) => "the prompt and settings are too long to fit inside this picture file ({size} bytes, at most {max}), so they were not added",
            "提示词和设置太长（{size} 字节，最多 {max}），放不进这个图片文件，因此没有写入";
    }

    crate::translated!(FIXED, WITH_VALUES);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::{Lang, with};

    #[test]
    fn reasons_are_worded_in_the_language_in_use() {
        let damaged = EmbedError::Damaged(Damage::CutOff);
        assert_eq!(
            with(Lang::En, || damaged.to_string()),
            "the picture file is damaged (it is cut off), so it was left as it was"
        );
        assert_eq!(with(Lang::ZhCn, || damaged.to_string()), "图片文件已损坏（文件不完整），因此保持原样");
        let all = [
            Damage::CutOff,
            Damage::NoHeader,
            Damage::NoPictureData,
            Damage::UnreadablePictureHeader,
            Damage::NoPicture,
        ];
        for why in all {
            let zh = with(Lang::ZhCn, || EmbedError::Damaged(why).to_string());
            assert!(!zh.chars().any(|c| c.is_ascii_alphabetic()), "English in “{zh}”");
        }
        let too_long = EmbedError::TooLong { size: 70_000, max: 65_533 };
        assert!(with(Lang::En, || too_long.to_string()).contains("(70000 bytes, at most 65533)"));
        assert!(with(Lang::ZhCn, || too_long.to_string()).contains("70000 字节，最多 65533"));
    }
}
