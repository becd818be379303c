//! The generation request: its settings, their validation, and the JSON body for an endpoint.
//!
//! Validation runs before anything is sent, so a request the endpoint would refuse costs the
//! user nothing and gets a message that names the setting to change.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};
use std::borrow::Cow;
use std::fmt;

// The settings' words live below this file (the model catalogue reads them too); said here as
// the request's own, as before.
pub use super::wire::{Background, ChoiceError, Complexity, InputFidelity, Moderation, OutputFormat, Quality, Setting};

/// The model used when the user picks none (the endpoint's own default would be dall-e-2).
pub const DEFAULT_MODEL: &str = super::models::DEFAULT;
/// The most images one request may ask for.
pub const MAX_IMAGES: u8 = 10;
/// The most streamed previews the Images API sends for one picture.
pub const MAX_PREVIEWS: u8 = 3;
/// Streamed previews asked for by default, per picture.
///
/// Chosen for the gateways in front of relays, which cut a connection that stays silent for
/// 60 s (nginx's default `proxy_read_timeout`) or 100 s (Cloudflare, then a 524): the previews
/// are what breaks the silence. A high-quality 1536×1024 picture has been reported at about
/// 4 minutes; with N previews spread over the work the longest silence is about T / (N + 1),
/// so 3 (the API's most) keeps a 4-minute picture within ~60 s silences and a 6-minute one
/// within Cloudflare's 100 s, where 2 would leave 80 s (cut by nginx) and 1 two minutes (cut by
/// both). Each preview costs about 100 image output tokens ([`PREVIEW_OUTPUT_TOKENS`]), about
/// $0.009 a picture for 3 at gpt-image-2's list price: a few per cent of a high-quality picture,
/// against losing a picture that was made and billed. 0 (no streaming) stays one setting away.
pub const DEFAULT_PREVIEWS: u8 = 3;
/// The extra image output tokens one streamed preview costs (docs/API.md, "Streaming").
pub const PREVIEW_OUTPUT_TOKENS: u64 = 100;

/// Which name the endpoint uses for the output format field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FormatField {
    /// `format`, as the QuickRouter page documents.
    Format,
    /// `output_format`, as OpenAI documents.
    OutputFormat,
}

impl FormatField {
    /// The JSON field name.
    pub fn name(self) -> &'static str {
        match self {
            FormatField::Format => "format",
            FormatField::OutputFormat => "output_format",
        }
    }

    /// The other name, tried when an endpoint refuses or ignores this one.
    pub fn other(self) -> FormatField {
        match self {
            FormatField::Format => FormatField::OutputFormat,
            FormatField::OutputFormat => FormatField::Format,
        }
    }
}

/// The picture size asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(try_from = "String", into = "String")]
pub enum Size {
    /// Let the model choose.
    #[default]
    Auto,
    /// 1024x1024.
    Square,
    /// 1536x1024.
    Landscape,
    /// 1024x1536.
    Portrait,
    /// Any width x height (gpt-image-2 only, within its rules).
    Custom { width: u32, height: u32 },
}

impl Size {
    /// Width and height in pixels, or `None` for `auto`.
    pub fn dimensions(self) -> Option<(u32, u32)> {
        match self {
            Size::Auto => None,
            Size::Square => Some((1024, 1024)),
            Size::Landscape => Some((1536, 1024)),
            Size::Portrait => Some((1024, 1536)),
            Size::Custom { width, height } => Some((width, height)),
        }
    }

    /// The value sent on the wire: `auto` or `WxH`.
    pub fn wire(self) -> String {
        match self.dimensions() {
            None => "auto".to_string(),
            Some((w, h)) => format!("{w}x{h}"),
        }
    }

    /// Parses `auto`, `1024x1024` or any `WxH` (also with `×` or `*`, spaces ignored).
    /// Preset dimensions become the preset variants.
    pub fn parse(text: &str) -> Result<Size, ValidationError> {
        let t: String = text.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_lowercase();
        if t == "auto" || t.is_empty() {
            return Ok(Size::Auto);
        }
        let bad = || ValidationError::SizeFormat(text.to_string());
        let (w, h) = t.split_once(['x', '×', '*']).ok_or_else(bad)?;
        let width: u32 = w.parse().map_err(|_| bad())?;
        let height: u32 = h.parse().map_err(|_| bad())?;
        Ok(match (width, height) {
            (1024, 1024) => Size::Square,
            (1536, 1024) => Size::Landscape,
            (1024, 1536) => Size::Portrait,
            _ => Size::Custom { width, height },
        })
    }

    /// Checks gpt-image-2's rules for a custom size; presets and `auto` always pass.
    pub fn check_custom_rules(self) -> Result<(), ValidationError> {
        let Size::Custom { width, height } = self else { return Ok(()) };
        let (long, short) = (width.max(height), width.min(height));
        if width == 0 || height == 0 {
            return Err(ValidationError::SizeRule(SizeRule::Zero));
        }
        if width % 16 != 0 || height % 16 != 0 {
            return Err(ValidationError::SizeRule(SizeRule::Multiple16));
        }
        if long > 3840 {
            return Err(ValidationError::SizeRule(SizeRule::TooLong));
        }
        if long > short * 3 {
            return Err(ValidationError::SizeRule(SizeRule::Ratio));
        }
        let pixels = u64::from(width) * u64::from(height);
        if !(655_360..=8_294_400).contains(&pixels) {
            return Err(ValidationError::SizeRule(SizeRule::Pixels { width, height, pixels }));
        }
        Ok(())
    }
}

impl fmt::Display for Size {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.wire())
    }
}

impl TryFrom<String> for Size {
    type Error = ValidationError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Size::parse(&s)
    }
}

impl From<Size> for String {
    fn from(s: Size) -> String {
        s.wire()
    }
}

/// One request for pictures, as the user set it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ImageRequest {
    pub model: String,
    pub prompt: String,
    pub n: u8,
    pub size: Size,
    pub quality: Quality,
    pub format: OutputFormat,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub background: Option<Background>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub output_compression: Option<u8>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub moderation: Option<Moderation>,
    /// gpt-image-2.6's `complexity`; unset leaves the model's own default.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub complexity: Option<Complexity>,
    /// Streamed previews asked for per picture, 0 to [`MAX_PREVIEWS`]; 0 asks for no streaming.
    /// Metadata written before streaming existed has none: those pictures were asked without.
    #[serde(default)]
    pub partial_images: u8,
}

impl ImageRequest {
    /// A request with Easel's defaults: gpt-image-2, one image, auto size and quality, PNG.
    pub fn new(prompt: impl Into<String>) -> Self {
        ImageRequest {
            model: DEFAULT_MODEL.to_string(),
            prompt: prompt.into(),
            n: 1,
            size: Size::Auto,
            quality: Quality::Auto,
            format: OutputFormat::Png,
            background: None,
            output_compression: None,
            moderation: None,
            complexity: None,
            partial_images: DEFAULT_PREVIEWS,
        }
    }

    /// Whether the answer is asked for as a stream of events with previews.
    pub fn streams(&self) -> bool {
        self.partial_images > 0
    }

    /// Checks everything the endpoint would refuse, with `prompt_limit` in characters.
    pub fn validate(&self, prompt_limit: usize) -> Result<(), ValidationError> {
        if self.model.trim().is_empty() {
            return Err(ValidationError::EmptyModel);
        }
        let rules = super::models::rules(&self.model);
        if let Some(date) = rules.retired {
            return Err(ValidationError::Retired { model: self.model.trim().to_string(), date });
        }
        if !rules.qualities.contains(&self.quality) {
            return Err(ValidationError::QualityModel { model: self.model.trim().to_string(), quality: self.quality });
        }
        if self.complexity.is_some() && !rules.complexity {
            return Err(ValidationError::ComplexityModel(self.model.trim().to_string()));
        }
        if self.prompt.trim().is_empty() {
            return Err(ValidationError::EmptyPrompt);
        }
        let chars = self.prompt.chars().count();
        if chars > prompt_limit {
            return Err(ValidationError::PromptTooLong { chars, limit: prompt_limit });
        }
        if !(1..=MAX_IMAGES).contains(&self.n) {
            return Err(ValidationError::Count(self.n.into()));
        }
        if self.partial_images > MAX_PREVIEWS {
            return Err(ValidationError::Previews(self.partial_images));
        }
        if let Size::Custom { .. } = self.size {
            if !rules.custom_sizes {
                return Err(ValidationError::CustomSizeModel(self.model.clone()));
            }
            self.size.check_custom_rules()?;
        }
        if let Some(c) = self.output_compression {
            if self.format == OutputFormat::Png {
                return Err(ValidationError::CompressionWithPng);
            }
            if c > 100 {
                return Err(ValidationError::Compression(c));
            }
        }
        if self.background == Some(Background::Transparent) && self.format == OutputFormat::Jpeg {
            return Err(ValidationError::TransparentJpeg);
        }
        Ok(())
    }

    /// The JSON body, with the format under the name this endpoint expects.
    /// `response_format` is never sent: gpt-image models refuse it.
    pub fn body(&self, field: FormatField) -> Value {
        let mut body = Map::new();
        body.insert("model".into(), json!(self.model.trim()));
        body.insert("prompt".into(), json!(self.prompt));
        body.insert("n".into(), json!(self.n));
        body.insert("size".into(), json!(self.size.wire()));
        body.insert("quality".into(), json!(self.quality.wire()));
        body.insert(field.name().into(), json!(self.format.wire()));
        if let Some(b) = self.background {
            body.insert("background".into(), json!(b.wire()));
        }
        if let Some(c) = self.output_compression {
            body.insert("output_compression".into(), json!(c));
        }
        if let Some(m) = self.moderation {
            body.insert("moderation".into(), json!(m.wire()));
        }
        if let Some(c) = self.complexity {
            body.insert("complexity".into(), json!(c.wire()));
        }
        if self.streams() {
            // Never `stream` without previews: some relays refuse a stream of none
            // ("Streaming must have non-zero partial images").
            body.insert("stream".into(), json!(true));
            body.insert("partial_images".into(), json!(self.partial_images.min(MAX_PREVIEWS)));
        }
        Value::Object(body)
    }
}

/// Whether a model takes `input_fidelity` on edits (gpt-image-1.5 does; gpt-image-2 reads its
/// inputs closely always and refuses the field; a model Easel does not know is not sent a field
/// it may refuse): the catalogue's word, [`super::models`].
pub fn model_takes_input_fidelity(model: &str) -> bool {
    super::models::rules(model).reads == super::models::Reading::WhenAsked
}

/// Why a request was not sent. Each message says what to change; it is worded by `Display`,
/// in the language in use when it is shown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ValidationError {
    /// The prompt is empty or only spaces.
    EmptyPrompt,
    /// The prompt has `chars` characters, more than the endpoint's `limit`.
    PromptTooLong { chars: usize, limit: usize },
    /// No model is named.
    EmptyModel,
    /// A number of images outside 1 to [`MAX_IMAGES`].
    Count(i64),
    /// Text that is not a size, as the user typed it.
    SizeFormat(String),
    /// A custom size that breaks one of gpt-image-2's rules.
    SizeRule(SizeRule),
    /// A custom size asked of a model (named) that takes only the presets.
    CustomSizeModel(String),
    /// Compression set for PNG, which has none.
    CompressionWithPng,
    /// Compression above 100.
    Compression(u8),
    /// A transparent background asked in JPEG, which has none.
    TransparentJpeg,
    /// More streamed previews than the API sends (at most [`MAX_PREVIEWS`]).
    Previews(u8),
    /// A model shut down on `date` (`YYYY-MM-DD`).
    Retired { model: String, date: &'static str },
    /// A quality the model does not take (xhigh and max are gpt-image-2.5's and later).
    QualityModel { model: String, quality: Quality },
    /// `complexity` asked of a model (named) that does not take it.
    ComplexityModel(String),
    /// A word that is not one of a setting's wire words.
    Choice(ChoiceError),
}

impl fmt::Display for ValidationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use ValidationError::*;
        let text: Cow<'static, str> = match self {
            EmptyPrompt => words::EMPTY_PROMPT().into(),
            PromptTooLong { chars, limit } => words::prompt_too_long(*chars, *limit).into(),
            EmptyModel => words::EMPTY_MODEL().into(),
            Count(n) => words::count(*n).into(),
            SizeFormat(t) => words::size_format(t).into(),
            SizeRule(rule) => words::size_refused(&rule.to_string()).into(),
            CustomSizeModel(m) => words::custom_size_model(m).into(),
            CompressionWithPng => words::COMPRESSION_WITH_PNG().into(),
            Compression(c) => words::compression(*c).into(),
            TransparentJpeg => words::TRANSPARENT_JPEG().into(),
            Previews(n) => words::previews(*n).into(),
            Retired { model, date } => words::retired(model, date, super::models::INSTEAD_OF_RETIRED).into(),
            QualityModel { model, quality } => words::quality_model(quality.wire(), model).into(),
            ComplexityModel(model) => words::complexity_model(model).into(),
            // The wire words are listed as they are sent, the same in every language.
            Choice(e) => e.to_string().into(),
        };
        f.write_str(&text)
    }
}

impl std::error::Error for ValidationError {}

impl From<ChoiceError> for ValidationError {
    fn from(e: ChoiceError) -> Self {
        ValidationError::Choice(e)
    }
}

/// Which of gpt-image-2's size rules a custom size breaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SizeRule {
    /// A side of zero pixels.
    Zero,
    /// A side that is not a multiple of 16.
    Multiple16,
    /// The longer side is over 3840 pixels.
    TooLong,
    /// The longer side is over 3 times the shorter.
    Ratio,
    /// `width` × `height` makes `pixels`, outside 655,360 to 8,294,400.
    Pixels { width: u32, height: u32, pixels: u64 },
}

/// The rule as a sentence fragment, in the language in use.
impl fmt::Display for SizeRule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text: Cow<'static, str> = match *self {
            SizeRule::Zero => words::SIZE_ZERO().into(),
            SizeRule::Multiple16 => words::SIZE_MULTIPLE_16().into(),
            SizeRule::TooLong => words::SIZE_TOO_LONG().into(),
            SizeRule::Ratio => words::SIZE_RATIO().into(),
            SizeRule::Pixels { width, height, pixels } => words::size_pixels(width, height, pixels).into(),
        };
        f.write_str(&text)
    }
}

/// The words of a refused request, in English and Simplified Chinese side by side (see
/// [`crate::i18n`]).
mod words {
    crate::texts! { FIXED;
        EMPTY_PROMPT => "The prompt is empty. Describe the picture you want.",
            "提示词为空。请描述你想要的图片。";
        EMPTY_MODEL => "The model is empty. Pick a model such as gpt-image-2.",
            "模型为空。请选择一个模型，例如 gpt-image-2。";
        COMPRESSION_WITH_PNG => "Compression applies only to JPEG and WebP. Pick one of those formats, or leave compression unset.",
            "压缩只适用于 JPEG 和 WebP。请选择这两种格式之一，或不设置压缩。";
        TRANSPARENT_JPEG => "A transparent background needs PNG or WebP; JPEG has no transparency.",
            "透明背景需要 PNG 或 WebP；JPEG 不支持透明。";
    }

    crate::texts! { SIZE_RULES;
        SIZE_ZERO => "width and height must be above zero",
            "宽和高必须大于零";
        SIZE_MULTIPLE_16 => "width and height must both be multiples of 16",
            "宽和高都必须是 16 的倍数";
        SIZE_TOO_LONG => "the longer side can be at most 3840 pixels",
            "较长的一边最多 3840 像素";
        SIZE_RATIO => "the longer side can be at most 3 times the shorter one",
            "较长的一边最多是较短一边的 3 倍";
    }

    crate::formats! { WITH_VALUES;
        prompt_too_long(chars: usize, limit: usize) => "The prompt has {chars} characters; this endpoint accepts at most {limit}. Shorten it.",
            "提示词有 {chars} 个字符；这个接口最多接受 {limit} 个。请缩短它。";
        count(n: i64) => "The number of images must be between 1 and 10 (you asked for {n}).",
            "图片数量必须在 1 到 10 之间（你要的是 {n}）。";
        size_format(text: &str) => "“{text}” is not a size. Use auto, 1024x1024, 1536x1024, 1024x1536, or width x height such as 2048x1152.",
            "“{text}”不是一个尺寸。请用 auto、1024x1024、1536x1024、1024x1536，或“宽x高”，例如 2048x1152。";
        /// `rule` is a [`SizeRule`](super::SizeRule) in words.
        size_refused(rule: &str) => "This size will be refused: {rule}.",
            "这个尺寸会被拒绝：{rule}。";
        size_pixels(width: u32, height: u32, pixels: u64) => "the picture must have between 655,360 and 8,294,400 pixels; {width}×{height} has {pixels}",
            "图片必须有 655,360 到 8,294,400 个像素；{width}×{height} 有 {pixels} 个";
        custom_size_model(model: &str) => "{model} takes only the sizes 1024x1024, 1536x1024, 1024x1536 or auto. Pick one of those, or use gpt-image-2 for a custom size.",
            "{model} 只接受 1024x1024、1536x1024、1024x1536 或 auto。请选其中之一，或用 gpt-image-2 生成自定义尺寸。";
        retired(model: &str, date: &str, instead: &str) => "{model} was shut down on {date}, so the service would refuse it. Use {instead} instead.",
            "{model} 已于 {date} 停用，服务会拒绝它。请改用 {instead}。";
        quality_model(quality: &str, model: &str) => "{model} does not take the quality {quality}. Pick low, medium, high or auto, or a gpt-image-2.5 or 2.6 model for xhigh and max.",
            "{model} 不支持质量 {quality}。请选低、中、高或自动，或用 gpt-image-2.5、2.6 模型获得 xhigh 和 max。";
        complexity_model(model: &str) => "{model} does not take a complexity. Leave it unset, or use a gpt-image-2.6 model.",
            "{model} 不支持复杂度。请不设置，或使用 gpt-image-2.6 模型。";
        compression(c: u8) => "Compression must be between 0 and 100 (you gave {c}).",
            "压缩必须在 0 到 100 之间（你给的是 {c}）。";
        previews(n: u8) => "Previews must be between 0 and 3 (you asked for {n}); 0 sends none.",
            "预览数量必须在 0 到 3 之间（你要的是 {n}）；0 表示不发送预览。";
    }

    #[cfg(test)]
    #[test]
    fn every_text_is_translated() {
        let tables = [FIXED, SIZE_RULES, WITH_VALUES];
        let problems = crate::i18n::untranslated(&tables, &[]);
        assert!(problems.is_empty(), "{problems:#?}");
        for (name, _, zh) in tables.into_iter().flatten() {
            // Chinese sentences end in full-width punctuation, as the English ones end in ASCII.
            assert!(
                !zh.ends_with('.') && !zh.contains(". ") && !zh.contains(", "),
                "{name}: “{zh}” has English punctuation"
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn req() -> ImageRequest {
        ImageRequest { partial_images: 0, ..ImageRequest::new("a red fox in snow") }
    }

    #[test]
    fn streaming_asks_for_previews_and_never_for_none() {
        let streamed = ImageRequest::new("a fox");
        assert_eq!(streamed.partial_images, DEFAULT_PREVIEWS);
        let b = streamed.body(FormatField::OutputFormat);
        assert_eq!((b["stream"].clone(), b["partial_images"].clone()), (json!(true), json!(DEFAULT_PREVIEWS)));
        let plain = req().body(FormatField::OutputFormat);
        assert!(plain.get("stream").is_none() && plain.get("partial_images").is_none(), "{plain}");
        let mut four = req();
        four.partial_images = 4;
        assert_eq!(four.validate(1000), Err(ValidationError::Previews(4)));
    }

    #[test]
    fn old_metadata_without_previews_still_reads() {
        let old = r#"{"model":"gpt-image-1","prompt":"x","n":1,"size":"1024x1024","quality":"low","format":"png"}"#;
        let r: ImageRequest = serde_json::from_str(old).unwrap();
        assert_eq!(r.partial_images, 0, "those pictures were asked without streaming");
        let round: ImageRequest =
            serde_json::from_str(&serde_json::to_string(&ImageRequest::new("y")).unwrap()).unwrap();
        assert_eq!(round, ImageRequest::new("y"));
    }

    #[test]
    fn messages_speak_the_interface_language() {
        let e = ImageRequest::new("").validate(1000).unwrap_err();
        assert_eq!(crate::i18n::with(crate::i18n::Lang::ZhCn, || e.to_string()), "提示词为空。请描述你想要的图片。");
        assert_eq!(
            crate::i18n::with(crate::i18n::Lang::En, || e.to_string()),
            "The prompt is empty. Describe the picture you want."
        );
        let rule = Size::Custom { width: 2000, height: 1000 }.check_custom_rules().unwrap_err();
        assert!(crate::i18n::with(crate::i18n::Lang::ZhCn, || rule.to_string()).contains("16 的倍数"));
        let choice = Quality::parse("ultra").unwrap_err();
        assert_eq!(
            crate::i18n::with(crate::i18n::Lang::ZhCn, || choice.to_string()),
            "“ultra”不是有效的质量。请使用以下之一：low, medium, high, xhigh, max, auto。"
        );
    }

    #[test]
    fn sizes_parse_to_presets_and_custom() {
        assert_eq!(Size::parse("1024x1024"), Ok(Size::Square));
        assert_eq!(Size::parse(" 1536 × 1024 "), Ok(Size::Landscape));
        assert_eq!(Size::parse("1024*1536"), Ok(Size::Portrait));
        assert_eq!(Size::parse("AUTO"), Ok(Size::Auto));
        assert_eq!(Size::parse("2048x1152"), Ok(Size::Custom { width: 2048, height: 1152 }));
        assert!(matches!(Size::parse("big"), Err(ValidationError::SizeFormat(_))));
        assert!(matches!(Size::parse("10x"), Err(ValidationError::SizeFormat(_))));
    }

    #[test]
    fn custom_size_rules() {
        let ok = |w, h| Size::Custom { width: w, height: h }.check_custom_rules();
        assert!(ok(2048, 1152).is_ok());
        assert!(ok(3840, 2160).is_ok(), "4K is 8,294,400 pixels, the upper bound");
        assert!(ok(1024, 640).is_ok(), "655,360 pixels, the lower bound");
        assert!(ok(1000, 1000).is_err(), "not multiples of 16");
        assert!(ok(3856, 2160).is_err(), "long side over 3840");
        assert!(ok(2400, 784).is_err(), "aspect over 3:1");
        assert!(ok(1008, 640).is_err(), "too few pixels");
        assert!(ok(0, 1024).is_err());
    }

    #[test]
    fn validation_catches_what_the_endpoint_refuses() {
        assert_eq!(req().validate(1000), Ok(()));
        let mut r = req();
        r.prompt = "   \n".into();
        assert_eq!(r.validate(1000), Err(ValidationError::EmptyPrompt));
        r.prompt = "猫".repeat(1001);
        assert_eq!(r.validate(1000), Err(ValidationError::PromptTooLong { chars: 1001, limit: 1000 }));
        assert_eq!(r.validate(32_000), Ok(()), "limit counts characters, not bytes");
        let mut r = req();
        r.n = 0;
        assert!(matches!(r.validate(1000), Err(ValidationError::Count(0))));
        r.n = 11;
        assert!(matches!(r.validate(1000), Err(ValidationError::Count(11))));
        r.n = 10;
        assert!(r.validate(1000).is_ok());
        let mut r = req();
        r.size = Size::Custom { width: 2048, height: 1152 };
        assert!(r.validate(1000).is_ok());
        r.model = "gpt-image-1.5".into();
        assert!(matches!(r.validate(1000), Err(ValidationError::CustomSizeModel(_))));
        r.model = "a-model-easel-does-not-know".into();
        assert!(matches!(r.validate(1000), Err(ValidationError::CustomSizeModel(_))), "the base rules: presets");
        // A model shut down is refused before sending, saying when and what to use instead.
        let mut r = req();
        r.model = "gpt-image-1".into();
        let e = r.validate(1000).unwrap_err();
        assert_eq!(e, ValidationError::Retired { model: "gpt-image-1".into(), date: "2026-10-23" });
        let words = crate::i18n::with(crate::i18n::Lang::En, || e.to_string());
        assert!(words.contains("shut down on 2026-10-23") && words.contains("gpt-image-2 or gpt-image-1.5"), "{words}");
        r.model = "dall-e-3".into();
        assert!(matches!(r.validate(1000), Err(ValidationError::Retired { date: "2026-05-12", .. })));
        // xhigh and max are the newer models' alone; complexity is 2.6's.
        let mut r = req();
        r.quality = Quality::XHigh;
        assert!(matches!(r.validate(1000), Err(ValidationError::QualityModel { quality: Quality::XHigh, .. })));
        r.model = "gpt-image-2.5-flare".into();
        assert_eq!(r.validate(1000), Ok(()));
        r.quality = Quality::Max;
        r.complexity = Some(Complexity::Low);
        assert_eq!(r.validate(1000), Err(ValidationError::ComplexityModel("gpt-image-2.5-flare".into())));
        r.model = "gpt-image-2.6-sunburst-2026-11-04".into();
        assert_eq!(r.validate(1000), Ok(()), "a snapshot is its model");
        assert_eq!(r.body(FormatField::OutputFormat)["complexity"], "low");
        let mut r = req();
        r.output_compression = Some(80);
        assert_eq!(r.validate(1000), Err(ValidationError::CompressionWithPng));
        r.format = OutputFormat::Webp;
        assert!(r.validate(1000).is_ok());
        r.output_compression = Some(101);
        assert_eq!(r.validate(1000), Err(ValidationError::Compression(101)));
        let mut r = req();
        r.format = OutputFormat::Jpeg;
        r.background = Some(Background::Transparent);
        assert_eq!(r.validate(1000), Err(ValidationError::TransparentJpeg));
        let mut r = req();
        r.model = " ".into();
        assert_eq!(r.validate(1000), Err(ValidationError::EmptyModel));
    }

    #[test]
    fn body_uses_the_endpoints_field_name() {
        let mut r = req();
        r.n = 3;
        r.size = Size::Landscape;
        r.quality = Quality::Low;
        r.format = OutputFormat::Jpeg;
        let quick = r.body(FormatField::Format);
        assert_eq!(
            quick,
            json!({"model": "gpt-image-2", "prompt": "a red fox in snow", "n": 3,
                   "size": "1536x1024", "quality": "low", "format": "jpeg"})
        );
        let openai = r.body(FormatField::OutputFormat);
        assert_eq!(openai["output_format"], "jpeg");
        assert!(openai.get("format").is_none());
        assert!(openai.get("response_format").is_none());
    }

    #[test]
    fn body_carries_advanced_settings_only_when_set() {
        let mut r = req();
        r.format = OutputFormat::Webp;
        r.background = Some(Background::Transparent);
        r.output_compression = Some(70);
        r.moderation = Some(Moderation::Low);
        let b = r.body(FormatField::OutputFormat);
        assert_eq!(b["background"], "transparent");
        assert_eq!(b["output_compression"], 70);
        assert_eq!(b["moderation"], "low");
        let plain = req().body(FormatField::Format);
        for k in ["background", "output_compression", "moderation"] {
            assert!(plain.get(k).is_none(), "{k} sent though unset");
        }
    }

    #[test]
    fn input_fidelity_only_for_the_models_that_take_it() {
        for (model, takes) in [
            ("gpt-image-1", true),
            ("gpt-image-1.5", true),
            ("GPT-Image-1.5 ", true),
            ("gpt-image-1-mini", false),
            ("gpt-image-2", false),
            ("my-own-model", false),
        ] {
            assert_eq!(model_takes_input_fidelity(model), takes, "{model}");
        }
    }

    #[test]
    fn choices_parse_and_explain() {
        assert_eq!(Quality::parse("High"), Ok(Quality::High));
        assert_eq!(OutputFormat::parse("webp"), Ok(OutputFormat::Webp));
        let e = Quality::parse("ultra").unwrap_err().to_string();
        assert!(e.contains("low, medium, high, xhigh, max, auto"), "{e}");
    }
}
