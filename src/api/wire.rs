//! The settings whose values are a few wire words (quality, format, background, moderation,
//! complexity, input fidelity): their values, their parsing and the words of a wrong one. A leaf
//! of `api`: the request and the model catalogue both read it.

use serde::{Deserialize, Serialize};
use std::fmt;

/// Defines a small enum of wire words with parsing, `wire()` and `Display`; `$what` is the
/// [`Setting`] a wrong word is reported against.
macro_rules! wire_enum {
    ($(#[$m:meta])* $name:ident, $what:ident { $($(#[$vm:meta])* $variant:ident = $word:literal),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        #[serde(rename_all = "lowercase")]
        pub enum $name { $($(#[$vm])* $variant),+ }

        impl $name {
            /// Every value, in the order a form shows them.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The value sent on the wire.
            pub fn wire(self) -> &'static str {
                match self { $($name::$variant => $word),+ }
            }

            /// Parses the wire word, ignoring case.
            pub fn parse(text: &str) -> Result<Self, ChoiceError> {
                match text.trim().to_lowercase().as_str() {
                    $($word => Ok($name::$variant),)+
                    _ => Err(ChoiceError { what: Setting::$what, given: text.to_string(), allowed: &[$($word),+] }),
                }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.wire())
            }
        }
    };
}

wire_enum!(
    /// Rendering quality; `low` is about 35 times cheaper than `high`.
    Quality, Quality {
        Low = "low",
        Medium = "medium",
        High = "high",
        /// gpt-image-2.5 and later: more detail than high, at a cost not yet published.
        XHigh = "xhigh",
        Max = "max",
        Auto = "auto",
    }
);
wire_enum!(
    /// The image file format asked for.
    OutputFormat, Format { Png = "png", Jpeg = "jpeg", Webp = "webp" }
);
wire_enum!(
    /// Background handling.
    Background, Background { Auto = "auto", Opaque = "opaque", Transparent = "transparent" }
);
wire_enum!(
    /// Content moderation strictness.
    Moderation, Moderation { Auto = "auto", Low = "low" }
);
wire_enum!(
    /// How much gpt-image-2.6 plans a picture before drawing it (its default is high).
    Complexity, Complexity { Low = "low", Medium = "medium", High = "high" }
);
wire_enum!(
    /// How closely an edit keeps the input pictures' details (faces, logos); `high` costs more
    /// input tokens. Only the models that read their inputs when asked take it (the catalogue,
    /// `super::models`).
    InputFidelity, InputFidelity { Low = "low", High = "high" }
);

impl OutputFormat {
    /// The usual file extension.
    pub fn extension(self) -> &'static str {
        match self {
            OutputFormat::Png => "png",
            OutputFormat::Jpeg => "jpg",
            OutputFormat::Webp => "webp",
        }
    }

    /// The content type a file of this format is sent with (an endpoint refuses
    /// `application/octet-stream`).
    pub fn mime(self) -> &'static str {
        match self {
            OutputFormat::Png => "image/png",
            OutputFormat::Jpeg => "image/jpeg",
            OutputFormat::Webp => "image/webp",
        }
    }
}

/// A setting whose value is one of a few wire words: what a [`ChoiceError`] is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Setting {
    /// [`Quality`].
    Quality,
    /// [`OutputFormat`].
    Format,
    /// [`Background`].
    Background,
    /// [`Moderation`].
    Moderation,
    /// [`InputFidelity`].
    InputFidelity,
    /// [`Complexity`].
    Complexity,
}

impl Setting {
    /// The setting's name in a sentence, in the language in use: "quality", "质量".
    pub fn word(self) -> &'static str {
        match self {
            Setting::Quality => words::QUALITY(),
            Setting::Format => words::FORMAT(),
            Setting::Background => words::BACKGROUND(),
            Setting::Moderation => words::MODERATION(),
            Setting::InputFidelity => words::INPUT_FIDELITY(),
            Setting::Complexity => words::COMPLEXITY(),
        }
    }
}

/// `given` is not one of the `allowed` wire words of the setting `what`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChoiceError {
    pub what: Setting,
    pub given: String,
    pub allowed: &'static [&'static str],
}

/// The wire words are listed as they are sent, the same in every language.
impl fmt::Display for ChoiceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&words::choice(&self.given, self.what.word(), &self.allowed.join(", ")))
    }
}

impl std::error::Error for ChoiceError {}

/// The settings' names and the sentence of a wrong word, in English and Simplified Chinese.
mod words {
    crate::texts! { SETTINGS;
        QUALITY => "quality", "质量";
        FORMAT => "format", "格式";
        BACKGROUND => "background", "背景";
        MODERATION => "moderation", "审核设置";
        INPUT_FIDELITY => "input fidelity", "输入保真度";
        COMPLEXITY => "complexity", "复杂度";
    }

    crate::formats! { WITH_VALUES;
        /// `what` is a [`Setting`](super::Setting) in words; `allowed`, wire words.
        choice(given: &str, what: &str, allowed: &str) => "“{given}” is not a {what}. Use one of: {allowed}.",
            "“{given}”不是有效的{what}。请使用以下之一：{allowed}。";
    }

    #[cfg(test)]
    #[test]
    fn every_text_is_translated() {
        let problems = crate::i18n::untranslated(&[SETTINGS, WITH_VALUES], &[]);
        assert!(problems.is_empty(), "{problems:#?}");
    }
}
